"""A selection meeting's recorded overrides of a rule's outcome.

The laws: the final outcome is the rule's with each override applied in order; both
outcomes are audited and each audit equals pabutools' answers on the same allocation;
:func:`apply_selection` makes the final outcome's ideas projects; an inconsistent
override is refused with a :class:`ValidationError` naming the idea.
"""

from __future__ import annotations

import datetime as dt
import warnings
from contextlib import nullcontext
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import chinese_figures
from test_selection_audit import approval_elections
from vchuang.datasets import longgang_pilot
from vchuang.errors import ValidationError
from vchuang.io import pabulib
from vchuang.io.documents import DocumentReader, unstructure
from vchuang.selection import (
    Audit,
    Ballot,
    Election,
    EligibilityRule,
    Overridden,
    Override,
    apply_selection,
    audit,
    check_eligibility,
    overridden,
    select,
    why_not_funded,
)

DAY = dt.date(2024, 5, 8)


def _three() -> Election:
    # 3 voters want a (cost 60), 2 want b and c (40 each), budget 100
    return Election(
        projects=["a", "b", "c"],
        costs=[60, 40, 40],
        budget=100,
        ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
        + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)],
        unit="yuan",
    )


def _change(**kw: Any) -> Override:
    return Override(**{"reason": "the meeting said so", "author": "panel", "as_of": DAY, **kw})


def test_a_swap_keeps_both_outcomes_and_audits_both() -> None:
    r = select(_three(), rule="equal_shares", completion=None)
    o = r.override(add=["c"], remove=["a"], reason="c is safer", author="Li Mei", as_of=DAY)
    assert isinstance(o, Overridden)
    assert o.algorithm is r and o.algorithm.selected == ("a", "b")
    assert o.final.selected == ("b", "c") and o.final.spent == 80
    assert o.added == ("c",) and o.removed == ("a",)
    assert o.overrides[0].kind == "swap"
    assert o.final.decision("a").phase == "override" and not o.final.decision("a").selected
    assert o.final.decision("c").order == 2 and o.final.decision("b").order == 1
    assert "Li Mei swapped a for c on 2024-05-08: c is safer" in o.final.explain("c")
    assert isinstance(o.algorithm_audit, Audit) and isinstance(o.final_audit, Audit)
    # the meeting took the 3 a-voters' project away: EJR and priceability are lost
    assert o.algorithm_audit.holds("EJR") and not o.final_audit.holds("EJR")
    assert o.changed()["EJR"] == (True, False)
    assert o.final_audit.empty_handed == pytest.approx(0.6)
    assert "用 c 替换了 a" in o.to_rows("zh")[0]["sentence"]


def test_overrides_apply_in_order_and_can_be_chained() -> None:
    r = select(_three(), rule="equal_shares", completion=None)
    o = overridden(r, _change(remove=["b"]), _change(add=["c"]))
    assert o.final.selected == ("a", "c") and [c.kind for c in o.overrides] == ["remove", "add"]
    again = o.override(remove=["c"], reason="c's team left", author="panel", as_of=DAY)
    assert again.algorithm is r and again.final.selected == ("a",)
    assert len(again.overrides) == 3 and again.final.overrides == again.overrides


def test_over_budget_is_refused_unless_the_meeting_says_why() -> None:
    r = select(_three(), rule="equal_shares", completion=None)
    with pytest.raises(ValidationError, match=r"adding 'c'.*over the budget") as err:
        r.override(add=["c"], reason="it is cheap", author="panel", as_of=DAY)
    assert "over_budget=" in str(err.value)
    o = r.override(
        add=["c"], reason="it is cheap", author="panel", as_of=DAY, over_budget="the street adds 40"
    )
    assert o.final.spent == 140 and o.final.spent > o.final.budget
    assert o.final_audit is not None and o.final_audit.exhaustive
    assert "over the budget, allowed because: the street adds 40" in o.overrides[0].sentence()
    assert "超出预算" in o.overrides[0].sentence("zh")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"add": ["zz"]}, r"override: idea 'zz': is not a proposal here"),
        ({"remove": ["qq"]}, r"idea 'qq': is not a proposal here"),
        ({"add": ["a"]}, r"idea 'a': is already selected"),
        ({"remove": ["c"]}, r"idea 'c': was not selected"),
    ],
)
def test_inconsistent_overrides_are_refused_naming_the_idea(
    change: dict[str, Any], message: str
) -> None:
    r = select(_three(), rule="equal_shares", completion=None)
    with pytest.raises(ValidationError, match=message):
        overridden(r, _change(**change))


def test_every_problem_of_several_overrides_is_listed() -> None:
    r = select(_three(), rule="equal_shares", completion=None)
    with pytest.raises(ValidationError) as err:
        overridden(r, _change(add=["zz"]), _change(remove=["c"]))
    text = str(err.value)
    assert "override 1: idea 'zz'" in text and "override 2: idea 'c'" in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"add": ["c"], "reason": " "}, "reason: must be a non-empty text"),
        ({"add": ["c"], "author": ""}, "author: must be a non-empty text"),
        ({"add": ["c"], "as_of": "2024-05-08"}, "as_of: must be a date"),
        ({}, "changes nothing"),
        ({"add": ["c"], "remove": ["c"]}, "idea 'c': is both added and removed"),
        ({"add": ["c", "c"]}, "names 'c' twice"),
        ({"add": ["c"], "over_budget": ""}, "over_budget: must be a non-empty text"),
    ],
)
def test_an_override_record_checks_itself(fields: dict[str, Any], message: str) -> None:
    base: dict[str, Any] = {"reason": "why", "author": "panel", "as_of": DAY}
    with pytest.raises(ValidationError, match=message):
        Override(**{**base, **fields})


def test_an_ineligible_idea_cannot_be_added() -> None:
    g = longgang_pilot()
    call = g.calls("heao")[0].id
    cheapest = min(p.cost_fen for p in g.proposals(call))
    e = check_eligibility(g, call, rules=[EligibilityRule(kind="max_cost", value=cheapest)])
    out = [c.proposal for c in e.checks if not c.eligible]
    assert out
    ids = [p.id for p in g.proposals(call)]
    r = select(g, call, rule="greedy", scores=dict.fromkeys(ids, 1.0), eligibility=e)
    with pytest.raises(ValidationError, match=rf"idea '{out[0]}': was ineligible"):
        overridden(r, _change(add=[out[0]]))


def test_overrides_need_overrides() -> None:
    r = select(_three(), rule="approval_greedy")
    with pytest.raises(ValidationError, match="no override given"):
        overridden(r)
    with pytest.raises(ValidationError, match="expected Override records"):
        overridden(r, "add c")  # type: ignore[arg-type]


def test_apply_selection_uses_the_final_outcome() -> None:
    g = longgang_pilot()
    call = g.calls("heao")[0].id
    fresh = [p.id for p in g.proposals(call) if p.project is None]
    assert len(fresh) >= 2
    ids = [p.id for p in g.proposals(call)]
    scores = {p: (2.0 if p == fresh[0] else 1.0) for p in ids}
    r = select(g, call, rule="top_k", k=1, scores=scores, budget=10**9)
    assert r.selected == (fresh[0],)
    o = r.override(
        add=[fresh[1]], remove=[fresh[0]], reason="ready sooner", author="panel", as_of=DAY
    )
    assert o.algorithm_audit is None and o.final_audit is None  # no residents' ballots
    done = apply_selection(g, o, as_of=DAY)
    assert list(done.projects) == [fresh[1]] and done.overrides == o.overrides
    assert g.get(fresh[0]).project is None


def test_why_not_funded_explains_the_rules_outcome_not_the_meetings() -> None:
    r = select(_three(), rule="equal_shares", completion=None)
    o = r.override(add=["c"], remove=["a"], reason="c is safer", author="panel", as_of=DAY)
    with pytest.raises(ValidationError, match=r"overrides.*why_not_funded\(overridden.algorithm\)"):
        why_not_funded(o.final)
    assert why_not_funded(o.algorithm)["c"].outbid_by == ("b",)


def test_an_override_round_trips_through_the_json_converter() -> None:
    o = _change(add=["c"], remove=["a"], over_budget="the street adds 40")
    data = unstructure(o)
    assert data["as_of"] == "2024-05-08" and data["add"] == ["c"]
    reader = DocumentReader(("x",))
    assert reader.record(data, Override, "$.overrides[0]") == o
    assert not reader.problems


@settings(max_examples=15, deadline=None)
@given(
    election=approval_elections(),
    rule=st.sampled_from(["equal_shares", "phragmen", "approval_greedy"]),
    data=st.data(),
)
def test_both_audits_equal_pabutools(
    election: Election, rule: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    jr = pytest.importorskip("pabutools.analysis.justifiedrepresentation")
    pa = pytest.importorskip("pabutools.analysis")
    pe = pytest.importorskip("pabutools.election")
    path = tmp_path_factory.mktemp("pb") / "e.pb"
    pabulib.save(election.to_pabulib(), path)
    options: dict[str, Any] = {"completion": None} if rule == "equal_shares" else {}
    result = select(Election.from_pabulib(pabulib.load(path)), rule=rule, **options)
    out = [p for p in election.projects if p not in result.selected]
    remove = (
        data.draw(st.lists(st.sampled_from(result.selected), unique=True, max_size=2))
        if (result.selected)
        else []
    )
    add = data.draw(st.lists(st.sampled_from(out), unique=True, max_size=2)) if out else []
    if not add and not remove:
        return
    o = overridden(result, _change(add=add, remove=remove, over_budget="allowed"))
    instance, profile = pe.parse_pabulib(str(path))
    for outcome, a in ((o.algorithm, o.algorithm_audit), (o.final, o.final_audit)):
        assert a is not None and a.selected == outcome.selected
        assert a.answers == audit(outcome).answers
        w = [p for p in instance if p.name in outcome.selected]
        sat = pe.Cost_Sat
        assert a.holds("EJR") == jr.is_EJR_approval(instance, profile, sat, w)
        assert a.holds("PJR") == jr.is_PJR_approval(instance, profile, sat, w)
        if sum(election.cost(p) for p in outcome.selected) <= election.budget:
            with warnings.catch_warnings():  # pulp 3.3 warns about its own API
                warnings.simplefilter("ignore", DeprecationWarning)
                priced = pa.priceable(instance, profile, w, exhaustive=False).validate()
            assert a.priceable == priced
    assert sorted(o.final.selected) == sorted([p for p in result.selected if p not in remove] + add)


def test_overridden_repr_stays_short_on_a_big_election() -> None:
    import numpy as np

    rng = np.random.default_rng(1)
    matrix = rng.random((400, 24)) < 0.15
    e = Election.from_matrix(matrix, costs=rng.integers(50, 400, 24).tolist(), budget=2000)
    r = select(e, rule="equal_shares")
    out = [p for p in e.projects if p not in r.selected]
    o = r.override(
        add=out[:5],
        remove=r.selected[:5],
        reason="x" * 400,
        author="panel",
        as_of=DAY,
        over_budget="allowed",
    )
    assert len(repr(o)) < 500 and len(o._repr_html_()) < 2000


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_audit_and_why_not_funded_plots_draw(lang: str) -> None:
    r = select(_three(), rule="equal_shares", completion=None)
    o = r.override(add=["c"], remove=["a"], reason="c is safer", author="panel", as_of=DAY)
    w = why_not_funded(r)
    with chinese_figures() if lang == "zh" else nullcontext():
        axes = [o.algorithm_audit.plot(lang=lang), o.plot(lang=lang), w.plot(lang=lang)]  # type: ignore[union-attr]
    for ax in axes:
        assert ax.figure is not None and ax.get_yticklabels()
    from vchuang.plot import _style

    if lang == "zh" and _style.cjk_fonts():
        labels = [t.get_text() for t in axes[0].get_yticklabels()]
        assert "可定价" in labels and axes[2].get_title().startswith("未入选原因")
        assert [t.get_text() for t in axes[1].get_xticklabels()] == ["算法结果", "征选会调整后"]
    if lang == "en":
        assert [t.get_text() for t in axes[1].get_xticklabels()] == [
            "algorithm",
            "after the meeting",
        ]
