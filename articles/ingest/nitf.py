"""NITF 3.x documents, namespaced or not, and the NITF bodies that NewsML-G2 items carry."""

from __future__ import annotations

import dataclasses
import datetime
import html as html_text
import re

import lxml.html
from lxml import etree

from articles.ingest.parsed import ParsedByline, ParsedItem, ParseError, keyword_list
from articles.ingest.text import (
    UTC,
    Times,
    _by_line,
    bylines_from_statement,
    first_sentence,
    name_case,
)
from articles.ingest.xmlsafe import child, children, descendants, local_name, parse_xml, text_of
from articles.notices import Notice, country_code, is_notice_line, parse_notice

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
    """A body read into HTML, with the notice paragraphs and a leading "By …" paragraph taken out
    of it (`byline` is that paragraph's statement, for the item's credits)."""

    html: str
    notice_lines: list[str]
    byline: str = ""


def body_html(content: etree._Element) -> Body:
    """Serialise the children of a body.content element to HTML, keeping notices out of it."""
    holder = etree.Element("div")
    notices: list[str] = []
    _convert_children(content, holder, notices)
    if holder.text and holder.text.strip():
        # Text straight inside body.content, outside any paragraph, still belongs to the story.
        lead = etree.Element("p")
        lead.text = holder.text.strip()
        holder.text = None
        holder.insert(0, lead)
    byline = take_lead_byline(holder)
    html = "".join(etree.tostring(node, encoding="unicode", method="html") for node in holder)
    return Body(html=html.strip(), notice_lines=notices, byline=byline)


# Elements that only hold others: a leading by-line may sit inside one (dpa's section.main).
_CONTAINERS = {"div", "section", "article", "main", "block", "body.content"}
_BY_WORD = re.compile(r"^(?:by|von|par|por|av|af)\s+", re.IGNORECASE)


def by_line_people(statement: str) -> list[ParsedByline] | None:
    """The people a "By …" line credits ("By JANE DOE and JOHN ROE", "Von Anna Schmidt, dpa"),
    or None when the line is not a by-line: every part must be a name, a title or an agency."""
    words = " ".join(statement.split())
    if not _BY_WORD.match(words):
        return None
    found = _by_line("By " + _BY_WORD.sub("", words))
    return found[0] if found else None


def take_lead_byline(root: etree._Element) -> str:
    """Take out a body's first paragraph when it is a "By …" line; return its statement.

    Agencies repeat the byline as the story's first paragraph (AP in XHTML, some NITF); the
    people it names are credited from the metadata, so the body need not say it again.
    """
    element = root
    while True:
        if (element.text or "").strip():
            return ""
        first = next((c for c in element if isinstance(c.tag, str)), None)
        if first is None:
            return ""
        if local_name(first) in _CONTAINERS:
            element = first
            continue
        break
    statement = text_of(first)
    if local_name(first) != "p" or by_line_people(statement) is None:
        return ""
    tail = first.tail
    element.remove(first)
    if tail and tail.strip():
        element.text = (element.text or "") + tail
    return statement


def repeats_lead(text: str, body: str) -> bool:
    """Whether `text`, offered as a standfirst, only repeats the body's opening: ANA-MPE sends
    the lead paragraph again as its sub-headline, EFE the first paragraphs (cut) as an abstract.
    A short standfirst that merely begins as the lead begins is kept."""
    words = " ".join(text.split()).casefold()
    if not words or not body.strip():
        return False
    try:
        fragment = lxml.html.fragment_fromstring(body, create_parent="div")
    except (etree.ParserError, ValueError):
        return False
    first = next((c for c in fragment if isinstance(c.tag, str)), None)
    lead = " ".join((first.text_content() if first is not None else fragment.text or "").split())
    lead = html_text.unescape(lead).casefold()
    if not lead:
        return False
    return words.startswith(lead) or (lead.startswith(words) and len(words.split()) >= 8)


_TIMESTAMP = re.compile(
    r"^(?:\d{8}(?:T\d{4,6}(?:[.,]\d+)?)?"  # basic: 20190121T103600
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)"  # extended
    r"(?:Z|[+-]\d{2}:?\d{2})?$"
)


def is_timestamp(text: str) -> bool:
    """Whether `text` is a machine timestamp ("20190121T103600+0000"), not words for a reader."""
    return bool(_TIMESTAMP.match(text.strip()))


def dateline_parts(dateline: etree._Element | None) -> tuple[str, str]:
    """Return a dateline's text and the place its <location> names.

    EFE writes `<location>MADRID</location>, <story.date norm="…">5 dic (EFE)</story.date>`, and
    often a bare timestamp inside story.date (their own comment calls it a mistake kept for old
    clients): the text keeps the words ("MADRID, 5 dic (EFE)") and never the timestamp.
    """
    if dateline is None:
        return "", ""
    pieces: list[str] = []

    def walk(element: etree._Element) -> None:
        own = element.text or ""
        if local_name(element) == "story.date" and is_timestamp(own):
            own = ""
        if local_name(element):
            pieces.append(own)
        for node in element:
            walk(node)
            pieces.append(node.tail or "")

    walk(dateline)
    text = " ".join("".join(pieces).split()).strip(" ,;:-–—")
    if is_timestamp(text):
        text = ""
    return text, text_of(child(dateline, "location"))


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
    body = body_html(content) if content is not None else Body("", [])
    if not headline and not body.html:
        raise ParseError(
            "the document has neither a headline nor body text", item=item, field="hl1"
        )
    working = False
    if not headline:
        headline, working = first_sentence(text_of(content)), True

    bylines, byline_organisation = byline_credits(body_head)
    bylines = unique_bylines([*bylines, *(by_line_people(body.byline) or [])])
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
    notice = with_geography(notice, rights.get("geography", "") if rights is not None else "")

    expiries = [
        _when(child(docdata, "date.expire"), "norm", times),
        _when(rights, "enddate", times),
    ]
    du_key = child(docdata, "du-key")
    slugline = du_key.get("key", "") if du_key is not None else ""
    keywords = document_keywords(nitf)
    version = du_key.get("version", "") if du_key is not None else ""
    if version and not version.isdigit():
        raise ParseError(f"expected a whole number, got {version!r}", item=item, field="du-key")
    dateline, place = dateline_parts(child(body_head, "dateline"))
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
            standfirst=standfirst(
                [
                    text_of(child(body_head, "hedline", "hl2")),
                    text_of(child(body_head, "abstract")),
                ],
                body=body.html,
                labels=[*keywords, slugline],
            ),
            dateline=dateline,
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
            slugline=slugline,
            section=(pubdata.get("position.section", "") if pubdata is not None else "")
            or (tobject.get("tobject.type", "") if tobject is not None else ""),
            keywords=keywords,
            # Where the story was filed: the dateline's <location>, else the event's place.
            located=name_case(place) or event_place(nitf),
            bylines=bylines,
            notice=notice,
            territories=notice.territories,
            original=source,
        )
    ]


_WORLDWIDE = {"world", "worldwide", "all", "global", "international", "monde", "tous pays"}


def with_geography(notice: Notice, geography: str) -> Notice:
    """The notice with the territories a rights geography names ("United Kingdom, IE"); one it
    cannot map all of is kept for a person ("Geography: …"), and a worldwide one limits nothing."""
    geography = " ".join(geography.split())
    if not geography or geography.casefold() in _WORLDWIDE:
        return notice
    codes = [country_code(p) for p in re.split(r"[,;/]", geography) if p.strip()]
    if codes and all(codes):
        return dataclasses.replace(notice, territories=notice.territories | set(codes))
    unread = " ".join(filter(None, [notice.unrecognised, f"Geography: {geography}"]))
    return dataclasses.replace(notice, unrecognised=unread)


def event_place(document: etree._Element | None) -> str:
    """The place a NITF document's evloc names: "London, GB"."""
    evloc = child(document, "head", "docdata", "evloc")
    return ", ".join(
        evloc.get(a, "")
        for a in ("city", "county-dist", "state-prov", "iso-cc")
        if evloc is not None and evloc.get(a, "").strip()
    )


def standfirst(candidates: list[str], *, body: str, labels: list[str]) -> str:
    """The first candidate that is a standfirst: not a label the copy also gives as a keyword or
    slug (EFE's hl2 "INDIA SUCESOS" is its key-list keyword), not a repeat of the lead."""
    taken = {" ".join(label.split()).casefold() for label in labels if label}
    for text in candidates:
        text = " ".join(text.split())
        if text and text.casefold() not in taken and not repeats_lead(text, body):
            return text
    return ""


def unique_bylines(bylines: list[ParsedByline]) -> list[ParsedByline]:
    """Each person once (the first credit given wins), whichever fields named them."""
    seen: set[str] = set()
    unique = []
    for byline in bylines:
        if byline.name.casefold() not in seen:
            seen.add(byline.name.casefold())
            unique.append(byline)
    return unique


def document_keywords(document: etree._Element | None) -> list[str]:
    """A NITF document's subjects (each by its most specific name) and key-list keywords."""
    head = child(document, "head")
    return _keywords(child(head, "tobject"), child(head, "docdata"))


def _keywords(tobject: etree._Element | None, docdata: etree._Element | None) -> list[str]:
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
