"""The people's funnel: engaged → talent → leader → project lead, per community and
month by month (private; re-exported by :mod:`vchuang.incubator`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.display import html_table
from ..kernel.plotting import plot
from ..kernel.renames import UNSET, renamed
from ..kernel.text import text
from ..model import ActivityKind, Project, Relation, Role, Stage

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ._lifecycle import Incubator

__all__ = ["FUNNEL_STAGES", "Funnel", "FunnelPoint", "funnel"]

#: The stages of the people's funnel, widest first.
FUNNEL_STAGES: tuple[str, ...] = ("engaged", "talent", "leader", "project_lead")

#: English and Chinese labels of the funnel stages.
#: (From the text catalogue, ``incubator.funnel.<stage>``.)
FUNNEL_LABELS: Mapping[str, tuple[str, str]] = {
    s: (text(f"incubator.funnel.{s}", "en"), text(f"incubator.funnel.{s}", "zh"))
    for s in FUNNEL_STAGES
}


@attrs.frozen(kw_only=True)
class FunnelPoint:
    """The funnel at the end of one month, in one community (``None``: all of them)."""

    month: dt.date
    """The first day of the month; counts are as of its last day."""
    community: str | None
    counts: Mapping[str, int]


@attrs.frozen(kw_only=True)
class Funnel:
    """How many residents reached each stage of the people's funnel, per community
    and month by month.

    A resident counts at every stage up to the furthest they reached, so each stage's
    residents are a subset of the previous stage's.
    """

    place: str | None
    stages: tuple[str, ...]
    members: Mapping[str, tuple[str, ...]]
    """Stage → IDs of the residents who reached it, in graph order."""
    communities: tuple[str, ...]
    by_community: Mapping[str, Mapping[str, int]]
    """Community ID → stage → count."""
    reached: Mapping[str, Mapping[str, dt.date | None]]
    """Stage → resident ID → the date they reached it (``None``: before any dated
    record)."""
    community_of: Mapping[str, str]
    """Resident ID → community ID, for the residents counted."""
    led_projects: Mapping[str, tuple[str, ...]]
    """Community ID → its projects that have a lead (the "lines" the leads run)."""
    months: tuple[dt.date, ...]
    """The months of :attr:`series` (first days)."""
    series: tuple[FunnelPoint, ...]
    """Per month: all communities first (``community=None``), then each community."""

    def __repr__(self) -> str:
        return (
            f"Funnel(place={self.place!r}, counts={self.counts}, "
            f"communities={len(self.communities)}, projects={self.projects}, "
            f"months={len(self.months)})"
        )

    def _repr_html_(self) -> str:
        counts, rates = self.counts, self.conversion
        rows = [(s, counts[s], "" if rates[s] is None else f"{rates[s]:.0%}") for s in self.stages]
        caption = f"Funnel of {self.place or 'all'}: {len(self.communities)} communities"
        return html_table(caption, ("stage", "residents", "of previous"), rows)

    @property
    def counts(self) -> dict[str, int]:
        """Stage → how many residents reached it."""
        return {s: len(self.members[s]) for s in self.stages}

    @property
    def conversion(self) -> dict[str, float | None]:
        """Stage → its count over the previous stage's (``None`` for the first stage,
        or when the previous one is empty)."""
        counts = self.counts
        out: dict[str, float | None] = {self.stages[0]: None}
        for prev, stage in zip(self.stages, self.stages[1:], strict=False):
            out[stage] = counts[stage] / counts[prev] if counts[prev] else None
        return out

    @property
    def undated(self) -> dict[str, int]:
        """Stage → how many of its residents have no dated record of reaching it."""
        return {s: sum(1 for d in self.reached[s].values() if d is None) for s in self.stages}

    def count_on(
        self,
        as_of: dt.date | None = None,
        place: str | None = None,
        *,
        date: Any = UNSET,
        community: Any = UNSET,
    ) -> dict[str, int]:
        """Stage → residents who had reached it by ``as_of`` (undated ones included),
        in one community (``place``, a community ID) or all. ``date=`` and
        ``community=`` are the deprecated old names of ``as_of`` and ``place``."""
        as_of = renamed("Funnel.count_on", "date", date, "as_of", as_of)
        community = renamed("Funnel.count_on", "community", community, "place", place)
        if as_of is None:
            raise ValidationError([Problem("as_of", "give the day to count on")])
        day = as_of
        return {
            s: sum(
                1
                for r, d in self.reached[s].items()
                if (d is None or d <= day)
                and (community is None or self.community_of[r] == community)
            )
            for s in self.stages
        }

    @property
    def projects(self) -> int:
        """How many projects of the place have a lead: the third number of the case's
        "100+ engaged → 16 leaders → 10+ projects"."""
        return sum(len(p) for p in self.led_projects.values())

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per community, then a row ``"all"``: the count at each stage, the
        conversion from the previous stage, and the projects that have a lead."""
        rows = [
            self._row(c, self.by_community[c], len(self.led_projects[c])) for c in self.communities
        ]
        rows.append(self._row("all", self.counts, self.projects))
        return rows

    def _row(self, community: str, counts: Mapping[str, int], projects: int) -> dict[str, Any]:
        row: dict[str, Any] = {"community": community}
        prev = None
        for s in self.stages:
            row[s] = counts[s]
            if prev is not None:
                row[f"{s}_rate"] = round(counts[s] / counts[prev], 3) if counts[prev] else None
            prev = s
        row["projects"] = projects
        return row

    def series_rows(self) -> list[dict[str, Any]]:
        """One row per month and community (``"all"`` for the total)."""
        return [
            {"month": p.month.isoformat(), "community": p.community or "all", **p.counts}
            for p in self.series
        ]

    def plot(
        self,
        ax: Axes | None = None,
        *,
        lang: str = "en",
        over_time: bool = False,
        place: str | None = None,
        community: Any = UNSET,
    ) -> Axes:
        """A funnel chart, or the funnel month by month (``over_time=True``) (see
        :func:`vchuang.plot.plot_funnel`); ``place`` draws one community's funnel
        (``community=`` is its deprecated old name)."""
        place = renamed("Funnel.plot", "community", community, "place", place)
        out: Axes = plot(self, ax=ax, lang=lang, over_time=over_time, place=place)
        return out


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _earliest(found: dict[str, dt.date], rid: str, day: dt.date | None) -> None:
    if day is None:
        return
    old = found.get(rid)
    if old is None or day < old:
        found[rid] = day


def funnel(
    graph: CommunityGraph,
    *,
    incubator: Incubator | None = None,
    place: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Funnel:
    """The people's funnel: engaged → talent → leader → project lead, per community and
    month by month.

    ``engaged`` (热心居民)
        residents holding ``VOLUNTEER``, or any later stage;
    ``talent`` (能人)
        residents holding ``TALENT``, or any later stage;
    ``leader`` (社区领袖)
        residents holding ``LEADER``, or leading a project;
    ``project_lead`` (项目负责人)
        residents with a ``LEADS`` link to a project.

    Who is at which stage follows the graph as it is now; *when* they got there
    comes from dated records: the first activity a resident attended or organised, the
    ``since`` of their links, golden ideas they proposed (engaged); the first training
    they attended (talent); the ``since`` of a ``LEADS`` / ``CO_LEADS`` link, the first
    project activity they organised, a project's ``started`` date, and, with an
    ``incubator``, the date a project they lead entered empowerment (leader, project
    lead).

    Parameters
    ----------
    graph : CommunityGraph
        The graph.
    incubator : Incubator, optional
        Its transition history adds dates (a project's lead is known when it enters
        empowerment).
    place : str, optional
        A community, subdistrict or district; ``None`` for the whole graph.
    start, end : date, optional
        The months of the series; default: the first and last month with a dated
        record.

    Returns
    -------
    Funnel
        The counts per stage and community, the residents (by ID) at each stage, the
        date each reached it, and the monthly series.

    Raises
    ------
    ValidationError
        ``start`` is after ``end``.
    UnknownEntityError
        ``place`` is not in the graph.

    See Also
    --------
    pipeline : the projects' side: projects by incubation stage.
    record_training : the training that moves residents along the funnel.
    vchuang.incubator.Funnel.plot : the funnel, now or over time.

    Notes
    -----
    With :math:`P` the project leads, :math:`L`, :math:`T`, :math:`V` the holders of
    the leader, talent and volunteer roles, the stages are the nested sets
    :math:`S_4 = P`, :math:`S_3 = L \\cup S_4`, :math:`S_2 = T \\cup S_3`,
    :math:`S_1 = V \\cup S_2`, so :math:`|S_1| \\ge |S_2| \\ge |S_3| \\ge |S_4|`.
    The date resident :math:`r` reached stage :math:`k` is
    :math:`d_k(r) = \\min(e_k(r) \\cup \\{d_{k+1}(r)\\})`, with :math:`e_k(r)` the
    dates of its own records; a resident without any dated record for a stage has
    reached it "before the first record" (counted from the first month, and in
    :attr:`Funnel.undated`). So the sets stay nested month by month. Conversion
    rates :math:`|S_{k+1}| / |S_k|` read as a ladder of participation [1]_; the Longgang
    pilots report 100+ engaged residents, 16 leaders and 10+ projects.

    References
    ----------
    .. [1] Arnstein, S. R. (1969). A ladder of citizen participation. Journal of the
       American Institute of Planners, 35(4), 216–224.
       https://doi.org/10.1080/01944366908977225

    Examples
    --------
    >>> from vchuang import load_example
    >>> from vchuang.incubator import funnel
    >>> f = funnel(load_example())
    >>> f.counts
    {'engaged': 6, 'talent': 2, 'leader': 2, 'project_lead': 2}
    >>> [(p.month.isoformat(), p.counts["project_lead"]) for p in f.series
    ...  if p.community is None]
    [('2019-06-01', 0), ('2019-07-01', 0), ('2019-08-01', 2)]
    """
    if start is not None and end is not None and start > end:
        raise ValidationError([Problem("start", f"{start} is after end {end}")])
    residents = graph.residents(place)
    ids = [r.id for r in residents]
    inside = set(ids)
    community_of = {r.id: r.community for r in residents}
    communities = (
        tuple(c.id for c in graph.communities(place))
        if place is not None
        else tuple(c.id for c in graph.communities())
    )

    # who leads which project
    leads: dict[str, list[str]] = {}  # project -> LEADS residents
    co_leads: dict[str, list[str]] = {}
    for link in graph.links(relation=Relation.LEADS):
        if graph.kind_of(link.target) == "project":
            leads.setdefault(link.target, []).append(link.source)
    for link in graph.links(relation=Relation.CO_LEADS):
        co_leads.setdefault(link.target, []).append(link.source)
    project_leads = {r for rs in leads.values() for r in rs}

    members: dict[str, list[str]] = {s: [] for s in FUNNEL_STAGES}
    for r in residents:
        is_pl = r.id in project_leads
        is_leader = is_pl or Role.LEADER in r.roles
        is_talent = is_leader or Role.TALENT in r.roles
        is_engaged = is_talent or Role.VOLUNTEER in r.roles
        for stage, flag in zip(
            FUNNEL_STAGES, (is_engaged, is_talent, is_leader, is_pl), strict=True
        ):
            if flag:
                members[stage].append(r.id)

    own: dict[str, dict[str, dt.date]] = {s: {} for s in FUNNEL_STAGES}
    for activity in graph.activities():
        for rid in (*activity.organisers, *activity.attendees):
            if rid in inside:
                _earliest(own["engaged"], rid, activity.date)
        if activity.activity_kind is ActivityKind.TRAINING:
            for rid in activity.attendees:
                if rid in inside:
                    _earliest(own["talent"], rid, activity.date)
        if activity.project is not None:
            for rid in activity.organisers:
                if rid in inside:
                    if rid in leads.get(activity.project, ()):
                        _earliest(own["project_lead"], rid, activity.date)
                    if rid in leads.get(activity.project, ()) or rid in co_leads.get(
                        activity.project, ()
                    ):
                        _earliest(own["leader"], rid, activity.date)
    for rel in (Relation.VOLUNTEERS_IN, Relation.MEMBER_OF, Relation.LEADS, Relation.CO_LEADS):
        for link in graph.links(relation=rel):
            if link.source in inside:
                _earliest(own["engaged"], link.source, link.since)
                if rel in (Relation.LEADS, Relation.CO_LEADS):
                    _earliest(own["leader"], link.source, link.since)
                if rel is Relation.LEADS and link.target in leads:
                    _earliest(own["project_lead"], link.source, link.since)
    for proposal in graph.proposals():
        for rid in proposal.proposers:
            if rid in inside:
                _earliest(own["engaged"], rid, proposal.submitted)
    for project in graph.entities(Project):
        for rid in leads.get(project.id, ()):
            if rid in inside:
                _earliest(own["project_lead"], rid, project.started)
    if incubator is not None:
        for t in incubator.history:
            if t.to_stage is Stage.EMPOWERMENT and t.project in graph:
                for link in graph.links(relation=Relation.LEADS, target=t.project):
                    if link.source in inside and (link.since is None or link.since <= t.date):
                        _earliest(own["project_lead"], link.source, t.date)
                        _earliest(own["leader"], link.source, t.date)

    reached: dict[str, dict[str, dt.date | None]] = {}
    later: dict[str, dt.date | None] | None = None
    for stage in reversed(FUNNEL_STAGES):
        dates: dict[str, dt.date | None] = {}
        for rid in members[stage]:
            candidates = [own[stage].get(rid)]
            if later is not None and rid in later:
                candidates.append(later[rid])
            if any(c is None for c in candidates[1:]) or all(c is None for c in candidates):
                dates[rid] = None  # reached before any dated record
            else:
                dates[rid] = min(c for c in candidates if c is not None)
        reached[stage] = dates
        later = dates
    reached = {s: reached[s] for s in FUNNEL_STAGES}

    by_community = {
        c: {s: sum(1 for r in members[s] if community_of[r] == c) for s in FUNNEL_STAGES}
        for c in communities
    }
    known = sorted({d for ds in reached.values() for d in ds.values() if d is not None})
    first = start if start is not None else (known[0] if known else None)
    last = end if end is not None else (known[-1] if known else None)
    months: list[dt.date] = []
    if first is not None and last is not None and first <= last:
        m = _month(first)
        while m <= last:
            months.append(m)
            m = _next_month(m)
    series: list[FunnelPoint] = []
    for m in months:
        cutoff = _next_month(m) - dt.timedelta(days=1)
        per: dict[str | None, dict[str, int]] = {None: dict.fromkeys(FUNNEL_STAGES, 0)}
        for c in communities:
            per[c] = dict.fromkeys(FUNNEL_STAGES, 0)
        for s in FUNNEL_STAGES:
            for rid, d in reached[s].items():
                if d is None or d <= cutoff:
                    per[None][s] += 1
                    if community_of[rid] in per:
                        per[community_of[rid]][s] += 1
        series += [FunnelPoint(month=m, community=c, counts=counts) for c, counts in per.items()]
    return Funnel(
        place=place,
        stages=FUNNEL_STAGES,
        members={s: tuple(members[s]) for s in FUNNEL_STAGES},
        communities=communities,
        by_community=by_community,
        reached=reached,
        community_of=community_of,
        led_projects={
            c: tuple(p.id for p in graph.projects(c) if p.id in leads) for c in communities
        },
        months=tuple(months),
        series=tuple(series),
    )
