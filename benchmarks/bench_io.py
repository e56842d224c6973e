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

A second table (``--parquet``, on by default when pyarrow is installed) times the
columnar format (:mod:`vchuang.io.parquet`) against ``vchuang.load`` of the JSON file of
the same graph, in the same run: ``load_parquet`` CPU time over ``vchuang.load`` CPU
time (goal: <= 1/10), file sizes, and the peak memory each first load adds.

    python benchmarks/bench_io.py --parquet-only  # only the Parquet table
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

import vchuang
from vchuang.datasets import synthetic
from vchuang.io import _json

LOAD_GOAL = 3.0
SAVE_GOAL = 2.0
PARQUET_GOAL = 0.1  # load_parquet <= 1/10 of vchuang.load of the JSON file


def _timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """``fn()``, its CPU time and its wall time (s)."""
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall


def _medians(jobs: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Each job run ``repeat`` times, the jobs taking turns: the median CPU time of each
    (``name``) and its median wall time (``name_wall``)."""
    runs: dict[str, list[tuple[float, float]]] = {}
    for _ in range(repeat):
        for name, job in jobs.items():
            out, cpu, wall = _timed(job)
            del out
            gc.collect()
            runs.setdefault(name, []).append((cpu, wall))
    out: dict[str, float] = {}
    for name, times in runs.items():
        out[name] = statistics.median(cpu for cpu, _ in times)
        out[f"{name}_wall"] = statistics.median(wall for _, wall in times)
    return out


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
    jobs: dict[str, Callable[[], Any]] = {
        "json_loads": lambda: json.loads(text),
        "loads": lambda: vchuang.loads(text),
        "json_dumps": plain_dumps,
        "dumps": lambda: vchuang.dumps(graph, indent=None),
    }
    row: dict[str, Any] = {"residents": n, "mb": len(text.encode()) / 1e6}
    row.update(_medians(jobs, repeat))
    row["load_ratio"] = row["loads"] / row["json_loads"]
    row["save_ratio"] = row["dumps"] / row["json_dumps"]
    row["ratio"] = (row["loads"] + row["dumps"]) / (row["json_loads"] + row["json_dumps"])
    row["peak_mb"] = peak / 1e6
    row["orjson"] = _json._fast_parser() is not None
    return row


def measure_parquet(n: int, *, seed: int = 1, repeat: int = 3) -> dict[str, Any]:
    """``load_parquet`` against ``vchuang.load`` of the JSON file of the same graph."""
    from pathlib import Path

    from vchuang.io.parquet import load_parquet, save_parquet

    graph = synthetic(n, rng=seed)
    with tempfile.TemporaryDirectory() as folder:
        pq_path, json_path = Path(folder) / "g.parquet", Path(folder) / "g.json"
        save_parquet(graph, pq_path)
        vchuang.save(graph, json_path, indent=None)
        row: dict[str, Any] = {
            "residents": n,
            "parquet_mb": pq_path.stat().st_size / 1e6,
            "json_mb": json_path.stat().st_size / 1e6,
        }
        for name, job in (
            ("parquet", lambda: load_parquet(pq_path)),
            ("json", lambda: vchuang.load(json_path)),
        ):
            gc.collect()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            loaded = job()
            row[f"{name}_peak_mb"] = (
                (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024 / 1e6
            )
            if loaded != graph:
                msg = f"{name} round trip changed the graph"
                raise RuntimeError(msg)
            del loaded
        _, row["save_parquet"], _ = _timed(lambda: save_parquet(graph, pq_path))
        jobs: dict[str, Callable[[], Any]] = {
            "load_json": lambda: vchuang.load(json_path),
            "load_parquet": lambda: load_parquet(pq_path),
        }
        row.update(_medians(jobs, repeat))
    row["parquet_ratio"] = row["load_parquet"] / row["load_json"]
    return row


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Run the benchmark and print its tables; one row per size (the Parquet figures,
    ``"parquet_ratio"`` and others, in the same row when measured)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k residents, once")
    parser.add_argument("--sizes", type=int, nargs="+", help="numbers of residents")
    parser.add_argument("--repeat", type=int, help="runs of each step (median taken)")
    parser.add_argument("--no-parquet", action="store_true", help="skip the Parquet table")
    parser.add_argument("--parquet-only", action="store_true", help="only the Parquet table")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10_000] if args.quick else [100_000, 1_000_000])
    repeat = args.repeat or (1 if args.quick else 3)
    rows = [] if args.parquet_only else [measure(n, repeat=repeat) for n in sizes]
    if rows:
        _print_json(rows, repeat)
    if args.no_parquet or importlib.util.find_spec("pyarrow") is None:
        return rows
    pq_rows = [measure_parquet(n, repeat=repeat) for n in sizes]
    print(
        f"\nParquet (vchuang.io.parquet) against vchuang.load of the JSON file; CPU seconds, "
        f"median of {repeat}; goal: load_parquet <= {PARQUET_GOAL:g}x vchuang.load"
    )
    print(
        f"{'residents':>10} {'pq MB':>6} {'json MB':>7} {'pq load':>8} {'json load':>9} "
        f"{'ratio':>6} {'pq +MB':>7} {'json +MB':>8} {'pq save':>8} {'wall ratio':>10}"
    )
    for r in pq_rows:
        print(
            f"{r['residents']:>10,} {r['parquet_mb']:>6.0f} {r['json_mb']:>7.0f} "
            f"{r['load_parquet']:>8.2f} {r['load_json']:>9.2f} {r['parquet_ratio']:>6.2f} "
            f"{r['parquet_peak_mb']:>7.0f} {r['json_peak_mb']:>8.0f} {r['save_parquet']:>8.2f} "
            f"{r['load_parquet_wall'] / r['load_json_wall']:>10.2f}"
        )
    if not rows:
        return pq_rows
    for row, pq_row in zip(rows, pq_rows, strict=True):  # one row per size, both tables
        row.update({k: v for k, v in pq_row.items() if k != "residents"})
    return rows


def _print_json(rows: list[dict[str, Any]], repeat: int) -> None:
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


if __name__ == "__main__":
    main()
