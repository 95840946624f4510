"""Signing in as a browser does: the login form, then the code, from a given address."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

PASSWORD = "a long and right password"
WRONG = "not the password"


@pytest.fixture
def sign_in(client):
    """Post the admin's login form as `username`, from `address`; return the response."""

    def post(username: str, password: str = PASSWORD, *, address: str = "192.0.2.10", to=None):
        return client.post(
            reverse("admin:login"),
            {"username": username, "password": password, "next": to or reverse("admin:index")},
            REMOTE_ADDR=address,
        )

    return post


@pytest.fixture
def clock():
    """A stopped clock, moved on by hand: `clock.shift(timedelta)`."""
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as traveller:
        yield traveller


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def words(response) -> str:
    """The page's text with its whitespace run together, as a reader sees it."""
    return " ".join(response.content.decode().split())
