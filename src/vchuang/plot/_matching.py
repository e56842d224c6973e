"""Figures of skill–need matching (private; reached through
:meth:`vchuang.matching.MatchResult.plot`).

* :func:`plot_matching`: per project, stacked horizontal bars of the weekly hours
  already fixed, newly filled by the matching, and still unmet.

Labels are English (``lang="en"``) or Chinese (``lang="zh"``, with the font family from
:func:`~vchuang.plot.cjk_fonts` passed explicitly; no global state is changed); their
words live in the text catalogue (``matching.plot.*``).
Residents never appear in this figure, only projects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..kernel.plotting import draw
from ..kernel.text import has, text
from ..matching import MatchResult
from ._style import COLORS, font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_matching"]


def plot_matching(result: MatchResult, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Filled versus unmet weekly hours of each project, as stacked bars.

    Parameters
    ----------
    result : MatchResult
        What :func:`vchuang.matching.match` returned.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure's axes by default.
    lang : {"en", "zh"}
        Label language (Chinese needs a CJK font; without one, English and a warning).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    See Also
    --------
    vchuang.matching.MatchResult.plot : the same figure, from the result.
    """
    lang = label_lang(lang)
    fonts: Any = font_kw(lang).get("fontfamily", [])
    family = fonts or None
    rows = list(reversed(result.projects))  # first project on top
    ax = new_axes(ax, figsize=(7.0, 1.6 + 0.45 * max(len(rows), 1)))
    if not rows:
        ax.text(
            0.5,
            0.5,
            text("matching.plot.empty", lang),
            ha="center",
            va="center",
            transform=ax.transAxes,
            fontfamily=family,
        )
        ax.set_axis_off()
        return ax
    y = np.arange(len(rows))
    fixed = np.array([p.fixed_hours for p in rows])
    new = np.array([p.new_hours for p in rows])
    unmet = np.array([p.unmet_hours for p in rows])
    ax.barh(y, fixed, color=COLORS["project"], label=text("matching.plot.fixed", lang))
    ax.barh(y, new, left=fixed, color=COLORS["volunteer"], label=text("matching.plot.new", lang))
    ax.barh(
        y,
        unmet,
        left=fixed + new,
        color=COLORS["unmet"],
        hatch="//",
        edgecolor="#7f7f7f",
        label=text("matching.plot.unmet", lang),
    )
    for k, p in enumerate(rows):
        if p.unmet_hours > 0:
            ax.text(
                p.demand_hours,
                k,
                "  " + text("matching.plot.short", lang, hours=f"{p.unmet_hours:g}"),
                va="center",
                fontsize="small",
                fontfamily=family,
            )
    labels = [(p.name_zh or p.name) if lang == "zh" else p.name for p in rows]
    ax.set_yticks(y, labels, fontfamily=family)
    ax.set_xlim(0, max(float(np.max(fixed + new + unmet)), 1.0) * 1.3)
    key = f"matching.method.{result.method}"
    method = text(key, lang) if has(key) else result.method
    ax.set_title(text("matching.plot.title", lang, method=method), fontfamily=family)
    prop: dict[str, object] = {"size": "small"}
    if fonts:
        prop["family"] = fonts
    # below the tick labels, at a fixed distance (in font sizes) whatever the figure's height
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        borderaxespad=2.0,
        ncol=3,
        frameon=False,
        prop=prop,
    )
    return ax


@draw.register(MatchResult)
def _draw_matching(result: MatchResult, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_matching(result, ax, **kwargs)
