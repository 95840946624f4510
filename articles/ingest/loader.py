"""Store parsed wire items as articles: one transaction per item, rights derived, bylines linked.

This is the workflow that spans models (source, licence, person, byline, article, audit), so it
lives here rather than on one model. Parsers upstream know nothing of the database.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.ingest import MAX_BYTES, ParsedItem, ParseError, parse
from articles.models import Article, AuditEntry, Byline, Person, Section, Source
from articles.notices import parse_notice
from articles.rights import DerivedRights, Right, derive_rights
from articles.sanitise import clean_html


@dataclass
class ItemReport:
    """What happened to one item: the `ingest --json` line, field for field."""

    path: str
    status: str  # created, updated, unchanged, error
    id: int | None = None
    guid: str = ""
    url: str = ""
    headline: str = ""
    copyright_holder: str = ""
    copyright_year: int | None = None
    usage_terms: str = ""
    embargo_until: str | None = None
    rights_expire_at: str | None = None
    territories: list[str] = field(default_factory=list)
    rights: dict[str, bool] = field(default_factory=dict)
    rights_settled: bool = False
    bylines: list[dict[str, str]] = field(default_factory=list)
    published: bool = False
    refused: list[str] = field(default_factory=list)
    error: str = ""

    def as_json(self) -> dict:
        return dict(self.__dict__)

    @classmethod
    def failed(cls, path: str, error: str, *, guid: str = "") -> ItemReport:
        return cls(path=path, status="error", guid=guid, error=error)

    @classmethod
    def of(cls, article: Article, *, path: str, status: str) -> ItemReport:
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
            rights_expire_at=iso(article.rights_expire_at),
            territories=sorted(article.territories),
            rights={right.value: article.grants(right) for right in Right},
            rights_settled=article.rights_settled,
            bylines=[
                {"name": b.person.name, "role": b.role}
                for b in article.bylines.select_related("person").order_by("order")
            ],
            published=article.status in ("published", "scheduled"),
        )


class Ingest:
    """One ingest run: caches sources and people across items, so each item costs few queries."""

    def __init__(
        self,
        *,
        source: Source | None = None,
        format: str = "auto",
        publish: bool = False,
        dry_run: bool = False,
        by=None,
    ):
        self.source = source
        self.format = format
        self.publish = publish
        self.dry_run = dry_run
        self.by = by
        self.now = timezone.now()
        self._sources: dict[str, Source] = {}
        self._people: dict[str, Person] = {}
        self._sections: dict[str, Section] = {}

    # --- files ---------------------------------------------------------------------------------

    def paths(self, paths: Iterable[str | os.PathLike]) -> Iterator[ItemReport]:
        """Ingest files and folders (recursively, in name order); yield one report per item."""
        for path in expand(paths):
            yield from self.file(path)

    def file(self, path: Path) -> Iterator[ItemReport]:
        name = str(path)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ParseError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
            data = path.read_bytes()
        except OSError as exc:
            yield ItemReport.failed(name, f"{name}: cannot read: {exc.strerror or exc}")
            return
        except ParseError as exc:
            yield ItemReport.failed(name, f"{name}: {exc}")
            return
        yield from self.data(data, name=name)

    def data(self, data: bytes, *, name: str) -> Iterator[ItemReport]:
        try:
            items = parse(data, format=self.format, name=name)
        except ParseError as exc:
            message = str(exc)
            yield ItemReport.failed(name, message if name in message else f"{name}: {message}")
            return
        for item in items:
            yield self.item(item, name=name)

    # --- one item ------------------------------------------------------------------------------

    def item(self, item: ParsedItem, *, name: str) -> ItemReport:
        guid = item.guid or text_guid(item)
        label = f"{name}: item {guid}"
        try:
            with transaction.atomic():
                report = self._store(item, guid=guid, name=name)
                if self.dry_run:
                    transaction.set_rollback(True)
                return report
        except ItemError as exc:
            return ItemReport.failed(name, f"{label}: {exc}", guid=guid)
        except ValidationError as exc:
            fields = "; ".join(
                f"field {key}: {' '.join(messages)}" for key, messages in exc.message_dict.items()
            )
            return ItemReport.failed(name, f"{label}: {fields}", guid=guid)
        except (IntegrityError, DatabaseError) as exc:
            return ItemReport.failed(name, f"{label}: the database refused it: {exc}", guid=guid)

    def _store(self, item: ParsedItem, *, guid: str, name: str) -> ItemReport:
        digest = hashlib.sha256(item.original.encode()).hexdigest()
        existing = Article.objects.select_for_update().filter(guid=guid).first()
        if existing is not None:
            if existing.wire_hash == digest or (
                item.version is not None
                and existing.wire_version is not None
                and item.version <= existing.wire_version
            ):
                return ItemReport.of(existing, path=name, status="unchanged")
            if edited_here(existing):
                raise ItemError(
                    "conflict: edited here since it was ingested (now version "
                    f"{existing.version}); the newer wire version was not applied. Merge it "
                    "by hand, or revert the local edits and ingest again."
                )
        source = self.source or self._source_for(item)
        was_killed = existing is not None and existing.status == Article.Status.KILLED
        article = existing or Article(guid=guid)
        status = "updated" if existing else "created"
        self._fill(article, item, source=source, digest=digest)
        if existing:
            article.version += 1
        article.full_clean(
            exclude=["slug", "guid"], validate_unique=False, validate_constraints=False
        )
        article.save()
        article.ingested_version = article.version
        Article.objects.filter(pk=article.pk).update(ingested_version=article.version)
        self._bylines(article, item, source=source, replace=bool(existing))
        AuditEntry.record(
            AuditEntry.Action.INGEST,
            article=article,
            actor=self.by,
            reason=f"{status.capitalize()} from {Path(name).name} ({item.format}).",
            detail={"guid": guid, "wire_version": item.version, "rights": article.rights_basis},
        )
        if item.killed and existing and not was_killed:
            AuditEntry.record(
                AuditEntry.Action.KILL,
                article=article,
                actor=self.by,
                reason="The wire cancelled the item (pubStatus canceled).",
            )
        report = ItemReport.of(article, path=name, status=status)
        if self.publish and not item.killed and article.status not in ("published", "scheduled"):
            decision = article.publish(by=self.by)
            report.published = decision.allowed
            report.refused = list(decision.reasons)
        return report

    def _fill(self, article: Article, item: ParsedItem, *, source: Source, digest: str) -> None:
        notice = item.notice
        derived = derive_rights(
            source=source,
            notice=notice,
            licence=self._licence(source),
            expire_at=item.rights_expire_at,
            territories=item.territories,
        )
        article.headline = item.headline.strip()
        article.headline_is_working = item.headline_is_working
        article.standfirst = item.standfirst
        article.body = item.body_html
        article.dateline = item.dateline or item.located
        article.language = (item.language or article.language or "en")[:16]
        article.source = source
        if item.section:
            article.section = self._section(item.section)
        article.embargo_until = item.embargo_until
        article.copyright_holder = notice.holder[:200]
        article.copyright_year = notice.year
        article.copyright_notice = notice.text
        article.usage_terms = notice.usage_terms or notice.unrecognised
        article.no_archive = notice.no_archive
        article.apply_rights(derived)
        article.wire_format = item.format
        article.wire_original = item.original
        article.wire_version = item.version
        article.wire_hash = digest
        if item.killed:
            article.status = Article.Status.KILLED

    def _bylines(
        self, article: Article, item: ParsedItem, *, source: Source, replace: bool
    ) -> None:
        if replace:
            article.bylines.all().delete()
        affiliation = source if source.kind != Source.Kind.STAFF else None
        Byline.objects.bulk_create(
            Byline(
                article=article,
                person=self._person(credit.name, affiliation=affiliation),
                role=credit.role,
                place=credit.place[:100],
                order=order,
            )
            for order, credit in enumerate(item.bylines)
        )

    # --- lookups, cached for the run ------------------------------------------------------------

    def _source_for(self, item: ParsedItem) -> Source:
        name = (item.notice.holder or item.provider).strip()
        if not name:
            raise ItemError(
                "field source: the copy names no provider or copyright holder; name the source "
                "with --source SLUG"
            )
        slug = slugify(name)[:200] or "source"
        if slug not in self._sources:
            self._sources[slug] = (
                Source.objects.prefetch_related("licences").filter(slug=slug).first()
                or Source.objects.filter(name__iexact=name).prefetch_related("licences").first()
                or Source.objects.create(name=name[:200], slug=slug, kind=Source.Kind.AGENCY)
            )
        return self._sources[slug]

    def _licence(self, source: Source):
        return source.active_licence(at=self.now)

    def _person(self, name: str, *, affiliation: Source | None) -> Person:
        slug = slugify(name)[:200] or "person"
        if slug not in self._people:
            person = Person.objects.filter(slug=slug).first()
            if person is None:
                person = Person.objects.create(name=name[:200], slug=slug, affiliation=affiliation)
            self._people[slug] = person
        return self._people[slug]

    def _section(self, name: str) -> Section:
        slug = slugify(name)[:100] or "news"
        if slug not in self._sections:
            self._sections[slug], _ = Section.objects.get_or_create(
                slug=slug, defaults={"name": name[:100]}
            )
        return self._sections[slug]


class ItemError(Exception):
    """An item that cannot be stored; the message names the field."""


def text_guid(item: ParsedItem) -> str:
    """A guid for copy that carries none: a hash of headline and body, so a re-send matches."""
    basis = "\n".join([item.headline.strip(), item.body_html.strip()])
    return "urn:newsroom:text:" + hashlib.sha256(basis.encode()).hexdigest()[:32]


def edited_here(article: Article) -> bool:
    """Whether headline, standfirst or body differ from what the stored wire original says.

    Workflow changes (publish, withdraw) are not edits; only the text counts.
    """
    try:
        items = parse(article.wire_original.encode(), format=article.wire_format or "auto")
    except ParseError:
        return True
    match = [i for i in items if (i.guid or text_guid(i)) == article.guid]
    if not match:
        return True
    wire = match[0]
    return (wire.headline.strip(), wire.standfirst, clean_html(wire.body_html)) != (
        article.headline,
        article.standfirst,
        article.body,
    )


def expand(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
        else:
            yield path


def derive_for_article(article: Article, *, at: datetime.datetime | None = None) -> DerivedRights:
    """Derive an article's rights again from what the copy said and the licence in force now.

    The stored wire original is read again where there is one (so the copy's own rights window
    and territories count); otherwise the stored notice and usage terms.
    """
    at = at or timezone.now()
    notice, expire_at, territories = None, None, frozenset()
    if article.wire_original and article.wire_format:
        try:
            items = parse(article.wire_original.encode(), format=article.wire_format)
        except ParseError:
            items = []
        match = [i for i in items if (i.guid or text_guid(i)) == article.guid] or items[:1]
        if match:
            notice = match[0].notice
            expire_at, territories = match[0].rights_expire_at, match[0].territories
    if notice is None:
        notice = parse_notice(
            "\n".join(filter(None, [article.copyright_notice, article.usage_terms]))
        )
    return derive_rights(
        source=article.source,
        notice=notice,
        licence=article.source.active_licence(at=at),
        expire_at=expire_at,
        territories=territories,
    )
