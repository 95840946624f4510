"""Who receives the daily digest, and what each digest sent: an item goes out once, ever."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower

from articles.models import Article


class Subscriber(models.Model):
    email = models.EmailField("email address")
    active = models.BooleanField(
        default=True, help_text="Only active subscribers receive the digest."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            # Mail servers treat the case of an address as one mailbox: one subscription each.
            models.UniqueConstraint(
                Lower("email"),
                name="subscriber_email_unique",
                violation_error_message="This address is already subscribed.",
            )
        ]

    def __str__(self) -> str:
        return self.email


class Digest(models.Model):
    sent_at = models.DateTimeField(
        db_index=True,
        help_text="When its items were chosen; the next digest takes items published after it.",
    )
    subject = models.CharField(max_length=255)
    recipient_count = models.PositiveIntegerField("recipients")

    class Meta:
        ordering = ["-sent_at", "-id"]
        get_latest_by = "sent_at"

    def __str__(self) -> str:
        return self.subject


class DigestItem(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="items")
    # The unique constraint below indexes the article already.
    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="newsletter_items", db_index=False
    )

    class Meta:
        ordering = ["digest", "id"]
        verbose_name = "item"
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                name="newsletter_item_sent_once",
                violation_error_message="This article has already gone out in a digest.",
            )
        ]

    def __str__(self) -> str:
        return str(self.article)
