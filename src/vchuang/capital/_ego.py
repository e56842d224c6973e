"""Ego networks: size, density, composition, bonding and bridging ties (private)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ._network import masked_rowsum, network, one_hot
from ._results import EgoNetworks

if TYPE_CHECKING:
    from ..graph import CommunityGraph

__all__ = ["ego_networks"]


def ego_networks(
    graph: CommunityGraph | Any,
    by: str | Mapping[str, str] = "community",
    *,
    ties: str = "knows",
    place: str | None = None,
) -> EgoNetworks:
    """Every resident's ego network: size, density, group mix, bonding and bridging ties.

    Parameters
    ----------
    graph : CommunityGraph or networkx.Graph
        The community; a networkx graph (its edges as ties, directions ignored, node
        names turned into text) works too.
    by : {"community", "segment", "role"} or mapping, default "community"
        The partition: a resident attribute, or a mapping from resident ID to group
        (for a networkx graph: a node attribute name or a mapping). With ``"segment"``
        a resident is in the first segment their record lists; with ``"role"`` in the
        first of leader, talent, volunteer, social worker, staff that they hold.
        Residents without one have no group.
    ties : {"knows", "work", "all", "coparticipation"}, default "knows"
        The resident network, as in :func:`vchuang.csr.resident_adjacency` (undirected,
        every tie counted once whatever its weight).
    place : str, optional
        Only the residents of this community, subdistrict or district.

    Returns
    -------
    EgoNetworks
        Per resident: size, ties among the alters, density, bonding (alters in the
        ego's group), bridging (alters in another group), E-I, Blau and the composition.

    Raises
    ------
    ValidationError
        For an unknown ``by`` or ``ties``, or ``place`` with a networkx graph.

    See Also
    --------
    ei_index : the E-I index of every group and of the whole network.
    brokerage : Gould–Fernandez brokerage roles over the same partition.
    blau, ei : the two indices for counts at hand.

    Notes
    -----
    With :math:`A` the 0/1 symmetric adjacency, ego :math:`i`'s size is
    :math:`k_i = \\sum_j A_{ij}` and the ties among its alters are
    :math:`t_i = (A^2 \\circ A)\\mathbf{1} / 2`. **Density leaves the ego out**, as in
    ego-network studies (Burt's and egor's ``ego_density``): :math:`t_i / \\binom{k_i}{2}`,
    equal to ``networkx.density(G.subgraph(G[i]))``.
    :attr:`~EgoNetworks.density_with_ego`, :math:`(t_i + k_i)/\\binom{k_i + 1}{2}`, equals
    ``networkx.density(networkx.ego_graph(G, i))``.

    Alters without a group count in size and density but not in the group measures
    (like missing values in egor): with :math:`c_{ik}` the alters of :math:`i` in group
    :math:`k`, bonding :math:`I_i = c_{i,g(i)}`, bridging
    :math:`E_i = \\sum_{k \\ne g(i)} c_{ik}`, E-I :math:`(E_i - I_i)/(E_i + I_i)` [1]_
    and Blau :math:`1 - \\sum_k (c_{ik} / \\sum_l c_{il})^2` [2]_. The work is sparse
    matrix products, a block of rows at a time.

    References
    ----------
    .. [1] Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational
       crises: An experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140.
    .. [2] Blau, P. M. (1977). *Inequality and Heterogeneity: A Primitive Theory of Social
       Structure*. New York: Free Press.

    Examples
    --------
    In the example community everyone lives in Pingnan, so by segment:

    >>> import vchuang
    >>> from vchuang.capital import ego_networks
    >>> egos = ego_networks(vchuang.load_example(), "segment")
    >>> ego = egos["pn-r01"]
    >>> ego.size, ego.bonding, ego.bridging, ego.composition
    (3, 1, 0, {'pingnan-dog-owners': 1})
    """
    net = network(graph, by, ties=ties, place=place, directed=False)
    a = net.matrix
    k = len(net.categories)
    size = np.asarray(a.sum(axis=1)).ravel().astype(np.int64)
    alter_ties = np.rint(masked_rowsum(a, a, a) / 2).astype(np.int64)
    composition = a @ one_hot(net.codes, k)
    composition.sort_indices()
    grouped = np.asarray(composition.sum(axis=1)).ravel()
    rows = np.flatnonzero(net.codes >= 0)
    bonding = np.zeros(len(net.order), dtype=np.float64)
    if len(rows):
        bonding[rows] = np.asarray(composition[rows, net.codes[rows]]).ravel()
    bridging = np.where(net.codes >= 0, grouped - bonding, 0.0)
    return EgoNetworks(
        by=net.by,
        ties=ties,
        residents=net.order,
        groups=net.categories,
        codes=net.codes,
        size=size,
        alter_ties=alter_ties,
        bonding=np.rint(bonding).astype(np.int64),
        bridging=np.rint(bridging).astype(np.int64),
        composition=composition,
    )
