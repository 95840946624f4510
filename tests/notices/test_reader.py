"""Notices as agencies write them, read into holder, year, prohibitions, licences, territories."""

from __future__ import annotations

import datetime

import pytest

from articles.notices import country_code, is_notice_line, parse_notice
from articles.rights import Right
from tests.factories import AA_NOTICE

ALL = frozenset(Right)
NO_REWRITE = ALL - {Right.REWRITE}
NC_NAME = "Creative Commons Attribution-NonCommercial-ShareAlike 4.0"


def test_anadolu_notice_reserves_everything_and_forbids_all_four_rights():
    notice = parse_notice(AA_NOTICE)
    assert notice.holder == "Anadolu Agency"
    assert notice.year == 2022
    assert notice.all_rights_reserved
    assert notice.prohibited == ALL
    assert notice.text == AA_NOTICE
    assert not notice.unrecognised


@pytest.mark.parametrize(
    "sentence",
    [
        "This material may not be published, broadcast, rewritten, or redistributed.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "This material may not be published, broadcast, rewritten or redistributed "
        "without permission.",
        "May not be published, broadcast, rewritten, or redistributed without prior written "
        "permission.",
        "The information contained in the AP News report may not be published, broadcast, "
        "rewritten or otherwise distributed without the prior written authority of The "
        "Associated Press.",
    ],
)
def test_serial_comma_and_without_permission_are_optional_in_prohibition(sentence):
    notice = parse_notice(sentence)
    assert notice.prohibited == ALL
    assert not notice.unrecognised


@pytest.mark.parametrize(
    ("sentence", "prohibited"),
    [
        ("This material may not be published or broadcast.", {Right.PUBLISH, Right.BROADCAST}),
        ("This story may not be rewritten.", {Right.REWRITE}),
        ("May not be redistributed.", {Right.REDISTRIBUTE}),
        (
            "This material may not be broadcast, rewritten or redistributed.",
            {Right.BROADCAST, Right.REWRITE, Right.REDISTRIBUTE},
        ),
    ],
)
def test_any_subset_of_the_four_verbs_is_prohibited_alone(sentence, prohibited):
    assert parse_notice(sentence).prohibited == prohibited


@pytest.mark.parametrize(
    ("text", "holder", "year"),
    [
        ("Copyright 2022 Anadolu Agency", "Anadolu Agency", 2022),
        ("© Reuters 2024", "Reuters", 2024),
        ("© 2024 Reuters", "Reuters", 2024),
        ("(c) 2021 Agence France-Presse", "Agence France-Presse", 2021),
        ("Copyright (c) 2023 The Associated Press", "The Associated Press", 2023),
        ("Copyright © 2020 Example News Ltd.", "Example News Ltd.", 2020),
        ("Copyright 2019, dpa (www.dpa.de). Alle Rechte vorbehalten", "dpa", 2019),
        ("Copyright 2017-18 Acme News and Media LLC", "Acme News and Media LLC", 2017),
        ("(©NTB)", "NTB", None),
        ("Copyright 0042 Ancient Wire", "Ancient Wire", None),
    ],
)
def test_holder_and_year_are_read_in_either_order(text, holder, year):
    notice = parse_notice(text)
    assert notice.holder == holder
    assert notice.year == year


def test_all_rights_reserved_alone_prohibits_nothing_explicitly():
    notice = parse_notice("Copyright 2024 The Associated Press. All rights reserved.")
    assert notice.all_rights_reserved
    assert notice.prohibited == frozenset()
    assert notice.licence is None


def test_reuters_republication_clause_forbids_publishing_and_redistribution():
    notice = parse_notice(
        "© Reuters 2024. Republication or redistribution of Reuters content, including by "
        "framing or similar means, is expressly prohibited without the prior written consent "
        "of Reuters."
    )
    assert notice.prohibited == {Right.PUBLISH, Right.REDISTRIBUTE}
    assert notice.holder == "Reuters"
    assert not notice.unrecognised


@pytest.mark.parametrize(
    ("text", "code", "grants", "settled"),
    [
        ("Creative Commons Attribution 4.0 International", "CC-BY-4.0", ALL, True),
        ("Licensed under CC BY-SA 4.0", "CC-BY-SA-4.0", ALL, True),
        ("CC BY-ND", "CC-BY-ND", NO_REWRITE, True),
        ("CC BY-NC 4.0", "CC-BY-NC-4.0", frozenset(), False),
        (NC_NAME, "CC-BY-NC-SA-4.0", frozenset(), False),
        ("https://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0", ALL, True),
        ("http://creativecommons.org/licenses/by-nd/3.0/deed.en", "CC-BY-ND-3.0", NO_REWRITE, True),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0", ALL, True),
        ("CC0 1.0 Universal", "CC0-1.0", ALL, True),
    ],
)  # fmt: skip
def test_creative_commons_licences_by_name_code_and_url_grant_what_they_grant(
    text, code, grants, settled
):
    licence = parse_notice(text).licence
    assert licence is not None
    assert licence.code == code
    assert licence.grants == grants
    assert licence.settled is settled
    assert licence.url.startswith("https://creativecommons.org/")


def test_licence_boilerplate_sentence_is_understood():
    notice = parse_notice(
        "This work is licensed under a Creative Commons Attribution 4.0 International License. "
        "To view a copy of this license, visit http://creativecommons.org/licenses/by/4.0/."
    )
    assert notice.licence.code == "CC-BY-4.0"
    assert not notice.unrecognised


@pytest.mark.parametrize(
    ("text", "territories"),
    [
        ("Not for use outside the United States.", {"US"}),
        ("Not for use outside the U.S.", {"US"}),
        ("Not for publication outside the USA", {"US"}),
        ("For use in the UK and Ireland only.", {"GB", "IE"}),
        ("For use only in Germany, Austria and Switzerland.", {"DE", "AT", "CH"}),
        ("Not for use outside the United Kingdom or the Republic of Ireland.", {"GB", "IE"}),
    ],
)
def test_territory_phrases_become_iso_codes(text, territories):
    notice = parse_notice(text)
    assert notice.territories == territories
    assert not notice.unrecognised


def test_territory_outside_the_country_table_stays_unrecognised():
    notice = parse_notice("For use in Ruritania only.")
    assert notice.territories == frozenset()
    assert notice.unrecognised == "For use in Ruritania only."


@pytest.mark.parametrize(
    "text", ["May not be archived.", "No archiving.", "Not to be archived.", "No archives."]
)
def test_archive_bans_set_no_archive(text):
    notice = parse_notice(text)
    assert notice.no_archive
    assert notice.prohibited == frozenset()


@pytest.mark.parametrize(
    "terms",
    [
        "For editorial use only in connection with the Olympic Games.",
        "Mandatory credit: Photographer name.",
        "This material may not be published except in print.",
    ],
)
def test_terms_we_cannot_read_are_kept_verbatim_as_unrecognised(terms):
    notice = parse_notice(f"Copyright 2024 Example Agency. {terms}")
    assert notice.unrecognised == terms
    assert notice.holder == "Example Agency"


def test_separate_usage_terms_are_read_and_kept_verbatim():
    notice = parse_notice(
        "Copyright 2030 Example Press Agency", holder="EPA", usage_terms="No archiving."
    )
    assert notice.holder == "EPA"
    assert notice.usage_terms == "No archiving."
    assert notice.no_archive


def test_the_same_notice_given_twice_is_kept_once():
    notice = parse_notice(["© Reuters 2024", "© Reuters 2024"])
    assert notice.text == "© Reuters 2024"


@pytest.mark.parametrize(
    "line",
    [
        AA_NOTICE,
        "© Reuters 2024",
        "(©NTB)",
        "Copyright (c) 2023 The Associated Press",
        "All rights reserved.",
        "For editorial use only in connection with the Olympic Games.",
        "Not for use outside the United States.",
        "CC BY-SA 4.0",
    ],
)
def test_notice_lines_are_recognised(line):
    assert is_notice_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Copyright lawyers said the ruling was a surprise.",
        "The minister said the report may not be published before the election.",
        "Exports rose 9.2% in 2022.",
        "",
    ],
)
def test_story_sentences_are_not_notice_lines(line):
    assert not is_notice_line(line)


@pytest.mark.parametrize(
    ("name", "code"),
    [("United States", "US"), ("U.S.", "US"), ("the UK", "GB"), ("IE", "IE"), ("Türkiye", "TR")],
)
def test_country_names_and_codes_map_to_iso_codes(name, code):
    assert country_code(name) == code


def test_unknown_country_has_no_code():
    assert country_code("Ruritania") is None


# --- misreads seen on real wire copy --------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "excluded"),
    [
        ("Not for distribution in the United States", {"US"}),
        ("Not for publication in the UK", {"GB"}),
        ("Not for use in Australia", {"AU"}),
        ("Not for use in the UK or Ireland.", {"GB", "IE"}),
        ("For use outside the UK only.", {"GB"}),
    ],
)
def test_not_for_use_in_a_country_excludes_it_rather_than_limiting_the_item_to_it(terms, excluded):
    notice = parse_notice(terms)
    assert notice.excluded_territories == excluded
    assert notice.territories == frozenset()
    assert not notice.unrecognised


def test_not_for_use_outside_a_country_still_limits_the_item_to_it():
    notice = parse_notice("Not for use outside the United States.")
    assert notice.territories == {"US"}
    assert notice.excluded_territories == frozenset()


def test_an_exclusion_naming_a_place_we_do_not_know_stays_for_a_person():
    notice = parse_notice("Not for use in the UK or Ruritania.")
    assert notice.unrecognised


def test_copyright_said_twice_gives_the_holder_without_the_word_copyright():
    notice = parse_notice("(c) Copyright Thomson Reuters 2025")
    assert notice.holder == "Thomson Reuters"
    assert notice.year == 2025


def test_a_holder_before_all_rights_reserved_loses_its_web_address_and_dash():
    notice = parse_notice("The News Agency, www.tna.org - all rights reserved.")
    assert notice.holder == "The News Agency"
    assert notice.all_rights_reserved
    assert not notice.unrecognised


def test_a_holder_field_holding_all_rights_reserved_gives_the_name_and_the_reservation():
    notice = parse_notice([], holder="The Canadian Press. All rights reserved.")
    assert notice.holder == "The Canadian Press"
    assert notice.all_rights_reserved


def test_a_licence_statement_that_opens_the_notice_is_read_as_the_licence():
    notice = parse_notice(
        [
            "This article is republished under a Creative Commons Attribution-NoDerivatives "
            "4.0 International licence (CC BY-ND 4.0).",
            "Copyright 2025 The Conversation.",
        ]
    )
    assert notice.licence.code == "CC-BY-ND-4.0"
    assert notice.holder == "The Conversation"
    assert not notice.unrecognised


def test_a_creative_commons_statement_naming_no_licence_is_a_notice_that_grants_nothing():
    line = "This article is republished from The Conversation under a Creative Commons license."
    assert is_notice_line(line)
    notice = parse_notice(line)
    assert notice.licence is None
    assert notice.unrecognised


def test_no_archival_use_forbids_archiving():
    notice = parse_notice([], usage_terms="NO ARCHIVAL USE")
    assert notice.no_archive
    assert not notice.unrecognised


def test_no_archival_or_wireless_use_forbids_archiving_and_leaves_wireless_for_a_person():
    notice = parse_notice([], usage_terms="NO ARCHIVAL OR WIRELESS USE")
    assert notice.no_archive
    assert notice.unrecognised == "NO ARCHIVAL OR WIRELESS USE"


def test_terms_written_after_a_holder_are_never_taken_for_its_name():
    notice = parse_notice("© 2024 AFP NO WIRELESS USE")
    assert notice.holder == "AFP"
    assert notice.unrecognised


@pytest.mark.parametrize(
    "line",
    [
        "(c) the third point of the plan",
        "(c) Ministers will decide the rest in June.",
        "the agency reserved all its rights to appeal",
    ],
)
def test_a_list_item_or_a_sentence_about_rights_is_not_a_notice_line(line):
    assert not is_notice_line(line)


# --- print only ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "terms",
    [
        "For print use only.",
        "PRINT USE ONLY",
        "Print only.",
        "For use in print only.",
        "Licensed for print publication only.",
        "Not for online use.",
        "No online use.",
        "NO INTERNET/MOBILE USAGE",
        "NO INTERNET",
        "No internet.",
        "No Websites",
        "Not to be used online.",
        "Nur für Printverwendung.",
        "Nur für Printmedien.",
        "Keine Online-Nutzung.",
        "Usage presse écrite uniquement.",
        "Réservé à la presse écrite.",
        "Pas d'utilisation en ligne.",
        "Solo para uso impreso.",
        "Sólo para prensa escrita.",
    ],
)
def test_print_only_terms_are_read_and_leave_nothing_unread(terms):
    notice = parse_notice("© 2026 Harbour Photo Agency", usage_terms=terms)
    assert notice.print_only
    assert notice.holder == "Harbour Photo Agency"
    assert notice.unrecognised == ""
    assert notice.prohibited == frozenset()  # a limit of its own, not a prohibition a licence lifts
    assert is_notice_line(terms)


@pytest.mark.parametrize(
    "sentence",
    [
        "The paper will print only the first chapter on Sunday.",
        "Print only what you can check, the editor said.",
        "The council said online use of the library has doubled.",
        "The village has no internet.",
        "No internet access was available at the camp.",
        "There was no web-based voting.",
    ],
)
def test_story_text_about_print_or_online_is_no_print_only_notice(sentence):
    assert not is_notice_line(sentence)
    # Were it ever read as terms, what is left of it is unread, so the item stays unsettled.
    notice = parse_notice(sentence)
    assert not notice.print_only or notice.unrecognised


@pytest.mark.parametrize(
    "terms", ["No internet access.", "NO INTERNET ARCHIVE", "No web-based use."]
)
def test_a_medium_followed_by_more_words_is_not_a_print_only_instruction(terms):
    notice = parse_notice("", usage_terms=terms)
    assert not notice.print_only
    assert notice.unrecognised  # unread, so the item waits for a person


def test_print_only_survives_the_stored_terms():
    from articles.notices import CopyTerms

    notice = parse_notice("", usage_terms="For print use only.")
    again = CopyTerms.from_json(CopyTerms(notice=notice).as_json()).notice
    assert again.print_only
    assert not CopyTerms.from_json({"notice": {"text": "x"}}).notice.print_only  # stored before


def test_print_only_withholds_every_online_right_even_where_a_licence_grants_them():
    from types import SimpleNamespace

    from articles.notices import CopyTerms
    from articles.rights import derive_rights
    from articles.vocabulary import Basis

    source = SimpleNamespace(name="Harbour Photo Agency", kind="agency", suspended=False)
    licence = SimpleNamespace(
        grants=lambda right: True,
        reference="HPA-1",
        valid_until=None,
        valid_from=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        territories=frozenset(),
    )
    notice = parse_notice("© 2026 Harbour Photo Agency. For print use only.")
    derived = derive_rights(source=source, terms=CopyTerms(notice=notice), licence=licence)
    assert derived.settled
    assert {r for r in Right if derived.grants[r]} == {Right.REWRITE}
    for right in (Right.PUBLISH, Right.BROADCAST, Right.REDISTRIBUTE):
        assert derived.basis[right] == Basis.NOTICE
    assert "print use only" in derived.explanation
    assert "whatever a licence grants" in derived.explanation

    alone = derive_rights(source=source, terms=CopyTerms(notice=notice))
    assert alone.settled and not any(alone.grants.values())
