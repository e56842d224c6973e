"""Figures for :mod:`vchuang.talent` (private; reached through ``result.plot()``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from ..kernel.plotting import draw
from ..kernel.text import text
from ..talent import FEATURES, KeyPlayers, TalentRanking
from ._style import COLORS, cjk_fonts, font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_key_players", "plot_talents"]

_GROUP_COLORS = {
    "network": COLORS["resident"],
    "engagement": COLORS["volunteer"],
    "skills": COLORS["talent"],
    "availability": COLORS["segment"],
}
_SHADES = (1.0, 0.75, 0.55, 0.4)


def _shade(color: str, amount: float) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (1 - (1 - r) * amount, 1 - (1 - g) * amount, 1 - (1 - b) * amount)


def plot_talents(
    ranking: TalentRanking,
    ax: Axes | None = None,
    *,
    n: int = 10,
    place: str | None = None,
    by: str = "group",
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
) -> Axes:
    """Stacked horizontal bars of the score parts of the best ``n`` residents.

    Parameters
    ----------
    ranking : vchuang.talent.TalentRanking
        From :func:`vchuang.talent.rank_talents`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when ``None``.
    n : int
        How many residents (best first, at the top).
    place : str, optional
        Only residents of this community (a community ID).
    by : {"group", "feature"}
        One segment per group of features, or one per feature (shades of its group's
        colour).
    lang : {"en", "zh"}
        Label language (Chinese needs a CJK font; otherwise English, with a warning).
    labels : mapping of str to str, optional
        How to label residents: resident ID -> label (the names a staff report may show,
        say); residents not in it are labelled by their ID.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Bars are labelled by resident ID (or by ``labels``).

    See Also
    --------
    vchuang.talent.TalentRanking.plot : the same figure, from the result.
    plot_key_players : the key players' contributions.
    """

    if by not in ("group", "feature"):
        msg = f"by must be 'group' or 'feature', got {by!r}"
        raise ValueError(msg)
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax, figsize=(7.0, 0.45 * max(n, 4) + 1.5))
    talents = ranking.top(n, place=place)
    shown = labels or {}
    ticks = [shown.get(t.resident, t.resident) for t in talents]
    y = np.arange(len(talents))[::-1]
    left = np.zeros(len(talents))
    for group, features in FEATURES.items():
        segments = [(group, features)] if by == "group" else [(f, (f,)) for f in features]
        for j, (name, members) in enumerate(segments):
            widths = np.array([sum(t.parts[f] for f in members) for t in talents])
            color = _GROUP_COLORS[group]
            if by == "feature":
                color_value: Any = _shade(color, _SHADES[j % len(_SHADES)])
                label = text(f"talent.feature.{name}", lang)
            else:
                color_value = color
                label = text(f"talent.group.{name}", lang)
            ax.barh(y, widths, left=left, color=color_value, label=label, height=0.7)
            left += widths
    for yi, total in zip(y, left, strict=True):
        ax.text(total + 0.01, yi, f"{total:.2f}", va="center", fontsize=8)
    ax.set_yticks(y)
    # a name in Chinese needs a CJK font whatever the language of the other labels
    wide = any(not tick.isascii() for tick in ticks) and cjk_fonts()
    tick_font: dict[str, Any] = {"fontfamily": cjk_fonts()} if wide else {}
    ax.set_yticklabels(ticks, **tick_font)
    ax.set_xlim(0, max(1.0, float(left.max()) + 0.08) if len(left) else 1.0)
    ax.set_title(text("talent.ranking_title", lang), **font)
    ax.set_xlabel(text("talent.score", lang), **font)
    legend = ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    if font:
        for entry in legend.get_texts():
            entry.set_fontfamily(font["fontfamily"])
    if not talents:
        ax.text(
            0.5,
            0.5,
            text("talent.no_residents", lang),
            ha="center",
            va="center",
            transform=ax.transAxes,
            **font,
        )
    return ax


def plot_key_players(result: KeyPlayers, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Each key player's contribution, with the set's score and the degree baseline.

    Parameters
    ----------
    result : vchuang.talent.KeyPlayers
        From :func:`vchuang.talent.key_players`.
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
    vchuang.talent.KeyPlayers.plot : the same figure, from the result.
    plot_talents : the talent ranking's score parts.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax)
    labels = [str(p) for p in result.players]
    x = np.arange(len(labels))
    ax.bar(x, result.contributions, color=COLORS["leader"], width=0.6)
    ax.set_xticks(x)
    ax.set_xticklabels(
        labels, rotation=30 if len(labels) > 5 else 0, ha="right" if len(labels) > 5 else "center"
    )
    ax.set_ylabel(text("talent.contribution", lang), **font)
    title = text(
        "talent.key_players_title",
        lang,
        objective=text(f"talent.objective.{result.objective}", lang),
        score=f"{result.score:.3f}",
        k=len(labels),
        baseline=f"{result.baseline_score:.3f}",
    )
    ax.set_title(title, fontsize=10, **font)
    return ax


@draw.register(TalentRanking)
def _draw_ranking(result: TalentRanking, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_talents(result, ax, **kwargs)


@draw.register(KeyPlayers)
def _draw_key_players(result: KeyPlayers, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_key_players(result, ax, **kwargs)
