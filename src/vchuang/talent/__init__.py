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
functions are called, so that nx-parallel or nx-cugraph can take over. The resident
network is built by :func:`vchuang.csr.resident_adjacency` (``knows`` ties plus the one
co-participation rule of :func:`vchuang.csr.coparticipation`).

The package is split by concern: ``_results`` (the result classes), ``_network`` (the
resident network), ``_centrality`` (betweenness, PageRank, constraint), ``_ranking``
(:func:`rank_talents`), ``_reasons`` (the plain-language reasons) and ``_keyplayers``
(:func:`key_players`).

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

from ._common import (
    BETWEENNESS_EXACT_LIMIT,
    DEFAULT_PIVOTS,
    DEFAULT_WEIGHTS,
    DISTANCE_EXACT_LIMIT,
    FEATURES,
    MAX_CONTEXT_SIZE,
    RECENCY_HALF_LIFE_DAYS,
)
from ._keyplayers import key_players
from ._ranking import rank_talents
from ._results import KeyPlayers, Talent, TalentRanking

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


def __dir__() -> list[str]:
    return list(__all__)
