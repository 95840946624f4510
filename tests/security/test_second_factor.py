"""A second factor for the desk: a code from an authenticator app after the password, required of
superusers and rights managers (and of the groups a setting names), set up by the person at their
first sign-in, and reset by a rights manager or a command."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import second_factor
from tests.factories import member, with_second_factor
from tests.security.conftest import PASSWORD, minutes, words

pytestmark = pytest.mark.django_db

DESK = reverse("admin:index")
ARTICLES = reverse("admin:articles_article_changelist")


def code_of(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return second_factor.current_code(device)


def code_from_key(key: str) -> str:
    """The code an app makes from the key as the set-up page shows it."""
    from base64 import b32decode

    totp = TOTP(b32decode(key.replace(" ", "")))
    return f"{totp.token():06d}"


def superuser(username: str = "sam"):
    return get_user_model().objects.create_superuser(username, password=PASSWORD)


# --- who is asked ---------------------------------------------------------------------------------


def test_superusers_and_rights_managers_must_have_a_second_factor():
    assert second_factor.required_of(superuser())
    assert second_factor.required_of(member("Rights manager"))
    assert not second_factor.required_of(member("Editor"))
    assert not second_factor.required_of(member("Reporter"))


def test_the_setting_requires_it_of_other_groups_too(settings):
    settings.OTP_REQUIRED_GROUPS = ["Editor"]

    assert second_factor.required_of(member("Editor"))
    assert not second_factor.required_of(member("Reporter"))


def test_an_editor_signs_in_with_the_password_alone(sign_in, client):
    member("Editor", username="erin", password=PASSWORD)

    assert sign_in("erin")["Location"] == DESK
    assert client.get(ARTICLES).status_code == 200


def test_an_editor_who_set_one_up_is_asked_for_it(sign_in, client):
    with_second_factor(member("Editor", username="erin", password=PASSWORD))
    sign_in("erin")

    response = client.get(ARTICLES)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('security:code')}?next={quote(ARTICLES)}"


# --- setting one up ------------------------------------------------------------------------------


def test_a_new_rights_manager_is_sent_to_set_one_up_and_reaches_nothing_before(sign_in, client):
    member("Rights manager", username="rosa", password=PASSWORD)
    sign_in("rosa")

    for path in (DESK, ARTICLES, reverse("admin:security_failedsignin_changelist")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("security:set_up") + "?next=")


def test_the_set_up_page_shows_a_qr_code_and_the_key_and_takes_the_code(sign_in, client):
    rosa = member("Rights manager", username="rosa", password=PASSWORD)
    sign_in("rosa")

    page = client.get(reverse("security:set_up"), {"next": ARTICLES})
    html = page.content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    key = re.search(r'<code class="nr-secret" id="nr-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert 'class="nr-qr"' in svg and "<path" in svg
    assert "style=" not in svg  # the Content Security Policy forbids inline styles
    assert 'href="otpauth://totp/The%20Newsroom%3Arosa?secret=' in html
    assert not TOTPDevice.objects.filter(user=rosa, confirmed=True).exists()

    response = client.post(
        reverse("security:set_up"), {"code": code_from_key(key), "next": ARTICLES}
    )

    assert response.status_code == 302 and response["Location"] == ARTICLES
    assert TOTPDevice.objects.get(user=rosa).confirmed
    assert client.get(ARTICLES).status_code == 200


def test_a_wrong_code_sets_nothing_up(sign_in, client):
    rosa = member("Rights manager", username="rosa", password=PASSWORD)
    sign_in("rosa")
    client.get(reverse("security:set_up"))

    response = client.post(reverse("security:set_up"), {"code": "000000"})

    assert response.status_code == 200
    assert "That code did not match" in words(response)
    assert not TOTPDevice.objects.get(user=rosa).confirmed
    assert client.get(DESK).status_code == 302


def test_reloading_the_set_up_page_keeps_the_same_key(sign_in, client):
    rosa = member("Rights manager", username="rosa", password=PASSWORD)
    sign_in("rosa")
    client.get(reverse("security:set_up"))
    client.get(reverse("security:set_up"))

    assert TOTPDevice.objects.filter(user=rosa).count() == 1


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    for step in ("security:set_up", "security:code"):
        response = client.get(reverse(step))
        assert response["Location"].startswith(reverse("admin:login"))


# --- the code at each sign-in --------------------------------------------------------------------


def test_a_rights_manager_with_an_app_enters_its_code_after_the_password(sign_in, client):
    device = with_second_factor(member("Rights manager", username="rosa", password=PASSWORD))
    sign_in("rosa", to=ARTICLES)
    response = client.get(ARTICLES)
    assert response["Location"] == f"{reverse('security:code')}?next={quote(ARTICLES)}"
    assert "Signed in as <strong>rosa</strong>" in client.get(response["Location"]).content.decode()

    response = client.post(reverse("security:code"), {"code": code_of(device), "next": ARTICLES})

    assert response["Location"] == ARTICLES
    assert client.get(ARTICLES).status_code == 200


def test_a_wrong_code_is_refused(sign_in, client):
    with_second_factor(member("Rights manager", username="rosa", password=PASSWORD))
    sign_in("rosa")

    response = client.post(reverse("security:code"), {"code": "000000"})

    assert response.status_code == 200
    assert "That is not the code your app shows now." in words(response)
    assert client.get(DESK).status_code == 302


def test_a_code_is_accepted_once(sign_in, client, clock):
    device = with_second_factor(superuser())
    code = code_of(device)
    sign_in("sam")
    client.post(reverse("security:code"), {"code": code})
    client.post(reverse("admin:logout"))
    clock.shift(minutes(1 / 6))  # ten seconds on: the same 30-second step, the same code

    sign_in("sam")
    response = client.post(reverse("security:code"), {"code": code})

    assert response.status_code == 200
    assert client.get(DESK).status_code == 302


def test_a_code_with_letters_is_refused_without_counting(sign_in, client):
    with_second_factor(member("Rights manager", username="rosa", password=PASSWORD))
    sign_in("rosa")

    response = client.post(reverse("security:code"), {"code": "12ab56"})

    assert "A code is six digits" in words(response)


def test_wrong_codes_count_towards_the_lockout_and_sign_out(sign_in, client, clock):
    device = with_second_factor(member("Rights manager", username="rosa", password=PASSWORD))
    sign_in("rosa")
    answers = []
    for _ in range(5):
        clock.shift(minutes(1))
        answers.append(client.post(reverse("security:code"), {"code": "000000"}).status_code)

    assert answers == [200, 200, 200, 200, 429]
    assert client.get(DESK)["Location"].startswith(reverse("admin:login"))  # signed out
    clock.shift(minutes(1))
    assert sign_in("rosa").status_code == 429  # the account is locked for the password too
    assert code_of(device)  # the app itself is untouched


def test_the_next_page_must_be_on_this_site(sign_in, client):
    device = with_second_factor(superuser())
    sign_in("sam")

    response = client.post(
        reverse("security:code"), {"code": code_of(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == DESK


def test_signing_out_is_never_blocked(sign_in, client):
    superuser()
    sign_in("sam")

    response = client.post(reverse("admin:logout"))

    assert response.status_code == 200
    assert client.get(reverse("security:code"))["Location"].startswith(reverse("admin:login"))


def test_the_status_page_says_it_is_set_up_and_never_shows_the_key(client):
    rosa = member("Rights manager", username="rosa")
    device = with_second_factor(rosa)
    client.force_login(rosa)

    page = words(client.get(reverse("security:set_up")))

    assert "Your second factor is set up: <strong>Authenticator app</strong>" in page
    assert second_factor.secret(device) not in page


# --- resetting one -------------------------------------------------------------------------------


def test_a_rights_manager_resets_someones_second_factor_in_the_admin(client, sign_in):
    erin = member("Editor", username="erin", password=PASSWORD)
    device = with_second_factor(erin)
    client.force_login(member("Rights manager"))
    changelist = reverse("admin:security_secondfactor_changelist")

    response = client.post(
        changelist, {"action": "reset", "_selected_action": [device.pk]}, follow=True
    )

    assert "Second factor reset for erin" in words(response)
    assert not TOTPDevice.objects.filter(user=erin).exists()
    client.logout()
    assert sign_in("erin")["Location"] == DESK  # an editor: asked for nothing now


def test_after_a_reset_a_rights_manager_sets_up_a_new_app_at_the_next_sign_in(client, sign_in):
    rosa = member("Rights manager", username="rosa", password=PASSWORD)
    with_second_factor(rosa)
    second_factor.reset(rosa, by="test")

    sign_in("rosa")

    assert client.get(DESK)["Location"].startswith(reverse("security:set_up"))


@pytest.mark.parametrize("role", ["Editor", "Reporter"])
def test_editors_and_reporters_may_not_reset_or_see_second_factors(client, role):
    device = with_second_factor(member("Rights manager"))
    client.force_login(member(role))
    changelist = reverse("admin:security_secondfactor_changelist")

    assert client.get(changelist).status_code == 403
    client.post(changelist, {"action": "reset", "_selected_action": [device.pk]})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_admin_never_shows_a_key(client):
    device = with_second_factor(member("Editor", username="erin"))
    client.force_login(member("Rights manager"))

    listing = client.get(reverse("admin:security_secondfactor_changelist"))
    detail = client.get(reverse("admin:security_secondfactor_change", args=[device.pk]))

    assert "erin" in listing.content.decode()
    for response in (listing, detail):
        assert response.status_code == 200
        assert device.key not in response.content.decode()
        assert second_factor.secret(device) not in response.content.decode()
        assert "delete_selected" not in response.content.decode()


def test_the_command_resets_a_second_factor():
    rosa = member("Rights manager", username="rosa")
    with_second_factor(rosa)
    out = io.StringIO()

    call_command("second_factor", "reset", "rosa", stdout=out)

    assert not TOTPDevice.objects.filter(user=rosa).exists()
    assert "rosa: second factor removed" in out.getvalue()


def test_the_command_names_an_unknown_user():
    with pytest.raises(CommandError, match="No user “nobody”"):
        call_command("second_factor", "reset", "nobody", stdout=io.StringIO())


def test_the_command_prints_a_live_code_only_in_development(settings):
    device = with_second_factor(member("Rights manager", username="rosa"))
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only with DEBUG on"):
        call_command("second_factor", "code", "rosa", stdout=io.StringIO())

    settings.DEBUG = True
    out = io.StringIO()
    call_command("second_factor", "code", "rosa", stdout=out)

    assert out.getvalue() == f"rosa: {code_of(device)}\n"
    assert second_factor.check_code(device, code_of(device))
