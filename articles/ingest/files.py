"""The files an ingest run reads: those named, and those inside the folders named."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


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
