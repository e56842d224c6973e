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


@settings(deadline=None)
@given(
    election=approval_elections(max_projects=5, max_voters=6),
    utility=st.sampled_from(["cost", "approval"]),
)
def test_why_not_funded_equal_shares_shortcut_gives_the_rerun_answers(
    election: Election, utility: str
) -> None:
    # the defect: why-not-funded re-ran the whole rule ~50 times per proposal (slower
    # than pabutools' effective support); equal shares now answers from the rule's own
    # arrays (cost cut: one replay of the original run), with the same answers as
    # re-running select() on a changed election
    from vchuang.selection import _explain

    result = select(election, rule="equal_shares", completion=None, utility=utility)
    fast = why_not_funded(result, max_support=10)
    original = _explain._EqualShares.applies
    try:
        _explain._EqualShares.applies = staticmethod(lambda result: False)  # type: ignore[method-assign]
        slow = why_not_funded(result, max_support=10)
    finally:
        _explain._EqualShares.applies = original  # type: ignore[method-assign]
    assert fast.shortfalls == slow.shortfalls


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


# ------------------------------------------------------------------ words, report, plots


def test_audit_summary_in_both_languages_names_the_witness() -> None:
    e = Election(
        projects=["a", "b", "c"],
        costs=[60, 40, 40],
        budget=100,
        ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
        + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)],
    )
    a = audit(select(e, rule="knapsack", scores={"a": 0, "b": 1, "c": 1}))
    assert "EJR fails" in a.summary() and "3 voters who all backed a" in a.summary()
    zh = a.summary("zh")
    assert "EJR 不满足" in zh and "60%" in zh and "有 3 位居民都支持 a" in zh
    ok = audit(select(e, rule="equal_shares", completion=None))
    assert "EJR holds, PJR holds, priceable: holds" in ok.summary()
    assert "可定价：满足" in ok.summary("zh")


def test_priceability_of_a_selected_project_nobody_backs() -> None:
    # the defect: linprog was given a b_eq row for a selected project no voter
    # approves and crashed with "b_eq must be a 1-D array"; now such an outcome is not
    # priceable unless the project costs nothing (no one needs to pay)
    e = Election(
        projects=["a", "b"], costs=[1, 2], budget=4, ballots=[Ballot(voter="v", items=["a"])]
    )
    a = audit(select(e, rule="knapsack", scores={"a": 1, "b": 1}))
    assert set(a.selected) == {"a", "b"} and a.priceable is False
    free = attrs.evolve(e, costs=(1, 0))
    assert audit(select(free, rule="knapsack", scores={"a": 1, "b": 1})).priceable is True


def test_report_says_why_not_funded_and_why_no_audit() -> None:
    from vchuang import report
    from vchuang.datasets import longgang_pilot

    graph = longgang_pilot()
    for lang, fitted, over, audited in (
        (
            "en",
            "would have fitted in the ¥1,500.00 left",
            "a cost ¥100.00 lower",
            "proportionality",
        ),
        (
            "zh",
            "本可以用选定项目之后剩下的1,500.00 元办成",
            "费用再降低100.00 元就放得下",
            "按比例照顾",
        ),
    ):
        ctx = report._Context(graph=graph, lang=lang, threshold=5, ledger=None, rng=0)
        section = report._selection(ctx)
        assert section is not None
        words = "\n".join(section.text)
        assert fitted in words and over in words and audited in words


# ------------------------------------------------------------------ Pabulib checker rules


def test_written_points_elections_pass_the_checker_rules() -> None:
    e = Election(
        projects=["a", "b"],
        costs=[3, 4],
        budget=5,
        ballots=[
            Ballot(voter="1", items=["a", "b"], points=[2, 1]),
            Ballot(voter="2", items=["b"], points=[3]),
        ],
        vote_type="cumulative",
        unit="PLN",
    )
    pb = pabulib.loads(pabulib.dumps(e.to_pabulib()))
    assert pabulib.conformance(pb) == []
    assert [p.get("votes") for p in pb.projects] == ["1", "2"]
    assert [p.get("score") for p in pb.projects] == ["2", "4"]
    assert Election.from_pabulib(pb).costs == e.costs


def test_reading_reports_every_checker_rule_the_file_breaks() -> None:
    doc = (
        "META\nkey;value\ndescription;x\ncountry;Poland\nunit;u\ninstance;1\n"
        "num_projects;3\nnum_votes;2\nbudget;100\nvote_type;approval\nrule;greedy\n"
        "max_length;1\ncurrency;PLN\n"
        "PROJECTS\nproject_id;cost;votes;selected\n1;0;2;1\n2;150;0;0\n3;120;5;1\n"
        "VOTES\nvoter_id;vote\nv1;1,3\nv2;3\n"
    )
    problems = pabulib.conformance(pabulib.loads(doc))
    said = [f"{p.path}: {p.message}" for p in problems]
    expected = [
        "VOTES, voter 'v1': votes for 2, more than max_length",
        "PROJECTS, project '1': costs nothing",
        "PROJECTS, project '2': costs 150, more than the whole budget",
        "PROJECTS, project '3': costs 120, more than the whole budget",
        "PROJECTS, project '1': votes is '2', but the VOTES section counts 1",
        "PROJECTS, project '3': votes is '5', but the VOTES section counts 2",
        "PROJECTS, column selected: costs 120, over the budget 100",
    ]
    for line in expected:
        assert line in said, (line, said)
    assert not [s for s in said if "project '2': votes" in s]  # 0 said, 0 counted
    no_tally = doc.replace("project_id;cost;votes;selected", "project_id;cost;x;selected")
    said = [p.message for p in pabulib.conformance(pabulib.loads(no_tally))]
    assert "has neither a votes nor a score column" in said
    rich = doc.replace("budget;100", "budget;1000")
    assert any(
        "more than all projects cost" in p.message for p in pabulib.conformance(pabulib.loads(rich))
    )


def _loop_priceability_lp(election: Election, member: Any, in_w: Any, budget: int) -> Any:
    """The priceability programme as the audit first built it, a row at a time in
    Python: the reference the vectorised builder must reproduce entry for entry."""
    import numpy as np
    import scipy.sparse as sp

    n, m = election.n_voters, len(election.projects)
    kinds: dict[bytes, list[int]] = {}
    cols = np.ascontiguousarray(member.T)
    for i in range(n):
        kinds.setdefault(cols[i].tobytes(), []).append(i)
    types = list(kinds.values())
    var_of = [(t, j) for t, v in enumerate(types) for j in np.flatnonzero(cols[v[0]] & in_w)]
    nv = 1 + len(var_of)
    mult = np.array([len(v) for v in types], dtype=np.float64)
    rows_ub: list[tuple[int, int, float]] = []
    b_ub: list[float] = []
    by_type: dict[int, list[int]] = {}
    for k, (t, _) in enumerate(var_of):
        by_type.setdefault(t, []).append(k + 1)
    for t in range(len(types)):
        rows_ub += [(t, 0, -1.0)] + [(t, k, 1.0) for k in by_type.get(t, [])]
        b_ub.append(0.0)
    r = len(types)
    for j in range(m):
        ts = [t for t, v in enumerate(types) if cols[v[0]][j]]
        if in_w[j] or not ts:
            continue
        rows_ub.append((r, 0, float(mult[ts].sum())))
        rows_ub += [(r, k, -float(mult[t])) for t in ts for k in by_type.get(t, [])]
        b_ub.append(float(election.costs[j]))
        r += 1
    rows_ub.append((r, 0, -float(n)))
    b_ub.append(-float(budget))
    payable = sorted({int(j) for _, j in var_of})
    eq_of = {j: e for e, j in enumerate(payable)}
    rows_eq = [(eq_of[int(j)], k + 1, float(mult[t])) for k, (t, j) in enumerate(var_of)]

    def matrix(rows: list[tuple[int, int, float]], height: int) -> Any:
        if not rows:
            return sp.csr_array((height, nv))
        rr, cc, vv = zip(*rows, strict=True)
        return sp.csr_array((vv, (rr, cc)), shape=(height, nv))

    b_eq = [float(election.costs[j]) for j in payable]
    return matrix(rows_ub, r + 1), np.asarray(b_ub), matrix(rows_eq, len(payable)), b_eq


@settings(max_examples=25, deadline=None)
@given(
    election=approval_elections(max_projects=6, max_voters=8),
    chosen=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_vectorised_priceability_lp_equals_the_row_by_row_one(
    election: Election, chosen: list[bool]
) -> None:
    import numpy as np

    from vchuang.selection import _audit

    _, _, member = _audit._approval_sets(election)
    in_w = np.array(chosen[: len(election.projects)], dtype=bool)
    budget = int(election.budget)
    lp = _audit._priceability_lp(election, member, in_w, budget)
    cost = np.asarray(election.costs)
    if np.any(in_w & ~member.any(axis=1) & (cost > 0)):
        assert lp is None
        assert _audit._priceable(election, member, in_w, budget) == (False, None)
        return
    assert lp is not None
    a_ub, b_ub, a_eq, b_eq = _loop_priceability_lp(election, member, in_w, budget)
    assert lp.a_ub.shape == a_ub.shape and (lp.a_ub != a_ub).nnz == 0
    assert lp.a_eq.shape == a_eq.shape and (lp.a_eq != a_eq).nnz == 0
    assert lp.b_ub.tolist() == b_ub.tolist() and lp.b_eq.tolist() == b_eq
    ok, system = _audit._priceable_by_lp(election, member, in_w, budget)
    # the answer of the reference programme, solved the same way
    from scipy.optimize import linprog

    scale = max(1.0, float(budget))
    res = linprog(
        np.zeros(a_ub.shape[1]),
        A_ub=a_ub,
        b_ub=b_ub / scale,
        A_eq=a_eq if a_eq.shape[0] else None,
        b_eq=np.asarray(b_eq) / scale if a_eq.shape[0] else None,
        bounds=(0, None),
        method="highs",
    )
    assert ok == (res.status == 0)
    assert (system is not None) == ok


def _evidence_holds(
    system: Any, election: Election, selected: tuple[str, ...], budget: int
) -> None:
    """Every condition of priceability, checked on a price system directly."""
    tol = 1e-6 * max(1, budget)
    assert system.voter_budget * election.n_voters >= budget - tol
    paid_for = dict.fromkeys(election.projects, 0.0)
    for ballot in election.ballots:
        pays = system.payments.get(ballot.voter, {})
        assert set(pays) <= set(ballot.items) & set(selected)
        assert all(x > 0 for x in pays.values())
        assert sum(pays.values()) <= system.voter_budget + tol
        for p, x in pays.items():
            paid_for[p] += x
    for p in election.projects:
        if p in selected:
            assert paid_for[p] == pytest.approx(election.cost(p), abs=tol)
        else:
            held = sum(
                system.voter_budget - system.paid(b.voter) for b in election.ballots if p in b.items
            )
            assert held <= election.cost(p) + tol


@settings(max_examples=40, deadline=None)
@given(
    election=approval_elections(max_projects=6, max_voters=8),
    chosen=st.lists(st.booleans(), min_size=6, max_size=6),
)
def test_equal_shares_price_system_is_evidence_the_lp_agrees_with(
    election: Election, chosen: list[bool]
) -> None:
    # the quick path (equal shares run on the outcome's own projects) may only ever say
    # "priceable" with evidence that holds, and never where the programme says no
    import numpy as np

    from vchuang.selection import _audit

    _, _, member = _audit._approval_sets(election)
    in_w = np.array(chosen[: len(election.projects)], dtype=bool)
    budget = int(election.budget)
    system = _audit._shares_price_system(election, member, in_w, budget)
    if system is None:
        return
    selected = tuple(p for p, w in zip(election.projects, in_w.tolist(), strict=False) if w)
    _evidence_holds(system, election, selected, budget)
    assert _audit._priceable_by_lp(election, member, in_w, budget)[0]


@settings(max_examples=40, deadline=None)
@given(election=approval_elections(max_projects=6, max_voters=8))
def test_equal_shares_outcomes_are_priced_by_their_own_payments(election: Election) -> None:
    # an outcome of equal shares (no completion) needs no linear programme: restricted
    # to its own projects the rule makes the same purchases, and its payments price it
    import numpy as np

    from vchuang.selection import _audit

    result = select(election, rule="equal_shares", completion=None)
    if any(
        c == 0 and p not in result.selected
        for p, c in zip(election.projects, election.costs, strict=True)
    ):
        return  # a free project left out is held more than it costs: the programme decides
    _, _, member = _audit._approval_sets(election)
    in_w = np.zeros(len(election.projects), dtype=bool)
    in_w[[election.position(p) for p in result.selected]] = True
    system = _audit._shares_price_system(election, member, in_w, result.budget)
    assert system is not None
    assert system.voter_budget == pytest.approx(result.budget / election.n_voters)
    _evidence_holds(system, election, result.selected, result.budget)
    assert audit(result).price_system == system


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_real_equal_shares_outcomes_are_priced_without_the_lp(path: Path) -> None:
    import numpy as np

    from vchuang.selection import _audit

    election = Election.from_pabulib(pabulib.load(path))
    if election.vote_type != "approval":
        return
    result = select(election, rule="equal_shares", completion=None)
    _, _, member = _audit._approval_sets(election)
    in_w = np.zeros(len(election.projects), dtype=bool)
    in_w[[election.position(p) for p in result.selected]] = True
    system = _audit._shares_price_system(election, member, in_w, result.budget)
    assert system is not None
    _evidence_holds(system, election, result.selected, result.budget)
