"""The files an ingest run reads: those named, those inside the folders named, and the members
of a ZIP archive; each read under the size limits, or reported by name."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from articles.ingest import MAX_BYTES, ParseError, bundle
from articles.ingest.picture import MAX_PICTURE_BYTES, kind_of
from articles.ingest.report import ItemReport


def expand(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files named, and the files inside folders named, read lazily in the order the file system
    lists them, so that memory does not grow with the size of a folder. Hidden files are skipped.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                yield from _walk(Path(entry.path))
            elif entry.is_file():
                yield Path(entry.path)


def unpacked(
    files: list[tuple[str, bytes | ItemReport]],
) -> Iterator[tuple[str, bytes | ItemReport]]:
    """The files, a ZIP archive's members in its place (`NAME/MEMBER`)."""
    for name, data in files:
        if isinstance(data, bytes) and bundle.is_zip(data):
            for member, content in bundle.unzip(name, data):
                yield (
                    member,
                    content if isinstance(content, bytes) else failed_file(member, content),
                )
        else:
            yield name, data


def big_enough_to_read(start: bytes) -> bool:
    """Whether a file that begins so may be larger than a story: a picture, a ZIP archive."""
    return bool(kind_of(start)) or bundle.is_zip(start)


def read(path: Path) -> bytes | ItemReport:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES and (size > MAX_PICTURE_BYTES or not big_enough_to_read(head(path))):
            return failed_file(name, f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        return path.read_bytes()
    except OSError as exc:
        return failed_file(name, f"cannot read: {exc.strerror or exc}")


def head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(12)


def failed_file(name: str, error: ParseError | str) -> ItemReport:
    message = str(error)
    return ItemReport.failed(name, message if name and name in message else f"{name}: {message}")
