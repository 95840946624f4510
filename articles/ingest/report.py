"""What ingest says of each item: the `ingest --json` line, field for field."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from articles.ingest.parsed import ParsedByline
from articles.models import Article
from articles.vocabulary import LIVE_STATUSES, Right


class ItemError(Exception):
    """An item that cannot be stored; the message names the field."""


@dataclass
class ItemReport:
    """What happened to one item: the `ingest --json` line, field for field."""

    path: str
    status: str  # created, updated, unchanged, error, skipped
    type: str = "article"  # or "picture"
    id: int | None = None
    guid: str = ""
    url: str = ""
    headline: str = ""
    copyright_holder: str = ""
    copyright_year: int | None = None
    usage_terms: str = ""
    embargo_until: str | None = None
    rights_start_at: str | None = None
    rights_expire_at: str | None = None
    territories: list[str] = field(default_factory=list)
    excluded_territories: list[str] = field(default_factory=list)
    rights: dict[str, bool] = field(default_factory=dict)
    rights_settled: bool = False
    # Times the copy gave without a zone, read in `zone` (the source's, UTC unless configured).
    zone: str = ""
    zone_assumed: list[str] = field(default_factory=list)
    bylines: list[dict[str, str]] = field(default_factory=list)
    published: bool = False
    refused: list[str] = field(default_factory=list)
    error: str = ""
    # What went wrong with what the item brought (a picture file missing or refused): the item
    # itself is stored; each picture is reported on a line of its own too.
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def failed(cls, path: str, error: str, *, guid: str = "") -> ItemReport:
        return cls(path=path, status="error", guid=guid, error=error)

    @classmethod
    def of(
        cls,
        article: Article,
        *,
        path: str,
        status: str,
        credits: Iterable[ParsedByline] | None = None,
    ) -> ItemReport:
        """Report on a stored article; `credits`, when given, spare a query for its bylines."""

        def iso(moment: datetime.datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return cls(
            path=path,
            status=status,
            id=article.pk,
            guid=article.guid,
            url=article.get_absolute_url(),
            headline=article.headline,
            copyright_holder=article.copyright_holder,
            copyright_year=article.copyright_year,
            usage_terms=article.usage_terms,
            embargo_until=iso(article.embargo_until),
            rights_start_at=iso(article.rights_start_at),
            rights_expire_at=iso(article.rights_expire_at),
            territories=sorted(article.territories),
            excluded_territories=sorted(article.excluded_territories),
            rights={right.value: article.grants(right) for right in Right},
            rights_settled=article.rights_settled,
            bylines=[
                {"name": b.name, "role": b.role}
                for b in (
                    credits
                    if credits is not None
                    else (
                        ParsedByline(name=b.person.name, role=b.role)
                        for b in sorted(article.bylines.all(), key=lambda b: b.order)
                    )
                )
            ],
            published=article.status in LIVE_STATUSES,
        )
