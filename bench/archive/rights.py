"""Rights as the application stores them: the notice read by `parse_notice()`, the copy's
terms, and every rights field from `derive_rights()`, cached for the items that share them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

from bench.archive.reference import Reference


class Judged(SimpleNamespace):
    """An item as the policy reads it (`rights.Article`): attributes, and `grants()`."""

    def grants(self, right) -> bool:
        return getattr(self, right.field)

    @property
    def terms(self):
        """What the copy said of its rights, as `ItemRights.terms` reads its stored terms."""
        from articles.notices import CopyTerms

        stored = getattr(self, "copy_terms", None)
        return CopyTerms.from_json(stored) if stored else CopyTerms()


class Rights:
    """The rights fields of items, by their source and what their copy says."""

    def __init__(self, reference: Reference, now: datetime.datetime):
        self.sources = reference.sources
        self.licences = reference.licences
        self.now = now
        self._derived: dict[tuple, tuple] = {}
        self._notices: dict[str, Any] = {}

    def notice(self, text: str):
        from articles.notices import parse_notice

        if text not in self._notices:
            self._notices[text] = parse_notice(text)
        return self._notices[text]

    def derive(
        self,
        source_slug: str,
        notice_text: str,
        *,
        expire_at: datetime.datetime | None,
        start_at: datetime.datetime | None,
        territories: frozenset[str],
    ) -> tuple[dict[str, Any], Any]:
        """The item's rights fields and copy terms, from the project's own derivation.

        Ingest reads the notice (`parse_notice`), stores what the copy said (`CopyTerms`) and
        derives the rights from it, the source and the licence in force (`derive_rights`,
        through `Article.apply_rights`). Copy with no notice (staff copy typed in at the desk)
        keeps empty terms, as `Article.save()` leaves them.
        """
        from articles.models import Article
        from articles.notices import CopyTerms
        from articles.rights import derive_rights

        key = (source_slug, notice_text, expire_at, start_at, territories)
        if key in self._derived:
            return self._derived[key]
        source = self.sources[source_slug]
        notice = self.notice(notice_text) if notice_text else None
        if notice is None:
            terms = CopyTerms(expire_at=expire_at, territories=territories, start_at=start_at)
        else:
            terms = CopyTerms(notice, expire_at, territories, start_at)
        derived = derive_rights(
            source=source, terms=terms, licence=self.licences[source_slug], at=self.now
        )
        holder = Judged()
        Article.apply_rights(holder, derived)
        fields = vars(holder)
        fields["licence_id"] = fields.pop("licence").pk if derived.licence else None
        fields["copy_terms"] = terms.as_json() if notice is not None or terms != CopyTerms() else {}
        if notice is not None:
            fields.update(
                copyright_holder=notice.holder[:200],
                copyright_year=notice.year,
                copyright_notice=notice.text,
                usage_terms=notice.usage_terms or notice.unrecognised,
                no_archive=notice.no_archive,
            )
        else:
            fields.update(
                copyright_holder="",
                copyright_year=None,
                copyright_notice="",
                usage_terms="",
                no_archive=False,
            )
        result = (fields, source)
        if not (expire_at or start_at):
            self._derived[key] = result  # items with a window of their own are one of a kind
        return result
