"""Read wire files into ParsedItems: tell the format from the content, then run its parser."""

from __future__ import annotations

import codecs
import datetime
import json
import re

from articles.ingest import (
    apmedia,
    feed,
    iptc7901,
    mail,
    newsml,
    newsml1,
    ninjs,
    nitf,
    sniff,
    text,
)
from articles.ingest.parsed import ParsedByline, ParsedItem, ParseError, Skipped, UnreadItem

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "ParseError",
    "ParsedByline",
    "ParsedItem",
    "Skipped",
    "UnreadItem",
    "decode_text",
    "detect_format",
    "parse",
]

MAX_BYTES = 5 * 1024 * 1024
FORMATS = (
    "text", "ninjs", "newsml", "newsml1", "nitf", "apmedia", "feed", "iptc7901", "anpa1312",
    "mail", "picture",
)  # fmt: skip
_PARSERS = {
    "text": text.parse,
    "ninjs": ninjs.parse,
    "newsml": newsml.parse,
    "newsml1": newsml1.parse,
    "nitf": nitf.parse,
    "apmedia": apmedia.parse,
    "feed": feed.parse,
}
# Read from the bytes, since each message's character set is its own (and each MIME part's).
_BYTE_PARSERS = {"iptc7901": iptc7901.parse, "anpa1312": iptc7901.parse}

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
# RSS 2.0 <rss>, RSS 1.0 <rdf:RDF>, Atom <feed xmlns="http://www.w3.org/2005/Atom">.
_FEED = re.compile(
    r"<(?:rss[\s>]|(?:[\w.-]+:)?RDF[\s>]|(?:[\w.-]+:)?feed\s[^>]*http://www\.w3\.org/2005/Atom)"
)


def _named(message: str, name: str) -> str:
    return f"{name}: {message}" if name else message


def decode_text(data: bytes, name: str = "") -> str:
    """Decode a wire file to text, or raise ParseError.

    Accepts UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, and the
    encoding an XML declaration names. Anything else is read as Windows-1252 (a superset of
    Latin-1 in practice) only when the bytes are plainly 8-bit text. IPTC 7901 and ANPA 1312
    files are text framed by control characters: those framings are told at the byte level,
    and their own control characters (no others) are let through.
    """
    framed = iptc7901.framed(data)
    control_bytes = iptc7901.FOREIGN_BYTES if framed else _CONTROL_BYTES
    control_chars = iptc7901.FOREIGN_CHARS if framed else _CONTROL_CHARS
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8"]
        declared = _XML_ENCODING.match(data)
        if declared:
            encodings.append(declared[1].decode("ascii"))
        if not control_bytes.search(data):
            encodings += ["cp1252", "latin-1"]
    for encoding in encodings:
        try:
            decoded = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise ParseError(_named(f"unknown text encoding {encoding!r}", name)) from None
        if control_chars.search(decoded):
            break
        return decoded
    if _looks_like_bomless_utf16(data) and sniff.identify(data) is None:
        raise ParseError(
            _named("not text: looks like UTF-16 without a byte-order mark; save it as UTF-8", name)
        )
    raise ParseError(_named(sniff.refusal("not text: binary data", data), name))


def _looks_like_bomless_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def _format_of(source: str, name: str = "") -> str:
    stripped = source.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{") or re.match(r"\[\s*[{\]]", stripped) or _is_json(stripped):
        # AP Media API JSON is told by its own keys (api_version, data.item(s), altids).
        return "apmedia" if apmedia.detect(stripped) else "ninjs"
    framing = iptc7901.framing(stripped)
    if framing or mail.looks_like_mail(stripped):
        return framing or "mail"
    if not stripped.startswith("<"):
        if other := sniff.not_a_story(stripped):
            message = f"not a story: this looks like {other.what}; {other.advice}"
            raise ParseError(_named(message, name))
        return "text"
    prolog = _XML_PROLOG.match(stripped)
    root = _XML_ROOT.match(stripped, prolog.end() if prolog else 0)
    root_name = root[1] if root else ""
    if root_name in _NEWSML_ROOTS:
        return "newsml"
    if root_name in _NEWSML1_ROOTS:
        return "newsml1"
    feed_like = _FEED.match(stripped, root.start() if root else 0)
    if feed_like and not sniff.is_wordpress_export(stripped):  # before NITF: entries may quote it
        return "feed"
    # NITF is also sent inside other wrappers; the NITF parser finds it where it is.
    if root_name == "nitf" or re.search(r"<(?:[\w.-]+:)?nitf[\s>]", stripped):
        return "nitf"
    message = (
        f"unrecognised XML: the root element <{root_name or '?'}> is neither a NewsML-G2 "
        "newsItem, newsMessage or packageItem, nor a NewsML 1.2 document, nor NITF, nor a feed"
    )
    raise ParseError(_named(sniff.refusal(message, stripped), name))


def _is_json(source: str) -> bool:
    try:
        json.loads(source)
    except (ValueError, RecursionError):
        return False
    return True


def detect_format(data: bytes) -> str:
    """Return the format's name (one of FORMATS) from the content, never the file name."""
    return _format_of(decode_text(data))


def parse(
    data: bytes, *, format: str = "auto", name: str = "", zone: datetime.tzinfo = datetime.UTC
) -> list[ParsedItem | UnreadItem]:
    """Parse one wire file into its items, or raise ParseError saying what is wrong and where.

    A file of many items returns an UnreadItem for each one that is bad; the rest are read.

    Times the copy gives without a zone are read in `zone`, the source's (UTC by default); each
    item names the fields read that way in `zone_assumed`.
    """
    if format != "auto" and format not in FORMATS:
        raise ParseError(f"unknown format {format!r}; expected auto, {', '.join(FORMATS)}")
    if format == "picture":  # JPEG, PNG and WebP are read by `loader.Ingest.picture`, not here
        raise ParseError(_named("a picture is stored by ingest, not parsed as a story", name))
    if len(data) > MAX_BYTES:
        raise ParseError(
            _named(f"file too large: {len(data):,} bytes, the limit is {MAX_BYTES:,}", name)
        )
    source = decode_text(data, name)
    if not source.strip(" \t\r\n\f\ufeff"):
        raise ParseError(_named("empty file", name))
    chosen = _format_of(source, name) if format == "auto" else format
    if chosen == "mail":
        return mail.parse(data, name=name, zone=zone, read=parse)
    if chosen in _BYTE_PARSERS:
        return _BYTE_PARSERS[chosen](data, name=name, zone=zone)
    # JSON that is plainly some other kind of document (a JSON Feed, a WordPress API answer) is
    # told apart before its entries are read as news items one by one; a guess from what the
    # JSON lacks only explains the ninjs reader's own refusal.
    guess = sniff.identify(source) if chosen == "ninjs" else None
    if guess is not None and guess.certain:
        raise ParseError(
            _named(f"not a news item: this looks like {guess.what}; {guess.advice}", name)
        )
    try:
        return _PARSERS[chosen](source, name=name, zone=zone)
    except ParseError as error:
        if guess is None:
            raise
        raise ParseError(
            f"{error.message}; this looks like {guess.what}; {guess.advice}",
            item=error.item,
            field=error.field,
        ) from None
