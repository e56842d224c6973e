"""Figures of golden-idea selection: outcomes, scores, rule comparisons, eligibility
(private; reached through the ``plot`` methods of :mod:`vchuang.selection` results).

Labels are English or Chinese, their words in the text catalogue
(``selection.plot.*``); proposals are labelled by the ``names`` given, else by their
names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..kernel.money import format_fen
from ..kernel.plotting import draw
from ..kernel.text import text
from ..selection import Comparison, Eligibility, Scores, SelectionResult
from ._style import COLORS, font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_comparison", "plot_eligibility", "plot_scores", "plot_selection"]


def _money_scale(unit: str, lang: str) -> tuple[float, str]:
    """What to divide an amount by for the axis, and the axis's unit."""
    if unit == "fen":
        return 100.0, text("selection.plot.yuan", lang)
    return 1.0, unit


def _money(amount: int, unit: str, lang: str) -> str:
    """An amount of an election for a title: fen as yuan (:func:`format_fen`), any other
    unit (a Pabulib file's currency) as a whole number."""
    if unit == "fen":
        return format_fen(int(amount), symbol=True, lang=lang)
    return f"{amount:,} {unit}".rstrip()


def plot_selection(
    result: SelectionResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """Horizontal bars of each proposal's cost, selected ones coloured, in selection
    order then the rest; the title gives the money spent.

    See Also
    --------
    vchuang.selection.SelectionResult.plot : the same figure, from the result.
    plot_comparison, plot_scores, plot_eligibility : the other selection figures.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    ax = new_axes(ax, figsize=(7.5, 0.35 * len(result.decisions) + 1.5))
    scale, unit = _money_scale(result.unit, lang)
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
    ax.set_xlabel(text("selection.plot.cost", lang, unit=unit), **font)
    for y, d in zip(ys, decisions, strict=True):
        if d.order is not None:
            ax.text(d.cost / scale, y, f" {d.order}", va="center", fontsize=8)
    from matplotlib.patches import Patch

    handles = [
        Patch(color=COLORS["project"], label=text("selection.plot.selected", lang)),
        Patch(color=COLORS["unmet"], label=text("selection.plot.not_selected", lang)),
    ]
    if any(d.phase in ("ineligible", "threshold") for d in decisions):
        handles.append(
            Patch(
                facecolor="white", edgecolor="#555555", label=text("selection.plot.excluded", lang)
            )
        )
    ax.legend(handles=handles, loc="lower right", fontsize=8, prop=_prop(lang))
    ax.set_title(
        text(
            "selection.plot.title",
            lang,
            rule=result.rule,
            n=len(result.selected),
            spent=_money(result.spent, result.unit, lang),
            budget=_money(result.budget, result.unit, lang),
        ),
        **font,
    )
    return ax


def _prop(lang: str) -> dict[str, Any] | None:
    font: dict[str, Any] = font_kw(lang)
    return {"family": font["fontfamily"], "size": 8} if font else None


def plot_scores(
    scores: Scores,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """Stacked bars of each proposal's combined score: its panel and its vote parts.

    See Also
    --------
    vchuang.selection.Scores.plot : the same figure, from the result.
    plot_selection, plot_comparison, plot_eligibility : the other selection figures.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    rows = sorted(scores.proposals, key=lambda p: p.rank)
    ax = new_axes(ax, figsize=(7.5, 0.35 * len(rows) + 1.5))
    ys = list(range(len(rows)))[::-1]
    w = scores.panel_weight
    panel = [w * p.panel_norm for p in rows]
    votes = [(1 - w) * p.votes_norm for p in rows]
    ax.barh(ys, panel, color=COLORS["leader"], label=text("selection.plot.panel", lang))
    ax.barh(
        ys, votes, left=panel, color=COLORS["volunteer"], label=text("selection.plot.votes", lang)
    )
    ax.set_yticks(ys, [(names or {}).get(p.proposal, p.name) for p in rows], **font)
    ax.set_xlabel(text("selection.plot.score", lang), **font)
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
    """A proposals × rules grid with a dot where the rule selects the proposal.

    See Also
    --------
    vchuang.selection.Comparison.plot : the same figure, from the result.
    plot_selection, plot_scores, plot_eligibility : the other selection figures.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
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
    ax.set_xlabel(text("selection.plot.rule", lang), **font)
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
    it fails.

    See Also
    --------
    vchuang.selection.Eligibility.plot : the same figure, from the result.
    plot_selection, plot_scores, plot_comparison : the other selection figures.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
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
    ax.set_xlabel(text("selection.plot.eligibility_rule", lang), **font)
    ax.set_xlim(-0.6, len(rules) - 0.4)
    return ax


@draw.register(SelectionResult)
def _draw_selection(result: SelectionResult, /, *, ax: Axes | None = None, **kw: Any) -> Axes:
    return plot_selection(result, ax=ax, **kw)


@draw.register(Scores)
def _draw_scores(result: Scores, /, *, ax: Axes | None = None, **kw: Any) -> Axes:
    return plot_scores(result, ax=ax, **kw)


@draw.register(Comparison)
def _draw_comparison(result: Comparison, /, *, ax: Axes | None = None, **kw: Any) -> Axes:
    return plot_comparison(result, ax=ax, **kw)


@draw.register(Eligibility)
def _draw_eligibility(result: Eligibility, /, *, ax: Axes | None = None, **kw: Any) -> Axes:
    return plot_eligibility(result, ax=ax, **kw)
