"""The desk and the body's pictures: the change form says, for each picture placed in the body,
whether it shows on each channel and why not; the body editor keeps a placed picture as its own
node and offers the library's pictures through a desk-only list."""

from __future__ import annotations

import datetime
import html
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.admin.editor import body_editor, foreign_markup
from articles.models import Article
from articles.notices import CopyTerms, parse_notice
from tests.factories import member
from tests.pictures.files import stored_picture
from tests.pictures.stories import form_text, placed


def panel(text: str) -> str:
    start = text.index("Where the body's pictures go")
    return text[start : text.index("</ol>", start)]


def test_the_form_says_for_each_body_picture_where_it_goes_and_why_not(
    editor_client, make_article, staff, refused
):
    print_only = stored_picture(staff, may_redistribute=False, may_broadcast=False)
    body = placed(print_only.pk, "Typed") + "<p>Text.</p>" + placed(refused.pk) + placed(999_999)
    text = panel(form_text(editor_client, make_article(source=staff, body=body)))
    assert text.index(f"Picture {print_only.pk}") < text.index(f"Picture {refused.pk}")
    assert "This picture is shown on the public page." in text
    assert "It will be carried on the public pages." in text
    assert "Not on the RSS and Atom feeds:" in text and "Not on the newsletter:" in text
    assert (
        "This picture is not shown on the public page: Meridian Press Agency's notice "
        "forbids publication" in text
    )
    assert "It will be carried on no channel; the story goes without it." in text
    assert "Picture 999999 does not exist" in text


def test_the_form_says_when_no_picture_is_placed(editor_client, make_article, staff):
    text = form_text(editor_client, make_article(source=staff, body="<p>Text.</p>"))
    assert "No picture is placed in the body." in text


def test_the_form_reads_the_body_pictures_in_one_query(
    editor_client, make_article, staff, django_assert_max_num_queries
):
    one = make_article(source=staff, body=placed(stored_picture(staff).pk))
    url = reverse("admin:articles_article_change", args=[one.pk])
    editor_client.get(url)
    with CaptureQueriesContext(connection) as baseline:
        editor_client.get(url)
    many = make_article(
        source=staff, body="".join(placed(stored_picture(staff).pk) for _ in range(5))
    )
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        editor_client.get(reverse("admin:articles_article_change", args=[many.pk]))


# --- the editor ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "foreign"),
    [
        (placed(3) + "<p>x</p>", []),
        (placed(3, "A plain caption"), []),
        (placed(3, "A <em>marked</em> caption"), ["em in a placed picture"]),
        ('<figure data-picture="3"><p>x</p></figure>', ["p in a placed picture"]),
        ("<figure><figcaption>x</figcaption></figure>", ["figcaption", "figure"]),
    ],
)
def test_the_editor_keeps_a_placed_picture_as_its_own(body, foreign):
    assert foreign_markup(body) == foreign


def test_the_body_editor_is_told_where_the_library_is(db):
    context = body_editor().get_context("body", "", {"id": "id_body"})
    config = json.loads(context["widget"]["attrs"]["data-prose-editor"])
    assert config["pictures"] == {
        "library": "/admin/pictures/picture/placeable/",
        "thumbnail": "/admin/pictures/picture/0/thumbnail.jpg",
    }


def body_config(client, article: Article) -> dict:
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    configs = [
        json.loads(html.unescape(c)) for c in re.findall(r'data-prose-editor="([^"]*)"', page)
    ]
    (body,) = [config for config in configs if config["label"] == "Body"]
    return body


def test_the_library_is_offered_only_to_those_who_may_view_pictures(client, make_article, staff):
    article = make_article(source=staff, body="<p>x</p>")
    client.force_login(member("Editor"))
    assert body_config(client, article)["pictures"]["library"] == reverse(
        "admin:pictures_picture_placeable"
    )
    # Without the pictures' view permission, a placed picture is still kept by the editor
    # (the node is there), but neither the library nor its thumbnails are asked for.
    blind = member("Editor", username="blind")
    blind.groups.get().permissions.remove(
        *blind.groups.get().permissions.filter(content_type__app_label="pictures")
    )
    client.force_login(blind)
    assert body_config(client, article)["pictures"] == {}


def test_a_body_with_a_placed_picture_opens_in_the_editor(editor_client, make_article, staff):
    article = make_article(source=staff, body=placed(stored_picture(staff).pk) + "<p>x</p>")
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert page.content.decode().count("data-prose-editor=") == 2  # body and standfirst


def test_the_library_lists_pictures_with_their_channels(editor_client, staff):
    shown = stored_picture(staff, title="Harbour at dawn")
    print_only = stored_picture(staff, title="Quay at night", may_redistribute=False)
    response = editor_client.get(reverse("admin:pictures_picture_placeable"))
    assert "no-store" in response["Cache-Control"]
    rows = {row["id"]: row for row in response.json()["pictures"]}
    assert rows[shown.pk]["title"] == "Harbour at dawn"
    assert rows[shown.pk]["thumbnail"] == f"/admin/pictures/picture/{shown.pk}/thumbnail.jpg"
    assert "the RSS and Atom feeds" in rows[shown.pk]["carried"]
    assert rows[print_only.pk]["carried"] == ["the public pages", "the newsletter"]


def test_the_library_searches_and_stays_one_query(
    editor_client, staff, django_assert_max_num_queries
):
    for n in range(5):
        stored_picture(staff, title=f"Boats {n}")
    wanted = stored_picture(staff, title="Lighthouse")
    url = reverse("admin:pictures_picture_placeable")
    with django_assert_max_num_queries(6):  # the session, the user, its permissions, the list
        found = editor_client.get(url, {"q": "lighthouse"}).json()["pictures"]
    assert [row["id"] for row in found] == [wanted.pk]
    assert editor_client.get(url, {"q": "nothing like it"}).json() == {"pictures": []}


def test_the_library_is_the_desks_alone(client, db):
    assert client.get(reverse("admin:pictures_picture_placeable")).status_code == 302
    client.force_login(member(None))
    assert client.get(reverse("admin:pictures_picture_placeable")).status_code == 403


# --- what the editor's placed pictures say -------------------------------------------------------


def placed_status(client, *ids) -> dict:
    url = reverse("admin:pictures_picture_placeable")
    response = client.get(url, {"ids": ",".join(str(i) for i in ids)})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_the_editor_is_told_where_each_placed_picture_shows_and_why_not(
    editor_client, staff, refused
):
    shown = stored_picture(staff, title="Harbour at dawn")
    print_only = stored_picture(staff, may_redistribute=False, may_broadcast=False)
    embargoed = stored_picture(staff, embargo_until=timezone.now() + datetime.timedelta(hours=2))
    in_gb = stored_picture(staff, territories=["GB"])
    answer = placed_status(
        editor_client, refused.pk, 999_999, shown.pk, print_only.pk, embargoed.pk, in_gb.pk
    )
    rows = {row["id"]: row for row in answer["pictures"]}
    # In the order asked, each once; an id the library lacks is named apart.
    assert list(rows) == [refused.pk, shown.pk, print_only.pk, embargoed.pk, in_gb.pk]
    assert answer["missing"] == [999_999]
    assert rows[shown.pk]["title"] == "Harbour at dawn"
    assert rows[shown.pk]["thumbnail"] == f"/admin/pictures/picture/{shown.pk}/thumbnail.jpg"
    assert rows[shown.pk]["carried"] == [
        "the public pages", "the RSS and Atom feeds", "the ninjs API", "the newsletter"
    ]  # fmt: skip
    assert rows[shown.pk]["note"] == ""
    assert rows[print_only.pk]["carried"] == ["the public pages"]
    assert rows[print_only.pk]["note"] == ""  # the public pages show it
    assert rows[refused.pk]["carried"] == []
    assert rows[refused.pk]["note"].startswith(
        "Will not show on the public pages or anywhere else: Meridian Press Agency's notice "
        "forbids publication"
    )
    assert rows[embargoed.pk]["carried"] == []
    assert rows[embargoed.pk]["note"].startswith(
        "Will not show on the public pages or anywhere else: It is embargoed until"
    )
    assert rows[in_gb.pk]["note"].startswith(
        "Shows on the public pages only to some readers: It may be shown only in"
    )


def test_a_picture_licensed_for_print_only_says_why_it_will_not_show(editor_client, make_source):
    agency = make_source("Harbour Photo Agency")
    terms = "For print use only."
    picture = stored_picture(
        agency,
        copyright_holder="Harbour Photo Agency",
        usage_terms=terms,
        copy_terms=CopyTerms(notice=parse_notice("", usage_terms=terms)).as_json(),
    )
    picture.derive_rights()
    picture.save()
    assert not (picture.may_publish or picture.may_broadcast or picture.may_redistribute)
    [row] = placed_status(editor_client, picture.pk)["pictures"]
    assert row["carried"] == []
    assert row["note"] == (
        "Will not show on the public pages or anywhere else: Harbour Photo Agency's terms allow "
        "print use only (“For print use only.”), and no channel of ours is print. Only a rights "
        "manager's override would allow publication."
    )


def test_the_placed_pictures_are_read_in_one_query_whatever_their_number(
    editor_client, staff, django_assert_num_queries
):
    one = stored_picture(staff)
    many = [stored_picture(staff, may_publish=n % 2 == 0) for n in range(8)]
    placed_status(editor_client, one.pk)  # the session is read and kept warm
    with CaptureQueriesContext(connection) as baseline:
        placed_status(editor_client, one.pk)
    pictures = [q for q in baseline.captured_queries if "pictures_picture" in q["sql"]]
    assert len(pictures) == 1
    with django_assert_num_queries(len(baseline.captured_queries)):
        answer = placed_status(editor_client, *(p.pk for p in many), 123_456)
    assert len(answer["pictures"]) == 8 and answer["missing"] == [123_456]


@pytest.mark.parametrize(
    ("ids", "error"),
    [
        ("", "ids: no picture number given (write them as 3,1,2)."),
        ("1,abc", "ids: “abc” is not a picture number."),
        ("1,,2", "ids: “” is not a picture number."),
        ("0", "ids: “0” is not a picture number."),
        ("-3", "ids: “-3” is not a picture number."),
        (",".join(str(n) for n in range(1, 202)), "ids: at most 200 pictures at once, not 201."),
    ],
)
def test_a_bad_list_of_ids_is_refused_with_what_is_wrong(editor_client, ids, error):
    response = editor_client.get(reverse("admin:pictures_picture_placeable"), {"ids": ids})
    assert response.status_code == 400
    assert response.json() == {"error": error}


def test_the_placed_pictures_are_the_desks_alone(client, db, staff):
    picture = stored_picture(staff)
    url = reverse("admin:pictures_picture_placeable")
    assert client.get(url, {"ids": picture.pk}).status_code == 302
    client.force_login(member(None))
    assert client.get(url, {"ids": picture.pk}).status_code == 403
