"""The incubator's and the matching's sentences in Chinese (issue 19 item 4): every
guard, checklist, evidence and linkage reason, and ``MatchResult.summary``, rendered
with ``lang="zh"`` has Chinese on every line and no English words outside IDs, numbers
and units; rendered in English it is the same text as the attributes."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re

import pytest

from lang_scan import english_words, has_chinese
from test_incubator import COACHING, _walk_to_seed, small_graph
from vchuang import Activity, Need, Relation, Stage, load_example
from vchuang.datasets import longgang_pilot
from vchuang.incubator import Incubator, TransitionRefused, propose_links, record_training
from vchuang.matching import match

D = dt.date
#: Code the hints name (API calls, fields, relations): what a user types, in any language.
CODE = re.compile(r"[A-Za-z]\w*(?:[._]\w+)+(?:\([^)]*\))?|\b[A-Z][A-Z_]{2,}\b|\b[a-z]+=")
#: Units of the pilot's resources (user data, kept as written).
UNITS = {"people", "bags", "hours", "week", "officers", "posters", "month"}


def zh_ok(text: str, allowed: set[str]) -> None:
    for line in text.splitlines():
        assert has_chinese(line), line
        assert not english_words(CODE.sub(" ", line), allowed | UNITS), line


def _walked():
    g = small_graph()
    inc = Incubator(g)
    _walk_to_seed(g, inc)
    g.link("r0", Relation.LEADS, "p", since=D(2019, 7, 12))
    inc.advance("p", date=D(2019, 7, 12), who="sw")
    record_training(
        g,
        Activity(
            id="t1",
            name="Coaching",
            activity_kind="training",
            date=D(2019, 7, 20),
            place="c1",
            attendees=["r0"],
            skills=COACHING,
        ),
    )
    inc.advance("p", date=D(2019, 7, 20), who="sw")
    return g, inc


def _checks(inc: Incubator, days):
    for p in inc.graph.projects():
        for day in days:
            for stage in Stage:
                yield inc.guard(p.id, stage, as_of=day)
                yield from inc.checklist(p.id, stage, as_of=day)
                yield from inc.check(p.id, stage, as_of=day).checks


@pytest.fixture(scope="module")
def pilot():
    return longgang_pilot()


def _allowed(g) -> set[str]:
    words: set[str] = set()
    for kind in ("residents", "projects", "organizations", "resources", "activities"):
        for e in getattr(g, kind)():
            words |= set(re.findall(r"[A-Za-z]{3,}", e.id))
    for p in g.projects():
        for n in p.needs:
            words |= set(re.findall(r"[A-Za-z]{3,}", n.id))
            if n.skill:
                words |= set(re.findall(r"[A-Za-z]{3,}", n.skill))
        for t in (*p.themes, *p.target_segments):
            words |= set(re.findall(r"[A-Za-z]{3,}", t))
    return words


@pytest.mark.parametrize("which", ["example", "pilot", "walked"])
def test_every_check_in_chinese_and_english_unchanged(which: str, pilot) -> None:
    if which == "walked":
        g, inc = _walked()
    else:
        g = load_example() if which == "example" else pilot
        inc = Incubator(g)
    allowed = _allowed(g) | {"name_zh", "Proposal"}
    seen = 0
    for c in _checks(inc, (None, D(2019, 7, 1))):
        assert c.reason_in("en") == c.reason and c.hint_in("en") == c.hint
        assert c.text_in("en") == str(c)
        zh_ok(c.text_in("zh"), allowed)
        seen += 1
    assert seen > 20
    for p in g.projects():
        v = inc.check(p.id, Stage.DROPPED)
        assert v.text_in("en") == str(v)
        assert v.reasons_in("en") == v.reasons and v.evidence_in("en") == v.evidence
        zh_ok(v.text_in("zh"), allowed)
        for c in inc.blockers(p.id):
            zh_ok(c.text_in("zh"), allowed)


def test_transitions_say_why_in_chinese_and_keep_json() -> None:
    g, inc = _walked()
    allowed = _allowed(g)
    for t in inc.history:
        assert t.why_in("en") == t.why and t.evidence_in("en") == t.evidence
        zh_ok(t.why_in("zh"), allowed)
        for e in t.evidence_in("zh"):
            zh_ok(e, allowed)
    # JSON and pickling keep the English text as it was
    data = json.loads(json.dumps(inc.to_dict()))
    assert [d["why"] for d in data["transitions"]] == [t.why for t in inc.history]
    back = pickle.loads(pickle.dumps(inc.history))
    assert back == inc.history
    assert back[-1].why_in("zh") == inc.history[-1].why_in("zh")
    # a reason given by hand stays as written
    assert inc.history[0].why_in("zh") == inc.history[0].why_in("zh")


def test_refusal_problems_render_in_chinese() -> None:
    g = small_graph()
    inc = Incubator(g)
    _walk_to_seed(g, inc)
    with pytest.raises(TransitionRefused) as info:
        inc.advance("p", date=D(2019, 7, 12), who="sw")
    (problem,) = info.value.problems
    line = problem.render("zh")
    assert "种子培力赋能" in line and "负责人" in line, line
    assert problem.render("en") == str(problem)
    assert str(info.value).startswith("project 'p' -> empowerment: the project has no lead")


@pytest.mark.parametrize("which", ["example", "pilot", "small"])
def test_linkage_reasons_in_chinese(which: str, pilot) -> None:
    g = {"example": load_example, "small": small_graph}.get(which, lambda: pilot)()
    found = propose_links(g)
    allowed = _allowed(g) | {"name_zh"}
    for n in found.open_needs:
        assert n.what_in("en") == n.what and n.reason_in("en") == n.reason
        zh_ok(n.what_in("zh") + n.reason_in("zh"), allowed)
    for p in found.proposals:
        assert p.reasons_in("en") == p.reasons
        for r in p.reasons_in("zh"):
            zh_ok(r, allowed)


def test_accepted_link_says_why_in_chinese() -> None:
    g = small_graph()
    inc = Incubator(g)
    _walk_to_seed(g, inc)
    g.update("p", needs=[Need(id="p-room", resource="venue")])
    best = inc.propose_links(project="p").best()[0]
    decision = inc.accept(best, date=D(2019, 8, 1), who="sw")
    assert decision.why_in("en") == decision.why == "; ".join(best.reasons)
    assert decision.why_in("zh") == "；".join(best.reasons_in("zh"))


@pytest.mark.parametrize("method", ["optimal", "greedy", "stable"])
def test_match_summary_in_chinese(method: str, pilot) -> None:
    pool = [r.id for r in pilot.residents()][:10]
    allowed = _allowed(pilot)
    for kw in ({}, {"residents": pool, "max_projects_per_person": 1}, {"residents": []}):
        result = match(pilot, method=method, **kw)
        assert result.summary("en") == result.summary() == str(result)
        assert result.solver_in("en") == result.solver
        assert result.status_in("en") == result.status
        zh_ok(result.solver_in("zh") + result.status_in("zh"), set())
        zh_ok(result.summary("zh"), allowed)


def test_solver_words_of_every_solver_part() -> None:
    from vchuang.matching._result import _solver_in

    milp = (
        "HiGHS branch and cut (scipy.optimize.milp, gap 0) with 24 headcount and 30 "
        "project-cap binaries; stopped early, the greedy solution was better; stopped by "
        "the time limit"
    )
    zh = _solver_in(milp, "zh")
    assert "24" in zh and "30" in zh
    zh_ok(zh, set())
    assert _solver_in("a solver of my own", "zh") == "a solver of my own"
