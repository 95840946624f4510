"""The audit log: what happened to an item's rights and workflow, by whom and why. Append-only."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.errors import AppendOnlyError
from articles.vocabulary import Status


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")


def _entries_about(model: str) -> models.ForeignKey:
    """Link an entry to the item, source or licence it is about, which lists its `audit_entries`."""
    return models.ForeignKey(
        model, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )


class AuditEntry(models.Model):
    """One thing that happened to an item's rights or workflow. Never changed, never deleted."""

    class Action(models.TextChoices):
        RIGHTS_CHANGE = "rights_change", "Rights changed"
        LICENCE_CHANGE = "licence_change", "Licence changed"
        PUBLISH = "publish", "Published"
        REFUSAL = "refusal", "Publication refused"
        OVERRIDE = "override", "Refusal overridden"
        WITHDRAW = "withdraw", "Withdrawn"
        KILL = "kill", "Killed"
        INGEST = "ingest", "Ingested"
        HEADLINE = "working_headline", "Working headline changed"
        OVERRIDE_ASKED = "override_asked", "Override requested"
        OVERRIDE_DECLINED = "override_declined", "Override request declined"
        REVIEW = Status.REVIEW.value, "Submitted for review"
        DRAFT = Status.DRAFT.value, "Returned to draft"
        PIN = "pin", "Pinned to the front page"
        UNPIN = "unpin", "Unpinned from the front page"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Every link protects its target: clearing it would be an UPDATE of the log. Users, articles,
    # pictures, sources and licences with a history are deactivated, killed or ended, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    article = _entries_about("articles.Article")
    source = _entries_about("articles.Source")
    licence = _entries_about("articles.Licence")
    picture = _entries_about("pictures.Picture")
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    @classmethod
    def record(cls, action: str, *, article=None, actor=None, reason="", detail=None, **kwargs):
        if actor is not None and not getattr(actor, "is_authenticated", False):
            actor = None
        return cls.objects.create(
            action=action,
            article=article,
            source=kwargs.pop("source", None) or (article.source if article else None),
            actor=actor,
            reason=reason,
            detail=detail or {},
            **kwargs,
        )


def _as_json(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def field_changes(before: dict, after: dict) -> dict[str, list]:
    return {
        field: [_as_json(before[field]), _as_json(after[field])]
        for field in before
        if before[field] != after[field]
    }
