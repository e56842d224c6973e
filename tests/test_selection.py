"""Golden-idea selection: eligibility, scoring, the rules, ties, reasons and the graph.

The laws: no rule spends more than the budget; the knapsack is optimal (brute force on
small instances, ties included); equal shares and the greedy rules agree with pabutools
on random elections (written as ``.pb`` files by our writer) and on real Pabulib
elections; monotonicity where the rule has it; ties broken by ID whatever the input
order or hash seed; every proposal gets a reason; applying a selection is all or nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import math
import os
import subprocess
import sys
from contextlib import nullcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import chinese_figures
from vchuang import CommunityGraph
from vchuang.datasets import longgang_pilot
from vchuang.errors import IntegrityError, ValidationError
from vchuang.io import pabulib
from vchuang.kernel import format_fen
from vchuang.model import (
    Call,
    Community,
    District,
    Proposal,
    Relation,
    Resident,
    Segment,
    Stage,
    Subdistrict,
)
from vchuang.selection import (
    COMPLETIONS,
    DEFAULT_RUBRIC,
    RULES,
    Ballot,
    Criterion,
    Election,
    EligibilityRule,
    JudgeScore,
    Quota,
    Rubric,
    Votes,
    apply_selection,
    check_eligibility,
    compare,
    compare_rules,
    format_money,
    score,
    select,
)

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "pabulib"
FILES = sorted(DATA.glob("*.pb"))

# ------------------------------------------------------------------ strategies

LETTERS = "abcdefghjkmnpqrstuvwxyz"


@st.composite
def elections(
    draw: st.DrawFn,
    *,
    max_projects: int = 7,
    max_voters: int = 10,
    kinds: tuple[str, ...] = ("approval", "cumulative"),
    min_voters: int = 0,
    empty_ballots: bool = True,
) -> Election:
    """Small elections with many ties: few distinct costs, scores and ballots."""
    ids = draw(
        st.lists(
            st.text(alphabet=LETTERS, min_size=1, max_size=2),
            min_size=1,
            max_size=max_projects,
            unique=True,
        )
    )
    m = len(ids)
    costs = draw(st.lists(st.sampled_from([0, 1, 2, 3, 5, 6, 10, 12, 20]), min_size=m, max_size=m))
    budget = draw(st.integers(0, 40))
    kind = draw(st.sampled_from(kinds))
    n = draw(st.integers(min_voters, max_voters))
    patterns = draw(
        st.lists(st.lists(st.sampled_from(ids), unique=True, max_size=m), min_size=1, max_size=4)
    )
    ballots = []
    for i in range(n):
        items = draw(st.sampled_from(patterns))
        if not empty_ballots and not items:
            items = [ids[0]]
        points = [draw(st.integers(1, 4)) for _ in items] if kind == "cumulative" else []
        ballots.append(Ballot(voter=f"v{i}", items=items, points=points))
    scores = dict(
        zip(
            ids,
            draw(
                st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.0, 3.5]), min_size=m, max_size=m)
            ),
            strict=True,
        )
    )
    themes = {
        p: {"theme": tuple(draw(st.lists(st.sampled_from("xyz"), unique=True, max_size=2)))}
        for p in ids
    }
    return Election(
        projects=ids,
        costs=costs,
        budget=budget,
        ballots=ballots,
        vote_type=kind,
        scores=scores,
        groups=themes,
        unit="PLN",
    )


def _incompatible(ids: list[str]) -> st.SearchStrategy[list[list[str]]]:
    if len(ids) < 2:
        return st.just([])
    return st.lists(
        st.lists(st.sampled_from(ids), min_size=2, max_size=min(3, len(ids)), unique=True),
        max_size=2,
    )


def _sat(election: Election, utility: str) -> Any:
    sats = pytest.importorskip("pabutools.election")
    if election.vote_type != "approval":
        return sats.Additive_Cardinal_Sat
    return sats.Cost_Sat if utility == "cost" else sats.Cardinality_Sat


def _pabutools_outcome(
    path: Path,
    election: Election,
    *,
    rule: str,
    utility: str = "cost",
    completion: str | None = None,
    increment: int = 1,
) -> list[str]:
    """Run pabutools on a .pb file: the same rule, parameters and tie-breaking."""
    pe = pytest.importorskip("pabutools.election")
    rules = pytest.importorskip("pabutools.rules")
    instance, profile = pe.parse_pabulib(str(path))
    sat = _sat(election, utility)
    if rule == "approval_greedy":
        out = rules.greedy_utilitarian_welfare(instance, profile, sat_class=pe.Cost_Sat)
    elif rule == "phragmen":
        out = rules.sequential_phragmen(instance, profile)
    elif completion == "budget_increase":
        out = rules.exhaustion_by_budget_increase(
            instance, profile, rules.method_of_equal_shares, {"sat_class": sat}
        )
    elif rule == "greedy_density":  # votes per unit of money: approvals or points / cost
        density = _sat(election, "approval")
        out = rules.greedy_utilitarian_welfare(instance, profile, sat_class=density)
    elif completion is None:
        out = rules.method_of_equal_shares(instance, profile, sat_class=sat)
    else:
        mes: dict[str, Any] = {"sat_class": sat}
        if completion == "add1":
            mes["voter_budget_increment"] = increment
        out = rules.completion_by_rule_combination(
            instance,
            profile,
            [rules.method_of_equal_shares, rules.greedy_utilitarian_welfare],
            [mes, {"sat_class": sat}],
        )
    return sorted(p.name for p in out)


def _write(election: Election, tmp: Path) -> Path:
    path = tmp / "election.pb"
    pabulib.save(election.to_pabulib(), path)
    return path


# ------------------------------------------------------------------ budget, constraints


@settings(max_examples=60, deadline=None)
@given(elections(), st.sampled_from(RULES), st.data())
def test_no_rule_exceeds_the_budget_or_breaks_a_constraint(
    election: Election,
    rule: str,
    data: st.DataObject,
) -> None:
    ids = list(election.projects)
    incompatible = data.draw(_incompatible(ids))
    quotas = [
        Quota(key="theme", value=t, max_count=data.draw(st.integers(0, 2)))
        for t in data.draw(st.lists(st.sampled_from("xyz"), unique=True, max_size=2))
    ]
    if rule not in ("equal_shares", "phragmen") and data.draw(st.booleans()):
        quotas.append(Quota(key="theme", value="x", min_count=1))
    if rule in ("equal_shares", "approval_greedy", "phragmen") and not election.ballots:
        with pytest.raises(ValidationError):
            select(election, rule=rule)
        return
    if rule == "phragmen" and election.vote_type != "approval":
        with pytest.raises(ValidationError, match="approval ballots"):
            select(election, rule=rule)
        return
    options: dict[str, Any] = {
        "k": data.draw(st.integers(0, 4)),
        "key": data.draw(st.sampled_from(["score", "density"])),
        "completion": data.draw(st.sampled_from(COMPLETIONS)),
        "incompatible": incompatible,
        "quotas": quotas,
        "min_votes": data.draw(st.integers(0, 2)),
    }
    if (
        rule == "knapsack"
        and _brute_force(
            election, election.budget, incompatible, quotas, min_votes=options["min_votes"]
        )
        is None
    ):
        with pytest.raises(ValidationError, match="quota"):  # no set meets every minimum
            select(election, rule=rule, **options)
        return
    r = select(election, rule=rule, **options)
    cost = dict(zip(election.projects, election.costs, strict=True))
    assert r.spent == sum(cost[p] for p in r.selected) <= election.budget
    assert len(set(r.selected)) == len(r.selected)
    for group in incompatible:
        assert len(set(group) & set(r.selected)) <= 1
    for q in quotas:
        if q.max_count is not None:
            assert (
                sum(1 for p in r.selected if q.value in election.group(p, "theme")) <= q.max_count
            )
    assert [d.proposal for d in r.decisions] == ids
    assert all(d.reason for d in r.decisions)
    assert [
        d.proposal
        for d in sorted((d for d in r.decisions if d.selected), key=lambda d: d.order or 0)
    ] == list(r.selected)


# ------------------------------------------------------------------ knapsack


def _brute_force(
    election: Election,
    budget: int,
    incompatible: list[list[str]],
    quotas: list[Quota],
    min_votes: int = 0,
) -> tuple[str, ...] | None:
    """Max total score, then min cost, then the set holding the lowest differing ID."""
    support = election.support()
    ids = sorted(p for p in election.projects if support[p] >= min_votes)
    scores = election.scores or {}
    best: tuple[Any, ...] | None = None
    found = None
    for mask in itertools.product([False, True], repeat=len(ids)):
        chosen = [p for p, x in zip(ids, mask, strict=True) if x]
        cost = sum(election.cost(p) for p in chosen)
        if cost > budget or any(len(set(g) & set(chosen)) > 1 for g in incompatible):
            continue
        counts = [sum(1 for p in chosen if q.value in election.group(p, q.key)) for q in quotas]
        if any(
            c < q.min_count or (q.max_count is not None and c > q.max_count)
            for c, q in zip(counts, quotas, strict=True)
        ):
            continue
        key = (sum(Fraction(scores[p]) for p in chosen), -cost, mask)
        if best is None or key > best:
            best, found = key, tuple(chosen)
    return found


@settings(max_examples=80, deadline=None)
@given(elections(max_projects=8), st.data())
def test_knapsack_is_optimal_against_brute_force(election: Election, data: st.DataObject) -> None:
    ids = list(election.projects)
    incompatible = data.draw(_incompatible(ids))
    quotas = [
        Quota(
            key="theme",
            value=t,
            min_count=data.draw(st.integers(0, 1)),
            max_count=data.draw(st.sampled_from([None, 1, 2])),
        )
        for t in data.draw(st.lists(st.sampled_from("xy"), unique=True, max_size=2))
    ]
    expected = _brute_force(election, election.budget, incompatible, quotas)
    if expected is None:
        with pytest.raises(ValidationError, match="quota"):
            select(election, rule="knapsack", incompatible=incompatible, quotas=quotas)
        return
    r = select(election, rule="knapsack", incompatible=incompatible, quotas=quotas)
    assert sorted(r.selected) == sorted(expected)


def test_knapsack_beats_greedy_and_explains_why() -> None:
    e = Election(
        projects=["a", "b", "c"],
        costs=[60, 50, 50],
        budget=100,
        scores={"a": 0.9, "b": 0.8, "c": 0.7},
        unit="yuan",
    )
    assert select(e, rule="greedy").selected == ("a",)
    r = select(e, rule="knapsack")
    assert sorted(r.selected) == ["b", "c"]
    assert "the best set that includes it totals score 0.9, less than the optimum 1.5" in r.explain(
        "a"
    )


def test_knapsack_tie_goes_to_the_cheaper_set_then_the_lower_id() -> None:
    e = Election(
        projects=["b", "a", "c"],
        costs=[5, 5, 4],
        budget=5,
        scores={"a": 1.0, "b": 1.0, "c": 1.0},
        unit="yuan",
    )
    r = select(e, rule="knapsack")
    assert r.selected == ("c",)
    assert "ties go to the cheaper set" in r.explain("a")
    e2 = attrs_evolve(e, costs=[5, 5, 5])
    r2 = select(e2, rule="knapsack")
    assert r2.selected == ("a",)
    assert "lower-ID" in r2.explain("b")
    assert r2.ties and r2.ties[0].winners == ("a",)


def attrs_evolve(election: Election, **changes: Any) -> Election:
    import attrs

    return attrs.evolve(election, **changes)


# ------------------------------------------------------------------ pabutools agreement


@settings(max_examples=50, deadline=None)
@given(election=elections(min_voters=1, empty_ballots=False), data=st.data())
def test_equal_shares_equals_pabutools_on_files_we_write(
    election: Election,
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    pytest.importorskip("pabutools")
    utility = (
        "points"
        if election.vote_type == "cumulative"
        else data.draw(st.sampled_from(["cost", "approval"]))
    )
    completion = data.draw(st.sampled_from([None, "greedy", "add1", "budget_increase"]))
    path = _write(election, tmp_path_factory.mktemp("pb"))
    ours = select(
        Election.from_pabulib(pabulib.load(path)),
        rule="equal_shares",
        utility=utility,
        completion=completion,
        increment=None if completion == "budget_increase" else 1,
    )
    theirs = _pabutools_outcome(
        path, election, rule="equal_shares", utility=utility, completion=completion, increment=1
    )
    assert sorted(ours.selected) == theirs


@settings(max_examples=50, deadline=None)
@given(
    election=elections(min_voters=1, empty_ballots=False),
    rule=st.sampled_from(["approval_greedy", "greedy_density", "phragmen"]),
)
def test_greedy_rules_and_phragmen_equal_pabutools_on_files_we_write(
    election: Election,
    rule: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    pytest.importorskip("pabutools")
    assume(rule == "greedy_density" or election.vote_type == "approval")
    path = _write(election, tmp_path_factory.mktemp("pb"))
    read = Election.from_pabulib(pabulib.load(path))
    if rule == "phragmen":
        ours = select(read, rule="phragmen")
    elif rule == "approval_greedy":
        ours = select(read, rule="approval_greedy")
    else:  # score = votes (no panel), ranked by votes per unit of money
        ours = select(read, rule="greedy", key="density")
    assert sorted(ours.selected) == _pabutools_outcome(path, election, rule=rule)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_rules_equal_pabutools_on_real_elections(path: Path) -> None:
    pytest.importorskip("pabutools")
    election = Election.from_pabulib(pabulib.load(path))
    utility = "cost" if election.vote_type == "approval" else "points"
    step = math.ceil(election.budget / election.n_voters / 100)
    for completion in (None, "greedy", "add1"):
        ours = select(
            election, rule="equal_shares", utility=utility, completion=completion, increment=step
        )
        assert sorted(ours.selected) == _pabutools_outcome(
            path,
            election,
            rule="equal_shares",
            utility=utility,
            completion=completion,
            increment=step,
        ), completion
        assert ours.spent <= election.budget
    assert sorted(select(election, rule="greedy", key="density").selected) == _pabutools_outcome(
        path, election, rule="greedy_density"
    )
    if election.vote_type == "approval":
        assert sorted(select(election, rule="approval_greedy").selected) == _pabutools_outcome(
            path, election, rule="approval_greedy"
        )
        assert sorted(select(election, rule="phragmen").selected) == _pabutools_outcome(
            path, election, rule="phragmen"
        )
    ours = select(election, rule="equal_shares", utility=utility, completion="budget_increase")
    assert sorted(ours.selected) == _pabutools_outcome(
        path, election, rule="equal_shares", utility=utility, completion="budget_increase"
    )


def test_real_election_outcomes_are_pinned() -> None:
    # Warszawa 2019, Las: all 13 projects fit the budget and were funded (the file's
    # `selected` column); approval greedy agrees.
    pb = pabulib.load(DATA / "poland_warszawa_2019_las.pb")
    funded = sorted(p.project_id for p in pb.projects if p.get("selected") == "1")
    assert sorted(select(Election.from_pabulib(pb), rule="approval_greedy").selected) == funded
    # Warszawa 2018, Niskie Okęcie: projects 308 and 615 both got 88 votes. By ID, 308
    # wins the tie, and then 615 no longer fits; the city funded 615. Our rule reports
    # the tie, and reproduces the city's outcome once 308 is out of the running.
    pb = pabulib.load(DATA / "poland_warszawa_2018_niskie-okecie.pb")
    funded = sorted(p.project_id for p in pb.projects if p.get("selected") == "1")
    election = Election.from_pabulib(pb)
    r = select(election, rule="approval_greedy")
    assert "308" in r.selected and "615" not in r.selected
    assert r.ties[0].proposals == ("308", "615") and r.ties[0].value == "votes 88"
    assert r.explain("615").startswith("lost the tie to '308' (equal votes 88")
    without = select(
        election, rule="approval_greedy", budget=election.budget, incompatible=[["308", "303"]]
    )  # 303 is taken first: 308 is ruled out
    assert sorted(without.selected) == funded


# ------------------------------------------------------------------ monotonicity


@settings(max_examples=60, deadline=None)
@given(elections(), st.integers(0, 30))
def test_knapsack_optimum_never_falls_with_more_budget(election: Election, extra: int) -> None:
    scores = election.scores or {}
    low = select(election, rule="knapsack")
    high = select(election, rule="knapsack", budget=election.budget + extra)
    assert sum(Fraction(scores[p]) for p in high.selected) >= sum(
        Fraction(scores[p]) for p in low.selected
    )


@settings(max_examples=60, deadline=None)
@given(elections(), st.integers(0, 30), st.sampled_from(["greedy", "approval_greedy"]))
def test_greedy_keeps_its_unbroken_prefix_with_more_budget(
    election: Election,
    extra: int,
    rule: str,
) -> None:
    # Greedy with skipping is not budget-monotone as a set (a bigger budget can let an
    # expensive proposal in that crowds out cheaper ones), but the run of top-ranked
    # proposals it takes before its first skip only grows.
    assume(rule == "greedy" or election.ballots)

    def prefix(budget: int) -> list[str]:
        r = select(election, rule=rule, budget=budget)
        out = []
        ranked = sorted(r.decisions, key=lambda d: (-(d.score or 0.0), d.proposal))
        for d in ranked:
            if not d.selected:
                break
            out.append(d.proposal)
        return out

    small, big = prefix(election.budget), prefix(election.budget + extra)
    assert big[: len(small)] == small


@settings(max_examples=40, deadline=None)
@given(elections(), st.integers(0, 5))
def test_top_k_grows_with_k(election: Election, k: int) -> None:
    a = select(election, rule="top_k", k=k, budget=10**6)
    b = select(election, rule="top_k", k=k + 1, budget=10**6)
    assert set(a.selected) <= set(b.selected)
    assert len(a.selected) == min(k, len(election.projects))


@settings(max_examples=60, deadline=None)
@given(elections(kinds=("approval",), min_voters=1), st.data())
def test_approval_greedy_is_support_monotone(election: Election, data: st.DataObject) -> None:
    r = select(election, rule="approval_greedy")
    assume(r.selected)
    winner = data.draw(st.sampled_from(r.selected))
    ballots = list(election.ballots)
    others = [i for i, b in enumerate(ballots) if winner not in b.items]
    assume(others)
    i = data.draw(st.sampled_from(others))
    ballots[i] = Ballot(voter=ballots[i].voter, items=[*ballots[i].items, winner])
    assert (
        winner in select(attrs_evolve(election, ballots=ballots), rule="approval_greedy").selected
    )


@settings(max_examples=60, deadline=None)
@given(elections(), st.data())
def test_knapsack_keeps_a_winner_whose_score_rises(election: Election, data: st.DataObject) -> None:
    r = select(election, rule="knapsack")
    assume(r.selected)
    winner = data.draw(st.sampled_from(r.selected))
    scores = dict(election.scores or {})
    scores[winner] += data.draw(st.sampled_from([0.25, 1.0]))
    assert winner in select(election, rule="knapsack", scores=scores).selected


# ------------------------------------------------------------------ ties


def _twins() -> Election:
    # b and a are identical (cost, score, supporters); the budget fits only one of them
    return Election(
        projects=["c", "b", "a"],
        costs=[40, 30, 30],
        budget=50,
        unit="yuan",
        scores={"a": 0.5, "b": 0.5, "c": 0.1},
        ballots=[Ballot(voter=f"c{i}", items=["c"]) for i in range(2)]
        + [Ballot(voter=f"ab{i}", items=["a", "b"]) for i in range(3)],
    )


@pytest.mark.parametrize("rule", ["greedy", "top_k", "knapsack", "approval_greedy", "equal_shares"])
def test_ties_go_to_the_lower_id_and_are_reported(rule: str) -> None:
    r = select(_twins(), rule=rule, k=1, completion=None)
    assert "a" in r.selected
    assert "b" not in r.selected
    assert r.ties, r
    assert "a" in r.ties[0].winners and "b" in r.ties[0].proposals
    assert "tie" in r.explain("b")
    reordered = attrs_evolve(_twins(), projects=["a", "c", "b"], costs=[30, 40, 30])
    assert sorted(select(reordered, rule=rule, k=1, completion=None).selected) == sorted(r.selected)


def test_a_tie_that_decides_nothing_is_not_reported() -> None:
    e = Election(projects=["a", "b"], costs=[10, 10], budget=100, scores={"a": 1, "b": 1})
    r = select(e, rule="greedy")
    assert r.selected == ("a", "b")
    assert r.ties == ()


_SCRIPT = """
from vchuang.datasets import longgang_pilot
from vchuang.selection import Ballot, Votes, compare_rules
g = longgang_pilot()
call = g.calls("heao")[0].id
props = [p.id for p in g.proposals(call)]
people = [r.id for r in g.residents("heao")]
votes = Votes(ballots=[Ballot(voter=r, items=props[i % 3::3]) for i, r in enumerate(people)])
c = compare_rules(g, 4, call=call, votes=votes)
for res in c.results.values():
    print(res)
    print(res.ties)
"""


def test_outcomes_do_not_depend_on_the_hash_seed() -> None:
    outs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, check=True
        )
        outs.append(done.stdout)
    assert outs[0] == outs[1]
    assert "lost the tie" in outs[0]


# ------------------------------------------------------------------ reasons


def test_greedy_reasons() -> None:
    e = Election(
        projects=["a", "b", "c", "d"],
        costs=[60, 50, 40, 500],
        budget=100,
        scores={"a": 0.9, "b": 0.8, "c": 0.5, "d": 1.0},
        unit="yuan",
    )
    r = select(e, rule="greedy")
    assert r.selected == ("a", "c")
    assert r.explain("d") == "costs 500 yuan, more than the whole budget 100 yuan"
    assert r.explain("b") == "ran out of budget: costs 50 yuan, but only 40 yuan remained after 'a'"
    assert r.explain("a").startswith("selected: rank 2, score 0.9; 40 yuan left")
    top = select(e, rule="top_k", k=1)
    assert top.selected == ("a",)
    assert top.explain("c") == "not in the top 1: rank 4, score 0.5"
    dens = select(e, rule="greedy", key="density")
    assert dens.selected == ("b", "c")
    assert "score per yuan" in dens.explain("b")


def test_constraint_and_threshold_reasons() -> None:
    e = Election(
        projects=["a", "b", "c", "d"],
        costs=[10, 10, 10, 10],
        budget=100,
        scores={"a": 4, "b": 3, "c": 2, "d": 1},
        ballots=[Ballot(voter="1", items=["a", "b", "c"]), Ballot(voter="2", items=["a"])],
        groups={"a": {"theme": ("x",)}, "b": {"theme": ("x",)}, "d": {"theme": ("y",)}},
    )
    r = select(
        e,
        rule="greedy",
        incompatible=[["a", "c"]],
        quotas=[Quota(key="theme", value="x", max_count=1)],
        min_votes=1,
    )
    assert r.selected == ("a",)
    assert r.explain("b") == "quota theme=x is full (at most 1)"
    assert r.explain("c").startswith("incompatible with 'a', selected earlier")
    assert r.explain("d") == "0 vote(s), fewer than the minimum 1"
    assert r.decision("d").phase == "threshold"
    q = select(e, rule="greedy", quotas=[Quota(key="theme", value="y", min_count=1)], budget=20)
    assert q.selected == ("d", "a")
    assert q.explain("d").startswith("selected to meet quota theme=y (at least 1)")


def test_equal_shares_reasons_and_rounds() -> None:
    e = Election(
        projects=["a", "b", "c"],
        costs=[60, 40, 40],
        budget=100,
        unit="yuan",
        ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
        + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)],
    )
    r = select(e, rule="equal_shares", completion=None)
    assert r.selected == ("a", "b")
    assert r.explain("a") == (
        "bought in round 1 of equal shares: 3 supporters shared its "
        "cost, each paid at most 20 yuan; 3 were left with nothing"
    )
    assert r.explain("c").startswith("lost the tie in round 2 to 'b'")
    assert [row["proposal"] for row in r.rounds] == ["a", "b"]
    assert r.rounds[1]["tied"] == ("b", "c")
    # the 3 voters behind a hold 60 of 100: MES buys a; the rest is not proportional
    # to cost-utility alone, so with approval utilities the picture is the same
    assert select(e, rule="equal_shares", utility="approval").selected[:2] == ("a", "b")


def test_equal_shares_add1_raises_the_share_and_says_so() -> None:
    # MES alone leaves money: 2 voters back x (cost 60), 2 back y (cost 60), budget 100.
    e = Election(
        projects=["x", "y"],
        costs=[60, 60],
        budget=100,
        unit="yuan",
        ballots=[
            Ballot(voter="1", items=["x"]),
            Ballot(voter="2", items=["x"]),
            Ballot(voter="3", items=["y"]),
            Ballot(voter="4", items=["y"]),
        ],
    )
    assert select(e, rule="equal_shares", completion=None).selected == ()
    r = select(e, rule="equal_shares", completion="add1", increment=1)
    # at a share of 30 both x and y become affordable: 120 > 100, so add1 stops at 29,
    # where MES still buys nothing; the greedy completion then takes x (tie, lower ID)
    assert r.options["per_voter_final"] == 29.0
    assert "raised from 25 yuan to 29 yuan in 4 step(s)" in r.note
    assert r.selected == ("x",)
    assert r.decision("x").phase == "completion"
    assert "lost the tie to 'x'" in r.explain("y")


def test_equal_shares_needs_ballots_and_refuses_minimum_quotas() -> None:
    e = Election(projects=["a"], costs=[1], budget=1, scores={"a": 1.0})
    with pytest.raises(ValidationError, match="needs residents' ballots"):
        select(e, rule="equal_shares")
    e = attrs_evolve(e, ballots=[Ballot(voter="1", items=["a"])])
    with pytest.raises(ValidationError, match="minimum quotas"):
        select(e, rule="equal_shares", quotas=[Quota(key="theme", value="x", min_count=1)])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"rule": "lottery"}, "unknown rule"),
        ({"rule": "top_k"}, "top_k needs k"),
        ({"rule": "greedy", "key": "cost"}, "unknown key"),
        ({"rule": "equal_shares", "completion": "magic"}, "unknown completion"),
        ({"rule": "equal_shares", "utility": "points"}, None),
        ({"rule": "greedy", "budget": -1}, "budget"),
        ({"rule": "greedy", "incompatible": [["a", "zz"]]}, "unknown proposal 'zz'"),
        ({"rule": "equal_shares", "increment": 0}, "increment"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, Any], match: str | None) -> None:
    e = Election(
        projects=["a", "b"],
        costs=[1, 2],
        budget=3,
        scores={"a": 1, "b": 2},
        ballots=[Ballot(voter="1", items=["a"])],
    )
    if match is None:  # points utility on approval ballots: 1 per approval, accepted
        assert select(e, **kwargs).selected
        return
    with pytest.raises(ValidationError, match=match):
        select(e, **kwargs)


def test_election_validation() -> None:
    with pytest.raises(ValidationError, match="given twice"):
        Election(projects=["a", "a"], costs=[1, 1], budget=1)
    with pytest.raises(ValidationError, match="whole number"):
        Election(projects=["a"], costs=[1.5], budget=1)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="not on the ballot"):
        Election(projects=["a"], costs=[1], budget=1, ballots=[Ballot(voter="1", items=["b"])])
    with pytest.raises(ValidationError, match="votes twice"):
        Election(
            projects=["a"],
            costs=[1],
            budget=1,
            ballots=[Ballot(voter="1", items=["a"]), Ballot(voter="1")],
        )
    with pytest.raises(ValidationError, match="one point value"):
        Election(
            projects=["a"],
            costs=[1],
            budget=1,
            vote_type="cumulative",
            ballots=[Ballot(voter="1", items=["a"])],
        )
    with pytest.raises(ValidationError, match="no score"):
        Election(projects=["a", "b"], costs=[1, 1], budget=1, scores={"a": 1.0})


def test_election_from_matrix_matches_ballots() -> None:
    import numpy as np

    matrix = np.array([[1, 0, 2], [0, 0, 1], [3, 1, 0]])
    e = Election.from_matrix(matrix, costs=[5, 6, 7], budget=10, vote_type="cumulative")
    assert e.support() == {"p0": 4, "p1": 1, "p2": 3}
    rebuilt = Election(
        projects=e.projects,
        costs=e.costs,
        budget=e.budget,
        ballots=e.ballots,
        vote_type="cumulative",
    )
    assert select(e, rule="equal_shares").selected == select(rebuilt, rule="equal_shares").selected


def test_ordinal_ballots_use_truncated_borda() -> None:
    e = Election(
        projects=["a", "b", "c"],
        costs=[1, 1, 1],
        budget=2,
        vote_type="ordinal",
        ballots=[Ballot(voter="1", items=["c", "a"]), Ballot(voter="2", items=["a"])],
    )
    assert e.support() == {"a": 2, "b": 0, "c": 2}
    assert select(e, rule="approval_greedy").selected == ("a", "c")


# ------------------------------------------------------------------ eligibility


def _graph() -> CommunityGraph:
    g = CommunityGraph()
    g.add(
        District(id="d", name="D"),
        Subdistrict(id="s", name="S", district="d"),
        Community(id="home", name="Home", subdistrict="s"),
        Community(id="away", name="Away", subdistrict="s"),
        Segment(id="home-elders", name="Elders", place="home"),
        Segment(id="away-kids", name="Kids", place="away"),
        Resident(id="r1", name="One", community="home"),
        Resident(id="r2", name="Two", community="home"),
        Resident(id="r3", name="Three", community="away"),
        Call(
            id="call",
            name="Call",
            place="home",
            opens=dt.date(2019, 7, 1),
            closes=dt.date(2019, 7, 31),
            budget_fen=100_000,
            themes=["anti_fraud", "elder_culture"],
        ),
    )
    good = {
        "call": "call",
        "proposers": ["r1"],
        "themes": ["anti_fraud"],
        "cost_fen": 50_000,
        "submitted": dt.date(2019, 7, 10),
        "target_segments": ["home-elders"],
    }
    specs = {
        "ok": {},
        "dear": {"cost_fen": 200_000},
        "outsider": {"proposers": ["r1", "r3"]},
        "far": {"target_segments": ["away-kids"]},
        "offtopic": {"themes": ["dog_ownership"]},
        "late": {"submitted": dt.date(2019, 8, 2)},
        "undated": {"submitted": None},
        "nobody": {"proposers": []},
    }
    for pid, change in specs.items():
        g.add(Proposal(id=pid, name=pid.title(), **{**good, **change}))
    return g


def test_eligibility_rules_and_reasons() -> None:
    e = check_eligibility(_graph(), "call")
    assert e.eligible() == ("ok",)
    failed = {c.proposal: [rule for rule, _ in c.failed] for c in e.checks}
    assert failed == {
        "ok": [],
        "dear": ["within_budget"],
        "outsider": ["proposers_local"],
        "far": ["targets_local"],
        "offtopic": ["themes_match"],
        "late": ["submitted_in_window"],
        "undated": ["submitted_in_window"],
        "nobody": ["min_proposers"],
    }
    assert e["dear"].reason == (
        "not eligible: costs ¥2,000.00, more than the call's whole budget ¥1,000.00"
    )
    assert "proposer r3 does not live in home" in e["outsider"].reason
    assert "after the call closed on 2019-07-31" in e["late"].reason
    assert e.to_rows()[1]["within_budget"] is False


def test_eligibility_is_configurable() -> None:
    rules = [
        EligibilityRule(kind="proposers_local", value=1),
        EligibilityRule(kind="submitted_in_window", value=1),
        EligibilityRule(kind="max_cost", value=60_000),
        EligibilityRule(
            kind="custom",
            name="two_proposers",
            check=lambda g, c, p: None if len(p.proposers) >= 2 else "needs two proposers",
        ),
    ]
    e = check_eligibility(_graph(), "call", rules=rules)
    assert e.eligible() == ("outsider",)
    assert e.ineligible()["undated"] == "not eligible: needs two proposers"
    with pytest.raises(ValidationError, match="unknown rule kind"):
        EligibilityRule(kind="lucky")
    with pytest.raises(ValidationError, match="custom rule needs"):
        EligibilityRule(kind="custom")


def test_ineligible_proposals_are_left_out_with_their_reason() -> None:
    g = _graph()
    e = check_eligibility(g, "call")
    votes = Votes(
        ballots=[Ballot(voter="r1", items=["ok", "dear"]), Ballot(voter="r2", items=["dear"])]
    )
    r = select(g, "call", rule="approval_greedy", votes=votes, eligibility=e)
    assert r.selected == ("ok",)
    assert r.decision("dear").phase == "ineligible"
    assert r.explain("dear").startswith("not eligible: costs ¥2,000.00")
    with pytest.raises(ValidationError, match="not a resident"):
        select(
            g,
            "call",
            rule="approval_greedy",
            votes=Votes(ballots=[Ballot(voter="call", items=["ok"])]),
        )


# ------------------------------------------------------------------ scoring


def _marks(table: dict[str, dict[str, float]], criterion: str = "q") -> list[JudgeScore]:
    return [
        JudgeScore(judge=j, proposal=p, criterion=criterion, score=x)
        for j, row in table.items()
        for p, x in row.items()
    ]


RUBRIC = Rubric(criteria=[Criterion(id="q", name="Quality")])


def test_zscores_remove_judge_leniency_and_spread() -> None:
    base = {"j1": {"a": 6, "b": 4, "c": 5}, "j2": {"a": 5, "b": 3, "c": 7}}
    shifted = {"j1": {"a": 9, "b": 7, "c": 8}, "j2": {"a": 5, "b": 1, "c": 9}}  # j1 +3, j2 x2
    s1 = score(proposals="abc", panel=_marks(base), rubric=RUBRIC)
    s2 = score(proposals="abc", panel=_marks(shifted), rubric=RUBRIC)
    assert s1.combined() == pytest.approx(s2.combined())
    raw = score(
        proposals="abc",
        panel=_marks(shifted),
        rubric=Rubric(criteria=RUBRIC.criteria, normalisation="raw"),
    )
    assert raw.combined() != pytest.approx(s1.combined())
    lenient = {b.judge: b.leniency for b in s2.judges}
    assert lenient["j1"] > 0 > lenient["j2"]


def test_additive_model_corrects_bias_in_an_incomplete_panel() -> None:
    quality = {"a": 0.2, "b": 0.5, "c": 0.8, "d": 0.3}
    bias = {"j1": 0.15, "j2": -0.1, "j3": 0.0}
    seen = {"j1": "ab", "j2": "bcd", "j3": "acd"}  # not everyone marks everything
    table = {j: {p: 10 * (quality[p] + bias[j]) for p in ps} for j, ps in seen.items()}
    s = score(
        proposals="abcd",
        panel=_marks(table),
        rubric=Rubric(criteria=RUBRIC.criteria, normalisation="additive"),
    )
    got = {p.proposal: p.criteria["q"] for p in s.proposals}
    diffs = {p: got[p] - quality[p] for p in quality}
    assert max(diffs.values()) - min(diffs.values()) == pytest.approx(0, abs=1e-9)
    assert [p.proposal for p in sorted(s.proposals, key=lambda p: p.rank)] == list("cbda")


def test_minmax_and_the_combined_formula() -> None:
    table = {"j1": {"a": 2, "b": 6, "c": 10}}
    votes = Votes(
        kind="approval",
        ballots=[Ballot(voter="1", items=["a"]), Ballot(voter="2", items=["a", "b"])],
    )
    s = score(
        proposals="abc",
        panel=_marks(table),
        votes=votes,
        panel_weight=0.5,
        rubric=Rubric(criteria=RUBRIC.criteria, normalisation="minmax"),
    )
    rows = {p.proposal: p for p in s.proposals}
    assert (rows["a"].panel_norm, rows["b"].panel_norm, rows["c"].panel_norm) == (0.0, 0.5, 1.0)
    assert (rows["a"].votes_norm, rows["b"].votes_norm, rows["c"].votes_norm) == (1.0, 0.5, 0.0)
    assert [rows[p].combined for p in "abc"] == [0.5, 0.5, 0.5]  # exact: no rescaling
    assert [rows[p].rank for p in "abc"] == [1, 2, 3]  # equal scores: by ID
    assert "0.5 × panel" in s.formula
    only_votes = score(proposals="abc", votes=votes)
    assert only_votes.combined() == {"a": 1.0, "b": 0.5, "c": 0.0}


def test_weighted_criteria() -> None:
    rubric = Rubric(
        criteria=[
            Criterion(id="fit", name="Fit", weight=3),
            Criterion(id="cost", name="Cost", weight=1),
        ],
        normalisation="raw",
    )
    marks = [*_marks({"j": {"a": 10, "b": 0}}, "fit"), *_marks({"j": {"a": 0, "b": 10}}, "cost")]
    s = score(proposals="ab", panel=marks, rubric=rubric)
    assert s["a"].panel == pytest.approx(0.75)
    assert s["b"].panel == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("marks", "match"),
    [
        ([JudgeScore(judge="j", proposal="a", criterion="q", score=11)], "outside"),
        ([JudgeScore(judge="j", proposal="a", criterion="zz", score=1)], "unknown criterion"),
        ([JudgeScore(judge="j", proposal="x", criterion="q", score=1)], "not being scored"),
        ([JudgeScore(judge="j", proposal="a", criterion="q", score=1)] * 2, "twice"),
        ([JudgeScore(judge="j", proposal="a", criterion="q", score=1)], "no judge marked it"),
    ],
)
def test_bad_marks_are_refused(marks: list[JudgeScore], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        score(proposals="ab", panel=marks, rubric=RUBRIC)


def test_votes_validation() -> None:
    with pytest.raises(ValidationError, match="more than the 3 allowed"):
        Votes(
            kind="cumulative",
            max_points=3,
            ballots=[Ballot(voter="1", items=["a", "b"], points=[2, 2])],
        )
    with pytest.raises(ValidationError, match="carry no points"):
        Votes(kind="approval", ballots=[Ballot(voter="1", items=["a"], points=[1])])
    with pytest.raises(ValidationError):
        Rubric(criteria=[Criterion(id="a", name="A", weight=0)])
    with pytest.raises(ValidationError, match="unknown"):
        Rubric(criteria=DEFAULT_RUBRIC.criteria, normalisation="median")


# ------------------------------------------------------------------ the graph


def _heao() -> tuple[CommunityGraph, str, list[str]]:
    g = longgang_pilot()
    call = g.calls("heao")[0].id
    return g, call, [p.id for p in g.proposals(call)]


def test_selected_ideas_become_projects_led_by_their_proposers() -> None:
    g, call, props = _heao()
    kids_idea = next(p for p in g.proposals(call) if len(p.proposers) == 3)
    g.update(kids_idea.id, project=None)  # as if the meeting had not happened yet
    before = g.copy()
    r = select(g, call, rule="greedy", scores=dict.fromkeys(props, 1.0), budget=10**9)
    done = apply_selection(g, r, as_of=dt.date(2019, 8, 10))
    new = done.projects[kids_idea.id]
    project = g[new]
    assert project.stage is Stage.SELECTED
    assert project.budget_fen == kids_idea.cost_fen
    assert g.get(kids_idea.id, Proposal).project == new
    leads = [x.source for x in g.links(relation=Relation.LEADS, target=new)]
    co = [x.source for x in g.links(relation=Relation.CO_LEADS, target=new)]
    assert leads == [kids_idea.proposers[0]]
    assert co == list(kids_idea.proposers[1:])
    assert all(g.get(rid, Resident).minor_on(dt.date(2019, 8, 10)) for rid in kids_idea.proposers)
    assert g.links(relation=Relation.LEADS, target=new)[0].since == dt.date(2019, 8, 10)
    assert len(done.skipped) == 3  # the pilot's other projects already exist
    assert all(not p.id.startswith(tuple(done.projects)) for p in before.projects())
    for row in done.to_rows():  # IDs only: no names, a child's least of all
        assert all(g[x].name not in str(row) for x in kids_idea.proposers)


def test_apply_selection_is_all_or_nothing() -> None:
    g, call, props = _heao()
    fresh = [p for p in props if g.get(p, Proposal).project is None]
    r = select(g, call, rule="greedy", scores=dict.fromkeys(props, 1.0), budget=10**9)
    clash = {fresh[-1]: "ha-p1"}  # an existing project's ID
    before = g.copy()
    with pytest.raises(IntegrityError, match="already in the graph"):
        apply_selection(g, r, project_ids=clash)
    assert g == before
    with pytest.raises(ValidationError, match="already became project"):
        apply_selection(g, r, existing="error")
    assert g == before
    other = select(Election(projects=["a"], costs=[1], budget=1, scores={"a": 1.0}), rule="greedy")
    with pytest.raises(ValidationError, match="not run on a call"):
        apply_selection(g, other)


def test_the_heao_meeting_end_to_end() -> None:
    g, call, props = _heao()
    eligibility = check_eligibility(g, call)
    people = [r.id for r in g.residents("heao")]
    votes = Votes(ballots=[Ballot(voter=r, items=props[i % 4 :: 4]) for i, r in enumerate(people)])
    panel = [
        JudgeScore(judge=f"j{j}", proposal=p, criterion=c.id, score=(j + i + k) % 11)
        for j in range(3)
        for i, p in enumerate(props)
        for k, c in enumerate(DEFAULT_RUBRIC.criteria)
    ]
    scores = score(g, call, proposals=eligibility.eligible(), panel=panel, votes=votes)
    comparison = compare_rules(g, 4, call=call, scores=scores, votes=votes, eligibility=eligibility)
    assert set(comparison.results) == set(RULES)
    budget = g.get(call, Call).budget_fen
    for res in comparison.results.values():
        assert res.spent <= budget
        assert res.call == call
    assert len(comparison.to_rows()) == len(props)
    assert all(0 <= row["voters_represented"] <= 1 for row in comparison.summary)


# ------------------------------------------------------------------ plots and benchmark


def test_plots_draw() -> None:
    g, call, props = _heao()
    votes = Votes(ballots=[Ballot(voter=r.id, items=props[:3]) for r in g.residents("heao")])
    s = score(g, call, votes=votes)
    r = select(g, call, rule="equal_shares", votes=votes)
    c = compare_rules(g, 3, call=call, votes=votes)
    e = check_eligibility(g, call)
    for lang in ("en", "zh"):
        names = {p.id: p.name_zh for p in g.proposals(call)} if lang == "zh" else None
        with chinese_figures() if lang == "zh" else nullcontext():
            axes = [
                r.plot(lang=lang, names=names),
                s.plot(lang=lang, names=names),
                c.plot(lang=lang, names=names),
                e.plot(lang=lang, names=names),
            ]
        for ax in axes:
            assert ax.figure is not None
            assert ax.get_yticklabels()


def test_benchmark_quick_mode(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_selection", ROOT / "benchmarks" / "bench_selection.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "equal shares (MES)" in out


# ------------------------------------------------------------------ renamed names


def test_compare_is_the_deprecated_name_of_compare_rules() -> None:
    g, call, props = _heao()
    votes = Votes(ballots=[Ballot(voter=r.id, items=props[:3]) for r in g.residents("heao")])
    new = compare_rules(g, 3, call=call, votes=votes)
    assert compare_rules(g, k=3, call=call, votes=votes).summary == new.summary
    with pytest.warns(DeprecationWarning, match="compare_rules"):
        old = compare(g, call, votes=votes, k=3)
    assert old.summary == new.summary
    assert old.to_rows() == new.to_rows()


def test_compare_rules_says_when_a_call_is_given_for_k() -> None:
    g, call, _ = _heao()
    with pytest.raises(ValidationError, match="call="):
        compare_rules(g, call)  # type: ignore[arg-type]


def test_apply_selection_on_is_the_old_name_of_as_of() -> None:
    day = dt.date(2019, 8, 10)
    links = []
    for kwargs in ({"as_of": day}, {"on": day}):
        g, call, props = _heao()
        r = select(g, call, rule="greedy", scores=dict.fromkeys(props, 1.0), budget=10**9)
        if "on" in kwargs:
            with pytest.warns(DeprecationWarning, match="as_of="):
                done = apply_selection(g, r, **kwargs)
        else:
            done = apply_selection(g, r, **kwargs)
        links.append(done.links)
        new = next(iter(done.projects.values()))
        assert g.links(relation=Relation.LEADS, target=new)[0].since == day
    assert links[0] == links[1]


def test_format_money_is_deprecated_for_format_fen() -> None:
    with pytest.warns(DeprecationWarning, match="format_fen"):
        assert format_money(123450) == format_fen(123450, symbol=True) == "¥1,234.50"
    with pytest.warns(DeprecationWarning, match="format_money"):
        assert format_money(25000, "PLN") == "25,000 PLN"


# ------------------------------------------------------------------ short reprs


def _short(obj: object, limit: int = 500) -> None:
    text = repr(obj)
    assert len(text) < limit, (type(obj).__name__, len(text), text[:200])
    html = getattr(obj, "_repr_html_", None)
    if html is not None:
        table = html()
        assert table.startswith("<table>") and len(table) < 2 * limit, type(obj).__name__


def test_results_flooded_the_notebook_with_their_repr() -> None:
    # A district-sized vote: 20,000 residents approving 40 ideas. Results used to print
    # every decision with its reason (and an election every ballot).
    import numpy as np
    import scipy.sparse as sp

    rng = np.random.default_rng(1)
    approvals = sp.random_array((20_000, 40), density=0.1, random_state=1, format="csr")
    approvals.data[:] = 1
    costs = rng.integers(50_000, 500_000, 40).tolist()
    election = Election.from_matrix(approvals, costs=costs, budget=3_000_000)
    _short(election)
    for rule in ("approval_greedy", "knapsack"):
        result = select(election, rule=rule)
        assert len(result.selected) > 3
        _short(result)
        assert "spent='¥" in repr(result)
    _short(result.decisions[0])
    _short(compare_rules(election, 5, rules=["top_k", "approval_greedy", "knapsack"]))
    g, call, props = _heao()
    votes = Votes(ballots=[Ballot(voter=r.id, items=props[:3]) for r in g.residents("heao")])
    _short(votes)
    _short(score(g, call, votes=votes))
    eligibility = check_eligibility(g, call)
    _short(eligibility)
    _short(eligibility.checks[0])
    chosen = select(g, call, rule="greedy", scores=dict.fromkeys(props, 1.0), budget=10**9)
    _short(chosen)
    _short(apply_selection(g, chosen))
