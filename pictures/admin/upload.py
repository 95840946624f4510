"""The picture desk's upload page: several files at once, each through ingest, a line for each."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from articles.ingest.loader import Ingest, failed_file
from articles.ingest.picture import MAX_PICTURE_BYTES
from articles.models import Source


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        return [one(d, initial) for d in data] if isinstance(data, list | tuple) else [one(data)]


class PictureUploadForm(forms.Form):
    files = MultipleFileField(
        label="Pictures",
        help_text="Several at once: JPEG, PNG or WebP, up to 50 MiB each. Their rights are read "
        "from the XMP and IPTC they carry.",
    )
    source = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        empty_label="From the file (credit or copyright holder)",
    )
    publish = forms.BooleanField(
        required=False,
        help_text="Publish each picture the gate lets through; refusals are listed.",
    )


def upload(request: HttpRequest) -> HttpResponse:
    """Ingest the uploaded pictures for one who may add them; publish only if they may change."""
    if not request.user.has_perm("pictures.add_picture"):
        raise PermissionDenied("Only newsroom staff who may add pictures can upload them.")
    may_publish = request.user.has_perm("pictures.change_picture")
    form = PictureUploadForm(request.POST or None, request.FILES or None)
    if not may_publish:
        form.fields["publish"].disabled = True
        form.fields["publish"].help_text = "Your role cannot publish; an editor will."
    reports = []
    if request.method == "POST" and form.is_valid():
        run = Ingest(
            source=form.cleaned_data["source"],
            format="picture",
            publish=may_publish and form.cleaned_data["publish"],
            by=request.user,
        )
        for file in form.cleaned_data["files"]:
            if file.size > MAX_PICTURE_BYTES:
                too_large = f"file is larger than {MAX_PICTURE_BYTES // (1024 * 1024)} MiB"
                reports.append(failed_file(file.name, too_large))
            else:
                reports.extend(run.data(file.read(), name=file.name))
    for report in reports:  # the file is named once, before its error
        report.reason = report.error.removeprefix(f"{report.path}: ") if report.error else ""
    context = {
        **admin.site.each_context(request),
        "title": "Upload pictures",
        "form": form,
        "reports": reports,
        "failed": sum(r.status == "error" for r in reports),
    }
    return TemplateResponse(request, "admin/pictures/picture/upload.html", context)
