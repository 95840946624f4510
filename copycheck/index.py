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
    if not rows:
        return
    # One multi-row INSERT straight to the cursor: this runs on every save of wire copy, and
    # both ORM objects and one statement per row cost more than the indexing itself.
    table = connection.ops.quote_name(Fingerprint._meta.db_table)
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (article_id, hash, position) VALUES {values}",
            [field for row in rows for field in row],
        )
