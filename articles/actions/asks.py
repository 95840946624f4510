"""Asking for an override, and answering: an editor refused at the gate asks a rights manager,
with a note; the rights manager grants it (the override itself, `Override`) or declines it,
with a reason. Each is audited, and the editor who asked is told."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.actions.base import Action
from articles.actions.workflow import check_move, permission_to, publish_gate
from articles.audit import AuditEntry
from articles.override_requests import OverrideRequest
from articles.permissions import require_permission, require_reason
from articles.rights import Decision
from articles.vocabulary import Status


class RequestOverride(Action):
    """An editor's request, with a note, that a rights manager override the gate's refusal."""

    label = "Ask a rights manager to override"
    permission = permission_to(Status.PUBLISHED)
    takes_reason = needs_reason = shows_gate = True

    def __init__(self, article, *, by, reason: str = ""):
        super().__init__(article, by=by)
        self.note = reason

    def check(self) -> Decision:
        """Raise unless a request makes sense now; return the refusal it asks to override."""
        require_permission(self.by, self.permission, to="ask for an override")
        self.note = require_reason(self.note, what="a request for an override")
        check_move(self.article, Status.PUBLISHED, by=self.by)
        refusal = publish_gate(self.article)
        if refusal.allowed:
            raise ValidationError("Its rights allow publication: publish it, no override needed.")
        if self.article.source.suspended:
            raise ValidationError(
                f"Its source, {self.article.source.name}, is suspended; an override cannot lift "
                "that. Ask a rights manager about the source instead."
            )
        waiting = OverrideRequest.objects.open_for(self.article)
        if waiting is not None:
            raise ValidationError(
                f"{waiting.asked_by.get_username()} asked for an override on "
                f"{waiting.asked_at:%d %b %Y %H:%M} UTC; it is waiting for a rights manager."
            )
        return refusal

    @transaction.atomic
    def execute(self) -> Decision:
        refusal = self.check()
        request = OverrideRequest.objects.create(
            article=self.article, asked_by=self.by, note=self.note
        )
        self.audit(
            AuditEntry.Action.OVERRIDE_ASKED,
            reason=self.note,
            detail={"request": request.pk, "refused": list(refusal.reasons)},
        )
        return Decision(allowed=True)


class DeclineOverride(Action):
    """A rights manager's answer no to an open request, with a reason the editor reads."""

    label = "Decline the override request"
    permission = "override_refusal"
    takes_reason = needs_reason = True

    def __init__(self, article, *, by, reason: str = ""):
        super().__init__(article, by=by)
        self.reason = reason

    def check(self) -> OverrideRequest:
        require_permission(self.by, self.permission, to="decline an override request")
        self.reason = require_reason(self.reason, what="declining an override request")
        waiting = OverrideRequest.objects.open_for(self.article)
        if waiting is None:
            raise ValidationError("No override request is waiting for this item.")
        return waiting

    @transaction.atomic
    def execute(self) -> Decision:
        waiting = self.check()
        waiting.answer_with(OverrideRequest.State.DECLINED, by=self.by, answer=self.reason)
        self.audit(
            AuditEntry.Action.OVERRIDE_DECLINED,
            reason=self.reason,
            detail={"request": waiting.pk, "asked_by": waiting.asked_by.get_username()},
        )
        return Decision(allowed=True)
