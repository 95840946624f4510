"""Copied-picture check: hit rate on changed copies, false positives between different photos,
and the cost of hashing a picture and of comparing one with an archive.

    .venv/bin/python bench/picture_copies.py [--photos 200] [--copies 60] [--archive 10000]

Makes `--photos` made-up photographs (tests/pictures/photos.py, each a scene of its own), hashes
each as ingest does (`pictures.hashes.of_bytes`: pHash and dHash of the whole picture and of its
crops), then: for each change in `CHANGES` (resize, crops of 5 to 12%, JPEG quality 40, brighter,
darker, recoloured, and all at once), how many of `--copies` changed copies match their original
at the thresholds in force; how many pairs of different photos match (every photo against every
other's crops); and the time to hash one file and to compare one copy with `--archive` protected
originals (their 11 crops each, as the check reads them from the database).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
