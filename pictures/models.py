"""Pictures: items with rights of their own, judged by the same policy as articles."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from articles.actions import SetRights
from articles.audit import AuditEntry
from articles.itemrights import ItemRights, rights_constraints
from articles.models import Licence, Source
from articles.permissions import require_permission, require_reason
from articles.querysets import ItemQuerySet
from articles.rights import TEXT_RIGHTS, Decision, clearance, protected_text_q
from articles.signals import picture_reports
from articles.vocabulary import Basis, Right, Status

# The widths a picture is served at; none is made wider than the picture itself.
WIDTHS = (320, 640, 1024, 1600)
DEFAULT_WIDTH = 1024


class PictureQuerySet(ItemQuerySet):
    def protected(self, *, at: datetime.datetime | None = None) -> PictureQuerySet:
        """Pictures no one else may pass off as theirs: the twin of `protected_text()`."""
        return self.filter(protected_text_q(at=at))


# A picture may be reused (shown again as ours, cropped, recoloured) only with both of these,
# as text may be rewritten: a picture lacking either is protected, and a copy of it is refused.
REUSE_RIGHTS = TEXT_RIGHTS


def picture_protected(picture, *, at: datetime.datetime | None = None) -> bool:
    """Whether another picture may not be a copy of this one: `rights.text_protected`'s rule."""
    return not all(clearance(picture, right, at=at).allowed for right in REUSE_RIGHTS)


class Picture(ItemRights):
    """An agency's or our own photograph: its file, what it shows, and its rights."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        WEBP = "webp", "WebP"

    guid = models.CharField(max_length=255, unique=True, help_text="From the file, or made.")
    title = models.CharField(max_length=500, blank=True, help_text="The object name.")
    caption = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="pictures")
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.SET_NULL, related_name="pictures"
    )
    credit_line = models.CharField(max_length=300, blank=True, help_text="As the file gives it.")
    creators = models.JSONField(default=list, blank=True, help_text="The photographers.")
    web_statement = models.URLField(
        "web statement of rights", max_length=500, blank=True, help_text="xmpRights:WebStatement"
    )
    data_mining = models.CharField(
        max_length=200, blank=True, help_text="plus:DataMining, as the file states it."
    )
    licensor = models.CharField(max_length=300, blank=True)

    image = models.FileField(upload_to="pictures/originals/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    format = models.CharField(max_length=10, choices=Format.choices)
    content_hash = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the file.")
    wire_original = models.TextField(
        blank=True, help_text="The file's rights metadata as received (XMP and IPTC)."
    )

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PictureQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("change_picture_rights", "Can settle and change a picture's rights")]
        constraints = rights_constraints(
            "picture", undated="A published picture needs a publication time."
        )

    def __str__(self) -> str:
        return self.title or self.credit_line or f"Picture {self.pk}"

    def get_absolute_url(self) -> str:
        return self.rendition_url(DEFAULT_WIDTH, "jpg")

    def rendition_url(self, width: int, ext: str) -> str:
        return reverse("pictures:rendition", kwargs={"pk": self.pk, "width": width, "ext": ext})

    @property
    def widths(self) -> list[int]:
        """The widths it is served at: each offered width up to its own, and its own where it is
        narrower than the widest offered (a picture is never made larger)."""
        fitting = [w for w in WIDTHS if w <= self.width]
        return (
            fitting if self.width in fitting or self.width > WIDTHS[-1] else [*fitting, self.width]
        )

    def gate(self, *, at: datetime.datetime | None = None, reports=None) -> Decision:
        """The publish gate: its rights, then whether it copies a protected picture."""
        rights = clearance(self, Right.PUBLISH, at=at)
        reports = picture_reports(self) if reports is None else reports
        copied = [reason for report in reports for reason in report.reasons]
        return Decision(allowed=rights.allowed and not copied, reasons=(*rights.reasons, *copied))

    def publish(self, *, by=None, at: datetime.datetime | None = None) -> Decision:
        """Publish it if the gate lets it through, recording the attempt in the audit log."""
        at = at or timezone.now()
        decision = self.gate(at=at)
        with transaction.atomic():
            if decision.allowed:
                self.status, self.published_at = Status.PUBLISHED, self.published_at or at
                self.save(update_fields=["status", "published_at", "updated_at"])
            AuditEntry.record(
                AuditEntry.Action.PUBLISH if decision.allowed else AuditEntry.Action.REFUSAL,
                picture=self,
                source=self.source,
                actor=by,
                reason=decision.explanation,
                detail={"right": Right.PUBLISH.value, "reasons": list(decision.reasons)},
            )
        return decision

    def set_rights(self, *, by, reason: str, **changes) -> dict[str, list]:
        """A rights manager's change of its rights, with the reason, as an article's: each
        right changed becomes set by hand, the reason joins the explanation, a new version
        and a `RIGHTS_CHANGE` entry record it."""
        return SetRights(self, by=by, reason=reason, **changes).execute()

    def override(self, *, by, reason: str, at: datetime.datetime | None = None) -> Decision:
        """Publish over the gate's refusal on a rights manager's word, as an article's override:
        publication granted and settled, an expiry past lifted, the reason in the audit log."""
        at = at or timezone.now()
        require_permission(by, "override_refusal", to="override a refusal")
        reason = require_reason(reason, what="an override")
        refusal = self.gate(at=at)
        if refusal.allowed:
            raise ValidationError(
                "There is nothing to override: the gate lets it through, so an editor can "
                "publish it."
            )
        if self.source.suspended:
            raise ValidationError(
                f"Its source, {self.source.name}, is suspended, and an override cannot lift "
                "that: lift the suspension on the source first."
            )
        with transaction.atomic():
            if not clearance(self, Right.PUBLISH, at=at).allowed:
                self.may_publish, self.rights_settled, self.rights_set_by_hand = True, True, True
                self.rights_basis = {**(self.rights_basis or {}), Right.PUBLISH: Basis.OVERRIDE}
                if self.rights_expire_at is not None and self.rights_expire_at <= at:
                    self.rights_expire_at = None
            line = f"Publication granted on an override by {by.get_username()}: {reason}"
            self.rights_explanation = f"{self.rights_explanation} {line}".strip()
            self.status, self.published_at = Status.PUBLISHED, self.published_at or at
            self.save_version(
                "may_publish", "rights_settled", "rights_set_by_hand", "rights_basis",
                "rights_expire_at", "rights_explanation", "status", "published_at", by=by,
            )  # fmt: skip
            AuditEntry.record(
                AuditEntry.Action.OVERRIDE,
                picture=self,
                source=self.source,
                actor=by,
                reason=reason,
                detail={"right": Right.PUBLISH.value, "overridden": list(refusal.reasons)},
            )
        return Decision(allowed=True)


class PictureHash(models.Model):
    """A picture's perceptual hashes, of the whole and of each crop in `pictures.hashes.CROPS`
    (signed 64-bit, as the column holds them): written at ingest, read by the copy check."""

    picture = models.ForeignKey(Picture, on_delete=models.CASCADE, related_name="hashes")
    crop = models.PositiveSmallIntegerField(help_text="Its place in `pictures.hashes.CROPS`.")
    phash = models.BigIntegerField(db_index=True)
    dhash = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["picture", "crop"], name="picture_hash_one_per_crop")
        ]

    def __str__(self) -> str:
        return f"{self.picture_id} crop {self.crop}: {self.phash & (2**64 - 1):016x}"
