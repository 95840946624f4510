"""Checks of an item's text and pictures that other apps lend the rules, connected from their
`ready()`.

The copy detector connects to `text_check`: the publish gate and the guard on live text ask it
without importing it, so the models stand below the apps that judge their text.
"""

from __future__ import annotations

from typing import Protocol

from django.dispatch import Signal

# Sent with `picture`, and `lead_of`, the article it leads where it is asked for one; each
# receiver returns a `TextReport` of whether the picture copies one it may not.
picture_check = Signal()

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


def picture_reports(picture, *, lead_of=None) -> list[TextReport]:
    """Every connected check's report on `picture`, alone or as `lead_of`'s lead picture."""
    return [
        report
        for _, report in picture_check.send(sender=type(picture), picture=picture, lead_of=lead_of)
    ]
