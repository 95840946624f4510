"""Pictures through the ingest service: stored with their rights derived as an article's, and
reported by `ingest --json` in an article's keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.audit import AuditEntry
from articles.ingest.loader import Ingest
from articles.models import Source
from articles.rights import clearance, decide
from articles.vocabulary import Basis, Right
from pictures.models import Picture
from tests.factories import member
from tests.ingest.test_command import ADDED_KEYS, CONTRACT_KEYS, run
from tests.pictures.files import AGENCY_NOTICE, huge_png, iim, picture, xmp_packet

pytestmark = pytest.mark.django_db

AGENCY_XMP = xmp_packet(
    rights=AGENCY_NOTICE,
    creators=("Ann Lens",),
    credit="Meridian / Ann Lens",
    source="Meridian Press Agency",
    title="Harbour at dawn",
)


def ingest(tmp_path, *files: tuple[str, bytes], **options) -> list[dict]:
    for name, data in files:
        (tmp_path / name).write_bytes(data)
    run = Ingest(**options)
    return [r.as_json() for r in run.paths([tmp_path / name for name, _ in files])]


def test_an_agency_photo_whose_notice_forbids_publication_is_blocked_like_text(tmp_path):
    [report] = ingest(tmp_path, ("harbour.jpg", picture(xmp=AGENCY_XMP)), publish=True)

    stored = Picture.objects.get(pk=report["id"])
    assert report["status"] == "created" and report["type"] == "picture"
    assert stored.source.name == "Meridian Press Agency"
    assert report["rights"] == dict.fromkeys(
        ["publish", "broadcast", "rewrite", "redistribute"], False
    )
    assert stored.rights_basis["publish"] == Basis.NOTICE
    assert not clearance(stored, Right.PUBLISH)
    assert "Meridian Press Agency's notice forbids publication" in report["refused"][0]
    assert report["published"] is False
    assert AuditEntry.objects.filter(picture=stored, action=AuditEntry.Action.REFUSAL).exists()


def test_a_staff_picture_gets_all_four_rights_and_is_published(tmp_path, make_source):
    desk = make_source("Our Photo Desk", kind=Source.Kind.STAFF)
    staff = picture(xmp=xmp_packet(rights="© 2026 Our Photo Desk", creators=("Eve Staff",)))

    [report] = ingest(tmp_path, ("ours.png", staff), source=desk, publish=True)

    stored = Picture.objects.get(pk=report["id"])
    assert report["rights"] == dict.fromkeys(
        ["publish", "broadcast", "rewrite", "redistribute"], True
    )
    assert report["published"] is True and report["refused"] == []
    assert stored.rights_basis == dict.fromkeys([r.value for r in Right], Basis.STAFF)
    assert decide(stored, Right.PUBLISH)
    assert AuditEntry.objects.filter(picture=stored, action=AuditEntry.Action.INGEST).count() == 1
    assert stored.history.count() >= 1


def test_a_licence_grants_what_the_pictures_notice_denies(tmp_path, make_source, make_licence):
    source = make_source("Meridian Press Agency")
    make_licence(source, Right.PUBLISH, reference="M-7")
    [report] = ingest(tmp_path, ("licensed.jpg", picture(xmp=AGENCY_XMP)))
    stored = Picture.objects.get(pk=report["id"])
    assert stored.source == source and stored.licence is not None
    assert report["rights"]["publish"] is True and report["rights"]["redistribute"] is False


def test_a_png_named_jpg_is_stored_as_png(tmp_path, make_source):
    [report] = ingest(tmp_path, ("photo.jpg", picture("png")), source=make_source())
    stored = Picture.objects.get(pk=report["id"])
    assert stored.format == "png" and stored.image.name.endswith(".png")
    assert default_storage.exists(stored.image.name)


def test_a_text_file_named_jpg_is_read_as_text_not_as_a_picture(tmp_path, make_source):
    story = b"Harbour reopens\n\nThe harbour reopened on Monday, the port authority said.\n"
    [report] = ingest(tmp_path, ("story.jpg", story), source=make_source())
    assert report["type"] == "article" and report["status"] == "created"
    assert not Picture.objects.exists()


def test_a_text_file_named_jpg_ingested_as_a_picture_is_refused_naming_the_file(tmp_path):
    [report] = ingest(tmp_path, ("story.jpg", b"Harbour reopens\n"), format="picture")
    assert report["status"] == "error"
    assert report["error"].startswith(f"{tmp_path / 'story.jpg'}: not a picture")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.jpg", b"", "empty file"),
        ("cut.jpg", picture(size=(1200, 900))[:4000], "a broken JPEG picture"),
        ("bomb.png", huge_png(60_000, 60_000), "too large to decode safely"),
    ],
)
def test_bad_picture_files_are_refused_by_name_and_the_run_goes_on(
    tmp_path, make_source, name, data, message
):
    # Zero bytes tell no kind: named a picture by the run's format, they are refused as one.
    options = {"format": "picture"} if not data else {}
    files = [(name, data), ("good.webp", picture("webp"))]
    reports = ingest(tmp_path, *files, source=make_source(), **options)
    bad = next(r for r in reports if r["path"].endswith(name))
    assert bad["status"] == "error" and name in bad["error"] and message in bad["error"]
    assert [r["status"] for r in reports if r["path"].endswith("good.webp")] == ["created"]


def test_a_picture_naming_no_holder_or_source_is_refused_unless_the_run_names_one(tmp_path):
    [report] = ingest(tmp_path, ("bare.webp", picture("webp")))
    assert report["status"] == "error"
    assert "bare.webp" in report["error"] and "field source" in report["error"]
    assert not Picture.objects.exists()


def test_the_same_file_again_is_unchanged_and_a_new_file_for_its_guid_updates_it(tmp_path):
    with_id = xmp_packet(rights=AGENCY_NOTICE, document_id="xmp.did:meridian-7")
    first = picture(xmp=with_id)
    [created] = ingest(tmp_path, ("a.jpg", first))
    [same] = ingest(tmp_path, ("a.jpg", first))
    cropped = picture(size=(400, 300), xmp=with_id)
    [updated] = ingest(tmp_path, ("a.jpg", cropped))
    assert (created["status"], same["status"], updated["status"]) == (
        "created",
        "unchanged",
        "updated",
    )
    assert created["id"] == same["id"] == updated["id"]
    stored = Picture.objects.get()
    assert (stored.width, stored.version) == (400, 2)


def test_a_dry_run_stores_neither_row_nor_file(tmp_path, make_source):
    [report] = ingest(tmp_path, ("dry.jpg", picture()), source=make_source(), dry_run=True)
    assert report["status"] == "created"
    assert not Picture.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "pictures").exists()


def test_ingest_json_reports_a_picture_with_an_articles_keys(tmp_path):
    (tmp_path / "harbour.jpg").write_bytes(picture(xmp=AGENCY_XMP, iptc=iim((2, 80, "Ann Lens"))))
    code, out, _ = run("--json", str(tmp_path / "harbour.jpg"))
    [line] = [json.loads(text) for text in out.splitlines()]
    assert code == 0
    assert set(line) == CONTRACT_KEYS | ADDED_KEYS
    assert line["type"] == "picture"
    assert line["headline"] == "Harbour at dawn"
    assert line["bylines"] == [{"name": "Ann Lens", "role": "photography"}]
    assert (line["copyright_holder"], line["copyright_year"]) == ("Meridian Press Agency", 2026)
    assert line["url"] == f"/pictures/{line['id']}/1024.jpg"


def test_the_upload_page_stores_a_picture_and_links_to_it(client):
    client.force_login(member("Editor"))
    upload = SimpleUploadedFile("harbour.jpg", picture(xmp=AGENCY_XMP))
    page = client.post(
        reverse("admin:articles_article_ingest"), {"files": [upload], "format": "auto"}
    )
    stored = Picture.objects.get()
    html = page.content.decode()
    assert reverse("admin:pictures_picture_change", args=[stored.pk]) in html
    assert "Picture: Harbour at dawn" in html
