"""Malformed input: every reader says what is wrong and where, never raises anything else.

Two halves: a kept corpus (``tests/data/malformed/<reader>/``, each file with its expected
error class and place in ``cases.json``: Pabulib, graph JSON (also through ``vchuang
validate``), the ledger's JSON, journal and accounts CSV, the incubator history and
sheets) and Hypothesis fuzzing (arbitrary bytes, truncations and byte mutations of real
documents; Pabulib here, the other readers in ``test_fuzz_readers.py``). The property is
always the same: *loaded, or a* :class:`~vchuang.errors.VchuangError` *whose message names
a place*.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vchuang
from vchuang import errors, funding
from vchuang.cli import main
from vchuang.errors import FormatError, VchuangError
from vchuang.incubator import Incubator
from vchuang.io import pabulib
from vchuang.io.documents import parse_json
from vchuang.io.tables import read_tables
from vchuang.selection import Election

HERE = Path(__file__).parent / "data"
MALFORMED = HERE / "malformed"
CORPUS = MALFORMED / "pabulib"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))["cases"]
REAL = [p.read_bytes() for p in sorted((HERE / "pabulib").glob("*.pb"))]

#: The kept corpus of every other reader: ``tests/data/malformed/<reader>/cases.json``.
READERS = ("graph", "ledger", "journal", "accounts", "history", "sheets")
KEPT = {
    reader: json.loads((MALFORMED / reader / "cases.json").read_text(encoding="utf-8"))["cases"]
    for reader in READERS
}


def test_the_corpus_is_there() -> None:
    files = {p.name for p in CORPUS.glob("*.pb")}
    assert len(files) >= 40
    assert files == set(CASES), "every file has a case and every case a file"
    for reader, cases in KEPT.items():
        kept = {
            p.name
            for p in (MALFORMED / reader).iterdir()
            if p.name != "cases.json" and not p.name.startswith("_")
        }
        assert kept == set(cases), f"{reader}: every file has a case and every case a file"
    # issue 17: at least 150 cases across all readers
    assert len(files) + sum(map(len, KEPT.values())) >= 150


# ------------------------------------------------------------- every other reader's corpus

_LEDGER = HERE / "json" / "small_ledger_v1.json"


def _read(reader: str, path: Path, case: dict[str, Any]) -> Any:
    """Read the corpus file ``path`` with ``reader`` (as ``cases.json`` says)."""
    if reader == "graph":
        return vchuang.load(path)
    if reader == "ledger":
        return funding.load_ledger(path)
    if reader == "journal":
        return funding.read_csv(path, accounts=funding.load_ledger(_LEDGER))
    if reader == "accounts":
        return funding.read_accounts_csv(path)
    if reader == "history":
        return Incubator.from_dict(parse_json(path.read_bytes()), vchuang.load_example())
    source = {case["table"]: path}
    if case["table"] != "communities":
        source = {"communities": MALFORMED / "sheets" / "_communities.csv", **source}
    return read_tables(source)


def _placed(problems: tuple[errors.Problem, ...], case: dict[str, Any]) -> errors.Problem:
    """The problem at the case's place, checked against its words and hint."""
    at = [p for p in problems if p.path == case["place"]]
    assert at, f"no problem at {case['place']!r}: {problems}"
    found = next((p for p in at if case["message"] in p.message), None)
    assert found is not None, f"{case['message']!r} not in {[p.message for p in at]}"
    if case.get("hint"):
        assert found.hint, "this problem says how to fix it"
    return found


@pytest.mark.parametrize(
    ("reader", "name"), [(r, n) for r in READERS for n in sorted(KEPT[r])], ids=str
)
def test_kept_corpus_case(reader: str, name: str) -> None:
    case = KEPT[reader][name]
    path = MALFORMED / reader / name
    if case["error"] is None:
        loaded = _read(reader, path, case)
        if "fen" in case:
            if reader == "journal":
                assert loaded.entries[0].amount_fen == case["fen"]
            else:
                assert loaded.graph.projects()[0].budget_fen == case["fen"]
        return
    with pytest.raises(getattr(errors, case["error"])) as info:
        _read(reader, path, case)
    _placed(info.value.problems, case)
    if reader in ("journal", "accounts", "sheets"):  # a sheet problem names its file
        named = [p for p in info.value.problems if p.path]
        assert all(p.path.startswith(name) for p in named), named
    else:  # a JSON problem names its JSON path
        assert all(p.path.startswith("$") or p.path == "" for p in info.value.problems)


@pytest.mark.parametrize("name", sorted(KEPT["graph"]))
def test_validate_names_the_place(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    """``vchuang validate`` on every graph of the corpus: exit 0 or 1, the place named,
    never a traceback."""
    case = KEPT["graph"][name]
    code = main(["validate", str(MALFORMED / "graph" / name)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if case["error"] is None:
        assert code == 0, err
    else:
        assert code == 1
        assert f"{case['place']}: " in err, err


@pytest.mark.parametrize("name", sorted(CASES))
def test_pabulib_corpus_case(name: str) -> None:
    case = CASES[name]
    with pytest.raises(getattr(errors, case["error"])) as info:
        pabulib.load(CORPUS / name)
    first = info.value.problems[0]
    assert first.path == case["place"]
    assert case["message"] in first.message
    assert first.hint, "every problem says how to fix it"
    assert all(p.path.startswith(name) for p in info.value.problems)


def _loaded_or_placed(data: bytes | str) -> None:
    """The fuzzing property: a file and its election, or a FormatError naming places."""
    problems: tuple[errors.Problem, ...] = ()
    try:
        pb = pabulib.loads(data, name="fuzz.pb")
        Election.from_pabulib(pb)
    except FormatError as exc:
        problems = exc.problems or (errors.Problem("", "no problem listed"),)
    except VchuangError as exc:  # pragma: no cover - would be a bug: say which
        pytest.fail(f"a {type(exc).__name__} without a place: {exc}")
    assert all(p.path.startswith("fuzz.pb") for p in problems), problems


@given(st.binary(max_size=2_000))
def test_arbitrary_bytes(data: bytes) -> None:
    _loaded_or_placed(data)


@given(st.text(max_size=500))
def test_arbitrary_text(data: str) -> None:
    # lone surrogates and NULs included: refused with their place
    _loaded_or_placed(data)


@given(st.sampled_from(REAL), st.floats(0, 1))
def test_truncated_real_elections(data: bytes, cut: float) -> None:
    _loaded_or_placed(data[: int(len(data) * cut)])


_NASTY = st.sampled_from([*b';,"\n\r\x00-.e9', 0xFF, 0xED, 0xC3])


@given(
    st.sampled_from(REAL),
    st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(["set", "drop", "insert"]), _NASTY),
        min_size=1,
        max_size=6,
    ),
)
def test_mutated_real_elections(data: bytes, edits: list[tuple[float, str, int]]) -> None:
    buf = bytearray(data)
    for where, how, byte in edits:
        k = min(int(where * len(buf)), len(buf) - 1)
        if how == "set":
            buf[k] = byte
        elif how == "drop":
            del buf[k : k + 7]
        else:
            buf[k:k] = bytes([byte])
    _loaded_or_placed(bytes(buf))


# --------------------------------------------------------------- regressions, by defect


def _doc(name: str = "Trees") -> str:
    return (
        "META\nkey;value\nbudget;30\nvote_type;approval\n"
        f"PROJECTS\nproject_id;cost;name\n1;10;Benches\n2;20;{name}\n"
        "VOTES\nvoter_id;vote\nv1;1,2\n"
    )


def test_non_utf8_bytes_were_a_unicode_decode_error() -> None:
    with pytest.raises(FormatError, match=r"x\.pb: line 8: not UTF-8"):
        pabulib.loads(_doc("Bäume").encode("latin-1"), name="x.pb")


def test_one_column_meta_was_an_index_error() -> None:
    with pytest.raises(FormatError, match=r"META header \(line 2\): the META header has 1"):
        pabulib.loads("META\nkey\nbudget\nPROJECTS\nproject_id;cost\nVOTES\nvoter_id;vote\n")


def test_quoted_field_over_128_kib_was_a_csv_error() -> None:
    big = '"' + "x" * (pabulib.MAX_FIELD_CHARS + 10) + '"'
    with pytest.raises(FormatError, match=r"PROJECTS row 2 \(line 8\).*more than 131,072"):
        pabulib.loads(_doc(big))


def test_integer_of_4301_digits_is_refused_before_int() -> None:
    with pytest.raises(FormatError, match="4301 digits, more than the 18 allowed"):
        pabulib.loads(_doc().replace("budget;30", "budget;" + "7" * 4301))


@pytest.mark.parametrize(("bad", "words"), [("\x00", "NUL"), ("\ud800", "U+D800")])
def test_nul_and_lone_surrogate_are_refused_with_the_place(bad: str, words: str) -> None:
    with pytest.raises(FormatError) as info:
        pabulib.loads(_doc(f"Tr{bad}ees"), name="x.pb")
    (problem,) = info.value.problems
    assert problem.path == "x.pb: PROJECTS row 2 (line 8), column name"
    assert words in problem.message


def test_size_limit_is_checked_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pabulib, "MAX_BYTES", 100)
    path = tmp_path / "big.pb"
    path.write_text(_doc() * 3, encoding="utf-8")
    with pytest.raises(FormatError, match=r"big\.pb: .* more than the 100 a \.pb file may have"):
        pabulib.load(path)
    with pytest.raises(FormatError, match="more than the 100"):
        pabulib.loads(_doc() * 3)


def test_messages_in_chinese() -> None:
    with pytest.raises(FormatError, match="不是 UTF-8 文本"):
        pabulib.loads(b"META\n\xff", lang="zh")
    with pytest.raises(FormatError, match="投给了不存在的项目"):
        pabulib.loads(_doc().replace("v1;1,2", "v1;9"), lang="zh")
