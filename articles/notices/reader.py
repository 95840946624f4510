"""Read notices: each sentence's clauses into holder, year, reservations, prohibitions, licence,
territories and archive limits, keeping verbatim whatever is left unread."""

from __future__ import annotations

import re
from collections.abc import Iterable

from articles.notices import wording as w
from articles.notices.terms import KnownLicence, Notice
from articles.vocabulary import Right

_ALL_RIGHTS = frozenset(Right)
_SENTENCE_END = re.compile(r"(?<=。)\s*(?=\S)|(?<=[.!?;])\s+(?=\S)")
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:Inc|Ltd|Co|Corp|St|Mr|Mrs|Ms|Dr|No)\.)$")
_HOLDER_WORDS = 10  # a "holder" longer than this is a sentence, not a name


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


def _name_word(word: str, *, first: bool = False) -> bool:
    """Whether `word` can be part of an organisation's name: capitalised, a number, a script
    without capitals (Hangul, Han), a small joining word, or a short name agencies write in
    lower case ("dpa") where it comes first. Never a word of terms ("NO", "Use", "Click")."""
    bare = word.strip(",.;:()")
    if not bare or w.TERMS_WORD.match(bare):
        return False
    if w.DOMAIN.fullmatch(bare):  # "hainan.news.cn"
        return True
    if first:
        return not bare[:1].islower() or (len(bare) <= 4 and bare.isalpha())
    return not bare[:1].islower() or bare.lower() in w.NAME_PARTICLES


def _name_like(text: str) -> bool:
    """Whether `text` reads as an organisation's name ("The Canadian Press"), not a sentence."""
    words = text.split()
    return 1 <= len(words) <= _HOLDER_WORDS and all(
        _name_word(word, first=n == 0) for n, word in enumerate(words)
    )


def _sentences(text: str) -> list[str]:
    """Split notice text into sentences, not breaking after "U.S." or "Inc.", and keeping a
    name with the reservation that follows it ("The Canadian Press. All rights reserved.")."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        if _ABBREVIATION.search(before) and not w.COPYRIGHT_MARK.match(text, match.end()):
            continue
        if w.ALL_RIGHTS_RESERVED.match(text, match.end()) and _name_like(before.rstrip(".")):
            continue
        sentences.append(before)
        start = match.end()
    sentences.append(text[start:])
    return [s.strip() for s in sentences if s.strip()]


def _clean(text: str) -> str:
    """A name without web addresses and the punctuation around it."""
    text = w.WEB_ADDRESS.sub(" ", text)
    text = re.sub(r"\(\s*\)|\s+", " ", text)
    previous = None
    while previous != text:
        previous = text
        text = text.strip(" ,;:-–—<>").removeprefix("by ").removeprefix("By ")
        if text.endswith(".") and not _ABBREVIATION.search(text):
            text = text[:-1]
    return text


def _split_holder(owner: str) -> tuple[str, str]:
    """Split the words after a copyright mark into the holder's name and what follows it.

    The name runs to the first comma (and on through company suffixes: "Example News, Inc."),
    and only as far as its words read as a name: "AFP NO WIRELESS USE" is AFP, and what follows
    a name ("Click For Restrictions …", "무단 전재 …") is returned, to be read as terms.
    """
    parts = [part.strip() for part in w.WEB_ADDRESS.sub(" ", owner).split(",")]
    first = next((i for i, part in enumerate(parts) if _clean(part)), len(parts))
    end = first + 1
    while end < len(parts) and w.COMPANY_SUFFIX.match(_clean(parts[end])):
        end += 1
    words = _clean(", ".join(parts[first:end])).split()
    named = 0
    while named < min(len(words), _HOLDER_WORDS) and _name_word(words[named], first=not named):
        named += 1
    leftover = " ".join([*words[named:], ", ".join(parts[end:])])
    return _clean(" ".join(words[:named])), leftover


def parse_notice(
    lines_or_text: str | Iterable[str], *, holder: str = "", usage_terms: str = ""
) -> Notice:
    """Read a copyright or licence notice, and any separate usage terms, into a Notice.

    `holder` is the copyright holder where the format states it apart from the notice (ninjs,
    NewsML-G2, NITF); it wins over a holder read from the notice text. It is read too: a holder
    given as "The Canadian Press. All rights reserved." is The Canadian Press, reserving all.
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
        "excluded": set(),
        "no_archive": False,
        "print_only": False,
        "unrecognised": [],
    }
    for part in (text, usage_terms):
        for sentence in _sentences(re.sub(r"\s+", " ", part)):
            _read_sentence(sentence, found)
    given = _given_holder(holder, found)
    return Notice(
        text=text,
        holder=given or found["holder"],
        year=found["year"],
        all_rights_reserved=found["arr"],
        prohibited=frozenset(found["prohibited"]),
        licence=found["licence"],
        usage_terms=usage_terms,
        territories=frozenset(found["territories"]),
        excluded_territories=frozenset(found["excluded"]),
        no_archive=found["no_archive"],
        print_only=found["print_only"],
        unrecognised=" ".join(found["unrecognised"]),
    )


def _given_holder(holder: str, found: dict) -> str:
    """The holder a format states, without the notice words some feeds put in it."""
    holder = " ".join(holder.split())
    if not holder:
        return ""
    if not (w.COPYRIGHT_MARK.search(holder) or w.ALL_RIGHTS_RESERVED.search(holder)):
        return _clean(holder)
    read = parse_notice(holder)
    found["arr"] = found["arr"] or read.all_rights_reserved
    if found["year"] is None:
        found["year"] = read.year
    if read.unrecognised:
        found["unrecognised"].append(read.unrecognised)
    return read.holder


def _read_sentence(sentence: str, found: dict) -> None:
    """Read the clauses of one sentence into `found`; keep the sentence if any of it is unread."""
    rest = sentence
    if (rest[:1], rest[-1:]) in {("(", ")"), ("<", ">")}:
        rest = rest[1:-1]

    def consume(pattern: re.Pattern[str], read) -> bool:
        nonlocal rest
        matches = list(pattern.finditer(rest))
        for match in matches:
            read(match)
        rest = pattern.sub(" ", rest)
        return bool(matches)

    def forbid(*rights: Right) -> None:
        found["prohibited"].update(rights)

    def read_prohibition(match: re.Match[str]) -> None:
        verbs = w.REWRITTEN_FOR.sub("rewritten", match["verbs"].lower())
        for verb in re.split(w.LIST_JOIN, verbs):
            verb = re.sub(r"\s+", " ", verb.strip())
            if verb == "archived":
                found["no_archive"] = True
            else:
                forbid(w.VERBS[verb])

    def read_republication(match: re.Match[str]) -> None:
        nouns = match["nouns"].lower()
        if "republication" in nouns:
            forbid(Right.PUBLISH)
        if "redistribution" in nouns:
            forbid(Right.REDISTRIBUTE)

    def places(into: set):
        def read(match: re.Match[str]) -> None:
            named = next(group for group in match.groups() if group)
            for place in w.PLACE_SEPARATOR.split(named):
                code = w.country_code(place) if place.strip() else None
                if code:
                    into.add(code)

        return read

    def read_licence(licence: KnownLicence) -> None:
        if found["licence"] is None:
            found["licence"] = licence

    def flag(name: str):
        return lambda match: found.__setitem__(name, True)

    def read_chinese_reservation(match: re.Match[str]) -> None:
        found["arr"] = True
        if not found["holder"]:
            found["holder"] = match["holder"]

    def read_uses(table: dict, group: str):
        def read(match: re.Match[str]) -> None:
            named = match[group].lower()
            for word, rights in table.items():
                if word in named:
                    forbid(*rights)

        return read

    consume(w.CHINESE_SUBJECT, lambda match: None)
    reserved = consume(w.CHINESE_RESERVATION, read_chinese_reservation)
    arr = consume(w.ALL_RIGHTS_RESERVED, flag("arr")) or reserved
    consume(w.PROHIBITION, read_prohibition)
    consume(w.REPUBLICATION, read_republication)
    consume(w.USE_ONLY_BY_AGREEMENT, lambda match: forbid(*Right))
    consume(w.SPANISH_PROHIBITION, read_uses(w.SPANISH_NOUNS, "nouns"))
    consume(w.SPANISH_VERB_PROHIBITION, read_uses(w.SPANISH_VERBS, "verbs"))
    consume(w.CZECH_PROHIBITION, read_uses(w.CZECH_NOUNS, "nouns"))
    consume(w.CHINESE_PROHIBITION, read_uses(w.CHINESE_USES, "uses"))
    consume(w.KOREAN_PROHIBITION, lambda match: forbid(Right.PUBLISH, Right.REDISTRIBUTE))
    consume(w.PRINT_ONLY, flag("print_only"))
    consume(w.NO_ARCHIVE, flag("no_archive"))
    consume(w.TERRITORY_OUTSIDE, places(found["territories"]))
    consume(w.EXCLUSION, places(found["excluded"]))
    consume(w.TERRITORY_INSIDE, places(found["territories"]))
    consume(w.CC_ZERO, lambda m: read_licence(_CC0))
    consume(w.CC_URL, lambda m: read_licence(_licence(m["parts"], m["version"])))
    consume(w.CC_NAME, lambda m: read_licence(_licence(m["parts"], m["version"])))
    consume(w.CC_CODE, lambda m: read_licence(_licence(m["parts"], m["version"])))
    consume(w.NO_TERMS, lambda match: None)

    mark = w.COPYRIGHT_MARK.search(rest)
    if mark:
        owner = rest[mark.end() :]
        rest = rest[: mark.start()]
        year = w.YEAR.search(owner)
        if year:
            if 1900 <= int(year[1]) <= 2100 and found["year"] is None:
                found["year"] = int(year[1])
            owner = owner[: year.start()] + " " + owner[year.end() :]
        holder, after = _split_holder(owner)
        rest += " " + after
        if holder and not found["holder"]:
            found["holder"] = holder
    elif arr and _name_like(_clean(rest)):
        # "The News Agency, www.tna.org - all rights reserved.": the name before a reservation.
        if not found["holder"]:
            found["holder"] = _clean(rest)
        rest = ""
    rest = w.WEB_ADDRESS.sub(" ", rest)
    if re.search(r"\w", w.FILLER.sub(" ", rest)):
        found["unrecognised"].append(sentence)


def is_notice_line(line: str) -> bool:
    """Return True for a line that states copyright, a licence or usage terms, not story text.

    A line that opens with a copyright mark is a notice only where a year, a reservation or a
    holder's name follows the mark: "(c) the third point of the plan" is a list item. "(c)"
    needs a year or a reservation, since a list's third item is marked "(c)" too.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > 600:
        return False
    body = stripped
    if (body[:1], body[-1:]) in {("(", ")"), ("<", ">")}:
        body = body[1:-1]
    mark = w.COPYRIGHT_MARK.match(body)
    if mark:
        after = body[mark.end() :]
        dated = w.YEAR.match(after) or w.YEAR.search(after[:120])
        if dated or w.ALL_RIGHTS_RESERVED.search(body):
            return True
        holder, rest = _split_holder(after)
        if mark[0].strip().lower() != "(c)" and _name_like(holder) and not rest.strip():
            return True
    if w.USAGE_OPENER.match(body):
        return True
    if not (w.NOTICE_WORDS.search(body) or w.ALL_RIGHTS_RESERVED.search(body)):
        return False  # story text: spare it the full reading
    notice = parse_notice(body)
    read = (
        notice.all_rights_reserved
        or notice.prohibited
        or notice.licence
        or notice.territories
        or notice.excluded_territories
        or notice.no_archive
        or notice.print_only
    )
    return bool(read) and not notice.unrecognised
