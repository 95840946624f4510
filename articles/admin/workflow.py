"""The workflow's pages beside the change form: publish, withdraw, kill and override, each with the
publish gate shown before the step is taken; the reader's preview; the rights report."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse

from articles import previews
from articles.actions import PAGES, publish_gate
from articles.actions.base import Action
from articles.admin.pages import ArticlePages
from articles.admin.panels import shared_text_table
from articles.models import Article
from articles.permissions import require_permission
from articles.rights import Decision, clearance
from articles.vocabulary import Right
from articles.workflow import rights_report
from copycheck.check import check


def step_form(step: type[Action], data=None) -> forms.Form:
    """The form of an action's page: a reason, and a publication time where it takes one."""
    fields = {
        "reason": forms.CharField(
            required=step.needs_reason,
            widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
            help_text="Kept in the audit log.",
        )
    }
    if step.takes_time:
        fields["at"] = forms.DateTimeField(
            required=False,
            label="Publication time (UTC)",
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            help_text="Empty: now. A future time schedules it.",
        )
    return type("WorkflowForm", (forms.Form,), fields)(data)


def gate_context(article: Article, step: type[Action]) -> dict:
    """What a workflow page shows of the publish gate before the step is taken.

    Publication's steps show the whole gate, rights and copy check, with each shared passage
    beside its item and notice; the others, the rights alone.
    """
    if not step.shows_gate:
        return {"gate": clearance(article, Right.PUBLISH), "shared": ""}
    report = check(article)
    return {
        "gate": publish_gate(article, reports=[report]),
        "shared": shared_text_table(report, verdict=False) if report.passages else "",
    }


def take_step(step: type[Action], article: Article, *, by, reason: str, at=None) -> Decision:
    """Execute the page's action with what its form asked for."""
    asked = {"reason": reason} if step.takes_reason else {}
    if step.takes_time:
        asked["at"] = at
    return step(article, by=by, **asked).execute()


def preview_link(request, object_id) -> dict | None:
    """The signed link to the item a colleague can open without the desk, and how long it
    lasts."""
    if not str(object_id).isdigit():
        return None
    return {
        "url": request.build_absolute_uri(previews.preview_path(int(object_id))),
        "hours": previews.link_lifetime().total_seconds() / 3600,
    }


def workflow_links(user, article: Article) -> list[tuple[str, str]]:
    """The steps `user` can take on `article` now, as (url, label), for the change form's object
    tools: only those that would succeed (`Action.offered`)."""
    return [
        (reverse(f"admin:articles_article_{action}", args=[article.pk]), step.label)
        for action, step in PAGES.items()
        if user.has_perm(f"articles.{step.permission}") and step.offered(article, by=user)
    ]


class WorkflowViews(ArticlePages):
    """The workflow's pages, for the article's ModelAdmin."""

    def workflow_view(self, request, object_id, action):
        article = self.article_or_404(request, object_id)
        step = PAGES[action]
        form = step_form(step, request.POST if request.method == "POST" else None)
        context = {
            "title": f"{step.label}: {article}",
            "article": article,
            "step": step,
            "form": form,
            "may_override": request.user.has_perm("articles.override_refusal"),
            "refusal": [],
        }
        try:
            require_permission(request.user, step.permission, to=step.label.lower())
            if request.method == "POST" and form.is_valid():
                decision = take_step(
                    step,
                    article,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    at=form.cleaned_data.get("at"),
                )
                if decision.allowed:
                    self.tell_status(request, article)
                    return self.back_to_article(article)
                context["refusal"] = decision.reasons
        except PermissionDenied as denied:
            context["denied"] = str(denied)
            return self.page(request, "admin/articles/article/workflow.html", context, status=403)
        except ValidationError as error:
            form.add_error(None, error)
        context.update(gate_context(article, step))
        return self.page(request, "admin/articles/article/workflow.html", context)

    def preview_view(self, request, object_id):
        """Show the reader's page of the article under a banner for staff; never cached (the
        admin's view marks it so), never indexed, and never a killed item."""
        article = self.article_or_404(request, object_id)
        desk_url = reverse("admin:articles_article_change", args=[article.pk])
        if previews.is_killed(article):
            context = {
                "heading": "This item was killed",
                "message": "It was removed for good, so there is no page to preview.",
                "desk_url": desk_url,
            }
            response = TemplateResponse(
                request, "articles/preview_refused.html", context, status=410
            )
        else:
            context = {**previews.preview_context(article), "desk_url": desk_url}
            response = TemplateResponse(request, "articles/preview.html", context)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def rights_report_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            days = min(max(int(request.GET.get("days", 7)), 1), 90)
        except ValueError:
            days = 7
        report = rights_report(days=days)
        return self.page(
            request,
            "admin/articles/article/rights_report.html",
            {"title": f"Rights report: the next {days} day(s)", "report": report, "days": days},
        )
