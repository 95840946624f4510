"""RSS 2.0, RSS 1.0 and Atom feeds with full text: told from the content, each entry an item, a
bad entry an UnreadItem beside the others, headline-only feeds said to be so, and no XML trick."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from articles.ingest import ParsedByline, ParsedItem, ParseError, UnreadItem, detect_format, parse

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
FIXTURES = Path(__file__).parent / "fixtures"
UTC = datetime.UTC


def read(name: str, **options) -> list[ParsedItem | UnreadItem]:
    return parse((FEEDS / name).read_bytes(), name=name, **options)


def by_guid(items) -> dict[str, ParsedItem | UnreadItem]:
    return {item.guid: item for item in items}


def rss(items: str, *, channel: str = "") -> bytes:
    return (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        f"{channel}{items}</channel></rss>"
    ).encode()


def entry(guid: str, *, extra: str = "", text: str = "<p>Text.</p>") -> str:
    return (
        f"<item><title>Story {guid}</title><guid>{guid}</guid>{extra}"
        f"<content:encoded><![CDATA[{text}]]></content:encoded></item>"
    )


@pytest.mark.parametrize(
    "name", ["rss-full-text.xml", "atom-full-text.xml", "rss1-full-text.rdf", "rss-headlines.xml"]
)
def test_feeds_are_told_from_the_content(name):
    assert detect_format((FEEDS / name).read_bytes()) == "feed"


def test_an_xml_document_named_feed_outside_the_atom_namespace_is_not_a_feed():
    with pytest.raises(ParseError, match="unrecognised XML"):
        detect_format(b"<feed><entry/></feed>")


def test_an_rss_entry_quoting_nitf_is_still_a_feed():
    data = rss(entry("urn:x:1", text="<p>The &lt;nitf&gt; element</p><nitf>"))
    assert detect_format(data) == "feed"


def test_rss_full_text_entries_become_items():
    items = by_guid(read("rss-full-text.xml"))
    strike = items["urn:harbour:story:4471"]
    assert isinstance(strike, ParsedItem)
    assert strike.format == "feed"
    assert strike.headline == "Ferry strike ends after nine days"
    assert strike.body_html.startswith("<p>OBAN (Harbour Wire) - Ferry crews voted")
    assert "Sailings to the islands" in strike.body_html
    assert "All rights reserved" not in strike.body_html  # the notice paragraph is the notice's
    assert strike.standfirst == "Crews return to work on Friday."
    assert strike.bylines == [
        ParsedByline(name="Mairi Campbell", role="writing"),
        ParsedByline(name="Tom Okafor", role="writing"),
    ]
    assert strike.keywords == ["Transport", "Labour"]  # each once, whatever its case
    assert strike.version_created == datetime.datetime(2025, 1, 2, 10, 4, tzinfo=UTC)
    assert strike.zone_assumed == []
    assert strike.language == "en-gb"
    assert strike.notice.holder == "Harbour Wire"
    assert strike.notice.year == 2025
    assert strike.notice.all_rights_reserved
    assert strike.provider == "Harbour Wire"


def test_an_rss_author_address_gives_its_name_and_item_rights_win_over_the_channels():
    council = by_guid(read("rss-full-text.xml"))["https://wire.harbour.example/story/4472"]
    assert council.bylines == [ParsedByline(name="Ana Ruiz", role="writing")]
    assert council.territories == {"GB"}
    assert not council.notice.all_rights_reserved  # the item's own line, not the channel's


def test_an_entry_with_a_bad_date_is_unread_and_the_others_are_read():
    items = read("rss-full-text.xml")
    assert [type(i).__name__ for i in items] == ["ParsedItem", "ParsedItem", "UnreadItem"]
    bad = items[2]
    assert bad.guid == "urn:harbour:story:4473"
    assert bad.error.item == "urn:harbour:story:4473"
    assert bad.error.field == "pubDate"
    assert "the second of January" in str(bad.error)


def test_atom_html_and_xhtml_content_become_bodies():
    items = by_guid(read("atom-full-text.xml"))
    markets = items["tag:northline.example,2025:story/9001"]
    assert markets.headline == "Markets rally as rates hold"  # type="html": tags taken out
    assert markets.body_html.startswith("<p>STOCKHOLM (Northline) - Shares rose")
    assert markets.standfirst == "Shares rose across Europe."
    assert markets.bylines == [
        ParsedByline(name="Lena Berg", role="writing"),
        ParsedByline(name="Omar Haddad", role="additional_reporting"),
    ]
    assert markets.keywords == ["Markets", "economy"]  # label, else term
    assert markets.version_created == datetime.datetime(2025, 3, 4, 8, 12, tzinfo=UTC)
    assert markets.language == "en"
    assert markets.notice.holder == "Northline News Agency"
    assert markets.notice.all_rights_reserved  # the feed's <rights>
    bridge = items["tag:northline.example,2025:story/9002"]
    assert bridge.body_html == (
        "<p>The <strong>old bridge</strong> reopened at dawn.</p><p>Engineers found no new "
        "cracks.</p>"
    )
    assert "xmlns" not in bridge.body_html
    assert bridge.notice.excluded_territories == {"US"}
    assert bridge.bylines == []  # the feed's author is an agency: the provider, not a byline
    assert bridge.provider == "Northline News Agency"


def test_atom_times_without_an_offset_are_read_in_the_zone_given_and_said_so():
    items = by_guid(read("atom-full-text.xml", zone=ZoneInfo("Europe/Stockholm")))
    bridge = items["tag:northline.example,2025:story/9002"]
    assert bridge.version_created == datetime.datetime(2025, 3, 4, 6, 45, tzinfo=UTC)
    assert bridge.zone_assumed == ["updated"]
    assert items["tag:northline.example,2025:story/9001"].zone_assumed == []


def test_an_atom_entry_whose_content_is_only_a_link_is_unread_and_says_so():
    linked = by_guid(read("atom-full-text.xml"))["tag:northline.example,2025:story/9003"]
    assert isinstance(linked, UnreadItem)
    assert linked.error.field == "content"
    assert "only a link to 'https://northline.example/story/9003'" in str(linked.error)


def test_rss_1_0_entries_are_read_with_dublin_core():
    (item,) = read("rss1-full-text.rdf")
    assert item.guid == "https://valley.example/story/77"
    assert item.headline == "Orchard harvest is the best in a decade"
    assert item.bylines == [ParsedByline(name="Priya Natarajan", role="writing")]
    assert item.keywords == ["Agriculture"]
    assert item.notice.holder == "Valley Press Service"
    assert item.notice.year == 2024
    assert item.zone_assumed == ["date"]  # dc:date with no offset, read in UTC
    assert item.version_created == datetime.datetime(2024, 11, 20, 9, 30, tzinfo=UTC)


def test_a_feed_of_headlines_gives_an_unread_item_per_entry_saying_so():
    items = read("rss-headlines.xml")
    assert len(items) == 2
    assert all(isinstance(i, UnreadItem) for i in items)
    assert [i.guid for i in items] == [
        "urn:harbour:story:4471",
        "https://wire.harbour.example/story/4472",  # no guid: its link
    ]
    for item in items:
        assert item.error.field == "content"
        assert "feed of headlines" in str(item.error)
        assert "description" in str(item.error)


@pytest.mark.parametrize("name", ["rss-full-text.xml", "atom-full-text.xml", "rss1-full-text.rdf"])
def test_each_original_is_the_feed_around_its_one_entry_and_reads_back_the_same(name):
    for item in read(name):
        if isinstance(item, UnreadItem):
            continue
        assert item.original.count("<item") + item.original.count("<entry") == 1
        (again,) = parse(item.original.encode(), format="feed")
        assert (again.guid, again.headline, again.body_html, again.standfirst) == (
            item.guid,
            item.headline,
            item.body_html,
            item.standfirst,
        )
        assert again.notice.holder == item.notice.holder  # the feed's rights travel with it


def test_a_new_build_of_the_same_feed_leaves_each_entry_as_it_was():
    one = rss(
        entry("urn:x:1"), channel="<lastBuildDate>Thu, 02 Jan 2025 12:00:00 GMT</lastBuildDate>"
    )
    two = rss(
        entry("urn:x:1"), channel="<lastBuildDate>Thu, 02 Jan 2025 12:05:00 GMT</lastBuildDate>"
    )
    assert parse(one)[0].original == parse(two)[0].original


def test_an_entry_without_guid_or_link_gets_none_so_its_text_names_it():
    (item,) = parse(rss("<item><title>T</title><content:encoded>x</content:encoded></item>"))
    assert item.guid == ""  # the loader makes one from headline and text


def test_an_entry_with_neither_title_nor_text_is_unread_by_its_place():
    items = parse(rss(entry("urn:x:1") + "<item><link></link></item>"))
    assert isinstance(items[0], ParsedItem)
    assert items[1].guid == "#2"
    assert items[1].error.field == "title"


def test_an_entry_without_a_title_gets_a_working_headline():
    (item,) = parse(
        rss(
            "<item><guid>g</guid><content:encoded>&lt;p&gt;Rain fell. Then more.&lt;/p&gt;"
            "</content:encoded></item>"
        )
    )
    assert item.headline == "Rain fell"
    assert item.headline_is_working


def test_an_rfc_822_date_with_no_zone_is_read_in_the_zone_given():
    data = rss(entry("urn:x:1", extra="<pubDate>Thu, 02 Jan 2025 11:04:00 -0000</pubDate>"))
    (item,) = parse(data, zone=ZoneInfo("Europe/Berlin"))
    assert item.version_created == datetime.datetime(2025, 1, 2, 10, 4, tzinfo=UTC)
    assert item.zone_assumed == ["pubDate"]


def test_an_empty_feed_gives_no_items():
    assert parse(rss("")) == []


def test_an_rss_document_without_a_channel_is_a_parse_error():
    with pytest.raises(ParseError, match="no <channel>"):
        parse(b"<rss version='2.0'><item/></rss>", name="x.xml")


def test_atom_content_of_an_unknown_type_is_unread_naming_the_field():
    data = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><entry><id>e1</id>'
        b'<title>T</title><content type="application/pdf">JVBERi0=</content></entry></feed>'
    )
    (item,) = parse(data)
    assert isinstance(item, UnreadItem)
    assert item.error.field == "content"
    assert "application/pdf" in str(item.error)


EXTERNAL = '<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
EXPANDING = (
    '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY secret "&c;&c;&c;&c;&c;&c;&c;">]>'
)


@pytest.mark.parametrize("doctype", [EXTERNAL, EXPANDING], ids=["external", "expanding"])
@pytest.mark.parametrize("format", ["auto", "feed"])
def test_entity_tricks_in_a_feed_are_refused_and_never_expanded(doctype, format):
    data = (
        f'<?xml version="1.0"?>{doctype}'
        + rss(entry("urn:x:1", extra="<dc:creator>&secret;</dc:creator>")).decode()
    )
    with pytest.raises(ParseError, match="entities") as refused:
        parse(data.encode(), format=format, name="trick.xml")
    assert "trick.xml" in str(refused.value)
    assert "root:" not in str(refused.value) and "aaaa" not in str(refused.value)


def test_an_rss_1_0_entry_leaves_out_the_channel_build_time_and_table_of_contents():
    (item,) = read("rss1-full-text.rdf")
    assert "2024-11-20T10:00:00Z" not in item.original  # the channel's dc:date
    assert "rdf:Seq" not in item.original
    assert "Valley Press Service" in item.original
