"""Rebuild the fingerprint index: shingles are now hashed with BLAKE2b, and short items store
theirs more densely, so every stored row is written again from the items' text."""

from django.db import migrations

BATCH = 2000


def rebuild(apps, schema_editor):
    from copycheck.shingles import fingerprints, words

    Article = apps.get_model("articles", "Article")
    Fingerprint = apps.get_model("copycheck", "Fingerprint")
    Unindexed = apps.get_model("copycheck", "Unindexed")
    Fingerprint.objects.all().delete()
    Unindexed.objects.all().delete()
    items = Article.objects.exclude(source__kind="staff").order_by("pk")
    after = 0
    while chunk := list(
        items.filter(pk__gt=after).values_list("pk", "headline", "standfirst", "body")[:BATCH]
    ):
        after = chunk[-1][0]
        rows = [
            Fingerprint(article_id=pk, hash=value, position=position)
            for pk, *text in chunk
            for value, position in fingerprints(words(" ".join(text)))
        ]
        Fingerprint.objects.bulk_create(sorted(rows, key=lambda row: row.hash), batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("copycheck", "0004_unindexed")]

    # Backwards, the rows stay as they are: the older code would need its own rebuild.
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True)]
