"""Figures of golden-idea selection: outcomes, scores, rule comparisons, eligibility."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._style import COLORS, cjk_fonts, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..selection import Comparison, Eligibility, Scores, SelectionResult

__all__ = ["plot_comparison", "plot_eligibility", "plot_scores", "plot_selection"]

_TEXT = {
    "en": {
        "cost": "cost ({unit})",
        "selected": "selected",
        "not": "not selected",
        "excluded": "left out before the vote",
        "budget": "budget {amount}",
        "title": "{rule}: {n} selected, {spent} of {budget} spent",
        "score": "combined score",
        "panel": "panel",
        "votes": "votes",
        "rules": "rule",
        "eligible": "passes",
        "fails": "fails",
        "rule": "eligibility rule",
    },
    "zh": {
        "cost": "费用（{unit}）",
        "selected": "入选",
        "not": "未入选",
        "excluded": "未进入评选",
        "budget": "预算 {amount}",
        "title": "{rule}：入选 {n} 项，花费 {spent} / {budget}",
        "score": "综合得分",
        "panel": "评审",
        "votes": "居民投票",
        "rules": "规则",
        "eligible": "符合",
        "fails": "不符合",
        "rule": "资格条件",
    },
}


def _font(lang: str) -> dict[str, Any]:
    fonts = cjk_fonts()
    return {"fontfamily": fonts} if lang == "zh" and fonts else {}


def _money_scale(unit: str) -> tuple[float, str]:
    return (100.0, "yuan" if unit == "fen" else unit) if unit == "fen" else (1.0, unit)


def plot_selection(
    result: SelectionResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """Horizontal bars of each proposal's cost, selected ones coloured, in selection
    order then the rest; the title gives the money spent."""
    from ..selection import format_money

    lang = label_lang(lang)
    text = _TEXT[lang]
    font = _font(lang)
    ax = new_axes(ax, figsize=(7.5, 0.35 * len(result.decisions) + 1.5))
    scale, unit = _money_scale(result.unit)
    decisions = sorted(
        result.decisions,
        key=lambda d: (
            d.order if d.order is not None else 10**9,
            d.phase == "ineligible",
            d.proposal,
        ),
    )
    labels = [(names or {}).get(d.proposal, d.name) for d in decisions]
    colours = [
        COLORS["project"]
        if d.selected
        else (COLORS["unmet"] if d.phase not in ("ineligible", "threshold") else "white")
        for d in decisions
    ]
    ys = list(range(len(decisions)))[::-1]
    ax.barh(ys, [d.cost / scale for d in decisions], color=colours, edgecolor="#555555")
    ax.set_yticks(ys, labels, **font)
    ax.set_xlabel(text["cost"].format(unit=unit), **font)
    for y, d in zip(ys, decisions, strict=True):
        if d.order is not None:
            ax.text(d.cost / scale, y, f" {d.order}", va="center", fontsize=8)
    from matplotlib.patches import Patch

    handles = [
        Patch(color=COLORS["project"], label=text["selected"]),
        Patch(color=COLORS["unmet"], label=text["not"]),
    ]
    if any(d.phase in ("ineligible", "threshold") for d in decisions):
        handles.append(Patch(facecolor="white", edgecolor="#555555", label=text["excluded"]))
    ax.legend(handles=handles, loc="lower right", fontsize=8, prop=_prop(lang))
    ax.set_title(
        text["title"].format(
            rule=result.rule,
            n=len(result.selected),
            spent=format_money(result.spent, result.unit),
            budget=format_money(result.budget, result.unit),
        ),
        **font,
    )
    return ax


def _prop(lang: str) -> dict[str, Any] | None:
    fonts = cjk_fonts()
    return {"family": fonts, "size": 8} if lang == "zh" and fonts else None


def plot_scores(
    scores: Scores,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """Stacked bars of each proposal's combined score: its panel and its vote parts."""
    lang = label_lang(lang)
    text = _TEXT[lang]
    font = _font(lang)
    rows = sorted(scores.proposals, key=lambda p: p.rank)
    ax = new_axes(ax, figsize=(7.5, 0.35 * len(rows) + 1.5))
    ys = list(range(len(rows)))[::-1]
    w = scores.panel_weight
    panel = [w * p.panel_norm for p in rows]
    votes = [(1 - w) * p.votes_norm for p in rows]
    ax.barh(ys, panel, color=COLORS["leader"], label=text["panel"])
    ax.barh(ys, votes, left=panel, color=COLORS["volunteer"], label=text["votes"])
    ax.set_yticks(ys, [(names or {}).get(p.proposal, p.name) for p in rows], **font)
    ax.set_xlabel(text["score"], **font)
    ax.set_xlim(0, 1.05)
    ax.legend(loc="lower right", fontsize=8, prop=_prop(lang))
    return ax


def plot_comparison(
    comparison: Comparison,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """A proposals × rules grid with a dot where the rule selects the proposal."""
    lang = label_lang(lang)
    text = _TEXT[lang]
    font = _font(lang)
    rules = list(comparison.results)
    props = list(comparison.proposals)
    ax = new_axes(ax, figsize=(1.2 * len(rules) + 4, 0.35 * len(props) + 1.5))
    ys = list(range(len(props)))[::-1]
    for x, rule in enumerate(rules):
        chosen = set(comparison.results[rule].selected)
        for y, p in zip(ys, props, strict=True):
            if p in chosen:
                ax.scatter([x], [y], s=90, color=COLORS["project"], zorder=3)
            else:
                ax.scatter([x], [y], s=20, color=COLORS["unmet"], zorder=2)
    ax.set_xticks(range(len(rules)), rules, rotation=30, ha="right")
    ax.set_yticks(ys, [(names or {}).get(p, comparison.names[p]) for p in props], **font)
    ax.set_xlabel(text["rules"], **font)
    ax.set_xlim(-0.6, len(rules) - 0.4)
    ax.grid(True, alpha=0.3)
    return ax


def plot_eligibility(
    eligibility: Eligibility,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """A proposals × rules grid: green where the proposal passes the rule, red where
    it fails."""
    lang = label_lang(lang)
    text = _TEXT[lang]
    font = _font(lang)
    rules = list(eligibility.rules)
    checks = list(eligibility.checks)
    ax = new_axes(ax, figsize=(1.1 * len(rules) + 4, 0.35 * len(checks) + 1.5))
    ys = list(range(len(checks)))[::-1]
    for y, c in zip(ys, checks, strict=True):
        failed = {rule for rule, _ in c.failed}
        for x, rule in enumerate(rules):
            bad = rule in failed
            ax.scatter(
                [x],
                [y],
                marker="x" if bad else "o",
                s=60,
                color=COLORS["leader"] if bad else COLORS["volunteer"],
            )
    ax.set_xticks(range(len(rules)), rules, rotation=30, ha="right")
    ax.set_yticks(ys, [(names or {}).get(c.proposal, c.name) for c in checks], **font)
    ax.set_xlabel(text["rule"], **font)
    ax.set_xlim(-0.6, len(rules) - 0.4)
    return ax
