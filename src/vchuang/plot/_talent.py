"""Figures for :mod:`vchuang.talent` (private; reached through ``result.plot()``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._style import COLORS, cjk_fonts, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..talent import KeyPlayers, TalentRanking

__all__ = ["plot_key_players", "plot_talents"]

_GROUP_LABELS = {
    "network": ("network position", "网络位置"),
    "engagement": ("engagement", "参与"),
    "skills": ("skills and needs", "技能与需求"),
    "availability": ("availability", "可投入时间"),
}
_GROUP_COLORS = {
    "network": COLORS["resident"],
    "engagement": COLORS["volunteer"],
    "skills": COLORS["talent"],
    "availability": COLORS["segment"],
}
_FEATURE_LABELS = {
    "degree": ("contacts", "联系人数"),
    "betweenness": ("betweenness", "中介性"),
    "pagerank": ("PageRank", "PageRank"),
    "brokerage": ("brokerage", "桥接"),
    "activities": ("activities", "活动"),
    "hours": ("volunteer hours", "志愿时长"),
    "leads": ("projects led", "带领项目"),
    "recency": ("recency", "近期参与"),
    "skills": ("skills", "技能"),
    "needs": ("open needs fillable", "可填补需求"),
    "availability": ("hours offered", "可投入时间"),
}
_SHADES = (1.0, 0.75, 0.55, 0.4)


def _text(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "zh" else pair[0]


def _font(lang: str) -> dict[str, Any]:
    fonts = cjk_fonts() if lang == "zh" else []
    return {"fontfamily": fonts} if fonts else {}


def _shade(color: str, amount: float) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (1 - (1 - r) * amount, 1 - (1 - g) * amount, 1 - (1 - b) * amount)


def plot_talents(
    ranking: TalentRanking,
    ax: Axes | None = None,
    *,
    n: int = 10,
    community: str | None = None,
    by: str = "group",
    lang: str = "en",
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
    community : str, optional
        Only residents of this community.
    by : {"group", "feature"}
        One segment per group of features, or one per feature (shades of its group's
        colour).
    lang : {"en", "zh"}
        Label language (Chinese needs a CJK font; otherwise English, with a warning).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on. Bars are labelled by resident ID, never by name.
    """
    from ..talent import FEATURES

    if by not in ("group", "feature"):
        msg = f"by must be 'group' or 'feature', got {by!r}"
        raise ValueError(msg)
    lang = label_lang(lang)
    font = _font(lang)
    ax = new_axes(ax, figsize=(7.0, 0.45 * max(n, 4) + 1.5))
    talents = ranking.top(n, community=community)
    labels = [t.resident for t in talents]
    y = np.arange(len(talents))[::-1]
    left = np.zeros(len(talents))
    for group, features in FEATURES.items():
        segments = [(group, features)] if by == "group" else [(f, (f,)) for f in features]
        for j, (name, members) in enumerate(segments):
            widths = np.array([sum(t.parts[f] for f in members) for t in talents])
            color = _GROUP_COLORS[group]
            if by == "feature":
                color_value: Any = _shade(color, _SHADES[j % len(_SHADES)])
                label = _text(_FEATURE_LABELS[name], lang)
            else:
                color_value = color
                label = _text(_GROUP_LABELS[name], lang)
            ax.barh(y, widths, left=left, color=color_value, label=label, height=0.7)
            left += widths
    for yi, total in zip(y, left, strict=True):
        ax.text(total + 0.01, yi, f"{total:.2f}", va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.set_xlim(0, max(1.0, float(left.max()) + 0.08) if len(left) else 1.0)
    title = ("社区能人排名：得分构成", "Community talents: what the score is made of")
    ax.set_title(title[0] if lang == "zh" else title[1], **font)
    ax.set_xlabel("得分" if lang == "zh" else "score", **font)
    legend = ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8, frameon=False)
    if font:
        for text in legend.get_texts():
            text.set_fontfamily(font["fontfamily"])
    if not talents:
        ax.text(
            0.5,
            0.5,
            "暂无居民" if lang == "zh" else "no residents",
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
    """
    lang = label_lang(lang)
    font = _font(lang)
    ax = new_axes(ax)
    labels = [str(p) for p in result.players]
    x = np.arange(len(labels))
    ax.bar(x, result.contributions, color=COLORS["leader"], width=0.6)
    ax.set_xticks(x)
    ax.set_xticklabels(
        labels, rotation=30 if len(labels) > 5 else 0, ha="right" if len(labels) > 5 else "center"
    )
    zh = lang == "zh"
    ax.set_ylabel("对得分的贡献" if zh else "contribution to the score", **font)
    objective = {
        "reach": ("reach", "覆盖"),
        "distance_reach": ("distance-weighted reach", "距离加权覆盖"),
        "fragmentation": ("fragmentation", "分裂度"),
        "distance_fragmentation": ("distance-weighted fragmentation", "距离加权分裂度"),
    }[result.objective]
    title = (
        f"关键人物（{objective[1]}）：{result.score:.3f}，按度数选前 {len(labels)} 人："
        f"{result.baseline_score:.3f}"
        if zh
        else f"Key players ({objective[0]}): {result.score:.3f}; top {len(labels)} by degree: "
        f"{result.baseline_score:.3f}"
    )
    ax.set_title(title, fontsize=10, **font)
    return ax
