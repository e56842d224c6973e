"""Figures of word-of-mouth diffusion (private; reached through the ``plot`` methods of
:mod:`vchuang.diffusion` results, or called by their public names from :mod:`vchuang.plot`).

* :func:`plot_spread`: histogram of the spread over Monte Carlo runs, with the mean and
  its confidence interval;
* :func:`plot_choice`: each chosen seed's marginal gain and the spread after it;
* :func:`plot_curves`: spread against the number of seeds, one line per method.

Labels come from the text catalogue (``data/text/diffusion.json``), in English
(``lang="en"``) or Chinese (``lang="zh"``, with the font family of
:func:`~vchuang.plot.font_kw` passed explicitly; no global state is changed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..diffusion import SeedChoice, SeedComparison, Spread
from ..kernel.plotting import draw
from ..kernel.text import has, text
from ._style import COLORS, font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_choice", "plot_curves", "plot_spread"]

_METHOD_COLORS = {
    "ris": COLORS["leader"],
    "celf": COLORS["talent"],
    "degree": COLORS["resident"],
    "pagerank": COLORS["volunteer"],
}


def _name(kind: str, value: str, lang: str) -> str:
    """The label of a model or method (its own name when the catalogue has none)."""
    key = f"diffusion.{kind}.{value}"
    return text(key, lang) if has(key) else value


def _legend(ax: Axes, font: dict[str, Any]) -> None:
    ax.legend(prop={"family": font["fontfamily"]} if font else None)


def plot_spread(spread: Spread, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Histogram of the spread over runs, the mean and its confidence interval.

    Parameters
    ----------
    spread : vchuang.diffusion.Spread
        From :func:`vchuang.diffusion.simulate`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    lang : {"en", "zh"}
        Label language (Chinese needs a CJK font; otherwise English, with a warning).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    See Also
    --------
    vchuang.diffusion.Spread.plot : the same figure, from the result.
    plot_choice, plot_curves : the other word-of-mouth figures.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
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
        label=text("diffusion.ci", lang, level=f"{spread.confidence:.0%}"),
    )
    ax.axvline(
        spread.mean,
        color=COLORS["leader"],
        label=text("diffusion.mean", lang, mean=f"{spread.mean:.1f}"),
    )
    ax.set_xlabel(text("diffusion.spread", lang), **font)
    ax.set_ylabel(text("diffusion.runs", lang), **font)
    model = _name("model", spread.model, lang)
    ax.set_title(text("diffusion.spread_title", lang, runs=spread.runs, model=model), **font)
    _legend(ax, font)
    return ax


def plot_choice(choice: SeedChoice, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Bars: each seed's marginal gain; line: the expected spread after it.

    Parameters
    ----------
    choice : vchuang.diffusion.SeedChoice
        From :func:`vchuang.diffusion.choose_seeds`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Seeds are labelled by resident ID, never by name.

    See Also
    --------
    vchuang.diffusion.SeedChoice.plot : the same figure, from the result.
    plot_spread, plot_curves : the other word-of-mouth figures.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax)
    k = len(choice.seeds)
    x = np.arange(1, k + 1)
    ax.bar(x, choice.gains, color=COLORS["talent"], label=text("diffusion.gain", lang))
    ax.plot(
        np.arange(0, k + 1),
        np.r_[choice.base, choice.cumulative],
        marker="o",
        color=COLORS["leader"],
        label=text("diffusion.cumulative", lang),
    )
    ax.set_xticks(x, [str(s) for s in choice.seeds], rotation=45, ha="right")
    ax.set_xlabel(text("diffusion.seed", lang), **font)
    ax.set_ylabel(text("diffusion.cumulative", lang), **font)
    method = _name("method", choice.method, lang)
    ax.set_title(text("diffusion.choice_title", lang, method=method), **font)
    _legend(ax, font)
    return ax


def plot_curves(comparison: SeedComparison, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Spread against ``k``, one line and confidence band per method.

    Parameters
    ----------
    comparison : vchuang.diffusion.SeedComparison
        From :func:`vchuang.diffusion.compare_seeds`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    See Also
    --------
    vchuang.diffusion.SeedComparison.plot : the same figure, from the result.
    plot_spread, plot_choice : the other word-of-mouth figures.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax)
    ks = np.arange(comparison.spread.shape[1])
    for m, method in enumerate(comparison.methods):
        y = comparison.spread[m]
        h = comparison.halfwidth[m]
        color = _METHOD_COLORS.get(method, COLORS["group"])
        label = _name("method", method, lang)
        ax.plot(ks, y, marker="o", markersize=3, color=color, label=label)
        ax.fill_between(ks, y - h, y + h, color=color, alpha=0.15, linewidth=0)
    ax.set_xlabel(text("diffusion.k", lang), **font)
    ax.set_ylabel(text("diffusion.cumulative", lang), **font)
    model = _name("model", comparison.model, lang)
    ax.set_title(text("diffusion.curve_title", lang, model=model), **font)
    _legend(ax, font)
    return ax


@draw.register(Spread)
def _draw_spread(result: Spread, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_spread(result, ax, **kwargs)


@draw.register(SeedChoice)
def _draw_choice(result: SeedChoice, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_choice(result, ax, **kwargs)


@draw.register(SeedComparison)
def _draw_comparison(result: SeedComparison, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_curves(result, ax, **kwargs)
