"""Word-of-mouth diffusion (vchuang.diffusion): analytic cases (star, path, p = 0 and 1,
LT by hand), agreement with independent simulators (a plain Python one written here,
and CyNetDiff when installed), seed choice (RIS against degree, CELF and brute force),
determinism across n_jobs, chunking and PYTHONHASHSEED, errors, plots and the
benchmark's quick mode.

Tolerances: Monte Carlo estimates are compared with ``Z`` standard errors of the
difference (``Z = 4``: a false alarm about once in 16,000 comparisons; every test uses a
fixed seed, so a pass is reproducible).
"""

from __future__ import annotations

import importlib.util
import inspect
import itertools
import math
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import vchuang
from vchuang.diffusion import _cascade, _seeds, _visited, choose_seeds, compare_seeds, simulate
from vchuang.errors import MissingDependencyError, UnknownEntityError, ValidationError
from vchuang.plot import cjk_fonts

ROOT = Path(__file__).resolve().parents[1]
Z = 4.0


def close(mean: float, expected: float, se: float, *, z: float = Z) -> bool:
    return abs(mean - expected) <= z * se + 1e-9


@pytest.fixture(scope="module")
def pilot() -> vchuang.CommunityGraph:
    return vchuang.datasets.longgang_pilot()


# --------------------------------------------------------------------------- analytic


@pytest.mark.parametrize(("n", "p"), [(1, 0.5), (5, 0.3), (20, 0.1), (8, 0.9)])
def test_star_centre_seed_reaches_one_plus_n_p(n, p):
    s = simulate(nx.star_graph(n), [0], p=p, runs=4000, rng=n)
    assert close(s.mean, 1 + n * p, s.stderr)
    # each leaf is reached with probability p, the centre always
    assert s.reached[0] == 1.0
    assert np.all(np.abs(s.reached[1:] - p) <= Z * math.sqrt(p * (1 - p) / 4000) + 1e-9)
    assert s.ci[0] <= s.mean <= s.ci[1]


@pytest.mark.parametrize(("length", "p"), [(4, 0.5), (10, 0.8), (6, 0.2)])
def test_directed_path_gives_sum_of_powers(length, p):
    g = nx.path_graph(length, create_using=nx.DiGraph)
    s = simulate(g, [0], p=p, runs=5000, rng=length)
    assert close(s.mean, sum(p**i for i in range(length)), s.stderr)
    for i in range(length):
        assert abs(s.reached[i] - p**i) <= Z * math.sqrt(p**i * (1 - p**i) / 5000) + 1e-9


def test_p_one_gives_reachability_exactly():
    g = nx.gnp_random_graph(300, 0.006, seed=4, directed=True)
    seeds = [0, 7, 42]
    s = simulate(g, seeds, p=1.0, runs=50, rng=1)
    reach = set(seeds).union(*(nx.descendants(g, x) for x in seeds))
    assert np.all(s.distribution == len(reach))
    assert s.std == 0.0
    assert s.ci == (len(reach), len(reach))
    assert {i for i in range(300) if s.reached[i] == 1.0} == reach
    assert np.all((s.reached == 0.0) | (s.reached == 1.0))


def test_p_one_on_the_pilot_reaches_the_components(pilot):
    seeds = [r.id for r in pilot.leaders()][:4]
    s = simulate(pilot, seeds, p=1.0, runs=20, rng=0)
    social = pilot.social_graph()
    comp = set().union(*(nx.node_connected_component(social, x) for x in seeds))
    assert np.all(s.distribution == len(comp))
    assert {x for x in s.ids if s.probability(x) == 1.0} == comp


def test_p_zero_gives_the_seeds(pilot):
    seeds = [r.id for r in pilot.leaders()][:5]
    s = simulate(pilot, seeds, p=0.0, runs=30, rng=0)
    assert np.all(s.distribution == 5)
    assert s.mean == 5.0
    assert set(s.seeds) == set(seeds)
    assert s.reached.sum() == 5.0


def test_weight_rule_and_weighted_cascade():
    g = nx.DiGraph()
    g.add_edge("a", "b", weight=3)
    g.add_edge("a", "c", weight=0)  # a tie of weight 0 carries nothing
    s = simulate(g, ["a"], p=0.2, probability="weight", runs=20000, rng=3)
    assert close(s.mean, 1 + 1 - 0.8**3, s.stderr)
    assert s.probability("c") == 0.0
    # weighted cascade: every leaf of a star has in-degree 1, so p = 1
    wc = simulate(nx.star_graph(6), [0], probability="wc", runs=20, rng=0)
    assert np.all(wc.distribution == 7)
    # a node with in-degree 4 is reached from one seed with probability 1/4
    h = nx.DiGraph([(i, 9) for i in range(4)])
    s = simulate(h, [0], probability="wc", runs=20000, rng=2)
    assert close(s.probability(9), 0.25, math.sqrt(0.25 * 0.75 / 20000))


def test_linear_threshold_by_hand():
    # two seeds each give weight 0.3 to v (a third in-neighbour stays inactive):
    # v is reached when its threshold is <= 0.6; IC would give 1 - 0.7^2 = 0.51
    g = nx.DiGraph([(0, 2), (1, 2), (3, 2)])
    lt = simulate(g, [0, 1], model="lt", p=0.3, runs=20000, rng=4)
    ic = simulate(g, [0, 1], model="ic", p=0.3, runs=20000, rng=4)
    assert close(lt.mean, 2.6, lt.stderr)
    assert close(ic.mean, 2.51, ic.stderr)
    # weight arriving in two steps: 0 -> 1, 0 -> 2, 1 -> 2, each 0.5:
    # P(1) = 0.5, P(2) = 0.5 + 0.5 * 0.5 = 0.75 (the threshold is drawn once)
    h = nx.DiGraph([(0, 1), (0, 2), (1, 2)])
    s = simulate(h, [0], model="lt", p=0.5, runs=20000, rng=5)
    assert close(s.mean, 2.25, s.stderr)
    assert close(s.probability(2), 0.75, math.sqrt(0.75 * 0.25 / 20000))
    # in-weights above 1 are scaled: four arcs of 0.5 into one node sum to 1
    k = nx.DiGraph([(i, 9) for i in range(4)])
    full = simulate(k, [0, 1, 2, 3], model="lt", p=0.5, runs=50, rng=0)
    assert np.all(full.distribution == 5)


@given(
    n=st.integers(2, 25),
    density=st.floats(0.0, 0.3),
    graph_seed=st.integers(0, 10_000),
    k=st.integers(1, 3),
    p=st.sampled_from([0.0, 1.0]),
    model=st.sampled_from(["ic", "lt"]),
)
@settings(max_examples=40, deadline=None)
def test_degenerate_probabilities_are_exact(n, density, graph_seed, k, p, model):
    g = nx.gnp_random_graph(n, density, seed=graph_seed, directed=True)
    seeds = list(range(min(k, n)))
    s = simulate(g, seeds, model=model, p=p, runs=12, rng=graph_seed)
    if p == 0.0:
        expected = len(seeds)
    elif model == "ic":
        expected = len(set(seeds).union(*(nx.descendants(g, x) for x in seeds)))
    else:
        expected = None  # LT with p = 1 is still random (weights are scaled)
    if expected is not None:
        assert np.all(s.distribution == expected)
    # laws that hold for every run: seeds are always reached, and the mean spread
    # equals the sum of the reach probabilities
    assert np.all(s.reached[seeds] == 1.0)
    assert s.mean == pytest.approx(s.reached.sum())
    assert np.all((s.reached >= 0) & (s.reached <= 1))


# --------------------------------------------------------------------------- references


def _reference(graph: nx.DiGraph, seeds, model, p, runs, seed):
    """A plain, one-run-at-a-time simulator (the textbook definitions, thresholds drawn
    up front for LT), written independently of the library."""
    rng = np.random.default_rng(seed)
    nodes = list(graph.nodes)
    indeg = {v: graph.in_degree(v) for v in nodes}
    out = []
    for _ in range(runs):
        active = set(seeds)
        if model == "ic":
            frontier = list(seeds)
            while frontier:
                nxt = []
                for u in frontier:
                    for v in graph.successors(u):
                        if v not in active and rng.random() < p:
                            active.add(v)
                            nxt.append(v)
                frontier = nxt
        else:
            theta = {v: rng.random() for v in nodes}
            weight = {v: p / max(1.0, p * indeg[v]) for v in nodes}  # per arc into v
            changed = True
            while changed:
                changed = False
                for v in nodes:
                    if v in active:
                        continue
                    total = sum(weight[v] for u in graph.predecessors(v) if u in active)
                    if total >= theta[v]:
                        active.add(v)
                        changed = True
        out.append(len(active))
    return np.asarray(out, dtype=float)


@pytest.mark.parametrize(("model", "p"), [("ic", 0.15), ("lt", 0.2)])
def test_agrees_with_an_independent_python_simulation(model, p):
    g = nx.gnp_random_graph(120, 0.04, seed=11, directed=True)
    seeds = [0, 1, 2]
    ours = simulate(g, seeds, model=model, p=p, runs=3000, rng=1)
    ref = _reference(g, seeds, model, p, 1500, 2)
    se = math.hypot(ours.stderr, ref.std(ddof=1) / math.sqrt(ref.size))
    assert close(ours.mean, ref.mean(), se)


def test_agrees_with_cynetdiff():
    cynetdiff = pytest.importorskip("cynetdiff")
    from cynetdiff.utils import networkx_to_ic_model, networkx_to_lt_model

    g = nx.gnm_random_graph(400, 1600, seed=5, directed=True)
    seeds = [0, 1, 2, 3, 4]
    for model in ("ic", "lt"):
        if model == "ic":
            m, mapping = networkx_to_ic_model(g, activation_prob=0.08, rng=7)
            ours = simulate(g, seeds, p=0.08, runs=3000, rng=1)
        else:
            m, mapping = networkx_to_lt_model(g, rng=7)  # weights 1 / in-degree
            ours = simulate(g, seeds, model="lt", probability="wc", runs=3000, rng=1)
        m.set_seeds([mapping[s] for s in seeds])
        theirs = []
        for _ in range(3000):
            m.reset_model()
            m.advance_until_completion()
            theirs.append(m.get_num_activated_nodes())
        ref = np.asarray(theirs, dtype=float)
        se = math.hypot(ours.stderr, ref.std(ddof=1) / math.sqrt(ref.size))
        assert close(ours.mean, ref.mean(), se), (model, ours.mean, ref.mean())
    assert cynetdiff is not None


def test_inputs_give_the_same_network(pilot):
    seeds = [r.id for r in pilot.leaders()][:3]
    a = simulate(pilot, seeds, p=0.15, runs=300, rng=9)
    social = pilot.social_graph()  # same residents, same order, weight on each edge
    assert list(social.nodes) == list(a.ids)
    b = simulate(social, seeds, p=0.15, runs=300, rng=9)
    pos = {x: i for i, x in enumerate(a.ids)}
    c = simulate(pilot.index.knows, [pos[s] for s in seeds], p=0.15, runs=300, rng=9)
    assert np.array_equal(a.distribution, b.distribution)
    assert np.array_equal(a.distribution, c.distribution)
    w1 = simulate(pilot, seeds, p=0.15, probability="weight", runs=300, rng=9)
    w2 = simulate(social, seeds, p=0.15, probability="weight", runs=300, rng=9)
    assert np.array_equal(w1.distribution, w2.distribution)


# --------------------------------------------------------------------------- seeds


def _mean(graph, seeds, **kw):
    return simulate(graph, seeds, runs=3000, rng=12345, **kw)


@pytest.mark.parametrize(
    ("name", "kw", "k"),
    [
        ("karate", {"p": 0.1}, 3),
        ("barabasi", {"p": 0.05}, 5),
        ("watts", {"p": 0.2}, 4),
        ("karate-lt", {"model": "lt", "probability": "wc"}, 3),
    ],
)
def test_ris_reaches_at_least_as_much_as_degree(name, kw, k):
    graphs = {
        "karate": nx.karate_club_graph(),
        "karate-lt": nx.karate_club_graph(),
        "barabasi": nx.barabasi_albert_graph(400, 2, seed=1),
        "watts": nx.connected_watts_strogatz_graph(300, 4, 0.05, seed=2),
    }
    g = graphs[name]
    ris = choose_seeds(g, k, rng=1, runs=200, **kw)
    deg = choose_seeds(g, k, method="degree", rng=1, runs=200, **kw)
    a, b = _mean(g, ris.seeds, **kw), _mean(g, deg.seeds, **kw)
    # tolerance: RIS may lose to degree by no more than Z standard errors of the difference
    assert a.mean >= b.mean - Z * math.hypot(a.stderr, b.stderr), (a.mean, b.mean)


def test_ris_is_near_the_best_pair_by_brute_force():
    g = nx.connected_watts_strogatz_graph(14, 4, 0.3, seed=3)
    ris = choose_seeds(g, 2, p=0.3, epsilon=0.1, rng=2, runs=500)
    best = max(
        simulate(g, pair, p=0.3, runs=1500, rng=7).mean
        for pair in itertools.combinations(range(14), 2)
    )
    got = simulate(g, ris.seeds, p=0.3, runs=1500, rng=7)
    assert got.mean >= (1 - 1 / math.e - 0.1) * best
    assert got.mean >= 0.95 * best  # in practice the greedy is close to optimal


def test_celf_and_ris_agree_on_a_small_graph():
    g = nx.karate_club_graph()
    ris = choose_seeds(g, 3, p=0.1, rng=4, runs=500)
    celf = choose_seeds(g, 3, method="celf", p=0.1, rng=4, runs=500)
    a, b = _mean(g, ris.seeds, p=0.1), _mean(g, celf.seeds, p=0.1)
    assert abs(a.mean - b.mean) <= Z * math.hypot(a.stderr, b.stderr) + 0.5
    assert celf.evaluations >= 0
    assert np.all(np.diff(celf.cumulative) >= 0)


def test_choice_result_fields(pilot):
    engaged = [r.id for r in pilot.engaged()]
    team = [r.id for r in pilot.leaders("pingnan")][:2]
    c = choose_seeds(pilot, 4, p=0.1, candidates=engaged, given=team, rng=3, runs=300)
    assert len(c.seeds) == 4
    assert set(c.seeds) <= set(engaged)
    assert not set(c.seeds) & set(team)
    assert c.given == tuple(team)
    assert c.base >= 2.0
    assert c.spread == pytest.approx(c.base + c.gains.sum())
    assert c.cumulative[-1] == pytest.approx(c.spread)
    assert len(c.reasons) == 4
    assert any("IMM" in n for n in c.notes)
    rows = c.to_rows()
    assert [r["rank"] for r in rows] == [1, 2, 3, 4]
    assert [r["id"] for r in rows] == list(c.seeds)
    # scores (RR coverage shares) never grow: coverage is submodular
    assert np.all(np.diff(c.scores) <= 1e-12)
    # the base is the spread of the given seeds alone
    base = simulate(pilot, team, p=0.1, runs=2000, rng=1)
    assert abs(c.base - base.mean) <= Z * base.stderr * math.sqrt(1 + 2000 / 300)


@pytest.mark.parametrize("method", ["ris", "celf", "degree", "pagerank"])
def test_every_method_on_the_pilot(pilot, method):
    c = choose_seeds(pilot, 3, method=method, p=0.1, rng=5, runs=100)
    assert len(c.seeds) == len(set(c.seeds)) == 3
    assert c.method == method
    assert c.spread >= 3
    assert c.samples > 0


def test_degree_and_pagerank_break_ties_by_id():
    g = nx.cycle_graph(["d", "b", "a", "c"])  # every node has 2 ties
    assert choose_seeds(g, 2, method="degree", p=0.1, runs=10, rng=0).seeds == ("a", "b")
    assert choose_seeds(g, 2, method="pagerank", p=0.1, runs=10, rng=0).seeds == ("a", "b")


def test_k_larger_than_candidates():
    g = nx.path_graph(5)
    c = choose_seeds(g, 10, p=0.5, candidates=[1, 3], rng=0, runs=50)
    assert sorted(c.seeds) == [1, 3]


def test_compare_seeds_curves(pilot):
    cmp = compare_seeds(pilot, 4, p=0.1, runs=200, rng=0)
    assert cmp.methods == ("ris", "degree", "pagerank")
    assert cmp.spread.shape == (3, 5)
    assert np.all(np.diff(cmp.spread, axis=1) >= 0)  # prefixes of one seed list: monotone
    assert np.all(cmp.spread[:, 0] == 0)
    assert np.all(cmp.halfwidth >= 0)
    assert len(cmp.to_rows()) == 15
    assert len(cmp.reasons) == 3
    # every method is scored from the same seed: with given seeds, column 0 agrees
    team = [r.id for r in pilot.leaders("pingnan")][:2]
    with_team = compare_seeds(
        pilot, 2, p=0.1, given=team, runs=200, rng=0, methods=("ris", "degree")
    )
    assert with_team.spread[0, 0] == with_team.spread[1, 0] >= 2


# --------------------------------------------------------------------------- determinism


def test_same_result_whatever_n_jobs(pilot):
    pytest.importorskip("joblib")
    seeds = [r.id for r in pilot.leaders()][:5]
    for model, kw in (("ic", {"p": 0.2}), ("lt", {"probability": "wc"})):
        one = simulate(pilot, seeds, model=model, runs=350, rng=11, **kw)
        two = simulate(pilot, seeds, model=model, runs=350, rng=11, n_jobs=2, **kw)
        assert np.array_equal(one.distribution, two.distribution)
        assert np.array_equal(one.reached, two.reached)


def test_runs_come_in_fixed_chunks():
    g = nx.karate_club_graph()
    short = simulate(g, [0], p=0.2, runs=100, rng=5)
    long = simulate(g, [0], p=0.2, runs=250, rng=5)
    assert np.array_equal(long.distribution[:100], short.distribution)
    again = simulate(g, [0], p=0.2, runs=250, rng=5)
    assert np.array_equal(long.distribution, again.distribution)
    assert not np.array_equal(
        long.distribution, simulate(g, [0], p=0.2, runs=250, rng=6).distribution
    )


def test_n_jobs_missing_from_choose_seeds_and_compare_seeds(pilot, monkeypatch):
    """Regression: only ``simulate`` took ``n_jobs``. Every Monte Carlo entry point takes
    it now, uses it, and a fixed ``rng`` gives the same answer with 1 and 2 jobs."""
    pytest.importorskip("joblib")
    engaged = [r.id for r in pilot.engaged()][:12]
    # small CELF blocks, so that its estimates really go through joblib
    monkeypatch.setattr(_seeds, "_MC_CELLS", 2000)
    for method in ("ris", "celf", "degree"):
        kw = {"method": method, "p": 0.1, "runs": 150, "rng": 3, "candidates": engaged}
        one = choose_seeds(pilot, 3, **kw)
        two = choose_seeds(pilot, 3, n_jobs=2, **kw)
        assert one.seeds == two.seeds, method
        assert np.array_equal(one.gains, two.gains), method
        assert one.spread == two.spread, method
    kw = {"methods": ("ris", "degree"), "p": 0.1, "runs": 150, "rng": 4}
    one_cmp = compare_seeds(pilot, 3, **kw)
    two_cmp = compare_seeds(pilot, 3, n_jobs=2, **kw)
    assert np.array_equal(one_cmp.spread, two_cmp.spread)
    with pytest.raises(ValidationError, match="n_jobs"):
        choose_seeds(pilot, 2, n_jobs=0)
    with pytest.raises(ValidationError, match="n_jobs"):
        compare_seeds(pilot, 2, n_jobs=1.5)


@pytest.mark.parametrize("entry", [simulate, choose_seeds, compare_seeds])
def test_monte_carlo_entry_points_share_one_set_of_names(entry):
    params = inspect.signature(entry).parameters
    names = list(params)
    assert {"runs", "rng", "n_jobs", "progress", "probability"} <= set(names)
    assert "n_sims" not in names
    if entry is not simulate:  # k, the number to choose, is second and positional
        assert names[1] == "k"
        assert params["k"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD


def test_weights_named_an_arc_rule_so_it_is_now_probability(pilot):
    """Regression: ``weights=`` meant numeric weights elsewhere but a rule here. The rule
    is ``probability=``; ``weights=`` still works for one release, with a warning."""
    team = [r.id for r in pilot.leaders("pingnan")][:3]
    new = simulate(pilot, team, probability="wc", runs=200, rng=1)
    with pytest.warns(DeprecationWarning, match=r"simulate\(weights=\.\.\.\).*probability="):
        old = simulate(pilot, team, weights="wc", runs=200, rng=1)
    assert np.array_equal(new.distribution, old.distribution)
    kw = {"method": "degree", "runs": 50, "rng": 1}
    with pytest.warns(DeprecationWarning, match=r"choose_seeds\(weights="):
        c = choose_seeds(pilot, 2, weights="wc", **kw)
    assert c.seeds == choose_seeds(pilot, 2, probability="wc", **kw).seeds
    with pytest.warns(DeprecationWarning, match=r"compare_seeds\(weights="):
        cmp = compare_seeds(pilot, 2, weights="wc", methods=("degree",), runs=50, rng=1)
    assert cmp.rule == c.rule
    with (
        pytest.warns(DeprecationWarning, match="weights"),
        pytest.raises(TypeError, match="probability"),
    ):
        simulate(pilot, team, probability="wc", weights="weight", runs=10)
    with pytest.warns(DeprecationWarning, match="PROBABILITIES"):
        assert vchuang.diffusion.WEIGHTS == vchuang.diffusion.PROBABILITIES


def test_public_surface():
    D = vchuang.diffusion
    assert sorted(dir(D)) == sorted(D.__all__)
    for name in D.__all__:
        assert getattr(D, name) is not None
    assert D.PROBABILITIES == (None, "weight", "wc")


def test_pagerank_baseline_is_the_library_pagerank():
    """Regression: diffusion had its own PageRank (another tolerance) beside talent's;
    the baseline now uses :func:`vchuang.kernel.pagerank.pagerank`, networkx's rule."""
    g = nx.karate_club_graph()
    c = choose_seeds(g, 4, method="pagerank", p=0.1, runs=10, rng=0)
    ref = nx.pagerank(g, weight=None, tol=1e-12)
    best = sorted(ref, key=lambda x: (-ref[x], x))[:4]
    assert list(c.seeds) == best
    assert np.allclose(c.scores, [ref[x] for x in best], atol=1e-9)


_SCRIPT = """
import vchuang
from vchuang.diffusion import simulate, choose_seeds
g = vchuang.datasets.longgang_pilot()
s = simulate(g, [r.id for r in g.leaders()][:4], p=0.1, runs=300, rng=3)
c = choose_seeds(g, 3, p=0.1, rng=3, runs=100)
d = choose_seeds(g, 3, method="degree", p=0.1, rng=3, runs=100)
print(s.distribution.tolist(), s.reached.round(6).tolist(), c.seeds, c.spread, d.seeds)
"""


def test_same_result_whatever_the_hash_seed():
    outs = set()
    for hash_seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        outs.add(done.stdout)
    assert len(outs) == 1


# --------------------------------------------------------------------------- errors


def test_bad_inputs(pilot):
    with pytest.raises(UnknownEntityError, match="pn-r0001"):
        simulate(pilot, ["pn-r0001"], runs=10)
    with pytest.raises(ValidationError, match="single string"):
        simulate(pilot, "pn-r001", runs=10)
    with pytest.raises(ValidationError, match="model"):
        simulate(pilot, [], model="sir", runs=10)
    with pytest.raises(ValidationError, match="probability"):
        simulate(pilot, [], p=1.5, runs=10)
    with pytest.raises(ValidationError, match="probability"):
        simulate(pilot, [], probability="hours", runs=10)
    with pytest.raises(ValidationError, match="not used"):
        simulate(pilot, [], p=0.1, probability="wc", runs=10)
    with pytest.raises(ValidationError, match="runs"):
        simulate(pilot, [], runs=0)
    with pytest.raises(ValidationError, match="n_jobs"):
        simulate(pilot, [], runs=10, n_jobs=0)
    with pytest.raises(ValidationError, match="confidence"):
        simulate(pilot, [], runs=10, confidence=1.0)
    with pytest.raises(ValidationError, match="square"):
        simulate(sp.csr_array(np.ones((2, 3))), [0], runs=10)
    with pytest.raises(ValidationError, match="cannot read"):
        simulate([[0, 1]], [0], runs=10)
    with pytest.raises(UnknownEntityError):
        simulate(sp.csr_array(np.ones((3, 3))), [3], runs=10)
    with pytest.raises(ValidationError, match="method"):
        choose_seeds(pilot, 2, method="random")
    with pytest.raises(ValidationError, match="epsilon"):
        choose_seeds(pilot, 2, epsilon=0)
    with pytest.raises(ValidationError, match="k"):
        choose_seeds(pilot, -1)
    leaders = [r.id for r in pilot.leaders()][:2]
    with pytest.raises(ValidationError, match="no one to choose"):
        choose_seeds(pilot, 2, candidates=leaders, given=leaders)
    # max_rr_sets no longer refuses: it caps (tests/test_ris_budget.py)


def test_optional_dependencies_are_named(pilot, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "joblib", None)
    with pytest.raises(MissingDependencyError, match=r"vchuang\[progress\]"):
        simulate(pilot, [], runs=10, progress=True)
    with pytest.raises(MissingDependencyError, match=r"vchuang\[parallel\]"):
        simulate(pilot, [], runs=10, n_jobs=2)
    # n_jobs=1 never needs joblib
    assert simulate(pilot, [], runs=10).mean == 0.0


def test_progress_bar(pilot, capsys):
    pytest.importorskip("tqdm")
    simulate(pilot, [r.id for r in pilot.leaders()][:2], runs=150, progress=True, rng=0)
    assert "150/150" in capsys.readouterr().err


# --------------------------------------------------------------------------- output


def test_rows_and_plots(pilot):
    seeds = [r.id for r in pilot.leaders()][:3]
    s = simulate(pilot, seeds, p=0.1, runs=200, rng=0)
    rows = s.to_rows()
    assert len(rows) == len(s.ids)
    assert rows[0]["probability"] == 1.0
    assert set(rows[0]) == {"id", "probability", "seed"}
    probs = [r["probability"] for r in rows]
    assert probs == sorted(probs, reverse=True)
    with pytest.raises(UnknownEntityError):
        s.probability("nobody")
    # no names in the output: only IDs
    names = {r.name for r in pilot.residents() if r.name}
    text = " ".join(s.reasons) + repr(rows)
    assert not any(name in text for name in names)
    langs = ["en", "zh"] if cjk_fonts() else ["en"]
    c = choose_seeds(pilot, 3, p=0.1, rng=0, runs=100)
    cmp = compare_seeds(pilot, 3, p=0.1, runs=100, rng=0, methods=("ris", "degree"))
    for lang in langs:
        for ax in (s.plot(lang=lang), c.plot(lang=lang), cmp.plot(lang=lang)):
            assert ax.get_title()
            assert ax.figure is not None


@pytest.fixture(scope="module")
def district() -> vchuang.CommunityGraph:
    return vchuang.datasets.synthetic(20_000, rng=1)


def test_repr_of_a_district_result_floods_the_notebook(district):
    """Regression: ``repr(simulate(...))`` on 20,000 residents printed every node and
    array (~250,000 characters). Reprs give counts and the first rows only."""
    ids = district.index.ids("resident")
    s = simulate(district, ids[:2000], p=0.05, runs=20, rng=1)
    c = choose_seeds(district, 50, method="degree", p=0.05, runs=20, rng=1)
    cmp = compare_seeds(district, 50, methods=("degree", "pagerank"), p=0.05, runs=20, rng=1)
    for result in (s, c, cmp):
        assert len(repr(result)) < 500, repr(result)
        page = result._repr_html_()
        assert page.startswith("<table>")
        assert len(page) < 1000
    assert "seeds=2000" in repr(s)
    assert "nodes=20000" in repr(s)
    assert "seeds=50" in repr(c)
    assert "k=50" in repr(cmp)
    assert page.count("<tr>") == 1 + 2  # the header and two methods


def test_plot_labels_come_from_the_text_catalogue(pilot):
    import vchuang.plot  # registers the figures with the seam
    from vchuang.kernel.plotting import draw
    from vchuang.kernel.text import catalogue, fields_of, text

    for result_type in (vchuang.diffusion.Spread, vchuang.diffusion.SeedChoice):
        assert draw.dispatch(result_type) is not draw.dispatch(object)
    keys = [key for key in catalogue() if key.startswith("diffusion.")]
    assert len(keys) > 10
    for key in keys:
        entry = catalogue()[key]
        assert fields_of(entry["en"]) == fields_of(entry["zh"]), key
    for method in vchuang.diffusion.METHODS:
        assert f"diffusion.method.{method}" in keys
    lang = "zh" if cjk_fonts() else "en"
    s = simulate(pilot, [r.id for r in pilot.leaders()][:3], p=0.1, runs=50, rng=0)
    ax = s.plot(lang=lang)
    assert ax.get_xlabel() == text("diffusion.spread", lang)
    ax = vchuang.plot.plot_spread(s, lang=lang)
    assert ax.get_ylabel() == text("diffusion.runs", lang)


# --------------------------------------------------------------------------- internals


def test_bernoulli_positions_are_exact():
    rng = np.random.default_rng(0)
    total, q = 2000, 0.01
    counts = np.zeros(total)
    trials = 3000
    for _ in range(trials):
        pos = _cascade._hits(rng, total, q)
        assert np.all(np.diff(pos) > 0)
        assert pos.size == 0 or (pos[0] >= 0 and pos[-1] < total)
        counts[pos] += 1
    # every position fires with probability q, whatever its place in the stream
    first, last = counts[:1000].mean() / trials, counts[1000:].mean() / trials
    se = math.sqrt(q * (1 - q) / (trials * 1000))
    assert close(first, q, se)
    assert close(last, q, se)


def test_visited_structures_agree():
    rng = np.random.default_rng(1)
    dense, bits, srt = _visited._Dense(5000), _visited._Bits(5000), _visited._Sorted()
    for _ in range(20):
        keys = rng.integers(0, 5000, size=300)
        a, b, c = dense.add_new(keys), bits.add_new(keys), srt.add_new(keys)
        assert np.array_equal(a, b)
        assert np.array_equal(a, c)
        probe = rng.integers(0, 5000, size=100)
        assert np.array_equal(dense.seen(probe), bits.seen(probe))
        assert np.array_equal(dense.seen(probe), srt.seen(probe))


@pytest.mark.parametrize("limits", [(10, 1 << 31), (10, 10)])
def test_memory_layouts_give_the_same_runs(monkeypatch, limits):
    """Dense byte masks, bit masks and sorted key arrays are interchangeable."""
    g = nx.gnp_random_graph(60, 0.08, seed=1, directed=True)
    kw = {"runs": 300, "rng": 4}
    dense = {m: simulate(g, [0, 1, 2], model=m, p=0.3, **kw) for m in ("ic", "lt")}
    ris = choose_seeds(g, 3, p=0.3, rng=1, runs=50).seeds
    monkeypatch.setattr(_visited, "_DENSE_CELLS", limits[0])
    monkeypatch.setattr(_visited, "_BIT_CELLS", limits[1])
    for m in ("ic", "lt"):
        other = simulate(g, [0, 1, 2], model=m, p=0.3, **kw)
        assert np.array_equal(other.distribution, dense[m].distribution)
    if limits[1] >= 1 << 31:  # the RR batch size (and so the samples) is unchanged
        assert choose_seeds(g, 3, p=0.3, rng=1, runs=50).seeds == ris


# --------------------------------------------------------------------------- benchmark


def test_benchmark_quick_mode(capsys):
    spec = importlib.util.spec_from_file_location(
        "bench_diffusion", ROOT / "benchmarks" / "bench_diffusion.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--quick"])
    out = capsys.readouterr().out
    assert "within CI" in out
    assert "RIS" in out


# --------------------------------------------------------------------------- scale (issue 23)


def test_parallel_path_really_runs_and_gives_the_same_runs(pilot, monkeypatch):
    """Regression: ``n_jobs=2`` shipped the arcs with every chunk of 100 runs, so it was
    4.6x slower than ``n_jobs=1``. Now the chunks after the first go to the workers in
    one task each; with the threshold at 0 the pilot's work really goes through joblib,
    and the runs are the same as in one process, for any ``n_jobs``."""
    pytest.importorskip("joblib")
    from vchuang.diffusion import _runs

    monkeypatch.setattr(_runs, "_PARALLEL_MIN_SECONDS", 0.0)
    calls: list[int] = []
    real = _runs._parallel

    def counting(fn, tasks, n_jobs, what):  # type: ignore[no-untyped-def]
        calls.append(len(tasks))
        return real(fn, tasks, n_jobs, what)

    monkeypatch.setattr(_runs, "_parallel", counting)
    seeds = [r.id for r in pilot.leaders()][:5]
    for model, kw in (("ic", {"probability": "wc"}), ("lt", {"p": 0.3})):
        one = simulate(pilot, seeds, model=model, runs=730, rng=5, **kw)
        for n_jobs in (2, 3, -1):
            other = simulate(pilot, seeds, model=model, runs=730, rng=5, n_jobs=n_jobs, **kw)
            assert np.array_equal(one.distribution, other.distribution), (model, n_jobs)
            assert np.array_equal(one.reached, other.reached), (model, n_jobs)
    # one task per worker (7 chunks after the first), not one per chunk
    assert calls and all(2 <= c <= 3 for c in calls)


def test_little_work_stays_in_one_process(monkeypatch):
    """Under ``_PARALLEL_MIN_SECONDS`` of work ``n_jobs=2`` never starts workers."""
    pytest.importorskip("joblib")
    from vchuang.diffusion import _runs

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        msg = "went to joblib"
        raise AssertionError(msg)

    monkeypatch.setattr(_runs, "_parallel", boom)
    g = nx.karate_club_graph()
    one = simulate(g, [0], p=0.2, runs=1000, rng=2)
    two = simulate(g, [0], p=0.2, runs=1000, rng=2, n_jobs=2)
    assert np.array_equal(one.distribution, two.distribution)


def test_groups_cover_every_chunk_once():
    from vchuang.diffusion import _runs

    for count, parts in itertools.product(range(1, 12), range(1, 6)):
        groups = _runs._groups(count, parts)
        assert [i for g in groups for i in g] == list(range(count))
        assert len(groups) == min(count, parts)
        assert max(map(len, groups)) - min(map(len, groups)) <= 1


def test_arcs_pickle_without_their_caches(pilot):
    import pickle

    net = _seeds._network(pilot)
    values, _ = _seeds._arc_values(net, "lt", 0.1, "wc")
    arcs = _cascade._Arcs.build(net, values, model="lt")
    assert arcs.cumkey.size == arcs.indices.size
    back = pickle.loads(pickle.dumps(arcs))
    assert back._cumkey is None and back._rows is None
    assert np.array_equal(back.cumkey, arcs.cumkey)


def test_degree_seeds_cost_what_their_ranking_costs(monkeypatch):
    """Regression: ``choose_seeds(method="degree")`` took 52 s on 100k / 1M where the 50
    highest degrees take 12 ms: it always simulated the spread of every prefix. With
    ``evaluate=False`` nothing is simulated (and no arcs are built); the seeds are the
    same, and the default still simulates as before."""
    g = nx.barabasi_albert_graph(400, 3, seed=1)

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        msg = "simulated"
        raise AssertionError(msg)

    for method in ("degree", "pagerank"):
        before = choose_seeds(g, 5, method=method, probability="wc", runs=50, rng=1)
        assert before.estimator == "monte-carlo" and math.isfinite(before.spread)
        with monkeypatch.context() as m:
            m.setattr(_seeds, "_prefix_spreads", boom)
            m.setattr(_seeds._Arcs, "build", boom)
            fast = choose_seeds(g, 5, method=method, probability="wc", evaluate=False, rng=1)
        assert fast.seeds == before.seeds
        assert np.array_equal(fast.scores, before.scores)
        assert fast.estimator == "none" and fast.samples == 0
        assert math.isnan(fast.spread) and np.isnan(fast.gains).all()
        assert "evaluate=False" in fast.notes[-1]
        assert len(repr(fast)) < 500
        assert "adds about" not in fast.reasons[0]
    degree = dict(g.degree())
    top = sorted(degree, key=lambda v: (-degree[v], v))[:5]
    assert list(choose_seeds(g, 5, method="degree", evaluate=False).seeds) == top


def test_ris_without_evaluation_reports_its_rr_set_estimate(pilot):
    kw = {"p": 0.1, "rng": 4, "epsilon": 0.3}
    sim = choose_seeds(pilot, 3, runs=200, **kw)
    rr = choose_seeds(pilot, 3, evaluate=False, **kw)
    assert rr.seeds == sim.seeds
    assert rr.estimator == "rr-sets"
    assert rr.spread == pytest.approx(rr.base + rr.gains.sum())
    assert rr.gains.min() > 0 and rr.base == pytest.approx(0.0, abs=1e-9)
    # the RR-set estimate is close to the simulated spread on this small network
    assert abs(rr.spread - sim.spread) < 0.25 * sim.spread
    with pytest.raises(ValidationError, match="evaluate"):
        choose_seeds(pilot, 2, evaluate="no")  # type: ignore[arg-type]


def test_bucket_major_arcs_give_each_row_its_arcs():
    """The IC arcs are laid out bucket by bucket (no sort); each row's range in each
    bucket holds exactly that row's arcs of that probability range."""
    rng = np.random.default_rng(0)
    n = 60
    m = sp.random_array((n, n), density=0.2, rng=rng, format="csr")
    m.setdiag(0)
    m.eliminate_zeros()
    value = np.asarray(m.data, dtype=np.float64)
    arcs = _cascade._Arcs(n, m.indptr.astype(np.int64), m.indices.astype(np.int64), value)
    assert len(arcs.buckets) > 1 and not arcs.row_major
    for u in range(n):
        got = []
        for start, stop, rate, _ in arcs.buckets:
            vals = arcs.value[start[u] : stop[u]]
            assert np.all(vals <= rate) and np.all(vals > rate / 2)
            got += list(zip(arcs.indices[start[u] : stop[u]].tolist(), vals.tolist(), strict=True))
        row = slice(m.indptr[u], m.indptr[u + 1])
        assert sorted(got) == sorted(zip(m.indices[row].tolist(), value[row].tolist(), strict=True))


def test_seed_choice_scoring_is_the_same_through_workers(pilot, monkeypatch):
    """The prefix scoring of ``choose_seeds`` and ``compare_seeds`` through joblib (the
    threshold at 0, so the workers really run) equals the one-process answer."""
    pytest.importorskip("joblib")
    from vchuang.diffusion import _runs

    kw = {"p": 0.1, "runs": 250, "rng": 9}
    one = choose_seeds(pilot, 3, method="degree", **kw)
    one_cmp = compare_seeds(pilot, 2, methods=("degree", "pagerank"), **kw)
    monkeypatch.setattr(_runs, "_PARALLEL_MIN_SECONDS", 0.0)
    two = choose_seeds(pilot, 3, method="degree", n_jobs=2, **kw)
    two_cmp = compare_seeds(pilot, 2, methods=("degree", "pagerank"), n_jobs=2, **kw)
    assert one.seeds == two.seeds and np.array_equal(one.gains, two.gains)
    assert np.array_equal(one_cmp.spread, two_cmp.spread)


# ------------------------------------------------- small cascades: fixed costs (issue 23)

#: ``simulate`` on :func:`_pinned_graph` from seeds ``_PINNED_SEEDS`` (250 runs,
#: ``rng=7``), computed by the code before the fixed costs were cut: a digest of the
#: spread of every run and of each resident's count, and the mean.
_PINNED = [
    ({"p": 0.01}, "1f5b43c95b3aaab0", 6.608),
    ({"p": 0.05}, "9af6fdbcba9da7e7", 10.944),
    ({"p": 0.1}, "a38bd2a5085e8186", 33.968),
    ({"probability": "wc"}, "b268d7d32259ad49", 58.268),
    ({"p": 0.2, "probability": "weight"}, "4bd7608494884931", 1927.996),
    ({"model": "lt", "p": 0.3}, "f0d32acaeb04e039", 62.824),
]
_PINNED_SEEDS = [3, 1, 4, 1000, 59, 2653]


def _pinned_graph() -> sp.csr_array:
    """3,000 nodes, 12,000 random ties each way (some twice: weight 2; some loops)."""
    rng = np.random.default_rng(5)
    u = rng.integers(0, 3000, 12000)
    v = rng.integers(0, 3000, 12000)
    rows, cols = np.concatenate([u, v]), np.concatenate([v, u])
    return sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(3000, 3000))


def _digest(s: vchuang.diffusion.Spread) -> str:
    import hashlib

    runs = s.distribution.size
    h = hashlib.sha256(s.distribution.astype(np.int64).tobytes())
    h.update(np.rint(s.reached * runs).astype(np.int64).tobytes())
    return h.hexdigest()[:16]


@pytest.mark.parametrize(("kw", "digest", "mean"), _PINNED)
def test_small_cascades_lost_their_fixed_costs_but_not_their_runs(kw, digest, mean):
    """Regression: at p = 0.01 on 100k nodes / 1M ties a call took 1.77x CyNetDiff's
    time, most of it fixed costs (passes over all 2M arcs, a per-node count per chunk
    of 100 runs, a 10 MB mask zeroed per call, the seeds sorted per chunk). They are
    gone; a given ``rng`` still gives exactly the runs it gave before."""
    s = simulate(_pinned_graph(), _PINNED_SEEDS, runs=250, rng=7, **kw)
    assert _digest(s) == digest
    assert s.mean == mean


def test_spare_mask_comes_back_empty():
    """The byte mask kept between calls is empty after each call, so the next call
    (of any model) gives the runs a fresh mask gives."""
    g = _pinned_graph()
    for kw in ({"p": 0.3}, {"model": "lt", "p": 0.3}, {"probability": "wc"}):
        a = simulate(g, [1, 2], runs=150, rng=1, **kw)
        assert _visited._spare and not _visited._spare[0].mark.any()
        _visited._spare.clear()
        b = simulate(g, [1, 2], runs=150, rng=1, **kw)
        assert np.array_equal(a.distribution, b.distribution)
        assert np.array_equal(a.reached, b.reached)


def test_buckets_from_the_exponent_match_the_logarithm():
    tricky = [1.0, 2.0, 0.5, 0.25, 0.125, 2.0**-40, 2.0**-41, 5e-324, 1e-300, 0.999999]
    tricky += [np.nextafter(x, 0.0) for x in (1.0, 0.5, 0.25, 2.0**-20)]
    tricky += [np.nextafter(x, 1.0) for x in (0.5, 0.25, 2.0**-20, 2.0**-40)]
    rng = np.random.default_rng(3)
    values = np.concatenate([tricky, rng.random(5000), 1.0 / rng.integers(1, 10**6, 5000)])
    values = values[values > 0]
    want = np.minimum(np.floor(-np.log2(values)), 40).astype(np.int8)
    want[values >= 1.0] = 0
    assert np.array_equal(_cascade._bucket_of(values), want)


def test_tally_counts_like_bincount():
    from vchuang.diffusion import _runs

    rng = np.random.default_rng(2)
    tally = _runs._Tally(50)
    parts = [rng.integers(0, 50, size) for size in (0, 3, 40, 7, 120, 1)]
    for part in parts:
        tally.add(part)
    assert np.array_equal(tally.result(), np.bincount(np.concatenate(parts), minlength=50))
