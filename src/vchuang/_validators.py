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


#: The hint of a problem with a character no text may hold.
UNICODE_HINT = (
    "remove the character: it comes from binary data or a broken encoding, not from "
    "typed text; save the source again as UTF-8"
)


def unicode_problem(value: str) -> str | None:
    """What makes ``value`` not valid text, or ``None``: a NUL character (U+0000), or a
    lone surrogate (U+D800 to U+DFFF, half of a UTF-16 pair, which no UTF-8 file, CSV
    or report can hold).

    Examples
    --------
    >>> unicode_problem("张浩") is None
    True
    >>> unicode_problem("Tr\\x00ees")
    'holds a NUL character (U+0000) at position 2'
    >>> unicode_problem("x\\ud800")
    'holds a lone surrogate U+D800 at position 1: not valid Unicode text'
    """
    at = value.find("\x00")
    if at >= 0:
        return f"holds a NUL character (U+0000) at position {at}"
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(value[exc.start])
        return (
            f"holds a lone surrogate U+{code:04X} at position {exc.start}: not valid Unicode text"
        )
    return None


def all_text_valid(values: Iterable[str]) -> bool:
    """Whether no value (each a string) holds a NUL or a lone surrogate: the bulk form of
    :func:`unicode_problem`, for readers that check a whole column at once.

    Examples
    --------
    >>> all_text_valid(["张浩", "r1"]), all_text_valid(["ok", "b\\ud800d"])
    (True, False)
    """
    joined = "".join(values)
    if "\x00" in joined:
        return False
    if joined.isascii():
        return True
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _valid_text(attribute: attrs.Attribute[Any], value: str) -> None:
    problem = unicode_problem(value)
    if problem is not None:
        raise fail(attribute, problem, UNICODE_HINT)


def entity_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty string without surrounding whitespace, NULs or lone surrogates."""
    if not isinstance(value, str):
        raise fail(attribute, f"must be a string ID, got {type(value).__name__}")
    _valid_text(attribute, value)
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
    """A string (may be empty) of valid text: no NUL, no lone surrogate."""
    if not isinstance(value, str):
        raise fail(attribute, f"must be text, got {type(value).__name__}")
    _valid_text(attribute, value)


def name(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty string of valid text: no NUL, no lone surrogate."""
    if not isinstance(value, str) or not value.strip():
        raise fail(attribute, f"must be non-empty text, got {value!r}")
    _valid_text(attribute, value)


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
