"""System checks: thresholds the index can honour (`manage.py check`, and every command's start)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from copycheck.shingles import GUARANTEED_RUN


@checks.register()
def thresholds(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    run = settings.COPYCHECK_RUN_WORDS
    if not isinstance(run, int) or run < GUARANTEED_RUN:
        errors.append(
            checks.Error(
                f"COPYCHECK_RUN_WORDS is {run!r}, but the fingerprint index guarantees to find "
                f"shared runs of {GUARANTEED_RUN} words or more only; a shorter run could go "
                "unfound and be published.",
                hint=f"Set COPYCHECK_RUN_WORDS to a whole number of at least {GUARANTEED_RUN}.",
                id="copycheck.E001",
            )
        )
    share = settings.COPYCHECK_SHARE
    if not isinstance(share, int | float) or not 0 < share <= 1:
        errors.append(
            checks.Error(
                f"COPYCHECK_SHARE is {share!r}; it is the share of a story's words, above 0 "
                "and at most 1 (0.15 is 15%).",
                hint="Set COPYCHECK_SHARE to a number in (0, 1].",
                id="copycheck.E002",
            )
        )
    return errors
