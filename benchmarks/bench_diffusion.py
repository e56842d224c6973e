"""Benchmark of word-of-mouth diffusion: Monte Carlo against CyNetDiff, RIS against CELF.

Three measurements, each against a baseline run on the same graph in the same run:

1. **Independent cascade, ``--runs`` runs** from ``--seeds`` random seeds on a random
   graph G(n, m) (``--nodes`` nodes, ``--ties`` undirected ties, so twice as many
   arcs): :func:`vchuang.diffusion.simulate` (called on the scipy adjacency, so its
   time includes turning the graph into arcs) against CyNetDiff's
   ``IndependentCascadeModel.compute_marginal_gains`` (a Cython loop; its time
   includes building the model from the same CSR arrays; the runs alone are shown
   too). One row per arc probability (``--p``; ``wc`` is the weighted cascade).
   The means must agree: the difference is compared with its standard error,
   ``sqrt(2)`` times ours (the two estimators have the same variance), and the row
   says "yes" when ``|z| <= 1.96``.
2. **Seed choice, k = ``--k``, by RIS** on the same graph
   (:func:`vchuang.diffusion.choose_seeds`, ``--ris-p``, a probability or ``wc``;
   ``--epsilon``), one row per rule for how many RR sets (``--stopping``: OPIM-C, the
   default, and IMM): time, RR sets, and the simulated spread of the seeds against the
   degree and PageRank baselines (same simulation for all). Degree and PageRank
   are timed with ``evaluate=False`` (the ranking alone), against the baseline of
   picking the ``k`` highest degrees with :func:`numpy.argsort`. Wall and CPU time and
   the peak memory of the call (:mod:`tracemalloc`) are shown; ``--time-limit`` adds
   RIS rows stopped by ``time_limit=`` with the epsilon they guarantee.
3. **RIS against CELF** (Monte Carlo lazy greedy, ``--celf-runs`` runs per estimate)
   on a smaller G(n, m) (``--celf-nodes``): time and simulated spread of both choices.
4. **Several cores**: the runs of table 1 with ``n_jobs=2`` against ``n_jobs=1`` (the
   baseline), same graph, same ``rng``, for each ``--jobs-p``; the results must be
   identical. The worker pool is started (and timed) before, so the rows show the
   steady state; under :data:`vchuang.diffusion._runs._PARALLEL_MIN_SECONDS` of work
   ``n_jobs=2`` runs in one process by itself.

Run::

    python benchmarks/bench_diffusion.py            # 100k nodes / 1M ties, 1,000 runs
    python benchmarks/bench_diffusion.py --quick    # a few seconds
    nice -n 10 python benchmarks/bench_diffusion.py --p 0.01 0.05 0.1 wc
    python benchmarks/bench_diffusion.py --skip simulate ris celf --jobs-p 0.01 wc 0.1
    python benchmarks/bench_diffusion.py --skip simulate celf jobs --methods ris --time-limit 10
    python benchmarks/bench_diffusion.py --skip simulate celf jobs --methods ris --stopping imm

CyNetDiff (``pip install cynetdiff``, in the ``bench`` extra) is optional: without it
the first table shows vchuang alone.
"""

from __future__ import annotations

import argparse
import array
import math
import os
import time
import tracemalloc
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from vchuang.diffusion import choose_seeds, simulate


def random_graph(n: int, ties: int, seed: int) -> sp.csr_array:
    """G(n, m): ``ties`` distinct undirected ties drawn uniformly, as a symmetric CSR."""
    rng = np.random.default_rng(seed)
    keys = np.zeros(0, dtype=np.int64)
    while keys.size < ties:
        u = rng.integers(n, size=ties + ties // 10)
        v = rng.integers(n, size=u.size)
        ok = u != v
        a, b = np.minimum(u, v)[ok], np.maximum(u, v)[ok]
        keys = np.unique(np.concatenate([keys, a * n + b]))
    keys = rng.permutation(keys)[:ties]
    a, b = keys // n, keys % n
    rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
    out = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(n, n))
    out.sort_indices()
    return out


def _cynetdiff_time(adj: sp.csr_array, seeds: np.ndarray, p: str, runs: int) -> Any:
    try:
        from cynetdiff.models import IndependentCascadeModel
    except ImportError:
        return None
    t0 = time.perf_counter()
    starts = array.array("I", adj.indptr[:-1].astype(np.uint32).tobytes())
    edges = array.array("I", adj.indices.astype(np.uint32).tobytes())
    if p == "wc":
        indeg = np.bincount(adj.indices, minlength=adj.shape[0])
        probs = array.array("f", (1.0 / indeg[adj.indices]).astype(np.float32).tobytes())
        model = IndependentCascadeModel(starts, edges, activation_probs=probs, rng=1)
    else:
        model = IndependentCascadeModel(starts, edges, activation_prob=float(p), rng=1)
    t1 = time.perf_counter()
    mean = model.compute_marginal_gains([int(s) for s in seeds], [], runs)[0]
    t2 = time.perf_counter()
    return mean, t2 - t0, t2 - t1


def timed(fn: Any) -> tuple[Any, float]:
    """``fn()`` and its time; calls under 5 s are timed best of three (the machine may be
    shared)."""
    t0 = time.perf_counter()
    out = fn()
    best = time.perf_counter() - t0
    if best < 5.0:
        for _ in range(2):
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
    return out, best


def _kw(p: str) -> dict[str, Any]:
    return {"probability": "wc"} if p == "wc" else {"p": float(p)}


def bench_simulate(adj: sp.csr_array, seeds: np.ndarray, ps: Sequence[str], runs: int) -> None:
    n = adj.shape[0]
    print(
        f"\n1. Independent cascade: {runs:,} runs, {seeds.size} seeds, "
        f"{n:,} nodes, {adj.nnz // 2:,} ties ({adj.nnz:,} arcs)"
    )
    header = (
        f"{'p':>6} {'vchuang s':>10} {'mean':>10} {'95% CI':>21} {'CyNetDiff s':>12} "
        f"{'(runs only)':>11} {'mean':>10} {'ratio':>6} {'z':>6} {'within CI':>9}"
    )
    print(header)
    print("-" * len(header))
    # warm up both (imports, first-call costs) on a tiny graph
    tiny = random_graph(50, 100, 0)
    simulate(tiny, [0], p=0.1, runs=10, rng=0)
    _cynetdiff_time(tiny, np.asarray([0]), "0.1", 10)
    for p in ps:
        ours, t_ours = timed(lambda p=p: simulate(adj, seeds, runs=runs, rng=1, **_kw(p)))
        ci = f"{ours.ci[0]:.1f} - {ours.ci[1]:.1f}"
        theirs = _cynetdiff_time(adj, seeds, p, runs)
        if theirs is not None and theirs[1] < 5.0:  # best of three, like ours
            again = [_cynetdiff_time(adj, seeds, p, runs) for _ in range(2)]
            theirs = (
                theirs[0],
                min(theirs[1], *(a[1] for a in again)),
                min(theirs[2], *(a[2] for a in again)),
            )
        if theirs is None:
            print(f"{p:>6} {t_ours:>10.3f} {ours.mean:>10.1f} {ci:>21} {'(not installed)':>12}")
            continue
        mean, t_all, t_runs = theirs
        se = math.sqrt(2.0) * ours.stderr
        z = (ours.mean - mean) / se if se > 0 else 0.0
        ok = "yes" if abs(z) <= 1.96 else "NO"
        print(
            f"{p:>6} {t_ours:>10.3f} {ours.mean:>10.1f} {ci:>21} {t_all:>12.3f} "
            f"{t_runs:>11.3f} {mean:>10.1f} {t_ours / t_all:>6.2f} {z:>6.2f} {ok:>9}"
        )
    print(
        "ratio: vchuang time / CyNetDiff time (model building included in both; "
        "calls under 5 s: best of 3); z: (ours - theirs) / (sqrt 2 * our standard error)"
    )


def bench_ris(
    adj: sp.csr_array,
    k: int,
    kw: dict[str, Any],
    epsilon: float,
    runs: int,
    methods: Sequence[str] = ("ris", "degree", "pagerank"),
    time_limits: Sequence[float] = (),
    stopping: Sequence[str] = ("opim-c", "imm"),
) -> list[dict[str, Any]]:
    print(f"\n2. Seed choice, k = {k}, on the same graph ({kw}), epsilon = {epsilon}")
    header = (
        f"{'method':>14} {'time s':>8} {'CPU s':>8} {'peak MB':>8} {'samples':>11} "
        f"{'eps':>6} {'spread':>9} {'± 95%':>7}"
    )
    print(header)
    print("-" * len(header))
    rows: list[dict[str, Any]] = []
    rules: dict[str, str] = {}
    todo: list[tuple[str, str, float | None]] = []
    for m in methods:
        todo += [(m, r, None) for r in stopping] if m == "ris" else [(m, "", None)]
    todo += [("ris", r, t) for t in time_limits for r in stopping]
    for method, rule, limit in todo:
        tracemalloc.start()
        t0, c0 = time.perf_counter(), time.process_time()
        c = choose_seeds(
            adj,
            k,
            method=method,
            epsilon=epsilon,
            evaluate=False,
            rng=2,
            time_limit=limit,
            **({"stopping": rule} if method == "ris" else {}),
            **kw,
        )
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        s = simulate(adj, c.seeds, runs=runs, rng=3, **kw)
        label = method
        if method == "ris":
            label = f"{rule.upper()}" + ("" if limit is None else f" {limit:g} s")
            told = [n for n in c.notes if n.startswith(("OPIM-C", "IMM", "Then", "Stopped"))]
            rules.setdefault(label, " ".join(told))
        samples = f"{c.samples:,}" if method == "ris" else "-"
        eps = f"{c.epsilon_achieved:.3f}" if method == "ris" else "-"
        print(
            f"{label:>14} {dt:>8.2f} {cpu:>8.2f} {peak:>8.0f} {samples:>11} {eps:>6} "
            f"{s.mean:>9.1f} {s.ci[1] - s.mean:>7.1f}"
        )
        rows.append(
            {
                "method": method,
                "stopping": rule or None,
                "time_limit": limit,
                "seconds": dt,
                "cpu_seconds": cpu,
                "peak_mb": peak,
                "samples": c.samples,
                "epsilon_achieved": c.epsilon_achieved,
                "stopped_early": c.stopped_early,
                "spread": s.mean,
                "halfwidth": s.ci[1] - s.mean,
            }
        )
    (top, dt) = timed(lambda: np.argsort(-np.diff(adj.indptr), kind="stable")[:k])
    s = simulate(adj, top, runs=runs, rng=3, **kw)
    print(
        f"{'argsort':>14} {dt:>8.3f} {'-':>8} {'-':>8} {'-':>11} {'-':>6} {s.mean:>9.1f} "
        f"{s.ci[1] - s.mean:>7.1f}"
    )
    print(
        "time / CPU: choose_seeds(..., evaluate=False) (no simulation of its own), wall and "
        "CPU seconds; peak MB: tracemalloc peak during the call; eps: the epsilon the RR "
        "sets guarantee (nan: none); argsort: the k highest degrees by numpy, the "
        "baseline for degree; spread: the same simulation of each method's seeds; "
        "samples: the RR sets that chose the seeds (IMM's final collection; OPIM-C's two "
        "pools together, a third of half that size checking them)"
    )
    for label, note in rules.items():
        print(f"{label}: {note}")
    return rows


def bench_celf(n: int, ties: int, k: int, kw: dict[str, Any], celf_runs: int, runs: int) -> None:
    adj = random_graph(n, ties, 7)
    print(
        f"\n3. RIS against CELF: k = {k}, {n:,} nodes, {ties:,} ties ({kw}); "
        f"CELF with {celf_runs} runs per estimate"
    )
    header = f"{'method':>6} {'time s':>8} {'spread':>9} {'± 95%':>7} {'evaluations':>12}"
    print(header)
    print("-" * len(header))
    times = {}
    for method in ("ris", "celf"):
        t0 = time.perf_counter()
        c = choose_seeds(adj, k, method=method, runs=celf_runs, rng=4, **kw)
        times[method] = time.perf_counter() - t0
        s = simulate(adj, c.seeds, runs=runs, rng=5, **kw)
        print(
            f"{method.upper():>6} {times[method]:>8.2f} {s.mean:>9.1f} "
            f"{s.ci[1] - s.mean:>7.1f} {c.evaluations:>12,}"
        )
    print(f"CELF / RIS time: {times['celf'] / times['ris']:.1f}x")


def bench_jobs(
    adj: sp.csr_array, seeds: np.ndarray, ps: Sequence[str], runs: int, warm: bool = True
) -> None:
    n = adj.shape[0]
    print(
        f"\n4. Several cores: {runs:,} runs, {seeds.size} seeds, {n:,} nodes, "
        f"{adj.nnz // 2:,} ties; n_jobs=2 against n_jobs=1"
    )
    try:
        import joblib
    except ImportError:
        print("(joblib not installed)")
        return
    if warm:  # start the workers and load vchuang in them
        t0 = time.perf_counter()
        tiny = random_graph(50, 100, 0)
        joblib.Parallel(n_jobs=2)(joblib.delayed(simulate)(tiny, [0], runs=10) for _ in range(2))
        print(f"starting 2 workers (once per session): {time.perf_counter() - t0:.2f} s")
    header = f"{'p':>6} {'n_jobs=1 s':>11} {'n_jobs=2 s':>11} {'speed-up':>9} {'identical':>9}"
    print(header)
    print("-" * len(header))
    for p in ps:
        one, t1 = timed(lambda p=p: simulate(adj, seeds, runs=runs, rng=1, **_kw(p)))
        two, t2 = timed(lambda p=p: simulate(adj, seeds, runs=runs, rng=1, n_jobs=2, **_kw(p)))
        same = np.array_equal(one.distribution, two.distribution) and np.array_equal(
            one.reached, two.reached
        )
        print(f"{p:>6} {t1:>11.3f} {t2:>11.3f} {t1 / t2:>9.2f} {'yes' if same else 'NO':>9}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        "speed-up: n_jobs=1 time / n_jobs=2 time (calls under 5 s: best of 3); "
        f"load average now {load:.1f} on {os.cpu_count()} cores (other work slows n_jobs=2)"
    )


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--ties", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument(
        "--p",
        nargs="+",
        default=["0.01", "0.05", "wc"],
        help="arc probabilities to simulate ('wc': weighted cascade)",
    )
    parser.add_argument("--k", type=int, default=50)
    parser.add_argument("--ris-p", default="wc", help="probability for the seed choice")
    parser.add_argument(
        "--methods",
        nargs="+",
        default=["ris", "degree", "pagerank"],
        choices=["ris", "degree", "pagerank"],
        help="seed-choice methods of table 2",
    )
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument(
        "--stopping",
        nargs="+",
        default=["opim-c", "imm"],
        choices=["opim-c", "imm"],
        help="RIS rules for how many RR sets, one row each",
    )
    parser.add_argument(
        "--time-limit",
        nargs="*",
        type=float,
        default=[],
        help="extra RIS rows with choose_seeds(time_limit=...) (seconds)",
    )
    parser.add_argument("--celf-nodes", type=int, default=5000)
    parser.add_argument("--celf-ties", type=int, default=20_000)
    parser.add_argument("--celf-p", default="wc")
    parser.add_argument("--celf-runs", type=int, default=200)
    parser.add_argument(
        "--jobs-p",
        nargs="+",
        default=["0.01", "wc", "0.1"],
        help="arc probabilities for the n_jobs table",
    )
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["simulate", "ris", "celf", "jobs"]
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.nodes, args.ties, args.runs, args.seeds = 3000, 15_000, 300, 10
        args.k, args.epsilon, args.ris_p = 5, 0.3, "0.05"
        args.celf_nodes, args.celf_ties, args.celf_runs = 300, 900, 50
        args.p = ["0.01", "0.05", "wc"]
        args.jobs_p = ["0.05"]
        args.time_limit = args.time_limit or [0.0]
    adj = random_graph(args.nodes, args.ties, 0)
    seeds = np.random.default_rng(1).choice(args.nodes, args.seeds, replace=False)
    if "simulate" not in args.skip:
        bench_simulate(adj, seeds, args.p, args.runs)
    rows: dict[str, Any] = {}
    if "ris" not in args.skip:
        rows["ris"] = bench_ris(
            adj,
            args.k,
            _kw(args.ris_p),
            args.epsilon,
            args.runs,
            args.methods,
            args.time_limit,
            args.stopping,
        )
    if "celf" not in args.skip:
        bench_celf(
            args.celf_nodes, args.celf_ties, args.k, _kw(args.celf_p), args.celf_runs, args.runs
        )
    if "jobs" not in args.skip:
        bench_jobs(adj, seeds, args.jobs_p, args.runs, warm=not args.quick)
    return rows


if __name__ == "__main__":
    main()
