"""Plain-text wire copy, and the readers of human-written parts (credits, names, times) that the
structured formats share with it."""

from __future__ import annotations

import datetime
import html
import re
from zoneinfo import ZoneInfo

from articles.ingest.parsed import ParsedByline, ParsedItem, ParseError
from articles.notices import is_notice_line, parse_notice

UTC = datetime.UTC

# --- names and credits -------------------------------------------------------------------------

_PARTICLES = {
    "de", "da", "das", "del", "della", "den", "der", "di", "do", "dos", "du", "la", "le",
    "ter", "ten", "van", "von", "y", "bin", "al", "el",
}  # fmt: skip
_ORGANISATION_WORDS = {
    "agency", "ajansi", "press", "presse", "news", "network", "media", "reuters", "afp", "dpa",
    "ap", "anadolu", "associated", "service", "television", "tv", "radio", "group", "llc", "inc",
    "ltd", "wire", "wires", "desk", "bureau", "newsroom", "times", "post", "ntb", "tt",
}  # fmt: skip
_TITLE_WORDS = {
    "staff", "reporter", "reporters", "correspondent", "correspondents", "editor", "editors",
    "writer", "writers", "columnist", "photographer",
}  # fmt: skip
_CREDIT_ROLES = {
    "writing": "writing",
    "written": "writing",
    "reporting": "reporting",
    "reported": "reporting",
    "additional reporting": "additional_reporting",
    "editing": "editing",
    "edited": "editing",
    "photography": "photography",
    "photographs": "photography",
    "photos": "photography",
    "photo": "photography",
    "pictures": "photography",
    "translation": "translation",
    "translated": "translation",
}
# Role words that structured formats attach to a credited party (ninjs rel, NewsML-G2 role).
PARTY_ROLES = {
    "author": "writing",
    "creator": "writing",
    "writer": "writing",
    "byline": "writing",
    "reporter": "reporting",
    "correspondent": "reporting",
    "contributor": "additional_reporting",
    "editor": "editing",
    "photographer": "photography",
    "translator": "translation",
}
_CREDIT = re.compile(
    r"^(?P<role>additional\s+reporting|writing|written|reporting|reported|editing|edited|"
    r"photography|photographs|photos?|pictures|translation|translated)\s+by\s+(?P<names>.+)$",
    re.IGNORECASE,
)
_BY_PREFIX = re.compile(r"^(?:by|von|par|por|av|af)\s+", re.IGNORECASE)
_STATEMENT_PARTS = re.compile(
    r"\s*(?:[,;/]|\s(?:and|und|et|y|og|och|&)\s)\s*(?:and\s+)?", re.IGNORECASE
)
_NAMES = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\b|&)\s*", re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[^\W\d_][^\W\d_]?['’])?[^\W\d_][\w'’.-]*$")


def name_case(name: str) -> str:
    """Turn a name written in capitals into name case; leave a name already in mixed case alone.

    "ERDOGAN CAGATAY ZONTUR" -> "Erdogan Cagatay Zontur", "SEAN O'NEIL" -> "Sean O'Neil",
    "JAN VAN DER BERG" -> "Jan van der Berg", "RONALD MCDONALD" -> "Ronald McDonald".
    """
    name = " ".join(name.split())
    if name != name.upper() or name == name.lower():
        return name
    words = []
    for position, word in enumerate(name.split(" ")):
        if position and word.lower() in _PARTICLES:
            words.append(word.lower())
        else:
            words.append("-".join(_capitalise(part) for part in word.split("-")))
    return " ".join(words)


def _capitalise(part: str) -> str:
    lower = part.lower()
    apostrophe = re.match(r"^(\w)(['’])(\w.*)$", lower)
    if apostrophe:
        return apostrophe[1].upper() + apostrophe[2] + apostrophe[3].capitalize()
    if lower.startswith("mc") and len(lower) > 3:
        return "Mc" + lower[2:].capitalize()
    return lower.capitalize()


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 6:
        return False
    for word in words:
        if not _NAME_WORD.match(word):
            return False
        if not (word[0].isupper() or word.lower() in _PARTICLES or re.match(r"^\w['’]", word)):
            return False
    return True


def _kind(part: str) -> str:
    """Classify one part of a credit statement: person, organisation, title or other."""
    if not _looks_like_name(part):
        return "other"
    words = [w.lower().strip(".") for w in part.split()]
    if any(w in _TITLE_WORDS for w in words):
        return "title"
    if words[0] == "the" or any(w in _ORGANISATION_WORDS for w in words) or len(words) == 1:
        return "organisation"
    return "person"


def _statement_parts(statement: str) -> list[tuple[str, str]]:
    statement = _BY_PREFIX.sub("", " ".join(statement.split())).strip(" .")
    parts = [p.strip(" .") for p in _STATEMENT_PARTS.split(statement)]
    return [(_kind(p), p) for p in parts if p]


def bylines_from_statement(
    statement: str, *, role: str = "writing"
) -> tuple[list[ParsedByline], str]:
    """Read a free-text credit such as "By JANE DOE, Associated Press" or "Von X, dpa".

    Return the people credited, in name case, and the organisation named, if any ("" if none).
    """
    people, organisation = [], ""
    for kind, part in _statement_parts(statement):
        if kind == "person":
            people.append(ParsedByline(name=name_case(part), role=role))
        elif kind == "organisation" and not organisation:
            organisation = part
    return people, organisation


def credit_line(line: str) -> list[ParsedByline] | None:
    """Read a credit line such as "*Writing by X" or "(Reporting by A in Ankara; Editing by B)".

    Return None for a line that is not a credit line; organisations credited are left out.
    """
    text = line.strip().lstrip("*-–—• ").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    segments = [s.strip() for s in text.split(";") if s.strip()]
    if not segments:
        return None
    bylines: list[ParsedByline] = []
    for segment in segments:
        match = _CREDIT.match(segment)
        if not match:
            return None
        role = _CREDIT_ROLES[" ".join(match["role"].lower().split())]
        for entry in _NAMES.split(match["names"].strip().rstrip(".")):
            if not entry:
                continue
            person, _, place = entry.partition(" in ")
            if not _looks_like_name(person) or (place and not _looks_like_name(place)):
                return None
            if _kind(person) == "person":
                bylines.append(ParsedByline(name=name_case(person), role=role, place=place))
    return bylines


def _by_line(line: str) -> tuple[list[ParsedByline], str] | None:
    """Read a "By NAME" line; None unless every part of it is a name, title or organisation."""
    if not line.lower().startswith("by ") or line.endswith("."):
        return None
    if len(line.split()) > 14:
        return None
    parts = _statement_parts(line)
    if not parts or any(kind == "other" for kind, _ in parts):
        return None
    if not any(kind == "person" for kind, _ in parts):
        return None
    return bylines_from_statement(line)


# --- times ------------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATES = [
    re.compile(r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})(?=$|[T\s,])"),
    re.compile(
        rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})", re.I
    ),
    re.compile(
        rf"(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})", re.I
    ),
]
_TIMES = [
    re.compile(
        r"(?<![\d:])(?P<h>\d{1,2})[:.h](?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<ap>[ap])\.?m\.?)?",
        re.I,
    ),
    re.compile(r"(?<![\d:])(?P<h>\d{2})(?P<m>\d{2})(?=\s*(?:hrs|h\b|[A-Z]{2,4}\b))", re.I),
    re.compile(r"(?<![\d:])(?P<h>\d{1,2})\s*(?P<ap>[ap])\.?m\.?", re.I),
]
_OFFSET = re.compile(r"(?:\b(?:GMT|UTC)\s*)?(?P<sign>[+-])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?\b")
_ZONES = {
    "gmt": datetime.timedelta(0),
    "utc": datetime.timedelta(0),
    "z": datetime.timedelta(0),
    "bst": datetime.timedelta(hours=1),
    "cet": datetime.timedelta(hours=1),
    "cest": datetime.timedelta(hours=2),
    "eet": datetime.timedelta(hours=2),
    "eest": datetime.timedelta(hours=3),
    "trt": datetime.timedelta(hours=3),
    "msk": datetime.timedelta(hours=3),
    "est": datetime.timedelta(hours=-5),
    "edt": datetime.timedelta(hours=-4),
    "cst": datetime.timedelta(hours=-6),
    "cdt": datetime.timedelta(hours=-5),
    "pst": datetime.timedelta(hours=-8),
    "pdt": datetime.timedelta(hours=-7),
}
# "ET" and friends follow daylight saving, so they need the real zone.
_REGIONS = {"et": "America/New_York", "ct": "America/Chicago", "pt": "America/Los_Angeles"}
_ZONE_WORD = re.compile(r"\b(" + "|".join([*_ZONES, *_REGIONS]) + r")\b", re.I)


def read_timestamp(
    value: str, *, item: str = "", field: str = "", zone: datetime.tzinfo = UTC
) -> datetime.datetime:
    """Read an ISO 8601 timestamp (extended or basic form) into an aware UTC datetime.

    A timestamp without an offset is read in `zone`: the source's time zone, UTC by default.
    Callers that must say so in the report use `Times`.
    """
    text = value.strip()
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise ParseError(f"not a date and time: {value!r}", item=item, field=field) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def has_offset(value: str) -> bool:
    """Whether an ISO 8601 timestamp names its offset (Z, +01:00, -0500)."""
    try:
        return datetime.datetime.fromisoformat(value.strip()).tzinfo is not None
    except ValueError:
        return True  # not a timestamp at all: read_timestamp says so


class Times:
    """Reads one item's timestamps in the source's time zone, noting which fields named none.

    Wire copy often sends local times without an offset. They are read in the zone configured
    for the source (UTC unless set), and the item's report names the fields read that way, so
    an editor can see an embargo was taken as, say, Europe/Berlin rather than guessed silently.
    """

    def __init__(self, zone: datetime.tzinfo = UTC, *, item: str = ""):
        self.zone = zone
        self.item = item
        self.assumed: list[str] = []

    def read(self, value: str, *, field: str) -> datetime.datetime:
        if not has_offset(value) and field not in self.assumed:
            self.assumed.append(field)
        return read_timestamp(value, item=self.item, field=field, zone=self.zone)

    def embargo(self, when: str) -> datetime.datetime:
        moment, assumed = read_embargo(when, item=self.item, zone=self.zone)
        if assumed and "embargo" not in self.assumed:
            self.assumed.append("embargo")
        return moment


def _embargo_part(
    patterns: list[re.Pattern[str]], text: str, *, part: str, when: str, item: str
) -> re.Match[str]:
    """Return the first of `patterns` found in `text`: the embargo's date or time."""
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return found
    raise ParseError(f"cannot read the embargo {part} in {when!r}", item=item, field="embargo")


def read_embargo(
    when: str, *, item: str = "", zone: datetime.tzinfo = UTC
) -> tuple[datetime.datetime, bool]:
    """Read the time of an embargo line ("00:01 GMT 2 JANUARY 2031") into an aware UTC datetime,
    and whether it named no zone (and so was read in `zone`)."""
    text = " ".join(when.split()).strip(" .")
    iso = re.match(r"^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?$", text)
    if iso:
        return read_timestamp(text, item=item, field="embargo", zone=zone), not has_offset(text)
    date = _embargo_part(_DATES, text, part="date", when=when, item=item)
    month = int(date["mo"]) if date.groupdict().get("mo") else _MONTHS[date["mon"].lower()]
    rest = text[: date.start()] + " " + text[date.end() :]
    time = _embargo_part(_TIMES, rest, part="time", when=when, item=item)
    hour, minute = int(time["h"]), int(time.groupdict().get("m") or 0)
    second = int(time.groupdict().get("s") or 0)
    meridian = (time.groupdict().get("ap") or "").lower()
    if meridian:
        hour = hour % 12 + (12 if meridian == "p" else 0)
    rest = rest[: time.start()] + " " + rest[time.end() :]
    try:
        local = datetime.datetime(int(date["y"]), month, int(date["d"]), hour, minute, second)
    except ValueError:
        raise ParseError(f"no such date and time: {when!r}", item=item, field="embargo") from None
    offset = _OFFSET.search(rest)
    zone_word = _ZONE_WORD.search(rest)
    if offset:
        delta = datetime.timedelta(hours=int(offset["h"]), minutes=int(offset["m"] or 0))
        zone = datetime.timezone(delta if offset["sign"] == "+" else -delta)
    elif zone_word and zone_word[1].lower() in _REGIONS:
        zone = ZoneInfo(_REGIONS[zone_word[1].lower()])
    elif zone_word:
        zone = datetime.timezone(_ZONES[zone_word[1].lower()])
    else:
        return local.replace(tzinfo=zone).astimezone(UTC), True
    return local.replace(tzinfo=zone).astimezone(UTC), False


# --- sentences and datelines ------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?][\"”’')]?(?=\s+[\"“‘'(]?[A-Z0-9À-Þ])")
_SHORT_WORD_BEFORE = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Gov|Sen|"
    r"Rep|Gen|Lt|Col|Capt|No|Inc|Corp|Ltd|Co|vs|U\.S|U\.K))$"
)
_HEADLINE_LIMIT = 200
# "ANKARA, Jan 2 (Anadolu) - ", "ISTANBUL (Reuters) -", "GROSSETO, Italy (AP) --", "LONDON —"
_DATELINE = re.compile(
    r"^(?P<dateline>(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ'’.\-]*(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'’.\-]*)*)"
    r"(?:,\s*[^()\-—–\n]{1,40}?)?(?:\s*\((?P<agency>[^()]{1,40})\))?)\s*(?:--|-|—|–)\s+(?=\S)"
)


def first_sentence(text: str) -> str:
    """Return the first sentence of `text`, shortened at a word to fit a headline."""
    text = " ".join(text.split())
    sentence = text
    for match in _SENTENCE_END.finditer(text):
        if not _SHORT_WORD_BEFORE.search(text[: match.start()]):
            sentence = text[: match.start() + (0 if text[match.start()] == "." else 1)]
            break
    sentence = sentence.rstrip(".").strip()
    if len(sentence) > _HEADLINE_LIMIT:
        sentence = sentence[:_HEADLINE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


def split_dateline(lead: str) -> tuple[str, str, str]:
    """Return (dateline, place, agency) from the opening of a lead; empty strings if none."""
    match = _DATELINE.match(lead)
    if not match or len(match["place"].replace(".", "")) < 2:
        return "", "", ""
    return match["dateline"].strip(), name_case(match["place"]), (match["agency"] or "").strip()


# --- the plain-text format --------------------------------------------------------------------

_EMBARGO_LINE = re.compile(
    r"^\W*(?:strict\s+)?(?:embargo(?:ed)?|not\s+for\s+(?:publication|release|use))\b\s*[:\-–]?\s*"
    r"(?:(?:not\s+for\s+(?:publication|release)\s+)?(?:until|till|before)\b\s*:?\s*"
    r"(?P<until>.+)|(?P<when>\d.+))$",
    re.IGNORECASE,
)
_HEADLINE_MAX_WORDS = 25


def parse(source: str, *, name: str = "", zone: datetime.tzinfo = UTC) -> list[ParsedItem]:
    """Read one plain-text wire story; times that name no zone are read in `zone`.

    The dateline stays in the lead: agency copy is published as sent (rewriting it may not be
    ours to do), so `dateline` records it as metadata and templates must not print it twice.
    """
    text = source.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if blocks[-1]:
                blocks.append([])
        elif blocks[-1] and blocks[-1][-1].count("(") > blocks[-1][-1].count(")"):
            # A parenthesised credit wrapped over lines is read as the one line it is.
            blocks[-1][-1] += " " + line
        else:
            blocks[-1].append(line)

    embargo = None
    times = Times(zone, item=name)
    bylines: list[ParsedByline] = []
    notice_lines: list[str] = []
    agency = ""
    paragraphs: list[tuple[str, int]] = []  # (text, number of lines it had)
    for block in blocks:
        in_notice = False
        kept: list[str] = []
        lines = iter(block)
        for line in lines:
            embargo_line = None if in_notice else _EMBARGO_LINE.match(line)
            credits = None if in_notice or embargo_line else credit_line(line)
            by = None if in_notice or embargo_line or credits is not None else _by_line(line)
            if in_notice:
                notice_lines.append(line)
            elif embargo_line:
                embargo = times.embargo(embargo_line["until"] or embargo_line["when"])
            elif credits is not None:
                bylines.extend(credits)
            elif by is not None:
                bylines.extend(by[0])
                agency = agency or by[1]
                following = next(lines, None)
                if following is not None and _is_agency_line(following):
                    agency = agency or following
                elif following is not None:
                    kept.append(following)
            elif is_notice_line(line):
                in_notice = True
                notice_lines.append(line)
            else:
                kept.append(line)
        if kept:
            paragraphs.append((" ".join(kept), len(kept)))

    headline, working = "", False
    if len(paragraphs) > 1 and _is_headline(*paragraphs[0]):
        headline = paragraphs.pop(0)[0]
    if not paragraphs:
        raise ParseError(
            "no story text: every paragraph is a headline, embargo, credit or notice line",
            item=name,
            field="body",
        )
    dateline, place, dateline_agency = split_dateline(paragraphs[0][0])
    if not headline:
        lead = paragraphs[0][0]
        headline = first_sentence(lead[_DATELINE.match(lead).end() :] if dateline else lead)
        working = True
    notice = parse_notice(notice_lines)
    return [
        ParsedItem(
            format="text",
            guid="",
            headline=headline,
            headline_is_working=working,
            body_html="\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p, _ in paragraphs),
            dateline=dateline,
            located=place,
            embargo_until=embargo,
            zone_assumed=times.assumed,
            provider=dateline_agency or agency or notice.holder,
            bylines=_unique(bylines),
            notice=notice,
            territories=notice.territories,
            original=source,
        )
    ]


def _is_headline(paragraph: str, line_count: int) -> bool:
    return (
        line_count == 1
        and len(paragraph) <= _HEADLINE_LIMIT
        and len(paragraph.split()) <= _HEADLINE_MAX_WORDS
        and not paragraph.endswith((".", ",", ";", ":"))
        and not split_dateline(paragraph)[0]
    )


def _is_agency_line(line: str) -> bool:
    return (
        len(line.split()) <= 6
        and not line.endswith(".")
        and _kind(line) == "organisation"
        and not is_notice_line(line)
    )


def _unique(bylines: list[ParsedByline]) -> list[ParsedByline]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for byline in bylines:
        if (byline.name, byline.role) not in seen:
            seen.add((byline.name, byline.role))
            unique.append(byline)
    return unique
