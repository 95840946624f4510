"""The copy inside an IPTC 7901 or ANPA 1312 message: its take and version words, its trailer
(the time sent, the agency's sign-off, "MORE"), its headline, byline and paragraphs.

`iptc7901` cuts a file into messages and reads their headers; this module reads what is left.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from zoneinfo import ZoneInfo


@dataclasses.dataclass
class Message:
    """What one message says, as its header and text are read."""

    kind: str  # "iptc7901" or "anpa1312"
    place: int  # its place in the file, from 1
    raw: str  # as received, decoded
    source: str = ""  # the header's source identifier ("eca"), or the trailer's agency ("AP")
    keyword: str = ""  # the slug: "Switzerland/migration/UN", "BC-Heat-Hawks"
    words: str = ""  # take and version words
    agency: str = ""  # "dpa", "AP", "AFP", where the message names it
    story_id: str = ""  # an id the header gives the story ("170123-89-00065")
    id_version: int = 0  # "#2" after that id
    sent: datetime.datetime | None = None
    sent_zone_named: bool = True
    date: str = ""  # the story's date for its guid, "2018-11-21"; "" when unknown
    headline: str = ""
    bylines: list[str] = dataclasses.field(default_factory=list)
    standfirst: str = ""
    paragraphs: list[str] = dataclasses.field(default_factory=list)
    tabular: bool = False  # ANPA's DC2: set in columns, kept as sent

    @property
    def label(self) -> str:
        return f"#{self.place} {self.keyword}".strip()

    def revision(self) -> tuple[int, int, int, bool]:
        """(lead, correction, take, repeat) from the take and version words."""
        return revision(self.words, self.id_version)


_ORD = r"(\d{1,2})\s*(?:st|nd|rd|th|\.|ere|ère|re|er|ème|eme|e)?"
_LEAD = re.compile(
    rf"{_ORD}\s*-?\s*(?:ld|lead|writethru|write-thru|zusammenfassung|zus\b|neufassung|version)"
    r"|\b(?:update|lead|ld|writethru)\s*(\d{1,2})\b",
    re.I,
)
_LEAD_WORD = re.compile(
    r"\b(?:writethru|write-thru|lead|ld|zusammenfassung|neufassung|update|actualisation)\b", re.I
)
_ADD = re.compile(rf"{_ORD}\s*-?\s*(?:add|fortsetzung|suite)\b|\badd\s*(\d{{1,2}})\b", re.I)
_TAKE = re.compile(rf"\b(?:take|teil)\s*(\d{{1,2}})\b|{_ORD}\s*-?\s*(?:take|teil)\b", re.I)
_CORRECTION = re.compile(
    r"(?:\b(\d{1,2})\s*(?:st|nd|rd|th|\.|e)?\s*)?\b(?:correction|corrected|corrects|corrective|"
    r"berichtigung|korrektur|rectificatif|correctif|refile|refiled)\b",
    re.I,
)
_REPEAT = re.compile(r"\b(?:repeat|rpt|wiederholung|répétition)\b", re.I)


def revision(words: str, id_version: int = 0) -> tuple[int, int, int, bool]:
    lead = next((int(g) for m in _LEAD.finditer(words) for g in m.groups() if g), 0)
    if not lead and _LEAD_WORD.search(words):
        lead = 1
    lead = max(lead, id_version - 1)
    take = 1
    if added := _ADD.search(words):
        take = int(next(g for g in added.groups() if g)) + 1  # the 1st add is the 2nd take
    elif taken := _TAKE.search(words):
        take = int(next(g for g in taken.groups() if g))
    corrected = _CORRECTION.search(words)
    correction = int(corrected[1] or 1) if corrected else 0
    return min(lead, 99), min(correction, 99), max(min(take, 99), 1), bool(_REPEAT.search(words))


KNOWN_AGENCIES = {
    "dpa", "afp", "kna", "apa", "sda", "ats", "ansa", "efe", "epd", "ap", "reuters", "aa",
    "belga", "anp", "ctk", "tt", "ntb", "pap", "mti", "upi", "cp", "aap", "dpa-afx", "sid",
}  # fmt: skip

# --- the trailer: time sent, and the agency's sign-off ------------------------------------------

_MONTH_NAMES = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12, "mär": 3, "mrz": 3, "mai": 5, "okt": 10, "dez": 12,
    "janv": 1, "févr": 2, "fev": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7, "aoû": 8,
    "août": 8, "déc": 12, "sept": 9, "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}  # fmt: skip
_ZONES = {
    "gmt": 0, "utc": 0, "z": 0, "bst": 1, "cet": 1, "mez": 1, "cest": 2, "mesz": 2, "eet": 2,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
}  # fmt: skip
_REGIONS = {"et": "America/New_York", "ct": "America/Chicago", "pt": "America/Los_Angeles"}
_IPTC_SENT = re.compile(
    r"^(?:(?P<agency>[A-Za-z]{2,6})\s+)?(?P<d>\d\d)(?P<h>\d\d)(?P<mi>\d\d)\s*(?P<zone>[A-Za-z]{1,4})?"
    r"\s+(?P<mon>[^\W\d_]{3,4}\.?)\s+(?P<y>\d{4}|\d\d)$"
)
_ANPA_SENT = re.compile(
    r"^(?P<agency>[A-Z]{2,6})-(?P<desk>[A-Z]{2,3})-(?P<mo>\d\d?)-(?P<d>\d\d?)-(?P<y>\d{4}|\d\d)"
    r"\s+(?P<h>\d\d):?(?P<mi>\d\d)\s*(?P<zone>[A-Z]{1,4})?$"
)
_CP_SENT = re.compile(
    r"^(?P<h>\d\d?):(?P<mi>\d\d)\s*(?P<zone>[A-Z]{1,4})?\s+(?P<d>\d\d?)-(?P<mo>\d\d?)-(?P<y>\d\d)$"
)
_SIGN_OFF = re.compile(  # "dpa al rmo", "pz/mf/fa", "ab/cd AFP"
    r"^(?:(?P<agency>[A-Za-z][A-Za-z-]{1,7})\s+)?(?P<initials>[a-zäöüé][a-z\däöüé]{0,3}(?:(?:\s+|/)"
    r"[a-zäöüé][a-z\däöüé]{0,3}){0,8})(?:\s+(?P<after>[A-Z]{2,5}|dpa))?$"
)
_END_OF_TAKE = re.compile(
    r"^[(\-–\s]*(?:more|mehr|suite|fortsetzung folgt|à suivre|end|ende|fin|xxx|\.?\./\.\.?)"
    r"[)\-–\s]*$",
    re.I,
)


def _year(written: str) -> int:
    year = int(written)
    return year if year >= 100 else year + (1900 if year >= 70 else 2000)


def _sent(
    found: re.Match[str], month: int, zone: datetime.tzinfo
) -> tuple[datetime.datetime, bool]:
    year = _year(found["y"])
    named = (found["zone"] or "").lower()
    if named in _REGIONS:
        zone = ZoneInfo(_REGIONS[named])
    elif named in _ZONES:
        zone = datetime.timezone(datetime.timedelta(hours=_ZONES[named]))
    moment = datetime.datetime(year, month, int(found["d"]), int(found["h"]), int(found["mi"]))
    return moment.replace(tzinfo=zone).astimezone(datetime.UTC), named in {*_ZONES, *_REGIONS}


def read_trailer(message: Message, lines: list[str], *, zone: datetime.tzinfo) -> None:
    """Take the time sent, the sign-off and end-of-take marks off the end of `lines`."""
    while lines:
        line = lines[-1].strip().rstrip("<=").strip()
        if not line or _END_OF_TAKE.match(line):
            lines.pop()
            continue
        iptc, anpa, cp = (p.match(line) for p in (_IPTC_SENT, _ANPA_SENT, _CP_SENT))
        signed = _SIGN_OFF.match(line) if len(line) <= 40 else None
        if signed and not (signed["agency"] or "/" in line) and not signed["after"]:
            signed = None  # initials alone, without an agency or slashes, may be a word
        if signed and signed["agency"] and signed["agency"].lower() not in KNOWN_AGENCIES:
            signed = None
        try:
            if iptc and iptc["mon"].lower().rstrip(".") in _MONTH_NAMES and message.sent is None:
                month = _MONTH_NAMES[iptc["mon"].lower().rstrip(".")]
                message.sent, message.sent_zone_named = _sent(iptc, month, zone)
                message.date = f"{_year(iptc['y']):04}-{month:02}-{iptc['d']}"
                message.agency = message.agency or (iptc["agency"] or "")
            elif (anpa or cp) and message.sent is None:
                found = anpa or cp
                message.sent, message.sent_zone_named = _sent(found, int(found["mo"]), zone)
                if anpa:
                    message.agency = message.agency or anpa["agency"]
                    message.source = anpa["agency"].lower()
                message.date = _anpa_date(message.date, found)
            elif signed:
                message.agency = message.agency or signed["agency"] or signed["after"] or ""
            else:
                return
        except ValueError:
            return  # no such date: a line of the story after all
        lines.pop()


def _anpa_date(filing: str, sent: re.Match[str]) -> str:
    """The story's date: the header's filing date ("02-20") in the year the trailer gives."""
    month, day = (
        (int(p) for p in filing.split("-")) if filing else (int(sent["mo"]), int(sent["d"]))
    )
    year = _year(sent["y"])
    if month > int(sent["mo"]) + 6:  # filed in December, sent in January
        year -= 1
    return f"{year:04}-{month:02}-{day:02}"


# --- the text ---------------------------------------------------------------------------------

_INDENT = re.compile(r"^(?:\t|  )\s*\S")
_NOT_FOR_PUBLICATION = re.compile(
    r"^(?:#\s*(?:notebook|notizblock|notes?)\b|\*\s*\*\s*\*|the following information is not "
    r"(?:intended )?for publication|die folgenden informationen sind nicht zur veröffentlichung"
    r"|les informations suivantes ne sont pas destinées à (?:la )?publication)",
    re.I,
)
_BY = re.compile(r"^(?:by|von|par|por|av|af)\s+\S", re.I)
DATELINE = re.compile(
    r"^(?P<dateline>(?P<place>[A-ZÀ-Þ][\w'’.\-/]*(?:[ -][\wÀ-ÿ][\w'’.\-/]*){0,3}?)"
    r"(?:,\s*[^()\n]{1,40}?)?\s*\((?P<agency>[^()]{1,40})\))\s*(?:--|-|—|–|_)?\s*(?=\S)"
)


_WRAPPED = 100  # longer than a line wrapped for a teleprinter or a terminal


def _paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs set off by blank lines, or by indentation (a tab or spaces) where the copy
    indents; a run of lines is a paragraph wrapped over lines, unless its lines are too long to
    be a wrapped line (then each line is a paragraph, the one-line-per-paragraph convention)."""
    indented = sum(bool(_INDENT.match(line)) for line in lines) > 1
    blocks: list[list[str]] = [[]]
    for line in lines:
        if not line.strip() or (indented and _INDENT.match(line)):
            blocks.append([])
        if line.strip():
            blocks[-1].append(line.strip())
    paragraphs = []
    for block in blocks:
        if len(block) > 1 and any(len(line) > _WRAPPED for line in block[:-1]):
            paragraphs.extend(block)
        elif block:
            paragraphs.append(" ".join(block))
    return paragraphs


def read_iptc_text(message: Message, lines: list[str]) -> None:
    cut = next(
        (i for i, line in enumerate(lines) if _NOT_FOR_PUBLICATION.match(line.strip())), None
    )
    lines = lines[:cut]
    while lines and not lines[0].strip():
        lines.pop(0)
    head: list[str] = []  # a later take has no headline of its own
    for line in (line.strip() for line in lines[:3] if message.revision()[2] == 1):
        if not line or _byline(line):
            break
        head.append(line)
        if line.endswith("="):
            break
    after = lines[len(head)].strip() if len(head) < len(lines) else ""
    alone = len(head) == 1 and (not after or _byline(after)) and len(head[0]) <= 200
    if head and (head[-1].endswith("=") or alone) and not DATELINE.match(head[0]):
        message.headline = " ".join(head).rstrip("= ")
        lines = lines[len(head) :]
    while lines and (not lines[0].strip() or _byline(lines[0].strip())):
        if line := lines.pop(0).strip():
            message.bylines.append(line.rstrip("= "))
    message.paragraphs = _paragraphs(lines)


def _byline(line: str) -> bool:
    """A byline ("By X =", "Von X, dpa =", "Par X"), not a lead that opens "Von den ..."."""
    return bool(_BY.match(line)) and (
        line.endswith("=") or (len(line.split()) <= 8 and not line.endswith("."))
    )


_ANPA_NOTE = re.compile(
    r"^(?:eds?:|editor'?s note|ap photos?\b|with ap photos|photo:|ap video|code:|update:|"
    r"index:|symbol:|urgent\b|bulletin\b|flash\b)",
    re.I,
)
_ANPA_ENDS = ("@<", "<", "=", ">")


def read_anpa_text(message: Message, lines: list[str]) -> None:
    header: list[str] = []
    while lines and not _INDENT.match(lines[0]):
        line = lines[0].strip()
        if header and not header[-1].endswith(_ANPA_ENDS) and line:
            header[-1] += " " + line  # a header line wrapped over lines
        elif line.startswith("^") or _ANPA_NOTE.match(line):
            header.append(line)
        elif line:
            break
        lines.pop(0)
    slug_seen, after_by = False, False
    for line in header:
        value = line.lstrip("^").strip()
        for end in _ANPA_ENDS:
            value = value.removesuffix(end).strip()
        if not slug_seen and re.match(r"^[A-Z]{2,3}-[\w.-]+\s*(?:,|$)", value):
            slug_seen = True
            message.keyword = message.keyword or value.split(",")[0].strip()
            message.words = message.words or " ".join(value.split(",")[1:])
        elif _BY.match(value):
            message.bylines.append(value)
            after_by = True
        elif _ANPA_NOTE.match(value) or (after_by and line.endswith("=")):
            continue  # a note to editors, or the writer's title and agency
        elif value.upper().startswith("HL:") or not message.headline:
            message.headline = value.removeprefix("HL:").removeprefix("hl:").strip()
        elif not message.standfirst and value.endswith(".") and len(value.split()) > 8:
            message.standfirst = value
    body = [line.rstrip().removesuffix("<").rstrip() for line in lines]
    if message.tabular:
        message.paragraphs = [line for line in body if line.strip()]
        return
    message.paragraphs = [_ap_characters(p) for p in _paragraphs(body)]
    message.headline = _ap_characters(message.headline)


def _ap_characters(value: str) -> str:
    """AP's 7-bit spellings: " _ " for a dash, `` and '' for double quotes."""
    value = re.sub(r"(?<=\s)_(?=\s)", "—", value)
    return value.replace("``", "“").replace("''", "”")


_STOPWORDS = {
    "de": "der die das und nicht mit sich auf für ist den dem ein eine von zu im auch sagte",
    "en": "the and of to in is that for with on was said by at it from has",
    "fr": "le la les des et est une dans pour que du sur au qui pas il a été",
    "es": "el los las del que por una para con y en se al su es ha dijo",
}
_WORDS = {language: set(words.split()) for language, words in _STOPWORDS.items()}


def language(value: str) -> str:
    """The copy's language from its commonest words, where they leave no doubt; else ""."""
    words = re.findall(r"[^\W\d_]+", value.lower())
    counts = sorted(
        ((sum(w in s for w in words), lang) for lang, s in _WORDS.items()), reverse=True
    )
    (best, language), (second, _) = counts[0], counts[1]
    return language if best >= 5 and best >= 2 * second else ""
