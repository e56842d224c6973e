"""The golden-ideas section with the residents' ballots: equal shares' outcome, the
proportionality of the meeting's and the rule's outcomes, and why ideas were not funded,
in both languages; bad ballots are refused before any work."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import vchuang
from vchuang.cli import main
from vchuang.errors import ValidationError, VchuangError
from vchuang.io import pabulib
from vchuang.report import WHY_NOT_SHOWN, build_report
from vchuang.selection import Ballot, Election, Votes, audit, select, why_not_funded

KEY = "votes-test-key-0123456789"
CALL = "ha-call-2019"


@pytest.fixture(scope="module")
def pilot() -> vchuang.CommunityGraph:
    return vchuang.datasets.longgang_pilot()


@pytest.fixture(scope="module")
def votes(pilot: vchuang.CommunityGraph) -> Votes:
    """He'ao residents back the ideas on their themes, and a few others at random."""
    ideas = pilot.proposals(CALL)
    rng = np.random.default_rng(3)
    ballots = []
    for r in pilot.residents("heao"):
        items = [i.id for i in ideas if set(i.themes) & set(r.interests) or rng.random() < 0.15]
        if items:
            ballots.append(Ballot(voter=r.id, items=items))
    return Votes(kind="approval", ballots=ballots)


def _section(pilot: vchuang.CommunityGraph, out: Path, lang: str, **kw: object) -> list[str]:
    report = build_report(pilot, out, lang=lang, key=KEY, sections="selection", **kw)  # type: ignore[arg-type]
    (section,) = [s for s in report.sections if s.id == "selection"]
    return list(section.text)


def test_ballots_give_the_rule_both_audits_and_the_shortfalls(
    pilot: vchuang.CommunityGraph, votes: Votes, tmp_path: Path
) -> None:
    election = Election.from_call(pilot, CALL, votes=votes)
    rule = select(election, rule="equal_shares", completion=None)
    text = _section(pilot, tmp_path / "en", "en", votes={CALL: votes})
    page = (tmp_path / "en" / "index.html").read_text(encoding="utf-8")
    assert f"{election.n_voters} voters" in text[1]
    assert f"would fund {len(rule.selected)} of the 12 ideas" in text[1]
    # the pilot's meeting funded other ideas than equal shares: both outcomes audited
    meeting = {p.id for p in pilot.proposals(CALL) if p.project is not None}
    assert meeting != set(rule.selected)
    audits = [t for t in text if t.startswith("Proportionality of the")]
    assert audits[0].startswith("Proportionality of the selection meeting's outcome")
    assert audits[1] == audit(rule).summary("en")
    # the shortfalls are why_not_funded's, with the ideas' names instead of their IDs
    unfunded = [d.proposal for d in rule.decisions if not d.selected]
    shown = why_not_funded(rule, unfunded).shortfalls
    names = {p.id: p.name for p in pilot.proposals(CALL)}
    for short in shown[:WHY_NOT_SHOWN]:
        assert any(t.startswith(f"{names[short.proposal]} dropped out") for t in text)
        if short.extra_support is not None:
            assert f"{short.extra_support} more vote(s)" in page
    # no voter is named or identified: not an ID, not a name
    for ballot in votes.ballots:
        assert ballot.voter not in page
        assert pilot.get(ballot.voter).name not in page
    assert "proportionality cannot be checked" not in page


def test_ballots_in_chinese(pilot: vchuang.CommunityGraph, votes: Votes, tmp_path: Path) -> None:
    text = _section(pilot, tmp_path / "zh", "zh", votes={CALL: votes})
    body = "\n".join(text[1:])
    assert "居民选票" in body and "征选会结果的比例性审查" in body
    assert "均等份额法结果的比例性审查" in body and "出局" in body
    # no English word but the properties' standard names
    words = set(re.findall(r"[A-Za-z]{2,}", body))
    assert words <= {"EJR", "PJR"}, words


def test_a_meeting_that_follows_the_rule_gets_one_audit(
    pilot: vchuang.CommunityGraph, tmp_path: Path
) -> None:
    # ballots that make equal shares choose exactly what the pilot's meeting chose
    ideas = pilot.proposals(CALL)
    chosen = [p for p in ideas if p.project is not None]
    # voters in proportion to each chosen idea's cost: its backers hold at least its cost
    ballots = [
        Ballot(voter=f"v{p.id}-{i}", items=[p.id])
        for p in chosen
        for i in range(-(-p.cost_fen // 10_000))
    ]
    call = next(c for c in pilot.calls() if c.id == CALL)
    election = Election(
        projects=[p.id for p in ideas],
        costs=[p.cost_fen for p in ideas],
        budget=call.budget_fen,
        ballots=ballots,
    )
    assert set(select(election, rule="equal_shares", completion=None).selected) == {
        p.id for p in chosen
    }
    text = _section(pilot, tmp_path / "same", "en", votes={CALL: election})
    assert "The meeting funded the same ideas as equal shares." in text
    assert sum(t.startswith("Proportionality of the") for t in text) == 1


def test_without_ballots_the_section_says_so(pilot: vchuang.CommunityGraph, tmp_path: Path) -> None:
    text = _section(pilot, tmp_path / "none", "en")
    assert any("proportionality" in t and "cannot be checked" in t for t in text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_ballots_are_refused_before_any_work(
    pilot: vchuang.CommunityGraph, votes: Votes, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / "never"
    with pytest.raises(ValidationError) as no_call:
        build_report(pilot, out, lang=lang, votes={"no-such-call": votes})
    problem = no_call.value.problems[0]
    assert problem.path == "votes['no-such-call']"
    assert ("图中没有征集活动" if lang == "zh" else "no call") in problem.message_in(lang)
    stranger = Election(
        projects=["ha-i01", "x9"],
        costs=[100, 100],
        budget=100,
        ballots=[Ballot(voter="v", items=["x9"])],
    )
    with pytest.raises(ValidationError) as not_idea:
        build_report(pilot, out, lang=lang, votes={CALL: stranger})
    problem = not_idea.value.problems[0]
    assert "'x9'" in problem.message_in(lang) and problem.hint_in(lang)
    assert not out.exists()


def test_cli_votes_from_a_pabulib_file(
    pilot: vchuang.CommunityGraph,
    votes: Votes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    election = Election.from_call(pilot, CALL, votes=votes)
    pb = tmp_path / "votes.pb"
    pabulib.save(election.to_pabulib(), pb)
    out = tmp_path / "out"
    args = ["report", "--out", str(out), "--key", KEY, "--no-progress", "--sections", "selection"]
    assert main([*args, "--votes", f"{CALL}={pb}"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    assert f"{election.n_voters} voters" in page
    capsys.readouterr()
    assert main([*args, "--votes", str(pb), "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "征集ID=文件" in err and "Traceback" not in err
    assert main([*args, "--votes", f"{CALL}={tmp_path / 'missing.pb'}"]) != 0
    assert "Traceback" not in capsys.readouterr().err
    broken = tmp_path / "broken.pb"
    broken.write_text("META\nkey;value\nbudget;x\n", encoding="utf-8")
    with pytest.raises(VchuangError):
        build_report(pilot, tmp_path / "never", votes={CALL: broken})
    assert main([*args[:2], str(tmp_path / "out2"), *args[3:], "--votes", f"{CALL}={broken}"]) != 0
    err = capsys.readouterr().err
    assert "broken.pb" in err and "Traceback" not in err
