"""The desk's words: countries, people, times, rights bases, revisions and each audit action's
detail as a sentence, never a Python or JSON rendering."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.actions.base import record_refusal
from articles.admin import sentences, wording
from articles.audit import AuditEntry
from articles.models import Article, Licence, Source
from articles.rights import clearance
from articles.vocabulary import Right
from tests.factories import member

Action = AuditEntry.Action
NOTICE = "Copyright 2026 Reuters. All rights reserved."


def entry(action: str, detail, *, reason: str = "", actor=None, **links) -> AuditEntry:
    return AuditEntry(action=action, detail=detail, reason=reason, actor=actor, **links)


# --- countries and places -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("only", "but", "said"),
    [
        ({"GB", "IE"}, set(), "Only in Ireland and the United Kingdom"),
        (set(), {"US"}, "Anywhere but the United States"),
        (set(), set(), "Anywhere"),
        ({"DE", "AT", "CH"}, set(), "Only in Austria, Germany and Switzerland"),
        ({"FR"}, {"GB", "IE"}, "Only in France, and not in Ireland or the United Kingdom"),
    ],
)
def test_territories_are_said_as_country_names(only, but, said):
    assert wording.where(only, but) == said


def test_an_unknown_country_code_is_shown_as_it_is():
    assert wording.where({"ZZ"}, ()) == "Only in ZZ"


def test_territories_print_as_their_codes_wherever_a_page_shows_them_as_they_are():
    assert str(Article(territories="ie, gb").territories) == "GB, IE"
    assert str(Article().excluded_territories) == ""


def test_an_empty_set_of_territories_is_never_a_python_repr():
    assert wording.value("territories", frozenset()) == "none"
    assert "frozenset" not in wording.field_change("territories", [], ["GB"])
    assert wording.field_change("territories", [], ["GB"]) == (
        "where it may go: Anywhere → Only in the United Kingdom"
    )


# --- people, times, empty values --------------------------------------------------------------


def test_a_user_is_named_by_full_name_then_username_and_nobody_is_the_system():
    assert wording.person(User(username="jroe", first_name="Jane", last_name="Roe")) == "Jane Roe"
    assert wording.person(User(username="jroe")) == "jroe"
    assert wording.person(None) == "the system"
    assert wording.person(None, nobody="ingest") == "ingest"


def test_a_username_is_never_made_possessive():
    assert wording.decider(User(username="rights"), "override") == "an override by rights"
    assert wording.decider(User(username="x", first_name="Jane", last_name="Roe"), "override") == (
        "Jane Roe's override"
    )
    assert wording.possessive("Reuters") == "Reuters'"


def test_a_moment_is_a_local_date_with_how_far_it_is(now):
    assert wording.moment(now + datetime.timedelta(hours=5), now=now).endswith("UTC (in 5 h)")
    assert wording.moment(now - datetime.timedelta(days=3), now=now).endswith("(3 d ago)")
    assert wording.moment(None) == wording.DASH


@pytest.mark.parametrize(
    ("field", "raw", "said"),
    [
        ("embargo_until", None, "–"),
        ("copyright_holder", "", "–"),
        ("no_archive", True, "yes"),
        ("status", "review", "in review"),
        ("rights_expire_at", "2026-12-03T14:05:00+00:00", "3 Dec 2026, 14:05 UTC"),
        ("keywords", ["b", "a"], "a, b"),
    ],
)
def test_values_are_said_in_words(field, raw, said):
    assert wording.value(field, raw) == said


def test_a_body_change_is_summarised_not_truncated():
    old = "<p>One two three.</p><p>Four five.</p><p>Six.</p>"
    new = "<p>One two three.</p><p>Four five and more words here.</p><p>Seven.</p>"
    assert wording.text_change("body", old, new) == (
        "body: 2 paragraphs changed, 6 words added, 2 words removed"
    )
    assert wording.text_change("body", "<p>Same</p><p>Two</p>", "<p>Same</p>\n<p>Two</p>") == (
        "body: spacing or markup changed"
    )


def test_a_short_text_change_is_shown_whole():
    said = wording.text_change("editor_note", "Note 8", "Note 9")
    assert said == "editor's note: Note 8 → Note 9"
    assert wording.text_change("standfirst", "", "<p>New</p>") == "standfirst: – → New"


# --- rights bases -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_basis_is_said_as_an_editor_would(make_article, make_source, now):
    source = make_source("Reuters")
    licence = Licence.objects.create(source=source, reference="REF-1", grants_publish=True)
    article = make_article(
        source=source,
        licence=licence,
        rights_basis={"publish": "licence", "broadcast": "notice", "rewrite": "override"},
    )
    decided = entry(Action.OVERRIDE, {}, actor=User(first_name="Jane", last_name="Roe"))
    decided.at = now.replace(month=12, day=2)
    assert wording.basis_phrase(article, Right.PUBLISH) == "from the licence REF-1"
    assert wording.basis_phrase(article, Right.BROADCAST) == "from the notice in the copy"
    assert wording.basis_phrase(article, Right.REWRITE, by_hand=decided) == (
        "granted by Jane Roe's override on 2 Dec"
    )
    assert wording.basis_phrase(article, Right.REDISTRIBUTE) == "no recorded basis"
    staff = make_article(source=make_source(kind=Source.Kind.STAFF))
    assert wording.basis_phrase(staff, Right.PUBLISH) == "staff copy"


# --- the audit log: one sentence per action ---------------------------------------------------


def test_a_refusal_says_which_right_and_why():
    refused = entry(
        Action.REFUSAL,
        {"right": "publish", "reasons": [f"Reuters' notice forbids publication (“{NOTICE}”)."]},
    )
    assert sentences.audit_sentence(refused) == (
        f"Publication refused: Reuters' notice forbids publication (“{NOTICE}”)."
    )


def test_a_refused_live_edit_names_its_fields():
    detail = {"right": "rewrite", "reasons": ["Shared."], "fields": ["body"]}
    refused = entry(Action.REFUSAL, detail)
    assert sentences.audit_sentence(refused) == "Edit of the live body refused: Shared."


def test_a_rights_change_says_what_was_granted_and_withheld():
    changed = entry(
        Action.RIGHTS_CHANGE,
        {"changes": {"may_publish": [False, True], "may_rewrite": [True, False]}},
    )
    assert sentences.audit_sentence(changed) == "Rights changed: publish granted; rewrite withheld."


def test_a_source_suspension_is_said_of_the_source():
    source = Source(name="Meridian")
    assert sentences.audit_sentence(entry(Action.RIGHTS_CHANGE, {"suspended": True}, source=source))
    assert "Source Meridian suspended" in sentences.audit_sentence(
        entry(Action.RIGHTS_CHANGE, {"suspended": True}, source=source)
    )
    assert "reinstated" in sentences.audit_sentence(
        entry(Action.RIGHTS_CHANGE, {"suspended": False}, source=source)
    )


def test_an_ingest_says_the_file_the_format_and_the_version():
    ingested = entry(
        Action.INGEST,
        {"guid": "urn:1", "wire_version": 3, "rights": {"publish": "licence"}},
        reason="Created from dpa-123.xml (newsml).",
    )
    assert sentences.audit_sentence(ingested) == (
        "Ingested: created from dpa-123.xml (newsml), version 3; its rights: publish from our "
        "licence."
    )
    assert sentences.actor(ingested) == "ingest"


def test_a_publication_says_when_and_from_what():
    assert sentences.audit_sentence(
        entry(Action.PUBLISH, {"from": "draft", "to": "published"})
    ) == ("Published (was draft).")
    scheduled = entry(
        Action.PUBLISH,
        {"from": "review", "to": "scheduled", "published_at": "2030-06-01T12:00:00+00:00"},
    )
    assert sentences.audit_sentence(scheduled) == (
        "Scheduled for 1 Jun 2030, 12:00 UTC (was in review)."
    )


def test_an_override_names_who_and_what_it_overrode():
    overridden = entry(
        Action.OVERRIDE,
        {"right": "publish", "overridden": ["Nothing grants publication."], "changes": {}},
        actor=User(username="rights"),
    )
    assert sentences.audit_sentence(overridden) == (
        "Refusal overridden by rights: publication granted over the refusal: "
        "Nothing grants publication."
    )


def test_a_licence_change_counts_the_items_derived_again():
    licence = Licence(source=Source(name="Meridian"), reference="L-9")
    changed = entry(Action.LICENCE_CHANGE, {"licence": 1, "items": [1, 2]}, licence=licence)
    assert sentences.audit_sentence(changed) == (
        "Meridian licence L-9 changed: the rights of 2 items were derived again."
    )


@pytest.mark.parametrize(
    ("action", "said"),
    [
        (Action.WITHDRAW, "Withdrawn (was published)."),
        (Action.KILL, "Killed (was published)."),
        (Action.REVIEW, "Submitted for review (was draft)."),
        (Action.DRAFT, "Returned to draft (was in review)."),
    ],
)
def test_each_move_says_where_it_came_from(action, said):
    was = {Action.REVIEW: "draft", Action.DRAFT: "review"}.get(action, "published")
    assert sentences.audit_sentence(entry(action, {"from": was, "to": action})) == said


def test_every_action_has_its_own_sentence():
    assert set(sentences.SENTENCES) == set(Action.values)


@pytest.mark.parametrize("detail", [[1, 2], "text", {"right": "flying"}, None, {"reasons": 5}])
def test_a_refusal_of_an_unexpected_shape_falls_back_to_its_label(detail):
    assert sentences.audit_sentence(entry(Action.REFUSAL, detail)) == "Publication refused."


@pytest.mark.parametrize("detail", [[1, 2], {"changes": "not a mapping"}, {"changes": {"x": 1}}])
def test_a_rights_change_of_an_unexpected_shape_falls_back_to_its_label(detail):
    assert sentences.audit_sentence(entry(Action.RIGHTS_CHANGE, detail)) == "Rights changed."


def test_an_action_the_desk_does_not_know_is_said_by_its_name():
    assert sentences.audit_sentence(entry("archived", {"x": 1})) == "archived."


# --- the audit log's pages ----------------------------------------------------------------------


@pytest.fixture
def logged(db, restricted):

    return record_refusal(restricted, clearance(restricted, Right.PUBLISH), by=None)


def test_the_audit_list_shows_sentences_not_json(client, logged):
    client.force_login(member("Editor"))
    text = client.get(reverse("admin:articles_auditentry_changelist")).content.decode()
    assert "Publication refused: Anadolu Agency&#x27;s notice forbids publication" in text
    assert "&quot;reasons&quot;" not in text and '"reasons"' not in text
    assert "the system" in text


def test_the_audit_entry_keeps_its_data_behind_a_disclosure(client, logged):
    client.force_login(member("Rights manager"))
    url = reverse("admin:articles_auditentry_change", args=[logged.pk])
    text = client.get(url).content.decode()
    before, disclosure = text.split('<details class="nr-as-data">')
    assert "&quot;reasons&quot;" not in before
    assert "&quot;reasons&quot;" in disclosure.split("</details>")[0]
    assert "Publication refused, " in before  # the subtitle, in words
    assert "as above" in before  # the reason is the sentence's, not said twice


def test_the_audit_list_costs_the_same_queries_for_1_entry_as_for_20(client, logged, restricted):
    client.force_login(member("Editor"))
    url = reverse("admin:articles_auditentry_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(19):
        record_refusal(restricted, clearance(restricted, Right.PUBLISH), by=member("Editor"))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
