"""Copyright and licence notices as wire copy states them, read into what they grant and forbid.

`terms` is what a notice says (`Notice`, `KnownLicence`) and what the copy says of its rights
(`CopyTerms`); `wording` the phrases agencies use, language by language; `reader` reads them.
"""

from articles.notices.reader import is_notice_line, parse_notice
from articles.notices.terms import CopyTerms, KnownLicence, Notice, stricter
from articles.notices.wording import COUNTRIES, country_code

__all__ = [
    "COUNTRIES",
    "CopyTerms",
    "KnownLicence",
    "Notice",
    "country_code",
    "is_notice_line",
    "parse_notice",
    "stricter",
]
