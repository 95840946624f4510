"""What a notice says, and what the copy says of its rights: plain data, stored with the item."""

from __future__ import annotations

import datetime
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
    excluded_territories: frozenset[str] = frozenset()  # "Not for use in the UK" -> {"GB"}
    no_archive: bool = False  # "may not be archived", "NO ARCHIVAL USE"
    print_only: bool = False  # "For print use only", "Not for online use"
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
            "excluded_territories": sorted(self.excluded_territories),
            "no_archive": self.no_archive,
            "print_only": self.print_only,
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
            excluded_territories=frozenset(data.get("excluded_territories", ())),
            no_archive=data.get("no_archive", False),
            print_only=data.get("print_only", False),
            unrecognised=data.get("unrecognised", ""),
        )


def stricter(own: Notice, wire: Notice) -> Notice:
    """What two statements of one item's rights say together, the stricter winning clause by
    clause: a picture's file (`own`) and the wire item that brings it (`wire`).

    Each right either forbids is forbidden, all rights reserved by either are reserved (so a
    licence one states yields to the other's reservation), a licence of fewer grants wins
    over one of more, exclusions add up, territories narrow to those both allow (the wire's where
    the two share none), and terms either cannot read leave the item unsettled. The holder and
    year are the wire's where it names them; both texts are kept verbatim.
    """
    licences = [n.licence for n in (wire, own) if n.licence is not None]
    licence = min(licences, key=lambda known: len(known.grants), default=None)
    if any(n.all_rights_reserved and n.licence is None for n in (own, wire)):
        licence = None  # one reserves every right the other would have licensed
    territories = own.territories & wire.territories or (wire.territories or own.territories)

    def joined(*values: str) -> str:
        return "\n".join(dict.fromkeys(v for v in values if v))

    return Notice(
        text=joined(own.text, wire.text),
        holder=wire.holder or own.holder,
        year=wire.year if wire.holder or wire.year else own.year,
        all_rights_reserved=own.all_rights_reserved or wire.all_rights_reserved,
        prohibited=own.prohibited | wire.prohibited,
        licence=licence,
        usage_terms=joined(own.usage_terms, wire.usage_terms),
        territories=territories,
        excluded_territories=own.excluded_territories | wire.excluded_territories,
        no_archive=own.no_archive or wire.no_archive,
        unrecognised=" ".join(filter(None, [own.unrecognised, wire.unrecognised])),
    )


def _moment(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class CopyTerms:
    """What the copy itself says of its rights: its notice, and the window and territories its
    rights metadata give. Read once at ingest and stored with the item (`Article.copy_terms`), so
    a later derivation, after a licence changes, needs no parsing.

    The notice carries the territories it excludes; `territories` here are those the metadata
    limits the item to (NITF `doc.rights` geography), and `start_at` and `expire_at` the window
    it gives (`doc.rights` start and end, NewsML-G2 `rightsInfo` validity).
    """

    notice: Notice = field(default_factory=Notice)
    expire_at: datetime.datetime | None = None
    territories: frozenset[str] = frozenset()
    start_at: datetime.datetime | None = None

    def as_json(self) -> dict:
        return {
            "notice": self.notice.as_json(),
            "expire_at": self.expire_at.isoformat() if self.expire_at else None,
            "territories": sorted(self.territories),
            "start_at": self.start_at.isoformat() if self.start_at else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> CopyTerms:
        return cls(
            notice=Notice.from_json(data.get("notice") or {}),
            expire_at=_moment(data.get("expire_at")),
            territories=frozenset(data.get("territories", ())),
            start_at=_moment(data.get("start_at")),
        )
