"""The fingerprint index: a few hashed word shingles per item, looked up by hash."""

from django.db import models


class Fingerprint(models.Model):
    """One stored shingle of an item's text; any shared run of 25 words contains at least one.

    The key (hash, article, position) is the lookup a check makes, so one B-tree answers it
    without visiting a table; on SQLite the table is that B-tree (WITHOUT ROWID, made so by
    migration 0003), so an ingest inserts each row into that one B-tree, not a table and an
    index, and without a row id to allocate.
    """

    pk = models.CompositePrimaryKey("hash", "article", "position")

    # The index is derived data: Django deletes an item's rows with it, and a check reads items
    # through the article table, so a stray row is never reported. No database constraint, as
    # checking one for each of a batch's rows cost as much as writing them.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    hash = models.BigIntegerField()
    position = models.PositiveIntegerField(help_text="Index of the shingle's first word.")

    def __str__(self) -> str:
        return f"{self.hash:x} @ {self.position}"


class Unindexed(models.Model):
    """An item stored by an ingest whose fingerprints wait to be written with later batches'.

    Written in the item's own transaction, so an item is always either indexed or listed here.
    A check compares listed items directly; an ingest writes their fingerprints every
    `index.WRITE_EVERY` items, a few thousand rows at once, and removes them from the list.
    """

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )

    def __str__(self) -> str:
        return f"article {self.article_id}"
