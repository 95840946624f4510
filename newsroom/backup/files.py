"""The files a backup carries: every file a kept row's `FileField` names (a picture's original).

They follow the tables in the same file, each as a line naming it and its size, its bytes as
base64 lines of at most `CHUNK` bytes (so memory stays flat whatever a file's size), and a line
with its SHA-256, which restore checks before the file is written. Derived files (renditions,
made again on demand) are not carried: no row names them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import Storage
from django.db import models

from newsroom.backup.tables import BackupError, Table

CHUNK = 768 * 1024  # raw bytes a line: 1 MiB of base64


@dataclass(frozen=True)
class Stored:
    name: str
    storage: Storage
    size: int | None  # None: the row names a file the storage does not hold


def _file_fields(table: Table) -> list[models.FileField]:
    return [field for field in table.fields if isinstance(field, models.FileField)]


def stored(kept: list[Table]) -> list[Stored]:
    """Each file a kept row names, once, with its size as the storage has it now."""
    found: dict[tuple[int, str], Stored] = {}
    for table in kept:
        for field in _file_fields(table):
            names = (
                table.model._base_manager.exclude(**{field.attname: ""})
                .order_by("pk")
                .values_list(field.attname, flat=True)
            )
            for name in names.iterator():
                key = (id(field.storage), name)
                if key not in found:
                    size = field.storage.size(name) if field.storage.exists(name) else None
                    found[key] = Stored(name, field.storage, size)
    return list(found.values())


def manifest_entry(files: list[Stored]) -> dict:
    return {
        "count": sum(1 for file in files if file.size is not None),
        "bytes": sum(file.size or 0 for file in files),
        "missing": sorted(file.name for file in files if file.size is None),
    }


def lines(files: list[Stored]) -> Iterator[str]:
    """The files' lines, in the order `manifest_entry` counted them; missing ones left out."""
    for file in files:
        if file.size is None:
            continue
        yield json.dumps({"file": file.name, "bytes": file.size})
        digest, written = hashlib.sha256(), 0
        with file.storage.open(file.name, "rb") as source:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                written += len(chunk)
                yield json.dumps(base64.b64encode(chunk).decode("ascii"))
        if written != file.size:
            raise BackupError(
                f"{file.name}: changed while it was read ({file.size} bytes, then {written}): "
                "back up again."
            )
        yield json.dumps({"sha256": digest.hexdigest()})


def storage_for(kept: list[Table]) -> Storage:
    """The storage restored files go to: the one the kept file fields share."""
    storages = {id(field.storage): field.storage for t in kept for field in _file_fields(t)}
    if len(storages) > 1:
        raise BackupError("The file fields use different storages: restore cannot tell which.")
    if not storages:
        from django.core.files.storage import default_storage

        return default_storage
    return next(iter(storages.values()))


def restore_files(
    next_line: Callable[[], object], where: Callable[[], str], entry: dict, storage: Storage
) -> list[str]:
    """Write the backup's files into `storage`; return the names written (for undoing).

    A name the storage already holds is left alone if it holds the same bytes, and refused if
    it holds others; a file whose bytes do not match its size and hash is refused.
    """
    written: list[str] = []
    try:
        for n in range(1, entry["count"] + 1):
            header = next_line()
            if not (
                isinstance(header, dict)
                and isinstance(header.get("file"), str)
                and isinstance(header.get("bytes"), int)
            ):
                raise BackupError(f"{where()}: file {n} of {entry['count']} should start here.")
            name, size = header["file"], header["bytes"]
            if name.startswith("/") or ".." in name.split("/"):
                raise BackupError(f"{where()}: file {name}: a name outside the media folder.")
            digest = hashlib.sha256()
            with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
                while isinstance(line := next_line(), str):
                    try:
                        chunk = base64.b64decode(line, validate=True)
                    except ValueError as error:
                        raise BackupError(f"{where()}: file {name}: not base64.") from error
                    digest.update(chunk)
                    spool.write(chunk)
                if not isinstance(line, dict) or "sha256" not in line:
                    raise BackupError(f"{where()}: file {name}: its bytes end without a hash.")
                if spool.tell() != size or line["sha256"] != digest.hexdigest():
                    raise BackupError(
                        f"{where()}: file {name}: damaged ({spool.tell()} bytes of {size}, or "
                        "a hash that does not match)."
                    )
                if storage.exists(name):
                    if _sha256(storage, name) != digest.hexdigest():
                        raise BackupError(
                            f"file {name}: the media folder already holds a different file "
                            "under this name: move it away, then restore."
                        )
                    continue
                spool.seek(0)
                saved = storage.save(name, File(spool, name=name))
                written.append(saved)
                if saved != name:
                    raise BackupError(f"file {name}: the storage saved it as {saved}.")
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return written


def _sha256(storage: Storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as existing:
        while chunk := existing.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
