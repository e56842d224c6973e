"""Indicators per community, rolled up to subdistricts and the district ("1+N").

An incubator team compares its pilots and its streets with a few numbers: how many
residents are engaged, how many became talents (能人) and leaders, how many projects
stand at which stage, how many activities drew how many people, how many residents the
leaders' projects reach, and how much of each audience segment. :func:`table`
computes them for every place of the hierarchy; :func:`monthly` gives them month by
month.

Roll-ups are **recomputed on the union** of the communities below, never summed, for
every measure that counts distinct people (participants, unique reach): a resident who
attends in two communities is one person. Measures that are sums by nature (headcounts of
distinct events, populations, projects) add up.

Examples
--------
>>> import vchuang
>>> from vchuang import indicators
>>> rows = indicators.table(vchuang.load_example()).rows
>>> [(row.place, row.level, row.leaders, row.unique_reach) for row in rows]
[('pingnan', 'community', 1, 7), ('longgang-st', 'subdistrict', 1, 7), ('longgang', 'district', 1, 7)]
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .model import Role, Stage

if TYPE_CHECKING:
    from ._rng import RNGLike
    from .funding import Ledger, Sustainability
    from .graph import CommunityGraph
    from .matching import MatchResult

__all__ = ["IndicatorRow", "IndicatorTable", "MonthRow", "monthly", "table"]

_CIVIC = frozenset({Role.VOLUNTEER, Role.TALENT, Role.LEADER})


@attrs.frozen(kw_only=True)
class IndicatorRow:
    """The indicators of one place.

    Attributes
    ----------
    place, level, name
        The place's ID, its level (``"community"``, ``"subdistrict"``, ``"district"``)
        and its name.
    population
        Registered residents (sum of the communities' ``population`` where given;
        ``None`` if no community gives one).
    residents
        Residents listed in the data.
    engaged, talents, leaders
        Residents with a civic role (volunteer, talent or leader), with
        :attr:`Role.TALENT`, with :attr:`Role.LEADER`.
    project_leads
        Residents leading or co-leading at least one project.
    projects, stages
        Projects, and how many stand at each stage.
    activities, attendance
        Activities held in the place, and their total headcount.
    participants
        Distinct residents named as attending those activities (a union).
    unique_reach
        Distinct residents reached by the place's leaders through the projects they
        lead (the surface of point–line–surface, :func:`vchuang.reach.surface`).
    matched_hours, unmet_hours
        Weekly hours of the place's projects' needs staffed and left unmet by a
        matching (``None`` when no matching was given).
    funds_raised_fen
        Donations received by the funds and projects of the place, in fen (``None``
        when no ledger was given).
    median_runway_months
        The median runway of the place's projects (``None`` without a ledger or
        without projects in it).
    """

    place: str
    level: str
    name: str
    population: int | None
    residents: int
    engaged: int
    talents: int
    leaders: int
    project_leads: int
    projects: int
    stages: Mapping[str, int]
    activities: int
    attendance: int
    participants: int
    unique_reach: int
    matched_hours: float | None = None
    unmet_hours: float | None = None
    funds_raised_fen: int | None = None
    median_runway_months: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row as a flat dict (stages as ``stage_<name>`` columns)."""
        row = attrs.asdict(self, filter=lambda a, _: a.name != "stages")
        for stage in Stage:
            row[f"stage_{stage.value}"] = self.stages.get(stage.value, 0)
        return row


@attrs.frozen(kw_only=True)
class IndicatorTable:
    """Indicators of every place, communities first, then subdistricts, the district."""

    rows: tuple[IndicatorRow, ...]

    def __getitem__(self, place: str) -> IndicatorRow:
        for row in self.rows:
            if row.place == place:
                return row
        raise KeyError(place)

    def level(self, level: str) -> tuple[IndicatorRow, ...]:
        """The rows of one level."""
        return tuple(r for r in self.rows if r.level == level)

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat dict per place."""
        return [r.to_dict() for r in self.rows]


@attrs.frozen(kw_only=True)
class MonthRow:
    """Activity in one month of one place."""

    place: str
    month: str
    """``YYYY-MM``."""
    activities: int
    attendance: int
    new_participants: int
    """Residents named as attending for the first time this month."""
    participants_to_date: int
    """Distinct residents named as attending up to the end of this month."""


def _places(graph: CommunityGraph, levels: Sequence[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if "community" in levels:
        out += [(c.id, "community") for c in graph.communities()]
    if "subdistrict" in levels:
        out += [(s.id, "subdistrict") for s in graph.subdistricts()]
    if "district" in levels:
        out += [(d.id, "district") for d in graph.districts()]
    return out


@attrs.frozen
class _Extras:
    """Per project: hours matched and unmet; per entity: donations; per project: runway."""

    hours: Mapping[str, tuple[float, float]] | None
    raised: Mapping[str, int] | None
    runway: Mapping[str, float] | None


def _extras(
    graph: CommunityGraph,
    matching: MatchResult | None,
    ledger: Ledger | None,
    outlook: Sustainability | None,
    rng: RNGLike,
) -> _Extras:
    hours = None
    if matching is not None:
        hours = {p.project: (p.fixed_hours + p.new_hours, p.unmet_hours) for p in matching.projects}
    raised = runway = None
    if ledger is not None:
        from .funding import EntryKind, sustainability

        owners = {a.id: a.owner for a in ledger.accounts.values()}
        totals: Counter[str] = Counter()
        for entry in ledger.entries:
            owner = owners.get(entry.target)
            if entry.kind is EntryKind.DONATION and owner is not None and owner in graph:
                totals[owner] += entry.amount_fen
        raised = dict(totals)
        if outlook is None:
            outlook = sustainability(ledger, rng=rng)
        runway = {o.owner or o.project: o.runway_months for o in outlook.outlooks}
    return _Extras(hours=hours, raised=raised, runway=runway)


def _row(graph: CommunityGraph, place: str, level: str, extras: _Extras) -> IndicatorRow:
    from .reach import surface

    communities = graph.communities_in(place)
    populations = [c.population for c in communities if c.population is not None]
    residents = graph.residents(place)
    roles = Counter(role for r in residents for role in r.roles)
    projects = graph.projects(place)
    activities = graph.activities(place)
    participants = {rid for a in activities for rid in a.attendees}
    leaders = [r.id for r in residents if Role.LEADER in r.roles]
    project_leads = [r for r in residents if graph.projects_led_by(r.id)]
    reach = surface(graph, leaders) if leaders else None
    matched = unmet = None
    if extras.hours is not None:
        both = [extras.hours.get(p.id, (0.0, 0.0)) for p in projects]
        matched, unmet = sum(h[0] for h in both), sum(h[1] for h in both)
    raised = runway = None
    if extras.raised is not None:
        inside = {c.id for c in communities} | {place}
        raised = sum(
            fen
            for owner, fen in extras.raised.items()
            if owner in inside or graph.place_of(owner) in inside
        )
    if extras.runway is not None:
        runways = sorted(extras.runway[p.id] for p in projects if p.id in extras.runway)
        runway = float(statistics.median(runways)) if runways else None
    return IndicatorRow(
        place=place,
        level=level,
        name=graph.get(place).name,
        population=sum(populations) if populations else None,
        residents=len(residents),
        engaged=sum(1 for r in residents if _CIVIC.intersection(r.roles)),
        talents=roles[Role.TALENT],
        leaders=roles[Role.LEADER],
        project_leads=len(project_leads),
        projects=len(projects),
        stages=dict(sorted(Counter(p.stage.value for p in projects).items())),
        activities=len(activities),
        attendance=sum(a.headcount for a in activities),
        participants=len(participants),
        unique_reach=len(reach) if reach is not None else 0,
        matched_hours=matched,
        unmet_hours=unmet,
        funds_raised_fen=raised,
        median_runway_months=runway,
    )


def table(
    graph: CommunityGraph,
    *,
    levels: Iterable[str] = ("community", "subdistrict", "district"),
    matching: MatchResult | None = None,
    ledger: Ledger | None = None,
    outlook: Sustainability | None = None,
    rng: RNGLike = 0,
) -> IndicatorTable:
    """The indicators of every community, subdistrict and district of ``graph``.

    Parameters
    ----------
    graph : CommunityGraph
        The community graph.
    levels : iterable of str
        Which levels to compute: any of ``"community"``, ``"subdistrict"``,
        ``"district"``.
    matching : vchuang.matching.MatchResult, optional
        A matching of residents to needs (:func:`vchuang.matching.match`), for the
        hours matched and unmet.
    ledger : vchuang.funding.Ledger, optional
        The micro-fund ledger, for funds raised and runway.
    outlook : vchuang.funding.Sustainability, optional
        The ledger's outlook, when already computed (otherwise it is computed here).
    rng : int or numpy.random.Generator, optional
        Seed of the runway simulation (:func:`vchuang.funding.sustainability`).

    Returns
    -------
    IndicatorTable
        One :class:`IndicatorRow` per place.

    See Also
    --------
    monthly : activity month by month, for one place.

    Notes
    -----
    Every measure is computed directly on the residents, projects and activities of
    the place (all the communities below it), so a subdistrict's participants and
    unique reach are unions, not sums of its communities' figures. An activity
    belongs to the place where it happened; a project and a resident to their
    community.
    """
    wanted = tuple(levels)
    extras = _extras(graph, matching, ledger, outlook, rng)
    return IndicatorTable(
        rows=tuple(_row(graph, p, lv, extras) for p, lv in _places(graph, wanted))
    )


def monthly(graph: CommunityGraph, place: str | None = None) -> tuple[MonthRow, ...]:
    """Activities, attendance and participants month by month, for a place (or the
    whole graph), from the first to the last month with an activity.

    Months without activities appear with zeros, so a chart of them has no gaps.

    See Also
    --------
    table : the indicators of every place, at every level.
    """
    activities = sorted(graph.activities(place), key=lambda a: (a.date, a.id))
    if not activities:
        return ()
    first, last = activities[0].date, activities[-1].date
    months: list[str] = []
    day = first.replace(day=1)
    while day <= last:
        months.append(_month(day))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    by_month: dict[str, list[Any]] = {m: [] for m in months}
    for activity in activities:
        by_month[_month(activity.date)].append(activity)
    seen: set[str] = set()
    rows = []
    label = place if place is not None else "all"
    for month_key in months:
        new = 0
        for activity in by_month[month_key]:
            for rid in activity.attendees:
                if rid not in seen:
                    seen.add(rid)
                    new += 1
        rows.append(
            MonthRow(
                place=label,
                month=month_key,
                activities=len(by_month[month_key]),
                attendance=sum(a.headcount for a in by_month[month_key]),
                new_participants=new,
                participants_to_date=len(seen),
            )
        )
    return tuple(rows)


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
