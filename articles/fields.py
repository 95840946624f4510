"""A set of ISO 3166-1 alpha-2 country codes, stored so one database filter tests membership."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

CODE = re.compile(r"^[A-Z]{2}$")


class Territories(frozenset):
    """A set of country codes that prints as the codes, "GB, IE", wherever a page shows it as it
    is (a read-only field, a history), rather than as a Python set."""

    def __str__(self) -> str:
        return ", ".join(sorted(self))


def normalise_territories(value) -> frozenset[str]:
    """Return a set of upper-case codes from a list, a set, or text such as "us, CA GB"."""
    if value is None:
        return Territories()
    if isinstance(value, str):
        value = re.split(r"[\s,;]+", value.strip(","))
    codes = frozenset(str(v).strip().upper() for v in value if str(v).strip().strip(","))
    bad = sorted(c for c in codes if not CODE.match(c))
    if bad:
        raise ValidationError(
            "Not ISO 3166-1 alpha-2 country codes: %(codes)s.", params={"codes": ", ".join(bad)}
        )
    return Territories(codes)


def territory_token(code: str) -> str:
    """The text that stands for one code inside the stored column."""
    return f",{code.upper()},"


class TerritoriesFormField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, (set, frozenset, list, tuple)):
            return ", ".join(sorted(value))
        return value

    def to_python(self, value):
        return normalise_territories(super().to_python(value))


class _TerritoriesDescriptor:
    """Normalise on assignment, so an instance always holds a frozenset of codes."""

    def __init__(self, field: TerritoriesField):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return instance.__dict__.get(self.field.attname, Territories())

    def __set__(self, instance, value):
        if isinstance(value, str) and value.startswith(","):
            value = value.strip(",")
        instance.__dict__[self.field.attname] = normalise_territories(value)


class TerritoriesField(models.CharField):
    """Stored as ",GB,IE," (empty for no limit), so `contains` on ",GB," tests membership."""

    description = "Country codes (ISO 3166-1 alpha-2)"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 800)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", frozenset)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        setattr(cls, self.attname, _TerritoriesDescriptor(self))

    def from_db_value(self, value, expression, connection):
        return frozenset(c for c in (value or "").split(",") if c)

    def to_python(self, value):
        if isinstance(value, frozenset):
            return value
        return normalise_territories(value)

    def get_prep_value(self, value):
        if isinstance(value, str) and (value == "" or value.startswith(",")):
            return value
        codes = normalise_territories(value)
        return "," + ",".join(sorted(codes)) + "," if codes else ""

    def value_to_string(self, obj):
        return ", ".join(sorted(self.value_from_object(obj)))

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", TerritoriesFormField)
        return super().formfield(**kwargs)
