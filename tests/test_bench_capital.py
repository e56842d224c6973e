"""The research-measures benchmark's quick mode runs (so the benchmark never rots)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def test_quick_mode_runs() -> None:
    path = Path(__file__).parent.parent / "benchmarks" / "bench_capital.py"
    spec = importlib.util.spec_from_file_location("bench_capital", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.main(["--quick", "--residents", "2000"])
    assert [row["measure"] for row in rows] == [
        "brokerage", "participation", "retention", "dormancy", "position_generator",
    ]  # fmt: skip
    assert all(row["seconds"] >= 0 and row["peak_mb"] >= 0 for row in rows)
