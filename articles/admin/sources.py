"""Sources and their licences, sections and people: a change to a licence's terms or to a
source's suspension changes the rights of its items, and says so."""

from __future__ import annotations

from django import forms
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


class SourceForm(forms.ModelForm):
    """The source's form: its format chosen from those ingest reads now (the model checks it in
    `clean()` rather than by `choices`, so a format the parsers learn needs no migration)."""

    class Meta:
        model = Source
        fields = [
            "name",
            "slug",
            "kind",
            "credit_line",
            "suspended",
            "ingest_format",
            "ingest_zone",
            "default_section",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("ingest_format")
        if field is None:  # shown read-only, to those who may only view the source
            return
        self.fields["ingest_format"] = forms.ChoiceField(
            label=field.label,
            help_text=field.help_text,
            initial=field.initial,
            choices=[(f, "Detect from content" if f == "auto" else f) for f in Source.formats],
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ["name", "kind", "credit_line", "suspended", "ingest_format", "ingest_zone"]
    list_filter = ["kind", "suspended"]
    search_fields = ["name", "credit_line"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LicenceInline, FeedInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "credit_line", "suspended"]}),
        (
            "Ingest",
            {
                "fields": ["ingest_format", "ingest_zone", "default_section"],
                "description": "How ingest reads this source's copy when the run names the "
                "source (the upload page, ingest --source, a drop folder watched for it). Found "
                "from the copy instead, the source's time zone and default section still apply.",
            },
        ),
    ]

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
