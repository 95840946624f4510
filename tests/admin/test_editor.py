"""The change form's rich-text editor and the front page's pin, on the server: what the editor
may offer, where it is shown, that its output is still cleaned, and who may pin."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from articles.admin.editor import BODY_EXTENSIONS, BUNDLE, HELD_TAGS, foreign_markup
from articles.models import AuditEntry, FrontPin
from articles.pins import pin, unpin
from articles.sanitise import ATTRIBUTES, TAGS
from tests.factories import form_data, member


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def editor(db):
    return member("Editor", username="ed")


@pytest.fixture
def reporter(db):
    return member("Reporter", username="rita")


# --- what the editor offers ----------------------------------------------------------------------


def test_the_body_editor_offers_only_tags_the_sanitiser_keeps():
    offered = allowlist_from_extensions(expand_extensions(BODY_EXTENSIONS))
    assert offered["tags"] == {
        "p", "br", "h2", "h3", "h4", "strong", "em", "a", "ul", "ol", "li", "blockquote",
    }  # fmt: skip
    assert offered["tags"] <= TAGS
    # rel is set by nh3 itself (link_rel); the editor offers no target.
    assert offered["attributes"]["a"] - {"rel"} <= ATTRIBUTES["a"]
    assert set(HELD_TAGS) <= TAGS


@pytest.mark.parametrize(
    ("html", "foreign"),
    [
        ("<p>Plain <strong>bold</strong> <b>b</b> <em>em</em> <i>i</i></p>", []),
        ('<h2>H</h2><ul><li><a href="https://x.test/" rel="nofollow">a</a></li></ul>', []),
        ("<blockquote><p>Q</p></blockquote><ol><li>1</li></ol><p>a<br>b</p>", []),
        ("<table><tr><td>1</td></tr></table>", ["table", "td", "tr"]),
        ('<p><a href="/x" title="T">x</a></p>', []),
        ('<blockquote cite="https://x.test/">Q</blockquote>', ["blockquote cite"]),
        ("<h5>Too deep</h5><figure>F</figure>", ["figure", "h5"]),
        ("", []),
    ],
)
def test_foreign_markup_names_what_the_editor_would_drop(html, foreign):
    assert foreign_markup(html) == foreign


# --- the change form -----------------------------------------------------------------------------


def test_the_change_form_shows_the_editor_from_static_files_only(client, editor, make_article):
    article = make_article(standfirst="Short.", body="<p>Text.</p>")
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()

    assert page.count("data-prose-editor=") == 2  # the body and the standfirst
    assert '<script src="/static/admin-newsroom/editor.js" type="module"></script>' in page
    assert "/static/django_prose_editor/editor.js" in page  # handed to editor.js, not imported
    assert 'type="importmap"' not in page
    assert "<style" not in page
    assert "/static/admin-newsroom/editor.css" in page


def test_with_the_manifest_the_editor_and_its_bundle_are_linked_by_their_hashed_names(
    client, editor, make_article, settings, tmp_path
):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    article = make_article(body="<p>Text.</p>")
    client.force_login(editor)

    page = client.get(change_url(article)).content.decode()

    for name in ("admin-newsroom/editor.js", "admin-newsroom/editor.css", BUNDLE):
        assert f"/static/{manifest[name]}" in page
        assert (tmp_path / manifest[name]).exists()


def test_a_body_with_markup_the_editor_lacks_is_edited_as_html(client, editor, make_article):
    article = make_article(body="<p>Results:</p><table><tr><td>1</td></tr></table>")
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()

    assert page.count("data-prose-editor=") == 1  # the standfirst's only
    # nh3 adds the tbody when the body is saved.
    assert "the body holds markup the editor does not offer (table, tbody, td, tr)" in page


def test_a_locked_text_has_no_editor_and_shows_the_body_as_readers_see_it(
    client, editor, restricted
):
    restricted.may_rewrite = False
    restricted.rights_basis = {**restricted.rights_basis, "rewrite": "notice"}
    restricted.save()
    client.force_login(editor)
    page = client.get(change_url(restricted)).content.decode()

    assert "data-prose-editor=" not in page
    assert 'name="body"' not in page
    assert 'name="standfirst"' not in page
    assert "field-body_text" in page


def test_what_the_editor_sends_is_cleaned_on_save(client, editor, make_article):
    article = make_article(status="draft", published_at=None, body="<p>Old.</p>")
    client.force_login(editor)
    url = change_url(article)
    data = form_data(client, url, "article_form")
    data["body"] = (
        '<p onclick="x()">New <strong>bold</strong> <span style="color:red">red</span></p>'
        '<script>alert(1)</script><p><a href="javascript:x()" target="_blank">link</a></p>'
    )
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.body == (
        '<p>New <strong>bold</strong> <span>red</span></p><p><a rel="noopener noreferrer '
        'nofollow">link</a></p>'
    )


# --- the pin ------------------------------------------------------------------------------------


def pin_data(client, article, *, place: str, until: datetime.datetime | None) -> dict:
    data = form_data(client, change_url(article), "article_form")
    data["front_place"] = place
    local = timezone.localtime(until) if until else None
    data["front_until_0"] = local.strftime("%Y-%m-%d") if local else ""
    data["front_until_1"] = local.strftime("%H:%M:%S") if local else ""
    return data


def test_an_editor_pins_a_story_from_the_change_form_and_it_is_audited(
    client, editor, make_article
):
    article = make_article()
    until = (timezone.now() + datetime.timedelta(hours=3)).replace(microsecond=0)
    client.force_login(editor)

    response = client.post(change_url(article), pin_data(client, article, place="2", until=until))

    assert response.status_code == 302
    held = FrontPin.objects.get(article=article)
    assert (held.position, held.until, held.pinned_by) == (2, until, editor)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.PIN, article=article)
    assert entry.actor == editor
    assert entry.detail["position"] == 2
    page = client.get(change_url(article)).content.decode()
    assert '<option value="2" selected>Beneath the lead, first</option>' in page


def test_an_editor_unpins_a_story_and_it_is_audited(client, editor, make_article):
    article = make_article()
    pin(article, position=1, until=timezone.now() + datetime.timedelta(hours=1), by=editor)
    client.force_login(editor)

    response = client.post(change_url(article), pin_data(client, article, place="", until=None))

    assert response.status_code == 302
    assert not FrontPin.objects.filter(article=article).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNPIN, article=article).count() == 1


@pytest.mark.parametrize(
    ("until", "error"),
    [
        (None, "Give the time the pin ends."),
        (timezone.now() - datetime.timedelta(minutes=1), "A pin needs an end in the future."),
    ],
)
def test_a_pin_without_an_end_in_the_future_is_refused(client, editor, make_article, until, error):
    article = make_article()
    client.force_login(editor)

    response = client.post(change_url(article), pin_data(client, article, place="1", until=until))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not FrontPin.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PIN).exists()


def test_a_reporter_sees_no_pin_and_a_forged_one_pins_nothing(client, reporter, make_article):
    article = make_article(status="draft", published_at=None)
    client.force_login(reporter)
    url = change_url(article)
    data = form_data(client, url, "article_form")
    assert "front_place" not in data

    until = timezone.localtime() + datetime.timedelta(hours=1)
    data |= {
        "front_place": "1",
        "front_until_0": until.strftime("%Y-%m-%d"),
        "front_until_1": until.strftime("%H:%M:%S"),
    }
    assert client.post(url, data).status_code == 302
    assert not FrontPin.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.PIN).exists()


def test_pinning_checks_the_permission_on_every_path(reporter, make_article):
    article = make_article()
    soon = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(PermissionDenied):
        pin(article, position=1, until=soon, by=reporter)
    with pytest.raises(PermissionDenied):
        unpin(article, by=reporter)
    assert not FrontPin.objects.exists()


@pytest.mark.parametrize("position", [0, 9])
def test_a_pin_outside_the_front_pages_places_is_refused(editor, make_article, position):
    with pytest.raises(ValidationError):
        pin(
            make_article(),
            position=position,
            until=timezone.now() + datetime.timedelta(hours=1),
            by=editor,
        )
    assert not FrontPin.objects.exists()


def test_pinning_again_moves_the_pin_and_records_each_time(editor, make_article):
    article = make_article()
    soon = timezone.now() + datetime.timedelta(hours=1)
    pin(article, position=1, until=soon, by=editor)
    pin(article, position=4, until=soon + datetime.timedelta(hours=1), by=editor)

    assert FrontPin.objects.get(article=article).position == 4
    assert AuditEntry.objects.filter(action=AuditEntry.Action.PIN, article=article).count() == 2
