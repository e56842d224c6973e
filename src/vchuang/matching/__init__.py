"""Skill–need matching: which residents help which project, for how many hours.

A project's :class:`~vchuang.model.Need` (需求) asks for a skill, some hours a week and a
headcount; residents offer skills at a level and hours a week. :func:`compatibility`
scores one (resident, need) pair — skill through the taxonomy, level, place, interest in
the project's themes, availability — and says why in plain words. :func:`match` staffs
many needs at once, by one of three methods:

* ``"optimal"`` — the most score-weighted hours, exactly (a transportation LP, or a
  mixed-integer program when headcounts or the per-person project cap bind);
* ``"stable"`` — deferred acceptance, so that no resident and need would both rather be
  together;
* ``"greedy"`` — highest score first, a fast heuristic.

The result lists assignments with reasons, unmet needs with their shortfall in hours and
people and whom training would qualify, idle residents and totals; it prints a summary
and plots filled against unmet hours per project. :func:`match_arrays` is the solver on
plain arrays, for large instances and benchmarks.

Examples
--------
>>> import vchuang
>>> from vchuang.matching import match
>>> g = vchuang.load_example()
>>> result = match(g, method="stable")
>>> result.stable
True
>>> print(result.summary().splitlines()[0])
Matching (stable): stable: no resident and need would both rather be matched to each other.
"""

from __future__ import annotations

from ._match import match
from ._result import Assignment, MatchResult, ProjectFill, TrainingOption, UnmetNeed
from ._score import Compatibility, ScoreModel, compatibility
from ._solve import ArrayMatch, match_arrays

__all__ = [
    "ArrayMatch",
    "Assignment",
    "Compatibility",
    "MatchResult",
    "ProjectFill",
    "ScoreModel",
    "TrainingOption",
    "UnmetNeed",
    "compatibility",
    "match",
    "match_arrays",
]


def __dir__() -> list[str]:
    return list(__all__)
