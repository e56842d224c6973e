"""Word-of-mouth diffusion (口碑传播): how far news travels, and whom to train next.

A social worker asks: *if we train these five residents, how many neighbours will hear
of the anti-fraud campaign through them?* and *whom should we train next to reach the
most people?* This package answers both on the residents' ``knows`` ties (熟人关系).

* :func:`simulate` — Monte Carlo of the **independent cascade** (IC, 独立级联) or
  **linear threshold** (LT, 线性阈值) model: the expected spread with a confidence
  interval, the distribution over runs, and each resident's probability of being
  reached. Many runs advance together over the sparse adjacency.
* :func:`choose_seeds` — influence maximisation (影响力最大化): reverse-reachable sets
  with the OPIM-C (default) or IMM stopping rule, solved as maximum coverage on the library's coverage
  engine; the Monte Carlo CELF greedy for checking; degree and PageRank baselines.
* :func:`compare_seeds` — several methods side by side, every prefix of every seed
  list scored by the same simulation (spread against :math:`k`).

Every one of them takes ``runs`` (Monte Carlo runs), ``rng``, ``n_jobs`` and
``progress``. ``n_jobs`` sends fixed chunks of runs, each with its own
:class:`numpy.random.SeedSequence`, through joblib, so a given ``rng`` gives the same
answer whatever ``n_jobs`` is (and small jobs stay in this process: see
:func:`simulate`). ``probability`` names the rule that gives each arc its
probability (:data:`PROBABILITIES`; ``weights=`` is its deprecated old name).

The network
-----------
``graph`` is a :class:`~vchuang.graph.CommunityGraph` (its residents and their
``knows`` ties, from :func:`vchuang.csr.resident_adjacency`; each undirected tie is
two arcs, one each way), a :class:`networkx.Graph` or :class:`~networkx.DiGraph`
(nodes in insertion order; an undirected edge is two arcs; parallel edges of a
multigraph add their weights; the ``"weight"`` edge attribute, default 1) or a square
:mod:`scipy.sparse` array (row ``i``, column ``j`` non-zero: an arc from ``i`` to ``j``
with that weight; nodes are the integers ``0 … n-1``). Self-loops and ties of weight 0
carry nothing.

Results name residents by ID only. Their figures are drawn by
:func:`vchuang.plot.plot_spread`, :func:`vchuang.plot.plot_choice` and
:func:`vchuang.plot.plot_curves` (``result.plot()`` calls them).

The package is split by concern: ``_results`` (the result classes), ``_network`` (the
graph as arcs, and each arc's probability), ``_visited`` and ``_cascade`` (the
vectorised cascade kernels), ``_runs`` (chunked and parallel runs, :func:`simulate`),
``_rrsets`` (RR sets and the OPIM-C and IMM rules) and ``_seeds`` (:func:`choose_seeds`,
:func:`compare_seeds`).

Examples
--------
>>> import vchuang
>>> from vchuang.diffusion import simulate, choose_seeds
>>> g = vchuang.datasets.longgang_pilot()
>>> team = [r.id for r in g.leaders("pingnan")][:3]
>>> s = simulate(g, team, p=0.1, runs=500, rng=7)
>>> s.mean > len(team), s.ci[0] < s.mean < s.ci[1]
(True, True)
>>> c = choose_seeds(g, 3, p=0.1, rng=7)
>>> len(c.seeds), c.method
(3, 'ris')
"""

from __future__ import annotations

import warnings
from typing import Any

from ._network import MODELS, PROBABILITIES
from ._results import SeedChoice, SeedComparison, Spread
from ._runs import simulate
from ._seeds import METHODS, choose_seeds, compare_seeds

__all__ = [
    "METHODS",
    "MODELS",
    "PROBABILITIES",
    "SeedChoice",
    "SeedComparison",
    "Spread",
    "choose_seeds",
    "compare_seeds",
    "simulate",
]


def __dir__() -> list[str]:
    return list(__all__)


def __getattr__(name: str) -> Any:
    if name == "WEIGHTS":  # renamed with weights= -> probability=; kept for one release
        warnings.warn(
            "vchuang.diffusion.WEIGHTS is deprecated and will be removed in the next release; "
            "use PROBABILITIES",
            DeprecationWarning,
            stacklevel=2,
        )
        return PROBABILITIES
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
