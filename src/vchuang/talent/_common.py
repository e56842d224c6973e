"""Constants, feature names and argument checks shared by the talent modules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

import numpy as np
import numpy.typing as npt

from ..errors import Problem, ValidationError
from ..model import Role, Stage

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The features of a talent score, by group, in the order they are reported.
FEATURES: Mapping[str, tuple[str, ...]] = {
    "network": ("degree", "betweenness", "pagerank", "brokerage"),
    "engagement": ("activities", "hours", "leads", "recency"),
    "skills": ("skills", "needs"),
    "availability": ("availability",),
}

_FEATURE_NAMES: tuple[str, ...] = tuple(f for names in FEATURES.values() for f in names)
_GROUP_OF: Mapping[str, str] = {f: g for g, names in FEATURES.items() for f in names}

#: Default weight of each feature (they sum to 1). Engagement weighs most (0.40) because
#: it is what social workers observe and what the case calls a talent: someone who leads
#: and organises; network position (0.30) stands for reach and for bridging groups;
#: skills (0.20) for fit with what projects lack; availability (0.10) is self-reported,
#: so it counts least. See the Notes of :func:`rank_talents`.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "degree": 0.07,
    "betweenness": 0.08,
    "pagerank": 0.05,
    "brokerage": 0.10,
    "activities": 0.10,
    "hours": 0.08,
    "leads": 0.14,
    "recency": 0.08,
    "skills": 0.08,
    "needs": 0.12,
    "availability": 0.10,
}

#: Networks with at most this many residents get exact betweenness; larger ones are
#: estimated from sampled sources ("pivots", Brandes & Pich 2007).
BETWEENNESS_EXACT_LIMIT = 2_000
#: Pivots sampled for betweenness above :data:`BETWEENNESS_EXACT_LIMIT`.
DEFAULT_PIVOTS = 128
#: Networks with at most this many people get exact distance-weighted fragmentation in
#: :func:`key_players`; larger ones sample this many sources.
DISTANCE_EXACT_LIMIT = 2_000
_DEFAULT_SOURCES = 128
#: A group, project or activity with more people than this makes no ties among them
#: (a 300-person event does not make its attendees acquainted, and would make the
#: network dense).
MAX_CONTEXT_SIZE = 50
#: Recency halves for every this many days since a resident last took part.
RECENCY_HALF_LIFE_DAYS = 180.0

_TIES = ("knows", "work", "all")
_OBJECTIVES = ("reach", "distance_reach", "fragmentation", "distance_fragmentation")
_METHODS = ("greedy", "exhaustive")
_CLOSED = (Stage.COMPLETED, Stage.DROPPED)
_STAFF = (Role.SOCIAL_WORKER, Role.STAFF)
_EXHAUSTIVE_LIMIT = 200_000
_TIE_DIGITS = 12  # scores equal to 12 decimals are ties, broken by ID


def _fail(path: str, message: str, hint: str = "") -> NoReturn:
    raise ValidationError([Problem(path, message, hint)])
