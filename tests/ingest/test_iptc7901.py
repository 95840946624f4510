"""IPTC 7901 and ANPA 1312: framing, headers, takes and versions, character sets, trailers, and
the files as the loader and `manage.py ingest` see them."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import ParsedItem, ParseError, UnreadItem, decode_text, detect_format, parse
from articles.ingest.loader import Ingest
from articles.models import Article
from articles.rights import Right

FIXTURES = Path(__file__).parent / "fixtures" / "iptc7901"
UTC = datetime.UTC
SYN, SOH, STX, ETX, EOT = "\x16", "\x01", "\x02", "\x03", "\x04"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def message(
    text: str,
    *,
    header: str = "eca0101 4 i 120  dpa 0101",
    keyword: str = "Harbour/reopening/",
    words: str = "",
    post: str = "141200 GMT Jan 31",
) -> str:
    heading = "\n".join(line for line in (header, keyword, words) if line)
    return f"{SYN}{SYN}{SOH}{heading}\n{STX}{text}{ETX}\n{post}\n{EOT}\n"


STORY = (
    "Harbour reopens after repairs =\n\n"
    "Hamburg (dpa) - The harbour reopened on Monday after two years of repairs,\n"
    "the port authority said.\n\n"
    "Ships queued outside the locks from dawn.\n\n"
    "dpa ab cd\n"
)


def read(data: bytes | str, **options) -> list:
    return parse(data.encode("utf-8") if isinstance(data, str) else data, **options)


def one(data: bytes | str, **options) -> ParsedItem:
    (item,) = read(data, **options)
    assert isinstance(item, ParsedItem), item
    return item


# --- IPTC 7901 ------------------------------------------------------------------------------


def test_a_dpa_message_in_latin_1_is_read_with_its_umlauts_byline_dateline_and_notice():
    data = fixture("dpa-de-latin1.txt")
    assert detect_format(data) == "iptc7901"
    item = one(data, name="dpa.txt")
    assert item.format == "iptc7901"
    assert item.headline == "Bundestag beschließt Haushalt für 2031"
    assert not item.headline_is_working
    assert [(b.name, b.role) for b in item.bylines] == [("Jörg Müller", "writing")]
    assert item.dateline == "Berlin (dpa)" and item.located == "Berlin"
    assert item.body_html.startswith("<p>Berlin (dpa) - Der Bundestag hat am Mittwoch")
    assert "Finanzministerin Änne Kröger" in item.body_html and "Größter" in item.body_html
    assert item.body_html.count("<p>") == 3  # lines wrapped at 70 are joined into paragraphs
    for left_out in ("dpa jm", "Copyright", "101432", "\x02", "="):
        assert left_out not in item.body_html
    assert item.notice.holder == "dpa Deutsche Presse-Agentur GmbH"
    assert item.notice.prohibited == set(Right)  # "Nutzung nur nach schriftlicher Vereinbarung"
    assert item.provider == "dpa"
    assert item.language == "de"
    assert item.slugline == "Bundestag/Haushalt/Schuldenbremse"
    assert item.keywords == ["Bundestag", "Haushalt", "Schuldenbremse"]
    assert item.version == 1
    assert item.version_created == datetime.datetime(2030, 12, 10, 14, 32, tzinfo=UTC)
    assert item.zone_assumed == []
    assert item.guid == "urn:newsroom:iptc7901:bdt:2030-12-10:bundestag/haushalt/schuldenbremse"


def test_a_lead_of_the_same_story_has_its_guid_and_a_higher_version():
    first, lead = one(fixture("dpa-de-latin1.txt")), one(fixture("dpa-de-lead.txt"))
    assert lead.guid == first.guid
    assert lead.version > first.version
    assert lead.headline == "Bundestag beschließt Haushalt für 2031 - Opposition droht mit Klage"


def test_a_french_afp_message_in_windows_1252_keeps_its_curly_apostrophes_and_ligatures():
    item = one(fixture("afp-fr-cp1252.txt"))
    assert item.headline == "Budget: le gouvernement engage sa responsabilité à l’Assemblée"
    assert "au cœur d’une semaine" in item.body_html
    assert "« Nous ne pouvons pas laisser le pays sans budget »" in item.body_html
    assert item.dateline == "PARIS, 14 jan 2031 (AFP)" and item.located == "Paris"
    assert item.notice.holder == "AFP" and item.notice.all_rights_reserved
    assert "réservés" not in item.body_html and "pz/mf/fa" not in item.body_html
    assert item.language == "fr"
    assert item.slugline == "France-politique-budget"
    assert item.version == 10001  # "1ERE LEAD"
    assert item.version_created == datetime.datetime(2031, 1, 14, 15, 30, tzinfo=UTC)
    assert item.guid == "urn:newsroom:iptc7901:afp:2031-01-14:france-politique-budget"


def test_of_two_messages_one_cut_off_the_whole_one_is_read_and_the_other_reported():
    first, second = read(fixture("two-messages-one-cut.txt"), name="wire.txt")
    assert isinstance(first, ParsedItem)
    assert first.headline == "Dutch rail strike halts trains across the country"
    assert "dpa ab cd" not in first.body_html
    assert isinstance(second, UnreadItem)
    assert second.guid == "#2"
    assert "cut off" in str(second.error) and "before the file ends" in str(second.error)
    assert "Germany/economy/exports" in str(second.error)


def test_a_message_cut_off_before_the_next_one_begins_says_so():
    cut = message(STORY).split(ETX)[0]  # no ETX, no post-text, no EOT
    items = read(cut + message(STORY, keyword="Ferry/strike/"))
    assert isinstance(items[0], UnreadItem) and "before the next message begins" in str(
        items[0].error
    )
    assert isinstance(items[1], ParsedItem)


def test_a_message_with_no_text_at_all_is_cut_off_too():
    (item,) = read(f"{SOH}eca0101 4 i 120  dpa 0101\nHarbour/\n" + STX)
    assert isinstance(item, UnreadItem) and "cut off" in str(item.error)


def test_a_message_without_etx_but_with_eot_is_read_to_the_eot():
    item = one(message(STORY).replace(ETX, ""))
    assert item.headline == "Harbour reopens after repairs"


@pytest.mark.parametrize("encoding", ["ascii", "iso-8859-1", "cp1252", "utf-8"])
def test_7_bit_latin_1_windows_1252_and_utf_8_all_read(encoding):
    story = STORY if encoding == "ascii" else STORY.replace("Hamburg", "Lübeck")
    item = one(message(story).encode(encoding))
    assert item.located == ("Hamburg" if encoding == "ascii" else "Lübeck")


def test_other_character_sets_are_read_where_an_iso_2022_escape_designates_them():
    czech = "Přístav znovu otevřen =\n\nPraha (ČTK) - Přístav byl v pondělí znovu otevřen.\n"
    data = message(czech).encode("utf-8")
    latin_2 = message("\x1b-B" + czech).encode("iso8859-2")
    item = one(latin_2)
    assert item.headline == "Přístav znovu otevřen"
    assert item.located == "Praha"
    assert "\x1b" not in item.body_html
    assert one(data).headline == item.headline


def test_the_framings_own_controls_are_text_and_no_others_are():
    framed = message(STORY).encode()
    assert "Harbour reopens" in decode_text(framed)
    with pytest.raises(ParseError, match="not text: binary data"):
        decode_text(framed.replace(b"Ships", b"Sh\x00ps"))
    with pytest.raises(ParseError, match="not text: binary data"):
        parse(b"\x01eca0101 4 i 120\n\x02" + bytes(range(256)))


def test_vertical_tabs_part_paragraphs_and_typesetting_instructions_are_dropped():
    text = (
        "Harbour reopens =\n"
        "Hamburg (dpa) - The harbour reopened.\x0bShips \x0cfont 9 bold\x0bqueued.\x0b"
        "\x11Crews\x12 worked overnight.\n"
    )
    item = one(message(text))
    assert item.body_html == (
        "<p>Hamburg (dpa) - The harbour reopened.</p>\n<p>Ships queued.</p>\n"
        "<p>Crews worked overnight.</p>"
    )


def test_indented_paragraphs_are_told_apart_without_blank_lines():
    text = (
        "Harbour reopens =\n"
        "   Hamburg (dpa) - The harbour reopened on Monday after two years of\n"
        "repairs, the port authority said.\n"
        "   Ships queued outside the locks from dawn.\n"
    )
    item = one(message(text))
    assert item.body_html.count("<p>") == 2
    assert "two years of repairs" in item.body_html


def test_one_line_a_paragraph_is_read_as_such():
    long = "The harbour reopened on Monday after two years of repairs, " * 3
    text = f"Harbour reopens =\n{long}\n{long}\n"
    assert one(message(text)).body_html.count("<p>") == 2


def test_a_header_story_id_is_the_guid_and_its_number_the_version():
    kna = message(
        STORY.replace("(dpa)", "(KNA)").replace("dpa ab cd", "kna ab"),
        header="bkn014 4 pl 171 vvvvb KNA 170123-89-00065#2",
        keyword="Bundestag/Kinder",
    )
    item = one(kna)
    assert item.guid == "urn:newsroom:iptc7901:bkn:170123-89-00065"
    assert item.version == 10001
    assert item.provider == "KNA"


def test_a_post_text_time_without_a_zone_is_read_in_the_sources_zone_and_says_so():
    item = one(
        message(STORY, post="141200 Jan 31"), zone=datetime.timezone(datetime.timedelta(hours=1))
    )
    assert item.version_created == datetime.datetime(2031, 1, 14, 11, 0, tzinfo=UTC)
    assert item.zone_assumed == ["version_created"]


def test_a_story_without_a_date_has_no_guid_of_its_own():
    assert one(message(STORY, post="")).guid == ""


def test_editors_notes_not_for_publication_stay_out_of_the_body():
    text = STORY.replace(
        "dpa ab cd",
        "# Notebook\n## Note to editors\n- adds quotes\n* * * *\n"
        "The following information is not intended for publication\n\ndpa ab cd",
    )
    item = one(message(text))
    assert "Notebook" not in item.body_html and "editors" not in item.body_html


def test_take_words_number_leads_corrections_and_takes():
    versions = {
        words: one(message(STORY, words=words)).version
        for words in ("", "CORRECTION", "1ST LEAD", "REFILE 1ST LEAD", "2. Zusammenfassung")
    }
    assert versions == {
        "": 1,
        "CORRECTION": 101,
        "1ST LEAD": 10001,
        "REFILE 1ST LEAD": 10101,
        "2. Zusammenfassung": 20001,
    }


def test_7901_takes_in_one_file_are_joined_in_order():
    second = "Crews worked overnight to clear the channel.\n\ndpa ab cd\n"
    data = message(STORY.replace("dpa ab cd", "mehr")) + message(second, words="1. Fortsetzung")
    item = one(data)
    assert item.version == 2
    assert item.body_html.endswith("<p>Crews worked overnight to clear the channel.</p>")
    assert "mehr" not in item.body_html


# --- ANPA 1312 ------------------------------------------------------------------------------


def test_an_ap_story_in_two_takes_is_one_item_with_both_takes_in_order():
    data = fixture("ap-takes.anpa")
    assert detect_format(data) == "anpa1312"
    item = one(data)
    assert item.format == "anpa1312"
    assert item.headline == "Winter storm knocks out power along the Atlantic coast"
    assert [b.name for b in item.bylines] == ["Jane Doe", "Sean O'Neil"]
    assert item.dateline == "BOSTON (AP)" and item.located == "Boston"
    assert item.body_html.startswith("<p>BOSTON (AP) — A winter storm")
    assert "“We have crews out in every county,” said" in item.body_html
    assert item.body_html.endswith("hundreds of flights out of Logan International Airport.</p>")
    for left_out in ("MORE", "AP-BS", "^", "<p>BOSTON: officials", "Eds:", "Copyright"):
        assert left_out not in item.body_html
    assert item.notice.holder == "The Associated Press"
    assert item.notice.prohibited == set(Right)
    assert item.provider == "AP"
    assert item.slugline == "BC-Storm-Coast"
    assert item.version == 2
    assert item.version_created == datetime.datetime(2031, 1, 14, 15, 19, tzinfo=UTC)
    assert item.guid == "urn:newsroom:anpa1312:ap:2031-01-14:storm-coast"


def test_the_writethru_has_the_takes_guid_and_a_higher_version():
    takes, writethru = one(fixture("ap-takes.anpa")), one(fixture("ap-writethru.anpa"))
    assert writethru.guid == takes.guid
    assert writethru.version > takes.version
    assert writethru.headline.startswith("Winter storm leaves 400,000 without power")


def test_takes_and_writethru_in_one_file_are_two_versions_in_order():
    takes, writethru = read(fixture("ap-takes.anpa") + fixture("ap-writethru.anpa"))
    assert takes.guid == writethru.guid and takes.version < writethru.version


def test_an_add_without_the_take_before_it_is_reported_not_stored_as_the_story():
    only_add = fixture("ap-takes.anpa").split(b"\x16\x16\x01")[2]
    (item,) = read(b"\x16\x16\x01" + only_add)
    assert isinstance(item, UnreadItem)
    assert item.guid == "urn:newsroom:anpa1312:ap:2031-01-14:storm-coast"
    assert "take 2 came without take 1" in str(item.error)


def test_the_anpa_header_fields_and_a_tabular_format_identifier_are_read():
    table = (
        f"{SYN}{SYN}{SOH}s0714\x1fAPs--\r\nr s\x13\x12 BC-BBO--Standings   01-14 0120\r\n"
        f"{STX}^BC-BBO--Standings,0120<\r\n^Winter league standings<\r\n"
        "\t   Team       W   L\r\n\t   Harbour   10   2\r\n\t   Coast      8   4\r\n"
        f"\t   AP-NY-01-14-31 2210EST<\r\n{ETX}\r\n{EOT}"
    )
    item = one(table)
    assert item.headline == "Winter league standings"
    assert item.body_html.startswith("<pre>") and "Harbour   10   2" in item.body_html
    assert item.version_created == datetime.datetime(2031, 1, 15, 3, 10, tzinfo=UTC)
    assert item.guid == "urn:newsroom:anpa1312:ap:2031-01-14:bbo--standings"


# --- through the loader and the command -------------------------------------------------------


@pytest.mark.django_db
def test_the_loader_stores_the_dpa_story_and_its_lead_updates_it():
    (report,) = Ingest().data(fixture("dpa-de-latin1.txt"), name="dpa-1.txt")
    assert report.status == "created", report.error
    article = Article.objects.get(pk=report.id)
    assert article.headline == "Bundestag beschließt Haushalt für 2031"
    assert article.copyright_holder == "dpa Deutsche Presse-Agentur GmbH"
    assert article.guid.startswith("urn:newsroom:iptc7901:bdt:2030-12-10:")
    assert [(b.person.name, b.role) for b in article.bylines.all()] == [("Jörg Müller", "writing")]
    assert article.wire_format == "iptc7901" and article.language == "de"
    assert not any(article.grants(right) for right in Right)

    (again,) = Ingest().data(fixture("dpa-de-latin1.txt"), name="dpa-1.txt")
    assert again.status == "unchanged"
    (lead,) = Ingest().data(fixture("dpa-de-lead.txt"), name="dpa-2.txt")
    assert lead.status == "updated", lead.error
    assert lead.id == article.pk
    article.refresh_from_db()
    assert article.headline.endswith("Opposition droht mit Klage")
    assert article.wire_version == 10001
    assert Article.objects.count() == 1
    (older,) = Ingest().data(fixture("dpa-de-latin1.txt"), name="dpa-1.txt")
    assert older.status == "unchanged"  # the first version, arriving late, changes nothing


@pytest.mark.django_db
def test_the_loader_stores_the_ap_takes_and_the_writethru_updates_them():
    (report,) = Ingest().data(fixture("ap-takes.anpa"), name="storm.anpa")
    assert report.status == "created", report.error
    assert report.copyright_holder == "The Associated Press"
    assert report.bylines == [
        {"name": "Jane Doe", "role": "writing"},
        {"name": "Sean O'Neil", "role": "writing"},
    ]
    (update,) = Ingest().data(fixture("ap-writethru.anpa"), name="storm-ld.anpa")
    assert update.status == "updated", update.error
    assert update.id == report.id
    assert Article.objects.get().headline.startswith("Winter storm leaves 400,000")


@pytest.mark.django_db
def test_the_loader_stores_the_whole_message_and_reports_the_cut_one():
    reports = list(Ingest().data(fixture("two-messages-one-cut.txt"), name="wire.txt"))
    assert [r.status for r in reports] == ["created", "error"]
    assert reports[1].guid == "#2" and "cut off" in reports[1].error
    assert reports[1].error.startswith("wire.txt: ")
    assert Article.objects.get().source.name == "dpa"


@pytest.mark.django_db
def test_manage_py_ingest_json_reads_a_7901_file():
    out = io.StringIO()
    call_command("ingest", "--json", str(FIXTURES / "afp-fr-cp1252.txt"), stdout=out)
    (line,) = [json.loads(line) for line in out.getvalue().splitlines()]
    assert line["status"] == "created"
    assert line["headline"] == "Budget: le gouvernement engage sa responsabilité à l’Assemblée"
    assert line["copyright_holder"] == "AFP" and line["copyright_year"] == 2031
    assert line["guid"] == "urn:newsroom:iptc7901:afp:2031-01-14:france-politique-budget"


# --- anything else is a ParseError ------------------------------------------------------------

_PIECES = st.sampled_from(
    [SOH, STX, ETX, EOT, SYN, "\x0b", "\x0c", "\x1f", "\x1b-B", "\n", "\r\n", "\t", "  ", "=",
     "eca0101 4 i 120  dpa 0101\n", "a0612\x1fAPa--\n", "r a\x13\x11 BC-Storm 1stAdd  01-14 0450\n",
     "^BC-Storm,450<\n", "^By JANE DOE=\n", "141200 GMT Jan 31", "AP-BS-01-14-31 1512GMT<",
     "Harbour/reopening/", "1ST LEAD", "Hamburg (dpa) - ", "The harbour reopened.", "dpa ab cd",
     "MORE", "é", "ß", "Copyright 2031 AP. All rights reserved."]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
def test_any_run_of_framing_and_copy_gives_items_or_a_parse_error(pieces):
    for encoding in ("utf-8", "cp1252"):
        try:
            items = parse((SYN + SOH + "eca0101 4 i 1 \n" + STX + pieces).encode(encoding))
        except ParseError:
            continue
        assert all(isinstance(i, UnreadItem) or i.headline or i.body_html for i in items)


def test_a_byte_order_mark_before_the_framing_is_no_obstacle():
    assert (
        one(b"\xef\xbb\xbf" + message(STORY).encode()).headline == "Harbour reopens after repairs"
    )


def test_a_long_keyword_still_makes_a_guid_that_fits():
    keyword = "/".join(["Straßenbahnverkehrsgesellschaft"] * 12) + "/"
    guid = one(message(STORY, keyword=keyword)).guid
    assert len(guid) <= 255 and guid.startswith("urn:newsroom:iptc7901:eca:2031-01-14:sha256-")
