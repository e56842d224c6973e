"""Benchmark of the Method of Equal Shares (and approval greedy) against pabutools.

One synthetic approval election — ``--projects`` projects, ``--voters`` voters — is run
through :func:`vchuang.selection.select` and through pabutools (the reference
implementation of Pabulib's authors) in the same process:

1. **Equal shares** (cost utilities, no completion): pabutools'
   ``method_of_equal_shares(sat_class=Cost_Sat)`` against ``select(rule="equal_shares",
   completion=None)``. Both compute exactly (rationals), so the outcomes must be equal.
2. **Approval greedy**: pabutools' ``greedy_utilitarian_welfare(sat_class=Cost_Sat)``
   against ``select(rule="approval_greedy")``.

For each, the time to build the election (from the same voters × projects 0/1 matrix)
and to run the rule are reported, with the ratio pabutools / vchuang.

Synthetic data: costs uniform in [10,000, 500,000); project popularity drawn from a
Beta(1.2, 12) (a few popular projects, a long tail; about 18 approvals per voter for 200
projects); budget 20 % of the total cost.

Run::

    python benchmarks/bench_selection.py            # 200 projects x 50,000 voters
    python benchmarks/bench_selection.py --quick    # 60 projects x 1,000 voters
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from vchuang.selection import Election, select


def synthetic(n_projects: int, n_voters: int, seed: int) -> tuple[sp.csr_array, list[int], int]:
    """A voters × projects 0/1 approval matrix, the costs and the budget."""
    rng = np.random.default_rng(seed)
    costs = rng.integers(10_000, 500_000, n_projects)
    popularity = rng.beta(1.2, 12, n_projects)
    approvals = rng.random((n_voters, n_projects)) < popularity
    matrix = sp.csr_array(approvals.astype(np.int64))
    return matrix, [int(c) for c in costs], int(costs.sum() * 0.2)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _pabutools(
    matrix: sp.csr_array, costs: list[int], budget: int, names: list[str]
) -> dict[str, Any]:
    from pabutools.election import (
        ApprovalBallot,
        ApprovalProfile,
        Cost_Sat,
        Instance,
        Project,
    )
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    def build() -> tuple[Any, Any]:
        projects = [Project(n, c) for n, c in zip(names, costs, strict=True)]
        instance = Instance(projects, budget_limit=budget)
        ballots = []
        for i in range(matrix.shape[0]):
            row = matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]
            ballots.append(ApprovalBallot([projects[j] for j in row]))
        return instance, ApprovalProfile(ballots)

    (instance, profile), t_build = _timed(build)
    mes, t_mes = _timed(lambda: method_of_equal_shares(instance, profile, sat_class=Cost_Sat))
    greedy, t_greedy = _timed(
        lambda: greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    )
    return {
        "build": t_build,
        "mes": t_mes,
        "greedy": t_greedy,
        "mes_out": sorted(p.name for p in mes),
        "greedy_out": sorted(p.name for p in greedy),
    }


def _ours(matrix: sp.csr_array, costs: list[int], budget: int, names: list[str]) -> dict[str, Any]:
    election, t_build = _timed(
        lambda: Election.from_matrix(matrix, costs=costs, budget=budget, projects=names, unit="PLN")
    )
    mes, t_mes = _timed(lambda: select(election, rule="equal_shares", completion=None))
    greedy, t_greedy = _timed(lambda: select(election, rule="approval_greedy"))
    return {
        "build": t_build,
        "mes": t_mes,
        "greedy": t_greedy,
        "mes_out": sorted(mes.selected),
        "greedy_out": sorted(greedy.selected),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table; returns 0, or 1 if an outcome differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--voters", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="60 projects x 1,000 voters")
    parser.add_argument("--no-baseline", action="store_true", help="skip pabutools")
    args = parser.parse_args(argv)
    if args.quick:
        args.projects, args.voters = 60, 1_000
    matrix, costs, budget = synthetic(args.projects, args.voters, args.seed)
    names = [f"p{j:03d}" for j in range(args.projects)]
    print(
        f"approval election: {args.projects} projects, {args.voters:,} voters, "
        f"{matrix.nnz:,} approvals ({matrix.nnz / args.voters:.1f} per voter), "
        f"budget {budget:,}"
    )
    ours = _ours(matrix, costs, budget, names)
    theirs: dict[str, Any] | None = None
    if not args.no_baseline:
        try:
            theirs = _pabutools(matrix, costs, budget, names)
        except ImportError:
            print("pabutools is not installed: no baseline (pip install pabutools)")
    print(f"{'work':<28}{'vchuang s':>12}{'pabutools s':>14}{'ratio':>9}")
    same = True
    for label, key in (
        ("build the election", "build"),
        ("equal shares (MES)", "mes"),
        ("approval greedy", "greedy"),
    ):
        if theirs is None:
            print(f"{label:<28}{ours[key]:>12.3f}{'-':>14}{'-':>9}")
        else:
            ratio = theirs[key] / ours[key] if ours[key] > 0 else float("inf")
            print(f"{label:<28}{ours[key]:>12.3f}{theirs[key]:>14.3f}{ratio:>8.1f}x")
    if theirs is not None:
        for key, label in (("mes_out", "equal shares"), ("greedy_out", "approval greedy")):
            agree = ours[key] == theirs[key]
            same &= agree
            print(f"{label}: {len(ours[key])} selected; same outcome as pabutools: {agree}")
    else:
        print(f"equal shares: {len(ours['mes_out'])} selected")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
