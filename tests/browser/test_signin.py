"""Signing in to the desk in a real browser, at a newsroom laptop's size and a phone's: the login
page, setting up an authenticator app from its QR code, the code at the next sign-in, the lockout
page, and the rights manager's pages for lockouts, second factors and sign-ins. Screenshots go to
artifacts/screenshots/signin-*-desk.png and signin-*-phone.png."""

from __future__ import annotations

from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.oath import TOTP

from security import second_factor
from security.models import FailedSignIn
from tests.factories import member, with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desk", "phone"]
PASSWORD = "correct horse battery staple"


def log_in(visit_, username: str, password: str = PASSWORD):
    visit_.open("/admin/login/")
    visit_.page.fill("#id_username", username)
    visit_.page.fill("#id_password", password)
    with visit_.page.expect_navigation():
        visit_.page.click("input[type=submit]")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_new_rights_manager_sets_up_an_app_from_the_qr_code(visit, groups, viewport):
    member("Rights manager", username="rosa", password=PASSWORD)
    visit_ = visit(viewport)
    page = visit_.page

    visit_.open("/admin/login/")
    assert "After 5 failed attempts" in page.inner_text("#nr-signin-policy")
    visit_.screenshot("signin-login")
    log_in(visit_, "rosa")

    assert page.url.startswith(f"{visit_.base}/admin/sign-in/set-up/")
    qr = page.locator("svg.nr-qr").bounding_box()
    assert qr["width"] >= 150 and qr["height"] >= 150  # drawn, under the strict CSP
    visit_.screenshot("signin-set-up")
    key = page.inner_text("#nr-secret").replace(" ", "")
    page.fill("#id_code", f"{TOTP(b32decode(key)).token():06d}")
    with page.expect_navigation():
        page.click("input[type=submit]")

    assert page.url == f"{visit_.base}/admin/"
    assert "Your second factor is set up" in page.inner_text(".messagelist")
    visit_.open("/admin/sign-in/set-up/")
    assert "Your second factor is set up" in page.inner_text("#content-main")
    visit_.screenshot("signin-second-factor")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_at_the_next_sign_in_the_desk_asks_for_the_code(visit, groups, viewport):
    device = with_second_factor(member("Rights manager", username="rosa", password=PASSWORD))
    visit_ = visit(viewport)
    page = visit_.page

    log_in(visit_, "rosa")
    assert page.url.startswith(f"{visit_.base}/admin/sign-in/code/")
    page.fill("#id_code", "000000")
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "That is not the code your app shows now." in page.inner_text("#content-main")
    visit_.screenshot("signin-code")
    page.fill("#id_code", second_factor.current_code(device))
    with page.expect_navigation():
        page.click("input[type=submit]")

    assert page.url == f"{visit_.base}/admin/"
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_five_wrong_passwords_show_the_lockout_page(visit, groups, viewport):
    member("Editor", username="erin", password=PASSWORD)
    visit_ = visit(viewport)

    for _ in range(5):
        log_in(visit_, "erin", "wrong")

    page = visit_.page
    assert "Sign-in is paused after 5 failed attempts" in page.inner_text("#nr-locked-out")
    assert "rights manager" in page.inner_text("#content-main")
    visit_.screenshot("signin-locked-out")
    assert visit_.problems(status=429) == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_rights_manager_reads_lockouts_second_factors_and_sign_ins(visit, groups, viewport):
    member("Editor", username="erin", password=PASSWORD)
    with_second_factor(member("Editor", username="ed", password=PASSWORD))
    get_user_model().objects.create_superuser("sam", password=PASSWORD)
    # Someone elsewhere tried erin's account five times (from here, the lockout would be ours).
    FailedSignIn.objects.create(
        username="erin",
        ip_address="198.51.100.5",
        user_agent="Mozilla/5.0",
        failures_since_start=5,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="text/html",
        path_info="/admin/login/",
    )
    device = with_second_factor(member("Rights manager", username="rosa", password=PASSWORD))
    visit_ = visit(viewport)
    page = visit_.page
    log_in(visit_, "rosa")
    page.fill("#id_code", second_factor.current_code(device))
    with page.expect_navigation():
        page.click("input[type=submit]")

    visit_.open("/admin/security/failedsignin/")
    assert "Account locked until" in page.inner_text("#result_list")
    visit_.screenshot("signin-failed-sign-ins")
    page.select_option("select[name=action]", "lift_accounts")
    page.check("#result_list tbody tr:first-child input.action-select")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert "Lockout lifted for erin" in page.inner_text(".messagelist")
    visit_.open("/admin/security/secondfactor/")
    assert "ed" in page.inner_text("#result_list")
    visit_.screenshot("signin-second-factors")
    visit_.open("/admin/security/signin/")
    assert "rosa" in page.inner_text("#result_list")
    visit_.screenshot("signin-sign-ins")
    assert visit_.problems() == []


def test_typing_in_a_desk_form_keeps_the_session_alive(visit, groups):
    member("Editor", username="erin", password=PASSWORD)
    visit_ = visit("desk")
    page = visit_.page
    page.clock.install()
    log_in(visit_, "erin")
    visit_.open("/admin/articles/article/add/")
    page.fill("#id_headline", "Council")
    page.clock.fast_forward("01:01")

    with page.expect_request("**/admin/sign-in/alive/") as ping:
        page.press("#id_headline", "s")

    assert ping.value.response().status == 204
    assert visit_.problems() == []
