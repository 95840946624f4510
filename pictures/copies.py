"""Find the protected pictures a picture copies: the copied-picture check of the publish gate.

A picture is a copy of another when its whole picture's pHash and dHash each lie within the
configured number of bits of that one's whole picture or of one of its crops (`hashes.CROPS`).
The candidates are the pictures of other sources whose rights forbid reuse
(`Picture.objects.protected()`); their hashes are read in one query and compared here, where
XOR and a bit count are cheap; the originals found are read in a second. On PostgreSQL the
query itself keeps only the hashes within the thresholds (`bit_count` of the XOR, in C), so a
large archive sends back the few near rows rather than all of them; SQLite has no bit count,
and sends every candidate's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from pictures import hashes
from pictures.models import Picture, PictureHash

SHOWN = 5  # the originals named in a report, the closest first


@dataclass(frozen=True)
class Match:
    """An original a picture copies, and how near the copy is to it."""

    original: Picture
    phash_bits: int
    dhash_bits: int
    crop: int  # which of `hashes.CROPS` of the original it is nearest

    @property
    def distance(self) -> int:
        """The bits by which the two hashes differ together, of 128."""
        return self.phash_bits + self.dhash_bits

    @property
    def cropped(self) -> bool:
        return self.crop != hashes.WHOLE


@dataclass(frozen=True)
class CopyReport:
    """What the check says of a picture: the protected originals it copies, if any."""

    picture: Picture
    matches: tuple[Match, ...] = ()
    lead_of: object = None  # the article it leads, where the article's gate asked

    @property
    def exceeds(self) -> bool:
        return bool(self.matches)

    @property
    def reasons(self) -> list[str]:
        if not self.matches:
            return []
        named = "; ".join(
            f"“{m.original}” from {m.original.source.name}"
            + (
                f" ({' '.join(m.original.copyright_notice.split())})"
                if m.original.copyright_notice
                else ""
            )
            + f", {m.distance} of 128 bits apart"
            for m in self.matches
        )
        what = f"Its lead picture “{self.picture}”" if self.lead_of is not None else "It"
        return [
            f"{what} is a copy of a picture whose rights forbid reuse: {named}. Use the "
            "original under its own rights, choose another picture, or ask a rights manager to "
            "override."
        ]


def store_hashes(picture: Picture, data: bytes) -> None:
    """Hash `picture`'s file, `data`, and keep the hashes in place of any it had."""
    values = hashes.of_bytes(data)
    PictureHash.objects.filter(picture=picture).delete()
    PictureHash.objects.bulk_create(
        PictureHash(
            picture=picture,
            crop=crop,
            phash=hashes.signed(value.phash),
            dhash=hashes.signed(value.dhash),
        )
        for crop, value in enumerate(values)
    )


def whole_hashes(picture: Picture) -> hashes.Hashes | None:
    """The picture's own hashes: stored, or made from its file where none were stored."""
    row = (
        PictureHash.objects.filter(picture_id=picture.pk, crop=hashes.WHOLE)
        .values_list("phash", "dhash")
        .first()
        if picture.pk is not None
        else None
    )
    if row is not None:
        return hashes.Hashes(hashes.unsigned(row[0]), hashes.unsigned(row[1]))
    if not picture.image:
        return None
    with picture.image.storage.open(picture.image.name, "rb") as file:
        data = file.read()
    values = hashes.of_bytes(data)
    if picture.pk is not None:
        store_hashes(picture, data)
    return values[hashes.WHOLE]


def check(picture: Picture, *, lead_of=None) -> CopyReport:
    """Compare `picture` with every protected picture of another source."""
    ours = whole_hashes(picture)
    if ours is None:
        return CopyReport(picture, lead_of=lead_of)
    most_p, most_d = settings.PICTURE_COPY_PHASH_BITS, settings.PICTURE_COPY_DHASH_BITS
    rows = candidate_hashes(picture, ours, most_p=most_p, most_d=most_d)
    nearest: dict[int, tuple[int, int, int]] = {}  # original -> (pHash bits, dHash bits, crop)
    for pk, crop, phash, dhash in rows.iterator(chunk_size=5000):
        p = (ours.phash ^ hashes.unsigned(phash)).bit_count()
        if p > most_p:
            continue
        d = (ours.dhash ^ hashes.unsigned(dhash)).bit_count()
        if d <= most_d and (pk not in nearest or p + d < sum(nearest[pk][:2])):
            nearest[pk] = (p, d, crop)
    closest = sorted(nearest, key=lambda pk: (sum(nearest[pk][:2]), pk))[:SHOWN]
    found = Picture.objects.select_related("source").in_bulk(closest)
    matches = tuple(Match(found[pk], *nearest[pk]) for pk in closest if pk in found)
    return CopyReport(picture, matches=matches, lead_of=lead_of)


def candidate_hashes(
    picture: Picture, ours: hashes.Hashes, *, most_p: int, most_d: int
) -> QuerySet:
    """The hashes of protected pictures of other sources, as (picture, crop, pHash, dHash); on
    PostgreSQL only those within `most_p` and `most_d` bits of `ours`."""
    candidates = Picture.objects.protected().exclude(pk=picture.pk)
    if picture.source_id is not None:
        candidates = candidates.exclude(source_id=picture.source_id)
    rows = PictureHash.objects.filter(picture__in=candidates.values("pk"))
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(PictureHash._meta.db_table)
        rows = rows.annotate(
            p_bits=RawSQL(f"bit_count(({table}.phash # %s)::bit(64))", [hashes.signed(ours.phash)]),
            d_bits=RawSQL(f"bit_count(({table}.dhash # %s)::bit(64))", [hashes.signed(ours.dhash)]),
        ).filter(p_bits__lte=most_p, d_bits__lte=most_d)
    return rows.values_list("picture_id", "crop", "phash", "dhash")


def check_picture(sender, *, picture, lead_of=None, **kwargs) -> CopyReport:
    """The receiver of `articles.signals.picture_check`."""
    return check(picture, lead_of=lead_of)
