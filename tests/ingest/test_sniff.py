"""What a file we cannot read appears to be, and how the refusal says it and what to do."""

from __future__ import annotations

import gzip
import json

import pytest

from articles.ingest import ParseError, parse
from articles.ingest.sniff import EXPORT, identify, refusal

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
WXR = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Blog</title>
<wp:wxr_version>1.2</wp:wxr_version><item><title>Post</title></item></channel></rss>"""
JSON_FEED = json.dumps(
    {"version": "https://jsonfeed.org/version/1.1", "title": "Blog", "items": [{"id": "1"}]}
).encode()
WP_REST = json.dumps(
    [{"id": 7, "title": {"rendered": "Post"}, "content": {"rendered": "<p>Text</p>"}}]
).encode()
CSV = (
    b"date,headline,section,words\n2031-01-14,Harbour reopens,News,412\n"
    b"2031-01-15,Ferry strike,News,288\n2031-01-16,Budget passes,Politics,640\n"
)

SAMPLES = {
    "a WordPress export (WXR), not a supported wire format": WXR,
    "a PDF document": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    "a ZIP archive (perhaps a Word .docx or OpenDocument file)": b"PK\x03\x04\x14\x00"
    + b"\x00" * 40,
    "a Word .docx document": b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xmlword/document.xml",
    "an Excel workbook (.xlsx)": b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xmlxl/workbook.xml",
    "an OpenDocument text (.odt)": b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.text",
    "a legacy Word .doc document": OLE + "WordDocument".encode("utf-16-le"),
    "an Excel workbook (.xls)": OLE + "Workbook".encode("utf-16-le"),
    "an Outlook .msg message": OLE + "__substg1.0_0037001F".encode("utf-16-le"),
    "an RTF document": b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Harbour reopens}",
    "a JPEG image": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
    "a PNG image": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "a GIF image": b"GIF89a\x01\x00\x01\x00\x80\x00\x00",
    "a WebP image": b"RIFF\x24\x00\x00\x00WEBPVP8 ",
    "an HTML web page, not a wire format": b"<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>",
    "a CSV table (a spreadsheet's export)": CSV,
    "a JSON Feed, not a supported wire format": JSON_FEED,
    "a WordPress REST API response, not a supported wire format": WP_REST,
    "an SVG image": b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "a gzip archive": gzip.compress(b"<nitf/>"),
    "an MP3 audio file": b"ID3\x04\x00\x00\x00\x00\x00\x00",
    "an MP4 media file": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00",
    "a TIFF image": b"II*\x00\x08\x00\x00\x00",
    "a vCard (a contact), not a story": b"BEGIN:VCARD\nVERSION:3.0\nFN:Jane Doe\nEND:VCARD\n",
}


@pytest.mark.parametrize(("what", "data"), SAMPLES.items(), ids=list(SAMPLES))
def test_each_kind_of_file_is_named(what, data):
    guess = identify(data)
    assert guess is not None and guess.what == what
    assert guess.advice  # and says what would make it readable


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>',
        b'<?xml version="1.0"?><NewsML Version="1.2"><NewsEnvelope/></NewsML>',
        b'{"api_version": "2.x", "data": {"item": {"headline": "H"}}}',
        b'{"guid": "urn:sd:1", "type": "text", "headline": "H", "body_html": "<p>B</p>"}',
        b"Harbour reopens\n\nThe harbour reopened on Monday, the port said.\n",
    ],
    ids=["rss", "atom", "newsml-1.2", "ap-media-api", "superdesk-ninjs", "a-story"],
)
def test_formats_other_readers_take_and_stories_are_not_described(data):
    assert identify(data) is None


def test_a_refusal_names_what_it_is_and_ends_with_what_would_make_it_readable():
    assert refusal("not text: binary data", SAMPLES["a PDF document"]) == (
        "not text: binary data: this looks like a PDF document; " + EXPORT
    )
    assert refusal("not text: binary data", b"\x00\x01\x02") == f"not text: binary data; {EXPORT}"
    assert refusal("unrecognised", b"<rss><channel/></rss>") == "unrecognised"


# --- in the refusals of parse() -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("a PDF document", "not text: binary data: this looks like a PDF document"),
        (
            "a PNG image",
            "this looks like a PNG image; ingest reads it as a picture with the format",
        ),
        ("a GIF image", "this looks like a GIF image; ingest reads pictures in JPEG, PNG or WebP"),
        ("a legacy Word .doc document", "binary data: this looks like a legacy Word .doc"),
        ("a gzip archive", "a gzip archive; unpack it and ingest the files inside"),
        ("a Word .docx document", "a Word .docx document; Office documents are not read"),
    ],
)
def test_binary_files_are_refused_as_what_they_are(name, what):
    with pytest.raises(ParseError) as caught:
        parse(SAMPLES[name] + b"stream\x00\x01\x02\xff", name="upload.bin")
    message = str(caught.value)
    assert message.startswith("upload.bin: not text: binary data: this looks like")
    assert what in message


@pytest.mark.parametrize(
    ("name", "opening"),
    [
        ("an HTML web page, not a wire format", "unrecognised XML: the root element <html>"),
        ("a WordPress export (WXR), not a supported wire format", "unrecognised XML"),
        ("an SVG image", "unrecognised XML: the root element <svg>"),
        ("a JSON Feed, not a supported wire format", "not a news item"),
        ("a WordPress REST API response, not a supported wire format", "not a news item"),
        ("an RTF document", "not a news item"),
        ("a CSV table (a spreadsheet's export)", "not a story"),
    ],
)
def test_text_files_in_other_formats_are_refused_as_what_they_are(name, opening):
    with pytest.raises(ParseError) as caught:
        parse(SAMPLES[name], name="upload")
    message = str(caught.value)
    assert message.startswith(f"upload: {opening}")
    assert f"this looks like {name}" in message
    assert message.endswith(identify(SAMPLES[name]).advice)


def test_a_pdf_without_binary_streams_is_not_read_as_a_story_either():
    with pytest.raises(ParseError, match="^upload.pdf: not a story: this looks like a PDF doc"):
        parse(SAMPLES["a PDF document"], name="upload.pdf")


def test_json_with_none_of_ninjs_fields_says_so():
    with pytest.raises(ParseError, match="JSON document that is not a news item"):
        parse(b'{"temperature": 21, "city": "Hamburg"}')


def test_an_rss_feed_is_read_as_a_feed_not_described_as_something_else():
    # An empty channel is a feed with nothing new in it, as a poll finds it.
    assert parse(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>') == []


def test_a_story_with_commas_on_every_line_is_not_a_table():
    story = (
        b"Harbour reopens, port says\n\n"
        b"HAMBURG, Jan 14 (dpa) - The harbour reopened, after repairs, on Monday.\n\n"
        b"Ships queued, crews cheered, and the mayor spoke.\n\n"
        b"Copyright 2031 dpa, Hamburg. All rights reserved.\n"
    )
    assert parse(story)[0].headline == "Harbour reopens, port says"
