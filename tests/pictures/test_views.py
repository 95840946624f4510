"""Serving a picture by the page rule: 200 with its bytes, or a refusal's status and no bytes."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from articles.vocabulary import Status
from tests.factories import max_age
from tests.pictures.files import picture, stored_picture

pytestmark = pytest.mark.django_db


def country(code: str) -> dict[str, str]:
    return {"CF-IPCountry": code}


def get(client, photo, *, width=320, ext="webp", **kwargs):
    return client.get(photo.rendition_url(width, ext), **kwargs)


@pytest.mark.parametrize(("ext", "content_type"), [("jpg", "image/jpeg"), ("webp", "image/webp")])
def test_a_picture_its_rights_allow_is_served(client, desk, ext, content_type):
    photo = stored_picture(desk, data=picture(size=(1200, 900)))
    response = get(client, photo, width=640, ext=ext)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert Image.open(io.BytesIO(response.content)).size == (640, 480)
    assert "public" in response["Cache-Control"]
    assert "CF-IPCountry" in response["Vary"]


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"may_publish": False}, 451),
        ({"rights_settled": False}, 451),
        ({"rights_expire_at": "past"}, 451),
        ({"status": Status.DRAFT, "published_at": None}, 404),
        ({"embargo_until": "future"}, 404),
        ({"rights_start_at": "future"}, 404),
        ({"status": Status.WITHDRAWN}, 410),
        ({"status": Status.KILLED}, 410),
    ],
)
def test_a_picture_its_rights_forbid_answers_its_refusal_with_no_bytes(
    client, make_source, fields, status
):
    now = timezone.now()
    moments = {"future": now + datetime.timedelta(hours=2), "past": now - datetime.timedelta(1)}
    fields = {k: moments.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    photo = stored_picture(make_source(), **fields)
    response = get(client, photo)
    assert response.status_code == status
    assert response.content == b""
    assert "no-store" in response["Cache-Control"]
    assert ("Link" in response) == (status == 451)
    if status == 451:
        assert 'rel="blocked-by"' in response["Link"]


def test_a_picture_limited_to_a_territory_is_served_there_only(client, desk):
    photo = stored_picture(desk, territories=frozenset({"GB"}))
    assert get(client, photo, headers=country("GB")).status_code == 200
    refused = get(client, photo, headers=country("FR"))
    assert refused.status_code == 451 and refused.content == b""
    assert "CF-IPCountry" in refused["Vary"]


def test_an_unknown_picture_a_width_not_offered_and_another_extension_are_not_found(client, desk):
    photo = stored_picture(desk, data=picture(size=(800, 600)))
    assert client.get("/pictures/999999/320.webp").status_code == 404
    assert get(client, photo, width=1600).status_code == 404  # never made larger
    assert get(client, photo, width=800).status_code == 200  # its own width instead
    assert get(client, photo, width=500).status_code == 404
    assert get(client, photo, ext="gif").status_code == 404


def test_a_restricted_picture_is_never_rendered(client, make_source, monkeypatch):
    photo = stored_picture(make_source(), may_publish=False)
    monkeypatch.setattr("pictures.views.rendition", lambda *a, **k: pytest.fail("rendered"))
    assert get(client, photo).status_code == 451


def test_max_age_never_outlives_the_pictures_rights(client, desk, settings):
    settings.PUBLIC_MAX_AGE = 3600
    photo = stored_picture(desk, rights_expire_at=timezone.now() + datetime.timedelta(minutes=5))
    response = get(client, photo)
    assert response.status_code == 200
    assert 0 < max_age(response) <= 300


def test_serving_a_picture_costs_a_constant_number_of_queries(
    client, desk, django_assert_max_num_queries
):
    photo = stored_picture(desk)
    get(client, photo)  # made once
    with django_assert_max_num_queries(2):
        assert get(client, photo).status_code == 200
