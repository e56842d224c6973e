"""An interactive view of the point–line–surface network, for a self-contained page.

:func:`network_view` returns an HTML fragment (one ``<div>`` with its own ``<style>``
and ``<script>``) that draws leaders, their projects and the segments and communities the
projects reach, with pan, zoom, search, a filter by community and a side panel of
details per node. The drawing library is `vis-network <https://visjs.github.io/>`_, read at
run time from the build shipped inside the PyPI package ``pyvis``
(``pip install 'vchuang[interactive]'``) and inlined into the fragment, so that the page
opens with no network at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import importlib.util
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError
from ..graph import CommunityGraph
from ..kernel.money import format_fen
from ..kernel.text import check_lang, text
from ..model import Activity, Community, Project, Relation, Resident, Role, Segment
from ..privacy import data_date, display_name, keyed_id, pseudonym_label
from ._style import COLORS
from ._webfont import FACE

__all__ = ["NODE_LIMIT", "network_view"]

#: Above this many nodes the view shows only leaders, projects and segments (and says
#: so): a browser draws a few thousand nodes smoothly, not a district's residents.
NODE_LIMIT = 2_000

#: The files of a vis-network build inside pyvis (``pyvis/lib/vis-9.1.2/`` in 0.3.2).
_VIS_SCRIPT, _VIS_STYLE = "vis-network.min.js", "vis-network.css"

#: The seed of vis-network's initial layout: the same graph is always drawn the same way.
_SEED = 20190921

#: Kinds of node, in the order they are listed, with their shape and size.
_KINDS: Mapping[str, tuple[str, int]] = {
    "leader": ("dot", 14),
    "project": ("diamond", 14),
    "segment": ("triangle", 11),
    "community": ("square", 16),
    "resident": ("dot", 6),
}
_ORDER = {kind: i for i, kind in enumerate(_KINDS)}

#: Relations of a resident to a project, strongest first (a pair gets one edge).
_HOLDS = (Relation.LEADS, Relation.CO_LEADS, Relation.VOLUNTEERS_IN, Relation.ATTENDED)

_FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", '
_FONTS += f'"PingFang SC", "{FACE}", Arial, sans-serif'  # FACE: the page's embedded font


def network_view(
    graph: CommunityGraph,
    *,
    lang: str = "en",
    reveal: bool = False,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
    residents: bool = False,
) -> str:
    """An interactive view of the point–line–surface network, as an HTML fragment.

    Leaders (points) link to the projects they lead or co-lead (lines); projects link to
    the segments they target, segments to their community, and a project that targets
    no segment to its community (the surface). The view pans and zooms, finds a person
    or project by name, shows one community at a time, and opens a side panel with a
    node's details and links when it is clicked.

    Parameters
    ----------
    graph : vchuang.CommunityGraph
        The data.
    lang : {"en", "zh"}
        The language of every label and word of the view.
    reveal : bool
        Name residents who consented to be named (``consent_to_name``); never a minor
        (see :func:`vchuang.privacy.display_name`). By default every resident is shown
        by a pseudonym.
    key : bytes or str, optional
        The key of the residents' pseudonymous IDs (``r-`` and a keyed hash, see
        :func:`vchuang.privacy.keyed_id`; at least 16 bytes). Without it residents are
        shown by their IDs as stored (already pseudonymous in a graph from
        :func:`vchuang.privacy.for_publication`).
    as_of : datetime.date, optional
        The date the data describe, for the minor check (default
        :func:`vchuang.privacy.data_date`: the metadata's ``as_of``, else the latest
        date in the records); a resident who is a minor today is protected too.
    residents : bool
        Also show the residents who volunteer in a project or came to one of its
        activities (one link per resident and project).

    Returns
    -------
    str
        One ``<div>`` holding its style, the network as JSON and the scripts. It needs
        no file and no network. Above 2,000 nodes only leaders, projects and segments
        are shown (communities and residents are left out), and a note says so. The same graph and options give the
        same text.

    Raises
    ------
    vchuang.errors.MissingDependencyError
        ``pyvis`` is not installed (``pip install 'vchuang[interactive]'``).
    vchuang.errors.ValidationError
        ``lang`` is not ``"en"`` or ``"zh"``, or ``key`` is shorter than 16 bytes.

    See Also
    --------
    vchuang.reach.surface : the residents the points reach, computed.
    vchuang.plot.plot_tiers : the same three tiers as a static figure.

    Notes
    -----
    The root ``<div>`` carries ``data-nodes`` and ``data-edges`` (what the data hold)
    and, once drawn, ``data-shown-nodes``, ``data-shown-edges`` (after the community
    filter) and ``data-drawn-nodes``, ``data-drawn-edges`` (what vis-network placed), for
    tests and scripts; a page's script finds the ``vis.Network`` and its data sets as
    ``element.vchuang.network``, ``.nodes`` and ``.edges``, and opens a node's panel with
    ``element.vchuang.select(id)``.

    Examples
    --------
    >>> import vchuang
    >>> from vchuang.plot import network_view
    >>> page = network_view(vchuang.load_example(), lang="zh")
    >>> page.startswith('<div class="vc-net"'), "https://" in page.split("<script")[0]
    (True, False)
    """
    lang = check_lang(lang)
    if key is not None:
        keyed_id("", key)  # a short key is refused before any work
    script, style = _vis_assets(_vis_folder(lang))
    day = as_of if as_of is not None else data_date(graph)
    data = _network(graph, lang=lang, reveal=bool(reveal), key=key, day=day, residents=residents)
    payload = _script_json(data)
    uid = "vc-net-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]
    return _page(uid, data, payload, script, style, lang)


# --------------------------------------------------------------------------- the data


def _name(entity: Any, lang: str) -> str:
    """An entity's name in ``lang`` (the Chinese name when there is one)."""
    zh = getattr(entity, "name_zh", "")
    return str(zh) if lang == "zh" and zh else str(entity.name)


class _People:
    """Labels and node IDs of residents, as the privacy rules allow."""

    def __init__(self, *, lang: str, reveal: bool, key: bytes | str | None, day: dt.date | None):
        self.lang, self.reveal, self.key, self.day = lang, reveal, key, day

    def node_id(self, resident: Resident) -> str:
        return resident.id if self.key is None else keyed_id(resident.id, self.key, prefix="r")

    def label(self, resident: Resident) -> str:
        shown = display_name(resident, reveal=self.reveal, as_of=self.day)
        if shown != pseudonym_label(resident.id):
            return shown  # a consenting adult, asked for by name
        return text("plot.network.resident", self.lang, id=self.node_id(resident))


def _network(
    graph: CommunityGraph,
    *,
    lang: str,
    reveal: bool,
    key: bytes | str | None,
    day: dt.date | None,
    residents: bool,
) -> dict[str, Any]:
    """The nodes, edges, words and options of the view, as plain JSON values."""
    people = _People(lang=lang, reveal=reveal, key=key, day=day)
    communities = {c.id: c for c in graph.communities()}
    projects = {p.id: p for p in graph.projects()}
    segments = {s.id: s for s in graph.segments()}
    holds = _holds(graph, projects, residents=residents)
    leaders = {r.id for r in graph.leaders()}
    leaders |= {
        rid for (rid, _), rel in holds.items() if rel in (Relation.LEADS, Relation.CO_LEADS)
    }
    others = {rid for rid, _ in holds} - leaders if residents else set()
    by_resident = {rid: graph.get(rid, Resident) for rid in leaders | others}

    led: Counter[str] = Counter()
    joined: Counter[str] = Counter()
    heads: Counter[str] = Counter()
    helpers: Counter[str] = Counter()
    for (rid, pid), relation in holds.items():
        if relation in (Relation.LEADS, Relation.CO_LEADS):
            led[rid] += 1
            heads[pid] += 1
        else:
            joined[rid] += 1
            helpers[pid] += relation is Relation.VOLUNTEERS_IN

    full = len(leaders) + len(projects) + len(segments) + len(communities) + len(others)
    reduced = full > NODE_LIMIT
    if reduced:  # leaders, projects, segments and who leads what
        others = set()
        holds = {pair: rel for pair, rel in holds.items() if rel in _HOLDS[:2]}
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for rid in sorted(leaders | others):
        resident = by_resident[rid]
        ids[rid] = people.node_id(resident)
        kind = "leader" if rid in leaders else "resident"
        counts = (led[rid], joined[rid])
        nodes.append(_resident_node(resident, kind, ids[rid], people, counts, communities, lang))
    for (rid, pid), relation in sorted(holds.items()):
        if rid in ids:
            edges.append(_edge(ids[rid], pid, relation))
    for project in projects.values():
        targets = sorted({s for s in project.target_segments if s in segments})
        counts = (heads[project.id], helpers[project.id])
        nodes.append(_project_node(project, counts, segments, communities, lang))
        edges.extend(_edge(project.id, s, Relation.TARGETS) for s in targets)
        if not targets and not reduced and project.community in communities:
            edges.append(_edge(project.id, project.community, Relation.LOCATED_IN))
    twins = _repeated(_name(s, lang) for s in segments.values())
    for segment in segments.values():
        nodes.append(_segment_node(segment, communities, graph, twins, lang))
        if not reduced and segment.place in communities:
            edges.append(_edge(segment.id, segment.place, Relation.LOCATED_IN))
    if not reduced:
        nodes.extend(
            _community_node(c, projects, leaders, by_resident, lang) for c in communities.values()
        )
    nodes.sort(key=lambda n: (_ORDER[n["kind"]], n["id"]))
    edges.sort(key=lambda e: (e["from"], e["to"], e["relation"]))
    shown = {n["id"] for n in nodes}
    edges = [e for e in edges if e["from"] in shown and e["to"] in shown]
    return {
        "nodes": nodes,
        "edges": edges,
        "communities": sorted(
            ([c.id, _name(c, lang)] for c in communities.values()), key=lambda c: (c[1], c[0])
        ),
        "reduced": reduced,
        "full": full,
        "kinds": {kind: _kind_style(kind) for kind in _KINDS},
        "text": _words(lang, full=full, reduced=reduced),
        "options": _options(len(nodes)),
    }


def _holds(
    graph: CommunityGraph, projects: Mapping[str, Project], *, residents: bool
) -> dict[tuple[str, str], Relation]:
    """(resident, project) -> the strongest way the resident holds the project.

    Leads and co-leads always; with ``residents`` also volunteering in the project and
    organising or attending one of its activities.
    """
    found: dict[tuple[str, str], Relation] = {}
    for relation in _HOLDS[:3] if residents else _HOLDS[:2]:  # strongest first
        for link in graph.links(relation=relation):
            if link.target in projects:
                found.setdefault((link.source, link.target), relation)
    if residents:
        for activity in graph.activities():
            pid = activity.project
            if pid is not None and pid in projects:
                for rid in _people_at(activity):
                    found.setdefault((rid, pid), Relation.ATTENDED)
    return found


def _people_at(activity: Activity) -> tuple[str, ...]:
    return activity.organisers + activity.attendees


def _repeated(names: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    twice: set[str] = set()
    for name in names:
        (twice if name in seen else seen).add(name)
    return twice


def _edge(source: str, target: str, relation: Relation) -> dict[str, Any]:
    dashed = relation in (Relation.CO_LEADS, Relation.ATTENDED)
    return {"from": source, "to": target, "relation": relation.value, "dashed": dashed}


def _field(name: str, value: object, lang: str) -> list[str]:
    return [text(f"plot.network.field.{name}", lang), str(value)]


def _no_data(lang: str) -> str:
    return text("plot.network.no_data", lang)


def _resident_node(
    resident: Resident,
    kind: str,
    node_id: str,
    people: _People,
    counts: tuple[int, int],
    communities: Mapping[str, Community],
    lang: str,
) -> dict[str, Any]:
    """A leader or resident: community, roles, projects led and joined."""
    community = communities.get(resident.community)
    roles = [r.label(lang) for r in Role if r in resident.roles]
    details = [
        _field("community", _name(community, lang) if community else _no_data(lang), lang),
        _field("roles", text("plot.network.list_sep", lang).join(roles) or _no_data(lang), lang),
        _field("projects_led", counts[0], lang),
    ]
    if kind == "resident" or counts[1]:
        details.append(_field("projects_joined", counts[1], lang))
    return {
        "id": node_id,
        "label": people.label(resident),
        "kind": kind,
        "community": resident.community if community else "",
        "details": details,
    }


def _project_node(
    project: Project,
    counts: tuple[int, int],
    segments: Mapping[str, Segment],
    communities: Mapping[str, Community],
    lang: str,
) -> dict[str, Any]:
    """A project: community, stage, leaders, volunteers, segments, budget."""
    community = communities.get(project.community)
    leads, volunteers = counts
    budget = (
        format_fen(project.budget_fen, symbol=True, lang=lang)
        if project.budget_fen
        else _no_data(lang)
    )
    details = [
        _field("community", _name(community, lang) if community else _no_data(lang), lang),
        _field("stage", project.stage.label(lang), lang),
        _field("leaders", leads, lang),
        _field("segments", sum(1 for s in set(project.target_segments) if s in segments), lang),
        _field("budget", budget, lang),
    ]
    if volunteers:
        details.insert(3, _field("volunteers", volunteers, lang))
    return {
        "id": project.id,
        "label": _name(project, lang),
        "kind": "project",
        "community": project.community if community else "",
        "details": details,
    }


def _segment_node(
    segment: Segment,
    communities: Mapping[str, Community],
    graph: CommunityGraph,
    twins: set[str],
    lang: str,
) -> dict[str, Any]:
    label = _name(segment, lang)
    place = None
    if segment.place is not None:
        try:
            place = graph.get(segment.place)
        except LookupError:
            place = None
    place_name = _name(place, lang) if place is not None else _no_data(lang)
    if label in twins and place is not None:
        label = text("plot.network.segment_in", lang, segment=label, place=place_name)
    population = f"{segment.population:,}" if segment.population is not None else _no_data(lang)
    return {
        "id": segment.id,
        "label": label,
        "kind": "segment",
        "community": segment.place if segment.place in communities else "",
        "details": [_field("place", place_name, lang), _field("population", population, lang)],
    }


def _community_node(
    community: Community,
    projects: Mapping[str, Project],
    leaders: set[str],
    by_resident: Mapping[str, Resident],
    lang: str,
) -> dict[str, Any]:
    population = f"{community.population:,}" if community.population is not None else _no_data(lang)
    n_projects = sum(1 for p in projects.values() if p.community == community.id)
    n_leaders = sum(1 for rid in leaders if by_resident[rid].community == community.id)
    return {
        "id": community.id,
        "label": _name(community, lang),
        "kind": "community",
        "community": community.id,
        "details": [
            _field("population", population, lang),
            _field("leaders", n_leaders, lang),
            _field("projects", n_projects, lang),
        ],
    }


def _kind_style(kind: str) -> dict[str, Any]:
    shape, size = _KINDS[kind]
    return {"shape": shape, "size": size, "color": COLORS[kind]}


def _words(lang: str, *, full: int, reduced: bool) -> dict[str, Any]:
    """Every word the script writes, in ``lang`` (``{...}`` left for the script to fill)."""
    words: dict[str, Any] = {
        name: text(f"plot.network.{name}", lang)
        for name in ("panel_empty", "linked", "no_vis", "kind_label")
    }
    words["not_found"] = text("plot.network.not_found", lang, query="{query}")
    words["more"] = text("plot.network.more", lang, n="{n}")
    words["kinds"] = {kind: text(f"plot.network.kind.{kind}", lang) for kind in _KINDS}
    words["note"] = (
        text("plot.network.reduced", lang, nodes=f"{full:,}", limit=f"{NODE_LIMIT:,}")
        if reduced
        else ""
    )
    return words


def _options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: a fixed seed, and lighter settings for big graphs."""
    big = n_nodes > 500
    return {
        "autoResize": True,
        "layout": {"randomSeed": _SEED, "improvedLayout": n_nodes <= 150},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 110},
            "stabilization": {"enabled": True, "iterations": 150 if big else 400, "fit": True},
        },
        "interaction": {
            "hover": True,
            "navigationButtons": True,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "hideEdgesOnDrag": big,
            "tooltipDelay": 300,
        },
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "color": {"color": "#b4b4b4", "highlight": "#444444", "hover": "#777777"},
        },
        "nodes": {"font": {"face": _FONTS, "size": 12}, "borderWidth": 1},
    }


# --------------------------------------------------------------------------- the page


def _vis_folder(lang: str) -> Path:
    """The folder of the newest vis-network build inside the installed pyvis.

    pyvis is found, not imported (importing it loads IPython and Jinja2 for nothing).
    """
    spec = importlib.util.find_spec("pyvis")
    places = list(spec.submodule_search_locations or ()) if spec is not None else []
    builds = [
        folder
        for place in places
        for folder in (Path(place) / "lib").glob("vis-*")
        if (folder / _VIS_SCRIPT).is_file() and (folder / _VIS_STYLE).is_file()
    ]
    if not builds:
        package, extra = "pyvis", "interactive"
        raise MissingDependencyError(package, extra, text("plot.network.feature", lang))
    return max(builds, key=_version_of)


def _version_of(folder: Path) -> tuple[int, ...]:
    """``vis-9.1.2`` -> ``(9, 1, 2)``."""
    return tuple(int(x) for x in re.findall(r"\d+", folder.name))


@functools.cache
def _vis_assets(folder: Path) -> tuple[str, str]:
    """vis-network's script and style sheet from ``folder``, safe to inline."""
    script = (folder / _VIS_SCRIPT).read_text(encoding="utf-8")
    style = (folder / _VIS_STYLE).read_text(encoding="utf-8")
    return _inline_safe(script, "script"), _inline_safe(style, "style")


def _inline_safe(code: str, tag: str) -> str:
    """``code`` with anything that would end its ``<tag>`` early escaped.

    In JavaScript ``<\\/`` and ``<\\!--`` read as ``</`` and ``<!--``; a style sheet has
    no ``</style`` in a string worth keeping, so it is escaped the same way.
    """
    code = re.sub(f"</({tag})", r"<\\/\1", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


def _script_json(data: Mapping[str, Any]) -> str:
    """``data`` as JSON that cannot end its ``<script>`` element or open a comment."""
    out = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        out = out.replace(char, escaped)
    return out


def _page(
    uid: str, data: Mapping[str, Any], payload: str, script: str, style: str, lang: str
) -> str:
    def w(key: str, **fields: object) -> str:
        return html.escape(text(f"plot.network.{key}", lang, **fields))

    counts = dict.fromkeys(_KINDS, 0)
    for node in data["nodes"]:
        counts[node["kind"]] += 1
    legend = "".join(
        f'<span class="vc-net-key"><i style="background:{COLORS[kind]}"></i>'
        f"{html.escape(data['text']['kinds'][kind])} {counts[kind]:,}</span>"
        for kind in _KINDS
        if counts[kind]
    )
    options = "".join(
        f'<option value="{html.escape(cid)}">{html.escape(name)}</option>'
        for cid, name in data["communities"]
    )
    note = html.escape(data["text"]["note"])
    n_nodes, n_edges = len(data["nodes"]), len(data["edges"])
    return (
        f'<div class="vc-net" id="{uid}" lang="{lang}" data-nodes="{n_nodes}" '
        f'data-edges="{n_edges}" role="figure" aria-label="{w("title")}">'
        f"<style>{style}\n{_STYLE}</style>"
        '<div class="vc-net-bar">'
        f'<label>{w("search")} <input type="search" class="vc-net-search" '
        f'list="{uid}-names" placeholder="{w("search_placeholder")}"></label>'
        f'<datalist id="{uid}-names"></datalist>'
        f'<label>{w("filter")} <select class="vc-net-filter">'
        f'<option value="">{w("all")}</option>{options}</select></label>'
        f'<span class="vc-net-status" aria-live="polite"></span>'
        f'<span class="vc-net-counts">{w("counts", nodes=f"{n_nodes:,}", edges=f"{n_edges:,}")}</span>'
        "</div>"
        + (f'<p class="vc-net-note">{note}</p>' if note else "")
        + '<div class="vc-net-body"><div class="vc-net-canvas"></div>'
        f'<aside class="vc-net-panel"><p>{w("panel_empty")}</p></aside></div>'
        f'<div class="vc-net-legend">{legend}<span class="vc-net-help">{w("help")}</span></div>'
        f"<noscript><p>{w('noscript')}</p></noscript>"
        f'<script type="application/json" class="vc-net-data">{payload}</script>'
        f"<script>{script}</script>"
        f"<script>{_SCRIPT.replace('__UID__', uid)}</script>"
        "</div>"
    )


_STYLE = """
.vc-net{font-family:system-ui,"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei","vchuang CJK",
  sans-serif;
  font-size:14px;border:1px solid #ddd;border-radius:4px;margin:1em 0;background:#fff}
.vc-net-bar{display:flex;flex-wrap:wrap;gap:.5em 1.2em;align-items:center;padding:.5em .7em;
  border-bottom:1px solid #eee}
.vc-net-bar input,.vc-net-bar select{font:inherit;padding:.15em .3em}
.vc-net-status{color:#a33}
.vc-net-counts{margin-left:auto;color:#555}
.vc-net-note{margin:0;padding:.4em .7em;background:#fff8e1;border-bottom:1px solid #eee}
.vc-net-body{display:flex;height:560px}
.vc-net-canvas{flex:1 1 auto;min-width:0;position:relative}
.vc-net-panel{flex:0 0 250px;overflow:auto;border-left:1px solid #eee;padding:.5em .7em}
.vc-net-panel h4{margin:.2em 0 .4em;font-size:1.05em}
.vc-net-panel dl{margin:.3em 0;display:grid;grid-template-columns:auto 1fr;gap:.15em .6em}
.vc-net-panel dt{color:#666}.vc-net-panel dd{margin:0}
.vc-net-panel ul{margin:.2em 0;padding-left:1.1em}
.vc-net-panel button{font:inherit;background:none;border:0;padding:0;color:#1a5fb4;
  cursor:pointer;text-align:left}
.vc-net-legend{display:flex;flex-wrap:wrap;gap:.3em 1em;padding:.4em .7em;
  border-top:1px solid #eee;color:#333}
.vc-net-key i{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.3em;
  vertical-align:-.05em}
.vc-net-help{margin-left:auto;color:#666}
@media print{.vc-net-bar,.vc-net-help,.vc-net-panel{display:none}}
"""

# The view's own script (written for vchuang; vis-network comes from pyvis).
_SCRIPT = """
(function () {
  "use strict";
  var root = document.getElementById("__UID__");
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  var data = JSON.parse(root.querySelector("script.vc-net-data").textContent);
  var t = data.text;
  var panel = root.querySelector(".vc-net-panel");
  var status = root.querySelector(".vc-net-status");
  if (typeof vis === "undefined" || !vis.Network) { panel.textContent = t.no_vis; return; }
  var byId = {}, adj = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; adj[n.id] = []; });
  data.edges.forEach(function (e) { adj[e.from].push(e.to); adj[e.to].push(e.from); });
  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var k = data.kinds[n.kind];
    return {id: n.id, label: n.label, shape: k.shape, size: k.size,
            color: {background: k.color, border: k.color}};
  }));
  var edges = new vis.DataSet(data.edges.map(function (e, i) {
    return {id: i, from: e.from, to: e.to, dashes: e.dashed};
  }));
  var chosen = "";
  var view = new vis.DataView(nodes, {filter: function (n) {
    return !chosen || byId[n.id].community === chosen;
  }});
  var network = new vis.Network(root.querySelector(".vc-net-canvas"),
                                {nodes: view, edges: edges}, data.options);
  function record() {
    var shown = {}, count = 0;
    view.getIds().forEach(function (id) { shown[id] = true; });
    data.edges.forEach(function (e) { if (shown[e.from] && shown[e.to]) { count++; } });
    root.setAttribute("data-shown-nodes", String(view.length));
    root.setAttribute("data-shown-edges", String(count));
    root.setAttribute("data-drawn-nodes", String(Object.keys(network.getPositions()).length));
    if (network.body && network.body.edgeIndices) {
      root.setAttribute("data-drawn-edges", String(network.body.edgeIndices.length));
    }
  }
  network.once("afterDrawing", record);
  // the canvas draws with the page's embedded CJK face only once it is loaded
  if (document.fonts) { document.fonts.load("12px " + data.options.nodes.font.face, "\\u4e2d")
    .then(function () { network.redraw(); }, function () {}); }
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({physics: false});
    record();
  });
  function item(parent, tag, words) {
    var el = document.createElement(tag);
    el.textContent = words;
    parent.appendChild(el);
    return el;
  }
  function show(id) {
    var n = byId[id];
    panel.textContent = "";
    item(panel, "h4", n.label);
    var dl = item(panel, "dl", "");
    item(dl, "dt", t.kind_label);
    item(dl, "dd", t.kinds[n.kind]);
    n.details.forEach(function (d) { item(dl, "dt", d[0]); item(dl, "dd", d[1]); });
    var near = adj[id].slice().sort(function (a, b) {
      return byId[a].label < byId[b].label ? -1 : byId[a].label > byId[b].label ? 1 : 0;
    });
    if (!near.length) { return; }
    item(panel, "p", t.linked);
    var ul = item(panel, "ul", "");
    near.slice(0, 40).forEach(function (other) {
      var button = item(item(ul, "li", ""), "button", byId[other].label);
      button.type = "button";
      button.addEventListener("click", function () { go(other); });
    });
    if (near.length > 40) { item(panel, "p", t.more.replace("{n}", String(near.length - 40))); }
  }
  function go(id) {
    if (!view.get(id)) { chosen = ""; select.value = ""; view.refresh(); record(); }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.2, animation: false});
    show(id);
  }
  network.on("click", function (p) { if (p.nodes.length) { show(p.nodes[0]); } });
  var select = root.querySelector(".vc-net-filter");
  select.addEventListener("change", function () {
    chosen = select.value;
    view.refresh();
    network.unselectAll();
    network.fit();
    record();
  });
  var search = root.querySelector(".vc-net-search");
  var names = root.querySelector("datalist");
  var seen = {};
  data.nodes.forEach(function (n) {
    if (!seen[n.label]) { seen[n.label] = true; item(names, "option", "").value = n.label; }
  });
  function find() {
    var q = search.value.trim().toLowerCase(), hit = null;
    status.textContent = "";
    if (!q) { return; }
    for (var i = 0; i < data.nodes.length; i++) {
      var label = data.nodes[i].label.toLowerCase();
      if (label === q) { hit = data.nodes[i]; break; }
      if (!hit && label.indexOf(q) >= 0) { hit = data.nodes[i]; }
    }
    if (!hit) { status.textContent = t.not_found.replace("{query}", search.value.trim()); return; }
    go(hit.id);
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { find(); } });
  root.vchuang = {network: network, nodes: nodes, edges: edges, select: go};
})();
"""
