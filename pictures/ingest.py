"""Store a picture read by ingest: its file kept once by its content, its rights derived by the
same rule as an article's, its revision and an audit entry; the run's report in the same keys."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.audit import AuditEntry
from articles.ingest.picture import ParsedPicture
from articles.models import Licence, Source
from articles.notices import CopyTerms
from articles.vocabulary import LIVE_STATUSES, Right
from pictures.copies import store_hashes
from pictures.models import Picture


def store_picture(
    parsed: ParsedPicture,
    data: bytes,
    *,
    name: str,
    source: Source,
    licence: Licence | None,
    by=None,
    publish: bool = False,
    dry_run: bool = False,
    own_guid: str = "",
    terms: CopyTerms | None = None,
) -> dict:
    """Store `parsed` (created, updated or unchanged) and return its report's fields.

    A picture a wire item brings has the wire's guid (`parsed.guid`), the file's own guid as
    `own_guid` (a row stored from the file alone is taken over, not duplicated), and `terms`
    read from the file and the wire together. A file alone that is already stored, by a wire
    item, from the same source, is that picture, unchanged.

    Call it in a transaction: the row, its revision and its audit entry go in together.
    """
    rows = Picture.objects.select_for_update()
    existing = rows.filter(guid=parsed.guid).first()
    if existing is None and own_guid:
        existing = rows.filter(guid=own_guid, source=source).first()
    if existing is None and not own_guid:
        same = rows.filter(content_hash=parsed.digest, source=source).order_by("pk").first()
        if same is not None:
            return report(same, path=name, status="unchanged")
    if existing is not None and existing.source_id != source.pk:
        raise ValueError(
            f"field source: the guid is already held by picture {existing.pk} from "
            f"{existing.source.name}, and this file comes from {source.name}; nothing was changed"
        )
    if (
        existing is not None
        and existing.guid == parsed.guid
        and existing.content_hash == parsed.digest
        and existing.wire_original == parsed.original
    ):
        return report(existing, path=name, status="unchanged")
    picture = existing or Picture(guid=parsed.guid)
    picture.guid = parsed.guid
    notice = parsed.notice
    picture.source = source
    picture.title, picture.caption = parsed.title[:500], parsed.caption
    picture.credit_line, picture.creators = parsed.credit[:300], parsed.creators
    picture.web_statement = parsed.web_statement[:500]
    picture.data_mining, picture.licensor = parsed.data_mining[:200], parsed.licensor[:300]
    picture.width, picture.height, picture.format = parsed.width, parsed.height, parsed.format
    picture.content_hash, picture.wire_original = parsed.digest, parsed.original
    picture.copyright_holder, picture.copyright_year = notice.holder[:200], notice.year
    picture.copyright_notice = notice.text
    picture.usage_terms = notice.usage_terms or notice.unrecognised
    picture.no_archive = notice.no_archive
    picture.derive_rights(terms=terms or CopyTerms(notice=notice), licence=licence)
    stored = f"pictures/originals/{parsed.digest}.{parsed.format}"
    if not dry_run and not default_storage.exists(stored):
        stored = default_storage.save(stored, ContentFile(data))
    picture.image.name = stored
    if existing is not None:
        picture.version += 1
    if by is not None and getattr(by, "is_authenticated", False):
        picture._history_user = by
    picture.full_clean(exclude=["image", "web_statement"])
    picture.save()
    store_hashes(picture, data)
    status = "updated" if existing else "created"
    AuditEntry.record(
        AuditEntry.Action.INGEST,
        picture=picture,
        source=source,
        actor=by,
        reason=f"{status.capitalize()} from {Path(name).name} ({parsed.format} picture).",
        detail={"guid": picture.guid, "rights": picture.rights_basis},
    )
    result = report(picture, path=name, status=status)
    if publish and picture.status not in LIVE_STATUSES:
        decision = picture.publish(by=by)
        result["published"], result["refused"] = decision.allowed, list(decision.reasons)
    return result


def report(picture: Picture, *, path: str, status: str) -> dict:
    """A picture's `ingest --json` line: an article's keys, the creators as its bylines."""

    def iso(moment: datetime.datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "type": "picture",
        "path": path,
        "status": status,
        "id": picture.pk,
        "guid": picture.guid,
        "url": picture.get_absolute_url(),
        "headline": picture.title,
        "copyright_holder": picture.copyright_holder,
        "copyright_year": picture.copyright_year,
        "usage_terms": picture.usage_terms,
        "embargo_until": iso(picture.embargo_until),
        "rights_start_at": iso(picture.rights_start_at),
        "rights_expire_at": iso(picture.rights_expire_at),
        "territories": sorted(picture.territories),
        "excluded_territories": sorted(picture.excluded_territories),
        "rights": {right.value: picture.grants(right) for right in Right},
        "rights_settled": picture.rights_settled,
        "bylines": [{"name": name, "role": "photography"} for name in picture.creators],
        "published": picture.status in LIVE_STATUSES,
    }
