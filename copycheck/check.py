"""Find the passages a story shares with copy whose text we may not reuse.

The index gives the candidate items in one query (fingerprints of theirs among the shingles of
ours), with the items an ingest has stored but not yet indexed; each candidate is then compared
word for word, so runs and shares are exact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings

from articles.models import Article
from copycheck.index import article_text
from copycheck.models import Fingerprint, Unindexed
from copycheck.shingles import SHINGLE, fingerprints, shingles, words

CANDIDATES = 20


@dataclass(frozen=True)
class Passage:
    """A run of our words found in a protected item."""

    item: Article
    start: int
    end: int  # exclusive, in words of our text
    text: str

    @property
    def length(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class CopyReport:
    words: int
    passages: tuple[Passage, ...] = ()
    shared_words: int = 0

    @property
    def longest_run(self) -> int:
        return max((p.length for p in self.passages), default=0)

    @property
    def share(self) -> float:
        return self.shared_words / self.words if self.words else 0.0

    @property
    def exceeds(self) -> bool:
        """Whether the shared text passes the configured threshold; short quotations do not."""
        return (
            self.longest_run >= settings.COPYCHECK_RUN_WORDS
            or self.share >= settings.COPYCHECK_SHARE
        )

    @property
    def reasons(self) -> list[str]:
        if not self.exceeds:
            return []
        items: dict[int, Article] = {p.item.pk: p.item for p in self.passages}
        named = "; ".join(
            f"“{item.headline}” from {item.source.name}"
            + (f" ({' '.join(item.copyright_notice.split())})" if item.copyright_notice else "")
            for item in items.values()
        )
        return [
            f"It shares {self.shared_words} of its {self.words} words ({self.share:.0%}), "
            f"the longest run {self.longest_run} words, with copy whose text may not be reused: "
            f"{named}. Rewrite those passages, quote less, or ask a rights manager to override."
        ]


def check(article: Article) -> CopyReport:
    """Compare `article` with every protected item of another source that shares a shingle."""
    ours = words(article_text(article))
    hashes = shingles(ours)
    if not hashes:
        return CopyReport(words=len(ours))
    # The hash index alone first: rows only for shingles some stored item shares with ours.
    found = Fingerprint.objects.filter(hash__in=set(hashes))
    if article.pk is not None:
        found = found.exclude(article_id=article.pk)
    hits = Counter(found.values_list("article_id", flat=True))
    likeliest = [pk for pk, _ in hits.most_common(CANDIDATES * 10)]
    # Items an ingest holds back from the index (at most index.WRITE_EVERY) are candidates too;
    # their hits are counted from their text. A list of ids, not a subquery: PostgreSQL meets
    # "id IN (…) OR id IN (SELECT …)" with a scan of the whole article table.
    held = list(Unindexed.objects.values_list("article_id", flat=True))
    candidates = Article.objects.protected_text().filter(pk__in=[*likeliest, *held])
    if article.pk is not None:
        candidates = candidates.exclude(pk=article.pk)
    if article.source_id is not None:
        candidates = candidates.exclude(source_id=article.source_id)
    candidates = list(candidates.select_related("source"))
    ours_set = set(hashes)
    for item in candidates:
        if item.pk not in hits:
            stored = {value for value, _ in fingerprints(words(article_text(item)))}
            hits[item.pk] = len(stored & ours_set)
    candidates = sorted(
        (item for item in candidates if hits[item.pk]), key=lambda item: -hits[item.pk]
    )[:CANDIDATES]
    passages: list[Passage] = []
    shared = [False] * len(ours)
    for item in candidates:
        theirs = set(shingles(words(article_text(item))))
        covered = [False] * len(ours)
        for i, value in enumerate(hashes):
            if value in theirs:
                covered[i : i + SHINGLE] = [True] * SHINGLE
        for start, end in runs(covered):
            passages.append(Passage(item, start, end, " ".join(ours[start:end])))
            shared[start:end] = [True] * (end - start)
    passages.sort(key=lambda p: (-p.length, p.start))
    return CopyReport(words=len(ours), passages=tuple(passages), shared_words=sum(shared))


def runs(covered: list[bool]) -> list[tuple[int, int]]:
    """The (start, end) of each stretch of True."""
    found, start = [], None
    for i, flag in enumerate([*covered, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            found.append((start, i))
            start = None
    return found
