"""The bulk paths of loading a graph give what the careful paths give (issue 23 item 1).

The graph's adjacency built in bulk (grouped by entity, relation by relation) must hold
every list in the order the graph has always kept (kind by kind and field by field for
the relations records give, link by link for links: :func:`_adjacency`); the
Parquet reader reads only the sections that hold records in each row group and reads
list columns flat, with the same values and the same errors as reading everything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import vchuang
from vchuang import CommunityGraph
from vchuang.datasets import synthetic
from vchuang.errors import FormatError
from vchuang.io import _bulk, parquet
from vchuang.io.parquet import load_parquet, save_parquet
from vchuang.model import REFERENCES, Relation, entity_kinds

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def district() -> CommunityGraph:
    return synthetic(600, rng=3)


def _one_at_a_time(graph: CommunityGraph) -> CommunityGraph:
    """``graph`` rebuilt by adding each record, then each link, on its own."""
    copy = CommunityGraph(taxonomy=graph.taxonomy, metadata=graph.metadata)
    for record in graph:
        copy.add(record)
    for link in graph.links():
        copy.add(link)
    return copy


def _adjacency(graph: CommunityGraph) -> dict[Any, list[str]]:
    """The adjacency lists of a graph loaded from a document, appended one by one in
    the documented order: each kind's records (one run) field by field, then each link's
    source side and target side (a symmetric relation's ends both look outward)."""
    adj: dict[Any, list[str]] = {}
    for kind in entity_kinds():
        records = graph.entities(kind)
        for ref in REFERENCES[kind]:
            for record in records:
                value = getattr(record, ref.field)
                for target in value if ref.many else () if value is None else (value,):
                    adj.setdefault((target, ref.relation, not ref.inward), []).append(record.id)
    for link in graph.links():
        rel = link.relation
        adj.setdefault((link.source, rel, False), []).append(link.target)
        adj.setdefault((link.target, rel, not rel.symmetric), []).append(link.source)
    return adj


def test_bulk_adjacency_is_in_the_order_of_adding_one_by_one(district: CommunityGraph) -> None:
    loaded = vchuang.loads(vchuang.dumps(district))
    slow = _one_at_a_time(district)
    assert len({link.relation for link in district.links()}) > 2  # several relations
    assert loaded._adj == _adjacency(district)  # equal keys, every list in its order
    some = district.ids("resident")[:50]
    for rid in some:
        assert loaded.links(rid) == slow.links(rid)
        assert loaded.neighbours(rid) == slow.neighbours(rid)
    project = district.ids("project")[0]
    assert loaded.links(target=project) == slow.links(target=project)
    assert loaded.volunteers(project) == slow.volunteers(project)


def test_bulk_adjacency_appends_to_lists_already_there(district: CommunityGraph) -> None:
    """Adding links to a graph that has some already extends each entity's lists."""
    links = district.links()
    half = len(links) // 2
    graph = CommunityGraph(taxonomy=district.taxonomy, metadata=district.metadata)
    graph.add(*district)
    graph.add(*links[:half])
    graph.add(*links[half:])
    whole = CommunityGraph(taxonomy=district.taxonomy, metadata=district.metadata)
    whole.add(*district)
    whole.add(*links)
    assert graph._adj == whole._adj
    spec = _adjacency(district)
    for key, ends in graph._adj.items():
        if not key[1].derived:
            assert ends == spec[key]
    knows = [x for x in links if x.relation is Relation.KNOWS]
    rid = knows[0].source
    ends = [x.target if x.source == rid else x.source for x in knows if rid in (x.source, x.target)]
    assert graph._adj[(rid, Relation.KNOWS, False)] == ends


def _small_row_groups(source: Path, target: Path, rows: int) -> None:
    table = pq.read_table(source)
    pq.write_table(table, target, row_group_size=rows, write_page_checksum=True)


def test_parquet_with_many_row_groups_round_trips(district: CommunityGraph, tmp_path: Path) -> None:
    save_parquet(district, tmp_path / "g.parquet")
    _small_row_groups(tmp_path / "g.parquet", tmp_path / "small.parquet", 97)
    assert pq.ParquetFile(tmp_path / "small.parquet").metadata.num_row_groups > 10
    assert load_parquet(tmp_path / "small.parquet") == district


def test_parquet_record_with_every_field_null_is_still_read(
    district: CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A section whose only record in a row group has every field null holds a record
    there: the error is the one reading every column gives (not "no record")."""
    save_parquet(district, tmp_path / "g.parquet")
    table = pq.read_table(tmp_path / "g.parquet")
    rows = table.to_pylist()
    where = next(i for i, row in enumerate(rows) if row["districts"] is not None)
    rows[where]["districts"] = dict.fromkeys(rows[where]["districts"])
    bad = tmp_path / "bad.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), bad, row_group_size=40)
    with pytest.raises(FormatError) as bulk:
        load_parquet(bad)
    monkeypatch.setattr(parquet, "_read_sections", lambda _pa, pf, _schema: pf.read())
    with pytest.raises(FormatError) as whole:
        load_parquet(bad)
    assert str(bulk.value) == str(whole.value)
    assert f"districts, row {where}, column id: must be text, got null" in str(bulk.value)


@pytest.mark.parametrize(
    ("hint", "values"),
    [
        (tuple[str, ...], [["a"], [], ["b", "c"], ["d"], []]),
        (tuple[Relation, ...], [["knows"], [], ["leads", "funds"]]),
        (tuple[str, ...], [["a"], [" padded "]]),  # read as it is; the field's check decides
        (tuple[int, ...], [[1], [2, 3]]),
    ],
)
def test_list_columns_read_flat_as_the_json_reader_reads_them(hint: Any, values: Any) -> None:
    read = _bulk._reader(hint)
    assert read is not None
    whole = hint == tuple[int, ...]
    arrow = pa.array(
        [[0] if whole else ["x"], *values], type=pa.list_(pa.int64() if whole else pa.string())
    )
    for array in (arrow.slice(1), pa.array(values, type=arrow.type)):
        assert parquet._tuples(hint, read, array) == read(array.to_pylist())
    unknown = pa.array([["nope"]], type=pa.list_(pa.string()))
    assert (
        parquet._tuples(tuple[Relation, ...], _bulk._reader(tuple[Relation, ...]), unknown) is None
    )
