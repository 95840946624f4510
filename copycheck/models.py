"""The fingerprint index: a few hashed word shingles per item, looked up by hash."""

from django.db import models


class Fingerprint(models.Model):
    """One winnowed shingle of an item's text; any shared run of 25 words shares at least one."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    hash = models.BigIntegerField()
    position = models.PositiveIntegerField(help_text="Index of the shingle's first word.")

    class Meta:
        indexes = [models.Index(fields=["hash", "article"], name="fingerprint_hash_idx")]

    def __str__(self) -> str:
        return f"{self.hash:x} @ {self.position}"
