"""The desk's pictures: a list with their rights, and a change form that says them in words.

Rights come from the file and our licences, as for articles; here they are read, not edited.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from articles.rights import clearance
from articles.vocabulary import Basis, Right
from pictures.models import Picture

RIGHTS_FIELDS = [
    "copyright_holder", "copyright_year", "copyright_notice", "usage_terms", "credit_line",
    "photographers", "web_statement", "data_mining", "licensor", "may_publish", "may_broadcast",
    "may_rewrite", "may_redistribute", "rights_settled", "rights_from", "territories",
    "excluded_territories", "rights_start_at", "rights_expire_at", "licence", "rights_explanation",
]  # fmt: skip
FILE_FIELDS = ["image", "format", "width", "height", "content_hash", "guid", "version"]


@admin.register(Picture)
class PictureAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__", "source", "status", "may_publish", "may_broadcast", "may_rewrite",
        "may_redistribute", "rights_settled", "rights_expire_at", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "rights_settled", "may_publish", "source"]
    search_fields = ["title", "caption", "guid", "credit_line", "copyright_holder"]
    list_select_related = ["source"]
    readonly_fields = ["rights_in_words", "status", "published_at", *RIGHTS_FIELDS, *FILE_FIELDS]
    fieldsets = [
        ("Rights", {"fields": ["rights_in_words", *RIGHTS_FIELDS]}),
        (None, {"fields": ["title", "caption", "source", "status", "published_at"]}),
        ("Embargo", {"fields": ["embargo_until"]}),
        ("File", {"fields": FILE_FIELDS}),
    ]
    actions = ["publish"]

    @admin.display(description="What its rights allow")
    def rights_in_words(self, picture: Picture) -> str:
        if picture.pk is None:
            return "–"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                (
                    (right.noun.capitalize(), clearance(picture, right).explanation)
                    for right in Right
                ),
            ),
        )

    @admin.display(description="Photographers")
    def photographers(self, picture: Picture) -> str:
        return ", ".join(picture.creators) or "–"

    @admin.display(description="Where each right came from")
    def rights_from(self, picture: Picture) -> str:
        basis = picture.rights_basis or {}
        return (
            "; ".join(
                f"{right.noun}: {Basis(basis[right.value]).label}"
                for right in Right
                if basis.get(right.value) in Basis.values
            )
            or "–"
        )

    @admin.action(
        description="Publish the selected pictures their rights allow", permissions=["change"]
    )
    def publish(self, request, queryset) -> None:
        for picture in queryset.select_related("source"):
            decision = picture.publish(by=request.user)
            level = messages.SUCCESS if decision.allowed else messages.WARNING
            self.message_user(request, f"{picture}: {decision.explanation}", level)
