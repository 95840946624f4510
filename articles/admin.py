"""The admin: declarative, with each article's rights explained in words."""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article, AuditEntry, Byline, Licence, Person, Section, Source
from articles.rights import Right, clearance, decide


class LicenceInline(admin.StackedInline):
    model = Licence
    extra = 0
    fields = [
        ("reference", "valid_from", "valid_until"),
        ("grants_publish", "grants_broadcast", "grants_rewrite", "grants_redistribute"),
        "territories",
        "notes",
    ]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_line", "suspended"]
    list_filter = ["kind", "suspended"]
    search_fields = ["name", "credit_line"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LicenceInline]


@admin.register(Licence)
class LicenceAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "source",
        "valid_from",
        "valid_until",
        "grants_publish",
        "grants_broadcast",
        "grants_rewrite",
        "grants_redistribute",
    ]
    list_filter = ["source"]
    search_fields = ["reference", "source__name"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation"]
    search_fields = ["name"]
    list_filter = ["affiliation"]
    prepopulated_fields = {"slug": ["name"]}


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["order", "person", "role", "place"]


def right_column(right: Right):
    @admin.display(description=right.value.capitalize(), boolean=True, ordering=f"may_{right}")
    def column(obj: Article) -> bool:
        return obj.grants(right)

    column.__name__ = f"right_{right.value}"
    return column


class RightFilter(admin.SimpleListFilter):
    """Filter on one granted right; one subclass per right keeps parameter names distinct."""

    right: Right

    def lookups(self, request, model_admin):
        return [("yes", "Granted"), ("no", "Not granted")]

    def queryset(self, request, queryset):
        field = f"may_{self.right.value}"
        if self.value() in ("yes", "no"):
            return queryset.filter(**{field: self.value() == "yes"})
        return queryset


def right_filter(right: Right) -> type[RightFilter]:
    return type(
        f"{right.value.capitalize()}Filter",
        (RightFilter,),
        {"right": right, "title": f"{right.noun} right", "parameter_name": f"may_{right.value}"},
    )


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = [
        "headline",
        "source",
        "status",
        "published_at",
        *[right_column(r) for r in Right],
        "rights_settled",
    ]
    list_filter = [
        "status",
        "source",
        "section",
        "rights_settled",
        *[right_filter(r) for r in Right],
    ]
    list_select_related = ["source"]
    search_fields = ["headline", "guid", "copyright_holder"]
    date_hierarchy = "published_at"
    inlines = [BylineInline]
    readonly_fields = ["rights_panel", "guid", "version", "wire_format", "wire_original"]
    fieldsets = [
        (
            "Content",
            {
                "fields": [
                    "headline",
                    "headline_is_working",
                    "slug",
                    "standfirst",
                    "body",
                    "dateline",
                    "language",
                    "section",
                    "editor_note",
                ]
            },
        ),
        (
            "Rights",
            {
                "fields": [
                    "rights_panel",
                    "source",
                    ("copyright_holder", "copyright_year"),
                    "copyright_notice",
                    "usage_terms",
                    ("may_publish", "may_broadcast", "may_rewrite", "may_redistribute"),
                    "rights_settled",
                    "territories",
                    "rights_expire_at",
                    "rights_explanation",
                ]
            },
        ),
        ("Workflow", {"fields": ["status", "published_at", "embargo_until", "version"]}),
        (
            "Wire",
            {"classes": ["collapse"], "fields": ["guid", "wire_format", "wire_original"]},
        ),
    ]

    @admin.display(description="What each right allows now")
    def rights_panel(self, obj: Article | None) -> str:
        if obj is None or obj.pk is None:
            return "Rights are derived when the article is saved."
        rows = []
        for right in Right:
            held = clearance(obj, right)
            public = decide(obj, right)
            state = "Granted" if held.allowed else "Not allowed"
            why = held.explanation if not held.allowed else "Rights allow it."
            if held.allowed and not public.allowed:
                why += " Not public now: " + public.explanation
            rows.append((right.noun.capitalize(), state, why))
        return format_html(
            "<dl>{}</dl>", format_html_join("", "<dt>{}: <strong>{}</strong></dt><dd>{}</dd>", rows)
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "article", "source", "actor", "reason"]
    list_filter = ["action", "source"]
    search_fields = ["reason", "article__headline"]
    date_hierarchy = "at"
    list_select_related = ["article", "source", "actor"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
