"""The report benchmark's quick mode runs (so the benchmark never rots), and the size
policy takes the cheap methods once a district crosses the (here lowered) limits."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def test_quick_mode_runs_and_switches_methods_above_the_limits() -> None:
    path = Path(__file__).parent.parent / "benchmarks" / "bench_report.py"
    spec = importlib.util.spec_from_file_location("bench_report", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    policy, exact = module.main(["--quick"])
    assert policy["mode"] == "policy"
    assert policy["methods"]["matching"] == "greedy"
    assert policy["methods"]["mouth"] == "fast"
    assert exact["methods"] == {"talents": "exact", "mouth": "full", "matching": "optimal"}
    assert policy["seconds"] > 0
    assert exact["seconds"] > 0
