"""Figures for :mod:`vchuang.survival` (private; reached through ``result.plot()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..kernel.plotting import draw
from ..kernel.text import text
from ..survival import DAYS_PER_MONTH, Curve, Dormancy, StageTimes, Survival
from ._style import COLORS, font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_dormancy", "plot_stage_times", "plot_survival"]

_CYCLE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2")


def _legend(ax: Axes, font: dict[str, Any]) -> None:
    legend = ax.legend(fontsize=8, frameon=False)
    if font:
        for entry in legend.get_texts():
            entry.set_fontfamily(font["fontfamily"])


def _step(ax: Axes, curve: Curve, color: str, label: str, band: bool) -> None:
    months = curve.times / DAYS_PER_MONTH
    ax.step(months, curve.survival, where="post", color=color, label=label)
    if band:
        ax.fill_between(months, curve.lower, curve.upper, step="post", color=color, alpha=0.15)
    censored = curve.censored > 0
    ax.plot(months[censored], curve.survival[censored], "|", color=color, markersize=8)


def plot_survival(
    result: Survival, ax: Axes | None = None, *, groups: bool = True, lang: str = "en"
) -> Axes:
    """Kaplan–Meier curves in months: one per group (or the overall one with its band).

    Parameters
    ----------
    result : vchuang.survival.Survival
        From :func:`vchuang.survival.retention` or :func:`vchuang.survival.stage_times`.
    ax : matplotlib.axes.Axes, optional
    groups : bool, default True
        One curve per group (else the overall curve with its confidence band).
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
        Ticks mark censored subjects; the title gives the log-rank p-value.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax)
    if groups and result.curves:
        for i, c in enumerate(result.curves):
            _step(ax, c, _CYCLE[i % len(_CYCLE)], f"{c.group} (n={c.subjects})", band=False)
    else:
        _step(ax, result.overall, COLORS["resident"], text("survival.all", lang), band=True)
    what = "retention" if result.what == "retention" else "stage"
    stage = result.what.partition(":")[2]
    title = text(f"survival.{what}.title", lang, stage=_stage(stage, lang))
    p = result.logrank.p_value
    if not np.isnan(p):
        title += "\n" + text("survival.logrank", lang, p=f"{p:.3f}")
    ax.set_title(title, **font)
    ax.set_xlabel(text("survival.months", lang), **font)
    ax.set_ylabel(text(f"survival.{what}.axis", lang, stage=_stage(stage, lang)), **font)
    ax.set_ylim(-0.02, 1.02)
    if len(result):
        _legend(ax, font)
    return ax


def _stage(stage: str, lang: str) -> str:
    return text(f"model.Stage.{stage}", lang) if stage else ""


def plot_stage_times(result: StageTimes, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """The share of projects not yet at each stage, over months since their start.

    Parameters
    ----------
    result : vchuang.survival.StageTimes
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "zh"}
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax)
    for i, (stage, s) in enumerate(zip(result.stages, result.times, strict=True)):
        _step(ax, s.overall, _CYCLE[i % len(_CYCLE)], _stage(stage, lang), band=False)
    ax.set_title(text("survival.stages.title", lang), **font)
    ax.set_xlabel(text("survival.months", lang), **font)
    ax.set_ylabel(text("survival.stages.axis", lang), **font)
    ax.set_ylim(-0.02, 1.02)
    if result.stages:
        _legend(ax, font)
    return ax


def plot_dormancy(result: Dormancy, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Active and dormant residents or projects of each group, as stacked bars."""
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax)
    names = list(dict.fromkeys(result.groups))
    code = np.fromiter((names.index(g) for g in result.groups), np.int64, len(result))
    dormant = np.bincount(code[result.dormant], minlength=len(names))
    active = np.bincount(code[~result.dormant], minlength=len(names))
    x = np.arange(len(names))
    ax.bar(x, active, color=COLORS["volunteer"], label=text("survival.active", lang))
    ax.bar(x, dormant, bottom=active, color=COLORS["unmet"], label=text("survival.dormant", lang))
    ax.set_xticks(x)
    ax.set_xticklabels(names)
    ax.set_title(text(f"survival.dormancy.{result.kind}", lang, months=result.months), **font)
    if names:
        _legend(ax, font)
    return ax


@draw.register(Survival)
def _draw_survival(result: Survival, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_survival(result, ax, **kwargs)


@draw.register(StageTimes)
def _draw_stage_times(result: StageTimes, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_stage_times(result, ax, **kwargs)


@draw.register(Dormancy)
def _draw_dormancy(result: Dormancy, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_dormancy(result, ax, **kwargs)
