"""Copied-picture check: hit rate on changed copies, false positives between different photos,
and the cost of hashing a picture and of comparing one with an archive.

    .venv/bin/python bench/picture_copies.py [--photos 200] [--copies 60] [--archive 10000]
        [--database | --database-url postgres://…/EMPTY_DB]

Makes `--photos` made-up photographs (tests/pictures/photos.py, each a scene of its own), hashes
each as ingest does (`pictures.hashes.of_bytes`: pHash and dHash of the whole picture and of its
crops), then: for each change in `CHANGES` (resize, crops of 5 to 12%, JPEG quality 40, brighter,
darker, recoloured, and all at once), how many of `--copies` changed copies match their original
at the thresholds in force; how many pairs of different photos match (every photo against every
other's crops); and the time to hash one file and to compare one copy with `--archive` protected
originals (their 11 crops each, as the check reads them from the database). With `--database`,
on a fresh SQLite file, `--archive` protected pictures with their hashes are stored and the whole
check (`pictures.copies.check`: its queries and the comparison) is timed for one copy; with
`--database-url`, the same on that database (an empty one: it is migrated and filled), where on
PostgreSQL the query keeps only the near hashes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--copies", type=int, default=60)
    parser.add_argument("--archive", type=int, default=10_000)
    parser.add_argument("--database", action="store_true")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
        os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="newsroom-bench-copies-")
        os.environ.setdefault("DEBUG", "1")
        args.database = True
    elif args.database:
        folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-copies-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
        os.environ["MEDIA_ROOT"] = str(folder / "media")
        os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings

    from pictures.hashes import WHOLE, Hashes, of_bytes
    from tests.pictures.photos import CHANGES, jpeg, photo

    most_p, most_d = settings.PICTURE_COPY_PHASH_BITS, settings.PICTURE_COPY_DHASH_BITS

    def matches(copy: Hashes, original: list[Hashes]) -> bool:
        return any(p <= most_p and d <= most_d for p, d in (copy.distance(h) for h in original))

    files = [jpeg(photo(seed)) for seed in range(args.photos)]
    timings, originals = [], []
    for data in files:
        start = time.perf_counter()
        originals.append(of_bytes(data))
        timings.append(time.perf_counter() - start)
    print(f"thresholds: pHash <= {most_p} bits and dHash <= {most_d} bits, of 64")
    print(
        f"hash one 1200x800 JPEG (11 crops, 2 hashes each): median "
        f"{statistics.median(timings) * 1000:.1f} ms, p95 "
        f"{sorted(timings)[round(0.95 * (len(timings) - 1))] * 1000:.1f} ms"
    )
    copies = min(args.copies, args.photos)
    total_hits = total = 0
    for name, change in CHANGES.items():
        hits = sum(
            matches(of_bytes(jpeg(change(photo(seed))))[WHOLE], originals[seed])
            for seed in range(copies)
        )
        total_hits, total = total_hits + hits, total + copies
        print(f"  {name:<55} {hits}/{copies} found")
    print(f"changed copies found: {total_hits}/{total} ({total_hits / total:.1%})")
    false = pairs = 0
    closest = 128
    for i, ours in enumerate(originals):
        for j, theirs in enumerate(originals):
            if i == j:
                continue
            pairs += 1
            false += matches(ours[WHOLE], theirs)
            closest = min(closest, min(sum(ours[WHOLE].distance(h)) for h in theirs))
    print(
        f"different photos matched: {false}/{pairs} pairs ({false / pairs:.3%}); closest pair "
        f"{closest} bits (pHash + dHash) apart"
    )
    rng = random.Random(7)
    archive = [
        (n, rng.getrandbits(64), rng.getrandbits(64))
        for n in range(args.archive * len(originals[0]))
    ]
    copy = originals[0][WHOLE]
    start = time.perf_counter()
    for _ in range(5):
        [
            pk
            for pk, p, d in archive
            if (copy.phash ^ p).bit_count() <= most_p and (copy.dhash ^ d).bit_count() <= most_d
        ]
    compare = (time.perf_counter() - start) / 5
    print(
        f"compare one copy with {args.archive} originals ({len(archive)} crops): "
        f"{compare * 1000:.1f} ms"
    )
    if args.database:
        checked(args.archive, files[0], archive)


def checked(count: int, data: bytes, archive: list[tuple[int, int, int]]) -> None:
    """Time `pictures.copies.check` of one staff picture against `count` protected ones."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.models import Source
    from pictures import hashes
    from pictures.copies import check, store_hashes
    from pictures.models import Picture, PictureHash

    call_command("migrate", verbosity=0)
    agency = Source.objects.create(name="Agency", slug="agency")
    desk = Source.objects.create(name="Desk", slug="desk", kind=Source.Kind.STAFF)
    common = {"width": 1200, "height": 800, "format": "jpeg", "rights_settled": True}
    Picture.objects.bulk_create(
        Picture(source=agency, guid=f"urn:bench:{n}", content_hash="0" * 64,
                image=f"pictures/originals/{n}.jpeg", may_publish=True, **common)
        for n in range(count)
    )  # fmt: skip
    pks = list(Picture.objects.values_list("pk", flat=True))
    crops = len(hashes.CROPS)
    PictureHash.objects.bulk_create(
        (
            PictureHash(picture_id=pks[n // crops], crop=n % crops,
                        phash=hashes.signed(p), dhash=hashes.signed(d))
            for n, p, d in archive[: count * crops]
        ),
        batch_size=5000,
    )  # fmt: skip
    copy = Picture.objects.create(
        source=desk, guid="urn:bench:copy", content_hash="1" * 64, image="x.jpeg",
        **{**common, "may_publish": True, "may_rewrite": True},
    )  # fmt: skip
    store_hashes(copy, data)
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            check(copy)
            timings.append(time.perf_counter() - start)
    print(
        f"check one copy against {count} protected pictures in {connection.vendor}: median "
        f"{statistics.median(timings) * 1000:.1f} ms, {len(queries.captured_queries)} queries"
    )


if __name__ == "__main__":
    main()
