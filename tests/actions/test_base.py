"""Every editorial action checks before it acts, and writes its own audit entry: a check that
refuses leaves no trace; an execution leaves exactly the entry that names what happened."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from articles.actions import (
    MOVES,
    PAGES,
    Kill,
    Override,
    Publish,
    SetRights,
    SubmitForReview,
    Withdraw,
)
from articles.models import AuditEntry
from articles.vocabulary import Status
from tests.factories import member


def entries() -> list[tuple[str, int | None]]:
    return list(AuditEntry.objects.order_by("id").values_list("action", "article_id"))


def test_a_refusing_check_writes_nothing(make_article):
    article = make_article()
    with pytest.raises(ValidationError):
        Withdraw(article, by=member("Editor"), reason="  ").check()
    with pytest.raises(PermissionDenied):
        Kill(article, by=member("Editor"), reason="Legal").check()
    with pytest.raises(PermissionDenied):
        SetRights(article, by=member("Editor"), reason="x", may_publish=False).check()
    assert entries() == []
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_each_execution_writes_its_own_entry(make_article):
    article = make_article(status=Status.DRAFT, published_at=None)
    editor, manager = member("Editor"), member("Rights manager")
    SubmitForReview(article, by=member("Reporter")).execute()
    Publish(article, by=editor).execute()
    SetRights(article, by=manager, reason="Checked the contract", may_broadcast=False).execute()
    Withdraw(article, by=editor, reason="Correction pending").execute()
    assert entries() == [
        ("review", article.pk),
        ("publish", article.pk),
        ("rights_change", article.pk),
        ("withdraw", article.pk),
    ]
    withdrawal = AuditEntry.objects.get(action="withdraw")
    assert (withdrawal.actor, withdrawal.reason) == (editor, "Correction pending")
    assert withdrawal.detail == {"from": "published", "to": "withdrawn"}


def test_the_gate_alone_writes_nothing_and_a_judged_refusal_one_entry(restricted):
    action = Publish(restricted, by=member("Editor"))
    assert not action.gate().allowed
    assert entries() == []
    decision = action.judge()
    assert not decision.allowed
    (refusal,) = AuditEntry.objects.all()
    assert refusal.action == "refusal" and refusal.detail["reasons"] == list(decision.reasons)
    restricted.refresh_from_db()
    assert restricted.status == Status.DRAFT


def test_an_override_of_nothing_is_refused_before_anything_is_written(make_article):
    article = make_article(status=Status.DRAFT, published_at=None)
    with pytest.raises(ValidationError, match="nothing to override"):
        Override(article, by=member("Rights manager"), reason="Cleared").execute()
    assert entries() == []


def test_the_desk_pages_permissions_come_from_the_one_table_of_moves():
    assert PAGES["publish"].permission == MOVES[Status.PUBLISHED][Status.DRAFT]
    assert PAGES["withdraw"].permission == MOVES[Status.WITHDRAWN][Status.PUBLISHED]
    assert PAGES["kill"].permission == MOVES[Status.KILLED][Status.PUBLISHED]
    assert PAGES["override"].permission == "override_refusal"
    assert PAGES["ask"].permission == PAGES["publish"].permission
    assert PAGES["decline"].permission == "override_refusal"
    assert [name for name, step in PAGES.items() if step.needs_reason] == [
        "ask",
        "override",
        "decline",
        "withdraw",
        "kill",
    ]
