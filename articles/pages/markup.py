"""Escaping for the pages written in Python (`frame`, `story`, the cards).

`conditional_escape` goes through `keep_lazy` on every call, to find lazy strings among its
arguments; a story page escapes some ninety values, and that wrapper was a tenth of writing
them. `esc` gives the same text for the values these pages escape (text, numbers, and safe
strings or anything with `__html__`, kept as they are): `html.escape`, as Django's `escape`.
"""

from __future__ import annotations

import html

from django.utils.functional import Promise


def esc(value: object) -> str:
    """`conditional_escape(value)`, as a plain str."""
    if hasattr(value, "__html__"):
        return value.__html__()
    if isinstance(value, Promise):
        value = str(value)
    return html.escape(str(value))
