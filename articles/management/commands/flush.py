"""`manage.py flush`, as Django's, but saying plainly why a database with an audit log refuses."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.core.management.commands import flush


class Command(flush.Command):
    help = (
        f"{flush.Command.help} The audit log's triggers refuse to be emptied, so this refuses on "
        "PostgreSQL, and on SQLite once the log holds an entry: to start again, make a new "
        "database and migrate it."
    )

    def handle(self, **options) -> None:
        try:
            super().handle(**options)
        except CommandError as error:
            if "append-only" not in str(error.__cause__):
                raise
            raise CommandError(
                "The database was not flushed: the audit log is append-only and its triggers "
                f"refuse to empty it ({error.__cause__}). Nothing was deleted. To start again, "
                "make a new database (createdb, or a new SQLite file) and run migrate."
            ) from error
