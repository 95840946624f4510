"""Every desk page, for each role, carries no inline style and no inline script (the strict CSP
would block them), and shows no Python or JSON rendering of a value."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from articles import previews
from articles.actions import PAGES
from articles.models import Article, AuditEntry, Licence
from tests.factories import member
from tests.pictures.files import stored_picture

ROLES = ["Reporter", "Editor", "Rights manager", "superuser"]
# What a Python or JSON rendering of an empty value or a user looks like on a page.
REPRS = ["frozenset(", "set()", "Changed by: None", '{"', "[152 chars]", "&quot;changes&quot;"]


class PageReader(HTMLParser):
    """Collect every inline style and every script without a source on a page."""

    def __init__(self):
        super().__init__()
        self.styled: list[str] = []
        self.inline_scripts: list[str] = []
        self._tag_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if "style" in names:
            self.styled.append(f"<{tag} style={names['style']!r}>")
        if tag == "style":
            self.styled.append("<style> element")
        if tag == "script" and not names.get("src"):
            self.inline_scripts.append(str(names))
        if any(name.startswith("on") for name in names):
            self.inline_scripts.append(f"<{tag}> with an event handler attribute")


@pytest.fixture
def desk_world(make_article, make_source, now, restricted):
    """An item of each kind the desk shows, with history and audit entries to show."""
    source = make_source("Reuters")
    licence = Licence.objects.create(source=source, reference="REF-1", grants_publish=True)
    article = make_article(
        source=source,
        licence=licence,
        territories={"GB", "IE"},
        rights_basis={"publish": "licence"},
        status="draft",
        published_at=None,
    )
    article.headline = "A second headline"
    article.save()
    AuditEntry.record(
        AuditEntry.Action.RIGHTS_CHANGE,
        article=article,
        reason="Checked.",
        detail={"changes": {"territories": [[], ["GB", "IE"]]}},
    )
    AuditEntry.record(
        AuditEntry.Action.REFUSAL,
        article=restricted,
        reason="Refused.",
        detail={"right": "publish", "reasons": ["Anadolu Agency's notice forbids publication."]},
    )
    stored_picture(
        source,
        creators=["Ann Lens"],
        rights_basis={"publish": "licence", "rewrite": "notice"},
        territories={"GB"},
    )
    return article


def login(client, role: str):
    if role == "superuser":
        user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    else:
        user = member(role)
    client.force_login(user)
    return user


def desk_urls(article: Article) -> list[str]:
    """The desk's pages: every registered model's list, add form, change form and history, and
    the article's own pages."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{name}_changelist"))
        urls.append(reverse(f"{name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{name}_change", args=[first.pk]))
            urls.append(reverse(f"{name}_history", args=[first.pk]))
    for pk in Article.objects.values_list("pk", flat=True):
        urls.append(reverse("admin:articles_article_change", args=[pk]))
        urls.append(reverse("admin:articles_article_history", args=[pk]))
        urls.append(reverse("admin:articles_article_preview", args=[pk]))
        urls += [reverse(f"admin:articles_article_{action}", args=[pk]) for action in PAGES]
        record = Article.objects.get(pk=pk).history.last()
        urls.append(reverse("admin:articles_article_simple_history", args=[pk, record.history_id]))
        urls.append(previews.preview_path(pk))
    for name in ["articles_article_report", "articles_article_ingest", "newsletter_digest_preview"]:
        try:
            urls.append(reverse(f"admin:{name}"))
        except NoReverseMatch:  # pragma: no cover - each is routed; a rename should fail here
            pytest.fail(f"admin:{name} is not routed")
    for entry in AuditEntry.objects.all():
        urls.append(reverse("admin:articles_auditentry_change", args=[entry.pk]))
    return list(dict.fromkeys(urls))


@pytest.mark.parametrize("role", ROLES)
def test_no_desk_page_carries_an_inline_style_or_script(client, desk_world, role):
    login(client, role)
    seen = 0
    for url in desk_urls(desk_world):
        response = client.get(url)
        assert response.status_code in (200, 403, 410), f"{url}: {response.status_code}"
        if "text/html" not in response.get("Content-Type", ""):
            continue
        reader = PageReader()
        reader.feed(response.content.decode())
        assert not reader.styled, f"{role} at {url}: {reader.styled}"
        assert not reader.inline_scripts, f"{role} at {url}: {reader.inline_scripts}"
        seen += response.status_code == 200
    assert seen >= 10  # the crawl reached the pages, not only refusals


@pytest.mark.parametrize("role", ["Editor", "Rights manager"])
def test_no_desk_page_shows_a_python_or_json_rendering(client, desk_world, role):
    login(client, role)
    for url in desk_urls(desk_world):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        # The audit entry's data sits behind its disclosure, and only there.
        text = text.split('<details class="nr-as-data">')[0]
        for shown in REPRS:
            assert shown not in text, f"{role} at {url} shows {shown!r}"
        assert ">None<" not in text, f"{role} at {url} shows None"


def test_the_reader_notices_an_inline_style(client):
    reader = PageReader()
    reader.feed('<p style="color: red">x</p><script>alert(1)</script><script src="/a.js"></script>')
    assert reader.styled == ["<p style='color: red'>"]
    assert len(reader.inline_scripts) == 1
