"""Shared fixtures: sources, licences and articles in every state the rules distinguish."""

from __future__ import annotations

import datetime
import itertools
import os

import pytest
from django.utils import timezone

from articles.models import Article, Licence, Source
from articles.rights import Right

_counter = itertools.count(1)

# CI names the services each of its runs must have (NEWSROOM_REQUIRE_SERVICES=chromium,postgresql,
# redis): there a test that would skip for want of one fails instead, so CI runs them all.
REQUIRED = set(filter(None, os.environ.get("NEWSROOM_REQUIRE_SERVICES", "").split(",")))


def need_service(available: bool, reason: str, *, service: str) -> None:
    """Skip with `reason` when `service` is missing, unless this run requires it."""
    if available:
        return
    if service in REQUIRED:
        pytest.fail(f"{reason} (NEWSROOM_REQUIRE_SERVICES names {service}: this run must have it)")
    pytest.skip(reason)


@pytest.fixture
def now() -> datetime.datetime:
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def make_source(db):
    def make(name: str | None = None, *, kind: str = Source.Kind.AGENCY, **fields) -> Source:
        n = next(_counter)
        name = name or f"Agency {n}"
        return Source.objects.create(name=name, slug=f"source-{n}", kind=kind, **fields)

    return make


@pytest.fixture
def make_licence(db):
    def make(source: Source, *rights: Right, **fields) -> Licence:
        grants = {f"grants_{r.value}": True for r in rights}
        fields.setdefault("valid_from", timezone.now() - datetime.timedelta(days=30))
        return Licence.objects.create(source=source, **grants, **fields)

    return make


@pytest.fixture
def make_article(db, make_source):
    """An article that every channel may show, unless the caller says otherwise."""

    def make(**fields) -> Article:
        n = next(_counter)
        if "source" not in fields:
            fields["source"] = make_source(kind=Source.Kind.STAFF)
        defaults = {
            "headline": f"Story number {n}",
            "body": f"<p>Body of story {n}.</p>",
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - datetime.timedelta(hours=1),
            "rights_settled": True,
            **{f"may_{r.value}": True for r in Right},
        }
        if fields["source"].kind == Source.Kind.STAFF:
            defaults["rights_basis"] = dict.fromkeys(Right, "staff")  # as derived for staff copy
        defaults.update(fields)
        return Article.objects.create(**defaults)

    return make
