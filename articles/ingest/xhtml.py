"""The bodies NewsML items carry besides NITF (G2's inlineXML and inlineData, NewsML 1.2's
DataContent): XHTML, HTML sent as text, plain text. Split out of newsml.py; newsml1 uses it too.

An XHTML body may open with a <header> that repeats the item's metadata (dpa's: a list of
subjects and keywords, the time, the genre, the headline again, sometimes a kicker and a
by-line). It never reaches the body: its headline, kicker, standfirst and by-line are offered
to the item where its metadata has none, and the rest is dropped. Notice paragraphs and a
leading "By …" paragraph are taken out, as in NITF bodies.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from articles.ingest import nitf
from articles.ingest.xmlsafe import child, descendants, local_name, text_of
from articles.notices import is_notice_line

# Tags whose presence says a text is HTML, whatever its content type claims (ANSA sends
# "text/plain" holding <p>; Belga escapes <b> into a plain DataContent).
_HTML_TAG = re.compile(
    r"</?(?:p|br|b|i|u|em|strong|div|span|h[1-6]|ul|ol|li|a|blockquote|table|tr|td|th|sub|sup|"
    r"q|cite|pre|hr|body|html)(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_XHTML = "http://www.w3.org/1999/xhtml"
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BLOCKS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "dl", "table", "blockquote", "pre", "figure", "hr", "header", "footer", "aside",
}  # fmt: skip
_KICKER = {"kicker", "dachzeile", "topline", "overline", "roofline"}
_STANDFIRST = {"teaser", "lead", "abstract", "summary", "standfirst", "intro", "subtitle"}


@dataclass
class Header:
    """What a body's own header said; each is used only where the item's metadata is silent."""

    headline: str = ""
    kicker: str = ""
    standfirst: str = ""
    byline: str = ""


@dataclass
class Content(nitf.Body):
    """A body read into HTML, with what its header said and the NITF document it came from."""

    header: Header = field(default_factory=Header)
    document: etree._Element | None = None


def from_nitf(document: etree._Element) -> Content:
    """The body of a NITF document (its body.content), keeping the document for its head."""
    content = child(document, "body", "body.content")
    body = nitf.body_html(content) if content is not None else nitf.Body("", [])
    return Content(body.html, body.notice_lines, body.byline, document=document)


def from_xhtml(body: etree._Element) -> Content:
    """Serialise an XHTML body's children (any namespace, or none) as HTML."""
    root = copy.deepcopy(body)
    root.tail = None
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove(node)
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = local_name(element)
    etree.cleanup_namespaces(root)
    header = Header()
    for found in list(root.iter("header")):
        _read_header(found, header)
        _remove(found)
    notices = []
    for paragraph in list(root.iter("p")):
        words = text_of(paragraph)
        if is_notice_line(words):
            notices.append(words)
            _remove(paragraph)
    if not any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in root):
        return Content(_loose_paragraphs(root), notices, header=header)
    if (root.text or "").strip():
        # Text straight inside the body, before its first block, still belongs to the story.
        lead = etree.Element("p")
        lead.text = root.text.strip()
        root.text = None
        root.insert(0, lead)
    byline = nitf.take_lead_byline(root)
    markup = "".join(etree.tostring(c, encoding="unicode", method="html") for c in root)
    return Content(markup.strip(), notices, byline, header=header)


def from_html_text(text: str) -> Content:
    """HTML sent as text (CDATA or escaped): a whole document or a fragment."""
    body = html_element(text)
    return from_xhtml(body) if body is not None else from_plain_text(text)


def html_element(text: str) -> etree._Element | None:
    """Parse HTML given as text into its body element; None when there is nothing to parse."""
    # A declaration in a string is refused by lxml; the text is decoded already.
    text = _DECLARATION.sub("", text, count=1).strip()
    if not text:
        return None
    try:
        if re.search(r"<body[\s>]", text, re.IGNORECASE):
            document = lxml.html.document_fromstring(text)
            body = document.find("body")
            return body if body is not None else document
        return lxml.html.fragment_fromstring(text, create_parent="body")
    except (etree.ParserError, ValueError):
        return None


def from_plain_text(text: str) -> Content:
    """Plain text: paragraphs are separated by blank lines; notice paragraphs are taken out."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    notices = [p for p in paragraphs if p and is_notice_line(p)]
    kept = [p for p in paragraphs if p and p not in notices]
    return Content("".join(f"<p>{html.escape(p, quote=False)}</p>" for p in kept), notices)


def from_container(data: etree._Element, *, html: bool) -> Content:
    """What an element holding a body holds (NewsML 1.2's DataContent): NITF (whole, its
    body.content, or AFP's bare paragraphs), XHTML, HTML as text (ANA-MPE's CDATA, Belga's escaped
    tags; `html` when its format says so) or plain text."""
    elements = [e for e in data if isinstance(e.tag, str)]
    if not elements:
        text = (data.text or "").strip()
        return from_html_text(text) if html or looks_like_html(text) else from_plain_text(text)
    found = nitf.find_nitf(data)
    if found is not None:
        return from_nitf(found)
    content = next(iter(descendants(data, "body.content")), None)
    page = next(iter(descendants(data, "body")), None)
    if content is None and page is not None:
        return from_xhtml(page)
    if content is None and (html or any(etree.QName(e).namespace == _XHTML for e in elements)):
        return from_xhtml(data)
    body = nitf.body_html(content if content is not None else data)
    return Content(body.html, body.notice_lines, body.byline)


def first_header(contents: list[Content]) -> Header:
    """What several bodies' headers said, each field from the first that says it."""
    found = Header()
    for content in contents:
        for name in ("headline", "kicker", "standfirst", "byline"):
            if not getattr(found, name):
                setattr(found, name, getattr(content.header, name))
    return found


def looks_like_html(text: str) -> bool:
    return bool(_HTML_TAG.search(text))


def _read_header(header: etree._Element, found: Header) -> None:
    for element in header.iter():
        if not isinstance(element.tag, str) or element is header:
            continue
        words = text_of(element)
        classes = set((element.get("class") or "").lower().split())
        if not words:
            continue
        if element.tag in ("h1", "h2") and not found.headline:
            found.headline = words
        elif (element.tag == "h4" or classes & _KICKER) and not found.kicker:
            found.kicker = words
        elif (element.tag == "h3" or classes & _STANDFIRST) and not found.standfirst:
            found.standfirst = words
        elif "byline" in classes and not found.byline:
            found.byline = words


def _remove(element: etree._Element) -> None:
    """Remove an element, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def _loose_paragraphs(root: etree._Element) -> str:
    """A body of text and inline markup only: its paragraphs are separated by blank lines."""
    inner = html.escape(root.text or "", quote=False) + "".join(
        etree.tostring(c, encoding="unicode", method="html") for c in root
    )
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", inner)]
    return "".join(f"<p>{p}</p>" for p in paragraphs if p)
