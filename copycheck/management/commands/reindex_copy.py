"""`manage.py reindex_copy`: rebuild the fingerprint index from the items' stored text.

For after an upgrade that changes what the index stores (short items now store theirs more
densely), or to repair it; `copycheck.index.reindex` does the work, a batch per transaction.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from copycheck.index import reindex


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
        done = reindex(batch=batch)
        self.stdout.write(
            f"Reindexed {done.items} items: {done.rows} fingerprints written, "
            f"{done.stray} stray rows removed."
        )
