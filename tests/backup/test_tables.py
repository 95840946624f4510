"""A backup holds every table of every installed model but a few left out for a stated reason, so
a model added later is kept without anyone remembering to; each table comes after those it
points at, and rows point at what migrate makes by name, not id."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from newsroom.backup.tables import LEFT_OUT, MADE_BY_MIGRATIONS, named_by_key, tables


def test_every_table_is_kept_or_left_out_for_a_reason():
    every = {
        model._meta.label_lower
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy  # a proxy's rows are its concrete model's
    }
    kept = {table.label for table in tables()}
    assert kept | set(LEFT_OUT) == every
    assert not kept & set(LEFT_OUT)
    assert all(reason for reason in LEFT_OUT.values())
    assert {
        "articles.auditentry",
        "articles.historicalarticle",
        "articles.historicallicence",
        "auth.user",
        "auth.user_groups",
        "newsletter.delivery",
    } <= kept
    assert set(MADE_BY_MIGRATIONS) <= kept


def test_each_table_comes_after_the_tables_it_points_at_and_names_what_migrate_makes():
    order = [table.model for table in tables()]
    for position, model in enumerate(order):
        for field in model._meta.local_concrete_fields:
            if not field.is_relation or field.related_model is model:
                continue
            if named_by_key(field):
                assert field.related_model in (ContentType, Permission)
            else:
                assert field.related_model in order[:position], f"{model} before {field}"
