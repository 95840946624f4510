"""The picture desk's upload page: several files at once, each through ingest, a line for each."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse

from articles.ingest.picture import MAX_PICTURE_BYTES
from articles.models import Source
from articles.uploads import MultipleFileField, upload_page


class PictureUploadForm(forms.Form):
    files = MultipleFileField(
        label="Pictures",
        accept="image/jpeg,image/png,image/webp",
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
    return upload_page(
        request,
        PictureUploadForm,
        adds="pictures.add_picture",
        publishes="pictures.change_picture",
        refused="Only newsroom staff who may add pictures can upload them.",
        format=lambda cleaned: "picture",
        limit=MAX_PICTURE_BYTES,
        title="Upload pictures",
        template="admin/pictures/picture/upload.html",
    )
