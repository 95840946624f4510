"""What every editorial action is: `check()` whether it may happen, then `execute()` it.

In the shape of Wagtail's actions: the action object holds the item, the person and their
words; `check()` raises if the workflow, a permission or a missing reason stands in the way;
`execute()` checks, makes the change in one transaction and writes its own audit entry. The
models keep thin methods that build and execute one; the desk calls the same objects.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from articles.audit import AuditEntry
from articles.rights import Decision
from articles.vocabulary import Right


class Action:
    """One editorial action on one item, by `by` (None: the newsroom itself, as ingest).

    Where an action has a page of its own on the desk, its class says what the page shows and
    asks: `label`, the `permission` it needs, whether it takes a reason (`needs_reason`
    required, `takes_reason` offered) and a publication time (`takes_time`).
    """

    do_not_call_in_templates = True  # a page's template reads the class's attributes

    label = ""
    permission = ""
    takes_reason = False
    needs_reason = False
    takes_time = False
    shows_gate = False  # its page shows the whole publish gate (rights and copy check)

    def __init__(self, article, *, by=None):
        self.article = article
        self.by = by

    def check(self) -> None:
        """Raise `PermissionDenied` or `ValidationError` unless the action may happen now."""

    @classmethod
    def offered(cls, article, *, by) -> bool:
        """Whether the desk offers the step now: it would pass its checks, the words a person
        gives it aside. The desk offers only the steps that can succeed."""
        words = {"reason": "(offered)"} if cls.takes_reason or cls.needs_reason else {}
        try:
            cls(article, by=by, **words).check()
        except (PermissionDenied, ValidationError):
            return False
        return True

    def execute(self):
        raise NotImplementedError

    def audit(self, action: str, *, reason: str = "", **kwargs) -> AuditEntry:
        """An entry about the item, named by its kind (`article=`, or `picture=` for an action
        that serves pictures too), with its source."""
        item = self.article
        return AuditEntry.record(
            action,
            **{item._meta.model_name: item},
            source=item.source,
            actor=self.by,
            reason=reason,
            **kwargs,
        )


def record_refusal(
    article, decision: Decision, *, by, right: Right = Right.PUBLISH, fields=()
) -> AuditEntry:
    """Record a refusal in the audit log; `fields`: the text fields of a refused live edit."""
    detail = {"right": right.value, "reasons": list(decision.reasons)}
    if fields:
        detail["fields"] = list(fields)
    return AuditEntry.record(
        AuditEntry.Action.REFUSAL,
        article=article,
        actor=by,
        reason=decision.explanation,
        detail=detail,
    )


def append_line(explanation: str, line: str) -> str:
    """An item's rights explanation with one more line, as a rights manager's hand adds them."""
    return f"{explanation} {line}".strip()
