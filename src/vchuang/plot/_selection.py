"""Figures of golden-idea selection: outcomes, scores, rule comparisons, eligibility,
proportionality audits and why-not-funded (private; reached through the ``plot``
methods of :mod:`vchuang.selection` results).

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
from ..selection import (
    PROPERTIES,
    Audit,
    Comparison,
    Eligibility,
    Overridden,
    Scores,
    SelectionResult,
    WhyNot,
)
from ._style import COLORS, font_kw, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "plot_audit",
    "plot_comparison",
    "plot_eligibility",
    "plot_scores",
    "plot_selection",
    "plot_why_not_funded",
]


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


_AUDITED = (*PROPERTIES, "priceable", "exhaustive")


def plot_audit(
    audit: Audit | Overridden,
    *,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """A properties × outcomes grid: a filled mark where the property holds, a cross
    where it fails, a question mark where the search could not decide.

    An :class:`~vchuang.selection.Audit` gives one column; an
    :class:`~vchuang.selection.Overridden` record two (the rule's outcome and the one
    after the selection meeting). The title gives the share of voters none of whose
    ideas was funded (of the last column).

    See Also
    --------
    vchuang.selection.Audit.plot, vchuang.selection.Overridden.plot : the same figure.
    plot_why_not_funded : what each unfunded idea lacked.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    if isinstance(audit, Overridden):
        columns = [
            (text("selection.plot.algorithm", lang), audit.algorithm_audit),
            (text("selection.plot.final", lang), audit.final_audit),
        ]
    else:
        columns = [(audit.rule, audit)]
    ax = new_axes(ax, figsize=(2.2 * len(columns) + 4.5, 0.4 * len(_AUDITED) + 1.5))
    ys = list(range(len(_AUDITED)))[::-1]
    for x, (_, a) in enumerate(columns):
        for y, prop in zip(ys, _AUDITED, strict=True):
            held = None if a is None else a.holds(prop)
            if held is None:
                ax.text(x, y, "?", ha="center", va="center", fontsize=14, color="#555555")
            elif held:
                ax.scatter([x], [y], s=120, marker="o", color=COLORS["volunteer"], zorder=3)
            else:
                ax.scatter([x], [y], s=120, marker="X", color=COLORS["leader"], zorder=3)
    ax.set_yticks(ys, [text(f"selection.property.{p}", lang) for p in _AUDITED], **font)
    ax.set_xticks(range(len(columns)), [c for c, _ in columns], **font)
    ax.set_xlim(-0.6, len(columns) - 0.4)
    ax.set_ylim(-0.6, len(_AUDITED) - 0.4)
    last = columns[-1][1]
    rule = audit.algorithm.rule if isinstance(audit, Overridden) else audit.rule
    empty = "?" if last is None else f"{last.empty_handed:.0%}"
    ax.set_title(text("selection.plot.audit_title", lang, rule=rule, empty=empty), **font)
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            color=COLORS["volunteer"],
            label=text("selection.audit.holds", lang),
        ),
        Line2D(
            [],
            [],
            marker="X",
            ls="",
            color=COLORS["leader"],
            label=text("selection.audit.fails", lang),
        ),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), prop=_prop(lang))
    return ax


def plot_why_not_funded(
    why: WhyNot,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    names: Mapping[str, str] | None = None,
) -> Axes:
    """One bar per unfunded idea: the cost cut (as a share of its cost) that would
    have funded it, labelled with the extra votes that would have; ideas no cut could
    fund are drawn hatched at 100 %.

    See Also
    --------
    vchuang.selection.WhyNot.plot : the same figure, from the result.
    plot_audit : the proportionality audit of the same outcome.
    """
    lang = label_lang(lang)
    font: dict[str, Any] = font_kw(lang)
    rows = list(why.shortfalls)
    ax = new_axes(ax, figsize=(7.5, 0.35 * len(rows) + 1.5))
    ys = list(range(len(rows)))[::-1]
    for y, s in zip(ys, rows, strict=True):
        if s.cost_cut is None:
            ax.barh([y], [100], color="white", edgecolor=COLORS["unmet"], hatch="//")
            ax.text(2, y, text("selection.plot.no_cut", lang), va="center", fontsize=8, **font)
            share = 100.0
        else:
            share = 100.0 * s.cost_cut / s.cost if s.cost else 0.0
            ax.barh([y], [share], color=COLORS["unmet"], edgecolor="#555555")
        if s.extra_support is not None:
            label = text("selection.plot.more_votes", lang, k=s.extra_support)
            ax.text(min(share, 100) + 1, y, label, va="center", fontsize=8, **font)
    ax.set_yticks(ys, [(names or {}).get(s.proposal, s.name) for s in rows], **font)
    ax.set_xlim(0, 125)
    ax.set_xlabel(text("selection.plot.cost_cut", lang), **font)
    ax.set_title(text("selection.plot.why_title", lang, rule=why.rule, n=len(rows)), **font)
    return ax


@draw.register(Audit)
def _draw_audit(result: Audit, /, *, ax: Axes | None = None, **kw: Any) -> Axes:
    return plot_audit(result, ax=ax, **kw)


@draw.register(Overridden)
def _draw_overridden(result: Overridden, /, *, ax: Axes | None = None, **kw: Any) -> Axes:
    return plot_audit(result, ax=ax, **kw)


@draw.register(WhyNot)
def _draw_why_not(result: WhyNot, /, *, ax: Axes | None = None, **kw: Any) -> Axes:
    return plot_why_not_funded(result, ax=ax, **kw)


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
