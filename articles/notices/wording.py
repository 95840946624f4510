"""The words of notices, language by language: copyright marks, reservations of rights,
prohibitions, archive limits, territories, licence statements, and country names.

A phrase missing here is not read: a notice that uses it keeps it as terms we could not read,
and its item stays unsettled until a person reads them. So every entry is a phrase agencies
use (tests/notices/corpus.json holds them with their sources), and nothing is guessed.
"""

from __future__ import annotations

import re

from articles.vocabulary import Right

# --- countries ------------------------------------------------------------------------------------

# Country names as usage terms spell them, to ISO 3166-1 alpha-2. Deliberately small and explicit:
# a name missing here leaves the terms unrecognised, so a person reviews them. Regions ("Europe",
# "Scandinavia") are not countries and are not here.
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
    "slovakia": "SK",
    "hungary": "HU",
    "romania": "RO",
    "bulgaria": "BG",
    "russia": "RU",
    "ukraine": "UA",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "india": "IN",
    "pakistan": "PK",
    "china": "CN",
    "hong kong": "HK",
    "taiwan": "TW",
    "japan": "JP",
    "south korea": "KR",
    "korea": "KR",
    "singapore": "SG",
    "malaysia": "MY",
    "indonesia": "ID",
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
    cleaned = re.sub(r"^the\s+", "", re.sub(r"\s+", " ", name.strip()), flags=re.IGNORECASE)
    if cleaned.upper() in _ISO_CODES and len(cleaned) == 2:
        return cleaned.upper()
    return COUNTRIES.get(cleaned.lower())


_COUNTRY = "|".join(re.escape(n) for n in sorted(COUNTRIES, key=len, reverse=True))
# One country or a list of them: "the UK", "the UK and Ireland", "Germany, Austria or Switzerland".
PLACES = (
    rf"(?:the\s+)?(?:{_COUNTRY})(?!\w)"
    rf"(?:\s*(?:,?\s*\b(?:and|or)\b|&|,)\s*(?:the\s+)?(?:{_COUNTRY})(?!\w))*"
)
PLACE_SEPARATOR = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*", re.IGNORECASE)
_CLAUSE_END = r"(?=\s*(?:[.;,]|$))"

# --- holder and year ----------------------------------------------------------------------------

# "Copyright", "©", "(c)", Korean "저작권자" and the circled "ⓒ", alone or several together:
# "(c) Copyright Thomson Reuters 2025" is one mark, then its holder.
COPYRIGHT_MARK = re.compile(r"(?:(?:\bcopyrights?\b|\(c\)|©|ⓒ|저작권자)\s*)+", re.IGNORECASE)
YEAR = re.compile(r"(?<!\d)(\d{4})(?:\s*[-–]\s*\d{2,4})?(?!\d)")
# What follows a holder's name after a comma and still belongs to it: "Example News, Inc.".
COMPANY_SUFFIX = re.compile(
    r"^(?:inc|ltd|llc|plc|corp|co|gmbh|ag|ab|as|asa|oy|oyj|a/s|s\.?a|s\.?p\.?a|pty\.?\s+ltd)\.?$",
    re.IGNORECASE,
)
DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+")
WEB_ADDRESS = re.compile(r"\(?\b(?:https?://|www\.)[^\s()]+\)?|\((?:[^()\s]*\.[^()\s]*)\)")
# Words of terms, which end a holder's name: "© 2024 AFP NO WIRELESS USE" is AFP's.
TERMS_WORD = re.compile(
    r"^(?:no|not|only|use|used|for|editorial|mandatory|credit|sales?|resales?|archives?|archival"
    r"|restricted|restrictions?|out|except|excluding|without|may|must|shall|click|see|licen[cs]ed"
    r"|licen[cs]e|rights?|reserved|all|is|are)$",
    re.IGNORECASE,
)
# Small words a holder's name may hold in lower case.
NAME_PARTICLES = frozenset(
    {"of", "and", "the", "for", "de", "del", "della", "di", "du", "des", "la", "le", "van", "von",
     "der", "den", "und", "et", "y", "e", "da", "do", "dos", "das", "&", "-"}
)  # fmt: skip

# --- all rights reserved ------------------------------------------------------------------------

ALL_RIGHTS_RESERVED = re.compile(
    "|".join(
        [
            r"\ball\s+(?:copy)?rights\s+(?:and\s+database\s+rights\s+)?reserved\b",  # en, ANP's
            r"\ball\s+reproduction\s+(?:and\s+representation\s+)?rights\s+reserved\b",  # AFP's
            r"\balle\s+rechte\s+vorbehalten\b",  # de
            r"\btous\s+droits(?:\s+de\s+reproduction(?:\s+et\s+de\s+représentation)?)?"
            r"\s+réservés\b",  # fr
            r"\btodos\s+los\s+derechos\s+reservados\b",  # es
            r"\btutti\s+i\s+diritti\s+riservati\b",  # it
            r"\briproduzione\s+riservata\b",  # it, ANSA's
            r"\btodos\s+os\s+direitos\s+reservados\b",  # pt
            r"\balle\s+(?:auteurs)?rechten(?:\s+en\s+databankrechten)?\s+voorbehouden\b",  # nl
            r"\balla\s+rättigheter\s+förbehållna\b",  # sv
            r"\balle\s+rettigheter\s+(?:forbeholdt|reservert)\b",  # nb
            r"\balle\s+rettigheder\s+forbeholdes\b",  # da
            r"\bkaikki\s+oikeudet\s+pidätetään\b",  # fi
            r"\bwszelkie\s+prawa\s+zastrzeżone\b",  # pl
            r"\bvšechna\s+práva\s+vyhrazena\b",  # cs
            r"\btoate\s+drepturile\s+rezervate\b",  # ro
            r"\btüm\s+hakları\s+saklıdır\b",  # tr
            r"版权所有",  # zh
        ]
    ),
    re.IGNORECASE,
)

# --- prohibitions -------------------------------------------------------------------------------

VERBS = {
    "published": Right.PUBLISH,
    "republished": Right.PUBLISH,
    "reproduced": Right.PUBLISH,
    "broadcast": Right.BROADCAST,
    "rebroadcast": Right.BROADCAST,
    "rewritten": Right.REWRITE,
    "modified": Right.REWRITE,
    "redistributed": Right.REDISTRIBUTE,
    "re-distributed": Right.REDISTRIBUTE,
    "otherwise distributed": Right.REDISTRIBUTE,
    "distributed": Right.REDISTRIBUTE,
}
# AP's "rewritten for broadcast or publication" is rewriting, whatever it is rewritten for.
_REWRITTEN_FOR = r"rewritten\s+for\s+broadcast\s+or\s+publication"
REWRITTEN_FOR = re.compile(_REWRITTEN_FOR, re.IGNORECASE)
# "archived" is not one of the four rights: it reads as no_archive.
_VERB = "|".join(
    [_REWRITTEN_FOR, *(re.escape(v) for v in sorted([*VERBS, "archived"], key=len, reverse=True))]
)
LIST_JOIN = r"\s*(?:,?\s*\b(?:or|and|nor)\b|,)\s*"
_PERMISSION = (
    r"(?:the\s+)?(?:prior\s+)?(?:express\s+)?(?:written\s+)?"
    r"(?:permission|consent|authority|authori[sz]ation|agreement)"
)
# "This material may not be published, broadcast, rewritten, or redistributed without permission."
# What a prohibition is about: "This material", "The information contained in the AP News
# report", "Associated Press text, photos, graphics, audio and/or video materials". Names and
# the words of content only, so that "The minister said the report may not be published" is
# not read as a notice.
_SUBJECT_WORD = (
    r"(?:(?-i:[A-Z])[\w.&'’-]*|this|these|the|such|its|any|all|in|of|from|by|on|contained"
    r"|provided|supplied|and|or|and/or|portions?|parts?|thereof|texts?|photos?|photographs?"
    r"|pictures?|graphics|audio|video|materials?|content|stories|story|reports?|information"
    r"|articles?|items?|copy|news|work)"
)
PROHIBITION = re.compile(
    rf"(?:\b(?:{_SUBJECT_WORD},?\s+){{1,14}}?)?"
    r"\b(?:may|must|shall|can)\s+not\s+"
    r"(?:directly\s+or\s+indirectly\s+)?be\s+"
    rf"(?P<verbs>(?:{_VERB})(?:{LIST_JOIN}(?:{_VERB}))*)"
    r"(?:,?\s+(?:directly\s+or\s+indirectly\s+)?in\s+(?:any\s+(?:form|way|manner|medium|media)"
    r"|whole\s+or\s+(?:in\s+)?part))?"
    rf"(?:,?\s+without\s+{_PERMISSION}(?:\s+of\s+[^.;]{{1,80}}?)?)?"
    r"(?=\s*(?:[.;]|$))",
    re.IGNORECASE,
)
# "Republication or redistribution of Reuters content ... is expressly prohibited"
REPUBLICATION = re.compile(
    r"(?:\bany\s+)?\b(?P<nouns>(?:republication|redistribution)"
    r"(?:\s*(?:,|,?\s*\b(?:or|and)\b)\s*(?:republication|redistribution))*)"
    r"\s+of\s+[^.;]{1,160}?\s+(?:is|are)\s+(?:expressly\s+|strictly\s+)?prohibited"
    r"(?:,?\s+without\s+[^.;]{1,120}?)?(?=\s*(?:[.;]|$))",
    re.IGNORECASE,
)
# Use only under an agreement: nothing may be done without one, so all four are forbidden until
# a licence grants them. dpa: "Use only with the written agreement with dpa", "Nutzung nur nach
# schriftlicher Vereinbarung mit dpa".
USE_ONLY_BY_AGREEMENT = re.compile(
    rf"\b(?:use|usage)\s+only\s+with\s+{_PERMISSION}\s+(?:with|of|from)\s+[^.;]{{1,80}}?"
    rf"{_CLAUSE_END}"
    r"|\bnutzung\s+nur\s+(?:nach|mit)\s+(?:vorheriger\s+)?(?:schriftlicher\s+)?"
    r"(?:vereinbarung|genehmigung|zustimmung)\s+(?:mit|von|der|des)\s+[^.;]{1,80}?"
    rf"{_CLAUSE_END}",
    re.IGNORECASE,
)
# Spanish, EFE's and Europa Press's: "Está expresamente prohibida la redistribución y la
# redifusión de todo o parte de los contenidos ... sin su previo y expreso consentimiento."
SPANISH_NOUNS = {
    "reproducción": (Right.PUBLISH,),
    "publicación": (Right.PUBLISH,),
    "redifusión": (Right.BROADCAST,),
    "modificación": (Right.REWRITE,),
    "redistribución": (Right.REDISTRIBUTE,),
    "distribución": (Right.REDISTRIBUTE,),
}
_SPANISH_NOUN = "|".join(SPANISH_NOUNS)
SPANISH_PROHIBITION = re.compile(
    r"\b(?:está|queda|quedan|están)\s+(?:expresamente\s+|terminantemente\s+|totalmente\s+)?"
    r"prohibid[ao]s?\s+"
    rf"(?P<nouns>(?:(?:la|el)\s+)?(?:{_SPANISH_NOUN})"
    rf"(?:\s*(?:,|\by\b|\be\b|\bo\b)\s*(?:(?:la|el)\s+)?(?:{_SPANISH_NOUN}))*)"
    r"\s+de\s+(?:todo\s+o\s+parte\s+de\s+)?(?:los|las|este|esta|estos|estas|el|la|sus)\s+"
    r"(?:contenidos?|materiales?|informaciones?|noticias?|textos?|servicios?)\b[^.;,]{0,120}?"
    r"(?:,?\s+sin\s+(?:su\s+|el\s+)?(?:previo\s+y\s+expreso\s+|expreso\s+y\s+previo\s+|previo\s+"
    r"|expreso\s+)?(?:consentimiento|autorización|permiso)"
    r"(?:\s+(?:de|del)\s+[^.;]{1,80}?(?:\s+S\.\s?[AL]\.?)?)?)?"
    r"(?=\s*[.;]?\s*$)",
    re.IGNORECASE,
)
# Spanish, in the verbal form AP's Spanish service uses: "Este material no puede ser publicado,
# transmitido, reescrito o redistribuido" (and "no podrá ser reproducido ni difundido").
SPANISH_VERBS = {
    "publicad": (Right.PUBLISH,),
    "reproducid": (Right.PUBLISH,),
    "transmitid": (Right.BROADCAST,),
    "difundid": (Right.BROADCAST,),
    "radiodifundid": (Right.BROADCAST,),
    "reescrit": (Right.REWRITE,),
    "modificad": (Right.REWRITE,),
    "redistribuid": (Right.REDISTRIBUTE,),
    "distribuid": (Right.REDISTRIBUTE,),
}
_SPANISH_VERB = r"(?:" + "|".join(SPANISH_VERBS) + r")[oa]s?"
SPANISH_VERB_PROHIBITION = re.compile(
    r"(?:\b(?:este|esta|estos|estas|el|la|los|las|dicho|dicha)\s+(?:material|contenido|texto|"
    r"artículo|información|noticia|servicio)(?:e?s)?\s+)?"
    r"\bno\s+(?:puede|pueden|podrá|podrán|debe|deben|deberá|deberán)\s+ser\s+"
    rf"(?P<verbs>{_SPANISH_VERB}(?:\s*(?:,|\by\b|\bo\b|\bni\b)\s*{_SPANISH_VERB})*)"
    r"(?:\s+(?:total\s+o\s+parcialmente|en\s+(?:ningún|ninguna)\s+\w+))?"
    r"(?:,?\s+sin\s+(?:el\s+|su\s+)?(?:previo\s+|expreso\s+)*(?:consentimiento|autorización|permiso)"
    r"(?:\s+(?:de|del)\s+[^.;]{1,80}?)?)?"
    r"(?=\s*(?:[.;]|$))",
    re.IGNORECASE,
)
# Korean, Yonhap's: "무단 전재-재배포 금지" (no reproduction or redistribution without permission).
KOREAN_PROHIBITION = re.compile(r"무단\s*(?:전재|복제)(?:\s*(?:-|·|및)\s*재배포)?(?:\s*금지)?")

# Czech, ČTK's terms as publishers print them: "Přepis, šíření či další zpřístupňování tohoto
# obsahu ... veřejnosti, a to jakýmkoliv způsobem, je bez předchozího souhlasu ČTK výslovně
# zakázáno." Making it available to the public in any way is publication and broadcast.
CZECH_NOUNS = {
    "přepis": (Right.REWRITE,),
    "šíření": (Right.REDISTRIBUTE,),
    "zpřístupňování": (Right.PUBLISH, Right.BROADCAST),
    "publikování": (Right.PUBLISH,),
}
_CZECH_NOUN = rf"(?:další\s+)?(?:{'|'.join(CZECH_NOUNS)})"
CZECH_PROHIBITION = re.compile(
    rf"(?P<nouns>{_CZECH_NOUN}(?:\s*(?:,|\bči\b|\bnebo\b|\ba\b)\s*{_CZECH_NOUN})*)"
    r"[^.;]{0,60}?\b(?:tohoto\s+)?(?:obsahu|zpravodajství|materiálů|textů)\b[^.;]{0,100}?"
    r"\b(?:je|jsou)\s+bez\s+(?:předchozího\s+)?(?:písemného\s+)?souhlasu\s+"
    r"[^.;\s]{1,40}(?:\s+výslovně)?\s+zakázán[oay]?",
    re.IGNORECASE,
)
# Chinese, Xinhua's site footer: "本网站所刊登的各种新闻…资料，均为新华网版权所有，未经协议授权，
# 禁止下载使用。" (everything published here is Xinhuanet's copyright; without an agreement,
# downloading and use are forbidden). Its subject, "what this site publishes", adds no terms.
CHINESE_SUBJECT = re.compile(r"本网站所刊登的[^，,。]{0,40}?(?:资料|内容|作品)[，,]?")
CHINESE_RESERVATION = re.compile(r"(?:均为|为)?(?P<holder>[^\s，,。、：:]{2,20}?)版权所有[，,]?")
CHINESE_USES = {
    "使用": tuple(Right),
    "转载": (Right.PUBLISH, Right.REDISTRIBUTE),
    "复制": (Right.PUBLISH,),
    "传播": (Right.REDISTRIBUTE,),
}
CHINESE_PROHIBITION = re.compile(
    r"未经(?:协议|书面)?(?:授权|许可|同意)[，,]?\s*(?:禁止|不得)(?P<uses>(?:下载|转载|复制|传播|使用)+)"
    r"[。]?"
)

# --- archive limits -----------------------------------------------------------------------------

# Reuters' "NO ARCHIVAL USE"; AFP's "NO ARCHIVAL OR WIRELESS USE" reads "no archival", and the
# wireless use it also forbids is left for a person (our pages are read on phones).
NO_ARCHIVE = re.compile(
    r"\bno\s+archiv(?:ing|es?|al)\b(?:\s+use\b)?|\bnot\s+(?:to\s+be|for)\s+archiv(?:ed|ing|al"
    r"(?:\s+use)?)\b",
    re.IGNORECASE,
)

# --- print only -------------------------------------------------------------------------------

# "For print use only", "Print only", "Not for online use": the item may appear in print and
# nowhere this product puts it. Every channel here is online (pages, lists, search, feeds, the
# API, the newsletter), so it withholds publication, broadcast and redistribution, and binds
# even where our licence with the source grants them: it is this item's own limit on the
# licence, as a territory is (`rights.derive_rights`). Rewriting, editing it for print, is not
# what it limits. German, French and Spanish in the forms agencies' picture terms take.
PRINT_ONLY = re.compile(
    "|".join(
        [
            r"\b(?:for\s+|licen[cs]ed\s+for\s+)?(?:use\s+in\s+)?print(?:\s+(?:use|usage|media"
            r"|publication|editions?))?\s+only\b",  # en: "for print use only", "print only"
            r"\b(?:for\s+use\s+)?only\s+(?:for|in)\s+print(?:\s+(?:use|media|publication))?\b",
            r"\b(?:not\s+for|no)\s+(?:online|internet|web|website|digital)"
            r"(?:\s*/\s*(?:mobile|wireless))?\s+(?:use|usage|publication)\b",  # "no online use"
            r"\bnot\s+(?:for\s+use|to\s+be\s+used|to\s+be\s+published)\s+online\b",
            # A photo's special instructions name the medium alone, as a whole instruction:
            # "NO INTERNET", "No Websites" (never "no internet access").
            r"\bno\s+(?:online|internet|web|websites?)\b(?!\s*[\w-])",
            r"\bnur\s+für\s+(?:die\s+)?print(?:verwendung|nutzung|medien|ausgaben?)\b",  # de
            r"\bnur\s+(?:zur\s+)?(?:verwendung|nutzung)\s+in\s+printmedien\b",
            r"\b(?:keine|nicht\s+für\s+(?:die\s+)?)\s*online-?(?:nutzung|verwendung)\b",
            r"\b(?:usage|utilisation)\s+(?:presse\s+écrite|print|imprimée?)\s+uniquement\b",  # fr
            r"\bréservée?\s+à\s+la\s+presse\s+écrite\b",
            r"\bpas\s+d['’e]\s*(?:utilisation|usage|diffusion)\s+(?:en\s+ligne|sur\s+internet"
            r"|internet|web)\b",
            r"\bs[oó]lo\s+para\s+(?:uso\s+impreso|uso\s+en\s+prensa\s+(?:escrita|impresa)"
            r"|prensa\s+(?:escrita|impresa))\b",  # es
            r"\bprohibid[oa]\s+su\s+uso\s+en\s+internet\b",
        ]
    ),
    re.IGNORECASE,
)
# Of the four rights, those a print-only item may not have on this product's channels.
PRINT_ONLY_WITHHOLDS = (Right.PUBLISH, Right.BROADCAST, Right.REDISTRIBUTE)

# --- territories --------------------------------------------------------------------------------

_USE = r"(?:use|used|publication|published|distribution|distributed|sale|sold|broadcast|release)"
# "Not for use outside the United States": limited to the places named.
TERRITORY_OUTSIDE = re.compile(
    rf"\bnot\s+(?:for|to\s+be)\s+{_USE}\s+outside\s+(?:of\s+)?(?P<places>{PLACES})",
    re.IGNORECASE,
)
# "Not for use in the UK or Ireland", "For use outside the UK only", "excluding the US":
# anywhere but the places named.
EXCLUSION = re.compile(
    rf"\bnot\s+(?:for|to\s+be)\s+{_USE}\s+in\s+(?P<places>{PLACES})(?:\s+only)?{_CLAUSE_END}"
    rf"|(?<!not\s)\b(?:for\s+)?{_USE}\s+(?:anywhere\s+|worldwide\s+)?(?:except\s+(?:in\s+)?"
    rf"|excluding\s+|outside\s+(?:of\s+)?)(?P<others>{PLACES})(?:\s+only)?{_CLAUSE_END}",
    re.IGNORECASE,
)
# "For use in the UK and Ireland only", "Licensed for publication in Germany": only there.
TERRITORY_INSIDE = re.compile(
    r"(?<!not\s)\b(?:for|available\s+for|licen[cs]ed\s+for)\s+(?:use|publication|distribution)\s+"
    rf"(?:only\s+)?in\s+(?P<places>{PLACES})(?:\s+only)?",
    re.IGNORECASE,
)

# --- licence statements -------------------------------------------------------------------------

# "This work is licensed under a", "This article is republished under a", "Published under the".
LICENSED_UNDER = (
    r"(?:(?:(?:this|the)\s+[\w\s-]{1,30}?\s+(?:is|are|was|has\s+been)\s+)?"
    r"(?:(?:re)?published|licen[cs]ed|available|released|distributed|shared|reproduced)"
    r"\s+under\s+(?:a|the)\s+)?"
)
CC_NAME = re.compile(
    LICENSED_UNDER + r"\bcreative\s+commons\s+(?P<parts>attribution(?:[-\s]+(?:non-?commercial|"
    r"share-?alike|no-?deriv(?:ative)?s?))*)(?:\s+(?P<version>\d\.\d))?"
    r"(?:\s+(?:international|generic|unported))?(?:\s+(?:public\s+)?licen[cs]e)?"
    r"(?:\s*\((?:CC\s+)?[\w\s.-]{2,20}\))?",
    re.IGNORECASE,
)
CC_CODE = re.compile(
    LICENSED_UNDER + r"\bCC[-\s]+(?P<parts>BY(?:[-\s]+(?:NC|SA|ND))*)(?:[-\s]+(?P<version>\d\.\d))?"
    r"(?:\s+(?:international|generic|unported))?(?:\s+licen[cs]e)?\b",
    re.IGNORECASE,
)
CC_URL = re.compile(
    LICENSED_UNDER + r"(?:https?://)?(?:www\.)?creativecommons\.org/licenses/"
    r"(?P<parts>by(?:-(?:nc|sa|nd))*)/(?P<version>\d\.\d)(?:/[\w.-]*)*/?",
    re.IGNORECASE,
)
CC_ZERO = re.compile(
    LICENSED_UNDER + r"(?:\bCC0(?:[-\s]+1\.0)?(?:\s+universal)?(?:\s+public\s+domain\s+dedication)?"
    r"|\bcreative\s+commons\s+zero\b|(?:https?://)?(?:www\.)?creativecommons\.org/publicdomain/"
    r"zero/1\.0/?(?:[\w.-]+/?)?)",
    re.IGNORECASE,
)

# Clauses that add no terms: GlobeNewswire's "Failure to comply with this restriction may
# constitute a violation of United States securities law".
NO_TERMS = re.compile(
    r"\bfailure\s+to\s+comply\s+with\s+(?:this|these)\s+restrictions?\s+may\s+constitute\s+a\s+"
    r"violation\s+of\s+[^.;]{1,80}?\s+laws?\b",
    re.IGNORECASE,
)

# --- what is left over --------------------------------------------------------------------------

# Words that carry no terms of their own once the clauses around them are read.
FILLER = re.compile(
    r"\b(?:this|the|a|an|and|or|material|content|story|article|item|text|work|is|are|"
    r"to\s+view\s+a\s+copy\s+of\s+this\s+licen[cs]e,?\s+visit\s*\S*)\b",
    re.IGNORECASE,
)
# Openers of usage-terms and licence lines, so that a parser takes them out of the story even
# when they cannot be read: then they leave the item unsettled rather than staying story text.
USAGE_OPENER = re.compile(
    r"^\W*(?:for\s+(?:editorial|personal|internal|non-?commercial|private)\s+use"
    r"|(?:editorial|personal)\s+use\s+only|not\s+for\s+(?:use|publication|sale|resale|"
    r"distribution|broadcast|archiv|online\b)|no\s+(?:archiv|resales?\b|sales\b|wireless\b"
    r"|online\s+use\b|internet\s+use\b|web\s+use\b)|for\s+print\s+(?:use\s+)?only\b"
    r"|print\s+use\s+only\b"
    r"|usage\s+terms\b|restrictions?\s*:|mandatory\s+credit|embargo\s+terms\b"
    r"|licen[cs]ed\s+under\b|this\s+(?:work|material|content)\s+is\s+licen[cs]ed"
    r"|this\s+(?:article|story|work|piece|report|text|material|content)\s+(?:is|was|has\s+been)"
    r"\s+(?:re)?published\s+(?:from\s+.{1,60}?\s+)?under\b|republished\s+(?:from\s+.{1,60}?\s+)?"
    r"under\b)",
    re.IGNORECASE,
)
# Words without which no line can state rights, a licence or territory terms.
NOTICE_WORDS = re.compile(
    r"rights|prohibit|may not|must not|not be|licen[cs]|creative\s*commons|\bcc[\s-]?(?:by|0)\b"
    r"|publicdomain|outside|\bonly\b|for use|archiv|prohibid|nutzung|무단|재배포"
    r"|online|en\s+ligne|internet|websites|nur\s+für|uniquement|presse\s+écrite|s[oó]lo\s+para",
    re.IGNORECASE,
)
