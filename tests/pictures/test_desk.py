"""The picture desk: several files uploaded at once, the library's filters and thumbnails, the
copy panel on the change form."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.vocabulary import Status
from pictures.copies import store_hashes
from pictures.models import Picture
from tests.factories import member
from tests.pictures.files import AGENCY_NOTICE, stored_picture
from tests.pictures.photos import CHANGES, jpeg, photo

pytestmark = pytest.mark.django_db

LIST = "admin:pictures_picture_changelist"


def test_several_pictures_uploaded_at_once_a_bad_one_named(editor_client, desk):
    files = [
        SimpleUploadedFile("harbour.jpg", jpeg(photo(1)), content_type="image/jpeg"),
        SimpleUploadedFile(
            "broken.jpg", b"\xff\xd8\xff\xe0 not a picture", content_type="image/jpeg"
        ),
        SimpleUploadedFile("market.jpg", jpeg(photo(2)), content_type="image/jpeg"),
    ]
    response = editor_client.post(
        reverse("admin:pictures_picture_upload"), {"files": files, "source": desk.pk}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert Picture.objects.count() == 2
    assert "3 files, 1 failed" in html
    assert "<strong>broken.jpg</strong> was not stored: a broken JPEG picture" in html
    assert "harbour.jpg" in html and "market.jpg" in html


def test_a_reporter_uploads_but_may_not_publish_and_others_may_not_upload(client, desk):
    client.force_login(member("Reporter"))
    html = client.get(reverse("admin:pictures_picture_upload")).content.decode()
    assert "Your role cannot publish" in html
    client.force_login(member(None))
    assert client.get(reverse("admin:pictures_picture_upload")).status_code == 403


@pytest.fixture
def library(make_source, desk):
    agency = make_source("Meridian Press Agency")
    now = timezone.now()
    return {
        "free": stored_picture(desk, title="Free to use"),
        "blocked": stored_picture(
            agency, title="Forbidden", may_publish=False, rights_basis={"publish": "notice"}
        ),
        "review": stored_picture(agency, title="Unread terms", rights_settled=False),
        "expired": stored_picture(
            agency, title="Gone by", rights_expire_at=now - datetime.timedelta(days=1)
        ),
        "soon": stored_picture(
            agency, title="Going soon", rights_expire_at=now + datetime.timedelta(days=3)
        ),
        "later": stored_picture(
            agency, title="Going later", rights_expire_at=now + datetime.timedelta(days=30)
        ),
    }


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("rights=may", {"free", "soon", "later"}),
        ("rights=blocked", {"blocked", "expired"}),
        ("rights=review", {"review"}),
        ("expiry=expired", {"expired"}),
        ("expiry=soon", {"soon"}),
        ("expiry=none", {"free", "blocked", "review"}),
    ],
)
def test_the_library_filters(editor_client, library, query, shown):
    response = editor_client.get(reverse(LIST) + "?" + query)
    listed = set(response.context["cl"].result_list.values_list("pk", flat=True))
    assert listed == {library[name].pk for name in shown}


def test_the_library_filters_by_source(editor_client, library, desk):
    response = editor_client.get(reverse(LIST) + f"?source__id__exact={desk.pk}")
    assert list(response.context["cl"].result_list) == [library["free"]]


def test_the_library_lists_in_a_constant_number_of_queries(
    editor_client, library, make_source, django_assert_max_num_queries
):
    editor_client.get(reverse(LIST))  # sessions and permissions cached
    with django_assert_max_num_queries(12) as few:
        editor_client.get(reverse(LIST))
    agency = make_source("Northern Wire")
    for n in range(20):
        stored_picture(agency, title=f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = editor_client.get(reverse(LIST)).content.decode()
    assert html.count('class="nr-thumb"') == 26


def test_thumbnails_of_blocked_pictures_on_the_desk_need_the_view_permission(client, library):
    url = reverse("admin:pictures_picture_thumbnail", args=[library["blocked"].pk])
    assert client.get(library["blocked"].get_absolute_url()).status_code == 451
    client.force_login(member(None))
    assert client.get(url).status_code == 403
    client.force_login(member("Reporter"))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content[:2] == b"\xff\xd8"
    assert "private" in response["Cache-Control"]
    assert client.get(reverse("admin:pictures_picture_thumbnail", args=[999999])).status_code == 404


def test_the_change_form_shows_the_original_beside_the_copy(editor_client, desk, make_source):
    agency = make_source("Meridian Press Agency")
    original = stored_picture(
        agency, data=jpeg(photo(1)), title="Harbour at dawn", may_rewrite=False,
        copyright_holder="Meridian Press Agency", copyright_notice=AGENCY_NOTICE,
    )  # fmt: skip
    store_hashes(original, jpeg(photo(1)))
    copy = stored_picture(
        desk, data=jpeg(CHANGES["cropped 10% off the left"](photo(1))), title="Our harbour",
        status=Status.DRAFT, published_at=None,
    )  # fmt: skip

    html = editor_client.get(reverse("admin:pictures_picture_change", args=[copy.pk])).content
    html = html.decode()

    assert "The original:" in html and "Harbour at dawn" in html
    assert reverse("admin:pictures_picture_thumbnail", args=[original.pk]) in html
    assert "Meridian Press Agency" in html and "of 128 bits" in html
    clean = editor_client.get(reverse("admin:pictures_picture_change", args=[original.pk]))
    assert "Not a copy of any picture whose rights forbid reuse" in clean.content.decode()
