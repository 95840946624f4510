"""The desk's words for values: countries, people, times, rights bases and a revision's changes,
so that no page shows a Python or JSON rendering of what it holds. Each audit entry's detail as a
sentence is in `articles.admin.sentences`.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Iterable, Iterator

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateformat import format as date_format

from articles.audit import AuditEntry
from articles.itemrights import ItemRights
from articles.models import Article
from articles.notices import COUNTRIES
from articles.vocabulary import Basis, Right, Status

DASH = "–"

# The name of each country code, the first of the names the notices read it by, with "the" where
# English says it. A code not in the notices' table is shown as it is.
_THE = {"US", "GB", "NL", "CZ"}
_NAMED = {"US": "United States", "GB": "United Kingdom", "IE": "Ireland", "CZ": "Czech Republic"}
COUNTRY_NAMES: dict[str, str] = {}
for _name, _code in COUNTRIES.items():
    COUNTRY_NAMES.setdefault(_code, _NAMED.get(_code, _name.title()))


def listing(items: Iterable[str], *, last: str = "and") -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def country(code: str) -> str:
    """ "the United Kingdom" for GB; an unknown code as it is."""
    code = str(code).upper()
    name = COUNTRY_NAMES.get(code)
    if name is None:
        return code
    return f"the {name}" if code in _THE else name


def countries(codes: Iterable[str], *, last: str = "and") -> str:
    """ "the United Kingdom and Ireland", in the order of their names."""
    names = sorted((country(c) for c in codes), key=lambda name: name.removeprefix("the "))
    return listing(names, last=last)


def where(territories: Iterable[str], excluded: Iterable[str]) -> str:
    """Where an item may go: "Only in the United Kingdom and Ireland", "Anywhere but the United
    States", "Anywhere"."""
    only, but = sorted(territories or ()), sorted(excluded or ())
    if only and but:
        return f"Only in {countries(only)}, and not in {countries(but, last='or')}"
    if only:
        return f"Only in {countries(only)}"
    if but:
        return f"Anywhere but {countries(but)}"
    return "Anywhere"


def person(user, *, nobody: str = "the system") -> str:
    """A user by their full name, else their username; `nobody` where there is no user."""
    if user is None:
        return nobody
    return (user.get_full_name() or "").strip() or user.get_username()


def possessive(name: str) -> str:
    """ "Jane Roe's", "Reuters'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def moment(when: datetime.datetime | None, *, now: datetime.datetime | None = None) -> str:
    """A local date and time, with how far it is from now: "3 Dec 2026, 14:05 UTC (in 5 h)"."""
    if when is None:
        return DASH
    now = now or timezone.now()
    local = timezone.localtime(when)
    ago = countdown(when, now=now)
    relative = f"in {ago}" if when > now else f"{ago} ago"
    return f"{date_format(local, 'j M Y, H:i T')} ({relative})"


def day(when: datetime.datetime) -> str:
    """ "2 Dec", or "2 Dec 2025" outside this year."""
    local = timezone.localtime(when)
    if local.year == timezone.localtime().year:
        return date_format(local, "j M")
    return date_format(local, "j M Y")


def countdown(when: datetime.datetime, *, now: datetime.datetime) -> str:
    """Say how far `when` is from `now`: "3 h", "45 min", "2 d"."""
    seconds = abs((when - now).total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} d"


def basis_phrase(article: Article, right: Right, *, by_hand: AuditEntry | None = None) -> str:
    """Where the item's `right` came from, as an editor says it: "staff copy", "from the licence
    REF-1", "granted by Jane Roe's override on 2 Dec".

    `by_hand` is the latest override or rights change, which names who decided and when.
    """
    basis = (article.rights_basis or {}).get(right.value)
    if basis == Basis.STAFF:
        return "staff copy"
    if basis == Basis.LICENCE:
        licence = article.licence
        reference = (licence.reference or str(licence)) if licence is not None else ""
        return f"from the licence {reference}" if reference else "from our licence"
    if basis == Basis.NOTICE:
        return "from the notice in the copy"
    if basis == Basis.COPY_LICENCE:
        return "from the licence stated in the copy"
    if basis in (Basis.OVERRIDE, Basis.MANUAL):
        what = "override" if basis == Basis.OVERRIDE else "decision"
        verb = "granted" if article.grants(right) else "withheld"
        if by_hand is None:
            return f"{verb} by a rights manager's {what}"
        return f"{verb} by {decider(by_hand.actor, what)} on {day(by_hand.at)}"
    if basis == Basis.NONE:
        return "nothing grants it"
    return "no recorded basis"


def decider(user, what: str) -> str:
    """ "Jane Roe's override"; with only a username, "an override by jroe" (a username is not a
    noun to make possessive)."""
    if user is None:
        return f"a rights manager's {what}"
    full = (user.get_full_name() or "").strip()
    if full:
        return f"{possessive(full)} {what}"
    article = "an" if what[0] in "aeiou" else "a"
    return f"{article} {what} by {user.get_username()}"


# --- values and changes ----------------------------------------------------------------------

FIELD_LABELS = {right.field: right.value for right in Right}
# Bookkeeping the history need not tell an editor about.
QUIET_FIELDS = {"id", "version", "ingested_version", "wire_hash", "created_at", "copy_terms"}


def label(field: str) -> str:
    """An article field's name as the form labels it: "embargo until"."""
    if field in FIELD_LABELS:
        return FIELD_LABELS[field]
    try:
        return str(Article._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:  # a detail may name a field no longer on the model
        return field.replace("_", " ")


def value(field: str, raw) -> str:
    """One stored value in words: a dash for nothing, yes or no, a date, country names."""
    if field in ("territories", "excluded_territories"):
        return countries(raw) if raw else "none"
    if raw is None or raw == "" or raw == [] or raw == {}:
        return DASH
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, str) and field.endswith(("_at", "_until")):
        try:
            raw = datetime.datetime.fromisoformat(raw)
        except ValueError:
            return raw
    if isinstance(raw, datetime.datetime):
        return date_format(timezone.localtime(raw), "j M Y, H:i T")
    if field == "status" and raw in Status.values:
        return Status(raw).label.lower()
    if isinstance(raw, dict):
        return "; ".join(f"{k}: {v}" for k, v in raw.items())
    if isinstance(raw, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in sorted(raw, key=str))
    return str(raw)


SHORT_TEXT = 12  # words: a text this short is shown whole, not counted


def words(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", html or "").split()


def paragraphs(html: str) -> list[str]:
    parts = re.split(r"</p>|<br\s*/?>|\n", html or "")
    return [" ".join(words(p)) for p in parts if words(p)]


def text_change(field: str, old: str, new: str) -> str:
    """A text's change summarised: "body: 3 paragraphs changed, 41 words added"."""
    before, after = paragraphs(old), paragraphs(new)
    if len(words(old)) <= SHORT_TEXT and len(words(new)) <= SHORT_TEXT and len(after) <= 1:
        # A few words say themselves better than a count of them.
        return f"{label(field)}: {' '.join(before) or DASH} → {' '.join(after) or DASH}"
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    changed = sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )
    counted = difflib.SequenceMatcher(a=words(old), b=words(new), autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in counted.get_opcodes():
        if tag in ("insert", "replace"):
            added += j2 - j1
        if tag in ("delete", "replace"):
            removed += i2 - i1
    parts = []
    if changed and len(before) + len(after) > 2:
        parts.append(f"{changed} paragraph{'s' * (changed != 1)} changed")
    if added:
        parts.append(f"{added} word{'s' * (added != 1)} added")
    if removed:
        parts.append(f"{removed} word{'s' * (removed != 1)} removed")
    return f"{label(field)}: {', '.join(parts) or 'spacing or markup changed'}"


LONG_TEXT = {"body", "standfirst", "editor_note", "copyright_notice", "usage_terms"}


def field_change(field: str, old, new) -> str:
    """One field's change in words: "publish granted", "embargo until: – → 3 Dec 2026"."""
    if field in LONG_TEXT and isinstance(old or "", str) and isinstance(new or "", str):
        return text_change(field, old or "", new or "")
    if field in FIELD_LABELS and isinstance(new, bool):
        return f"{FIELD_LABELS[field]} {'granted' if new else 'withheld'}"
    if field == "rights_settled" and isinstance(new, bool):
        return "rights settled" if new else "rights unsettled"
    if field in ("territories", "excluded_territories"):
        key = "territories" if field == "territories" else "excluded"
        return f"where it may go: {where(*_places(key, old))} → {where(*_places(key, new))}"
    if field == "rights_explanation":
        return "rights explanation updated"
    if field == "rights_basis":
        return "basis of its rights: " + (basis_summary(new) if isinstance(new, dict) else DASH)
    return f"{label(field)}: {value(field, old)} → {value(field, new)}"


def _places(key: str, codes) -> tuple:
    codes = list(codes or ())
    return (codes, ()) if key == "territories" else ((), codes)


def basis_summary(rights_basis: dict) -> str:
    """ "publish from our licence; broadcast, rewrite from the notice in the copy"."""
    groups: dict[str, list[str]] = {}
    for right, basis in rights_basis.items():
        groups.setdefault(basis, []).append(str(right))
    parts = []
    for basis, names in groups.items():
        said = Basis(basis).label if basis in Basis.values else str(basis)
        parts.append(f"{listing(names)} from {said}")
    return "; ".join(parts) or DASH


def changed_fields(old, new) -> Iterator[tuple]:
    """Each tracked field an editor would care about whose stored value differs between two
    states of an article (revisions, or a revision and the article), as (field, before, after):
    the story's own fields first, then the workflow and rights fields it shares with pictures."""
    shared = {field.name for field in ItemRights._meta.get_fields()}
    tracked = sorted(Article.history.model.tracked_fields, key=lambda field: field.name in shared)
    for field in tracked:
        if field.name in QUIET_FIELDS:
            continue
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before != after:
            yield field, before, after


def revision_summary(old, new) -> list[str]:
    """What changed from one state of an article (a revision) to the next, field by field."""
    if old is None:
        return ["created"]
    return [
        f"{label(field.name)} changed"
        if field.is_relation
        else field_change(field.name, before, after)
        for field, before, after in changed_fields(old, new)
    ]


# --- the audit log, one sentence per action ---------------------------------------------------
