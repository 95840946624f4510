"""Send the daily digest of new items that may be broadcast; each item goes out once."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsletter.digest import DigestError, send_digest


def parse_since(value: str) -> datetime.datetime:
    """Read an ISO 8601 date or datetime; one without a zone is in the site's time zone."""
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise CommandError(
            f"--since: “{value}” is not an ISO 8601 date or datetime, such as 2025-05-01 or "
            "2025-05-01T06:00+01:00.",
            returncode=2,
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def check_addresses(addresses: list[str]) -> list[str]:
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise CommandError(
                f"--to: “{address}” is not an email address.", returncode=2
            ) from None
    return addresses


class Command(BaseCommand):
    help = (
        "Email the digest of items that may be published and broadcast, new since the last "
        "digest, to --to, else the active subscribers, else NEWSLETTER_RECIPIENTS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the subject, the recipients and the plain text; send and record nothing.",
        )
        parser.add_argument(
            "--since",
            metavar="ISO-DATETIME-or-DATE",
            help="Take items published since then, instead of since the last digest.",
        )
        parser.add_argument(
            "--to",
            nargs="+",
            action="extend",
            metavar="EMAIL",
            help="Send to these addresses instead of the subscribers.",
        )

    def handle(self, *args, dry_run: bool, since: str | None, to: list[str] | None, **options):
        try:
            result = send_digest(
                since=parse_since(since) if since else None,
                to=check_addresses(to) if to else None,
                dry_run=dry_run,
            )
        except DigestError as error:
            raise CommandError(str(error)) from error
        if not result.items:
            self.stdout.write(
                f"Nothing to send: no item that may be broadcast is new since "
                f"{result.since:%Y-%m-%d %H:%M %Z}."
            )
            return
        if dry_run:
            self.stdout.write(f"Subject: {result.content.subject}")
            self.stdout.write(f"To: {', '.join(result.recipients) or 'nobody'}")
            self.stdout.write("")
            self.stdout.write(result.content.text)
            self.stdout.write("Dry run: nothing was sent or recorded.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Sent “{result.content.subject}” to {len(result.recipients)} "
                f"recipient{'s' if len(result.recipients) != 1 else ''}."
            )
        )
