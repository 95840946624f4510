"""Repeated sign-in failures lock the account and the address out for a while (django-axes):
the figures, the page a locked-out person reads, what is logged, and where the address is read."""

from __future__ import annotations

import logging
import re
import runpy

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from security.lockout import client_address
from tests.factories import member
from tests.security.conftest import PASSWORD, WRONG, minutes, words

pytestmark = pytest.mark.django_db

LIMIT, COOL_OFF = 5, 15  # the defaults this project ships with


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_the_shipped_figures_are_five_failures_and_fifteen_minutes():
    assert (settings.SIGNIN_FAILURE_LIMIT, settings.SIGNIN_COOLOFF_MINUTES) == (LIMIT, COOL_OFF)
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert minutes(COOL_OFF) == settings.AXES_COOLOFF_TIME


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(sign_in, clock):
    member("Editor", username="erin", password=PASSWORD)

    answers = [sign_in("erin", WRONG).status_code for _ in range(LIMIT)]
    assert answers == [200] * (LIMIT - 1) + [429]  # the fifth failure locks

    clock.shift(minutes(COOL_OFF) - minutes(1 / 60))
    assert sign_in("erin").status_code == 429  # the right password, a second too early
    clock.shift(minutes(COOL_OFF) + minutes(1 / 60))  # that attempt started the wait again
    assert signed_in(sign_in("erin"))


def test_four_wrong_passwords_do_not_lock(sign_in):
    member("Editor", username="erin", password=PASSWORD)
    for _ in range(LIMIT - 1):
        assert sign_in("erin", WRONG).status_code == 200

    assert signed_in(sign_in("erin"))


def test_a_success_does_not_wipe_the_failures_before_it(sign_in, client):
    member("Editor", username="erin", password=PASSWORD)
    for _ in range(LIMIT - 1):
        sign_in("erin", WRONG)
    assert signed_in(sign_in("erin"))
    client.post(reverse("admin:logout"))

    assert sign_in("erin", WRONG).status_code == 429


def test_failures_older_than_the_cool_off_no_longer_count(sign_in, clock):
    member("Editor", username="erin", password=PASSWORD)
    for _ in range(LIMIT - 1):
        sign_in("erin", WRONG)
    clock.shift(minutes(COOL_OFF + 1))

    assert sign_in("erin", WRONG).status_code == 200  # one failure in the window, not five
    assert signed_in(sign_in("erin"))


def test_an_account_is_locked_whichever_addresses_the_failures_come_from(sign_in):
    member("Editor", username="erin", password=PASSWORD)
    for n in range(LIMIT):
        sign_in("erin", WRONG, address=f"198.51.100.{n}")

    assert sign_in("erin", address="203.0.113.7").status_code == 429


def test_an_address_is_locked_whichever_accounts_it_tries(sign_in):
    for n in range(LIMIT):
        sign_in(f"guess{n}", WRONG, address="198.51.100.66")
    member("Editor", username="erin", password=PASSWORD)

    assert sign_in("erin", address="198.51.100.66").status_code == 429
    assert signed_in(sign_in("erin", address="203.0.113.7"))  # the account itself is not locked


def test_the_lockout_page_says_for_how_long_and_whom_to_ask(sign_in):
    member("Editor", username="erin", password=PASSWORD)
    for _ in range(LIMIT):
        response = sign_in("erin", WRONG)

    page = words(response)
    assert response.status_code == 429
    assert response["Retry-After"] == str(COOL_OFF * 60)
    assert "Sign-in is paused after 5 failed attempts" in page
    assert "Try again in <strong>15 minutes</strong>" in page
    assert "rights manager" in page
    assert "Security → Failed sign-ins" in page
    assert settings.SITE_NAME in page  # the admin's own header
    assert "admin/css/login.css" in page
    assert PASSWORD not in page and WRONG not in page


def test_the_login_page_says_what_failures_do(client):
    page = words(client.get(reverse("admin:login")))

    assert "After 5 failed attempts, sign-in pauses for 15 minutes." in page


def test_failures_and_the_lockout_are_logged_with_the_account_and_address(sign_in, caplog):
    member("Editor", username="erin", password=PASSWORD)
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(LIMIT):
            sign_in("erin", WRONG, address="198.51.100.23")

    lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("login failure" in line and '"erin"' in line for line in lines)
    assert any("198.51.100.23" in line for line in lines)
    assert any("Locking out" in line for line in lines)
    assert not any(WRONG in line for line in lines)


@pytest.mark.parametrize(
    ("header", "sent", "read"),
    [
        ("", "203.0.113.9", "192.0.2.1"),  # no proxy named: the connection's address
        ("X-Forwarded-For", "203.0.113.9", "203.0.113.9"),
        ("X-Forwarded-For", "10.1.1.1, 203.0.113.9", "203.0.113.9"),  # the proxy appended it
        ("X-Forwarded-For", "", "192.0.2.1"),  # the proxy sent none: the connection's
        ("X-Real-IP", "203.0.113.9", "203.0.113.9"),
    ],
)
def test_the_address_is_read_where_the_proxy_reports_it(settings, header, sent, read):
    settings.CLIENT_ADDRESS_HEADER = header
    meta = {"REMOTE_ADDR": "192.0.2.1"}
    if header:
        meta["HTTP_" + header.upper().replace("-", "_")] = sent

    assert client_address(RequestFactory().get("/", **meta)) == read


def settings_with(monkeypatch, **environ: str) -> dict:
    monkeypatch.setenv("SECRET_KEY", "test-only-key")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "newsroom" / "settings.py"))


def test_the_limit_and_cool_off_are_read_from_the_environment(monkeypatch):
    found = settings_with(monkeypatch, SIGNIN_FAILURE_LIMIT="8", SIGNIN_COOLOFF_MINUTES="60")

    assert found["AXES_FAILURE_LIMIT"] == 8
    assert found["AXES_COOLOFF_TIME"] == minutes(60)
    assert found["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SIGNIN_FAILURE_LIMIT", "0"),
        ("SIGNIN_FAILURE_LIMIT", "five"),
        ("SIGNIN_COOLOFF_MINUTES", "-5"),
    ],
)
def test_a_bad_limit_or_cool_off_is_refused_naming_it(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=f"{name} must be .*“{re.escape(value)}”"):
        settings_with(monkeypatch, **{name: value})
