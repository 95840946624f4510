"""What the article admin's own pages share: the article a page is about, the admin's frame around
the page, and the way back to the change form with the article's new status."""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.models import Article


class ArticlePages:
    """For the article's ModelAdmin: pages beside its change list and change form."""

    def article_or_404(self, request, object_id) -> Article:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(f"No article with id {object_id}.")
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def page(self, request, template: str, context: dict, *, status: int = 200):
        context = {**self.admin_site.each_context(request), "opts": self.opts, **context}
        return TemplateResponse(request, template, context, status=status)

    def tell_status(self, request, article: Article) -> None:
        self.message_user(request, f"{article}: {article.get_status_display().lower()}.")

    def back_to_article(self, article: Article) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
