"""The words the policy and every room around it speak, defined once at the bottom of the house.

The four rights, the workflow's states, where a right comes from, the groups of fields that
the rules treat alike, and which rights each channel needs. Nothing here imports the project.
"""

from __future__ import annotations

import enum

from django.db import models


class Right(enum.StrEnum):
    PUBLISH = "publish"
    BROADCAST = "broadcast"
    REWRITE = "rewrite"
    REDISTRIBUTE = "redistribute"

    @property
    def noun(self) -> str:
        """The right as an editor says it: "Reuters' notice forbids publication"."""
        return _NOUNS[self]

    @property
    def field(self) -> str:
        """The item's field that holds it: `may_publish`."""
        return f"may_{self.value}"


_NOUNS = dict(zip(Right, ("publication", "broadcast", "rewriting", "redistribution"), strict=True))


class Status(models.TextChoices):
    """An item's place in the workflow."""

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"
    KILLED = "killed", "Killed"

    @property
    def is_live(self) -> bool:
        return self in LIVE_STATUSES

    @property
    def is_gone(self) -> bool:
        return self in GONE_STATUSES


# States in which an item can be live (a scheduled item goes live at `published_at`), and the
# states of an item taken down: gone (410) from every channel.
LIVE_STATUSES = (Status.PUBLISHED, Status.SCHEDULED)
GONE_STATUSES = (Status.WITHDRAWN, Status.KILLED)
NOT_KILLED = tuple(status for status in Status if status != Status.KILLED)

# Why an item in a state that is not live is not shown, as a reader-facing reason.
NOT_LIVE_REASONS = {
    Status.DRAFT: "It is a draft.",
    Status.REVIEW: "It is in review, not published.",
    Status.WITHDRAWN: "It was withdrawn.",
    Status.KILLED: "It was killed.",
}


class Basis(models.TextChoices):
    """Where an item's right came from."""

    STAFF = "staff", "staff copy"
    LICENCE = "licence", "our licence"
    NOTICE = "notice", "the notice in the copy"
    COPY_LICENCE = "copy_licence", "the licence stated in the copy"
    NONE = "none", "nothing grants it"
    MANUAL = "manual", "a rights manager's decision"
    OVERRIDE = "override", "a rights manager's override"


# Bases a licence change may replace: nothing granted the right, or only the copy's notice did.
LICENSABLE_BASES = frozenset({Basis.NONE, Basis.NOTICE})
# Bases only a rights manager's hand writes.
BY_HAND_BASES = frozenset({Basis.MANUAL, Basis.OVERRIDE})


class SourceKind(models.TextChoices):
    STAFF = "staff", "Staff"
    AGENCY = "agency", "News agency"
    PARTNER = "partner", "Partner"
    FREELANCE = "freelance", "Freelance"


class Channel(enum.StrEnum):
    """A way an item reaches readers, partners or other stories."""

    PAGE = "page"
    SEARCH = "search"
    LIST = "list"
    FEED = "feed"
    SITEMAP = "sitemap"
    API = "api"
    NEWSLETTER = "newsletter"
    COPY = "copy"  # another story reusing the item's text


# The rights each channel needs, all of them.
CHANNEL_RIGHTS: dict[Channel, tuple[Right, ...]] = {
    Channel.PAGE: (Right.PUBLISH,),
    Channel.SEARCH: (Right.PUBLISH,),
    Channel.LIST: (Right.PUBLISH,),
    Channel.FEED: (Right.PUBLISH, Right.REDISTRIBUTE),
    Channel.SITEMAP: (Right.PUBLISH,),
    Channel.API: (Right.PUBLISH, Right.REDISTRIBUTE),
    Channel.NEWSLETTER: (Right.PUBLISH, Right.BROADCAST),
    Channel.COPY: (Right.REWRITE, Right.PUBLISH),
}


def rights_for(channel: Channel) -> tuple[Right, ...]:
    return CHANNEL_RIGHTS[Channel(channel)]


# --- the fields the rules treat alike ----------------------------------------------------------

# The text the rewrite right guards.
TEXT_FIELDS = ("headline", "standfirst", "body")
# The fields the four rights live in.
GRANT_FIELDS = tuple(right.field for right in Right)
# The fields only a rights manager changes, through the set-rights action.
RIGHTS_FIELDS = (
    "source",
    "copyright_holder",
    "copyright_year",
    "copyright_notice",
    "usage_terms",
    *GRANT_FIELDS,
    "rights_settled",
    "territories",
    "excluded_territories",
    "rights_start_at",
    "rights_expire_at",
    "no_archive",
)
# The fields the rights derivation writes, which nobody edits by hand.
DERIVED_RIGHTS_FIELDS = ("rights_basis", "rights_explanation", "rights_set_by_hand", "licence")
# The fields a re-derivation may change, compared before and after to tell a change from none.
DERIVED_FIELDS = (
    *GRANT_FIELDS,
    "rights_basis",
    "rights_settled",
    "rights_start_at",
    "rights_expire_at",
    "territories",
    "excluded_territories",
    "rights_explanation",
    "licence",
)
# The fields an override writes.
OVERRIDE_FIELDS = (
    "may_publish",
    "rights_basis",
    "rights_settled",
    "rights_expire_at",
    "rights_set_by_hand",
    "rights_explanation",
)
# What a revert restores: text and editorial fields, never rights or status.
REVERTIBLE_FIELDS = (
    *TEXT_FIELDS,
    "headline_is_working",
    "dateline",
    "language",
    "editor_note",
    "section",
    "embargo_until",
)
# The licence fields whose change can change an item's rights.
LICENCE_TERMS = (
    "grants_publish",
    "grants_broadcast",
    "grants_rewrite",
    "grants_redistribute",
    "valid_from",
    "valid_until",
    "territories",
)
