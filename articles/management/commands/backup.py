"""`manage.py backup PATH`: write everything the site holds to one file (`newsroom.backup`)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write every table (but sessions and the copied-text index, which restore rebuilds) to "
        "PATH, a gzip'd JSON-lines file, from one consistent snapshot."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the file to write (replaced once complete)")
        parser.add_argument("--quiet", action="store_true", help="print only the summary")

    def handle(self, *args, path: str, quiet: bool, **options) -> None:
        started = time.monotonic()
        try:
            manifest = backup(path, report=(lambda line: None) if quiet else self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(entry["rows"] for entry in manifest["tables"])
        files = manifest["files"]
        self.stdout.write(
            f"Backed up {rows} rows of {len(manifest['tables'])} tables and {files['count']} "
            f"files ({files['bytes']} bytes) to {path} in {time.monotonic() - started:.1f} s."
        )
        for name in files["missing"]:
            self.stderr.write(f"Not backed up, missing from the media folder: {name}")
