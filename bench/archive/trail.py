"""The audit entries and history rows a desk leaves on an item: ingested, submitted for review,
publication refused, published or scheduled, withdrawn or killed."""

from __future__ import annotations

import datetime
import random

from bench.archive.cases import KILL_REASONS, WITHDRAW_REASONS, Case
from bench.archive.reference import Reference
from bench.archive.rights import Judged


def trail(
    rng: random.Random, reference: Reference, article_id: int, item: dict
) -> tuple[list[dict], list[dict]]:
    """The audit entries and history rows a desk leaves on the item, oldest first."""
    from articles.audit import AuditEntry
    from articles.rights import clearance
    from articles.vocabulary import Right

    fields = item["fields"]
    case: Case = item["case"]
    spec = reference.specs[case.source]
    source = reference.sources[case.source]
    status = fields["status"]
    came_in = fields["created_at"]
    editor = rng.choice(reference.users["editor"])
    writer = rng.choice(reference.users["reporter"])
    audit: list[dict] = []
    history: list[dict] = []

    def entry(action: str, at, actor, reason: str = "", detail=None, **links) -> None:
        audit.append(
            {
                "at": at,
                "action": action,
                "reason": reason,
                "detail": detail or {},
                "actor_id": actor,
                "article_id": article_id,
                "licence_id": links.get("licence_id"),
                "source_id": source.pk,
            }
        )

    def revision(kind: str, at, user, **changes) -> None:
        history.append({**fields, **changes, "history_date": at, "history_type": kind,
                        "history_user_id": user, "history_change_reason": None})  # fmt: skip

    at = came_in
    if spec.kind != "staff":
        entry(
            AuditEntry.Action.INGEST,
            at,
            None,
            f"Created from {fields['guid'].rsplit(':', 1)[-1]}.txt (text).",
            {"guid": fields["guid"], "wire_version": 1, "rights": fields["rights_basis"]},
        )
        revision("+", at, None, status="draft", published_at=None, version=1)
    else:
        revision("+", at, writer, status="draft", published_at=None, version=1)
    version = 1
    if status == "review" or (spec.kind == "staff" and status != "draft"):
        at += datetime.timedelta(minutes=rng.randint(5, 40))
        version += 1
        entry(AuditEntry.Action.REVIEW, at, writer, "", {"from": "draft", "to": "review"})
        revision("~", at, writer, status="review", published_at=None, version=version)
    if status == "draft" and not fields["may_publish"]:
        judged = Judged(**fields, source=source)
        decision = clearance(judged, Right.PUBLISH, at=at)
        at += datetime.timedelta(minutes=rng.randint(1, 30))
        entry(
            AuditEntry.Action.REFUSAL,
            at,
            editor,
            decision.explanation,
            {"right": "publish", "reasons": list(decision.reasons)},
        )
    if fields["published_at"] is not None:
        published = fields["published_at"]
        version += 1
        moved = "scheduled" if status == "scheduled" else "published"
        entry(
            AuditEntry.Action.PUBLISH,
            min(at + datetime.timedelta(minutes=1), published),
            editor,
            f"Scheduled for {published:%Y-%m-%d %H:%M} UTC." if moved == "scheduled" else
            "Published.",
            {"from": "review" if version > 2 else "draft", "to": moved,
             "published_at": published.isoformat()},
        )  # fmt: skip
        at = max(at, published)
        revision("~", at, editor, status=moved, version=version)
    if status in ("withdrawn", "killed"):
        at += datetime.timedelta(hours=rng.randint(1, 72))
        version += 1
        reasons = WITHDRAW_REASONS if status == "withdrawn" else KILL_REASONS
        reason = rng.choice(reasons)
        action = AuditEntry.Action.WITHDRAW if status == "withdrawn" else AuditEntry.Action.KILL
        entry(action, at, editor, reason, {"from": "published", "to": status})
        revision("~", at, editor, status=status, version=version)
    fields["version"] = version
    fields["updated_at"] = max(fields["updated_at"], at)
    return audit, history


# --- the run -------------------------------------------------------------------------------
