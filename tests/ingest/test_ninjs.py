"""ninjs 1.x, 2.x and 3.x: the IPTC examples, both spellings of each field, and wrong shapes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from articles.ingest import ParsedByline, ParseError, UnreadItem, parse

EXAMPLES = Path(__file__).parent.parent / "conformance" / "ninjs" / "examples"
UTC = datetime.UTC


def parse_example(name: str):
    (item,) = parse((EXAMPLES / name).read_bytes(), name=name)
    return item


def parse_json(data) -> list:
    return parse(json.dumps(data).encode())


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_dpa_example_reads_in_both_spellings(version):
    item = parse_example(f"{version}-dpa_text.json")
    assert item.format == "ninjs"
    assert item.guid == "urn:newsml:dpa.com:20090101:190510-99-167362"
    assert item.headline == "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?"
    assert item.version == 2
    assert item.version_created == datetime.datetime(2019, 5, 10, 14, 2, 28, tzinfo=UTC)
    assert item.language == "de"
    assert item.notice.holder == "dpa"
    assert item.notice.year == 2019
    assert item.notice.all_rights_reserved
    assert item.bylines == [ParsedByline(name="Christian Hollmann", role="writing")]
    assert item.provider == "dpa"
    assert "Für Lucien Favre" in item.body_html
    assert "Copyright" not in item.body_html
    assert item.original == (EXAMPLES / f"{version}-dpa_text.json").read_text()


@pytest.mark.parametrize("version", ["2.1", "3.0"])
def test_ntb_example_without_body_keeps_headline_and_description(version):
    item = parse_example(f"{version}-ntb_text.json")
    assert item.guid == "urn:8d19cf88-b3ab-4972-8fec-1207599f2872"
    assert item.headline == "Google har kjøpt giganttomt i Skien"
    assert item.standfirst.startswith("IT-giganten Google har kjøpt en tomt")
    assert item.language == "nb-NO"
    assert item.version == 6
    assert item.notice.holder == "NTB"
    assert item.slugline == "skien-google"
    assert item.section == ""  # subjects are keywords, and make no section
    assert item.keywords == ["Innenriks", "Teknologi", "Industri", "Olje og energi"]
    assert item.body_html == ""


@pytest.mark.parametrize("name", ["2.1-ninjsExSimpleText_2.json", "3.0-ninjsExSimpleText_3.json"])
def test_simple_text_example_prefers_the_html_body_and_splits_the_byline(name):
    item = parse_example(name)
    assert item.guid == "http://ninjs.example.com/newsitems/20130709simp123"
    assert item.headline == "Captain of wrecked cruise ship on trial in Italy"
    assert item.body_html.count("<p>") == 4
    assert "<body>" not in item.body_html
    assert item.bylines == [
        ParsedByline(name="Paulo Santalucia", role="writing"),
        ParsedByline(name="Frances d'Emilio", role="writing"),
    ]


def test_tt_example_takes_html5_body_and_does_not_credit_people_the_story_is_about():
    item = parse_example("3.0-tt_text_image_3.json")
    assert item.headline == "Militärövning i jätteformat hålls 2023"
    assert item.language == "sv"
    assert item.notice.holder == "TT"
    assert item.slugline == "militärövning"
    assert "Pandemin satte stopp" in item.body_html
    assert "<head>" not in item.body_html
    assert item.bylines == []  # Jonas Svensson is quoted, not an author


def test_encoded_rights_we_cannot_read_leave_the_item_unsettled():
    item = parse_example("3.0-imageEncodedRights.json")
    assert item.headline == "MotoGP - Spain - Valentino Rossi"
    assert "odrl" in item.notice.usage_terms
    assert item.notice.unrecognised
    assert item.bylines == [ParsedByline(name="John Smith", role="writing")]


def test_ninjs_1_fields_are_read():
    (item,) = parse_json(
        {
            "uri": "urn:example:1",
            "headline": "Old-style item",
            "body_html": "<p>Story.</p><p>© Example Agency 2015</p>",
            "description_text": "A summary.",
            "embargoed": "2031-01-02T00:01:00+01:00",
            "pubstatus": "withheld",
            "located": "Oslo",
            "copyrightholder": "Example Agency",
            "usageterms": "Not for use outside Norway.",
            "subject": [{"name": "Politics", "code": "11000000"}],
            "person": [{"name": "KARI NORDMANN", "rel": "author"}, {"name": "Quoted Person"}],
            "infosource": [{"name": "Example Wire"}],
        }
    )
    assert item.headline == "Old-style item"
    assert item.body_html == "<p>Story.</p>"
    assert item.standfirst == "A summary."
    assert item.embargo_until == datetime.datetime(2031, 1, 1, 23, 1, tzinfo=UTC)
    assert item.killed
    assert item.located == "Oslo"
    assert item.section == ""
    assert item.keywords == ["Politics"]
    assert item.territories == {"NO"}
    assert item.notice.year == 2015
    assert item.bylines == [ParsedByline(name="Kari Nordmann", role="writing")]
    assert item.provider == "Example Wire"


def test_ninjs_3_embargo_bodies_and_cancelled_status_are_read():
    (item,) = parse_json(
        {
            "uri": "urn:example:3",
            "headlines": [{"role": "short", "value": "Short"}, {"role": "main", "value": "Main"}],
            "bodies": [{"role": "text", "contentType": "text/plain", "value": "One.\n\nTwo."}],
            "embargoedUntil": "2031-01-02T00:01:00Z",
            "pubStatus": "canceled",
            "people": [{"name": "Ola Nordmann", "rel": "photographer"}],
            "infoSources": [{"name": "NTB", "role": "originfo"}],
        }
    )
    assert item.headline == "Main"
    assert item.body_html == "<p>One.</p><p>Two.</p>"
    assert item.embargo_until == datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)
    assert item.killed
    assert item.bylines == [ParsedByline(name="Ola Nordmann", role="photography")]
    assert item.provider == "NTB"


def test_subjects_are_keywords_and_only_a_subject_marked_section_names_the_section():
    (item,) = parse_json(
        {
            "uri": "urn:example:subjects",
            "headline": "Subjects",
            "subjects": [
                {"name": "Economy", "uri": "http://cv.iptc.org/newscodes/mediatopic/04000000"},
                {"name": "Business", "rel": "section"},
                {"name": " central   bank "},
                {"name": "economy"},  # the same keyword again, in another case
                {"literal": "20000350"},  # a code with no name is no keyword
            ],
        }
    )
    assert item.section == "Business"
    assert item.keywords == ["Economy", "central bank"]


def test_a_list_of_objects_gives_one_item_each():
    items = parse_json(
        [{"uri": "urn:a", "headline": "First"}, {"uri": "urn:b", "headline": "Second"}]
    )
    assert [i.guid for i in items] == ["urn:a", "urn:b"]
    assert json.loads(items[1].original)["headline"] == "Second"


def test_missing_headline_takes_the_first_sentence_of_the_body():
    (item,) = parse_json({"uri": "urn:x", "body_text": "Lead sentence here. Then more."})
    assert item.headline == "Lead sentence here"
    assert item.headline_is_working


def test_an_embargo_without_a_timezone_is_read_in_the_source_zone_and_noted():
    data = {"uri": "urn:x", "headline": "H", "embargoedUntil": "2031-01-02T00:01:00"}
    (berlin,) = parse(json.dumps(data).encode(), zone=ZoneInfo("Europe/Berlin"))
    assert berlin.embargo_until == datetime.datetime(2031, 1, 1, 23, 1, tzinfo=datetime.UTC)
    assert berlin.zone_assumed == ["embargoedUntil"]
    (utc,) = parse_json(data)
    assert utc.embargo_until == datetime.datetime(2031, 1, 2, 0, 1, tzinfo=datetime.UTC)
    (zoned,) = parse_json({**data, "embargoedUntil": "2031-01-02T00:01:00+01:00"})
    assert zoned.zone_assumed == []


@pytest.mark.parametrize(
    ("data", "item", "field", "message"),
    [
        (42, "the file", "", "expected a ninjs object, got a number"),
        (["a", "b"], "#1", "", "expected a ninjs object, got a string"),
        ({"uri": "urn:x"}, "urn:x", "headline", "neither a headline nor a body"),
        ({"uri": "urn:x", "headline": 7}, "urn:x", "headline", "expected a string, got a number"),
        ({"uri": "urn:x", "headlines": "H"}, "urn:x", "headlines", "expected a list"),
        ({"uri": "urn:x", "headlines": ["H"]}, "urn:x", "headlines", "list of objects"),
        ({"uri": "urn:x", "headline": "H", "version": "2.b"}, "urn:x", "version", "whole number"),
        ({"uri": "urn:x", "headline": "H", "versioncreated": "soon"}, "urn:x", "versioncreated",
         "not a date"),
        ([], "", "", "list is empty"),
    ],
)  # fmt: skip
def test_json_of_the_wrong_shape_names_item_and_field(data, item, field, message):
    with pytest.raises(ParseError, match=message) as caught:
        parse_json(data)
    assert caught.value.item == item
    assert caught.value.field == field


def test_a_bad_entry_of_a_list_is_unread_and_the_good_ones_are_still_read():
    good, bad = parse_json([{"uri": "urn:ok", "headline": "H"}, {"uri": "urn:x"}])
    assert good.guid == "urn:ok"
    assert isinstance(bad, UnreadItem)
    assert bad.guid == "urn:x"
    assert (bad.error.item, bad.error.field) == ("#2 urn:x", "headline")
    assert "neither a headline nor a body" in str(bad.error)


def test_truncated_json_reports_line_and_column():
    data = (EXAMPLES / "3.0-dpa_text.json").read_bytes()[:300]
    with pytest.raises(ParseError, match=r"not valid JSON at line \d+, column \d+"):
        parse(data, name="cut.json")
