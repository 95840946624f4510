"""The desk's middleware (`newsroom.lanes`): an anonymous reader's GET or HEAD of a public page
goes around it; the desk, every form's POST, a signed-in editor and a partner with credentials
pass through all of it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.core import checks
from django.test import Client, RequestFactory
from django.urls import reverse

from newsroom import lanes

pytestmark = pytest.mark.django_db

DESK_ATTRIBUTES = ("session", "user", "_messages")


def test_an_anonymous_readers_page_goes_around_the_desks_middleware(make_article, client):
    story = make_article(headline="Harbour reopens")
    for path in (story.get_absolute_url(), reverse("articles:front"), reverse("syndication:rss")):
        response = client.get(path)
        assert response.status_code == 200, path
        for name in DESK_ATTRIBUTES:
            assert not hasattr(response.wsgi_request, name), (path, name)
        assert not response.cookies
        # What every page carries still comes from the middleware outside the desk's.
        assert response["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response
        assert response.wsgi_request.reader is not None


def test_a_head_goes_around_it_too(make_article, client):
    story = make_article()
    response = client.head(story.get_absolute_url())
    assert response.status_code == 200
    assert not hasattr(response.wsgi_request, "session")


def test_a_signed_in_editor_reading_the_site_passes_through_all_of_it(make_article, client):
    editor = get_user_model().objects.create_superuser("ed", "ed@example.com", "pw")
    story = make_article()
    client.force_login(editor)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert response.wsgi_request.user == editor
    assert hasattr(response.wsgi_request, "_messages")


def test_a_post_to_a_public_page_meets_csrf(make_article):
    story = make_article()
    response = Client(enforce_csrf_checks=True).post(story.get_absolute_url())
    assert response.status_code == 403  # CSRF refused it before the view's 405
    assert hasattr(response.wsgi_request, "session")


def test_the_desk_and_other_addresses_pass_through_all_of_it(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "user")
    assert "csrftoken" in response.cookies
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert hasattr(missing.wsgi_request, "session")


def test_a_request_with_credentials_passes_through_all_of_it(make_article, client):
    make_article()
    response = client.get(reverse("syndication:api-items"), HTTP_AUTHORIZATION="Bearer x")
    assert hasattr(response.wsgi_request, "user")


def test_the_lane_is_decided_once_a_request():
    request = RequestFactory().get(reverse("articles:front"))
    assert lanes.reads_public_page(request) is True
    request.method = "POST"  # the decision stands for the request's whole way down
    assert lanes.reads_public_page(request) is True
    assert lanes.reads_public_page(RequestFactory().post(reverse("articles:front"))) is False


def test_each_wrapped_middleware_is_its_own_kind_and_the_checks_find_them():
    for wrapped, own in [
        (lanes.SessionMiddleware, SessionMiddleware),
        (lanes.AuthenticationMiddleware, AuthenticationMiddleware),
        (lanes.MessageMiddleware, MessageMiddleware),
    ]:
        assert issubclass(wrapped, own)
    found = {message.id for message in checks.run_checks()}
    assert not found & {"admin.E408", "admin.E409", "admin.E410", "axes.W002"}
    deploy = {message.id for message in checks.run_checks(include_deployment_checks=True)}
    assert "security.W003" not in deploy  # CSRF's middleware is found by its name
