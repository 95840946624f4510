"""`manage.py reindex_copy` rebuilds the index to what the current rules store."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from articles.models import Source
from copycheck.index import article_text
from copycheck.models import Fingerprint, Recent
from copycheck.shingles import fingerprints, words

TEXT = " ".join(f"word{n}" for n in range(120))


def rows(article) -> list[tuple[int, int]]:
    return sorted(Fingerprint.objects.filter(article_id=article.pk).values_list("hash", "position"))


def expected(article) -> list[tuple[int, int]]:
    return sorted(fingerprints(words(article_text(article))))


def test_reindexing_rebuilds_stale_rows_and_drops_strays(make_article, make_source, capsys):
    wire = [make_article(source=make_source(), body=f"<p>{TEXT} item {n}</p>") for n in range(5)]
    staff = make_article(source=make_source(kind=Source.Kind.STAFF), body=f"<p>{TEXT}</p>")
    # Stale: one item lost its rows, one has rows of an older rule, one's are in the recent index.
    Fingerprint.objects.filter(article_id=wire[0].pk).delete()
    Fingerprint.objects.filter(article_id=wire[1].pk).delete()
    Fingerprint.objects.create(article=wire[1], hash=42, position=0)
    Recent.objects.create(article=wire[2], hash=43, position=0)
    Recent.objects.create(article_id=999_998, hash=9, position=0)
    Fingerprint.objects.create(article_id=staff.pk, hash=7, position=0)
    Fingerprint.objects.create(article_id=999_999, hash=8, position=0)

    call_command("reindex_copy", batch=2)

    for article in wire:
        assert rows(article) == expected(article)
    assert not Fingerprint.objects.filter(article_id__in=[staff.pk, 999_999]).exists()
    assert not Recent.objects.exists()
    total = sum(len(expected(a)) for a in wire)
    assert f"Reindexed 5 items: {total} fingerprints written, 3 stray rows removed." in (
        capsys.readouterr().out
    )


def test_reindexing_twice_changes_nothing(make_article, make_source):
    item = make_article(source=make_source(), body=f"<p>{TEXT}</p>")
    call_command("reindex_copy")
    before = rows(item)
    call_command("reindex_copy")
    assert rows(item) == before == expected(item)


@pytest.mark.parametrize("batch", [0, -3])
def test_a_batch_that_is_not_positive_is_refused(batch, db):
    with pytest.raises(
        CommandError, match=f"--batch must be a positive number of items, not {batch}"
    ):
        call_command("reindex_copy", batch=batch)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rehash_and_recent_migrations_rebuild_every_row_and_index_listed_items(
    make_article, make_source
):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    wire = make_article(source=make_source(), body=f"<p>{TEXT}</p>")
    listed = make_article(source=make_source(), body=f"<p>{TEXT} listed</p>")
    staff = make_article(source=make_source(kind=Source.Kind.STAFF), body=f"<p>{TEXT}</p>")
    executor = MigrationExecutor(connection)
    executor.migrate([("copycheck", "0004_unindexed")])
    apps = executor.loader.project_state([("copycheck", "0004_unindexed")]).apps
    old_rows = apps.get_model("copycheck", "Fingerprint").objects
    # Rows of an older hash, a staff item's row, and an item a stopped run left listed.
    old_rows.filter(article_id=wire.pk).update(hash=1)
    old_rows.filter(article_id=listed.pk).delete()
    old_rows.create(article_id=staff.pk, hash=2, position=0)
    apps.get_model("copycheck", "Unindexed").objects.create(article_id=listed.pk)
    executor = MigrationExecutor(connection)
    executor.migrate([("copycheck", "0005_rehash_fingerprints")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("copycheck"))
    assert rows(wire) == expected(wire) and rows(listed) == expected(listed)
    assert not Fingerprint.objects.filter(article_id=staff.pk).exists()
    assert not Recent.objects.exists()
