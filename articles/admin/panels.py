"""What the desk shows of an article's rights and text: the rights at a glance and in words, the
countdowns, the body as readers see it, and the passages it shares with protected copy."""

from __future__ import annotations

import copy
import datetime

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from articles.admin import wording
from articles.admin.wording import countdown
from articles.audit import AuditEntry
from articles.models import Article
from articles.rights import Decision, clearance, decide, denial_reason
from articles.sanitise import clean_html
from articles.vocabulary import Basis, Channel, Right
from copycheck.check import CopyReport, check
from pictures import placing, showing

TEMPLATES = "admin/articles/article/includes"


def countdown_label(when: datetime.datetime | None, *, coming: str, gone: str) -> str:
    """ "lifts in 3 h" or "lifted 2 d ago"; a dash when there is no such moment."""
    if when is None:
        return wording.DASH
    now = timezone.now()
    if when > now:
        return f"{coming} in {countdown(when, now=now)}"
    return f"{gone} {countdown(when, now=now)} ago"


def basis_label(article: Article, right: Right) -> str:
    """Say where the item's `right` came from: "from the licence REF-1", "staff copy"."""
    return wording.basis_phrase(article, right)


# The letter each right is marked with in lists, where the four words would not fit; the list's
# legend and each mark's title say them in full.
RIGHT_MARKS = {
    Right.PUBLISH: "P",
    Right.BROADCAST: "B",
    Right.REWRITE: "W",
    Right.REDISTRIBUTE: "R",
}


# A mark for rights a rights manager has yet to settle, after the four.
UNSETTLED_MARK = (
    '<abbr class="nr-mark nr-mark--unsettled" title="Rights not settled: a rights manager must '
    'review them before any public use">?<span class="nr-hidden"> rights not settled</span></abbr>'
)


def rights_at_a_glance(article: Article) -> SafeString:
    """The four rights' marks, and one for unsettled rights: a hundred a change list page, so
    written here rather than through a template (which cost some 5 ms a row)."""
    marks = []
    for right in Right:
        granted = article.grants(right)
        noun = escape(right.noun)
        said = "granted" if granted else "not granted"
        basis = escape(basis_label(article, right))
        marks.append(
            f'<abbr class="nr-mark nr-mark--{"granted" if granted else "denied"}" '
            f'title="{escape(capfirst(right.noun))}: {said} ({basis})">'
            f'{escape(RIGHT_MARKS[right])}<span class="nr-hidden"> {noun} {said}</span></abbr>'
        )
    if not article.rights_settled:
        marks.append(UNSETTLED_MARK)
    return mark_safe("".join(marks))


def action_checkbox(article: Article) -> SafeString:
    """The change list's checkbox for a row, as Django's own writes it through its widget's
    template (some 2 ms a row of a hundred)."""
    label = format_html(gettext("Select this object for an action - {}"), str(article))
    return format_html(
        '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
        ACTION_CHECKBOX_NAME,
        str(article.pk),
        label,
    )


def decided_by_hand(article: Article) -> AuditEntry | None:
    """The latest override or rights change made by a person: who decided, and when."""
    return (
        article.audit_entries.filter(
            action__in=[AuditEntry.Action.OVERRIDE, AuditEntry.Action.RIGHTS_CHANGE],
            actor__isnull=False,
        )
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


def short_denial(article: Article, right: Right) -> str:
    """Why the item lacks `right`, without quoting the notice again (the panel shows it once)."""
    basis = (article.rights_basis or {}).get(right.value, Basis.NONE)
    if basis != Basis.NOTICE:
        return denial_reason(article, right)
    source = article.source
    holder = article.copyright_holder or source.name
    return (
        f"{wording.possessive(holder)} notice forbids {right.noun}. A licence from {source.name} "
        f"granting {right.noun}, or a rights manager's override, would allow it."
    )


# Reasons the panel's own lines already say in words (country names, local times).
ALREADY_SAID = ("Its rights window opens at", "It may be shown only in", "It may not be shown in")


def rights_panel(article: Article | None) -> str:
    """The notice once, the terms it gave, where the item may go, then each right: whether it
    is granted, from where, and why not. What holds for every right is said once, above."""
    if article is None or article.pk is None:
        return "Rights are derived from the source when the article is first saved."
    by_hand = decided_by_hand(article)
    held = {right: clearance(article, right) for right in Right}
    denials = {right: denial_reason(article, right) for right in Right}
    # Suspension, expiry, unsettled rights: the same words under each right, so said once.
    for_every_right = [r for r in held[Right.PUBLISH].reasons if r != denials[Right.PUBLISH]]
    # The workflow, the embargo, the window and the territories hold the item back from
    # readers whatever the right; `decide()` says them after the rights' own reasons.
    not_public = [
        r
        for r in decide(article, Right.PUBLISH).reasons
        if r not in held[Right.PUBLISH].reasons and not r.startswith(ALREADY_SAID)
    ]
    rights = [
        {
            "right": right,
            "granted": article.grants(right),
            "basis": wording.basis_phrase(article, right, by_hand=by_hand),
            "said": "" if article.grants(right) else short_denial(article, right),
        }
        for right in Right
    ]
    context = {
        "rights": rights,
        "notice": " ".join(article.copyright_notice.split()),
        "terms": notice_terms(article),
        "limits": rights_limits(article),
        "for_every_right": for_every_right,
        "not_public": not_public,
    }
    return render_to_string(f"{TEMPLATES}/rights_panel.html", context)


def notice_terms(article: Article) -> list[str]:
    """What the copy's notice gave, as read at ingest: "It forbids publication and broadcast."."""
    notice = article.terms.notice
    terms = []
    if notice.all_rights_reserved:
        terms.append("It reserves all rights.")
    if notice.prohibited:
        nouns = [right.noun for right in Right if right in notice.prohibited]
        terms.append(f"It forbids {wording.listing(nouns)}.")
    if notice.licence is not None:
        terms.append(f"It states the licence {notice.licence.name}.")
    if notice.no_archive:
        terms.append("It may not be archived.")
    if notice.unrecognised:
        terms.append(f"Terms not understood: “{notice.unrecognised}”.")
    return terms


def rights_limits(article: Article) -> list[str]:
    """Where and when its rights reach, in words: "Only in the United Kingdom."."""
    limits = [f"{wording.where(article.territories, article.excluded_territories)}."]
    start = article.rights_start_at
    if start:
        when = wording.moment(start)
        if start > timezone.now():
            limits.append(f"Its rights window opens {when}.")
        else:
            limits.append(f"Its rights window opened {when}.")
    if article.rights_expire_at:
        limits.append(f"Its rights expire {wording.moment(article.rights_expire_at)}.")
    return limits


def territories_in_words(fieldsets: list) -> list:
    """The fieldsets with the territories, where they cannot be edited, said in words."""
    fieldsets = copy.deepcopy(fieldsets)
    for _name, options in fieldsets:
        options["fields"] = [
            "where_it_may_go" if row == ("territories", "excluded_territories") else row
            for row in options["fields"]
        ]
    return fieldsets


def where_it_may_go(article: Article | None) -> str:
    """The territories, for a page where they cannot be edited."""
    if article is None:
        return wording.where((), ())
    return wording.where(article.territories, article.excluded_territories)


def readable_body(article: Article) -> SafeString:
    """The body as readers see it, made safe again here rather than trusted as stored."""
    return mark_safe(clean_html(article.body))


def body_text(article: Article | None) -> str:
    """The body as readers see it, for text that cannot be edited."""
    if article is None:
        return ""
    return render_to_string(f"{TEMPLATES}/body_text.html", {"body": readable_body(article)})


def text_locked(rewrite: Decision, *, working: bool = False) -> SafeString:
    """Why the headline, standfirst and body are read-only: the rewrite right is denied; and,
    where the headline is a working one (`working`), that it alone stays ours to change."""
    return render_to_string(
        f"{TEMPLATES}/text_locked.html", {"rewrite": rewrite, "working": working}
    )


def shared_text_table(report: CopyReport, *, verdict: bool = True) -> SafeString:
    """A copy check's verdict, and each passage beside its item and that item's notice.

    `verdict=False` leaves out a refusal's reasons, for a page that lists them already.
    """
    return render_to_string(f"{TEMPLATES}/shared_text.html", {"report": report, "verdict": verdict})


def shared_text_panel(article: Article | None) -> str:
    """Each passage this story shares with copy whose text may not be reused, beside it."""
    if article is None or article.pk is None:
        return "Checked when the article is saved."
    report = check(article)
    if not report.passages:
        return "It shares no passage with copy whose text may not be reused."
    return shared_text_table(report)


def lead_picture_panel(article: Article | None) -> str:
    """Whether the lead picture is shown on the public page and, where not, why (its own
    rights' explanation, as the policy gives it); and which channels will carry it."""
    picture = article.lead_picture if article is not None and article.lead_picture_id else None
    if picture is None:
        return render_to_string(f"{TEMPLATES}/lead_picture.html", {"picture": None})
    context = carriage(picture, at=timezone.now())
    return render_to_string(f"{TEMPLATES}/lead_picture.html", context)


def carriage(picture, *, at: datetime.datetime, what: str = "The lead picture") -> dict:
    """What the desk says of a picture: whether the page shows it, why not, and the channels
    that will carry it or not, each with its reasons (`showing.carriage`)."""
    judged = showing.carriage(picture, at=at)
    return {
        "picture": picture,
        "what": what,
        "credit": showing.credit_line(picture),
        "url": picture.get_absolute_url() if Channel.PAGE in judged.carried else "",
        "shown": judged.shown,
        "per_reader": judged.per_reader,
        "explanation": judged.page.explanation,
        "carried": wording.listing([showing.CHANNEL_WORDS[c] for c in judged.carried]),
        "withheld": withheld_lines(judged),
    }


def body_pictures_panel(article: Article | None) -> str:
    """For each picture placed in the body, in its order, what `lead_picture_panel` says of the
    lead picture; and which placings name no picture (readers see nothing of them)."""
    body = article.body if article is not None else ""
    ids = placing.picture_ids([body])
    pictures = placing.fetch(ids)
    now = timezone.now()
    rows = [
        carriage(pictures[pk], at=now, what="This picture") if pk in pictures else {"missing": pk}
        for pk in ids
    ]
    return render_to_string(f"{TEMPLATES}/body_pictures.html", {"rows": rows})


def withheld_lines(judged: showing.Carriage) -> list[str]:
    """A line for each channel other than the page that will not carry it, with only the
    reasons the page's line has not given already."""
    lines = []
    for channel, reasons in judged.withheld:
        words = showing.CHANNEL_WORDS[channel]
        new = " ".join(reasons)
        lines.append(f"Not on {words}: {new}" if new else f"Not on {words}, for the same reason.")
    return lines
