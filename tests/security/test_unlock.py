"""Lifting a lockout in the admin (Security → Failed sign-ins): rights managers and superusers
may; editors and reporters may not. The record of sign-ins is read, never changed."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from security.models import FailedSignIn
from tests.factories import member
from tests.security.conftest import PASSWORD, WRONG, words

pytestmark = pytest.mark.django_db

FAILURES = reverse("admin:security_failedsignin_changelist")


@pytest.fixture
def erin_locked_out(sign_in):
    member("Editor", username="erin", password=PASSWORD)
    for _ in range(5):
        sign_in("erin", WRONG, address="198.51.100.5")
    assert sign_in("erin").status_code == 429


@pytest.fixture
def desk(client):
    """A second browser: the desk of whoever lifts the lockout."""
    from django.test import Client

    return Client()


def test_the_list_shows_the_lockout_and_until_when(erin_locked_out, desk):
    desk.force_login(member("Rights manager"))

    page = words(desk.get(FAILURES))

    assert "erin" in page
    assert "198.51.100.5" in page
    assert "Account locked until" in page


def test_a_rights_manager_lifts_an_accounts_lockout(erin_locked_out, desk, sign_in, caplog):
    desk.force_login(member("Rights manager", username="rosa"))
    selected = list(FailedSignIn.objects.values_list("pk", flat=True))

    with caplog.at_level(logging.WARNING, logger="security"):
        response = desk.post(
            FAILURES, {"action": "lift_accounts", "_selected_action": selected}, follow=True
        )

    assert "Lockout lifted for erin" in words(response)
    assert not FailedSignIn.objects.filter(username="erin").exists()
    assert sign_in("erin", address="198.51.100.5")["Location"] == reverse("admin:index")
    assert any("lifted by rosa for erin" in r.getMessage() for r in caplog.records)


def test_lifting_an_address_frees_every_account_from_it(sign_in, desk):
    for n in range(5):
        sign_in(f"guess{n}", WRONG, address="198.51.100.66")
    member("Editor", username="erin", password=PASSWORD)
    assert sign_in("erin", address="198.51.100.66").status_code == 429
    desk.force_login(get_user_model().objects.create_superuser("sam", password=PASSWORD))
    one = FailedSignIn.objects.filter(ip_address="198.51.100.66").first()

    desk.post(FAILURES, {"action": "lift_addresses", "_selected_action": [one.pk]})

    assert not FailedSignIn.objects.filter(ip_address="198.51.100.66").exists()
    assert sign_in("erin", address="198.51.100.66")["Location"] == reverse("admin:index")


@pytest.mark.parametrize("role", ["Editor", "Reporter"])
def test_editors_and_reporters_may_not_lift_a_lockout(erin_locked_out, desk, role):
    desk.force_login(member(role))
    selected = list(FailedSignIn.objects.values_list("pk", flat=True))

    assert desk.get(FAILURES).status_code == 403
    desk.post(FAILURES, {"action": "lift_accounts", "_selected_action": selected})
    assert FailedSignIn.objects.filter(username="erin").exists()


def test_failures_are_never_added_or_edited_by_hand(erin_locked_out, desk):
    desk.force_login(get_user_model().objects.create_superuser("sam", password=PASSWORD))
    attempt = FailedSignIn.objects.filter(ip_address="198.51.100.5").get()

    assert desk.get(reverse("admin:security_failedsignin_add")).status_code == 403
    detail = desk.get(reverse("admin:security_failedsignin_change", args=[attempt.pk]))
    assert detail.status_code == 200
    assert 'name="username"' not in detail.content.decode()  # read, not edited
    assert "delete_selected" not in desk.get(FAILURES).content.decode()


def test_the_sign_ins_are_listed_for_rights_managers_and_read_only(sign_in, desk):
    member("Editor", username="erin", password=PASSWORD)
    sign_in("erin", address="198.51.100.8")
    desk.force_login(member("Rights manager"))

    page = words(desk.get(reverse("admin:security_signin_changelist")))

    assert "erin" in page and "198.51.100.8" in page
    assert desk.get(reverse("admin:security_signin_add")).status_code == 403


@pytest.mark.parametrize("who", ["Rights manager", "superuser"])
def test_the_desk_index_groups_them_under_security(desk, who):
    user = (
        get_user_model().objects.create_superuser("sam", password=PASSWORD)
        if who == "superuser"
        else member(who)
    )
    desk.force_login(user)

    page = words(desk.get(reverse("admin:index")))

    assert "Security" in page
    assert "Failed sign-ins" in page and "Second factors" in page and "Sign-ins" in page
    assert "TOTP devices" not in page  # django-otp's own admin, which shows keys, is gone
