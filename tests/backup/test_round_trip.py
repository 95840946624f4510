"""A backup restored is the database it was taken of, row for row, on SQLite, on PostgreSQL and
from one to the other: ids, times, the audit log's links, passwords as stored, and counters that
never give an id out twice."""

from __future__ import annotations

import gzip
import json

import pytest
from django.db import DatabaseError, connection, transaction

from articles.models import Article, AuditEntry, Section
from newsroom.backup import backup, restore
from newsroom.backup.tables import tables
from tests.backup.conftest import contents, fill, manage, ok, opened
from tests.factories import LATEST_ARTICLES_MIGRATION

pytestmark = pytest.mark.django_db

OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}


def without_sessions(rows: dict) -> dict:
    """`rows` but the sessions, which a backup leaves out: people sign in again."""
    return {table: found for table, found in rows.items() if table != "django_session"}


def test_a_backup_restores_into_an_empty_database_exactly(taken):
    path, before = taken
    assert not Article.objects.exists()

    done = restore(path)

    after = contents()
    assert after["django_session"] == []
    assert after == without_sessions(before) | {"django_session": []}
    assert done.rows == sum(len(after[table.name]) for table in tables())
    assert done.index.items > 0 and after["index"]


def test_the_manifest_names_the_schema_and_counts_every_table(tmp_path):
    path = tmp_path / "newsroom.jsonl.gz"
    fill()
    manifest = backup(path)
    with gzip.open(path, "rt") as file:
        assert json.loads(file.readline()) == manifest
    assert manifest["schema"]["articles"] == LATEST_ARTICLES_MIGRATION
    counts = {entry["table"]: entry["rows"] for entry in manifest["tables"]}
    assert counts["articles_auditentry"] == AuditEntry.objects.count()
    assert counts["articles_historicalarticle"] > counts["articles_article"]
    assert counts["newsletter_delivery"] == 2
    assert all(counts.values()), "the fixture leaves no kept table empty"
    assert set(manifest["left_out"]) == {
        "articles.rightsgeneration",
        "auth.permission",
        "contenttypes.contenttype",
        "copycheck.fingerprint",
        "copycheck.recent",
        "sessions.session",
    }
    assert not set(counts) & {"django_session", "copycheck_fingerprint", "auth_permission"}


def test_a_restored_database_gives_out_only_ids_never_given_before(tmp_path):
    path = tmp_path / "newsroom.jsonl.gz"
    with transaction.atomic():
        fill()
        last = Section.objects.create(name="Last", slug="last").pk
        Section.objects.filter(pk=last).delete()
        backup(path)
        transaction.set_rollback(True)
    restore(path)
    assert Section.objects.create(name="New", slug="new").pk == last + 1


def test_the_audit_log_still_refuses_change_after_a_restore(taken):
    restore(taken[0])
    entry = AuditEntry.objects.earliest("id")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM articles_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def restored(url: str, path) -> dict:
    """Restore `path` into the database at `url` by the command, and read every table back."""
    assert "Restored" in ok(manage(url, "restore", str(path), "--quiet"))
    with opened(url) as alias:
        return contents(alias)


def test_the_commands_back_up_and_restore_between_databases_of_the_same_kind(
    tmp_path, new_databases
):
    first, second = new_databases.new(connection.vendor), new_databases.new(connection.vendor)
    path, again = tmp_path / "newsroom.jsonl.gz", tmp_path / "again.jsonl.gz"
    fill()
    before = without_sessions(contents()) | {"django_session": []}
    backup(path)

    assert restored(first, path) == before
    assert "Backed up" in ok(manage(first, "backup", str(again), "--quiet"))
    assert restored(second, again) == before


@pytest.mark.postgres
def test_a_backup_crosses_to_the_other_database_and_back(tmp_path, new_databases):
    other, home = new_databases.new(OTHER[connection.vendor]), new_databases.new(connection.vendor)
    there, back = tmp_path / "there.jsonl.gz", tmp_path / "back.jsonl.gz"
    fill()
    before = without_sessions(contents()) | {"django_session": []}
    backup(there)

    assert restored(other, there) == before
    ok(manage(other, "backup", str(back), "--quiet"))
    assert restored(home, back) == before
