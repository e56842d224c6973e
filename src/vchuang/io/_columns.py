"""Many records of one class built from columns of values, checked in bulk.

A generator (such as :func:`vchuang.datasets.synthetic`) or an importer that makes its
records column by column (every resident's ID, then every resident's name …) can build
them here. Calling the record class once per row would run each field's attrs
converter and validator in Python, a few microseconds per field: tens of seconds for a
district of a million residents. :func:`records_from_columns` instead checks each column
at once with the JSON reader's bulk rules (the same rules as the
attrs validators, in C-level loops) and then fills the records' slots directly, as the
JSON and Parquet readers do.

The columns must already hold the values the converters would give (tuples, enum
members, floats); the checks see to it that every value is one the validators accept.
When the bulk rules do not cover the class, or a column fails a check, the records are
built one by one through the class itself, which gives the same records or names the
problem.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from itertools import repeat
from typing import Any, TypeVar, cast

from . import _bulk

__all__ = ["records_from_columns"]

T = TypeVar("T")


def records_from_columns(
    record_type: type[T], n: int, columns: dict[str, Sequence[Any]]
) -> list[T]:
    """``n`` records of ``record_type``, the ``i``-th from the ``i``-th value of each column.

    Parameters
    ----------
    record_type
        An attrs record class of :mod:`vchuang.model`.
    n
        How many records (every column holds ``n`` values).
    columns
        Field name -> values, already converted; fields left out take their default.

    Returns
    -------
    list
        The records, equal to ``[record_type(**row) for row in rows]``.

    Raises
    ------
    ValueError
        A column does not hold ``n`` values.
    vchuang.errors.ValidationError
        A value the record class refuses (raised by the class itself).

    Examples
    --------
    >>> from vchuang.model import Link, Relation
    >>> links = records_from_columns(
    ...     Link, 2, {"source": ["a", "c"], "relation": [Relation.KNOWS] * 2, "target": ["b", "b"]}
    ... )
    >>> links[1] == Link(source="c", relation=Relation.KNOWS, target="b")
    True
    >>> links[1].key
    ('b', <Relation.KNOWS: 'knows'>, 'c')
    """
    for name, values in columns.items():
        if len(values) != n:
            msg = f"column {name!r} holds {len(values)} values, not {n}"
            raise ValueError(msg)
    plan = _bulk._plan(cast(Hashable, record_type))
    if plan is None or not set(columns) <= plan.allowed:
        return _one_by_one(record_type, n, columns)
    cols: dict[str, list[Any]] = {}
    for f in plan.fields:
        given = columns.get(f.name)
        if given is None:
            if f.default is _bulk._MISSING:
                return _one_by_one(record_type, n, columns)  # the class names the missing field
            cols[f.name] = [f.default] * n
        else:
            cols[f.name] = given if isinstance(given, list) else list(given)
    try:
        passed = all(f.check is None or f.check(cols[f.name], cols) for f in plan.fields)
    except Exception:  # noqa: BLE001 - e.g. a value not yet converted: the class decides
        passed = False
    if not passed:
        return _one_by_one(record_type, n, columns)  # the class converts, or names the problem
    return cast("list[T]", plan.fill(n, cols))


def _one_by_one(cls: type[T], n: int, columns: dict[str, Sequence[Any]]) -> list[T]:
    """The records through the class itself (its converters and validators)."""
    names = list(columns)
    rows = zip(*columns.values(), strict=True) if names else repeat((), n)
    return [cls(**dict(zip(names, row, strict=True))) for row in rows]
