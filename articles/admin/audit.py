"""The audit log: read, filtered and exported, never written by hand."""

from __future__ import annotations

import csv
import itertools

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse

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


@admin.register(AuditEntry)
class AuditEntryAdmin(RecordAdmin):
    list_display = ["at", "action", "article", "source", "licence", "actor", "reason"]
    list_filter = ["action", "source", "actor", ("at", admin.DateFieldListFilter)]
    search_fields = ["reason", "article__headline"]
    date_hierarchy = "at"
    list_select_related = ["article", "source", "licence", "actor"]

    def get_urls(self):
        return [self.view_url("export", self.export_view), *super().get_urls()]

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
