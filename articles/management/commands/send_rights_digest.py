"""`manage.py send_rights_digest`: email the rights managers what ends within 7 and 30 days.

Run it weekly (a cron line or a systemd timer, as the README shows). It writes to every active
member of the Rights manager group with an email address, and to superusers with one, unless
`--to` names the addresses; `--dry-run` prints the message instead.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from articles.desks import rights_digest

RIGHTS_GROUP = "Rights manager"


class Command(BaseCommand):
    help = "Email the rights managers the licences and items' rights ending within 7 and 30 days."

    def add_arguments(self, parser):
        parser.add_argument("--to", nargs="+", metavar="ADDRESS", help="Send only to these.")
        parser.add_argument("--dry-run", action="store_true", help="Print it; send nothing.")
        parser.add_argument(
            "--even-if-empty", action="store_true", help="Send when nothing ends, too."
        )

    def handle(self, *args, **options):
        digest = rights_digest()
        site_url = getattr(settings, "SITE_URL", "").rstrip("/")
        body = digest.text(site_url=site_url)
        recipients = options["to"] or self._rights_managers()
        if options["dry_run"]:
            self.stdout.write(f"To: {', '.join(recipients) or '(nobody)'}")
            self.stdout.write(f"Subject: {digest.subject}\n\n{body}")
            return
        if digest.empty and not options["even_if_empty"]:
            self.stdout.write("Nothing ends within 30 days: no digest sent.")
            return
        if not recipients:
            raise CommandError(
                f"No one to send it to: no active member of “{RIGHTS_GROUP}” or superuser has "
                "an email address. Give one, or name addresses with --to.",
                returncode=1,
            )
        EmailMessage(digest.subject, body, to=recipients).send()
        self.stdout.write(f"Sent “{digest.subject}” to {len(recipients)} address(es).")

    @staticmethod
    def _rights_managers() -> list[str]:
        users = get_user_model().objects.filter(is_active=True).exclude(email="")
        chosen = users.filter(Q(groups__name=RIGHTS_GROUP) | Q(is_superuser=True)).distinct()
        return sorted({user.email for user in chosen})
