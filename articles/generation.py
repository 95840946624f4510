"""The rights generation: one number that every write changing what a public page may show bumps.

A cached page is kept under the generation it was made in, so a page made before a kill, a
rights change, a suspension or a licence change is never served after it: the write bumps the
number in its own transaction, and the change and the new number become visible together, on
every worker and every node, the moment it commits. A reader never sees the new data under the
old number, nor the old data under the new one.

The row lives on the primary database: a replica that has not yet replayed a change also shows
the older number, which is how a reader of replicas knows to read the primary instead.
"""

from __future__ import annotations

import time

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.models import F

ROW = 1


def fresh_start() -> int:
    """Where a new row's count starts: the clock in microseconds.

    A database made later (migrated anew, or restored from a backup) so starts above any number
    an earlier one reached (that would take a million writes a second for its whole life), and a
    shared cache never serves it a page it holds under an earlier database's number.
    """
    return time.time_ns() // 1000


class RightsGeneration(models.Model):
    """The one row holding the generation; `bump()` and `current()` are its whole interface."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW, editable=False)
    value = models.BigIntegerField(default=0)

    # Read on the primary whatever a database router would do with public reads.
    read_from_primary = True

    class Meta:
        verbose_name = "rights generation"

    def __str__(self) -> str:
        return f"rights generation {self.value}"


def start_afresh(using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the count past the clock (a restore does, after loading a backup's row)."""
    start = fresh_start()
    manager = RightsGeneration.objects.using(using)
    if not manager.filter(pk=ROW, value__lt=start).update(value=start):
        manager.get_or_create(pk=ROW, defaults={"value": start})


def current(using: str = DEFAULT_DB_ALIAS) -> int:
    """The generation as the database `using` sees it now (0 before the first bump).

    Read on every public request (a page cache hit is this read and a cache lookup), so in plain
    SQL: the ORM's building of the same one-row query cost more than half of such a hit.
    """
    connection = connections[using]
    table = connection.ops.quote_name(RightsGeneration._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {table} WHERE id = %s", [ROW])
        row = cursor.fetchone()
    return row[0] if row else 0


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Move the generation on, in the caller's transaction: it is seen when the caller commits."""
    manager = RightsGeneration.objects.using(using)
    if manager.filter(pk=ROW).update(value=F("value") + 1):
        return
    # No row yet (a database flushed since it was migrated): make it, racing another writer.
    try:
        with transaction.atomic(using=using):
            manager.create(pk=ROW, value=fresh_start())
    except IntegrityError:
        manager.filter(pk=ROW).update(value=F("value") + 1)


def of_request(request) -> int:
    """The primary's generation for `request`, read at most once per request.

    Where a replica is configured, the middleware that chooses it has read it already and put it
    on the request as `request.rights_generation`; otherwise the first caller reads it here.
    """
    value = getattr(request, "rights_generation", None)
    if value is None:
        value = request.rights_generation = current(DEFAULT_DB_ALIAS)
    return value
