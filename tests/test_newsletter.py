"""The newsletter digest: only what may be published and broadcast, each item sent once."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.urls import reverse

from articles.models import Article, Byline, Person, Section, Source
from newsletter import digest
from newsletter.digest import (
    DigestError,
    build_message,
    digest_items,
    render_digest,
    send_digest,
)
from newsletter.models import Digest, DigestItem, Subscriber

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
HIDDEN = [
    "broadcast_denied",
    "publish_denied",
    "draft",
    "embargoed",
    "expired",
    "suspended_source",
    "unsettled",
    "territory_limited",
    "withdrawn",
    "killed",
]


@pytest.fixture
def story(make_article, make_source, now):
    """Make a story from Anadolu Agency in World, written by Erdogan Cagatay Zontur."""
    section = Section.objects.create(name="World", slug="world")
    agency = make_source("Anadolu Agency", kind=Source.Kind.AGENCY, credit_line="AA")
    person = Person.objects.create(name="Erdogan Cagatay Zontur", slug="zontur")

    def make(headline: str, **fields) -> Article:
        article = make_article(
            **{
                "headline": headline,
                "standfirst": f"Standfirst of {headline}.",
                "body": f"<p>Body of {headline}.</p>",
                "section": section,
                "source": agency,
                "copyright_holder": "Anadolu Agency",
                "copyright_year": 2022,
                **fields,
            }
        )
        Byline.objects.create(article=article, person=person, role=Byline.Role.WRITING)
        return article

    return make


@pytest.fixture
def catalogue(story, make_source, now) -> dict[str, Article]:
    """One visible story and one hidden twin for each reason the rules hide an item."""
    hidden = {
        "broadcast_denied": {"may_broadcast": False},
        "publish_denied": {"may_publish": False},
        "draft": {"status": Article.Status.DRAFT, "published_at": None},
        "embargoed": {"embargo_until": now + HOUR},
        "expired": {"rights_expire_at": now - datetime.timedelta(minutes=1)},
        "suspended_source": {"source": make_source("Gone Agency", suspended=True)},
        "unsettled": {"rights_settled": False},
        "territory_limited": {"territories": {"GB"}},
        "withdrawn": {"status": Article.Status.WITHDRAWN},
        "killed": {"status": Article.Status.KILLED},
    }
    stories = {"visible": story("Visible story")}
    for reason in HIDDEN:
        stories[reason] = story(f"Hidden {reason.replace('_', ' ')}", **hidden[reason])
    return stories


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user(username="desk", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_digest"))
    return user


def test_only_the_visible_item_is_in_the_digest(catalogue, now):
    items = digest_items(since=now - DAY, at=now)

    assert items == [catalogue["visible"]]


@pytest.mark.parametrize("reason", HIDDEN)
def test_a_hidden_item_is_in_neither_part_of_the_sent_digest(catalogue, reason, now, mailoutbox):
    send_digest(to=["reader@example.com"], at=now)

    [message] = mailoutbox
    html = message.alternatives[0][0]
    hidden = catalogue[reason].headline
    assert "Visible story" in message.body
    assert "Visible story" in html
    assert hidden not in message.body
    assert hidden not in html


def test_each_entry_links_to_the_article_and_credits_it(catalogue, now, settings):
    settings.SITE_URL = "https://news.example.com"
    visible = catalogue["visible"]

    content = render_digest([visible], at=now)

    url = f"https://news.example.com{visible.get_absolute_url()}"
    assert f'<a href="{url}">Visible story</a>' in content.html
    for part in (content.text, content.html):
        assert url in part
        assert "World" in part or "WORLD" in part
        assert "Standfirst of Visible story." in part
        assert "Writing by Erdogan Cagatay Zontur / AA" in part
        assert "© 2022 Anadolu Agency. All rights reserved." in part


def test_items_are_grouped_by_section_newest_first(story, now):
    sport = Section.objects.create(name="Sport", slug="sport", position=2)
    Section.objects.filter(slug="world").update(position=1)
    older = story("Older world story", published_at=now - 2 * HOUR)
    newer = story("Newer world story", published_at=now - HOUR)
    match = story("Match story", section=sport, published_at=now - HOUR / 2)
    unfiled = story("Unfiled story", section=None, published_at=now - 3 * HOUR)

    items = digest_items(since=now - DAY, at=now)
    text = render_digest(items, at=now).text

    assert items == [match, newer, older, unfiled]
    order = ["WORLD", "Newer world", "Older world", "SPORT", "Match story", "MORE NEWS", "Unfiled"]
    positions = [text.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_the_html_part_has_no_style_attribute_and_no_script(catalogue, now):
    content = render_digest(digest_items(since=now - DAY, at=now), at=now)

    assert "style=" not in content.html.lower()
    assert "<style" not in content.html.lower()
    assert "<script" not in content.html.lower()
    assert content.html.startswith("<!DOCTYPE html>")


def test_the_html_part_escapes_the_headline(story, now):
    story("Rates <b>rise</b> & fall")

    content = render_digest(digest_items(since=now - DAY, at=now), at=now)

    assert "Rates &lt;b&gt;rise&lt;/b&gt; &amp; fall" in content.html
    assert "Rates <b>rise</b> & fall" in content.text


def test_a_message_goes_to_one_recipient_with_a_plain_and_an_html_part(catalogue, now):
    content = render_digest([catalogue["visible"]], at=now)

    message = build_message(content, to="reader@example.com")

    assert message.to == ["reader@example.com"]
    assert message.subject == content.subject
    assert message.body == content.text
    assert message.alternatives[0][1] == "text/html"


def test_each_recipient_gets_a_message_of_their_own(catalogue, now, mailoutbox):
    send_digest(to=["a@example.com", "b@example.com"], at=now)

    assert [message.to for message in mailoutbox] == [["a@example.com"], ["b@example.com"]]


def test_sending_records_the_digest_and_each_item(catalogue, now, mailoutbox):
    result = send_digest(to=["reader@example.com"], at=now)

    digest = Digest.objects.get()
    assert result.digest == digest
    assert digest.sent_at == now
    assert digest.recipient_count == 1
    assert digest.subject == mailoutbox[0].subject
    assert [item.article for item in digest.items.all()] == [catalogue["visible"]]


def test_an_item_is_sent_once_and_a_new_one_goes_in_the_next_digest(story, now, mailoutbox):
    first = story("First story", published_at=now - HOUR)
    send_digest(to=["reader@example.com"], at=now)

    again = send_digest(to=["reader@example.com"], since=now - DAY, at=now + HOUR)
    second = story("Second story", published_at=now + HOUR)
    after = send_digest(to=["reader@example.com"], at=now + 2 * HOUR)

    assert not again.sent
    assert after.items == [second]
    assert len(mailoutbox) == 2
    assert "First story" in mailoutbox[0].body
    assert "First story" not in mailoutbox[1].body
    assert "Second story" in mailoutbox[1].body
    assert DigestItem.objects.filter(article=first).count() == 1


def test_the_database_refuses_to_record_an_item_twice(catalogue, now):
    send_digest(to=["reader@example.com"], at=now)
    digest = Digest.objects.create(sent_at=now, subject="Again", recipient_count=1)

    with pytest.raises(IntegrityError):
        DigestItem.objects.create(digest=digest, article=catalogue["visible"])


def test_a_run_that_chose_items_another_run_has_sent_sends_nothing(
    catalogue, now, monkeypatch, mailoutbox
):
    chosen = digest_items(since=now - DAY, at=now)
    send_digest(to=["reader@example.com"], at=now)
    monkeypatch.setattr(digest, "digest_items", lambda **kwargs: chosen)

    with pytest.raises(DigestError, match="Another digest sent some of these items"):
        send_digest(to=["reader@example.com"], at=now)

    assert len(mailoutbox) == 1
    assert Digest.objects.count() == 1


def test_the_rights_are_judged_again_at_send_time(story, now, mailoutbox):
    lifting = story("Embargoed story", published_at=now - 2 * DAY, embargo_until=now + HOUR)
    before = send_digest(to=["reader@example.com"], dry_run=True, at=now)

    lifted = send_digest(to=["reader@example.com"], at=now + 2 * HOUR)

    assert before.items == []
    assert lifted.items == [lifting]


def test_an_item_whose_broadcast_right_is_withdrawn_before_the_send_stays_out(
    catalogue, now, mailoutbox
):
    Article.objects.filter(pk=catalogue["visible"].pk).update(may_broadcast=False)

    result = send_digest(to=["reader@example.com"], at=now)

    assert not result.sent
    assert mailoutbox == []


def test_nothing_new_sends_nothing(db, capsys, mailoutbox):
    call_command("send_newsletter", to=["reader@example.com"])

    assert "Nothing to send" in capsys.readouterr().out
    assert mailoutbox == []
    assert not Digest.objects.exists()


def test_the_command_sends_the_digest(catalogue, capsys, mailoutbox):
    call_command("send_newsletter", to=["reader@example.com"])

    assert "Sent “" in capsys.readouterr().out
    assert len(mailoutbox) == 1
    assert Digest.objects.count() == 1


def test_a_dry_run_prints_the_digest_and_sends_and_records_nothing(catalogue, capsys, mailoutbox):
    call_command("send_newsletter", "--dry-run", "--to", "reader@example.com")

    out = capsys.readouterr().out
    assert out.startswith("Subject: ")
    assert "To: reader@example.com" in out
    assert "Visible story" in out
    assert "Hidden" not in out
    assert mailoutbox == []
    assert not Digest.objects.exists()
    assert not DigestItem.objects.exists()


def test_since_reaches_back_past_the_last_digest(story, now, mailoutbox):
    story("Three days old", published_at=now - 3 * DAY)
    call_command("send_newsletter", to=["reader@example.com"])
    assert mailoutbox == []

    since = (now - 4 * DAY).date().isoformat()
    call_command("send_newsletter", "--since", since, "--to", "reader@example.com")

    assert "Three days old" in mailoutbox[0].body


def test_since_takes_a_datetime_with_a_zone(story, now, mailoutbox):
    story("Two hours old", published_at=now - 2 * HOUR)
    story("Thirty minutes old", published_at=now - HOUR / 2)

    since = (now - HOUR).isoformat()
    call_command("send_newsletter", "--since", since, "--to", "reader@example.com")

    assert "Thirty minutes old" in mailoutbox[0].body
    assert "Two hours old" not in mailoutbox[0].body


def test_the_first_digest_reaches_back_one_day_and_the_next_starts_where_it_stopped(
    story, now, mailoutbox
):
    story("Two days old", published_at=now - 2 * DAY)
    story("An hour old", published_at=now - HOUR)

    first = send_digest(to=["reader@example.com"], at=now)
    story("Published after", published_at=now + HOUR)
    second = send_digest(to=["reader@example.com"], at=now + 2 * HOUR)

    assert first.since == now - DAY
    assert [a.headline for a in first.items] == ["An hour old"]
    assert second.since == now
    assert [a.headline for a in second.items] == ["Published after"]


def test_to_overrides_the_subscribers(catalogue, mailoutbox):
    Subscriber.objects.create(email="subscriber@example.com")

    call_command("send_newsletter", "--to", "a@example.com", "b@example.com")

    assert sorted(message.to[0] for message in mailoutbox) == ["a@example.com", "b@example.com"]


def test_active_subscribers_come_before_the_settings_list(catalogue, mailoutbox, settings):
    settings.NEWSLETTER_RECIPIENTS = ["desk@example.com"]
    Subscriber.objects.create(email="active@example.com")
    Subscriber.objects.create(email="lapsed@example.com", active=False)

    call_command("send_newsletter")

    assert [message.to for message in mailoutbox] == [["active@example.com"]]


def test_the_settings_list_is_used_when_nobody_subscribes(catalogue, mailoutbox, settings):
    settings.NEWSLETTER_RECIPIENTS = ["desk@example.com"]

    call_command("send_newsletter")

    assert [message.to for message in mailoutbox] == [["desk@example.com"]]


def test_nobody_to_send_to_is_an_error_that_records_nothing(catalogue, mailoutbox, settings):
    settings.NEWSLETTER_RECIPIENTS = []

    with pytest.raises(CommandError, match="Nobody to send the digest to"):
        call_command("send_newsletter")

    assert mailoutbox == []
    assert not Digest.objects.exists()


@pytest.mark.parametrize("since", ["yesterday", "2025-13-01", "2025-05-01T25:00"])
def test_a_bad_since_is_a_usage_error_naming_the_argument(db, since):
    with pytest.raises(CommandError, match="--since") as error:
        call_command("send_newsletter", "--since", since)

    assert error.value.returncode == 2


def test_a_bad_address_is_a_usage_error_naming_the_argument(catalogue, mailoutbox):
    with pytest.raises(CommandError, match="--to: “not-an-address”") as error:
        call_command("send_newsletter", "--to", "reader@example.com", "not-an-address")

    assert error.value.returncode == 2
    assert mailoutbox == []
    assert not Digest.objects.exists()


def test_a_failure_while_sending_records_nothing(catalogue, now, monkeypatch, mailoutbox):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", refuse)

    with pytest.raises(DigestError, match="Connection unexpectedly closed"):
        send_digest(to=["reader@example.com"], at=now)

    assert mailoutbox == []
    assert not Digest.objects.exists()
    assert not DigestItem.objects.exists()
    assert digest_items(since=now - DAY, at=now) == [catalogue["visible"]]


def test_the_command_reports_a_failure_while_sending(catalogue, monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(mail.backends.locmem.EmailBackend, "send_messages", refuse)

    with pytest.raises(CommandError, match="nothing was recorded"):
        call_command("send_newsletter", "--to", "reader@example.com")

    assert not Digest.objects.exists()


def test_a_subscriber_address_is_unique_whatever_its_case(db):
    Subscriber.objects.create(email="Reader@Example.com")

    with pytest.raises(IntegrityError):
        Subscriber.objects.create(email="reader@example.com")


def test_the_preview_shows_staff_the_next_digest(client, staff, catalogue, settings):
    settings.SITE_URL = "https://news.example.com"
    client.force_login(staff)

    response = client.get(reverse("admin:newsletter_digest_preview"))

    page = response.content.decode()
    url = f"https://news.example.com{catalogue['visible'].get_absolute_url()}"
    assert response.status_code == 200
    assert f'<a href="{url}">Visible story</a>' in page
    assert "Visible story" in page
    assert "<pre>" in page
    assert "Hidden" not in page


def test_the_list_of_digests_links_to_the_preview(admin_client):
    response = admin_client.get(reverse("admin:newsletter_digest_changelist"))

    assert reverse("admin:newsletter_digest_preview") in response.content.decode()


def test_the_preview_says_when_nothing_would_be_sent(client, staff):
    client.force_login(staff)

    response = client.get(reverse("admin:newsletter_digest_preview"))

    assert "Nothing would be sent now" in response.content.decode()


def test_the_preview_refuses_anonymous_users(client, catalogue):
    response = client.get(reverse("admin:newsletter_digest_preview"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_preview_refuses_staff_without_the_view_permission(client, catalogue):
    user = get_user_model().objects.create_user(username="intern", password="pw", is_staff=True)
    client.force_login(user)

    response = client.get(reverse("admin:newsletter_digest_preview"))

    assert response.status_code == 403


def test_a_sent_digest_shows_its_items_read_only_in_the_admin(admin_client, catalogue, now):
    digest = send_digest(to=["reader@example.com"], at=now).digest

    response = admin_client.get(reverse("admin:newsletter_digest_change", args=[digest.pk]))

    assert response.status_code == 200
    assert "Visible story" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_building_a_digest_costs_the_same_queries_for_3_items_as_for_30(
    story, now, count, django_assert_max_num_queries
):
    for n in range(count):
        story(f"Story {n}", published_at=now - HOUR - n * datetime.timedelta(minutes=1))

    with django_assert_max_num_queries(3):
        content = render_digest(digest_items(since=now - DAY, at=now), at=now)

    assert content.subject.endswith(f"{count} stories")
