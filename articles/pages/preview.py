"""The signed preview link: the reader's page of an item not yet public, for a colleague without a
desk account, while the link lasts. Never cached, never indexed, never a killed item."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_safe

from articles import previews
from articles.models import Article


def private(response: HttpResponse) -> HttpResponse:
    """Keep a preview out of every cache and every index."""
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def refused(request: HttpRequest, *, heading: str, message: str, status: int) -> HttpResponse:
    context = {"heading": heading, "message": message}
    return private(render(request, "articles/preview_refused.html", context, status=status))


@require_safe
def signed_preview(request: HttpRequest, token: str) -> HttpResponse:
    try:
        pk, expires = previews.previewed(token)
    except signing.SignatureExpired:
        return refused(
            request,
            heading="This preview link has expired",
            message=f"Preview links last {previews.link_lifetime().total_seconds() / 3600:g} "
            "hours. Ask the colleague who sent it for a new one.",
            status=410,
        )
    except signing.BadSignature:
        return refused(
            request,
            heading="This preview link is not valid",
            message="The link is incomplete or was changed. Ask the colleague who sent it to "
            "copy it again from the desk.",
            status=403,
        )
    article = Article.objects.select_related("source", "section").filter(pk=pk).first()
    if article is None:
        return refused(
            request,
            heading="This item no longer exists",
            message="There is nothing to preview at this link.",
            status=404,
        )
    if previews.is_killed(article):
        return refused(
            request,
            heading="This item was killed",
            message="It was removed for good and cannot be previewed.",
            status=410,
        )
    context = previews.preview_context(article)
    context["link_expires"] = date_format(timezone.localtime(expires), "j M Y, H:i T")
    return private(render(request, "articles/preview.html", context))
