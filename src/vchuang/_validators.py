"""Validators and converters shared by the records (private).

Validators raise :class:`~vchuang.errors.ValidationError` whose problem path is the
field's name, so a loader can prefix it with the record's JSON path.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

import attrs

from .errors import Problem, ValidationError

T = TypeVar("T")
EnumT = TypeVar("EnumT", bound=enum.Enum)


def fail(attribute: attrs.Attribute[Any], message: str, hint: str = "") -> ValidationError:
    """Build the error for a bad value of ``attribute``."""
    return ValidationError([Problem(attribute.name, message, hint)])


def said(
    attribute: attrs.Attribute[Any], key: str, hint_key: str | None = None, **fields: object
) -> ValidationError:
    """Build the error for a bad value of ``attribute``, its message (and hint) the text
    catalogue's entries ``key`` (and ``hint_key``), so that it can be said in the user's
    language (:meth:`vchuang.errors.Problem.render`)."""
    return ValidationError([Problem.said(attribute.name, key, hint_key, path_key=None, **fields)])


def english_or(english: str, key: str) -> Callable[[str], str]:
    """A field of a problem that is ``english`` (a class name, say) in English and the
    catalogue's entry ``key`` in another language."""

    def field(lang: str) -> str:
        if lang == "en":
            return english
        from .kernel.text import text

        return text(key, lang)

    return field


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
    if unicode_problem(value) is None:
        return
    at = value.find("\x00")
    if at >= 0:
        raise said(attribute, "model.check.nul", "model.check.hint_unicode", at=at)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = f"{ord(value[exc.start]):04X}"
        raise said(
            attribute, "model.check.surrogate", "model.check.hint_unicode", code=code, at=exc.start
        ) from None


def entity_id(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty string without surrounding whitespace, NULs or lone surrogates."""
    if not isinstance(value, str):
        raise said(attribute, "model.check.string_id", type=type(value).__name__)
    _valid_text(attribute, value)
    if not value or value != value.strip():
        raise said(attribute, "model.check.empty_id", "model.check.hint_id", value=value)


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
            raise said(attribute, "model.check.twice", "model.check.hint_once", item=item)
        seen.add(item)


def non_negative(_inst: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    """``None`` or a finite number >= 0 (bools refused)."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise said(attribute, "model.check.number", type=type(value).__name__)
    if not math.isfinite(value) or value < 0:
        raise said(attribute, "model.check.non_negative", value=value)


def positive(_inst: object, attribute: attrs.Attribute[Any], value: float) -> None:
    """A finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise said(attribute, "model.check.number", type=type(value).__name__)
    if not math.isfinite(value) or value <= 0:
        raise said(attribute, "model.check.positive", value=value)


def count_at_least_one(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A whole number >= 1 (a headcount)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise said(attribute, "model.check.count", value=value)


def fen(_inst: object, attribute: attrs.Attribute[Any], value: int | None) -> None:
    """``None`` or a whole number of fen (分) >= 0; money is never a float."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise said(attribute, "model.check.fen", "model.check.hint_fen", value=value)
    if value < 0:
        raise said(attribute, "model.check.fen_negative", value=value)


def text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A string (may be empty) of valid text: no NUL, no lone surrogate."""
    if not isinstance(value, str):
        raise said(attribute, "model.check.text", type=type(value).__name__)
    _valid_text(attribute, value)


def name(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty string of valid text: no NUL, no lone surrogate."""
    if not isinstance(value, str) or not value.strip():
        raise said(attribute, "model.check.name", value=value)
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
            [
                Problem.said(
                    field,
                    "model.check.enum",
                    "model.doc.hint_use_one_of",
                    value=value,
                    name=english_or(cls.__name__, "model.doc.a_value"),
                    allowed=allowed,
                )
            ]
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
