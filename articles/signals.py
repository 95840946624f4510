"""Checks of an item's text that other apps lend the rules, connected from their `ready()`.

The copy detector connects to `text_check`: the publish gate and the guard on live text ask it
without importing it, so the models stand below the apps that judge their text.
"""

from __future__ import annotations

from typing import Protocol

from django.dispatch import Signal

# Sent with `article`, an item as it would be stored; each receiver returns a `TextReport`.
text_check = Signal()


class TextReport(Protocol):
    """What a text check says of an item: whether it passes the threshold, and why in words."""

    @property
    def exceeds(self) -> bool: ...

    @property
    def reasons(self) -> list[str]: ...


def text_reports(article) -> list[TextReport]:
    """Every connected check's report on `article`'s text."""
    return [report for _, report in text_check.send(sender=type(article), article=article)]
