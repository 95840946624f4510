"""`manage.py ingest`: read wire files into articles, reporting each item."""

from __future__ import annotations

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from articles.ingest import FORMATS
from articles.ingest.loader import Ingest
from articles.models import Source


class Command(BaseCommand):
    help = (
        "Ingest wire files or folders (plain text, ninjs, NewsML-G2, NITF). Exit 0 when every "
        "item succeeded, 1 when any failed (the others are still stored), 2 on bad usage."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or folders.")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS])
        parser.add_argument("--source", metavar="SLUG", help="The source every item comes from.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish each item whose rights allow it."
        )
        parser.add_argument("--json", action="store_true", help="One JSON object per item.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and check everything; store nothing."
        )

    def handle(self, *args, **options):
        source = None
        if options["source"]:
            source = (
                Source.objects.prefetch_related("licences").filter(slug=options["source"]).first()
            )
            if source is None:
                raise CommandError(f"No source with slug “{options['source']}”.", returncode=2)
        missing = [p for p in options["paths"] if not _exists(p)]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}", returncode=2)
        run = Ingest(
            source=source,
            format=options["format"],
            publish=options["publish"],
            dry_run=options["dry_run"],
        )
        counts: dict[str, int] = {}
        files, last_path = 0, None
        started = last_progress = time.monotonic()
        for n, report in enumerate(run.paths(options["paths"]), 1):
            if report.path != last_path:  # a file's items come together
                files, last_path = files + 1, report.path
            counts[report.status] = counts.get(report.status, 0) + 1
            if options["json"]:
                self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
            else:
                self._say(report)
            if time.monotonic() - last_progress > 5:
                last_progress = time.monotonic()
                self.stderr.write(f"… {n} items from {files} files so far")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
        prefix = "Dry run: nothing stored. " if options["dry_run"] else ""
        (self.stderr if options["json"] else self.stdout).write(
            f"{prefix}{files} files, {summary or 'no items'} in {elapsed:.1f} s."
        )
        if counts.get("error"):
            sys.exit(1)

    def _say(self, report) -> None:
        if report.status == "error":
            self.stdout.write(self.style.ERROR(f"error  {report.error}"))
            return
        line = f"{report.status:9} {report.url}  {report.headline}"
        if report.published:
            line += "  [published]"
        self.stdout.write(line)
        if report.zone_assumed:
            fields = ", ".join(report.zone_assumed)
            self.stdout.write(f"          times without a zone read as {report.zone}: {fields}")
        for reason in report.refused:
            self.stdout.write(self.style.WARNING(f"          refused: {reason}"))


def _exists(path: str) -> bool:
    from pathlib import Path

    return Path(path).exists()
