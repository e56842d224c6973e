"""Figures for :mod:`vchuang.participation` (private; reached through ``result.plot()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..kernel.plotting import draw
from ..kernel.text import text
from ..participation import Participation
from ._style import font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_participation"]

#: One shade a rung, from "none" (light grey) to the top rung (dark).
_RUNG_COLORS = ("#d9d9d9", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


def _colors(k: int) -> list[Any]:
    if k <= len(_RUNG_COLORS):
        return list(_RUNG_COLORS[:k])
    from matplotlib import colormaps

    cmap = colormaps["Blues"]
    return ["#d9d9d9", *(cmap(0.25 + 0.75 * i / max(k - 2, 1)) for i in range(k - 1))]


def _legend(ax: Axes, font: dict[str, Any]) -> None:
    legend = ax.legend(fontsize=8, frameon=False, loc="center left", bbox_to_anchor=(1.0, 0.5))
    if font:
        for entry in legend.get_texts():
            entry.set_fontfamily(font["fontfamily"])


def _labels(result: Participation, lang: str) -> list[str]:
    return [result.ladder.label(r, lang) if r != "none" else text("participation.rung.none", lang)
            for r in result.rungs]  # fmt: skip


def plot_participation(
    result: Participation, ax: Axes | None = None, *, kind: str = "communities", lang: str = "en"
) -> Axes:
    """The participation ladder: by community, period by period, or its transitions.

    Parameters
    ----------
    result : vchuang.participation.Participation
        From :func:`vchuang.participation.participation`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    kind : {"communities", "periods", "transitions"}
        Stacked bars of each community's share at each highest rung; stacked bars of
        residents at each rung in each period; or the transition matrix as a heat map.
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        Counts are drawn as they are: publish the tables of
        :meth:`~vchuang.participation.Participation.community_rows`, which hide small
        counts, rather than a figure of a small place.

    See Also
    --------
    vchuang.participation.Participation.plot : the same figure, from the result.
    """
    if kind not in ("communities", "periods", "transitions"):
        msg = f"kind must be 'communities', 'periods' or 'transitions', got {kind!r}"
        raise ValueError(msg)
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    labels = _labels(result, lang)
    colors = _colors(len(labels))
    period = text(f"participation.period.{result.period}", lang)
    if kind == "transitions":
        ax = new_axes(ax, figsize=(6.5, 5.5))
        m = result.transitions
        ax.imshow(m, cmap="Blues")
        top = m.max() if m.size else 0
        for (i, j), value in np.ndenumerate(m):
            ax.text(j, i, str(value), ha="center", va="center", fontsize=8,
                    color="white" if value > top / 2 else "black")  # fmt: skip
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=30, ha="right", **font)
        ax.set_yticks(range(len(labels)))
        ax.set_yticklabels(labels, **font)
        ax.set_xlabel(text("participation.transitions.to", lang, period=period), **font)
        ax.set_ylabel(text("participation.transitions.from", lang, period=period), **font)
        ax.set_title(text("participation.transitions.title", lang, period=period), **font)
        return ax
    if kind == "periods":
        ax = new_axes(ax, figsize=(8.0, 4.5))
        table = result.by_period()
        x = np.arange(len(result.periods))
        bottom = np.zeros(len(x))
        for j in range(1, len(labels)):  # "none" is the rest of the population
            ax.bar(x, table[:, j], bottom=bottom, color=colors[j], label=labels[j])
            bottom += table[:, j]
        ax.set_xticks(x)
        ax.set_xticklabels(result.periods, rotation=30, ha="right")
        ax.set_ylabel(text("participation.periods.axis", lang), **font)
        ax.set_title(text("participation.periods.title", lang, period=period), **font)
    else:
        ax = new_axes(ax, figsize=(8.0, 4.5))
        names = list(dict.fromkeys(result.communities))
        code = {c: i for i, c in enumerate(names)}
        comm = np.fromiter((code[c] for c in result.communities), np.int64, len(result))
        counts = np.zeros((len(names), len(labels)))
        np.add.at(counts, (comm, result.highest + 1), 1)
        share = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        y = np.arange(len(names))[::-1]
        left = np.zeros(len(names))
        for j in range(len(labels)):
            ax.barh(y, share[:, j], left=left, color=colors[j], label=labels[j], height=0.6)
            left += share[:, j]
        ax.set_yticks(y)
        ax.set_yticklabels(names)
        ax.set_xlim(0, 1)
        ax.set_xlabel(text("participation.communities.axis", lang), **font)
        ax.set_title(text("participation.communities.title", lang), **font)
    if len(result):
        _legend(ax, font)
    else:
        ax.text(0.5, 0.5, text("participation.nothing", lang), ha="center", va="center",
                transform=ax.transAxes, **font)  # fmt: skip
    return ax


@draw.register(Participation)
def _draw_participation(result: Participation, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_participation(result, ax, **kwargs)
