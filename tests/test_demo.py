"""`manage.py demo` and `demo_admin`: the content a fresh install shows, safe to run again."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from articles.models import Article, AuditEntry, Source
from articles.rights import Right

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def demo_media(settings, tmp_path):
    """The demo's photos are stored in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_demo_shows_published_staff_stories_and_refused_wire_copy():
    out = io.StringIO()
    call_command("demo", stdout=out)
    live = Article.objects.permitting(Right.PUBLISH)
    assert live.filter(source__kind=Source.Kind.STAFF).count() >= 5
    assert live.filter(source__slug="northern-wire").exists()  # under our licence
    assert not live.filter(source__slug="meridian-press-agency").exists()  # all rights reserved
    assert AuditEntry.objects.filter(action="refusal").exists()
    printed = out.getvalue()
    assert "refused" not in printed  # a demo's refusals are the point, not failures
    assert "held back on purpose" in printed
    assert "· Central bank signals pause after three rate rises: Meridian Press Agency's notice " \
        "forbids publication." in printed  # fmt: skip
    assert "Copyright 2026" not in printed  # the point, not the notice it quotes
    roles = {b.role for a in Article.objects.all() for b in a.bylines.all()}
    assert {"writing", "reporting", "editing"} <= roles


def test_demo_is_idempotent():
    call_command("demo", stdout=io.StringIO())
    counts = (Article.objects.count(), Source.objects.count(), AuditEntry.objects.count())
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert (Article.objects.count(), Source.objects.count(), AuditEntry.objects.count()) == counts
    assert "unchanged" in out.getvalue()


def test_demo_admin_prints_the_password_once(monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    first, again = io.StringIO(), io.StringIO()
    call_command("demo_admin", stdout=first)
    call_command("demo_admin", stdout=again)
    password = first.getvalue().split("password “")[1].split("”")[0]
    assert User.objects.get(username="admin").check_password(password)
    assert password not in again.getvalue()
    assert User.objects.get(username="editor").groups.filter(name="Editor").exists()


def test_demo_admin_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-long-demo-password")
    call_command("demo_admin", stdout=io.StringIO())
    assert User.objects.get(username="admin").check_password("a-long-demo-password")
    assert User.objects.get(username="rights").check_password("a-long-demo-password")


def test_demo_admin_prints_the_login_url_of_the_server_it_is_told_of(monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    default, elsewhere = io.StringIO(), io.StringIO()
    call_command("demo_admin", stdout=default)
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a-long-demo-password")
    call_command("demo_admin", "--host", "0.0.0.0:8765", stdout=elsewhere)
    assert "http://127.0.0.1:8000/admin/" in default.getvalue()
    assert "http://0.0.0.0:8765/admin/" in elsewhere.getvalue()


def test_demo_admin_says_how_the_second_factor_is_set_up(monkeypatch):
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    first, again = io.StringIO(), io.StringIO()
    call_command("demo_admin", stdout=first)
    call_command("demo_admin", stdout=again)

    for out in (first, again):
        assert "at their first sign-in the desk shows a QR code" in out.getvalue()
        assert "python manage.py second_factor code admin" in out.getvalue()


def test_demo_admin_prints_a_tour_whose_steps_name_what_the_desk_really_shows(monkeypatch):
    from pathlib import Path

    from articles.desks import SHELVES

    monkeypatch.delenv("DEMO_ADMIN_PASSWORD", raising=False)
    out = io.StringIO()
    call_command("demo_admin", "--host", "0.0.0.0:8765", stdout=out)
    tour = out.getvalue().split("Try first:")[1]

    assert [line.strip()[:2] for line in tour.strip().splitlines()] == ["1.", "2.", "3.", "4."]
    for login in ("“editor”", "“rights”", "“reporter”"):
        assert login in tour
    assert "http://0.0.0.0:8765/admin/" in tour and "http://0.0.0.0:8765/" in tour
    assert f"Editor’s desk → {SHELVES['refused'][0]}" in tour
    root = Path(__file__).resolve().parent.parent
    assert (root / "articles" / "demo" / "wire").is_dir()
    dashboard = (root / "templates" / "admin" / "newsroom" / "dashboard.html").read_text()
    assert "Upload wire copy" in tour and "Upload wire copy" in dashboard


def test_demo_photos_come_through_ingest_with_their_rights(demo_media):
    from pictures.models import Picture

    out = io.StringIO()
    call_command("demo", stdout=out)
    staff = Picture.objects.get(guid="urn:newsroom:demo:photo:river-cleanup")
    agency = Picture.objects.get(guid="urn:newsroom:demo:photo:open-commons-reef")
    assert staff.source.kind == Source.Kind.STAFF and all(staff.grants(r) for r in Right)
    assert staff.status == "published" and staff.creators == ["Sam Okafor"]
    assert staff.wire_original  # read from the file's XMP and IIM
    assert not agency.grants(Right.PUBLISH) and agency.rights_basis["publish"] == "notice"
    assert agency.status == "draft"  # the publish gate refused it
    assert (demo_media / staff.image.name).exists()
    # Its terms keep it to print, which no licence lifts: the refusal says so.
    assert "Photo “Divers over the recovering reef”: Open Commons News's terms allow print " \
        "use only." in out.getvalue()  # fmt: skip
    assert Article.objects.get(lead_picture=staff).source.kind == Source.Kind.STAFF
    reef = Article.objects.get(lead_picture=agency)
    assert reef.source.slug == "open-commons-news"


def test_the_demo_pages_show_the_staff_photo_and_not_the_print_only_one(client, demo_media):
    from pictures.models import Picture

    call_command("demo", stdout=io.StringIO())
    staff = Article.objects.get(lead_picture__guid="urn:newsroom:demo:photo:river-cleanup")
    reef = Article.objects.get(lead_picture__guid="urn:newsroom:demo:photo:open-commons-reef")
    shown = client.get(staff.get_absolute_url()).content.decode()
    assert f"/pictures/{staff.lead_picture_id}/" in shown
    assert "Photo: Sam Okafor / The Newsroom / © 2026 The Newsroom" in shown
    page = client.get(reef.get_absolute_url())
    assert page.status_code == 200 and reef.headline in page.content.decode()
    assert "/pictures/" not in page.content.decode()
    picture = Picture.objects.get(pk=reef.lead_picture_id)
    assert client.get(picture.rendition_url(640, "jpg")).status_code == 404  # a draft


def test_the_demo_photos_are_unchanged_on_a_second_run(demo_media):
    from pictures.models import Picture

    call_command("demo", stdout=io.StringIO())
    before = list(Picture.objects.values_list("pk", "version", "content_hash").order_by("pk"))
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert (
        list(Picture.objects.values_list("pk", "version", "content_hash").order_by("pk")) == before
    )
    assert "unchanged picture" in out.getvalue()


def test_the_demo_front_page_leads_with_the_staff_photo(client):
    call_command("demo", stdout=io.StringIO())
    river = Article.objects.get(lead_picture__guid="urn:newsroom:demo:photo:river-cleanup")
    content = client.get("/").content.decode()
    lead = content.split('class="story story--lead', 1)[1].split("</article>", 1)[0]
    assert river.headline in lead
    assert f"/pictures/{river.lead_picture_id}/" in lead
