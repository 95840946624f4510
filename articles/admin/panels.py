"""What the desk shows of an article's rights and text: the rights at a glance and in words, the
countdowns, the body as readers see it, and the passages it shares with protected copy."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from articles.rights import Decision, clearance, decide
from articles.sanitise import clean_html
from articles.vocabulary import Basis, Right
from copycheck.check import CopyReport, check

TEMPLATES = "admin/articles/article/includes"


def countdown(moment: datetime.datetime, *, now: datetime.datetime) -> str:
    """Say how far `moment` is from `now`: "3 h", "45 min", "2 d"."""
    seconds = abs((moment - now).total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} d"


def countdown_label(when: datetime.datetime | None, *, coming: str, gone: str) -> str:
    """ "lifts in 3 h" or "lifted 2 d ago"; a dash when there is no such moment."""
    if when is None:
        return "–"
    now = timezone.now()
    if when > now:
        return f"{coming} in {countdown(when, now=now)}"
    return f"{gone} {countdown(when, now=now)} ago"


def basis_label(article: Article, right: Right) -> str:
    """Say where the item's `right` came from: "our licence", "the notice in the copy"."""
    basis = (article.rights_basis or {}).get(right.value)
    if basis not in Basis.values:
        return "no recorded basis"
    if basis == Basis.LICENCE and article.licence_id is not None:
        return f"{Basis(basis).label}, {article.licence}"
    return Basis(basis).label


def rights_at_a_glance(article: Article) -> SafeString:
    rights = [
        {"right": right, "granted": article.grants(right), "basis": basis_label(article, right)}
        for right in Right
    ]
    return render_to_string(f"{TEMPLATES}/rights_at_a_glance.html", {"rights": rights})


def rights_panel(article: Article | None) -> str:
    """Each right: whether its rights hold it, whether it is public now, why, and from where."""
    if article is None or article.pk is None:
        return "Rights are derived from the source when the article is first saved."
    rights = [
        {
            "right": right,
            "held": clearance(article, right),
            "public": decide(article, right),
            "basis": basis_label(article, right),
        }
        for right in Right
    ]
    return render_to_string(
        f"{TEMPLATES}/rights_panel.html", {"rights": rights, "limits": rights_limits(article)}
    )


def rights_limits(article: Article) -> list[str]:
    """Where and when its rights reach, in words: "Only in GB.", "Not in GB, IE."."""
    limits = []
    if article.territories:
        limits.append(f"Only in {', '.join(sorted(article.territories))}.")
    if article.excluded_territories:
        limits.append(f"Not in {', '.join(sorted(article.excluded_territories))}.")
    start = article.rights_start_at
    if start:
        now = timezone.now()
        when = f"{start.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC"
        if start > now:
            limits.append(f"Its rights window opens at {when} (in {countdown(start, now=now)}).")
        else:
            limits.append(f"Its rights window opened at {when}.")
    return limits


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
        return "None: it shares no passage with copy whose text may not be reused."
    return shared_text_table(report)
