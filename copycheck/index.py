"""Keep the fingerprint index in step with the articles: each save of non-staff copy re-indexes."""

from __future__ import annotations

from django.db import connection

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
    rows = [
        (instance.pk, value, position)
        for value, position in winnow(shingles(words(article_text(instance))))
    ]
    # Straight to the cursor: this runs on every save of wire copy, so ORM objects cost too much.
    table = connection.ops.quote_name(Fingerprint._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (article_id, hash, position) VALUES (%s, %s, %s)", rows
        )
