"""Benchmark: synthetic districts of 10k, 100k and 1M residents.

For each size, in a fresh subprocess each (so peak memory is that run's alone):

* ``records``  — the baseline: the same records and links built without the graph
  (``vchuang.datasets._synthetic._prepare(...).records()``);
* ``synthetic`` — ``vchuang.datasets.synthetic(n)``: the records, added to a new graph
  the JSON reader's way (``CommunityGraph._load``: all at once, then checked in bulk);

and prints CPU and wall time, peak resident memory (``ru_maxrss``) and the ratio
synthetic / records, against the target (1M residents in ≤ 60 s on 2 cores and ≤ 3 GB;
wall time counts, CPU time is quoted as well since a shared machine slows the wall clock).
A second table compares the vectorised tie sampler with networkx's own
``stochastic_block_model`` on the same blocks (up to 100k residents).

Run::

    nice -n 10 python benchmarks/bench_datasets.py          # 10k, 100k, 1M (a few minutes)
    python benchmarks/bench_datasets.py --sizes 1000000     # 1M alone (about a minute)
    python benchmarks/bench_datasets.py --quick              # 10k only, a few seconds
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence

TARGET_SECONDS = 60.0
TARGET_MB = 3072.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child(kind: str, n: int, seed: int) -> dict[str, float]:
    """One measurement, run inside a subprocess."""
    import numpy as np

    from vchuang.datasets import synthetic
    from vchuang.datasets._synthetic import _prepare

    defaults = {
        "n_communities": None,
        "n_subdistricts": None,
        "building_size": 150,
        "degree_building": 2.0,
        "degree_community": 1.0,
        "degree_across": 0.2,
        "engaged_share": 0.02,
        "leader_share": 0.1,
        "activities_per_project": 3,
        "named_per_activity": 20,
        "year": 2019,
    }
    start_mb = _peak_mb()
    t0 = time.perf_counter()
    c0 = time.process_time()
    out: dict[str, float] = {}
    if kind == "records":
        from vchuang.kernel.memory import collector_paused

        with collector_paused():  # as synthetic() builds its records
            items = _prepare(n, rng=seed, **defaults).records()  # type: ignore[arg-type]
        out["items"] = len(items)
    elif kind == "synthetic":
        graph = synthetic(n, rng=seed)
        out["items"] = len(graph) + len(graph.links())
    elif kind in ("ties", "nx_sbm"):
        gen = _prepare(n, rng=seed, **defaults)  # type: ignore[arg-type]
        gen.households()
        t0 = time.perf_counter()
        c0 = time.process_time()
        if kind == "ties":
            gen.ties()
            out["edges"] = int(gen.eu.size)
        else:
            import networkx as nx

            sizes = np.bincount(gen.building).tolist()
            comm_of = np.zeros(len(sizes), dtype=np.int64)
            comm_of[gen.building] = gen.comm
            d_b, d_c, d_x = gen.degrees
            p_x = d_x / (n - 1)
            probs = []
            comm_sizes = np.bincount(gen.comm)
            for i, si in enumerate(sizes):
                row = []
                for j in range(len(sizes)):
                    p = p_x
                    if comm_of[i] == comm_of[j]:
                        p += d_c / max(int(comm_sizes[comm_of[i]]) - 1, 1)
                    if i == j:
                        p += d_b / max(si - 1, 1)
                    row.append(min(p, 1.0))
                probs.append(row)
            g = nx.stochastic_block_model(sizes, probs, seed=seed, sparse=True)
            out["edges"] = g.number_of_edges()
    else:  # pragma: no cover - internal use only
        msg = f"unknown kind {kind}"
        raise SystemExit(msg)
    out["seconds"] = time.perf_counter() - t0
    out["cpu"] = time.process_time() - c0
    out["peak_mb"] = _peak_mb()
    out["start_mb"] = start_mb
    return out


def _measure(kind: str, n: int, seed: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n), str(seed)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: Sequence[str] | None = None) -> list[dict[str, object]]:
    """Run the benchmark, print the tables and return the rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k residents only")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        metavar="N",
        help="numbers of residents to measure (default 10,000 100,000 1,000,000)",
    )
    parser.add_argument(
        "--no-ties", action="store_true", help="skip the table comparing the tie sampler"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, metavar=("KIND", "N", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, n, seed = args.child
        print(json.dumps(_child(kind, int(n), int(seed))))
        return []
    sizes = [10_000] if args.quick else [10_000, 100_000, 1_000_000]
    if args.sizes:
        sizes = args.sizes
    rows: list[dict[str, object]] = []
    load = os.getloadavg()[0]
    print(
        f"synthetic(n) against building the same records without the graph "
        f"(load average {load:.1f} on {os.cpu_count()} cores; wall time suffers under load, "
        f"CPU time much less)"
    )
    print(
        f"{'residents':>10} {'records cpu s':>14} {'synthetic cpu s':>16} {'ratio':>6} "
        f"{'synthetic wall s':>17} {'records MB':>11} {'synthetic MB':>13} {'items':>10}"
        "  target"
    )
    for n in sizes:
        base = _measure("records", n, args.seed)
        full = _measure("synthetic", n, args.seed)
        ratio = full["cpu"] / base["cpu"]
        ok = full["seconds"] <= TARGET_SECONDS and full["peak_mb"] <= TARGET_MB
        rows.append(
            {
                "residents": n,
                "records_s": base["seconds"],
                "records_cpu": base["cpu"],
                "synthetic_s": full["seconds"],
                "synthetic_cpu": full["cpu"],
                "ratio": ratio,
                "records_mb": base["peak_mb"],
                "synthetic_mb": full["peak_mb"],
                "items": int(full["items"]),
                "within_target": ok,
                "load": load,
            }
        )
        print(
            f"{n:>10,} {base['cpu']:>14.2f} {full['cpu']:>16.2f} {ratio:>6.2f} "
            f"{full['seconds']:>17.2f} {base['peak_mb']:>11.0f} {full['peak_mb']:>13.0f} "
            f"{int(full['items']):>10,}"
            f"  {'ok' if ok else 'MISSED'} (≤ {TARGET_SECONDS:.0f} s, ≤ {TARGET_MB:.0f} MB)",
            flush=True,
        )
    tie_sizes = [n for n in sizes if n <= 100_000]
    if args.no_ties or not tie_sizes:
        return rows
    print()
    print("knows ties: vectorised block sampler against networkx.stochastic_block_model")
    print(
        "(networkx gets the building, community and district levels; ours also joins each\n"
        " household into a clique, hence more edges)"
    )
    print(
        f"{'residents':>10} {'ours cpu s':>8} {'networkx cpu s':>11} {'speed-up':>9} "
        f"{'our edges':>10} {'nx edges':>9}"
    )
    for n in tie_sizes:
        ours = _measure("ties", n, args.seed)
        theirs = _measure("nx_sbm", n, args.seed)
        speed = theirs["cpu"] / ours["cpu"]
        rows.append(
            {
                "residents": n,
                "ties_s": ours["cpu"],
                "nx_sbm_s": theirs["cpu"],
                "speedup": speed,
                "edges": int(ours["edges"]),
                "nx_edges": int(theirs["edges"]),
            }
        )
        print(
            f"{n:>10,} {ours['cpu']:>8.3f} {theirs['cpu']:>11.3f} {speed:>9.1f} "
            f"{int(ours['edges']):>10,} {int(theirs['edges']):>9,}",
            flush=True,
        )
    return rows


if __name__ == "__main__":
    main()
