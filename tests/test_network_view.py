"""The interactive network view (vchuang.plot.network_view): its data, privacy, safety,
and a headless Chromium run with the network cut off."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import vchuang
from vchuang import (
    Community,
    CommunityGraph,
    District,
    Link,
    Metadata,
    Project,
    Resident,
    Segment,
    Subdistrict,
)
from vchuang.datasets import longgang_pilot
from vchuang.errors import MissingDependencyError, ValidationError
from vchuang.model import Relation
from vchuang.plot import _network_view, network_view

KEY = "a test key of 16+ bytes"
_SPEC = importlib.util.spec_from_file_location(
    "check_offline", Path(__file__).resolve().parents[1] / "docs" / "check_offline.py"
)
assert _SPEC is not None and _SPEC.loader is not None
offline = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(offline)
DATA = re.compile(r'<script type="application/json" class="vc-net-data">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def pilot() -> CommunityGraph:
    return longgang_pilot()


def embedded(page: str) -> dict[str, Any]:
    """The network's JSON, as the page's script reads it."""
    found = DATA.findall(page)
    assert len(found) == 1
    data: dict[str, Any] = json.loads(found[0])
    return data


LEADS = (Relation.LEADS, Relation.CO_LEADS)


def expected(graph: CommunityGraph, *, residents: bool = False) -> tuple[int, int]:
    """Nodes and edges the view should have, counted straight from the graph."""
    projects = {p.id for p in graph.projects()}
    communities = {c.id for c in graph.communities()}
    segments = graph.segments()
    lead = {(x.source, x.target) for r in LEADS for x in graph.links(relation=r)}
    lead = {(s, t) for s, t in lead if t in projects}
    points = {r.id for r in graph.leaders()} | {s for s, _ in lead}
    pairs = set(lead)
    if residents:
        for x in graph.links(relation=Relation.VOLUNTEERS_IN):
            if x.target in projects:
                pairs.add((x.source, x.target))
        for a in graph.activities():
            if a.project in projects:
                pairs |= {(r, a.project) for r in a.organisers + a.attendees}
    people = points | {s for s, _ in pairs}
    targets = sum(len(set(p.target_segments)) for p in graph.projects())
    untargeted = sum(1 for p in graph.projects() if not p.target_segments)
    in_community = sum(1 for s in segments if s.place in communities)
    nodes = len(people) + len(projects) + len(segments) + len(communities)
    edges = len(pairs) + targets + untargeted + in_community
    return nodes, edges


# ----------------------------------------------------------------- what the page holds


def test_counts_in_the_embedded_json_equal_the_graphs(pilot: CommunityGraph) -> None:
    page = network_view(pilot)
    data = embedded(page)
    assert (len(data["nodes"]), len(data["edges"])) == expected(pilot)
    assert f'data-nodes="{len(data["nodes"])}"' in page
    assert f'data-edges="{len(data["edges"])}"' in page
    kinds = {n["kind"] for n in data["nodes"]}
    assert kinds == {"leader", "project", "segment", "community"}
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])


def test_residents_adds_volunteers_and_attendees(pilot: CommunityGraph) -> None:
    data = embedded(network_view(pilot, residents=True, key=KEY))
    assert (len(data["nodes"]), len(data["edges"])) == expected(pilot, residents=True)
    assert "resident" in {n["kind"] for n in data["nodes"]}


def test_same_graph_same_page_and_sorted_nodes(pilot: CommunityGraph) -> None:
    a = network_view(pilot, residents=True, key=KEY)
    assert a == network_view(pilot, residents=True, key=KEY)
    data = embedded(a)
    order = list(_network_view._KINDS)
    keys = [(order.index(n["kind"]), n["id"]) for n in data["nodes"]]
    assert keys == sorted(keys)
    assert data["options"]["layout"]["randomSeed"] == _network_view._SEED


def test_above_the_node_limit_only_leaders_projects_and_segments(
    pilot: CommunityGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_network_view, "NODE_LIMIT", 30)
    page = network_view(pilot, residents=True, key=KEY)
    data = embedded(page)
    assert data["reduced"]
    assert {n["kind"] for n in data["nodes"]} == {"leader", "project", "segment"}
    assert {e["relation"] for e in data["edges"]} <= {"leads", "co_leads", "targets"}
    assert "only leaders, projects and segments are shown" in page
    zh = network_view(pilot, lang="zh")
    assert "只显示社区领袖、项目和服务人群" in zh


# ----------------------------------------------------------------- privacy


def people_graph(*, as_of: dt.date | None = dt.date(2019, 12, 31)) -> CommunityGraph:
    """One project led by an adult who consented, a teenager (in 2019) who consented, a
    child who consented and an adult who did not; two more volunteer in it."""
    g = CommunityGraph(metadata=Metadata(title="t", as_of=as_of))
    g.add_all(
        [
            District(id="d", name="D"),
            Subdistrict(id="s", name="S", district="d"),
            Community(id="c", name="C", name_zh="丙社区", subdistrict="s"),
            Segment(id="seg", name="Elders", place="c"),
            Project(id="p", name="P", community="c", target_segments=("seg",)),
            Resident(
                id="ada",
                name="Ada Adultname",
                community="c",
                birth_year=1980,
                consent_to_name=True,
                roles=("leader",),
            ),
            Resident(
                id="mia", name="Mia Teenname", community="c", birth_year=2003, consent_to_name=True
            ),
            Resident(
                id="kid",
                name="Kid Childname",
                community="c",
                age_band="child",
                consent_to_name=True,
            ),
            Resident(id="nora", name="Nora Quietname", community="c", birth_year=1970),
            Resident(
                id="vic",
                name="Vic Helpername",
                community="c",
                birth_year=1990,
                consent_to_name=True,
            ),
            Resident(
                id="tom", name="Tom Youngname", community="c", birth_year=2008, consent_to_name=True
            ),
            Link(source="ada", relation="leads", target="p"),
            Link(source="mia", relation="co_leads", target="p"),
            Link(source="kid", relation="co_leads", target="p"),
            Link(source="nora", relation="co_leads", target="p"),
            Link(source="vic", relation="volunteers_in", target="p"),
            Link(source="tom", relation="volunteers_in", target="p"),
        ]
    )
    return g


NAMES = (
    "Ada Adultname",
    "Mia Teenname",
    "Kid Childname",
    "Nora Quietname",
    "Vic Helpername",
    "Tom Youngname",
)


def named(page: str) -> set[str]:
    """The first names of the residents whose full name is in ``page``."""
    return {name.split()[0] for name in NAMES if name in page}


def test_no_name_in_the_public_view() -> None:
    g = people_graph()
    assert named(network_view(g, residents=True)) == set()
    page = network_view(g, residents=True, key=KEY)
    assert named(page) == set()
    for rid in ("ada", "mia", "kid", "nora", "vic", "tom"):
        assert f'"{rid}"' not in page  # keyed IDs replace the stored ones
    labels = {n["label"] for n in embedded(page)["nodes"] if n["kind"] in ("leader", "resident")}
    assert all(label.startswith("Resident r-") for label in labels)
    zh = embedded(network_view(g, residents=True, key=KEY, lang="zh"))
    assert all(n["label"].startswith("居民 r-") for n in zh["nodes"] if n["kind"] == "leader")


def test_reveal_names_consenting_adults_only_never_a_minor_on_the_datas_date() -> None:
    g = people_graph()
    assert named(network_view(g, residents=True, reveal=True)) == {"Ada", "Vic"}
    assert named(network_view(g, residents=True, reveal=True, key=KEY)) == {"Ada", "Vic"}


def test_as_of_decides_who_was_a_minor() -> None:
    # Mia (born 2003) is an adult today but was 16 on 31 December 2019.
    undated = people_graph(as_of=None)
    assert named(network_view(undated, reveal=True, as_of=dt.date(2019, 12, 31))) == {"Ada"}
    assert named(network_view(undated, reveal=True, as_of=dt.date(2022, 1, 1))) == {"Ada", "Mia"}


def test_pilot_public_view_names_nobody(pilot: CommunityGraph) -> None:
    page = network_view(pilot, residents=True, key=KEY)
    assert not [r.name for r in pilot.residents() if r.name in page]
    revealed = network_view(pilot, residents=True, reveal=True)
    day = pilot.metadata.as_of
    assert day is not None
    for r in pilot.residents():
        if r.minor_on(day) or not r.consent_to_name:
            assert r.name not in revealed


# ----------------------------------------------------------------- safety and offline


def test_embedded_json_cannot_end_its_script() -> None:
    g = people_graph()
    evil = "</script><script>alert(1)</script><!--"
    g.update("p", name=evil)
    g.update("c", name="<b>&amp;</b>")
    page = network_view(g)
    assert evil not in page
    assert "<b>&amp;</b>" not in page
    # the data, vis-network and the view's own script: three elements, closed once each
    assert len(re.findall(r"</script", page, re.IGNORECASE)) == 3
    assert "<" not in DATA.findall(page)[0] and "<!--" not in page
    data = embedded(page)
    assert any(n["label"] == evil for n in data["nodes"])


def test_no_remote_scripts_or_styles(pilot: CommunityGraph) -> None:
    page = network_view(pilot)
    assert offline.remote_loads(page) == []  # the docs' own check (docs/check_offline.py)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page.lower()
    assert "@import" not in page
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", page, re.IGNORECASE)
    assert page.count("<div") >= 1 and page.startswith('<div class="vc-net"')


def test_every_word_in_the_language_asked(pilot: CommunityGraph) -> None:
    zh = network_view(pilot, lang="zh")
    for english in ("All communities", "Find", "Click a node", "Leader", "Community"):
        assert english not in zh
    for chinese in ("全部社区", "查找", "社区领袖", "平南"):
        assert chinese in zh
    en = network_view(pilot, lang="en")
    assert "全部社区" not in en and "All communities" in en


def test_bad_lang_and_short_key_are_refused(pilot: CommunityGraph) -> None:
    with pytest.raises(ValidationError, match="lang"):
        network_view(pilot, lang="fr")
    with pytest.raises(ValidationError, match="16 bytes"):
        network_view(pilot, key="short")


def test_missing_pyvis_names_the_extra(
    pilot: CommunityGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyvis", None)  # import pyvis now fails
    with pytest.raises(MissingDependencyError, match=r"vchuang\[interactive\]") as info:
        network_view(pilot, lang="zh")
    assert "交互式网络图" in str(info.value)


def test_exported_from_vchuang_plot() -> None:
    assert "network_view" in vchuang.plot.__all__


# ----------------------------------------------------------------- in a browser

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")

HARNESS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><script>
window.__errors = [];
window.onerror = function (message) { window.__errors.push(String(message)); };
</script></head><body>
__FRAGMENT__
<script>
setTimeout(function () {
  var root = document.querySelector(".vc-net"), out = document.body;
  ["shown-nodes", "shown-edges", "drawn-nodes", "drawn-edges"].forEach(function (k) {
    out.setAttribute("data-all-" + k, root.getAttribute("data-" + k));
  });
  var select = root.querySelector(".vc-net-filter");
  select.value = "__COMMUNITY__";
  select.dispatchEvent(new Event("change"));
  ["shown-nodes", "shown-edges", "drawn-nodes"].forEach(function (k) {
    out.setAttribute("data-one-" + k, root.getAttribute("data-" + k));
  });
  var search = root.querySelector(".vc-net-search");
  search.value = __QUERY__;
  search.dispatchEvent(new Event("change"));
  out.setAttribute("data-found", root.querySelector(".vc-net-panel h4").textContent);
  out.setAttribute("data-filter-after", select.value);
  var urls = performance.getEntriesByType("resource").map(function (e) { return e.name; });
  out.setAttribute("data-resources", JSON.stringify(urls));
  out.setAttribute("data-errors", String(window.__errors.length));
  out.setAttribute("data-error-text", window.__errors.join(" | "));
}, 1000);
</script></body></html>"""


@pytest.mark.skipif(BROWSER is None, reason="no chromium on PATH")
def test_renders_offline_in_chromium(pilot: CommunityGraph, tmp_path: Path) -> None:
    fragment = network_view(pilot, key=KEY)
    data = embedded(fragment)
    community = data["communities"][0][0]
    inside = {n["id"] for n in data["nodes"] if n["community"] == community}
    one_edges = sum(1 for e in data["edges"] if e["from"] in inside and e["to"] in inside)
    other = next(n for n in data["nodes"] if n["kind"] == "project" and n["id"] not in inside)
    page = tmp_path / "view.html"
    page.write_text(
        HARNESS.replace("__FRAGMENT__", fragment)
        .replace("__COMMUNITY__", community)
        .replace("__QUERY__", json.dumps(other["label"])),
        encoding="utf-8",
    )
    assert BROWSER is not None
    run = subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=2000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    body = re.search(r"<body([^>]*)>", run.stdout)
    assert body, run.stderr[-2000:]
    got = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))
    assert got["errors"] == "0", got.get("error-text")
    assert json.loads(got["resources"].replace("&quot;", '"')) == []
    n, m = len(data["nodes"]), len(data["edges"])
    assert (int(got["all-shown-nodes"]), int(got["all-shown-edges"])) == (n, m)
    assert (int(got["all-drawn-nodes"]), int(got["all-drawn-edges"])) == (n, m)
    assert (int(got["one-shown-nodes"]), int(got["one-shown-edges"])) == (len(inside), one_edges)
    assert int(got["one-drawn-nodes"]) == len(inside)
    # searching a project of another community clears the filter and opens its panel
    assert got["found"] == other["label"]
    assert got["filter-after"] == ""
