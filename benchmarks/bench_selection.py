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

Then every audit of the equal-shares outcome (:func:`vchuang.selection.audit`,
:func:`vchuang.selection.why_not_funded`) is timed against pabutools' own analysis
functions on the same outcome, one run each:

3. **EJR** and **PJR**: pabutools' ``is_EJR_approval`` / ``is_PJR_approval``
   (``Cost_Sat``) against vchuang's one search that decides EJR and PJR and their
   up-to-one / up-to-any variants together (timed once, quoted on both rows).
4. **Priceability**: pabutools' ``priceable(exhaustive=False)`` (a MIP through pulp)
   against vchuang's linear programme (HiGHS).
5. **Empty-handed voters**: ``percent_non_empty_handed``.
6. **Why not funded** for the ``--explain`` most supported unfunded projects:
   pabutools' ``calculate_effective_support`` (one MES run per project) against
   :func:`~vchuang.selection.why_not_funded` (smallest extra support and cost cut, by
   re-running the rule). pabutools' ``calculate_project_loss`` is left out: in
   pabutools 1.2.3 it fails on these outcomes (``'NoneType' object has no attribute
   'supporter_indices'`` on MES's last iteration).

pabutools enumerates every group of voters for EJR and PJR, which cannot finish on
thousands of voters: each baseline runs in a child process stopped after ``--limit``
seconds, and is then quoted as "> limit" (the ratio as a lower bound, ">").

Synthetic data: costs uniform in [10,000, 500,000); project popularity drawn from a
Beta(1.2, 12) (a few popular projects, a long tail; about 18 approvals per voter for 200
projects); budget 20 % of the total cost.

Run::

    python benchmarks/bench_selection.py            # 200 projects x 50,000 voters
    python benchmarks/bench_selection.py --quick    # 60 projects x 1,000 voters
    python benchmarks/bench_selection.py --limit 600  # give pabutools' audits 10 minutes
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from vchuang.selection import Ballot, Election, audit, select, why_not_funded


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


def _limited(fn: Callable[[], Any], limit: float) -> tuple[Any, float | None]:
    """``fn()`` run in a forked child, and its time; ``(None, None)`` when it did not
    finish within ``limit`` seconds (the child is then stopped)."""
    ctx = multiprocessing.get_context("fork")
    queue: Any = ctx.Queue()

    def child() -> None:
        try:
            with warnings.catch_warnings():  # pulp warns about its own API (PuLP 4)
                warnings.simplefilter("ignore")
                out, t = _timed(fn)
        except Exception as exc:  # noqa: BLE001  (reported by the parent, not raised here)
            queue.put((f"failed: {exc}", None))
            return
        queue.put((out, t))

    proc = ctx.Process(target=child)
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None, None
    if queue.empty() and proc.exitcode:
        return f"failed with exit code {proc.exitcode}", None
    out, t = queue.get(timeout=10)
    return out, t


def _audits_theirs(
    matrix: sp.csr_array,
    costs: list[int],
    budget: int,
    names: list[str],
    selected: Sequence[str],
    explain: Sequence[str],
    limit: float,
) -> dict[str, Any]:
    from pabutools.analysis import (
        calculate_effective_support,
        percent_non_empty_handed,
        priceable,
    )
    from pabutools.analysis.justifiedrepresentation import is_EJR_approval, is_PJR_approval
    from pabutools.election import ApprovalBallot, ApprovalProfile, Cost_Sat, Instance, Project

    projects = [Project(n, c) for n, c in zip(names, costs, strict=True)]
    instance = Instance(projects, budget_limit=budget)
    ballots = []
    for i in range(matrix.shape[0]):
        row = matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]
        ballots.append(ApprovalBallot([projects[j] for j in row]))
    profile = ApprovalProfile(ballots)
    w = [p for p in projects if p.name in set(selected)]
    by_name = {p.name: p for p in projects}

    def why() -> list[Any]:
        return [
            calculate_effective_support(
                instance, profile, by_name[p], False, {"sat_class": Cost_Sat}
            )
            for p in explain
        ]

    jobs: dict[str, Callable[[], Any]] = {
        "ejr": lambda: is_EJR_approval(instance, profile, Cost_Sat, w),
        "pjr": lambda: is_PJR_approval(instance, profile, Cost_Sat, w),
        "priceable": lambda: priceable(instance, profile, w, exhaustive=False).validate(),
        "empty": lambda: 1 - float(percent_non_empty_handed(instance, profile, w)),
        "why": why,
    }
    return {key: _limited(fn, limit) for key, fn in jobs.items()}


def _audits_ours(result: Any, explain: Sequence[str]) -> dict[str, Any]:
    from vchuang.selection import _audit

    election = result.election
    _, _, member = _audit._approval_sets(election)
    in_w = np.zeros(len(election.projects), dtype=bool)
    in_w[[election.position(p) for p in result.selected]] = True

    def search() -> Any:
        s = _audit._Search(election, member, in_w, result.budget, "cost", 2_000_000)
        s.run()
        return s

    tiny = Election(projects=["a"], costs=[1], budget=1, ballots=[Ballot(voter="v", items=["a"])])
    audit(select(tiny, rule="approval_greedy"))
    found, t_search = _timed(search)  # (scipy is imported by the warm-up audit above)
    print(f"  vchuang EJR + PJR search: {t_search:.3f} s", flush=True)
    (priced, _), t_price = _timed(lambda: _audit._priceable(election, member, in_w, result.budget))
    print(f"  vchuang priceability: {t_price:.3f} s", flush=True)
    empty, t_empty = _timed(lambda: float(1 - member[in_w].any(axis=0).mean()))
    _, t_why = _timed(lambda: why_not_funded(result, list(explain)))
    return {
        "ejr": ("EJR" not in found.found, t_search),
        "pjr": ("PJR" not in found.found, t_search),
        "priceable": (priced, t_price),
        "empty": (round(empty, 12), t_empty),
        "why": (None, t_why),
        "audit": t_search + t_price + t_empty,
        "complete": found.complete,
    }


def _audit_table(ours: dict[str, Any], theirs: dict[str, Any] | None, limit: float) -> bool:
    """Print the audits' table; whether every answer pabutools gave agrees."""
    print(f"{'audit':<28}{'vchuang s':>12}{'pabutools s':>14}{'ratio':>9}  answers")
    agree = True
    for label, key in (
        ("EJR (one search)", "ejr"),
        ("PJR (the same search)", "pjr"),
        ("priceability", "priceable"),
        ("empty-handed voters", "empty"),
        ("why not funded", "why"),
    ):
        answer, t_ours = ours[key]
        if theirs is None:
            print(f"{label:<28}{t_ours:>12.3f}{'-':>14}{'-':>9}  {answer}")
            continue
        out, t_theirs = theirs[key]
        if isinstance(out, str):  # the baseline failed
            print(f"{label:<28}{t_ours:>12.3f}{'-':>14}{'-':>9}  {answer}; pabutools {out}")
            continue
        if t_theirs is None:
            ratio = limit / t_ours if t_ours > 0 else float("inf")
            print(
                f"{label:<28}{t_ours:>12.3f}{'> ' + format(limit, 'g'):>14}{'>' + format(ratio, '.0f') + 'x':>9}  {answer}"
            )
            continue
        ratio = t_theirs / t_ours if t_ours > 0 else float("inf")
        same = True
        if key in ("ejr", "pjr", "priceable"):
            same = out == answer
        elif key == "empty":
            same = abs(out - answer) < 1e-9
        agree &= same
        note = f"{answer} (pabutools: {out})" if key != "why" else ""
        print(f"{label:<28}{t_ours:>12.3f}{t_theirs:>14.3f}{ratio:>8.1f}x  {note}")
    print(f"the whole audit (EJR, PJR, priceability, empty-handed): {ours['audit']:.3f} s")
    return agree


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print a table; returns 0, or 1 if an outcome differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--voters", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="60 projects x 1,000 voters")
    parser.add_argument("--no-baseline", action="store_true", help="skip pabutools")
    parser.add_argument(
        "--limit", type=float, default=120.0, help="seconds each pabutools audit may run"
    )
    parser.add_argument(
        "--explain", type=int, default=1, help="unfunded projects why-not-funded explains"
    )
    parser.add_argument("--no-audits", action="store_true", help="skip the audits")
    parser.add_argument(
        "--only-audits", action="store_true", help="skip the rules, time the audits only"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.projects, args.voters = 60, 1_000
        args.limit, args.explain = min(args.limit, 0.25), 1
    matrix, costs, budget = synthetic(args.projects, args.voters, args.seed)
    names = [f"p{j:03d}" for j in range(args.projects)]
    print(
        f"approval election: {args.projects} projects, {args.voters:,} voters, "
        f"{matrix.nnz:,} approvals ({matrix.nnz / args.voters:.1f} per voter), "
        f"budget {budget:,}"
    )
    theirs: dict[str, Any] | None = None
    if args.only_audits:
        mine, baseline = _run_audits(args, matrix, costs, budget, names)
        return 0 if _audit_table(mine, baseline, args.limit) else 1
    ours = _ours(matrix, costs, budget, names)
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
    if not args.no_audits:
        mine, baseline = _run_audits(args, matrix, costs, budget, names)
        same &= _audit_table(mine, baseline, args.limit)
    return 0 if same else 1


def _run_audits(
    args: argparse.Namespace, matrix: sp.csr_array, costs: list[int], budget: int, names: list[str]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Both sides of the audits of the equal-shares outcome (no completion)."""
    election = Election.from_matrix(matrix, costs=costs, budget=budget, projects=names, unit="PLN")
    result = select(election, rule="equal_shares", completion=None)
    support = election.support()
    unfunded = [p for p in names if p not in result.selected]
    explain = sorted(unfunded, key=lambda p: (-support[p], p))[: args.explain]
    print(
        f"audits of the equal-shares outcome ({len(result.selected)} selected); "
        f"why not funded: {', '.join(explain)}; pabutools stopped after {args.limit:g} s",
        flush=True,
    )
    mine = _audits_ours(result, explain)
    baseline: dict[str, Any] | None = None
    if not args.no_baseline:
        try:
            baseline = _audits_theirs(
                matrix, costs, budget, names, result.selected, explain, args.limit
            )
        except ImportError:
            print("pabutools is not installed: no baseline (pip install pabutools)")
    return mine, baseline


if __name__ == "__main__":
    raise SystemExit(main())
