"""The desk's sign-in: lockouts, a second factor, session lifetimes, and deployment checks."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self) -> None:
        from security import checks, sessions  # noqa: F401 - registers the checks and receivers
