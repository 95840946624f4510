"""The picture desk in a real browser, at a newsroom laptop's size and a phone's: several
pictures uploaded at once (a bad one among them), the library with its filters, the change
form of a copy with its original beside it, and a rights manager setting rights by hand and
overriding the copy's refusal. Each page draws without a console error and needs no
sideways scrolling. Screenshots: artifacts/screenshots/pictures-*-desk.png and -phone.png."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Source
from articles.vocabulary import Status
from pictures.copies import store_hashes
from pictures.models import Picture
from tests.factories import wait_in_page
from tests.pictures.files import AGENCY_NOTICE, stored_picture
from tests.pictures.photos import CHANGES, jpeg, photo

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

AP_FEED = (
    Path(__file__).resolve().parents[1]
    / "ingest"
    / "fixtures"
    / "apmedia"
    / "feed-story-and-picture.json"
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pictures(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = Source.objects.create(name="Meridian Press Agency", slug="meridian")
    desk = Source.objects.create(name="Our Photo Desk", slug="desk", kind=Source.Kind.STAFF)
    original = stored_picture(
        agency, data=jpeg(photo(1)), title="Harbour at dawn, fishing boats returning",
        may_rewrite=False, copyright_holder="Meridian Press Agency",
        copyright_notice=AGENCY_NOTICE,
    )  # fmt: skip
    store_hashes(original, jpeg(photo(1)))
    for seed in range(2, 6):
        stored_picture(agency, data=jpeg(photo(seed)), title=f"Market day {seed}")
    copy = stored_picture(
        desk, data=jpeg(CHANGES["all of it: 10% crop, half size, brighter, quality 40"](photo(1))),
        title="Our harbour", status=Status.DRAFT, published_at=None,
    )  # fmt: skip
    return {"copy": copy, "original": original, "files": tmp_path}


@pytest.fixture
def as_chief(visit):
    def open_at(viewport: str):
        chief = get_user_model().objects.create_superuser("chief", "c@example.com", "pw")
        return visit(viewport).sign_in(chief)

    return open_at


def fits(opened) -> bool:
    page = opened.page
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", ["desk", "phone"])
def test_the_picture_desk_uploads_filters_and_shows_a_copy_beside_its_original(
    as_chief, pictures, viewport
):
    opened = as_chief(viewport)
    page = opened.page
    folder = pictures["files"]
    (folder / "pier.jpg").write_bytes(jpeg(photo(40)))
    (folder / "not-a-picture.jpg").write_bytes(b"\xff\xd8\xff\xe0 broken")
    (folder / "square.jpg").write_bytes(jpeg(photo(41)))

    opened.open("/admin/pictures/picture/upload/")
    page.set_input_files(
        "input[type=file]",
        [str(folder / n) for n in ("pier.jpg", "not-a-picture.jpg", "square.jpg")],
    )
    page.select_option("select[name=source]", label="Our Photo Desk")
    page.click("input[type=submit]")
    page.wait_for_selector(".nr-upload-report")
    assert "3 files, 1 failed" in page.inner_text("#content-main")
    assert "not-a-picture.jpg was not stored: a broken JPEG picture" in page.inner_text(
        ".status-error"
    )
    assert Picture.objects.count() == 8
    # Each stored picture's line shows its thumbnail: waited for, then looked at.
    wait_in_page(
        page, "Array.from(document.querySelectorAll('img.nr-thumb')).every((img) => img.complete)"
    )
    thumbnails = page.query_selector_all(".nr-upload-report img.nr-thumb")
    assert len(thumbnails) == 2
    assert all(page.evaluate("(img) => img.naturalWidth > 0", img) for img in thumbnails)
    assert fits(opened)
    opened.screenshot("pictures-upload")

    opened.open("/admin/pictures/picture/")
    assert page.locator("img.nr-thumb").count() == 8
    # The library's thumbnails load lazily: each is brought into view and waited for.
    for img in page.query_selector_all("img.nr-thumb"):
        img.scroll_into_view_if_needed()
    wait_in_page(
        page, "Array.from(document.querySelectorAll('img.nr-thumb')).every((img) => img.complete)"
    )
    assert all(
        page.evaluate("(img) => img.complete && img.naturalWidth > 0", img)
        for img in page.query_selector_all("img.nr-thumb")
    )
    assert fits(opened)
    opened.screenshot("pictures-library")
    opened.open("/admin/pictures/picture/?rights=may&expiry=none")
    assert fits(opened)
    opened.screenshot("pictures-library-filtered")

    opened.open(f"/admin/pictures/picture/{pictures['copy'].pk}/change/")
    text = page.inner_text("#content-main")
    assert "The original:" in text and "Harbour at dawn" in text and "of 128 bits" in text
    assert all(
        page.evaluate("(img) => img.complete && img.naturalWidth > 0", img)
        for img in page.query_selector_all(".nr-copy img")
    )
    assert fits(opened)
    opened.screenshot("pictures-copy")
    assert opened.problems() == []


@pytest.fixture
def as_rights_manager(visit):
    """A rights manager's session: the permissions the group holds on pictures, and the
    override (made again: a transactional test's flush removes what the migrations made)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    for label in ("articles", "pictures"):
        create_permissions(apps.get_app_config(label), verbosity=0)

    def open_at(viewport: str):
        manager = get_user_model().objects.create_user("rosa", password="pw", is_staff=True)
        manager.user_permissions.set(
            Permission.objects.filter(
                codename__in=[
                    "view_picture", "change_picture", "change_picture_rights",
                    "override_refusal",
                ]
            )
        )  # fmt: skip
        return visit(viewport).sign_in(manager)

    return open_at


@pytest.mark.parametrize("viewport", ["desk", "phone"])
def test_a_rights_manager_sets_rights_by_hand_and_overrides_a_copy(
    as_rights_manager, pictures, viewport
):
    copy, original = pictures["copy"], pictures["original"]
    store_hashes(copy, copy.image.open("rb").read())
    opened = as_rights_manager(viewport)
    page = opened.page

    # The original's rights, by hand: rewriting granted, with a reason.
    opened.open(f"/admin/pictures/picture/{original.pk}/change/")
    assert page.locator("input[name=may_rewrite]").is_visible()
    page.check("input[name=may_rewrite]")
    page.fill("textarea[name=reason]", "Reuse bought for the harbour series.")
    assert fits(opened)
    opened.screenshot("pictures-rights-by-hand")
    page.click("input[name=_continue]")
    assert "rights changed (may_rewrite)" in page.inner_text(".messagelist")
    original.refresh_from_db()
    assert original.may_rewrite and original.rights_set_by_hand
    page.uncheck("input[name=may_rewrite]")
    page.fill("textarea[name=reason]", "The reuse deal fell through.")
    page.click("input[name=_continue]")
    original.refresh_from_db()
    assert not original.may_rewrite  # protected again: the copy is refused

    # The copy: the change form offers the override; its page shows the refusal and the pair.
    opened.open(f"/admin/pictures/picture/{copy.pk}/change/")
    page.click("#nr-override")
    page.wait_for_selector("#nr-gate")
    assert "is a copy" in page.inner_text("#nr-gate")
    assert page.locator(".nr-copy img").count() == 2
    for img in page.query_selector_all(".nr-copy img"):
        img.scroll_into_view_if_needed()
    wait_in_page(page, "[...document.querySelectorAll('.nr-copy img')].every(i => i.complete)")
    assert page.inner_text("#content-main").count("is a copy of a picture") == 1  # said once
    assert fits(opened)
    opened.screenshot("pictures-override")
    page.click("input[name=_confirm]")  # no reason: refused by the form
    assert "This field is required." in page.inner_text("#content-main")
    page.fill("textarea[name=reason]", "Bought outright from Meridian for this story.")
    page.click("input[name=_confirm]")
    page.wait_for_selector(".messagelist")
    assert "published on your override" in page.inner_text(".messagelist")
    assert page.locator("#nr-override").count() == 0  # nothing left to override
    copy.refresh_from_db()
    assert copy.status == Status.PUBLISHED
    assert fits(opened)
    opened.screenshot("pictures-overridden")
    assert opened.problems() == []


@pytest.mark.parametrize("viewport", ["desk", "phone"])
def test_the_wire_desk_reads_which_pictures_a_story_was_stored_without(as_chief, viewport):
    # An AP story whose two pictures did not come with it: stored, with both named on its line.
    from articles.models import Licence
    from articles.vocabulary import Right

    agency = Source.objects.create(name="Harbour Wire", slug="harbour-wire")
    Licence.objects.create(
        source=agency,
        valid_from=timezone.now() - datetime.timedelta(days=30),
        **{f"grants_{right.value}": True for right in Right},
    )
    feed = json.loads(AP_FEED.read_text())
    del feed["data"]["items"][1]  # the picture item, and so its file, did not come
    opened = as_chief(viewport)
    page = opened.page
    opened.open("/admin/articles/article/ingest/")
    page.set_input_files(
        "input[type=file]",
        {"name": "feed.json", "mimeType": "application/json", "buffer": json.dumps(feed).encode()},
    )
    page.select_option("select[name=source]", label="Harbour Wire")
    page.click("input[type=submit]")
    page.wait_for_selector(".nr-upload-report")
    line = page.locator(".nr-upload.has-warnings")
    assert line.count() == 1
    assert "Stored without 2 pictures it brings:" in line.inner_text()
    assert line.locator(".nr-upload__warnings li").count() == 2
    # Said once, on the story's line: no line of their own reads as if the file were refused.
    assert page.locator(".nr-upload").count() == 1
    assert "1 item" in page.inner_text("#content-main h2")
    assert fits(opened)
    opened.screenshot("wire-upload-warnings")
    assert opened.problems() == []
