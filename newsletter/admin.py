"""The subscribers, a read-only record of every digest and delivery, and a preview of the next
digest."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone

from newsletter.digest import default_since, digest_items, render_digest
from newsletter.models import Delivery, Digest, DigestItem, Subscriber
from newsroom.admin import RecordAdmin

# Besides those who may read the digests sent, the people who decide what goes out: editors, who
# publish, and rights managers, who decide what may be broadcast.
PREVIEWERS = (
    "newsletter.view_digest",
    "articles.publish_article",
    "articles.change_article_rights",
)


def may_preview(user) -> bool:
    """May `user` see the next digest before it goes out?"""
    return user.is_active and any(user.has_perm(codename) for codename in PREVIEWERS)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["email"]
    readonly_fields = ["created_at"]


class DigestItemInline(admin.TabularInline):
    model = DigestItem
    fields = ["article"]
    readonly_fields = ["article"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Digest)
class DigestAdmin(RecordAdmin):
    """What went out, never edited: deleting a digest would let its items go out again."""

    list_display = ["subject", "sent_at", "recipient_count"]
    date_hierarchy = "sent_at"
    inlines = [DigestItemInline]
    change_list_template = "newsletter/admin/digest_change_list.html"

    def get_urls(self):
        return [self.view_url("preview", self.preview_view), *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> TemplateResponse:
        """Show the digest as it would go out now, judged by the rights as they stand now, with
        its links as readers will get them (`SITE_URL`)."""
        if not may_preview(request.user):
            raise PermissionDenied
        at = timezone.now()
        since = default_since(at=at)
        items = digest_items(since=since, at=at)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Preview of the next digest",
            "since": since,
            "content": render_digest(items, at=at) if items else None,
            "may_list_digests": self.has_view_permission(request),
            "site_url": settings.SITE_URL,
        }
        return TemplateResponse(request, "newsletter/admin/preview.html", context)


@admin.register(Delivery)
class DeliveryAdmin(RecordAdmin):
    """Who got each digest, and which addresses the mail server refused, with its answer."""

    list_display = ["address", "digest", "sent_at", "error"]
    list_filter = [("error", admin.EmptyFieldListFilter), ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["digest"]
    search_fields = ["address"]
    date_hierarchy = "attempted_at"
