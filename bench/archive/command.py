"""The command line: Django set up on the database a URL names, the run, and its report."""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections.abc import Sequence

import bench.archive
from bench.archive.rows import Generator


def configure(database_url: str) -> None:
    """Set Django up on the database `database_url` names, as the project's settings read it.

    DEBUG is off, so that no query log grows with the run; a key of the run's own stands in
    for SECRET_KEY where none is set (nothing is signed).
    """
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-generate-" + uuid.uuid4().hex)
    import django

    django.setup()


def generate(
    *,
    articles: int,
    seed: int = 2026,
    batch: int = 5_000,
    trail_share: float = 0.1,
    fingerprints: bool = False,
    toast_compression: str = "",
    progress: bool = True,
    defer_indexes: bool = True,
    writers: int = 2,
) -> Generator:
    """Fill the configured (migrated, empty) database; return the generator with its counts."""
    from articles.models import Article

    if Article.objects.exists():
        raise SystemExit(
            "The database already holds articles: the generator fills an empty archive. "
            "Create a new database (or flush this one) and run it again."
        )
    generator = Generator(
        articles=articles,
        seed=seed,
        batch=batch,
        trail_share=trail_share,
        prints=progress,
        defer_indexes=defer_indexes,
        writers=writers,
    )
    generator.run(fingerprints=fingerprints, toast_compression=toast_compression)
    return generator


def report(generator: Generator) -> str:
    counts = generator.counts
    rows = sum(counts.tables.values())
    lines = [f"{table:32} {count:>12,}" for table, count in sorted(counts.tables.items())]
    lines.append(f"{'rows in all':32} {rows:>12,}")
    lines.append("")
    lines += [f"{status:32} {count:>12,}" for status, count in counts.statuses.most_common()]
    lines.append("")
    lines += [f"{'seconds: ' + what:32} {t:>12,.1f}" for what, t in generator.writing.items()]
    lines.append("")
    seconds = generator.seconds
    lines.append(
        f"{counts.tables['articles_article']:,} articles in {seconds:,.1f} s: "
        f"{counts.tables['articles_article'] / seconds:,.0f} articles/s, "
        f"{rows / seconds:,.0f} rows/s"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=bench.archive.__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument(
        "--trail-share",
        type=float,
        default=0.1,
        help="share of items with an audit trail and history rows (withdrawn, killed and "
        "refused items: all)",
    )
    parser.add_argument(
        "--fingerprints",
        action="store_true",
        help="write the copy detector's index too (else `manage.py reindex_copy` fills it)",
    )
    parser.add_argument(
        "--toast-compression",
        choices=["lz4", "pglz", "server"],
        default="lz4",
        help="PostgreSQL: how this session compresses long values (server: its default)",
    )
    parser.add_argument(
        "--keep-indexes",
        action="store_true",
        help="PostgreSQL: keep every index during the COPY (else those that back no constraint "
        "are dropped and built once at the end, which is several times faster)",
    )
    parser.add_argument(
        "--writers",
        type=int,
        default=2,
        help="PostgreSQL: threads writing batches, each with a connection of its own",
    )
    args = parser.parse_args(argv)
    configure(args.database_url)
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic() - started
    generator = generate(
        articles=args.articles,
        seed=args.seed,
        batch=args.batch,
        trail_share=args.trail_share,
        fingerprints=args.fingerprints,
        toast_compression="" if args.toast_compression == "server" else args.toast_compression,
        defer_indexes=not args.keep_indexes,
        writers=args.writers,
    )
    print(f"migrated in {migrated:.1f} s")
    print(report(generator))
    return 0
