"""A small generated archive: one deal of the generator's deck of 200 cases, in four batches."""

from __future__ import annotations

import pytest

from bench.generate import DECK, Generator, generate


@pytest.fixture
def archive(db) -> Generator:
    """The generator's archive of 200 items in the test database, batches of 64 (the last short)."""
    return generate(articles=DECK, seed=7, batch=64, fingerprints=True, progress=False)
