"""The JSON format: round trip, every malformed document gives FormatError with the
right path, atomic save, versions."""

from __future__ import annotations

import contextlib
import json
import os
import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vchuang
from strategies import RECORDS, graphs
from vchuang import CommunityGraph, FormatError
from vchuang.io import _json as jsonformat
from vchuang.io.documents import parse_json

HERE = Path(__file__).parent


@settings(max_examples=60)
@given(graphs())
def test_round_trip_is_identity(g: CommunityGraph) -> None:
    text = vchuang.dumps(g)
    assert vchuang.loads(text) == g
    assert vchuang.loads(vchuang.dumps(g, indent=None)) == g
    assert vchuang.loads(text.encode("utf-8")) == g


def test_example_round_trip_and_readable_chinese(example: CommunityGraph) -> None:
    text = vchuang.dumps(example)
    assert "平南社区" in text and "\\u" not in text
    assert vchuang.loads(text) == example
    doc = json.loads(text)
    assert doc["format_version"] == jsonformat.FORMAT_VERSION
    # defaults are left out
    assert "consent_to_name" not in doc["residents"][0]


def test_byte_order_mark_is_accepted(example: CommunityGraph) -> None:
    data = "\ufeff" + vchuang.dumps(example)
    assert vchuang.loads(data.encode("utf-8")) == example


def _doc(**sections: Any) -> str:
    base: dict[str, Any] = {
        "format_version": 1,
        "districts": [{"id": "d", "name": "D"}],
        "subdistricts": [{"id": "s", "name": "S", "district": "d"}],
        "communities": [{"id": "c", "name": "C", "subdistrict": "s"}],
        "residents": [{"id": "r1", "name": "A", "community": "c"}],
        "projects": [{"id": "p1", "name": "P", "community": "c"}],
    }
    base.update(sections)
    return json.dumps(base, ensure_ascii=False)


R = {"id": "r2", "name": "B", "community": "c"}

MALFORMED: list[tuple[str, str, str]] = [
    # (name, document, expected path of the first problem)
    ("truncated", _doc()[:-40], "$ (line 1, column"),
    ("empty", "", "$ (line 1, column 1)"),
    ("not an object", "[1, 2, 3]", "$"),
    ("no version", json.dumps({"residents": []}), "$.format_version"),
    ("newer version", json.dumps({"format_version": 99}), "$.format_version"),
    ("version as text", json.dumps({"format_version": "1"}), "$.format_version"),
    ("unknown section", _doc(resident=[]), "$.resident"),
    ("section not a list", _doc(residents={"id": "r1"}), "$.residents"),
    ("record not an object", _doc(residents=["r1"]), "$.residents[0]"),
    ("missing field", _doc(residents=[{"id": "r1", "community": "c"}]), "$.residents[0].name"),
    ("extra field", _doc(residents=[{**R, "hobby": "chess"}]), "$.residents[0].hobby"),
    ("wrong type text", _doc(residents=[{**R, "name": 7}]), "$.residents[0].name"),
    (
        "wrong type number",
        _doc(residents=[{**R, "hours_per_week": "3"}]),
        "$.residents[0].hours_per_week",
    ),
    (
        "wrong type bool",
        _doc(residents=[{**R, "consent_to_name": "no"}]),
        "$.residents[0].consent_to_name",
    ),
    ("list as string", _doc(residents=[{**R, "segments": "elders"}]), "$.residents[0].segments"),
    (
        "negative hours",
        _doc(residents=[{**R, "hours_per_week": -2}]),
        "$.residents[0].hours_per_week",
    ),
    (
        "negative money",
        _doc(projects=[{"id": "p1", "name": "P", "community": "c", "budget_fen": -100}]),
        "$.projects[0].budget_fen",
    ),
    (
        "money as float",
        _doc(projects=[{"id": "p1", "name": "P", "community": "c", "budget_fen": 10.5}]),
        "$.projects[0].budget_fen",
    ),
    (
        "unknown stage",
        _doc(projects=[{"id": "p1", "name": "P", "community": "c", "stage": "runing"}]),
        "$.projects[0].stage",
    ),
    (
        "unknown relation",
        _doc(links=[{"source": "r1", "relation": "likes", "target": "p1"}]),
        "$.links[0].relation",
    ),
    (
        "derived relation as link",
        _doc(links=[{"source": "r1", "relation": "attended", "target": "p1"}]),
        "$.links[0].relation",
    ),
    (
        "bad level",
        _doc(residents=[{**R, "skills": [{"skill": "design", "level": 9}]}]),
        "$.residents[0].skills[0].level",
    ),
    (
        "bad date",
        _doc(
            activities=[
                {
                    "id": "a",
                    "name": "A",
                    "activity_kind": "outreach",
                    "date": "21/09/2019",
                    "place": "c",
                }
            ]
        ),
        "$.activities[0].date",
    ),
    (
        "dangling reference",
        _doc(residents=[{"id": "r1", "name": "A", "community": "cc"}]),
        "$.residents[0].community",
    ),
    (
        "dangling link",
        _doc(links=[{"source": "r1", "relation": "leads", "target": "p9"}]),
        "$.links[0].target",
    ),
    (
        "wrong kind",
        _doc(links=[{"source": "r1", "relation": "leads", "target": "c"}]),
        "$.links[0].target",
    ),
    (
        "duplicate ID",
        _doc(
            residents=[
                {"id": "r1", "name": "A", "community": "c"},
                {"id": "r1", "name": "B", "community": "c"},
            ]
        ),
        "$.residents[1].id",
    ),
    (
        "duplicate ID across kinds",
        _doc(projects=[{"id": "r1", "name": "P", "community": "c"}]),
        "$.projects[0].id",
    ),
    (
        "unknown skill",
        _doc(residents=[{**R, "skills": [{"skill": "grafic_design"}]}]),
        "$.residents[1].skills[0].skill",
    ),
    ("empty ID", _doc(residents=[{"id": "", "name": "A", "community": "c"}]), "$.residents[0].id"),
    (
        "bad taxonomy",
        _doc(skills=[{"id": "drone", "en": "Drone", "parent": "nowhere"}]),
        "$.skills",
    ),
]


@pytest.mark.parametrize(("name", "text", "path"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_documents_name_the_place(name: str, text: str, path: str) -> None:
    if name == "unknown skill":
        text = _doc(
            residents=[
                {"id": "r1", "name": "A", "community": "c"},
                {**R, "skills": [{"skill": "grafic_design"}]},
            ]
        )
    with pytest.raises(FormatError) as exc:
        vchuang.loads(text)
    paths = [p.path for p in exc.value.problems]
    assert any(p.startswith(path) for p in paths), paths


def test_unknown_skill_suggests_the_nearest() -> None:
    with pytest.raises(FormatError) as exc:
        vchuang.loads(_doc(residents=[{**R, "skills": [{"skill": "grafic_design"}]}]))
    assert "did you mean 'graphic_design'" in str(exc.value)


def test_every_problem_is_listed_at_once() -> None:
    text = _doc(
        residents=[
            {"id": "r1", "name": "A", "community": "nowhere"},
            {"id": "r2", "name": 5, "community": "c"},
            {"id": "r3", "name": "C", "community": "c", "hours_per_week": -1},
        ],
        links=[{"source": "r1", "relation": "leads", "target": "ghost"}],
    )
    with pytest.raises(FormatError) as exc:
        vchuang.loads(text)
    paths = sorted(p.path for p in exc.value.problems)
    assert paths == [
        "$.links[0].target",
        "$.residents[0].community",
        "$.residents[1].name",
        "$.residents[2].hours_per_week",
    ]


def test_a_reference_to_an_unreadable_record_is_not_reported_twice() -> None:
    text = _doc(
        residents=[{"id": "r1", "name": "A", "community": "c", "hours_per_week": -1}],
        links=[{"source": "r1", "relation": "leads", "target": "p1"}],
    )
    with pytest.raises(FormatError) as exc:
        vchuang.loads(text)
    assert [p.path for p in exc.value.problems] == ["$.residents[0].hours_per_week"]


def test_junk_never_raises_anything_but_format_error() -> None:
    rng = random.Random(7)
    junk = bytes(rng.getrandbits(8) for _ in range(10 * 1024 * 1024))
    with pytest.raises(FormatError):
        vchuang.loads(junk)
    with pytest.raises(FormatError):
        vchuang.loads("[" * 200_000)
    with pytest.raises(FormatError):
        vchuang.loads('{"format_version": 1, "residents": [' + "{}," * 300_000 + "{}]}")


@settings(max_examples=200)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "format_version",
                        "residents",
                        "id",
                        "name",
                        "community",
                        "links",
                        "districts",
                        "x",
                    ]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_any_json_value_gives_a_graph_or_format_error(value: Any) -> None:
    with contextlib.suppress(FormatError):
        vchuang.loads(json.dumps(value))


def test_too_many_problems_are_counted_not_listed() -> None:
    residents = [{"id": f"r{i}", "name": "A", "community": "nowhere"} for i in range(500)]
    with pytest.raises(FormatError) as exc:
        vchuang.loads(_doc(residents=residents))
    assert len(exc.value.problems) == jsonformat.MAX_PROBLEMS + 1
    assert "300 more" in exc.value.problems[-1].message


def test_save_is_atomic(
    tmp_path: Path, example: CommunityGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.json"
    vchuang.save(example, target)
    before = target.read_bytes()
    assert vchuang.load(target) == example

    bigger = example.copy()
    bigger.update("pn-r01", hours_per_week=20)

    def broken_fsync(fd: int) -> None:
        message = "disk full"
        raise OSError(message)

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        vchuang.save(bigger, target)
    monkeypatch.undo()
    assert target.read_bytes() == before  # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["data.json"]  # no temp file left
    vchuang.save(bigger, target)
    assert vchuang.load(target) == bigger


def test_load_accepts_open_files(tmp_path: Path, example: CommunityGraph) -> None:
    target = tmp_path / "data.json"
    vchuang.save(example, target)
    with target.open("rb") as fh:
        assert vchuang.load(fh) == example
    with target.open(encoding="utf-8") as fh:
        assert vchuang.load(fh) == example


def test_old_versions_are_upgraded(monkeypatch: pytest.MonkeyPatch) -> None:
    # pretend the current format is 2 and version 1 called the links "ties"
    monkeypatch.setattr(jsonformat, "FORMAT_VERSION", 2)

    def rename_ties(doc: dict[str, Any]) -> dict[str, Any]:
        doc["links"] = doc.pop("ties", [])
        return doc

    monkeypatch.setitem(jsonformat.UPGRADES, 1, rename_ties)
    old = json.loads(_doc())
    old["ties"] = [{"source": "r1", "relation": "leads", "target": "p1"}]
    g = vchuang.loads(json.dumps(old))
    assert [p.id for p in g.projects_led_by("r1")] == ["p1"]
    assert json.loads(vchuang.dumps(g))["format_version"] == 2


def test_custom_taxonomy_round_trips() -> None:
    extra = [{"id": "drone", "en": "drone flying", "zh": "无人机", "parent": "technology"}]
    g = vchuang.loads(
        _doc(skills=extra, residents=[{**R, "id": "r1", "skills": [{"skill": "drone"}]}])
    )
    assert g.taxonomy.parent("drone") == "technology"
    assert vchuang.loads(vchuang.dumps(g)) == g
    only = vchuang.loads(
        json.dumps(
            {
                "format_version": 1,
                "base_taxonomy": "none",
                "skills": extra[:1] and [{"id": "x", "en": "X"}],
            }
        )
    )
    assert len(only.taxonomy) == 1 and vchuang.loads(vchuang.dumps(only)) == only


@pytest.mark.parametrize("cls", list(RECORDS), ids=lambda c: c.__name__)
def test_every_record_kind_round_trips_through_the_converter(cls: type[Any]) -> None:
    @settings(max_examples=30)
    @given(RECORDS[cls])
    def check(record: Any) -> None:
        conv = jsonformat._FAST
        raw = json.loads(json.dumps(conv.unstructure(record), ensure_ascii=False))
        assert conv.structure(raw, cls) == record
        assert jsonformat._DETAILED.structure(raw, cls) == record

    check()


def test_there_is_a_strategy_for_every_entity_kind() -> None:
    from vchuang.model import entity_kinds

    assert set(entity_kinds().values()) <= set(RECORDS)


def test_saved_files_are_readable_by_others(tmp_path: Path, example: CommunityGraph) -> None:
    target = tmp_path / "data.json"
    old = os.umask(0o022)
    try:
        vchuang.save(example, target)
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o640)
    vchuang.save(example, target)  # replacing keeps the old file's mode
    assert target.stat().st_mode & 0o777 == 0o640


# --------------------------------------------------------------------------- the fast path
# Reading checks whole columns of records at once (vchuang.io._bulk), checks the graph in
# bulk (CommunityGraph._no_problem) and parses with orjson when installed; each only ever
# accepts, and everything else goes the careful, record-by-record way. These tests read
# the same documents both ways and demand the same graph or the same problems.


@contextlib.contextmanager
def _careful() -> Any:
    """Read record by record, check item by item, parse with the standard json."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(jsonformat, "BULK", False)
        mp.setattr(CommunityGraph, "_no_problem", lambda _self, _items: False)
        mp.setattr(jsonformat, "_fast_parser", lambda: None)
        yield


def _outcome(text: str | bytes) -> tuple[str, Any]:
    """What reading ``text`` gives, in full: every record and link (their reprs show the
    type of each value) and the adjacency lists, or every problem."""
    try:
        g = vchuang.loads(text)
    except FormatError as exc:
        return ("problems", [(p.path, p.message, p.hint) for p in exc.problems])
    return ("graph", ([repr(r) for r in g], [repr(x) for x in g.links()], g._adj, g._needs))


def _both_ways(text: str | bytes) -> tuple[tuple[str, Any], tuple[str, Any]]:
    fast = _outcome(text)
    with _careful():
        careful = _outcome(text)
    return fast, careful


def _old_adjacency(g: CommunityGraph) -> dict[Any, list[str]]:
    """The adjacency lists as the one-by-one ``_adj_add`` of earlier versions built them:
    each record's references in record order, then each link's two ends."""
    from vchuang.model import REFERENCES, Relation

    adj: dict[Any, list[str]] = {}
    for record in g:
        for ref in REFERENCES[record.kind]:
            value = getattr(record, ref.field)
            for target in () if value is None else value if ref.many else (value,):
                adj.setdefault((target, ref.relation, not ref.inward), []).append(record.id)
    for link in g.links():
        adj.setdefault((link.source, link.relation, False), []).append(link.target)
        inward = link.relation is not Relation.KNOWS
        adj.setdefault((link.target, link.relation, inward), []).append(link.source)
    return adj


def test_bulk_reading_equals_reading_record_by_record() -> None:
    g = vchuang.datasets.synthetic(400, rng=3)
    text = vchuang.dumps(g, indent=None)
    fast, careful = _both_ways(text)
    assert fast[0] == "graph"
    assert fast == careful
    loaded = vchuang.loads(text)
    assert loaded == g
    # every list in the same order (the order of the keys is never read)
    assert loaded._adj == _old_adjacency(loaded)


def test_a_kinds_references_give_different_relations() -> None:
    # CommunityGraph._apply fills the adjacency lists reference by reference within a
    # run of records of one kind; the order is the record-by-record one only because
    # no two references of a kind give the same relation.
    from vchuang.model import REFERENCES

    for refs in REFERENCES.values():
        assert len({(r.relation, r.inward) for r in refs}) == len(refs)


_BAD_VALUES: list[Any] = [
    None, "", " r1", "r1 ", 0, -1, 1.5, 2.0, True, False, "nope", [], {}, ["a", "a"],
    10**30, -(10**30), "2019-13-01", "2019-09-21", "Knows", "KNOWS", "Adult", "organized",
    "knows", "attended", 1880, 2101, 3, 5, float("nan"), float("inf"), "c001", "r0000001",
    "s01", "d", "c001-elders", "photography", "paiting", [{"skill": "photography"}],
    [{"skill": "photography", "level": 2}, {"skill": "photography", "level": 3}],
    [{"skill": "writing", "level": 2.0}], [{"skill": "writing", "level": "2"}],
    [{"id": "n9", "skill": "writing", "hours": 0}], [{"id": "n9", "resource": "money"}],
    ["r0000001", "r0000001"], ["zz"], [1, 2], "a\x00b", "x\ud800", ["r0000001\udc00"],
]  # fmt: skip


def _mutate(doc: dict[str, Any], rng: random.Random) -> None:
    """One random change that may (or may not) make ``doc`` wrong."""
    sections = [k for k, v in doc.items() if isinstance(v, list) and v]
    section = rng.choice([*sections, "residents", "links", "links"])
    records = doc.get(section) or doc["residents"]
    i = rng.randrange(len(records))
    record = records[i]
    what = rng.random()
    if what < 0.06:
        records[i] = rng.choice(["x", 5, None, []])
    elif what < 0.12:
        records.append(json.loads(json.dumps(record)))  # the same ID or link twice
    elif what < 0.22 and isinstance(record, dict) and record:
        del record[rng.choice(sorted(record))]
    elif isinstance(record, dict):
        fields = [*sorted(record), "nmae", "segments", "skills", "roles", "hours", "weight",
                  "age_band", "population", "needs", "attendance", "since"]  # fmt: skip
        record[rng.choice(fields)] = rng.choice(_BAD_VALUES)


def test_bulk_reading_gives_the_same_errors_on_a_corpus_of_bad_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vchuang.io import _bulk

    monkeypatch.setattr(_bulk, "CHUNK", 16)  # so that good and bad chunks mix
    base = json.loads(vchuang.dumps(vchuang.datasets.synthetic(90, rng=2), indent=None))
    rng = random.Random(23)
    kinds = {"graph": 0, "problems": 0}
    for _ in range(160):
        doc = json.loads(json.dumps(base))
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            _mutate(doc, rng)
        fast, careful = _both_ways(json.dumps(doc, ensure_ascii=False))
        assert fast == careful, doc
        kinds[fast[0]] += 1
    # the corpus holds both documents that are read and documents that are refused
    assert kinds["graph"] >= 1 and kinds["problems"] >= 100


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("links", "relation", "Knows"),  # other spellings of an enum value
        ("residents", "age_band", "ADULT"),
        ("activities", "activity_kind", "Mobilisation"),
        ("links", "weight", 2),  # a whole number where a number belongs
        ("residents", "hours_per_week", 3),
        ("residents", "skills", [{"skill": "writing", "level": 2.0}]),  # refused, as before
        ("residents", "skills", [{"skill": "writing", "level": True}]),
        ("links", "since", "20190921"),  # what date.fromisoformat reads
        ("residents", "roles", ["leader", "Volunteer"]),
    ],
)
def test_values_the_converter_accepts_read_the_same_in_bulk(
    section: str, field: str, value: Any
) -> None:
    doc = json.loads(vchuang.dumps(vchuang.datasets.synthetic(60, rng=2), indent=None))
    for record in doc[section][::3]:
        record[field] = value
    fast, careful = _both_ways(json.dumps(doc))
    assert fast == careful


@pytest.mark.parametrize(
    "text",
    [
        (
            '{"format_version": 1, "communities": [{"id": "c", "name": "C", "subdistrict": "s",'
            ' "population": 123456789012345678901234567890}], "subdistricts": [{"id": "s",'
            ' "name": "S", "district": "d"}], "districts": [{"id": "d", "name": "D"}]}'
        ),
        '{"format_version": 123456789012345678901234567890}',
        (
            '{"format_version": 1, "links": [{"source": "a", "relation": "knows", "target": "b",'
            ' "weight": 123456789012345678901234567890}]}'
        ),
        (
            '{"format_version": 1, "residents": [{"id": "r", "name": "A", "community": "c",'
            ' "hours_per_week": NaN}]}'
        ),
        (
            '{"format_version": 1, "residents": [{"id": "r", "name": "A", "community": "c",'
            ' "hours_per_week": 1e400}]}'
        ),
        '{"format_version": 1, "metadata": {"title": "\\ud800"}}',
        '{"format_version": 1, "metadata": {"title": "a", "title": "b"}}',
        '{"format_version": 1, "metadata": {"title": "0.1 + 0.2"}, "residents": []}',
        '\ufeff{"format_version": 1}',
        '{"format_version": 1,\n "residents": [\n  {"id": "r", }\n ]}',
        '{"format_version": 1, "residents": [',
        '{"format_version": 1} trailing',
        "[" * 3000 + "]" * 3000,
        "",
    ],
)
def test_a_faster_parser_gives_the_same_values_and_errors(text: str) -> None:
    fast, careful = _both_ways(text)
    assert fast == careful
    fast, careful = _both_ways(text.encode("utf-8", "surrogatepass"))
    assert fast == careful


def test_bytes_that_are_not_utf8_give_the_same_error() -> None:
    data = b'{"format_version": 1, "metadata": {"title": "\xff"}}'
    fast, careful = _both_ways(data)
    assert fast == careful
    assert fast[0] == "problems"


def test_loading_leaves_the_garbage_collector_as_it_was() -> None:
    import gc

    text = vchuang.dumps(vchuang.datasets.synthetic(50, rng=1))
    assert gc.isenabled()
    vchuang.loads(text)
    assert gc.isenabled()
    gc.disable()
    try:
        vchuang.loads(text)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(FormatError):
        vchuang.loads("{")
    assert gc.isenabled()


@pytest.mark.parametrize(
    "document",
    [
        b"1" * 5000,
        b'{"format": "vchuang", "format_version": ' + b"9" * 5000 + b"}",
        b'{"format": "vchuang", "format_version": 1, "residents": [{"id": "r1", "name": "A",'
        b' "community": "c", "birth_year": ' + b"1" * 40 + b"}]}",
    ],
)
def test_integers_past_4300_digits_raised_a_raw_value_error(document: bytes) -> None:
    # Python refuses to convert integers past 4,300 digits with a bare ValueError; every
    # vchuang reader (graph, ledger, incubator history) now says what is wrong instead.
    from vchuang.funding import load_ledger

    with pytest.raises(FormatError, match="digits; at most 30"):
        vchuang.loads(document)
    with pytest.raises(FormatError, match="digits; at most 30"):
        parse_json(document)
    path = Path(tempfile.mkdtemp()) / "ledger.json"
    path.write_bytes(document)
    with pytest.raises(FormatError, match="digits; at most 30"):
        load_ledger(path)
