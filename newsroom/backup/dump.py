"""Write a backup: every kept table, from one consistent snapshot, to one gzip'd JSON-lines file.

The first line is the manifest: the format, the schema (each app's latest migration), for each
table its columns, its number of rows and the last id its counter gave out, and the number and
size of the files rows name. Then each table in turn: a line naming it, and a JSON array per row
in column order; then the files (`newsroom.backup.files`). Rows are read in chunks and
written as they come, so memory stays flat however large the archive.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from newsroom.backup import files as carried
from newsroom.backup.tables import (
    FORMAT,
    LEFT_OUT,
    VERSION,
    BackupError,
    Table,
    as_json,
    last_ids,
    named_by_key,
    natural_keys,
    schema,
    tables,
    unapplied,
)

CHUNK = 2000  # rows fetched at a time


@contextlib.contextmanager
def snapshot() -> Iterator[None]:
    """Read every table as of one moment, while others go on writing."""
    if connection.in_atomic_block:
        yield  # inside the caller's transaction (a test's, a shell's), which is their snapshot
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # Django begins SQLite transactions IMMEDIATE here, taking the write lock for as long as the
    # backup runs; a deferred one only reads, and in WAL mode writers go on beside it.
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            cursor.execute("COMMIT")


def _lines(table: Table, keys: dict) -> Iterator[str]:
    names = {
        position: keys[target]
        for position, field in enumerate(table.fields)
        if (target := named_by_key(field))
    }
    for row in table.rows.iterator(chunk_size=CHUNK):
        if names:
            row = [
                names[i][value] if i in names and value is not None else value
                for i, value in enumerate(row)
            ]
        yield json.dumps(row, default=as_json, separators=(",", ":"))


def backup(path: str | os.PathLike, *, report: Callable[[str], None] = lambda line: None) -> dict:
    """Write every kept table to `path` and return the manifest.

    The file appears at `path` only once complete: it is written beside it and renamed.
    """
    path = Path(path)
    partial = path.with_name(f"{path.name}.partial")
    try:
        with snapshot():
            if missing := unapplied():
                raise BackupError(
                    f"This database lacks migrations ({', '.join(missing)}): run "
                    "`manage.py migrate`, then back up."
                )
            kept = tables()
            last = last_ids(kept)
            files = carried.stored(kept)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "written_at": timezone.now().isoformat(),
                "database": connection.vendor,
                "schema": schema(),
                "left_out": LEFT_OUT,
                "tables": [
                    {
                        "table": table.name,
                        "model": table.label,
                        "columns": table.columns,
                        "rows": table.model._base_manager.count(),
                        "last_id": last.get(table.name),
                    }
                    for table in kept
                ],
                "files": carried.manifest_entry(files),
            }
            keys = natural_keys()
            with gzip.open(partial, "wt", encoding="ascii", compresslevel=6, newline="\n") as out:
                out.write(json.dumps(manifest) + "\n")
                for table, entry in zip(kept, manifest["tables"], strict=True):
                    out.write(json.dumps({"table": table.name}) + "\n")
                    written = 0
                    for line in _lines(table, keys):
                        out.write(line + "\n")
                        written += 1
                    if written != entry["rows"]:
                        raise BackupError(
                            f"{table.name} changed while it was read ({entry['rows']} rows "
                            f"counted, {written} read): back up again outside a transaction."
                        )
                    report(f"{table.name}: {written} rows")
                out.write(json.dumps({"files": manifest["files"]["count"]}) + "\n")
                for line in carried.lines(files):
                    out.write(line + "\n")
                report(f"files: {manifest['files']['count']} ({manifest['files']['bytes']} bytes)")
                for name in manifest["files"]["missing"]:
                    report(f"file missing from the media folder, not backed up: {name}")
        os.replace(partial, path)
    except OSError as error:
        raise BackupError(f"{path}: cannot be written ({error.strerror or error}).") from error
    finally:
        partial.unlink(missing_ok=True)
    return manifest
