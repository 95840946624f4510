"""ninjs as agencies send it: Superdesk's dialect (guid, version, byline, authors with roles,
source, service) and envelopes of ninjs items (the BBC's `{"total", "item": [...]}`, `items`,
`data`), where a bad entry is reported and the others are read; parser and loader."""

from __future__ import annotations

import copy
import datetime
import json
from pathlib import Path

import pytest

from articles.ingest import ParsedByline, ParsedItem, ParseError, UnreadItem, detect_format, parse
from articles.ingest.loader import Ingest
from articles.models import Article
from articles.rights import Right

FIXTURES = Path(__file__).parent / "fixtures" / "ninjs-agencies"
UTC = datetime.UTC
GUID = (
    "urn:newsml:superdesk.example.org:2026-06-03T08:14:22.118402:"
    "5b7e9c1a-3d2f-4a6b-8c9d-0e1f2a3b4c5d"
)


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def parse_json(data) -> list:
    return parse(json.dumps(data).encode(), name="feed.json")


# --- Superdesk ---------------------------------------------------------------------------------


def test_a_superdesk_item_is_read_with_its_guid_version_and_source():
    (item,) = parse((FIXTURES / "superdesk-v1.json").read_bytes())
    assert item.format == "ninjs"
    assert item.guid == GUID
    assert item.version == 1
    assert item.headline == "Harbour ferry services cut as crews strike over rosters"
    assert item.standfirst == "Commuters face delays as ferry crews walk off the job."
    assert item.version_created == datetime.datetime(2026, 6, 3, 8, 40, 5, tzinfo=UTC)
    assert item.provider == "AAP"
    assert item.section == "Australian General News"  # the service, not a subject
    assert item.keywords == ["transport", "labour", "ferries", "strike", "New South Wales"]
    assert item.slugline == "Harbour-Ferry"
    assert item.located == "Sydney"
    assert item.notice.holder == "Australian Associated Press"
    assert item.notice.all_rights_reserved
    assert item.territories == {"AU"}


def test_superdesk_authors_are_credited_with_their_roles_and_the_byline_adds_no_one_twice():
    (item,) = parse((FIXTURES / "superdesk-v1.json").read_bytes())
    assert item.bylines == [
        ParsedByline(name="Jane Doe", role="writing"),
        ParsedByline(name="John Roe", role="editing"),
        ParsedByline(name="Sam Lee", role="photography"),
    ]


def test_annotations_and_extra_fields_stay_out_of_the_body():
    (item,) = parse((FIXTURES / "superdesk-v1.json").read_bytes())
    assert "Desk: check" not in item.body_html
    assert "Transport" not in item.body_html
    assert "broken down" in item.body_html


def test_a_byline_string_alone_gives_the_bylines():
    data = {**fixture("superdesk-v1.json"), "authors": []}
    (item,) = parse_json(data)
    assert item.bylines == [
        ParsedByline(name="Jane Doe", role="writing"),
        ParsedByline(name="John Roe", role="writing"),
    ]
    (marked_up,) = parse_json({**data, "byline": "By <b>JANE DOE</b>, AAP"})
    assert marked_up.bylines == [ParsedByline(name="Jane Doe", role="writing")]


def test_authors_with_a_role_we_do_not_know_are_not_credited_and_those_with_none_write():
    authors = [{"name": "Pat Kim", "role": "designer"}, {"name": "Lee Park"}]
    (item,) = parse_json({**fixture("superdesk-v1.json"), "authors": authors, "byline": None})
    assert item.bylines == [ParsedByline(name="Lee Park", role="writing")]


def test_a_genre_other_than_the_default_is_a_keyword():
    (first,) = parse((FIXTURES / "superdesk-v1.json").read_bytes())
    (second,) = parse((FIXTURES / "superdesk-v2.json").read_bytes())
    assert "Article (news)" not in first.keywords
    assert second.keywords[-1] == "Analysis"


def test_the_anpa_category_names_the_section_when_there_is_no_service():
    data = {**fixture("superdesk-v1.json"), "service": None}
    data["anpa_category"] = [{"qcode": "f", "name": "Finance"}]
    (item,) = parse_json(data)
    assert item.section == "Finance"


def test_a_source_given_as_an_object_and_uri_before_guid():
    (item,) = parse_json(
        {"uri": "urn:a", "guid": "urn:b", "headline": "H", "source": {"name": "NTB"}}
    )
    assert (item.guid, item.provider) == ("urn:a", "NTB")


def test_description_html_is_the_standfirst_as_text_when_there_is_no_plain_one():
    data = {**fixture("superdesk-v1.json"), "description_text": None}
    data["description_html"] = "<p>Commuters <b>face</b> delays.</p>"
    (item,) = parse_json(data)
    assert item.standfirst == "Commuters face delays."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("authors", "Jane Doe", "expected a list or an object"),
        ("authors", ["Jane Doe"], "list of objects"),
        ("byline", ["By X"], "expected a string"),
        ("source", 7, "expected a string or an object"),
        ("service", [{"name": 1}], "expected a string"),
        ("keywords", [1], "list of strings"),
        ("version", "v2", "whole number"),
    ],
)
def test_superdesk_fields_of_the_wrong_type_name_item_and_field(field, value, message):
    data = {**fixture("superdesk-v1.json"), field: value}
    with pytest.raises(ParseError, match=message) as caught:
        parse(json.dumps(data).encode())
    assert caught.value.item == GUID
    assert caught.value.field.startswith(field)


# --- envelopes ---------------------------------------------------------------------------------


def test_the_bbc_envelope_reads_the_good_entry_and_reports_the_bad_one():
    data = (FIXTURES / "bbc-envelope.json").read_bytes()
    assert detect_format(data) == "ninjs"
    good, bad = parse(data, name="bbc.json")
    assert isinstance(good, ParsedItem)
    assert good.guid == "https://www.bbc.co.uk/news/articles/c0example1lo"
    assert good.headline == "Town's last bank branch to close in September"
    assert good.bylines == [ParsedByline(name="Alex Morgan", role="writing")]
    assert good.language == "en-gb"
    assert good.notice.holder == "BBC"
    assert json.loads(good.original)["uri"] == good.guid  # the entry alone
    assert isinstance(bad, UnreadItem)
    assert bad.guid == "https://www.bbc.co.uk/news/articles/c0example2lo"
    assert bad.error.field == "headline"
    assert bad.error.item == "#2 https://www.bbc.co.uk/news/articles/c0example2lo"
    assert "neither a headline nor a body" in str(bad.error)


@pytest.mark.parametrize("key", ["items", "data", "item"])
def test_other_envelopes_read_each_entry(key):
    entries = [{"uri": "urn:a", "headline": "First"}, {"headline": 5}, 7]
    first, second, third = parse_json({key: entries, "next": "page-2", "type": "feed"})
    assert isinstance(first, ParsedItem) and first.headline == "First"
    assert isinstance(second, UnreadItem) and second.guid == "#2"
    assert (second.error.item, second.error.field) == ("#2", "headline")
    assert isinstance(third, UnreadItem) and third.guid == "#3"
    assert "expected a ninjs object, got a number" in str(third.error)


def test_an_envelope_of_one_object_and_an_empty_envelope():
    (item,) = parse_json({"item": {"uri": "urn:one", "headline": "Only"}})
    assert item.guid == "urn:one"
    with pytest.raises(ParseError, match="'item' list is empty") as caught:
        parse_json({"total": 0, "item": []})
    assert caught.value.field == "item"


def test_a_ninjs_item_with_a_data_field_is_an_item_not_an_envelope():
    (item,) = parse_json({"uri": "urn:x", "headline": "H", "data": [{"uri": "urn:y"}]})
    assert item.guid == "urn:x"


def test_an_envelope_of_no_objects_is_refused_as_a_file():
    with pytest.raises(ParseError, match="expected a ninjs object, got a string"):
        parse_json({"items": ["a", "b"]})


ODD_VALUES = [None, 0, True, "", "x", [], [1], [None], [{}], {}, {"a": 1}, "<p>"]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_any_value_in_any_superdesk_field_is_read_or_refused_by_name(value):
    base = fixture("superdesk-v1.json")
    for field in [*base, "people", "infosources", "bodies", "headlines", "rightsinfo"]:
        data = {**copy.deepcopy(base), field: value}
        try:
            results, refusal = parse(json.dumps(data).encode()), None
        except ParseError as error:
            results, refusal = [], error
        if refusal is not None:
            # A refusal names the item: by its guid, unless the guid itself is what is odd.
            assert refusal.item == GUID or field == "guid", field
        else:
            assert all(isinstance(r, ParsedItem | UnreadItem) for r in results)


# --- stored ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_version_two_updates_version_one_rather_than_making_a_second_article():
    (first,) = Ingest().data((FIXTURES / "superdesk-v1.json").read_bytes(), name="v1.json")
    assert first.status == "created"
    assert first.guid == GUID
    (second,) = Ingest().data((FIXTURES / "superdesk-v2.json").read_bytes(), name="v2.json")
    assert second.status == "updated"
    assert second.id == first.id
    assert Article.objects.count() == 1
    article = Article.objects.get(pk=first.id)
    assert article.headline.startswith("Harbour ferry services cut for second day")
    assert article.wire_version == 2
    assert article.source.name == "Australian Associated Press"
    assert article.copyright_holder == "Australian Associated Press"
    assert [(b.person.name, b.role) for b in article.bylines.order_by("order")] == [
        ("Jane Doe", "writing"),
        ("John Roe", "editing"),
        ("Sam Lee", "photography"),
    ]
    (again,) = Ingest().data((FIXTURES / "superdesk-v1.json").read_bytes(), name="v1.json")
    assert again.status == "unchanged"  # an older version changes nothing


@pytest.mark.django_db
def test_a_superdesk_item_with_only_a_source_names_its_provider():
    data = {**fixture("superdesk-v1.json"), "copyrightholder": None, "copyrightnotice": None}
    (report,) = Ingest().data(json.dumps(data).encode(), name="sd.json")
    assert report.status == "created", report.error
    assert Article.objects.get(pk=report.id).source.name == "AAP"


@pytest.mark.django_db
def test_the_loader_stores_the_good_bbc_entry_and_reports_the_bad_one_by_guid():
    data = (FIXTURES / "bbc-envelope.json").read_bytes()
    good, bad = Ingest().data(data, name="bbc-envelope.json")
    assert good.status == "created"
    article = Article.objects.get(pk=good.id)
    assert article.headline == "Town's last bank branch to close in September"
    assert article.copyright_holder == "BBC"
    assert article.guid == "https://www.bbc.co.uk/news/articles/c0example1lo"
    assert [b.person.name for b in article.bylines.all()] == ["Alex Morgan"]
    assert not article.grants(Right.REDISTRIBUTE)
    assert bad.status == "error"
    assert bad.guid == "https://www.bbc.co.uk/news/articles/c0example2lo"
    assert bad.error.startswith("bbc-envelope.json: ")
    assert "field headline" in bad.error
    assert Article.objects.count() == 1
