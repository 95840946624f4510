"""Each byline carries its article's publication time, so that a person's list is a walk of one
index in the lists' order (person, newest first), as a section's or a source's is.

The database keeps the copy, on SQLite and PostgreSQL alike, so no path can miss it: `save()`,
`QuerySet.update()`, `bulk_update()`, an upsert, ingest, a restore, raw SQL. A byline written or
moved to another article takes its article's time (whatever value it was given); an article whose
time changes gives it to its bylines. The existing rows are filled in by one set-based UPDATE
before the triggers exist, with the articles locked against writes until the migration commits
on PostgreSQL (SQLite allows one writer anyway), and the index is built once they are.

The person's own index (`articles_byline_person_id_…`, Django's for the foreign key) goes: the
new one starts with the person, and serves the same lookups.
"""

from django.db import migrations, models

BYLINE = "articles_byline"
ARTICLE = "articles_article"
FROM_ARTICLE = f"(SELECT a.published_at FROM {ARTICLE} a WHERE a.id = NEW.article_id)"

POSTGRESQL = [
    f"LOCK TABLE {ARTICLE} IN SHARE ROW EXCLUSIVE MODE",
    f"UPDATE {BYLINE} b SET published_at = a.published_at FROM {ARTICLE} a"
    " WHERE a.id = b.article_id",
    f"""
    CREATE FUNCTION articles_byline_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.published_at := {FROM_ARTICLE};
        RETURN NEW;
    END
    $$
    """,
    f"""
    CREATE TRIGGER articles_byline_published_at
    BEFORE INSERT OR UPDATE OF article_id, published_at ON {BYLINE}
    FOR EACH ROW EXECUTE FUNCTION articles_byline_published_at()
    """,
    f"""
    CREATE FUNCTION articles_article_bylines_published_at() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {BYLINE} SET published_at = NEW.published_at WHERE article_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,
    f"""
    CREATE TRIGGER articles_article_bylines_published_at
    AFTER UPDATE OF published_at ON {ARTICLE}
    FOR EACH ROW WHEN (OLD.published_at IS DISTINCT FROM NEW.published_at)
    EXECUTE FUNCTION articles_article_bylines_published_at()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS articles_article_bylines_published_at ON {ARTICLE}",
    "DROP FUNCTION IF EXISTS articles_article_bylines_published_at()",
    f"DROP TRIGGER IF EXISTS articles_byline_published_at ON {BYLINE}",
    "DROP FUNCTION IF EXISTS articles_byline_published_at()",
]
# SQLite's triggers cannot assign to NEW: each byline written is updated after it, by id. A
# trigger's own UPDATE fires no trigger (recursive triggers are off, SQLite's default).
SQLITE_COPY = (
    f"UPDATE {BYLINE} SET published_at = (SELECT a.published_at FROM {ARTICLE} a"
    f" WHERE a.id = NEW.article_id) WHERE id = NEW.id;"
)
SQLITE = [
    f"UPDATE {BYLINE} SET published_at = (SELECT a.published_at FROM {ARTICLE} a"
    f" WHERE a.id = {BYLINE}.article_id)",
    f"""
    CREATE TRIGGER articles_byline_published_at_insert
    AFTER INSERT ON {BYLINE}
    BEGIN {SQLITE_COPY} END
    """,
    f"""
    CREATE TRIGGER articles_byline_published_at_update
    AFTER UPDATE OF article_id, published_at ON {BYLINE}
    BEGIN {SQLITE_COPY} END
    """,
    f"""
    CREATE TRIGGER articles_article_bylines_published_at
    AFTER UPDATE OF published_at ON {ARTICLE}
    WHEN OLD.published_at IS NOT NEW.published_at
    BEGIN UPDATE {BYLINE} SET published_at = NEW.published_at WHERE article_id = NEW.id; END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS articles_article_bylines_published_at",
    "DROP TRIGGER IF EXISTS articles_byline_published_at_update",
    "DROP TRIGGER IF EXISTS articles_byline_published_at_insert",
]


def run(statements: dict[str, list[str]]):
    def operation(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0018_lead_picture"),
    ]

    # The person's index goes first: on SQLite it remakes the table, which would drop the triggers.
    operations = [
        migrations.AlterField(
            model_name="byline",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                on_delete=models.deletion.PROTECT,
                related_name="bylines",
                to="articles.person",
            ),
        ),
        migrations.AddField(
            model_name="byline",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
        migrations.AddIndex(
            model_name="byline",
            index=models.Index(
                fields=["person", "-published_at", "-article"], name="byline_person_order_idx"
            ),
        ),
    ]
