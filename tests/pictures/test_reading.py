"""Reading a picture file: its kind from its content, its rights from IPTC IIM and XMP."""

from __future__ import annotations

import pytest

from articles.ingest.parsed import ParseError
from articles.ingest.picture import kind_of, read_picture
from articles.vocabulary import Right
from tests.pictures.files import AGENCY_NOTICE, gps_exif, huge_png, iim, picture, xmp_packet

FULL_XMP = xmp_packet(
    rights=AGENCY_NOTICE,
    creators=("Ann Lens", "Bo Shutter"),
    credit="Meridian / Ann Lens",
    source="Meridian Press Agency",
    usage_terms="Editorial use only.",
    web_statement="https://meridian.example/licensing",
    data_mining="http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED",
    licensor="Meridian Licensing Ltd",
    title="Harbour at dawn",
    description="Fishing boats leave the harbour.",
    document_id="xmp.did:meridian-0001",
)
FULL_IIM = iim(
    (1, 90, "\x1b%G"),
    (2, 5, "Harbour at dusk"),
    (2, 80, "Cem Iris"),
    (2, 80, "Dee Focus"),
    (2, 110, "IIM Credit"),
    (2, 115, "Anadolu Agency"),
    (2, 116, "Copyright 2025 Anadolu Agency. All rights reserved."),
    (2, 120, "Ferries wait in the harbour at dusk, İzmir."),
)


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp"])
def test_the_kind_is_told_from_the_content(kind):
    assert kind_of(picture(kind)) == kind
    assert read_picture(picture(kind), name=f"photo.{kind}").format == kind


def test_a_png_named_jpg_is_read_as_png():
    assert read_picture(picture("png"), name="photo.jpg").format == "png"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", "Harbour at dusk"),
        ("creators", ["Cem Iris", "Dee Focus"]),
        ("credit", "IIM Credit"),
        ("provider", "Anadolu Agency"),
        ("caption", "Ferries wait in the harbour at dusk, İzmir."),
    ],
)
def test_each_iptc_iim_dataset_is_read(field, expected):
    assert getattr(read_picture(picture(iptc=FULL_IIM), name="aa.jpg"), field) == expected


def test_the_iim_copyright_notice_is_read_by_the_notice_reader():
    notice = read_picture(picture(iptc=FULL_IIM), name="aa.jpg").notice
    assert notice.text == "Copyright 2025 Anadolu Agency. All rights reserved."
    assert (notice.holder, notice.year, notice.all_rights_reserved) == (
        "Anadolu Agency",
        2025,
        True,
    )


def test_iim_in_latin_1_without_a_character_set_is_read():
    record = bytes([0x1C, 2, 110, 0, 6]) + "Agênce".encode("latin-1")
    assert read_picture(picture(iptc=record), name="l1.jpg").credit == "Agênce"


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("title", "Harbour at dawn"),
        ("caption", "Fishing boats leave the harbour."),
        ("creators", ["Ann Lens", "Bo Shutter"]),
        ("credit", "Meridian / Ann Lens"),
        ("provider", "Meridian Press Agency"),
        ("usage_terms", "Editorial use only."),
        ("web_statement", "https://meridian.example/licensing"),
        ("data_mining", "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED"),
        ("licensor", "Meridian Licensing Ltd"),
        ("guid", "xmp.did:meridian-0001"),
    ],
)
@pytest.mark.parametrize("kind", ["jpeg", "png", "webp"])
def test_each_xmp_property_is_read(kind, field, expected):
    assert getattr(read_picture(picture(kind, xmp=FULL_XMP), name="m"), field) == expected


def test_the_xmp_rights_are_read_by_the_notice_reader_and_its_x_default_wins():
    notice = read_picture(picture(xmp=FULL_XMP), name="m.jpg").notice
    assert notice.text == AGENCY_NOTICE  # not the packet's other language
    assert notice.holder == "Meridian Press Agency"
    assert notice.prohibited == frozenset(Right)


def test_xmp_wins_over_iim_and_iim_fills_what_xmp_lacks():
    bare_xmp = xmp_packet(rights="© 2026 Our Staff Photographers", credit="Our Paper")
    parsed = read_picture(picture(xmp=bare_xmp, iptc=FULL_IIM), name="both.jpg")
    assert parsed.credit == "Our Paper"
    assert parsed.notice.text == "© 2026 Our Staff Photographers"
    assert parsed.creators == ["Cem Iris", "Dee Focus"]


def test_xmp_short_form_attributes_are_read():
    packet = (
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
        b"xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
        b"xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' "
        b"xmlns:xmpRights='http://ns.adobe.com/xap/1.0/rights/' "
        b"photoshop:Credit='Short Form Credit' "
        b"xmpRights:WebStatement='https://example.org/terms'/></rdf:RDF></x:xmpmeta>"
    )
    parsed = read_picture(picture(xmp=packet), name="short.jpg")
    assert (parsed.credit, parsed.web_statement) == (
        "Short Form Credit",
        "https://example.org/terms",
    )


def test_exif_copyright_and_artist_are_the_last_resort():
    exif = gps_exif()
    exif[0x8298] = "Copyright 2024 Exif Holder"
    parsed = read_picture(picture(exif=exif), name="exif.jpg")
    assert parsed.notice.text == "Copyright 2024 Exif Holder"
    assert parsed.creators == ["Exif Artist"]


def test_an_xmp_packet_declaring_entities_is_not_expanded_and_the_picture_still_reads():
    packet = (
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'Boom'>]>"
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'/></x:xmpmeta>"
    )
    parsed = read_picture(picture(xmp=packet), name="entity.jpg")
    assert parsed.notice.text == "" and parsed.width == 800


# --- bad files ---------------------------------------------------------------------------------


def test_a_text_file_named_jpg_is_refused_naming_the_file():
    with pytest.raises(ParseError, match=r"^notes\.jpg: not a picture: it is neither JPEG"):
        read_picture(b"Harbour reopens\n\nThe harbour reopened.\n", name="notes.jpg")


def test_zero_bytes_are_refused_naming_the_file():
    with pytest.raises(ParseError, match=r"^empty\.jpg: empty file"):
        read_picture(b"", name="empty.jpg")


def test_a_truncated_jpeg_is_refused_naming_the_file():
    data = picture(size=(1200, 900))
    with pytest.raises(ParseError, match=r"^cut\.jpg: a broken JPEG picture: .*truncated"):
        read_picture(data[: len(data) // 2], name="cut.jpg")


def test_huge_dimensions_are_refused_by_the_decompression_bomb_limit_naming_the_file():
    with pytest.raises(ParseError, match=r"^bomb\.png: the picture is too large to decode safely"):
        read_picture(huge_png(60_000, 60_000), name="bomb.png")


def test_a_picture_just_over_the_limit_is_refused_too_not_only_twice_over(monkeypatch):
    monkeypatch.setattr("PIL.Image.MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ParseError, match="too large to decode safely"):
        read_picture(picture("png", size=(40, 30)), name="over.png")  # 1,200 pixels
