"""RSS 2.0, RSS 1.0 (RDF) and Atom (RFC 4287) feeds that carry the full text of each entry.

Read with the one safe lxml parser (`xmlsafe`), not with `feedparser`: feedparser parses XML on
its own terms (its own entity handling and encoding sniffing, behind our checks against external
entities and entity expansion), rewrites and sanitises HTML its own way, and gives dates as UTC
`struct_time`s, which lose whether the copy named a zone at all, so `zone_assumed` could not be
told. Feeds are small, regular XML: finding a dozen elements by local name is all it takes.

Only `content:encoded` (RSS) and Atom `<content>` count as the text. An entry that carries only a
`description` or `summary` is a headline with a teaser, not a story: it is not stored, but
reported as an UnreadItem that says so. Storing it would make an article of a sentence that the
desk could publish as if it were the story, and which the full text, once the source sends it,
would overwrite as an "update" of a stub.
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import email.utils
import html
import re

from lxml import etree

from articles.ingest.htmlbody import plain, without_notices
from articles.ingest.parsed import ParsedByline, ParsedItem, ParseError, UnreadItem, keyword_list
from articles.ingest.text import (
    PARTY_ROLES,
    UTC,
    Times,
    bylines_from_statement,
    first_sentence,
)
from articles.ingest.xmlsafe import child, children, local_name, parse_xml, text_of
from articles.notices import parse_notice

ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Feed-level elements that change with every build of the feed, not with its entries: kept out
# of each entry's original, lest every entry read as "updated" on every poll.
_VOLATILE = {"lastBuildDate", "pubDate", "updated", "date", "ttl", "generator"}
_ENTRY = {"item", "entry"}
_PLACE = "newsroom-entry"


def parse(
    source: str, *, name: str = "", zone: datetime.tzinfo = UTC
) -> list[ParsedItem | UnreadItem]:
    """Read every entry of a feed; an entry that cannot be read is an UnreadItem, the rest are
    read. Times that name no zone are read in `zone`. A feed with no entries gives no items."""
    root = parse_xml(source, name=name)
    kind = local_name(root)
    if kind == "rss":
        channel = child(root, "channel")
        if channel is None:
            raise ParseError("the RSS feed has no <channel>", item=name, field="channel")
        entries = children(channel, "item")
    elif kind == "feed":
        channel, entries = root, children(root, "entry")
    elif kind == "RDF":
        channel = child(root, "channel")
        if channel is None:
            raise ParseError("the RSS 1.0 feed has no <channel>", item=name, field="channel")
        entries = children(root, "item")
    else:
        raise ParseError(
            f"the root element <{kind or '?'}> is not an RSS <rss>, RSS 1.0 <rdf:RDF> or Atom "
            "<feed>",
            item=name,
        )
    feed = _FeedLevel(channel, atom=kind == "feed")
    originals = _Originals(root, entries)
    items: list[ParsedItem | UnreadItem] = []
    for position, entry in enumerate(entries):
        guid = _guid(entry)
        try:
            items.append(
                _item(entry, guid=guid, feed=feed, original=originals.of(entry), zone=zone)
            )
        except ParseError as error:
            items.append(UnreadItem(guid or f"#{position + 1}", error))
    return items


class _FeedLevel:
    """What the feed says of all its entries: rights, authors (Atom), language."""

    def __init__(self, channel: etree._Element, *, atom: bool):
        self.rights = _rights(channel) or text_of(child(channel, "copyright"))
        self.language = text_of(child(channel, "language")) or channel.get(_XML_LANG, "")
        # RFC 4287 4.2.1: an entry without an author takes the feed's.
        self.authors = _people(channel, "author") if atom else []


class _Originals:
    """Each entry as it was received: the feed around it, with its sibling entries left out.

    The feed around it is written once, so a feed of many entries costs one copy, not one per
    entry; the text reads back through this parser as the one entry it holds.
    """

    def __init__(self, root: etree._Element, entries: list[etree._Element]):
        self.before = self.after = ""
        if not entries:
            return
        skeleton = copy.deepcopy(root)
        holder = next(e for e in skeleton.iter() if local_name(e) in ("channel", "feed"))
        if local_name(skeleton) == "RDF":
            holder = skeleton
        for element in list(holder):
            if local_name(element) in _VOLATILE:
                holder.remove(element)
        placed = False
        for element in list(holder):
            if local_name(element) in _ENTRY:
                if not placed:
                    element.addprevious(etree.Element(_PLACE))
                    placed = True
                holder.remove(element)
            elif local_name(element) == "items" and local_name(skeleton) == "RDF":
                holder.remove(element)  # RSS 1.0's table of contents lists every item
        for element in holder:
            if local_name(element) == "channel":  # RSS 1.0's channel stands beside its items
                for inner in list(element):
                    if local_name(inner) in _VOLATILE or local_name(inner) == "items":
                        element.remove(inner)
        text = etree.tostring(skeleton, encoding="unicode")
        self.before, _, self.after = text.partition(f"<{_PLACE}/>")

    def of(self, entry: etree._Element) -> str:
        return self.before + etree.tostring(entry, encoding="unicode", with_tail=False) + self.after


def _guid(entry: etree._Element) -> str:
    """The entry's own identifier: RSS <guid>, Atom <id>, RSS 1.0 rdf:about, else its link."""
    for element in (child(entry, "guid"), child(entry, "id")):
        if text_of(element):
            return text_of(element)
    about = next((v for k, v in entry.attrib.items() if k.endswith("}about")), "").strip()
    return about or _link(entry)


def _link(entry: etree._Element) -> str:
    for link in children(entry, "link"):
        href = link.get("href", "").strip()
        if href and link.get("rel", "alternate") == "alternate":
            return href
        if not href and text_of(link):
            return text_of(link)
    return ""


def _item(
    entry: etree._Element, *, guid: str, feed: _FeedLevel, original: str, zone: datetime.tzinfo
) -> ParsedItem:
    label = guid or text_of(child(entry, "title")) or local_name(entry)
    times = Times(zone, item=label)
    headline = _title(entry)
    body = _body(entry, label=label)
    summary = _text(child(entry, "summary")) or _text(child(entry, "description"))
    if not body:
        linked = child(entry, "content")
        if linked is not None and linked.get("src"):
            raise ParseError(
                f"the entry's content is only a link to {linked.get('src')!r}, not the text: "
                "ask the source for its full-text feed",
                item=label,
                field="content",
            )
        if headline or summary:
            field = "summary" if child(entry, "summary") is not None else "description"
            raise ParseError(
                f"the entry carries only a headline and a {field}, not the full text "
                "(no content:encoded or Atom <content>): this is a feed of headlines; ask the "
                "source for its full-text feed",
                item=label,
                field="content",
            )
        raise ParseError("the entry has neither a title nor a text", item=label, field="title")
    working = False
    if not headline:
        headline, working = first_sentence(plain(body, label=label, field="content")), True
    body, body_notices = without_notices(body, label=label, field="content")

    bylines, organisations = [], []
    for statement, role in _credits(entry) or [(a, "writing") for a in feed.authors]:
        people, organisation = bylines_from_statement(statement)
        bylines += [ParsedByline(name=p.name, role=role) for p in people]
        organisations += [organisation] if organisation else []
    notice = parse_notice([_rights(entry) or feed.rights, *body_notices])
    categories = [
        c.get("label") or c.get("term") or text_of(c) for c in children(entry, "category")
    ]
    return ParsedItem(
        format="feed",
        guid=guid,
        headline=headline,
        headline_is_working=working,
        body_html=body,
        standfirst=summary if summary != plain(body, label=label, field="content") else "",
        language=(entry.get(_XML_LANG, "") or text_of(child(entry, "language")) or feed.language)[
            :16
        ],
        version_created=_version_time(entry, times),
        zone_assumed=times.assumed,
        provider=(organisations[0] if organisations else "") or notice.holder,
        keywords=keyword_list([*categories, *map(text_of, children(entry, "subject"))]),
        bylines=_unique(bylines),
        notice=notice,
        territories=notice.territories,
        original=original,
    )


def _title(entry: etree._Element) -> str:
    return " ".join(_text(child(entry, "title")).split())


def _text(element: etree._Element | None) -> str:
    """An element's text as a reader sees it: Atom type="html" and "xhtml" without their tags."""
    if element is None:
        return ""
    if element.get("type", "").lower() == "xhtml":
        return " ".join(" ".join(element.itertext()).split())
    value = text_of(element)
    if "<" in value or element.get("type", "").lower() == "html":
        with contextlib.suppress(ParseError):  # else not HTML after all: the text as it stands
            value = plain(value, label="", field="content")
    return value


def _body(entry: etree._Element, *, label: str) -> str:
    """The entry's full text as HTML: RSS content:encoded, else Atom <content> given inline."""
    encoded = child(entry, "encoded")
    if encoded is not None and (encoded.text or "").strip():
        return (encoded.text or "").strip()
    content = child(entry, "content")
    if content is None or content.get("src"):
        return ""  # no content, or content kept elsewhere: a link, not the text
    kind = content.get("type", "text").lower()
    if kind == "xhtml":
        div = child(content, "div")
        if div is None:
            raise ParseError(
                'Atom content of type "xhtml" must hold one XHTML <div>',
                item=label,
                field="content",
            )
        return _xhtml(div)
    if kind in ("html", "text/html"):
        return (content.text or "").strip()
    if kind in ("text", "text/plain"):
        return _paragraphs(content.text or "")
    raise ParseError(
        f"Atom content of type {kind!r} is not text this newsroom can read",
        item=label,
        field="content",
    )


def _xhtml(div: etree._Element) -> str:
    """The inside of an Atom XHTML <div>, written as plain HTML without its namespace."""
    holder = copy.deepcopy(div)
    for element in holder.iter():
        if isinstance(element.tag, str):
            element.tag = local_name(element)
    etree.cleanup_namespaces(holder)
    inner = html.escape(holder.text or "", quote=False)
    inner += "".join(etree.tostring(c, encoding="unicode", method="html") for c in holder)
    return inner.strip()


def _paragraphs(text: str) -> str:
    parts = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in parts if p)


def _rights(element: etree._Element) -> str:
    """dc:rights or atom:rights (RSS 2.0's <copyright> is the channel's only)."""
    return _text(child(element, "rights"))


def _credits(entry: etree._Element) -> list[tuple[str, str]]:
    """Who the entry credits, with the role each gets: RSS author, dc:creator, Atom author."""
    found = []
    for author in children(entry, "author"):
        if child(author, "name") is not None:
            found += [(text_of(child(author, "name")), "writing")]
        else:
            found += [(_rss_author(text_of(author)), "writing")]
    found += [(text_of(c), "writing") for c in children(entry, "creator")]
    for contributor in children(entry, "contributor"):  # Atom's, with a <name>, or dc's
        name = child(contributor, "name")
        found += [(text_of(name if name is not None else contributor), PARTY_ROLES["contributor"])]
    return [(name, role) for name, role in found if name]


def _people(element: etree._Element, tag: str) -> list[str]:
    named = [child(person, "name") for person in children(element, tag)]
    return [text_of(name) for name in named if name is not None]


def _rss_author(value: str) -> str:
    """RSS 2.0's <author> is an e-mail address, "jane@example.com (Jane Doe)": the name, if any."""
    named = re.fullmatch(r"\S+@\S+\s*\((?P<name>[^()]+)\)", value)
    if named:
        return named["name"].strip()
    return "" if re.fullmatch(r"\S+@\S+", value) else value


def _version_time(entry: etree._Element, times: Times) -> datetime.datetime | None:
    """When this version was made: Atom updated (else published), RSS pubDate, else dc:date."""
    for tag in ("updated", "published", "pubDate", "date"):
        value = text_of(child(entry, tag))
        if value:
            return _time(value, times, field=tag)
    return None


def _time(value: str, times: Times, *, field: str) -> datetime.datetime:
    """An RFC 822 date (RSS) or an RFC 3339 one (Atom, Dublin Core), in UTC."""
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return times.read(value, field=field)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        raise ParseError(
            f"not an RFC 822 date and time: {value!r}", item=times.item, field=field
        ) from None
    if moment.tzinfo is None:  # "-0000", or no zone at all: read in the source's zone
        if field not in times.assumed:
            times.assumed.append(field)
        moment = moment.replace(tzinfo=times.zone)
    return moment.astimezone(UTC)


def _unique(bylines: list[ParsedByline]) -> list[ParsedByline]:
    seen, unique = set(), []
    for byline in bylines:
        if (byline.name, byline.role) not in seen:
            seen.add((byline.name, byline.role))
            unique.append(byline)
    return unique
