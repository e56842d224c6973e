"""Issue 17: no hidden count of a published table can be worked out again.

An attacker who reads a published table knows how its numbers hang together: a
district is the sum of its communities, leaders are a subset of the engaged, a share is
a count over a denominator rounded to 0.1 %. The tests below play that attacker against
every table of the report that counts people, for the pilot and a synthetic district:
each relation that holds in the true data is turned into a linear constraint, and an
integer program finds the smallest and largest value each hidden count can take. A
count below the threshold must never be pinned to one value, nor to a range narrower
than the marker's own (``"<5"`` allows 1 to 4).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

import vchuang
from vchuang import privacy
from vchuang.privacy import Derived, Total, suppress_small

KEY = "a recovery test key of 16+ bytes"
T = 5
BIG = 10**6
#: The least a hidden count can be: zeros are shown, so a hidden cell holds at least 1.
LOW = 1

#: Ratio columns a reader can invert: column -> (numerator, denominator, scale).
RATIOS = {
    "share": ("reached", "of", 100.0),
    "share_listed": ("reached", "listed", 100.0),
    "share_population": ("reached", "population", 100.0),
    "leverage": ("unique_reach", "leaders", 1.0),
}

#: Columns that count a subset of the people another column counts: (subset, superset).
SUBSETS = (
    ("talent", "engaged"),
    ("leader", "talent"),
    ("project_lead", "leader"),
    ("engaged", "residents"),
    ("talents", "engaged"),
    ("leaders", "engaged"),
    ("project_leads", "engaged"),
    ("participants", "residents"),
    ("reached", "listed"),
    ("reached", "of"),
    ("reached", "population"),
)

Cell = tuple[int, str]


def _le(x: Any, y: Any) -> bool:
    return isinstance(x, int) and isinstance(y, int) and x <= y


# --------------------------------------------------------------------------- the attacker


class Attack:
    """Linear constraints on the hidden counts of one table, and their integer bounds."""

    def __init__(self, truth: Sequence[dict[str, Any]], shown: Sequence[dict[str, Any]]):
        self.truth, self.shown = truth, shown
        self.hidden: list[Cell] = [
            (i, c)
            for i, row in enumerate(shown)
            for c, v in row.items()
            if isinstance(v, str)
            and v.startswith("<")
            and isinstance(truth[i].get(c), int)
            and not isinstance(truth[i][c], bool)
        ]
        self.where = {cell: k for k, cell in enumerate(self.hidden)}
        self.rows: list[np.ndarray] = []
        self.low: list[float] = []
        self.high: list[float] = []

    def term(self, cell: Cell) -> tuple[np.ndarray, float]:
        """A cell as a linear form: (coefficients on the hidden cells, constant)."""
        line = np.zeros(len(self.hidden))
        if cell in self.where:
            line[self.where[cell]] = 1.0
            return line, 0.0
        return line, float(self.shown[cell[0]][cell[1]])

    def known(self, cell: Cell) -> bool:
        value = self.shown[cell[0]].get(cell[1])
        return cell in self.where or (isinstance(value, int | float) and value is not None)

    def add(self, plus: Sequence[Cell], minus: Sequence[Cell], low: float, high: float) -> None:
        """``low <= sum(plus) - sum(minus) <= high`` (cells shown are constants)."""
        if not all(self.known(c) for c in (*plus, *minus)):
            return
        line, const = np.zeros(len(self.hidden)), 0.0
        for cells, sign in ((plus, 1.0), (minus, -1.0)):
            for cell in cells:
                coef, value = self.term(cell)
                line += sign * coef
                const += sign * value
        if line.any():
            self.rows.append(line)
            self.low.append(low - const)
            self.high.append(high - const)

    def add_scaled(self, num: Cell, den: Cell, lo: float, hi: float) -> None:
        """``lo * den <= num <= hi * den``."""
        if not (self.known(num) and self.known(den)):
            return
        for factor, bounds in ((lo, (0.0, np.inf)), (hi, (-np.inf, 0.0))):
            line, const = np.zeros(len(self.hidden)), 0.0
            for cell, sign in ((num, 1.0), (den, -factor)):
                coef, value = self.term(cell)
                line += sign * coef
                const += sign * value
            if line.any():
                self.rows.append(line)
                self.low.append(bounds[0] - const)
                self.high.append(bounds[1] - const)

    def bounds(self, cell: Cell) -> tuple[int, int]:
        """The smallest and largest whole value ``cell`` can take."""
        n = len(self.hidden)
        cons = [LinearConstraint(np.array(self.rows), self.low, self.high)] if self.rows else []
        out = []
        for sign in (1.0, -1.0):
            c = np.zeros(n)
            c[self.where[cell]] = sign
            res = milp(c, constraints=cons, integrality=np.ones(n), bounds=Bounds(LOW, BIG))
            assert res.status == 0, res.message  # the truth is always feasible
            out.append(round(sign * res.fun))
        return out[0], out[1]


def _holds(truth: Sequence[dict[str, Any]], total: int, parts: Sequence[int], col: str) -> str:
    values = [truth[i].get(col) for i in (total, *parts)]
    if not all(isinstance(v, int) for v in values):
        return ""
    top, rest = values[0], sum(values[1:])
    return "=" if top == rest else ("<=" if top <= rest else "")


def _hierarchy(
    graph: vchuang.CommunityGraph, ids: Sequence[Any]
) -> Iterator[tuple[int, list[int]]]:
    """(total row, part rows) as a reader of a table of places knows them."""

    def kind(place: Any) -> str | None:
        return graph.kind_of(place) if isinstance(place, str) and place in graph else None

    def parent(place: Any) -> Any:
        record = graph.get(place) if kind(place) else None
        return getattr(record, "subdistrict", None) or getattr(record, "district", None)

    communities = [j for j, p in enumerate(ids) if kind(p) == "community"]
    for i, place in enumerate(ids):
        if kind(place) is None:
            yield i, communities
        elif kind(place) == "subdistrict":
            yield i, [j for j in communities if parent(ids[j]) == place]
        elif kind(place) == "district":
            yield i, [j for j in communities if parent(parent(ids[j])) == place]
            yield (
                i,
                [j for j, p in enumerate(ids) if kind(p) == "subdistrict" and parent(p) == place],
            )


def _number(text: Any) -> float | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)%?", str(text))
    return float(match.group(1)) if match else None


def attack(
    graph: vchuang.CommunityGraph,
    truth: Sequence[dict[str, Any]],
    shown: Sequence[dict[str, Any]],
    gap_threshold: float | None = None,
) -> dict[Cell, tuple[int, int]]:
    """Bounds of every hidden count below the threshold, from every relation that holds."""
    a = Attack(truth, shown)
    counts = sorted({c for _, c in a.hidden})
    columns = list(truth[0]) if truth else []
    numeric = [
        c
        for c in columns
        if all(isinstance(r.get(c), int) and not isinstance(r.get(c), bool) for r in truth)
    ]
    # totals: places that add up (or, for unions, are at most the sum)
    for key in ("id", "community"):
        if truth and key in truth[0]:
            for total, parts in _hierarchy(graph, [r[key] for r in truth]):
                if not parts:
                    continue
                for col in numeric:
                    how = _holds(truth, total, parts, col)
                    cells = [(j, col) for j in parts]
                    if how == "=":
                        a.add(cells, [(total, col)], 0, 0)
                    elif how == "<=":
                        a.add(cells, [(total, col)], 0, np.inf)
            break
    # subsets a reader knows (leaders are engaged residents ...), where they hold
    for x, y in SUBSETS:
        if x in columns and y in columns and all(_le(r.get(x), r.get(y)) for r in truth):
            for i in range(len(truth)):
                a.add([(i, y)], [(i, x)], 0, np.inf)
    # running totals: a column that never falls from one row to the next
    for col in (c for c in counts if c.endswith("_to_date")):
        if all(truth[i][col] <= truth[i + 1][col] for i in range(len(truth) - 1)):
            for i in range(len(truth) - 1):
                a.add([(i + 1, col)], [(i, col)], 0, np.inf)
    # ratios printed with one decimal: invert them with their rounding
    for col, (num, den, scale) in RATIOS.items():
        for i, row in enumerate(shown):
            value = _number(row.get(col))
            if value is None or num not in row or den not in row:
                continue
            a.add_scaled((i, num), (i, den), (value - 0.05) / scale, (value + 0.05) / scale)
    # gap flags: reached below the threshold share of its denominator, or not
    if gap_threshold is not None:
        for i, row in enumerate(shown):
            if "gap" not in row or row["gap"] not in ("yes", ""):
                continue
            den = "population" if truth[i].get("population") is not None else "listed"
            if den not in row:
                den = "of"
            if row["gap"] == "yes":
                a.add_scaled((i, "reached"), (i, den), 0.0, gap_threshold - 1e-9)
            else:
                a.add_scaled((i, "reached"), (i, den), gap_threshold, BIG)
    return {
        cell: a.bounds(cell)
        for cell in a.hidden
        if cell[1] in counts and 0 < truth[cell[0]][cell[1]] < T
    }


def _assert_safe(bounds: dict[Cell, tuple[int, int]], where: str) -> None:
    for cell, (low, high) in bounds.items():
        assert high > low, f"{where} {cell}: recovered as {low}"
        assert high - low >= T - 2, f"{where} {cell}: narrowed to {low}..{high}"


# --------------------------------------------------------------------------- the report


SKIPPED = {"_talents", "_word_of_mouth"}  # rank residents, estimate spread: no counts


def _report_tables(
    graph: vchuang.CommunityGraph,
    ledger: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[list[tuple[list[dict[str, Any]], list[dict[str, Any]]]], float]:
    """Every suppression of the report's sections: (true rows, published rows)."""
    from vchuang import report

    calls: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]] = []
    real = privacy.suppress_small
    real_table = report._Context.table

    def spy(rows: Any, columns: Any, threshold: int = 5, **kw: Any) -> privacy.Suppression:
        rows = [dict(r) for r in rows]
        result = real(rows, columns, threshold, **kw)
        calls.append((rows, result.to_rows()))
        return result

    def table(self: Any, name: str, rows: Any, columns: Sequence[str], **kw: Any) -> Any:
        before = len(calls)
        out = real_table(self, name, rows, columns, **kw)
        if len(calls) > before:  # keep what the table publishes, and where each row is
            keep = {*columns, "id", "community"}
            truth, shown = calls[-1]
            calls[-1] = (
                [{c: v for c, v in r.items() if c in keep} for r in truth],
                [{c: v for c, v in r.items() if c in keep} for r in shown],
            )
        return out

    def no_figure(
        self: Any, name: str, alt: str, draw: Callable[..., Any], *a: Any, **k: Any
    ) -> Any:
        return report.Figure(name=name, alt=alt, png=b"")

    monkeypatch.setattr(privacy, "suppress_small", spy)
    monkeypatch.setattr(report._Context, "table", table)
    monkeypatch.setattr(report._Context, "figure", no_figure)
    published = privacy.for_publication(graph, key=KEY)
    ctx = report._Context(graph=published, lang="en", threshold=T, ledger=ledger, rng=0)
    for make in report._SECTIONS:
        if make.__name__ not in SKIPPED:
            make(ctx)
    rep = ctx.reach()
    return calls, (rep.threshold if rep is not None else 0.0)


@pytest.mark.parametrize("make", ["pilot", "synthetic"])
def test_no_hidden_count_of_the_report_can_be_recovered(
    make: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if make == "pilot":
        graph = vchuang.datasets.longgang_pilot()
        ledger = vchuang.datasets.longgang_ledger(graph)
    else:
        graph, ledger = vchuang.datasets.synthetic(1500, rng=1), None
    calls, gap = _report_tables(graph, ledger, monkeypatch)
    published = privacy.for_publication(graph, key=KEY)
    primaries = 0
    for k, (truth, shown) in enumerate(calls):
        bounds = attack(published, truth, shown, gap)
        primaries += len(bounds)
        _assert_safe(bounds, f"{make} table {k}")
    assert primaries > 0  # the data have small counts to protect


# --------------------------------------------------------------------------- by hand


def _naive(rows: list[dict[str, Any]], columns: Sequence[str]) -> list[dict[str, Any]]:
    """Primary suppression alone, as the report did before issue 17."""
    return suppress_small(rows, columns, T, secondary=False).to_rows()


def test_a_share_next_to_a_hidden_count_gives_it_away_unless_hidden_too() -> None:
    # issue 17: "Dog owners, <5, 420, 1.0%" can only be 4
    rows = [
        {"segment": "Dog owners", "reached": 4, "of": 420, "share": "1.0%"},
        {"segment": "Elders", "reached": 60, "of": 1050, "share": "5.7%"},
    ]
    g = vchuang.CommunityGraph()
    leaked = attack(g, rows, _naive(rows, ["reached"]))
    assert leaked[(0, "reached")] == (4, 4)
    safe = suppress_small(rows, ["reached"], T, across=False, derived={"share": ["reached"]})
    assert safe.to_rows()[0]["share"] == "<5"
    assert [(c.row, c.column, c.reason) for c in safe.cells] == [
        (0, "reached", "primary"),
        (0, "share", "derived"),
    ]
    _assert_safe(attack(g, rows, safe.to_rows()), "share")


def test_a_flag_that_tells_nothing_stays_next_to_a_hidden_count() -> None:
    rows = [{"reached": 4, "of": 420, "gap": "yes"}, {"reached": 3, "of": 6, "gap": ""}]
    flag = Derived(sources="reached", value=lambda r: "yes" if r["reached"] / r["of"] < 0.5 else "")
    s = suppress_small(rows, ["reached"], T, across=False, derived={"gap": flag})
    # any of 1..4 out of 420 is a gap; out of 6, "no gap" says 3 or 4
    assert [r["gap"] for r in s.to_rows()] == ["yes", "<5"]


def test_a_total_row_gives_away_a_lone_hidden_community() -> None:
    rows = [
        {"community": "A", "leaders": 3},
        {"community": "B", "leaders": 40},
        {"community": "C", "leaders": 60},
        {"community": None, "leaders": 103},
    ]
    total = Total(total=3, parts=[0, 1, 2])

    def bounds(shown: list[dict[str, Any]]) -> dict[Cell, tuple[int, int]]:
        reader = Attack(rows, shown)
        reader.add([(i, "leaders") for i in total.parts], [(3, "leaders")], 0, 0)
        return {(0, "leaders"): reader.bounds((0, "leaders"))}

    assert bounds(_naive(rows, ["leaders"])) == {(0, "leaders"): (3, 3)}
    s = suppress_small(rows, ["leaders"], T, across=False, totals=[total])
    assert [r["leaders"] for r in s.to_rows()] == ["<5", "<5", 60, 103]
    assert s.hidden("secondary") == {(1, "leaders")}  # the smallest other part
    _assert_safe(bounds(s.to_rows()), "total")


def test_two_hidden_cells_in_every_total_can_still_be_solved_together() -> None:
    # three places and their three pairwise totals: each total holds two hidden cells,
    # yet A = (AB + AC - BC) / 2. The joint check hides one more cell.
    rows = [{"n": 2}, {"n": 3}, {"n": 40}, {"n": 5}, {"n": 42}, {"n": 43}]
    pairs = [
        Total(total=3, parts=[0, 1]),
        Total(total=4, parts=[0, 2]),
        Total(total=5, parts=[1, 2]),
    ]
    # "at least two hidden cells in every total" alone: A, B and C hidden, and then
    a = np.array([[1, 1, 0], [1, 0, 1], [0, 1, 1]], dtype=float)
    assert np.allclose(np.linalg.solve(a, [5, 42, 43]), [2, 3, 40])  # A, B, C solved
    s = suppress_small(rows, ["n"], T, across=False, totals=pairs)
    assert {(0, "n"), (1, "n"), (2, "n")} < s.hidden()  # one more cell, so not solvable
    reader = Attack(rows, s.to_rows())
    for t in pairs:
        reader.add([(i, "n") for i in t.parts], [(t.total, "n")], 0, 0)
    for cell in [(0, "n"), (1, "n")]:
        low, high = reader.bounds(cell)
        assert high - low >= T - 2, (cell, low, high)


def test_the_row_total_of_parts_of_a_whole() -> None:
    # elders, children, adults of a place add up to its population: one hidden is not enough
    rows = [{"elders": 3, "children": 12, "adults": 40, "all": 55}]
    s = suppress_small(
        rows,
        ["elders", "children", "adults", "all"],
        T,
        column_totals={"all": ["elders", "children", "adults"]},
        across=False,
    )
    assert s.to_rows() == [{"elders": "<5", "children": "<5", "adults": 40, "all": 55}]


def test_suppression_refuses_declarations_it_cannot_honour() -> None:
    rows = [{"n": 3, "share": "1%"}]
    with pytest.raises(vchuang.ValidationError, match="derived from count columns"):
        suppress_small(rows, ["n"], derived={"share": ["m"]})
    with pytest.raises(vchuang.ValidationError, match="is a count column"):
        suppress_small(rows, ["n"], derived={"n": ["n"]})
    with pytest.raises(vchuang.ValidationError, match="not a row of counts"):
        suppress_small(rows, ["n"], totals=[Total(total=2, parts=[0])])
    with pytest.raises(vchuang.ValidationError, match="not a count column"):
        suppress_small(rows, ["n"], column_totals={"share": ["n"]})


# --------------------------------------------------------------------------- trends


def _trends_section(
    graph: vchuang.CommunityGraph, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Any], Any, Any]:
    """The report's trends section of ``graph``: (true months, published table, figure axes)."""
    from vchuang import report
    from vchuang.indicators import monthly
    from vchuang.plot import new_axes

    drawn: dict[str, Any] = {}

    def figure(self: Any, name: str, alt: str, draw: Callable[..., Any], *a: Any, **k: Any) -> Any:
        drawn[name] = ax = new_axes()
        draw(ax)
        return report.Figure(name=name, alt=alt, png=b"")

    monkeypatch.setattr(report._Context, "figure", figure)
    published = privacy.for_publication(graph, key=KEY)
    ctx = report._Context(graph=published, lang="en", threshold=T, ledger=None, rng=0)
    section = report._trends(ctx)
    assert section is not None
    return list(monthly(published)), section.tables[0], drawn["trends"]


def attack_trends(
    months: Sequence[Any], rows: Sequence[dict[str, Any]], block: int = T
) -> dict[str, tuple[int, int]]:
    """Bounds of every small count of people the trends table holds or implies: each
    month's new participants (the difference of two running totals), a running total
    and a month's attendance below the threshold.

    A running total shown as ``R`` stands for ``R`` to ``R + block - 1`` (``block=1``:
    the exact totals the report printed before issue 17).

    The reader knows: what each shown running total stands for, that it never falls,
    that a month's new participants came to its activities (at most its attendance),
    and the period's total attendance (the indicators table prints it)."""
    n = len(rows)
    hidden = [i for i, r in enumerate(rows) if not isinstance(r["attendance"], int)]
    var = {("c", i): i for i in range(n)} | {("a", i): n + k for k, i in enumerate(hidden)}
    size = len(var)
    low, high = np.zeros(size), np.full(size, float(BIG))
    lines: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(terms: dict[tuple[str, int], float], a: float, b: float) -> None:
        line = np.zeros(size)
        for key, coef in terms.items():
            line[var[key]] += coef
        lines.append(line)
        lo.append(a)
        hi.append(b)

    for i, row in enumerate(rows):
        shown = row["participants_to_date"]
        if shown == 0:
            high[i] = 0
        elif isinstance(shown, int):
            low[i], high[i] = shown, shown + block - 1
        else:
            assert shown == f"<{T}"
            low[i], high[i] = 1, T - 1
        new = {("c", i): 1.0} | ({("c", i - 1): -1.0} if i else {})
        add(new, 0, np.inf)  # a running total never falls
        if isinstance(row["attendance"], int):
            add(new, -np.inf, row["attendance"])  # new participants came
        else:
            low[var[("a", i)]] = LOW
            add(new | {("a", i): -1.0}, -np.inf, 0)
    total = sum(m.attendance for m in months)
    rest = total - sum(r["attendance"] for r in rows if isinstance(r["attendance"], int))
    if hidden:
        add({("a", i): 1.0 for i in hidden}, rest, rest)
    cons = [LinearConstraint(np.array(lines), lo, hi)]

    def bounds(terms: dict[tuple[str, int], float]) -> tuple[int, int]:
        out = []
        for sign in (1.0, -1.0):
            c = np.zeros(size)
            for key, coef in terms.items():
                c[var[key]] += sign * coef
            res = milp(c, constraints=cons, integrality=np.ones(size), bounds=Bounds(low, high))
            assert res.status == 0, res.message  # the truth is always feasible
            out.append(round(sign * res.fun))
        return out[0], out[1]

    found: dict[str, tuple[int, int]] = {}
    for i, m in enumerate(months):
        if 0 < m.new_participants < T:
            found[f"new {m.month}"] = bounds({("c", i): 1.0} | ({("c", i - 1): -1.0} if i else {}))
        if 0 < m.participants_to_date < T:
            found[f"to date {m.month}"] = bounds({("c", i): 1.0})
        if i in hidden and 0 < m.attendance < T:
            found[f"attendance {m.month}"] = bounds({("a", i): 1.0})
    return found


@pytest.mark.parametrize("make", ["pilot", "synthetic"])
def test_no_month_of_the_trends_gives_its_new_participants_away(
    make: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 17: "participants to date" 155 then 159 said that 4 residents came in November
    graph = (
        vchuang.datasets.longgang_pilot()
        if make == "pilot"
        else vchuang.datasets.synthetic(1500, rng=1)
    )
    months, table, ax = _trends_section(graph, monkeypatch)
    rows = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    assert [r["month"] for r in rows] == [m.month for m in months]
    exact = [
        {"participants_to_date": m.participants_to_date, "attendance": m.attendance} for m in months
    ]
    leaked = attack_trends(months, exact, block=1)
    assert any(high == low for high, low in leaked.values())  # the exact totals gave it away
    found = attack_trends(months, rows)
    assert any(k.startswith("new") for k in found)  # the data have small months to protect
    _assert_safe({(0, k): v for k, v in found.items()}, f"{make} trends")
    # the figure draws the published numbers, and nothing else
    line = ax.lines[1].get_ydata()
    published = [r["participants_to_date"] for r in rows]
    assert [None if np.isnan(y) else int(y) for y in line] == [
        v if isinstance(v, int) else None for v in published
    ]
    assert all(v % T == 0 for v in published if isinstance(v, int))
    import matplotlib.pyplot as plt

    plt.close("all")


def test_a_running_total_is_rounded_down_to_the_threshold() -> None:
    s = privacy.coarsen([{"n": v} for v in (0, 1, 4, 5, 9, 10, 159, None)], ["n"], 5)
    assert [r["n"] for r in s.to_rows()] == [0, "<5", "<5", 5, 5, 10, 155, None]
    assert s.hidden() == {(1, "n"), (2, "n")}
    assert [r["n"] for r in privacy.coarsen([{"n": 23}], ["n"], 10).to_rows()] == [20]
    with pytest.raises(vchuang.ValidationError, match="threshold"):
        privacy.coarsen([{"n": 3}], ["n"], 0)
    with pytest.raises(vchuang.ValidationError, match="no column"):
        privacy.coarsen([{"m": 3}], ["n"])
