"""The desk's upload pages, for wire copy and for pictures alike: several files in one field,
each read by ingest under a size limit, published only by those who may, and one line of the
report a file, a failed one named with its error while the good ones are stored."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from articles.ingest.files import big_enough_to_read, failed_file
from articles.ingest.loader import Ingest
from articles.ingest.picture import MAX_PICTURE_BYTES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once; `accept` names the media types the browser offers to pick."""

    def __init__(self, *args, accept: str = "", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept} if accept else {}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        return [one(d, initial) for d in data] if isinstance(data, list | tuple) else [one(data)]


def upload_page(
    request: HttpRequest,
    form_class: type[forms.Form],
    *,
    adds: str,
    publishes: str,
    refused: str,
    format: Callable[[dict], str],
    limit: int,
    title: str,
    template: str,
    describe: Callable | None = None,
) -> HttpResponse:
    """Ingest the files a form uploads, for one who holds the permission `adds` (else
    PermissionDenied with `refused`); publish only for one who also holds `publishes`.

    `format` reads the ingest format from the form's cleaned data; `limit` is the largest file
    read, in bytes; `describe`, where given, adds what the page's report says of each item.
    """
    if not request.user.has_perm(adds):
        raise PermissionDenied(refused)
    may_publish = request.user.has_perm(publishes)
    form = form_class(request.POST or None, request.FILES or None)
    if not may_publish:
        form.fields["publish"].disabled = True
        form.fields["publish"].help_text = "Your role cannot publish; an editor will."
    reports = []
    if request.method == "POST" and form.is_valid():
        try:
            run = Ingest(
                source=form.cleaned_data["source"],
                format=format(form.cleaned_data),
                publish=may_publish and form.cleaned_data["publish"],
                by=request.user,
            )
        except ValidationError as exc:  # a source whose time zone is none
            form.add_error("source", exc.messages)
        else:
            # One batch: a story finds the pictures uploaded with it (or in its ZIP archive).
            files = []
            for upload in form.cleaned_data["files"]:
                start = upload.read(12)
                upload.seek(0)
                most = max(limit, MAX_PICTURE_BYTES) if big_enough_to_read(start) else limit
                if upload.size > most:
                    too_large = f"file is larger than {most // (1024 * 1024)} MiB"
                    files.append((upload.name, failed_file(upload.name, too_large)))
                else:
                    files.append((upload.name, upload.read()))
            reports.extend(run.uploads(files))
    for report in reports:  # the file is named once, before its error and its warnings
        report.reason = report.error.removeprefix(f"{report.path}: ") if report.error else ""
        report.notes = [w.removeprefix(f"{report.path}: ") for w in report.warnings]
        if describe is not None:
            describe(report)
    # A picture a story was stored without is said on the story's line (its notes): its own
    # line, saying the same of the same file, would read as if the file were not stored.
    said = {note for report in reports for note in report.notes}
    reports = [
        r
        for r in reports
        if not (r.type == "picture" and r.status == "skipped" and r.reason in said)
    ]
    context = {
        **admin.site.each_context(request),
        "title": title,
        "form": form,
        "reports": reports,
        "failed": sum(r.status == "error" for r in reports),
    }
    return TemplateResponse(request, template, context)
