"""The refusals the rules raise, whichever path asked: admin, ingest, shell or a bulk update."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from articles.rights import Decision
from articles.vocabulary import Status


class StaleVersion(Exception):
    """Someone else saved the article after this copy of it was loaded."""


class RewriteRefused(ValidationError):
    """A change to an item's text that its rewrite right does not allow."""


class CopyRefused(ValidationError):
    """A change to a live item's text that would put copy we may not reuse in front of readers.

    `report` is the copy check's, with the passages; `fields` the text fields changed.
    """

    def __init__(self, *, report, fields: list[str], status: str):
        self.report, self.fields = report, fields
        super().__init__(live_copy_message(status, fields, self.decision))

    @property
    def decision(self) -> Decision:
        return Decision(allowed=False, reasons=tuple(self.report.reasons))


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


def live_copy_message(status: str, changed: list[str], decision: Decision) -> str:
    """Why a change to a live item's text was refused, and how it could still be made."""
    return (
        f"The change to its {', '.join(changed)} was not saved: the item is "
        f"{Status(status).label.lower()}, so the new text would reach readers without "
        f"passing the publish gate again. {decision.explanation} To publish this text over the "
        "refusal, withdraw the item, save the change, and ask a rights manager to override."
    )
