"""Graphs in one Parquet file (vchuang.io.parquet): round trips, checks, errors, atomicity."""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import vchuang
from vchuang import CommunityGraph, Project
from vchuang.errors import FormatError, MissingDependencyError, ValidationError
from vchuang.io import parquet
from vchuang.io.parquet import load_parquet, save_parquet

from .strategies import graphs

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def pilot() -> CommunityGraph:
    return vchuang.load_example()


@pytest.fixture(scope="module")
def pilot_file(pilot: CommunityGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pq") / "pilot.parquet"
    save_parquet(pilot, path)
    return path


def _rewrite(source: Path, target: Path, change: Any, *, header: Any = None) -> None:
    """Write ``source``'s rows, changed by ``change(rows)``, to ``target`` (the header
    replaced by ``header`` when given)."""
    table = pq.read_table(source)
    rows = table.to_pylist()
    change(rows)
    schema = table.schema
    if header is not None:
        schema = schema.with_metadata({"vchuang": json.dumps(header)})
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), target)


def _row_of(rows: list[dict[str, Any]], section: str, index: int = 0) -> int:
    return [i for i, row in enumerate(rows) if row[section] is not None][index]


def test_pilot_round_trip(pilot: CommunityGraph, pilot_file: Path) -> None:
    assert load_parquet(pilot_file) == pilot


def test_load_and_save_dispatch_on_the_suffix(pilot: CommunityGraph, tmp_path: Path) -> None:
    vchuang.save(pilot, tmp_path / "g.parquet")
    vchuang.save(pilot, tmp_path / "g.json")
    assert (tmp_path / "g.parquet").read_bytes().startswith(b"PAR1")
    assert (tmp_path / "g.json").read_bytes().startswith(b"{")  # JSON stays the default
    assert vchuang.load(tmp_path / "g.parquet") == pilot
    assert vchuang.load(str(tmp_path / "g.json")) == pilot


def test_synthetic_district_round_trip_takes_the_fast_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = vchuang.datasets.synthetic(2_000, rng=1)
    save_parquet(graph, tmp_path / "d.parquet")

    def never(_file: object) -> None:
        msg = "read the careful way"
        raise AssertionError(msg)  # pragma: no cover

    monkeypatch.setattr(parquet, "_careful", never)
    assert load_parquet(tmp_path / "d.parquet") == graph


@given(graphs())
def test_round_trip_is_identity(graph: CommunityGraph) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "g.parquet"
        save_parquet(graph, path)
        assert load_parquet(path) == graph


def test_empty_graph_round_trip(tmp_path: Path) -> None:
    save_parquet(CommunityGraph(), tmp_path / "e.parquet")
    assert load_parquet(tmp_path / "e.parquet") == CommunityGraph()


def test_bad_value_names_file_section_row_and_column(pilot_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "bad.parquet"
    where: list[int] = []

    def blank_name(rows: list[dict[str, Any]]) -> None:
        where.append(_row_of(rows, "residents", 2))
        rows[where[0]]["residents"]["name"] = "   "

    _rewrite(pilot_file, target, blank_name, header=json.loads(_header_of(pilot_file)))
    with pytest.raises(FormatError) as info:
        load_parquet(target)
    (problem,) = info.value.problems
    assert problem.path == f"{target}: residents, row {where[0]}, column name"
    assert "第" in problem.path_in("zh")


def test_missing_reference_is_named(pilot_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "ref.parquet"

    def elsewhere(rows: list[dict[str, Any]]) -> None:
        rows[_row_of(rows, "residents", 1)]["residents"]["community"] = "nowhere"

    _rewrite(pilot_file, target, elsewhere, header=json.loads(_header_of(pilot_file)))
    with pytest.raises(FormatError) as info:
        load_parquet(target)
    assert any(p.path.endswith("column community") for p in info.value.problems)


def _header_of(path: Path) -> str:
    return str(pq.read_schema(path).metadata[b"vchuang"].decode())


def test_newer_version_is_refused(pilot_file: Path, tmp_path: Path) -> None:
    header = json.loads(_header_of(pilot_file))
    header["format_version"] = 99
    _rewrite(pilot_file, tmp_path / "new.parquet", lambda rows: None, header=header)
    with pytest.raises(FormatError, match=r"header \$\.format_version"):
        load_parquet(tmp_path / "new.parquet")


def test_wrong_tag_is_refused(pilot_file: Path, tmp_path: Path) -> None:
    header = json.loads(_header_of(pilot_file))
    header["format"] = "something-else"
    _rewrite(pilot_file, tmp_path / "tag.parquet", lambda rows: None, header=header)
    with pytest.raises(FormatError, match=r"header \$\.format"):
        load_parquet(tmp_path / "tag.parquet")


def test_plain_parquet_file_has_no_header(tmp_path: Path) -> None:
    pq.write_table(pa.table({"residents": [1, 2]}), tmp_path / "plain.parquet")
    with pytest.raises(FormatError, match="no vchuang header"):
        load_parquet(tmp_path / "plain.parquet")


def test_unknown_and_mistyped_columns(pilot_file: Path, tmp_path: Path) -> None:
    table = pq.read_table(pilot_file)
    extra = table.append_column("notes", pa.array(["x"] * table.num_rows))
    pq.write_table(extra, tmp_path / "extra.parquet")
    with pytest.raises(FormatError, match="unknown column 'notes'"):
        load_parquet(tmp_path / "extra.parquet")
    header = {b"vchuang": _header_of(pilot_file).encode()}
    wrong = pa.table({"residents": pa.array(["x"])}).replace_schema_metadata(header)
    pq.write_table(wrong, tmp_path / "wrong.parquet")
    with pytest.raises(FormatError, match="column 'residents' has type string"):
        load_parquet(tmp_path / "wrong.parquet")


def test_not_parquet_at_all(tmp_path: Path) -> None:
    (tmp_path / "g.parquet").write_text('{"format_version": 1}')
    with pytest.raises(FormatError, match="not a Parquet file"):
        load_parquet(tmp_path / "g.parquet")
    with pytest.raises(FileNotFoundError):
        load_parquet(tmp_path / "missing.parquet")


def test_byte_mutations_give_format_errors_only(pilot_file: Path, tmp_path: Path) -> None:
    """A corrupt file is refused with a FormatError, never a pyarrow exception: bytes
    flipped anywhere (data pages are checked by their CRC, the footer by the reader)."""
    data = pilot_file.read_bytes()
    rng = random.Random(23)
    target = tmp_path / "fuzz.parquet"
    refused = 0
    for _ in range(40):
        mutated = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        target.write_bytes(bytes(mutated))
        try:
            graph: Any = load_parquet(target)
        except FormatError as exc:
            refused += 1
            graph = exc
        if isinstance(graph, FormatError):
            assert all(str(target) in p.path for p in graph.problems)
        else:
            assert isinstance(graph, CommunityGraph)
    assert refused > 0
    target.write_bytes(data[: len(data) // 2])  # cut short
    with pytest.raises(FormatError):
        load_parquet(target)


def test_failed_save_leaves_the_old_file(pilot: CommunityGraph, tmp_path: Path) -> None:
    path = tmp_path / "g.parquet"
    save_parquet(pilot, path)
    before = path.read_bytes()
    huge = CommunityGraph()
    huge.add(vchuang.District(id="d", name="D"))
    huge.add(vchuang.Subdistrict(id="s", name="S", district="d"))
    huge.add(vchuang.Community(id="c", name="C", subdistrict="s"))
    huge.add(Project(id="p", name="P", community="c", budget_fen=2**70))
    with pytest.raises(ValidationError, match="budget_fen"):
        save_parquet(huge, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.parquet"]


def test_without_pyarrow_the_extra_is_named(
    pilot: CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingDependencyError, match="columnar"):
        save_parquet(pilot, tmp_path / "g.parquet")


def test_explicit_empty_list_beside_a_pair_is_read_as_written() -> None:
    """Regression: the bulk reader split ``[[], [a, b]]`` as ``[(a,), (b,)]`` (as many
    items as lists, taken for one item each)."""
    doc = json.loads(vchuang.dumps(vchuang.load_example()))
    first, second = doc["activities"][:2]
    first["skills"], second["skills"] = [], ["design", "crafts"]
    graph = vchuang.loads(json.dumps(doc))
    assert graph.get(first["id"]).skills == ()
    assert graph.get(second["id"]).skills == ("design", "crafts")
