"""The pictures a wire item brings (ninjs and AP associations, NewsML-G2 picture items, NewsML
1.2 photo components), and NewsML-G2 picture items on their own: each found beside the item
(`bundle.locate`), read from its file, its rights taken from the file and the wire together,
stored by the store registered for pictures, and the first a story brings its lead.

A file that did not come with a story, or an href that is refused, is reported on a line of
its own and as a warning on the story, which is stored all the same. A picture item on its own
whose file did not come is an error naming the file, the item and the field.
"""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from articles.ingest import bundle, stores
from articles.ingest.limits import read_within
from articles.ingest.parsed import ParsedItem, ParseError, WirePicture
from articles.ingest.picture import read_picture
from articles.ingest.report import ItemError, ItemReport
from articles.models import Article, Source
from articles.notices import CopyTerms, stricter


class BringsPictures:
    """What `loader.Ingest` does with the pictures an item brings; it holds the batch's picture
    files (`_pictures`), whether they were read from disk (`_on_disk`), those stored as a wire
    item's this run (`_linked`) and the reports of the current item's (`_brought`)."""

    _pictures: dict[str, bytes]
    _on_disk: bool
    _linked: set[str]
    _brought: list[ItemReport]
    source: Source | None
    parse_limit: float | None
    by: object
    publish: bool
    dry_run: bool

    def _licence(self, source: Source): ...  # the run's cache of each source's licence in force

    def _source_for(self, item) -> Source: ...  # the source the copy names, found or made

    def _forgetting(self, attempt) -> ItemReport: ...  # forget what an undone attempt cached

    def _locate(self, name: str, href: str) -> tuple[str, bytes | None]:
        return bundle.locate(name, href, batch=self._pictures, on_disk=self._on_disk)

    def _bring_pictures_to(
        self, article: Article, item: ParsedItem, *, guid: str, name: str
    ) -> list[str]:
        """For a story that is unchanged: its pictures may not be (a G2 picture item's rights
        are not in its text item), and the first time they come its lead is set, as a version."""
        if not item.pictures:
            return []
        lead = article.lead_picture_id
        warnings = self._bring_pictures(article, item, guid=guid, name=name, source=article.source)
        if article.lead_picture_id != lead:
            article.save_version("lead_picture", by=self.by)
        return warnings

    def _bring_pictures(
        self, article: Article, item: ParsedItem, *, guid: str, name: str, source: Source
    ) -> list[str]:
        """Store the pictures `item` brings whose files came with it, each in a savepoint of its
        own, and make the first stored the article's lead picture. Each is reported on a line of
        its own (`self._brought`); what could not be stored is also a warning on the story."""
        warnings, lead = [], None
        for wire in item.pictures:
            picture_guid = wire.guid or f"{guid}#picture-{wire.name}"
            label = f"{name}: item {picture_guid}, field {wire.field}"
            status, problem, data = "error", wire.problem and f"{name}: {wire.problem}", None
            if wire.only_named:
                status = "skipped"
            if not problem:
                try:
                    key, data = self._locate(name, wire.href)
                except bundle.Refused as exc:
                    problem = f"{label}: {exc}"
                    status = "skipped" if isinstance(exc, bundle.Remote) else "error"
                if data is None and not problem:
                    status = "skipped"
                    problem = (
                        f"{label}: the picture file {wire.href!r} did not come with the item (it "
                        "is not in its folder, its ZIP archive or its upload); the story is "
                        "stored without it"
                    )
            if problem:
                self._brought.append(
                    ItemReport(path=name, status=status, type="picture", guid=picture_guid,
                               error=problem)
                )  # fmt: skip
                warnings.append(problem)
                continue
            report = self._wire_picture(wire, data, key=key, guid=picture_guid, name=name,
                                        source=source, label=label)  # fmt: skip
            self._brought.append(report)
            if report.status == "error":
                warnings.append(report.error)
            elif lead is None:
                lead = report.id
        if lead is not None:
            article.lead_picture_id = lead
        return warnings

    def picture_item(self, wire: WirePicture, *, name: str) -> ItemReport:
        """Store a picture item no story brought (a NewsML-G2 picture newsItem) with the file
        beside it, in a savepoint of its own, as a picture a story brings is stored."""
        label = f"{name}: item {wire.guid or wire.name}, field {wire.field}"

        def failed(error: str, status: str = "error") -> ItemReport:
            return ItemReport(path=name, status=status, type="picture", guid=wire.guid,
                              error=error)  # fmt: skip

        if wire.problem:
            return failed(f"{name}: {wire.problem}")
        try:
            key, data = self._locate(name, wire.href)
        except bundle.Remote as exc:  # no fault of the item's: nothing is fetched
            return failed(f"{label}: {exc}", "skipped")
        except bundle.Refused as exc:
            return failed(f"{label}: {exc}")
        if data is None:
            return failed(
                f"{label}: the picture file {wire.href!r} did not come with the picture item (it "
                "is not in its folder, its ZIP archive or its upload), so nothing was stored; "
                "send the file with the item"
            )

        def attempt() -> ItemReport:
            try:
                with transaction.atomic():
                    source = self.source or self._source_for(wire)
                    report = self._wire_picture(wire, data, key=key, guid=wire.guid, name=name,
                                                source=source, label=label)  # fmt: skip
                    if self.dry_run:
                        transaction.set_rollback(True)
                    return report
            except ItemError as exc:  # the copy names no source
                return failed(f"{label}: {exc}")

        return self._forgetting(attempt)

    def _wire_picture(self, wire: WirePicture, data: bytes, *, key: str, guid: str, name: str,
                      source: Source, label: str) -> ItemReport:  # fmt: skip
        """Store one picture a wire item brings: its rights read from the file and the wire
        together, the stricter statement winning (`notices.stricter`), under the wire's guid."""
        try:
            with transaction.atomic():
                parsed = read_within(self.parse_limit, key, lambda: read_picture(data, name=key))
                notice = stricter(parsed.notice, wire.notice)
                own_guid = parsed.guid if guid else ""
                parsed = dataclasses.replace(
                    parsed,
                    guid=guid or parsed.guid,
                    notice=notice,
                    title=parsed.title or wire.title,
                    caption=parsed.caption or wire.caption,
                    credit=parsed.credit or wire.credit,
                    creators=parsed.creators or wire.creators,
                    web_statement=parsed.web_statement or wire.web_statement,
                    usage_terms=notice.usage_terms,
                    original="\n".join(filter(None, [parsed.original, wire.original])),
                )
                terms = CopyTerms(
                    notice=notice, expire_at=wire.rights_expire_at, start_at=wire.rights_start
                )
                fields = stores.store_for("picture")(
                    parsed, data, name=name, source=source, licence=self._licence(source),
                    by=self.by, publish=self.publish, dry_run=self.dry_run, own_guid=own_guid,
                    terms=terms,
                )  # fmt: skip
            self._linked.add(key)
            return ItemReport(**fields)
        except ParseError as exc:
            error = f"{label}: {exc}"
        except ValidationError as exc:
            fields = "; ".join(f"field {k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            error = f"{label}: {fields}"
        except (ValueError, LookupError, IntegrityError, DatabaseError) as exc:
            error = f"{label}: {exc}"
        return ItemReport(path=name, status="error", type="picture", guid=guid, error=error)
