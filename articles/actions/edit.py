"""Editing an item's text: a save that refuses to overwrite a colleague's, a revert to an
earlier revision, and the guard that keeps copied text from going live unseen."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.actions.base import Action, record_refusal
from articles.audit import AuditEntry
from articles.errors import CopyRefused, StaleVersion
from articles.permissions import require_permission
from articles.rights import clearance
from articles.signals import TextReport, text_reports
from articles.vocabulary import REVERTIBLE_FIELDS, TEXT_FIELDS, Right


def live_copy_refusal(article, stored, *, reports=None) -> TextReport | None:
    """The text check's report when this new text of live `stored` must be refused, or None.

    Costs the checks' queries (none when `reports`, checks of this text, are given), and as
    many again only when the new text passes the threshold, to learn whether the stored text
    already did: text published on a rights manager's override may still be corrected.
    """
    reports = text_reports(article) if reports is None else reports
    exceeding = [report for report in reports if report.exceeds]
    if not exceeding or any(report.exceeds for report in text_reports(stored)):
        return None
    return exceeding[0]


def guard_live_text(article, stored, *, changed: list[str], by=None, reports=None) -> None:
    """Refuse new text for live `stored` that shares more than the threshold with protected
    copy: record the refusal, and raise `CopyRefused` with the passages.

    A published or scheduled item's text reaches readers without passing the publish gate
    again, so its new text is judged here, on every path (the model's save, the desk's form
    before anything is saved).
    """
    report = live_copy_refusal(article, stored, reports=reports)
    if report is None:
        return
    refused = CopyRefused(report=report, fields=changed, status=article.status)
    record_refusal(article, refused.decision, by=by, fields=changed)
    raise refused


def rewrite_guarded(fields, *, working: bool) -> list[str]:
    """The fields among `fields` that the rewrite right guards on this item.

    All the text fields, but for a working headline: the copy came without one and the parser
    made it from the lead, so the headline is ours, and an editor may change it whatever the
    item's rewrite right. It stays ours once changed (the flag stays set), and a newer wire
    version that still brings no headline keeps it (`articles.ingest.loader`).
    """
    return [f for f in fields if f in TEXT_FIELDS and not (working and f == "headline")]


def record_working_headline(article, *, before: str, by=None) -> AuditEntry:
    """Record a change to the working headline of an item we may not rewrite: the one change
    to such an item's text that the rewrite right lets through, so it is written down."""
    return AuditEntry.record(
        AuditEntry.Action.HEADLINE,
        article=article,
        actor=by,
        reason="The copy came without a headline; the working headline is ours to change, "
        "though the item's rights do not allow rewriting.",
        detail={"headline": [before, article.headline]},
    )


def keep_refusal(article, refused: CopyRefused, *, by) -> None:
    """Record a copy refusal whose entry went with the transaction the refusal rolled back."""
    record_refusal(article, refused.decision, by=by, fields=refused.fields)


class SaveEdit(Action):
    """Save an edit, unless someone saved the item since it was loaded at `loaded_version`.

    The version moves by compare-and-swap, `UPDATE ... WHERE id=? AND version=?`: of two
    editors saving the same version, the second finds no row to update and is refused
    (`StaleVersion`). New text for a live item may be refused by the copy check
    (`CopyRefused`): the version stays as loaded, and the refusal is recorded.
    """

    def __init__(self, article, *, loaded_version: int, by=None):
        super().__init__(article, by=by)
        self.loaded_version = loaded_version

    def execute(self) -> None:
        try:
            self._save()
        except CopyRefused as refused:
            self.article.version = self.loaded_version
            keep_refusal(self.article, refused, by=self.by)
            raise

    @transaction.atomic
    def _save(self) -> None:
        article, loaded = self.article, self.loaded_version
        manager = type(article)._default_manager
        if not manager.filter(pk=article.pk, version=loaded).update(version=loaded + 1):
            raise StaleVersion(stale_message(article, loaded_version=loaded))
        article.version = loaded + 1
        if self.by is not None and self.by.is_authenticated:
            article._history_user = self.by
        article.save()


def stale_message(article, *, loaded_version: int) -> str:
    latest = article.history.order_by("-history_date", "-history_id").first()
    who = (
        f", saved by {latest.history_user.get_username()} at "
        f"{latest.history_date:%Y-%m-%d %H:%M} UTC"
        if latest is not None and latest.history_user is not None
        else ""
    )
    current = (
        type(article)
        ._default_manager.filter(pk=article.pk)
        .values_list("version", flat=True)
        .first()
    )
    return (
        f"Someone else saved this article while you were editing it (you opened version "
        f"{loaded_version}; it is now version {current}{who}). Nothing of yours was saved: "
        "your text is kept below. Open the article again in a new tab and apply your "
        "changes there."
    )


class Revert(Action):
    """Restore the text, editorial fields and embargo of the revision `to`.

    Rights and status are not restored: they change only through their own gated actions.
    Restoring the text is rewriting it, so it needs the rewrite right; restoring a live item's
    text passes the copy check too. `execute()` returns the fields restored.
    """

    def __init__(self, article, *, to, by):
        super().__init__(article, by=by)
        self.to = to
        meta = article._meta
        self.attnames = {name: meta.get_field(name).attname for name in REVERTIBLE_FIELDS}

    def changed(self) -> list[str]:
        return [
            name
            for name, attname in self.attnames.items()
            if getattr(self.to, attname) != getattr(self.article, attname)
        ]

    def check(self) -> None:
        require_permission(self.by, "change_article", to="revert an item")
        if self.to.id != self.article.pk:
            raise ValueError(f"Revision {self.to.history_id} is not of article {self.article.pk}.")
        text = [name for name in self.changed() if name in TEXT_FIELDS]
        rewrite = clearance(self.article, Right.REWRITE)
        if text and not rewrite.allowed:
            raise ValidationError(
                f"Reverting the {', '.join(text)} would rewrite this item, and its rights do not "
                f"allow that: {rewrite.explanation}"
            )

    def execute(self) -> list[str]:
        try:
            return self._revert()
        except CopyRefused as refused:
            self.article.refresh_from_db(fields=[*REVERTIBLE_FIELDS, "version"])  # as stored
            keep_refusal(self.article, refused, by=self.by)
            raise

    @transaction.atomic
    def _revert(self) -> list[str]:
        self.check()
        changed = self.changed()
        for name in changed:
            setattr(self.article, self.attnames[name], getattr(self.to, self.attnames[name]))
        if changed:
            self.article._change_reason = f"Reverted to revision {self.to.history_id}"
            self.article.save_version(*changed, by=self.by)
        return changed
