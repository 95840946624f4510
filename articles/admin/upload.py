"""The admin page where staff upload wire files and read the same per-item report as the command."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from articles.admin import wording
from articles.ingest import FORMATS, MAX_BYTES
from articles.ingest.loader import Ingest, big_enough_to_read, failed_file
from articles.ingest.picture import MAX_PICTURE_BYTES
from articles.models import Source


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        return [one(d, initial) for d in data] if isinstance(data, list | tuple) else [one(data)]


class IngestForm(forms.Form):
    files = MultipleFileField(
        label="Wire files",
        help_text="Several at once. Read from their content: plain text, ninjs (IPTC, Superdesk, "
        "BBC), NewsML-G2, NewsML 1.2, NITF, AP Media API JSON, RSS and Atom, IPTC 7901, ANPA "
        "1312 and email (.eml) with its attachments. A ZIP archive is read as the files inside "
        "it. A story's pictures (ninjs associations, NewsML-G2 picture items) are stored as its "
        "lead when their files are uploaded with it, in the same upload or archive.",
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


def upload(request: HttpRequest) -> HttpResponse:
    """Ingest uploaded files for a user who may add articles; publish only if they may publish."""
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied("Only newsroom staff who may add articles can ingest wire copy.")
    may_publish = request.user.has_perm("articles.publish_article")
    reports = []
    form = IngestForm(request.POST or None, request.FILES or None)
    if not may_publish:
        form.fields["publish"].disabled = True
        form.fields["publish"].help_text = "Your role cannot publish; an editor will."
    run = None
    if request.method == "POST" and form.is_valid():
        try:
            run = Ingest(
                source=form.cleaned_data["source"],
                format=form.cleaned_data["format"],
                publish=may_publish and form.cleaned_data["publish"],
                by=request.user,
            )
        except ValidationError as exc:  # a source whose time zone is none
            form.add_error("source", exc.messages)
    if run is not None:
        # One batch: a story finds the pictures uploaded with it (or in its ZIP archive).
        files = []
        for upload in form.cleaned_data["files"]:
            start = upload.read(12)
            upload.seek(0)
            limit = MAX_PICTURE_BYTES if big_enough_to_read(start) else MAX_BYTES
            if upload.size > limit:
                too_large = f"file is larger than {limit // (1024 * 1024)} MiB"
                files.append((upload.name, failed_file(upload.name, too_large)))
            else:
                files.append((upload.name, upload.read()))
        reports.extend(run.uploads(files))
    for report in reports:  # the report's times as the desk says them
        report.times = {
            key: wording.moment(datetime.datetime.fromisoformat(value))
            for key in ("embargo_until", "rights_start_at", "rights_expire_at")
            if (value := getattr(report, key))
        }
    context = {
        **admin.site.each_context(request),
        "title": "Ingest wire copy",
        "form": form,
        "reports": reports,
        "failed": sum(r.status == "error" for r in reports),
    }
    return TemplateResponse(request, "admin/articles/ingest.html", context)
