"""Gould and Fernandez's brokerage roles (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ._network import FloatArray, IntArray, masked_rowsum, network, one_hot
from ._results import ROLES, Brokerage

if TYPE_CHECKING:
    import scipy.sparse

    from ..graph import CommunityGraph

__all__ = ["brokerage"]


def _rowsum(m: Any) -> FloatArray:
    return np.asarray(m.sum(axis=1)).ravel().astype(np.float64)


def _counts(a: scipy.sparse.csr_array, codes: IntArray, k: int) -> IntArray:
    """``n × 5`` counts of open two-paths a → b → c (no arc a → c) by broker b and role."""
    import scipy.sparse as sp

    n = a.shape[0]
    rows, cols = a.nonzero()
    same_arc = codes[rows] == codes[cols]
    s = sp.csr_array((np.ones(int(same_arc.sum())), (rows[same_arc], cols[same_arc])), (n, n))
    d = sp.csr_array((np.ones(int((~same_arc).sum())), (rows[~same_arc], cols[~same_arc])), (n, n))
    at = sp.csr_array(a.T)
    h = one_hot(codes, k)
    mutual = a.multiply(at).tocsr()

    in_tot, out_tot, mut_tot = _rowsum(at), _rowsum(a), _rowsum(mutual)
    in_same, out_same = _rowsum(sp.csr_array(s.T)), _rowsum(s)
    mut_same = _rowsum(mutual.multiply(s))
    matched = _rowsum((at @ h).multiply(a @ h))  # sum over groups x of in_x * out_x

    # Every two-path a -> b -> c with a != c, by role.
    coordinator = in_same * out_same - mut_same
    representative = in_same * (out_tot - out_same)
    gatekeeper = (in_tot - in_same) * out_same
    itinerant = (matched - in_same * out_same) - (mut_tot - mut_same)
    liaison = (in_tot - in_same) * (out_tot - out_same) - (mut_tot - mut_same) - itinerant

    # The closed ones (a -> c present): rows b of (X^T @ Z) ∘ Y, X the arc a -> b,
    # Z the arc a -> c, Y the arc b -> c, each split into same-group (s) and other (d).
    st, dt = sp.csr_array(s.T), sp.csr_array(d.T)
    coordinator -= masked_rowsum(st, a, s)
    representative -= masked_rowsum(st, a, d)
    gatekeeper -= masked_rowsum(dt, a, s)
    closed_itinerant = masked_rowsum(dt, s, d)
    itinerant -= closed_itinerant
    liaison -= masked_rowsum(dt, a, d) - closed_itinerant
    out = np.column_stack([coordinator, itinerant, representative, gatekeeper, liaison])
    return np.rint(out).astype(np.int64)


def _moments(codes: IntArray, sizes: FloatArray, density: float) -> tuple[FloatArray, FloatArray]:
    """Expected counts and standard deviations of each role, for each node's group."""
    n = float(sizes.sum())
    p = density**2 * (1 - density)
    q = density**3 * (1 - density) ** 3
    exp = np.zeros((len(sizes), len(ROLES)))
    var = np.zeros((len(sizes), len(ROLES)))
    for g, m in enumerate(sizes):
        others = np.delete(sizes, g)
        rest = n - m - others  # the third groups' size, for each other group
        pairs = (
            (m - 1) * (m - 2),  # coordinator
            float((others * (others - 1)).sum()),  # itinerant
            (m - 1) * (n - m),  # representative
            (m - 1) * (n - m),  # gatekeeper
            float((others * rest).sum()),  # liaison
        )
        shared = (
            2 * (m - 1) * (m - 2) * (m - 3),
            2 * float((others * (others - 1) * (others - 2)).sum()),
            (m - 1) * (n - m) * (n - m - 1) + (n - m) * (m - 1) * (m - 2),
            (m - 1) * (n - m) * (n - m - 1) + (n - m) * (m - 1) * (m - 2),
            2 * float((others * rest * (rest - 1)).sum()),
        )
        exp[g] = np.asarray(pairs) * p
        var[g] = exp[g] * (1 - p) + np.asarray(shared) * q
    return exp[codes], np.sqrt(np.maximum(var[codes], 0.0))


def brokerage(
    graph: CommunityGraph | Any,
    by: str | Mapping[str, str] = "community",
    *,
    ties: str = "knows",
    directed: bool = False,
    place: str | None = None,
) -> Brokerage:
    """Gould and Fernandez's brokerage roles of every resident over a partition.

    A resident *b* brokers when *a* → *b* → *c* and there is no tie *a* → *c*: *a* needs
    *b* to reach *c*. The groups of the three give the role:

    ============== ===================== =========================================
    role           groups                in a community
    ============== ===================== =========================================
    coordinator    a, b, c in one group  links neighbours in their own community
    itinerant      a = c, b elsewhere    an outsider who links two of a community
    representative a = b, c elsewhere    carries their community's word out
    gatekeeper     b = c, a elsewhere    lets outside word into their community
    liaison        all three differ      links two communities, belonging to neither
    ============== ===================== =========================================

    Parameters
    ----------
    graph : CommunityGraph or networkx.Graph
        The community; a networkx graph (directed or not) works too.
    by : {"community", "segment", "role"} or mapping, default "community"
        The partition, as in :func:`ego_networks`. Residents without a group are left
        out of the network (``ungrouped`` counts them).
    ties : {"knows", "work", "all", "coparticipation"}, default "knows"
        The resident network, as in :func:`vchuang.csr.resident_adjacency`.
    directed : bool, default False
        ``True``: each ``knows`` link is one arc, source → target (for a networkx
        DiGraph, its arcs). ``False``: every tie is two arcs, one each way, so
        representative and gatekeeper counts are equal.
    place : str, optional
        Only the residents of this place.

    Returns
    -------
    Brokerage
        Raw counts per resident and role, their expectations, standard deviations,
        z-scores and observed/expected ratios.

    Raises
    ------
    ValidationError
        For an unknown ``by`` or ``ties``.

    See Also
    --------
    ego_networks : bonding and bridging ties of every resident.
    ei_index : bonding and bridging of every group.

    Notes
    -----
    **Counts** [1]_ are taken over ordered triples of distinct nodes with arcs
    :math:`a \\to b`, :math:`b \\to c` and no arc :math:`a \\to c`, as R's
    ``sna::brokerage`` does [2]_ (column names ``w_I``, ``w_O``, ``b_IO``, ``b_OI``,
    ``b_O``, see :data:`SNA_NAMES`). They are computed without listing the triples:
    all two-paths by role from each broker's in- and out-ties per group, minus the
    closed ones from sparse products of the same-group and cross-group arcs.

    **Normalised forms.** Under a random graph with the observed density
    :math:`d = m / (N(N-1))` (:math:`m` arcs, :math:`N` nodes) and the observed group
    sizes, each ordered pair of end points :math:`(a, c)` makes an open two-path through
    :math:`b` with probability :math:`p = d^2 (1 - d)`. For a broker in group :math:`g`
    (size :math:`n_g`, the other groups :math:`n_k`), the number of end-point pairs of
    each role is

    * coordinator: :math:`(n_g - 1)(n_g - 2)`
    * itinerant: :math:`\\sum_{k \\ne g} n_k (n_k - 1)`
    * representative, gatekeeper: :math:`(n_g - 1)(N - n_g)`
    * liaison: :math:`\\sum_{k \\ne g} n_k (N - n_g - n_k)`

    and the expected count is that number times :math:`p`. The variance adds to
    :math:`E (1 - p)` the covariance :math:`d^3 (1 - d)^3` of every ordered pair of
    end-point pairs that share an end (same *a* or same *c*), e.g.
    :math:`2 (n_g - 1)(n_g - 2)(n_g - 3)` pairs for the coordinator. The z-score is
    :math:`(x - E)/\\sqrt{V}` and the ratio :math:`x / E`. These are the moments of R's
    ``sna::brokerage``; they could not be checked here against the printed paper.

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A formal
       approach to brokerage in transaction networks. *Sociological Methodology*, 19,
       89-126.
    .. [2] Butts, C. T. (2008). Social network analysis with sna. *Journal of
       Statistical Software*, 24(6). https://doi.org/10.18637/jss.v024.i06

    Examples
    --------
    Two communities, A and B; ``b`` passes word from ``a`` (its own) to ``c`` (the
    other), and ``c`` passes it on to ``d``:

    >>> import networkx as nx
    >>> from vchuang.capital import brokerage
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> nx.set_node_attributes(g, {"a": "A", "b": "A", "c": "B", "d": "B"}, "side")
    >>> result = brokerage(g, "side", directed=True)
    >>> result["b"].counts["representative"], result["c"].counts["gatekeeper"]
    (1, 1)
    """
    import scipy.sparse as sp

    net = network(graph, by, ties=ties, place=place, directed=directed)
    keep = np.flatnonzero(net.codes >= 0)
    a = sp.csr_array(net.matrix[keep][:, keep])
    codes = net.codes[keep]
    order = tuple(net.order[i] for i in keep)
    k = len(net.categories)
    n = len(order)
    sizes = np.bincount(codes, minlength=k).astype(np.float64)
    density = float(a.nnz) / (n * (n - 1)) if n > 1 else 0.0
    expected, sd = _moments(codes, sizes, density)
    return Brokerage(
        by=net.by,
        ties=ties,
        directed=directed,
        residents=order,
        groups=net.categories,
        codes=codes,
        counts=_counts(a, codes, k) if n else np.zeros((0, len(ROLES)), dtype=np.int64),
        expected=expected,
        sd=sd,
        density=density,
        ungrouped=len(net.order) - n,
    )
