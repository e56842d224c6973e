"""Tests of vchuang.incubator: lifecycle, checklists, training, funnel, linkage, plots.

The heart is a Hypothesis state machine that throws random sequences of actions at an
incubator (new projects, leads, activities, trainings, brands, resources, moves to any
stage on any day, moves dated in the past) and checks after every step that

* no project is ever at a stage the transition table does not reach, and the history
  is never lost or rewritten;
* replaying the history to a date gives the stages recorded on that date;
* every refused move says why, and changes nothing;
* the funnel counts agree with the graph;
* a training changes exactly the skills and roles it should.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from matplotlib.axes import Axes

import vchuang
from conftest import chinese_figures
from strategies import graphs
from vchuang import (
    Activity,
    ActivityKind,
    Community,
    CommunityGraph,
    District,
    FormatError,
    IntegrityError,
    Level,
    Link,
    Need,
    Organization,
    OrgKind,
    Project,
    Relation,
    Resident,
    Resource,
    ResourceKind,
    Role,
    Segment,
    Stage,
    Subdistrict,
    UnknownEntityError,
    ValidationError,
)
from vchuang.incubator import (
    FUNNEL_STAGES,
    ORDER,
    TRANSITIONS,
    ChecklistItem,
    Incubator,
    Transition,
    TransitionRefused,
    accept_link,
    default_checklists,
    funnel,
    pipeline,
    propose_links,
    record_training,
)
from vchuang.plot import cjk_fonts

D = dt.date
COACHING = [i.skill for i in default_checklists()[Stage.EMPOWERMENT]]


# --------------------------------------------------------------------------- helpers


def small_graph() -> CommunityGraph:
    """Two communities under one street; a hub, a fund, a volunteers' organisation, a
    venue; a social worker and six residents."""
    g = CommunityGraph()
    g.add(
        District(id="d", name="District"),
        Subdistrict(id="s", name="Street", district="d"),
        Community(id="c1", name="One", name_zh="一社区", subdistrict="s"),
        Community(id="c2", name="Two", subdistrict="s"),
        Segment(id="kids", name="Children", place="c1"),
        Organization(id="hub", name="Street hub", org_kind=OrgKind.HUB, place="s"),
        Organization(id="dhub", name="District hub", org_kind=OrgKind.HUB, place="d"),
        Organization(id="mf", name="Micro-fund", org_kind=OrgKind.FUND, place="c1"),
        Organization(
            id="vols", name="Volunteers", org_kind=OrgKind.SOCIAL_ORGANISATION, place="c1"
        ),
        Resource(
            id="hall",
            name="Hall",
            resource_kind=ResourceKind.VENUE,
            place="c1",
            provider="vols",
            capacity=50,
            unit="people",
        ),
        Resource(id="hall2", name="Other hall", resource_kind=ResourceKind.VENUE, place="c2"),
        Resource(
            id="grant",
            name="Grant",
            resource_kind=ResourceKind.MONEY,
            place="d",
            amount_fen=500_000,
        ),
        Resident(id="sw", name="Worker", community="c1", roles=[Role.SOCIAL_WORKER]),
        *(
            Resident(
                id=f"r{i}",
                name=f"Resident {i}",
                community="c1" if i < 4 else "c2",
                roles=[Role.VOLUNTEER] if i % 2 == 0 else [],
            )
            for i in range(6)
        ),
    )
    g.link("r5", Relation.MEMBER_OF, "vols")
    return g


def expected_funnel(graph: CommunityGraph, place: str | None = None) -> dict[str, set[str]]:
    """The funnel's sets computed straight from the graph, as documented."""
    residents = graph.residents(place)
    pl = {
        link.source
        for link in graph.links(relation=Relation.LEADS)
        if graph.kind_of(link.target) == "project"
    }
    out: dict[str, set[str]] = {s: set() for s in FUNNEL_STAGES}
    for r in residents:
        if r.id in pl:
            out["project_lead"].add(r.id)
        if r.id in pl or Role.LEADER in r.roles:
            out["leader"].add(r.id)
        if r.id in out["leader"] or Role.TALENT in r.roles:
            out["talent"].add(r.id)
        if r.id in out["talent"] or Role.VOLUNTEER in r.roles:
            out["engaged"].add(r.id)
    return out


def check_funnel(graph: CommunityGraph, incubator: Incubator | None = None) -> None:
    f = funnel(graph, incubator=incubator)
    want = expected_funnel(graph)
    assert {s: set(f.members[s]) for s in FUNNEL_STAGES} == want
    assert f.counts == {s: len(want[s]) for s in FUNNEL_STAGES}
    for c in f.communities:
        inside = {r.id for r in graph.residents(c)}
        assert f.by_community[c] == {s: len(want[s] & inside) for s in FUNNEL_STAGES}
    for a, b in itertools.pairwise(FUNNEL_STAGES):
        assert set(f.members[b]) <= set(f.members[a])
    # month by month: nested, never shrinking, never above the total
    previous: dict[str | None, dict[str, int]] = {}
    for point in f.series:
        counts = [point.counts[s] for s in FUNNEL_STAGES]
        assert counts == sorted(counts, reverse=True)
        before = previous.get(point.community)
        if before is not None:
            assert all(point.counts[s] >= before[s] for s in FUNNEL_STAGES)
        previous[point.community] = dict(point.counts)
        if point.community is None:
            assert all(point.counts[s] <= f.counts[s] for s in FUNNEL_STAGES)
    if f.series:
        assert previous[None] == f.counts  # by the last month everyone dated has arrived
    assert f.count_on(D(2100, 1, 1)) == f.counts


# --------------------------------------------------------------------------- state machine


class IncubatorMachine(RuleBasedStateMachine):
    """Random actions on an incubator; the invariants below must hold after each."""

    @initialize()
    def start(self) -> None:
        self.graph = small_graph()
        self.inc = Incubator(self.graph)
        self.today = D(2019, 1, 1)
        self.projects: list[str] = []
        self.recorded: list[Transition] = []
        self.snapshots: dict[dt.date, dict[str, Stage]] = {}
        self.n = 0
        self.snapshot()

    def fresh(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"

    def snapshot(self) -> None:
        self.snapshots[self.today] = {p: self.graph.get(p, Project).stage for p in self.projects}

    def residents(self) -> list[str]:
        return [r.id for r in self.graph.residents() if r.id != "sw"]

    # ---------------------------------------------------------------- actions

    @rule(days=st.integers(0, 40))
    def tick(self, days: int) -> None:
        self.today += dt.timedelta(days=days)
        self.snapshot()

    @rule(
        stage=st.sampled_from([Stage.IDEA, Stage.IDEA, Stage.SELECTED, Stage.SEED_SELECTION]),
        themed=st.booleans(),
        zh=st.booleans(),
        budget=st.sampled_from([0, 0, 100_000]),
        community=st.sampled_from(["c1", "c2"]),
        venue=st.booleans(),
    )
    def add_project(
        self, stage: Stage, themed: bool, zh: bool, budget: int, community: str, venue: bool
    ) -> None:
        pid = self.fresh("p")
        needs = [Need(id=f"{pid}-venue", resource=ResourceKind.VENUE)] if venue else []
        self.graph.add(
            Project(
                id=pid,
                name=f"Project {pid}",
                name_zh="项目" if zh else "",
                community=community,
                themes=["anti_fraud"] if themed else [],
                stage=stage,
                budget_fen=budget,
                target_segments=["kids"] if themed and community == "c1" else [],
                needs=needs,
            )
        )
        self.projects.append(pid)
        self.snapshot()

    @precondition(lambda self: self.projects)
    @rule(
        data=st.data(),
        relation=st.sampled_from([Relation.LEADS, Relation.CO_LEADS, Relation.VOLUNTEERS_IN]),
        dated=st.booleans(),
    )
    def attach(self, data: st.DataObject, relation: Relation, dated: bool) -> None:
        pid = data.draw(st.sampled_from(self.projects))
        rid = data.draw(st.sampled_from(self.residents()))
        if not self.graph.links(rid, relation, pid):
            self.graph.link(rid, relation, pid, since=self.today if dated else None)

    @rule(
        data=st.data(),
        kind=st.sampled_from(
            [ActivityKind.OUTREACH, ActivityKind.SELECTION_MEETING, ActivityKind.SERVICE]
        ),
        own=st.booleans(),
    )
    def add_activity(self, data: st.DataObject, kind: ActivityKind, own: bool) -> None:
        project = data.draw(st.sampled_from(self.projects)) if own and self.projects else None
        place = self.graph.get(project, Project).community if project else "c1"
        attendees = data.draw(st.lists(st.sampled_from(self.residents()), unique=True, max_size=3))
        self.graph.add(
            Activity(
                id=self.fresh("a"),
                name="Activity",
                activity_kind=kind,
                date=self.today,
                place=place,
                project=project,
                organisers=["sw"],
                attendees=attendees,
            )
        )

    @rule(
        data=st.data(),
        level=st.sampled_from([None, Level.BASIC, Level.ADVANCED]),
        role=st.sampled_from([Role.TALENT, None]),
    )
    def train(self, data: st.DataObject, level: Level | None, role: Role | None) -> None:
        attendees = data.draw(
            st.lists(
                st.sampled_from([*self.residents(), "sw"]), unique=True, min_size=1, max_size=4
            )
        )
        skills = data.draw(st.lists(st.sampled_from(COACHING), unique=True, min_size=1, max_size=3))
        before = {r: self.graph.get(r, Resident) for r in attendees}
        activity = Activity(
            id=self.fresh("t"),
            name="Training",
            activity_kind=ActivityKind.TRAINING,
            date=self.today,
            place="c1",
            organisers=["sw"] if "sw" not in attendees else [],
            attendees=attendees,
            skills=skills,
        )
        done = record_training(self.graph, activity, level=level, role=role)
        assert self.graph.get(activity.id) == activity
        # exactly the documented changes
        changes = {(c.resident, c.skill): (c.before, c.after) for c in done.skills}
        for rid, old in before.items():
            new = self.graph.get(rid, Resident)
            for s in {*(x.skill for x in old.skills), *skills}:
                was, now = old.skill_level(s), new.skill_level(s)
                if s not in skills:
                    assert now == was
                    continue
                if level is None:
                    want = Level.BASIC if was is None else Level(min(was + 1, 4))
                else:
                    want = level if was is None else max(was, level)
                assert now == want
                assert ((rid, s) in changes) == (want != was)
                if want != was:
                    assert changes[rid, s] == (was, want)
            promoted = (
                role is not None
                and role not in old.roles
                and Role.LEADER not in old.roles
                and Role.SOCIAL_WORKER not in old.roles
                and Role.STAFF not in old.roles
            )
            assert set(new.roles) == set(old.roles) | ({role} if promoted else set())
            assert any(c.resident == rid for c in done.roles) == promoted
            assert new.name == old.name and new.community == old.community

    @precondition(lambda self: self.projects)
    @rule(data=st.data())
    def brand(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.projects))
        self.inc.record_brand(pid, name="Brand", logo="logo.png", date=self.today, who="sw")

    @precondition(lambda self: self.projects)
    @rule(data=st.data(), what=st.sampled_from(["hall", "grant", "mf"]))
    def resource(self, data: st.DataObject, what: str) -> None:
        pid = data.draw(st.sampled_from(self.projects))
        relation = Relation.FUNDS if what == "mf" else Relation.LINKED_TO
        if not self.graph.links(what, relation, pid):
            self.graph.link(what, relation, pid, since=self.today)

    @precondition(lambda self: self.projects)
    @rule(data=st.data(), steps=st.integers(1, 4), go=st.booleans())
    def prepare(self, data: st.DataObject, steps: int, go: bool) -> None:
        """Add what the next forward move of a project needs and, if ``go``, make it,
        ``steps`` times (so runs get deep)."""
        pid = data.draw(st.sampled_from(self.projects))
        for _ in range(steps):
            self._prepare(pid)
            if go:
                self.advance(pid)

    def _prepare(self, pid: str) -> None:
        project = self.graph.get(pid, Project)
        day = self.today
        if project.stage in (Stage.IDEA, Stage.SEED_SELECTION):
            self.graph.update(pid, themes=["anti_fraud"], target_segments=["kids"], community="c1")
        if project.stage is Stage.PROPOSED:
            self.graph.add(
                Activity(
                    id=self.fresh("sel"),
                    name="Selection",
                    date=day,
                    activity_kind=ActivityKind.SELECTION_MEETING,
                    place="s",
                )
            )
        if project.stage in (
            Stage.SELECTED,
            Stage.SEED_SELECTION,
            Stage.EMPOWERMENT,
        ) and not self.graph.links(relation=Relation.LEADS, target=pid):
            self.graph.link("r0", Relation.LEADS, pid)
        if project.stage is Stage.EMPOWERMENT:
            lead = self.graph.links(relation=Relation.LEADS, target=pid)[0].source
            record_training(
                self.graph,
                Activity(
                    id=self.fresh("t"),
                    name="Coaching",
                    activity_kind=ActivityKind.TRAINING,
                    date=day,
                    place="c1",
                    attendees=[lead],
                    skills=COACHING,
                ),
            )
        if project.stage in (Stage.BRANDING, Stage.RUNNING):
            self.graph.add(
                Activity(
                    id=self.fresh("o"),
                    name="Outreach",
                    date=day,
                    activity_kind=ActivityKind.OUTREACH,
                    place="c1",
                    project=pid,
                )
            )
        if project.stage is Stage.RESOURCE_LINKAGE:
            if project.needs and not self.graph.links("hall", Relation.LINKED_TO, pid):
                self.graph.link("hall", Relation.LINKED_TO, pid)
            self.graph.update(pid, budget_fen=50_000)
        if project.stage is Stage.COMPLETED and not self.graph.links("mf", Relation.FUNDS, pid):
            self.graph.link("mf", Relation.FUNDS, pid, since=day)
        self.snapshot()

    @precondition(lambda self: self.projects)
    @rule(
        data=st.data(),
        to=st.one_of(st.none(), st.sampled_from(Stage)),
        who=st.sampled_from(["sw", "sw", ""]),
        why=st.sampled_from(["", "", "the lead moved away"]),
        past=st.sampled_from([0, 0, 0, 10, 60]),
    )
    def move(self, data: st.DataObject, to: Stage | None, who: str, why: str, past: int) -> None:
        pid = data.draw(st.sampled_from(self.projects))
        if to is None:  # the next forward stage, most of the time the interesting one
            forward = [
                s for s in TRANSITIONS[self.graph.get(pid, Project).stage] if s is not Stage.DROPPED
            ]
            to = forward[0] if forward else Stage.DROPPED
        day = self.today - dt.timedelta(days=past)
        graph_before = self.graph.copy()
        history_before = self.inc.history
        stage_before = self.graph.get(pid, Project).stage
        preview = self.inc.check(pid, to, as_of=day)
        refused: TransitionRefused | None = None
        try:
            t = self.inc.move(pid, to, date=day, who=who, why=why)
        except TransitionRefused as exc:
            refused = exc
        if refused is not None:
            assert refused.problems, "a refusal must say why"
            assert all(p.message.strip() for p in refused.problems)
            assert not refused.verdict.ok
            assert refused.verdict.reasons == tuple(p.message for p in refused.problems)
            assert self.graph == graph_before, "a refused move changed the graph"
            assert self.inc.history == history_before, "a refused move changed the history"
            if to not in TRANSITIONS[stage_before]:
                assert any(
                    "can move only to" in m or "cannot move" in m for m in refused.verdict.reasons
                )
            # the preview agrees, apart from who / why, which it does not know
            record_checks = {c.id for c in refused.verdict.failed} - {"who", "why"}
            assert {c.id for c in preview.failed} == record_checks
        else:
            assert preview.ok
            assert to in TRANSITIONS[stage_before]
            assert who and (why or to is not Stage.DROPPED)
            assert (t.from_stage, t.to_stage, t.date, t.who) == (stage_before, to, day, who)
            assert t.why
            assert self.inc.history == (*history_before, t)
            assert self.graph.get(pid, Project).stage is to
            self.recorded.append(t)
            # the oracle: from the move's date on, the project is at its new stage
            for when, state in self.snapshots.items():
                if when >= day:
                    state[pid] = to
            event(f"moved to {to.value}")

    @precondition(lambda self: self.projects)
    @rule(data=st.data())
    def advance_if_unblocked(self, data: st.DataObject) -> None:
        self.advance(data.draw(st.sampled_from(self.projects)))

    def advance(self, pid: str) -> None:
        stage = self.graph.get(pid, Project).stage
        if stage in (Stage.DROPPED, Stage.SUSTAINED):
            assert self.inc.blockers(pid) == ()
            return
        blockers = self.inc.blockers(pid, as_of=self.today)
        assert all(not b.ok and b.reason for b in blockers)
        if blockers:
            with pytest.raises(TransitionRefused) as info:
                self.inc.advance(pid, date=self.today, who="sw")
            assert {c.id for c in info.value.verdict.failed} == {b.id for b in blockers}
        else:
            t = self.inc.advance(pid, date=self.today, who="sw")
            assert t.to_stage is ORDER[ORDER.index(stage) + 1]
            self.recorded.append(t)
            self.snapshot()
            event(f"advanced to {t.to_stage.value}")

    # ---------------------------------------------------------------- invariants

    @invariant()
    def stages_are_reachable_and_history_kept(self) -> None:
        assert list(self.inc.history) == self.recorded, "history lost or rewritten"
        assert self.inc.problems() == []
        last: dict[str, Stage] = {}
        for t in self.inc.history:
            assert t.to_stage in TRANSITIONS[t.from_stage]
            if t.project in last:
                assert last[t.project] is t.from_stage
            last[t.project] = t.to_stage
        for pid in self.projects:
            stage = self.graph.get(pid, Project).stage
            assert stage is last.get(pid, stage)
            assert set(self.inc.next_stages(pid)) == set(TRANSITIONS[stage])

    @invariant()
    def replay_matches_the_record(self) -> None:
        for day, state in self.snapshots.items():
            replayed = self.inc.state_on(day)
            assert {p: replayed[p] for p in state} == state, day

    @invariant()
    def json_round_trip(self) -> None:
        data = json.loads(json.dumps(self.inc.to_dict()))
        again = Incubator.from_dict(data, self.graph)
        assert again.history == self.inc.history
        assert again.brands == self.inc.brands
        assert again.decisions == self.inc.decisions

    @invariant()
    def funnel_agrees_with_graph(self) -> None:
        check_funnel(self.graph, self.inc)

    @invariant()
    def pipeline_agrees_with_graph(self) -> None:
        p = self.inc.pipeline()
        for c in p.communities:
            for s in p.stages:
                assert p.counts[c][s] == len(self.graph.projects(c, stage=s))


IncubatorMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=40, deadline=None
)
TestIncubatorMachine = IncubatorMachine.TestCase


# --------------------------------------------------------------------------- lifecycle


def _walk_to_seed(g: CommunityGraph, inc: Incubator, pid: str = "p") -> None:
    g.add(
        Project(
            id=pid,
            name="Kids cross safely",
            name_zh="安全过马路",
            community="c1",
            themes=["traffic_safety"],
            target_segments=["kids"],
        )
    )
    inc.move(pid, "proposed", date=D(2019, 7, 1), who="sw")
    g.add(
        Activity(
            id="sel",
            name="Selection",
            activity_kind=ActivityKind.SELECTION_MEETING,
            date=D(2019, 7, 10),
            place="s",
        )
    )
    inc.move(pid, "selected", date=D(2019, 7, 10), who="sw")
    g.link("r0", Relation.VOLUNTEERS_IN, pid)
    inc.move(pid, "seed_selection", date=D(2019, 7, 11), who="sw")


def test_full_walk_with_refusals_and_replay() -> None:
    g = small_graph()
    inc = Incubator(g)
    _walk_to_seed(g, inc)
    # empowerment needs a lead
    with pytest.raises(TransitionRefused, match="no lead"):
        inc.advance("p", date=D(2019, 7, 12), who="sw")
    g.link("r0", Relation.LEADS, "p", since=D(2019, 7, 12))
    inc.advance("p", date=D(2019, 7, 12), who="sw")
    # branding needs the six coaching items and a trained lead
    blockers = inc.blockers("p", as_of=D(2019, 7, 13))
    assert [b.id for b in blockers] == [*COACHING, "enter_branding"]
    assert all(b.source == "checklist" for b in blockers[:-1])
    record_training(
        g,
        Activity(
            id="t1",
            name="Coaching",
            activity_kind="training",
            date=D(2019, 7, 20),
            place="c1",
            attendees=["r0"],
            skills=COACHING,
        ),
    )
    # skills are undated: once raised by the training they count on any day (documented)
    assert inc.blockers("p", as_of=D(2019, 7, 19)) == ()
    t = inc.advance("p", date=D(2019, 7, 20), who="sw")
    assert "attended training t1" in t.why
    # resource linkage needs a brand: a Chinese name and an outreach campaign
    with pytest.raises(TransitionRefused) as info:
        inc.advance("p", date=D(2019, 7, 21), who="sw")
    assert [c.id for c in info.value.verdict.failed] == ["outreach", "enter_resource_linkage"]
    g.add(
        Activity(
            id="o1",
            name="Outreach",
            activity_kind="outreach",
            date=D(2019, 8, 1),
            place="c1",
            project="p",
        )
    )
    inc.advance("p", date=D(2019, 8, 1), who="sw")
    # running needs money or a resource
    with pytest.raises(TransitionRefused, match="neither money nor a resource"):
        inc.advance("p", date=D(2019, 8, 2), who="sw")
    g.link("hall", Relation.LINKED_TO, "p", since=D(2019, 8, 5))
    with pytest.raises(TransitionRefused):  # linked only from the 5th
        inc.advance("p", date=D(2019, 8, 2), who="sw")
    inc.advance("p", date=D(2019, 8, 5), who="sw")
    assert g.get("p", Project).started == D(2019, 8, 5)
    inc.advance("p", date=D(2019, 9, 1), who="sw")  # completed: it ran o1
    with pytest.raises(TransitionRefused, match="nothing keeps the project going"):
        inc.advance("p", date=D(2019, 9, 2), who="sw")
    g.link("mf", Relation.FUNDS, "p")
    inc.advance("p", date=D(2019, 12, 1), who="sw", why="the micro-fund took it on")
    assert inc.stage("p") is Stage.SUSTAINED
    assert inc.blockers("p") == ()
    with pytest.raises(ValidationError, match="no next stage"):
        inc.advance("p", date=D(2019, 12, 2), who="sw")
    # replay
    assert inc.stage_on("p", D(2019, 6, 30)) is Stage.IDEA
    assert inc.stage_on("p", D(2019, 7, 10)) is Stage.SELECTED
    assert inc.stage_on("p", D(2019, 7, 25)) is Stage.BRANDING
    assert inc.stage_on("p", D(2020, 1, 1)) is Stage.SUSTAINED
    assert [t.to_stage for t in inc.history_of("p")] == list(ORDER[1:])
    # the pipeline replays too
    assert inc.pipeline(as_of=D(2019, 8, 1)).counts["c1"][Stage.RESOURCE_LINKAGE] == 1


def test_refusals_say_why_and_change_nothing() -> None:
    g = small_graph()
    inc = Incubator(g)
    g.add(Project(id="p", name="Bare idea", community="c1"))
    before = g.copy()
    with pytest.raises(TransitionRefused) as info:
        inc.move("p", "running", date=D(2019, 1, 1), who="")
    reasons = info.value.verdict.reasons
    assert "a project at 'idea' (构想) can move only to 'proposed' or 'dropped'" in reasons
    assert "say who decides the move" in reasons
    assert g == before and inc.history == ()
    with pytest.raises(TransitionRefused, match="not written down"):
        inc.move("p", "proposed", date=D(2019, 1, 1), who="sw")
    with pytest.raises(TransitionRefused, match="say why the project is dropped"):
        inc.drop("p", date=D(2019, 1, 1), who="sw", why=" ")
    inc.drop("p", date=D(2019, 1, 2), who="sw", why="nobody came")
    with pytest.raises(TransitionRefused, match="cannot move any more"):
        inc.move("p", "idea", date=D(2019, 1, 3), who="sw")
    assert inc.next_stages("p") == ()
    assert g == before.copy() or g.get("p", Project).stage is Stage.DROPPED


def test_move_dated_before_history_is_refused() -> None:
    g = small_graph()
    inc = Incubator(g)
    g.add(Project(id="p", name="P", community="c1", themes=["anti_fraud"]))
    inc.move("p", "proposed", date=D(2019, 5, 1), who="sw")
    with pytest.raises(TransitionRefused, match="ends on 2019-05-01"):
        inc.drop("p", date=D(2019, 4, 1), who="sw", why="late")


def test_bad_arguments() -> None:
    g = small_graph()
    inc = Incubator(g)
    g.add(Project(id="p", name="P", community="c1"))
    with pytest.raises(ValidationError, match="not a known Stage"):
        inc.move("p", "launched", date=D(2019, 1, 1), who="sw")
    with pytest.raises(ValidationError, match="must be a date"):
        inc.move("p", "proposed", date=dt.datetime(2019, 1, 1), who="sw")  # type: ignore[arg-type]
    with pytest.raises(UnknownEntityError):
        inc.move("nope", "proposed", date=D(2019, 1, 1), who="sw")
    with pytest.raises(ValidationError, match="is a resident"):
        inc.stage("r0")
    with pytest.raises(ValidationError, match="CommunityGraph"):
        Incubator("graph")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="unknown skill"):
        Incubator(
            g, checklists={Stage.EMPOWERMENT: [ChecklistItem(id="x", en="x", skill="juggling")]}
        )
    with pytest.raises(ValidationError, match="exactly one"):
        ChecklistItem(id="x", en="x")


def test_custom_and_unenforced_checklists() -> None:
    g = small_graph()
    g.add(Project(id="p", name="P", community="c1", stage="seed_selection"))
    g.link("r0", Relation.LEADS, "p")

    def has_budget(_inc: Incubator, project: Project, _day: dt.date | None) -> str | None:
        return "budget set" if project.budget_fen else None

    items = {
        Stage.SEED_SELECTION: [
            ChecklistItem(id="budget", en="set a budget", test=has_budget, hint="give it a budget")
        ]
    }
    inc = Incubator(g, checklists=items)
    [blocker] = inc.blockers("p")
    assert (blocker.id, blocker.hint) == ("budget", "give it a budget")
    assert "set a budget" in str(blocker) and "give it a budget" in str(blocker)
    lax = Incubator(g, checklists=items, enforce_checklists=False)
    assert [b.id for b in lax.blockers("p")] == ["budget"]  # reported, not enforced
    lax.advance("p", date=D(2019, 1, 1), who="sw")
    assert Incubator(g, checklists={}).blockers("p") != ()  # now at empowerment: guard


def test_checklist_counts_co_leads_and_specific_skills() -> None:
    g = small_graph()
    g.add(Project(id="p", name="P", community="c1", stage="empowerment"))
    g.link("r0", Relation.LEADS, "p")
    g.link("r1", Relation.CO_LEADS, "p")
    g.update("r1", skills={"press_release": Level.BASIC, "plan_design": Level.EXPERT})
    inc = Incubator(g)
    done = {c.id: c.ok for c in inc.checklist("p")}
    assert done == {
        "plan_design": True,
        "funding_application": False,
        "reimbursement": False,
        "event_organising": False,
        "press_release": True,
        "public_speaking": False,
    }
    # a lead holding every checklist skill is trained without a training
    g.update("r0", skills=dict.fromkeys(COACHING, Level.BASIC))
    assert inc.guard("p", "branding").ok
    assert "has every skill" in inc.guard("p", "branding").reason


def test_sustained_by_activity_after_completion() -> None:
    g = small_graph()
    g.add(Project(id="p", name="P", community="c1", stage="running"))
    g.add(
        Activity(
            id="a1", name="A", activity_kind="service", date=D(2019, 3, 1), place="c1", project="p"
        )
    )
    inc = Incubator(g)
    inc.advance("p", date=D(2019, 4, 1), who="sw")
    assert not inc.guard("p", "sustained").ok
    assert "since it was completed on 2019-04-01" in inc.guard("p", "sustained").reason
    g.add(
        Activity(
            id="a2", name="A", activity_kind="service", date=D(2019, 6, 1), place="c1", project="p"
        )
    )
    assert not inc.guard("p", "sustained", as_of=D(2019, 5, 1)).ok
    assert inc.guard("p", "sustained", as_of=D(2019, 6, 1)).ok


def test_brand_counts_from_its_date() -> None:
    g = small_graph()
    g.add(Project(id="p", name="P", community="c1", stage="branding"))
    inc = Incubator(g)
    brand = inc.record_brand("p", name="Safe steps", logo="steps.svg", date=D(2019, 5, 1), who="sw")
    assert inc.brand_of("p", as_of=D(2019, 4, 30)) is None
    assert inc.brand_of("p") == brand
    assert inc.guard("p", "resource_linkage", as_of=D(2019, 5, 1)).ok
    with pytest.raises(UnknownEntityError):
        inc.record_brand("nope", name="x", date=D(2019, 5, 1), who="sw")


def test_history_json_errors_name_the_place() -> None:
    g = small_graph()
    g.add(Project(id="p", name="P", community="c1", stage="proposed"))
    good = {
        "format": "vchuang-incubator",
        "format_version": 1,
        "transitions": [
            {
                "project": "p",
                "from": "idea",
                "to": "proposed",
                "date": "2019-01-01",
                "who": "sw",
                "why": "written",
            }
        ],
    }
    assert Incubator.from_dict(good, g).stage_on("p", D(2018, 1, 1)) is Stage.IDEA
    bad: dict[str, Any] = json.loads(json.dumps(good))
    bad["transitions"][0].update(date="2019-13-01", to="launched")
    bad["transitions"].append(
        {
            "project": "p",
            "from": "selected",
            "to": "running",
            "date": "2019-02-01",
            "who": "sw",
            "why": "x",
            "extra": 1,
        }
    )
    with pytest.raises(FormatError) as info:
        Incubator.from_dict(bad, g)
    paths = {p.path for p in info.value.problems}
    assert {"$.transitions[0].date", "$.transitions[0].to", "$.transitions[1].extra"} <= paths
    chain = json.loads(json.dumps(good))
    chain["transitions"].append(
        {
            "project": "p",
            "from": "selected",
            "to": "seed_selection",
            "date": "2018-01-01",
            "who": "sw",
            "why": "x",
        }
    )
    with pytest.raises(FormatError) as info:
        Incubator.from_dict(chain, g)
    paths = {p.path for p in info.value.problems}
    assert {"$.transitions[1].from", "$.transitions[1].date", "$.transitions[1].to"} <= paths
    with pytest.raises(FormatError, match="no project 'q'"):
        Incubator.from_dict(
            {**good, "transitions": [{**good["transitions"][0], "project": "q"}]}, g
        )
    with pytest.raises(FormatError, match="format"):
        Incubator.from_dict({"format": "other", "format_version": 1}, g)


def test_problems_report_stage_changed_outside() -> None:
    g = small_graph()
    g.add(Project(id="p", name="P", community="c1", themes=["anti_fraud"]))
    inc = Incubator(g)
    inc.move("p", "proposed", date=D(2019, 1, 1), who="sw")
    g.update("p", stage=Stage.RUNNING)
    [problem] = inc.problems()
    assert "'running'" in problem.message and "'proposed'" in problem.message


# --------------------------------------------------------------------------- training


def test_training_errors_change_nothing() -> None:
    g = small_graph()
    before = g.copy()
    bad = Activity(
        id="t",
        name="T",
        activity_kind="outreach",
        date=D(2019, 1, 1),
        place="c1",
        attendees=["r0"],
        skills=["press_release"],
    )
    with pytest.raises(ValidationError, match="not 'training'"):
        record_training(g, bad)
    with pytest.raises(ValidationError, match="at least one skill"):
        record_training(
            g,
            Activity(
                id="t",
                name="T",
                activity_kind="training",
                date=D(2019, 1, 1),
                place="c1",
                attendees=["r0"],
            ),
        )
    with pytest.raises(IntegrityError, match="ghost"):
        record_training(
            g,
            Activity(
                id="t",
                name="T",
                activity_kind="training",
                date=D(2019, 1, 1),
                place="c1",
                attendees=["r0", "ghost"],
                skills=["press_release"],
            ),
        )
    with pytest.raises(IntegrityError, match="already in the graph"):
        record_training(
            g,
            Activity(
                id="r1",
                name="T",
                activity_kind="training",
                date=D(2019, 1, 1),
                place="c1",
                attendees=["r0"],
                skills=["press_release"],
            ),
        )
    assert g == before


def test_training_is_all_or_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    g = small_graph()
    before = g.copy()
    real = CommunityGraph.update
    calls = {"n": 0}

    def flaky(self: CommunityGraph, entity: Any, /, **changes: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            msg = "disk full"
            raise OSError(msg)
        return real(self, entity, **changes)

    monkeypatch.setattr(CommunityGraph, "update", flaky)
    with pytest.raises(OSError, match="disk full"):
        record_training(
            g,
            Activity(
                id="t",
                name="T",
                activity_kind="training",
                date=D(2019, 1, 1),
                place="c1",
                attendees=["r0", "r1", "r2"],
                skills=["press_release"],
            ),
        )
    monkeypatch.setattr(CommunityGraph, "update", real)
    assert g == before


def test_training_rows_and_plot() -> None:
    g = small_graph()
    g.update("r0", skills={"press_release": Level.EXPERT})
    done = record_training(
        g,
        Activity(
            id="t",
            name="T",
            activity_kind="training",
            date=D(2019, 1, 1),
            place="c1",
            attendees=["r0", "r1", "sw"],
            skills=["press_release", "public_speaking"],
        ),
    )
    rows = done.to_rows()
    assert {(r["resident"], r["what"]) for r in rows if r["kind"] == "skill"} == {
        ("r0", "public_speaking"),
        ("r1", "press_release"),
        ("r1", "public_speaking"),
        ("sw", "press_release"),
        ("sw", "public_speaking"),
    }
    assert [(r["resident"], r["what"]) for r in rows if r["kind"] == "role"] == [
        ("r0", "talent"),
        ("r1", "talent"),
    ]
    ax = done.plot()
    assert isinstance(ax, Axes) and len(ax.patches) == 4


# --------------------------------------------------------------------------- funnel


@settings(max_examples=40, deadline=None)
@given(graph=graphs())
def test_funnel_agrees_with_any_graph(graph: CommunityGraph) -> None:
    check_funnel(graph)


def test_funnel_dates_follow_records_and_history() -> None:
    g = small_graph()
    g.add(
        Project(
            id="p",
            name="P",
            community="c1",
            stage="seed_selection",
            themes=["anti_fraud"],
            target_segments=["kids"],
        )
    )
    g.link("r1", Relation.LEADS, "p")  # undated link
    g.add(
        Activity(
            id="m",
            name="M",
            activity_kind="mobilisation",
            date=D(2019, 3, 5),
            place="c1",
            attendees=["r0", "r1", "r2"],
        )
    )
    inc = Incubator(g)
    inc.advance("p", date=D(2019, 4, 10), who="sw")
    f = funnel(g, incubator=inc)
    assert f.reached["project_lead"]["r1"] == D(2019, 4, 10)  # from the history
    assert f.reached["engaged"]["r1"] == D(2019, 3, 5)
    assert f.reached["engaged"]["r4"] is None  # a volunteer with no dated record
    assert f.months == (D(2019, 3, 1), D(2019, 4, 1))
    march = {p.community: p.counts for p in f.series if p.month == D(2019, 3, 1)}
    assert march[None]["project_lead"] == 0 and march[None]["engaged"] == 4
    without = funnel(g)
    assert without.reached["project_lead"]["r1"] is None  # no dated record without history
    assert without.undated["project_lead"] == 1
    assert funnel(g, place="c2").communities == ("c2",)
    assert f.projects == 1 and f.to_rows()[-1]["projects"] == 1
    with pytest.raises(ValidationError):
        funnel(g, start=D(2019, 5, 1), end=D(2019, 1, 1))


def test_longgang_funnel_matches_the_case() -> None:
    """The case: 100+ engaged residents, 16 leaders, 10+ projects on the three pilots."""
    datasets = pytest.importorskip("vchuang.datasets")
    g = datasets.longgang_pilot()
    f = funnel(g)
    assert f.counts["engaged"] >= 100
    assert f.counts["leader"] == 16
    assert f.projects >= 10
    assert f.communities == tuple(c.id for c in g.communities())
    assert sum(f.by_community[c]["leader"] for c in f.communities) == 16
    check_funnel(g)


# --------------------------------------------------------------------------- linkage


def test_linkage_prefers_the_nearest_level() -> None:
    g = small_graph()
    g.add(
        Project(
            id="p",
            name="P",
            community="c1",
            needs=[
                Need(id="n-room", resource="venue"),
                Need(id="n-money", resource="money"),
                Need(id="n-plan", skill="plan_design", hours=2),
                Need(id="n-speak", skill="public_speaking", hours=2),
            ],
        )
    )
    g.update("r5", skills={"public_speaking": Level.ADVANCED})  # a member of 'vols'
    found = propose_links(g)
    assert [n.need for n in found.open_needs] == ["n-room", "n-money", "n-plan", "n-speak"]
    assert [(p.candidate, p.level) for p in found.for_need("n-room")] == [("hall", "community")]
    assert "hall2" not in {p.candidate for p in found.proposals}  # another community
    assert [(p.candidate, p.relation) for p in found.for_need("n-money")] == [
        ("mf", Relation.FUNDS),
        ("grant", Relation.LINKED_TO),
    ]
    assert [p.candidate for p in found.for_need("n-plan")] == ["hub", "dhub"]
    speak = found.for_need("n-speak")
    assert [p.candidate for p in speak] == ["vols", "hub", "dhub"]  # members, then coaching
    assert "1 member can do public speaking" in speak[0].reasons[1]
    assert "coaches in public speaking" in speak[1].reasons[1]
    assert all(
        p.rank == i for n in found.open_needs for i, p in enumerate(found.for_need(n.need), 1)
    )
    rows = found.to_rows()
    assert len(rows) == len(found.proposals)
    assert isinstance(found.plot(), Axes)
    with pytest.raises(ValidationError):
        propose_links(g, limit=0)


def test_accept_and_reject_through_the_incubator() -> None:
    g = small_graph()
    g.add(
        Project(
            id="p",
            name="P",
            community="c1",
            stage="resource_linkage",
            needs=[
                Need(id="n-room", resource="venue"),
                Need(id="n-plan", skill="plan_design", hours=2),
            ],
        )
    )
    inc = Incubator(g)
    assert [b.id for b in inc.blockers("p")] == ["resource_needs", "enter_running"]
    found = inc.propose_links(project="p")
    hub = found.for_need("n-plan")[0]
    decision = inc.reject(hub, date=D(2019, 9, 1), who="sw", why="too far away")
    assert not decision.accepted
    assert [p.candidate for p in inc.propose_links().for_need("n-plan")] == ["dhub"]
    inc.accept(found.for_need("n-room")[0], date=D(2019, 9, 2), who="sw")
    assert g.links("hall", Relation.LINKED_TO, "p")[0].since == D(2019, 9, 2)
    assert inc.blockers("p", as_of=D(2019, 9, 1)) != ()
    assert inc.blockers("p", as_of=D(2019, 9, 2)) == ()
    assert [n.need for n in inc.propose_links().open_needs] == ["n-plan"]
    with pytest.raises(IntegrityError):
        accept_link(g, found.for_need("n-room")[0])
    again = Incubator.from_dict(json.loads(json.dumps(inc.to_dict())), g)
    assert again.decisions == inc.decisions
    assert [p.candidate for p in again.propose_links().for_need("n-plan")] == ["dhub"]


def test_skill_need_met_by_team_is_not_open() -> None:
    g = small_graph()
    g.add(
        Project(
            id="p",
            name="P",
            community="c1",
            needs=[Need(id="n", skill="writing", hours=1, people=2)],
        )
    )
    g.update("r0", skills={"press_release": Level.BASIC})  # more specific than writing
    g.link("r0", Relation.LEADS, "p")
    [need] = propose_links(g).open_needs
    assert need.reason == "1 of the 2 people it needs are in the project's team"
    g.update("r1", skills={"writing": Level.BASIC})
    g.link("r1", Relation.VOLUNTEERS_IN, "p")
    assert propose_links(g).open_needs == ()


# --------------------------------------------------------------------------- pipeline, plots


def test_pipeline_and_plots() -> None:
    g = small_graph()
    g.add(
        Project(id="p1", name="P1", community="c1", stage="running"),
        Project(id="p2", name="P2", community="c2", stage="dropped"),
        Project(id="p3", name="P3", community="c1", stage="running"),
    )
    p = pipeline(g)
    assert p.totals[Stage.RUNNING] == 2 and p.counts["c2"][Stage.DROPPED] == 1
    assert p.to_rows()[0] == {
        "community": "c1",
        **{s.value: 0 for s in p.stages},
        "running": 2,
        "total": 2,
    }
    with pytest.raises(ValidationError, match="incubator"):
        pipeline(g, as_of=D(2019, 1, 1))
    ax = p.plot()
    assert isinstance(ax, Axes) and len(ax.patches) == 2 * 2  # two stages shown, two rows
    f = funnel(g)
    assert isinstance(f.plot(), Axes)
    assert isinstance(f.plot(over_time=True), Axes)
    with chinese_figures():
        zh = f.plot(lang="zh", place="c1")
    # Chinese with a CJK font; the documented English fallback without one
    assert ("人才成长漏斗" if cjk_fonts() else "People's funnel") in zh.get_title()
    with pytest.warns(DeprecationWarning, match=r"community=\.\.\.\) is deprecated"):
        old = f.plot(community="c1")
    assert old.get_title().endswith("c1")
    with chinese_figures():
        assert isinstance(p.plot(lang="zh"), Axes)


def test_longgang_walk_through_the_four_steps() -> None:
    """One project of the pilot, from selected to running (as in the tutorial)."""
    datasets = pytest.importorskip("vchuang.datasets")
    g = datasets.longgang_pilot()
    inc = Incubator(g)
    project = g.projects(stage="selected")[0]
    lead = g.leads_of(project.id, co=False)[0]
    day = D(2019, 9, 2)
    inc.advance(project.id, date=day, who="sw")  # seed selection
    inc.advance(project.id, date=day, who="sw")  # empowerment
    blockers = inc.blockers(project.id, as_of=day)
    record_training(
        g,
        Activity(
            id="walk-t",
            name="Coaching",
            activity_kind="training",
            date=D(2019, 9, 7),
            place=project.community,
            attendees=[lead.id],
            skills=COACHING,
        ),
    )
    assert blockers and inc.blockers(project.id, as_of=D(2019, 9, 7)) == ()
    inc.advance(project.id, date=D(2019, 9, 7), who="sw")  # branding
    inc.record_brand(project.id, name=project.name, date=D(2019, 9, 20), who="sw")
    g.add(
        Activity(
            id="walk-o",
            name="Open day",
            activity_kind="outreach",
            date=D(2019, 9, 21),
            place=project.community,
            project=project.id,
        )
    )
    inc.advance(project.id, date=D(2019, 9, 21), who="sw")  # resource linkage
    inc.advance(project.id, date=D(2019, 10, 1), who="sw")  # running
    assert [t.to_stage for t in inc.history] == [Stage.SEED_SELECTION, *ORDER[4:8]]
    assert inc.state_on(D(2019, 9, 10))[project.id] is Stage.BRANDING


def test_output_does_not_depend_on_hash_seed() -> None:
    script = (
        "from vchuang.datasets import longgang_pilot\n"
        "from vchuang.incubator import Incubator\n"
        "g = longgang_pilot(); inc = Incubator(g)\n"
        "print(inc.funnel().to_rows(), inc.funnel().series_rows()[-4:])\n"
        "print(inc.propose_links().to_rows())\n"
        "print([[str(b) for b in inc.blockers(p.id)] for p in g.projects()])\n"
    )
    pytest.importorskip("vchuang.datasets")
    outs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("0", "12345")
    }
    assert len(outs) == 1


def test_public_names() -> None:
    import vchuang.incubator as mod

    assert all(hasattr(mod, name) for name in mod.__all__)
    assert TransitionRefused.__module__ == "vchuang.incubator"  # tracebacks name it so
    assert vchuang.load_example  # the example graph used in the doctests
    assert Link  # re-exported records used above


def test_incubator_does_not_import_plot() -> None:
    """Regression: incubator results imported ``vchuang.plot`` inside ``.plot()``,
    closing an import circle; they now go through the plot seam only."""
    import ast
    from pathlib import Path

    folder = Path(vchuang.__file__).parent / "incubator"
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            for name in names:
                assert not name.split(".")[-1].startswith("plot") or name.endswith(
                    "kernel.plotting"
                ), f"{path.name} imports {name}"


def test_incubator_figures_are_registered_on_the_seam() -> None:
    import vchuang.plot  # noqa: F401  (registers the drawing functions)
    from vchuang.incubator import Funnel, LinkProposals, Pipeline, Training
    from vchuang.kernel.plotting import draw

    for cls in (Funnel, LinkProposals, Pipeline, Training):
        assert draw.dispatch(cls) is not draw.dispatch(object), cls


def test_incubator_reprs_stay_short_on_a_district() -> None:
    """Regression: ``repr(funnel(pilot))`` was ~17,000 characters (every member and
    date), ~430,000 on a 20k-resident district."""
    datasets = pytest.importorskip("vchuang.datasets")
    g = datasets.synthetic(20_000, rng=1)
    inc = Incubator(g)
    project = g.projects()[0].id
    results: list[Any] = [
        funnel(g),
        pipeline(g),
        propose_links(g),
        inc,
        inc.check(project, "dropped"),
    ]
    for result in results:
        assert len(repr(result)) < 500, type(result).__name__
        html = getattr(result, "_repr_html_", None)
        if html is not None:
            assert len(html()) < 1500, type(result).__name__
            assert html().startswith("<table>")


def test_as_of_replaces_date_and_place_replaces_community() -> None:
    """Issue 16 item 6: "on this day" is ``as_of=``; the old ``date=`` (and the
    funnel's ``community=``) still work for one release, with a warning."""
    g = vchuang.load_example()
    inc = Incubator(g)
    day = D(2019, 12, 31)
    old = pytest.warns(DeprecationWarning, match=r"\(date=\.\.\.\) is deprecated")
    assert inc.check("pn-p1", as_of=day).ok == inc.check("pn-p1").ok
    with old:
        assert inc.check("pn-p1", date=day) == inc.check("pn-p1", as_of=day)
    with old:
        assert inc.guard("pn-p3", "running", date=day) == inc.guard("pn-p3", "running", as_of=day)
    with old:
        assert inc.checklist("pn-p1", date=day) == inc.checklist("pn-p1", as_of=day)
    with old:
        assert inc.blockers("pn-p1", date=day) == inc.blockers("pn-p1", as_of=day)
    with old:
        assert inc.brand_of("pn-p1", date=day) == inc.brand_of("pn-p1", as_of=day)
    with old:
        assert inc.stage_on("pn-p1", date=day) is inc.stage_on("pn-p1", as_of=day)
    with old:
        assert inc.state_on(date=day) == inc.state_on(as_of=day) == inc.state_on(day)
    with old:
        assert inc.pipeline(date=day) == inc.pipeline(as_of=day)
    with old:
        assert pipeline(g, incubator=inc, date=day) == pipeline(g, incubator=inc, as_of=day)
    f = funnel(g)
    with old:
        assert f.count_on(date=day) == f.count_on(day)
    with pytest.warns(DeprecationWarning, match=r"community=\.\.\.\) is deprecated"):
        assert f.count_on(day, community="pingnan") == f.count_on(as_of=day, place="pingnan")


def walked_pilot() -> tuple[vchuang.CommunityGraph, Incubator]:
    """The walk ``tests/data/json/incubator_history_v1.json`` was saved from (by the
    hand-written writer, before the history used the one JSON converter)."""
    datasets = pytest.importorskip("vchuang.datasets")
    g = datasets.longgang_pilot()
    inc = Incubator(g)
    project = g.projects(stage="selected")[0]
    lead = g.leads_of(project.id, co=False)[0]
    inc.advance(project.id, date=D(2019, 9, 2), who="sw")
    inc.advance(project.id, date=D(2019, 9, 2), who="sw")
    record_training(
        g,
        Activity(
            id="walk-t",
            name="Coaching",
            activity_kind="training",
            date=D(2019, 9, 7),
            place=project.community,
            attendees=[lead.id],
            skills=COACHING,
        ),
    )
    inc.advance(project.id, date=D(2019, 9, 7), who="sw")
    inc.record_brand(
        project.id, name=project.name, name_zh="楼道微光", date=D(2019, 9, 20), who="sw"
    )
    g.add(
        Activity(
            id="walk-o",
            name="Open day",
            activity_kind="outreach",
            date=D(2019, 9, 21),
            place=project.community,
            project=project.id,
        )
    )
    inc.advance(project.id, date=D(2019, 9, 21), who="sw", why="品牌已建立")
    proposals = inc.propose_links().proposals
    inc.reject(proposals[0], date=D(2019, 9, 25), who="sw", why="太远")
    inc.accept(proposals[1], date=D(2019, 9, 26), who="sw")
    return g, inc


def test_history_files_saved_before_the_one_converter_still_load() -> None:
    """Regression for the move to one JSON converter: a history written by the old
    hand-written writer (empty ``name_zh``, ``logo`` and ``evidence`` written out)
    loads into the same records."""
    from pathlib import Path

    saved = Path(__file__).parent / "data" / "json" / "incubator_history_v1.json"
    g, inc = walked_pilot()
    again = Incubator.from_dict(json.loads(saved.read_text("utf-8")), g)
    assert again.history == inc.history
    assert again.brands == inc.brands
    assert again.decisions == inc.decisions
    assert Incubator.from_dict(json.loads(json.dumps(inc.to_dict())), g).history == inc.history
    assert inc.history[0].to_dict()["from"] == "selected"


def test_history_errors_name_the_json_key_and_hint() -> None:
    g, inc = walked_pilot()
    data = inc.to_dict()
    data["transitions"][0]["to"] = "lauched"
    data["transitions"][1]["frm"] = "x"
    data["brands"][0]["date"] = 20190920
    with pytest.raises(FormatError) as info:
        Incubator.from_dict(data, g)
    found = {p.path: p for p in info.value.problems}
    assert "use one of 'idea'" in found["$.transitions[0].to"].hint
    assert found["$.transitions[1].frm"].hint == "did you mean 'from'?"
    assert "$.brands[0].date" in found
    with pytest.raises(FormatError, match="newer than this vchuang reads"):
        Incubator.from_dict({**data, "format_version": 9}, g)


def test_policy_lives_in_one_module() -> None:
    """Issue 16: the incubation policy (stages, checklists, guards) is read in one
    place; the lifecycle holds no rule of its own."""
    import inspect

    from vchuang.incubator import _lifecycle, _policy

    assert set(_policy.GUARDS) == set(Stage)
    assert _policy.default_checklists().keys() == set(_policy.STEPS)
    source = inspect.getsource(_lifecycle)
    assert "def _g_" not in source and "def default_checklists" not in source
