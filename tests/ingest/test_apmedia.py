"""AP Media API JSON: item and feed responses, items with and without their text, AP's usage terms,
versions, and JSON of the wrong shape; through the parser, the loader and `ingest --json`."""

from __future__ import annotations

import copy
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.ingest import ParsedByline, ParsedItem, ParseError, UnreadItem, detect_format, parse
from articles.ingest.loader import Ingest
from articles.models import Article
from articles.rights import Right

FIXTURES = Path(__file__).parent / "fixtures" / "apmedia"
UTC = datetime.UTC
ITEM_ID = "5c1e9a7f0b2d4e6f8a9b0c1d2e3f4a5b"
AP_TERMS = "This material may not be published, broadcast, rewritten or redistributed."


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def parse_json(data, *, name: str = "ap.json") -> list:
    return parse(json.dumps(data).encode(), name=name)


def minimal(**fields) -> dict:
    """A bare AP item with text: the fields the tests below change, and no more."""
    return {
        "altids": {"itemid": "0123456789abcdef0123456789abcdef"},
        "version": 0,
        "type": "text",
        "headline": "Minimal AP item",
        "body_html": "<p>One paragraph of story text.</p>",
        "copyrightnotice": "Copyright 2026 The Associated Press. All rights reserved.",
        **fields,
    }


# --- telling it from the content -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["item-nitf.json", "feed-three-items.json", "item-spanish.json", "item-rendition-only.json"],
)
def test_ap_files_are_told_from_their_content(name):
    assert detect_format((FIXTURES / name).read_bytes()) == "apmedia"


def test_a_feed_entry_saved_alone_is_ap_and_plain_ninjs_is_not():
    entry = fixture("feed-three-items.json")["data"]["items"][0]
    assert detect_format(json.dumps(entry).encode()) == "apmedia"
    assert detect_format(json.dumps({"uri": "urn:x", "headline": "H"}).encode()) == "ninjs"
    assert detect_format(json.dumps({"data": [{"uri": "urn:x"}]}).encode()) == "ninjs"


@pytest.mark.parametrize("shape", ["list", "items", "data"])
def test_ap_items_saved_together_are_ap_and_read_one_by_one(shape):
    entries = [e["item"] for e in fixture("feed-three-items.json")["data"]["items"]]
    data = entries if shape == "list" else {shape: entries}
    encoded = json.dumps(data).encode()
    assert detect_format(encoded) == "apmedia"
    first, second, third = parse(encoded)
    assert first.guid == "urn:publicid:ap.org:0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a"
    assert isinstance(second, UnreadItem)
    assert third.headline == "Minor league team unveils new name after fan vote"


# --- the item response -------------------------------------------------------------------------


def test_an_item_with_nitf_text_is_read_with_its_metadata():
    (item,) = parse((FIXTURES / "item-nitf.json").read_bytes(), name="item-nitf.json")
    assert item.format == "apmedia"
    assert item.guid == f"urn:publicid:ap.org:{ITEM_ID}"
    assert item.version == 2
    assert item.headline == "Rivers rise across the Midwest as storms stall over the plains"
    assert not item.headline_is_working
    assert item.standfirst.startswith("Rivers across Iowa and Nebraska rose")
    assert item.language == "en"
    assert item.version_created == datetime.datetime(2026, 5, 12, 18, 41, 7, tzinfo=UTC)
    assert item.zone_assumed == []
    assert item.slugline == "BC-US--Midwest Flooding"
    assert item.located == item.dateline == "Des Moines, Iowa"
    assert item.bylines == [
        ParsedByline(name="Maria Gonzalez", role="writing"),
        ParsedByline(name="Tom O'Brien", role="writing"),
    ]
    assert item.provider == "AP"
    assert item.keywords == ["Weather", "General news", "Floods", "Severe weather", "AP Top News"]
    assert item.section == ""
    assert not item.killed
    assert "Rivers across Iowa and Nebraska rose toward record levels" in item.body_html
    assert "<p>" in item.body_html and "body.content" not in item.body_html
    assert "Eds:" not in item.body_html  # the editor's note is for the desk, not the story
    assert item.original == (FIXTURES / "item-nitf.json").read_text()


def test_ap_usage_terms_deny_all_four_rights():
    (item,) = parse((FIXTURES / "item-nitf.json").read_bytes())
    assert item.notice.holder == "The Associated Press"
    assert item.notice.year == 2026
    assert item.notice.all_rights_reserved
    assert item.notice.usage_terms == AP_TERMS
    assert item.notice.prohibited == set(Right)
    assert item.notice.unrecognised == ""


def test_usage_terms_as_a_string_are_read_as_a_list_of_one():
    (item,) = parse_json(minimal(usageterms=AP_TERMS))
    assert item.notice.usage_terms == AP_TERMS
    assert item.notice.prohibited == set(Right)


def test_an_item_in_spanish_keeps_its_language_and_name_case_byline():
    (item,) = parse((FIXTURES / "item-spanish.json").read_bytes())
    assert item.language == "es"
    assert item.headline == "Lluvias torrenciales dejan inundaciones en el centro de México"
    assert item.bylines == [ParsedByline(name="Ana Lucía Pérez", role="writing")]
    assert item.located == "Ciudad de México"
    assert item.keywords == ["Clima"]
    assert "Protección Civil" in item.body_html
    assert item.notice.holder == "The Associated Press"
    assert item.notice.all_rights_reserved  # "Todos los derechos reservados"
    # AP's terms in Spanish forbid what its English ones do, and nothing is left unread.
    assert "Este material no puede ser publicado" in item.notice.usage_terms
    assert item.notice.prohibited == set(Right)
    assert item.notice.unrecognised == ""


def test_located_falls_back_to_the_dateline_location():
    (item,) = parse_json(minimal(datelinelocation={"city": "Tulsa", "countryareaname": "Oklahoma"}))
    assert item.located == "Tulsa, Oklahoma"


def test_the_guid_is_stable_across_versions_whichever_id_the_file_gives():
    by_itemid = parse_json(minimal())[0].guid
    etag_only = minimal(altids={"etag": "0123456789abcdef0123456789abcdef_0a3aza0c0"}, version=3)
    uri_only = minimal(
        altids={}, uri="https://api.ap.org/media/v/content/0123456789abcdef0123456789abcdef?qt=1"
    )
    assert by_itemid == "urn:publicid:ap.org:0123456789abcdef0123456789abcdef"
    assert parse_json(etag_only)[0].guid == by_itemid
    assert parse_json(uri_only)[0].guid == by_itemid
    (friendly,) = parse_json(minimal(altids={"friendlykey": 7391045528113}))
    assert friendly.guid == "urn:publicid:ap.org:friendlykey:7391045528113"


# --- items without their text ------------------------------------------------------------------


def test_an_item_whose_text_is_only_a_rendition_is_unread_and_says_where_the_text_is():
    (unread,) = parse((FIXTURES / "item-rendition-only.json").read_bytes(), name="ap.json")
    assert isinstance(unread, UnreadItem)
    assert unread.guid == "urn:publicid:ap.org:3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d"
    assert unread.error.field == "renditions.nitf.href"
    message = str(unread.error)
    assert "not in this file" in message
    assert "https://api.ap.org/media/v/content/3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d/download" in message
    assert "Senate panel advances farm bill" in message


def test_a_main_rendition_is_named_when_there_is_no_nitf_one():
    data = minimal(body_html=None, renditions={"main": {"href": "https://api.ap.org/x/main"}})
    (unread,) = parse_json(data)
    assert unread.error.field == "renditions.main.href"
    assert "https://api.ap.org/x/main" in str(unread.error)


def test_a_picture_item_is_unread_as_no_text_story():
    (unread,) = parse_json(minimal(type="picture", body_html=None))
    assert isinstance(unread, UnreadItem)
    assert unread.error.field == "type"
    assert "picture item, not a text story" in str(unread.error)


def test_an_item_with_no_text_and_no_rendition_says_so():
    (unread,) = parse_json(minimal(body_html=None))
    assert unread.error.field == "renditions"
    assert "links to no text rendition" in str(unread.error)


# --- the feed response -------------------------------------------------------------------------


def test_a_feed_of_three_with_one_lacking_text_gives_two_items_and_one_unread():
    first, second, third = parse((FIXTURES / "feed-three-items.json").read_bytes())
    assert isinstance(first, ParsedItem) and isinstance(third, ParsedItem)
    assert first.headline == "School board approves later start times for high schools"
    assert first.version == 0
    assert third.bylines == [
        ParsedByline(name="Rachel Stone", role="writing"),
        ParsedByline(name="Luis Ortega", role="writing"),
    ]
    assert isinstance(second, UnreadItem)
    assert second.guid == "urn:publicid:ap.org:1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b"
    assert second.error.item == "#2 urn:publicid:ap.org:1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b"
    # Each stored item's original is that item alone, readable again on its own.
    (again,) = parse(first.original.encode())
    assert again.guid == first.guid and again.headline == first.headline


def test_a_bad_feed_entry_is_unread_and_the_others_are_read():
    feed = fixture("feed-three-items.json")
    feed["data"]["items"][0]["item"]["headline"] = 7
    feed["data"]["items"].insert(1, "not an entry")
    bad_type, not_entry, unread, good = parse_json(feed)
    assert isinstance(bad_type, UnreadItem)
    assert (bad_type.error.field, bad_type.guid) == (
        "headline",
        "urn:publicid:ap.org:0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a",
    )
    assert isinstance(not_entry, UnreadItem)
    assert (not_entry.guid, not_entry.error.field) == ("#2", "data.items[1]")
    assert isinstance(unread, UnreadItem)
    assert isinstance(good, ParsedItem)


# --- status, signals, embargo --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "killed"), [("canceled", True), ("withheld", True), ("usable", False)]
)
def test_canceled_and_withheld_items_are_killed(status, killed):
    (item,) = parse_json(minimal(pubstatus=status))
    assert item.killed is killed


def test_an_embargoed_item_gives_its_release_time():
    (item,) = parse_json(minimal(pubstatus="embargoed", embargoed="2026-06-01T04:00:00Z"))
    assert item.embargo_until == datetime.datetime(2026, 6, 1, 4, tzinfo=UTC)
    assert not item.killed


def test_an_embargoed_status_without_a_time_is_refused():
    with pytest.raises(ParseError, match="no embargoed time") as caught:
        parse_json(minimal(pubstatus="embargoed"))
    assert caught.value.field == "embargoed"


def test_an_advisory_without_the_newscontent_signal_may_not_be_published():
    (advisory,) = parse_json(minimal(signals=["update"]))
    assert Right.PUBLISH in advisory.notice.prohibited
    (news,) = parse_json(minimal(signals=["newscontent", "update"], copyrightnotice=None))
    assert Right.PUBLISH not in news.notice.prohibited


def test_an_editors_note_that_states_terms_is_read_as_terms_and_others_are_not():
    (item,) = parse_json(minimal(copyrightnotice=None, ednote="Eds: UPDATES with byline."))
    assert item.notice.is_empty
    (terms,) = parse_json(minimal(copyrightnotice=None, ednote=AP_TERMS))
    assert terms.notice.prohibited == set(Right)


def test_an_nitf_body_content_alone_and_nitf_in_body_html_are_read():
    fragment = (
        "<body.content><p>First.</p><p>Copyright 2026 The Associated Press.</p></body.content>"
    )
    (item,) = parse_json(minimal(body_html=None, body_nitf=fragment))
    assert item.body_html == "<p>First.</p>"
    assert item.notice.year == 2026
    document = "<nitf><body><body.content><p>Second.</p></body.content></body></nitf>"
    (again,) = parse_json(minimal(body_html=document))
    assert again.body_html == "<p>Second.</p>"


def test_an_nitf_headline_and_byline_are_used_when_the_metadata_has_none():
    document = (
        "<nitf><body><body.head><hedline><hl1>From the NITF</hl1></hedline>"
        "<byline>By KIM PARK</byline></body.head>"
        "<body.content><p>Text.</p></body.content></body></nitf>"
    )
    (item,) = parse_json(minimal(headline=None, body_html=None, body_nitf=document))
    assert item.headline == "From the NITF"
    assert item.bylines == [ParsedByline(name="Kim Park", role="writing")]


def test_plain_body_text_is_made_paragraphs_and_a_closing_notice_taken_out():
    text = "First paragraph.\n\nSecond paragraph.\n\nCopyright 2026 The Associated Press."
    (item,) = parse_json(minimal(body_html=None, body_text=text, copyrightnotice=None))
    assert item.body_html == "<p>First paragraph.</p><p>Second paragraph.</p>"
    assert item.notice.holder == "The Associated Press"


def test_times_without_a_zone_are_read_in_the_source_zone_and_noted():
    (item,) = parse_json(minimal(versioncreated="2026-05-12T18:41:07"))
    assert item.version_created == datetime.datetime(2026, 5, 12, 18, 41, 7, tzinfo=UTC)
    assert item.zone_assumed == ["versioncreated"]


# --- the wrong shapes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"api_version": "2.6", "error": {"status": 401, "message": "Unauthorized"}}, "error",
         "error response, not content: Unauthorized"),
        ({"api_version": "2.6", "data": {"item": "x"}}, "data.item", "expected an object"),
        ({"api_version": "2.6", "data": {}}, "data", "no item"),
        ({"data": {"items": []}}, "data.items", "no items"),
        (minimal(headline=["H"]), "headline", "expected a string, got a list"),
        (minimal(altids="abc"), "altids", "expected an object"),
        (minimal(version="two"), "version", "whole number"),
        (minimal(bylines="By X"), "bylines", "expected a list"),
        (minimal(bylines=[{"by": 5}]), "bylines[0].by", "expected a string"),
        (minimal(usageterms=[1]), "usageterms", "list of strings"),
        (minimal(subject=["Weather"]), "subject", "list of objects"),
        (minimal(versioncreated="yesterday"), "versioncreated", "not a date"),
        (minimal(body_html=None, body_nitf="<nitf><body>"), "body_nitf", "cannot be read"),
        (minimal(datelinelocation={"city": 3}), "datelinelocation.city", "expected a string"),
        (minimal(renditions={"nitf": {"href": False}}, body_html=None), "renditions.nitf.href",
         "expected a string"),
    ],
)  # fmt: skip
def test_json_of_the_wrong_shape_names_the_field(data, field, message):
    with pytest.raises(ParseError, match=message) as caught:
        parse(json.dumps(data).encode(), format="apmedia", name="ap.json")
    assert caught.value.field == field


def test_an_item_that_is_not_an_object_is_refused():
    with pytest.raises(ParseError, match="expected an AP Media API object"):
        parse(b"[1, 2]", format="apmedia", name="ap.json")


# --- stored ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_loader_stores_the_item_with_ap_rights_denied():
    data = (FIXTURES / "item-nitf.json").read_bytes()
    (report,) = Ingest().data(data, name="item-nitf.json")
    assert report.status == "created"
    article = Article.objects.get(pk=report.id)
    assert article.guid == f"urn:publicid:ap.org:{ITEM_ID}"
    assert article.headline == "Rivers rise across the Midwest as storms stall over the plains"
    assert article.copyright_holder == "The Associated Press"
    assert article.source.name == "The Associated Press"
    assert not any(article.grants(right) for right in Right)
    assert article.rights_settled
    assert article.wire_format == "apmedia"
    assert [(b.person.name, b.role) for b in article.bylines.order_by("order")] == [
        ("Maria Gonzalez", "writing"),
        ("Tom O'Brien", "writing"),
    ]
    (again,) = Ingest().data(data, name="item-nitf.json")
    assert again.status == "unchanged"


@pytest.mark.django_db
def test_a_newer_ap_version_updates_the_stored_item_and_an_older_one_does_not():
    feed = fixture("feed-three-items.json")
    entry = feed["data"]["items"][0]["item"]
    (created,) = Ingest().data(json.dumps(entry).encode(), name="v0.json")
    newer = copy.deepcopy(entry)
    newer.update(version=1, headline="School board approves later start times, 5-2")
    (updated,) = Ingest().data(json.dumps(newer).encode(), name="v1.json")
    assert updated.status == "updated" and updated.id == created.id
    assert Article.objects.get(pk=created.id).headline == newer["headline"]
    (stale,) = Ingest().data(json.dumps({**entry, "headline": "Stale"}).encode(), name="v0b.json")
    assert stale.status == "unchanged"
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_a_cancellation_without_text_kills_the_stored_item():
    entry = fixture("feed-three-items.json")["data"]["items"][0]["item"]
    (created,) = Ingest().data(json.dumps(entry).encode(), name="v0.json")
    cancel = {k: v for k, v in entry.items() if k != "body_html"}
    cancel.update(version=1, pubstatus="canceled")
    (killed,) = Ingest().data(json.dumps(cancel).encode(), name="kill.json")
    assert killed.status == "updated" and killed.id == created.id
    assert Article.objects.get(pk=created.id).status == Article.Status.KILLED


def test_a_cancellation_without_text_or_headline_is_still_read():
    (item,) = parse_json(minimal(pubstatus="withheld", body_html=None, headline=None))
    assert item.killed
    assert item.headline == "AP item urn:publicid:ap.org:0123456789abcdef0123456789abcdef, withheld"
    assert item.body_html == ""


@pytest.mark.django_db
def test_the_loader_stores_two_of_the_feed_and_reports_the_third():
    data = (FIXTURES / "feed-three-items.json").read_bytes()
    reports = list(Ingest().data(data, name="feed.json"))
    assert [r.status for r in reports] == ["created", "error", "created"]
    error = reports[1]
    assert error.guid == "urn:publicid:ap.org:1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b"
    assert error.error.startswith("feed.json: ")
    assert "field renditions.nitf.href" in error.error
    assert Article.objects.count() == 2
    assert {a.headline for a in Article.objects.all()} == {
        "School board approves later start times for high schools",
        "Minor league team unveils new name after fan vote",
    }


@pytest.mark.django_db
def test_ingest_json_reports_the_feed_item_by_item():
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "ingest", "--json", str(FIXTURES / "feed-three-items.json"), stdout=out, stderr=err
        )
    assert exited.value.code == 1  # one item failed; the others are stored
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["status"] for line in lines] == ["created", "error", "created"]
    assert lines[0]["copyright_holder"] == "The Associated Press"
    assert lines[0]["rights"] == {right.value: False for right in Right}
    assert lines[0]["bylines"] == [{"name": "Priya Nair", "role": "writing"}]
    assert lines[1]["guid"] == "urn:publicid:ap.org:1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b"
    assert "renditions.nitf.href" in lines[1]["error"]


def read_or_refusal(data) -> tuple[list, ParseError | None]:
    try:
        return parse(json.dumps(data).encode(), format="apmedia", name="ap.json"), None
    except ParseError as error:
        return [], error


ODD_VALUES = [None, 0, 2.5, True, "", "x", [], [1], [None], [{}], {}, {"a": 1}, "<p>"]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
def test_any_value_in_any_field_is_read_or_refused_by_name_never_a_crash(value):
    base = fixture("item-nitf.json")
    fields = [*base["data"]["item"], "body_html", "body_text", "photographer", "provider"]
    for field in fields:
        data = copy.deepcopy(base)
        data["data"]["item"][field] = value
        results, refusal = read_or_refusal(data)
        if refusal is not None:
            assert refusal.item, field  # a refusal names the item (its guid, else the file)
        else:
            assert all(isinstance(r, ParsedItem | UnreadItem) for r in results)


@pytest.mark.parametrize(
    "data",
    [
        {"data": 1},
        {"data": {"items": [None, 3, []]}},
        {"item": {"altids": {}}},
        {"data": {"item": None}},
    ],
    ids=repr,
)
def test_odd_envelopes_are_refused_or_reported_by_entry(data):
    results, refusal = read_or_refusal(data)
    if refusal is None:
        assert results and all(isinstance(r, UnreadItem) for r in results)
