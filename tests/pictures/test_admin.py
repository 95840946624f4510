"""The desk's pictures: the list with their rights, the change form saying them in words."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from articles.audit import AuditEntry
from articles.vocabulary import Status
from tests.factories import member
from tests.pictures.files import AGENCY_NOTICE, stored_picture

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.com", "pw"))
    return client


@pytest.fixture
def blocked(make_source):
    return stored_picture(
        make_source("Meridian Press Agency"),
        title="Harbour at dawn",
        may_publish=False,
        rights_basis={"publish": "notice"},
        copyright_holder="Meridian Press Agency",
        copyright_notice=AGENCY_NOTICE,
        status=Status.DRAFT,
        published_at=None,
    )


def test_the_list_shows_each_pictures_rights(root_client, blocked):
    html = root_client.get(reverse("admin:pictures_picture_changelist")).content.decode()
    assert "Harbour at dawn" in html
    assert 'nr-mark--denied" title="publication: not held"' in html
    assert html.count("nr-mark--granted") == 3


def test_the_change_form_says_the_rights_in_words(root_client, blocked):
    url = reverse("admin:pictures_picture_change", args=[blocked.pk])
    html = root_client.get(url).content.decode()
    assert "Meridian Press Agency&#x27;s notice forbids publication" in html
    assert "publication: the notice in the copy" in html


def test_publishing_from_the_list_is_refused_by_the_pictures_rights(root_client, blocked):
    response = root_client.post(
        reverse("admin:pictures_picture_changelist"),
        {"action": "publish", "_selected_action": [blocked.pk]},
        follow=True,
    )
    blocked.refresh_from_db()
    assert blocked.status == Status.DRAFT
    assert "notice forbids publication" in response.content.decode()
    assert AuditEntry.objects.filter(picture=blocked, action="refusal").count() == 1


def test_an_editor_opens_the_picture_an_upload_links_to_and_a_reporter_may_not_publish(
    client, blocked
):
    client.force_login(member("Editor"))
    url = reverse("admin:pictures_picture_change", args=[blocked.pk])
    assert client.get(url).status_code == 200
    client.force_login(member("Reporter"))
    listing = client.get(reverse("admin:pictures_picture_changelist")).content.decode()
    assert "Harbour at dawn" in listing and 'value="publish"' not in listing


def test_the_audit_log_names_the_picture_an_entry_is_about(root_client, blocked):
    blocked.publish()
    html = root_client.get(reverse("admin:articles_auditentry_changelist")).content.decode()
    assert "Picture: Harbour at dawn" in html
