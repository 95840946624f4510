"""Revisions: every change kept with who and when, a field-by-field diff, and a revert that obeys
the rewrite right."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from articles.admin.revisions import text_diff
from articles.models import Article
from tests.factories import form_data, member


@pytest.fixture
def edited(make_article):
    """An article saved twice through the model, each save a revision."""
    article = make_article(headline="First headline", body="<p>One.</p><p>Two.</p>")
    article.headline = "Second headline"
    article.body = "<p>One.</p><p>Two, changed.</p><p>Three.</p>"
    article.embargo_until = article.published_at + datetime.timedelta(days=1)
    article.save()
    return article


def first_revision(article: Article):
    return article.history.order_by("history_id").first()


def test_an_edit_through_the_admin_is_kept_with_who_and_when(client, make_article):
    article = make_article()
    editor = member("Editor", username="eve")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client, url, "article_form")
    data["standfirst"] = "New standfirst"
    client.post(url, data)
    latest = article.history.first()
    assert latest.standfirst == "New standfirst"
    assert latest.history_user == editor
    assert latest.history_date is not None


def test_the_body_diff_is_line_by_line():
    lines = text_diff("<p>One.</p><p>Two.</p>", "<p>One.</p><p>Two, changed.</p>")
    assert lines == [
        ("same", "<p>One.</p>"),
        ("removed", "<p>Two.</p>"),
        ("added", "<p>Two, changed.</p>"),
    ]


def test_the_revision_page_shows_each_changed_field_and_an_escaped_body_diff(client, edited):
    client.force_login(member("Editor"))
    record = first_revision(edited)
    url = reverse("admin:articles_article_simple_history", args=[edited.pk, record.history_id])
    text = client.get(url).content.decode()
    assert "First headline" in text and "Second headline" in text
    assert '<li class="nr-diff--removed">&lt;p&gt;Two.&lt;/p&gt;</li>' in text
    assert '<li class="nr-diff--added">&lt;p&gt;Three.&lt;/p&gt;</li>' in text
    assert "<p>Three.</p>" not in text


def test_two_revisions_can_be_compared(client, edited):
    client.force_login(member("Editor"))
    older, newer = edited.history.order_by("history_id")[:2]
    url = reverse("admin:articles_article_simple_history", args=[edited.pk, older.history_id])
    response = client.get(url, {"against": newer.history_id})
    assert [c.label for c in response.context["changes"]] == ["headline", "body", "embargo until"]
    assert "Revert to this revision" not in response.content.decode()


def test_revert_restores_the_text_and_embargo_but_not_rights_or_status(edited):
    edited.withdraw(by=member("Editor"), reason="x")
    changed = edited.revert(to=first_revision(edited), by=member("Reporter"))
    assert changed == ["headline", "body", "embargo_until"]
    edited.refresh_from_db()
    assert edited.headline == "First headline"
    assert edited.embargo_until is None
    assert edited.status == "withdrawn"
    assert edited.history.first().history_change_reason.startswith("Reverted to revision")


def test_revert_of_the_text_is_refused_when_the_rewrite_right_is_denied(edited):
    Article.objects.filter(pk=edited.pk).update(may_rewrite=False)
    edited.refresh_from_db()
    with pytest.raises(ValidationError, match="would rewrite this item"):
        edited.revert(to=first_revision(edited), by=member("Editor"))
    assert Article.objects.get(pk=edited.pk).headline == "Second headline"


def test_revert_of_workflow_fields_alone_is_allowed_when_rewrite_is_denied(make_article):
    article = make_article(may_rewrite=False)
    article.embargo_until = article.published_at + datetime.timedelta(days=2)
    article.save()
    assert article.revert(to=first_revision(article), by=member("Editor")) == ["embargo_until"]
    assert Article.objects.get(pk=article.pk).embargo_until is None


def test_revert_needs_the_change_permission(edited):
    with pytest.raises(PermissionDenied):
        edited.revert(to=first_revision(edited), by=member(None))


def test_revert_through_the_admin(client, edited):
    client.force_login(member("Reporter"))
    record = first_revision(edited)
    url = reverse("admin:articles_article_simple_history", args=[edited.pk, record.history_id])
    response = client.post(url)
    assert response.status_code == 302
    assert Article.objects.get(pk=edited.pk).headline == "First headline"


def test_a_refused_revert_through_the_admin_says_why(client, edited):
    Article.objects.filter(pk=edited.pk).update(may_rewrite=False)
    client.force_login(member("Editor"))
    record = first_revision(edited)
    url = reverse("admin:articles_article_simple_history", args=[edited.pk, record.history_id])
    response = client.post(url)
    assert response.status_code == 200
    assert "its rights do not allow that" in response.content.decode()
