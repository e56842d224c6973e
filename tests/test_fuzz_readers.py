"""Fuzzing every reader: any bytes give a loaded object or a VchuangError naming a place.

Issue 17: the graph JSON (:func:`vchuang.loads`, and ``vchuang validate``), the ledger's
JSON and its journal and accounts CSV, the incubator history and sheets (CSV and XLSX)
are fed arbitrary bytes, truncations and byte mutations of a small valid document (the
Pabulib reader is fuzzed in ``test_malformed.py``). The property is always the same:
*loaded, or a* :class:`~vchuang.errors.VchuangError` *whose problems each name a place*
(a JSON path, or the file). The examples are as many as the Hypothesis profile gives.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import vchuang
from vchuang import funding
from vchuang.cli import main
from vchuang.errors import Problem, VchuangError
from vchuang.incubator import Incubator
from vchuang.io.documents import parse_json
from vchuang.io.tables import _reading as reading
from vchuang.io.tables import read_tables

HERE = Path(__file__).parent / "data"
_EXAMPLE = vchuang.load_example()
_LEDGER = funding.load_ledger(HERE / "json" / "small_ledger_v1.json")

GRAPH = vchuang.dumps(_EXAMPLE, indent=None).encode()
LEDGER = (HERE / "json" / "small_ledger_v1.json").read_bytes()
JOURNAL = funding.write_csv_text(_LEDGER).encode("utf-8")
ACCOUNTS = (
    "id,name,name_zh,kind,owner,parent,may_go_negative\r\n"
    "mf,Micro-fund,微基金,micro_fund,,,false\r\ndonors,Donors,,outside,,,\r\n"
).encode("utf-8-sig")
HISTORY = json.dumps(
    {
        "format": "vchuang-incubator",
        "format_version": 1,
        "transitions": [
            {"project": "pn-p1", "from": "resource_linkage", "to": "running",
             "date": "2019-08-01", "who": "pn-sw1", "why": "seed money"}
        ],
    }
).encode()  # fmt: skip
RESIDENTS = (
    "姓名,社区,出生年份,技能,每周可用时间\n张浩,平南社区,1984,平面设计:4,8\n刘芳,平南,1986,演讲,4\n"
)
COMMUNITIES = "社区,街道,区\n平南社区,龙岗街道,龙岗区\n"


def _xlsx() -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "居民"
    for line in RESIDENTS.splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- the readers


def _in_file(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def read_graph(data: bytes, _tmp: Path) -> object:
    return vchuang.loads(data)


def read_ledger(data: bytes, tmp: Path) -> object:
    return funding.load_ledger(_in_file(tmp, "ledger.json", data))


def read_journal(data: bytes, tmp: Path) -> object:
    return funding.read_csv(_in_file(tmp, "journal.csv", data), accounts=_LEDGER)


def read_accounts(data: bytes, tmp: Path) -> object:
    return funding.read_accounts_csv(_in_file(tmp, "accounts.csv", data))


def read_history(data: bytes, _tmp: Path) -> object:
    return Incubator.from_dict(parse_json(data), _EXAMPLE)


def read_residents(data: bytes, tmp: Path, name: str = "residents.csv") -> object:
    communities = _in_file(tmp, "communities.csv", COMMUNITIES.encode())
    return read_tables({"communities": communities, "residents": _in_file(tmp, name, data)})


def read_workbook(data: bytes, tmp: Path) -> object:
    return read_residents(data, tmp, "residents.xlsx")


#: reader -> (how to read bytes, a small valid document, what every problem's place starts with)
READERS: dict[str, tuple[Callable[[bytes, Path], object], bytes, tuple[str, ...]]] = {
    "graph": (read_graph, GRAPH, ("$",)),
    "ledger": (read_ledger, LEDGER, ("$",)),
    "journal": (read_journal, JOURNAL, ("journal.csv",)),
    "accounts": (read_accounts, ACCOUNTS, ("accounts.csv",)),
    "history": (read_history, HISTORY, ("$",)),
    "sheets": (read_residents, RESIDENTS.encode("utf-8"), ("residents.csv", "communities.csv")),
}


def loaded_or_placed(reader: str, data: bytes, tmp: Path) -> None:
    """The fuzzing property: ``data`` is read, or refused with a VchuangError whose
    problems each name a place."""
    read, _, places = READERS.get(reader, (read_workbook, b"", ("residents.xlsx",)))
    problems: tuple[Problem, ...] = ()
    try:
        read(data, tmp)
    except VchuangError as exc:
        problems = getattr(exc, "problems", ())
        if not problems:
            pytest.fail(f"a {type(exc).__name__} without a place: {exc}")
    for problem in problems:
        if not problem.message.startswith("…"):  # "… and 12 more problems" has no place
            assert problem.path.startswith(places), (reader, problem)


# --------------------------------------------------------------------------- strategies

_NASTY = st.sampled_from([*b';,"\n\r\x00\\[]{}:-.e9', 0xFF, 0xED, 0xA0, 0xC3, 0xEF, 0xBB, 0xBF])


def mutated(document: bytes) -> st.SearchStrategy[bytes]:
    """``document`` with a few bytes set, dropped or inserted."""

    def apply(edits: list[tuple[float, str, int]]) -> bytes:
        buf = bytearray(document)
        for where, how, byte in edits:
            k = min(int(where * len(buf)), len(buf) - 1)
            if how == "set":
                buf[k] = byte
            elif how == "drop":
                del buf[k : k + 5]
            else:
                buf[k:k] = bytes([byte])
        return bytes(buf)

    edit = st.tuples(
        st.floats(0, 1), st.sampled_from(["set", "drop", "insert"]), _NASTY | st.integers(0, 255)
    )
    return st.lists(edit, min_size=1, max_size=6).map(apply)


def truncated(document: bytes) -> st.SearchStrategy[bytes]:
    return st.floats(0, 1).map(lambda cut: document[: int(len(document) * cut)])


def any_input(document: bytes) -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, truncations and mutations of ``document``."""
    return st.one_of(st.binary(max_size=600), truncated(document), mutated(document))


# --------------------------------------------------------------------------- the fuzzers


@pytest.mark.parametrize("reader", sorted(READERS))
def test_any_bytes_truncations_and_mutations(reader: str, tmp_path: Path) -> None:
    @given(any_input(READERS[reader][1]))
    def check(data: bytes) -> None:
        loaded_or_placed(reader, data, tmp_path)

    check()


def test_mutated_workbooks(tmp_path: Path) -> None:
    workbook = _xlsx()

    @given(any_input(workbook))
    def check(data: bytes) -> None:
        loaded_or_placed("workbook", data, tmp_path)

    check()


def test_validate_never_prints_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "data.json"

    @given(any_input(GRAPH))
    def check(data: bytes) -> None:
        path.write_bytes(data)
        code = main(["validate", str(path)])
        err = capsys.readouterr().err
        assert code in (0, 1)
        assert "Traceback" not in err
        if code == 1:
            assert "$" in err, err  # the place of at least one problem

    check()


# --------------------------------------------------------------------------- regressions


def test_a_zip_that_python_cannot_read_was_a_not_implemented_error(tmp_path: Path) -> None:
    """A workbook whose zip directory claims a newer zip version made :mod:`zipfile` raise
    ``NotImplementedError`` out of the size check; it is now a problem of the workbook."""
    buf = bytearray(_xlsx())
    at = buf.rfind(b"PK\x01\x02")  # the last central-directory entry
    buf[at + 6 : at + 8] = (243).to_bytes(2, "little")  # "version needed to extract": 24.3
    with pytest.raises(VchuangError) as info:
        read_workbook(bytes(buf), tmp_path)
    assert info.value.problems[0].path == "residents.xlsx"  # type: ignore[attr-defined]


def test_a_cell_over_the_csv_limit_in_the_first_lines_was_a_csv_error(tmp_path: Path) -> None:
    """The delimiter sniffing read the first lines with the csv module unguarded: a cell
    over 131,072 characters there raised ``_csv.Error``."""
    data = (RESIDENTS + '张浩,平南社区,1984,"' + "x" * 132_000 + '",8\n').encode()
    with pytest.raises(VchuangError, match=r"residents\.csv:4: cannot read the rest"):
        read_residents(data, tmp_path)


def test_a_ledger_name_with_a_lone_surrogate_loaded_then_broke_save(tmp_path: Path) -> None:
    doc = json.loads(LEDGER)
    doc["name"] = "小\ud800账本"
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ensure_ascii: "\\ud800"
    with pytest.raises(VchuangError, match=r"\$\.name: holds a lone surrogate U\+D800"):
        funding.load_ledger(path)


def test_an_unclosed_quote_in_a_journal_was_read_as_one_long_memo(tmp_path: Path) -> None:
    data = JOURNAL + b'E9,2020-06-01,donation,residents,mf,5,,,,,"never closed,\r\n'
    with pytest.raises(VchuangError, match=r"journal\.csv:\d+: cannot be read as CSV"):
        read_journal(data, tmp_path)


@pytest.mark.parametrize(
    "year",
    ["\u0661\u0669\u0668\u0664", "\u0967\u096f\u096e\u096a", "\u0661\u0669\u0668\u0664-05-03"],
)
def test_other_scripts_digits_were_read_as_a_year(year: str, tmp_path: Path) -> None:
    data = f"姓名,社区,出生年份\n张浩,平南社区,{year}\n".encode()
    with pytest.raises(VchuangError, match=r"residents\.csv:2 \(column 出生年份\)"):
        read_residents(data, tmp_path)


def test_a_long_cell_is_not_repeated_whole_in_the_message(tmp_path: Path) -> None:
    data = ("姓名,社区,出生年份\n张浩,平南社区," + "1" * 5000 + "\n").encode()
    with pytest.raises(VchuangError) as info:
        read_residents(data, tmp_path)
    assert len(str(info.value)) < 300, str(info.value)


# --------------------------------------------------------------------------- zip bombs


def _bomb(parts: int, each: int) -> bytes:
    """A zip of ``parts`` parts, each ``each`` zero bytes deflated (small on disk)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        for i in range(parts):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", b"\0" * each)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_XLSX_INFLATED", 2**20)
    data = _bomb(3, 2**20)  # 3 MiB unpacked, a few KiB on disk
    assert len(data) < 20_000
    with pytest.raises(VchuangError, match=r"residents\.xlsx: .*unpack"):
        read_workbook(data, tmp_path)


def test_a_zip_of_too_many_parts_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MAX_XLSX_PARTS", 50)
    with pytest.raises(VchuangError, match=r"residents\.xlsx: .*50"):
        read_workbook(_bomb(60, 10), tmp_path)


# --------------------------------------------------------------------------- stale temp files


def _pid_of_ended() -> int:
    """The number of a process that has ended."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_killed_saves_temporary_files_are_removed_by_the_next_save(tmp_path: Path) -> None:
    """Issue 17: killed saves left ``.NAME.*.tmp`` files that nothing removed. The next
    save of the same path removes those whose writer is gone, or that are old; a file a
    running save may still be writing, and other targets' files, are left alone."""
    import os
    import time

    from vchuang.io import _tempfiles

    target = tmp_path / "data.json"
    host = _tempfiles.prefix(target).rsplit("-", 1)[1].rstrip(".")
    dead = _pid_of_ended()
    old = time.time() - 2 * _tempfiles.STALE_SECONDS
    day_old = time.time() - 2 * _tempfiles.PID_REUSED_SECONDS
    files = {
        # gone: its writer has ended, or it is old and cannot be checked
        f".data.json.{dead}-{host}.abcd1234.tmp": ("gone", None),
        ".data.json.k2j4h5g6.tmp": ("gone", old),  # the name before pids, old
        f".data.json.{dead}-ffffff.abcd1234.tmp": ("gone", old),  # another machine, old
        f".data.json.{os.getpid()}-{host}.abcd1234.tmp": ("gone", day_old),  # pid reused
        # kept: a running save may be writing it, or it is not this target's
        f".data.json.{os.getpid()}-{host}.live0001.tmp": ("kept", None),  # alive, here
        ".data.json.fresh123.tmp": ("kept", None),  # old name, but fresh
        f".data.json.{dead}-ffffff.fresh123.tmp": ("kept", None),  # another machine, fresh
        f".data.json.bak.{dead}-{host}.abcd1234.tmp": ("kept", None),  # data.json.bak's
        f".data.{dead}-{host}.abcd1234.tmp": ("kept", None),  # data's
        ".data.json.backup.tmp": ("kept", old),  # not a name vchuang writes
        "data.json.tmp": ("kept", old),
    }
    for name, (_, mtime) in files.items():
        (tmp_path / name).write_text("half a document")
        if mtime is not None:
            os.utime(tmp_path / name, (mtime, mtime))
    vchuang.save(vchuang.load_example(), target)
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"data.json"} | {n for n, (fate, _) in files.items() if fate == "kept"}
    assert vchuang.load(target) == vchuang.load_example()


def test_every_writer_cleans_its_own_leftovers(tmp_path: Path) -> None:
    from vchuang.io import _tempfiles

    dead = _pid_of_ended()
    host = _tempfiles.prefix(tmp_path / "x").rsplit("-", 1)[1].rstrip(".")
    for name, write in (
        ("ledger.json", lambda p: funding.save_ledger(_LEDGER, p)),
        ("journal.csv", lambda p: funding.write_csv(_LEDGER, p)),
        ("accounts.csv", lambda p: funding.write_accounts_csv(_LEDGER.accounts.values(), p)),
    ):
        stale = tmp_path / f".{name}.{dead}-{host}.abcd1234.tmp"
        stale.write_text("half")
        write(tmp_path / name)
        assert not stale.exists(), name
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "accounts.csv",
        "journal.csv",
        "ledger.json",
    ]


def test_a_temporary_file_names_its_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a concurrent save sees while this one writes: ``.NAME.<pid>-<host>.<8>.tmp``."""
    import os
    import re

    from vchuang.io import _json

    seen: list[str] = []
    real = os.fsync

    def spy(fd: int) -> None:
        seen.extend(p.name for p in tmp_path.iterdir())
        real(fd)

    monkeypatch.setattr(_json.os, "fsync", spy)
    vchuang.save(vchuang.load_example(), tmp_path / "g.json")
    (name,) = seen
    assert re.fullmatch(rf"\.g\.json\.{os.getpid()}-[0-9a-f]{{6}}\.[a-z0-9_]{{8}}\.tmp", name)
