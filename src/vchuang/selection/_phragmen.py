"""Sequential Phragmén for approval ballots, exact and cost-aware (private).

Every voter carries a *load*: the money they have been charged so far. Buying project
:math:`p` of cost :math:`c_p` spreads the cost over its :math:`k_p` supporters so that
they all end with the same load

.. math:: \\ell_p = \\frac{c_p + \\sum_{i \\in N_p} \\ell_i}{k_p},

and each round buys the project of lowest :math:`\\ell_p` (the one whose supporters stay
least loaded). The rule stops as soon as the project of lowest load (or any project tied
with it) no longer fits the money left: it does not skip to cheaper ones. Projects no
voter approved have an infinite load; they are looked at last, all tied.

Voters with equal loads share a *class*, so each round computes the loads in floating
point over the classes, and exactly (:class:`~fractions.Fraction`) only for the projects
whose float load is within rounding of the best: the outcome, ties included, is the
exact one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs
import numpy as np

__all__ = ["PhragmenRound", "PhragmenRun", "run_phragmen"]


@attrs.frozen(kw_only=True)
class PhragmenRound:
    """One round: the project bought, the load its supporters end with, the ties."""

    project: int
    load: Fraction | float
    """Each supporter's load after buying it (``inf`` for a project nobody approved)."""
    supporters: int
    tied: tuple[int, ...]
    """Projects with exactly the same load this round, the winner first (empty when
    there was no tie)."""


@attrs.frozen(kw_only=True)
class PhragmenRun:
    """What one run of sequential Phragmén did."""

    selected: tuple[int, ...]
    rounds: tuple[PhragmenRound, ...]
    stopped: tuple[int, int, Fraction | float] | None
    """(rounds completed, the project that no longer fitted, its load) when the rule
    stopped with projects still in play; ``None`` when it ran out of projects."""
    loads: dict[int, Fraction | float]
    """Project still in play when the rule stopped → the load it would have given."""
    blocked: dict[int, tuple[int, int]]
    """Project → (round, project whose selection ruled it out)."""


def run_phragmen(
    *,
    costs: Sequence[int],
    indptr: np.ndarray,
    voters: np.ndarray,
    n_voters: int,
    candidates: Sequence[int],
    rank: Sequence[int],
    budget: int,
    spent: int = 0,
    on_select: Callable[[int, list[int]], list[int]] | None = None,
) -> PhragmenRun:
    """Run sequential Phragmén once.

    Parameters
    ----------
    costs
        Each project's whole-number cost.
    indptr, voters
        Project ``j``'s approvers are ``voters[indptr[j]:indptr[j + 1]]``.
    n_voters
        Number of voters.
    candidates
        Projects in play (the others are never looked at).
    rank
        Tie-breaking rank of each project (lower wins).
    budget, spent
        The budget, and what is already spent (projects taken before the rule runs).
    on_select
        Called with the project just bought and the projects still in play; returns
        those it rules out.
    """
    cls = np.zeros(n_voters, dtype=np.int64)
    values: list[Fraction] = [Fraction(0)]
    valf = np.zeros(1, dtype=np.float64)
    support = {j: int(indptr[j + 1] - indptr[j]) for j in candidates}
    active = list(candidates)
    selected: list[int] = []
    rounds: list[PhragmenRound] = []
    blocked: dict[int, tuple[int, int]] = {}
    stopped: tuple[int, int, Fraction | float] | None = None
    loads: dict[int, Fraction | float] = {}

    def exact(j: int) -> Fraction:
        sup = voters[indptr[j] : indptr[j + 1]]
        counts = np.bincount(cls[sup], minlength=len(values))
        held = sum((int(counts[k]) * values[k] for k in np.flatnonzero(counts)), Fraction(0))
        return (held + costs[j]) / support[j]

    while active:
        backed = [j for j in active if support[j] > 0]
        best: list[int]
        best_load: Fraction | float
        exact_of: dict[int, Fraction] = {}
        if backed:
            floats = np.empty(len(backed), dtype=np.float64)
            for t, j in enumerate(backed):
                sup = voters[indptr[j] : indptr[j + 1]]
                floats[t] = (float(valf[cls[sup]].sum()) + costs[j]) / support[j]
            low = float(floats.min())
            near = [backed[t] for t in np.flatnonzero(floats <= low * (1 + 1e-9) + 1e-300)]
            exact_of = {j: exact(j) for j in near}
            best_load = min(exact_of.values())
            best = sorted((j for j, v in exact_of.items() if v == best_load), key=rank.__getitem__)
        else:
            best_load = math.inf
            best = sorted(active, key=rank.__getitem__)
        left = budget - spent
        too_dear = [j for j in best if costs[j] > left]
        if too_dear:
            stopped = (len(rounds), too_dear[0], best_load)
            for j in active:
                if j in exact_of:
                    loads[j] = exact_of[j]
                elif support[j] > 0:
                    loads[j] = exact(j)
                else:
                    loads[j] = math.inf
            break
        win = best[0]
        if support[win] > 0:
            sup = voters[indptr[win] : indptr[win + 1]]
            cls[sup] = len(values)
            values.append(Fraction(best_load))  # finite loads are exact fractions
            valf = np.append(valf, float(best_load))
        rounds.append(
            PhragmenRound(
                project=win,
                load=best_load,
                supporters=support[win],
                tied=tuple(best) if len(best) > 1 else (),
            )
        )
        selected.append(win)
        spent += costs[win]
        active.remove(win)
        if on_select is not None:
            for j in on_select(win, list(active)):
                if j in active:
                    active.remove(j)
                    blocked[j] = (len(rounds), win)
    return PhragmenRun(
        selected=tuple(selected),
        rounds=tuple(rounds),
        stopped=stopped,
        loads=loads,
        blocked=blocked,
    )
