"""The admin in a real browser, as each role: the refusal a reporter and an editor read, and a
rights manager's override with a reason. Screenshots go to artifacts/screenshots/admin-*.png."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article, Source
from articles.rights import Right
from security import second_factor
from tests.factories import AA_NOTICE, member, sign_in_to_the_desk, with_second_factor

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def open_as(browser, live_server, groups):
    """Log in as a new user of `role` and return the page, with its console errors collected;
    a rights manager enters the code of the authenticator app they have set up.

    `browser` and `groups` are from tests/browser/conftest.py.
    """
    contexts = []

    def log_in(role: str, username: str):
        user = member(role, username=username, password=PASSWORD)
        device = with_second_factor(user) if second_factor.required_of(user) else None
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        sign_in_to_the_desk(page, live_server.url, username, PASSWORD, device)
        return page

    yield log_in
    for context in contexts:
        context.close()


@pytest.fixture
def reserved_wire(db):
    """An agency draft as ingest stores it under a notice that reserves all four rights."""
    source = Source.objects.create(name="Anadolu Agency", slug="anadolu-agency")
    return Article.objects.create(
        headline="Earthquake shakes eastern province",
        body="<p>A strong earthquake shook the province on Tuesday.</p>",
        source=source,
        status="draft",
        rights_settled=True,
        copyright_holder="Anadolu Agency",
        copyright_year=2022,
        copyright_notice=AA_NOTICE,
        rights_basis=dict.fromkeys(Right, "notice"),
        embargo_until=None,
    )


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"admin-{name}.png"), full_page=True)


def test_a_reporter_cannot_publish_and_is_told_who_can(open_as, live_server, reserved_wire):
    page = open_as("Reporter", "rita")
    page.goto(f"{live_server.url}/admin/articles/article/{reserved_wire.pk}/change/")
    assert page.locator("text=Publish or schedule").count() == 0
    assert page.locator("#id_may_publish").count() == 0
    response = page.goto(f"{live_server.url}/admin/articles/article/{reserved_wire.pk}/publish/")
    assert response.status == 403
    assert "Only editors may publish or schedule; rita may not." in page.inner_text("#nr-denied")
    shot(page, "reporter-refused")
    # Chromium logs the refused document's own status; that refusal is the point of the page.
    assert [e for e in page.errors if "status of 403" not in e] == []


def test_an_editor_reads_the_refusal_with_its_reasons(open_as, live_server, reserved_wire):
    soon = timezone.now() + datetime.timedelta(days=1)
    for days, field in [(1, "embargo_until"), (1, "rights_expire_at"), (3, "embargo_until")]:
        Article.objects.create(
            headline=f"Coming {field} {days}",
            source=reserved_wire.source,
            **{field: soon + datetime.timedelta(days=days - 1)},
        )
    page = open_as("Editor", "ed")
    shot(page, "dashboard")
    page.goto(f"{live_server.url}/admin/articles/article/")
    shot(page, "changelist")
    page.goto(f"{live_server.url}/admin/articles/article/{reserved_wire.pk}/change/")
    shot(page, "change-form")
    # The gate would refuse it: the desk offers a request for an override, not Publish again.
    assert page.locator("text=Publish or schedule").count() == 0
    page.click("text=Ask a rights manager to override")
    refusal = page.inner_text("#nr-gate")
    assert "Anadolu Agency's notice forbids publication" in refusal
    assert "A licence from Anadolu Agency granting publication" in refusal
    shot(page, "editor-refusal")
    page.fill("#id_reason", "The AA desk agreed to this one by phone this morning.")
    page.click("input[name=_confirm]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/{reserved_wire.pk}/change/")
    assert page.locator("text=Ask a rights manager to override").count() == 0  # asked once
    page.goto(f"{live_server.url}/admin/")
    assert "Waiting for a rights manager" in page.inner_text("#shelf-my_requests")
    reserved_wire.refresh_from_db()
    assert reserved_wire.status == "draft"
    assert page.errors == []


def test_a_rights_manager_grants_an_editors_request_and_the_editor_is_told(
    open_as, live_server, reserved_wire
):
    editor = open_as("Editor", "ed")
    editor.goto(f"{live_server.url}/admin/articles/article/{reserved_wire.pk}/ask/")
    editor.fill("#id_reason", "The AA desk agreed to this one by phone this morning.")
    editor.click("input[name=_confirm]")
    rights = open_as("Rights manager", "rosa")
    requests = rights.inner_text("#shelf-override_requests")
    assert reserved_wire.headline in requests and "agreed to this one by phone" in requests
    shot(rights, "rights-desk-requests")
    rights.click(f"#shelf-override_requests >> text={reserved_wire.headline}")
    rights.click("text=Override the refusal and publish")
    rights.fill("#id_reason", "Licence agreed by phone with the AA desk; contract to follow.")
    rights.click("input[name=_confirm]")
    rights.wait_for_url(f"{live_server.url}/admin/articles/article/{reserved_wire.pk}/change/")
    editor.goto(f"{live_server.url}/admin/")
    told = editor.inner_text("#shelf-my_requests")
    assert "Granted: Licence agreed by phone with the AA desk" in told
    assert editor.errors == [] and rights.errors == []


def test_a_rights_manager_overrides_with_a_reason(open_as, live_server, reserved_wire):
    page = open_as("Rights manager", "rosa")
    page.goto(f"{live_server.url}/admin/articles/article/{reserved_wire.pk}/change/")
    page.click("text=Override the refusal and publish")
    page.click("input[name=_confirm]")
    assert "This field is required." in page.inner_text("#content-main")
    page.fill("#id_reason", "Licence agreed by phone with the AA desk; contract to follow.")
    page.click("input[name=_confirm]")
    page.wait_for_url(f"{live_server.url}/admin/articles/article/{reserved_wire.pk}/change/")
    assert "published" in page.inner_text(".messagelist")
    shot(page, "rights-override")
    reserved_wire.refresh_from_db()
    assert reserved_wire.status == "published"
    assert reserved_wire.rights_basis["publish"] == "override"
    assert page.errors == []


def test_a_reporter_uploads_a_wire_file_and_reads_the_report(open_as, live_server):
    wire = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "anadolu.txt"
    page = open_as("Reporter", "rita")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.click("text=Ingest wire copy")
    page.set_input_files("input[type=file]", str(wire))
    assert page.locator("input[name=publish]").is_disabled()  # reporters never publish
    page.click("input[type=submit][value=Ingest]")
    report = page.inner_text(".ingest-report")
    assert "created" in report
    assert "Turkish exports hit record high in December" in report
    assert "Erdogan Cagatay Zontur (writing)" in report
    assert "publish: no" in report
    shot(page, "reporter-upload")
    assert Article.objects.get().status == "draft"
    assert page.errors == []
