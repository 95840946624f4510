"""NewsML-G2 news items, alone or in a newsMessage, with NITF, XHTML or plain-text bodies.
Elements are found by local name, so the NAR namespace (or its absence) does not matter."""

from __future__ import annotations

import datetime
import html
import re

from lxml import etree

from articles.ingest import nitf
from articles.ingest.parsed import ParsedByline, ParsedItem, ParseError, keyword_list
from articles.ingest.text import (
    PARTY_ROLES,
    UTC,
    Times,
    bylines_from_statement,
    first_sentence,
    name_case,
)
from articles.ingest.xmlsafe import child, children, descendants, local_name, parse_xml, text_of
from articles.notices import is_notice_line, parse_notice

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_KILLED = {"stat:canceled", "stat:cancelled", "stat:withheld"}


def parse(source: str, *, name: str = "", zone: datetime.tzinfo = UTC) -> list[ParsedItem]:
    """Read every newsItem in a NewsML-G2 document; times that name no zone are read in `zone`."""
    root = parse_xml(source, name=name)
    if local_name(root) == "newsItem":
        return [_item(root, original=source, name=name, zone=zone)]
    items = descendants(root, "newsItem")
    if not items:
        raise ParseError("the NewsML-G2 document holds no newsItem", item=name)
    return [
        _item(item, original=etree.tostring(item, encoding="unicode"), name=name, zone=zone)
        for item in items
    ]


def _name(element: etree._Element | None) -> str:
    """Return a party's or concept's name: its <name>, its literal, or the code of its qcode."""
    if element is None:
        return ""
    return (
        text_of(child(element, "name"))
        or element.get("literal", "").strip()
        or element.get("qcode", "").partition(":")[2].strip()
    )


def _item(item: etree._Element, *, original: str, name: str, zone: datetime.tzinfo) -> ParsedItem:
    guid = item.get("guid", "").strip()
    label = guid or name
    times = Times(zone, item=label)
    item_meta = child(item, "itemMeta")
    content_meta = child(item, "contentMeta")

    headline = _headline(content_meta)
    standfirst = text_of(child(content_meta, "subheadline")) or _description(content_meta)
    body_html, body_notices, inner = _content(child(item, "contentSet"))
    if not headline and inner is not None:
        headline = text_of(child(inner, "body", "body.head", "hedline", "hl1"))
    if not headline and not body_html:
        raise ParseError(
            "the item has neither a headline nor body text", item=label, field="headline"
        )
    working = False
    if not headline:
        headline, working = first_sentence(re.sub(r"<[^>]+>", " ", body_html)), True

    holders, notices, terms, starts, ends = [], [], [], [], []
    for rights in children(item, "rightsInfo"):
        holders += [_name(h) for h in children(rights, "copyrightHolder")]
        notices += [text_of(n) for n in children(rights, "copyrightNotice")]
        terms += [text_of(t) for t in children(rights, "usageTerms")]
        # Its time validity (@validfrom, @validto) is the window of the rights it states.
        starts.append(_attribute_time(rights, "validfrom", times))
        ends.append(_attribute_time(rights, "validto", times))
    notice = parse_notice(
        [*notices, *body_notices],
        holder=next((h for h in holders if h), ""),
        usage_terms=" ".join(t for t in terms if t),
    )

    bylines, organisations = _credits(content_meta)
    if not bylines and inner is not None:
        bylines, named = nitf.byline_credits(child(inner, "body", "body.head"))
        organisations.append(named)

    version = item.get("version", "").strip()
    if version and not version.isdigit():
        raise ParseError(f"expected a whole number, got {version!r}", item=label, field="version")
    status = child(item_meta, "pubStatus")
    language = child(content_meta, "language")
    located = child(content_meta, "located")
    subjects = children(content_meta, "subject") if content_meta is not None else []
    # The service the item belongs to names its section; subjects are keywords, by the name a
    # reader can read (a bare code is none).
    service = child(item_meta, "service")
    provider_element = child(item_meta, "provider")
    sources = children(content_meta, "infoSource") if content_meta is not None else []
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
        dateline=text_of(child(content_meta, "dateline")),
        language=(language.get("tag", "") if language is not None else "")
        or item.get(_XML_LANG, ""),
        version=int(version) if version else None,
        version_created=_time(child(item_meta, "versionCreated"), times),
        embargo_until=_time(child(item_meta, "embargoed"), times),
        rights_start=max(filter(None, starts), default=None),
        rights_expire_at=min(filter(None, ends), default=None),
        zone_assumed=times.assumed,
        killed=(status.get("qcode", "") if status is not None else "") in _KILLED,
        provider=provider,
        slugline=text_of(child(content_meta, "slugline")),
        section=_name(service),
        keywords=keyword_list(text_of(child(s, "name")) or s.get("literal", "") for s in subjects),
        located=name_case(_name(located)),
        bylines=bylines,
        notice=notice,
        territories=notice.territories,
        original=original,
    )


def _headline(content_meta: etree._Element | None) -> str:
    headlines = children(content_meta, "headline") if content_meta is not None else []
    main = [h for h in headlines if h.get("role", "").endswith(":main")]
    return text_of((main or headlines or [None])[0])


def _description(content_meta: etree._Element | None) -> str:
    descriptions = children(content_meta, "description") if content_meta is not None else []
    summaries = [d for d in descriptions if d.get("role", "").endswith(":summary")]
    return text_of((summaries or [None])[0])


def _credits(content_meta: etree._Element | None) -> tuple[list[ParsedByline], list[str]]:
    """Read creators and contributors: people become bylines, organisations are kept apart."""
    bylines, organisations = [], []
    if content_meta is None:
        return bylines, organisations
    for party in [*children(content_meta, "creator"), *children(content_meta, "contributor")]:
        default = "writing" if local_name(party) == "creator" else "additional_reporting"
        role_code = re.split(r"[:/#]", party.get("role", ""))[-1].lower()
        role = PARTY_ROLES.get(role_code, default)
        if party.get("type", "").endswith(("organisation", "organization")):
            organisations.append(_name(party))
            continue
        people, organisation = bylines_from_statement(text_of(child(party, "name")), role=role)
        bylines += people
        organisations.append(organisation)
    return bylines, organisations


def _content(
    content_set: etree._Element | None,
) -> tuple[str, list[str], etree._Element | None]:
    """Return body HTML, notice paragraphs taken out of it, and the NITF element if any."""
    if content_set is None:
        return "", [], None
    for inline in children(content_set, "inlineXML"):
        found = nitf.find_nitf(inline)
        if found is not None:
            content = child(found, "body", "body.content")
            if content is not None:
                body = nitf.body_html(content)
                return body.html, body.notice_lines, found
        xhtml_body = next((e for e in descendants(inline, "body")), None)
        if xhtml_body is not None:
            return *_xhtml(xhtml_body), None
    for inline in children(content_set, "inlineData"):
        text = (inline.text or "").strip()
        if text:
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
            return (
                "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p),
                [],
                None,
            )
    return "", [], None


def _xhtml(body: etree._Element) -> tuple[str, list[str]]:
    """Serialise an XHTML body's children as HTML, taking notice paragraphs out."""
    copy = etree.fromstring(etree.tostring(body))
    for element in copy.iter():
        if isinstance(element.tag, str):
            element.tag = local_name(element)
    etree.cleanup_namespaces(copy)
    notices = []
    for paragraph in list(copy.iter("p")):
        words = text_of(paragraph)
        if is_notice_line(words):
            notices.append(words)
            paragraph.getparent().remove(paragraph)
    markup = html.escape((copy.text or "").strip(), quote=False)
    markup += "".join(etree.tostring(c, encoding="unicode", method="html") for c in copy)
    return markup.strip(), notices


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
