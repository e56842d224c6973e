"""The kernel's argument checks (``vchuang.kernel.checks``), and a guard that keeps the
library from growing new hand-written "a whole number, not a bool" checks."""

from __future__ import annotations

import ast
import fractions
from pathlib import Path

import numpy as np
import pytest

import vchuang
from vchuang.errors import Problem, ValidationError
from vchuang.kernel.checks import (
    check_choice,
    check_jobs,
    check_number,
    check_whole,
    collect,
    suggest,
)

# --------------------------------------------------------------------------- check_whole


@pytest.mark.parametrize("value", [0, 7, -3, np.int64(5), np.uint8(2)])
def test_check_whole_accepts_ints_and_numpy_ints(value: object) -> None:
    got = check_whole(value, "k")
    assert got == value and type(got) is int


@pytest.mark.parametrize("value", [True, False, 2.0, 2.5, "3", None, np.float64(1.0)])
def test_check_whole_refuses_bools_floats_and_text(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        check_whole(value, "k")
    (problem,) = info.value.problems
    assert problem.path == "k"
    assert problem.message == f"must be a whole number, got {value!r}"
    assert problem.hint  # says what to give instead


def test_check_whole_bounds_say_the_range() -> None:
    assert check_whole(1, "runs", minimum=1) == 1
    assert check_whole(5, "k", minimum=0, maximum=5) == 5
    with pytest.raises(ValidationError, match=r"^runs: must be a whole number >= 1, got 0$"):
        check_whole(0, "runs", minimum=1)
    with pytest.raises(ValidationError, match=r"k: must be a whole number <= 3, got 4"):
        check_whole(4, "k", maximum=3)
    with pytest.raises(ValidationError, match=r"between 1 and 3, got 9 \(hint: few\)"):
        check_whole(9, "k", minimum=1, maximum=3, hint="few")
    # a bound-breaking value shows no default "give an int" hint: it was an int
    with pytest.raises(ValidationError) as info:
        check_whole(-1, "k", minimum=0)
    assert info.value.problems[0].hint == ""


def test_check_whole_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="whole number"):
        check_whole("x", "k")


# --------------------------------------------------------------------------- check_number


@pytest.mark.parametrize(
    "value", [0, 0.5, 1, np.float64(0.25), np.int32(1), fractions.Fraction(1, 3)]
)
def test_check_number_accepts_real_numbers(value: object) -> None:
    got = check_number(value, "p", minimum=0, maximum=1)
    assert got == float(value) and type(got) is float  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, "0.5", None, 1j, [0.5]])
def test_check_number_refuses_bools_and_non_numbers(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        check_number(value, "p")
    (problem,) = info.value.problems
    assert problem.path == "p" and repr(value) in problem.message and problem.hint


@pytest.mark.parametrize(
    ("bounds", "bad", "words"),
    [
        ({"minimum": 0}, -0.1, "a finite number >= 0"),
        ({"above": 0}, 0, "a finite number > 0"),
        ({"maximum": 1}, 1.5, "a finite number <= 1"),
        ({"below": 1}, 1, "a finite number < 1"),
        ({"minimum": 0, "maximum": 1}, 1.01, "a number in [0, 1]"),
        ({"above": 0, "below": 1}, 0.0, "a number in (0, 1)"),
        ({"minimum": 0, "below": 1}, 1.0, "a number in [0, 1)"),
        ({"above": 0, "maximum": 1}, 0.0, "a number in (0, 1]"),
        ({}, float("nan"), "a finite number"),
        ({"minimum": 0}, float("inf"), "a finite number >= 0"),
    ],
)
def test_check_number_says_the_interval(bounds: dict[str, float], bad: float, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_number(bad, "x", **bounds)  # type: ignore[arg-type]
    assert info.value.problems[0].message == f"must be {words}, got {bad!r}"


def test_check_number_infinity_only_when_allowed() -> None:
    assert check_number(float("inf"), "time_limit", above=0, finite=False) == float("inf")
    with pytest.raises(ValidationError, match="nan"):
        check_number(float("nan"), "time_limit", above=0, finite=False)


def test_check_number_names_what_the_number_is() -> None:
    with pytest.raises(
        ValidationError, match=r"^p: must be a probability in \[0, 1\], got 2 \(hint: h\)$"
    ):
        check_number(2, "p", minimum=0, maximum=1, what="a probability", hint="h")


# --------------------------------------------------------------------------- check_jobs


def test_check_jobs() -> None:
    assert check_jobs(1) == 1 and check_jobs(-1) == -1 and check_jobs(np.int64(4)) == 4
    for bad in (0, True, 1.0, "all"):
        with pytest.raises(ValidationError, match=r"^n_jobs: must be a non-zero whole number"):
            check_jobs(bad)


# --------------------------------------------------------------------------- check_choice


def test_check_choice_returns_the_allowed_value_and_suggests_the_nearest() -> None:
    assert check_choice("greedy", ("optimal", "greedy"), "method") == "greedy"
    assert check_choice(None, (None, "weight", "wc"), "probability") is None
    with pytest.raises(ValidationError) as info:
        check_choice("gredy", ("optimal", "greedy"), "method")
    (problem,) = info.value.problems
    assert problem.message == "must be one of 'optimal', 'greedy', got 'gredy'"
    assert problem.hint == "did you mean 'greedy'?"
    with pytest.raises(ValidationError) as info:
        check_choice("zzz", ("optimal", "greedy"), "method", hint="see the docs")
    assert info.value.problems[0].hint == "see the docs"


def test_check_choice_tells_bools_from_ints() -> None:
    assert check_choice(1, (0, 1), "x") == 1
    with pytest.raises(ValidationError):
        check_choice(True, (0, 1), "x")
    with pytest.raises(ValidationError, match="got 'weigth'"):
        check_choice("weigth", (None, "weight"), "probability")


def test_suggest_ignores_values_that_are_not_text() -> None:
    assert suggest("wieght", [None, "weight", 3]) == "weight"
    assert suggest("xyz", ["degree"]) == ""


# --------------------------------------------------------------------------- collect


def test_collect_gathers_every_problem() -> None:
    problems: list[Problem] = []
    assert collect(problems, check_whole, 3, "k") == 3
    assert collect(problems, check_whole, 0, "runs", minimum=1) is None
    assert collect(problems, check_choice, "x", ("a", "b"), "method") is None
    assert collect(problems, check_number, -1, "p", minimum=0) is None
    assert [p.path for p in problems] == ["runs", "method", "p"]


def test_the_kernel_face_exports_the_checks() -> None:
    from vchuang import kernel

    for name in ("check_choice", "check_jobs", "check_number", "check_whole", "collect"):
        assert name in kernel.__all__ and getattr(kernel, name) is globals()[name]


# --------------------------------------------------------------------------- no new hand-written checks

SRC = Path(vchuang.__file__).parent

#: Where ``isinstance(x, bool)`` may still be written by hand, as ``(file, function)``,
#: each with the reason. Everything else uses :mod:`vchuang.kernel.checks`.
ALLOWED: dict[tuple[str, str], str] = {
    ("model.py", "_birth_year"): "record validator (attrs) with its own year message",
    ("funding/_records.py", "_bool"): "record validator: a flag must be True or False",
    ("funding/_records.py", "_amount"): "record validator: money in fen, with the fen hint",
    ("selection/_election.py", "_whole"): "predicate over ballot data, not an argument",
    ("selection/_election.py", "_finite"): "predicate over ballot data, not an argument",
    ("report.py", "_cell"): "formats a published cell: a bool is shown as yes/no, not checked",
    ("selection/_scoring.py", "_number"): "predicate of record validators (rubric weights)",
    ("diffusion/_network.py", "_find"): "node lookup: an int may name a row, True may not",
    ("graph.py", "check"): "replacing= is True or a set of IDs, not a number",
    ("io/_json.py", "hook"): "the converter's structure hook: JSON true is not a number",
    ("io/_json.py", "_upgrade"): "format_version read from a document, not an argument",
    ("io/export.py", "_node_attrs"): "export formatting: a bool attribute is written as text",
    ("io/export.py", "_csv_text"): "export formatting: a bool cell is written as text",
    ("io/pabulib.py", "_is_whole"): "predicate over a .pb file's fields, not an argument",
    ("io/tables/_reading.py", "_cell_text"): "a spreadsheet cell's value, not an argument",
    ("io/kumu.py", "_cell"): "export formatting: a bool field is written as true/false",
}

#: Files whose checks are the record validators or the kernel itself.
EXEMPT = ("kernel/", "_validators.py")


def _bool_checks() -> set[tuple[str, str]]:
    """``(file, function)`` of every ``isinstance(..., bool)`` written in ``src``."""
    found: set[tuple[str, str]] = set()

    def visit(node: ast.AST, path: str, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "isinstance"
            and len(node.args) == 2
        ):
            kinds = node.args[1]
            names = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
            if any(isinstance(n, ast.Name) and n.id == "bool" for n in names):
                found.add((path, function))
        for child in ast.iter_child_nodes(node):
            visit(child, path, function)

    for file in sorted(SRC.rglob("*.py")):
        path = file.relative_to(SRC).as_posix()
        if not path.startswith(EXEMPT):
            visit(ast.parse(file.read_text(encoding="utf-8")), path, "<module>")
    return found


def test_no_new_hand_written_whole_number_checks() -> None:
    """Regression (issue 16): ~28 hand-written "a whole number, not a bool" checks, each
    with its own wording. Arguments go through ``vchuang.kernel.checks``; a new
    ``isinstance(x, bool)`` outside the kernel and the record validators fails here
    (use ``check_whole`` / ``check_number`` / ``check_choice``, or add it to ``ALLOWED``
    with the reason it must stay)."""
    found = _bool_checks()
    new = sorted(found - ALLOWED.keys())
    assert new == [], f"use vchuang.kernel.checks instead of isinstance(x, bool) in {new}"
    gone = sorted(ALLOWED.keys() - found)
    assert gone == [], f"no longer written by hand; drop from ALLOWED: {gone}"
