"""The mix: the sources with their licences, the deck of 200 cases, the sections, bylines and
the reasons a desk gives; and when each item came in."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from bench.archive.words import RECENT, TEN_YEARS

STAFF = "the-newsroom"


@dataclass(frozen=True)
class SourceSpec:
    """A source, how its copy states its rights, and the licence we hold with it (if any)."""

    slug: str
    name: str
    kind: str
    notice: str = ""  # "{year}" is the copy's year
    credit_line: str = ""
    suspended: bool = False
    people: int = 0  # bylined people affiliated to it
    licence: dict[str, Any] | None = None  # Licence fields; times as offsets from now, in days


SOURCES = [
    SourceSpec(STAFF, "The Newsroom", "staff", people=1_800),
    SourceSpec(
        "meridian-press-agency",
        "Meridian Press Agency",
        "agency",
        "© {year} Meridian Press Agency. All rights reserved.",
        "Meridian",
        people=400,
        licence={
            "reference": "MPA-2016-014",
            "grants": ("publish", "broadcast", "redistribute"),
            "valid_from": -4000,
        },
    ),
    SourceSpec(
        "northern-wire-service",
        "Northern Wire Service",
        "agency",
        "Copyright {year} Northern Wire Service. All rights reserved.",
        "NWS",
        people=250,
        licence={
            "reference": "NWS/UKI/2018",
            "grants": ("publish", "broadcast", "rewrite", "redistribute"),
            "valid_from": -3000,
            "territories": "GB, IE",
        },
    ),
    SourceSpec(
        "pacific-news-agency",
        "Pacific News Agency",
        "agency",
        "Copyright {year} Pacific News Agency. All rights reserved.",
        "PNA",
        people=150,
        licence={
            "reference": "PNA-2016",
            "grants": ("publish", "broadcast", "rewrite", "redistribute"),
            "valid_from": -3700,
            "valid_until": 21,
        },
    ),
    SourceSpec(
        "continental-press",
        "Continental Press",
        "agency",
        "© {year} Continental Press. All rights reserved.",
        people=120,
        licence={
            "reference": "CP-2017 (lapsed)",
            "grants": ("publish", "redistribute"),
            "valid_from": -3400,
            "valid_until": -700,
        },
    ),
    SourceSpec(
        "atlas-newswire",
        "Atlas Newswire",
        "agency",
        "Copyright {year} Atlas Newswire. All rights reserved.",
        suspended=True,
        people=80,
        licence={
            "reference": "ATL-2019",
            "grants": ("publish", "broadcast", "redistribute"),
            "valid_from": -2500,
        },
    ),
    SourceSpec(
        "harbour-news-service",
        "Harbour News Service",
        "agency",
        "Copyright {year} Harbour News Service. All rights reserved.",
        people=60,
        licence={
            "reference": "HNS-2027",
            "grants": ("publish", "redistribute"),
            "valid_from": 10,
        },
    ),
    SourceSpec(
        "city-radio-partnership",
        "City Radio Partnership",
        "partner",
        "© {year} City Radio Partnership. This work is licensed under a Creative Commons "
        "Attribution 4.0 International License.",
        people=100,
    ),
    SourceSpec(
        "freelance-contributors",
        "Freelance contributors",
        "freelance",
        "© {year} Freelance contributors. This work is licensed under a Creative Commons "
        "Attribution-NonCommercial 4.0 International License.",
        people=40,
    ),
]


@dataclass(frozen=True)
class Case:
    """One kind of item: its source, what its copy adds to the source's notice, and its state.

    `when`: "archive" (any time in the ten years), "recent" (the last fortnight), "lapsed" (since
    the source's licence lapsed). `expires`: "soon" or "past", a window end in the copy;
    `opens`: the copy's window opens in the future. `territories`: the copy's rights metadata
    limits it there. `embargo`: embargoed until a time to come.
    """

    name: str
    count: int  # cards in the deck of 200
    source: str
    status: str = "published"
    when: str = "archive"
    extra_notice: str = ""
    expires: str = ""
    opens: bool = False
    territories: frozenset[str] = frozenset()
    embargo: bool = False


CASES = [
    Case("staff", 88, STAFF),
    Case("staff draft", 4, STAFF, "draft", "recent"),
    Case("staff in review", 3, STAFF, "review", "recent"),
    Case("staff withdrawn", 2, STAFF, "withdrawn"),
    Case("staff killed", 1, STAFF, "killed"),
    Case("staff scheduled", 1, STAFF, "scheduled", "recent"),
    Case("staff embargoed", 1, STAFF, "published", "recent", embargo=True),
    Case("agency under licence", 28, "meridian-press-agency"),
    Case(
        "agency, excluded territory",
        2,
        "meridian-press-agency",
        extra_notice="Not for use in the UK.",
    ),
    Case("agency, rights expiring soon", 2, "meridian-press-agency", expires="soon"),
    Case("agency, rights expired", 2, "meridian-press-agency", expires="past"),
    Case("agency embargoed", 1, "meridian-press-agency", when="recent", embargo=True),
    Case(
        "agency, window not yet open",
        1,
        "meridian-press-agency",
        "scheduled",
        "recent",
        opens=True,
    ),
    Case("agency killed", 1, "meridian-press-agency", "killed"),
    Case(
        "agency, no archive",
        1,
        "meridian-press-agency",
        extra_notice="No archival use.",
    ),
    Case("agency, licensed territories", 16, "northern-wire-service"),
    Case(
        "agency, territories not licensed",
        2,
        "northern-wire-service",
        "review",
        "recent",
        territories=frozenset({"US"}),
    ),
    Case("agency, licence ending", 10, "pacific-news-agency"),
    Case("agency blocked by rights", 8, "continental-press", "draft", "lapsed"),
    Case("agency of a suspended source", 6, "atlas-newswire"),
    Case("agency, licence not yet in force", 2, "harbour-news-service", when="recent"),
    Case("partner, Creative Commons", 12, "city-radio-partnership"),
    Case("partner withdrawn", 1, "city-radio-partnership", "withdrawn"),
    Case("freelance, non-commercial", 3, "freelance-contributors", "review", "recent"),
    Case("freelance draft", 2, "freelance-contributors", "draft", "recent"),
]
DECK = 200
assert sum(case.count for case in CASES) == DECK, "the deck must hold 200 cards"

# Sections and their weights, in the order of the front page.
SECTIONS = [
    (" ".join(name.split()), int(weight))
    for name, weight in (
        pair.split(":")
        for pair in """
        News:30, UK:14, World:14, Politics:10, Business:10, Sport:16, Football:10, Opinion:6,
        Economy:4, Markets:3, Technology:5, Science:4, Health:5, Education:4, Environment:4,
        Climate:2, Crime:4, Local:8, Culture:5, Film:3, Music:3, Books:2, Theatre:2, Art and
        design:1, Cricket:3, Rugby:3, Tennis:2, Motor sport:1, Travel:2, Food:2, Property:1,
        Motoring:1, Media:1, Letters:1, Obituaries:2, Weather:1
        """.split(",")  # noqa: SIM905
    )
]
UNSECTIONED = 0.08  # share of wire copy that names no section

BYLINES = [(1, 60), (2, 25), (3, 10), (4, 5)]  # bylines per item, and their weights
ROLES = ["reporting", "additional_reporting", "editing", "photography"]
WITHDRAW_REASONS = [
    "Withdrawn at the subject's request pending a correction.",
    "Withdrawn: the figures in the third paragraph were wrong.",
    "Withdrawn after a complaint; under review by the standards editor.",
]
KILL_REASONS = [
    "Legal: an injunction bars publication.",
    "Killed on legal advice: it names a protected witness.",
    "The wire cancelled the item (pubStatus canceled).",
]
DESK = [("editor", "Editor", 6), ("reporter", "Reporter", 12), ("rights", "Rights manager", 2)]


def deck(rng: random.Random, n: int) -> list[Case]:
    """The case of each of `n` items: the 200-card deck dealt whole, reshuffled each time."""
    cards = [case for case in CASES for _ in range(case.count)]
    dealt: list[Case] = []
    while len(dealt) < n:
        rng.shuffle(cards)
        dealt.extend(cards)
    return dealt[:n]


def moment(rng: random.Random, case: Case, now: datetime.datetime) -> datetime.datetime:
    """When the item came in: anywhere in ten years, in the last fortnight, or since a lapse."""
    if case.when == "recent":
        span = RECENT
    elif case.when == "lapsed":
        span = datetime.timedelta(days=650)
    else:
        span = TEN_YEARS
    # Growth: more stories in later years (the square root skews towards now).
    return now - span * (1 - rng.random() ** 0.5) - datetime.timedelta(minutes=5)
