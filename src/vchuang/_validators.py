"""Validators and converters shared by the records (private).

Validators raise :class:`~vchuang.errors.ValidationError` whose problem path is the
field's name, so a loader can prefix it with the record's JSON path.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from typing import Any, TypeVar, cast

import attrs

from .errors import Problem, ValidationError

T = TypeVar("T")
EnumT = TypeVar("EnumT", bound=enum.Enum)


def fail(attribute: attrs.Attribute[Any], message: str, hint: str = "") -> ValidationError:
    """Build the error for a bad value of ``attribute``."""
    return ValidationError([Problem(attribute.name, message, hint)])


def entity_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty string without surrounding whitespace."""
    if not isinstance(value, str):
        raise fail(attribute, f"must be a string ID, got {type(value).__name__}")
    if not value or value != value.strip():
        raise fail(
            attribute,
            f"must be a non-empty ID without surrounding spaces, got {value!r}",
            "use a short stable code such as 'r001' or 'pingnan'",
        )


def optional_id(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """``None`` or an ID."""
    if value is not None:
        entity_id(inst, attribute, value)


def ids(inst: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    """A tuple of IDs, each given once."""
    seen: set[str] = set()
    for item in value:
        entity_id(inst, attribute, item)
        if item in seen:
            raise fail(attribute, f"lists {item!r} twice", "give each ID once")
        seen.add(item)


def non_negative(_inst: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """``None`` or a finite number >= 0 (bools refused)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(attribute, f"must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise fail(attribute, f"must be a finite number >= 0, got {value!r}")


def positive(_inst: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """A finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail(attribute, f"must be a number, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise fail(attribute, f"must be a finite number > 0, got {value!r}")


def count_at_least_one(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A whole number >= 1 (a headcount)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise fail(attribute, f"must be a whole number >= 1, got {value!r}")


def fen(_inst: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """``None`` or a whole number of fen (分) >= 0; money is never a float."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(
            attribute,
            f"must be a whole number of fen (1 yuan = 100 fen), got {value!r}",
            "money is kept in integer fen, never as a float",
        )
    if value < 0:
        raise fail(attribute, f"must be >= 0 fen, got {value}")


def text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A string (may be empty)."""
    if not isinstance(value, str):
        raise fail(attribute, f"must be text, got {type(value).__name__}")


def name(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty string."""
    if not isinstance(value, str) or not value.strip():
        raise fail(attribute, f"must be non-empty text, got {value!r}")


def enum_value(cls: type[EnumT], value: EnumT | str | int, field: str) -> EnumT:
    """``value`` as a member of the enum ``cls``, or a
    :class:`~vchuang.errors.ValidationError` naming ``field`` and the allowed values."""
    if isinstance(value, cls):
        return value
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in cls)
        raise ValidationError(
            [Problem(field, f"{value!r} is not a known {cls.__name__}", f"use one of {allowed}")]
        ) from None


def to_ids(value: Iterable[str]) -> tuple[str, ...]:
    """Turn a list (or any iterable, or one string) of IDs into a tuple; sets are sorted so
    that the order never depends on the hash seed. (Not generic, so that type checkers
    accept a list where a record field holds a tuple of IDs.)"""
    return to_tuple(value)


def to_tuple(value: Iterable[T]) -> tuple[T, ...]:
    """Turn a list (or any iterable but a string) into a tuple; sets are sorted so that
    the order never depends on the hash seed."""
    if isinstance(value, str):
        return cast("tuple[T, ...]", (value,))
    if isinstance(value, set | frozenset):
        return tuple(sorted(value, key=str))
    return tuple(value)
