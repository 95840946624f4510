"""One measured ingest run, in its own process so its peak memory is its own."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from articles.ingest.loader import Ingest  # noqa: E402
from articles.models import Source  # noqa: E402

source = Source.objects.get_or_create(slug="example-wire", defaults={"name": "Example Wire"})[0]
started = time.perf_counter()
counts: dict[str, int] = {}
for report in Ingest(source=source).paths([sys.argv[1]]):
    counts[report.status] = counts.get(report.status, 0) + 1
elapsed = time.perf_counter() - started
items = sum(counts.values())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"items_per_s": items / elapsed, "seconds": elapsed, "peak_mib": peak, **counts}))
