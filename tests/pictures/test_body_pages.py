"""Pictures placed in a story's body: stored as a bare placing that nh3 keeps and nothing else,
shown on the article page only where the picture's own rights allow this reader to see it now,
removed whole otherwise; read in one query whatever their number, named among the page's
surrogate keys, bounding its lifetime, and a change to one dropping the pages kept with it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import cache

from articles import generation
from articles.previews import preview_path
from articles.sanitise import clean_html
from pictures import placing
from tests.factories import max_age
from tests.pictures.stories import CAPTION, country, placed

TYPED = "The quay at first light"


def body_figures(content: str) -> list[str]:
    return re.findall(r'<figure class="figure figure--body">.*?</figure>', content, re.S)


@pytest.fixture
def story(make_article, staff):
    def make(*placings: str, **fields):
        body = "<p>The harbour reopened on Monday.</p>" + "".join(placings) + "<p>Boats left.</p>"
        return make_article(headline="Harbour reopens", source=staff, body=body, **fields)

    return make


# --- the stored form -----------------------------------------------------------------------------


def test_a_placing_is_stored_as_it_is_with_its_typed_caption():
    stored = clean_html(placed(12, "A <em>quay</em>"))
    assert stored == '<figure data-picture="12"><figcaption>A <em>quay</em></figcaption></figure>'


def test_a_leading_zero_is_read_as_the_number():
    stored = clean_html('<figure data-picture="007"></figure>')
    assert stored == '<figure data-picture="7"></figure>'


@pytest.mark.parametrize(
    "value",
    [
        "0", "-1", "+3", " 12", "12 ", "1e3", "1.5", "0x1f", "１２", "12abc", "", "9" * 19,
        "javascript:alert(1)", '1" onmouseover="x', "1><script>alert(1)</script>",
    ],
)  # fmt: skip
def test_a_hostile_or_unreadable_picture_id_is_stripped(value):
    stored = clean_html(f"<figure data-picture='{value}'><figcaption>c</figcaption></figure>")
    assert "data-picture" not in stored
    assert "script" not in stored and "onmouseover" not in stored
    assert placing.placings(stored) == []


def test_data_picture_is_kept_on_a_figure_only():
    stored = clean_html(
        '<p data-picture="3">x</p><img data-picture="3"><span data-picture="3">y</span>'
        '<figure data-picture="4" data-other="5" class="big" style="color:red"></figure>'
    )
    assert stored == '<p>x</p><span>y</span><figure data-picture="4"></figure>'


def test_the_placings_are_found_with_their_captions_nested_or_not():
    body = (
        "<p>a</p>"
        + placed(3, "Three &amp; <em>four</em>")
        + '<figure data-picture="5"><figcaption><figure data-picture="6"></figure>'
        "</figcaption></figure><figure><figcaption>plain</figcaption></figure>"
    )
    found = placing.placings(body)
    assert [(p.picture_id, p.caption) for p in found] == [(3, "Three & four"), (5, "")]
    assert body[found[1].start : found[1].end].endswith("</figure></figcaption></figure>")
    assert placing.without_placings(body) == (
        "<p>a</p><figure><figcaption>plain</figcaption></figure>"
    )


# --- the article page ----------------------------------------------------------------------------


def test_the_page_shows_a_placed_picture_as_the_lead_picture_is_shown(client, story, photo):
    picture = photo()
    content = client.get(story(placed(picture.pk)).get_absolute_url()).content.decode()
    [shown] = body_figures(content)
    assert f'src="/pictures/{picture.pk}/800.jpg"' in shown
    assert f"/pictures/{picture.pk}/320.jpg 320w, /pictures/{picture.pk}/640.jpg 640w" in shown
    assert f"/pictures/{picture.pk}/800.webp 800w" in shown
    assert 'alt="Boats in the harbour"' in shown and 'loading="lazy"' in shown
    assert 'sizes="(min-width: 72rem) 65ch, 100vw"' in shown
    assert CAPTION in shown
    assert "Photo: Ana Lima / © 2026 The Newsroom" in shown
    assert "data-picture" not in content
    # In its place in the body, between the paragraphs.
    assert content.index("reopened on Monday") < content.index(shown) < content.index("Boats left")


def test_the_caption_the_desk_typed_stands_for_the_pictures_own(client, story, photo):
    picture = photo()
    content = client.get(story(placed(picture.pk, TYPED)).get_absolute_url()).content.decode()
    [shown] = body_figures(content)
    assert TYPED in shown and CAPTION not in shown
    assert "Photo: Ana Lima" in shown  # the credit stays the picture's


@pytest.mark.parametrize(
    "refusing",
    [
        {"may_publish": False},
        {"rights_settled": False},
        {"status": "draft"},
        {"embargo_until": datetime.datetime(2999, 1, 1, tzinfo=datetime.UTC)},
        {"rights_expire_at": datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)},
    ],
    ids=["publish denied", "unsettled", "draft", "embargoed", "licence expired"],
)
def test_a_picture_its_rights_refuse_is_removed_whole_and_the_story_shown(
    client, story, photo, refusing
):
    picture = photo(**refusing)
    response = client.get(story(placed(picture.pk, TYPED)).get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "reopened on Monday" in content and "Boats left" in content
    assert body_figures(content) == []
    for trace in (f"/pictures/{picture.pk}/", TYPED, CAPTION, "data-picture", "figcaption"):
        assert trace not in content


def test_an_unknown_or_deleted_picture_is_removed(client, story, photo):
    gone = photo()
    article = story(placed(gone.pk, TYPED), placed(999_999))
    gone.delete()
    content = client.get(article.get_absolute_url()).content.decode()
    assert "data-picture" not in content and TYPED not in content
    assert "<figure" not in content.split('class="article__body"')[1].split("</div>")[0]


def test_a_picture_limited_to_territories_is_shown_only_to_readers_there(client, story, photo):
    picture = photo(territories=["GB"], excluded_territories=["IE"])
    url = story(placed(picture.pk)).get_absolute_url()
    assert len(body_figures(client.get(url, headers=country("GB")).content.decode())) == 1
    assert body_figures(client.get(url, headers=country("FR")).content.decode()) == []
    assert body_figures(client.get(url).content.decode()) == []  # the country unknown


def test_each_picture_is_judged_apart(client, story, photo):
    shown, refused = photo(), photo(may_publish=False)
    content = client.get(story(placed(refused.pk), placed(shown.pk)).get_absolute_url())
    figures = body_figures(content.content.decode())
    assert len(figures) == 1 and f"/pictures/{shown.pk}/" in figures[0]


@pytest.mark.parametrize("n", [0, 1, 5])
def test_the_page_reads_its_body_pictures_in_one_query(
    client, story, photo, django_assert_num_queries, n
):
    article = story(*(placed(photo().pk, f"Caption {i}") for i in range(n)))
    # The story with its bylines (two queries), and the generation the page cache reads, plus
    # one for every body picture however many there are.
    with django_assert_num_queries(3 + (1 if n else 0)):
        response = client.get(article.get_absolute_url())
    assert len(body_figures(response.content.decode())) == n


def test_the_page_is_kept_no_longer_than_a_body_pictures_rights(client, story, photo, now):
    lasting = photo()
    expiring = photo(rights_expire_at=now + datetime.timedelta(minutes=10))
    response = client.get(story(placed(lasting.pk), placed(expiring.pk)).get_absolute_url())
    assert len(body_figures(response.content.decode())) == 2
    assert 0 < max_age(response) <= 600


def test_a_body_picture_still_to_come_bounds_the_page(client, story, photo, now):
    picture = photo(embargo_until=now + datetime.timedelta(minutes=5))
    response = client.get(story(placed(picture.pk)).get_absolute_url())
    assert body_figures(response.content.decode()) == []
    assert 0 < max_age(response) <= 300


def test_without_body_pictures_the_page_keeps_its_own_lifetime(client, story):
    assert max_age(client.get(story().get_absolute_url())) == settings.PUBLIC_MAX_AGE


def test_the_page_names_its_body_pictures_shown_or_not(client, story, photo):
    shown, hidden = photo(), photo(may_publish=False)
    article = story(placed(shown.pk), placed(hidden.pk), placed(999_999))
    keys = client.get(article.get_absolute_url()).headers["Surrogate-Key"].split()
    assert {f"picture-{shown.pk}", f"picture-{hidden.pk}", "picture-999999"} <= set(keys)


def test_a_body_pictures_rights_change_drops_the_kept_page(client, settings, story, photo):
    settings.PAGE_CACHE = True
    cache.clear()
    picture = photo()
    url = story(placed(picture.pk)).get_absolute_url()
    client.get(url)
    kept = client.get(url)
    assert kept["X-Page-Cache"] == "hit" and body_figures(kept.content.decode())
    number = generation.current()
    picture.may_publish = False
    picture.save()
    assert generation.current() > number
    fresh = client.get(url)
    assert fresh.get("X-Page-Cache") != "hit"
    assert body_figures(fresh.content.decode()) == []
    cache.clear()


def test_the_preview_shows_a_picture_the_page_would_show_some_reader(admin_client, story, photo):
    anywhere, somewhere, nowhere = photo(), photo(territories=["GB"]), photo(may_publish=False)
    article = story(placed(anywhere.pk), placed(somewhere.pk), placed(nowhere.pk), status="draft")
    content = admin_client.get(preview_path(article.pk)).content.decode()
    figures = body_figures(content)
    assert len(figures) == 2
    assert f"/pictures/{anywhere.pk}/" in figures[0]
    assert f"/pictures/{somewhere.pk}/" in figures[1]
    assert f"/pictures/{nowhere.pk}/" not in content
