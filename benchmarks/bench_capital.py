"""Benchmark of the research measures: brokerage, participation, survival, generators.

On a synthetic district (:func:`vchuang.datasets.synthetic`) it times, in one run, with
the peak memory each step allocates (tracemalloc):

1. ``brokerage`` by community (the issue's goal: under 30 s on 100,000 residents);
2. ``participation`` by quarter (highest rung, timeline, transitions, shares);
3. ``retention`` and ``dormancy`` (Kaplan–Meier and log-rank by community);
4. ``position_generator`` on one synthetic answer list per resident.

Run::

    python benchmarks/bench_capital.py            # 100,000 residents
    python benchmarks/bench_capital.py --quick    # 5,000 residents, a few seconds
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import vchuang
from vchuang.capital import ILLUSTRATIVE_PRESTIGE, brokerage, position_generator
from vchuang.participation import participation
from vchuang.survival import dormancy, retention


def _timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result, seconds and peak MB of ``work()``."""
    tracemalloc.start()
    start = time.perf_counter()
    out = work()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return out, seconds, peak / 2**20


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Run the benchmark; print and return one row per measure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="5,000 residents")
    parser.add_argument("--residents", type=int, default=None)
    args = parser.parse_args(argv)
    n = args.residents or (5_000 if args.quick else 100_000)
    graph = vchuang.datasets.synthetic(n, rng=1)
    occupations = list(ILLUSTRATIVE_PRESTIGE)
    rng = np.random.default_rng(1)
    answers = {
        r.id: [occupations[int(i)] for i in rng.choice(len(occupations), 5, replace=False)]
        for r in graph.residents()
    }
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("brokerage", lambda: brokerage(graph, "community")),
        ("participation", lambda: participation(graph)),
        ("retention", lambda: retention(graph)),
        ("dormancy", lambda: dormancy(graph)),
        ("position_generator", lambda: position_generator(answers, prestige=ILLUSTRATIVE_PRESTIGE)),
    ]
    rows = []
    for name, work in steps:
        _, seconds, peak = _timed(work)
        rows.append({"measure": name, "residents": n, "seconds": seconds, "peak_mb": peak})
    print(f"{'measure':<20} {'residents':>10} {'seconds':>9} {'peak MB':>9}")
    for row in rows:
        print(
            f"{row['measure']:<20} {row['residents']:>10,} {row['seconds']:>9.2f} "
            f"{row['peak_mb']:>9.1f}"
        )
    return rows


if __name__ == "__main__":
    main()
