"""Krackhardt and Stern's E-I index of groups and of the whole network (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ._measures import ei
from ._network import network, one_hot
from ._results import EIIndex, GroupMixing

if TYPE_CHECKING:
    from ..graph import CommunityGraph

__all__ = ["ei_index"]


def _expected(external_pairs: float, internal_pairs: float) -> float:
    return ei(external_pairs, internal_pairs)


def ei_index(
    graph: CommunityGraph | Any,
    by: str | Mapping[str, str] = "community",
    *,
    ties: str = "knows",
    place: str | None = None,
) -> EIIndex:
    """Krackhardt and Stern's E-I index of every group and of the whole network.

    Bonding (internal) ties join two residents of one group; bridging (external) ties
    join two groups. The index runs from -1 (every tie inside a group) to +1 (every
    tie across).

    Parameters
    ----------
    graph : CommunityGraph or networkx.Graph
    by : {"community", "segment", "role"} or mapping, default "community"
        The partition, as in :func:`ego_networks`.
    ties : {"knows", "work", "all", "coparticipation"}, default "knows"
        The resident network (undirected, each tie once).
    place : str, optional
        Only the residents of this place.

    Returns
    -------
    EIIndex
        Each group's internal and external ties, E-I and expected E-I, and the same for
        the whole network.

    Raises
    ------
    ValidationError
        For an unknown ``by`` or ``ties``.

    See Also
    --------
    ego_networks : the E-I index of each resident's own ties.
    ei : the index of two counts.

    Notes
    -----
    Each tie counts once [1]_. For the whole network, :math:`I` is the number of ties
    inside groups and :math:`E` the number across them, and
    :math:`EI = (E - I)/(E + I)`. For group :math:`g`, :math:`I_g` counts the ties with
    both ends in :math:`g` and :math:`E_g` those with one end in :math:`g` (so a tie
    between two groups counts for both). Ties of residents without a group are left out.

    The **expected** value is the index of the complete graph on the grouped residents,
    i.e. the expectation when ties fall at random given the group sizes: with
    :math:`N` grouped residents and :math:`n_g` in group :math:`g`,
    :math:`I^* = \\sum_g \\binom{n_g}{2}` and :math:`E^* = \\binom{N}{2} - I^*` for the
    network, :math:`I_g^* = \\binom{n_g}{2}` and :math:`E_g^* = n_g (N - n_g)` for a
    group, and the expected index is :math:`(E^* - I^*)/(E^* + I^*)`. An observed index
    below it means more bonding than chance alone gives.

    References
    ----------
    .. [1] Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational
       crises: An experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140.

    Examples
    --------
    Zachary's karate club split into two clubs; most friendships stayed inside a club:

    >>> import networkx as nx
    >>> from vchuang.capital import ei_index
    >>> result = ei_index(nx.karate_club_graph(), "club")
    >>> result.internal, result.external, round(result.ei, 3)
    (67, 11, -0.718)
    """
    net = network(graph, by, ties=ties, place=place, directed=False)
    k = len(net.categories)
    h = one_hot(net.codes, k)
    mixing = np.asarray((h.T @ net.matrix @ h).toarray()) if k else np.zeros((0, 0))
    inside = np.diag(mixing) / 2
    across = mixing.sum(axis=1) - np.diag(mixing)
    members = np.bincount(net.codes[net.codes >= 0], minlength=k).astype(np.float64)
    n = float(members.sum())
    groups = tuple(
        GroupMixing(
            group=g,
            members=int(members[j]),
            internal=round(inside[j]),
            external=round(across[j]),
            ei=float(ei(across[j], inside[j])),
            expected=float(
                _expected(members[j] * (n - members[j]), members[j] * (members[j] - 1) / 2)
            ),
        )
        for j, g in enumerate(net.categories)
    )
    internal = float(inside.sum())
    external = float(across.sum() / 2)
    pairs_in = float((members * (members - 1) / 2).sum())
    return EIIndex(
        by=net.by,
        ties=ties,
        groups=groups,
        residents=len(net.order),
        ungrouped=int((net.codes < 0).sum()),
        internal=round(internal),
        external=round(external),
        ei=ei(external, internal),
        expected=_expected(n * (n - 1) / 2 - pairs_in, pairs_in),
    )
