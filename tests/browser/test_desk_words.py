"""The desk in words, in a real browser at a newsroom laptop's size and a phone's: the rights
panel, the history, a revision, the audit log, the preview and its signed link, and the next
newsletter. Each page loads without a console error (a CSP violation among them) and shows no
Python or JSON rendering. Screenshots go to artifacts/screenshots/desk-*-{desk,phone}.png."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import previews
from articles.models import Article, AuditEntry, Byline, Licence, Person, Source
from articles.vocabulary import Right
from tests.browser.conftest import SCREENSHOTS
from tests.factories import AA_NOTICE, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desk", "phone"]
REPRS = ["frozenset(", "None", '{"', "chars]"]


@pytest.fixture
def newsdesk(groups):
    """A wire story held by its notice, edited by a named editor, refused and overridden."""
    now = timezone.now()
    agency = Source.objects.create(name="Anadolu Agency", slug="anadolu-agency", credit_line="AA")
    Licence.objects.create(source=agency, reference="AA-2024-117", valid_from=now)
    wire = Article.objects.create(
        headline="Earthquake shakes eastern province",
        standfirst="Buildings were damaged in three towns; no one was hurt.",
        body="<p>A strong earthquake shook the province on Tuesday.</p>"
        "<p>Officials said schools would stay closed.</p>",
        source=agency,
        status="draft",
        rights_settled=True,
        may_rewrite=True,
        copyright_holder="Anadolu Agency",
        copyright_year=2022,
        copyright_notice=AA_NOTICE,
        excluded_territories={"US"},
        rights_basis=dict.fromkeys(Right, "notice"),
        rights_start_at=now + datetime.timedelta(hours=5),
    )
    person = Person.objects.create(name="Ayse Kaya", slug="ayse-kaya")
    Byline.objects.create(article=wire, person=person, role="writing", order=0)
    jane = member("Editor", username="jroe")
    jane.first_name, jane.last_name = "Jane", "Roe"
    jane.save()
    wire.body += "<p>Aftershocks continued through the night, the agency said.</p>"
    wire._history_user = jane
    wire.save()
    wire.publish(by=jane)  # refused by its notice, recorded in the audit log
    AuditEntry.record(
        AuditEntry.Action.INGEST,
        article=wire,
        reason="Created from aa-quake.xml (newsml).",
        detail={"guid": "urn:aa:1", "wire_version": 3, "rights": {"publish": "notice"}},
    )
    return wire


@pytest.fixture
def signed_in(visit):
    """A browser page signed in as a user of `role`, through a session the test client made."""

    def open_as(role: str, viewport: str):
        if role == "superuser":
            user = get_user_model().objects.create_superuser("root", "r@example.com", "pw")
        else:
            user = member(role)
        return visit(viewport).sign_in(user)

    return open_as


def read(opened, path: str, *, status: int = 200) -> str:
    response = opened.open(path)
    assert response.status == status, f"{path}: {response.status}"
    text = opened.page.inner_text("body")
    for shown in REPRS:
        assert shown not in text, f"{path} shows {shown!r}"
    assert opened.problems(status=status) == []
    return text


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_rights_panel_says_the_notice_once_and_the_territories_in_words(
    signed_in, newsdesk, viewport
):
    opened = signed_in("Editor", viewport)
    read(opened, f"/admin/articles/article/{newsdesk.pk}/change/")
    text = opened.page.inner_text(".field-rights_panel")
    assert text.count("This material may not be published") == 1
    assert "Anywhere but the United States." in text
    assert "Its rights window opens" in text and "(in 5 h)" in text
    assert "Anadolu Agency's notice forbids publication" in text
    opened.screenshot("desk-rights-panel")
    panel = opened.page.locator("fieldset:has(.field-rights_panel)")
    panel.screenshot(path=str(SCREENSHOTS / f"desk-rights-panel-close-{viewport}.png"))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_history_says_who_when_and_what_changed(signed_in, newsdesk, viewport):
    opened = signed_in("Editor", viewport)
    text = read(opened, f"/admin/articles/article/{newsdesk.pk}/history/")
    assert "Jane Roe" in text and "the system" in text
    assert "body: 1 paragraph changed, 8 words added" in text
    opened.screenshot("desk-history")
    opened.page.click("text=Compare with now >> nth=-1")
    read(opened, opened.page.url.removeprefix(opened.base))
    assert opened.page.locator("input[value='Revert to this revision']").count() == 1
    opened.screenshot("desk-revision")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_audit_log_speaks_in_sentences(signed_in, newsdesk, viewport):
    opened = signed_in("Rights manager", viewport)
    text = read(opened, "/admin/articles/auditentry/")
    assert "Publication refused: Anadolu Agency's notice forbids publication" in text
    assert "Ingested: created from aa-quake.xml (newsml), version 3" in text
    assert "ingest" in text and "Jane Roe" in text
    page = opened.page
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page
    assert page.locator("#changelist .results").evaluate("e => e.scrollWidth <= e.clientWidth")
    opened.screenshot("desk-audit-log")
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.REFUSAL).first()
    text = read(opened, f"/admin/articles/auditentry/{entry.pk}/change/")
    assert "Publication refused" in text
    assert '"reasons"' not in text  # the data stays behind its disclosure until opened
    opened.page.click("text=Show the entry as data")
    assert '"reasons"' in opened.page.inner_text(".nr-as-data")
    opened.screenshot("desk-audit-entry")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_preview_is_the_readers_page_under_a_banner(signed_in, newsdesk, viewport):
    opened = signed_in("Reporter", viewport)
    text = read(opened, f"/admin/articles/article/{newsdesk.pk}/preview/")
    assert "Preview, not the published page." in text
    assert "It may not be published now" in text
    assert "Ayse Kaya" in text  # the reader's byline
    assert opened.page.locator("header.masthead").count() == 1
    opened.screenshot("desk-preview")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_colleague_opens_the_signed_link_without_the_desk(visit, newsdesk, viewport):
    opened = visit(viewport)
    text = read(opened, previews.preview_path(newsdesk.pk))
    assert "This preview link works until" in text
    assert "Earthquake shakes eastern province" in text
    opened.screenshot("desk-signed-preview")
    text = read(opened, "/preview/not-a-token/", status=403)
    assert "This preview link is not valid" in text
    opened.screenshot("desk-signed-preview-refused")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_editor_previews_the_next_newsletter(signed_in, newsdesk, viewport):
    Article.objects.create(
        headline="Library reopens its reading room",
        body="<p>The reading room welcomed its first visitors.</p>",
        source=Source.objects.create(name="The Newsroom", slug="newsroom", kind="staff"),
        status="published",
        published_at=timezone.now() - datetime.timedelta(hours=1),
        rights_settled=True,
        rights_basis=dict.fromkeys(Right, "staff"),
        **{right.field: True for right in Right},
    )
    opened = signed_in("Editor", viewport)
    read(opened, "/admin/articles/article/")
    opened.page.click("text=Next newsletter")
    text = opened.page.inner_text("body")
    assert "Library reopens its reading room" in text
    assert "Earthquake" not in text
    opened.screenshot("desk-newsletter-preview")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_other_screens_changed_read_in_words(signed_in, newsdesk, viewport):
    opened = signed_in("Rights manager", viewport)
    read(opened, "/admin/articles/article/")
    assert opened.page.locator(".object-tools a", has_text="Next newsletter").count() == 1
    opened.screenshot("desk-changelist")
    licence = Licence.objects.get()
    licence.grants_publish = True
    licence.territories = {"GB", "IE"}
    licence.save()
    text = read(opened, f"/admin/articles/licence/{licence.pk}/history/")
    assert "Grants publication: no → yes" in text and "the system" in text
    opened.screenshot("desk-licence-history")
    killed = Article.objects.create(
        headline="Withdrawn claims about a councillor",
        body="<p>Text removed on legal advice.</p>",
        source=newsdesk.source,
        status="killed",
    )
    text = read(opened, f"/admin/articles/article/{killed.pk}/preview/", status=410)
    assert "This item was killed" in text and "legal advice" not in text
    opened.screenshot("desk-preview-killed")
