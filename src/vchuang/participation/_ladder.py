"""The participation ladder: its rungs and what puts a resident on each (private)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ..errors import Problem, ValidationError
from ..kernel.text import has, text
from ..model import ActivityKind, Role

__all__ = ["DEFAULT_LADDER", "RUNGS", "SOURCES", "Ladder"]

#: The five rungs of the default ladder, lowest first (after Arnstein 1969).
RUNGS: tuple[str, ...] = ("informed", "consulted", "involved", "organising", "leading")

#: What a resident's involvement can be evidenced by, besides attending an activity:
#: organising an activity, volunteering in a project, being a member of a group or
#: organisation, proposing a golden idea, leading or co-leading a project.
SOURCES: tuple[str, ...] = (
    "organised",
    "volunteers_in",
    "member_of",
    "proposed",
    "leads",
    "co_leads",
)

_DEFAULT_ATTENDED: dict[ActivityKind, str] = {
    ActivityKind.MOBILISATION: "informed",
    ActivityKind.OUTREACH: "informed",
    ActivityKind.SERVICE: "informed",
    ActivityKind.OTHER: "informed",
    ActivityKind.SELECTION_MEETING: "consulted",
    ActivityKind.VOLUNTEER_MEETING: "involved",
    ActivityKind.TRAINING: "involved",
}
_DEFAULT_ROLES: dict[str, str] = {
    "organised": "organising",
    "volunteers_in": "involved",
    "member_of": "involved",
    "proposed": "consulted",
    "leads": "leading",
    "co_leads": "leading",
}


def _attended(value: Mapping[ActivityKind | str, str]) -> dict[ActivityKind, str]:
    return {ActivityKind(k): str(v) for k, v in value.items()}


def _roles(value: Iterable[Role | str]) -> tuple[Role, ...]:
    return tuple(Role(r) for r in value)


@attrs.frozen(kw_only=True)
class Ladder:
    """A participation ladder: the rungs, lowest first, and what puts a resident on each.

    Parameters
    ----------
    rungs
        Rung names, lowest first (default :data:`RUNGS`).
    attended
        The rung that attending an activity of each kind shows. Kinds left out count
        for nothing.
    roles
        The rung that each other source of evidence shows (keys from :data:`SOURCES`:
        ``"organised"``, ``"volunteers_in"``, ``"member_of"``, ``"proposed"``,
        ``"leads"``, ``"co_leads"``); sources left out count for nothing.
    excluded
        Residents with any of these roles are staff, not participants, and are left
        out (default: social workers and staff).

    Examples
    --------
    >>> ladder = Ladder(attended={"outreach": "informed", "training": "involved"})
    >>> ladder.rank("involved"), ladder.roles["leads"]
    (2, 'leading')
    >>> Ladder(attended={"outreach": "told"})
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: attended[outreach]: 'told' is not a rung of the ladder (hint: use one of 'informed', 'consulted', 'involved', 'organising', 'leading')
    """

    rungs: tuple[str, ...] = attrs.field(default=RUNGS, converter=tuple)
    attended: Mapping[ActivityKind, str] = attrs.field(
        factory=lambda: dict(_DEFAULT_ATTENDED), converter=_attended, hash=False
    )
    roles: Mapping[str, str] = attrs.field(
        factory=lambda: dict(_DEFAULT_ROLES), converter=dict, hash=False
    )
    excluded: tuple[Role, ...] = attrs.field(
        default=(Role.SOCIAL_WORKER, Role.STAFF), converter=_roles
    )

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        if not self.rungs or len(set(self.rungs)) != len(self.rungs):
            problems.append(Problem("rungs", "must be distinct names, at least one"))
        hint = "use one of " + ", ".join(repr(r) for r in self.rungs)
        for kind, rung in self.attended.items():
            if rung not in self.rungs:
                problems.append(
                    Problem(
                        f"attended[{kind.value}]", f"{rung!r} is not a rung of the ladder", hint
                    )
                )
        for source, rung in self.roles.items():
            if source not in SOURCES:
                problems.append(
                    Problem(f"roles[{source}]", "is not a source of evidence", ", ".join(SOURCES))
                )
            elif rung not in self.rungs:
                problems.append(
                    Problem(f"roles[{source}]", f"{rung!r} is not a rung of the ladder", hint)
                )
        if problems:
            raise ValidationError(problems)

    def rank(self, rung: str) -> int:
        """The position of ``rung`` on the ladder, from 0 (lowest)."""
        return self.rungs.index(rung)

    def label(self, rung: str, lang: str = "en") -> str:
        """The rung's label in ``lang`` (its name when the catalogue has none)."""
        key = f"participation.rung.{rung}"
        return text(key, lang) if has(key) else rung

    def to_rows(self) -> list[dict[str, Any]]:
        """The ladder as a table: one row per rung and what puts a resident on it."""
        rows = []
        for i, rung in enumerate(self.rungs):
            kinds = [k.value for k, r in self.attended.items() if r == rung]
            sources = [s for s, r in self.roles.items() if r == rung]
            rows.append({"rank": i, "rung": rung, "attended": kinds, "sources": sources})
        return rows


#: The default ladder: :data:`RUNGS`, with attending a mobilisation meeting, outreach,
#: service or other event as *informed*, a selection meeting (or proposing a golden idea)
#: as *consulted*, a volunteer meeting, a training, volunteering or membership as
#: *involved*, organising an activity as *organising*, and leading or co-leading as
#: *leading*.
DEFAULT_LADDER = Ladder()
