"""Why a proposal was not funded, and what it would have taken (private).

For every unfunded proposal: the round it dropped out, the funded proposals that outbid
it, and the smallest extra support (residents who add a vote for it alone) or cost cut
that would have funded it under the same rule and options, found by running the rule
again.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..errors import Problem, ValidationError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..kernel.text import check_lang, text
from ._election import Ballot, Election, _format_amount, _segment_sums
from ._mes import MESProblem, MESRun, run_mes
from ._rules import SelectionResult, _utilities, select

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Shortfall", "WhyNot", "why_not_funded"]

_BALLOT_RULES = ("equal_shares", "phragmen", "approval_greedy")


@attrs.frozen(kw_only=True)
class Shortfall:
    """What one unfunded proposal lacked."""

    proposal: str
    name: str
    cost: int
    support: int
    dropped_after: int | None
    """How many proposals were selected when it dropped out (the round, for equal
    shares and Phragmén); ``None`` when it never was in the running."""
    outbid_by: tuple[str, ...]
    """Funded proposals chosen before it dropped out (those sharing a supporter with it
    when the rule counts ballots)."""
    extra_support: int | None
    """The fewest added residents voting for it alone that fund it (``None``: the rule
    does not count votes, or no number up to the search limit does)."""
    cost_cut: int | None
    """The smallest cut of its cost that funds it (``None``: not even a cost of 0)."""
    unit: str

    def sentence(self, lang: str = "en") -> str:
        """The shortfall in plain words, in English or Chinese."""
        lang = check_lang(lang)
        money = _format_amount
        parts = []
        if self.dropped_after is None:
            parts.append(text("selection.why.never", lang, name=self.name))
        else:
            parts.append(
                text(
                    "selection.why.dropped",
                    lang,
                    name=self.name,
                    round=self.dropped_after,
                )
            )
        if self.outbid_by:
            sep = "、" if lang == "zh" else ", "
            parts.append(text("selection.why.outbid", lang, by=sep.join(self.outbid_by)))
        if self.extra_support is not None:
            parts.append(text("selection.why.support", lang, k=self.extra_support))
        if self.cost_cut is not None:
            parts.append(
                text(
                    "selection.why.cost",
                    lang,
                    cut=money(self.cost_cut, self.unit),
                    cost=money(self.cost - self.cost_cut, self.unit),
                )
            )
        if self.extra_support is None and self.cost_cut is None:
            parts.append(text("selection.why.nothing", lang))
        return ("" if lang == "zh" else " ").join(parts)


@attrs.frozen(kw_only=True)
class WhyNot:
    """Every unfunded proposal's shortfall; see :func:`why_not_funded`."""

    rule: str
    shortfalls: tuple[Shortfall, ...] = attrs.field(repr=False)
    runs: int = attrs.field(repr=False)
    """How many times the rule was run again."""

    def __repr__(self) -> str:
        return (
            f"WhyNot(rule={self.rule!r}, unfunded={len(self.shortfalls)} "
            f"{preview(s.proposal for s in self.shortfalls)}, runs={self.runs})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (s.proposal, s.dropped_after, s.extra_support, s.cost_cut)
            for s in self.shortfalls[:SHOWN]
        ]
        caption = f"Why not funded ({self.rule}): {len(self.shortfalls)} proposals"
        return html_table(caption, ("proposal", "dropped after", "extra votes", "cost cut"), rows)

    def __getitem__(self, proposal: str) -> Shortfall:
        for s in self.shortfalls:
            if s.proposal == proposal:
                return s
        raise KeyError(proposal)

    def sentences(self, lang: str = "en") -> list[str]:
        """Each unfunded proposal's shortfall in plain words (:meth:`Shortfall.sentence`)."""
        return [s.sentence(lang) for s in self.shortfalls]

    def plot(
        self, ax: Axes | None = None, *, lang: str = "en", names: Mapping[str, str] | None = None
    ) -> Axes:
        """The cost cut that would have funded each proposal, with the extra votes (see
        :func:`vchuang.plot.plot_why_not_funded`)."""
        out: Axes = plot(self, ax=ax, lang=lang, names=names)
        return out

    def to_rows(self, lang: str = "en") -> list[dict[str, Any]]:
        """One row per unfunded proposal, with the sentence in ``lang``."""
        return [
            {
                "proposal": s.proposal,
                "name": s.name,
                "cost": s.cost,
                "support": s.support,
                "dropped_after": s.dropped_after,
                "outbid_by": s.outbid_by,
                "extra_support": s.extra_support,
                "cost_cut": s.cost_cut,
                "why": s.sentence(lang),
            }
            for s in self.shortfalls
        ]


def _smallest(funds: Callable[[int], bool], high: int) -> int | None:
    """The smallest ``x`` in 1..``high`` with ``funds(x)``, by doubling then bisection
    (``funds(x)`` true and ``funds(x - 1)`` false at the answer)."""
    lo, x = 0, 1  # funds(lo) is false (or lo == 0)
    while x <= high and not funds(x):
        lo, x = x, x * 2
    if x > high:
        if high <= lo or not funds(high):
            return None
        x = high
    hi = x
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if funds(mid):
            hi = mid
        else:
            lo = mid
    return hi


class _Decided(Exception):
    """Stops a run of equal shares as soon as the proposal's fate is known."""

    def __init__(self, funded: bool) -> None:
        super().__init__(funded)
        self.funded = funded


class _EqualShares:
    """Exact what-ifs for equal shares with no completion, quotas, incompatibilities or
    vote threshold, on the rule's own arrays (:func:`run_mes`) instead of a new
    election per question; each answer is the one :func:`select` gives.

    *Extra support* runs MES once per question on the arrays with the added voters
    (stopped as soon as the proposal is bought or drops out). *Cost cut* needs no new
    run: until the proposal is bought, every round is the same as in the original run
    (it changes nothing but its own price), so a cheaper proposal is funded exactly
    when, in some round, its price at the original budgets beats (or ties with a
    lower-ranked ID) that round's winner, or it is affordable when the run stops.
    """

    def __init__(self, election: Election, result: SelectionResult) -> None:
        inputs = result.inputs
        self.utility = inputs.get("utility") or (
            "cost" if election.vote_type == "approval" else "points"
        )
        indptr, voters, _ = election._matrix()
        utils = _utilities(election, self.utility)
        keep = utils > 0
        counts = _segment_sums(keep.astype(np.int64), indptr)
        ptr = np.zeros(len(election.projects) + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        pid = election.projects
        rank = [0] * len(pid)
        for r, j in enumerate(sorted(range(len(pid)), key=lambda j: pid[j])):
            rank[j] = r
        self.election = election
        self.budget = int(inputs["budget"])
        self.n = election.n_voters
        self.problem = MESProblem(
            costs=list(election.costs),
            n_voters=self.n,
            indptr=ptr,
            voters=voters[keep],
            utilities=utils[keep].astype(np.int64),
            rank=rank,
        )
        cost = election.costs
        supported = [j for j in range(len(pid)) if ptr[j + 1] > ptr[j]]
        self.free = sorted((j for j in supported if cost[j] == 0), key=lambda j: pid[j])
        self.candidates = [j for j in supported if cost[j] > 0]
        self.run: MESRun = run_mes(
            self.problem, Fraction(self.budget, self.n), candidates=self.candidates
        )
        # the rule's own outcome, or this shortcut does not apply
        self.ok = tuple(pid[j] for j in (*self.free, *self.run.selected)) == result.selected

    @staticmethod
    def applies(result: SelectionResult) -> bool:
        inputs = result.inputs
        return (
            result.rule == "equal_shares"
            and inputs.get("completion") is None
            and not inputs.get("incompatible")
            and not inputs.get("quotas")
            and not inputs.get("min_votes")
            and result.election is not None
            and result.election.n_voters > 0
        )

    # -------------------------------------------------------------- extra support

    def with_votes(self, j: int, added: int) -> bool:
        """Whether ``added`` new voters backing ``j`` alone get it funded."""
        if added == 0:
            return False
        pr = self.problem
        lo, hi = int(pr.indptr[j]), int(pr.indptr[j + 1])
        u_new = self.election.costs[j] if self.utility == "cost" else 1
        ptr = pr.indptr.copy()
        ptr[j + 1 :] += added
        problem = MESProblem(
            costs=pr.costs,
            n_voters=self.n + added,
            indptr=ptr,
            voters=np.concatenate(
                (pr.voters[:hi], np.arange(self.n, self.n + added, dtype=np.int64), pr.voters[hi:])
            ),
            utilities=np.concatenate(
                (pr.utilities[:hi], np.full(added, u_new, dtype=np.int64), pr.utilities[hi:])
            ),
            rank=pr.rank,
        )
        candidates = self.candidates if hi > lo else sorted((*self.candidates, j))

        def hook(win: int, active: list[int]) -> list[int]:
            if win == j:
                raise _Decided(True)
            if j not in active:
                raise _Decided(False)
            return []

        try:
            run = run_mes(
                problem,
                Fraction(self.budget, self.n + added),
                candidates=candidates,
                on_select=hook,
            )
        except _Decided as decided:
            return decided.funded
        return j in run.selected

    # -------------------------------------------------------------- cost cut

    def cost_test(self, j: int) -> Callable[[int], bool]:
        """``funded(new_cost)`` for proposal ``j``, from one replay of the original run."""
        pr = self.problem
        lo, hi = int(pr.indptr[j]), int(pr.indptr[j + 1])
        sv, su = pr.voters[lo:hi], pr.utilities[lo:hi]
        pos = np.full(self.n, -1, dtype=np.int64)
        pos[sv] = np.arange(len(sv))
        cls = np.zeros(len(sv), dtype=np.int64)
        vals: list[Fraction] = [self.run.per_voter]
        ids: dict[Fraction, int] = {self.run.per_voter: 0}
        snaps = []
        for rnd in self.run.rounds:  # the budgets of j's supporters before each round
            snaps.append(cls.copy())
            w = rnd.project
            wlo, whi = int(pr.indptr[w]), int(pr.indptr[w + 1])
            ix = pos[pr.voters[wlo:whi]]
            hit = ix >= 0
            if not hit.any():
                continue
            ix, uu = ix[hit], pr.utilities[wlo:whi][hit]
            span = int(uu.max()) + 1
            keys, inv = np.unique(cls[ix] * span + uu, return_inverse=True)
            new = np.empty(len(keys), dtype=np.int64)
            for g, key in enumerate(keys.tolist()):
                c0, u0 = divmod(key, span)
                left = max(vals[c0] - rnd.rho * u0, Fraction(0))
                if left not in ids:
                    ids[left] = len(vals)
                    vals.append(left)
                new[g] = ids[left]
            cls[ix] = new[inv.reshape(-1)]
        snaps.append(cls)
        # groups of equal (budget, utility) per state, without those left with nothing
        span = int(su.max()) + 1 if len(su) else 1
        n_cls = len(vals)
        t_all = np.repeat(np.arange(len(snaps), dtype=np.int64), len(sv))
        keys, cnt = np.unique(
            (t_all * n_cls + np.concatenate(snaps)) * span + np.tile(su, len(snaps)),
            return_counts=True,
        )
        tc, u_g = np.divmod(keys, span)
        t_g, c_g = np.divmod(tc, n_cls)
        alive = np.asarray([v > 0 for v in vals], dtype=bool)[c_g]
        st_l = t_g[alive].tolist()
        v_l = [vals[c] for c in c_g[alive].tolist()]
        u_l = u_g[alive].tolist()
        n_l = cnt[alive].tolist()
        n_states = len(snaps)
        st = np.asarray(st_l, dtype=np.int64)
        vf = np.asarray([float(v) for v in v_l], dtype=np.float64)
        uf = np.asarray(u_l, dtype=np.float64)
        nf = np.asarray(n_l, dtype=np.float64)
        rounds = self.run.rounds
        rho_x: list[Fraction | None] = [r.rho for r in rounds] + [None]
        rho_f = np.asarray([float(r.rho) for r in rounds] + [np.inf], dtype=np.float64)
        # a tie at the round's price goes to the lower-ranked ID; when the run stops,
        # being affordable is enough
        wins_tie = [pr.rank[j] < pr.rank[r.project] for r in rounds] + [True]
        held = np.bincount(st, weights=vf * nf, minlength=n_states)
        bounds = np.searchsorted(st, np.arange(n_states + 1))
        scaled = self.utility == "cost"

        def exact(t: int, c: int) -> bool:
            rho = rho_x[t]
            a, b = int(bounds[t]), int(bounds[t + 1])
            pay = Fraction(0)
            flat = True
            for i in range(a, b):
                v, u, k = v_l[i], (c if scaled else u_l[i]), n_l[i]
                if rho is None or v < rho * u:
                    pay += k * v
                else:
                    pay += k * rho * u
                    flat = False
            return pay > c or (pay == c and (flat or wins_tie[t]))

        def funded(c: int) -> bool:
            if c == 0:  # a free proposal: taken first, unless its utility is its cost
                return self.utility != "cost" and hi > lo
            u = np.full(len(vf), float(c)) if scaled else uf
            pay = np.bincount(st, weights=nf * np.minimum(vf, rho_f[st] * u), minlength=n_states)
            tol = 1e-9 * (c + held) + 1e-300
            if (pay > c + tol).any():
                return True
            return any(exact(t, c) for t in np.flatnonzero(pay >= c - tol).tolist())

        return funded


def why_not_funded(
    result: SelectionResult,
    proposals: list[str] | None = None,
    *,
    max_support: int | None = None,
) -> WhyNot:
    """For each unfunded proposal: when it dropped out, who outbid it, and what would
    have funded it.

    Parameters
    ----------
    result
        A :class:`SelectionResult` of :func:`select` (it keeps its election and options).
    proposals
        The proposals to explain (default: every unfunded one that stood).
    max_support
        The most added votes to try (default: the number of voters, at least 16).

    Returns
    -------
    WhyNot
        A :class:`Shortfall` per proposal, each with :meth:`Shortfall.sentence` in
        English or Chinese.

    Raises
    ------
    ValidationError
        The result keeps no election or carries a selection meeting's overrides
        (explain :attr:`Overridden.algorithm` instead), or a proposal was funded or is
        unknown.

    See Also
    --------
    audit : proportionality checks of the same outcome.

    Notes
    -----
    *Extra support* adds :math:`k` ballots naming only the proposal (new residents who
    vote for it alone; for equal shares they also bring their share of the budget) and
    runs the rule again with the same options; *cost cut* lowers its cost by :math:`d`.
    The smallest :math:`k` (:math:`d`) is found by doubling and then bisection, so the
    rule funds it at the answer and not one below; for rules where more support or a
    lower cost always helps (the greedy rules) it is the smallest of all. Equal shares
    and Phragmén are not monotone in general, so a smaller value may fund it too
    (the tests compare with brute force on small elections). pabutools' nearest
    analysis is ``calculate_project_loss`` (what its supporters spent on other
    projects) and ``calculate_effective_supports`` (for equal shares only).

    Examples
    --------
    >>> from vchuang.selection import Ballot, Election, select, why_not_funded
    >>> e = Election(projects=["a", "b", "c"], costs=[60, 40, 40], budget=100,
    ...              ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
    ...                     + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)],
    ...              unit="yuan")
    >>> w = why_not_funded(select(e, rule="approval_greedy"))
    >>> w["c"].extra_support, w["c"].cost_cut
    (1, 40)
    >>> print(w["c"].sentence())
    c dropped out after 2 proposal(s) were chosen. Outbid by: b. 1 more vote(s) would have funded it. A cost 40 yuan lower (0 yuan) would have funded it.
    """
    election = result.election
    if election is None:
        raise ValidationError(
            [Problem("result", "keeps no election", "explain a result of select(...)")]
        )
    if result.overrides:
        raise ValidationError(
            [
                Problem(
                    "result",
                    "carries a selection meeting's overrides, which no rule can be run "
                    "again to reproduce",
                    "explain the rule's own outcome: why_not_funded(overridden.algorithm)",
                )
            ]
        )
    inputs = dict(result.inputs)
    stood = [d.proposal for d in result.decisions if not d.selected and d.phase != "ineligible"]
    wanted = stood if proposals is None else list(proposals)
    bad = [p for p in wanted if p not in stood]
    if bad:
        raise ValidationError(
            [Problem("proposals", f"{bad[0]!r} was funded or did not stand", "name unfunded ones")]
        )
    runs = 0

    def funded(changed: Election, p: str) -> bool:
        nonlocal runs
        runs += 1
        return p in select(changed, **inputs).selected

    limit = max_support if max_support is not None else max(16, election.n_voters)
    indptr, backers, _ = election._matrix()
    voters_of = {p: backers[indptr[j] : indptr[j + 1]] for j, p in enumerate(election.projects)}
    order = {p: i for i, p in enumerate(result.selected)}
    fast = _EqualShares(election, result) if wanted and _EqualShares.applies(result) else None
    if fast is not None:
        runs += 1
        if not fast.ok:
            fast = None
    taken = {b.voter for b in election.ballots}
    out = []
    for p in wanted:
        j = election.position(p)
        dropped = result.dropped_after.get(p)
        before = [q for q in result.selected if dropped is None or order[q] < dropped]
        mine = np.zeros(election.n_voters, dtype=bool)
        mine[voters_of[p]] = True
        shared = [q for q in before if mine[voters_of[q]].any()]
        outbid = tuple(shared if result.rule in _BALLOT_RULES and shared else before)
        extra: int | None = None
        cost = election.costs[j]
        quick = fast if fast is not None and cost > 0 else None
        if result.rule in _BALLOT_RULES or (
            election.scores is None and result.rule in ("greedy", "top_k", "knapsack")
        ):
            if quick is not None:
                # the voters "+p-0" … "+p-(k-1)" who are not voters already
                prefix = f"+{p}-"
                clash = sorted(
                    int(v[len(prefix) :])
                    for v in taken
                    if v.startswith(prefix)
                    and v[len(prefix) :].isdigit()
                    and str(int(v[len(prefix) :])) == v[len(prefix) :]
                )

                def quick_votes(
                    k: int, j: int = j, fast: _EqualShares = quick, clash: list[int] = clash
                ) -> bool:
                    nonlocal runs
                    runs += 1
                    return fast.with_votes(j, k - bisect.bisect_left(clash, k))

                extra = _smallest(quick_votes, limit)
            else:

                def with_votes(k: int, p: str = p, taken: set[str] = taken) -> bool:
                    new = [Ballot(voter=f"+{p}-{i}", items=[p]) for i in range(k)]
                    new = [b for b in new if b.voter not in taken]
                    points = {"cumulative": [1], "scoring": [1]}.get(election.vote_type)
                    if points:
                        new = [attrs.evolve(b, points=points) for b in new]
                    return funded(attrs.evolve(election, ballots=(*election.ballots, *new)), p)

                extra = _smallest(with_votes, limit)

        if quick is not None:
            cheaper = quick.cost_test(j)

            def quick_cost(
                d: int, cost: int = cost, cheaper: Callable[[int], bool] = cheaper
            ) -> bool:
                return cheaper(cost - d)

            cut = _smallest(quick_cost, cost)
        else:

            def with_cost(d: int, j: int = j, p: str = p, cost: int = cost) -> bool:
                costs = list(election.costs)
                costs[j] = cost - d
                return funded(attrs.evolve(election, costs=costs), p)

            cut = _smallest(with_cost, cost)
        out.append(
            Shortfall(
                proposal=p,
                name=election.name(p),
                cost=cost,
                support=election.support()[p],
                dropped_after=dropped,
                outbid_by=outbid,
                extra_support=extra,
                cost_cut=cut,
                unit=election.unit,
            )
        )
    return WhyNot(rule=result.rule, shortfalls=tuple(out), runs=runs)
