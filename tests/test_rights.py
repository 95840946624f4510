"""Every rule of the policy with its reason, and how rights derive from notice, licence and kind."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, AuditEntry, Source
from articles.notices import CopyTerms, KnownLicence, Notice, parse_notice
from articles.rights import (
    Decision,
    Right,
    clearance,
    decide,
    derive_rights,
    normalise_country,
    refusal_status,
    shown_to_some_readers,
)
from articles.vocabulary import CHANNEL_RIGHTS, Channel
from tests.factories import AA_NOTICE

HOUR = datetime.timedelta(hours=1)


def permitted(article: Article, *rights: Right, **kwargs) -> bool:
    return Article.objects.permitting(*rights, **kwargs).filter(pk=article.pk).exists()


def test_a_published_settled_item_with_all_rights_is_allowed_on_both_faces(make_article):
    article = make_article()
    for right in Right:
        assert decide(article, right) == Decision(allowed=True, reasons=())
        assert permitted(article, right)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("draft", "It is a draft."),
        ("review", "It is in review, not published."),
        ("withdrawn", "It was withdrawn."),
        ("killed", "It was killed."),
    ],
)
def test_unpublished_workflow_states_are_denied_with_their_reason(make_article, status, reason):
    article = make_article(status=status)
    decision = decide(article, Right.PUBLISH)
    assert not decision.allowed
    assert reason in decision.reasons
    assert not permitted(article, Right.PUBLISH)


def test_a_scheduled_item_goes_live_on_the_second_of_its_publication_time(make_article, now):
    article = make_article(status="scheduled", published_at=now + HOUR)
    assert not decide(article, Right.PUBLISH, at=now).allowed
    assert "scheduled for" in decide(article, Right.PUBLISH, at=now).explanation
    assert not permitted(article, Right.PUBLISH, at=now)
    assert not permitted(article, Right.PUBLISH, at=now + HOUR - datetime.timedelta(seconds=1))
    assert decide(article, Right.PUBLISH, at=now + HOUR).allowed
    assert permitted(article, Right.PUBLISH, at=now + HOUR)


def test_an_embargo_lifts_on_the_second_with_nothing_scheduled(make_article, now):
    article = make_article(embargo_until=now + HOUR)
    before = decide(article, Right.PUBLISH, at=now + HOUR - datetime.timedelta(seconds=1))
    assert not before.allowed
    assert any("embargoed until" in r for r in before.reasons)
    assert not permitted(article, Right.PUBLISH, at=now + HOUR - datetime.timedelta(seconds=1))
    assert decide(article, Right.PUBLISH, at=now + HOUR).allowed
    assert permitted(article, Right.PUBLISH, at=now + HOUR)


def test_an_expiry_takes_the_item_down_on_the_second(make_article, now):
    article = make_article(rights_expire_at=now + HOUR)
    assert permitted(article, Right.PUBLISH, at=now + HOUR - datetime.timedelta(seconds=1))
    assert not permitted(article, Right.PUBLISH, at=now + HOUR)
    decision = decide(article, Right.PUBLISH, at=now + HOUR)
    assert any("rights expired" in r for r in decision.reasons)


def test_a_suspended_source_hides_its_items_and_names_the_source(make_article, make_source):
    source = make_source("Wire Co", suspended=True)
    article = make_article(source=source)
    decision = decide(article, Right.PUBLISH)
    assert "Its source, Wire Co, is suspended." in decision.reasons
    assert not permitted(article, Right.PUBLISH)


def test_unsettled_rights_are_denied_and_quote_the_usage_terms(make_article):
    article = make_article(rights_settled=False, usage_terms="Olympic use only")
    decision = decide(article, Right.PUBLISH)
    assert not decision.allowed
    assert any("not settled" in r and "Olympic use only" in r for r in decision.reasons)
    assert not permitted(article, Right.PUBLISH)


@pytest.mark.parametrize("right", list(Right))
def test_each_right_is_needed_by_the_channel_that_needs_it(make_article, right):
    article = make_article(**{f"may_{right.value}": False})
    assert not decide(article, right).allowed
    assert not permitted(article, right)
    assert not permitted(article, Right.PUBLISH, right)
    for other in set(Right) - {right}:
        assert decide(article, other).allowed
        assert permitted(article, other)


def test_a_notice_refusal_names_the_holder_the_notice_and_the_remedy(make_article, make_source):
    source = make_source("Anadolu Agency")
    article = make_article(
        source=source,
        may_publish=False,
        copyright_holder="Anadolu Agency",
        copyright_notice=AA_NOTICE,
        rights_basis={"publish": "notice"},
    )
    (reason,) = decide(article, Right.PUBLISH).reasons
    assert reason.startswith("Anadolu Agency's notice forbids publication")
    assert AA_NOTICE in reason
    assert "licence from Anadolu Agency" in reason


@pytest.mark.parametrize(
    ("country", "allowed"), [("GB", True), ("ie", True), ("US", False), (None, False), ("", False)]
)
def test_territory_limits_admit_only_readers_inside_them(make_article, country, allowed):
    article = make_article(territories={"GB", "IE"})
    assert decide(article, Right.PUBLISH, country=country).allowed is allowed
    assert permitted(article, Right.PUBLISH, country=country) is allowed


@pytest.mark.parametrize(
    ("fields", "some"),
    [
        ({"territories": {"GB"}}, True),
        ({"excluded_territories": {"GB"}}, True),
        ({"territories": {"GB"}, "excluded_territories": {"IE"}}, True),
        ({}, False),  # shown to everyone: not to some only
        ({"territories": {"GB"}, "may_publish": False}, False),  # shown to no one
        ({"territories": {"GB"}, "embargo_until": "later"}, False),
    ],
)
def test_shown_to_some_readers_is_a_territory_limit_with_nothing_else_in_the_way(
    make_article, now, fields, some
):
    if fields.get("embargo_until") == "later":
        fields["embargo_until"] = now + datetime.timedelta(hours=1)
    article = make_article(**fields)
    assert shown_to_some_readers(article, Right.PUBLISH, at=now) is some
    if some:  # then an unknown country is refused, and some known one is let through
        assert not decide(article, Right.PUBLISH, at=now, country=None).allowed
        assert any(decide(article, Right.PUBLISH, at=now, country=c).allowed for c in ("GB", "FR"))


def test_an_unknown_country_is_outside_every_territory_limit_and_says_so(make_article):
    article = make_article(territories={"GB"})
    decision = decide(article, Right.PUBLISH, country=None)
    assert "It may be shown only in GB, and the reader's country is unknown." in decision.reasons


@pytest.mark.parametrize(
    ("country", "allowed"),
    [("GB", False), ("ie", False), ("FR", True), ("US", True), (None, False), ("XX", False)],
)
def test_excluded_territories_admit_readers_anywhere_but_there(make_article, country, allowed):
    """ "Not for use in the UK or Ireland": anywhere else, and never to a reader from nowhere."""
    article = make_article(excluded_territories={"GB", "IE"})
    assert decide(article, Right.PUBLISH, country=country).allowed is allowed
    assert permitted(article, Right.PUBLISH, country=country) is allowed


def test_a_reader_in_an_excluded_country_is_told_where_the_item_may_not_go(make_article):
    article = make_article(excluded_territories={"GB", "IE"})
    (reason,) = decide(article, Right.PUBLISH, country="IE").reasons
    assert reason == "It may not be shown in GB, IE, and the reader is in IE."


def test_an_unknown_country_is_refused_where_rights_exclude_any_and_says_why(make_article):
    article = make_article(excluded_territories={"GB"})
    (reason,) = decide(article, Right.PUBLISH, country=None).reasons
    assert reason == (
        "It may not be shown in GB, and the reader's country is unknown: unknown means denied."
    )


def test_limits_and_exclusions_apply_together(make_article):
    article = make_article(territories={"GB", "IE"}, excluded_territories={"IE"})
    assert permitted(article, Right.PUBLISH, country="GB")
    assert decide(article, Right.PUBLISH, country="GB").allowed
    assert not permitted(article, Right.PUBLISH, country="IE")
    assert not decide(article, Right.PUBLISH, country="IE").allowed


def test_an_excluded_code_that_is_a_substring_of_the_stored_list_excludes_nothing(make_article):
    article = make_article(excluded_territories={"GB", "BE"})
    assert permitted(article, Right.PUBLISH, country="BB")
    assert permitted(article, Right.PUBLISH, country="EB")


def test_a_rights_window_opens_on_the_second_with_nothing_scheduled(make_article, now):
    article = make_article(rights_start_at=now + HOUR)
    before = now + HOUR - datetime.timedelta(seconds=1)
    decision = decide(article, Right.PUBLISH, at=before)
    assert decision.reasons == (f"Its rights window opens at {now + HOUR:%Y-%m-%d %H:%M} UTC.",)
    assert not permitted(article, Right.PUBLISH, at=before)
    assert refusal_status(article, at=before) == 404
    assert decide(article, Right.PUBLISH, at=now + HOUR).allowed
    assert permitted(article, Right.PUBLISH, at=now + HOUR)


def test_a_window_not_yet_open_does_not_stop_publication(make_article, now):
    """Like an embargo: the publish gate judges the item's rights, the window keeps it hidden."""
    article = make_article(rights_start_at=now + HOUR)
    assert clearance(article, Right.PUBLISH, at=now).allowed


def test_a_notice_excluding_territories_derives_them_and_says_so(make_source):
    notice = parse_notice("Not for use in the UK or Ireland.")
    derived = derive_rights(source=make_source(), terms=CopyTerms(notice))
    assert derived.excluded_territories == {"GB", "IE"}
    assert derived.territories == frozenset()
    assert derived.settled
    assert "Not in GB, IE." in derived.explanation


def test_exclusions_that_cover_every_territory_the_item_is_limited_to_leave_it_unsettled(
    make_source,
):
    notice = parse_notice("For use in the UK only. Not for use in the UK.")
    derived = derive_rights(source=make_source(), terms=CopyTerms(notice))
    assert not derived.settled
    assert "a rights manager must decide" in derived.explanation


def test_the_copy_window_start_is_the_items(make_source, now):
    derived = derive_rights(source=make_source(), terms=CopyTerms(ARR_NOTICE, start_at=now + HOUR))
    assert derived.start_at == now + HOUR
    assert "window opens" in derived.explanation


def test_a_country_code_that_is_a_substring_of_the_stored_list_does_not_match(make_article):
    article = make_article(territories={"GB", "BE"})
    assert not permitted(article, Right.PUBLISH, country="BB")
    assert not permitted(article, Right.PUBLISH, country="GB,BE")


@pytest.mark.parametrize("raw", ["gb", " GB ", "Gb"])
def test_country_codes_are_normalised(raw):
    assert normalise_country(raw) == "GB"


@pytest.mark.parametrize("raw", [None, "", "XX", "T1", "GBR", "1A", "ÄÖ"])
def test_malformed_or_placeholder_countries_are_unknown(raw):
    assert normalise_country(raw) is None


def test_all_reasons_are_given_not_only_the_first(make_article, make_source, now):
    article = make_article(
        source=make_source(suspended=True),
        status="draft",
        embargo_until=now + HOUR,
        rights_settled=False,
        may_publish=False,
    )
    assert len(decide(article, Right.PUBLISH, at=now).reasons) == 5


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": "withdrawn"}, 410),
        ({"status": "killed"}, 410),
        ({"status": "draft"}, 404),
        ({"status": "review"}, 404),
        ({"status": "scheduled", "published_at_offset": HOUR}, 404),
        ({"embargo_until_offset": HOUR}, 404),
        ({"may_publish": False}, 451),
        ({"rights_settled": False}, 451),
        ({"rights_expire_at_offset": -HOUR}, 451),
        ({"territories": {"GB"}}, 451),
        ({"rights_start_at_offset": HOUR}, 404),
        ({"rights_start_at_offset": -HOUR, "may_publish": False}, 451),
        ({"excluded_territories": {"GB"}}, 451),
    ],
)
def test_refusal_status_matches_the_contract(make_article, now, fields, code):
    for key in [k for k in fields if k.endswith("_offset")]:
        fields[key.removesuffix("_offset")] = now + fields.pop(key)
    article = make_article(**fields)
    assert refusal_status(article, at=now) == code


# --- the publish gate --------------------------------------------------------------------------


def test_publish_refuses_when_the_right_is_denied_and_changes_nothing(restricted):
    before = Article.objects.filter(pk=restricted.pk).values().get()
    decision = restricted.publish()
    assert not decision.allowed
    assert "notice forbids publication" in decision.explanation
    assert Article.objects.filter(pk=restricted.pk).values().get() == before
    entry = AuditEntry.objects.get(article=restricted)
    assert entry.action == AuditEntry.Action.REFUSAL
    assert "notice forbids publication" in entry.reason


def test_publish_sets_status_time_and_version_together(make_article):
    article = make_article(status="draft", published_at=None)
    assert article.publish().allowed
    article.refresh_from_db()
    assert article.status == "published"
    assert article.published_at is not None
    assert article.version == 2
    assert AuditEntry.objects.filter(article=article, action="publish").count() == 1


def test_publish_at_a_future_time_schedules(make_article, now):
    article = make_article(status="draft", published_at=None)
    article.publish(at=now + HOUR)
    article.refresh_from_db()
    assert article.status == "scheduled"
    assert not permitted(article, Right.PUBLISH)


def test_an_embargoed_item_may_be_published_and_waits_for_its_embargo(make_article, now):
    article = make_article(status="draft", published_at=None, embargo_until=now + HOUR)
    assert clearance(article, Right.PUBLISH).allowed
    assert article.publish().allowed
    assert not permitted(article, Right.PUBLISH)
    assert permitted(article, Right.PUBLISH, at=now + HOUR)


# --- derivation --------------------------------------------------------------------------------

ARR_NOTICE = Notice(
    text=AA_NOTICE,
    holder="Anadolu Agency",
    year=2022,
    all_rights_reserved=True,
    prohibited=frozenset(Right),
)


def test_an_all_rights_reserved_notice_with_no_licence_denies_all_four(make_source):
    derived = derive_rights(source=make_source("Anadolu Agency"), terms=CopyTerms(ARR_NOTICE))
    assert not any(derived.grants.values())
    assert all(basis == "notice" for basis in derived.basis.values())
    assert derived.settled
    assert "Anadolu Agency's notice forbids" in derived.explanation


def test_all_rights_reserved_alone_denies_all_four(make_source):
    notice = Notice(text="© 2024 Reuters. All rights reserved.", all_rights_reserved=True)
    derived = derive_rights(source=make_source(), terms=CopyTerms(notice))
    assert derived.grants == dict.fromkeys(Right, False)
    assert set(derived.basis.values()) == {"notice"}


def test_an_active_licence_granting_publication_grants_publish_only_and_sets_expiry(
    make_source, make_licence, now
):
    source = make_source("Anadolu Agency")
    licence = make_licence(
        source, Right.PUBLISH, valid_until=now + 30 * 24 * HOUR, reference="AA-1"
    )
    derived = derive_rights(
        source=source, terms=CopyTerms(ARR_NOTICE), licence=source.active_licence()
    )
    assert derived.grants == {
        Right.PUBLISH: True,
        Right.BROADCAST: False,
        Right.REWRITE: False,
        Right.REDISTRIBUTE: False,
    }
    assert derived.basis[Right.PUBLISH] == "licence"
    assert derived.expire_at == licence.valid_until
    assert derived.licence == licence
    assert "AA-1" in derived.explanation


def test_a_licence_that_has_ended_is_not_relied_on(make_source, make_licence, now):
    source = make_source()
    make_licence(source, Right.PUBLISH, valid_from=now - 48 * HOUR, valid_until=now - HOUR)
    assert source.active_licence(at=now) is None


def test_a_licence_not_yet_in_force_is_relied_on_and_the_window_opens_with_it(
    make_source, make_licence, now
):
    source = make_source()
    make_licence(source, Right.PUBLISH, valid_from=now - 48 * HOUR, valid_until=now - HOUR)
    coming = make_licence(source, Right.PUBLISH, valid_from=now + HOUR, reference="NEXT")
    assert source.active_licence(at=now) == coming
    derived = derive_rights(source=source, terms=CopyTerms(ARR_NOTICE), licence=coming, at=now)
    assert derived.grants[Right.PUBLISH] and derived.licence == coming
    assert derived.start_at == now + HOUR
    assert "comes into force" in derived.explanation


def test_a_licence_in_force_wins_over_one_to_come(make_source, make_licence, now):
    source = make_source()
    current = make_licence(source, Right.PUBLISH, valid_from=now - HOUR)
    make_licence(source, Right.PUBLISH, valid_from=now + HOUR)
    assert source.active_licence(at=now) == current
    derived = derive_rights(source=source, terms=CopyTerms(ARR_NOTICE), licence=current)
    assert derived.start_at is None


def test_the_copy_expiry_wins_when_earlier_than_the_licence_end(make_source, make_licence, now):
    source = make_source()
    make_licence(source, Right.PUBLISH, valid_until=now + 48 * HOUR)
    derived = derive_rights(
        source=source,
        terms=CopyTerms(ARR_NOTICE, expire_at=now + HOUR),
        licence=source.active_licence(),
    )
    assert derived.expire_at == now + HOUR


def test_a_staff_source_grants_all_four(make_source):
    derived = derive_rights(source=make_source(kind=Source.Kind.STAFF), terms=CopyTerms(Notice()))
    assert all(derived.grants.values())
    assert set(derived.basis.values()) == {"staff"}
    assert derived.settled


def test_a_no_derivatives_licence_denies_rewrite_only(make_source):
    nd = KnownLicence(
        code="CC-BY-ND-4.0",
        name="Creative Commons Attribution-NoDerivatives 4.0",
        url="https://creativecommons.org/licenses/by-nd/4.0/",
        grants=frozenset({Right.PUBLISH, Right.BROADCAST, Right.REDISTRIBUTE}),
    )
    derived = derive_rights(
        source=make_source(), terms=CopyTerms(Notice(text="CC BY-ND 4.0", licence=nd))
    )
    assert [r for r in Right if not derived.grants[r]] == [Right.REWRITE]
    assert derived.basis[Right.REWRITE] == "copy_licence"
    assert derived.settled


def test_a_non_commercial_licence_leaves_the_item_unsettled(make_source):
    nc = KnownLicence(
        code="CC-BY-NC-4.0",
        name="Creative Commons Attribution-NonCommercial 4.0",
        url="https://creativecommons.org/licenses/by-nc/4.0/",
        grants=frozenset(),
        settled=False,
    )
    derived = derive_rights(
        source=make_source(), terms=CopyTerms(Notice(text="CC BY-NC", licence=nc))
    )
    assert not derived.settled


def test_unrecognised_usage_terms_leave_the_item_unsettled_even_under_licence(
    make_source, make_licence
):
    source = make_source()
    make_licence(source, *Right)
    notice = Notice(text="For Olympic use only.", unrecognised="For Olympic use only.")
    derived = derive_rights(source=source, terms=CopyTerms(notice), licence=source.active_licence())
    assert all(derived.grants.values())
    assert not derived.settled
    assert "For Olympic use only." in derived.explanation


def test_no_notice_and_no_licence_grants_nothing(make_source):
    derived = derive_rights(source=make_source("Wire Co"), terms=CopyTerms(Notice()))
    assert not any(derived.grants.values())
    assert set(derived.basis.values()) == {"none"}
    assert "Nothing grants publication" in derived.explanation


def test_licence_territories_become_the_items_territories(make_source, make_licence):
    source = make_source()
    make_licence(source, Right.PUBLISH, territories="GB, IE")
    derived = derive_rights(
        source=source, terms=CopyTerms(ARR_NOTICE), licence=source.active_licence()
    )
    assert derived.territories == {"GB", "IE"}


def test_copy_and_licence_territories_intersect(make_source, make_licence):
    source = make_source()
    make_licence(source, Right.PUBLISH, territories="GB, IE")
    notice = Notice(text="For use in Ireland only.", territories=frozenset({"IE"}))
    derived = derive_rights(source=source, terms=CopyTerms(notice), licence=source.active_licence())
    assert derived.territories == {"IE"}
    assert derived.settled


def test_disjoint_copy_and_licence_territories_need_a_rights_manager(make_source, make_licence):
    source = make_source()
    make_licence(source, Right.PUBLISH, territories="GB")
    notice = Notice(text="Not for use outside the United States", territories=frozenset({"US"}))
    derived = derive_rights(source=source, terms=CopyTerms(notice), licence=source.active_licence())
    assert not derived.settled


def test_apply_rights_sets_every_rights_field(make_article, make_source, make_licence):
    source = make_source()
    licence = make_licence(source, Right.PUBLISH, territories="GB")
    article = make_article(source=source)
    article.apply_rights(derive_rights(source=source, terms=CopyTerms(ARR_NOTICE), licence=licence))
    article.save()
    article.refresh_from_db()
    assert (article.may_publish, article.may_rewrite) == (True, False)
    assert article.rights_basis == {
        "publish": "licence",
        "broadcast": "notice",
        "rewrite": "notice",
        "redistribute": "notice",
    }
    assert article.territories == {"GB"}
    assert article.licence == licence


@pytest.mark.django_db
@pytest.mark.parametrize("channel", list(Channel))
def test_for_channel_asks_permitting_for_exactly_the_rights_the_table_names(channel):
    """An item lacking one of the channel's rights is absent; one holding them all is present."""
    source = Source.objects.create(name="Wire", slug="wire", kind=Source.Kind.AGENCY)
    full = Article.objects.create(
        headline="Every right",
        source=source,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
        rights_settled=True,
        **{right.field: True for right in Right},
    )
    lacking = {
        right: Article.objects.create(
            headline=f"No {right.value}",
            source=source,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
            rights_settled=True,
            **{other.field: other != right for other in Right},
        )
        for right in Right
    }
    shown = set(Article.objects.for_channel(channel))
    assert full in shown
    for right, article in lacking.items():
        assert (article in shown) == (right not in CHANNEL_RIGHTS[channel]), right
