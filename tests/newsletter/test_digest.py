"""The newsletter digest: only what may be published and broadcast, each item sent once, each
digest delivered once to each recipient, and a way out for every subscriber."""

from __future__ import annotations

import datetime
import re
import runpy
import smtplib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail, signing
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from articles.models import Article, Byline, Person, Section, Source
from newsletter import digest
from newsletter.digest import (
    DigestError,
    Recipient,
    build_message,
    digest_items,
    recipients,
    record_digest,
    render_digest,
    send_digest,
    send_test,
    unsubscribe_token,
    unsubscribe_url,
)
from newsletter.management.commands.send_newsletter import Command
from newsletter.models import Delivery, Digest, DigestItem, Subscriber

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
def reader(db) -> Subscriber:
    return Subscriber.objects.create(email="reader@example.com")


class RefusingBackend(EmailBackend):
    """The local-memory backend, but the mail server refuses REFUSED, as SMTP would: for that
    message alone, the connection staying up."""

    REFUSED = "bounce@example.com"

    def send_messages(self, messages):
        for message in messages:
            if self.REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused(
                    {self.REFUSED: (550, b"5.1.1 <bounce@example.com>: No such user")}
                )
        return super().send_messages(messages)


class DroppingBackend(EmailBackend):
    """The local-memory backend, but the connection drops after `DELIVERED` messages."""

    DELIVERED = 1

    def send_messages(self, messages):
        if len(mail.outbox) >= self.DELIVERED:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def refusing(settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    for email in ["a@example.com", RefusingBackend.REFUSED, "c@example.com"]:
        Subscriber.objects.create(email=email)
    return mailoutbox


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user(username="desk", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_digest"))
    return user


def test_only_the_visible_item_is_in_the_digest(catalogue, now):
    items = digest_items(since=now - DAY, at=now)

    assert items == [catalogue["visible"]]


@pytest.mark.parametrize("reason", HIDDEN)
def test_a_hidden_item_is_in_neither_part_of_the_sent_digest(
    catalogue, reader, reason, now, mailoutbox
):
    send_digest(at=now)

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
    content = render_digest(
        digest_items(since=now - DAY, at=now), at=now, unsubscribe_url="https://x.test/u/"
    )

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
    assert "List-Unsubscribe" not in message.extra_headers


def test_each_recipient_gets_a_message_of_their_own(catalogue, now, mailoutbox):
    Subscriber.objects.create(email="a@example.com")
    Subscriber.objects.create(email="b@example.com")

    send_digest(at=now)

    assert [message.to for message in mailoutbox] == [["a@example.com"], ["b@example.com"]]


# --- recording and delivering --------------------------------------------------------------------


def test_sending_records_the_digest_each_item_and_each_delivery(catalogue, reader, now, mailoutbox):
    result = send_digest(at=now)

    digest = Digest.objects.get()
    [delivery] = digest.deliveries.all()
    assert result.digest == digest
    assert digest.sent_at == now
    assert digest.recipient_count == 1
    assert digest.subject == mailoutbox[0].subject
    assert [item.article for item in digest.items.all()] == [catalogue["visible"]]
    assert (delivery.address, delivery.subscriber, delivery.error) == (reader.email, reader, "")
    assert delivery.sent_at is not None
    assert delivery.attempted_at is not None


def test_an_item_is_sent_once_and_a_new_one_goes_in_the_next_digest(story, reader, now, mailoutbox):
    first = story("First story", published_at=now - HOUR)
    send_digest(at=now)

    again = send_digest(since=now - DAY, at=now + HOUR)
    second = story("Second story", published_at=now + HOUR)
    after = send_digest(at=now + 2 * HOUR)

    assert not again.sent
    assert after.items == [second]
    assert len(mailoutbox) == 2
    assert "First story" in mailoutbox[0].body
    assert "First story" not in mailoutbox[1].body
    assert "Second story" in mailoutbox[1].body
    assert DigestItem.objects.filter(article=first).count() == 1


def test_the_database_refuses_to_record_an_item_twice(catalogue, reader, now):
    send_digest(at=now)
    digest = Digest.objects.create(sent_at=now, subject="Again", recipient_count=1)

    with pytest.raises(IntegrityError):
        DigestItem.objects.create(digest=digest, article=catalogue["visible"])


def test_the_database_refuses_a_second_delivery_of_a_digest_to_one_address(catalogue, reader, now):
    digest = send_digest(at=now).digest

    with pytest.raises(IntegrityError):
        Delivery.objects.create(digest=digest, address=reader.email)


def test_a_run_that_chose_items_another_run_has_sent_records_and_sends_nothing(
    catalogue, reader, now, monkeypatch, mailoutbox
):
    chosen = digest_items(since=now - DAY, at=now)
    send_digest(at=now)
    monkeypatch.setattr(digest, "digest_items", lambda **kwargs: chosen)

    with pytest.raises(DigestError, match="Another digest took some of these items"):
        send_digest(at=now)

    assert len(mailoutbox) == 1
    assert Digest.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_the_rights_are_judged_again_at_send_time(story, reader, now, mailoutbox):
    lifting = story("Embargoed story", published_at=now - 2 * DAY, embargo_until=now + HOUR)
    before = send_digest(dry_run=True, at=now)

    lifted = send_digest(at=now + 2 * HOUR)

    assert before.items == []
    assert lifted.items == [lifting]


def test_an_item_whose_broadcast_right_is_withdrawn_before_the_send_stays_out(
    catalogue, reader, now, mailoutbox
):
    Article.objects.filter(pk=catalogue["visible"].pk).update(may_broadcast=False)

    result = send_digest(at=now)

    assert not result.sent
    assert mailoutbox == []


def test_recipients_from_the_settings_are_one_per_mailbox(db, settings):
    settings.NEWSLETTER_RECIPIENTS = ["Desk@example.com", "desk@example.com", "night@example.com"]

    assert [r.address for r in recipients()] == ["Desk@example.com", "night@example.com"]


def test_a_bad_address_in_the_settings_is_an_error_naming_the_setting_and_address(
    catalogue, settings, mailoutbox
):
    settings.NEWSLETTER_RECIPIENTS = ["desk@example.com", "desk at example"]

    with pytest.raises(DigestError, match="NEWSLETTER_RECIPIENTS: “desk at example”"):
        send_digest()

    assert mailoutbox == []
    assert not Digest.objects.exists()


# --- a refused address, a run that stops ---------------------------------------------------------


def test_a_refused_address_is_recorded_and_the_others_get_the_digest_once(story, refusing, now):
    story("Only story")
    result = send_digest(at=now)
    again = send_digest(at=now + HOUR)

    assert sorted(message.to[0] for message in refusing) == ["a@example.com", "c@example.com"]
    assert [(r.address, r.error) for r in result.refused] == [
        ("bounce@example.com", "550 5.1.1 <bounce@example.com>: No such user")
    ]
    refused = Delivery.objects.get(address="bounce@example.com")
    assert refused.error == "550 5.1.1 <bounce@example.com>: No such user"
    assert refused.sent_at is None
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 2
    assert not again.sent
    assert again.resumed == []
    assert len(refusing) == 2


def test_an_address_that_cannot_go_in_a_header_is_refused_and_the_others_get_the_digest(
    catalogue, reader, now, mailoutbox
):
    Subscriber.objects.create(email="evil@example.com\nBcc: all@example.com")

    result = send_digest(at=now)

    assert [message.to for message in mailoutbox] == [["reader@example.com"]]
    [refusal] = result.refused
    assert refusal.address == "evil@example.com\nBcc: all@example.com"
    assert "newlines" in refusal.error
    assert Delivery.objects.get(address=refusal.address).error == refusal.error


def test_the_command_names_the_refused_address_and_its_error_and_exits_non_zero(
    catalogue, refusing, capsys
):
    with pytest.raises(CommandError) as error:
        call_command("send_newsletter")

    assert "bounce@example.com: 550 5.1.1 <bounce@example.com>: No such user" in str(error.value)
    assert error.value.returncode == 1
    assert "to 2 of 3 recipients" in capsys.readouterr().out
    assert len(refusing) == 2


def test_a_refused_address_does_not_stop_the_next_digest_reaching_the_others(story, refusing, now):
    story("Morning story", published_at=now - HOUR)
    send_digest(at=now)
    story("Evening story", published_at=now + HOUR)

    evening = send_digest(at=now + 2 * HOUR)

    assert [r.address for r in evening.refused] == ["bounce@example.com"]
    assert [message.to[0] for message in refusing].count("a@example.com") == 2
    assert "Evening story" in refusing[-1].body
    assert "Morning story" not in refusing[-1].body


def test_a_dropped_connection_leaves_the_rest_pending_and_the_next_run_finishes_them(
    catalogue, refusing, now, settings, capsys
):
    settings.EMAIL_BACKEND = f"{__name__}.DroppingBackend"

    with pytest.raises(CommandError, match="Connection unexpectedly closed.*2 still pending"):
        call_command("send_newsletter")
    assert [message.to for message in refusing] == [["a@example.com"]]
    assert Delivery.objects.pending().count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_newsletter")

    out = capsys.readouterr().out
    assert "Finished “" in out
    assert "delivered to 2 pending recipients" in out
    assert "Nothing new to send" in out
    assert [message.to[0] for message in refusing] == [
        "a@example.com",
        "bounce@example.com",
        "c@example.com",
    ]
    assert Digest.objects.count() == 1
    assert not Delivery.objects.pending().exists()


def test_a_connection_that_cannot_open_sends_nothing_and_leaves_every_delivery_pending(
    catalogue, reader, now, monkeypatch, mailoutbox
):
    def refuse(self):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(EmailBackend, "open", refuse)

    with pytest.raises(DigestError, match="Connection refused.*after 0 deliveries; 1 still"):
        send_digest(at=now)

    assert mailoutbox == []
    assert Delivery.objects.pending().get().address == reader.email
    assert digest_items(since=now - DAY, at=now) == []


def test_a_run_that_died_after_recording_is_finished_by_the_next_run_before_a_new_digest(
    story, reader, now, mailoutbox
):
    story("Recorded story", published_at=now - HOUR)
    recorded = record_digest(digest_items(since=now - DAY, at=now), recipients(), at=now)
    story("Newer story", published_at=now + HOUR)

    result = send_digest(at=now + 2 * HOUR)

    assert [report.subject for report in result.resumed] == [recorded.subject]
    assert [message.subject for message in mailoutbox] == [recorded.subject, result.report.subject]
    assert "Recorded story" in mailoutbox[0].body
    assert "Newer story" not in mailoutbox[0].body
    assert "Newer story" in mailoutbox[1].body
    assert not Delivery.objects.pending().exists()


def test_a_delivery_another_run_has_taken_up_is_not_sent_again(catalogue, reader, now, mailoutbox):
    recorded = record_digest(digest_items(since=now - DAY, at=now), recipients(), at=now)
    recorded.deliveries.update(attempted_at=now)

    result = send_digest(at=now)

    assert mailoutbox == []
    assert result.resumed == []


def test_a_finished_run_leaves_out_items_whose_rights_lapsed_meanwhile(
    story, reader, now, mailoutbox
):
    kept = story("Kept story", published_at=now - HOUR)
    lapsed = story("Lapsed story", published_at=now - HOUR)
    record_digest(digest_items(since=now - DAY, at=now), recipients(), at=now)
    Article.objects.filter(pk=lapsed.pk).update(may_broadcast=False)

    send_digest(at=now + HOUR)

    [message] = mailoutbox
    assert kept.headline in message.body
    assert lapsed.headline not in message.body
    assert lapsed.headline not in message.alternatives[0][0]


def test_pending_deliveries_are_dropped_when_no_item_of_theirs_may_be_broadcast(
    catalogue, reader, now, mailoutbox, capsys
):
    record_digest([catalogue["visible"]], recipients(), at=now)
    Article.objects.filter(pk=catalogue["visible"].pk).update(may_broadcast=False)

    call_command("send_newsletter")

    assert "Dropped 1 pending delivery" in capsys.readouterr().out
    assert mailoutbox == []
    assert not Delivery.objects.exists()


def test_a_pending_delivery_to_someone_who_unsubscribed_meanwhile_is_not_sent(
    catalogue, reader, now, mailoutbox
):
    Subscriber.objects.create(email="stays@example.com")
    record_digest([catalogue["visible"]], recipients(), at=now)
    Subscriber.objects.filter(pk=reader.pk).update(active=False)

    send_digest(at=now)

    assert [message.to for message in mailoutbox] == [["stays@example.com"]]
    assert not Delivery.objects.filter(address=reader.email).exists()


def test_a_pending_delivery_to_a_deleted_subscriber_or_a_removed_address_is_not_sent(
    catalogue, reader, now, mailoutbox, settings
):
    everyone = [Recipient(reader.email, reader.pk), Recipient("desk@example.com")]
    record_digest([catalogue["visible"]], [*everyone, Recipient("night@example.com")], at=now)
    reader.delete()
    settings.NEWSLETTER_RECIPIENTS = ["desk@example.com"]

    send_digest(at=now)

    assert [message.to for message in mailoutbox] == [["desk@example.com"]]
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
    assert not Delivery.objects.pending().exists()


# --- the window: every item not sent before, within the look-back ------------------------------


def test_an_item_whose_rights_are_settled_after_publication_goes_in_the_next_digest(
    story, reader, now, mailoutbox
):
    late = story("Settled late", published_at=now - 3 * DAY, rights_settled=False)
    story("Settled at once", published_at=now - 2 * HOUR)
    first = send_digest(at=now - HOUR)
    Article.objects.filter(pk=late.pk).update(rights_settled=True)

    second = send_digest(at=now)

    assert [a.headline for a in first.items] == ["Settled at once"]
    assert second.items == [late]
    assert "Settled late" in mailoutbox[1].body
    assert "Settled at once" not in mailoutbox[1].body


def test_the_default_window_is_the_look_back(story, reader, now, settings, mailoutbox):
    settings.NEWSLETTER_LOOKBACK_DAYS = 7
    story("Six days old", published_at=now - 6 * DAY)
    story("Eight days old", published_at=now - 8 * DAY)

    result = send_digest(at=now)

    assert result.since == now - 7 * DAY
    assert [a.headline for a in result.items] == ["Six days old"]


def test_since_reaches_back_past_the_look_back(story, reader, now, mailoutbox):
    story("Ten days old", published_at=now - 10 * DAY)
    call_command("send_newsletter")
    assert mailoutbox == []

    since = (now - 11 * DAY).date().isoformat()
    call_command("send_newsletter", "--since", since)

    assert "Ten days old" in mailoutbox[0].body


def test_since_takes_a_datetime_with_a_zone(story, now, mailoutbox):
    story("Two hours old", published_at=now - 2 * HOUR)
    story("Thirty minutes old", published_at=now - HOUR / 2)

    since = (now - HOUR).isoformat()
    call_command("send_newsletter", "--since", since, "--to", "reader@example.com")

    assert "Thirty minutes old" in mailoutbox[0].body
    assert "Two hours old" not in mailoutbox[0].body


# --- test sends ----------------------------------------------------------------------------------


def test_a_test_send_records_nothing_and_the_next_run_still_sends_the_items(
    catalogue, reader, capsys, mailoutbox
):
    call_command("send_newsletter", "--to", "me@example.com")

    assert "nothing was recorded" in capsys.readouterr().out
    assert [message.to for message in mailoutbox] == [["me@example.com"]]
    assert not Digest.objects.exists()
    assert not DigestItem.objects.exists()
    assert not Delivery.objects.exists()

    call_command("send_newsletter")

    assert mailoutbox[1].to == ["reader@example.com"]
    assert "Visible story" in mailoutbox[1].body
    assert DigestItem.objects.get().article == catalogue["visible"]


def test_the_help_says_a_test_send_records_nothing():
    help_text = Command().create_parser("manage.py", "send_newsletter").format_help()

    assert "A test send" in help_text
    assert "record nothing" in help_text


def test_a_test_send_goes_to_the_given_addresses_alone(catalogue, mailoutbox):
    Subscriber.objects.create(email="subscriber@example.com")

    call_command("send_newsletter", "--to", "a@example.com", "b@example.com")

    assert sorted(message.to[0] for message in mailoutbox) == ["a@example.com", "b@example.com"]


def test_a_test_send_leaves_pending_deliveries_alone(story, reader, now, mailoutbox):
    record_digest([story("Recorded story")], recipients(), at=now)
    story("Newer story")

    result = send_test(to=["me@example.com"], at=now)

    assert [message.to for message in mailoutbox] == [["me@example.com"]]
    assert [a.headline for a in result.items] == ["Newer story"]
    assert Delivery.objects.pending().get().address == reader.email
    assert Digest.objects.count() == 1


def test_a_refused_test_address_is_named_and_nothing_is_recorded(catalogue, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    with pytest.raises(CommandError, match="bounce@example.com: 550") as error:
        call_command("send_newsletter", "--to", "me@example.com", "bounce@example.com")

    assert error.value.returncode == 1
    assert [message.to for message in mailoutbox] == [["me@example.com"]]
    assert not Digest.objects.exists()


def test_a_failed_test_send_says_nothing_was_recorded(catalogue, monkeypatch):
    def refuse(self, messages):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)

    with pytest.raises(CommandError, match="Connection refused.*nothing was recorded"):
        call_command("send_newsletter", "--to", "me@example.com")

    assert not Digest.objects.exists()


# --- the command ---------------------------------------------------------------------------------


def test_nothing_new_sends_nothing(reader, capsys, mailoutbox):
    call_command("send_newsletter")

    assert "Nothing new to send" in capsys.readouterr().out
    assert mailoutbox == []
    assert not Digest.objects.exists()


def test_the_command_sends_the_digest(catalogue, reader, capsys, mailoutbox):
    call_command("send_newsletter")

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


def test_a_dry_run_says_which_pending_deliveries_a_run_would_finish_and_makes_none(
    story, reader, now, capsys, mailoutbox
):
    story("Recorded story", published_at=now - HOUR)
    recorded = record_digest(digest_items(since=now - DAY, at=now), recipients(), at=now)
    story("Newer story", published_at=now)

    call_command("send_newsletter", "--dry-run")

    out = capsys.readouterr().out
    assert f"First, 1 pending delivery of “{recorded.subject}” would be made." in out
    assert mailoutbox == []
    assert Delivery.objects.pending().count() == 1


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
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
    assert Delivery.objects.get().subscriber is None


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


def test_a_subscriber_address_is_unique_whatever_its_case(db):
    Subscriber.objects.create(email="Reader@Example.com")

    with pytest.raises(IntegrityError):
        Subscriber.objects.create(email="reader@example.com")


# --- unsubscribing -------------------------------------------------------------------------------


def test_a_subscribers_copy_carries_its_unsubscribe_link_in_a_header_and_both_parts(
    catalogue, reader, now, mailoutbox, settings
):
    settings.SITE_URL = "https://news.example.com"
    other = Subscriber.objects.create(email="other@example.com")

    send_digest(at=now)

    mine, theirs = mailoutbox[1], mailoutbox[0]
    # The token carries the time it was signed, so the link is read back, not made again.
    url = mine.extra_headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    prefix = "https://news.example.com/newsletter/unsubscribe/"
    assert url.startswith(prefix)
    assert unsubscribe_url(reader.pk).startswith(prefix)
    mine_token = url.removeprefix(prefix).strip("/")
    assert signing.loads(mine_token, salt=digest.UNSUBSCRIBE_SALT) == reader.pk
    assert mine.to == [reader.email]
    assert mine.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mine.message()["List-Unsubscribe"] == f"<{url}>"
    assert url in mine.body
    assert f'<a href="{url}">unsubscribe</a>' in mine.alternatives[0][0]
    theirs_url = theirs.extra_headers["List-Unsubscribe"].removeprefix("<").removesuffix(">")
    token = theirs_url.removeprefix(prefix).strip("/")
    assert signing.loads(token, salt=digest.UNSUBSCRIBE_SALT) == other.pk
    assert url not in theirs.body


def test_following_the_link_asks_to_confirm_and_does_not_unsubscribe(client, reader):
    response = client.get(reverse("newsletter:unsubscribe", args=[unsubscribe_token(reader.pk)]))

    page = response.content.decode()
    reader.refresh_from_db()
    assert response.status_code == 200
    assert reader.active
    assert '<form method="post">' in page
    assert "reader@example.com" in page
    assert "no-store" in response.headers["Cache-Control"]


def test_confirming_unsubscribes_that_subscriber_alone(client, reader):
    other = Subscriber.objects.create(email="other@example.com")

    response = client.post(reverse("newsletter:unsubscribe", args=[unsubscribe_token(reader.pk)]))

    reader.refresh_from_db()
    other.refresh_from_db()
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert not reader.active
    assert other.active


def test_the_link_in_the_digest_unsubscribes_with_a_one_click_post_and_no_csrf_token(
    catalogue, reader, now, mailoutbox, settings
):
    settings.SITE_URL = "https://news.example.com"
    send_digest(at=now)
    url = mailoutbox[0].message()["List-Unsubscribe"].strip("<>")
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        url.removeprefix("https://news.example.com"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    reader.refresh_from_db()
    assert response.status_code == 200
    assert not reader.active


def test_an_unsubscribed_address_gets_no_further_digest(story, reader, client, now, mailoutbox):
    Subscriber.objects.create(email="other@example.com")
    client.post(reverse("newsletter:unsubscribe", args=[unsubscribe_token(reader.pk)]))
    story("After unsubscribing", published_at=now - HOUR)

    send_digest(at=now)

    assert [message.to for message in mailoutbox] == [["other@example.com"]]


@pytest.mark.parametrize(
    "token",
    [
        "tampered",
        "cut-short",
        "other-salt",
    ],
)
def test_a_bad_token_is_refused_with_400_and_a_clear_message(client, reader, token):
    good = unsubscribe_token(reader.pk)
    token = {
        "tampered": good[:-1] + ("A" if good[-1] != "A" else "B"),
        "cut-short": good[: len(good) // 2],
        "other-salt": signing.dumps(reader.pk),
    }[token]

    for method in (client.get, client.post):
        response = method(reverse("newsletter:unsubscribe", args=[token]))

        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    reader.refresh_from_db()
    assert reader.active


def test_a_link_for_a_deleted_subscriber_says_there_is_no_such_subscription(client, reader):
    token = unsubscribe_token(reader.pk)
    reader.delete()

    response = client.post(reverse("newsletter:unsubscribe", args=[token]))

    assert response.status_code == 404
    assert "No such subscription" in response.content.decode()


def test_the_unsubscribe_page_refuses_other_methods(client, reader):
    response = client.put(reverse("newsletter:unsubscribe", args=[unsubscribe_token(reader.pk)]))

    assert response.status_code == 405


def test_the_unsubscribe_page_is_the_sites_page_with_no_inline_script_or_style(client, reader):
    response = client.get(reverse("newsletter:unsubscribe", args=[unsubscribe_token(reader.pk)]))

    page = response.content.decode().lower()
    assert 'class="masthead' in page
    assert "<script" not in page
    assert "<style" not in page
    assert " style=" not in page
    assert "noindex" in page


# --- email settings from the environment ---------------------------------------------------------

SETTINGS = Path(__file__).resolve().parents[2] / "newsroom" / "settings.py"
EMAIL_VARIABLES = [
    "DEBUG",
    "EMAIL_HOST",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "DEFAULT_FROM_EMAIL",
    "NEWSLETTER_LOOKBACK_DAYS",
]


def settings_with(monkeypatch, **environ: str) -> dict:
    """The settings module as it reads this environment."""
    for name in EMAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "test-only-key")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_email_defaults_print_to_the_console_in_development(monkeypatch):
    found = settings_with(monkeypatch)

    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert found["EMAIL_TIMEOUT"] == 30
    assert (found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (False, False)
    assert found["DEFAULT_FROM_EMAIL"] == "newsroom@localhost"
    assert found["NEWSLETTER_LOOKBACK_DAYS"] == 7


def test_email_settings_are_read_from_the_environment(monkeypatch):
    found = settings_with(
        monkeypatch,
        EMAIL_HOST="smtp.example.com",
        EMAIL_USE_SSL="true",
        EMAIL_TIMEOUT="12.5",
        DEFAULT_FROM_EMAIL="Desk <desk@example.com>",
        NEWSLETTER_LOOKBACK_DAYS="3",
    )

    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["EMAIL_USE_SSL"] is True
    assert found["EMAIL_TIMEOUT"] == 12.5
    assert found["DEFAULT_FROM_EMAIL"] == "Desk <desk@example.com>"
    assert found["NEWSLETTER_LOOKBACK_DAYS"] == 3


def test_tls_and_ssl_together_are_refused_naming_both(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS and EMAIL_USE_SSL"):
        settings_with(monkeypatch, EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EMAIL_TIMEOUT", "soon"),
        ("EMAIL_TIMEOUT", "0"),
        ("EMAIL_TIMEOUT", "nan"),
        ("NEWSLETTER_LOOKBACK_DAYS", "-1"),
        ("NEWSLETTER_LOOKBACK_DAYS", "2.5"),
        ("NEWSLETTER_LOOKBACK_DAYS", "100000"),
    ],
)
def test_a_bad_number_is_refused_naming_the_variable_and_value(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured, match=f"{name} must be .*“{re.escape(value)}”"):
        settings_with(monkeypatch, **{name: value})


# --- the admin -----------------------------------------------------------------------------------


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


@pytest.mark.parametrize("count", [3, 30])
def test_the_preview_costs_the_same_queries_for_3_items_as_for_30(
    client, staff, story, now, count, django_assert_max_num_queries
):
    for n in range(count):
        story(f"Story {n}", published_at=now - HOUR - n * datetime.timedelta(minutes=1))
    client.force_login(staff)

    # The session, the user, two for permissions, the items, their bylines and the people.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("admin:newsletter_digest_preview"))

    assert f"{count} stories" in response.content.decode()


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


def test_a_sent_digest_shows_its_items_read_only_in_the_admin(admin_client, catalogue, reader, now):
    digest = send_digest(at=now).digest

    response = admin_client.get(reverse("admin:newsletter_digest_change", args=[digest.pk]))

    assert response.status_code == 200
    assert "Visible story" in response.content.decode()


def test_the_admin_lists_refused_deliveries_with_the_servers_answer(
    admin_client, catalogue, refusing, now
):
    send_digest(at=now)

    response = admin_client.get(
        reverse("admin:newsletter_delivery_changelist"), {"error__isempty": "0"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "bounce@example.com" in page
    assert "No such user" in page
    assert "a@example.com" not in page


@pytest.mark.parametrize("count", [3, 30])
def test_building_a_digest_costs_the_same_queries_for_3_items_as_for_30(
    story, now, count, django_assert_max_num_queries
):
    for n in range(count):
        story(f"Story {n}", published_at=now - HOUR - n * datetime.timedelta(minutes=1))

    with django_assert_max_num_queries(3):
        content = render_digest(digest_items(since=now - DAY, at=now), at=now)

    assert content.subject.endswith(f"{count} stories")
