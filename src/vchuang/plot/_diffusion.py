"""Figures of word-of-mouth diffusion (private; reached through the ``plot`` methods of
:mod:`vchuang.diffusion` results).

* :func:`plot_spread`: histogram of the spread over Monte Carlo runs, with the mean and
  its confidence interval;
* :func:`plot_choice`: each chosen seed's marginal gain and the spread after it;
* :func:`plot_curves`: spread against the number of seeds, one line per method.

Labels are English (``lang="en"``) or Chinese (``lang="zh"``, with the font family from
:func:`~vchuang.plot._style.cjk_fonts` passed explicitly; no global state is changed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._style import COLORS, cjk_fonts, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..diffusion import SeedChoice, SeedComparison, Spread

__all__ = ["plot_choice", "plot_curves", "plot_spread"]

_TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "spread_title": "Residents reached in {runs} runs ({model})",
        "spread": "residents reached (spread)",
        "runs": "runs",
        "mean": "mean {mean:.1f}",
        "ci": "{level:.0%} interval",
        "choice_title": "Whom to train next ({method})",
        "gain": "marginal gain",
        "cumulative": "expected spread",
        "seed": "seed",
        "curve_title": "Expected spread against the number of seeds ({model})",
        "k": "number of seeds k",
        "methods": {
            "ris": "RIS (IMM)",
            "celf": "CELF greedy",
            "degree": "most ties",
            "pagerank": "PageRank",
        },
    },
    "zh": {
        "spread_title": "{runs} 次模拟中被触达的居民（{model}）",
        "spread": "被触达的居民数（传播范围）",
        "runs": "模拟次数",
        "mean": "平均 {mean:.1f}",
        "ci": "{level:.0%} 置信区间",
        "choice_title": "下一步培训谁（{method}）",
        "gain": "边际收益",
        "cumulative": "期望传播范围",
        "seed": "种子",
        "curve_title": "期望传播范围与种子数（{model}）",
        "k": "种子数 k",
        "methods": {
            "ris": "反向可达集（IMM）",
            "celf": "CELF 贪心",
            "degree": "关系最多",
            "pagerank": "PageRank",
        },
    },
}

_METHOD_COLORS = {
    "ris": COLORS["leader"],
    "celf": COLORS["talent"],
    "degree": COLORS["resident"],
    "pagerank": COLORS["volunteer"],
}


def _font(lang: str) -> dict[str, Any]:
    return {"family": cjk_fonts()} if lang == "zh" else {}


def plot_spread(spread: Spread, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Histogram of the spread over runs, the mean and its confidence interval."""
    lang = label_lang(lang)
    text = _TEXT[lang]
    font = _font(lang)
    ax = new_axes(ax)
    dist = np.asarray(spread.distribution)
    lo, hi = int(dist.min()), int(dist.max())
    bins: Any = (np.arange(lo, hi + 2) - 0.5).tolist() if hi - lo <= 60 else 40
    ax.hist(dist, bins=bins, color=COLORS["resident"], alpha=0.75)
    ax.axvspan(
        spread.ci[0],
        spread.ci[1],
        color=COLORS["leader"],
        alpha=0.2,
        label=text["ci"].format(level=spread.confidence),
    )
    ax.axvline(spread.mean, color=COLORS["leader"], label=text["mean"].format(mean=spread.mean))
    ax.set_xlabel(text["spread"], **font)
    ax.set_ylabel(text["runs"], **font)
    ax.set_title(text["spread_title"].format(runs=spread.runs, model=spread.model.upper()), **font)
    ax.legend(prop=font or None)
    return ax


def plot_choice(choice: SeedChoice, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Bars: each seed's marginal gain; line: the expected spread after it."""
    lang = label_lang(lang)
    text = _TEXT[lang]
    font = _font(lang)
    ax = new_axes(ax)
    k = len(choice.seeds)
    x = np.arange(1, k + 1)
    ax.bar(x, choice.gains, color=COLORS["talent"], label=text["gain"])
    ax.plot(
        np.arange(0, k + 1),
        np.r_[choice.base, choice.cumulative],
        marker="o",
        color=COLORS["leader"],
        label=text["cumulative"],
    )
    ax.set_xticks(x, [str(s) for s in choice.seeds], rotation=45, ha="right")
    ax.set_xlabel(text["seed"], **font)
    ax.set_ylabel(text["cumulative"], **font)
    name = text["methods"].get(choice.method, choice.method)
    ax.set_title(text["choice_title"].format(method=name), **font)
    ax.legend(prop=font or None)
    return ax


def plot_curves(comparison: SeedComparison, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Spread against ``k``, one line and confidence band per method."""
    lang = label_lang(lang)
    text = _TEXT[lang]
    font = _font(lang)
    ax = new_axes(ax)
    ks = np.arange(comparison.spread.shape[1])
    for m, method in enumerate(comparison.methods):
        y = comparison.spread[m]
        h = comparison.halfwidth[m]
        color = _METHOD_COLORS.get(method, COLORS["group"])
        ax.plot(
            ks, y, marker="o", markersize=3, color=color, label=text["methods"].get(method, method)
        )
        ax.fill_between(ks, y - h, y + h, color=color, alpha=0.15, linewidth=0)
    ax.set_xlabel(text["k"], **font)
    ax.set_ylabel(text["cumulative"], **font)
    ax.set_title(text["curve_title"].format(model=comparison.model.upper()), **font)
    ax.legend(prop=font or None)
    return ax
