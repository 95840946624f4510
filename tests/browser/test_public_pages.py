"""The reader's pages in a real browser: they render, break no policy, and look like a newspaper.

Screenshots of each page, desktop and phone, go to artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desktop", "phone"]


def assert_accessible_shape(page) -> None:
    assert page.locator("header.masthead").count() == 1
    assert page.locator("nav[aria-label='Sections']").count() == 1
    assert page.locator("main#content").count() == 1
    assert page.locator("footer").count() >= 1
    assert page.locator("h1").count() == 1
    assert page.locator("img:not([alt])").count() == 0


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_front_page_leads_with_the_top_story_and_breaks_no_rule(visit, newsday, viewport):
    visit_ = visit(viewport)

    response = visit_.open("/")

    assert response.status == 200
    page = visit_.page
    assert page.locator(".story--lead .story__headline").inner_text() == newsday.lead.headline
    assert page.locator(".section-block").count() >= 4
    assert newsday.refused.headline not in page.content()
    assert_accessible_shape(page)
    visit_.screenshot("front")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_article_page_shows_the_story_with_its_credits(visit, newsday, viewport):
    visit_ = visit(viewport)

    response = visit_.open(newsday.lead.get_absolute_url())

    assert response.status == 200
    page = visit_.page
    assert page.locator("h1").inner_text() == newsday.lead.headline
    assert page.locator(".credits").inner_text() == (
        "Writing by Erdogan Cagatay Zontur; Reporting by Ayse Kaya"
    )
    assert page.locator("script[type='application/ld+json']").count() == 1
    assert_accessible_shape(page)
    visit_.screenshot("article")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_refused_story_shows_a_451_page_without_the_story(visit, newsday, viewport):
    visit_ = visit(viewport)

    response = visit_.open(newsday.refused.get_absolute_url())

    assert response.status == 451
    assert 'rel="blocked-by"' in response.headers["link"]
    content = visit_.page.content()
    assert newsday.refused.headline not in content
    assert "Restricted wire text" not in content
    assert_accessible_shape(visit_.page)
    visit_.screenshot("refused-451")
    assert visit_.problems(status=451) == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_searching_from_the_masthead_finds_a_story(visit, newsday, viewport):
    visit_ = visit(viewport)
    visit_.open("/")

    visit_.page.fill("#masthead-q", "glacier")
    visit_.page.press("#masthead-q", "Enter")
    visit_.page.wait_for_url("**/search/?q=glacier")

    results = visit_.page.locator(".story-list .story__headline")
    assert results.count() == 1
    assert "Alpine glaciers" in results.inner_text()
    assert_accessible_shape(visit_.page)
    visit_.screenshot("search")
    assert visit_.problems() == []


def test_the_skip_link_is_the_first_stop_for_the_keyboard(visit, newsday):
    visit_ = visit("desktop")
    visit_.open("/")

    visit_.page.keyboard.press("Tab")

    focused = visit_.page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#content"
    assert visit_.page.locator(".skip-link").is_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_list_page_renders_cleanly(visit, newsday, viewport):
    visit_ = visit(viewport)

    response = visit_.open(newsday.people["Maya Okafor"].get_absolute_url())

    assert response.status == 200
    assert visit_.page.locator(".story-list .story").count() == 5
    assert_accessible_shape(visit_.page)
    visit_.screenshot("person")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_unsubscribing_from_the_digest_asks_then_confirms_in_the_browser(visit, viewport):
    from newsletter.digest import unsubscribe_token
    from newsletter.models import Subscriber

    subscriber = Subscriber.objects.create(email="reader@example.com")
    visit_ = visit(viewport)

    response = visit_.open(f"/newsletter/unsubscribe/{unsubscribe_token(subscriber.pk)}/")

    assert response.status == 200
    page = visit_.page
    assert page.locator("h1").inner_text() == "Unsubscribe from the digest?"
    assert_accessible_shape(page)
    visit_.screenshot("unsubscribe-confirm")
    subscriber.refresh_from_db()
    assert subscriber.active  # opening the link is not enough
    with page.expect_navigation():
        page.click("main#content button:has-text('Unsubscribe')")
    assert page.locator("h1").inner_text() == "You are unsubscribed"
    visit_.screenshot("unsubscribed")
    subscriber.refresh_from_db()
    assert not subscriber.active
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_page_for_a_database_that_is_gone_is_plain_and_in_the_sites_look(
    visit, newsday, viewport
):
    """The 503 page as this process renders it with every query failing, shown by the browser at
    an address of the live server (so its stylesheet comes from there)."""
    from django.db import OperationalError, connection
    from django.test import Client

    def fail(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(fail):
        answer = Client(raise_request_exception=False).get("/")
    assert answer.status_code == 503 and answer["Retry-After"]
    visit_ = visit(viewport)
    visit_.page.route(
        f"{visit_.base}/",
        lambda route: route.fulfill(
            status=503, body=answer.content, content_type="text/html; charset=utf-8"
        ),
    )

    response = visit_.open("/")

    assert response.status == 503
    page = visit_.page
    assert page.locator("h1").inner_text() == "We can't show this page just now"
    assert page.locator("header.masthead").count() == 1
    assert page.locator("link[rel=stylesheet]").count() >= 1
    visit_.screenshot("unavailable-503")
    assert visit_.problems(status=503) == []
