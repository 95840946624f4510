"""Archive generator: a migrated database filled with ten years of a newsroom's stories.

    .venv/bin/python bench/generate.py --articles 1000000
        --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench [--seed 2026]
        [--batch 5000] [--trail-share 0.1] [--fingerprints] [--toast-compression lz4|pglz]

It migrates the database the URL names (PostgreSQL or an SQLite file), which must hold no
articles yet, then writes N articles with their bylines, people, sections, sources and
licences, and history and audit rows for a share of them: COPY on PostgreSQL (psycopg 3's
`cursor.copy()`, from a thread of its own while the next batch is made), batched `executemany`
on SQLite, one transaction per batch, with a progress bar on stderr. At the end it resets the
sequences, runs ANALYZE on PostgreSQL, and prints the counts, the time taken and the rows per
second.

`--fingerprints` also writes the copy detector's index (appended to its recent table, merged
once at the end, as an ingest run does). It is off by default: it is some 19 rows per wire item,
no public page reads it, and on a million items its sorted merge alone takes longer than the
rest; `manage.py reindex_copy` builds it from the stored text. On PostgreSQL the session
compresses long values with lz4 (`--toast-compression`; the server's default is pglz), which
halves the time the server spends on each body; the values read back are the same.

The rows are those the application stores: every rights field comes from the project's own
`derive_rights()` for the item's source, the terms its copy states (`CopyTerms`, stored as
`copy_terms`) and the licence the source's items rely on now; notices are read by
`parse_notice()`; wire copy keeps its original and `content_hash()`; bodies are the sanitiser's
fixed point; the fingerprints are `copycheck.shingles`'. Writing rows straight to the tables,
rather than through `save()`, is what makes a million articles take minutes instead of hours.

The mix is a deck of 200 cases (`CASES`): staff copy (all rights ours), agency copy under a
licence, copy blocked by rights (no licence in force), a suspended source, a licence that ends in
three weeks and one not yet in force, Creative Commons copy (one licence settled, one needing a
rights manager), territories and excluded territories, rights expiring soon and expired,
embargoes, scheduled items, drafts, items in review, withdrawn and killed ones. Each run of 200
items deals the deck once, shuffled by the seeded RNG, so any archive of 200 items or more holds
every case in its proportion. Bodies are 300 to 1,500 words of sentences drawn from a pool built
from a Zipf-weighted vocabulary; the lead of each body carries three words chosen by the item's
serial number, so no two bodies are alike.
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import json
import os
import queue
import random
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The project first: run as `python bench/generate.py`, this folder (whose copycheck.py is a
# bench) would otherwise stand before the project's packages.
sys.path.insert(0, str(ROOT))

# --- words -----------------------------------------------------------------------------------

# Words a local and national paper writes with, most common first within each list: the Zipf
# weights follow the order, so "council" is common and "obelisk" is rare.
NOUNS = """
council government police people year week day minister city town school hospital court report
plan money price market company business workers family children water road rail station home
house street service health officials residents group police team club season match league
election vote party campaign leader mayor budget tax rate bank economy inflation job wage rent
energy power gas fuel storm flood weather river harbour port ferry bridge airport flight train
bus car driver museum library festival theatre film music book artist gallery concert stage
player coach goal final cup title game win defeat fans ground stadium race record result
scientist study research university student teacher exam lesson patient nurse doctor ward
clinic treatment drug vaccine virus disease care home farm farmer crop harvest land field
forest park garden beach coast island village county region border country nation state capital
office building project scheme site development housing estate property owner tenant landlord
factory plant production output export import trade deal contract agreement talks summit
meeting hearing inquiry investigation trial judge jury lawyer case charge sentence prison
prisoner officer crime theft fire blaze crash accident injury victim witness statement
spokesman spokeswoman chief executive director chairman board member committee union strike
protest march rally crowd demand claim figure number share profit loss cost fund grant charity
volunteer community church mosque temple festival parade anniversary ceremony award prize
winner medal champion history heritage monument castle tower cathedral obelisk archive
collection exhibition visitor tourist hotel restaurant shop pub cafe menu chef food dinner
technology software app phone network internet data website platform online service system
battery engine vehicle fleet transport traffic journey route timetable delay closure repair
work scheme pilot trial review survey poll analysis forecast warning alert notice letter email
message decision ruling appeal petition law bill act rule policy reform change increase cut
rise fall drop growth surge slump recovery crisis shortage supply demand queue waiting list
""".split()  # noqa: SIM905
VERBS = """
said told announced confirmed warned agreed opened closed approved rejected promised expected
called urged claimed denied revealed reported launched unveiled started finished won lost beat
signed backed blocked delayed cancelled postponed raised lowered cut increased reduced doubled
faced suffered welcomed praised criticised questioned challenged defended admitted insisted
added explained described suggested estimated predicted described hoped feared planned decided
voted elected appointed resigned retired joined left returned arrived visited met discussed
reviewed examined tested found showed proved recorded scored played hosted staged attracted
built repaired replaced restored moved sold bought paid spent saved invested borrowed
""".split()  # noqa: SIM905
ADJECTIVES = """
new local national public private major final first last second next former senior junior early
late recent annual monthly weekly daily local regional rural urban coastal northern southern
eastern western central big small large little long short high low young old strong weak key
main top leading rising falling growing record historic busy quiet heavy light dry wet cold
warm hot bright dark open closed free full empty fresh rare common serious minor independent
official unofficial special general political economic social cultural medical legal financial
military environmental digital popular famous controversial successful
""".split()  # noqa: SIM905
FUNCTION = """
the of to and a in for on that with at by from as is was were be has have had it its this will
would could after before over under about against between during into while than more most also
but not who which their there been
""".split()  # noqa: SIM905
FIRST_NAMES = """
Amelia Olivia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Florence Willow Evie
Harper Poppy Ella Emily Sienna Ruby Alice Daisy Phoebe Matilda Elsie Esme Sofia Eva Hannah
Oliver George Noah Arthur Leo Muhammad Harry Oscar Archie Henry Theodore Freddie Jack Charlie
Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Ethan Adam James
Samuel Daniel Joseph Benjamin Rory Max Hugo Elijah Sebastian Louis Ezra Toby Reuben Jude
Ibrahim Priya Anika Aisha Fatima Zara Leila Yasmin Chen Wei Mei Hiroshi Yuki Kenji Amara Kofi
Ama Chidi Nia Tariq Omar Sana Rahul Arjun Deepa Marta Lucia Pablo Diego Elena Marco Giulia
Pierre Claire Lars Ingrid Anders Katarzyna Piotr Tomasz Aleksandra Niamh Siobhan Ciaran Aoife
Declan Fiona
""".split()  # noqa: SIM905
SURNAMES = """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker
White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason Mitchell
Rose Davis Rodriguez Cox Alexander Morgan Moore Mills King Clark Hughes Edwards Hill Harris
Martin Scott Turner Cooper Ward Morris Baker Harrison Young Allen Anderson Bell Carter Chapman
Cook Dixon Ellis Fisher Foster Gibson Graham Grant Gray Hamilton Hart Hayes Henderson Holmes
Hunt Kelly Kennedy Knight Lee Marshall Murphy Murray Owen Palmer Parker Pearson Porter Powell
Price Reid Reynolds Richards Russell Ryan Shaw Simpson Spencer Stevens Stewart Sullivan Walsh
Watson Webb Wells West Wheeler Wilkinson Woods Ahmed Ali Hussain Begum Singh Kaur Sharma Gupta
Nguyen Tanaka Suzuki Wang Zhang Liu Okafor Mensah Diallo Kowalski Novak Rossi Bianchi Garcia
Lopez Martinez Dubois Moreau Jensen Larsen Nielsen Byrne Doyle Gallagher Quinn Fitzgerald
""".split()  # noqa: SIM905
# Place names: one of these and one ending ("Ash" + "bury"), never the same pair twice.
PLACE_STARTS = """
Ash Bar Black Brad Bridge Brook Burn Cam Castle Chester Clay Cold Corn Crow Dun East Elm Fair
Fern Glen Green Hal Hart Hay High Holt Kings Lang Lin Long Mill Moor New North Oak Red Rock
Salt Sand Shep South Stan Stone Sut Thorn Wal Wat West Whit Wick Wil Wind Wood
""".split()  # noqa: SIM905
PLACE_ENDS = """
bury field ford ham ley ton wick worth mouth bridge dale moor stead well by thorpe combe port
minster chester holm gate haven hurst mere side
""".split()  # noqa: SIM905
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

SENTENCE_POOL = 40_000  # sentences the bodies are drawn from
HEADLINE_POOL = 5_000  # subjects, and verbs with their objects, that headlines join
WORDS_MIN, WORDS_MAX = 300, 1_500  # a body's words, counted as `body_words()` counts them
LONGEST_SENTENCE = 22
SLUG_MAX = 80
TEN_YEARS = datetime.timedelta(days=3653)
RECENT = datetime.timedelta(days=14)  # drafts, reviews, embargoes and schedules are this fresh
NO_MATCH = "xylophonequartz"  # a word no generated text contains, for searches that find nothing


def zipf(words: Sequence[str]) -> tuple[list[str], list[float]]:
    """The words and their cumulative Zipf weights (1/rank), for `random.choices`."""
    cum, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1.0 / rank
        cum.append(total)
    return list(words), cum


def body_words(html: str) -> int:
    """A body's words: its whitespace-separated tokens once its markup is gone."""
    import re

    return len(re.sub(r"<[^>]+>", " ", html).split())


# --- the mix -----------------------------------------------------------------------------------

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


# --- generation --------------------------------------------------------------------------------


class Judged(SimpleNamespace):
    """An item as the policy reads it (`rights.Article`): attributes, and `grants()`."""

    def grants(self, right) -> bool:
        return getattr(self, right.field)


@dataclass
class Counts:
    """What a run wrote, table by table, and the cases and statuses it dealt."""

    tables: Counter = field(default_factory=Counter)
    cases: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)


class Text:
    """Headlines, standfirsts and bodies from a seeded sentence pool and each item's serial."""

    def __init__(self, rng: random.Random, *, pool: int = SENTENCE_POOL):
        self.rng = rng
        self.nouns, self.noun_cum = zipf(NOUNS)
        self.verbs, self.verb_cum = zipf(VERBS)
        self.adjectives, self.adjective_cum = zipf(ADJECTIVES)
        self.places = [a + b for a in PLACE_STARTS for b in PLACE_ENDS]
        rng.shuffle(self.places)
        self.pool = [self.sentence() for _ in range(pool)]
        self.pool_words = [len(s.split()) for s in self.pool]
        self.indices = range(pool)
        self.subjects = [
            " ".join(w for w in self.clause() if w != "the") for _ in range(HEADLINE_POOL)
        ]
        self.predicates = [
            " ".join(
                self.pick(self.verbs, self.verb_cum) + [w for w in self.clause() if w != "the"]
            )
            for _ in range(HEADLINE_POOL)
        ]
        self.groups = [rng.randint(1, 4) for _ in range(10_007)]  # sentences per paragraph

    def pick(self, words: list[str], cum: list[float], k: int = 1) -> list[str]:
        return self.rng.choices(words, cum_weights=cum, k=k)

    def clause(self) -> list[str]:
        rng = self.rng
        words = ["the"] if rng.random() < 0.6 else []
        if rng.random() < 0.5:
            words += self.pick(self.adjectives, self.adjective_cum)
        words += self.pick(self.nouns, self.noun_cum, rng.randint(1, 2))
        return words

    def sentence(self) -> str:
        """One sentence of 6 to LONGEST_SENTENCE words: subject, verb, object, and a tail."""
        rng = self.rng
        words = self.clause() + self.pick(self.verbs, self.verb_cum) + self.clause()
        while len(words) < rng.randint(6, LONGEST_SENTENCE - 4):
            words += [rng.choice(FUNCTION)] + self.clause()
        if rng.random() < 0.15:
            words += ["in", rng.choice(self.places)]
        if rng.random() < 0.1:
            words += ["by", f"{rng.randint(2, 95)}", "per", "cent"]
        words = words[:LONGEST_SENTENCE]
        return " ".join(words).capitalize() + "."

    def code_words(self, serial: int) -> str:
        """Three words that only this serial's lead holds: an adjective and two nouns."""
        a, n = len(self.adjectives), len(self.nouns)
        return " ".join(
            [
                self.adjectives[serial % a].capitalize(),
                self.nouns[(serial // a) % n],
                self.nouns[(serial // (a * n)) % n],
            ]
        )

    def headline(self) -> str:
        rng = self.rng
        subject = self.subjects[int(rng.random() * HEADLINE_POOL)]
        predicate = self.predicates[int(rng.random() * HEADLINE_POOL)]
        where = f" in {rng.choice(self.places)}" if rng.random() < 0.3 else ""
        return f"{subject} {predicate}{where}".capitalize()

    def body(self, serial: int, *, lead: str) -> str:
        """Paragraphs of one to four sentences, WORDS_MIN to WORDS_MAX words in all.

        `lead` opens the first paragraph (a dateline, "LONDON, May 3 (Meridian) -"); the
        serial's code words follow it, so the body is this item's alone. Sentences are drawn
        all at once and cut where the words reach the target: a million bodies take minutes.
        """
        rng = self.rng
        target = int(rng.triangular(WORDS_MIN, WORDS_MAX - LONGEST_SENTENCE, 500))
        first = f"{lead} {self.code_words(serial)}"
        have = len(first.split())
        picked: list[int] = []
        while have < target:
            more = rng.choices(self.indices, k=(target - have) // 10 + 4)
            counts = list(itertools.accumulate(self.pool_words[i] for i in more))
            cut = bisect.bisect_left(counts, target - have)
            if cut < len(more):
                picked += more[: cut + 1]
                break
            picked += more
            have += counts[-1]
        sentences = [self.pool[i] for i in picked]
        sentences[0] = f"{first} {sentences[0]}"
        paragraphs, at = [], 0
        group = rng.randrange(len(self.groups))
        while at < len(sentences):
            size = self.groups[group % len(self.groups)]
            paragraphs.append(" ".join(sentences[at : at + size]))
            at += size
            group += 1
        return "<p>" + "</p><p>".join(paragraphs) + "</p>"


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


class Generator:
    """Writes the archive: reference rows through the ORM, then articles batch by batch."""

    def __init__(self, *, articles: int, seed: int, batch: int, trail_share: float, prints: bool):
        from django.db import connection
        from django.utils import timezone

        self.n = articles
        self.seed = seed
        self.batch = batch
        self.trail_share = trail_share
        self.prints = prints
        self.connection = connection
        self.now = timezone.now().replace(microsecond=0)
        self.rng = random.Random(seed)
        self.counts = Counts()
        self._derived: dict[tuple, tuple] = {}
        self._notices: dict[str, Any] = {}
        self._slugs: set[str] = set()

    # --- reference rows ----------------------------------------------------------------------

    def reference(self) -> None:
        """Users, sections, sources with their licences, and people, through the ORM."""
        from django.contrib.auth.models import Group, User
        from django.utils.text import slugify

        from articles.models import Licence, Person, Section, Source

        rng = self.rng
        self.users: dict[str, list[int]] = {}
        for prefix, group_name, count in DESK:
            group = Group.objects.get(name=group_name)
            ids = []
            for n in range(1, count + 1):
                user = User.objects.create_user(
                    f"bench-{prefix}-{n}", email=f"{prefix}{n}@newsroom.example", is_staff=True
                )
                user.groups.add(group)
                ids.append(user.pk)
            self.users[prefix] = ids
        self.counts.tables["auth_user"] += sum(len(v) for v in self.users.values())

        sections = Section.objects.bulk_create(
            Section(name=name, slug=slugify(name), position=10 * (n + 1))
            for n, (name, _) in enumerate(SECTIONS)
        )
        self.sections = [s.pk for s in sections]
        self.section_cum = list(_cumulate(weight for _, weight in SECTIONS))
        self.counts.tables["articles_section"] += len(sections)

        self.sources: dict[str, Source] = {}
        self.licences: dict[str, Licence | None] = {}
        for spec in SOURCES:
            source = Source.objects.create(
                name=spec.name,
                slug=spec.slug,
                kind=spec.kind,
                credit_line=spec.credit_line,
                suspended=spec.suspended,
            )
            self.sources[spec.slug] = source
            if spec.licence:
                terms = spec.licence
                Licence.objects.create(
                    source=source,
                    reference=terms["reference"],
                    valid_from=self.now + datetime.timedelta(days=terms["valid_from"]),
                    valid_until=(
                        self.now + datetime.timedelta(days=terms["valid_until"])
                        if "valid_until" in terms
                        else None
                    ),
                    territories=terms.get("territories", ""),
                    **{f"grants_{right}": True for right in terms["grants"]},
                )
                self.counts.tables["articles_licence"] += 1
            # The licence the source's items rely on now, as ingest and a licence change ask.
            self.licences[spec.slug] = source.active_licence(at=self.now)
        self.counts.tables["articles_source"] += len(self.sources)
        self.specs = {spec.slug: spec for spec in SOURCES}

        self.people: dict[str, list[int]] = {}
        taken: set[str] = set()
        people = []
        for spec in SOURCES:
            affiliation = None if spec.kind == "staff" else self.sources[spec.slug]
            for _ in range(spec.people):
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
                slug, k = slugify(name), 1
                while slug in taken:
                    k += 1
                    slug = f"{slugify(name)}-{k}"
                taken.add(slug)
                people.append((spec.slug, Person(name=name, slug=slug, affiliation=affiliation)))
        made = Person.objects.bulk_create(person for _, person in people)
        for (source_slug, _), person in zip(people, made, strict=True):
            self.people.setdefault(source_slug, []).append(person.pk)
        self.counts.tables["articles_person"] += len(made)

    # --- rights ------------------------------------------------------------------------------

    def notice(self, text: str):
        from articles.notices import parse_notice

        if text not in self._notices:
            self._notices[text] = parse_notice(text)
        return self._notices[text]

    def rights(
        self,
        source_slug: str,
        notice_text: str,
        *,
        expire_at: datetime.datetime | None,
        start_at: datetime.datetime | None,
        territories: frozenset[str],
    ) -> tuple[dict[str, Any], Any]:
        """The item's rights fields and copy terms, from the project's own derivation.

        Ingest reads the notice (`parse_notice`), stores what the copy said (`CopyTerms`) and
        derives the rights from it, the source and the licence in force (`derive_rights`,
        through `Article.apply_rights`). Copy with no notice (staff copy typed in at the desk)
        keeps empty terms, as `Article.save()` leaves them.
        """
        from articles.models import Article
        from articles.notices import CopyTerms
        from articles.rights import derive_rights

        key = (source_slug, notice_text, expire_at, start_at, territories)
        if key in self._derived:
            return self._derived[key]
        source = self.sources[source_slug]
        notice = self.notice(notice_text) if notice_text else None
        if notice is None:
            terms = CopyTerms(expire_at=expire_at, territories=territories, start_at=start_at)
        else:
            terms = CopyTerms(notice, expire_at, territories, start_at)
        derived = derive_rights(
            source=source, terms=terms, licence=self.licences[source_slug], at=self.now
        )
        holder = Judged()
        Article.apply_rights(holder, derived)
        fields = vars(holder)
        fields["licence_id"] = fields.pop("licence").pk if derived.licence else None
        fields["copy_terms"] = terms.as_json() if notice is not None or terms != CopyTerms() else {}
        if notice is not None:
            fields.update(
                copyright_holder=notice.holder[:200],
                copyright_year=notice.year,
                copyright_notice=notice.text,
                usage_terms=notice.usage_terms or notice.unrecognised,
                no_archive=notice.no_archive,
            )
        else:
            fields.update(
                copyright_holder="",
                copyright_year=None,
                copyright_notice="",
                usage_terms="",
                no_archive=False,
            )
        result = (fields, source)
        if not (expire_at or start_at):
            self._derived[key] = result  # items with a window of their own are one of a kind
        return result

    # --- one item ----------------------------------------------------------------------------

    def slug(self, headline: str) -> str:
        """The headline's slug, at most SLUG_MAX characters, with "-2", "-3"… when taken."""
        from django.utils.text import slugify

        base = slugify(headline)[: SLUG_MAX - 8].strip("-") or "story"
        slug, k = base, 1
        while slug in self._slugs:
            k += 1
            slug = f"{base}-{k}"
        self._slugs.add(slug)
        return slug

    def article(self, serial: int, case: Case, came_in: datetime.datetime, text: Text) -> dict:
        """One article's fields (by attribute name), with its bylines, trail and history."""
        from articles.ingest.loader import content_hash

        rng = self.rng
        now = self.now
        spec = self.specs[case.source]
        staff = spec.kind == "staff"
        published_at: datetime.datetime | None = came_in + datetime.timedelta(
            minutes=rng.randint(5, 90)
        )
        embargo_until = None
        status = case.status
        if status in ("draft", "review"):
            published_at = None
        elif status == "scheduled":
            published_at = now + datetime.timedelta(hours=rng.randint(2, 24 * 6))
        elif case.embargo:
            published_at = min(published_at, now - datetime.timedelta(minutes=1))
            embargo_until = now + datetime.timedelta(hours=rng.randint(1, 48))
        expire_at = start_at = None
        if case.expires == "soon":
            expire_at = now + datetime.timedelta(days=rng.randint(1, 14))
        elif case.expires == "past":
            lasts = datetime.timedelta(days=rng.randint(30, 365))
            expire_at = min(came_in + lasts, now - datetime.timedelta(hours=1))
        if case.opens:
            start_at = now + datetime.timedelta(days=rng.randint(1, 10))
        notice_text = spec.notice.format(year=came_in.year)
        if case.extra_notice:
            notice_text = f"{notice_text} {case.extra_notice}"
        rights, source = self.rights(
            case.source,
            notice_text,
            expire_at=expire_at,
            start_at=start_at,
            territories=case.territories,
        )

        place = rng.choice(text.places)
        stamp = f"{MONTHS[came_in.month - 1]} {came_in.day}"
        credit = spec.credit_line or spec.name
        lead = f"{place.upper()}, {stamp} ({credit}) -" if not staff else f"{place.upper()} -"
        headline = text.headline()
        standfirst = text.pool[rng.randrange(len(text.pool))]
        body = text.body(serial, lead=lead)
        if staff:
            guid = f"urn:newsroom:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        else:
            guid = f"urn:{spec.slug}:{came_in.year}:{serial:08d}"
        section = None
        if staff or rng.random() > UNSECTIONED:
            section = self.sections[
                bisect.bisect(self.section_cum, rng.random() * self.section_cum[-1])
            ]
        keywords = sorted(set(text.pick(text.nouns, text.noun_cum, rng.randint(2, 4))))
        created_at = came_in
        updated_at = published_at if published_at and published_at < now else came_in
        fields = {
            "guid": guid,
            "slug": self.slug(headline),
            "headline": headline,
            "headline_is_working": False,
            "standfirst": standfirst,
            "body": body,
            "dateline": place.upper(),
            "language": "en",
            "editor_note": "",
            "source_id": source.pk,
            "section_id": section,
            "keywords": keywords,
            "status": status,
            "published_at": published_at,
            "embargo_until": embargo_until,
            **rights,
            "wire_format": "",
            "wire_original": "",
            "wire_version": None,
            "wire_hash": "",
            "ingested_version": None,
            "version": 1,
            "created_at": created_at,
            "updated_at": updated_at,
        }
        fields["copy_terms"] = rights["copy_terms"]
        bylines = self.bylines(case.source, place)
        if not staff:
            names = "; ".join(f"person {p}" for p, _, _ in bylines)
            original = "\n\n".join(
                [headline, *_paragraphs(body), f"By {names}", spec.name, notice_text]
            )
            fields.update(
                wire_format="text",
                wire_original=original,
                wire_version=1,
                wire_hash=content_hash(original),
                ingested_version=1,
            )
        return {"fields": fields, "bylines": bylines, "case": case}

    def bylines(self, source_slug: str, place: str) -> list[tuple[int, str, str]]:
        """One to four (person, role, place): the first writes, the others report or edit."""
        rng = self.rng
        people = self.people[source_slug]
        count = rng.choices([n for n, _ in BYLINES], weights=[w for _, w in BYLINES])[0]
        chosen = rng.sample(people, min(count, len(people)))
        return [
            (
                person,
                "writing" if order == 0 else rng.choice(ROLES),
                place.upper() if rng.random() < 0.3 else "",
            )
            for order, person in enumerate(chosen)
        ]

    def trail(self, article_id: int, item: dict) -> tuple[list[dict], list[dict]]:
        """The audit entries and history rows a desk leaves on the item, oldest first."""
        from articles.audit import AuditEntry
        from articles.rights import clearance
        from articles.vocabulary import Right

        rng = self.rng
        fields = item["fields"]
        case: Case = item["case"]
        spec = self.specs[case.source]
        source = self.sources[case.source]
        status = fields["status"]
        came_in = fields["created_at"]
        editor = rng.choice(self.users["editor"])
        writer = rng.choice(self.users["reporter"])
        audit: list[dict] = []
        history: list[dict] = []

        def entry(action: str, at, actor, reason: str = "", detail=None, **links) -> None:
            audit.append(
                {
                    "at": at,
                    "action": action,
                    "reason": reason,
                    "detail": detail or {},
                    "actor_id": actor,
                    "article_id": article_id,
                    "licence_id": links.get("licence_id"),
                    "source_id": source.pk,
                }
            )

        def revision(kind: str, at, user, **changes) -> None:
            history.append({**fields, **changes, "history_date": at, "history_type": kind,
                            "history_user_id": user, "history_change_reason": None})  # fmt: skip

        at = came_in
        if spec.kind != "staff":
            entry(
                AuditEntry.Action.INGEST,
                at,
                None,
                f"Created from {fields['guid'].rsplit(':', 1)[-1]}.txt (text).",
                {"guid": fields["guid"], "wire_version": 1, "rights": fields["rights_basis"]},
            )
            revision("+", at, None, status="draft", published_at=None, version=1)
        else:
            revision("+", at, writer, status="draft", published_at=None, version=1)
        version = 1
        if status == "review" or (spec.kind == "staff" and status != "draft"):
            at += datetime.timedelta(minutes=rng.randint(5, 40))
            version += 1
            entry(AuditEntry.Action.REVIEW, at, writer, "", {"from": "draft", "to": "review"})
            revision("~", at, writer, status="review", published_at=None, version=version)
        if status == "draft" and not fields["may_publish"]:
            judged = Judged(**fields, source=source)
            decision = clearance(judged, Right.PUBLISH, at=at)
            at += datetime.timedelta(minutes=rng.randint(1, 30))
            entry(
                AuditEntry.Action.REFUSAL,
                at,
                editor,
                decision.explanation,
                {"right": "publish", "reasons": list(decision.reasons)},
            )
        if fields["published_at"] is not None:
            published = fields["published_at"]
            version += 1
            moved = "scheduled" if status == "scheduled" else "published"
            entry(
                AuditEntry.Action.PUBLISH,
                min(at + datetime.timedelta(minutes=1), published),
                editor,
                f"Scheduled for {published:%Y-%m-%d %H:%M} UTC." if moved == "scheduled" else
                "Published.",
                {"from": "review" if version > 2 else "draft", "to": moved,
                 "published_at": published.isoformat()},
            )  # fmt: skip
            at = max(at, published)
            revision("~", at, editor, status=moved, version=version)
        if status in ("withdrawn", "killed"):
            at += datetime.timedelta(hours=rng.randint(1, 72))
            version += 1
            reasons = WITHDRAW_REASONS if status == "withdrawn" else KILL_REASONS
            reason = rng.choice(reasons)
            action = AuditEntry.Action.WITHDRAW if status == "withdrawn" else AuditEntry.Action.KILL
            entry(action, at, editor, reason, {"from": "published", "to": status})
            revision("~", at, editor, status=status, version=version)
        fields["version"] = version
        fields["updated_at"] = max(fields["updated_at"], at)
        return audit, history

    # --- the run -------------------------------------------------------------------------------

    def run(self, *, fingerprints: bool = False, toast_compression: str = "") -> Counts:
        """Write the reference rows, then the articles in batches, each batch one transaction.

        On PostgreSQL a thread of its own, with its own connection, writes each batch while
        the next is made: the server's work (indexes, TOAST, foreign keys) overlaps Python's.
        """
        started = time.monotonic()
        self.reference()
        # A small archive needs no large pool; its bodies are still unlike (see `code_words`).
        text = Text(self.rng, pool=min(SENTENCE_POOL, max(2_000, 20 * self.n)))
        cases = deck(self.rng, self.n)
        times = [moment(self.rng, case, self.now) for case in cases]
        order = sorted(range(self.n), key=times.__getitem__)  # ids ascend with time, as ingest
        writer = Writer(self.connection.alias, toast_compression=toast_compression)
        ids = writer.next_ids()
        progress = Progress(self.n, enabled=self.prints)
        # Inside a transaction (a test's), another connection would not see its rows.
        threaded = writer.postgresql and not self.connection.in_atomic_block
        sink = Behind(writer) if threaded else writer
        try:
            for start in range(0, self.n, self.batch):
                chunk = order[start : start + self.batch]
                tables = self.batch_rows(chunk, cases, times, text, ids, fingerprints=fingerprints)
                for table, rows in tables.items():
                    self.counts.tables[table] += len(rows)
                sink.put(tables)
                progress.update(len(chunk))
        finally:
            if sink is not writer:
                sink.close()
        progress.close()
        finishing = time.monotonic()
        writer.finish()
        writer.seconds["sequences and ANALYZE"] += time.monotonic() - finishing
        self.writing = writer.seconds
        self.seconds = time.monotonic() - started
        return self.counts

    def batch_rows(
        self,
        chunk: list[int],
        cases: list[Case],
        times: list[datetime.datetime],
        text: Text,
        ids: dict[str, int],
        *,
        fingerprints: bool,
    ) -> dict[str, list]:
        """One batch's rows, table by table, with ids counted on from `ids`."""
        from articles.rights import text_reusable_for_good
        from copycheck.shingles import fingerprints as shingle_fingerprints
        from copycheck.shingles import words

        articles, bylines, audit, history, prints = [], [], [], [], []
        for serial in chunk:
            case = cases[serial]
            item = self.article(serial, case, times[serial], text)
            ids["article"] += 1
            article_id = ids["article"]
            fields = item["fields"]
            fields["id"] = article_id
            # Every withdrawal and kill is on the record, and so is the refusal that keeps
            # blocked copy in draft; other items keep theirs in the share asked.
            refused = case.status == "draft" and not fields["may_publish"]
            keep_trail = (
                case.status in ("withdrawn", "killed")
                or refused
                or self.rng.random() < self.trail_share
            )
            if keep_trail:
                entries, revisions = self.trail(article_id, item)
                for row in entries:
                    ids["audit"] += 1
                    audit.append({**row, "id": ids["audit"]})
                for row in revisions:
                    ids["history"] += 1
                    history.append({**row, "history_id": ids["history"]})
            for place_in_line, (person, role, place) in enumerate(item["bylines"]):
                ids["byline"] += 1
                bylines.append(
                    {
                        "id": ids["byline"],
                        "article_id": article_id,
                        "person_id": person,
                        "role": role,
                        "place": place,
                        "order": place_in_line,
                    }
                )
            source = self.sources[case.source]
            # The copy detector indexes every item whose text the policy may come to protect.
            if fingerprints and not text_reusable_for_good(Judged(**fields, source=source)):
                text_words = words(
                    " ".join([fields["headline"], fields["standfirst"], fields["body"]])
                )
                prints.extend(
                    (article_id, value, position)
                    for value, position in shingle_fingerprints(text_words)
                )
            articles.append(fields)
            self.counts.cases[case.name] += 1
            self.counts.statuses[fields["status"]] += 1
        return {
            "articles_article": articles,
            "articles_byline": bylines,
            "articles_historicalarticle": history,
            "articles_auditentry": audit,
            "copycheck_fingerprint": prints,
        }


class Behind:
    """Batches written by a thread of their own while the next is made; its errors raise here."""

    def __init__(self, writer: Writer, depth: int = 2):
        self.writer = writer
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.work, name="archive-writer", daemon=True)
        self.thread.start()

    def work(self) -> None:
        from django.db import connections

        try:
            while (tables := self.queue.get()) is not None:
                if self.error is None:
                    self.writer.put(tables)
        except BaseException as error:  # raised again in the thread that makes the batches
            self.error = error
            while self.queue.get() is not None:  # let the maker go on to its close()
                pass
        finally:
            connections.close_all()

    def put(self, tables: dict[str, list]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(tables)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def _cumulate(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _paragraphs(body: str) -> list[str]:
    return [p.removeprefix("<p>") for p in body.removesuffix("</p>").split("</p>")]


# --- writing rows --------------------------------------------------------------------------------


class Writer:
    """Rows to tables the fastest way each database takes them, converted as Django would.

    Columns come from the models, so a migration that adds one shows here as a missing key.
    PostgreSQL takes COPY (text format: it parses each value as its column's type); SQLite one
    prepared INSERT per row, bound in C by `executemany`, with datetimes written as Django's
    backend writes them.
    """

    # Columns the database fills itself: PostgreSQL's trigger computes the article's search vector
    # as each row is copied in (on SQLite it stays empty).
    COMPUTED = {"search_document"}
    MODELS = {
        "articles_article": ("articles", "Article"),
        "articles_byline": ("articles", "Byline"),
        "articles_historicalarticle": ("articles", "HistoricalArticle"),
        "articles_auditentry": ("articles", "AuditEntry"),
    }

    def __init__(self, alias: str = "default", *, toast_compression: str = ""):
        from django.apps import apps
        from django.db import connections, models

        from articles.fields import TerritoriesField

        self.alias = alias
        connection = connections[alias]
        self.postgresql = connection.vendor == "postgresql"
        self.seconds: Counter = Counter()  # time spent writing each table, rows converted included
        self.fingerprints = False
        self.session_set = False
        self.toast_compression = toast_compression
        self.tables: dict[str, tuple[list[str], list[str], list[Callable[[Any], Any]]]] = {}
        for table, (app, name) in self.MODELS.items():
            model = apps.get_model(app, name)
            attnames, columns, converters = [], [], []
            for f in model._meta.concrete_fields:
                if f.attname in self.COMPUTED:
                    continue
                attnames.append(f.attname)
                columns.append(f.column)
                if isinstance(f, TerritoriesField):
                    converters.append(f.get_prep_value)
                elif isinstance(f, models.JSONField):
                    converters.append(json.dumps)
                elif isinstance(f, models.DateTimeField) and not self.postgresql:
                    converters.append(connection.ops.adapt_datetimefield_value)
                else:
                    converters.append(None)
            self.tables[table] = (attnames, columns, converters)

    def next_ids(self) -> dict[str, int]:
        """The highest id each table holds: licences made through the ORM left audit rows."""
        from django.db.models import Max

        from articles.models import Article, AuditEntry, Byline

        return {
            "article": Article.objects.aggregate(n=Max("pk"))["n"] or 0,
            "byline": Byline.objects.aggregate(n=Max("pk"))["n"] or 0,
            "history": Article.history.aggregate(n=Max("history_id"))["n"] or 0,
            "audit": AuditEntry.objects.aggregate(n=Max("pk"))["n"] or 0,
        }

    @property
    def connection(self):
        """This thread's connection: the writing thread has one of its own."""
        from django.db import connections

        return connections[self.alias]

    def put(self, tables: dict[str, list]) -> None:
        """Write one batch's rows in one transaction."""
        from django.db import transaction

        started = time.monotonic()
        if self.postgresql and not self.session_set:
            # A crash loses the last batches, not the database: the archive is made again.
            # This session's TOAST compression: lz4 compresses bodies several times faster
            # than the default pglz, and reads them back faster too (see the README).
            with self.connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
                if self.toast_compression:
                    cursor.execute(
                        "SELECT set_config('default_toast_compression', %s, false)",
                        [self.toast_compression],
                    )
            self.session_set = True
        with transaction.atomic(using=self.alias):
            for table, rows in tables.items():
                if table == "copycheck_fingerprint":
                    self.write_fingerprints(rows)
                else:
                    self.write(table, rows)
            commit = time.monotonic()
        self.seconds["commit"] += time.monotonic() - commit
        self.seconds["writing in all"] += time.monotonic() - started

    def rows(self, table: str, rows: list[dict]) -> Iterator[tuple]:
        attnames, _, converters = self.tables[table]
        pairs = list(zip(attnames, converters, strict=True))
        for row in rows:
            yield tuple(
                row[name] if convert is None or row[name] is None else convert(row[name])
                for name, convert in pairs
            )

    def write(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        _, columns, _ = self.tables[table]
        self.insert(table, columns, self.rows(table, rows))

    def write_fingerprints(self, rows: list[tuple[int, int, int]]) -> None:
        """Append the batch's fingerprints to the detector's recent table, as an ingest run
        does (`copycheck.index.RunIndex`): keyed by item, they go at the table's end, where
        rows keyed by hash would dirty pages all over the main index. `finish()` merges them."""
        from copycheck.index import COLUMNS
        from copycheck.models import Recent

        if rows:
            columns = [c.strip() for c in COLUMNS.split(",")]
            self.insert(Recent._meta.db_table, columns, iter(rows))
            self.fingerprints = True

    def insert(self, table: str, columns: list[str], rows: Iterator[tuple]) -> None:
        started = time.monotonic()
        try:
            self._insert(table, columns, rows)
        finally:
            self.seconds[table] += time.monotonic() - started

    def _insert(self, table: str, columns: list[str], rows: Iterator[tuple]) -> None:
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        with self.connection.cursor() as cursor:
            if self.postgresql:
                with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.cursor.executemany(
                    f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", list(rows)
                )

    def finish(self) -> None:
        """Merge the fingerprints into the main index in one sorted pass (the detector's own
        `merge()`), move the sequences past the ids written, and refresh the planner's
        statistics."""
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import transaction

        from copycheck.index import merge

        if self.fingerprints:
            started = time.monotonic()
            with transaction.atomic(using=self.alias):
                merge()
            self.seconds["fingerprint merge"] += time.monotonic() - started

        models = [apps.get_model(*pair) for pair in self.MODELS.values()]
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if self.postgresql:
                cursor.execute("ANALYZE")


# --- progress ------------------------------------------------------------------------------------


class Progress:
    """A progress bar on stderr: done, share, rate and time left, redrawn 4 times a second."""

    WIDTH = 30

    def __init__(self, total: int, *, enabled: bool = True):
        self.total, self.done, self.enabled = total, 0, enabled
        self.started = self.drawn = time.monotonic()

    def update(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self.drawn >= 0.25 or self.done >= self.total):
            self.drawn = now
            self.draw(now)

    def draw(self, now: float) -> None:
        share = self.done / self.total if self.total else 1.0
        elapsed = now - self.started
        rate = self.done / elapsed if elapsed else 0.0
        left = (self.total - self.done) / rate if rate else 0.0
        bar = "#" * int(share * self.WIDTH)
        sys.stderr.write(
            f"\r[{bar:<{self.WIDTH}}] {share:6.1%} {self.done:,}/{self.total:,} articles "
            f"{rate:,.0f}/s {elapsed:,.0f}s elapsed, {left:,.0f}s left "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


# --- the command -------------------------------------------------------------------------------


def configure(database_url: str) -> None:
    """Set Django up on the database `database_url` names, as the project's settings read it.

    DEBUG is off, so that no query log grows with the run; a key of the run's own stands in
    for SECRET_KEY where none is set (nothing is signed).
    """
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-generate-" + uuid.uuid4().hex)
    import django

    django.setup()


def generate(
    *,
    articles: int,
    seed: int = 2026,
    batch: int = 5_000,
    trail_share: float = 0.1,
    fingerprints: bool = False,
    toast_compression: str = "",
    progress: bool = True,
) -> Generator:
    """Fill the configured (migrated, empty) database; return the generator with its counts."""
    from articles.models import Article

    if Article.objects.exists():
        raise SystemExit(
            "The database already holds articles: the generator fills an empty archive. "
            "Create a new database (or flush this one) and run it again."
        )
    generator = Generator(
        articles=articles, seed=seed, batch=batch, trail_share=trail_share, prints=progress
    )
    generator.run(fingerprints=fingerprints, toast_compression=toast_compression)
    return generator


def report(generator: Generator) -> str:
    counts = generator.counts
    rows = sum(counts.tables.values())
    lines = [f"{table:32} {count:>12,}" for table, count in sorted(counts.tables.items())]
    lines.append(f"{'rows in all':32} {rows:>12,}")
    lines.append("")
    lines += [f"{status:32} {count:>12,}" for status, count in counts.statuses.most_common()]
    lines.append("")
    lines += [f"{'seconds: ' + what:32} {t:>12,.1f}" for what, t in generator.writing.items()]
    lines.append("")
    seconds = generator.seconds
    lines.append(
        f"{counts.tables['articles_article']:,} articles in {seconds:,.1f} s: "
        f"{counts.tables['articles_article'] / seconds:,.0f} articles/s, "
        f"{rows / seconds:,.0f} rows/s"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument(
        "--trail-share",
        type=float,
        default=0.1,
        help="share of items with an audit trail and history rows (withdrawn, killed and "
        "refused items: all)",
    )
    parser.add_argument(
        "--fingerprints",
        action="store_true",
        help="write the copy detector's index too (else `manage.py reindex_copy` fills it)",
    )
    parser.add_argument(
        "--toast-compression",
        choices=["lz4", "pglz", "server"],
        default="lz4",
        help="PostgreSQL: how this session compresses long values (server: its default)",
    )
    args = parser.parse_args(argv)
    configure(args.database_url)
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic() - started
    generator = generate(
        articles=args.articles,
        seed=args.seed,
        batch=args.batch,
        trail_share=args.trail_share,
        fingerprints=args.fingerprints,
        toast_compression="" if args.toast_compression == "server" else args.toast_compression,
    )
    print(f"migrated in {migrated:.1f} s")
    print(report(generator))
    return 0


if __name__ == "__main__":
    sys.exit(main())
