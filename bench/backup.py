"""Backup and restore benchmark: the demo and N ingested wire items, backed up and restored.

    .venv/bin/python bench/backup.py [--articles 10000] [--database-url URL]

Builds a database (a temporary SQLite file, or a PostgreSQL database created and dropped on the
server URL names): `migrate`, `demo`, `demo_admin`, then N plain-text wire items through
`ingest` (each with its first revision and an ingest entry in the audit log). Then
`backup`, and `restore` into a new migrated database of the same kind (and, with a PostgreSQL
URL, into SQLite too); on PostgreSQL `pg_dump -Fc` and `pg_restore` of the same database beside
them. Each command runs in its own process: its time is the wall clock from start to exit,
Django's start included, and its peak memory its own.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import ROOT, database, write_corpus  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def run(argv: list[str], *, url: str | None = None) -> tuple[float, float, str]:
    """Run `argv` (a manage.py command when `url` is given): seconds, peak MiB, last line."""
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "bench", "ALLOWED_HOSTS": "localhost"}
    if url:
        env["DATABASE_URL"] = url
        argv = [sys.executable, "manage.py", *argv]
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        lines = out.read().splitlines() or [""]
    if status:
        raise SystemExit(f"{' '.join(argv)} failed ({status})")
    return elapsed, usage.ru_maxrss / 1024, lines[-1]


def inside(line: str) -> str:
    """The time a backup or restore command reports for its own work."""
    found = re.search(r" in (\d+\.\d) s", line)
    return f" ({found.group(1)} s in the command)" if found else ""


def size(path: Path) -> str:
    kib = path.stat().st_size / 1024
    return f"{kib / 1024:.1f} MiB" if kib >= 1024 else f"{kib:.0f} KiB"


def tool(name: str) -> str:
    return str(PG_BIN / name) if (PG_BIN / name).exists() else name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000, help="wire items besides the demo")
    parser.add_argument("--database-url", help="a PostgreSQL URL; SQLite when absent")
    args = parser.parse_args()
    vendor = "PostgreSQL" if args.database_url else "SQLite"
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        drops = []

        def new(url: str | None) -> str:
            made, drop = database(url, scratch)
            drops.append(drop)
            run(["migrate", "-v0"], url=made)
            return made

        try:
            source = new(args.database_url)
            run(["demo"], url=source)
            run(["demo_admin"], url=source)
            if args.articles:
                write_corpus(scratch / "wire", count=args.articles, kind="text")
                seconds, _, _ = run(["ingest", str(scratch / "wire")], url=source)
                print(f"{vendor}: ingested {args.articles} items in {seconds:.1f} s")
            path = scratch / "newsroom.jsonl.gz"
            seconds, peak, said = run(["backup", str(path), "--quiet"], url=source)
            print(f"  {said}")
            print(f"  backup: {seconds:.1f} s{inside(said)}, peak {peak:.0f} MiB, {size(path)}")
            targets = [(vendor, args.database_url)]
            if args.database_url:
                targets.append(("SQLite", None))
            for name, url in targets:
                seconds, peak, said = run(["restore", str(path), "--quiet"], url=new(url))
                print(f"  restore into {name}: {seconds:.1f} s{inside(said)}, peak {peak:.0f} MiB")
            if args.database_url:
                dump = scratch / "newsroom.pgdump"
                seconds, _, _ = run([tool("pg_dump"), "-Fc", "-f", str(dump), source])
                print(f"  pg_dump -Fc: {seconds:.1f} s, {size(dump)}")
                empty, drop = database(args.database_url, scratch)
                drops.append(drop)
                seconds, _, _ = run([tool("pg_restore"), "-d", empty, str(dump)])
                print(f"  pg_restore into an empty database: {seconds:.1f} s")
        finally:
            for drop in reversed(drops):
                drop()


if __name__ == "__main__":
    main()
