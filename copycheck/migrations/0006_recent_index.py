"""A small recent index beside the main one, in place of the list of items not yet indexed.

Ingest now appends each batch's fingerprints to `copycheck_recent` with the batch and merges them
into the main index every `index.MERGE_ROWS` rows and at the end of a run, so no item waits
unindexed: items still listed (by a run that stopped) are indexed from their text here, into
the main index. On SQLite the new table is its key's B-tree (WITHOUT ROWID), keyed by (article,
position) so that a batch's rows are appended.
"""

import django.db.models.deletion
from django.db import migrations, models


def sqlite_without_rowid(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    table = apps.get_model("copycheck", "Recent")._meta.db_table
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


def index_listed(apps, schema_editor):
    from copycheck.shingles import fingerprints, words

    Article = apps.get_model("articles", "Article")
    Fingerprint = apps.get_model("copycheck", "Fingerprint")
    Unindexed = apps.get_model("copycheck", "Unindexed")
    listed = Unindexed.objects.values_list("article_id", flat=True)
    items = Article.objects.filter(pk__in=listed).exclude(source__kind="staff")
    Fingerprint.objects.filter(article_id__in=listed).delete()
    Fingerprint.objects.bulk_create(
        [
            Fingerprint(article_id=pk, hash=value, position=position)
            for pk, *text in items.values_list("pk", "headline", "standfirst", "body")
            for value, position in fingerprints(words(" ".join(text)))
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_wire_hash_index"),
        ("copycheck", "0005_rehash_fingerprints"),
    ]

    operations = [
        migrations.CreateModel(
            name="Recent",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
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
        migrations.RunPython(index_listed, migrations.RunPython.noop),
        migrations.DeleteModel("Unindexed"),
    ]
