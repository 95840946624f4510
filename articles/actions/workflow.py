"""The workflow's actions: review, draft, publish or schedule, override, withdraw, kill.

`MOVES` is the one table of the workflow: for each status, the statuses an item may come
from and the permission the move needs. A kill is final; a published item leaves through a
withdrawal (with a reason), not a quiet return to draft.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.actions.base import Action, append_line, record_refusal
from articles.audit import AuditEntry, field_changes
from articles.override_requests import OverrideRequest
from articles.permissions import require_permission, require_reason
from articles.rights import Decision, clearance
from articles.signals import picture_reports, text_reports
from articles.vocabulary import LIVE_STATUSES, NOT_KILLED, OVERRIDE_FIELDS, Basis, Right, Status

MOVES: dict[str, dict[str, str]] = {
    Status.DRAFT: {
        Status.REVIEW: "change_article",
        Status.SCHEDULED: "publish_article",
        Status.WITHDRAWN: "publish_article",
    },
    Status.REVIEW: {Status.DRAFT: "change_article"},
    Status.SCHEDULED: dict.fromkeys(NOT_KILLED, "publish_article"),
    Status.PUBLISHED: dict.fromkeys(NOT_KILLED, "publish_article"),
    Status.WITHDRAWN: dict.fromkeys(LIVE_STATUSES, "publish_article"),
    Status.KILLED: dict.fromkeys(NOT_KILLED, "kill_article"),
}
MOVE_VERBS = {
    Status.DRAFT: "return an item to draft",
    Status.REVIEW: "submit an item for review",
    Status.SCHEDULED: "schedule an item",
    Status.PUBLISHED: "publish an item",
    Status.WITHDRAWN: "withdraw an item",
    Status.KILLED: "kill an item",
}


def status_choices_for(article, user) -> list[tuple[str, str]]:
    """The statuses `user` may move `article` to, its present one included."""
    return [
        (status.value, status.label)
        for status in Status
        if status == article.status
        or (
            article.status in MOVES[status]
            and user.has_perm(f"articles.{MOVES[status][article.status]}")
        )
    ]


def check_move(article, to: str, *, by, system: bool = False) -> None:
    """Refuse a move the workflow does not allow, or one that `by` lacks the permission for.

    `system` admits `by=None` as the newsroom itself (ingest run from the command line).
    """
    if article.status not in MOVES[to]:
        raise ValidationError(
            f"A {Status(article.status).label.lower()} item cannot be moved to "
            f"“{Status(to).label}”."
            + (" A kill is final." if article.status == Status.KILLED else "")
        )
    if not (system and by is None):
        require_permission(by, MOVES[to][article.status], to=MOVE_VERBS[to])


def publish_gate(article, *, at: datetime.datetime | None = None, reports=None) -> Decision:
    """The publish gate's test: the item's rights, then the text it shares with other copy,
    then whether its lead picture copies a protected one.

    A story that shares more than the threshold with copy whose text may not be reused is
    refused like any rights refusal, with the passages' items and notices named. `reports`
    are text checks of this text already made, to spare making them again.
    """
    rights = clearance(article, Right.PUBLISH, at=at)
    reports = text_reports(article) if reports is None else reports
    if article.lead_picture_id is not None:  # a story led by a copied picture is refused too
        reports = [*reports, *picture_reports(article.lead_picture, lead_of=article)]
    copied = [reason for report in reports for reason in report.reasons]
    return Decision(allowed=rights.allowed and not copied, reasons=(*rights.reasons, *copied))


def permission_to(to: Status) -> str:
    """The one permission every move to `to` needs, from `MOVES`; empty where it depends on
    the state the item leaves (a return to draft)."""
    codenames = set(MOVES[to].values())
    return codenames.pop() if len(codenames) == 1 else ""


class Move(Action):
    """A move that cannot be refused by rights: review, draft, withdrawal, kill."""

    to: Status
    entry: str
    reason_for = ""  # what the reason is for, where one is needed
    takes_reason = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.permission = permission_to(cls.to)
        cls.needs_reason = bool(cls.reason_for)

    def __init__(self, article, *, by, reason: str = ""):
        super().__init__(article, by=by)
        self.reason = reason

    def check(self) -> None:
        check_move(self.article, self.to, by=self.by)
        if self.reason_for:
            self.reason = require_reason(self.reason, what=self.reason_for)

    @transaction.atomic
    def execute(self) -> Decision:
        self.check()
        was = self.article.status
        self.article.status = self.to
        self.article.save_version("status", by=self.by)
        self.audit(self.entry, reason=self.reason, detail={"from": was, "to": self.to})
        return Decision(allowed=True)


class SubmitForReview(Move):
    to, entry = Status.REVIEW, AuditEntry.Action.REVIEW


class ReturnToDraft(Move):
    to, entry = Status.DRAFT, AuditEntry.Action.DRAFT


class Withdraw(Move):
    """Take a published or scheduled item down from every channel (410 Gone)."""

    to, entry, reason_for = Status.WITHDRAWN, AuditEntry.Action.WITHDRAW, "a withdrawal"
    label = "Withdraw"


class Kill(Move):
    """Remove the item for legal reasons: gone (410) from every channel, for good.

    Articles are never deleted, since their audit history must stay whole; a kill is how one
    goes.
    """

    to, entry, reason_for = Status.KILLED, AuditEntry.Action.KILL, "a kill"
    label = "Kill"


class Publish(Action):
    """Publish now, or schedule for `at`, through the publish gate, the one for every path.

    On refusal nothing changes but the audit log, and the gate's decision says why: its
    reasons name the right, the source and the notice, and what would change it. `by=None` is
    the newsroom itself (ingest from the command line); a person needs the publish permission.
    """

    label, takes_time, shows_gate = "Publish or schedule", True, True
    permission = permission_to(Status.PUBLISHED)

    def __init__(self, article, *, by=None, at: datetime.datetime | None = None, reports=None):
        super().__init__(article, by=by)
        self.now = timezone.now()
        self.at = at
        self.reports = reports

    @property
    def to(self) -> Status:
        return Status.SCHEDULED if self.at is not None and self.at > self.now else Status.PUBLISHED

    def check(self) -> None:
        check_move(self.article, self.to, by=self.by, system=True)

    @classmethod
    def offered(cls, article, *, by) -> bool:
        """Offered only where the gate would let it through (a refused editor is offered a
        request for an override instead of the same refusal again), and not to what is out
        already."""
        if article.status == Status.PUBLISHED:
            return False
        return super().offered(article, by=by) and cls(article, by=by).gate().allowed

    def gate(self) -> Decision:
        """The gate's decision, without a word in the audit log."""
        return publish_gate(self.article, at=self.now, reports=self.reports)

    def judge(self) -> Decision:
        """The gate's decision; a refusal is recorded in the audit log."""
        decision = self.gate()
        if not decision.allowed:
            record_refusal(self.article, decision, by=self.by)
        return decision

    @transaction.atomic
    def execute(self) -> Decision:
        self.check()
        decision = self.judge()
        if decision.allowed:
            go_live(self.article, by=self.by, at=self.at or self.now, now=self.now)
        return decision


def go_live(article, *, by, at: datetime.datetime, now: datetime.datetime) -> None:
    was = article.status
    article.status = Status.SCHEDULED if at > now else Status.PUBLISHED
    article.published_at = at
    article.save_version("status", "published_at", by=by)
    AuditEntry.record(
        AuditEntry.Action.PUBLISH,
        article=article,
        actor=by,
        reason=f"Scheduled for {at:%Y-%m-%d %H:%M} UTC." if at > now else "Published.",
        detail={"from": was, "to": article.status, "published_at": at.isoformat()},
    )


class Override(Action):
    """Publish over the gate's refusal on a rights manager's word, recorded with the reason.

    The override becomes the item's rights basis for publication: it grants publication,
    settles the rights and lifts an expiry already past, since those are the item's own. A
    suspended source is not the item's to override: the source's suspension must be lifted.
    """

    label, permission = "Override the refusal and publish", "override_refusal"
    takes_reason = needs_reason = takes_time = shows_gate = True

    def __init__(self, article, *, by, reason: str, at: datetime.datetime | None = None):
        super().__init__(article, by=by)
        self.reason, self.at = reason, at
        self.now = timezone.now()

    def check(self) -> Decision:
        """Raise unless an override may be given now; return the refusal it overrides."""
        require_permission(self.by, "override_refusal", to="override a refusal")
        self.reason = require_reason(self.reason, what="an override")
        check_move(self.article, Status.PUBLISHED, by=None, system=True)
        refusal = publish_gate(self.article, at=self.now)
        if refusal.allowed:
            raise ValidationError(
                "There is nothing to override: its rights allow publication, so an editor can "
                "publish it."
            )
        source = self.article.source
        if source.suspended:
            raise ValidationError(
                f"Its source, {source.name}, is suspended, and an override cannot lift "
                "that: lift the suspension on the source first."
            )
        return refusal

    @transaction.atomic
    def execute(self) -> Decision:
        refusal = self.check()
        article, now = self.article, self.now
        before = {field: getattr(article, field) for field in OVERRIDE_FIELDS}
        if not clearance(article, Right.PUBLISH, at=now).allowed:
            article.may_publish = True
            article.rights_basis = {**(article.rights_basis or {}), Right.PUBLISH: Basis.OVERRIDE}
            article.rights_settled = True
            if article.rights_expire_at is not None and article.rights_expire_at <= now:
                article.rights_expire_at = None
            article.rights_set_by_hand = True
        article.rights_explanation = append_line(
            article.rights_explanation,
            f"Publication granted on an override by {self.by.get_username()}: {self.reason}",
        )
        article.save_version(*OVERRIDE_FIELDS, by=self.by)
        after = {field: getattr(article, field) for field in OVERRIDE_FIELDS}
        asked = OverrideRequest.grant_open(article, by=self.by, answer=self.reason)
        self.audit(
            AuditEntry.Action.OVERRIDE,
            reason=self.reason,
            detail={
                "right": Right.PUBLISH.value,
                "overridden": list(refusal.reasons),
                "changes": field_changes(before, after),
                **({"request": asked.pk} if asked else {}),
            },
        )
        go_live(article, by=self.by, at=self.at or now, now=now)
        return Decision(allowed=True)


MOVE_ACTIONS: dict[str, type[Move]] = {
    Status.DRAFT: ReturnToDraft,
    Status.REVIEW: SubmitForReview,
    Status.WITHDRAWN: Withdraw,
    Status.KILLED: Kill,
}


def change_status(
    article, to: str, *, by, reason: str = "", at: datetime.datetime | None = None
) -> Decision:
    """Move to `to` through its own action; only publication can be refused."""
    if to in LIVE_STATUSES:
        return Publish(article, by=by, at=at).execute()
    return MOVE_ACTIONS[to](article, by=by, reason=reason).execute()
