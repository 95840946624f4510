"""Reset a person's second factor, or (in development) print the code their app shows now."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from security import second_factor


def after_reset(user, removed: int) -> str:
    if removed:
        return "second factor removed; they set up a new authenticator app at their next sign-in."
    if second_factor.required_of(user):
        return "had no second factor; they set one up at their next sign-in."
    return "had no second factor."


class Command(BaseCommand):
    help = (
        "reset USERNAME...: remove their authenticator app; they set up a new one at their next "
        "sign-in. code USERNAME: print the code their app shows now (only with DEBUG on)."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["reset", "code"])
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")

    def handle(self, *args, what: str, usernames: list[str], **options):
        User = get_user_model()
        users = []
        for name in usernames:
            try:
                users.append(User.objects.get_by_natural_key(name))
            except User.DoesNotExist:
                raise CommandError(f"No user “{name}”.") from None
        if what == "reset":
            for user in users:
                removed = second_factor.reset(user, by="manage.py second_factor")
                self.stdout.write(f"{user.get_username()}: {after_reset(user, removed)}")
            return
        if not settings.DEBUG:
            raise CommandError(
                "“second_factor code” prints a live code, so it runs only with DEBUG on (in "
                "development). In production, use an authenticator app, or reset the person's "
                "second factor."
            )
        for user in users:
            device = second_factor.device_of(user) or second_factor.pending_device(user)
            self.stdout.write(f"{user.get_username()}: {second_factor.current_code(device)}")
