"""RIS under a budget: ``max_rr_sets`` and ``time_limit`` stop sampling and return the
greedy choice on the RR sets drawn, with the guarantee those sets give — under IMM
(``stopping="imm"``) and OPIM-C (the default); and the counting greedy of the coverage
engine picks what the lazy greedy picks, with a tighter bound."""

from __future__ import annotations

import itertools
import math
import re
import time

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from vchuang import ValidationError
from vchuang.diffusion import choose_seeds
from vchuang.kernel.coverage import as_incidence, max_coverage

E1 = 1.0 - 1.0 / math.e


@pytest.fixture(scope="module")
def karate() -> nx.Graph:
    return nx.karate_club_graph()


#: IMM's rule (the tests of its limits below were written for it)
IMM = {"stopping": "imm"}


@pytest.fixture(scope="module")
def full(karate):
    """The IMM run no limit binds."""
    return choose_seeds(karate, 3, p=0.1, epsilon=0.2, evaluate=False, rng=7, **IMM)


def test_a_full_run_states_the_epsilon_asked_for(full):
    assert full.epsilon_achieved == 0.2
    assert not full.stopped_early
    assert "stopped_early" not in repr(full)


def test_limits_that_do_not_bind_change_nothing(karate, full):
    again = choose_seeds(
        karate,
        3,
        p=0.1,
        epsilon=0.2,
        evaluate=False,
        rng=7,
        max_rr_sets=10**9,
        time_limit=3600.0,
        **IMM,
    )
    assert again.seeds == full.seeds
    assert again.samples == full.samples
    assert np.array_equal(again.gains, full.gains)
    assert tuple(again.notes) == tuple(full.notes)
    assert again.epsilon_achieved == full.epsilon_achieved
    assert not again.stopped_early


def test_max_rr_sets_caps_the_final_sampling_and_states_a_larger_epsilon(karate, full):
    cap = full.samples * 2 // 3
    kw = {"p": 0.1, "epsilon": 0.2, "evaluate": False, "rng": 7, "max_rr_sets": cap, **IMM}
    c = choose_seeds(karate, 3, **kw)
    assert c.stopped_early
    assert c.samples == cap
    assert len(c.seeds) == 3
    assert len(set(c.seeds)) == 3
    assert c.epsilon_achieved > 0.2
    # the final sampling needed theta = samples of the full run: eps' = eps sqrt(theta / theta')
    assert c.epsilon_achieved == pytest.approx(0.2 * math.sqrt(full.samples / cap), rel=1e-3)
    assert any("max_rr_sets" in n for n in c.notes)
    assert any("Guarantee achieved" in n for n in c.notes)
    assert "stopped_early=True" in repr(c)
    # deterministic: the same rng and cap give the same answer
    again = choose_seeds(karate, 3, **kw)
    assert again.seeds == c.seeds
    assert np.array_equal(again.gains, c.gains)


def test_max_rr_sets_below_the_lower_bound_phase_gives_no_guarantee(karate):
    # the old behaviour was a ValidationError ("IMM needs … more than max_rr_sets")
    c = choose_seeds(karate, 2, p=0.01, max_rr_sets=1000, evaluate=False, rng=0, **IMM)
    assert c.stopped_early
    assert math.isnan(c.epsilon_achieved)
    assert c.samples == 1000
    assert len(c.seeds) == 2
    assert any("lower-bound phase did not finish" in n for n in c.notes)
    assert any("没有质量保证" in n for n in c.notes_in("zh"))


def test_a_cap_too_small_for_any_guarantee_says_so(karate, full):
    c = choose_seeds(karate, 3, p=0.1, epsilon=0.2, evaluate=False, rng=7, max_rr_sets=5000, **IMM)
    assert c.stopped_early
    assert len(c.seeds) == 3
    if math.isnan(c.epsilon_achieved):
        assert any("No guarantee" in n for n in c.notes)
    else:
        assert 0.2 < c.epsilon_achieved < E1


def test_time_limit_zero_returns_quickly_and_says_so():
    g = nx.gnm_random_graph(3000, 12000, seed=1)
    t0 = time.perf_counter()
    c = choose_seeds(g, 5, p=0.05, evaluate=False, rng=1, time_limit=0.0, **IMM)
    assert time.perf_counter() - t0 < 5.0
    assert c.stopped_early
    assert len(c.seeds) == 5
    assert math.isnan(c.epsilon_achieved) or c.epsilon_achieved > 0.1
    assert any("time limit" in n for n in c.notes)


def test_other_methods_state_no_epsilon(karate):
    c = choose_seeds(karate, 2, method="degree", evaluate=False, p=0.1)
    assert math.isnan(c.epsilon_achieved)
    assert not c.stopped_early


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [({"time_limit": -1.0}, "time_limit"), ({"max_rr_sets": 0}, "max_rr_sets")],
)
def test_bad_limits_are_refused(karate, kwargs, where):
    with pytest.raises(ValidationError, match=where):
        choose_seeds(karate, 2, p=0.1, **kwargs)


# ------------------------------------------------------------ OPIM-C (the default)

#: the ratio of OPIM-C's bounds and the ratio asked for, as its note states them
RATIO = re.compile(r"a ratio of ([0-9.]+), at least 1 - 1/e - epsilon = ([0-9.]+)")


def _ratio(c) -> tuple[float, float]:
    for note in c.notes:
        if (m := RATIO.search(note)) is not None:
            return float(m.group(1)), float(m.group(2))
    raise AssertionError(c.notes)


@pytest.fixture(scope="module")
def opim(karate):
    """The OPIM-C run no limit binds."""
    return choose_seeds(karate, 3, p=0.1, epsilon=0.2, evaluate=False, rng=7)


def test_opim_c_is_the_default_and_its_ratio_meets_the_guarantee(opim):
    assert any(n.startswith("OPIM-C") for n in opim.notes)
    assert opim.epsilon_achieved == 0.2
    assert not opim.stopped_early
    ratio, target = _ratio(opim)
    assert target == pytest.approx(E1 - 0.2, abs=1e-3)
    assert ratio >= target


def test_opim_c_limits_that_do_not_bind_change_nothing(karate, opim):
    kw = {"p": 0.1, "epsilon": 0.2, "evaluate": False, "rng": 7}
    again = choose_seeds(karate, 3, max_rr_sets=10**9, time_limit=3600.0, **kw)
    assert (again.seeds, again.samples, again.notes) == (opim.seeds, opim.samples, opim.notes)
    assert np.array_equal(again.gains, opim.gains)
    assert not again.stopped_early


@pytest.mark.parametrize("share", [0.02, 0.15, 0.3])
def test_opim_c_max_rr_sets_caps_each_pool_and_states_what_it_proved(karate, opim, share):
    cap = max(1, int(opim.samples * share))
    kw = {"p": 0.1, "epsilon": 0.2, "evaluate": False, "rng": 7, "max_rr_sets": cap}
    c = choose_seeds(karate, 3, **kw)
    assert c.stopped_early
    assert c.samples == cap
    assert len(set(c.seeds)) == 3
    assert any("max_rr_sets" in n for n in c.notes)
    if math.isnan(c.epsilon_achieved):
        assert any("No guarantee" in n for n in c.notes)
    elif c.epsilon_achieved > 0.2:  # the bounds fell short: the ratio they proved
        assert c.epsilon_achieved < E1
        share = re.search(r"reach at least ([0-9.]+) of the best", " ".join(c.notes))
        assert share is not None
        assert c.epsilon_achieved == pytest.approx(E1 - float(share.group(1)), abs=2e-3)
    else:  # the bounds held, but the two pools still disagreed on the seeds
        assert c.epsilon_achieved == 0.2
        ratio, target = _ratio(c)
        assert ratio >= target
        assert any("with more RR sets" in n for n in c.notes)
    again = choose_seeds(karate, 3, **kw)
    assert (again.seeds, again.notes) == (c.seeds, c.notes)


def test_opim_c_time_limit_zero_returns_quickly_and_says_so():
    g = nx.gnm_random_graph(3000, 12000, seed=1)
    t0 = time.perf_counter()
    c = choose_seeds(g, 5, p=0.05, evaluate=False, rng=1, time_limit=0.0)
    assert time.perf_counter() - t0 < 5.0
    assert c.stopped_early
    assert len(c.seeds) == 5
    assert math.isnan(c.epsilon_achieved) or c.epsilon_achieved > 0.1
    assert any("time limit" in n for n in c.notes)


def test_a_bad_stopping_rule_is_refused(karate):
    with pytest.raises(ValidationError, match="stopping"):
        choose_seeds(karate, 2, p=0.1, stopping="opim")


# ------------------------------------------------------------ the counting greedy


@st.composite
def instances(draw: st.DrawFn):
    n = draw(st.integers(1, 12))
    m = draw(st.integers(1, 8))
    sets = [draw(st.lists(st.integers(0, n - 1), max_size=n)) for _ in range(m)]
    covered = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return sets, n, covered


@given(instances(), st.integers(0, 5))
def test_counting_greedy_picks_what_the_lazy_greedy_picks(inst, k):
    sets, n, covered = inst
    inc = as_incidence(sets, n_elements=n)
    lazy = max_coverage(inc, k, covered=covered)
    counted = max_coverage(inc, k, covered=covered, members=sp.csr_array(inc.T))
    assert counted.chosen.tolist() == lazy.chosen.tolist()
    assert counted.gains.tolist() == lazy.gains.tolist()
    assert counted.value == lazy.value
    assert counted.bound == lazy.bound
    assert counted.evaluations == 0


def test_counting_greedy_refuses_weights_and_a_wrong_shape():
    inc = as_incidence([[0, 1], [1, 2]])
    with pytest.raises(ValidationError, match="members"):
        max_coverage(inc, 1, weights=[1, 1, 1], members=sp.csr_array(inc.T))
    with pytest.raises(ValidationError, match="members"):
        max_coverage(inc, 1, members=inc)


@given(instances(), st.integers(0, 4))
def test_the_tightest_bound_is_an_upper_bound_below_the_final_one(inst, k):
    # Tang et al. (2018): OPT <= f(A_i) + the k largest gains at A_i, at every step i
    sets, n, covered = inst
    inc = as_incidence(sets, n_elements=n)
    lazy = max_coverage(inc, k, covered=covered)
    counted = max_coverage(inc, k, covered=covered, members=sp.csr_array(inc.T))
    start = np.asarray(covered, dtype=bool)
    best = max(
        np.count_nonzero(np.isin(np.arange(n), [e for i in pick for e in sets[i]]) & ~start)
        for r in range(min(k, len(sets)) + 1)
        for pick in itertools.combinations(range(len(sets)), r)
    )
    assert best - 1e-9 <= counted.tightest <= counted.bound
    assert counted.tightest <= lazy.tightest <= lazy.bound
    assert counted.value <= counted.tightest


def test_compare_seeds_passes_the_stopping_rule_on() -> None:
    import networkx as nx

    from vchuang.diffusion import compare_seeds
    from vchuang.errors import ValidationError

    g = nx.karate_club_graph()
    kw = {"p": 0.1, "runs": 100, "rng": 0, "methods": ("ris",)}
    imm = compare_seeds(g, 2, stopping="imm", **kw).choices[0]
    opim = compare_seeds(g, 2, **kw).choices[0]
    assert imm.notes[0].startswith("IMM")
    assert opim.notes[0].startswith("OPIM-C")
    with pytest.raises(ValidationError, match="stopping"):
        compare_seeds(g, 2, stopping="never", **kw)
