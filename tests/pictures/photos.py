"""Made-up photographs, each unlike the others, and the changes a desk makes to a copy of one:
for measuring and testing the copied-picture check without a stock of real photos."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter


def photo(seed: int, *, size: tuple[int, int] = (1200, 800)) -> Image.Image:
    """A scene of its own: a sky-to-ground gradient in colours of its seed, a horizon, and
    shapes (sun, buildings, hills, figures) placed by it, slightly blurred as a lens would."""
    rng = random.Random(seed)
    w, h = size
    top = tuple(rng.randrange(256) for _ in range(3))
    bottom = tuple(rng.randrange(256) for _ in range(3))
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(h):
        t = y / (h - 1)
        draw.line(
            [(0, y), (w, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    horizon = rng.uniform(0.3, 0.75) * h
    draw.polygon(
        [
            (0, h),
            *((x, horizon + rng.uniform(-0.12, 0.12) * h) for x in range(0, w + 1, w // 8)),
            (w, h),
        ],
        fill=tuple(rng.randrange(256) for _ in range(3)),
    )
    for _ in range(rng.randint(4, 12)):
        colour = tuple(rng.randrange(256) for _ in range(3))
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        sw, sh = rng.uniform(0.04, 0.3) * w, rng.uniform(0.04, 0.4) * h
        shape = rng.choice(["ellipse", "rectangle", "polygon"])
        if shape == "ellipse":
            draw.ellipse([x, y, x + sw, y + sh], fill=colour)
        elif shape == "rectangle":
            draw.rectangle([x, y, x + sw, y + sh], fill=colour)
        else:
            draw.polygon(
                [(x, y), (x + sw, y + rng.uniform(0, sh)), (x + rng.uniform(0, sw), y + sh)],
                fill=colour,
            )
    return image.filter(ImageFilter.GaussianBlur(1.5))


def jpeg(image: Image.Image, *, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def crop(image: Image.Image, left=0.0, top=0.0, right=0.0, bottom=0.0) -> Image.Image:
    w, h = image.size
    return image.crop(
        (round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))
    )


def recompress(image: Image.Image, quality: int = 40) -> Image.Image:
    return Image.open(io.BytesIO(jpeg(image, quality=quality)))


# What a desk does to a copy it passes off as its own, each by name.
CHANGES = {
    "resized to half": lambda im: im.resize(
        (im.width // 2, im.height // 2), Image.Resampling.LANCZOS
    ),
    "resized to 640 wide": lambda im: im.resize((640, round(640 * im.height / im.width))),
    "cropped 10% off the left": lambda im: crop(im, left=0.1),
    "cropped 10% off the bottom": lambda im: crop(im, bottom=0.1),
    "cropped 5% all round": lambda im: crop(im, 0.05, 0.05, 0.05, 0.05),
    "cropped 8% off left and top": lambda im: crop(im, left=0.08, top=0.08),
    "cropped 12% off the right": lambda im: crop(im, right=0.12),
    "recompressed at quality 40": recompress,
    "brightened 15%": lambda im: ImageEnhance.Brightness(im).enhance(1.15),
    "darkened 10%": lambda im: ImageEnhance.Brightness(im).enhance(0.9),
    "recoloured (saturation 130%)": lambda im: ImageEnhance.Color(im).enhance(1.3),
    "warmer (red up)": lambda im: Image.merge(
        "RGB",
        (
            im.getchannel("R").point(lambda v: min(255, v + 20)),
            im.getchannel("G"),
            im.getchannel("B"),
        ),
    ),
    "all of it: 10% crop, half size, brighter, quality 40": lambda im: recompress(
        ImageEnhance.Brightness(
            crop(im, left=0.1).resize((im.width // 2, im.height * 9 // 20))
        ).enhance(1.1)
    ),
}
