"""The copied-text detector: normalising, the stored fingerprints' guarantee, near copies found."""

from __future__ import annotations

import datetime
import random

import pytest
from django.db import connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.rights import text_reusable_for_good, text_reusable_for_good_q
from copycheck.check import CANDIDATES, check, ranked, runs
from copycheck.index import RunIndex, article_text, write
from copycheck.models import Fingerprint, Recent
from copycheck.shingles import (
    GUARANTEED_RUN,
    SHINGLE,
    STRIDE,
    fingerprints,
    shingles,
    stride,
    words,
)
from tests.factories import FILLER, MERIDIAN_NOTICE, WIRE, member


def test_words_ignore_case_punctuation_and_markup():
    assert words("<p>The BANK’s rate—held!</p> <em>Steady</em>") == [
        "the",
        "bank",
        "s",
        "rate",
        "held",
        "steady",
    ]


@settings(max_examples=500, deadline=None)
@given(st.text() | st.text(st.characters(max_codepoint=127)))
def test_words_are_the_word_pattern_over_the_normalised_text(text):
    """Any text, and ASCII text, which takes a path of its own."""
    import html
    import re
    import unicodedata

    plain = html.unescape(re.sub(r"<[^>]*>", " ", text))
    assert words(text) == re.findall(r"\w+", unicodedata.normalize("NFKC", plain).casefold())


@settings(max_examples=200, deadline=None)
@given(
    vocabulary=st.lists(st.text("abcdefghij", min_size=1, max_size=6), min_size=30, max_size=80),
    seed=st.integers(0, 10**6),
    run=st.integers(GUARANTEED_RUN, 60),
)
def test_any_shared_run_of_the_guaranteed_length_shares_a_fingerprint(vocabulary, seed, run):
    rng = random.Random(seed)
    theirs = [rng.choice(vocabulary) for _ in range(rng.randint(run, 300))]
    start = rng.randint(0, len(theirs) - run)
    ours = (
        [rng.choice(vocabulary) for _ in range(rng.randint(0, 100))]
        + theirs[start : start + run]
        + [rng.choice(vocabulary) for _ in range(rng.randint(0, 100))]
    )
    stored = {value for value, _ in fingerprints(theirs)}
    assert stored & set(shingles(ours))


def stored(article_id: int) -> list[tuple[int, int]]:
    rows = Fingerprint.objects.filter(article_id=article_id).order_by("position")
    return list(rows.values_list("hash", "position"))


def expected(article):
    return fingerprints(words(article_text(article)))


def test_non_staff_copy_is_indexed_and_staff_copy_is_not(wire, staff_story):
    assert stored(wire.pk) == expected(wire)
    ours = staff_story(FILLER)
    assert stored(ours.pk) == []


def test_deleting_an_item_deletes_its_fingerprints(wire):
    pk = wire.pk
    assert stored(pk)
    wire.delete()
    assert stored(pk) == []


def test_saving_an_item_again_leaves_one_set_of_fingerprints(wire):
    wire.editor_note = "Checked against the agency's correction."
    wire.save()
    assert stored(wire.pk) == expected(wire)


@pytest.fixture
def rewritable(make_article, make_source):
    return make_article(source=make_source("Open Wire"), headline="Rates", body=f"<p>{FILLER}</p>")


def recent(article_id: int) -> list[tuple[int, int]]:
    rows = Recent.objects.filter(article_id=article_id).order_by("position")
    return list(rows.values_list("hash", "position"))


def test_a_batch_writes_its_rows_to_the_recent_index_with_the_batch(rewritable):
    index = RunIndex()
    with transaction.atomic(), index.batch():
        rewritable.body = f"<p>{WIRE}</p>"
        rewritable.save()
        assert recent(rewritable.pk) == [] and stored(rewritable.pk) == []  # not yet
    assert recent(rewritable.pk) == expected(rewritable) and stored(rewritable.pk) == []


def test_an_item_saved_twice_in_one_batch_keeps_its_last_rows(rewritable):
    index = RunIndex()
    with transaction.atomic(), index.batch():
        rewritable.body = f"<p>{WIRE}</p>"
        rewritable.save()
        rewritable.body = f"<p>{WIRE} {FILLER}</p>"
        rewritable.save()
    assert recent(rewritable.pk) == expected(rewritable) and stored(rewritable.pk) == []


def test_a_rolled_back_save_in_a_batch_leaves_the_save_before_it(rewritable):
    index = RunIndex()
    with transaction.atomic(), index.batch() as pending:
        rewritable.body = f"<p>{WIRE}</p>"
        rewritable.save()
        kept = expected(rewritable)
        mark = pending.mark()
        with transaction.atomic():
            rewritable.body = f"<p>{FILLER} {WIRE}</p>"
            rewritable.save()
            transaction.set_rollback(True)
        pending.discard_since(mark)
    assert recent(rewritable.pk) == kept


def test_a_batch_that_fails_writes_nothing_and_leaves_nothing_for_the_next(rewritable):
    index = RunIndex()

    def failing_batch():
        with transaction.atomic(), index.batch():
            rewritable.body = f"<p>{WIRE}</p>"
            rewritable.save()
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        failing_batch()
    with transaction.atomic(), index.batch():
        pass
    rewritable.refresh_from_db()
    assert recent(rewritable.pk) == [] and stored(rewritable.pk) == expected(rewritable)


def batch_copy(make_article, make_source, index: RunIndex, body: str = WIRE):
    with transaction.atomic(), index.batch():
        return make_article(
            source=make_source("Meridian Press Agency"),
            headline="Central bank holds rates",
            body=f"<p>{body}</p>",
            may_rewrite=False,
            may_publish=False,
        )


def test_copy_in_the_recent_index_is_found_by_a_check(make_article, make_source, staff_story):
    batched = batch_copy(make_article, make_source, RunIndex())
    assert recent(batched.pk) == expected(batched) and stored(batched.pk) == []
    report = check(staff_story(f"{FILLER} {WIRE}"))
    assert report.exceeds and {p.item.pk for p in report.passages} == {batched.pk}
    assert check(staff_story(FILLER)).passages == ()


def test_a_full_recent_index_is_merged_into_the_main_one(make_article, make_source, staff_story):
    first_rows = len(fingerprints(words(f"Central bank holds rates  <p>{WIRE}</p>")))
    index = RunIndex(merge_rows=first_rows + 1)
    first = batch_copy(make_article, make_source, index)
    assert recent(first.pk) == expected(first) and stored(first.pk) == []  # under the mark
    second = batch_copy(make_article, make_source, index, body=f"{WIRE} {FILLER}")
    assert not Recent.objects.exists()  # past it: both items' rows merged into the main index
    assert stored(first.pk) == expected(first) and stored(second.pk) == expected(second)
    report = check(staff_story(f"{FILLER} {WIRE}"))
    assert {p.item.pk for p in report.passages} == {first.pk, second.pk}


def test_a_run_counts_rows_others_left_in_the_recent_index(make_article, make_source):
    left = batch_copy(make_article, make_source, RunIndex())  # another run's rows
    index = RunIndex(merge_rows=len(expected(left)) + 1)
    with transaction.atomic(), index.batch():
        other = make_article(source=make_source("Open Wire"), headline="Rates", body=FILLER)
    assert not Recent.objects.exists()
    assert stored(left.pk) == expected(left) and stored(other.pk) == expected(other)


def test_a_save_elsewhere_moves_an_item_from_the_recent_index_to_the_main_one(
    make_article, make_source
):
    with transaction.atomic(), RunIndex().batch():
        item = make_article(source=make_source("Open Wire"), headline="Rates", body=FILLER)
    item.body = f"<p>{WIRE}</p>"
    item.save()  # an editor's save, outside any run: indexed at once, in the main index
    assert recent(item.pk) == [] and stored(item.pk) == expected(item)


def test_deleting_an_item_deletes_its_recent_rows(make_article, make_source):
    batched = batch_copy(make_article, make_source, RunIndex())
    pk = batched.pk
    assert recent(pk)
    batched.delete()
    assert recent(pk) == [] and stored(pk) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "key"),
    [
        (Fingerprint, ["hash", "article_id", "position"]),  # the lookup a check makes
        (Recent, ["article_id", "position"]),  # a batch's rows are appended
    ],
)
def test_the_fingerprint_tables_are_keyed_for_their_use(model, key):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
        (found,) = [c["columns"] for c in constraints.values() if c["primary_key"]]
        if connection.vendor != "sqlite":
            assert found == key
        else:
            # SQLite's introspection lists the key's columns in table order; read its own SQL.
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table]
            )
            (sql,) = cursor.fetchone()
            quoted = ", ".join(f'"{column}"' for column in key)
            assert f"PRIMARY KEY ({quoted})" in sql
            # The table is the key's B-tree; Django drops the clause if it ever rebuilds it.
            assert sql.endswith("WITHOUT ROWID")


def test_a_stray_fingerprint_of_no_item_is_never_reported(wire, staff_story):
    # The index has no database constraint; rows of an item gone by some other path are ignored.
    stray = [
        (wire.pk + 1000, value, position)
        for value, position in fingerprints(words(article_text(wire)))
    ]
    write(stray)
    report = check(staff_story(WIRE))
    assert {p.item.pk for p in report.passages} == {wire.pk}


def test_saving_again_reindexes_without_duplicates(wire):
    before = stored(wire.pk)
    wire.save()
    assert stored(wire.pk) == before


def test_a_long_copied_run_exceeds_the_threshold_and_names_the_item(wire, staff_story):
    copied = " ".join(WIRE.split()[10:45])
    report = check(staff_story(f"{FILLER} {copied}"))
    assert report.exceeds
    assert report.longest_run >= 35
    assert report.passages[0].item == wire
    assert {(p.item.pk, p.item.headline) for p in report.passages} == {
        (wire.pk, "Central bank holds rates")
    }
    (reason,) = report.reasons
    assert f"“Central bank holds rates” from Meridian Press Agency ({MERIDIAN_NOTICE})" in reason


def test_changed_case_and_punctuation_still_match(wire, staff_story):
    copied = " ".join(WIRE.split()[:40]).upper().replace(",", ";").replace(".", "!")
    assert check(staff_story(copied)).exceeds


def test_reordered_and_split_paragraphs_still_match(wire, staff_story):
    sentences = WIRE.split(". ")
    text = "</p><p>".join([sentences[2], FILLER, sentences[0], sentences[1]])
    report = check(staff_story(text))
    assert report.exceeds
    assert len({(p.start, p.end) for p in report.passages}) == 2


def test_a_few_altered_words_still_pass_the_share_threshold(wire, staff_story):
    altered = WIRE.split()
    for i in range(0, len(altered), 9):
        altered[i] = "indeed"
    report = check(staff_story(" ".join(altered)))
    assert report.longest_run < 25
    assert report.share >= 0.15
    assert report.exceeds


def test_a_short_quotation_passes_but_is_shown(wire, staff_story):
    # Twelve words around a stored fingerprint, so the index leads the check to the item.
    text_words = words(article_text(wire))
    position = next(position for _, position in stored(wire.pk) if position >= 40)
    quote = " ".join(text_words[position - 3 : position + 9])
    text = f"{FILLER} {FILLER} The governor said “{quote}”. {FILLER}"
    report = check(staff_story(text))
    assert not report.exceeds
    assert report.reasons == []
    assert report.passages
    assert report.longest_run == 12


def test_text_we_may_rewrite_and_publish_is_not_protected(make_article, make_source, staff_story):
    make_article(source=make_source("Open Wire"), body=f"<p>{WIRE}</p>")
    assert not check(staff_story(WIRE)).passages


def test_an_item_is_not_compared_with_copy_from_its_own_source(wire, make_article):
    again = make_article(source=wire.source, body=f"<p>{WIRE}</p>", may_rewrite=False)
    assert not check(again).passages


def test_checking_costs_two_queries_whatever_the_indexes_hold(
    wire, make_article, make_source, staff_story, django_assert_num_queries
):
    # A lookup in both hash indexes (one query), then the candidates with their sources.
    ours = staff_story(f"{WIRE} {FILLER}")
    with django_assert_num_queries(2):
        assert len(check(ours).passages) == 1
    for n in range(3):
        make_article(source=make_source(f"Wire {n}"), body=f"<p>{FILLER}</p>", may_rewrite=False)
    with django_assert_num_queries(2):
        assert len(check(ours).passages) == 4
    with transaction.atomic(), RunIndex().batch():
        for n in range(3):
            make_article(source=make_source(f"Run {n}"), body=f"<p>{WIRE}</p>", may_rewrite=False)
    assert Recent.objects.count() > 0
    with django_assert_num_queries(2):
        assert len(check(ours).passages) == 7


def test_a_copy_is_found_when_more_items_than_are_compared_share_stock_phrases(
    make_article, make_source, staff_story
):
    # Every decoy stores two stock phrases the story quotes, so each has two hits in the index
    # where the copied run (25 words of a long item, one stored shingle) gives its item one: how
    # common the shared shingles are, not how many, must decide which candidates are compared.
    rng = random.Random(5)
    long_item = make_article(
        source=make_source("Long Wire"),
        headline="Long report",
        body=" ".join(f"word{rng.randrange(10**6)}" for _ in range(400)),
        may_rewrite=False,
    )
    first, second = "according to a statement released", "officials declined to comment further"
    stock = {*shingles(words(first)), *shingles(words(second))}
    for n in range(CANDIDATES + 5):
        between = " ".join(f"decoy{n}w{k}" for k in range(STRIDE - SHINGLE))
        decoy = make_article(
            source=make_source(f"Stock Wire {n}"),
            headline=first,
            body=f"<p>{between} {second} {between} closing words.</p>",
            may_rewrite=False,
        )
        assert stock <= {value for value, _ in stored(decoy.pk)}
    text_words = words(article_text(long_item))
    position = STRIDE * 3
    copied = text_words[position - 2 : position + GUARANTEED_RUN - 2]
    assert [p for _, p in stored(long_item.pk) if position - 2 <= p <= position + 18] == [position]
    text = f"{FILLER} {first}. {FILLER} {second}. {FILLER} {' '.join(copied)}"
    report = check(staff_story(text))
    assert long_item.pk in {p.item.pk for p in report.passages}
    assert report.longest_run == GUARANTEED_RUN
    assert report.exceeds


def test_ranked_weighs_each_shared_shingle_by_how_few_items_hold_it():
    # Shingle 10 is held by four items (1/4 each), 11 by three (1/3), 99 by one: item 4's one
    # rare shingle outweighs two common ones; equal weights go to the older item.
    overlap = {3: {10, 11}, 1: {10, 11}, 2: {10, 11}, 4: {99}, 5: {10}}
    assert ranked(overlap) == [4, 1, 2, 3, 5]
    # At equal weight, more shared shingles first.
    assert ranked({7: {1}, 8: {2, 3}, 9: {2, 3}, 6: {4, 5}}) == [6, 8, 9, 7]


def test_runs_finds_each_stretch():
    assert runs([False, True, True, False, True]) == [(1, 3), (4, 5)]
    assert runs([]) == []


def test_publishing_a_story_over_the_threshold_is_refused_and_changes_nothing(
    wire, make_article, desk
):
    from articles.models import AuditEntry

    copied = " ".join(WIRE.split()[10:45])
    draft = make_article(
        source=desk, status="draft", published_at=None, body=f"<p>{FILLER} {copied}</p>"
    )
    decision = draft.publish()
    assert not decision.allowed
    assert any("Central bank holds rates" in reason for reason in decision.reasons)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert AuditEntry.objects.filter(article=draft, action="refusal").exists()


def test_a_short_quotation_does_not_stop_publication(wire, make_article, desk):
    quote = " ".join(WIRE.split()[60:72])
    draft = make_article(
        source=desk,
        status="draft",
        published_at=None,
        body=f"<p>{FILLER} {FILLER} The governor said “{quote}”. {FILLER}</p>",
    )
    assert draft.publish().allowed


def test_a_rights_manager_may_override_the_copy_refusal_with_a_reason(wire, make_article, desk):
    from articles.models import AuditEntry

    draft = make_article(source=desk, status="draft", published_at=None, body=f"<p>{WIRE}</p>")
    assert not draft.publish().allowed
    manager = member("Rights manager")
    assert draft.override(by=manager, reason="Agency agreed by phone, ref 42.").allowed
    draft.refresh_from_db()
    assert draft.status == "published"
    entry = AuditEntry.objects.get(article=draft, action="override")
    assert entry.reason == "Agency agreed by phone, ref 42."
    assert any("shares" in r for r in entry.detail["overridden"])


def test_the_article_form_shows_each_shared_passage_beside_its_item_and_notice(
    admin_client, wire, make_article, desk
):
    from django.urls import reverse

    copied = " ".join(WIRE.split()[10:45])
    ours = make_article(source=desk, body=f"<p>{FILLER} {copied}</p>")
    page = admin_client.get(reverse("admin:articles_article_change", args=[ours.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Text shared with protected copy" in html
    assert " ".join(copied.lower().split()[:6]) in html
    assert "Central bank holds rates" in html
    assert "All rights reserved" in html


@settings(max_examples=300, deadline=None)
@given(text_words=st.lists(st.sampled_from(["a", "b", "c", "dd", "éé", "x1"]), max_size=400))
def test_stored_fingerprints_are_the_shingles_at_every_stride(text_words):
    every = shingles(text_words)
    stored = fingerprints(text_words)
    assert stored == [(every[p], p) for p in range(0, len(every), stride(len(every)))]
    assert all(position + SHINGLE <= len(text_words) for _, position in stored)


def test_a_text_shorter_than_a_shingle_stores_nothing_and_one_a_shingle_long_stores_one():
    assert fingerprints(["one", "two", "three", "four"]) == []
    assert [p for _, p in fingerprints(["one", "two", "three", "four", "five"])] == [0]


def test_staff_copy_whose_rewriting_a_rights_manager_withheld_is_indexed_and_found(
    staff_story, make_article, make_source
):
    """Protection is the policy's: our own copy counts once its text rights are not ours."""
    ours = staff_story(WIRE)
    assert stored(ours.pk) == []
    ours.may_rewrite = False
    ours.rights_basis = {**ours.rights_basis, "rewrite": "manual"}
    ours.save()
    assert stored(ours.pk) == expected(ours)
    copy = make_article(source=make_source("Partner Desk"), body=f"<p>{FILLER} {WIRE}</p>")
    report = check(copy)
    assert report.exceeds
    assert {passage.item for passage in report.passages} == {ours}


def test_the_index_leaves_out_exactly_the_items_the_policy_says_are_ours_for_good(
    staff_story, wire, now
):
    plain = staff_story(FILLER)
    expiring = staff_story(FILLER, rights_expire_at=now + datetime.timedelta(days=3))
    unsettled = staff_story(FILLER, rights_settled=False)
    items = [plain, expiring, unsettled, wire]
    for item in items:
        assert (stored(item.pk) == []) == text_reusable_for_good(item), item
    twin = set(Article.objects.filter(text_reusable_for_good_q()))
    assert twin == {item for item in items if text_reusable_for_good(item)} == {plain}
