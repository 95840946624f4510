"""The one way an HTML body is made safe to store and show: nh3 with a newsroom's tag list."""

from __future__ import annotations

import nh3

TAGS = {
    "p", "br", "h2", "h3", "h4", "blockquote", "q", "cite", "em", "strong", "b", "i", "u", "s",
    "sub", "sup", "small", "abbr", "ul", "ol", "li", "dl", "dt", "dd", "a", "figure",
    "figcaption", "table", "thead", "tbody", "tr", "th", "td", "caption", "hr", "pre", "code",
    "span", "time",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "time": {"datetime"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "blockquote": {"cite"},
    "q": {"cite"},
}


def clean_html(html: str) -> str:
    """Return `html` with every tag, attribute and URL scheme outside the allow-list removed."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()
