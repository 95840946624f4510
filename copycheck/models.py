"""The fingerprint index: a few hashed word shingles per item, looked up by hash."""

from django.db import models


class StoredShingle(models.Model):
    """A hashed shingle of an item's text, and where in the text it starts."""

    # The index is derived data: Django deletes an item's rows with it, and a check reads items
    # through the article table, so a stray row is never reported. No database constraint, as
    # checking one for each of a batch's rows cost as much as writing them.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    hash = models.BigIntegerField()
    position = models.PositiveIntegerField(help_text="Index of the shingle's first word.")

    class Meta:
        abstract = True


class Fingerprint(StoredShingle):
    """One stored shingle of an item's text; any shared run of 25 words contains at least one.

    The key (hash, article, position) is the lookup a check makes, so one B-tree answers it
    without visiting a table; on SQLite the table is that B-tree (WITHOUT ROWID, made so by
    migration 0003), so an ingest inserts each row into that one B-tree, not a table and an
    index, and without a row id to allocate.
    """

    pk = models.CompositePrimaryKey("hash", "article", "position")

    def __str__(self) -> str:
        return f"{self.hash:x} @ {self.position}"


class Recent(StoredShingle):
    """Fingerprints an ingest run wrote since its last merge: appended, scanned, then merged.

    Each ingest batch appends its items' rows here, in the batch's own transaction, so an item is
    never stored without them. The key is (article, position), so a batch's rows go at the end
    of the table, on a few pages, where rows keyed by hash would land on random pages of the
    main index: dirtying most of its pages each batch, which beside a large archive cost an
    ingest more than the indexing itself. A check scans this table (at most `index.MERGE_ROWS`
    rows, only while an ingest runs) beside its lookup in the main index. A run merges it into
    `Fingerprint` in one sorted pass every `MERGE_ROWS` rows and at its end.
    """

    pk = models.CompositePrimaryKey("article", "position")

    def __str__(self) -> str:
        return f"{self.hash:x} @ {self.position} (recent)"
