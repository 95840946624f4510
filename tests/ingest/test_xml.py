"""NewsML-G2 and NITF: the IPTC examples, our own fixtures for rights and status, and namespaces."""

from __future__ import annotations

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from articles.ingest import ParsedByline, ParseError, parse
from articles.rights import Right

HERE = Path(__file__).parent
NEWSML = HERE.parent / "conformance" / "newsml-g2"
NTB = HERE.parent / "conformance" / "nitf" / "NTB_nitf_sample.xml"
FIXTURES = HERE / "fixtures"
UTC = datetime.UTC


def test_newsml_text_document_reads_rights_metadata_and_nitf_body():
    path = NEWSML / "LISTING_2_NewsML-G2_Text_Document.xml"
    (item,) = parse(path.read_bytes(), name=path.name)
    assert item.format == "newsml"
    assert item.guid == "urn:newsml:acmenews.com:20161121:US-FINANCE-FED"
    assert item.version == 11
    assert item.headline == 'Fed to halt QE to avert "bubble"'
    assert item.version_created == datetime.datetime(2018, 11, 21, 21, 25, 32, tzinfo=UTC)
    assert item.language == "en-US"
    assert item.notice.holder == "Acme News and Media LLC"
    assert item.notice.text == "Copyright 2017-18 Acme News and Media LLC"
    assert item.notice.year == 2017
    assert item.bylines == [ParsedByline(name="Meredith Jameson", role="writing")]
    assert item.located == "New York, NY"
    assert item.slugline == "US-Finance-Fed"
    assert item.provider == "Associated Press"
    assert item.body_html.count("<p>") == 2
    assert "Et, sent luptat luptat" in item.body_html
    assert item.original == path.read_text()


def test_newsml_sports_story_reads_located_qcode_and_keeps_organisations_out_of_bylines():
    path = NEWSML / "LISTING_22_Sports_story_in_NewsML-G2NITF.xml"
    (item,) = parse(path.read_bytes(), name=path.name)
    assert item.guid == "tag:xmlteam.com,2016:xt.5932656-preview"
    assert item.headline.startswith("Preview: Arizona Diamondbacks (29-23) at Philadelphia")
    assert item.slugline == "AAV!PREVIEW-ARI-PHI"
    assert item.located == "Philadelphia"
    assert item.language == "en-US"
    assert item.bylines == []
    assert item.provider == "The Sports Network"
    assert item.standfirst.startswith("A pair of teams coming off big weekend sweeps")
    assert item.body_html.count("<p>") == 6
    assert item.section == ""  # no <service>: the subjects are keywords
    assert item.keywords[:3] == ["sport", "Baseball", "Major League Baseball"]
    assert "l.mlb.com-2016-e.19358" not in item.keywords  # a bare code is no keyword


def test_nitf_inside_a_bare_content_set_is_read_as_nitf():
    path = NEWSML / "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml"
    (item,) = parse(path.read_bytes(), name=path.name)
    assert item.format == "nitf"
    assert (
        item.headline == "Arizona Diamondbacks (29-23) at Philadelphia Phillies (26-24), 7:05p.m."
    )
    assert "clash of the Titans" in item.body_html


def test_content_meta_fragment_is_refused_but_its_dateline_reads_inside_an_item():
    path = NEWSML / "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml"
    with pytest.raises(ParseError, match="root element <contentMeta>"):
        parse(path.read_bytes(), name=path.name)
    meta = path.read_text().replace(
        "<contentMeta>", "<contentMeta><headline>Talks in Moscow</headline>", 1
    )
    wrapped = f'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g1">{meta}</newsItem>'
    (item,) = parse(wrapped.encode())
    assert item.dateline == "MOSCOW, Monday (Reuters)"
    assert item.located == "Moscow"
    assert item.language == "en-US"
    assert item.provider == "Thomson Reuters"
    assert item.bylines == []


def test_news_message_gives_each_item_with_embargo_rights_and_status():
    budget, storm = parse((FIXTURES / "newsml-message.xml").read_bytes())
    assert budget.guid == "urn:newsml:example.org:20301231:budget"
    assert budget.version == 3
    assert budget.embargo_until == datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)
    assert budget.notice.holder == "Example Press Agency"
    assert budget.notice.all_rights_reserved
    assert budget.notice.usage_terms == "Not for use outside the United Kingdom. No archiving."
    assert budget.territories == {"GB"}
    assert budget.notice.no_archive
    assert budget.bylines == [
        ParsedByline(name="Priya Patel", role="writing"),
        ParsedByline(name="Tom Baker", role="editing"),
    ]
    assert budget.dateline == "LONDON, Dec 31"
    assert budget.section == "Business"  # from its <service>
    assert budget.keywords == ["economy, business and finance"]
    assert "<h2>Spending</h2>" in budget.body_html
    assert "<em>spending plans</em>" in budget.body_html
    assert "Copyright" not in budget.body_html
    assert "xmlns" not in budget.body_html
    assert not budget.killed
    assert 'guid="urn:newsml:example.org:20301231:budget"' in budget.original
    assert storm.killed
    assert storm.body_html == "<p>The warning was issued in error.</p><p>It has been withdrawn.</p>"
    assert "budget" not in storm.original


def test_a_newsml_embargo_without_a_timezone_is_read_in_the_source_zone_and_noted():
    source = (FIXTURES / "newsml-message.xml").read_text().replace("00:01:00Z", "00:01:00")
    budget, storm = parse(source.encode(), zone=ZoneInfo("Australia/Sydney"))
    assert budget.embargo_until is not None
    assert budget.embargo_until.utcoffset() == datetime.timedelta(0)
    assert budget.embargo_until.replace(tzinfo=None) + datetime.timedelta(hours=11) == (
        datetime.datetime.fromisoformat(source.split("<embargoed>")[1].split("<")[0])
    )
    assert budget.zone_assumed == ["embargoed"]
    assert "embargoed" not in storm.zone_assumed


def test_ntb_nitf_sample_reads_headline_guid_language_and_drops_the_notice_paragraph():
    (item,) = parse(NTB.read_bytes(), name=NTB.name)
    assert item.format == "nitf"
    assert item.guid == "NTB5df9281a-a270-4dc5-a618-869bbc3bbca7_00"
    assert item.headline == "Pandemien herjer på den legeløse indiske landsbygda"
    assert item.language == "nb-NO"
    assert item.version == 1
    assert item.dateline == "Unnao"
    assert item.slugline == "india-korona-bygd"
    assert item.section == "Utenriks"  # tobject.type, NTB's desk
    assert item.keywords == ["Sykdom", "Medisin og helse", "india-korona-bygd"]
    assert item.provider == "NTB"
    assert item.bylines == []  # "NTB-AFP-DPA" credits agencies, not people
    assert item.notice.holder == "NTB"
    assert item.notice.text == "(©NTB)"
    assert "©" not in item.body_html
    assert "<h2>- Det skjulte India</h2>" in item.body_html
    assert "Koronapandemien herjer også" in item.body_html
    assert "media" not in item.body_html
    assert 'class="' not in item.body_html


def test_nitf_rights_give_holder_year_dates_territories_and_prohibitions():
    (item,) = parse((FIXTURES / "nitf-rights.xml").read_bytes())
    assert item.guid == "EXA-2030-0042"
    assert item.headline == "Museum returns looted bronzes"
    assert item.standfirst == "Twelve pieces go home after a decade of talks"
    assert item.version == 4
    assert item.language == "en"
    assert item.embargo_until == datetime.datetime(2031, 1, 2, 0, 1, tzinfo=UTC)
    assert item.rights_start == datetime.datetime(2030, 12, 31, tzinfo=UTC)
    assert item.rights_expire_at == datetime.datetime(2031, 3, 31, tzinfo=UTC)
    assert item.territories == {"GB", "IE"}
    assert item.notice.holder == "Example Wire"
    assert item.notice.year == 2030
    assert item.notice.prohibited == {Right.PUBLISH, Right.BROADCAST}
    assert item.located == "London, GB"
    assert item.bylines == [
        ParsedByline(name="Kwame Mensah", role="writing"),
        ParsedByline(name="Ruth Ellis", role="writing"),
    ]
    assert item.body_html == (
        "<p>A London museum said on Tuesday it would return 12 bronzes.</p> "
        "<h2>Ten years of talks</h2> "
        '<div><p>The decision follows <a href="https://example.org/talks">long talks</a>.</p></div>'
    )


def test_nitf_geography_we_cannot_map_leaves_the_item_unsettled():
    source = (FIXTURES / "nitf-rights.xml").read_text().replace("United Kingdom, IE", "Ruritania")
    (item,) = parse(source.encode())
    assert item.territories == frozenset()
    assert "Ruritania" in item.notice.unrecognised


def test_nitf_without_namespace_reads_the_same():
    source = (FIXTURES / "nitf-rights.xml").read_text()
    plain = source.replace(' xmlns="http://iptc.org/std/NITF/2006-10-18/"', "")
    assert parse(plain.encode())[0].headline == parse(source.encode())[0].headline


def test_latin1_declared_xml_is_decoded_by_its_declaration():
    source = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        "<nitf><body><body.head><hedline><hl1>Café in Zürich</hl1></hedline></body.head>"
        "<body.content><p>Crème brûlée.</p></body.content></body></nitf>"
    )
    (item,) = parse(source.encode("latin-1"))
    assert item.headline == "Café in Zürich"
    assert item.body_html == "<p>Crème brûlée.</p>"
