"""`manage.py demo`: idempotent demo content that shows what Newsroom does with rights.

Staff stories (all four rights), an agency whose copy reserves all rights, an agency we hold a
licence with, one whose usage terms need a rights manager, and a Creative Commons source. Wire
copy goes through the real ingest, and every item is offered to the publish gate.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.ingest.loader import Ingest
from articles.models import Article, Licence, Section, Source

DEMO = Path(__file__).resolve().parents[2] / "demo"

SECTIONS = ["News", "Business", "World", "Culture", "Sport", "Science"]
STAFF_SECTIONS = {
    "council-budget.txt": "News",
    "river-cleanup.txt": "News",
    "startup-hiring.txt": "Business",
    "theatre-review.txt": "Culture",
    "cup-final.txt": "Sport",
    "heat-pumps.txt": "Science",
}
WIRE_SOURCES = {
    "meridian": ("Meridian Press Agency", "meridian-press-agency", "Meridian"),
    "northern-wire": ("Northern Wire", "northern-wire", "Northern Wire"),
    "harbour-news": ("Harbour News Service", "harbour-news-service", "Harbour News"),
    "open-commons": ("Open Commons News", "open-commons-news", "Open Commons"),
}
WIRE_SECTIONS = {
    "meridian-port-strike.txt": "World",
    "meridian-central-bank.txt": "Business",
    "northern-wire-ferry.txt": "News",
    "northern-wire-library.txt": "Culture",
    "harbour-news-festival.txt": "Culture",
    "open-commons-reef.txt": "Science",
}


class Command(BaseCommand):
    help = "Load demo content (safe to run again: nothing is duplicated)."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        sections = {
            name: Section.objects.get_or_create(
                slug=name.lower(), defaults={"name": name, "position": position}
            )[0]
            for position, name in enumerate(SECTIONS)
        }
        staff, _ = Source.objects.get_or_create(
            slug="the-newsroom",
            defaults={"name": "The Newsroom", "kind": Source.Kind.STAFF, "credit_line": "Staff"},
        )
        wire = {
            key: Source.objects.get_or_create(
                slug=slug, defaults={"name": name, "credit_line": credit}
            )[0]
            for key, (name, slug, credit) in WIRE_SOURCES.items()
        }
        Licence.objects.get_or_create(
            source=wire["northern-wire"],
            reference="NW-2026-014",
            defaults={
                "grants_publish": True,
                "grants_broadcast": True,
                "grants_redistribute": False,
                "valid_from": now - datetime.timedelta(days=200),
                "valid_until": now + datetime.timedelta(days=165),
                "notes": "Regional news package: web and newsletter, no syndication.",
            },
        )
        counts: dict[str, int] = {}
        held: list[tuple[str, str]] = []
        for path in sorted((DEMO / "staff").glob("*.txt")):
            self._ingest(
                Ingest(source=staff, publish=True),
                path,
                sections[STAFF_SECTIONS[path.name]],
                counts,
                held,
            )
        for path in sorted((DEMO / "wire").glob("*.txt")):
            source = wire[next(key for key in wire if path.name.startswith(key))]
            self._ingest(
                Ingest(source=source, publish=True),
                path,
                sections[WIRE_SECTIONS[path.name]],
                counts,
                held,
            )
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo content: {summary}."))
        if held:
            self.stdout.write(
                f"{len(held)} wire stories are held back on purpose: each is a rights rule at "
                "work, as the desk explains when you open it."
            )
            for headline, reason in held:
                self.stdout.write(f"  · {headline}: {reason}")

    def _ingest(
        self,
        run: Ingest,
        path: Path,
        section: Section,
        counts: dict[str, int],
        held: list[tuple[str, str]],
    ) -> None:
        for report in run.paths([path]):
            counts[report.status] = counts.get(report.status, 0) + 1
            if report.id is not None:
                Article.objects.filter(pk=report.id, section=None).update(section=section)
            if report.refused:
                held.append((report.headline, gist(report.refused[0])))


def gist(reason: str, *, limit: int = 90) -> str:
    """A refusal's point, without the notice it quotes: "Meridian Press Agency's notice forbids
    publication", "Its rights are not settled"."""
    point = reason.split(" (“")[0].split(": ")[0].rstrip(".")
    if len(point) > limit:
        point = point[:limit].rsplit(" ", 1)[0] + "…"
    return point + "."
