"""What :func:`vchuang.matching.match` returns (private; names re-exported)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import attrs

from ..kernel.display import SHOWN, html_table
from ..kernel.plotting import plot
from ..kernel.said import said_in, say_in
from ..kernel.text import check_lang, text
from ..model import Level

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Assignment", "MatchResult", "ProjectFill", "TrainingOption", "UnmetNeed"]


#: The parts of a solver's description (``MatchResult.solver``, parts joined by "; ").
_SOLVER_PARTS = ("lp", "lp_free", "milp", "greedy_better", "time_limit", "greedy", "stable")


@cache
def _solver_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each solver part's catalogue key, with its English as a pattern (fields as groups)."""
    out = []
    for part in _SOLVER_PARTS:
        key = f"matching.solver.{part}"
        template = re.escape(text(key, "en", y="\x00y", z="\x00z"))
        pattern = template.replace("\x00y", r"(?P<y>\d+)").replace("\x00z", r"(?P<z>\d+)")
        out.append((key, re.compile(pattern)))
    return tuple(out)


def _solver_in(solver: str, lang: str) -> str:
    """A solver's description in ``lang``; a part not known is kept as written."""
    if check_lang(lang) == "en":
        return solver
    parts = []
    for part in solver.split("; "):
        for key, pattern in _solver_patterns():
            found = pattern.fullmatch(part)
            if found:
                parts.append(text(key, lang, **found.groupdict()))
                break
        else:
            parts.append(part)
    return "；".join(parts)


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

    def solver_in(self, lang: str = "en") -> str:
        """:attr:`solver` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same text."""
        return _solver_in(self.solver, lang)

    def status_in(self, lang: str = "en") -> str:
        """:attr:`status` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same word."""
        if check_lang(lang) == "en":
            return self.status
        key = f"matching.status.{self.status}"
        return text(key, lang)

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

    def summary(self, lang: str = "en") -> str:
        """The matching in plain words: who was matched, what stays unmet and why.

        Parameters
        ----------
        lang : {"en", "zh"}, default "en"
            The language; ``summary()`` is ``str(result)``.
        """
        lang = check_lang(lang)
        zh = lang == "zh"
        t = self.totals

        def say(key: str, **fields: object) -> str:
            return text(f"matching.{key}", lang, **fields)

        if self.status == "optimal":
            how = say("how.optimal")
        elif self.status == "time_limit":
            how = say("how.time_limit", gap=f"{100 * (self.gap or 0):.2f}")
        elif self.status == "stable":
            how = say("how.stable" if self.stable else "how.unstable")
        else:
            how = say("how.heuristic")
        method = say(f"method.{self.method}") if zh else self.method
        lines = [
            say("summary.head", method=method, how=how),
            say("summary.solver", solver=self.solver_in(lang)),
        ]
        if not t["needs"]:
            lines.append(say("summary.no_needs"))
        else:
            weighted = (
                say("summary.weighted", objective=f"{self.objective:g}")
                if not t["hours_fixed"]
                else say(
                    "summary.weighted_fixed",
                    fixed=f"{t['hours_fixed']:g}",
                    objective=f"{self.objective:g}",
                )
            )
            lines.append(
                say(
                    "summary.matched",
                    matched=f"{t['residents_matched']:g}",
                    residents=f"{t['residents']:g}",
                    idle=f"{t['residents_idle']:g}",
                    assigned=f"{t['hours_assigned']:g}",
                    demanded=f"{t['hours_demanded']:g}",
                    weighted=weighted,
                )
            )
            lines.append(
                say(
                    "summary.needs",
                    filled=f"{t['needs_filled']:g}",
                    partly=f"{t['needs_partly']:g}",
                    unmet=f"{t['needs_unmet']:g}",
                    needs=f"{t['needs']:g}",
                )
            )
        joiner = "；" if zh else "; "
        for u in self.unmet:
            hours = f"{u.shortfall_hours:g}"
            if u.shortfall_people:
                key = "summary.short_person" if u.shortfall_people == 1 else "summary.short_people"
                short = say(key, hours=hours, people=u.shortfall_people)
            else:
                short = say("summary.short", hours=hours)
            lines.append(
                say(
                    "summary.unmet",
                    need=u.need,
                    skill=u.skill,
                    project=u.project,
                    short=short,
                    reasons=joiner.join(u.reasons_in(lang)),
                )
            )
            lines += [say("summary.train", option=o.reason_in(lang)) for o in u.training]
        gaps = self.stopgaps
        if gaps:
            lines.append(say("summary.stopgaps", n=len(gaps)))
            lines += [
                say(
                    "summary.stopgap",
                    resident=a.resident,
                    need=a.need,
                    skill=a.skill,
                    matched=a.matched_skill if a.matched_skill is not None else say("summary.none"),
                    fit=f"{a.fit:.2f}",
                )
                for a in gaps
            ]
        if self.out_of_scope:
            lines.append(
                say(
                    "summary.out_of_scope",
                    n=len(self.out_of_scope),
                    needs=("、" if zh else ", ").join(self.out_of_scope),
                )
            )
        lines += [say("summary.note", note=n) for n in self.notes_in(lang)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
