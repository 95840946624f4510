"""The audit log: read, filtered and exported, never written by hand."""

from __future__ import annotations

import csv
import itertools
import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.template.loader import render_to_string

from articles.admin import sentences, wording
from articles.models import AuditEntry
from newsroom.admin import RecordAdmin


class _Line:
    """A file that hands back what is written to it, so csv.writer yields rows to stream."""

    def write(self, value: str) -> str:
        return value


def csv_cell(value) -> str:
    # A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


class ActorFilter(admin.RelatedOnlyFieldListFilter):
    """Who acted, by name, among those in the log; "the system or ingest" where no one did."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "who"
        self.empty_value_display = "the system or ingest"

    def field_choices(self, field, request, model_admin):
        acted = model_admin.get_queryset(request).values("actor")
        users = field.related_model._default_manager.filter(pk__in=acted)
        return sorted(((u.pk, wording.person(u)) for u in users), key=lambda choice: choice[1])


class SourceFilter(admin.RelatedOnlyFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = "no source"


class WhenFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "date"


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    """The log in words: each entry's detail as a sentence, its data only behind a disclosure."""

    # What an entry is about (its article, else its licence, else its source) is one column, so
    # the log fits a laptop; the entry's page names each.
    list_display = ["when", "what_happened", "who", "about"]
    fields = [
        "when",
        "action",
        "what_happened",
        "who",
        "article",
        "source",
        "licence",
        "reason_given",
        "as_data",
    ]
    readonly_fields = fields
    list_filter = ["action", ("source", SourceFilter), ("actor", ActorFilter), ("at", WhenFilter)]
    search_fields = ["reason", "article__headline"]
    date_hierarchy = "at"
    list_select_related = ["article", "picture", "source", "licence", "licence__source", "actor"]
    empty_value_display = "none"

    class Media:
        css = {"all": ["admin-newsroom/newsroom.css"]}

    @admin.display(description="When", ordering="at")
    def when(self, entry: AuditEntry) -> str:
        return wording.moment(entry.at)

    @admin.display(description="What happened")
    def what_happened(self, entry: AuditEntry) -> str:
        return sentences.audit_sentence(entry)

    @admin.display(description="About")
    def about(self, entry: AuditEntry) -> str:
        picture = f"Picture: {entry.picture}" if entry.picture_id else None
        return str(entry.article or picture or entry.licence or entry.source or "–")

    @admin.display(description="Who", ordering="actor")
    def who(self, entry: AuditEntry) -> str:
        return sentences.actor(entry)

    @admin.display(description="Reason given")
    def reason_given(self, entry: AuditEntry) -> str:
        """The reason in the actor's words, where the sentence above does not already say it."""
        if entry.reason and entry.reason.rstrip(".") in sentences.audit_sentence(entry):
            return "as above"
        return entry.reason or "none"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, object_id)
        if entry is not None:
            said = f"{entry.get_action_display()}, {wording.moment(entry.at)}"
            extra_context = {**(extra_context or {}), "subtitle": said}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="As data")
    def as_data(self, entry: AuditEntry) -> str:
        """The detail as stored, for whoever needs the data itself, behind a disclosure."""
        if not entry.detail:
            return "none"
        data = json.dumps(entry.detail, indent=2, sort_keys=True, ensure_ascii=False)
        return render_to_string("admin/articles/auditentry/as_data.html", {"data": data})

    def get_urls(self):
        return [self.view_url("export", self.export_view), *super().get_urls()]

    def export_view(self, request):
        """Stream the entries the change list shows, with its filters, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        entries = self.get_changelist_instance(request).get_queryset(request)
        header = ["id", "at", "action", "actor", "article_id", "article", "source", "licence"]
        header += ["reason", "what happened", "detail"]
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
                sentences.audit_sentence(e),
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
