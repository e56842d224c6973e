"""Monte Carlo on a Dask cluster gives what one process gives.

The runs are dispatched by joblib, so a Dask cluster is reached through
``joblib.parallel_config(backend="dask")`` with a ``distributed.Client`` — no code of
vchuang's knows about Dask. This starts a real ``LocalCluster`` of two worker
processes (as a cluster of two machines would, every task's arrays are pickled and
sent) and checks each Monte Carlo entry point against ``n_jobs=1`` with the same seed:
word of mouth (:func:`vchuang.diffusion.simulate`), seed choice by CELF
(:func:`vchuang.diffusion.choose_seeds`) and micro-fund sustainability
(:func:`vchuang.funding.sustainability`).

Installed by the ``cluster`` extra (``pip install 'vchuang[cluster]'``), which the
``test`` extra pulls in; skipped where ``distributed`` is missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import vchuang
from vchuang import datasets
from vchuang.diffusion import _runs, _seeds, choose_seeds, simulate
from vchuang.funding import sustainability

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    """A two-worker local cluster, one thread each, started once for this file."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=50,  # logging.CRITICAL: a worker's start-up chatter is not a test
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


@pytest.fixture(autouse=True)
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pilot's runs take milliseconds, under the threshold at which word of mouth
    bothers starting workers, and CELF's blocks of runs would be one block; lower both so
    every call here really uses the cluster."""
    monkeypatch.setattr(_runs, "_PARALLEL_MIN_SECONDS", 0.0)
    monkeypatch.setattr(_seeds, "_MC_CELLS", 1)  # a block per candidate


def _on_cluster(fn: object) -> object:
    """``fn()`` under the Dask backend; fails unless tasks ran on the cluster."""
    with distributed.get_task_stream() as stream, joblib.parallel_config(backend="dask"):
        out = fn()  # type: ignore[operator]
    assert stream.data, "no task reached the cluster"
    return out


@pytest.fixture(scope="module")
def pilot() -> vchuang.CommunityGraph:
    return datasets.longgang_pilot()


def test_the_cluster_has_two_workers(client: object) -> None:
    with joblib.parallel_config(backend="dask"):
        assert joblib.effective_n_jobs(-1) == 2


def test_word_of_mouth_on_the_cluster_equals_one_process(
    client: object, pilot: vchuang.CommunityGraph
) -> None:
    seeds = [r.id for r in pilot.engaged()][:3]
    here = simulate(pilot, seeds, runs=600, p=0.2, rng=11, n_jobs=1)
    there = _on_cluster(lambda: simulate(pilot, seeds, runs=600, p=0.2, rng=11, n_jobs=2))
    np.testing.assert_array_equal(here.reached, there.reached)
    assert here.mean == there.mean


def test_seed_choice_on_the_cluster_equals_one_process(
    client: object, pilot: vchuang.CommunityGraph
) -> None:
    kwargs = {"method": "celf", "p": 0.2, "runs": 100, "rng": 5}
    here = choose_seeds(pilot, 2, n_jobs=1, **kwargs)
    there = _on_cluster(lambda: choose_seeds(pilot, 2, n_jobs=2, **kwargs))
    assert here.seeds == there.seeds
    np.testing.assert_array_equal(here.gains, there.gains)


def test_fund_sustainability_on_the_cluster_equals_one_process(client: object) -> None:
    ledger = datasets.longgang_ledger()
    here = sustainability(ledger, runs=400, rng=3, n_jobs=1)
    there = _on_cluster(lambda: sustainability(ledger, runs=400, rng=3, n_jobs=2))
    assert here.to_rows() == there.to_rows()
