"""An article's revisions: one against the article now or another revision, line by line for the
body, and the revert to it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404

from articles.admin.pages import ArticlePages
from articles.admin.wording import (
    changed_fields,
    label,
    moment,
    person,
    revision_summary,
    value,
)


def body_lines(html: str) -> list[str]:
    return [line.strip() for line in re.split(r"(?<=</p>)|(?<=<br>)|\n", html) if line.strip()]


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Return the lines of a diff from `old` to `new`, each as (added|removed|same, text)."""
    kinds = {"+ ": "added", "- ": "removed", "  ": "same"}
    return [
        (kinds[line[:2]], line[2:])
        for line in difflib.ndiff(body_lines(old), body_lines(new))
        if line[:2] in kinds
    ]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str
    lines: list[tuple[str, str]]


def revision_changes(old, new) -> list[FieldChange]:
    """Compare two states of an article (revisions or the article itself), field by field, each
    value in words; the body line by line."""
    changes = []
    for field, before, after in changed_fields(old, new):
        if field.name == "body":
            changes.append(FieldChange(label(field.name), "", "", text_diff(before, after)))
            continue
        if field.is_relation:
            before, after = getattr(old, field.name), getattr(new, field.name)
        shown = (str(v) if field.is_relation and v is not None else v for v in (before, after))
        changes.append(
            FieldChange(label(field.name), *(value(field.name, v) for v in shown), lines=[])
        )
    return changes


@dataclass(frozen=True)
class HistoryRow:
    record: object
    who: str
    when: str
    changes: list[str]


def history_rows(records: list, *, before) -> list[HistoryRow]:
    """Each revision (newest first) with who made it and what changed from the one before it;
    `before` is the revision preceding the oldest of `records`, None if that one is the first."""
    earlier = [*records[1:], before]
    return [
        HistoryRow(
            record,
            revision_author(record),
            moment(record.history_date),
            revision_summary(previous, record),
        )
        for record, previous in zip(records, earlier, strict=True)
    ]


def revision_author(record) -> str:
    """Who made a revision: a person, else ingest for wire copy, else the system."""
    return person(record.history_user, nobody="ingest" if record.wire_format else "the system")


class RevisionViews(ArticlePages):
    """The history and revision pages, for the article's ModelAdmin (before
    `SimpleHistoryAdmin`, whose pages they replace)."""

    history_per_page = 25

    def history_view(self, request, object_id, extra_context=None):
        """The article's revisions, newest first: who, when, and what changed, in words."""
        article = self.article_or_404(request, object_id)
        paginator = Paginator(article.history.select_related("history_user"), self.history_per_page)
        page = paginator.get_page(request.GET.get("p"))
        records = list(page.object_list)
        before = None
        if records:
            # One revision more than the page shows, to tell what its oldest one changed.
            oldest = records[-1]
            before = article.history.filter(
                Q(history_date__lt=oldest.history_date)
                | Q(history_date=oldest.history_date, history_id__lt=oldest.history_id)
            ).first()
        return self.page(
            request,
            "admin/articles/article/history.html",
            {
                "title": f"History of {article}",
                "article": article,
                "rows": history_rows(records, before=before),
                "page_obj": page,
                "may_revert": self.has_change_permission(request, article),
            },
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Show one revision against the article now (or `?against=` another), and revert to it."""
        article = self.article_or_404(request, object_id)
        record = get_object_or_404(article.history, history_id=version_id)
        against = article
        if request.GET.get("against", "").isdigit():
            against = get_object_or_404(article.history, history_id=request.GET["against"])
        error = ""
        if request.method == "POST":
            try:
                changed = article.revert(to=record, by=request.user)
            except PermissionDenied as denied:
                raise PermissionDenied(str(denied)) from denied
            except ValidationError as refused:
                error = " ".join(refused.messages)
            else:
                self.message_user(
                    request,
                    f"Reverted {', '.join(changed)} to revision {record.history_id}."
                    if changed
                    else "Nothing to revert: the text already matches that revision.",
                )
                return self.back_to_article(article)
        return self.page(
            request,
            "admin/articles/article/revision.html",
            {
                "title": f"Revision {record.history_id} of {article}",
                "article": article,
                "record": record,
                "author": revision_author(record),
                "against": against,
                "changes": revision_changes(record, against),
                "revisions": [
                    (other, revision_author(other))
                    for other in article.history.select_related("history_user")[:50]
                ],
                "error": error,
                "may_revert": self.has_change_permission(request, article),
            },
        )
