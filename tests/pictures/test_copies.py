"""The copied-picture check: a staff upload that is a protected agency photo, resized, cropped,
recompressed or recoloured, is refused at the publish gate, for itself and as a story's lead."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from articles.actions.workflow import Override, Publish
from articles.audit import AuditEntry
from articles.vocabulary import Status
from pictures.copies import candidate_hashes, check, store_hashes, whole_hashes
from pictures.hashes import unsigned
from pictures.models import Picture, PictureHash, picture_protected
from tests.factories import member, need_service
from tests.pictures.files import AGENCY_NOTICE, stored_picture
from tests.pictures.photos import CHANGES, jpeg, photo

pytestmark = pytest.mark.django_db

NOTICE_BLOCKS = {"may_rewrite": False, "rights_basis": {"publish": "notice", "rewrite": "notice"}}


def hashed(source, data: bytes, **fields) -> Picture:
    picture = stored_picture(source, data=data, **fields)
    store_hashes(picture, data)
    return picture


@pytest.fixture
def agency(make_source):
    return make_source("Meridian Press Agency")


@pytest.fixture
def original(agency):
    """The agency's harbour photo: published on our site by its licence, reuse forbidden."""
    return hashed(
        agency,
        jpeg(photo(1)),
        title="Harbour at dawn",
        copyright_holder="Meridian Press Agency",
        copyright_notice=AGENCY_NOTICE,
        **NOTICE_BLOCKS,
    )


def staff_upload(desk, image, **fields) -> Picture:
    fields = {"status": Status.DRAFT, "published_at": None, "title": "Our harbour", **fields}
    return hashed(desk, jpeg(image), **fields)


@pytest.mark.parametrize(
    "change",
    [
        "resized to half",
        "cropped 10% off the left",
        "cropped 10% off the bottom",
        "cropped 8% off left and top",
        "recompressed at quality 40",
        "brightened 15%",
        "recoloured (saturation 130%)",
        "all of it: 10% crop, half size, brighter, quality 40",
    ],
)
def test_a_changed_copy_of_a_protected_photo_is_found(desk, original, change):
    copy = staff_upload(desk, CHANGES[change](photo(1)))

    report = check(copy)

    assert report.exceeds
    assert [m.original for m in report.matches] == [original]
    assert "Meridian Press Agency" in report.reasons[0] and "forbid reuse" in report.reasons[0]


def test_different_photos_are_not_taken_for_copies(desk, agency):
    for seed in range(100, 130):
        hashed(agency, jpeg(photo(seed)), **NOTICE_BLOCKS)
    flagged = [seed for seed in range(200, 230) if check(staff_upload(desk, photo(seed))).exceeds]
    assert flagged == []


def test_a_staff_original_is_not_protected(desk):
    ours = hashed(desk, jpeg(photo(2)))
    copy = staff_upload(desk, CHANGES["resized to half"](photo(2)), guid="urn:test:again")

    assert not picture_protected(ours)
    assert not check(copy).exceeds


def test_a_photo_whose_rights_allow_reuse_is_not_protected(desk, agency):
    hashed(agency, jpeg(photo(3)))  # every right granted, settled
    assert not check(staff_upload(desk, CHANGES["resized to half"](photo(3)))).exceeds


def test_the_same_sources_own_pictures_are_not_copies_of_each_other(agency, original):
    resent = staff_upload(agency, CHANGES["resized to half"](photo(1)), **NOTICE_BLOCKS)
    assert not check(resent).exceeds


def test_a_picture_without_stored_hashes_is_hashed_when_checked(desk, original):
    copy = stored_picture(desk, data=jpeg(photo(1)), status=Status.DRAFT, published_at=None)
    assert not PictureHash.objects.filter(picture=copy).exists()

    assert check(copy).exceeds
    assert PictureHash.objects.filter(picture=copy).count() == 11


def test_publishing_a_copy_is_refused_and_recorded(desk, original):
    copy = staff_upload(desk, CHANGES["cropped 10% off the left"](photo(1)))

    decision = copy.publish(by=None)

    copy.refresh_from_db()
    assert not decision.allowed and copy.status == Status.DRAFT
    assert "is a copy of a picture whose rights forbid reuse" in decision.explanation
    entry = AuditEntry.objects.get(picture=copy, action=AuditEntry.Action.REFUSAL)
    assert "Harbour at dawn" in entry.reason and entry.detail["reasons"]


def test_a_story_led_by_a_copy_is_refused(make_article, desk, original):
    copy = staff_upload(desk, CHANGES["resized to half"](photo(1)))
    story = make_article(source=desk, lead_picture=copy, status=Status.DRAFT, published_at=None)
    editor = member("Editor")

    decision = Publish(story, by=editor).execute()

    story.refresh_from_db()
    assert not decision.allowed and story.status == Status.DRAFT
    assert "Its lead picture “Our harbour” is a copy" in decision.explanation
    assert AuditEntry.objects.filter(article=story, action=AuditEntry.Action.REFUSAL).exists()
    assert Publish(make_article(source=desk), by=editor).gate().allowed  # no picture, no refusal


def test_an_override_covers_a_storys_copied_lead_picture(make_article, desk, original):
    copy = staff_upload(desk, CHANGES["resized to half"](photo(1)))
    story = make_article(source=desk, lead_picture=copy, status=Status.DRAFT, published_at=None)

    Override(story, by=member("Rights manager"), reason="Bought for this story.").execute()

    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    entry = AuditEntry.objects.get(article=story, action=AuditEntry.Action.OVERRIDE)
    assert "is a copy" in entry.detail["overridden"][0]


def test_an_override_publishes_a_copied_picture_and_is_audited(desk, original):
    copy = staff_upload(desk, CHANGES["resized to half"](photo(1)))
    with pytest.raises(PermissionDenied):
        copy.override(by=member("Editor"), reason="Ours now.")
    with pytest.raises(ValidationError, match="Give a reason"):
        copy.override(by=member("Rights manager"), reason=" ")

    copy.override(by=member("Rights manager"), reason="Bought outright from the agency.")

    copy.refresh_from_db()
    assert copy.status == Status.PUBLISHED
    entry = AuditEntry.objects.get(picture=copy, action=AuditEntry.Action.OVERRIDE)
    assert entry.reason == "Bought outright from the agency."
    assert "is a copy" in entry.detail["overridden"][0]


def test_nothing_to_override_where_the_gate_lets_it_through(desk):
    clean = staff_upload(desk, photo(4))
    with pytest.raises(ValidationError, match="nothing to override"):
        clean.override(by=member("Rights manager"), reason="Why not.")


def test_ingest_stores_the_hashes(desk):
    from articles.ingest.loader import Ingest

    [report] = Ingest(source=desk, format="picture").data(jpeg(photo(5)), name="harbour.jpg")

    assert report.status == "created"
    assert PictureHash.objects.filter(picture_id=report.id).count() == 11


def test_on_postgresql_the_database_returns_only_the_near_hashes(desk, agency, original):
    need_service(
        connection.vendor == "postgresql",
        "needs PostgreSQL (DATABASE_URL): the prefilter is PostgreSQL's bit_count; SQLite "
        "reads every candidate's hashes",
        service="postgresql",
    )
    for seed in range(100, 110):
        hashed(agency, jpeg(photo(seed)), **NOTICE_BLOCKS)
    copy = staff_upload(desk, CHANGES["resized to half"](photo(1)))
    ours = whole_hashes(copy)
    most_p, most_d = settings.PICTURE_COPY_PHASH_BITS, settings.PICTURE_COPY_DHASH_BITS

    rows = list(candidate_hashes(copy, ours, most_p=most_p, most_d=most_d))

    assert rows and {pk for pk, *_ in rows} == {original.pk}
    everything = PictureHash.objects.exclude(picture=copy).values_list("phash", "dhash")
    near = sorted(
        (p, d)
        for p, d in everything
        if (ours.phash ^ unsigned(p)).bit_count() <= most_p
        and (ours.dhash ^ unsigned(d)).bit_count() <= most_d
    )
    assert sorted((p, d) for _, _, p, d in rows) == near  # what Python would keep, no more
    assert len(rows) < PictureHash.objects.exclude(picture=copy).count()


def test_on_sqlite_every_candidates_hashes_are_compared_in_python(desk, agency, original):
    need_service(
        connection.vendor == "sqlite",
        "the SQLite path: this run is on PostgreSQL, whose query keeps only near hashes",
        service="sqlite",
    )
    copy = staff_upload(desk, photo(150))
    ours = whole_hashes(copy)
    rows = list(candidate_hashes(copy, ours, most_p=10, most_d=12))
    assert len(rows) == PictureHash.objects.filter(picture=original).count()
    assert not check(copy).exceeds
