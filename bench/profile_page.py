"""CPU a request of a few pages, in-process, and where it goes (cProfile).

    .venv/bin/python bench/generate.py --articles 2000 --database-url sqlite:////tmp/render.sqlite3
    .venv/bin/python bench/profile_page.py --database-url sqlite:////tmp/render.sqlite3
        [--requests 100] [--only story] [--page-cache] [--profile] [--top 30]

Each page (`PAGES`: a story, the front page, the biggest section, RSS, the API list and the
desk's article list, picked from the data as `bench/pages.py` picks them) is asked through
Django's test `Client`, over HTTPS, with DEBUG off, as `bench/pages.py` sets it up: a dummy
cache, unless `--page-cache`, which uses a local-memory cache so the timed requests are hits.
Each page is asked five times to warm up, then `--requests` times; the figures are the CPU of
this process (`time.process_time`) and the wall time, both in ms a request. `--profile` runs
the timed requests of each page under cProfile and prints the `--top` functions by cumulative
and by own time. Everything is rolled back at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402  (bench/pages.py: the set-up and the addresses)

# The short name of each page and the bench/pages.py address it is.
PAGES = {
    "story": "article, latest",
    "front": "front page",
    "section": "section, biggest",
    "rss": "RSS",
    "api": "API list",
    "sitemap": "sitemap, articles",
    "news": "news sitemap",
    "search": "search, two words",
    "desk": "desk: article list",
}


def measure(client, path: str, requests: int, profile: bool, top: int) -> tuple[float, float]:
    for _ in range(5):
        response = client.get(path, secure=True)
        assert response.status_code == 200, (path, response.status_code)
    profiler = cProfile.Profile() if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for _ in range(requests):
        client.get(path, secure=True)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        print(out.getvalue())
    return cpu * 1000 / requests, wall * 1000 / requests


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--only", action="append", default=[], choices=sorted(PAGES))
    parser.add_argument("--page-cache", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    pages.configure(args.database_url)

    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    chosen = {**pages.SETTINGS, "PAGE_CACHE": args.page_cache}
    if args.page_cache:
        chosen["CACHES"] = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(ALLOWED_HOSTS=["testserver"], **chosen), transaction.atomic():
        found = dict(pages.addresses())
        reader, desk = Client(), pages.signed_in_client()
        print(f"{'page':8} {'cpu ms':>8} {'wall ms':>8}  path")
        for short, name in PAGES.items():
            if args.only and short not in args.only:
                continue
            path = found[name]
            client = desk if path.startswith("/admin/") else reader
            cpu, wall = measure(client, path, args.requests, args.profile, args.top)
            print(f"{short:8} {cpu:8.2f} {wall:8.2f}  {path}", flush=True)
        transaction.set_rollback(True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
