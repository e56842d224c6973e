"""Reading many records of one class at once: the fast path of the JSON reader (private).

The converter reads a record field by field, and attrs then runs each field's converter
and validator: a few microseconds of Python per field, tens of seconds for a district of
a million residents. Here a list of JSON objects is read *column-wise*: each field's
values are taken from every object at once and checked with the same rules in bulk
(types, IDs, finite non-negative numbers, enum values, nested records …), mostly by
C-level loops (``map``, ``set``, ``min``). Records are then built without running the
attrs validators again, since an equivalent check has just passed.

The fast path only ever *accepts*: a chunk of objects in which any value fails a bulk
check (or whose class has a field the bulk rules do not know) is read again object by
object by the converter, which names every problem exactly as before. So a document is
accepted by the fast path only if the converter would accept it, with equal values; and
errors and their paths are the converter's own.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import operator
import types
import typing
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from itertools import chain, compress, islice, repeat
from typing import Any, cast

import attrs

from .. import _validators as v
from .. import model as m

__all__ = ["structure_many"]

#: Objects read together; a chunk with a problem is read again one by one.
CHUNK = 4096

_MISSING: Any = object()
_not_none = functools.partial(operator.is_not, None)

#: A column reader: the JSON values of one field (none missing) -> the field's values,
#: or ``None`` when any value would not pass the converter.
_Read = Callable[[list[Any]], list[Any] | None]
#: A bulk validator: (the field's values, every column by name) -> all pass.
_Check = Callable[[list[Any], dict[str, list[Any]]], bool]


class _Refused(Exception):
    """A value the bulk rules do not accept (the chunk is read one by one)."""


def structure_many(entries: Sequence[Any], cls: type[Any], one: Callable[[int], Any]) -> list[Any]:
    """Each of ``entries`` read as a ``cls``.

    Parameters
    ----------
    entries
        The JSON values of a section (objects, when the document is right).
    cls
        The record class.
    one
        Reads the entry at an index the careful way (the converter), noting its
        problems; used for every chunk the bulk rules do not accept.

    Returns
    -------
    list
        One record (or what ``one`` returned) per entry, in order.
    """
    plan = _plan(cast(Hashable, cls))
    if plan is None:
        return [one(i) for i in range(len(entries))]
    out: list[Any] = []
    for start in range(0, len(entries), CHUNK):
        chunk = list(entries[start : start + CHUNK])
        try:
            records = plan.read(chunk)
        except Exception:  # noqa: BLE001 - anything unexpected: the careful way decides
            records = [one(i) for i in range(start, start + len(chunk))]
        out.extend(records)
    return out


# --------------------------------------------------------------------------- checks


def _types(values: list[Any]) -> set[type]:
    return set(map(type, values))


def _ids_ok(values: list[Any]) -> bool:
    """What :func:`vchuang._validators.entity_id` accepts, for every value."""
    if not _types(values) <= {str} or "" in values:
        return False
    return values == list(map(str.strip, values)) and v.all_text_valid(values)


def _several(values: list[Any]) -> list[Any]:
    """The values (tuples) that hold more than one item."""
    return list(compress(values, map(operator.gt, map(len, values), repeat(1))))


def _present(values: list[Any]) -> list[Any]:
    return list(filter(_not_none, values))


def _at_least(low: float, *, strict: bool = False) -> Callable[[list[Any]], bool]:
    def ok(values: list[Any]) -> bool:
        values = _present(values)
        if not values:
            return True
        if not all(map(math.isfinite, values)):
            return False
        smallest = min(values)
        return bool(smallest > low if strict else smallest >= low)

    return ok


def _whole_at_least(low: int) -> Callable[[list[Any]], bool]:
    def ok(values: list[Any]) -> bool:
        values = _present(values)
        return not values or (_types(values) <= {int} and min(values) >= low)

    return ok


def _birth_years(values: list[Any], _cols: dict[str, list[Any]]) -> bool:
    values = _present(values)
    return not values or (_types(values) <= {int} and min(values) >= 1880 and max(values) <= 2100)


def _each_once(values: list[Any], _cols: dict[str, list[Any]]) -> bool:
    values = _several(values)
    return list(map(len, map(set, values))) == list(map(len, values))


def _unique_by(name: str) -> _Check:
    get = operator.attrgetter(name)

    def ok(values: list[Any], _cols: dict[str, list[Any]]) -> bool:
        return all(len(set(map(get, t))) == len(t) for t in _several(values))

    return ok


def _not_self(values: list[Any], cols: dict[str, list[Any]]) -> bool:
    return _ids_ok(values) and not any(map(operator.eq, values, cols["source"]))


def _explicit(values: list[Any], _cols: dict[str, list[Any]]) -> bool:
    return not any(r.derived for r in set(values))


def _need_target(_values: list[Any], cols: dict[str, list[Any]]) -> bool:
    return all(
        (skill is None) != (resource is None) and (skill is None or hours > 0)
        for skill, resource, hours in zip(
            cols["skill"], cols["resource"], cols["hours"], strict=True
        )
    )


def _attendance(values: list[Any], cols: dict[str, list[Any]]) -> bool:
    return _at_least(0)(values) and all(
        n is None or n >= len(named) for n, named in zip(values, cols["attendees"], strict=True)
    )


def _on_values(ok: Callable[[list[Any]], bool]) -> _Check:
    return lambda values, _cols: ok(values)


#: attrs validator -> its bulk equivalent (a class with any other validator is read the
#: careful way).
_CHECKS: dict[Any, _Check] = {
    v.entity_id: _on_values(_ids_ok),
    v.optional_id: _on_values(lambda values: _ids_ok(_present(values))),
    v.ids: lambda values, cols: (
        _ids_ok(list(chain.from_iterable(values))) and _each_once(values, cols)
    ),
    v.name: _on_values(
        lambda values: (
            _types(values) <= {str} and all(map(str.strip, values)) and v.all_text_valid(values)
        )
    ),
    v.text: _on_values(lambda values: _types(values) <= {str} and v.all_text_valid(values)),
    v.non_negative: _on_values(_at_least(0)),
    v.positive: _on_values(_at_least(0, strict=True)),
    v.count_at_least_one: _on_values(_whole_at_least(1)),
    v.fen: _on_values(_whole_at_least(0)),
    m._birth_year: _birth_years,
    m._unique: _each_once,
    m._unique_skills: _unique_by("skill"),
    m._unique_needs: _unique_by("id"),
    m._explicit: _explicit,
    m._not_self: _not_self,
    m._need_target: _need_target,
    m._attendance: _attendance,
}

#: attrs converters that give back what they are given, once the converter has read the
#: value (a tuple of IDs, an enum member …).
_SAME = {
    v.to_ids,
    m._skills,
    m._roles,
    m._needs,
    m._synonyms,
    m._level,
    m._min_level,
    m._stage,
    m._activity_kind,
    m._org_kind,
    m._resource_kind,
    m._need_resource,
    m._age_band,
    m._relation,
}


#: Defaults that records may share (immutable).
_SHARED = (str, int, float, tuple, frozenset, enum.Enum, dt.date, type(None))

# --------------------------------------------------------------------------- readers


def _exact(*accepted: type) -> _Read:
    allowed = set(accepted)

    def read(values: list[Any]) -> list[Any] | None:
        return values if _types(values) <= allowed else None

    return read


def _read_float(values: list[Any]) -> list[Any] | None:
    kinds = _types(values)
    if kinds <= {float}:
        return values
    if not kinds <= {float, int}:
        return None
    return list(map(float, values))  # an int too large for a float raises: careful way


def _read_date(values: list[Any]) -> list[Any] | None:
    if not _types(values) <= {str}:
        return None
    return list(map(dt.date.fromisoformat, values))  # ValueError: careful way


def _read_optional(inner: _Read) -> _Read:
    def read(values: list[Any]) -> list[Any] | None:
        if None not in values:
            return inner(values)
        found = inner(_present(values))
        if found is None:
            return None
        it = iter(found)
        return [None if x is None else next(it) for x in values]

    return read


def _read_enum(cls: type[enum.Enum]) -> _Read:
    table = {member.value: member for member in cls}
    kinds = {type(value) for value in table}

    def read(values: list[Any]) -> list[Any] | None:
        if not _types(values) <= kinds:
            return None
        found = list(map(table.get, values))
        return None if None in found else found

    return read


def _read_tuple(inner: _Read) -> _Read:
    def read(values: list[Any]) -> list[Any] | None:
        if not _types(values) <= {list}:
            return None
        found = inner(list(chain.from_iterable(values)))
        if found is None:
            return None
        sizes = list(map(len, values))
        if len(found) == len(values) and sizes.count(1) == len(sizes):  # one item each
            return [(x,) for x in found]
        it = iter(found)
        return [tuple(islice(it, n)) if n else () for n in sizes]

    return read


def _reader(type_: Any) -> _Read | None:
    """The column reader for a field of type ``type_`` (``None``: not known here)."""
    simple: dict[Any, _Read] = {
        str: _exact(str),
        int: _exact(int),
        bool: _exact(bool),
        float: _read_float,
        dt.date: _read_date,
    }
    if type_ in simple:
        return simple[type_]
    origin, args = typing.get_origin(type_), typing.get_args(type_)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        inner = _reader(next(a for a in args if a is not type(None)))
        return None if inner is None else _read_optional(inner)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        inner = _reader(args[0])
        return None if inner is None else _read_tuple(inner)
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return _read_enum(type_)
    if isinstance(type_, type) and attrs.has(type_):
        nested = _plan(type_)
        return None if nested is None else nested.read
    return None


@attrs.frozen
class _Field:
    name: str
    read: _Read
    default: Any  # _MISSING when required
    check: _Check | None
    slot: Any


@attrs.frozen
class _Plan:
    cls: type[Any]
    fields: tuple[_Field, ...]
    allowed: frozenset[str]

    def read(self, entries: list[Any]) -> list[Any]:
        """Every entry as a record; :class:`_Refused` when any would not pass."""
        n = len(entries)
        if not n:
            return []
        if not _types(entries) <= {dict}:
            raise _Refused
        keys = set().union(*entries)
        if not keys <= self.allowed:
            raise _Refused  # an unknown field
        cols: dict[str, list[Any]] = {}
        for f in self.fields:
            if f.name in keys:
                raw = list(map(dict.get, entries, repeat(f.name, n), repeat(_MISSING, n)))
                cols[f.name] = _column(f, raw)
            elif f.default is _MISSING:
                raise _Refused  # a required field left out everywhere
            else:
                cols[f.name] = [f.default] * n
        for f in self.fields:
            if f.check is not None and not f.check(cols[f.name], cols):
                raise _Refused
        return self.fill(n, cols)

    def fill(self, n: int, cols: dict[str, Any]) -> list[Any]:
        """``n`` records whose slots are set from ``cols`` (every field's column, each
        value already checked): no converter or validator runs."""
        records = list(map(object.__new__, repeat(self.cls, n)))
        for f in self.fields:
            deque(map(f.slot.__set__, records, cols[f.name]), maxlen=0)
        if self.cls is m.Link:  # what Link.__attrs_post_init__ does, column-wise
            _set_link_keys(records, cols)
        elif "__attrs_post_init__" in self.cls.__dict__:
            deque(map(self.cls.__attrs_post_init__, records), maxlen=0)
        return records


def _set_link_keys(links: list[Any], cols: dict[str, list[Any]]) -> None:
    """Set each link's ``_key`` as :func:`vchuang.model.link_key` gives it."""
    sources, relations, targets = cols["source"], cols["relation"], cols["target"]
    keys = list(zip(sources, relations, targets, strict=True))
    knows = m.Relation.KNOWS
    swapped = compress(range(len(keys)), map(operator.lt, targets, sources))
    for i in swapped:
        if relations[i] is knows:
            keys[i] = (targets[i], knows, sources[i])
    deque(map(m.Link.__dict__["_key"].__set__, links, keys), maxlen=0)


def _column(f: _Field, raw: list[Any]) -> list[Any]:
    """The values of ``f`` in each entry (its default where it is left out)."""
    if _MISSING not in raw:
        found = f.read(raw)
        if found is None:
            raise _Refused
        return found
    if f.default is _MISSING:
        raise _Refused  # a required field left out
    if raw.count(_MISSING) == len(raw):
        return [f.default] * len(raw)
    where = [i for i, x in enumerate(raw) if x is not _MISSING]
    values = [f.default] * len(raw)
    if where:
        found = f.read([raw[i] for i in where])
        if found is None:
            raise _Refused
        for i, x in zip(where, found, strict=True):
            values[i] = x
    return values


@functools.cache
def _plan(cls: Any) -> _Plan | None:
    """How to read ``cls`` in bulk, or ``None`` when some field is beyond the rules."""
    if not attrs.has(cls) or "__slots__" not in cls.__dict__:
        return None
    hints = typing.get_type_hints(cls)
    fields: list[_Field] = []
    for a in attrs.fields(cls):
        if not a.init:
            if "__attrs_post_init__" not in cls.__dict__:
                return None
            continue
        slot = cls.__dict__.get(a.name)
        read = _reader(hints[a.name])
        if (
            read is None
            or a.name.startswith("_")
            or not isinstance(slot, types.MemberDescriptorType)
            or (a.converter is not None and a.converter not in _SAME)
            or (a.validator is not None and a.validator not in _CHECKS)
            or isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
        ):
            return None
        default = _MISSING
        if a.default is not attrs.NOTHING:
            default = a.default if a.converter is None else a.converter(a.default)
            if not isinstance(default, _SHARED):
                return None  # each record would need its own copy
        check = None if a.validator is None else _CHECKS[a.validator]
        fields.append(_Field(a.name, read, default, check, slot))
    return _Plan(cls, tuple(fields), frozenset(f.name for f in fields))
