"""The incubation policy: the stages, what each step's checklist asks, and what lets a
project enter each stage (private; re-exported by :mod:`vchuang.incubator`).

This is the one file a social-work lead reads to see the rules of the standard process
(种子遴选 → 种子培力赋能 → 品牌创建 → 资源联动):

* :data:`ORDER`, :data:`STEPS` and :data:`TRANSITIONS` -- the stages and which may
  follow which;
* :func:`default_checklists` -- what must be done in each step before leaving it;
* the guards (``_g_<stage>`` below, collected in ``GUARDS``) -- what entering each
  stage needs, in the words a refused move reports.

:class:`~vchuang.incubator.Incubator` (in ``_lifecycle.py``) applies these rules,
records the moves and replays the history; it holds no rule of its own. Every check
reads the graph through ``_evidence.py``, so one rule decides what counts on a date.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from ..kernel.said import Said, Words, say_in
from ..model import (
    ActivityKind,
    Organization,
    OrgKind,
    Project,
    Relation,
    Resident,
    Resource,
    Stage,
)
from . import _evidence as ev
from ._records import ChecklistItem

if TYPE_CHECKING:
    from ._lifecycle import Incubator

__all__ = ["GUARDS", "ORDER", "STEPS", "TRANSITIONS", "default_checklists"]


#: The forward order of the stages, from idea to sustained (``DROPPED`` is off it).
ORDER: tuple[Stage, ...] = (
    Stage.IDEA,
    Stage.PROPOSED,
    Stage.SELECTED,
    Stage.SEED_SELECTION,
    Stage.EMPOWERMENT,
    Stage.BRANDING,
    Stage.RESOURCE_LINKAGE,
    Stage.RUNNING,
    Stage.COMPLETED,
    Stage.SUSTAINED,
)

#: The four steps of the incubator's standard process (the toolkit): seed selection
#: (种子遴选) → empowerment (种子培力赋能) → brand creation (品牌创建) → resource
#: linkage (资源联动).
STEPS: tuple[Stage, ...] = (
    Stage.SEED_SELECTION,
    Stage.EMPOWERMENT,
    Stage.BRANDING,
    Stage.RESOURCE_LINKAGE,
)

#: The stages each stage may move to: the next stage of :data:`ORDER`, or ``DROPPED``.
#: A dropped project stays dropped.
TRANSITIONS: Mapping[Stage, tuple[Stage, ...]] = {
    **{a: (b, Stage.DROPPED) for a, b in itertools.pairwise(ORDER)},
    Stage.SUSTAINED: (Stage.DROPPED,),
    Stage.DROPPED: (),
}


#: The skills of the default empowerment checklist, from the case: coaching in
#: activity-plan design, funding application and reimbursement, running an activity,
#: writing a press release, public speaking.
COACHING: tuple[tuple[str, str, str], ...] = (
    ("plan_design", "coaching in activity-plan design", "活动方案设计辅导"),
    ("funding_application", "coaching in funding application", "经费申请辅导"),
    ("reimbursement", "coaching in reimbursement", "经费报销辅导"),
    ("event_organising", "coaching in running an activity", "活动执行辅导"),
    ("press_release", "coaching in writing a press release", "新闻稿写作辅导"),
    ("public_speaking", "coaching in public speaking", "公众演讲辅导"),
)


# --------------------------------------------------------------------------- checklists


def _has_theme(_inc: Incubator, project: Project, _day: dt.date | None) -> str | None:
    if project.themes:
        return Said("incubator.item.theme", themes=ev.listed(project.themes))
    return None


def _has_audience(_inc: Incubator, project: Project, _day: dt.date | None) -> str | None:
    if project.target_segments:
        return Said("incubator.item.audience", segments=ev.listed(project.target_segments))
    return None


def _brand_name(name: str, name_zh: str = "") -> Words:
    return Words(repr(name), name_zh or name)


def _has_name(inc: Incubator, project: Project, day: dt.date | None) -> str | None:
    brand = inc.brand_of(project.id, as_of=day)
    if brand is not None:
        name = _brand_name(brand.name, brand.name_zh)
        return Said("incubator.item.brand", name=name, date=brand.date)
    if project.name_zh:
        return Said("incubator.item.known_as", name=project.name_zh)
    return None


def _has_outreach(inc: Incubator, project: Project, day: dt.date | None) -> str | None:
    found = ev.activities_of(inc.graph, project.id, day, ActivityKind.OUTREACH)
    if found:
        return Said("incubator.item.outreach", activity=found[0].id, date=found[0].date)
    return None


def _resource_needs_linked(inc: Incubator, project: Project, day: dt.date | None) -> str | None:
    graph = inc.graph
    wanted = [n for n in project.needs if n.resource is not None]
    if not wanted:
        return Said("incubator.item.no_resource_needs")
    linked = {
        graph.get(link.source, Resource).resource_kind
        for link in graph.links(relation=Relation.LINKED_TO, target=project.id)
        if ev.live(link, day)
    }
    missing = [n for n in wanted if n.resource not in linked]
    if missing:
        return None
    return Said("incubator.item.resources_linked", n=len(wanted))


def default_checklists() -> dict[Stage, tuple[ChecklistItem, ...]]:
    """The checklist of each incubation step, following the Longgang case.

    * seed selection (种子遴选): name the pain point; say whom the project serves;
    * empowerment (种子培力赋能): coaching in activity-plan design, funding application,
      reimbursement, running an activity, writing a press release and public speaking
      (skills ``plan_design``, ``funding_application``, ``reimbursement``,
      ``event_organising``, ``press_release``, ``public_speaking``);
    * brand creation (品牌创建): a name residents know (a Chinese name or a recorded
      brand); a first outreach campaign (宣传活动);
    * resource linkage (资源联动): a linked resource for every resource need.

    Returns
    -------
    dict
        Stage → checklist items; a new dict each call, to change freely.

    Examples
    --------
    >>> from vchuang import Stage
    >>> [item.skill for item in default_checklists()[Stage.EMPOWERMENT]]
    ['plan_design', 'funding_application', 'reimbursement', 'event_organising', 'press_release', 'public_speaking']
    """
    return {
        Stage.SEED_SELECTION: (
            ChecklistItem(
                id="pain_point",
                en="name the pain point (痛点) the project answers",
                zh="明确项目回应的社区痛点",
                test=_has_theme,
                hint=Said("incubator.hint.theme"),
            ),
            ChecklistItem(
                id="audience",
                en="say whom the project serves (服务对象)",
                zh="明确服务对象",
                test=_has_audience,
                hint=Said("incubator.hint.audience"),
            ),
        ),
        Stage.EMPOWERMENT: tuple(
            ChecklistItem(id=skill, en=en, zh=zh, skill=skill) for skill, en, zh in COACHING
        ),
        Stage.BRANDING: (
            ChecklistItem(
                id="brand_name",
                en="give the project a name residents know it by",
                zh="确定项目品牌名称",
                test=_has_name,
                hint=Said("incubator.hint.brand_name"),
            ),
            ChecklistItem(
                id="outreach",
                en="hold a first outreach campaign (宣传活动) under that name",
                zh="开展首次宣传活动",
                test=_has_outreach,
                hint=Said("incubator.hint.outreach"),
            ),
        ),
        Stage.RESOURCE_LINKAGE: (
            ChecklistItem(
                id="resource_needs",
                en="link a resource for every resource the project needs",
                zh="为每项资源需求链接资源",
                test=_resource_needs_linked,
                hint=Said("incubator.hint.resource_needs"),
            ),
        ),
    }


# --------------------------------------------------------------------------- guards

_GuardResult = tuple[bool, str, str]


def joined(parts: list[str]) -> str:
    """Sentences joined by ``"; "`` (``"；"`` in Chinese); one sentence as it is."""
    if len(parts) == 1:
        return parts[0]
    return Words("; ".join(parts), "；".join(say_in(x, "zh") for x in parts))


def _yes(reason: str) -> _GuardResult:
    return True, reason, ""


def _no(reason: str, hint: str) -> _GuardResult:
    return False, reason, hint


def _g_proposed(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    for proposal in inc.graph.proposals():
        if proposal.project == p.id and ev.in_time(proposal.submitted, day):
            return _yes(Said("incubator.guard.proposed.idea", proposal=proposal.id))
    if p.description.strip() or p.themes:
        return _yes(Said("incubator.guard.proposed.written"))
    return _no(Said("incubator.guard.proposed.no"), Said("incubator.hint.proposed"))


def _g_selected(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    graph = inc.graph
    places = set(graph.hierarchy(p.community))
    meetings = sorted(
        (
            a
            for a in graph.activities(activity_kind=ActivityKind.SELECTION_MEETING)
            if (a.project == p.id or (a.project is None and a.place in places))
            and ev.in_time(a.date, day)
        ),
        key=lambda a: (a.date, a.id),
    )
    if meetings:
        last = meetings[-1]
        return _yes(Said("incubator.guard.selected.yes", meeting=last.id, date=last.date))
    return _no(Said("incubator.guard.selected.no", by=ev.by(day)), Said("incubator.hint.selected"))


def _g_seed(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    seeds = ev.attached(inc.graph, p.id, day)
    if seeds:
        return _yes(Said("incubator.guard.seed.yes", residents=ev.listed(seeds)))
    return _no(Said("incubator.guard.seed.no"), Said("incubator.hint.seed"))


def _g_empowerment(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    leads = ev.lead_ids(inc.graph, p.id, day)
    if leads:
        return _yes(Said("incubator.guard.empowerment.yes", leads=ev.listed(leads)))
    return _no(Said("incubator.guard.empowerment.no"), Said("incubator.hint.lead"))


def _g_branding(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    graph = inc.graph
    leads = ev.lead_ids(graph, p.id, day)
    if not leads:
        return _no(Said("incubator.guard.branding.no_lead"), Said("incubator.hint.lead"))
    skills = [
        (i.skill, i.level) for i in inc.checklists.get(Stage.EMPOWERMENT, ()) if i.skill is not None
    ]
    for rid in leads:
        trainings = ev.trainings_of(graph, rid, day)
        if trainings:
            first = trainings[0]
            return _yes(
                Said(
                    "incubator.guard.branding.trained", lead=rid, training=first.id, date=first.date
                )
            )
        resident = graph.get(rid, Resident)
        if skills and all(ev.holds(graph, resident, skill, level) for skill, level in skills):
            return _yes(Said("incubator.guard.branding.skilled", lead=rid))
    return _no(
        Said("incubator.guard.branding.no", leads=ev.listed(leads), by=ev.by(day)),
        Said("incubator.hint.training"),
    )


def _g_linkage(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    brand = inc.brand_of(p.id, as_of=day)
    if brand is not None:
        name = _brand_name(brand.name, brand.name_zh)
        return _yes(
            Said("incubator.guard.linkage.brand", name=name, date=brand.date, who=brand.who)
        )
    outreach = ev.activities_of(inc.graph, p.id, day, ActivityKind.OUTREACH)
    if p.name_zh and outreach:
        first = outreach[0]
        return _yes(
            Said(
                "incubator.guard.linkage.known", name=p.name_zh, activity=first.id, date=first.date
            )
        )
    lacks = []
    if not p.name_zh:
        lacks.append(Said("incubator.guard.linkage.lacks_name"))
    if not outreach:
        lacks.append(Said("incubator.guard.linkage.lacks_outreach"))
    lacking = Words(" and ".join(lacks), "，也没有".join(x.render("zh") for x in lacks))
    return _no(
        Said("incubator.guard.linkage.no", lacks=lacking, by=ev.by(day)),
        Said("incubator.hint.brand"),
    )


def _g_running(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    graph = inc.graph
    found: list[str] = []
    if p.budget_fen > 0:
        found.append(Said("incubator.guard.running.budget", amount=ev.yuan(p.budget_fen)))
    found += [
        Said("incubator.guard.running.linked", resource=link.source)
        for link in graph.links(relation=Relation.LINKED_TO, target=p.id)
        if ev.live(link, day)
    ]
    found += [
        Said("incubator.guard.running.funded", funder=link.source)
        for link in graph.links(relation=Relation.FUNDS, target=p.id)
        if ev.live(link, day)
    ]
    if found:
        return _yes(joined(found))
    return _no(Said("incubator.guard.running.no", by=ev.by(day)), Said("incubator.hint.running"))


def _g_completed(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    done = ev.activities_of(inc.graph, p.id, day)
    if done:
        key = "incubator.guard.completed.one" if len(done) == 1 else "incubator.guard.completed.yes"
        return _yes(Said(key, n=len(done), date=done[-1].date))
    return _no(
        Said("incubator.guard.completed.no", by=ev.by(day)), Said("incubator.hint.activities")
    )


def _g_sustained(inc: Incubator, p: Project, day: dt.date | None) -> _GuardResult:
    graph = inc.graph
    for link in graph.links(relation=Relation.FUNDS, target=p.id):
        org = graph.get(link.source, Organization)
        if org.org_kind is OrgKind.FUND and ev.live(link, day):
            return _yes(Said("incubator.guard.sustained.fund", fund=org.id))
    completed = [t.date for t in inc.history_of(p.id) if t.to_stage is Stage.COMPLETED]
    if completed:
        later = [a for a in ev.activities_of(graph, p.id, day) if a.date > completed[-1]]
        if later:
            return _yes(
                Said("incubator.guard.sustained.active", activity=later[-1].id, date=later[-1].date)
            )
    since = (
        Said("incubator.guard.sustained.since", date=completed[-1]) if completed else Words("", "")
    )
    return _no(
        Said("incubator.guard.sustained.no", since=since, by=ev.by(day)),
        Said("incubator.hint.sustained"),
    )


def _g_dropped(_inc: Incubator, _p: Project, _day: dt.date | None) -> _GuardResult:
    return _yes(Said("incubator.guard.dropped"))


def _g_none(_inc: Incubator, p: Project, _day: dt.date | None) -> _GuardResult:
    return _yes(Said("incubator.guard.idea", project=p.id))


#: What entering each stage needs: ``GUARDS[stage](incubator, project, day)`` gives
#: ``(ok, reason, hint)``.
GUARDS: Mapping[Stage, Callable[[Incubator, Project, dt.date | None], _GuardResult]] = {
    Stage.IDEA: _g_none,
    Stage.PROPOSED: _g_proposed,
    Stage.SELECTED: _g_selected,
    Stage.SEED_SELECTION: _g_seed,
    Stage.EMPOWERMENT: _g_empowerment,
    Stage.BRANDING: _g_branding,
    Stage.RESOURCE_LINKAGE: _g_linkage,
    Stage.RUNNING: _g_running,
    Stage.COMPLETED: _g_completed,
    Stage.SUSTAINED: _g_sustained,
    Stage.DROPPED: _g_dropped,
}
