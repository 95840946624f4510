"""What the reservation from text and data mining costs an item: `is_reserved()` and the page's
`declaration()`, in microseconds a call, on an agency item whose stored terms are read each time
(as the article page, its JSON-LD and a ninjs item read them). No database: the rule makes no
query.

    .venv/bin/python bench/reservations.py [--calls 20000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import timeit
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from articles import reservations
    from articles.notices import CopyTerms, parse_notice

    class Stored:
        def __init__(self, notice: str, kind: str):
            self.source = SimpleNamespace(name="Anadolu Agency", kind=kind)
            self.copy_terms = CopyTerms(notice=parse_notice(notice)).as_json()

        @property
        def terms(self) -> CopyTerms:
            return CopyTerms.from_json(self.copy_terms)

    cases = {
        "agency, all rights reserved": Stored(
            "Copyright 2022 Anadolu Agency. All rights reserved. This material may not be "
            "published, broadcast, rewritten, or redistributed.",
            "agency",
        ),
        "partner, CC BY 4.0": Stored("Licensed under CC BY 4.0.", "partner"),
    }
    absolute = "https://news.example".__add__
    for name, case in cases.items():
        for label, call in (
            ("is_reserved", lambda c=case: reservations.is_reserved(c)),
            ("declaration", lambda c=case: reservations.declaration(c, absolute=absolute)),
        ):
            best = min(timeit.repeat(call, number=args.calls, repeat=args.repeats)) / args.calls
            print(f"{name}: {label} {best * 1e6:.1f} µs a call")


if __name__ == "__main__":
    main()
