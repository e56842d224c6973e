"""Argument checks that name the argument and suggest a fix.

One way to say "a whole number, not a bool", "a real number within bounds" and "one of
these values" across the library, so every message reads the same.

Examples
--------
>>> check_whole(3, "k", minimum=1)
3
>>> check_whole(True, "k")
Traceback (most recent call last):
...
vchuang.errors.ValidationError: k: must be a whole number, got True (hint: give an int such as 10)
>>> check_number(0.25, "p", minimum=0, maximum=1)
0.25
>>> check_choice("optimall", ("optimal", "stable", "greedy"), "method")
Traceback (most recent call last):
...
vchuang.errors.ValidationError: method: must be one of 'optimal', 'stable', 'greedy', got 'optimall' (hint: did you mean 'optimal'?)

A function that reports every bad argument at once gathers the problems with
:func:`collect`:

>>> problems = []
>>> collect(problems, check_whole, 0, "runs", minimum=1)
>>> collect(problems, check_number, 2.0, "p", maximum=1)
>>> [str(p) for p in problems]
['runs: must be a whole number >= 1, got 0', 'p: must be a finite number <= 1, got 2.0']
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from ..errors import Problem, ValidationError

__all__ = [
    "check_choice",
    "check_jobs",
    "check_number",
    "check_whole",
    "collect",
    "suggest",
]

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")


def suggest(value: str, allowed: Iterable[object]) -> str:
    """The allowed value nearest to ``value``, or ``""`` when none is close.

    Only the allowed values that are strings take part.

    >>> suggest("pagernk", ["degree", "pagerank"])
    'pagerank'
    """
    words = [a for a in allowed if isinstance(a, str)]
    close = difflib.get_close_matches(str(value), words, n=1, cutoff=0.6)
    return close[0] if close else ""


def _fail(name: str, what: str, hint: str = "") -> ValidationError:
    return ValidationError([Problem(name, what, hint)])


def check_whole(
    value: object,
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    hint: str = "",
) -> int:
    """``value`` as an int when it is a whole number (not a bool) within the bounds.

    Parameters
    ----------
    value
        What the caller gave: an int or a numpy integer; a bool is refused.
    name
        The argument's name, shown first in the message.
    minimum, maximum
        Inclusive bounds; ``None`` for none.
    hint
        What to do instead, shown after the message.

    Returns
    -------
    int
        ``value`` as a Python int.

    Raises
    ------
    ValidationError
        Naming ``name``, the range and the value given.

    Examples
    --------
    >>> check_whole(0, "limit", minimum=1)
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: limit: must be a whole number >= 1, got 0
    >>> check_whole(2.5, "k", minimum=0, maximum=5, hint="the number of seeds")
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: k: must be a whole number between 0 and 5, got 2.5 (hint: the number of seeds)
    """
    if minimum is not None and maximum is not None:
        bounds = f" between {minimum} and {maximum}"
    elif minimum is not None:
        bounds = f" >= {minimum}"
    elif maximum is not None:
        bounds = f" <= {maximum}"
    else:
        bounds = ""
    what = f"must be a whole number{bounds}, got {value!r}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise _fail(name, what, hint or "give an int such as 10")
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise _fail(name, what, hint)
    return number


def check_jobs(n_jobs: object) -> int:
    """``n_jobs`` as an int: how many processes a Monte Carlo run may use.

    ``1`` runs in this process, ``-1`` on every core, ``-2`` on all cores but one
    (joblib's convention); ``0`` means nothing and is refused.

    Raises
    ------
    ValidationError
        When ``n_jobs`` is not a whole number or is 0.

    Examples
    --------
    >>> check_jobs(-1)
    -1
    >>> check_jobs(0)
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: n_jobs: must be a non-zero whole number (1: in this process; -1: all cores), got 0
    """
    what = f"must be a non-zero whole number (1: in this process; -1: all cores), got {n_jobs!r}"
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs == 0:
        raise ValidationError([Problem("n_jobs", what)])
    return int(n_jobs)


def _interval(
    minimum: float | None, maximum: float | None, above: float | None, below: float | None
) -> str:
    low = ("[", minimum) if minimum is not None else ("(", above) if above is not None else None
    high = ("]", maximum) if maximum is not None else (")", below) if below is not None else None
    if low is not None and high is not None:
        return f" in {low[0]}{low[1]:g}, {high[1]:g}{high[0]}"
    if low is not None:
        return f" {'>=' if low[0] == '[' else '>'} {low[1]:g}"
    if high is not None:
        return f" {'<=' if high[0] == ']' else '<'} {high[1]:g}"
    return ""


def check_number(
    value: object,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    above: float | None = None,
    below: float | None = None,
    finite: bool = True,
    what: str = "",
    hint: str = "",
) -> float:
    """``value`` as a float when it is a real number (not a bool) within the bounds.

    Parameters
    ----------
    value
        What the caller gave: an int, a float or a numpy number; a bool is refused.
    name
        The argument's name, shown first in the message.
    minimum, maximum
        Inclusive bounds (``value >= minimum``, ``value <= maximum``); ``None`` for none.
    above, below
        Exclusive bounds (``value > above``, ``value < below``); ``None`` for none.
    finite
        Refuse infinities (NaN is always refused).
    what
        What the number is, in words (``"a probability"``, ``"seconds"``); by default
        ``"a number"``, or ``"a finite number"`` when the range is open at one end.
    hint
        What to do instead, shown after the message.

    Returns
    -------
    float
        ``value`` as a Python float.

    Raises
    ------
    ValidationError
        Naming ``name``, the range and the value given.

    Examples
    --------
    >>> check_number(1, "unit", above=0)
    1.0
    >>> check_number(1.5, "p", minimum=0, maximum=1, what="a probability")
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: p: must be a probability in [0, 1], got 1.5
    >>> check_number(float("inf"), "budget", minimum=0)
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: budget: must be a finite number >= 0, got inf
    >>> check_number(False, "epsilon", above=0, below=1)
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: epsilon: must be a number in (0, 1), got False (hint: give a number such as 0.5)
    """
    has_low = minimum is not None or above is not None
    has_high = maximum is not None or below is not None
    if not what:
        what = "a finite number" if finite and not (has_low and has_high) else "a number"
    message = f"must be {what}{_interval(minimum, maximum, above, below)}, got {value!r}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(name, message, hint or "give a number such as 0.5")
    number = float(value)
    if (
        math.isnan(number)
        or (finite and math.isinf(number))
        or (minimum is not None and number < minimum)
        or (maximum is not None and number > maximum)
        or (above is not None and number <= above)
        or (below is not None and number >= below)
    ):
        raise _fail(name, message, hint)
    return number


def check_choice(value: object, allowed: Iterable[T], name: str, *, hint: str = "") -> T:
    """``value`` when it is one of ``allowed``; otherwise an error suggesting the nearest.

    Parameters
    ----------
    value
        What the caller gave.
    allowed
        The values accepted, in the order the message lists them.
    name
        The argument's name, shown first in the message.
    hint
        Shown when no allowed value is close to ``value``.

    Returns
    -------
    object
        The allowed value equal to ``value``.

    Raises
    ------
    ValidationError
        Listing the allowed values and, where one is close, the likely intended one.
    """
    options = list(allowed)
    for option in options:
        if isinstance(value, bool) == isinstance(option, bool) and value == option:
            return option
    listed = ", ".join(repr(o) for o in options)
    near = suggest(value, options) if isinstance(value, str) else ""
    raise _fail(
        name, f"must be one of {listed}, got {value!r}", f"did you mean {near!r}?" if near else hint
    )


def collect(
    problems: list[Problem], check: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
) -> R | None:
    """``check(*args, **kwargs)``, or ``None`` with its problems added to ``problems``.

    For functions that report every bad argument in one
    :class:`~vchuang.errors.ValidationError`.

    >>> problems = []
    >>> collect(problems, check_whole, 3, "k")
    3
    >>> problems
    []
    """
    try:
        return check(*args, **kwargs)
    except ValidationError as error:
        problems.extend(error.problems)
        return None
