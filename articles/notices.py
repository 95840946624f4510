"""Copyright and licence notices as wire copy states them, read into what they grant and forbid."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from articles.vocabulary import Right


@dataclass(frozen=True)
class KnownLicence:
    """A licence statement we recognise, such as a Creative Commons licence."""

    code: str  # "CC-BY-4.0", "CC-BY-ND-4.0", "CC0-1.0", ...
    name: str  # "Creative Commons Attribution 4.0"
    url: str
    grants: frozenset[Right]
    settled: bool = True  # False where a person must judge (non-commercial terms)

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "url": self.url,
            "grants": sorted(self.grants),
            "settled": self.settled,
        }

    @classmethod
    def from_json(cls, data: dict) -> KnownLicence:
        return cls(
            code=data["code"],
            name=data["name"],
            url=data["url"],
            grants=frozenset(Right(r) for r in data["grants"]),
            settled=data["settled"],
        )


@dataclass(frozen=True)
class Notice:
    """What a notice says. Empty fields mean the copy did not say."""

    text: str = ""  # verbatim notice lines, joined by newlines
    holder: str = ""
    year: int | None = None
    all_rights_reserved: bool = False
    prohibited: frozenset[Right] = frozenset()
    licence: KnownLicence | None = None
    usage_terms: str = ""  # verbatim usage terms, where the copy gives them apart from the notice
    territories: frozenset[str] = frozenset()  # "Not for use outside the United States" -> {"US"}
    no_archive: bool = False  # "may not be archived"
    unrecognised: str = ""  # the terms we could not read; non-empty leaves the item unsettled

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.usage_terms)

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "holder": self.holder,
            "year": self.year,
            "all_rights_reserved": self.all_rights_reserved,
            "prohibited": sorted(self.prohibited),
            "licence": self.licence.as_json() if self.licence else None,
            "usage_terms": self.usage_terms,
            "territories": sorted(self.territories),
            "no_archive": self.no_archive,
            "unrecognised": self.unrecognised,
        }

    @classmethod
    def from_json(cls, data: dict) -> Notice:
        licence = data.get("licence")
        return cls(
            text=data.get("text", ""),
            holder=data.get("holder", ""),
            year=data.get("year"),
            all_rights_reserved=data.get("all_rights_reserved", False),
            prohibited=frozenset(Right(r) for r in data.get("prohibited", ())),
            licence=KnownLicence.from_json(licence) if licence else None,
            usage_terms=data.get("usage_terms", ""),
            territories=frozenset(data.get("territories", ())),
            no_archive=data.get("no_archive", False),
            unrecognised=data.get("unrecognised", ""),
        )


@dataclass(frozen=True)
class CopyTerms:
    """What the copy itself says of its rights: its notice, and the window and territories its
    rights metadata give. Read once at ingest and stored with the item (`Article.copy_terms`), so
    a later derivation, after a licence changes, needs no parsing."""

    notice: Notice = field(default_factory=Notice)
    expire_at: datetime.datetime | None = None
    territories: frozenset[str] = frozenset()

    def as_json(self) -> dict:
        return {
            "notice": self.notice.as_json(),
            "expire_at": self.expire_at.isoformat() if self.expire_at else None,
            "territories": sorted(self.territories),
        }

    @classmethod
    def from_json(cls, data: dict) -> CopyTerms:
        expire_at = data.get("expire_at")
        return cls(
            notice=Notice.from_json(data.get("notice") or {}),
            expire_at=datetime.datetime.fromisoformat(expire_at) if expire_at else None,
            territories=frozenset(data.get("territories", ())),
        )


_ALL_RIGHTS = frozenset(Right)

# Country names as usage terms spell them, to ISO 3166-1 alpha-2. Deliberately small and explicit:
# a name missing here leaves the terms unrecognised, so a person reviews them.
COUNTRIES: dict[str, str] = {
    "united states of america": "US",
    "united states": "US",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "us": "US",
    "america": "US",
    "united kingdom": "GB",
    "great britain": "GB",
    "britain": "GB",
    "uk": "GB",
    "u.k.": "GB",
    "republic of ireland": "IE",
    "ireland": "IE",
    "canada": "CA",
    "australia": "AU",
    "new zealand": "NZ",
    "germany": "DE",
    "austria": "AT",
    "switzerland": "CH",
    "france": "FR",
    "belgium": "BE",
    "netherlands": "NL",
    "luxembourg": "LU",
    "spain": "ES",
    "portugal": "PT",
    "italy": "IT",
    "greece": "GR",
    "sweden": "SE",
    "norway": "NO",
    "denmark": "DK",
    "finland": "FI",
    "iceland": "IS",
    "poland": "PL",
    "czech republic": "CZ",
    "czechia": "CZ",
    "hungary": "HU",
    "romania": "RO",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "india": "IN",
    "pakistan": "PK",
    "china": "CN",
    "japan": "JP",
    "south korea": "KR",
    "singapore": "SG",
    "south africa": "ZA",
    "nigeria": "NG",
    "kenya": "KE",
    "egypt": "EG",
    "israel": "IL",
    "brazil": "BR",
    "mexico": "MX",
    "argentina": "AR",
}
_ISO_CODES = frozenset(COUNTRIES.values())


def country_code(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a country name or code, or None if unknown."""
    cleaned = re.sub(r"\s+", " ", name.strip()).removeprefix("the ").removeprefix("The ")
    if cleaned.upper() in _ISO_CODES and len(cleaned) == 2:
        return cleaned.upper()
    return COUNTRIES.get(cleaned.lower())


_COUNTRY = "|".join(re.escape(n) for n in sorted(COUNTRIES, key=len, reverse=True))
_PLACES = (
    rf"(?:the\s+)?(?:{_COUNTRY})(?!\w)"
    rf"(?:\s*(?:,?\s*\b(?:and|or)\b|&|,)\s*(?:the\s+)?(?:{_COUNTRY})(?!\w))*"
)
_VERBS = {
    "published": Right.PUBLISH,
    "republished": Right.PUBLISH,
    "broadcast": Right.BROADCAST,
    "rebroadcast": Right.BROADCAST,
    "rewritten": Right.REWRITE,
    "redistributed": Right.REDISTRIBUTE,
    "re-distributed": Right.REDISTRIBUTE,
    "otherwise distributed": Right.REDISTRIBUTE,
    "distributed": Right.REDISTRIBUTE,
}
# "archived" is not one of the four rights: it reads as no_archive.
_VERB = "|".join(re.escape(v) for v in sorted([*_VERBS, "archived"], key=len, reverse=True))
_LIST_JOIN = r"\s*(?:,?\s*\b(?:or|and|nor)\b|,)\s*"

_COPYRIGHT_MARK = re.compile(r"(?:\bcopyright\b\s*(?:\(c\)|©)?|\(c\)|©)\s*", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?:\s*[-–]\s*\d{2,4})?(?!\d)")
_ALL_RIGHTS_RESERVED = re.compile(
    r"\ball\s+rights\s+reserved\b|\balle\s+rechte\s+vorbehalten\b|\btous\s+droits\s+réservés\b"
    r"|\btodos\s+los\s+derechos\s+reservados\b|\btutti\s+i\s+diritti\s+riservati\b",
    re.IGNORECASE,
)
# "This material may not be published, broadcast, rewritten, or redistributed without permission."
_PROHIBITION = re.compile(
    r"(?:\b(?:this|the|such|its|any)\b[^.;:©]{0,100}?\s+)?\b(?:may|must|shall|can)\s+not\s+be\s+"
    rf"(?P<verbs>(?:{_VERB})(?:{_LIST_JOIN}(?:{_VERB}))*)"
    r"(?:,?\s+in\s+(?:any\s+(?:form|way|manner)|whole\s+or\s+(?:in\s+)?part))?"
    r"(?:,?\s+without\s+(?:the\s+)?(?:prior\s+)?(?:express\s+)?(?:written\s+)?"
    r"(?:permission|consent|authority|authori[sz]ation)(?:\s+of\s+[^.;]{1,80}?)?)?"
    r"(?=\s*(?:[.;]|$))",
    re.IGNORECASE,
)
# "Republication or redistribution of Reuters content ... is expressly prohibited"
_REPUBLICATION = re.compile(
    r"(?:\bany\s+)?\b(?P<nouns>(?:republication|redistribution)"
    r"(?:\s*(?:,|,?\s*\b(?:or|and)\b)\s*(?:republication|redistribution))*)"
    r"\s+of\s+[^.;]{1,160}?\s+(?:is|are)\s+(?:expressly\s+|strictly\s+)?prohibited"
    r"(?:,?\s+without\s+[^.;]{1,120}?)?(?=\s*(?:[.;]|$))",
    re.IGNORECASE,
)
_NO_ARCHIVE = re.compile(
    r"\bno\s+archiv(?:ing|es?)\b|\bnot\s+(?:to\s+be|for)\s+archiv(?:ed|ing)\b", re.IGNORECASE
)
_TERRITORY = re.compile(
    r"\bnot\s+for\s+(?:use|publication|distribution|sale)\s+outside\s+(?:of\s+)?"
    rf"(?P<outside>{_PLACES})"
    r"|\b(?:for|available\s+for|licen[cs]ed\s+for)\s+(?:use|publication|distribution)\s+"
    rf"(?:only\s+)?in\s+(?P<inside>{_PLACES})(?:\s+only)?",
    re.IGNORECASE,
)
_LICENSED_UNDER = (
    r"(?:(?:this\s+[\w\s]{1,30}?\s+(?:is|are)\s+)?"
    r"(?:licen[cs]ed|available|published|released|distributed)\s+under\s+(?:a|the)\s+)?"
)
_CC_NAME = re.compile(
    _LICENSED_UNDER + r"\bcreative\s+commons\s+(?P<parts>attribution(?:[-\s]+(?:non-?commercial|"
    r"share-?alike|no-?deriv(?:ative)?s?))*)(?:\s+(?P<version>\d\.\d))?"
    r"(?:\s+(?:international|generic|unported))?(?:\s+(?:public\s+)?licen[cs]e)?"
    r"(?:\s*\((?:CC\s+)?[\w\s.-]{2,20}\))?",
    re.IGNORECASE,
)
_CC_CODE = re.compile(
    _LICENSED_UNDER
    + r"\bCC[-\s]+(?P<parts>BY(?:[-\s]+(?:NC|SA|ND))*)(?:[-\s]+(?P<version>\d\.\d))?"
    r"(?:\s+(?:international|generic|unported))?(?:\s+licen[cs]e)?\b",
    re.IGNORECASE,
)
_CC_URL = re.compile(
    _LICENSED_UNDER + r"(?:https?://)?(?:www\.)?creativecommons\.org/licenses/"
    r"(?P<parts>by(?:-(?:nc|sa|nd))*)/(?P<version>\d\.\d)(?:/[\w.-]*)*/?",
    re.IGNORECASE,
)
_CC_ZERO = re.compile(
    _LICENSED_UNDER
    + r"(?:\bCC0(?:[-\s]+1\.0)?(?:\s+universal)?(?:\s+public\s+domain\s+dedication)?"
    r"|\bcreative\s+commons\s+zero\b|(?:https?://)?(?:www\.)?creativecommons\.org/publicdomain/"
    r"zero/1\.0/?(?:[\w.-]+/?)?)",
    re.IGNORECASE,
)
# Words that carry no terms of their own once the clauses around them are read.
_FILLER = re.compile(
    r"\b(?:this|the|a|an|and|or|material|content|story|article|item|text|work|is|are|"
    r"to\s+view\s+a\s+copy\s+of\s+this\s+licen[cs]e,?\s+visit\s*\S*)\b",
    re.IGNORECASE,
)
# Openers of usage-terms lines, so the text parser recognises even terms we cannot interpret.
_USAGE_OPENER = re.compile(
    r"^\W*(?:for\s+(?:editorial|personal|internal|non-?commercial|private)\s+use"
    r"|(?:editorial|personal)\s+use\s+only|not\s+for\s+(?:use|publication|sale|resale|"
    r"distribution|broadcast|archiv)|no\s+(?:archiving|archives|sales|resale)\b"
    r"|usage\s+terms\b|restrictions?\s*:|mandatory\s+credit|embargo\s+terms\b"
    r"|licen[cs]ed\s+under\b|this\s+(?:work|material|content)\s+is\s+licen[cs]ed)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=\S)")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:Inc|Ltd|Co|Corp|St|Mr|Mrs|Ms|Dr|No)\.)$")
_WEB_PARENTHESIS = re.compile(r"\s*\((?:[^()\s]*\.[^()\s]*|https?://[^()]*)\)")


def _licence(parts: str, version: str | None) -> KnownLicence:
    """Build the KnownLicence for a Creative Commons code such as "by-nc-sa" and a version."""
    words = re.split(r"[-\s]+", parts.lower())
    flags = set()
    for word in words[1:]:
        if word.startswith(("nc", "non")):
            flags.add("nc")
        elif word.startswith(("sa", "share")):
            flags.add("sa")
        elif word.startswith(("nd", "no")):
            flags.add("nd")
    ordered = [f for f in ("nc", "nd", "sa") if f in flags]
    if "nd" in flags and "sa" in flags:
        ordered.remove("sa")  # no such licence; ND wins, as the more restrictive reading
    slug = "-".join(["by", *ordered])
    names = {"nc": "NonCommercial", "nd": "NoDerivatives", "sa": "ShareAlike"}
    title = "-".join(["Attribution", *(names[f] for f in ordered)])
    suffix = f" {version}" if version else ""
    if "nc" in flags:
        grants, settled = frozenset(), False
    elif "nd" in flags:
        grants, settled = _ALL_RIGHTS - {Right.REWRITE}, True
    else:
        grants, settled = _ALL_RIGHTS, True
    return KnownLicence(
        code=f"CC-{slug.upper()}" + (f"-{version}" if version else ""),
        name=f"Creative Commons {title}{suffix}",
        url=f"https://creativecommons.org/licenses/{slug}/" + (f"{version}/" if version else ""),
        grants=grants,
        settled=settled,
    )


_CC0 = KnownLicence(
    code="CC0-1.0",
    name="CC0 1.0 Universal Public Domain Dedication",
    url="https://creativecommons.org/publicdomain/zero/1.0/",
    grants=_ALL_RIGHTS,
)


def _sentences(text: str) -> list[str]:
    """Split notice text into sentences, not breaking after "U.S." or "Inc."."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ABBREVIATION.search(text[start : match.start()]) and not _COPYRIGHT_MARK.match(
            text, match.end()
        ):
            continue
        sentences.append(text[start : match.start()])
        start = match.end()
    sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def _clean_holder(raw: str) -> str:
    holder = _WEB_PARENTHESIS.sub("", raw)
    holder = re.sub(r"\s+", " ", holder).strip(" ,;:-–—")
    if holder.endswith(".") and not _ABBREVIATION.search(holder):
        holder = holder.rstrip(".").strip()
    return holder.removeprefix("by ").removeprefix("By ")


def parse_notice(
    lines_or_text: str | Iterable[str], *, holder: str = "", usage_terms: str = ""
) -> Notice:
    """Read a copyright or licence notice, and any separate usage terms, into a Notice.

    `holder` is the copyright holder where the format states it apart from the notice (ninjs,
    NewsML-G2, NITF); it wins over a holder read from the notice text.
    """
    lines = [lines_or_text] if isinstance(lines_or_text, str) else list(lines_or_text)
    # The same notice often comes twice (metadata and body): once is enough.
    text = "\n".join(dict.fromkeys(line.strip() for line in lines if line.strip()))
    usage_terms = usage_terms.strip()
    found: dict = {
        "holder": "",
        "year": None,
        "arr": False,
        "prohibited": set(),
        "licence": None,
        "territories": set(),
        "no_archive": False,
        "unrecognised": [],
    }
    for part in (text, usage_terms):
        for sentence in _sentences(re.sub(r"\s+", " ", part)):
            _read_sentence(sentence, found)
    return Notice(
        text=text,
        holder=holder.strip() or found["holder"],
        year=found["year"],
        all_rights_reserved=found["arr"],
        prohibited=frozenset(found["prohibited"]),
        licence=found["licence"],
        usage_terms=usage_terms,
        territories=frozenset(found["territories"]),
        no_archive=found["no_archive"],
        unrecognised=" ".join(found["unrecognised"]),
    )


def _read_sentence(sentence: str, found: dict) -> None:
    """Read the clauses of one sentence into `found`; keep the sentence if any of it is unread."""
    rest = sentence
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]

    def consume(pattern: re.Pattern[str], read) -> None:
        nonlocal rest
        for match in list(pattern.finditer(rest)):
            read(match)
        rest = pattern.sub(" ", rest)

    def read_prohibition(match: re.Match[str]) -> None:
        for verb in re.split(_LIST_JOIN, match["verbs"].lower()):
            verb = re.sub(r"\s+", " ", verb.strip())
            if verb == "archived":
                found["no_archive"] = True
            else:
                found["prohibited"].add(_VERBS[verb])

    def read_republication(match: re.Match[str]) -> None:
        nouns = match["nouns"].lower()
        if "republication" in nouns:
            found["prohibited"].add(Right.PUBLISH)
        if "redistribution" in nouns:
            found["prohibited"].add(Right.REDISTRIBUTE)

    def read_territory(match: re.Match[str]) -> None:
        places = match["outside"] or match["inside"]
        for place in re.split(r"\s*(?:,|\band\b|\bor\b|&)\s*", places, flags=re.IGNORECASE):
            code = country_code(place) if place.strip() else None
            if code:
                found["territories"].add(code)

    def read_licence(licence: KnownLicence) -> None:
        if found["licence"] is None:
            found["licence"] = licence

    def read_arr(match: re.Match[str]) -> None:
        found["arr"] = True

    def read_no_archive(match: re.Match[str]) -> None:
        found["no_archive"] = True

    consume(_ALL_RIGHTS_RESERVED, read_arr)
    consume(_PROHIBITION, read_prohibition)
    consume(_REPUBLICATION, read_republication)
    consume(_NO_ARCHIVE, read_no_archive)
    consume(_TERRITORY, read_territory)
    consume(_CC_ZERO, lambda m: read_licence(_CC0))
    consume(_CC_URL, lambda m: read_licence(_licence(m["parts"], m["version"])))
    consume(_CC_NAME, lambda m: read_licence(_licence(m["parts"], m["version"])))
    consume(_CC_CODE, lambda m: read_licence(_licence(m["parts"], m["version"])))

    mark = _COPYRIGHT_MARK.search(rest)
    if mark:
        owner = rest[mark.end() :]
        rest = rest[: mark.start()]
        year = _YEAR.search(owner)
        if year:
            if 1900 <= int(year[1]) <= 2100 and found["year"] is None:
                found["year"] = int(year[1])
            owner = owner[: year.start()] + " " + owner[year.end() :]
        if not found["holder"]:
            found["holder"] = _clean_holder(owner)
    if re.search(r"\w", _FILLER.sub(" ", rest)):
        found["unrecognised"].append(sentence)


# Words without which no line can state rights, a licence or territory terms.
_NOTICE_WORDS = re.compile(
    r"rights|prohibit|may not|must not|not be|licen[cs]|creative\s*commons|\bcc[\s-]?(?:by|0)\b"
    r"|publicdomain|outside|\bonly\b|for use|archiv",
    re.IGNORECASE,
)


def is_notice_line(line: str) -> bool:
    """Return True for a line that states copyright, a licence or usage terms, not story text."""
    stripped = line.strip()
    if not stripped or len(stripped) > 600:
        return False
    body = stripped[1:-1] if stripped.startswith("(") and stripped.endswith(")") else stripped
    mark = _COPYRIGHT_MARK.match(body)
    if mark and (
        "©" in mark[0]
        or "(c)" in mark[0].lower()
        or _YEAR.match(body, mark.end())
        or _ALL_RIGHTS_RESERVED.search(body)
    ):
        return True
    if _USAGE_OPENER.match(body):
        return True
    if not _NOTICE_WORDS.search(body):
        return False  # story text: spare it the full reading
    notice = parse_notice(body)
    read = (
        notice.all_rights_reserved
        or notice.prohibited
        or notice.licence
        or notice.territories
        or notice.no_archive
    )
    return bool(read) and not notice.unrecognised
