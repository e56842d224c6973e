"""Community talents (能人) and key players.

Two questions an incubator team and a researcher ask about the people of a community:

* **Whom should we coach?** :func:`rank_talents` scores every resident on four groups of
  evidence — their position in the resident network, their engagement, their skills
  (and the open needs of their community those skills could fill) and the time they
  offer — and says *why* each one ranks where they do, in plain words.
* **Which few people hold the network together?** :func:`key_players` finds the set of
  ``k`` people that reaches the most others (KPP-Pos) or whose absence would split the
  network the most (KPP-Neg), after Borgatti (2006).

Network measures follow networkx's definitions. Without a networkx backend in play they
are computed on the graph's sparse index (scipy), which gives the same numbers much
faster; with ``backend=`` (or the user's ``nx.config.backend_priority``) the networkx
functions are called, so that nx-parallel or nx-cugraph can take over.

Examples
--------
>>> import vchuang
>>> from vchuang.talent import rank_talents, key_players
>>> graph = vchuang.load_example()
>>> ranking = rank_talents(graph)
>>> best = ranking[0]
>>> best.resident, round(best.score, 2)
('pn-r01', 0.92)
>>> print(best.reasons[0])
leads Nothing falls from above, Civilised dog ownership
>>> key_players(graph, 1, objective="fragmentation").players
('pn-r01',)
"""

from __future__ import annotations

import abc
import datetime as dt
import difflib
import itertools
import math
import random
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, cast

import attrs
import networkx as nx
import numpy as np
import numpy.typing as npt

from . import _rng
from .errors import Problem, UnknownEntityError, ValidationError
from .graph import CommunityGraph
from .model import Activity, Group, Organization, Project, Relation, Resident, Role, Stage

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "BETWEENNESS_EXACT_LIMIT",
    "DEFAULT_PIVOTS",
    "DEFAULT_WEIGHTS",
    "DISTANCE_EXACT_LIMIT",
    "FEATURES",
    "MAX_CONTEXT_SIZE",
    "RECENCY_HALF_LIFE_DAYS",
    "KeyPlayers",
    "Talent",
    "TalentRanking",
    "key_players",
    "rank_talents",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The features of a talent score, by group, in the order they are reported.
FEATURES: Mapping[str, tuple[str, ...]] = {
    "network": ("degree", "betweenness", "pagerank", "brokerage"),
    "engagement": ("activities", "hours", "leads", "recency"),
    "skills": ("skills", "needs"),
    "availability": ("availability",),
}

_FEATURE_NAMES: tuple[str, ...] = tuple(f for names in FEATURES.values() for f in names)
_GROUP_OF: Mapping[str, str] = {f: g for g, names in FEATURES.items() for f in names}

#: Default weight of each feature (they sum to 1). Engagement weighs most (0.40) because
#: it is what social workers observe and what the case calls a talent: someone who leads
#: and organises; network position (0.30) stands for reach and for bridging groups;
#: skills (0.20) for fit with what projects lack; availability (0.10) is self-reported,
#: so it counts least. See the Notes of :func:`rank_talents`.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "degree": 0.07,
    "betweenness": 0.08,
    "pagerank": 0.05,
    "brokerage": 0.10,
    "activities": 0.10,
    "hours": 0.08,
    "leads": 0.14,
    "recency": 0.08,
    "skills": 0.08,
    "needs": 0.12,
    "availability": 0.10,
}

#: Networks with at most this many residents get exact betweenness; larger ones are
#: estimated from sampled sources ("pivots", Brandes & Pich 2007).
BETWEENNESS_EXACT_LIMIT = 2_000
#: Pivots sampled for betweenness above :data:`BETWEENNESS_EXACT_LIMIT`.
DEFAULT_PIVOTS = 128
#: Networks with at most this many people get exact distance-weighted fragmentation in
#: :func:`key_players`; larger ones sample this many sources.
DISTANCE_EXACT_LIMIT = 2_000
_DEFAULT_SOURCES = 128
#: A group, project or activity with more people than this makes no ties among them
#: (a 300-person event does not make its attendees acquainted, and would make the
#: network dense).
MAX_CONTEXT_SIZE = 50
#: Recency halves for every this many days since a resident last took part.
RECENCY_HALF_LIFE_DAYS = 180.0

_TIES = ("knows", "work", "all")
_OBJECTIVES = ("reach", "distance_reach", "fragmentation", "distance_fragmentation")
_METHODS = ("greedy", "exhaustive")
_CLOSED = (Stage.COMPLETED, Stage.DROPPED)
_STAFF = (Role.SOCIAL_WORKER, Role.STAFF)
_EXHAUSTIVE_LIMIT = 200_000
_TIE_DIGITS = 12  # scores equal to 12 decimals are ties, broken by ID


# =========================================================================== results


@attrs.frozen(kw_only=True)
class Talent:
    """One resident's talent score, its parts and the reasons behind it."""

    resident: str
    """The resident's ID (never their name)."""
    community: str
    rank: int
    """Rank in the whole ranking (1 is best)."""
    community_rank: int
    """Rank among the residents of the same community."""
    score: float
    """Weighted sum of the normalised features, in [0, 1]."""
    parts: Mapping[str, float]
    """Each feature's weighted contribution to ``score`` (they sum to it)."""
    values: Mapping[str, float]
    """Each feature's raw value (contacts, normalised betweenness, activities …)."""
    normalised: Mapping[str, float]
    """Each feature divided by its largest value in the resident's community."""
    reasons: tuple[str, ...]
    """Plain-language reasons, most important first."""

    @property
    def groups(self) -> dict[str, float]:
        """The score split into its four groups (network, engagement, skills,
        availability)."""
        return {g: sum(self.parts[f] for f in names) for g, names in FEATURES.items()}


def _array_eq(a: object, b: object) -> bool:
    return bool(np.array_equal(cast(Any, a), cast(Any, b)))


@attrs.frozen(kw_only=True)
class TalentRanking:
    """Residents ranked as community talents (能人), best first.

    Index it by position (``ranking[0]``) or by resident ID (``ranking["r1"]``) to get a
    :class:`Talent`; :meth:`top` gives the best few, :meth:`to_rows` a table. The
    numbers are held as arrays in ranked order so that a district of a million
    residents stays small.
    """

    residents: tuple[str, ...]
    """Resident IDs, best first."""
    communities: tuple[str, ...]
    """Each ranked resident's community."""
    scores: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq))
    values: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq))
    """Raw feature values, one row per resident, columns as in :data:`FEATURES`."""
    normalised: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq))
    """Features normalised within each community (same layout as ``values``)."""
    community_ranks: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq))
    reasons: tuple[tuple[str, ...], ...]
    weights: Mapping[str, float]
    """The weights used (normalised to sum to 1)."""
    ties: str
    """Which ties make the resident network (``"knows"``, ``"work"`` or ``"all"``)."""
    betweenness: str
    """``"exact"`` or ``"sampled"`` (from ``pivots`` sources)."""
    pivots: int | None
    as_of: dt.date | None
    """The date recency is measured from."""
    backend: str | None
    """The networkx backend asked for (``None``: default dispatch)."""
    network_size: tuple[int, int]
    """(residents, ties) of the network the position measures ran on."""
    _rank_of: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_rank_of", {r: i for i, r in enumerate(self.residents)})

    @property
    def features(self) -> tuple[str, ...]:
        """Feature names, the columns of ``values`` and ``normalised``."""
        return _FEATURE_NAMES

    def __len__(self) -> int:
        return len(self.residents)

    def __iter__(self) -> Iterator[Talent]:
        return (self._talent(i) for i in range(len(self.residents)))

    def __getitem__(self, key: int | str) -> Talent:
        if isinstance(key, str):
            if key not in self._rank_of:
                raise UnknownEntityError(key)
            return self._talent(self._rank_of[key])
        if not -len(self) <= key < len(self):
            msg = f"rank position {key} is out of range for {len(self)} residents"
            raise IndexError(msg)
        return self._talent(key % len(self))

    def _talent(self, i: int) -> Talent:
        w = np.array([self.weights[f] for f in _FEATURE_NAMES])
        parts = w * self.normalised[i]
        return Talent(
            resident=self.residents[i],
            community=self.communities[i],
            rank=i + 1,
            community_rank=int(self.community_ranks[i]),
            score=float(self.scores[i]),
            parts=dict(zip(_FEATURE_NAMES, map(float, parts), strict=True)),
            values=dict(zip(_FEATURE_NAMES, map(float, self.values[i]), strict=True)),
            normalised=dict(zip(_FEATURE_NAMES, map(float, self.normalised[i]), strict=True)),
            reasons=self.reasons[i],
        )

    def top(self, n: int = 10, *, community: str | None = None) -> tuple[Talent, ...]:
        """The best ``n`` residents, optionally of one community."""
        out: list[Talent] = []
        for i, c in enumerate(self.communities):
            if len(out) >= n:
                break
            if community is None or c == community:
                out.append(self._talent(i))
        return tuple(out)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per resident: IDs, ranks, score, each feature's raw value and part,
        and the reasons joined by "; "."""
        w = np.array([self.weights[f] for f in _FEATURE_NAMES])
        rows = []
        for i, rid in enumerate(self.residents):
            row: dict[str, Any] = {
                "resident": rid,
                "community": self.communities[i],
                "rank": i + 1,
                "community_rank": int(self.community_ranks[i]),
                "score": float(self.scores[i]),
            }
            for j, f in enumerate(_FEATURE_NAMES):
                row[f] = float(self.values[i, j])
            for j, f in enumerate(_FEATURE_NAMES):
                row[f"part_{f}"] = float(w[j] * self.normalised[i, j])
            row["reasons"] = "; ".join(self.reasons[i])
            rows.append(row)
        return rows

    def plot(
        self,
        ax: Axes | None = None,
        *,
        n: int = 10,
        community: str | None = None,
        by: str = "group",
        lang: str = "en",
    ) -> Axes:
        """Stacked bars of the score parts of the best ``n`` residents (see
        :func:`vchuang.plot._talent.plot_talents`)."""
        from .plot._talent import plot_talents

        return plot_talents(self, ax, n=n, community=community, by=by, lang=lang)


@attrs.frozen(kw_only=True)
class KeyPlayers:
    """A set of key players (Borgatti 2006), its score and a baseline to compare."""

    players: tuple[Hashable, ...]
    """The set, in the order it was built (greedy) or by ID (exhaustive)."""
    score: float
    objective: str
    m: int
    method: str
    baseline: tuple[Hashable, ...]
    """The ``k`` nodes of highest degree (ties by ID): the off-the-shelf answer."""
    baseline_score: float
    contributions: tuple[float, ...]
    """For each player, ``score(S) - score(S without them)``."""
    reasons: tuple[str, ...]
    """One plain-language line per player."""
    exact: bool
    """False when a distance-weighted fragmentation was estimated from sampled sources."""
    n: int
    """Nodes in the network."""
    evaluations: int
    """How many candidate sets were scored (greedy steps count every candidate)."""

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per player: order, ID, contribution and reason."""
        return [
            {
                "order": i + 1,
                "player": p,
                "contribution": c,
                "reason": r,
                "score": self.score,
                "baseline_score": self.baseline_score,
            }
            for i, (p, c, r) in enumerate(
                zip(self.players, self.contributions, self.reasons, strict=True)
            )
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Each player's contribution, with the set's score against the baseline (see
        :func:`vchuang.plot._talent.plot_key_players`)."""
        from .plot._talent import plot_key_players

        return plot_key_players(self, ax, lang=lang)


# =========================================================================== errors


def _fail(path: str, message: str, hint: str = "") -> NoReturn:
    raise ValidationError([Problem(path, message, hint)])


def _choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        near = difflib.get_close_matches(str(value), list(allowed), n=1)
        hint = f"did you mean {near[0]!r}?" if near else f"use one of {', '.join(allowed)}"
        return_msg = f"must be one of {', '.join(map(repr, allowed))}, got {value!r}"
        _fail(name, return_msg, hint)
    return value


def _positive_int(name: str, value: object, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        _fail(name, f"must be an integer >= {minimum}, got {value!r}")
    return int(value)


# =========================================================================== backends


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


def _pagerank_sparse(w: Any, alpha: float = 0.85, tol: float = 1.0e-6) -> FloatArray:
    """PageRank by power iteration on the CSR, as networkx's scipy implementation
    (``alpha=0.85``, uniform teleport and dangling distribution, L1 tolerance
    ``n * tol``, at most 100 iterations)."""
    import scipy.sparse as sp

    n = w.shape[0]
    if n == 0:
        return np.zeros(0)
    s = np.asarray(w.sum(axis=1)).ravel()
    inv = np.divide(1.0, s, out=np.zeros(n), where=s != 0)
    q = sp.diags_array(inv) @ w
    x = np.full(n, 1.0 / n)
    p = np.full(n, 1.0 / n)
    dangling = s == 0
    for _ in range(100):
        last = x
        x = alpha * (x @ q + x[dangling].sum() * p) + (1 - alpha) * p
        if np.abs(x - last).sum() < n * tol:
            break
    return np.asarray(x, dtype=np.float64)


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


# =========================================================================== network


@attrs.frozen(kw_only=True)
class _Network:
    """The resident network of a scope: weighted adjacency over ``rows`` (positions in
    ``graph.index``), and the context memberships used for reasons."""

    ids: tuple[str, ...]
    rows: IntArray
    weighted: Any  # csr_array, symmetric, no diagonal
    binary: Any  # csr_array of 0/1


def _context_blocks(graph: CommunityGraph, ties: str) -> list[Any]:
    index = graph.index
    if ties == "knows":
        return []
    blocks = [
        index.incidence(Relation.MEMBER_OF, "group"),
        index.incidence(Relation.MEMBER_OF, "organization"),
        index.incidence(Relation.LEADS, "group"),
        index.incidence(Relation.LEADS, "organization"),
        (
            index.incidence(Relation.LEADS, "project")
            + index.incidence(Relation.CO_LEADS, "project")
            + index.incidence(Relation.VOLUNTEERS_IN, "project")
        ),
    ]
    activity = index.incidence(Relation.ORGANISED, "activity")
    if ties == "all":
        activity = activity + index.incidence(Relation.ATTENDED, "activity")
    blocks.append(activity)
    return blocks


def _network(graph: CommunityGraph, ids: Sequence[str], ties: str) -> _Network:
    import scipy.sparse as sp

    index = graph.index
    pos = index.position("resident")
    rows = np.fromiter((pos[r] for r in ids), dtype=np.int64, count=len(ids))
    n = len(ids)
    knows = index.knows[rows][:, rows] if n else sp.csr_array((0, 0))
    weighted = sp.csr_array(knows, dtype=np.float64)
    blocks = _context_blocks(graph, ties)
    if blocks and n:
        b = sp.hstack(blocks, format="csr")[rows]
        b.data[:] = 1.0
        b.sum_duplicates()
        b.data[:] = 1.0
        sizes = np.asarray(b.sum(axis=0)).ravel()
        keep = np.flatnonzero((sizes >= 2) & (sizes <= MAX_CONTEXT_SIZE))
        b = b[:, keep]
        shared = (b @ b.T).tocsr()
        shared.setdiag(0)
        shared.eliminate_zeros()
        weighted = (weighted + shared).tocsr()
    weighted.setdiag(0)
    weighted.eliminate_zeros()
    weighted.sort_indices()
    binary = weighted.copy()
    binary.data[:] = 1.0
    return _Network(ids=tuple(ids), rows=rows, weighted=weighted, binary=binary)


# =========================================================================== ranking


def _scope(graph: CommunityGraph, community: str | None) -> list[Resident]:
    if community is None:
        return graph.residents()
    if not isinstance(community, str):
        _fail("community", f"must be a place ID or None, got {community!r}")
    kind = graph.kind_of(community)  # raises UnknownEntityError
    if kind not in ("community", "subdistrict", "district"):
        _fail(
            "community",
            f"{community!r} is a {kind}, not a community, subdistrict or district",
            "pass the ID of a place, or None for every resident",
        )
    return graph.residents(community)


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    out = dict(DEFAULT_WEIGHTS)
    if weights is None:
        return out
    if not isinstance(weights, Mapping):
        _fail("weights", f"must be a mapping of feature or group to weight, got {weights!r}")
    problems: list[Problem] = []
    names = [*FEATURES, *_FEATURE_NAMES]
    for key, value in weights.items():
        path = f"weights[{key!r}]"
        if key not in names:
            near = difflib.get_close_matches(str(key), names, n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"use one of {', '.join(names)}"
            problems.append(Problem(path, f"unknown feature or group {key!r}", hint))
            continue
        given: object = value
        if (
            isinstance(given, bool)
            or not isinstance(given, int | float)
            or not (math.isfinite(given) and given >= 0)
        ):
            problems.append(Problem(path, f"must be a finite number >= 0, got {value!r}"))
    if problems:
        raise ValidationError(problems)
    for key, value in weights.items():  # groups first: a feature named too overrides
        if key in FEATURES:
            members = FEATURES[key]
            base = sum(DEFAULT_WEIGHTS[f] for f in members)
            for f in members:
                out[f] = float(value) * DEFAULT_WEIGHTS[f] / base
    for key, value in weights.items():
        if key in DEFAULT_WEIGHTS:
            out[key] = float(value)
    total = sum(out.values())
    if total <= 0:
        _fail("weights", "all weights are zero", "give at least one feature a weight > 0")
    return {f: out[f] / total for f in _FEATURE_NAMES}


def _row_counts(matrix: Any) -> FloatArray:
    m = matrix.tocsr()
    m.sum_duplicates()
    return np.asarray(np.diff(m.indptr), dtype=np.float64)


def _row_sums(matrix: Any) -> FloatArray:
    return np.asarray(matrix.sum(axis=1), dtype=np.float64).ravel()


@attrs.frozen
class _Context:
    """What the reasons need to know about the graph (built once per ranking)."""

    graph: CommunityGraph
    lang: str
    rows: IntArray  # ranked residents' rows in graph.index
    lead: Any
    colead: Any
    volunteer: Any  # hours
    activity: Any
    last: FloatArray  # ordinal of last activity (0: none)
    fill: Any  # ranked residents × needs
    need_labels: tuple[str, ...]
    contexts: Any  # ranked residents × contexts (groups, organisations, projects)
    context_ids: tuple[str, ...]
    context_sizes: IntArray
    bridged: frozenset[tuple[int, int]]


def _name(record: Any, lang: str) -> str:
    zh = str(getattr(record, "name_zh", "") or "")
    return zh if lang == "zh" and zh else str(record.name)


def _needs(
    graph: CommunityGraph, ranked: Sequence[Resident], lang: str
) -> tuple[Any, tuple[str, ...]]:
    """Residents × open needs of their community they could fill: the need's skill or a
    more specific one (a descendant in the taxonomy), at the need's level or above."""
    import scipy.sparse as sp

    tax = graph.taxonomy
    comm_of = {c.id: i for i, c in enumerate(graph.communities())}
    comm = np.array([comm_of[r.community] for r in ranked], dtype=np.int64)
    skill_col = {s.id: j for j, s in enumerate(tax.skills)}
    s_rows: list[int] = []
    s_cols: list[int] = []
    s_vals: list[int] = []
    for i, r in enumerate(ranked):
        for item in r.skills:
            s_rows.append(i)
            s_cols.append(skill_col[item.skill])
            s_vals.append(int(item.level))
    levels = sp.csr_array(
        (np.asarray(s_vals, dtype=np.float64), (s_rows, s_cols)),
        shape=(len(ranked), len(tax.skills)),
    )
    wanted_comms = {r.community for r in ranked}
    needs: list[tuple[int, str, int, str]] = []  # community, skill, level, label
    for project in graph.projects():
        if project.stage in _CLOSED or project.community not in wanted_comms:
            continue
        for need in project.needs:
            if need.skill is None:
                continue
            label = (
                f"{tax.label(need.skill, lang)}（{_name(project, lang)}）"
                if lang == "zh"
                else f"{tax.label(need.skill, lang)} ({_name(project, lang)})"
            )
            needs.append((comm_of[project.community], need.skill, int(need.min_level), label))
    f_rows: list[IntArray] = []
    f_cols: list[IntArray] = []
    cache: dict[tuple[str, int], npt.NDArray[np.bool_]] = {}
    for j, (c, skill, level, _) in enumerate(needs):
        key = (skill, level)
        if key not in cache:
            cols = [skill_col[skill], *(skill_col[d] for d in tax.descendants(skill))]
            sub = levels[:, cols]
            ok = np.zeros(len(ranked), dtype=bool)
            hit = sub.tocoo()
            good = hit.data >= level
            ok[hit.row[good]] = True
            cache[key] = ok
        who = np.flatnonzero(cache[key] & (comm == c))
        f_rows.append(who.astype(np.int64))
        f_cols.append(np.full(len(who), j, dtype=np.int64))
    if needs:
        rr = np.concatenate(f_rows)
        cc = np.concatenate(f_cols)
    else:
        rr = cc = np.zeros(0, dtype=np.int64)
    fill = sp.csr_array((np.ones(len(rr)), (rr, cc)), shape=(len(ranked), len(needs)))
    return fill, tuple(n[3] for n in needs)


def _normalise(values: FloatArray, comm: IntArray) -> FloatArray:
    """Each column divided by its largest value within each community (0 if none)."""
    n_comm = int(comm.max()) + 1 if len(comm) else 0
    out = np.zeros_like(values)
    for j in range(values.shape[1]):
        col = np.nan_to_num(values[:, j], nan=0.0)
        best = np.zeros(n_comm)
        np.maximum.at(best, comm, col)
        denom = best[comm]
        out[:, j] = np.divide(col, denom, out=np.zeros_like(col), where=denom > 0)
    return np.clip(out, 0.0, 1.0)


def rank_talents(
    graph: CommunityGraph,
    *,
    community: str | None = None,
    weights: Mapping[str, float] | None = None,
    ties: str = "work",
    as_of: dt.date | None = None,
    pivots: int | None = None,
    include_staff: bool = False,
    explain: int | None = None,
    lang: str = "en",
    backend: str | None = None,
    rng: _rng.RNGLike = None,
) -> TalentRanking:
    """Rank residents as community talents (能人), with each score's parts and reasons.

    Every resident of the scope gets eleven features in four groups; each feature is
    divided by its largest value in the resident's community, and the score is the
    weighted sum. The ranking lists the best first; ties (scores equal to 12 decimals)
    are broken by resident ID.

    Parameters
    ----------
    graph : CommunityGraph
        The community graph.
    community : str, optional
        A community, subdistrict or district ID: rank the residents there (the network
        is the one among them). ``None`` ranks every resident.
    weights : mapping, optional
        Weights by feature (``"degree"``, ``"leads"`` …) or by group (``"network"``,
        ``"engagement"``, ``"skills"``, ``"availability"``; the group's default split is
        kept). Missing keys keep their defaults (:data:`DEFAULT_WEIGHTS`); the result is
        rescaled to sum to 1.
    ties : {"work", "knows", "all"}
        Which ties make the resident network. ``"knows"``: ``knows`` links only (as
        :meth:`~vchuang.graph.CommunityGraph.social_graph`). ``"work"`` (default): those
        plus sharing a group or organisation, leading, co-leading or volunteering in the
        same project, or organising the same activity. ``"all"``: also attending the
        same activity (the full :meth:`~vchuang.graph.CommunityGraph.coparticipation`).
        A context with more than :data:`MAX_CONTEXT_SIZE` people makes no ties.
    as_of : datetime.date, optional
        The day recency is measured from; defaults to the graph's ``metadata.as_of``,
        else the date of the latest activity.
    pivots : int, optional
        Sources sampled for betweenness when the network has more than
        :data:`BETWEENNESS_EXACT_LIMIT` residents (default :data:`DEFAULT_PIVOTS`).
        Smaller networks get exact betweenness and ignore it.
    include_staff : bool
        Rank social workers and staff too (they are always part of the network).
    explain : int, optional
        Give reasons to the best ``explain`` residents only (``None``: everyone).
    lang : {"en", "zh"}
        Language of the reasons.
    backend : str, optional
        A networkx backend (``"parallel"``, ``"cugraph"``, ``"networkx"`` …) for the
        network measures it implements; see Notes.
    rng : None, int or numpy.random.Generator
        Seeds the betweenness pivots (only used above the exact limit).

    Returns
    -------
    TalentRanking
        Residents best first, with scores, raw and normalised features and reasons.

    Raises
    ------
    ValidationError
        An unknown weight, tie kind or language, a negative weight, a backend that is
        not installed.
    UnknownEntityError
        ``community`` is not in the graph.

    Notes
    -----
    **Features** (raw values; each is then divided by the community's maximum, so a 1
    means "the best in the community on this"):

    * network position, on the resident network chosen by ``ties`` (all residents of
      the scope are nodes): ``degree``, the number of distinct contacts; ``betweenness``,
      the share of shortest paths between other residents that pass through the
      resident (Freeman; Brandes' algorithm, hop counts, normalised by
      :math:`(n-1)(n-2)` as networkx does) — exact up to
      :data:`BETWEENNESS_EXACT_LIMIT` residents, else estimated from ``pivots``
      sampled sources with networkx's estimator (Brandes & Pich 2007); ``pagerank``
      (Page et al. 1999; damping 0.85, tie strength as weight), chosen over eigenvector
      centrality because it is defined on disconnected networks; ``brokerage``,
      :math:`1 - c_i` where :math:`c_i = \\sum_j (p_{ij} + \\sum_q p_{iq} p_{qj})^2` is
      Burt's (1992) constraint with :math:`p_{ij}` the share of i's tie strength spent
      on j (0 for isolated residents, clipped at 0);
    * engagement: ``activities``, distinct activities attended or organised; ``hours``,
      weekly hours pledged in ``volunteers_in`` links; ``leads``, projects, groups and
      organisations led (1 each) plus projects co-led (½ each); ``recency``,
      :math:`2^{-\\Delta/h}` with :math:`\\Delta` the days from the last activity to
      ``as_of`` and :math:`h` = :data:`RECENCY_HALF_LIFE_DAYS` (0 if never);
    * skills: ``skills``, the number of skills listed; ``needs``, the open needs (of
      projects in the resident's community that are not completed or dropped) the
      resident could fill: their skill is the need's skill or a descendant of it in the
      taxonomy, at the need's ``min_level`` or above;
    * ``availability``: ``hours_per_week``.

    **Weights.** The defaults (:data:`DEFAULT_WEIGHTS`) give engagement 0.40, network
    position 0.30, skills 0.20 and availability 0.10: what a resident already does is
    the best evidence that coaching will pay off (the case's talents were volunteers who
    became organisers); position tells how far their work can spread and whether they
    bridge groups; skills and open needs tell whether the community needs what they
    can do; availability is self-reported and counts least.

    **Engines.** Degree and engagement counts come from the sparse index. Without a
    backend, betweenness, PageRank and constraint are computed on the sparse adjacency
    with networkx's definitions (the tests check them against networkx); the
    betweenness pivots are the ones networkx draws for the same seed. With
    ``backend="parallel"`` (say), each of :func:`networkx.betweenness_centrality`,
    :func:`networkx.pagerank` and :func:`networkx.constraint` that the backend
    implements is called with ``backend=``; the others use the sparse path. With
    ``backend=None`` and ``nx.config.backend_priority`` set, the networkx functions are
    called without ``backend=`` so that your priority decides.

    References
    ----------
    .. [1] Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal
       of Mathematical Sociology, 25(2), 163-177.
    .. [2] Brandes, U., & Pich, C. (2007). Centrality estimation in large networks.
       International Journal of Bifurcation and Chaos, 17(7), 2303-2318.
    .. [3] Burt, R. S. (1992). Structural Holes: The Social Structure of Competition.
       Harvard University Press.
    .. [4] Page, L., Brin, S., Motwani, R., & Winograd, T. (1999). The PageRank citation
       ranking: Bringing order to the web. Stanford InfoLab.

    Examples
    --------
    >>> import vchuang
    >>> ranking = vchuang.talent.rank_talents(vchuang.load_example())
    >>> [t.resident for t in ranking.top(3)]
    ['pn-r01', 'pn-r03', 'pn-r04']
    >>> {g: round(v, 2) for g, v in ranking["pn-r03"].groups.items()}
    {'network': 0.23, 'engagement': 0.21, 'skills': 0.16, 'availability': 0.08}
    >>> rank_talents(vchuang.load_example(), weights={"network": 1, "engagement": 0,
    ...              "skills": 0, "availability": 0})[0].resident
    'pn-r01'
    """
    if not isinstance(graph, CommunityGraph):
        _fail("graph", f"must be a CommunityGraph, got {type(graph).__name__}")
    ties = _choice("ties", ties, _TIES)
    lang = _choice("lang", lang, ("en", "zh"))
    w = _weights(weights)
    backend = _check_backend(backend)
    if pivots is not None:
        pivots = _positive_int("pivots", pivots, minimum=2)
    if explain is not None:
        explain = _positive_int("explain", explain, minimum=0)
    if as_of is not None and not isinstance(as_of, dt.date):
        _fail("as_of", f"must be a datetime.date, got {as_of!r}")
    generator = _rng.as_generator(rng)

    scope = _scope(graph, community)
    ids = [r.id for r in scope]
    net = _network(graph, ids, ties)
    n = len(ids)
    ranked_mask = np.array(
        [include_staff or not any(role in r.roles for role in _STAFF) for r in scope],
        dtype=bool,
    )
    ranked_at = np.flatnonzero(ranked_mask)
    ranked = [scope[i] for i in ranked_at]

    # -- network position (on the whole scope network)
    position, betweenness_kind, used_pivots = _position(net, pivots, backend, generator)

    # -- engagement, skills, availability (ranked residents)
    index = graph.index
    rows = net.rows[ranked_at]

    def inc(rel: Relation, kind: str, weight: str | None = None) -> Any:
        return index.incidence(rel, kind, weight=weight)[rows]

    import scipy.sparse as sp

    lead = sp.hstack(
        [inc(Relation.LEADS, kind) for kind in ("project", "group", "organization")],
        format="csr",
    )
    colead = inc(Relation.CO_LEADS, "project")
    volunteer = inc(Relation.VOLUNTEERS_IN, "project", "hours")
    activity = (inc(Relation.ATTENDED, "activity") + inc(Relation.ORGANISED, "activity")).tocsr()
    activity.sum_duplicates()
    dates = np.array(
        [a.date.toordinal() for a in cast(list[Activity], graph.entities("activity"))],
        dtype=np.float64,
    )
    last = np.zeros(len(ranked))
    if activity.nnz:
        per = dates[activity.indices]
        has = np.diff(activity.indptr) > 0
        starts = activity.indptr[:-1][has]
        last[has] = np.maximum.reduceat(per, starts)
    if as_of is None:
        as_of = graph.metadata.as_of
        if as_of is None and len(dates):
            as_of = dt.date.fromordinal(int(dates.max()))
    recency = np.zeros(len(ranked))
    if as_of is not None:
        days = np.maximum(as_of.toordinal() - last, 0.0)
        recency = np.where(last > 0, 0.5 ** (days / RECENCY_HALF_LIFE_DAYS), 0.0)
    fill, need_labels = _needs(graph, ranked, lang)
    values = (
        np.column_stack(
            [
                position[ranked_at] if n else np.zeros((0, 4)),
                _row_counts(activity),
                _row_sums(volunteer),
                _row_counts(lead) + 0.5 * _row_counts(colead),
                recency,
                np.array([len(r.skills) for r in ranked], dtype=np.float64),
                _row_sums(fill),
                np.array([r.hours_per_week for r in ranked], dtype=np.float64),
            ]
        )
        if ranked
        else np.zeros((0, len(_FEATURE_NAMES)))
    )

    comm_pos = {c.id: i for i, c in enumerate(graph.communities())}
    comm = np.array([comm_pos[r.community] for r in ranked], dtype=np.int64)
    normalised = _normalise(values, comm)
    wv = np.array([w[f] for f in _FEATURE_NAMES])
    scores = np.clip(normalised @ wv, 0.0, 1.0)
    rid = np.array([r.id for r in ranked], dtype=object)
    order = (
        np.lexsort((rid.astype(str), -np.round(scores, _TIE_DIGITS)))
        if ranked
        else np.zeros(0, dtype=np.int64)
    )
    community_ranks = np.zeros(len(ranked), dtype=np.int64)
    counters: dict[int, int] = {}
    for pos_, i in enumerate(order):
        c = int(comm[i])
        counters[c] = counters.get(c, 0) + 1
        community_ranks[pos_] = counters[c]

    ctx = _reason_context(
        graph, net, ranked_at, lead, colead, volunteer, activity, last, fill, need_labels, lang
    )
    limit = len(order) if explain is None else min(explain, len(order))
    reasons = tuple(
        _reasons(ctx, int(i), values[i], normalised[i], wv) if k < limit else ()
        for k, i in enumerate(order)
    )
    return TalentRanking(
        residents=tuple(ranked[i].id for i in order),
        communities=tuple(ranked[i].community for i in order),
        scores=scores[order],
        values=values[order],
        normalised=normalised[order],
        community_ranks=community_ranks,
        reasons=reasons,
        weights=w,
        ties=ties,
        betweenness=betweenness_kind,
        pivots=used_pivots,
        as_of=as_of,
        backend=backend,
        network_size=(n, int(net.binary.nnz // 2)),
    )


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
        out[:, 2] = _pagerank_sparse(w)
    use, name = _via_networkx(nx.constraint, backend)
    if use:
        con = nx.constraint(as_nx(), weight="weight", backend=name)
        constraint = np.array([con[i] for i in range(n)], dtype=np.float64)
    else:
        constraint = _constraint_sparse(w)
    out[:, 3] = np.clip(1.0 - np.nan_to_num(constraint, nan=1.0), 0.0, 1.0)
    return out, ("exact" if k is None or k == n else "sampled"), k


# --------------------------------------------------------------------------- reasons


def _reason_context(
    graph: CommunityGraph,
    net: _Network,
    ranked_at: IntArray,
    lead: Any,
    colead: Any,
    volunteer: Any,
    activity: Any,
    last: FloatArray,
    fill: Any,
    need_labels: tuple[str, ...],
    lang: str,
) -> _Context:
    import scipy.sparse as sp

    index = graph.index
    rows = net.rows  # the whole scope: a bridge is judged among all its residents
    kinds = ("group", "organization", "project")
    blocks = [
        index.incidence(Relation.MEMBER_OF, "group")[rows]
        + index.incidence(Relation.LEADS, "group")[rows],
        index.incidence(Relation.MEMBER_OF, "organization")[rows]
        + index.incidence(Relation.LEADS, "organization")[rows],
        index.incidence(Relation.LEADS, "project")[rows]
        + index.incidence(Relation.CO_LEADS, "project")[rows]
        + index.incidence(Relation.VOLUNTEERS_IN, "project")[rows],
    ]
    ids = tuple(x for kind in kinds for x in index.ids(kind))
    member = sp.hstack(blocks, format="csr") if rows.size else sp.csr_array((0, len(ids)))
    member.sum_duplicates()
    member.data[:] = 1.0
    sizes = np.asarray(member.sum(axis=0)).ravel().astype(np.int64)
    shared = (member.T @ member).tocoo()
    bridged = frozenset(
        (int(a), int(b))
        for a, b, v in zip(shared.row, shared.col, shared.data, strict=True)
        if a < b and v == 1
    )
    return _Context(
        graph=graph,
        lang=lang,
        rows=net.rows[ranked_at],
        lead=lead.tocsr(),
        colead=colead.tocsr(),
        volunteer=volunteer.tocsr(),
        activity=activity,
        last=last,
        fill=fill.tocsr(),
        need_labels=need_labels,
        contexts=member[ranked_at].tocsr() if rows.size else member,
        context_ids=ids,
        context_sizes=sizes,
        bridged=bridged,
    )


def _listing(items: Sequence[str], lang: str, limit: int = 3) -> str:
    shown = list(items[:limit])
    more = len(items) - len(shown)
    if lang == "zh":
        text = "、".join(shown)
        return f"{text}等{len(items)}项" if more > 0 else text
    text = ", ".join(shown)
    return f"{text} and {more} more" if more > 0 else text


def _ids_in_row(matrix: Any, i: int) -> IntArray:
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    cols = matrix.indices[start:end]
    return np.asarray(cols[matrix.data[start:end] != 0], dtype=np.int64)


def _hours(x: float) -> str:
    return f"{x:g}"


def _reasons(
    ctx: _Context, i: int, values: FloatArray, normalised: FloatArray, wv: FloatArray
) -> tuple[str, ...]:
    """Plain-language reasons for ranked resident ``i`` (facts about groups, projects,
    activities and skills; never another resident's name)."""
    graph, lang = ctx.graph, ctx.lang
    zh = lang == "zh"
    val = dict(zip(_FEATURE_NAMES, values, strict=True))
    norm = dict(zip(_FEATURE_NAMES, normalised, strict=True))
    part = dict(zip(_FEATURE_NAMES, normalised * wv, strict=True))
    found: list[tuple[float, str]] = []

    def say(feature: str, text: str) -> None:
        found.append((part[feature], text))

    index = graph.index
    if val["leads"] > 0:
        led = _led_names(ctx, i, lang)
        co = [_name(graph.get(index.ids("project")[j]), lang) for j in _ids_in_row(ctx.colead, i)]
        bits = []
        if led:
            bits.append(("带领" if zh else "leads ") + _listing(led, lang))
        if co:
            bits.append(("共同带领" if zh else "co-leads ") + _listing(co, lang))
        say("leads", ("；" if zh else "; ").join(bits))
    if val["activities"] > 0:
        n_act = int(val["activities"])
        when = dt.date.fromordinal(int(ctx.last[i])).isoformat()
        text = (
            f"参加或组织了 {n_act} 次活动，最近一次在 {when}"
            if zh
            else f"took part in {n_act} {'activity' if n_act == 1 else 'activities'}"
            f", most recently on {when}"
        )
        say("activities", text)
    if val["hours"] > 0:
        projects = [
            _name(graph.get(index.ids("project")[j]), lang) for j in _ids_in_row(ctx.volunteer, i)
        ]
        hours = _hours(float(val["hours"]))
        text = (
            f"每周在{_listing(projects, lang)}做志愿 {hours} 小时"
            if zh
            else f"volunteers {hours} h a week in {_listing(projects, lang)}"
        )
        say("hours", text)
    if val["brokerage"] > 0 and norm["brokerage"] >= 0.5:
        say("brokerage", _bridge_reason(ctx, i, val, lang))
    if val["degree"] > 0 and norm["degree"] >= 0.5:
        d = int(val["degree"])
        say(
            "degree",
            f"与 {d} 位居民有联系"
            if zh
            else f"is tied to {d} {'resident' if d == 1 else 'residents'}",
        )
    if val["betweenness"] > 0 and norm["betweenness"] >= 0.5:
        say(
            "betweenness",
            "处在许多居民之间的最短路径上"
            if zh
            else "lies on many of the shortest paths between other residents",
        )
    if val["pagerank"] > 0 and norm["pagerank"] >= 0.5 and norm["degree"] < 0.5:
        say("pagerank", "与社区里联系广的人相连" if zh else "is tied to well-connected residents")
    if val["needs"] > 0:
        labels = [ctx.need_labels[j] for j in _ids_in_row(ctx.fill, i)]
        k = len(labels)
        text = (
            f"可填补 {k} 项未满足的需求：{_listing(labels, lang)}"
            if zh
            else f"could fill {k} open {'need' if k == 1 else 'needs'}: {_listing(labels, lang)}"
        )
        say("needs", text)
    if val["skills"] > 0:
        record = graph.get(index.ids("resident")[int(ctx.rows[i])], Resident)
        names = [graph.taxonomy.label(s.skill, lang) for s in record.skills]
        k = len(names)
        say(
            "skills",
            f"有 {k} 项技能：{_listing(names, lang)}"
            if zh
            else f"has {k} {'skill' if k == 1 else 'skills'}: {_listing(names, lang)}",
        )
    if val["availability"] > 0:
        hours = _hours(float(val["availability"]))
        say("availability", f"每周可投入 {hours} 小时" if zh else f"offers {hours} h a week")
    found.sort(key=lambda item: -item[0])  # stable: equal parts keep the order above
    return tuple(text for _, text in found if text)


def _led_names(ctx: _Context, i: int, lang: str) -> list[str]:
    """Names of the projects, groups and organisations resident ``i`` leads."""
    graph = ctx.graph
    rid = graph.index.ids("resident")[int(ctx.rows[i])]
    order = {"project": 0, "group": 1, "organization": 2}
    targets = [graph.get(link.target) for link in graph.links(rid, Relation.LEADS)]
    targets.sort(key=lambda record: order.get(record.kind, 3))  # projects first; stable
    return [_name(record, lang) for record in targets]


def _bridge_reason(ctx: _Context, i: int, val: Mapping[str, float], lang: str) -> str:
    graph = ctx.graph
    mine = _ids_in_row(ctx.contexts, i)
    pairs = [
        (a, b)
        for a, b in itertools.combinations(sorted(int(x) for x in mine), 2)
        if (a, b) in ctx.bridged
    ]
    if pairs:
        sizes = ctx.context_sizes

        def names(pair: tuple[int, int]) -> tuple[str, str]:
            a, b = (_context_label(graph, ctx.context_ids[x], lang) for x in pair)
            return a, b

        pairs.sort(key=lambda p: (-(sizes[p[0]] + sizes[p[1]]), names(p)))
        shown = [names(p) for p in pairs[:2]]
        if lang == "zh":
            joined = "，".join(f"{a}与{b}" for a, b in shown)
            return f"连接了{joined}（两边只有他/她同时在内）"
        joined = "; ".join(f"{a} to {b}" for a, b in shown)
        return f"connects {joined} (the only person in both)"
    d = int(val["degree"])
    c = 1.0 - float(val["brokerage"])
    if lang == "zh":
        return f"联系着 {d} 位彼此少有往来的居民（Burt 约束 {c:.2f}）"
    return f"bridges {d} contacts who are mostly not tied to each other (Burt's constraint {c:.2f})"


def _context_label(graph: CommunityGraph, entity_id: str, lang: str) -> str:
    record = graph.get(entity_id)
    name = _name(record, lang)
    if lang == "zh":
        return f"「{name}」"
    if isinstance(record, Group):
        return f"the {name} group"
    if isinstance(record, Organization):
        return name
    if isinstance(record, Project):
        return f"the {name} project"
    return name


# =========================================================================== key players


def _node_order(nodes: Iterable[Hashable]) -> list[Hashable]:
    items = list(nodes)
    try:
        return sorted(items)  # type: ignore[type-var]
    except TypeError:
        return sorted(items, key=lambda x: (type(x).__name__, str(x)))


def _key_network(
    graph: CommunityGraph | nx.Graph, community: str | None, ties: str
) -> tuple[list[Hashable], Any]:
    """Node labels sorted by ID and the binary symmetric adjacency in that order."""
    import scipy.sparse as sp

    if isinstance(graph, CommunityGraph):
        residents = _scope(graph, community)
        ids = sorted(r.id for r in residents)
        net = _network(graph, ids, ties)
        return list(ids), net.binary
    if isinstance(graph, nx.Graph):
        if community is not None:
            _fail(
                "community",
                "only a CommunityGraph has communities",
                "pass community=None with a networkx graph",
            )
        nodes = _node_order(graph.nodes)
        if not nodes:
            return [], sp.csr_array((0, 0))
        adj = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
        adj = ((adj + adj.T) > 0).astype(np.float64).tocsr()
        adj.setdiag(0)
        adj.eliminate_zeros()
        return nodes, adj
    _fail("graph", f"must be a CommunityGraph or a networkx graph, got {type(graph).__name__}")


class _Objective(abc.ABC):
    """Scores node sets (arrays of positions) for one objective."""

    maximise_removal = False

    @abc.abstractmethod
    def score(self, members: Sequence[int]) -> float:
        """The objective of the set ``members``."""

    def add_scores(self, members: Sequence[int], cands: IntArray) -> FloatArray:
        """Score of ``members + [v]`` for every ``v`` in ``cands`` (not in members)."""
        return np.array([self.score([*members, int(v)]) for v in cands])


class _Reach(_Objective):
    """m-reach: share of nodes within ``m`` steps of the set, members included."""

    def __init__(self, adj: Any, m: int, cands: IntArray) -> None:
        import scipy.sparse as sp

        n = adj.shape[0]
        self.n = n
        step = (adj + sp.eye_array(n, format="csr")).tocsr()
        step.data[:] = 1.0
        rows = step[cands]
        for _ in range(m - 1):
            rows = (rows @ step).tocsr()
            rows.data[:] = 1.0
            if rows.nnz > 50_000_000:
                msg = f"{m}-reach sets are too large to hold ({rows.nnz} pairs so far)"
                _fail("m", msg, "use a smaller m, or pass fewer candidates")
        self.rows = rows.tocsr()
        self.pos = {int(c): i for i, c in enumerate(cands)}

    def covered(self, members: Sequence[int]) -> FloatArray:
        cover = np.zeros(self.n)
        for v in members:
            r = self.pos[v]
            cover[self.rows.indices[self.rows.indptr[r] : self.rows.indptr[r + 1]]] += 1
        return cover

    def score(self, members: Sequence[int]) -> float:
        return float((self.covered(members) > 0).sum() / self.n) if self.n else 0.0

    def add_scores(self, members: Sequence[int], cands: IntArray) -> FloatArray:
        cover = self.covered(members) > 0
        gains = self.rows @ (~cover).astype(np.float64)
        sel = np.array([self.pos[int(c)] for c in cands], dtype=np.int64)
        return np.asarray((cover.sum() + gains[sel]) / self.n, dtype=np.float64)


class _DistanceReach(_Objective):
    """Distance-weighted reach: mean over nodes of 1/d(set, node), members at 1."""

    def __init__(self, adj: Any, cands: IntArray) -> None:
        n = adj.shape[0]
        self.n = n
        if len(cands) * n > 400_000_000:
            msg = (
                f"distance-weighted reach needs a {len(cands)} × {n} distance table, "
                "too large to hold"
            )
            _fail("candidates", msg, "pass fewer candidates (e.g. the top 1,000 by degree)")
        inv = np.zeros((len(cands), n), dtype=np.float32)
        for start in range(0, len(cands), 64):
            batch = cands[start : start + 64]
            b = len(batch)
            levels, _ = _bfs(adj, batch)
            block = np.zeros(n * b, dtype=np.float32)
            for depth, idx in enumerate(levels):
                block[idx] = 1.0 if depth == 0 else 1.0 / depth
            inv[start : start + b] = block.reshape(n, b).T
        self.inv = inv
        self.pos = {int(c): i for i, c in enumerate(cands)}

    def current(self, members: Sequence[int]) -> npt.NDArray[np.float32]:
        cur = np.zeros(self.n, dtype=np.float32)
        for v in members:
            np.maximum(cur, self.inv[self.pos[v]], out=cur)
        return cur

    def score(self, members: Sequence[int]) -> float:
        return float(self.current(members).astype(np.float64).sum() / self.n) if self.n else 0.0

    def add_scores(self, members: Sequence[int], cands: IntArray) -> FloatArray:
        cur = self.current(members)
        base = float(cur.astype(np.float64).sum())
        sel = np.array([self.pos[int(c)] for c in cands], dtype=np.int64)
        out = np.empty(len(sel))
        for start in range(0, len(sel), 256):
            rows = self.inv[sel[start : start + 256]]
            gain = np.maximum(rows - cur, 0.0).astype(np.float64).sum(axis=1)
            out[start : start + 256] = (base + gain) / self.n
        return out


def _pair_fraction(sizes: IntArray, n: int) -> float:
    if n < 2:
        return 1.0
    s = sizes.astype(np.float64)
    return float(1.0 - (s * (s - 1)).sum() / (n * (n - 1)))


class _Fragmentation(_Objective):
    """F on the graph with the set removed: share of node pairs that cannot reach
    each other."""

    maximise_removal = True

    def __init__(self, adj: Any) -> None:
        self.adj = adj.tocsr()
        self.n = adj.shape[0]
        self.indptr = self.adj.indptr.tolist()
        self.indices = self.adj.indices.tolist()

    def score(self, members: Sequence[int]) -> float:
        from scipy.sparse.csgraph import connected_components

        alive = np.ones(self.n, dtype=bool)
        alive[list(members)] = False
        keep = np.flatnonzero(alive)
        if len(keep) == 0:
            return 1.0
        sub = self.adj[keep][:, keep]
        _, labels = connected_components(sub, directed=False)
        return _pair_fraction(np.bincount(labels), len(keep))

    def add_scores(self, members: Sequence[int], cands: IntArray) -> FloatArray:
        """F after also removing each candidate, from one depth-first search that
        finds, for every node, the sizes of the pieces its removal leaves."""
        n = self.n
        alive = [True] * n
        for v in members:
            alive[v] = False
        indptr, indices = self.indptr, self.indices
        disc = [-1] * n
        low = [0] * n
        size = [1] * n
        sep_sq = [0] * n  # sum of p(p-1) over separated child subtrees
        sep_n = [0] * n  # nodes in separated child subtrees
        comp_of = [-1] * n
        comp_sizes: list[int] = []
        clock = 0
        for root in range(n):
            if not alive[root] or disc[root] >= 0:
                continue
            comp = len(comp_sizes)
            disc[root] = low[root] = clock
            clock += 1
            comp_of[root] = comp
            count = 1
            stack = [(root, -1, indptr[root])]
            while stack:
                v, parent, ptr = stack[-1]
                if ptr < indptr[v + 1]:
                    stack[-1] = (v, parent, ptr + 1)
                    u = indices[ptr]
                    if not alive[u] or u == parent:
                        continue
                    if disc[u] < 0:
                        disc[u] = low[u] = clock
                        clock += 1
                        comp_of[u] = comp
                        count += 1
                        stack.append((u, v, indptr[u]))
                    elif disc[u] < low[v]:
                        low[v] = disc[u]
                    continue
                stack.pop()
                if parent >= 0:
                    size[parent] += size[v]
                    low[parent] = min(low[parent], low[v])
                    if low[v] >= disc[parent]:
                        sep_sq[parent] += size[v] * (size[v] - 1)
                        sep_n[parent] += size[v]
            comp_sizes.append(count)
        sizes = np.array(comp_sizes, dtype=np.float64)
        total = float((sizes * (sizes - 1)).sum())
        remaining = n - len(set(members))
        n_after = remaining - 1
        out = np.empty(len(cands))
        for j, v in enumerate(cands.tolist()):
            s = comp_sizes[comp_of[v]]
            rest = s - 1 - sep_n[v]
            pairs = total - s * (s - 1) + sep_sq[v] + rest * (rest - 1)
            out[j] = 1.0 if n_after < 2 else 1.0 - pairs / (n_after * (n_after - 1))
        return out


class _DistanceFragmentation(_Objective):
    """dF on the graph with the set removed: 1 - mean over ordered pairs of 1/d."""

    maximise_removal = True

    def __init__(self, adj: Any, sources: IntArray | None) -> None:
        self.adj = adj.tocsr()
        self.n = adj.shape[0]
        self.sources = sources

    def score(self, members: Sequence[int]) -> float:
        n = self.n
        alive = np.ones(n, dtype=bool)
        alive[list(members)] = False
        remaining = int(alive.sum())
        if remaining < 2:
            return 1.0
        if self.sources is None:
            src = np.flatnonzero(alive)
        else:
            src = self.sources[alive[self.sources]]
            if len(src) == 0:
                return 1.0
        total = 0.0
        for batch in _batches(src.astype(np.int64)):
            levels, _ = _bfs(self.adj, batch, alive)
            for depth in range(1, len(levels)):
                total += len(levels[depth]) / depth
        if self.sources is None:
            return 1.0 - total / (remaining * (remaining - 1))
        return 1.0 - total / (len(src) * (remaining - 1))


def _objective(
    name: str, adj: Any, m: int, cands: IntArray, sources: IntArray | None
) -> _Objective:
    if name == "reach":
        return _Reach(adj, m, cands)
    if name == "distance_reach":
        return _DistanceReach(adj, cands)
    if name == "fragmentation":
        return _Fragmentation(adj)
    return _DistanceFragmentation(adj, sources)


def _best(values: FloatArray) -> int:
    """Position of the largest value; the first (smallest ID) among equals."""
    rounded = np.round(values, _TIE_DIGITS)
    return int(np.flatnonzero(rounded == rounded.max())[0])


def _greedy(
    obj: _Objective, cands: IntArray, k: int, restarts: int, generator: np.random.Generator
) -> tuple[list[int], float, int]:
    members: list[int] = []
    evaluations = 0
    for _ in range(k):
        free = cands[~np.isin(cands, members)]
        vals = obj.add_scores(members, free)
        evaluations += len(free)
        members.append(int(free[_best(vals)]))
    members, score, count = _swap(obj, cands, members)
    evaluations += count
    for _ in range(restarts):
        start = [int(x) for x in generator.choice(cands, size=k, replace=False)]
        other, other_score, count = _swap(obj, cands, start)
        evaluations += count
        if round(other_score, _TIE_DIGITS) > round(score, _TIE_DIGITS):
            members, score = other, other_score
    return members, score, evaluations


def _swap(obj: _Objective, cands: IntArray, members: list[int]) -> tuple[list[int], float, int]:
    """Best single exchanges of a member for a non-member, until none improves."""
    members = list(members)
    evaluations = 0
    score = obj.score(members)
    k = len(members)
    for _ in range(10 * k + 10):
        best_gain, best_swap = 0.0, None
        for slot in range(len(members)):
            rest = members[:slot] + members[slot + 1 :]
            free = cands[~np.isin(cands, members)]
            if len(free) == 0:
                break
            vals = obj.add_scores(rest, free)
            evaluations += len(free)
            j = _best(vals)
            gain = float(vals[j]) - score
            if round(gain, _TIE_DIGITS) > round(best_gain, _TIE_DIGITS):
                best_gain, best_swap = gain, (slot, int(free[j]))
        if best_swap is None:
            break
        members[best_swap[0]] = best_swap[1]
        score = obj.score(members)
    return members, score, evaluations


def _exhaustive(obj: _Objective, cands: IntArray, k: int) -> tuple[list[int], float, int]:
    total = math.comb(len(cands), k)
    if total > _EXHAUSTIVE_LIMIT:
        _fail(
            "method",
            f"exhaustive search would score {total:,} sets (limit {_EXHAUSTIVE_LIMIT:,})",
            "use method='greedy', a smaller k, or fewer candidates",
        )
    best_set: list[int] = []
    best_score = -math.inf
    ordered = np.sort(cands)
    if k == 1:
        vals = obj.add_scores([], ordered)
        j = _best(vals)
        return [int(ordered[j])], float(vals[j]), len(ordered)
    count = 0
    for head in itertools.combinations(ordered.tolist(), k - 1):
        tail = ordered[ordered > head[-1]]
        if len(tail) == 0:
            continue
        vals = obj.add_scores(list(head), tail)
        count += len(tail)
        j = _best(vals)
        if round(float(vals[j]), _TIE_DIGITS) > round(best_score, _TIE_DIGITS):
            best_score, best_set = float(vals[j]), [*head, int(tail[j])]
    return best_set, obj.score(best_set), count


_LABELS = {
    "reach": "m-reach",
    "distance_reach": "distance-weighted reach",
    "fragmentation": "fragmentation",
    "distance_fragmentation": "distance-weighted fragmentation",
}


def key_players(
    graph: CommunityGraph | nx.Graph,
    k: int,
    *,
    objective: str = "reach",
    m: int = 1,
    method: str = "greedy",
    candidates: Iterable[Hashable] | None = None,
    community: str | None = None,
    ties: str = "work",
    sources: int | None = None,
    restarts: int = 0,
    rng: _rng.RNGLike = None,
) -> KeyPlayers:
    """The set of ``k`` key players of a network, after Borgatti (2006).

    KPP-Pos objectives choose people to *spread* something (training, news) from;
    KPP-Neg objectives choose people whose *absence* would split the network most (who
    must be backed up or kept).

    Parameters
    ----------
    graph : CommunityGraph or networkx.Graph
        A community graph (its resident network, see ``ties``), or any networkx graph
        for researchers: directions, weights, self-loops and parallel edges are
        ignored; node labels must be hashable (ties are broken by sorted label, or by
        ``(type name, str(label))`` when labels do not sort).
    k : int
        Size of the set, 1 to the number of nodes.
    objective : {"reach", "distance_reach", "fragmentation", "distance_fragmentation"}
        What the set should do; definitions in Notes.
    m : int
        Steps for ``"reach"`` (m-reach); ignored by the other objectives.
    method : {"greedy", "exhaustive"}
        Greedy (best addition, then best swaps until none improves) or every set of
        ``k`` candidates (at most 200,000 sets).
    candidates : iterable, optional
        Nodes the set may contain (default: all). Scores still count every node.
    community : str, optional
        For a community graph: the place whose residents form the network.
    ties : {"work", "knows", "all"}
        For a community graph: the resident network, as in :func:`rank_talents`.
    sources : int, optional
        For ``"distance_fragmentation"``: estimate from this many sampled sources.
        Default: exact up to :data:`DISTANCE_EXACT_LIMIT` nodes, else 128 sources.
    restarts : int
        For greedy: also run the swap improvement from this many random sets and keep
        the best (Borgatti's own procedure starts from random sets).
    rng : None, int or numpy.random.Generator
        Seeds the sampled sources and the random starting sets.

    Returns
    -------
    KeyPlayers
        The set, its score, each member's contribution, and the score of the ``k``
        nodes of highest degree as a baseline.

    Raises
    ------
    ValidationError
        ``k``, ``m``, ``objective`` or ``method`` out of range, unknown candidates,
        exhaustive search too large.

    Notes
    -----
    Let :math:`G = (V, E)`, :math:`n = |V|`, :math:`S` the set, :math:`d(i, j)` the
    number of steps on a shortest path (:math:`\\infty` when none) and
    :math:`d(S, j) = \\min_{s \\in S} d(s, j)`. Members of the set count as reached,
    at distance 1 (so a score of 1 means every other node is reached / adjacent).

    * ``"reach"`` (KPP-Pos, m-reach):
      :math:`R_m(S) = |\\{j \\in V : j \\in S \\text{ or } d(S, j) \\le m\\}| / n`.
    * ``"distance_reach"`` (KPP-Pos):
      :math:`D_R(S) = \\frac{1}{n} \\sum_{j \\in V} 1 / \\max(1, d(S, j))`, with
      :math:`1/\\infty = 0`.
    * ``"fragmentation"`` (KPP-Neg) is computed on :math:`G - S` with
      :math:`n' = n - k` nodes and components of sizes :math:`s_c`:
      :math:`F(S) = 1 - \\sum_c s_c (s_c - 1) / (n'(n' - 1))`, the share of ordered
      pairs of remaining nodes that cannot reach each other (1 when
      :math:`n' < 2`).
    * ``"distance_fragmentation"`` (KPP-Neg), on :math:`G - S`:
      :math:`D_F(S) = 1 - \\sum_{i \\ne j} (1/d(i, j)) / (n'(n' - 1))`; with sampled
      sources :math:`Q`, the inner mean runs over :math:`i \\in Q` only.

    Greedy adds, at each step, the node that gives the best score (ties to the smallest
    ID), then repeatedly makes the single exchange of a member for a non-member that
    improves the score most, until none does (Borgatti's "swap" improvement). Its first
    pick is the best single node, and for these objectives adding a node never lowers
    the score, so greedy is never worse than the best single node. For m-reach the
    objective is a coverage function, so greedy alone reaches at least
    :math:`1 - 1/e` of the optimum (Nemhauser et al. 1978).

    Fragmentation uses one depth-first search per step: removing node v splits its
    component into the subtrees v separates (articulation points, Tarjan 1972) and the
    rest, so every candidate is scored at once. Distance-weighted objectives run
    breadth-first searches on the sparse adjacency, 64 sources at a time.

    References
    ----------
    .. [1] Borgatti, S. P. (2006). Identifying sets of key players in a social network.
       Computational and Mathematical Organization Theory, 12, 21-34.
    .. [2] Nemhauser, G. L., Wolsey, L. A., & Fisher, M. L. (1978). An analysis of
       approximations for maximizing submodular set functions. Mathematical
       Programming, 14, 265-294.

    Examples
    --------
    >>> import networkx as nx
    >>> kite = nx.krackhardt_kite_graph()
    >>> result = key_players(kite, 1, objective="fragmentation")
    >>> result.players, round(result.score, 4)
    ((7,), 0.3889)
    >>> key_players(kite, 2, objective="reach").players
    (3, 8)
    """
    size = _positive_int("k", k)
    objective = _choice("objective", objective, _OBJECTIVES)
    method = _choice("method", method, _METHODS)
    m = _positive_int("m", m)
    ties = _choice("ties", ties, _TIES)
    restarts = _positive_int("restarts", restarts, minimum=0)
    generator = _rng.as_generator(rng)
    nodes, adj = _key_network(graph, community, ties)
    n = len(nodes)
    if size > n:
        _fail("k", f"asks for {size} players but the network has {n} nodes", "use a smaller k")
    pos = {v: i for i, v in enumerate(nodes)}
    if candidates is None:
        cands = np.arange(n, dtype=np.int64)
    else:
        wanted = list(candidates)
        unknown = [c for c in wanted if c not in pos]
        if unknown:
            _fail(
                "candidates",
                f"not nodes of the network: {unknown[:5]!r}",
                "give node IDs of the network",
            )
        cands = np.unique(np.array([pos[c] for c in wanted], dtype=np.int64))
        if len(cands) < size:
            _fail(
                "candidates",
                f"{len(cands)} candidates cannot make a set of {size}",
                "give more candidates or a smaller k",
            )
    src: IntArray | None = None
    exact = True
    if objective == "distance_fragmentation":
        count = sources
        if count is None and n > DISTANCE_EXACT_LIMIT:
            count = _DEFAULT_SOURCES
        if count is not None:
            count = _positive_int("sources", count)
        if count is not None and count < n:
            src = np.sort(generator.choice(n, size=count, replace=False)).astype(np.int64)
            exact = False
    obj = _objective(objective, adj, m, cands, src)
    if method == "greedy":
        members, score, evaluations = _greedy(obj, cands, size, restarts, generator)
    else:
        members, score, evaluations = _exhaustive(obj, cands, size)
    degree = np.diff(adj.indptr)[cands] if n else np.zeros(0)
    top = cands[np.lexsort((cands, -degree))[:size]]
    baseline = [int(x) for x in top]
    base_score = obj.score(baseline)
    contributions = []
    for v in members:
        rest = [u for u in members if u != v]
        contributions.append(score - obj.score(rest))
    reasons = tuple(_key_reason(objective, m, c, score) for c in contributions)
    return KeyPlayers(
        players=tuple(nodes[v] for v in members),
        score=float(score),
        objective=objective,
        m=m,
        method=method,
        baseline=tuple(nodes[v] for v in baseline),
        baseline_score=float(base_score),
        contributions=tuple(float(c) for c in contributions),
        reasons=reasons,
        exact=exact,
        n=n,
        evaluations=evaluations,
    )


def _key_reason(objective: str, m: int, contribution: float, score: float) -> str:
    label = _LABELS[objective] if objective != "reach" else f"{m}-reach"
    if objective in ("reach", "distance_reach"):
        return (
            f"adds {contribution:.3f} to the set's {label} of {score:.3f}: "
            "people the others do not reach as closely"
        )
    return (
        f"adds {contribution:.3f} to the set's {label} of {score:.3f}: "
        "without them the network holds together better"
    )
