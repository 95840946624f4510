"""What a file we cannot read appears to be, so that a refusal says what it is and what to do.

Ingest tells a format from the content, never the file name; a file it cannot read is refused.
`identify` looks at the same content and names what it most likely is ("a PDF document", "a
WordPress export (WXR)") and what would make it readable; `refusal` puts that after the reason.

Formats that other readers take (RSS and Atom feeds, NewsML 1.2, the AP Media API's JSON,
Superdesk's and the BBC's ninjs) are never described as unsupported: for them `identify` says
nothing and `refusal` leaves the reader's own reason as it was. A WordPress export, whose root is
`<rss>`, is not a feed of stories: it is described as what it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_READABLE = "NITF, NewsML-G2, ninjs or plain text"
EXPORT = f"export the story as {_READABLE}"
_UNPACK = f"unpack it and ingest the files inside ({_READABLE})"
_HEAD = 65536  # how much of a file is looked at


@dataclass(frozen=True)
class Guess:
    """What a file appears to be, and what would make it readable."""

    what: str  # "a PDF document"
    advice: str = EXPORT
    # False for a guess from what a file lacks rather than what it has ("not a news item"): a
    # reader may still find items in it (an envelope of them), so it only explains a refusal.
    certain: bool = True


# JPEG, PNG and WebP are read as pictures (`loader.Ingest.picture`) when the format is auto or
# picture; named as another format, they are refused with this.
_PICTURE = "ingest reads it as a picture with the format auto or picture, not as a story"
_OTHER_PICTURE = "ingest reads pictures in JPEG, PNG or WebP: convert it to one of them"
_MEDIA = f"ingest reads stories, not sound or video: send its script as {_READABLE}"
_MAGIC: list[tuple[bytes, int, Guess]] = [
    (b"%PDF-", 0, Guess("a PDF document")),
    (b"\x89PNG\r\n\x1a\n", 0, Guess("a PNG image", _PICTURE)),
    (b"\xff\xd8\xff", 0, Guess("a JPEG image", _PICTURE)),
    (b"GIF87a", 0, Guess("a GIF image", _OTHER_PICTURE)),
    (b"GIF89a", 0, Guess("a GIF image", _OTHER_PICTURE)),
    (b"II*\x00", 0, Guess("a TIFF image", _OTHER_PICTURE)),
    (b"MM\x00*", 0, Guess("a TIFF image", _OTHER_PICTURE)),
    (b"8BPS", 0, Guess("a Photoshop image", _OTHER_PICTURE)),
    (b"ID3", 0, Guess("an MP3 audio file", _MEDIA)),
    (b"OggS", 0, Guess("an Ogg audio or video file", _MEDIA)),
    (b"fLaC", 0, Guess("a FLAC audio file", _MEDIA)),
    (b"\x1aE\xdf\xa3", 0, Guess("a Matroska or WebM video", _MEDIA)),
    (b"\x1f\x8b", 0, Guess("a gzip archive", _UNPACK)),
    (b"BZh", 0, Guess("a bzip2 archive", _UNPACK)),
    (b"\xfd7zXZ\x00", 0, Guess("an xz archive", _UNPACK)),
    (b"7z\xbc\xaf\x27\x1c", 0, Guess("a 7-Zip archive", _UNPACK)),
    (b"Rar!\x1a\x07", 0, Guess("a RAR archive", _UNPACK)),
    (b"ustar", 257, Guess("a tar archive", _UNPACK)),
    (b"SQLite format 3\x00", 0, Guess("an SQLite database")),
    (b"\x7fELF", 0, Guess("a program (an ELF executable)")),
    (b"\xffWPC", 0, Guess("a WordPerfect document")),
    (b"{\\rtf", 0, Guess("an RTF document")),
    (b"%!PS", 0, Guess("a PostScript document")),
]
_RIFF = {
    b"WEBP": Guess("a WebP image", _PICTURE),
    b"WAVE": Guess("a WAV audio file", _MEDIA),
    b"AVI ": Guess("an AVI video", _MEDIA),
}
_FTYP = {
    b"heic": Guess("a HEIC image", _OTHER_PICTURE),
    b"heix": Guess("a HEIC image", _OTHER_PICTURE),
    b"mif1": Guess("a HEIC image", _OTHER_PICTURE),
    b"avif": Guess("an AVIF image", _OTHER_PICTURE),
    b"qt  ": Guess("a QuickTime video", _MEDIA),
    b"M4A ": Guess("an MP4 audio file (.m4a)", _MEDIA),
}
_OLE = [  # names in a Compound File's directory, which it stores in UTF-16
    ("WordDocument", Guess("a legacy Word .doc document")),
    ("Workbook", Guess("an Excel workbook (.xls)")),
    ("Book", Guess("an Excel workbook (.xls)")),
    ("PowerPoint Document", Guess("a PowerPoint presentation (.ppt)")),
    ("__substg1.0_", Guess("an Outlook .msg message", "save the message as .eml and ingest that")),
]
_OFFICE_ADVICE = "Office documents are not read; " + EXPORT
_ZIP = [  # entry names, which a ZIP archive stores in plain bytes
    (b"word/", Guess("a Word .docx document", _OFFICE_ADVICE)),
    (b"xl/", Guess("an Excel workbook (.xlsx)", _OFFICE_ADVICE)),
    (b"ppt/", Guess("a PowerPoint presentation (.pptx)", _OFFICE_ADVICE)),
    (b"mimetypeapplication/vnd.oasis.opendocument.text", Guess("an OpenDocument text (.odt)")),
    (b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet", Guess("an OpenDocument sheet")),
    (b"mimetypeapplication/epub+zip", Guess("an EPUB e-book")),
]


def _binary(data: bytes) -> Guess | None:
    for magic, offset, guess in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return guess
    if data[:4] == b"RIFF" and data[8:12] in _RIFF:
        return _RIFF[data[8:12]]
    if data[4:8] == b"ftyp":
        return _FTYP.get(data[8:12], Guess("an MP4 media file", _MEDIA))
    if len(data) > 1 and data[0] == 0xFF and data[1] in (0xFB, 0xF3, 0xF2):
        return Guess("an MP3 audio file", _MEDIA)
    if len(data) > 1 and data[0] == 0xFF and data[1] in (0xF1, 0xF9):
        return Guess("an AAC audio file", _MEDIA)
    if data[:2] == b"BM" and data[6:10] == b"\x00\x00\x00\x00":
        return Guess("a BMP image", _OTHER_PICTURE)
    if data[:2] == b"MZ" and b"This program cannot be run in DOS mode" in data[:512]:
        return Guess("a Windows program")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        head = data[: _HEAD * 8]
        for stream, guess in _OLE:
            if stream.encode("utf-16-le") in head:
                return guess
        return Guess("a Microsoft Office document (.doc, .xls or .ppt)", _OFFICE_ADVICE)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        head = data[: _HEAD * 8]
        for entry, guess in _ZIP:
            if entry in head:
                return guess
        return Guess("a ZIP archive (perhaps a Word .docx or OpenDocument file)", _UNPACK)
    return None


# --- text -------------------------------------------------------------------------------------

_PROLOG = re.compile(r"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>))*\s*", re.S)
_ROOT = re.compile(r"<(?![?!])((?:[\w.-]+:)?[\w.-]+)")
_HTML_ROOTS = {
    "html", "head", "body", "div", "p", "span", "table", "article", "section", "main", "h1",
    "h2", "h3", "ul", "ol", "a", "img", "br", "meta", "title", "form", "header",
}  # fmt: skip
# Formats others are adding readers for: described by no one here (see the module's docstring).
_READ_ROOTS = {"rss", "feed", "rdf", "newsml"}
_NINJS_FIELDS = {
    "uri", "guid", "headline", "headlines", "body_html", "body_text", "bodies", "body",
    "description_text", "descriptions", "versioncreated", "versionCreated", "pubstatus",
    "pubStatus", "copyrightholder", "copyrightHolder", "byline", "by", "people", "subject",
    "subjects", "language", "type", "version", "slugline", "renditions", "associations",
}  # fmt: skip


def _xml(text: str) -> Guess | None:
    prolog = _PROLOG.match(text)
    root = _ROOT.match(text, prolog.end() if prolog else 0)
    if not root:
        return None
    qualified = root[1]
    name = qualified.rpartition(":")[2]
    head = text[:4096]
    if name.lower() == "rss" and "wordpress.org/export" in head:
        return Guess("a WordPress export (WXR), not a supported wire format")
    if name.lower() in _READ_ROOTS:
        return None
    if name.lower() == "svg":
        return Guess("an SVG image", _OTHER_PICTURE)
    if name == "Workbook" or 'progid="Excel.Sheet"' in head:
        return Guess("an Excel workbook (Excel 2003 XML)", _OFFICE_ADVICE)
    if name == "wordDocument" or 'progid="Word.Document"' in head:
        return Guess("a Word XML document", _OFFICE_ADVICE)
    if name in {"urlset", "sitemapindex"}:
        return Guess("a sitemap (a list of web addresses), not a story")
    if name.lower() in _HTML_ROOTS:
        return Guess(
            "an HTML web page, not a wire format",
            "save the story's text as plain text, or export it as NITF, NewsML-G2 or ninjs",
        )
    return None


def _json(text: str) -> Guess | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    first = data[0] if isinstance(data, list) and data else data
    if not isinstance(first, dict):
        return None
    if isinstance(first.get("version"), str) and "jsonfeed.org" in first["version"]:
        return Guess("a JSON Feed, not a supported wire format")
    rendered = [first.get(k) for k in ("title", "content", "excerpt")]
    if any(isinstance(r, dict) and "rendered" in r for r in rendered) or (
        isinstance(first.get("_links"), dict) and any("wp:" in k for k in first["_links"])
    ):
        return Guess("a WordPress REST API response, not a supported wire format")
    if isinstance(first.get("type"), str) and first["type"] in {"FeatureCollection", "Feature"}:
        return Guess("a GeoJSON map, not a story")
    if _read_here_json(first) or _NINJS_FIELDS & set(first):
        return None
    return Guess(
        "a JSON document that is not a news item (it has none of ninjs's fields)", certain=False
    )


def _read_here_json(data: dict) -> bool:
    """The AP Media API's JSON, which its own reader takes."""
    inner = data.get("data")
    return "api_version" in data or (
        isinstance(inner, dict) and bool({"item", "items"} & set(inner))
    )


_DELIMITERS = (",", ";", "\t", "|")


def _table(text: str) -> Guess | None:
    """A CSV or tab-separated table: every line has the same number (two or more) of one
    delimiter, and the first line reads as column names."""
    lines = [line for line in text[:_HEAD].splitlines() if line.strip()][:50]
    if len(lines) < 4:
        return None
    for delimiter in _DELIMITERS:
        counts = {_cells(line, delimiter) for line in lines[:-1]}  # the last may be cut off
        if len(counts) != 1 or counts.pop() < 3:
            continue
        header = [cell.strip(' "') for cell in lines[0].split(delimiter)]
        if all(0 < len(cell) <= 40 and not re.search(r"[.!?]\s", cell) for cell in header):
            kind = "a tab-separated table" if delimiter == "\t" else "a CSV table"
            return Guess(f"{kind} (a spreadsheet's export)")
    return None


def _cells(line: str, delimiter: str) -> int:
    """How many cells a line has, not counting delimiters inside double quotes."""
    return len(re.sub(r'"[^"]*"', '""', line).split(delimiter))


def _text(text: str) -> Guess | None:
    text = text.lstrip("\ufeff \t\r\n")
    for magic, _, guess in _MAGIC:
        if magic.isascii() and magic[:1] in b"{%" and text.startswith(magic.decode()):
            return guess
    if text.startswith("<"):
        return _xml(text[:_HEAD])
    if text.startswith(("{", "[")):
        return _json(text)
    upper = text[:20].upper()
    if upper.startswith("BEGIN:VCARD"):
        return Guess("a vCard (a contact), not a story")
    if upper.startswith("BEGIN:VCALENDAR"):
        return Guess("an iCalendar file (appointments), not a story")
    if text.startswith("From ") and len(re.findall(r"^From \S+", text, re.M)) > 1:
        return Guess("an mbox mailbox of several messages", "save each message as its own .eml")
    return _table(text)


def identify(content: bytes | str) -> Guess | None:
    """What `content` appears to be, or None where it looks like nothing we know (or like a
    format a reader is being added for)."""
    if isinstance(content, bytes):
        guess = _binary(content)
        if guess is not None:
            return guess
        content = content[:_HEAD].decode("latin-1")
    return _text(content)


def not_a_story(text: str) -> Guess | None:
    """Text the plain-text reader would take for a story, that is not one: a CSV table, a PDF
    or PostScript file without binary streams, a vCard, a calendar, a mailbox."""
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith(("<", "{", "[")):
        return None
    return _text(text)


def is_wordpress_export(text: str) -> bool:
    """A WordPress export (WXR): an `<rss>` document of a blog's posts, not a feed of stories."""
    return "wordpress.org/export" in text[:4096]


def read_here(content: bytes | str) -> bool:
    """Whether `content` is a feed, NewsML 1.2 or AP Media API JSON: formats that ingest reads,
    whose readers' refusals are left as they are."""
    text = content[:_HEAD].decode("latin-1") if isinstance(content, bytes) else content[:_HEAD]
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith("<"):
        prolog = _PROLOG.match(text)
        root = _ROOT.match(text, prolog.end() if prolog else 0)
        name = root[1].rpartition(":")[2].lower() if root else ""
        return name in _READ_ROOTS and "wordpress.org/export" not in text[:4096]
    if text.startswith("{"):
        try:
            data = json.loads(content if isinstance(content, str) else content.decode())
        except (ValueError, RecursionError):
            return False
        return isinstance(data, dict) and _read_here_json(data)
    return False


def refusal(reason: str, content: bytes | str) -> str:
    """`reason`, then what the content appears to be, then what would make it readable.

    "not text: binary data: this looks like a PDF document; export the story as NITF, …".
    A feed, NewsML 1.2 or AP Media API JSON keeps its reason alone (see the docstring above).
    """
    if read_here(content):
        return reason
    guess = identify(content)
    if guess is None:
        return f"{reason}; {EXPORT}"
    return f"{reason}: this looks like {guess.what}; {guess.advice}"
