"""Never stale under load: gunicorn with two workers sharing the page cache through Redis serves
a story to client threads asking for it without pause; a kill commits, and no answer to a
request begun after the commit shows the story, while the cache was serving hits before."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

import pytest
from django.conf import settings

from tests.factories import need_service
from tests.faults.services import Served, gunicorn, site_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLIENTS = 4
WARM_HITS = 50  # hits served before the kill
WARM_UP_MOST = 30.0  # seconds given to serve them
AFTER = 2.0  # seconds of load after the kill
MOST_REQUESTS = 20_000


@dataclass
class Answer:
    began: float
    status: int | None
    shows_story: bool
    cache: str | None


def test_no_answer_begun_after_a_kill_shows_the_story(make_article, boss, tmp_path):
    database = settings.DATABASES["default"]
    need_service(
        database["ENGINE"] == "django.db.backends.postgresql",
        "needs PostgreSQL: set DATABASE_URL",
        service="postgresql",
    )
    need_service(bool(os.environ.get("REDIS_URL")), "needs Redis: set REDIS_URL", service="redis")
    story = make_article(headline="Harbour reopens under load")
    url = story.get_absolute_url()
    env = site_env(
        f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        tmp_path,
        REDIS_URL=os.environ["REDIS_URL"],
        CACHE_KEY_PREFIX=f"load-{uuid.uuid4().hex}",
        PAGE_CACHE="on",
    )
    env["DEBUG"] = "true"  # the static files as they are, without collectstatic's manifest
    answers: list[Answer] = []
    stop = threading.Event()

    def ask(served: Served) -> None:
        while not stop.is_set() and len(answers) < MOST_REQUESTS:
            began = time.monotonic()
            try:
                status, headers, body = served.get(url, timeout=5)
            except OSError:
                answers.append(Answer(began, None, False, None))
                continue
            answers.append(
                Answer(began, status, b"Harbour reopens" in body, headers.get("X-Page-Cache"))
            )

    with gunicorn(env, tmp_path, workers=2, threads=2) as served:
        clients = [threading.Thread(target=ask, args=(served,)) for _ in range(CLIENTS)]
        for client in clients:
            client.start()
        try:
            # Load until the cache has served hits (a loaded machine starts slowly), then kill.
            deadline = time.monotonic() + WARM_UP_MOST
            while time.monotonic() < deadline and (
                sum(a.cache == "hit" for a in list(answers)) < WARM_HITS
            ):
                time.sleep(0.1)
            story.kill(by=boss, reason="Legal")
            committed = time.monotonic()
            time.sleep(AFTER)
        finally:
            stop.set()
            for client in clients:
                client.join(timeout=10)

    before = [a for a in answers if a.began < committed]
    after = [a for a in answers if a.began > committed]
    hits = [a for a in before if a.cache == "hit"]
    stale = [a for a in after if a.shows_story]
    assert [a for a in answers if a.status is None] == []
    seen = Counter((a.status, a.cache) for a in answers)
    assert hits, f"the page cache served no hit before the kill: {seen}"
    assert after, "no request began after the kill"
    assert stale == [], f"{len(stale)} of {len(after)} answers after the kill showed the story"
    assert {a.status for a in after} == {410}
    print(
        f"{len(before)} answers before the kill ({len(hits)} hits), {len(after)} after, "
        f"{len(stale)} stale"
    )
