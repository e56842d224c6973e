"""The community graph: integrity, queries, projections, the index, determinism."""

from __future__ import annotations

import ast
import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings

import vchuang
from strategies import graphs
from vchuang import (
    Activity,
    ActivityKind,
    Community,
    CommunityGraph,
    District,
    Group,
    IntegrityError,
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
    Subdistrict,
    UnknownEntityError,
    ValidationError,
)


def _base() -> CommunityGraph:
    g = CommunityGraph()
    g.add(
        District(id="d", name="Longgang"),
        Subdistrict(id="s", name="Longgang St", district="d"),
        Subdistrict(id="s2", name="Pinghu", district="d"),
        Community(id="c", name="Pingnan", subdistrict="s"),
        Community(id="c2", name="Hehua", subdistrict="s2"),
        Segment(id="elders", name="Elders", place="c", population=100),
        Resident(id="r1", name="A", community="c", roles=["leader"], segments=["elders"]),
        Resident(id="r2", name="B", community="c", roles=["volunteer"]),
        Resident(id="r3", name="C", community="c2"),
        Group(id="g1", name="Dog walkers", community="c"),
        Project(
            id="p1",
            name="P1",
            community="c",
            target_segments=["elders"],
            needs=[Need(id="n1", skill="graphic_design", hours=2)],
        ),
        Organization(id="o1", name="Centre", org_kind=OrgKind.SERVICE_CENTRE, place="c"),
    )
    return g


# ------------------------------------------------------------------ integrity


@pytest.mark.parametrize(
    ("item", "path", "words"),
    [
        (
            Resident(id="rx", name="X", community="nowhere"),
            "resident 'rx'.community",
            "no entity 'nowhere'",
        ),
        (Resident(id="rx", name="X", community="s"), "resident 'rx'.community", "is a subdistrict"),
        (Resident(id="r1", name="X", community="c"), "resident 'r1'.id", "already in the graph"),
        (
            Resident(id="rx", name="X", community="c", skills={"grafic_design": 2}),
            "resident 'rx'.skills[0].skill",
            "unknown skill",
        ),
        (
            Project(
                id="px", name="X", community="c", needs=[Need(id="n1", skill="design", hours=1)]
            ),
            "project 'px'.needs[0].id",
            "also used by",
        ),
        (
            Activity(
                id="ax",
                name="X",
                activity_kind="outreach",
                date=dt.date(2019, 1, 1),
                place="c",
                attendees=["r1", "ghost"],
            ),
            "activity 'ax'.attendees[1]",
            "no entity 'ghost'",
        ),
        (
            Activity(
                id="ax",
                name="X",
                activity_kind="outreach",
                date=dt.date(2019, 1, 1),
                place="c",
                project="g1",
            ),
            "activity 'ax'.project",
            "is a group",
        ),
        (
            Link(source="r1", relation=Relation.LEADS, target="r2"),
            "link 'r1' -leads-> 'r2'.target",
            "is a resident",
        ),
        (
            Link(source="o1", relation=Relation.MEMBER_OF, target="g1"),
            "link 'o1' -member_of-> 'g1'.source",
            "is a organization",
        ),
        (
            Link(source="r1", relation=Relation.KNOWS, target="zz"),
            "link 'r1' -knows-> 'zz'.target",
            "no entity",
        ),
        (
            Link(source="x1", relation=Relation.LINKED_TO, target="p1"),
            "link 'x1' -linked_to-> 'p1'.source",
            "no entity",
        ),
        (
            Resource(
                id="x1", name="Hall", resource_kind=ResourceKind.VENUE, place="c", provider="g1"
            ),
            "resource 'x1'.provider",
            "is a group",
        ),
    ],
)
def test_each_wrong_relation_is_refused_with_its_place(item: object, path: str, words: str) -> None:
    g = _base()
    before = vchuang.dumps(g)
    with pytest.raises(IntegrityError) as exc:
        g.add(item)  # type: ignore[arg-type]
    problem = exc.value.problems[0]
    assert problem.path == path
    assert words in problem.message
    assert vchuang.dumps(g) == before  # nothing half-applied


def test_a_batch_is_all_or_nothing_and_lists_every_problem() -> None:
    g = _base()
    n = len(g)
    with pytest.raises(IntegrityError) as exc:
        g.add(
            Resident(id="r4", name="D", community="c"),
            Resident(id="r5", name="E", community="nowhere"),
            Link(source="r4", relation=Relation.KNOWS, target="r1"),
            Link(source="r1", relation=Relation.KNOWS, target="r4"),  # same symmetric tie
            Resident(id="r4", name="dup", community="c"),
        )
    messages = [p.message for p in exc.value.problems]
    assert len(messages) == 3, messages
    assert len(g) == n and "r4" not in g


def test_batch_order_does_not_matter() -> None:
    g = CommunityGraph()
    g.add(
        Link(source="r1", relation=Relation.LEADS, target="p1"),
        Project(id="p1", name="P", community="c"),
        Resident(id="r1", name="A", community="c"),
        Community(id="c", name="C", subdistrict="s"),
        Subdistrict(id="s", name="S", district="d"),
        District(id="d", name="D"),
    )
    assert [p.id for p in g.projects_led_by("r1")] == ["p1"]


def test_update_follows_fields_and_remove_refuses_referenced() -> None:
    g = _base()
    g.update("r2", community="c2")
    assert [r.id for r in g.residents("c2")] == ["r3", "r2"]
    with pytest.raises(IntegrityError) as exc:
        g.update("r2", community="nowhere")
    assert exc.value.problems[0].path == "resident 'r2'.community"
    assert g.get("r2", Resident).community == "c2"
    with pytest.raises(IntegrityError, match="cannot become"):
        g.update(Project(id="r2", name="x", community="c"))
    with pytest.raises(IntegrityError) as exc:
        g.remove("elders")
    paths = {p.path for p in exc.value.problems}
    assert paths == {"resident 'r1'.segments", "project 'p1'.target_segments"}
    g.link("r1", "knows", "r2")
    dropped = g.remove("r2")
    assert [x.relation for x in dropped] == [Relation.KNOWS]
    assert "r2" not in g and g.neighbours("r1") == []
    with pytest.raises(UnknownEntityError, match="did you mean 'r1'"):
        g.get("r1x")


def test_unlink_and_links_queries() -> None:
    g = _base()
    g.link("r1", Relation.KNOWS, "r2", weight=2)
    g.link("r1", Relation.LEADS, "p1")
    g.link("r2", Relation.VOLUNTEERS_IN, "p1", hours=3)
    assert [x.target for x in g.links(source="r1")] == ["r2", "p1"]
    assert [x.source for x in g.links(target="p1")] == ["r1", "r2"]
    assert g.links(source="r2", relation="knows")[0].weight == 2
    assert g.unlink("r2", "knows", "r1").weight == 2
    with pytest.raises(UnknownEntityError):
        g.unlink("r2", "knows", "r1")
    assert g.links(relation="knows") == []


# ------------------------------------------------------------------ queries


def test_typed_queries_on_the_example(example: CommunityGraph) -> None:
    g = example
    assert [r.id for r in g.leaders()] == ["pn-r01"]
    assert {p.id for p in g.projects_led_by("pn-r01")} == {"pn-p1", "pn-p3"}
    assert {p.id for p in g.projects_led_by("pn-r01", co=False)} == {"pn-p1", "pn-p3"}
    assert [r.id for r in g.leads_of("pn-p1")] == ["pn-r01", "pn-r02"]
    assert [r.id for r in g.volunteers("pn-p2")] == ["pn-r06"]
    assert [a.id for a in g.activities(project="pn-p1")] == ["pn-a2"]
    saturday = g.get("pn-a2", Activity)
    assert saturday.date.weekday() == 5 and saturday.organisers == ("pn-r01", "pn-r02")
    assert [r.id for r in g.attendees("pn-a2")] == ["pn-r05", "pn-r07", "pn-r08"]
    assert [r.id for r in g.audience("pn-p2")] == ["pn-r06", "pn-r07"]
    assert {r.id for r in g.members("pingnan-elders")} == {"pn-r03", "pn-r06", "pn-r07"}
    assert {r.id for r in g.members("pn-g1")} == {"pn-r01", "pn-r02", "pn-r05"}
    assert {x.id for x in g.memberships("pn-r01")} == {"pn-g1", "pn-g2", "pn-g3"}
    assert {r.id for r in g.neighbours("pn-r01")} == {"pn-r02", "pn-r04", "pn-r05"}
    assert g.hierarchy("pingnan") == ("pingnan", "longgang-st", "longgang")
    assert g.place_of("pn-a2") == "pingnan"
    assert len(g.residents("longgang")) == len(g.residents()) == 9
    assert len(g.residents(role=Role.VOLUNTEER)) == 6
    assert [p.id for p in g.projects(theme="anti_fraud")] == ["pn-p2"]
    assert len(g.activities(activity_kind=ActivityKind.OUTREACH)) == 3
    assert [o.id for o in g.organizations(org_kind="hub")] == ["lg-sic", "lgst-sic"]
    assert g.need("pn-p3-pets")[0].id == "pn-p3"
    with pytest.raises(ValidationError):
        g.members("pn-r01")


def test_projections_and_views(example: CommunityGraph) -> None:
    g = example
    social = g.social_graph()
    assert social.number_of_nodes() == 9 and social["pn-r01"]["pn-r02"]["weight"] == 3
    co = g.coparticipation()
    # Zhang Hao and Liu Fang share group 1, project 1 (lead and co-lead) and two activities
    assert co["pn-r01"]["pn-r02"]["weight"] == 4
    nxg = g.to_networkx()
    assert nxg.has_edge("pn-r01", "pn-p1", key="leads")
    assert nxg.has_edge("pn-r05", "pn-a2", key="attended")
    only = g.to_networkx(relations=["knows"])
    assert {k for _, _, k in only.edges(keys=True)} == {"knows"}
    nxg.remove_node("pn-r01")  # a copy: the graph is untouched
    assert "pn-r01" in g


def test_subgraph_keeps_references_resolvable() -> None:
    g = _base()
    g.add(
        Activity(
            id="a1",
            name="Meeting",
            activity_kind="mobilisation",
            date=dt.date(2019, 6, 1),
            place="c",
            attendees=["r1", "r3"],
        )
    )
    sub = g.subgraph("c")
    assert {r.id for r in sub.residents()} == {"r1", "r2"}
    a = sub.get("a1", Activity)
    assert a.attendees == ("r1",) and a.headcount == 2
    assert sub.hierarchy("c") == ("c", "s", "d")


def test_summary_counts(example: CommunityGraph) -> None:
    summary = example.summary()
    assert summary.counts["resident"] == 9
    assert summary.relations["attended"] == 12
    row = summary.to_rows()[0]
    assert row["leaders"] == 1 and row["attendance"] == 260
    assert "Pingnan" in str(summary)


def test_index_is_rebuilt_after_a_change(example: CommunityGraph) -> None:
    g = example
    index = g.index
    assert g.index is index
    knows = index.knows
    assert knows.shape == (9, 9) and (knows != knows.T).nnz == 0
    attended = index.incidence(Relation.ATTENDED, "activity")
    assert attended.sum() == 12
    g.link("pn-r07", "knows", "pn-r08")
    assert g.index is not index
    assert g.index.knows.nnz == knows.nnz + 2
    hours = g.index.incidence(Relation.VOLUNTEERS_IN, "project", weight="hours")
    assert hours.sum() == 5


@settings(max_examples=40)
@given(graphs())
def test_generated_graphs_are_consistent(g: CommunityGraph) -> None:
    # every derived or explicit edge joins two entities of the graph
    for u, w, _, _ in g.edges():
        assert u in g and w in g
    assert g.nx.number_of_nodes() == len(g)
    assert g.copy() == g


_ORDER_SCRIPT = textwrap.dedent(
    """
    import vchuang
    g = vchuang.load_example()
    print([r.id for r in g.residents()])
    print([(u, w, r.value) for u, w, r, _ in g.edges()])
    print(sorted(g.coparticipation().edges(data="weight")))
    print(vchuang.dumps(g))
    """
)


def test_iteration_order_does_not_depend_on_the_hash_seed() -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _ORDER_SCRIPT],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_change_adds_and_replaces_in_one_step() -> None:
    g = _base()
    before = vchuang.dumps(g)
    new_project = Project(id="p2", name="P2", community="c")
    moved = g.get("r2", Resident)
    with pytest.raises(IntegrityError):  # the replaced resident names a missing community
        g.change(
            add=[new_project, Link(source="r2", relation=Relation.LEADS, target="p2")],
            replace=[attrs.evolve(moved, community="nowhere")],
        )
    assert vchuang.dumps(g) == before
    g.change(
        add=[new_project, Link(source="r2", relation=Relation.LEADS, target="p2")],
        replace=[attrs.evolve(moved, community="c2")],
    )
    assert [p.id for p in g.projects_led_by("r2")] == ["p2"]
    assert g.get("r2", Resident).community == "c2"
    with pytest.raises(IntegrityError, match="already in the graph"):
        g.change(add=[Resident(id="r1", name="dup", community="c")])
    with pytest.raises(UnknownEntityError):
        g.change(replace=[Resident(id="zz", name="Z", community="c")])


# --------------------------------------------------------------------------- leaks


def test_index_incidence_cache_kept_every_graph_alive() -> None:
    """Regression (issue 16): ``GraphIndex.incidence`` was a ``functools.cache`` on a
    method, so the module-level cache held every index (and its graph) ever asked; a
    dropped graph must be freed once its index has built an array."""
    import gc
    import weakref

    from vchuang.datasets import synthetic

    g = synthetic(2_000, rng=1)
    index = g.index
    attended = index.incidence(Relation.ATTENDED, "activity")
    assert attended.shape[0] == len(g.residents())
    assert index.incidence(Relation.ATTENDED, "activity") is attended  # still cached
    graph_ref, index_ref = weakref.ref(g), weakref.ref(index)
    del g, index, attended
    gc.collect()
    assert graph_ref() is None
    assert index_ref() is None


def _cached_methods(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, name)`` of every function taking ``self`` decorated with
    ``functools.cache`` / ``functools.lru_cache`` (called or not, imported by either name)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        args = node.args.posonlyargs + node.args.args
        if not args or args[0].arg != "self":
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = (
                target.attr
                if isinstance(target, ast.Attribute)
                else target.id
                if isinstance(target, ast.Name)
                else ""
            )
            if name in {"cache", "lru_cache"}:
                found.append((node.lineno, node.name))
    return found


def test_no_module_level_cache_decorates_a_method() -> None:
    """A ``functools.cache`` / ``lru_cache`` on a method keys on ``self`` in a cache that
    lives as long as the class: every instance asked stays alive (the index leak).
    Cache per instance instead (a dict on the instance, or ``functools.cached_property``)."""
    src = Path(vchuang.__file__).parent
    offenders = [
        f"{path.relative_to(src)}:{line} {name}"
        for path in sorted(src.rglob("*.py"))
        for line, name in _cached_methods(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []
    # the scan finds the pattern it forbids
    leaky = textwrap.dedent(
        """
        import functools
        from functools import lru_cache
        class A:
            @functools.cache
            def f(self, x): ...
            @lru_cache(maxsize=8)
            def g(self): ...
            @functools.cached_property
            def h(self): ...
        @functools.cache
        def free(x): ...
        """
    )
    assert [name for _, name in _cached_methods(ast.parse(leaky))] == ["f", "g"]
