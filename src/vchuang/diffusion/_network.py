"""The network: a graph, a networkx graph or a sparse array as nodes and weighted arcs,
and the probability (IC) or weight (LT) of each arc."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..csr import resident_adjacency
from ..errors import Problem, UnknownEntityError, ValidationError
from ..graph import CommunityGraph
from ..kernel.checks import check_choice, check_number, collect
from ..kernel.said import Said

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Diffusion models: independent cascade and linear threshold.
MODELS = ("ic", "lt")
#: Rules for the probability of each arc, the values of ``probability=`` (``None``: the
#: constant ``p``; ``"weight"``: from the tie weight; ``"wc"``: weighted cascade).
PROBABILITIES = (None, "weight", "wc")

_DEFAULT_P = 0.1


class _Net:
    """Nodes and weighted arcs (CSR, rows are sources; no self-loops, weights > 0)."""

    def __init__(
        self,
        ids: Sequence[Hashable],
        indptr: IntArray,
        indices: IntArray,
        weight: FloatArray,
        what: str,
    ) -> None:
        self.ids = ids
        self.indptr = indptr
        self.indices = indices
        self.weight = weight
        self.what = what
        self._position: dict[Hashable, int] | None = None
        self._rank: IntArray | None = None

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def position(self) -> dict[Hashable, int]:
        if self._position is None:
            self._position = {x: i for i, x in enumerate(self.ids)}
        return self._position

    @property
    def rank(self) -> IntArray:
        """Tie-break order (0 first): IDs sorted when they are strings, else node order."""
        if self._rank is None:
            self._rank = _tie_rank(self.ids)
        return self._rank

    def _find(self, node: Hashable) -> int | None:
        if self.what == "arcs":  # a sparse array: the nodes are 0 … n-1
            if isinstance(node, bool) or not isinstance(node, int | np.integer):
                return None
            return int(node) if 0 <= int(node) < self.n else None
        return self.position.get(node)

    def index_of(self, nodes: Iterable[Hashable], name: str) -> IntArray:
        if isinstance(nodes, str):
            msg = f"must be a list of IDs, got the single string {nodes!r}"
            raise ValidationError([Problem(name, msg, f"write {name}=[{nodes!r}]")])
        out: list[int] = []
        seen: set[int] = set()
        for node in nodes:
            i = self._find(node)
            if i is None:
                raise UnknownEntityError(str(node), _nearest(node, self.ids))
            if i not in seen:  # keep the first occurrence, in the order given
                seen.add(i)
                out.append(i)
        return np.asarray(out, dtype=np.int64)


def _nearest(node: Hashable, ids: Sequence[Hashable]) -> str | None:
    if not isinstance(node, str):
        return None
    import difflib

    strings = [x for x in ids if isinstance(x, str)]
    got = difflib.get_close_matches(node, strings, n=1)
    return got[0] if got else None


def _tie_rank(ids: Sequence[Hashable]) -> IntArray:
    rank = np.empty(len(ids), dtype=np.int64)
    if ids and all(isinstance(x, str) for x in ids):
        order = sorted(range(len(ids)), key=lambda i: str(ids[i]))
        rank[np.asarray(order, dtype=np.int64)] = np.arange(len(ids))
    else:
        rank[:] = np.arange(len(ids))
    return rank


def _network(graph: Any) -> _Net:
    """The arcs of ``graph`` (a CommunityGraph, a networkx graph or a scipy array).

    A :class:`~vchuang.graph.CommunityGraph` goes through the library's one adapter,
    :func:`vchuang.csr.resident_adjacency` (``knows`` ties, both ways, weighted, every
    resident in the graph's order).
    """
    import networkx as nx
    import scipy.sparse as sp

    ids: Sequence[Hashable]
    if isinstance(graph, CommunityGraph):
        matrix, ids = resident_adjacency(graph)
        what = "knows ties"
    elif isinstance(graph, nx.Graph):
        ids = tuple(graph.nodes)
        pos = {x: i for i, x in enumerate(ids)}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for u, v, w in graph.edges(data="weight", default=1.0):
            if w is None or not np.isfinite(w) or w < 0:
                msg = f"edge ({u!r}, {v!r}) has weight {w!r}; weights must be finite and >= 0"
                raise ValidationError([Problem("graph", msg)])
            if u == v:
                continue  # a self-loop carries nothing
            pairs = [(u, v)] if graph.is_directed() else [(u, v), (v, u)]
            for a, b in pairs:
                rows.append(pos[a])
                cols.append(pos[b])
                vals.append(float(w))
        n = len(ids)
        matrix = sp.csr_array((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=(n, n))
        what = "directed edges" if graph.is_directed() else "edges (both ways)"
    elif sp.issparse(graph):
        if graph.ndim != 2 or graph.shape[0] != graph.shape[1]:
            msg = f"a sparse adjacency must be square, got shape {graph.shape}"
            raise ValidationError([Problem("graph", msg)])
        matrix = graph
        ids = range(graph.shape[0])
        what = "arcs"
    else:
        msg = f"cannot read a network from {type(graph).__name__}"
        hint = "pass a CommunityGraph, a networkx graph or a square scipy sparse array"
        raise ValidationError([Problem("graph", msg, hint)])
    if matrix.format == "csr" and matrix.dtype == np.float64:
        # read as it is (never written to): scipy keeps whether it is canonical on the
        # array itself, so a second call on the same array does not check it again
        csr = matrix
    else:
        csr = sp.csr_array(matrix, dtype=np.float64)
    if not csr.has_canonical_format:
        csr = csr.copy()
        csr.sum_duplicates()
    n = len(ids)
    indptr = np.asarray(csr.indptr, dtype=np.int64)
    indices = np.asarray(csr.indices)  # int32 or int64, as scipy chose: no copy
    data = np.asarray(csr.data, dtype=np.float64)
    low = float(data.min()) if data.size else 1.0
    high = float(data.max()) if data.size else 1.0
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0:  # NaN fails isfinite
        raise ValidationError([Problem("graph", "tie weights must be finite and >= 0")])
    loops = what == "arcs" and n > 0 and bool(np.any(csr.diagonal()))
    if loops or low == 0:  # drop self-loops and ties of weight 0
        src = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
        keep = (src != indices) & (data > 0)
        src, indices, data = src[keep], indices[keep], data[keep]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return _Net(ids, indptr, indices, data, what)


def _check_options(model: str, p: Any, probability: str | None) -> float:
    """``p`` (or its default) once ``model``, ``p`` and ``probability`` are checked."""
    problems: list[Problem] = []
    collect(problems, check_choice, model, MODELS, "model")
    collect(problems, check_choice, probability, PROBABILITIES, "probability")
    if probability == "wc" and p is not None:
        problems.append(
            Problem(
                "p",
                "is not used with probability='wc' "
                "(each arc into v has probability 1/in-degree(v))",
                "leave p out",
            )
        )
    value: Any = _DEFAULT_P if p is None else p
    checked = collect(
        problems, check_number, value, "p", minimum=0, maximum=1, what="a probability"
    )
    if problems or checked is None:
        raise ValidationError(problems)
    return checked


def _arc_values(
    net: _Net, model: str, p: float, probability: str | None, *, view: bool = False
) -> tuple[FloatArray, str]:
    """Each arc's IC probability or LT weight, and the rule in words.

    ``view``: a constant probability (IC) comes as a read-only view of one number
    (stride 0) instead of an array of the size of the network.
    """
    n = net.n
    if probability is None and model == "ic" and view:
        value = np.broadcast_to(np.float64(p), (net.indices.size,))
        return value, Said("diffusion.rule.constant", p=f"{p:g}")
    if probability is None:
        raw = np.full(net.indices.size, p)
        rule = Said("diffusion.rule.constant", p=f"{p:g}")
    elif probability == "weight":
        raw = 1.0 - (1.0 - p) ** net.weight
        rule = Said("diffusion.rule.weight", p=f"{p:g}")
    else:
        indeg = np.bincount(net.indices, minlength=n).astype(np.float64)
        raw = 1.0 / indeg[net.indices] if net.indices.size else np.zeros(0)
        rule = Said("diffusion.rule.wc")
    if model == "lt":
        total = np.bincount(net.indices, weights=raw, minlength=n)
        raw = raw / np.maximum(1.0, total)[net.indices]
        rule = Said("diffusion.rule.lt", rule=rule)
    return np.asarray(raw, dtype=np.float64), rule
