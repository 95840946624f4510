"""A licence changed later re-derives the rights of every item relying on it, in one transaction,
recorded; rights a rights manager set by hand stay as set."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry, Licence
from articles.rights import Right
from articles.workflow import licence_changed
from tests.factories import AA_NOTICE, form_data, member

DAY = datetime.timedelta(days=1)


@pytest.fixture
def agency(make_source):
    return make_source("Anadolu Agency")


@pytest.fixture
def wire_item(make_article, agency):
    """An agency item whose rights come from its notice alone, as ingest derives them."""

    def make(**fields) -> Article:
        article = make_article(
            source=agency,
            copyright_holder="Anadolu Agency",
            copyright_notice=AA_NOTICE,
            rights_basis=dict.fromkeys(Right, "notice"),
            **{f"may_{r.value}": False for r in Right},
        )
        for name, value in fields.items():
            setattr(article, name, value)
        article.save()
        return article

    return make


def test_a_new_licence_covers_items_whose_rights_came_from_the_notice(
    wire_item, agency, make_licence
):
    article = wire_item()
    licence = make_licence(agency, Right.PUBLISH, reference="AA-2026")
    manager = member("Rights manager")
    assert licence_changed(licence, by=manager) == [article]
    article.refresh_from_db()
    assert article.may_publish and not article.may_rewrite
    assert article.rights_basis["publish"] == "licence"
    assert article.licence == licence
    change = article.audit_entries.get(action="rights_change")
    assert change.licence == licence
    assert change.detail["changes"]["may_publish"] == [False, True]
    summary = AuditEntry.objects.get(action="licence_change")
    assert (summary.licence, summary.actor) == (licence, manager)
    assert "AA-2026" in summary.reason and "1 item(s)" in summary.reason


def test_ending_a_licence_early_takes_its_grants_away(wire_item, agency, make_licence):
    licence = make_licence(agency, Right.PUBLISH)
    article = wire_item()
    licence_changed(licence)
    licence.valid_until = timezone.now() - DAY / 24
    licence.save()
    licence_changed(licence)
    article.refresh_from_db()
    assert not article.may_publish
    assert article.rights_basis["publish"] == "notice"


def test_extending_a_licence_moves_the_items_expiry(wire_item, agency, make_licence):
    licence = make_licence(agency, Right.PUBLISH, valid_until=timezone.now() + 10 * DAY)
    article = wire_item()
    licence_changed(licence)
    licence.valid_until = timezone.now() + 100 * DAY
    licence.save()
    licence_changed(licence)
    article.refresh_from_db()
    assert article.rights_expire_at == licence.valid_until


def test_rights_set_by_hand_and_other_sources_items_are_left_alone(
    wire_item, agency, make_licence, make_article
):
    by_hand = wire_item(rights_set_by_hand=True)
    staff = make_article()
    licence = make_licence(agency, Right.PUBLISH)
    assert licence_changed(licence) == []
    assert not Article.objects.get(pk=by_hand.pk).may_publish
    assert Article.objects.get(pk=staff.pk).may_publish
    assert "0 item(s)" in AuditEntry.objects.get(action="licence_change").reason


def test_the_rederivation_is_one_transaction(wire_item, agency, make_licence, monkeypatch):
    first, second = wire_item(), wire_item()
    licence = make_licence(agency, Right.PUBLISH)
    from articles.ingest import loader

    calls = []
    real = loader.derive_for_article

    def failing(article, **kwargs):
        calls.append(article.pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(article, **kwargs)

    monkeypatch.setattr(loader, "derive_for_article", failing)
    with pytest.raises(RuntimeError):
        licence_changed(licence)
    assert not Article.objects.filter(pk__in=[first.pk, second.pk], may_publish=True).exists()
    assert not AuditEntry.objects.exists()


def test_editing_a_licence_in_the_admin_rederives(client, wire_item, agency, make_licence):
    licence = make_licence(agency, reference="AA-1")
    article = wire_item()
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_licence_change", args=[licence.pk])
    data = form_data(client, url, "licence_form")
    data["grants_publish"] = "on"
    response = client.post(url, data, follow=True)
    assert "the rights of 1 item(s) were derived again" in response.content.decode()
    assert Article.objects.get(pk=article.pk).may_publish


def test_a_licence_added_on_the_source_page_rederives(client, wire_item, agency):
    article = wire_item()
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_source_change", args=[agency.pk])
    data = form_data(client, url, "source_form")
    now = timezone.now() - DAY
    data.update(
        {
            "licences-TOTAL_FORMS": "1",
            "licences-0-reference": "AA-NEW",
            "licences-0-valid_from_0": f"{now:%Y-%m-%d}",
            "licences-0-valid_from_1": f"{now:%H:%M:%S}",
            "licences-0-grants_publish": "on",
            "licences-0-grants_broadcast": "on",
        }
    )
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.may_publish and article.may_broadcast
    assert Licence.objects.get(reference="AA-NEW").audit_entries.count() == 2


def test_editing_only_the_notes_does_not_rederive(client, agency, make_licence):
    licence = make_licence(agency, reference="AA-1")
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_licence_change", args=[licence.pk])
    data = form_data(client, url, "licence_form")
    data["notes"] = "Called them."
    client.post(url, data)
    assert not AuditEntry.objects.exists()


def test_suspending_a_source_is_recorded(client, agency):
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_source_change", args=[agency.pk])
    data = form_data(client, url, "source_form")
    data["suspended"] = "on"
    client.post(url, data)
    entry = AuditEntry.objects.get(source=agency)
    assert "suspended" in entry.reason
