"""`manage.py restore PATH`: load a backup into an empty, migrated database (`newsroom.backup`)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Load a file `backup` wrote into this database, which must be empty and migrated to the "
        "schema the file was written at; then rebuild the copied-text index."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="a file written by `manage.py backup`")
        parser.add_argument("--quiet", action="store_true", help="print only the summary")

    def handle(self, *args, path: str, quiet: bool, **options) -> None:
        started = time.monotonic()
        try:
            done = restore(path, report=(lambda line: None) if quiet else self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {done.rows} rows of {done.tables} tables and {done.files} files from "
            f"{path} in "
            f"{time.monotonic() - started:.1f} s; the copied-text index holds "
            f"{done.index.rows} fingerprints of {done.index.items} items."
        )
