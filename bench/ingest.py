"""Ingest benchmark: N plain-text and N ninjs items into a fresh database, then again unchanged.

    .venv/bin/python bench/ingest.py [--items 10000] [--database-url URL]

Each measurement runs in its own process on a fresh database (a temporary SQLite file, or a
PostgreSQL database created and dropped for the run), and reports items per second and the
process's peak resident memory. Memory is measured at several sizes to show it does not grow
with the number of files.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = [
    "Officials said on Tuesday that the new rail line would open in the spring, two years later "
    "than first planned, after engineers found old mine workings under the route.",
    "The delay will add about 40 million to the cost, the transport authority said, most of it "
    "for filling the workings with concrete before track can be laid.",
    "Residents along the route said they were relieved the problem had been found before the "
    "line opened rather than after.",
]


def write_corpus(folder: Path, *, count: int, kind: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        if kind == "text":
            body = "\n\n".join(f"{p} (Item {n}.)" for p in PARAGRAPHS)
            (folder / f"{n:06}.txt").write_text(
                f"Rail line delayed by old mine workings, report {n}\n\n"
                f"LEEDS, Nov 24 (Example Wire) - {body}\n\n"
                f"*Writing by Reporter {n % 50}\n\n"
                "Copyright 2026 Example Wire. All rights reserved. This material may not be "
                "published, broadcast, rewritten, or redistributed.\n"
            )
        else:
            item = {
                "uri": f"urn:bench:{n}",
                "version": "1",
                "headline": f"Rail line delayed by old mine workings, report {n}",
                "body_html": "".join(f"<p>{p} (Item {n}.)</p>" for p in PARAGRAPHS),
                "copyrightholder": "Example Wire",
                "copyrightnotice": "Copyright 2026 Example Wire. All rights reserved.",
                "by": f"Reporter {n % 50}",
                "language": "en",
            }
            (folder / f"{n:06}.json").write_text(json.dumps(item))


def measure(folder: Path, *, database_url: str, fresh: bool) -> dict:
    """Run one ingest in a child process; return its figures."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "bench"}
    env["ALLOWED_HOSTS"] = "localhost"
    if fresh:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_ingest_child.py"), str(folder)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def database(url: str | None, scratch: Path) -> tuple[str, callable]:
    if not url:
        path = scratch / f"bench-{uuid.uuid4().hex}.sqlite3"
        return f"sqlite:///{path}", lambda: None
    name = f"newsroom_bench_{uuid.uuid4().hex[:8]}"
    admin = url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    return url.rsplit("/", 1)[0] + "/" + name, lambda: subprocess.run(
        ["psql", admin, "-qc", f"DROP DATABASE {name}"], check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--database-url", help="a PostgreSQL URL; SQLite when absent")
    parser.add_argument("--memory-sizes", default="1000,5000", help="extra sizes for memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        results = []
        for kind in ("text", "ninjs"):
            corpus = scratch / kind
            write_corpus(corpus, count=args.items, kind=kind)
            url, drop = database(args.database_url, scratch)
            try:
                first = measure(corpus, database_url=url, fresh=True)
                again = measure(corpus, database_url=url, fresh=False)
            finally:
                drop()
            results.append({"kind": kind, "items": args.items, "first": first, "unchanged": again})
            for size in [int(s) for s in args.memory_sizes.split(",") if s]:
                subset = scratch / f"{kind}-{size}"
                write_corpus(subset, count=size, kind=kind)
                url, drop = database(args.database_url, scratch)
                try:
                    results.append(
                        {
                            "kind": kind,
                            "items": size,
                            "first": measure(subset, database_url=url, fresh=True),
                        }
                    )
                finally:
                    drop()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"Ingest on {backend}:")
    for r in results:
        line = (
            f"  {r['kind']:5} {r['items']:6} items: {r['first']['items_per_s']:7.0f} items/s, "
            f"peak {r['first']['peak_mib']:.0f} MiB"
        )
        if "unchanged" in r:
            line += (
                f"; unchanged re-ingest {r['unchanged']['items_per_s']:7.0f} items/s, "
                f"peak {r['unchanged']['peak_mib']:.0f} MiB"
            )
        print(line)


if __name__ == "__main__":
    main()
