"""Figures for :mod:`vchuang.capital` (private; reached through ``result.plot()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..capital import ROLES, Brokerage, EgoNetworks, EIIndex
from ..kernel.plotting import draw
from ..kernel.text import has, text
from ._style import COLORS, font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_brokerage", "plot_ego_networks", "plot_ei_index"]

_ROLE_COLORS = {
    "coordinator": COLORS["resident"],
    "itinerant": COLORS["segment"],
    "representative": COLORS["volunteer"],
    "gatekeeper": COLORS["talent"],
    "liaison": COLORS["leader"],
}


def _by(by: str, lang: str) -> str:
    key = f"capital.by.{by}"
    return text(key if has(key) else "capital.by.group", lang)


def _legend(ax: Axes, font: dict[str, Any]) -> None:
    legend = ax.legend(fontsize=8, frameon=False)
    if font:
        for entry in legend.get_texts():
            entry.set_fontfamily(font["fontfamily"])


def _empty(ax: Axes, lang: str, font: dict[str, Any]) -> None:
    ax.text(
        0.5, 0.5, text("capital.nothing", lang), ha="center", va="center",
        transform=ax.transAxes, **font,
    )  # fmt: skip


def plot_ei_index(result: EIIndex, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """The E-I index of each group as bars, its value under random ties as a tick.

    Parameters
    ----------
    result : vchuang.capital.EIIndex
        From :func:`vchuang.capital.ei_index`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        Bars left of 0 show groups whose ties stay inside (bonding), right of 0 groups
        whose ties cross (bridging); the dashed line is the whole network.

    See Also
    --------
    vchuang.capital.EIIndex.plot : the same figure, from the result.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    groups = result.groups
    ax = new_axes(ax, figsize=(7.0, 0.4 * max(len(groups), 4) + 1.5))
    y = np.arange(len(groups))[::-1]
    values = np.array([g.ei for g in groups], dtype=np.float64)
    ax.barh(y, np.nan_to_num(values), color=COLORS["community"], height=0.6)
    ax.scatter(
        [g.expected for g in groups], y, marker="|", s=200, color="black",
        label=text("capital.ei.expected", lang), zorder=3,
    )  # fmt: skip
    if not np.isnan(result.ei):
        ax.axvline(
            result.ei, linestyle="--", color=COLORS["unmet"],
            label=text("capital.ei.network", lang, value=f"{result.ei:.2f}"),
        )  # fmt: skip
    ax.axvline(0, color="black", linewidth=0.5)
    ax.set_yticks(y)
    ax.set_yticklabels([g.group for g in groups])
    ax.set_xlim(-1.05, 1.05)
    ax.set_title(text("capital.ei.title", lang, by=_by(result.by, lang)), **font)
    ax.set_xlabel(text("capital.ei.axis", lang), **font)
    if groups:
        _legend(ax, font)
    else:
        _empty(ax, lang, font)
    return ax


def plot_ego_networks(result: EgoNetworks, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Bonding and bridging ties of each group's residents, side by side.

    Parameters
    ----------
    result : vchuang.capital.EgoNetworks
        From :func:`vchuang.capital.ego_networks`.
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes
        One pair of bars per group: the ties its residents have inside the group and
        across to other groups (a tie between two groups counts for each side).

    See Also
    --------
    vchuang.capital.EgoNetworks.plot : the same figure, from the result.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    k = len(result.groups)
    ax = new_axes(ax, figsize=(7.0, 0.5 * max(k, 4) + 1.5))
    grouped = result.codes >= 0
    bonding = np.bincount(result.codes[grouped], result.bonding[grouped], minlength=k) / 2
    bridging = np.bincount(result.codes[grouped], result.bridging[grouped], minlength=k)
    y = np.arange(k)[::-1]
    ax.barh(y + 0.2, bonding, height=0.4, color=COLORS["volunteer"],
            label=text("capital.bonding", lang))  # fmt: skip
    ax.barh(y - 0.2, bridging, height=0.4, color=COLORS["talent"],
            label=text("capital.bridging", lang))  # fmt: skip
    ax.set_yticks(y)
    ax.set_yticklabels(result.groups)
    ax.set_title(text("capital.ego.title", lang, by=_by(result.by, lang)), **font)
    ax.set_xlabel(text("capital.ego.axis", lang), **font)
    if k:
        _legend(ax, font)
    else:
        _empty(ax, lang, font)
    return ax


def plot_brokerage(
    result: Brokerage, ax: Axes | None = None, *, n: int = 10, lang: str = "en"
) -> Axes:
    """The ``n`` residents who broker the most, their counts stacked by role.

    Parameters
    ----------
    result : vchuang.capital.Brokerage
        From :func:`vchuang.capital.brokerage`.
    ax : matplotlib.axes.Axes, optional
    n : int, default 10
        How many residents (most first, at the top); labelled by ID, never by name.
    lang : {"en", "zh"}

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    vchuang.capital.Brokerage.plot : the same figure, from the result.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    brokers = [b for b in result.top(n) if b.total > 0]
    ax = new_axes(ax, figsize=(7.0, 0.45 * max(len(brokers), 4) + 1.5))
    y = np.arange(len(brokers))[::-1]
    left = np.zeros(len(brokers))
    for role in ROLES:
        widths = np.array([b.counts[role] for b in brokers], dtype=np.float64)
        ax.barh(y, widths, left=left, height=0.7, color=_ROLE_COLORS[role],
                label=text(f"capital.role.{role}", lang))  # fmt: skip
        left += widths
    ax.set_yticks(y)
    ax.set_yticklabels([b.resident for b in brokers])
    ax.set_title(text("capital.brokerage.title", lang, by=_by(result.by, lang)), **font)
    ax.set_xlabel(text("capital.brokerage.axis", lang), **font)
    if brokers:
        _legend(ax, font)
    else:
        _empty(ax, lang, font)
    return ax


@draw.register(EIIndex)
def _draw_ei_index(result: EIIndex, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_ei_index(result, ax, **kwargs)


@draw.register(EgoNetworks)
def _draw_ego_networks(result: EgoNetworks, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_ego_networks(result, ax, **kwargs)


@draw.register(Brokerage)
def _draw_brokerage(result: Brokerage, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_brokerage(result, ax, **kwargs)
