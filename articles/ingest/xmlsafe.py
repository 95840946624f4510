"""The one way wire XML is parsed: no entities, no DTDs, no network. Lookups by local name, so a
document reads the same with or without its namespace."""

from __future__ import annotations

import re

from lxml import etree

from articles.ingest.parsed import ParseError

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


def parse_xml(source: str, *, name: str = "") -> etree._Element:
    """Parse decoded XML text and return its root element, or raise ParseError.

    Entity declarations are refused outright rather than left unexpanded: wire XML has no use
    for them, and they are how external-entity and entity-expansion attacks arrive.
    """
    where = name or "the document"
    if _ENTITY_DECLARATION.search(source):
        raise ParseError(f"{where} declares XML entities (<!ENTITY>), which are not accepted")
    # The text is already decoded, so the declared encoding no longer applies to these bytes.
    data = _DECLARED_ENCODING.sub(r"\1", source, count=1).encode("utf-8")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0)
        raise ParseError(f"{where} is not well-formed XML at line {line}: {error.msg}") from None
    if root is None:
        raise ParseError(f"{where} has no root element")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise ParseError(f"{where} declares XML entities, which are not accepted")
    return root


def local_name(element: etree._Element) -> str:
    """Return an element's tag without its namespace ("" for comments and processing steps)."""
    if not isinstance(element.tag, str):
        return ""
    return etree.QName(element).localname


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Return the direct children called `name`, in any namespace."""
    return [child for child in element if local_name(child) == name]


def child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """Follow `path` through first children by local name; None where a step is missing."""
    for name in path:
        if element is None:
            return None
        found = children(element, name)
        element = found[0] if found else None
    return element


def descendants(element: etree._Element, name: str) -> list[etree._Element]:
    """Return every descendant called `name`, in any namespace, in document order."""
    return [e for e in element.iter() if e is not element and local_name(e) == name]


def text_of(element: etree._Element | None) -> str:
    """Return an element's text content with whitespace collapsed; "" for no element."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
