"""Malformed input: every reader says what is wrong and where, never raises anything else.

Two halves: a kept corpus (``tests/data/malformed/<reader>/``, each file with its expected
error class and place in ``cases.json``) and Hypothesis fuzzing (arbitrary bytes,
truncations and byte mutations of real documents). The property is always the same:
*loaded, or a* :class:`~vchuang.errors.VchuangError` *whose message names a place*.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vchuang import errors
from vchuang.errors import FormatError, VchuangError
from vchuang.io import pabulib
from vchuang.selection import Election

HERE = Path(__file__).parent / "data"
CORPUS = HERE / "malformed" / "pabulib"
CASES = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))["cases"]
REAL = [p.read_bytes() for p in sorted((HERE / "pabulib").glob("*.pb"))]


def test_the_corpus_is_there() -> None:
    files = {p.name for p in CORPUS.glob("*.pb")}
    assert len(files) >= 40
    assert files == set(CASES), "every file has a case and every case a file"


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
