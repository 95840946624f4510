"""The writes that change what a public page, feed, sitemap or API may show: each moves the
rights generation on in its own transaction, and names what the CDN must drop once it commits.

Every save and delete of an article, a source, a licence, a section, a person, a byline, a
front-page pin or a picture comes through here, from the model signals (connected in
`ArticlesConfig.ready()`): the desk, the actions, a licence's re-derivation (its items are saved
one by one), ingest, the shell. Bulk updates and creates, which send no signal, bump in
`querysets.PublicQuerySet`; a bulk delete sends the signals row by row.

Inside a transaction the bump comes before the row is written, so that every writer locks the
generation's row before any other (two writers never wait for each other's locks in turn), and
it commits with the change. A write in autocommit (a script outside any transaction) has
committed by itself when the signal after it comes; it bumps then, one statement later.
"""

from __future__ import annotations

from django.db import connections
from django.db.models.signals import post_save, pre_delete, pre_save

from articles import cdn, generation
from articles.models import Article, Byline, Licence, Person, Section, Source
from articles.pins import FrontPin
from pictures.models import Picture

SHOWN = (Article, Source, Licence, Section, Person, Byline, FrontPin, Picture)


def purge_keys(instance, *, adding: bool) -> list[str]:
    """The surrogate keys of the pages a write to `instance` may change.

    A new article, source, section or person is on no cached page yet; a new byline, pin or
    licence changes pages that are.
    """
    name = instance._meta.model_name
    if name == "byline":
        return [f"article-{instance.article_id}"]
    if name == "frontpin":
        return ["front"]
    if name == "licence":  # its items, and the source's every page, by the source's key
        return [f"source-{instance.source_id}"]
    if adding:
        return []
    return [f"{name}-{instance.pk}"]


def _written(instance, *, using: str, adding: bool) -> None:
    generation.bump(using=using)
    keys = purge_keys(instance, adding=adding)
    if keys:
        cdn.purge_on_commit(keys, using=using)


def before_save(sender, instance, raw=False, using=None, **kwargs) -> None:
    if connections[using].in_atomic_block:
        _written(instance, using=using, adding=instance._state.adding)


def after_save(sender, instance, created=False, raw=False, using=None, **kwargs) -> None:
    if not connections[using].in_atomic_block:
        _written(instance, using=using, adding=created)


def before_delete(sender, instance, using=None, **kwargs) -> None:
    # Deletion always runs in a transaction (Django's collector opens one).
    _written(instance, using=using, adding=False)


def connect() -> None:
    for model in SHOWN:
        uid = f"public_writes.{model._meta.label_lower}"
        pre_save.connect(before_save, sender=model, dispatch_uid=f"{uid}.pre_save")
        post_save.connect(after_save, sender=model, dispatch_uid=f"{uid}.post_save")
        pre_delete.connect(before_delete, sender=model, dispatch_uid=f"{uid}.pre_delete")
