"""Backup fixtures: a newsroom with something in every table, every table's rows read back for
comparison, and new databases (SQLite files, PostgreSQL databases) that the commands fill."""

from __future__ import annotations

import contextlib
import datetime
import gzip
import io
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.utils import load_backend
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.models import (
    Article,
    AuditEntry,
    Feed,
    FeedPoll,
    Licence,
    OverrideRequest,
    Section,
    Source,
)
from articles.pins import pin
from newsletter.models import Delivery, Digest, Subscriber
from newsroom.backup import backup
from tests.factories import member, need_service
from tests.pictures.files import stored_picture

ROOT = Path(__file__).resolve().parents[2]
_names = itertools.count(1)


def fill() -> None:
    """Put rows in every table a backup keeps, through the paths the site itself takes."""
    call_command("demo", stdout=io.StringIO())
    now = timezone.now()
    editor, manager = member("Editor"), member("Rights manager")
    chief = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw-chief")
    gone = get_user_model().objects.create_user("former", is_active=False, last_login=now)
    gone.user_permissions.add(Permission.objects.get(codename="view_article"))
    night = Group.objects.create(name="Night desk")
    night.permissions.add(Permission.objects.get(codename="view_licence"))
    chief.groups.add(night)

    licence = Licence.objects.get()
    licence._history_user = manager
    licence.valid_until = now + datetime.timedelta(days=90, microseconds=123)
    licence.save()
    refused = Article.objects.filter(may_publish=False).order_by("pk")
    refused[0].override(by=manager, reason="Phone deal with the agency, ref. 7781.")
    refused[1].set_rights(
        by=manager, reason="Cleared for Ireland only.", territories={"IE", "GB"}, may_publish=True
    )
    live = Article.objects.filter(status=Article.Status.PUBLISHED).order_by("pk")
    live[0].withdraw(by=editor, reason="Wrong town in the lead.")
    live[1].kill(by=manager, reason="Court order.")
    pin(live[2], position=1, until=now + datetime.timedelta(hours=2), by=editor)
    AuditEntry.record(
        AuditEntry.Action.INGEST, actor=chief, reason="Zürich – “quoted” ©", detail={"n": [1, 2]}
    )

    # Deleted rows leave ids behind that the counters must never give out again.
    Section.objects.create(name="Gone", slug="gone").delete()
    Article.objects.create(
        source=Source.objects.get(slug="the-newsroom"), headline="Spiked before it ran"
    ).delete()

    # A source's feed, with the state a poller left and the record of its last poll.
    feed = Feed.objects.create(
        source=Source.objects.exclude(slug="the-newsroom").order_by("pk").first(),
        url="https://wire.example/feed.xml",
        etag='W/"a1"',
        failures=1,
        next_poll_at=now + datetime.timedelta(minutes=10),
    )
    FeedPoll.objects.create(
        feed=feed, at=now, http_status=503, error="HTTP 503", duration=datetime.timedelta(0, 1, 5)
    )

    # An editor's request for an override, answered, and one still waiting.
    asker = get_user_model().objects.create_user("asker", email="asker@example.com")
    OverrideRequest.objects.create(
        article=live[0], asked_by=asker, note="Agreed by phone.", state="declined",
        answered_by=chief, answered_at=now, answer="No licence yet.",
    )  # fmt: skip
    OverrideRequest.objects.create(article=live[1], asked_by=asker, note="Please look again.")

    # A picture with its revision and an audit entry, leading a story.
    picture = stored_picture(Source.objects.get(slug="the-newsroom"), creators=["Ann Lens"])
    picture.publish(by=editor)
    Article.objects.filter(pk=live[2].pk).update(lead_picture=picture)

    Subscriber.objects.create(email="reader@example.com")
    Subscriber.objects.create(email="lapsed@example.com", active=False)
    call_command("send_newsletter", stdout=io.StringIO())
    Delivery.objects.create(
        digest=Digest.objects.get(), address="bounce@example.com", attempted_at=now, error="550"
    )
    LogEntry.objects.create(
        user=chief,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(live[2].pk),
        object_repr=live[2].headline,
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Editor\'s note"]}}]',
    )
    session = SessionStore()
    session["signed_in"] = True
    session.create()

    # The desk's sign-in records: a lockout in progress, the failures and sign-ins it logged,
    # and an authenticator app.
    seen = {"user_agent": "Firefox", "ip_address": "192.0.2.7", "http_accept": "text/html"}
    attempt = AccessAttempt.objects.create(
        **seen,
        username="editor",
        path_info="/admin/login/",
        get_data="",
        post_data="username=editor",
        failures_since_start=3,
    )
    AccessAttemptExpiration.objects.create(
        access_attempt=attempt, expires_at=now + datetime.timedelta(minutes=15)
    )
    AccessFailureLog.objects.create(**seen, username="editor", path_info="/admin/login/")
    AccessLog.objects.create(**seen, username="chief", path_info="/admin/login/")
    TOTPDevice.objects.create(user=chief, name="Authenticator app", confirmed=True)


def contents(using: str = "default") -> dict[str, object]:
    """Every table's rows, by primary key, as the ORM reads them.

    Rows that point at a content type or a permission name it (migrate numbers those itself);
    content types and permissions are compared by name; the copied-text index as one set of
    (item, hash, position), whichever of its tables holds a row. The rights generation is left
    out, as a backup leaves it.
    """
    types = {
        pk: (app, model)
        for pk, app, model in ContentType.objects.using(using).values_list(
            "pk", "app_label", "model"
        )
    }
    perms = {
        pk: (codename, types[ct])
        for pk, codename, ct in Permission.objects.using(using).values_list(
            "pk", "codename", "content_type"
        )
    }
    named = {ContentType: types, Permission: perms}
    found: dict[str, object] = {
        "contenttypes": sorted(types.values()),
        "permissions": sorted(perms.values()),
        "index": sorted(
            row
            for table in ("copycheck.fingerprint", "copycheck.recent")
            for row in apps.get_model(table)
            .objects.using(using)
            .values_list("article_id", "hash", "position")
        ),
    }
    for model in apps.get_models(include_auto_created=True):
        if model in named or model._meta.app_label == "copycheck":
            continue
        if model._meta.label_lower == "articles.rightsgeneration":
            continue  # not backed up: a restore starts it afresh (its own test)
        fields = model._meta.concrete_fields
        rows = model._base_manager.using(using).order_by("pk")
        found[model._meta.db_table] = [
            tuple(
                named[field.related_model][value] if field.related_model in named else value
                for field, value in zip(fields, row, strict=True)
            )
            for row in rows.values_list(*(field.attname for field in fields))
        ]
    return found


def manage(url: str, *args: str) -> subprocess.CompletedProcess:
    """Run `manage.py` on the database at `url`, in a process of its own."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def postgresql_url(name: str) -> str:
    """The address of database `name` on the server this run's PostgreSQL database is on."""
    given = connection.settings_dict
    auth = given["USER"] + (f":{given['PASSWORD']}" if given["PASSWORD"] else "")
    return f"postgres://{auth}@{given['HOST'] or 'localhost'}:{given['PORT'] or 5432}/{name}"


def _server(statement: str) -> None:
    given = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=given["USER"],
        password=given["PASSWORD"] or None,
        host=given["HOST"] or None,
        port=given["PORT"] or None,
        autocommit=True,
    ) as server:
        server.execute(statement)


class NewDatabases:
    """New databases, migrated: each a copy of one that `migrate` made once a run."""

    def __init__(self, folder: Path):
        self.folder, self.templates, self.made = folder, {}, []

    def new(self, vendor: str) -> str:
        """The address of a new, migrated database of `vendor` ("sqlite" or "postgresql")."""
        if vendor == "postgresql":
            need_service(
                connection.vendor == "postgresql",
                "needs PostgreSQL (DATABASE_URL): this run is on SQLite; the PostgreSQL run "
                "crosses both ways",
                service="postgresql",
            )
        if vendor not in self.templates:
            template = self._create(vendor, "template")
            ok(manage(self._url(vendor, template), "migrate", "--noinput", "-v0"))
            self.templates[vendor] = template
        return self._url(vendor, self._create(vendor, f"new{next(_names)}", self.templates[vendor]))

    def _create(self, vendor: str, what: str, template: str | None = None) -> str:
        if vendor == "sqlite":
            name = str(self.folder / f"{what}.sqlite3")
            if template:
                shutil.copyfile(template, name)
            return name
        name = f"{connection.settings_dict['NAME']}_{what}"
        _server(f'DROP DATABASE IF EXISTS "{name}"')
        _server(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.made.append(name)
        return name

    @staticmethod
    def _url(vendor: str, name: str) -> str:
        return postgresql_url(name) if vendor == "postgresql" else f"sqlite:///{name}"

    def drop(self) -> None:
        for name in reversed(self.made):
            _server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def new_databases(tmp_path_factory) -> Iterator[NewDatabases]:
    databases = NewDatabases(tmp_path_factory.mktemp("databases"))
    yield databases
    databases.drop()


@contextlib.contextmanager
def opened(url: str) -> Iterator[str]:
    """Open the database at `url` beside the test's own, under an alias of its own.

    The connection is made here rather than named in the settings, so Django's test case, which
    shuts out every database it was not told of, lets it be.
    """
    alias = f"other{next(_names)}"
    configured = connections.configure_settings(
        {"default": dict(connections.settings["default"]), alias: dj_database_url.parse(url)}
    )[alias]
    connections[alias] = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


@pytest.fixture
def taken(db, tmp_path) -> tuple[Path, dict]:
    """A backup of a filled newsroom, and that newsroom's rows; the database is empty again."""
    path = tmp_path / "newsroom.jsonl.gz"
    with transaction.atomic():
        fill()
        rows = contents()
        backup(path)
        transaction.set_rollback(True)
    return path, rows


def edited(path: Path, change) -> Path:
    """A copy of the backup at `path` whose lines `change` (a list of lines) has altered."""
    with gzip.open(path, "rt") as file:
        lines = file.read().splitlines()
    copy = path.with_name(f"edited-{path.name}")
    with gzip.open(copy, "wt") as file:
        file.write("".join(f"{line}\n" for line in change(lines)))
    return copy


def first_row(lines: list[str], table: str) -> int:
    """The index in `lines` of the first row of `table`."""
    return lines.index(json.dumps({"table": table})) + 1


@pytest.fixture(autouse=True)
def quick_passwords(settings) -> None:
    """Hash the fixtures' passwords quickly; a backup keeps whatever hash is stored."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
