"""The desk's article form says whether the lead picture is shown on the public page, why not
(the picture's own decision, in the policy's words), and which channels will carry it; the
lead picture is chosen on the form."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.factories import form_data
from tests.pictures.files import stored_picture
from tests.pictures.stories import form_text


def test_the_form_says_a_refused_picture_is_not_shown_and_why(
    editor_client, make_article, staff, refused
):
    article = make_article(source=staff, lead_picture=refused)
    text = form_text(editor_client, article)
    assert "The lead picture is not shown on the public page:" in text
    assert (
        "The lead picture is not shown on the public page: Meridian Press Agency's notice "
        "forbids publication (“Copyright 2026 Meridian Press Agency." in text
    )
    assert "It will be carried on no channel; the story goes without it." in text
    assert "Not on the ninjs API, for the same reason." in text
    assert text.count("notice forbids publication") == 1  # said once, not per channel


def test_the_form_names_the_channels_that_carry_a_picture(editor_client, make_article, staff):
    picture = stored_picture(staff, may_redistribute=False)
    article = make_article(source=staff, lead_picture=picture)
    text = form_text(editor_client, article)
    assert "The lead picture is shown on the public page." in text
    assert "It will be carried on the public pages and the newsletter." in text
    assert "Not on the RSS and Atom feeds:" in text
    assert "Not on the ninjs API:" in text


def test_the_form_says_a_picture_limited_to_territories_is_shown_to_some_readers(
    editor_client, make_article, staff
):
    picture = stored_picture(staff, territories=["GB"])
    article = make_article(source=staff, lead_picture=picture)
    text = form_text(editor_client, article)
    assert "shown on the public page only to some readers: It may be shown only in GB" in text
    assert "Not on the newsletter, for the same reason." in text


def test_the_form_says_when_a_picture_is_embargoed(editor_client, make_article, staff, now):
    lifts = now + datetime.timedelta(hours=3)
    picture = stored_picture(staff, embargo_until=lifts)
    article = make_article(source=staff, lead_picture=picture)
    text = form_text(editor_client, article)
    assert "The lead picture is not shown on the public page: It is embargoed until" in text


def test_a_story_without_a_picture_says_so(editor_client, make_article, staff):
    text = form_text(editor_client, make_article(source=staff))
    assert "No lead picture." in text


def test_the_desk_sets_the_lead_picture_on_the_form(editor_client, make_article, staff):
    picture = stored_picture(staff)
    article = make_article(source=staff)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(editor_client, url, "article_form")
    data["lead_picture"] = str(picture.pk)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.lead_picture == picture
    assert "The lead picture is shown on the public page." in form_text(editor_client, article)
