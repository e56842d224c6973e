"""Built-in datasets: the Longgang pilot states the case's facts, the packaged JSON is what
the builder makes, Davis's record is intact, and the synthetic generator has the structure
it promises, reproducibly."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vchuang
from vchuang import ActivityKind, AgeBand, CommunityGraph, OrgKind, Relation, Role
from vchuang.datasets import (
    davis_southern_women,
    longgang_pilot,
    longgang_pilot_path,
    synthetic,
)
from vchuang.datasets._longgang import build_longgang_pilot
from vchuang.datasets._longgang import main as rebuild_main
from vchuang.errors import ValidationError
from vchuang.io import _columns, records_from_columns
from vchuang.model import Link

ROOT = Path(__file__).resolve().parent.parent
MINOR_NAME = re.compile(r"^(Child|Teen) \([^)]+\)( \d+)?$")
PINYIN_NAME = re.compile(r"^[A-Z][a-z]+ [A-Z][a-z]+$")


@pytest.fixture(scope="module")
def pilot() -> CommunityGraph:
    return longgang_pilot()


def _pingnan_leader(g: CommunityGraph) -> vchuang.Resident:
    found = [
        r
        for r in g.leaders("pingnan")
        if (r.skill_level("graphic_design") or 0) >= vchuang.Level.ADVANCED
    ]
    assert len(found) == 1, "one design-skilled leader in Pingnan"
    return found[0]


# --------------------------------------------------------------------------- the pilot


def test_places_and_the_one_plus_n_system(pilot: CommunityGraph) -> None:
    assert [d.name_zh for d in pilot.districts()] == ["龙岗区"]
    streets = {c.name: pilot.get(c.subdistrict).name_zh for c in pilot.communities()}
    assert streets == {"Pingnan": "龙岗街道", "He'ao": "园山街道", "Hehua": "平湖街道"}
    hubs = pilot.organizations(org_kind=OrgKind.HUB)
    (district_hub,) = [h for h in hubs if h.parent is None]
    assert district_hub.name_zh == "龙岗社会创新中心"
    assert district_hub.place == "longgang"
    street_hubs = [h for h in hubs if h.parent == district_hub.id]
    assert sorted(h.place for h in street_hubs) == sorted(s.id for s in pilot.subdistricts())
    for community in pilot.communities():
        centres = pilot.organizations(community.id, org_kind=OrgKind.SERVICE_CENTRE)
        assert len(centres) == 1
        assert centres[0].name_zh.endswith("党群服务中心")
        assert community.population is not None and community.population > 1000


def test_people_counts(pilot: CommunityGraph) -> None:
    assert len(pilot.leaders()) == 16
    assert len(pilot.engaged()) >= 100
    assert len(pilot.projects()) >= 10
    for community in pilot.communities():
        assert pilot.leaders(community.id), community.name
        workers = pilot.residents(community.id, role=Role.SOCIAL_WORKER)
        assert len(workers) >= 1
        # residents who are not engaged exist too: the audience
        assert len(pilot.residents(community.id)) > len(pilot.engaged(community.id))
    # every leader leads or co-leads something
    for leader in pilot.leaders():
        assert pilot.projects_led_by(leader.id), leader.id


def test_everyone_has_an_invented_name_and_minors_only_a_label(pilot: CommunityGraph) -> None:
    residents = pilot.residents()
    day = pilot.metadata.as_of
    assert day is not None
    minors = [r for r in residents if r.minor_on(day)]
    adults = [r for r in residents if not r.minor_on(day)]
    assert len(minors) >= 10
    for r in minors:
        assert MINOR_NAME.match(r.name), r.name
        assert r.birth_year is None
        assert not r.consent_to_name
    for r in adults:
        assert PINYIN_NAME.match(r.name), r.name
    names = [r.name for r in adults]
    assert len(set(names)) == len(names)
    assert not any(r.consent_to_name for r in residents)
    # no minor's label leaks into any other text of the dataset
    text = vchuang.dumps(pilot)
    for r in minors:
        assert text.count(f'"{r.name}"') == 1


def test_the_pingnan_leader_and_his_three_groups(pilot: CommunityGraph) -> None:
    leader = _pingnan_leader(pilot)
    assert leader.community == "pingnan"
    assert pilot.taxonomy.label(leader.skills[0].skill) == "graphic design"
    assert leader.hours_per_week >= 8  # flexible working hours
    groups = [
        x.target
        for x in pilot.links(leader.id, Relation.LEADS)
        if pilot.kind_of(x.target) == "group"
    ]
    assert len(groups) == 3
    neighbours = {m.id for g in groups for m in pilot.members(g)} - {leader.id}
    assert len(neighbours) == 20
    themes = {t for g in groups for t in pilot.get(g).themes}
    assert themes == {"high_altitude_throwing", "anti_fraud", "dog_ownership"}
    campaigns = [p for t in sorted(themes) for p in pilot.projects("pingnan", theme=t)]
    assert len(campaigns) == 3
    assert all(p in pilot.projects_led_by(leader.id) for p in campaigns)
    known = {r.id for r in pilot.neighbours(leader.id)}
    assert neighbours <= known


def test_the_saturday_21_september_campaign(pilot: CommunityGraph) -> None:
    day = dt.date(2019, 9, 21)
    assert day.weekday() == 5  # a Saturday
    (event,) = [a for a in pilot.activities("pingnan") if a.date == day]
    assert event.activity_kind is ActivityKind.OUTREACH
    leader = _pingnan_leader(pilot)
    (spouse_id,) = [o for o in event.organisers if o != leader.id]
    spouse = pilot.get(spouse_id)
    assert set(event.organisers) == {leader.id, spouse_id}
    assert spouse.household == leader.household is not None
    assert spouse_id in {r.id for r in pilot.neighbours(leader.id)}
    assert event.project is not None
    assert set(pilot.get(event.project).themes) & {
        "high_altitude_throwing",
        "anti_fraud",
        "dog_ownership",
    }
    assert event.headcount > len(event.attendees) > 0


def test_heao_golden_ideas(pilot: CommunityGraph) -> None:
    (call,) = pilot.calls("heao")
    assert call.opens is not None and call.opens.month == 7
    assert call.organiser is not None
    assert pilot.get(call.organiser).org_kind is OrgKind.SERVICE_CENTRE
    ideas = pilot.proposals(call.id)
    assert len(ideas) == 12
    assert all(i.submitted is not None and i.submitted.month == 7 for i in ideas)
    (little,) = [i for i in ideas if i.name_zh == "小小社会人"]
    assert little.name == "Little Social Citizens"
    assert "traffic_safety" in little.themes
    kids = [pilot.get(r) for r in little.proposers]
    assert len(kids) == 3
    assert all(k.minor_on(call.opens) and k.age_band is AgeBand.CHILD for k in kids)
    assert all(MINOR_NAME.match(k.name) for k in kids)
    assert little.project is not None
    assert pilot.get(little.project).community == "heao"
    selected = [i for i in ideas if i.project is not None]
    assert 1 <= len(selected) < 12


def test_projects_cover_the_case_themes(pilot: CommunityGraph) -> None:
    themes = {t for p in pilot.projects() for t in p.themes}
    assert {
        "high_altitude_throwing",
        "anti_fraud",
        "dog_ownership",
        "traffic_safety",
        "elder_culture",
        "safety_patrol",
        "home_safety",
        "youth_safety",
        "mental_health",
        "migrant_children",
    } <= themes
    names = {p.name_zh for p in pilot.projects()}
    assert {"心灵驿站", "小小社会人", "平安义工巡逻"} <= names
    stages = Counter(p.stage for p in pilot.projects())
    assert len(stages) >= 4  # plausible mix of stages
    for p in pilot.projects():
        assert pilot.leads_of(p.id, co=False), p.id
        assert p.needs and p.target_segments
        assert p.budget_fen >= 0 and isinstance(p.budget_fen, int)


def test_some_needs_stay_unmet(pilot: CommunityGraph) -> None:
    unmet = []
    for p in pilot.projects():
        people = pilot.residents(p.community)
        for need in p.needs:
            if need.skill is None:
                continue
            if not any((r.skill_level(need.skill) or 0) >= need.min_level for r in people):
                unmet.append(need.id)
    assert unmet, "matching should have work to do"


def test_process_activities_in_2019_with_attendance(pilot: CommunityGraph) -> None:
    for community in pilot.communities():
        kinds = {a.activity_kind for a in pilot.activities(community.id)}
        assert {
            ActivityKind.MOBILISATION,
            ActivityKind.SELECTION_MEETING,
            ActivityKind.VOLUNTEER_MEETING,
            ActivityKind.OUTREACH,
        } <= kinds
    for a in pilot.activities():
        assert a.date.year == 2019
        assert a.attendees or a.attendance
        assert all(pilot.kind_of(r) == "resident" for r in (*a.attendees, *a.organisers))
    crowds = [a for a in pilot.activities() if a.attendance and a.attendance > len(a.attendees)]
    assert len(crowds) >= 10


def test_segments_resources_and_micro_funds(pilot: CommunityGraph) -> None:
    for community in pilot.communities():
        segments = pilot.segments(community.id)
        assert {s.id.split("-", 1)[1] for s in segments} >= {
            "elders",
            "children",
            "youth",
            "migrant-families",
            "dog-owners",
        }
        for s in segments:
            assert s.population is not None
            assert len(pilot.members(s.id)) <= s.population <= community.population
    funds = pilot.organizations(org_kind=OrgKind.FUND)
    (root,) = [f for f in funds if f.parent is None]
    assert root.name == "Longgang Social Innovation Charity Fund"
    branches = [f for f in funds if f.parent == root.id]
    assert len(branches) == 3
    for community in pilot.communities():
        (micro,) = [f for f in funds if f.place == community.id]
        branch = pilot.get(micro.parent)
        assert branch.parent == root.id
        assert branch.place == community.subdistrict
    for resource in pilot.resources():
        assert resource.provider is not None
        if resource.amount_fen is not None:
            assert isinstance(resource.amount_fen, int)
    venues = pilot.resources(resource_kind="venue")
    assert {pilot.get(v.provider).org_kind for v in venues} == {OrgKind.SERVICE_CENTRE}
    assert pilot.links(relation=Relation.FUNDS)


def test_metadata(pilot: CommunityGraph) -> None:
    meta = pilot.metadata
    assert meta.as_of == dt.date(2019, 12, 31)
    assert "V创空间" in meta.title
    assert meta.license and meta.source and meta.description


def test_summary_shows_the_programme(pilot: CommunityGraph) -> None:
    summary = pilot.summary()
    rows = {row["community"]: row for row in summary.to_rows()}
    assert set(rows) == {"Pingnan", "He'ao", "Hehua"}
    assert sum(row["leaders"] for row in rows.values()) == 16
    assert "V创空间" in str(summary)


# --------------------------------------------------------------------------- the JSON


def test_bundled_json_equals_the_builder() -> None:
    built = build_longgang_pilot()
    assert longgang_pilot() == built
    text = Path(longgang_pilot_path()).read_text("utf-8")
    assert text == vchuang.dumps(built), (
        "the packaged document is stale: run python -m vchuang.datasets._longgang"
    )


def test_each_call_gives_a_fresh_graph() -> None:
    a = longgang_pilot()
    a.remove(a.ids("proposal")[0])
    assert len(longgang_pilot().proposals()) == 12


def test_rebuild_entry_point_writes_the_same_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pilot.json"
    assert rebuild_main([str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert out.read_text("utf-8") == Path(longgang_pilot_path()).read_text("utf-8")


# --------------------------------------------------------------------------- Davis


def test_davis_southern_women_counts() -> None:
    g = davis_southern_women()
    assert len(g.residents()) == 18
    assert len(g.activities()) == 14
    assert sum(len(a.attendees) for a in g.activities()) == 89
    assert len(g.communities()) == 1


def test_davis_matches_networkx() -> None:
    source = nx.davis_southern_women_graph()
    g = davis_southern_women()
    by_name = {r.name: r.id for r in g.residents()}
    assert set(by_name) == set(source.graph["top"])
    for i, event in enumerate(source.graph["bottom"], start=1):
        activity = g.get(f"e{i:02d}")
        assert event in activity.name
        expected = {by_name[w] for w in source.neighbors(event)}
        assert set(activity.attendees) == expected
    # Davis, Gardner & Gardner (1941): event 1 is dated 6/27, event 14 is 8/3;
    # Evelyn Jefferson went to 8 events, the most-attended event (E8) drew 14 women.
    assert (g.get("e01").date.month, g.get("e01").date.day) == (6, 27)
    assert (g.get("e14").date.month, g.get("e14").date.day) == (8, 3)
    assert len(g.activities_attended(by_name["Evelyn Jefferson"])) == 8
    assert max(len(a.attendees) for a in g.activities()) == 14
    assert "Deep South" in g.metadata.source


# --------------------------------------------------------------------------- synthetic


def _structure(g: CommunityGraph) -> dict[str, Any]:
    index = g.index
    knows = index.knows
    degree = np.diff(knows.indptr)
    comm = index.resident_community
    rows, cols = knows.nonzero()
    within = int((comm[rows] == comm[cols]).sum()) // 2
    across = int((comm[rows] != comm[cols]).sum()) // 2
    pos = index.position("resident")
    leaders = np.array([pos[r.id] for r in g.leaders()], dtype=np.int64)
    households = Counter(r.household for r in g.residents())
    household_degree = sum(s * (s - 1) for s in households.values()) / len(g.residents())
    return {
        "degree": degree,
        "within": within,
        "across": across,
        "leaders": leaders,
        "household_degree": household_degree,
    }


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1_500, 4_000), n_communities=st.integers(2, 5))
def test_synthetic_structure(seed: int, n: int, n_communities: int) -> None:
    g = synthetic(n, n_communities=n_communities, rng=seed)
    s = _structure(g)
    degree = s["degree"]
    assert len(g.residents()) == n
    assert len(g.communities()) == n_communities
    # degree distribution within a band around the model's expectation
    expected = 2.0 + 1.0 + 0.2 + s["household_degree"]
    assert 0.85 * expected <= degree.mean() <= 1.1 * expected
    assert degree.max() <= 40
    assert (degree == 0).mean() < 0.05
    # many more ties within communities than across them
    assert s["within"] > 5 * s["across"] > 0
    # leaders sit where the network is dense
    assert s["leaders"].size >= n_communities
    assert degree[s["leaders"]].mean() > degree.mean() + 1
    engaged = g.engaged()
    assert 0 < len(g.leaders()) < len(engaged) < 0.05 * n


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_synthetic_records_hang_together(seed: int) -> None:
    g = synthetic(2_000, n_communities=3, rng=seed)
    for segment in g.segments():
        assert segment.population == len(g.members(segment.id))
    for community in g.communities():
        assert community.population == len(g.residents(community.id))
    assert len(g.projects()) == len(g.leaders())
    for project in g.projects():
        (lead,) = g.leads_of(project.id, co=False)
        assert lead.community == project.community
        assert project.target_segments and project.needs
    for activity in g.activities():
        assert activity.date.year == 2019
        for rid in activity.attendees:
            assert g.get(rid).community == activity.place
    for r in g.residents():
        if r.minor_on(dt.date(2019, 12, 31)):
            assert MINOR_NAME.match(r.name), r.name
            assert not r.skills and not r.roles
        for item in r.skills:
            assert item.skill in g.taxonomy
    kinds = Counter(a.activity_kind for a in g.activities())
    assert kinds[ActivityKind.MOBILISATION] == 3
    assert kinds[ActivityKind.OUTREACH] > 0
    hubs = g.organizations(org_kind=OrgKind.HUB)
    assert [h for h in hubs if h.parent is None]


def test_synthetic_is_reproducible_and_seed_dependent() -> None:
    a = synthetic(3_000, rng=11)
    assert synthetic(3_000, rng=11) == a
    b = synthetic(3_000, rng=np.random.default_rng(11))
    assert list(b) == list(a) and b.links() == a.links()  # metadata names the seed
    assert synthetic(3_000, rng=12) != a
    assert len(a.communities()) == 3  # at least three by default


def test_synthetic_defaults_scale_communities() -> None:
    g = synthetic(40_000, rng=0, engaged_share=0.0)
    assert len(g.communities()) == 4
    assert not g.engaged() and not g.projects()
    assert len(g.activities()) == 4 * 4  # the community meetings only


def test_synthetic_tiny_and_edge_cases() -> None:
    g = synthetic(1, rng=0)
    assert len(g.residents()) == 1 and len(g.communities()) == 1
    g = synthetic(5, n_communities=5, rng=0, degree_building=0, degree_community=0, degree_across=0)
    assert len(g.communities()) == 5


def test_synthetic_rejects_bad_parameters() -> None:
    with pytest.raises(ValidationError) as info:
        synthetic(0)
    assert info.value.problems[0].path == "n_residents"
    with pytest.raises(ValidationError) as info:
        synthetic(100, n_communities=200, engaged_share=1.5, degree_across=-1, year=3000)
    paths = {p.path for p in info.value.problems}
    assert {"n_communities", "engaged_share", "degree_across", "year"} <= paths
    with pytest.raises(ValidationError):
        synthetic(100, rng=-1)
    with pytest.raises(ValidationError):
        synthetic(True)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- determinism

_FINGERPRINT = """
import hashlib, vchuang
from vchuang.datasets import synthetic
from vchuang.datasets._longgang import build_longgang_pilot
for g in (build_longgang_pilot(), synthetic(3000, n_communities=3, rng=5)):
    print(hashlib.sha256(vchuang.dumps(g).encode()).hexdigest())
"""


def test_same_output_whatever_the_hash_seed() -> None:
    outputs = []
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        proc = subprocess.run(
            [sys.executable, "-c", _FINGERPRINT],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.append(proc.stdout.split())
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 2


# ------------------------------------------------------- the same district, built in bulk

#: ``sha256(vchuang.dumps(synthetic(n, rng=seed)))`` as the record-by-record generator
#: gave it before records were built column-wise (issue 23 item 5). If the JSON format
#: itself changes, recompute these from a commit whose generator is known good.
_DISTRICT_HASHES = {
    (1, 0): "8d6ed861e5bba72f8d8c16c843eb315a41baf2033015a084f082d6a2bf88cab2",
    (5, 7): "817ba9a68581b28a033c82267b79e315564c3379ee793b1a0870599fb678abfc",
    (200, 0): "f768210e4407af2fffdef2946b12e30de91e8972de7f6eb2b185ef5555db7945",
    (200, 1): "7f1160615ab728a6af9ca050274aaaef2bfbc04c828e5f24253349536edab6cb",
    (200, 7): "4a9cc6d1675eef69fa6d6bdbc2fc702a7361e624ffb4833b4a005b9dd6194bf4",
    (3000, 1): "24a569f2d3a1785d64e1986fc3af87e7a5bed0ae176c3d00c799f1ae0e2d0a9c",
}
_CUSTOM_HASH = "d45ec2d1859b371a1a19405258c95e6d05bc91c335adc204709a78be85cc74ad"


def _digest(g: CommunityGraph) -> str:
    return hashlib.sha256(vchuang.dumps(g).encode()).hexdigest()


@pytest.mark.parametrize(("n", "seed"), sorted(_DISTRICT_HASHES))
def test_bulk_built_district_is_byte_identical(n: int, seed: int) -> None:
    assert _digest(synthetic(n, rng=seed)) == _DISTRICT_HASHES[n, seed]


def test_bulk_built_district_is_byte_identical_with_every_parameter_set() -> None:
    g = synthetic(
        2000,
        n_communities=3,
        n_subdistricts=2,
        building_size=40,
        degree_across=0.0,
        engaged_share=0.1,
        leader_share=0.3,
        activities_per_project=2,
        named_per_activity=5,
        year=2021,
        rng=3,
    )
    assert _digest(g) == _CUSTOM_HASH


def test_bulk_built_records_are_what_their_classes_make(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Records built column-wise hold the converted values (tuples, enum members) the
    class itself would store, and none was built one by one (the slow fallback)."""
    slow: list[type] = []
    one_by_one = _columns._one_by_one
    monkeypatch.setattr(
        _columns, "_one_by_one", lambda cls, *a: slow.append(cls) or one_by_one(cls, *a)
    )
    g = synthetic(1500, rng=2)
    assert not slow
    for record in [*g, *g.links()]:
        assert attrs.evolve(record) == record
    assert all(link.key == attrs.evolve(link).key for link in g.links())
    assert vchuang.loads(vchuang.dumps(g)) == g


def test_records_from_columns_falls_back_to_the_class_to_name_a_problem() -> None:
    knows = [Relation.KNOWS] * 2
    with pytest.raises(ValidationError):  # a link to itself: the class says so
        records_from_columns(
            Link, 2, {"source": ["a", "b"], "relation": knows, "target": ["b", "b"]}
        )
    with pytest.raises(ValueError, match="holds 1 values"):
        records_from_columns(Link, 2, {"source": ["a"], "relation": knows, "target": ["b", "c"]})
    with pytest.raises(TypeError):  # a required field left out
        records_from_columns(Link, 2, {"source": ["a", "b"], "relation": knows})
    made = records_from_columns(
        Link, 2, {"source": ["a", "b"], "relation": ["knows"] * 2, "target": ["b", "c"]}
    )  # a value to convert: the checks refuse it in bulk, the class converts it
    assert made == [
        Link(source="a", relation="knows", target="b"),
        Link(source="b", relation="knows", target="c"),
    ]


# --------------------------------------------------------------------------- benchmark


def test_quick_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "benchmarks" / "bench_datasets.py"
    spec = importlib.util.spec_from_file_location("bench_datasets", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.main(["--quick"])
    out = capsys.readouterr().out
    assert "10,000" in out
    (size_row,) = [r for r in rows if "synthetic_s" in r]
    assert size_row["residents"] == 10_000
    assert size_row["within_target"]
    assert json.dumps(rows)  # plain numbers
