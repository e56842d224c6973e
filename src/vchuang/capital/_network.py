"""The network and the partition the capital measures run on (private).

:func:`network` turns a :class:`~vchuang.graph.CommunityGraph` (through the one graph →
CSR adapter :func:`vchuang.csr.resident_adjacency`) or a networkx graph into a 0/1
sparse adjacency, and ``by`` into one group code per resident (``-1``: no group).
:func:`masked_rowsum` is the one sparse kernel the measures share.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..errors import Problem, ValidationError
from ..model import Role

if TYPE_CHECKING:
    import scipy.sparse

    from ..graph import CommunityGraph

__all__ = ["GROUPINGS", "ROLE_ORDER", "Network", "masked_rowsum", "network", "one_hot"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The resident attributes ``by`` can name (a mapping from resident ID to group works too).
GROUPINGS: tuple[str, ...] = ("community", "segment", "role")

#: With ``by="role"`` a resident who holds several roles is put in the first of these.
ROLE_ORDER: tuple[Role, ...] = (
    Role.LEADER,
    Role.TALENT,
    Role.VOLUNTEER,
    Role.SOCIAL_WORKER,
    Role.STAFF,
)

#: Rows of a sparse product computed at once in :func:`masked_rowsum` (bounds memory).
CHUNK = 4096


class Network(NamedTuple):
    """A 0/1 adjacency, its node order and the group of each node."""

    matrix: scipy.sparse.csr_array
    """``n × n``, float64 0/1, no diagonal; symmetric unless directed."""
    order: tuple[str, ...]
    codes: IntArray
    """Each node's group as an index into ``categories``; -1 for no group."""
    categories: tuple[str, ...]
    """The groups, sorted."""
    by: str


def _label_of(by: str) -> Callable[[Any], str | None]:
    if by == "community":
        return lambda r: str(r.community)
    if by == "segment":
        return lambda r: r.segments[0] if r.segments else None

    def role(r: Any) -> str | None:
        for candidate in ROLE_ORDER:
            if candidate in r.roles:
                return str(candidate.value)
        return None

    return role


def _codes(labels: Sequence[str | None]) -> tuple[IntArray, tuple[str, ...]]:
    categories = tuple(sorted({x for x in labels if x is not None}))
    index = {c: i for i, c in enumerate(categories)}
    codes = np.fromiter(
        (-1 if x is None else index[x] for x in labels), dtype=np.int64, count=len(labels)
    )
    return codes, categories


def _by_name(by: object) -> str:
    return by if isinstance(by, str) else "group"


def _from_networkx(graph: Any, by: object, directed: bool) -> Network:
    import networkx as nx
    import scipy.sparse as sp

    nodes = list(graph.nodes)
    order = tuple(str(v) for v in nodes)
    if len(set(order)) != len(order):
        raise ValidationError([Problem("graph", "two nodes have the same name as text")])
    m = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    m = sp.csr_array(m, dtype=np.float64)
    if not (directed and graph.is_directed()):
        m = m + m.T
    m.setdiag(0)
    m.eliminate_zeros()
    m.data[:] = 1.0
    m.sort_indices()
    labels: list[str | None]
    if isinstance(by, Mapping):
        labels = [None if by.get(v) is None else str(by[v]) for v in nodes]
    elif isinstance(by, str):
        labels = [
            None if graph.nodes[v].get(by) is None else str(graph.nodes[v][by]) for v in nodes
        ]
    else:
        msg = "must be a node attribute name or a mapping from node to group"
        raise ValidationError([Problem("by", msg)])
    codes, categories = _codes(labels)
    return Network(m, order, codes, categories, _by_name(by))


def network(
    graph: CommunityGraph | Any,
    by: str | Mapping[str, str],
    *,
    ties: str,
    place: str | None,
    directed: bool,
) -> Network:
    """The 0/1 network and the partition ``by`` of its nodes."""
    from ..csr import resident_adjacency
    from ..graph import CommunityGraph

    if not isinstance(graph, CommunityGraph):
        if place is not None:
            msg = "place= applies to a CommunityGraph only"
            raise ValidationError([Problem("place", msg, "pass a subgraph instead")])
        if not hasattr(graph, "is_directed"):
            msg = f"must be a CommunityGraph or a networkx graph, got {type(graph).__name__}"
            raise ValidationError([Problem("graph", msg)])
        return _from_networkx(graph, by, directed)
    matrix, order = resident_adjacency(
        graph, place=place, ties=ties, directed=directed, weight=None
    )
    if isinstance(by, Mapping):
        labels: list[str | None] = [None if by.get(r) is None else str(by[r]) for r in order]
    else:
        from ..kernel.checks import check_choice

        check_choice(by, GROUPINGS, "by", hint="or pass a mapping from resident ID to group")
        label = _label_of(by)
        labels = [label(graph.get(r)) for r in order]
    codes, categories = _codes(labels)
    return Network(matrix, order, codes, categories, _by_name(by))


def one_hot(codes: IntArray, k: int) -> scipy.sparse.csr_array:
    """``n × k`` 0/1 matrix, row i has a 1 in column ``codes[i]`` (none when -1)."""
    import scipy.sparse as sp

    n = len(codes)
    keep = codes >= 0
    rows = np.flatnonzero(keep)
    return sp.csr_array((np.ones(len(rows)), (rows, codes[keep])), shape=(n, k), dtype=np.float64)


def masked_rowsum(
    left: scipy.sparse.csr_array, right: scipy.sparse.csr_array, mask: scipy.sparse.csr_array
) -> FloatArray:
    """Row sums of ``(left @ right) ∘ mask``, a block of rows at a time.

    The full product can be much larger than the mask (all two-step paths); computing it
    ``CHUNK`` rows at a time keeps memory near the size of the inputs.
    """
    n = left.shape[0]
    out = np.zeros(n, dtype=np.float64)
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        block = (left[start:stop] @ right).multiply(mask[start:stop])
        out[start:stop] = np.asarray(block.sum(axis=1)).ravel()
    return out
