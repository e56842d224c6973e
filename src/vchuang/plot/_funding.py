"""Figures of the money of funds and projects: balance over time, runway by project.

Amounts are drawn in yuan; the ledger keeps integer fen and converts only to draw.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..funding import BalanceHistory, Sustainability
from ..kernel.plotting import draw
from ..kernel.text import text
from ._style import COLORS, cjk_fonts, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_balance_history", "plot_runway"]


def _t(key: str, lang: str) -> str:
    return text(f"funding.plot.{key}", lang)


def _font_kw(lang: str) -> dict[str, Any]:
    fonts = cjk_fonts() if lang == "zh" else []
    return {"fontfamily": fonts} if fonts else {}


def plot_balance_history(
    history: BalanceHistory, ax: Axes | None = None, *, lang: str = "en"
) -> Axes:
    """Step lines of account balances over time.

    Parameters
    ----------
    history : vchuang.funding.BalanceHistory
        From :meth:`vchuang.funding.Ledger.history`.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    vchuang.funding.BalanceHistory.plot : the same figure, from the result.
    plot_runway : each project's runway.
    """
    import numpy as np
    from matplotlib.font_manager import FontProperties

    lang = label_lang(lang)
    ax = new_axes(ax)
    font = _font_kw(lang)
    labels = history.labels_zh if lang == "zh" else history.labels
    days = np.array(history.dates, dtype="datetime64[D]")
    for label, series in zip(labels, history.balances, strict=True):
        ax.step(days, np.array(series) / 100, where="post", label=label)
    ax.axhline(0, color=COLORS["unmet"], linewidth=0.8)
    ax.tick_params(axis="x", labelrotation=30)
    ax.set_ylabel(_t("balance", lang), **font)
    ax.set_title(_t("balance_title", lang), **font)
    if history.accounts:
        prop = FontProperties(family=font["fontfamily"]) if font else None
        ax.legend(loc="best", fontsize="small", prop=prop)
    return ax


def plot_runway(result: Sustainability, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Horizontal bars of each project's runway, coloured by its chance of running dry
    within the horizon; the most urgent project on top.

    Parameters
    ----------
    result : vchuang.funding.Sustainability
        From :func:`vchuang.funding.sustainability`.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default: a new figure).
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    vchuang.funding.Sustainability.plot : the same figure, from the result.
    plot_balance_history : account balances over time.

    Notes
    -----
    A project with no spending in the window is drawn as a grey hatched bar. A runway
    longer than twice the horizon (or infinite) is drawn cut at twice the
    horizon and marked with its value.
    """
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    lang = label_lang(lang)
    ax = new_axes(ax)
    font = _font_kw(lang)
    outlooks = result.outlooks
    cap = 2.0 * result.horizon
    cmap = colormaps["RdYlGn_r"]
    ys = list(range(len(outlooks)))[::-1]
    for y, o in zip(ys, outlooks, strict=True):
        if o.burn_fen == 0:  # nothing spent: no runway to speak of
            ax.barh(
                y,
                cap,
                color=COLORS["unmet"],
                edgecolor="black",
                linewidth=0.5,
                hatch="//",
                alpha=0.5,
            )
            ax.text(cap, y, f"  {_t('no_spending', lang)}", va="center", fontsize="small", **font)
            continue
        width = min(o.runway_months, cap)
        ax.barh(y, width, color=cmap(o.ruin_probability), edgecolor="black", linewidth=0.5)
        value = "∞" if math.isinf(o.runway_months) else f"{o.runway_months:.1f}"
        mark = f"  {value} · {o.ruin_probability:.0%}"
        if o.needs_campaign:
            mark += f" · {_t('campaign', lang)}"
        ax.text(width, y, mark, va="center", fontsize="small", **font)
    names = [(o.name_zh or o.name) if lang == "zh" else o.name for o in outlooks]
    ax.set_yticks(ys, names, **font)
    ax.axvline(result.horizon, color=COLORS["leader"], linestyle="--", linewidth=1)
    ax.text(
        result.horizon,
        len(outlooks) - 0.4,
        f" {_t('horizon', lang)}",
        color=COLORS["leader"],
        fontsize="small",
        **font,
    )
    ax.set_xlim(0, cap * 1.3)
    ax.set_ylim(-0.6, len(outlooks) - 0.2)
    ax.set_xlabel(_t("runway", lang), **font)
    ax.set_title(_t("runway_title", lang), **font)
    mappable = ScalarMappable(norm=Normalize(0, 1), cmap=cmap)
    bar = ax.figure.colorbar(mappable, ax=ax, fraction=0.05)
    bar.set_label(_t("ruin", lang), **font)
    return ax


@draw.register(BalanceHistory)
def _draw_history(result: BalanceHistory, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_balance_history(result, ax, **kwargs)


@draw.register(Sustainability)
def _draw_runway(result: Sustainability, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_runway(result, ax, **kwargs)
