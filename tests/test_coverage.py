"""The coverage engine (vchuang.kernel.coverage): laws of coverage, greedy against brute force
and against a plain reference greedy, the budgeted form, bounds and input checks."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from vchuang import ValidationError
from vchuang.kernel.coverage import (
    as_incidence,
    budgeted_max_coverage,
    coverage,
    gains,
    max_coverage,
)

# ---------------------------------------------------------------- strategies


@st.composite
def instances(draw: st.DrawFn, max_sets: int = 7, max_elements: int = 10):
    """(sets as lists of element indices, number of elements, integer weights or None)."""
    n = draw(st.integers(1, max_elements))
    m = draw(st.integers(1, max_sets))
    sets = [draw(st.lists(st.integers(0, n - 1), max_size=n)) for _ in range(m)]
    weights = draw(st.none() | st.lists(st.integers(0, 5), min_size=n, max_size=n))
    return sets, n, weights


# ---------------------------------------------------------------- references


def f(sets, chosen, weights):
    """Coverage by plain sets."""
    union = set()
    for i in chosen:
        union |= set(sets[i])
    return sum(1 if weights is None else weights[e] for e in union)


def plain_greedy(sets, k, weights, covered=()):
    """The textbook greedy: scan every set at every step, lowest index wins ties."""
    done = set(covered)
    chosen, trace = [], []
    for _ in range(k):
        best, best_gain = -1, 0
        for i, s in enumerate(sets):
            if i in chosen:
                continue
            gain = sum(1 if weights is None else weights[e] for e in set(s) - done)
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            break
        chosen.append(best)
        trace.append(best_gain)
        done |= set(sets[best])
    return chosen, trace


def plain_budgeted(sets, budget, costs, weights):
    """Cost-benefit greedy (ratio, lowest index wins ties) or the best single set."""
    done: set[int] = set()
    chosen: list[int] = []
    left = budget
    alive = set(range(len(sets)))
    while True:
        best, best_key = -1, None
        for i in sorted(alive):
            if costs[i] > left:
                continue
            gain = sum(1 if weights is None else weights[e] for e in set(sets[i]) - done)
            key = (1, gain) if costs[i] == 0 else (0, gain / costs[i])
            if gain > 0 and (best_key is None or key > best_key):
                best, best_key = i, key
        if best < 0:
            break
        chosen.append(best)
        alive.discard(best)
        left -= costs[best]
        done |= set(sets[best])
    value = f(sets, chosen, weights)
    singles = [(f(sets, [i], weights), -i) for i in range(len(sets)) if costs[i] <= budget]
    if singles:
        best_single, neg = max(singles)
        if best_single > value:
            return [-neg], best_single
    return chosen, value


def brute(sets, k, weights):
    return max(
        (
            f(sets, c, weights)
            for r in range(min(k, len(sets)) + 1)
            for c in itertools.combinations(range(len(sets)), r)
        ),
        default=0,
    )


def brute_budget(sets, budget, costs, weights):
    best = 0
    for r in range(len(sets) + 1):
        for c in itertools.combinations(range(len(sets)), r):
            if sum(costs[i] for i in c) <= budget:
                best = max(best, f(sets, c, weights))
    return best


# ---------------------------------------------------------------- laws


@given(instances(), st.data())
def test_coverage_is_monotone_and_submodular(inst, data):
    sets, n, weights = inst
    inc = as_incidence(sets, n_elements=n)
    m = len(sets)
    b = data.draw(st.lists(st.integers(0, m - 1), unique=True))
    a = data.draw(st.lists(st.sampled_from(b), unique=True)) if b else []
    s = data.draw(st.integers(0, m - 1))
    fa, fb = coverage(inc, a, weights=weights), coverage(inc, b, weights=weights)
    assert fa <= fb  # monotone: A ⊆ B
    gain_a = coverage(inc, [*a, s], weights=weights) - fa
    gain_b = coverage(inc, [*b, s], weights=weights) - fb
    assert gain_a >= gain_b  # submodular: diminishing returns
    assert fa == f(sets, a, weights)


@given(instances())
def test_gains_are_coverage_differences(inst):
    sets, n, weights = inst
    inc = as_incidence(sets, n_elements=n)
    covered = np.zeros(n, dtype=bool)
    covered[list(sets[0])] = True
    g = gains(inc, covered, weights=weights)
    base = coverage(inc, [0], weights=weights)
    for i in range(len(sets)):
        assert g[i] == coverage(inc, [0, i], weights=weights) - base


# ---------------------------------------------------------------- greedy


@given(instances(), st.integers(0, 4))
def test_lazy_greedy_equals_plain_greedy_and_meets_the_guarantee(inst, k):
    sets, n, weights = inst
    inc = as_incidence(sets, n_elements=n)
    res = max_coverage(inc, k, weights=weights)
    chosen, trace = plain_greedy(sets, k, weights)
    assert res.chosen.tolist() == chosen
    assert res.gains.tolist() == trace
    assert res.value == f(sets, chosen, weights)
    opt = brute(sets, k, weights)
    assert res.value >= (1 - 1 / math.e) * opt - 1e-9  # Nemhauser, Wolsey & Fisher
    assert res.value <= opt <= res.bound + 1e-9  # the online bound holds
    assert all(x >= y for x, y in itertools.pairwise(res.gains))  # diminishing gains
    assert res.rule == "greedy"


@given(instances(), st.integers(1, 4), st.data())
def test_covered_elements_add_nothing(inst, k, data):
    sets, n, weights = inst
    covered = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    inc = as_incidence(sets, n_elements=n)
    res = max_coverage(inc, k, weights=weights, covered=covered)
    chosen, trace = plain_greedy(sets, k, weights, covered=np.flatnonzero(covered))
    assert res.chosen.tolist() == chosen
    assert res.gains.tolist() == trace


@given(instances(max_sets=6), st.data())
def test_budgeted_greedy_matches_reference_and_guarantee(inst, data):
    sets, n, weights = inst
    costs = data.draw(st.lists(st.integers(0, 6), min_size=len(sets), max_size=len(sets)))
    budget = data.draw(st.integers(0, 12))
    inc = as_incidence(sets, n_elements=n)
    res = budgeted_max_coverage(inc, budget, costs=costs, weights=weights)
    chosen, value = plain_budgeted(sets, budget, costs, weights)
    assert res.chosen.tolist() == chosen
    assert res.value == value == f(sets, res.chosen.tolist(), weights)
    assert sum(costs[i] for i in res.chosen.tolist()) <= budget
    opt = brute_budget(sets, budget, costs, weights)
    assert res.value >= 0.5 * (1 - 1 / math.e) * opt - 1e-9
    assert opt <= res.bound + 1e-9
    assert res.rule in ("cost-benefit", "best-single")


def test_best_single_beats_a_greedy_trap():
    # a cheap set with a tiny gain per fen beats the big set on ratio, then the budget
    # is gone: the best single set is the answer (Khuller, Moss & Naor's example shape)
    inc = as_incidence([[0], list(range(1, 11))])
    res = budgeted_max_coverage(inc, 10, costs=[1, 10])
    assert res.rule == "best-single"
    assert res.chosen.tolist() == [1]
    assert res.value == 10
    assert res.alternative == 1


def test_ties_go_to_the_lower_index():
    inc = as_incidence([[0, 1], [2, 3], [0, 1], [2, 3]])
    assert max_coverage(inc, 2).chosen.tolist() == [0, 1]
    assert budgeted_max_coverage(inc, 2, costs=[1, 1, 1, 1]).chosen.tolist() == [0, 1]


def test_stops_when_nothing_more_to_gain():
    inc = as_incidence([[0, 1], [1], [0]])
    res = max_coverage(inc, 3)
    assert res.chosen.tolist() == [0]
    assert res.bound == res.value == 2


def test_lazy_greedy_evaluates_far_fewer_gains_than_plain():
    rng = np.random.default_rng(7)
    m, n = 2000, 20000
    rows = np.repeat(np.arange(m), 30)
    cols = rng.integers(0, n, rows.size)
    inc = as_incidence(sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(m, n)))
    res = max_coverage(inc, 50)
    assert res.chosen.size == 50
    assert res.evaluations < 0.1 * m * 50  # a plain greedy evaluates m gains per pick
    # and the result is still exactly the plain greedy on the same instance
    gains_now = gains(inc)
    assert res.gains[0] == gains_now.max()


def test_free_sets_are_taken_first_by_gain():
    inc = as_incidence([[0], [1, 2], [3, 4, 5]])
    res = budgeted_max_coverage(inc, 0, costs=[0, 0, 5])
    assert res.chosen.tolist() == [1, 0]


# ---------------------------------------------------------------- inputs


def test_as_incidence_accepts_lists_dense_and_sparse_alike():
    lists = as_incidence([[2, 0, 0], [1]], n_elements=4)
    dense = as_incidence(np.asarray([[1, 0, 1, 0], [0, 3, 0, 0]]))
    sparse = as_incidence(
        sp.coo_array(([1.0, 1.0, 5.0, 1.0], ([0, 0, 0, 1], [0, 2, 2, 1])), shape=(2, 4))
    )
    for inc in (lists, dense, sparse):
        assert inc.toarray().tolist() == [[1, 0, 1, 0], [0, 1, 0, 0]]
        assert inc.has_canonical_format


@pytest.mark.parametrize(
    ("call", "where"),
    [
        (lambda inc: max_coverage(inc, -1), "k"),
        (lambda inc: max_coverage(inc, 1, weights=[1, 2]), "weights"),
        (lambda inc: max_coverage(inc, 1, weights=[1, -1, 1]), "weights"),
        (lambda inc: max_coverage(inc, 1, covered=[True]), "covered"),
        (lambda inc: budgeted_max_coverage(inc, -5, costs=[1, 1]), "budget"),
        (lambda inc: budgeted_max_coverage(inc, 5, costs=[1, -1]), "costs"),
        (lambda inc: budgeted_max_coverage(inc, 5, costs=[1]), "costs"),
        (lambda inc: as_incidence([[0, 5]], n_elements=3), "n_elements"),
        (lambda inc: as_incidence([[-1]]), "incidence"),
    ],
)
def test_bad_input_names_the_argument(call, where):
    inc = as_incidence([[0, 1], [2]])
    with pytest.raises(ValidationError) as err:
        call(inc)
    assert err.value.problems[0].path == where


@settings(max_examples=20)
@given(instances(), st.integers(1, 3), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_element_order(inst, k, rnd):
    sets, n, weights = inst
    perm = list(range(n))
    rnd.shuffle(perm)
    moved = [[perm[e] for e in s] for s in sets]
    w2 = None if weights is None else [weights[perm.index(i)] for i in range(n)]
    a = max_coverage(as_incidence(sets, n_elements=n), k, weights=weights)
    b = max_coverage(as_incidence(moved, n_elements=n), k, weights=w2)
    assert a.chosen.tolist() == b.chosen.tolist()
    assert a.gains.tolist() == b.gains.tolist()
