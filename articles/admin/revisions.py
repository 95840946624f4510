"""An article's revisions: one against the article now or another revision, line by line for the
body, and the revert to it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from articles.admin.pages import ArticlePages
from articles.models import Article


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
    old: object
    new: object
    lines: list[tuple[str, str]]


def revision_changes(old, new) -> list[FieldChange]:
    """Compare two states of an article (revisions or the article itself), field by field."""
    changes = []
    for field in Article.history.model.tracked_fields:
        before, after = getattr(old, field.attname), getattr(new, field.attname)
        if before == after:
            continue
        lines = text_diff(before, after) if field.name == "body" else []
        changes.append(FieldChange(str(field.verbose_name), before, after, lines))
    return changes


class RevisionViews(ArticlePages):
    """The revision page, for the article's ModelAdmin (before `SimpleHistoryAdmin`, whose page it
    replaces)."""

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
                "against": against,
                "changes": revision_changes(record, against),
                "revisions": article.history.select_related("history_user")[:50],
                "error": error,
                "may_revert": self.has_change_permission(request, article),
            },
        )
