"""Benchmark: ``vchuang report`` at district scale, against a baseline from the same run.

For each size a synthetic district is built (or read from ``--data DIR/synN.json``)
and, in a fresh subprocess per measurement (so that one size's peak memory does not
hide the next one's), the report is written with the size policy
(:class:`vchuang.report.Scale`); the process's peak resident set is its maximum RSS.
Wall seconds and CPU seconds are both given: on a shared machine the CPU time is the
steadier figure.
Two baselines are measured in the same run:

* ``publish``: loading nothing more than the data and its published form
  (:func:`vchuang.privacy.for_publication`), the floor every report pays;
* ``exact``: the report with :meth:`Scale.exact` (the settings of the report before
  sizes were weighed) at the sizes where that still runs (up to ``--exact-max``;
  at 100,000 residents it ran out of 14 GB in the matching).

    python benchmarks/bench_report.py                      # 10k and 100k residents
    python benchmarks/bench_report.py --sizes 10000 100000 1000000
    python benchmarks/bench_report.py --data /work/scale   # reuse synN.json files
    python benchmarks/bench_report.py --quick              # a tiny district, lowered limits
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

#: Limits low enough that a tiny district crosses every one of them (quick mode).
LOW = {"exact_pairs": 1, "spread_residents": 100, "pivot_residents": 100, "pivots": 8}


def _graph(n: int, data: str | None) -> Any:
    import vchuang

    if data is not None and (Path(data) / f"syn{n}.json").exists():
        return vchuang.load(Path(data) / f"syn{n}.json")
    return vchuang.datasets.synthetic(n, rng=1)


def run_one(n: int, mode: str, data: str | None, limits: dict[str, int] | None) -> dict[str, Any]:
    """One measurement in this process: ``mode`` is ``"publish"``, ``"policy"`` or
    ``"exact"``."""
    from vchuang.privacy import for_publication
    from vchuang.report import Scale, build_report

    graph = _graph(n, data)
    start = time.perf_counter()
    cpu = time.process_time()
    methods: dict[str, str] = {}
    if mode == "publish":
        for_publication(graph, key=b"benchmark key of 32 bytes......")
    else:
        scale = Scale.exact() if mode == "exact" else Scale(**(limits or {}))
        with tempfile.TemporaryDirectory() as out:
            report = build_report(graph, out, key=b"benchmark key of 32 bytes......", scale=scale)
        methods = dict(report.methods)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "residents": n,
        "mode": mode,
        "seconds": round(seconds, 1),
        "cpu": round(cpu, 1),
        "peak_gb": round(peak_kb / 1e6, 2),
        "methods": methods,
    }


def _in_subprocess(
    n: int, mode: str, data: str | None, limits: dict[str, int] | None, timeout: float
) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", str(n), "--mode", mode]
    if data is not None:
        command += ["--data", data]
    if limits is not None:
        command += ["--limits", json.dumps(limits)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {
            "residents": n,
            "mode": mode,
            "seconds": None,
            "cpu": None,
            "peak_gb": None,
            "methods": {},
        }
    row: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return row


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Run the benchmark and print its table; returns its rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--quick", action="store_true", help="a tiny district, lowered limits")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--exact-max", type=int, default=20_000)
    parser.add_argument("--data", default=None, help="a folder with synN.json files to reuse")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="policy", help=argparse.SUPPRESS)
    parser.add_argument("--limits", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        limits = json.loads(args.limits) if args.limits else None
        print(json.dumps(run_one(args.one, args.mode, args.data, limits)))
        return []
    if args.quick:
        # in this process: a district small enough for the test suite, with limits low
        # enough that every section must take its cheap method, then the exact ones
        rows = [run_one(600, "policy", None, LOW), run_one(600, "exact", None, None)]
    else:
        rows = []
        for n in args.sizes:
            rows.append(_in_subprocess(n, "publish", args.data, None, args.timeout))
            rows.append(_in_subprocess(n, "policy", args.data, None, args.timeout))
            if n <= args.exact_max:
                rows.append(_in_subprocess(n, "exact", args.data, None, args.timeout))
    print(f"{'residents':>10} {'mode':>8} {'seconds':>8} {'cpu s':>8} {'peak GB':>8}  methods")
    for row in rows:
        methods = ", ".join(f"{k}={v}" for k, v in sorted(row["methods"].items()))
        print(
            f"{row['residents']:>10,} {row['mode']:>8} {row['seconds']!s:>8} "
            f"{row['cpu']!s:>8} {row['peak_gb']!s:>8}  {methods}"
        )
    return rows


if __name__ == "__main__":
    main()
