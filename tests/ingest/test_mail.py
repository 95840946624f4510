"""RFC 822 / MIME email: press releases as .eml files, their parts, encodings and attachments."""

from __future__ import annotations

import datetime
import io
import json
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import ParsedItem, ParseError, UnreadItem, detect_format, parse
from articles.ingest.loader import Ingest
from articles.ingest.mail import looks_like_mail
from articles.models import Article

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
CONFORMANCE = Path(__file__).parent.parent / "conformance"
UTC = datetime.UTC
RELEASE = (
    "BERLIN, 14 January 2031 -- Nordwind Energie said on Tuesday it would build a wind farm\n"
    "off the island of Ruegen, its largest project so far, with the first turbines turning in\n"
    "2034 and power for about a million homes.\n\n"
    "The company expects to create 800 jobs during construction, it said in a statement.\n"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def mail(
    body: str = RELEASE, *, subject: str = "Nordwind to build wind farm", **headers
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = headers.pop("sender", "Nordwind Energie AG <presse@nordwind.example>")
    message["To"] = "desk@newsroom.example"
    message["Subject"] = subject
    message["Date"] = headers.pop("date", "Tue, 14 Jan 2031 09:30:00 +0100")
    if message_id := headers.pop("message_id", "<release-1@nordwind.example>"):
        message["Message-ID"] = message_id
    message.set_content(body, **headers)
    return message


def items(message: EmailMessage | bytes, **options) -> list:
    data = message if isinstance(message, bytes) else message.as_bytes(policy=SMTP)
    return parse(data, name="release.eml", **options)


def story(message: EmailMessage | bytes, **options) -> ParsedItem:
    (item,) = items(message, **options)
    assert isinstance(item, ParsedItem), item
    return item


def test_the_html_alternative_is_the_body_and_the_text_one_is_read_for_embargo_and_notice():
    data = fixture("alternative.eml")
    assert detect_format(data) == "mail"
    item = story(data)
    assert item.format == "mail"
    assert item.headline == "Harbourside Energy to build Suffolk’s largest wind farm"
    assert not item.headline_is_working
    assert item.body_html.startswith("<p>LONDON, 14 January 2031 -- Harbourside Energy said")
    assert '<a href="https://harbourside-energy.example/jobs">800 jobs</a>' in item.body_html
    for left_out in ("EMBARGOED", "Copyright", "alert", "font-family", "Press Office", "+44"):
        assert left_out not in item.body_html
    assert item.embargo_until == datetime.datetime(2031, 1, 15, 0, 1, tzinfo=UTC)
    assert item.notice.holder == "Harbourside Energy" and item.notice.all_rights_reserved
    assert item.provider == "Harbourside Energy Press Office"
    assert item.guid == "mid:20310114093000.4711@mail.harbourside-energy.example"
    assert item.version_created == datetime.datetime(2031, 1, 14, 8, 30, tzinfo=UTC)
    assert item.dateline == "LONDON, 14 January 2031" and item.located == "London"
    assert item.language == "en-GB"


def test_an_iso_8859_15_mail_with_an_encoded_word_subject_reads_its_euro_signs():
    item = story(fixture("latin9-subject.eml"))
    assert item.headline == "Prix de l'eau : +12 € par an en moyenne"
    assert "12 € par an" in item.body_html and "au cœur d'un hiver" in item.body_html
    assert item.provider == "Société générale des eaux"
    assert item.language == "fr"


def test_a_nitf_attachment_is_its_own_item_and_the_covering_note_is_none():
    (item,) = items(fixture("nitf-attachment.eml"))
    assert item.format == "nitf"
    assert item.guid == "nordicwire-20310114-0042"
    assert item.headline == "Ferry services resume across the Baltic"
    assert item.notice.holder == "Nordic Wire"


def test_a_pdf_attachment_is_reported_beside_the_release():
    release, pdf = items(fixture("pdf-attachment.eml"))
    assert release.headline == "Danube Orchestra announces its 2031-32 season"
    assert release.provider == "Danube Orchestra"
    assert isinstance(pdf, UnreadItem)
    assert pdf.guid == "Season 2031-32.pdf"
    assert str(pdf.error).startswith("item attachment Season 2031-32.pdf: not read: a PDF document")
    assert str(pdf.error).endswith("export the story as NITF, NewsML-G2, ninjs or plain text")


def test_a_covering_note_for_a_pdf_alone_is_no_story_and_the_pdf_is_reported():
    message = mail("Please find our release attached.\n\nBest regards,\nPress office\n")
    message.add_attachment(b"%PDF-1.4\n%%EOF\n", maintype="application", subtype="pdf",
                           filename="release.pdf")  # fmt: skip
    (pdf,) = items(message)
    assert isinstance(pdf, UnreadItem) and "a PDF document" in str(pdf.error)


def test_a_picture_is_reported_and_the_short_release_beside_it_is_kept():
    message = mail("Nordwind names a new chief executive, Ilse Brandauer, from March.\n")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="portrait.png")
    release, picture = items(message)
    assert release.headline == "Nordwind to build wind farm"
    assert isinstance(picture, UnreadItem) and picture.guid == "portrait.png"
    assert "a PNG image (image/png" in str(picture.error)
    assert "save it from the mail" in str(picture.error)


def test_a_word_document_is_reported_as_out_of_scope():
    message = mail()
    docx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml word/document.xml"
    subtype = "vnd.openxmlformats-officedocument.wordprocessingml.document"
    message.add_attachment(docx, maintype="application", subtype=subtype, filename="release.docx")
    _, word = items(message)
    assert "a Word .docx document" in str(word.error) and "out of scope" in str(word.error)


def test_a_text_attachment_is_read_as_plain_text_in_its_charset_from_the_mails_sender():
    message = mail("Please find the release attached.\n")
    text = "Nordwind baut Windpark vor Rügen\n\n" + RELEASE.replace("Ruegen", "Rügen")
    message.add_attachment(text.encode("iso-8859-15"), maintype="text", subtype="plain",
                           filename="release.txt", params={"charset": "iso-8859-15"})  # fmt: skip
    (item,) = items(message)
    assert item.format == "text"
    assert item.headline == "Nordwind baut Windpark vor Rügen"
    assert "island of Rügen" in item.body_html
    assert item.provider == "Nordwind Energie AG"


def test_an_attached_email_is_read_as_its_own_story():
    inner = mail(message_id="<inner@nordwind.example>")
    outer = mail(
        "FYI, see the attached release.\n",
        subject="Fwd: Nordwind to build wind farm",
        sender="Jane Doe <jane@newsroom.example>",
        message_id="<outer@newsroom.example>",
    )
    outer.add_attachment(inner)
    (item,) = items(outer)
    assert item.guid == "mid:inner@nordwind.example"
    assert item.provider == "Nordwind Energie AG"


def test_a_forwarded_message_is_read_without_the_forwarders_note_and_from_its_sender():
    body = (
        "Worth a look for tomorrow?\n\nJane\n\n"
        "---------- Forwarded message ---------\n"
        "From: Nordwind Energie Presse <presse@nordwind.example>\n"
        "Date: Tue, 14 Jan 2031 at 09:30\nSubject: Nordwind to build wind farm\n"
        "To: <jane@newsroom.example>\n\n" + RELEASE
    )
    item = story(mail(body, subject="Fwd: Nordwind to build wind farm",
                      sender="Jane Doe <jane@newsroom.example>"))  # fmt: skip
    assert item.headline == "Nordwind to build wind farm"
    assert item.body_html.startswith("<p>BERLIN, 14 January 2031 --")
    assert "Worth a look" not in item.body_html and "Forwarded" not in item.body_html
    assert item.provider == "Nordwind Energie Presse"


@pytest.mark.parametrize(
    ("subject", "headline"),
    [
        ("Re: Fwd: [presse] Nordwind to build wind farm", "Nordwind to build wind farm"),
        ("AW: WG: Nordwind baut Windpark", "Nordwind baut Windpark"),
        ("TR: [Communiqué] Nordwind construit un parc", "Nordwind construit un parc"),
    ],
)
def test_reply_forward_and_list_prefixes_leave_the_subject(subject, headline):
    assert story(mail(subject=subject)).headline == headline


@pytest.mark.parametrize(
    ("sender", "provider"),
    [
        ("Nordwind Energie AG <presse@nordwind.example>", "Nordwind Energie AG"),
        ("Press Office <press@harbour.example>", "Press Office"),
        ("Jane Doe <jane.doe@nordwind.example>", "nordwind.example"),
        ("presse@www.nordwind.example", "nordwind.example"),
    ],
)
def test_the_provider_is_the_organisations_name_or_else_its_domain(sender, provider):
    assert story(mail(sender=sender)).provider == provider


@pytest.mark.parametrize("cte", ["quoted-printable", "base64", "8bit"])
def test_transfer_encodings_and_charsets_of_the_body_are_undone(cte):
    body = RELEASE.replace("Ruegen", "Rügen")
    item = story(mail(body, charset="iso-8859-1", cte=cte))
    assert "island of Rügen" in item.body_html


def test_a_date_without_a_zone_is_read_in_the_sources_zone_and_says_so():
    item = story(mail(date="Tue, 14 Jan 2031 09:30:00 -0000"))
    assert item.version_created == datetime.datetime(2031, 1, 14, 9, 30, tzinfo=UTC)
    assert item.zone_assumed == ["version_created"]


def test_a_mail_without_a_message_id_has_no_guid_and_one_without_text_is_refused():
    assert story(mail(message_id="")).guid == ""
    with pytest.raises(ParseError, match="no story text"):
        items(mail("\n"))


def test_text_that_only_mentions_a_sender_is_not_mail():
    assert not looks_like_mail("From: the desk\n\nThe harbour reopened on Monday.\n")
    assert not looks_like_mail("From the desk: the harbour reopened on Monday.\n")
    assert looks_like_mail("From: a@b.example\nSubject: Harbour\n\nText\n")
    assert detect_format(b"From: the desk\nTo: everyone\n\nThe harbour reopened.\n") == "text"


# --- through the loader and the command -------------------------------------------------------


@pytest.mark.django_db
def test_the_loader_stores_the_release_and_an_unchanged_resend_changes_nothing():
    reports = list(Ingest().data(fixture("alternative.eml"), name="release.eml"))
    assert [r.status for r in reports] == ["created"], reports
    article = Article.objects.get()
    assert article.headline == "Harbourside Energy to build Suffolk’s largest wind farm"
    assert article.copyright_holder == "Harbourside Energy"
    assert article.guid == "mid:20310114093000.4711@mail.harbourside-energy.example"
    assert article.source.name == "Harbourside Energy"
    assert article.wire_format == "mail"
    assert "<a href" in article.body and "<script" not in article.body
    (again,) = Ingest().data(fixture("alternative.eml"), name="release.eml")
    assert again.status == "unchanged"


@pytest.mark.django_db
def test_a_corrected_resend_of_an_8_bit_latin_1_mail_updates_the_same_article():
    body = RELEASE.replace("Ruegen", "Rügen")
    first = mail(body, charset="iso-8859-1", cte="8bit").as_bytes(policy=SMTP)
    (created,) = Ingest().data(first, name="release.eml")
    assert created.status == "created", created.error
    corrected = mail(body.replace("800 jobs", "900 jobs"), charset="iso-8859-1", cte="8bit")
    (updated,) = Ingest().data(corrected.as_bytes(policy=SMTP), name="release-2.eml")
    assert updated.status == "updated", updated.error  # the stored copy read back alike
    assert "900 jobs" in Article.objects.get().body and "Rügen" in Article.objects.get().body


@pytest.mark.django_db
def test_manage_py_ingest_json_reports_the_release_and_the_pdf_it_could_not_read():
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("ingest", "--json", str(FIXTURES / "pdf-attachment.eml"), stdout=out,
                     stderr=io.StringIO())  # fmt: skip
    assert exited.value.code == 1
    release, pdf = (json.loads(line) for line in out.getvalue().splitlines())
    assert release["status"] == "created" and release["headline"].startswith("Danube Orchestra")
    assert pdf["status"] == "error" and pdf["guid"] == "Season 2031-32.pdf"
    assert "a PDF document" in pdf["error"]


# --- anything else is a ParseError ------------------------------------------------------------

_HEADERS = st.sampled_from(
    ["From: a@b.example\n", "Subject: =?utf-8?q?H=C3=A4fen?=\n", "Date: nonsense\n",
     "Date: Tue, 14 Jan 2031 09:30:00 +0100\n", "Message-ID: <x@y>\n", "MIME-Version: 1.0\n",
     "Content-Type: multipart/mixed; boundary=b\n", "Content-Type: text/html; charset=x-bogus\n",
     "Content-Transfer-Encoding: base64\n", "Content-Type: message/rfc822\n", " folded\n"]
)  # fmt: skip
_BODIES = st.sampled_from(
    ["--b\n", "--b--\n", "\n", "<p>Harbour</p>\n", "SGFyYm91cg==\n", "=C3=A4\n", RELEASE,
     "Content-Type: application/pdf\n", "Content-Disposition: attachment; filename=x.txt\n",
     "EMBARGOED UNTIL 00:01 GMT 2 JANUARY 2031\n", "Copyright 2031 X. All rights reserved.\n"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_HEADERS, max_size=8), st.lists(_BODIES, max_size=12))
def test_any_mail_gives_items_or_a_parse_error(headers, body):
    data = ("From: a@b.example\nSubject: S\n" + "".join(headers) + "\n" + "".join(body)).encode()
    try:
        found = parse(data)
    except ParseError:
        return
    assert all(isinstance(i, UnreadItem) or i.headline or i.body_html for i in found)


def test_an_html_only_mail_is_read_from_its_html_lines_and_blocks():
    html = (
        "<html><body><div>EMBARGOED UNTIL 00:01 GMT 15 JANUARY 2031</div>"
        "<div>BERLIN, 14. Januar 2031 -- Die Nordwind Energie AG hat am Dienstag angekündigt, "
        "vor Rügen einen Windpark zu bauen.<br>Die ersten Anlagen sollen 2034 Strom liefern, "
        "teilte das Unternehmen mit.</div><div><br></div>"
        "<div class='gmail_signature'>Nordwind Presse<br>+49 30 0000</div></body></html>"
    )
    message = mail(subject="Nordwind baut Windpark vor Rügen")
    message.set_content(html, subtype="html")
    item = story(message)
    assert item.headline == "Nordwind baut Windpark vor Rügen"
    assert item.embargo_until == datetime.datetime(2031, 1, 15, 0, 1, tzinfo=UTC)
    assert "EMBARGOED" not in item.body_html and "+49" not in item.body_html
    assert "vor Rügen einen Windpark" in item.body_html
    assert item.dateline.startswith("BERLIN") and item.language == "de"


def test_inline_text_after_an_inline_picture_is_more_of_the_body():
    message = EmailMessage()
    message["From"], message["Subject"] = "Nordwind Energie AG <p@nordwind.example>", "Wind farm"
    message["Message-ID"] = "<apple@nordwind.example>"
    message.make_mixed()
    for part in (RELEASE, PNG, "The company will present the plans in Berlin on Friday.\n"):
        attached = EmailMessage()
        if isinstance(part, bytes):
            attached.set_content(part, maintype="image", subtype="png", disposition="inline")
        else:
            attached.set_content(part)
        message.attach(attached)
    release, picture = items(message)
    assert "present the plans in Berlin" in release.body_html
    assert isinstance(picture, UnreadItem) and "a PNG image" in str(picture.error)


def test_a_release_that_cannot_be_read_leaves_its_attachments_read():
    message = mail("EMBARGOED UNTIL SOMEDAY SOON\n\n" + RELEASE)
    message.add_attachment(PNG, maintype="image", subtype="png", filename="logo.png")
    release, logo = items(message)
    assert isinstance(release, UnreadItem) and release.guid == "mid:release-1@nordwind.example"
    assert "embargo" in str(release.error)
    assert isinstance(logo, UnreadItem) and logo.guid == "logo.png"
