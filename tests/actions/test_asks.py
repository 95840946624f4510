"""Asking for an override: an editor refused at the gate asks with a note; a rights manager
grants it (the override itself) or declines it with a reason; each is audited and the editor
who asked is told."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from articles.actions import DeclineOverride, Override, RequestOverride
from articles.audit import AuditEntry
from articles.models import OverrideRequest
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = member("Editor", username="ed")
    user.email = "ed@news.example"
    user.save()
    return user


def ask(article, by, note="The AA desk agreed by phone."):
    return RequestOverride(article, by=by, reason=note).execute()


def test_an_editor_refused_at_the_gate_asks_with_a_note_and_it_is_audited(restricted, editor):
    assert ask(restricted, editor).allowed
    (request,) = OverrideRequest.objects.all()
    assert (request.state, request.asked_by, request.note) == (
        "open",
        editor,
        "The AA desk agreed by phone.",
    )
    entry = AuditEntry.objects.get(action=AuditEntry.Action.OVERRIDE_ASKED)
    assert entry.actor == editor and entry.reason == "The AA desk agreed by phone."
    assert entry.detail["request"] == request.pk and entry.detail["refused"]


def test_a_request_needs_a_note_a_refusal_and_no_other_waiting(restricted, editor, make_article):
    with pytest.raises(ValidationError, match="Give a reason"):
        ask(restricted, editor, note="  ")
    with pytest.raises(ValidationError, match="publish it, no override needed"):
        ask(make_article(headline="Cleared", status="draft"), editor)
    ask(restricted, editor)
    with pytest.raises(ValidationError, match="ed asked for an override on"):
        ask(restricted, member("Editor", username="other"))
    assert OverrideRequest.objects.count() == 1


def test_a_reporter_cannot_ask(restricted):
    with pytest.raises(PermissionDenied):
        ask(restricted, member("Reporter", username="rita"))
    assert not RequestOverride.offered(restricted, by=member("Reporter", username="rob"))


def test_the_override_grants_the_open_request_and_tells_the_editor(
    restricted, editor, django_capture_on_commit_callbacks
):
    ask(restricted, editor)
    rosa = member("Rights manager", username="rosa")
    with django_capture_on_commit_callbacks(execute=True):
        Override(restricted, by=rosa, reason="Licence agreed; contract to follow.").execute()
    (told,) = mail.outbox
    assert told.subject == f"Override granted: {restricted}"
    request = OverrideRequest.objects.get()
    assert (request.state, request.answered_by, request.answer) == (
        "granted",
        rosa,
        "Licence agreed; contract to follow.",
    )
    override = AuditEntry.objects.get(action=AuditEntry.Action.OVERRIDE)
    assert override.detail["request"] == request.pk
    assert not RequestOverride.offered(restricted, by=editor)  # it is out now


def test_a_rights_manager_declines_with_a_reason_and_the_editor_is_told(
    restricted, editor, django_capture_on_commit_callbacks
):
    ask(restricted, editor)
    rosa = member("Rights manager", username="rosa")
    with pytest.raises(ValidationError, match="Give a reason"):
        DeclineOverride(restricted, by=rosa, reason="").execute()
    with django_capture_on_commit_callbacks(execute=True):
        DeclineOverride(restricted, by=rosa, reason="No licence covers Anadolu yet.").execute()
    request = OverrideRequest.objects.get()
    assert (request.state, request.answer) == ("declined", "No licence covers Anadolu yet.")
    (told,) = mail.outbox
    assert told.to == ["ed@news.example"]
    assert "declined by rosa" in told.body and "No licence covers Anadolu yet." in told.body
    entry = AuditEntry.objects.get(action=AuditEntry.Action.OVERRIDE_DECLINED)
    assert entry.detail == {"request": request.pk, "asked_by": "ed"}
    with pytest.raises(ValidationError, match="No override request is waiting"):
        DeclineOverride(restricted, by=rosa, reason="Again.").execute()
    assert RequestOverride.offered(restricted, by=editor)  # they may ask again


def test_an_editor_may_not_decline(restricted, editor):
    ask(restricted, editor)
    with pytest.raises(PermissionDenied):
        DeclineOverride(restricted, by=editor, reason="Never mind.").execute()
