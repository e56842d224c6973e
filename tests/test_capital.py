"""Social capital: ego networks, the E-I index, Blau's heterogeneity and brokerage.

Every measure is pinned to a value computed by hand on a small graph written out here,
to networkx on classic data (Zachary's karate club, Davis's Southern Women), and, for
the brokerage counts, to a brute-force enumeration of all triads on random graphs; the
brokerage moments are checked exactly by enumerating every digraph on four nodes.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable
from contextlib import AbstractContextManager

import networkx as nx
import numpy as np
import pytest

import vchuang
from vchuang.capital import (
    ROLES,
    SNA_NAMES,
    blau,
    brokerage,
    ego_networks,
    ei,
    ei_index,
)
from vchuang.csr import resident_adjacency
from vchuang.errors import UnknownEntityError, ValidationError

# --------------------------------------------------------------------------- small graph

#: Six residents in three groups (A: 1 2 3, B: 4 5, C: 6) and seven ties.
SMALL_GROUPS = {"1": "A", "2": "A", "3": "A", "4": "B", "5": "B", "6": "C"}
SMALL_TIES = [("1", "2"), ("1", "3"), ("2", "3"), ("1", "4"), ("4", "5"), ("3", "6"), ("5", "6")]


@pytest.fixture
def small() -> nx.Graph:
    g = nx.Graph(SMALL_TIES)
    nx.set_node_attributes(g, SMALL_GROUPS, "group")
    return g


def test_blau_and_ei_of_counts() -> None:
    assert blau([2, 1]) == pytest.approx(1 - (4 + 1) / 9)
    assert blau([3, 3, 3]) == pytest.approx(2 / 3)
    assert blau([0, 4]) == 0.0
    assert math.isnan(blau([]))
    assert ei(3, 1) == 0.5
    assert ei(0, 2) == -1.0
    assert math.isnan(ei(0, 0))


def test_ego_measures_equal_the_hand_computed_ones(small: nx.Graph) -> None:
    # Worked by hand from SMALL_TIES:
    # ego 1: alters 2 (A), 3 (A), 4 (B); one tie among them (2-3): density 1/3;
    #        I = 2, E = 1, E-I = (1 - 2)/3; Blau = 1 - (2/3)^2 - (1/3)^2 = 4/9.
    # ego 4: alters 1 (A), 5 (B); no tie among them; I = 1, E = 1, E-I = 0, Blau 1/2.
    # ego 6: alters 3 (A), 5 (B), own group C: I = 0, E = 2, E-I = 1, Blau 1/2.
    # ego 2: alters 1, 3 (A), tied: density 1, E-I = -1, Blau 0.
    egos = ego_networks(small, "group")
    one, four, six, two = egos["1"], egos["4"], egos["6"], egos["2"]
    assert (one.size, one.alter_ties, one.bonding, one.bridging) == (3, 1, 2, 1)
    assert one.density == pytest.approx(1 / 3)
    assert one.ei == pytest.approx(-1 / 3)
    assert one.blau == pytest.approx(4 / 9)
    assert one.composition == {"A": 2, "B": 1}
    assert (four.bonding, four.bridging, four.ei, four.blau) == (1, 1, 0.0, 0.5)
    assert four.density == 0.0
    assert (six.group, six.bonding, six.bridging, six.ei, six.blau) == ("C", 0, 2, 1.0, 0.5)
    assert (two.density, two.ei, two.blau) == (1.0, -1.0, 0.0)


def test_ei_index_equals_the_hand_computed_one(small: nx.Graph) -> None:
    # Inside: 1-2, 1-3, 2-3 (A), 4-5 (B) = 4; across: 1-4, 3-6, 5-6 = 3.
    # Group A: I = 3, E = 2 (1-4, 3-6) -> -1/5; B: I = 1, E = 2 -> 1/3; C: I = 0, E = 2 -> 1.
    # Expected (all 15 pairs): I* = 3 + 1 + 0 = 4, E* = 11 -> 7/15; group A: I* = 3,
    # E* = 3 * 3 = 9 -> 1/2.
    result = ei_index(small, "group")
    assert (result.internal, result.external) == (4, 3)
    assert result.ei == pytest.approx(-1 / 7)
    assert result.expected == pytest.approx(7 / 15)
    assert [(g.group, g.internal, g.external) for g in result.groups] == [
        ("A", 3, 2),
        ("B", 1, 2),
        ("C", 0, 2),
    ]
    assert [g.ei for g in result.groups] == pytest.approx([-0.2, 1 / 3, 1.0])
    assert result["A"].expected == pytest.approx(0.5)
    assert result.to_rows()[0] == {
        "group": "A",
        "members": 3,
        "internal": 3,
        "external": 2,
        "ei": pytest.approx(-0.2),
        "expected": pytest.approx(0.5),
    }
    with pytest.raises(UnknownEntityError):
        result["Z"]


def test_residents_without_a_group_are_left_out_of_the_group_measures(small: nx.Graph) -> None:
    # Resident 6 loses its group: its ties (3-6, 5-6) count in size, not in E or I.
    groups = {k: v for k, v in SMALL_GROUPS.items() if k != "6"}
    egos = ego_networks(small, groups)
    assert egos["6"].group is None and math.isnan(egos["6"].ei)
    assert (egos["3"].size, egos["3"].bonding, egos["3"].bridging) == (3, 2, 0)
    result = ei_index(small, groups)
    assert (result.internal, result.external, result.ungrouped) == (4, 1, 1)


# --------------------------------------------------------------------------- networkx


def _check_against_networkx(g: nx.Graph, by: str) -> None:
    egos = ego_networks(g, by)
    label = nx.get_node_attributes(g, by)
    for node in g:
        ego = egos[str(node)]
        alters = list(g[node])
        assert ego.size == len(alters)
        if len(alters) >= 2:
            assert ego.density == pytest.approx(nx.density(g.subgraph(alters)))
        if alters:
            i = egos.residents.index(str(node))
            assert egos.density_with_ego[i] == pytest.approx(nx.density(nx.ego_graph(g, node)))
        inside = sum(label[a] == label[node] for a in alters)
        assert (ego.bonding, ego.bridging) == (inside, len(alters) - inside)
        shares = np.unique([label[a] for a in alters], return_counts=True)[1]
        if alters:
            assert ego.blau == pytest.approx(1 - ((shares / len(alters)) ** 2).sum())


def test_ego_networks_match_networkx_on_the_karate_club() -> None:
    """Zachary's karate club (networkx's copy), split by the ``club`` each member joined."""
    _check_against_networkx(nx.karate_club_graph(), "club")


def test_ei_index_of_the_karate_club() -> None:
    """67 of the 78 friendships stay inside a club (counted with networkx's edge list)."""
    g = nx.karate_club_graph()
    result = ei_index(g, "club")
    club = nx.get_node_attributes(g, "club")
    across = sum(club[u] != club[v] for u, v in g.edges)
    assert (result.external, result.internal) == (across, 78 - across) == (11, 67)
    assert result.ei == pytest.approx((11 - 67) / 78)
    sizes = np.unique(list(club.values()), return_counts=True)[1]  # 17 and 17
    inside = (sizes * (sizes - 1) / 2).sum()
    assert result.expected == pytest.approx((34 * 33 / 2 - 2 * inside) / (34 * 33 / 2))


def test_ego_density_on_davis_southern_women_matches_networkx() -> None:
    """Davis's Southern Women as co-attendance (ties="all"), against networkx on the same
    co-attendance graph (the women's projection of networkx's own copy of the data)."""
    graph = vchuang.datasets.davis_southern_women()
    egos = ego_networks(graph, ties="all")
    matrix, order = resident_adjacency(graph, ties="all", weight=None)
    projected = nx.relabel_nodes(nx.from_scipy_sparse_array(matrix), dict(enumerate(order)))
    women = nx.bipartite.projected_graph(
        nx.davis_southern_women_graph(), nx.davis_southern_women_graph().graph["top"]
    )
    assert sorted(d for _, d in women.degree) == sorted(egos.size.tolist())
    for i, r in enumerate(order):
        alters = list(projected[r])
        assert egos.size[i] == len(alters)
        assert egos.density[i] == pytest.approx(nx.density(projected.subgraph(alters)))
    assert set(egos.ei[egos.size > 0]) == {-1.0}  # one community: every tie bonds


def test_the_community_graph_partitions() -> None:
    example = vchuang.load_example()
    by_segment = ego_networks(example, "segment")
    # pn-r01 knows pn-r02 (no segment), pn-r04 (dog owner like pn-r01), pn-r05 (none).
    assert by_segment["pn-r01"].composition == {"pingnan-dog-owners": 1}
    assert (by_segment["pn-r01"].bonding, by_segment["pn-r01"].bridging) == (1, 0)
    by_role = ego_networks(example, "role")
    assert by_role["pn-r01"].group == "leader"
    assert by_role["pn-r01"].bridging == 3  # the three others are volunteers
    with pytest.raises(ValidationError, match="did you mean 'segment'"):
        ego_networks(example, "segmnet")
    with pytest.raises(ValidationError, match="place"):
        ego_networks(nx.path_graph(3), "x", place="pingnan")


def test_pilot_by_community_and_place() -> None:
    pilot = vchuang.datasets.longgang_pilot()
    result = ei_index(pilot, "community", ties="work")
    assert result.residents == len(pilot.residents())
    assert result.ei < result.expected  # ties stay in their community far more than chance
    one = ei_index(pilot, "community", place="pingnan")
    assert [g.group for g in one.groups] == ["pingnan"]


# --------------------------------------------------------------------------- brokerage


def _brute(g: nx.DiGraph, group: dict[object, str]) -> dict[object, list[int]]:
    """Every open two-path a -> b -> c (a != c, no a -> c), classified by its groups."""
    out = {v: [0] * 5 for v in g}
    for b in g:
        for a in g.predecessors(b):
            for c in g.successors(b):
                if a == c or g.has_edge(a, c):
                    continue
                ga, gb, gc = group[a], group[b], group[c]
                if ga == gb == gc:
                    role = "coordinator"
                elif ga == gc:
                    role = "itinerant"
                elif ga == gb:
                    role = "representative"
                elif gb == gc:
                    role = "gatekeeper"
                else:
                    role = "liaison"
                out[b][ROLES.index(role)] += 1
    return out


HAND_GROUPS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
HAND_ARCS = [("a1", "a2"), ("a2", "a3"), ("a3", "b1"), ("b1", "a1"), ("c1", "b2"), ("b2", "a1")]


def _hand(arcs: list[tuple[str, str]]) -> nx.DiGraph:
    g = nx.DiGraph(arcs)
    nx.set_node_attributes(g, HAND_GROUPS, "side")
    return g


def test_brokerage_counts_equal_the_hand_computed_ones() -> None:
    # The open two-paths of HAND_ARCS, each written down:
    #   b1 -> a1 -> a2   B A A   a1 gatekeeper
    #   b2 -> a1 -> a2   B A A   a1 gatekeeper
    #   a1 -> a2 -> a3   A A A   a2 coordinator
    #   a2 -> a3 -> b1   A A B   a3 representative
    #   a3 -> b1 -> a1   A B A   b1 itinerant
    #   c1 -> b2 -> a1   C B A   b2 liaison
    result = brokerage(_hand(HAND_ARCS), "side", directed=True)
    expected = {
        "a1": {"gatekeeper": 2},
        "a2": {"coordinator": 1},
        "a3": {"representative": 1},
        "b1": {"itinerant": 1},
        "b2": {"liaison": 1},
        "c1": {},
    }
    for node, roles in expected.items():
        assert result[node].counts == {r: roles.get(r, 0) for r in ROLES}, node
    assert result.totals == dict.fromkeys(ROLES, 1) | {"gatekeeper": 2}
    # Closing a1 -> a3 removes a1 -> a2 -> a3 and opens three new two-paths:
    #   b1 -> a1 -> a3, b2 -> a1 -> a3 (gatekeeper), a1 -> a3 -> b1 (representative).
    closed = brokerage(_hand([*HAND_ARCS, ("a1", "a3")]), "side", directed=True)
    assert closed["a2"].counts["coordinator"] == 0
    assert closed["a1"].counts["gatekeeper"] == 4
    assert closed["a3"].counts["representative"] == 2


@pytest.mark.parametrize("seed", range(40))
def test_brokerage_counts_equal_a_brute_force_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 14))
    g = nx.gnp_random_graph(n, float(rng.uniform(0.05, 0.9)), seed=seed, directed=True)
    group = {v: "ABCD"[int(rng.integers(0, 1 + seed % 4))] for v in g}
    nx.set_node_attributes(g, group, "g")
    result = brokerage(g, "g", directed=True)
    brute = _brute(g, group)
    for i, node in enumerate(result.residents):
        assert result.counts[i].tolist() == brute[int(node)]


def test_undirected_ties_make_equal_representatives_and_gatekeepers() -> None:
    g = nx.karate_club_graph()
    result = brokerage(g, "club")
    assert (result.counts[:, 2] == result.counts[:, 3]).all()
    both = nx.DiGraph(g)  # each tie as two arcs
    brute = _brute(both, nx.get_node_attributes(g, "club"))
    assert [brute[int(r)] for r in result.residents] == result.counts.tolist()


def _all_digraph_moments(groups: list[str], d: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact mean and variance of every node's role counts over all digraphs on
    ``len(groups)`` nodes, each arc present with probability ``d``."""
    n = len(groups)
    pairs = [(u, v) for u in range(n) for v in range(n) if u != v]
    label = dict(enumerate(groups))
    first = np.zeros((n, 5))
    second = np.zeros((n, 5))
    for present in itertools.product((0, 1), repeat=len(pairs)):
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from(p for p, x in zip(pairs, present, strict=True) if x)
        m = sum(present)
        weight = d**m * (1 - d) ** (len(pairs) - m)
        counts = np.array([_brute(g, label)[v] for v in range(n)], dtype=np.float64)
        first += weight * counts
        second += weight * counts**2
    return first, second - first**2


@pytest.mark.parametrize("groups", [list("AAAA"), list("AAAB"), list("AABC"), list("AABB")])
def test_brokerage_moments_are_exact_for_a_random_digraph(groups: list[str]) -> None:
    """The expectation and variance used for the z-scores (those of R's sna::brokerage,
    after Gould and Fernandez) equal the exact moments over all 4096 digraphs on 4 nodes."""
    from vchuang.capital._brokerage import _moments

    d = 0.3
    codes = np.unique(groups, return_inverse=True)[1].astype(np.int64)
    sizes = np.bincount(codes).astype(np.float64)
    expected, sd = _moments(codes, sizes, d)
    mean, var = _all_digraph_moments(groups, d)
    np.testing.assert_allclose(expected, mean, atol=1e-12)
    np.testing.assert_allclose(sd**2, var, atol=1e-12)


def test_brokerage_z_scores_and_rows() -> None:
    result = brokerage(_hand(HAND_ARCS), "side", directed=True)
    assert result.density == pytest.approx(6 / 30)
    z = result.z
    with np.errstate(invalid="ignore", divide="ignore"):
        manual = (result.counts - result.expected) / result.sd
    np.testing.assert_allclose(z[result.sd > 0], manual[result.sd > 0])
    assert np.isnan(z[result.sd == 0]).all()
    row = result.to_rows()[0]
    assert row["resident"] == "a1" and row["gatekeeper"] == 2 and row["total"] == 2
    assert set(SNA_NAMES) == set(ROLES)
    assert result.top(1)[0].resident == "a1"
    assert result.top(1, role="liaison")[0].resident == "b2"


def test_brokerage_leaves_residents_without_a_group_out() -> None:
    pilot = vchuang.datasets.longgang_pilot()
    result = brokerage(pilot, "segment")
    assert result.ungrouped + len(result) == len(pilot.residents())
    assert result.ungrouped > 0


# --------------------------------------------------------------------------- results


def test_reprs_stay_short_on_a_district() -> None:
    district = vchuang.datasets.synthetic(20_000, rng=1)
    for result in (
        ego_networks(district),
        ei_index(district, "segment"),
        brokerage(district),
    ):
        assert len(repr(result)) < 500, type(result).__name__
        assert len(result._repr_html_()) < 1500


def test_to_rows_of_ego_networks(small: nx.Graph) -> None:
    rows = ego_networks(small, "group").to_rows()
    assert rows[0]["resident"] == "1" and rows[0]["bonding"] == 2
    assert len(rows) == 6


def test_plots(small: nx.Graph, zh_figures: Callable[[], AbstractContextManager[object]]) -> None:
    from matplotlib.axes import Axes

    results = (
        ego_networks(small, "group"),
        ei_index(small, "group"),
        brokerage(_hand(HAND_ARCS), "side", directed=True),
    )
    for result in results:
        assert isinstance(result.plot(), Axes)
    ax = results[1].plot()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no CJK font: English labels and a warning
        for result in results:
            assert isinstance(result.plot(lang="zh"), Axes)
    with zh_figures():
        assert "E-I" in results[1].plot(lang="zh").get_title()


# --------------------------------------------------------------------------- generators


def test_position_generator_worked_example_by_hand() -> None:
    """Three respondents on a five-occupation list with scores 80, 60, 50, 30, 20
    (Lin & Dumin's measures, computed by hand): A knows a doctor, a teacher and a
    cleaner -> extensity 3, upper reachability 80, range 60, mean (80+50+20)/3 = 50;
    B knows a clerk only -> 1, 60, 0, 60; C knows no one -> 0 and NaN."""
    from vchuang.capital import position_generator

    prestige = {"doctor": 80, "clerk": 60, "teacher": 50, "driver": 30, "cleaner": 20}
    scores = position_generator(
        {"A": ["doctor", "teacher", "cleaner", "doctor"], "B": ["clerk"], "C": []},
        prestige=prestige,
    )
    assert scores["A"] == {"extensity": 3.0, "upper_reachability": 80.0, "range": 60.0,
                           "mean_prestige": 50.0}  # fmt: skip
    assert scores["B"] == {"extensity": 1.0, "upper_reachability": 60.0, "range": 0.0,
                           "mean_prestige": 60.0}  # fmt: skip
    assert scores["C"]["extensity"] == 0 and math.isnan(scores["C"]["mean_prestige"])
    assert scores.mean()["extensity"] == pytest.approx(4 / 3)
    assert [row["resident"] for row in scores.to_rows()] == ["A", "B", "C"]


def test_position_generator_reads_a_long_dataframe() -> None:
    from vchuang.capital import ILLUSTRATIVE_PRESTIGE, position_generator

    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"resident": ["r1", "r1", "r2"], "occupation": ["doctor", "driver", "nurse"]}
    )
    scores = position_generator(frame, prestige=ILLUSTRATIVE_PRESTIGE)
    assert scores["r1"]["range"] == 88 - 32
    assert scores == position_generator(
        {"r1": ["doctor", "driver"], "r2": ["nurse"]}, prestige=ILLUSTRATIVE_PRESTIGE
    )


def test_position_generator_names_unscored_occupations() -> None:
    from vchuang.capital import position_generator

    with pytest.raises(ValidationError, match="astronaut"):
        position_generator({"r1": ["astronaut"]}, prestige={"doctor": 80})


def test_resource_generator_counts_items_and_domains_by_hand() -> None:
    from vchuang.capital import resource_generator

    items = ["fix_car", "legal_advice", "job_tip", "borrow_money"]
    domains = {"fix_car": "practical", "legal_advice": "expert", "job_tip": "expert",
               "borrow_money": "support"}  # fmt: skip
    scores = resource_generator(
        {"r1": ["legal_advice", "job_tip", "job_tip"], "r2": ["fix_car"]},
        items=items, domains=domains,
    )  # fmt: skip
    assert scores.measures == ("total", "share", "domain:expert", "domain:practical",
                               "domain:support")  # fmt: skip
    assert scores["r1"] == {"total": 2.0, "share": 0.5, "domain:expert": 2.0,
                            "domain:practical": 0.0, "domain:support": 0.0}  # fmt: skip
    with pytest.raises(ValidationError, match="not in the list"):
        resource_generator({"r1": ["fly"]}, items=items)


def test_new_year_network_by_hand() -> None:
    """Bian's 拜年网 by hand: five contacts with prestige 80, 60, 60, 30, 20 -> size 5,
    top 80, range 60, four distinct occupations; non-kin 3 of 5; two contacts have no
    class in the table and count under relation only."""
    from vchuang.capital import new_year_network

    prestige = {"cadre": 80, "teacher": 60, "worker": 30, "cleaner": 20}
    classes = {"cadre": "leading_cadre", "teacher": "professional"}
    contacts = [("cadre", "kin"), ("teacher", "friend"), ("teacher", "colleague"),
                ("worker", "kin"), ("cleaner", "neighbour")]  # fmt: skip
    scores = new_year_network({"r1": contacts, "r2": []}, prestige=prestige, classes=classes)
    assert scores["r1"] == {"size": 5.0, "top": 80.0, "range": 60.0, "occupations": 4.0,
                            "non_kin_share": 0.6}  # fmt: skip
    assert scores.composition[0] == {
        "class:leading_cadre": 1, "class:professional": 2, "relation:colleague": 1,
        "relation:friend": 1, "relation:kin": 2, "relation:neighbour": 1,
    }  # fmt: skip
    assert scores["r2"]["size"] == 0 and math.isnan(scores["r2"]["top"])
    assert scores.to_rows()[0]["class:professional"] == 2
    assert len(repr(scores)) < 500


def test_generator_reprs_stay_short() -> None:
    from vchuang.capital import ILLUSTRATIVE_PRESTIGE, position_generator

    occupations = list(ILLUSTRATIVE_PRESTIGE)
    answers = {f"r{i}": occupations[i % 7 : i % 7 + 5] for i in range(5_000)}
    scores = position_generator(answers, prestige=ILLUSTRATIVE_PRESTIGE)
    assert len(repr(scores)) < 500 and len(scores._repr_html_()) < 1000
