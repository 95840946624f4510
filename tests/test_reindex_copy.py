"""`manage.py reindex_copy` rebuilds the index to what the current rules store."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from articles.models import Source
from copycheck.index import article_text
from copycheck.models import Fingerprint, Unindexed
from copycheck.shingles import fingerprints, words

TEXT = " ".join(f"word{n}" for n in range(120))


def rows(article) -> list[tuple[int, int]]:
    return sorted(Fingerprint.objects.filter(article_id=article.pk).values_list("hash", "position"))


def expected(article) -> list[tuple[int, int]]:
    return sorted(fingerprints(words(article_text(article))))


def test_reindexing_rebuilds_stale_rows_and_drops_strays(make_article, make_source, capsys):
    wire = [make_article(source=make_source(), body=f"<p>{TEXT} item {n}</p>") for n in range(5)]
    staff = make_article(source=make_source(kind=Source.Kind.STAFF), body=f"<p>{TEXT}</p>")
    # Stale: one item lost its rows, one has rows of an older rule, one is listed unindexed.
    Fingerprint.objects.filter(article_id=wire[0].pk).delete()
    Fingerprint.objects.filter(article_id=wire[1].pk).delete()
    Fingerprint.objects.create(article=wire[1], hash=42, position=0)
    Unindexed.objects.create(article=wire[2])
    Fingerprint.objects.create(article_id=staff.pk, hash=7, position=0)
    Fingerprint.objects.create(article_id=999_999, hash=8, position=0)

    call_command("reindex_copy", batch=2)

    for article in wire:
        assert rows(article) == expected(article)
    assert not Fingerprint.objects.filter(article_id__in=[staff.pk, 999_999]).exists()
    assert not Unindexed.objects.exists()
    total = sum(len(expected(a)) for a in wire)
    assert f"Reindexed 5 items: {total} fingerprints written, 2 stray rows removed." in (
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


@pytest.mark.django_db(transaction=True)
def test_the_rehash_migration_rebuilds_every_row_from_the_text(make_article, make_source):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    wire = make_article(source=make_source(), body=f"<p>{TEXT}</p>")
    staff = make_article(source=make_source(kind=Source.Kind.STAFF), body=f"<p>{TEXT}</p>")
    executor = MigrationExecutor(connection)
    executor.migrate([("copycheck", "0004_unindexed")])
    # Rows of an older hash, a listing, and a staff item's row: all replaced or dropped.
    Fingerprint.objects.filter(article_id=wire.pk).update(hash=1)
    Fingerprint.objects.create(article_id=staff.pk, hash=2, position=0)
    Unindexed.objects.create(article=wire)
    executor = MigrationExecutor(connection)
    executor.migrate([("copycheck", "0005_rehash_fingerprints")])
    assert rows(wire) == expected(wire)
    assert not Fingerprint.objects.filter(article_id=staff.pk).exists()
    assert not Unindexed.objects.exists()
