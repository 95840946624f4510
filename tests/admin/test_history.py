"""The article's history through our own page: each revision with who made it, when and what it
changed, in words, linked to the revision view; never truncated HTML, never "None"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.revisions import history_rows
from articles.models import Article, Licence
from tests.factories import member

BODY = "<p>The council met on Tuesday.</p><p>It voted to close the pool.</p>"


@pytest.fixture
def revised(make_article):
    """A story created without a user (as a script would), then edited by Jane Roe."""
    article = make_article(headline="Pool to close", body=BODY, territories={"GB"})
    jane = member("Editor", username="jroe")
    jane.first_name, jane.last_name = "Jane", "Roe"
    jane.save()
    article.body = BODY.replace("close the pool", "close the old pool next spring")
    article.headline = "Council votes to close pool"
    article.territories = {"GB", "IE"}
    article._history_user = jane
    article.save()
    return article


def history(client, article: Article) -> str:
    response = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_history_names_who_made_each_revision_in_words(client, revised):
    client.force_login(member("Editor"))
    text = history(client, revised)
    assert "Jane Roe" in text
    assert "the system" in text
    assert "None" not in text


def test_the_history_summarises_text_changes_instead_of_truncating_html(client, revised):
    client.force_login(member("Editor"))
    text = history(client, revised)
    assert "body: 1 paragraph changed, 4 words added, 1 word removed" in text
    assert "&lt;p&gt;" not in text and "chars]" not in text
    assert "headline: Pool to close → Council votes to close pool" in text
    assert "where it may go: Only in the United Kingdom → Only in Ireland and the United" in text
    assert "frozenset" not in text


def test_each_summary_is_against_the_revision_before_it(revised):
    records = list(revised.history.all())
    rows = history_rows(records, before=None)
    assert rows[-1].changes == ["created"]
    assert "body: 1 paragraph changed, 4 words added, 1 word removed" in rows[0].changes


def test_the_history_links_each_revision_to_the_diff_and_revert(client, revised):
    client.force_login(member("Editor"))
    text = history(client, revised)
    for record in revised.history.all():
        url = reverse("admin:articles_article_simple_history", args=[revised.pk, record.history_id])
        assert f'href="{url}"' in text
    assert "Revert to this" in text


def test_the_history_page_has_no_inline_style(client, revised):
    client.force_login(member("Editor"))
    assert "style=" not in history(client, revised)


def test_the_history_refuses_users_without_access(client, revised):
    url = reverse("admin:articles_article_history", args=[revised.pk])
    assert client.get(url).status_code == 302
    client.force_login(member(None))
    assert client.get(url).status_code == 403


def test_the_history_of_an_unknown_article_is_a_404(client, db):
    client.force_login(member("Editor"))
    assert client.get(reverse("admin:articles_article_history", args=[999999])).status_code == 404


def test_the_history_costs_the_same_queries_for_2_revisions_as_for_12(client, revised):
    client.force_login(member("Editor"))
    url = reverse("admin:articles_article_history", args=[revised.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        revised.editor_note = f"Note {n}"
        revised.save()
    with CaptureQueriesContext(connection) as many:
        text = client.get(url).content.decode()
    assert "editor&#x27;s note: Note 8 → Note 9" in text
    assert len(many) == len(few)


def test_the_history_pages_through_many_revisions_and_tells_the_oldest_change_on_a_page(
    client, revised
):
    for n in range(30):
        revised.editor_note = f"Note {n}"
        revised.save()
    client.force_login(member("Editor"))
    url = reverse("admin:articles_article_history", args=[revised.pk])
    first, second = client.get(url).context, client.get(url + "?p=2").context
    assert len(first["rows"]) == 25 and len(second["rows"]) == 7
    assert "editor's note: Note 4 → Note 5" in first["rows"][-1].changes
    assert second["rows"][-1].changes == ["created"]


def test_a_licence_history_names_who_in_words_and_says_yes_or_no(client, make_source):
    licence = Licence.objects.create(source=make_source("Reuters"), reference="REF-1")
    licence.grants_publish = True
    licence.territories = {"GB"}
    licence.save()
    client.force_login(member("Rights manager"))
    text = client.get(reverse("admin:articles_licence_history", args=[licence.pk])).content.decode()
    assert "the system" in text and "None" not in text
    assert "Grants publication: no → yes" in text
    assert "Territories: – → GB" in text
    assert "style=" not in text and "frozenset" not in text
