"""The rules, once: which of the four rights an item holds, and whether a channel may use it now.

`decide()` judges one article in Python; `permitting_q()` is the same rules as a database filter,
used by `Article.objects.permitting()`. A property test drives both and asserts they agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from articles.fields import territory_token
from articles.notices import CopyTerms
from articles.notices.wording import PRINT_ONLY_WITHHOLDS
from articles.vocabulary import (
    BY_HAND_BASES,
    CHANNEL_RIGHTS,
    GONE_STATUSES,
    LIVE_STATUSES,
    NOT_LIVE_REASONS,
    Basis,
    Channel,
    Right,
    SourceKind,
    Status,
)

__all__ = ["CHANNEL_RIGHTS", "GONE_STATUSES", "LIVE_STATUSES", "Channel", "Right", "Status"]


class Source(Protocol):
    """What the policy reads of an item's source."""

    name: str
    kind: str
    suspended: bool


class Licence(Protocol):
    """What the policy reads of a licence: what it grants, until when, and where."""

    reference: str
    valid_from: datetime.datetime
    valid_until: datetime.datetime | None
    territories: frozenset[str]

    def grants(self, right: Right) -> bool: ...


class Article(Protocol):
    """What the policy reads of an item: its workflow, its window and its four rights.

    Articles are one kind of item; anything holding these fields is judged by the same rules.
    """

    source: Source
    status: str
    published_at: datetime.datetime | None
    embargo_until: datetime.datetime | None
    rights_start_at: datetime.datetime | None
    rights_expire_at: datetime.datetime | None
    rights_settled: bool
    rights_basis: dict
    territories: frozenset[str]
    excluded_territories: frozenset[str]
    copyright_holder: str
    copyright_notice: str
    usage_terms: str
    terms: CopyTerms  # what the copy itself said of its rights (`ItemRights.terms`)

    def grants(self, right: Right) -> bool: ...


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def explanation(self) -> str:
        return " ".join(self.reasons) if self.reasons else "Allowed."


def normalise_country(country: str | None) -> str | None:
    """Return an ISO 3166-1 alpha-2 code, or None where the country is unknown or malformed."""
    if not country:
        return None
    code = country.strip().upper()
    if len(code) == 2 and code.isascii() and code.isalpha() and code not in {"XX", "T1"}:
        return code
    return None


def _when(at: datetime.datetime | None) -> datetime.datetime:
    return at or timezone.now()


def _stamp(moment: datetime.datetime) -> str:
    return f"{moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC"


# --- one item --------------------------------------------------------------------------------


def clearance(article: Article, right: Right, *, at: datetime.datetime | None = None) -> Decision:
    """Judge the item's rights alone, whatever its workflow state: may we use it for `right` now?

    This is the publish gate's test and the rewrite guard's; public channels add workflow,
    embargo and territory on top of it in `decide()`.
    """
    at = _when(at)
    reasons: list[str] = []
    source = article.source
    if source.suspended:
        reasons.append(f"Its source, {source.name}, is suspended.")
    if article.rights_expire_at is not None and article.rights_expire_at <= at:
        reasons.append(f"Its rights expired at {_stamp(article.rights_expire_at)}.")
    if not article.rights_settled:
        terms = " ".join((article.usage_terms or article.copyright_notice).split())
        what = f"the usage terms “{terms}”" if terms else "them"
        reasons.append(
            f"Its rights are not settled: a rights manager must review {what} before any "
            "public use."
        )
    if not article.grants(right):
        reasons.append(denial_reason(article, right))
    return Decision(allowed=not reasons, reasons=tuple(reasons))


def denial_reason(article: Article, right: Right) -> str:
    """Say why the item lacks `right`, from where its rights came, and what would change that."""
    source = article.source
    basis = (article.rights_basis or {}).get(right.value, Basis.NONE)
    notice = " ".join(article.copyright_notice.split())
    if basis == Basis.NOTICE:
        holder = article.copyright_holder or source.name
        if right in PRINT_ONLY_WITHHOLDS and article.terms.notice.print_only:
            # No licence lifts it (`derive_rights`), so none is offered as the way out.
            said = notice or " ".join(article.usage_terms.split())
            quoted = f" (“{said}”)" if said else ""
            return (
                f"{holder}'s terms allow print use only{quoted}, and no channel of ours is "
                f"print. Only a rights manager's override would allow {right.noun}."
            )
        quoted = f" (“{notice}”)" if notice else ""
        return (
            f"{holder}'s notice forbids {right.noun}{quoted}. A licence from {source.name} "
            f"granting {right.noun}, or a rights manager's override, would allow it."
        )
    if basis == Basis.COPY_LICENCE:
        return f"The licence stated in the copy does not allow {right.noun}."
    if basis == Basis.LICENCE:
        return f"Our licence with {source.name} does not grant {right.noun}."
    if basis in BY_HAND_BASES:
        return f"A rights manager withheld {right.noun}."
    return (
        f"Nothing grants {right.noun}: no licence from {source.name} covers it and the copy "
        "states no licence. A licence or a rights manager's decision would allow it."
    )


def decide(
    article: Article,
    right: Right,
    *,
    at: datetime.datetime | None = None,
    country: str | None = None,
) -> Decision:
    """Judge whether a channel needing `right` may show `article` to a reader in `country`."""
    reasons = _reasons_for_everyone(article, right, at=_when(at))
    reasons.extend(_territory_reasons(article, normalise_country(country)))
    return Decision(allowed=not reasons, reasons=tuple(reasons))


def shown_to_some_readers(
    article: Article, right: Right, *, at: datetime.datetime | None = None
) -> bool:
    """Whether a channel needing `right` may show `article` now to readers in some country but
    not to all (a territory limit, which an unknown country never passes): every reason of
    `decide()` but the reader's country is met."""
    limited = bool(article.territories or article.excluded_territories)
    return limited and not _reasons_for_everyone(article, right, at=_when(at))


def _reasons_for_everyone(article: Article, right: Right, *, at: datetime.datetime) -> list[str]:
    """`decide()`'s reasons that hold whoever the reader is."""
    reasons: list[str] = []
    status = article.status
    if status not in LIVE_STATUSES:
        reasons.append(
            NOT_LIVE_REASONS.get(status, f"Its workflow state “{status}” is not published.")
        )
    elif article.published_at is None or article.published_at > at:
        when = _stamp(article.published_at) if article.published_at else "an unset time"
        reasons.append(f"It is scheduled for {when}.")
    if article.embargo_until is not None and article.embargo_until > at:
        reasons.append(f"It is embargoed until {_stamp(article.embargo_until)}.")
    if not window_open(article, at=at):
        reasons.append(f"Its rights window opens at {_stamp(article.rights_start_at)}.")
    reasons.extend(clearance(article, right, at=at).reasons)
    return reasons


def _territory_reasons(article: Article, country: str | None) -> list[str]:
    """`decide()`'s reasons that depend on the reader's country (normalised)."""
    reasons: list[str] = []
    if article.territories:
        limited = ", ".join(sorted(article.territories))
        if country is None:
            reasons.append(
                f"It may be shown only in {limited}, and the reader's country is unknown."
            )
        elif country not in article.territories:
            reasons.append(f"It may be shown only in {limited}, not in {country}.")
    if article.excluded_territories:
        excluded = ", ".join(sorted(article.excluded_territories))
        if country is None:
            reasons.append(
                f"It may not be shown in {excluded}, and the reader's country is unknown: "
                "unknown means denied."
            )
        elif country in article.excluded_territories:
            reasons.append(f"It may not be shown in {excluded}, and the reader is in {country}.")
    return reasons


def window_open(article: Article, *, at: datetime.datetime | None = None) -> bool:
    """Whether the item's rights window has opened (it has no start, or the start is past).

    Like an embargo, a window not yet open keeps the item off every channel without stopping
    its publication: it goes live, on the second, when the window opens.
    """
    return article.rights_start_at is None or article.rights_start_at <= _when(at)


def refusal_status(article: Article, *, at: datetime.datetime | None = None) -> int:
    """The status code for a public request of an item the reader may not see.

    Gone (410) for a withdrawn or killed item; not found (404) while it is a draft, in review,
    scheduled, embargoed or before its rights window opens, so its existence does not leak; 451
    when it was published and rights or territory forbid it.
    """
    at = _when(at)
    if article.status in GONE_STATUSES:
        return 410
    if article.status not in LIVE_STATUSES or article.published_at is None:
        return 404
    if article.published_at > at:
        return 404
    if article.embargo_until is not None and article.embargo_until > at:
        return 404
    if not window_open(article, at=at):
        return 404
    return 451


# --- many items: the same rules as a database filter --------------------------------------------


def live_q(*, at: datetime.datetime | None = None) -> Q:
    return Q(status__in=LIVE_STATUSES, published_at__lte=_when(at))


def clearance_q(*rights: Right, at: datetime.datetime | None = None) -> Q:
    """The filter twin of `clearance()`: items whose own rights allow every one of `rights` now."""
    q = Q(source__suspended=False, rights_settled=True) & (
        Q(rights_expire_at__isnull=True) | Q(rights_expire_at__gt=_when(at))
    )
    for right in rights:
        q &= Q(**{f"may_{Right(right).value}": True})
    return q


def permitting_q(
    *rights: Right, at: datetime.datetime | None = None, country: str | None = None
) -> Q:
    """The filter twin of `decide()`: items every `rights` channel may show now in `country`."""
    at = _when(at)
    q = (
        live_q(at=at)
        & (Q(embargo_until__isnull=True) | Q(embargo_until__lte=at))
        & (Q(rights_start_at__isnull=True) | Q(rights_start_at__lte=at))
        & clearance_q(*rights, at=at)
    )
    country = normalise_country(country)
    territory = Q(territories="")
    excluded = Q(excluded_territories="")  # unknown means denied where rights exclude places
    if country is not None:
        territory |= Q(territories__contains=territory_token(country))
        excluded = ~Q(excluded_territories__contains=territory_token(country))
    return q & territory & excluded


# --- where an item's rights come from ------------------------------------------------------------


@dataclass(frozen=True)
class DerivedRights:
    grants: dict[Right, bool]
    basis: dict[Right, str]
    settled: bool
    expire_at: datetime.datetime | None
    territories: frozenset[str]
    explanation: str
    licence: Licence | None = None
    start_at: datetime.datetime | None = None
    excluded_territories: frozenset[str] = frozenset()


def derive_rights(
    *,
    source: Source,
    terms: CopyTerms,
    licence: Licence | None = None,
    at: datetime.datetime | None = None,
) -> DerivedRights:
    """Derive the four rights from the copy's terms, our licence with the source, and its kind.

    The one derivation every path uses (ingest, the desk's new item, a licence change), through
    `Article.derive_rights()`. `terms` are what the copy itself says: its notice, and the
    window and territories of its rights metadata. `licence` is the licence the source's items
    rely on at `at` (`Source.active_licence()`), so this stays free of queries: where it comes
    into force after `at`, the item's rights window opens when it does.
    """
    notice, expire_at, start_at = terms.notice, terms.expire_at, terms.start_at
    territories = terms.territories | notice.territories
    excluded = notice.excluded_territories
    lines: list[str] = []
    settled = True
    if start_at is not None:
        lines.append(f"The copy's rights window opens at {_stamp(start_at)}.")
    if source.kind == SourceKind.STAFF:
        grants = dict.fromkeys(Right, True)
        basis = dict.fromkeys(Right, Basis.STAFF)
        lines.append(f"Staff copy of {source.name}: all four rights are ours.")
        return DerivedRights(
            grants,
            basis,
            True,
            expire_at,
            territories,
            " ".join(lines),
            start_at=start_at,
            excluded_territories=excluded,
        )

    grants = dict.fromkeys(Right, False)
    basis = dict.fromkeys(Right, Basis.NONE)
    if notice.licence is not None:
        for right in notice.licence.grants:
            grants[right], basis[right] = True, Basis.COPY_LICENCE
        for right in set(Right) - set(notice.licence.grants):
            basis[right] = Basis.COPY_LICENCE
        lines.append(f"The copy states the licence {notice.licence.name}.")
        if not notice.licence.settled:
            settled = False
            lines.append("Its terms need a rights manager's judgement.")
    forbidden = set(notice.prohibited)
    if notice.all_rights_reserved and notice.licence is None:
        forbidden |= set(Right)
    for right in forbidden:
        grants[right], basis[right] = False, Basis.NOTICE
    if forbidden:
        holder = notice.holder or source.name
        nouns = ", ".join(r.noun for r in Right if r in forbidden)
        lines.append(f"{holder}'s notice forbids {nouns}.")

    used_licence = None
    if licence is not None:
        granted = [right for right in Right if licence.grants(right)]
        for right in granted:
            grants[right], basis[right] = True, Basis.LICENCE
        if granted:
            used_licence = licence
            until = f" until {_stamp(licence.valid_until)}" if licence.valid_until else ""
            nouns = ", ".join(r.noun for r in granted)
            lines.append(
                f"Our licence with {source.name} ({licence.reference or 'no reference'}) "
                f"grants {nouns}{until}."
            )
            if licence.valid_from > _when(at):
                start_at = max(filter(None, [start_at, licence.valid_from]))
                lines.append(f"The licence comes into force at {_stamp(licence.valid_from)}.")
            if licence.valid_until is not None:
                expire_at = min(filter(None, [expire_at, licence.valid_until]))
            if licence.territories:
                if territories and not (territories & licence.territories):
                    settled = False
                    lines.append(
                        "The copy's territories and the licence's do not overlap: a rights "
                        "manager must decide."
                    )
                territories = (
                    territories & licence.territories if territories else licence.territories
                )
    if notice.print_only:
        # After the licence: "for print use only" is this item's own limit on what our licence
        # lets us do with the source's copy, as its territories are, and no channel here is print.
        withheld = [r for r in PRINT_ONLY_WITHHOLDS if grants[r] or basis[r] != Basis.NOTICE]
        for right in PRINT_ONLY_WITHHOLDS:
            grants[right], basis[right] = False, Basis.NOTICE
        holder = notice.holder or source.name
        nouns = ", ".join(r.noun for r in withheld or PRINT_ONLY_WITHHOLDS)
        lines.append(
            f"{holder}'s terms allow print use only: no {nouns} on any channel of ours, "
            "whatever a licence grants."
        )
    if notice.unrecognised:
        settled = False
        lines.append(f"Usage terms not understood: “{notice.unrecognised}”.")
    if territories:
        lines.append(f"Limited to {', '.join(sorted(territories))}.")
    if excluded:
        lines.append(f"Not in {', '.join(sorted(excluded))}.")
        if territories and territories <= excluded:
            settled = False
            lines.append(
                "Every territory it is limited to is also excluded: a rights manager must decide."
            )
    missing = [r.noun for r in Right if not grants[r] and basis[r] == Basis.NONE]
    if missing:
        lines.append(f"Nothing grants {', '.join(missing)}.")
    return DerivedRights(
        grants,
        basis,
        settled,
        expire_at,
        frozenset(territories),
        " ".join(lines),
        used_licence,
        start_at=start_at,
        excluded_territories=frozenset(excluded),
    )


# --- text that may not be reused ---------------------------------------------------------------

TEXT_RIGHTS = (Right.REWRITE, Right.PUBLISH)  # another story may reuse text holding both


def text_protected(article: Article, *, at: datetime.datetime | None = None) -> bool:
    """Whether another story may not reuse this item's text: rewrite or publish is not ours now.

    The same test as the publish gate's and the rewrite guard's (`clearance`), so an item whose
    rights expired, or whose source is suspended, is protected like one whose notice forbids it.
    """
    return not all(clearance(article, right, at=at).allowed for right in TEXT_RIGHTS)


def text_reusable_for_good(article: Article) -> bool:
    """Whether no change of time can make this item's text protected: our own staff copy whose
    rewriting and publication are ours with no end.

    The copy detector indexes every other item, since `text_protected()` may come to hold for
    it (an expiry passing, a rights manager withholding a right), whatever its source's kind.
    A rights change saves the item, which indexes it again.
    """
    basis = article.rights_basis or {}
    return (
        article.source.kind == SourceKind.STAFF
        and article.rights_settled
        and article.rights_expire_at is None
        and all(
            article.grants(right) and basis.get(right.value) == Basis.STAFF for right in TEXT_RIGHTS
        )
    )


def text_reusable_for_good_q() -> Q:
    """The filter twin of `text_reusable_for_good()`."""
    q = Q(source__kind=SourceKind.STAFF, rights_settled=True, rights_expire_at__isnull=True)
    for right in TEXT_RIGHTS:
        q &= Q(**{right.field: True, f"rights_basis__{right.value}": Basis.STAFF.value})
    return q


def protected_text_q(*, at: datetime.datetime | None = None) -> Q:
    """The filter twin of `text_protected()`."""
    return ~clearance_q(*TEXT_RIGHTS, at=at)
