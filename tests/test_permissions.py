"""The permission matrix, cell by cell: each role tries each action through the admin."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry, Licence, Source
from articles.rights import Right
from tests.factories import AA_NOTICE, form_data, member

ROLES = ["anonymous", "Reporter", "Editor", "Rights manager"]


# --- the actions, each returning whether it took effect --------------------------------------


def view_list(client, article):
    response = client.get(reverse("admin:articles_article_changelist"))
    return response, response.status_code == 200


def edit_draft(client, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    if client.get(url).status_code != 200:
        return client.post(url, {"headline": "Edited"}), False
    data = form_data(client, url, "article_form")
    data["headline"] = "Edited headline"
    response = client.post(url, data)
    article.refresh_from_db()
    return response, article.headline == "Edited headline"


def step(name: str, *, to: str, **data):
    def take(client, article):
        response = client.post(reverse(f"admin:articles_article_{name}", args=[article.pk]), data)
        article.refresh_from_db()
        return response, article.status == to

    return take


def schedule(client, article):
    at = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return step("publish", to=Article.Status.SCHEDULED, at=at)(client, article)


def change_rights(client, article):
    url = reverse("admin:articles_article_change", args=[article.pk])
    if client.get(url).status_code != 200:
        return client.post(url, {"may_broadcast": "on"}), False
    data = form_data(client, url, "article_form")
    data.update(may_broadcast="on", rights_settled="on", reason="Contract 7 allows broadcast.")
    response = client.post(url, data)
    article.refresh_from_db()
    return response, article.may_broadcast


def edit_licence(client, article):
    licence = Licence.objects.get(source=article.source)
    url = reverse("admin:articles_licence_change", args=[licence.pk])
    data = form_data(client, url, "licence_form") if client.get(url).status_code == 200 else {}
    data["notes"] = "Renegotiated."
    response = client.post(url, data)
    licence.refresh_from_db()
    return response, licence.notes == "Renegotiated."


def edit_source(client, article):
    url = reverse("admin:articles_source_change", args=[article.source.pk])
    data = form_data(client, url, "source_form") if client.get(url).status_code == 200 else {}
    data["credit_line"] = "AA"
    response = client.post(url, data)
    article.source.refresh_from_db()
    return response, article.source.credit_line == "AA"


def view_audit(client, article):
    response = client.get(reverse("admin:articles_auditentry_changelist"))
    return response, response.status_code == 200


def export_audit(client, article):
    response = client.get(reverse("admin:articles_auditentry_export"))
    return response, response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def ingest_page(client, article):
    response = client.get(reverse("admin:articles_article_ingest"))
    return response, response.status_code == 200 and b'type="file"' in response.content


# action: (what it needs of the article, the roles that may take it)
MATRIX = {
    "view list": (view_list, "draft", {"Reporter", "Editor", "Rights manager"}),
    "edit draft": (edit_draft, "draft", {"Reporter", "Editor", "Rights manager"}),
    "publish": (step("publish", to="published"), "draft", {"Editor"}),
    "schedule": (schedule, "draft", {"Editor"}),
    "withdraw": (step("withdraw", to="withdrawn", reason="Wrong score."), "published", {"Editor"}),
    "kill": (step("kill", to="killed", reason="Court order."), "published", {"Rights manager"}),
    "change rights": (change_rights, "draft", {"Rights manager"}),
    "override": (
        step("override", to="published", reason="Deal by phone."),
        "restricted",
        {"Rights manager"},
    ),
    "edit licence": (edit_licence, "draft", {"Rights manager"}),
    "edit source": (edit_source, "draft", {"Rights manager"}),
    "view audit": (view_audit, "draft", {"Editor", "Rights manager"}),
    "export audit": (export_audit, "draft", {"Editor", "Rights manager"}),
    "ingest upload": (ingest_page, "draft", {"Reporter", "Editor"}),
}


@pytest.fixture
def agency_article(make_article, make_source, make_licence):
    def make(kind: str) -> Article:
        source = make_source("Anadolu Agency")
        make_licence(source, Right.PUBLISH, reference="AA-1")
        if kind == "restricted":
            return make_article(
                source=source,
                status="draft",
                published_at=None,
                may_publish=False,
                copyright_notice=AA_NOTICE,
                rights_basis={"publish": "notice"},
            )
        fields = {"status": "draft", "published_at": None} if kind == "draft" else {}
        return make_article(
            source=source,
            may_broadcast=False,
            rights_basis={**dict.fromkeys(Right, "licence"), "broadcast": "notice"},
            **fields,
        )

    return make


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(client, agency_article, role, action):
    take, kind, allowed_roles = MATRIX[action]
    article = agency_article(kind)
    if role != "anonymous":
        client.force_login(member(role))
    response, took_effect = take(client, article)
    if role == "anonymous":
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
        assert not took_effect
    elif role in allowed_roles:
        assert took_effect, (response.status_code, response.content[:2000])
    else:
        assert not took_effect
        assert response.status_code in (200, 302, 403)


@pytest.mark.parametrize("role", ["Reporter", "Editor"])
def test_a_forged_post_cannot_change_rights_or_publish(client, agency_article, role):
    article = agency_article("restricted")
    client.force_login(member(role))
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client, url, "article_form")
    data.update(
        may_publish="on",
        rights_settled="on",
        territories="",
        copyright_notice="",
        source=str(Source.objects.create(name="Staff", slug="staff", kind="staff").pk),
        rights_basis='{"publish": "licence"}',
        rights_set_by_hand="on",
        reason="forged",
    )
    client.post(url, data)
    article.refresh_from_db()
    assert not article.may_publish
    assert article.copyright_notice == AA_NOTICE
    assert article.source.name == "Anadolu Agency"
    assert article.rights_basis == {"publish": "notice"}
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.RIGHTS_CHANGE).exists()


def test_a_reporter_may_choose_only_draft_or_review(client, agency_article):
    article = agency_article("draft")
    client.force_login(member("Reporter"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.get(url)
    choices = [value for value, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == ["draft", "review"]
    data = form_data(client, url, "article_form")
    data.update(status="published", published_at_0="2020-01-01", published_at_1="10:00")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == "draft"


def test_a_user_in_no_group_sees_nothing(client, agency_article):
    agency_article("draft")
    client.force_login(member(None))
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
    assert client.get(reverse("admin:articles_auditentry_changelist")).status_code == 403


def test_a_refused_step_says_who_may_take_it(client, agency_article):
    article = agency_article("published")
    client.force_login(member("Reporter", username="rita"))
    response = client.post(reverse("admin:articles_article_publish", args=[article.pk]))
    assert response.status_code == 403
    assert "Only editors may publish or schedule; rita may not." in response.content.decode()
