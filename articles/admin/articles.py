"""The article's admin: the change list with its rights at a glance, and the change form, whose
rights and status change only through the article's own steps.

Every permission is enforced here on the server (views, actions, forms) and again in the model
methods the admin calls; a hidden button is only a courtesy.
"""

from __future__ import annotations

import copy

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from articles.actions import PAGES, rewrite_guarded
from articles.admin import panels
from articles.admin.filters import AvailabilityFilter, DeskFilter, right_filter
from articles.admin.forms import ArticleForm
from articles.admin.paging import DeskPaginator
from articles.admin.revisions import RevisionViews
from articles.admin.search import VectorSearch
from articles.admin.upload import upload
from articles.admin.workflow import WorkflowViews, preview_link, workflow_links
from articles.models import Article, Byline
from articles.notices import CopyTerms
from articles.pins import may_pin, pin, unpin
from articles.rights import clearance
from articles.vocabulary import (
    DERIVED_RIGHTS_FIELDS,
    LIVE_STATUSES,
    RIGHTS_FIELDS,
    TEXT_FIELDS,
    Right,
    Status,
)
from copycheck.check import check

FRONT_PAGE_FIELDSET = (
    "Front page",
    {
        "fields": [("front_place", "front_until")],
        "description": "A pinned story stays in its place until the pin ends; the rest of the "
        "top is the latest stories. A pin never shows a story its rights keep from readers.",
    },
)


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["order", "person", "role", "place"]


@admin.register(Article)
class ArticleAdmin(VectorSearch, WorkflowViews, RevisionViews, SimpleHistoryAdmin):
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
        DeskFilter,
        AvailabilityFilter,
        "status",
        "source",
        "section",
        ("published_at", admin.DateFieldListFilter),
        "rights_settled",
        *[right_filter(r) for r in Right],
    ]
    list_select_related = ["source", "licence"]
    search_fields = ["headline", "guid", "copyright_holder"]
    # No date hierarchy: its years are a DISTINCT over every row. The publication filter above
    # offers today, the past week, this month and this year, each a range on the order's index.
    # The list counts at most what it must (`paging`), and never the whole table.
    paginator = DeskPaginator
    show_full_result_count = False
    inlines = [BylineInline]
    actions = ["publish_selected", "submit_selected_for_review"]
    raw_id_fields = ["lead_picture"]
    readonly_fields = [
        "rights_panel",
        "lead_picture_panel",
        "body_pictures_panel",
        "where_it_may_go",
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
                    "body_pictures_panel",
                    "dateline",
                    "language",
                    "section",
                    "lead_picture",
                    "lead_picture_panel",
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
                    ("territories", "excluded_territories"),
                    ("rights_start_at", "rights_expire_at"),
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
        if obj.status == Status.KILLED:
            readonly += ["status"]
        if not clearance(obj, Right.REWRITE).allowed:
            # A working headline is ours to change; whether it is one is not ours to say.
            guarded = rewrite_guarded(TEXT_FIELDS, working=obj.headline_is_working)
            readonly += [*guarded, "body_text", "headline_is_working"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        """Where the rewrite right is denied, the content fieldset says why its text is read-only
        and shows the body as readers see it (`body_text`). Those who may pin see the front
        page's pin."""
        fieldsets = super().get_fieldsets(request, obj)
        if may_pin(request.user):
            fieldsets = [*fieldsets[:3], FRONT_PAGE_FIELDSET, *fieldsets[3:]]
        if obj is None or not request.user.has_perm("articles.change_article_rights"):
            fieldsets = panels.territories_in_words(fieldsets)
        if obj is None or obj.pk is None:
            return fieldsets
        rewrite = clearance(obj, Right.REWRITE)
        if rewrite.allowed:
            return fieldsets
        fieldsets = copy.deepcopy(fieldsets)
        options = fieldsets[0][1]
        options["description"] = panels.text_locked(rewrite, working=obj.headline_is_working)
        options["fields"] = ["body_text" if f == "body" else f for f in options["fields"]]
        # On restricted copy the rights are what the desk must read first, before a locked text.
        rights = [fs for fs in fieldsets if fs[0] == "Rights"]
        return [*rights, *(fs for fs in fieldsets if fs[0] != "Rights")]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        user = request.user
        obj._history_user = user
        to, at = obj.status, obj.published_at
        reason = form.cleaned_data.get("reason", "")
        if not change:
            obj.status, obj.published_at = Status.DRAFT, None
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
                self.tell_status(request, obj)
            else:
                self.message_user(
                    request, f"Publication refused. {decision.explanation}", messages.ERROR
                )
        if to not in LIVE_STATUSES and obj.status not in (*LIVE_STATUSES, Status.KILLED):
            self.warn_of_shared_text(request, obj)
        self.save_pin(request, obj, form, reason=reason)

    def save_pin(self, request, obj: Article, form, *, reason: str) -> None:
        """Pin or unpin as the form asks; `articles.pins` checks the permission and audits."""
        if not {"front_place", "front_until"} & set(form.changed_data):
            return
        place = form.cleaned_data.get("front_place")
        if place:
            held = pin(
                obj,
                position=place,
                until=form.cleaned_data["front_until"],
                by=request.user,
                reason=reason,
            )
            self.message_user(request, f"Pinned: {held}.")
        elif unpin(obj, by=request.user, reason=reason):
            self.message_user(request, f"{obj}: taken off the front page's top.")

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

    def action_checkbox(self, obj: Article) -> str:
        return panels.action_checkbox(obj)

    @admin.display(description="Rights")
    def rights(self, obj: Article) -> str:
        return panels.rights_at_a_glance(obj)

    @admin.display(description="Embargo", ordering="embargo_until")
    def embargo(self, obj: Article) -> str:
        return panels.countdown_label(obj.embargo_until, coming="lifts", gone="lifted")

    @admin.display(description="Expiry", ordering="rights_expire_at")
    def expiry(self, obj: Article) -> str:
        return panels.countdown_label(obj.rights_expire_at, coming="expires", gone="expired")

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
        return panels.rights_panel(obj)

    @admin.display(description="Where the lead picture goes")
    def lead_picture_panel(self, obj: Article | None) -> str:
        return panels.lead_picture_panel(obj)

    @admin.display(description="Where the body's pictures go")
    def body_pictures_panel(self, obj: Article | None) -> str:
        return panels.body_pictures_panel(obj)

    @admin.display(description="Where it may go")
    def where_it_may_go(self, obj: Article | None) -> str:
        return panels.where_it_may_go(obj)

    @admin.display(description="Body")
    def body_text(self, obj: Article | None) -> str:
        return panels.body_text(obj)

    @admin.display(description="Text shared with protected copy")
    def shared_text_panel(self, obj: Article | None) -> str:
        return panels.shared_text_panel(obj)

    def get_list_display(self, request):
        """Columns by role: what a reporter needs to find a story; the clock's columns for
        those who publish or settle rights. Whether rights are settled is a mark of its own in
        the rights column, so the list fits a laptop."""
        columns = ["headline", "status", "source", "published_at", "rights"]
        if request.user.has_perm("articles.publish_article") or request.user.has_perm(
            "articles.change_article_rights"
        ):
            columns += ["embargo", "expiry"]
        return columns

    def changelist_view(self, request, extra_context=None):
        legend = [(panels.RIGHT_MARKS[right], right.value) for right in Right]
        return super().changelist_view(request, {**(extra_context or {}), "rights_legend": legend})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, unquote(object_id))
        if article is not None:
            extra_context["workflow_links"] = workflow_links(request.user, article)
        extra_context["preview_link"] = preview_link(request, object_id)
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
            for action in PAGES
        ]
        return [
            path("rights-report/", view(self.rights_report_view), name="articles_article_report"),
            path("ingest/", view(upload), name="articles_article_ingest"),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="articles_article_preview",
            ),
            *steps,
            *super().get_urls(),
        ]
