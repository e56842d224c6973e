"""The one graph → CSR adapter: residents as a scipy sparse adjacency.

Analyses that run on arrays (talent, diffusion, reach …) need the resident network as a
:class:`scipy.sparse.csr_array` whose rows follow a known order of residents. This module
builds it, once, from a :class:`~vchuang.graph.CommunityGraph`:

* :func:`resident_adjacency` — ``knows`` ties and/or co-participation, in an explicit
  node ``order`` (returned with the matrix), directed or not, weighted or 0/1;
* :func:`coparticipation` — the co-participation projection alone, the one definition
  that :meth:`~vchuang.graph.CommunityGraph.coparticipation` and
  :func:`~vchuang.talent.rank_talents` share.

Co-participation
----------------
Two residents *co-participate* in a **context** when both take part in it:

* the members of a group or an organisation,
* the leaders of a group or an organisation (a separate context: leading a group and
  being one of its members are two ways of meeting, and a leader who is not a member
  meets the other leaders, not the members),
* a project (leading, co-leading or volunteering in it),
* an activity (organising it; attending it too when ``attended=True``).

The weight of a pair is the number of contexts they share (a project or activity counts once
per pair, however many ways each takes part in it). A context with more than ``max_context_size``
people *in the order* makes no ties (a 300-person event does not make its attendees
acquainted); ``None`` sets no limit.

Examples
--------
>>> import vchuang
>>> from vchuang.csr import resident_adjacency
>>> g = vchuang.load_example()
>>> adj = resident_adjacency(g)
>>> adj.matrix.shape, adj.order[:2]
((9, 9), ('pn-r01', 'pn-r02'))
>>> w, order = resident_adjacency(g, ties="all", weight=None)
>>> bool((w != w.T).nnz == 0), float(w.max())
(True, 1.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .errors import Problem, ValidationError
from .model import Relation

if TYPE_CHECKING:
    import scipy.sparse

    from .graph import CommunityGraph

__all__ = ["TIES", "Adjacency", "coparticipation", "resident_adjacency"]

#: What a tie can be made of, for :func:`resident_adjacency`'s ``ties``:
#: ``"knows"`` — ``knows`` links only; ``"work"`` — ``knows`` links plus co-participation
#: without attending; ``"all"`` — ``knows`` plus co-participation with attending;
#: ``"coparticipation"`` — co-participation (with attending) without ``knows`` links.
TIES: tuple[str, ...] = ("knows", "work", "all", "coparticipation")


class Adjacency(NamedTuple):
    """A resident adjacency and its node order (unpack as ``matrix, order = ...``)."""

    #: ``n × n`` :class:`scipy.sparse.csr_array` (float64), rows are tails; no diagonal,
    #: no stored zeros, sorted indices.
    matrix: scipy.sparse.csr_array
    #: The resident IDs of rows and columns, in order.
    order: tuple[str, ...]


def _rows(
    graph: CommunityGraph, order: Sequence[str] | None, place: str | None
) -> tuple[tuple[str, ...], Any]:
    pos = graph.index.position("resident")
    if order is None:
        ids = (
            graph.index.ids("resident")
            if place is None
            else tuple(r.id for r in graph.residents(place))
        )
    else:
        if place is not None:
            msg = "pass either order= or place=, not both"
            raise ValidationError([Problem("order", msg, "order already names the residents")])
        ids = tuple(order)
        missing = [r for r in ids if r not in pos]
        if missing:
            msg = f"{len(missing)} IDs are not residents of the graph, e.g. {missing[0]!r}"
            raise ValidationError([Problem("order", msg, "list resident IDs only")])
        if len(set(ids)) != len(ids):
            raise ValidationError([Problem("order", "lists a resident twice")])
    if order is None and place is None:
        return ids, None  # every resident in the index's order: no re-indexing
    rows = np.fromiter((pos[r] for r in ids), dtype=np.int64, count=len(ids))
    return ids, rows


def _take(m: Any, rows: Any, *, columns: bool = False) -> Any:
    """``m[rows]`` (and ``[:, rows]`` with ``columns``); ``m`` itself when ``rows`` is None."""
    if rows is None:
        return m
    m = m[rows]
    return m[:, rows] if columns else m


def _clean(m: Any) -> scipy.sparse.csr_array:
    import scipy.sparse as sp

    out = sp.csr_array(m, dtype=np.float64)
    out.setdiag(0)
    out.eliminate_zeros()
    out.sum_duplicates()
    out.sort_indices()
    return out


def _contexts(graph: CommunityGraph, rows: Any, attended: bool) -> scipy.sparse.csr_array:
    """Residents (``rows``) × contexts, 1 where the resident takes part."""
    import scipy.sparse as sp

    index = graph.index
    blocks = [
        index.incidence(Relation.MEMBER_OF, "group"),
        index.incidence(Relation.MEMBER_OF, "organization"),
        index.incidence(Relation.LEADS, "group"),
        index.incidence(Relation.LEADS, "organization"),
        index.incidence(Relation.LEADS, "project")
        + index.incidence(Relation.CO_LEADS, "project")
        + index.incidence(Relation.VOLUNTEERS_IN, "project"),
    ]
    activity = index.incidence(Relation.ORGANISED, "activity")
    if attended:
        activity = activity + index.incidence(Relation.ATTENDED, "activity")
    blocks.append(activity)
    b = sp.csr_array(_take(sp.hstack(blocks, format="csr"), rows))
    b.sum_duplicates()
    b.data[:] = 1.0
    return b


def coparticipation(
    graph: CommunityGraph,
    order: Sequence[str] | None = None,
    *,
    place: str | None = None,
    attended: bool = True,
    max_context_size: int | None = None,
    weight: bool = True,
) -> Adjacency:
    """The co-participation projection as a sparse resident × resident matrix.

    Parameters
    ----------
    graph : CommunityGraph
    order : sequence of str, optional
        The residents of the rows and columns, in order; default every resident of
        ``place`` (or of the graph) in the graph's order.
    place : str, optional
        A community, subdistrict or district ID (only without ``order``).
    attended : bool, default True
        Whether attending an activity (not only organising it) makes it a shared context.
    max_context_size : int, optional
        Contexts with more people than this (counted among ``order``) make no ties.
    weight : bool, default True
        Entries count the shared contexts; ``False`` gives 1 for every tie.

    Returns
    -------
    Adjacency
        A symmetric matrix and its order.

    See Also
    --------
    resident_adjacency : ``knows`` ties and co-participation together.
    vchuang.graph.CommunityGraph.coparticipation : the same, as a networkx graph.

    Notes
    -----
    With :math:`B` the 0/1 residents × contexts matrix (contexts of at most
    ``max_context_size`` people), the projection is :math:`B B^T` without its diagonal.
    The contexts are listed in the module docstring of :mod:`vchuang.csr`.
    """
    import scipy.sparse as sp

    ids, rows = _rows(graph, order, place)
    n = len(ids)
    if n == 0:
        return Adjacency(sp.csr_array((0, 0), dtype=np.float64), ids)
    b = _contexts(graph, rows, attended)
    sizes = np.asarray(b.sum(axis=0)).ravel()
    limit = np.inf if max_context_size is None else max_context_size
    b = b[:, np.flatnonzero((sizes >= 2) & (sizes <= limit))]
    shared = _clean(b @ b.T)
    if not weight:
        shared.data[:] = 1.0
    return Adjacency(shared, ids)


def resident_adjacency(
    graph: CommunityGraph,
    order: Sequence[str] | None = None,
    *,
    place: str | None = None,
    ties: str = "knows",
    directed: bool = False,
    weight: str | None = "weight",
    max_context_size: int | None = None,
) -> Adjacency:
    """Residents as a sparse adjacency (CSR), in an explicit node order.

    Parameters
    ----------
    graph : CommunityGraph
    order : sequence of str, optional
        The resident IDs of the rows and columns, in order; default every resident of
        ``place`` (or of the graph) in the graph's insertion order (the order of
        ``graph.index.ids("resident")``).
    place : str, optional
        A community, subdistrict or district ID (only without ``order``).
    ties : {"knows", "work", "all", "coparticipation"}, default "knows"
        What makes a tie, see :data:`TIES`.
    directed : bool, default False
        ``False``: a ``knows`` link gives arcs both ways (the matrix is symmetric).
        ``True``: only the arc ``source -> target`` of each link, as it was added
        (co-participation is always both ways).
    weight : str or None, default "weight"
        The ``knows`` link attribute that weighs a tie (``"weight"``), plus the count of
        shared contexts; ``None`` gives 1 for every tie.
    max_context_size : int, optional
        Passed to :func:`coparticipation`.

    Returns
    -------
    Adjacency
        ``(matrix, order)``: float64 CSR, rows are tails, no self-loops and no zeros.
        Links whose ends are both in ``order`` count; parallel links add up.

    Raises
    ------
    ValidationError
        For an unknown ``ties``, an ID in ``order`` that is not a resident, or
        ``order`` together with ``place``.

    See Also
    --------
    coparticipation : the co-participation part alone.

    Examples
    --------
    >>> import vchuang
    >>> g = vchuang.load_example()
    >>> w, order = resident_adjacency(g, ["pn-r02", "pn-r01"])
    >>> order, float(w[0, 1])
    (('pn-r02', 'pn-r01'), 3.0)
    """
    import scipy.sparse as sp

    from .kernel.checks import check_choice

    check_choice(ties, TIES, "ties")
    ids, rows = _rows(graph, order, place)
    n = len(ids)
    if n == 0:
        return Adjacency(sp.csr_array((0, 0), dtype=np.float64), ids)
    index = graph.index
    total: Any = sp.csr_array((n, n), dtype=np.float64)
    if ties != "coparticipation":
        if not directed and weight == "weight":
            knows = index.knows
        else:
            pos = index.position("resident")
            r: list[int] = []
            c: list[int] = []
            v: list[float] = []
            for u, t, _, link in graph.edges(Relation.KNOWS):
                value = 1.0
                if weight is not None:
                    got = getattr(link, weight, None) if link is not None else None
                    value = float(got) if got is not None else 0.0
                pairs = [(u, t)] if directed else [(u, t), (t, u)]
                for a, b in pairs:
                    r.append(pos[a])
                    c.append(pos[b])
                    v.append(value)
            m = len(pos)
            knows = sp.csr_array((np.asarray(v, dtype=np.float64), (r, c)), shape=(m, m))
        total = sp.csr_array(_take(knows, rows, columns=True), dtype=np.float64)
    if ties != "knows":
        shared = coparticipation(
            graph,
            None if rows is None else ids,  # None: all residents, no re-indexing
            attended=ties != "work",
            max_context_size=max_context_size,
        ).matrix
        total = total + shared
    out = _clean(total)
    if weight is None:
        out.data[:] = 1.0
    return Adjacency(out, ids)
