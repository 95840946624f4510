"""What the desk shows of an article's rights and text: the rights at a glance and in words, the
countdowns, the body as readers see it, and the passages it shares with protected copy."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article
from articles.rights import Decision, clearance, decide
from articles.sanitise import clean_html
from articles.vocabulary import Basis, Right
from copycheck.check import CopyReport, check


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
    rows = []
    for right in Right:
        granted = article.grants(right)
        label = basis_label(article, right)
        rows.append(
            (
                "nr-right nr-right--granted" if granted else "nr-right nr-right--denied",
                f"{right.noun.capitalize()}: {'granted' if granted else 'not granted'} "
                f"(from {label})",
                "✓" if granted else "✗",
                right.value,
            )
        )
    return format_html_join(
        "", '<span class="{}" title="{}"><span aria-hidden="true">{}</span> {}</span>', rows
    )


def rights_panel(article: Article | None) -> str:
    """Each right: whether its rights hold it, whether it is public now, why, and from where."""
    if article is None or article.pk is None:
        return "Rights are derived from the source when the article is first saved."
    rows = []
    for right in Right:
        held = clearance(article, right)
        public = decide(article, right)
        if held.allowed:
            state, why = "Granted", "Its rights allow it."
            if not public.allowed:
                why += " Not public now: " + public.explanation
        else:
            state, why = "Not allowed", held.explanation
        rows.append(
            (
                "nr-panel--granted" if held.allowed else "nr-panel--denied",
                right.noun.capitalize(),
                state,
                basis_label(article, right),
                why,
            )
        )
    return format_html(
        '<dl class="nr-panel">{}</dl>',
        format_html_join(
            "",
            '<dt class="{}">{}: <strong>{}</strong> <small>from {}</small></dt><dd>{}</dd>',
            rows,
        ),
    )


def readable_body(article: Article) -> SafeString:
    """The body as readers see it, made safe again here rather than trusted as stored."""
    return mark_safe(clean_html(article.body))


def body_text(article: Article | None) -> str:
    """The body as readers see it, for text that cannot be edited."""
    if article is None:
        return ""
    return format_html('<div class="nr-body">{}</div>', readable_body(article))


def text_locked(rewrite: Decision) -> SafeString:
    """Why the headline, standfirst and body are read-only: the rewrite right is denied."""
    return format_html(
        '<p class="nr-locked">The headline, standfirst and body cannot be changed: {}</p>',
        rewrite.explanation,
    )


def shared_text_table(report: CopyReport, *, verdict: bool = True) -> SafeString:
    """A copy check's verdict, and each passage beside its item and that item's notice.

    `verdict=False` leaves out a refusal's reasons, for a page that lists them already.
    """
    said = (
        (" ".join(report.reasons) if verdict else "")
        if report.exceeds
        else (
            f"Short quotations only ({report.shared_words} of {report.words} words, the "
            f"longest {report.longest_run}): publication is not held up."
        )
    )
    rows = [
        (
            passage.length,
            passage.text,
            reverse("admin:articles_article_change", args=[passage.item.pk]),
            passage.item.headline,
            passage.item.source.name,
            passage.item.copyright_notice or "No notice.",
        )
        for passage in report.passages
    ]
    return format_html(
        '{}<table class="nr-shared"><thead><tr>'
        '<th scope="col">Words</th><th scope="col">Passage in this story</th>'
        '<th scope="col">Found in</th><th scope="col">Its notice</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        format_html('<p class="nr-shared__verdict">{}</p>', said) if said else "",
        format_html_join(
            "",
            '<tr><td>{}</td><td>“{}”</td><td><a href="{}">{}</a><br><small>{}</small></td>'
            "<td>{}</td></tr>",
            rows,
        ),
    )


def shared_text_panel(article: Article | None) -> str:
    """Each passage this story shares with copy whose text may not be reused, beside it."""
    if article is None or article.pk is None:
        return "Checked when the article is saved."
    report = check(article)
    if not report.passages:
        return "None: it shares no passage with copy whose text may not be reused."
    return shared_text_table(report)
