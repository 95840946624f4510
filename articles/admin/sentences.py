"""Each audit entry as one sentence an editor would say: one formatter per action (`SENTENCES`);
a detail of an unexpected shape falls back to the action's label, never to an error page or to
raw data."""

from __future__ import annotations

from collections.abc import Callable

from articles.admin.wording import basis_summary, field_change, label, listing, person, value
from articles.audit import AuditEntry
from articles.vocabulary import Right, Status


def _move(entry: AuditEntry) -> str:
    was = entry.detail.get("from")
    return f" (was {value('status', was)})" if was else ""


def _publish(entry: AuditEntry) -> str:
    detail = entry.detail
    if detail.get("to") == Status.SCHEDULED and detail.get("published_at"):
        when = value("published_at", detail["published_at"])
        return f"Scheduled for {when}{_move(entry)}"
    return f"Published{_move(entry)}"


def _refusal(entry: AuditEntry) -> str:
    right = Right(entry.detail.get("right", Right.PUBLISH))
    reasons = " ".join(entry.detail.get("reasons") or []) or entry.reason
    fields = entry.detail.get("fields") or []
    if not reasons:
        raise ValueError("A refusal without its reasons.")
    if fields:
        return f"Edit of the live {listing(label(f) for f in fields)} refused: {reasons}"
    return f"{right.noun.capitalize()} refused: {reasons}"


def _changes(changes: dict) -> str:
    return "; ".join(field_change(f, *pair) for f, pair in changes.items()) or "nothing changed"


def _rights_change(entry: AuditEntry) -> str:
    if "suspended" in entry.detail:
        if entry.detail["suspended"]:
            return f"Source {entry.source} suspended: its items leave every public channel"
        return f"Source {entry.source} reinstated: its items may return to every public channel"
    return f"Rights changed: {_changes(entry.detail.get('changes') or {})}"


def _licence_change(entry: AuditEntry) -> str:
    count = len(entry.detail.get("items") or [])
    items = f"{count} item{'s' * (count != 1)}"
    return f"{entry.licence or 'A licence'} changed: the rights of {items} were derived again"


def _override(entry: AuditEntry) -> str:
    right = Right(entry.detail.get("right", Right.PUBLISH))
    overridden = " ".join(entry.detail.get("overridden") or [])
    said = f" over the refusal: {overridden}" if overridden else ""
    return f"Refusal overridden by {person(entry.actor)}: {right.noun} granted{said}"


def _ingest(entry: AuditEntry) -> str:
    detail = entry.detail
    what = entry.reason.rstrip(".") or "Ingested"
    if not what.startswith("Ingested"):
        what = f"Ingested: {what[:1].lower()}{what[1:]}"
    if detail.get("wire_version") is not None:
        what += f", version {detail['wire_version']}"
    if isinstance(detail.get("rights"), dict) and detail["rights"]:
        what += f"; its rights: {basis_summary(detail['rights'])}"
    return what


def _working_headline(entry: AuditEntry) -> str:
    before, after = (entry.detail.get("headline") or ["", ""])[:2]
    return f"Working headline changed from “{before}” to “{after}”"


def _override_asked(entry: AuditEntry) -> str:
    return f"{person(entry.actor)} asked a rights manager to override: {entry.reason}"


def _override_declined(entry: AuditEntry) -> str:
    asker = entry.detail.get("asked_by") or "the editor"
    return f"Override request from {asker} declined by {person(entry.actor)}: {entry.reason}"


def _pin(entry: AuditEntry) -> str:
    place = entry.detail.get("place") or f"place {entry.detail.get('position')}"
    until = value("until", entry.detail["until"]) if entry.detail.get("until") else "further notice"
    return f"Pinned to the front page, {place}, until {until}"


def _labelled(entry: AuditEntry) -> str:
    return f"{entry.get_action_display()}{_move(entry)}"


Action = AuditEntry.Action
SENTENCES: dict[str, Callable[[AuditEntry], str]] = {
    Action.RIGHTS_CHANGE: _rights_change,
    Action.LICENCE_CHANGE: _licence_change,
    Action.PUBLISH: _publish,
    Action.REFUSAL: _refusal,
    Action.OVERRIDE: _override,
    Action.WITHDRAW: _labelled,
    Action.KILL: _labelled,
    Action.INGEST: _ingest,
    Action.REVIEW: _labelled,
    Action.DRAFT: _labelled,
    Action.HEADLINE: _working_headline,
    Action.OVERRIDE_ASKED: _override_asked,
    Action.OVERRIDE_DECLINED: _override_declined,
    Action.PIN: _pin,
    Action.UNPIN: _labelled,
}


def audit_sentence(entry: AuditEntry) -> str:
    """What the entry records, as one sentence; its label alone where its detail is not as
    its action writes it."""
    formatter = SENTENCES.get(entry.action)
    if formatter is None or not isinstance(entry.detail, dict):
        return f"{entry.get_action_display()}."
    try:
        sentence = formatter(entry)
    except (KeyError, TypeError, ValueError, AttributeError):
        return f"{entry.get_action_display()}."
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


def actor(entry: AuditEntry) -> str:
    """Who did it: a person, or "ingest" or "the system" where no one did."""
    return person(entry.actor, nobody="ingest" if entry.action == Action.INGEST else "the system")
