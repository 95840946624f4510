"""NewsML-G2 news items, alone or in a newsMessage, with NITF, XHTML or plain-text bodies, and
the packages that order them. Elements are found by local name, so the NAR namespace (or its
absence) does not matter. Bodies are read in `xhtml` (and `nitf`).

In a message, one bad item does not discard the rest: it comes back as an UnreadItem, by its
guid, and the good text items are read. Only text items become articles. A picture item a
package or a text item's <link> refers to comes with that story (`ParsedItem.pictures`), for the
loader to store with its file; a picture item no story refers to comes back on its own, as a
WirePicture, for the loader to store as a picture. A video or graphic item is reported as
skipped, by its itemClass.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from lxml import etree

from articles.ingest import nitf, xhtml
from articles.ingest.bundle import is_url
from articles.ingest.parsed import (
    ParsedByline,
    ParsedItem,
    ParseError,
    Skipped,
    UnreadItem,
    WirePicture,
    keyword_list,
)
from articles.ingest.text import (
    PARTY_ROLES,
    UTC,
    Times,
    bylines_from_statement,
    first_sentence,
    name_case,
)
from articles.ingest.xmlsafe import child, children, descendants, local_name, parse_xml, text_of
from articles.notices import Notice, parse_notice

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_KILLED = {"stat:canceled", "stat:cancelled", "stat:withheld"}
_SUBHEADLINE = re.compile(r"sub-?head", re.IGNORECASE)


def parse(
    source: str, *, name: str = "", zone: datetime.tzinfo = UTC
) -> list[ParsedItem | UnreadItem | WirePicture]:
    """Read every text newsItem in a NewsML-G2 document, in the order its packages give, and
    every picture item no story refers to; times that name no zone are read in `zone`.

    A newsItem on its own that cannot be read raises ParseError. In a newsMessage each item that
    cannot be read, and each item a package lists that the file does not hold, is an UnreadItem.
    """
    root = parse_xml(source, name=name)
    kind = local_name(root)
    if kind == "newsItem" and _is_picture(root):
        return [_picture(root, place=name, zone=zone)]
    if kind == "newsItem":
        return [_item(root, original=source, name=name, zone=zone, place="")]
    packages = [root] if kind == "packageItem" else descendants(root, "packageItem")
    items = descendants(root, "newsItem")
    if not items and not packages:
        raise ParseError("the NewsML-G2 document holds no newsItem", item=name)
    places = {id(item): f"#{n}" for n, item in enumerate(items, 1)}
    by_guid = {item.get("guid", "").strip(): item for item in items if item.get("guid")}
    # Picture items come with the stories that refer to them: a package's first text item takes
    # the pictures the package lists, a text item those its <link>s name. One that no story in
    # the file refers to is a picture on its own.
    pictures = {guid: item for guid, item in by_guid.items() if _is_picture(item)}
    brought: dict[int, list[str]] = {}
    for package in packages:
        refs = [r.residref for r in _package_refs(package) if r.residref in by_guid]
        lead = next((by_guid[r] for r in refs if r not in pictures and _is_text(by_guid[r])), None)
        if lead is not None:
            brought.setdefault(id(lead), []).extend(r for r in refs if r in pictures)
    for item in items:
        if _is_text(item):
            brought.setdefault(id(item), []).extend(_linked(item, pictures))
    taken: set[str] = set()
    results: list[ParsedItem | UnreadItem | WirePicture] = []
    done: set[int] = set()

    def read(item: etree._Element) -> None:
        done.add(id(item))
        place = places[id(item)]
        guid = item.get("guid", "").strip()
        if guid in taken:
            return  # stored with the story that brought it
        if _is_picture(item):  # on its own, unless a story read later takes it (below)
            results.append(_picture(item, place=place, zone=zone))
            return
        try:
            original = etree.tostring(item, encoding="unicode")
            parsed = _item(item, original=original, name=name, zone=zone, place=place)
        except ParseError as error:
            results.append(UnreadItem(guid or place, error))
            return
        for ref in dict.fromkeys(brought.get(id(item), [])):
            picture = pictures[ref]
            parsed.pictures.append(_picture(picture, place=places[id(picture)], zone=zone))
            taken.add(ref)
        results.append(parsed)

    for package in packages:
        refs = _package_refs(package)
        if not refs and kind == "packageItem":
            raise ParseError(
                "the package lists no items", item=package.get("guid") or name, field="groupSet"
            )
        for ref in refs:
            found = by_guid.get(ref.residref)
            if found is None:
                results.append(ref.missing(package.get("guid", "").strip() or name))
            elif id(found) not in done:
                read(found)
    for item in items:
        if id(item) not in done:
            read(item)
    return [r for r in results if isinstance(r, ParsedItem) or r.guid not in taken]


def _item_class(item: etree._Element) -> str:
    item_class = child(child(item, "itemMeta"), "itemClass")
    qcode = "" if item_class is None else item_class.get("qcode") or item_class.get("uri") or ""
    return _class_name(qcode)


def _is_picture(item: etree._Element) -> bool:
    return _item_class(item) in ("picture", "photo", "image")


def _is_text(item: etree._Element) -> bool:
    return _item_class(item) in ("", "text")


def _linked(item: etree._Element, pictures: dict[str, etree._Element]) -> list[str]:
    """The picture items a text item's <link>s name (irel:seeAlso, irel:associatedWith ...)."""
    links = _all(child(item, "itemMeta"), "link")
    return [ref for link in links if (ref := link.get("residref", "").strip()) in pictures]


# The rendition to take of a picture item, by its code, best first; else the widest.
_RENDITIONS = ("highres", "original", "print", "baseimage", "web", "preview", "thumbnail")


def _picture(item: etree._Element, *, place: str, zone: datetime.tzinfo) -> WirePicture:
    """A picture item's file (its best remoteContent href, a file before a URL), the rights its
    rightsInfo states, its headline, description, credit line and creators.

    An item that cannot be read is kept with its problem: reported (and a story that brings it
    stored)."""
    guid = item.get("guid", "").strip()
    label = guid or place
    content_set = child(item, "contentSet")
    found = descendants(content_set, "remoteContent") if content_set is not None else []
    contents = [c for c in found if c.get("href", "").strip()]
    if not contents:
        return WirePicture(
            guid=guid,
            name=place,
            href="",
            field="contentSet/remoteContent/@href",
            problem=f"item {label}, field contentSet/remoteContent: the picture item has no "
            "remoteContent with an href: no file to store",
        )

    def rank(content: etree._Element) -> tuple[bool, int, int]:
        code = _class_name(content.get("rendition", "")).replace("_", "").replace("-", "")
        width = content.get("width", "").strip()
        order = _RENDITIONS.index(code) if code in _RENDITIONS else len(_RENDITIONS)
        return is_url(content.get("href", "")), order, -int(width) if width.isdigit() else 0

    chosen = min(contents, key=rank)
    try:
        rights = _rights_info(item, Times(zone, item=label))
    except ParseError as error:
        return WirePicture(guid=guid, name=place, href="", field="rightsInfo", problem=str(error))
    content_meta = child(item, "contentMeta")
    captions = _all(content_meta, "description")
    creators, organisations = _credits(content_meta, "creator")
    provider = child(child(item, "itemMeta"), "provider")
    return WirePicture(
        guid=guid,
        name=place,
        href=chosen.get("href", "").strip(),
        field="contentSet/remoteContent/@href",
        title=_headline(content_meta),
        caption=text_of((captions or [None])[0]),
        notice=rights.notice(),
        rights_start=rights.start,
        rights_expire_at=rights.end,
        credit=text_of(child(content_meta, "creditline")),
        creators=[c.name for c in creators],
        provider=_name(provider) or next(filter(None, organisations), "") or rights.holder,
        web_statement=next(filter(None, rights.links), ""),
        original="\n".join(rights.statements),
    )


@dataclass
class _Rights:
    """What an item's rightsInfo elements state, together."""

    holders: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # rights statements and licences, by href
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    statements: list[str] = field(default_factory=list)  # each rightsInfo as received

    @property
    def holder(self) -> str:
        return next((h for h in self.holders if h), "")

    def notice(self, *more: str) -> Notice:
        terms = " ".join(filter(None, self.terms))
        return parse_notice([*self.notices, *more], holder=self.holder, usage_terms=terms)


def _rights_info(item: etree._Element, times: Times) -> _Rights:
    """Read the item's rightsInfo elements; their time validity (@validfrom, @validto) is the
    window of the rights they state, the narrowest winning. ParseError for a time unread."""
    rights, starts, ends = _Rights(), [], []
    for info in children(item, "rightsInfo"):
        rights.holders += [_name(h) for h in children(info, "copyrightHolder")]
        rights.notices += [text_of(n) for n in children(info, "copyrightNotice")]
        rights.terms += [text_of(t) for t in children(info, "usageTerms")]
        rights.links += [link.get("href", "").strip() for link in children(info, "link")]
        starts.append(_attribute_time(info, "validfrom", times))
        ends.append(_attribute_time(info, "validto", times))
        rights.statements.append(etree.tostring(info, encoding="unicode").strip())
    rights.start = max(filter(None, starts), default=None)
    rights.end = min(filter(None, ends), default=None)
    return rights


class _Ref:
    """One item a package lists: its guid, its class and the role of the group it is in."""

    def __init__(self, item_ref: etree._Element, role: str):
        self.residref = item_ref.get("residref", "").strip()
        item_class = child(item_ref, "itemClass")
        self.item_class = item_class.get("qcode", "") if item_class is not None else ""
        self.role = role
        self.title = text_of(child(item_ref, "title"))

    def missing(self, package: str) -> UnreadItem:
        kind = _class_name(self.item_class) or "news"
        role = f", role {self.role}" if self.role else ""
        titled = f" (“{self.title}”)" if self.title else ""
        # A picture the package lists is no story missed; a text item it lists is.
        missed = ParseError if kind in ("news", "text") else Skipped
        return UnreadItem(
            self.residref,
            missed(
                f"package {package} lists this {kind} item{titled}{role}, but it is not in this "
                "file: ingest reads only the items a file holds, so send the item itself too",
                item=self.residref,
                field="itemRef",
            ),
        )


def _package_refs(package: etree._Element) -> list[_Ref]:
    """The items a packageItem lists, in its groups' order: from the root group, following each
    groupRef where it stands (each group once), or every group in turn when no root is named."""
    group_set = child(package, "groupSet")
    if group_set is None:
        return []
    groups = {g.get("id", ""): g for g in children(group_set, "group")}
    refs: list[_Ref] = []
    seen_groups: set[str] = set()
    seen_items: set[str] = set()

    def walk(group: etree._Element) -> None:
        seen_groups.add(group.get("id", ""))
        for node in group:
            idref = node.get("idref", "")
            if local_name(node) == "itemRef" and node.get("residref", "").strip():
                ref = _Ref(node, group.get("role", ""))
                if ref.residref not in seen_items:
                    seen_items.add(ref.residref)
                    refs.append(ref)
            elif local_name(node) == "groupRef" and idref in groups.keys() - seen_groups:
                walk(groups[idref])

    root = groups.get(group_set.get("root", ""))
    for group in [root] if root is not None else children(group_set, "group"):
        if group.get("id", "") not in seen_groups:
            walk(group)
    return refs


def _class_name(qcode: str) -> str:
    """An itemClass's code: "ninat:picture" is picture, ANSA's "icls:text" text; of a URI, its
    last segment."""
    return re.split(r"[:/#]", qcode.strip())[-1].lower() if qcode.strip() else ""


def _name(element: etree._Element | None) -> str:
    """Return a party's or concept's name: its <name>, its literal, or the code of its qcode."""
    if element is None:
        return ""
    return (
        text_of(child(element, "name"))
        or element.get("literal", "").strip()
        or element.get("qcode", "").partition(":")[2].strip()
    )


def _item(
    item: etree._Element, *, original: str, name: str, zone: datetime.tzinfo, place: str
) -> ParsedItem:
    guid = item.get("guid", "").strip()
    label = guid or place or name
    times = Times(zone, item=label)
    item_meta = child(item, "itemMeta")
    content_meta = child(item, "contentMeta")
    item_class = child(item_meta, "itemClass")
    qcode = "" if item_class is None else item_class.get("qcode") or item_class.get("uri") or ""
    if _class_name(qcode) not in ("", "text"):
        raise Skipped(
            f"a {_class_name(qcode)} item (itemClass {qcode}) carries no story text, "
            "and only text items become articles",
            item=label,
            field="itemClass",
        )

    content = _content(child(item, "contentSet"))
    inner = content.document
    inner_head = child(inner, "body", "body.head")
    headline = (
        _headline(content_meta)
        or content.header.headline
        or text_of(child(inner_head, "hedline", "hl1"))
    )
    body_html, body_notices = content.html, content.notice_lines
    if not headline and not body_html:
        raise ParseError(
            "the item has neither a headline nor body text", item=label, field="headline"
        )
    working = False
    if not headline:
        headline, working = first_sentence(re.sub(r"<[^>]+>", " ", body_html)), True
    keywords = keyword_list(
        [
            *(
                text_of(child(s, "name")) or s.get("literal", "")
                for s in _all(content_meta, "subject")
            ),
            *(text_of(k) for k in _all(content_meta, "keyword")),
        ]
    )
    slugline = text_of(child(content_meta, "slugline"))
    standfirst = nitf.standfirst(
        [
            *_subheadlines(content_meta),
            _description(content_meta),
            content.header.standfirst,
            text_of(child(inner_head, "hedline", "hl2")),
            text_of(child(inner_head, "abstract")),
        ],
        body=body_html,
        labels=[*keywords, slugline],
    )

    rights = _rights_info(item, times)
    notice = rights.notice(*body_notices)

    # Creators first, then the natural-language by-lines (<by>, the body's header, a leading
    # "By …" paragraph, NITF's), then contributors; each person once.
    bylines, organisations = _credits(content_meta, "creator")
    for statement in [
        *(text_of(by) for by in _all(content_meta, "by")),
        content.header.byline,
        content.byline,
    ]:
        people, named = bylines_from_statement(statement)
        bylines += people
        organisations.append(named)
    if inner_head is not None:
        people, named = nitf.byline_credits(inner_head)
        bylines += people
        organisations.append(named)
    contributors, named = _credits(content_meta, "contributor")
    bylines += contributors
    organisations += named
    bylines = nitf.unique_bylines(bylines)

    version = item.get("version", "").strip()
    if version and not version.isdigit():
        raise ParseError(f"expected a whole number, got {version!r}", item=label, field="version")
    status = child(item_meta, "pubStatus")
    language = child(content_meta, "language")
    located = child(content_meta, "located")
    # The service the item belongs to names its section; subjects are keywords, by the name a
    # reader can read (a bare code is none).
    service = child(item_meta, "service")
    provider_element = child(item_meta, "provider")
    sources = _all(content_meta, "infoSource")
    # A provider given only as a code (qcode or uri) says nothing a person could match.
    provider = next(
        (
            p
            for p in [
                text_of(child(provider_element, "name")),
                provider_element.get("literal", "") if provider_element is not None else "",
                *(_name(source) for source in sources),
                *organisations,
                notice.holder,
            ]
            if p
        ),
        "",
    )
    return ParsedItem(
        format="newsml",
        guid=guid,
        headline=headline,
        headline_is_working=working,
        body_html=body_html,
        standfirst=standfirst,
        dateline=_dateline(child(content_meta, "dateline")),
        language=(language.get("tag", "") if language is not None else "")
        or item.get(_XML_LANG, ""),
        version=int(version) if version else None,
        version_created=_time(child(item_meta, "versionCreated"), times),
        embargo_until=_time(child(item_meta, "embargoed"), times),
        rights_start=rights.start,
        rights_expire_at=rights.end,
        zone_assumed=times.assumed,
        killed=(status.get("qcode", "") if status is not None else "") in _KILLED,
        provider=provider,
        # A kicker (dpa's header h4) labels the story as a slug does; articles have no kicker.
        slugline=slugline or content.header.kicker,
        section=_name(service),
        keywords=keywords,
        located=name_case(_name(located)),
        bylines=bylines,
        notice=notice,
        territories=notice.territories,
        original=original,
    )


def _all(element: etree._Element | None, name: str) -> list[etree._Element]:
    return children(element, name) if element is not None else []


def _headline(content_meta: etree._Element | None) -> str:
    headlines = _all(content_meta, "headline")
    main = [h for h in headlines if h.get("role", "").endswith(":main")]
    plain = [h for h in headlines if not _SUBHEADLINE.search(h.get("role", ""))]
    return text_of((main or plain or [None])[0])


def _subheadlines(content_meta: etree._Element | None) -> list[str]:
    """G2's <subheadline>, and a headline whose role says it is one (ANSA's hld:subHeadline)."""
    if content_meta is None:
        return []
    headlines = children(content_meta, "headline")
    roled = [h for h in headlines if _SUBHEADLINE.search(h.get("role", ""))]
    return [text_of(e) for e in [*children(content_meta, "subheadline"), *roled]]


def _dateline(element: etree._Element | None) -> str:
    """The dateline's words, without the dash that leads into the story ("London (dpa) - ")."""
    text = text_of(element).rstrip(" -–—")
    return "" if nitf.is_timestamp(text) else text


def _description(content_meta: etree._Element | None) -> str:
    descriptions = children(content_meta, "description") if content_meta is not None else []
    summaries = [d for d in descriptions if d.get("role", "").endswith(":summary")]
    return text_of((summaries or [None])[0])


def _credits(
    content_meta: etree._Element | None, kind: str
) -> tuple[list[ParsedByline], list[str]]:
    """Read creators or contributors: people become bylines, organisations are kept apart."""
    bylines, organisations = [], []
    default = "writing" if kind == "creator" else "additional_reporting"
    for party in _all(content_meta, kind):
        role_code = re.split(r"[:/#]", party.get("role", ""))[-1].lower()
        role = PARTY_ROLES.get(role_code, default)
        if party.get("type", "").endswith(("organisation", "organization")):
            organisations.append(_name(party))
            continue
        people, organisation = bylines_from_statement(text_of(child(party, "name")), role=role)
        bylines += people
        organisations.append(organisation)
    return bylines, organisations


def _content(content_set: etree._Element | None) -> xhtml.Content:
    """The body: inline NITF, XHTML, or text (HTML when it holds HTML, whatever it claims)."""
    if content_set is None:
        return xhtml.Content("", [])
    for inline in children(content_set, "inlineXML"):
        found = nitf.find_nitf(inline)
        if found is not None and child(found, "body", "body.content") is not None:
            return xhtml.from_nitf(found)
        xhtml_body = next((e for e in descendants(inline, "body")), None)
        if xhtml_body is not None:
            return xhtml.from_xhtml(xhtml_body)
    for inline in children(content_set, "inlineData"):
        text = (inline.text or "").strip()
        if text and ("html" in inline.get("contenttype", "") or xhtml.looks_like_html(text)):
            return xhtml.from_html_text(text)
        if text:
            return xhtml.from_plain_text(text)
    return xhtml.Content("", [])


def _attribute_time(element: etree._Element, attribute: str, times: Times):
    """Read a time attribute; one that names no zone is read in the source's."""
    value = element.get(attribute, "").strip()
    if not value:
        return None
    return times.read(value, field=f"{local_name(element)}/@{attribute}")


def _time(element: etree._Element | None, times: Times):
    value = text_of(element)
    if not value:
        return None
    return times.read(value, field=local_name(element))
