"""Make the database refuse to empty the audit log, as it already refuses to change an entry.

Migration 0004 left two ways to empty it. On PostgreSQL, TRUNCATE (row triggers never see it),
whether of the log itself or of a table whose TRUNCATE … CASCADE reaches the log: a statement
trigger before TRUNCATE fires for every table a TRUNCATE empties, cascaded ones included. On
SQLite, DELETE: 0004 refused only UPDATE, so that Django could empty test databases; the test
runner now lifts the triggers for its own flush, in the flush's transaction
(`tests/conftest.py`).

On SQLite a later migration that rebuilds this table (as SQLite's schema editor does for most
column changes) drops its triggers with the old table: make them again in that migration. The
tests of the audit log notice a missing one.
"""

from django.db import migrations

POSTGRESQL = [
    # The function of 0004 raises "Audit entries are append-only: TRUNCATE refused."
    """
    CREATE TRIGGER articles_auditentry_no_truncate
    BEFORE TRUNCATE ON articles_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION articles_auditentry_append_only()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS articles_auditentry_no_truncate ON articles_auditentry",
]
SQLITE = [
    """
    CREATE TRIGGER articles_auditentry_no_delete
    BEFORE DELETE ON articles_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'Audit entries are append-only: DELETE refused.');
    END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS articles_auditentry_no_delete"]


def run(statements: dict[str, list[str]]):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_copy_terms")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
