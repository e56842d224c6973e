"""The Method of Equal Shares, exact and fast (private).

Voters with the same budget share a *class*; a class's budget is an exact rational
kept as a whole-number numerator over a common denominator that only ever grows by
whole factors (so sums and comparisons are integer arithmetic, with no gcd on the way).
A project's supporters are summarised by how many of them sit in each class. Each round
screens the projects in floating point, vectorised over classes, in order of a lower
bound on their price (prices never fall, so most projects need no look); the best one,
and any whose float price is within its error bound of the best, are then priced
exactly. The outcome, ties included, is the exact one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs
import numpy as np

__all__ = ["MESProblem", "MESRound", "MESRun", "payments", "run_mes"]

_EPS = float(np.finfo(np.float64).eps)


@attrs.frozen(kw_only=True, eq=False)
class MESProblem:
    """Projects (costs), voters, and each project's supporters with their utilities."""

    costs: Sequence[int]
    n_voters: int
    indptr: np.ndarray
    """Project ``j``'s supporters are ``voters[indptr[j]:indptr[j + 1]]``."""
    voters: np.ndarray
    utilities: np.ndarray
    """Positive whole-number utility of each supporter for the project."""
    rank: Sequence[int]
    """Tie-breaking rank of each project (lower wins)."""

    def uniform(self, j: int) -> int | None:
        """The utility every supporter of ``j`` has, if it is the same for all."""
        u = self.utilities[self.indptr[j] : self.indptr[j + 1]]
        if len(u) and u.min() == u.max():
            return int(u[0])
        return None


@attrs.frozen(kw_only=True)
class MESRound:
    """One round: the project bought, its price per unit of utility, who paid."""

    project: int
    rho: Fraction
    """Price per unit of utility: each supporter pays ``min(budget, rho × utility)``."""
    payers: int
    """Supporters who paid (had money left)."""
    exhausted: int
    """Supporters left with nothing after paying."""
    tied: tuple[int, ...]
    """Projects with exactly the same ``rho`` this round, the winner first (empty when
    there was no tie)."""


@attrs.frozen(kw_only=True)
class MESRun:
    """What one run of MES did."""

    selected: tuple[int, ...]
    """Projects bought, in order."""
    rounds: tuple[MESRound, ...]
    dropped: dict[int, tuple[int, float]]
    """Project → (rounds completed when its supporters could no longer pay for it, the
    money they still held then)."""
    blocked: dict[int, tuple[int, int]]
    """Project → (round, project whose selection ruled it out)."""
    per_voter: Fraction
    """The starting budget of each voter."""


class _State:
    """Voters' budgets as classes of equal, exact budget.

    A class's value never changes (voters move between classes). Class ``k`` is worth
    ``num[k] / dens[epoch[k]]``; the common denominator :attr:`den` (``dens[-1]``) is a
    whole multiple of every earlier one.
    """

    def __init__(self, n: int, start: Fraction) -> None:
        self.cls = np.zeros(n, dtype=np.int64)
        self.dens: list[int] = [start.denominator]
        self.num = np.array([start.numerator], dtype=object)
        self.epoch = np.zeros(1, dtype=np.int64)
        self.valf = np.array([float(start)], dtype=np.float64)
        self.zero: int | None = 0 if start == 0 else None
        self._mult: np.ndarray | None = None

    @property
    def k(self) -> int:
        return len(self.num)

    @property
    def den(self) -> int:
        return self.dens[-1]

    def scaled(self, ks: np.ndarray) -> np.ndarray:
        """The values of classes ``ks`` as numerators over :attr:`den` (Python ints)."""
        if self._mult is None:
            last = self.dens[-1]
            self._mult = np.array([last // d for d in self.dens], dtype=object)
        return self.num[ks] * self._mult[self.epoch[ks]]  # type: ignore[no-any-return]

    def rescale(self, factor: int) -> None:
        """Multiply the common denominator by ``factor``."""
        if factor != 1:
            self.dens.append(self.dens[-1] * factor)
            self._mult = None

    def new_classes(self, values: np.ndarray) -> np.ndarray:
        """Classes worth ``values / den`` (object array of ints); zero shares one class."""
        out = np.empty(len(values), dtype=np.int64)
        zero = values == 0
        if zero.any():
            if self.zero is None:
                self.zero = self._append(np.array([0], dtype=object))[0]
            out[zero] = self.zero
        nonzero = ~zero
        if nonzero.any():
            out[nonzero] = self._append(values[nonzero])
        return out

    def _append(self, values: np.ndarray) -> np.ndarray:
        start = self.k
        self.num = np.concatenate((self.num, values))
        self.epoch = np.concatenate(
            (self.epoch, np.full(len(values), len(self.dens) - 1, dtype=np.int64))
        )
        den = self.den
        floats = np.fromiter((int(v) / den for v in values), dtype=np.float64, count=len(values))
        self.valf = np.concatenate((self.valf, floats))
        return np.arange(start, self.k, dtype=np.int64)

    def compact(self) -> None:
        """Forget classes no voter is in, once they are most of them."""
        if self.k < 1024:
            return
        used = np.bincount(self.cls, minlength=self.k) > 0
        if used.sum() * 2 > self.k:
            return
        remap = np.cumsum(used) - 1
        self.cls = remap[self.cls]
        self.num = self.num[used]
        self.epoch = self.epoch[used]
        self.valf = self.valf[used]
        self.zero = None if self.zero is None or not used[self.zero] else int(remap[self.zero])


def _groups(
    problem: MESProblem, state: _State, j: int, uni: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Classes (with money left), utilities and head counts of project ``j``'s supporters."""
    lo, hi = problem.indptr[j], problem.indptr[j + 1]
    cls = state.cls[problem.voters[lo:hi]]
    if uni is not None:
        if state.k <= 4 * (hi - lo):
            counts = np.bincount(cls, minlength=state.k)
            ks = np.flatnonzero(counts)
            cnt = counts[ks]
        else:
            ks, cnt = np.unique(cls, return_counts=True)
        us = np.full(len(ks), uni, dtype=np.int64)
    else:
        u = problem.utilities[lo:hi]
        order = np.lexsort((u, cls))
        c_sorted, u_sorted = cls[order], u[order]
        starts = np.flatnonzero(
            np.concatenate(([True], (np.diff(c_sorted) != 0) | (np.diff(u_sorted) != 0)))
        )
        ks, us = c_sorted[starts], u_sorted[starts]
        cnt = np.diff(np.concatenate((starts, [len(order)])))
    keep = state.valf[ks] > 0
    return ks[keep], us[keep], cnt[keep]


def _float_rho(
    c: int, valf: np.ndarray, us: np.ndarray, cnt: np.ndarray
) -> tuple[float, float, float]:
    """(rho, error bound, money held) in floating point; rho is -1 when the supporters
    clearly cannot pay."""
    if len(valf) == 0:
        return -1.0, 0.0, 0.0
    ratio = valf / us
    order = np.argsort(ratio, kind="stable")
    money = (valf * cnt)[order]
    weight = (us * cnt).astype(np.float64)[order]
    held = float(money.sum())
    slack = 8.0 * _EPS * (len(valf) + 8) * (c + held)
    if held < c - slack:
        return -1.0, 0.0, held
    poor = np.concatenate(([0.0], np.cumsum(money)[:-1]))
    rich = np.cumsum(weight[::-1])[::-1]
    rho = (c - poor) / rich
    ok = np.flatnonzero(rho <= ratio[order])
    at = int(ok[0]) if len(ok) else len(rho) - 1
    r = float(max(rho[at], 0.0))
    return r, slack / float(rich[at]) + 4.0 * _EPS * r, held


@attrs.frozen
class _Price:
    """An exact price ``rho = rest / (den × weight)``: the groups ``order[:pos]`` pay
    all they hold, the others ``rho × utility``."""

    rest: int
    weight: int
    pos: int
    order: np.ndarray

    def rho(self, den: int) -> Fraction:
        return Fraction(self.rest, den * self.weight)


def _exact_price(
    c: int, state: _State, ks: np.ndarray, us: np.ndarray, cnt: np.ndarray
) -> _Price | None:
    """The exact price of a project, ``None`` when its supporters cannot pay for it."""
    if len(ks) == 0:
        return None
    nums = state.scaled(ks)
    if int(us.min()) == int(us.max()):
        # floats are correctly rounded, so their order is the exact order except
        # among equal floats, which are put in exact order
        valf = state.valf[ks]
        order = np.argsort(valf, kind="stable")
        sorted_f = valf[order]
        same = np.flatnonzero(sorted_f[1:] == sorted_f[:-1])
        if len(same):
            starts = same[np.concatenate(([True], np.diff(same) > 1))]
            for s in starts:
                e = s + 1
                while e + 1 < len(sorted_f) and sorted_f[e + 1] == sorted_f[s]:
                    e += 1
                run = order[s : e + 1]
                order[s : e + 1] = run[np.argsort(nums[run], kind="stable")]
    else:  # compare num/u as num × (L/u) with L the lcm of the utilities
        lcm = math.lcm(*(int(x) for x in np.unique(us)))
        keys = nums * np.array([lcm // int(x) for x in us], dtype=object)
        order = np.argsort(keys, kind="stable")
    u = us[order].astype(object)
    n = cnt[order].astype(object)
    v = nums[order]
    money = v * n
    weights = u * n
    paid = np.concatenate((np.array([0], dtype=object), np.cumsum(money)[:-1]))
    rich = np.cumsum(weights[::-1])[::-1]
    rest = c * state.den - paid
    fits = np.flatnonzero((rest * u <= v * rich).astype(bool))
    if len(fits) == 0:
        return None
    at = int(fits[0])
    return _Price(int(rest[at]), int(rich[at]), at, order)


def run_mes(
    problem: MESProblem,
    per_voter: Fraction,
    *,
    candidates: Sequence[int],
    on_select: Callable[[int, list[int]], list[int]] | None = None,
) -> MESRun:
    """Run the Method of Equal Shares once.

    Parameters
    ----------
    problem
        The projects and supporters.
    per_voter
        Each voter's starting budget (exact).
    candidates
        Projects that may be bought (positive cost and at least one supporter).
    on_select
        Called with the project just bought and the projects still in play; returns
        those it rules out (incompatible, quota full).
    """
    state = _State(problem.n_voters, per_voter)
    costs = problem.costs
    rank = problem.rank
    uniform = {j: problem.uniform(j) for j in candidates}
    lower: dict[int, float] = {}
    for j in candidates:
        lo, hi = problem.indptr[j], problem.indptr[j + 1]
        total = float(problem.utilities[lo:hi].sum())
        lower[j] = costs[j] / total * (1 - 1e-9) if total > 0 else math.inf
    active = list(candidates)
    selected: list[int] = []
    rounds: list[MESRound] = []
    dropped: dict[int, tuple[int, float]] = {}
    blocked: dict[int, tuple[int, int]] = {}
    while active:
        active.sort(key=lambda j: (lower[j], rank[j]))
        best_hi = math.inf
        screened: dict[int, tuple[float, float]] = {}
        groups: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        gone: list[int] = []
        for j in active:
            if lower[j] > best_hi:
                break  # prices never fall: no later project can beat the best
            ks, us, cnt = _groups(problem, state, j, uniform[j])
            rho, err, held = _float_rho(costs[j], state.valf[ks], us, cnt)
            if rho < 0:
                gone.append(j)
                dropped[j] = (len(rounds), held)
                continue
            lower[j] = max(lower[j], rho - err)
            screened[j] = (rho, err)
            groups[j] = (ks, us, cnt)
            best_hi = min(best_hi, rho + err)
        for j in gone:
            active.remove(j)
        if not screened:
            break
        close = sorted(
            (j for j, (r, e) in screened.items() if r - e <= best_hi), key=lambda j: rank[j]
        )
        priced: dict[int, tuple[Fraction, _Price]] = {}
        for j in close:
            found = _exact_price(costs[j], state, *groups[j])
            if found is None:  # affordable in floating point by a hair; not exactly
                active.remove(j)
                ks, _, cnt = groups[j]
                dropped[j] = (len(rounds), float(np.dot(state.valf[ks], cnt)))
                continue
            rho_exact = found.rho(state.den)
            priced[j] = (rho_exact, found)
            lower[j] = float(rho_exact) * (1 - 4 * _EPS)
        if not priced:
            continue
        best = min(v[0] for v in priced.values())
        tied = sorted((j for j, v in priced.items() if v[0] == best), key=lambda j: rank[j])
        win = tied[0]
        payers, exhausted = _pay(state, problem, win, *groups[win], priced[win][1])
        rounds.append(
            MESRound(
                project=win,
                rho=best,
                payers=payers,
                exhausted=exhausted,
                tied=tuple(tied) if len(tied) > 1 else (),
            )
        )
        selected.append(win)
        active.remove(win)
        if on_select is not None:
            for j in on_select(win, list(active)):
                if j in active:
                    active.remove(j)
                    blocked[j] = (len(rounds), win)
    return MESRun(
        selected=tuple(selected),
        rounds=tuple(rounds),
        dropped=dropped,
        blocked=blocked,
        per_voter=per_voter,
    )


def _pay(
    state: _State,
    problem: MESProblem,
    j: int,
    ks: np.ndarray,
    us: np.ndarray,
    cnt: np.ndarray,
    price: _Price,
) -> tuple[int, int]:
    """Charge project ``j``'s supporters at ``price``; return (payers, exhausted)."""
    g = math.gcd(price.rest, price.weight)
    step, factor = price.rest // g, price.weight // g
    state.rescale(factor)
    values = state.scaled(ks) - us.astype(object) * step
    values[price.order[: price.pos]] = 0
    targets = state.new_classes(values)
    exhausted = int(cnt[(values == 0).astype(bool)].sum())
    lo, hi = problem.indptr[j], problem.indptr[j + 1]
    voters = problem.voters[lo:hi]
    u = problem.utilities[lo:hi]
    cls = state.cls[voters]
    paying = np.flatnonzero(np.isin(cls, ks))
    span = int(u.max()) + 1
    group_keys = ks * span + us
    order = np.argsort(group_keys)
    where = np.searchsorted(group_keys[order], cls[paying] * span + u[paying])
    state.cls[voters[paying]] = targets[order][where]
    state.compact()
    return int(cnt.sum()), exhausted


def payments(problem: MESProblem, run: MESRun) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """What each voter paid in ``run``, round by round, in floating point.

    Each round's supporters pay ``min(money left, rho × utility)``, as MES charges them;
    the result is, per round, the project bought, the voters who paid (a positive
    amount) and the amounts. The rounds' prices are exact, so each project's payments
    add up to its cost up to rounding.
    """
    left = np.full(problem.n_voters, float(run.per_voter), dtype=np.float64)
    out: list[tuple[int, np.ndarray, np.ndarray]] = []
    for rnd in run.rounds:
        lo, hi = int(problem.indptr[rnd.project]), int(problem.indptr[rnd.project + 1])
        voters = problem.voters[lo:hi]
        pay = np.minimum(left[voters], float(rnd.rho) * problem.utilities[lo:hi])
        left[voters] -= pay
        paid = pay > 0
        out.append((rnd.project, voters[paid], pay[paid]))
    return out
