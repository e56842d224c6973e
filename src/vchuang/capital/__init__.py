"""Social capital on the resident network: ego networks, bonding and bridging, brokerage.

Theses and programme evaluations of community incubators ask whether a programme built
**bonding** ties (inside a community, group or segment) or **bridging** ties (across
them), and who **brokers** between groups. This package answers from the same resident
network the other analyses use (:func:`vchuang.csr.resident_adjacency`):

* :func:`ego_networks` — each resident's ego network: size, density, composition by
  community, segment or role, Blau's heterogeneity and the E-I index;
* :func:`ei_index` — Krackhardt and Stern's E-I index of every group and of the whole
  network, against its value under random mixing;
* :func:`brokerage` — Gould and Fernandez's five brokerage roles, raw counts and
  z-scores;
* :func:`blau` and :func:`ei` — the two indices for counts at hand.

Each function also takes a networkx graph (with ``by`` a node attribute), so that
classic data sets can be checked against published values.

The package is split by concern: ``_network`` (the network and its partition),
``_measures`` (the two indices), ``_ego``, ``_ei`` and ``_brokerage`` (one measure
each) and ``_results`` (the result classes).

Examples
--------
>>> from vchuang.datasets import longgang_pilot
>>> from vchuang.capital import ei_index
>>> result = ei_index(longgang_pilot(), "community")
>>> result.internal > result.external
True
"""

from ._brokerage import brokerage
from ._ego import ego_networks
from ._ei import ei_index
from ._generators import (
    ILLUSTRATIVE_PRESTIGE,
    GeneratorScores,
    new_year_network,
    position_generator,
    resource_generator,
)
from ._measures import blau, ei
from ._network import GROUPINGS, ROLE_ORDER
from ._results import (
    ROLES,
    SNA_NAMES,
    Broker,
    Brokerage,
    Ego,
    EgoNetworks,
    EIIndex,
    GroupMixing,
)

__all__ = [
    "GROUPINGS",
    "ILLUSTRATIVE_PRESTIGE",
    "ROLES",
    "ROLE_ORDER",
    "SNA_NAMES",
    "Broker",
    "Brokerage",
    "EIIndex",
    "Ego",
    "EgoNetworks",
    "GeneratorScores",
    "GroupMixing",
    "blau",
    "brokerage",
    "ego_networks",
    "ei",
    "ei_index",
    "new_year_network",
    "position_generator",
    "resource_generator",
]


def __dir__() -> list[str]:
    return list(__all__)
