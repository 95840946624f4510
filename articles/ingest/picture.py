"""Read a picture file: its kind from its first bytes, its size from Pillow, and its rights from the
XMP packet and the IPTC IIM record it carries, the notice read by the same reader as wire copy.

Pillow opens the file and finds both blocks (its `info["xmp"]`, and `IptcImagePlugin` for IIM in
a JPEG's APP13); the XMP packet is parsed here with the hardened XML parser, so no other XML
library (defusedxml for `Image.getxmp()`) and no C library (exiv2, exempi) is needed.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass, field

from lxml import etree
from PIL import Image, IptcImagePlugin, UnidentifiedImageError

from articles.ingest.parsed import ParseError
from articles.ingest.xmlsafe import parse_xml
from articles.notices import Notice, parse_notice

# The kinds read, by their first bytes (never the file's name): Pillow's format name for each.
KINDS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
MAX_PICTURE_BYTES = 50 * 1024 * 1024

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}
# IPTC IIM datasets of record 2 (the application record) read here.
IIM = {
    "object_name": (2, 5),
    "by_line": (2, 80),
    "credit": (2, 110),
    "source": (2, 115),
    "copyright_notice": (2, 116),
    "caption": (2, 120),
}
_EXIF_ARTIST, _EXIF_COPYRIGHT = 0x013B, 0x8298


@dataclass
class ParsedPicture:
    """One picture read from its file, before it is stored."""

    format: str  # jpeg, png, webp
    guid: str
    width: int
    height: int
    digest: str  # SHA-256 of the file
    title: str = ""
    caption: str = ""
    credit: str = ""
    provider: str = ""  # the source the file names (photoshop:Source, IIM 2:115)
    creators: list[str] = field(default_factory=list)
    usage_terms: str = ""
    web_statement: str = ""
    data_mining: str = ""
    licensor: str = ""
    notice: Notice = field(default_factory=Notice)
    original: str = ""  # the rights metadata as received: the XMP packet and the IIM values


def kind_of(data: bytes) -> str | None:
    """The picture's kind told from its first bytes: jpeg, png, webp, or None."""
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def open_picture(data: bytes, *, name: str) -> Image.Image:
    """Open and fully decode the picture, or raise ParseError naming the file and what is wrong.

    A picture of more pixels than Pillow's decompression-bomb limit (`Image.MAX_IMAGE_PIXELS`)
    is refused before it is decoded, as is one whose dimensions would make it so.
    """
    if not data:
        raise ParseError(f"{name}: empty file")
    kind = kind_of(data)
    if kind is None:
        raise ParseError(f"{name}: not a picture: it is neither JPEG, PNG nor WebP")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ParseError(
            f"{name}: the picture is too large to decode safely (over "
            f"{Image.MAX_IMAGE_PIXELS:,} pixels): a decompression bomb, or a picture to scale down"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ParseError(f"{name}: a broken {KINDS[kind]} picture: {exc}") from None
    if image.format != KINDS[kind]:
        raise ParseError(f"{name}: starts as {KINDS[kind]} but reads as {image.format}")
    return image


def read_picture(data: bytes, *, name: str) -> ParsedPicture:
    """Read a picture's size and rights metadata, or raise ParseError naming the file."""
    image = open_picture(data, name=name)
    xmp = _xmp(image, name=name)
    iim = _iim(image)
    exif = image.getexif()
    digest = hashlib.sha256(data).hexdigest()

    def first(*values: str) -> str:
        return next((" ".join(v.split()) for v in values if v and v.strip()), "")

    notice_text = first(_alt(xmp, "dc:rights"), _one(iim, "copyright_notice"))
    notice_text = notice_text or first(str(exif.get(_EXIF_COPYRIGHT) or ""))
    usage = _alt(xmp, "xmpRights:UsageTerms")
    creators = _list(xmp, "dc:creator") or iim.get("by_line", [])
    if not creators and exif.get(_EXIF_ARTIST):
        creators = [str(exif[_EXIF_ARTIST]).strip()]
    holder = first(_simple(xmp, "plus:CopyrightOwnerName"))
    parsed = ParsedPicture(
        format=kind_of(data) or "",
        guid=first(_simple(xmp, "xmpMM:DocumentID")) or f"urn:newsroom:picture:{digest[:32]}",
        width=image.width,
        height=image.height,
        digest=digest,
        title=first(_alt(xmp, "dc:title"), _one(iim, "object_name")),
        caption=first(_alt(xmp, "dc:description"), _one(iim, "caption")),
        credit=first(_simple(xmp, "photoshop:Credit"), _one(iim, "credit")),
        provider=first(_simple(xmp, "photoshop:Source"), _one(iim, "source")),
        creators=[" ".join(c.split()) for c in creators if c.strip()],
        usage_terms=usage,
        web_statement=first(_simple(xmp, "xmpRights:WebStatement")),
        data_mining=first(_simple(xmp, "plus:DataMining")),
        licensor=first(_simple(xmp, "plus:LicensorName")),
        notice=parse_notice(notice_text, holder=holder, usage_terms=usage),
    )
    parsed.provider = parsed.provider or parsed.credit
    packet = etree.tostring(xmp, encoding="unicode") if xmp is not None else ""
    values = [f"IIM {IIM[k][0]}:{IIM[k][1]:03d} {v}" for k, vs in iim.items() for v in vs]
    parsed.original = "\n".join(filter(None, [packet, *values]))
    return parsed


# --- XMP ---------------------------------------------------------------------------------------


def _xmp(image: Image.Image, *, name: str) -> etree._Element | None:
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if not packet:
        return None
    text = packet.decode("utf-8", "replace") if isinstance(packet, bytes) else packet
    # The packet wrapper (<?xpacket ...?>) and trailing padding are not part of the document.
    start, end = text.find("<x:xmpmeta"), text.rfind("</x:xmpmeta>")
    if start == -1:
        start, end = text.find("<rdf:RDF"), text.rfind("</rdf:RDF>")
        if start == -1 or end == -1:
            return None
        end += len("</rdf:RDF>")
    else:
        end += len("</x:xmpmeta>")
    try:
        return parse_xml(text[start:end], name=f"{name}: its XMP packet")
    except ParseError:
        return None  # an unreadable packet: the picture is read without it, so left unsettled


def _qname(prefixed: str) -> str:
    prefix, _, local = prefixed.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def _properties(xmp: etree._Element | None, prefixed: str) -> list[etree._Element | str]:
    """Every value of a property: elements, and attributes of rdf:Description (XMP's short form)."""
    if xmp is None:
        return []
    name = _qname(prefixed)
    found: list[etree._Element | str] = list(xmp.iter(name))
    for description in xmp.iter(_qname("rdf:Description")):
        if name in description.attrib:
            found.append(description.attrib[name])
    return found


def _text(value: etree._Element | str) -> str:
    if isinstance(value, str):
        return value
    resource = value.get(_qname("rdf:resource"))
    return resource if resource is not None else "".join(value.itertext())


def _simple(xmp: etree._Element | None, prefixed: str) -> str:
    return next((_text(v).strip() for v in _properties(xmp, prefixed) if _text(v).strip()), "")


def _alt(xmp: etree._Element | None, prefixed: str) -> str:
    """A language alternative: its x-default entry, else its first."""
    for value in _properties(xmp, prefixed):
        if isinstance(value, str):
            return value.strip()
        entries = list(value.iter(_qname("rdf:li")))
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        chosen = next((e for e in entries if e.get(lang) == "x-default"), None)
        chosen = chosen if chosen is not None else (entries[0] if entries else value)
        if text := " ".join("".join(chosen.itertext()).split()):
            return text
    return ""


def _list(xmp: etree._Element | None, prefixed: str) -> list[str]:
    """An ordered or unordered list (rdf:Seq, rdf:Bag): its entries."""
    for value in _properties(xmp, prefixed):
        if isinstance(value, str):
            return [value]
        entries = [_text(e).strip() for e in value.iter(_qname("rdf:li"))]
        if entries := [e for e in entries if e]:
            return entries
    return []


# --- IPTC IIM ----------------------------------------------------------------------------------


def _iim(image: Image.Image) -> dict[str, list[str]]:
    """The IIM datasets read here, each a list of its values, decoded."""
    try:
        info = IptcImagePlugin.getiptcinfo(image) or {}
    except (SyntaxError, ValueError, OSError, IndexError):
        return {}
    utf8 = info.get((1, 90)) in (b"\x1b%G", [b"\x1b%G"])
    found: dict[str, list[str]] = {}
    for key, dataset in IIM.items():
        raw = info.get(dataset)
        if raw is None:
            continue
        values = raw if isinstance(raw, list) else [raw]
        found[key] = [_decode(v, utf8=utf8) for v in values if v.strip()]
    return found


def _decode(value: bytes, *, utf8: bool) -> str:
    try:
        return value.decode("utf-8").strip()
    except UnicodeDecodeError:
        if utf8:
            return value.decode("utf-8", "replace").strip()
        return value.decode("cp1252", "replace").strip()


def _one(iim: dict[str, list[str]], key: str) -> str:
    return iim.get(key, [""])[0]
