"""`manage.py reindex_copy`: rebuild the fingerprint index from the items' stored text.

For after an upgrade that changes what the index stores (short items now store theirs more
densely), or to repair it. Items go in batches, each in one transaction: its old rows out, its
new rows in (the main index), and its rows in the recent index removed, so a
check made meanwhile sees every item either as it was indexed or as it is now.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article
from articles.rights import text_reusable_for_good_q
from copycheck.index import forget, rows_for, write
from copycheck.models import Fingerprint, Recent


class Command(BaseCommand):
    help = (
        "Rebuild the copied-text fingerprint index from the text of every item the policy may "
        "protect."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="items per transaction")

    def handle(self, *args, batch: int, **options) -> None:
        if batch < 1:
            raise CommandError(f"--batch must be a positive number of items, not {batch}.")
        items = rows = 0
        ids = (
            Article.objects.exclude(text_reusable_for_good_q())
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        after = 0
        while chunk := list(ids.filter(pk__gt=after)[:batch]):
            after = chunk[-1]
            with transaction.atomic():
                articles = Article.objects.filter(pk__in=chunk).select_for_update()
                fresh = [row for article in articles for row in rows_for(article)]
                forget(chunk)
                write(fresh)
            items += len(chunk)
            rows += len(fresh)
        # Rows of items whose text is since ours for good, or of items gone, are derived data.
        wire = Article.objects.exclude(text_reusable_for_good_q()).values("pk")
        stray = sum(
            table.objects.exclude(article_id__in=wire).delete()[0]
            for table in (Fingerprint, Recent)
        )
        self.stdout.write(
            f"Reindexed {items} items: {rows} fingerprints written, {stray} stray rows removed."
        )
