"""The feeds a source serves over HTTP, on the source's page: what to poll, and, in words, what
the last polls found ("12:04 — 3 new, 1 updated, 20 unchanged")."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join

from articles.ingest import FORMATS
from articles.models import Feed

RECENT = 8  # polls shown per feed; the rest are kept (up to KEEP_POLLS) but not shown


class FeedForm(forms.ModelForm):
    """What a feed serves, chosen from the formats ingest reads (plain text is not a feed)."""

    url = forms.URLField(
        label="URL",
        max_length=1000,
        assume_scheme="https",
        help_text=Feed._meta.get_field("url").help_text,
    )
    format = forms.ChoiceField(
        choices=[("auto", "auto: told from the content")]
        + [(name, name) for name in FORMATS if name != "text"],
        initial="auto",
    )

    class Meta:
        model = Feed
        fields = ["url", "format", "time_zone", "active", "interval", "next_poll_at"]


class FeedInline(admin.StackedInline):
    model = Feed
    form = FeedForm
    extra = 0
    fields = [
        "url",
        ("format", "time_zone"),
        ("active", "interval", "next_poll_at"),
        "state",
        "recent_polls",
    ]
    readonly_fields = ["state", "recent_polls"]

    @admin.display(description="Poll state")
    def state(self, feed: Feed) -> str:
        if not feed.pk or feed.last_polled_at is None:
            return "Not polled yet."
        words = [f"Last polled {feed.last_polled_at:%Y-%m-%d %H:%M %Z}"]
        if feed.failures:
            words.append(f"{feed.failures} failure(s) in a row")
        if feed.etag or feed.last_modified:
            words.append("asks only for changes (ETag or Last-Modified kept)")
        return "; ".join(words) + "."

    @admin.display(description="Recent polls")
    def recent_polls(self, feed: Feed) -> str:
        """The last polls in words; the items a poll refused, and why, are in each line's title."""
        polls = list(feed.polls.all()[:RECENT]) if feed.pk else []
        if not polls:
            return "None yet."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li title="{}">{}</li>',
                ((poll.error if poll.succeeded else "", poll.described()) for poll in polls),
            ),
        )
