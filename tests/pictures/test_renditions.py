"""Renditions: served widths, never larger than the picture, upright, no EXIF, rights in XMP."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles.ingest.picture import read_picture
from articles.reservations import DMI_RESERVED
from pictures.renditions import render, rendition
from tests.pictures.files import AGENCY_NOTICE, gps_exif, picture, stored_picture

pytestmark = pytest.mark.django_db

RIGHTS = {
    "copyright_notice": AGENCY_NOTICE,
    "credit_line": "Meridian / Ann Lens",
    "creators": ["Ann Lens", "Bo Shutter"],
    "usage_terms": "Editorial use only.",
    "web_statement": "https://meridian.example/licensing",
    "data_mining": "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED",
}


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize(("ext", "format"), [("jpg", "JPEG"), ("webp", "WEBP")])
@pytest.mark.parametrize("width", [320, 640, 1024, 1600])
def test_each_served_width_is_made_at_that_width_keeping_the_shape(desk, ext, format, width):
    photo = stored_picture(desk, data=picture(size=(2000, 1500)))
    made = opened(render(photo, width=width, ext=ext))
    assert made.format == format
    assert made.size == (width, width * 3 // 4)


def test_a_picture_is_never_made_larger_than_it_is(desk):
    photo = stored_picture(desk, data=picture(size=(800, 600)))
    assert photo.widths == [320, 640, 800]
    assert opened(render(photo, width=1600, ext="jpg")).size == (800, 600)


def test_the_exif_orientation_is_applied(desk):
    # Stored on its side (orientation 6: turn 90 degrees clockwise to view): 800 x 600 shows
    # as 600 x 800, the red half on top.
    photo = stored_picture(desk, data=picture(size=(800, 600), exif=gps_exif(orientation=6)))
    made = opened(render(photo, width=320, ext="jpg")).convert("RGB")
    assert made.size == (320, 427)
    top, bottom = made.getpixel((160, 20)), made.getpixel((160, 400))
    assert top[0] > 150 and top[2] < 100  # red
    assert bottom[2] > 150 and bottom[0] < 100  # blue


@pytest.mark.parametrize("ext", ["jpg", "webp"])
def test_no_exif_leaves_with_a_rendition_no_place_and_no_camera_serial(desk, ext):
    photo = stored_picture(desk, data=picture(exif=gps_exif(orientation=1)))
    data = render(photo, width=320, ext=ext)
    made = opened(data)
    assert not made.getexif() and "exif" not in made.info
    assert b"CAMERA-SERIAL-0042" not in data and b"Exif Artist" not in data


@pytest.mark.parametrize("ext", ["jpg", "webp"])
def test_the_rights_travel_with_a_rendition_in_its_xmp(make_source, ext):
    photo = stored_picture(make_source(), **RIGHTS)
    again = read_picture(render(photo, width=320, ext=ext), name=f"rendition.{ext}")
    assert again.notice.text == AGENCY_NOTICE
    assert again.credit == "Meridian / Ann Lens"
    assert again.creators == ["Ann Lens", "Bo Shutter"]
    assert again.usage_terms == "Editorial use only."
    assert again.web_statement == "https://meridian.example/licensing"
    # The newsroom's reservation for an agency picture, not the file's own value.
    assert again.data_mining == DMI_RESERVED


def test_a_rendition_is_made_once_and_kept_under_renditions(desk, monkeypatch):
    photo = stored_picture(desk)
    name = rendition(photo, width=320, ext="webp")
    assert name.startswith(f"renditions/{photo.pk}/") and default_storage.exists(name)
    monkeypatch.setattr("pictures.renditions.render", lambda *a, **k: pytest.fail("made again"))
    assert rendition(photo, width=320, ext="webp") == name


def test_a_new_version_makes_a_new_rendition(desk):
    photo = stored_picture(desk, credit_line="Old credit")
    before = rendition(photo, width=320, ext="jpg")
    photo.credit_line, photo.version = "New credit", photo.version + 1
    photo.save()
    after = rendition(photo, width=320, ext="jpg")
    assert after != before
    with default_storage.open(after) as file:
        assert read_picture(file.read(), name="r.jpg").credit == "New credit"
