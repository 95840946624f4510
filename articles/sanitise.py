"""The one way an HTML body is made safe to store and show: nh3 with a newsroom's tag list.

A picture placed in a body is stored as `<figure data-picture="ID">` (with the caption the desk
typed, if any, in its `<figcaption>`): the one attribute kept on a figure, and only as a whole
positive number. `pictures.placing` turns it into the picture, channel by channel.
"""

from __future__ import annotations

import re

import nh3

TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "q", "cite", "em", "strong", "b", "i", "u", "s",
    "sub", "sup", "small", "abbr", "ul", "ol", "li", "dl", "dt", "dd", "a", "figure",
    "figcaption", "table", "thead", "tbody", "tr", "th", "td", "caption", "hr", "pre", "code",
    "span", "time",
}  # fmt: skip
PICTURE_ATTRIBUTE = "data-picture"
# A picture's id as stored: digits only, at most 18 (a 64-bit key), no sign, space or exponent.
PICTURE_ID = re.compile(r"[0-9]{1,18}")
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "time": {"datetime"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "figure": {PICTURE_ATTRIBUTE},
}


def picture_id(value: str | None) -> int | None:
    """The picture id a `data-picture` value names, else None (anything but a positive whole
    number written in ASCII digits)."""
    if value is None or not PICTURE_ID.fullmatch(value):
        return None
    return int(value) or None


def _keep(tag: str, attribute: str, value: str) -> str | None:
    if attribute == PICTURE_ATTRIBUTE:
        number = picture_id(value) if tag == "figure" else None
        return None if number is None else str(number)
    return value


def _keep_no_placing(tag: str, attribute: str, value: str) -> str | None:
    return None if attribute == PICTURE_ATTRIBUTE else value


def clean_html(html: str, *, placings: bool = True) -> str:
    """Return `html` with every tag, attribute and URL scheme outside the allow-list removed.

    `placings=False` removes the pictures placed in it too (copy from outside, whose ids are
    not our library's)."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep if placings else _keep_no_placing,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
