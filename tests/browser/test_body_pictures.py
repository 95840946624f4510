"""Pictures placed in a story's body, in a real browser: a staff photo stands in the body with the
caption the desk typed and its credit, a print-only agency photo placed beside it is gone without
a trace, nothing scrolls sideways; and the desk's editor shows a placed picture and places
another from the library under the strict Content Security Policy.

Screenshots at 1366x900 and 390x844 go to artifacts/screenshots/body-picture-*.png and
editor-body-picture-*.png.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from articles.models import Article, Source
from tests.browser.pictures import (
    EVENING,
    LANDSCAPE,
    PRINT_ONLY,
    ingested,
    loaded,
    no_sideways_scroll,
    photo_agency,
)
from tests.browser.test_editor import desk_as, pin_right, shot  # noqa: F401 (fixtures)
from tests.factories import wait_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = ["desk", "phone"]
TYPED = "Ferries queue at the north quay as the strait reopens."
GONE = 987_654  # a picture deleted since it was placed


@pytest.fixture
def picture_right(pin_right):  # noqa: F811
    """Let the editors view pictures, as pictures' migration 0002 does (the `groups` fixture
    makes the groups again from articles' 0002 alone)."""
    Group.objects.get(name="Editor").permissions.add(
        Permission.objects.get(content_type__app_label="pictures", codename="view_picture")
    )


@pytest.fixture
def placed(newsday, settings, tmp_path):
    """A staff story of the news day with a staff photo, the agency's print-only photo and a
    picture the library no longer has placed after its first paragraph."""
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = Source.objects.get(slug="newsroom")
    shown, hidden, spare = ingested(
        tmp_path, (LANDSCAPE, staff), (PRINT_ONLY, photo_agency()), (EVENING, staff)
    )
    # Placing a picture changes the body: a story of our own, which we may rewrite.
    story = next(a for a in newsday.articles if a.source_id == staff.pk)
    Article.objects.filter(pk=story.pk).update(may_rewrite=True)
    story.refresh_from_db()
    paragraphs = story.body.split("</p>")
    story.body = (
        "</p>".join(paragraphs[:1])
        + f'</p><figure data-picture="{shown.pk}"><figcaption>{TYPED}</figcaption></figure>'
        + f'<figure data-picture="{hidden.pk}"><figcaption>Never seen</figcaption></figure>'
        + f'<figure data-picture="{GONE}"></figure>'
        + "</p>".join(paragraphs[1:])
    )
    story.save(update_fields=["body"])
    return story, shown, hidden, spare


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_body_picture_stands_in_the_story_and_a_print_only_one_is_gone(visit, placed, viewport):
    story, shown, hidden, _ = placed
    visit_ = visit(viewport)
    assert visit_.open(story.get_absolute_url()).status == 200
    page = visit_.page
    figure = page.locator(".article__body figure.figure--body")
    assert figure.count() == 1
    image = figure.locator("img")
    image.scroll_into_view_if_needed()
    wait_in_page(
        page, "[...document.querySelectorAll('.article__body img')].every(i => i.complete)"
    )  # noqa: E501
    assert loaded(image)
    caption = figure.locator("figcaption").inner_text()
    assert TYPED in caption and "Photo:" in caption
    content = page.content()
    assert "Never seen" not in content and f"/pictures/{hidden.pk}/" not in content
    assert "data-picture" not in content
    body = page.locator(".article__body").bounding_box()
    box = figure.bounding_box()
    assert body["x"] - 1 <= box["x"] and box["x"] + box["width"] <= body["x"] + body["width"] + 1
    assert no_sideways_scroll(page)
    figure.scroll_into_view_if_needed()
    visit_.screenshot("body-picture")
    assert visit_.problems() == []


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_editor_shows_a_placed_picture_and_places_another(
    desk_as,  # noqa: F811
    picture_right,
    placed,
    viewport,
):
    story, shown, hidden, spare = placed
    page = desk_as("Editor", f"editor-{viewport}", viewport)
    asked = []  # what the editor asks the library about its placed pictures
    page.on("request", lambda r: "ids=" in r.url and asked.append(r.url))
    page.goto(page.url.rstrip("/") + f"/articles/article/{story.pk}/change/")
    node = page.locator(".ProseMirror figure.nr-placed-picture")
    node.first.wait_for()
    assert node.count() == 3
    assert TYPED in node.first.inner_text()
    wait_in_page(page, "document.querySelectorAll('.nr-placed-picture__where span').length >= 4")
    # Each placed picture says where it shows: the staff photo everywhere; the print-only
    # photo nowhere, and why, in the policy's words; the deleted one that it is gone.
    everywhere = "the public pages, the RSS and Atom feeds, the ninjs API and the newsletter"
    assert f"Carried on {everywhere}." in node.nth(0).inner_text()
    assert "Will not show" not in node.nth(0).inner_text()
    withheld = node.nth(1).inner_text()
    assert "Carried on no channel." in withheld
    assert "Will not show on the public pages or anywhere else: " in withheld
    assert (
        "Harbour Photo Agency's terms allow print use only (“Copyright 2026 Harbour Photo "
        "Agency. For print use only.”), and no channel of ours is print."
    ) in withheld
    assert "nr-placed-picture--withheld" in node.nth(1).get_attribute("class")
    assert f"Picture {GONE} is not in the library: it will not show." in node.nth(2).inner_text()
    assert node.nth(2).locator("img").count() == 0  # no thumbnail asked for what is not there
    assert [f"ids={shown.pk}%2C{hidden.pk}%2C{GONE}" in url for url in asked] == [True]
    node.nth(1).scroll_into_view_if_needed()
    shot(page, "editor-body-picture-notes", close_up=".form-row.field-body")

    control = page.locator("fieldset.nr-place-picture")
    page.locator(".nr-place-picture__choice option").first.wait_for(state="attached")
    control.locator(".nr-place-picture__search").fill("floodlights")
    control.get_by_role("button", name="Find").click()
    wait_in_page(page, "document.querySelector('.nr-place-picture__choice').options.length === 1")
    control.locator(".nr-place-picture__caption").fill("Dusk after the decision")
    page.locator(".ProseMirror p").last.click()
    page.keyboard.press("End")  # the picture goes after the last paragraph
    control.get_by_role("button", name="Insert picture").click()
    assert node.count() == 4
    # Placing one asks again, once, and the new picture says where it shows.
    wait_in_page(page, "document.querySelectorAll('.nr-placed-picture__where span').length >= 5")
    assert len(asked) == 2 and f"{spare.pk}" in asked[1]
    assert "Carried on the public pages" in node.nth(3).inner_text()
    wait_in_page(page, "[...document.querySelectorAll('.ProseMirror img')].every(i => i.complete)")
    control.scroll_into_view_if_needed()
    shot(page, "editor-body-picture", close_up=".form-row.field-body")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    body = Article.objects.get(pk=story.pk).body
    assert f'<figure data-picture="{spare.pk}"><figcaption>Dusk after the decision' in body
    assert f'<figure data-picture="{shown.pk}"><figcaption>{TYPED}</figcaption></figure>' in body
    assert f'<figure data-picture="{GONE}"></figure>' in body
    assert page.problems == []
