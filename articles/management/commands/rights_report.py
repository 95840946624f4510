"""List the embargoes lifting, publications scheduled, rights expiring and rights windows
opening in the coming days."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from articles.workflow import rights_report


class Command(BaseCommand):
    help = (
        "Report embargoes lifting, scheduled publications, rights expiring and rights windows "
        "opening in the next days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="How many days ahead (default 7).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        days = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1.", returncode=2)
        report = rights_report(days=days)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(
            f"From {report.start:%Y-%m-%d %H:%M} to {report.end:%Y-%m-%d %H:%M} UTC ({days} day(s))"
        )
        for heading, moments in [
            ("Embargoes lifting", report.embargoes),
            ("Scheduled publications", report.scheduled),
            ("Rights expiring", report.expiries),
            ("Rights windows opening", report.openings),
        ]:
            self.stdout.write(f"\n{heading}: {len(moments)}")
            for moment in moments:
                article = moment.article
                self.stdout.write(
                    f"  {moment.at:%Y-%m-%d %H:%M}  #{article.pk}  {article.headline}  "
                    f"({article.source.name}, {article.get_status_display().lower()})"
                )
