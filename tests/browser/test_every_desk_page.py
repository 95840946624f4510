"""Every page of the desk in a real browser, at a newsroom laptop's size and a phone's: each
answers, draws without a console error, and needs no sideways scrolling at either size.
Screenshots go to artifacts/screenshots/page-*-desk.png and page-*-phone.png."""

from __future__ import annotations

import datetime
import os

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.audit import AuditEntry
from articles.models import Article, Licence, Person, Section, Source

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desk", "phone"]


@pytest.fixture
def desk_pages(groups) -> dict[str, str]:
    """A small newsroom, and the address of every kind of page its desk has."""
    now = timezone.now()
    agency = Source.objects.create(name="Anadolu Agency", slug="anadolu-agency")
    licence = Licence.objects.create(
        source=agency, reference="AA-2026-17", valid_until=now + datetime.timedelta(days=20)
    )
    section = Section.objects.create(name="World", slug="world")
    person = Person.objects.create(name="Ayse Kaya", slug="ayse-kaya")
    wire = Article.objects.create(
        headline="Earthquake shakes eastern province as aftershocks continue into the night",
        body="<p>A strong earthquake shook the province on Tuesday.</p>",
        source=agency,
        section=section,
        copyright_holder="Anadolu Agency",
        copyright_notice="Copyright 2026 Anadolu Agency. All rights reserved.",
        rights_settled=True,
    )
    entry = AuditEntry.record(
        AuditEntry.Action.REFUSAL, article=wire, reason="Its notice forbids it."
    )
    wire.editor_note = "Check the casualty figures before it goes out."
    wire.save()  # a second revision, for the history's diff
    change = f"/admin/articles/article/{wire.pk}"
    return {
        "index": "/admin/",
        "articles": "/admin/articles/article/",
        "article": f"{change}/change/",
        "article-add": "/admin/articles/article/add/",
        "article-history": f"{change}/history/",
        "article-preview": f"{change}/preview/",
        "article-publish": f"{change}/publish/",
        "article-override": f"{change}/override/",
        "article-kill": f"{change}/kill/",
        "rights-report": "/admin/articles/article/rights-report/",
        "ingest": "/admin/articles/article/ingest/",
        "audit": "/admin/articles/auditentry/",
        "audit-entry": f"/admin/articles/auditentry/{entry.pk}/change/",
        "sources": "/admin/articles/source/",
        "source": f"/admin/articles/source/{agency.pk}/change/",
        "licences": "/admin/articles/licence/",
        "licence": f"/admin/articles/licence/{licence.pk}/change/",
        "sections": "/admin/articles/section/",
        "people": "/admin/articles/person/",
        "person": f"/admin/articles/person/{person.pk}/change/",
        "newsletter": "/admin/newsletter/digest/preview/",
        "subscribers": "/admin/newsletter/subscriber/",
        "failed-sign-ins": "/admin/security/failedsignin/",
    }


@pytest.fixture
def as_chief(visit):
    """A browser signed in as a superuser (through a session the test client made)."""

    def open_at(viewport: str):
        chief = get_user_model().objects.create_superuser("chief", "c@example.com", "pw")
        return visit(viewport).sign_in(chief)

    return open_at


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_desk_page_draws_cleanly_and_fits_a_laptop_and_a_phone(
    as_chief, desk_pages, viewport
):
    opened = as_chief(viewport)
    page = opened.page
    too_wide = []
    for name, path in desk_pages.items():
        response = opened.open(path)
        assert response.status == 200, f"{name} ({path}): {response.status}"
        width = page.evaluate("document.documentElement.clientWidth")
        if page.evaluate("document.documentElement.scrollWidth") > width:
            too_wide.append(name)
        opened.screenshot(f"page-{name}")
    assert too_wide == []
    assert opened.problems() == []
