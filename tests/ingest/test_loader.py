"""Storing parsed wire items: rights, bylines, idempotence, versions, conflicts, atomicity."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.utils import timezone

from articles.ingest.loader import Ingest
from articles.models import Article, AuditEntry, Byline, Person, Section, Source
from articles.rights import Right
from tests.factories import ninjs_item

FIXTURES = Path(__file__).parent / "fixtures"
CONFORMANCE = Path(__file__).parent.parent / "conformance"

pytestmark = pytest.mark.django_db


def ingest(*paths, **options) -> list:
    return list(Ingest(**options).paths(paths))


def ninjs(**fields) -> bytes:
    return ninjs_item(**fields)


def run_bytes(data: bytes, *, name: str = "item.json", **options) -> list:
    return list(Ingest(**options).data(data, name=name))


def test_an_all_rights_reserved_wire_story_is_stored_with_all_four_rights_denied():
    (report,) = ingest(FIXTURES / "anadolu.txt")
    assert report.status == "created"
    article = Article.objects.get(pk=report.id)
    assert not any(article.grants(right) for right in Right)
    assert article.rights_settled
    assert article.copyright_holder == "Anadolu Agency"
    assert article.copyright_year == 2022
    assert "may not be published" in article.copyright_notice
    assert "Copyright" not in article.body and "Writing by" not in article.body
    assert article.source.name == "Anadolu Agency"
    assert article.source.kind == Source.Kind.AGENCY
    assert [(b.person.name, b.role) for b in article.bylines.all()] == [
        ("Erdogan Cagatay Zontur", "writing")
    ]
    assert article.wire_original.startswith("Turkish exports hit record high")
    assert report.url == article.get_absolute_url()


def test_bylines_keep_their_roles_and_order():
    (report,) = ingest(FIXTURES / "reuters.txt")
    roles = [(b["name"], b["role"]) for b in report.bylines]
    assert roles[0] == ("Ali Kucukgocmen", "reporting")
    assert ("Daren Butler", "writing") in roles
    assert ("Ece Toksabay", "additional_reporting") in roles
    assert Byline.objects.filter(article_id=report.id).count() == len(roles)


def test_reingesting_the_same_file_is_unchanged_and_writes_nothing():
    ingest(FIXTURES / "anadolu.txt")
    counts = (Article.objects.count(), Byline.objects.count(), AuditEntry.objects.count())
    (again,) = ingest(FIXTURES / "anadolu.txt")
    assert again.status == "unchanged"
    assert (Article.objects.count(), Byline.objects.count(), AuditEntry.objects.count()) == counts


def test_a_newer_wire_version_updates_the_article():
    run_bytes(ninjs())
    (report,) = run_bytes(ninjs(version="2", headline="Harbour bridge reopens to traffic"))
    assert report.status == "updated"
    article = Article.objects.get(guid="urn:example:story-1")
    assert article.headline == "Harbour bridge reopens to traffic"
    assert article.wire_version == 2
    assert Article.objects.count() == 1


def test_a_ninjs_item_with_50_subjects_makes_no_section_and_keeps_50_keywords():
    subjects = [{"name": f"Topic {n}", "uri": f"http://example.org/topic/{n}"} for n in range(50)]
    (report,) = run_bytes(ninjs(subjects=subjects))
    assert report.status == "created"
    assert Section.objects.count() == 0
    article = Article.objects.get(pk=report.id)
    assert article.section is None
    assert article.keywords == [f"Topic {n}" for n in range(50)]


def test_a_newer_version_replaces_the_keywords_and_keeps_the_section_the_desk_chose():
    (report,) = run_bytes(ninjs(subjects=[{"name": "Harbours"}]))
    desk_section = Section.objects.create(name="Local", slug="local")
    Article.objects.filter(pk=report.id).update(section=desk_section)
    run_bytes(ninjs(version="2", subjects=[{"name": "Bridges"}, {"name": "Traffic"}]))
    article = Article.objects.get(pk=report.id)
    assert article.keywords == ["Bridges", "Traffic"]
    assert article.section == desk_section
    assert Section.objects.count() == 1


def test_a_section_the_copy_names_is_found_or_made_once():
    marked = [{"name": "Business", "rel": "section"}, {"name": "Ports"}]
    run_bytes(ninjs(subjects=marked))
    run_bytes(ninjs(uri="urn:example:story-2", headline="Another", subjects=marked))
    assert list(Section.objects.values_list("name", flat=True)) == ["Business"]
    assert set(Article.objects.values_list("section__slug", flat=True)) == {"business"}


def test_an_older_wire_version_changes_nothing():
    run_bytes(ninjs(version="3"))
    (report,) = run_bytes(ninjs(version="2", headline="An older headline"))
    assert report.status == "unchanged"
    assert Article.objects.get().headline == "Harbour bridge reopens"


def test_a_newer_version_of_an_article_edited_here_is_a_conflict_and_changes_nothing():
    wire = Source.objects.create(name="Example Wire", slug="example-wire")
    wire.licences.create(grants_publish=True, grants_rewrite=True)
    (first,) = run_bytes(ninjs())
    article = Article.objects.get(pk=first.id)
    article.headline = "Our own better headline"
    article.version += 1
    article.save()
    (report,) = run_bytes(ninjs(version="2", headline="The wire's new headline"))
    assert report.status == "error"
    assert "conflict" in report.error and "item.json" in report.error
    article.refresh_from_db()
    assert article.headline == "Our own better headline"


def test_publishing_is_not_an_edit_and_does_not_block_updates():
    source = Source.objects.create(name="Staff", slug="staff", kind="staff")
    run_bytes(ninjs(), source=source, publish=True)
    assert Article.objects.get().status == "published"
    (report,) = run_bytes(ninjs(version="2", headline="Updated"), source=source)
    assert report.status == "updated"


def test_publish_flag_publishes_what_rights_allow_and_reports_each_refusal():
    staff = Source.objects.create(name="The Newsroom", slug="staff", kind="staff")
    (ours,) = ingest(FIXTURES / "ap.txt", source=staff, publish=True)
    assert ours.published and ours.refused == []
    (theirs,) = ingest(FIXTURES / "anadolu.txt", publish=True)
    assert not theirs.published
    assert any("Anadolu Agency's notice forbids publication" in r for r in theirs.refused)
    assert Article.objects.get(pk=theirs.id).status == "draft"
    assert AuditEntry.objects.filter(article_id=theirs.id, action="refusal").exists()


def test_an_active_licence_grants_publication_and_sets_the_expiry():
    source = Source.objects.create(name="Anadolu Agency", slug="anadolu-agency")
    until = timezone.now() + datetime.timedelta(days=10)
    source.licences.create(grants_publish=True, valid_until=until, reference="AA-7")
    (report,) = ingest(FIXTURES / "anadolu.txt", publish=True)
    assert report.rights == {
        "publish": True,
        "broadcast": False,
        "rewrite": False,
        "redistribute": False,
    }
    assert report.published
    assert report.rights_expire_at == until.isoformat()


def test_source_option_names_the_source_for_every_item():
    source = Source.objects.create(name="Desk", slug="desk")
    (report,) = ingest(FIXTURES / "anadolu.txt", source=source)
    assert Article.objects.get(pk=report.id).source == source


def test_unrecognised_usage_terms_leave_the_item_unsettled_and_keep_the_terms():
    (report,) = ingest(FIXTURES / "olympic-terms.txt")
    assert not report.rights_settled
    assert report.usage_terms


def test_territory_limits_from_the_copy_are_stored():
    (report,) = ingest(FIXTURES / "nitf-rights.xml")
    assert report.territories == ["GB", "IE"]
    assert report.rights_expire_at is not None
    assert report.embargo_until is not None


def test_bodies_are_sanitised_before_they_are_stored():
    body = '<p onclick="steal()">Text<script>alert(1)</script><img src=x onerror=alert(2)></p>'
    (report,) = run_bytes(ninjs(body_html=body))
    stored = Article.objects.get(pk=report.id).body
    assert "script" not in stored and "onclick" not in stored and "onerror" not in stored
    assert "Text" in stored


def test_a_cancelled_item_kills_the_article():
    run_bytes(ninjs())
    (report,) = run_bytes(ninjs(version="2", pubstatus="canceled"))
    assert report.status == "updated"
    assert Article.objects.get().status == "killed"
    assert AuditEntry.objects.filter(action="kill").exists()


def test_a_bad_item_is_reported_by_file_item_and_field_and_the_others_are_stored():
    good = json.loads(ninjs(uri="urn:example:good"))
    bad = json.loads(ninjs(uri="urn:example:bad", headline="x" * 600))
    reports = run_bytes(json.dumps([good, bad]).encode(), name="batch.json")
    assert [r.status for r in reports] == ["created", "error"]
    error = reports[1].error
    assert "batch.json" in error and "urn:example:bad" in error and "headline" in error
    assert not Article.objects.filter(guid="urn:example:bad").exists()
    assert Article.objects.filter(guid="urn:example:good").exists()


def test_a_fault_in_the_middle_of_an_item_leaves_no_partial_rows(monkeypatch):
    def fail(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Byline.objects, "bulk_create", fail)
    (report,) = ingest(FIXTURES / "reuters.txt")
    assert report.status == "error" and "disk full" in report.error
    assert not Article.objects.exists()
    assert not AuditEntry.objects.exists()
    assert not Person.objects.exists()


def test_an_unparseable_file_is_one_error_naming_the_file_and_stores_nothing():
    (report,) = ingest(FIXTURES / "xxe.xml")
    assert report.status == "error"
    assert "xxe.xml" in report.error
    assert not Article.objects.exists()


def test_copy_without_holder_or_provider_asks_for_a_source():
    (report,) = run_bytes(ninjs(copyrightholder="", copyrightnotice=""))
    assert report.status == "error"
    assert "--source" in report.error and "field source" in report.error


def test_a_dry_run_reports_everything_and_stores_nothing():
    reports = ingest(FIXTURES, dry_run=True)
    assert any(r.status == "created" for r in reports)
    assert not Article.objects.exists()
    assert not Source.objects.exists()


def test_a_folder_is_ingested_recursively_including_the_official_examples():
    source = Source.objects.create(name="Examples", slug="examples")
    reports = ingest(CONFORMANCE / "ninjs" / "examples", source=source)
    assert reports
    # The 2.1 and 3.0 examples share guids: the second of each pair is an update or unchanged.
    assert not [r.error for r in reports if r.status == "error"]
    assert sum(r.status == "created" for r in reports) >= 5


def test_ingest_records_an_audit_entry_per_item():
    (report,) = ingest(FIXTURES / "anadolu.txt")
    entry = AuditEntry.objects.get(article_id=report.id, action="ingest")
    assert "anadolu.txt" in entry.reason


def test_ingest_stores_the_copys_terms_and_a_licence_saved_later_derives_from_them():
    (report,) = ingest(FIXTURES / "anadolu.txt")
    article = Article.objects.get(pk=report.id)
    assert not article.may_publish
    assert article.terms.notice.holder == "Anadolu Agency"
    assert article.terms.notice.all_rights_reserved
    article.source.licences.create(grants_publish=True, grants_redistribute=True)
    article.refresh_from_db()
    assert article.may_publish and article.may_redistribute
    assert not article.may_rewrite
    assert article.rights_basis["publish"] == "licence"
    assert article.rights_basis["rewrite"] == "notice"


def test_ingest_cost_in_queries_does_not_grow_with_earlier_items(django_assert_max_num_queries):
    source = Source.objects.create(name="Desk", slug="desk")
    run = Ingest(source=source)
    list(run.data(ninjs(uri="urn:example:warm"), name="warm.json"))
    # The savepoints of the batch and of the item, and the rights generation's bumps: the
    # batch's, before any item's row is locked, and the item's save's.
    with django_assert_max_num_queries(16):
        list(run.data(ninjs(uri="urn:example:next"), name="next.json"))


def test_the_sources_own_newer_version_may_change_text_it_forbids_us_to_rewrite():
    run_bytes(ninjs())
    assert not Article.objects.get().may_rewrite
    (report,) = run_bytes(ninjs(version="2", headline="The wire's correction"))
    assert report.status == "updated"
    assert Article.objects.get().headline == "The wire's correction"


def test_the_sources_own_newer_version_keeps_the_item_its_own():
    run_bytes(ninjs())
    wire = Source.objects.get(name="Example Wire")
    (report,) = run_bytes(ninjs(version="2", body_html="<p>Corrected.</p>"), source=wire)
    assert report.status == "updated"
    article = Article.objects.get()
    assert (article.source, article.body, article.wire_version) == (wire, "<p>Corrected.</p>", 2)


def stored_state(guid: str = "urn:example:story-1") -> dict:
    """Every column of the stored item, its bylines, revisions and audit entries."""
    article = Article.objects.get(guid=guid)
    return {
        **{f.attname: getattr(article, f.attname) for f in Article._meta.concrete_fields},
        "bylines": list(article.bylines.values_list("person__name", "role")),
        "revisions": article.history.count(),
        "audit": AuditEntry.objects.filter(article_id=article.pk).count(),
    }


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ({}, {"version": "2"}),  # the text unchanged, which the text guard alone let through
        ({}, {"version": "2", "headline": "Someone else's headline"}),
        ({}, {}),  # the very same bytes
        ({"version": "3"}, {"version": "2"}),  # an older version
    ],
    ids=["same-text", "new-text", "same-bytes", "older-version"],
)
def test_copy_under_a_guid_another_source_holds_is_refused_and_changes_nothing(first, then):
    run_bytes(ninjs(**first))
    before = stored_state()
    other = Source.objects.create(name="Another Desk", slug="another-desk")
    other.licences.create(grants_publish=True, grants_rewrite=True)
    (report,) = run_bytes(ninjs(**then), source=other, name="other.json")
    assert report.status == "error"
    assert report.guid == "urn:example:story-1"
    for named in ("other.json", "urn:example:story-1", "Example Wire", "Another Desk"):
        assert named in report.error
    assert "field source" in report.error and "nothing was changed" in report.error
    assert stored_state() == before


def test_another_source_cannot_take_an_item_over_and_then_rewrite_it():
    run_bytes(ninjs())
    other = Source.objects.create(name="Another Desk", slug="another-desk")
    other.licences.create(grants_publish=True, grants_rewrite=True)
    (takeover,) = run_bytes(ninjs(version="2"), source=other)
    (rewrite,) = run_bytes(ninjs(version="3", headline="Rewritten elsewhere"), source=other)
    assert [takeover.status, rewrite.status] == ["error", "error"]
    article = Article.objects.select_related("source").get()
    assert article.source.name == "Example Wire"
    assert article.headline == "Harbour bridge reopens"
    assert not article.may_rewrite and article.rights_basis["rewrite"] == "notice"
    assert article.licence is None and article.wire_version == 1


def other_wire(**fields) -> dict:
    notice = "Copyright 2030 Other Wire. All rights reserved."
    return json.loads(ninjs(copyrightholder="Other Wire", copyrightnotice=notice, **fields))


def test_a_refused_guid_leaves_no_trace_and_the_rest_of_the_batch_goes_on():
    run_bytes(ninjs())
    taken = other_wire(version="2")  # from a provider not yet known: its source is made, then
    fresh = other_wire(uri="urn:example:fresh")  # undone with the item, and made again here
    reports = run_bytes(json.dumps([taken, fresh]).encode(), name="batch.json")
    assert [r.status for r in reports] == ["error", "created"]
    assert "Other Wire" in reports[0].error and "Example Wire" in reports[0].error
    assert Article.objects.get(guid="urn:example:fresh").source.name == "Other Wire"
    assert Article.objects.get(guid="urn:example:story-1").source.name == "Example Wire"
    connection.check_constraints()  # no row points at a source the refused item had made


def test_a_failed_item_from_a_new_provider_leaves_no_stale_source_for_the_next():
    bad = other_wire(uri="urn:example:bad", headline="x" * 600)
    good = other_wire(uri="urn:example:good")
    reports = run_bytes(json.dumps([bad, good]).encode(), name="batch.json")
    assert [r.status for r in reports] == ["error", "created"]
    assert Article.objects.get(guid="urn:example:good").source.name == "Other Wire"
    assert Source.objects.filter(name="Other Wire").count() == 1
    connection.check_constraints()


def test_of_two_sources_sending_one_guid_in_one_batch_the_second_is_refused():
    mine = json.loads(ninjs())
    theirs = other_wire(headline="Another harbour story")
    reports = run_bytes(json.dumps([mine, theirs]).encode(), name="both.json")
    assert [r.status for r in reports] == ["created", "error"]
    assert "both.json" in reports[1].error and "Other Wire" in reports[1].error
    article = Article.objects.select_related("source").get()
    assert (article.source.name, article.headline) == ("Example Wire", "Harbour bridge reopens")


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"headline": "A new headline"}, "headline"),
        ({"description_text": "A new standfirst."}, "standfirst"),
        ({"headline": "A new headline", "body_html": "<p>A new body.</p>"}, "headline, body"),
    ],
)
def test_a_rewrite_refusal_in_ingest_names_the_fields_it_refused(monkeypatch, change, fields):
    # Ingest now refuses other sources' copy before the model's guard sees it, so the guard is
    # made to count the source's own version as a rewrite here, to reach its refusal.
    guard = Article.guard_text

    def as_a_rewrite(article):
        article.wire_update = False
        guard(article)

    run_bytes(ninjs())
    before = stored_state()
    monkeypatch.setattr(Article, "guard_text", as_a_rewrite)
    (report,) = run_bytes(ninjs(version="2", **change))
    assert report.status == "error"
    assert f"item.json: item urn:example:story-1: field {fields}: " in report.error
    assert "cannot be changed" in report.error and "notice forbids rewriting" in report.error
    if "body" not in fields:
        assert "body" not in report.error
    assert stored_state() == before


def crash_on_second_item(run: Ingest, monkeypatch, error: Exception) -> Ingest:
    """Make `run` raise `error` when it comes to its second item."""
    stored, calls = run.item, []

    def crash_on_second(item, *, name):
        calls.append(name)
        if len(calls) == 2:
            raise error
        return stored(item, name=name)

    monkeypatch.setattr(run, "item", crash_on_second)
    return run


def test_a_crash_in_a_batch_commits_nothing_of_it_and_reports_nothing_of_it(monkeypatch):
    run = crash_on_second_item(Ingest(), monkeypatch, RuntimeError("power cut"))
    reports = run.paths([FIXTURES / "anadolu.txt", FIXTURES / "reuters.txt"])
    with pytest.raises(RuntimeError):
        next(reports)
    assert not Article.objects.exists()
    assert not AuditEntry.objects.exists()


def test_ingest_indexes_each_stored_items_text_and_nothing_of_a_failed_or_dry_one():
    def indexed():  # in the main index or the recent one
        return set.union(*index_state())

    good = json.loads(ninjs(uri="urn:example:good"))
    bad = json.loads(ninjs(uri="urn:example:bad", headline="x" * 600))
    run_bytes(json.dumps([good, bad]).encode(), name="batch.json")
    stored = Article.objects.get(guid="urn:example:good")
    assert indexed() == {stored.pk}
    run_bytes(ninjs(uri="urn:example:dry"), dry_run=True)
    assert indexed() == {stored.pk}


@pytest.fixture
def small_runs(monkeypatch, tmp_path):
    """Batches of one item, the recent index merged once it holds two items' rows."""
    import articles.ingest.loader as loader
    import copycheck.index

    monkeypatch.setattr(loader, "BATCH", 1)
    for n in range(3):
        (tmp_path / f"{n}.json").write_bytes(ninjs(uri=f"urn:example:run-{n}"))
    item = json.loads(ninjs())
    rows = len(copycheck.index.rows_for(Article(headline=item["headline"], body=item["body_html"])))
    monkeypatch.setattr(copycheck.index, "MERGE_ROWS", 2 * rows)
    return tmp_path


def index_state() -> tuple[set[int], set[int]]:
    from copycheck.models import Fingerprint, Recent

    return (
        set(Fingerprint.objects.values_list("article_id", flat=True)),
        set(Recent.objects.values_list("article_id", flat=True)),
    )


def test_each_batch_is_indexed_as_it_commits_and_merged_every_so_many_rows(small_runs):
    reports = Ingest().paths([small_runs])
    first = next(reports)
    assert index_state() == (set(), {first.id})  # in the recent index, in its own commit
    second = next(reports)
    assert index_state() == ({first.id, second.id}, set())  # two items' rows: merged
    third = next(reports)
    assert index_state() == ({first.id, second.id}, {third.id})
    assert list(reports) == []
    assert index_state() == ({first.id, second.id, third.id}, set())  # merged at the end


def test_a_run_stopped_early_merges_what_it_committed(small_runs):
    reports = Ingest().paths([small_runs])
    first = next(reports)
    assert index_state() == (set(), {first.id})
    reports.close()
    assert index_state() == ({first.id}, set())


def test_a_run_that_fails_leaves_what_it_committed_indexed(small_runs, monkeypatch):
    run = crash_on_second_item(Ingest(), monkeypatch, DatabaseError("disk full"))
    reports = run.paths([small_runs])
    first = next(reports)
    with pytest.raises(DatabaseError):
        next(reports)
    assert index_state() == (set(), {first.id})  # committed, and found by checks meanwhile
    list(Ingest().paths([small_runs]))  # the next run merges what the failed one left
    assert index_state() == (set(Article.objects.values_list("pk", flat=True)), set())
