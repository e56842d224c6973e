"""Survival: how long volunteers stay, how fast projects move through incubation.

Programme evaluations ask whether volunteers keep coming and whether projects graduate.
Both are questions about *time until an event* where, for many subjects, the event has
not happened yet when the data end: a volunteer still active, a project still in
incubation. Their durations are *censored*, and survival analysis uses them correctly.

* :func:`retention` -- time from each volunteer's first to last activity, the volunteer
  having left after ``dormant_after`` months without activity, otherwise censored at
  the data's date;
* :func:`stage_times` -- projects' time from their start to each incubation stage and
  to graduation, from the incubator's dated moves;
* :func:`dormancy` -- residents or projects with no activity for N months;
* :func:`kaplan_meier`, :func:`logrank` and :func:`cox` -- the estimators for durations
  at hand, computed by lifelines (Kaplan–Meier, the log-rank test and Cox's model), in
  the ``survival`` extra (``pip install 'vchuang[survival]'``); without it they, and
  :func:`retention` and :func:`stage_times` which use them, raise
  :class:`~vchuang.errors.MissingDependencyError` naming the extra (:func:`dormancy`
  needs nothing extra).

Every result compares groups (communities by default) with the log-rank test.

Examples
--------
>>> from vchuang.datasets import longgang_pilot
>>> from vchuang.survival import retention
>>> r = retention(longgang_pilot())
>>> len(r) > 100
True
"""

from ._estimators import cox, kaplan_meier, logrank
from ._records import BY, dormancy, months_before, retention, stage_times
from ._results import DAYS_PER_MONTH, CoxModel, Curve, Dormancy, LogRank, StageTimes, Survival

__all__ = [
    "BY",
    "DAYS_PER_MONTH",
    "CoxModel",
    "Curve",
    "Dormancy",
    "LogRank",
    "StageTimes",
    "Survival",
    "cox",
    "dormancy",
    "kaplan_meier",
    "logrank",
    "months_before",
    "retention",
    "stage_times",
]


def __dir__() -> list[str]:
    return list(__all__)
