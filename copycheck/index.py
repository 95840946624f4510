"""Keep the fingerprint index in step with the articles: each save of non-staff copy re-indexes.

A save outside an ingest writes its item's rows to the main index at once. An ingest run
(`RunIndex`) collects a batch's rows and appends them to the `Recent` table at the end of the
batch, inside the batch's transaction, so every committed item is indexed; every `MERGE_ROWS`
rows and at its end, the run merges that table into the main index in one sorted pass. A check
looks up both. An item's rows are in one table or the other, never both.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection, transaction

from articles.models import Article
from articles.rights import text_reusable_for_good, text_reusable_for_good_q
from copycheck.models import Fingerprint, Recent
from copycheck.shingles import fingerprints, words

MERGE_ROWS = 200_000  # rows (some 10,000 items) a run appends before it merges them

Row = tuple[int, int, int]  # (article_id, hash, position)
COLUMNS = "article_id, hash, position"


class Pending(list[tuple[int, list[Row]]]):
    """Each save's (article id, rows) in a batch, in order; ingest drops a rolled-back item's."""

    def mark(self) -> int:
        return len(self)

    def discard_since(self, mark: int) -> None:
        del self[mark:]

    def rows(self) -> list[Row]:
        """The rows of each item's last save that stands."""
        return [row for rows in dict(self).values() for row in rows]


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
    """Index every item whose text the policy may come to protect (`rights.text_protected`);
    only staff copy whose text rights are ours for good is left out. Rows such an item kept
    from before are never a candidate (a check compares protected items only), and
    `reindex_copy` drops them."""
    if raw or text_reusable_for_good(instance):
        return
    if not created:
        forget([instance.pk])
    pending = _pending.get()
    if pending is not None:
        pending.append((instance.pk, rows_for(instance)))
    else:
        write(rows_for(instance))


def forget(article_ids: list[int]) -> None:
    """Delete the items' rows, from whichever table holds them."""
    Fingerprint.objects.filter(article_id__in=article_ids).delete()
    Recent.objects.filter(article_id__in=article_ids).delete()


def write(rows: list[Row], *, table: type[Fingerprint] | type[Recent] = Fingerprint) -> None:
    """Insert (article_id, hash, position) rows the fastest way each database offers.

    Straight to the cursor: this runs for every save of wire copy, and ORM objects cost more
    than the indexing itself. PostgreSQL takes COPY, about twice as fast as a multi-row INSERT;
    SQLite binds one prepared INSERT per row in C. Rows for the main index go in hash order, so
    each of its pages is visited once; the recent table takes them as they come (appended).
    """
    if not rows:
        return
    if table is Fingerprint:
        rows = sorted(rows, key=itemgetter(1))
    target = f"{connection.ops.quote_name(table._meta.db_table)} ({COLUMNS})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {target} VALUES (%s, %s, %s)", rows)


def merge() -> None:
    """Move the recent table's rows into the main index, in hash order, in one statement each.

    Run it inside a transaction, so a check sees every row in one table or the other. It moves
    every row there, other runs' included: theirs are as well in the main index.
    """
    main = connection.ops.quote_name(Fingerprint._meta.db_table)
    recent = connection.ops.quote_name(Recent._meta.db_table)
    select = f"SELECT {COLUMNS} FROM {recent} ORDER BY hash"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"INSERT INTO {main} ({COLUMNS}) {select} ON CONFLICT DO NOTHING")
        else:
            cursor.execute(f"INSERT OR IGNORE INTO {main} ({COLUMNS}) {select}")
        cursor.execute(f"DELETE FROM {recent}")


class RunIndex:
    """An ingest run's fingerprints: a batch's rows are appended to the recent table with it.

    `direct`: write each batch's rows to the main index instead (a single upload, a few rows).
    """

    def __init__(self, merge_rows: int | None = None, *, direct: bool = False):
        self.merge_rows = merge_rows or MERGE_ROWS
        self.direct = direct
        self.pending = Pending()
        self.recent: int | None = None  # rows in the recent table, as far as this run knows

    @contextlib.contextmanager
    def batch(self) -> Iterator[Pending]:
        """Collect the fingerprints of the saves in this block, to write with the block's end.

        Use it inside the transaction that stores the items: their rows are written in it, and
        merged into the main index there once the recent table is full. A block that raises
        writes nothing, and leaves nothing behind for the next.
        """
        token = _pending.set(self.pending)
        try:
            yield self.pending
        except BaseException:
            self.pending = Pending()
            raise
        finally:
            _pending.reset(token)
        self.settle()

    def settle(self) -> None:
        """Append the block's rows to the recent table; merge it once it holds `merge_rows`."""
        rows, self.pending = self.pending.rows(), Pending()
        if not rows:
            return
        if self.direct:
            write(rows)
            return
        write(rows, table=Recent)
        if self.recent is None:  # once a run: other runs may have left rows there
            self.recent = Recent.objects.count()
        else:
            self.recent += len(rows)
        if self.recent >= self.merge_rows:
            merge()
            self.recent = 0

    def finish(self) -> None:
        """At the run's end, merge what it appended, so checks between runs scan nothing."""
        if self.recent:
            with transaction.atomic():
                merge()
            self.recent = 0


@dataclass(frozen=True)
class Reindexed:
    items: int
    rows: int
    stray: int


def reindex(*, batch: int = 2000) -> Reindexed:
    """Rebuild the index from the stored text of every item the policy may come to protect.

    Items go in batches, each in one transaction: its old rows out, its new rows in (the main
    index), its rows in the recent table removed, so a check made meanwhile sees every item
    either as it was indexed or as it is now. Rows of items gone, or whose text is since ours
    for good, are removed at the end.
    """
    items = rows = 0
    ids = Article.objects.exclude(text_reusable_for_good_q()).order_by("pk")
    ids = ids.values_list("pk", flat=True)
    after = 0
    while chunk := list(ids.filter(pk__gt=after)[:batch]):
        after = chunk[-1]
        with transaction.atomic():
            articles = Article.objects.filter(pk__in=chunk).select_for_update()
            fresh = [row for article in articles for row in rows_for(article)]
            forget(chunk)
            write(fresh)
        items += len(chunk)
        rows += len(fresh)
    wire = Article.objects.exclude(text_reusable_for_good_q()).values("pk")
    stray = sum(
        table.objects.exclude(article_id__in=wire).delete()[0] for table in (Fingerprint, Recent)
    )
    return Reindexed(items=items, rows=rows, stray=stray)
