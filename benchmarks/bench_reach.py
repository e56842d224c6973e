"""Benchmark of point–line–surface reach and the coverage engine.

Two measurements, each against a baseline run on the same synthetic data in the same run:

1. **Max coverage, k picks** over a lines × residents incidence: the library's lazy
   greedy (CELF, :func:`vchuang.kernel.coverage.max_coverage`) against a plain set-based
   greedy (Python sets; every set's gain recomputed at every pick) and against a
   non-lazy vectorised greedy (one sparse mat-vec per pick). The picks must agree.
2. **All reach measures for P points in one pass** (:func:`vchuang.reach._measures`:
   unique reach, per-point reach, fragility and Shapley share, line overlaps (Jaccard),
   segment / community / cell coverage), with time and peak memory, against the same
   measures computed with Python sets and dicts (an inverted index for the overlaps).

Synthetic data (numpy, no graph): residents in communities of ``--community`` people;
each line draws a log-normal number of members (mean ``--mean-size``), 80 % from its
home community, 20 % from anywhere; each line is held by one point (10 % by two);
each resident lists 0–2 of 20 segments.

Run::

    python benchmarks/bench_reach.py            # 1M residents x 10k lines, k=100, 1k points
    python benchmarks/bench_reach.py --quick    # a few seconds

``--baseline-k`` limits the plain greedy to fewer picks when it runs too long; the
table then compares both at that k, and also extrapolates the plain greedy to k
(its per-pick work is constant: every set's gain, every pick).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp

from vchuang.kernel.coverage import as_incidence, max_coverage
from vchuang.reach import _measures


def synthetic(
    n_residents: int,
    n_lines: int,
    mean_size: float,
    community: int,
    n_points: int,
    n_segments: int,
    seed: int,
) -> dict[str, Any]:
    """Lines × residents, points × lines, residents × segments, resident communities."""
    rng = np.random.default_rng(seed)
    n_comm = max(1, n_residents // community)
    sigma = 0.8
    sizes = rng.lognormal(np.log(mean_size) - sigma**2 / 2, sigma, n_lines)
    sizes = np.clip(np.rint(sizes), 1, n_residents).astype(np.int64)
    rows = np.repeat(np.arange(n_lines, dtype=np.int64), sizes)
    home = rng.integers(0, n_comm, n_lines)
    local = rng.random(rows.size) < 0.8
    size_c = n_residents // n_comm
    cols = np.where(
        local,
        home[rows] * size_c + rng.integers(0, size_c, rows.size),
        rng.integers(0, n_residents, rows.size),
    )
    lines = as_incidence(
        sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(n_lines, n_residents))
    )
    holder = rng.integers(0, n_points, n_lines)
    second = rng.random(n_lines) < 0.1
    pr = np.concatenate([holder, rng.integers(0, n_points, int(second.sum()))])
    pc = np.concatenate([np.arange(n_lines), np.flatnonzero(second)])
    point_line = sp.csr_array((np.ones(pr.size), (pr, pc)), shape=(n_points, n_lines))
    point_line.sum_duplicates()
    point_line.data[:] = 1.0
    n_seg_of = rng.integers(0, 3, n_residents)
    mr = np.repeat(np.arange(n_residents), n_seg_of)
    mc = rng.integers(0, n_segments, mr.size)
    members = sp.csr_array((np.ones(mr.size), (mr, mc)), shape=(n_residents, n_segments))
    members.sum_duplicates()
    members.data[:] = 1.0
    comm = np.minimum(np.arange(n_residents) // size_c, n_comm - 1).astype(np.int64)
    return {
        "lines": lines,
        "point_line": point_line,
        "members": members,
        "community": comm,
        "n_communities": n_comm,
    }


# ---------------------------------------------------------------- baselines


def plain_greedy(sets: Sequence[set[int]], k: int) -> list[int]:
    """The textbook greedy with Python sets: every gain recomputed at every pick;
    ties to the lower index."""
    covered: set[int] = set()
    chosen: list[int] = []
    taken = set()
    for _ in range(k):
        best, best_gain = -1, 0
        for i, s in enumerate(sets):
            if i in taken:
                continue
            gain = len(s - covered)
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break
        chosen.append(best)
        taken.add(best)
        covered |= sets[best]
    return chosen


def matvec_greedy(inc: Any, k: int) -> list[int]:
    """Greedy without laziness: all gains by one sparse mat-vec per pick."""
    residual = np.ones(inc.shape[1])
    chosen: list[int] = []
    for _ in range(k):
        g = inc @ residual
        best = int(np.argmax(g))
        if g[best] <= 0:
            break
        chosen.append(best)
        residual[inc.indices[inc.indptr[best] : inc.indptr[best + 1]]] = 0.0
    return chosen


def plain_measures(
    point_sets: Sequence[set[int]],
    line_sets: Sequence[set[int]],
    members: Sequence[Sequence[int]],
    community: Sequence[int],
) -> dict[str, Any]:
    """The same measures with sets, Counters and an inverted index."""
    k_r: Counter[int] = Counter()
    for s in point_sets:
        k_r.update(s)
    fragility = [sum(1 for r in s if k_r[r] == 1) for s in point_sets]
    shapley = [sum(1.0 / k_r[r] for r in s) for s in point_sets]
    lines_of: dict[int, list[int]] = {}
    for j, s in enumerate(line_sets):
        for r in s:
            lines_of.setdefault(r, []).append(j)
    shared: Counter[tuple[int, int]] = Counter()
    for ls in lines_of.values():
        for a in range(len(ls)):
            for b in range(a + 1, len(ls)):
                shared[ls[a], ls[b]] += 1
    seg: Counter[int] = Counter()
    comm: Counter[int] = Counter()
    for r in k_r:
        seg.update(members[r])
        comm[community[r]] += 1
    return {
        "unique": len(k_r),
        "fragility": fragility,
        "shapley": shapley,
        "pairs": len(shared),
        "segments": seg,
        "communities": comm,
    }


# ---------------------------------------------------------------- runs


class Timing(NamedTuple):
    """CPU and wall-clock seconds of one step. The machine may be shared, so CPU time
    (of this process; numpy and scipy.sparse run these steps on one thread) is the fair
    measure and the one ratios use; wall time is shown beside it."""

    cpu: float
    wall: float


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, Timing]:
    gc.collect()
    w, t = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, Timing(time.process_time() - t, time.perf_counter() - w)


def peak_memory(fn: Any, *args: Any, **kwargs: Any) -> float:
    """Peak bytes allocated (tracemalloc, numpy included) while ``fn`` runs, in MB."""
    gc.collect()
    tracemalloc.start()
    fn(*args, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--mean-size", type=float, default=310.0)
    parser.add_argument("--community", type=int, default=5_000)
    parser.add_argument("--points", type=int, default=1_000)
    parser.add_argument("--k", type=int, default=100)
    parser.add_argument(
        "--baseline-k",
        type=int,
        default=None,
        help="picks for the plain set-based greedy (default: k)",
    )
    parser.add_argument(
        "--skip-plain-measures",
        action="store_true",
        help="do not run the set-based baseline of the measures",
    )
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args(argv)
    if args.quick:
        args.residents, args.lines, args.points, args.k = 20_000, 500, 50, 20
        args.mean_size, args.community = 120.0, 1_000
    k = args.k
    kb = min(args.baseline_k or k, k)

    data, t_build = timed(
        synthetic,
        args.residents,
        args.lines,
        args.mean_size,
        args.community,
        args.points,
        20,
        args.seed,
    )
    inc = data["lines"]
    print(
        f"reach benchmark: {args.residents:,} residents x {args.lines:,} lines, "
        f"{inc.nnz:,} incidences; k={k}; {args.points:,} points "
        f"(data built in {t_build.wall:.1f} s)"
    )
    print("times: CPU seconds of this process (ratios use them) / wall-clock seconds")

    # -- max coverage
    celf, t_celf = timed(max_coverage, inc, k)
    celf_b, t_celf_b = timed(max_coverage, inc, kb) if kb != k else (celf, t_celf)
    mv, t_mv = timed(matvec_greedy, inc, kb)
    sets, t_sets = timed(
        lambda: [
            set(inc.indices[inc.indptr[i] : inc.indptr[i + 1]].tolist())
            for i in range(inc.shape[0])
        ]
    )
    plain, t_plain = timed(plain_greedy, sets, kb)
    same = plain == celf_b.chosen.tolist() == mv
    rows: list[tuple[str, int, Timing, int, float | None]] = [
        ("lazy greedy (CELF, vchuang)", celf.chosen.size, t_celf, celf.evaluations, None),
    ]
    if kb != k:
        rows.append(
            ("lazy greedy (CELF, vchuang)", celf_b.chosen.size, t_celf_b, celf_b.evaluations, None)
        )
    rows += [
        (
            "greedy, sparse mat-vec per pick",
            len(mv),
            t_mv,
            len(mv) * inc.shape[0],
            t_mv.cpu / t_celf_b.cpu,
        ),
        (
            "plain set-based greedy",
            len(plain),
            t_plain,
            len(plain) * inc.shape[0],
            t_plain.cpu / t_celf_b.cpu,
        ),
    ]
    print()
    print(
        f"{'max coverage':34} {'picks':>5} {'CPU s':>8} {'wall s':>8} {'CPU ms/pick':>12} "
        f"{'gain evals':>11} {'speed-up of CELF':>17}"
    )
    for name, picks, t, evals, ratio in rows:
        per = 1000 * t.cpu / max(picks, 1)
        r = "" if ratio is None else f"{ratio:,.0f}x"
        print(
            f"{name:34} {picks:>5} {t.cpu:>8.3f} {t.wall:>8.3f} {per:>12.2f} {evals:>11,} {r:>17}"
        )
    if kb != k:
        est = t_plain.cpu / max(len(plain), 1) * k
        print(
            f"plain greedy extrapolated to k={k}: {est:.1f} CPU s (its per-pick work is "
            f"constant); speed-up of CELF at k={k}: {est / t_celf.cpu:,.0f}x"
        )
    print(
        f"same picks: {same}; CELF covered {celf.value:,.0f} residents with {k} lines "
        f"(online bound {celf.bound:,.0f}, so >= {celf.value / celf.bound:.1%} of optimal); "
        f"building the Python sets took {t_sets.cpu:.1f} s (not counted)"
    )

    # -- measures
    pl, members, comm = data["point_line"], data["members"], data["community"]
    kw = {"members": members, "community": comm, "n_communities": data["n_communities"]}
    m, t_m = timed(_measures, pl, inc, **kw)
    mem = peak_memory(_measures, pl, inc, **kw)
    print()
    print(
        f"{'reach measures, ' + format(args.points, ',') + ' points':34} "
        f"{'CPU s':>8} {'wall s':>8} {'peak MB':>8} {'speed-up':>9}"
    )
    print(f"{'one pass over the incidence':34} {t_m.cpu:>8.3f} {t_m.wall:>8.3f} {mem:>8.0f}")
    result: dict[str, Any] = {
        "celf_s": t_celf.cpu,
        "plain_s": t_plain.cpu,
        "plain_k": kb,
        "same": same,
        "measures_s": t_m.cpu,
        "measures_mb": mem,
        "speedup": t_plain.cpu / t_celf_b.cpu,
    }
    if not args.skip_plain_measures:
        point_sets = [
            set().union(*(sets[j] for j in pl[[i]].indices.tolist())) for i in range(pl.shape[0])
        ]
        mem_lists = [
            members.indices[members.indptr[r] : members.indptr[r + 1]].tolist()
            for r in range(members.shape[0])
        ]
        comm_list = comm.tolist()
        base, t_base = timed(plain_measures, point_sets, sets, mem_lists, comm_list)
        ok = (
            base["unique"] == m.unique
            and base["fragility"] == m.fragility.tolist()
            and np.allclose(base["shapley"], m.shapley)
            and base["pairs"] == m.pair_i.size
        )
        print(
            f"{'plain sets, Counters, inverted index':34} {t_base.cpu:>8.3f} "
            f"{t_base.wall:>8.3f} {'':>8} {t_base.cpu / t_m.cpu:>8.0f}x"
        )
        print(
            f"same measures: {ok}; unique reach {m.unique:,}; "
            f"{m.pair_i.size:,} overlapping line pairs"
        )
        result.update(plain_measures_s=t_base.cpu, same_measures=ok)
    sys.stdout.flush()
    return result


if __name__ == "__main__":
    main()
