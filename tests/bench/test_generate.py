"""The archive generator writes what it promises, and what the application itself would store:
the deck's mix of cases and statuses, unique short slugs and guids, bodies unlike each other and
of the length asked, rights as the policy derives them, one to four bylines, an audit trail and
history, the copy detector's fingerprints, sequences past the rows written, and an archive the
public pages serve."""

from __future__ import annotations

import importlib
import re
import threading
from collections import Counter

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from articles.audit import AuditEntry
from articles.models import Article, Byline, Section, Source
from articles.rights import derive_rights, text_reusable_for_good
from articles.sanitise import clean_html
from articles.vocabulary import Right, Status
from bench.archive.writers import Writer
from bench.generate import (
    CASES,
    DECK,
    SLUG_MAX,
    WORDS_MAX,
    WORDS_MIN,
    Generator,
    body_words,
    generate,
)
from copycheck.models import Fingerprint, Recent

pytestmark = pytest.mark.django_db
# The trigger's expression, as migration 0017 wrote it.
SEARCH_DOCUMENT = importlib.import_module("articles.migrations.0017_search_document").DOCUMENT


def test_one_deal_of_the_deck_holds_every_case_and_status_in_its_proportion(archive):
    assert archive.counts.cases == Counter({case.name: case.count for case in CASES})
    wanted = Counter()
    for case in CASES:
        wanted[case.status] += case.count
    stored = Counter(Article.objects.values_list("status", flat=True))
    assert stored == wanted
    assert set(stored) == set(Status.values)
    assert Article.objects.count() == DECK


def test_sources_sections_and_people_are_a_newsroom_s(archive):
    kinds = Counter(Source.objects.values_list("kind", flat=True))
    assert kinds["staff"] == 1 and kinds["agency"] >= 5
    assert Source.objects.filter(suspended=True).count() == 1
    assert Source.objects.filter(licences__isnull=False).distinct().count() >= 5
    positions = list(Section.objects.values_list("position", flat=True))
    assert len(positions) >= 24 and len(set(positions)) == len(positions) and 0 not in positions
    assert archive.counts.tables["articles_person"] >= 2_000
    # Stories spread over the sections by their weights, the small ones included.
    used = Section.objects.filter(articles__isnull=False).distinct().count()
    assert used >= len(positions) * 2 // 3


def test_slugs_and_guids_are_unique_and_slugs_short(archive):
    slugs = list(Article.objects.values_list("slug", flat=True))
    guids = list(Article.objects.values_list("guid", flat=True))
    assert len(set(slugs)) == len(slugs) == DECK
    assert len(set(guids)) == len(guids) == DECK
    assert max(len(slug) for slug in slugs) <= SLUG_MAX
    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug) for slug in slugs)


def test_no_two_bodies_are_alike_and_each_is_of_the_length_asked(archive):
    bodies = list(Article.objects.values_list("body", flat=True))
    assert len(set(bodies)) == len(bodies)
    words = [body_words(body) for body in bodies]
    assert min(words) >= WORDS_MIN and max(words) <= WORDS_MAX
    assert max(words) - min(words) > 300  # the lengths vary, not one length for all
    # Stored as the model would store them: the sanitiser leaves them as they are.
    assert all(clean_html(body) == body and body.startswith("<p>") for body in bodies)
    assert len({word for body in bodies for word in body.lower().split()}) > 1_000


def test_rights_are_what_the_policy_derives_from_source_terms_and_licence(archive):
    now = timezone.now()
    for article in Article.objects.select_related("source", "licence"):
        licence = article.source.active_licence(at=now)
        derived = derive_rights(source=article.source, terms=article.terms, licence=licence, at=now)
        label = f"{article.slug} ({article.source.name})"
        for right in Right:
            assert article.grants(right) == derived.grants[right], label
            assert article.rights_basis[right.value] == derived.basis[right], label
        assert article.rights_settled == derived.settled, label
        assert article.rights_start_at == derived.start_at, label
        assert article.rights_expire_at == derived.expire_at, label
        assert article.territories == derived.territories, label
        assert article.excluded_territories == derived.excluded_territories, label
        assert article.rights_explanation == derived.explanation, label
        assert article.licence == derived.licence, label
        assert article.rights_set_by_hand is False


def test_the_mix_of_rights_a_desk_meets_is_there(archive):
    now = timezone.now()
    articles = Article.objects.all()
    assert articles.filter(source__kind="staff", rights_basis__publish="staff").count() == 100
    assert articles.filter(rights_basis__publish="licence").exists()
    assert articles.filter(rights_basis__publish="copy_licence").exists()
    assert articles.filter(may_publish=False, source__kind="agency").exists()  # blocked
    assert articles.filter(rights_settled=False).exists()  # needs a rights manager
    assert articles.filter(embargo_until__gt=now).exists()
    assert articles.filter(rights_expire_at__gt=now).exists()  # expiring soon
    assert articles.filter(rights_expire_at__lte=now).exists()  # expired
    assert articles.filter(rights_start_at__gt=now).exists()  # window not yet open
    assert articles.exclude(territories=frozenset()).exists()
    assert articles.exclude(excluded_territories=frozenset()).exists()
    assert articles.filter(no_archive=True).exists()
    assert articles.filter(source__suspended=True).exists()
    assert articles.filter(status=Status.SCHEDULED, published_at__gt=now).exists()
    wire = articles.exclude(source__kind="staff")
    assert not wire.filter(wire_hash="").exists() and not wire.filter(copy_terms={}).exists()


def test_published_times_spread_over_ten_years(archive):
    published = Article.objects.exclude(published_at=None)
    times = sorted(published.values_list("published_at", flat=True))
    assert (times[-1] - times[0]).days > 365 * 7
    ids_by_time = list(Article.objects.order_by("created_at", "id").values_list("id", flat=True))
    assert ids_by_time == sorted(ids_by_time)  # ids ascend with time, as ingest gives them


def test_every_item_has_one_to_four_bylines_in_order(archive):
    counts = Counter(Byline.objects.values_list("article_id", flat=True))
    assert len(counts) == DECK
    assert set(counts.values()) <= {1, 2, 3, 4} and max(counts.values()) >= 3
    assert not Byline.objects.exclude(order__lt=4).exists()
    # Agency copy is bylined by the agency's people; staff copy by people of no agency.
    assert not Byline.objects.filter(
        article__source__kind="staff", person__affiliation__isnull=False
    ).exists()
    assert (
        not Byline.objects.exclude(article__source__kind="staff")
        .exclude(person__affiliation=F("article__source"))
        .exists()
    )


def test_a_share_of_items_has_an_audit_trail_and_history(archive):
    entries = AuditEntry.objects.exclude(article=None)
    actions = Counter(entries.values_list("action", flat=True))
    for action in ("ingest", "publish", "review", "refusal", "withdraw", "kill"):
        assert actions[action] > 0, action
    gone = Article.objects.filter(status__in=[Status.WITHDRAWN, Status.KILLED])
    assert all(a.audit_entries.filter(action__in=["withdraw", "kill"]).exists() for a in gone)
    history = Article.history.all()
    # Every withdrawn, killed or refused item has its history, and a share of the others.
    refused = Article.objects.filter(status=Status.DRAFT, may_publish=False)
    always = {*gone.values_list("pk", flat=True), *refused.values_list("pk", flat=True)}
    created = set(history.filter(history_type="+").values_list("id", flat=True))
    assert always <= created and len(created - always) > 0
    assert history.filter(history_type="~").exists()
    for record in history.filter(history_type="+")[:20]:
        assert record.instance.pk == record.id and record.status == Status.DRAFT
    # The history's latest record of an item is the item as it stands.
    article = gone.first()
    latest = article.history.order_by("-history_date", "-history_id").first()
    assert latest.status == article.status and latest.version == article.version


def test_the_copy_detector_indexes_every_item_whose_text_may_come_to_be_protected(archive):
    indexed = set(Fingerprint.objects.values_list("article_id", flat=True))
    assert not Recent.objects.exists()  # merged into the main index
    for article in Article.objects.select_related("source"):
        assert (article.pk in indexed) == (not text_reusable_for_good(article)), article.slug


def test_sequences_go_on_past_the_rows_written(archive, desk):
    highest = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
    made = Article.objects.create(headline="After the archive", source=desk)
    assert made.pk > highest
    entry = AuditEntry.record(AuditEntry.Action.REVIEW, article=made)
    assert entry.pk > AuditEntry.objects.exclude(pk=entry.pk).order_by("-pk").first().pk


def test_the_public_site_serves_the_archive(archive, client):
    assert client.get("/").status_code == 200
    public = Article.objects.for_channel("page").select_related("section")
    story = public.exclude(section=None).first()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(story.section.get_absolute_url()).status_code == 200
    page = client.get("/").content.decode()
    assert story.section.name in page or public.first().headline in page


def test_the_generator_refuses_a_database_that_holds_articles(archive):
    with pytest.raises(SystemExit, match="already holds articles"):
        generate(articles=10, progress=False)


def test_every_byline_carries_its_story_s_publication_time(archive):
    bylines = Byline.objects.select_related("article")
    assert bylines.count() > DECK
    assert all(b.published_at == b.article.published_at for b in bylines)


TABLES = (
    "articles_article",
    "articles_byline",
    "articles_historicalarticle",
    "articles_auditentry",
)


def written(*, defer_indexes: bool, now) -> dict:
    """Generate the deck at `now` in a savepoint, read back what was stored, and roll it back."""
    with connection.cursor() as cursor, transaction.atomic():
        generator = Generator(
            articles=DECK,
            seed=7,
            batch=64,
            trail_share=0.1,
            prints=False,
            defer_indexes=defer_indexes,
        )
        generator.now = now
        generator.run()
        cursor.execute("SELECT id, search_document::text FROM articles_article ORDER BY id")
        documents = cursor.fetchall()
        cursor.execute(
            'SELECT article_id, "order", published_at FROM articles_byline ORDER BY 1, 2'
        )
        bylines = cursor.fetchall()
        cursor.execute(
            f"SELECT COUNT(*) FROM articles_article WHERE search_document IS DISTINCT FROM "
            f"{SEARCH_DOCUMENT.format(row='')}"
        )
        (differing,) = cursor.fetchone()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
            f"({', '.join(['%s'] * len(TABLES))}) ORDER BY 1",
            TABLES,
        )
        indexes = cursor.fetchall()
        transaction.set_rollback(True)
    return {"documents": documents, "bylines": bylines, "differing": differing, "indexes": indexes}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY and indexes")
def test_the_copy_without_its_indexes_stores_what_it_stores_with_them(db):
    # The same seed at the same moment: the indexes dropped for the COPY and built after it
    # give the same search vectors (each the trigger's), the same bylines, the same indexes.
    now = timezone.now().replace(microsecond=0)
    kept = written(defer_indexes=False, now=now)
    deferred = written(defer_indexes=True, now=now)
    assert len(kept["documents"]) == DECK and all(doc for _, doc in kept["documents"])
    assert deferred["documents"] == kept["documents"]
    assert deferred["bylines"] == kept["bylines"]
    assert kept["differing"] == deferred["differing"] == 0
    assert deferred["indexes"] == kept["indexes"]
    names = {name for name, _ in kept["indexes"]}
    assert {"article_search_idx", "article_order_idx", "byline_person_order_idx"} <= names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY and indexes")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_two_sessions_build_the_indexes_and_build_them_all(monkeypatch):
    # Committed batches, as a real run writes them: the GIN index is built in a session of its
    # own beside the btrees, and every index the migrations made is there again at the end.
    def indexes() -> list[tuple[str, str]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN "
                f"({', '.join(['%s'] * len(TABLES))}) ORDER BY 1",
                TABLES,
            )
            return cursor.fetchall()

    # An earlier transactional test's flush may have emptied what the migrations wrote.
    for name in importlib.import_module("articles.migrations.0002_groups").GROUPS:
        Group.objects.get_or_create(name=name)
    migrated = indexes()
    beside: list[tuple[str, str]] = []
    build = Writer._build

    def recording(writer, built):
        if threading.current_thread() is not threading.main_thread():
            beside.extend(built)
        build(writer, built)

    monkeypatch.setattr(Writer, "_build", recording)
    generator = generate(articles=DECK, seed=7, batch=64, progress=False, writers=2)
    assert indexes() == migrated
    assert [name for name, _ in beside] == ["article_search_idx"]  # the GIN, in its own session
    built = {what.removeprefix("index ") for what in generator.writing if "index " in what}
    assert {"article_search_idx", "article_order_idx"} <= built
    assert "VACUUM (ANALYZE)" in generator.writing  # the visibility map set, as autovacuum would
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_article WHERE search_document IS NULL")
        assert cursor.fetchone() == (0,)
