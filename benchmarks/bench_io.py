"""Benchmark: the JSON format against plain ``json`` on the very same document.

For a synthetic district, ``vchuang.loads`` (which checks every record and every
reference and builds the graph) is timed against ``json.loads`` of the same text, and
``vchuang.dumps`` against ``json.dumps`` of the same document, in the same process, as
CPU time (the machine's cores may be shared; wall time is printed too). Each figure is
the median of ``--repeat`` runs. The memory loading adds is the growth of the process's
peak resident set during the first load (taken before anything else could raise the peak
higher). Goals (issue 23): load <= 3x ``json.loads``, save <= 2x ``json.dumps``.

    python benchmarks/bench_io.py                 # 100k and 1M residents, median of 3
    python benchmarks/bench_io.py --sizes 100000  # one size
    python benchmarks/bench_io.py --quick         # 10k residents, once (the test suite)

Whether orjson (the ``fast`` extra) was used to parse is printed; without it the load
ratio is higher, since parsing alone is then as slow as the baseline.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import vchuang
from vchuang.datasets import synthetic
from vchuang.io import _json

LOAD_GOAL = 3.0
SAVE_GOAL = 2.0


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """``fn()``, its CPU time and its wall time (s)."""
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def measure(n: int, *, seed: int = 1, repeat: int = 3) -> dict[str, Any]:
    """Times (s), sizes (MB) and ratios for a district of ``n`` residents."""
    graph = synthetic(n, rng=seed)
    text = vchuang.dumps(graph, indent=None)
    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    loaded = vchuang.loads(text)
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    if loaded != graph:
        msg = "round trip changed the graph"
        raise RuntimeError(msg)
    del loaded
    doc = json.loads(text)

    def plain_dumps() -> str:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))

    if plain_dumps() != text:
        msg = "json.dumps of the document is not the text vchuang wrote"
        raise RuntimeError(msg)
    runs: dict[str, list[tuple[float, float]]] = {}
    jobs: dict[str, Callable[[], Any]] = {
        "json_loads": lambda: json.loads(text),
        "loads": lambda: vchuang.loads(text),
        "json_dumps": plain_dumps,
        "dumps": lambda: vchuang.dumps(graph, indent=None),
    }
    for _ in range(repeat):
        for name, job in jobs.items():
            out, cpu, wall = _timed(job)
            del out
            gc.collect()
            runs.setdefault(name, []).append((cpu, wall))
    row: dict[str, Any] = {"residents": n, "mb": len(text.encode()) / 1e6}
    for name, times in runs.items():
        row[name] = statistics.median(cpu for cpu, _ in times)
        row[f"{name}_wall"] = statistics.median(wall for _, wall in times)
    row["load_ratio"] = row["loads"] / row["json_loads"]
    row["save_ratio"] = row["dumps"] / row["json_dumps"]
    row["ratio"] = (row["loads"] + row["dumps"]) / (row["json_loads"] + row["json_dumps"])
    row["peak_mb"] = peak / 1e6
    row["orjson"] = _json._fast_parser() is not None
    return row


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k residents, once")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of residents")
    parser.add_argument("--repeat", type=int, help="runs of each step (median taken)")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10_000] if args.quick else [100_000, 1_000_000])
    repeat = args.repeat or (1 if args.quick else 3)
    rows = [measure(n, repeat=repeat) for n in sizes]
    print(
        f"CPU seconds, median of {repeat}; orjson {'used' if rows[0]['orjson'] else 'absent'}; "
        f"goals: load <= {LOAD_GOAL:g}x json.loads, save <= {SAVE_GOAL:g}x json.dumps"
    )
    print(
        f"{'residents':>10} {'MB':>6} {'loads':>7} {'json':>6} {'load x':>7} "
        f"{'dumps':>7} {'json':>6} {'save x':>7} {'load +MB':>9} {'wall load x':>12}"
    )
    for r in rows:
        print(
            f"{r['residents']:>10,} {r['mb']:>6.0f} {r['loads']:>7.2f} {r['json_loads']:>6.2f} "
            f"{r['load_ratio']:>7.2f} {r['dumps']:>7.2f} {r['json_dumps']:>6.2f} "
            f"{r['save_ratio']:>7.2f} {r['peak_mb']:>9.0f} "
            f"{r['loads_wall'] / r['json_loads_wall']:>12.2f}"
        )
    return rows


if __name__ == "__main__":
    main()
