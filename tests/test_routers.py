"""Which database each read goes to when a replica is configured: the router's rules, the
middleware's choice per request, and the settings that make the replica's alias.

The real streaming replica, with replay paused and the replica stopped, is in
tests/faults/test_replica.py.
"""

from __future__ import annotations

import logging
import subprocess
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.models import Session
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, OperationalError, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import ResolverMatch, resolve

from articles import generation
from articles.generation import RightsGeneration
from articles.models import Article
from newsroom import routers
from newsroom.routers import PIN_COOKIE, REPLICA, Reads, ReplicaReads, ReplicaRouter
from tests.faults.services import settings_under

router = ReplicaRouter()


@pytest.fixture
def marked():
    """A request that the middleware let read the replica."""
    reads = Reads(replica=True)
    token = routers._reads.set(reads)
    yield reads
    routers._reads.reset(token)


@pytest.fixture
def health(monkeypatch, settings):
    """A fresh record of the replica's health, as in a process just started."""
    settings.DATABASE_REPLICA_RETRY_AFTER = 10
    fresh = routers.ReplicaHealth()
    monkeypatch.setattr(routers, "health", fresh)
    return fresh


@pytest.fixture
def generations(monkeypatch):
    """Each database's generation as the test sets it; an exception stands for one down."""
    values: dict[str, int | Exception] = {DEFAULT_DB_ALIAS: 3, REPLICA: 3}
    asked: list[str] = []

    def current(using: str = DEFAULT_DB_ALIAS) -> int:
        asked.append(using)
        value = values[using]
        if isinstance(value, Exception):
            raise value
        return value

    monkeypatch.setattr(routers.generation, "current", current)
    values["asked"] = asked
    return values


def public_request(path: str = "/", method: str = "get", **extra):
    request = getattr(RequestFactory(), method)(path, **extra)
    request.resolver_match = resolve(path.split("?")[0])
    request.user = AnonymousUser()
    return request


# --- the router ----------------------------------------------------------------------------------


def test_reads_go_to_the_primary_unless_the_request_was_marked():
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS


def test_a_marked_requests_reads_go_to_the_replica(marked):
    assert router.db_for_read(Article) == REPLICA
    assert router.db_for_read(Session) == REPLICA


def test_the_rights_generation_is_read_on_the_primary_even_in_a_marked_request(marked):
    assert RightsGeneration.read_from_primary is True
    assert router.db_for_read(RightsGeneration) == DEFAULT_DB_ALIAS


def test_every_write_goes_to_the_primary_and_every_read_after_it_too(marked):
    assert router.db_for_read(Article) == REPLICA
    assert router.db_for_write(Article) == DEFAULT_DB_ALIAS
    assert marked.wrote
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reads_inside_a_transaction_go_to_the_primary(marked):
    with transaction.atomic():
        assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Article) == REPLICA


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles")
    assert not router.allow_migrate(REPLICA, "articles")


def test_objects_from_the_primary_and_the_replica_may_be_related():
    def on(alias: str):
        return SimpleNamespace(_state=SimpleNamespace(db=alias))

    assert router.allow_relation(on(REPLICA), on(DEFAULT_DB_ALIAS)) is True
    assert router.allow_relation(on(REPLICA), on("elsewhere")) is None


# --- which requests may read the replica ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/news/a-story/", "/feeds/rss/", "/api/items/", "/search/"])
def test_an_anonymous_get_or_head_of_a_public_page_may_read_the_replica(path):
    assert routers.public_read(public_request(path))
    assert routers.public_read(public_request(path, method="head"))


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/articles/article/1/change/", "/admin/sign-in/code/", "/preview/abc/"],
)
def test_the_desk_its_sign_in_and_previews_read_the_primary(path):
    assert not routers.public_read(public_request(path))


@pytest.mark.parametrize("method", ["post", "put", "delete", "options"])
def test_any_other_method_reads_the_primary(method):
    assert not routers.public_read(public_request("/", method=method))


def test_a_request_with_the_session_cookie_or_the_pin_cookie_reads_the_primary(settings):
    with_session = public_request("/")
    with_session.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    pinned = public_request("/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    assert not routers.public_read(with_session)
    assert not routers.public_read(pinned)


def test_a_signed_in_request_reads_the_primary():
    request = public_request("/")
    request.user = User(username="editor")
    assert not routers.public_read(request)


def test_an_address_that_matched_no_page_reads_the_primary():
    request = RequestFactory().get("/nowhere/")
    request.resolver_match = None
    assert not routers.public_read(request)


# --- the replica's generation and health ---------------------------------------------------------


@pytest.mark.parametrize(("replica", "used"), [(2, False), (3, True), (4, True)])
def test_the_replica_is_used_only_when_its_generation_has_caught_up(
    generations, health, replica, used
):
    generations[REPLICA] = replica
    assert routers.replica_caught_up(3) is used


def test_a_replica_that_fails_is_logged_once_left_alone_and_logged_when_it_answers_again(
    generations, health, monkeypatch, caplog
):
    clock = [1000.0]
    monkeypatch.setattr(routers.time, "monotonic", lambda: clock[0])
    generations[REPLICA] = OperationalError("connection refused")
    with caplog.at_level(logging.WARNING, logger="newsroom.database"):
        assert routers.replica_caught_up(3) is False
        assert routers.replica_caught_up(3) is False  # not asked: within the 10 s
        clock[0] += 11
        assert routers.replica_caught_up(3) is False  # asked, and down still
        assert generations["asked"].count(REPLICA) == 2
        generations[REPLICA] = 3
        assert routers.replica_caught_up(3) is False
        clock[0] += 11
        assert routers.replica_caught_up(3) is True
        assert routers.replica_caught_up(3) is True
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2, messages
    assert messages[0].startswith("Replica unavailable, reading the primary; asking it again")
    assert "OperationalError: connection refused" in messages[0]
    assert messages[1] == "Replica answers again, after 22 s and 2 failed attempts."


# --- the middleware ------------------------------------------------------------------------------


@pytest.fixture
def serving(monkeypatch, generations, health):
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    return generations


def serve(request, view):
    """Run `request` through the middleware around `view`, as Django's handler would."""
    found = request.resolver_match
    request.resolver_match = ResolverMatch(
        view,
        (),
        {},
        url_name=found.url_name,
        app_names=found.app_names,
        namespaces=found.namespaces,
    )
    middleware = ReplicaReads(lambda request: view_through(middleware, request, view))
    return middleware(request)


def view_through(middleware, request, view):
    match = request.resolver_match
    response = middleware.process_view(request, view, match.args, match.kwargs)
    if response is not None:
        return response
    try:
        return view(request)
    except Exception as error:
        response = middleware.process_exception(request, error)
        if response is None:
            raise
        return response


def reads_of(seen: list[str]):
    def view(request):
        seen.append(router.db_for_read(Article))
        return HttpResponse("ok")

    return view


def test_the_middleware_is_left_out_without_a_replica_or_outside_a_serving_process(settings):
    settings.SERVING = False
    with pytest.raises(MiddlewareNotUsed):
        ReplicaReads(lambda request: HttpResponse())


def test_a_public_read_goes_to_a_replica_that_caught_up_and_carries_the_generation(serving):
    seen: list[str] = []
    request = public_request("/")
    response = serve(request, reads_of(seen))
    assert seen == [REPLICA]
    assert request.rights_generation == 3
    assert generation.of_request(request) == 3
    assert serving["asked"] == [DEFAULT_DB_ALIAS, REPLICA]  # two reads, the primary's first
    assert PIN_COOKIE not in response.cookies
    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS  # the mark ends with the request


def test_a_public_read_goes_to_the_primary_while_the_replica_is_behind(serving):
    serving[REPLICA] = 2
    seen: list[str] = []
    serve(public_request("/"), reads_of(seen))
    assert seen == [DEFAULT_DB_ALIAS]


def test_a_public_read_goes_to_the_primary_while_the_replica_is_down(serving):
    serving[REPLICA] = OperationalError("connection refused")
    seen: list[str] = []
    response = serve(public_request("/"), reads_of(seen))
    assert (seen, response.status_code) == ([DEFAULT_DB_ALIAS], 200)


def test_the_primary_down_answers_503_before_the_view(serving):
    serving[DEFAULT_DB_ALIAS] = OperationalError("connection refused")
    seen: list[str] = []
    response = serve(public_request("/"), reads_of(seen))
    assert (seen, response.status_code, response["Retry-After"]) == ([], 503, "5")


def test_a_request_that_wrote_pins_its_client_to_the_primary_for_a_while(serving, settings):
    def writing_view(request):
        router.db_for_write(Article)
        return HttpResponse("ok")

    response = serve(public_request("/"), writing_view)
    cookie = response.cookies[PIN_COOKIE]
    assert cookie["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"

    posted = serve(public_request("/newsletter/unsubscribe/x/", method="post"), reads_of([]))
    assert PIN_COOKIE in posted.cookies


def test_a_desk_request_reads_no_generation_and_the_primary(serving):
    seen: list[str] = []
    request = public_request("/admin/")
    serve(request, reads_of(seen))
    assert seen == [DEFAULT_DB_ALIAS]
    assert serving["asked"] == []
    assert not hasattr(request, "rights_generation")


class QueryCanceled(Exception):
    """What psycopg raises for a statement its timeout cancelled."""

    sqlstate = "57014"


def replica_failed(monkeypatch) -> None:
    """The replica's connection had an error in this request; the primary's did not."""
    monkeypatch.setattr(
        routers,
        "connections",
        {
            REPLICA: SimpleNamespace(errors_occurred=True),
            DEFAULT_DB_ALIAS: SimpleNamespace(in_atomic_block=False),
        },
    )


def test_a_replica_lost_during_the_view_is_read_again_from_the_primary(serving, monkeypatch):
    replica_failed(monkeypatch)
    seen: list[str] = []

    def view(request):
        where = router.db_for_read(Article)
        seen.append(where)
        if where == REPLICA:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("from the primary")

    response = serve(public_request("/"), view)
    assert (response.status_code, response.content) == (200, b"from the primary")
    assert seen == [REPLICA, DEFAULT_DB_ALIAS]


def test_a_statement_the_replica_cancelled_for_its_timeout_is_not_run_again(serving, monkeypatch):
    replica_failed(monkeypatch)
    cancelled = OperationalError("canceling statement due to statement timeout")
    cancelled.__cause__ = QueryCanceled()
    calls = []

    def view(request):
        calls.append(router.db_for_read(Article))
        raise cancelled

    with pytest.raises(OperationalError):
        serve(public_request("/"), view)
    assert calls == [REPLICA]


def test_without_the_middleware_the_generation_is_read_once_per_request(db):
    request = RequestFactory().get("/")
    first = generation.of_request(request)
    RightsGeneration.objects.filter(pk=1).update(value=first + 5)
    assert generation.of_request(request) == first  # read once, kept on the request


# --- settings ------------------------------------------------------------------------------------

PRIMARY = "postgres://postgres@127.0.0.1:5432/newsroom"
REPLICA_URL = "postgres://reader@replica.internal:5432/newsroom"


def test_the_replica_gets_the_primarys_timeouts_in_a_serving_process():
    found = settings_under(
        {
            "DATABASE_URL": PRIMARY,
            "DATABASE_REPLICA_URL": REPLICA_URL,
            "NEWSROOM_SERVING": "true",
            "DATABASE_STATEMENT_TIMEOUT_MS": "1500",
            "DATABASE_CONNECT_TIMEOUT": "2",
        },
        "DATABASES",
        "DATABASE_ROUTERS",
    )
    replica = found["DATABASES"]["replica"]
    assert (replica["HOST"], replica["USER"]) == ("replica.internal", "reader")
    assert replica["OPTIONS"] == {"connect_timeout": 2, "options": "-c statement_timeout=1500"}
    assert replica["OPTIONS"] == found["DATABASES"]["default"]["OPTIONS"]
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["TEST"]["MIRROR"] == "default"
    assert found["DATABASE_ROUTERS"] == ["newsroom.routers.ReplicaRouter"]


def test_commands_get_the_replica_without_a_statement_timeout_and_no_replica_without_the_url():
    command = settings_under(
        {"DATABASE_URL": PRIMARY, "DATABASE_REPLICA_URL": REPLICA_URL}, "DATABASES"
    )
    assert command["DATABASES"]["replica"]["OPTIONS"] == {"connect_timeout": 3}
    alone = settings_under({"DATABASE_URL": PRIMARY}, "DATABASES", "DATABASE_ROUTERS")
    assert list(alone["DATABASES"]) == ["default"]
    assert alone["DATABASE_ROUTERS"] == []


def test_a_replica_beside_sqlite_is_refused_with_the_reason():
    with pytest.raises(subprocess.CalledProcessError) as refused:
        settings_under({"DATABASE_URL": "sqlite:///x.db", "DATABASE_REPLICA_URL": REPLICA_URL})
    assert "both it and DATABASE_URL must be postgres:// URLs" in refused.value.stderr
