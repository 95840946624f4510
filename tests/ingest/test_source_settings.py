"""A source's own ingest settings: the format its copy comes in, the zone of its zone-less times,
and the section its items go to when the copy names none."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from articles.ingest import FORMATS
from articles.ingest.loader import Ingest
from articles.models import Article, Section, Source
from tests.factories import member, ninjs_item

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def ninjs(**fields) -> bytes:
    return ninjs_item(**fields)


def source(**fields) -> Source:
    fields.setdefault("name", "Example Wire")
    fields.setdefault("slug", "example-wire")
    return Source.objects.create(**fields)


# --- the settings themselves --------------------------------------------------------------------


def test_a_new_source_reads_any_format_in_utc_into_no_section():
    wire = source()
    assert (wire.ingest_format, wire.ingest_zone, wire.default_section) == ("auto", "UTC", None)
    wire.full_clean()


@pytest.mark.parametrize("format", ["auto", *FORMATS])
def test_every_format_ingest_reads_is_a_valid_setting(format):
    source(ingest_format=format).full_clean()


@pytest.mark.parametrize("format", ["docx", "NITF", ""])
def test_a_format_ingest_does_not_read_is_refused_by_clean(format):
    with pytest.raises(ValidationError) as refused:
        source(ingest_format=format).full_clean()
    assert "ingest_format" in refused.value.message_dict
    assert "ingest_zone" not in refused.value.message_dict


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"])
def test_an_iana_zone_is_valid(zone):
    source(ingest_zone=zone).full_clean()


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "CEST+2", "../../etc/passwd", "Europe"])
def test_a_zone_that_is_no_iana_zone_is_refused_by_clean(zone):
    with pytest.raises(ValidationError) as refused:
        source(ingest_zone=zone).full_clean()
    assert "is not an IANA time zone" in refused.value.message_dict["ingest_zone"][0]


def test_deleting_the_default_section_leaves_the_source_without_one():
    sport = Section.objects.create(name="Sport", slug="sport")
    wire = source(default_section=sport)
    sport.delete()
    wire.refresh_from_db()
    assert wire.default_section is None


# --- a run that names the source ----------------------------------------------------------------


def test_a_run_naming_the_source_reads_in_its_format_unless_the_run_names_one():
    wire = source(ingest_format="nitf")
    assert Ingest(source=wire).format == "nitf"
    assert Ingest(source=wire, format="ninjs").format == "ninjs"
    (report,) = Ingest(source=wire).data(ninjs(), name="item.json")
    assert report.status == "error"  # read as NITF, which a ninjs object is not
    (report,) = Ingest(source=wire, format="ninjs").data(ninjs(), name="item.json")
    assert report.status == "created"


def test_a_run_naming_the_source_reads_zone_less_times_in_its_zone():
    wire = source(ingest_zone="Europe/Berlin")
    data = ninjs(embargoedUntil="2031-01-02T00:01:00")
    (report,) = Ingest(source=wire).data(data, name="item.json")
    article = Article.objects.get(pk=report.id)
    assert article.embargo_until == datetime.datetime(2031, 1, 1, 23, 1, tzinfo=UTC)
    assert (report.zone, report.zone_assumed) == ("Europe/Berlin", ["embargoedUntil"])


def test_a_time_that_names_its_zone_is_read_as_it_says_whatever_the_source_zone():
    wire = source(ingest_zone="Asia/Tokyo")
    (report,) = Ingest(source=wire).data(
        ninjs(embargoedUntil="2031-01-02T00:01:00+00:00"), name="item.json"
    )
    article = Article.objects.get(pk=report.id)
    assert article.embargo_until == datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)
    assert report.zone_assumed == [] and report.zone == ""


def test_items_naming_no_section_go_to_the_default_one_and_others_to_theirs():
    sport = Section.objects.create(name="Sport", slug="sport")
    wire = source(default_section=sport)
    (plain,) = Ingest(source=wire).data(ninjs(), name="a.json")
    (named,) = Ingest(source=wire).data(
        ninjs(uri="urn:example:2", subject=[{"name": "Business", "rel": "section"}]),
        name="b.json",
    )
    assert Article.objects.get(pk=plain.id).section == sport
    assert Article.objects.get(pk=named.id).section.name == "Business"


def test_an_item_the_desk_placed_keeps_its_section_on_a_newer_version():
    sport, world = (Section.objects.create(name=n, slug=n.lower()) for n in ("Sport", "World"))
    wire = source(default_section=sport)
    (first,) = Ingest(source=wire).data(ninjs(), name="a.json")
    Article.objects.filter(pk=first.id).update(section=world)
    (second,) = Ingest(source=wire).data(
        ninjs(version="2", body_html="<p>Reopened on Monday.</p>"), name="a.json"
    )
    assert second.status == "updated"
    assert Article.objects.get(pk=first.id).section == world


# --- a run that finds the source from the copy ---------------------------------------------------


def test_a_source_found_from_the_copy_has_its_zone_less_times_read_in_its_zone():
    source(ingest_zone="America/New_York")
    data = ninjs(embargoedUntil="2031-07-02T09:00:00")
    (report,) = Ingest().data(data, name="item.json")  # the run's zone: UTC
    article = Article.objects.get(pk=report.id)
    assert article.source.slug == "example-wire"
    assert article.embargo_until == datetime.datetime(2031, 7, 2, 13, 0, tzinfo=UTC)  # EDT
    assert (report.zone, report.zone_assumed) == ("America/New_York", ["embargoedUntil"])


def test_a_wall_time_in_the_runs_daylight_saving_gap_is_read_as_the_source_says():
    """02:30 on 30 March 2031 does not exist in Berlin; in the source's zone, Tokyo, it does."""
    source(ingest_zone="Asia/Tokyo")
    data = ninjs(embargoedUntil="2031-03-30T02:30:00")
    (report,) = Ingest(zone=ZoneInfo("Europe/Berlin")).data(data, name="i")
    article = Article.objects.get(pk=report.id)
    assert article.embargo_until == datetime.datetime(2031, 3, 29, 17, 30, tzinfo=UTC)
    assert report.zone == "Asia/Tokyo"


def test_each_item_of_a_many_source_file_is_read_in_its_own_sources_zone():
    source(ingest_zone="Europe/Berlin")
    source(name="Other Wire", slug="other-wire", ingest_zone="Asia/Tokyo")
    items = [
        json.loads(ninjs(uri="urn:a", embargoedUntil="2031-01-02T12:00:00")),
        json.loads(
            ninjs(
                uri="urn:b",
                embargoedUntil="2031-01-02T12:00:00",
                copyrightholder="Other Wire",
                copyrightnotice="Copyright 2030 Other Wire. All rights reserved.",
            )
        ),
    ]
    reports = list(Ingest().data(json.dumps(items).encode(), name="many.json"))
    by_guid = {r.guid: r for r in reports}
    berlin = Article.objects.get(guid="urn:a")
    tokyo = Article.objects.get(guid="urn:b")
    assert berlin.embargo_until == datetime.datetime(2031, 1, 2, 11, 0, tzinfo=UTC)
    assert tokyo.embargo_until == datetime.datetime(2031, 1, 2, 3, 0, tzinfo=UTC)
    assert (by_guid["urn:a"].zone, by_guid["urn:b"].zone) == ("Europe/Berlin", "Asia/Tokyo")


def test_a_source_found_from_the_copy_in_the_runs_zone_is_not_read_again(monkeypatch):
    source()  # UTC, as the run
    calls = []
    import articles.ingest.loader as loader

    original = loader.parse
    monkeypatch.setattr(loader, "parse", lambda *a, **k: calls.append(k) or original(*a, **k))
    (report,) = Ingest().data(ninjs(embargoedUntil="2031-01-02T00:01:00"), name="i.json")
    assert len(calls) == 1 and report.zone == "UTC"


def test_a_new_source_made_from_the_copy_reads_in_the_runs_zone():
    (report,) = Ingest().data(ninjs(embargoedUntil="2031-01-02T00:01:00"), name="i.json")
    article = Article.objects.get(pk=report.id)
    assert article.source.ingest_zone == "UTC"
    assert article.embargo_until == datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)


def test_a_source_found_from_the_copy_with_a_broken_zone_fails_the_item_by_name():
    Source.objects.create(name="Example Wire", slug="example-wire", ingest_zone="Nowhere/Else")
    (report,) = Ingest().data(ninjs(embargoedUntil="2031-01-02T00:01:00"), name="i.json")
    assert report.status == "error"
    assert "Nowhere/Else" in report.error and "time zone" in report.error
    assert not Article.objects.exists()


# --- where the settings show ------------------------------------------------------------------


def test_the_command_says_which_zone_it_read_times_in(tmp_path):
    source(ingest_zone="Europe/Berlin")
    (tmp_path / "item.json").write_bytes(ninjs(embargoedUntil="2031-01-02T00:01:00"))
    out = StringIO()
    call_command("ingest", str(tmp_path / "item.json"), "--source", "example-wire", stdout=out)
    assert "times without a zone read as Europe/Berlin: embargoedUntil" in out.getvalue()


def test_the_upload_page_says_which_zone_it_read_times_in(client):
    wire = source(ingest_zone="Europe/Berlin")
    client.force_login(member("Editor"))
    data = ninjs(embargoedUntil="2031-01-02T00:01:00")
    page = client.post(
        reverse("admin:articles_article_ingest"),
        {"files": [SimpleUploadedFile("item.json", data)], "format": "auto", "source": wire.pk},
    )
    assert "Times without a zone read as Europe/Berlin: embargoedUntil" in page.content.decode()


def test_the_source_page_shows_the_ingest_settings_and_refuses_a_bad_zone(client, admin_user):
    wire = source()
    client.force_login(admin_user)
    url = reverse("admin:articles_source_change", args=[wire.pk])
    html = client.get(url).content.decode()
    assert "<h2" in html and ">Ingest<" in html
    assert "IANA time zone" in html and "names no section" in html
    assert f'<option value="{FORMATS[0]}"' in html
    form = {
        "name": wire.name,
        "slug": wire.slug,
        "kind": wire.kind,
        "ingest_format": "auto",
        "ingest_zone": "Mars/Olympus_Mons",
        "licences-TOTAL_FORMS": 0,
        "licences-INITIAL_FORMS": 0,
        "feeds-TOTAL_FORMS": 0,
        "feeds-INITIAL_FORMS": 0,
    }
    page = client.post(url, form)
    assert page.status_code == 200 and "is not an IANA time zone" in page.content.decode()
    page = client.post(url, {**form, "ingest_zone": "Europe/Berlin", "ingest_format": "docx"})
    assert page.status_code == 200
    wire.refresh_from_db()
    assert (wire.ingest_zone, wire.ingest_format) == ("UTC", "auto")
    page = client.post(url, {**form, "ingest_zone": "Europe/Berlin", "ingest_format": "nitf"})
    assert page.status_code == 302
    wire.refresh_from_db()
    assert (wire.ingest_zone, wire.ingest_format) == ("Europe/Berlin", "nitf")
