"""Tests of vchuang.talent: talent ranking (能人) and key players (Borgatti 2006)."""

from __future__ import annotations

import importlib.util
import itertools
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vchuang
from strategies import graphs
from vchuang.errors import UnknownEntityError, ValidationError
from vchuang.model import (
    Community,
    District,
    Group,
    Level,
    Link,
    Need,
    Project,
    Relation,
    Resident,
    Role,
    Stage,
    Subdistrict,
)
from vchuang.privacy import is_minor
from vchuang.talent import (
    FEATURES,
    KeyPlayers,
    TalentRanking,
    _centrality,
    _common,
    key_players,
    rank_talents,
)

ROOT = Path(__file__).parent.parent


# --------------------------------------------------------------------------- helpers


def as_community_graph(net: nx.Graph, prefix: str = "r") -> vchuang.CommunityGraph:
    """A classic network as residents of one community with `knows` ties (weight 1)."""
    g = vchuang.CommunityGraph()
    g.add(
        District(id="d", name="D"),
        Subdistrict(id="s", name="S", district="d"),
        Community(id="c", name="C", subdistrict="s"),
    )
    g.add_all([Resident(id=f"{prefix}{v}", name=f"Person {v}", community="c") for v in net])
    g.add_all(
        [
            Link(source=f"{prefix}{u}", relation=Relation.KNOWS, target=f"{prefix}{v}")
            for u, v in net.edges
        ]
    )
    return g


def reference_score(net: nx.Graph, members: tuple[Any, ...], objective: str, m: int = 1) -> float:
    """Borgatti's measures straight from their definitions, with networkx."""
    n = net.number_of_nodes()
    if objective == "reach":
        reached = set(members)
        for s in members:
            reached |= set(nx.single_source_shortest_path_length(net, s, cutoff=m))
        return len(reached) / n
    if objective == "distance_reach":
        total = 0.0
        for j in net:
            d = min(
                (nx.shortest_path_length(net, s, j) for s in members if nx.has_path(net, s, j)),
                default=None,
            )
            total += 0.0 if d is None else 1.0 / max(d, 1)
        return total / n
    rest = net.subgraph([v for v in net if v not in members])
    k = rest.number_of_nodes()
    if k < 2:
        return 1.0
    if objective == "fragmentation":
        pairs = sum(len(c) * (len(c) - 1) for c in nx.connected_components(rest))
        return 1 - pairs / (k * (k - 1))
    inv = sum(
        1 / d for _, row in nx.all_pairs_shortest_path_length(rest) for d in row.values() if d > 0
    )
    return 1 - inv / (k * (k - 1))


def best_by_brute_force(net: nx.Graph, k: int, objective: str, m: int = 1) -> float:
    return max(reference_score(net, s, objective, m) for s in itertools.combinations(net, k))


OBJECTIVES = ["reach", "distance_reach", "fragmentation", "distance_fragmentation"]


# --------------------------------------------------------------------------- network measures


@pytest.mark.parametrize(
    "net",
    [
        nx.karate_club_graph(),  # Zachary (1977)
        nx.florentine_families_graph(),  # Padgett & Ansell (1993)
        nx.krackhardt_kite_graph(),  # Krackhardt (1990)
    ],
    ids=["karate", "florentine", "kite"],
)
def test_position_features_equal_networkx(net: nx.Graph) -> None:
    """With `knows` ties only, the network features are networkx's own measures."""
    g = as_community_graph(net)
    ranking = rank_talents(g, ties="knows")
    btw = nx.betweenness_centrality(net)
    pr = nx.pagerank(net, weight=None)  # the karate club carries weights; knows ties are 1
    con = nx.constraint(net)
    for v in net:
        t = ranking[f"r{v}"]
        assert t.values["degree"] == net.degree(v)
        assert t.values["betweenness"] == pytest.approx(btw[v], abs=1e-12)
        assert t.values["pagerank"] == pytest.approx(pr[v], abs=1e-12)
        assert t.values["brokerage"] == pytest.approx(max(0.0, 1 - con[v]), abs=1e-12)


def test_known_values_kite_and_florentine() -> None:
    # Krackhardt's kite (Krackhardt 1990): Heather (node 7) has the highest
    # betweenness, 14 of the 36 pairs of others (normalised 14/36); Diane (3) the most ties.
    kite = rank_talents(as_community_graph(nx.krackhardt_kite_graph()), ties="knows")
    best = max(kite, key=lambda t: t.values["betweenness"])
    assert best.resident == "r7"
    assert best.values["betweenness"] == pytest.approx(14 / 36)
    assert max(kite, key=lambda t: t.values["degree"]).resident == "r3"
    # Florentine families (Padgett & Ansell 1993): the Medici broker the marriage network.
    flo = rank_talents(as_community_graph(nx.florentine_families_graph()), ties="knows")
    assert max(flo, key=lambda t: t.values["betweenness"]).resident == "rMedici"
    assert max(flo, key=lambda t: t.values["brokerage"]).resident == "rMedici"
    assert flo[0].resident == "rMedici"  # with only network evidence, they rank first


def test_sampled_betweenness_matches_networkx_pivots(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above the exact limit, the pivots are the ones networkx samples for that seed."""
    monkeypatch.setattr(_centrality, "BETWEENNESS_EXACT_LIMIT", 10)
    net = nx.karate_club_graph()
    ranking = rank_talents(as_community_graph(net), ties="knows", pivots=8, rng=3)
    assert ranking.betweenness == "sampled"
    assert ranking.pivots == 8
    seed = int(np.random.default_rng(3).integers(2**31))
    ref = nx.betweenness_centrality(nx.convert_node_labels_to_integers(net), k=8, seed=seed)
    for i, v in enumerate(net):
        assert ranking[f"r{v}"].values["betweenness"] == pytest.approx(ref[i], abs=1e-12)


def test_determinism_with_rng(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_centrality, "BETWEENNESS_EXACT_LIMIT", 10)
    g = as_community_graph(nx.les_miserables_graph())
    a = rank_talents(g, pivots=12, rng=7)
    b = rank_talents(g, pivots=12, rng=7)
    assert a == b
    assert a.to_rows() == b.to_rows()
    c = rank_talents(g, pivots=12, rng=8)
    assert not np.array_equal(a.values[:, 1], c.values[:, 1])


def test_same_output_whatever_the_hash_seed() -> None:
    code = (
        "import vchuang, json\n"
        "from vchuang.talent import rank_talents, key_players\n"
        "g = vchuang.load_example()\n"
        "r = rank_talents(g, rng=1)\n"
        "k = key_players(g, 2, objective='fragmentation', restarts=2, rng=1)\n"
        "print(json.dumps([r.to_rows(), k.to_rows()], default=str))\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("0", "123")
    }
    assert len(outs) == 1


# --------------------------------------------------------------------------- ranking


def test_example_ranking_and_reasons(example: vchuang.CommunityGraph) -> None:
    ranking = rank_talents(example)
    assert isinstance(ranking, TalentRanking)
    # the social worker is not ranked, every other resident is
    assert "pn-sw1" not in ranking.residents
    assert len(ranking) == len(example.residents()) - 1
    best = ranking[0]
    assert best.resident == "pn-r01"  # the leader with advertising-design skills
    text = " ".join(best.reasons)
    assert "leads Nothing falls from above" in text
    assert "could fill 1 open need: graphic design (Nothing falls from above)" in text
    assert "connects" in text and "Fraud watchers" in text  # a bridge between groups
    assert "took part in 3 activities" in text
    # reasons never name residents, and a minor's name never appears anywhere
    names = [r.name for r in example.residents()]
    for t in ranking:
        for reason in t.reasons:
            assert not any(name in reason for name in names)
    assert "Child A" not in repr(ranking.to_rows())
    assert rank_talents(example, include_staff=True)["pn-sw1"].rank >= 1


def test_chinese_reasons(example: vchuang.CommunityGraph) -> None:
    best = rank_talents(example, lang="zh")[0]
    assert any(r.startswith("带领拒绝高空抛物") for r in best.reasons)
    assert any("平面设计（拒绝高空抛物）" in r for r in best.reasons)


@settings(max_examples=25, deadline=None)
@given(graph=graphs())
def test_scores_in_range_and_parts_add_up(graph: vchuang.CommunityGraph) -> None:
    ranking = rank_talents(graph, include_staff=True)
    assert len(ranking) == len(graph.residents())
    assert np.all((ranking.scores >= 0) & (ranking.scores <= 1))
    assert np.all((ranking.normalised >= 0) & (ranking.normalised <= 1))
    assert sum(ranking.weights.values()) == pytest.approx(1.0)
    previous = None
    for t in ranking:
        assert sum(t.parts.values()) == pytest.approx(t.score, abs=1e-9)
        key = (-round(t.score, 12), t.resident)
        assert previous is None or previous <= key  # best first, ties by ID
        previous = key
    # each community's ranks run 1, 2, 3 ...
    for c in set(ranking.communities):
        ranks = [t.community_rank for t in ranking if t.community == c]
        assert ranks == list(range(1, len(ranks) + 1))


def test_invariant_under_relabelling() -> None:
    net = nx.karate_club_graph()
    perm = np.random.default_rng(0).permutation(len(net))
    a = rank_talents(as_community_graph(net))
    relabelled = nx.relabel_nodes(net, {v: int(perm[v]) for v in net})
    b = rank_talents(as_community_graph(relabelled, prefix="x"))
    for v in net:
        ta, tb = a[f"r{v}"], b[f"x{perm[v]}"]
        assert ta.score == pytest.approx(tb.score, abs=1e-12)
        assert ta.values == pytest.approx(tb.values, abs=1e-12)


def test_leader_with_ties_removed_drops_in_rank(example: vchuang.CommunityGraph) -> None:
    before = rank_talents(example, ties="knows")
    leader = before[0].resident
    for link in example.links(leader, Relation.KNOWS):  # either direction
        example.unlink(link.source, link.relation, link.target)
    after = rank_talents(example, ties="knows")
    assert after[leader].values["degree"] == 0
    assert after[leader].values["betweenness"] == after[leader].values["brokerage"] == 0
    assert after[leader].groups["network"] < before[leader].groups["network"]
    assert after[leader].rank > before[leader].rank


def test_weights_by_group_and_feature(example: vchuang.CommunityGraph) -> None:
    only_network = rank_talents(example, weights={"engagement": 0, "skills": 0, "availability": 0})
    assert only_network.weights["leads"] == 0
    assert sum(only_network.weights[f] for f in FEATURES["network"]) == pytest.approx(1)
    only_needs = rank_talents(example, weights=dict.fromkeys(FEATURES, 0) | {"needs": 1})
    assert only_needs.weights["needs"] == 1
    for t in only_needs:
        assert t.score == pytest.approx(t.normalised["needs"])
    with pytest.raises(ValidationError, match="did you mean 'degree'"):
        rank_talents(example, weights={"degre": 1})
    with pytest.raises(ValidationError, match=">= 0"):
        rank_talents(example, weights={"degree": -1})
    with pytest.raises(ValidationError, match="all weights are zero"):
        rank_talents(example, weights=dict.fromkeys(FEATURES, 0))


def test_needs_follow_the_taxonomy_and_levels() -> None:
    g = as_community_graph(nx.path_graph(4))
    g.update("r0", skills={"graphic_design": Level.ADVANCED})  # a descendant of design
    g.update("r1", skills={"design": Level.EXPERT})  # too general for graphic design
    g.update("r2", skills={"graphic_design": Level.BASIC})  # level too low
    g.update("r3", skills={"photography": Level.EXPERT})
    g.add(
        Project(
            id="p",
            name="Posters",
            community="c",
            stage=Stage.RUNNING,
            needs=[
                Need(id="n1", skill="design", hours=2, min_level=Level.INTERMEDIATE),
                Need(id="n2", skill="graphic_design", hours=2, min_level=Level.INTERMEDIATE),
            ],
        ),
        Project(
            id="q",
            name="Done",
            community="c",
            stage=Stage.COMPLETED,
            needs=[
                Need(id="n3", skill="photography", hours=2),
            ],
        ),
    )
    ranking = rank_talents(g)
    assert ranking["r0"].values["needs"] == 2
    assert ranking["r1"].values["needs"] == 1
    assert ranking["r2"].values["needs"] == 0
    # photography lies below design; the completed project's photography need is closed
    assert ranking["r3"].values["needs"] == 1
    assert "could fill 2 open needs: design (Posters), graphic design (Posters)" in (
        ranking["r0"].reasons
    )


def test_engagement_features(example: vchuang.CommunityGraph) -> None:
    ranking = rank_talents(example)
    r01, r04, r06 = ranking["pn-r01"], ranking["pn-r04"], ranking["pn-r06"]
    assert r01.values["leads"] == 2  # leads two projects
    assert r04.values["leads"] == 0.5  # co-leads one
    assert r06.values["hours"] == 3
    assert r01.values["activities"] == 3
    assert r01.values["availability"] == 8
    # as_of 2019-12-31, last activity 2019-11-02: 59 days
    assert r01.values["recency"] == pytest.approx(0.5 ** (59 / 180))
    assert ranking.as_of == example.metadata.as_of


def test_community_scope_and_explain(example: vchuang.CommunityGraph) -> None:
    assert rank_talents(example, place="pingnan").residents == rank_talents(example).residents
    short = rank_talents(example, explain=2)
    assert short[0].reasons and short[1].reasons and not short[2].reasons
    with pytest.raises(UnknownEntityError):
        rank_talents(example, place="nowhere")
    with pytest.raises(ValidationError, match="not a community"):
        rank_talents(example, place="pn-r01")
    with pytest.raises(ValidationError, match="ties"):
        rank_talents(example, ties="friends")


def test_pilot_finds_its_leaders() -> None:
    from vchuang.datasets import longgang_pilot

    pilot = longgang_pilot()
    ranking = rank_talents(pilot)
    leaders = {r.id for r in pilot.leaders()}
    top = {t.resident for t in ranking.top(len(leaders))}
    assert len(top & leaders) >= len(leaders) // 2
    minors = [r.name for r in pilot.residents() if is_minor(r, pilot.metadata.as_of)]
    text = repr(ranking.to_rows())
    assert not any(name in text for name in minors)


# --------------------------------------------------------------------------- backends


def test_backend_forwarding(
    monkeypatch: pytest.MonkeyPatch, example: vchuang.CommunityGraph
) -> None:
    calls: list[tuple[str, Any]] = []
    real = nx.betweenness_centrality

    def recorder(*args: Any, backend: Any = None, **kwargs: Any) -> Any:
        calls.append(("betweenness", backend))
        return real(*args, **kwargs)

    recorder.backends = {"networkx", "fake"}  # type: ignore[attr-defined]
    monkeypatch.setattr(nx, "betweenness_centrality", recorder)
    monkeypatch.setattr(_centrality, "_installed_backends", lambda: {"networkx", "fake"})
    plain = rank_talents(example)
    assert calls == []  # no backend, no priority: the sparse path
    routed = rank_talents(example, backend="fake")
    assert calls == [("betweenness", "fake")]  # pagerank and constraint: not in "fake"
    assert routed.backend == "fake"
    np.testing.assert_allclose(routed.values, plain.values, atol=1e-12)
    # with the user's backend priority set and backend=None, networkx dispatches
    calls.clear()
    monkeypatch.setattr(_centrality, "_priority_set", lambda: True)
    rank_talents(example)
    assert calls == [("betweenness", None)]


def test_networkx_backend_gives_the_same_numbers(example: vchuang.CommunityGraph) -> None:
    a = rank_talents(example)
    b = rank_talents(example, backend="networkx")
    np.testing.assert_allclose(a.values, b.values, atol=1e-9)
    with pytest.raises(ValidationError, match="not an installed networkx backend"):
        rank_talents(example, backend="no-such-backend")


# --------------------------------------------------------------------------- key players


def test_kite_key_players_known_values() -> None:
    """Krackhardt's kite (Krackhardt 1990): Heather (7) is the one cut that splits it,
    Diane (3) reaches the most."""
    kite = nx.krackhardt_kite_graph()
    frag = key_players(kite, 1, objective="fragmentation")
    assert frag.players == (7,)
    assert frag.score == pytest.approx(1 - (7 * 6 + 2 * 1) / (9 * 8))  # 7/18
    reach = key_players(kite, 1, objective="reach")
    assert reach.players == (3,)
    assert reach.score == pytest.approx(7 / 10)  # Diane and her six contacts
    dreach = key_players(kite, 1, objective="distance_reach")
    assert dreach.score == pytest.approx((1 + 6 + 1 / 2 + 1 / 3 + 1 / 4) / 10)
    pair = key_players(kite, 2, objective="reach")
    assert pair.score == 1.0
    assert pair.baseline == (3, 5)  # the two of highest degree overlap ...
    assert pair.baseline_score < pair.score  # ... which is Borgatti's point


@pytest.mark.parametrize(
    ("name", "net"),
    [
        ("kite", nx.krackhardt_kite_graph()),
        ("florentine", nx.florentine_families_graph()),
    ],
)
@pytest.mark.parametrize("objective", OBJECTIVES)
def test_scores_match_the_definitions(name: str, net: nx.Graph, objective: str) -> None:
    for k in (1, 2):
        result = key_players(net, k, objective=objective, method="exhaustive")
        assert result.score == pytest.approx(reference_score(net, result.players, objective))
        assert result.score == pytest.approx(best_by_brute_force(net, k, objective))
        assert result.baseline_score == pytest.approx(
            reference_score(net, result.baseline, objective)
        )


@pytest.mark.parametrize(
    ("objective", "k"),
    [
        ("reach", 1),
        ("reach", 2),
        ("distance_reach", 1),
        ("distance_reach", 2),
        ("fragmentation", 1),
        ("distance_fragmentation", 1),
        ("distance_fragmentation", 3),
    ],
)
def test_greedy_equals_exhaustive_on_the_kite(objective: str, k: int) -> None:
    kite = nx.krackhardt_kite_graph()
    greedy = key_players(kite, k, objective=objective)
    exhaustive = key_players(kite, k, objective=objective, method="exhaustive")
    assert greedy.score == pytest.approx(exhaustive.score)


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_greedy_with_restarts_equals_exhaustive_on_florentine(objective: str) -> None:
    flo = nx.florentine_families_graph()
    for k in (2, 3):
        greedy = key_players(flo, k, objective=objective, restarts=10, rng=0)
        exhaustive = key_players(flo, k, objective=objective, method="exhaustive")
        assert greedy.score == pytest.approx(exhaustive.score)


def test_medici_hold_florence_together() -> None:
    result = key_players(nx.florentine_families_graph(), 1, objective="fragmentation")
    assert result.players == ("Medici",)


small_graphs = st.builds(
    lambda n, p, seed: nx.gnp_random_graph(n, p, seed=seed),
    st.integers(3, 9),
    st.floats(0.1, 0.7),
    st.integers(0, 10_000),
)


@settings(max_examples=30, deadline=None)
@given(net=small_graphs, objective=st.sampled_from(OBJECTIVES), k=st.integers(1, 3))
def test_greedy_bounds(net: nx.Graph, objective: str, k: int) -> None:
    k = min(k, net.number_of_nodes())
    greedy = key_players(net, k, objective=objective)
    exhaustive = key_players(net, k, objective=objective, method="exhaustive")
    best_single = key_players(net, 1, objective=objective, method="exhaustive")
    assert greedy.score <= exhaustive.score + 1e-12
    assert greedy.score >= best_single.score - 1e-12
    assert 0.0 <= greedy.score <= 1.0
    assert greedy.score == pytest.approx(reference_score(net, greedy.players, objective))
    if objective == "reach":  # coverage: greedy is within 1 - 1/e of the optimum
        assert greedy.score >= (1 - 1 / np.e) * exhaustive.score - 1e-12


@settings(max_examples=20, deadline=None)
@given(net=small_graphs, objective=st.sampled_from(OBJECTIVES), seed=st.integers(0, 99))
def test_key_players_invariant_under_relabelling(net: nx.Graph, objective: str, seed: int) -> None:
    perm = np.random.default_rng(seed).permutation(net.number_of_nodes())
    relabelled = nx.relabel_nodes(net, {v: f"node-{perm[v]}" for v in net})
    k = min(2, net.number_of_nodes())
    a = key_players(net, k, objective=objective, method="exhaustive")
    b = key_players(relabelled, k, objective=objective, method="exhaustive")
    assert a.score == pytest.approx(b.score)


def test_m_reach() -> None:
    path = nx.path_graph(7)
    assert key_players(path, 1, m=3).players == (3,)
    assert key_players(path, 1, m=3).score == 1.0
    assert key_players(path, 1, m=1).score == pytest.approx(3 / 7)


def test_sampled_distance_fragmentation_is_reproducible() -> None:
    net = nx.connected_watts_strogatz_graph(60, 4, 0.2, seed=1)
    a = key_players(net, 2, objective="distance_fragmentation", sources=20, rng=5)
    b = key_players(net, 2, objective="distance_fragmentation", sources=20, rng=5)
    assert not a.exact
    assert a == b
    exact = key_players(net, 2, objective="distance_fragmentation")
    assert exact.exact
    assert a.score == pytest.approx(exact.score, abs=0.1)


def test_key_players_on_a_community_graph(example: vchuang.CommunityGraph) -> None:
    result = key_players(example, 2, objective="fragmentation")
    assert isinstance(result, KeyPlayers)
    assert all(isinstance(p, str) and p in example for p in result.players)
    rows = result.to_rows()
    assert [r["player"] for r in rows] == list(result.players)
    assert len(result.contributions) == 2
    restricted = key_players(example, 1, candidates=["pn-r03", "pn-r04"])
    assert restricted.players[0] in ("pn-r03", "pn-r04")


def test_key_players_errors(example: vchuang.CommunityGraph) -> None:
    kite = nx.krackhardt_kite_graph()
    with pytest.raises(ValidationError, match="11 players"):
        key_players(kite, 11)
    with pytest.raises(ValidationError, match="k"):
        key_players(kite, 0)
    with pytest.raises(ValidationError, match="did you mean 'fragmentation'"):
        key_players(kite, 1, objective="fragmentaton")
    with pytest.raises(ValidationError, match="not nodes"):
        key_players(kite, 1, candidates=[99])
    with pytest.raises(ValidationError, match="exhaustive search would score"):
        key_players(nx.path_graph(200), 4, method="exhaustive")
    with pytest.raises(ValidationError, match="place"):
        key_players(kite, 1, place="pingnan")


def test_directed_and_multi_graphs_are_read_as_simple_undirected() -> None:
    kite = nx.krackhardt_kite_graph()
    directed = nx.DiGraph((u, v) for u, v in kite.edges)
    assert key_players(directed, 1, objective="fragmentation").players == (7,)
    multi = nx.MultiGraph(kite)
    multi.add_edges_from(kite.edges)
    assert key_players(multi, 1).score == key_players(kite, 1).score


# --------------------------------------------------------------------------- plots


def test_plots(example: vchuang.CommunityGraph) -> None:
    from matplotlib.axes import Axes

    ranking = rank_talents(example)
    ax = ranking.plot(n=5)
    assert isinstance(ax, Axes)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ranking.residents[:5])
    assert isinstance(ranking.plot(by="feature"), Axes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no CJK font: English labels and a warning
        assert isinstance(ranking.plot(lang="zh"), Axes)
        assert isinstance(key_players(example, 2).plot(lang="zh"), Axes)
    assert isinstance(key_players(example, 2).plot(), Axes)


# --------------------------------------------------------------------------- benchmark


def test_benchmark_quick_mode(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_talent", ROOT / "benchmarks" / "bench_talent.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "rank_talents" in out and "key_players" in out


def test_role_constants() -> None:
    assert Role.SOCIAL_WORKER in _common._STAFF
    assert Group  # imported for the builders' sake


# --------------------------------------------------------------------------- issue #16


def test_old_community_keyword_warns_and_still_works(example: vchuang.CommunityGraph) -> None:
    new = rank_talents(example, place="pingnan")
    with pytest.warns(DeprecationWarning, match="place="):
        old = rank_talents(example, community="pingnan")
    assert old == new
    with pytest.warns(DeprecationWarning, match="place="):
        top = new.top(2, community="pingnan")
    assert top == new.top(2, place="pingnan")
    with pytest.warns(DeprecationWarning, match="place="):
        kp = key_players(example, 1, community="pingnan")
    assert kp == key_players(example, 1, place="pingnan")


def test_reprs_are_short() -> None:
    from vchuang import datasets

    for graph in (datasets.longgang_pilot(), datasets.synthetic(20_000)):
        ranking = rank_talents(graph, explain=5, rng=0)
        assert len(repr(ranking)) < 600
        assert len(repr(ranking[0])) < 600
        assert "<table>" in ranking._repr_html_() and len(ranking._repr_html_()) < 2_000
        assert "<table>" in ranking[0]._repr_html_()
    kp = key_players(datasets.longgang_pilot(), 5, rng=0)
    assert len(repr(kp)) < 600 and "<table>" in kp._repr_html_()


def test_sparse_centralities_equal_networkx() -> None:
    import scipy.sparse as sp

    from vchuang.kernel.pagerank import pagerank

    g = nx.les_miserables_graph()
    nodes = sorted(g)
    w = sp.csr_array(nx.to_scipy_sparse_array(g, nodelist=nodes, weight="weight"))
    b = w.copy()
    b.data[:] = 1.0
    bc = nx.betweenness_centrality(g)
    np.testing.assert_allclose(_centrality._betweenness_sparse(b, None), [bc[v] for v in nodes])
    pr = nx.pagerank(g, weight="weight")
    np.testing.assert_allclose(pagerank(w, tol=1e-6), [pr[v] for v in nodes], atol=1e-8)
    con = nx.constraint(g, weight="weight")
    np.testing.assert_allclose(_centrality._constraint_sparse(w), [con[v] for v in nodes])


def test_talent_network_is_csr_adjacency(example: vchuang.CommunityGraph) -> None:
    """One co-participation rule: talent's network is knows + csr.coparticipation."""
    from vchuang.csr import coparticipation, resident_adjacency
    from vchuang.talent._network import _network

    ids = [r.id for r in example.residents()]
    for ties in ("knows", "work", "all"):
        net = _network(example, ids, ties)
        adj = resident_adjacency(example, ids, ties=ties, max_context_size=50)
        assert (abs(net.weighted - adj.matrix)).sum() == 0
    co, order = coparticipation(example)
    nxg = example.coparticipation()
    assert list(nxg) == list(order)
    for i, j in zip(*co.nonzero(), strict=True):
        assert nxg[order[i]][order[j]]["weight"] == co[i, j]
    assert nxg.number_of_edges() == co.nnz // 2


def test_csr_adapter_order_directed_and_weight(example: vchuang.CommunityGraph) -> None:
    from vchuang.csr import resident_adjacency

    w, order = resident_adjacency(example)
    assert order == example.index.ids("resident")
    assert (w != example.index.knows).nnz == 0
    back, rev = resident_adjacency(example, order[::-1])
    assert rev == order[::-1] and (back != w[::-1][:, ::-1]).nnz == 0
    d, _ = resident_adjacency(example, directed=True)
    assert ((d + d.T) != w).nnz == 0
    b, _ = resident_adjacency(example, weight=None, ties="all")
    assert set(b.data.tolist()) == {1.0}
    with pytest.raises(ValidationError, match="ties"):
        resident_adjacency(example, ties="friends")
    with pytest.raises(ValidationError, match="order"):
        resident_adjacency(example, ["pn-p1"])
