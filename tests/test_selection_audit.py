"""Audits of a selection: EJR, PJR, priceability, empty-handed voters.

The laws: every answer equals pabutools' (``pabutools.analysis``) on random small
approval elections (written as ``.pb`` files by our writer and read by pabutools) and,
where pabutools finishes, on the real elections of ``tests/data/pabulib``; a price
system given as evidence satisfies every condition of priceability.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vchuang.errors import ValidationError
from vchuang.io import pabulib
from vchuang.selection import (
    PROPERTIES,
    Audit,
    Ballot,
    Election,
    audit,
    select,
    why_not_funded,
)

DATA = Path(__file__).parent / "data" / "pabulib"
FILES = sorted(DATA.glob("*.pb"))
LETTERS = "abcdefgh"


@st.composite
def approval_elections(draw: st.DrawFn, max_projects: int = 5, max_voters: int = 5) -> Election:
    m = draw(st.integers(1, max_projects))
    ids = list(LETTERS[:m])
    costs = draw(st.lists(st.sampled_from([0, 1, 2, 3, 5, 8]), min_size=m, max_size=m))
    budget = draw(st.integers(1, 16))
    n = draw(st.integers(1, max_voters))
    ballots = [
        Ballot(voter=f"v{i}", items=draw(st.lists(st.sampled_from(ids), unique=True, min_size=1)))
        for i in range(n)
    ]
    return Election(projects=ids, costs=costs, budget=budget, ballots=ballots, unit="PLN")


def _pabutools(path: Path) -> tuple[Any, Any]:
    pe = pytest.importorskip("pabutools.election")
    return pe.parse_pabulib(str(path))


def _allocation(instance: Any, selected: tuple[str, ...]) -> list[Any]:
    return [p for p in instance if p.name in selected]


def _check_price_system(a: Audit, election: Election, budget: int) -> None:
    """The evidence satisfies every condition of priceability (within rounding)."""
    ps = a.price_system
    assert ps is not None
    tol = 1e-6 * max(1, budget)
    assert ps.voter_budget * election.n_voters >= budget - tol
    approved = {b.voter: set(b.items) for b in election.ballots}
    paid_for = dict.fromkeys(election.projects, 0.0)
    for voter, pays in ps.payments.items():
        assert set(pays) <= approved[voter] & set(a.selected)
        assert sum(pays.values()) <= ps.voter_budget + tol
        for p, x in pays.items():
            paid_for[p] += x
    for p in election.projects:
        if p in a.selected:
            assert paid_for[p] == pytest.approx(election.cost(p), abs=tol)
        else:
            held = sum(ps.voter_budget - ps.paid(b.voter) for b in election.ballots if p in b.items)
            assert held <= election.cost(p) + tol


@settings(max_examples=25, deadline=None)
@given(
    election=approval_elections(),
    rule=st.sampled_from(["equal_shares", "phragmen", "approval_greedy", "knapsack"]),
    utility=st.sampled_from(["cost", "approval"]),
)
def test_audit_equals_pabutools_on_small_elections(
    election: Election, rule: str, utility: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    jr = pytest.importorskip("pabutools.analysis.justifiedrepresentation")
    pa = pytest.importorskip("pabutools.analysis")
    pe = pytest.importorskip("pabutools.election")
    path = tmp_path_factory.mktemp("pb") / "e.pb"
    pabulib.save(election.to_pabulib(), path)
    options: dict[str, Any] = {"completion": None} if rule == "equal_shares" else {}
    result = select(Election.from_pabulib(pabulib.load(path)), rule=rule, **options)
    a = audit(result, utility=utility)
    instance, profile = pe.parse_pabulib(str(path))
    w = _allocation(instance, result.selected)
    sat = pe.Cost_Sat if utility == "cost" else pe.Cardinality_Sat
    theirs = {
        "EJR": jr.is_EJR_approval(instance, profile, sat, w),
        "EJR up to one": jr.is_EJR_one_approval(instance, profile, sat, w),
        "EJR up to any": jr.is_EJR_any_approval(instance, profile, sat, w),
        "PJR": jr.is_PJR_approval(instance, profile, sat, w),
        "PJR up to one": jr.is_PJR_one_approval(instance, profile, sat, w),
        "PJR up to any": jr.is_PJR_any_approval(instance, profile, sat, w),
    }
    assert dict(a.answers) == theirs
    with warnings.catch_warnings():  # pulp 3.3 warns about its own API (PuLP 4 migration)
        warnings.simplefilter("ignore", DeprecationWarning)
        priced = pa.priceable(instance, profile, w, exhaustive=False).validate()
        exhaustive_too = pa.priceable(instance, profile, w).validate()
    assert a.priceable == priced
    assert (a.priceable and a.exhaustive) == exhaustive_too
    assert a.empty_handed == pytest.approx(
        1 - float(pa.percent_non_empty_handed(instance, profile, w))
    )
    read = result.election
    assert read is not None
    if a.priceable:
        _check_price_system(a, read, result.budget)
    for v in a.violations:  # every witness really is one
        assert len(v.voters) >= v.needed
        for voter in v.voters:
            ballot = next(b for b in read.ballots if b.voter == voter)
            assert set(v.projects) <= set(ballot.items)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_audit_of_real_elections_decides_and_prices(path: Path) -> None:
    pa = pytest.importorskip("pabutools.analysis")
    election = Election.from_pabulib(pabulib.load(path))
    if election.vote_type != "approval":
        with pytest.raises(ValidationError, match="approval"):
            audit(select(election, rule="equal_shares"))
        return
    instance, profile = _pabutools(path)
    for rule in ("equal_shares", "phragmen"):
        options: dict[str, Any] = {"completion": None} if rule == "equal_shares" else {}
        result = select(election, rule=rule, **options)
        a = audit(result)
        assert a.complete and None not in a.answers.values()
        w = _allocation(instance, result.selected)
        assert a.empty_handed == pytest.approx(
            1 - float(pa.percent_non_empty_handed(instance, profile, w))
        )
        if rule == "equal_shares":  # MES outcomes are priceable and satisfy EJR up to one
            assert a.priceable and a.holds("EJR up to one")
            _check_price_system(a, election, result.budget)


def test_greedy_outcome_fails_ejr_with_a_witness() -> None:
    # 3 voters want a (cost 60), 2 want b and c (40 each), budget 100: a knapsack on
    # a panel's scores that prefers b and c leaves the 3 a-voters, who could afford a
    # with their 60 % of the budget, with nothing.
    e = Election(
        projects=["a", "b", "c"],
        costs=[60, 40, 40],
        budget=100,
        ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
        + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)],
    )
    a = audit(select(e, rule="knapsack", scores={"a": 0, "b": 1, "c": 1}))
    v = a.violation("EJR")
    assert v is not None and v.projects == ("a",) and v.voters == ("0", "1", "2")
    assert v.needed == 3
    assert not a.priceable and a.empty_handed == pytest.approx(0.6)
    assert [r["property"] for r in a.to_rows()][: len(PROPERTIES)] == list(PROPERTIES)


def test_audit_refuses_what_it_cannot_check() -> None:
    e = Election(
        projects=["a"],
        costs=[1],
        budget=1,
        ballots=[Ballot(voter="v", items=["a"], points=[2])],
        vote_type="cumulative",
    )
    with pytest.raises(ValidationError, match="approval"):
        audit(select(e, rule="equal_shares"))
    ok = Election(projects=["a"], costs=[1], budget=1, ballots=[Ballot(voter="v", items=["a"])])
    with pytest.raises(ValidationError, match="utility"):
        audit(select(ok, rule="phragmen"), utility="points")


def test_search_limit_leaves_undecided_answers_open() -> None:
    ballots = [Ballot(voter=f"v{i}", items=list("abcdef")) for i in range(6)]
    e = Election(projects=list("abcdef"), costs=[1] * 6, budget=6, ballots=ballots)
    a = audit(
        select(e, rule="knapsack", scores=dict.fromkeys("abcdef", 1.0), budget=6), max_nodes=3
    )
    assert not a.complete or all(a.answers.values())


def test_audit_repr_stays_short_on_a_big_election() -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    matrix = rng.random((1500, 30)) < 0.15
    e = Election.from_matrix(matrix, costs=rng.integers(50, 400, 30).tolist(), budget=2000)
    a = audit(select(e, rule="equal_shares"))
    assert len(repr(a)) < 500 and len(a._repr_html_()) < 2000
    assert repr(a.price_system).startswith("PriceSystem(") if a.price_system else True


# ------------------------------------------------------------------ why not funded


def _brute_support(result: Any, p: str, limit: int) -> int | None:
    election = result.election
    for k in range(1, limit + 1):
        extra = [Ballot(voter=f"+{p}-{i}", items=[p]) for i in range(k)]
        changed = attrs.evolve(election, ballots=(*election.ballots, *extra))
        if p in select(changed, **result.inputs).selected:
            return k
    return None


def _brute_cost(result: Any, p: str) -> int | None:
    election = result.election
    j = election.position(p)
    for d in range(1, election.costs[j] + 1):
        costs = list(election.costs)
        costs[j] -= d
        if p in select(attrs.evolve(election, costs=costs), **result.inputs).selected:
            return d
    return None


@settings(max_examples=25, deadline=None)
@given(
    election=approval_elections(max_projects=4, max_voters=4),
    rule=st.sampled_from(["approval_greedy", "equal_shares", "phragmen"]),
)
def test_why_not_funded_equals_brute_force(election: Election, rule: str) -> None:
    result = select(election, rule=rule)
    w = why_not_funded(result, max_support=8)
    assert {s.proposal for s in w.shortfalls} == {
        d.proposal for d in result.decisions if not d.selected
    }
    for s in w.shortfalls:
        support = _brute_support(result, s.proposal, 8)
        cut = _brute_cost(result, s.proposal)
        if rule == "approval_greedy":  # monotone: bisection finds the smallest
            assert s.extra_support == support
            assert s.cost_cut == cut
        else:  # funded at the answer, and the brute-force minimum is never larger
            if s.extra_support is not None:
                assert support is not None and support <= s.extra_support
            if s.cost_cut is not None:
                assert cut is not None and cut <= s.cost_cut
        assert s.sentence("en") and s.sentence("zh")
        assert s.proposal in s.sentence("zh")


def test_why_not_funded_names_who_outbid_it_in_both_languages() -> None:
    e = Election(
        projects=["a", "b", "c"],
        costs=[60, 40, 40],
        budget=100,
        ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
        + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)],
        unit="yuan",
    )
    w = why_not_funded(select(e, rule="equal_shares", completion=None))
    c = w["c"]
    assert c.dropped_after == 2 and c.outbid_by == ("b",)
    assert "被这些项目抢先：b" in c.sentence("zh")
    assert len(repr(w)) < 500 and w.to_rows("zh")[0]["why"] == c.sentence("zh")
    with pytest.raises(ValidationError, match="funded"):
        why_not_funded(select(e, rule="equal_shares"), ["a"])
