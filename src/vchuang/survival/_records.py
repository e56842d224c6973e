"""From the graph's records to durations: retention, time to each stage, dormancy (private)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..errors import Problem, ValidationError
from ..kernel.checks import check_choice, check_whole
from ..model import Relation, Role, Stage
from ._estimators import kaplan_meier, logrank
from ._results import Dormancy, StageTimes, Survival

if TYPE_CHECKING:
    from ..graph import CommunityGraph
    from ..incubator import Transition
    from ..model import Resident

__all__ = ["BY", "dormancy", "months_before", "retention", "stage_times"]

#: How subjects can be grouped.
BY: tuple[str, ...] = ("community", "subdistrict", "none")
_CIVIC = frozenset({Role.VOLUNTEER, Role.TALENT, Role.LEADER})
_STAFF = frozenset({Role.SOCIAL_WORKER, Role.STAFF})


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter).

    >>> months_before(dt.date(2019, 12, 31), 3), months_before(dt.date(2020, 3, 31), 1)
    (datetime.date(2019, 9, 30), datetime.date(2020, 2, 29))
    """
    n = day.year * 12 + day.month - 1 - months
    year, month = divmod(n, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError  # pragma: no cover  (28 always exists)


def _as_of(graph: CommunityGraph, as_of: dt.date | None) -> dt.date:
    if as_of is not None:
        return as_of
    if graph.metadata.as_of is not None:
        return graph.metadata.as_of
    dates = [a.date for a in graph.activities()]
    return max(dates) if dates else dt.date.today()


def _grouper(graph: CommunityGraph, by: str) -> dict[str, str]:
    """Community ID → the group name for ``by``."""
    by = check_choice(by, BY, "by")
    out: dict[str, str] = {}
    for c in graph.communities():
        out[c.id] = "all" if by == "none" else (c.id if by == "community" else c.subdistrict)
    return out


def _survival(
    what: str,
    by: str,
    as_of: dt.date,
    rows: Sequence[tuple[str, str, dt.date, float, bool]],
    alpha: float,
    left_out: int = 0,
) -> Survival:
    subjects = tuple(r[0] for r in rows)
    groups = tuple(r[1] for r in rows)
    durations = np.asarray([r[3] for r in rows], dtype=np.float64)
    events = np.asarray([r[4] for r in rows], dtype=bool)
    test = logrank(durations, events, groups)
    curves = tuple(
        kaplan_meier(durations[mask], events[mask], alpha=alpha, group=g)
        for g in test.groups
        for mask in [np.asarray([x == g for x in groups], dtype=bool)]
    )
    return Survival(
        what=what,
        by=by,
        as_of=as_of,
        subjects=subjects,
        groups=groups,
        starts=tuple(r[2] for r in rows),
        durations=durations,
        events=events,
        overall=kaplan_meier(durations, events, alpha=alpha),
        curves=curves,
        logrank=test,
        left_out=left_out,
    )


def _activity_dates(
    graph: CommunityGraph, as_of: dt.date
) -> tuple[dict[str, list[dt.date]], dict[str, list[dt.date]]]:
    """Each resident's and each project's activity dates up to ``as_of``."""
    people: dict[str, list[dt.date]] = {}
    projects: dict[str, list[dt.date]] = {}
    for a in graph.activities():
        if a.date > as_of:
            continue
        for r in (*a.organisers, *a.attendees):
            people.setdefault(r, []).append(a.date)
        if a.project is not None:
            projects.setdefault(a.project, []).append(a.date)
    return people, projects


def _volunteers(graph: CommunityGraph, place: str | None, everyone: bool) -> list[Resident]:
    """The residents of ``place`` who volunteer (a volunteer, talent or leader role, or
    volunteering in, leading or organising anything), or all but staff (``everyone``)."""
    civic: set[str] = set()
    if not everyone:
        for rel in (Relation.VOLUNTEERS_IN, Relation.LEADS, Relation.CO_LEADS):
            civic.update(link.source for link in graph.links(relation=rel))
        for a in graph.activities():
            civic.update(a.organisers)
    return [
        r
        for r in graph.residents(place)
        if not _STAFF.intersection(r.roles)
        and (everyone or r.id in civic or bool(_CIVIC.intersection(r.roles)))
    ]


def retention(
    graph: CommunityGraph,
    place: str | None = None,
    *,
    dormant_after: int = 3,
    as_of: dt.date | None = None,
    by: str = "community",
    everyone: bool = False,
    alpha: float = 0.05,
) -> Survival:
    """How long volunteers stay: time from their first to their last activity.

    Parameters
    ----------
    graph : CommunityGraph
    place : str, optional
        Only the residents of this place (any level).
    dormant_after : int, default 3
        A volunteer whose last activity is more than this many months before ``as_of``
        has left (the event is seen, at their last activity); the others are still
        active and censored at ``as_of``.
    as_of : datetime.date, optional
        The data's date (default ``graph.metadata.as_of``, else the last activity's).
    by : {"community", "subdistrict", "none"}
        The groups compared with the log-rank test.
    everyone : bool, default False
        Count every resident with an activity, not only volunteers (residents with a
        volunteer, talent or leader role, or who volunteer in, lead or organise).
    alpha : float, default 0.05
        For the curves' confidence bands.

    Returns
    -------
    Survival
        Durations in days from each volunteer's first activity.

    Notes
    -----
    For volunteer :math:`i` with first and last activity :math:`f_i \\le l_i` and the
    data's date :math:`T`, the event is seen when :math:`l_i < T - N` months
    (:math:`N` = ``dormant_after``) and the duration is :math:`l_i - f_i`; otherwise the
    duration :math:`T - f_i` is censored. Social workers and staff are left out.

    Examples
    --------
    >>> from vchuang.datasets import longgang_pilot
    >>> r = retention(longgang_pilot())
    >>> r.what, r.logrank.df
    ('retention', 2)
    """
    dormant_after = check_whole(dormant_after, "dormant_after", minimum=1)
    group_of = _grouper(graph, by)
    day = _as_of(graph, as_of)
    cutoff = months_before(day, dormant_after)
    people, _ = _activity_dates(graph, day)
    rows: list[tuple[str, str, dt.date, float, bool]] = []
    for r in _volunteers(graph, place, everyone):
        if r.id not in people:
            continue
        dates = people[r.id]
        first, last = min(dates), max(dates)
        left = last < cutoff
        end = last if left else day
        rows.append((r.id, group_of[r.community], first, float((end - first).days), left))
    return _survival("retention", by, day, rows, alpha)


def stage_times(
    graph: CommunityGraph,
    history: Iterable[Transition],
    *,
    stages: Sequence[Stage | str] | None = None,
    graduation: Stage | str = Stage.RUNNING,
    place: str | None = None,
    as_of: dt.date | None = None,
    by: str = "community",
    alpha: float = 0.05,
) -> StageTimes:
    """Projects' time from their start to each incubation stage and to graduation.

    Parameters
    ----------
    graph : CommunityGraph
    history : iterable of vchuang.incubator.Transition
        The dated moves (``Incubator(graph).history``, or records read elsewhere).
    stages : sequence of Stage, optional
        The stages to time (default the four steps of the standard process and
        ``graduation``).
    graduation : Stage, default ``Stage.RUNNING``
        The stage that counts as graduating from incubation (running on its own).
    place : str, optional
        Only the projects of this place.
    as_of, by, alpha
        As for :func:`retention`.

    Returns
    -------
    StageTimes

    Notes
    -----
    A project's time 0 is its ``started`` date, else its first move, else its first
    activity. It reaches stage :math:`s` at its first move to :math:`s` or to a later
    stage of the process (:data:`vchuang.incubator.ORDER`). A project not there by
    ``as_of`` is censored at ``as_of``, or at the day it was dropped. A project already
    at or past :math:`s` with no dated move there (or with no date at all) cannot be
    timed and is counted in ``Survival.left_out``.
    """
    from ..incubator import ORDER, STEPS

    grad = Stage(graduation)
    wanted = [Stage(s) for s in (stages if stages is not None else (*STEPS, grad))]
    if grad not in wanted:
        wanted.append(grad)
    problems = [
        Problem("stages", f"{s.value!r} is not on the path of incubation")
        for s in wanted
        if s not in ORDER
    ]
    if problems:
        raise ValidationError(problems)
    wanted.sort(key=ORDER.index)
    rank = {s: i for i, s in enumerate(ORDER)}
    group_of = _grouper(graph, by)
    day = _as_of(graph, as_of)
    _, activity = _activity_dates(graph, day)
    moves: dict[str, list[Transition]] = {}
    for t in history:
        if t.date <= day:
            moves.setdefault(t.project, []).append(t)
    timed: list[Survival] = []
    for stage in wanted:
        rows: list[tuple[str, str, dt.date, float, bool]] = []
        left_out = 0
        for p in graph.projects(place):
            mine = sorted(moves.get(p.id, []), key=lambda t: t.date)
            start = p.started or (mine[0].date if mine else None)
            if start is None and p.id in activity:
                start = min(activity[p.id])
            reached = [t.date for t in mine
                       if t.to_stage in rank and rank[t.to_stage] >= rank[stage]]  # fmt: skip
            dropped = [t.date for t in mine if t.to_stage is Stage.DROPPED]
            if start is None or start > day:
                left_out += start is None
                continue
            if reached:
                rows.append((p.id, group_of[p.community], start,
                             float(max((reached[0] - start).days, 0)), True))  # fmt: skip
            elif p.stage in rank and rank[p.stage] >= rank[stage]:
                left_out += 1  # there, but no dated move says when
            else:
                end = dropped[0] if dropped else day
                rows.append((p.id, group_of[p.community], start,
                             float(max((end - start).days, 0)), False))  # fmt: skip
        timed.append(_survival(f"stage:{stage.value}", by, day, rows, alpha, left_out))
    return StageTimes(
        stages=tuple(s.value for s in wanted), graduation=grad.value, times=tuple(timed)
    )


def dormancy(
    graph: CommunityGraph,
    place: str | None = None,
    *,
    months: int = 3,
    kind: str = "resident",
    everyone: bool = False,
    as_of: dt.date | None = None,
) -> Dormancy:
    """Residents or projects with no activity for ``months`` months by ``as_of``.

    Parameters
    ----------
    graph : CommunityGraph
    place : str, optional
        Only those of this place (any level).
    months : int, default 3
        Dormant: the last activity is more than this many calendar months before
        ``as_of`` (or there is none).
    kind : {"resident", "project"}
        Residents (volunteers, see :func:`retention`; staff left out) or projects.
    everyone : bool, default False
        Residents: every resident with an activity, not only volunteers.
    as_of : datetime.date, optional
        As for :func:`retention`.

    Returns
    -------
    Dormancy

    Examples
    --------
    >>> from vchuang.datasets import longgang_pilot
    >>> d = dormancy(longgang_pilot(), kind="project", months=2)
    >>> d.kind, len(d)
    ('project', 11)
    """
    months = check_whole(months, "months", minimum=1)
    kind = check_choice(kind, ("resident", "project"), "kind")
    day = _as_of(graph, as_of)
    cutoff = months_before(day, months)
    people, projects = _activity_dates(graph, day)
    if kind == "project":
        items = [(p.id, p.community) for p in graph.projects(place)]
        dates = projects
    else:
        chosen = _volunteers(graph, place, everyone)
        items = [(r.id, r.community) for r in chosen if not everyone or r.id in people]
        dates = people
    last = tuple(max(dates[x]) if x in dates else None for x, _ in items)
    idle = np.asarray(
        [float((day - d).days) if d is not None else np.inf for d in last], dtype=np.float64
    )
    dormant = np.asarray([d is None or d < cutoff for d in last], dtype=bool)
    return Dormancy(
        kind=kind,
        months=months,
        as_of=day,
        ids=tuple(x for x, _ in items),
        groups=tuple(c for _, c in items),
        last=last,
        idle_days=idle,
        dormant=dormant,
    )
