"""NITF 3.x documents, namespaced or not, and the NITF bodies that NewsML-G2 items carry."""

from __future__ import annotations

import dataclasses
import datetime
import re

from lxml import etree

from articles.ingest.parsed import ParsedByline, ParsedItem, ParseError, keyword_list
from articles.ingest.text import UTC, Times, bylines_from_statement, first_sentence
from articles.ingest.xmlsafe import child, children, descendants, local_name, parse_xml, text_of
from articles.notices import country_code, is_notice_line, parse_notice

# NITF body elements and the HTML element each becomes; those not listed give up their tag and
# keep their text, and those in _DROPPED go entirely.
_HTML_TAGS = {
    "p": "p",
    "hl2": "h2",
    "block": "div",
    "bq": "blockquote",
    "credit": "cite",
    "pre": "pre",
    "ol": "ol",
    "ul": "ul",
    "li": "li",
    "dl": "dl",
    "dt": "dt",
    "dd": "dd",
    "table": "table",
    "caption": "caption",
    "thead": "thead",
    "tbody": "tbody",
    "tfoot": "tfoot",
    "tr": "tr",
    "th": "th",
    "td": "td",
    "em": "em",
    "q": "q",
    "a": "a",
    "br": "br",
    "hr": "hr",
    "sub": "sub",
    "sup": "sup",
}
_DROPPED = {"media", "fn", "note", "nitf-table-metadata"}


@dataclasses.dataclass
class Body:
    """An NITF body read into HTML, with the notice paragraphs taken out of it."""

    html: str
    notice_lines: list[str]


def body_html(content: etree._Element) -> Body:
    """Serialise the children of a body.content element to HTML, keeping notices out of it."""
    holder = etree.Element("div")
    notices: list[str] = []
    _convert_children(content, holder, notices)
    if holder.text and holder.text.strip():
        # Text straight inside body.content, outside any paragraph, still belongs to the story.
        lead = etree.Element("p")
        lead.text = holder.text.strip()
        holder.insert(0, lead)
    html = "".join(etree.tostring(node, encoding="unicode", method="html") for node in holder)
    return Body(html=html.strip(), notice_lines=notices)


def _convert_children(source: etree._Element, target: etree._Element, notices: list[str]) -> None:
    for node in source:
        name = local_name(node)
        if name in _DROPPED or not name:
            _append_text(target, node.tail)
            continue
        if name == "p" and is_notice_line(text_of(node)):
            notices.append(text_of(node))
            _append_text(target, node.tail)
            continue
        tag = _HTML_TAGS.get(name)
        if tag is None:
            _append_text(target, node.text)
            _convert_children(node, target, notices)
        else:
            element = etree.SubElement(target, tag)
            if tag == "a" and node.get("href"):
                element.set("href", node.get("href"))
            _append_text(element, node.text)
            _convert_children(node, element, notices)
        _append_text(target, node.tail)


def _append_text(target: etree._Element, text: str | None) -> None:
    if not text:
        return
    if target.tag != "pre":
        text = re.sub(r"\s+", " ", text)
    if len(target):
        target[-1].tail = (target[-1].tail or "") + text
    else:
        target.text = (target.text or "") + text


def byline_credits(head: etree._Element | None) -> tuple[list[ParsedByline], str]:
    """Read the byline elements of a body.head: people from <person> or the text before <byttl>."""
    people: list[ParsedByline] = []
    organisation = ""
    for byline in children(head, "byline") if head is not None else []:
        persons = descendants(byline, "person")
        if persons:
            for person in persons:
                found, _ = bylines_from_statement(text_of(person))
                people.extend(found)
            continue
        statement = " ".join(
            t for t in [byline.text or "", *(c.tail or "" for c in byline)] if t.strip()
        )
        found, named = bylines_from_statement(statement)
        people.extend(found)
        organisation = organisation or named
    return people, organisation


def find_nitf(root: etree._Element) -> etree._Element | None:
    """Return the nitf element: the root itself or the first one inside it."""
    if local_name(root) == "nitf":
        return root
    found = descendants(root, "nitf")
    return found[0] if found else None


def parse(source: str, *, name: str = "", zone: datetime.tzinfo = UTC) -> list[ParsedItem]:
    """Read one NITF document (or the first NITF document inside another wrapper); times that
    name no zone are read in `zone`."""
    nitf = find_nitf(parse_xml(source, name=name))
    if nitf is None:
        raise ParseError("no <nitf> element in this XML document", item=name)
    head = child(nitf, "head")
    docdata = child(head, "docdata")
    doc_id = child(docdata, "doc-id")
    guid = doc_id.get("id-string", "") if doc_id is not None else ""
    item = guid or name
    times = Times(zone, item=item)
    body_head = child(nitf, "body", "body.head")
    content = child(nitf, "body", "body.content")

    headline = text_of(child(body_head, "hedline", "hl1")) or text_of(child(head, "title"))
    standfirst = text_of(child(body_head, "hedline", "hl2")) or text_of(
        child(body_head, "abstract")
    )
    body = body_html(content) if content is not None else Body("", [])
    if not headline and not body.html:
        raise ParseError(
            "the document has neither a headline nor body text", item=item, field="hl1"
        )
    working = False
    if not headline:
        headline, working = first_sentence(text_of(content)), True

    bylines, byline_organisation = byline_credits(body_head)
    copyright_element = child(docdata, "doc.copyright")
    rights = child(docdata, "doc.rights")
    holder = copyright_element.get("holder", "") if copyright_element is not None else ""
    notice = parse_notice(
        body.notice_lines,
        holder=holder
        or (rights.get("owner", "") if rights is not None else "")
        or text_of(child(body_head, "rights", "rights.owner")),
        usage_terms=rights.get("limitations", "") if rights is not None else "",
    )
    year = copyright_element.get("year", "") if copyright_element is not None else ""
    if notice.year is None and year.isdigit() and 1900 <= int(year) <= 2100:
        notice = dataclasses.replace(notice, year=int(year))
    territories = set(notice.territories)
    if rights is not None and rights.get("geography", "").strip():
        geography = rights.get("geography", "")
        codes = [country_code(p) for p in geography.replace(";", ",").split(",") if p.strip()]
        if all(codes):
            territories.update(c for c in codes if c)
        else:
            unread = " ".join(filter(None, [notice.unrecognised, f"Geography: {geography}"]))
            notice = dataclasses.replace(notice, unrecognised=unread)
    notice = dataclasses.replace(notice, territories=frozenset(territories))

    expiries = [
        _when(child(docdata, "date.expire"), "norm", times),
        _when(rights, "enddate", times),
    ]
    du_key = child(docdata, "du-key")
    version = du_key.get("version", "") if du_key is not None else ""
    if version and not version.isdigit():
        raise ParseError(f"expected a whole number, got {version!r}", item=item, field="du-key")
    evloc = child(docdata, "evloc")
    distributor = text_of(child(body_head, "distributor"))
    pubdata = child(head, "pubdata")
    tobject = child(head, "tobject")
    language = nitf.get("baselang") or nitf.get("{http://www.w3.org/XML/1998/namespace}lang")
    return [
        ParsedItem(
            format="nitf",
            guid=guid,
            headline=headline,
            headline_is_working=working,
            body_html=body.html,
            standfirst=standfirst,
            dateline=text_of(child(body_head, "dateline")),
            language=language or "",
            version=int(version) if version else None,
            version_created=_when(child(docdata, "date.issue"), "norm", times),
            embargo_until=_when(child(docdata, "date.release"), "norm", times),
            rights_start=_when(rights, "startdate", times),
            rights_expire_at=min((e for e in expiries if e), default=None),
            zone_assumed=times.assumed,
            provider=distributor
            or byline_organisation
            or (doc_id.get("regsrc", "") if doc_id is not None else "")
            or notice.holder,
            slugline=du_key.get("key", "") if du_key is not None else "",
            section=(pubdata.get("position.section", "") if pubdata is not None else "")
            or (tobject.get("tobject.type", "") if tobject is not None else ""),
            keywords=_keywords(tobject, docdata),
            located=", ".join(
                evloc.get(a, "")
                for a in ("city", "county-dist", "state-prov", "iso-cc")
                if evloc is not None and evloc.get(a, "").strip()
            ),
            bylines=bylines,
            notice=notice,
            territories=notice.territories,
            original=source,
        )
    ]


def _keywords(tobject: etree._Element | None, docdata: etree._Element | None) -> list[str]:
    """The subjects (each by its most specific name) and the key-list's keywords."""
    names = [
        subject.get("tobject.subject.detail", "")
        or subject.get("tobject.subject.matter", "")
        or subject.get("tobject.subject.type", "")
        for subject in (children(tobject, "tobject.subject") if tobject is not None else [])
    ]
    for key_list in children(docdata, "key-list") if docdata is not None else []:
        names += [keyword.get("key", "") for keyword in children(key_list, "keyword")]
    return keyword_list(names)


def _when(element: etree._Element | None, attribute: str, times: Times) -> datetime.datetime | None:
    """Read a time attribute; one that names no zone is read in the source's."""
    value = element.get(attribute, "").strip() if element is not None else ""
    if not value:
        return None
    return times.read(value, field=f"{local_name(element)}/@{attribute}")
