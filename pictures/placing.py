"""Pictures placed in a story's body, each shown only where its own rights allow the channel.

The body stores a placing as `<figure data-picture="ID"></figure>`, with the desk's own caption
in a `<figcaption>` where it typed one (`articles.sanitise` keeps nothing else on a figure). At
render time each placing becomes the picture's figure, the lead picture's markup
(`articles/includes/figure.html`), where `showing.allowed()` lets the channel show that
picture to that reader now; otherwise it is removed whole, caption and id with it. So is a
placing of a picture that does not exist. Every picture of the bodies a response shows is read
in one query (`fetch()`), whatever their number.
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from articles import surrogates
from articles.caching import next_change
from articles.sanitise import PICTURE_ATTRIBUTE, picture_id
from articles.vocabulary import Channel
from pictures import showing
from pictures.models import Picture

FIGURE = "articles/includes/figure.html"
# The browser's choice of rendition: the body's column, as the lead picture's.
SIZES = "(min-width: 72rem) 65ch, 100vw"
WIDTH = 1024


@dataclass(frozen=True)
class Placing:
    """One placing in a body: the picture it names, where it stands (`body[start:end]`), and
    the caption the desk typed for it, as plain text ("" for none)."""

    picture_id: int
    start: int
    end: int
    caption: str


class _Finder(HTMLParser):
    """Finds each outermost `<figure data-picture>` and its own `<figcaption>` by offset, so the
    rest of the body is left exactly as stored."""

    def __init__(self, body: str) -> None:
        super().__init__(convert_charrefs=False)
        self.body = body
        self.lines = [0, *(i + 1 for i, ch in enumerate(body) if ch == "\n")]
        self.found: list[Placing] = []
        self.depth = 0  # of figures
        self.open: dict | None = None

    def _at(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._at()
        if tag == "figure":
            self.depth += 1
            named = dict(attrs)
            number = picture_id(named.get(PICTURE_ATTRIBUTE))
            if self.open is None and number is not None:
                end = start + len(self.get_starttag_text() or "")
                self.open = {"id": number, "start": start, "opened": end, "depth": self.depth}
        elif tag == "figcaption" and self._own(self.open) and "caption" not in self.open:
            self.open["caption"] = [start + len(self.get_starttag_text() or ""), None]

    def _own(self, open_: dict | None) -> bool:
        return open_ is not None and self.depth == open_["depth"]

    def handle_endtag(self, tag: str) -> None:
        start = self._at()
        if tag == "figcaption" and self._own(self.open) and "caption" in self.open:
            if self.open["caption"][1] is None:
                self.open["caption"][1] = start
        elif tag == "figure" and self.depth:
            if self._own(self.open):
                self._close(self.body.find(">", start) + 1)
            self.depth -= 1

    def _close(self, end: int) -> None:
        opened, self.open = self.open, None
        first, last = opened.get("caption", (None, None))
        caption = self.body[first:last] if first is not None and last is not None else ""
        text = " ".join(html.unescape(strip_tags(caption)).split())
        self.found.append(Placing(opened["id"], opened["start"], end, text))

    def close(self) -> None:
        super().close()
        if self.open is not None:  # never closed: only its opening tag goes
            self._close(self.open["opened"])


def placings(body: str) -> list[Placing]:
    """The body's placings in order; none without parsing where the body names no picture."""
    if not body or PICTURE_ATTRIBUTE not in body:
        return []
    finder = _Finder(body)
    finder.feed(body)
    finder.close()
    return finder.found


def picture_ids(bodies: Iterable[str]) -> list[int]:
    """Every picture the bodies place, each once, in the order they come."""
    return list(dict.fromkeys(p.picture_id for body in bodies for p in placings(body)))


def fetch(ids: Iterable[int]) -> dict[int, Picture]:
    """The pictures with these ids that exist, with their sources: one query, none for no id."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    found = Picture.objects.filter(pk__in=wanted).select_related("source").defer(*showing.NOT_READ)
    return {picture.pk: picture for picture in found}


@dataclass(frozen=True)
class Placed:
    pictures: Mapping[int, Picture]
    # The first moment one of them changes by the clock, which bounds a response's lifetime.
    next_change: datetime.datetime | None = None


def pictures_of(bodies: Iterable[str], *, at: datetime.datetime) -> Placed:
    """The pictures the bodies place, read in one query, named among the response's surrogate
    keys (shown or not: a change to one can show or hide it), with the first moment one of them
    changes by the clock."""
    ids = picture_ids(bodies)
    pictures = fetch(ids)
    # A placing of a picture that does not exist is named too, by its key.
    surrogates.name(*(pictures.get(pk) or f"picture-{pk}" for pk in ids))
    changes = (next_change(at=at, article=picture) for picture in pictures.values())
    return Placed(pictures, min((t for t in changes if t is not None), default=None))


def figure(picture: Picture, *, caption: str = "", width: int = WIDTH, absolute=str) -> SafeString:
    shown = showing.shown(picture, width=width, caption=caption, absolute=absolute)
    context = {
        "shown": shown,
        "figure_class": "figure--body",
        "sizes": SIZES,
        "caption": True,
        "lazy": True,
    }
    return mark_safe(render_to_string(FIGURE, context).strip())


def render(
    body: str,
    pictures: Mapping[int, Picture],
    channel: Channel,
    *,
    at: datetime.datetime,
    country: str | None = None,
    absolute=str,
    shows: Callable[[Picture], bool] | None = None,
) -> SafeString:
    """`body` (stored clean) as `channel` shows it to a reader in `country` at `at`: each
    placing the picture's figure where its own rights allow (or `shows`, where given, says),
    else nothing at all."""
    if shows is None:

        def shows(picture: Picture) -> bool:
            return showing.allowed(picture, channel, at=at, country=country)

    found = placings(body)
    if not found:
        return mark_safe(body)
    parts, last = [], 0
    for placing in found:
        parts.append(body[last : placing.start])
        picture = pictures.get(placing.picture_id)
        if picture is not None and shows(picture):
            parts.append(figure(picture, caption=placing.caption, absolute=absolute))
        last = placing.end
    parts.append(body[last:])
    return mark_safe("".join(parts))


def without_placings(body: str) -> str:
    """`body` with every placing removed, captions and all (what a plain-text summary reads)."""
    found = placings(body)
    parts, last = [], 0
    for placing in found:
        parts.append(body[last : placing.start])
        last = placing.end
    parts.append(body[last:])
    return "".join(parts)


def render_preview(body: str, *, at: datetime.datetime | None = None) -> SafeString:
    """`body` as the desk's preview shows it: each picture placed where the public page would
    show it to some reader (`showing.carried_on`), which the desk's panel says more of."""
    at = at or timezone.now()
    pictures = fetch(picture_ids([body]))
    shown = {
        pk: picture
        for pk, picture in pictures.items()
        if Channel.PAGE in showing.carried_on(picture, at=at)
    }
    return render(body, shown, Channel.PAGE, at=at, shows=lambda picture: True)
