"""Plain data that every wire parser returns: no ORM, no database, so parsers test in isolation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from articles.notices import Notice


@dataclass(frozen=True)
class ParsedByline:
    """A credited person as the copy names them, in name case."""

    name: str
    role: str  # one of articles.models.Byline.Role values: writing, reporting, editing, ...
    place: str = ""  # "in Ankara" for "(Reporting by A in Ankara ...)"


@dataclass
class ParsedItem:
    """One news item read from a wire file, before it is stored."""

    format: str  # "text", "ninjs", "newsml", "nitf"
    guid: str  # from the copy (ninjs uri, NewsML guid, NITF doc-id); "" for plain text
    headline: str
    body_html: str  # not yet sanitised: the loader runs nh3 over it
    headline_is_working: bool = False  # True when made from the lead's first sentence
    standfirst: str = ""
    dateline: str = ""
    language: str = ""
    version: int | None = None  # the wire's own version number, where it has one
    version_created: datetime.datetime | None = None
    embargo_until: datetime.datetime | None = None
    rights_start: datetime.datetime | None = None
    rights_expire_at: datetime.datetime | None = None
    zone_assumed: list[str] = field(default_factory=list)  # fields whose times named no zone
    killed: bool = False  # pubStatus canceled / withheld
    provider: str = ""  # the agency that sent it, where the copy says so
    slugline: str = ""
    section: str = ""  # only from a field that names one (a section or service), never a subject
    keywords: list[str] = field(default_factory=list)  # the subjects the copy names
    located: str = ""
    bylines: list[ParsedByline] = field(default_factory=list)
    notice: Notice = field(default_factory=Notice)
    territories: frozenset[str] = frozenset()  # ISO 3166-1 alpha-2, from rights geography
    original: str = ""  # the item as received, verbatim (decoded text)
    pictures: list[WirePicture] = field(default_factory=list)  # the first is the lead


@dataclass
class WirePicture:
    """A picture a story brings with it (a ninjs or AP association, a NewsML-G2 picture item, a
    NewsML 1.2 photo component), or a NewsML-G2 picture item on its own: where its file is, and
    what the wire says of it. The file is found and read by the loader, only beside the item;
    nothing is fetched."""

    guid: str  # the picture item's own guid ("" where it has none: the loader makes one)
    name: str  # the association's name, or the picture item's place in the file
    href: str  # as the wire gives it: a relative path, a file name (or what is refused)
    field: str  # where the href stands, for messages ("associations.featureimage...href")
    title: str = ""
    caption: str = ""
    notice: Notice = field(default_factory=Notice)
    rights_start: datetime.datetime | None = None
    rights_expire_at: datetime.datetime | None = None
    credit: str = ""
    creators: list[str] = field(default_factory=list)  # the photographers, by name
    provider: str = ""  # the agency that sent it, where the wire says so
    web_statement: str = ""  # a link to the rights or the licence (G2 rightsInfo/link)
    original: str = ""  # the wire's rights statement as received, kept with the picture
    problem: str = ""  # why it cannot be read (a malformed association): reported, not stored
    # The wire only names the picture (an AP association whose item is not in the file): no
    # file to look for, so reported as skipped, as a URL is.
    only_named: bool = False


@dataclass(frozen=True)
class UnreadItem:
    """One item of a many-item file (a NewsML message, a ninjs list, a feed) that could not be
    read. The file's other items are still read and stored; this one is reported by its guid."""

    guid: str  # as the copy names it; "#3" (its place in the file) when it names none
    error: ParseError

    @property
    def skipped(self) -> bool:
        return isinstance(self.error, Skipped)


def keyword_list(names: Iterable[str]) -> list[str]:
    """`names` as keywords: whitespace collapsed, empty ones dropped, each once (in any case)."""
    keywords, seen = [], set()
    for name in names:
        keyword = " ".join(name.split())
        if keyword and keyword.casefold() not in seen:
            seen.add(keyword.casefold())
            keywords.append(keyword)
    return keywords


class ParseError(ValueError):
    """Bad input. The message names what is wrong and where (item and field)."""

    def __init__(self, message: str, *, item: str = "", field: str = ""):
        self.message = message
        self.item = item
        self.field = field
        parts = [
            p for p in (f"item {item}" if item else "", f"field {field}" if field else "") if p
        ]
        super().__init__(f"{', '.join(parts)}: {message}" if parts else message)


class Skipped(ParseError):
    """Not a failure: an item that is no story (a picture, a video, a logo in a mail), reported
    and passed over. Its report's status is "skipped", and a run with only these succeeds."""
