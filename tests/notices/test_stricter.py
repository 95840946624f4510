"""Two statements of one item's rights read together (a picture's file and the wire item that
brings it): the stricter wins, clause by clause."""

from __future__ import annotations

from articles.notices import parse_notice, stricter
from articles.vocabulary import Right

CC_BY = "Licensed under CC BY 4.0."
CC_BY_ND = "Licensed under CC BY-ND 4.0."


def test_a_reservation_on_either_side_outweighs_a_licence_on_the_other():
    for own, wire in [(CC_BY, "All rights reserved."), ("All rights reserved.", CC_BY)]:
        both = stricter(parse_notice(own), parse_notice(wire))
        assert both.licence is None and both.all_rights_reserved


def test_of_two_licences_the_one_that_grants_less_wins():
    both = stricter(parse_notice(CC_BY), parse_notice(CC_BY_ND))
    assert both.licence is not None and Right.REWRITE not in both.licence.grants


def test_prohibitions_and_exclusions_add_up_and_territories_narrow():
    own = parse_notice("This photo may not be broadcast. Not for publication in Canada.")
    wire = parse_notice(
        "This photo may not be published. Not for publication in the United States."
    )
    both = stricter(own, wire)
    assert both.prohibited == {Right.BROADCAST, Right.PUBLISH}
    assert both.excluded_territories == {"CA", "US"}
    only = stricter(
        parse_notice("For use only in the United Kingdom and Ireland."),
        parse_notice("For use only in Ireland."),
    )
    assert only.territories == {"IE"}


def test_the_wire_names_the_holder_and_both_texts_are_kept():
    own = parse_notice("Copyright 2025 Ana Lima.")
    wire = parse_notice("Copyright 2026 Meridian Press Agency.", holder="Meridian Press Agency")
    both = stricter(own, wire)
    assert (both.holder, both.year) == ("Meridian Press Agency", 2026)
    assert both.text == "Copyright 2025 Ana Lima.\nCopyright 2026 Meridian Press Agency."
    assert stricter(own, parse_notice("")).holder == "Ana Lima"


def test_terms_either_cannot_read_leave_the_item_unsettled():
    both = stricter(parse_notice("Handle with care, mostly."), parse_notice(""))
    assert both.unrecognised
