"""The rights panel in words: the notice once, the terms it gave, where the item may go, and for
each right whether it is granted and from where, naming who decided by hand and when."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.admin.panels import rights_panel
from articles.models import Article
from tests.factories import AA_NOTICE, member


def test_the_notice_is_quoted_once_whatever_the_rights_it_withholds(restricted):
    Article.objects.filter(pk=restricted.pk).update(
        may_broadcast=False,
        may_rewrite=False,
        may_redistribute=False,
        rights_basis=dict.fromkeys(("publish", "broadcast", "rewrite", "redistribute"), "notice"),
    )
    restricted.refresh_from_db()
    text = rights_panel(restricted)
    assert text.count(AA_NOTICE.split(".")[1].strip()) == 1
    assert text.count("notice forbids") == 4  # once per right, without the quotation


def test_the_panel_says_where_the_item_may_go_in_country_names(restricted):
    Article.objects.filter(pk=restricted.pk).update(territories=",GB,IE,")
    restricted.refresh_from_db()
    assert "Only in Ireland and the United Kingdom." in rights_panel(restricted)
    assert "GB" not in rights_panel(restricted)


def test_an_override_names_the_rights_manager_and_the_day(restricted):
    rosa = member("Rights manager", username="rights")
    rosa.first_name, rosa.last_name = "Rosa", "Diaz"
    rosa.save()
    restricted.override(by=rosa, reason="Licence agreed by phone.")
    restricted.refresh_from_db()
    text = rights_panel(restricted)
    today = timezone.localtime().strftime("%-d %b")
    assert f"granted by Rosa Diaz&#x27;s override on {today}" in text
    assert "rights&#x27;s" not in text


def test_reasons_true_of_every_right_are_said_once(restricted):
    Article.objects.filter(pk=restricted.pk).update(
        rights_expire_at=timezone.now() - datetime.timedelta(days=1)
    )
    restricted.refresh_from_db()
    text = rights_panel(restricted)
    assert text.count("Its rights expired at") == 1
    assert "For every right: Its rights expired at" in text
    assert "Not public now: It is a draft." in text


def test_the_panel_costs_one_query_for_who_decided(restricted):
    rights_panel(restricted)  # the source is loaded once
    with CaptureQueriesContext(connection) as queries:
        rights_panel(restricted)
    assert len(queries) <= 2  # who decided by hand, and the source's licence if any
