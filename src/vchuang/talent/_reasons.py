"""Plain-language reasons behind a talent score."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from ..graph import CommunityGraph
from ..model import Group, Organization, Project, Relation, Resident
from ._common import _FEATURE_NAMES, FloatArray, IntArray
from ._network import _Network


@attrs.frozen
class _Context:
    """What the reasons need to know about the graph (built once per ranking)."""

    graph: CommunityGraph
    lang: str
    rows: IntArray  # ranked residents' rows in graph.index
    lead: Any
    colead: Any
    volunteer: Any  # hours
    activity: Any
    last: FloatArray  # ordinal of last activity (0: none)
    fill: Any  # ranked residents × needs
    need_labels: tuple[str, ...]
    contexts: Any  # ranked residents × contexts (groups, organisations, projects)
    context_ids: tuple[str, ...]
    context_sizes: IntArray
    bridged: frozenset[tuple[int, int]]


def _name(record: Any, lang: str) -> str:
    zh = str(getattr(record, "name_zh", "") or "")
    return zh if lang == "zh" and zh else str(record.name)


def _reason_context(
    graph: CommunityGraph,
    net: _Network,
    ranked_at: IntArray,
    lead: Any,
    colead: Any,
    volunteer: Any,
    activity: Any,
    last: FloatArray,
    fill: Any,
    need_labels: tuple[str, ...],
    lang: str,
) -> _Context:
    import scipy.sparse as sp

    index = graph.index
    rows = net.rows  # the whole scope: a bridge is judged among all its residents
    kinds = ("group", "organization", "project")
    blocks = [
        index.incidence(Relation.MEMBER_OF, "group")[rows]
        + index.incidence(Relation.LEADS, "group")[rows],
        index.incidence(Relation.MEMBER_OF, "organization")[rows]
        + index.incidence(Relation.LEADS, "organization")[rows],
        index.incidence(Relation.LEADS, "project")[rows]
        + index.incidence(Relation.CO_LEADS, "project")[rows]
        + index.incidence(Relation.VOLUNTEERS_IN, "project")[rows],
    ]
    ids = tuple(x for kind in kinds for x in index.ids(kind))
    member = sp.hstack(blocks, format="csr") if rows.size else sp.csr_array((0, len(ids)))
    member.sum_duplicates()
    member.data[:] = 1.0
    sizes = np.asarray(member.sum(axis=0)).ravel().astype(np.int64)
    shared = (member.T @ member).tocoo()
    bridged = frozenset(
        (int(a), int(b))
        for a, b, v in zip(shared.row, shared.col, shared.data, strict=True)
        if a < b and v == 1
    )
    return _Context(
        graph=graph,
        lang=lang,
        rows=net.rows[ranked_at],
        lead=lead.tocsr(),
        colead=colead.tocsr(),
        volunteer=volunteer.tocsr(),
        activity=activity,
        last=last,
        fill=fill.tocsr(),
        need_labels=need_labels,
        contexts=member[ranked_at].tocsr() if rows.size else member,
        context_ids=ids,
        context_sizes=sizes,
        bridged=bridged,
    )


def _listing(items: Sequence[str], lang: str, limit: int = 3) -> str:
    shown = list(items[:limit])
    more = len(items) - len(shown)
    if lang == "zh":
        text = "、".join(shown)
        return f"{text}等{len(items)}项" if more > 0 else text
    text = ", ".join(shown)
    return f"{text} and {more} more" if more > 0 else text


def _ids_in_row(matrix: Any, i: int) -> IntArray:
    start, end = matrix.indptr[i], matrix.indptr[i + 1]
    cols = matrix.indices[start:end]
    return np.asarray(cols[matrix.data[start:end] != 0], dtype=np.int64)


def _hours(x: float) -> str:
    return f"{x:g}"


def _reasons(
    ctx: _Context, i: int, values: FloatArray, normalised: FloatArray, wv: FloatArray
) -> tuple[str, ...]:
    """Plain-language reasons for ranked resident ``i`` (facts about groups, projects,
    activities and skills; never another resident's name)."""
    graph, lang = ctx.graph, ctx.lang
    zh = lang == "zh"
    val = dict(zip(_FEATURE_NAMES, values, strict=True))
    norm = dict(zip(_FEATURE_NAMES, normalised, strict=True))
    part = dict(zip(_FEATURE_NAMES, normalised * wv, strict=True))
    found: list[tuple[float, str]] = []

    def say(feature: str, text: str) -> None:
        found.append((part[feature], text))

    index = graph.index
    if val["leads"] > 0:
        led = _led_names(ctx, i, lang)
        co = [_name(graph.get(index.ids("project")[j]), lang) for j in _ids_in_row(ctx.colead, i)]
        bits = []
        if led:
            bits.append(("带领" if zh else "leads ") + _listing(led, lang))
        if co:
            bits.append(("共同带领" if zh else "co-leads ") + _listing(co, lang))
        say("leads", ("；" if zh else "; ").join(bits))
    if val["activities"] > 0:
        n_act = int(val["activities"])
        when = dt.date.fromordinal(int(ctx.last[i])).isoformat()
        text = (
            f"参加或组织了 {n_act} 次活动，最近一次在 {when}"
            if zh
            else f"took part in {n_act} {'activity' if n_act == 1 else 'activities'}"
            f", most recently on {when}"
        )
        say("activities", text)
    if val["hours"] > 0:
        projects = [
            _name(graph.get(index.ids("project")[j]), lang) for j in _ids_in_row(ctx.volunteer, i)
        ]
        hours = _hours(float(val["hours"]))
        text = (
            f"每周在{_listing(projects, lang)}做志愿 {hours} 小时"
            if zh
            else f"volunteers {hours} h a week in {_listing(projects, lang)}"
        )
        say("hours", text)
    if val["brokerage"] > 0 and norm["brokerage"] >= 0.5:
        say("brokerage", _bridge_reason(ctx, i, val, lang))
    if val["degree"] > 0 and norm["degree"] >= 0.5:
        d = int(val["degree"])
        say(
            "degree",
            f"与 {d} 位居民有联系"
            if zh
            else f"is tied to {d} {'resident' if d == 1 else 'residents'}",
        )
    if val["betweenness"] > 0 and norm["betweenness"] >= 0.5:
        say(
            "betweenness",
            "处在许多居民之间的最短路径上"
            if zh
            else "lies on many of the shortest paths between other residents",
        )
    if val["pagerank"] > 0 and norm["pagerank"] >= 0.5 and norm["degree"] < 0.5:
        say("pagerank", "与社区里联系广的人相连" if zh else "is tied to well-connected residents")
    if val["needs"] > 0:
        labels = [ctx.need_labels[j] for j in _ids_in_row(ctx.fill, i)]
        k = len(labels)
        text = (
            f"可填补 {k} 项未满足的需求：{_listing(labels, lang)}"
            if zh
            else f"could fill {k} open {'need' if k == 1 else 'needs'}: {_listing(labels, lang)}"
        )
        say("needs", text)
    if val["skills"] > 0:
        record = graph.get(index.ids("resident")[int(ctx.rows[i])], Resident)
        names = [graph.taxonomy.label(s.skill, lang) for s in record.skills]
        k = len(names)
        say(
            "skills",
            f"有 {k} 项技能：{_listing(names, lang)}"
            if zh
            else f"has {k} {'skill' if k == 1 else 'skills'}: {_listing(names, lang)}",
        )
    if val["availability"] > 0:
        hours = _hours(float(val["availability"]))
        say("availability", f"每周可投入 {hours} 小时" if zh else f"offers {hours} h a week")
    found.sort(key=lambda item: -item[0])  # stable: equal parts keep the order above
    return tuple(text for _, text in found if text)


def _led_names(ctx: _Context, i: int, lang: str) -> list[str]:
    """Names of the projects, groups and organisations resident ``i`` leads."""
    graph = ctx.graph
    rid = graph.index.ids("resident")[int(ctx.rows[i])]
    order = {"project": 0, "group": 1, "organization": 2}
    targets = [graph.get(link.target) for link in graph.links(rid, Relation.LEADS)]
    targets.sort(key=lambda record: order.get(record.kind, 3))  # projects first; stable
    return [_name(record, lang) for record in targets]


def _bridge_reason(ctx: _Context, i: int, val: Mapping[str, float], lang: str) -> str:
    graph = ctx.graph
    mine = _ids_in_row(ctx.contexts, i)
    pairs = [
        (a, b)
        for a, b in itertools.combinations(sorted(int(x) for x in mine), 2)
        if (a, b) in ctx.bridged
    ]
    if pairs:
        sizes = ctx.context_sizes

        def names(pair: tuple[int, int]) -> tuple[str, str]:
            a, b = (_context_label(graph, ctx.context_ids[x], lang) for x in pair)
            return a, b

        pairs.sort(key=lambda p: (-(sizes[p[0]] + sizes[p[1]]), names(p)))
        shown = [names(p) for p in pairs[:2]]
        if lang == "zh":
            joined = "，".join(f"{a}与{b}" for a, b in shown)
            return f"连接了{joined}（两边只有他/她同时在内）"
        joined = "; ".join(f"{a} to {b}" for a, b in shown)
        return f"connects {joined} (the only person in both)"
    d = int(val["degree"])
    c = 1.0 - float(val["brokerage"])
    if lang == "zh":
        return f"联系着 {d} 位彼此少有往来的居民（Burt 约束 {c:.2f}）"
    return f"bridges {d} contacts who are mostly not tied to each other (Burt's constraint {c:.2f})"


def _context_label(graph: CommunityGraph, entity_id: str, lang: str) -> str:
    record = graph.get(entity_id)
    name = _name(record, lang)
    if lang == "zh":
        return f"「{name}」"
    if isinstance(record, Group):
        return f"the {name} group"
    if isinstance(record, Organization):
        return name
    if isinstance(record, Project):
        return f"the {name} project"
    return name
