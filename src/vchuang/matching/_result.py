"""What :func:`vchuang.matching.match` returns (private; names re-exported)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..kernel.display import SHOWN, html_table
from ..kernel.plotting import plot
from ..kernel.said import said_in, say_in
from ..model import Level

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Assignment", "MatchResult", "ProjectFill", "TrainingOption", "UnmetNeed"]


def _h(hours: float) -> str:
    return f"{hours:g} h"


@attrs.frozen(kw_only=True)
class Assignment:
    """One resident working on one need, for some hours a week.

    Attributes
    ----------
    resident, need, project : str
        IDs (residents are named by ID only).
    skill : str
        The skill the need asks for.
    matched_skill : str or None
        The resident's skill that matched it.
    hours : float
        Hours a week.
    score : float
        The pair's compatibility score.
    fit : float
        The skill part of the score (1 for the skill asked for at the level asked for;
        less for a related skill or a lower level: a stopgap that training would turn
        into a full fit).
    reasons : tuple of str
        Why this pair fits (see :func:`compatibility`).
    fixed : bool
        Whether the assignment was given in ``fixed=`` rather than chosen here.
    """

    resident: str
    need: str
    project: str
    skill: str
    matched_skill: str | None
    hours: float
    score: float
    fit: float
    reasons: tuple[str, ...] = attrs.field(repr=False)
    fixed: bool = False

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`reasons` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences."""
        return said_in(self.reasons, lang)


@attrs.frozen(kw_only=True)
class TrainingOption:
    """A resident who could close a gap after training (种子培力赋能).

    Attributes
    ----------
    resident, need : str
        IDs.
    skill : str
        The skill to learn or deepen (the need's skill).
    level : Level
        The level to reach (the need's minimum).
    has_skill : str or None
        The related skill the resident has now.
    has_level : Level or None
        Their level in it.
    spare_hours : float
        Hours a week the resident still has free after this matching.
    score_after : float
        The pair's score once trained (a full skill fit).
    reason : str
        The option in words.
    """

    resident: str
    need: str
    skill: str
    level: Level
    has_skill: str | None
    has_level: Level | None
    spare_hours: float
    score_after: float
    reason: str = attrs.field(repr=False)

    def reason_in(self, lang: str = "en") -> str:
        """:attr:`reason` in ``lang`` (``"en"`` or ``"zh"``)."""
        return say_in(self.reason, lang)


@attrs.frozen(kw_only=True)
class UnmetNeed:
    """A skill need not (fully) staffed, with its shortfall and why.

    Attributes
    ----------
    need, project, skill : str
        IDs.
    min_level : Level
        The minimum level asked for.
    demand_hours, assigned_hours, shortfall_hours : float
        Hours a week asked for, given (fixed and new), and missing:
        ``shortfall_hours == demand_hours - assigned_hours``.
    people, assigned_people, shortfall_people : int
        Headcount asked for, residents assigned, and residents still needed at the
        need's share of hours per person (never more than the free headcount).
    candidates : int
        Eligible residents for it in the pool.
    reasons : tuple of str
        Why it stays unmet, in words.
    training : tuple of TrainingOption
        Residents with spare hours who come close (a related skill, or a level below the
        minimum), best first: whom to train to close the gap.
    """

    need: str
    project: str
    skill: str
    min_level: Level
    demand_hours: float
    assigned_hours: float
    shortfall_hours: float
    people: int
    assigned_people: int
    shortfall_people: int
    candidates: int
    reasons: tuple[str, ...] = attrs.field(repr=False)
    training: tuple[TrainingOption, ...] = attrs.field(default=(), repr=False)

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`reasons` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences."""
        return said_in(self.reasons, lang)

    def __repr__(self) -> str:
        return (
            f"UnmetNeed(need={self.need!r}, project={self.project!r}, skill={self.skill!r}, "
            f"shortfall_hours={self.shortfall_hours:g}, "
            f"shortfall_people={self.shortfall_people}, candidates={self.candidates}, "
            f"training={len(self.training)})"
        )


@attrs.frozen(kw_only=True)
class ProjectFill:
    """Hours asked for, filled and unmet in one project (the bars of the plot).

    Attributes
    ----------
    project, name, name_zh : str
        The project's ID and names.
    demand_hours, fixed_hours, new_hours, unmet_hours : float
        Hours a week over its skill needs in the matching.
    needs, needs_unmet : int
        Its skill needs in the matching, and how many are not fully staffed.
    """

    project: str
    name: str
    name_zh: str
    demand_hours: float
    fixed_hours: float
    new_hours: float
    unmet_hours: float
    needs: int
    needs_unmet: int


@attrs.frozen(kw_only=True)
class MatchResult:
    """Who helps which project, for how many hours, and what stays unmet.

    Attributes
    ----------
    method : str
        ``"optimal"``, ``"stable"`` or ``"greedy"``.
    assignments : tuple of Assignment
        By project, need and resident ID; fixed ones included (``fixed=True``).
    unmet : tuple of UnmetNeed
        Skill needs with a shortfall, largest shortfall first.
    idle : tuple of str
        Residents of the pool with no assignment.
    spare_hours : Mapping
        Hours a week each resident of the pool still has free.
    projects : tuple of ProjectFill
        Per project: hours asked, fixed, newly filled and unmet.
    out_of_scope : tuple of str
        Resource needs (venues, materials, money …): not matched to residents.
    totals : Mapping
        Counts and hours over the whole matching.
    objective : float
        Total score-weighted hours, :math:`\\sum \\text{score} \\times \\text{hours}`
        over the new assignments.
    bound : float or None
        A proven upper bound on ``objective`` (``method="optimal"``).
    optimal : bool
        Whether ``objective`` is proven maximal.
    stable : bool or None
        For ``method="stable"``: whether the pairing has no blocking pair (checked).
    status : str
        ``"optimal"``, ``"time_limit"``, ``"stable"`` or ``"heuristic"``.
    solver : str
        The algorithm, in words.
    notes : tuple of str
        Warnings about the input in plain words (over-committed fixed hours, fractional
        hours left out …).
    max_projects_per_person : int or None
        The cap used.
    unit : float
        Hours are assigned in whole multiples of this.
    """

    method: str
    assignments: tuple[Assignment, ...] = attrs.field(repr=False)
    unmet: tuple[UnmetNeed, ...] = attrs.field(repr=False)
    idle: tuple[str, ...] = attrs.field(repr=False)
    spare_hours: Mapping[str, float] = attrs.field(repr=False)
    projects: tuple[ProjectFill, ...] = attrs.field(repr=False)
    out_of_scope: tuple[str, ...] = attrs.field(repr=False)
    totals: Mapping[str, float]
    objective: float
    bound: float | None
    optimal: bool
    stable: bool | None
    status: str
    solver: str
    notes: tuple[str, ...] = ()
    max_projects_per_person: int | None = None
    unit: float = 1.0

    def __repr__(self) -> str:
        t = self.totals
        shown = ", ".join(
            f"({a.resident!r}, {a.need!r}, {a.hours:g})" for a in self.assignments[:SHOWN]
        )
        more = ", ..." if len(self.assignments) > SHOWN else ""
        return (
            f"MatchResult(method={self.method!r}, status={self.status!r}, "
            f"assignments={len(self.assignments)}, "
            f"hours={t.get('hours_assigned', 0):g} of {t.get('hours_demanded', 0):g}, "
            f"unmet={len(self.unmet)}, idle={len(self.idle)}, "
            f"objective={self.objective:g}, first=[{shown}{more}])"
        )

    def _repr_html_(self) -> str:
        rows = [
            (a.resident, a.need, a.project, f"{a.hours:g}", f"{a.score:.3f}")
            for a in self.assignments[:SHOWN]
        ]
        caption = (
            f"MatchResult ({self.method}, {self.status}): {len(self.assignments)} "
            f"assignments, {len(self.unmet)} needs unmet, {len(self.idle)} idle"
        )
        return html_table(caption, ("resident", "need", "project", "hours", "score"), rows)

    def notes_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`notes` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences."""
        return said_in(self.notes, lang)

    @property
    def stopgaps(self) -> tuple[Assignment, ...]:
        """Assignments made with a related skill or a level below the minimum
        (``fit < 1``): staffed for now, and a training opportunity."""
        return tuple(a for a in self.assignments if a.fit < 1.0)

    @property
    def gap(self) -> float | None:
        """Relative distance to the proven bound (0 when optimal; ``None`` without bound)."""
        if self.bound is None:
            return None
        return 0.0 if self.bound <= 0 else (self.bound - self.objective) / self.bound

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per assignment: resident, need, project, skill, matched skill, hours,
        score, fit, whether fixed, and the reasons joined by ``"; "``."""
        return [
            {
                "resident": a.resident,
                "need": a.need,
                "project": a.project,
                "skill": a.skill,
                "matched_skill": a.matched_skill,
                "hours": a.hours,
                "score": a.score,
                "fit": a.fit,
                "fixed": a.fixed,
                "reasons": "; ".join(a.reasons),
            }
            for a in self.assignments
        ]

    def unmet_rows(self) -> list[dict[str, Any]]:
        """One row per unmet need, with its shortfall, reasons and training options."""
        return [
            {
                "need": u.need,
                "project": u.project,
                "skill": u.skill,
                "min_level": u.min_level.name.lower(),
                "demand_hours": u.demand_hours,
                "assigned_hours": u.assigned_hours,
                "shortfall_hours": u.shortfall_hours,
                "people": u.people,
                "assigned_people": u.assigned_people,
                "shortfall_people": u.shortfall_people,
                "candidates": u.candidates,
                "reasons": "; ".join(u.reasons),
                "training": "; ".join(t.reason for t in u.training),
            }
            for u in self.unmet
        ]

    def project_rows(self) -> list[dict[str, Any]]:
        """One row per project: hours asked for, fixed, newly filled and unmet."""
        return [attrs.asdict(p) for p in self.projects]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Filled and unmet hours by project, as stacked bars
        (see :func:`vchuang.plot.plot_matching`)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out

    def summary(self) -> str:
        """The matching in plain words: who was matched, what stays unmet and why."""
        t = self.totals
        if self.status == "optimal":
            how = "proven optimal"
        elif self.status == "time_limit":
            how = (
                f"best found within the time limit, at most {100 * (self.gap or 0):.2f}% "
                "below the optimum"
            )
        elif self.status == "stable":
            how = (
                "stable: no resident and need would both rather be matched to each other"
                if self.stable
                else "NOT stable (a blocking pair remains)"
            )
        else:
            how = "a heuristic: fast, not guaranteed best"
        lines = [f"Matching ({self.method}): {how}.", f"  Solver: {self.solver}."]
        if not t["needs"]:
            lines.append("  No skill needs to staff.")
        else:
            weighted = (
                f"(score-weighted hours {self.objective:g})."
                if not t["hours_fixed"]
                else f"({t['hours_fixed']:g} h fixed before; score-weighted hours of the new "
                f"assignments {self.objective:g})."
            )
            lines.append(
                f"  {t['residents_matched']:g} of {t['residents']:g} residents matched, "
                f"{t['residents_idle']:g} idle; {t['hours_assigned']:g} of "
                f"{t['hours_demanded']:g} hours a week staffed {weighted}"
            )
            lines.append(
                f"  Needs: {t['needs_filled']:g} filled, {t['needs_partly']:g} partly filled, "
                f"{t['needs_unmet']:g} unmet (of {t['needs']:g})."
            )
        for u in self.unmet:
            if u.shortfall_people:
                who = "person" if u.shortfall_people == 1 else "people"
                short = f"{_h(u.shortfall_hours)} and {u.shortfall_people} {who} short"
            else:
                short = f"{_h(u.shortfall_hours)} short"
            lines.append(
                f"  - {u.need} ({u.skill}, project {u.project}): {short}; " + "; ".join(u.reasons)
            )
            for option in u.training:
                lines.append(f"      train: {option.reason}")
        gaps = self.stopgaps
        if gaps:
            lines.append(
                f"  Stopgaps: {len(gaps)} assignment(s) use a related skill or a "
                "lower level; training would make them full fits:"
            )
            lines += [
                f"  - {a.resident} on {a.need} ({a.skill}) with {a.matched_skill}, fit {a.fit:.2f}"
                for a in gaps
            ]
        if self.out_of_scope:
            lines.append(
                f"  Out of scope: {len(self.out_of_scope)} resource need(s) "
                f"({', '.join(self.out_of_scope)}); link resources to them instead."
            )
        lines += [f"  Note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
