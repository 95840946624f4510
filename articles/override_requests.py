"""An editor's request that a rights manager override a refusal at the publish gate.

An editor refused at the gate cannot publish, and cannot override; the request is how they ask,
with a note. The rights manager's desk lists the open requests; granting one is the override
itself (`actions.Override`, with its reason in the audit log), declining one needs a reason too,
and either way the editor who asked is told on their desk (and by email where they have one).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


class OverrideRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=OverrideRequest.State.OPEN)

    def open_for(self, article) -> OverrideRequest | None:
        return self.open().filter(article=article).select_related("asked_by").first()


class OverrideRequest(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Waiting for a rights manager"
        GRANTED = "granted", "Granted"
        DECLINED = "declined", "Declined"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, related_name="override_requests"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(help_text="Why it should go out: what the rights manager should know.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)

    objects = OverrideRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            # One open request per item: a second editor's ask joins the first's.
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(state="open"),
                name="one_open_override_request",
            )
        ]
        indexes = [models.Index(fields=["state", "asked_at"], name="override_request_state")]

    def __str__(self) -> str:
        return f"{self.get_state_display()}: override for “{self.article}”"

    def answer_with(self, state: str, *, by, answer: str) -> None:
        """Close the request as granted or declined, and tell the editor who asked."""
        self.state, self.answered_by = state, by
        self.answered_at = timezone.now()
        self.answer = answer
        self.save(update_fields=["state", "answered_by", "answered_at", "answer"])
        transaction.on_commit(self._tell_the_asker)

    def _tell_the_asker(self) -> None:
        """An email to the editor who asked, where they have an address; their desk shows it
        too. A mail server that is down loses no answer: it is logged, and the desk has it."""
        address = self.asked_by.email
        if not address:
            return
        verdict = "granted" if self.state == self.State.GRANTED else "declined"
        body = (
            f"Your request for an override of “{self.article}” was {verdict} by "
            f"{self.answered_by.get_username()}:\n\n{self.answer}\n"
        )
        try:
            EmailMessage(f"Override {verdict}: {self.article}", body, to=[address]).send()
        except OSError:
            logger.exception("Could not tell %s of the answer to request %s", address, self.pk)

    @classmethod
    def grant_open(cls, article, *, by, answer: str) -> OverrideRequest | None:
        """An override given closes the item's open request, if any, as granted."""
        waiting = cls.objects.open_for(article)
        if waiting is not None:
            waiting.answer_with(cls.State.GRANTED, by=by, answer=answer)
        return waiting
