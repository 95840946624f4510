"""Headlines, standfirsts and bodies: a seeded sentence pool over Zipf-weighted words."""

from __future__ import annotations

import bisect
import itertools
import random

from bench.archive.words import (
    ADJECTIVES,
    FUNCTION,
    HEADLINE_POOL,
    LONGEST_SENTENCE,
    NOUNS,
    PLACE_ENDS,
    PLACE_STARTS,
    SENTENCE_POOL,
    VERBS,
    WORDS_MAX,
    WORDS_MIN,
    zipf,
)


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
