"""The audit log: append-only in Python, the admin and the database; filterable; exportable."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import ProtectedError
from django.http import StreamingHttpResponse
from django.urls import reverse

from articles.errors import AppendOnlyError
from articles.models import Article, AuditEntry
from tests.factories import member, need_service


@pytest.fixture
def entry(make_article):
    return AuditEntry.record(AuditEntry.Action.PUBLISH, article=make_article(), reason="Published.")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="pw")


def test_an_entry_cannot_be_changed_or_deleted_in_python(entry):
    entry.reason = "Nothing happened."
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_not_even_a_superuser_can_add_change_or_delete_an_entry_in_the_admin(
    client, entry, superuser
):
    client.force_login(superuser)
    change = reverse("admin:articles_auditentry_change", args=[entry.pk])
    assert client.get(reverse("admin:articles_auditentry_add")).status_code == 403
    assert "Save" not in client.get(change).content.decode()
    assert client.post(change, {"reason": "edited"}).status_code == 403
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.get(reverse("admin:articles_auditentry_changelist"))
    assert "delete_selected" not in response.content.decode()
    client.post(
        reverse("admin:articles_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Published."


def test_an_article_with_an_audit_history_cannot_be_deleted(entry):
    with pytest.raises(ProtectedError):
        entry.article.delete()


def test_a_licence_or_user_with_an_audit_history_cannot_be_deleted(make_source, make_licence):
    source = make_source()
    licence = make_licence(source)
    user = member("Rights manager")
    AuditEntry.record(AuditEntry.Action.LICENCE_CHANGE, actor=user, licence=licence, source=source)
    with pytest.raises(ProtectedError):
        licence.delete()
    with pytest.raises(ProtectedError):
        user.delete()


def test_the_database_refuses_an_update_on_sqlite(entry):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite trigger; PostgreSQL's has its own test")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE articles_auditentry SET reason = 'x'")
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Published."


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    ["UPDATE articles_auditentry SET reason = 'x'", "DELETE FROM articles_auditentry"],
)
def test_the_database_refuses_update_and_delete_on_postgresql(entry, statement):
    need_service(connection.vendor == "postgresql", "needs PostgreSQL", service="postgresql")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Published."


def check_foreign_keys_now() -> None:
    """Run the foreign-key checks the test's transaction has deferred so far.

    PostgreSQL will not TRUNCATE a table beside checks still pending on it; outside a test, no
    transaction of rows made moments before wraps the TRUNCATE.
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def refused(statement: str, params=()) -> pytest.ExceptionInfo:
    """Run `statement` in a savepoint of its own and return the error the database raised."""
    check_foreign_keys_now()
    with (
        pytest.raises(DatabaseError, match="Audit entries are append-only") as error,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)
    return error


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE articles_auditentry SET reason = 'x'",
        "DELETE FROM articles_auditentry",
        "DELETE FROM articles_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry_on_either_database(entry, statement):
    error = refused(statement, [entry.pk] if "%s" in statement else [])
    assert statement.split()[0] + " refused" in str(error.value)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Published."


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE articles_auditentry",
        "TRUNCATE articles_auditentry RESTART IDENTITY CASCADE",
        # Tables the log points at: their TRUNCATE … CASCADE reaches the log.
        "TRUNCATE articles_article CASCADE",
        "TRUNCATE articles_source CASCADE",
        "TRUNCATE articles_licence CASCADE",
        "TRUNCATE auth_user CASCADE",
    ],
)
def test_the_database_refuses_truncate_on_postgresql_even_by_cascade(entry, statement):
    need_service(connection.vendor == "postgresql", "needs PostgreSQL", service="postgresql")
    assert "TRUNCATE refused" in str(refused(statement).value)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Published."
    assert Article.objects.filter(pk=entry.article_id).exists()


def test_flush_refuses_a_database_with_an_audit_log_and_says_why(entry, monkeypatch):
    # Without the test runner's own lift (tests/conftest.py), as an operator would run it.
    monkeypatch.setattr(
        type(connection.ops), "execute_sql_flush", BaseDatabaseOperations.execute_sql_flush
    )
    check_foreign_keys_now()
    with pytest.raises(CommandError, match="audit log is append-only") as error:
        call_command("flush", interactive=False, verbosity=0)
    assert "make a new database" in str(error.value)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "Published."
    assert Article.objects.filter(pk=entry.article_id).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_test_runners_flush_empties_the_log_and_puts_the_triggers_back(make_article):
    AuditEntry.record(AuditEntry.Action.PUBLISH, article=make_article(), reason="Before.")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    entry = AuditEntry.record(AuditEntry.Action.PUBLISH, reason="After.")
    refused("DELETE FROM articles_auditentry")
    refused("UPDATE articles_auditentry SET reason = 'x'")
    if connection.vendor == "postgresql":
        refused("TRUNCATE articles_auditentry")
    assert AuditEntry.objects.get(pk=entry.pk).reason == "After."


@pytest.mark.parametrize("role", ["Editor", "Rights manager"])
def test_editors_and_rights_managers_filter_the_log(client, make_article, role):
    article = make_article(status="draft", published_at=None)
    article.publish(by=member("Editor"))
    AuditEntry.record(AuditEntry.Action.REFUSAL, article=article, reason="Refused once.")
    client.force_login(member(role))
    response = client.get(reverse("admin:articles_auditentry_changelist"), {"action": "refusal"})
    assert response.status_code == 200
    assert list(response.context["cl"].queryset.values_list("action", flat=True)) == ["refusal"]


def read_csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_log_exports_as_csv_with_the_change_list_filters(client, make_article):
    article = make_article(headline="Quake hits coast")
    editor = member("Editor", username="ed")
    article.withdraw(by=editor, reason="Wrong town.")
    AuditEntry.record(AuditEntry.Action.INGEST, article=article, reason="=HYPERLINK(evil)")
    client.force_login(editor)
    url = reverse("admin:articles_auditentry_export")
    rows = read_csv(client.get(url))
    assert [row["action"] for row in rows] == ["ingest", "withdraw"]
    assert rows[1]["actor"] == "ed"
    assert rows[1]["article"] == "Quake hits coast"
    assert rows[1]["reason"] == "Wrong town."
    assert rows[0]["reason"] == "'=HYPERLINK(evil)"
    response = client.get(url, {"action": "withdraw"})
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    assert [row["action"] for row in read_csv(response)] == ["withdraw"]


def test_the_change_list_links_to_the_export_with_its_filters(client, entry):
    client.force_login(member("Editor"))
    response = client.get(reverse("admin:articles_auditentry_changelist"), {"action": "publish"})
    assert f"{reverse('admin:articles_auditentry_export')}?action=publish" in (
        response.content.decode()
    )


def test_every_step_leaves_an_entry(make_article, make_source):
    manager, editor = member("Rights manager"), member("Editor")
    article = make_article(
        source=make_source(),
        status="draft",
        published_at=None,
        may_publish=False,
        rights_basis={"publish": "notice"},
    )
    article.publish(by=editor)
    article.set_rights(by=manager, reason="Checked.", may_broadcast=False)
    article.override(by=manager, reason="Phone deal.")
    article.withdraw(by=editor, reason="Pulled.")
    article.kill(by=manager, reason="Court.")
    assert list(article.audit_entries.order_by("id").values_list("action", flat=True)) == [
        "refusal",
        "rights_change",
        "override",
        "publish",
        "withdraw",
        "kill",
    ]
