"""HTML bodies as wire formats carry them (ninjs, the AP Media API, RSS and Atom feeds): read
safely, their notices taken out, their <html> wrapper dropped, plain text made paragraphs."""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

from articles.ingest.parsed import ParseError
from articles.notices import is_notice_line


def paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: blank lines part them, or single newlines if none do."""
    separator = "\n\n" if "\n\n" in text.strip() else "\n"
    parts = [" ".join(p.split()) for p in text.split(separator)]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in parts if p)


def inner_html(markup: str, *, label: str, field: str) -> str:
    """Return the content of an HTML body, without <html>, <head> or <body> around it."""
    if not re.search(r"<(?:html|head|body)[\s>]", markup, re.IGNORECASE):
        return markup.strip()
    body = _read_html(markup, lxml.html.document_fromstring, label=label, field=field).find("body")
    if body is None:
        return markup.strip()
    return _serialise(body)


def plain(markup: str, *, label: str, field: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    if not markup.strip():
        return ""
    holder = _read_html(markup, _fragment, label=label, field=field)
    return " ".join(" ".join(holder.itertext()).split())


def without_notices(markup: str, *, label: str, field: str) -> tuple[str, list[str]]:
    """Take paragraphs that are copyright or usage notices out of body HTML."""
    if not markup.strip():
        return markup, []
    holder = _read_html(markup, _fragment, label=label, field=field)
    notices = []
    for paragraph in list(holder.iter("p")):
        words = " ".join(paragraph.text_content().split())
        if is_notice_line(words):
            notices.append(words)
            paragraph.drop_tree()
    if not notices:
        return markup, []
    return _serialise(holder), notices


def _serialise(holder: etree._Element) -> str:
    inner = html.escape(holder.text or "", quote=False)
    inner += "".join(etree.tostring(c, encoding="unicode", method="html") for c in holder)
    return inner.strip()


def _fragment(markup: str) -> etree._Element:
    return lxml.html.fragment_fromstring(markup, create_parent="div")


def _read_html(markup: str, read, *, label: str, field: str) -> etree._Element:
    try:
        return read(markup)
    except (etree.ParserError, ValueError) as error:
        raise ParseError(
            f"the body HTML cannot be read: {error}", item=label, field=field
        ) from None
