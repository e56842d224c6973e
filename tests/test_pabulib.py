"""Pabulib ``.pb`` files: exact round trips, errors with lines, agreement with pabutools."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vchuang
from vchuang.errors import FormatError, ValidationError
from vchuang.io import pabulib
from vchuang.io.pabulib import PabulibFile, PabulibProject, PabulibVote
from vchuang.privacy import keyed_id
from vchuang.selection import Ballot, Election

DATA = Path(__file__).parent / "data" / "pabulib"
FILES = sorted(DATA.glob("*.pb"))
KEY = "a secret key of 16+ bytes"


def test_the_real_files_are_there() -> None:
    assert len(FILES) == 4


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_real_files_round_trip_byte_for_byte(path: Path, tmp_path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    pb = pabulib.loads(text)
    assert pabulib.dumps(pb) == text
    assert pabulib.loads(pabulib.dumps(pb)) == pb
    out = tmp_path / path.name
    pabulib.save(pb, out)
    assert out.read_bytes() == path.read_bytes()
    assert pabulib.load(out) == pb


def test_real_file_contents() -> None:
    pb = pabulib.load(DATA / "poland_czestochowa_2020_grabowka.pb")
    assert (pb.vote_type, pb.budget, len(pb.projects), len(pb.votes)) == (
        "cumulative",
        225862,
        8,
        201,
    )
    first = pb.votes[0]
    assert (first.voter_id, first.vote, first.points) == ("35", ("196", "198"), (6, 4))
    quoted = next(p for p in pb.projects if p.project_id == "47")
    assert quoted.get("name", "").startswith('"Odkupmy" i my')
    assert pb.get("currency") == "PLN"
    approval = pabulib.load(DATA / "poland_warszawa_2018_niskie-okecie.pb")
    assert approval.votes[0].points is None
    assert approval.votes[0].get("sex") == "F"


def test_byte_order_mark_and_crlf_are_read() -> None:
    text = (DATA / "poland_warszawa_2019_las.pb").read_text(encoding="utf-8")
    assert pabulib.loads("\ufeff" + text.replace("\n", "\r\n")) == pabulib.loads(text)


# Cells may hold the separator, quotes, commas and Chinese; IDs no commas or spaces
cells = st.text(alphabet=st.sampled_from("ab; \"'c,1平南荷坳—"), max_size=8)
pids = st.text(alphabet=st.sampled_from("abcxyz0123456789-_平南"), min_size=1, max_size=5)


@st.composite
def pb_files(draw: st.DrawFn) -> PabulibFile:
    vote_type = draw(st.sampled_from(["approval", "cumulative", "scoring", "ordinal"]))
    keys = draw(
        st.lists(st.text(alphabet="abcdefgh_", min_size=1, max_size=6), max_size=3, unique=True)
    )
    meta = [("budget", str(draw(st.integers(0, 10**9)))), ("vote_type", vote_type)]
    meta += [(k, draw(cells)) for k in keys if k not in ("budget", "vote_type")]
    ids = draw(st.lists(pids, min_size=1, max_size=6, unique=True))
    extra = draw(st.lists(st.sampled_from(["name", "category", "votes"]), unique=True))
    projects = [
        PabulibProject(
            project_id=p, cost=draw(st.integers(0, 10**7)), fields=[(c, draw(cells)) for c in extra]
        )
        for p in ids
    ]
    voters = draw(st.lists(pids, max_size=6, unique=True))
    vextra = draw(st.lists(st.sampled_from(["age", "sex"]), unique=True))
    votes = []
    for v in voters:
        items = draw(st.lists(st.sampled_from(ids), unique=True, max_size=len(ids)))
        points = (
            [draw(st.integers(1, 20)) for _ in items]
            if vote_type in ("cumulative", "scoring")
            else None
        )
        votes.append(
            PabulibVote(
                voter_id=v, vote=items, points=points, fields=[(c, draw(cells)) for c in vextra]
            )
        )
    vcols = ["voter_id", *vextra, "vote"]
    if vote_type in ("cumulative", "scoring"):
        vcols.append("points")
    return PabulibFile(
        meta=meta,
        project_columns=["project_id", "cost", *extra],
        projects=projects,
        vote_columns=vcols,
        votes=votes,
    )


@given(pb_files())
def test_round_trip_is_identity(pb: PabulibFile) -> None:
    text = pabulib.dumps(pb)
    assert pabulib.loads(text) == pb
    assert pabulib.dumps(pabulib.loads(text)) == text


def _doc(
    projects: str = "project_id;cost\n1;10\n2;20\n",
    votes: str = "voter_id;vote\n1;1,2\n",
    meta: str = "budget;30\nvote_type;approval\n",
) -> str:
    return f"META\nkey;value\n{meta}PROJECTS\n{projects}VOTES\n{votes}"


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        (
            _doc(projects="project_id;cost\n1;ten\n"),
            "<string>: PROJECTS row 1 (line 7), column cost",
            "not a whole number",
        ),
        (
            _doc(projects="project_id;cost\n1;10;x\n"),
            "<string>: PROJECTS row 1 (line 7)",
            "3 cells",
        ),
        (
            _doc(votes="voter_id;vote\n1;3\n"),
            "<string>: VOTES row 1 (line 11)",
            "unknown project '3'",
        ),
        (
            _doc(projects="project_id;cost\n1;10\n1;20\n"),
            "<string>: PROJECTS row 2 (line 8)",
            "given twice",
        ),
        (
            _doc(votes="voter_id;vote\n1;1\n1;2\n"),
            "<string>: VOTES row 2 (line 12)",
            "voter ID '1' given twice",
        ),
        (
            _doc(meta="budget;30\nvote_type;cumulative\n", votes="voter_id;vote;points\n1;1,2;3\n"),
            "<string>: VOTES row 1 (line 11)",
            "one point value per project",
        ),
        (
            _doc(meta="budget;30\nvote_type;cumulative\n"),
            "<string>: VOTES header (line 10)",
            "need a 'points' column",
        ),
        (
            _doc(meta="budget;30\nvote_type;lottery\n"),
            "<string>: META vote_type (line 4)",
            "unknown vote type",
        ),
        ("PROJECTS\nproject_id;cost\n1;10\n", "<string>", "no META section"),
        ("hello\nMETA\nkey;value\n", "<string>: line 1", "text before the META section"),
    ],
)
def test_errors_name_the_line_and_the_fix(text: str, where: str, what: str) -> None:
    with pytest.raises(FormatError) as info:
        pabulib.loads(text)
    assert any(p.path == where and what in p.message for p in info.value.problems), (
        info.value.problems
    )


def test_decimal_cost_with_zero_fraction_is_accepted() -> None:
    pb = pabulib.loads(_doc(projects="project_id;cost\n1;10.0\n2;20\n"))
    assert pb.projects[0].cost == 10


def test_budget_must_be_whole() -> None:
    with pytest.raises(FormatError, match=r"<string>: META budget \(line 3\): '12.5'"):
        pabulib.loads(_doc(meta="budget;12.5\nvote_type;approval\n"))
    pb = PabulibFile(
        meta={"budget": "12.5"},
        project_columns=["project_id", "cost"],
        projects=[],
        vote_columns=["voter_id", "vote"],
        votes=[],
    )
    with pytest.raises(FormatError, match=r"META\.budget"):
        _ = pb.budget


def test_election_round_trip_through_pabulib() -> None:
    e = Election(
        projects=["a", "b"],
        costs=[100, 250],
        budget=300,
        vote_type="cumulative",
        ballots=[
            Ballot(voter="r1", items=["a", "b"], points=[2, 3]),
            Ballot(voter="r2", items=["b"], points=[5]),
            Ballot(voter="r3"),
        ],
        names=["Benches; new", 'The "big" tree'],
        groups={"a": {"category": ("public space", "sport")}},
    )
    pb = e.to_pabulib(meta={"description": "test", "rule": "equal_shares"}, key=KEY)
    back = Election.from_pabulib(pabulib.loads(pabulib.dumps(pb)), unit="fen")
    assert (back.projects, back.costs, back.budget, back.vote_type, back.names) == (
        e.projects,
        e.costs,
        e.budget,
        e.vote_type,
        e.names,
    )
    assert [(b.items, b.points) for b in back.ballots] == [(b.items, b.points) for b in e.ballots]
    assert [b.voter for b in back.ballots] == [
        keyed_id(b.voter, KEY, prefix="r") for b in e.ballots
    ]
    assert back.group("a", "category") == ("public space", "sport")
    assert pb.get("num_votes") == "3"
    assert pb.get("rule") == "equal_shares"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_reader_agrees_with_pabutools(path: Path) -> None:
    election_mod = pytest.importorskip("pabutools.election")
    instance, profile = election_mod.parse_pabulib(str(path))
    e = Election.from_pabulib(pabulib.load(path))
    assert int(instance.budget_limit) == e.budget
    assert {p.name: int(p.cost) for p in instance} == dict(zip(e.projects, e.costs, strict=True))
    assert profile.num_ballots() == e.n_voters
    if e.vote_type == "approval":
        theirs = sorted(sorted(p.name for p in b) for b in profile)
        ours = sorted(sorted(b.items) for b in e.ballots)
    else:
        theirs = sorted(sorted((p.name, int(v)) for p, v in b.items()) for b in profile)
        ours = sorted(sorted(zip(b.items, b.points, strict=True)) for b in e.ballots)
    assert theirs == ours


def test_pabutools_reads_what_we_write(tmp_path: Path) -> None:
    election_mod = pytest.importorskip("pabutools.election")
    e = Election(
        projects=["p1", "p2", "p3"],
        costs=[5, 7, 9],
        budget=12,
        ballots=[
            Ballot(voter="1", items=["p1", "p3"]),
            Ballot(voter="2"),
            Ballot(voter="3", items=["p2"]),
        ],
        unit="PLN",
    )
    path = tmp_path / "ours.pb"
    pabulib.save(e.to_pabulib(), path)
    instance, profile = election_mod.parse_pabulib(str(path))
    assert sorted(p.name for p in instance) == ["p1", "p2", "p3"]
    assert profile.num_ballots() == 3
    assert sorted(sorted(p.name for p in b) for b in profile) == [[], ["p1", "p3"], ["p2"]]
    assert pabulib.conformance(pabulib.load(path)) == []


def _pilot_election(unit: str = "fen") -> tuple[Election, vchuang.CommunityGraph]:
    g = vchuang.load_example()
    voters = [r.id for r in g.residents()]  # pn-r08 is a child on the data's date
    e = Election(
        projects=["a", "b"],
        costs=[300, 500],
        budget=600,
        vote_type="cumulative",
        ballots=[Ballot(voter=v, items=["a"], points=[1]) for v in voters],
        unit=unit,
    )
    return e, g


def test_export_used_raw_resident_ids_as_voter_id() -> None:
    e, _ = _pilot_election()
    pb = e.to_pabulib()
    assert all(v.voter_id.startswith("r-") and len(v.voter_id) == 18 for v in pb.votes)
    assert not {v.voter_id for v in pb.votes} & {b.voter for b in e.ballots}
    # a fresh key each time unless one is given; the same key gives the same pseudonyms
    assert e.to_pabulib().votes[0].voter_id != pb.votes[0].voter_id
    assert e.to_pabulib(key=KEY) == e.to_pabulib(key=KEY)


def test_real_ids_only_when_asked_and_never_a_minors() -> None:
    e, g = _pilot_election()
    with pytest.raises(ValidationError, match="needs the community graph"):
        e.to_pabulib(reveal="ids")
    with pytest.raises(ValidationError, match="unknown level"):
        e.to_pabulib(reveal="everything")
    pb = e.to_pabulib(reveal="ids", graph=g, key=KEY)
    shown = {v.voter_id for v in pb.votes}
    assert "pn-r01" in shown
    assert "pn-r08" not in shown  # a minor on the data's date keeps a pseudonym
    assert keyed_id("pn-r08", KEY, prefix="r") in shown


def test_export_wrote_rule_greedy_when_no_rule_was_chosen() -> None:
    e, _ = _pilot_election()
    assert e.to_pabulib().get("rule") is None
    assert e.to_pabulib(meta={"rule": "greedy"}).get("rule") == "greedy"


def test_export_gave_no_currency() -> None:
    e, _ = _pilot_election()
    pb = e.to_pabulib()
    assert (pb.get("currency"), pb.get("comment")) == (
        "CNY",
        "#1: costs and budget in fen (1 yuan = 100 fen)",
    )
    assert _pilot_election("PLN")[0].to_pabulib().get("currency") == "PLN"


def test_written_files_pass_the_checker_rules(tmp_path: Path) -> None:
    e, _ = _pilot_election()
    pb = e.to_pabulib()
    assert pabulib.conformance(pb) == []
    assert [k for k, _ in pb.meta][:8] == list(pabulib.REQUIRED_META)
    bad = PabulibFile(
        meta={"budget": "1.5", "num_votes": "3", "rule": "", "currency": "yuan"},
        project_columns=["project_id", "cost"],
        projects=[],
        vote_columns=["voter_id", "vote"],
        votes=[],
    )
    paths = {p.path for p in pabulib.conformance(bad)}
    assert {"META.description", "META.num_votes", "META.rule", "META.currency"} <= paths
    assert "META.budget" in paths
    # pabutools reads what we write, pseudonyms and currency included
    election_mod = pytest.importorskip("pabutools.election")
    path = tmp_path / "pilot.pb"
    pabulib.save(pb, path)
    instance, profile = election_mod.parse_pabulib(str(path))
    assert int(instance.budget_limit) == 600 and profile.num_ballots() == len(e.ballots)
