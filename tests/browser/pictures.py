"""What the browser tests of pictures share: the photo agency whose photo is for print only
(though our licence with it covers pictures online), photos read from their files by ingest,
and the checks a page with pictures must pass."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone

from articles.ingest.loader import Ingest
from articles.models import Licence, Source
from articles.vocabulary import Right
from pictures.demo import PHOTOS, jpeg
from pictures.models import Picture

LANDSCAPE, EVENING, REEF = PHOTOS
# The agency's photo, with the real wording of a print-only photo's terms.
PRINT_ONLY = dataclasses.replace(
    REEF,
    guid="urn:test:photo:print-only",
    credit="Tom Reyes / Harbour Photo Agency",
    notice="Copyright 2026 Harbour Photo Agency. For print use only.",
)


def photo_agency() -> Source:
    """The agency, and our licence with it, which grants all four rights: the print-only
    photo's own terms keep it to print all the same."""
    agency = Source.objects.create(
        name="Harbour Photo Agency", slug="harbour-photo-agency", credit_line="Harbour Photo"
    )
    Licence.objects.create(
        source=agency,
        reference="HPA-2026",
        valid_from=timezone.now() - datetime.timedelta(days=30),
        **{f"grants_{right.value}": True for right in Right},
    )
    return agency


def ingested(tmp_path, *photos) -> list[Picture]:
    """Each (photo, source) written as a JPEG and read by ingest, published, in order."""
    stored = []
    for photo, source in photos:
        path = tmp_path / photo.name
        path.write_bytes(jpeg(photo))
        [report] = Ingest(source=source, publish=True, format="picture").paths([path])
        stored.append(Picture.objects.get(pk=report.id))
    return stored


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def loaded(image) -> bool:
    return image.evaluate("img => img.complete && img.naturalWidth > 0")
