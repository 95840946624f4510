"""Plain-text wire copy: headline, embargo, dateline, credits and notice kept out of the body."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from articles.ingest import ParsedByline, ParseError, parse
from articles.ingest.text import credit_line, name_case, read_embargo
from articles.rights import Right

FIXTURES = Path(__file__).parent / "fixtures"
UTC = datetime.UTC


def parse_fixture(name: str):
    (item,) = parse((FIXTURES / name).read_bytes(), name=name)
    return item


def test_anadolu_story_reads_headline_dateline_credit_and_notice():
    item = parse_fixture("anadolu.txt")
    assert item.format == "text"
    assert item.guid == ""
    assert item.headline == "Turkish exports hit record high in December"
    assert not item.headline_is_working
    assert item.dateline == "ANKARA, Jan 2 (Anadolu)"
    assert item.located == "Ankara"
    assert item.provider == "Anadolu"
    assert item.bylines == [ParsedByline(name="Erdogan Cagatay Zontur", role="writing")]
    assert item.notice.holder == "Anadolu Agency"
    assert item.notice.year == 2022
    assert item.notice.prohibited == frozenset(Right)
    assert item.original == (FIXTURES / "anadolu.txt").read_text()


def test_dateline_stays_in_the_lead_because_agency_copy_is_published_as_sent():
    item = parse_fixture("anadolu.txt")
    assert item.body_html.startswith("<p>ANKARA, Jan 2 (Anadolu) - Turkish exports")


@pytest.mark.parametrize(
    "name", ["anadolu.txt", "reuters.txt", "ap.txt", "embargoed.txt", "creative-commons.txt"]
)
def test_no_headline_embargo_credit_or_notice_line_reaches_the_body(name):
    item = parse_fixture(name)
    body = item.body_html
    for metadata in ("Copyright", "©", "Writing by", "Reporting by", "Editing by", "EMBARGO",
                     "By JANE", "Associated Press\n", "Photography by", "Translated by",
                     "Creative Commons", "Additional reporting", "rights reserved"):  # fmt: skip
        assert metadata not in body
    if not item.headline_is_working:
        assert item.headline not in body


def test_body_is_one_html_paragraph_per_paragraph_with_hard_wraps_joined():
    item = parse_fixture("anadolu.txt")
    assert item.body_html.count("<p>") == 3
    assert "said on Monday.</p>" in item.body_html
    assert "\n" not in item.body_html.split("</p>")[0]


def test_reuters_credit_line_wrapped_over_two_lines_gives_every_role_and_place():
    item = parse_fixture("reuters.txt")
    assert item.bylines == [
        ParsedByline(name="Ali Kucukgocmen", role="reporting", place="Istanbul"),
        ParsedByline(name="Huseyin Hayatsever", role="reporting", place="Ankara"),
        ParsedByline(name="Daren Butler", role="writing"),
        ParsedByline(name="Jonathan Spicer", role="editing"),
        ParsedByline(name="Alex Richardson", role="editing"),
        ParsedByline(name="Ece Toksabay", role="additional_reporting"),
    ]
    assert item.provider == "Reuters"
    assert item.notice.prohibited == {Right.PUBLISH, Right.REDISTRIBUTE}


def test_by_line_with_agency_line_gives_people_in_name_case():
    item = parse_fixture("ap.txt")
    assert item.bylines == [
        ParsedByline(name="Jane Doe", role="writing"),
        ParsedByline(name="Sean O'Neil", role="writing"),
    ]
    assert item.dateline == "WASHINGTON (AP)"
    assert item.body_html.startswith("<p>WASHINGTON (AP) — The Senate")
    assert item.notice.holder == "The Associated Press"
    assert item.notice.all_rights_reserved


def test_agency_line_names_the_provider_when_the_dateline_does_not():
    source = b"Headline here\n\nBy JANE DOE\nAssociated Press\n\nThe story text runs here.\n"
    (item,) = parse(source)
    assert item.provider == "Associated Press"
    assert item.bylines == [ParsedByline(name="Jane Doe", role="writing")]
    assert item.body_html == "<p>The story text runs here.</p>"


def test_embargo_line_is_read_as_utc_and_lead_sentence_becomes_working_headline():
    item = parse_fixture("embargoed.txt")
    assert item.embargo_until == datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)
    assert item.headline_is_working
    assert item.headline == (
        "Researchers at a London university said on Tuesday they had found a way to store solar "
        "power for months"
    )
    assert item.dateline == "LONDON"
    assert item.notice.territories == {"GB", "IE"}
    assert item.territories == {"GB", "IE"}
    assert item.notice.no_archive
    assert item.provider == "Example Press"


def test_photography_and_translation_credits_keep_particles_and_mc_names():
    item = parse_fixture("embargoed.txt")
    assert item.bylines == [
        ParsedByline(name="Ronald McDonald", role="photography"),
        ParsedByline(name="Anna van der Berg", role="translation"),
    ]


def test_creative_commons_notice_is_read_from_the_closing_lines():
    item = parse_fixture("creative-commons.txt")
    assert item.notice.licence.code == "CC-BY-4.0"
    assert item.bylines == [
        ParsedByline(name="Maria de la Cruz", role="writing"),
        ParsedByline(name="Tom Baker", role="editing"),
    ]
    assert item.body_html.count("<p>") == 1


def test_unreadable_usage_terms_leave_the_notice_unrecognised():
    item = parse_fixture("olympic-terms.txt")
    assert item.notice.unrecognised == (
        "For editorial use only in connection with the Olympic Games."
    )
    assert "Olympic Games" not in item.body_html
    assert item.provider == "AFP"


def test_body_text_is_html_escaped():
    (item,) = parse(b"Prices <rise> & fall\n\nShares in A&B <script>x</script> rose.\n")
    assert item.body_html == "<p>Shares in A&amp;B &lt;script&gt;x&lt;/script&gt; rose.</p>"
    assert item.headline == "Prices <rise> & fall"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("00:01 GMT 2 JANUARY 2031", datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)),
        ("2031-01-02 00:01 UTC", datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)),
        ("2031-01-02T00:01:00Z", datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)),
        ("0001 BST on 2 July 2031", datetime.datetime(2031, 7, 1, 23, 1, tzinfo=UTC)),
        ("10:00 CET, 15 March 2031", datetime.datetime(2031, 3, 15, 9, 0, tzinfo=UTC)),
        ("January 2, 2031 9 a.m. EST", datetime.datetime(2031, 1, 2, 14, 0, tzinfo=UTC)),
        ("July 2, 2031 9:00 a.m. ET", datetime.datetime(2031, 7, 2, 13, 0, tzinfo=UTC)),
        ("2 Jan 2031 12:00 +03:00", datetime.datetime(2031, 1, 2, 9, 0, tzinfo=UTC)),
        ("2 Jan 2031 12:00 UTC+3", datetime.datetime(2031, 1, 2, 9, 0, tzinfo=UTC)),
    ],
)
def test_embargo_times_in_common_forms_become_aware_utc(when, expected):
    assert read_embargo(when) == (expected, False)  # each names its zone


def test_an_embargo_without_a_timezone_is_read_in_the_source_zone_and_noted():
    story = b"EMBARGOED UNTIL 00:01 2 JANUARY 2031\n\nLONDON - Story text.\n"
    (item,) = parse(story, zone=ZoneInfo("America/New_York"))
    assert item.embargo_until == datetime.datetime(2031, 1, 2, 5, 1, tzinfo=UTC)
    assert item.zone_assumed == ["embargo"]
    (named,) = parse(story.replace(b"00:01", b"00:01 GMT"), zone=ZoneInfo("America/New_York"))
    assert named.embargo_until == datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)
    assert named.zone_assumed == []


def test_embargo_line_without_a_readable_date_is_an_error():
    with pytest.raises(ParseError, match="embargo"):
        parse(b"EMBARGOED UNTIL further notice\n\nLONDON - Story text.\n")


def test_a_story_sentence_about_embargoes_is_body_text():
    (item,) = parse(b"Oil\n\nThe embargo on oil was lifted on Monday.\n")
    assert "embargo on oil" in item.body_html
    assert item.embargo_until is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("ERDOGAN CAGATAY ZONTUR", "Erdogan Cagatay Zontur"),
        ("SEAN O'NEIL", "Sean O'Neil"),
        ("RONALD MCDONALD", "Ronald McDonald"),
        ("JAN VAN DER BERG", "Jan van der Berg"),
        ("JEAN-PIERRE DE LA FONTAINE", "Jean-Pierre de la Fontaine"),
        ("Frances d'Emilio", "Frances d'Emilio"),
        ("Vincent van Gogh", "Vincent van Gogh"),
    ],
)
def test_names_in_capitals_are_turned_to_name_case(written, expected):
    assert name_case(written) == expected


@pytest.mark.parametrize(
    ("line", "bylines"),
    [
        ("*Writing by Erdogan Cagatay Zontur", [("Erdogan Cagatay Zontur", "writing", "")]),
        ("Writing by ERDOGAN CAGATAY ZONTUR", [("Erdogan Cagatay Zontur", "writing", "")]),
        ("Additional reporting by Ece Toksabay", [("Ece Toksabay", "additional_reporting", "")]),
        ("Photography by Lena Kim", [("Lena Kim", "photography", "")]),
        ("Translation by Ali Veli", [("Ali Veli", "translation", "")]),
        ("Translated by Ali Veli", [("Ali Veli", "translation", "")]),
        (
            "(Reporting by A Person in Paris and B Person; Editing by C Person)",
            [("A Person", "reporting", "Paris"), ("B Person", "reporting", ""),
             ("C Person", "editing", "")],
        ),
        ("(Reporting by Reuters Television)", []),
    ],
)  # fmt: skip
def test_credit_lines_give_people_roles_and_places(line, bylines):
    assert [(b.name, b.role, b.place) for b in credit_line(line)] == bylines


@pytest.mark.parametrize(
    "line", ["Writing by hand is a dying art.", "Editing by committee rarely works", "By the way"]
)
def test_sentences_that_merely_start_like_credits_are_not_credits(line):
    assert credit_line(line) is None
    (item,) = parse(f"Headline\n\n{line}\n".encode())
    assert item.bylines == []
    assert line in item.body_html


def test_a_file_with_only_metadata_lines_is_an_error():
    with pytest.raises(ParseError, match="no story text"):
        parse(b"*Writing by Jane Doe\n\nCopyright 2024 Example. All rights reserved.\n")
