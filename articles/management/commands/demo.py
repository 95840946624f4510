"""`manage.py demo`: idempotent demo content that shows what Newsroom does with rights.

Staff stories (all four rights), an agency whose copy reserves all rights, an agency we hold a
licence with, one whose usage terms need a rights manager, and a Creative Commons source. Wire
copy goes through the real ingest, and every item is offered to the publish gate.

Lead pictures: staff photos (ours on every channel) and an agency photo licensed to our print
edition only, whose own notice forbids publication: its story is on the site without it, and
the desk says why. They are painted by `pictures.demo`, with their rights written in the files,
and read back through the same ingest as a wire photo.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.ingest.loader import Ingest
from articles.models import Article, Licence, Section, Source
from pictures.demo import PHOTOS, jpeg

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
        self.stories: dict[str, int] = {}  # the story file's name: the article it made
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
        for path in sorted((DEMO / "wire").glob("*.txt")):
            source = wire[next(key for key in wire if path.name.startswith(key))]
            self._ingest(
                Ingest(source=source, publish=True),
                path,
                sections[WIRE_SECTIONS[path.name]],
                counts,
                held,
            )
        # The staff stories last, the pictured ones last of all: the newest lead the front page,
        # a staff photo above the lead story.
        for path in sorted((DEMO / "staff").glob("*.txt"), key=staff_order):
            self._ingest(
                Ingest(source=staff, publish=True),
                path,
                sections[STAFF_SECTIONS[path.name]],
                counts,
                held,
            )
        self._photos(staff, wire["open-commons"], counts, held)
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo content: {summary}."))
        if held:
            self.stdout.write(
                f"{len(held)} wire items are held back on purpose: each is a rights rule at "
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
                self.stories[path.name] = report.id
                Article.objects.filter(pk=report.id, section=None).update(section=section)
            if report.refused:
                held.append((report.headline, gist(report.refused[0])))

    def _photos(self, staff: Source, agency: Source, counts, held) -> None:
        """Paint the demo photos, ingest them as files, and make each its story's lead."""
        with tempfile.TemporaryDirectory(prefix="newsroom-demo-") as folder:
            for photo in PHOTOS:
                path = Path(folder) / photo.name
                path.write_bytes(jpeg(photo))
                source = staff if photo.credit.endswith("The Newsroom") else agency
                for report in Ingest(source=source, publish=True, format="picture").paths([path]):
                    key = f"{report.status} picture"
                    counts[key] = counts.get(key, 0) + 1
                    if report.refused:
                        held.append((f"Photo “{report.headline}”", gist(report.refused[0])))
                    story = self.stories.get(photo.story)
                    if report.id is not None and story is not None:
                        # Through save(), as the desk sets it: the page's caches are told.
                        article = Article.objects.get(pk=story)
                        if article.lead_picture_id != report.id:
                            article.lead_picture_id = report.id
                            article.save(update_fields=["lead_picture"])


def staff_order(path: Path) -> tuple[int, str]:
    """Unpictured stories first, then the pictured ones in the reverse of `PHOTOS`' order, so
    that the first photo's story is the newest."""
    pictured = [photo.story for photo in PHOTOS]
    if path.name not in pictured:
        return (0, path.name)
    return (1 + len(pictured) - pictured.index(path.name), path.name)


def gist(reason: str, *, limit: int = 90) -> str:
    """A refusal's point, without the notice it quotes: "Meridian Press Agency's notice forbids
    publication", "Its rights are not settled"."""
    point = reason.split(" (“")[0].split(": ")[0].rstrip(".")
    if len(point) > limit:
        point = point[:limit].rsplit(" ", 1)[0] + "…"
    return point + "."
