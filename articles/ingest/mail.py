"""RFC 822 / MIME email: press releases sent to a desk address and saved as .eml files.

The subject is the headline (without "Fwd:", "Re:" or a "[list]" tag), the HTML part the body
where there is one (the loader sanitises it), else the plain-text part; the sender is the
provider (the organisation's display name, else its domain), Date the version time, Message-ID
the guid ("mid:" and the id, RFC 2392). Embargo lines, credits and notices in the text are read
as in plain-text copy. Quoted-printable, base64 and the charsets of parts and of RFC 2047
encoded words in headers are the standard library's `email` package's to undo.

Attachments. A text attachment, or one in a wire format (NITF, NewsML-G2, ninjs, IPTC 7901, an
attached email), is read as its own item or items through the same `parse` as any file. Every
other attachment (a picture, a PDF, a Word file: .docx is out of scope here) is reported as an
UnreadItem saying what it is. Not a note inside the story: the story would be published with
it, while an UnreadItem goes in the run's report beside the stored story, where the desk reads
what the run could not use, and fetches a press photo from the mail. (The run then exits 1, as
for any item not read.) A mail whose own text is a short covering note ("Please find attached
our release") for attached documents is no story of its own: its attachments are.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import parseaddr
from urllib.parse import quote

import lxml.html
from lxml import etree

from articles.ingest import sniff, text, wirecopy
from articles.ingest.parsed import ParsedItem, ParseError, Skipped, UnreadItem
from articles.ingest.text import _EMBARGO_LINE as EMBARGO_LINE  # one pattern for both readers
from articles.notices import is_notice_line

_HEADER_LINE = re.compile(r"^[!-9;-~]+:")  # a field name is printable ASCII but the colon
_KNOWN = {"subject", "date", "message-id", "mime-version", "received", "content-type"}
_SUBJECT_PREFIX = re.compile(
    r"^(?:\s*(?:(?:re|fwd?|aw|wg|tr|sv|vs|rv|enc|antw|odp|vb)\s*(?:\[\d+\])?\s*:|\[[^\]]{1,60}\]))+",
    re.I,
)
_FORWARDED = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|original message|weitergeleitete nachricht|"
    r"message transféré|ursprüngliche nachricht)\s*-{2,}|begin forwarded message:)",
    re.I,
)
_QUOTED_HEADER = re.compile(
    r"^\s*(?:from|von|de|date|datum|sent|gesendet|envoyé|subject|betreff|objet|to|an|à|cc)\s*:",
    re.I,
)
_COVERING_NOTE_WORDS = 50
_MAX_DEPTH = 3
_BLOCKS = ("p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
_READABLE_TYPES = re.compile(
    r"^(?:text/(?:plain|xml|html)|application/(?:[\w.+-]*\+)?(?:xml|json))$"
)


def looks_like_mail(source: str) -> bool:
    """Whether text opens with an email's header block: header lines (with folded lines) up to
    a blank line, among them a From with an address and a Subject, Date, Message-ID,
    MIME-Version, Received or Content-Type."""
    if source.startswith("From ") and len(re.findall(r"^From \S", source[:65536], re.M)) > 1:
        return False  # a mailbox of several messages
    names: set[str] = set()
    sender = False
    for position, line in enumerate(source[:65536].replace("\r\n", "\n").split("\n")):
        if not line.strip():
            return sender and bool(names & _KNOWN)
        if position == 0 and line.startswith("From "):
            continue  # an mbox separator line
        if line[:1] in (" ", "\t") and names:
            continue
        if not _HEADER_LINE.match(line):
            return False
        field, _, value = line.partition(":")
        names.add(field.strip().lower())
        sender = sender or (field.strip().lower() == "from" and "@" in value)
    return False


def parse(
    data: bytes,
    *,
    name: str = "",
    zone: datetime.tzinfo = text.UTC,
    read: Callable[..., list],
) -> list[ParsedItem | UnreadItem]:
    """Read an email into its items: its own story, and one or more per readable attachment.

    `read` is the package's `parse`, given by its caller rather than imported (it imports this
    module), which reads an attachment as it would read a file.
    """
    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as error:  # the email package raises several kinds on broken input
        raise ParseError(f"not a readable email: {error}", item=name) from None
    results = _Reader(name=name, zone=zone, read=read).message(message, _decoded(data), depth=0)
    if not results:
        raise ParseError("no story text: the mail has no text and no attachment", item=name)
    return results


def _decoded(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _header(message: Message, field: str) -> str:
    try:
        value = message.get(field)
    except Exception:  # a header the email package fails to parse counts as absent
        return ""
    return " ".join(str(value).split()) if value is not None else ""


class _Reader:
    def __init__(self, *, name: str, zone: datetime.tzinfo, read: Callable[..., list]):
        self.name = name
        self.zone = zone
        self.read = read

    def message(self, message: Message, original: str, *, depth: int) -> list:
        body, plain = _part(message, ("html", "plain")), _part(message, ("plain",))
        results: list = []
        documents = False
        continued: list[str] = []  # inline text after an inline picture: the body goes on
        others = [p for p in _leaves(message) if p is not body and p is not plain]
        for place, part in enumerate(others, start=1):
            if plain is not None and _continues(part):
                continued.append(_content(part))
                continue
            found, document = self.attachment(part, place, depth=depth)
            results.extend(found)
            documents = documents or document
        provider = _provider(_header(message, "from"), message)
        for result in results:
            if isinstance(result, ParsedItem) and not (result.provider or result.notice.holder):
                result.provider = provider  # the attachment's sender is the mail's
        own = "\n\n".join([_content(plain) if plain is not None else "", *continued])
        html_text = _content(body) if body is not None and body is not plain else ""
        forwarded: dict[str, str] = {}
        own = _unsigned(_unforward(own, forwarded))
        lines = _html_lines(html_text) if html_text and not own.strip() else []
        story = own if own.strip() else "\n\n".join(lines)
        if not story.strip() or (len(story.split()) < _COVERING_NOTE_WORDS and documents):
            return results  # no text, or a covering note for the attachments
        if forwarded.get("from"):
            provider = _provider(forwarded["from"], message)
        try:
            return [self.story(message, story, html_text, provider, original), *results]
        except ParseError as error:
            if not results:
                raise
            guid = _guid(_header(message, "message-id")) or "#1"
            return [UnreadItem(guid=guid, error=error), *results]  # its attachments still count

    def story(
        self, message: Message, story: str, html_text: str, provider: str, original: str
    ) -> ParsedItem:
        subject = _SUBJECT_PREFIX.sub("", _header(message, "subject")).strip()
        label = _header(message, "message-id") or self.name
        item = text.parse("\n\n".join(p for p in (subject, story) if p), name=label, zone=self.zone)
        item = item[0]
        if subject and item.headline != subject:  # it read the subject as the lead
            item.body_html = item.body_html.partition("\n")[2]
            item.headline, item.headline_is_working = subject, False
        if html_text:
            item.body_html = _clean_html(html_text) or item.body_html
        item.format = "mail"
        item.guid = _guid(_header(message, "message-id"))
        item.provider = provider
        item.language = _header(message, "content-language").split(",")[0].strip()
        item.language = item.language or _html_language(html_text) or wirecopy.language(story)
        item.version_created = self.sent(message, item)
        item.original = original
        return item

    def sent(self, message: Message, item: ParsedItem) -> datetime.datetime | None:
        try:
            moment = message["date"].datetime if message["date"] is not None else None
        except Exception:  # an unreadable Date is no Date
            return None
        if moment is None:
            return None
        if moment.tzinfo is None:  # "-0000": the sender's zone is not known
            item.zone_assumed.append("version_created")
            moment = moment.replace(tzinfo=self.zone)
        return moment.astimezone(datetime.UTC)

    def attachment(self, part: Message, place: int, *, depth: int) -> tuple[list, bool]:
        """The items an attachment holds, and whether it is a document (not a picture, sound or
        video) that the mail's own text may be a covering note for."""
        kind = part.get_content_type()
        filename = _filename(part)
        label = filename or f"{place} ({kind})"
        media = kind.split("/")[0] in {"image", "audio", "video"}
        if kind == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if not isinstance(inner, Message) or depth >= _MAX_DEPTH:
                return [self.unread(label, "an attached email nested too deeply to read")], True
            try:
                original = _decoded(inner.as_bytes())
            except Exception:  # a message the email package cannot write out again
                original = _decoded(_payload(part))
            return self.message(inner, original, depth=depth + 1), True
        payload = _payload(part)
        guess = sniff.identify(payload)
        if _READABLE_TYPES.match(kind) or (guess is None and _is_text(payload) and not media):
            if kind == "text/plain":
                payload = _content(part).encode("utf-8")  # in its declared charset, now UTF-8
            try:
                return self.read(payload, name=label, zone=self.zone), True
            except ParseError as error:
                return [self.unread(label, str(error).removeprefix(f"{label}: "))], True
        size = f"{len(payload) / 1024:,.0f} KB" if len(payload) >= 1024 else f"{len(payload)} B"
        what = guess.what if guess else f"a {kind} file"
        if media:
            advice = "save it from the mail to use it: ingest stores stories, not pictures or media"
        elif "docx" in what or kind.endswith("wordprocessingml.document"):
            what = "a Word .docx document"
            advice = "Word documents are out of scope here; " + sniff.EXPORT
        else:
            advice = guess.advice if guess else sniff.EXPORT
        unread = self.unread(label, f"not read: {what} ({kind}, {size}); {advice}", skip=media)
        return [unread], not media

    def unread(self, label: str, message: str, *, skip: bool = False) -> UnreadItem:
        """An attachment not read: a picture or other media is passed over (`Skipped`), a
        document that should have been a story is a failure."""
        error = (Skipped if skip else ParseError)(message, item=f"attachment {label}")
        return UnreadItem(guid=label, error=error)


def _part(message: Message, preference: tuple[str, ...]) -> Message | None:
    try:
        return message.get_body(preferencelist=preference) if hasattr(message, "get_body") else None
    except Exception:  # a broken structure has no body to offer
        return None


def _continues(part: Message) -> bool:
    """An inline text part without a name: more of the body, not an attachment."""
    try:
        inline = part.get_content_disposition() != "attachment"
    except Exception:  # a disposition the email package cannot read is no disposition
        inline = True
    return part.get_content_type() == "text/plain" and inline and not _filename(part)


def _leaves(message: Message) -> list[Message]:
    """Every part that is not a container, an attached email counting as one part."""
    if message.get_content_type() == "message/rfc822" or not message.is_multipart():
        return [message]
    payload = message.get_payload()
    return [leaf for part in payload if isinstance(part, Message) for leaf in _leaves(part)]


def _filename(part: Message) -> str:
    try:
        return " ".join((part.get_filename() or "").split())
    except Exception:  # an undecodable name is no name
        return ""


def _payload(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding gives what it can
        payload = None
    return payload if isinstance(payload, bytes) else b""


def _content(part: Message) -> str:
    """A text part's text, in its declared charset (an unknown one read as UTF-8 or 1252).

    A part sent as 8-bit bytes that are valid UTF-8 is read as UTF-8 whatever it declares: mail
    programs often mislabel it, and it is how our own stored copy of the mail reads again."""
    payload = _payload(part)
    charset = str(part.get_content_charset() or "ascii")
    encoding = str(part.get("content-transfer-encoding", "")).lower()
    attempts = ["utf-8", charset] if encoding in {"8bit", "binary"} else [charset, "utf-8"]
    for attempt in [*attempts, "cp1252"]:
        try:
            return payload.decode(attempt)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _is_text(payload: bytes) -> bool:
    sample = payload[:4096]
    return bool(sample) and not re.search(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]", sample)


def _unforward(story: str, forwarded: dict[str, str]) -> str:
    """A forwarded message's own text: without the forwarder's note and the quoted headers
    (whose From and Subject go in `forwarded`)."""
    lines = story.replace("\r\n", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if _FORWARDED.match(line)), None)
    if start is None:
        return story
    rest = lines[start + 1 :]
    while rest and (_QUOTED_HEADER.match(rest[0]) or not rest[0].strip()):
        field, _, value = rest.pop(0).partition(":")
        if field.strip().lower() in {"from", "von", "de"} and "from" not in forwarded:
            forwarded["from"] = value.strip()
    return "\n".join(rest)


def _unsigned(story: str) -> str:
    """The text without the signature: what follows a "-- " line (RFC 3676)."""
    return re.split(r"^--[ \t]?$", story, maxsplit=1, flags=re.M)[0]


def _provider(sender: str, message: Message) -> str:
    """The organisation that sent the mail: the sender's display name where it names an
    organisation (not a person), else the Organization header, else the address's domain."""
    display, address = parseaddr(sender)
    display = " ".join(display.split()).strip("\"' ")
    domain = address.rpartition("@")[2].lower().removeprefix("www.").strip(">")
    people, organisation = text.bylines_from_statement(display) if display else ([], "")
    in_domain = any(len(w) > 2 and w.casefold() in domain for w in re.findall(r"\w+", display))
    if display and "@" not in display and (organisation or not people or in_domain):
        return display
    return _header(message, "organization") or domain


def _guid(message_id: str) -> str:
    """ "mid:" and the Message-ID (RFC 2392); "" where there is none."""
    identifier = message_id.strip().strip("<>").strip()
    if not identifier:
        return ""
    guid = "mid:" + quote(identifier, safe="@!$&'()*+,;=:-._~")
    if len(guid) > 255:
        return "mid:sha256-" + hashlib.sha256(identifier.encode()).hexdigest()
    return guid


# --- HTML bodies ---------------------------------------------------------------------------------


def _document(html_text: str) -> etree._Element | None:
    try:
        document = lxml.html.document_fromstring(html_text)
    except (etree.ParserError, ValueError):
        return None
    for node in document.xpath("//script|//style|//head|//title|//meta|//link|//comment()"):
        node.drop_tree()
    for image in document.xpath("//img[starts-with(@src, 'cid:')]"):
        image.drop_tree()  # a picture inside the mail, reported apart: no link to show here
    for br in document.iter("br"):
        br.tail = "\n" + (br.tail or "")  # so a line break reads as one in the text
    return document


def _leaf_blocks(document: etree._Element) -> list[etree._Element]:
    return [
        node
        for node in document.iter(*_BLOCKS)
        if not any(child.tag in _BLOCKS for child in node.iterdescendants())
    ]


def _block_text(node: etree._Element) -> str:
    return " ".join(node.text_content().split())


def _html_lines(html_text: str) -> list[str]:
    """An HTML body's text, a line a block (and a line at each <br>)."""
    document = _document(html_text)
    if document is None:
        return []
    blocks = _leaf_blocks(document) or [document]
    return [
        " ".join(line.split())
        for block in blocks
        for line in block.text_content().split("\n")
        if line.strip()
    ]


def _removed(line: str) -> bool:
    """A line the plain-text reader keeps out of the body: a notice, embargo or credit line."""
    return bool(
        is_notice_line(line) or EMBARGO_LINE.match(line) or text.credit_line(line) is not None
    )


def _clean_html(html_text: str) -> str:
    """The HTML body's content, without the blocks the text reader keeps out of the body, and
    without a forwarder's note before a forwarded message."""
    document = _document(html_text)
    if document is None:
        return ""
    for signature in document.xpath(_SIGNATURE_XPATH):
        signature.drop_tree()
    blocks = _leaf_blocks(document)
    forward = next((i for i, b in enumerate(blocks) if _FORWARDED.match(_block_text(b))), -1)
    quoting, signed = forward >= 0, False  # the quoted headers that follow the forward line
    for position, block in enumerate(blocks):
        line = _block_text(block)
        quoting = quoting and position > forward and (not line or _quoted(line))
        signed = signed or (position > forward and (line == "--" or line.startswith("-- ")))
        if position <= forward or quoting or signed or (line and _removed(line)):
            block.drop_tree()
    body = document.find("body")
    holder = body if body is not None else document
    parts = [etree.tostring(child, encoding="unicode", method="html") for child in holder]
    return ((holder.text or "").strip() + "".join(parts)).strip()


_SIGNATURE_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' gmail_signature ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' moz-signature ')]"
)


def _quoted(line: str) -> bool:
    return bool(_QUOTED_HEADER.match(line)) and len(line.split()) <= 30


def _html_language(html_text: str) -> str:
    found = re.search(r"<html[^>]*\slang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)", html_text)
    return found[1] if found else ""
