"""Sources and their licences, people, articles with their rights, and the audit log."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from articles.fields import TerritoriesField
from articles.querysets import ArticleQuerySet, AuditQuerySet
from articles.rights import Right
from articles.sanitise import clean_html


class Source(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", "Staff"
        AGENCY = "agency", "News agency"
        PARTNER = "partner", "Partner"
        FREELANCE = "freelance", "Freelance"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AGENCY)
    credit_line = models.CharField(
        max_length=200, blank=True, help_text="How readers see the source credited, e.g. “Reuters”."
    )
    suspended = models.BooleanField(
        default=False,
        help_text="A suspended source's items leave every public channel at once.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:source", kwargs={"slug": self.slug})

    @property
    def credit(self) -> str:
        return self.credit_line or self.name

    def active_licence(self, *, at: datetime.datetime | None = None) -> Licence | None:
        """Return the licence in force at `at`, the one lasting longest where several overlap."""
        at = at or timezone.now()
        in_force = [lic for lic in self.licences.all() if lic.in_force(at=at)]
        far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        return max(in_force, key=lambda lic: (lic.valid_until or far, lic.pk), default=None)


class Licence(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="licences")
    reference = models.CharField(max_length=100, blank=True, help_text="Contract number or name.")
    grants_publish = models.BooleanField("grants publication", default=False)
    grants_broadcast = models.BooleanField("grants broadcast", default=False)
    grants_rewrite = models.BooleanField("grants rewriting", default=False)
    grants_redistribute = models.BooleanField("grants redistribution", default=False)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(
        null=True, blank=True, help_text="Empty: open-ended. Items relying on it expire then."
    )
    territories = TerritoriesField(
        help_text="ISO country codes the licence covers, e.g. “GB, IE”. Empty: worldwide."
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                name="licence_window_in_order",
                violation_error_message="A licence must end after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} licence {self.reference or self.pk}"

    def grants(self, right: Right) -> bool:
        return getattr(self, f"grants_{right.value}")

    def in_force(self, *, at: datetime.datetime) -> bool:
        return self.valid_from <= at and (self.valid_until is None or at < self.valid_until)


class Section(models.Model):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the front page.")

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    affiliation = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:person", kwargs={"slug": self.slug})


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"
        KILLED = "killed", "Killed"

    class Basis(models.TextChoices):
        STAFF = "staff", "staff copy"
        LICENCE = "licence", "our licence"
        NOTICE = "notice", "the notice in the copy"
        COPY_LICENCE = "copy_licence", "the licence stated in the copy"
        NONE = "none", "nothing grants it"
        MANUAL = "manual", "a rights manager's decision"
        OVERRIDE = "override", "a rights manager's override"

    guid = models.CharField(max_length=255, unique=True, help_text="From the wire, or generated.")
    slug = models.SlugField(max_length=255, unique=True)
    headline = models.CharField(max_length=500)
    headline_is_working = models.BooleanField(
        "working headline",
        default=False,
        help_text="Made from the lead's first sentence because the copy had no headline.",
    )
    standfirst = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Sanitised HTML.")
    dateline = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=16, default="en")
    editor_note = models.TextField(
        "editor's note", blank=True, help_text="Our own note to readers, shown under the story."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="articles")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    embargo_until = models.DateTimeField(null=True, blank=True)
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
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )

    wire_format = models.CharField(max_length=10, blank=True)
    wire_original = models.TextField(
        blank=True, help_text="The copy as received: the legal record."
    )
    wire_version = models.PositiveIntegerField(null=True, blank=True)
    wire_hash = models.CharField(max_length=64, blank=True)
    ingested_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="Our version when ingest last wrote it."
    )

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["wire_original", "updated_at"])

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule and withdraw articles"),
            ("kill_article", "Can kill an article (legal removal)"),
            ("change_article_rights", "Can settle and change an article's rights"),
            ("override_refusal", "Can override a refusal, with a reason"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(copyright_year__isnull=True)
                | Q(copyright_year__gte=1800, copyright_year__lte=2200),
                name="article_copyright_year_sane",
                violation_error_message="The copyright year must be between 1800 and 2200.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "scheduled"]) | Q(published_at__isnull=False),
                name="article_published_has_date",
                violation_error_message="A published or scheduled item needs a publication time.",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_live_idx"),
            models.Index(fields=["source", "-published_at"], name="article_source_idx"),
            models.Index(fields=["section", "-published_at"], name="article_section_idx"),
            models.Index(fields=["embargo_until"], name="article_embargo_idx"),
            models.Index(fields=["rights_expire_at"], name="article_expiry_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        if not self.guid:
            self.guid = f"urn:newsroom:{uuid.uuid4()}"
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:article", kwargs={"slug": self.slug})

    def unique_slug(self) -> str:
        base = slugify(self.headline)[:200].strip("-") or "story"
        slug, n = base, 1
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def grants(self, right: Right) -> bool:
        return getattr(self, f"may_{right.value}")

    @property
    def rights_summary(self) -> dict[Right, bool]:
        return {right: self.grants(right) for right in Right}

    def decision(self, right: Right, **kwargs):
        from articles.rights import decide

        return decide(self, right, **kwargs)

    def apply_rights(self, derived) -> None:
        """Set every rights field from a `rights.DerivedRights`, together."""
        for right in Right:
            setattr(self, f"may_{right.value}", derived.grants[right])
        self.rights_basis = {right.value: derived.basis[right] for right in Right}
        self.rights_settled = derived.settled
        self.rights_expire_at = derived.expire_at
        self.territories = derived.territories
        self.rights_explanation = derived.explanation
        self.licence = derived.licence
        self.rights_set_by_hand = False

    @transaction.atomic
    def publish(self, *, by=None, at: datetime.datetime | None = None):
        """Publish now, or schedule for `at`; refuse, changing nothing, when rights forbid it.

        Return the clearance decision; the caller shows its reasons on refusal.
        """
        from articles.rights import clearance

        now = timezone.now()
        decision = clearance(self, Right.PUBLISH, at=now)
        if not decision.allowed:
            AuditEntry.record(
                AuditEntry.Action.REFUSAL,
                article=self,
                actor=by,
                reason=" ".join(decision.reasons),
                detail={"right": Right.PUBLISH.value},
            )
            return decision
        when = at or now
        self.status = self.Status.SCHEDULED if when > now else self.Status.PUBLISHED
        self.published_at = when
        self.version += 1
        self.save(update_fields=["status", "published_at", "version", "updated_at"])
        AuditEntry.record(
            AuditEntry.Action.PUBLISH,
            article=self,
            actor=by,
            reason=f"Scheduled for {when:%Y-%m-%d %H:%M} UTC." if when > now else "Published.",
        )
        return decision


class Byline(models.Model):
    class Role(models.TextChoices):
        WRITING = "writing", "Writing"
        REPORTING = "reporting", "Reporting"
        EDITING = "editing", "Editing"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting"
        PHOTOGRAPHY = "photography", "Photography"
        TRANSLATION = "translation", "Translation"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.WRITING)
    place = models.CharField(max_length=100, blank=True, help_text="Where they reported from.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "order"]
        constraints = [
            models.UniqueConstraint(fields=["article", "order"], name="byline_one_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} by {self.person.name}"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


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

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
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
