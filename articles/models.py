"""Sources and their licences, people, articles with their rights, and the audit log."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from articles.errors import AppendOnlyError, CopyRefused, RewriteRefused, StaleVersion
from articles.fields import TerritoriesField
from articles.permissions import require_permission, require_reason
from articles.querysets import ArticleQuerySet, AuditQuerySet
from articles.rights import Decision, clearance
from articles.sanitise import clean_html
from articles.vocabulary import (
    LIVE_STATUSES,
    NOT_KILLED,
    OVERRIDE_FIELDS,
    REVERTIBLE_FIELDS,
    RIGHTS_FIELDS,
    TEXT_FIELDS,
    Basis,
    Right,
    SourceKind,
    Status,
)


class Source(models.Model):
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
    Status = Status
    Basis = Basis

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
                condition=~Q(status__in=list(LIVE_STATUSES)) | Q(published_at__isnull=False),
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
            models.Index(fields=["wire_hash"], name="article_wire_hash_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and (update_fields is None or set(update_fields) & set(TEXT_FIELDS)):
            self.guard_text()
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

    def guard_text(self) -> None:
        """Refuse a change to headline, standfirst or body that the item's rights do not allow.

        This is the model's own check, so it holds on every path: the admin, a revert, an ingest
        update from another source, the shell. The wire's own newer version of the item is not
        a rewrite: ingest marks it with `wire_update`. A change needs the rewrite right; a change
        to a live item's text must also pass the copy check (`guard_copy`).
        """
        if getattr(self, "wire_update", False):
            return
        stored = Article.objects.select_related("source").filter(pk=self.pk).first()
        if stored is None:
            return
        changed = [f for f in TEXT_FIELDS if getattr(stored, f) != getattr(self, f)]
        if not changed:
            return
        rewrite = clearance(stored, Right.REWRITE)
        if not rewrite.allowed:
            raise RewriteRefused(
                f"The {', '.join(changed)} of this item cannot be changed: {rewrite.explanation}"
            )
        if self.status in LIVE_STATUSES:
            self.guard_copy(stored, changed=changed, by=getattr(self, "_history_user", None))

    def guard_copy(self, stored: Article, *, changed: list[str], by=None) -> None:
        """Refuse new text for a live item that shares more than the threshold with protected copy.

        A published or scheduled item's text reaches readers without passing the publish gate
        again, so its new text is checked here, and a refusal is recorded like the gate's. Text
        that already passed the threshold when stored (published on a rights manager's
        override) may still be corrected.
        """
        report = self.live_copy_refusal(stored)
        if report is None:
            return
        refused = CopyRefused(report=report, fields=changed, status=self.status)
        self.record_refusal(refused.decision, by=by, fields=changed)
        raise refused

    def live_copy_refusal(self, stored: Article, *, report=None):
        """The copy check's report when this new text of live `stored` must be refused, or None.

        Costs the check's two queries (none when `report`, a check of this text, is given),
        and two more only when the new text passes the threshold, to learn whether the
        stored text already did.
        """
        from copycheck.check import check

        report = report if report is not None else check(self)
        if not report.exceeds or check(stored).exceeds:
            return None
        return report

    @property
    def dateline_in_lead(self) -> bool:
        """Wire copy keeps its dateline in the lead; pages then need not print it again."""
        return bool(self.dateline) and escape(self.dateline) in self.body[:500]

    def grants(self, right: Right) -> bool:
        return getattr(self, f"may_{right.value}")

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

    # --- the workflow ----------------------------------------------------------------------------

    def status_choices_for(self, user) -> list[tuple[str, str]]:
        """The statuses `user` may move this item to, its present one included."""
        return [
            (status.value, status.label)
            for status in self.Status
            if status == self.status
            or (
                self.status in MOVES[status]
                and user.has_perm(f"articles.{MOVES[status][self.status]}")
            )
        ]

    def check_move(self, to: str, *, by, system: bool = False) -> None:
        """Refuse a move the workflow does not allow, or one that `by` lacks the permission for.

        `system` admits `by=None` as the newsroom itself (ingest run from the command line).
        """
        if self.status not in MOVES[to]:
            raise ValidationError(
                f"A {self.get_status_display().lower()} item cannot be moved to "
                f"“{self.Status(to).label}”."
                + (" A kill is final." if self.status == self.Status.KILLED else "")
            )
        if not (system and by is None):
            require_permission(by, MOVES[to][self.status], to=MOVE_VERBS[to])

    def change_status(
        self, to: str, *, by, reason: str = "", at: datetime.datetime | None = None
    ) -> Decision:
        """Move to `to` through its own transition; only publication can be refused."""
        if to in (self.Status.PUBLISHED, self.Status.SCHEDULED):
            return self.publish(by=by, at=at)
        {
            self.Status.DRAFT: lambda: self.return_to_draft(by=by),
            self.Status.REVIEW: lambda: self.submit_for_review(by=by),
            self.Status.WITHDRAWN: lambda: self.withdraw(by=by, reason=reason),
            self.Status.KILLED: lambda: self.kill(by=by, reason=reason),
        }[to]()
        return Decision(allowed=True)

    @transaction.atomic
    def submit_for_review(self, *, by) -> None:
        self.check_move(self.Status.REVIEW, by=by)
        self._move(self.Status.REVIEW, by=by, action=AuditEntry.Action.REVIEW)

    @transaction.atomic
    def return_to_draft(self, *, by) -> None:
        self.check_move(self.Status.DRAFT, by=by)
        self._move(self.Status.DRAFT, by=by, action=AuditEntry.Action.DRAFT)

    @transaction.atomic
    def publish(self, *, by=None, at: datetime.datetime | None = None) -> Decision:
        """Publish now, or schedule for `at`, through the publish gate, the one for every path.

        On refusal change nothing but the audit log, and return the gate's decision: its reasons
        name the right, the source and the notice, and what would change it. `by=None` is the
        newsroom itself (ingest from the command line); a person needs the publish permission.
        """
        now = timezone.now()
        to = self.Status.SCHEDULED if at is not None and at > now else self.Status.PUBLISHED
        self.check_move(to, by=by, system=True)
        decision = self.publish_gate(at=now)
        if not decision.allowed:
            self.record_refusal(decision, by=by)
            return decision
        self._go_live(by=by, at=at or now, now=now)
        return decision

    def publish_gate(self, *, at: datetime.datetime | None = None, report=None) -> Decision:
        """The publish gate's test: the item's rights, then the text it shares with other copy.

        A story that shares more than the threshold with copy whose text may not be reused is
        refused like any rights refusal, with the passages' items and notices named. `report`
        is a copy check of this text already made, to spare making it again.
        """
        from copycheck.check import check

        rights = clearance(self, Right.PUBLISH, at=at)
        copied = (report if report is not None else check(self)).reasons
        return Decision(allowed=rights.allowed and not copied, reasons=(*rights.reasons, *copied))

    @transaction.atomic
    def override(self, *, by, reason: str, at: datetime.datetime | None = None) -> Decision:
        """Publish over the gate's refusal on a rights manager's word, recorded with the reason.

        The override becomes the item's rights basis for publication: it grants publication,
        settles the rights and lifts an expiry already past, since those are the item's own. A
        suspended source is not the item's to override: the source's suspension must be lifted.
        """
        require_permission(by, "override_refusal", to="override a refusal")
        reason = require_reason(reason, what="an override")
        self.check_move(self.Status.PUBLISHED, by=None, system=True)
        now = timezone.now()
        refusal = self.publish_gate(at=now)
        if refusal.allowed:
            raise ValidationError(
                "There is nothing to override: its rights allow publication, so an editor can "
                "publish it."
            )
        if self.source.suspended:
            raise ValidationError(
                f"Its source, {self.source.name}, is suspended, and an override cannot lift "
                "that: lift the suspension on the source first."
            )
        before = self._values(OVERRIDE_FIELDS)
        if not clearance(self, Right.PUBLISH, at=now).allowed:
            self.may_publish = True
            self.rights_basis = {**(self.rights_basis or {}), Right.PUBLISH.value: "override"}
            self.rights_settled = True
            if self.rights_expire_at is not None and self.rights_expire_at <= now:
                self.rights_expire_at = None
            self.rights_set_by_hand = True
        self.rights_explanation = _append(
            self.rights_explanation,
            f"Publication granted by {by.get_username()}'s override: {reason}",
        )
        self.save_version(*OVERRIDE_FIELDS, by=by)
        AuditEntry.record(
            AuditEntry.Action.OVERRIDE,
            article=self,
            actor=by,
            reason=reason,
            detail={
                "right": Right.PUBLISH.value,
                "overridden": list(refusal.reasons),
                "changes": field_changes(before, self._values(OVERRIDE_FIELDS)),
            },
        )
        self._go_live(by=by, at=at or now, now=now)
        return Decision(allowed=True)

    @transaction.atomic
    def withdraw(self, *, by, reason: str) -> None:
        """Take a published or scheduled item down from every channel (410 Gone)."""
        self.check_move(self.Status.WITHDRAWN, by=by)
        reason = require_reason(reason, what="a withdrawal")
        self._move(self.Status.WITHDRAWN, by=by, action=AuditEntry.Action.WITHDRAW, reason=reason)

    @transaction.atomic
    def kill(self, *, by, reason: str) -> None:
        """Remove the item for legal reasons: gone (410) from every channel, for good.

        Articles are never deleted, since their audit history must stay whole; a kill is how one
        goes.
        """
        self.check_move(self.Status.KILLED, by=by)
        reason = require_reason(reason, what="a kill")
        self._move(self.Status.KILLED, by=by, action=AuditEntry.Action.KILL, reason=reason)

    def record_refusal(
        self, decision: Decision, *, by, right: Right = Right.PUBLISH, fields=()
    ) -> None:
        """Record a refusal in the audit log; `fields`: the text fields of a refused live edit."""
        detail = {"right": right.value, "reasons": list(decision.reasons)}
        if fields:
            detail["fields"] = list(fields)
        AuditEntry.record(
            AuditEntry.Action.REFUSAL,
            article=self,
            actor=by,
            reason=decision.explanation,
            detail=detail,
        )

    # --- rights by hand -------------------------------------------------------------------------

    @transaction.atomic
    def set_rights(self, *, by, reason: str, **changes) -> dict[str, list]:
        """Change rights fields by a rights manager's hand, recorded with the reason.

        Return the changes made, as {field: [old, new]}. Rights set by hand stay as set when a
        licence changes later.
        """
        require_permission(by, "change_article_rights", to="change an item's rights")
        unknown = sorted(set(changes) - set(RIGHTS_FIELDS))
        if unknown:
            raise TypeError(f"Not rights fields: {', '.join(unknown)}.")
        reason = require_reason(reason, what="a rights change")
        before = self._values(changes)
        for field, value in changes.items():
            setattr(self, field, value)
        changed = field_changes(before, self._values(changes))
        if not changed:
            return {}
        basis = dict(self.rights_basis or {})
        for right in Right:
            if f"may_{right.value}" in changed:
                basis[right.value] = "manual"
        self.rights_basis = basis
        self.rights_set_by_hand = True
        self.rights_explanation = _append(
            self.rights_explanation, f"Changed by {by.get_username()}: {reason}"
        )
        self.save_version(
            *changed, "rights_basis", "rights_set_by_hand", "rights_explanation", by=by
        )
        AuditEntry.record(
            AuditEntry.Action.RIGHTS_CHANGE,
            article=self,
            actor=by,
            reason=reason,
            detail={"changes": changed},
        )
        return changed

    # --- saving edits and reverting them ----------------------------------------------------------

    def save_if_unchanged(self, *, loaded_version: int, by=None) -> None:
        """Save, unless someone saved the article since it was loaded at `loaded_version`.

        The version moves by compare-and-swap, `UPDATE ... WHERE id=? AND version=?`: of two
        editors saving the same version, the second finds no row to update and is refused. New
        text for a live item may be refused by the copy check (`CopyRefused`): the version
        stays as loaded, and the refusal is recorded.
        """
        try:
            self._save_if_unchanged(loaded_version=loaded_version, by=by)
        except CopyRefused as refused:
            self.version = loaded_version
            self.keep_refusal(refused, by=by)
            raise

    @transaction.atomic
    def _save_if_unchanged(self, *, loaded_version: int, by=None) -> None:
        swapped = Article.objects.filter(pk=self.pk, version=loaded_version).update(
            version=loaded_version + 1
        )
        if not swapped:
            raise StaleVersion(self.stale_message(loaded_version=loaded_version))
        self.version = loaded_version + 1
        if by is not None and by.is_authenticated:
            self._history_user = by
        self.save()

    def stale_message(self, *, loaded_version: int) -> str:
        latest = self.history.order_by("-history_date", "-history_id").first()
        who = (
            f", saved by {latest.history_user.get_username()} at "
            f"{latest.history_date:%Y-%m-%d %H:%M} UTC"
            if latest is not None and latest.history_user is not None
            else ""
        )
        current = Article.objects.filter(pk=self.pk).values_list("version", flat=True).first()
        return (
            f"Someone else saved this article while you were editing it (you opened version "
            f"{loaded_version}; it is now version {current}{who}). Nothing of yours was saved: "
            "your text is kept below. Open the article again in a new tab and apply your "
            "changes there."
        )

    def revert(self, *, to, by) -> list[str]:
        """Restore the text, editorial fields and embargo of the revision `to`.

        Rights and status are not restored: they change only through their own gated
        transitions. Restoring the text is rewriting it, so it needs the rewrite right; restoring
        a live item's text passes the copy check too.
        """
        try:
            return self._revert(to=to, by=by)
        except CopyRefused as refused:
            self.refresh_from_db(fields=[*REVERTIBLE_FIELDS, "version"])  # as stored
            self.keep_refusal(refused, by=by)
            raise

    def keep_refusal(self, refused: CopyRefused, *, by) -> None:
        """Record a copy refusal whose entry went with the transaction the refusal rolled back."""
        self.record_refusal(refused.decision, by=by, fields=refused.fields)

    @transaction.atomic
    def _revert(self, *, to, by) -> list[str]:
        require_permission(by, "change_article", to="revert an item")
        if to.id != self.pk:
            raise ValueError(f"Revision {to.history_id} is not of article {self.pk}.")
        attnames = {name: self._meta.get_field(name).attname for name in REVERTIBLE_FIELDS}
        changed = [
            name
            for name, attname in attnames.items()
            if getattr(to, attname) != getattr(self, attname)
        ]
        text = [name for name in changed if name in TEXT_FIELDS]
        rewrite = clearance(self, Right.REWRITE)
        if text and not rewrite.allowed:
            raise ValidationError(
                f"Reverting the {', '.join(text)} would rewrite this item, and its rights do not "
                f"allow that: {rewrite.explanation}"
            )
        for name in changed:
            setattr(self, attnames[name], getattr(to, attnames[name]))
        if changed:
            self._change_reason = f"Reverted to revision {to.history_id}"
            self.save_version(*changed, by=by)
        return changed

    # --- internals ------------------------------------------------------------------------------

    def _move(self, to: str, *, by, action: str, reason: str = "") -> None:
        was = self.status
        self.status = to
        self.save_version("status", by=by)
        AuditEntry.record(
            action, article=self, actor=by, reason=reason, detail={"from": was, "to": to}
        )

    def _go_live(self, *, by, at: datetime.datetime, now: datetime.datetime) -> None:
        was = self.status
        self.status = self.Status.SCHEDULED if at > now else self.Status.PUBLISHED
        self.published_at = at
        self.save_version("status", "published_at", by=by)
        AuditEntry.record(
            AuditEntry.Action.PUBLISH,
            article=self,
            actor=by,
            reason=f"Scheduled for {at:%Y-%m-%d %H:%M} UTC." if at > now else "Published.",
            detail={"from": was, "to": self.status, "published_at": at.isoformat()},
        )

    def save_version(self, *fields: str, by=None) -> None:
        """Save `fields` as the next version, counted from the locked row so none is lost."""
        stored = (
            Article.objects.select_for_update().values_list("version", flat=True).get(pk=self.pk)
        )
        self.version = stored + 1
        if by is not None and by.is_authenticated:
            self._history_user = by
        self.save(update_fields=[*dict.fromkeys(fields), "version", "updated_at"])

    def _values(self, fields) -> dict:
        return {field: getattr(self, field) for field in fields}


# The workflow: for each status, the statuses an item may come from and the permission the move
# needs. A kill is final; a published item leaves through a withdrawal (with a reason), not a
# quiet return to draft.
MOVES: dict[str, dict[str, str]] = {
    Status.DRAFT: {
        Status.REVIEW: "change_article",
        Status.SCHEDULED: "publish_article",
        Status.WITHDRAWN: "publish_article",
    },
    Status.REVIEW: {Status.DRAFT: "change_article"},
    Status.SCHEDULED: dict.fromkeys(NOT_KILLED, "publish_article"),
    Status.PUBLISHED: dict.fromkeys(NOT_KILLED, "publish_article"),
    Status.WITHDRAWN: dict.fromkeys(LIVE_STATUSES, "publish_article"),
    Status.KILLED: dict.fromkeys(NOT_KILLED, "kill_article"),
}
MOVE_VERBS = {
    Status.DRAFT: "return an item to draft",
    Status.REVIEW: "submit an item for review",
    Status.SCHEDULED: "schedule an item",
    Status.PUBLISHED: "publish an item",
    Status.WITHDRAWN: "withdraw an item",
    Status.KILLED: "kill an item",
}


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


def _append(explanation: str, line: str) -> str:
    return f"{explanation} {line}".strip()


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
        REVIEW = "review", "Submitted for review"
        DRAFT = "draft", "Returned to draft"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Every link protects its target: clearing it would be an UPDATE of the log. Users, articles,
    # sources and licences with a history are deactivated, killed or ended, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    licence = models.ForeignKey(
        Licence, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
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
