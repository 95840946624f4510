"""Who receives the daily digest, what each digest carried (an item goes out once, ever) and to
whom each was delivered (an address gets a digest once)."""

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
        help_text="When its items were chosen and recorded, before any was delivered.",
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


class DeliveryQuerySet(models.QuerySet):
    def pending(self) -> DeliveryQuerySet:
        """Deliveries no run has taken up yet."""
        return self.filter(attempted_at__isnull=True)


class Delivery(models.Model):
    """One address's copy of a digest, recorded before it is sent and completed after.

    Pending (never attempted), sent (`sent_at`), or refused (`error`, the mail server's answer).
    A run takes a delivery up by setting `attempted_at` first, so two runs never both send it; one
    attempted but neither sent nor refused was cut off by a run dying mid-send, and is not sent
    again.
    """

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    address = models.EmailField("email address")
    # Subscribers' copies carry their unsubscribe link; addresses from NEWSLETTER_RECIPIENTS have
    # none. Deleting a subscriber keeps the record of what went to the address.
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the mail server refused it.")

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["digest", "id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "address"],
                name="newsletter_delivery_once_per_address",
                violation_error_message="This digest already has a delivery to this address.",
            )
        ]
        indexes = [
            # Each run looks for pending deliveries first: this index holds only those.
            models.Index(
                fields=["digest"],
                condition=models.Q(attempted_at__isnull=True),
                name="newsletter_delivery_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.digest} to {self.address}"
