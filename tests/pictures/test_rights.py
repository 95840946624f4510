"""A picture is judged by the same policy as an article, apart from the article it leads."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, Source
from articles.rights import clearance, decide, refusal_status
from articles.vocabulary import Channel, Right, Status, rights_for
from pictures.models import Picture
from tests.pictures.files import stored_picture

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(make_source):
    return make_source("Meridian Press Agency")


def page_allows(item, *, country=None) -> bool:
    return all(decide(item, r, country=country) for r in rights_for(Channel.PAGE))


def test_a_picture_blocked_while_its_article_is_allowed(make_article, agency, desk):
    photo = stored_picture(agency, may_publish=False, rights_basis={"publish": "notice"})
    story = make_article(source=desk, lead_picture=photo)

    assert page_allows(story) and not page_allows(photo)
    assert Article.objects.for_channel(Channel.PAGE).filter(pk=story.pk).exists()
    assert not Picture.objects.for_channel(Channel.PAGE).filter(pk=photo.pk).exists()
    assert "notice forbids publication" in decide(photo, Right.PUBLISH).explanation
    assert refusal_status(photo) == 451


def test_a_picture_allowed_while_its_article_is_blocked(make_article, agency, desk):
    photo = stored_picture(desk)
    story = make_article(source=agency, may_publish=False, lead_picture=photo)

    assert page_allows(photo) and not page_allows(story)
    assert Picture.objects.for_channel(Channel.PAGE).filter(pk=photo.pk).exists()
    assert not Article.objects.for_channel(Channel.PAGE).filter(pk=story.pk).exists()


def test_deleting_a_lead_picture_leaves_its_article_without_one(make_article, desk):
    photo = stored_picture(desk)
    story = make_article(source=desk, lead_picture=photo)
    photo.delete()
    story.refresh_from_db()
    assert story.lead_picture is None


@pytest.mark.parametrize(
    ("fields", "country"),
    [
        ({}, None),
        ({"status": Status.DRAFT}, None),
        ({"status": Status.WITHDRAWN}, None),
        ({"rights_settled": False}, None),
        ({"embargo_until": "future"}, None),
        ({"rights_start_at": "future"}, None),
        ({"rights_expire_at": "past"}, None),
        ({"territories": frozenset({"GB"})}, "GB"),
        ({"territories": frozenset({"GB"})}, "FR"),
        ({"excluded_territories": frozenset({"IE"})}, "IE"),
        ({"excluded_territories": frozenset({"IE"})}, None),
        ({"may_publish": False}, None),
    ],
)
def test_both_faces_of_the_policy_agree_on_a_picture(desk, fields, country):
    now = timezone.now()
    moments = {"future": now + datetime.timedelta(hours=1), "past": now - datetime.timedelta(1)}
    fields = {k: moments.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    photo = stored_picture(desk, **fields)
    in_python = bool(decide(photo, Right.PUBLISH, at=now, country=country))
    in_database = Picture.objects.permitting(Right.PUBLISH, at=now, country=country).filter(
        pk=photo.pk
    )
    assert in_python == in_database.exists()
    assert in_python == (not fields or country == "GB")


def test_a_suspended_source_takes_its_pictures_down(agency):
    photo = stored_picture(agency)
    Source.objects.filter(pk=agency.pk).update(suspended=True)
    photo.refresh_from_db()
    assert not clearance(photo, Right.PUBLISH)
    assert not Picture.objects.for_channel(Channel.PAGE).exists()


def test_publishing_a_picture_is_refused_by_its_rights_and_recorded(agency):
    photo = stored_picture(agency, status=Status.DRAFT, published_at=None, may_publish=False)
    decision = photo.publish()
    photo.refresh_from_db()
    assert not decision.allowed and photo.status == Status.DRAFT
    assert photo.audit_entries.get().action == "refusal"


def test_a_licence_change_derives_its_sources_pictures_rights_again(agency, make_licence):
    photo = stored_picture(
        agency,
        may_publish=False,
        rights_basis=dict.fromkeys([r.value for r in Right], "notice"),
        copy_terms={},
    )
    licence = make_licence(agency, Right.PUBLISH, reference="M-9")
    photo.refresh_from_db()
    assert photo.may_publish and photo.licence == licence and photo.version == 2
    entry = photo.audit_entries.get(action="rights_change")
    assert entry.licence == licence and entry.source == agency
    licence.grants_publish = False
    licence.save()
    photo.refresh_from_db()
    assert not photo.may_publish
    assert photo in licence.rederived


def test_a_licence_change_leaves_a_killed_or_hand_set_picture_alone(agency, make_licence):
    nothing = {
        "may_publish": False,
        "rights_basis": dict.fromkeys([r.value for r in Right], "none"),
    }
    killed = stored_picture(agency, status=Status.KILLED, **nothing)
    by_hand = stored_picture(agency, rights_set_by_hand=True, **nothing)
    open_to_it = stored_picture(agency, **nothing)
    make_licence(agency, Right.PUBLISH)
    for photo in (killed, by_hand):
        photo.refresh_from_db()
        assert not photo.may_publish and photo.version == 1
    open_to_it.refresh_from_db()
    assert open_to_it.may_publish
