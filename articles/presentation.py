"""How an item is shown, whichever channel shows it: credits, copyright, its identifier and times.

Pages, feeds, sitemaps, the ninjs API and the newsletter all read these, so one item reads the
same everywhere. What a channel may show is not decided here: that is the policy's.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

from django.db.models import Case, F, Q, When
from django.db.models.lookups import GreaterThan

from articles.models import Article, Byline, Person

# The roles a story card names after "By", and schema.org counts as authors.
AUTHOR_ROLES = (Byline.Role.WRITING, Byline.Role.REPORTING, Byline.Role.ADDITIONAL_REPORTING)

# An item's `uri` must be a URI; a wire id that is not one is carried inside this prefix.
WIRE_ID_URN = "urn:newsroom:wire-id:"
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")


# --- credits and copyright -------------------------------------------------------------------


def credit_groups(article: Article) -> list[tuple[str, list[Person]]]:
    """Bylines grouped by role in the order they first appear: [("Reporting", [A, B]), ...]."""
    groups: dict[str, list[Person]] = {}
    for byline in article.bylines.all():
        people = groups.setdefault(byline.get_role_display(), [])
        if byline.person not in people:
            people.append(byline.person)
    return list(groups.items())


def authors(article: Article) -> list[Person]:
    """Everyone credited with writing or reporting, once each, in byline order."""
    people: list[Person] = []
    for byline in article.bylines.all():
        if byline.role in AUTHOR_ROLES and byline.person not in people:
            people.append(byline.person)
    return people


def _names(people: Iterable[Person]) -> str:
    names = [person.name for person in people]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def credit_text(article: Article) -> str:
    """The credit as one line: "Reporting by A and B; Writing by C / Anadolu Agency"."""
    credits = "; ".join(f"{role} by {_names(people)}" for role, people in credit_groups(article))
    return f"{credits} / {article.source.credit}" if credits else article.source.credit


def copyright_holder(article: Article) -> str:
    return article.copyright_holder or article.source.name


def licence_url(article: Article) -> str | None:
    """The URL of a licence the copy states (a Creative Commons licence, say), where it has one.

    Read from the terms stored when the copy came in (`Article.copy_terms`), never parsed again.
    """
    licence = article.terms.notice.licence
    return licence.url if licence else None


def copyright_line(article: Article) -> str:
    """One line for an entry's rights: "© 2022 Anadolu Agency. All rights reserved."."""
    year = f"{article.copyright_year} " if article.copyright_year else ""
    line = f"© {year}{copyright_holder(article)}."
    if licence := licence_url(article):
        return f"{line} Licensed under {licence}."
    return f"{line} All rights reserved."


# --- the item's identifier for partners --------------------------------------------------------


def item_uri(article: Article) -> str:
    """The item's `uri` (ninjs, an Atom entry's id): the guid where it is a URI, else the guid
    inside `WIRE_ID_URN`."""
    if _URI.match(article.guid):
        return article.guid
    return WIRE_ID_URN + quote(article.guid, safe="")


def guid_from_uri(uri: str) -> str:
    """The guid an item's `uri` stands for; the inverse of `item_uri()`."""
    if uri.startswith(WIRE_ID_URN):
        return unquote(uri.removeprefix(WIRE_ID_URN))
    return uri


# --- when it went public, and when it last changed -----------------------------------------------
# Each in Python for one item, and as a database expression for queries; a test holds them equal.


def public_from(article: Article) -> datetime.datetime | None:
    """When the item went (or goes) public: the latest of its publication, its embargo's end
    and the opening of its rights window.

    None while it has no publication time.
    """
    if article.published_at is None:
        return None
    times = [article.published_at, article.embargo_until, article.rights_start_at]
    return max(t for t in times if t is not None)


def public_from_expression() -> Case:
    """The database twin of `public_from()`."""
    # Case rather than Greatest: Greatest treats a null differently on PostgreSQL and SQLite.
    no_later_window = Q(rights_start_at__isnull=True) | Q(rights_start_at__lte=F("embargo_until"))
    return Case(
        When(Q(embargo_until__gt=F("published_at")) & no_later_window, then=F("embargo_until")),
        When(rights_start_at__gt=F("published_at"), then=F("rights_start_at")),
        default=F("published_at"),
    )


def changed_at(article: Article) -> datetime.datetime:
    """When the item last changed for anyone outside: the later of its last edit and the moment
    it went public.

    A story edited before it went public (ahead of its embargo, say) reads as changed when it
    went public, never earlier than readers could see it; one edited since, at that edit. Every
    channel's "modified" is this: JSON-LD `dateModified`, a feed entry's `updated`, a sitemap's
    `lastmod`, ninjs `versionCreated` and the API's `Last-Modified`.
    """
    public = public_from(article)
    if public is not None and public > article.updated_at:
        return public
    return article.updated_at


def changed_at_expression() -> Case:
    """The database twin of `changed_at()`."""
    return Case(
        When(GreaterThan(public_from_expression(), F("updated_at")), then=public_from_expression()),
        default=F("updated_at"),
    )


def utc_timestamp(moment: datetime.datetime) -> str:
    """A time in UTC to the second, as partners' formats write it: "2030-06-15T12:00:00Z"."""
    utc = moment.astimezone(datetime.UTC)  # written out: strftime costs a news map 2 ms
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
        f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"
    )
