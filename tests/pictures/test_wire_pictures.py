"""Pictures a wire item brings: a ninjs association or a NewsML-G2 picture item, stored with the
file that comes beside the story (its folder, ZIP archive or upload), its rights read from the
file and the wire together, the stricter winning, and the first the story's lead picture. A
file missing is a warning; an href out of the folder is refused; nothing is fetched."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.ingest import ParsedItem, bundle, parse
from articles.ingest.loader import Ingest
from articles.ingest.parsed import WirePicture
from articles.models import Article, Source
from articles.vocabulary import Right
from pictures.models import Picture
from tests.factories import member
from tests.pictures.files import picture, xmp_packet
from tests.pictures.photos import jpeg, photo

STORY = "urn:test:story:harbour"
PHOTO = "urn:test:picture:harbour"
AGENCY = "Meridian Press Agency"
FORBIDS = f"Copyright 2026 {AGENCY}. This photo may not be published."
HREF_FIELD = "associations.featureimage.renditions.original.href"

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(make_source, make_licence):
    """An agency whose licence gives us all four rights, unless its copy says otherwise."""
    source = make_source(AGENCY)
    make_licence(source, *Right)
    return source


def harbour_jpeg(*, rights: str = f"Copyright 2026 {AGENCY}.") -> bytes:
    xmp = xmp_packet(
        rights=rights, creators=("Ana Lima",), title="Boats in the harbour", credit=AGENCY
    )
    return picture(xmp=xmp)


def association(href: str = "harbour.jpg", *, uri: str = PHOTO, **fields) -> dict:
    return {
        "uri": uri,
        "type": "picture",
        "headline": "Boats come in",
        "copyrightholder": AGENCY,
        "renditions": {
            "thumbnail": {"href": "https://cdn.example.com/harbour-thumb.jpg", "width": 100},
            "original": {"href": href, "mimetype": "image/jpeg", "width": 800},
        },
        **fields,
    }


def ninjs(*pictures: dict, version: int = 1, v3: bool = False) -> bytes:
    item = {
        "uri": STORY,
        "version": str(version),
        "type": "text",
        "headline": "Harbour reopens after repairs",
        "body_html": "<p>The harbour reopened on Monday after a month of repairs.</p>",
        "copyrightholder": AGENCY,
    }
    if pictures:
        named = {("featureimage" if n == 0 else f"image{n}"): p for n, p in enumerate(pictures)}
        item["associations"] = [{"name": name, **p} for name, p in named.items()] if v3 else named
    return json.dumps(item).encode()


def folder_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "wire"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def run(paths, **options) -> list:
    return list(Ingest(**options).paths([str(p) for p in paths]))


def lines_of(*args) -> tuple[int, list[dict]]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", "--json", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


# --- ninjs -------------------------------------------------------------------------------------


def test_a_ninjs_story_brings_the_jpeg_beside_it_as_its_lead_picture(tmp_path, agency):
    folder = folder_with(
        tmp_path, {"story.json": ninjs(association()), "harbour.jpg": harbour_jpeg()}
    )
    code, lines = lines_of(str(folder))
    assert code == 0
    assert [(line["type"], line["status"], line["guid"]) for line in lines] == [
        ("article", "created", STORY),
        ("picture", "created", PHOTO),
    ]  # the JPEG is not stored a second time on its own
    story, photo_line = lines
    assert story["warnings"] == [] and photo_line["path"] == str(folder / "story.json")
    stored = Picture.objects.get()
    assert stored.guid == PHOTO and stored.title == "Boats in the harbour"
    assert stored.creators == ["Ana Lima"] and stored.source == agency
    assert Article.objects.get().lead_picture == stored
    assert photo_line["rights"] == {r.value: True for r in Right}


def test_ninjs_3_lists_its_associations_and_a_file_in_a_subfolder_is_found(tmp_path, agency):
    first = association("pictures/harbour.jpg")
    first["renditions"] = [
        {"name": "preview", "href": "https://cdn.example.com/harbour.jpg", "width": 1024},
        {"name": "hires", "href": "pictures/harbour.jpg", "width": 800},
    ]
    second = association("quay.jpg", uri="urn:test:picture:quay")
    files = {
        "story.json": ninjs(first, second, v3=True),
        "pictures/harbour.jpg": harbour_jpeg(),
        "quay.jpg": jpeg(photo(7, size=(640, 480))),
    }
    reports = run([folder_with(tmp_path, files)], source=agency)
    assert [(r.type, r.status, r.guid) for r in reports] == [
        ("article", "created", STORY),
        ("picture", "created", PHOTO),
        ("picture", "created", "urn:test:picture:quay"),
    ]
    # The first association leads; the file sent wins over the URL only linked to.
    assert Article.objects.get().lead_picture.guid == PHOTO
    assert Picture.objects.get(guid=PHOTO).width == 800


def test_the_parser_reads_associations_without_touching_any_file():
    (item,) = parse(ninjs(association(), {"type": "text", "uri": "urn:x"}))
    assert isinstance(item, ParsedItem)
    (wire,) = item.pictures  # a text association is no picture
    assert (wire.guid, wire.href, wire.field) == (PHOTO, "harbour.jpg", HREF_FIELD)
    assert wire.notice.holder == AGENCY and wire.title == "Boats come in"
    no_file = association()
    no_file["renditions"] = {"original": {"mimetype": "image/jpeg"}}
    (item,) = parse(ninjs(no_file))
    assert item.pictures[0].problem == (
        f"item {STORY}, field associations.featureimage.renditions: a picture association "
        "with no rendition that has an href: no file to store"
    )


def test_reingesting_the_package_updates_the_picture_and_never_duplicates_it(tmp_path, agency):
    folder = folder_with(
        tmp_path, {"story.json": ninjs(association()), "harbour.jpg": harbour_jpeg()}
    )
    run([folder], source=agency)
    again = run([folder], source=agency)
    # The story is unchanged, so not read again: the JPEG alone is found to be the same picture.
    assert [(r.type, r.status, r.guid) for r in again] == [
        ("article", "unchanged", STORY),
        ("picture", "unchanged", PHOTO),
    ]
    (folder / "story.json").write_bytes(ninjs(association(usageterms=NOT_IN_US), version=2))
    newer = run([folder], source=agency)
    assert [(r.type, r.status) for r in newer] == [("article", "updated"), ("picture", "updated")]
    stored = Picture.objects.get()
    assert stored.guid == PHOTO and stored.version == 2 and stored.excluded_territories == {"US"}
    assert Article.objects.get().lead_picture == stored
    assert run([folder], source=agency)[1].status == "unchanged"
    assert Picture.objects.count() == 1


def test_a_file_stored_alone_before_is_taken_over_by_the_item_that_brings_it(tmp_path, agency):
    data = harbour_jpeg()
    (tmp_path / "alone.jpg").write_bytes(data)
    (alone,) = run([tmp_path / "alone.jpg"], source=agency)
    folder = folder_with(tmp_path, {"story.json": ninjs(association()), "harbour.jpg": data})
    reports = run([folder], source=agency)
    assert reports[1].status == "updated" and reports[1].id == alone.id
    assert Picture.objects.get().guid == PHOTO


# --- NewsML-G2 ---------------------------------------------------------------------------------

G2 = "http://iptc.org/std/nar/2006-10-01/"


def g2_text(*, link: str = "") -> str:
    meta = f'<link rel="irel:seeAlso" residref="{link}"/>' if link else ""
    return f"""
    <newsItem guid="{STORY}" version="1" standard="NewsML-G2" xml:lang="en">
      <rightsInfo><copyrightHolder literal="{AGENCY}"/></rightsInfo>
      <itemMeta><itemClass qcode="ninat:text"/><provider literal="{AGENCY}"/>{meta}</itemMeta>
      <contentMeta><headline>Harbour reopens after repairs</headline></contentMeta>
      <contentSet><inlineXML contenttype="application/xhtml+xml">
        <html xmlns="http://www.w3.org/1999/xhtml"><body>
          <p>The harbour reopened on Monday after a month of repairs.</p>
        </body></html>
      </inlineXML></contentSet>
    </newsItem>"""


def g2_picture(href: str = "harbour.jpg", *, notice: str = "") -> str:
    return f"""
    <newsItem guid="{PHOTO}" version="1" standard="NewsML-G2">
      <rightsInfo validto="2031-01-01T00:00:00Z">
        <copyrightHolder literal="{AGENCY}"/>
        <copyrightNotice>{notice or f"Copyright 2026 {AGENCY}."}</copyrightNotice>
      </rightsInfo>
      <itemMeta><itemClass qcode="ninat:picture"/><provider literal="{AGENCY}"/></itemMeta>
      <contentMeta><headline>Boats come in</headline></contentMeta>
      <contentSet>
        <remoteContent rendition="rnd:thumbnail" href="https://cdn.example.com/t.jpg"/>
        <remoteContent rendition="rnd:highRes" href="{href}" contenttype="image/jpeg"/>
      </contentSet>
    </newsItem>"""


def g2_package() -> str:
    return f"""
    <packageItem guid="urn:test:package:harbour" version="1" standard="NewsML-G2">
      <itemMeta><itemClass qcode="ninat:composite"/><provider literal="{AGENCY}"/></itemMeta>
      <groupSet root="G1"><group id="G1" role="group:main">
        <itemRef residref="{STORY}"><itemClass qcode="ninat:text"/></itemRef>
        <itemRef residref="{PHOTO}"><itemClass qcode="ninat:picture"/></itemRef>
      </group></groupSet>
    </packageItem>"""


def g2_message(*items: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><newsMessage xmlns="{G2}"><itemSet>'
        + "".join(items)
        + "</itemSet></newsMessage>"
    ).encode()


def test_a_g2_package_brings_its_picture_item_and_its_rights(tmp_path, agency):
    message = g2_message(g2_package(), g2_picture(), g2_text())
    parsed = parse(message)
    assert [type(p) for p in parsed] == [ParsedItem]  # the picture comes with its story
    assert parsed[0].pictures[0].href == "harbour.jpg"  # the high-resolution rendition
    folder = folder_with(tmp_path, {"package.xml": message, "harbour.jpg": harbour_jpeg()})
    reports = run([folder], source=agency)
    assert [(r.type, r.status, r.guid) for r in reports] == [
        ("article", "created", STORY),
        ("picture", "created", PHOTO),
    ]
    stored = Article.objects.get().lead_picture
    assert stored.guid == PHOTO and stored.copyright_holder == AGENCY
    assert stored.rights_expire_at.year == 2031  # the rightsInfo's validto
    assert "rightsInfo" in stored.wire_original


def test_a_g2_picture_items_new_rights_update_the_picture_though_the_story_is_unchanged(
    tmp_path, agency
):
    folder = folder_with(
        tmp_path,
        {
            "package.xml": g2_message(g2_package(), g2_picture(), g2_text()),
            "harbour.jpg": harbour_jpeg(),
        },
    )
    run([folder], source=agency)
    stricter = g2_picture(notice=f"Copyright 2026 {AGENCY}. {NOT_IN_US}")
    (folder / "package.xml").write_bytes(g2_message(g2_package(), stricter, g2_text()))
    reports = run([folder], source=agency)
    assert [(r.type, r.status) for r in reports] == [
        ("article", "unchanged"),
        ("picture", "updated"),
    ]
    assert Picture.objects.get().excluded_territories == {"US"}


def test_a_story_stored_before_its_picture_came_gets_it_as_its_lead(tmp_path, agency):
    folder = folder_with(tmp_path, {"package.xml": g2_message(g2_text())})
    run([folder], source=agency)
    story = Article.objects.get()
    (folder / "package.xml").write_bytes(g2_message(g2_package(), g2_picture(), g2_text()))
    (folder / "harbour.jpg").write_bytes(harbour_jpeg())
    reports = run([folder], source=agency)
    assert [(r.type, r.status) for r in reports] == [
        ("article", "unchanged"),
        ("picture", "created"),
    ]
    story.refresh_from_db()
    assert story.lead_picture.guid == PHOTO and story.version == 2


def test_a_g2_text_items_link_brings_the_picture_and_an_unreferred_picture_comes_alone(
    tmp_path, agency
):
    linked = g2_message(g2_picture(), g2_text(link=PHOTO))
    assert [type(i) for i in parse(linked)] == [ParsedItem]  # not also on its own
    folder = folder_with(tmp_path, {"linked.xml": linked, "harbour.jpg": harbour_jpeg()})
    reports = run([folder], source=agency)
    assert [(r.type, r.status) for r in reports] == [("article", "created"), ("picture", "created")]
    assert Article.objects.get().lead_picture.guid == PHOTO
    alone = parse(g2_message(g2_picture(), g2_text()))
    assert isinstance(alone[0], WirePicture) and alone[0].guid == PHOTO  # no story refers to it
    assert alone[1].pictures == []


# --- ZIP archives and uploads -------------------------------------------------------------------


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_zip_uploaded_on_the_desk_brings_the_story_and_its_picture(client, agency):
    client.force_login(member("Editor"))
    archive = zipped(
        {"harbour/story.json": ninjs(association()), "harbour/harbour.jpg": harbour_jpeg()}
    )
    page = client.post(
        reverse("admin:articles_article_ingest"),
        {"files": [SimpleUploadedFile("wire.zip", archive)], "format": "auto", "source": agency.pk},
    )
    html = page.content.decode()
    assert page.status_code == 200 and "2 items" in html and "Picture: Boats in the harbour" in html
    assert Article.objects.get().lead_picture == Picture.objects.get(guid=PHOTO)


def test_files_uploaded_together_find_each_other(client, agency):
    client.force_login(member("Editor"))
    uploads = [
        SimpleUploadedFile("story.json", ninjs(association())),
        SimpleUploadedFile("harbour.jpg", harbour_jpeg()),
    ]
    client.post(
        reverse("admin:articles_article_ingest"),
        {"files": uploads, "format": "auto", "source": agency.pk},
    )
    assert Article.objects.get().lead_picture.guid == PHOTO
    assert Picture.objects.count() == 1


def test_a_zip_on_disk_is_read_as_its_files_and_a_member_climbing_out_is_refused(tmp_path, agency):
    archive = zipped(
        {
            "story.json": ninjs(association()),
            "harbour.jpg": harbour_jpeg(),
            "../evil.json": ninjs(),
            "__MACOSX/._story.json": b"\x00\x05",
        }
    )
    (tmp_path / "wire.zip").write_bytes(archive)
    reports = run([tmp_path / "wire.zip"], source=agency)
    assert [(r.type, r.status) for r in reports] == [
        ("article", "error"),
        ("article", "created"),
        ("picture", "created"),
    ]
    assert (
        reports[0].error
        == f"{tmp_path / 'wire.zip'}/../evil.json: its name leads outside the archive; not read"
    )
    assert Article.objects.get().lead_picture.guid == PHOTO


def test_a_broken_zip_is_refused_by_name(tmp_path, agency):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (report,) = run([tmp_path / "broken.zip"], source=agency)
    assert report.status == "error" and "broken.zip: a broken ZIP archive" in report.error


# --- what is not stored ------------------------------------------------------------------------


def test_a_missing_file_is_a_warning_on_the_story_which_is_stored(tmp_path, agency):
    folder = folder_with(tmp_path, {"story.json": ninjs(association("missing.jpg"))})
    code, lines = lines_of("--source", agency.slug, str(folder))
    assert code == 0  # a warning, not a failure
    story, photo_line = lines
    assert story["status"] == "created" and len(story["warnings"]) == 1
    warning = story["warnings"][0]
    assert warning.startswith(f"{folder / 'story.json'}: item {PHOTO}, field {HREF_FIELD}: ")
    assert "'missing.jpg' did not come with the item" in warning
    assert (photo_line["type"], photo_line["status"], photo_line["error"]) == (
        "picture",
        "skipped",
        warning,
    )
    assert Article.objects.get().lead_picture is None and not Picture.objects.exists()


@pytest.mark.parametrize(
    ("href", "status", "reason"),
    [
        ("../secret.jpg", "error", "leads outside the item's folder (..)"),
        ("%2E%2E/secret.jpg", "error", "leads outside the item's folder (..)"),
        ("pictures/../../secret.jpg", "error", "leads outside the item's folder (..)"),
        ("ABSOLUTE", "error", "is an absolute path"),
        ("C:\\wire\\secret.jpg", "error", "is an absolute path"),
        ("file:///etc/passwd", "skipped", "is a URL: ingest fetches nothing from the network"),
        ("https://example.com/secret.jpg", "skipped", "is a URL: ingest fetches nothing"),
    ],
)
def test_an_href_out_of_the_folder_is_refused_and_the_story_stored(
    tmp_path, agency, href, status, reason
):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(harbour_jpeg())
    href = str(secret) if href == "ABSOLUTE" else href
    folder = folder_with(tmp_path, {"story.json": ninjs(association(href))})
    code, lines = lines_of("--source", agency.slug, str(folder))
    story, photo_line = lines
    assert story["status"] == "created"
    assert (photo_line["type"], photo_line["status"]) == ("picture", status)
    assert code == (1 if status == "error" else 0)
    error = photo_line["error"]
    assert error.startswith(
        f"{folder / 'story.json'}: item {PHOTO}, field associations.featureimage"
    )
    assert reason in error and story["warnings"] == [error]
    assert not Picture.objects.exists()


def test_a_link_in_the_folder_that_leads_out_of_it_is_refused(tmp_path, agency):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(harbour_jpeg())
    folder = folder_with(tmp_path, {"story.json": ninjs(association("harbour.jpg"))})
    (folder / "harbour.jpg").symlink_to(secret)
    # A link is read as what it is only where it stays in the folder; the run is given the
    # story alone, so the link is looked up on disk.
    (story, photo_line) = run([folder / "story.json"], source=agency)
    assert photo_line.status == "error"
    assert "names a link that leads outside the item's folder" in photo_line.error
    assert not Picture.objects.exists()


def test_a_broken_picture_file_is_reported_and_the_story_stored(tmp_path, agency):
    folder = folder_with(
        tmp_path,
        {"story.json": ninjs(association("harbour.jpg")), "harbour.jpg": harbour_jpeg()[:300]},
    )
    story, photo_line = run([folder], source=agency)
    assert story.status == "created" and photo_line.status == "error"
    assert "a broken JPEG picture" in photo_line.error and story.warnings == [photo_line.error]


# --- rights: the stricter statement wins, and the page shows only what they allow ---------------

NOT_IN_US = "Not for publication in the United States."


def looks(client, story: Article, code: str) -> bool:
    page = client.get(story.get_absolute_url(), headers={settings.COUNTRY_HEADER: code})
    return f'src="/pictures/{story.lead_picture_id}/800.jpg"' in page.content.decode()


def test_the_wires_stricter_statement_wins_and_the_page_shows_the_picture_only_where_allowed(
    client, tmp_path, agency
):
    folder = folder_with(
        tmp_path,
        {"story.json": ninjs(association(usageterms=NOT_IN_US)), "harbour.jpg": harbour_jpeg()},
    )
    run([folder], source=agency, publish=True)
    stored = Picture.objects.get()
    # The file says nothing of territories; the wire item excludes one, and that holds.
    assert stored.excluded_territories == {"US"} and NOT_IN_US in stored.usage_terms
    assert stored.status == "published" and stored.rights_settled
    story = Article.objects.get()
    assert story.status == "published" and story.lead_picture == stored
    assert not story.excluded_territories  # the story's own rights are its own
    assert looks(client, story, "GB") and not looks(client, story, "US")


def test_the_files_stricter_statement_wins_over_a_wire_that_says_less(tmp_path, agency):
    jpeg_terms = harbour_jpeg(rights=f"Copyright 2026 {AGENCY}. {NOT_IN_US}")
    folder = folder_with(tmp_path, {"story.json": ninjs(association()), "harbour.jpg": jpeg_terms})
    run([folder], source=agency)
    assert Picture.objects.get().excluded_territories == {"US"}


def test_a_wire_that_forbids_what_no_licence_grants_blocks_the_picture(
    client, tmp_path, make_source
):
    unlicensed = make_source("Harbour Photo Agency")
    folder = folder_with(
        tmp_path,
        {"story.json": ninjs(association(copyrightnotice=FORBIDS)), "harbour.jpg": harbour_jpeg()},
    )
    run([folder], source=unlicensed, publish=True)
    stored = Picture.objects.get()
    assert not stored.may_publish and stored.status != "published"
    assert stored.rights_basis["publish"] == "notice"  # the wire's notice, not the file's silence


def test_a_staff_picture_is_ours_whatever_the_wire_notice_says(tmp_path, make_source):
    staff = make_source("The Newsroom", kind=Source.Kind.STAFF)
    folder = folder_with(
        tmp_path,
        {"story.json": ninjs(association(copyrightnotice=FORBIDS)), "harbour.jpg": harbour_jpeg()},
    )
    run([folder], source=staff)
    # The same rule as a staff story's: our own pictures are ours.
    assert Picture.objects.get().may_publish


def test_a_zip_of_too_many_files_or_bytes_is_refused_whole(tmp_path, agency, monkeypatch):
    (tmp_path / "many.zip").write_bytes(zipped({f"{n}.json": ninjs() for n in range(3)}))
    monkeypatch.setattr(bundle, "ZIP_MAX_MEMBERS", 2)
    (report,) = run([tmp_path / "many.zip"], source=agency)
    assert report.error.endswith("many.zip: the ZIP archive holds 3 files; at most 2")
    monkeypatch.setattr(bundle, "ZIP_MAX_MEMBERS", 1000)
    monkeypatch.setattr(bundle, "ZIP_MAX_BYTES", 100)
    (report,) = run([tmp_path / "many.zip"], source=agency)
    assert "unpacks to" in report.error and not Article.objects.exists()
