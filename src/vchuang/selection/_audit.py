"""Audits of a selection: EJR, PJR, priceability, voters left empty-handed (private).

Each answer is exact for approval ballots: EJR and PJR by a search over project sets
(pruned where no group of voters can be large enough), priceability by a linear
programme whose solution, the price system, is kept as evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..errors import Problem, ValidationError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..kernel.text import check_lang, has, text
from ._election import Election
from ._mes import MESProblem, payments, run_mes
from ._rules import SelectionResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["PROPERTIES", "Audit", "PriceSystem", "Violation", "audit"]

#: The proportionality properties :func:`audit` checks, as pabutools names its tests
#: (``is_EJR_approval``, ``is_EJR_one_approval``, ``is_EJR_any_approval``, and the PJR ones).
PROPERTIES = ("EJR", "EJR up to one", "EJR up to any", "PJR", "PJR up to one", "PJR up to any")
_DEFAULT_MAX_NODES = 2_000_000


@attrs.frozen(kw_only=True)
class Violation:
    """A group of voters the outcome treats unfairly: the witness that a property fails."""

    property: str
    projects: tuple[str, ...]
    """The project set the group could afford together, all of it approved by each."""
    voters: tuple[str, ...] = attrs.field(repr=False)
    """The group: large enough to afford ``projects`` with its share of the budget."""
    needed: int
    """How many voters a group needs to afford ``projects``: ceil(n · cost / budget)."""
    why: str

    def __repr__(self) -> str:
        return (
            f"Violation({self.property!r}, projects={preview(self.projects)}, "
            f"voters={len(self.voters)} {preview(self.voters)}, needed={self.needed})"
        )


@attrs.frozen(kw_only=True)
class PriceSystem:
    """Priceability's evidence: each voter's money and what they paid for which project.

    Every voter gets ``voter_budget``; voters pay only for selected projects they
    approve, never more than their money; each selected project is paid exactly; and the
    supporters of any unselected project hold, together, no more than its cost.
    """

    voter_budget: float
    payments: Mapping[str, Mapping[str, float]] = attrs.field(repr=False)
    """Voter → project → amount (only positive amounts)."""

    def __repr__(self) -> str:
        return f"PriceSystem(voter_budget={self.voter_budget:.6g}, payers={len(self.payments)})"

    def paid(self, voter: str) -> float:
        """What a voter paid in all."""
        return float(sum(self.payments.get(voter, {}).values()))


@attrs.frozen(kw_only=True)
class Audit:
    """Proportionality answers for one outcome; see :func:`audit`."""

    rule: str
    utility: str
    selected: tuple[str, ...]
    answers: Mapping[str, bool | None]
    """Property (:data:`PROPERTIES`) → holds (``None``: not decided within the search
    limit)."""
    violations: tuple[Violation, ...] = attrs.field(repr=False)
    """One witness for each property that fails."""
    priceable: bool | None
    """Whether a price system supports the outcome (``None`` without approval ballots)."""
    price_system: PriceSystem | None = attrs.field(repr=False)
    exhaustive: bool
    """No unselected project fits the money left (pabutools' ``priceable`` asks for this
    too by default, ``exhaustive=True``)."""
    empty_handed: float
    """Share of voters none of whose ballot's proposals was selected."""
    n_voters: int
    searched: int = attrs.field(repr=False)
    """Project sets and voter groups the search looked at."""
    complete: bool = attrs.field(repr=False)
    """The search finished within its limit (else undecided answers are ``None``)."""

    def __repr__(self) -> str:
        def mark(v: bool | None) -> str:
            return "?" if v is None else ("yes" if v else "no")

        props = ", ".join(f"{p}: {mark(v)}" for p, v in self.answers.items() if "up to" not in p)
        return (
            f"Audit(rule={self.rule!r}, utility={self.utility!r}, selected={len(self.selected)}, "
            f"{props}, priceable: {mark(self.priceable)}, exhaustive: {mark(self.exhaustive)}, "
            f"empty_handed={self.empty_handed:.1%} of {self.n_voters})"
        )

    def _repr_html_(self) -> str:
        rows = [(r["property"], r["holds"], r["witness"]) for r in self.to_rows()]
        caption = (
            f"Audit of {self.rule}: {len(self.selected)} selected, "
            f"{self.empty_handed:.1%} of {self.n_voters} voters empty-handed"
        )
        return html_table(caption, ("property", "holds", "witness"), rows[: 2 * SHOWN + 3])

    def holds(self, prop: str) -> bool | None:
        """The answer for one property (``"EJR"``, ``"PJR up to one"``, ``"priceable"`` …)."""
        if prop == "priceable":
            return self.priceable
        if prop == "exhaustive":
            return self.exhaustive
        return self.answers[prop]

    def violation(self, prop: str) -> Violation | None:
        """The witness that ``prop`` fails, or ``None``."""
        return next((v for v in self.violations if v.property == prop), None)

    def summary(self, lang: str = "en") -> str:
        """The audit in plain words, in English or Chinese: EJR, PJR, priceability, the
        share of empty-handed voters, and the EJR witness when there is one.

        Examples
        --------
        >>> from vchuang.selection import Ballot, Election, select
        >>> e = Election(projects=["a", "b", "c"], costs=[60, 40, 40], budget=100,
        ...              ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
        ...                     + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)])
        >>> print(audit(select(e, rule="knapsack", scores={"a": 0, "b": 1, "c": 1})).summary())
        Proportionality of the knapsack outcome: EJR fails, PJR fails, priceable: fails. 60% of the voters saw none of the ideas they backed funded. 3 voters who all backed a could have paid for it with their share of the budget, yet got less.
        """
        lang = check_lang(lang)

        def mark(v: bool | None) -> str:
            key = "undecided" if v is None else ("holds" if v else "fails")
            return text(f"selection.audit.{key}", lang)

        rule = f"selection.rule_name.{self.rule}"
        out = text(
            "selection.audit.summary",
            lang,
            rule=text(rule, lang) if has(rule) else self.rule,
            ejr=mark(self.answers.get("EJR")),
            pjr=mark(self.answers.get("PJR")),
            priceable=mark(self.priceable),
            empty=f"{self.empty_handed:.0%}",
        )
        v = self.violation("EJR")
        if v is not None:
            sep = "、" if lang == "zh" else ", "
            out += ("" if lang == "zh" else " ") + text(
                "selection.audit.witness", lang, voters=len(v.voters), projects=sep.join(v.projects)
            )
        return out

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Each property as a mark: holds, fails or undecided (see
        :func:`vchuang.plot.plot_audit`)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per property: whether it holds and, when not, the witness."""
        rows: list[dict[str, Any]] = []
        for prop, ok in self.answers.items():
            v = self.violation(prop)
            rows.append({"property": prop, "holds": ok, "witness": v.why if v else ""})
        budget = self.price_system.voter_budget if self.price_system else None
        rows.append(
            {
                "property": "priceable",
                "holds": self.priceable,
                "witness": "" if budget is None else f"each voter's money {budget:.6g}",
            }
        )
        rows.append({"property": "exhaustive", "holds": self.exhaustive, "witness": ""})
        rows.append(
            {
                "property": "empty-handed voters",
                "holds": None,
                "witness": f"{self.empty_handed:.4f} of {self.n_voters}",
            }
        )
        return rows


def _approval_sets(election: Election) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indptr, voters, _ = election._matrix()
    member = np.zeros((len(election.projects), election.n_voters), dtype=bool)
    for j in range(len(election.projects)):
        member[j, voters[indptr[j] : indptr[j + 1]]] = True
    return indptr, voters, member


def audit(
    result: SelectionResult,
    *,
    utility: str = "cost",
    max_nodes: int = _DEFAULT_MAX_NODES,
) -> Audit:
    """Check an outcome for proportionality: EJR, PJR, priceability, empty-handed voters.

    Parameters
    ----------
    result
        A :class:`SelectionResult` of :func:`select` (it keeps its election).
    utility
        What a voter gains from a selected project they approve: ``"cost"`` (its cost,
        pabutools' ``Cost_Sat``) or ``"approval"`` (1, ``Cardinality_Sat``).
    max_nodes
        The most project sets and voter groups the EJR/PJR search looks at; answers the
        search could not decide within it are ``None``.

    Returns
    -------
    Audit
        An answer for each of :data:`PROPERTIES` with a :class:`Violation` as witness
        when one fails, priceability with its :class:`PriceSystem`, exhaustiveness and
        the share of voters none of whose proposals was selected.

    Raises
    ------
    ValidationError
        The result keeps no election, the ballots are not approval ballots (EJR, PJR
        and priceability are defined here for approval ballots), or an unknown utility.

    See Also
    --------
    select : the outcome to audit.
    why_not_funded : what each unfunded proposal lacked.

    Notes
    -----
    With :math:`n` voters, budget :math:`B`, outcome :math:`W` and utility
    :math:`u`, a group :math:`S` is *cohesive* for a project set :math:`T` when every
    voter of :math:`S` approves all of :math:`T` and :math:`|S| \\ge n\\,c(T)/B`.
    **EJR** asks that some voter of every cohesive group gets
    :math:`u_i(W) \\ge u(T)`; **PJR** that the group's approved selected projects
    together are worth :math:`u(W \\cap \\bigcup_{i \\in S} A_i) \\ge u(T)` [1]_.
    *Up to one* (*any*) adds the most (least) valuable project of :math:`T \\setminus W`
    to the left side, as pabutools' ``is_EJR_one_approval`` (``is_EJR_any_approval``).

    The search runs over project sets :math:`T` (the largest group for :math:`T` is
    every voter approving all of it), dropping a branch once too few voters approve
    it all to afford it; for EJR the worst group is every voter of :math:`N_T` with
    :math:`u_i(W) < u(T)`; for PJR a branch and bound over unions of ballots finds the
    group with the least-valued union. pabutools enumerates every group of voters
    instead, so the answers agree where both finish.

    **Priceable** [2]_: there are a voter budget :math:`b \\ge B/n` and payments
    :math:`p_i(c) \\ge 0`, only for approved selected projects, with
    :math:`\\sum_c p_i(c) \\le b`, :math:`\\sum_i p_i(c) = c(c)` for every selected
    :math:`c`, and :math:`\\sum_{i \\in N_c} (b - \\sum_{c'} p_i(c')) \\le c(c)` for
    every unselected :math:`c`. The first candidate is the Method of Equal Shares run
    with :math:`b = B/n` on the outcome's own projects: when it buys them all, its
    payments satisfy every condition but the last by construction, and the last is
    checked. An outcome of equal shares passes this way in about the time of one run of
    the rule. Otherwise a linear programme decides: voters with the same ballot can be
    given the same payments (average them), so it has one row per distinct ballot and
    is solved with :func:`scipy.optimize.linprog` (HiGHS). pabutools' ``priceable``
    also asks for exhaustiveness by default; that answer is :attr:`Audit.exhaustive`.

    References
    ----------
    .. [1] Aziz, H., Lee, B. E. (2021). Proportionally representative participatory
       budgeting with ordinal preferences. Proceedings of AAAI 2021, 5110–5118.
       https://doi.org/10.1609/aaai.v35i6.16646
    .. [2] Peters, D., Skowron, P. (2020). Proportionality and the limits of welfarism.
       Proceedings of EC '20, 793–794. https://doi.org/10.1145/3391403.3399465

    Examples
    --------
    >>> from vchuang.selection import Ballot, Election, audit, select
    >>> e = Election(projects=["a", "b", "c"], costs=[60, 40, 40], budget=100,
    ...              ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
    ...                     + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)])
    >>> a = audit(select(e, rule="equal_shares", completion=None))
    >>> a.holds("EJR"), a.holds("PJR"), a.priceable, a.empty_handed
    (True, True, True, 0.0)
    >>> a = audit(select(e, rule="knapsack", scores={"a": 0, "b": 1, "c": 1}))
    >>> a.holds("EJR"), a.violation("EJR").projects
    (False, ('a',))
    """
    election = result.election
    if election is None:
        raise ValidationError(
            [Problem("result", "keeps no election", "audit a result of select(...)")]
        )
    if utility not in ("cost", "approval"):
        raise ValidationError(
            [Problem("utility", f"unknown utility {utility!r}", "use 'cost' or 'approval'")]
        )
    if election.vote_type != "approval":
        raise ValidationError(
            [
                Problem(
                    "result",
                    f"EJR, PJR and priceability are checked for approval ballots, not "
                    f"{election.vote_type}",
                )
            ]
        )
    pid = election.projects
    pos = {p: j for j, p in enumerate(pid)}
    chosen = [pos[p] for p in result.selected if p in pos]
    cost = np.asarray(election.costs, dtype=np.int64)
    budget = result.budget
    n = election.n_voters
    _, _, member = _approval_sets(election)
    in_w = np.zeros(len(pid), dtype=bool)
    in_w[chosen] = True
    spent = int(cost[in_w].sum())
    exhaustive = not any(not in_w[j] and cost[j] <= budget - spent for j in range(len(pid)))
    funded_any = member[in_w].any(axis=0) if chosen else np.zeros(n, dtype=bool)
    empty = float(1 - funded_any.mean()) if n else 0.0
    search = _Search(election, member, in_w, budget, utility, max_nodes)
    search.run()
    answers: dict[str, bool | None] = {}
    for prop in PROPERTIES:
        if prop in search.found:
            answers[prop] = False
        else:
            answers[prop] = True if search.complete else None
    priceable, system = _priceable(election, member, in_w, budget)
    return Audit(
        rule=result.rule,
        utility=utility,
        selected=result.selected,
        answers=answers,
        violations=tuple(search.found[p] for p in PROPERTIES if p in search.found),
        priceable=priceable,
        price_system=system,
        exhaustive=exhaustive,
        empty_handed=round(empty, 12),
        n_voters=n,
        searched=search.nodes,
        complete=search.complete,
    )


class _Search:
    """Depth-first search over project sets for EJR and PJR violations."""

    def __init__(
        self,
        election: Election,
        member: np.ndarray,
        in_w: np.ndarray,
        budget: int,
        utility: str,
        max_nodes: int,
    ) -> None:
        self.election = election
        self.member = member
        self.in_w = in_w
        self.budget = budget
        self.n = election.n_voters
        self.cost = [int(c) for c in election.costs]
        self.u = self.cost if utility == "cost" else [1] * len(self.cost)
        self.w_list = [int(j) for j in np.flatnonzero(in_w)]
        self.w_bit = {j: 1 << b for b, j in enumerate(self.w_list)}
        u_arr = np.asarray(self.u, dtype=np.int64)
        self.sat_w = (
            member[in_w].T.astype(np.int64) @ u_arr[in_w]
            if self.w_list
            else np.zeros(self.n, dtype=np.int64)
        )
        self.ids = [b.voter for b in election.ballots]
        # each voter's approved selected projects as a bit mask over W
        masks = np.zeros(self.n, dtype=object)
        for j in self.w_list:
            masks[member[j]] += self.w_bit[j]
        self.masks = masks
        self.max_nodes = max_nodes
        self.nodes = 0
        self.complete = True
        self.found: dict[str, Violation] = {}

    def _mask_value(self, mask: int) -> int:
        total = 0
        for b, j in enumerate(self.w_list):
            if mask >> b & 1:
                total += self.u[j]
        return total

    def _needed(self, cost_t: int) -> int | None:
        if cost_t == 0:
            return 1
        if self.budget == 0:
            return None
        return max(1, -(-cost_t * self.n // self.budget))

    def run(self) -> None:
        if self.n == 0:
            return
        everyone = np.arange(self.n)
        self._extend([], everyone, 0, 0, -1)

    def _extend(self, t: list[int], group: np.ndarray, cost_t: int, u_t: int, last: int) -> None:
        for p in range(last + 1, len(self.cost)):
            if len(self.found) == len(PROPERTIES):
                return
            if self.nodes >= self.max_nodes:
                self.complete = False
                return
            self.nodes += 1
            g = group[self.member[p, group]]
            c = cost_t + self.cost[p]
            if len(g) == 0 or len(g) * self.budget < self.n * c:
                continue
            tp = [*t, p]
            self._check(tp, g, c, u_t + self.u[p])
            self._extend(tp, g, c, u_t + self.u[p], p)

    def _check(self, t: list[int], group: np.ndarray, cost_t: int, u_t: int) -> None:
        needed = self._needed(cost_t)
        if needed is None or len(group) < needed:
            return
        missing = [self.u[j] for j in t if not self.in_w[j]]
        if not missing:
            return
        surplus = {"": 0, " up to one": max(missing), " up to any": min(missing)}
        names = tuple(self.election.projects[j] for j in t)
        ids = self.ids
        sat = self.sat_w[group]
        for tail, s in surplus.items():
            prop = "EJR" + tail
            if prop in self.found:
                continue
            bad = group[(sat + s) < u_t]
            if len(bad) >= needed:
                self.found[prop] = Violation(
                    property=prop,
                    projects=names,
                    voters=tuple(ids[i] for i in bad),
                    needed=needed,
                    why=(
                        f"{len(bad)} voters (enough: {needed}) all approve {list(names)}, "
                        f"worth {u_t} to each, but each gets less"
                        + ("" if not s else f" even with {s} more")
                        + " from the outcome"
                    ),
                )
        todo = [tail for tail in surplus if "PJR" + tail not in self.found]
        if not todo:
            return
        # a voter whose own selected projects are worth u_t - s or more is in no
        # violating group (the union of a group's projects is worth at least each
        # member's own), so the search runs over the others only
        s_min = min(surplus[tail] for tail in todo)
        group = group[(sat + s_min) < u_t]
        if len(group) < needed:
            return
        best, cover = self._least_union(group, needed, u_t)
        for tail in todo:
            s = surplus[tail]
            if best + s < u_t:
                self.found["PJR" + tail] = Violation(
                    property="PJR" + tail,
                    projects=names,
                    voters=tuple(ids[i] for i in cover[:needed]),
                    needed=needed,
                    why=(
                        f"{needed} voters all approve {list(names)}, worth {u_t}, but the "
                        f"selected projects any of them approve are worth only {best}"
                        + ("" if not s else f" (+{s})")
                    ),
                )

    def _least_union(self, group: np.ndarray, needed: int, bound: int) -> tuple[int, np.ndarray]:
        """The least value of the selected projects approved by some ``needed`` voters
        of ``group`` (branch and bound below ``bound``), and those voters."""
        masks = self.masks[group]
        counts: dict[int, int] = {}
        for m in masks:
            counts[int(m)] = counts.get(int(m), 0) + 1
        pats = sorted(counts, key=lambda m: (self._mask_value(m), m))
        best = [bound, 0]

        def covered(union: int) -> int:
            return sum(c for m, c in counts.items() if m & ~union == 0)

        def go(union: int, start: int, value: int) -> None:
            if self.nodes >= self.max_nodes:
                self.complete = False
                return
            self.nodes += 1
            if covered(union) >= needed:
                if value < best[0]:
                    best[0], best[1] = value, union
                return
            for i in range(start, len(pats)):
                q = pats[i]
                if q & ~union == 0:
                    continue
                nu = union | q
                v = self._mask_value(nu)
                if v < best[0]:
                    go(nu, i + 1, v)

        go(0, 0, 0)
        union = best[1]
        cover = group[np.array([int(m) & ~union == 0 for m in masks], dtype=bool)]
        return best[0], cover


def _ballot_types(member: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct ballots of a projects × voters approval matrix, in order of first
    appearance: their approval rows (types × projects), how many voters cast each, and
    each voter's type."""
    n = member.shape[1]
    packed = np.packbits(np.ascontiguousarray(member.T), axis=1)
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1])))[:, 0]
    _, first, inverse, counts = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )
    order = np.argsort(first, kind="stable")  # unique's order → first-appearance order
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    voter_type = rank[inverse.reshape(n)]
    return member[:, first[order]].T, counts[order].astype(np.float64), voter_type


@attrs.frozen
class _PriceLP:
    """The priceability linear programme (unscaled) and what its columns mean."""

    a_ub: Any
    b_ub: np.ndarray
    a_eq: Any
    b_eq: np.ndarray
    pay_t: np.ndarray
    """Ballot type of each payment variable (column ``1 + k``; column 0 is ``b``)."""
    pay_j: np.ndarray
    """Selected project of each payment variable."""
    voter_type: np.ndarray


def _priceability_lp(
    election: Election, member: np.ndarray, in_w: np.ndarray, budget: int
) -> _PriceLP | None:
    """Build the priceability programme from the approval matrix (``None``: a selected
    project with a cost has no supporter, so nothing can price it).

    Rows, as :func:`audit`'s Notes state them over distinct ballots: each type spends at
    most ``b``; the supporters of each unselected project (with any) hold no more than
    its cost; all voters' money covers the budget; each paid selected project is paid
    exactly.
    """
    import scipy.sparse as sp

    n = election.n_voters
    cost = np.asarray(election.costs, dtype=np.float64)
    # a selected project no voter approves is paid by nobody: fine at cost 0, else the
    # outcome cannot be priced (an override or a panel's scores can select one)
    if np.any(in_w & ~member.any(axis=1) & (cost > 0)):
        return None
    approves, mult, voter_type = _ballot_types(member)
    n_types = len(mult)
    pay_t, pay_j = np.nonzero(approves & in_w)  # (type, project) per payment, row-major
    n_pay = len(pay_t)
    nv = 1 + n_pay
    k = np.arange(n_pay)
    t_all = np.arange(n_types)
    # each type spends at most b
    rows = [t_all, pay_t]
    cols = [np.zeros(n_types, np.int64), 1 + k]
    vals = [-np.ones(n_types), np.ones(n_pay)]
    # supporters of an unselected project hold no more than its cost
    out_w = np.flatnonzero(~in_w & approves.any(axis=0))
    held = approves[:, out_w]  # types × unselected projects
    rows.append(n_types + np.arange(len(out_w)))
    cols.append(np.zeros(len(out_w), np.int64))
    vals.append(mult @ held)
    pk, pc = np.nonzero(held[pay_t])  # payment k of a type that approves unselected c
    rows.append(n_types + pc)
    cols.append(1 + pk)
    vals.append(-mult[pay_t[pk]])
    # every voter's money together covers the budget
    r = n_types + len(out_w)
    rows.append(np.array([r]))
    cols.append(np.array([0]))
    vals.append(np.array([-float(n)]))
    a_ub = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(r + 1, nv)
    )
    b_ub = np.concatenate([np.zeros(n_types), cost[out_w], [-float(budget)]])
    # each selected project someone approves is paid exactly
    payable = np.flatnonzero(np.bincount(pay_j, minlength=len(cost)) > 0)
    eq_row = np.full(len(cost), -1, dtype=np.int64)
    eq_row[payable] = np.arange(len(payable))
    a_eq = sp.csr_array((mult[pay_t], (eq_row[pay_j], 1 + k)), shape=(len(payable), nv))
    return _PriceLP(
        a_ub=a_ub,
        b_ub=b_ub,
        a_eq=a_eq,
        b_eq=cost[payable],
        pay_t=pay_t,
        pay_j=pay_j,
        voter_type=voter_type,
    )


def _shares_price_system(
    election: Election, member: np.ndarray, in_w: np.ndarray, budget: int
) -> PriceSystem | None:
    """A price system for the outcome from equal shares run on its own projects, or
    ``None`` when that one does not prove priceability (the linear programme decides).

    Every voter gets ``b = B / n``; the Method of Equal Shares (cost utilities), allowed
    to buy only the selected projects, charges its supporters for each project it buys.
    When it buys all of them, those payments meet every condition but the last by
    construction (each voter pays at most ``b``, only for approved selected projects,
    each project exactly its cost); the last — the supporters of each unselected
    project hold no more than its cost — is then checked here, with a margin for
    rounding. An outcome of equal shares without completion passes (unless it leaves
    out a project that costs nothing and has supporters): restricted to its own
    projects, the rule makes the same purchases at the same prices, and it stopped
    because no other project's supporters held its cost.
    """
    n = election.n_voters
    cost = [int(c) for c in election.costs]
    indptr, voters, _ = election._matrix()
    # approval ballots with cost utilities: each supporter of j values it at its cost
    utilities = np.repeat(np.asarray(cost, dtype=np.int64), np.diff(indptr))
    pid = election.projects
    problem = MESProblem(
        costs=cost,
        n_voters=n,
        indptr=indptr,
        voters=voters,
        utilities=utilities,
        rank=sorted(range(len(pid)), key=lambda j: pid[j]),
    )
    wanted = [j for j in np.flatnonzero(in_w).tolist() if cost[j] > 0]
    if any(indptr[j + 1] == indptr[j] for j in wanted):
        return None  # a selected project with a cost and no supporter
    per_voter = Fraction(budget, n)
    run = run_mes(problem, per_voter, candidates=wanted)
    if sorted(run.selected) != wanted:
        return None
    bought = payments(problem, run)
    b = float(per_voter)
    left = np.full(n, b)
    for _, payers, amounts in bought:
        np.subtract.at(left, payers, amounts)
    left = np.maximum(left, 0.0)
    out_w = np.flatnonzero(~in_w & member.any(axis=1))
    held = np.asarray([left[voters[indptr[j] : indptr[j + 1]]].sum() for j in out_w.tolist()])
    costs_out = np.asarray(cost, dtype=np.float64)[out_w]
    if np.any(held > costs_out * (1 - 1e-9) - 1e-9 * max(1.0, b)):
        return None  # fails, or too close to call in floating point
    voter_ids = [ballot.voter for ballot in election.ballots]
    paid: dict[str, dict[str, float]] = {}
    for j, payers, amounts in bought:
        name = pid[j]
        for i, amount in zip(payers.tolist(), amounts.tolist(), strict=True):
            paid.setdefault(voter_ids[i], {})[name] = amount
    return PriceSystem(voter_budget=b, payments=paid)


def _priceable(
    election: Election, member: np.ndarray, in_w: np.ndarray, budget: int
) -> tuple[bool, PriceSystem | None]:
    """Priceability: equal shares' own payments when they prove it, else the linear
    programme over distinct ballots (HiGHS), which decides every case."""
    if election.n_voters == 0:
        return budget == 0, None
    shares = _shares_price_system(election, member, in_w, budget)
    if shares is not None:
        return True, shares
    return _priceable_by_lp(election, member, in_w, budget)


def _priceable_by_lp(
    election: Election, member: np.ndarray, in_w: np.ndarray, budget: int
) -> tuple[bool, PriceSystem | None]:
    """Solve the priceability linear programme over distinct ballots (HiGHS)."""
    from scipy.optimize import linprog

    n = election.n_voters
    if n == 0:
        return budget == 0, None
    lp = _priceability_lp(election, member, in_w, budget)
    if lp is None:
        return False, None
    n_pay = len(lp.pay_t)
    scale = max(1.0, float(budget))
    res = linprog(
        np.zeros(1 + n_pay),
        A_ub=lp.a_ub,
        b_ub=lp.b_ub / scale,
        A_eq=lp.a_eq if lp.a_eq.shape[0] else None,
        b_eq=lp.b_eq / scale if lp.a_eq.shape[0] else None,
        bounds=(0, None),
        method="highs",
    )
    if res.status != 0:
        return False, None
    x = res.x * scale
    voter_ids = [b.voter for b in election.ballots]
    pid = election.projects
    n_types = int(lp.voter_type.max()) + 1
    by_type = np.argsort(lp.voter_type, kind="stable")
    starts = np.searchsorted(lp.voter_type[by_type], np.arange(n_types + 1))
    payments: dict[str, dict[str, float]] = {}
    for k in np.flatnonzero(x[1:] > 1e-12 * scale).tolist():
        t, name, amount = int(lp.pay_t[k]), pid[int(lp.pay_j[k])], float(x[1 + k])
        for i in by_type[starts[t] : starts[t + 1]].tolist():
            payments.setdefault(voter_ids[i], {})[name] = amount
    return True, PriceSystem(voter_budget=float(x[0]), payments=payments)
