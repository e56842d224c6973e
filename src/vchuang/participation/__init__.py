"""Participation: residents' involvement on a ladder, over time and by community.

Programme evaluations ask not only *how many* residents took part but *how deeply*:
were they told about it, asked for their views, did they join in the work, organise,
lead? This package codes the records the graph already holds -- who attended which kind
of activity, who organised it, who volunteers in, belongs to or leads what, who
proposed a golden idea -- on a documented ladder after Arnstein (1969), and reports:

* each resident's **highest rung** and the record that put them there
  (:meth:`Participation.to_rows`, :meth:`Participation.reason`);
* the **movement between rungs** from one month or quarter to the next, as a transition
  matrix (:attr:`Participation.transitions`, :meth:`Participation.transition_rows`);
* the **share of each community at each rung**, small counts hidden
  (:meth:`Participation.community_rows`).

The ladder is configurable (:class:`Ladder`); :data:`DEFAULT_LADDER` has the five rungs
of :data:`RUNGS`: informed → consulted → involved → organising → leading.

Examples
--------
>>> from vchuang.datasets import longgang_pilot
>>> from vchuang.participation import participation
>>> result = participation(longgang_pilot())
>>> result.counts["leading"] > 0
True
"""

from ._ladder import DEFAULT_LADDER, RUNGS, SOURCES, Ladder
from ._measure import PERIODS, participation
from ._results import NONE, Participation, Step

__all__ = [
    "DEFAULT_LADDER",
    "NONE",
    "PERIODS",
    "RUNGS",
    "SOURCES",
    "Ladder",
    "Participation",
    "Step",
    "participation",
]


def __dir__() -> list[str]:
    return list(__all__)
