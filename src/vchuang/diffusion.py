"""Word-of-mouth diffusion (口碑传播): how far news travels, and whom to train next.

A social worker asks: *if we train these five residents, how many neighbours will hear
of the anti-fraud campaign through them?* and *whom should we train next to reach the
most people?* This module answers both on the residents' ``knows`` ties (熟人关系).

* :func:`simulate` — Monte Carlo of the **independent cascade** (IC, 独立级联) or
  **linear threshold** (LT, 线性阈值) model: the expected spread with a confidence
  interval, the distribution over runs, and each resident's probability of being
  reached. Many runs advance together over the sparse adjacency; ``n_jobs`` sends
  fixed chunks of runs, each with its own :class:`numpy.random.SeedSequence`, through
  joblib, so a given seed gives the same answer whatever ``n_jobs`` is.
* :func:`choose_seeds` — influence maximisation (影响力最大化): reverse-reachable sets
  with the IMM stopping rule, solved as maximum coverage on the library's coverage
  engine; the Monte Carlo CELF greedy for checking; degree and PageRank baselines.
* :func:`compare_seeds` — several methods side by side, every prefix of every seed
  list scored by the same simulation (spread against :math:`k`).

The network
-----------
``graph`` is a :class:`~vchuang.graph.CommunityGraph` (its residents and their
``knows`` ties, ``graph.index.knows``; each undirected tie is two arcs, one each
way), a :class:`networkx.Graph` or
:class:`~networkx.DiGraph` (nodes in insertion order; an undirected edge is two arcs;
parallel edges of a multigraph add their weights; the ``"weight"`` edge attribute,
default 1) or a square :mod:`scipy.sparse` array (row ``i``, column ``j`` non-zero: an
arc from ``i`` to ``j`` with that weight; nodes are the integers ``0 … n-1``).
Self-loops and ties of weight 0 carry nothing.

Results name residents by ID only.

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

import heapq
import math
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from . import _coverage
from ._optional import require
from ._rng import RNGLike, spawn
from .errors import Problem, UnknownEntityError, ValidationError

if TYPE_CHECKING:
    import scipy.sparse
    from matplotlib.axes import Axes

__all__ = [
    "METHODS",
    "MODELS",
    "WEIGHTS",
    "SeedChoice",
    "SeedComparison",
    "Spread",
    "choose_seeds",
    "compare_seeds",
    "simulate",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Diffusion models: independent cascade and linear threshold.
MODELS = ("ic", "lt")
#: Ways to choose seeds.
METHODS = ("ris", "celf", "degree", "pagerank")
#: Rules for the probability of each arc (``None``: the constant ``p``).
WEIGHTS = (None, "weight", "wc")

_DEFAULT_P = 0.1
#: Runs per random stream. Fixed, so the streams (and the answer) never depend on n_jobs.
_CHUNK = 100
#: RR sets sampled per pass, at most (fewer on large networks: see _rr_batch).
_RR_BATCH = 1 << 16
#: Cells (nodes × columns) of a dense visited mask (one byte each) before a bit mask.
_DENSE_CELLS = 1 << 25
#: Cells of a visited bit mask before a sorted key array is used.
_BIT_CELLS = 1 << 31
#: Cells (nodes × columns) per pass when CELF estimates many candidates at once.
_MC_CELLS = 1 << 22


# --------------------------------------------------------------------------- results


@attrs.frozen(kw_only=True, eq=False)
class Spread:
    """How far word of mouth carries from a set of seeds, by Monte Carlo.

    Attributes
    ----------
    seeds : tuple
        The seeds (resident IDs, or node labels), duplicates dropped, in the order given.
    model : str
        ``"ic"`` or ``"lt"``.
    rule : str
        How each arc's probability (IC) or weight (LT) was set, in words.
    runs : int
        Simulated runs.
    mean : float
        Estimated expected spread :math:`\\hat\\sigma(S)`: residents reached, seeds
        included, averaged over runs.
    std : float
        Standard deviation of the spread over runs (``ddof=1``; 0 with one run).
    stderr : float
        Standard error of the mean, ``std / sqrt(runs)``.
    ci : tuple of float
        Confidence interval for the expected spread, ``mean ± z · stderr``: the normal
        approximation to the mean of independent runs (central limit theorem).
    confidence : float
        Level of ``ci`` (default 0.95, :math:`z \\approx 1.96`).
    distribution : ndarray
        Spread of each run (int64), in run order.
    ids : sequence
        Every node (resident ID), in the order of ``reached`` (a ``range`` for a
        sparse array).
    reached : ndarray
        Each node's probability of being reached (share of runs; seeds 1).
    reasons : tuple of str
        What the numbers say, in sentences.
    """

    seeds: tuple[Hashable, ...]
    model: str
    rule: str
    runs: int
    mean: float
    std: float
    stderr: float
    ci: tuple[float, float]
    confidence: float
    distribution: IntArray
    ids: Sequence[Hashable]
    reached: FloatArray
    reasons: tuple[str, ...]

    def probability(self, node: Hashable) -> float:
        """The probability that ``node`` is reached.

        Raises
        ------
        UnknownEntityError
            ``node`` is not in the network.
        """
        try:
            i = self.ids.index(node)
        except ValueError:
            raise UnknownEntityError(str(node)) from None
        return float(self.reached[i])

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per node: ``id``, ``probability`` of being reached, ``seed``;
        most likely reached first (ties in network order)."""
        seeds = set(self.seeds)
        order = np.argsort(-self.reached, kind="stable")
        return [
            {"id": self.ids[i], "probability": float(self.reached[i]), "seed": self.ids[i] in seeds}
            for i in order.tolist()
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Histogram of the spread over runs, with the mean and its interval."""
        from .plot._diffusion import plot_spread

        return plot_spread(self, ax=ax, lang=lang)


@attrs.frozen(kw_only=True, eq=False)
class SeedChoice:
    """Seeds chosen to reach the most residents, in the order chosen, and why.

    Attributes
    ----------
    seeds : tuple
        The chosen seeds (resident IDs), best first.
    given : tuple
        Seeds already in place (trained before); the choice adds to them.
    method : str
        ``"ris"``, ``"celf"``, ``"degree"`` or ``"pagerank"``.
    model : str
        ``"ic"`` or ``"lt"``.
    rule : str
        How arc probabilities (IC) or weights (LT) were set.
    spread : float
        Estimated expected spread of ``given`` and ``seeds`` together.
    base : float
        Estimated expected spread of ``given`` alone (0 without ``given``).
    gains : ndarray
        Estimated marginal gain of each seed: residents it adds in expectation given
        the seeds before it.
    scores : ndarray
        What each seed was ranked by: the share of RR sets it newly covers (``ris``),
        its Monte Carlo marginal gain (``celf``), its number of ties (``degree``), its
        PageRank (``pagerank``).
    estimator : str
        Where ``spread`` and ``gains`` come from: ``"rr-sets"`` (``n`` × share of
        reverse-reachable sets covered) or ``"monte-carlo"`` (simulation).
    samples : int
        RR sets in the final collection (``ris``) or simulated runs per estimate.
    evaluations : int
        Spread or coverage evaluations of single candidates after the first pass.
    candidates : int
        How many residents could be chosen.
    reasons : tuple of str
        One sentence per seed: why it was chosen.
    notes : tuple of str
        How the choice was made (the IMM bounds, the number of samples …).
    """

    seeds: tuple[Hashable, ...]
    given: tuple[Hashable, ...]
    method: str
    model: str
    rule: str
    spread: float
    base: float
    gains: FloatArray
    scores: FloatArray
    estimator: str
    samples: int
    evaluations: int
    candidates: int
    reasons: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def cumulative(self) -> FloatArray:
        """Estimated spread after each seed: ``base`` plus the running total of gains."""
        return self.base + np.cumsum(self.gains)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per seed: rank, ID, score, gain, cumulative spread, reason."""
        cum = self.cumulative
        return [
            {
                "rank": i + 1,
                "id": s,
                "score": float(self.scores[i]),
                "gain": float(self.gains[i]),
                "cumulative": float(cum[i]),
                "reason": self.reasons[i],
            }
            for i, s in enumerate(self.seeds)
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Each seed's marginal gain (bars) and the estimated spread after it (line)."""
        from .plot._diffusion import plot_choice

        return plot_choice(self, ax=ax, lang=lang)


@attrs.frozen(kw_only=True, eq=False)
class SeedComparison:
    """Several ways of choosing seeds, every prefix scored by the same simulation.

    Attributes
    ----------
    methods : tuple of str
        The methods compared, in the order asked.
    choices : tuple of SeedChoice
        Each method's choice (same order).
    spread : ndarray
        ``methods × (k + 1)``: Monte Carlo estimate of the expected spread of
        ``given`` plus the first ``j`` seeds of each method (column 0: ``given`` alone).
    halfwidth : ndarray
        Half-width of each estimate's confidence interval (normal approximation).
    runs : int
        Simulated runs per estimate.
    confidence : float
        Level of the intervals.
    model, rule : str
        The diffusion model and how arc probabilities were set.
    reasons : tuple of str
        Which method reaches most at the largest ``k``, and by how much.
    """

    methods: tuple[str, ...]
    choices: tuple[SeedChoice, ...]
    spread: FloatArray
    halfwidth: FloatArray
    runs: int
    confidence: float
    model: str
    rule: str
    reasons: tuple[str, ...]

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per method and ``k``: the spread and its interval."""
        rows = []
        for m, method in enumerate(self.methods):
            for j in range(self.spread.shape[1]):
                mean, h = float(self.spread[m, j]), float(self.halfwidth[m, j])
                rows.append(
                    {"method": method, "k": j, "spread": mean, "low": mean - h, "high": mean + h}
                )
        return rows

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Spread against the number of seeds, one line (with its band) per method."""
        from .plot._diffusion import plot_curves

        return plot_curves(self, ax=ax, lang=lang)


# --------------------------------------------------------------------------- the network


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
    """The arcs of ``graph`` (a CommunityGraph, a networkx graph or a scipy array)."""
    import networkx as nx
    import scipy.sparse as sp

    from .graph import CommunityGraph

    if isinstance(graph, CommunityGraph):
        ids: Sequence[Hashable] = tuple(graph.index.ids("resident"))
        matrix = graph.index.knows
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


def _check_options(model: str, p: Any, weights: str | None) -> float:
    problems = []
    if model not in MODELS:
        problems.append(Problem("model", f"must be one of {MODELS}, got {model!r}"))
    if weights not in WEIGHTS:
        problems.append(Problem("weights", f"must be one of {WEIGHTS}, got {weights!r}"))
    if weights == "wc" and p is not None:
        problems.append(
            Problem(
                "p",
                "is not used with weights='wc' (each arc into v has probability 1/in-degree(v))",
                "leave p out",
            )
        )
    value: Any = _DEFAULT_P if p is None else p
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | np.floating | np.integer)
        or not 0.0 <= float(value) <= 1.0
    ):
        problems.append(Problem("p", f"must be a probability in [0, 1], got {p!r}"))
    if problems:
        raise ValidationError(problems)
    return float(value)


def _arc_values(net: _Net, model: str, p: float, weights: str | None) -> tuple[FloatArray, str]:
    """Each arc's IC probability or LT weight, and the rule in words."""
    n = net.n
    if weights is None:
        raw = np.full(net.indices.size, p)
        rule = f"constant p = {p:g} on every arc"
    elif weights == "weight":
        raw = 1.0 - (1.0 - p) ** net.weight
        rule = f"p = 1 - (1 - {p:g})^w from tie weight w"
    else:
        indeg = np.bincount(net.indices, minlength=n).astype(np.float64)
        raw = 1.0 / indeg[net.indices] if net.indices.size else np.zeros(0)
        rule = "weighted cascade: 1 / in-degree of the target"
    if model == "lt":
        total = np.bincount(net.indices, weights=raw, minlength=n)
        raw = raw / np.maximum(1.0, total)[net.indices]
        rule += "; LT in-weights scaled to sum to at most 1"
    return np.asarray(raw, dtype=np.float64), rule


# --------------------------------------------------------------------------- arcs


class _Arcs:
    """Arcs ready for simulation (rows are sources; only arcs of value > 0).

    For IC the arcs of each row are grouped in probability buckets
    :math:`(2^{-(b+1)}, 2^{-b}]`; a bucket is sampled at its largest probability ``q``
    by geometric skips and each hit kept with probability ``p / q`` (at least 1/2), so
    the work is proportional to the arcs that fire, not to the arcs looked at.
    For LT each row also has cumulative weights, for the reverse random walk.
    """

    def __init__(self, n: int, indptr: IntArray, indices: IntArray, value: FloatArray) -> None:
        rows: IntArray | None = None
        low = float(value.min()) if value.size else 1.0
        high = float(value.max()) if value.size else 1.0
        if low <= 0.0:
            rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
            keep = value > 0.0
            rows, indices, value = rows[keep], indices[keep], value[keep]
            indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
            low = float(value.min()) if value.size else 1.0
        if value.size == 0 or low == high:
            bucket = np.zeros(value.size, dtype=np.int64)
            levels = np.zeros(1, dtype=np.int64)
        else:
            bucket = np.minimum(np.floor(-np.log2(value)), 40).astype(np.int64)
            bucket[value >= 1.0] = 0
            levels = np.flatnonzero(np.bincount(bucket))
        if levels.size > 1:  # group each row's arcs by bucket (rows stay in order)
            if rows is None:
                rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
            dense = np.searchsorted(levels, bucket)
            order = np.argsort(rows * levels.size + dense, kind="stable")
            rows, indices, value, bucket = rows[order], indices[order], value[order], bucket[order]
        self.n = n
        self.indices = indices
        self.value = value
        self._rows = rows
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.buckets: list[tuple[IntArray, IntArray, float, bool]] = []
        self.has = np.zeros(n, dtype=np.int64)  # bit j set: the row has arcs in bucket j
        self.mixed = False  # some row has arcs in two buckets
        before = self.indptr[:-1].copy()
        for b in levels.tolist():
            if levels.size > 1:
                here = bucket == b
                count = np.bincount(self.rows[here], minlength=n)
                vals = value[here]
            else:
                count, vals = np.diff(self.indptr), value
            if vals.size == 0:
                continue
            rate = float(vals.max())
            self.has |= (count > 0).astype(np.int64) << len(self.buckets)
            self.buckets.append((before.copy(), before + count, rate, bool(vals.min() == rate)))
            before = before + count
        self._cumkey: FloatArray | None = None
        # the one bucket of each row (-1: none or several); the step groups its frontier
        # by it instead of testing every bucket for every cell
        single = (self.has & (self.has - 1)) == 0
        self.mixed = not bool(single.all())
        self.row_bucket = (
            np.where(
                single & (self.has > 0), np.log2(np.maximum(self.has, 1)).astype(np.int64), -1
            ).astype(np.int8)
            if len(self.buckets) > 1
            else np.zeros(0, dtype=np.int8)
        )

    @property
    def rows(self) -> IntArray:
        """The source of each arc."""
        if self._rows is None:
            self._rows = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.indptr))
        return self._rows

    @classmethod
    def build(cls, net: _Net, value: FloatArray, *, reverse: bool = False) -> _Arcs:
        if not reverse:
            return cls(net.n, net.indptr, net.indices, value)
        import scipy.sparse as sp

        m = sp.csr_array((value, net.indices, net.indptr), shape=(net.n, net.n))
        t = sp.csr_array(m.T)
        t.sort_indices()
        return cls(
            net.n,
            np.asarray(t.indptr, dtype=np.int64),
            np.asarray(t.indices, dtype=np.int64),
            np.asarray(t.data, dtype=np.float64),
        )

    @property
    def cumkey(self) -> FloatArray:
        """``2 · row + (cumulative weight within the row)``: increasing over all arcs."""
        if self._cumkey is None:
            cum = np.cumsum(self.value)
            before = np.r_[0.0, cum][self.indptr[:-1]]  # weight of all earlier rows
            start = np.repeat(before, np.diff(self.indptr))
            self._cumkey = 2.0 * self.rows + (cum - start)
        return self._cumkey


# --------------------------------------------------------------------------- visited
#
# A cell is one node in one column (a run, or an RR set); its key is
# ``column * n + node``, so sorted keys list each column's nodes together.


def _unique(keys: IntArray) -> IntArray:
    """Sorted distinct keys (a sort and a mask: cheaper than np.unique on small arrays)."""
    if keys.size <= 1:
        return np.array(keys, dtype=np.int64)
    keys = np.sort(keys)
    return np.asarray(keys[np.r_[True, keys[1:] != keys[:-1]]])


class _Dense:
    """Visited cells as a dense byte mask."""

    def __init__(self, size: int) -> None:
        self.mark = np.zeros(size, dtype=bool)

    def seen(self, keys: IntArray) -> BoolArray:
        return self.mark[keys]

    def add_new(self, keys: IntArray) -> IntArray:
        keys = _unique(keys[~self.mark[keys]])
        self.mark[keys] = True
        return keys

    def clear(self, keys: IntArray) -> None:
        self.mark[keys] = False


class _Bits:
    """Visited cells as a bit mask (8 cells a byte)."""

    def __init__(self, size: int) -> None:
        self.bits = np.zeros((size + 7) // 8, dtype=np.uint8)

    def seen(self, keys: IntArray) -> BoolArray:
        return np.asarray((self.bits[keys >> 3] >> (keys & 7).astype(np.uint8)) & 1, dtype=bool)

    def add_new(self, keys: IntArray) -> IntArray:
        keys = _unique(keys[~self.seen(keys)])
        if keys.size:
            byte = keys >> 3
            val = np.left_shift(np.uint8(1), (keys & 7).astype(np.uint8))
            starts = np.flatnonzero(np.r_[True, byte[1:] != byte[:-1]])
            self.bits[byte[starts]] |= np.bitwise_or.reduceat(val, starts)
        return keys

    def clear(self, keys: IntArray) -> None:
        self.bits[keys >> 3] = 0


class _Sorted:
    """Visited cells as a sorted key array (when even a bit mask would be too big)."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)

    def seen(self, keys: IntArray) -> BoolArray:
        if self.keys.size == 0:
            return np.zeros(keys.shape, dtype=bool)
        at = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        return np.asarray(self.keys[at] == keys)

    def add_new(self, keys: IntArray) -> IntArray:
        keys = _unique(keys[~self.seen(keys)])
        if keys.size:
            merged = np.concatenate([self.keys, keys])
            merged.sort(kind="stable")
            self.keys = merged
        return keys

    def clear(self, keys: IntArray) -> None:  # noqa: ARG002  (same interface as _Dense)
        self.keys = np.zeros(0, dtype=np.int64)


_Visited = _Dense | _Bits | _Sorted


def _visited(n: int, columns: int) -> _Visited:
    cells = n * columns
    if cells <= _DENSE_CELLS:
        return _Dense(cells)
    if cells <= _BIT_CELLS:
        return _Bits(cells)
    return _Sorted()


# --------------------------------------------------------------------------- kernels


def _hits(rng: np.random.Generator, total: int, q: float) -> IntArray:
    """Positions of the successes among ``total`` Bernoulli(q) trials, increasing."""
    if q >= 1.0:
        return np.arange(total, dtype=np.int64)
    if q >= 0.25:
        return np.flatnonzero(rng.random(total) < q)
    m = total * q
    size = int(m + 6.0 * math.sqrt(m) + 16)
    pos = np.cumsum(rng.geometric(q, size)) - 1
    while pos[-1] < total:
        more = np.cumsum(rng.geometric(q, size)) + pos[-1]
        pos = np.concatenate([pos, more])
    return pos[: np.searchsorted(pos, total)]


def _ic_step(arcs: _Arcs, front: IntArray, rng: np.random.Generator) -> IntArray:
    """The cells the frontier's live arcs point to (independent cascade)."""
    n = arcs.n
    col = front // n
    u = front - col * n
    nb = len(arcs.buckets)
    if nb > 1 and not arcs.mixed:  # group the frontier by the bucket of its row
        rb = arcs.row_bucket[u]
        order = np.argsort(rb, kind="stable")
        u, col = u[order], col[order]
        bounds = np.searchsorted(rb[order], np.arange(-1, nb + 1))
        groups = [np.arange(bounds[j + 1], bounds[j + 2]) for j in range(nb)]
    parts: list[IntArray] = []
    for j, (start, stop, rate, uniform) in enumerate(arcs.buckets):
        if nb == 1:
            lo = start[u]
            length = stop[u] - lo
            nz = np.flatnonzero(length)
            lo, length = lo[nz], length[nz]
        elif not arcs.mixed:
            nz = groups[j]
            lo = start[u[nz]]
            length = stop[u[nz]] - lo
        else:
            nz = np.flatnonzero((arcs.has[u] >> j) & 1)
            lo = start[u[nz]]
            length = stop[u[nz]] - lo
        if nz.size == 0:
            continue
        ends = np.cumsum(length)
        pos = _hits(rng, int(ends[-1]), rate)
        if pos.size == 0:
            continue
        seg = np.searchsorted(ends, pos, side="right")
        arc = lo[seg] + pos - (ends[seg] - length[seg])
        if not uniform:
            keep = rng.random(arc.size) * rate < arcs.value[arc]
            arc, seg = arc[keep], seg[keep]
        parts.append(col[nz[seg]] * n + arcs.indices[arc])
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def _ic_stages(
    arcs: _Arcs,
    stages: Sequence[IntArray],
    rng: np.random.Generator,
    visited: _Visited,
) -> list[IntArray]:
    """Run each stage's new seeds to the end of their cascade; the cells each reached."""
    out = []
    for init in stages:
        front = visited.add_new(init)
        got = [front]
        while front.size:
            front = visited.add_new(_ic_step(arcs, front, rng))
            got.append(front)
        out.append(np.concatenate(got))
    return out


class _Acc:
    """Weight collected by each cell (LT): dense, or sorted keys."""

    def __init__(self, size: int, dense: bool) -> None:
        self.dense = np.zeros(size) if dense else None
        self.keys = np.zeros(0, dtype=np.int64)
        self.vals = np.zeros(0)

    def add(self, cells: IntArray, dw: FloatArray) -> FloatArray:
        """Add ``dw`` to the (distinct) ``cells``; return what they held before."""
        if self.dense is not None:
            before = self.dense[cells]
            self.dense[cells] = before + dw
            return np.asarray(before)
        before = np.zeros(cells.size)
        known = np.zeros(cells.size, dtype=bool)
        if self.keys.size:
            at = np.minimum(np.searchsorted(self.keys, cells), self.keys.size - 1)
            known = self.keys[at] == cells
            before[known] = self.vals[at[known]]
            self.vals[at[known]] += dw[known]
        keys = np.concatenate([self.keys, cells[~known]])
        vals = np.concatenate([self.vals, dw[~known]])
        order = np.argsort(keys, kind="stable")
        self.keys, self.vals = keys[order], vals[order]
        return before


def _lt_stages(
    arcs: _Arcs,
    stages: Sequence[IntArray],
    cols: int,
    rng: np.random.Generator,
    visited: _Visited,
) -> list[IntArray]:
    """Linear threshold with thresholds drawn lazily (see Notes of :func:`simulate`)."""
    n = arcs.n
    acc = _Acc(n * cols, n * cols <= _DENSE_CELLS // 2)  # 8 bytes a cell: at most 128 MB
    out = []
    for init in stages:
        front = visited.add_new(init)
        got = [front]
        while front.size:
            col = front // n
            u = front - col * n
            lo = arcs.indptr[u]
            length = arcs.indptr[u + 1] - lo
            total = int(length.sum())
            if total == 0:
                break
            seg = np.repeat(np.arange(u.size), length)
            arc = lo[seg] + np.arange(total) - np.repeat(np.cumsum(length) - length, length)
            keys = col[seg] * n + arcs.indices[arc]
            fresh = ~visited.seen(keys)
            keys, w = keys[fresh], arcs.value[arc][fresh]
            if keys.size == 0:
                break
            order = np.argsort(keys, kind="stable")
            keys, w = keys[order], w[order]
            first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            cells, dw = keys[first], np.add.reduceat(w, first)
            before = acc.add(cells, dw)
            # P(threshold <= before + dw | threshold > before) = dw / (1 - before)
            hit = rng.random(cells.size) * (1.0 - before) < dw
            front = visited.add_new(cells[hit])
            got.append(front)
        out.append(np.concatenate(got))
    return out


def _cascade(
    arcs: _Arcs,
    model: str,
    stages: Sequence[IntArray],
    cols: int,
    rng: np.random.Generator,
    visited: _Visited,
) -> list[IntArray]:
    if model == "ic":
        return _ic_stages(arcs, stages, rng, visited)
    return _lt_stages(arcs, stages, cols, rng, visited)


def _stage_keys(nodes: IntArray, cols: int, n: int) -> IntArray:
    """The cells of ``nodes`` in every one of ``cols`` columns."""
    return np.asarray((np.arange(cols)[:, None] * n + nodes[None, :]).ravel(), dtype=np.int64)


def _run_chunk(
    arcs: _Arcs,
    model: str,
    stages: Sequence[IntArray],
    cols: int,
    seed: np.random.SeedSequence,
    want_nodes: bool,
    scratch: _Visited | None = None,
) -> tuple[IntArray, IntArray | None]:
    """One stream: ``cols`` runs; counts per stage and run, and per node (optional).

    ``scratch``: an empty visited mask for ``n × cols`` cells to use (and leave empty),
    instead of a new one.
    """
    n = arcs.n
    rng = np.random.default_rng(seed)
    visited = _visited(n, cols) if scratch is None else scratch
    keys = _cascade(arcs, model, [_stage_keys(s, cols, n) for s in stages], cols, rng, visited)
    if scratch is not None:
        for k in keys:
            scratch.clear(k)
    counts = np.stack([np.bincount(k // n, minlength=cols) for k in keys]).astype(np.int64)
    nodes = None
    if want_nodes:
        nodes = np.bincount(np.concatenate(keys) % n, minlength=n).astype(np.int64)
    return counts, nodes


# --------------------------------------------------------------------------- runs in chunks


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(progress: bool, total: int | None, desc: str) -> Any:
    if not progress:
        return _NoBar()
    tqdm = require("tqdm", extra="progress", feature="the progress bar (progress=True)")
    return tqdm.tqdm(total=total, desc=desc)


def _chunks(runs: int) -> list[int]:
    full, rest = divmod(runs, _CHUNK)
    return [_CHUNK] * full + ([rest] if rest else [])


def _check_jobs(n_jobs: Any) -> int:
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0:
        msg = f"must be a non-zero integer (1: in this process; -1: all cores), got {n_jobs!r}"
        raise ValidationError([Problem("n_jobs", msg)])
    return int(n_jobs)


def _map_runs(
    arcs: _Arcs,
    model: str,
    stages: Sequence[IntArray],
    runs: int,
    rng: RNGLike,
    *,
    n_jobs: int,
    want_nodes: bool,
    progress: bool,
    desc: str,
) -> tuple[IntArray, IntArray | None]:
    """All runs in fixed chunks, each chunk with its own SeedSequence child."""
    sizes = _chunks(runs)
    seeds = spawn(rng, len(sizes))
    tasks = list(zip(sizes, seeds, strict=True))
    bar = _bar(progress, runs, desc)
    results: Iterator[tuple[IntArray, IntArray | None]]
    if n_jobs == 1:
        scratch = _visited(arcs.n, _CHUNK)  # one mask, emptied after each chunk
        results = (_run_chunk(arcs, model, stages, c, s, want_nodes, scratch) for c, s in tasks)
    else:
        joblib = require("joblib", extra="parallel", feature="parallel runs (n_jobs != 1)")
        par = joblib.Parallel(n_jobs=n_jobs, return_as="generator")
        results = par(
            joblib.delayed(_run_chunk)(arcs, model, stages, c, s, want_nodes) for c, s in tasks
        )
    counts: list[IntArray] = []
    nodes = np.zeros(arcs.n, dtype=np.int64) if want_nodes else None
    try:
        for (c, got), size in zip(results, sizes, strict=True):
            counts.append(c)
            if nodes is not None and got is not None:
                nodes += got
            bar.update(size)
    finally:
        bar.close()
    return np.concatenate(counts, axis=1), nodes


def _check_runs(runs: Any, name: str = "runs") -> int:
    if isinstance(runs, bool) or not isinstance(runs, int | np.integer) or runs < 1:
        raise ValidationError([Problem(name, f"must be an integer >= 1, got {runs!r}")])
    return int(runs)


def _z(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValidationError([Problem("confidence", f"must be in (0, 1), got {confidence!r}")])
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


# --------------------------------------------------------------------------- simulate


def simulate(
    graph: Any,
    seeds: Iterable[Hashable],
    *,
    model: str = "ic",
    p: float | None = None,
    weights: str | None = None,
    runs: int = 1000,
    confidence: float = 0.95,
    rng: RNGLike = None,
    n_jobs: int = 1,
    progress: bool = False,
) -> Spread:
    """How many residents hear of it when ``seeds`` start spreading the word.

    Parameters
    ----------
    graph : CommunityGraph, networkx.Graph or scipy.sparse.sparray
        The network (see the module docs): for a
        :class:`~vchuang.graph.CommunityGraph`, residents and their ``knows`` ties,
        each tie an arc each way.
    seeds : iterable
        Resident IDs (node labels, or integers for a sparse array) who start.
    model : {"ic", "lt"}
        Independent cascade or linear threshold.
    p : float, optional
        Probability that one tie passes the word on (default 0.1); not used with
        ``weights="wc"``.
    weights : {None, "weight", "wc"}
        ``None``: every arc has probability ``p``; ``"weight"``: an arc of tie weight
        :math:`w` has :math:`1 - (1 - p)^{w}` (a tie of weight 3 is three independent
        chances); ``"wc"``: weighted cascade, an arc into :math:`v` has
        :math:`1 / d_{in}(v)`.
    runs : int
        Monte Carlo runs.
    confidence : float
        Level of the confidence interval.
    rng : None, int or numpy.random.Generator
        Randomness. The runs are cut into chunks of 100 and each chunk gets its own
        stream from :func:`vchuang._rng.spawn`, so a seed gives the same result
        whatever ``n_jobs`` is.
    n_jobs : int
        ``1``: the chunks run in this process. Otherwise they run through
        :class:`joblib.Parallel` (``pip install 'vchuang[parallel]'``); choose where
        with ``joblib.parallel_config(backend=...)`` — ``"loky"`` processes, or a Dask
        or Ray cluster.
    progress : bool
        Show a progress bar (``pip install 'vchuang[progress]'``).

    Returns
    -------
    Spread
        The mean spread with its confidence interval, the spread of every run and
        each resident's probability of being reached.

    Raises
    ------
    UnknownEntityError
        A seed is not in the network.
    ValidationError
        A bad option (model, p, weights, runs, n_jobs, confidence) or network.
    MissingDependencyError
        ``n_jobs != 1`` without joblib, or ``progress=True`` without tqdm.

    Notes
    -----
    **Independent cascade** (Kempe, Kleinberg & Tardos [1]_): the seeds are active at
    step 0; a resident :math:`u` who becomes active at step :math:`t` gets one chance
    to activate each inactive out-neighbour :math:`v`, succeeding with probability
    :math:`p_{uv}`; the process stops when a step activates nobody. The spread
    :math:`\\sigma(S)` is the expected number of active residents at the end, seeds
    included. The weighted cascade :math:`p_{uv} = 1/d_{in}(v)` is from Chen, Wang &
    Wang [2]_.

    **Linear threshold** [1]_: each arc has a weight :math:`b_{uv} \\ge 0` with
    :math:`\\sum_u b_{uv} \\le 1` (the arc values from ``p``/``weights`` are divided by
    their sum into :math:`v` when it exceeds 1); each resident draws a threshold
    :math:`\\theta_v \\sim U(0, 1)` per run and becomes active once the weights from
    its active in-neighbours add up to :math:`\\theta_v`. Thresholds are drawn lazily:
    a resident who has collected :math:`a` and now gets :math:`\\Delta` more becomes
    active with probability :math:`\\Delta / (1 - a)` — the chance that a uniform
    threshold known to exceed :math:`a` is at most :math:`a + \\Delta`, which gives the
    same distribution of outcomes as drawing every threshold first.

    **Vectorised.** A chunk of :math:`R` runs advances together: the frontier is the
    set of (resident, run) cells activated in the last step, and one pass of array
    operations draws the coin flips of all their out-arcs (IC: in probability
    buckets, by geometric skips, so the work grows with the arcs that fire; LT: all
    out-arcs, with the weights summed per cell).

    **Confidence interval.** Runs are independent and identically distributed, so by
    the central limit theorem the mean :math:`\\bar X` of :math:`R` runs is about
    normal: the interval is :math:`\\bar X \\pm z_{(1+c)/2}\\, s / \\sqrt{R}` with
    :math:`s` the sample standard deviation.

    References
    ----------
    .. [1] Kempe, D., Kleinberg, J., & Tardos, É. (2003). Maximizing the spread of
       influence through a social network. KDD '03, 137–146.
    .. [2] Chen, W., Wang, C., & Wang, Y. (2010). Scalable influence maximization for
       prevalent viral marketing in large-scale social networks. KDD '10, 1029–1038.

    Examples
    --------
    A star: the centre reaches each of its 4 leaves with probability 0.5, so the
    expected spread is 1 + 4 · 0.5 = 3.

    >>> import networkx as nx
    >>> s = simulate(nx.star_graph(4), [0], p=0.5, runs=2000, rng=1)
    >>> round(s.mean, 1), s.ci[0] < 3 < s.ci[1]
    (3.0, True)
    >>> round(s.probability(1), 1)
    0.5
    """
    model_p = _check_options(model, p, weights)
    runs = _check_runs(runs)
    z = _z(confidence)
    n_jobs = _check_jobs(n_jobs)
    net = _network(graph)
    seed_idx = net.index_of(seeds, "seeds")
    values, rule = _arc_values(net, model, model_p, weights)
    arcs = _Arcs.build(net, values)
    counts, nodes = _map_runs(
        arcs,
        model,
        [seed_idx],
        runs,
        rng,
        n_jobs=n_jobs,
        want_nodes=True,
        progress=progress,
        desc="simulating",
    )
    dist = counts[0]
    mean = float(dist.mean())
    std = float(dist.std(ddof=1)) if runs > 1 else 0.0
    se = std / math.sqrt(runs)
    reached = (nodes if nodes is not None else np.zeros(net.n)) / runs
    ci = (mean - z * se, mean + z * se)
    reasons = (
        (
            f"{len(seed_idx)} seed(s) reach {mean:.1f} of {net.n} residents on average "
            f"({confidence:.0%} CI {ci[0]:.1f} to {ci[1]:.1f}, {runs} runs, {model.upper()}; "
            f"{rule})."
        ),
        (
            f"Half of the runs reach at most {float(np.median(dist)):g}; "
            f"the most reached in one run is {int(dist.max()) if dist.size else 0}."
        ),
        f"{int((reached >= 0.5).sum())} residents are reached in at least half of the runs.",
    )
    return Spread(
        seeds=tuple(net.ids[i] for i in seed_idx.tolist()),
        model=model,
        rule=rule,
        runs=runs,
        mean=mean,
        std=std,
        stderr=se,
        ci=ci,
        confidence=confidence,
        distribution=dist,
        ids=net.ids,
        reached=reached,
        reasons=reasons,
    )


# --------------------------------------------------------------------------- RR sets


def _rr_batch(n: int) -> int:
    """RR sets sampled per pass (fixed by ``n``, so the samples never depend on anything
    else): as many as keep the visited mask within ``_BIT_CELLS``."""
    return int(min(_RR_BATCH, max(256, _BIT_CELLS // max(n, 1))))


class _Pool:
    """A growing collection of reverse-reachable sets, stored by set."""

    def __init__(self, arcs_t: _Arcs, model: str, rng: np.random.Generator, bar: Any) -> None:
        self.arcs = arcs_t
        self.model = model
        self.rng = rng
        self.bar = bar
        self.nodes: list[npt.NDArray[np.int32]] = []
        self.sizes: list[npt.NDArray[np.int32]] = []
        self.size = 0
        self.pairs = 0
        self.batch = _rr_batch(arcs_t.n)
        self.visited = _visited(arcs_t.n, self.batch)

    def extend_to(self, total: int) -> None:
        n = self.arcs.n
        while self.size < total:
            b = min(self.batch, total - self.size)
            roots = self.rng.integers(n, size=b)
            if self.model == "ic":
                start = np.arange(b, dtype=np.int64) * n + roots
                keys = _ic_stages(self.arcs, [start], self.rng, self.visited)[0]
            else:
                keys = _lt_walks(self.arcs, roots, self.rng, self.visited)
            self.visited.clear(keys)
            keys = np.sort(keys, kind="stable")  # by set, then node (merges sorted runs)
            col = keys // n
            self.nodes.append((keys - col * n).astype(np.int32))
            self.sizes.append(np.bincount(col, minlength=b).astype(np.int32))
            self.size += b
            self.pairs += keys.size
            self.bar.update(b)

    def select(self, rows: IntArray, given: IntArray) -> tuple[scipy.sparse.csr_array, BoolArray]:
        """Candidates (``rows``: the node of each row) × RR sets as a canonical CSR
        incidence, and the RR sets the ``given`` nodes already touch."""
        import scipy.sparse as sp

        n = self.arcs.n
        indices = np.concatenate(self.nodes) if self.nodes else np.zeros(0, np.int32)
        indptr = np.zeros(self.size + 1, dtype=np.int64)
        if self.sizes:
            np.cumsum(np.concatenate(self.sizes), out=indptr[1:])
        by_set = sp.csr_array(
            (np.ones(indices.size, dtype=np.int8), indices, indptr), shape=(self.size, n)
        )
        by_node = by_set.tocsc()  # transposed in C; sets stay sorted within each node
        del by_set
        covered = np.zeros(self.size, dtype=bool)
        for g in given.tolist():
            covered[by_node.indices[by_node.indptr[g] : by_node.indptr[g + 1]]] = True
        inc = sp.csr_array(
            (np.ones(by_node.indices.size), by_node.indices, by_node.indptr),
            shape=(n, self.size),
        )
        del by_node
        if rows.size != n or not np.array_equal(rows, np.arange(n)):
            inc = sp.csr_array(inc[rows])
        inc.has_sorted_indices = True
        return inc, covered


def _lt_walks(
    arcs_t: _Arcs,
    roots: IntArray,
    rng: np.random.Generator,
    visited: _Visited,
) -> IntArray:
    """LT RR sets: from each root, walk back along one in-arc chosen with probability
    :math:`b_{uv}` (none with :math:`1 - \\sum_u b_{uv}`) until it stops or loops."""
    n = arcs_t.n
    col = np.arange(roots.size, dtype=np.int64)
    cur = roots.astype(np.int64)
    got = [visited.add_new(col * n + cur)]
    key = arcs_t.cumkey
    while cur.size:
        u = rng.random(cur.size)
        j = np.searchsorted(key, 2.0 * cur + u, side="right")
        ok = j < arcs_t.indptr[cur + 1]
        nxt = arcs_t.indices[j[ok]]
        col = col[ok]
        cells = col * n + nxt
        fresh = ~visited.seen(cells)
        cur, col = nxt[fresh], col[fresh]
        got.append(visited.add_new(cells[fresh]))
    return np.concatenate(got)


# --------------------------------------------------------------------------- choose seeds


def _capped(count: int, limit: int) -> int:
    if count > limit:
        msg = (
            f"IMM needs {count:,} RR sets here, more than max_rr_sets = {limit:,} "
            "(memory grows with them)"
        )
        hint = "raise epsilon (samples grow like 1/epsilon^2) or max_rr_sets"
        raise ValidationError([Problem("epsilon", msg, hint)])
    return count


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def _imm(
    net: _Net,
    arcs_t: _Arcs,
    model: str,
    k: int,
    cand: IntArray,
    given: IntArray,
    epsilon: float,
    ell: float,
    rng: np.random.Generator,
    progress: bool,
    max_rr_sets: int,
) -> tuple[IntArray, FloatArray, float, int, int, tuple[str, ...]]:
    n = net.n
    log_n = math.log(max(n, 2))  # a network of one node: as if two (no log 0)
    bar = _bar(progress, None, "RR sets")
    try:
        e1 = 1.0 - 1.0 / math.e
        ell = ell * (1.0 + math.log(2) / log_n)
        log_cnk = _log_comb(cand.size, min(k, cand.size))
        eps1 = math.sqrt(2.0) * epsilon
        lam1 = (
            (2.0 + 2.0 / 3.0 * eps1)
            * (log_cnk + ell * log_n + math.log(max(math.log2(max(n, 2)), 1.0)))
            * n
            / eps1**2
        )
        lower = 1.0
        pool = _Pool(arcs_t, model, rng, bar)
        evals = 0
        for i in range(1, max(2, math.ceil(math.log2(max(n, 2))))):
            x = n / 2.0**i
            pool.extend_to(_capped(math.ceil(lam1 / x), max_rr_sets))
            inc, covered = pool.select(cand, given)
            res = _coverage.max_coverage(inc, k, covered=covered)
            del inc
            evals += res.evaluations
            est = n * (covered.sum() + res.value) / pool.size
            if est >= (1.0 + eps1) * x:
                lower = est / (1.0 + eps1)
                break
        alpha = math.sqrt(ell * log_n + math.log(2))
        beta = math.sqrt(e1 * (log_cnk + ell * log_n + math.log(2)))
        lam_star = 2.0 * n * (e1 * alpha + beta) ** 2 / epsilon**2
        theta = math.ceil(lam_star / lower)
        first_phase = pool.size
        # Chen (2018): fresh RR sets for the final choice keep IMM's guarantee.
        pool = _Pool(arcs_t, model, rng, bar)
        pool.extend_to(_capped(theta, max_rr_sets))
        inc, covered = pool.select(cand, given)
        res = _coverage.max_coverage(inc, k, covered=covered)
        del inc
        evals += res.evaluations
    finally:
        bar.close()
    scale = n / pool.size
    rr_spread = (float(covered.sum()) + res.value) * scale
    notes = (
        (
            f"IMM (Tang, Shi & Xiao 2015): epsilon = {epsilon:g}, ell = {ell:.3f}; "
            f"lower bound on the optimum LB = {lower:.1f} from {first_phase:,} RR sets; "
            f"theta = lambda* / LB = {pool.size:,} fresh RR sets ({pool.pairs:,} entries) "
            "for the choice."
        ),
        (
            f"Coverage certificate: the seeds touch {res.value:.0f} RR sets not touched "
            f"before, and no {k} candidates touch more than {res.bound:.0f} "
            f"(value / bound = {res.value / res.bound if res.bound else 1.0:.3f})."
        ),
        (
            f"RR-set estimate of the spread: {rr_spread:.1f} (optimistic: the same samples "
            "chose the seeds and score them; the spread and gains reported are simulated)."
        ),
    )
    share = res.gains / pool.size
    return cand[res.chosen], share, rr_spread, pool.size, evals, notes


def _mc_gains(
    arcs: _Arcs,
    model: str,
    base: IntArray,
    cands: IntArray,
    runs: int,
    seq: np.random.SeedSequence,
) -> FloatArray:
    """Monte Carlo marginal gain of each candidate over ``base``: the same runs play
    ``base`` to the end and then add the candidate (common random numbers)."""
    total_cols = cands.size * runs
    per_call = max(runs, _MC_CELLS // max(arcs.n, 1))
    sums = np.zeros(cands.size)
    for lo in range(0, total_cols, per_call):
        hi = min(total_cols, lo + per_call)
        cols = hi - lo
        col_cand = np.arange(lo, hi) // runs
        rng = np.random.default_rng(seq.spawn(1)[0])
        first = _stage_keys(base, cols, arcs.n)
        second = np.arange(cols) * arcs.n + cands[col_cand]
        keys = _cascade(arcs, model, [first, second], cols, rng, _visited(arcs.n, cols))
        per_col = np.bincount(keys[1] // arcs.n, minlength=cols)
        sums += np.bincount(col_cand, weights=per_col, minlength=cands.size)
    return sums / runs


def _celf(
    net: _Net,
    arcs: _Arcs,
    model: str,
    k: int,
    cand: IntArray,
    given: IntArray,
    runs: int,
    seq: np.random.SeedSequence,
    progress: bool,
) -> tuple[IntArray, FloatArray, int]:
    bar = _bar(progress, cand.size + k, "CELF")
    try:
        first = _mc_gains(arcs, model, given, cand, runs, seq)
        bar.update(cand.size)
        heap = [(-float(g), int(net.rank[c]), int(c), 0) for g, c in zip(first, cand, strict=True)]
        heapq.heapify(heap)
        chosen: list[int] = []
        gains: list[float] = []
        evals = 0
        while len(chosen) < k and heap:
            neg, r, c, stamp = heap[0]
            if stamp == len(chosen):
                heapq.heappop(heap)
                chosen.append(c)
                gains.append(-neg)
                bar.update(1)
            else:
                base = np.concatenate([given, np.asarray(chosen, dtype=np.int64)])
                g = float(_mc_gains(arcs, model, base, np.asarray([c]), runs, seq)[0])
                evals += 1
                heapq.heapreplace(heap, (-g, r, c, len(chosen)))
    finally:
        bar.close()
    return np.asarray(chosen, dtype=np.int64), np.asarray(gains), evals


def _pagerank(n: int, arcs: _Arcs, alpha: float = 0.85) -> FloatArray:
    """PageRank of the reversed propagation graph (influence flows against the arcs):
    a resident ranks high when the residents they can reach rank high."""
    import scipy.sparse as sp

    if n == 0:
        return np.zeros(0)
    m = sp.csr_array((arcs.value, arcs.indices, arcs.indptr), shape=(n, n))
    into = np.asarray(m.sum(axis=0)).ravel()
    dangling = into == 0
    x = np.full(n, 1.0 / n)
    for _ in range(1000):
        y = m @ np.where(dangling, 0.0, x / np.where(dangling, 1.0, into))
        new = alpha * y + (alpha * x[dangling].sum() + 1.0 - alpha) / n
        if np.abs(new - x).sum() < n * 1e-13:
            return np.asarray(new)
        x = new
    return x


def _prefix_spreads(
    arcs: _Arcs,
    model: str,
    given: IntArray,
    seeds: IntArray,
    runs: int,
    rng: RNGLike,
) -> IntArray:
    """Per run, the cumulative spread after ``given`` and after each seed in turn."""
    stages = [given] + [seeds[i : i + 1] for i in range(seeds.size)]
    counts, _ = _map_runs(
        arcs, model, stages, runs, rng, n_jobs=1, want_nodes=False, progress=False, desc=""
    )
    return np.cumsum(counts, axis=0)


def choose_seeds(
    graph: Any,
    k: int,
    *,
    model: str = "ic",
    method: str = "ris",
    p: float | None = None,
    weights: str | None = None,
    epsilon: float = 0.1,
    ell: float = 1.0,
    candidates: Iterable[Hashable] | None = None,
    given: Iterable[Hashable] = (),
    runs: int = 1000,
    max_rr_sets: int = 50_000_000,
    rng: RNGLike = None,
    progress: bool = False,
) -> SeedChoice:
    """Whom to train so that word of mouth reaches the most residents.

    Parameters
    ----------
    graph : CommunityGraph, networkx.Graph or scipy.sparse.sparray
        The network, as in :func:`simulate`.
    k : int
        How many seeds to choose (fewer when there are fewer candidates).
    model, p, weights
        The diffusion model and arc probabilities, as in :func:`simulate`.
    method : {"ris", "celf", "degree", "pagerank"}
        ``"ris"``: reverse-reachable sets with the IMM stopping rule, solved as
        maximum coverage (fast, with a guarantee); ``"celf"``: lazy greedy on Monte
        Carlo estimates (slow; for checking on small networks); ``"degree"``: most ties
        first; ``"pagerank"``: highest PageRank first (baselines).
    epsilon : float
        IMM accuracy: the seeds reach at least :math:`(1 - 1/e - \\varepsilon)` of the
        best possible, with probability at least :math:`1 - n^{-\\ell}`. Smaller is
        slower (samples grow like :math:`\\varepsilon^{-2}`).
    ell : float
        IMM confidence exponent :math:`\\ell`.
    candidates : iterable, optional
        Who may be chosen (default: everyone), e.g. ``[r.id for r in g.engaged()]``.
    given : iterable
        Residents already trained: they stay seeds and the choice adds to them.
    runs : int
        Monte Carlo runs per estimate: the reported spread and gains of every method
        are simulated with ``runs`` runs (and each CELF gain).
    max_rr_sets : int
        ``ris``: refuse (with a hint) to sample more RR sets than this; memory grows
        with them.
    rng : None, int or numpy.random.Generator
        Randomness; a seed gives the same choice every time.
    progress : bool
        Show a progress bar (``pip install 'vchuang[progress]'``).

    Returns
    -------
    SeedChoice
        Seeds in order with their marginal gains, the estimated spread, a reason for
        each seed and notes on how they were chosen. Ties go to the smaller ID.

    Raises
    ------
    UnknownEntityError
        A candidate or given resident is not in the network.
    ValidationError
        A bad option, or no candidates.

    Notes
    -----
    **Reverse-reachable sets** (Borgs et al. [3]_). Pick a resident :math:`v`
    uniformly at random and flip every arc's coin; the RR set of :math:`v` is everyone
    who could have reached :math:`v` through live arcs (for LT: a random walk back
    along one in-arc :math:`u \\to w` chosen with probability :math:`b_{uw}`, stopping
    with probability :math:`1 - \\sum_u b_{uw}` or on a resident already on the walk).
    Then :math:`\\sigma(S) = n \\cdot \\Pr[S \\cap RR \\neq \\emptyset]`, so with
    :math:`\\theta` RR sets :math:`\\hat\\sigma(S) = n \\cdot F_R(S)`, where
    :math:`F_R(S)` is the share of RR sets :math:`S` touches. Choosing :math:`S` is
    maximum coverage — nodes are sets, RR sets are elements — solved by the library's
    lazy greedy (:mod:`vchuang._coverage`).

    **How many RR sets: IMM** (Tang, Shi & Xiao [4]_). With
    :math:`\\varepsilon' = \\sqrt 2\\,\\varepsilon` and
    :math:`\\ell \\leftarrow \\ell\\,(1 + \\ln 2 / \\ln n)`, the sampling phase
    tries :math:`x = n/2^i` for :math:`i = 1, 2, \\dots, \\log_2 n - 1`: it grows
    :math:`R` to :math:`\\theta_i = \\lambda' / x` sets,

    .. math::

       \\lambda' = \\frac{(2 + \\tfrac23 \\varepsilon')\\,
       (\\ln \\binom{n}{k} + \\ell \\ln n + \\ln \\log_2 n)\\, n}{\\varepsilon'^2},

    picks :math:`S_i` greedily and stops at the first :math:`i` with
    :math:`n F_R(S_i) \\ge (1 + \\varepsilon')\\, x`, taking
    :math:`LB = n F_R(S_i) / (1 + \\varepsilon')` (else :math:`LB = 1`). The final
    collection has :math:`\\theta = \\lambda^* / LB` sets,

    .. math::

       \\lambda^* = 2n \\bigl((1 - 1/e)\\,\\alpha + \\beta\\bigr)^2 \\varepsilon^{-2},\\quad
       \\alpha = \\sqrt{\\ell \\ln n + \\ln 2},\\quad
       \\beta = \\sqrt{(1 - 1/e)\\,(\\ln \\tbinom{n}{k} + \\ell \\ln n + \\ln 2)},

    and the greedy choice on it is a :math:`(1 - 1/e - \\varepsilon)`-approximation
    with probability at least :math:`1 - n^{-\\ell}`. As Chen [5]_ advises, the final
    :math:`\\theta` sets are sampled afresh rather than reusing the sampling phase's.
    With ``candidates`` the binomial is :math:`\\binom{|C|}{k}`; with ``given``, the
    sets they touch count as covered and the objective is
    :math:`\\sigma(\\text{given} \\cup S)`.

    **CELF** (Leskovec et al. [2]_) is the greedy of Kempe et al. [1]_ with lazy
    re-evaluation: marginal gains only shrink (submodularity), so a stale gain is an
    upper bound and only the top of the heap is re-estimated. Each gain is estimated
    with ``runs`` runs that first play out the seeds so far and then add the
    candidate (common random numbers).

    **Baselines.** ``degree``: number of out-arcs with a positive probability;
    ``pagerank``: PageRank (damping 0.85) on the reversed network with arc weights
    :math:`p_{uv}` — influence flows against PageRank's direction. Their spread and
    gains are Monte Carlo estimates of each prefix of the list.

    References
    ----------
    .. [1] Kempe, D., Kleinberg, J., & Tardos, É. (2003). Maximizing the spread of
       influence through a social network. KDD '03, 137–146.
    .. [2] Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J., &
       Glance, N. (2007). Cost-effective outbreak detection in networks. KDD '07,
       420–429.
    .. [3] Borgs, C., Brautbar, M., Chayes, J., & Lucier, B. (2014). Maximizing social
       influence in nearly optimal time. SODA '14, 946–957.
    .. [4] Tang, Y., Shi, Y., & Xiao, X. (2015). Influence maximization in near-linear
       time: a martingale approach. SIGMOD '15, 1539–1554.
    .. [5] Chen, W. (2018). An issue in the martingale analysis of the influence
       maximization algorithm IMM. CSoNet 2018, LNCS 11280, 286–297.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.karate_club_graph()
    >>> c = choose_seeds(g, 2, p=0.1, rng=3)
    >>> sorted(c.seeds)  # the two leaders of the club
    [0, 33]
    >>> [r["rank"] for r in c.to_rows()]
    [1, 2]
    >>> choose_seeds(g, 2, method="degree", p=0.1, runs=200, rng=3).seeds
    (33, 0)
    """
    model_p = _check_options(model, p, weights)
    if method not in METHODS:
        raise ValidationError([Problem("method", f"must be one of {METHODS}, got {method!r}")])
    k_in: Any = k
    if isinstance(k_in, bool) or not isinstance(k_in, int | np.integer) or k_in < 0:
        raise ValidationError([Problem("k", f"must be an integer >= 0, got {k!r}")])
    if not 0.0 < epsilon < 1.0:
        raise ValidationError([Problem("epsilon", f"must be in (0, 1), got {epsilon!r}")])
    if not ell > 0:
        raise ValidationError([Problem("ell", f"must be > 0, got {ell!r}")])
    runs = _check_runs(runs)
    net = _network(graph)
    given_idx = net.index_of(given, "given")
    if candidates is None:
        cand = np.arange(net.n, dtype=np.int64)
    else:
        cand = np.unique(net.index_of(candidates, "candidates"))
    cand = cand[~np.isin(cand, given_idx)]
    if cand.size == 0:
        msg = "no one to choose from"
        raise ValidationError([Problem("candidates", msg, "pass residents who are not given")])
    cand = cand[np.argsort(net.rank[cand], kind="stable")]  # ties go to the smaller ID
    k = min(int(k), int(cand.size))
    values, rule = _arc_values(net, model, model_p, weights)
    arcs = _Arcs.build(net, values)
    pick_seq, eval_seq = spawn(rng, 2)
    notes: list[str] = []
    if method == "ris":
        arcs_t = _Arcs.build(net, values, reverse=True)
        chosen, scores, _, samples, evals, imm_notes = _imm(
            net,
            arcs_t,
            model,
            k,
            cand,
            given_idx,
            epsilon,
            ell,
            np.random.default_rng(pick_seq),
            progress,
            max_rr_sets,
        )
        del arcs_t
        cum = _prefix_spreads(arcs, model, given_idx, chosen, runs, eval_seq).mean(axis=1)
        base, spread, gains = float(cum[0]), float(cum[-1]), np.diff(cum)
        notes += imm_notes
        estimator = "monte-carlo"
        reasons = tuple(
            f"touches {s:.2%} of the RR sets not yet touched; adds about {g:.1f} residents"
            for s, g in zip(scores, gains, strict=True)
        )
    elif method == "celf":
        chosen, gains, evals = _celf(net, arcs, model, k, cand, given_idx, runs, pick_seq, progress)
        scores = gains.copy()
        spread_given = _prefix_spreads(
            arcs, model, given_idx, np.zeros(0, np.int64), runs, eval_seq
        )
        base = float(spread_given[0].mean())
        spread = base + float(gains.sum())
        samples = runs
        estimator = "monte-carlo"
        reasons = tuple(
            f"adds about {g:.1f} residents on top of the seeds before it ({runs} runs)"
            for g in gains
        )
        notes.append(
            f"CELF lazy greedy: {cand.size} candidates estimated once, then "
            f"{evals} re-estimates, {runs} runs each."
        )
    else:
        if method == "degree":
            score = np.diff(arcs.indptr).astype(np.float64)
            what = "ties"
        else:
            score = _pagerank(net.n, arcs)
            what = "PageRank"
        order = np.lexsort((net.rank[cand], -score[cand]))
        chosen = cand[order[:k]]
        scores = score[chosen]
        cum = _prefix_spreads(arcs, model, given_idx, chosen, runs, eval_seq).mean(axis=1)
        base = float(cum[0])
        spread = float(cum[-1])
        gains = np.diff(cum)
        samples = runs
        evals = 0
        estimator = "monte-carlo"
        reasons = tuple(
            (f"{int(s)} {what}" if method == "degree" else f"{what} {s:.4f}")
            + f" (rank {i + 1} of {cand.size} candidates); adds about {g:.1f} residents"
            for i, (s, g) in enumerate(zip(scores, gains, strict=True))
        )
        notes.append(f"Heuristic ({method}); spread by simulation, {runs} runs per prefix.")
    return SeedChoice(
        seeds=tuple(net.ids[i] for i in chosen.tolist()),
        given=tuple(net.ids[i] for i in given_idx.tolist()),
        method=method,
        model=model,
        rule=rule,
        spread=float(spread),
        base=float(base),
        gains=np.asarray(gains, dtype=np.float64),
        scores=np.asarray(scores, dtype=np.float64),
        estimator=estimator,
        samples=int(samples),
        evaluations=int(evals),
        candidates=int(cand.size),
        reasons=reasons,
        notes=tuple(notes),
    )


def compare_seeds(
    graph: Any,
    k: int,
    *,
    methods: Sequence[str] = ("ris", "degree", "pagerank"),
    model: str = "ic",
    p: float | None = None,
    weights: str | None = None,
    epsilon: float = 0.1,
    candidates: Iterable[Hashable] | None = None,
    given: Iterable[Hashable] = (),
    runs: int = 1000,
    confidence: float = 0.95,
    rng: RNGLike = None,
    progress: bool = False,
) -> SeedComparison:
    """Choose ``k`` seeds by several methods and score every prefix the same way.

    Each method's seed list is scored by one Monte Carlo simulation of ``runs`` runs
    (given seeds first, then each seed in turn within the same runs), so the curves
    are comparable whatever estimator the method itself uses; every method is scored
    from the same random seed (common random numbers, which make the differences
    between methods less noisy).

    Parameters
    ----------
    graph, k, model, p, weights, epsilon, candidates, given, runs, rng, progress
        As in :func:`choose_seeds`.
    methods : sequence of str
        Methods to compare (see :data:`METHODS`).
    confidence : float
        Level of the intervals.

    Returns
    -------
    SeedComparison
        The choices and a ``methods × (k + 1)`` table of spreads; ``plot()`` draws
        spread against :math:`k`.

    Raises
    ------
    ValidationError, UnknownEntityError
        As in :func:`choose_seeds`.

    Examples
    --------
    >>> import networkx as nx
    >>> cmp = compare_seeds(nx.karate_club_graph(), 3, p=0.1, runs=300, rng=0)
    >>> cmp.methods, cmp.spread.shape
    (('ris', 'degree', 'pagerank'), (3, 4))
    """
    z = _z(confidence)
    methods = tuple(methods)
    for m in methods:
        if m not in METHODS:
            raise ValidationError([Problem("methods", f"unknown method {m!r}; use {METHODS}")])
    runs = _check_runs(runs)
    cand_list = None if candidates is None else list(candidates)
    given_list = list(given)
    seqs = spawn(rng, len(methods) + 1)
    choices = tuple(
        choose_seeds(
            graph,
            k,
            model=model,
            method=m,
            p=p,
            weights=weights,
            epsilon=epsilon,
            candidates=cand_list,
            given=given_list,
            runs=runs,
            rng=seqs[i],
            progress=progress,
        )
        for i, m in enumerate(methods)
    )
    # one seed for scoring every method: the same random streams (common random numbers)
    score_seed = int(seqs[-1].generate_state(1, dtype=np.uint64)[0])
    model_p = _check_options(model, p, weights)
    net = _network(graph)
    values, rule = _arc_values(net, model, model_p, weights)
    arcs = _Arcs.build(net, values)
    given_idx = net.index_of(given_list, "given")
    width = max((len(c.seeds) for c in choices), default=0) + 1
    spread = np.full((len(methods), width), np.nan)
    half = np.full((len(methods), width), np.nan)
    for i, c in enumerate(choices):
        seeds = net.index_of(c.seeds, "seeds")
        cum = _prefix_spreads(arcs, model, given_idx, seeds, runs, score_seed)
        spread[i, : cum.shape[0]] = cum.mean(axis=1)
        sd = cum.std(axis=1, ddof=1) if runs > 1 else np.zeros(cum.shape[0])
        half[i, : cum.shape[0]] = z * sd / math.sqrt(runs)
    last = spread[:, -1]
    reasons: tuple[str, ...] = ()
    if methods and not np.all(np.isnan(last)):
        best = int(np.nanargmax(last))
        reasons = tuple(
            f"{m}: {last[i]:.1f} residents reached with {width - 1} seeds"
            + (
                " (best)"
                if i == best
                else f" ({last[i] - last[best]:+.1f} against {methods[best]})"
            )
            for i, m in enumerate(methods)
        )
    return SeedComparison(
        methods=methods,
        choices=choices,
        spread=spread,
        halfwidth=half,
        runs=runs,
        confidence=confidence,
        model=model,
        rule=rule,
        reasons=reasons,
    )
