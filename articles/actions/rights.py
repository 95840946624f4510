"""The rights actions: a rights manager's change or settlement, and a derivation again from
the copy's own terms and the licence in force, for one item or for every item a licence
change reaches."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from simple_history.models import HistoricalRecords

from articles.actions.base import Action, append_line
from articles.audit import AuditEntry, field_changes
from articles.permissions import require_permission, require_reason
from articles.vocabulary import (
    DERIVED_FIELDS,
    LICENSABLE_BASES,
    RIGHTS_FIELDS,
    Basis,
    Right,
)


class SetRights(Action):
    """Change rights fields by a rights manager's hand, recorded with the reason.

    `execute()` returns the changes made, as {field: [old, new]}. Rights set by hand stay as
    set when a licence changes later. Any item on `ItemRights` is changed alike: an article
    needs `articles.change_article_rights`, a picture `pictures.change_picture_rights`.
    """

    def __init__(self, article, *, by, reason: str, **changes):
        super().__init__(article, by=by)
        self.reason, self.changes = reason, changes

    def check(self) -> None:
        meta = self.article._meta
        what = "a picture" if meta.model_name == "picture" else "an item"
        require_permission(
            self.by,
            f"{meta.app_label}.change_{meta.model_name}_rights",
            to=f"change {what}'s rights",
        )
        unknown = sorted(set(self.changes) - set(RIGHTS_FIELDS))
        if unknown:
            raise TypeError(f"Not rights fields: {', '.join(unknown)}.")
        self.reason = require_reason(self.reason, what="a rights change")

    @transaction.atomic
    def execute(self) -> dict[str, list]:
        self.check()
        article = self.article
        before = {field: getattr(article, field) for field in self.changes}
        for field, value in self.changes.items():
            setattr(article, field, value)
        changed = field_changes(before, {field: getattr(article, field) for field in self.changes})
        if not changed:
            return {}
        basis = dict(article.rights_basis or {})
        for right in Right:
            if right.field in changed:
                basis[right.value] = Basis.MANUAL
        article.rights_basis = basis
        article.rights_set_by_hand = True
        article.rights_explanation = append_line(
            article.rights_explanation, f"Changed by {self.by.get_username()}: {self.reason}"
        )
        article.save_version(
            *changed, "rights_basis", "rights_set_by_hand", "rights_explanation", by=self.by
        )
        self.audit(AuditEntry.Action.RIGHTS_CHANGE, reason=self.reason, detail={"changes": changed})
        return changed


class Settle(SetRights):
    """Settle an item's rights as they stand: a rights manager has read its terms."""

    def __init__(self, article, *, by, reason: str):
        super().__init__(article, by=by, reason=reason, rights_settled=True)


def relying_on(licence, *, items=None) -> list:
    """Items whose rights a change of `licence` may change: of `items`, by default its source's
    articles; the source's pictures are asked for the same way (`licence.source.pictures`).

    Those it granted rights to, and those of its source that nothing granted rights to (basis
    none, or the notice alone), which it may now cover. Rights set by hand are left alone.
    """
    items = licence.source.articles.all() if items is None else items
    candidates = (
        items.filter(rights_set_by_hand=False)
        .filter(Q(licence=licence) | Q(licence__isnull=True))
        .in_play()
        .select_related("source")
        .prefetch_related("source__licences")
    )
    return [
        article
        for article in candidates
        if article.licence_id == licence.pk
        or (article.rights_basis and set(article.rights_basis.values()) <= LICENSABLE_BASES)
    ]


class LicenceChanged(Action):
    """Derive again the rights of every item relying on `licence`, in one transaction.

    Record one LICENCE_CHANGE entry naming the licence and the count of items whose rights
    changed, and a RIGHTS_CHANGE entry for each of them. `execute()` returns those items.
    `Licence.save()` runs it whenever a licence's terms change, on every path.
    """

    def __init__(self, licence, *, by=None, at: datetime.datetime | None = None):
        super().__init__(None, by=by)
        self.licence, self.at = licence, at

    @transaction.atomic
    def execute(self) -> list:
        licence, by = self.licence, self.by
        changed, pictures = [], []
        # Articles, then the source's pictures (an app of their own, reached by its relation).
        for items, done in ((None, changed), (licence.source.pictures.all(), pictures)):
            for item in relying_on(licence, items=items):
                before = {field: getattr(item, field) for field in DERIVED_FIELDS}
                item.derive_rights(at=self.at)
                after = {field: getattr(item, field) for field in DERIVED_FIELDS}
                if after == before:
                    continue
                item.save_version(*DERIVED_FIELDS, "rights_set_by_hand", by=by)
                AuditEntry.record(
                    AuditEntry.Action.RIGHTS_CHANGE,
                    **{item._meta.model_name: item},
                    source=item.source,
                    actor=by,
                    licence=licence,
                    reason=f"Derived again after a change to {licence}.",
                    detail={"changes": field_changes(before, after)},
                )
                done.append(item)
        count = len(changed) + len(pictures)
        AuditEntry.record(
            AuditEntry.Action.LICENCE_CHANGE,
            actor=by,
            source=licence.source,
            licence=licence,
            reason=f"{licence} changed: the rights of {count} item(s) were derived again.",
            detail={
                "licence": licence.pk,
                "items": [article.pk for article in changed],
                **({"pictures": [picture.pk for picture in pictures]} if pictures else {}),
            },
        )
        return changed + pictures


def acting_user(instance):
    """Who is saving `instance`: the user the history records, set by the admin or taken from
    the request; None in the shell, a script or an import."""
    user = getattr(instance, "_history_user", None)
    if user is None:
        request = getattr(HistoricalRecords.context, "request", None)
        user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None
