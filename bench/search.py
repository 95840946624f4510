"""Search bench: the public search's query and the desk search's, alone, against an archive.

    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/bench
        [--requests 30] [--explain]

The page bench (`bench/pages.py`) times whole pages, whose other queries (the page cache's next
change, the navigation) and rendering weigh as much as the search itself. This times what the
search adds: for the same terms (the commonest word of recent headlines, two, and a word no
story holds), the query of the first page of `/search/` (`articles.search.search()` over the
search channel's items, PAGE_SIZE + 1 rows, as `page_of()` reads them), and the desk's search's
id query (the article admin's `get_search_results()` over every article, as the change list calls
it).
Each is run once to warm it, then `--requests` times; it prints the median and the 95th
percentile in milliseconds, and with `--explain` PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)` of
each. It only reads.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import NO_MATCH, common_words, configure, percentile  # noqa: E402


def timed(run: Callable[[], object], requests: int) -> tuple[float, float]:
    run()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    configure(args.database_url)

    from django.contrib import admin
    from django.db import connection
    from django.test import RequestFactory

    from articles.models import Article
    from articles.pages.views import PAGE_SIZE
    from articles.search import search
    from articles.vocabulary import Channel

    desk = admin.site.get_model_admin(Article)
    words = common_words()
    terms = {"common word": words[0], "two words": " ".join(words[:2]), "no match": NO_MATCH}
    request = RequestFactory().get("/admin/articles/article/")
    print(f"{Article.objects.count():,} articles, {connection.vendor}")
    for name, term in terms.items():
        for kind, make in (
            ("search", lambda t: search(Article.objects.for_channel(Channel.SEARCH), t)),
            ("desk", lambda t: desk.get_search_results(request, Article.objects.all(), t)[0]),
        ):

            def run(make=make, term=term):
                return len(list(make(term)[: PAGE_SIZE + 1]))

            median, p95 = timed(run, args.requests)
            print(f"{kind:6} {name:12} {term!r:32} {run():>3} rows  {median:8.1f} / {p95:8.1f} ms")
            if args.explain and connection.vendor == "postgresql" and kind == "search":
                sql, params = make(term)[: PAGE_SIZE + 1].query.sql_with_params()
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                    print("\n".join(f"    {row[0]}" for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
