"""The demo's photographs: painted with Pillow (skies, hills, water, a reef), each a JPEG with
its rights written in as agencies send them, an XMP packet and an IPTC IIM record, so that
`manage.py demo` ingests them through the real reader and derives their rights from the files.

The same picture is painted byte for byte on every run, so a second `demo` finds it unchanged.
"""

from __future__ import annotations

import io
import math
import random
import struct
from dataclasses import dataclass
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 1000)


@dataclass(frozen=True)
class DemoPhoto:
    name: str  # the file's name, and the story file it leads
    story: str
    guid: str
    title: str
    caption: str
    creator: str
    credit: str
    notice: str
    scene: str  # "landscape", "evening" or "reef"


PHOTOS = (
    DemoPhoto(
        name="river-cleanup.jpg",
        story="river-cleanup.txt",
        guid="urn:newsroom:demo:photo:river-cleanup",
        title="Volunteers on the riverbank at first light",
        caption="Morning light over the river as volunteers begin the clean-up below the weir.",
        creator="Sam Okafor",
        credit="Sam Okafor / The Newsroom",
        notice="© 2026 The Newsroom",
        scene="landscape",
    ),
    DemoPhoto(
        name="cup-final.jpg",
        story="cup-final.txt",
        guid="urn:newsroom:demo:photo:cup-final",
        title="Floodlights over the hills after the final",
        caption="The hills above the town glow as supporters head home after the final.",
        creator="Lena Marsh",
        credit="Lena Marsh / The Newsroom",
        notice="© 2026 The Newsroom",
        scene="evening",
    ),
    DemoPhoto(
        name="open-commons-reef.jpg",
        story="open-commons-reef.txt",
        guid="urn:newsroom:demo:photo:open-commons-reef",
        title="Divers over the recovering reef",
        caption="Licensed to our print edition only: divers count juvenile corals on the reef.",
        creator="Tom Reyes",
        credit="Tom Reyes / Open Commons News",
        notice="Copyright 2026 Open Commons News. For print use only.",
        scene="reef",
    ),
)


def _mix(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _gradient(draw: ImageDraw.ImageDraw, box, top, bottom) -> None:
    x0, y0, x1, y1 = box
    for y in range(y0, y1):
        draw.line([(x0, y), (x1, y)], fill=_mix(top, bottom, (y - y0) / max(1, y1 - y0 - 1)))


def _ridge(width: int, base: float, height: float, seed: int) -> list[tuple[float, float]]:
    rand = random.Random(seed)
    waves = [
        (rand.uniform(0.002, 0.009), rand.uniform(0, math.tau), rand.uniform(0.3, 1))
        for _ in range(4)
    ]
    points = []
    for x in range(0, width + 20, 20):
        y = base - height * sum(a * math.sin(f * x + p) for f, p, a in waves) / 2.5
        points.append((x, y))
    return points


def _landscape(sky_top, sky_low, sun, hills, water, *, seed: int = 7) -> Image.Image:
    w, h = SIZE
    horizon = int(h * 0.62)
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, w, horizon), sky_top, sky_low)
    glow = Image.new("L", SIZE, 0)
    sx, sy = w * (0.62 if seed == 7 else 0.2), h * (0.22 if seed == 7 else 0.34)
    ImageDraw.Draw(glow).ellipse((sx, sy, sx + 150, sy + 150), fill=255)
    image.paste(sun, mask=glow.filter(ImageFilter.GaussianBlur(40)))
    draw.ellipse(
        (sx + 40, sy + 40, sx + 110, sy + 110),
        fill=_mix(sun, (255, 255, 255), 0.5),
    )
    for n, colour in enumerate(hills):
        ridge = _ridge(w, horizon - 150 + n * 60, 160 - n * 35, seed=seed + n)
        draw.polygon([*ridge, (w, horizon), (0, horizon)], fill=colour)
    _gradient(draw, (0, horizon, w, h), _mix(sky_low, water, 0.35), water)
    # The sky's reflection: soft horizontal strokes across the water.
    rand = random.Random(3)
    for _ in range(160):
        y = rand.randint(horizon + 4, h - 4)
        x = rand.randint(-100, w)
        length = rand.randint(40, 260)
        shade = _mix(water, sun, rand.uniform(0.1, 0.45) * (1 - (y - horizon) / (h - horizon)))
        draw.line([(x, y), (x + length, y)], fill=shade, width=2)
    # A near bank of reeds and trees, darkest, in the foreground.
    bank = _ridge(w, h - 60, 70, seed=41)
    draw.polygon([*bank, (w, h), (0, h)], fill=_mix(hills[-1], (0, 0, 0), 0.45))
    for x in range(30, w, 57):
        top = h - 130 - rand.randint(0, 120)
        draw.line(
            [(x, h), (x + rand.randint(-12, 12), top)],
            fill=_mix(hills[-1], (0, 0, 0), 0.55),
            width=3,
        )
    return image.filter(ImageFilter.GaussianBlur(1.2))


def _reef() -> Image.Image:
    w, h = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _gradient(draw, (0, 0, w, h), (64, 170, 196), (8, 42, 84))
    rays = Image.new("L", SIZE, 0)
    rdraw = ImageDraw.Draw(rays)
    for n in range(7):
        x = 180 + n * 220
        rdraw.polygon([(x, 0), (x + 70, 0), (x - 160, h), (x - 320, h)], fill=60)
    image.paste((210, 240, 250), mask=rays.filter(ImageFilter.GaussianBlur(30)))
    rand = random.Random(11)
    colours = [(240, 128, 110), (250, 190, 120), (200, 90, 150), (120, 200, 170), (250, 160, 90)]
    floor = _ridge(w, h - 140, 60, seed=5)
    draw.polygon([*floor, (w, h), (0, h)], fill=(196, 176, 132))
    for _ in range(55):
        x, y = rand.randint(0, w), rand.randint(h - 300, h)
        r = rand.randint(25, 85)
        colour = rand.choice(colours)
        draw.ellipse((x - r, y - r * 0.7, x + r, y + r * 0.7), fill=colour)
        for _ in range(4):
            bx = x + rand.randint(-r, r)
            draw.line([(x, y), (bx, y - rand.randint(r, 2 * r))], fill=colour, width=9)
    for _ in range(26):
        x, y = rand.randint(0, w), rand.randint(120, h - 380)
        length = rand.randint(26, 48)
        colour = rand.choice([(255, 210, 80), (250, 250, 250), (255, 150, 60)])
        draw.ellipse((x, y, x + length, y + length * 0.45), fill=colour)
        draw.polygon(
            [(x, y + length * 0.22), (x - 16, y), (x - 16, y + length * 0.45)], fill=colour
        )
    # Two divers, dark against the light.
    for dx, dy in ((520, 300), (900, 380)):
        diver = (22, 40, 60)
        draw.ellipse((dx, dy, dx + 150, dy + 44), fill=diver)
        draw.ellipse((dx + 130, dy - 14, dx + 176, dy + 30), fill=diver)
        draw.line([(dx, dy + 20), (dx - 70, dy + 40)], fill=diver, width=14)
        draw.line([(dx + 10, dy + 30), (dx - 60, dy + 70)], fill=diver, width=14)
        for b in range(5):
            draw.ellipse(
                (dx + 170 + b * 9, dy - 40 - b * 34, dx + 180 + b * 9, dy - 30 - b * 34),
                outline=(220, 240, 250),
                width=2,
            )
    return image.filter(ImageFilter.GaussianBlur(1.5))


def paint(scene: str) -> Image.Image:
    if scene == "reef":
        return _reef()
    if scene == "evening":
        return _landscape(
            (38, 44, 92), (238, 150, 96), (255, 196, 120),
            [(92, 70, 110), (70, 52, 88), (46, 36, 62)], (40, 46, 86), seed=23,
        )  # fmt: skip
    return _landscape(
        (120, 170, 220), (246, 218, 170), (255, 236, 190),
        [(132, 160, 150), (96, 130, 110), (64, 98, 78)], (70, 110, 130),
    )  # fmt: skip


def xmp(photo: DemoPhoto) -> bytes:
    """The rights as an XMP packet: notice, title, caption, creator, credit, the document id."""

    def alt(name: str, text: str) -> str:
        item = f"<rdf:li xml:lang='x-default'>{escape(text)}</rdf:li>"
        return f"<{name}><rdf:Alt>{item}</rdf:Alt></{name}>"

    body = "".join(
        [
            alt("dc:rights", photo.notice),
            alt("dc:title", photo.title),
            alt("dc:description", photo.caption),
            f"<dc:creator><rdf:Seq><rdf:li>{escape(photo.creator)}</rdf:li></rdf:Seq></dc:creator>",
            f"<photoshop:Credit>{escape(photo.credit)}</photoshop:Credit>",
            f"<xmpMM:DocumentID>{escape(photo.guid)}</xmpMM:DocumentID>",
        ]
    )
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/' "
        "xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
        "xmlns:xmpMM='http://ns.adobe.com/xap/1.0/mm/'>"
        f"{body}</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


def iim(photo: DemoPhoto) -> bytes:
    """The same rights as an IPTC IIM record (UTF-8, as 1:90 says) in a Photoshop APP13 block."""
    datasets = [
        (1, 90, b"\x1b%G"),
        (2, 116, photo.notice.encode()),
        (2, 110, photo.credit.encode()),
        (2, 80, photo.creator.encode()),
        (2, 5, photo.title.encode()),
        (2, 120, photo.caption.encode()),
    ]
    record = b"".join(
        bytes([0x1C, r, n]) + struct.pack(">H", len(value)) + value for r, n, value in datasets
    )
    padded = record + (b"\x00" if len(record) % 2 else b"")
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(record))
    segment = b"Photoshop 3.0\x00" + resource + padded
    return b"\xff\xed" + struct.pack(">H", len(segment) + 2) + segment


def jpeg(photo: DemoPhoto) -> bytes:
    """The photo as a JPEG with its XMP packet and IIM record."""
    buffer = io.BytesIO()
    paint(photo.scene).save(buffer, "JPEG", quality=88, xmp=xmp(photo), extra=iim(photo))
    return buffer.getvalue()
