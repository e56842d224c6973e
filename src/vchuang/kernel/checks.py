"""Argument checks that name the argument and suggest a fix.

One way to say "a whole number, not a bool" and "one of these values" across the
library, so every message reads the same.

Examples
--------
>>> check_whole(3, "k", minimum=1)
3
>>> check_whole(True, "k")
Traceback (most recent call last):
...
vchuang.errors.ValidationError: k: must be a whole number, got bool (hint: give an int such as 10)
>>> check_choice("optimall", ("optimal", "stable", "greedy"), "method")
Traceback (most recent call last):
...
vchuang.errors.ValidationError: method: must be one of 'optimal', 'stable', 'greedy', got 'optimall' (hint: did you mean 'optimal'?)
"""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Iterable
from typing import TypeVar

from ..errors import Problem, ValidationError

__all__ = ["check_choice", "check_whole", "suggest"]

T = TypeVar("T", bound=str)


def suggest(value: str, allowed: Iterable[str]) -> str:
    """The allowed value nearest to ``value``, or ``""`` when none is close.

    >>> suggest("pagernk", ["degree", "pagerank"])
    'pagerank'
    """
    close = difflib.get_close_matches(str(value), list(allowed), n=1, cutoff=0.6)
    return close[0] if close else ""


def check_whole(
    value: object, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """``value`` as an int when it is a whole number (not a bool) within the bounds.

    Raises
    ------
    ValidationError
        Naming ``name`` and the bound that was broken.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValidationError(
            [
                Problem(
                    name,
                    f"must be a whole number, got {type(value).__name__}",
                    "give an int such as 10",
                )
            ]
        )
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValidationError([Problem(name, f"must be >= {minimum}, got {number}")])
    if maximum is not None and number > maximum:
        raise ValidationError([Problem(name, f"must be <= {maximum}, got {number}")])
    return number


def check_choice(value: object, allowed: Iterable[T], name: str) -> T:
    """``value`` when it is one of ``allowed``; otherwise an error suggesting the nearest.

    Raises
    ------
    ValidationError
        Listing the allowed values and, where one is close, the likely intended one.
    """
    options = list(allowed)
    for option in options:
        if value == option:
            return option
    listed = ", ".join(repr(o) for o in options)
    near = suggest(str(value), options) if isinstance(value, str) else ""
    hint = f"did you mean {near!r}?" if near else ""
    raise ValidationError([Problem(name, f"must be one of {listed}, got {value!r}", hint)])
