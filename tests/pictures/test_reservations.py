"""A served picture says its text-and-data-mining reservation as an article page does: in its
XMP `plus:DataMining`, from the one rule (`articles.reservations`), never the file's own value,
and in the TDMRep headers of its response."""

from __future__ import annotations

import pytest

from articles.ingest.picture import read_picture
from articles.notices import CopyTerms, parse_notice
from articles.reservations import DMI_ALLOWED, DMI_RESERVED
from tests.pictures.files import AGENCY_NOTICE, stored_picture

pytestmark = pytest.mark.django_db

POLICY = "http://testserver/legal/rights/#text-and-data-mining"
# What an agency's file may claim; the newsroom's rule, not the file, says what a rendition does.
FILE_SAYS_ALLOWED = {"data_mining": DMI_ALLOWED}
CC_BY = CopyTerms(notice=parse_notice("Photo by Ana Lima, licensed under CC BY 4.0")).as_json()


def served(client, photo, *, ext="jpg", width=320):
    response = client.get(photo.rendition_url(width, ext))
    assert response.status_code == 200
    return response, read_picture(response.content, name=f"served.{ext}")


@pytest.mark.parametrize("ext", ["jpg", "webp"])
def test_an_agency_picture_is_reserved_whatever_its_file_says(client, make_source, ext):
    photo = stored_picture(make_source(), copyright_notice=AGENCY_NOTICE, **FILE_SAYS_ALLOWED)
    response, read = served(client, photo, ext=ext)
    assert read.data_mining == DMI_RESERVED
    assert response["tdm-reservation"] == "1"
    assert response["tdm-policy"] == POLICY


def test_a_staff_picture_follows_the_staff_setting_in_both_places(client, desk, settings):
    settings.TDM_RESERVE_STAFF = False
    photo = stored_picture(desk, data_mining=DMI_RESERVED)
    response, read = served(client, photo)
    assert read.data_mining == DMI_ALLOWED
    assert response["tdm-reservation"] == "0"
    assert "tdm-policy" not in response

    # Turned on again: a new rendition (its name carries the reservation) and the headers.
    settings.TDM_RESERVE_STAFF = True
    response, read = served(client, photo)
    assert read.data_mining == DMI_RESERVED
    assert response["tdm-reservation"] == "1"


def test_an_agency_picture_under_cc_by_is_free_to_mine(client, make_source):
    photo = stored_picture(make_source(), copy_terms=CC_BY, data_mining=DMI_RESERVED)
    response, read = served(client, photo, ext="webp")
    assert read.data_mining == DMI_ALLOWED
    assert response["tdm-reservation"] == "0"
    assert "tdm-policy" not in response


def test_the_policy_follows_tdm_policy_url(client, make_source, settings):
    settings.TDM_POLICY_URL = "https://licensing.example/tdm"
    photo = stored_picture(make_source())
    response, _ = served(client, photo)
    assert response["tdm-policy"] == "https://licensing.example/tdm"


@pytest.mark.parametrize(
    ("fields", "status"), [({"may_publish": False}, 451), ({"status": "withdrawn"}, 410)]
)
def test_a_refused_picture_declares_nothing_as_a_refused_article_page(
    client, make_source, fields, status
):
    photo = stored_picture(make_source(), **fields)
    response = client.get(photo.rendition_url(320, "jpg"))
    assert response.status_code == status
    assert "tdm-reservation" not in response and "tdm-policy" not in response


def test_the_declaration_costs_no_query(client, make_source, django_assert_max_num_queries):
    photo = stored_picture(make_source())
    served(client, photo)  # made once
    with django_assert_max_num_queries(2):
        response, _ = served(client, photo)
    assert response["tdm-reservation"] == "1"
