"""Writing rows: COPY on PostgreSQL, batched `executemany` on SQLite, one transaction per batch,
and threads that write each batch while the next is made."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

# The indexes of a table that back no constraint (primary key, unique), with their definitions.
DEFERRABLE_INDEXES = """
SELECT c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = %s::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY c.relname
"""
# The generating session's memory for each index build (the server's default is 64 MB).
BUILD_MEMORY = "1GB"


class Writer:
    """Rows to tables the fastest way each database takes them, converted as Django would.

    Columns come from the models, so a migration that adds one shows here as a missing key.
    PostgreSQL takes COPY (text format: it parses each value as its column's type); SQLite one
    prepared INSERT per row, bound in C by `executemany`, with datetimes written as Django's
    backend writes them.
    """

    # Links to what the archive does not make (pictures), left null, and the article's search
    # vector, which PostgreSQL's trigger computes as each row is copied in (empty on SQLite).
    # A byline's copy of its article's time is written here, and its trigger writes the same.
    LEFT_EMPTY = {"lead_picture_id", "picture_id", "search_document"}
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
        # Time spent writing each table, rows converted included, summed over the writing
        # threads; added to under a lock, as several threads write.
        self.seconds: Counter = Counter()
        self.lock = threading.Lock()
        self.fingerprints = False
        self.sessions = threading.local()  # whether this thread's session is set up
        self.toast_compression = toast_compression
        self.deferred_indexes: list[tuple[str, str]] = []  # (name, CREATE INDEX …)
        self.tables: dict[str, tuple[list[str], list[str], list[Callable[[Any], Any]]]] = {}
        for table, (app, name) in self.MODELS.items():
            model = apps.get_model(app, name)
            attnames, columns, converters = [], [], []
            for f in model._meta.concrete_fields:
                if f.attname in self.LEFT_EMPTY:
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

    def prepare(self) -> None:
        """On PostgreSQL, drop the written tables' indexes that back no constraint, to be built
        once each in `finish()`: the articles' search index (GIN) alone, kept up row by row,
        made the COPY several times slower. The search vector is still computed as each row is
        copied, by the table's own trigger, so it is exactly what the application would store;
        primary keys and unique columns keep their indexes, and are checked as rows come."""
        if not self.postgresql:
            return
        with self.connection.cursor() as cursor:
            for table in self.MODELS:
                cursor.execute(DEFERRABLE_INDEXES, [table])
                for name, definition in cursor.fetchall():
                    self.deferred_indexes.append((name, definition))
            for name, _ in self.deferred_indexes:
                cursor.execute(f"DROP INDEX {self.connection.ops.quote_name(name)}")

    def build_indexes(self) -> None:
        """Build the indexes `prepare()` dropped, with the building sessions' sort memory raised
        so that each is sorted in memory rather than in passes on disk. Outside a transaction,
        two sessions build at once, the largest first: PostgreSQL builds a GIN index in one
        process, which would leave the other core idle for the longest build of all."""
        if not self.deferred_indexes:
            return
        # Inside one transaction (a test's), its foreign keys' deferred checks must run first:
        # PostgreSQL builds no index on a table with trigger events pending; and another
        # session would not see the rows.
        deferred = self.connection.in_atomic_block
        if deferred:
            with self.connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self._build(self.deferred_indexes)
            with self.connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # The GIN index (the longest) on its own session; the btrees, one by one, on this.
            slow = [(n, d) for n, d in self.deferred_indexes if " USING gin " in d]
            rest = [(n, d) for n, d in self.deferred_indexes if (n, d) not in slow]
            beside = threading.Thread(target=self._build_beside, args=(slow,), daemon=True)
            errors: list[BaseException] = []
            self._beside_errors = errors
            beside.start()
            self._build(rest)
            beside.join()
            if errors:
                raise errors[0]
        self.deferred_indexes = []

    def _build_beside(self, indexes: list[tuple[str, str]]) -> None:
        from django.db import connections

        try:
            self._build(indexes)
        except BaseException as error:  # raised again in the thread that asked for the build
            self._beside_errors.append(error)
        finally:
            connections.close_all()

    def _build(self, indexes: list[tuple[str, str]]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT set_config('maintenance_work_mem', %s, false)", [BUILD_MEMORY])
            for name, definition in indexes:
                started = time.monotonic()
                cursor.execute(definition)
                self.timed(f"index {name}", started)
            cursor.execute("RESET maintenance_work_mem")

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
        if self.postgresql and not getattr(self.sessions, "set", False):
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
            self.sessions.set = True
        with transaction.atomic(using=self.alias):
            for table, rows in tables.items():
                if table == "copycheck_fingerprint":
                    self.write_fingerprints(rows)
                else:
                    self.write(table, rows)
            commit = time.monotonic()
        self.timed("commit", commit)
        self.timed("writing in all", started)

    def timed(self, what: str, started: float) -> None:
        with self.lock:
            self.seconds[what] += time.monotonic() - started

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
            self.timed(table, started)

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
        `merge()`), move the sequences past the ids written, and vacuum the database and
        refresh the planner's statistics."""
        from django.apps import apps
        from django.core.management.color import no_style
        from django.db import transaction

        from copycheck.index import merge

        if self.fingerprints:
            started = time.monotonic()
            with transaction.atomic(using=self.alias):
                merge()
            self.timed("fingerprint merge", started)

        self.build_indexes()
        models = [apps.get_model(*pair) for pair in self.MODELS.values()]
        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if self.postgresql and not self.connection.in_atomic_block:
                # As autovacuum would soon after on a server that runs it: the visibility map
                # set, so the lists' index-only scans read no table pages, and the statistics.
                started = time.monotonic()
                cursor.execute("VACUUM (ANALYZE)")
                self.timed("VACUUM (ANALYZE)", started)
            elif self.postgresql:
                cursor.execute("ANALYZE")  # VACUUM cannot run in a transaction (a test's)


class Behind:
    """Batches written by threads of their own, each with its own connection, while the next is
    made; their errors raise here. Two threads keep two server processes busy: on PostgreSQL the
    articles' COPY is bound by the server's work on each row (the search vector above all), which
    one process does on one core."""

    def __init__(self, writer: Writer, *, threads: int = 2, depth: int = 2):
        self.writer = writer
        self.queue: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.threads = [
            threading.Thread(target=self.work, name=f"archive-writer-{n}", daemon=True)
            for n in range(threads)
        ]
        for thread in self.threads:
            thread.start()

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
        for _ in self.threads:  # one end mark for each thread
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.error is not None:
            raise self.error
