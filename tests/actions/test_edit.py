"""The copy check on saving: a live item's new text is refused on every path when it shares more
than the threshold with protected copy; a draft's is saved, with a warning that names the items."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.errors import CopyRefused
from articles.models import Article, AuditEntry
from copycheck.check import check
from tests.factories import FILLER, MERIDIAN_NOTICE, WIRE, form_data, member, shared_table

COPIED = " ".join(WIRE.split()[10:45])  # a run of 35 words: over the 25-word threshold
QUOTE = " ".join(WIRE.split()[60:72])  # 12 words: a short quotation
CLEAN = f"<p>{FILLER}</p>"


@pytest.fixture
def live(wire, staff_story):
    """A published staff story of our own words."""
    return staff_story(FILLER)


@pytest.fixture
def draft(wire, staff_story):
    return staff_story(FILLER, headline="Shops draft", status="draft", published_at=None)


def refusals(article: Article) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(article=article, action="refusal").order_by("id"))


# --- the model: every path -----------------------------------------------------------------------


@pytest.mark.parametrize("field", ["body", "standfirst"])
def test_copied_text_saved_into_a_published_item_is_refused_and_recorded(live, field):
    editor = member("Editor", username="eve")
    setattr(live, field, f"{FILLER} {COPIED}")
    loaded = live.version
    with pytest.raises(CopyRefused) as refused:
        live.save_if_unchanged(loaded_version=loaded, by=editor)
    assert live.version == loaded  # so this copy may be corrected and saved again
    message = refused.value.message
    assert f"The change to its {field} was not saved: the item is published" in message
    assert "“Central bank holds rates” from Meridian Press Agency" in message
    assert MERIDIAN_NOTICE in message
    assert refused.value.fields == [field]
    assert refused.value.report.exceeds
    assert refused.value.report.passages[0].item.headline == "Central bank holds rates"
    stored = Article.objects.get(pk=live.pk)
    assert getattr(stored, field) == (CLEAN if field == "body" else "")
    assert stored.version == loaded
    (entry,) = refusals(live)
    assert entry.actor == editor
    assert entry.detail["fields"] == [field]
    assert entry.detail["right"] == "publish"
    assert "Central bank holds rates" in entry.reason
    assert entry.detail["reasons"] == refused.value.report.reasons


def test_copied_text_saved_into_a_scheduled_item_is_refused(live):
    Article.objects.filter(pk=live.pk).update(
        status="scheduled", published_at=timezone.now() + datetime.timedelta(hours=2)
    )
    live.refresh_from_db()
    live.body = f"<p>{FILLER} {COPIED}</p>"
    with pytest.raises(CopyRefused, match="the item is scheduled"):
        live.save()
    assert Article.objects.get(pk=live.pk).body == CLEAN
    assert refusals(live)[0].actor is None  # a save from the shell names nobody


def test_the_refusal_is_a_validation_error_with_a_clear_message(live):
    live.headline = COPIED
    with pytest.raises(ValidationError) as refused:
        live.save()
    (message,) = refused.value.messages
    assert message.startswith("The change to its headline was not saved")
    assert "withdraw the item, save the change, and ask a rights manager to override" in message


def test_the_way_the_refusal_names_to_publish_the_text_anyway_works(live):
    live.body = f"<p>{FILLER} {COPIED}</p>"
    with pytest.raises(CopyRefused):
        live.save()
    live.withdraw(by=member("Editor"), reason="Taken down to add the agency's text.")
    live.save()
    manager = member("Rights manager")
    assert live.override(by=manager, reason="Agency agreed, ref 7.").allowed
    stored = Article.objects.get(pk=live.pk)
    assert (stored.status, COPIED.split()[0] in stored.body) == ("published", True)


def test_copied_text_may_be_saved_into_a_draft(draft):
    draft.body = f"<p>{FILLER} {COPIED}</p>"
    draft.save()
    assert COPIED.split()[0] in Article.objects.get(pk=draft.pk).body
    assert refusals(draft) == []


def test_a_short_quotation_in_a_live_item_is_saved(live):
    live.body = f"<p>{FILLER} {FILLER} The governor said “{QUOTE}”. {FILLER}</p>"
    live.save()
    assert QUOTE in Article.objects.get(pk=live.pk).body
    assert refusals(live) == []


def test_an_item_published_over_a_copy_refusal_may_still_be_corrected(draft):
    draft.body = f"<p>{WIRE}</p>"
    draft.save()
    assert not draft.publish().allowed
    manager = member("Rights manager")
    assert draft.override(by=manager, reason="Agency agreed by phone, ref 42.").allowed
    draft.refresh_from_db()
    # Still over the threshold, with a typo fixed: the stored text already was over it.
    draft.body = f"<p>{WIRE.replace('Thursday', 'Thursday morning')}</p>"
    draft.save()
    assert "Thursday morning" in Article.objects.get(pk=draft.pk).body
    assert len(refusals(draft)) == 1  # the publication refusal before the override, only


def test_the_wire_update_of_a_live_item_is_not_checked_as_an_edit(live):
    live.body = f"<p>{FILLER} {COPIED}</p>"
    live.wire_update = True
    live.save()
    assert COPIED.split()[0] in Article.objects.get(pk=live.pk).body


def test_a_live_edit_costs_the_checks_queries_and_reuses_the_stored_row(live, make_article, desk):
    other = make_article(source=desk, body=CLEAN, status="draft", published_at=None)

    def cost(article: Article) -> int:
        # A short quotation, so that the check meets a candidate and makes all its queries.
        article.body = f"<p>{FILLER} {FILLER} The governor said “{QUOTE}”. {FILLER}</p>"
        with CaptureQueriesContext(connection) as queries:
            article.save()
        return len(queries)

    # The same save of a draft and of a live item: the live one adds the check's 2 queries.
    assert cost(live) == cost(other) + 2


def test_only_a_save_that_changes_the_text_is_checked(live):
    def reads_the_index() -> bool:
        with CaptureQueriesContext(connection) as queries:
            live.save()
        return any("copycheck_" in query["sql"] for query in queries.captured_queries)

    live.editor_note = "Corrected the time."
    assert not reads_the_index()
    live.standfirst = "Shopkeepers count the cost."
    assert reads_the_index()


def test_reverting_a_live_item_to_copied_text_is_refused_and_the_refusal_kept(draft):
    draft.body = f"<p>{FILLER} {COPIED}</p>"
    draft.save()
    copied = draft.history.order_by("-history_id").first()
    draft.body = CLEAN
    draft.save()
    assert draft.publish().allowed
    draft.refresh_from_db()
    editor = member("Editor")
    with pytest.raises(CopyRefused):
        draft.revert(to=copied, by=editor)
    assert draft.body == CLEAN  # this copy of the item is left as stored
    assert Article.objects.get(pk=draft.pk).body == CLEAN
    (entry,) = refusals(draft)
    assert (entry.actor, entry.detail["fields"]) == (editor, ["body"])


# --- the change form ------------------------------------------------------------------------------


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_form_refuses_copied_text_in_a_published_story_before_saving(client, live):
    editor = member("Editor")
    client.force_login(editor)
    data = form_data(client, change_url(live), "article_form")
    data.update(body=f"<p>{FILLER} {COPIED}</p>", dateline="LONDON")
    response = client.post(change_url(live), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"]
    assert errors[0].startswith("The change to its body was not saved: the item is published")
    assert "“Central bank holds rates” from Meridian Press Agency" in errors[0]
    passage = errors[1]
    assert passage.startswith("35 words, “")
    assert " ".join(COPIED.lower().split()[:6]) in passage
    assert (
        f"found in “Central bank holds rates” from Meridian Press Agency ({MERIDIAN_NOTICE})"
        in passage
    )
    text = response.content.decode()
    assert 'value="LONDON"' in text
    # The panel beside the body checks the text the form shows, not the stored text.
    table = shared_table(text)
    assert " ".join(COPIED.lower().split()[:6]) in table
    assert MERIDIAN_NOTICE in table
    stored = Article.objects.get(pk=live.pk)
    assert (stored.body, stored.dateline, stored.version) == (CLEAN, "", live.version)
    (entry,) = refusals(live)
    assert (entry.actor, entry.detail["fields"]) == (editor, ["body"])


def test_the_form_saves_a_live_story_whose_new_text_passes(client, live):
    client.force_login(member("Editor"))
    data = form_data(client, change_url(live), "article_form")
    data.update(body=f"<p>{FILLER} {FILLER} The governor said “{QUOTE}”. {FILLER}</p>")
    assert client.post(change_url(live), data).status_code == 302
    assert QUOTE in Article.objects.get(pk=live.pk).body
    assert refusals(live) == []


def test_the_form_refuses_publishing_a_draft_with_copied_text_before_saving(client, draft):
    client.force_login(member("Editor"))
    data = form_data(client, change_url(draft), "article_form")
    data.update(body=f"<p>{FILLER} {COPIED}</p>", status="published")
    response = client.post(change_url(draft), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["status"]
    assert errors[0] == "Publication refused."
    assert any("“Central bank holds rates” from Meridian Press Agency" in e for e in errors)
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.status, stored.body) == ("draft", CLEAN)
    assert len(refusals(draft)) == 1


def save_draft_body(client, draft, body: str):
    """A reporter's plain save of `draft` in the change form with a new body."""
    client.force_login(member("Reporter"))
    data = form_data(client, change_url(draft), "article_form")
    data.update(body=body)
    return client.post(change_url(draft), data)


def test_a_plain_save_of_a_draft_with_copied_text_warns_naming_the_items(client, draft):
    response = save_draft_body(client, draft, f"<p>{FILLER} {COPIED}</p>")
    assert response.status_code == 302
    assert COPIED.split()[0] in Article.objects.get(pk=draft.pk).body
    warnings = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    (warning,) = warnings
    assert warning.startswith("Shops draft: saved, but publication would be refused")
    assert "“Central bank holds rates” from Meridian Press Agency" in warning
    assert MERIDIAN_NOTICE in warning
    assert refusals(draft) == []


def test_a_plain_save_of_a_draft_of_our_own_words_gives_no_warning(client, draft):
    response = save_draft_body(
        client, draft, f"<p>{FILLER} {FILLER} The governor said “{QUOTE}”. {FILLER}</p>"
    )
    assert response.status_code == 302
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


@pytest.mark.parametrize("status", ["draft", "review"])
def test_a_new_article_is_checked_when_it_is_first_saved(client, wire, desk, status):
    client.force_login(member("Reporter"))
    url = reverse("admin:articles_article_add")
    page = client.get(url).content.decode()
    assert "Checked when the article is saved." in page
    data = form_data(client, url, "article_form")
    data.update(headline="Rates story", slug="rates-story", source=str(desk.pk), status=status)
    data.update(body=f"<p>{FILLER} {COPIED}</p>")
    response = client.post(url, data, follow=True)
    article = Article.objects.get(slug="rates-story")
    assert article.status == status
    text = response.content.decode()
    assert "Rates story: saved, but publication would be refused" in text
    assert "Central bank holds rates" in text
    assert report_items(article) == {"Central bank holds rates"}


def report_items(article: Article) -> set[str]:
    return {passage.item.headline for passage in check(article).passages}
