"""Every file of the wire corpus (`wire_corpus.json`: agency files in every format we read, each
with what a person sees in it) is read as it means: its items, their headline, guid, bylines,
holder, rights and times; the bad items of a many-item file reported by their guid, the rest
kept; a file we cannot read refused with words that say what it is."""

from __future__ import annotations

import pytest

from tests.ingest.wire_corpus import CORPUS, mismatches, path_of


@pytest.mark.parametrize("entry", CORPUS, ids=lambda entry: entry["file"].split("/", 1)[-1])
def test_each_file_of_the_wire_corpus_is_read_as_it_means(entry):
    assert not mismatches(entry)


def test_every_corpus_entry_names_its_file_agency_format_and_model():
    for entry in CORPUS:
        assert path_of(entry).is_file(), entry["file"]
        assert entry["agency"] and entry["format"] and entry["modelled_on"], entry["file"]


def test_the_check_catches_a_wrong_field_a_missing_item_and_a_wrong_refusal():
    entry = next(e for e in CORPUS if e["expected"].get("items"))
    first, *others = entry["expected"]["items"]

    def expecting(**expected) -> dict:
        return {**entry, "expected": expected}

    wrong_headline = expecting(items=[{**first, "headline": "Not the headline"}, *others])
    assert any("headline" in line for line in mismatches(wrong_headline))
    one_more = expecting(items=[first, *others, {"headline": "A second item"}])
    assert any(line.startswith("items:") for line in mismatches(one_more))
    assert mismatches(expecting(refused="binary data"))
