"""The article's change form: status changes go through the editorial actions and the publish
gate, and new text for a live item is checked for copied passages before anything is saved.
The body and standfirst are written in the rich-text editor (`articles.admin.editor`); an editor
may pin the story to the front page until a time. The form never writes to the audit log: the
actions it asks record their own refusals, and the admin saves a pin through `articles.pins`."""

from __future__ import annotations

import copy

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.actions import Publish, guard_live_text, stale_message
from articles.admin.editor import body_editor, foreign_markup, standfirst_editor
from articles.errors import CopyRefused
from articles.models import Article, FrontPin
from articles.pins import FRONT_PLACES, may_pin, place_label
from articles.sanitise import clean_html
from articles.vocabulary import GONE_STATUSES, LIVE_STATUSES, RIGHTS_FIELDS, TEXT_FIELDS, Status
from copycheck.check import check


class ArticleForm(forms.ModelForm):
    """The change form; status changes go through the article's transitions and the publish gate."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Needed to withdraw or kill the item and for any change of its rights; kept in "
        "the audit log.",
    )
    front_place = forms.TypedChoiceField(
        label="Pin to the front page",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Not pinned"), *((n, place_label(n)) for n in range(1, FRONT_PLACES + 1))],
        help_text="Hold the story in this place at the top of the front page, if its rights "
        "let readers see it. Choose “Not pinned” to take it off.",
    )
    front_until = forms.SplitDateTimeField(
        label="Pinned until",
        required=False,
        widget=AdminSplitDateTime,
        help_text="The pin ends at this time; the front page goes back to the latest stories.",
    )
    user = None  # set per request by ArticleAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_up_editors()
        self.set_up_pin()
        if "status" in self.fields:
            # A new item starts as a draft or in review; it is published once saved.
            self.fields["status"].choices = (
                self.instance.status_choices_for(self.user)
                if self.instance.pk
                else [(s.value, s.label) for s in (Status.DRAFT, Status.REVIEW)]
            )
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def set_up_editors(self) -> None:
        """The rich-text editor for the body and standfirst where they may be changed (a locked
        text is no field of the form); a body with markup the editor would drop stays HTML."""
        if "standfirst" in self.fields:
            self.fields["standfirst"].widget = standfirst_editor()
        if "body" not in self.fields:
            return
        foreign = foreign_markup(self.instance.body)
        if foreign:
            self.fields["body"].help_text = (
                "Edited as HTML: the body holds markup the editor does not offer ("
                + ", ".join(foreign)
                + "), which it would drop."
            )
        else:
            # "Insert picture" reads the picture library: offered to those who may view it.
            self.fields["body"].widget = body_editor(
                pictures=self.user.has_perm("pictures.view_picture")
            )
            self.fields["body"].help_text = ""

    def set_up_pin(self) -> None:
        """Only those who may pin see the pin's fields; the form shows the pin in force."""
        if not may_pin(self.user):
            del self.fields["front_place"], self.fields["front_until"]
            return
        held = None
        if self.instance.pk:
            held = FrontPin.objects.filter(article=self.instance, until__gt=timezone.now()).first()
        if held is not None:
            self.fields["front_place"].initial = held.position
            self.fields["front_until"].initial = held.until

    def clean_front_until(self):
        until = self.cleaned_data.get("front_until")
        if until is not None and until <= timezone.now() and self.data.get("front_place"):
            raise ValidationError("A pin needs an end in the future.")
        return until

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("front_place")
            and not cleaned.get("front_until")
            and "front_until" not in self.errors
        ):
            self.add_error("front_until", "Give the time the pin ends.")
        if self.instance.pk is None:
            return cleaned
        self.check_version(cleaned.get("loaded_version"))
        reason = (cleaned.get("reason") or "").strip()
        if set(self.changed_data) & set(RIGHTS_FIELDS) and not reason:
            self.add_error("reason", "Give a reason for the change of rights.")
        to = cleaned.get("status", self.instance.status)
        if to != self.instance.status and to in GONE_STATUSES and not reason:
            self.add_error("reason", f"Give a reason to mark it {Status(to).label}.")
        candidate = self.candidate(cleaned)
        report = None
        if self.instance.status in LIVE_STATUSES:
            # The plain save keeps the stored status, so new text of a live item goes live.
            changed = [f for f in TEXT_FIELDS if f in self.changed_data]
            if changed:
                report = check(candidate)
                if self.refuse_live_text(candidate, changed, report):
                    return cleaned
        if to in LIVE_STATUSES:
            self.check_gate(cleaned, to=to, candidate=candidate, report=report)
        return cleaned

    def candidate(self, cleaned: dict) -> Article:
        """The item as this form would save it: its rights and text, not yet stored."""
        candidate = copy.copy(self.instance)
        for field in (*RIGHTS_FIELDS, *TEXT_FIELDS):
            if field in cleaned:
                setattr(candidate, field, cleaned[field])
        candidate.body = clean_html(candidate.body)
        return candidate

    def check_version(self, loaded: int | None) -> None:
        # Locks the row until the admin's transaction ends, so no save slips in before ours.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if loaded is None or loaded != current:
            raise ValidationError(stale_message(self.instance, loaded_version=loaded))

    def refuse_live_text(self, candidate: Article, changed: list[str], report) -> bool:
        """Refuse new text for a live item as the model's save would (`guard_live_text`, which
        records the refusal), before anything is saved: an error on the body naming each
        passage, its item and notice."""
        try:
            guard_live_text(
                candidate, self.instance, changed=changed, by=self.user, reports=[report]
            )
        except CopyRefused as refused:
            lines = [refused.message, *(passage_line(passage) for passage in report.passages)]
            self.add_error("body", lines)
            # The error takes the text out of cleaned_data, so the form's item would keep the
            # stored text: give it the refused text, for the shared-text panel to show it.
            for field in changed:
                setattr(self.instance, field, getattr(candidate, field))
            return True
        return False

    def check_gate(self, cleaned: dict, *, to: str, candidate: Article, report=None) -> None:
        now = timezone.now()
        at = cleaned.get("published_at")
        if to == Status.SCHEDULED and (at is None or at <= now):
            self.add_error("published_at", "Give a future publication time to schedule it.")
            return
        if to == self.instance.status and "published_at" not in self.changed_data:
            return
        if at is None:
            cleaned["published_at"] = now
        # The action judges, and records a refusal in the audit log itself.
        reports = None if report is None else [report]
        decision = Publish(candidate, by=self.user, reports=reports).judge()
        if not decision.allowed:
            self.add_error("status", ["Publication refused.", *decision.reasons])


def passage_line(passage) -> str:
    """One shared passage in words: how long, where it was found, and that item's notice."""
    item = passage.item
    notice = " ".join(item.copyright_notice.split()) or "no notice"
    return (
        f"{passage.length} words, “{passage.text}”, found in “{item.headline}” from "
        f"{item.source.name} ({notice})."
    )
