"""Shared fixtures: sources, licences and articles in every state the rules distinguish."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from articles.models import Article, Licence, Source
from articles.rights import Right
from security import second_factor
from tests.factories import (
    AA_NOTICE,
    MERIDIAN_NOTICE,
    WIRE,
    Catalogue,
    make_catalogue,
    make_public_site,
    with_second_factor,
)

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(user)` signs in all the way: with the code too, for whoever is asked
    for one. Tests of the sign-in steps themselves go through the login page instead."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if second_factor.asked_of(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = with_second_factor(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(scope="session", autouse=True)
def flush_may_empty_the_audit_log() -> Iterator[None]:
    """Let pytest-django's flush between transactional tests empty the test database's audit log.

    The log's triggers refuse TRUNCATE and DELETE, so `flush` refuses everywhere else. Here, and
    inside the flush's own transaction, the triggers are lifted and put back: on PostgreSQL by
    `ALTER TABLE … DISABLE TRIGGER USER`, which only the table's owner may run (and the owner
    could drop them anyway), and whose lock keeps every other session out until the triggers
    are back; on SQLite, which has no roles, by dropping them and making them again from the
    schema's own text. It is the backend's class that learns this, so every connection does.
    """
    operations = type(connection.ops)
    original = operations.execute_sql_flush
    table = "articles_auditentry"

    def execute_sql_flush(self, sql_list):
        database = self.connection
        with transaction.atomic(using=database.alias), database.cursor() as cursor:
            if database.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
                original(self, sql_list)
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                return
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
            triggers = cursor.fetchall()
            for name, _ in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
            original(self, sql_list)
            for _, sql in triggers:
                cursor.execute(sql)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(operations, "execute_sql_flush", execute_sql_flush)
        yield


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


@pytest.fixture
def desk(make_source) -> Source:
    """The newsroom's own desk: a staff source, whose copy is ours for good unless a rights
    manager withholds a right."""
    return make_source("The Newsroom", kind=Source.Kind.STAFF)


@pytest.fixture
def staff_story(make_article, desk):
    """Make a published story of the desk's own whose body is `text`; `fields` change the rest."""

    def make(text: str, **fields) -> Article:
        fields = {"headline": "Local shops feel the squeeze", **fields}
        return make_article(source=desk, body=f"<p>{text}</p>", **fields)

    return make


@pytest.fixture
def wire(make_article, make_source) -> Article:
    """Agency copy whose text we may neither rewrite nor publish: protected copy, of `WIRE`."""
    return make_article(
        source=make_source("Meridian Press Agency"),
        headline="Central bank holds rates",
        body=f"<p>{WIRE}</p>",
        may_rewrite=False,
        may_publish=False,
        copyright_notice=MERIDIAN_NOTICE,
    )


@pytest.fixture
def restricted(make_article, make_source) -> Article:
    """An Anadolu Agency draft whose notice forbids publication; its other rights are granted."""
    return make_article(
        source=make_source("Anadolu Agency"),
        headline="Restricted wire story",
        status="draft",
        published_at=None,
        may_publish=False,
        copyright_holder="Anadolu Agency",
        copyright_notice=AA_NOTICE,
        rights_basis={"publish": "notice"},
    )


@pytest.fixture
def catalogue(make_article, make_source, now) -> Catalogue:
    """The partner channels' visible item and its hidden twins: see `make_catalogue()`."""
    return make_catalogue(make_article, make_source, now=now)


@pytest.fixture
def public_site(make_article, make_source) -> SimpleNamespace:
    """Stories behind an address of every public URL pattern: see `make_public_site()`."""
    return make_public_site(make_article, make_source)
