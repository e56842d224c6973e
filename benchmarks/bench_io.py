"""Benchmark: the JSON format's round trip against plain ``json`` on the same document.

For a synthetic district, ``vchuang.dumps`` + ``vchuang.loads`` (which checks every
record, every reference and builds the graph) is timed against ``json.dumps`` +
``json.loads`` of the very same document, in the same run; the memory the load adds is
read from the process's peak resident set (a lower bound when an earlier step peaked
higher). DESIGN.md's goal is a ratio of at most 4.

    python benchmarks/bench_io.py            # 100k and 1M residents
    python benchmarks/bench_io.py --quick    # 10k residents
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Sequence

import vchuang
from vchuang.datasets import synthetic


def _timed(fn: object, *args: object) -> tuple[object, float]:
    start = time.perf_counter()
    out = fn(*args)  # type: ignore[operator]
    return out, time.perf_counter() - start


def measure(n: int, seed: int = 1) -> dict[str, float]:
    """Times (s), sizes (MB) and the ratio for a district of ``n`` residents."""
    graph = synthetic(n, rng=seed)
    text, t_dump = _timed(lambda g: vchuang.dumps(g, indent=None), graph)
    assert isinstance(text, str)
    # timed untraced (tracemalloc slows allocation-heavy code several times); the peak is
    # the growth of the process's maximum resident set while loading
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    loaded, t_load = _timed(vchuang.loads, text)
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    if loaded != graph:
        msg = "round trip changed the graph"
        raise RuntimeError(msg)
    doc = json.loads(text)
    plain, j_dump = _timed(lambda d: json.dumps(d, ensure_ascii=False, separators=(",", ":")), doc)
    _, j_load = _timed(json.loads, plain)
    return {
        "residents": n,
        "mb": len(text.encode()) / 1e6,
        "dumps": t_dump,
        "loads": t_load,
        "json_dumps": j_dump,
        "json_loads": j_load,
        "ratio": (t_dump + t_load) / (j_dump + j_load),
        "peak_mb": peak / 1e6,
    }


def main(argv: Sequence[str] | None = None) -> list[dict[str, float]]:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k residents only")
    args = parser.parse_args(argv)
    sizes = [10_000] if args.quick else [100_000, 1_000_000]
    rows = [measure(n) for n in sizes]
    print(
        f"{'residents':>10} {'MB':>6} {'dumps s':>8} {'loads s':>8} {'json s':>7} "
        f"{'ratio':>6} {'load +MB':>12}  (goal: ratio <= 4)"
    )
    for r in rows:
        print(
            f"{r['residents']:>10,.0f} {r['mb']:>6.0f} {r['dumps']:>8.2f} {r['loads']:>8.2f} "
            f"{r['json_dumps'] + r['json_loads']:>7.2f} {r['ratio']:>6.1f} "
            f"{r['peak_mb']:>12.0f}"
        )
    return rows


if __name__ == "__main__":
    main()
