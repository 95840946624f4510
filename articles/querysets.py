"""Querysets: the database face of the rights policy, and the audit log's refusal to change."""

from __future__ import annotations

import datetime

from django.db import models

from articles.rights import Right, clearance_q, permitting_q, protected_text_q


class ArticleQuerySet(models.QuerySet):
    def permitting(
        self, *rights: Right, at: datetime.datetime | None = None, country: str | None = None
    ) -> ArticleQuerySet:
        """Items that channels needing every one of `rights` may show now, to a reader in `country`.

        The time is read on each call, so an embargo lifts and an expiry bites on the second.
        """
        return self.filter(permitting_q(*rights, at=at, country=country)).select_related(
            "source", "section"
        )

    def in_play(self) -> ArticleQuerySet:
        """Everything but killed items, which are gone for good."""
        return self.exclude(status="killed")

    def blocked(self, *rights: Right, at: datetime.datetime | None = None) -> ArticleQuerySet:
        """Items in play whose own rights refuse one of `rights` now (`rights.clearance`)."""
        return self.in_play().exclude(clearance_q(*rights, at=at))

    def needing_rights_review(self) -> ArticleQuerySet:
        return self.in_play().filter(rights_settled=False)

    def protected_text(self) -> ArticleQuerySet:
        """Items whose text no other story may reuse (see `rights.text_protected`)."""
        return self.filter(protected_text_q())

    def with_bylines(self) -> ArticleQuerySet:
        return self.prefetch_related("bylines__person")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        from articles.models import AppendOnlyError

        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        from articles.models import AppendOnlyError

        raise AppendOnlyError("Audit entries cannot be deleted.")
