"""Sources and their licences, sections and people: a change to a licence's terms or to a
source's suspension changes the rights of its items, and says so."""

from __future__ import annotations

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from articles.admin.feeds import FeedInline
from articles.models import AuditEntry, Licence, Person, Section, Source


class LicenceInline(admin.StackedInline):
    model = Licence
    extra = 0
    fields = [
        ("reference", "valid_from", "valid_until"),
        ("grants_publish", "grants_broadcast", "grants_rewrite", "grants_redistribute"),
        "territories",
        "notes",
    ]


def report_rederived(request, licence: Licence) -> None:
    """Say what the licence's save derived again (`Licence.save()` does it on every path)."""
    if getattr(licence, "rederived", None) is not None:
        messages.info(
            request,
            f"{licence}: the rights of {len(licence.rederived)} item(s) were derived again.",
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "credit_line", "suspended"]
    list_filter = ["kind", "suspended"]
    search_fields = ["name", "credit_line"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LicenceInline, FeedInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "suspended" in form.changed_data:
            AuditEntry.record(
                AuditEntry.Action.RIGHTS_CHANGE,
                source=obj,
                actor=request.user,
                reason=f"{obj} {'suspended' if obj.suspended else 'reinstated'}: its items "
                f"{'leave' if obj.suspended else 'may return to'} every public channel.",
                detail={"suspended": obj.suspended},
            )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Licence:
            for licence in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
                report_rederived(request, licence)


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        report_rederived(request, obj)


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
