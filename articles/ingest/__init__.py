"""Read wire files into ParsedItems: tell the format from the content, then run its parser."""

from __future__ import annotations

import codecs
import datetime
import json
import re

from articles.ingest import newsml, newsml1, ninjs, nitf, text
from articles.ingest.parsed import ParsedByline, ParsedItem, ParseError, UnreadItem

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "ParseError",
    "ParsedByline",
    "ParsedItem",
    "UnreadItem",
    "decode_text",
    "detect_format",
    "parse",
]

MAX_BYTES = 5 * 1024 * 1024
FORMATS = ("text", "ninjs", "newsml", "newsml1", "nitf")
_PARSERS = {
    "text": text.parse,
    "ninjs": ninjs.parse,
    "newsml": newsml.parse,
    "newsml1": newsml1.parse,
    "nitf": nitf.parse,
}

# Control characters never found in text; tab, newlines and form feed are.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_XML_ROOT = re.compile(r"<(?![?!])(?:[\w.-]+:)?([\w.-]+)")
_XML_PROLOG = re.compile(
    r"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>))*\s*", re.S
)
_NEWSML_ROOTS = {"newsItem", "newsMessage", "packageItem"}
# NewsML 1.2 (AFP, ANA-MPE, Belga, EFE): its DataContent often holds a <nitf>, so it is told by
# its root before NITF is looked for inside. A NewsItem alone is one item of such a file.
_NEWSML1_ROOTS = {"NewsML", "NewsItem"}


def _named(message: str, name: str) -> str:
    return f"{name}: {message}" if name else message


def decode_text(data: bytes, name: str = "") -> str:
    """Decode a wire file to text, or raise ParseError.

    Accepts UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, and the
    encoding an XML declaration names. Anything else is read as Windows-1252 (a superset of
    Latin-1 in practice) only when the bytes are plainly 8-bit text.
    """
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8"]
        declared = _XML_ENCODING.match(data)
        if declared:
            encodings.append(declared[1].decode("ascii"))
        if not _CONTROL_BYTES.search(data):
            encodings += ["cp1252", "latin-1"]
    for encoding in encodings:
        try:
            decoded = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise ParseError(_named(f"unknown text encoding {encoding!r}", name)) from None
        if _CONTROL_CHARS.search(decoded):
            break
        return decoded
    if _looks_like_bomless_utf16(data):
        raise ParseError(
            _named("not text: looks like UTF-16 without a byte-order mark; save it as UTF-8", name)
        )
    raise ParseError(_named("not text: binary data", name))


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def _format_of(source: str, name: str = "") -> str:
    stripped = source.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{") or re.match(r"\[\s*[{\]]", stripped) or _is_json(stripped):
        return "ninjs"
    if not stripped.startswith("<"):
        return "text"
    prolog = _XML_PROLOG.match(stripped)
    root = _XML_ROOT.match(stripped, prolog.end() if prolog else 0)
    root_name = root[1] if root else ""
    if root_name in _NEWSML_ROOTS:
        return "newsml"
    if root_name in _NEWSML1_ROOTS:
        return "newsml1"
    # NITF is also sent inside other wrappers; the NITF parser finds it where it is.
    if root_name == "nitf" or re.search(r"<(?:[\w.-]+:)?nitf[\s>]", stripped):
        return "nitf"
    raise ParseError(
        _named(
            f"unrecognised XML: the root element <{root_name or '?'}> is neither a NewsML-G2 "
            "newsItem, newsMessage or packageItem, nor a NewsML 1.2 document, nor NITF",
            name,
        )
    )


def _is_json(source: str) -> bool:
    try:
        json.loads(source)
    except (ValueError, RecursionError):
        return False
    return True


def detect_format(data: bytes) -> str:
    """Return "text", "ninjs", "newsml" (G2), "newsml1" (1.2) or "nitf" from the content (never
    the file name)."""
    return _format_of(decode_text(data))


def parse(
    data: bytes, *, format: str = "auto", name: str = "", zone: datetime.tzinfo = datetime.UTC
) -> list[ParsedItem | UnreadItem]:
    """Parse one wire file into its items, or raise ParseError saying what is wrong and where.

    A file of many items returns an UnreadItem for each one that is bad; the rest are read.

    Times the copy gives without a zone are read in `zone`, the source's (UTC by default); each
    item names the fields read that way in `zone_assumed`.
    """
    if format != "auto" and format not in _PARSERS:
        raise ParseError(f"unknown format {format!r}; expected auto, {', '.join(FORMATS)}")
    if len(data) > MAX_BYTES:
        raise ParseError(
            _named(f"file too large: {len(data):,} bytes, the limit is {MAX_BYTES:,}", name)
        )
    source = decode_text(data, name)
    if not source.strip(" \t\r\n\f\ufeff"):
        raise ParseError(_named("empty file", name))
    chosen = _format_of(source, name) if format == "auto" else format
    return _PARSERS[chosen](source, name=name, zone=zone)
