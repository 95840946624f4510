"""Find the passages a story shares with copy whose text we may not reuse.

The index gives the candidate items in one query (fingerprints of theirs among the shingles of
ours, in the main index and the recent one an ingest writes to); each candidate is then compared
word for word, so runs and shares are exact.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from articles.models import Article
from copycheck.index import article_text
from copycheck.models import Fingerprint, Recent
from copycheck.shingles import SHINGLE, shingles, words

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


def check_text(sender, *, article: Article, **kwargs) -> CopyReport:
    """The receiver of `articles.signals.text_check`: the publish gate's and live text's check."""
    return check(article)


def check(article: Article) -> CopyReport:
    """Compare `article` with the protected items of other sources likeliest to share its text.

    Candidates are ranked by the shingles they share with it, each weighted by how few items
    share it (1 / the number of candidates holding it): a copied run of 25 words may share one
    stored shingle with its item, where a stock phrase ("according to a statement released")
    is stored by hundreds. Counting hits alone let such phrases crowd a copy out of the
    `CANDIDATES` compared word for word.
    """
    ours = words(article_text(article))
    hashes = shingles(ours)
    if not hashes:
        return CopyReport(words=len(ours))
    ours_set = set(hashes)
    overlap: dict[int, set[int]] = defaultdict(set)  # item -> the stored shingles it shares
    for pk, value in shared_rows(ours_set, exclude=article.pk):
        overlap[pk].add(value)
    likeliest = ranked(overlap)[: CANDIDATES * 10]
    candidates = Article.objects.protected_text().filter(pk__in=likeliest)
    if article.pk is not None:
        candidates = candidates.exclude(pk=article.pk)
    if article.source_id is not None:
        candidates = candidates.exclude(source_id=article.source_id)
    by_pk = {item.pk: item for item in candidates.select_related("source")}
    candidates = [by_pk[pk] for pk in likeliest if pk in by_pk][:CANDIDATES]
    passages: list[Passage] = []
    shared = [False] * len(ours)
    # Word for word: each candidate's 5-word runs as tuples, no hashing, no collision.
    ours_runs = list(zip(*(ours[k:] for k in range(SHINGLE)), strict=False))
    for item in candidates:
        theirs_words = words(article_text(item))
        theirs = set(zip(*(theirs_words[k:] for k in range(SHINGLE)), strict=False))
        covered = [False] * len(ours)
        for i, run in enumerate(ours_runs):
            if run in theirs:
                covered[i : i + SHINGLE] = [True] * SHINGLE
        for start, end in runs(covered):
            passages.append(Passage(item, start, end, " ".join(ours[start:end])))
            shared[start:end] = [True] * (end - start)
    passages.sort(key=lambda p: (-p.length, p.start))
    return CopyReport(words=len(ours), passages=tuple(passages), shared_words=sum(shared))


def shared_rows(hashes: set[int], *, exclude: int | None) -> list[tuple[int, int]]:
    """(article_id, hash) of stored fingerprints among `hashes`, in both tables, in one query.

    The main index answers by its key; the recent table, which only an ingest in progress
    fills, is scanned. PostgreSQL takes the hashes as one array parameter: as 1,500 separate
    parameters (twice, for the two tables) parsing and binding them took longer than the
    lookup itself.
    """
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        match, values = "hash = ANY(%s)", [list(hashes)]
    else:
        match, values = f"hash IN ({', '.join(['%s'] * len(hashes))})", list(hashes)
    other = "" if exclude is None else " AND article_id <> %s"
    params = [*values, *([exclude] if exclude is not None else [])]
    sql = " UNION ALL ".join(
        f"SELECT article_id, hash FROM {quote(table._meta.db_table)} WHERE {match}{other}"
        for table in (Fingerprint, Recent)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        return cursor.fetchall()


def ranked(overlap: dict[int, set[int]]) -> list[int]:
    """Items by the weight of the shingles they share with a story, rarest shingles first.

    A shingle held by n of the items counts 1/n; ties go to more shingles, then the older item.
    """
    holders = Counter(value for values in overlap.values() for value in values)
    weight = {pk: sum(1 / holders[value] for value in values) for pk, values in overlap.items()}
    return sorted(overlap, key=lambda pk: (-weight[pk], -len(overlap[pk]), pk))


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
