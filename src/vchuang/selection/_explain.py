"""Why a proposal was not funded, and what it would have taken (private).

For every unfunded proposal: the round it dropped out, the funded proposals that outbid
it, and the smallest extra support (residents who add a vote for it alone) or cost cut
that would have funded it under the same rule and options, found by running the rule
again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Problem, ValidationError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..kernel.text import check_lang, text
from ._election import Ballot, Election, _format_amount
from ._rules import SelectionResult, select

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
    supporters: Mapping[str, set[str]] = {
        p: {b.voter for b in election.ballots if p in b.items} for p in election.projects
    }
    order = {p: i for i, p in enumerate(result.selected)}
    out = []
    for p in wanted:
        j = election.position(p)
        dropped = result.dropped_after.get(p)
        before = [q for q in result.selected if dropped is None or order[q] < dropped]
        shared = [q for q in before if supporters[q] & supporters[p]]
        outbid = tuple(shared if result.rule in _BALLOT_RULES and shared else before)
        extra: int | None = None
        if result.rule in _BALLOT_RULES or (
            election.scores is None and result.rule in ("greedy", "top_k", "knapsack")
        ):
            taken = {b.voter for b in election.ballots}

            def with_votes(k: int, p: str = p, taken: set[str] = taken) -> bool:
                new = [Ballot(voter=f"+{p}-{i}", items=[p]) for i in range(k)]
                new = [b for b in new if b.voter not in taken]
                points = {"cumulative": [1], "scoring": [1]}.get(election.vote_type)
                if points:
                    new = [attrs.evolve(b, points=points) for b in new]
                return funded(attrs.evolve(election, ballots=(*election.ballots, *new)), p)

            extra = _smallest(with_votes, limit)
        cost = election.costs[j]

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
