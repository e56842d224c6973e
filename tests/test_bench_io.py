"""The JSON benchmark's quick mode runs (so the benchmark never rots)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def test_quick_mode_runs() -> None:
    path = Path(__file__).parent.parent / "benchmarks" / "bench_io.py"
    spec = importlib.util.spec_from_file_location("bench_io", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (row,) = module.main(["--quick"])
    assert row["residents"] == 10_000
    assert row["ratio"] > 0
    assert row["load_ratio"] > 0 and row["save_ratio"] > 0
    assert row["peak_mb"] >= 0
    assert row["parquet_ratio"] > 0  # the Parquet table (pyarrow is in the test extra)
