"""The picture desk's rights by hand: a rights manager sets a picture's rights with a reason
(audited, a new version, set by hand), editors and reporters cannot; the override page
publishes a copied picture over the gate's refusal, for rights managers alone, with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.audit import AuditEntry
from articles.vocabulary import Basis, Status
from pictures.copies import store_hashes
from pictures.models import Picture
from tests.factories import form_data, member
from tests.pictures.files import AGENCY_NOTICE, stored_picture
from tests.pictures.photos import CHANGES, jpeg, photo

pytestmark = pytest.mark.django_db

FORM = "picture_form"


def change_url(picture: Picture) -> str:
    return reverse("admin:pictures_picture_change", args=[picture.pk])


def override_url(picture: Picture) -> str:
    return reverse("admin:pictures_picture_override", args=[picture.pk])


def as_role(client, role: str | None):
    client.force_login(member(role))
    return client


@pytest.fixture
def blocked(make_source) -> Picture:
    """An agency picture its notice keeps off every channel."""
    return stored_picture(
        make_source("Meridian Press Agency"),
        title="Harbour at dawn",
        copyright_notice=AGENCY_NOTICE,
        may_publish=False,
        rights_basis={"publish": "notice"},
        rights_explanation="Meridian Press Agency's notice forbids publication.",
    )


# --- rights by hand --------------------------------------------------------------------------


def test_a_rights_manager_sets_a_pictures_rights_by_hand_with_a_reason(client, blocked):
    client = as_role(client, "Rights manager")
    data = form_data(client, change_url(blocked), FORM)
    data.update(may_publish="on", territories="GB, IE", reason="Bought for our site.")
    response = client.post(change_url(blocked), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    blocked.refresh_from_db()
    assert blocked.may_publish and blocked.territories == frozenset({"GB", "IE"})
    assert blocked.rights_basis["publish"] == Basis.MANUAL
    assert blocked.rights_set_by_hand
    assert blocked.version == 2
    assert "Bought for our site." in blocked.rights_explanation
    entry = AuditEntry.objects.get(picture=blocked, action=AuditEntry.Action.RIGHTS_CHANGE)
    assert entry.reason == "Bought for our site."
    assert entry.source == blocked.source and entry.article is None
    assert set(entry.detail["changes"]) == {"may_publish", "territories"}
    assert blocked.history.first().history_user.groups.get().name == "Rights manager"


def test_a_rights_change_without_a_reason_is_refused_and_changes_nothing(client, blocked):
    client = as_role(client, "Rights manager")
    data = form_data(client, change_url(blocked), FORM)
    data.update(may_publish="on", reason="  ")
    response = client.post(change_url(blocked), data)
    assert response.status_code == 200
    assert "Give a reason for the change of rights." in response.content.decode()
    blocked.refresh_from_db()
    assert not blocked.may_publish and blocked.version == 1
    assert not AuditEntry.objects.filter(picture=blocked).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("copyright_year", "3000", "between 1800 and 2200"),
        ("territories", "GB, Narnia", "Narnia"),
    ],
)
def test_bad_rights_are_refused_by_field(client, blocked, field, value, message):
    client = as_role(client, "Rights manager")
    data = form_data(client, change_url(blocked), FORM)
    data.update({field: value, "reason": "Corrected."})
    response = client.post(change_url(blocked), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    blocked.refresh_from_db()
    assert blocked.version == 1


def test_an_editor_edits_the_caption_but_not_the_rights(client, blocked):
    client = as_role(client, "Editor")
    page = client.get(change_url(blocked)).content.decode()
    assert 'name="may_publish"' not in page and 'name="reason"' not in page
    data = form_data(client, change_url(blocked), FORM)
    data.update(caption="Boats at first light.", may_publish="on", reason="Mine now.")
    assert client.post(change_url(blocked), data).status_code == 302
    blocked.refresh_from_db()
    assert blocked.caption == "Boats at first light."
    assert not blocked.may_publish  # read-only for an editor: the posted value is not read
    assert not AuditEntry.objects.filter(picture=blocked).exists()
    with pytest.raises(PermissionDenied, match="Only rights managers may change a picture"):
        blocked.set_rights(by=member("Editor"), reason="Mine now.", may_publish=True)


def test_a_reporter_sees_a_picture_but_changes_nothing(client, blocked):
    client = as_role(client, "Reporter")
    assert client.get(change_url(blocked)).status_code == 200  # view only
    response = client.post(change_url(blocked), {"may_publish": "on", "reason": "Mine."})
    assert response.status_code == 403
    blocked.refresh_from_db()
    assert not blocked.may_publish
    with pytest.raises(PermissionDenied):
        blocked.set_rights(by=member("Reporter"), reason="Mine.", may_publish=True)


# --- the override ----------------------------------------------------------------------------


@pytest.fixture
def copy(make_source, desk) -> Picture:
    """Our upload of an agency photo whose rights forbid reuse: the gate refuses it."""
    original_data = jpeg(photo(1))
    original = stored_picture(
        make_source("Meridian Press Agency"),
        data=original_data,
        title="Harbour at dawn",
        copyright_notice=AGENCY_NOTICE,
        may_rewrite=False,
        rights_basis={"rewrite": "notice"},
    )
    store_hashes(original, original_data)
    copy_data = jpeg(CHANGES["resized to half"](photo(1)))
    copied = stored_picture(
        desk, data=copy_data, title="Our harbour", status=Status.DRAFT, published_at=None
    )
    store_hashes(copied, copy_data)
    return copied


def test_the_change_form_offers_the_override_to_rights_managers_only(client, copy):
    assert (
        override_url(copy)
        in as_role(client, "Rights manager").get(change_url(copy)).content.decode()
    )
    assert (
        override_url(copy) not in as_role(client, "Editor").get(change_url(copy)).content.decode()
    )


def test_a_rights_manager_overrides_a_copy_refusal_with_a_reason(client, copy):
    client = as_role(client, "Rights manager")
    page = client.get(override_url(copy)).content.decode()
    assert "The publish gate refuses it now" in page
    assert "is a copy" in page and "Harbour at dawn" in page  # the copy panel beside it

    refused = client.post(override_url(copy), {"reason": "  "})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    copy.refresh_from_db()
    assert copy.status == Status.DRAFT

    done = client.post(override_url(copy), {"reason": "Bought outright from the agency."})
    assert done.status_code == 302 and done["Location"] == change_url(copy)
    copy.refresh_from_db()
    assert copy.status == Status.PUBLISHED
    entry = AuditEntry.objects.get(picture=copy, action=AuditEntry.Action.OVERRIDE)
    assert entry.reason == "Bought outright from the agency."
    assert "is a copy" in entry.detail["overridden"][0]
    assert "Bought outright from the agency." in copy.rights_explanation


@pytest.mark.parametrize("role", ["Editor", "Reporter", None])
def test_no_one_else_may_override(client, copy, role):
    client = as_role(client, role)
    response = client.post(override_url(copy), {"reason": "Ours now."})
    assert response.status_code == 403
    if role == "Editor":
        assert "Only rights managers may override a refusal" in response.content.decode()
    copy.refresh_from_db()
    assert copy.status == Status.DRAFT
    assert not AuditEntry.objects.filter(picture=copy, action="override").exists()


def test_nothing_to_override_and_a_suspended_source_are_said_plainly(client, desk, copy):
    client = as_role(client, "Rights manager")
    clean = stored_picture(desk, status=Status.DRAFT, published_at=None)
    response = client.post(override_url(clean), {"reason": "Why not."})
    assert "There is nothing to override" in response.content.decode()
    assert override_url(clean) not in client.get(change_url(clean)).content.decode()

    desk.suspended = True
    desk.save()
    response = client.post(override_url(copy), {"reason": "Bought."})
    assert "is suspended" in response.content.decode()
    assert override_url(copy) not in client.get(change_url(copy)).content.decode()


def test_an_unknown_picture_is_not_found(client):
    client = as_role(client, "Rights manager")
    assert client.get("/admin/pictures/picture/999999/override/").status_code == 404
