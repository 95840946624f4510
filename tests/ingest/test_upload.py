"""The admin's upload page: the command's report, for the roles that may ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.ingest import MAX_BYTES
from articles.models import Article, Source
from tests.factories import member

FIXTURES = Path(__file__).parent / "fixtures"
URL = reverse("admin:articles_article_ingest")

pytestmark = pytest.mark.django_db


def upload(client, *names: str, **fields):
    files = [SimpleUploadedFile(n, (FIXTURES / n).read_bytes()) for n in names]
    return client.post(URL, {"files": files, "format": "auto", **fields})


def test_an_editor_uploads_several_files_and_reads_each_refusal(client):
    client.force_login(member("Editor"))
    page = upload(client, "ap.txt", "anadolu.txt", publish="on")
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 items" in html
    assert html.count("Refused") == 2 and "notice forbids publication" in html
    assert Article.objects.count() == 2
    assert not Article.objects.filter(status="published").exists()


def test_an_editor_publishes_what_rights_allow(client):
    client.force_login(member("Editor"))
    desk = Source.objects.create(name="Desk", slug="desk", kind="staff")
    page = upload(client, "ap.txt", publish="on", source=desk.pk)
    assert "Published" in page.content.decode()
    assert Article.objects.get().status == "published"


def test_a_bad_file_is_reported_by_name_and_the_others_are_stored(client):
    client.force_login(member("Reporter"))
    page = upload(client, "xxe.xml", "reuters.txt")
    html = page.content.decode()
    assert "1 failed" in html and "xxe.xml" in html
    assert Article.objects.count() == 1


def test_an_oversized_upload_is_refused_with_its_name(client):
    client.force_login(member("Reporter"))
    big = SimpleUploadedFile("huge.txt", b"a" * (MAX_BYTES + 1))
    page = client.post(URL, {"files": [big], "format": "auto"})
    assert (
        "<strong>huge.txt</strong> was not stored: file is larger than 5 MiB"
        in page.content.decode()
    )
    assert not Article.objects.exists()


def test_a_reporter_cannot_publish_by_forging_the_form(client):
    client.force_login(member("Reporter"))
    Source.objects.create(name="Desk", slug="desk", kind="staff")
    upload(client, "ap.txt", publish="on", source=Source.objects.get().pk)
    assert Article.objects.get().status == "draft"


def test_roles_that_may_not_add_articles_are_refused(client):
    client.force_login(member("Rights manager"))
    assert upload(client, "ap.txt").status_code == 403
    assert not Article.objects.exists()


def test_the_report_says_when_an_embargo_lifts_and_where_the_item_may_go_in_words(client):
    client.force_login(member("Reporter"))
    html = upload(client, "embargoed.txt").content.decode()
    assert "Embargoed until 2 Jan 2031, 00:01 UTC" in html  # EMBARGOED UNTIL 00:01 GMT 2 JANUARY
    assert "Only in GB, IE" in html
    assert "2031-01-02T00:01" not in html  # never the stored form


def test_copy_that_names_no_source_is_refused_in_the_words_of_the_upload_page(client):
    client.force_login(member("Reporter"))
    story = b"Harbour reopens\n\nThe harbour reopened on Monday after a month of repairs.\n"
    html = client.post(
        URL, {"files": [SimpleUploadedFile("story.txt", story)], "format": "auto"}
    ).content.decode()
    assert "the Source field on the upload page" in html
