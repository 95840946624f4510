"""What real agency XML was misread as, each fixed: G2 by-lines (and the body's repeat of them),
dpa's XHTML header, ANSA's sub-headline, EFE's NITF dateline."""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.ingest import ParsedByline, parse
from articles.ingest.loader import Ingest
from articles.models import Article
from articles.rights import Right

FIXTURES = Path(__file__).parent / "fixtures"
DPA = FIXTURES / "g2" / "dpa-xhtml-header.xml"
AP = FIXTURES / "g2" / "ap-by-line.xml"
ANSA = FIXTURES / "g2" / "ansa-subheadline.xml"
EFE = FIXTURES / "newsml1" / "efe-nitf.xml"


def replaced(path: Path, *replacements: tuple[str, str]) -> bytes:
    source = path.read_text()
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source.encode()


# --- G2 by-lines ---------------------------------------------------------------------------------


def test_g2_by_creator_and_contributor_give_the_bylines_and_the_body_does_not_repeat_them():
    (item,) = parse(AP.read_bytes(), name=AP.name)
    assert item.bylines == [
        ParsedByline(name="Maria Rojas", role="writing"),
        ParsedByline(name="Daniel Park", role="writing"),
        ParsedByline(name="Natacha Pisarenko", role="photography"),  # ctrol:photographer
    ]
    assert "By MARIA ROJAS" not in item.body_html
    assert item.body_html.startswith('<p><span class="dateline">BUENOS AIRES, Argentina')
    assert item.provider == "The Associated Press"


def test_g2_by_alone_gives_the_bylines():
    source = replaced(
        AP,
        (
            "<creator><name>By MARIA ROJAS and DANIEL PARK</name><related><name "
            'role="aprol:BylineTitle">Associated Press</name></related></creator>',
            "",
        ),
    )
    (item,) = parse(source)
    assert [b.name for b in item.bylines] == ["Maria Rojas", "Daniel Park", "Natacha Pisarenko"]


def test_a_by_paragraph_the_metadata_does_not_give_still_credits_its_people():
    source = replaced(
        AP,
        ("<by>By MARIA ROJAS and DANIEL PARK</by>", ""),
        (
            "<creator><name>By MARIA ROJAS and DANIEL PARK</name><related><name "
            'role="aprol:BylineTitle">Associated Press</name></related></creator>',
            "",
        ),
    )
    (item,) = parse(source)
    assert [b.name for b in item.bylines] == ["Maria Rojas", "Daniel Park", "Natacha Pisarenko"]
    assert "By MARIA" not in item.body_html


def test_a_first_paragraph_that_only_begins_with_by_stays_in_the_story():
    source = replaced(
        AP,
        (
            "<p>By MARIA ROJAS and DANIEL PARK</p>",
            "<p>By Thursday, prices had risen for the sixth month.</p>",
        ),
    )
    (item,) = parse(source)
    assert item.body_html.startswith("<p>By Thursday, prices had risen")


def test_a_by_paragraph_opening_a_g2_nitf_body_is_taken_out_too():
    source = """<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:example:by">
      <contentMeta><headline>Harbour reopens</headline><by>By JANE DOE</by></contentMeta>
      <contentSet><inlineXML><nitf><body><body.content>
        <p>By JANE DOE</p><p>The harbour reopened on Monday.</p>
      </body.content></body></nitf></inlineXML></contentSet></newsItem>"""
    (item,) = parse(source.encode())
    assert item.body_html == "<p>The harbour reopened on Monday.</p>"
    assert item.bylines == [ParsedByline(name="Jane Doe", role="writing")]


# --- dpa's XHTML header --------------------------------------------------------------------------


def test_dpa_xhtml_header_does_not_land_in_the_body():
    (item,) = parse(DPA.read_bytes(), name=DPA.name)
    assert item.headline == "Eintracht verlängert mit Trainer bis 2033"
    body = item.body_html
    for header_text in ("slugline", "<time", "11.10.2030", "Meldung", "<h1", "<h4", "Hessen"):
        assert header_text not in body
    assert body.count("Eintracht verlängert mit Trainer") == 0  # the headline, not again
    assert '<p><span class="dateline">Frankfurt/Main' in body
    assert "Das teilte der Fußball-Bundesligist am Freitag mit." in body
    # The kicker labels the story where the copy gives no slug; keywords come from metadata.
    assert item.slugline == "Fußball-Bundesliga"
    assert item.keywords == ["Fußball", "Sport", "Bundesliga", "Eintracht Frankfurt"]
    assert item.dateline == "Frankfurt/Main (dpa)"
    assert item.located == "Frankfurt/Main"
    assert item.bylines == []  # "mueller.anna" is a login, not a name
    assert item.notice.prohibited == set(Right)


def test_dpa_header_headline_and_standfirst_are_used_where_the_metadata_has_none():
    source = replaced(
        DPA,
        ('<headline rank="1">Eintracht verlängert mit Trainer bis 2033</headline>', ""),
        (
            "<h1>Eintracht verlängert mit Trainer bis 2033</h1>",
            "<h1>Eintracht verlängert mit Trainer bis 2033</h1>\n"
            '<p class="teaser">Der Vertrag läuft nun zwei Jahre länger.</p>',
        ),
    )
    (item,) = parse(source)
    assert item.headline == "Eintracht verlängert mit Trainer bis 2033"
    assert not item.headline_is_working
    assert item.standfirst == "Der Vertrag läuft nun zwei Jahre länger."
    assert "zwei Jahre länger" not in item.body_html


def test_a_slug_the_copy_gives_wins_over_the_kicker():
    source = replaced(
        DPA, ("<creditline>dpa</creditline>", "<slugline>Fußball/Frankfurt</slugline>")
    )
    assert parse(source)[0].slugline == "Fußball/Frankfurt"


@pytest.mark.django_db
def test_the_stored_dpa_article_keeps_only_the_story():
    (report,) = Ingest().data(DPA.read_bytes(), name=DPA.name)
    assert report.status == "created", report.error
    article = Article.objects.get(pk=report.id)
    assert "11.10.2030" not in article.body and "Fußball-Bundesliga" not in article.body
    assert article.body.startswith("<p><span>Frankfurt/Main")


# --- ANSA's sub-headline -------------------------------------------------------------------------


def test_ansa_subheadline_by_role_is_the_standfirst_and_never_the_headline():
    (item,) = parse(ANSA.read_bytes(), name=ANSA.name)
    assert item.headline == "Manovra, via libera del Consiglio dei ministri"
    assert item.standfirst == "Il testo passa ora alle Camere, voto entro dicembre"
    first = replaced(
        ANSA,
        ("<headline>Manovra, via libera del Consiglio dei ministri</headline>\n", ""),
        (
            "</headline>\n</contentMeta>",
            "</headline>\n<headline>Manovra, via libera del Consiglio dei ministri</headline>\n"
            "</contentMeta>",
        ),
    )
    (reordered,) = parse(first)
    assert reordered.headline == "Manovra, via libera del Consiglio dei ministri"
    assert reordered.standfirst == "Il testo passa ora alle Camere, voto entro dicembre"


def test_ansa_subheadline_element_is_the_standfirst():
    source = replaced(
        ANSA,
        (
            '<headline role="hld:subHeadline">Il testo passa ora alle Camere, voto entro dicembre'
            "</headline>",
            "<subheadline>Il testo passa ora alle Camere, voto entro dicembre</subheadline>",
        ),
    )
    assert parse(source)[0].standfirst == "Il testo passa ora alle Camere, voto entro dicembre"


def test_ansa_text_plain_that_holds_html_is_read_as_paragraphs():
    (item,) = parse(ANSA.read_bytes())
    assert item.body_html.startswith("<p>(ANSA) - ROMA, 11 OTT - Il Consiglio dei ministri")
    assert item.body_html.count("<p>") == 2
    assert "&lt;p&gt;" not in item.body_html
    assert item.located == "Roma"
    assert item.notice.holder == "ANSA" and item.notice.all_rights_reserved


def test_ansa_nitf_hl2_is_the_standfirst():
    source = """<nitf><head><docdata><doc-id id-string="ANSA-1"/></docdata></head><body>
      <body.head><hedline><hl1>Manovra, via libera del Cdm</hl1>
      <hl2>Il testo passa ora alle Camere</hl2></hedline></body.head>
      <body.content><p>(ANSA) - ROMA, 11 OTT - Il Consiglio dei ministri ha approvato.</p>
      </body.content></body></nitf>"""
    assert parse(source.encode())[0].standfirst == "Il testo passa ora alle Camere"


# --- EFE's NITF dateline -------------------------------------------------------------------------


def test_efe_dateline_is_the_place_text_and_located_the_place():
    (item,) = parse(EFE.read_bytes(), name=EFE.name)
    assert item.format == "nitf"
    assert item.dateline == "MADRID, 5 dic (EFE)"
    assert item.located == "Madrid"
    assert item.headline == "El Gobierno aprueba la gratuidad del tren de Cercanías durante 2031"
    # Its hl2 is its key-list keyword, and its abstract the lead cut short: neither a standfirst.
    assert item.standfirst == ""
    assert "ESPAÑA TRANSPORTE" in item.keywords
    assert item.provider == "Agencia EFE"
    assert item.notice.holder == "Agencia EFE"
    assert item.notice.prohibited == {Right.REDISTRIBUTE, Right.BROADCAST}
    assert "©" not in item.body_html
    assert item.language == "es-ES"


def test_efe_story_date_holding_a_timestamp_never_becomes_the_dateline():
    stamped = replaced(EFE, (">5 dic (EFE)</story.date>", ">20301205T103600+0000</story.date>"))
    (item,) = parse(stamped)
    assert item.dateline == "MADRID"
    assert item.located == "Madrid"
    bare = replaced(
        EFE,
        ("<location>MADRID</location>, ", ""),
        (">5 dic (EFE)</story.date>", ">20301205T103600+0000</story.date>"),
    )
    (item,) = parse(bare)
    assert item.dateline == ""
    assert item.located == "Madrid, ESP"  # the event's place (evloc)


def test_efe_nitf_inside_efe_newsml_1_2_keeps_its_dateline_and_place():
    nitf = EFE.read_text().split("\n", 1)[1]  # without its XML declaration
    wrapped = f"""<?xml version="1.0" encoding="utf-8"?>
<NewsML Version="1.2"><NewsItem Duid="text_35413502"><Identification><NewsIdentifier>
<ProviderId>texto.efeservicios.com</ProviderId><DateId>20301205T103600+0000</DateId>
<NewsItemId>35413502</NewsItemId><RevisionId PreviousRevision="0" Update="N">1</RevisionId>
<PublicIdentifier>urn:newsml:texto.efeservicios.com:20301205T103600+0000:35413502:1</PublicIdentifier>
</NewsIdentifier></Identification><NewsManagement><NewsItemType FormalName="News"/>
<FirstCreated>20301205T103600+0000</FirstCreated><ThisRevisionCreated>20301205T103600+0000
</ThisRevisionCreated><Status FormalName="Usable"/></NewsManagement>
<NewsComponent Duid="text_35413502.text"><Role FormalName="Main"/><NewsLines>
<HeadLine>El Gobierno aprueba la gratuidad del tren de Cercanías durante 2031</HeadLine>
<SubHeadLine>ESPAÑA TRANSPORTE</SubHeadLine></NewsLines>
<AdministrativeMetadata><Provider><Party FormalName="Agencia EFE"/></Provider>
<Creator><Party FormalName="rmg/jcb"/></Creator></AdministrativeMetadata>
<DescriptiveMetadata><Language FormalName="es-ES"/><Location HowPresent="Event">
<Property FormalName="Country" Value="ESP"/></Location></DescriptiveMetadata>
<ContentItem><MediaType FormalName="Text"/><Format FormalName="NITF"/>
<MimeType FormalName="text/vnd.IPTC.NITF"/><DataContent>{nitf}</DataContent></ContentItem>
</NewsComponent></NewsItem></NewsML>"""
    (item,) = parse(wrapped.encode())
    assert item.format == "newsml1"
    assert item.guid == "urn:newsml:texto.efeservicios.com:20301205T103600+0000:35413502"
    assert item.dateline == "MADRID, 5 dic (EFE)"
    assert item.located == "Madrid"
    assert item.standfirst == ""  # the SubHeadLine is EFE's keyword again
    assert item.bylines == []  # "rmg/jcb" are initials
    assert item.provider == "Agencia EFE"


@pytest.mark.django_db
def test_the_stored_efe_article_has_the_place_as_its_dateline():
    (report,) = Ingest().data(EFE.read_bytes(), name=EFE.name)
    assert report.status == "created", report.error
    assert Article.objects.get(pk=report.id).dateline == "MADRID, 5 dic (EFE)"
    stamped = replaced(
        EFE,
        (">5 dic (EFE)</story.date>", ">20301205T103600+0000</story.date>"),
        ('id-string="35413502"', 'id-string="35413503"'),
    )
    (report,) = Ingest().data(stamped, name="efe-stamped.xml")
    assert Article.objects.get(pk=report.id).dateline == "MADRID"
