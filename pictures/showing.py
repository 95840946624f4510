"""How a story's lead picture is shown, on whichever channel, and whether it may be.

A lead picture is judged by its own rights, never by its story's: the policy's `decide()` for
every right the channel needs (`CHANNEL_RIGHTS`), now, in the reader's country. The page, the
front page, feeds, the ninjs API, the newsletter, JSON-LD and the desk all ask `allowed()` or
`decision()` here, and read its credit, its renditions and its licence from here, so one
picture reads the same everywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from articles.rights import Decision, decide, shown_to_some_readers
from articles.vocabulary import Channel, rights_for
from pictures.models import Picture
from pictures.renditions import KINDS

# The channels the desk reports a picture's carriage on, in the order it names them.
CARRIAGE = (Channel.PAGE, Channel.FEED, Channel.API, Channel.NEWSLETTER)
CHANNEL_WORDS = {
    Channel.PAGE: "the public pages",
    Channel.FEED: "the RSS and Atom feeds",
    Channel.API: "the ninjs API",
    Channel.NEWSLETTER: "the newsletter",
}
# The picture's fields the channels read, with the story's query (`select_related`): never its
# file's rights metadata as received, which can be large.
NOT_READ = ("wire_original",)

Absolute = Callable[[str], str]


def decision(
    picture: Picture,
    channel: Channel,
    *,
    at: datetime.datetime,
    country: str | None = None,
) -> Decision:
    """The policy's answer for `picture` on `channel`: every right the channel needs, each
    reason said once."""
    reasons: list[str] = []
    for right in rights_for(channel):
        for reason in decide(picture, right, at=at, country=country).reasons:
            if reason not in reasons:
                reasons.append(reason)
    return Decision(allowed=not reasons, reasons=tuple(reasons))


def allowed(
    picture: Picture | None,
    channel: Channel,
    *,
    at: datetime.datetime,
    country: str | None = None,
) -> bool:
    return picture is not None and decision(picture, channel, at=at, country=country).allowed


def lead_for(
    article, channel: Channel, *, at: datetime.datetime, country: str | None = None
) -> Picture | None:
    """The story's lead picture where `channel` may show it to a reader in `country`, else None.
    Costs no query where the story was read with `select_related("lead_picture__source")`."""
    picture = article.lead_picture if article.lead_picture_id else None
    return picture if allowed(picture, channel, at=at, country=country) else None


def carried_on(picture: Picture, *, at: datetime.datetime) -> list[Channel]:
    """The channels of `CARRIAGE` that may carry it now. A channel that asks the reader's
    country carries a picture limited by territories where they allow; the newsletter has no
    reader's country, so it never does."""
    carried = []
    for channel in CARRIAGE:
        per_reader = channel != Channel.NEWSLETTER and all(
            shown_to_some_readers(picture, right, at=at) for right in rights_for(channel)
        )
        if per_reader or decision(picture, channel, at=at).allowed:
            carried.append(channel)
    return carried


@dataclass(frozen=True)
class Carriage:
    """What the desk says of a picture now: the page's decision, the channels that carry it, and
    for each other channel the reasons the page's decision has not given already (none where
    they are the same)."""

    page: Decision
    carried: tuple[Channel, ...]
    withheld: tuple[tuple[Channel, tuple[str, ...]], ...]

    @property
    def shown(self) -> bool:
        return self.page.allowed

    @property
    def per_reader(self) -> bool:
        """Whether the page shows it to some readers only (a territory limit)."""
        return not self.page.allowed and Channel.PAGE in self.carried


def carriage(picture: Picture, *, at: datetime.datetime) -> Carriage:
    """Where `picture` goes now and why not elsewhere: the change form's panels and the body
    editor's placed pictures say the same from this."""
    page = decision(picture, Channel.PAGE, at=at)
    carried = tuple(carried_on(picture, at=at))
    said = page.reasons
    withheld = tuple(
        (channel, tuple(r for r in decision(picture, channel, at=at).reasons if r not in said))
        for channel in CARRIAGE
        if channel != Channel.PAGE and channel not in carried
    )
    return Carriage(page=page, carried=carried, withheld=withheld)


# --- how it is credited ------------------------------------------------------------------------


def holder(picture: Picture) -> str:
    return picture.copyright_holder or picture.source.name


def credit(picture: Picture) -> str:
    """Who took or supplied it, as the file says: its credit line, else its photographers,
    else its source's credit."""
    return picture.credit_line or ", ".join(picture.creators) or picture.source.credit


def copyright_of(picture: Picture) -> str:
    """ "© 2026 The Newsroom"."""
    year = f"{picture.copyright_year} " if picture.copyright_year else ""
    return f"© {year}{holder(picture)}"


def credit_line(picture: Picture) -> str:
    """ "Photo: Ana Lima / © 2026 The Newsroom"."""
    return f"Photo: {credit(picture)} / {copyright_of(picture)}"


def alt_text(picture: Picture) -> str:
    """What it shows, for readers who do not see it: its title, else its caption."""
    return picture.title or picture.caption or f"Photo: {credit(picture)}"


def licence_url(picture: Picture) -> str | None:
    """The licence the file states (a Creative Commons licence, say), else its web statement
    of rights; None when it has neither."""
    licence = picture.terms.notice.licence
    if licence is not None and licence.url:
        return licence.url
    return picture.web_statement or None


# --- its renditions ----------------------------------------------------------------------------


def height_at(picture: Picture, width: int) -> int:
    """The height of the rendition `width` wide, as `renditions.render` makes it."""
    return max(1, round(picture.height * width / picture.width))


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    ext: str
    content_type: str
    url: str


def renditions(picture: Picture, *, ext: str = "jpg", absolute: Absolute = str) -> list[Rendition]:
    """Every width it is served at, narrowest first, as `ext` (no file is made here: each is
    made on its first request); its address made absolute by `absolute` where it must be."""
    return [
        Rendition(
            w, height_at(picture, w), ext, KINDS[ext][1], absolute(picture.rendition_url(w, ext))
        )
        for w in picture.widths
    ]


def srcset(picture: Picture, ext: str, *, absolute: Absolute = str) -> str:
    return ", ".join(f"{r.url} {r.width}w" for r in renditions(picture, ext=ext, absolute=absolute))


def rendition_near(
    picture: Picture, width: int, *, ext: str = "jpg", absolute: Absolute = str
) -> Rendition:
    """The narrowest rendition at least `width` wide, else the widest."""
    offered = renditions(picture, ext=ext, absolute=absolute)
    return next((r for r in offered if r.width >= width), offered[-1])


@dataclass(frozen=True)
class Shown:
    """What a page's `<figure>` needs: the picture at a width, its srcsets, alt text, caption
    and credit line."""

    picture: Picture
    src: Rendition
    srcset_jpg: str
    srcset_webp: str
    alt: str
    caption: str
    credit: str


def shown(
    picture: Picture, *, width: int = 1024, caption: str = "", absolute: Absolute = str
) -> Shown:
    """What its `<figure>` shows; `caption` is the desk's own for this placing, where it typed
    one (else the picture's), and `absolute` makes the addresses absolute for a partner."""
    return Shown(
        picture=picture,
        src=rendition_near(picture, width, absolute=absolute),
        srcset_jpg=srcset(picture, "jpg", absolute=absolute),
        srcset_webp=srcset(picture, "webp", absolute=absolute),
        alt=alt_text(picture),
        caption=caption or picture.caption,
        credit=credit_line(picture),
    )
