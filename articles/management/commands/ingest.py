"""`manage.py ingest`: read wire files into articles, reporting each item; with `--watch`, a drop
folder read as files arrive (`articles.ingest.watch`)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.ingest import FORMATS, watch
from articles.ingest.loader import Ingest, ItemReport
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
        parser.add_argument(
            "--watch",
            action="store_true",
            help="Watch PATH, a drop folder: read each file as it settles, then move it to "
            "done/ or failed/ beside its report. SIGTERM or SIGINT stop it after the current file.",
        )
        parser.add_argument(
            "--once", action="store_true", help="With --watch: read what is there, then exit."
        )
        parser.add_argument(
            "--time-limit",
            type=float,
            default=watch.TIME_LIMIT,
            metavar="SECONDS",
            help=f"With --watch: the longest one file may take (default {watch.TIME_LIMIT:g}).",
        )

    def handle(self, *args, **options):
        source = self._source(options["source"])
        missing = [p for p in options["paths"] if not _exists(p)]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}", returncode=2)
        if options["watch"]:
            return self._watch(options)
        if options["once"]:
            raise CommandError("--once goes with --watch.", returncode=2)
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

    def _source(self, slug: str | None) -> Source | None:
        if not slug:
            return None
        source = Source.objects.prefetch_related("licences").filter(slug=slug).first()
        if source is None:
            raise CommandError(f"No source with slug “{slug}”.", returncode=2)
        try:
            _ = source.zone
        except ValidationError as exc:
            raise CommandError(f"Source “{slug}”: {exc.messages[0]}", returncode=2) from None
        return source

    def _watch(self, options) -> None:
        """Watch one folder until stopped (or, with --once, read what is there)."""
        if len(options["paths"]) != 1 or not Path(options["paths"][0]).is_dir():
            raise CommandError("--watch takes one folder.", returncode=2)
        if options["dry_run"]:
            raise CommandError("--watch stores what it reads: no --dry-run.", returncode=2)

        def make_run() -> Ingest:
            # Read the source again for each file: its settings may change while we watch.
            return Ingest(
                source=self._source(options["source"]),
                format=options["format"],
                publish=options["publish"],
            )

        def on_file(outcome: watch.Outcome) -> None:
            if options["json"]:
                self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
                return
            line = f"{outcome.outcome:6} {outcome.moved_to}  ({len(outcome.items)} items)"
            if outcome.reason:
                line += f": {outcome.reason}"
            self.stdout.write(self.style.ERROR(line) if outcome.reason else line)
            for item in outcome.items:
                self._say(ItemReport(**item))

        watcher = watch.Watcher(
            options["paths"][0],
            make_run=make_run,
            on_file=on_file,
            limit=options["time_limit"] or None,
        )
        (self.stderr if options["json"] else self.stdout).write(
            f"Watching {watcher.folder} (done/, failed/, processing/ inside it)"
            + ("" if options["once"] else "; SIGTERM or Ctrl-C stops it after the current file.")
        )
        try:
            watcher.run(once=options["once"])
        except watch.WatchError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _say(self, report) -> None:
        if report.status == "error":
            self.stdout.write(self.style.ERROR(f"error  {report.error}"))
            return
        if report.status == "skipped":
            self.stdout.write(f"skipped  {report.error}")
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
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"          warning: {warning}"))


def _exists(path: str) -> bool:
    return Path(path).exists()
