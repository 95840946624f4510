"""Make the audit log append-only in the database too, so no client can change or delete an entry.

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: Django empties SQLite tables with
DELETE (test isolation, `flush`), where PostgreSQL uses TRUNCATE, which row triggers do not see.
"""

from django.db import migrations

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION articles_auditentry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'Audit entries are append-only: % refused.', TG_OP;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER articles_auditentry_append_only
    BEFORE UPDATE OR DELETE ON articles_auditentry
    FOR EACH ROW EXECUTE FUNCTION articles_auditentry_append_only()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS articles_auditentry_append_only ON articles_auditentry",
    "DROP FUNCTION IF EXISTS articles_auditentry_append_only()",
]
SQLITE = [
    """
    CREATE TRIGGER articles_auditentry_no_update
    BEFORE UPDATE ON articles_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'Audit entries are append-only: UPDATE refused.');
    END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS articles_auditentry_no_update"]


def run(statements: dict[str, list[str]]):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_audit_protects_its_links")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
