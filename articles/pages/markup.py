"""Escaping and time elements for the pages written in Python (`frame`, `story`, the cards).

`conditional_escape` goes through `keep_lazy` on every call, to find lazy strings among its
arguments; a story page escapes some ninety values, and that wrapper was a tenth of writing
them. `esc` gives the same text for the values these pages escape (text, numbers, and safe
strings or anything with `__html__`, kept as they are): `html.escape`, as Django's `escape`.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable

from django.utils import timezone


def esc(value: object) -> str:
    """`conditional_escape(value)`, as a plain str."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))  # a lazy string too: str() makes it text


def time_element(moment: datetime.datetime | None, text: Callable[[datetime.datetime], str]) -> str:
    """`<time datetime="…">text</time>` for `moment` in the site's zone, as the `date` filter
    writes "c" (`isoformat()`) and `text`; an empty element where there is no moment."""
    if moment is None:
        return '<time datetime=""></time>'
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f'<time datetime="{moment.isoformat()}">{esc(text(moment))}</time>'
