"""Picture files shaped as agencies send them: a JPEG with an XMP packet (APP1) and an IPTC IIM
record in a Photoshop APP13 block, built by hand byte by byte; PNG and WebP with XMP."""

from __future__ import annotations

import datetime
import hashlib
import io
import struct
import zlib
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from articles.vocabulary import Right, Status
from pictures.models import Picture

AGENCY_NOTICE = (
    "Copyright 2026 Meridian Press Agency. All rights reserved. This material may not be "
    "published, broadcast, rewritten, or redistributed."
)


def iim(*datasets: tuple[int, int, str]) -> bytes:
    """An IPTC IIM record: per dataset 0x1C, record, dataset number, a 2-byte length, the value."""
    out = b""
    for record, number, value in datasets:
        data = value.encode("utf-8")
        out += bytes([0x1C, record, number]) + struct.pack(">H", len(data)) + data
    return out


def app13(record: bytes) -> bytes:
    """A JPEG APP13 segment: "Photoshop 3.0", one 8BIM resource 0x0404 holding the IIM record."""
    padded = record + (b"\x00" if len(record) % 2 else b"")
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(record))
    body = b"Photoshop 3.0\x00" + resource + padded
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def xmp_packet(
    *,
    rights: str = "",
    creators: tuple[str, ...] = (),
    credit: str = "",
    source: str = "",
    usage_terms: str = "",
    web_statement: str = "",
    data_mining: str = "",
    licensor: str = "",
    title: str = "",
    description: str = "",
    document_id: str = "",
) -> bytes:
    """An XMP packet as photo desks write it: simple properties as elements, language
    alternatives with an x-default entry, creators in an rdf:Seq, the licensor in a PLUS Bag."""

    def alt(name: str, text: str) -> str:
        if not text:
            return ""
        return (
            f"<{name}><rdf:Alt><rdf:li xml:lang='x-default'>{escape(text)}</rdf:li>"
            f"<rdf:li xml:lang='de'>Deutsch</rdf:li></rdf:Alt></{name}>"
        )

    def simple(name: str, text: str) -> str:
        return f"<{name}>{escape(text)}</{name}>" if text else ""

    seq = "".join(f"<rdf:li>{escape(c)}</rdf:li>" for c in creators)
    body = "".join(
        [
            alt("dc:rights", rights),
            alt("dc:title", title),
            alt("dc:description", description),
            f"<dc:creator><rdf:Seq>{seq}</rdf:Seq></dc:creator>" if creators else "",
            simple("photoshop:Credit", credit),
            simple("photoshop:Source", source),
            alt("xmpRights:UsageTerms", usage_terms),
            simple("xmpRights:WebStatement", web_statement),
            simple("plus:DataMining", data_mining),
            simple("xmpMM:DocumentID", document_id),
            (
                "<plus:Licensor><rdf:Bag><rdf:li rdf:parseType='Resource'>"
                f"<plus:LicensorName>{escape(licensor)}</plus:LicensorName>"
                "</rdf:li></rdf:Bag></plus:Licensor>"
                if licensor
                else ""
            ),
        ]
    )
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/' "
        "xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
        "xmlns:xmpRights='http://ns.adobe.com/xap/1.0/rights/' "
        "xmlns:xmpMM='http://ns.adobe.com/xap/1.0/mm/' "
        "xmlns:plus='http://ns.useplus.org/ldf/xmp/1.0/'>"
        f"{body}</rdf:Description></rdf:RDF></x:xmpmeta>" + " " * 200 + "<?xpacket end='w'?>"
    ).encode("utf-8")


def picture(
    kind: str = "jpeg",
    *,
    size: tuple[int, int] = (800, 600),
    xmp: bytes | None = None,
    iptc: bytes | None = None,
    exif: Image.Exif | None = None,
    colour: tuple[int, int, int] = (200, 40, 40),
) -> bytes:
    """A picture of `kind` (jpeg, png, webp): the left half `colour`, the right half blue, so a
    rendition shows whether it was turned."""
    image = Image.new("RGB", size, colour)
    image.paste((20, 40, 220), (size[0] // 2, 0, size[0], size[1]))
    buffer = io.BytesIO()
    options: dict = {}
    if exif is not None:
        options["exif"] = exif
    if kind == "jpeg":
        if xmp:
            options["xmp"] = xmp
        if iptc:
            options["extra"] = app13(iptc)
        image.save(buffer, "JPEG", quality=90, **options)
    elif kind == "webp":
        if xmp:
            options["xmp"] = xmp
        image.save(buffer, "WEBP", **options)
    else:
        info = PngInfo()
        if xmp:
            info.add_itxt("XML:com.adobe.xmp", xmp.decode("utf-8"))
        image.save(buffer, "PNG", pnginfo=info, **options)
    return buffer.getvalue()


def gps_exif(*, orientation: int = 1) -> Image.Exif:
    """EXIF with what must never leave the desk: the place it was taken, the camera's serial."""
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0xA431] = "CAMERA-SERIAL-0042"  # BodySerialNumber
    exif[0x013B] = "Exif Artist"
    gps = {1: "N", 2: (51.0, 30.0, 12.0), 3: "W", 4: (0.0, 7.0, 39.0)}
    exif[0x8825] = gps  # GPSInfo
    return exif


def huge_png(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def stored_picture(source, *, data: bytes | None = None, **fields):
    """A picture in the database with its file, that every channel may show unless `fields`
    say otherwise (as `make_article` makes an article)."""
    data = data if data is not None else picture()
    image = Image.open(io.BytesIO(data))
    digest = hashlib.sha256(data).hexdigest()
    values = {
        "guid": f"urn:test:picture:{digest[:12]}:{Picture.objects.count()}",
        "title": "Boats in the harbour",
        "status": Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(hours=1),
        "rights_settled": True,
        "width": image.width,
        "height": image.height,
        "format": image.format.lower(),
        "content_hash": digest,
        **{right.field: True for right in Right},
        **fields,
    }
    stored = Picture(source=source, **values)
    stored.image.save(f"{digest}.{stored.format}", ContentFile(data), save=False)
    stored.save()
    return stored
