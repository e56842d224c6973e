"""Figures of point–line–surface (点线面) reach (private; reached through the ``plot``
methods of :mod:`vchuang.reach` results).

* :func:`plot_tiers`: the point–line–surface diagram — three tiers, leaders (points)
  → projects (lines) → segments (surface), line widths by reach;
* :func:`plot_heatmap`: coverage of each segment in each community;
* :func:`plot_gains`: the marginal-gain curve of :func:`vchuang.reach.best_next`.

Labels are English (``lang="en"``) or Chinese (``lang="zh"``, with the font family from
:func:`~vchuang.plot.cjk_fonts` passed explicitly; no global state is changed); their
words live in the text catalogue (``reach.plot.*``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..kernel.plotting import draw
from ..kernel.text import text
from ..reach import NextBest, ReachReport, Surface, Tiers
from ._style import COLORS, font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_gains", "plot_heatmap", "plot_tiers"]


def _name(labels: Any, key: str, lang: str) -> str:
    en, zh = labels.get(key, (key, key))
    return str(zh if lang == "zh" else en)


def _spread(n: int) -> np.ndarray:
    """``n`` positions from top (1) to bottom (0)."""
    if n == 1:
        return np.asarray([0.5])
    return np.linspace(1.0, 0.0, n)


def _order(
    n: int, edges: Sequence[tuple[int, int, float]], upper: np.ndarray, names: Sequence[str]
) -> list[int]:
    """Order a tier by the weighted mean height of its neighbours in the tier above
    (fewer crossings), ties by name."""
    total = np.zeros(n)
    mass = np.zeros(n)
    for a, b, w in edges:
        total[b] += w * upper[a]
        mass[b] += w
    centre = np.where(mass > 0, total / np.maximum(mass, 1e-12), -1.0)
    return sorted(range(n), key=lambda i: (-centre[i], names[i]))


def plot_tiers(
    tiers: Tiers | Surface | ReachReport,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    suppress: int = 0,
) -> Axes:
    """Draw the point–line–surface diagram.

    Three columns: points (leaders), lines (projects), surface (segments, plus the
    reached residents in no segment). A point is joined to each line it holds, with a
    width proportional to the line's reach; a line is joined to each segment, with a
    width proportional to the residents of the segment it reaches. Marker areas grow
    with reach. With ``suppress``, a hidden count is drawn at the threshold's size.

    Parameters
    ----------
    tiers : Tiers, Surface or ReachReport
        The diagram data (``surface.tiers``, a :class:`vchuang.reach.Tiers`), or the surface or
        report that holds it (``surface.plot()`` and ``report.plot()`` call this).
    ax : Axes, optional
        Axes to draw on; a new figure otherwise.
    lang : str
        ``"en"`` or ``"zh"``.
    suppress : int
        Counts of residents from 1 to ``suppress - 1`` are labelled ``"<suppress"``
        and drawn as if they were ``suppress``: the dot's area, the line's width and
        the order of the tiers are those of the threshold, so the figure tells no more
        than its labels (small-cell suppression for published figures); 0 shows and
        draws every count as it is.

    Returns
    -------
    Axes

    See Also
    --------
    vchuang.reach.Surface.plot, vchuang.reach.ReachReport.plot : the same figure, from the result.
    plot_heatmap, plot_gains : the other reach figures.
    """
    if isinstance(tiers, ReachReport):
        tiers = tiers.surface
    if isinstance(tiers, Surface):
        tiers = tiers.tiers
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)

    def count(n: int) -> str:
        return f"<{suppress}" if 0 < n < suppress else str(n)

    def drawn(n: int) -> int:
        """The count as the figure draws it: a hidden one at the threshold."""
        return suppress if 0 < n < suppress else n

    n_p, n_l = len(tiers.points), len(tiers.lines)
    n_s = len(tiers.segments)
    has_none = any(s == n_s for _, s, _ in tiers.line_segment)
    seg_names = [_name(tiers.labels, s, lang) for s in tiers.segments]
    if has_none:
        seg_names.append(text("reach.plot.no_segment", lang))
    tallest = max(n_p, n_l, len(seg_names), 1)
    ax = new_axes(ax, figsize=(9.0, max(4.5, 0.32 * tallest + 1.5)))
    if n_p == 0:
        ax.text(0.5, 0.5, text("reach.plot.empty", lang), ha="center", va="center", **font)
        ax.set_axis_off()
        return ax

    y_p = _spread(n_p)
    pl_edges = [(p, line, 1.0) for p, line in tiers.point_line]
    order_l = _order(n_l, pl_edges, y_p, tiers.lines)
    y_l = np.zeros(n_l)
    if n_l:
        y_l[order_l] = _spread(n_l)
    ls_edges = [(line, s, float(drawn(c))) for line, s, c in tiers.line_segment]
    n_targets = len(seg_names)
    order_s = _order(n_targets, ls_edges, y_l, seg_names)
    y_s = np.zeros(n_targets)
    if n_targets:
        y_s[order_s] = _spread(n_targets)
    seg_reach = list(tiers.segment_reach)
    if has_none:
        seg_reach.append(sum(c for _, s, c in tiers.line_segment if s == n_s))
    line_reach = [drawn(n) for n in tiers.line_reach]
    line_segment = [(line, s, drawn(c)) for line, s, c in tiers.line_segment]

    widest = max([*line_reach, *(c for _, _, c in line_segment), 1])

    def width(value: float) -> float:
        return 0.6 + 7.0 * value / widest

    for p, line in tiers.point_line:
        ax.plot(
            [0, 1],
            [y_p[p], y_l[line]],
            color=COLORS["leader"],
            alpha=0.35,
            linewidth=width(line_reach[line]),
            solid_capstyle="round",
            zorder=1,
        )
    for line, s, c in line_segment:
        colour = COLORS["unmet"] if s == n_s else COLORS["segment"]
        ax.plot(
            [1, 2],
            [y_l[line], y_s[s]],
            color=colour,
            alpha=0.45,
            linewidth=width(c),
            solid_capstyle="round",
            zorder=1,
        )

    point_sizes = [drawn(n) for n in tiers.point_reach]
    segment_sizes = [drawn(n) for n in seg_reach]
    biggest = max([*point_sizes, *line_reach, *segment_sizes, 1])

    def area(value: float) -> float:
        return 30.0 + 600.0 * math.sqrt(value / biggest)

    ax.scatter(
        np.zeros(n_p),
        y_p,
        s=[area(v) for v in point_sizes],
        color=COLORS["leader"],
        zorder=3,
        edgecolors="white",
    )
    if n_l:
        ax.scatter(
            np.ones(n_l),
            y_l,
            s=[area(v) for v in line_reach],
            color=COLORS["project"],
            zorder=3,
            edgecolors="white",
        )
    if n_targets:
        colours = [COLORS["segment"]] * n_s + ([COLORS["unmet"]] if has_none else [])
        ax.scatter(
            np.full(n_targets, 2.0),
            y_s,
            s=[area(v) for v in segment_sizes],
            color=colours,
            zorder=3,
            edgecolors="white",
        )
    size = 9 if tallest <= 20 else max(5, int(9 * 20 / tallest))
    for i, point in enumerate(tiers.points):
        ax.text(
            -0.06,
            y_p[i],
            f"{point} ({count(tiers.point_reach[i])})",
            ha="right",
            va="center",
            fontsize=size,
            **font,
        )
    for j, line_id in enumerate(tiers.lines):
        label = f"{_name(tiers.labels, line_id, lang)} ({count(tiers.line_reach[j])})"
        ax.text(1.0, y_l[j] + 0.025, label, ha="center", va="bottom", fontsize=size, **font)
    for s, label in enumerate(seg_names):
        ax.text(
            2.06,
            y_s[s],
            f"{label} ({count(seg_reach[s])})",
            ha="left",
            va="center",
            fontsize=size,
            **font,
        )
    for x, key in ((0, "points"), (1, "lines"), (2, "surface")):
        ax.text(
            x,
            1.1,
            text(f"reach.plot.{key}", lang),
            ha="center",
            va="bottom",
            fontsize=10,
            # the Chinese fonts ship one weight: asking for bold only makes matplotlib
            # log "Failed to find font weight bold" on the user's terminal
            fontweight="normal" if font else "bold",
            **font,
        )
    ax.set_xlim(-0.9, 2.9)
    ax.set_ylim(-0.08, 1.2)
    ax.set_axis_off()
    ax.set_title(text("reach.plot.diagram_title", lang, n=count(tiers.unique_reach)), **font)
    return ax


def plot_heatmap(report: ReachReport, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """Coverage of each segment (columns) in each community (rows).

    Segments with the same name (the "Elders" of each community) share a column. Each
    cell shows the share reached and ``reached/denominator``; blank cells have no
    member; cells under the report's threshold are outlined in red.

    Parameters
    ----------
    report : ReachReport
    ax : Axes, optional
    lang : str
        ``"en"`` or ``"zh"``.

    Returns
    -------
    Axes

    See Also
    --------
    vchuang.reach.ReachReport.plot : the same figure, with ``kind="heatmap"``.
    plot_tiers, plot_gains : the other reach figures.
    """
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import PercentFormatter

    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    comms = [c.id for c in report.communities]
    comm_names = [c.name_zh if lang == "zh" else c.name for c in report.communities]
    # Columns are segment *names*: segments counted per community ("Elders" of each
    # community) share a column, so the grid is communities × kinds of audience.
    columns: dict[str, str] = {}
    for seg in sorted(report.segments, key=lambda x: (x.name, x.id)):
        columns.setdefault(seg.name, seg.name_zh if lang == "zh" else seg.name)
    names = list(columns)
    seg_names = list(columns.values())
    kind_of = {seg.id: seg.name for seg in report.segments}
    reached = np.zeros((len(comms), len(names)), dtype=np.int64)
    denom = np.zeros((len(comms), len(names)), dtype=np.int64)
    row_of = {c: i for i, c in enumerate(comms)}
    col_of = {n: j for j, n in enumerate(names)}
    for cell in report.cells:
        if cell.share is None or cell.community not in row_of or cell.segment not in kind_of:
            continue
        i, j = row_of[cell.community], col_of[kind_of[cell.segment]]
        reached[i, j] += cell.reached
        denom[i, j] += cell.denominator
    width = min(14.0, max(5.0, 1.1 * len(names) + 3))
    ax = new_axes(ax, figsize=(width, max(3.0, 0.7 * len(comms) + 2)))
    if not comms or not names:
        ax.text(0.5, 0.5, text("reach.plot.empty", lang), ha="center", va="center", **font)
        ax.set_axis_off()
        return ax
    share = np.where(denom > 0, reached / np.maximum(denom, 1), np.nan)
    top = float(np.nanmax(share)) if np.isfinite(share).any() else 1.0
    image = ax.imshow(
        np.ma.masked_invalid(share),
        cmap="YlGn",
        vmin=0.0,
        vmax=top if top > 0 else 1.0,
        aspect="auto",
    )
    bar = ax.figure.colorbar(image, ax=ax)
    bar.set_label(text("reach.plot.share", lang), **font)
    bar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    for i in range(len(comms)):
        for j in range(len(names)):
            if denom[i, j] == 0:
                continue
            value = float(share[i, j])
            dark = top > 0 and value > 0.6 * top
            ax.text(
                j,
                i,
                f"{100 * value:.1f}%\n{reached[i, j]}/{denom[i, j]}",
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "black",
            )
            if value < report.threshold:
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5),
                        1,
                        1,
                        fill=False,
                        edgecolor=COLORS["leader"],
                        linewidth=1.5,
                    )
                )
    ax.set_xticks(range(len(names)), seg_names, rotation=30, ha="right", **font)
    ax.set_yticks(range(len(comms)), comm_names, **font)
    ax.set_title(text("reach.plot.heatmap_title", lang), **font)
    return ax


def plot_gains(result: NextBest, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """The marginal-gain curve: bars for each pick's new reach, a line for the total.

    Parameters
    ----------
    result : NextBest
    ax : Axes, optional
    lang : str
        ``"en"`` or ``"zh"``.

    Returns
    -------
    Axes

    See Also
    --------
    vchuang.reach.NextBest.plot : the same figure, from the result.
    plot_tiers, plot_heatmap : the other reach figures.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax)
    picks = result.picks
    if not picks:
        ax.text(0.5, 0.5, text("reach.plot.empty", lang), ha="center", va="center", **font)
        ax.set_axis_off()
        return ax
    x = np.arange(1, len(picks) + 1)
    gains = [p.gain for p in picks]
    ax.bar(x, gains, width=0.6, color=COLORS["project"], label=text("reach.plot.gain", lang))
    ax.plot(
        x,
        [p.cumulative for p in picks],
        color=COLORS["leader"],
        marker="o",
        label=text("reach.plot.cumulative", lang),
    )
    labels = [p.name_zh if lang == "zh" else p.name for p in picks]
    ax.set_xticks(
        x,
        labels,
        rotation=30 if len(picks) > 3 else 0,
        ha="right" if len(picks) > 3 else "center",
        fontsize=8,
        **font,
    )
    ax.set_xlabel(text("reach.plot.pick", lang), **font)
    ax.set_ylabel(text("reach.plot.gain", lang), **font)
    ax.set_title(text("reach.plot.gains_title", lang), **font)
    ax.legend(prop={"family": font["fontfamily"]} if font else None)
    return ax


@draw.register(Surface)
def _draw_surface(result: Surface, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_tiers(result, ax=ax, **kwargs)


@draw.register(ReachReport)
def _draw_report(
    result: ReachReport, /, *, ax: Axes | None = None, kind: str = "diagram", **kwargs: Any
) -> Axes:
    if kind == "heatmap":
        kwargs.pop("suppress", None)
        return plot_heatmap(result, ax=ax, **kwargs)
    return plot_tiers(result, ax=ax, **kwargs)


@draw.register(NextBest)
def _draw_gains(result: NextBest, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_gains(result, ax=ax, **kwargs)
