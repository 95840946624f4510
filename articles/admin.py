"""The admin: editorial workflow and rights governance, each article's rights explained in words.

Every permission is enforced here on the server (views, actions, forms) and again in the model
methods the admin calls; a hidden button is only a courtesy.
"""

from __future__ import annotations

import copy
import csv
import datetime
import difflib
import itertools
import re
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from articles.actions import live_copy_refusal, stale_message
from articles.errors import CopyRefused
from articles.ingest import views as ingest_views
from articles.models import (
    Article,
    AuditEntry,
    Byline,
    Licence,
    Person,
    Section,
    Source,
)
from articles.notices import CopyTerms
from articles.permissions import require_permission
from articles.rights import Decision, clearance, decide
from articles.sanitise import clean_html
from articles.vocabulary import (
    DERIVED_RIGHTS_FIELDS,
    GONE_STATUSES,
    LIVE_STATUSES,
    RIGHTS_FIELDS,
    TEXT_FIELDS,
    Right,
)
from articles.workflow import rights_report
from copycheck.check import check
from newsroom.admin import RecordAdmin


def countdown(moment: datetime.datetime, *, now: datetime.datetime) -> str:
    """Say how far `moment` is from `now`: "3 h", "45 min", "2 d"."""
    seconds = abs((moment - now).total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} d"


def countdown_label(when: datetime.datetime | None, *, coming: str, gone: str) -> str:
    """ "lifts in 3 h" or "lifted 2 d ago"; a dash when there is no such moment."""
    if when is None:
        return "–"
    now = timezone.now()
    if when > now:
        return f"{coming} in {countdown(when, now=now)}"
    return f"{gone} {countdown(when, now=now)} ago"


# --- sources and licences -------------------------------------------------------------------------


class LicenceInline(admin.StackedInline):
    model = Licence
    extra = 0
    fields = [
        ("reference", "valid_from", "valid_until"),
        ("grants_publish", "grants_broadcast", "grants_rewrite", "grants_redistribute"),
        "territories",
        "notes",
    ]


def report_rederived(request, licence: Licence) -> None:
    """Say what the licence's save derived again (`Licence.save()` does it on every path)."""
    if getattr(licence, "rederived", None) is not None:
        messages.info(
            request,
            f"{licence}: the rights of {len(licence.rederived)} item(s) were derived again.",
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_line", "suspended"]
    list_filter = ["kind", "suspended"]
    search_fields = ["name", "credit_line"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LicenceInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "suspended" in form.changed_data:
            AuditEntry.record(
                AuditEntry.Action.RIGHTS_CHANGE,
                source=obj,
                actor=request.user,
                reason=f"{obj} {'suspended' if obj.suspended else 'reinstated'}: its items "
                f"{'leave' if obj.suspended else 'may return to'} every public channel.",
                detail={"suspended": obj.suspended},
            )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Licence:
            for licence in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
                report_rederived(request, licence)


@admin.register(Licence)
class LicenceAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "source",
        "valid_from",
        "valid_until",
        "grants_publish",
        "grants_broadcast",
        "grants_rewrite",
        "grants_redistribute",
    ]
    list_filter = ["source"]
    search_fields = ["reference", "source__name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        report_rederived(request, obj)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation"]
    search_fields = ["name"]
    list_filter = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}


# --- articles: the change list --------------------------------------------------------------------


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["order", "person", "role", "place"]


class RightFilter(admin.SimpleListFilter):
    """Filter on one granted right; one subclass per right keeps parameter names distinct."""

    right: Right

    def lookups(self, request, model_admin):
        return [("yes", "Granted"), ("no", "Not granted")]

    def queryset(self, request, queryset):
        field = f"may_{self.right.value}"
        if self.value() in ("yes", "no"):
            return queryset.filter(**{field: self.value() == "yes"})
        return queryset


def right_filter(right: Right) -> type[RightFilter]:
    return type(
        f"{right.value.capitalize()}Filter",
        (RightFilter,),
        {"right": right, "title": f"{right.noun} right", "parameter_name": f"may_{right.value}"},
    )


class AvailabilityFilter(admin.SimpleListFilter):
    title = "availability"
    parameter_name = "availability"

    def lookups(self, request, model_admin):
        return [
            ("publishable", "Publishable now"),
            ("blocked", "Blocked by rights"),
            ("review", "Needs rights review"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "publishable":
            return queryset.filter(pk__in=Article.objects.permitting(Right.PUBLISH).values("pk"))
        if self.value() == "blocked":
            return queryset.blocked(Right.PUBLISH)
        if self.value() == "review":
            return queryset.needing_rights_review()
        return queryset


# --- articles: the change form --------------------------------------------------------------------


class ArticleForm(forms.ModelForm):
    """The change form; status changes go through the article's transitions and the publish gate."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Needed to withdraw or kill the item and for any change of its rights; kept in "
        "the audit log.",
    )
    user = None  # set per request by ArticleAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            # A new item starts as a draft or in review; it is published once saved.
            self.fields["status"].choices = (
                self.instance.status_choices_for(self.user)
                if self.instance.pk
                else [(s.value, s.label) for s in (Article.Status.DRAFT, Article.Status.REVIEW)]
            )
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        self.check_version(cleaned.get("loaded_version"))
        reason = (cleaned.get("reason") or "").strip()
        if set(self.changed_data) & set(RIGHTS_FIELDS) and not reason:
            self.add_error("reason", "Give a reason for the change of rights.")
        to = cleaned.get("status", self.instance.status)
        if to != self.instance.status and to in GONE_STATUSES and not reason:
            self.add_error("reason", f"Give a reason to mark it {Article.Status(to).label}.")
        candidate = self.candidate(cleaned)
        report = None
        if self.instance.status in LIVE_STATUSES:
            # The plain save keeps the stored status, so new text of a live item goes live.
            changed = [f for f in TEXT_FIELDS if f in self.changed_data]
            if changed:
                report = check(candidate)
                if self.refuse_live_text(candidate, changed, report):
                    return cleaned
        if to in LIVE_STATUSES:
            self.check_gate(cleaned, to=to, candidate=candidate, report=report)
        return cleaned

    def candidate(self, cleaned: dict) -> Article:
        """The item as this form would save it: its rights and text, not yet stored."""
        candidate = copy.copy(self.instance)
        for field in (*RIGHTS_FIELDS, *TEXT_FIELDS):
            if field in cleaned:
                setattr(candidate, field, cleaned[field])
        candidate.body = clean_html(candidate.body)
        return candidate

    def check_version(self, loaded: int | None) -> None:
        # Locks the row until the admin's transaction ends, so no save slips in before ours.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if loaded is None or loaded != current:
            raise ValidationError(stale_message(self.instance, loaded_version=loaded))

    def refuse_live_text(self, candidate: Article, changed: list[str], report) -> bool:
        """Refuse new text for a live item as the model would (`Article.guard_copy`), before
        anything is saved: an error on the body naming each passage, its item and notice."""
        if live_copy_refusal(candidate, self.instance, reports=[report]) is None:
            return False
        refused = CopyRefused(report=report, fields=changed, status=self.instance.status)
        self.instance.record_refusal(refused.decision, by=self.user, fields=changed)
        self.add_error(
            "body", [refused.message, *(passage_line(passage) for passage in report.passages)]
        )
        # The error takes the text out of cleaned_data, so the form's item would keep the stored
        # text: give it the refused text, for the shared-text panel to show what the form shows.
        for field in changed:
            setattr(self.instance, field, getattr(candidate, field))
        return True

    def check_gate(self, cleaned: dict, *, to: str, candidate: Article, report=None) -> None:
        now = timezone.now()
        at = cleaned.get("published_at")
        if to == Article.Status.SCHEDULED and (at is None or at <= now):
            self.add_error("published_at", "Give a future publication time to schedule it.")
            return
        if to == self.instance.status and "published_at" not in self.changed_data:
            return
        if at is None:
            cleaned["published_at"] = now
        decision = candidate.publish_gate(at=now, reports=None if report is None else [report])
        if not decision.allowed:
            self.instance.record_refusal(decision, by=self.user)
            self.add_error("status", ["Publication refused.", *decision.reasons])


def passage_line(passage) -> str:
    """One shared passage in words: how long, where it was found, and that item's notice."""
    item = passage.item
    notice = " ".join(item.copyright_notice.split()) or "no notice"
    return (
        f"{passage.length} words, “{passage.text}”, found in “{item.headline}” from "
        f"{item.source.name} ({notice})."
    )


def shared_text_table(report, *, verdict: bool = True) -> str:
    """A copy check's verdict, and each passage beside its item and that item's notice.

    `verdict=False` leaves out a refusal's reasons, for a page that lists them already.
    """
    said = (
        (" ".join(report.reasons) if verdict else "")
        if report.exceeds
        else (
            f"Short quotations only ({report.shared_words} of {report.words} words, the "
            f"longest {report.longest_run}): publication is not held up."
        )
    )
    rows = [
        (
            passage.length,
            passage.text,
            reverse("admin:articles_article_change", args=[passage.item.pk]),
            passage.item.headline,
            passage.item.source.name,
            passage.item.copyright_notice or "No notice.",
        )
        for passage in report.passages
    ]
    return format_html(
        '{}<table class="nr-shared"><thead><tr>'
        '<th scope="col">Words</th><th scope="col">Passage in this story</th>'
        '<th scope="col">Found in</th><th scope="col">Its notice</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        format_html('<p class="nr-shared__verdict">{}</p>', said) if said else "",
        format_html_join(
            "",
            '<tr><td>{}</td><td>“{}”</td><td><a href="{}">{}</a><br><small>{}</small></td>'
            "<td>{}</td></tr>",
            rows,
        ),
    )


@dataclass(frozen=True)
class WorkflowStep:
    """One workflow action with its own page: who may take it, and what it asks for."""

    label: str
    codename: str
    needs_reason: bool
    takes_time: bool

    def form(self, data=None) -> forms.Form:
        fields = {
            "reason": forms.CharField(
                required=self.needs_reason,
                widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
                help_text="Kept in the audit log.",
            )
        }
        if self.takes_time:
            fields["at"] = forms.DateTimeField(
                required=False,
                label="Publication time (UTC)",
                widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                help_text="Empty: now. A future time schedules it.",
            )
        return type("WorkflowForm", (forms.Form,), fields)(data)


WORKFLOW_STEPS = {
    "publish": WorkflowStep("Publish or schedule", "publish_article", False, True),
    "withdraw": WorkflowStep("Withdraw", "publish_article", True, False),
    "kill": WorkflowStep("Kill", "kill_article", True, False),
    "override": WorkflowStep("Override the refusal and publish", "override_refusal", True, True),
}


def gate_context(article: Article, step: WorkflowStep) -> dict:
    """What a workflow page shows of the publish gate before the step is taken.

    Publication's steps show the whole gate, rights and copy check, with each shared passage
    beside its item and notice; the others, the rights alone.
    """
    if not step.takes_time:
        return {"gate": clearance(article, Right.PUBLISH), "shared": ""}
    report = check(article)
    return {
        "gate": article.publish_gate(reports=[report]),
        "shared": shared_text_table(report, verdict=False) if report.passages else "",
    }


def take_step(action: str, article: Article, *, by, reason: str, at=None) -> Decision:
    if action == "publish":
        return article.publish(by=by, at=at)
    if action == "override":
        return article.override(by=by, reason=reason, at=at)
    getattr(article, action)(by=by, reason=reason)
    return Decision(allowed=True)


def body_lines(html: str) -> list[str]:
    return [line.strip() for line in re.split(r"(?<=</p>)|(?<=<br>)|\n", html) if line.strip()]


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Return the lines of a diff from `old` to `new`, each as (added|removed|same, text)."""
    kinds = {"+ ": "added", "- ": "removed", "  ": "same"}
    return [
        (kinds[line[:2]], line[2:])
        for line in difflib.ndiff(body_lines(old), body_lines(new))
        if line[:2] in kinds
    ]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: object
    new: object
    lines: list[tuple[str, str]]


def revision_changes(old, new) -> list[FieldChange]:
    """Compare two states of an article (revisions or the article itself), field by field."""
    changes = []
    for field in Article.history.model.tracked_fields:
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before == after:
            continue
        lines = text_diff(before, after) if field.name == "body" else []
        changes.append(FieldChange(str(field.verbose_name), before, after, lines))
    return changes


def basis_label(article: Article, right: Right) -> str:
    """Say where the item's `right` came from: "our licence", "the notice in the copy"."""
    basis = (article.rights_basis or {}).get(right.value)
    if basis not in Article.Basis.values:
        return "no recorded basis"
    if basis == Article.Basis.LICENCE and article.licence_id is not None:
        return f"{Article.Basis(basis).label}, {article.licence}"
    return Article.Basis(basis).label


def rights_at_a_glance(article: Article) -> str:
    rows = []
    for right in Right:
        granted = article.grants(right)
        label = basis_label(article, right)
        rows.append(
            (
                "nr-right nr-right--granted" if granted else "nr-right nr-right--denied",
                f"{right.noun.capitalize()}: {'granted' if granted else 'not granted'} "
                f"(from {label})",
                "✓" if granted else "✗",
                right.value,
            )
        )
    return format_html_join(
        "", '<span class="{}" title="{}"><span aria-hidden="true">{}</span> {}</span>', rows
    )


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleForm
    list_display = [
        "headline",
        "source",
        "status",
        "published_at",
        "rights",
        "embargo",
        "expiry",
        "rights_settled",
    ]
    list_filter = [
        AvailabilityFilter,
        "status",
        "source",
        "section",
        "rights_settled",
        *[right_filter(r) for r in Right],
    ]
    list_select_related = ["source", "licence"]
    search_fields = ["headline", "guid", "copyright_holder"]
    date_hierarchy = "published_at"
    inlines = [BylineInline]
    actions = ["publish_selected", "submit_selected_for_review"]
    readonly_fields = [
        "rights_panel",
        "shared_text_panel",
        "guid",
        "version",
        "wire_format",
        "wire_original",
        *DERIVED_RIGHTS_FIELDS,
    ]
    fieldsets = [
        (
            "Content",
            {
                "fields": [
                    "headline",
                    "headline_is_working",
                    "slug",
                    "standfirst",
                    "body",
                    "dateline",
                    "language",
                    "section",
                    "editor_note",
                    "shared_text_panel",
                ]
            },
        ),
        (
            "Rights",
            {
                "fields": [
                    "rights_panel",
                    "source",
                    ("copyright_holder", "copyright_year"),
                    "copyright_notice",
                    "usage_terms",
                    ("may_publish", "may_broadcast", "may_rewrite", "may_redistribute"),
                    "rights_settled",
                    "territories",
                    "rights_expire_at",
                    "no_archive",
                    ("licence", "rights_set_by_hand"),
                    "rights_explanation",
                ]
            },
        ),
        (
            "Workflow",
            {
                "fields": [
                    "status",
                    "published_at",
                    "embargo_until",
                    "reason",
                    "version",
                    "loaded_version",
                ]
            },
        ),
        (
            "Wire",
            {"classes": ["collapse"], "fields": ["guid", "wire_format", "wire_original"]},
        ),
    ]

    class Media:
        css = {"all": ["admin-newsroom/newsroom.css"]}

    # --- who may change what ----------------------------------------------------------------------

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("articles.publish_article")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        user = request.user
        if obj is None:
            # A new item's rights are derived from its source when it is first saved.
            readonly += [field for field in RIGHTS_FIELDS if field != "source"]
            return readonly
        if not user.has_perm("articles.change_article_rights"):
            readonly += RIGHTS_FIELDS
        if not user.has_perm("articles.publish_article"):
            readonly += ["published_at", "embargo_until"]
        if obj.status == Article.Status.KILLED:
            readonly += ["status"]
        if not clearance(obj, Right.REWRITE).allowed:
            readonly += [*TEXT_FIELDS, "body_text"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        """Where the rewrite right is denied, the content fieldset says why its text is read-only
        and shows the body as readers see it (`body_text`)."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.pk is None:
            return fieldsets
        rewrite = clearance(obj, Right.REWRITE)
        if rewrite.allowed:
            return fieldsets
        fieldsets = copy.deepcopy(fieldsets)
        options = fieldsets[0][1]
        options["description"] = format_html(
            '<p class="nr-locked">The headline, standfirst and body cannot be changed: {}</p>',
            rewrite.explanation,
        )
        options["fields"] = ["body_text" if f == "body" else f for f in options["fields"]]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        user = request.user
        obj._history_user = user
        to, at = obj.status, obj.published_at
        reason = form.cleaned_data.get("reason", "")
        if not change:
            obj.status, obj.published_at = Article.Status.DRAFT, None
            obj.derive_rights(terms=CopyTerms())
            obj.save()
        else:
            stored = Article.objects.get(pk=obj.pk)
            rights = {f: getattr(obj, f) for f in RIGHTS_FIELDS if f in form.changed_data}
            # Rights and status are held back from the plain save: they change only through
            # set_rights() and the transitions, which check permission and record why.
            for field in (*RIGHTS_FIELDS, *DERIVED_RIGHTS_FIELDS, "status", "published_at"):
                setattr(obj, field, getattr(stored, field))
            obj.save_if_unchanged(loaded_version=form.cleaned_data["loaded_version"], by=user)
            if rights:
                obj.set_rights(by=user, reason=reason, **rights)
        if to != obj.status or (to in LIVE_STATUSES and "published_at" in form.changed_data):
            decision = obj.change_status(to, by=user, reason=reason, at=at)
            if decision.allowed:
                self.message_user(request, f"{obj}: {obj.get_status_display().lower()}.")
            else:
                self.message_user(
                    request, f"Publication refused. {decision.explanation}", messages.ERROR
                )
        if to not in LIVE_STATUSES and obj.status not in (*LIVE_STATUSES, Article.Status.KILLED):
            self.warn_of_shared_text(request, obj)

    def warn_of_shared_text(self, request, obj: Article) -> None:
        """Check the saved text of an item not yet live; warn, naming the items, if the publish
        gate would refuse it for the text it shares. Live items' text is checked before saving."""
        report = check(obj)
        if report.exceeds:
            self.message_user(
                request,
                f"{obj}: saved, but publication would be refused for the text it shares. "
                + " ".join(report.reasons),
                messages.WARNING,
            )

    # --- the change list ------------------------------------------------------------------------

    @admin.display(description="Rights")
    def rights(self, obj: Article) -> str:
        return rights_at_a_glance(obj)

    @admin.display(description="Embargo", ordering="embargo_until")
    def embargo(self, obj: Article) -> str:
        return countdown_label(obj.embargo_until, coming="lifts", gone="lifted")

    @admin.display(description="Rights expiry", ordering="rights_expire_at")
    def expiry(self, obj: Article) -> str:
        return countdown_label(obj.rights_expire_at, coming="expires", gone="expired")

    @admin.action(description="Publish the selected articles", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published = 0
        for article in queryset.select_related("source"):
            try:
                decision = article.publish(by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{article}: {' '.join(error.messages)}", messages.ERROR)
                continue
            if decision.allowed:
                published += 1
            else:
                self.message_user(
                    request, f"{article}: refused. {decision.explanation}", messages.ERROR
                )
        if published:
            self.message_user(request, f"Published {published} article(s).")

    @admin.action(description="Submit the selected drafts for review", permissions=["change"])
    def submit_selected_for_review(self, request, queryset):
        for article in queryset:
            try:
                article.submit_for_review(by=request.user)
            except (ValidationError, PermissionDenied) as error:
                message = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{article}: {message}", messages.ERROR)

    # --- the change form ------------------------------------------------------------------------

    @admin.display(description="What each right allows now")
    def rights_panel(self, obj: Article | None) -> str:
        if obj is None or obj.pk is None:
            return "Rights are derived from the source when the article is first saved."
        rows = []
        for right in Right:
            held = clearance(obj, right)
            public = decide(obj, right)
            if held.allowed:
                state, why = "Granted", "Its rights allow it."
                if not public.allowed:
                    why += " Not public now: " + public.explanation
            else:
                state, why = "Not allowed", held.explanation
            rows.append(
                (
                    "nr-panel--granted" if held.allowed else "nr-panel--denied",
                    right.noun.capitalize(),
                    state,
                    basis_label(obj, right),
                    why,
                )
            )
        return format_html(
            '<dl class="nr-panel">{}</dl>',
            format_html_join(
                "",
                '<dt class="{}">{}: <strong>{}</strong> <small>from {}</small></dt><dd>{}</dd>',
                rows,
            ),
        )

    @admin.display(description="Body")
    def body_text(self, obj: Article | None) -> str:
        """The body as readers see it, made safe again here, for text that cannot be edited."""
        if obj is None:
            return ""
        return format_html('<div class="nr-body">{}</div>', mark_safe(clean_html(obj.body)))

    @admin.display(description="Text shared with protected copy")
    def shared_text_panel(self, obj: Article | None) -> str:
        """Each passage this story shares with copy whose text may not be reused, beside it."""
        if obj is None or obj.pk is None:
            return "Checked when the article is saved."
        report = check(obj)
        if not report.passages:
            return "None: it shares no passage with copy whose text may not be reused."
        return shared_text_table(report)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["workflow_links"] = [
            (reverse(f"admin:articles_article_{action}", args=[object_id]), step.label)
            for action, step in WORKFLOW_STEPS.items()
            if request.user.has_perm(f"articles.{step.codename}")
        ]
        return super().change_view(request, object_id, form_url, extra_context)

    # --- pages of their own ---------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        steps = [
            path(
                f"<path:object_id>/{action}/",
                view(self.workflow_view),
                {"action": action},
                name=f"articles_article_{action}",
            )
            for action in WORKFLOW_STEPS
        ]
        return [
            path("rights-report/", view(self.rights_report_view), name="articles_article_report"),
            path("ingest/", view(ingest_views.upload), name="articles_article_ingest"),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="articles_article_preview",
            ),
            *steps,
            *super().get_urls(),
        ]

    def article_or_404(self, request, object_id) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(f"No article with id {object_id}.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def page(self, request, template: str, context: dict, *, status: int = 200):
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, template, context, status=status)

    def workflow_view(self, request, object_id, action):
        article = self.article_or_404(request, object_id)
        step = WORKFLOW_STEPS[action]
        form = step.form(request.POST if request.method == "POST" else None)
        context = {
            "title": f"{step.label}: {article}",
            "article": article,
            "step": step,
            "form": form,
            "may_override": request.user.has_perm("articles.override_refusal"),
            "refusal": [],
        }
        try:
            require_permission(request.user, step.codename, to=step.label.lower())
            if request.method == "POST" and form.is_valid():
                decision = take_step(
                    action,
                    article,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    at=form.cleaned_data.get("at"),
                )
                if decision.allowed:
                    self.message_user(
                        request, f"{article}: {article.get_status_display().lower()}."
                    )
                    return HttpResponseRedirect(
                        reverse("admin:articles_article_change", args=[article.pk])
                    )
                context["refusal"] = decision.reasons
        except PermissionDenied as denied:
            context["denied"] = str(denied)
            return self.page(request, "admin/articles/article/workflow.html", context, status=403)
        except ValidationError as error:
            form.add_error(None, error)
        context.update(gate_context(article, step))
        return self.page(request, "admin/articles/article/workflow.html", context)

    def preview_view(self, request, object_id):
        """Show the article as readers would see it, to staff only; never cached, never indexed.

        `admin_view` already marks the response never-cache.
        """
        article = self.article_or_404(request, object_id)
        response = TemplateResponse(
            request,
            "articles/preview.html",
            {
                "article": article,
                "body": mark_safe(clean_html(article.body)),
                "decision": decide(article, Right.PUBLISH),
            },
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def rights_report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            days = min(max(int(request.GET.get("days", 7)), 1), 90)
        except ValueError:
            days = 7
        report = rights_report(days=days)
        return self.page(
            request,
            "admin/articles/article/rights_report.html",
            {"title": f"Rights report: the next {days} day(s)", "report": report, "days": days},
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show one revision against the article now (or `?against=` another), and revert to it."""
        article = self.article_or_404(request, object_id)
        record = get_object_or_404(article.history, history_id=version_id)
        against = article
        if request.GET.get("against", "").isdigit():
            against = get_object_or_404(article.history, history_id=request.GET["against"])
        error = ""
        if request.method == "POST":
            try:
                changed = article.revert(to=record, by=request.user)
            except PermissionDenied as denied:
                raise PermissionDenied(str(denied)) from denied
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                self.message_user(
                    request,
                    f"Reverted {', '.join(changed)} to revision {record.history_id}."
                    if changed
                    else "Nothing to revert: the text already matches that revision.",
                )
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
        return self.page(
            request,
            "admin/articles/article/revision.html",
            {
                "title": f"Revision {record.history_id} of {article}",
                "article": article,
                "record": record,
                "against": against,
                "changes": revision_changes(record, against),
                "revisions": article.history.select_related("history_user")[:50],
                "error": error,
                "may_revert": self.has_change_permission(request, article),
            },
        )


# --- the audit log ------------------------------------------------------------------------------


class _Line:
    """A file that hands back what is written to it, so csv.writer yields rows to stream."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value) -> str:
    # A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    list_display = ["at", "action", "article", "source", "licence", "actor", "reason"]
    list_filter = ["action", "source", "actor", ("at", admin.DateFieldListFilter)]
    search_fields = ["reason", "article__headline"]
    date_hierarchy = "at"
    list_select_related = ["article", "source", "licence", "actor"]

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="articles_auditentry_export",
        )
        return [export, *super().get_urls()]

    def export_view(self, request):
        """Stream the entries the change list shows, with its filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        header = ["id", "at", "action", "actor", "article_id", "article", "source", "licence"]
        header += ["reason", "detail"]
        rows = (
            [
                e.pk,
                e.at.isoformat(),
                e.action,
                e.actor.get_username() if e.actor else "",
                e.article_id or "",
                e.article or "",
                e.source or "",
                e.licence or "",
                e.reason,
                e.detail,
            ]
            for e in entries.iterator(chunk_size=500)
        )
        writer = csv.writer(_Line())
        response = StreamingHttpResponse(
            (
                writer.writerow([csv_cell(v) for v in row])
                for row in itertools.chain([header], rows)
            ),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
        return response
