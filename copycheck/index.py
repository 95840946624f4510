"""Keep the fingerprint index in step with the articles: each save of non-staff copy re-indexes.

A bulk writer (ingest) may defer the writes to the end of its transaction with
`deferred_index()`: the rows then go in sorted by hash, so the index's pages are visited in order,
once each, rather than once per row at random.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.db import connection

from copycheck.models import Fingerprint
from copycheck.shingles import fingerprints, words

_pending: contextvars.ContextVar[Pending | None] = contextvars.ContextVar(
    "pending_fingerprints", default=None
)


def article_text(article) -> str:
    return " ".join([article.headline, article.standfirst, article.body])


def index_article(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    """Index copy from other sources (ours is never protected); staff copy is left out."""
    if raw or instance.source.kind == "staff":
        return
    if not created:
        Fingerprint.objects.filter(article_id=instance.pk).delete()
    rows = [
        (instance.pk, value, position)
        for value, position in fingerprints(words(article_text(instance)))
    ]
    pending = _pending.get()
    if pending is not None:
        pending.append((instance.pk, rows))
    else:
        write(rows)


def write(rows: list[tuple[int, int, int]]) -> None:
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


class Pending(list[tuple[int, list[tuple[int, int, int]]]]):
    """Each save's (article id, rows), waiting for the end of a deferred block.

    A writer drops those of a rolled-back item with `discard_since`. An item saved twice in one
    block keeps the rows of its last save that stands.
    """

    def mark(self) -> int:
        return len(self)

    def discard_since(self, mark: int) -> None:
        del self[mark:]

    def rows(self) -> list[tuple[int, int, int]]:
        seen: set[int] = set()
        rows: list[tuple[int, int, int]] = []
        for article_id, saved in reversed(self):
            if article_id not in seen:
                seen.add(article_id)
                rows.extend(saved)
        return rows


@contextlib.contextmanager
def deferred_index() -> Iterator[Pending]:
    """Collect the fingerprints of the saves in this block; write them, sorted, at its end.

    Use it inside the transaction that stores the articles, so index and articles commit
    together.
    """
    pending = Pending()
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)
    write(sorted(pending.rows(), key=lambda row: row[1]))
