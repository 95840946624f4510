"""The search bench runs over a generated archive: each of its three searches, public and desk,
is timed and finds what the archive holds."""

from __future__ import annotations

import re

import pytest

from bench import search

pytestmark = pytest.mark.django_db


def test_the_search_bench_times_the_public_and_the_desk_search_for_each_term(archive, capsys):
    # Django is set up already: the bench times the test database, whatever URL it is given.
    assert search.main(["--database-url", "sqlite://", "--requests", "2"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("200 articles")
    timed = [re.match(r"(search|desk) +(.+?) +'.*' +(\d+) rows +([\d.]+) / +([\d.]+) ms", line)
             for line in lines[1:]]  # fmt: skip
    assert all(timed) and len(timed) == 6
    found = {(m[1], m[2]): int(m[3]) for m in timed}
    assert found[("search", "common word")] > 0 and found[("desk", "common word")] > 0
    assert found[("search", "no match")] == 0 and found[("desk", "no match")] == 0
    assert all(0 < float(m[4]) <= float(m[5]) for m in timed)
