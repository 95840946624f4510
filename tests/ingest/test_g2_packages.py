"""NewsML-G2 packages and partly bad messages: the package orders the items, one bad item does not
discard the message, non-text items are reported as skipped, items a package lists but the file
does not hold are reported by their guid."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.ingest import ParsedItem, ParseError, UnreadItem, detect_format, parse
from articles.ingest.loader import Ingest
from articles.ingest.parsed import WirePicture
from articles.models import Article

FIXTURES = Path(__file__).parent / "fixtures" / "g2"
MESSAGE = FIXTURES / "package-message.xml"
ALONE = FIXTURES / "package-alone.xml"
WIRE = "urn:newsml:example-wire.com:20300310:"


def message(*replacements: tuple[str, str]) -> bytes:
    source = MESSAGE.read_text()
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new, 1)
    return source.encode()


def test_the_package_orders_the_text_items_and_the_video_is_reported_by_its_guid():
    main, explainer, video = parse(MESSAGE.read_bytes(), name=MESSAGE.name)
    # The file holds explainer, video, main; the package's groups say main, then the sidebar.
    assert isinstance(main, ParsedItem) and main.guid == WIRE + "floods-main"
    assert main.headline == "Floods close the Rhine to shipping"
    assert main.version == 3
    assert main.dateline == "DUISBURG, Germany, March 10"
    assert main.body_html.startswith("<p>German authorities closed the Rhine")
    assert isinstance(explainer, ParsedItem) and explainer.guid == WIRE + "floods-explainer"
    assert explainer.notice.holder == "Example Wire"
    assert isinstance(video, UnreadItem)
    assert video.guid == WIRE + "floods-video"
    # Reported as a video skipped, not refused for having no headline.
    assert video.error.field == "itemClass"
    assert "a video item (itemClass ninat:video)" in str(video.error) and video.skipped
    assert "headline" not in str(video.error)


def test_each_message_item_keeps_its_own_news_item_as_its_original():
    main, explainer, _ = parse(MESSAGE.read_bytes())
    assert main.original.startswith("<newsItem") and "floods-explainer" not in main.original
    (again,) = parse(main.original.encode(), format="newsml")
    assert (again.guid, again.body_html) == (main.guid, main.body_html)


def test_one_bad_text_item_does_not_discard_the_message():
    bad = message(
        ("<headline>Explainer: why the Rhine floods in March</headline>", ""),
        (
            "<p>Snowmelt in the Alps and heavy rain in the Black Forest reach the Rhine at the same"
            " time.</p>",
            "",
        ),
    )
    main, explainer, video = parse(bad, name="message.xml")
    assert isinstance(main, ParsedItem)
    assert isinstance(explainer, UnreadItem) and explainer.guid == WIRE + "floods-explainer"
    assert explainer.error.field == "headline"
    assert "neither a headline nor body text" in str(explainer.error)
    assert isinstance(video, UnreadItem)


def test_an_item_with_a_bad_field_is_reported_and_the_rest_are_read():
    bad = message(
        (
            '<newsItem guid="urn:newsml:example-wire.com:20300310:floods-main" version="3"',
            '<newsItem guid="urn:newsml:example-wire.com:20300310:floods-main" version="three"',
        )
    )
    main, explainer, _ = parse(bad)
    assert isinstance(main, UnreadItem) and main.error.field == "version"
    assert isinstance(explainer, ParsedItem)


def test_a_video_item_is_skipped_with_a_note_and_an_item_without_guid_is_named_by_place():
    source = MESSAGE.read_bytes()
    source = source.replace(b' guid="urn:newsml:example-wire.com:20300310:floods-video"', b"")
    (video,) = [r for r in parse(source) if isinstance(r, UnreadItem) and r.guid == "#2"]
    assert video.guid == "#2"  # the second newsItem in the file
    assert video.error.item == "#2" and "a video item" in str(video.error)
    # A picture item no story refers to comes on its own, named by its place too.
    as_picture = source.replace(
        b'<itemClass qcode="ninat:video"/>', b'<itemClass qcode="ninat:picture"/>'
    )
    (picture,) = [r for r in parse(as_picture) if isinstance(r, WirePicture)]
    assert (picture.guid, picture.name) == ("", "#2")


def test_a_lone_news_item_that_is_not_text_raises_the_same_note():
    (_, _, video) = parse(MESSAGE.read_bytes())
    lone = MESSAGE.read_text()
    start = lone.index(f'<newsItem guid="{WIRE}floods-video"')
    end = lone.index("</newsItem>", start) + len("</newsItem>")
    item = lone[start:end].replace(
        "<newsItem ", '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" ', 1
    )
    with pytest.raises(ParseError, match="a video item") as caught:
        parse(item.encode(), name="video.xml")
    assert caught.value.field == "itemClass"
    assert str(caught.value) == str(video.error)


def test_a_package_on_its_own_reports_each_item_it_lists_as_not_in_the_file():
    assert detect_format(ALONE.read_bytes()) == "newsml"
    text, picture = parse(ALONE.read_bytes(), name=ALONE.name)
    assert isinstance(text, UnreadItem) and isinstance(picture, UnreadItem)
    assert text.guid == "urn:newsml:example-wire.com:20301117:tutorial-item-A"
    assert picture.guid == "urn:newsml:example-wire.com:20301117:tutorial-item-B"
    assert text.error.field == "itemRef"
    message_text = str(text.error)
    assert "tag:example-wire.com,2030:UK-NEWS-TOPTEN:UK20301220098658" in message_text
    assert "this text item (“Chancellor sets out spending plans”)" in message_text
    assert "role group:main" in message_text
    assert "not in this file" in message_text
    assert "picture item" in str(picture.error)


def test_a_package_that_lists_nothing_is_refused():
    empty = ALONE.read_text()
    start, end = empty.index("<groupSet"), empty.index("</groupSet>") + len("</groupSet>")
    with pytest.raises(ParseError, match="the package lists no items"):
        parse((empty[:start] + empty[end:]).encode(), name="empty.xml")


def test_group_references_are_followed_once_even_when_they_loop():
    looping = message(
        (
            f'<itemRef residref="{WIRE}floods-explainer"',
            '<groupRef idref="G1"/><groupRef idref="G2"/>\n'
            f'<itemRef residref="{WIRE}floods-explainer"',
        )
    )
    guids = [r.guid for r in parse(looping)]
    assert guids == [WIRE + "floods-main", WIRE + "floods-explainer", WIRE + "floods-video"]


def test_without_a_root_group_every_group_is_read_in_turn():
    no_root = message(('<groupSet root="G1">', "<groupSet>"))
    assert [r.guid for r in parse(no_root)][:2] == [WIRE + "floods-main", WIRE + "floods-explainer"]


# --- through the loader and the command ------------------------------------------------------


@pytest.mark.django_db
def test_the_loader_stores_the_two_texts_and_reports_the_video_by_guid_file_and_field():
    reports = list(Ingest().data(MESSAGE.read_bytes(), name="package-message.xml"))
    assert [r.status for r in reports] == ["created", "created", "skipped"]
    assert [r.guid for r in reports[:2]] == [WIRE + "floods-main", WIRE + "floods-explainer"]
    video = reports[2]
    assert video.guid == WIRE + "floods-video"
    assert video.error.startswith(f"package-message.xml: item {WIRE}floods-video, field itemClass")
    assert Article.objects.count() == 2
    assert set(Article.objects.values_list("guid", flat=True)) == {
        WIRE + "floods-main",
        WIRE + "floods-explainer",
    }


@pytest.mark.django_db
def test_ingest_json_gives_a_line_per_item_and_succeeds_past_the_skipped_video():
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", "--json", str(MESSAGE), stdout=out, stderr=err)  # no exit 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(line["status"], line["guid"]) for line in lines] == [
        ("created", WIRE + "floods-main"),
        ("created", WIRE + "floods-explainer"),
        ("skipped", WIRE + "floods-video"),
    ]
    assert "field itemClass" in lines[2]["error"]
    assert "2 created, 1 skipped" in err.getvalue()
