"""`manage.py send_rights_digest`: the weekly warning of licences and items' rights ending within
7 and 30 days, to the rights managers."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.desks import rights_digest
from tests.factories import member

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def endings(make_article, make_source, make_licence, now):
    wire = make_source("Example Wire")
    make_licence(wire, reference="REF-SOON", valid_until=now + 2 * DAY)
    make_licence(wire, reference="REF-LATER", valid_until=now + 25 * DAY)
    make_licence(wire, reference="REF-FAR", valid_until=now + 40 * DAY)
    make_article(headline="Ends on Friday", rights_expire_at=now + 3 * DAY)
    make_article(headline="Ends this month", rights_expire_at=now + 20 * DAY)
    make_article(headline="Ends next quarter", rights_expire_at=now + 80 * DAY)
    make_article(headline="Withdrawn, ends soon", rights_expire_at=now + DAY, status="withdrawn")


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_rights_digest", *args, stdout=out)
    return out.getvalue()


def test_the_digest_splits_what_ends_within_a_week_from_what_ends_within_a_month(endings, now):
    digest = rights_digest(at=now)
    assert [a.headline for a in digest.items_soon] == ["Ends on Friday"]
    assert [a.headline for a in digest.items_later] == ["Ends this month"]
    assert [(e.licence.reference, e.soon) for e in digest.licences] == [
        ("REF-SOON", True),
        ("REF-LATER", False),
    ]
    assert digest.subject == "Rights ending: 2 within 7 days, 4 within 30"
    text = digest.text(site_url="https://news.example")
    assert "REF-SOON" in text and "within 7 days" in text and "REF-FAR" not in text
    assert "https://news.example/admin/articles/article/" in text
    assert "next quarter" not in text and "Withdrawn" not in text


def test_it_goes_to_the_rights_managers_and_superusers_with_an_address(endings, settings):
    rosa = member("Rights manager", username="rosa")
    rosa.email = "rosa@news.example"
    rosa.save()
    member("Rights manager", username="noaddress")
    ed = member("Editor", username="ed")
    ed.email = "ed@news.example"
    ed.save()
    chief = member(None, username="chief")
    chief.email, chief.is_superuser = "chief@news.example", True
    chief.save()

    out = run()

    (message,) = mail.outbox
    assert sorted(message.to) == ["chief@news.example", "rosa@news.example"]
    assert message.subject.startswith("Rights ending: 2 within 7 days")
    assert "Ends on Friday" in message.body
    assert "Sent" in out


def test_to_names_the_addresses_and_dry_run_sends_nothing(endings):
    out = run("--dry-run", "--to", "desk@news.example")
    assert mail.outbox == []
    assert "To: desk@news.example" in out and "Ends on Friday" in out
    run("--to", "desk@news.example")
    assert [m.to for m in mail.outbox] == [["desk@news.example"]]


def test_nothing_ending_sends_nothing_unless_asked(db):
    assert "no digest sent" in run("--to", "desk@news.example")
    assert mail.outbox == []
    run("--to", "desk@news.example", "--even-if-empty")
    assert "- none" in mail.outbox[0].body


def test_no_one_to_send_it_to_is_an_error_that_says_what_to_do(endings):
    with pytest.raises(CommandError, match="--to"):
        run()
    assert mail.outbox == []
