"""Keep the fingerprint index in step with the articles: each save of non-staff copy re-indexes.

A save writes its item's rows at once, except inside an ingest run (`HeldIndex`). There the rows
wait in memory and are written every `WRITE_EVERY` items, sorted by hash, in one transaction: the
index's pages are then visited once each for thousands of rows, not once per row, which is most
of what indexing costs on SQLite. Until then each item is listed in `Unindexed`, committed with
the item itself, and a check compares listed items directly, so none goes unchecked.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import connection, transaction

from articles.models import Article
from copycheck.models import Fingerprint, Unindexed
from copycheck.shingles import fingerprints, words

WRITE_EVERY = 2000  # items an ingest holds back; a check meanwhile reads at most this many

Row = tuple[int, int, int]  # (article_id, hash, position)


class Pending(list[tuple[int, list[Row]]]):
    """Each save's (article id, rows), in order; an ingest drops a rolled-back item's."""

    def mark(self) -> int:
        return len(self)

    def discard_since(self, mark: int) -> None:
        del self[mark:]

    def by_article(self) -> dict[int, list[Row]]:
        """Each item's rows from its last save that stands."""
        return dict(self)


_pending: contextvars.ContextVar[Pending | None] = contextvars.ContextVar(
    "pending_fingerprints", default=None
)


def article_text(article) -> str:
    return " ".join([article.headline, article.standfirst, article.body])


def rows_for(article) -> list[Row]:
    return [
        (article.pk, value, position)
        for value, position in fingerprints(words(article_text(article)))
    ]


def index_article(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    """Index copy from other sources (ours is never protected); staff copy is left out."""
    if raw or instance.source.kind == "staff":
        return
    if not created:
        Fingerprint.objects.filter(article_id=instance.pk).delete()
    pending = _pending.get()
    if pending is not None:
        pending.append((instance.pk, rows_for(instance)))
        return
    if not created:
        # Supersedes rows an ingest may hold for it: that ingest writes only listed items'.
        Unindexed.objects.filter(article_id=instance.pk).delete()
    write(rows_for(instance))


def write(rows: list[Row]) -> None:
    """Insert (article_id, hash, position) rows the fastest way each database offers.

    Straight to the cursor: this runs for every save of wire copy, and ORM objects cost more
    than the indexing itself. PostgreSQL takes COPY, about twice as fast as a multi-row INSERT;
    SQLite binds one prepared INSERT per row in C.
    """
    if not rows:
        return
    table = connection.ops.quote_name(Fingerprint._meta.db_table)
    target = f"{table} (article_id, hash, position)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {target} VALUES (%s, %s, %s)", rows)


class HeldIndex:
    """An ingest run's fingerprints: held across its batches, written `every` items at a time."""

    def __init__(self, every: int | None = None):
        self.every = every or WRITE_EVERY
        self.pending = Pending()

    @contextlib.contextmanager
    def batch(self) -> Iterator[Pending]:
        """Hold the fingerprints of the saves in this block, to go with the block's transaction.

        Use it inside the transaction that stores the items. Once `every` items are held, all
        their rows are written in it; until then the block's items commit listed as unindexed.
        """
        start = len(self.pending)
        token = _pending.set(self.pending)
        try:
            yield self.pending
        finally:
            _pending.reset(token)
        self.settle(list(dict.fromkeys(article_id for article_id, _ in self.pending[start:])))

    def settle(self, fresh: list[int]) -> None:
        """Write everything held once `every` items are, else list the block's `fresh` items."""
        if len(self.pending) >= self.every:
            self._write(fresh)
        elif fresh:
            Unindexed.objects.bulk_create(
                [Unindexed(article_id=pk) for pk in fresh], ignore_conflicts=True
            )

    def write(self) -> None:
        """Write what is held now, at the end of a run; a run that holds nothing writes nothing."""
        if self.pending:
            self._write([])

    def _write(self, fresh: list[int]) -> None:
        """Write the rows of `fresh` items and of every listed one, in one go, and unlist them.

        Held rows serve the items this run stored. An item another save has indexed since is no
        longer listed, and its held rows are dropped. An item listed by a run that stopped is
        indexed from its stored text, by the next run that writes.
        """
        held, self.pending = self.pending.by_article(), Pending()
        with transaction.atomic(savepoint=False):
            listed = list(
                Unindexed.objects.select_for_update().values_list("article_id", flat=True)
            )
            rows = [row for pk in [*fresh, *listed] if pk in held for row in held[pk]]
            others = [pk for pk in listed if pk not in held]
            if others:
                for article in Article.objects.filter(pk__in=others).exclude(source__kind="staff"):
                    rows.extend(rows_for(article))
            if listed:
                Unindexed.objects.filter(article_id__in=listed).delete()
            write(sorted(rows, key=lambda row: row[1]))
