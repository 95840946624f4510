"""Create the demo's admin login and one login per editorial role, printing the password once."""

from __future__ import annotations

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

ROLES = {"reporter": "Reporter", "editor": "Editor", "rights": "Rights manager"}
SECOND_FACTOR = (
    "“admin” and “rights” also sign in with a second factor: at their first sign-in the desk "
    "shows a QR code to scan with an authenticator app. Without one at hand, "
    "“python manage.py second_factor code admin” prints the current code (with DEBUG on only). "
    "“reporter” and “editor” sign in with the password alone."
)


class Command(BaseCommand):
    help = "Create the admin user (and reporter, editor, rights users) for the demo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default="127.0.0.1:8000", help="where the server runs, for the login URL"
        )

    def handle(self, *args, **options):
        User = get_user_model()
        given = os.environ.get("DEMO_ADMIN_PASSWORD", "")
        if User.objects.filter(username="admin").exists() and not given:
            self.stdout.write(
                "Admin login exists: user “admin”, password as printed when it was made "
                "(set DEMO_ADMIN_PASSWORD to reset it).\n" + SECOND_FACTOR
            )
            self.stdout.write(tour(options["host"]))
            return
        password = given or secrets.token_urlsafe(12)
        admin, _ = User.objects.get_or_create(username="admin")
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        for username, group_name in ROLES.items():
            user, _ = User.objects.get_or_create(username=username)
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.set([Group.objects.get(name=group_name)])
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: http://{options['host']}/admin/  "
                f"user “admin”  password “{password}”\n"
                f"Role logins with the same password: {', '.join(ROLES)}."
            )
        )
        self.stdout.write(SECOND_FACTOR)
        self.stdout.write(tour(options["host"]))


def tour(host: str) -> str:
    """What to try first, in the order that shows what Newsroom is for."""
    steps = [
        f"Sign in as “editor” at http://{host}/admin/ and open a story the desk holds back "
        "(Editor’s desk → Refused at the gate): the refusal names the notice and what would "
        "allow it.",
        "Sign in as “rights” and override it with a reason: it goes live, and the audit log "
        "(Audit entries) records who, when and why.",
        "Sign in as “reporter” and upload a file from articles/demo/wire/ (Upload wire copy): "
        "the report shows the rights read from its notice.",
        "As “rights”, untick the “publish” right of a published Northern Wire story and open "
        f"it at http://{host}/: it answers 451 with the reason at once, and leaves the feeds, the "
        "sitemap and the API; withdrawn, it answers 410.",
    ]
    return "Try first:\n" + "\n".join(f"  {n}. {step}" for n, step in enumerate(steps, 1))
