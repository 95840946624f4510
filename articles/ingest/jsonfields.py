"""What the JSON wire formats (ninjs and its agency dialects, AP Media API) share: reading a JSON
object field by field with its types checked, and turning the HTML bodies they carry into ours.

JSON from agencies holds values of any type in any field; each read here checks the type and
names the item and field when it is wrong, so that no parser meets a KeyError or TypeError.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from articles.ingest.parsed import ParseError
from articles.ingest.text import Times


def kind(value: Any) -> str:
    """Name a JSON value's type as an error message says it: "a string", "a list", ..."""
    if isinstance(value, bool):
        return "true/false"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def load_json(source: str, *, name: str) -> Any:
    """Decode a JSON file, or raise ParseError saying where it is broken."""
    try:
        return json.loads(source)
    except json.JSONDecodeError as error:
        raise ParseError(
            f"not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}", item=name
        ) from None
    except RecursionError:
        raise ParseError("JSON nested too deeply to be a news item", item=name) from None


class Fields:
    """One JSON object, read field by field under any of its spellings, with typed errors.

    `label` names the item in errors (its guid, or its place in the file); `prefix` the path of
    this object inside the item ("renditions.nitf"), so nested errors name the whole field.
    """

    def __init__(self, data: dict, *, label: str, prefix: str = ""):
        self.data = data
        self.label = label
        self.prefix = prefix

    def field(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def present(self, *names: str) -> str:
        """The first of `names` with a value (not null), else the first name."""
        return next((n for n in names if self.data.get(n) is not None), names[0])

    def get(self, *names: str, kind_of: type | tuple[type, ...] = str) -> Any:
        """Return the first of `names` present, checking its type; None when none is present."""
        for name in names:
            value = self.data.get(name)
            if value is None:
                continue
            if not isinstance(value, kind_of) or isinstance(value, bool):
                raise ParseError(
                    f"expected {_expected(kind_of)}, got {kind(value)}",
                    item=self.label,
                    field=self.field(name),
                )
            return value
        return None

    def text(self, *names: str) -> str:
        return (self.get(*names) or "").strip()

    def child(self, *names: str) -> Fields | None:
        """The object under the first of `names`, read the same way; None when absent."""
        value = self.get(*names, kind_of=dict)
        if value is None:
            return None
        return Fields(value, label=self.label, prefix=self.field(self.present(*names)))

    def objects(self, *names: str) -> list[Fields]:
        """The objects of a list field (a lone object is read as a list of one)."""
        name = self.present(*names)
        values = self.get(*names, kind_of=(list, dict)) or []
        if isinstance(values, dict):
            return [Fields(values, label=self.label, prefix=self.field(name))]
        for position, value in enumerate(values):
            if not isinstance(value, dict):
                raise ParseError(
                    f"expected a list of objects, item {position + 1} is {kind(value)}",
                    item=self.label,
                    field=self.field(name),
                )
        return [
            Fields(v, label=self.label, prefix=self.field(f"{name}[{p}]"))
            for p, v in enumerate(values)
        ]

    def strings(self, *names: str) -> list[str]:
        """The strings of a field that holds a string or a list of strings."""
        name = self.present(*names)
        values = self.get(*names, kind_of=(list, str))
        if values is None:
            return []
        if isinstance(values, str):
            return [values.strip()] if values.strip() else []
        for position, value in enumerate(values):
            if not isinstance(value, str):
                raise ParseError(
                    f"expected a list of strings, item {position + 1} is {kind(value)}",
                    item=self.label,
                    field=self.field(name),
                )
        return [v.strip() for v in values if v.strip()]

    def version(self, *names: str) -> int | None:
        """A wire version number, given as a number or a string of digits."""
        value = self.get(*names, kind_of=(str, int))
        if value is None:
            return None
        if not str(value).strip().isdigit():
            raise ParseError(
                f"expected a whole number, got {value!r}",
                item=self.label,
                field=self.field(self.present(*names)),
            )
        return int(str(value).strip())

    def time(self, times: Times, *names: str) -> datetime.datetime | None:
        value = self.text(*names)
        if not value:
            return None
        return times.read(value, field=self.field(self.present(*names)))


def _expected(kind_of: type | tuple[type, ...]) -> str:
    kinds = kind_of if isinstance(kind_of, tuple) else (kind_of,)
    words = {str: "a string", list: "a list", dict: "an object", int: "a number"}
    return " or ".join(words.get(k, k.__name__) for k in kinds)


def names_of(entries: list[Fields], *keys: str) -> list[str]:
    """The names of a list of coded objects ({"code": ..., "name": ...}), in order."""
    found = []
    for entry in entries:
        value = entry.text(*keys)
        if value:
            found.append(value)
    return found


def rights_statement(**fields: str) -> str:
    """The rights fields of a JSON wire item that have a value, as JSON: the statement as
    received, kept with the picture it speaks of; "" when none has."""
    given = {key: value for key, value in fields.items() if value}
    return json.dumps(given, ensure_ascii=False) if given else ""
