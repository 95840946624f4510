"""Key the fingerprint table by (hash, article, position); on SQLite, make it WITHOUT ROWID.

Django cannot change a primary key to a composite one in place, so the rows move to a new
table. On SQLite the new table is rebuilt WITHOUT ROWID while still empty: the rows then live
in the key's B-tree itself, with no rowid table beside it. The old table could hold an item's
rows twice (an item saved twice in one ingest batch); they move once.
"""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = "hash, article_id, position"


def sqlite_without_rowid(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    table = apps.get_model("copycheck", "Fingerprint")._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table]
        )
        found = cursor.fetchall()
        create = next(sql for kind, sql in found if kind == "table")
        indexes = [sql for kind, sql in found if kind == "index"]
        cursor.execute(f'DROP TABLE "{table}"')
        cursor.execute(f"{create} WITHOUT ROWID")
        for sql in indexes:
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_wire_hash_index"),
        ("copycheck", "0002_fingerprint_without_constraint"),
    ]

    operations = [
        migrations.RenameModel("Fingerprint", "OldFingerprint"),
        migrations.CreateModel(
            name="Fingerprint",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "hash",
                        "article",
                        "position",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("hash", models.BigIntegerField()),
                (
                    "position",
                    models.PositiveIntegerField(help_text="Index of the shingle's first word."),
                ),
                (
                    "article",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
            ],
        ),
        migrations.RunPython(sqlite_without_rowid, migrations.RunPython.noop),
        migrations.RunSQL(
            f"INSERT INTO copycheck_fingerprint ({COLUMNS}) "
            f"SELECT DISTINCT {COLUMNS} FROM copycheck_oldfingerprint ORDER BY {COLUMNS}",
            f"INSERT INTO copycheck_oldfingerprint ({COLUMNS}) "
            f"SELECT {COLUMNS} FROM copycheck_fingerprint",
        ),
        migrations.DeleteModel("OldFingerprint"),
    ]
