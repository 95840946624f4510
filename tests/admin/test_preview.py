"""The preview is the reader's page under a staff banner, and a signed link a colleague can open
without the desk while it lasts; never cached, never indexed, never a killed item."""

from __future__ import annotations

import datetime
import re
import runpy
from pathlib import Path

import pytest
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import previews
from articles.models import Article, Byline, Person
from tests.factories import AA_NOTICE, member


@pytest.fixture
def draft(make_article):
    article = make_article(
        status="draft", published_at=None, headline="Harbour plan unveiled", standfirst="Plans."
    )
    person = Person.objects.create(name="Maya Okafor", slug="maya-okafor")
    Byline.objects.create(article=article, person=person, role="writing", order=0)
    return article


def desk_preview(client, article: Article):
    return client.get(reverse("admin:articles_article_preview", args=[article.pk]))


def signed_path(article: Article) -> str:
    return previews.preview_path(article.pk)


# --- the desk's preview -----------------------------------------------------------------------


def test_the_desk_preview_is_the_readers_page_with_masthead_and_bylines(client, draft):
    client.force_login(member("Reporter"))
    text = desk_preview(client, draft).content.decode()
    assert 'class="masthead"' in text
    assert "Maya Okafor" in text
    assert "/static/css/newsroom.css" in text
    assert '<h1 class="article__headline">Harbour plan unveiled</h1>' in text


def test_the_banner_says_it_is_a_preview_and_that_a_draft_may_be_published(client, draft):
    client.force_login(member("Reporter"))
    text = desk_preview(client, draft).content.decode()
    assert "Preview, not the published page." in text
    assert "Readers cannot see it now: It is a draft." in text
    assert "It may be published now." in text


def test_the_banner_says_why_an_item_may_not_be_published(client, restricted):
    client.force_login(member("Editor"))
    text = desk_preview(client, restricted).content.decode()
    assert "It may not be published now: Anadolu Agency&#x27;s notice forbids publication" in text
    banner = text.split('id="preview-banner"')[1].split("</div>")[0]
    assert banner.count("notice forbids publication") == 1  # said once, on the gate's line
    assert "Readers cannot see it now: It is a draft." in banner


def test_the_banner_leaves_the_readers_country_to_the_desk(client, make_article):
    article = make_article(status="draft", published_at=None, excluded_territories={"US"})
    client.force_login(member("Editor"))
    banner = desk_preview(client, article).content.decode().split('id="preview-banner"')[1]
    assert "the reader" not in banner.split("</div>")[0]


def test_the_desk_preview_of_a_killed_item_says_so_instead(client, make_article):
    killed = make_article(status="killed", body="<p>Libellous text.</p>")
    client.force_login(member("Editor"))
    response = desk_preview(client, killed)
    text = response.content.decode()
    assert response.status_code == 410
    assert "This item was killed" in text
    assert "Libellous text" not in text


def test_the_desk_preview_is_private_and_not_indexed(client, draft):
    client.force_login(member("Reporter"))
    response = desk_preview(client, draft)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert 'rel="canonical"' not in response.content.decode()


def test_the_desk_preview_costs_a_constant_number_of_queries(client, draft, make_article):
    client.force_login(member("Reporter"))
    desk_preview(client, draft)
    with CaptureQueriesContext(connection) as one:
        desk_preview(client, draft)
    for n in range(5):
        make_article(headline=f"Other {n}")
    with CaptureQueriesContext(connection) as more:
        desk_preview(client, draft)
    assert len(more) == len(one)


def test_the_change_page_offers_a_signed_preview_link_to_copy(client, draft):
    client.force_login(member("Reporter"))
    text = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    link = re.search(r'href="(http://testserver/preview/[^"]+)"[^>]*id="nr-preview-link"', text)
    assert link, "no preview link on the change page"
    assert "Copy preview link" in text and "admin-newsroom/copy-link.js" in text
    client.logout()
    assert client.get(link.group(1)).status_code == 200


# --- the signed link --------------------------------------------------------------------------


def test_a_signed_link_opens_the_preview_without_signing_in(client, draft):
    response = client.get(signed_path(draft))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Harbour plan unveiled" in text and 'class="masthead"' in text
    assert "This preview link works until" in text
    assert "Back to the article" not in text  # the colleague has no desk
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_signed_link_sanitises_the_body_again(client, draft):
    Article.objects.filter(pk=draft.pk).update(body="<p>Fine</p><script>alert(1)</script>")
    text = client.get(signed_path(draft)).content.decode()
    assert "<p>Fine</p>" in text and "alert(1)" not in text


def test_an_expired_link_answers_410_with_a_clear_page(client, draft, settings):
    path = signed_path(draft)
    settings.PREVIEW_LINK_HOURS = 1
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        response = client.get(path)
    assert response.status_code == 410
    assert "This preview link has expired" in response.content.decode()
    assert "Harbour plan" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_link_still_within_its_hours_opens(client, draft, settings):
    path = signed_path(draft)
    settings.PREVIEW_LINK_HOURS = 48
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=47)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: later.timestamp())
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: signing.dumps(int(signing.loads(token, salt=previews.SALT)) + 1),  # no salt
        lambda token: "not-a-token",
        lambda token: signing.dumps("1", salt=previews.SALT),  # not an id
    ],
)
def test_a_tampered_link_answers_403_and_shows_nothing(client, draft, tamper):
    token = previews.preview_token(draft.pk)
    response = client.get(reverse("articles:preview", args=[tamper(token)]))
    assert response.status_code == 403
    assert "This preview link is not valid" in response.content.decode()
    assert "Harbour plan" not in response.content.decode()


def test_a_link_to_another_item_cannot_be_made_from_one(client, draft, make_article):
    other = make_article(status="draft", published_at=None, headline="Secret draft")
    token = previews.preview_token(draft.pk)
    payload, rest = token.split(":", 1)
    forged = signing.dumps(other.pk, salt=previews.SALT).split(":", 1)[0] + ":" + rest
    response = client.get(reverse("articles:preview", args=[forged]))
    assert response.status_code == 403 and "Secret draft" not in response.content.decode()
    assert payload  # the token did carry a payload to forge


def test_a_signed_link_to_a_killed_item_says_so_instead(client, make_article, make_source):
    killed = make_article(
        status="killed", body="<p>Withdrawn for legal reasons.</p>", copyright_notice=AA_NOTICE
    )
    response = client.get(signed_path(killed))
    assert response.status_code == 410
    assert "This item was killed" in response.content.decode()
    assert "Withdrawn for legal reasons" not in response.content.decode()


def test_a_signed_link_to_an_item_that_no_longer_exists_is_a_404(client, db):
    response = client.get(previews.preview_path(987654))
    assert response.status_code == 404


def test_the_signed_link_costs_a_constant_number_of_queries(client, draft, make_article):
    path = signed_path(draft)
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        client.get(path)
    for n in range(5):
        make_article(headline=f"Other {n}")
    with CaptureQueriesContext(connection) as more:
        client.get(path)
    assert len(more) == len(one)


def test_the_link_lasts_the_hours_the_settings_give(settings):
    settings.PREVIEW_LINK_HOURS = 6
    assert previews.link_lifetime() == datetime.timedelta(hours=6)


SETTINGS = Path(__file__).resolve().parents[2] / "newsroom" / "settings.py"


def settings_read(monkeypatch, **environ: str) -> dict:
    monkeypatch.setenv("SECRET_KEY", "test-only-key")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_preview_links_last_48_hours_unless_the_environment_says(monkeypatch):
    monkeypatch.delenv("PREVIEW_LINK_HOURS", raising=False)
    assert settings_read(monkeypatch)["PREVIEW_LINK_HOURS"] == 48
    assert settings_read(monkeypatch, PREVIEW_LINK_HOURS="6")["PREVIEW_LINK_HOURS"] == 6


@pytest.mark.parametrize("value", ["0", "-3", "two", "1.5", "99999"])
def test_a_bad_preview_link_lifetime_is_refused_naming_the_variable(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match=f"PREVIEW_LINK_HOURS must be .*“{value}”"):
        settings_read(monkeypatch, PREVIEW_LINK_HOURS=value)


def test_site_url_defaults_to_the_development_address_and_follows_the_environment(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert settings_read(monkeypatch)["SITE_URL"] == "http://127.0.0.1:8000"
    found = settings_read(monkeypatch, SITE_URL="http://0.0.0.0:9000")
    assert found["SITE_URL"] == "http://0.0.0.0:9000"
