"""What the pictures' tests share about stories: a placing as the body stores it, the reader's
country as the CDN reports it, and the article change form's text."""

from __future__ import annotations

import html

from django.conf import settings
from django.urls import reverse

from articles.models import Article

CAPTION = "Fishing boats come in at dawn on the north quay."


def placed(picture_id, caption: str = "") -> str:
    """A placing of picture `picture_id`, with the caption the desk typed where it typed one."""
    typed = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure data-picture="{picture_id}">{typed}</figure>'


def country(code: str) -> dict[str, str]:
    return {settings.COUNTRY_HEADER: code}


def form_text(client, article: Article) -> str:
    """The change form of `article` as its words read (entities unescaped)."""
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())
