"""The page bench runs over a generated archive: every address answers 200, each is timed and
its queries counted, its JSON file is written, and it leaves the data as it found it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session

from articles.models import Article
from bench import pages

pytestmark = pytest.mark.django_db


def test_the_page_bench_times_every_address_and_writes_its_json(archive, tmp_path):
    path = tmp_path / "pages.json"
    before = (Article.objects.count(), User.objects.count(), Session.objects.count())
    # Django is set up already: the bench times the test database, whatever URL it is given.
    argv = ["--database-url", "sqlite://", "--requests", "2", "--json", str(path)]
    assert pages.main(argv) == 0
    result = json.loads(path.read_text())
    names = [page["name"] for page in result["pages"]]
    for wanted in ("front page", "article, latest", "section, biggest", "search, no match",
                   "RSS", "Atom", "sitemap index", "news sitemap", "API list", "API item",
                   "desk: article list", "desk: publishable now", "desk: search"):  # fmt: skip
        assert wanted in names
    for page in result["pages"]:
        assert page["status"] == 200, page["name"]
        assert page["queries"] > 0 and page["requests"] == 2, page["name"]
        assert 0 < page["median_ms"] <= page["p95_ms"], page["name"]
    assert result["articles"] == before[0]
    # The superuser it signed in as, and its sessions, were rolled back with the rest.
    assert (Article.objects.count(), User.objects.count(), Session.objects.count()) == before
