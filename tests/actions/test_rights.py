"""A licence changed later re-derives the rights of every item relying on it, in one transaction,
recorded; rights a rights manager set by hand stay as set."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.actions import LicenceChanged
from articles.models import Article, AuditEntry, Licence
from articles.rights import Right
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
    manager = member("Rights manager")
    licence = Licence(source=agency, grants_publish=True, reference="AA-2026")
    licence._history_user = manager
    licence.save()
    assert licence.rederived == [article]
    article.refresh_from_db()
    assert article.may_publish and not article.may_rewrite
    assert article.rights_basis["publish"] == "licence"
    assert article.licence == licence
    change = article.audit_entries.get(action="rights_change")
    assert change.licence == licence
    assert change.actor == manager
    assert change.detail["changes"]["may_publish"] == [False, True]
    summary = AuditEntry.objects.get(action="licence_change")
    assert (summary.licence, summary.actor) == (licence, manager)
    assert "AA-2026" in summary.reason and "1 item(s)" in summary.reason


def test_a_licence_saved_from_the_shell_rederives_as_one_saved_in_the_desk(
    client, wire_item, make_source
):
    """Two agencies' alike items; one agency's licence is added in the admin, the other's by a
    plain `Licence.objects.create()`: both items end with the same rights, bases, explanation
    (but for the names) and audit entries (but for the actor)."""
    desk_agency, shell_agency = make_source("Desk Wire"), make_source("Shell Wire")
    by_desk, by_shell = wire_item(source=desk_agency), wire_item(source=shell_agency)
    manager = member("Rights manager")
    client.force_login(manager)
    response = client.post(
        reverse("admin:articles_licence_add"),
        {
            "source": desk_agency.pk,
            "reference": "L-1",
            "grants_publish": "on",
            "grants_redistribute": "on",
            "valid_from_0": "2020-01-01",
            "valid_from_1": "00:00:00",
            "territories": "",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    desk_licence = Licence.objects.get(source=desk_agency)
    shell_licence = Licence.objects.create(
        source=shell_agency,
        reference="L-1",
        grants_publish=True,
        grants_redistribute=True,
        valid_from=desk_licence.valid_from,
    )
    assert shell_licence.rederived == [by_shell]
    desk, shell = Article.objects.get(pk=by_desk.pk), Article.objects.get(pk=by_shell.pk)
    assert desk.may_publish and desk.may_redistribute and not desk.may_rewrite
    fields = ["may_publish", "may_broadcast", "may_rewrite", "may_redistribute", "rights_basis"]
    fields += ["rights_settled", "rights_expire_at", "territories", "rights_set_by_hand"]
    assert {f: getattr(shell, f) for f in fields} == {f: getattr(desk, f) for f in fields}
    assert (desk.licence, shell.licence) == (desk_licence, shell_licence)
    assert shell.rights_explanation.replace("Shell Wire", "Desk Wire") == desk.rights_explanation
    entries = {}
    for article, licence in ((desk, desk_licence), (shell, shell_licence)):
        change = AuditEntry.objects.get(action="rights_change", article=article)
        summary = AuditEntry.objects.get(action="licence_change", licence=licence)
        assert change.licence == licence
        assert summary.detail["items"] == [article.pk]
        changes = change.detail["changes"]
        named = {changes.pop("licence")[1], changes.pop("rights_explanation")[1]}
        assert all(article.source.name in line for line in named)
        entries[article.source.name] = (changes, change.actor, summary.actor)
    assert entries["Desk Wire"][0] == entries["Shell Wire"][0]
    assert entries["Desk Wire"][0]["may_publish"] == [False, True]
    assert entries["Desk Wire"][1:] == (manager, manager)
    assert entries["Shell Wire"][1:] == (None, None)  # the shell: nobody signed in


def test_ending_a_licence_early_takes_its_grants_away(wire_item, agency, make_licence):
    licence = make_licence(agency, Right.PUBLISH)
    article = wire_item()
    licence.save(update_fields=["notes"])  # terms unchanged: nothing derived again
    assert licence.rederived is None
    article.refresh_from_db()
    assert not article.may_publish
    LicenceChanged(licence).execute()
    article.refresh_from_db()
    assert article.may_publish
    licence.valid_until = timezone.now() - DAY / 24
    licence.save()
    assert licence.rederived == [article]
    article.refresh_from_db()
    assert not article.may_publish
    assert article.rights_basis["publish"] == "notice"


def test_extending_a_licence_moves_the_items_expiry(wire_item, agency, make_licence):
    article = wire_item()
    licence = make_licence(agency, Right.PUBLISH, valid_until=timezone.now() + 10 * DAY)
    article.refresh_from_db()
    assert article.rights_expire_at == licence.valid_until
    licence.valid_until = timezone.now() + 100 * DAY
    licence.save()
    article.refresh_from_db()
    assert article.rights_expire_at == licence.valid_until


def test_rights_set_by_hand_and_other_sources_items_are_left_alone(
    wire_item, agency, make_licence, make_article
):
    by_hand = wire_item(rights_set_by_hand=True)
    staff = make_article()
    licence = make_licence(agency, Right.PUBLISH)
    assert licence.rederived == []
    assert not Article.objects.get(pk=by_hand.pk).may_publish
    assert Article.objects.get(pk=staff.pk).may_publish
    assert "0 item(s)" in AuditEntry.objects.get(action="licence_change").reason


def test_the_rederivation_is_one_transaction_with_the_licences_save(wire_item, agency, monkeypatch):
    first, second = wire_item(), wire_item()
    calls = []
    real = Article.derive_rights

    def failing(article, **kwargs):
        calls.append(article.pk)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(article, **kwargs)

    monkeypatch.setattr(Article, "derive_rights", failing)
    with pytest.raises(RuntimeError):
        Licence.objects.create(source=agency, grants_publish=True)
    assert len(calls) == 2
    assert not Article.objects.filter(pk__in=[first.pk, second.pk], may_publish=True).exists()
    assert not AuditEntry.objects.exists()
    assert not Licence.objects.exists()


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
    # Whole seconds, as the form shows them: a save from the form keeps the same start.
    start = timezone.now().replace(microsecond=0) - 30 * DAY
    licence = make_licence(agency, reference="AA-1", valid_from=start)
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_licence_change", args=[licence.pk])
    data = form_data(client, url, "licence_form")
    data["notes"] = "Called them."
    recorded = list(AuditEntry.objects.values_list("pk", flat=True))
    assert client.post(url, data).status_code == 302
    assert Licence.objects.get(pk=licence.pk).notes == "Called them."
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == recorded


def test_suspending_a_source_is_recorded(client, agency):
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_source_change", args=[agency.pk])
    data = form_data(client, url, "source_form")
    data["suspended"] = "on"
    client.post(url, data)
    entry = AuditEntry.objects.get(source=agency)
    assert "suspended" in entry.reason
