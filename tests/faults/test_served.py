"""The site as production runs it, gunicorn on PostgreSQL, through real faults of a private
PostgreSQL: a statement that runs too long, and a restart under load. It answers 200 or 503 with
Retry-After, never a 500, and heals by itself.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass

import psycopg
import pytest

from tests.faults.services import Served, gunicorn

pytestmark = pytest.mark.postgres

# Load from a few client threads; the server has 2 workers of 4 threads.
CLIENTS = 4
BEFORE_RESTART = 3.0  # seconds of load before the restart
AFTER_RESTART = 8.0  # and after it
RECOVERY = 5.0  # seconds within which pages must be served again


@dataclass
class Answer:
    done: float  # time.monotonic() when the answer arrived
    url: str
    status: int | None
    retry_after: str | None = None
    traceback: bool = False
    error: str | None = None


@pytest.fixture(scope="module")
def served(private_site):
    env = {**private_site.env, "DATABASE_STATEMENT_TIMEOUT_MS": "1000"}
    with gunicorn(env, private_site.folder) as server:
        yield server


@pytest.fixture(scope="module")
def urls(served, private_site) -> list[str]:
    """A mix of what readers and partners ask for, each answering 200 before any fault."""
    slugs = private_site.postgres.execute("SELECT slug FROM articles_article", database="newsroom")
    candidates = [
        "/",
        "/section/news/",
        "/search/?q=council",
        "/feeds/rss/",
        "/feeds/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/api/items/",
        "/healthz",
        *(f"/news/{slug}/" for (slug,) in slugs),
    ]
    found = [url for url in candidates if served.get(url)[0] == 200]
    assert len([url for url in found if url.startswith("/news/")]) >= 5, found
    return found


def ask(served: Served, url: str) -> Answer:
    try:
        status, headers, body = served.get(url)
    except OSError as error:
        return Answer(time.monotonic(), url, None, error=repr(error))
    return Answer(time.monotonic(), url, status, headers.get("Retry-After"), b"Traceback" in body)


def logged(served: Served, text: str) -> int:
    return served.log.read_text().count(text)


def test_a_statement_that_runs_too_long_is_cancelled_and_answers_503(served, urls, private_site):
    # An address no request has asked for yet: the page cache holds none of it, so the page is
    # made, and its query is the one that waits.
    article = next(url for url in urls if url.startswith("/news/")) + "?held=1"
    before = logged(served, "QueryCanceled")

    # A long transaction holds the table (as a migration might): the page's query waits on it
    # until DATABASE_STATEMENT_TIMEOUT_MS (1 s here) cancels it.
    with psycopg.connect(private_site.postgres.url("newsroom")) as holder:
        holder.execute("LOCK TABLE articles_article IN ACCESS EXCLUSIVE MODE")
        held = ask(served, article)
    after = ask(served, article)

    assert (held.status, held.retry_after, held.traceback) == (503, "5", False)
    assert logged(served, "QueryCanceled: canceling statement due to statement timeout") == (
        before + 1
    )
    assert after.status == 200


def test_a_restart_of_postgresql_under_load_answers_200_or_503_and_heals_by_itself(
    served, urls, private_site
):
    answers: list[Answer] = []
    stop = threading.Event()

    def client(offset: int) -> None:
        n = offset
        while not stop.is_set():
            answers.append(ask(served, urls[n % len(urls)]))
            n += 1

    clients = [threading.Thread(target=client, args=(n * 3,)) for n in range(CLIENTS)]
    logged_before = logged(served, "Database unavailable, answered 503")
    for thread in clients:
        thread.start()
    try:
        time.sleep(BEFORE_RESTART)
        restart_began = time.monotonic()
        private_site.postgres.restart()
        restarted = time.monotonic()
        time.sleep(AFTER_RESTART)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=30)

    statuses = Counter(answer.status for answer in answers)
    unavailable = [answer for answer in answers if answer.status == 503]
    healed = min(a.done for a in answers if a.done > restarted and a.status == 200) - restarted
    window = [a.done - restart_began for a in unavailable] or [0.0]
    print(
        f"\n{len(answers)} answers {dict(statuses)}; the restart took "
        f"{restarted - restart_began:.2f} s, 503s came from {min(window):.2f} to "
        f"{max(window):.2f} s after it began, the first 200 {healed:.2f} s after it ended"
    )
    assert [a.error for a in answers if a.error] == []
    assert set(statuses) <= {200, 503}, statuses
    assert all(a.retry_after == "5" for a in unavailable)
    assert not any(a.traceback for a in answers)
    # Each 503 was logged once, with its cause, and nothing else went wrong on the server.
    assert logged(served, "Database unavailable, answered 503") - logged_before == len(unavailable)
    assert "Internal Server Error" not in served.log.read_text()
    # No one restarted anything but PostgreSQL: the site serves again on its own, and stays up.
    assert healed < RECOVERY
    settled = [a for a in answers if a.done > restarted + RECOVERY]
    assert settled and all(a.status == 200 for a in settled)
