"""The resident network talent runs on (``knows`` ties and co-participation)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from ..csr import resident_adjacency
from ..graph import CommunityGraph
from ..model import Resident
from ._common import MAX_CONTEXT_SIZE, IntArray, _fail


@attrs.frozen(kw_only=True)
class _Network:
    """The resident network of a scope: weighted adjacency over ``rows`` (positions in
    ``graph.index``), and the context memberships used for reasons."""

    ids: tuple[str, ...]
    rows: IntArray
    weighted: Any  # csr_array, symmetric, no diagonal
    binary: Any  # csr_array of 0/1


def _network(graph: CommunityGraph, ids: Sequence[str], ties: str) -> _Network:
    """``knows`` ties plus co-participation (:func:`vchuang.csr.resident_adjacency`),
    contexts of more than :data:`MAX_CONTEXT_SIZE` people making no ties."""
    weighted, order = resident_adjacency(graph, ids, ties=ties, max_context_size=MAX_CONTEXT_SIZE)
    pos = graph.index.position("resident")
    rows = np.fromiter((pos[r] for r in order), dtype=np.int64, count=len(order))
    binary = weighted.copy()
    binary.data[:] = 1.0
    return _Network(ids=order, rows=rows, weighted=weighted, binary=binary)


def _scope(graph: CommunityGraph, place: str | None) -> list[Resident]:
    if place is None:
        return graph.residents()
    if not isinstance(place, str):
        _fail("place", f"must be a place ID or None, got {place!r}")
    kind = graph.kind_of(place)  # raises UnknownEntityError
    if kind not in ("community", "subdistrict", "district"):
        _fail(
            "place",
            f"{place!r} is a {kind}, not a community, subdistrict or district",
            "pass the ID of a place, or None for every resident",
        )
    return graph.residents(place)
