"""NewsML 1.2 as AFP, Belga, ANA-MPE and EFE send it: told apart from the NITF it carries, each
NewsItem an item, revisions updating the stored article, photos reported rather than stored."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.ingest import ParsedByline, ParseError, UnreadItem, detect_format, parse
from articles.ingest.loader import Ingest
from articles.models import Article
from articles.rights import Right

FIXTURES = Path(__file__).parent / "fixtures" / "newsml1"
AFP = FIXTURES / "afp-fr-nitf-rights.xml"
AFP_REVISION = FIXTURES / "afp-fr-nitf-rights-revision-2.xml"
TEXT_AND_PHOTO = FIXTURES / "afp-text-and-photo.xml"
PHOTO_GUID = "urn:newsml:afp.com:20300310:doc-7kq2mz"
BELGA = FIXTURES / "belga-nl-fr-xhtml.xml"
ANA = FIXTURES / "ana-mpe-html.xml"
UTC = datetime.UTC
AFP_GUID = "urn:newsml:afp.com:20300121T104233Z:TX-PAR-XKQ12"


def afp(*replacements: tuple[str, str]) -> bytes:
    """The AFP fixture (ISO-8859-1, as AFP sends it) with parts of it replaced."""
    source = AFP.read_bytes().decode("iso-8859-1")
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source.encode("iso-8859-1")


@pytest.mark.parametrize("path", [AFP, TEXT_AND_PHOTO, BELGA, ANA])
def test_newsml_1_2_is_told_by_its_root_not_by_the_nitf_inside_it(path):
    assert detect_format(path.read_bytes()) == "newsml1"
    assert all(
        i.format == "newsml1" for i in parse(path.read_bytes()) if not isinstance(i, UnreadItem)
    )


def test_afp_french_text_reads_identity_news_lines_metadata_and_its_nitf_body():
    data = AFP.read_bytes()
    (item,) = parse(data, name=AFP.name)
    # The PublicIdentifier ends in the revision (":1"): without it, every revision is one item.
    assert item.guid == AFP_GUID
    assert item.version == 1
    assert item.version_created == datetime.datetime(2030, 1, 21, 10, 42, 34, tzinfo=UTC)
    assert item.headline == "Grève à la SNCF: trafic très perturbé mardi en Île-de-France"
    assert item.dateline == "Paris, 21 jan 2030 (AFP)"
    assert item.language == "fr"
    assert item.located == "Paris"
    assert item.provider == "AFP"
    assert item.slugline == "France-transports-grève"  # from NameLabel
    assert item.keywords == ["France", "transports", "grève"]  # subject codes alone are none
    assert item.section == ""  # NewsService and NewsProduct are codes (DGTE, FEUA)
    assert not item.killed and item.embargo_until is None
    # The creator, once: the body's opening "Par Claire DUBOIS" repeats it and is taken out.
    assert item.bylines == [ParsedByline(name="Claire Dubois", role="writing")]
    assert "Par Claire" not in item.body_html
    assert item.body_html.startswith("<p>Le trafic ferroviaire était très perturbé")
    assert "<h2>Des bus de substitution</h2>" in item.body_html
    assert "<nitf" not in item.body_html and "body.content" not in item.body_html
    assert item.original == data.decode("iso-8859-1")  # the file, as received


def test_afp_rights_metadata_gives_holder_year_territories_limits_and_window():
    (item,) = parse(AFP.read_bytes())
    assert item.notice.holder == "AFP"
    assert item.notice.year == 2030
    assert item.notice.all_rights_reserved  # the CopyrightLine: "Tous droits … réservés"
    assert item.notice.text == "© 2030 AFP. Tous droits de reproduction réservés."
    assert item.notice.usage_terms == "No archiving."  # UsageRights/Limitations
    assert item.notice.no_archive
    assert item.territories == {"FR", "BE", "CH"}  # UsageRights/Geography
    assert item.rights_start == datetime.datetime(2030, 1, 21, 10, 42, 33, tzinfo=UTC)
    assert item.rights_expire_at == datetime.datetime(2030, 4, 21, tzinfo=UTC)
    assert item.notice.unrecognised == ""


def test_usage_rights_the_reader_cannot_map_are_kept_for_a_person():
    data = afp(
        ("<Geography>France, Belgium, Switzerland</Geography>", "<Geography>Ruritanie</Geography>"),
        ("<RightsHolder>", "<UsageType>Usage éditorial uniquement</UsageType>\n<RightsHolder>"),
    )
    (item,) = parse(data)
    assert item.territories == frozenset()
    assert "Geography: Ruritanie" in item.notice.unrecognised
    assert item.notice.usage_terms == "Usage éditorial uniquement No archiving."
    assert "Usage éditorial uniquement" in item.notice.unrecognised


def test_a_worldwide_geography_limits_nothing():
    data = afp(
        ("<Geography>France, Belgium, Switzerland</Geography>", "<Geography>World</Geography>")
    )
    (item,) = parse(data)
    assert item.territories == frozenset()
    assert item.notice.unrecognised == ""


def test_the_revision_keeps_the_guid_and_raises_the_version():
    (first,) = parse(AFP.read_bytes())
    (second,) = parse(AFP_REVISION.read_bytes())
    assert second.guid == first.guid == AFP_GUID
    assert (first.version, second.version) == (1, 2)
    assert second.headline.endswith("nouvelle grève jeudi")
    assert second.version_created > first.version_created


def test_the_guid_is_built_from_the_identifier_when_the_public_one_names_no_item():
    data = afp(("urn:newsml:afp.com:20300121T104233Z:TX-PAR-XKQ12:1", "urn:newsml:www.afp.com"))
    assert parse(data)[0].guid == AFP_GUID
    without = afp(
        (
            "<PublicIdentifier>urn:newsml:afp.com:20300121T104233Z:TX-PAR-XKQ12:1</PublicIdentifier>\n",
            "",
        )
    )
    assert parse(without)[0].guid == AFP_GUID


def test_an_embargoed_item_is_held_until_its_status_will_change():
    data = afp(
        (
            '<Status FormalName="Usable"/>',
            '<Status FormalName="Embargoed"/>\n<StatusWillChange>\n'
            '<FutureStatus FormalName="Usable"/>\n<DateAndTime>20300122T050000+0100</DateAndTime>\n'
            "</StatusWillChange>",
        )
    )
    (item,) = parse(data)
    assert item.embargo_until == datetime.datetime(2030, 1, 22, 4, 0, tzinfo=UTC)
    assert not item.killed


def test_an_embargo_that_names_no_time_is_reported_not_published_early():
    (unread,) = parse(afp(('<Status FormalName="Usable"/>', '<Status FormalName="Embargoed"/>')))
    assert isinstance(unread, UnreadItem)
    assert unread.guid == AFP_GUID
    assert unread.error.field == "Status"
    assert "Embargoed" in str(unread.error)


@pytest.mark.parametrize("status", ["Canceled", "Withheld"])
def test_a_canceled_or_withheld_item_is_killed(status):
    (item,) = parse(afp(('<Status FormalName="Usable"/>', f'<Status FormalName="{status}"/>')))
    assert item.killed


def test_a_usable_item_that_will_be_canceled_expires_then():
    data = afp(
        (
            '<Status FormalName="Usable"/>',
            '<Status FormalName="Usable"/>\n<StatusWillChange>\n'
            '<FutureStatus FormalName="Canceled"/>\n'
            "<DateAndTime>20300301T000000Z</DateAndTime>\n</StatusWillChange>",
        )
    )
    (item,) = parse(data)
    assert item.rights_expire_at == datetime.datetime(2030, 3, 1, tzinfo=UTC)


def test_belga_versions_in_two_languages_are_one_story_each_with_title_lead_and_xhtml_body():
    dutch, french = parse(BELGA.read_bytes(), name=BELGA.name)
    # Belga's PublicIdentifier is the same for every item: the guid comes from the identifier.
    assert dutch.guid == "urn:newsml:belga.be:20300129T124550:99012345#nl"
    assert french.guid == "urn:newsml:belga.be:20300129T124550:99012345#fr"
    assert (dutch.language, french.language) == ("nl", "fr")
    assert french.headline == "Bruxelles étend sa zone de basses émissions aux camionnettes"
    assert dutch.standfirst == (
        "Vanaf 2031 mogen oudere dieselbestelwagens de hoofdstad niet meer in."
    )  # the Lead component
    assert french.body_html.startswith("<p>La Région de Bruxelles-Capitale étend")
    assert "<b>Elke Van den Brandt</b>" in french.body_html
    assert "Hoofdstedelijk" not in french.body_html and "Région" not in dutch.body_html
    assert dutch.bylines == [ParsedByline(name="Pieter Claes", role="writing")]  # not "(TIP)"
    assert french.bylines == [ParsedByline(name="Sophie Lambert", role="writing")]
    assert (dutch.located, french.located) == ("Brussel", "Bruxelles")
    assert dutch.keywords == ["MOBILITEIT", "MILIEU"]
    assert dutch.notice.holder == "Belga"  # a CopyrightLine that is a bare name
    assert dutch.provider == "BELGA"  # the Source party; the Provider party is empty
    assert dutch.version == 1
    # Belga sends local times without a zone: read in the source's zone, and said so.
    assert "ThisRevisionCreated" in dutch.zone_assumed


def test_ana_mpe_html_in_cdata_with_topics_and_a_subheadline_that_repeats_the_lead():
    (item,) = parse(ANA.read_bytes(), name=ANA.name)
    assert item.guid == "urn:newsml:ana-mpe.gr:20300404:29336333"
    assert item.headline == "Private-sector hiring at a ten-year high in the first quarter"
    assert item.body_html.startswith("<p>Hirings in the private sector outnumbered departures")
    assert "<b>ahead of the summer season</b>" in item.body_html
    assert "&lt;" not in item.body_html and "<P>" not in item.body_html
    assert item.standfirst == ""  # its SubHeadLine is the lead paragraph again
    assert item.keywords == ["Employment/Unemployment", "Economic Indicator"]  # in English
    assert item.language == "en"  # "EN"
    assert item.located == "Athens"
    assert item.dateline == "4/4/2030"
    assert item.provider == "ΑΠΕ-ΜΠΕ"
    assert item.notice.holder == "ΑΘΗΝΑΪΚΟ ΠΡΑΚΤΟΡΕΙΟ ΕΙΔΗΣΕΩΝ - ΜΑΚΕΔΟΝΙΚΟ ΠΡΑΚΤΟΡΕΙΟ ΕΙΔΗΣΕΩΝ"
    assert item.notice.year == 2030
    assert item.version_created == datetime.datetime(2030, 4, 4, 14, 58, 59, tzinfo=UTC)


def test_of_two_news_items_the_text_is_read_and_brings_the_photo_it_is_associated_with():
    (text,) = parse(TEXT_AND_PHOTO.read_bytes(), name=TEXT_AND_PHOTO.name)
    assert text.guid == "urn:newsml:afp.com:20300310:300310130212.k2v9q4xe"
    assert text.headline == "Floods cut Kenya's main highway as rains persist"
    # AFP's bare NITF paragraphs (bcNITF2.5) in the DataContent are the body.
    assert text.body_html.count("<p>") == 3
    assert text.dateline == "Nairobi, March 10, 2030 (AFP)"
    assert text.slugline == "Kenya-weather-floods"
    # Of a many-item file each item keeps its own NewsItem, not the whole file.
    assert text.original.startswith("<NewsItem") and "doc-7kq2mz-highdef" not in text.original
    (photo,) = text.pictures  # its NewsManagement's AssociatedWith names the photo item
    assert (photo.guid, photo.href) == (PHOTO_GUID, "7kq2mz-highdef.jpg")  # HighDef, not Thumbnail
    assert photo.field == "NewsComponent/ContentItem/@Href"
    assert photo.caption.startswith("Trucks wait at a washed-out bridge")
    assert (photo.creators, photo.credit, photo.notice.holder) == (["Tony Karumba"], "AFP", "AFP")
    assert photo.notice.year == 2030


def test_a_photo_item_no_story_is_associated_with_is_reported_as_carrying_no_text():
    data = TEXT_AND_PHOTO.read_text().replace(
        '<AssociatedWith NewsItem="urn:newsml:afp.com:20300310:doc-7kq2mz"/>', ""
    )
    text, photo = parse(data.encode(), name=TEXT_AND_PHOTO.name)
    assert text.pictures == []
    assert isinstance(photo, UnreadItem)
    assert photo.guid == "urn:newsml:afp.com:20300310:doc-7kq2mz"
    assert photo.error.field == "ContentItem/MediaType"
    assert "photo item carries no story text" in str(photo.error)
    assert "Trucks wait" not in str(photo.error)  # its caption is no story


def test_an_item_stored_alone_reads_again_as_it_was_read_in_the_file():
    (text,) = parse(TEXT_AND_PHOTO.read_bytes())
    assert detect_format(text.original.encode()) == "newsml1"
    (again,) = parse(text.original.encode(), format="newsml1")
    assert (again.guid, again.headline, again.body_html) == (
        text.guid,
        text.headline,
        text.body_html,
    )


def test_a_text_that_is_only_referred_to_is_reported_as_not_in_the_file():
    data = TEXT_AND_PHOTO.read_text().replace(
        '<ContentItem>\n          <MediaType FormalName="Text"/>',
        '<ContentItem Href="kenya-floods.xml">\n          <MediaType FormalName="Text"/>',
    )
    start, end = data.index("<DataContent>"), data.index("</DataContent>") + len("</DataContent>")
    unread, _photo = parse((data[:start] + data[end:]).encode())
    assert isinstance(unread, UnreadItem)
    assert unread.error.field == "ContentItem/@Href"
    assert "'kenya-floods.xml'" in str(unread.error)


def test_a_partial_update_is_reported_rather_than_read_as_a_whole_item():
    source = AFP_REVISION.read_bytes().decode("iso-8859-1")
    start, end = source.index("<NewsComponent>"), source.rindex("</NewsComponent>") + 16
    partial = source[:start] + '<Update><InsertAfter DuidRef="c1"/></Update>' + source[end:]
    partial = partial.replace('Update="N">2', 'Update="A">2')
    (unread,) = parse(partial.encode("iso-8859-1"))
    assert unread.error.field == "Update"
    assert "only updates parts of revision 1" in str(unread.error)


def test_of_equivalent_components_the_first_with_text_is_read_once():
    source = ANA.read_text()
    start = source.index('<NewsComponent Essential="no" EquivalentsList="no">\n        <Role')
    end = source.rindex("</NewsComponent>", 0, source.rindex("</NewsComponent>"))
    inner = source[start : end + len("</NewsComponent>")]
    equivalents = (
        '<NewsComponent EquivalentsList="yes">'
        + inner
        + inner.replace("Hirings in the private sector", "HIRINGS (plain copy)")
        + "</NewsComponent>"
    )
    (item,) = parse((source[:start] + equivalents + source[end + 16 :]).encode())
    assert item.body_html.count("Hirings in the private sector") == 1
    assert "plain copy" not in item.body_html


def test_a_newsml_document_without_items_or_the_wrong_root_is_refused():
    with pytest.raises(ParseError, match="holds no NewsItem"):
        parse(b"<NewsML><NewsEnvelope/></NewsML>", name="empty.xml")
    with pytest.raises(ParseError, match="expected a NewsML 1.2 document"):
        parse(b"<nitf><body/></nitf>", format="newsml1")


# --- through the loader and the command ------------------------------------------------------


@pytest.mark.django_db
def test_the_loader_stores_the_afp_item_and_the_newer_revision_updates_it():
    (created,) = Ingest().data(AFP.read_bytes(), name=AFP.name)
    assert created.status == "created", created.error
    article = Article.objects.get(pk=created.id)
    assert article.guid == AFP_GUID
    assert article.wire_format == "newsml1"
    assert article.dateline == "Paris, 21 jan 2030 (AFP)"
    assert article.copyright_holder == "AFP"
    assert article.territories == {"FR", "BE", "CH"}
    assert not article.grants(Right.PUBLISH)  # all rights reserved
    (updated,) = Ingest().data(AFP_REVISION.read_bytes(), name=AFP_REVISION.name)
    assert updated.status == "updated", updated.error
    assert updated.id == created.id
    article.refresh_from_db()
    assert article.wire_version == 2
    assert article.headline.endswith("nouvelle grève jeudi")
    assert "grève reconductible" in article.body
    (older,) = Ingest().data(AFP.read_bytes(), name=AFP.name)
    assert older.status == "unchanged"
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_the_loader_stores_the_text_and_reports_the_photo_that_did_not_come_with_it():
    text, photo = Ingest().data(TEXT_AND_PHOTO.read_bytes(), name="afp-text-and-photo.xml")
    assert text.status == "created", text.error
    assert (photo.type, photo.status, photo.guid) == ("picture", "skipped", PHOTO_GUID)
    assert photo.error.startswith(
        f"afp-text-and-photo.xml: item {PHOTO_GUID}, field NewsComponent/ContentItem/@Href: "
        "the picture file '7kq2mz-highdef.jpg' did not come with the item"
    )
    assert text.warnings == [photo.error]
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_ingest_json_reports_each_news_item_and_succeeds_past_the_photo():
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", "--json", str(TEXT_AND_PHOTO), stdout=out, stderr=err)  # no exit 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["status"] for line in lines] == ["created", "skipped"]
    assert lines[1]["guid"] == PHOTO_GUID and lines[1]["type"] == "picture"
    assert "did not come with the item" in lines[1]["error"]
    assert lines[0]["headline"] == "Floods cut Kenya's main highway as rains persist"
