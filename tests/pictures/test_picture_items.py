"""Pictures that come as wire items of their own, or with AP and NewsML 1.2 stories: a NewsML-G2
picture item no story refers to is stored as a picture, under its guid, its rights the stricter
of its rightsInfo and its file's; an AP story brings the pictures its associations name, a
NewsML 1.2 story its photo components and the photo item it is associated with. Each file is
read only where it came beside the item; nothing is fetched. The upload page shows what a story
was stored without."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.ingest import ParsedItem, UnreadItem, parse
from articles.ingest.loader import Ingest
from articles.ingest.parsed import WirePicture
from articles.models import Article
from articles.vocabulary import Right
from pictures.models import Picture
from tests.factories import member
from tests.pictures.files import picture, xmp_packet
from tests.pictures.test_wire_pictures import lines_of

FIXTURES = Path(__file__).parents[1] / "ingest" / "fixtures"
G2_PICTURE = FIXTURES / "g2" / "picture-item.xml"
G2_GUID = "urn:newsml:harbourphoto.example:20300412:hp-0412-0077"
AP_FEED = FIXTURES / "apmedia" / "feed-story-and-picture.json"
AP_STORY = "urn:publicid:ap.org:a849ac631b0849f19bd7550e182c845c"
AP_PICTURE = "urn:publicid:ap.org:8569b66ad5754931bc44c692a8a325ed"
AP_NAMED = "urn:publicid:ap.org:22bbe96a632f4d01af1f72c0ca6b47c4"
NEWSML1_STORY = FIXTURES / "newsml1" / "story-with-photo-component.xml"
NEWSML1_GUID = "urn:newsml:harbourwire.example:20300412:hw-0412-0031"
AFP = FIXTURES / "newsml1" / "afp-text-and-photo.xml"
AFP_PHOTO = "urn:newsml:afp.com:20300310:doc-7kq2mz"
HARBOUR = "Harbour Photo Agency"

pytestmark = pytest.mark.django_db


@pytest.fixture
def licensed(make_source, make_licence):
    """The picture agency, with a licence that grants all four rights."""
    source = make_source(HARBOUR)
    make_licence(source, *Right)
    return source


def jpeg(*, rights: str = "", creators: tuple[str, ...] = ()) -> bytes:
    return picture(xmp=xmp_packet(rights=rights, creators=creators) if rights or creators else None)


def folder_with(tmp_path: Path, files: dict[str, bytes | Path]) -> Path:
    folder = tmp_path / "wire"
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        if isinstance(data, Path):
            shutil.copy(data, folder / name)
        else:
            (folder / name).write_bytes(data)
    return folder


def run(paths, **options) -> list:
    return list(Ingest(**options).paths([str(p) for p in paths]))


# --- a NewsML-G2 picture item on its own --------------------------------------------------------


def test_a_g2_picture_item_alone_is_read_as_a_picture_with_its_rights_credit_and_creator():
    (wire,) = parse(G2_PICTURE.read_bytes(), name=G2_PICTURE.name)
    assert isinstance(wire, WirePicture)
    assert (wire.guid, wire.href) == (G2_GUID, "hp-0412-0077.jpg")  # the file, not a URL
    assert wire.title == "Fishing boats return to the Grand Harbour at dawn"
    assert wire.caption.startswith("Fishing boats return to the Grand Harbour in Valletta")
    assert (wire.credit, wire.creators) == ("Harbour Photo Agency / Marco Vella", ["Marco Vella"])
    assert wire.web_statement == "https://harbourphoto.example/licence/editorial-2030"
    assert wire.notice.holder == HARBOUR and wire.notice.excluded_territories == {"US"}
    assert wire.rights_expire_at.year == 2031 and "<rightsInfo" in wire.original


def test_a_g2_picture_item_is_stored_with_its_file_and_reported_as_a_picture(tmp_path, licensed):
    folder = folder_with(tmp_path, {"item.xml": G2_PICTURE, "hp-0412-0077.jpg": jpeg()})
    code, lines = lines_of(str(folder))  # no --source: the item names its provider
    assert code == 0
    (line,) = lines  # the JPEG beside it is that picture, not a second line
    assert (line["type"], line["status"], line["guid"]) == ("picture", "created", G2_GUID)
    assert line["bylines"] == [{"name": "Marco Vella", "role": "photography"}]
    assert line["headline"] == "Fishing boats return to the Grand Harbour at dawn"
    assert line["excluded_territories"] == ["US"] and line["rights_expire_at"].startswith("2031")
    stored = Picture.objects.get()
    assert stored.source == licensed and stored.credit_line == "Harbour Photo Agency / Marco Vella"
    assert stored.web_statement == "https://harbourphoto.example/licence/editorial-2030"
    assert (
        stored.caption.startswith("Fishing boats return") and "<rightsInfo" in stored.wire_original
    )


def test_a_dry_run_reports_the_g2_picture_item_and_keeps_nothing(tmp_path):
    folder = folder_with(tmp_path, {"item.xml": G2_PICTURE, "hp-0412-0077.jpg": jpeg()})
    (report,) = run([folder], dry_run=True)  # the source it names is made, then rolled back
    assert (report.type, report.status) == ("picture", "created")
    assert not Picture.objects.exists()
    assert run([folder])[0].status == "created"  # no source left cached that is not there


def test_reingesting_a_g2_picture_item_never_duplicates_it(tmp_path, licensed):
    folder = folder_with(tmp_path, {"item.xml": G2_PICTURE, "hp-0412-0077.jpg": jpeg()})
    assert run([folder])[0].status == "created"
    assert [(r.status, r.guid) for r in run([folder])] == [("unchanged", G2_GUID)]
    newer = G2_PICTURE.read_text().replace(
        "All rights reserved.", "All rights reserved. Not for publication in Canada."
    )
    (folder / "item.xml").write_text(newer)
    (again,) = run([folder])
    assert again.status == "updated" and Picture.objects.count() == 1
    assert Picture.objects.get().excluded_territories == {"US", "CA"}


def test_the_files_and_the_g2_items_rights_are_read_together_the_stricter_winning(
    tmp_path, licensed
):
    own = f"Copyright 2030 {HARBOUR}. Not for publication in Canada."
    folder = folder_with(tmp_path, {"item.xml": G2_PICTURE, "hp-0412-0077.jpg": jpeg(rights=own)})
    run([folder])
    stored = Picture.objects.get()
    # The item excludes the United States, the file Canada: both hold.
    assert stored.excluded_territories == {"US", "CA"}
    assert stored.may_publish  # what neither forbids, our licence grants


def test_a_g2_picture_item_whose_file_did_not_come_is_an_error_and_the_batch_goes_on(
    tmp_path, licensed
):
    story = FIXTURES / "g2" / "ap-by-line.xml"
    folder = folder_with(tmp_path, {"a-story.xml": story, "item.xml": G2_PICTURE})
    code, lines = lines_of("--source", licensed.slug, str(folder))
    assert code == 1
    by_type = {line["type"]: line for line in lines}
    assert by_type["article"]["status"] == "created"  # the rest of the batch is stored
    error = by_type["picture"]["error"]
    assert by_type["picture"]["status"] == "error" and by_type["picture"]["guid"] == G2_GUID
    assert error.startswith(
        f"{folder / 'item.xml'}: item {G2_GUID}, field contentSet/remoteContent/@href: "
        "the picture file 'hp-0412-0077.jpg' did not come with the picture item"
    )
    assert not Picture.objects.exists() and Article.objects.count() == 1


def test_a_g2_picture_item_with_no_remote_content_or_a_url_only_is_reported(tmp_path, licensed):
    text = G2_PICTURE.read_text()
    start, end = text.index("<contentSet>"), text.index("</contentSet>") + len("</contentSet>")
    empty = text[:start] + "<contentSet/>" + text[end:]
    remote = text.replace('href="hp-0412-0077.jpg"', 'href="https://example.com/hp.jpg"')
    folder = folder_with(tmp_path, {"empty.xml": empty.encode(), "remote.xml": remote.encode()})
    reports = {Path(r.path).name: r for r in run([folder], source=licensed)}
    assert reports["empty.xml"].status == "error"
    assert "field contentSet/remoteContent: the picture item has no remoteContent with an href" in (
        reports["empty.xml"].error
    )
    assert reports["remote.xml"].status == "skipped"  # nothing is fetched, and no fault
    assert "is a URL: ingest fetches nothing" in reports["remote.xml"].error
    assert not Picture.objects.exists()


def test_a_g2_picture_item_a_story_links_is_stored_once_and_leads_it(tmp_path, licensed):
    item = (
        G2_PICTURE.read_text()
        .split("?>", 1)[1]
        .replace(' xmlns="http://iptc.org/std/nar/2006-10-01/"', "")
    )
    story = f"""
    <newsItem guid="urn:test:story:valletta" version="1" standard="NewsML-G2">
      <rightsInfo><copyrightHolder literal="{HARBOUR}"/></rightsInfo>
      <itemMeta><itemClass qcode="ninat:text"/>
        <link rel="irel:seeAlso" residref="{G2_GUID}"/></itemMeta>
      <contentMeta><headline>Fleet puts to sea</headline></contentMeta>
      <contentSet>
        <inlineData contenttype="text/plain">The fleet left at dawn.</inlineData>
      </contentSet>
    </newsItem>"""
    message = (
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
        f"{item}{story}</itemSet></newsMessage>"
    )
    assert [type(i) for i in parse(message.encode())] == [ParsedItem]
    folder = folder_with(tmp_path, {"message.xml": message.encode(), "hp-0412-0077.jpg": jpeg()})
    reports = run([folder], source=licensed)
    assert [(r.type, r.status, r.guid) for r in reports] == [
        ("article", "created", "urn:test:story:valletta"),
        ("picture", "created", G2_GUID),
    ]
    assert Picture.objects.count() == 1
    assert Article.objects.get().lead_picture == Picture.objects.get(guid=G2_GUID)


# --- AP Media API ------------------------------------------------------------------------------


def test_an_ap_story_brings_the_pictures_its_associations_name():
    story, *others = parse(AP_FEED.read_bytes(), name=AP_FEED.name)
    assert others == []  # the picture item comes with the story, not as an item of its own
    assert [(p.guid, p.only_named) for p in story.pictures] == [
        (AP_PICTURE, False),
        (AP_NAMED, True),  # its item is not in the file; the video is no picture
    ]
    lead = story.pictures[0]
    assert (lead.href, lead.field) == (
        "8569b66ad5754931bc44c692a8a325ed.jpg",
        "renditions.main.href",
    )
    assert lead.creators == ["Michael Dwyer"] and lead.caption.startswith("A utility crew")
    assert lead.notice.holder == "The Associated Press" and "editorial use only" in lead.original


def test_an_ap_association_that_carries_its_renditions_is_read_from_them():
    data = json.loads(AP_FEED.read_text())
    item = data["data"]["items"][0]["item"]
    association = item["associations"]["2"]
    association["renditions"] = {
        "preview": {"type": "picture", "href": "https://api.ap.org/x/preview.jpg", "width": 512},
        "main": {"type": "picture", "mimetype": "image/jpeg", "href": "linemen.jpg"},
    }
    association["copyrightnotice"] = "Copyright 2030 The Associated Press. All rights reserved."
    (story,) = parse(json.dumps({"data": {"item": item}}).encode())
    named = story.pictures[1]
    assert (named.href, named.only_named) == ("linemen.jpg", False)
    assert named.field == "associations.2.renditions.main.href"
    assert story.pictures[0].only_named  # alone, its picture item is not in the file


def test_an_ap_story_stores_its_picture_and_reports_the_one_only_named(tmp_path, licensed):
    folder = folder_with(
        tmp_path,
        {
            "feed.json": AP_FEED,
            "8569b66ad5754931bc44c692a8a325ed.jpg": jpeg(creators=("Michael Dwyer",)),
        },
    )
    code, lines = lines_of("--source", licensed.slug, str(folder))
    assert code == 0  # a picture only named is no failure
    assert [(line["type"], line["status"], line["guid"]) for line in lines] == [
        ("article", "created", AP_STORY),
        ("picture", "created", AP_PICTURE),
        ("picture", "skipped", AP_NAMED),
    ]
    assert "only named here" in lines[2]["error"] and lines[0]["warnings"] == [lines[2]["error"]]
    stored = Picture.objects.get()
    assert Article.objects.get().lead_picture == stored and stored.creators == ["Michael Dwyer"]
    assert stored.copyright_holder == "The Associated Press"


def test_an_ap_association_of_the_wrong_shape_is_reported_and_the_story_stored(licensed):
    data = json.loads(AP_FEED.read_text())
    item = data["data"]["items"][0]["item"]
    item["associations"]["1"]["renditions"] = {"main": "8569b66ad5754931bc44c692a8a325ed.jpg"}
    reports = list(
        Ingest(source=licensed).data(json.dumps({"data": {"item": item}}).encode(), name="ap.json")
    )
    assert [(r.type, r.status) for r in reports][:2] == [
        ("article", "created"),
        ("picture", "error"),
    ]
    assert (
        "field associations.1.renditions.main: expected an object, got a string" in reports[1].error
    )


# --- NewsML 1.2 --------------------------------------------------------------------------------


def test_a_newsml1_story_brings_its_photo_component_with_the_photos_own_rights(tmp_path, licensed):
    (story,) = parse(NEWSML1_STORY.read_bytes())
    (photo,) = story.pictures
    assert (photo.href, photo.name) == ("hw-photo-0412-0077.jpg", "hw-photo-0412-0077")
    assert photo.title == "Fishing boats return to the Grand Harbour at dawn"
    assert (photo.credit, photo.creators) == (HARBOUR, ["Marco Vella"])
    assert photo.notice.holder == HARBOUR and photo.notice.excluded_territories == {"US"}
    assert not story.notice.excluded_territories  # the story's own rights are its own
    folder = folder_with(tmp_path, {"story.xml": NEWSML1_STORY, "hw-photo-0412-0077.jpg": jpeg()})
    reports = run([folder], source=licensed, publish=True)
    assert [(r.type, r.status) for r in reports] == [("article", "created"), ("picture", "created")]
    stored = Picture.objects.get()
    assert stored.guid == f"{NEWSML1_GUID}#picture-hw-photo-0412-0077"
    assert stored.excluded_territories == {"US"} and stored.rights_expire_at.year == 2031
    assert Article.objects.get().lead_picture == stored
    assert run([folder], source=licensed)[1].status == "unchanged"  # never twice
    assert Picture.objects.count() == 1


def test_an_afp_photo_item_the_story_is_associated_with_leads_it(tmp_path, make_source):
    folder = folder_with(tmp_path, {"afp.xml": AFP, "7kq2mz-highdef.jpg": jpeg()})
    reports = run([folder], source=make_source("AFP"))
    assert [(r.type, r.status, r.guid) for r in reports][1] == ("picture", "created", AFP_PHOTO)
    stored = Article.objects.get().lead_picture
    assert stored.creators == ["Tony Karumba"] and stored.caption.startswith("Trucks wait")


def test_a_newsml1_photo_component_without_an_href_is_reported_and_the_story_stored(licensed):
    data = NEWSML1_STORY.read_text().replace('Href="hw-photo-0412-0077.jpg"', "")
    data = data.replace(
        'Href="https://media.harbourwire.example/hw-photo-0412-0077/quicklook.jpg"', ""
    )
    story, photo = Ingest(source=licensed).data(data.encode(), name="story.xml")
    assert story.status == "created" and photo.status == "error"
    assert "has no ContentItem with an Href: no file to store" in photo.error
    assert isinstance(
        parse(AFP.read_bytes().replace(b"AssociatedWith", b"Associated"))[1], UnreadItem
    )


# --- the upload page ---------------------------------------------------------------------------


def test_the_upload_page_shows_what_a_story_was_stored_without_escaped(client, licensed):
    client.force_login(member("Editor"))
    data = json.loads(AP_FEED.read_text())
    item = data["data"]["items"][0]["item"]
    item["associations"]["1"]["headline"] = "<script>alert(1)</script>"
    del data["data"]["items"][1]  # the picture item did not come
    upload = SimpleUploadedFile("feed.json", json.dumps(data).encode())
    page = client.post(
        reverse("admin:articles_article_ingest"),
        {"files": [upload], "format": "auto", "source": licensed.pk},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="nr-upload status-created has-warnings"' in html
    assert "Stored without 2 pictures it brings:" in html
    assert f"<li>item #1 {AP_STORY}, field associations.1: the picture {AP_PICTURE}" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html


def test_the_upload_page_names_a_single_missing_picture_and_a_clean_story_has_no_warning(
    client, licensed
):
    client.force_login(member("Editor"))
    data = json.loads(AP_FEED.read_text())
    item = data["data"]["items"][0]["item"]
    del item["associations"]["2"]
    files = [
        SimpleUploadedFile("feed.json", json.dumps(data).encode()),
        SimpleUploadedFile("8569b66ad5754931bc44c692a8a325ed.jpg", jpeg()),
    ]
    page = client.post(
        reverse("admin:articles_article_ingest"),
        {"files": files, "format": "auto", "source": licensed.pk},
    )
    html = page.content.decode()
    assert "has-warnings" not in html and "Stored without" not in html
    data["data"]["items"].pop()
    page = client.post(
        reverse("admin:articles_article_ingest"),
        {
            "files": [SimpleUploadedFile("again.json", json.dumps(data).encode())],
            "format": "auto",
            "source": licensed.pk,
        },
    )
    assert "Stored without a picture it brings:" in page.content.decode()
