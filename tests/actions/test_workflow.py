"""The workflow's transitions: each sets its fields together, checks the actor, and is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.rights import Right, decide, refusal_status
from tests.factories import AA_NOTICE, FILLER, WIRE, form_data, member, shared_table

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def draft(make_article):
    return make_article(status="draft", published_at=None)


def actions(article: Article) -> list[str]:
    return list(article.audit_entries.order_by("id").values_list("action", flat=True))


# --- publish ----------------------------------------------------------------------------------


def test_an_editor_publishes_and_the_entry_names_them(draft):
    editor = member("Editor")
    assert draft.publish(by=editor).allowed
    draft.refresh_from_db()
    assert draft.status == "published"
    entry = draft.audit_entries.get()
    assert (entry.action, entry.actor) == ("publish", editor)
    assert draft.history.first().history_user == editor


@pytest.mark.parametrize("role", ["Reporter", "Rights manager", None])
def test_only_editors_may_publish(draft, role):
    with pytest.raises(PermissionDenied, match="Only editors may publish an item"):
        draft.publish(by=member(role))
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not draft.audit_entries.exists()


def test_the_newsroom_itself_may_publish_for_ingest_from_the_command_line(draft):
    assert draft.publish(by=None).allowed
    assert draft.audit_entries.get().actor is None


def test_a_refusal_names_the_right_source_notice_and_remedy_and_is_recorded(restricted):
    decision = restricted.publish(by=member("Editor"))
    assert not decision.allowed
    (reason,) = decision.reasons
    assert "Anadolu Agency's notice forbids publication" in reason
    assert AA_NOTICE in reason
    assert "A licence from Anadolu Agency granting publication" in reason
    entry = restricted.audit_entries.get()
    assert entry.action == "refusal"
    assert entry.detail["reasons"] == [reason]
    restricted.refresh_from_db()
    assert restricted.status == "draft"


def test_publishing_in_the_future_schedules_and_the_item_waits(draft, now):
    draft.publish(by=member("Editor"), at=now + HOUR)
    draft.refresh_from_db()
    assert draft.status == "scheduled"
    assert not decide(draft, Right.PUBLISH, at=now).allowed
    assert decide(draft, Right.PUBLISH, at=now + HOUR).allowed


def test_a_killed_item_is_never_published_again(make_article):
    article = make_article(status="killed")
    with pytest.raises(ValidationError, match="A kill is final"):
        article.publish(by=member("Editor"))


def test_publish_counts_the_version_from_the_stored_row(draft):
    stale = Article.objects.get(pk=draft.pk)
    Article.objects.filter(pk=draft.pk).update(version=5)
    stale.publish(by=member("Editor"))
    assert Article.objects.get(pk=draft.pk).version == 6


# --- review and draft ---------------------------------------------------------------------------


def test_a_reporter_submits_a_draft_for_review_and_takes_it_back(draft):
    reporter = member("Reporter")
    draft.submit_for_review(by=reporter)
    assert Article.objects.get(pk=draft.pk).status == "review"
    draft.return_to_draft(by=reporter)
    assert Article.objects.get(pk=draft.pk).status == "draft"
    assert actions(draft) == ["review", "draft"]


def test_a_reporter_cannot_take_a_published_item_back_to_draft(make_article):
    article = make_article()
    with pytest.raises(ValidationError, match="cannot be moved to “Draft”"):
        article.return_to_draft(by=member("Reporter"))


def test_nobody_signed_in_cannot_submit_for_review(draft):
    with pytest.raises(PermissionDenied, match="an anonymous visitor may not"):
        draft.submit_for_review(by=None)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Reporter", ["draft", "review"]),
        ("Editor", ["draft", "review", "scheduled", "published"]),
        ("Rights manager", ["draft", "review", "killed"]),
    ],
)
def test_each_role_is_offered_only_the_moves_it_may_make(draft, role, expected):
    assert [value for value, _ in draft.status_choices_for(member(role))] == expected


# --- withdraw and kill ------------------------------------------------------------------------


def test_an_editor_withdraws_with_a_reason_and_the_item_is_gone(make_article):
    article = make_article()
    article.withdraw(by=member("Editor"), reason="The score was wrong.")
    article.refresh_from_db()
    assert article.status == "withdrawn"
    assert refusal_status(article) == 410
    entry = article.audit_entries.get()
    assert (entry.action, entry.reason) == ("withdraw", "The score was wrong.")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_withdrawal_needs_a_reason(make_article, reason):
    article = make_article()
    with pytest.raises(ValidationError, match="Give a reason for a withdrawal"):
        article.withdraw(by=member("Editor"), reason=reason)
    assert Article.objects.get(pk=article.pk).status == "published"


def test_only_a_published_or_scheduled_item_can_be_withdrawn(draft):
    with pytest.raises(ValidationError):
        draft.withdraw(by=member("Editor"), reason="x")


def test_a_rights_manager_kills_an_item_for_legal_reasons(make_article):
    article = make_article()
    article.kill(by=member("Rights manager"), reason="Court order 12/2025.")
    article.refresh_from_db()
    assert article.status == "killed"
    assert refusal_status(article) == 410
    assert not Article.objects.permitting(Right.PUBLISH).filter(pk=article.pk).exists()
    assert article.audit_entries.get().reason == "Court order 12/2025."


@pytest.mark.parametrize("role", ["Reporter", "Editor"])
def test_only_rights_managers_may_kill(make_article, role):
    article = make_article()
    with pytest.raises(PermissionDenied, match="Only rights managers may kill an item"):
        article.kill(by=member(role), reason="x")


def test_a_kill_needs_a_reason(make_article):
    with pytest.raises(ValidationError, match="Give a reason for a kill"):
        make_article().kill(by=member("Rights manager"), reason="")


def test_change_status_dispatches_to_the_transition(draft):
    decision = draft.change_status("review", by=member("Reporter"))
    assert decision.allowed
    assert actions(draft) == ["review"]


# --- override -----------------------------------------------------------------------------------


def test_a_rights_manager_overrides_with_a_reason_and_publication_proceeds(restricted):
    manager = member("Rights manager")
    decision = restricted.override(by=manager, reason="Verbal licence from AA desk, ref 7.")
    assert decision.allowed
    restricted.refresh_from_db()
    assert restricted.status == "published"
    assert restricted.may_publish
    assert restricted.rights_basis["publish"] == "override"
    assert restricted.rights_set_by_hand
    assert "Verbal licence from AA desk" in restricted.rights_explanation
    assert actions(restricted) == ["override", "publish"]
    entry = restricted.audit_entries.get(action="override")
    assert entry.actor == manager
    assert any("notice forbids publication" in r for r in entry.detail["overridden"])


def test_an_override_settles_unsettled_rights_and_lifts_a_past_expiry(make_article, now):
    article = make_article(
        status="draft", published_at=None, rights_settled=False, rights_expire_at=now - HOUR
    )
    assert article.override(by=member("Rights manager"), reason="Reviewed.").allowed
    article.refresh_from_db()
    assert article.rights_settled
    assert article.rights_expire_at is None


@pytest.mark.parametrize("reason", ["", "  \n"])
def test_an_override_needs_a_written_reason(restricted, reason):
    with pytest.raises(ValidationError, match="Give a reason for an override"):
        restricted.override(by=member("Rights manager"), reason=reason)
    assert not Article.objects.get(pk=restricted.pk).may_publish


@pytest.mark.parametrize("role", ["Reporter", "Editor"])
def test_only_rights_managers_may_override(restricted, role):
    with pytest.raises(PermissionDenied, match="Only rights managers may override"):
        restricted.override(by=member(role), reason="Because.")


def test_an_override_cannot_lift_a_suspended_source(restricted):
    restricted.source.suspended = True
    restricted.source.save()
    with pytest.raises(ValidationError, match="is suspended"):
        restricted.override(by=member("Rights manager"), reason="x")
    assert Article.objects.get(pk=restricted.pk).status == "draft"


def test_there_is_nothing_to_override_when_rights_allow_it(draft):
    with pytest.raises(ValidationError, match="nothing to override"):
        draft.override(by=member("Rights manager"), reason="x")


# --- rights by hand -----------------------------------------------------------------------------


def test_a_rights_manager_sets_rights_with_a_reason_recorded(restricted):
    manager = member("Rights manager")
    changes = restricted.set_rights(
        by=manager, reason="Contract AA-9 signed.", may_publish=True, territories={"GB"}
    )
    assert changes == {"may_publish": [False, True], "territories": [[], ["GB"]]}
    restricted.refresh_from_db()
    assert restricted.may_publish
    assert restricted.territories == {"GB"}
    assert restricted.rights_basis["publish"] == "manual"
    assert restricted.rights_set_by_hand
    entry = restricted.audit_entries.get()
    assert (entry.action, entry.reason, entry.actor) == (
        "rights_change",
        "Contract AA-9 signed.",
        manager,
    )
    assert entry.detail["changes"]["may_publish"] == [False, True]


@pytest.mark.parametrize("role", ["Reporter", "Editor"])
def test_only_rights_managers_may_set_rights(restricted, role):
    with pytest.raises(PermissionDenied, match="Only rights managers may change"):
        restricted.set_rights(by=member(role), reason="x", may_publish=True)
    assert not Article.objects.get(pk=restricted.pk).may_publish


def test_set_rights_needs_a_reason_and_touches_only_rights_fields(restricted):
    manager = member("Rights manager")
    with pytest.raises(ValidationError):
        restricted.set_rights(by=manager, reason="", may_publish=True)
    with pytest.raises(TypeError, match="Not rights fields: headline, status"):
        restricted.set_rights(by=manager, reason="x", status="published", headline="Hi")


def test_setting_rights_to_what_they_are_records_nothing(restricted):
    assert restricted.set_rights(by=member("Rights manager"), reason="x", may_publish=False) == {}
    assert not restricted.audit_entries.exists()


# --- the change form goes through the same gate -----------------------------------------------


def test_publishing_through_the_form_is_refused_with_the_reasons_and_the_form_kept(
    client, restricted
):
    client.force_login(member("Editor"))
    url = reverse("admin:articles_article_change", args=[restricted.pk])
    data = form_data(client, url, "article_form")
    data.update(status="published", dateline="ISTANBUL")
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["status"]
    assert errors[0] == "Publication refused."
    assert any("notice forbids publication" in e for e in errors)
    assert 'value="ISTANBUL"' in response.content.decode()
    restricted.refresh_from_db()
    assert (restricted.status, restricted.dateline) == ("draft", "")
    assert actions(restricted) == ["refusal"]


def test_publishing_through_the_form_goes_through_publish(client, draft):
    client.force_login(member("Editor"))
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = form_data(client, url, "article_form")
    data.update(status="published")
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert draft.published_at is not None
    assert actions(draft) == ["publish"]


def test_scheduling_through_the_form_needs_a_future_time(client, draft):
    client.force_login(member("Editor"))
    url = reverse("admin:articles_article_change", args=[draft.pk])
    data = form_data(client, url, "article_form")
    data.update(status="scheduled")
    response = client.post(url, data)
    assert "published_at" in response.context["adminform"].form.errors
    later = timezone.now() + 2 * HOUR
    data.update(published_at_0=f"{later:%Y-%m-%d}", published_at_1=f"{later:%H:%M:%S}")
    assert client.post(url, data).status_code == 302
    assert Article.objects.get(pk=draft.pk).status == "scheduled"


def test_withdrawing_through_the_form_needs_a_reason(client, make_article):
    article = make_article()
    client.force_login(member("Editor"))
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client, url, "article_form")
    data.update(status="withdrawn")
    response = client.post(url, data)
    assert "reason" in response.context["adminform"].form.errors
    data.update(reason="Legal asked us to.")
    assert client.post(url, data).status_code == 302
    assert article.audit_entries.get().reason == "Legal asked us to."


def test_a_rights_manager_changes_rights_through_the_form_with_a_reason(client, restricted):
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_article_change", args=[restricted.pk])
    data = form_data(client, url, "article_form")
    data.update(may_publish="on")
    response = client.post(url, data)
    assert "reason" in response.context["adminform"].form.errors
    data.update(reason="Licence AA-2 covers it.")
    assert client.post(url, data).status_code == 302
    restricted.refresh_from_db()
    assert restricted.may_publish
    assert restricted.audit_entries.get().reason == "Licence AA-2 covers it."


def test_a_new_staff_story_gets_staff_rights_and_starts_as_a_draft(client, make_source):
    staff = make_source("Our desk", kind="staff")
    client.force_login(member("Reporter"))
    url = reverse("admin:articles_article_add")
    data = form_data(client, url, "article_form")
    data.update(headline="Council votes", slug="council-votes", source=str(staff.pk))
    data.update(status="review", may_publish="on")
    assert client.post(url, data).status_code == 302
    article = Article.objects.get(slug="council-votes")
    assert article.status == "review"
    assert all(article.grants(r) for r in Right)
    assert set(article.rights_basis.values()) == {"staff"}


# --- the admin's actions and pages ----------------------------------------------------------------


def test_the_bulk_publish_action_publishes_what_it_may_and_reports_each_refusal(
    client, draft, restricted
):
    client.force_login(member("Editor"))
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk, restricted.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "Published 1 article(s)." in text
    assert "refused" in text and "notice forbids publication" in text
    assert Article.objects.get(pk=draft.pk).status == "published"
    assert Article.objects.get(pk=restricted.pk).status == "draft"


def test_the_bulk_publish_action_is_not_offered_to_reporters(client, draft):
    client.force_login(member("Reporter"))
    response = client.get(reverse("admin:articles_article_changelist"))
    assert "publish_selected" not in response.content.decode()
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    assert Article.objects.get(pk=draft.pk).status == "draft"


def test_the_publish_page_shows_the_refusal_and_offers_a_rights_manager_the_override(
    client, restricted
):
    client.force_login(member("Editor"))
    url = reverse("admin:articles_article_publish", args=[restricted.pk])
    assert "The publish gate would refuse it now" in client.get(url).content.decode()
    response = client.post(url, {"reason": "", "at": ""})
    assert response.status_code == 200
    assert "Publication refused" in response.content.decode()
    assert "notice forbids publication" in response.content.decode()
    assert "Override the refusal" not in response.content.decode()


def test_the_override_page_demands_a_reason(client, restricted):
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_article_override", args=[restricted.pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert Article.objects.get(pk=restricted.pk).status == "draft"
    response = client.post(url, {"reason": "Signed today."})
    assert response.status_code == 302
    assert Article.objects.get(pk=restricted.pk).status == "published"


# --- the workflow pages show the copy check before the step is taken ------------------------------


@pytest.fixture
def copied(wire, make_article, desk):
    """A staff draft that copies 35 words of agency copy whose text may not be reused."""
    return make_article(
        source=desk,
        status="draft",
        published_at=None,
        body=f"<p>{FILLER} {' '.join(WIRE.split()[10:45])}</p>",
    )


@pytest.mark.parametrize(
    ("role", "action"), [("Editor", "publish"), ("Rights manager", "override")]
)
def test_the_publication_pages_show_the_copy_refusal_and_its_passages_before_a_post(
    client, copied, role, action
):
    client.force_login(member(role))
    response = client.get(reverse(f"admin:articles_article_{action}", args=[copied.pk]))
    text = response.content.decode()
    gate = text.split('id="nr-gate"')[1].split("</div>")[0]
    assert "The publish gate would refuse it now" in gate
    assert "with copy whose text may not be reused: “Central bank holds rates” from Meridian" in (
        gate
    )
    table = shared_table(gate)
    assert " ".join(WIRE.lower().split()[10:16]) in table
    assert "Central bank holds rates</a><br><small>Meridian Press Agency</small>" in table
    assert "Copyright 2026 Meridian Press Agency. All rights reserved." in table
    assert gate.count("It shares") == 1  # the reason once, not again above the table
    assert not copied.audit_entries.exists()  # looking is not a refusal


def test_a_refused_publication_keeps_the_passages_beside_the_reasons(client, copied):
    client.force_login(member("Editor"))
    response = client.post(reverse("admin:articles_article_publish", args=[copied.pk]), {})
    refusal = response.content.decode().split('id="nr-refusal"')[1]
    assert "Publication refused" in refusal
    assert "Central bank holds rates" in shared_table(refusal)


def test_the_publish_page_shows_short_quotations_without_a_refusal(client, copied):
    quote = " ".join(WIRE.split()[60:72])
    Article.objects.filter(pk=copied.pk).update(
        body=f"<p>{FILLER} {FILLER} The governor said “{quote}”. {FILLER}</p>"
    )
    client.force_login(member("Editor"))
    text = client.get(reverse("admin:articles_article_publish", args=[copied.pk])).content.decode()
    assert "The publish gate would refuse it now" not in text
    shared = text.split('id="nr-shared"')[1]
    assert "Short quotations only (12 of" in shared
    assert "Central bank holds rates" in shared_table(shared)


def test_the_withdraw_page_does_not_show_the_copy_check(client, copied):
    client.force_login(member("Editor"))
    text = client.get(reverse("admin:articles_article_withdraw", args=[copied.pk])).content.decode()
    assert "nr-shared" not in text and "Central bank holds rates" not in text
