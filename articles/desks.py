"""What each role's desk lists: the shelves of work a reporter, an editor and a rights manager
open the desk to find, each a named set of items.

A shelf's items and its count come from one queryset, and the desk's "see all" link opens the
article list filtered by the same name (`articles.admin.filters.DeskFilter` calls `SHELVES`),
so what the desk counts and what the list shows cannot disagree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone

from articles.audit import AuditEntry
from articles.models import Article, Licence, OverrideRequest
from articles.vocabulary import Right, Status

# How many items a shelf shows before "see all".
SHELF_ITEMS = 5
# How far ahead the rights manager's desk looks for licences and rights ending.
ENDING_SOON_DAYS = 7
ENDING_DAYS = 30
# The steps whose latest tells whether an item's publication was last refused.
_GATE_ACTIONS = (AuditEntry.Action.PUBLISH, AuditEntry.Action.REFUSAL, AuditEntry.Action.OVERRIDE)


def _latest_gate_entry(field_name: str) -> Subquery:
    return Subquery(
        AuditEntry.objects.filter(article=OuterRef("pk"), action__in=_GATE_ACTIONS)
        .order_by("-at", "-id")
        .values(field_name)[:1]
    )


def my_drafts(user, *, at: datetime.datetime) -> QuerySet[Article]:
    """Drafts the user made: the first revision of each is theirs."""
    made = Article.history.filter(history_type="+", history_user=user).values("id")
    return Article.objects.filter(status=Status.DRAFT, pk__in=made).order_by("-updated_at")


def my_uploads(user, *, at: datetime.datetime) -> QuerySet[Article]:
    """Items the user ingested (by the upload page), newest first."""
    ingested = AuditEntry.objects.filter(actor=user, action=AuditEntry.Action.INGEST)
    return Article.objects.filter(pk__in=ingested.values("article")).order_by("-created_at")


def in_review(user, *, at: datetime.datetime) -> QuerySet[Article]:
    return Article.objects.filter(status=Status.REVIEW).order_by("updated_at")


def scheduled(user, *, at: datetime.datetime) -> QuerySet[Article]:
    return Article.objects.filter(status=Status.SCHEDULED, published_at__gt=at).order_by(
        "published_at"
    )


def ready(user, *, at: datetime.datetime) -> QuerySet[Article]:
    """In review, and its rights allow publication now: an editor's next steps."""
    return (
        Article.objects.cleared(Right.PUBLISH, at=at)
        .filter(status=Status.REVIEW)
        .order_by("updated_at")
    )


def refused(user, *, at: datetime.datetime) -> QuerySet[Article]:
    """Drafts and items in review whose last attempt at publication was refused, with the
    refusal's reason (`refusal`)."""
    return (
        Article.objects.filter(status__in=[Status.DRAFT, Status.REVIEW])
        .annotate(gate=_latest_gate_entry("action"), note=_latest_gate_entry("reason"))
        .filter(gate=AuditEntry.Action.REFUSAL)
        .order_by("-updated_at")
    )


def override_requests(user, *, at: datetime.datetime) -> QuerySet[Article]:
    """Items an editor asked a rights manager to override, oldest request first, with the
    editor's note (`note`)."""
    waiting = OverrideRequest.objects.open().filter(article=OuterRef("pk"))
    return (
        Article.objects.filter(Exists(waiting))
        .annotate(
            note=Subquery(waiting.values("note")[:1]),
            asked=Subquery(waiting.values("asked_at")[:1]),
        )
        .order_by("asked")
    )


def my_requests(user, *, at: datetime.datetime) -> QuerySet[Article]:
    """Items the user asked an override for in the last ENDING_DAYS days, with where the
    request stands in words (`note`: "Granted: …", "Declined: …"), newest first."""
    state = OverrideRequest.State
    mine = (
        OverrideRequest.objects.filter(
            article=OuterRef("pk"), asked_by=user, asked_at__gte=at - _days(ENDING_DAYS)
        )
        .annotate(
            said=Case(
                When(state=state.OPEN, then=Value(state.OPEN.label)),
                When(state=state.GRANTED, then=Concat(Value("Granted: "), "answer")),
                default=Concat(Value("Declined: "), "answer"),
                output_field=CharField(),
            )
        )
        .order_by("-asked_at", "-id")
    )
    return (
        Article.objects.filter(Exists(mine))
        .annotate(
            note=Subquery(mine.values("said")[:1]), asked=Subquery(mine.values("asked_at")[:1])
        )
        .order_by("-asked")
    )


def rights_review(user, *, at: datetime.datetime) -> QuerySet[Article]:
    return Article.objects.needing_rights_review().select_related("source").order_by("created_at")


def rights_ending(user, *, at: datetime.datetime) -> QuerySet[Article]:
    """Items in play whose own rights end within ENDING_DAYS."""
    return (
        Article.objects.still_going()
        .filter(rights_expire_at__gt=at, rights_expire_at__lte=at + _days(ENDING_DAYS))
        .order_by("rights_expire_at")
    )


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


SHELVES: dict[str, tuple[str, Callable[..., QuerySet[Article]]]] = {
    "my_drafts": ("My drafts", my_drafts),
    "my_uploads": ("My recent uploads", my_uploads),
    "in_review": ("In review", in_review),
    "scheduled": ("Scheduled", scheduled),
    "ready": ("Ready to publish", ready),
    "refused": ("Refused at the gate", refused),
    "my_requests": ("My override requests", my_requests),
    "override_requests": ("Override requests", override_requests),
    "rights_review": ("Waiting for rights review", rights_review),
    "rights_ending": (f"Rights ending in the next {ENDING_DAYS} days", rights_ending),
}


@dataclass
class Shelf:
    """One list on a desk: its first items, how many there are in all, and its name, which the
    article list's `desk` filter takes to show them all."""

    name: str
    title: str
    items: list[Article]
    count: int
    empty: str = "Nothing here."

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def shelf(name: str, user, *, at: datetime.datetime | None = None, empty: str = "") -> Shelf:
    title, choose = SHELVES[name]
    chosen = choose(user, at=at or timezone.now()).select_related("source")
    return Shelf(
        name=name,
        title=title,
        items=list(chosen[:SHELF_ITEMS]),
        count=chosen.count(),
        empty=empty or "Nothing here.",
    )


@dataclass
class Desk:
    """The shelves one role reads first, in the order they read them."""

    role: str  # "reporter", "editor", "rights-manager"
    title: str
    shelves: list[Shelf] = field(default_factory=list)
    licences_ending: list[Ending] = field(default_factory=list)
    blocked_by_source: list[tuple[str, int]] = field(default_factory=list)


def desks_for(user, *, at: datetime.datetime | None = None) -> list[Desk]:
    """The desks a user's permissions open: a rights manager's, an editor's, and their own
    stories (anyone who writes: a reporter's desk). A superuser, or a member of several groups,
    gets each of theirs, the role's queue first."""
    at = at or timezone.now()
    desks = []
    if user.has_perm("articles.change_article_rights"):
        desks.append(
            Desk(
                "rights-manager",
                "Rights manager’s desk",
                [
                    shelf("override_requests", user, at=at, empty="No one is waiting on you."),
                    shelf("rights_review", user, at=at),
                    shelf("rights_ending", user, at=at),
                ],
                licences_ending=licences_ending(at=at),
                blocked_by_source=blocked_by_source(at=at),
            )
        )
    if user.has_perm("articles.publish_article"):
        editor_shelves = ("in_review", "ready", "scheduled", "refused", "my_requests")
        desks.append(
            Desk("editor", "Editor’s desk", [shelf(n, user, at=at) for n in editor_shelves])
        )
    if user.has_perm("articles.add_article"):
        own = [
            shelf("my_drafts", user, at=at, empty="No drafts of yours."),
            shelf("my_uploads", user, at=at, empty="Nothing uploaded by you yet."),
        ]
        desks.append(Desk("reporter", "Your stories" if desks else "Reporter’s desk", own))
    return desks


@dataclass(frozen=True)
class Ending:
    """A licence that ends soon: how soon in words, and whether within ENDING_SOON_DAYS."""

    licence: Licence
    when: str
    soon: bool


def licences_ending(
    *, at: datetime.datetime, days: int = ENDING_DAYS, limit: int = 20
) -> list[Ending]:
    """Licences that end within `days`, soonest first, each with how soon ("in 3 days")."""
    ending = (
        Licence.objects.filter(valid_until__gt=at, valid_until__lte=at + _days(days))
        .select_related("source")
        .order_by("valid_until")[:limit]
    )
    return [
        Ending(
            licence,
            _how_soon(licence.valid_until - at),
            soon=licence.valid_until <= at + _days(ENDING_SOON_DAYS),
        )
        for licence in ending
    ]


def blocked_by_source(*, at: datetime.datetime, limit: int = 10) -> list[tuple[str, int]]:
    """The sources with most items blocked from publication, with how many each."""
    rows = (
        Article.objects.blocked(Right.PUBLISH, at=at)
        .values("source__name")
        .annotate(n=Count("id"))
        .order_by("-n", "source__name")[:limit]
    )
    return [(row["source__name"], row["n"]) for row in rows]


def _how_soon(left: datetime.timedelta) -> str:
    if left < datetime.timedelta(days=1):
        hours = max(1, round(left.total_seconds() / 3600))
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    days = round(left.total_seconds() / 86400)
    return f"in {days} day{'s' if days != 1 else ''}"


# --- the weekly warning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RightsDigest:
    """What a rights manager must act on before it happens: licences and items' rights ending
    within ENDING_SOON_DAYS and within ENDING_DAYS."""

    at: datetime.datetime
    licences: list[Ending]
    items_soon: list[Article]
    items_later: list[Article]

    @property
    def empty(self) -> bool:
        return not (self.licences or self.items_soon or self.items_later)

    @property
    def subject(self) -> str:
        soon = sum(e.soon for e in self.licences) + len(self.items_soon)
        return (
            f"Rights ending: {soon} within {ENDING_SOON_DAYS} days, "
            f"{len(self.licences) + len(self.items_soon) + len(self.items_later)} within "
            f"{ENDING_DAYS}"
        )

    def text(self, *, site_url: str = "") -> str:
        """The message, plain text: licences first, then items, soonest first."""

        def licence_line(ending: Ending) -> str:
            soon = f", within {ENDING_SOON_DAYS} days" if ending.soon else ""
            return f"- {ending.licence} ({ending.licence.source}): ends {ending.when}{soon}"

        def item_line(article: Article) -> str:
            left = _how_soon(article.rights_expire_at - self.at)
            link = f" {site_url}/admin/articles/article/{article.pk}/change/" if site_url else ""
            return f"- {article.headline} ({article.source}): rights end {left}.{link}"

        sections = [
            (f"Licences ending within {ENDING_DAYS} days", map(licence_line, self.licences)),
            (
                f"Items whose rights end within {ENDING_SOON_DAYS} days",
                map(item_line, self.items_soon),
            ),
            (
                f"Items whose rights end within {ENDING_DAYS} days",
                map(item_line, self.items_later),
            ),
        ]
        lines = [f"Rights ending, as of {self.at:%Y-%m-%d %H:%M} UTC.", ""]
        for heading, entries in sections:
            lines += [f"{heading}:", *(list(entries) or ["- none"]), ""]
        return "\n".join(lines)


def rights_digest(*, at: datetime.datetime | None = None, limit: int = 200) -> RightsDigest:
    at = at or timezone.now()
    ending = (
        Article.objects.still_going()
        .filter(rights_expire_at__gt=at, rights_expire_at__lte=at + _days(ENDING_DAYS))
        .select_related("source")
        .order_by("rights_expire_at")[:limit]
    )
    soon_until = at + _days(ENDING_SOON_DAYS)
    items = list(ending)
    return RightsDigest(
        at=at,
        licences=licences_ending(at=at, limit=limit),
        items_soon=[a for a in items if a.rights_expire_at <= soon_until],
        items_later=[a for a in items if a.rights_expire_at > soon_until],
    )
