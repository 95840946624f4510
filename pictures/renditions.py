"""Renditions: a picture at a served width, in JPEG or WebP, made once and kept under
MEDIA_ROOT/renditions. Turned upright by its EXIF orientation; no EXIF written (no place, no
camera serial, no time); its rights kept in a minimal XMP packet of their own."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from lxml import etree
from PIL import Image, ImageOps

from articles import reservations
from articles.ingest.picture import NS
from pictures.models import Picture

# The extension in a rendition's address: Pillow's format and the content type served.
KINDS = {"jpg": ("JPEG", "image/jpeg"), "webp": ("WEBP", "image/webp")}
QUALITY = 82


def rendition_name(picture: Picture, *, width: int, ext: str) -> str:
    """Where it is kept: named by the file's hash, the picture's version and its mining
    reservation, so a new file, a change of its rights metadata or of `TDM_RESERVE_STAFF` makes
    a new rendition rather than serving a stale one."""
    tdm = "r" if reservations.is_reserved(picture) else "a"
    stem = f"{picture.content_hash[:16]}-v{picture.version}{tdm}-{width}"
    return f"renditions/{picture.pk}/{stem}.{ext}"


def rendition(picture: Picture, *, width: int, ext: str) -> str:
    """Return the stored name of the picture at `width` (one of `picture.widths`) as `ext`,
    making it the first time it is asked for."""
    name = rendition_name(picture, width=width, ext=ext)
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(render(picture, width=width, ext=ext)))


def render(picture: Picture, *, width: int, ext: str) -> bytes:
    pillow_format, _ = KINDS[ext]
    with picture.image.open("rb") as original, Image.open(original) as image:
        # A JPEG decodes at a half, a quarter or an eighth of its size where that still leaves
        # both sides at least `width` (whichever way up it turns): far less work for small ones.
        image.draft(None, (width, width))
        image.load()
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
    width = min(width, upright.width)  # never larger than the picture
    height = max(1, round(upright.height * width / upright.width))
    if upright.mode not in ("RGB", "RGBA") or (pillow_format == "JPEG" and upright.mode != "RGB"):
        upright = upright.convert("RGBA" if pillow_format == "WEBP" else "RGB")
    out = upright.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out.info = {}  # nothing of the original's metadata travels but what is passed below
    buffer = io.BytesIO()
    options = {"quality": QUALITY, "xmp": rights_packet(picture)}
    if icc:
        options["icc_profile"] = icc
    out.save(buffer, format=pillow_format, **options)
    return buffer.getvalue()


def rights_packet(picture: Picture) -> bytes:
    """A minimal XMP packet of the picture's rights: notice, credit, creators, usage terms,
    web statement and data-mining reservation. The reservation is the newsroom's one rule
    (`reservations.data_mining_uri`), as every other channel says it, not the value the file
    came with: a licence to publish an agency's picture lets no one else mine it."""
    rdf, x = NS["rdf"], "adobe:ns:meta/"
    meta = etree.Element(f"{{{x}}}xmpmeta", nsmap={"x": x})
    root = etree.SubElement(meta, f"{{{rdf}}}RDF", nsmap={"rdf": rdf})
    description = etree.SubElement(
        root,
        f"{{{rdf}}}Description",
        {f"{{{rdf}}}about": ""},
        nsmap={p: NS[p] for p in ("dc", "photoshop", "xmpRights", "plus")},
    )

    def prop(prefixed: str) -> etree._Element:
        prefix, _, local = prefixed.partition(":")
        return etree.SubElement(description, f"{{{NS[prefix]}}}{local}")

    def alt(prefixed: str, text: str) -> None:
        if text:
            li = etree.SubElement(etree.SubElement(prop(prefixed), f"{{{rdf}}}Alt"), f"{{{rdf}}}li")
            li.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
            li.text = text

    alt("dc:rights", picture.copyright_notice)
    if picture.creators:
        seq = etree.SubElement(prop("dc:creator"), f"{{{rdf}}}Seq")
        for creator in picture.creators:
            etree.SubElement(seq, f"{{{rdf}}}li").text = creator
    alt("xmpRights:UsageTerms", picture.usage_terms)
    for prefixed, value in (
        ("photoshop:Credit", picture.credit_line),
        ("xmpRights:WebStatement", picture.web_statement),
        ("plus:DataMining", reservations.data_mining_uri(picture)),
    ):
        if value:
            prop(prefixed).text = value
    body = etree.tostring(meta, encoding="utf-8")
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        + body
        + (b'<?xpacket end="r"?>')
    )
