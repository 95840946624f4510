"""Restore a backup into an empty, migrated database, exactly: ids, times, links and counters.

Rows go in as stored, in raw inserts (COPY on PostgreSQL), with no `save()` and no signal: no
revision, audit entry or index row is made by restoring, and `auto_now` times keep their value.
Everything happens in one transaction, so a refused file leaves the database as empty as it was.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction

from articles import generation
from copycheck.index import Reindexed, reindex
from newsroom.backup import files as carried
from newsroom.backup.tables import (
    FORMAT,
    MADE_BY_MIGRATIONS,
    READS,
    BackupError,
    Table,
    named_by_key,
    natural_keys,
    schema,
    set_last_ids,
    tables,
    unapplied,
)

BATCH = 2000  # rows a statement


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    index: Reindexed
    files: int = 0  # files written into the media storage


class Reader:
    """A backup's lines, parsed one at a time, each error naming the file and the line."""

    def __init__(self, path: Path, file):
        self.path, self.file, self.line = path, file, 0

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path) -> Iterator[Reader]:
        with contextlib.ExitStack() as stack:
            try:
                file = stack.enter_context(gzip.open(path, "rt", encoding="ascii", newline="\n"))
            except OSError as error:
                raise BackupError(f"{path}: cannot be read ({error.strerror or error}).") from error
            yield cls(path, file)

    @property
    def where(self) -> str:
        return f"{self.path}, line {self.line}"

    def next(self):
        """The next line's value, or None at the end of the file."""
        try:
            text = self.file.readline()
        except gzip.BadGzipFile as error:
            raise BackupError(f"{self.path}: not a Newsroom backup ({error}).") from error
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as error:
            raise BackupError(
                f"{self.path}: damaged or cut short after line {self.line} ({error}); "
                "it cannot be restored."
            ) from error
        if not text:
            return None
        self.line += 1
        try:
            return json.loads(text)
        except ValueError as error:
            raise BackupError(f"{self.where}: not JSON ({error}).") from error


def _manifest(reader: Reader) -> dict:
    manifest = reader.next()
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{reader.path}: not a Newsroom backup (its first line names no format).")
    if manifest.get("version") not in READS:
        raise BackupError(
            f"{reader.path}: field version: format version {manifest.get('version')!r}; this "
            f"Newsroom reads versions {', '.join(map(str, READS))}."
        )
    files = manifest.setdefault("files", {"count": 0, "bytes": 0, "missing": []})
    if manifest["version"] == 1:
        pass  # a version 1 file carries no files
    elif not (
        isinstance(files, dict)
        and isinstance(files.get("count"), int)
        and files["count"] >= 0
        and isinstance(files.get("missing"), list)
    ):
        raise BackupError(f"{reader.path}: manifest: field files: missing or malformed.")
    for field, kind in (("schema", dict), ("tables", list)):
        if not isinstance(manifest.get(field), kind):
            raise BackupError(f"{reader.path}: manifest: field {field}: missing or malformed.")
    for n, entry in enumerate(manifest["tables"], 1):
        name = entry.get("table") if isinstance(entry, dict) else None
        for field, valid in (
            ("table", lambda v: isinstance(v, str)),
            ("columns", lambda v: isinstance(v, list)),
            ("rows", lambda v: isinstance(v, int) and v >= 0),
            ("last_id", lambda v: v is None or isinstance(v, int) and v >= 0),
        ):
            if not isinstance(entry, dict) or not valid(entry.get(field)):
                raise BackupError(
                    f"{reader.path}: manifest: table {name or n}: field {field}: missing or "
                    "malformed."
                )
    return manifest


def _check_database(manifest: dict, path: Path) -> list[tuple[Table, dict]]:
    """Refuse a database not migrated, a file of another schema, and a database not empty."""
    if missing := unapplied():
        raise BackupError(
            f"This database lacks migrations ({', '.join(missing)}): restore needs an empty "
            "database migrated to this version's schema. Run `manage.py migrate` first."
        )
    ours = schema()
    if manifest["schema"] != ours:
        apps = sorted(set(ours) | set(manifest["schema"]))
        theirs = manifest["schema"]
        differ = "; ".join(
            f"{app}: file {theirs.get(app, 'none')}, this version {ours.get(app, 'none')}"
            for app in apps
            if theirs.get(app) != ours.get(app)
        )
        raise BackupError(
            f"{path} was written at another schema ({differ}). Restore it with the version of "
            "Newsroom that wrote it, into a database that version migrated; then upgrade."
        )
    kept = {table.name: table for table in tables()}
    listed = {entry["table"]: entry for entry in manifest["tables"]}
    if set(listed) != set(kept):
        raise BackupError(
            f"{path}: manifest: its tables are not this version's (missing: "
            f"{', '.join(sorted(set(kept) - set(listed))) or 'none'}; unknown: "
            f"{', '.join(sorted(set(listed) - set(kept))) or 'none'})."
        )
    for name, entry in listed.items():
        if entry["columns"] != kept[name].columns:
            raise BackupError(
                f"{path}: manifest: table {name}: field columns: {entry['columns']} are not this "
                f"version's {kept[name].columns}."
            )
    full = [
        f"{table.name} ({_rows(table.model._base_manager.count())})"
        for table in kept.values()
        if table.label not in MADE_BY_MIGRATIONS and table.model._base_manager.exists()
    ]
    if full:
        raise BackupError(
            f"This database is not empty: {', '.join(full)}. Restore only into a new database "
            "(createdb, or a new SQLite file) that `manage.py migrate` has made; nothing was "
            "changed."
        )
    return [(kept[entry["table"]], entry) for entry in manifest["tables"]]


# Columns whose JSON value, of the right type, is already what the database stores; any other
# value goes through the field's own conversion, which refuses it with the field's message.
AS_STORED = {
    models.CharField: str,
    models.TextField: str,
    models.SlugField: str,
    models.EmailField: str,
    models.URLField: str,
    models.BooleanField: bool,
    **dict.fromkeys(
        (
            models.AutoField,
            models.BigAutoField,
            models.IntegerField,
            models.BigIntegerField,
            models.SmallIntegerField,
            models.PositiveIntegerField,
            models.PositiveSmallIntegerField,
            models.PositiveBigIntegerField,
        ),
        int,
    ),
}


def _decoders(table: Table, keys: dict) -> list[Callable]:
    """For each column, how its JSON value becomes what the database stores."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # not the proxy: this runs for every value

    def by_key(target: type[models.Model]) -> Callable:
        ids = {tuple(name): pk for pk, name in keys[target].items()}

        def decode(value):
            if not isinstance(value, list) or tuple(value) not in ids:
                raise ValueError(f"no {target._meta.verbose_name} {value!r} in this database")
            return ids[tuple(value)]

        return decode

    def converted(field: models.Field) -> Callable:
        return lambda value: field.get_db_prep_save(field.to_python(value), wrapper)

    def prepare(field: models.Field) -> Callable:
        if target := named_by_key(field):
            return by_key(target)
        if isinstance(field, models.JSONField):  # stored as it came
            return lambda value: field.get_db_prep_save(value, wrapper)
        stored = field.target_field if field.is_relation else field
        kind = AS_STORED.get(type(stored))
        if kind is None:
            return converted(field)
        slow = converted(field)
        return lambda value: value if type(value) is kind else slow(value)

    return [prepare(field) for field in table.fields]


def _insert(table: Table, rows: list[list]) -> None:
    quote = connection.ops.quote_name
    target = f"{quote(table.name)} ({', '.join(quote(c) for c in table.columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(f"INSERT INTO {target} VALUES ({marks})", rows)


def _found(line) -> str:
    if line is None:
        return "the end of the file"
    if isinstance(line, dict):
        return "the next table"
    return f"{len(line)} values" if isinstance(line, list) else "no row"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _load_table(reader: Reader, table: Table, expected: int, keys: dict) -> None:
    header = reader.next()
    if isinstance(header, list):
        raise BackupError(f"{reader.where}: more rows than the manifest's count for the table.")
    if header != {"table": table.name}:
        raise BackupError(f"{reader.where}: the rows of table {table.name} should start here.")
    decoders = _decoders(table, keys)
    pk = table.fields.index(table.model._meta.pk)
    batch: list[list] = []
    first = reader.line + 1
    for n in range(1, expected + 1):
        row = reader.next()
        if not isinstance(row, list) or len(row) != len(decoders):
            raise BackupError(
                f"{reader.where}: table {table.name}, row {n}: expected a row of "
                f"{len(decoders)} values, found {_found(row)} (the manifest counts "
                f"{_rows(expected)})."
            )
        values = []
        for column, value, decode in zip(table.columns, row, decoders, strict=True):
            try:
                values.append(None if value is None else decode(value))
            except (ValidationError, ValueError, TypeError) as error:
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else error
                raise BackupError(
                    f"{reader.where}: table {table.name}, row {n} (id {row[pk]}): field "
                    f"{column}: {message}"
                ) from error
        batch.append(values)
        if len(batch) == BATCH or n == expected:
            try:
                _insert(table, batch)
            except DatabaseError as error:
                raise BackupError(
                    f"{reader.path}, lines {first}–{reader.line}: table {table.name}: the "
                    f"database refused these rows: {error}"
                ) from error
            batch, first = [], reader.line + 1
    try:
        connection.check_constraints(table_names=[table.name])
    except DatabaseError as error:
        raise BackupError(f"{reader.path}: table {table.name}: {error}") from error


def restore(
    path: str | os.PathLike, *, report: Callable[[str], None] = lambda line: None
) -> Restored:
    """Load the backup at `path` into this empty, migrated database, and rebuild the index.

    The files it carries go into the media storage; if anything is refused, the rows go with
    the transaction and the files written so far are deleted.
    """
    path = Path(path)
    with Reader.open(path) as reader:
        manifest = _manifest(reader)
        listed = _check_database(manifest, path)
        keys = natural_keys()
        quote = connection.ops.quote_name
        storage = carried.storage_for([table for table, _ in listed])
        written: list[str] = []
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    for label in MADE_BY_MIGRATIONS:
                        table = next(t for t, _ in listed if t.label == label)
                        cursor.execute(f"DELETE FROM {quote(table.name)}")
                for table, entry in listed:
                    _load_table(reader, table, entry["rows"], keys)
                    report(f"{table.name}: {entry['rows']} rows")
                if manifest["version"] > 1:
                    if reader.next() != {"files": manifest["files"]["count"]}:
                        raise BackupError(
                            f"{reader.where}: more rows than the manifest's count, or the "
                            "files do not start here."
                        )
                    written = carried.restore_files(
                        reader.next, lambda: reader.where, manifest["files"], storage
                    )
                    report(f"files: {manifest['files']['count']} ({len(written)} written)")
                if reader.next() is not None:
                    raise BackupError(f"{reader.where}: more lines than the manifest counts.")
                set_last_ids(
                    [table for table, _ in listed],
                    {entry["table"]: entry["last_id"] or 0 for _, entry in listed},
                )
                # Past any number the database backed up reached: caches keyed by it start afresh.
                generation.start_afresh()
                index = reindex()
                report(f"copied-text index rebuilt: {index.items} items, {index.rows} fingerprints")
        except BaseException:
            for name in written:
                storage.delete(name)
            raise
    return Restored(
        tables=len(listed),
        rows=sum(entry["rows"] for _, entry in listed),
        index=index,
        files=len(written),
    )
