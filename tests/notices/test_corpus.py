"""The notice reader on real notices: every entry of corpus.json (agencies' own wording, from the
sources its README names) reads as its source means, and what merely looks like a notice stays
story text. Whatever the reader gets wrong must leave the item unsettled, never granted."""

from __future__ import annotations

import html
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from articles.ingest import text
from articles.notices import CopyTerms, is_notice_line, parse_notice
from articles.rights import Right, derive_rights

CORPUS = json.loads((Path(__file__).parent / "corpus.json").read_text(encoding="utf-8"))
NOTICES = [entry for entry in CORPUS if entry["kind"] == "notice"]
NEAR_MISSES = [entry for entry in CORPUS if entry["kind"] == "near_miss"]
AGENCY = SimpleNamespace(name="Agency", kind="agency", suspended=False)
CC_GRANTS = {
    "CC-BY-ND-4.0": {Right.PUBLISH, Right.BROADCAST, Right.REDISTRIBUTE},
}


def reading(entry: dict, *, appended: str = "") -> tuple[dict, set[Right]]:
    """The reader's reading of an entry, in the corpus's terms, and what it would grant."""
    wording = " ".join(filter(None, [entry["wording"], appended]))
    notice = parse_notice(
        wording, holder=entry.get("holder_field", ""), usage_terms=entry.get("usage_terms", "")
    )
    derived = derive_rights(source=AGENCY, terms=CopyTerms(notice=notice))
    read = {
        "holder": notice.holder,
        "year": notice.year,
        "arr": notice.all_rights_reserved,
        "prohibited": sorted(notice.prohibited),
        "licence": notice.licence.code if notice.licence else None,
        "territories": sorted(notice.territories),
        "excluded": sorted(notice.excluded_territories),
        "no_archive": notice.no_archive,
        "print_only": notice.print_only,
        "unsettled": not derived.settled,
        "notice_line": is_notice_line(wording) if wording else None,
    }
    return read, {right for right in Right if derived.grants[right]}


def label(entry: dict) -> str:
    return entry["id"]


@pytest.mark.parametrize("entry", NOTICES, ids=label)
def test_each_notice_in_the_corpus_reads_as_its_source_means(entry):
    read, _ = reading(entry)
    assert {key: read[key] for key in entry["expected"]} == entry["expected"]


@pytest.mark.parametrize("entry", NEAR_MISSES, ids=label)
def test_story_text_that_looks_like_a_notice_stays_story_text(entry):
    wording = entry["wording"]
    assert not is_notice_line(wording)
    (item,) = text.parse(
        f"Harbour reopens\n\nThe harbour reopened on Monday.\n\n{wording}\n\n"
        "Copyright 2030 Example Wire. All rights reserved.\n"
    )
    assert html.escape(wording, quote=False) in item.body_html
    assert item.notice.holder == "Example Wire"


@pytest.mark.parametrize("entry", NOTICES, ids=label)
def test_no_reading_grants_more_than_its_source_and_a_wrong_one_is_unsettled(entry):
    read, granted = reading(entry)
    expected = entry["expected"]
    assert granted <= CC_GRANTS.get(expected.get("licence"), set())
    if any(read[key] != value for key, value in expected.items()):
        assert read["unsettled"]


@pytest.mark.parametrize("entry", NOTICES, ids=label)
def test_a_clause_the_reader_cannot_read_leaves_any_notice_unsettled(entry):
    read, granted = reading(entry, appended="Use is subject to the Zebra Protocol.")
    assert read["unsettled"]
    assert granted <= CC_GRANTS.get(entry["expected"].get("licence"), set())


def test_the_corpus_spans_25_agencies_and_6_languages_and_names_every_source():
    agencies = {entry["agency"] for entry in CORPUS if entry["agency"]}
    languages = {entry["language"] for entry in CORPUS}
    assert len(agencies) >= 25, sorted(agencies)
    assert len(languages) >= 6, sorted(languages)
    for entry in CORPUS:
        assert entry["source"] and isinstance(entry["verbatim"], bool), entry["id"]
        assert entry["expected"], entry["id"]
    assert len({entry["id"] for entry in CORPUS}) == len(CORPUS)
