"""Point–line–surface (点线面) reach: how far leaders reach through their projects.

The incubator's own model of reach, made computable:

* **points** (抓手点) :math:`P` — residents, by default those with
  :attr:`~vchuang.model.Role.LEADER`;
* **lines** (服务线) :math:`L(p)` — the projects a point leads (configurable: leads,
  co-leads, volunteers in);
* **surface** (受众面) :math:`S(l)` of a line — the residents it reaches: named
  attendees of its activities, optionally the members of the segments it targets,
  optionally those a few ``knows`` steps further;
* surface of :math:`P`: :math:`S(P) = \\bigcup_{p \\in P} \\bigcup_{l \\in L(p)} S(l)`.

:func:`surface` gives :math:`S(P)` and can say which point and which line reached each
resident; :func:`reach_report` measures it (unique reach, coverage of each segment and
community, leverage, overlap between lines, each point's fragility and Shapley share,
gaps, and the unique-reach interval where records hold only headcounts);
:func:`best_next` chooses which leaders to grow or projects to add for the most *new*
reach, with the library's coverage engine (lazy greedy, CELF).

Results name residents by ID only.

Examples
--------
>>> import vchuang
>>> from vchuang.reach import reach_report
>>> g = vchuang.load_example()
>>> rep = reach_report(g)
>>> rep.unique_reach, [p.id for p in rep.points]
(7, ['pn-r01'])
>>> for c in rep.segments:
...     print(c.id, c.reached, c.denominator, c.source)
pingnan-children 1 1800 population
pingnan-dog-owners 2 600 population
pingnan-elders 3 1500 population
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np
import numpy.typing as npt

from .errors import Problem, UnknownEntityError, ValidationError
from .kernel import coverage as _coverage
from .kernel.checks import check_choice, check_number, check_whole
from .kernel.display import SHOWN, html_table, preview
from .kernel.money import format_fen
from .kernel.plotting import plot
from .kernel.renames import UNSET, renamed
from .model import Community, Project, Proposal, Relation, Role, Segment, Stage

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .graph import CommunityGraph

__all__ = [
    "CountEstimate",
    "Coverage",
    "LineReach",
    "NextBest",
    "Overlap",
    "Pick",
    "PointReach",
    "Reach",
    "ReachReport",
    "Surface",
    "Tiers",
    "best_next",
    "reach_report",
    "surface",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Ways a point holds a line (the ``lines=`` option) and the relation behind each.
LINE_RELATIONS: Mapping[str, Relation] = {
    "leads": Relation.LEADS,
    "co_leads": Relation.CO_LEADS,
    "volunteers": Relation.VOLUNTEERS_IN,
}
#: What a line's surface is made of (the ``include=`` option).
INCLUDES = ("attendees", "segments")

_ATTENDED, _SEGMENT = 1, 2  # reach codes; 2 + s is "s knows-steps away"


def _via(code: int) -> str:
    if code == _ATTENDED:
        return "attended"
    if code == _SEGMENT:
        return "segment"
    return f"knows:{code - _SEGMENT}"


# --------------------------------------------------------------------------- records


@attrs.frozen(kw_only=True)
class Reach:
    """One way a resident is reached: through ``line``, held by ``point``.

    ``via`` is ``"attended"`` (a named attendee of one of the line's activities),
    ``"segment"`` (a member of a segment the line targets) or ``"knows:s"`` (``s``
    ``knows`` steps from the line's direct surface).
    """

    resident: str
    point: str
    line: str
    via: str


@attrs.frozen(kw_only=True)
class Tiers:
    """What the point–line–surface diagram draws: three tiers and the links between them.

    Every :class:`Surface` carries one (``surface.tiers``);
    :func:`vchuang.plot.plot_tiers` draws it. Positions index the tuples of IDs.

    Attributes
    ----------
    points, lines, segments : tuple of str
        The points, their lines, and the segments the lines reach (IDs, sorted).
    labels : Mapping
        Line and segment ID -> (English name, Chinese name); segments of the same name
        in several places carry the place's name too.
    point_reach, line_reach, segment_reach : tuple of int
        Residents each point, line and segment reaches (in the order of the IDs).
    point_line : tuple of (int, int)
        (point, line) positions: the point holds the line.
    line_segment : tuple of (int, int, int)
        (line, segment, reached residents of the line in the segment); segment position
        ``len(segments)`` is "in no segment".
    unique_reach : int
        :math:`|S(P)|`.
    """

    points: tuple[str, ...]
    lines: tuple[str, ...]
    segments: tuple[str, ...]
    labels: Mapping[str, tuple[str, str]] = attrs.field(repr=False)
    point_reach: tuple[int, ...] = attrs.field(repr=False)
    line_reach: tuple[int, ...] = attrs.field(repr=False)
    segment_reach: tuple[int, ...] = attrs.field(repr=False)
    point_line: tuple[tuple[int, int], ...] = attrs.field(repr=False)
    line_segment: tuple[tuple[int, int, int], ...] = attrs.field(repr=False)
    unique_reach: int

    def __repr__(self) -> str:
        return (
            f"Tiers(points={len(self.points)}, lines={len(self.lines)}, "
            f"segments={len(self.segments)}, unique_reach={self.unique_reach})"
        )

    def _repr_html_(self) -> str:
        rows = [
            ("points", len(self.points), preview(self.points)),
            ("lines", len(self.lines), preview(self.lines)),
            ("segments", len(self.segments), preview(self.segments)),
        ]
        caption = f"Tiers: {self.unique_reach} residents reached"
        return html_table(caption, ("tier", "count", "first"), rows)


@attrs.frozen(kw_only=True, eq=False)
class Surface:
    """The residents reached by a set of points through their lines, :math:`S(P)`.

    Attributes
    ----------
    points : tuple of str
        The points :math:`P` (resident IDs, sorted).
    lines : tuple of str
        Every line of a point (project IDs, sorted).
    residents : tuple of str
        The reached residents (IDs, sorted).
    line_relations : tuple of str
        How a point holds a line (``"leads"``, ``"co_leads"``, ``"volunteers"``).
    include : tuple of str
        What a line's surface is made of (``"attendees"``, ``"segments"``).
    steps : int
        ``knows`` steps of social spread added to each line's surface.
    """

    points: tuple[str, ...]
    lines: tuple[str, ...]
    residents: tuple[str, ...]
    line_relations: tuple[str, ...]
    include: tuple[str, ...]
    steps: int
    _point_line: Any = attrs.field(alias="point_line", repr=False)
    _line_resident: Any = attrs.field(alias="line_resident", repr=False)
    _resident_ids: tuple[str, ...] = attrs.field(alias="resident_ids", repr=False)
    tiers: Tiers = attrs.field(repr=False)
    """What the point–line–surface diagram draws (see :func:`vchuang.plot.plot_tiers`)."""

    def __repr__(self) -> str:
        return (
            f"Surface(points={len(self.points)}, lines={len(self.lines)}, "
            f"residents={len(self.residents)}, include={self.include!r}, steps={self.steps}, "
            f"first points={preview(self.points)})"
        )

    def _repr_html_(self) -> str:
        rows = [(p, len(self.lines_of(p))) for p in self.points[:SHOWN]]
        caption = (
            f"Surface: {len(self.points)} points, {len(self.lines)} lines, "
            f"{len(self.residents)} residents reached"
        )
        return html_table(caption, ("point", "lines"), rows)

    def __len__(self) -> int:
        return len(self.residents)

    def __iter__(self) -> Iterator[str]:
        return iter(self.residents)

    def __contains__(self, resident: object) -> bool:
        if not isinstance(resident, str):
            return False
        i = bisect.bisect_left(self.residents, resident)
        return i < len(self.residents) and self.residents[i] == resident

    def lines_of(self, point: str) -> tuple[str, ...]:
        """The lines of one point, sorted by ID."""
        i = self._point_pos(point)
        row = self._point_line[[i]]
        return tuple(self.lines[j] for j in sorted(row.indices.tolist()))

    def of_line(self, line: str) -> tuple[str, ...]:
        """The residents one line reaches, sorted by ID."""
        try:
            j = self.lines.index(line)
        except ValueError:
            raise UnknownEntityError(line) from None
        cols = self._line_resident[[j]].indices
        return tuple(sorted(self._resident_ids[c] for c in cols.tolist()))

    def of_point(self, point: str) -> tuple[str, ...]:
        """The residents one point reaches (through any of its lines), sorted by ID."""
        i = self._point_pos(point)
        rows = self._point_line[[i]].indices
        cols = np.unique(self._line_resident[rows].indices)
        return tuple(sorted(self._resident_ids[c] for c in cols.tolist()))

    def reached_by(self, resident: str) -> tuple[Reach, ...]:
        """Every (point, line, how) that reaches ``resident``, sorted; empty when the
        resident is not reached."""
        try:
            c = self._resident_ids.index(resident)
        except ValueError:
            raise UnknownEntityError(resident) from None
        col = self._line_resident[:, [c]].tocoo()
        out: list[Reach] = []
        holders = _holders(self._point_line)
        for j, code in zip(col.row.tolist(), col.data.tolist(), strict=True):
            pts = holders[j]
            out += [
                Reach(
                    resident=resident, point=self.points[p], line=self.lines[j], via=_via(int(code))
                )
                for p in pts
            ]
        return tuple(sorted(out, key=lambda r: (r.point, r.line)))

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per (resident, point, line): who reached whom, and how."""
        holders = _holders(self._point_line)
        lr = self._line_resident.tocoo()
        rows: list[dict[str, Any]] = []
        for j, c, code in zip(lr.row.tolist(), lr.col.tolist(), lr.data.tolist(), strict=True):
            for p in holders[j]:
                rows.append(
                    {
                        "resident": self._resident_ids[c],
                        "point": self.points[p],
                        "line": self.lines[j],
                        "via": _via(int(code)),
                    }
                )
        rows.sort(key=lambda r: (r["resident"], r["point"], r["line"]))
        return rows

    def plot(self, ax: Axes | None = None, *, lang: str = "en", suppress: int = 0) -> Axes:
        """The point–line–surface diagram (see :func:`vchuang.plot.plot_tiers`);
        counts below ``suppress`` are labelled ``"<suppress"``."""
        out: Axes = plot(self, ax=ax, lang=lang, suppress=suppress)
        return out

    def _point_pos(self, point: str) -> int:
        try:
            return self.points.index(point)
        except ValueError:
            raise UnknownEntityError(point) from None


@attrs.frozen(kw_only=True)
class PointReach:
    """One point's reach.

    ``fragility`` is the audience only this point reaches, :math:`|S(P)| - |S(P
    \\setminus \\{p\\})|`; ``shapley`` its Shapley share of the unique reach.
    """

    id: str
    lines: tuple[str, ...]
    reach: int
    fragility: int
    shapley: float


@attrs.frozen(kw_only=True)
class LineReach:
    """One line's reach: residents its surface holds, the points holding it, and
    the headcounts of its activities (named or not)."""

    id: str
    name: str
    points: tuple[str, ...]
    reach: int
    activities: int
    named_attendees: int
    headcount: int


@attrs.frozen(kw_only=True)
class Coverage:
    """How much of a segment, a community, or a segment within a community, the
    surface covers.

    ``source`` says where the denominator comes from: ``"population"`` (the record's
    ``population`` field) or ``"listed"`` (residents listed in the graph). ``share`` is
    ``None`` when the denominator is 0.
    """

    id: str
    kind: str
    name: str
    name_zh: str
    reached: int
    denominator: int
    source: str
    share: float | None
    gap: bool
    community: str | None = None
    segment: str | None = None


@attrs.frozen(kw_only=True)
class Overlap:
    """Two lines that reach some of the same residents: their Jaccard index
    :math:`|S(a) \\cap S(b)| / |S(a) \\cup S(b)|`."""

    a: str
    b: str
    shared: int
    union: int
    jaccard: float


@attrs.frozen(kw_only=True)
class CountEstimate:
    """Unique reach from headcounts, where records hold only counts.

    Attributes
    ----------
    named : int
        Distinct residents named as attending.
    headcounts : tuple of int
        Headcount of each activity (named or not).
    unnamed : int
        Attendances not named: :math:`\\sum_i (c_i - n_i)`.
    lower, upper : int
        The interval unique attendance must lie in:
        :math:`[\\max(U, \\max_i c_i),\\ \\min(U + \\sum_i (c_i - n_i), N)]` with
        :math:`U` the named residents; with no names this is
        :math:`[\\max_i c_i, \\min(\\sum_i c_i, N)]`.
    independence : float
        :math:`N (1 - \\prod_i (1 - c_i / N))`: the expected unique attendance if each
        activity's attendees were an independent random draw from the :math:`N`
        residents; clipped into ``[lower, upper]``. An estimate, not a count.
    population : int
        :math:`N`, raised to ``lower`` if the recorded population is smaller.
    source : str
        Where :math:`N` comes from: ``"population"``, ``"listed"``, ``"mixed"`` (some
        communities have a population, some only listed residents) or ``"given"``.
    exact : bool
        Every attendance is named, so the interval is a single number.
    clipped : bool
        The independence estimate fell outside ``[lower, upper]`` and was clipped (it
        ignores who is named, so it can exceed what the names allow).
    """

    named: int
    headcounts: tuple[int, ...] = attrs.field(repr=False)
    unnamed: int
    lower: int
    upper: int
    independence: float
    population: int
    source: str
    exact: bool
    clipped: bool = False

    def __repr__(self) -> str:
        return (
            f"CountEstimate(lower={self.lower}, upper={self.upper}, "
            f"independence={self.independence:.1f}, named={self.named}, "
            f"activities={len(self.headcounts)}, unnamed={self.unnamed}, "
            f"population={self.population}, source={self.source!r}, exact={self.exact})"
        )

    @property
    def label(self) -> str:
        """A sentence saying what the numbers are."""
        if self.exact:
            return f"unique attendance {self.lower} (every attendee named)"
        return (
            f"unique attendance between {self.lower} and {self.upper} (from headcounts; "
            f"{self.unnamed} attendances unnamed); independence estimate "
            f"{self.independence:.0f}{' (clipped to the interval)' if self.clipped else ''}"
            f" of N={self.population} ({self.source})"
        )

    @classmethod
    def from_headcounts(
        cls,
        headcounts: Iterable[int],
        *,
        population: int,
        named: Iterable[int] | None = None,
        named_union: int = 0,
        source: str = "given",
    ) -> CountEstimate:
        """The interval and independence estimate from activity headcounts.

        Parameters
        ----------
        headcounts : iterable of int
            :math:`c_i`, everyone who came to activity :math:`i`.
        population : int
            :math:`N`, the residents who could have come.
        named : iterable of int, optional
            :math:`n_i \\le c_i`, how many of activity :math:`i`'s attendees are named
            (default none).
        named_union : int
            :math:`U`, distinct residents named across all activities.
        source : str
            Where ``population`` comes from (kept in the result).

        Returns
        -------
        CountEstimate

        Raises
        ------
        ValidationError
            Negative counts, or more named than came.

        Examples
        --------
        >>> est = CountEstimate.from_headcounts([120, 60, 45], population=12000)
        >>> est.lower, est.upper, round(est.independence)
        (120, 225, 224)
        """
        c = [int(x) for x in headcounts]
        n = [0] * len(c) if named is None else [int(x) for x in named]
        problems: list[Problem] = []
        if len(n) != len(c):
            problems.append(Problem("named", "give one named count per headcount"))
        if any(x < 0 for x in c) or any(x < 0 for x in n) or population < 0 or named_union < 0:
            problems.append(Problem("headcounts", "counts must be >= 0"))
        if any(ni > ci for ni, ci in zip(n, c, strict=False)):
            problems.append(Problem("named", "an activity names more attendees than came"))
        if problems:
            raise ValidationError(problems)
        unnamed = sum(ci - ni for ci, ni in zip(c, n, strict=True))
        lower = max([named_union, *c])
        big_n = max(int(population), lower)
        upper = min(named_union + unnamed, big_n)
        upper = max(upper, lower)
        if big_n > 0:
            miss = 1.0
            for ci in c:
                miss *= 1.0 - ci / big_n
            est = big_n * (1.0 - miss)
        else:
            est = 0.0
        clipped = not float(lower) <= est <= float(upper)
        est = min(max(est, float(lower)), float(upper))
        return cls(
            named=named_union,
            headcounts=tuple(c),
            unnamed=unnamed,
            lower=lower,
            upper=upper,
            independence=est,
            population=big_n,
            source=source,
            exact=unnamed == 0,
            clipped=clipped,
        )


@attrs.frozen(kw_only=True, eq=False)
class ReachReport:
    """Every point–line–surface measure of a set of points, from one pass.

    Attributes
    ----------
    surface : Surface
        :math:`S(P)`, able to say who reached whom.
    unique_reach : int
        :math:`|S(P)|`: residents reached, each once.
    leverage : float
        :math:`|S(P)| / |P|` (0 when there are no points).
    points : tuple of PointReach
        Per point: its lines, reach, fragility and Shapley share (sorted by ID).
    lines : tuple of LineReach
        Per line of a point (sorted by ID).
    segments, communities : tuple of Coverage
        Coverage of each segment and each community, with its denominator.
    cells : tuple of Coverage
        Coverage of each segment within each community (the heatmap), denominator the
        segment's listed members in the community (or its population, when the segment
        is counted in that community).
    gaps : tuple of Coverage
        Segments and communities under ``threshold``, least covered first.
    counts : CountEstimate
        Unique attendance from headcounts (interval and independence estimate).
    threshold : float
        The coverage share under which a segment or community is a gap.
    reasons : tuple of str
        What the numbers say, in sentences.
    """

    surface: Surface
    unique_reach: int
    leverage: float
    points: tuple[PointReach, ...]
    lines: tuple[LineReach, ...]
    segments: tuple[Coverage, ...]
    communities: tuple[Coverage, ...]
    cells: tuple[Coverage, ...]
    gaps: tuple[Coverage, ...]
    counts: CountEstimate
    threshold: float
    reasons: tuple[str, ...]
    _pairs: tuple[Any, ...] = attrs.field(alias="pairs", repr=False)

    def __repr__(self) -> str:
        top = sorted(self.points, key=lambda p: (-p.reach, p.id))[:SHOWN]
        more = ", ..." if len(self.points) > SHOWN else ""
        shown = ", ".join(f"({p.id!r}, {p.reach})" for p in top)
        return (
            f"ReachReport(points={len(self.points)}, lines={len(self.lines)}, "
            f"unique_reach={self.unique_reach}, leverage={self.leverage:.1f}, "
            f"segments={len(self.segments)}, communities={len(self.communities)}, "
            f"gaps={len(self.gaps)}, counts=[{self.counts.lower}, {self.counts.upper}], "
            f"top points=[{shown}{more}])"
        )

    def _repr_html_(self) -> str:
        top = sorted(self.points, key=lambda p: (-p.reach, p.id))[:SHOWN]
        rows = [(p.id, len(p.lines), p.reach, p.fragility, f"{p.shapley:.1f}") for p in top]
        caption = (
            f"ReachReport: {len(self.points)} points reach {self.unique_reach} residents "
            f"(leverage {self.leverage:.1f}); {len(self.gaps)} gaps"
        )
        return html_table(caption, ("point", "lines", "reach", "fragility", "shapley"), rows)

    def overlaps(self, *, top: int | None = None, min_jaccard: float = 0.0) -> list[Overlap]:
        """Pairs of lines that share residents, most overlapping first (ties by IDs).

        Parameters
        ----------
        top : int, optional
            Keep only the first ``top`` pairs.
        min_jaccard : float
            Keep only pairs with at least this Jaccard index.

        Returns
        -------
        list of Overlap
        """
        i, j, shared, union = self._pairs
        jac = shared / np.maximum(union, 1)
        keep = np.flatnonzero(jac >= min_jaccard) if min_jaccard > 0 else np.arange(i.size)
        names = self.surface.lines
        order = sorted(keep.tolist(), key=lambda x: (-jac[x], names[i[x]], names[j[x]]))
        if top is not None:
            order = order[:top]
        return [
            Overlap(
                a=names[i[x]],
                b=names[j[x]],
                shared=int(shared[x]),
                union=int(union[x]),
                jaccard=float(jac[x]),
            )
            for x in order
        ]

    def to_rows(self, table: str = "points") -> list[dict[str, Any]]:
        """One of the report's tables as a list of dicts: ``"points"``, ``"lines"``,
        ``"segments"``, ``"communities"``, ``"cells"``, ``"gaps"`` or ``"overlaps"``."""
        tables: dict[str, Sequence[Any]] = {
            "points": self.points,
            "lines": self.lines,
            "segments": self.segments,
            "communities": self.communities,
            "cells": self.cells,
            "gaps": self.gaps,
        }
        if table == "overlaps":
            return [attrs.asdict(o) for o in self.overlaps()]
        if table not in tables:
            msg = f"no table {table!r}; choose one of {[*tables, 'overlaps']}"
            raise ValidationError([Problem("table", msg)])
        return [attrs.asdict(x) for x in tables[table]]

    def plot(
        self,
        ax: Axes | None = None,
        *,
        kind: str = "diagram",
        lang: str = "en",
        suppress: int = 0,
    ) -> Axes:
        """``kind="diagram"``: the point–line–surface diagram (counts below ``suppress``
        labelled ``"<suppress"``, see :func:`vchuang.plot.plot_tiers`);
        ``kind="heatmap"``: coverage of each segment in each community (see
        :func:`vchuang.plot.plot_heatmap`)."""
        if kind not in ("diagram", "heatmap"):
            msg = f"kind must be 'diagram' or 'heatmap', got {kind!r}"
            raise ValidationError([Problem("kind", msg)])
        out: Axes = plot(self, ax=ax, kind=kind, lang=lang, suppress=suppress)
        return out


@attrs.frozen(kw_only=True)
class Pick:
    """One choice of :func:`best_next`, and why."""

    id: str
    kind: str
    """``"resident"`` (a leader to grow), ``"project"`` or ``"proposal"``."""
    name: str
    name_zh: str
    gain: float
    """Weighted new reach it adds beyond the surface and earlier picks."""
    new_residents: int
    cumulative: float
    cost_fen: int | None
    segments: tuple[tuple[str, int], ...] = attrs.field(repr=False)
    """New residents by segment (most first)."""
    reason: str


@attrs.frozen(kw_only=True)
class NextBest:
    """Which candidates add the most new reach, in the order chosen.

    Attributes
    ----------
    picks : tuple of Pick
        In order; each with its marginal gain and the reason.
    base : int
        :math:`|S(P)|` before any pick.
    value : float
        Weighted new reach of all picks together.
    bound : float
        Upper bound on the best possible new reach under the same constraint.
    rule : str
        ``"greedy"`` (k picks), ``"cost-benefit"`` or ``"best-single"`` (budget).
    k : int or None
    budget_fen : int or None
    candidates : int
        How many candidates were weighed.
    reasons : tuple of str
    """

    picks: tuple[Pick, ...]
    base: int
    value: float
    bound: float
    rule: str
    k: int | None
    budget_fen: int | None
    candidates: int
    reasons: tuple[str, ...]

    def __repr__(self) -> str:
        shown = ", ".join(f"({p.id!r}, {p.gain:g})" for p in self.picks[:SHOWN])
        more = ", ..." if len(self.picks) > SHOWN else ""
        limit = f"k={self.k}" if self.budget_fen is None else f"budget_fen={self.budget_fen}"
        return (
            f"NextBest(rule={self.rule!r}, {limit}, candidates={self.candidates}, "
            f"base={self.base}, value={self.value:g}, bound={self.bound:g}, "
            f"picks=[{shown}{more}])"
        )

    def _repr_html_(self) -> str:
        rows = [
            (i, p.id, p.kind, f"{p.gain:g}", p.new_residents, f"{p.cumulative:g}")
            for i, p in enumerate(self.picks[:SHOWN], start=1)
        ]
        caption = (
            f"NextBest ({self.rule}): {len(self.picks)} picks add {self.value:g} "
            f"beyond {self.base} reached"
        )
        return html_table(caption, ("rank", "id", "kind", "gain", "new", "cumulative"), rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per pick."""
        rows = []
        for rank, p in enumerate(self.picks, start=1):
            row = attrs.asdict(p)
            row["segments"] = ", ".join(f"{s} {n}" for s, n in p.segments)
            rows.append({"rank": rank, **row})
        return rows

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """The marginal-gain curve: each pick's gain and the running total (see
        :func:`vchuang.plot.plot_gains`)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


# --------------------------------------------------------------------------- options


def _line_relations(lines: str | Iterable[str]) -> tuple[str, ...]:
    asked = (lines,) if isinstance(lines, str) else tuple(lines)
    unknown = [x for x in asked if x not in LINE_RELATIONS]
    if unknown or not asked:
        msg = f"unknown or empty line relation {unknown or asked!r}"
        hint = f"use one or more of {list(LINE_RELATIONS)}"
        raise ValidationError([Problem("lines", msg, hint)])
    return tuple(x for x in LINE_RELATIONS if x in asked)


def _includes(include: str | Iterable[str]) -> tuple[str, ...]:
    asked = (include,) if isinstance(include, str) else tuple(include)
    unknown = [x for x in asked if x not in INCLUDES]
    if unknown:
        msg = f"unknown surface part {unknown!r}"
        raise ValidationError([Problem("include", msg, f"use any of {list(INCLUDES)}")])
    return tuple(x for x in INCLUDES if x in asked)


def _steps(steps: int) -> int:
    return check_whole(steps, "steps", minimum=0)


def _residents_of(graph: CommunityGraph, ids: Iterable[str], path: str) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for x in ids:
        if graph.kind_of(x) != "resident":  # raises UnknownEntityError if missing
            msg = f"{x!r} is a {graph.kind_of(x)}, not a resident"
            hint = "points are residents (leaders, talents, volunteers)"
            raise ValidationError([Problem(path, msg, hint)])
        out[x] = None
    return tuple(sorted(out))


def _points(
    graph: CommunityGraph, points: str | Iterable[str] | None, place: str | None
) -> tuple[str, ...]:
    if points is None:
        return tuple(sorted(r.id for r in graph.leaders(place)))
    if isinstance(points, str):
        points = (points,)
    return _residents_of(graph, points, "points")


def _holders(point_line: Any) -> list[list[int]]:
    """For each line (column), the sorted rows of the points holding it."""
    csc = point_line.tocsc()
    csc.sort_indices()
    ptr, idx = csc.indptr, csc.indices
    return [idx[ptr[j] : ptr[j + 1]].tolist() for j in range(csc.shape[1])]


def _bool(m: Any) -> Any:
    """A copy of a sparse array with every stored non-zero set to 1."""
    m = m.tocsr(copy=True)
    m.eliminate_zeros()
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


# --------------------------------------------------------------------------- arrays


class _Arrays:
    """Sparse arrays of one graph version for point–line–surface work (private)."""

    def __init__(self, graph: CommunityGraph) -> None:
        import scipy.sparse as sp

        self.graph = graph
        self.sp = sp
        index = graph.index
        self.index = index
        self.resident_ids = index.ids("resident")
        self.n_residents = len(self.resident_ids)
        self.rpos = index.position("resident")

    def point_line(self, points: Sequence[str], relations: Sequence[str]) -> Any:
        """Points × projects (all projects), 1 where the point holds the project."""
        sp = self.sp
        m = sp.csr_array((self.n_residents, len(self.index.ids("project"))))
        for name in relations:
            m = m + self.index.incidence(LINE_RELATIONS[name], "project")
        rows = np.asarray([self.rpos[p] for p in points], dtype=np.int64)
        return _bool(m[rows])

    def surface_rows(
        self, kind: str, ids: Sequence[str], include: Sequence[str], steps: int
    ) -> Any:
        """Lines (projects or proposals) × residents, data = reach code (min)."""
        sp = self.sp
        index = self.index
        pos = index.position(kind)
        cols = np.asarray([pos[x] for x in ids], dtype=np.int64)
        layers: list[tuple[int, Any]] = []
        shape = (len(ids), self.n_residents)
        if "attendees" in include and kind == "project":
            act_proj = index.incidence(Relation.PART_OF, "project", source_kind="activity")
            res_act = index.incidence(Relation.ATTENDED, "activity")
            layers.append((_ATTENDED, _bool(act_proj[:, cols].T @ res_act.T)))
        if "segments" in include:
            targets = index.incidence(Relation.TARGETS, "segment", source_kind=kind)
            members = index.incidence(Relation.IN_SEGMENT, "segment")
            layers.append((_SEGMENT, _bool(targets[cols] @ members.T)))
        code = sp.csr_array(shape)
        reached = sp.csr_array(shape)
        for c, layer in layers:
            new = _bool(layer - layer.multiply(reached))
            code = code + c * new
            reached = _bool(reached + new)
        if steps:
            knows = _bool(index.knows)
            frontier = reached
            for s in range(1, steps + 1):
                nxt = _bool(frontier @ knows)
                new = _bool(nxt - nxt.multiply(reached))
                if new.nnz == 0:
                    break
                code = code + (_SEGMENT + s) * new
                reached = _bool(reached + new)
                frontier = new
        code = code.tocsr()
        code.eliminate_zeros()
        code.sum_duplicates()
        code.sort_indices()
        return code

    def members(self) -> Any:
        """Residents × segments, 1 where the resident lists the segment."""
        return _bool(self.index.incidence(Relation.IN_SEGMENT, "segment"))


def _priorities_vector(
    graph: CommunityGraph, arrays: _Arrays, priorities: Mapping[str, float] | None
) -> FloatArray | None:
    if priorities is None:
        return None
    w = np.ones(arrays.n_residents, dtype=np.float64)
    seg_pos = arrays.index.position("segment")
    seg_w = np.full(len(seg_pos), np.nan)
    explicit: dict[int, float] = {}
    problems: list[Problem] = []
    for key in sorted(priorities):
        value = float(priorities[key])
        where = f"priorities[{key!r}]"
        if not math.isfinite(value) or value < 0:
            problems.append(Problem(where, f"must be finite and >= 0, got {value}"))
            continue
        if key not in graph:
            problems.append(Problem(where, "no such resident or segment"))
        elif graph.kind_of(key) == "segment":
            seg_w[seg_pos[key]] = value
        elif graph.kind_of(key) == "resident":
            explicit[arrays.rpos[key]] = value
        else:
            kind = graph.kind_of(key)
            problems.append(Problem(where, f"is a {kind}; give residents or segments a priority"))
    if problems:
        raise ValidationError(problems)
    if not np.all(np.isnan(seg_w)):
        members = arrays.members().tocoo()
        vals = seg_w[members.col]
        ok = ~np.isnan(vals)
        best = np.full(arrays.n_residents, -np.inf)
        np.maximum.at(best, members.row[ok], vals[ok])
        has = np.isfinite(best)
        w[has] = best[has]
    for r, value in explicit.items():
        w[r] = value
    return w


# --------------------------------------------------------------------------- surface


def _build_surface(
    graph: CommunityGraph,
    arrays: _Arrays,
    points: tuple[str, ...],
    relations: tuple[str, ...],
    include: tuple[str, ...],
    steps: int,
) -> Surface:
    project_ids = arrays.index.ids("project")
    pl_all = arrays.point_line(points, relations)
    used = np.unique(pl_all.indices)
    lines = tuple(sorted(project_ids[j] for j in used.tolist()))
    ppos = arrays.index.position("project")
    cols = np.asarray([ppos[x] for x in lines], dtype=np.int64)
    point_line = _bool(pl_all[:, cols]) if lines else arrays.sp.csr_array((len(points), 0))
    line_resident = arrays.surface_rows("project", lines, include, steps)
    reached_cols = np.unique(line_resident.indices)
    ids = arrays.resident_ids
    residents = tuple(sorted(ids[c] for c in reached_cols.tolist()))
    tiers = _tiers(graph, arrays, points, lines, point_line, line_resident, len(residents))
    return Surface(
        points=points,
        lines=lines,
        residents=residents,
        line_relations=relations,
        include=include,
        steps=steps,
        point_line=point_line,
        line_resident=line_resident,
        resident_ids=ids,
        tiers=tiers,
    )


def _label(record: Any) -> tuple[str, str]:
    name = str(getattr(record, "name", record.id))
    zh = str(getattr(record, "name_zh", "") or name)
    return name, zh


def _tiers(
    graph: CommunityGraph,
    arrays: _Arrays,
    points: tuple[str, ...],
    lines: tuple[str, ...],
    point_line: Any,
    line_resident: Any,
    unique: int,
) -> Tiers:
    members = arrays.members()
    seg_ids = arrays.index.ids("segment")
    lr = _bool(line_resident)
    reached = np.zeros(arrays.n_residents, dtype=bool)
    reached[lr.indices] = True
    in_none = np.asarray(members.sum(axis=1)).ravel() == 0
    line_seg = (lr @ members).toarray() if len(lines) else np.zeros((0, len(seg_ids)))
    line_none = lr @ in_none.astype(np.float64) if len(lines) else np.zeros(0)
    seg_reach = np.asarray(members.T @ reached.astype(np.float64)).ravel()
    used = sorted(np.flatnonzero(line_seg.sum(axis=0) > 0).tolist(), key=lambda s: seg_ids[s])
    segments = tuple(seg_ids[s] for s in used)
    edges: list[tuple[int, int, int]] = []
    for li in range(len(lines)):
        for k, s in enumerate(used):
            if line_seg[li, s] > 0:
                edges.append((li, k, int(line_seg[li, s])))
        if line_none[li] > 0:
            edges.append((li, len(used), int(line_none[li])))
    labels = {x: _label(graph.get(x)) for x in lines}
    seg_labels = {x: _label(graph.get(x)) for x in segments}
    repeated = Counter(en for en, _ in seg_labels.values())
    for x, (en, zh) in seg_labels.items():
        place = graph.get(x, Segment).place
        if repeated[en] > 1 and place is not None:  # "Elders · He'ao"
            p_en, p_zh = _label(graph.get(place))
            labels[x] = (f"{en} · {p_en}", f"{zh}·{p_zh}")
        else:
            labels[x] = (en, zh)
    pl = point_line.tocoo()
    point_reach = []
    for i in range(len(points)):
        rows = point_line[[i]].indices
        point_reach.append(int(np.unique(lr[rows].indices).size) if rows.size else 0)
    return Tiers(
        points=points,
        lines=lines,
        segments=segments,
        labels=labels,
        point_reach=tuple(point_reach),
        line_reach=tuple(int(x) for x in np.diff(lr.indptr)),
        segment_reach=tuple(int(seg_reach[s]) for s in used),
        point_line=tuple(sorted(zip(pl.row.tolist(), pl.col.tolist(), strict=True))),
        line_segment=tuple(edges),
        unique_reach=unique,
    )


def surface(
    graph: CommunityGraph,
    points: str | Iterable[str] | None = None,
    *,
    lines: str | Iterable[str] = ("leads", "co_leads"),
    include: str | Iterable[str] = INCLUDES,
    steps: int = 0,
    place: str | None = None,
) -> Surface:
    """The residents reached by ``points`` through their lines, :math:`S(P)`.

    Parameters
    ----------
    graph : CommunityGraph
        The community graph.
    points : str or iterable of str, optional
        Resident IDs; default: every resident with :attr:`Role.LEADER` (in ``place``).
    lines : str or iterable of str
        How a point holds a line (a project): ``"leads"``, ``"co_leads"``,
        ``"volunteers"``, or several of them; default leads or co-leads.
    include : str or iterable of str
        What a line's surface is made of: ``"attendees"`` (named attendees of its
        activities) and/or ``"segments"`` (residents listing a segment the project
        targets). Default both.
    steps : int
        Add residents up to this many ``knows`` steps from each line's surface
        (default 0: none).
    place : str, optional
        With ``points=None``: take the leaders of this place only.

    Returns
    -------
    Surface
        The reached residents, able to say which point and line reached each.

    Raises
    ------
    UnknownEntityError
        A point is not in the graph.
    ValidationError
        A point is not a resident, or an option has an unknown value.

    See Also
    --------
    reach_report : every measure of the points (tiers, overlaps, shares) from one pass.
    best_next : which leaders or projects to add for the most new reach.
    vchuang.reach.Surface.plot : the point–line–surface diagram.

    Notes
    -----
    With :math:`L(p)` the lines of point :math:`p` and :math:`S(l)` the surface of line
    :math:`l`, :math:`S(P) = \\bigcup_{p \\in P} \\bigcup_{l \\in L(p)} S(l)`. It is
    computed as sparse products: lines × residents from activities × projects and
    residents × activities (attendance), projects × segments and residents × segments
    (targets), then ``steps`` products with the ``knows`` adjacency.

    Examples
    --------
    >>> import vchuang
    >>> g = vchuang.load_example()
    >>> s = surface(g)
    >>> s.points, s.lines, len(s)
    (('pn-r01',), ('pn-p1', 'pn-p3'), 7)
    >>> s.reached_by("pn-r03")
    (Reach(resident='pn-r03', point='pn-r01', line='pn-p1', via='segment'),)
    >>> len(surface(g, include="attendees", steps=1)) >= len(surface(g, include="attendees"))
    True
    """
    relations = _line_relations(lines)
    parts = _includes(include)
    steps = _steps(steps)
    pts = _points(graph, points, place)
    return _build_surface(graph, _Arrays(graph), pts, relations, parts, steps)


# --------------------------------------------------------------------------- measures


@attrs.frozen(kw_only=True, eq=False)
class _Measures:
    """Every reach measure, from one pass over the incidence (private)."""

    unique: int
    reached: BoolArray
    points_per_resident: IntArray
    point_reach: IntArray
    fragility: IntArray
    shapley: FloatArray
    line_reach: IntArray
    pair_i: IntArray
    pair_j: IntArray
    pair_shared: IntArray
    pair_union: IntArray
    segment_reached: IntArray
    segment_listed: IntArray
    community_reached: IntArray
    community_listed: IntArray
    cell_reached: IntArray
    cell_listed: IntArray


def _measures(
    point_line: Any,
    line_resident: Any,
    *,
    members: Any,
    community: IntArray,
    n_communities: int,
    overlaps: bool = True,
) -> _Measures:
    """All reach measures in one pass over the points × residents incidence.

    ``point_line`` is points × lines, ``line_resident`` lines × residents, ``members``
    residents × segments, ``community`` each resident's community row.
    """
    import scipy.sparse as sp

    n_points = point_line.shape[0]
    n_res = line_resident.shape[1]
    lr = _bool(line_resident)
    pr = _bool(_bool(point_line) @ lr)  # points × residents: the one incidence
    pr.sort_indices()
    per_res = np.bincount(pr.indices, minlength=n_res).astype(np.int64)
    reached = per_res > 0
    row_of = np.repeat(np.arange(n_points, dtype=np.int64), np.diff(pr.indptr))
    k = per_res[pr.indices]
    point_reach = np.diff(pr.indptr).astype(np.int64)
    fragility = np.bincount(row_of, weights=(k == 1), minlength=n_points).astype(np.int64)
    # Shapley: sum over reached residents of 1/k. Counted per k first (integers), then
    # weighted, so the float result does not depend on the order of residents.
    kmax = int(k.max()) if k.size else 0
    by_k = np.bincount(row_of * (kmax + 1) + k, minlength=n_points * (kmax + 1))
    by_k = by_k.reshape(n_points, kmax + 1)
    inv = np.zeros(kmax + 1)
    inv[1:] = 1.0 / np.arange(1, kmax + 1)
    shapley = by_k @ inv
    line_reach = np.diff(lr.indptr).astype(np.int64)
    if overlaps and lr.shape[0] > 1:
        inter = sp.triu(lr @ lr.T, k=1).tocoo()
        pi, pj = inter.row.astype(np.int64), inter.col.astype(np.int64)
        shared = np.rint(inter.data).astype(np.int64)
        union = line_reach[pi] + line_reach[pj] - shared
    else:
        pi = pj = shared = union = np.zeros(0, dtype=np.int64)
    mem = _bool(members)
    listed_r = np.ones(n_res)
    segment_listed = np.rint(mem.T @ listed_r).astype(np.int64)
    segment_reached = np.rint(mem.T @ reached.astype(np.float64)).astype(np.int64)
    community_listed = np.bincount(community, minlength=n_communities).astype(np.int64)
    community_reached = np.bincount(community[reached], minlength=n_communities).astype(np.int64)
    comm = sp.csr_array(
        (np.ones(n_res), (community, np.arange(n_res))), shape=(n_communities, n_res)
    )
    cell_listed = np.rint((comm @ mem).toarray()).astype(np.int64)
    cell_reached = np.rint((comm[:, np.flatnonzero(reached)] @ mem[reached]).toarray())
    return _Measures(
        unique=int(reached.sum()),
        reached=reached,
        points_per_resident=per_res,
        point_reach=point_reach,
        fragility=fragility,
        shapley=np.asarray(shapley, dtype=np.float64),
        line_reach=line_reach,
        pair_i=pi,
        pair_j=pj,
        pair_shared=shared,
        pair_union=union,
        segment_reached=segment_reached,
        segment_listed=segment_listed,
        community_reached=community_reached,
        community_listed=community_listed,
        cell_reached=cell_reached.astype(np.int64),
        cell_listed=cell_listed,
    )


def _coverage_row(
    record: Community | Segment,
    kind: str,
    reached: int,
    listed: int,
    threshold: float,
    *,
    use_population: bool = True,
    **extra: str,
) -> Coverage:
    if use_population and record.population is not None:
        denom, source = int(record.population), "population"
    else:
        denom, source = int(listed), "listed"
    share = float(reached) / denom if denom > 0 else None
    name, zh = _label(record)
    return Coverage(
        id=str(extra.get("cell_id", record.id)),
        kind=kind,
        name=name,
        name_zh=zh,
        reached=int(reached),
        denominator=denom,
        source=source,
        share=share,
        gap=share is not None and share < threshold,
        community=extra.get("community"),
        segment=extra.get("segment"),
    )


def _count_estimate(
    graph: CommunityGraph,
    arrays: _Arrays,
    lines: Sequence[str],
    population: int | None,
) -> tuple[CountEstimate, dict[str, tuple[int, int, int]]]:
    """Headcount interval over the lines' activities; per line (activities, named,
    headcount)."""
    per_line: dict[str, tuple[int, int, int]] = {}
    heads: list[int] = []
    named: list[int] = []
    cols: list[int] = []
    places: dict[str, None] = {}
    apos = arrays.index.position("activity")
    for line in lines:
        acts = sorted(graph.activities(project=line), key=lambda a: a.id)
        names: set[str] = set()
        for a in acts:
            heads.append(a.headcount)
            named.append(len(set(a.attendees)))
            cols.append(apos[a.id])
            places[a.place] = None
            names.update(a.attendees)
        per_line[line] = (len(acts), len(names), sum(a.headcount for a in acts))
    res_act = arrays.index.incidence(Relation.ATTENDED, "activity")
    union = 0
    if cols:
        sub = res_act[:, np.asarray(cols, dtype=np.int64)]
        union = int((np.diff(_bool(sub).tocsr().indptr) > 0).sum())
    if population is not None:
        big_n, source = int(population), "given"
    else:
        big_n, sources = 0, set()
        communities: dict[str, Community] = {}
        for place in places:
            for c in graph.communities_in(place):
                communities[c.id] = c
        for c in communities.values():
            if c.population is not None:
                big_n += c.population
                sources.add("population")
            else:
                big_n += len(graph.residents(c.id))
                sources.add("listed")
        source = sources.pop() if len(sources) == 1 else ("mixed" if sources else "listed")
    est = CountEstimate.from_headcounts(
        heads, population=big_n, named=named, named_union=union, source=source
    )
    return est, per_line


def reach_report(
    graph: CommunityGraph,
    points: str | Iterable[str] | None = None,
    *,
    lines: str | Iterable[str] = ("leads", "co_leads"),
    include: str | Iterable[str] = INCLUDES,
    steps: int = 0,
    place: str | None = None,
    threshold: float = 0.1,
    denominators: str = "population",
    population: int | None = None,
) -> ReachReport:
    """Every point–line–surface measure of ``points``, from one pass.

    Parameters
    ----------
    graph : CommunityGraph
        The community graph.
    points : str or iterable of str, optional
        Resident IDs; default: the leaders (of ``place``).
    lines, include, steps
        As in :func:`surface`.
    place : str, optional
        Report the communities and segments of this place (and take its leaders by
        default); ``None`` for the whole graph.
    threshold : float
        A segment or community covered less than this share is a gap (default 0.1).
    denominators : str
        ``"population"`` (default): divide by a segment's or community's ``population``
        where recorded, else by its listed residents; ``"listed"``: always by the
        residents listed in the graph (coverage of the people the records know).
    population : int, optional
        :math:`N` for the headcount estimate; default the population of the
        communities where the lines' activities took place (``Community.population``,
        else the residents listed there).

    Returns
    -------
    ReachReport
        Unique reach, leverage, per point (fragility, Shapley share), per line, coverage
        of segments, communities and segment × community cells, overlaps between lines,
        gaps, the headcount interval, and the reasons.

    Raises
    ------
    UnknownEntityError
        A point or the place is not in the graph.
    ValidationError
        A point is not a resident, an option has an unknown value, or ``threshold`` is
        outside [0, 1].

    See Also
    --------
    surface : the residents the points reach, and nothing else.
    best_next : which leaders or projects to add for the most new reach.
    vchuang.reach.ReachReport.plot : the tiers, or the overlap heatmap.

    Notes
    -----
    Let :math:`M` be the points × residents incidence, :math:`M_{pr} = 1` when some line
    of :math:`p` reaches :math:`r` (one sparse product, points × lines times lines ×
    residents), and :math:`k_r = \\sum_p M_{pr}` how many points reach :math:`r`. Then,
    from :math:`M` alone:

    * unique reach :math:`|S(P)| = \\#\\{r : k_r > 0\\}`; leverage :math:`|S(P)|/|P|`;
    * fragility of :math:`p`: :math:`|S(P)| - |S(P \\setminus \\{p\\})| = \\#\\{r :
      M_{pr} = 1, k_r = 1\\}`, the audience no other point reaches — who would take
      audience with them if they left (the "key player" view of [2]_);
    * Shapley share of :math:`p` in the coverage game :math:`v(Q) = |S(Q)|`:
      :math:`\\phi_p = \\sum_{r : M_{pr} = 1} 1/k_r` — each reached resident splits one
      unit equally among the points that reach them [1]_, so the shares sum to
      :math:`|S(P)|`;
    * Jaccard overlap of lines :math:`a, b`: :math:`|S(a) \\cap S(b)| / |S(a) \\cup
      S(b)|`, intersections from the product of lines × residents with its transpose;
    * coverage of a segment or community :math:`g`: :math:`|S(P) \\cap g| / |g|`, with
      :math:`|g|` the record's ``population`` when given, else its listed residents.

    Activities often record a headcount :math:`c_i` larger than the :math:`n_i`
    attendees they name. Unique attendance then lies in
    :math:`[\\max(U, \\max_i c_i), \\min(U + \\sum_i (c_i - n_i), N)]` (:math:`U` the
    distinct named attendees, :math:`N` the population); the independence estimate
    :math:`N(1 - \\prod_i (1 - c_i/N))` assumes each activity draws its attendees
    independently at random. See :class:`CountEstimate`.

    References
    ----------
    .. [1] Shapley, L. S. (1953). A value for n-person games. In H. W. Kuhn & A. W.
       Tucker (Eds.), Contributions to the Theory of Games II (pp. 307–317). Princeton
       University Press. https://doi.org/10.1515/9781400881970-018
    .. [2] Borgatti, S. P. (2006). Identifying sets of key players in a social network.
       Computational and Mathematical Organization Theory, 12, 21–34.
       https://doi.org/10.1007/s10588-006-7084-x

    Examples
    --------
    >>> import vchuang
    >>> rep = reach_report(vchuang.load_example())
    >>> rep.leverage, rep.points[0].fragility, rep.points[0].shapley
    (7.0, 7, 7.0)
    >>> rep.counts.lower, rep.counts.upper
    (120, 165)
    >>> [g.id for g in rep.gaps][:2]
    ['pingnan-children', 'pingnan']
    """
    check_choice(denominators, ("population", "listed"), "denominators")
    threshold = check_number(threshold, "threshold", minimum=0, maximum=1, what="a share")
    relations = _line_relations(lines)
    parts = _includes(include)
    steps = _steps(steps)
    if place is not None:
        graph.get(place)  # raises UnknownEntityError, with the nearest ID
    pts = _points(graph, points, place)
    arrays = _Arrays(graph)
    surf = _build_surface(graph, arrays, pts, relations, parts, steps)
    index = arrays.index
    comm_ids = index.ids("community")
    m = _measures(
        surf._point_line,
        surf._line_resident,
        members=arrays.members(),
        community=index.resident_community,
        n_communities=len(comm_ids),
    )
    counts, per_line = _count_estimate(graph, arrays, surf.lines, population)
    threshold = float(threshold)
    by_population = denominators == "population"

    point_rows = tuple(
        PointReach(
            id=p,
            lines=surf.lines_of(p),
            reach=int(m.point_reach[i]),
            fragility=int(m.fragility[i]),
            shapley=float(m.shapley[i]),
        )
        for i, p in enumerate(pts)
    )
    held_by = _holders(surf._point_line)
    line_rows = []
    for j, line in enumerate(surf.lines):
        holders = tuple(pts[i] for i in held_by[j])
        acts, named, heads = per_line[line]
        line_rows.append(
            LineReach(
                id=line,
                name=graph.get(line, Project).name,
                points=holders,
                reach=int(m.line_reach[j]),
                activities=acts,
                named_attendees=named,
                headcount=heads,
            )
        )

    comm_keep = [c.id for c in graph.communities(place)]
    seg_keep = [s.id for s in graph.segments(place)]
    cpos, spos = index.position("community"), index.position("segment")
    communities = tuple(
        _coverage_row(
            graph.get(c, Community),
            "community",
            m.community_reached[cpos[c]],
            m.community_listed[cpos[c]],
            threshold,
            use_population=by_population,
        )
        for c in sorted(comm_keep)
    )
    segments = tuple(
        _coverage_row(
            graph.get(s, Segment),
            "segment",
            m.segment_reached[spos[s]],
            m.segment_listed[spos[s]],
            threshold,
            use_population=by_population,
        )
        for s in sorted(seg_keep)
    )
    cells = []
    for c in sorted(comm_keep):
        for s in sorted(seg_keep):
            seg = graph.get(s, Segment)
            listed = int(m.cell_listed[cpos[c], spos[s]])
            if seg.place != c:
                seg = attrs.evolve(seg, population=None)  # counted elsewhere: listed only
            cells.append(
                _coverage_row(
                    seg,
                    "cell",
                    int(m.cell_reached[cpos[c], spos[s]]),
                    listed,
                    threshold,
                    use_population=by_population,
                    cell_id=f"{c}/{s}",
                    community=c,
                    segment=s,
                )
            )
    gaps = tuple(
        sorted(
            (g for g in (*segments, *communities) if g.gap),
            key=lambda g: (cast(float, g.share), g.kind, g.id),
        )
    )
    unique = m.unique
    leverage = unique / len(pts) if pts else 0.0
    report = ReachReport(
        surface=surf,
        unique_reach=unique,
        leverage=leverage,
        points=point_rows,
        lines=tuple(line_rows),
        segments=segments,
        communities=communities,
        cells=tuple(cells),
        gaps=gaps,
        counts=counts,
        threshold=threshold,
        reasons=(),
        pairs=(m.pair_i, m.pair_j, m.pair_shared, m.pair_union),
    )
    return attrs.evolve(report, reasons=_reasons(report))


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{100 * share:.1f}%"


def _reasons(report: ReachReport) -> tuple[str, ...]:
    out: list[str] = []
    n = len(report.points)
    if n == 0:
        return ("no points: no resident holds the role or was given as a point",)
    out.append(
        f"{_n(n, 'point')} hold {_n(len(report.lines), 'line')} and reach "
        f"{_n(report.unique_reach, 'distinct resident')} (leverage {report.leverage:.1f} "
        "per point)"
    )
    idle = [p.id for p in report.points if not p.lines]
    if idle:
        out.append(
            f"{_n(len(idle), 'point')} hold no line: {', '.join(idle[:5])}"
            + (" …" if len(idle) > 5 else "")
        )
    frag = sorted(report.points, key=lambda p: (-p.fragility, p.id))
    if frag and frag[0].fragility > 0:
        p = frag[0]
        out.append(
            f"{p.id} alone reaches {_n(p.fragility, 'resident')} no other point "
            "reaches (the most fragile point)"
        )
    top = report.overlaps(top=1)
    if top and top[0].jaccard > 0:
        o = top[0]
        out.append(
            f"lines {o.a} and {o.b} overlap most (Jaccard {o.jaccard:.2f}, "
            f"{o.shared} shared residents)"
        )
    for g in report.gaps[:5]:
        out.append(
            f"gap: {g.kind} {g.id} ({g.name}) covered {_pct(g.share)} "
            f"({g.reached} of {g.denominator}, {g.source})"
        )
    if not report.counts.exact:
        out.append(report.counts.label)
    return tuple(out)


# --------------------------------------------------------------------------- best next


def _default_candidates(graph: CommunityGraph, surf: Surface, place: str | None) -> list[str]:
    lines = set(surf.lines)
    points = set(surf.points)
    out = [
        p.id for p in graph.projects(place) if p.id not in lines and p.stage is not Stage.DROPPED
    ]
    if place is None:
        here: set[str | None] | None = None
    else:
        here = {
            place,
            *(c.id for c in graph.communities(place)),
            *(
                s.id
                for s in graph.subdistricts()
                if any(c.subdistrict == s.id for c in graph.communities(place))
            ),
        }
    out += [
        p.id
        for p in graph.proposals()
        if p.project is None and (here is None or graph.place_of(p.id) in here)
    ]
    out += [r.id for r in graph.residents(place, role=Role.TALENT) if r.id not in points]
    return out


def best_next(
    graph: CommunityGraph,
    k: int | None = None,
    *,
    candidates: Iterable[str] | None = None,
    budget: int | None = None,
    costs: Mapping[str, int] | None = None,
    priorities: Mapping[str, float] | None = None,
    points: str | Iterable[str] | None = None,
    lines: str | Iterable[str] = ("leads", "co_leads"),
    include: str | Iterable[str] = INCLUDES,
    steps: int = 0,
    candidate_lines: str | Iterable[str] = ("leads", "co_leads", "volunteers"),
    candidate_include: str | Iterable[str] | None = None,
    place: str | None = None,
    weights: Any = UNSET,
) -> NextBest:
    """Which leaders to grow or projects to add for the most *new* reach.

    New reach is counted beyond the current surface :math:`S(P)`: a candidate
    whose audience the points already reach adds nothing.

    Parameters
    ----------
    graph : CommunityGraph
        The community graph.
    k : int, optional
        Pick this many (default 1 when no budget is given).
    candidates : iterable of str, optional
        Project, proposal (golden idea) or resident IDs. A project reaches its surface;
        a proposal the members of the segments it targets (with ``"segments"`` in
        ``include``); a resident the surfaces of the projects they hold by
        ``candidate_lines``. Default: projects that are not yet lines of a point (and
        not dropped), proposals not yet projects, and talents (:attr:`Role.TALENT`)
        who are not points.
    budget : int, optional
        Pick within this budget, in fen, instead of ``k``.
    costs : mapping of str to int, optional
        Cost in fen per candidate; default a project's ``budget_fen``, a proposal's
        ``cost_fen``; a resident's must be given when ``budget`` is. A cost of 0 is free.
    priorities : mapping of str to float, optional
        Priority of residents, by segment ID (every member) or resident ID (that
        resident, overriding segments); a resident in several prioritised segments
        takes the largest; others count 1. New reach is the sum of the priorities of
        the new residents.
    points, lines, include, steps, place
        The current surface, as in :func:`surface`.
    candidate_lines : str or iterable of str
        How a resident candidate holds projects (default: leads, co-leads or
        volunteers in).
    candidate_include : str or iterable of str, optional
        What a candidate's surface is made of (default: as ``include``). A project not
        yet run, or a golden idea, has no attendees: to weigh it by the segments it
        targets against the audience the current lines actually met, pass
        ``include="attendees", candidate_include=("attendees", "segments")``.
    weights : mapping of str to float, optional
        Deprecated name of ``priorities`` (kept for one release, with a
        :class:`DeprecationWarning`).

    Returns
    -------
    NextBest
        The picks in order with their marginal gains and reasons, and a bound.

    Raises
    ------
    ValidationError
        Both or neither of a usable ``k`` and ``budget``, a candidate of the wrong kind, a
        missing cost, a bad priority.
    UnknownEntityError
        A candidate is not in the graph.

    See Also
    --------
    reach_report : every measure of the points already there.
    surface : the residents a set of points reaches.
    vchuang.talent.key_players : the same greedy choice over residents.
    vchuang.reach.NextBest.plot : the gain of each pick.

    Notes
    -----
    Each candidate :math:`c` is a set of residents :math:`T(c)`; the value of a choice
    :math:`A` is :math:`f(A) = w(\\bigcup_{c \\in A} T(c) \\setminus S(P))`, monotone and
    submodular. With ``k`` the lazy greedy picks the candidate with the largest
    marginal gain each time, within :math:`1 - 1/e` of the best possible choice [1]_
    [2]_; with a ``budget``, the better of the cost-benefit greedy (gain per fen) and
    the best single affordable candidate, within :math:`\\tfrac12(1 - 1/e)` [3]_. Ties go
    to the lower ID. ``bound`` is a data-dependent upper bound on the optimum.

    References
    ----------
    .. [1] Nemhauser, G. L., Wolsey, L. A., & Fisher, M. L. (1978). An analysis of
       approximations for maximizing submodular set functions—I. Mathematical
       Programming, 14(1), 265–294. https://doi.org/10.1007/BF01588971
    .. [2] Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J., &
       Glance, N. (2007). Cost-effective outbreak detection in networks. KDD '07.
       https://doi.org/10.1145/1281192.1281239
    .. [3] Khuller, S., Moss, A., & Naor, J. (1999). The budgeted maximum coverage
       problem. Information Processing Letters, 70(1), 39–45.
       https://doi.org/10.1016/S0020-0190(99)00031-9

    Examples
    --------
    >>> import vchuang
    >>> nb = best_next(vchuang.load_example(), 1, include="attendees")
    >>> nb.base, nb.picks[0].id, nb.picks[0].new_residents
    (4, 'pn-p2', 1)
    >>> print(nb.picks[0].reason)
    project pn-p2 (Don't get cheated) adds 1 resident beyond the surface; mostly pingnan-elders 1
    """
    priorities = renamed("best_next", "weights", weights, "priorities", priorities)
    given: object = k  # callers typed before k came second passed candidates here
    if given is not None and not isinstance(given, int | np.integer):
        if candidates is not None or not isinstance(given, str | Iterable):
            raise ValidationError([Problem("k", f"must be a whole number >= 1, got {given!r}")])
        warnings.warn(
            "best_next(graph, candidates) is deprecated and will be removed in the next "
            "release: k is the second argument; pass candidates=...",
            DeprecationWarning,
            stacklevel=2,
        )
        candidates, k = cast(Iterable[str], given), None
    if k is not None and budget is not None:
        hint = "k picks a number of candidates; budget picks within a cost in fen"
        raise ValidationError([Problem("k", "give k or budget, not both", hint)])
    if budget is not None:
        budget = check_whole(budget, "budget", minimum=0, hint="a budget in whole fen")
    if k is None and budget is None:
        k = 1
    relations = _line_relations(lines)
    cand_rel = _line_relations(candidate_lines)
    parts = _includes(include)
    cand_parts = parts if candidate_include is None else _includes(candidate_include)
    steps = _steps(steps)
    pts = _points(graph, points, place)
    arrays = _Arrays(graph)
    surf = _build_surface(graph, arrays, pts, relations, parts, steps)
    if candidates is None:
        cands = tuple(sorted(set(_default_candidates(graph, surf, place))))
    else:
        cands = tuple(sorted({candidates} if isinstance(candidates, str) else set(candidates)))
    kinds: dict[str, str] = {}
    for c in cands:
        kind = graph.kind_of(c)  # raises UnknownEntityError
        if kind not in ("project", "proposal", "resident"):
            hint = "candidates are projects, proposals or residents"
            raise ValidationError([Problem("candidates", f"{c!r} is a {kind}", hint)])
        kinds[c] = kind
    rows = _candidate_rows(arrays, cands, kinds, cand_parts, steps, cand_rel)
    inc = _coverage.as_incidence(rows)
    base_mask = np.zeros(arrays.n_residents, dtype=bool)
    base_mask[surf._line_resident.indices] = True
    w = _priorities_vector(graph, arrays, priorities)
    cost_of: dict[str, int] = {}
    if budget is not None:
        missing = []
        for c in cands:
            if costs is not None and c in costs:
                cost_of[c] = int(costs[c])
            elif kinds[c] == "project":
                cost_of[c] = graph.get(c, Project).budget_fen
            elif kinds[c] == "proposal":
                cost_of[c] = graph.get(c, Proposal).cost_fen
            else:
                missing.append(c)
        if missing:
            msg = f"no cost for resident candidates {missing}"
            hint = "pass costs={resident_id: fen} (e.g. the cost of training them)"
            raise ValidationError([Problem("costs", msg, hint)])
        result = _coverage.budgeted_max_coverage(
            inc, budget, costs=[cost_of[c] for c in cands], weights=w, covered=base_mask
        )
    else:
        result = _coverage.max_coverage(inc, cast(int, k), weights=w, covered=base_mask)
    picks = _picks(graph, arrays, inc, cands, kinds, result, base_mask, cost_of, budget)
    reasons = [
        (
            f"current surface: {_n(int(base_mask.sum()), 'resident')} reached by "
            f"{_n(len(pts), 'point')}"
        ),
        f"weighed {_n(len(cands), 'candidate')}; rule: {result.rule}",
    ]
    reasons += [f"{i}. {p.reason}" for i, p in enumerate(picks, start=1)]
    if not picks:
        reasons.append("no candidate reaches anyone beyond the current surface")
    if result.bound > 0:
        reasons.append(
            f"value {result.value:g} is at least {result.value / result.bound:.0%}"
            f" of the best possible ({result.bound:g} upper bound)"
        )
    return NextBest(
        picks=picks,
        base=int(base_mask.sum()),
        value=result.value,
        bound=result.bound,
        rule=result.rule,
        k=k,
        budget_fen=budget,
        candidates=len(cands),
        reasons=tuple(reasons),
    )


def _candidate_rows(
    arrays: _Arrays,
    cands: Sequence[str],
    kinds: Mapping[str, str],
    parts: Sequence[str],
    steps: int,
    cand_rel: Sequence[str],
) -> Any:
    sp = arrays.sp
    n = arrays.n_residents
    blocks: list[Any] = []
    for c in cands:
        kind = kinds[c]
        if kind in ("project", "proposal"):
            blocks.append(_bool(arrays.surface_rows(kind, [c], parts, steps)))
        else:
            pl = arrays.point_line([c], cand_rel)
            projects = [arrays.index.ids("project")[j] for j in pl.indices.tolist()]
            if projects:
                sub = arrays.surface_rows("project", projects, parts, steps)
                row = _bool(sp.csr_array(np.ones((1, len(projects)))) @ _bool(sub))
            else:
                row = sp.csr_array((1, n))
            blocks.append(row)
    if not blocks:
        return sp.csr_array((0, n))
    return sp.vstack(blocks, format="csr")


def _picks(
    graph: CommunityGraph,
    arrays: _Arrays,
    inc: Any,
    cands: Sequence[str],
    kinds: Mapping[str, str],
    result: _coverage.Greedy,
    base: BoolArray,
    cost_of: Mapping[str, int],
    budget: int | None,
) -> tuple[Pick, ...]:
    covered = base.copy()
    members = arrays.members().tocsr()
    seg_ids = arrays.index.ids("segment")
    out: list[Pick] = []
    total = 0.0
    for i, gain in zip(result.chosen.tolist(), result.gains.tolist(), strict=True):
        c = cands[i]
        cols = inc[[i]].indices
        new = cols[~covered[cols]]
        covered[new] = True
        total += gain
        seg_counts = np.asarray(members[new].sum(axis=0)).ravel() if new.size else np.zeros(0)
        segs = sorted(
            ((seg_ids[s], int(seg_counts[s])) for s in np.flatnonzero(seg_counts).tolist()),
            key=lambda x: (-x[1], x[0]),
        )
        record = graph.get(c)
        name, name_zh = (c, c) if kinds[c] == "resident" else _label(record)
        cost = cost_of.get(c) if budget is not None else None
        what = {"project": "project", "proposal": "golden idea", "resident": "grow leader"}[
            kinds[c]
        ]
        reason = f"{what} {c}"
        if kinds[c] != "resident":
            reason += f" ({name})"
        reason += f" adds {_n(int(new.size), 'resident')} beyond the surface"
        if gain != new.size:
            reason += f" (weighted gain {gain:g})"
        if segs:
            reason += "; mostly " + ", ".join(f"{s} {n}" for s, n in segs[:3])
        if cost is not None:
            reason += f"; costs {format_fen(cost, symbol=True)}"
        out.append(
            Pick(
                id=c,
                kind=kinds[c],
                name=name,
                name_zh=name_zh,
                gain=float(gain),
                new_residents=int(new.size),
                cumulative=total,
                cost_fen=cost,
                segments=tuple(segs),
                reason=reason,
            )
        )
    return tuple(out)
