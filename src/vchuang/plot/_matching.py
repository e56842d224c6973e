"""Figures of skill–need matching (private; reached through
:meth:`vchuang.matching.MatchResult.plot`).

* :func:`plot_matching`: per project, stacked horizontal bars of the weekly hours
  already fixed, newly filled by the matching, and still unmet.

Labels are English (``lang="en"``) or Chinese (``lang="zh"``, with the font family from
:func:`~vchuang.plot._style.cjk_fonts` passed explicitly; no global state is changed).
Residents never appear in this figure, only projects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._style import COLORS, cjk_fonts, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..matching import MatchResult

__all__ = ["plot_matching"]

_METHOD_ZH = {"optimal": "最优", "stable": "稳定", "greedy": "贪心"}

_TEXT = {
    "en": {
        "fixed": "filled (fixed before)",
        "new": "filled (this matching)",
        "unmet": "unmet",
        "title": "Hours a week by project: filled and unmet ({method})",
        "empty": "no skill needs to staff",
        "short": "{h:g} h short",
    },
    "zh": {
        "fixed": "已安排（固定）",
        "new": "本次匹配",
        "unmet": "缺口",
        "title": "各项目每周时长：已满足与缺口（{method}）",
        "empty": "没有需要匹配的技能需求",
        "short": "缺 {h:g} 小时",
    },
}


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
    """
    lang = label_lang(lang)
    text = _TEXT[lang]
    fonts = cjk_fonts() if lang == "zh" else []
    family = fonts or None
    rows = list(reversed(result.projects))  # first project on top
    ax = new_axes(ax, figsize=(7.0, 1.6 + 0.45 * max(len(rows), 1)))
    if not rows:
        ax.text(
            0.5,
            0.5,
            text["empty"],
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
    ax.barh(y, fixed, color=COLORS["project"], label=text["fixed"])
    ax.barh(y, new, left=fixed, color=COLORS["volunteer"], label=text["new"])
    ax.barh(
        y,
        unmet,
        left=fixed + new,
        color=COLORS["unmet"],
        hatch="//",
        edgecolor="#7f7f7f",
        label=text["unmet"],
    )
    for k, p in enumerate(rows):
        if p.unmet_hours > 0:
            ax.text(
                p.demand_hours,
                k,
                "  " + text["short"].format(h=p.unmet_hours),
                va="center",
                fontsize="small",
                fontfamily=family,
            )
    labels = [(p.name_zh or p.name) if lang == "zh" else p.name for p in rows]
    ax.set_yticks(y, labels, fontfamily=family)
    ax.set_xlim(0, max(float(np.max(fixed + new + unmet)), 1.0) * 1.3)
    method = _METHOD_ZH.get(result.method, result.method) if lang == "zh" else result.method
    ax.set_title(text["title"].format(method=method), fontfamily=family)
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
