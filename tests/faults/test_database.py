"""A database that is down or too slow: every public page, feed, sitemap and the API (and the
desk) answer 503 with Retry-After and a plain page, never a 500 or a traceback; each is logged
once, with its cause.

On SQLite the fault is simulated: an execute wrapper raises what Django raises when the server is
gone. On PostgreSQL it is real: a statement timeout cancels a `pg_sleep`.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import override_settings
from django.urls import path, reverse

from articles.models import Byline, Person, Section, Source
from articles.presentation import item_uri
from newsletter.digest import unsubscribe_token
from newsletter.models import Subscriber
from newsroom import urls as site_urls
from tests.factories import member, need_service
from tests.faults.services import settings_under

GONE = "server closed the connection unexpectedly"


@contextmanager
def database_fails(error: Exception):
    """Every query in this thread raises `error`, as the driver's error wrapped by Django would."""
    attempts = []

    def fail(execute, sql, params, many, context):
        attempts.append(sql)
        raise error

    with connection.execute_wrapper(fail):
        yield attempts


def cause(error: Exception, wrapped: Exception) -> Exception:
    error.__cause__ = wrapped  # as Django's wrap_database_errors chains the driver's error
    return error


@pytest.fixture
def public_urls(make_article, make_source) -> list[str]:
    """One of each public page, feed, sitemap and API address, each with something to show."""
    section = Section.objects.create(name="World", slug="world")
    source = make_source("Anadolu Agency", kind=Source.Kind.STAFF)
    person = Person.objects.create(name="Erdogan Cagatay Zontur", slug="zontur")
    article = make_article(headline="Visible story", section=section, source=source)
    Byline.objects.create(article=article, person=person, role=Byline.Role.WRITING)
    day = article.published_at.date()
    subscriber = Subscriber.objects.create(email="reader@example.com")
    return [
        "/",
        article.get_absolute_url(),
        reverse("articles:section", args=[section.slug]),
        reverse("articles:source", args=[source.slug]),
        reverse("articles:person", args=[person.slug]),
        reverse("articles:archive-day", args=[day.year, day.month, day.day]),
        reverse("articles:search") + "?q=visible",
        reverse("articles:rights-policy"),
        reverse("articles:healthz"),
        reverse("syndication:rss"),
        reverse("syndication:atom"),
        reverse("syndication:section-rss", args=[section.slug]),
        reverse("syndication:source-atom", args=[source.slug]),
        reverse("syndication:sitemap"),
        reverse("syndication:sitemap-news"),
        reverse("syndication:sitemap-section", args=["articles"]),
        reverse("syndication:api-items"),
        reverse("syndication:api-item", kwargs={"uri": item_uri(article)}),
        reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber.pk)]),
    ]


def is_api(url: str) -> bool:
    return url.startswith("/api/")


def assert_unavailable(response, *, url: str, retry_after: str = "5") -> None:
    assert response.status_code == 503, (url, response.status_code)
    assert response.headers["Retry-After"] == retry_after
    assert "no-store" in response.headers["Cache-Control"]
    text = response.content.decode()
    assert "Traceback" not in text and GONE not in text
    if is_api(url):
        assert response.headers["Content-Type"] == "application/json"
        error = json.loads(text)["error"]
        assert error["status"] == 503 and "unavailable" in error["message"]
    else:
        assert "Error 503" in text and "try again" in text


def test_every_public_page_feed_sitemap_and_the_api_answer_503_when_the_database_is_gone(
    client, public_urls
):
    for url in public_urls:
        assert client.get(url).status_code == 200, url

    with database_fails(OperationalError(GONE)) as attempts:
        responses = {url: client.get(url) for url in public_urls}

    for url, response in responses.items():
        assert_unavailable(response, url=url)
    assert len(attempts) >= len(public_urls)  # each asked the database, and the 503 page did not


def test_a_statement_the_server_cancelled_answers_503_and_is_logged_once_with_its_cause(
    client, make_article, caplog
):
    article = make_article()
    timeout = cause(
        OperationalError("canceling statement due to statement timeout"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
    )

    with caplog.at_level(logging.WARNING), database_fails(timeout):
        response = client.get(article.get_absolute_url())

    assert_unavailable(response, url=article.get_absolute_url())
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].name == "newsroom.database" and records[0].levelno == logging.ERROR
    assert records[0].getMessage() == (
        f"Database unavailable, answered 503 to GET {article.get_absolute_url()}: "
        "QueryCanceled: canceling statement due to statement timeout"
    )
    assert records[0].exc_info is None  # one line, not a traceback per request


def test_a_connection_already_closed_answers_503(client, make_article):
    make_article()

    with database_fails(InterfaceError("connection already closed")):
        response = client.get("/")

    assert_unavailable(response, url="/")


@override_settings(DATABASE_RETRY_AFTER=30)
def test_retry_after_is_the_setting(client, make_article):
    make_article()

    with database_fails(OperationalError(GONE)):
        response = client.get(reverse("syndication:api-items"))

    assert_unavailable(response, url="/api/items/", retry_after="30")


def test_the_desk_shows_the_same_plain_page(client, db):
    client.force_login(member("Editor"))

    with database_fails(OperationalError(GONE)):
        responses = [client.get("/admin/"), client.get("/admin/articles/article/")]

    for response in responses:
        assert_unavailable(response, url="/admin/")


def test_pages_that_need_no_database_are_served_while_it_is_gone(client, db):
    with database_fails(OperationalError(GONE)):
        responses = [client.get("/favicon.ico"), client.get(reverse("syndication:api-index"))]

    assert [r.status_code for r in responses] == [200, 200]


def broken_view(request):
    raise ValueError("not a database fault")


urlpatterns = [path("broken/", broken_view), *site_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_any_other_error_is_still_a_500(client, db):
    client.raise_request_exception = False

    assert client.get("/broken/").status_code == 500


def test_a_real_statement_timeout_on_postgresql_answers_503(client, make_article, caplog):
    need_service(connection.vendor == "postgresql", "needs PostgreSQL", service="postgresql")
    article = make_article()

    def sleep_instead(execute, sql, params, many, context):
        return execute("SELECT pg_sleep(2)", (), many, context)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 100")
    with caplog.at_level(logging.ERROR), connection.execute_wrapper(sleep_instead):
        response = client.get(article.get_absolute_url())

    assert_unavailable(response, url=article.get_absolute_url())
    assert "QueryCanceled: canceling statement due to statement timeout" in caplog.text


def test_a_search_cut_by_the_statement_timeout_on_postgresql_answers_503(
    client, make_article, caplog
):
    need_service(connection.vendor == "postgresql", "needs PostgreSQL", service="postgresql")
    make_article(headline="Harbour pilots strike")
    searched = []

    def slow_search(execute, sql, params, many, context):
        # The search's own statement, made to outlast the timeout by a sleep on its one row.
        if "@@" in sql:
            searched.append(sql)
            sql = f"SELECT * FROM ({sql}) AS found WHERE pg_sleep(2) IS NOT NULL"
        return execute(sql, params, many, context)

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 100")
    url = reverse("articles:search") + "?q=pilots"
    with caplog.at_level(logging.ERROR), connection.execute_wrapper(slow_search):
        response = client.get(url)

    assert searched
    assert_unavailable(response, url=url)
    assert "QueryCanceled: canceling statement due to statement timeout" in caplog.text


def test_the_healthz_probe_answers_ok_when_the_database_answers(client, db):
    response = client.get(reverse("articles:healthz"))

    assert response.status_code == 200 and response.content == b"ok"


def test_postgresql_connects_briefly_and_only_served_requests_have_a_statement_timeout():
    url = "postgres://postgres@127.0.0.1:1/newsroom"  # read, never connected to
    served = settings_under(
        {"DATABASE_URL": url, "NEWSROOM_SERVING": "true", "DATABASE_STATEMENT_TIMEOUT_MS": "2500"},
        "DATABASES",
    )["DATABASES"]["default"]
    command = settings_under({"DATABASE_URL": url}, "DATABASES")["DATABASES"]["default"]

    assert served["OPTIONS"] == {"connect_timeout": 3, "options": "-c statement_timeout=2500"}
    assert command["OPTIONS"] == {"connect_timeout": 3}
    for database in (served, command):
        assert database["CONN_HEALTH_CHECKS"] is True and database["CONN_MAX_AGE"] == 60
