"""The copied-text detector: normalising, winnowing's guarantee, and near copies found."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Source
from copycheck.check import check, runs
from copycheck.models import Fingerprint
from copycheck.shingles import GUARANTEED_RUN, shingles, winnow, words

WIRE = (
    "The central bank held interest rates steady on Thursday and signalled that it would wait "
    "for clearer evidence that inflation was falling before cutting borrowing costs next year. "
    "Policymakers voted seven to two to keep the main rate at four and a half per cent, with the "
    "two dissenters preferring an immediate cut of a quarter point. The governor told reporters "
    "that the labour market remained tight and that wage growth was still running well above "
    "the level consistent with the inflation target over the medium term."
)
FILLER = (
    "Our reporter spent the week talking to shop owners across the county about how they are "
    "coping with higher costs and fewer customers than before the pandemic. Many said they had "
    "cut opening hours and were relying on family members to staff the counter at weekends."
)


@pytest.fixture
def protected(make_article, make_source):
    agency = make_source("Meridian Press Agency")
    return make_article(
        source=agency,
        headline="Central bank holds rates",
        body=f"<p>{WIRE}</p>",
        may_rewrite=False,
        may_publish=False,
        copyright_notice="Copyright 2026 Meridian Press Agency. All rights reserved.",
    )


@pytest.fixture
def staff(make_source):
    return make_source("The Newsroom", kind=Source.Kind.STAFF)


def story(make_article, staff, text: str):
    return make_article(
        source=staff, headline="Local shops feel the squeeze", body=f"<p>{text}</p>"
    )


def test_words_ignore_case_punctuation_and_markup():
    assert words("<p>The BANK’s rate—held!</p> <em>Steady</em>") == [
        "the",
        "bank",
        "s",
        "rate",
        "held",
        "steady",
    ]


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
    stored = {value for value, _ in winnow(shingles(theirs))}
    assert stored & set(shingles(ours))


def test_non_staff_copy_is_indexed_and_staff_copy_is_not(protected, make_article, staff):
    assert Fingerprint.objects.filter(article=protected).exists()
    ours = story(make_article, staff, FILLER)
    assert not Fingerprint.objects.filter(article=ours).exists()


def test_saving_again_reindexes_without_duplicates(protected):
    before = Fingerprint.objects.filter(article=protected).count()
    protected.save()
    assert Fingerprint.objects.filter(article=protected).count() == before


def test_a_long_copied_run_exceeds_the_threshold_and_names_the_item(protected, make_article, staff):
    copied = " ".join(WIRE.split()[10:45])
    report = check(story(make_article, staff, f"{FILLER} {copied}"))
    assert report.exceeds
    assert report.longest_run >= 35
    assert report.passages[0].item == protected
    (reason,) = report.reasons
    assert "Meridian Press Agency" in reason and "All rights reserved" in reason


def test_changed_case_and_punctuation_still_match(protected, make_article, staff):
    copied = " ".join(WIRE.split()[:40]).upper().replace(",", ";").replace(".", "!")
    assert check(story(make_article, staff, copied)).exceeds


def test_reordered_and_split_paragraphs_still_match(protected, make_article, staff):
    sentences = WIRE.split(". ")
    text = "</p><p>".join([sentences[2], FILLER, sentences[0], sentences[1]])
    report = check(story(make_article, staff, text))
    assert report.exceeds
    assert len({(p.start, p.end) for p in report.passages}) == 2


def test_a_few_altered_words_still_pass_the_share_threshold(protected, make_article, staff):
    altered = WIRE.split()
    for i in range(0, len(altered), 9):
        altered[i] = "indeed"
    report = check(story(make_article, staff, " ".join(altered)))
    assert report.longest_run < 25
    assert report.share >= 0.15
    assert report.exceeds


def test_a_short_quotation_passes_but_is_shown(protected, make_article, staff):
    quote = " ".join(WIRE.split()[60:72])
    text = f"{FILLER} {FILLER} The governor said “{quote}”. {FILLER}"
    report = check(story(make_article, staff, text))
    assert not report.exceeds
    assert report.reasons == []
    assert report.passages
    assert report.longest_run == 12


def test_text_we_may_rewrite_and_publish_is_not_protected(make_article, make_source, staff):
    make_article(source=make_source("Open Wire"), body=f"<p>{WIRE}</p>")
    assert not check(story(make_article, staff, WIRE)).passages


def test_an_item_is_not_compared_with_copy_from_its_own_source(protected, make_article):
    again = make_article(source=protected.source, body=f"<p>{WIRE}</p>", may_rewrite=False)
    assert not check(again).passages


def test_checking_costs_two_queries_whatever_the_index_holds(
    protected, make_article, staff, django_assert_num_queries
):
    ours = story(make_article, staff, WIRE)
    with django_assert_num_queries(2):
        check(ours)


def test_runs_finds_each_stretch():
    assert runs([False, True, True, False, True]) == [(1, 3), (4, 5)]
    assert runs([]) == []


def rights_manager():
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("rights-manager", is_staff=True)
    user.groups.add(Group.objects.get(name="Rights manager"))
    return User.objects.get(pk=user.pk)


def test_publishing_a_story_over_the_threshold_is_refused_and_changes_nothing(
    protected, make_article, staff
):
    from articles.models import AuditEntry

    copied = " ".join(WIRE.split()[10:45])
    draft = make_article(
        source=staff, status="draft", published_at=None, body=f"<p>{FILLER} {copied}</p>"
    )
    decision = draft.publish()
    assert not decision.allowed
    assert any("Central bank holds rates" in reason for reason in decision.reasons)
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert AuditEntry.objects.filter(article=draft, action="refusal").exists()


def test_a_short_quotation_does_not_stop_publication(protected, make_article, staff):
    quote = " ".join(WIRE.split()[60:72])
    draft = make_article(
        source=staff,
        status="draft",
        published_at=None,
        body=f"<p>{FILLER} {FILLER} The governor said “{quote}”. {FILLER}</p>",
    )
    assert draft.publish().allowed


def test_a_rights_manager_may_override_the_copy_refusal_with_a_reason(
    protected, make_article, staff
):
    from articles.models import AuditEntry

    draft = make_article(source=staff, status="draft", published_at=None, body=f"<p>{WIRE}</p>")
    assert not draft.publish().allowed
    assert draft.override(by=rights_manager(), reason="Agency agreed by phone, ref 42.").allowed
    draft.refresh_from_db()
    assert draft.status == "published"
    entry = AuditEntry.objects.get(article=draft, action="override")
    assert entry.reason == "Agency agreed by phone, ref 42."
    assert any("shares" in r for r in entry.detail["overridden"])


def test_the_article_form_shows_each_shared_passage_beside_its_item_and_notice(
    admin_client, protected, make_article, staff
):
    from django.urls import reverse

    copied = " ".join(WIRE.split()[10:45])
    ours = make_article(source=staff, body=f"<p>{FILLER} {copied}</p>")
    page = admin_client.get(reverse("admin:articles_article_change", args=[ours.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Text shared with protected copy" in html
    assert " ".join(copied.lower().split()[:6]) in html
    assert "Central bank holds rates" in html
    assert "All rights reserved" in html


def reference_winnow(hashes, window):
    """The definition, slowly: the minimum of every window, rightmost on ties, each once."""
    if len(hashes) <= window:
        low = min(range(len(hashes)), key=lambda i: (hashes[i], -i)) if hashes else None
        return [] if low is None else [(hashes[low], low)]
    kept = []
    for start in range(len(hashes) - window + 1):
        low = min(range(start, start + window), key=lambda i: (hashes[i], -i))
        if not kept or kept[-1][1] != low:
            kept.append((hashes[low], low))
    return kept


@settings(max_examples=300, deadline=None)
@given(
    hashes=st.lists(st.integers(0, 50), max_size=120),
    window=st.integers(1, 30),
)
def test_winnowing_keeps_exactly_the_minimum_of_every_window(hashes, window):
    assert winnow(hashes, window=window) == reference_winnow(hashes, window)
