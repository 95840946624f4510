"""Copied-text detector benchmark: one 1,500-word story against N stored wire items.

    .venv/bin/python bench/copycheck.py [--items 100000] [--ingest 10000] [--database-url URL]

Fills a fresh database (temporary SQLite file, or a PostgreSQL database made and dropped for the
run) with N protected wire items of about 400 words and their fingerprints, then times `check()`
on stories that copy a passage and stories that copy nothing, and reports the median and 95th
percentile. Before the fill and after it, times ingest of 10,000 items with and without the
index, for its overhead (each twice, keeping the faster run).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(size)]


def text(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    # Zipf-like: common words recur, as in news copy.
    return rng.choices(vocab, weights=[1 / (i + 1) for i in range(len(vocab))], k=n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=30)
    parser.add_argument("--ingest", type=int, default=10_000, help="items per timed ingest")
    parser.add_argument("--database-url")
    args = parser.parse_args()

    drop = None
    if args.database_url:
        import subprocess

        name = f"newsroom_bench_{uuid.uuid4().hex[:8]}"
        admin = args.database_url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        os.environ["DATABASE_URL"] = args.database_url.rsplit("/", 1)[0] + "/" + name

        def drop():
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {name}"], check=True)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:////tmp/newsroom-copycheck-{uuid.uuid4().hex}.sqlite3"
    os.environ.update(DEBUG="false", SECRET_KEY="bench", ALLOWED_HOSTS="localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    try:
        run(args)
    finally:
        if drop:
            from django.db import connections

            connections.close_all()
            drop()
        elif os.environ["DATABASE_URL"].startswith("sqlite"):
            path = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from articles.models import Article, Source
    from copycheck.check import check
    from copycheck.models import Fingerprint
    from copycheck.shingles import fingerprints, words

    rng = random.Random(7)
    vocab = vocabulary(rng)
    agency = Source.objects.create(name="Bench Wire", slug="bench-wire")
    staff = Source.objects.create(name="Staff", slug="staff", kind="staff")
    ingest_overhead(rng, vocab, args.ingest, where="an empty index")
    started = time.perf_counter()
    bodies: dict[int, list[str]] = {}
    for offset in range(0, args.items, 2000):
        batch = []
        for n in range(offset, min(offset + 2000, args.items)):
            body = text(rng, vocab, 400)
            batch.append(
                Article(
                    guid=f"urn:bench:{n}",
                    slug=f"bench-{n}",
                    headline=f"Item {n}",
                    body=" ".join(body),
                    source=agency,
                )
            )
        created = Article.objects.bulk_create(batch)
        Fingerprint.objects.bulk_create(
            (
                Fingerprint(article=a, hash=value, position=position)
                for a in created
                for value, position in fingerprints(words(f"{a.headline}  {a.body}"))
            ),
            batch_size=5000,
        )
        for a in created[:5]:
            bodies[a.pk] = a.body.split()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load, before timing
    fill = time.perf_counter() - started
    rows = Fingerprint.objects.count()
    print(f"Filled {args.items} items, {rows} fingerprints in {fill:.0f} s")

    timings = {"copying 40 words": [], "original": []}
    for n in range(args.stories):
        own = text(rng, vocab, 1500)
        kind = "copying 40 words" if n % 2 == 0 else "original"
        if kind == "copying 40 words":
            source_words = rng.choice(list(bodies.values()))
            at = rng.randint(0, len(source_words) - 40)
            own[700:740] = source_words[at : at + 40]
        story = Article.objects.create(
            guid=f"urn:story:{n}",
            slug=f"story-{n}",
            headline="Story",
            body=" ".join(own),
            source=staff,
        )
        began = time.perf_counter()
        report = check(story)
        timings[kind].append((time.perf_counter() - began) * 1000)
        assert report.exceeds == (kind == "copying 40 words"), (kind, report.longest_run)
    for kind, values in timings.items():
        values.sort()
        p95 = values[int(len(values) * 0.95) - 1]
        print(
            f"check() of a 1,500-word story {kind}: median {statistics.median(values):.1f} ms, "
            f"p95 {p95:.1f} ms"
        )
    ingest_overhead(rng, vocab, args.ingest, where=f"an index of {args.items} items")


def ingest_overhead(rng: random.Random, vocab: list[str], count: int, *, where: str) -> None:
    import json
    import tempfile

    from django.db.models.signals import post_save

    from articles.ingest.loader import Ingest
    from articles.models import Article, Source
    from copycheck import index

    source = Source.objects.get_or_create(name="Timing Wire", slug="timing-wire")[0]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label in ("without index", "with index", "without index again", "with index again"):
            folder = Path(tmp) / label.replace(" ", "-")
            folder.mkdir()
            for n in range(count):
                item = {
                    "uri": f"urn:timing:{where}:{label}:{n}",
                    "headline": f"Timing item {n} {label} {where}",
                    "body_html": "<p>" + " ".join(text(rng, vocab, 400)) + "</p>",
                    "copyrightholder": "Timing Wire",
                }
                (folder / f"{n}.json").write_text(json.dumps(item))
            connected = "with" in label and "without" not in label
            if not connected:
                post_save.disconnect(sender=Article, dispatch_uid="copycheck-index")
            began = time.perf_counter()
            for _ in Ingest(source=source).paths([folder]):
                pass
            results[label] = time.perf_counter() - began
            if not connected:
                post_save.connect(
                    index.index_article, sender=Article, dispatch_uid="copycheck-index"
                )
    without = min(results["without index"], results["without index again"])
    with_index = min(results["with index"], results["with index again"])
    print(
        f"Ingest of {count:,} items beside {where}: {without:.2f} s without the index, "
        f"{with_index:.2f} s with it "
        f"(+{(with_index / without - 1) * 100:.0f}%)"
    )


if __name__ == "__main__":
    main()
