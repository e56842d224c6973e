"""Selection rules: top-k, greedy, knapsack, equal shares, approval greedy (private)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..errors import Problem, ValidationError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ._election import Election, _format_amount, _segment_sums, _whole
from ._knapsack import KnapsackItem, Quotas, best_set
from ._mes import MESProblem, MESRun, run_mes
from ._phragmen import run_phragmen

if TYPE_CHECKING:
    import datetime as dt

    from matplotlib.axes import Axes

    from ..graph import CommunityGraph
    from ..model import Call
    from ._eligibility import Eligibility
    from ._override import Overridden, Override
    from ._scoring import Scores, Votes

__all__ = [
    "COMPLETIONS",
    "RULES",
    "Comparison",
    "Decision",
    "Quota",
    "SelectionResult",
    "Tie",
    "compare",
    "compare_rules",
    "select",
]

#: The selection rules :func:`select` knows.
RULES = ("top_k", "greedy", "knapsack", "equal_shares", "approval_greedy", "phragmen")
#: How the Method of Equal Shares may be completed (``None``: not at all): ``"greedy"``
#: and ``"add1"`` are pabutools' ``completion_by_rule_combination`` (MES, then greedy;
#: with ``voter_budget_increment`` for ``"add1"``), ``"budget_increase"`` is its
#: ``exhaustion_by_budget_increase`` (MES alone, the budget raised step by step).
COMPLETIONS = (None, "greedy", "add1", "budget_increase")
_UTILITIES = ("cost", "approval", "points")
#: Above this many proposals the knapsack rule does not price every left-out proposal.
_KNAPSACK_EXPLAIN_MAX = 40


@attrs.frozen(kw_only=True)
class Quota:
    """A quota over proposals sharing an attribute: at least ``min_count`` and at most
    ``max_count`` of them selected.

    ``key`` is an attribute of the election's groups: ``"theme"``, ``"community"`` (the
    proposers' communities) or ``"segment"`` for calls in the graph, ``"category"`` or
    ``"target"`` for Pabulib files.

    Examples
    --------
    >>> Quota(key="theme", value="elder_culture", min_count=1).label
    'theme=elder_culture'
    """

    key: str
    value: str
    min_count: int = 0
    max_count: int | None = None

    def __attrs_post_init__(self) -> None:
        lo, hi = self.min_count, self.max_count
        if _check_int("min_count", lo):
            raise ValidationError(
                [Problem("min_count", f"must be a whole number >= 0, got {lo!r}")]
            )
        if hi is not None and (_check_int("max_count", hi) or hi < lo):
            raise ValidationError(
                [Problem("max_count", f"must be a whole number >= min_count, got {hi!r}")]
            )

    @property
    def label(self) -> str:
        """``key=value``."""
        return f"{self.key}={self.value}"


@attrs.frozen(kw_only=True)
class Decision:
    """What happened to one proposal, and why."""

    proposal: str
    name: str
    cost: int
    score: float | None
    """The score the rule ranked by (``None`` for equal shares)."""
    support: int
    """Votes: approvals, points or Borda points."""
    selected: bool
    order: int | None
    """Position in the order of selection (1 = first), ``None`` if not selected."""
    phase: str
    """``"ineligible"``, ``"threshold"``, ``"quota"``, ``"main"``, ``"free"``,
    ``"completion"``, ``"rejected"`` or ``"override"`` (a selection meeting's change,
    see :meth:`SelectionResult.override`)."""
    reason: str
    tied_with: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Tie:
    """A tie that decided something: proposals the rule could not tell apart."""

    where: str
    """Where it happened: ``"rank 3"``, ``"round 2"``, ``"optimum"``."""
    proposals: tuple[str, ...]
    winners: tuple[str, ...]
    value: str
    """The tied value, for people to read."""
    rule: str
    """How it was broken."""


@attrs.frozen(kw_only=True)
class SelectionResult:
    """The outcome of a selection rule, with the reason for every proposal.

    Examples
    --------
    >>> e = Election(projects=["a", "b", "c"], costs=[60, 50, 40], budget=100,
    ...              scores={"a": 0.9, "b": 0.8, "c": 0.5}, unit="yuan")
    >>> r = select(e, rule="greedy")
    >>> r.selected, r.spent
    (('a', 'c'), 100)
    >>> print(r.explain("b"))
    ran out of budget: costs 50 yuan, but only 40 yuan remained after 'a'
    """

    rule: str
    budget: int
    spent: int
    selected: tuple[str, ...]
    decisions: tuple[Decision, ...] = attrs.field(repr=False)
    ties: tuple[Tie, ...] = attrs.field(repr=False)
    unit: str
    call: str | None
    options: Mapping[str, Any]
    rounds: tuple[Mapping[str, Any], ...] = attrs.field(default=(), repr=False)
    """For equal shares and Phragmén: one row per round (project, price or load …)."""
    note: str = ""
    dropped_after: Mapping[str, int] = attrs.field(factory=dict, repr=False)
    """Unselected proposal → how many proposals were selected when it dropped out (the
    round, for equal shares and Phragmén)."""
    election: Election | None = attrs.field(default=None, repr=False, eq=False)
    """The election the rule ran on (for audits and "why not funded")."""
    inputs: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    """The options :func:`select` was given, to run the rule again on a changed
    election."""
    overrides: tuple[Override, ...] = attrs.field(default=(), repr=False)
    """The selection meeting's changes this outcome carries (see :meth:`override`);
    empty for a rule's own outcome."""

    def __repr__(self) -> str:
        money = _format_amount
        return (
            f"SelectionResult(rule={self.rule!r}, call={self.call!r}, "
            f"proposals={len(self.decisions)}, selected={len(self.selected)} "
            f"{preview(self.selected)}, spent={money(self.spent, self.unit)!r}, "
            f"budget={money(self.budget, self.unit)!r}, ties={len(self.ties)})"
        )

    def _repr_html_(self) -> str:
        money = _format_amount
        chosen = sorted(
            (d for d in self.decisions if d.order is not None), key=lambda d: d.order or 0
        )
        rows = [(d.order, d.proposal, d.name, money(d.cost, self.unit)) for d in chosen[:SHOWN]]
        caption = (
            f"SelectionResult ({self.rule}): {len(self.selected)} of {len(self.decisions)} "
            f"selected, {money(self.spent, self.unit)} of {money(self.budget, self.unit)}"
        )
        return html_table(caption, ("order", "proposal", "name", "cost"), rows)

    @property
    def remaining(self) -> int:
        """Budget left over."""
        return self.budget - self.spent

    def decision(self, proposal: str) -> Decision:
        """The decision on one proposal."""
        for d in self.decisions:
            if d.proposal == proposal:
                return d
        raise KeyError(proposal)

    def explain(self, proposal: str) -> str:
        """Why a proposal was (not) selected."""
        return self.decision(proposal).reason

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per proposal: cost, score, votes, selected, order, phase, reason."""
        return [
            {
                "proposal": d.proposal,
                "name": d.name,
                "cost": d.cost,
                "score": None if d.score is None else round(d.score, 6),
                "support": d.support,
                "selected": d.selected,
                "order": d.order,
                "phase": d.phase,
                "reason": d.reason,
            }
            for d in self.decisions
        ]

    def __str__(self) -> str:
        money = _format_amount
        head = (
            f"{self.rule}: {len(self.selected)} selected, spent "
            f"{money(self.spent, self.unit)} of {money(self.budget, self.unit)}"
        )
        lines = [head] + ([f"  {self.note}"] if self.note else [])
        for d in self.decisions:
            mark = f"{d.order:>2}." if d.order is not None else "  -"
            lines.append(f"  {mark} {d.proposal} ({money(d.cost, self.unit)}): {d.reason}")
        return "\n".join(lines)

    def plot(
        self, ax: Axes | None = None, *, lang: str = "en", names: Mapping[str, str] | None = None
    ) -> Axes:
        """Each proposal's cost as a bar, selected ones coloured, with the budget (see
        :func:`vchuang.plot.plot_selection`)."""
        out: Axes = plot(self, ax=ax, lang=lang, names=names)
        return out

    def override(
        self,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        *,
        reason: str,
        author: str,
        as_of: dt.date,
        over_budget: str | None = None,
        utility: str = "cost",
    ) -> Overridden:
        """A selection meeting's change to this outcome: add, remove or swap ideas, with
        the reason, the author and the date (see :func:`overridden`).

        ``over_budget`` is the meeting's reason for spending more than the budget;
        without it such a change is refused. Returns an :class:`Overridden` holding
        this outcome, the final one and the audit of both.

        Examples
        --------
        >>> import datetime as dt
        >>> e = Election(projects=["a", "b", "c"], costs=[60, 50, 40], budget=100,
        ...              scores={"a": 0.9, "b": 0.8, "c": 0.5}, unit="yuan")
        >>> o = select(e, rule="greedy").override(
        ...     add=["b"], remove=["c"], reason="b is ready to start", author="panel",
        ...     as_of=dt.date(2024, 5, 8), over_budget="the street adds 10 yuan")
        >>> o.final.selected, o.final.spent
        (('a', 'b'), 110)
        """
        from ._override import _override_method

        return _override_method(
            self,
            add,
            remove,
            reason=reason,
            author=author,
            as_of=as_of,
            over_budget=over_budget,
            utility=utility,
        )


@attrs.frozen(kw_only=True)
class Comparison:
    """Several rules run on the same election; see :func:`compare_rules`."""

    results: Mapping[str, SelectionResult]
    proposals: tuple[str, ...]
    names: Mapping[str, str]
    summary: tuple[Mapping[str, Any], ...]
    """Per rule: how many selected, money spent, total score and votes, and the share
    of voters with at least one proposal they backed selected."""

    def __repr__(self) -> str:
        picked = ", ".join(f"{rule}: {len(r.selected)}" for rule, r in self.results.items())
        return (
            f"Comparison(rules={len(self.results)}, proposals={len(self.proposals)}, "
            f"selected={{{picked}}})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (row["rule"], row["selected"], row["spent"], row["voters_represented"])
            for row in self.summary
        ]
        caption = f"Comparison: {len(self.results)} rules on {len(self.proposals)} proposals"
        return html_table(caption, ("rule", "selected", "spent", "voters represented"), rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per proposal: which rules select it."""
        rows = []
        for p in self.proposals:
            row: dict[str, Any] = {"proposal": p, "name": self.names[p]}
            for label, res in self.results.items():
                row[label] = p in res.selected
            rows.append(row)
        return rows

    def plot(
        self, ax: Axes | None = None, *, lang: str = "en", names: Mapping[str, str] | None = None
    ) -> Axes:
        """A proposals × rules grid, a dot where a rule selects the proposal (see
        :func:`vchuang.plot.plot_comparison`)."""
        out: Axes = plot(self, ax=ax, lang=lang, names=names)
        return out


# --------------------------------------------------------------------------- helpers


def _num(value: Fraction | float) -> str:
    if isinstance(value, Fraction):
        if value.denominator == 1:
            return str(value.numerator)
        value = float(value)
    if math.isinf(value):
        return "unlimited" if value > 0 else "-unlimited"
    return f"{value:.4g}"


class _Constraints:
    """Incompatible sets and quotas, over election positions."""

    def __init__(
        self, election: Election, incompatible: Iterable[Iterable[str]], quotas: Iterable[Quota]
    ) -> None:
        self.election = election
        self.sets: list[tuple[int, ...]] = []
        problems = []
        for i, group in enumerate(incompatible):
            members = list(group)
            if isinstance(group, str) or len(members) < 2:
                problems.append(Problem(f"incompatible[{i}]", "give a set of 2 or more IDs"))
                continue
            unknown = [p for p in members if p not in election.projects]
            if unknown:
                problems.append(Problem(f"incompatible[{i}]", f"unknown proposal {unknown[0]!r}"))
                continue
            self.sets.append(tuple(sorted({election.position(p) for p in members})))
        self.quotas = tuple(quotas)
        self.members: list[frozenset[int]] = []
        for q in self.quotas:
            if not isinstance(q, Quota):
                problems.append(Problem("quotas", f"must hold Quota records, got {q!r}"))  # type: ignore[unreachable]
                continue
            self.members.append(
                frozenset(
                    j
                    for j, p in enumerate(election.projects)
                    if q.value in election.group(p, q.key)
                )
            )
        if problems:
            raise ValidationError(problems)

    def blocked(self, j: int, chosen: Sequence[int]) -> str | None:
        """Why ``j`` cannot join ``chosen``, or ``None``."""
        pid = self.election.projects
        taken = set(chosen)
        for s in self.sets:
            if j in s:
                clash = [x for x in s if x in taken and x != j]
                if clash:
                    return (
                        f"incompatible with {pid[clash[0]]!r}, selected earlier "
                        f"(at most one of {', '.join(pid[x] for x in s)})"
                    )
        for q, members in zip(self.quotas, self.members, strict=True):
            if (
                j in members
                and q.max_count is not None
                and sum(1 for x in members if x in taken) >= q.max_count
            ):
                return f"quota {q.label} is full (at most {q.max_count})"
        return None

    def unmet(self, chosen: Sequence[int]) -> list[Quota]:
        """Quotas whose minimum ``chosen`` does not meet."""
        taken = set(chosen)
        return [
            q
            for q, m in zip(self.quotas, self.members, strict=True)
            if len(m & taken) < q.min_count
        ]

    def knapsack(self, pos: Mapping[int, int]) -> Quotas:
        """The constraints over knapsack item positions (``pos``: election → item)."""
        conflicts = tuple(frozenset(pos[x] for x in s if x in pos) for s in self.sets)
        groups = tuple(
            (frozenset(pos[x] for x in m if x in pos), q.min_count, q.max_count)
            for q, m in zip(self.quotas, self.members, strict=True)
        )
        return Quotas(conflicts=tuple(c for c in conflicts if len(c) > 1), groups=groups)


@attrs.define
class _Outcome:
    """What a rule did, before it becomes a result."""

    order: list[int] = attrs.field(factory=list)
    reasons: dict[int, str] = attrs.field(factory=dict)
    phases: dict[int, str] = attrs.field(factory=dict)
    ties: list[Tie] = attrs.field(factory=list)
    tied_with: dict[int, tuple[int, ...]] = attrs.field(factory=dict)
    rounds: list[dict[str, Any]] = attrs.field(factory=list)
    dropped: dict[int, int] = attrs.field(factory=dict)
    """Unselected proposal → how many proposals were selected when it dropped out."""
    note: str = ""


# --------------------------------------------------------------------------- greedy family


def _greedy(
    election: Election,
    pool: list[int],
    value: Mapping[int, Fraction | float],
    budget: int,
    cons: _Constraints,
    *,
    k: int | None,
    metric: str,
    out: _Outcome,
    start: Sequence[int] = (),
    phase: str = "main",
) -> None:
    """Walk the pool from the highest value down (ties: lower ID first), taking each
    proposal that fits the budget and the constraints; minimum quotas first."""
    pid = election.projects
    cost = election.costs
    money = _money(election)
    ranked = sorted(pool, key=lambda j: (-value[j], pid[j]))
    rank_of = {j: r + 1 for r, j in enumerate(ranked)}
    chosen = list(start)
    spent = sum(cost[j] for j in chosen)
    taken_here: set[int] = set()
    before: dict[int, tuple[int, int]] = {}  # (money left, how many chosen) at each look

    def take(j: int, why: str, ph: str) -> None:
        nonlocal spent
        chosen.append(j)
        taken_here.add(j)
        spent += cost[j]
        out.order.append(j)
        out.phases[j] = ph
        out.reasons[j] = why

    if phase == "main":
        for q, members in zip(cons.quotas, cons.members, strict=True):
            count = sum(1 for x in chosen if x in members)
            for j in ranked:
                if count >= q.min_count or (k is not None and len(chosen) >= k):
                    break
                if (
                    j in members
                    and j not in chosen
                    and cons.blocked(j, chosen) is None
                    and cost[j] <= budget - spent
                ):
                    take(
                        j,
                        f"selected to meet quota {q.label} (at least {q.min_count}): "
                        f"rank {rank_of[j]}, {metric} {_num(value[j])}",
                        "quota",
                    )
                    count += 1
    last: int | None = chosen[-1] if chosen else None
    for j in ranked:
        if j in chosen:
            continue
        left = budget - spent
        before[j] = (left, len(chosen))
        out.dropped.setdefault(j, len(chosen))
        if k is not None and len(chosen) >= k:
            out.reasons[j] = f"not in the top {k}: rank {rank_of[j]}, {metric} {_num(value[j])}"
            continue
        why = cons.blocked(j, chosen)
        if why is not None:
            out.reasons[j] = why
        elif cost[j] > left:
            out.reasons[j] = (
                f"costs {money(cost[j])}, more than the whole budget {money(budget)}"
                if cost[j] > budget
                else f"ran out of budget: costs {money(cost[j])}, but only {money(left)} remained"
                + (f" after {pid[last]!r}" if last is not None else "")
            )
        else:
            label = "selected" if phase == "main" else "added by the greedy completion"
            take(
                j,
                f"{label}: rank {rank_of[j]}, {metric} {_num(value[j])}; "
                f"{money(left - cost[j])} left after it",
                phase,
            )
            last = j
    # ties that decided something: a tied proposal that would have been taken, had it
    # come first among its equals, lost its place to one that did
    groups: dict[Fraction | float, list[int]] = {}
    for j in ranked:
        if j in before:
            groups.setdefault(value[j], []).append(j)
    for v, tied in groups.items():
        won = [j for j in tied if j in taken_here]
        if len(tied) < 2 or not won:
            continue
        room, count = before[tied[0]]
        prefix = chosen[:count]
        lost = [
            j
            for j in tied
            if j not in taken_here
            and cost[j] <= room
            and (k is None or count < k)
            and cons.blocked(j, prefix) is None
        ]
        if not lost:
            continue
        out.ties.append(
            Tie(
                where=f"rank {rank_of[tied[0]]}",
                proposals=tuple(pid[j] for j in tied),
                winners=tuple(pid[j] for j in won),
                value=f"{metric} {_num(v)}",
                rule="the lower ID wins",
            )
        )
        for j in lost:
            out.reasons[j] = (
                f"lost the tie to {', '.join(repr(pid[w]) for w in won)} (equal "
                f"{metric} {_num(v)}; ties go to the lower ID): " + out.reasons[j]
            )
            out.tied_with[j] = tuple(won)
        for w in won:
            out.tied_with[w] = tuple(j for j in lost)


def _money(election: Election) -> Callable[[int | float | Fraction], str]:
    unit = election.unit
    return lambda amount: _format_amount(amount, unit)


# --------------------------------------------------------------------------- knapsack


def _knapsack(
    election: Election,
    pool: list[int],
    value: Mapping[int, Fraction | float],
    budget: int,
    cons: _Constraints,
    out: _Outcome,
    metric: str,
) -> None:
    pid = election.projects
    cost = election.costs
    money = _money(election)
    items_order = sorted(pool, key=lambda j: pid[j])
    exact = [Fraction(value[j]) for j in items_order]
    scale = math.lcm(*(v.denominator for v in exact)) if exact else 1
    items = [
        KnapsackItem(value=int(v * scale), cost=cost[j])
        for v, j in zip(exact, items_order, strict=True)
    ]
    pos = {j: i for i, j in enumerate(items_order)}
    quotas = cons.knapsack(pos)
    best = best_set(items, budget, quotas=quotas)
    if best is None:
        raise ValidationError(
            [
                Problem(
                    "quotas",
                    "no set of proposals within the budget meets every quota",
                    "lower a minimum or raise the budget",
                )
            ]
        )
    total, spent, chosen = best
    chosen_j = [items_order[i] for i in chosen]
    total_v = Fraction(total, scale)
    ranked = sorted(chosen_j, key=lambda j: (-value[j], pid[j]))
    for j in ranked:
        out.order.append(j)
        out.phases[j] = "main"
        out.reasons[j] = (
            f"in the best set within {money(budget)}: total {metric} "
            f"{_num(total_v)}; its own {metric} {_num(value[j])}"
        )
    explain_all = len(items) <= _KNAPSACK_EXPLAIN_MAX
    tied_sets: list[int] = []
    for j in items_order:
        if j in chosen_j:
            continue
        if cost[j] > budget:
            out.reasons[j] = f"costs {money(cost[j])}, more than the whole budget {money(budget)}"
            continue
        if not explain_all:
            out.reasons[j] = f"left out of the best set (total {metric} {_num(total_v)})"
            continue
        forced = best_set(items, budget, quotas=quotas, forced=pos[j])
        if forced is None:
            out.reasons[j] = (
                "no set within the budget includes it and meets every rule "
                "(incompatible proposals, quotas)"
            )
        elif forced[0] < total:
            out.reasons[j] = (
                f"left out: the best set that includes it totals {metric} "
                f"{_num(Fraction(forced[0], scale))}, less than the optimum "
                f"{_num(total_v)}"
            )
        else:
            cheaper = forced[1] > spent
            out.reasons[j] = (
                f"lost the tie: an equally good set ({metric} {_num(total_v)}) includes it, "
                + (
                    "but costs more (ties go to the cheaper set)"
                    if cheaper
                    else "but ties go to the set holding the lower-ID proposal"
                )
            )
            tied_sets.append(j)
    if tied_sets:
        out.ties.append(
            Tie(
                where="optimum",
                proposals=tuple(pid[j] for j in tied_sets),
                winners=tuple(pid[j] for j in ranked),
                value=f"total {metric} {_num(total_v)}",
                rule="the cheaper set, then the set holding the lower-ID proposal",
            )
        )
        for j in tied_sets:
            out.tied_with[j] = tuple(ranked)


# --------------------------------------------------------------------------- equal shares


def _utilities(election: Election, utility: str) -> np.ndarray:
    indptr, _, vals = election._matrix()
    if utility == "approval":
        return np.ones_like(vals)
    if utility == "cost":
        return np.repeat(np.asarray(election.costs, dtype=np.int64), np.diff(indptr))
    return vals


def _equal_shares(
    election: Election,
    pool: list[int],
    budget: int,
    cons: _Constraints,
    out: _Outcome,
    *,
    utility: str,
    completion: str | None,
    increment: int | None,
) -> dict[str, Any]:
    pid = election.projects
    cost = election.costs
    money = _money(election)
    n = election.n_voters
    if n == 0:
        raise ValidationError(
            [
                Problem(
                    "ballots",
                    "equal shares needs residents' ballots",
                    "give votes, or use greedy / knapsack on scores",
                )
            ]
        )
    if any(q.min_count for q in cons.quotas):
        raise ValidationError(
            [
                Problem(
                    "quotas",
                    "equal shares does not support minimum quotas",
                    "use greedy or knapsack, or run equal shares per group",
                )
            ]
        )
    indptr, voters, _ = election._matrix()
    utils = _utilities(election, utility)
    in_pool = np.zeros(len(pid), dtype=bool)
    in_pool[pool] = True
    keep = np.repeat(in_pool, np.diff(indptr)) & (utils > 0)
    counts = _segment_sums(keep.astype(np.int64), indptr)
    new_ptr = np.zeros(len(pid) + 1, dtype=np.int64)
    np.cumsum(counts, out=new_ptr[1:])
    rank_list = sorted(range(len(pid)), key=lambda j: pid[j])
    rank = [0] * len(pid)
    for r, j in enumerate(rank_list):
        rank[j] = r
    problem = MESProblem(
        costs=cost,
        n_voters=n,
        indptr=new_ptr,
        voters=voters[keep],
        utilities=utils[keep].astype(np.int64),
        rank=rank,
    )
    supported = [j for j in pool if new_ptr[j + 1] > new_ptr[j]]
    free = sorted((j for j in supported if cost[j] == 0), key=lambda j: pid[j])
    candidates = [j for j in supported if cost[j] > 0]
    chosen_free: list[int] = []
    for j in free:
        why = cons.blocked(j, chosen_free)
        if why is None:
            chosen_free.append(j)
    base = Fraction(budget, n)
    step: int | Fraction = (
        increment if increment is not None else max(1, math.ceil(budget / n / 100))
    )

    def run(per_voter: Fraction) -> MESRun:
        chosen = list(chosen_free)

        def hook(win: int, active: list[int]) -> list[int]:
            chosen.append(win)
            return [j for j in active if cons.blocked(j, chosen) is not None]

        live = [j for j in candidates if cons.blocked(j, chosen_free) is None]
        return run_mes(problem, per_voter, candidates=live, on_select=hook)

    def spent_of(r: MESRun) -> int:
        return sum(cost[j] for j in (*chosen_free, *r.selected))

    result = run(base)
    steps = 0
    if completion == "budget_increase":
        budget_step = Fraction(increment) if increment is not None else Fraction(budget, 100)
        step = budget_step
        raised = Fraction(budget)
        previous = None
        while budget_step > 0 and raised <= budget * (n + 1):
            trial = result if previous is None else run(raised / n)
            if spent_of(trial) > budget:
                result = previous if previous is not None else run(Fraction(0))
                break
            result = trial
            if _exhaustive([*chosen_free, *trial.selected], candidates, budget, cost, cons):
                break
            previous = trial
            raised += budget_step
            steps += 1
    if completion == "add1":
        previous = result
        per_voter = base
        while not _exhaustive([*chosen_free, *result.selected], candidates, budget, cost, cons):
            per_voter += step
            trial = run(per_voter)
            if spent_of(trial) > budget:
                result = previous
                break
            previous = result = trial
            steps += 1
    final_share = result.per_voter
    rounds_of = {r.project: (i + 1, r) for i, r in enumerate(result.rounds)}
    for j in chosen_free:
        out.order.append(j)
        out.phases[j] = "free"
        out.reasons[j] = (
            f"costs nothing and {int(new_ptr[j + 1] - new_ptr[j])} voter(s) back it: taken first"
        )
    uniform = {j: problem.uniform(j) for j in candidates}
    for j in result.selected:
        r_no, rnd = rounds_of[j]
        u = uniform[j]
        if u is not None:
            price = f"each paid at most {money(rnd.rho * u)}"
        else:
            price = f"price {_num(rnd.rho)} per point of utility"
        exhausted = (
            (f"; {rnd.exhausted} {'was' if rnd.exhausted == 1 else 'were'} left with nothing")
            if rnd.exhausted
            else ""
        )
        out.order.append(j)
        out.phases[j] = "main"
        out.reasons[j] = (
            f"bought in round {r_no} of equal shares: {rnd.payers} supporters "
            f"shared its cost, {price}{exhausted}"
        )
        out.rounds.append(
            {
                "round": r_no,
                "proposal": pid[j],
                "cost": cost[j],
                "rho": float(rnd.rho),
                "payers": rnd.payers,
                "exhausted": rnd.exhausted,
                "tied": tuple(pid[t] for t in rnd.tied),
            }
        )
        if rnd.tied:
            losers = rnd.tied[1:]
            out.ties.append(
                Tie(
                    where=f"round {r_no}",
                    proposals=tuple(pid[t] for t in rnd.tied),
                    winners=(pid[j],),
                    value=f"price per unit of utility {_num(rnd.rho)}",
                    rule="the lower ID wins",
                )
            )
            out.tied_with[j] = tuple(losers)
            for t in losers:
                out.tied_with.setdefault(t, (j,))
    for j in pool:
        if j in out.reasons:
            continue
        if j in result.dropped:
            r_no, held = result.dropped[j]
            out.dropped[j] = len(chosen_free) + r_no
            after = f"after round {r_no}" if r_no else "from the start"
            out.reasons[j] = (
                f"its supporters held only {money(Fraction(held))} {after}, "
                f"less than its cost {money(cost[j])}"
            )
        elif j in result.blocked:
            r_no, by = result.blocked[j]
            out.dropped[j] = len(chosen_free) + r_no
            taken_then = [*chosen_free, *result.selected[:r_no]]
            out.reasons[j] = f"ruled out in round {r_no}: " + (
                cons.blocked(j, taken_then) or f"by {pid[by]!r}"
            )
        elif j in free and j not in chosen_free:
            out.reasons[j] = cons.blocked(j, chosen_free) or "not taken"
        elif j in candidates:
            why = cons.blocked(j, chosen_free)
            out.reasons[j] = why if why is not None else "not bought"
        elif cost[j] == 0 and indptr[j + 1] > indptr[j]:
            out.reasons[j] = (
                "costs nothing, so with cost utilities it gains its supporters "
                "nothing: equal shares does not buy it"
            )
        else:
            out.reasons[j] = "no voter backed it"
    for j in pool:
        if j in out.tied_with and j not in out.order:
            winner = out.tied_with[j][0]
            r_no = rounds_of[winner][0] if winner in rounds_of else 0
            out.reasons[j] = (
                f"lost the tie in round {r_no} to {pid[winner]!r}; then " + out.reasons[j]
            )
    note = ""
    if completion == "add1" and final_share != base:
        note = (
            f"add1 completion: each voter's share raised from {money(base)} to "
            f"{money(final_share)} in {steps} step(s) of {money(step)}"
        )
    if completion == "budget_increase" and final_share != base:
        note = (
            f"budget_increase completion: the budget MES shares out raised from "
            f"{money(budget)} to {money(final_share * n)} in {steps} step(s) of {money(step)}"
        )
    if completion in ("greedy", "add1"):
        taken = list(out.order)
        if not _exhaustive(taken, pool, budget, cost, cons):
            gain = {j: Fraction(int(utils[indptr[j] : indptr[j + 1]].sum())) for j in pool}
            if utility == "cost":  # gain per unit of money is the number of supporters
                density: dict[int, Fraction | float] = {
                    j: gain[j] / cost[j] if cost[j] > 0 else Fraction(0) for j in pool
                }
                metric = "votes"
            else:
                density, metric = _per_money(
                    gain, cost, election.unit, "votes" if utility == "approval" else "points"
                )
            before = dict(out.reasons)
            rest = [j for j in pool if j not in taken]
            _greedy(
                election,
                rest,
                density,
                budget,
                cons,
                k=None,
                metric=metric,
                out=out,
                start=taken,
                phase="completion",
            )
            for j in rest:
                if j not in out.order:
                    out.reasons[j] = (
                        before[j] + "; the greedy completion did not add it: " + out.reasons[j]
                    )
    out.note = note
    return {
        "utility": utility,
        "completion": completion,
        "increment": step if isinstance(step, int) else float(step),
        "per_voter_start": float(base),
        "per_voter_final": float(final_share),
        "add1_steps": steps,
        "budget_final": float(final_share * n),
    }


# --------------------------------------------------------------------------- Phragmén


def _phragmen(
    election: Election,
    pool: list[int],
    budget: int,
    cons: _Constraints,
    out: _Outcome,
) -> dict[str, Any]:
    pid = election.projects
    cost = election.costs
    money = _money(election)
    if election.vote_type != "approval":
        raise ValidationError(
            [
                Problem(
                    "rule",
                    f"sequential Phragmén needs approval ballots, not {election.vote_type}",
                    "use equal_shares or approval_greedy",
                )
            ]
        )
    if any(q.min_count for q in cons.quotas):
        raise ValidationError(
            [
                Problem(
                    "quotas",
                    "sequential Phragmén does not support minimum quotas",
                    "use greedy or knapsack, or run the rule per group",
                )
            ]
        )
    indptr, voters, _ = election._matrix()
    rank_list = sorted(range(len(pid)), key=lambda j: pid[j])
    rank = [0] * len(pid)
    for r, j in enumerate(rank_list):
        rank[j] = r
    for j in pool:
        if cost[j] > budget:
            out.reasons[j] = f"costs {money(cost[j])}, more than the whole budget {money(budget)}"
    candidates = [j for j in pool if cost[j] <= budget and cons.blocked(j, []) is None]
    for j in pool:
        if j not in candidates and j not in out.reasons:
            out.reasons[j] = cons.blocked(j, []) or "not taken"
    chosen: list[int] = []

    def hook(win: int, active: list[int]) -> list[int]:
        chosen.append(win)
        return [j for j in active if cons.blocked(j, chosen) is not None]

    run = run_phragmen(
        costs=cost,
        indptr=indptr,
        voters=voters,
        n_voters=election.n_voters,
        candidates=candidates,
        rank=rank,
        budget=budget,
        on_select=hook,
    )
    spent = 0
    for r_no, rnd in enumerate(run.rounds, start=1):
        j = rnd.project
        spent += cost[j]
        out.order.append(j)
        out.phases[j] = "main"
        if rnd.supporters:
            out.reasons[j] = (
                f"bought in round {r_no} of sequential Phragmén: its {rnd.supporters} "
                f"supporters shared its cost, each ending with a load of {money(rnd.load)}"
            )
        else:
            out.reasons[j] = (
                f"taken in round {r_no}: no voter backed it, and sequential Phragmén "
                "takes such proposals last while they fit (pass min_votes=1 to leave "
                "them out)"
            )
        out.rounds.append(
            {
                "round": r_no,
                "proposal": pid[j],
                "cost": cost[j],
                "load": float(rnd.load),
                "supporters": rnd.supporters,
                "spent": spent,
                "tied": tuple(pid[t] for t in rnd.tied),
            }
        )
    unfunded = set(run.loads)
    for r_no, rnd in enumerate(run.rounds, start=1):
        losers = [t for t in rnd.tied[1:] if t in unfunded or t in run.blocked]
        if losers:
            out.ties.append(
                Tie(
                    where=f"round {r_no}",
                    proposals=tuple(pid[t] for t in rnd.tied),
                    winners=(pid[rnd.project],),
                    value=f"load {_num(rnd.load)}",
                    rule="the lower ID wins",
                )
            )
            out.tied_with[rnd.project] = tuple(losers)
            for t in losers:  # the last tie it lost is the one that decided
                out.tied_with[t] = (rnd.project,)
    for j, (r_no, by) in run.blocked.items():
        out.dropped[j] = r_no
        out.reasons[j] = f"ruled out in round {r_no}: " + (
            cons.blocked(j, list(run.selected[:r_no])) or f"by {pid[by]!r}"
        )
    if run.stopped is not None:
        r_no, stop, stop_load = run.stopped
        left = budget - spent
        for j, load in run.loads.items():
            out.dropped[j] = r_no
            own = "no voter backed it" if math.isinf(load) else f"its load {money(load)}"
            if j == stop:
                out.reasons[j] = (
                    f"next in line after round {r_no} ({own}), but it costs "
                    f"{money(cost[j])}, more than the {money(left)} left: the rule stops here"
                )
            else:
                out.reasons[j] = (
                    f"not reached: the rule stopped after round {r_no}, when {pid[stop]!r} "
                    f"(load {money(stop_load) if not math.isinf(stop_load) else 'unbounded'}) "
                    f"no longer fitted the budget; {own}"
                )
    for j in pool:
        if j not in out.reasons:
            out.reasons[j] = "not taken"
    for j in pool:
        if j in out.tied_with and j not in out.order:
            winner = out.tied_with[j][0]
            r_no = out.order.index(winner) + 1
            out.reasons[j] = (
                f"lost the tie in round {r_no} to {pid[winner]!r}; then " + out.reasons[j]
            )
    return {"rounds": len(run.rounds)}


def _per_money(
    value: Mapping[int, Fraction],
    cost: Sequence[int],
    unit: str,
    what: str,
) -> tuple[dict[int, Fraction | float], str]:
    """``value / cost`` per yuan (for fen) or per unit, and its label: a cost of 0 gives
    infinity for a positive value, 0 for 0 and minus infinity for a negative one."""
    scale = 100 if unit == "fen" else 1
    out: dict[int, Fraction | float] = {}
    for j, v in value.items():
        if cost[j] > 0:
            out[j] = v * scale / cost[j]
        else:
            out[j] = math.inf if v > 0 else (-math.inf if v < 0 else Fraction(0))
    return out, f"{what} per {'yuan' if unit == 'fen' else unit}"


def _exhaustive(
    taken: Sequence[int], pool: Sequence[int], budget: int, cost: Sequence[int], cons: _Constraints
) -> bool:
    """Whether no proposal of ``pool`` could still be added."""
    left = budget - sum(cost[j] for j in taken)
    return not any(
        j not in taken and cost[j] <= left and cons.blocked(j, taken) is None for j in pool
    )


# --------------------------------------------------------------------------- select


def _check_int(name: str, value: object, low: int = 0) -> list[Problem]:
    if _whole(value, low):
        return []
    return [Problem(name, f"must be a whole number >= {low}, got {value!r}")]


def select(
    source: Election | CommunityGraph,
    call: str | Call | None = None,
    *,
    rule: str = "greedy",
    budget: int | None = None,
    scores: Scores | Mapping[str, float] | None = None,
    votes: Votes | None = None,
    eligibility: Eligibility | None = None,
    k: int | None = None,
    key: str = "score",
    utility: str | None = None,
    completion: str | None = "add1",
    increment: int | None = None,
    min_votes: int = 0,
    incompatible: Iterable[Iterable[str]] = (),
    quotas: Iterable[Quota] = (),
) -> SelectionResult:
    """Choose which golden ideas (proposals) to fund, and say why for each.

    Parameters
    ----------
    source
        An :class:`Election` (e.g. from a Pabulib file), or the community graph with
        ``call``.
    call
        The call's ID (or record), when ``source`` is a graph.
    rule
        One of :data:`RULES`:

        ``"top_k"``
            The ``k`` highest scores, in score order, skipping any that no longer fit
            the budget (pass a large ``budget`` to ignore money).
        ``"greedy"``
            Highest score first (``key="score"``) or highest score per unit of money
            (``key="density"``), taking each proposal that still fits the budget.
        ``"knapsack"``
            The set of proposals with the largest total score within the budget, found
            exactly (integer dynamic programming).
        ``"equal_shares"``
            The Method of Equal Shares (MES) on residents' ballots, then completed (see
            ``completion``).
        ``"approval_greedy"``
            Most votes first (approvals, points or Borda points), taking each proposal
            that still fits: the rule most participatory budgets use.
        ``"phragmen"``
            Sequential Phragmén (approval ballots): each round buys the proposal whose
            supporters end with the lowest load; it stops at the first one that no
            longer fits (pabutools' ``sequential_phragmen``).
    budget
        The money to share out (default: the call's or the election's budget).
    scores
        Scores for ``top_k``, ``greedy`` and ``knapsack``: a :class:`Scores` result (its
        combined score) or a mapping proposal → score. Without scores these rules use
        the votes.
    votes
        Residents' :class:`Votes` (graph source only; an election carries its ballots).
    eligibility
        An :class:`Eligibility` (graph source only): ineligible proposals are left out,
        with the eligibility reason.
    k
        How many proposals ``top_k`` takes.
    key
        ``"score"`` or ``"density"`` (score per unit of money), for ``greedy``.
    utility
        For equal shares, what a voter gains from a selected proposal they backed:
        ``"cost"`` (its cost, the default for approval ballots, as on
        equalshares.net), ``"approval"`` (1 per backed proposal) or ``"points"`` (their
        points or Borda points; the default for other ballots).
    completion
        For equal shares: ``"add1"`` (default) raises every voter's share step by step
        while the outcome stays within the budget and is not exhaustive, then fills the
        rest greedily by utility per unit of money; ``"greedy"`` only fills greedily;
        ``None`` leaves the MES outcome as it is; ``"budget_increase"`` raises the
        budget MES shares out by ``increment`` (default 1 % of the budget) while the
        outcome fits and is not exhaustive, with no greedy pass. See
        :data:`COMPLETIONS` for the pabutools names.
    increment
        The ``add1`` step, per voter, in money units (default: 1 % of a voter's initial
        share, rounded up; pabutools and equalshares.net use 1 unit).
    min_votes
        Proposals with fewer votes (approvals, points or Borda points) are left out.
    incompatible
        Sets of proposal IDs of which at most one may be selected.
    quotas
        :class:`Quota` records: at least / at most so many proposals of a theme,
        community … (equal shares supports maximum quotas only).

    Returns
    -------
    SelectionResult
        The selected proposals in order, what they cost, a :class:`Decision` with the
        reason for every proposal ("ran out of budget at …", "lost the tie to …"), and
        the ties that decided something.

    Raises
    ------
    ValidationError
        An unknown rule or option, ``top_k`` without ``k``, equal shares without
        ballots, quotas no set can meet …

    See Also
    --------
    compare_rules : several rules on the same election, side by side.
    score : the judges' and residents' scores that can feed the election.
    check_eligibility : which proposals may stand at all, with reasons.
    apply_selection : make the selected proposals projects of the graph.
    vchuang.selection.SelectionResult.plot : each proposal's cost, the selected ones coloured.

    Notes
    -----
    **Ties** are broken by proposal ID (the lower ID, in Python string order, wins):
    among equal scores in the greedy rules, among equal prices in a round of equal
    shares, and, for the knapsack, first for the cheaper of two equally good sets and
    then for the set holding the lowest ID on which they differ. This is pabutools'
    default lexicographic tie-breaking, so outcomes match it. A tie is reported when it
    decided something: a tied proposal lost a place it would otherwise have had.

    **Quotas and incompatibilities.** The greedy rules first take, quota by quota, the
    best-ranked members of each quota with a minimum, then walk the ranking; a proposal
    that would break a maximum or an incompatibility is skipped. The knapsack enforces
    them exactly. Equal shares skips proposals a maximum or an incompatibility rules
    out as soon as it does.

    **Equal shares** [1]_ [2]_ gives each of the :math:`n` voters an equal share
    :math:`b_i = B / n` of the budget :math:`B`. A proposal :math:`p` of cost
    :math:`c_p` is affordable when its supporters can pay for it together; its price is
    the smallest :math:`\\rho` with :math:`\\sum_i \\min(b_i, \\rho u_{ip}) = c_p`, where
    :math:`u_{ip}` is voter :math:`i`'s utility. Each round buys the proposal of lowest
    :math:`\\rho` and charges its supporters; it stops when nothing is affordable. The
    computation is exact (rational arithmetic), so ties are real ties. Completion by
    ``add1`` and then greedy is the one pabutools' ``completion_by_rule_combination``
    and equalshares.net use; ``increment=1`` reproduces them exactly. The rules and the
    Pabulib data they are tested on are described by Faliszewski et al. [3]_.

    References
    ----------
    .. [1] Peters, D., Skowron, P. (2020). Proportionality and the limits of welfarism.
       Proceedings of the 21st ACM Conference on Economics and Computation (EC '20).
       https://arxiv.org/abs/1911.11747
    .. [2] Peters, D., Pierczyński, G., Skowron, P. (2021). Proportional participatory
       budgeting with additive utilities. Advances in Neural Information Processing
       Systems 34 (NeurIPS 2021). https://arxiv.org/abs/2008.13276
    .. [3] Faliszewski, P., Flis, J., Peters, D., Pierczyński, G., Skowron, P.,
       Stolicki, D., Szufa, S., Talmon, N. (2023). Participatory budgeting: data,
       tools, and analysis. Proceedings of IJCAI 2023, 2667–2674.
       https://doi.org/10.24963/ijcai.2023/297, https://pabulib.org

    Examples
    --------
    >>> from vchuang.selection import Ballot, Election, select
    >>> e = Election(projects=["a", "b", "c"], costs=[60, 40, 40], budget=100,
    ...              ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
    ...                     + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)],
    ...              unit="yuan")
    >>> select(e, rule="approval_greedy").selected
    ('a', 'b')
    >>> r = select(e, rule="equal_shares", completion=None)
    >>> r.selected
    ('a', 'b')
    >>> print(r.explain("c"))
    lost the tie in round 2 to 'b'; then its supporters held only 0 yuan after round 2, less than its cost 40 yuan
    """
    excluded: dict[str, str] = {}
    names: dict[str, str] = {}
    incompatible = list(incompatible)
    quotas = list(quotas)
    if isinstance(source, Election):
        if call is not None or votes is not None or eligibility is not None:
            raise ValidationError(
                [
                    Problem(
                        "call",
                        "call, votes and eligibility apply to a "
                        "graph; an election carries its own ballots",
                    )
                ]
            )
        election = source
        if scores is not None:
            election = attrs.evolve(election, scores=_score_map(scores))
    else:
        if call is None:
            raise ValidationError([Problem("call", "give the call whose proposals to select")])
        call_id = call if isinstance(call, str) else call.id
        proposals = None
        if eligibility is not None:
            if eligibility.call != call_id:
                raise ValidationError(
                    [Problem("eligibility", f"checks call {eligibility.call!r}, not {call_id!r}")]
                )
            proposals = list(eligibility.eligible())
            excluded = eligibility.ineligible()
            names = {c.proposal: c.name for c in eligibility.checks}
        election = Election.from_call(
            source,
            call_id,
            scores=_score_map(scores) if scores is not None else None,
            votes=votes,
            proposals=proposals,
        )
    total = election.budget if budget is None else budget
    problems = _check_int("budget", total)
    if rule not in RULES:
        problems.append(Problem("rule", f"unknown rule {rule!r}", f"use one of {', '.join(RULES)}"))
    if rule == "top_k":
        if k is None:
            problems.append(Problem("k", "top_k needs k", "say how many proposals to take"))
        else:
            problems += _check_int("k", k)
    if key not in ("score", "density"):
        problems.append(Problem("key", f"unknown key {key!r}", "use 'score' or 'density'"))
    if completion not in COMPLETIONS:
        problems.append(
            Problem(
                "completion", f"unknown completion {completion!r}", "use 'add1', 'greedy' or None"
            )
        )
    if utility is not None and utility not in _UTILITIES:
        problems.append(
            Problem(
                "utility", f"unknown utility {utility!r}", f"use one of {', '.join(_UTILITIES)}"
            )
        )
    if utility in ("cost", "approval") and election.vote_type != "approval":
        problems.append(
            Problem("utility", f"{utility!r} needs approval ballots", "use utility='points'")
        )
    if increment is not None:
        problems += _check_int("increment", increment, 1)
    problems += _check_int("min_votes", min_votes)
    if problems:
        raise ValidationError(problems)
    cons = _Constraints(election, incompatible, quotas)
    support = election.support()
    pid = election.projects
    out = _Outcome()
    pool = []
    for j, p in enumerate(pid):
        if support[p] < min_votes:
            out.reasons[j] = f"{support[p]} vote(s), fewer than the minimum {min_votes}"
            out.phases[j] = "threshold"
        else:
            pool.append(j)
    options: dict[str, Any] = {"min_votes": min_votes}
    uses_scores = rule in ("top_k", "greedy", "knapsack")
    score_of: dict[int, float] | None = None
    value: dict[int, Fraction | float] = {}
    metric = "votes"
    if uses_scores:
        if election.scores is not None:
            score_of = {j: election.scores[p] for j, p in enumerate(pid)}
            metric = "score"
        elif election.ballots:
            score_of = {j: float(support[p]) for j, p in enumerate(pid)}
        else:
            raise ValidationError(
                [
                    Problem(
                        "scores",
                        f"{rule} needs scores or votes",
                        "pass scores= (e.g. from score()) or votes=",
                    )
                ]
            )
        exact = {j: Fraction(s) for j, s in score_of.items()}
        if rule == "greedy" and key == "density":
            value, metric = _per_money(
                {j: exact[j] for j in pool}, election.costs, election.unit, metric
            )
        else:
            value = {j: exact[j] for j in pool}
    if rule in ("top_k", "greedy"):
        _greedy(
            election,
            pool,
            value,
            total,
            cons,
            k=k if rule == "top_k" else None,
            metric=metric,
            out=out,
        )
        options.update({"k": k} if rule == "top_k" else {"key": key})
    elif rule == "knapsack":
        _knapsack(election, pool, value, total, cons, out, metric)
    elif rule == "approval_greedy":
        if not election.ballots:
            raise ValidationError([Problem("votes", "approval_greedy needs residents' votes")])
        votes_value: dict[int, Fraction | float] = {j: Fraction(support[pid[j]]) for j in pool}
        _greedy(election, pool, votes_value, total, cons, k=None, metric="votes", out=out)
        score_of = {j: float(support[p]) for j, p in enumerate(pid)}
    elif rule == "phragmen":
        if election.n_voters == 0:
            raise ValidationError(
                [Problem("ballots", "sequential Phragmén needs residents' approval ballots")]
            )
        options.update(_phragmen(election, pool, total, cons, out))
        score_of = {j: float(support[p]) for j, p in enumerate(pid)}
    else:
        chosen_utility = utility or ("cost" if election.vote_type == "approval" else "points")
        options.update(
            _equal_shares(
                election,
                pool,
                total,
                cons,
                out,
                utility=chosen_utility,
                completion=completion,
                increment=increment,
            )
        )
    res = _result(election, rule, total, out, score_of, support, excluded, names, options)
    inputs = {
        "rule": rule,
        "budget": total,
        "k": k,
        "key": key,
        "utility": utility,
        "completion": completion,
        "increment": increment,
        "min_votes": min_votes,
        "incompatible": incompatible,
        "quotas": quotas,
    }
    return attrs.evolve(res, election=election, inputs=inputs)


def _score_map(scores: Scores | Mapping[str, float]) -> dict[str, float]:
    combined = getattr(scores, "combined", None)
    if callable(combined):
        return dict(combined())
    return {str(p): float(s) for p, s in scores.items()}  # type: ignore[union-attr]


def _result(
    election: Election,
    rule: str,
    budget: int,
    out: _Outcome,
    score_of: Mapping[int, float] | None,
    support: Mapping[str, int],
    excluded: Mapping[str, str],
    names: Mapping[str, str],
    options: dict[str, Any],
) -> SelectionResult:
    pid = election.projects
    order = {j: i + 1 for i, j in enumerate(out.order)}
    spent = sum(election.costs[j] for j in out.order)
    if spent > budget:  # pragma: no cover - a bug, never an input problem
        msg = f"internal error: {rule} spent {spent} of {budget}"
        raise RuntimeError(msg)
    decisions = []
    for j, p in enumerate(pid):
        chosen = j in order
        decisions.append(
            Decision(
                proposal=p,
                name=election.name(p),
                cost=election.costs[j],
                score=None if score_of is None else score_of[j],
                support=support[p],
                selected=chosen,
                order=order.get(j),
                phase=out.phases.get(j, "main") if chosen else out.phases.get(j, "rejected"),
                reason=out.reasons.get(j, ""),
                tied_with=tuple(pid[t] for t in out.tied_with.get(j, ())),
            )
        )
    for p, why in excluded.items():
        decisions.append(
            Decision(
                proposal=p,
                name=names.get(p, p),
                cost=0,
                score=None,
                support=0,
                selected=False,
                order=None,
                phase="ineligible",
                reason=why,
            )
        )
    return SelectionResult(
        rule=rule,
        budget=budget,
        spent=spent,
        selected=tuple(pid[j] for j in out.order),
        decisions=tuple(decisions),
        ties=tuple(out.ties),
        unit=election.unit,
        call=election.call,
        options=options,
        rounds=tuple(out.rounds),
        dropped_after={pid[j]: r for j, r in out.dropped.items() if j not in order},
        note=out.note,
    )


def compare_rules(
    source: Election | CommunityGraph,
    k: int | None = None,
    *,
    call: str | Call | None = None,
    rules: Sequence[str] = RULES,
    **options: Any,
) -> Comparison:
    """Run several rules on the same election and set their outcomes side by side.

    Parameters
    ----------
    source
        An :class:`Election`, or the community graph with ``call``, as for
        :func:`select`.
    k
        How many proposals ``top_k`` takes (the other rules choose within the budget
        and ignore it); needed when ``rules`` holds ``top_k``.
    call
        The call's ID (or record), when ``source`` is a graph.
    rules
        The rules to run (default: all of :data:`RULES`).
    **options
        Passed to :func:`select` for every rule.

    Returns
    -------
    Comparison
        Each rule's :class:`SelectionResult`, a proposals × rules table and a summary
        per rule, including the share of voters who backed at least one selected
        proposal (a simple measure of how widely an outcome represents the voters).

    Raises
    ------
    ValidationError
        As :func:`select`; also when ``k`` is given a call (pass ``call=``).

    See Also
    --------
    select : one rule, with the reason for every proposal.
    score : the judges' and residents' scores that can feed the election.
    check_eligibility : which proposals may stand at all, with reasons.
    vchuang.selection.Comparison.plot : a proposals × rules grid of what each rule selects.

    Examples
    --------
    >>> from vchuang.selection import Ballot, Election, compare_rules
    >>> e = Election(projects=["a", "b", "c"], costs=[60, 40, 40], budget=100,
    ...              ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
    ...                     + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)])
    >>> c = compare_rules(e, 1, rules=["top_k", "approval_greedy", "knapsack"])
    >>> [(row["rule"], row["selected"], row["voters_represented"]) for row in c.summary]
    [('top_k', 1, 0.6), ('approval_greedy', 2, 1.0), ('knapsack', 2, 1.0)]
    """
    given: object = k
    if given is not None and not isinstance(given, int | np.integer):
        hint = "k is how many proposals top_k takes; give the call as call=..."
        raise ValidationError([Problem("k", f"must be a whole number, got {given!r}", hint)])
    if k is not None:
        options["k"] = k
    results: dict[str, SelectionResult] = {}
    for rule in rules:
        opts = dict(options)
        if rule != "top_k":
            opts.pop("k", None)
        results[rule] = select(source, call, rule=rule, **opts)
    first = next(iter(results.values()))
    proposals = tuple(d.proposal for d in first.decisions)
    names = {d.proposal: d.name for d in first.decisions}
    if isinstance(source, Election):
        ballots = source.ballots
        scores = source.scores
    else:
        votes = options.get("votes")
        ballots = votes.ballots if votes is not None else ()
        sc = options.get("scores")
        scores = _score_map(sc) if sc is not None else None
    summary = []
    for rule, res in results.items():
        chosen = set(res.selected)
        represented = sum(1 for b in ballots if any(x in chosen for x in b.items))
        summary.append(
            {
                "rule": rule,
                "selected": len(res.selected),
                "spent": res.spent,
                "budget": res.budget,
                "score_total": None
                if scores is None
                else round(sum(scores.get(p, 0.0) for p in res.selected), 6),
                "votes_total": sum(d.support for d in res.decisions if d.selected),
                "voters_represented": round(represented / len(ballots), 4) if ballots else None,
            }
        )
    return Comparison(results=results, proposals=proposals, names=names, summary=tuple(summary))


def compare(
    source: Election | CommunityGraph,
    call: str | Call | None = None,
    *,
    rules: Sequence[str] = RULES,
    **options: Any,
) -> Comparison:
    """Deprecated name of :func:`compare_rules` (kept for one release).

    ``compare(source, call, k=4, ...)`` is ``compare_rules(source, 4, call=call, ...)``;
    it warns with a :class:`DeprecationWarning`.
    """
    warnings.warn(
        "vchuang.selection.compare is deprecated and will be removed in the next release; "
        "use compare_rules(source, k, call=call, ...)",
        DeprecationWarning,
        stacklevel=2,
    )
    k = options.pop("k", None)
    return compare_rules(source, k, call=call, rules=rules, **options)
