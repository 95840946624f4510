"""What a backup holds, and how each value travels: every table of every installed model but the
few in `LEFT_OUT`, ordered so that a table comes after the tables it points at."""

from __future__ import annotations

import base64
import datetime
import decimal
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils.duration import duration_iso_string

FORMAT = "newsroom-backup"
VERSION = 2  # 2: the files rows name follow the tables
READS = (1, 2)  # versions restore reads: a version 1 file carries no files

# Tables a backup does not copy, and why; the README lists them too.
LEFT_OUT = {
    "contenttypes.contenttype": "made by migrate from the code; a row pointing at one names it",
    "auth.permission": "made by migrate from the code; a row pointing at one names it",
    "sessions.session": "logins in progress; people sign in again after a restore",
    "copycheck.fingerprint": "the copied-text index, made from the text: restore rebuilds it",
    "copycheck.recent": "the copied-text index's recent rows: restore rebuilds the index",
    "articles.rightsgeneration": "a number caches are keyed by: restore starts it past the clock",
}
# Rows that a migration makes (the editorial groups) and restore replaces with the backup's own.
MADE_BY_MIGRATIONS = ("auth.group_permissions", "auth.group")


class BackupError(Exception):
    """A backup that cannot be written, or a file that cannot be restored, said for people."""


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    fields: tuple[models.Field, ...]

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def columns(self) -> list[str]:
        return [field.column for field in self.fields]

    @property
    def rows(self) -> models.QuerySet:
        """Every row, as values in column order, by primary key."""
        names = [field.attname for field in self.fields]
        return self.model._base_manager.order_by("pk").values_list(*names)

    @property
    def counter(self) -> models.Field | None:
        """The primary key the database numbers itself, if it does."""
        pk = self.model._meta.pk
        return pk if isinstance(pk, models.AutoField) else None  # Big and Small ones too


def _named_by_key() -> dict[type[models.Model], Callable]:
    """Models whose rows migrate makes, so a backup names them instead of giving their ids."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    return {
        ContentType: lambda: {
            pk: [app, model]
            for pk, app, model in ContentType.objects.values_list("pk", "app_label", "model")
        },
        Permission: lambda: {
            pk: [codename, app, model]
            for pk, codename, app, model in Permission.objects.values_list(
                "pk", "codename", "content_type__app_label", "content_type__model"
            )
        },
    }


def natural_keys() -> dict[type[models.Model], dict[int, list[str]]]:
    """For each model named by key: its rows' ids and the names that stand for them."""
    return {model: read() for model, read in _named_by_key().items()}


def named_by_key(field: models.Field) -> type[models.Model] | None:
    """The model `field` points at, where a backup names its rows rather than giving ids."""
    target = field.related_model if field.many_to_one or field.one_to_one else None
    return target if target in _named_by_key() else None


def tables() -> list[Table]:
    """The tables a backup holds, each after every table it points at."""
    kept = {
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in LEFT_OUT
    }
    needs = {
        model: {
            field.related_model
            for field in model._meta.local_concrete_fields
            if field.is_relation and field.related_model in kept - {model}
        }
        for model in kept
    }
    order: list[type[models.Model]] = []
    while needs:
        ready = sorted(
            (model for model, wanted in needs.items() if wanted <= set(order)),
            key=lambda model: model._meta.label_lower,
        )
        if not ready:
            circle = ", ".join(sorted(model._meta.db_table for model in needs))
            raise BackupError(f"These tables point at each other in a circle: {circle}.")
        for model in ready:
            order.append(model)
            del needs[model]
    return [Table(model, tuple(model._meta.local_concrete_fields)) for model in order]


def as_json(value):
    """A value JSON does not know, as text its field reads back (`json.dumps`'s `default`)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"no JSON form for {type(value).__name__}")


def schema() -> dict[str, str]:
    """The latest migration of each app: the schema a backup is written in."""
    return dict(sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()))


def unapplied() -> list[str]:
    """The migrations this database still lacks."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def last_ids(kept: list[Table]) -> dict[str, int]:
    """The last id each table's counter gave out, deleted rows' included."""
    counted = {table.name: table.counter for table in kept if table.counter}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            found = {}
            for name, pk in counted.items():
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [name, pk.column])
                (sequence,) = cursor.fetchone()
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")
                last, called = cursor.fetchone()
                found[name] = last if called else 0
            return found
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        given = dict(cursor.fetchall())
    return {name: given.get(name, 0) for name in counted}


def set_last_ids(kept: list[Table], last: dict[str, int]) -> None:
    """Set each table's counter so the next row gets an id never given out before."""
    with connection.cursor() as cursor:
        for table in kept:
            if not table.counter:
                continue
            pk = connection.ops.quote_name(table.counter.column)
            cursor.execute(f"SELECT MAX({pk}) FROM {connection.ops.quote_name(table.name)}")
            value = max(cursor.fetchone()[0] or 0, last.get(table.name, 0))
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                    [table.name, table.counter.column, max(value, 1), value > 0],
                )
            else:
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table.name])
                if value:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                        [table.name, value],
                    )
