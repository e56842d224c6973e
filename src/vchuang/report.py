"""``vchuang report``: the main job — one HTML page a community can be handed.

:func:`build_report` runs the library's analyses on a community graph and writes, into
one folder:

* ``index.html`` — a self-contained page (figures embedded, no network references; it
  opens offline, from a USB stick or an e-mail attachment);
* ``figures/*.png`` — every figure on its own;
* ``tables/*.csv`` — every table, UTF-8 with a byte-order mark so that Excel opens the
  Chinese correctly.

The page has a section for each question the incubator asks: the overview and the
district – street – community hierarchy ("1+N"), the funnel from engaged residents to
leaders, the community talents (能人), point – line – surface (点线面) reach with its
gaps, the matching of residents to project needs, the golden ideas (金点子) and their
selection, the incubation pipeline, the micro-funds (微基金) when a ledger is given, and
the comparison of communities.

Everything published is pseudonymous: residents appear only under keyed-hash IDs,
counts of people below a threshold are suppressed, and a minor's name never appears.

Examples
--------
>>> import tempfile, vchuang
>>> from vchuang.report import build_report
>>> out = build_report(vchuang.load_example(), tempfile.mkdtemp(), key="doctest key 16 bytes")
>>> out.index.name, [s.id for s in out.sections][:3]
('index.html', ['overview', 'funnel', 'talents'])
"""

from __future__ import annotations

import base64
import csv
import html
import importlib.util
import io
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import __version__
from .errors import Problem, ValidationError
from .io import atomic_write_bytes, atomic_write_text
from .model import KIND_PLURALS, OrgKind, Stage

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .funding import Ledger, Sustainability
    from .graph import CommunityGraph
    from .matching import MatchResult

__all__ = ["Report", "Scale", "Section", "Table", "build_report"]

#: Counts of people below this are suppressed in published tables.
SMALL_CELL = 5


@attrs.frozen(kw_only=True)
class Table:
    """A table of a report section: its CSV name, columns and (published) rows."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    caption: str = ""
    suppressed: int = 0
    """How many cells were hidden by small-cell suppression."""


@attrs.frozen(kw_only=True)
class Figure:
    """A figure of a report section: its file name, alt text and PNG bytes."""

    name: str
    alt: str
    png: bytes = attrs.field(repr=False)


@attrs.frozen(kw_only=True)
class Section:
    """One section of the report."""

    id: str
    title: str
    text: tuple[str, ...]
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()


@attrs.frozen(kw_only=True)
class Report:
    """What :func:`build_report` wrote."""

    out: Path
    index: Path
    sections: tuple[Section, ...]
    files: tuple[Path, ...]
    methods: Mapping[str, str] = attrs.field(factory=dict)
    """The method each size-dependent section used, by section ID (``"matching"``:
    ``"optimal"`` or ``"greedy"``; ``"mouth"``: ``"full"`` or ``"fast"``; ``"talents"``:
    ``"exact"``, ``"sampled"`` or ``"few pivots"`` betweenness); see :class:`Scale`."""


# --------------------------------------------------------------------------- scale


@attrs.frozen(kw_only=True)
class Scale:
    """The sizes above which a section of the report switches to a method that fits.

    A pilot of a few hundred residents gets the exact methods; a district of 100,000
    gets methods whose time and memory grow gently with its size. Every switch is
    stated in the report's "how this was computed" note, with the count that caused it.
    The defaults were measured on synthetic districts on a 2-core machine (see
    ``benchmarks/bench_report.py`` and the "at district scale" section of the docs).

    Examples
    --------
    >>> Scale().matching(4_981), Scale().matching(110_240)
    ('optimal', 'greedy')
    >>> Scale.exact().matching(10**9)
    'optimal'
    """

    exact_pairs: int = 20_000
    """Eligible resident–need pairs (binaries of the exact solver) up to which the
    matching is optimal; above, greedy. The exact solver's memory grows with them (a
    process peak of 1.9 GB at 23,000 pairs, 2.7 GB at 40,000; 110,000 ran out of 14 GB)."""
    spread_residents: int = 20_000
    """Residents up to which word of mouth compares its methods in full (1,000
    simulations, every engaged resident a candidate, RIS with ε = 0.1)."""
    spread_runs: int = 300
    """Simulations scoring each method above ``spread_residents``."""
    spread_epsilon: float = 0.3
    """RIS accuracy above ``spread_residents`` (its samples grow as 1/ε²)."""
    spread_candidates: int = 500
    """Candidates above ``spread_residents``: the engaged residents with most ``knows``
    ties."""
    pivot_residents: int = 200_000
    """Residents up to which talent betweenness uses the library's default pivots."""
    pivots: int = 32
    """Sampled sources for betweenness above ``pivot_residents``."""

    @classmethod
    def exact(cls) -> Scale:
        """No switch at any size: the settings of the report before sizes were weighed."""
        big = sys.maxsize
        return cls(exact_pairs=big, spread_residents=big, pivot_residents=big)

    def matching(self, pairs: int) -> str:
        """The matching method for ``pairs`` eligible resident–need pairs."""
        return "optimal" if pairs <= self.exact_pairs else "greedy"

    def spread_fast(self, residents: int) -> bool:
        """Whether word of mouth takes its cheaper settings for ``residents``."""
        return residents > self.spread_residents

    def talent_pivots(self, residents: int) -> int | None:
        """``pivots=`` for the talent ranking (``None``: the library's default)."""
        return None if residents <= self.pivot_residents else self.pivots


# --------------------------------------------------------------------------- words

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Community governance report", "社区治理报告"),
    "overview": ("Overview and hierarchy", "概况与层级"),
    "funnel": ("From engaged residents to leaders", "从热心居民到社区领袖"),
    "talents": ("Community talents (能人)", "社区能人"),
    "reach": ("Points, lines, surfaces (点线面)", "点线面"),
    "matching": ("Who helps which project", "技能与需求匹配"),
    "mouth": ("Word of mouth: whom to train next", "口碑传播：下一步培训谁"),
    "selection": ("Golden ideas (金点子) and selection", "金点子与项目征选"),
    "pipeline": ("Incubation pipeline", "孵化进程"),
    "funds": ("Micro-funds (微基金)", "微基金"),
    "comparison": ("Comparison of communities", "社区比较"),
    "made": ("Made with vchuang", "由 vchuang 生成"),
    "privacy": (
        (
            "Residents appear under pseudonymous IDs only; counts of people below {n} are "
            "shown as “<{n}”; no minor is named."
        ),
        "居民仅以化名编号出现；少于 {n} 人的计数显示为“<{n}”；不出现任何未成年人的姓名。",
    ),
    "place": ("place", "地点"),
    "level": ("level", "层级"),
    "hub": ("social innovation centre", "社会创新中心"),
    "centre": ("service centre", "党群服务中心"),
    "community": ("community", "社区"),
    "subdistrict": ("subdistrict", "街道"),
    "district": ("district", "区"),
    "residents": ("residents", "居民"),
    "engaged": ("engaged residents", "热心居民"),
    "talents_n": ("talents", "能人"),
    "leaders": ("leaders", "社区领袖"),
    "project_leads": ("project leads", "项目负责人"),
    "projects": ("projects", "项目"),
    "activities": ("activities", "活动"),
    "attendance": ("attendance", "参与人次"),
    "participants": ("participants", "参与居民"),
    "unique_reach": ("unique reach", "覆盖居民"),
    "population": ("population", "人口"),
}


_KIND_ZH = {
    "district": "区",
    "subdistrict": "街道",
    "community": "社区",
    "segment": "服务群体",
    "organization": "组织",
    "group": "小组",
    "resident": "居民",
    "project": "项目",
    "activity": "活动",
    "resource": "资源",
    "call": "金点子征集",
    "proposal": "金点子",
}


def _w(key: str, lang: str) -> str:
    en, zh = _WORDS[key]
    return zh if lang == "zh" else en


# --------------------------------------------------------------------------- context


@attrs.define
class _Context:
    graph: CommunityGraph
    lang: str
    threshold: int
    ledger: Ledger | None
    rng: int
    progress: bool = False
    figure_lang: str = "en"
    """The language figures are labelled in: ``lang``, or English without a CJK font."""
    scale: Scale = attrs.field(factory=Scale)
    notes: dict[str, str] = attrs.field(factory=dict)
    """The "how this was computed" line of each size-dependent section, by section ID."""
    methods: dict[str, str] = attrs.field(factory=dict)
    """The method each size-dependent section chose, by section ID."""
    reduced: set[str] = attrs.field(factory=set)
    """Sections that took a cheaper method than the full one."""
    _matching: MatchResult | None = None
    _matched: bool = False
    _outlook: Sustainability | None = None

    def outlook(self) -> Sustainability | None:
        """The projects' money outlook from the ledger (once), ``None`` without one."""
        from .funding import sustainability

        if self._outlook is None and self.ledger is not None:
            self._outlook = sustainability(self.ledger, rng=self.rng)
        return self._outlook

    def matching(self) -> MatchResult | None:
        """The matching of the graph's residents to its projects' needs (once): optimal
        up to :attr:`Scale.exact_pairs` eligible pairs, else greedy."""
        from .matching import match

        if self._matched:
            return self._matching
        self._matched = True
        if not (self.graph.projects() and self.graph.residents()):
            return None
        # the greedy pass is cheap (well under a second at 100,000 residents) and counts
        # the eligible pairs, which decide whether the exact solver fits
        quick = match(self.graph, method="greedy")
        pairs = int(quick.totals["eligible_pairs"])
        method = self.scale.matching(pairs)
        self._matching = quick if method == "greedy" else match(self.graph)
        self.methods["matching"] = method
        self.note(
            "matching",
            f"matching_{method}",
            method == "greedy",
            pairs=f"{pairs:,}",
            limit=f"{self.scale.exact_pairs:,}",
        )
        return self._matching

    def noted(self, section: str, text: tuple[str, ...]) -> tuple[str, ...]:
        """``text`` with the section's method line when it took a cheaper method."""
        return (*text, self.notes[section]) if section in self.reduced else text

    def note(self, section: str, key: str, reduced: bool, **fields: object) -> None:
        """Record how ``section`` was computed (catalogue entry ``report.method.<key>``)."""
        from .kernel.text import text

        self.notes[section] = text(f"report.method.{key}", self.lang, **fields)
        if reduced:
            self.reduced.add(section)

    def place_name(self, place_id: str, lang: str | None = None) -> str:
        record: Any = self.graph.get(place_id)
        name_zh = getattr(record, "name_zh", "")
        return name_zh if (lang or self.lang) == "zh" and name_zh else record.name

    def figure_names(self) -> dict[str, str]:
        """Place names as tables show them -> as figures can (English without a CJK font)."""
        if self.figure_lang == self.lang:
            return {}
        g = self.graph
        places: list[Any] = [*g.districts(), *g.subdistricts(), *g.communities()]
        return {self.place_name(p.id): self.place_name(p.id, self.figure_lang) for p in places}

    def table(
        self,
        name: str,
        rows: Sequence[Mapping[str, Any]],
        columns: Sequence[str],
        *,
        people: Sequence[str] = (),
        parts: Callable[[Mapping[str, Any]], bool] = lambda _: True,
        caption: str = "",
    ) -> Table:
        """A published table: counts of people in ``people`` columns suppressed.

        ``parts`` tells the rows that add up to the table's totals (communities, when the
        table also shows their subdistrict and district): where a column hides just one
        of them, the next smallest is hidden too, so the total cannot give it away.
        """
        from .privacy import suppress_small

        suppressed = 0
        published: list[dict[str, Any]] = [dict(r) for r in rows]
        if people and rows:
            result = suppress_small(rows, list(people), self.threshold, secondary=False)
            published = result.to_rows()
            suppressed = result.suppressed
            suppressed += _column_secondary(published, people, parts)
        return Table(
            name=name,
            columns=tuple(columns),
            rows=tuple(tuple(row.get(c) for c in columns) for row in published),
            caption=caption,
            suppressed=suppressed,
        )

    def figure(
        self,
        name: str,
        alt: str,
        draw: Callable[[Axes], Any],
        figsize: tuple[float, float] = (7.5, 4.5),
    ) -> Figure:
        """Render ``draw(ax)`` to PNG bytes."""
        from .plot import new_axes

        ax = new_axes(figsize=figsize)
        draw(ax)
        buffer = io.BytesIO()
        figure = ax.get_figure(root=True)
        if figure is None:  # pragma: no cover - new_axes always makes a figure
            raise ValueError(name)
        figure.savefig(buffer, format="png", dpi=110)
        return Figure(name=name, alt=alt, png=buffer.getvalue())


def _column_secondary(
    rows: list[dict[str, Any]],
    columns: Sequence[str],
    parts: Callable[[Mapping[str, Any]], bool],
) -> int:
    """Secondary suppression down columns; returns how many more cells it hid."""
    inside = [i for i, row in enumerate(rows) if parts(row)]
    more = 0
    for col in columns:
        hidden = [i for i in inside if isinstance(rows[i][col], str)]
        if len(hidden) != 1:
            continue
        shown = [i for i in inside if isinstance(rows[i][col], int) and rows[i][col] > 0]
        if shown:
            j = min(shown, key=lambda i: (rows[i][col], i))
            rows[j][col] = rows[hidden[0]][col]
            more += 1
    return more


# --------------------------------------------------------------------------- sections


def _overview(ctx: _Context) -> Section:
    g, lang = ctx.graph, ctx.lang
    rows = []
    for district in g.districts():
        hubs = [
            o for o in g.organizations(district.id, org_kind=OrgKind.HUB) if o.place == district.id
        ]
        rows.append(
            {
                "level": _w("district", lang),
                "place": ctx.place_name(district.id),
                "centre": ", ".join(ctx.place_name(h.id) for h in hubs),
            }
        )
        for sub in g.subdistricts(district.id):
            hubs = [o for o in g.organizations(sub.id, org_kind=OrgKind.HUB) if o.place == sub.id]
            rows.append(
                {
                    "level": "— " + _w("subdistrict", lang),
                    "place": ctx.place_name(sub.id),
                    "centre": ", ".join(ctx.place_name(h.id) for h in hubs),
                }
            )
            for community in g.communities(sub.id):
                centres = g.organizations(community.id, org_kind=OrgKind.SERVICE_CENTRE)
                rows.append(
                    {
                        "level": "—— " + _w("community", lang),
                        "place": ctx.place_name(community.id),
                        "centre": ", ".join(ctx.place_name(c.id) for c in centres),
                    }
                )
    counts = g.summary().counts
    meta = g.metadata
    text = [meta.description] if meta.description else []
    if lang == "zh":
        kinds = "，".join(f"{_KIND_ZH[k]} {n}" for k, n in counts.items() if n)
    else:
        kinds = ", ".join(f"{n} {k if n == 1 else KIND_PLURALS[k]}" for k, n in counts.items() if n)
    text.append(("The dataset holds: " if lang == "en" else "数据包括：") + kinds + ".")
    if meta.as_of is not None:
        text.append(("Records as of " if lang == "en" else "数据截至 ") + meta.as_of.isoformat())
    text.append(_w("privacy", lang).format(n=ctx.threshold))
    hierarchy = ctx.table("hierarchy", rows, ["level", "place", "centre"])
    return Section(id="overview", title=_w("overview", lang), text=tuple(text), tables=(hierarchy,))


def _indicator_rows(ctx: _Context) -> list[dict[str, Any]]:
    from .indicators import table

    rows = []
    for row in table(
        ctx.graph, matching=ctx.matching(), ledger=ctx.ledger, outlook=ctx.outlook()
    ).rows:
        flat = row.to_dict()
        flat["place"] = ctx.place_name(row.place)
        flat["level"] = _w(row.level, ctx.lang)
        rows.append(flat)
    return rows


_PEOPLE = (
    "residents",
    "engaged",
    "talents",
    "leaders",
    "project_leads",
    "participants",
    "unique_reach",
)


def _funnel(ctx: _Context) -> Section:
    from .incubator import funnel

    lang = ctx.lang
    result = funnel(ctx.graph)
    rows = []
    for row in result.to_rows():
        place = row["community"]
        rows.append(
            {**row, "place": ctx.place_name(place) if place in ctx.graph else _w("district", lang)}
        )
    stages = ["engaged", "talent", "leader", "project_lead"]
    tab = ctx.table(
        "funnel",
        rows,
        ["place", *stages, "projects"],
        people=stages,
        parts=lambda r: r["community"] in ctx.graph,
    )

    def draw(ax: Axes) -> None:
        flang = ctx.figure_lang
        _suppressed_bars(
            ax,
            tab,
            "place",
            stages,
            flang,
            rows_filter=lambda r: r[0] != rows[-1]["place"],
            names=ctx.figure_names(),
        )
        ax.set_ylabel(_w("residents", flang), **_font(flang))

    text = (
        "Social workers find engaged residents (热心居民) at mobilisation, selection and "
        "volunteer meetings; some become talents (能人), coached in plan design, funding "
        "applications and reimbursement, running activities, press releases and public "
        "speaking; the strongest become leaders who run projects."
        if lang == "en"
        else "社工通过社区动员会、项目征选会和志愿者例会发现热心居民；其中一部分成长为能人，接受方案设计、"
        "经费申请报销、活动执行、新闻稿写作和公众演讲的培训；最突出的成为带领项目的社区领袖。",
    )
    fig = ctx.figure("funnel", _w("funnel", lang), draw)
    return Section(id="funnel", title=_w("funnel", lang), text=text, tables=(tab,), figures=(fig,))


def _suppressed_bars(
    ax: Axes,
    table: Table,
    label: str,
    keys: Sequence[str],
    lang: str,
    *,
    rows_filter: Callable[[tuple[Any, ...]], bool] = lambda _: True,
    names: Mapping[str, str] | None = None,
) -> None:
    """Grouped bars of a published table: a suppressed count is drawn as no bar, with
    its marker ("<5") written where the bar would stand — figures hide what tables hide.

    ``lang`` is the figures' label language; ``names`` turns the table's ``label``
    values into it (from :meth:`_Context.figure_names`)."""
    import numpy as np

    from .plot import COLORS

    palette = [COLORS[k] for k in ("volunteer", "talent", "leader", "project", "activity")]
    rows = [r for r in table.rows if rows_filter(r)]
    col = {c: i for i, c in enumerate(table.columns)}
    x = np.arange(len(rows))
    width = 0.8 / len(keys)
    for i, key in enumerate(keys):
        values = [r[col[key]] for r in rows]
        heights = [v if isinstance(v, int | float) else 0 for v in values]
        ax.bar(
            x + i * width,
            heights,
            width,
            label=_w(_LABEL_KEYS.get(key, key), lang),
            color=palette[i % len(palette)],
        )
        for xi, value in zip(x + i * width, values, strict=True):
            if isinstance(value, str):
                ax.text(xi, 0, value, ha="center", va="bottom", fontsize=8)
    names = names or {}
    ticks = [names.get(str(r[col[label]]), str(r[col[label]])) for r in rows]
    ax.set_xticks(x + width * (len(keys) - 1) / 2, ticks, **_font(lang))
    ax.legend(prop=_prop(lang))


_LABEL_KEYS = {"talent": "talents_n", "leader": "leaders", "project_lead": "project_leads"}


def _word_of_mouth(ctx: _Context) -> Section | None:
    from .diffusion import compare_seeds

    g, lang = ctx.graph, ctx.lang
    engaged = [r.id for r in g.engaged()]
    if len(engaged) < 2 or not g.links(relation="knows"):
        return None
    k = min(5, len(engaged))
    # the inner progress bar needs tqdm (an optional extra); the report's own bar does not
    inner = ctx.progress and importlib.util.find_spec("tqdm") is not None
    residents = len(g.residents())
    scale = ctx.scale
    if scale.spread_fast(residents):
        degree: dict[str, int] = dict.fromkeys(engaged, 0)
        for link in g.links(relation="knows"):
            for end in (link.source, link.target):
                if end in degree:
                    degree[end] += 1
        chosen = sorted(engaged, key=lambda r: (-degree[r], r))[: max(scale.spread_candidates, k)]
        settings: dict[str, Any] = {"runs": scale.spread_runs, "epsilon": scale.spread_epsilon}
        ctx.methods["mouth"] = "fast"
        ctx.note(
            "mouth",
            "mouth_fast",
            True,
            runs=f"{scale.spread_runs:,}",
            epsilon=scale.spread_epsilon,
            candidates=f"{len(chosen):,}",
            engaged=f"{len(engaged):,}",
            residents=f"{residents:,}",
            limit=f"{scale.spread_residents:,}",
        )
    else:
        chosen, settings = engaged, {}
        ctx.methods["mouth"] = "full"
        ctx.note(
            "mouth",
            "mouth_full",
            False,
            engaged=f"{len(engaged):,}",
            residents=f"{residents:,}",
            limit=f"{scale.spread_residents:,}",
        )
    result = compare_seeds(
        g, k, probability="wc", candidates=chosen, rng=ctx.rng, progress=inner, **settings
    )
    rows = [row for row in result.to_rows() if row["k"] == k]
    for row in rows:
        row["spread"] = round(row["spread"], 1)
    tab = ctx.table("word_of_mouth", rows, ["method", "k", "spread"])
    fig = ctx.figure(
        "word_of_mouth", _w("mouth", lang), lambda ax: result.plot(ax=ax, lang=ctx.figure_lang)
    )
    best = max(rows, key=lambda r: r["spread"])
    text = (
        f"If the incubator trains {k} engaged residents to spread the word (independent "
        f"cascade over neighbour ties, weighted cascade probabilities), the best choice "
        f"found ({best['method']}) reaches about {best['spread']:.0f} residents; the chart "
        "compares ways of choosing them."
        if lang == "en"
        else f"如果孵化器培训 {k} 位热心居民进行口碑传播（基于邻里关系的独立级联模型），所找到的最佳方案"
        f"（{best['method']}）约可覆盖 {best['spread']:.0f} 位居民；图中比较了不同的选择方法。",
    )
    return Section(
        id="mouth",
        title=_w("mouth", lang),
        text=ctx.noted("mouth", text),
        tables=(tab,),
        figures=(fig,),
    )


def _matching(ctx: _Context) -> Section | None:
    lang = ctx.lang
    result = ctx.matching()
    if result is None or not result.projects:
        return None
    rows = [
        {
            "project": (p.name_zh or p.name) if lang == "zh" else p.name,
            "needs": p.needs,
            "hours_needed": p.demand_hours,
            "hours_staffed": p.fixed_hours + p.new_hours,
            "hours_unmet": p.unmet_hours,
            "needs_unmet": p.needs_unmet,
        }
        for p in result.projects
    ]
    tab = ctx.table(
        "matching",
        rows,
        ["project", "needs", "hours_needed", "hours_staffed", "hours_unmet", "needs_unmet"],
    )
    unmet = [
        {
            "project": u.project,
            "skill": ctx.graph.taxonomy.label(u.skill, lang),
            "hours_short": u.shortfall_hours,
            "people_short": u.shortfall_people,
            "why": "; ".join(u.reasons[:2]),
        }
        for u in result.unmet
    ]
    tables = [tab]
    if unmet:
        tables.append(
            ctx.table(
                "unmet_needs", unmet, ["project", "skill", "hours_short", "people_short", "why"]
            )
        )
    fig = ctx.figure(
        "matching", _w("matching", lang), lambda ax: result.plot(ax=ax, lang=ctx.figure_lang)
    )
    total = result.totals
    text = (
        f"Residents' skills matched to projects' needs, maximising score-weighted hours "
        f"within each resident's weekly hours ({result.solver}). "
        f"{total['hours_assigned']:.0f} of {total['hours_demanded']:.0f} hours a week are "
        f"staffed; {total['needs_unmet']:.0f} needs stay unmet."
        if lang == "en"
        else f"按居民每周可用时间，将居民技能与项目需求匹配，使加权服务时数最大。每周需求 "
        f"{total['hours_demanded']:.0f} 小时中已安排 {total['hours_assigned']:.0f} 小时；"
        f"{total['needs_unmet']:.0f} 项需求未能满足。",
    )
    return Section(
        id="matching",
        title=_w("matching", lang),
        text=ctx.noted("matching", text),
        tables=tuple(tables),
        figures=(fig,),
    )


def _project_label(project: Any, lang: str) -> str:
    name = (project.name_zh or project.name) if lang == "zh" else project.name
    stage = getattr(project, "stage", None)
    return f"{name} ({stage.label(lang)})" if stage is not None else str(name)


def _selection(ctx: _Context) -> Section | None:
    from .funding import format_yuan
    from .selection import check_eligibility

    g, lang = ctx.graph, ctx.lang
    calls = [c for c in g.calls() if g.proposals(c.id)]
    if not calls:
        return None
    tables, figures, text = [], [], []
    for call in calls:
        proposals = g.proposals(call.id)
        verdicts = {row["proposal"]: row for row in check_eligibility(g, call.id).to_rows()}
        rows = []
        for idea in proposals:
            project = g.get(idea.project) if idea.project is not None else None
            rows.append(
                {
                    "idea": (idea.name_zh or idea.name) if lang == "zh" else idea.name,
                    "cost": format_yuan(idea.cost_fen),
                    "eligible": ("是" if lang == "zh" else "yes")
                    if verdicts[idea.id]["eligible"]
                    else ("否" if lang == "zh" else "no"),
                    "became": "" if project is None else _project_label(project, lang),
                }
            )
        tables.append(ctx.table(f"ideas_{call.id}", rows, ["idea", "cost", "eligible", "became"]))
        chosen = [i for i in proposals if i.project is not None]
        used = sum(i.cost_fen for i in chosen)
        name = ctx.place_name(call.id)
        text.append(
            f"{name}: {len(proposals)} golden ideas (金点子) came in; {len(chosen)} became "
            f"projects, costing {format_yuan(used, symbol=True)} of the call's "
            f"{format_yuan(call.budget_fen, symbol=True)}. Proposers are not named; ideas of "
            "children are shown like any other."
            if lang == "en"
            else f"{name}：共收到 {len(proposals)} 个金点子，{len(chosen)} 个成为项目，"
            f"使用 {format_yuan(used, symbol=True)}（预算 {format_yuan(call.budget_fen, symbol=True)}）。"
            "提案人不具名。"
        )

        def draw(ax: Axes, proposals: Sequence[Any] = proposals) -> None:
            from .plot import COLORS

            flang = ctx.figure_lang
            labels = [(p.name_zh or p.name) if flang == "zh" else p.name for p in proposals]
            colours = [COLORS["project"] if p.project else COLORS["unmet"] for p in proposals]
            ax.barh(range(len(proposals)), [p.cost_fen / 100 for p in proposals], color=colours)
            ax.set_yticks(range(len(proposals)), labels, **_font(flang))
            ax.invert_yaxis()
            ax.set_xlabel("cost (yuan)" if flang == "en" else "预算（元）", **_font(flang))

        figures.append(ctx.figure(f"ideas_{call.id}", _w("selection", lang), draw, figsize=(8, 5)))
    return Section(
        id="selection",
        title=_w("selection", lang),
        text=tuple(text),
        tables=tuple(tables),
        figures=tuple(figures),
    )


def _pipeline(ctx: _Context) -> Section | None:
    from .incubator import Incubator, pipeline

    g, lang = ctx.graph, ctx.lang
    if not g.projects():
        return None
    result = pipeline(g)
    stages = [s.value for s in result.stages if result.totals[s]]
    rows = [{**row, "community": ctx.place_name(row["community"])} for row in result.to_rows()]
    tab = ctx.table("pipeline", rows, ["community", *stages, "total"])
    incubator = Incubator(g)
    blockers = []
    for project in g.projects():
        for check in incubator.blockers(project.id)[:3]:
            blockers.append(
                {
                    "project": project.name_zh
                    if lang == "zh" and project.name_zh
                    else project.name,
                    "stage": project.stage.label(lang),
                    "missing": str(check),
                }
            )
    blocked = ctx.table("blockers", blockers, ["project", "stage", "missing"])
    fig = ctx.figure(
        "pipeline", _w("pipeline", lang), lambda ax: result.plot(ax=ax, lang=ctx.figure_lang)
    )
    text = (
        "The standard process: seed selection (种子遴选) → empowerment (种子培力赋能) → brand "
        "creation (品牌创建) → resource linkage (资源联动), then running. The second table "
        "says what each project still lacks for its next step."
        if lang == "en"
        else "标准化孵化流程：种子遴选 → 种子培力赋能 → 品牌创建 → 资源联动，然后进入运行。第二张表列出各项目进入下一步尚缺什么。",
    )
    return Section(
        id="pipeline", title=_w("pipeline", lang), text=text, tables=(tab, blocked), figures=(fig,)
    )


def _talents(ctx: _Context) -> Section | None:
    from .talent import BETWEENNESS_EXACT_LIMIT, DEFAULT_PIVOTS, rank_talents

    g, lang = ctx.graph, ctx.lang
    if not g.residents():
        return None
    residents = len(g.residents())
    pivots = ctx.scale.talent_pivots(residents)
    ranking = rank_talents(g, rng=ctx.rng, lang=lang, pivots=pivots)
    ctx.methods["talents"] = (
        "exact" if ranking.betweenness == "exact" else "sampled" if pivots is None else "few pivots"
    )
    if ranking.betweenness == "exact":
        ctx.note("talents", "talents_exact", False, residents=f"{residents:,}")
    elif pivots is None:
        ctx.note(
            "talents",
            "talents_sampled",
            False,
            pivots=f"{ranking.pivots or DEFAULT_PIVOTS:,}",
            residents=f"{residents:,}",
            exact=f"{BETWEENNESS_EXACT_LIMIT:,}",
        )
    else:
        ctx.note(
            "talents",
            "talents_few",
            True,
            pivots=f"{pivots:,}",
            default=f"{DEFAULT_PIVOTS:,}",
            residents=f"{residents:,}",
            limit=f"{ctx.scale.pivot_residents:,}",
        )
    # the best five of each community, in one pass over the ranking (not one a community)
    best: dict[str, list[int]] = {}
    for i, place in enumerate(ranking.communities):
        kept = best.setdefault(place, [])
        if len(kept) < 5:
            kept.append(i)
    rows = []
    for community in g.communities():
        top = [ranking[i] for i in best.get(community.id, [])]
        for t in top:
            rows.append(
                {
                    "community": ctx.place_name(community.id),
                    "rank": t.community_rank,
                    "resident": t.resident,
                    "score": round(t.score, 3),
                    "why": "; ".join(t.reasons[:3]),
                }
            )
    tab = ctx.table("talents", rows, ["community", "rank", "resident", "score", "why"])
    fig = ctx.figure(
        "talents",
        _w("talents", lang),
        lambda ax: ranking.plot(ax=ax, n=12, lang=ctx.figure_lang),
        figsize=(8, 5),
    )
    text = (
        "Residents ranked within their community on network position, engagement, skills "
        "(and the open needs they could fill) and time offered; the reasons say why."
        if lang == "en"
        else "按网络位置、参与程度、技能（及可填补的需求）和可投入时间，在各社区内对居民排序；并说明理由。",
    )
    return Section(
        id="talents",
        title=_w("talents", lang),
        text=ctx.noted("talents", text),
        tables=(tab,),
        figures=(fig,),
    )


def _reach(ctx: _Context) -> Section | None:
    from .reach import reach_report

    g, lang = ctx.graph, ctx.lang
    if not g.leaders():
        return None
    rep = reach_report(g)
    coverage_rows = [
        {
            "segment": (c.name_zh or c.name) if lang == "zh" else c.name,
            "reached": c.reached,
            "of": c.denominator,
            "share": "–" if c.share is None else f"{100 * c.share:.1f}%",
            "gap": ("是" if lang == "zh" else "yes") if c.gap else "",
        }
        for c in rep.segments
    ]
    tab = ctx.table(
        "segment_coverage",
        coverage_rows,
        ["segment", "reached", "of", "share", "gap"],
        people=["reached"],
    )
    figures = [
        ctx.figure(
            "reach",
            _w("reach", lang),
            lambda ax: rep.plot(ax=ax, lang=ctx.figure_lang, suppress=ctx.threshold),
            figsize=(8, 5),
        )
    ]
    text = (
        f"{len(rep.points)} leaders (points) run their projects (lines) and reach "
        f"{rep.unique_reach} residents by name (the surface), {rep.leverage:.1f} per leader. "
        + (
            f"{len(rep.gaps)} segments are covered below {rep.threshold:.0%}."
            if rep.gaps
            else "No segment falls below the threshold."
        )
        if lang == "en"
        else f"{len(rep.points)} 位社区领袖（点）通过所带领的项目（线）覆盖 {rep.unique_reach} 位具名居民（面），"
        f"平均每位领袖 {rep.leverage:.1f} 人。"
        + (f"有 {len(rep.gaps)} 个群体覆盖率低于 {rep.threshold:.0%}。" if rep.gaps else ""),
    )
    return Section(
        id="reach", title=_w("reach", lang), text=text, tables=(tab,), figures=tuple(figures)
    )


def _funds(ctx: _Context) -> Section | None:
    from .funding import format_yuan

    ledger, lang = ctx.ledger, ctx.lang
    if ledger is None:
        return None
    outlook = ctx.outlook()
    if outlook is None or not outlook.outlooks:
        return None
    rows = [
        {
            "project": (o.name_zh or o.name) if lang == "zh" else o.name,
            "balance": format_yuan(o.balance_fen),
            "burn_per_month": format_yuan(o.burn_fen),
            "runway_months": "∞" if o.runway_months == float("inf") else f"{o.runway_months:.1f}",
            "chance_dry": f"{100 * o.ruin_probability:.0f}%",
            "campaign_first": ("是" if lang == "zh" else "yes") if o.needs_campaign else "",
            "why": "; ".join(o.reasons[:2]),
        }
        for o in outlook.outlooks
    ]
    columns = [
        "project",
        "balance",
        "burn_per_month",
        "runway_months",
        "chance_dry",
        "campaign_first",
        "why",
    ]
    tab = ctx.table("micro_funds", rows, columns)
    projects = [o.project for o in outlook.outlooks]
    figures = (
        ctx.figure(
            "runway", _w("funds", lang), lambda ax: outlook.plot(ax=ax, lang=ctx.figure_lang)
        ),
        ctx.figure(
            "balances",
            _w("funds", lang),
            lambda ax: ledger.history(projects).plot(ax=ax, lang=ctx.figure_lang),
        ),
    )
    text = (
        f"Balances in yuan; runway is the months the money lasts at the recent burn rate "
        f"once incubation money ends; the chance of running dry within {outlook.horizon} "
        f"months comes from {outlook.runs:,} simulated futures of the project's own "
        "donation history. Projects that need a micro-fund (微基金) campaign come first."
        if lang == "en"
        else f"金额单位为元；可持续月数指孵化资金结束后按近期支出速度资金可维持的月数；{outlook.horizon} "
        f"个月内资金耗尽的概率来自基于项目自身捐赠记录的 {outlook.runs:,} 次模拟。需要开展微基金募捐的项目排在前面。",
    )
    return Section(id="funds", title=_w("funds", lang), text=text, tables=(tab,), figures=figures)


def _comparison(ctx: _Context) -> Section:
    lang = ctx.lang
    rows = _indicator_rows(ctx)
    columns = [
        "place",
        "level",
        "population",
        "residents",
        "engaged",
        "leaders",
        "projects",
        "activities",
        "attendance",
        "participants",
        "unique_reach",
        "matched_hours",
        "unmet_hours",
    ]
    if ctx.ledger is not None:
        columns += ["funds_raised_fen", "median_runway_months"]
    stage_columns = [f"stage_{s.value}" for s in Stage if any(r[f"stage_{s.value}"] for r in rows)]
    community = _w("community", lang)
    tab = ctx.table(
        "indicators",
        rows,
        columns + stage_columns,
        people=[c for c in columns if c in _PEOPLE],
        parts=lambda r: r["level"] == community,
    )
    level = tab.columns.index("level")

    def draw(ax: Axes) -> None:
        _suppressed_bars(
            ax,
            tab,
            "place",
            ["participants", "unique_reach", "activities"],
            ctx.figure_lang,
            rows_filter=lambda r: r[level] == community,
            names=ctx.figure_names(),
        )

    text = (
        "Unique measures (participants, reach) of a subdistrict or the district are "
        "recomputed on the union of its communities, never summed."
        if lang == "en"
        else "街道和区的去重指标（参与居民、覆盖居民）按所辖社区的并集重新计算，而非简单相加。",
    )
    fig = ctx.figure("comparison", _w("comparison", lang), draw)
    return Section(
        id="comparison", title=_w("comparison", lang), text=text, tables=(tab,), figures=(fig,)
    )


def _font(lang: str) -> dict[str, Any]:
    """Text keywords for a figure label in ``lang`` (a ``figure_lang``)."""
    from .plot import font_kw

    return font_kw(lang)


def _prop(lang: str) -> dict[str, Any]:
    """A legend's ``prop`` for labels in ``lang`` (a ``figure_lang``)."""
    from .plot import font_kw

    family = font_kw(lang).get("fontfamily")
    return {"family": family} if family else {}


def _method(ctx: _Context) -> Section | None:
    """How this was computed: shown only when some section took a cheaper method, so a
    pilot's report (all exact) is what it always was."""
    from .kernel.text import text

    if not ctx.reduced:
        return None
    lang = ctx.lang
    residents = len(ctx.graph.residents())
    engaged = len(ctx.graph.engaged())
    lines = [text("report.method.intro", lang, residents=f"{residents:,}", engaged=f"{engaged:,}")]
    lines += [ctx.notes[s] for s in ("talents", "mouth", "matching") if s in ctx.notes]
    return Section(id="method", title=text("report.method.title", lang), text=tuple(lines))


_SECTIONS: tuple[Callable[[_Context], Section | None], ...] = (
    _overview,
    _funnel,
    _talents,
    _reach,
    _word_of_mouth,
    _matching,
    _selection,
    _pipeline,
    _funds,
    _comparison,
)


# --------------------------------------------------------------------------- output

_STYLE = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",
system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{border-bottom:3px solid #d62728;padding-bottom:.3em}
h2{margin-top:2em;border-bottom:1px solid #ccc}
nav a{margin-right:1em}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}
img{max-width:100%;height:auto;display:block;margin:1em 0}
.note{color:#555;font-size:.9em}
footer{margin-top:3em;color:#777;font-size:.85em}
"""

_CHECK = """
window.__errors=[];
window.addEventListener('error',function(e){window.__errors.push(String(e.message));});
window.addEventListener('load',function(){
  var imgs=document.images, ok=0;
  for(var i=0;i<imgs.length;i++){if(imgs[i].naturalWidth>0&&imgs[i].naturalHeight>0)ok++;}
  document.body.setAttribute('data-figures',ok+'/'+imgs.length);
  document.body.setAttribute('data-errors',String(window.__errors.length));
});
"""


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return html.escape(str(value))


def _render(sections: Sequence[Section], title: str, lang: str, threshold: int) -> str:
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        f"<script>{_CHECK}</script>",
        "</head>",
        "<body>",
        f"<h1>{html.escape(title)}</h1>",
        "<nav>"
        + "".join(f'<a href="#{s.id}">{html.escape(s.title)}</a>' for s in sections)
        + "</nav>",
    ]
    for section in sections:
        parts.append(f'<section id="{section.id}">')
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        parts += [f"<p>{html.escape(p)}</p>" for p in section.text]
        for figure in section.figures:
            data = base64.b64encode(figure.png).decode("ascii")
            parts.append(
                f'<img src="data:image/png;base64,{data}" alt="{html.escape(figure.alt)}">'
            )
        for table in section.tables:
            parts.append("<table>")
            if table.caption:
                parts.append(f"<caption>{html.escape(table.caption)}</caption>")
            parts.append(
                "<thead><tr>"
                + "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
                + "</tr></thead>"
            )
            parts.append("<tbody>")
            for row in table.rows:
                parts.append("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>")
            parts.append("</tbody></table>")
            if table.suppressed:
                note = (
                    f"{table.suppressed} cells below {threshold} suppressed."
                    if lang == "en"
                    else f"{table.suppressed} 个少于 {threshold} 的单元格已隐去。"
                )
                parts.append(f'<p class="note">{html.escape(note)}</p>')
        parts.append("</section>")
    footer = f"{_w('made', lang)} {__version__}"
    parts += [f"<footer>{html.escape(footer)}</footer>", "</body>", "</html>", ""]
    return "\n".join(parts)


def _csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(["" if v is None else v for v in row] for row in table.rows)
    return "\ufeff" + buffer.getvalue()


def _progress(enabled: bool, total: int) -> Callable[[str], None]:
    state = {"done": 0}

    def step(label: str) -> None:
        state["done"] += 1
        if enabled:
            done = state["done"]
            bar = "#" * done + "." * (total - done)
            sys.stderr.write(f"\r[{bar}] {done}/{total} {label:<24}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

    return step


def build_report(
    graph: CommunityGraph,
    out: str | os.PathLike[str],
    *,
    lang: str = "en",
    ledger: Ledger | None = None,
    key: bytes | str | None = None,
    threshold: int = SMALL_CELL,
    rng: int = 0,
    progress: bool = False,
    scale: Scale | None = None,
) -> Report:
    """Write the report of ``graph`` into the folder ``out``.

    Parameters
    ----------
    graph : CommunityGraph
        The community graph.
    out : str or PathLike
        The folder to write into (created if missing; files of an earlier report are
        replaced).
    lang : str
        ``"en"`` or ``"zh"`` for headings, text and figure labels.
    ledger : vchuang.funding.Ledger, optional
        The micro-fund ledger; without one the micro-funds section is left out.
    key : bytes or str, optional
        The key of the pseudonymous IDs (at least 16 bytes). ``None`` draws a fresh
        random key, so the IDs cannot be linked to any other output; give the same key
        to get the same IDs in every report.
    threshold : int
        Counts of people below this are suppressed in tables (default 5).
    rng : int
        Seed for the analyses that sample (talent ranking on big graphs …).
    progress : bool
        Show a progress bar on standard error.
    scale : Scale, optional
        The sizes above which sections switch to methods that fit (default
        :class:`Scale`; :meth:`Scale.exact` never switches). A pilot stays on the exact
        methods either way; the page says which method each section used, and why,
        whenever one switched.

    Returns
    -------
    Report
        The sections and the files written.

    Raises
    ------
    ValidationError
        ``lang`` or ``threshold`` is not valid.
    """
    if lang not in ("en", "zh"):
        raise ValidationError([Problem("lang", f"must be 'en' or 'zh', got {lang!r}")])
    if key is None:
        import secrets

        key = secrets.token_bytes(32)
    from .plot import label_lang

    # Figures are labelled in Chinese only with a CJK font (else English, warned once);
    # the page and its tables stay in ``lang``: the browser has its own fonts.
    figure_lang = label_lang(lang)
    from .privacy import for_publication

    # Every analysis runs on the published form of the graph: residents under keyed-hash
    # IDs, names replaced, birth years turned into age bands, free text removed. So no
    # table, figure or sentence of the report can carry a name or an internal ID.
    published = for_publication(graph, key=key)
    ctx = _Context(
        graph=published,
        lang=lang,
        threshold=threshold,
        ledger=ledger,
        rng=rng,
        progress=progress,
        figure_lang=figure_lang,
        scale=scale if scale is not None else Scale(),
    )
    step = _progress(progress, len(_SECTIONS) + 1)
    sections: list[Section] = []
    for make in _SECTIONS:
        section = make(ctx)
        step(make.__name__.strip("_"))
        if section is not None:
            sections.append(section)
    note = _method(ctx)  # after the sections, which chose their methods
    if note is not None:
        sections.append(note)
    folder = Path(out)
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for section in sections:
        for figure in section.figures:
            path = folder / "figures" / f"{figure.name}.png"
            atomic_write_bytes(path, figure.png)
            files.append(path)
        for table in section.tables:
            path = folder / "tables" / f"{table.name}.csv"
            atomic_write_text(path, _csv_text(table))
            files.append(path)
    title = graph.metadata.title or _w("title", lang)
    index = folder / "index.html"
    atomic_write_text(index, _render(sections, title, lang, threshold))
    files.append(index)
    step("index.html")
    return Report(
        out=folder,
        index=index,
        sections=tuple(sections),
        files=tuple(files),
        methods=dict(ctx.methods),
    )
