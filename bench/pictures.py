"""Pictures benchmark: ingest agency photos, make their renditions, serve them.

    .venv/bin/python bench/pictures.py [--pictures 20] [--width 3000] [--height 2000]

On a fresh SQLite file and a fresh media folder (both temporary), builds N JPEG photos of the
given size with an XMP packet and an IPTC IIM record, as agencies send them, then times: ingest
of each file (read, decode, metadata, rights, store), a ninjs story with its photo beside it
against the same story alone (and the queries the first takes), the first making of each
rendition (every served width, JPEG and WebP), and serving a rendition already made (the policy
asked, the file read). Reported as the median and the 95th percentile, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def summary(name: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    median = statistics.median(ordered) * 1000
    return f"{name:<34} n={len(ordered):<4} median {median:8.1f} ms   p95 {p95 * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=20)
    parser.add_argument("--width", type=int, default=3000)
    parser.add_argument("--height", type=int, default=2000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-pictures-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.ingest.loader import Ingest
    from articles.models import Source
    from pictures.models import Picture
    from pictures.renditions import KINDS, rendition
    from tests.pictures.files import iim, picture, xmp_packet

    call_command("migrate", verbosity=0)
    desk = Source.objects.create(name="Our Photo Desk", slug="desk", kind=Source.Kind.STAFF)
    files = []
    for n in range(args.pictures):
        packet = xmp_packet(
            rights=f"© 2026 Our Photo Desk {n}",
            creators=("Ann Lens",),
            credit="Our Photo Desk",
            title=f"Harbour {n}",
            document_id=f"xmp.did:bench-{n}",
        )
        record = iim((2, 80, "Ann Lens"), (2, 110, "Our Photo Desk"), (2, 5, f"Harbour {n}"))
        colour = (n * 37 % 255, 90, 160)
        data = picture(size=(args.width, args.height), xmp=packet, iptc=record, colour=colour)
        path = folder / f"photo-{n}.jpg"
        path.write_bytes(data)
        files.append(path)
    size = sum(p.stat().st_size for p in files) / len(files)
    print(f"{args.pictures} JPEG photos of {args.width}x{args.height}, {size / 1024:.0f} KiB each")

    ingest_times = []
    for path in files:
        start = time.perf_counter()
        [report] = list(Ingest(source=desk, publish=True).paths([path]))
        ingest_times.append(time.perf_counter() - start)
        assert report.status == "created" and report.published, report
    print(summary("ingest one photo (and publish)", ingest_times))

    # A ninjs story with its photo beside it (an association whose href names the file), against
    # the same story alone: what bringing the picture costs, in time and queries.
    brought, alone, queries, alone_queries = [], [], [], []
    for n in range(args.pictures):
        story = folder / f"story-{n}"
        story.mkdir()
        data = picture(size=(args.width, args.height), colour=(n * 53 % 255, 140, 60))
        (story / "photo.jpg").write_bytes(data)
        item = {
            "uri": f"urn:bench:story:{n}",
            "headline": f"Harbour story {n}",
            "body_html": "<p>The harbour reopened on Monday.</p>",
            "associations": {
                "featureimage": {
                    "uri": f"urn:bench:photo:{n}",
                    "type": "picture",
                    "copyrightnotice": "© 2026 Our Photo Desk",
                    "renditions": {"original": {"href": "photo.jpg"}},
                }
            },
        }
        (story / "story.json").write_text(json.dumps(item))
        (folder / f"plain-{n}.json").write_text(
            json.dumps({**item, "uri": f"urn:bench:plain:{n}", "associations": {}})
        )
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            reports = list(Ingest(source=desk, publish=True).paths([story]))
        brought.append(time.perf_counter() - start)
        queries.append(len(captured))
        assert [r.status for r in reports] == ["created", "created"], reports
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            list(Ingest(source=desk, publish=True).paths([folder / f"plain-{n}.json"]))
        alone.append(time.perf_counter() - start)
        alone_queries.append(len(captured))
    print(summary("ingest a story alone (and publish)", alone))
    print(summary("ingest a story with its photo", brought))
    for name, counts in [("alone", alone_queries), ("with its photo", queries)]:
        print(f"{'queries for a story ' + name:<34} median {statistics.median(counts):.0f}")

    pictures = list(Picture.objects.select_related("source"))
    for ext in KINDS:
        for width in pictures[0].widths:
            made = []
            for item in pictures:
                start = time.perf_counter()
                rendition(item, width=width, ext=ext)
                made.append(time.perf_counter() - start)
            print(summary(f"make a {width}-wide {ext} rendition", made))

    client = Client()
    served = []
    for item in pictures:
        for ext in KINDS:
            start = time.perf_counter()
            response = client.get(item.rendition_url(640, ext))
            served.append(time.perf_counter() - start)
            assert response.status_code == 200
    print(summary("serve a rendition already made", served))


if __name__ == "__main__":
    main()
