"""AP Media API JSON: the item metadata response (`{"api_version", "data": {"item": {...}}}`),
the feed and search responses (`{"data": {"items": [{"item": {...}}, ...], "next_page"}}`), and
an item object on its own, as AP Media Agent saves it.

AP's JSON describes an item and links to its text: the story is usually a rendition
(`renditions.nitf.href`) fetched separately with an API key. Where the text is in the file
(`body_nitf`, `body_html`, `body_text`) it is read; where it is not, the item is reported
unread, saying where its text is, rather than stored without a body. Nothing is fetched. The
pictures a story's associations name come with it (`appictures`), and a picture item of the
same file that a story brings is not reported apart.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from articles.ingest import appictures
from articles.ingest.htmlbody import inner_html, paragraphs, plain, without_notices
from articles.ingest.jsonfields import Fields, kind, load_json, names_of
from articles.ingest.nitf import Body, body_html, byline_credits, find_nitf
from articles.ingest.parsed import (
    ParsedByline,
    ParsedItem,
    ParseError,
    Skipped,
    UnreadItem,
    keyword_list,
)
from articles.ingest.text import UTC, Times, bylines_from_statement, first_sentence, name_case
from articles.ingest.xmlsafe import child, descendants, local_name, parse_xml, text_of
from articles.notices import is_notice_line, parse_notice

# AP's public ids (its NewsML-G2 guids, apnews.com) are this prefix and the item id.
GUID_PREFIX = "urn:publicid:ap.org:"
_KILLED = {"canceled", "cancelled", "withheld"}
# Items AP marks for editors only (advisories, daybooks) lack this signal: never publishable.
_NEWS_SIGNAL = "newscontent"
_NOT_NEWS = "This material may not be published."
_ITEM_ID = re.compile(r"^[0-9a-f]{32}$")
_CONTENT_URI = re.compile(r"/content/([0-9A-Za-z]+)(?:[/?#]|$)")


def detect(source: str) -> bool:
    """Whether a JSON file is AP Media API JSON: a response (`api_version`, `data.item`,
    `data.items`), a feed entry (`{"item": {...}}`) or an item object (`altids`)."""
    try:
        data = json.loads(source)
    except (ValueError, RecursionError):
        return False
    if _saved_list(data) is not None:
        return True
    if not isinstance(data, dict):
        return False
    inner = data.get("data")
    if "api_version" in data and isinstance(inner, dict | None):
        return True
    if isinstance(inner, dict) and (
        isinstance(inner.get("item"), dict) or isinstance(inner.get("items"), list)
    ):
        return True
    item = data.get("item")
    return isinstance(data.get("altids"), dict) or (
        isinstance(item, dict) and isinstance(item.get("altids"), dict)
    )


def _is_ap_entry(entry: Any) -> bool:
    """An AP item, or a feed entry holding one: told by its `altids` object."""
    if not isinstance(entry, dict):
        return False
    item = entry.get("item")
    return isinstance(entry.get("altids"), dict) or (
        isinstance(item, dict) and isinstance(item.get("altids"), dict)
    )


def _saved_list(data: Any) -> tuple[str, list] | None:
    """AP items saved together outside a feed response: a list of them, or `{"items": [...]}` or
    `{"data": [...]}`; with the field that holds them. None unless an entry is an AP item."""
    if isinstance(data, list):
        found = ("", data)
    elif isinstance(data, dict) and isinstance(data.get("items"), list):
        found = ("items", data["items"])
    elif isinstance(data, dict) and isinstance(data.get("data"), list):
        found = ("data", data["data"])
    else:
        return None
    return found if any(_is_ap_entry(entry) for entry in found[1]) else None


def parse(
    source: str, *, name: str = "", zone: datetime.tzinfo = UTC
) -> list[ParsedItem | UnreadItem]:
    """Read an AP Media API response or item; times that name no zone are read in `zone`.

    A feed's entries are read one by one: an entry that cannot be read, or whose text is not in
    the file, becomes an UnreadItem saying why; the other entries are still read.
    """
    data = load_json(source, name=name)
    saved = _saved_list(data)
    if saved is not None:
        return _feed(saved[1], name=name, zone=zone, field=saved[0])
    if not isinstance(data, dict):
        raise ParseError(f"expected an AP Media API object, got {kind(data)}", item=name)
    error = data.get("error")
    if isinstance(error, dict):
        message = error.get("message") or error.get("code") or "no message"
        raise ParseError(
            f"the file is an AP Media API error response, not content: {message}",
            item=name,
            field="error",
        )
    inner = data.get("data")
    if isinstance(inner, dict) and isinstance(inner.get("items"), list):
        return _feed(inner["items"], name=name, zone=zone, field="data.items")
    if isinstance(inner, dict) and inner.get("item") is not None:
        item = inner["item"]
    elif isinstance(data.get("item"), dict):
        item = data["item"]
    elif "api_version" in data:
        raise ParseError(
            "the response holds no item: expected data.item or data.items", item=name, field="data"
        )
    else:
        item = data
    if not isinstance(item, dict):
        raise ParseError(f"expected an object, got {kind(item)}", item=name, field="data.item")
    return [_read(item, label=_label(item) or name, original=source, zone=zone, in_file={})]


def _feed(
    entries: list, *, name: str, zone: datetime.tzinfo, field: str
) -> list[ParsedItem | UnreadItem]:
    if not entries:
        raise ParseError("the feed page holds no items", item=name, field=field)
    results: list[ParsedItem | UnreadItem] = []
    in_file = _pictures_in(entries)
    for index, entry in enumerate(entries):
        place = f"#{index + 1}"
        item = entry.get("item", entry) if isinstance(entry, dict) else entry
        if not isinstance(item, dict):
            error = ParseError(
                f"expected a feed entry holding an item object, got {kind(item)}",
                item=place,
                field=f"{field}[{index}]",
            )
            results.append(UnreadItem(place, error))
            continue
        guid = _label(item)
        label = f"{place} {guid}".strip()
        try:
            results.append(_read(item, label=label, original=None, zone=zone, in_file=in_file))
        except ParseError as error:
            results.append(UnreadItem(guid or place, error))
    # A picture item a story brings is stored with it, not reported as no story.
    brought = {p.guid for r in results if isinstance(r, ParsedItem) for p in r.pictures}
    return [r for r in results if not (isinstance(r, UnreadItem) and r.guid in brought)]


def _pictures_in(entries: list) -> dict[str, Fields]:
    """The picture items of a feed page or saved list, by guid, for the stories that name them."""
    found = {}
    for entry in entries:
        item = entry.get("item", entry) if isinstance(entry, dict) else None
        if not isinstance(item, dict):
            continue
        fields = Fields(item, label=_label(item))
        try:
            if appictures.is_picture(fields) and (guid := _guid(fields)):
                found[guid] = fields
        except ParseError:
            continue  # reported as the entry it is
    return found


def _label(item: dict) -> str:
    """The item's guid as far as it can be told, for errors: never raises."""
    try:
        return _guid(Fields(item, label=""))
    except ParseError:
        uri = item.get("uri")
        return uri.strip() if isinstance(uri, str) else ""


def _guid(item: Fields) -> str:
    """AP's item id, the same for every version of an item, as AP's public id.

    `etag` is the item id and a version suffix; `friendlykey` a number AP also keeps stable;
    the `uri` ends in the item id. Whichever the file has, in that order.
    """
    altids = item.child("altids")
    item_id = altids.text("itemid") if altids else ""
    if not item_id and altids:
        etag = altids.text("etag").split("_", 1)[0]
        item_id = etag if _ITEM_ID.match(etag) else ""
    if not item_id and altids and altids.get("friendlykey", kind_of=(str, int)) is not None:
        return f"{GUID_PREFIX}friendlykey:{str(altids.data['friendlykey']).strip()}"
    if not item_id:
        found = _CONTENT_URI.search(item.text("uri"))
        item_id = found[1] if found else ""
    return f"{GUID_PREFIX}{item_id}" if item_id else item.text("uri")


def _read(
    data: dict,
    *,
    label: str,
    original: str | None,
    zone: datetime.tzinfo,
    in_file: dict[str, Fields],
) -> ParsedItem | UnreadItem:
    """Read one item; one whose text is not in the file is unread, saying where its text is.
    `in_file` holds the file's picture items, by guid, for the pictures the item names."""
    item = Fields(data, label=label)
    guid = _guid(item)
    times = Times(zone, item=label)
    body, nitf_head = _body(item)
    headline = item.text("headline") or item.text("headline_extended")
    killed = item.text("pubstatus").lower() in _KILLED
    if not body.html and not killed:
        return UnreadItem(guid or label, _no_text(item, headline=headline))
    if not body.html:
        # A cancellation needs no text: it recalls every version already delivered.
        headline = headline or item.text("title") or f"AP item {guid}, {item.text('pubstatus')}"
    nitf_bylines, nitf_organisation = byline_credits(nitf_head)
    if not headline and nitf_head is not None:
        headline = text_of(child(nitf_head, "hedline", "hl1"))
    working = False
    if not headline:
        headline = first_sentence(plain(body.html, label=label, field="body"))
        working = True

    usage_terms = item.strings("usageterms")
    signals = [s.lower() for s in item.strings("signals")]
    if signals and _NEWS_SIGNAL not in signals:
        usage_terms.append(_NOT_NEWS)
    ednote = item.text("ednote")
    notice = parse_notice(
        [
            item.text("copyrightnotice"),
            *body.notice_lines,
            *([ednote] if ednote and is_notice_line(ednote) else []),
        ],
        holder=item.text("copyrightholder"),
        usage_terms=" ".join(usage_terms),
    )

    bylines: list[ParsedByline] = []
    organisation = ""
    for byline in item.objects("bylines"):
        found, named = bylines_from_statement(byline.text("by", "parametric"))
        bylines += found
        organisation = organisation or named or byline.text("title")
    for photographer in item.objects("photographer"):
        if photographer.text("name"):
            bylines.append(ParsedByline(name_case(photographer.text("name")), "photography"))
    if not bylines:
        bylines, organisation = nitf_bylines, organisation or nitf_organisation

    pubstatus = item.text("pubstatus").lower()
    embargo = item.time(times, "embargoed")
    if pubstatus == "embargoed" and embargo is None:
        raise ParseError(
            "pubstatus is embargoed but no embargoed time is given: the item cannot be released",
            item=label,
            field="embargoed",
        )
    located = item.text("located")
    place = item.child("datelinelocation")
    if not located and place:
        located = ", ".join(
            p for p in (place.text("city"), place.text("countryareaname", "countryname")) if p
        )
    return ParsedItem(
        format="apmedia",
        guid=guid,
        headline=" ".join(headline.split()),
        headline_is_working=working,
        body_html=body.html,
        standfirst=item.text("summary", "description_summary")
        or (item.text("headline_extended") if item.text("headline") else ""),
        dateline=located,
        language=item.text("language"),
        version=item.version("version"),
        version_created=item.time(times, "versioncreated", "firstcreated"),
        embargo_until=embargo,
        zone_assumed=times.assumed,
        killed=killed,
        provider=_provider(item) or organisation or notice.holder,
        slugline=item.text("title"),
        keywords=keyword_list(
            [
                *names_of(item.objects("subject"), "name"),
                *item.strings("keywords"),
                *names_of(item.objects("audiences"), "name"),
            ]
        ),
        located=located,
        bylines=bylines,
        notice=notice,
        territories=notice.territories,
        original=original if original is not None else json.dumps(data, indent=2),
        pictures=appictures.pictures(item, guid_of=_guid, in_file=in_file),
    )


def _provider(item: Fields) -> str:
    value = item.get("provider", kind_of=(str, dict))
    if isinstance(value, dict):
        provider = Fields(value, label=item.label, prefix="provider").text("name", "code")
    else:
        provider = (value or "").strip()
    sources = names_of(item.objects("infosource", "infosources"), "name")
    return provider or (sources[0] if sources else "")


def _body(item: Fields) -> tuple[Body, Any]:
    """The story text the item carries, as HTML with its notices taken out, and the NITF
    body.head it came with (for headline and byline), if any."""
    nitf_text = item.text("body_nitf")
    if nitf_text:
        return _nitf_body(nitf_text, label=item.label)
    markup = item.text("body_html")
    if markup and re.match(r"\s*<(?:\?xml|nitf[\s>])", markup):
        return _nitf_body(markup, label=item.label)
    if markup:
        html, notices = without_notices(
            inner_html(markup, label=item.label, field="body_html"),
            label=item.label,
            field="body_html",
        )
        return Body(html, notices), None
    text = item.text("body_text")
    if text:
        kept = [line for line in text.split("\n\n") if not is_notice_line(" ".join(line.split()))]
        notices = [" ".join(p.split()) for p in text.split("\n\n") if p not in kept and p.strip()]
        return Body(paragraphs("\n\n".join(kept)), notices), None
    return Body("", []), None


def _nitf_body(markup: str, *, label: str) -> tuple[Body, Any]:
    """Read NITF embedded as a string: a whole document, or its body.content alone."""
    try:
        root = parse_xml(markup, name=f"item {label}" if label else "")
    except ParseError as error:
        raise ParseError(
            f"the embedded NITF cannot be read: {error}", item=label, field="body_nitf"
        ) from None
    nitf = find_nitf(root)
    scope = nitf if nitf is not None else root
    content = scope if local_name(scope) == "body.content" else None
    content = (
        content if content is not None else next(iter(descendants(scope, "body.content")), None)
    )
    head = next(iter(descendants(scope, "body.head")), None)
    if content is None:
        return Body("", []), head
    return body_html(content), head


def _no_text(item: Fields, *, headline: str) -> ParseError:
    """Say why an item has no text here, and where its text is."""
    kind_name = item.text("type").lower()
    what = f"“{headline}”" if headline else "the item"
    if kind_name and kind_name != "text":
        return Skipped(
            f"{what} is a {kind_name} item, not a text story: there is no story text to store",
            item=item.label,
            field="type",
        )
    renditions = item.child("renditions")
    for key in ("nitf", "main", "anpa"):
        rendition = renditions.child(key) if renditions else None
        href = rendition.text("href") if rendition else ""
        if href:
            return ParseError(
                f"the text of {what} is not in this file but in its {key} rendition, which this "
                f"file only links to: download {href} with your AP API key and ingest that NITF "
                "file, or have AP Media Agent save NewsML-G2 item files with the NITF text "
                "embedded",
                item=item.label,
                field=f"renditions.{key}.href",
            )
    return ParseError(
        f"{what} has no story text and links to no text rendition: nothing to store",
        item=item.label,
        field="renditions",
    )
