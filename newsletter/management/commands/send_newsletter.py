"""Send the daily digest of new items that may be broadcast; each item goes out once, and each
recipient gets each digest once."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsletter.digest import DigestError, DigestResult, pending_digests, send_digest, send_test


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


def plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


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
        "Email the digest of items that may be published and broadcast, became public within "
        "the last NEWSLETTER_LOOKBACK_DAYS days and have not gone out, to the active "
        "subscribers, else NEWSLETTER_RECIPIENTS. Pending deliveries of an earlier digest that "
        "stopped part-way are delivered first. Exits non-zero if an address was refused."
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
            help="Take items that became public since then, instead of the look-back.",
        )
        parser.add_argument(
            "--to",
            nargs="+",
            action="extend",
            metavar="EMAIL",
            help="A test send: email the digest to these addresses only and record nothing, so "
            "its items still go to the subscribers with the next run.",
        )

    def handle(self, *args, dry_run: bool, since: str | None, to: list[str] | None, **options):
        addresses = check_addresses(to) if to else None
        start = parse_since(since) if since else None
        try:
            if addresses and not dry_run:
                result = send_test(to=addresses, since=start)
            else:
                result = send_digest(since=start, dry_run=dry_run)
        except DigestError as error:
            raise CommandError(str(error)) from error
        for report in result.resumed:
            self.stdout.write(
                f"Finished “{report.subject}”: "
                f"delivered to {plural(report.sent, 'pending recipient')}."
            )
            if report.dropped:
                self.stdout.write(
                    f"Dropped {plural(report.dropped, 'pending delivery', 'pending deliveries')} "
                    f"of “{report.subject}”: none of its items may be broadcast now."
                )
        if not result.items:
            self.stdout.write(
                f"Nothing new to send: no item that may be broadcast became public since "
                f"{result.since:%Y-%m-%d %H:%M %Z} without going out."
            )
        elif dry_run:
            self.print_dry_run(result, addresses)
        elif addresses:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Test send of “{result.report.subject}” to {result.report.sent} of "
                    f"{plural(len(result.recipients), 'address', 'addresses')}; "
                    "nothing was recorded."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sent “{result.report.subject}” to {result.report.sent} of "
                    f"{plural(len(result.recipients), 'recipient')}."
                )
            )
        if result.refused:
            refused = "; ".join(f"{r.address}: {r.error}" for r in result.refused)
            raise CommandError(f"Refused by the mail server, so not delivered to: {refused}")

    def print_dry_run(self, result: DigestResult, addresses: list[str] | None) -> None:
        for digest in pending_digests():
            self.stdout.write(
                f"First, {plural(digest.pending, 'pending delivery', 'pending deliveries')} of "
                f"“{digest.subject}” would be made."
            )
        self.stdout.write(f"Subject: {result.content.subject}")
        self.stdout.write(f"To: {', '.join(addresses or result.recipients) or 'nobody'}")
        self.stdout.write("")
        self.stdout.write(result.content.text)
        self.stdout.write("Dry run: nothing was sent or recorded.")
