"""Network centralities on a sparse adjacency, with networkx's definitions.

Betweenness (Brandes), Burt's constraint and the networkx-backend dispatch; PageRank
is :func:`vchuang.kernel.pagerank.pagerank`. The tests check every one against networkx.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from ..kernel.pagerank import pagerank
from ._common import BETWEENNESS_EXACT_LIMIT, DEFAULT_PIVOTS, FloatArray, IntArray, _fail
from ._network import _Network


def _installed_backends() -> set[str]:
    info = getattr(getattr(nx.utils, "backends", None), "backend_info", {})
    return {"networkx", *info}


def _check_backend(backend: object) -> str | None:
    if backend is None:
        return None
    installed = sorted(_installed_backends())
    if not isinstance(backend, str) or backend not in installed:
        _fail(
            "backend",
            f"{backend!r} is not an installed networkx backend (installed: {', '.join(installed)})",
            "install one, e.g. pip install nx-parallel, or leave backend=None",
        )
    return backend


def _priority_set() -> bool:
    """Whether the user asked networkx to dispatch to backends by priority."""
    config = getattr(nx, "config", None)
    priority = getattr(config, "backend_priority", None)
    algos = getattr(priority, "algos", priority)
    return bool(algos)


def _via_networkx(func: Callable[..., Any], backend: str | None) -> tuple[bool, str | None]:
    """Whether to call networkx's ``func`` (and which ``backend=`` to pass), or to use
    the sparse path. A named backend is used for the functions it implements; without
    one, networkx is called only when ``nx.config.backend_priority`` is set, so that the
    user's priority decides."""
    if backend is not None:
        if backend in getattr(func, "backends", ()):
            return True, backend
        return False, None
    return _priority_set(), None


def _to_nx(adj: Any) -> nx.Graph:
    return nx.from_scipy_sparse_array(adj, edge_attribute="weight")


# =========================================================================== sparse engine


def _spread(
    adj: Any, idx: IntArray, vals: FloatArray, n: int, b: int
) -> tuple[IntArray, FloatArray]:
    """``adj @ X`` for an ``n × b`` matrix X given by its non-zeros (flat positions
    ``idx`` and values); returns the result's non-zeros the same way."""
    if idx.size > 0.05 * n * b:
        x = np.zeros(n * b)
        x[idx] = vals
        out = np.asarray(adj @ x.reshape(n, b)).ravel()
        nz = np.flatnonzero(out)
        return nz.astype(np.int64), out[nz]
    import scipy.sparse as sp

    rows, cols = np.divmod(idx, b)
    x_sp = sp.csr_array((vals, (rows, cols)), shape=(n, b))
    res = (adj @ x_sp).tocoo()
    return res.row.astype(np.int64) * b + res.col.astype(np.int64), np.asarray(res.data)


def _bfs(
    adj: Any, sources: IntArray, alive: npt.NDArray[np.bool_] | None = None
) -> tuple[list[IntArray], FloatArray]:
    """Level-synchronous BFS from a batch of ``b`` sources at once, optionally only
    through ``alive`` nodes.

    Returns the flat positions (``node * b + source``) reached at each level and the
    number of shortest paths ``sigma`` (flat, ``n * b``)."""
    n, b = adj.shape[0], len(sources)
    seen = np.zeros(n * b, dtype=bool)
    sigma = np.zeros(n * b)
    start = sources.astype(np.int64) * b + np.arange(b, dtype=np.int64)
    seen[start] = True
    sigma[start] = 1.0
    levels = [start]
    idx, vals = start, np.ones(b)
    while True:
        nz, nv = _spread(adj, idx, vals, n, b)
        keep = ~seen[nz]
        if alive is not None:
            keep &= alive[nz // b]
        idx, vals = nz[keep], nv[keep]
        if idx.size == 0:
            return levels, sigma
        seen[idx] = True
        sigma[idx] = vals
        levels.append(idx)


def _batches(sources: IntArray, size: int = 64) -> Iterator[IntArray]:
    for i in range(0, len(sources), size):
        yield sources[i : i + size]


def _dependencies(adj: Any, sources: IntArray) -> FloatArray:
    """Brandes' dependency sums: for each node, the sum over the sources of the share
    of shortest paths from the source that pass through it (sources excluded)."""
    n = adj.shape[0]
    total = np.zeros(n)
    for batch in _batches(sources):
        b = len(batch)
        levels, sigma = _bfs(adj, batch)
        delta = np.zeros(n * b)
        contrib = np.zeros(n * b)
        for depth in range(len(levels) - 1, 0, -1):
            idx = levels[depth]
            cz, cv = _spread(adj, idx, (1.0 + delta[idx]) / sigma[idx], n, b)
            contrib[cz] = cv
            prev = levels[depth - 1]
            delta[prev] += sigma[prev] * contrib[prev]
            contrib[cz] = 0.0
        delta[levels[0]] = 0.0
        total += delta.reshape(n, b).sum(axis=1)
    return total


def _pivots(n: int, k: int, seed: int) -> list[int]:
    """The pivots networkx would draw: ``random.Random(seed).sample(nodes, k)`` over
    nodes ``0 … n-1``."""
    return random.Random(seed).sample(range(n), k)


def _betweenness_sparse(adj: Any, pivots: Sequence[int] | None) -> FloatArray:
    """Normalised betweenness as :func:`networkx.betweenness_centrality` gives it
    (undirected, unweighted, ``endpoints=False``), exact or from pivots."""
    n = adj.shape[0]
    if n <= 2:
        return np.zeros(n)
    sources = np.arange(n) if pivots is None else np.asarray(pivots, dtype=np.int64)
    raw = _dependencies(adj, sources)
    k = len(sources)
    if pivots is None or k == n:
        return np.asarray(raw / ((n - 1) * (n - 2)), dtype=np.float64)
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[sources] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else math.nan
    return raw * scale


def _constraint_sparse(w: Any) -> FloatArray:
    """Burt's constraint as :func:`networkx.constraint` (weighted, undirected):
    ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over i's contacts j, with
    ``p_ij = w_ij / sum_k w_ik``; ``nan`` for isolated nodes."""
    import scipy.sparse as sp

    n = w.shape[0]
    s = np.asarray(w.sum(axis=1)).ravel()
    inv = np.divide(1.0, s, out=np.zeros(n), where=s != 0)
    p = (sp.diags_array(inv) @ w).tocsr()
    out = np.zeros(n)
    step = max(1, 2_000_000 // max(1, int(p.nnz / max(n, 1)) ** 2 + 1))
    for start in range(0, n, step):
        block = p[start : start + step]
        indirect = (block @ p).multiply(block != 0).tocsr()
        total = (block + indirect).tocsr()
        out[start : start + step] = np.asarray(total.multiply(total).sum(axis=1)).ravel()
    out[s == 0] = np.nan
    return out


def _position(
    net: _Network, pivots: int | None, backend: str | None, generator: np.random.Generator
) -> tuple[FloatArray, str, int | None]:
    """Degree, betweenness, PageRank and brokerage of every node of the network."""
    n = len(net.ids)
    out = np.zeros((n, 4))
    if n == 0:
        return out, "exact", None
    adj, w = net.binary, net.weighted
    out[:, 0] = np.diff(adj.indptr)
    k: int | None = None
    if n > BETWEENNESS_EXACT_LIMIT:
        k = min(n, pivots if pivots is not None else DEFAULT_PIVOTS)
    seed = int(generator.integers(2**31)) if k is not None else 0
    graph_nx: nx.Graph | None = None

    def as_nx() -> nx.Graph:
        nonlocal graph_nx
        if graph_nx is None:
            graph_nx = _to_nx(w)
        return graph_nx

    use, name = _via_networkx(nx.betweenness_centrality, backend)
    if use:
        bc = nx.betweenness_centrality(
            as_nx(), k=k, normalized=True, seed=seed if k is not None else None, backend=name
        )
        out[:, 1] = [bc[i] for i in range(n)]
    else:
        out[:, 1] = _betweenness_sparse(adj, None if k is None else _pivots(n, k, seed))
    use, name = _via_networkx(nx.pagerank, backend)
    if use:
        pr = nx.pagerank(as_nx(), weight="weight", backend=name)
        out[:, 2] = [pr[i] for i in range(n)]
    else:
        out[:, 2] = pagerank(w, alpha=0.85, tol=1.0e-6)
    use, name = _via_networkx(nx.constraint, backend)
    if use:
        con = nx.constraint(as_nx(), weight="weight", backend=name)
        constraint = np.array([con[i] for i in range(n)], dtype=np.float64)
    else:
        constraint = _constraint_sparse(w)
    out[:, 3] = np.clip(1.0 - np.nan_to_num(constraint, nan=1.0), 0.0, 1.0)
    return out, ("exact" if k is None or k == n else "sampled"), k
