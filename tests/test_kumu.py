"""Kumu maps both ways, and flat networkx exports that igraph reads.

The layout is Kumu's as its import guide describes it (docs.kumu.io, "Import from
spreadsheets" and "JSON import"): an Elements sheet with Label, Type, Description and
Tags columns and any field after them; a Connections sheet with From, To, Type and
Direction; several values in one cell separated by "|"; and the JSON blueprint
{"elements": [...], "connections": [...]}.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given

from lang_scan import english_words, has_chinese
from strategies import graphs
from vchuang.datasets import longgang_pilot
from vchuang.errors import FormatError
from vchuang.graph import CommunityGraph
from vchuang.io import kumu, to_document


def _same(a: CommunityGraph, b: CommunityGraph) -> bool:
    da, db = to_document(a), to_document(b)
    da.pop("metadata", None)
    db.pop("metadata", None)
    return da == db


@given(graphs(max_residents=3))
def test_any_valid_graph_survives_the_sheets_and_the_blueprint(g: CommunityGraph) -> None:
    assert _same(kumu.from_kumu_sheets(kumu.to_kumu_sheets(g)), g)
    assert _same(kumu.from_kumu(kumu.to_kumu(g)), g)


def test_files_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    g = longgang_pilot()
    for name in ("map.xlsx", "map.json"):
        kumu.write_kumu(g, tmp_path / name)
        back = kumu.read_kumu(tmp_path / name, metadata=g.metadata)
        assert to_document(back) == to_document(g)


def test_sheet_layout() -> None:
    sheets = kumu.to_kumu_sheets(longgang_pilot())
    head = sheets["Elements"][0]
    assert head[:5] == ["ID", "Label", "Type", "Description", "Tags"]
    row = next(r for r in sheets["Elements"] if r[0] == "pn-g1")
    assert row[2] == "group"
    assert row[4] == "high_altitude_throwing"
    assert sheets["Connections"][0][:4] == ["From", "To", "Type", "Direction"]
    assert sheets["Connections"][1][2:4] == ["knows", "undirected"]


def test_a_map_edited_in_kumu_reads_by_label_and_names_bad_cells() -> None:
    # Kumu's own sheets have no ID column: connections name elements by label
    sheets = {
        "Elements": [
            ["Label", "Type", "Name_zh", "District"],
            ["Longgang", "district", "龙岗区", ""],
            ["LG St", "subdistrict", "", "Longgang"],
        ],
        "Connections": [["From", "To", "Type"]],
    }
    g = kumu.from_kumu_sheets(sheets)
    assert g.get("LG St").district == "Longgang"
    sheets["Elements"].append(["Ghost", "spaceship", "", ""])
    sheets["Elements"].append(["Someone", "resident", "", "Longgang"])
    with pytest.raises(FormatError) as info:
        kumu.from_kumu_sheets(sheets)
    paths = [p.path for p in info.value.problems]
    assert paths == ["Elements:4 (column Type)", "Elements:5 (column District)"]


def test_kumu_error_places_show_the_header_as_written_and_the_real_line() -> None:
    # the column was shown lowercased ("column district") and blank rows shifted the line
    sheets = {
        "Elements": [
            ["Label", "TYPE", "District", "Hours_Per_Week"],
            ["Longgang", "district", "", ""],
            ["", "", "", ""],
            ["Ghost", "spaceship", "", ""],
            ["Someone", "resident", "Longgang", "lots"],
        ],
        "Connections": [["From", "To", "Type", "WEIGHT"], ["Someone", "Longgang", "knows", "x"]],
    }
    with pytest.raises(FormatError) as info:
        kumu.from_kumu_sheets(sheets)
    assert [p.path for p in info.value.problems] == [
        "Elements:4 (column TYPE)",
        "Elements:5 (column District)",
        "Elements:5 (column Hours_Per_Week)",
        "Connections:2 (column WEIGHT)",
    ]
    assert (
        str(info.value).splitlines()[2]
        == "  Elements:5 (column District): a resident has no field 'district'"
    )
    with pytest.raises(FormatError) as zh:
        kumu.from_kumu_sheets(sheets, lang="zh")
    lines = zh.value.render("zh").splitlines()
    assert lines[1].startswith("  Elements:4（“TYPE”列）：不认识的元素类型“spaceship”")
    assert lines[2] == "  Elements:5（“District”列）：居民没有“district”这一字段"
    kinds = list(kumu.entity_kinds())
    for line in lines:
        assert has_chinese(line), line
        assert not english_words(
            line,
            [
                "Elements",
                "Connections",
                "TYPE",
                "District",
                "Hours",
                "Per",
                "Week",
                "lots",
                "WEIGHT",
                "spaceship",
                "district",
                "true",
                "false",
                *kinds,
            ],
        ), line


def test_flat_networkx_graphml_is_read_by_igraph(tmp_path: Path) -> None:
    igraph = pytest.importorskip("igraph")
    g = longgang_pilot()
    nx.write_graphml(g.to_networkx(flat=True), tmp_path / "g.graphml")
    ig = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
    assert ig.vcount() == len(g.to_networkx(flat=True))
    assert ig.ecount() == g.to_networkx(flat=True).number_of_edges()
