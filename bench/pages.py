"""Page bench: every public page, feed, sitemap and the API, and the desk's article list, timed
in-process against an archive (one `bench/generate.py` made, or any other).

    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench
        [--requests 50] [--max-seconds 30] [--json bench/results/pages.json] [--explain]
        [--skip NAME]...

Each address is picked from the data: the latest public story and the oldest, the section, the
source and the person with most stories, the latest story's day in the archive, a search for
the commonest word of recent headlines, for two, and for a word nothing holds, the feeds, the
sitemaps, the API's list and one item; then the desk's article list, its "publishable now"
filter and its search, signed in as a superuser made for the run, with the second factor its
sign-in asks (an authenticator app set up for it, as the tests sign in).

Requests go through Django's test `Client`, over HTTPS as behind the site's proxy, with DEBUG
off and a dummy cache, so every request is computed; static files are named without the
manifest (`collectstatic` is not needed). One request per address is made first with its
queries captured (`CaptureQueriesContext`): their number, and the slowest; then up to
`--requests` are timed, fewer where an address has taken `--max-seconds` already (one that
takes longer than that once is timed by that first request alone). It reports,
per address, the status, the queries, and the median and 95th percentile server time in
milliseconds. `--explain` prints PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS)` of each address's
slowest query. `--skip search --skip "desk: search"` leaves out the addresses whose name starts
so.

`--page-cache` turns the server-side page cache on (in the cache the settings name: Redis with
`REDIS_URL`, else local memory): the first request of each address, whose queries are
captured, is then a miss that fills it, and the timed ones are hits. `--only WORD` times only
the addresses whose name holds WORD (`--only article`).

It changes nothing: the run is one transaction, rolled back at its end, the superuser and its
sessions with it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import statistics
import sys
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project first: run as `python bench/pages.py`, this folder (whose copycheck.py is a
# bench) would otherwise stand before the project's packages.
sys.path.insert(0, str(ROOT))

NO_MATCH = "xylophonequartz"  # a word no story holds: the search that finds nothing
# Words too common or too small to make a reader's search.
STOP = set(
    """
    a an and are as at be by for from has have in into is it its of on or over says said the to up
    was were will with after before new more than not
    """.split()  # noqa: SIM905
)
SETTINGS = {
    "DEBUG": False,
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


@dataclass
class Timing:
    """One address's figures."""

    name: str
    path: str
    status: int = 0
    queries: int = 0
    requests: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    min_ms: float = 0.0
    max_ms: float = 0.0
    bytes: int = 0
    slowest_query_ms: float = 0.0
    slowest_query: str = ""
    plan: str = ""
    samples_ms: list[float] = field(default_factory=list, repr=False)


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value at least `share` of them do not pass."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def common_words(limit: int = 200) -> list[str]:
    """The commonest words of the latest public headlines, commonest first: what readers search."""
    from articles.models import Article
    from articles.vocabulary import Channel

    headlines = Article.objects.for_channel(Channel.SEARCH).values_list("headline", flat=True)
    counts = Counter(
        word
        for headline in headlines[:limit]
        for word in headline.lower().replace(",", " ").split()
        if word.isalpha() and len(word) > 3 and word not in STOP
    )
    return [word for word, _ in counts.most_common()] or ["news", "report"]


def addresses() -> list[tuple[str, str]]:
    """(name, path) of every address the bench times, picked from the data."""
    from django.db.models import Count
    from django.urls import reverse

    from articles.models import Article, Person, Section, Source
    from articles.pages.views import PAGE_SIZE
    from articles.presentation import item_uri
    from articles.vocabulary import Channel

    public = Article.objects.for_channel(Channel.PAGE)
    latest = public.order_by("-published_at", "-id").first()
    oldest = public.order_by("published_at", "id").first()
    if latest is None:
        raise SystemExit("No story is public: the archive has nothing for the pages to show.")
    section = Section.objects.annotate(n=Count("articles")).order_by("-n", "id").first()
    source = Source.objects.annotate(n=Count("articles")).order_by("-n", "id").first()
    person = Person.objects.annotate(n=Count("bylines")).order_by("-n", "id").first()
    served = Article.objects.for_channel(Channel.API).order_by("-published_at", "-id").first()
    words = common_words()
    two = " ".join(words[:2]) if len(words) > 1 else f"{words[0]} {words[0]}"
    day = latest.published_at.date()
    # An older page of the biggest section: the fifth, where it has five.
    listed = Article.objects.for_channel(Channel.LIST).filter(section=section).count()
    deep = max(1, min(5, math.ceil(listed / PAGE_SIZE)))
    found = [
        ("front page", "/"),
        ("article, latest", latest.get_absolute_url()),
        ("article, oldest", oldest.get_absolute_url()),
        ("section, biggest", section.get_absolute_url() if section else "/"),
        (
            f"section, page {deep}",
            (section.get_absolute_url() if section else "/") + f"?page={deep}",
        ),
        ("source, biggest", source.get_absolute_url()),
        ("person, most bylines", person.get_absolute_url() if person else "/"),
        ("archive day", reverse("articles:archive-day", args=[day.year, day.month, day.day])),
        ("search, common word", f"/search/?q={words[0]}"),
        ("search, two words", f"/search/?q={two.replace(' ', '+')}"),
        ("search, no match", f"/search/?q={NO_MATCH}"),
        ("RSS", reverse("syndication:rss")),
        ("Atom", reverse("syndication:atom")),
        ("sitemap index", reverse("syndication:sitemap")),
        ("sitemap, articles", reverse("syndication:sitemap-section", args=["articles"])),
        ("news sitemap", reverse("syndication:sitemap-news")),
        ("API list", reverse("syndication:api-items")),
    ]
    if served is not None:
        found.append(
            ("API item", reverse("syndication:api-item", kwargs={"uri": item_uri(served)}))
        )
    found += [
        ("desk: article list", "/admin/articles/article/"),
        ("desk: publishable now", "/admin/articles/article/?availability=publishable"),
        ("desk: search", f"/admin/articles/article/?q={words[0]}"),
    ]
    return found


def signed_in_client():
    """A test client signed in as a superuser made for the run, its second factor passed."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from security.second_factor import DEVICE_NAME

    user = User.objects.create_superuser(f"bench-pages-{uuid.uuid4().hex[:8]}", password=None)
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def time_address(
    client, name: str, path: str, *, requests: int, max_seconds: float, plans: bool
) -> Timing:
    """Capture one request's queries, then time up to `requests` more within `max_seconds`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timing = Timing(name=name, path=path)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    first = time.perf_counter() - started
    timing.status = response.status_code
    timing.bytes = len(response.content)
    timing.queries = len(captured.captured_queries)
    if captured.captured_queries:
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        timing.slowest_query_ms = round(float(slowest["time"]) * 1000, 1)
        timing.slowest_query = slowest["sql"]
        if plans and connection.vendor == "postgresql":
            timing.plan = explain(slowest["sql"])
    spent = 0.0
    if first >= max_seconds:
        # An address slower than the budget is timed once, by the request that captured its
        # queries (recording them costs microseconds a query): a second would only repeat it.
        timing.samples_ms.append(first * 1000)
        timing.requests = 1
        spent = first
    while timing.requests < requests and spent < max_seconds:
        started = time.perf_counter()
        client.get(path, secure=True)
        took = time.perf_counter() - started
        spent += took
        timing.samples_ms.append(took * 1000)
        timing.requests += 1
    samples = timing.samples_ms
    timing.median_ms = round(statistics.median(samples), 1)
    timing.p95_ms = round(percentile(samples, 0.95), 1)
    timing.min_ms = round(min(samples), 1)
    timing.max_ms = round(max(samples), 1)
    return timing


def run(
    *,
    requests: int = 50,
    max_seconds: float = 30.0,
    plans: bool = False,
    progress=None,
    page_cache: bool = False,
    only: str = "",
    skip: Sequence[str] = (),
) -> dict:
    """Time every address; return the figures. Everything it writes is rolled back."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import override_settings

    from articles.models import Article

    # Whitenoise warns of the static root `collectstatic` would fill; the pages need none.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    allowed = ["testserver"]
    chosen = {**SETTINGS, "PAGE_CACHE": page_cache}
    if page_cache:
        del chosen["CACHES"]  # the configured cache, emptied first
    with override_settings(ALLOWED_HOSTS=allowed, **chosen), transaction.atomic():
        if page_cache:
            from django.core.cache import cache

            cache.clear()
        found = [(name, path) for name, path in addresses() if only in name]
        reader, desk = Client(), signed_in_client()
        timings = []
        for name, path in found:
            if any(name.startswith(prefix) for prefix in skip):
                continue
            client = desk if path.startswith("/admin/") else reader
            timing = time_address(
                client, name, path, requests=requests, max_seconds=max_seconds, plans=plans
            )
            timings.append(timing)
            if progress:
                progress(timing)
        result = {
            "database": connection.vendor,
            "articles": Article.objects.count(),
            "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "requests": requests,
            "max_seconds": max_seconds,
            "page_cache": page_cache,
            "pages": [asdict(t) for t in timings],
        }
        transaction.set_rollback(True)
    return result


def line(timing: Timing | dict) -> str:
    t = timing if isinstance(timing, dict) else asdict(timing)
    return (
        f"{t['name']:26} {t['status']:>4} {t['queries']:>4} {t['requests']:>4} "
        f"{t['median_ms']:>9,.1f} {t['p95_ms']:>9,.1f} {t['slowest_query_ms']:>9,.1f}  {t['path']}"
    )


HEADER = f"{'address':26} {'code':>4} {'qs':>4} {'n':>4} {'median ms':>9} {'p95 ms':>9} " + (
    f"{'slowest q':>9}  path"
)


def configure(database_url: str) -> None:
    """Set Django up on `database_url` as production runs it: DEBUG off, a key of the run's own.

    Where Django is set up already (the test suite), its database is the one timed.
    """
    from django.apps import apps

    if apps.ready:
        return
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-pages-" + uuid.uuid4().hex)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per address")
    parser.add_argument(
        "--max-seconds", type=float, default=30.0, help="stop timing an address after this"
    )
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--explain", action="store_true", help="print each address's slowest query's plan"
    )
    parser.add_argument(
        "--page-cache", action="store_true", help="time with the server-side page cache on"
    )
    parser.add_argument("--only", default="", help="time only addresses whose name holds this")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="NAME",
        help="leave out the addresses whose name starts with NAME (repeatable), e.g. 'search'",
    )
    args = parser.parse_args(argv)
    configure(args.database_url)

    print(HEADER)

    def show(timing: Timing) -> None:
        print(line(timing), flush=True)
        if args.explain and timing.plan:
            print(f"    slowest query ({timing.slowest_query_ms} ms): {timing.slowest_query}")
            print("\n".join(f"    {row}" for row in timing.plan.splitlines()), flush=True)

    result = run(
        requests=args.requests,
        max_seconds=args.max_seconds,
        plans=args.explain,
        progress=show,
        page_cache=args.page_cache,
        only=args.only,
        skip=args.skip,
    )
    print(f"{result['articles']:,} articles, {result['database']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json}")
    bad = [p["name"] for p in result["pages"] if p["status"] != 200]
    if bad:
        print(f"not 200: {', '.join(bad)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
