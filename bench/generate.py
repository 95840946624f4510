"""Archive generator: a migrated database filled with ten years of a newsroom's stories.

    .venv/bin/python bench/generate.py --articles 1000000
        --database-url postgres://postgres@127.0.0.1:5432/newsroom_bench [--seed 2026]
        [--batch 5000] [--trail-share 0.1] [--fingerprints] [--toast-compression lz4|pglz]

The generator itself is the package `bench/archive/` (its docstring says what the archive holds
and how it is written); this script runs its command line, and names what the tests use.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The project first: run as `python bench/generate.py`, this folder (whose copycheck.py is a
# bench) would otherwise stand before the project's packages.
sys.path.insert(0, str(ROOT))

from bench.archive.cases import CASES, DECK, Case  # noqa: E402
from bench.archive.command import configure, generate, main, report  # noqa: E402
from bench.archive.rows import Counts, Generator  # noqa: E402
from bench.archive.words import NO_MATCH, SLUG_MAX, WORDS_MAX, WORDS_MIN, body_words  # noqa: E402

__all__ = [
    "CASES",
    "DECK",
    "NO_MATCH",
    "SLUG_MAX",
    "WORDS_MAX",
    "WORDS_MIN",
    "Case",
    "Counts",
    "Generator",
    "body_words",
    "configure",
    "generate",
    "main",
    "report",
]

if __name__ == "__main__":
    sys.exit(main())
