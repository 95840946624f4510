"""The detector's rules beside its mechanics: what the index guarantees to find, which copy is
protected, and the thresholds a deployment may set."""

from __future__ import annotations

import datetime
import random

import pytest
from django.core.checks import run_checks
from django.test import override_settings
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.rights import text_protected
from copycheck.check import check
from copycheck.shingles import (
    MIN_STORED,
    SHINGLE,
    STRIDE,
    fingerprints,
    shingles,
    stride,
    words,
)
from tests.factories import WIRE

BRIEF = WIRE  # 87 words: a brief


def test_a_short_item_stores_at_least_min_stored_shingles_and_a_long_one_every_stride():
    assert stride(84) == 7 and len(range(0, 84, stride(84))) == MIN_STORED
    assert stride(396) == STRIDE
    assert stride(5) == 1 and stride(1) == 1
    for count in range(1, 3000):
        assert 1 <= stride(count) <= STRIDE
        assert len(range(0, count, stride(count))) >= min(count, MIN_STORED)


def most_altered(n: int) -> int:
    """The most words of an n-word text that may be altered while the guarantee still holds."""
    guaranteed = stride(n - SHINGLE + 1) + SHINGLE - 1
    return max((k for k in range(n) if (n - k) // (k + 1) >= guaranteed), default=0)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(30, 600), seed=st.integers(0, 10**6), data=st.data())
def test_a_copy_with_a_few_words_altered_anywhere_shares_a_fingerprint(n, seed, data):
    # k altered words leave k + 1 unaltered runs of n - k words in all, so the longest holds
    # (n - k) // (k + 1) words at the item's own positions: enough, up to most_altered(n).
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(400)]
    theirs = [rng.choice(vocabulary) for _ in range(n)]
    k = data.draw(st.integers(0, most_altered(n)), label="altered words")
    altered = list(theirs)
    for position in rng.sample(range(n), k):
        altered[position] = "changed"
    stored = {value for value, _ in fingerprints(theirs)}
    assert stored & set(shingles(altered))


def test_the_guarantee_reaches_briefs_and_long_items():
    assert most_altered(84) == 6
    assert most_altered(400) == 14


def test_a_brief_with_the_most_words_altered_evenly_is_found_and_refused(
    make_article, make_source, desk
):
    item = make_article(
        source=make_source("Meridian Press Agency"), headline="", body=BRIEF, may_rewrite=False
    )
    altered = BRIEF.split()
    n, k = len(altered), most_altered(len(altered))
    assert n == len(words(BRIEF)) == 87 and k == 7
    # Evenly spaced changes leave the shortest longest run: 80 words in 8 runs of 10.
    run = (n - k) // (k + 1)
    for j in range(k):
        altered[(j + 1) * (run + 1) - 1] = "reportedly"
    report = check(make_article(source=desk, headline="", body=" ".join(altered)))
    assert {p.item for p in report.passages} == {item}
    assert report.longest_run == run
    assert report.share >= 0.15 and report.exceeds


@pytest.mark.parametrize("lapse", ["expired", "suspended"])
def test_copy_whose_rights_lapsed_is_protected_though_it_once_granted_everything(
    lapse, make_article, make_source, desk
):
    agency = make_source("Lapsed Wire")
    item = make_article(source=agency, body=BRIEF)  # settled, every right granted
    assert not text_protected(item)
    assert check(make_article(source=desk, body=BRIEF)).passages == ()
    if lapse == "expired":
        item.rights_expire_at = timezone.now() - datetime.timedelta(minutes=1)
        item.save()
    else:
        agency.suspended = True
        agency.save()
        item.refresh_from_db()
    assert text_protected(item)
    report = check(make_article(source=desk, body=BRIEF))
    assert {p.item for p in report.passages} == {item}
    assert report.exceeds


def test_copy_whose_rights_expire_later_is_not_protected_yet(make_article, make_source, desk):
    make_article(
        source=make_source("Open Wire"),
        body=BRIEF,
        rights_expire_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert check(make_article(source=desk, body=BRIEF)).passages == ()


def errors() -> dict[str, str]:
    return {m.id: m.msg for m in run_checks() if m.id and m.id.startswith("copycheck.")}


def test_the_default_thresholds_pass_the_system_checks():
    assert errors() == {}


@pytest.mark.parametrize("run", [24, 0, "25"])
def test_a_run_threshold_below_the_guarantee_is_a_system_check_error(run):
    with override_settings(COPYCHECK_RUN_WORDS=run):
        found = errors()
    assert set(found) == {"copycheck.E001"}
    assert f"COPYCHECK_RUN_WORDS is {run!r}" in found["copycheck.E001"]


def test_a_longer_run_threshold_is_allowed():
    with override_settings(COPYCHECK_RUN_WORDS=40):
        assert errors() == {}


@pytest.mark.parametrize("share", [0, -0.1, 1.5, "0.15"])
def test_a_share_outside_zero_to_one_is_a_system_check_error(share):
    with override_settings(COPYCHECK_SHARE=share):
        found = errors()
    assert set(found) == {"copycheck.E002"}
    assert f"COPYCHECK_SHARE is {share!r}" in found["copycheck.E002"]
