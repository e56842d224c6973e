"""Key players (Borgatti 2006): :func:`key_players`."""

from __future__ import annotations

import abc
import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt

from .. import _rng
from ..graph import CommunityGraph
from ..kernel.checks import check_choice, check_whole
from ._centrality import _batches, _bfs
from ._common import (
    _DEFAULT_SOURCES,
    _EXHAUSTIVE_LIMIT,
    _METHODS,
    _OBJECTIVES,
    _TIE_DIGITS,
    _TIES,
    DISTANCE_EXACT_LIMIT,
    FloatArray,
    IntArray,
    _fail,
)
from ._network import _network, _scope
from ._results import KeyPlayers, _place_alias


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
    if not isinstance(graph, nx.Graph):
        _fail("graph", f"must be a CommunityGraph or a networkx graph, got {type(graph).__name__}")
    if community is not None:
        _fail("place", "only a CommunityGraph has places", "pass place=None with a networkx graph")
    nodes = _node_order(graph.nodes)
    if not nodes:
        return [], sp.csr_array((0, 0))
    adj = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    adj = ((adj + adj.T) > 0).astype(np.float64).tocsr()
    adj.setdiag(0)
    adj.eliminate_zeros()
    return nodes, adj


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
    place: str | None = None,
    ties: str = "work",
    sources: int | None = None,
    restarts: int = 0,
    rng: _rng.RNGLike = None,
    community: str | None = None,
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
    place : str, optional
        For a community graph: the place (community, subdistrict or district ID) whose
        residents form the network. ``community=`` is its deprecated old name.
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

    See Also
    --------
    rank_talents : every resident scored one by one, with the reasons.
    vchuang.reach.best_next : which leaders or projects to add for the most new reach.
    vchuang.diffusion.choose_seeds : seeds for word of mouth rather than for reach.
    vchuang.talent.KeyPlayers.plot : each key player's contribution.

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
       https://doi.org/10.1007/s10588-006-7084-x
    .. [2] Nemhauser, G. L., Wolsey, L. A., & Fisher, M. L. (1978). An analysis of
       approximations for maximizing submodular set functions. Mathematical
       Programming, 14, 265-294. https://doi.org/10.1007/BF01588971

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
    place = _place_alias(place, community, "key_players")
    size = check_whole(k, "k", minimum=1)
    objective = check_choice(objective, _OBJECTIVES, "objective")
    method = check_choice(method, _METHODS, "method")
    m = check_whole(m, "m", minimum=1)
    ties = check_choice(ties, _TIES, "ties")
    restarts = check_whole(restarts, "restarts", minimum=0)
    generator = _rng.as_generator(rng)
    nodes, adj = _key_network(graph, place, ties)
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
            count = check_whole(count, "sources", minimum=1)
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
