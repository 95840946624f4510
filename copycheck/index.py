"""Keep the fingerprint index in step with the articles: each save of non-staff copy re-indexes."""

from __future__ import annotations

from copycheck.models import Fingerprint
from copycheck.shingles import shingles, winnow, words


def article_text(article) -> str:
    return " ".join([article.headline, article.standfirst, article.body])


def index_article(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    """Index copy from other sources (ours is never protected); staff copy is left out."""
    if raw or instance.source.kind == "staff":
        return
    if not created:
        Fingerprint.objects.filter(article=instance).delete()
    Fingerprint.objects.bulk_create(
        Fingerprint(article=instance, hash=value, position=position)
        for value, position in winnow(shingles(words(article_text(instance))))
    )
