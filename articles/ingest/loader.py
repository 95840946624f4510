"""Store parsed wire items as articles: one transaction per item, rights derived, bylines linked.

This is the workflow that spans models (source, licence, person, byline, article, audit), so it
lives here rather than on one model. Parsers upstream know nothing of the database. A JPEG, PNG
or WebP file is a picture: read by `picture.read_picture` and stored by the store registered for
pictures (`stores`), alone or as the lead picture of the wire item that brings it (`bundle`).
A ZIP archive is read as the files inside it.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import itertools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import generation
from articles.errors import RewriteRefused
from articles.ingest import ParsedItem, ParseError, UnreadItem, bundle, decode_text, parse, stores
from articles.ingest.brought import BringsPictures
from articles.ingest.files import expand, failed_file, read, unpacked
from articles.ingest.limits import PARSE_SECONDS, read_within
from articles.ingest.parsed import WirePicture
from articles.ingest.picture import kind_of, read_picture
from articles.ingest.report import ItemError, ItemReport
from articles.models import (
    Article,
    AuditEntry,
    Byline,
    Licence,
    Person,
    Section,
    Source,
    article_slug,
)
from articles.notices import CopyTerms
from articles.sanitise import clean_html
from articles.vocabulary import LIVE_STATUSES, TEXT_FIELDS
from copycheck.index import RunIndex


class Ingest(BringsPictures):
    """One ingest run: caches sources and people across items, so each item costs few queries.

    With `source`, the run reads that source's copy as its settings say: in its format (unless
    `format` names one) and with its time zone for times given without one (unless `zone`
    names one). Without, the source is found from each item's copy; see `_in_source_zone`.
    """

    def __init__(
        self,
        *,
        source: Source | None = None,
        format: str = "auto",
        publish: bool = False,
        dry_run: bool = False,
        by=None,
        zone: datetime.tzinfo | None = None,
        parse_limit: float | None = PARSE_SECONDS,
    ):
        self.source = source
        self.parse_limit = parse_limit
        if format == "auto" and source is not None:
            format = source.ingest_format or "auto"
        self.format = format
        self.publish = publish
        self.dry_run = dry_run
        self.by = by
        if zone is None:
            zone = source.zone if source is not None else datetime.UTC
        self.zone = zone
        self.now = timezone.now()
        self._files: dict[str, bytes] = {}  # the batch's files, should an item need reading again
        self._pictures: dict[str, bytes] = {}  # the batch's picture files, by name
        self._on_disk = False  # the batch's files were read from disk (not an upload)
        self._linked: set[str] = set()  # picture files stored as a wire item's, this run
        self._brought: list[ItemReport] = []  # the reports of the pictures the item brought
        self._reread: dict[tuple[str, str], dict[str, ParsedItem]] = {}
        self._sources: dict[str, Source] = {}
        self._people: dict[str, Person] = {}
        self._sections: dict[str, Section] = {}
        self._licences: dict[int, Licence | None] = {}
        self._taken_guids: set[str] = set()
        self._taken_slugs: set[str] = set()
        self._history = Article.history

    # --- files ---------------------------------------------------------------------------------

    def paths(self, paths: Iterable[str | os.PathLike]) -> Iterator[ItemReport]:
        """Ingest files and folders (recursively, in name order); yield one report per item.

        Files go in batches, so that finding which are unchanged, and which guids and slugs are
        taken, costs a few queries per batch rather than per file; memory stays that of a batch.
        """
        files = expand(paths)
        index = RunIndex()
        try:
            while batch := list(itertools.islice(files, BATCH)):
                files_read = [(str(path), read(path)) for path in batch]
                yield from self.batch(files_read, index=index, on_disk=True)
        except GeneratorExit:  # the caller stopped early; what committed is merged
            index.finish()
            raise
        index.finish()  # (an error leaves its rows in the recent table; the next run merges them)

    def data(self, data: bytes, *, name: str) -> Iterator[ItemReport]:
        """Ingest one file's content; its fingerprints go in with it."""
        yield from self.batch([(name, data)], index=RunIndex(direct=True))

    def uploads(self, files: list[tuple[str, bytes | ItemReport]]) -> Iterator[ItemReport]:
        """Ingest the files of one upload together, so that an item finds the pictures beside it."""
        yield from self.batch(files, index=RunIndex(direct=True))

    def batch(
        self,
        files: list[tuple[str, bytes | ItemReport]],
        *,
        index: RunIndex,
        on_disk: bool = False,
    ) -> Iterator[ItemReport]:
        decoded: list[tuple[str, bytes, str] | ItemReport | str] = []
        self._files, self._reread, self._pictures, self._on_disk = {}, {}, {}, on_disk
        for name, data in unpacked(files):
            if isinstance(data, ItemReport):
                decoded.append(data)
                continue
            if self.format in ("auto", "picture") and kind_of(data) or self.format == "picture":
                self._pictures[os.path.normpath(name)] = data
                decoded.append(name)  # stored below, unless an item brings it
                continue
            self._files[name] = data
            try:
                decoded.append((name, data, content_hash(decode_text(data, name))))
            except ParseError as exc:
                decoded.append(failed_file(name, exc))
        # A file identical to one item already stored is unchanged: no need to parse it. Unless
        # --source names another source than the item's: that copy is parsed, and refused.
        digests = [entry[2] for entry in decoded if not isinstance(entry, ItemReport)]
        known = {
            article.wire_hash: article
            for article in Article.objects.filter(wire_hash__in=digests)
            .select_related("source")
            .prefetch_related("bylines__person")
        }
        parsed: list[tuple[str, ParsedItem] | ItemReport | str] = []
        for entry in decoded:
            if isinstance(entry, ItemReport | str):
                parsed.append(entry)
            elif entry[2] in known and (
                self.source is None or known[entry[2]].source_id == self.source.pk
            ):
                parsed.append(ItemReport.of(known[entry[2]], path=entry[0], status="unchanged"))
            else:
                name, data, _ = entry
                try:
                    read = functools.partial(
                        parse, data, format=self.format, name=name, zone=self.zone
                    )
                    for item in read_within(self.parse_limit, name, read):
                        if isinstance(item, UnreadItem):
                            report = ItemReport.failed(
                                name, f"{name}: {item.error}", guid=item.guid
                            )
                            if item.skipped:  # no story (a picture): passed over, no failure
                                report.status = "skipped"
                            parsed.append(report)
                        else:
                            parsed.append((name, item))
                except ParseError as exc:
                    parsed.append(failed_file(name, exc))
        # A picture file an item of the batch brings (or a picture item names) is stored with
        # that item, not alone.
        for entry in parsed:
            if isinstance(entry, tuple):
                wires = [entry[1]] if isinstance(entry[1], WirePicture) else entry[1].pictures
                for wire in wires:
                    with contextlib.suppress(bundle.Refused):
                        self._linked.add(bundle.key(entry[0], wire.href))
        parsed = [
            self.picture(entry, self._pictures[os.path.normpath(entry)])
            if isinstance(entry, str)
            else entry
            for entry in parsed
            if not (isinstance(entry, str) and os.path.normpath(entry) in self._linked)
        ]
        items = [e[1] for e in parsed if isinstance(e, tuple) and isinstance(e[1], ParsedItem)]
        self._taken_guids = set(
            Article.objects.filter(guid__in=[i.guid or text_guid(i) for i in items]).values_list(
                "guid", flat=True
            )
        )
        self._taken_slugs = set(
            Article.objects.filter(slug__in=[slug_base(i.headline) for i in items]).values_list(
                "slug", flat=True
            )
        )
        # Each item is atomic in a savepoint of its own; the batch commits once, and only then
        # are its reports given out, so no report says "created" of an item a crash lost.
        reports = []
        with transaction.atomic(), index.batch() as fingerprints:
            # The rights generation's row first, before any item's row, as every writer takes it.
            generation.bump()
            for entry in parsed:
                if isinstance(entry, ItemReport):
                    reports.append(entry)
                    continue
                mark = fingerprints.mark()
                self._brought = []
                if isinstance(entry[1], WirePicture):  # a picture item on its own
                    reports.append(self.picture_item(entry[1], name=entry[0]))
                    continue
                report = self.item(entry[1], name=entry[0])
                if report.status == "error" or self.dry_run:
                    fingerprints.discard_since(mark)  # its savepoint was rolled back
                reports.append(report)
                if report.status != "error":  # else its pictures went with its savepoint
                    reports.extend(self._brought)
        self._files, self._reread, self._pictures, self._brought = {}, {}, {}, []
        yield from reports

    # --- one item ------------------------------------------------------------------------------

    def picture(self, name: str, data: bytes) -> ItemReport:
        """Read and store one picture file, in a transaction of its own."""
        try:
            parsed = read_within(self.parse_limit, name, lambda: read_picture(data, name=name))
            label = f"{name}: picture {parsed.guid}"
            with transaction.atomic():
                source = self.source or self._source_for(parsed)
                fields = stores.store_for("picture")(
                    parsed, data, name=name, source=source, licence=self._licence(source),
                    by=self.by, publish=self.publish, dry_run=self.dry_run,
                )  # fmt: skip
                if self.dry_run:
                    transaction.set_rollback(True)
            return ItemReport(**fields)
        except ParseError as exc:
            return failed_file(name, exc)
        except ValidationError as exc:
            fields = "; ".join(f"field {k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            return ItemReport.failed(name, f"{label}: {fields}")
        except (ItemError, ValueError, LookupError) as exc:
            return ItemReport.failed(name, f"{label}: {exc}")

    def item(self, item: ParsedItem, *, name: str) -> ItemReport:
        return self._forgetting(lambda: self._attempt(item, name=name))

    def _forgetting(self, attempt) -> ItemReport:
        """Run `attempt` (one item, in a savepoint) and forget what it cached if it is undone."""
        caches = (self._sources, self._people, self._sections, self._licences)
        marks = [len(cache) for cache in caches]
        report = attempt()
        if report.status == "error" or self.dry_run:
            # Its savepoint was rolled back, and with it any source, person or section it made:
            # forget those, lest a later item point at a row that is not there.
            for cache, mark in zip(caches, marks, strict=True):
                for key in list(cache)[mark:]:
                    del cache[key]
        return report

    def _attempt(self, item: ParsedItem, *, name: str) -> ItemReport:
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
        except RewriteRefused as exc:  # its message names the fields refused
            return ItemReport.failed(name, f"{label}: {exc.message}", guid=guid)
        except ValidationError as exc:
            fields = "; ".join(
                f"field {key}: {' '.join(messages)}" for key, messages in exc.message_dict.items()
            )
            return ItemReport.failed(name, f"{label}: {fields}", guid=guid)
        except (IntegrityError, DatabaseError) as exc:
            return ItemReport.failed(name, f"{label}: the database refused it: {exc}", guid=guid)

    def _store(self, item: ParsedItem, *, guid: str, name: str) -> ItemReport:
        digest = content_hash(item.original)
        source = self.source or self._source_for(item)
        item, zone = self._in_source_zone(item, source=source, name=name, guid=guid)
        existing = None
        if guid in self._taken_guids:
            existing = Article.objects.select_for_update().filter(guid=guid).first()
        if existing is not None:
            if existing.source_id != source.pk:
                held = existing.source
                raise ItemError(
                    f"field source: the guid is already held by “{existing.headline}” (id "
                    f"{existing.pk}) from {held.name}, and this copy comes from {source.name}; "
                    f"nothing was changed. Copy from one source does not take over another's "
                    f"item: if this is {held.name}'s story, a rights manager may move the item "
                    f"to {source.name}; if not, the copy needs a guid of its own."
                )
            if existing.wire_hash == digest or (
                item.version is not None
                and existing.wire_version is not None
                and item.version <= existing.wire_version
            ):
                report = ItemReport.of(
                    existing, path=name, status="unchanged", credits=item.bylines
                )
                report.warnings = self._bring_pictures_to(existing, item, guid=guid, name=name)
                return report
            edited = edited_here(existing)
            # A working headline edited here is ours: the newer version keeps it (below).
            kept_headline = existing.headline if existing.headline_is_working else None
            if edited - ({"headline"} if kept_headline is not None else set()):
                raise ItemError(
                    "conflict: edited here since it was ingested (now version "
                    f"{existing.version}); the newer wire version was not applied. Merge it "
                    "by hand, or revert the local edits and ingest again."
                )
        was_killed = existing is not None and existing.status == Article.Status.KILLED
        article = existing or Article(guid=guid)
        if existing is None:
            base = slug_base(item.headline)
            if base not in self._taken_slugs:
                article.slug = base  # free, as the batch's one query found; else save() picks
            self._taken_slugs.add(article.slug or base)
        status = "updated" if existing else "created"
        # The source's own newer version is not a rewrite (copy from elsewhere was refused above).
        article.wire_update = existing is not None and existing.source_id == source.pk
        before = {field: getattr(article, field) for field in TEXT_FIELDS}
        self._fill(article, item, source=source, digest=digest)
        warnings = self._bring_pictures(article, item, guid=guid, name=name, source=source)
        if existing is not None and kept_headline is not None and item.headline_is_working:
            # Still no headline on the wire: the one the desk wrote (or the old working one) stays.
            article.headline = kept_headline
        if existing:
            article.version += 1
        article.ingested_version = article.version
        article.clean_fields(exclude=UNCHECKED_FIELDS)
        # The revision goes in through one manager kept for the run: simple-history's own
        # per-save path builds a manager class on every save, a third of ingest's time.
        article.skip_history_when_saving = True
        try:
            article.save()
        except RewriteRefused as exc:
            refused = [f for f in TEXT_FIELDS if getattr(article, f) != before[f]]
            raise ItemError(f"field {', '.join(refused)}: {exc.message}") from exc
        del article.skip_history_when_saving
        self._history.bulk_history_create(
            [article], update=existing is not None, default_user=self.by
        )
        self._taken_guids.add(guid)
        self._taken_slugs.add(article.slug)
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
        report = ItemReport.of(article, path=name, status=status, credits=item.bylines)
        report.warnings = warnings
        if item.zone_assumed:
            report.zone, report.zone_assumed = str(zone), list(item.zone_assumed)
        if self.publish and not item.killed and article.status not in LIVE_STATUSES:
            decision = article.publish(by=self.by)
            report.published = decision.allowed
            report.refused = list(decision.reasons)
        return report

    def _fill(self, article: Article, item: ParsedItem, *, source: Source, digest: str) -> None:
        notice = item.notice
        article.headline = item.headline.strip()
        article.headline_is_working = item.headline_is_working
        article.standfirst = item.standfirst
        # A wire's copy places none of our library's pictures.
        article.body = clean_html(item.body_html, placings=False)
        article.dateline = item.dateline or item.located
        article.language = (item.language or article.language or "en")[:16]
        article.source = source
        # A section only where the copy names one; its subjects are keywords (one section per
        # subject once made 6,472 sections). Without one, the item keeps the section it has.
        if item.section:
            article.section = self._section(item.section)
        elif article.section_id is None and source.default_section_id is not None:
            article.section_id = source.default_section_id  # the source's, where it has one
        article.keywords = item.keywords
        article.embargo_until = item.embargo_until
        article.copyright_holder = notice.holder[:200]
        article.copyright_year = notice.year
        article.copyright_notice = notice.text
        article.usage_terms = notice.usage_terms or notice.unrecognised
        article.no_archive = notice.no_archive
        article.derive_rights(
            terms=CopyTerms(
                notice=notice,
                expire_at=item.rights_expire_at,
                territories=item.territories,
                start_at=item.rights_start,
            ),
            licence=self._licence(source),
        )
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

    def _in_source_zone(
        self, item: ParsedItem, *, source: Source, name: str, guid: str
    ) -> tuple[ParsedItem, datetime.tzinfo]:
        """`item` with the times it gave without a zone read in `source`'s zone, and that zone.

        The source is known before parsing only when the run names it; found from the copy, it
        is known only now. If its zone is not the run's and the item read some times without a
        zone, the file is read again in the source's zone (once per file and zone), and this
        item taken from it by its guid. Reading again, rather than moving the times already
        read, gives exactly what naming the source would have given: a wall-clock time that
        falls in a daylight-saving gap or fold of the run's zone cannot be recovered from the
        instant it was read as. It costs a second parse only of such files.
        """
        if self.source is not None or not item.zone_assumed:
            return item, self.zone
        try:
            zone = source.zone
        except ValidationError as exc:
            raise ItemError(f"field source: {source.name}'s time zone: {exc.messages[0]}") from None
        if str(zone) == str(self.zone) or name not in self._files:
            return item, self.zone
        key = (name, str(zone))
        if key not in self._reread:
            items = parse(self._files[name], format=item.format, name=name, zone=zone)
            self._reread[key] = {
                i.guid or text_guid(i): i for i in items if isinstance(i, ParsedItem)
            }
        again = self._reread[key].get(guid)
        return (again, zone) if again is not None else (item, self.zone)

    # --- lookups, cached for the run ------------------------------------------------------------

    def _source_for(self, item: ParsedItem | WirePicture) -> Source:
        name = (item.notice.holder or item.provider).strip()
        if not name:
            raise ItemError(
                "field source: the copy names no provider or copyright holder; name its source "
                "(the Source field on the upload page, --source SLUG on the command line)"
            )
        slug = slugify(name)[:200] or "source"
        if slug not in self._sources:
            self._sources[slug] = (
                Source.objects.prefetch_related("licences").filter(slug=slug).first()
                or Source.objects.filter(name__iexact=name).prefetch_related("licences").first()
                or Source.objects.create(name=name[:200], slug=slug, kind=Source.Kind.AGENCY)
            )
        return self._sources[slug]

    def _licence(self, source: Source) -> Licence | None:
        if source.pk not in self._licences:
            self._licences[source.pk] = source.active_licence(at=self.now)
        return self._licences[source.pk]

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


BATCH = 200
# Fields ingest sets from its own logic rather than from the copy: no need to validate them.
CHECKED_FIELDS = {"headline", "standfirst", "dateline", "language", "copyright_holder"}
UNCHECKED_FIELDS = [f.name for f in Article._meta.concrete_fields if f.name not in CHECKED_FIELDS]


def slug_base(headline: str) -> str:
    """A new item's slug: the model's, at most 80 characters, cut at a word boundary."""
    return article_slug(headline)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def text_guid(item: ParsedItem) -> str:
    """A guid for copy that carries none: a hash of headline and body, so a re-send matches."""
    basis = "\n".join([item.headline.strip(), item.body_html.strip()])
    return "urn:newsroom:text:" + hashlib.sha256(basis.encode()).hexdigest()[:32]


def edited_here(article: Article) -> set[str]:
    """The text fields (headline, standfirst, body) that differ from the stored wire original;
    all of them when the original cannot be read again.

    Workflow changes (publish, withdraw) are not edits; only the text counts.
    """
    try:
        items = parse(article.wire_original.encode(), format=article.wire_format or "auto")
    except ParseError:
        return set(TEXT_FIELDS)
    match = [
        i for i in items if isinstance(i, ParsedItem) and (i.guid or text_guid(i)) == article.guid
    ]
    if not match:
        return set(TEXT_FIELDS)
    wire = match[0]
    stored = {"headline": wire.headline.strip(), "standfirst": wire.standfirst}
    stored["body"] = clean_html(wire.body_html, placings=False)
    return {f for f in TEXT_FIELDS if stored[f] != getattr(article, f)}
