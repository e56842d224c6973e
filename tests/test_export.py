"""Exports: GraphML and GEXF read back by networkx, DataFrames, CSV for Excel, and no
name leaks out of a pseudonymous export (the outputs are scanned)."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings

import vchuang
from strategies import graphs
from vchuang import CommunityGraph, Relation, Resident
from vchuang.errors import MissingDependencyError
from vchuang.io.export import (
    export_tables,
    flat_graph,
    to_csv,
    to_dataframe,
    to_dataframes,
    to_files,
    to_gexf,
    to_graphml,
)
from vchuang.privacy import is_minor, keyed_id

KEY = "test key: sixteen bytes or more"


@pytest.fixture(scope="module")
def pilot() -> CommunityGraph:
    from vchuang.datasets import longgang_pilot

    g = longgang_pilot()
    # a consenting adult and a minor with a real-looking name, to check both ways
    g.add(
        Resident(
            id="zz-ok",
            name="Gao Mingyuan",
            community="pingnan",
            birth_year=1975,
            consent_to_name=True,
        ),
        Resident(
            id="zz-kid",
            name="Xu Xiaoyu",
            community="pingnan",
            birth_year=2011,
            consent_to_name=True,
        ),
    )
    return g


def _names(g: CommunityGraph) -> list[str]:
    return [r.name for r in g.residents()]


def _outputs(g: CommunityGraph, tmp: Path, **kw: object) -> str:
    """Every export of ``g`` as one text, to scan."""
    to_gexf(g, tmp / "g.gexf", **kw)  # type: ignore[arg-type]
    to_graphml(g, tmp / "g.graphml", **kw)  # type: ignore[arg-type]
    to_csv(g, tmp / "csv", **kw)  # type: ignore[arg-type]
    texts = [(tmp / "g.gexf").read_text("utf-8"), (tmp / "g.graphml").read_text("utf-8")]
    texts += [p.read_text("utf-8-sig") for p in sorted((tmp / "csv").iterdir())]
    pytest.importorskip("pandas")
    texts += [frame.to_csv() for frame in to_dataframes(g, **kw).values()]  # type: ignore[arg-type]
    return "\n".join(texts)


# --------------------------------------------------------------------------- Gephi


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_files_read_back_with_networkx(
    example: CommunityGraph, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"g.{fmt}"
    write, read = {"graphml": (to_graphml, nx.read_graphml), "gexf": (to_gexf, nx.read_gexf)}[fmt]
    write(example, path, reveal="ids")
    back = read(path)
    assert back.is_directed()
    assert set(back.nodes) == {r.id for r in example}
    assert back.number_of_edges() == sum(1 for _ in example.edges())
    r = back.nodes["pn-r01"]
    assert r["kind"] == "resident" and r["label"] == "Resident pn-r01"
    assert r["skills"] == "graphic_design:4;public_speaking:2"
    assert r["roles"] == "volunteer;leader" and r["age_band"] == "adult"
    assert "birth_year" not in r and "name" in r
    assert back.nodes["pingnan"]["population"] == 12000
    assert isinstance(r["hours_per_week"], float)
    assert back.nodes["pn-p1"]["budget_fen"] == 300000
    assert back.nodes["pn-p1"]["needs"] == "graphic_design;press_release"
    assert back.nodes["pn-a1"]["date"] == "2019-06-15"
    relations = sorted(d["relation"] for _, _, d in back.edges(data=True))
    expected = sorted(rel.value for _, _, rel, _ in example.edges())
    assert relations == expected


@settings(max_examples=25, deadline=None)
@given(graphs())
def test_any_graph_goes_to_gephi_and_back(g: CommunityGraph) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        for name, write, read in (
            ("g.graphml", to_graphml, nx.read_graphml),
            ("g.gexf", to_gexf, nx.read_gexf),
        ):
            path = Path(d) / name
            write(g, path, key=KEY)
            back = read(path)
            assert back.number_of_nodes() == len(g)
            assert back.number_of_edges() == sum(1 for _ in g.edges())


def test_same_key_same_file(example: CommunityGraph, tmp_path: Path) -> None:
    for name, write in (("a.gexf", to_gexf), ("a.graphml", to_graphml)):
        write(example, tmp_path / name, key=KEY)
        write(example, tmp_path / f"b{name}", key=KEY)
        assert (tmp_path / name).read_bytes() == (tmp_path / f"b{name}").read_bytes()
    text = (tmp_path / "a.gexf").read_text("utf-8")
    assert 'lastmodifieddate="2019-12-31"' in text
    assert keyed_id("pn-r01", KEY, prefix="r") in text and "pn-r01" not in text


def test_only_some_relations(example: CommunityGraph) -> None:
    g = flat_graph(example, reveal="ids", relations=[Relation.KNOWS, "leads"])
    assert {d["relation"] for _, _, d in g.edges(data=True)} == {"knows", "leads"}
    assert g.number_of_nodes() == len(example)


# --------------------------------------------------------------------------- tables


def test_tables_cover_every_kind(example: CommunityGraph) -> None:
    tables = export_tables(example, reveal="all")
    assert list(tables) == [
        "metadata",
        "taxonomy",
        "districts",
        "subdistricts",
        "communities",
        "segments",
        "organizations",
        "groups",
        "residents",
        "projects",
        "activities",
        "resources",
        "calls",
        "proposals",
        "needs",
        "attendance",
        "links",
    ]
    assert len(tables["residents"][1]) == len(example.residents())
    assert len(tables["links"][1]) == len(example.links())
    assert len(tables["attendance"][1]) == sum(len(a.attendees) for a in example.activities())
    assert len(tables["needs"][1]) == sum(len(p.needs) for p in example.projects())


def test_csv_for_excel(example: CommunityGraph, tmp_path: Path) -> None:
    written = to_csv(example, tmp_path / "out", key=KEY)
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in written)
    residents = (tmp_path / "out" / "residents.csv").read_text("utf-8-sig").splitlines()
    assert residents[0] == (
        "id,name,community,birth_year,age_band,segments,skills,interests,"
        "hours_per_week,roles,consent_to_name,household,building"
    )
    with (tmp_path / "out" / "residents.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert "\r\n" in fh.read()
    assert "平南社区" in (tmp_path / "out" / "communities.csv").read_text("utf-8-sig")
    assert not list((tmp_path / "out").glob(".*"))  # no temporary files left


def test_dataframes(example: CommunityGraph) -> None:
    pd = pytest.importorskip("pandas")
    frames = to_dataframes(example, key=KEY)
    assert set(frames) >= {"residents", "links", "needs", "attendance", "skills"}
    residents = frames["residents"]
    assert len(residents) == len(example.residents())
    assert residents["id"].str.startswith("r-").all()
    assert pd.api.types.is_datetime64_any_dtype(frames["activities"]["date"])
    assert frames["skills"].columns.tolist() == ["resident", "skill", "level"]
    assert len(frames["skills"]) == sum(len(r.skills) for r in example.residents())
    summary = to_dataframe(example.summary())
    assert summary.loc[0, "residents"] == 9
    assert to_dataframe([{"a": 1}, {"a": 2}])["a"].sum() == 3
    with pytest.raises(TypeError):
        to_dataframe({"a": 1})
    with pytest.raises(TypeError):
        to_dataframe([1, 2])


def test_dataframes_without_pandas_say_which_extra(
    example: CommunityGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingDependencyError, match=r"vchuang\[pandas\]"):
        to_dataframes(example)


# --------------------------------------------------------------------------- no leaks


def test_pseudonymous_exports_leak_no_name(pilot: CommunityGraph, tmp_path: Path) -> None:
    text = _outputs(pilot, tmp_path, key=KEY)
    leaked = [n for n in _names(pilot) if n in text]
    assert leaked == []
    # nor the original resident IDs, nor households
    assert not [r.id for r in pilot.residents() if f"{r.id}," in text or f'"{r.id}"' in text]
    assert not [r.household for r in pilot.residents() if r.household and f"{r.household}," in text]
    # nor free text written by people
    descriptions = [p.description for p in pilot.projects() if len(p.description) > 20]
    descriptions += [a.description for a in pilot.activities() if len(a.description) > 20]
    assert descriptions and not [d for d in descriptions if d in text]


def test_ids_level_leaks_no_name(pilot: CommunityGraph, tmp_path: Path) -> None:
    text = _outputs(pilot, tmp_path, reveal="ids")
    assert [n for n in _names(pilot) if n in text] == []


def test_consented_level_names_only_consenting_adults(
    pilot: CommunityGraph, tmp_path: Path
) -> None:
    text = _outputs(pilot, tmp_path, reveal="consented")
    shown = [n for n in _names(pilot) if n in text]
    assert shown == ["Gao Mingyuan"]


def test_all_level_never_names_a_minor(pilot: CommunityGraph, tmp_path: Path) -> None:
    text = _outputs(pilot, tmp_path, reveal="all")
    minors = [r for r in pilot.residents() if is_minor(r, pilot.metadata.as_of)]
    assert len(minors) > 10
    assert [r.name for r in minors if r.name in text] == []
    assert "Gao Mingyuan" in text and pilot.get("pn-r001").name in text


def test_default_export_is_pseudonymous(example: CommunityGraph, tmp_path: Path) -> None:
    to_gexf(example, tmp_path / "g.gexf")  # no key, no reveal
    text = (tmp_path / "g.gexf").read_text("utf-8")
    assert "Zhang Hao" not in text and "pn-r01" not in text and 'label="Resident r-' in text
    assert vchuang.load_example() == example  # the graph itself is not changed


def test_csv_cells_that_look_like_formulas_are_guarded(tmp_path: Path) -> None:
    from vchuang.io import read_tables

    g = vchuang.load_example()
    g.update("pn-r02", name='=HYPERLINK("x")')
    g.update("pn-p1", description="-2 floors, +3 doors @ night")
    to_csv(g, tmp_path, reveal="all")
    text = (tmp_path / "residents.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    back = read_tables(tmp_path).graph
    assert back.get("pn-r02").name == '=HYPERLINK("x")'
    assert back.get("pn-p1").description == "-2 floors, +3 doors @ night"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- issue 20 item 5
# Regression tests named after the defects: exports that tools take as they are.


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_to_networkx_could_not_be_written_by_networkx(
    example: CommunityGraph, tmp_path: Path, fmt: str
) -> None:
    """``to_networkx()`` carries records and enums; ``flat=True`` carries scalars only."""
    flat = example.to_networkx(flat=True)
    for _, data in flat.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    path = tmp_path / f"g.{fmt}"
    write = nx.write_graphml if fmt == "graphml" else nx.write_gexf
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    write(flat, path)
    back = read(path)
    assert back.number_of_nodes() == example.nx.number_of_nodes()
    assert back.number_of_edges() == example.nx.number_of_edges()
    r01 = back.nodes["pn-r01"]
    assert (r01["kind"], r01["community"], r01["roles"]) == (
        "resident",
        "pingnan",
        "volunteer;leader",
    )
    assert r01["skills"] == "graphic_design:4;public_speaking:2"
    relations = {d["relation"] for _, _, d in back.edges(data=True)}
    assert "leads" in relations


def test_to_networkx_flat_keeps_only_some_relations(example: CommunityGraph) -> None:
    flat = example.to_networkx(["knows"], flat=True)
    assert {d["relation"] for _, _, d in flat.edges(data=True)} == {"knows"}
    assert example.to_networkx()["pn-r01"] == example.nx["pn-r01"]  # unflat: as before


def test_social_graph_nodes_carried_no_attributes(example: CommunityGraph, tmp_path: Path) -> None:
    g = example.social_graph()
    r = example.get("pn-r01", Resident)
    assert g.nodes["pn-r01"] == {
        "community": r.community,
        "roles": ";".join(x.value for x in r.roles),
        "segments": ";".join(r.segments),
    }
    nx.write_graphml(g, tmp_path / "social.graphml")
    assert nx.read_graphml(tmp_path / "social.graphml").number_of_nodes() == len(g)


def test_to_dataframe_rejected_monthly_and_reach_segments(example: CommunityGraph) -> None:
    pytest.importorskip("pandas")
    from vchuang import indicators, reach

    monthly = to_dataframe(indicators.monthly(example))
    assert len(monthly) == len(indicators.monthly(example)) and "attendance" in monthly
    report = reach.reach_report(example)
    segments = to_dataframe(report.segments)
    assert len(segments) == len(report.segments)
    assert to_dataframe(report, table="segments").equals(segments)


def test_to_dataframe_silently_returned_one_table_of_a_reach_report(
    example: CommunityGraph,
) -> None:
    pytest.importorskip("pandas")
    from vchuang import ValidationError, reach

    report = reach.reach_report(example)
    with pytest.raises(ValidationError, match="several tables") as exc:
        to_dataframe(report)
    assert "'points'" in exc.value.problems[0].hint and "'segments'" in exc.value.problems[0].hint
    with pytest.raises(ValidationError, match="no table 'people'"):
        to_dataframe(report, table="people")
    assert len(to_dataframe(report, table="points")) == len(report.points)
    with pytest.raises(ValidationError, match="one table"):
        to_dataframe(example.summary(), table="points")


def test_csv_had_no_gb18030_option_for_older_wps(example: CommunityGraph, tmp_path: Path) -> None:
    from vchuang import ValidationError
    from vchuang.io.tables import read_tables

    paths = to_csv(example, tmp_path / "gbk", reveal="all", encoding="gb18030")
    data = (tmp_path / "gbk" / "communities.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "平南" in data.decode("gb18030") and len(paths) == len(to_csv(example, tmp_path / "u8"))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    back = read_tables(tmp_path / "gbk").graph
    assert back.ids("resident") == example.ids("resident")
    with pytest.raises(ValidationError, match="not an encoding Python knows") as exc:
        to_csv(example, tmp_path / "bad", encoding="gb-18030x")
    assert "gb18030" in exc.value.problems[0].hint and not (tmp_path / "bad").exists()


# --------------------------------------------------------------------------- one key per call


def _resident_ids(written: dict[str, Path]) -> tuple[set[str], set[str], set[str]]:
    """The resident IDs (pseudonyms) in the GEXF, GraphML and CSV files of one call."""
    import csv

    gexf = nx.read_gexf(written["gexf"])
    graphml = nx.read_graphml(written["graphml"])
    with (written["csv"] / "residents.csv").open(encoding="utf-8-sig", newline="") as fh:
        tables = {row["id"] for row in csv.DictReader(fh)}
    return (
        {n for n, d in gexf.nodes(data=True) if d["kind"] == "resident"},
        {n for n, d in graphml.nodes(data=True) if d["kind"] == "resident"},
        tables,
    )


def test_exports_without_a_key_gave_one_person_different_pseudonyms_in_gexf_and_graphml(
    example: CommunityGraph, tmp_path: Path
) -> None:
    """One call writes every format with one key: a resident has one pseudonym in all."""
    first = to_files(example, tmp_path / "a")
    assert list(first) == ["gexf", "graphml", "csv"]
    gexf, graphml, tables = _resident_ids(first)
    assert gexf == graphml == tables and len(gexf) == len(example.residents())
    assert all(i.startswith("r-") for i in gexf) and "pn-r01" not in gexf
    # the links name the same pseudonyms as the nodes
    links = (first["csv"] / "links.csv").read_text("utf-8-sig")
    assert any(i in links for i in gexf)
    # two calls without a key cannot be linked
    again, _, _ = _resident_ids(to_files(example, tmp_path / "b"))
    assert again.isdisjoint(gexf)


def test_to_files_with_a_key_writes_what_the_single_writers_write(
    example: CommunityGraph, tmp_path: Path
) -> None:
    written = to_files(example, tmp_path, name="pingnan", key=KEY, relations=["knows"])
    to_gexf(example, tmp_path / "one.gexf", key=KEY, relations=["knows"])
    to_graphml(example, tmp_path / "one.graphml", key=KEY, relations=["knows"])
    to_csv(example, tmp_path / "one", key=KEY)
    assert written["gexf"].read_bytes() == (tmp_path / "one.gexf").read_bytes()
    assert written["graphml"].read_bytes() == (tmp_path / "one.graphml").read_bytes()
    for path in (tmp_path / "one").iterdir():
        assert (written["csv"] / path.name).read_bytes() == path.read_bytes()
    assert keyed_id("pn-r01", KEY, prefix="r") in _resident_ids(written)[0]


def test_to_files_formats_and_refusals(example: CommunityGraph, tmp_path: Path) -> None:
    from vchuang import ValidationError

    only = to_files(example, tmp_path / "g", ["GraphML"], reveal="ids")
    assert list(only) == ["graphml"] and [p.name for p in (tmp_path / "g").iterdir()] == [
        "graph.graphml"
    ]
    assert "pn-r01" in nx.read_graphml(only["graphml"])
    with pytest.raises(ValidationError, match="unknown export formats: 'pdf'") as exc:
        to_files(example, tmp_path / "bad", ["gexf", "pdf"])
    assert "'graphml'" in exc.value.problems[0].hint
    with pytest.raises(ValidationError, match="no export format"):
        to_files(example, tmp_path / "bad", [])
    with pytest.raises(ValidationError, match="not an encoding"):
        to_files(example, tmp_path / "bad", encoding="gb-18030x")
    assert not (tmp_path / "bad").exists()  # nothing written when refused


# --------------------------------------------------------------------------- property: flat networkx


def _xml_text(data: dict[str, object]) -> dict[str, object]:
    """``data`` as an XML parser gives element text back: line ends normalised to ``\\n``
    (XML 1.0, section 2.11), which GraphML keeps in element text."""
    return {
        k: v.replace("\r\n", "\n").replace("\r", "\n") if isinstance(v, str) else v
        for k, v in data.items()
    }


@settings(max_examples=25, deadline=None)
@given(graphs())
def test_any_graph_survives_the_flat_networkx_round_trip(g: CommunityGraph) -> None:
    """``to_networkx(flat=True)`` written by networkx (GraphML and GEXF) reads back with the
    same nodes, edges and scalar attributes (there is no reader back to a graph)."""
    import io

    flat = g.to_networkx(flat=True)
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer)
    buffer.seek(0)
    back = nx.read_graphml(buffer, force_multigraph=True)
    assert set(back.nodes) == set(flat.nodes)
    for node, data in flat.nodes(data=True):
        assert back.nodes[node] == _xml_text(data)
    edges = sorted((u, w, d["relation"]) for u, w, d in flat.edges(data=True))
    assert sorted((u, w, d["relation"]) for u, w, d in back.edges(data=True)) == edges
    for u, w, k, data in flat.edges(keys=True, data=True):
        assert back.edges[u, w, k] == _xml_text(data)
    buffer = io.BytesIO()
    nx.write_gexf(flat, buffer)
    buffer.seek(0)
    gexf = nx.read_gexf(buffer)
    assert set(gexf.nodes) == set(flat.nodes)
    assert gexf.number_of_edges() == flat.number_of_edges()
    for node, data in flat.nodes(data=True):
        assert {k: v for k, v in gexf.nodes[node].items() if k in data} == data


def test_flat_networkx_with_a_control_character_gave_an_unreadable_graphml(
    example: CommunityGraph, tmp_path: Path
) -> None:
    """A name with a control character (pasted from a form) made XML no parser reads."""
    example.update("pn-r02", name="Li\x01Na")
    flat = example.to_networkx(flat=True)
    nx.write_graphml(flat, tmp_path / "g.graphml")
    nx.write_gexf(flat, tmp_path / "g.gexf")
    assert nx.read_graphml(tmp_path / "g.graphml").nodes["pn-r02"]["label"] == "Li\ufffdNa"
    assert nx.read_gexf(tmp_path / "g.gexf").nodes["pn-r02"]["label"] == "Li\ufffdNa"


def test_flat_networkx_hours_written_as_int_on_one_node_gave_an_unreadable_gexf(
    example: CommunityGraph, tmp_path: Path
) -> None:
    """``hours=2`` on one activity and ``2.5`` on another: GEXF declared the attribute an
    integer and networkx could not read ``2.5`` back."""
    first, second = example.activities()[:2]
    example.update(first.id, hours=2)
    example.update(second.id, hours=2.5)
    flat = example.to_networkx(flat=True)
    assert flat.nodes[first.id]["hours"] == 2.0 and isinstance(flat.nodes[first.id]["hours"], float)
    nx.write_gexf(flat, tmp_path / "g.gexf")
    assert nx.read_gexf(tmp_path / "g.gexf").nodes[second.id]["hours"] == 2.5


def test_flat_networkx_floats_stay_floats_once_cattrs_resolved_the_types(
    example: CommunityGraph,
) -> None:
    """Regression: the float check read ``str(field.type) == "float"``, true only while
    the annotation is a string; once cattrs resolved the class's types (as any JSON read
    in the same process does) ``hours=2`` went out as an int again and GEXF broke."""
    import attrs

    from vchuang.model import Activity

    attrs.resolve_types(Activity)  # what cattrs does in place
    first = example.activities()[0]
    example.update(first.id, hours=2)
    hours = example.to_networkx(flat=True).nodes[first.id]["hours"]
    assert hours == 2.0 and isinstance(hours, float)
