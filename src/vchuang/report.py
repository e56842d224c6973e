"""``vchuang report``: the main job — one HTML page a community can be handed.

:func:`build_report` runs the library's analyses on a community graph and writes, into
one folder:

* ``index.html`` — a self-contained page (figures embedded, no network references; it
  opens offline, from a USB stick or an e-mail attachment);
* ``figures/*.png`` — every figure on its own;
* ``tables/*.csv`` — every table, UTF-8 with a byte-order mark so that Excel opens the
  Chinese correctly.

The page opens with what the programme achieved (an at-a-glance summary, then the trends
month by month), then has a section for each question the incubator asks: the overview and the
district – street – community hierarchy ("1+N"), the funnel from engaged residents to
leaders, the community talents (能人), point – line – surface (点线面) reach with its
gaps, the matching of residents to project needs, the golden ideas (金点子) and their
selection, the incubation pipeline, the micro-funds (微基金) when a ledger is given, and
the comparison of communities. Two optional sections come after them when asked for
(``sections=``, ``vchuang report --sections``): social capital (bonding and bridging ties,
brokers) and participation and retention (the ladder, volunteers' retention, dormant
projects).

Every word of the page comes from the text catalogue (``report.*`` entries), in Chinese or
English; the CSV files keep stable machine column names and money in fen, and guard cells a
spreadsheet would run as formulas. The page prints on A4 with repeated table headers.

Everything published is pseudonymous: residents appear only under keyed-hash IDs,
counts of people below a threshold are suppressed, and a minor's name never appears.
The staff mode (``reveal=True``, ``vchuang report --internal``) names the consenting
adults where a section lists people, watermarks every page "internal — not for
publication", and never shares a folder with a public report.

The page is rendered from the Jinja2 templates of ``vchuang/data/templates/report/``
with autoescaping; ``pdf=True`` prints it to ``report.pdf`` through headless Chromium.

The report is written whole or not at all: it is built in a temporary folder beside
``out`` and swapped in at the end, so a failure leaves an earlier report as it was. No
value of the data becomes part of a file name unchanged (:func:`file_name`), and an
``out`` folder holding anything but a report is refused before any analysis runs.

Examples
--------
>>> import tempfile, vchuang
>>> from vchuang.report import build_report
>>> out = build_report(vchuang.load_example(), tempfile.mkdtemp(), key="doctest key 16 bytes")
>>> out.index.name, [s.id for s in out.sections][:3]
('index.html', ['glance', 'trends', 'overview'])
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import importlib.util
import io
import os
import re
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import __version__
from .errors import Problem, ValidationError
from .io.csvsafe import cell_out
from .kernel.money import format_fen
from .kernel.text import text
from .model import OrgKind, Role, Stage
from .privacy import Derived

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .funding import Ledger, Sustainability
    from .graph import CommunityGraph
    from .matching import MatchResult
    from .privacy import Total
    from .reach import ReachReport
    from .selection import Election, Votes

__all__ = [
    "CHROMIUM_NAMES",
    "DEFAULT_SECTIONS",
    "OPTIONAL_SECTIONS",
    "Fen",
    "Report",
    "Scale",
    "Section",
    "Table",
    "build_report",
    "file_name",
    "find_chromium",
    "print_pdf",
]

#: Counts of people below this are suppressed in published tables.
SMALL_CELL = 5


@attrs.frozen(kw_only=True)
class Table:
    """A table of a report section: its CSV name, columns and (published) rows."""

    name: str
    columns: tuple[str, ...]
    """Stable machine names: the CSV's header."""
    rows: tuple[tuple[Any, ...], ...]
    """Published cells: money as :class:`Fen`, ``None`` for no data."""
    labels: tuple[str, ...] = ()
    """The page's headers, in the report's language (one per column)."""
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
    given: tuple[str, ...] = ()
    """Text the dataset gave, shown as it was written (it may be in either language)."""
    interactive: str = attrs.field(default="", repr=False)
    """An HTML fragment the library made (the interactive network view of the reach
    section), shown before the section's first figure, which becomes its ``<noscript>``
    fallback; ``""`` for none."""


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
    ``"exact"``, ``"sampled"`` or ``"few pivots"`` betweenness; ``"capital"``: ``"full"``
    or ``"no brokerage"``); see :class:`Scale`."""


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
    brokerage_residents: int = 200_000
    """Residents up to which the optional social-capital section counts Gould and
    Fernandez's brokerage roles (about 3 s at 100,000 residents, growing with the
    squares of their ``knows`` degrees); above, it gives the E-I index only."""

    @classmethod
    def exact(cls) -> Scale:
        """No switch at any size: the settings of the report before sizes were weighed."""
        big = sys.maxsize
        return cls(
            exact_pairs=big, spread_residents=big, pivot_residents=big, brokerage_residents=big
        )

    def matching(self, pairs: int) -> str:
        """The matching method for ``pairs`` eligible resident–need pairs."""
        return "optimal" if pairs <= self.exact_pairs else "greedy"

    def spread_fast(self, residents: int) -> bool:
        """Whether word of mouth takes its cheaper settings for ``residents``."""
        return residents > self.spread_residents

    def talent_pivots(self, residents: int) -> int | None:
        """``pivots=`` for the talent ranking (``None``: the library's default)."""
        return None if residents <= self.pivot_residents else self.pivots

    def brokerage_fits(self, residents: int) -> bool:
        """Whether the social-capital section counts brokerage roles for ``residents``."""
        return residents <= self.brokerage_residents


# --------------------------------------------------------------------------- words


def _w(key: str, lang: str, /, **fields: object) -> str:
    """The catalogue entry ``report.<key>`` in ``lang`` (every word of the page)."""
    return text(f"report.{key}", lang, **fields)


def _column_label(column: str, lang: str) -> str:
    """The header a page shows for a table's machine column name."""
    stage = column.removeprefix("stage_")
    if stage in _STAGE_VALUES:
        return Stage(stage).label(lang)
    return _w(f"col.{column}", lang)


_STAGE_VALUES = frozenset(s.value for s in Stage)


@attrs.frozen
class Fen:
    """A table cell holding money: fen in the CSV, yuan with separators on the page."""

    fen: int


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


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
    names: Mapping[str, str] = attrs.field(factory=dict)
    """Pseudonym -> name of the residents an internal report names (consenting adults);
    empty in a public report."""
    notes: dict[str, str] = attrs.field(factory=dict)
    """The "how this was computed" line of each size-dependent section, by section ID."""
    methods: dict[str, str] = attrs.field(factory=dict)
    """The method each size-dependent section chose, by section ID."""
    reduced: set[str] = attrs.field(factory=set)
    """Sections that took a cheaper method than the full one."""
    elections: Mapping[str, Election] = attrs.field(factory=dict)
    """The residents' ballots of each call that has them, by call ID."""
    _matching: MatchResult | None = None
    _matched: bool = False
    _outlook: Sustainability | None = None
    _reach: ReachReport | None = None

    def outlook(self) -> Sustainability | None:
        """The projects' money outlook from the ledger (once), ``None`` without one."""
        from .funding import sustainability

        if self._outlook is None and self.ledger is not None:
            self._outlook = sustainability(self.ledger, rng=self.rng)
        return self._outlook

    def reach(self) -> ReachReport | None:
        """Points, lines and surfaces of the graph (once), ``None`` without leaders."""
        from .reach import reach_report

        if self._reach is None and self.graph.leaders():
            self._reach = reach_report(self.graph)
        return self._reach

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

    def noted(self, section: str, lines: tuple[str, ...]) -> tuple[str, ...]:
        """``lines`` with the section's method line when it took a cheaper method."""
        return (*lines, self.notes[section]) if section in self.reduced else lines

    def note(self, section: str, key: str, reduced: bool, **fields: object) -> None:
        """Record how ``section`` was computed (catalogue entry ``report.method.<key>``)."""
        from .kernel.text import text

        self.notes[section] = text(f"report.method.{key}", self.lang, **fields)
        if reduced:
            self.reduced.add(section)

    def person(self, resident: str) -> str:
        """How a resident appears in a table: their name in an internal report when they
        are an adult who consented to be named, else their pseudonym."""
        return self.names.get(resident, resident)

    def figure_people(self, residents: Iterable[str]) -> dict[str, str]:
        """Resident ID -> label of ``residents`` in a figure: as :meth:`person` shows them
        in the tables (a consenting adult's name in a staff report, else the pseudonym),
        except a name in Chinese where no CJK font can draw it (the pseudonym then)."""
        from .plot import cjk_fonts

        drawable = bool(cjk_fonts())
        labels = {r: self.person(r) for r in residents}
        return {r: shown for r, shown in labels.items() if drawable or shown.isascii()}

    def community_of(self, resident: str) -> str:
        """The name of a resident's community (``""`` when unknown)."""
        record: Any = self.graph.get(resident)
        place = getattr(record, "community", None)
        return self.place_name(place) if place and place in self.graph else ""

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
        derived: Mapping[str, Derived | Sequence[str] | str] | None = None,
        totals: Sequence[Total] = (),
        parts: Callable[[Mapping[str, Any]], bool] | None = None,
        only: Callable[[Mapping[str, Any]], bool] | None = None,
        column_totals: Mapping[str, Sequence[str]] | None = None,
        caption: str = "",
    ) -> Table:
        """A published table, through :func:`vchuang.privacy.suppress_small` (the one
        suppression mechanism): counts of people in ``people`` columns below the
        threshold hidden, with every cell that would give one away.

        ``people`` are counts of people, each a measure of its own (not parts of one
        whole); ``derived`` the columns computed from them (a share, a flag), hidden with
        them; ``totals`` the rows that add up to other rows (:func:`_place_totals`);
        ``parts`` the rows that add up to each of the others (a table with one total
        row); ``only`` the rows that hold counts (a "measure, value" table); ``column_totals``
        the ``people`` columns that add up, within each row, to another
        (``{"residents": [rungs of a ladder]}``).
        """
        from .privacy import Total, suppress_small

        suppressed = 0
        published: list[dict[str, Any]] = [dict(r) for r in rows]
        if people and rows:
            groups = list(totals)
            if parts is not None:
                inside = [i for i, row in enumerate(rows) if parts(row)]
                groups += [
                    Total(total=i, parts=inside) for i in range(len(rows)) if i not in inside
                ]
            result = suppress_small(
                rows,
                list(people),
                self.threshold,
                across=False,
                totals=groups,
                column_totals=column_totals,
                derived=derived,
                only=only,
            )
            published = result.to_rows()
            suppressed = result.suppressed
        return Table(
            name=file_name(name),
            columns=tuple(columns),
            labels=tuple(_column_label(c, self.lang) for c in columns),
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
        return Figure(name=file_name(name), alt=alt, png=buffer.getvalue())


def _gap(row: Mapping[str, Any], threshold: float) -> bool:
    """Whether a segment coverage row is a gap, as :func:`vchuang.reach.reach_report`
    decides it (its population when given, else its listed residents)."""
    denominator = row["population"] if row["population"] is not None else row["listed"]
    return bool(denominator) and row["reached"] / denominator < threshold


def _place_totals(graph: CommunityGraph, places: Sequence[Any]) -> list[Total]:
    """The rows of a table of places that add up, for :meth:`_Context.table`.

    ``places`` gives each row's place ID: a subdistrict's row is the sum of its
    communities' rows, a district's the sum of its subdistricts' (or, without them, its
    communities'); a row of no place in the graph (the table's own total) the sum of
    every community row."""
    from .privacy import Total

    def kind(place: Any) -> str | None:
        return graph.kind_of(place) if isinstance(place, str) and place in graph else None

    def parent(place: Any) -> str | None:
        record = graph.get(place) if kind(place) else None
        return getattr(record, "subdistrict", None) or getattr(record, "district", None)

    communities = [j for j, p in enumerate(places) if kind(p) == "community"]
    out = []
    for i, place in enumerate(places):
        if kind(place) == "community":
            continue
        if kind(place) is None:
            parts = communities
        else:
            parts = [j for j, p in enumerate(places) if parent(p) == place]
            if not parts and kind(place) == "district":
                parts = [j for j in communities if parent(parent(places[j])) == place]
        if parts:
            out.append(Total(total=i, parts=parts))
    return out


# --------------------------------------------------------------------------- sections


def _glance(ctx: _Context) -> Section:
    """What the programme achieved, first: people, projects, reach, hours and money."""
    from collections import Counter

    from .privacy import suppress_small

    g, lang = ctx.graph, ctx.lang
    roles = Counter(role for r in g.residents() for role in r.roles)
    rep = ctx.reach()
    # the counts of people, and the leverage computed from two of them, go through the
    # one suppression mechanism together (reach per leader gives a hidden count away)
    counts: dict[str, Any] = {
        "engaged": len(g.engaged()),
        "talents": roles[Role.TALENT],
        "leaders": roles[Role.LEADER],
        "unique_reach": rep.unique_reach if rep is not None else None,
        "leverage": f"{rep.leverage:.1f}" if rep is not None else None,
    }
    safe = suppress_small(
        [counts],
        ["engaged", "talents", "leaders", "unique_reach"],
        ctx.threshold,
        across=False,
        derived={"leverage": ["unique_reach", "leaders"]},
    )
    people = safe.rows[0]
    rows: list[dict[str, Any]] = [
        {"measure": _w("measure.engaged", lang), "value": people["engaged"]},
        {"measure": _w("measure.talents", lang), "value": people["talents"]},
        {"measure": _w("measure.leaders", lang), "value": people["leaders"]},
    ]
    stages = Counter(p.stage for p in g.projects())
    rows += [
        {"measure": _w("measure.projects_in", lang, stage=s.label(lang)), "value": stages[s]}
        for s in Stage
        if stages[s]
    ]
    if rep is not None:
        rows.append({"measure": _w("measure.unique_reach", lang), "value": people["unique_reach"]})
        rows.append({"measure": _w("measure.leverage", lang), "value": people["leverage"]})
    result = ctx.matching()
    if result is not None:
        totals = result.totals
        for key, total in (("hours_staffed", "hours_assigned"), ("hours_unmet", "hours_unmet")):
            rows.append({"measure": _w(f"measure.{key}", lang), "value": f"{totals[total]:,.0f}"})
    outlook = ctx.outlook()
    paragraphs = [_w("text.talent_definition", lang)]
    if outlook is not None:
        risky = [o for o in outlook.outlooks if o.needs_campaign]
        money = sum(o.available_fen for o in risky)
        rows.append(
            {
                "measure": _w(
                    "measure.money_at_risk",
                    lang,
                    share=_pct(outlook.threshold),
                    horizon=outlook.horizon,
                ),
                "value": Fen(money),
            }
        )
        rows.append({"measure": _w("measure.projects_at_risk", lang), "value": len(risky)})
    else:
        paragraphs.append(_w("text.glance_ledger_none", lang))
    tab = attrs.evolve(ctx.table("glance", rows, ["measure", "value"]), suppressed=safe.suppressed)
    return Section(id="glance", title=_w("glance", lang), text=tuple(paragraphs), tables=(tab,))


def _trends(ctx: _Context) -> Section | None:
    """Month by month, from :func:`vchuang.indicators.monthly`: a table and a figure.

    Participants to date are a running total: two exact months side by side would give
    away the month's new participants, however few. They are published through
    :func:`vchuang.privacy.coarsen` (rounded down to a multiple of the threshold, the
    marker below it), and a month's attendance below the threshold is hidden, with
    another month's as the months add up to the period's attendance (published in the
    indicators table). The figure draws the published numbers only."""
    from .indicators import monthly
    from .privacy import Total, coarsen

    lang = ctx.lang
    months = monthly(ctx.graph)
    if not months:
        return None
    to_date = coarsen(
        [{"n": m.participants_to_date} for m in months], ["n"], ctx.threshold
    ).to_rows()
    rows = [
        {
            "month": m.month,
            "activities": m.activities,
            "attendance": m.attendance,
            "participants_to_date": rounded["n"],
        }
        for m, rounded in zip(months, to_date, strict=True)
    ]
    columns = ["month", "activities", "attendance", "participants_to_date"]
    marker = f"<{ctx.threshold}"
    tab = ctx.table(
        "trends",
        rows,
        columns,
        people=["attendance"],
        totals=[Total(total=None, parts=range(len(rows)))],
        caption=_w(
            "text.trends_rounded",
            lang,
            threshold=ctx.threshold,
            upto=ctx.threshold - 1,
            marker=marker,
        ),
    )
    hidden = sum(1 for r in to_date if r["n"] == marker)
    tab = attrs.evolve(tab, suppressed=tab.suppressed + hidden)

    def draw(ax: Axes) -> None:
        from .plot import COLORS

        flang = ctx.figure_lang
        x = list(range(len(tab.rows)))
        for key, colour in (("activities", "activity"), ("participants_to_date", "leader")):
            col = tab.columns.index(key)
            values = [r[col] if isinstance(r[col], int) else float("nan") for r in tab.rows]
            ax.plot(x, values, marker="o", color=COLORS[colour], label=_w(f"col.{key}", flang))
            for xi, r in zip(x, tab.rows, strict=True):
                if isinstance(r[col], str):  # a hidden count: its marker, no point
                    ax.text(xi, 0, r[col], ha="center", va="bottom", fontsize=8)
        ax.set_xticks(x, [str(r[0]) for r in tab.rows], rotation=45, ha="right")
        ax.set_xlabel(_w("figure.month", flang), **_font(flang))
        ax.set_ylabel(_w("figure.count", flang), **_font(flang))
        ax.legend(prop=_prop(flang))

    fig = ctx.figure("trends", _w("trends", lang), draw)
    return Section(
        id="trends",
        title=_w("trends", lang),
        text=(_w("text.trends", lang),),
        tables=(tab,),
        figures=(fig,),
    )


def _overview(ctx: _Context) -> Section:
    g, lang = ctx.graph, ctx.lang
    rows = []
    for district in g.districts():
        hubs = [
            o for o in g.organizations(district.id, org_kind=OrgKind.HUB) if o.place == district.id
        ]
        rows.append(
            {
                "level": _w("level.district", lang),
                "place": ctx.place_name(district.id),
                "centre": ", ".join(ctx.place_name(h.id) for h in hubs),
            }
        )
        for sub in g.subdistricts(district.id):
            hubs = [o for o in g.organizations(sub.id, org_kind=OrgKind.HUB) if o.place == sub.id]
            rows.append(
                {
                    "level": "— " + _w("level.subdistrict", lang),
                    "place": ctx.place_name(sub.id),
                    "centre": ", ".join(ctx.place_name(h.id) for h in hubs),
                }
            )
            for community in g.communities(sub.id):
                centres = g.organizations(community.id, org_kind=OrgKind.SERVICE_CENTRE)
                rows.append(
                    {
                        "level": "—— " + _w("level.community", lang),
                        "place": ctx.place_name(community.id),
                        "centre": ", ".join(ctx.place_name(c.id) for c in centres),
                    }
                )
    counts = g.summary().counts
    meta = g.metadata
    comma = "，" if lang == "zh" else ", "
    kinds = comma.join(_w(f"kind.{k}", lang, n=f"{n:,}") for k, n in counts.items() if n)
    paragraphs = [_w("dataset_holds", lang, kinds=kinds)]
    if meta.as_of is not None:
        paragraphs.append(_w("as_of", lang, day=meta.as_of.isoformat()))
    paragraphs.append(_w("privacy", lang, n=ctx.threshold))
    hierarchy = ctx.table("hierarchy", rows, ["level", "place", "centre"])
    # the dataset's own title and description, in the words (and language) it gave them
    given = tuple(t for t in (meta.title, meta.description) if t)
    return Section(
        id="overview",
        title=_w("overview", lang),
        text=tuple(paragraphs),
        tables=(hierarchy,),
        given=given,
    )


def _indicator_rows(ctx: _Context) -> list[dict[str, Any]]:
    from .indicators import table

    rows = []
    for row in table(
        ctx.graph, matching=ctx.matching(), ledger=ctx.ledger, outlook=ctx.outlook()
    ).rows:
        flat = row.to_dict()
        flat["id"] = row.place  # the place's ID, for the rows that add up (not published)
        flat["place"] = ctx.place_name(row.place)
        flat["level"] = _w(f"level.{row.level}", ctx.lang)
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
            {
                **row,
                "place": ctx.place_name(place)
                if place in ctx.graph
                else _w("level.district", lang),
            }
        )
    stages = ["engaged", "talent", "leader", "project_lead"]
    tab = ctx.table(
        "funnel",
        rows,
        ["place", *stages, "projects"],
        people=stages,
        derived={
            "talent_rate": ["talent", "engaged"],
            "leader_rate": ["leader", "talent"],
            "project_lead_rate": ["project_lead", "leader"],
        },
        totals=_place_totals(ctx.graph, [r["community"] for r in rows]),
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
        ax.set_ylabel(_w("col.residents", flang), **_font(flang))

    paragraphs = (_w("text.funnel", lang), _w("text.funnel_counts", lang))
    fig = ctx.figure("funnel", _w("funnel", lang), draw)
    return Section(
        id="funnel", title=_w("funnel", lang), text=paragraphs, tables=(tab,), figures=(fig,)
    )


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
            label=_w(f"col.{key}", lang),
            color=palette[i % len(palette)],
        )
        for xi, value in zip(x + i * width, values, strict=True):
            if isinstance(value, str):
                ax.text(xi, 0, value, ha="center", va="bottom", fontsize=8)
    names = names or {}
    ticks = [names.get(str(r[col[label]]), str(r[col[label]])) for r in rows]
    ax.set_xticks(x + width * (len(keys) - 1) / 2, ticks, **_font(lang))
    ax.legend(prop=_prop(lang))
    _distinct_series(ax)


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
    best_method = max(rows, key=lambda r: r["spread"])["method"]
    for row in rows:
        row["spread"] = round(row["spread"], 1)
        row["method"] = _spread_method(row["method"], lang)
    tab = ctx.table("word_of_mouth", rows, ["method", "k", "spread"])
    fig = ctx.figure(
        "word_of_mouth",
        _w("mouth", lang),
        lambda ax: _distinct_series(result.plot(ax=ax, lang=ctx.figure_lang)),
    )
    best = max(rows, key=lambda r: r["spread"])
    paragraphs = (_w("text.mouth", lang, k=k, best=best["method"], spread=f"{best['spread']:.0f}"),)
    # the people the section promises: the seeds the best way of choosing picked
    (choice,) = [c for c in result.choices if c.method == best_method][:1]
    seeds = [
        {"order": i, "resident": ctx.person(str(r)), "community": ctx.community_of(str(r))}
        for i, r in enumerate(choice.seeds, start=1)
    ]
    caption = _w("text.seeds", lang, k=len(seeds), method=best["method"])
    seed_table = ctx.table("seeds", seeds, ["order", "resident", "community"], caption=caption)
    return Section(
        id="mouth",
        title=_w("mouth", lang),
        text=ctx.noted("mouth", paragraphs),
        tables=(seed_table, tab),
        figures=(fig,),
    )


def _spread_method(method: str, lang: str) -> str:
    """A way of choosing seeds in words (``ris`` -> "best estimated reach ...")."""
    from .kernel.text import has

    key = f"report.spread_method.{method}"
    return text(key, lang) if has(key) else method


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
            "project": ctx.place_name(u.project),
            "skill": ctx.graph.taxonomy.label(u.skill, lang),
            "hours_short": u.shortfall_hours,
            "people_short": u.shortfall_people,
            "next_step": _unmet_next_step(u, lang),
        }
        for u in result.unmet
    ]
    tables = [tab, _volunteers(ctx, result)]
    if unmet:
        tables.append(
            ctx.table(
                "unmet_needs",
                unmet,
                ["project", "skill", "hours_short", "people_short", "next_step"],
            )
        )
    fig = ctx.figure(
        "matching",
        _w("matching", lang),
        lambda ax: _distinct_series(result.plot(ax=ax, lang=ctx.figure_lang)),
    )
    total = result.totals
    paragraphs = (
        _w(
            "text.matching",
            lang,
            staffed=f"{total['hours_assigned']:,.0f}",
            needed=f"{total['hours_demanded']:,.0f}",
            unmet=f"{total['needs_unmet']:,.0f}",
        ),
    )
    return Section(
        id="matching",
        title=_w("matching", lang),
        text=ctx.noted("matching", paragraphs),
        tables=tuple(tables),
        figures=(fig,),
    )


def _volunteers(ctx: _Context, result: MatchResult) -> Table:
    """The people the section promises: who is matched to which project's need, for how
    many hours a week (projects in the matching table's order, then need and resident)."""
    lang = ctx.lang
    order = {p.project: i for i, p in enumerate(result.projects)}
    names = {p.project: (p.name_zh or p.name) if lang == "zh" else p.name for p in result.projects}
    rows = [
        {
            "project": names.get(a.project) or ctx.place_name(a.project),
            "skill": ctx.graph.taxonomy.label(a.skill, lang),
            "resident": ctx.person(a.resident),
            "hours": a.hours,
        }
        for a in sorted(
            result.assignments,
            key=lambda a: (order.get(a.project, len(order)), a.project, a.need, a.resident),
        )
    ]
    key = "text.volunteers" if rows else "text.volunteers_none"
    columns = ["project", "skill", "resident", "hours"]
    return ctx.table("volunteers", rows, columns, caption=_w(key, lang))


def _unmet_next_step(need: Any, lang: str) -> str:
    """What staff can do about an unmet need, in plain words."""
    if need.candidates:
        return _w("unmet.hours", lang, n=need.candidates)
    if need.training:
        return _w("unmet.train", lang, n=len(need.training))
    return _w("unmet.recruit", lang)


def _project_label(project: Any, lang: str) -> str:
    name = (project.name_zh or project.name) if lang == "zh" else project.name
    stage = getattr(project, "stage", None)
    return f"{name} ({stage.label(lang)})" if stage is not None else str(name)


def _amount(value: int, unit: str, lang: str) -> str:
    """An election's amount: fen as yuan the report's way, any other unit as it is."""
    if unit == "fen":
        return format_fen(value, symbol=True, lang=lang)
    return f"{value:,} {unit}"


def _today() -> Any:
    import datetime as dt

    return dt.date.today()


#: The most unfunded ideas whose shortfall the report explains, per call (most votes first).
WHY_NOT_SHOWN = 10


def _ballot_paragraphs(
    ctx: _Context, call: Any, proposals: Sequence[Any], election: Election
) -> list[str]:
    """What the residents' ballots of ``call`` say: what equal shares would fund, how
    proportional the meeting's outcome (and the rule's) is, and why each idea the rule
    leaves out was not funded (:func:`vchuang.selection.why_not_funded`)."""
    from .kernel.text import has
    from .privacy import data_date
    from .selection import Override, audit, overridden, select, why_not_funded

    lang = ctx.lang
    label = {p.id: ((p.name_zh or p.name) if lang == "zh" else p.name) for p in proposals}
    sep = "、" if lang == "zh" else ", "

    def names(ids: Iterable[str]) -> str:
        return sep.join(label.get(i, i) for i in ids)

    # no completion: the outcome the proportionality guarantees are about, and the one
    # whose shortfalls why_not_funded works out on the rule's own arrays
    result = select(election, rule="equal_shares", completion=None)
    out = [
        text(
            "selection.report.votes",
            lang,
            voters=election.n_voters,
            funded=len(result.selected),
            ideas=len(election.projects),
            spent=_amount(result.spent, election.unit, lang),
            budget=_amount(result.budget, election.unit, lang),
        )
    ]
    meeting = [p.id for p in proposals if p.project is not None and p.id in election.projects]
    added = [p for p in meeting if p not in result.selected]
    removed = [p for p in result.selected if p not in meeting]
    if election.vote_type != "approval":
        kind = f"selection.report.kind.{election.vote_type}"
        shown = text(kind, lang) if has(kind) else election.vote_type
        out.append(text("selection.report.not_approval", lang, kind=shown))
    elif not added and not removed:
        out.append(text("selection.report.same", lang))
        out.append(audit(result).summary(lang))
    else:
        spent = sum(election.cost(p) for p in meeting)
        change = Override(
            add=added,
            remove=removed,
            reason=text("selection.report.recorded", "en"),
            author=text("selection.report.meeting", "en"),
            as_of=call.closes or data_date(ctx.graph) or _today(),
            over_budget=(
                text("selection.report.recorded", "en") if spent > election.budget else None
            ),
        )
        record = overridden(result, change)
        if record.final_audit is not None:  # said as the meeting's, not the rule's
            record = attrs.evolve(
                record, final_audit=attrs.evolve(record.final_audit, rule="meeting")
            )
        out.append(
            text(
                "selection.report.differs",
                lang,
                added=names(added) or "—",
                removed=names(removed) or "—",
            )
        )
        for found in (record.final_audit, record.algorithm_audit):
            if found is not None:
                out.append(found.summary(lang))
    support = election.support()
    left_out = sorted(
        (d.proposal for d in result.decisions if not d.selected and d.phase != "ineligible"),
        key=lambda p: (-support[p], p),
    )[:WHY_NOT_SHOWN]
    if left_out:
        out.append(text("selection.report.why", lang))
        for short in why_not_funded(result, left_out).shortfalls:
            named = attrs.evolve(
                short,
                name=label.get(short.proposal, short.proposal),
                outbid_by=tuple(label.get(p, p) for p in short.outbid_by),
            )
            out.append(named.sentence(lang))
    return out


def _selection(ctx: _Context) -> Section | None:
    from .selection import check_eligibility

    g, lang = ctx.graph, ctx.lang
    calls = [c for c in g.calls() if g.proposals(c.id)]
    if not calls:
        return None
    tables, figures, paragraphs = [], [], []
    for call in calls:
        proposals = g.proposals(call.id)
        verdicts = {row["proposal"]: row for row in check_eligibility(g, call.id).to_rows()}
        rows = []
        for idea in proposals:
            project = g.get(idea.project) if idea.project is not None else None
            rows.append(
                {
                    "idea": (idea.name_zh or idea.name) if lang == "zh" else idea.name,
                    "cost_fen": Fen(idea.cost_fen),
                    "eligible": text(
                        "common.yes" if verdicts[idea.id]["eligible"] else "common.no", lang
                    ),
                    "became": "" if project is None else _project_label(project, lang),
                }
            )
        tables.append(
            ctx.table(f"ideas_{call.id}", rows, ["idea", "cost_fen", "eligible", "became"])
        )
        chosen = [i for i in proposals if i.project is not None]
        used = sum(i.cost_fen for i in chosen)
        name = ctx.place_name(call.id)
        paragraphs.append(
            _w(
                "text.selection",
                lang,
                call=name,
                ideas=len(proposals),
                chosen=len(chosen),
                used=format_fen(used, symbol=True, lang=lang),
                budget=format_fen(call.budget_fen, symbol=True, lang=lang),
            )
        )
        election = ctx.elections.get(call.id)
        if election is not None:  # the residents' ballots: the rule, audits, shortfalls
            paragraphs.extend(_ballot_paragraphs(ctx, call, proposals, election))
        # why not funded without ballots: each eligible idea the meeting left out,
        # against the money its chosen ideas left; no proportionality audit
        left = call.budget_fen - used
        for idea in proposals if chosen and election is None else ():
            if idea.project is not None or not verdicts[idea.id]["eligible"]:
                continue
            cut = idea.cost_fen - left
            paragraphs.append(
                text(
                    "selection.why.fitted" if cut <= 0 else "selection.why.over",
                    lang,
                    name=(idea.name_zh or idea.name) if lang == "zh" else idea.name,
                    cost=format_fen(idea.cost_fen, symbol=True, lang=lang),
                    left=format_fen(max(left, 0), symbol=True, lang=lang),
                    cut=format_fen(max(cut, 0), symbol=True, lang=lang),
                )
            )
        if election is None:
            paragraphs.append(text("selection.audit.no_ballots", lang))

        def draw(ax: Axes, proposals: Sequence[Any] = proposals) -> None:
            from .plot import COLORS

            flang = ctx.figure_lang
            labels = [(p.name_zh or p.name) if flang == "zh" else p.name for p in proposals]
            colours = [COLORS["project"] if p.project else COLORS["unmet"] for p in proposals]
            ax.barh(range(len(proposals)), [p.cost_fen / 100 for p in proposals], color=colours)
            ax.set_yticks(range(len(proposals)), labels, **_font(flang))
            ax.invert_yaxis()
            ax.set_xlabel(_w("figure.cost_yuan", flang), **_font(flang))

        figures.append(ctx.figure(f"ideas_{call.id}", _w("selection", lang), draw, figsize=(8, 5)))
    return Section(
        id="selection",
        title=_w("selection", lang),
        text=tuple(paragraphs),
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
                    "next_step": _next_step(ctx, check, project.stage),
                }
            )
    blocked = ctx.table("blockers", blockers, ["project", "stage", "next_step"])
    fig = ctx.figure(
        "pipeline",
        _w("pipeline", lang),
        lambda ax: _distinct_series(result.plot(ax=ax, lang=ctx.figure_lang)),
    )
    paragraphs = (_w("text.pipeline", lang),)
    return Section(
        id="pipeline",
        title=_w("pipeline", lang),
        text=paragraphs,
        tables=(tab, blocked),
        figures=(fig,),
    )


def _next_step(ctx: _Context, check: Any, stage: Stage) -> str:
    """A blocker as the next step staff can take, in plain words (the API hints of
    ``str(check)`` stay in ``vchuang validate`` and the logs)."""
    from .kernel.text import has

    lang = ctx.lang
    if has(f"report.next.{check.id}"):
        return _w(f"next.{check.id}", lang)
    skill = ctx.graph.taxonomy.label(check.id, lang)
    if check.source == "checklist" and check.stage is Stage.EMPOWERMENT and skill != check.id:
        return _w("next.coaching", lang, skill=skill)
    return _w("next.other", lang, stage=(check.stage or stage).label(lang))


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
                    "resident": ctx.person(t.resident),
                    "score": round(t.score, 3),
                    "why": ("；" if lang == "zh" else "; ").join(t.reasons[:3]),
                }
            )
    tab = ctx.table("talents", rows, ["community", "rank", "resident", "score", "why"])
    from .plot import plot_talents

    # the chart labels residents as the table does: by name in a staff report
    shown = ctx.figure_people(t.resident for t in ranking.top(12))
    fig = ctx.figure(
        "talents",
        _w("talents", lang),
        lambda ax: plot_talents(ranking, ax, n=12, lang=ctx.figure_lang, labels=shown),
        figsize=(8, 5),
    )
    paragraphs = (_w("text.talents", lang),)
    return Section(
        id="talents",
        title=_w("talents", lang),
        text=ctx.noted("talents", paragraphs),
        tables=(tab,),
        figures=(fig,),
    )


def _reach(ctx: _Context) -> Section | None:
    from .reach import reach_report

    g, lang = ctx.graph, ctx.lang
    if not g.leaders():
        return None
    rep = ctx.reach()
    assert rep is not None  # the graph has leaders
    # the same surface against the listed residents: the second denominator
    listed = {c.id: c for c in (*reach_report(g, denominators="listed").segments,)}
    coverage_rows = []
    for c in rep.segments:
        record: Any = g.get(c.id)
        place = getattr(record, "place", None)
        population = getattr(record, "population", None)
        on_list = listed.get(c.id)
        coverage_rows.append(
            {
                "community": ctx.place_name(place) if place and place in g else "",
                "segment": (c.name_zh or c.name) if lang == "zh" else c.name,
                "reached": c.reached,
                "listed": on_list.denominator if on_list is not None else None,
                "share_listed": _share(on_list.share if on_list is not None else None),
                "population": population,
                "share_population": _share(c.reached / population if population else None),
                "gap": text("common.yes", lang) if c.gap else "",
            }
        )
    columns = ["community", "segment", "reached", "listed", "share_listed"]
    columns += ["population", "share_population", "gap"]
    tab = ctx.table(
        "segment_coverage",
        coverage_rows,
        columns,
        people=["reached", "listed", "population"],
        derived={
            "share_listed": ["reached", "listed"],
            "share_population": ["reached", "population"],
            "gap": Derived(
                sources=("reached", "listed", "population"),
                value=lambda r: text("common.yes", lang) if _gap(r, rep.threshold) else "",
            ),
        },
    )
    reach_figure = ctx.figure(
        "reach",
        _w("reach", lang),
        lambda ax: rep.plot(ax=ax, lang=ctx.figure_lang, suppress=ctx.threshold),
        figsize=(8, 5),
    )
    heatmap = ctx.figure(
        "coverage_heatmap",
        _w("figure.heatmap", lang),
        lambda ax: _coverage_heatmap(ctx, ax, rep, listed),
        figsize=(11, 4.5),
    )
    small = 0 < rep.unique_reach < ctx.threshold  # hidden, with the per-leader figure
    paragraphs = (
        _w(
            "text.reach",
            lang,
            points=len(rep.points),
            reach=f"<{ctx.threshold}" if small else f"{rep.unique_reach:,}",
            leverage=f"<{ctx.threshold}" if small else f"{rep.leverage:.1f}",
        ),
        _w("text.reach_gaps", lang, n=len(rep.gaps), threshold=f"{rep.threshold:.0%}")
        if rep.gaps
        else _w("text.reach_no_gaps", lang),
        _w("text.reach_denominators", lang, threshold=f"{rep.threshold:.0%}"),
    )
    return Section(
        id="reach",
        title=_w("reach", lang),
        text=paragraphs,
        tables=(tab,),
        figures=(reach_figure, heatmap),
        interactive=_network_fragment(ctx),
    )


def _share(share: float | None) -> str | None:
    return None if share is None else f"{100 * share:.1f}%"


def _network_fragment(ctx: _Context) -> str:
    """The interactive network view of the reach section (``vchuang.plot.network_view``),
    or ``""`` where it is not available (not installed, or its JavaScript package
    missing): the section's figure is then shown alone."""
    from .plot import network_view

    try:  # minority judged on the data's date (network_view's default)
        return network_view(ctx.graph, lang=ctx.lang, reveal=bool(ctx.names))
    except ImportError:  # MissingDependencyError (no pyvis) is an ImportError
        return ""


def _coverage_heatmap(ctx: _Context, ax: Axes, rep: ReachReport, listed: Mapping[str, Any]) -> None:
    """Community × service group, twice: the share of the group's listed residents
    reached, and the share of its population reached, each panel titled with its
    denominator. A cell whose count of people reached is under the threshold shows the
    suppression marker and no colour (figures hide what tables hide)."""
    import numpy as np
    from matplotlib.ticker import PercentFormatter

    flang, threshold = ctx.figure_lang, ctx.threshold
    figure: Any = ax.get_figure(root=True)
    grid = figure.add_gridspec(1, 2)
    ax.set_subplotspec(grid[0])
    panels = (ax, figure.add_subplot(grid[1], sharey=ax))
    g = ctx.graph
    names = ctx.figure_names()
    communities = [c.id for c in rep.communities]
    rows = [names.get(ctx.place_name(c), ctx.place_name(c)) for c in communities]
    kinds: dict[str, str] = {}
    for seg in sorted(rep.segments, key=lambda s: (s.name, s.id)):
        kinds.setdefault(seg.name, (seg.name_zh or seg.name) if flang == "zh" else seg.name)
    columns = list(kinds)
    if not rows or not columns:
        figure.text(0.5, 0.5, _w("no_data", flang), ha="center", va="center", **_font(flang))
        for panel in panels:
            panel.set_axis_off()
        return
    row_of = {c: i for i, c in enumerate(communities)}
    col_of = {n: j for j, n in enumerate(columns)}
    shape = (len(rows), len(columns))
    reached = np.zeros(shape, dtype=np.int64)
    on_list = np.zeros(shape, dtype=np.int64)
    population = np.zeros(shape, dtype=np.int64)
    for seg in rep.segments:
        record: Any = g.get(seg.id)
        place = getattr(record, "place", None)
        if place not in row_of:
            continue
        i, j = row_of[place], col_of[seg.name]
        reached[i, j] += seg.reached
        other = listed.get(seg.id)
        on_list[i, j] += other.denominator if other is not None else 0
        population[i, j] += getattr(record, "population", None) or 0
    font = _font(flang)
    for panel, denominator, key in (
        (panels[0], on_list, "figure.heatmap_listed"),
        (panels[1], population, "figure.heatmap_population"),
    ):
        share = np.where(denominator > 0, reached / np.maximum(denominator, 1), np.nan)
        hidden = (reached > 0) & (reached < threshold)
        shown = np.where(hidden, np.nan, share)
        image = panel.imshow(np.ma.masked_invalid(shown), cmap="YlGn", vmin=0.0, aspect="auto")
        for i in range(shape[0]):
            for j in range(shape[1]):
                if denominator[i, j] == 0:
                    label = _w("figure.no_members", flang)
                elif hidden[i, j]:
                    label = f"<{threshold}"
                else:
                    label = f"{100 * share[i, j]:.1f}%"
                dark = np.isfinite(shown[i, j]) and shown[i, j] > 0.6 * np.nanmax(shown)
                colour = "white" if dark else "black"
                panel.text(j, i, label, ha="center", va="center", fontsize=7, color=colour, **font)
        panel.set_xticks(range(shape[1]), [kinds[c] for c in columns], rotation=35, ha="right")
        panel.set_title(_w(key, flang), fontsize=9, **font)
        figure.colorbar(image, ax=panel, fraction=0.046, format=PercentFormatter(1.0))
    panels[0].set_yticks(range(shape[0]), rows)
    panels[1].tick_params(labelleft=False)
    for panel in panels:
        for tick in (*panel.get_xticklabels(), *panel.get_yticklabels()):
            tick.set(**font)


def _funds(ctx: _Context) -> Section | None:
    ledger, lang = ctx.ledger, ctx.lang
    if ledger is None:
        return None
    outlook = ctx.outlook()
    if outlook is None or not outlook.outlooks:
        return None
    rows = []
    for o in outlook.outlooks:
        known = o.months_of_history > 0  # no ledger entries: no data, not ¥0 / ∞ / 0 %
        spends = known and o.burn_fen > 0
        runway = None
        if spends:
            runway = f"{o.runway_months:.1f}"
        elif known:
            runway = "∞"
        rows.append(
            {
                "project": (o.name_zh or o.name) if lang == "zh" else o.name,
                "balance_fen": Fen(o.balance_fen) if known else None,
                "burn_fen_per_month": Fen(o.burn_fen) if known else None,
                "runway_months": runway,
                "chance_dry": _pct(o.ruin_probability) if known else None,
                "campaign_first": text("common.yes", lang) if o.needs_campaign else "",
                "why": _funds_why(o, outlook.horizon, outlook.window, lang),
            }
        )
    columns = [
        "project",
        "balance_fen",
        "burn_fen_per_month",
        "runway_months",
        "chance_dry",
        "campaign_first",
        "why",
    ]
    tab = ctx.table("micro_funds", rows, columns)
    projects = [o.project for o in outlook.outlooks]
    # the runway chart shows only projects with entries (no data is not a long safe bar)
    with_entries = attrs.evolve(
        outlook, outlooks=tuple(o for o in outlook.outlooks if o.months_of_history > 0)
    )
    figures = (
        ctx.figure(
            "runway", _w("funds", lang), lambda ax: with_entries.plot(ax=ax, lang=ctx.figure_lang)
        ),
        ctx.figure(
            "balances",
            _w("funds", lang),
            lambda ax: _distinct_series(ledger.history(projects).plot(ax=ax, lang=ctx.figure_lang)),
        ),
    )
    paragraphs = (_w("text.funds", lang, horizon=outlook.horizon, runs=f"{outlook.runs:,}"),)
    return Section(
        id="funds", title=_w("funds", lang), text=paragraphs, tables=(tab,), figures=figures
    )


def _funds_why(o: Any, horizon: int, window: int, lang: str) -> str:
    """The micro-fund table's "why" in the report's words (from the outlook's numbers)."""
    if o.months_of_history == 0:
        return _w("funds.no_entries", lang)
    if o.burn_fen <= 0:
        return _w("funds.no_spending", lang, months=window)
    parts = [_w("funds.runs_dry", lang, horizon=horizon, share=_pct(o.ruin_probability))]
    if o.donations_fen > 0:
        parts.append(_w("funds.donations", lang, share=_pct(o.donations_fen / o.burn_fen)))
    else:
        parts.append(_w("funds.no_donations", lang))
    if o.months_of_history < 6:
        parts.append(_w("funds.short_history", lang, months=o.months_of_history))
    return ("；" if lang == "zh" else "; ").join(parts)


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
    community = _w("level.community", lang)
    for row in rows:
        if isinstance(row.get("funds_raised_fen"), int):
            row["funds_raised_fen"] = Fen(row["funds_raised_fen"])
    tab = ctx.table(
        "indicators",
        rows,
        columns + stage_columns,
        people=[c for c in columns if c in _PEOPLE],
        totals=_place_totals(ctx.graph, [r["id"] for r in rows]),
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

    paragraphs = (_w("text.comparison", lang),)
    fig = ctx.figure("comparison", _w("comparison", lang), draw)
    return Section(
        id="comparison",
        title=_w("comparison", lang),
        text=paragraphs,
        tables=(tab,),
        figures=(fig,),
    )


#: Line styles and hatches that tell series apart once the colours have all been used.
_LINE_STYLES = ("-", "--", ":", "-.")
_HATCHES = ("", "//", "..", "xx")


def _series_styles(n: int) -> list[dict[str, Any]]:
    """``n`` styles that differ for every series: a colour each (matplotlib's ``tab10``,
    then the lighter halves of ``tab20`` and the ``tab20b`` / ``tab20c`` palettes, 60
    colours in all); past 60 series the colours come again with another line style and
    hatch, so up to 240 series never share a look.

    >>> styles = _series_styles(70)
    >>> len({(s["color"], s["linestyle"]) for s in styles})
    70
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    colours = [to_hex(colormaps["tab10"](i)) for i in range(10)]
    colours += [to_hex(colormaps["tab20"](i)) for i in range(1, 20, 2)]
    colours += [to_hex(colormaps[name](i)) for name in ("tab20b", "tab20c") for i in range(20)]
    unique = list(dict.fromkeys(colours))
    return [
        {
            "color": unique[i % len(unique)],
            "linestyle": _LINE_STYLES[(i // len(unique)) % len(_LINE_STYLES)],
            "hatch": _HATCHES[(i // len(unique)) % len(_HATCHES)],
        }
        for i in range(n)
    ]


def _distinct_series(ax: Axes) -> Axes:
    """Give every labelled series of ``ax`` (lines and bar groups) a look of its own
    (:func:`_series_styles`) when two of them share one, and redraw the legend; a figure
    whose series already differ is left as it was drawn."""
    from matplotlib.colors import to_hex
    from matplotlib.container import BarContainer

    lines = [line for line in ax.get_lines() if not str(line.get_label()).startswith("_")]
    bars = [
        c
        for c in ax.containers
        if isinstance(c, BarContainer) and c.patches and not str(c.get_label()).startswith("_")
    ]
    looks = [(to_hex(line.get_color()), str(line.get_linestyle())) for line in lines]
    looks += [(to_hex(c.patches[0].get_facecolor()), str(c.patches[0].get_hatch())) for c in bars]
    if len(set(looks)) == len(looks):
        return ax
    styles = _series_styles(len(looks))
    for line, style in zip(lines, styles, strict=False):
        line.set_color(style["color"])
        line.set_linestyle(style["linestyle"])
    for container, style in zip(bars, styles[len(lines) :], strict=True):
        for patch in container.patches:
            patch.set_facecolor(style["color"])
            patch.set_hatch(style["hatch"])
    legend = ax.get_legend()
    if legend is not None:
        texts = legend.get_texts()
        prop = texts[0].get_fontproperties() if texts else None
        ax.legend(loc="best", prop=prop)
    return ax


def _font(lang: str) -> dict[str, Any]:
    """Text keywords for a figure label in ``lang`` (a ``figure_lang``)."""
    from .plot import font_kw

    return font_kw(lang)


def _prop(lang: str) -> dict[str, Any]:
    """A legend's ``prop`` for labels in ``lang`` (a ``figure_lang``)."""
    from .plot import font_kw

    family = font_kw(lang).get("fontfamily")
    return {"family": family} if family else {}


# --------------------------------------------------------------------------- optional sections


def _relabel(ax: Axes, names: Mapping[str, str], lang: str) -> Axes:
    """A figure drawn by a result's ``.plot`` labels groups by place ID: show the places'
    names (in the figure's language ``lang``) on its ticks and in its legend instead."""
    if not names:
        return ax
    font = _font(lang)

    def renamed(label: str) -> str:
        head, sep, tail = label.partition(" (")
        return names.get(head, head) + sep + tail if head in names else label

    for axis in (ax.xaxis, ax.yaxis):
        ticks = axis.get_ticklabels()
        if any(t.get_text() in names for t in ticks):
            axis.set_ticks(axis.get_ticklocs(), [renamed(t.get_text()) for t in ticks], **font)
    legend = ax.get_legend()
    for label in legend.get_texts() if legend is not None else ():
        label.set_text(renamed(label.get_text()))
        if "fontfamily" in font:
            label.set_fontfamily(font["fontfamily"])
    return ax


def _place_ids(ctx: _Context) -> dict[str, str]:
    """Community ID -> its name in the figures' language."""
    return {c.id: ctx.place_name(c.id, ctx.figure_lang) for c in ctx.graph.communities()}


def _capital(ctx: _Context) -> Section | None:
    """Social capital (optional): bonding and bridging ties by community (the E-I
    index), and the residents who broker between communities, by role."""
    import numpy as np

    from .capital import ROLES, brokerage, ei_index

    g, lang = ctx.graph, ctx.lang
    if not (g.communities() and g.links(relation="knows")):
        return None
    mixing = ei_index(g, "community")
    if not mixing.groups:
        return None
    residents = len(g.residents())
    full = ctx.scale.brokerage_fits(residents)
    ctx.methods["capital"] = "full" if full else "no brokerage"
    ctx.note(
        "capital",
        "capital_full" if full else "capital_no_brokerage",
        not full,
        residents=f"{residents:,}",
        limit=f"{ctx.scale.brokerage_residents:,}",
    )
    rows: list[dict[str, Any]] = [
        {
            "place": ctx.place_name(m.group),
            "id": m.group,
            "members": m.members,
            "internal": m.internal,
            "external": m.external,
            "ei": round(m.ei, 3) if not np.isnan(m.ei) else None,
            "expected": round(m.expected, 3) if not np.isnan(m.expected) else None,
        }
        for m in mixing.groups
    ]
    rows.append(
        {
            "place": _w("all_communities", lang),
            "id": None,
            "members": sum(m.members for m in mixing.groups),
            "internal": mixing.internal,
            "external": mixing.external,
            "ei": round(mixing.ei, 3) if not np.isnan(mixing.ei) else None,
            "expected": round(mixing.expected, 3) if not np.isnan(mixing.expected) else None,
        }
    )
    totals = _place_totals(g, [r["id"] for r in rows])
    # the ties and the index of a community of few residents would show who they know
    derived = {c: ["members"] for c in ("internal", "external", "ei", "expected")}
    mixing_table = ctx.table(
        "ei_index",
        rows,
        ["place", "members", "internal", "external", "ei", "expected"],
        people=["members"],
        derived=derived,
        totals=totals,
        caption=_w("text.capital_ei_caption", lang),
    )
    names = _place_ids(ctx)
    figures = [
        ctx.figure(
            "ei_index",
            _w("capital", lang),
            lambda ax: _relabel(mixing.plot(ax=ax, lang=ctx.figure_lang), names, ctx.figure_lang),
        )
    ]
    ei = mixing.ei
    paragraphs = [
        _w("text.capital", lang),
        _w(
            "text.capital_bonding" if ei < 0 else "text.capital_bridging",
            lang,
            ei=f"{ei:.2f}",
            expected=f"{mixing.expected:.2f}",
            internal=f"{mixing.internal:,}",
            external=f"{mixing.external:,}",
        ),
    ]
    tables = [mixing_table]
    if full:
        brokers = brokerage(g, "community")
        active = brokers.counts > 0
        broker_rows: list[dict[str, Any]] = []
        for j, place in enumerate(brokers.groups):
            inside = brokers.codes == j
            broker_rows.append(
                {"place": ctx.place_name(place), "id": place, "members": int(inside.sum())}
                | {role: int(active[inside, r].sum()) for r, role in enumerate(ROLES)}
            )
        grouped = brokers.codes >= 0
        broker_rows.append(
            {"place": _w("all_communities", lang), "id": None, "members": int(grouped.sum())}
            | {role: int(active[grouped, r].sum()) for r, role in enumerate(ROLES)}
        )
        tables.append(
            ctx.table(
                "brokers",
                broker_rows,
                ["place", "members", *ROLES],
                people=["members", *ROLES],
                totals=_place_totals(g, [r["id"] for r in broker_rows]),
                caption=_w("text.capital_brokers_caption", lang),
            )
        )
        figures.append(
            ctx.figure(
                "brokerage",
                _w("text.capital_brokerage_alt", lang),
                lambda ax: brokers.plot(ax=ax, n=10, lang=ctx.figure_lang),
            )
        )
        paragraphs.append(_w("text.capital_brokers", lang))
    return Section(
        id="capital",
        title=_w("capital", lang),
        text=ctx.noted("capital", tuple(paragraphs)),
        tables=tuple(tables),
        figures=tuple(figures),
    )


def _participation(ctx: _Context) -> Section | None:
    """Participation and retention (optional): the share of each community at each rung
    of the participation ladder, volunteers' retention (Kaplan–Meier, compared across
    communities by the log-rank test) and the projects gone dormant."""
    import numpy as np

    from .participation import NONE, participation
    from .survival import DAYS_PER_MONTH, dormancy, retention

    g, lang = ctx.graph, ctx.lang
    if not (g.communities() and g.residents()):
        return None
    ladder = participation(g, threshold=ctx.threshold)
    rungs = list(ladder.rungs)
    # every count as it is (threshold 1): the report's one suppression hides them below
    rows: list[dict[str, Any]] = [
        {**row, "place": ctx.place_name(row["community"]), "id": row["community"]}
        for row in ladder.community_rows(threshold=1)
    ]
    everyone = {"place": _w("all_communities", lang), "id": None}
    everyone |= {key: sum(r[key] for r in rows) for key in ("residents", *rungs)}
    rows.append(everyone)
    for row in rows:
        for rung in rungs:
            row[f"share_{rung}"] = _pct(row[rung] / row["residents"]) if row["residents"] else None
    shown = [r for r in rungs if r != NONE]
    ladder_table = ctx.table(
        "participation",
        rows,
        ["place", "residents", *(f"share_{r}" for r in shown)],
        people=["residents", *rungs],
        derived={f"share_{r}": [r, "residents"] for r in rungs},
        totals=_place_totals(g, [r["id"] for r in rows]),
        column_totals={"residents": rungs},
        caption=_w("text.participation_caption", lang),
    )
    names = _place_ids(ctx)
    figures = []
    if not ladder_table.suppressed:  # figures hide what tables hide: none then
        figures.append(
            ctx.figure(
                "participation",
                _w("participation", lang),
                lambda ax: _relabel(
                    ladder.plot(ax=ax, kind="communities", lang=ctx.figure_lang),
                    names,
                    ctx.figure_lang,
                ),
            )
        )
    paragraphs = [_w("text.participation", lang)]
    tables = [ladder_table]
    kept = retention(g)
    if len(kept):
        months = {c.group: c.median for c in kept.curves}
        stay: list[dict[str, Any]] = []
        for curve in kept.curves:
            left = int(curve.events.sum())
            stay.append(
                {
                    "place": ctx.place_name(str(curve.group)) if curve.group in g else "",
                    "id": curve.group,
                    "volunteers": curve.subjects,
                    "left": left,
                    "active": curve.subjects - left,
                    "median_months": None
                    if np.isinf(months[curve.group])
                    else round(months[curve.group] / DAYS_PER_MONTH, 1),
                }
            )
        overall = kept.overall
        left = int(overall.events.sum())
        stay.append(
            {
                "place": _w("all_communities", lang),
                "id": None,
                "volunteers": overall.subjects,
                "left": left,
                "active": overall.subjects - left,
                "median_months": None
                if np.isinf(overall.median)
                else round(overall.median / DAYS_PER_MONTH, 1),
            }
        )
        tables.append(
            ctx.table(
                "retention",
                stay,
                ["place", "volunteers", "left", "active", "median_months"],
                people=["volunteers", "left", "active"],
                derived={"median_months": ["volunteers", "left"]},
                totals=_place_totals(g, [r["id"] for r in stay]),
                column_totals={"volunteers": ["left", "active"]},
                caption=_w("text.retention_caption", lang, months=3),
            )
        )
        # one curve a community only when each has enough volunteers to show
        by_group = all(c.subjects >= ctx.threshold for c in kept.curves)
        figures.append(
            ctx.figure(
                "retention",
                _w("text.retention_alt", lang),
                lambda ax: _relabel(
                    kept.plot(ax=ax, groups=by_group, lang=ctx.figure_lang), names, ctx.figure_lang
                ),
            )
        )
        p = kept.logrank.p_value
        if not np.isnan(p):
            key = "text.retention_differ" if p < 0.05 else "text.retention_alike"
            paragraphs.append(_w(key, lang, p=f"{p:.3f}"))
    idle = dormancy(g, kind="project")
    dormant = [
        {
            "project": _project_label(g.get(pid), lang),
            "community": ctx.place_name(group) if group in g else "",
            "last_activity": last.isoformat() if last is not None else None,
            "idle_months": round(float(days) / DAYS_PER_MONTH, 1) if np.isfinite(days) else None,
        }
        for pid, group, last, days, asleep in zip(
            idle.ids, idle.groups, idle.last, idle.idle_days, idle.dormant, strict=True
        )
        if asleep
    ]
    if dormant:
        tables.append(
            ctx.table(
                "dormant_projects",
                dormant,
                ["project", "community", "last_activity", "idle_months"],
                caption=_w("text.dormant_caption", lang, months=idle.months),
            )
        )
    paragraphs.append(
        _w("text.dormant", lang, n=len(dormant), total=len(idle.ids), months=idle.months)
    )
    return Section(
        id="participation",
        title=_w("participation", lang),
        text=tuple(paragraphs),
        tables=tuple(tables),
        figures=tuple(figures),
    )


def _method(ctx: _Context) -> Section | None:
    """How this was computed: shown only when some section took a cheaper method, or
    when a Chinese page cannot carry its own font, so a pilot's report (all exact, with
    the ``vchuang[zh]`` font) is what it always was."""
    from .kernel.text import text
    from .plot import web_font_file

    # without the vchuang[zh] font the page embeds none (see _render): say so
    fonts = ctx.lang == "zh" and web_font_file() is None
    if not (ctx.reduced or fonts):
        return None
    lang = ctx.lang
    residents = len(ctx.graph.residents())
    engaged = len(ctx.graph.engaged())
    lines = []
    if ctx.reduced:
        intro = text(
            "report.method.intro", lang, residents=f"{residents:,}", engaged=f"{engaged:,}"
        )
        lines += [intro, *(ctx.notes[s] for s in _NOTED if s in ctx.notes)]
    if fonts:
        lines.append(text("report.method.fonts", lang))
    return Section(id="method", title=text("report.method.title", lang), text=tuple(lines))


#: The sections whose method line the "how this was computed" note gives, in order.
_NOTED = ("talents", "mouth", "matching", "capital")

_SECTIONS: tuple[Callable[[_Context], Section | None], ...] = (
    _glance,
    _trends,
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

#: The optional sections, off by default, after the others when chosen with
#: ``build_report(..., sections=...)``.
_OPTIONAL: tuple[Callable[[_Context], Section | None], ...] = (_capital, _participation)

#: The sections of every report, by the name ``sections=`` takes, in page order.
DEFAULT_SECTIONS = (
    "glance",
    "trends",
    "overview",
    "funnel",
    "talents",
    "reach",
    "mouth",
    "matching",
    "selection",
    "pipeline",
    "funds",
    "comparison",
)
#: The sections a report has only when asked for: social capital (bonding and bridging
#: ties, brokers) and participation and retention (the ladder, volunteers' retention,
#: dormant projects).
OPTIONAL_SECTIONS = ("capital", "participation")


def _section_name(make: Callable[..., Any]) -> str:
    """The name ``sections=`` gives the section ``make`` makes (its title's key)."""
    name = getattr(make, "__name__", "section")
    return {"_word_of_mouth": "mouth"}.get(name, name.strip("_"))


def _chosen_sections(sections: Iterable[str] | str | None) -> frozenset[str]:
    """The names of the sections to make, checked (``"default"``: every default one).

    The overview is always made: it says what the page publishes and how (pseudonyms,
    small counts hidden).

    >>> sorted(_chosen_sections("overview, capital"))
    ['capital', 'overview']
    >>> _chosen_sections(["capitl"])
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: sections: must be one of 'default', 'glance', ...
    """
    from .kernel.checks import check_choice

    if sections is None:
        return frozenset(DEFAULT_SECTIONS)
    names = sections.split(",") if isinstance(sections, str) else list(sections)
    allowed = ("default", *DEFAULT_SECTIONS, *OPTIONAL_SECTIONS)
    chosen = {"overview"}
    for name in names:
        if not isinstance(name, str):
            raise ValidationError([Problem("sections", f"must be names, got {name!r}")])
        picked = check_choice(name.strip(), allowed, "sections")
        chosen |= set(DEFAULT_SECTIONS) if picked == "default" else {picked}
    return frozenset(chosen)


# --------------------------------------------------------------------------- output

#: The page's templates: ``vchuang/data/templates/report/`` (Jinja2, autoescaped).
_TEMPLATES = "data/templates/report"


@functools.cache
def _environment() -> Any:
    """The Jinja2 environment of the page's templates (once): every value autoescaped,
    an unknown name an error rather than an empty string."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("vchuang", _TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _cell(value: Any, lang: str) -> tuple[str, str]:
    """A published cell as the page shows it (text, escaped by the template), and its
    class (``num``, ``none`` or "")."""
    if value is None:
        return _w("no_data", lang), "none"
    if isinstance(value, Fen):
        return format_fen(value.fen, symbol=True, lang=lang), "num"
    if isinstance(value, bool):
        return text("common.yes" if value else "common.no", lang), ""
    if isinstance(value, float):
        shown = f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
        return shown, "num"
    if isinstance(value, int):
        return f"{value:,}", "num"
    return str(value), ""


#: Tables with more columns than this print on a landscape page, in a smaller font.
_WIDE_COLUMNS = 10


def _table_view(table: Table, lang: str, threshold: int, internal: bool) -> dict[str, Any]:
    labels = table.labels or table.columns
    if internal:  # a resident column of an internal report holds names too
        labels = tuple(
            _w("col.resident_named", lang) if c == "resident" else label
            for c, label in zip(table.columns, labels, strict=True)
        )
    note = ""
    if table.suppressed:
        note = _w("suppressed", lang, n=table.suppressed, threshold=threshold)
    return {
        "caption": table.caption,
        "heads": list(zip(table.columns, labels, strict=True)),
        "rows": [[_cell(v, lang) for v in row] for row in table.rows],
        "note": note,
        "wide": len(table.columns) > _WIDE_COLUMNS,
    }


def _render(
    sections: Sequence[Section],
    title: str,
    lang: str,
    threshold: int,
    *,
    internal: bool = False,
) -> str:
    """The page: ``page.html.j2`` filled with the sections (every value escaped)."""
    from markupsafe import Markup

    views = [
        {
            "id": s.id,
            "title": s.title,
            "text": s.text,
            "given": s.given,
            "figures": [
                {"alt": f.alt, "data": base64.b64encode(f.png).decode("ascii")} for f in s.figures
            ],
            # an HTML fragment the library made itself (the interactive network view)
            "interactive": Markup(s.interactive) if s.interactive else "",
            "tables": [_table_view(t, lang, threshold, internal) for t in s.tables],
            "wide": any(len(t.columns) > _WIDE_COLUMNS for t in s.tables),
        }
        for s in sections
    ]
    from .plot import font_face_css

    page = _environment().get_template("page.html.j2")
    fields: dict[str, Any] = {
        "html_lang": "zh-CN" if lang == "zh" else "en",
        "kind": "internal" if internal else "public",
        "internal": internal,
        "watermark": _w("internal.watermark", lang),
        "internal_notice": _w("internal.notice", lang),
        "title": title,
        "contents": _w("contents", lang),
        "given_label": _w("given", lang),
        "sections": views,
        "footer": _w("made", lang, version=__version__),
    }
    shown = str(page.render(font_face="", **fields))
    # no empty boxes where the reader has no CJK font: the page's own CJK characters,
    # cut from the vchuang[zh] font, embedded after the reader's fonts (none without it)
    face = font_face_css(shown)
    return str(page.render(font_face=Markup(face), **fields)) if face else shown


def _csv_value(value: Any) -> Any:
    """A published cell as the CSV holds it: money in fen, text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, Fen):
        return value.fen
    if isinstance(value, str):
        return cell_out(value)
    return value


def _csv_text(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell_out(c) for c in table.columns])
    writer.writerows([_csv_value(v) for v in row] for row in table.rows)
    return "\ufeff" + buffer.getvalue()


class _Progress:
    """The report's progress on standard error: a tqdm bar (the ``progress`` extra) with
    an ETA, labelled with what is being done in the report's language; without tqdm, a
    plain line of ``#`` that needs nothing (see :func:`vchuang.kernel.progress.progress_bar`).
    """

    def __init__(self, enabled: bool, total: int, lang: str) -> None:
        from .errors import MissingDependencyError
        from .kernel.progress import progress_bar

        self.enabled, self.total, self.done = enabled, total, 0
        self.bar: Any = None
        if enabled:
            try:
                self.bar = progress_bar(True, total, _w("progress.desc", lang))
            except MissingDependencyError:  # no tqdm: the plain line below
                self.bar = None

    def start(self, label: str) -> None:
        """Say what runs next (the bar's ETA counts the steps done so far)."""
        if self.bar is not None:
            self.bar.set_postfix_str(label, refresh=True)

    def step(self, label: str) -> None:
        """One step done: ``label``."""
        self.done += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(1)
            if self.done == self.total:
                self.bar.close()
            return
        bar = "#" * self.done + "." * (self.total - self.done)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {label:<24}")
        if self.done == self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def close(self) -> None:
        """Close the bar (also when a section failed)."""
        if self.bar is not None:
            self.bar.close()


#: The catalogue entry of each section's title, by the name of the function making it.
_SECTION_KEYS = {"_word_of_mouth": "mouth"}


def _section_label(make: Callable[..., Any], lang: str) -> str:
    """What a progress bar says while ``make`` runs: the section's title."""
    from .kernel.text import has

    name = getattr(make, "__name__", "section")
    key = _SECTION_KEYS.get(name, name.strip("_"))
    return _w(key, lang) if has(f"report.{key}") else key


# --------------------------------------------------------------------------- pdf

#: The names a Chromium is looked for on the ``PATH``, in this order.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """The path of a Chromium on the ``PATH`` (see :data:`CHROMIUM_NAMES`), or ``None``."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _chromium(lang: str) -> str:
    """A Chromium to print with, or a :class:`ValidationError` saying how to get one."""
    browser = find_chromium()
    if browser is None:
        problem = Problem("pdf", _w("pdf.no_chromium", lang), _w("pdf.hint", lang))
        raise ValidationError([problem])
    return browser


def print_pdf(
    index: str | os.PathLike[str],
    pdf: str | os.PathLike[str],
    *,
    browser: str | None = None,
    lang: str = "en",
    timeout: float = 300,
) -> Path:
    """Print the page ``index`` to ``pdf`` through headless Chromium (A4, the page's own
    print layout: a section a page, table headers repeated, no browser header or footer).

    Parameters
    ----------
    index : str or PathLike
        The report's ``index.html``.
    pdf : str or PathLike
        The PDF to write.
    browser : str, optional
        The Chromium to run (default: :func:`find_chromium`).
    lang : str
        The language of the error messages.
    timeout : float
        Seconds Chromium may take.

    Returns
    -------
    Path
        ``pdf``.

    Raises
    ------
    ValidationError
        No Chromium was found, or it did not print (the message says why).
    """
    import subprocess
    import tempfile

    browser = browser or _chromium(lang)
    target = Path(pdf).resolve()
    with tempfile.TemporaryDirectory(prefix="vchuang-chromium-") as profile:
        flags = [
            browser,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to start as root without it
        try:
            done = subprocess.run(
                [*flags, Path(index).resolve().as_uri()],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
            ok = done.returncode == 0 and target.is_file() and target.stat().st_size > 0
        except (OSError, subprocess.TimeoutExpired) as exc:
            ok, reason = False, str(exc)
    if not ok:
        problem = Problem("pdf", _w("pdf.failed", lang, reason=reason), _w("pdf.hint", lang))
        raise ValidationError([problem])
    return Path(pdf)


# --------------------------------------------------------------------------- files

_SAFE_NAME = re.compile(r"[a-z0-9_][a-z0-9_-]{0,63}")
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{i}" for d in ("com", "lpt") for i in range(10)]
)


def file_name(name: str) -> str:
    """``name`` as the stem of a report file: kept when it is already safe everywhere
    (lower-case ASCII letters, digits, ``_`` and ``-``, at most 64 characters, not a
    Windows device name such as ``con``), else slugged and given 8 hex digits of its
    SHA-256 so that different names stay different files (also on case-insensitive
    disks). The result never holds a ``/``, ``\\``, ``..`` or NUL.

    Examples
    --------
    >>> file_name("ideas_call-2019")
    'ideas_call-2019'
    >>> file_name("ideas_../../etc")
    'ideas_______etc-22dc6e73'
    >>> file_name("CON")
    'con-a3dbc4b6'
    """
    if _SAFE_NAME.fullmatch(name) and name not in _WINDOWS_RESERVED:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    slug = re.sub(r"[^a-z0-9_-]", "_", name.lower())[:40].strip("-") or "x"
    return f"{slug}-{digest}"


#: What a report folder holds; anything else in ``out`` is not the report's to replace.
_REPORT_ENTRIES = frozenset(["index.html", "report.pdf", "figures", "tables"])
#: Files an operating system leaves in folders it shows (replaced with the report).
_OS_LITTER = frozenset([".DS_Store", "Thumbs.db", "desktop.ini"])
#: A temporary report folder older than this (seconds) was left by a killed run.
_STALE_SECONDS = 3600


def _check_out(folder: Path, lang: str, *, internal: bool = False) -> None:
    """Refuse an ``out`` that is a file, or a folder holding anything but a report
    (``index.html``, ``report.pdf``, ``figures/*.png``, ``tables/*.csv``): the swap would
    replace it; and a folder holding a report of the other kind (internal or public),
    so that names never land in a folder meant for publication."""
    hint = _w("out.hint", lang)
    if folder.exists() and not folder.is_dir():
        problem = Problem("out", _w("out.is_file", lang, path=folder), hint)
        raise ValidationError([problem])
    if not folder.is_dir():
        return
    for entry in sorted(folder.iterdir()):
        inside: list[Path] = []
        if entry.name in _OS_LITTER and entry.is_file():
            continue
        if entry.name in ("index.html", "report.pdf") and entry.is_file():
            continue
        if entry.name in ("figures", "tables") and entry.is_dir() and not entry.is_symlink():
            suffix = ".png" if entry.name == "figures" else ".csv"
            inside = [
                f
                for f in sorted(entry.iterdir())
                if not (f.is_file() and (f.suffix == suffix or f.name in _OS_LITTER))
            ]
            if not inside:
                continue
        odd = inside[0].relative_to(folder) if inside else entry.name
        message = _w("out.holds_other", lang, path=folder, name=odd)
        raise ValidationError([Problem("out", message, hint)])
    index = folder / "index.html"
    if index.is_file() and _is_internal(index) != internal:
        key = "out.internal_over_public" if internal else "out.public_over_internal"
        message = _w(key, lang, path=folder)
        raise ValidationError([Problem("out", message, _w("out.kind_hint", lang))])


#: How the page says which kind of report it is (``public`` or ``internal``).
_KIND_META = re.compile(rb'<meta name="vchuang-report" content="(public|internal)">')


def _is_internal(index: Path) -> bool:
    """Whether the page ``index`` is an internal report (a page without the mark, as
    reports before the staff mode wrote, is public)."""
    with index.open("rb") as fh:
        head = fh.read(4096)
    found = _KIND_META.search(head)
    return found is not None and found.group(1) == b"internal"


def _clean_stale(folder: Path) -> None:
    """Remove the temporary folders of killed runs that wrote ``folder`` (older than an
    hour: a run's writing takes seconds)."""
    now = time.time()
    for stale in folder.parent.glob(f".{glob_escape(folder.name)}.*.report-tmp"):
        try:
            if stale.is_dir() and now - stale.stat().st_mtime > _STALE_SECONDS:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:  # pragma: no cover - gone meanwhile
            pass


def glob_escape(name: str) -> str:
    """``name`` with the characters :meth:`Path.glob` reads as patterns escaped."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _write(
    folder: Path,
    sections: Sequence[Section],
    index_html: str,
    *,
    pdf: Callable[[Path, Path], Any] | None = None,
) -> list[Path]:
    """Write the report into a new temporary folder beside ``folder``, then swap it in;
    on any failure the temporary folder goes and ``folder`` is as it was. ``pdf(index,
    target)`` prints the page to ``report.pdf`` before the swap. Returns the files
    written (as paths inside ``folder``)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    _clean_stale(folder)
    tmp = _new_folder_beside(folder)
    files: list[Path] = []
    try:
        (tmp / "figures").mkdir()
        (tmp / "tables").mkdir()
        for section in sections:
            for figure in section.figures:
                name = f"{file_name(figure.name)}.png"
                (tmp / "figures" / name).write_bytes(figure.png)
                files.append(folder / "figures" / name)
            for table in section.tables:
                name = f"{file_name(table.name)}.csv"
                (tmp / "tables" / name).write_text(_csv_text(table), encoding="utf-8")
                files.append(folder / "tables" / name)
        (tmp / "index.html").write_text(index_html, encoding="utf-8")
        files.append(folder / "index.html")
        if pdf is not None:
            pdf(tmp / "index.html", tmp / "report.pdf")
            files.append(folder / "report.pdf")
        _swap(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return files


def _new_folder_beside(folder: Path) -> Path:
    """A new, empty folder ``.NAME.<12 random hex digits>.report-tmp`` beside ``folder`` (on the
    same disk, so that it can be renamed into place)."""
    while True:
        tmp = folder.parent / f".{folder.name}.{secrets.token_hex(6)}.report-tmp"
        try:
            tmp.mkdir()
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
        return tmp


def _swap(new: Path, folder: Path) -> None:
    """Put the folder ``new`` in the place of ``folder`` (which may not exist)."""
    if not folder.exists():
        new.rename(folder)
        return
    old = _new_folder_beside(folder)
    old.rmdir()
    folder.rename(old)
    try:
        new.rename(folder)
    except BaseException:
        old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


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
    reveal: bool = False,
    pdf: bool = False,
    sections: Iterable[str] | str | None = None,
    votes: Mapping[str, Votes | Election | str | os.PathLike[str]] | None = None,
) -> Report:
    """Write the report of ``graph`` into the folder ``out``.

    Parameters
    ----------
    graph : CommunityGraph
        The community graph.
    out : str or PathLike
        The folder to write into: a new or empty folder, or the folder of an earlier
        report of the same kind (public or internal), which is replaced whole once the
        new one is written (a failure leaves it as it was). A folder holding anything
        else, or a report of the other kind, is refused before any work.
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
        Show a progress bar on standard error: a tqdm bar with an ETA and the section
        being made, in ``lang`` (the ``progress`` extra), else a plain line.
    scale : Scale, optional
        The sizes above which sections switch to methods that fit (default
        :class:`Scale`; :meth:`Scale.exact` never switches). A pilot stays on the exact
        methods either way; the page says which method each section used, and why,
        whenever one switched.
    reveal : bool
        Staff mode: an *internal* report, for the staff who act on it. The residents the
        sections list (talents, whom to train, who helps which project) appear under
        their names when they are adults who consented to be named
        (:func:`vchuang.privacy.display_name` on the data's date), everyone else under
        their pseudonym; a minor is never named. Every page carries the watermark
        "internal — not for publication". The numbers are those of the public report.
    pdf : bool
        Also print the page to ``report.pdf`` through headless Chromium
        (:func:`print_pdf`); without a Chromium on the ``PATH`` nothing is done and a
        :class:`ValidationError` says how to get one.
    sections : iterable of str, or str, optional
        The sections to make, by name (a string: names separated by commas), in the
        page's order whatever the order given: any of :data:`DEFAULT_SECTIONS` (every
        report's, the default), ``"default"`` for all of them, and the optional
        :data:`OPTIONAL_SECTIONS` -- ``"capital"`` (social capital: bonding and bridging
        ties by community, brokers by role) and ``"participation"`` (the participation
        ladder by community, volunteers' retention compared across communities, dormant
        projects; it needs the ``survival`` extra). ``["default", "capital"]`` adds a
        section to the usual report. The overview, which says how the page protects
        the people in it, is always made. Unknown names are refused before any work.
    votes : mapping, optional
        The residents' ballots of calls for golden ideas, by call ID: a
        :class:`~vchuang.selection.Votes` (voters are the graph's residents), an
        :class:`~vchuang.selection.Election` or the path of a Pabulib file whose
        projects are the call's ideas by ID. For each such call the golden-ideas section
        says what equal shares would fund, checks the meeting's outcome (and the
        rule's, when they differ) for proportionality (:func:`~vchuang.selection.audit`)
        and says why each idea the rule leaves out was not funded
        (:func:`~vchuang.selection.why_not_funded`, the :data:`WHY_NOT_SHOWN` most
        backed). Without ballots the section says proportionality cannot be checked.

    Returns
    -------
    Report
        The sections and the files written.

    Raises
    ------
    ValidationError
        ``lang``, ``threshold``, ``sections`` or ``votes`` is not valid (a call the graph
        lacks, a project that is not one of the call's ideas, an unreadable Pabulib
        file); ``out`` is a file, a folder holding
        files that are not part of a report, or a folder holding a report of the other
        kind (an internal one over a public one, or the reverse); ``pdf`` without a
        Chromium, or Chromium failed to print.
    """
    if lang not in ("en", "zh"):
        raise ValidationError([Problem("lang", f"must be 'en' or 'zh', got {lang!r}")])
    chosen = _chosen_sections(sections)
    makers = (
        list(_SECTIONS)
        if sections is None
        else [m for m in (*_SECTIONS, *_OPTIONAL) if _section_name(m) in chosen]
    )
    elections = _elections(graph, votes or {})
    given = Path(out)
    folder = given.resolve()  # "." and ".." have no name to rename; a link, its folder
    _check_out(folder, lang, internal=reveal)
    browser = _chromium(lang) if pdf else None
    if key is None:
        key = secrets.token_bytes(32)
    from .plot import label_lang

    # Figures are labelled in Chinese only with a CJK font (else English, warned once);
    # the page and its tables stay in ``lang``: the browser has its own fonts.
    figure_lang = label_lang(lang)
    from .privacy import for_publication

    # Every analysis runs on the published form of the graph: residents under keyed-hash
    # IDs, names replaced, birth years turned into age bands, free text removed. So no
    # table, figure or sentence of the report can carry a name or an internal ID; an
    # internal report only puts names (of consenting adults) where it lists people.
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
        names=_consented_names(graph, key) if reveal else {},
        elections=elections,
    )
    bar = _Progress(progress, len(makers) + 1 + pdf, lang)
    made: list[Section] = []
    try:
        for make in makers:
            label = _section_label(make, lang)
            bar.start(label)
            section = make(ctx)
            bar.step(label)
            if section is not None:
                made.append(section)
        note = _method(ctx)  # after the sections, which chose their methods
        if note is not None:
            made.append(note)
        if reveal:
            made = [_internal_overview(s, ctx) for s in made]
        title = _w("title", lang)
        page = _render(made, title, lang, threshold, internal=reveal)
        bar.start(_w("progress.page", lang))

        def printed(index: Path, target: Path) -> None:
            bar.step(_w("progress.page", lang))
            bar.start(_w("progress.pdf", lang))
            print_pdf(index, target, browser=browser, lang=lang)

        written = _write(folder, made, page, pdf=printed if browser else None)
        bar.step(_w("progress.pdf" if browser else "progress.page", lang))
    finally:
        bar.close()
    files = [given / f.relative_to(folder) for f in written]
    index = given / "index.html"
    return Report(
        out=given,
        index=index,
        sections=tuple(made),
        files=tuple(files),
        methods=dict(ctx.methods),
    )


def _elections(
    graph: CommunityGraph, votes: Mapping[str, Votes | Election | str | os.PathLike[str]]
) -> dict[str, Election]:
    """Each call's election from the ballots given for it, checked before any work.

    Ballots name residents by their IDs in ``graph`` (before pseudonyms), so they are
    read here; the report only ever shows counts and shares of voters.
    """
    from .selection import Election, Votes

    out: dict[str, Election] = {}
    calls = {c.id for c in graph.calls()}
    for call, given in votes.items():
        where = f"votes[{call!r}]"
        if call not in calls:
            raise ValidationError(
                [
                    Problem.said(
                        where,
                        "selection.report.no_call",
                        "selection.report.no_call_hint",
                        call=call,
                    )
                ]
            )
        if isinstance(given, Election):
            election = given
        elif isinstance(given, Votes):
            election = Election.from_call(graph, call, votes=given)
        else:
            from .io import pabulib

            election = Election.from_pabulib(pabulib.load(given))
        ideas = {p.id for p in graph.proposals(call)}
        unknown = [p for p in election.projects if p not in ideas]
        if unknown:
            raise ValidationError(
                [
                    Problem.said(
                        where,
                        "selection.report.not_idea",
                        "selection.report.not_idea_hint",
                        project=unknown[0],
                        call=call,
                    )
                ]
            )
        out[call] = election
    return out


def _consented_names(graph: CommunityGraph, key: bytes | str) -> dict[str, str]:
    """Pseudonym -> name of every resident an internal report may name: an adult who
    consented (:func:`vchuang.privacy.display_name` with ``reveal=True`` on the data's
    date gives the name, never a minor's)."""
    from .privacy import ID_PREFIXES, data_date, display_name, keyed_id, pseudonym_label

    day = data_date(graph)
    names: dict[str, str] = {}
    for resident in graph.residents():
        if not resident.consent_to_name:
            continue
        shown = display_name(resident, reveal=True, as_of=day)
        if shown != pseudonym_label(resident.id):
            names[keyed_id(resident.id, key, prefix=ID_PREFIXES["resident"])] = shown
    return names


def _internal_overview(section: Section, ctx: _Context) -> Section:
    """The overview of an internal report says who is named (instead of "no names")."""
    if section.id != "overview":
        return section
    public = _w("privacy", ctx.lang, n=ctx.threshold)
    internal = _w("privacy_internal", ctx.lang, n=ctx.threshold)
    return attrs.evolve(section, text=tuple(internal if t == public else t for t in section.text))
