"""Talent rankings routed to nx-parallel give the same numbers as the sparse path.

nx-parallel (the networkx backend that runs networkx's own algorithms on several cores
through joblib) is not in the test extra: its newest release, 0.3, imports only with
networkx < 3.5. CI runs this file in a second environment with networkx 3.4.2 and
nx-parallel 0.3 (`VCHUANG_REQUIRE_NX_PARALLEL=1`, see `.ci/run`); elsewhere it is
skipped when nx-parallel cannot be imported.
"""

from __future__ import annotations

import os
from typing import Any

import networkx as nx
import pytest

import vchuang
from vchuang.talent import rank_talents

if os.environ.get("VCHUANG_REQUIRE_NX_PARALLEL"):
    import nx_parallel
else:
    try:
        import nx_parallel
    except Exception as exc:  # noqa: BLE001  (0.3 fails at import with networkx >= 3.5)
        pytest.skip(f"nx-parallel cannot be imported here: {exc}", allow_module_level=True)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the nx-parallel functions networkx really called."""
    called: list[str] = []
    interface = nx_parallel.BackendInterface
    for name in ("betweenness_centrality",):
        original = getattr(interface, name)

        def wrapped(*args: Any, _name: str = name, _f: Any = original, **kwargs: Any) -> Any:
            called.append(_name)
            return _f(*args, **kwargs)

        monkeypatch.setattr(interface, name, staticmethod(wrapped))
    return called


def _scores(ranking: Any) -> dict[str, tuple[float, ...]]:
    return {
        row["resident"]: (row["betweenness"], row["pagerank"], row["brokerage"])
        for row in ranking.to_rows()
    }


def test_backend_parallel_gives_the_sparse_numbers(
    example: vchuang.CommunityGraph, spy: list[str]
) -> None:
    sparse = rank_talents(example)
    routed = rank_talents(example, backend="parallel")
    assert routed.backend == "parallel"
    assert spy == ["betweenness_centrality"]  # nx-parallel really ran
    ours, theirs = _scores(sparse), _scores(routed)
    assert ours.keys() == theirs.keys()
    for resident, values in ours.items():
        assert theirs[resident] == pytest.approx(values, abs=1e-9)
    assert [r["resident"] for r in routed.to_rows()] == [r["resident"] for r in sparse.to_rows()]


def test_backend_priority_routes_to_nx_parallel(
    example: vchuang.CommunityGraph, spy: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nx.config.backend_priority, "algos", ["parallel"])
    routed = rank_talents(example)
    assert "betweenness_centrality" in spy
    monkeypatch.setattr(nx.config.backend_priority, "algos", [])
    sparse = rank_talents(example)
    for resident, values in _scores(sparse).items():
        assert _scores(routed)[resident] == pytest.approx(values, abs=1e-9)


def test_backend_parallel_on_several_cores_is_deterministic(
    example: vchuang.CommunityGraph,
) -> None:
    with nx.config.backends.parallel(n_jobs=2):
        first = _scores(rank_talents(example, backend="parallel"))
    second = _scores(rank_talents(example, backend="parallel"))
    assert first == second
