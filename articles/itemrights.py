"""The fields an item holds of its workflow and rights, shared by articles and pictures.

The policy (`articles.rights`) reads these fields by name, so any model built on `ItemRights`
is judged by the same rules, in Python and as a database filter. The fields are Article's own,
as they were: its table is unchanged by sharing them.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from articles import generation
from articles.fields import TerritoriesField
from articles.notices import CopyTerms
from articles.rights import DerivedRights, derive_rights
from articles.vocabulary import LIVE_STATUSES, Right, Status


def rights_constraints(model: str, *, undated: str) -> list[models.CheckConstraint]:
    """The checks every item's table holds, named after `model` as they always were: a sane
    copyright year, and a publication time on anything live (`undated`: the message)."""
    return [
        models.CheckConstraint(
            condition=Q(copyright_year__isnull=True)
            | Q(copyright_year__gte=1800, copyright_year__lte=2200),
            name=f"{model}_copyright_year_sane",
            violation_error_message="The copyright year must be between 1800 and 2200.",
        ),
        models.CheckConstraint(
            condition=~Q(status__in=list(LIVE_STATUSES)) | Q(published_at__isnull=False),
            name=f"{model}_published_has_date",
            violation_error_message=undated,
        ),
    ]


class ItemRights(models.Model):
    """Each model adds `source` and `licence` (the licence relied on), with its related name,
    and `version` and `updated_at`."""

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    embargo_until = models.DateTimeField(null=True, blank=True)
    rights_start_at = models.DateTimeField(
        "rights window opens",
        null=True,
        blank=True,
        help_text="Not public before this time. Empty: from publication.",
    )
    rights_expire_at = models.DateTimeField(null=True, blank=True)

    copyright_holder = models.CharField(max_length=200, blank=True)
    copyright_year = models.PositiveSmallIntegerField(null=True, blank=True)
    copyright_notice = models.TextField(blank=True, help_text="Verbatim, as received.")
    usage_terms = models.TextField(blank=True)
    may_publish = models.BooleanField("publish", default=False)
    may_broadcast = models.BooleanField("broadcast", default=False)
    may_rewrite = models.BooleanField("rewrite", default=False)
    may_redistribute = models.BooleanField("redistribute", default=False)
    territories = TerritoriesField(help_text="Where readers may see it. Empty: everywhere.")
    excluded_territories = TerritoriesField(
        help_text="Where readers may not see it, e.g. “GB, IE”. Empty: excluded nowhere."
    )
    rights_settled = models.BooleanField(
        default=False, help_text="Off until the rights are clear; unsettled items are never public."
    )
    rights_basis = models.JSONField(
        default=dict, blank=True, help_text="Where each right came from."
    )
    rights_explanation = models.TextField(blank=True)
    rights_set_by_hand = models.BooleanField(
        default=False, help_text="A rights manager set these rights; licence changes leave them."
    )
    no_archive = models.BooleanField(default=False, help_text="Usage terms forbid archiving.")
    copy_terms = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="What the copy said of its rights (notice, licence, window), read at ingest.",
    )

    class Meta:
        abstract = True

    def grants(self, right: Right) -> bool:
        return getattr(self, right.field)

    def apply_rights(self, derived: DerivedRights) -> None:
        """Set every rights field from a `rights.DerivedRights`, together."""
        for right in Right:
            setattr(self, right.field, derived.grants[right])
        self.rights_basis = {right.value: derived.basis[right] for right in Right}
        self.rights_settled = derived.settled
        self.rights_start_at = derived.start_at
        self.rights_expire_at = derived.expire_at
        self.territories = derived.territories
        self.excluded_territories = derived.excluded_territories
        self.rights_explanation = derived.explanation
        self.licence = derived.licence
        self.rights_set_by_hand = False

    @property
    def terms(self) -> CopyTerms:
        """What the copy itself said of its rights, as read when it came in."""
        return CopyTerms.from_json(self.copy_terms) if self.copy_terms else CopyTerms()

    def derive_rights(
        self,
        *,
        terms: CopyTerms | None = None,
        licence=True,
        at: datetime.datetime | None = None,
    ) -> None:
        """Derive every rights field from the copy's terms and our licence with its source.

        `terms` are new terms, stored with the item (ingest); by default the stored ones.
        `licence` is the source's licence in force, where the caller has it at hand; by
        default it is looked up for `at`. Every path that sets an item's rights from its
        copy (ingest, the desk's new item, a licence change) comes through here.
        """
        if terms is not None:
            self.copy_terms = terms.as_json()
        if licence is True:
            licence = self.source.active_licence(at=at)
        self.apply_rights(
            derive_rights(source=self.source, terms=self.terms, licence=licence, at=at)
        )

    def save_version(self, *fields: str, by=None) -> None:
        """Save `fields` as the next version, counted from the locked row so none is lost.
        The rights generation's row is locked first, as every writer locks it (no deadlock)."""
        generation.bump(using=self._state.db or "default")
        stored = (
            type(self).objects.select_for_update().values_list("version", flat=True).get(pk=self.pk)
        )
        self.version = stored + 1
        if by is not None and by.is_authenticated:
            self._history_user = by
        self.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])
