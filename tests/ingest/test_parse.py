"""Dispatch, decoding and bad input: every failure is a ParseError a person can act on."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import MAX_BYTES, ParseError, decode_text, detect_format, parse

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
CONFORMANCE = HERE.parent / "conformance"
STORY = "Café owners protest\n\nPARIS (AFP) - Café owners in Paris protested on Monday.\n"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (FIXTURES / "anadolu.txt", "text"),
        (CONFORMANCE / "ninjs" / "examples" / "3.0-dpa_text.json", "ninjs"),
        (CONFORMANCE / "newsml-g2" / "LISTING_2_NewsML-G2_Text_Document.xml", "newsml"),
        (FIXTURES / "newsml-message.xml", "newsml"),
        (CONFORMANCE / "nitf" / "NTB_nitf_sample.xml", "nitf"),
    ],
)
def test_format_is_detected_from_content(path, expected):
    assert detect_format(path.read_bytes()) == expected


def test_file_name_does_not_decide_the_format():
    data = (CONFORMANCE / "nitf" / "NTB_nitf_sample.xml").read_bytes()
    assert parse(data, name="story.txt")[0].format == "nitf"


def test_a_format_can_be_forced():
    data = (FIXTURES / "anadolu.txt").read_bytes()
    assert parse(data, format="text")[0].format == "text"
    with pytest.raises(ParseError, match="not valid JSON"):
        parse(data, format="ninjs")
    with pytest.raises(ParseError, match="unknown format 'rtf'"):
        parse(data, format="rtf")


@pytest.mark.parametrize(
    "data",
    [
        STORY.encode("utf-8"),
        codecs.BOM_UTF8 + STORY.encode("utf-8"),
        STORY.encode("utf-16"),
        codecs.BOM_UTF16_BE + STORY.encode("utf-16-be"),
        STORY.encode("cp1252"),
        STORY.replace("Café", "Caf\u00e9 \u201cowners\u201d").encode("cp1252"),
    ],
)
def test_utf8_utf16_with_bom_and_8_bit_text_all_decode(data):
    text = decode_text(data)
    assert "Café" in text
    assert not text.startswith("\ufeff")
    assert parse(data)[0].headline.startswith("Café")


def test_utf16_without_byte_order_mark_is_refused_with_advice():
    with pytest.raises(ParseError, match="UTF-16 without a byte-order mark") as caught:
        parse(STORY.encode("utf-16-le"), name="story.txt")
    assert str(caught.value).startswith("story.txt: not text")


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.7\n\x01\x02\x03\xff\xfe", bytes(range(256))],
)
def test_binary_data_is_not_text(data):
    with pytest.raises(ParseError, match="not text: binary data") as caught:
        parse(data, name="photo.jpg")
    assert "photo.jpg" in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8 + b"\n\n"])
def test_empty_or_blank_file_is_an_error(data):
    with pytest.raises(ParseError, match="empty file"):
        parse(data)


def test_oversized_file_is_refused_before_reading():
    with pytest.raises(ParseError, match="file too large"):
        parse(b"a" * (MAX_BYTES + 1), name="huge.txt")


def test_truncated_xml_names_the_line():
    data = (CONFORMANCE / "nitf" / "NTB_nitf_sample.xml").read_bytes()[:2000]
    with pytest.raises(ParseError, match=r"not well-formed XML at line \d+") as caught:
        parse(data, name="cut.xml")
    assert "cut.xml" in str(caught.value)


def test_external_entity_is_refused_and_never_read():
    data = (FIXTURES / "xxe.xml").read_bytes()
    with pytest.raises(ParseError, match="entities") as caught:
        parse(data, name="xxe.xml")
    assert "root:" not in str(caught.value)


def test_external_entity_is_refused_even_when_forced_as_newsml():
    data = (FIXTURES / "xxe.xml").read_bytes().replace(b"nitf", b"newsItem")
    with pytest.raises(ParseError, match="entities"):
        parse(data, format="newsml")


def test_entity_expansion_bomb_is_refused():
    with pytest.raises(ParseError, match="entities"):
        parse((FIXTURES / "billion-laughs.xml").read_bytes())


def test_xml_that_is_neither_newsml_nor_nitf_is_refused():
    with pytest.raises(ParseError, match=r"root element <html>"):
        parse(b"<html><body><p>Hi</p></body></html>")


def test_deeply_nested_json_is_a_parse_error():
    with pytest.raises(ParseError, match="nested too deeply|not valid JSON"):
        parse(b'{"uri": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def test_json_control_characters_in_html_body_are_a_parse_error_or_read():
    data = b'{"uri": "u", "headline": "H", "body_html": "<p>a\\u0000b</p>"}'
    try:
        items = parse(data)
    except ParseError:
        return
    assert items[0].headline == "H"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_give_items_or_a_parse_error(data):
    try:
        items = parse(data)
    except ParseError:
        return
    assert all(item.headline or item.body_html for item in items)


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=500),
        st.text(alphabet="<>/?!=\"' abc:{}[],&;#\n", max_size=300),
        st.sampled_from(["<nitf>", "<newsItem>", "{", "[{", "<?xml version='1.0'?><nitf>"]).flatmap(
            lambda head: st.text(max_size=200).map(lambda tail: head + tail)
        ),
    )
)
def test_arbitrary_text_gives_items_or_a_parse_error(text):
    try:
        items = parse(text.encode("utf-8", "surrogatepass"))
    except ParseError:
        return
    assert all(item.headline or item.body_html for item in items)
