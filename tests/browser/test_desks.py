"""Each role's desk on the admin's front page in a real browser, at a newsroom laptop's size and
a phone's: the shelves fit (no sideways scrolling), long headlines wrap inside their shelf, and
nothing is drawn over anything. Screenshots go to artifacts/screenshots/desk-*-desk.png and
desk-*-phone.png."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from articles.audit import AuditEntry
from articles.models import Article, Licence, Source
from security import second_factor
from tests.factories import member, sign_in_to_the_desk, with_second_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desk", "phone"]
PASSWORD = "correct horse battery staple"
LONG = (
    "Coalition talks stall for a third night as the smaller parties hold out for a written "
    "promise on the budget"
)


@pytest.fixture
def newsroom_day(groups):
    """A desk's morning: drafts, a queue, a refusal, unsettled wire copy and licences ending."""
    now = timezone.now()
    staff = Source.objects.create(name="The Newsroom", slug="newsroom", kind=Source.Kind.STAFF)
    wire = Source.objects.create(name="Anadolu Agency", slug="anadolu-agency")
    rita = member("Reporter", username="rita", password=PASSWORD)
    for n in range(7):
        draft = Article(headline=f"{LONG} ({n + 1})", body="<p>Text.</p>", source=staff)
        draft._history_user = rita
        draft.save()
    common = {"body": "<p>Text.</p>", "rights_settled": True, "may_publish": True}
    Article.objects.create(headline="Harbour reopens", status="review", source=staff, **common)
    refused = Article.objects.create(
        headline="Earthquake shakes eastern province", status="draft", source=wire,
        body="<p>Text.</p>", rights_settled=True,
    )  # fmt: skip
    AuditEntry.record(
        AuditEntry.Action.REFUSAL,
        article=refused,
        reason="Anadolu Agency's notice forbids publication.",
    )
    Article.objects.create(headline="Unsettled wire story", source=wire, body="<p>Text.</p>")
    Licence.objects.create(
        source=wire, reference="AA-2026-17", valid_until=now + datetime.timedelta(days=4)
    )
    return rita


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ["Reporter", "Editor", "Rights manager"])
def test_each_roles_desk_fits_the_screen(visit, newsroom_day, viewport, role):
    if role == "Reporter":
        user, device = newsroom_day, None
    else:
        user = member(role, username=role.split()[0].lower(), password=PASSWORD)
        device = with_second_factor(user) if second_factor.required_of(user) else None
    visit_ = visit(viewport)
    sign_in_to_the_desk(visit_.page, visit_.base, user.username, PASSWORD, device)
    page = visit_.page

    assert page.locator(f"#desk-{role.lower().replace(' ', '-')}").count() == 1
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for shelf in page.locator(".nr-shelf").all():
        box = shelf.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    visit_.screenshot(f"desk-{role.lower().replace(' ', '-')}")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ["Reporter", "Editor", "Rights manager"])
def test_the_article_list_fits_a_laptop_with_room_for_headlines(
    visit, newsroom_day, viewport, role
):
    user = (
        newsroom_day if role == "Reporter" else member(role, username="lister", password=PASSWORD)
    )
    device = with_second_factor(user) if second_factor.required_of(user) else None
    visit_ = visit(viewport)
    sign_in_to_the_desk(visit_.page, visit_.base, user.username, PASSWORD, device)
    page = visit_.page
    visit_.open("/admin/articles/article/")

    legend = page.inner_text("#nr-rights-legend")
    assert "P publish" in legend and "R redistribute" in legend
    mark = page.locator("#result_list .nr-mark").first
    assert mark.get_attribute("title").split(":")[0] in {
        "Publication", "Broadcast", "Rewriting", "Redistribution"
    }  # fmt: skip
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth")  # nor a sideways table
    assert page.locator("#result_list td.field-rights").first.is_visible()
    if viewport == "desk":
        width = page.locator("#result_list td.field-headline, #result_list th.field-headline")
        assert width.first.bounding_box()["width"] >= 220
    visit_.screenshot(f"desk-article-list-{role.lower().replace(' ', '-')}")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_on_restricted_copy_the_rights_come_first_and_no_step_covers_the_title(
    visit, newsroom_day, viewport
):
    editor = member("Editor", username="ed", password=PASSWORD)
    wire = Article.objects.get(headline="Earthquake shakes eastern province")
    visit_ = visit(viewport)
    sign_in_to_the_desk(visit_.page, visit_.base, editor.username, PASSWORD)
    page = visit_.page
    visit_.open(f"/admin/articles/article/{wire.pk}/change/")

    assert page.locator("fieldset h2").first.inner_text().strip().lower() == "rights"
    title = page.locator("#content h2").first.bounding_box()
    for step in page.locator(".object-tools li").all():
        box = step.bounding_box()
        apart = (
            box["y"] + box["height"] <= title["y"]
            or title["y"] + title["height"] <= box["y"]
            or box["x"] + box["width"] <= title["x"]
            or title["x"] + title["width"] <= box["x"]
        )
        assert apart, f"{step.inner_text()} is drawn over the title"
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    visit_.screenshot("desk-change-form-restricted")
    assert visit_.problems() == []
