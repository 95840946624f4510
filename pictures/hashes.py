"""Perceptual hashes of a picture: what it looks like in 64 bits, so that a copy resized,
recompressed, brightened or cropped a little lands a few bits from its original.

Two hashes, each of the picture in grey and small: the difference hash (dHash: is each pixel
brighter than its right-hand neighbour, on a 9x8 grid) and the DCT hash (pHash: is each of the
lowest 8x8 frequencies of a 32x32 picture above their median). Written on Pillow alone: the DCT
of a 32x32 grid keeping only its lowest 8x8 frequencies is some 10,000 multiplications, a couple
of milliseconds in Python, where the imagehash library would bring numpy, SciPy and PyWavelets
(some 57 MB of wheels) for the same two hashes.

A crop moves everything in the frame, so an original is hashed as it is and as the crops a desk
most often makes of it (`CROPS`: a tenth off one side, off two sides, or about the middle); a
copy's own hash is compared with every one of them.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image, ImageOps

# Each crop kept of an original, as the fraction of its width and height cut from the left,
# top, right and bottom. The first is the whole picture, the one a copy is hashed as.
CROPS: tuple[tuple[float, float, float, float], ...] = (
    (0, 0, 0, 0),
    (0.05, 0.05, 0.05, 0.05),
    (0.1, 0.1, 0.1, 0.1),
    (0.1, 0, 0, 0),
    (0, 0.1, 0, 0),
    (0, 0, 0.1, 0),
    (0, 0, 0, 0.1),
    (0.1, 0.1, 0, 0),
    (0.1, 0, 0, 0.1),
    (0, 0.1, 0.1, 0),
    (0, 0, 0.1, 0.1),
)
WHOLE = 0

_N, _K = 32, 8  # pHash: the grid, and the frequencies kept on each axis
_DCT = [[math.cos(math.pi * (2 * x + 1) * u / (2 * _N)) for x in range(_N)] for u in range(_K)]


@dataclass(frozen=True)
class Hashes:
    """A picture's two hashes, as unsigned 64-bit whole numbers."""

    phash: int
    dhash: int

    def distance(self, other: Hashes) -> tuple[int, int]:
        """The bits each hash differs by: (pHash, dHash), each 0 to 64."""
        return (self.phash ^ other.phash).bit_count(), (self.dhash ^ other.dhash).bit_count()


def bits(flags) -> int:
    value = 0
    for flag in flags:
        value = (value << 1) | bool(flag)
    return value


def dhash(grey: Image.Image) -> int:
    small = list(grey.resize((9, 8), Image.Resampling.LANCZOS).get_flattened_data())
    return bits(
        small[row * 9 + col] > small[row * 9 + col + 1] for row in range(8) for col in range(8)
    )


def phash(grey: Image.Image) -> int:
    pixels = list(grey.resize((_N, _N), Image.Resampling.LANCZOS).get_flattened_data())
    rows = [pixels[y * _N : (y + 1) * _N] for y in range(_N)]
    # Along each row, then down each column, the lowest _K frequencies only.
    across = [
        [sum(c * p for c, p in zip(basis, row, strict=True)) for basis in _DCT] for row in rows
    ]
    low = [[sum(basis[y] * across[y][u] for y in range(_N)) for u in range(_K)] for basis in _DCT]
    values = [value for row in low for value in row]
    rest = sorted(values[1:])  # the mean brightness (0, 0) is left out of the median
    median = (rest[len(rest) // 2 - 1] + rest[len(rest) // 2]) / 2
    return bits(value > median for value in values)


def grey_of(image: Image.Image) -> Image.Image:
    """Upright, in grey, at most 256 pixels on its long side (the hashes look at 32 at most)."""
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        if image.mode == "RGBA":  # transparency over white, as a page shows it
            backdrop = Image.new("RGB", image.size, "white")
            backdrop.paste(image, mask=image.getchannel("A"))
            image = backdrop
    image.thumbnail((256, 256), Image.Resampling.BILINEAR)
    return image.convert("L")


def of_image(image: Image.Image, crop=CROPS[WHOLE]) -> Hashes:
    grey = grey_of(image)
    if any(crop):
        w, h = grey.size
        left, top, right, bottom = crop
        grey = grey.crop(
            (round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))
        )
    return Hashes(phash=phash(grey), dhash=dhash(grey))


def of_crops(image: Image.Image) -> list[Hashes]:
    """The hashes of each of `CROPS`, in their order: the whole picture's first."""
    if image.format == "JPEG":
        image.draft("RGB", (512, 512))  # decoded at a fraction of its size, still over 256
    grey = grey_of(image)
    return [of_image(grey, crop) for crop in CROPS]


def of_bytes(data: bytes) -> list[Hashes]:
    with Image.open(io.BytesIO(data)) as image:
        return of_crops(image)


def signed(value: int) -> int:
    """An unsigned 64-bit hash as the signed 64-bit integer a database column holds."""
    return value - (1 << 64) if value >= 1 << 63 else value


def unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value
