"""Copied-text detector benchmark: one 1,500-word story against N stored wire items.

    .venv/bin/python bench/copycheck.py [--items 100000] [--ingest 10000] [--repeats 5]
                                        [--database-url URL]

Fills a fresh database (a temporary SQLite file, or a PostgreSQL database made and dropped for
the run) with N protected wire items of about 400 words and their fingerprints, then times
`check()` on stories that copy a passage and stories that copy nothing, and reports the median
and 95th percentile.

Ingest overhead is timed beside an empty index and beside the filled one. Each timed ingest runs
on a throwaway copy of the same database (a file copy on SQLite; `CREATE DATABASE … TEMPLATE` on
PostgreSQL, then a checkpoint), and ingests the same files, so runs with and without the index
differ in nothing else; an indexed run ends, as every run does, by merging the rows it appended
into the main index. The runs alternate (without, with; with, without; …) `--repeats` times a
side, so a slow spell on a shared machine falls on both sides. Reported: each side's median,
the overhead of the medians, the spread of the per-pair overheads, and the time spent inside the
indexing code itself during the indexed runs (the save hook, each batch's write, the merges), as a
share of the rest of their ingest.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(size)]


def text(rng: random.Random, vocab: list[str], n: int) -> list[str]:
    # Zipf-like: common words recur, as in news copy.
    return rng.choices(vocab, weights=[1 / (i + 1) for i in range(len(vocab))], k=n)


class Databases:
    """The base database the bench fills, and throwaway copies of it for timed ingests."""

    def __init__(self, url: str | None):
        self.url = url
        tag = uuid.uuid4().hex[:8]
        if url:
            self.server = url.rsplit("/", 1)[0]
            self.base = f"newsroom_bench_{tag}"
            self._psql(f"CREATE DATABASE {self.base}")
            os.environ["DATABASE_URL"] = f"{self.server}/{self.base}"
        else:
            self.base = f"{tempfile.gettempdir()}/newsroom-copycheck-{tag}.sqlite3"
            os.environ["DATABASE_URL"] = f"sqlite:///{self.base}"

    def _psql(self, sql: str) -> None:
        subprocess.run(["psql", f"{self.server}/postgres", "-qc", sql], check=True)

    @contextlib.contextmanager
    def copy(self) -> Iterator[None]:
        """Point Django at a fresh copy of the base database for the block; drop it after."""
        from django.db import connection, connections

        if self.url:
            name = f"{self.base}_run"
            connections.close_all()
            # FILE_COPY checkpoints and copies the files, where the default strategy would write
            # the whole database to the WAL and leave a checkpoint to fall in the timed run.
            self._psql(f"CREATE DATABASE {name} TEMPLATE {self.base} STRATEGY FILE_COPY")
            self._psql("CHECKPOINT")
        else:
            name = f"{self.base[: -len('.sqlite3')]}-run.sqlite3"
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            connections.close_all()
            shutil.copyfile(self.base, name)
        connection.settings_dict["NAME"] = name
        try:
            yield
        finally:
            connections.close_all()
            connection.settings_dict["NAME"] = self.base
            if self.url:
                self._psql(f"DROP DATABASE {name}")
            else:
                _unlink_sqlite(name)

    def drop(self) -> None:
        from django.db import connections

        connections.close_all()
        if self.url:
            self._psql(f"DROP DATABASE {self.base}")
        else:
            _unlink_sqlite(self.base)
            _unlink_sqlite(f"{self.base[: -len('.sqlite3')]}-run.sqlite3")


def _unlink_sqlite(path: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--stories", type=int, default=30)
    parser.add_argument("--ingest", type=int, default=10_000, help="items per timed ingest")
    parser.add_argument("--repeats", type=int, default=5, help="timed ingests a side, each size")
    parser.add_argument("--database-url")
    args = parser.parse_args()

    databases = Databases(args.database_url)
    os.environ.update(DEBUG="false", SECRET_KEY="bench", ALLOWED_HOSTS="localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    try:
        run(args, databases)
    finally:
        databases.drop()


def run(args, databases: Databases) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from articles.models import Article, Source
    from copycheck import index
    from copycheck.check import check
    from copycheck.models import Fingerprint

    rng = random.Random(7)
    vocab = vocabulary(rng)
    agency = Source.objects.create(name="Bench Wire", slug="bench-wire")
    staff = Source.objects.create(name="Staff", slug="staff", kind="staff")
    Source.objects.create(name="Timing Wire", slug="timing-wire")
    with tempfile.TemporaryDirectory() as tmp:
        folder = wire_files(Path(tmp), rng, vocab, args.ingest)
        ingest_overhead(databases, folder, args.repeats, where="an empty index")

        started = time.perf_counter()
        bodies: dict[int, list[str]] = {}
        for offset in range(0, args.items, 2000):
            created = Article.objects.bulk_create(
                Article(
                    guid=f"urn:bench:{n}",
                    slug=f"bench-{n}",
                    headline=f"Item {n}",
                    body=" ".join(text(rng, vocab, 400)),
                    source=agency,
                )
                for n in range(offset, min(offset + 2000, args.items))
            )
            index.write([row for article in created for row in index.rows_for(article)])
            for a in created[:5]:
                bodies[a.pk] = a.body.split()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
        fill = time.perf_counter() - started
        rows = Fingerprint.objects.count()
        print(f"Filled {args.items:,} items, {rows:,} fingerprints in {fill:.0f} s")

        timings: dict[str, list[float]] = {"copying 40 words": [], "original": []}
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
            p95 = statistics.quantiles(values, n=20, method="inclusive")[-1]
            print(
                f"check() of a 1,500-word story {kind}: "
                f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms"
            )
        ingest_overhead(databases, folder, args.repeats, where=f"an index of {args.items:,} items")


def wire_files(tmp: Path, rng: random.Random, vocab: list[str], count: int) -> Path:
    """`count` ninjs items of 400 words, the same files for every timed ingest."""
    folder = tmp / "wire"
    folder.mkdir()
    for n in range(count):
        item = {
            "uri": f"urn:timing:{n}",
            "headline": f"Timing item {n}",
            "body_html": "<p>" + " ".join(text(rng, vocab, 400)) + "</p>",
            "copyrightholder": "Timing Wire",
        }
        (folder / f"{n:06d}.json").write_text(json.dumps(item))
    return folder


class IndexingClock:
    """Time spent inside the indexing code of an ingest: the save hook and the held writes."""

    def __init__(self):
        self.seconds = 0.0

    def around(self, function):
        def timed(*args, **kwargs):
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - began

        return timed

    @contextlib.contextmanager
    def installed(self, indexed: bool) -> Iterator[None]:
        """With `indexed`, time the hook and each batch's write; without, take the hook away."""
        from django.db.models.signals import post_save

        from articles.models import Article
        from copycheck import index

        uid = "copycheck-index"
        post_save.disconnect(sender=Article, dispatch_uid=uid)
        saved = index.RunIndex.settle, index.RunIndex.finish
        if indexed:
            post_save.connect(
                self.around(index.index_article), sender=Article, dispatch_uid=uid, weak=False
            )
            index.RunIndex.settle = self.around(index.RunIndex.settle)
            index.RunIndex.finish = self.around(index.RunIndex.finish)
        try:
            yield
        finally:
            index.RunIndex.settle, index.RunIndex.finish = saved
            post_save.disconnect(sender=Article, dispatch_uid=uid)
            post_save.connect(index.index_article, sender=Article, dispatch_uid=uid)


def ingest_overhead(databases: Databases, folder: Path, repeats: int, *, where: str) -> None:
    from articles.ingest.loader import Ingest
    from articles.models import Source
    from copycheck.models import Recent

    runs: dict[bool, list[float]] = {False: [], True: []}
    inside: list[float] = []
    for pair in range(repeats):
        for indexed in (False, True) if pair % 2 == 0 else (True, False):
            clock = IndexingClock()
            with databases.copy(), clock.installed(indexed):
                source = Source.objects.get(slug="timing-wire")
                began = time.perf_counter()
                reports = list(Ingest(source=source).paths([folder]))
                elapsed = time.perf_counter() - began
                assert all(r.status == "created" for r in reports), {r.status for r in reports}
                assert not Recent.objects.exists()
            runs[indexed].append(elapsed)
            if indexed:
                inside.append(clock.seconds / (elapsed - clock.seconds))
    without, with_index = statistics.median(runs[False]), statistics.median(runs[True])
    pairs = sorted(w / wo - 1 for w, wo in zip(runs[True], runs[False], strict=True))
    count = len(list(folder.iterdir()))
    print(
        f"Ingest of {count:,} items beside {where}, median of {repeats} a side: "
        f"{without:.2f} s without the index, {with_index:.2f} s with it "
        f"(+{(with_index / without - 1) * 100:.0f}%; pairs {pairs[0] * 100:+.0f}% to "
        f"{pairs[-1] * 100:+.0f}%); inside the indexing code: "
        f"+{statistics.median(inside) * 100:.0f}% of the rest of the ingest"
    )
    print(
        "  runs without: "
        + ", ".join(f"{s:.2f}" for s in runs[False])
        + "; with: "
        + ", ".join(f"{s:.2f}" for s in runs[True])
    )


if __name__ == "__main__":
    main()
