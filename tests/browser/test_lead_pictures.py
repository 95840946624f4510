"""Lead pictures in a real browser: a staff photo leads its story with its caption and credit,
an agency photo whose terms say "For print use only" is left out (though our licence with its
agency covers pictures online) and the page still reads right, and the
front page leads with a big picture and cards with thumbnails; nothing scrolls sideways.

Screenshots at 1366x900 and 390x844 go to artifacts/screenshots/.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import pytest

from articles.models import Source
from tests.browser.pictures import (
    EVENING,
    LANDSCAPE,
    PRINT_ONLY,
    ingested,
    loaded,
    no_sideways_scroll,
    photo_agency,
)
from tests.factories import wait_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desk", "phone"]


@pytest.fixture
def pictured(newsday, settings, tmp_path):
    """The news day with its lead pictures, each read from its file by ingest: two staff
    photos on the lead and the next story, and an agency photo licensed for print only on an
    agency story further down."""
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = Source.objects.get(slug="newsroom")
    ferry = dataclasses.replace(
        LANDSCAPE,
        guid="urn:test:photo:ferry",
        title="Morning light over the strait as the first ferries return",
        caption="The first ferries of the day cross the strait after three days tied up.",
    )
    bank = dataclasses.replace(
        EVENING,
        guid="urn:test:photo:bank",
        title="Evening over the city as the decision comes in",
        caption="Dusk over the financial district after the rate decision.",
    )
    photos = ((ferry, staff), (bank, staff), (PRINT_ONLY, photo_agency()))
    pictures = ingested(tmp_path, *photos)
    stored = {photo.guid: picture for (photo, _), picture in zip(photos, pictures, strict=True)}
    kept_to_print = stored[PRINT_ONLY.guid]
    assert kept_to_print.rights_settled and kept_to_print.may_rewrite
    assert not (kept_to_print.may_publish or kept_to_print.may_broadcast)
    assert not kept_to_print.may_redistribute
    assert "print use only" in kept_to_print.rights_explanation
    lead, second = newsday.articles[0], newsday.articles[1]
    agency_story = next(
        a for a in newsday.articles[3:] if a.source.kind != Source.Kind.STAFF
    )  # an agency story below the top
    for article, guid in (
        (lead, ferry.guid),
        (second, bank.guid),
        (agency_story, PRINT_ONLY.guid),
    ):
        article.lead_picture = stored[guid]
        article.save(update_fields=["lead_picture"])
    return SimpleNamespace(
        lead=lead, second=second, print_only=agency_story, pictures=stored, day=newsday
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_staff_photo_leads_its_story_with_caption_and_credit(visit, pictured, viewport):
    visit_ = visit(viewport)
    assert visit_.open(pictured.lead.get_absolute_url()).status == 200
    page = visit_.page
    figure = page.locator("figure.article__figure")
    assert figure.count() == 1
    image = figure.locator("img")
    image.scroll_into_view_if_needed()
    wait_in_page(page, "document.querySelector('figure img').complete")
    assert loaded(image)
    assert image.get_attribute("alt") == (
        "Morning light over the strait as the first ferries return"
    )
    caption = figure.locator("figcaption").inner_text()
    assert "The first ferries of the day cross the strait" in caption
    assert "Photo: Sam Okafor / The Newsroom / © 2026 The Newsroom" in caption
    # The picture sits between the byline and the body, no wider than the page.
    box, body = figure.bounding_box(), page.locator(".article__body").bounding_box()
    assert box["y"] < body["y"]
    assert box["width"] <= page.viewport_size["width"]
    assert no_sideways_scroll(page)
    visit_.screenshot("article-picture")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_photo_licensed_for_print_only_is_left_out_and_the_page_reads_right(
    visit, pictured, viewport
):
    visit_ = visit(viewport)
    assert visit_.open(pictured.print_only.get_absolute_url()).status == 200
    page = visit_.page
    assert page.locator("h1").inner_text() == pictured.print_only.headline
    assert page.locator("figure").count() == 0
    assert page.locator("img").count() == 0
    assert "/pictures/" not in page.content()
    header = page.locator(".article__header").bounding_box()
    body = page.locator(".article__body").bounding_box()
    assert 0 <= body["y"] - (header["y"] + header["height"]) < 80  # no gap where it would be
    assert no_sideways_scroll(page)
    visit_.screenshot("article-print-only-picture")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_front_page_leads_with_a_big_picture_and_cards_with_thumbnails(
    visit, pictured, viewport
):
    visit_ = visit(viewport)
    assert visit_.open("/").status == 200
    page = visit_.page
    lead = page.locator(".story--lead figure img")
    assert lead.count() == 1
    wait_in_page(page, "[...document.images].every(i => i.complete)")
    assert loaded(lead)
    lead_box = lead.bounding_box()
    card = page.locator(".lead__more .figure--card img")
    assert card.count() == 1
    card.scroll_into_view_if_needed()
    wait_in_page(page, "[...document.images].every(i => i.complete)")
    assert loaded(card)
    card_box = card.bounding_box()
    assert lead_box["width"] > card_box["width"]  # the lead's picture is the big one
    if viewport == "phone":  # a thumbnail beside its headline
        headline = page.locator(".lead__more .story--pictured .story__headline").bounding_box()
        assert card_box["width"] < page.viewport_size["width"] / 2
        assert card_box["x"] > page.viewport_size["width"] / 2  # on the right
        assert card_box["y"] <= headline["y"] + headline["height"]  # level with the text
        assert headline["y"] < card_box["y"] + card_box["height"]
    content = page.content()
    assert f"/pictures/{pictured.print_only.lead_picture_id}/" not in content
    assert no_sideways_scroll(page)
    visit_.screenshot("front-pictures")
    assert visit_.problems() == []
