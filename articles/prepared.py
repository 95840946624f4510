"""Queries compiled once and run again with new values.

Turning a queryset into SQL costs a public page more than running it: the rights filter alone
is dozens of conditions, and a story's query selects three tables. `Prepared` builds the query
with stand-in values, compiles it once per database and shape (which values are None), and
afterwards only puts each call's values into the compiled parameters; rows still become models
through Django's own iterable, with `select_related` and `prefetch_related` as the queryset asks.

Preparing checks itself: the query is compiled with three sets of stand-ins, and it is kept only
if the same SQL comes back each time and every parameter that changed is one of the values,
as given, adapted as a datetime column adapts it, or inside a string (as `contains` puts it).
Anything else (a value turned into something else, a different SQL for different values) is
not prepared, and every call builds and compiles the queryset as usual. So is a call whose
string would need escaping where a stand-in did not. Settings changes drop what is kept.
"""

from __future__ import annotations

import copy
import datetime
import threading
import weakref
from collections.abc import Callable
from typing import Any

from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.utils import timezone

# Characters a LIKE pattern escapes: a value holding one may not be put where a stand-in was.
_PATTERN_CHARACTERS = frozenset("%_\\")
_STAND_INS = 3
_ALL: list[Prepared] = []


def _stand_in(kind: type, n: int, own: int) -> Any:
    """The `n`th stand-in for the `own`th value: no two values share one, so each parameter is
    traced to the one value it is made from."""
    if kind is datetime.datetime:
        # Every part differs between stand-ins, so that a parameter made from one part of the
        # moment (its day, its year) is seen to change and is not taken for a constant.
        return datetime.datetime(
            1901 + 17 * n,
            2 + 3 * n,
            3 + 5 * n,
            4 + 6 * n,
            5 + 7 * n,
            6 + 8 * n,
            100_001 + n,
            tzinfo=datetime.UTC,
        ) + datetime.timedelta(days=own)
    if kind is Code:
        return Code("Q" + chr(ord("A") + _STAND_INS * own + n))
    if kind is str:
        # Mixed case, a digit and spaces at both ends: a query that changes its value (upper,
        # lower, strip) is seen to, and is not prepared.
        return f" sQ{own}{'abc'[n]} "
    if kind is int:
        return 990_000_001 + 10 * own + n
    raise TypeError(
        f"a prepared query takes datetimes, strings, codes and integers, not {kind.__name__}"
    )


class Code(str):
    """The kind of a value that is always an upper-case two-letter code, as a country is once
    `normalise_country` has read it: a value of another form is run as the queryset."""

    @staticmethod
    def fits(value: str) -> bool:
        return len(value) == 2 and value.isascii() and value.isalpha() and value.isupper()


class _Slot:
    """How one compiled parameter is made from the call's values."""

    __slots__ = ("name", "way", "around")

    def __init__(self, name: str, way: str, around: tuple[str, str] = ("", "")):
        self.name, self.way, self.around = name, way, around

    def make(self, value: Any, connection) -> Any:
        if self.way == "as given":
            return value
        if self.way == "datetime":
            return connection.ops.adapt_datetimefield_value(value)
        before, after = self.around
        return f"{before}{value}{after}"


def _slot_for(name: str, given: list[Any], found: list[Any], connection) -> _Slot | None:
    """The way every `found` parameter is made from the `given` value of `name`, if one is."""
    ways = [_Slot(name, "as given"), _Slot(name, "datetime")]
    first, seen = given[0], found[0]
    if isinstance(first, str) and isinstance(seen, str) and seen.count(first) == 1:
        before, _, after = seen.partition(first)
        ways.append(_Slot(name, "inside", (before, after)))
    for way in ways:
        try:
            if all(way.make(g, connection) == f for g, f in zip(given, found, strict=True)):
                return way
        except (TypeError, ValueError, AttributeError):
            continue
    return None


class _Compiled:
    __slots__ = ("compiler", "queryset", "sql", "params", "slots", "converters")

    def __init__(self, queryset: QuerySet, compiler, sql: str, params: list, slots: dict):
        self.queryset, self.compiler, self.sql = queryset, compiler, sql
        self.params, self.slots = params, slots
        # Each connection's converters of the selected columns, worked out on the first run:
        # the compiler asks the backend and every field again on each query (a tenth of a
        # story's query), and the answer depends only on the columns and the connection.
        self.converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def converters_of(self, compiler, connection) -> Callable:
        def get_converters(expressions) -> dict:
            kept = self.converters.get(connection)
            shape = tuple(map(id, expressions))
            if kept is None or kept[0] != shape:
                kept = self.converters[connection] = (shape, real(expressions))
            return kept[1]

        real = compiler.get_converters
        return get_converters


class Prepared:
    """`build(**values)` is a queryset of `model`; `run(**values)` its models, compiled once.

    `kinds` names each value's type (datetime, str, `Code` or int). A value may be None; its
    shape is prepared apart. `prepared_for(alias, **values)` says whether a call of that shape
    runs the kept SQL (tests ask it)."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet], **kinds: type):
        self.model, self.build, self.kinds = model, build, kinds
        self._kept: dict[tuple, _Compiled | None] = {}
        self._lock = threading.Lock()
        _ALL.append(self)

    def run(self, **values: Any) -> list[Model]:
        alias = router.db_for_read(self.model)  # as the queryset's own `db` would choose
        kept = self._compiled(alias, values)
        if kept is None or not self._fits(kept, values):
            return list(self.build(**values).using(alias))
        connection = connections[alias]
        params = list(kept.params)
        for spot, slot in kept.slots.items():
            params[spot] = slot.make(values[slot.name], connection)
        compiler = copy.copy(kept.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (kept.sql, tuple(params))
        compiler.get_converters = kept.converters_of(compiler, connection)
        query = copy.copy(kept.queryset.query)  # shallow: only its compiler is its own
        query.get_compiler = lambda *args, **kwargs: compiler
        return list(_replay(kept.queryset, query, alias))

    def prepared_for(self, alias: str, **values: Any) -> bool:
        return self._compiled(alias, values) is not None

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def _fits(self, kept: _Compiled, values: dict) -> bool:
        for slot in kept.slots.values():
            value = values[slot.name]
            if slot.way == "inside" and _PATTERN_CHARACTERS.intersection(value):
                return False
            if self.kinds[slot.name] is Code and not Code.fits(value):
                return False
            if self.kinds[slot.name] is datetime.datetime and timezone.is_naive(value):
                return False
        return True

    def _compiled(self, alias: str, values: dict) -> _Compiled | None:
        shape = (alias, *sorted((name, values[name] is None) for name in self.kinds))
        if shape not in self._kept:
            compiled = self._compile(alias, values)
            with self._lock:
                self._kept.setdefault(shape, compiled)
        return self._kept[shape]

    def _compile(self, alias: str, values: dict) -> _Compiled | None:
        connection = connections[alias]
        tries = []
        for n in range(_STAND_INS):
            given = {
                name: None if values[name] is None else _stand_in(kind, n, own)
                for own, (name, kind) in enumerate(self.kinds.items())
            }
            queryset = self.build(**given).using(alias)
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            tries.append((given, queryset, compiler, sql, list(params)))
        (given, queryset, compiler, sql, params), *others = tries
        if any(o[3] != sql or len(o[4]) != len(params) for o in others):
            return None
        slots = {}
        for spot in range(len(params)):
            found = [t[4][spot] for t in tries]
            if all(f == found[0] for f in found):
                continue
            named = [
                slot
                for name in self.kinds
                if values[name] is not None
                and (slot := _slot_for(name, [t[0][name] for t in tries], found, connection))
            ]
            if len(named) != 1:
                return None  # made from no value, or from more than one
            slots[spot] = named[0]
        return _Compiled(queryset, compiler, sql, params, slots)


def _replay(template: QuerySet, query, alias: str) -> QuerySet:
    """A queryset like `template` on `query`, as `QuerySet._clone` makes one, without cloning
    the query (which costs what preparing saves)."""
    replay = template.__class__(model=template.model, query=query, using=alias)
    replay._prefetch_related_lookups = template._prefetch_related_lookups[:]
    replay._known_related_objects = template._known_related_objects
    replay._iterable_class = template._iterable_class
    replay._fields = template._fields
    return replay


def _forget(**kwargs) -> None:
    for prepared in _ALL:
        prepared.clear()


setting_changed.connect(_forget)
