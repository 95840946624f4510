"""Querysets: the database face of the rights policy, the audit log's refusal to change, and the
bulk writes of what public pages show, each moving the rights generation on."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Self

from django.db import models, transaction
from django.db.models import OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import cdn, generation
from articles.actions.edit import record_working_headline, rewrite_guarded
from articles.errors import RewriteRefused
from articles.rights import clearance, clearance_q, permitting_q, protected_text_q
from articles.surrogates import SITE
from articles.vocabulary import GONE_STATUSES, TEXT_FIELDS, Channel, Right, Status, rights_for

EARLIEST = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
# How many refused items a bulk refusal names one by one; it counts the rest.
NAMED_IN_REFUSAL = 5
# Fields a bulk update may change without changing anything a reader sees: nothing to purge.
BOOKKEEPING_FIELDS = {"version", "updated_at", "ingested_version"}
# A bulk update purges its rows' keys one by one up to this many; beyond, the whole site.
PURGE_NAMED = 500
# What no list, feed or sitemap shows of an item: its body, the copy as received, and the desk's
# records of its rights. A list defers them, so its rows stay small whatever the stories' length.
NOT_LISTED = (
    "body",
    "wire_original",
    "copy_terms",
    "rights_explanation",
    "rights_basis",
    "copyright_notice",
    "usage_terms",
    "editor_note",
    "search_document",
)


def bylines_prefetch(model: type[models.Model]) -> Prefetch:
    """The bylines of items of `model` with their people, in one query for any number of items."""
    bylines = model._meta.get_field("bylines")
    # In each item's own order, by the byline table's columns (its unique index): the model's
    # ordering names the item, which would join the items again only to sort by their time.
    by_order = bylines.related_model.objects.select_related("person").order_by(
        bylines.field.attname, "order"
    )
    return Prefetch("bylines", queryset=by_order)


class PublicQuerySet(models.QuerySet):
    """Rows that public pages show (articles, their sources, licences, sections, people,
    bylines, pins). Their bulk writes skip the model signals `articles.public_writes` listens
    to, so each moves the rights generation on here, in the write's own transaction, before the
    write (the generation's row is locked first, as on every path, so no two writers wait for
    each other's locks in turn). Deletes send the signals one row at a time, and are theirs.
    """

    def update(self, **kwargs) -> int:
        with transaction.atomic(using=self.db, savepoint=False):
            generation.bump(using=self.db)
            if set(kwargs) - BOOKKEEPING_FIELDS and cdn.configured():
                self._purge_rows()
            return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            generation.bump(using=self.db)
            if kwargs.get("update_conflicts"):
                cdn.purge_on_commit([SITE], using=self.db)
            return super().bulk_create(objs, *args, **kwargs)

    def _purge_rows(self) -> None:
        """Purge the rows' own keys when the CDN has pages of them (articles), else the site."""
        name = self.model._meta.model_name
        if name != "article" or self.query.is_sliced or self.query.combinator:
            cdn.purge_on_commit([SITE], using=self.db)
            return
        ids = list(self.order_by().values_list("pk", flat=True)[: PURGE_NAMED + 1])
        keys = [SITE] if len(ids) > PURGE_NAMED else [f"article-{pk}" for pk in ids]
        cdn.purge_on_commit(keys, using=self.db)


class ItemQuerySet(PublicQuerySet):
    """Items with rights (articles, pictures): what the policy's filter twin lets through."""

    # What `permitting` reads with each item, in the same query: what its rights filter reads.
    permitting_related: tuple[str, ...] = ("source",)

    def permitting(
        self, *rights: Right, at: datetime.datetime | None = None, country: str | None = None
    ) -> Self:
        """Items that channels needing every one of `rights` may show now, to a reader in `country`.

        The time is read on each call, so an embargo lifts and an expiry bites on the second.
        """
        permitted = self.filter(permitting_q(*rights, at=at, country=country))
        return permitted.select_related(*self.permitting_related)

    def for_channel(
        self,
        channel: Channel,
        *,
        at: datetime.datetime | None = None,
        country: str | None = None,
    ) -> Self:
        """Items `channel` may show now to a reader in `country`: `permitting` with the rights the
        vocabulary's table says the channel needs."""
        return self.permitting(*rights_for(channel), at=at, country=country)

    def in_play(self) -> Self:
        """Everything but killed items, which are gone for good."""
        return self.exclude(status=Status.KILLED)


class ArticleQuerySet(ItemQuerySet):
    permitting_related = ("source", "section")

    def still_going(self) -> ArticleQuerySet:
        """Items the clock may still change: neither withdrawn nor killed."""
        return self.exclude(status__in=GONE_STATUSES)

    def blocked(self, *rights: Right, at: datetime.datetime | None = None) -> ArticleQuerySet:
        """Items in play whose own rights refuse one of `rights` now (`rights.clearance`)."""
        return self.in_play().exclude(clearance_q(*rights, at=at))

    def cleared(self, *rights: Right, at: datetime.datetime | None = None) -> ArticleQuerySet:
        """Items in play whose own rights allow every one of `rights` now (`blocked`'s twin)."""
        return self.in_play().filter(clearance_q(*rights, at=at))

    def needing_rights_review(self) -> ArticleQuerySet:
        return self.in_play().filter(rights_settled=False)

    def protected_text(self) -> ArticleQuerySet:
        """Items whose text no other story may reuse (see `rights.text_protected`)."""
        return self.filter(protected_text_q())

    def with_bylines(self) -> ArticleQuerySet:
        return self.prefetch_related(bylines_prefetch(self.model))

    def newest_id(
        self, *, among: int | None = None, at: datetime.datetime | None = None, **match
    ) -> Subquery:
        """The id of the newest item here matching `match` (an `OuterRef` in it, say): a
        subquery that walks the lists' order index and stops at the first item that passes,
        where an EXISTS would let the planner read every match first. With `among`, only the
        newest `among` items matching published by `at` (now by default) are looked at, whether
        or not they pass, so that a scope none of whose items pass costs no more than that."""
        order = ("-published_at", "-id")
        found = self.filter(**match)
        if among is not None:
            # The among-th newest one's time, as a bound on the walk's index range.
            inner = {k: OuterRef(v) if isinstance(v, OuterRef) else v for k, v in match.items()}
            until = at or timezone.now()
            dated = self.model._base_manager.filter(**inner, published_at__lte=until)
            nth = dated.order_by(*order)
            since = Subquery(nth.values("published_at")[among - 1 : among])
            found = found.filter(published_at__gte=Coalesce(since, Value(EARLIEST)))
        return Subquery(found.order_by(*order).values("pk")[:1])

    def listed(self, *keeping: str) -> ArticleQuerySet:
        """Only what a list shows: `NOT_LISTED` deferred, but for the fields in `keeping`."""
        return self.defer(*(name for name in NOT_LISTED if name not in keeping))

    # --- the rewrite guard on the bulk paths, which skip `Article.save()` -------------------------

    def update(self, **kwargs) -> int:
        """Update every row, refusing text changes to any item its rights forbid us to rewrite.

        `bulk_update()` comes through here too. An update that touches no text field stays one
        UPDATE (beside the rights generation's); one that does costs a query more, to find items
        the rewrite guard protects.
        """
        text = _text_fields(kwargs)
        claims = kwargs.get("headline_is_working", False) is not False
        ours = {}
        if (text or claims) and not (self.query.is_sliced or self.query.combinator):
            # (else Django refuses the update itself)
            self._refuse_rewrite(text, path="A bulk update", claims=claims)
            ours = self._working_headlines() if "headline" in text else {}
        updated = super().update(**kwargs)
        self._record_working_headlines(ours)
        return updated

    def bulk_create(
        self,
        objs,
        batch_size=None,
        ignore_conflicts=False,
        update_conflicts=False,
        update_fields=None,
        unique_fields=None,
    ):
        """Insert `objs`; an upsert that would overwrite protected text is refused first."""
        objs = list(objs)
        fields = set(update_fields or ()) if update_conflicts else set()
        text = _text_fields(fields)
        claims = "headline_is_working" in fields
        ours = {}
        if (text or claims) and objs:
            conflicts = self._conflicting(objs, unique_fields)
            if conflicts is not None:
                conflicts._refuse_rewrite(
                    text, path="A bulk create that updates on conflict", claims=claims
                )
                ours = conflicts._working_headlines() if "headline" in text else {}
        created = super().bulk_create(
            objs,
            batch_size=batch_size,
            ignore_conflicts=ignore_conflicts,
            update_conflicts=update_conflicts,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )
        self._record_working_headlines(ours)
        return created

    def _refuse_rewrite(self, fields: list[str], *, path: str, claims: bool = False) -> None:
        """Raise `RewriteRefused` if any row here may not be rewritten now (`rights.clearance`).

        Any new value counts, the same text and an expression included: the rows are not read
        one by one to compare, so a protected item's text is refused on these paths outright.
        A working headline is ours (`actions.rewrite_guarded`), so a change to the headline alone
        passes for rows whose headline is a working one; `claims`, setting the flag that makes a
        headline ours, is refused for rows whose headline is the wire's.
        """
        at = timezone.now()
        blocked = self.exclude(clearance_q(Right.REWRITE, at=at))
        if not rewrite_guarded(fields, working=True):
            blocked = blocked.exclude(headline_is_working=True)
        blocked = sorted(blocked.order_by().values_list("pk", flat=True))
        if not blocked:
            return
        if claims:
            fields = [*fields, "headline_is_working"]
        named = (
            self.model._base_manager.using(self.db)
            .select_related("source")
            .filter(pk__in=blocked[:NAMED_IN_REFUSAL])
            .order_by("pk")
        )
        items = [
            f"{_label(article)}: {clearance(article, Right.REWRITE, at=at).explanation}"
            for article in named
        ]
        if len(blocked) > NAMED_IN_REFUSAL:
            items.append(f"and {len(blocked) - NAMED_IN_REFUSAL} more")
        count = "1 item" if len(blocked) == 1 else f"{len(blocked)} items"
        raise RewriteRefused(
            f"{path} may not change the {', '.join(fields)} of an item whose rights do not allow "
            f"rewriting, whatever the new value (the same text or an expression included); "
            f"nothing was changed. Refused for {count}: {'; '.join(items)}. Leave them out of "
            "the update, or have a rights manager grant rewriting first."
        )

    def _working_headlines(self) -> dict[int, str]:
        """The working headlines here of items we may not rewrite, by id, before a change."""
        rows = self.exclude(clearance_q(Right.REWRITE)).filter(headline_is_working=True)
        return dict(rows.order_by().values_list("pk", "headline"))

    def _record_working_headlines(self, before: dict[int, str]) -> None:
        """Record each working headline among `before` that the bulk change changed."""
        if not before:
            return
        manager = self.model._base_manager.using(self.db)
        for article in manager.select_related("source").filter(pk__in=before).order_by("pk"):
            if article.headline != before[article.pk]:
                record_working_headline(article, before=before[article.pk])

    def _conflicting(self, objs: list, unique_fields) -> ArticleQuerySet | None:
        """Stored rows an upsert of `objs` would overwrite: matched on `unique_fields`, or on any
        unique field where the database takes none."""
        opts = self.model._meta
        if unique_fields:
            keys = [opts.pk if name == "pk" else opts.get_field(name) for name in unique_fields]
            match = [Q(**{key.attname: getattr(obj, key.attname) for key in keys}) for obj in objs]
        else:
            keys = [field for field in opts.concrete_fields if field.unique]
            match = [
                Q(**{key.attname: getattr(obj, key.attname)})
                for obj in objs
                for key in keys
                if getattr(obj, key.attname) is not None
            ]
        if not match:
            return None
        any_of = Q()
        for q in match:
            any_of |= q
        return self.filter(any_of)


def _text_fields(fields: Iterable[str]) -> list[str]:
    """The guarded text fields among `fields`, in the model's order."""
    fields = set(fields)
    return [name for name in TEXT_FIELDS if name in fields]


def _label(article) -> str:
    return f"“{article.headline}” (id {article.pk})" if article.headline else f"id {article.pk}"


class ShownOnPages(models.Model):
    """What public pages show besides articles: every bulk write through its manager moves the
    rights generation on (`PublicQuerySet`); saves and deletes do in `articles.public_writes`."""

    objects = PublicQuerySet.as_manager()

    class Meta:
        abstract = True
