"""Coding the records on the ladder (private)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from ..errors import Problem, ValidationError
from ..kernel.checks import check_choice, check_whole
from ..model import Relation
from ._ladder import DEFAULT_LADDER, Ladder
from ._results import Participation, Step

if TYPE_CHECKING:
    from ..graph import CommunityGraph

__all__ = ["PERIODS", "participation"]

#: The periods the timeline can be cut into.
PERIODS: tuple[str, ...] = ("month", "quarter")


def period_of(day: dt.date, period: str) -> int:
    """A running number of the month or quarter ``day`` falls in."""
    return (
        day.year * 12 + day.month - 1 if period == "month" else day.year * 4 + (day.month - 1) // 3
    )


def period_label(number: int, period: str) -> str:
    """``"2019-07"`` or ``"2019Q3"`` for a running number from :func:`period_of`."""
    if period == "month":
        return f"{number // 12}-{number % 12 + 1:02d}"
    return f"{number // 4}Q{number % 4 + 1}"


def _steps(graph: CommunityGraph, ladder: Ladder, wanted: set[str]) -> Iterator[Step]:
    """Every piece of evidence about the residents in ``wanted``."""
    roles = ladder.roles
    first: dict[tuple[str, str], dt.date] = {}  # (resident, project) -> first activity
    project_first: dict[str, dt.date] = {}
    for a in graph.activities():
        if a.project is not None and (
            a.project not in project_first or a.date < project_first[a.project]
        ):
            project_first[a.project] = a.date
        rung = ladder.attended.get(a.activity_kind)
        if rung is not None:
            for r in a.attendees:
                if r in wanted:
                    yield Step(resident=r, rung=rung, source="attended", about=a.id,
                               date=a.date, kind=a.activity_kind)  # fmt: skip
        for r in a.organisers:
            if r in wanted and "organised" in roles:
                yield Step(resident=r, rung=roles["organised"], source="organised", about=a.id,
                           date=a.date)  # fmt: skip
        if a.project is not None:
            for r in (*a.attendees, *a.organisers):
                key = (r, a.project)
                if r in wanted and (key not in first or a.date < first[key]):
                    first[key] = a.date
    started = {p.id: p.started for p in graph.projects()}
    for relation in (Relation.VOLUNTEERS_IN, Relation.MEMBER_OF, Relation.LEADS, Relation.CO_LEADS):
        source = relation.value
        if source not in roles:
            continue
        for link in graph.links(relation=relation):
            if link.source not in wanted:
                continue
            day = link.since
            if day is None and link.target in started:
                if relation is Relation.VOLUNTEERS_IN:  # from their first activity in it
                    day = first.get((link.source, link.target))
                else:  # a lead from the project's start, else its first activity
                    day = started[link.target] or project_first.get(link.target)
            yield Step(resident=link.source, rung=roles[source], source=source,
                       about=link.target, date=day)  # fmt: skip
    if "proposed" in roles:
        for p in graph.proposals():
            for r in p.proposers:
                if r in wanted:
                    yield Step(resident=r, rung=roles["proposed"], source="proposed", about=p.id,
                               date=p.submitted)  # fmt: skip


def participation(
    graph: CommunityGraph,
    place: str | None = None,
    *,
    ladder: Ladder = DEFAULT_LADDER,
    as_of: dt.date | None = None,
    period: str = "quarter",
    threshold: int = 5,
) -> Participation:
    """Code every resident's involvement on a participation ladder.

    Each record of involvement puts a resident on a rung (see :class:`Ladder`):
    attending an activity (by its kind), organising one, volunteering in a project,
    belonging to a group, proposing a golden idea, leading or co-leading. A resident's
    rung is the highest any of their records shows.

    Parameters
    ----------
    graph : CommunityGraph
    place : str, optional
        Only the residents of this place (any level); all residents when ``None``.
        Their involvement anywhere counts.
    ladder : Ladder
        The rungs and what puts a resident on each (default :data:`DEFAULT_LADDER`).
    as_of : datetime.date, optional
        Records after this day are left out; default the data's date
        (``graph.metadata.as_of``), else the last activity's, else today.
    period : {"quarter", "month"}
        The periods of the timeline and the transition matrix.
    threshold : int, default 5
        Counts of people below it are hidden in :meth:`Participation.community_rows`
        and :meth:`Participation.transition_rows`.

    Returns
    -------
    Participation

    Raises
    ------
    ValidationError
        ``period`` or ``threshold`` is not allowed, or ``place`` is unknown.

    Notes
    -----
    Residents with a role in ``ladder.excluded`` (social workers, staff) are left out.
    A link without a ``since`` date is dated by the resident's first activity in its
    project (volunteering), or by the project's start, else its first activity
    (leading); a group membership or a proposal without a date counts for the highest
    rung but not for the timeline (``Participation.undated`` counts them).

    The rung of resident :math:`r` in period :math:`t` is the highest rung of the
    dated evidence within :math:`t` (none when there is none); the transition matrix
    :math:`M_{ab}` counts the pairs :math:`(r, t)` with rung :math:`a` in :math:`t` and
    :math:`b` in :math:`t + 1`. A resident who comes once and never again moves down to
    "none": the matrix shows who stays, climbs and drops out.

    The ladder follows Arnstein's [1]_ ladder of citizen participation, read for the
    residents of a community programme rather than for citizens facing a government:
    *informed* (told about it), *consulted* (asked for views or ideas), *involved*
    (taking part in the work), *organising* (running activities), *leading* (leading a
    project).

    References
    ----------
    .. [1] Arnstein, S. R. (1969). A ladder of citizen participation. *Journal of the
       American Institute of Planners*, 35(4), 216-224.
       https://doi.org/10.1080/01944366908977225

    Examples
    --------
    >>> from vchuang.datasets import longgang_pilot
    >>> result = participation(longgang_pilot(), "pingnan")
    >>> result.rung("pn-r001")
    'leading'
    >>> [row["from"] for row in result.transition_rows()][:2]
    ['none', 'informed']
    """
    period = check_choice(period, PERIODS, "period")
    threshold = check_whole(threshold, "threshold", minimum=1)
    if place is not None and place not in graph:
        raise ValidationError([Problem("place", f"unknown place {place!r}")])
    excluded = set(ladder.excluded)
    people = [r for r in graph.residents(place) if not excluded.intersection(r.roles)]
    ids = tuple(r.id for r in people)
    row = {r: i for i, r in enumerate(ids)}
    steps = list(_steps(graph, ladder, set(ids)))
    if as_of is None:
        as_of = graph.metadata.as_of
    if as_of is None:
        dates = [s.date for s in steps if s.date is not None]
        as_of = max(dates) if dates else dt.date.today()
    steps = [s for s in steps if s.date is None or s.date <= as_of]

    n = len(ids)
    highest = np.full(n, -1, dtype=np.int64)
    basis: list[Step | None] = [None] * n
    rank = {rung: i for i, rung in enumerate(ladder.rungs)}
    undated = 0
    far = dt.date.max
    for s in steps:
        i, k = row[s.resident], rank[s.rung]
        best = basis[i]
        if k > highest[i] or (
            k == highest[i] and best is not None and (s.date or far) < (best.date or far)
        ):
            highest[i] = k
            basis[i] = s
        undated += s.date is None

    dated = [s for s in steps if s.date is not None]
    if dated:
        lo = min(period_of(s.date, period) for s in dated if s.date is not None)
        hi = period_of(as_of, period)
        periods = tuple(period_label(t, period) for t in range(lo, hi + 1))
        timeline = np.full((n, len(periods)), -1, dtype=np.int64)
        r_idx = np.fromiter((row[s.resident] for s in dated), np.int64, len(dated))
        t_idx = np.fromiter(
            (period_of(s.date, period) - lo for s in dated if s.date is not None),
            np.int64,
            len(dated),
        )
        k_idx = np.fromiter((rank[s.rung] for s in dated), np.int64, len(dated))
        np.maximum.at(timeline, (r_idx, t_idx), k_idx)
    else:
        periods = ()
        timeline = np.full((n, 0), -1, dtype=np.int64)
    return Participation(
        ladder=ladder,
        place=place,
        as_of=as_of,
        period=period,
        threshold=threshold,
        residents=ids,
        communities=tuple(r.community for r in people),
        highest=highest,
        basis=tuple(basis),
        periods=periods,
        timeline=timeline,
        undated=undated,
    )
