"""IPTC 7901 and ANPA 1312: the serial-line formats agencies (dpa, AFP, KNA, AP, CP) still deliver
as files, one message or many to a file. Both frame a message the same way:

    SYN SYN SOH header STX text ETX post-text EOT

IPTC 7901's header is a line (source identifier and message number "eca0003", priority "3",
category "i", word count "380", optional information such as "dpa 0045" or a story id
"170123-89-00065#2"), then the keyword line ("Switzerland/migration/UN/") and any take or
version words ("1ST LEAD", "REFILE", "1. Fortsetzung"). Its post-text is the time sent, "212322
GMT Nov 18". The text is a headline (ending "=" at dpa and KNA), a byline, paragraphs set off by
blank lines or indentation, and the agency's sign-off ("dpa al rmo").

ANPA 1312's header is two lines: service level designator and message number ("a0601"), US, the
selector code; then priority, category, the format identifier (DC3 body or DC4 agate, with DC1
text or DC2 tabular), the keyword ("BC-Heat-Hawks"), version ("1stLd-Writethru"), reference,
filing date ("02-20") and word count. Its text opens with "^" lines (slug, headline, notes,
byline), indents each paragraph with a tab, and closes with "AP-WF-02-20-16 0337GMT".

A story sent in takes (adds) is joined in order, when its takes are in the same file; a lead,
writethru or correction of it has the same guid and a higher version, so it updates the item.
"""

from __future__ import annotations

import codecs
import datetime
import hashlib
import html
import re
from urllib.parse import quote

from articles.ingest import text, wirecopy
from articles.ingest.parsed import ParsedItem, ParseError, UnreadItem, keyword_list
from articles.notices import is_notice_line, parse_notice

SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"
# Control bytes no framing uses (the framings use SOH-EOT, BS, VT, FF, DLE, DC1-DC4, SYN, ESC and
# FS-US): a file holding any of them is binary, framed or not.
FOREIGN_BYTES = re.compile(rb"[\x00\x05-\x07\x0e\x0f\x15\x17-\x1a\x7f]")
FOREIGN_CHARS = re.compile(r"[\x00\x05-\x07\x0e\x0f\x15\x17-\x1a\x7f]")
_OPENING = re.compile(r"\A\ufeff?[\x16\s]*\x01[\x16\r\n ]*")
_ANPA_FIRST = re.compile(
    r"(?P<level>[A-Za-z])(?P<number>\d{4})(?P<upi>[^\x1f\n]{0,16})\x1f(?P<selector>[^\r\n]*)"
)
_IPTC_FIRST = re.compile(
    r"(?P<source>[A-Za-z]{0,6}) ?(?P<number>\d{1,5}) +(?P<priority>\d) +(?P<category>[A-Za-z]{1,3})"
    r" +(?P<words>\d{1,5})\b(?P<optional>[^\r\n]*)"
)
_ANPA_SECOND = re.compile(
    r"(?P<priority>[A-Za-z]) (?P<category>[A-Za-z])(?P<format>[\x13\x14][\x11\x12])? ?"
    r"(?P<fields>[^\r\n]*)"
)
_ISO_2022 = {  # ESC - F: the 96-character set designated as G1, by its final byte
    b"A": "iso8859-1", b"B": "iso8859-2", b"C": "iso8859-3", b"D": "iso8859-4",
    b"F": "iso8859-7", b"G": "iso8859-6", b"H": "iso8859-8", b"L": "iso8859-5",
    b"M": "iso8859-9", b"V": "iso8859-10", b"Y": "iso8859-13", b"_": "iso8859-14",
    b"b": "iso8859-15", b"f": "iso8859-16",
}  # fmt: skip
_DESIGNATION = re.compile(rb"\x1b-([A-Za-z_])")
_ESCAPES = re.compile(r"\x1b[\x20-\x2f]*[\x30-\x7e]?")
_INSTRUCTION = re.compile(r"\x0c[^\x0b\n]{0,80}\x0b")  # FF ... VT: for the typesetter
_DROPPED_CONTROLS = re.compile(r"[\x01-\x04\x08\x11-\x14\x16\x1c-\x1e]")


def framing(source: str) -> str | None:
    """The framing ("iptc7901" or "anpa1312") of text that opens with a message, else None."""
    return _kind(source) if STX in source[:4096] else None


def _kind(source: str) -> str | None:
    opening = _OPENING.match(source)
    if not opening:
        return None
    if _ANPA_FIRST.match(source, opening.end()):
        return "anpa1312"
    if _IPTC_FIRST.match(source, opening.end()):
        return "iptc7901"
    return None


def framed(data: bytes) -> bool:
    """Whether bytes open as an IPTC 7901 or ANPA 1312 message and hold no control byte the
    framings do not use: such a file is text, though it has control characters."""
    head = data[:4096].removeprefix(codecs.BOM_UTF8).decode("latin-1")
    return framing(head) is not None and not FOREIGN_BYTES.search(data)


def decode(raw: bytes) -> str:
    """One message's text: UTF-8 where it is valid UTF-8 (so a re-read of our own stored copy
    decodes alike), else the ISO 8859 part an ISO 2022 escape designates (IPTC 7901 allows
    other character sets that way), else Windows-1252 (which reads ISO 8859-1 and 7-bit ASCII)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    designated = _DESIGNATION.search(raw)
    if designated and designated[1] in _ISO_2022:
        return raw.decode(_ISO_2022[designated[1]], errors="replace")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _segments(data: bytes) -> list[bytes]:
    """The file cut before each SOH; what comes before the first goes with the first."""
    starts = [found.start() for found in re.finditer(b"\x01", data)]
    if not starts:
        return []
    starts[0] = 0
    return [data[a:b] for a, b in zip(starts, [*starts[1:], len(data)], strict=True)]


def _message(raw: str, place: int, *, last: bool, zone: datetime.tzinfo) -> wirecopy.Message:
    kind = _kind(raw)
    opening = _OPENING.match(raw)
    if kind is None or opening is None:
        raise ParseError("not an IPTC 7901 or ANPA 1312 header", item=f"#{place}")
    message = wirecopy.Message(kind=kind, place=place, raw=raw)
    rest = raw[opening.end() :]
    stx = rest.find(STX)
    end = -1 if stx < 0 else rest.find(ETX, stx)
    end = rest.find(EOT, stx) if stx >= 0 and end < 0 else end
    (_read_anpa_header if kind == "anpa1312" else _read_iptc_header)(
        message, rest if stx < 0 else rest[:stx]
    )
    if end < 0:
        where = "the file ends" if last else "the next message begins"
        part = "text has no end (ETX)" if stx >= 0 else "header has no text (STX)"
        raise ParseError(
            f"cut off: its {part} before {where}; ask the agency to send it again",
            item=message.label,
        )
    body = _clean(rest[stx + 1 : end])
    post = _clean(rest[end + 1 :].split(EOT)[0])
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines += [""] + post.replace("\r", "\n").split("\n")
    wirecopy.read_trailer(message, lines, zone=zone)
    if kind == "anpa1312":
        wirecopy.read_anpa_text(message, lines)
    else:
        wirecopy.read_iptc_text(message, lines)
    return message


def _clean(value: str) -> str:
    value = _INSTRUCTION.sub("", _ESCAPES.sub("", value))
    value = value.replace("\x0b", "\n\n").replace("\x0c", "\n").replace("\x1f", "\t")
    return _DROPPED_CONTROLS.sub("", value.replace("\x10", " "))


_STORY_ID = re.compile(r"\b(\d{6}-\d{2}-\d{5})(?:#(\d{1,3}))?")


def _read_iptc_header(message: wirecopy.Message, head: str) -> None:
    lines = [line.strip() for line in head.replace("\r", "\n").split("\n")]
    first = _IPTC_FIRST.match(lines[0])
    if not first:
        raise ParseError("not an IPTC 7901 header line", item=message.label)
    message.source = first["source"].lower() or "iptc7901"
    optional = first["optional"]
    message.agency = next((w for w in optional.split() if w.lower() in wirecopy.KNOWN_AGENCIES), "")
    if story := _STORY_ID.search(optional):
        message.story_id, message.id_version = story[1], int(story[2] or 0)
    rest = [line for line in lines[1:] if line]
    if rest:
        keyword, _, after = rest[0].partition(",")
        keyword, _, words = keyword.partition("/ ")  # "Bundestag/Kinder/ 1. Zusammenfassung"
        message.keyword = keyword.strip().rstrip("/").strip()
        message.words = " ".join([words, after, *rest[1:]]).strip()


def _read_anpa_header(message: wirecopy.Message, head: str) -> None:
    lines = [line for line in head.replace("\r", "\n").split("\n") if line.strip()]
    first = _ANPA_FIRST.match(lines[0])
    if not first:
        raise ParseError("not an ANPA 1312 header", item=message.label)
    second = _ANPA_SECOND.match(lines[1]) if len(lines) > 1 else None
    if second:
        fields = second["fields"].split()
        message.tabular = bool(second["format"]) and second["format"][1] == "\x12"
        if fields and fields[-1].isdigit():
            fields.pop()  # the word count
        filing = (
            fields.pop() if len(fields) > 1 and re.fullmatch(r"\d\d?-\d\d?", fields[-1]) else ""
        )
        message.keyword = fields[0] if fields else ""
        message.words = " ".join(fields[1:])
        message.date = filing  # "02-20"; the trailer gives the year


# --- stories: takes joined, versions numbered -----------------------------------------------


def parse(data: bytes, *, name: str = "", zone: datetime.tzinfo = text.UTC) -> list:
    """Read every message of an IPTC 7901 or ANPA 1312 file; a message that cannot be read is
    an UnreadItem and the others are still read. Times that name no zone are read in `zone`."""
    segments = _segments(data)
    if not segments:
        raise ParseError("no IPTC 7901 or ANPA 1312 message: no start of header (SOH)", item=name)
    stories: list[list[wirecopy.Message] | UnreadItem] = []
    open_stories: dict[tuple[str, str, str], list[wirecopy.Message]] = {}
    for place, segment in enumerate(segments, start=1):
        try:
            message = _message(decode(segment), place, last=place == len(segments), zone=zone)
        except ParseError as error:
            stories.append(UnreadItem(guid=f"#{place}", error=error))
            continue
        lead, correction, take, _ = message.revision()
        source = message.source if message.kind == "iptc7901" else ""  # ANPA's is the trailer's
        key = (message.kind, source, message.keyword.casefold())
        earlier = open_stories.get(key) if take > 1 else None
        if take > 1 and (
            earlier is None
            or len(earlier) != take - 1
            or earlier[0].revision()[:2] != (lead, correction)
        ):
            error = ParseError(
                f"take {take} came without take {take - 1} before it in this file; ingest a "
                "story's takes together, in one file, or its writethru",
                item=message.label,
            )
            stories.append(UnreadItem(guid=_guid(message) or f"#{place}", error=error))
        elif earlier is not None:
            earlier.append(message)
        else:
            open_stories[key] = [message]
            stories.append(open_stories[key])
    items: list[ParsedItem | UnreadItem] = []
    for story in stories:
        if isinstance(story, UnreadItem):
            items.append(story)
            continue
        try:
            items.append(_item(story, zone=zone))
        except ParseError as error:
            items.append(UnreadItem(guid=_guid(story[0]) or f"#{story[0].place}", error=error))
    return items


def _guid(message: wirecopy.Message) -> str:
    """The story's guid, from what identifies the story in the header: the source, and the
    story id where the header gives one, else the story's date and its keyword.

    Not the message number: every take, lead, writethru and correction is a new message with a
    new number, and each must find the item already stored rather than make a second. An agency
    keeps a story's keyword through its versions (dpa, AFP, AP all do); the date keeps apart the
    stories a recurring keyword ("Wetter/Deutschland") names day after day. So a story whose
    date the copy does not give has no guid here, and is told apart by its text, as plain text
    is; nor can a version sent after midnight (GMT, for a 7901 post-text date) find its story.
    """
    source = quote(message.source.lower(), safe="")
    if message.story_id:
        return f"urn:newsroom:{message.kind}:{source}:{message.story_id}"
    if not (message.date and message.keyword) or message.date.count("-") != 2:
        return ""
    keyword = message.keyword.casefold()
    if message.kind == "anpa1312":
        keyword = re.sub(r"^(?:am|pm|bc|ap|adv\d*)-", "", keyword)  # the cycle, not the story
    slug = quote(" ".join(keyword.split()), safe="-._~/")
    guid = f"urn:newsroom:{message.kind}:{source}:{message.date}:{slug}"
    if len(guid) > 255:  # the column's length; a long keyword is kept as its hash
        digest = hashlib.sha256(keyword.encode()).hexdigest()[:32]
        guid = f"urn:newsroom:{message.kind}:{source}:{message.date}:sha256-{digest}"
    return guid


def _version(story: list[wirecopy.Message]) -> int:
    """Leads (writethrus) count in ten thousands, corrections and refiles in hundreds, takes in
    units: 1 is a story's first take, 2 its first two, 101 a correction of it, 10001 its 1st
    lead. A repeat is the version it repeats, and changes nothing."""
    lead, correction, _, _ = story[0].revision()
    return lead * 10000 + correction * 100 + len(story)


def _item(story: list[wirecopy.Message], *, zone: datetime.tzinfo) -> ParsedItem:
    first = story[0]
    paragraphs = [p for message in story for p in _take_text(message, first)]
    if not paragraphs:
        raise ParseError("no story text after the headline", item=first.label, field="body")
    if first.tabular:
        return _tabular(story, paragraphs)
    source = "\n\n".join(([first.headline] if first.headline else []) + paragraphs)
    item = text.parse(source, name=first.label, zone=zone)[0]
    if first.headline and item.headline != first.headline:
        item.body_html = item.body_html.partition("\n")[2]  # it read the headline as a paragraph
        item.headline, item.headline_is_working = first.headline, False
    lead = html.unescape(re.sub(r"<[^>]+>", "", item.body_html.partition("\n")[0]))
    dateline = wirecopy.DATELINE.match(lead)
    if not item.dateline and dateline:
        item.dateline, item.located = dateline["dateline"], text.name_case(dateline["place"])
        if item.headline_is_working:
            item.headline = text.first_sentence(lead[dateline.end() :])
    agency = first.agency or (dateline["agency"] if dateline else "")
    bylines = [b for statement in first.bylines for b in text.bylines_from_statement(statement)[0]]
    return _finish(item, story, agency=agency, bylines=bylines)


def _take_text(message: wirecopy.Message, first: wirecopy.Message) -> list[str]:
    """A take's paragraphs; a later take's repeated headline is not text."""
    if message is first or not message.paragraphs:
        return message.paragraphs
    repeated = message.paragraphs[0] in {first.headline, message.headline, message.keyword}
    return message.paragraphs[1:] if repeated else message.paragraphs


def _tabular(story: list[wirecopy.Message], lines: list[str]) -> ParsedItem:
    """ANPA agate or tabular copy, kept as set: in one <pre>, its notices taken out."""
    notice_lines = [line for line in lines if is_notice_line(line)]
    kept = [line for line in lines if line not in notice_lines]
    if not kept:
        raise ParseError("no story text in the tabular copy", item=story[0].label, field="body")
    notice = parse_notice(notice_lines)
    item = ParsedItem(
        format=story[0].kind,
        guid="",
        headline=story[0].headline or story[0].keyword or text.first_sentence(kept[0]),
        headline_is_working=not story[0].headline,
        body_html="<pre>" + html.escape("\n".join(kept), quote=False) + "</pre>",
        notice=notice,
        territories=notice.territories,
    )
    return _finish(item, story, agency=story[0].agency, bylines=[])


def _finish(
    item: ParsedItem, story: list[wirecopy.Message], *, agency: str, bylines: list
) -> ParsedItem:
    first, last = story[0], story[-1]
    item.format = first.kind
    item.guid = _guid(first)
    item.version = _version(story)
    item.version_created = last.sent
    if last.sent is not None and not last.sent_zone_named:
        item.zone_assumed.append("version_created")
    item.provider = agency or item.provider
    item.slugline = first.keyword
    item.keywords = keyword_list(re.split(r"[/,]", first.keyword) if "/" in first.keyword else [])
    item.standfirst = item.standfirst or first.standfirst
    item.bylines = list({(b.name, b.role): b for b in [*bylines, *item.bylines]}.values())
    item.language = wirecopy.language(item.headline + " " + item.body_html)
    item.original = "".join(message.raw for message in story)
    return item
