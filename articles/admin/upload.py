"""The admin page where staff upload wire files and read the same per-item report as the command."""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpRequest, HttpResponse

from articles.admin import wording
from articles.ingest import FORMATS, MAX_BYTES
from articles.models import Source
from articles.uploads import MultipleFileField, upload_page


class IngestForm(forms.Form):
    files = MultipleFileField(
        label="Wire files",
        help_text="Several at once. Read from their content: plain text, ninjs (IPTC, Superdesk, "
        "BBC), NewsML-G2, NewsML 1.2, NITF, AP Media API JSON, RSS and Atom, IPTC 7901, ANPA "
        "1312 and email (.eml) with its attachments. A ZIP archive is read as the files inside "
        "it. A story's pictures (ninjs and AP associations, NewsML-G2 picture items, NewsML 1.2 "
        "photo components) are stored, the first as its lead, when their files are uploaded "
        "with it, in the same upload or archive; a NewsML-G2 picture item on its own is stored "
        "as a picture.",
    )
    format = forms.ChoiceField(
        choices=[("auto", "Detect from content"), *[(f, f) for f in FORMATS]], initial="auto"
    )
    source = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        empty_label="From the copy (provider or copyright holder)",
        help_text="A source chosen here reads its copy with its own settings: its format (when "
        "the format is detected), its time zone for times given without one, its default "
        "section. The report says which times were read in which zone.",
    )
    publish = forms.BooleanField(
        required=False, help_text="Publish each item whose rights allow it; refusals are listed."
    )


def with_times(report) -> None:
    """The report's times as the desk says them."""
    report.times = {
        key: wording.moment(datetime.datetime.fromisoformat(value))
        for key in ("embargo_until", "rights_start_at", "rights_expire_at")
        if (value := getattr(report, key))
    }


def upload(request: HttpRequest) -> HttpResponse:
    """Ingest uploaded files for a user who may add articles; publish only if they may publish."""
    return upload_page(
        request,
        IngestForm,
        adds="articles.add_article",
        publishes="articles.publish_article",
        refused="Only newsroom staff who may add articles can ingest wire copy.",
        format=lambda cleaned: cleaned["format"],
        limit=MAX_BYTES,
        title="Ingest wire copy",
        template="admin/articles/ingest.html",
        describe=with_times,
    )
