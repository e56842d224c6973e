"""The diffusion benchmark's seed-choice table runs in quick mode (so it never rots)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path


def test_quick_ris_rows() -> None:
    path = Path(__file__).parent.parent / "benchmarks" / "bench_diffusion.py"
    spec = importlib.util.spec_from_file_location("bench_diffusion", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.main(["--quick", "--skip", "simulate", "celf", "jobs"])["ris"]
    full, *_, stopped = rows
    assert full["method"] == "ris"
    assert not full["stopped_early"]
    assert full["epsilon_achieved"] == 0.3
    assert full["samples"] > 0
    assert full["peak_mb"] > 0
    assert stopped["time_limit"] == 0.0
    assert stopped["stopped_early"]
    assert math.isnan(stopped["epsilon_achieved"]) or stopped["epsilon_achieved"] > 0.3
