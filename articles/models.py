"""Sources and their licences, people, articles with their rights, and the audit log."""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from typing import ClassVar

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from articles import actions, addresses
from articles.actions.base import record_refusal
from articles.actions.rights import acting_user
from articles.audit import AuditEntry
from articles.errors import RewriteRefused
from articles.fields import TerritoriesField
from articles.generation import RightsGeneration
from articles.intake import Feed, FeedPoll, known_zone
from articles.itemrights import ItemRights, rights_constraints
from articles.notices import CopyTerms, parse_notice
from articles.override_requests import OverrideRequest
from articles.pins import FrontPin
from articles.querysets import ArticleQuerySet, ShownOnPages
from articles.rights import Decision, clearance
from articles.sanitise import clean_html
from articles.vocabulary import (
    LICENCE_TERMS,
    LIVE_STATUSES,
    TEXT_FIELDS,
    Basis,
    Right,
    SourceKind,
    Status,
)

# Models of their own modules (audit, intake, override_requests, pins, generation), imported here
# to register them with the app.
__all__ = [
    "Article",
    "AuditEntry",
    "Byline",
    "Feed",
    "FeedPoll",
    "FrontPin",
    "RightsGeneration",
    "Licence",
    "OverrideRequest",
    "Person",
    "Section",
    "Source",
]


class Source(ShownOnPages):
    Kind = SourceKind

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
    # How ingest reads this source's copy. The format is checked in `clean()`, not by `choices`,
    # so that a format the parsers learn needs no migration.
    ingest_format = models.CharField(
        "format",
        max_length=20,
        default="auto",
        help_text="The format its copy comes in; “auto” tells it from the content of each file.",
    )
    ingest_zone = models.CharField(
        "time zone",
        max_length=64,
        default="UTC",
        help_text="The IANA time zone (e.g. “Europe/Berlin”) of times its copy gives without a "
        "zone, such as an embargo “00:01 2 January”.",
    )
    default_section = models.ForeignKey(
        "Section",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="default_for",
        help_text="Where its items go when the copy names no section; an item the desk has "
        "placed keeps its section.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The formats ingest reads, lent by `articles.ingest` from the app's `ready()`: the model
    # stands below ingest in the house and does not import it.
    formats: ClassVar[tuple[str, ...]] = ("auto",)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return addresses.slug_path("articles:source", self.slug)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.ingest_format not in self.formats:
            errors["ingest_format"] = (
                f"Unknown format “{self.ingest_format}”; choose one of {', '.join(self.formats)}."
            )
        try:
            _ = self.zone
        except ValidationError as exc:
            errors["ingest_zone"] = exc.messages
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The zone of times its copy gives without one; `ValidationError` if it is no zone."""
        known_zone(self.ingest_zone or "?")
        return zoneinfo.ZoneInfo(self.ingest_zone)

    @property
    def credit(self) -> str:
        return self.credit_line or self.name

    def active_licence(self, *, at: datetime.datetime | None = None) -> Licence | None:
        """Return the licence items rely on at `at`: the one in force, lasting longest where
        several overlap; where none is in force, the next to come into force, so that an item
        relying on it opens when it does (its rights window starts at the licence's start)."""
        at = at or timezone.now()
        licences = list(self.licences.all())
        in_force = [lic for lic in licences if lic.in_force(at=at)]
        far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        if in_force:
            return max(in_force, key=lambda lic: (lic.valid_until or far, lic.pk))
        coming = [lic for lic in licences if lic.valid_from > at]
        return min(coming, key=lambda lic: (lic.valid_from, lic.pk), default=None)


class Licence(ShownOnPages):
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

    def save(self, *args, **kwargs):
        """Save, and derive again the rights of the items this licence's terms reach.

        On every path (the desk, the shell, an import, a script) and in one transaction with
        the save: items it granted rights to, and items of its source it may now cover. Items
        a rights manager set by hand keep theirs. The items whose rights changed are kept in
        `rederived` (None where the save left the licence's terms as they were).
        """
        with transaction.atomic():
            stored = (
                None
                if self._state.adding
                else type(self).objects.filter(pk=self.pk).values(*LICENCE_TERMS).first()
            )
            super().save(*args, **kwargs)
            self.rederived = None
            if stored is None or any(stored[f] != getattr(self, f) for f in LICENCE_TERMS):
                self.rederived = actions.LicenceChanged(self, by=acting_user(self)).execute()

    def grants(self, right: Right) -> bool:
        return getattr(self, f"grants_{right.value}")

    def in_force(self, *, at: datetime.datetime) -> bool:
        return self.valid_from <= at and (self.valid_until is None or at < self.valid_until)


class Section(ShownOnPages):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the front page.")

    class Meta:
        ordering = ["position", "name"]
        # The front page walks sections in this order and stops after the first few.
        indexes = [models.Index(fields=["position", "name", "id"], name="section_order")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return addresses.slug_path("articles:section", self.slug)


class Person(ShownOnPages):
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
        return addresses.slug_path("articles:person", self.slug)


class Article(ItemRights):
    Status = Status
    Basis = Basis

    guid = models.CharField(max_length=255, unique=True, help_text="From the wire, or generated.")
    slug = models.SlugField(max_length=255, unique=True)
    headline = models.CharField(max_length=500)
    headline_is_working = models.BooleanField(
        "working headline",
        default=False,
        help_text="The copy came without a headline, so one was made from the lead's first "
        "sentence. The headline is ours: editors may change it whatever the rewrite right.",
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
    keywords = models.JSONField(
        default=list,
        blank=True,
        help_text="What the story is about, as a list of words: the subjects the copy names. "
        "Keywords make no section.",
    )
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    lead_picture = models.ForeignKey(
        "pictures.Picture", null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_of"
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
    search_document = SearchVectorField(null=True, editable=False)  # PostgreSQL's, by a trigger
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["wire_original", "updated_at", "search_document"])

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule and withdraw articles"),
            ("kill_article", "Can kill an article (legal removal)"),
            ("change_article_rights", "Can settle and change an article's rights"),
            ("override_refusal", "Can override a refusal, with a reason"),
        ]
        constraints = rights_constraints(
            "article", undated="A published or scheduled item needs a publication time."
        )
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_live_idx"),
            models.Index(fields=["-published_at", "-id"], name="article_order_idx"),
            models.Index(fields=["source", "-published_at", "-id"], name="article_source_idx"),
            models.Index(fields=["section", "-published_at", "-id"], name="article_section_idx"),
            models.Index(fields=["embargo_until"], name="article_embargo_idx"),
            models.Index(fields=["rights_expire_at"], name="article_expiry_idx"),
            models.Index(fields=["rights_start_at"], name="article_window_idx"),
            models.Index(fields=["wire_hash"], name="article_wire_hash_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        if not self.copy_terms and (self.copyright_notice or self.usage_terms):
            # Copy typed in by hand, not ingested: its notice is read once, as ingest would.
            notice = parse_notice(
                self.copyright_notice, holder=self.copyright_holder, usage_terms=self.usage_terms
            )
            self.copy_terms = CopyTerms(notice=notice).as_json()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = [*kwargs["update_fields"], "copy_terms"]
        update_fields = kwargs.get("update_fields")
        ours = None
        if self.pk is not None and (update_fields is None or set(update_fields) & GUARDED_FIELDS):
            ours = self.guard_text()
        if not self.guid:
            self.guid = f"urn:newsroom:{uuid.uuid4()}"
        if not self.slug:
            self.slug = self.unique_slug()
        super().save(*args, **kwargs)
        if ours is not None:
            by = getattr(self, "_history_user", None)
            actions.record_working_headline(self, before=ours, by=by)

    def get_absolute_url(self) -> str:
        return addresses.slug_path("articles:article", self.slug)

    def unique_slug(self) -> str:
        slug, n = article_slug(self.headline), 1
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            n += 1
            slug = article_slug(self.headline, suffix=f"-{n}")
        return slug

    def guard_text(self) -> str | None:
        """Refuse a change to headline, standfirst or body that the item's rights do not allow.

        This is the model's own check, so it holds on every path: the admin, a revert, an ingest
        update from another source, the shell. The wire's own newer version of the item is not
        a rewrite: ingest marks it with `wire_update`. A change needs the rewrite right; a change
        to a live item's text must also pass the copy check (`actions.guard_live_text`).

        A working headline is ours (`actions.rewrite_guarded`): it may change without the right,
        and the stored headline is returned so that `save()` records the change. Whether the
        headline is a working one is read from the stored row, never from the edit.
        """
        if getattr(self, "wire_update", False):
            return None
        stored = Article.objects.select_related("source").filter(pk=self.pk).first()
        if stored is None:
            return None
        changed = [f for f in TEXT_FIELDS if getattr(stored, f) != getattr(self, f)]
        claims = self.headline_is_working and not stored.headline_is_working
        if not changed and not claims:
            return None
        rewrite = clearance(stored, Right.REWRITE)
        ours = None
        if not rewrite.allowed:
            refused = actions.rewrite_guarded(changed, working=stored.headline_is_working)
            if claims:
                refused.append("headline_is_working")
            if refused:
                raise RewriteRefused(
                    f"The {', '.join(refused)} of this item cannot be changed: "
                    f"{rewrite.explanation}"
                )
            ours = stored.headline if "headline" in changed else None
        if changed and self.status in LIVE_STATUSES:
            actions.guard_live_text(
                self, stored, changed=changed, by=getattr(self, "_history_user", None)
            )
        return ours

    @property
    def dateline_in_lead(self) -> bool:
        """Wire copy keeps its dateline in the lead; pages then need not print it again."""
        return bool(self.dateline) and escape(self.dateline) in self.body[:500]

    # --- the editorial actions, each an object in `articles.actions` ---------------------------

    def status_choices_for(self, user) -> list[tuple[str, str]]:
        """The statuses `user` may move this item to, its present one included."""
        return actions.status_choices_for(self, user)

    def check_move(self, to: str, *, by, system: bool = False) -> None:
        actions.check_move(self, to, by=by, system=system)

    def change_status(
        self, to: str, *, by, reason: str = "", at: datetime.datetime | None = None
    ) -> Decision:
        return actions.change_status(self, to, by=by, reason=reason, at=at)

    def submit_for_review(self, *, by) -> None:
        actions.SubmitForReview(self, by=by).execute()

    def return_to_draft(self, *, by) -> None:
        actions.ReturnToDraft(self, by=by).execute()

    def publish(self, *, by=None, at: datetime.datetime | None = None) -> Decision:
        return actions.Publish(self, by=by, at=at).execute()

    def publish_gate(self, *, at: datetime.datetime | None = None, reports=None) -> Decision:
        return actions.publish_gate(self, at=at, reports=reports)

    def override(self, *, by, reason: str, at: datetime.datetime | None = None) -> Decision:
        return actions.Override(self, by=by, reason=reason, at=at).execute()

    def withdraw(self, *, by, reason: str) -> None:
        actions.Withdraw(self, by=by, reason=reason).execute()

    def kill(self, *, by, reason: str) -> None:
        actions.Kill(self, by=by, reason=reason).execute()

    def record_refusal(self, decision: Decision, *, by, right: Right = Right.PUBLISH, fields=()):
        return record_refusal(self, decision, by=by, right=right, fields=fields)

    def set_rights(self, *, by, reason: str, **changes) -> dict[str, list]:
        return actions.SetRights(self, by=by, reason=reason, **changes).execute()

    def settle(self, *, by, reason: str) -> dict[str, list]:
        return actions.Settle(self, by=by, reason=reason).execute()

    def save_if_unchanged(self, *, loaded_version: int, by=None) -> None:
        actions.SaveEdit(self, loaded_version=loaded_version, by=by).execute()

    def revert(self, *, to, by) -> list[str]:
        return actions.Revert(self, to=to, by=by).execute()


# The fields whose change `Article.guard_text()` judges: the text, and the flag that makes a
# headline ours (claiming the wire's headline as a working one would be a rewrite by the back door).
GUARDED_FIELDS = {*TEXT_FIELDS, "headline_is_working"}
SLUG_LENGTH = 80


def article_slug(headline: str, *, suffix: str = "") -> str:
    """The headline's slug with `suffix`, at most `SLUG_LENGTH` characters in all.

    Cut at the last word boundary that fits, so a long headline keeps whole words; a headline
    with no boundary in reach (one long word, a URL) is cut where the length ends.
    """
    base = slugify(headline).strip("-")
    room = SLUG_LENGTH - len(suffix)
    if len(base) > room:
        cut = base[:room]
        if base[room] != "-" and "-" in cut:
            cut = cut[: cut.rindex("-")]
        base = cut.strip("-")
    return f"{base or 'story'}{suffix}"


class Byline(ShownOnPages):
    class Role(models.TextChoices):
        WRITING = "writing", "Writing"
        REPORTING = "reporting", "Reporting"
        EDITING = "editing", "Editing"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting"
        PHOTOGRAPHY = "photography", "Photography"
        TRANSLATION = "translation", "Translation"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    # Indexed first in `byline_person_order_idx`, which serves every lookup by person.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="bylines", db_index=False
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.WRITING)
    place = models.CharField(max_length=100, blank=True, help_text="Where they reported from.")
    order = models.PositiveSmallIntegerField(default=0)
    # The article's publication time, copied by the database's triggers on every write of
    # either row (migration 0019), so that a person's list walks this table's index in the
    # lists' order instead of reading and sorting every story the person is credited on.
    published_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        ordering = ["article", "order"]
        constraints = [
            models.UniqueConstraint(fields=["article", "order"], name="byline_one_per_position")
        ]
        indexes = [
            models.Index(
                fields=["person", "-published_at", "-article"], name="byline_person_order_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} by {self.person.name}"
