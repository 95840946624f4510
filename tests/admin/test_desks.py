"""A desk per role on the admin's front page: a reporter's drafts and uploads, an editor's queue,
a rights manager's reviews and endings; and each shelf's count is what its "see all" lists."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from articles.audit import AuditEntry
from articles.desks import SHELF_ITEMS, SHELVES, desks_for
from articles.models import Article, OverrideRequest, Source
from tests.factories import member

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def drafted_by(user, make_article, **fields) -> Article:
    """An article whose first revision is `user`'s, as the change form's save records it."""
    article = Article(
        headline=fields.pop("headline", "A draft"),
        body="<p>Text.</p>",
        status=fields.pop("status", "draft"),
        source=fields.pop("source"),
        rights_settled=True,
        **fields,
    )
    article._history_user = user
    article.save()
    return article


def front(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("admin:index")).content.decode()


def shelf_html(page: str, name: str) -> str:
    return page.split(f'id="shelf-{name}"')[1].split("</section>")[0]


def listed(client, name: str) -> set[str]:
    """The headlines the article list shows under the desk filter `name`."""
    page = client.get(reverse("admin:articles_article_changelist"), {"desk": name})
    assert page.status_code == 200
    return set(
        re.findall(r'<th class="field-headline"><a [^>]*>([^<]+)</a>', page.content.decode())
    )


def test_a_reporter_finds_their_own_drafts_and_uploads_and_the_way_to_write_or_upload(
    client, make_source, make_article
):
    desk = make_source("The Newsroom", kind=Source.Kind.STAFF)
    rita, other = member("Reporter", username="rita"), member("Reporter", username="omar")
    drafted_by(rita, make_article, headline="Rita's draft", source=desk)
    drafted_by(other, make_article, headline="Omar's draft", source=desk)
    drafted_by(rita, make_article, headline="Rita's story in review", source=desk, status="review")
    upload = make_article(headline="Uploaded wire story", status="draft")
    AuditEntry.record(AuditEntry.Action.INGEST, article=upload, actor=rita, reason="Uploaded.")

    page = front(client, rita)

    assert "Reporter’s desk" in page and 'id="desk-editor"' not in page
    drafts = shelf_html(page, "my_drafts")
    assert "Rita&#x27;s draft" in drafts
    assert "Omar" not in drafts and "in review" not in drafts
    assert "Uploaded wire story" in shelf_html(page, "my_uploads")
    assert reverse("admin:articles_article_ingest") in page
    assert reverse("admin:articles_article_add") in page


def test_an_editor_sees_review_ready_scheduled_and_refused_with_the_reason(
    client, make_article, restricted, now
):
    editor = member("Editor", username="ed")
    make_article(headline="Cleared in review", status="review")
    blocked = make_article(headline="Blocked in review", status="review", may_publish=False)
    make_article(headline="Goes out tomorrow", status="scheduled", published_at=now + DAY)
    AuditEntry.record(
        AuditEntry.Action.REFUSAL,
        article=restricted,
        actor=editor,
        reason="Anadolu Agency's notice forbids publication.",
    )
    published_after_refusal = make_article(headline="Refused, then overridden", status="draft")
    for action in (AuditEntry.Action.REFUSAL, AuditEntry.Action.OVERRIDE):
        AuditEntry.record(action, article=published_after_refusal, actor=editor, reason="x")

    page = front(client, editor)

    assert "Editor’s desk" in page and 'id="desk-rights-manager"' not in page
    # An editor writes too: their own stories come after the desk's queue.
    assert page.index('id="desk-editor"') < page.index('id="desk-reporter"')
    assert "Your stories" in page and "Reporter’s desk" not in page
    assert "Cleared in review" in shelf_html(page, "ready")
    assert blocked.headline not in shelf_html(page, "ready")
    assert "Blocked in review" in shelf_html(page, "in_review")
    assert "Goes out tomorrow" in shelf_html(page, "scheduled")
    refused = shelf_html(page, "refused")
    assert restricted.headline in refused
    assert "Anadolu Agency&#x27;s notice forbids publication." in refused
    assert "overridden" not in refused  # the override came after the refusal


def test_a_rights_manager_sees_reviews_endings_and_what_is_blocked_by_source(
    client, make_article, make_source, make_licence, now
):
    rosa = member("Rights manager", username="rosa")
    agency = make_source("Example Wire")
    make_article(headline="Unsettled wire story", source=agency, rights_settled=False)
    make_article(headline="Ends next week", rights_expire_at=now + 10 * DAY)
    make_article(headline="Ends in two months", rights_expire_at=now + 60 * DAY)
    for n in range(2):
        make_article(headline=f"Blocked {n}", source=agency, may_publish=False)
    make_licence(agency, reference="REF-SOON", valid_until=now + 3 * DAY)
    make_licence(agency, reference="REF-LATER", valid_until=now + 20 * DAY)
    make_licence(agency, reference="REF-FAR", valid_until=now + 90 * DAY)

    page = front(client, rosa)

    assert "Unsettled wire story" in shelf_html(page, "rights_review")
    ending = shelf_html(page, "rights_ending")
    assert "Ends next week" in ending and "two months" not in ending
    licences = shelf_html(page, "licences-ending")
    assert "REF-SOON" in licences and "REF-LATER" in licences and "REF-FAR" not in licences
    soon = re.search(r'<li class="nr-soon">.*?</li>', licences, re.S)
    assert soon and "REF-SOON" in soon[0] and "within 7 days" in soon[0]
    assert "REF-LATER" not in soon[0]
    by_source = shelf_html(page, "blocked-by-source")
    assert re.search(r"Example Wire <span class=\"nr-count\">[23]</span>", by_source)


@pytest.mark.parametrize("name", list(SHELVES))
def test_each_shelf_counts_what_its_see_all_lists(client, make_article, now, name):
    user = member(None, username="chief")
    user.is_superuser = True
    user.save()
    desk_source = Source.objects.create(name="Desk", slug="desk", kind=Source.Kind.STAFF)
    for n in range(SHELF_ITEMS + 2):
        article = drafted_by(user, make_article, headline=f"Draft {n}", source=desk_source)
        AuditEntry.record(AuditEntry.Action.INGEST, article=article, actor=user, reason="In.")
        make_article(headline=f"Review {n}", status="review", rights_expire_at=now + 5 * DAY)
        make_article(headline=f"Later {n}", status="scheduled", published_at=now + DAY)
        refused = make_article(headline=f"Refused {n}", status="review", rights_settled=False)
        AuditEntry.record(AuditEntry.Action.REFUSAL, article=refused, actor=user, reason="No.")
        OverrideRequest.objects.create(article=refused, asked_by=user, note="Agreed by phone.")

    (shelf,) = [s for d in desks_for(user, at=now) for s in d.shelves if s.name == name]
    client.force_login(user)
    shown = listed(client, name)

    assert shelf.count == len(shown) > 0
    assert {a.headline for a in shelf.items} <= shown
    page = client.get(reverse("admin:index")).content.decode()
    block = shelf_html(page, name)
    assert f'<span class="nr-count">{shelf.count}</span>' in block
    if shelf.count > SHELF_ITEMS:
        assert f"See all {shelf.count}" in block
        assert block.count("<li>") == SHELF_ITEMS


def test_the_blocked_list_says_how_many_more_there_are(client, make_article):
    editor = member("Editor", username="ed")
    for n in range(7):
        make_article(headline=f"Blocked story {n}", may_publish=False)
    page = front(client, editor)
    glance = page.split('id="rights-dashboard"')[1]
    assert glance.split('class="nr-blocked"')[1].split("</ul>")[0].count("<li>") == 5
    assert "See all 7" in glance
    assert "availability=blocked" in glance


def test_a_user_in_no_group_gets_no_desk(client):
    page = front(client, member(None, username="nobody"))
    assert 'class="module nr-desk"' not in page


def test_the_desks_cost_the_same_queries_with_few_items_or_many(
    client, make_article, django_assert_max_num_queries
):
    chief = member(None, username="chief")
    chief.is_superuser = True
    chief.save()
    client.force_login(chief)
    make_article(headline="One", may_publish=False)
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("admin:index"))
    for n in range(30):
        make_article(headline=f"More {n}", status="review", may_publish=bool(n % 2))
    with django_assert_max_num_queries(60) as many:
        client.get(reverse("admin:index"))
    assert len(many.captured_queries) == len(few.captured_queries)
