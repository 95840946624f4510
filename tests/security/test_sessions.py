"""A desk session ends after SESSION_IDLE_MINUTES without a request (30) and SESSION_MAX_HOURS
after signing in (12), whichever comes first; typing keeps it alive; readers are never touched."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from security.sessions import SEEN_AT, SIGNED_IN_AT
from tests.factories import member
from tests.security.conftest import PASSWORD, minutes, words

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor(sign_in):
    member("Editor", username="erin", password=PASSWORD)
    return sign_in


def test_the_shipped_limits_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert (settings.SESSION_IDLE_MINUTES, settings.SESSION_MAX_HOURS) == (30, 12)
    assert settings.SESSION_COOKIE_AGE == 12 * 3600  # the cookie does not outlive it either


def test_a_session_lasts_while_it_is_used(editor, client, clock):
    clock.shift(minutes(1))
    editor("erin")
    for _ in range(3):
        clock.shift(minutes(29))
        assert client.get(ARTICLES).status_code == 200


def test_thirty_minutes_without_a_request_signs_out(editor, client, clock):
    editor("erin")
    clock.shift(minutes(30) + datetime.timedelta(seconds=1))

    response = client.get(ARTICLES)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    login = client.get(response["Location"])
    assert "You were signed out after 30 minutes without activity." in words(login)


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(editor, client, clock):
    editor("erin")
    for _ in range(12 * 3 - 1):
        clock.shift(minutes(20))
        assert client.get(ARTICLES).status_code == 200  # 11 hours 40 minutes in
    clock.shift(minutes(21))

    response = client.get(ARTICLES)

    assert response["Location"].startswith(reverse("admin:login"))
    assert "You were signed out 12 hours after signing in." in words(
        client.get(response["Location"])
    )


def test_a_session_from_before_the_limits_is_signed_out_once(editor, client):
    editor("erin")
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()

    response = client.get(ARTICLES)

    assert response["Location"].startswith(reverse("admin:login"))
    assert "desk sessions now have a time limit" in words(client.get(response["Location"]))


def test_the_limits_are_settings(editor, client, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    editor("erin")
    clock.shift(minutes(4))
    assert client.get(ARTICLES).status_code == 200
    clock.shift(minutes(5) + datetime.timedelta(seconds=1))

    assert client.get(ARTICLES).status_code == 302


def test_the_idle_clock_is_written_at_most_once_a_minute(editor, client, clock):
    editor("erin")
    seen = client.session[SEEN_AT]
    clock.shift(datetime.timedelta(seconds=59))
    client.get(ARTICLES)
    assert client.session[SEEN_AT] == seen
    clock.shift(datetime.timedelta(seconds=1))
    client.get(ARTICLES)
    assert client.session[SEEN_AT] == seen + 60


def test_the_ping_while_typing_keeps_the_session_and_says_when_it_ended(editor, client, clock):
    editor("erin")
    for _ in range(3):
        clock.shift(minutes(25))
        assert client.get(reverse("security:alive")).status_code == 204
    clock.shift(minutes(31))

    assert client.get(reverse("security:alive")).status_code == 401


def test_a_readers_page_leaves_the_session_alone(editor, client):
    editor("erin")

    response = client.get("/")

    assert "Cookie" not in response.headers.get("Vary", "")


def test_every_desk_page_carries_the_ping_as_a_file_not_inline(editor, client):
    editor("erin")

    page = client.get(ARTICLES).content.decode()

    assert f'data-alive="{reverse("security:alive")}"' in page
    assert 'src="/static/admin-newsroom/keepalive.js"' in page
