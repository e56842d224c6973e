"""Figures of the incubator: the people's funnel, the project pipeline, training and
resource linkage (private; the results' ``plot`` methods call these)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..incubator import FUNNEL_STAGES, LEVELS, Funnel, LinkProposals, Pipeline, Training
from ..kernel.plotting import draw
from ..kernel.renames import UNSET, renamed
from ..kernel.text import text
from ._style import COLORS, cjk_fonts, label_lang, new_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_funnel", "plot_linkage", "plot_pipeline", "plot_training"]

_FUNNEL_COLORS = {
    "engaged": COLORS["volunteer"],
    "talent": COLORS["talent"],
    "leader": COLORS["leader"],
    "project_lead": COLORS["project"],
}


def _t(key: str, lang: str) -> str:
    return text(f"incubator.plot.{key}", lang)


def _style_text(ax: Axes, lang: str) -> None:
    if lang != "zh":
        return
    family = cjk_fonts()
    for label in (
        ax.title,
        ax.xaxis.label,
        ax.yaxis.label,
        *ax.get_xticklabels(),
        *ax.get_yticklabels(),
    ):
        label.set_fontfamily(family)
    legend = ax.get_legend()
    if legend is not None:
        for label in legend.get_texts():
            label.set_fontfamily(family)


def plot_funnel(
    result: Funnel,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    over_time: bool = False,
    place: str | None = None,
    community: Any = UNSET,
) -> Axes:
    """Draw the people's funnel: centred bars, widest (engaged) on top, each labelled
    with its count and the share of the stage above; or, with ``over_time``, one line
    per stage month by month.

    Parameters
    ----------
    result : Funnel
        From :func:`vchuang.incubator.funnel`.
    ax : Axes, optional
        Where to draw; a new figure's axes by default.
    lang : {"en", "zh"}
        Label language (``"zh"`` needs a CJK font; otherwise English with a warning).
    over_time : bool
        Draw the monthly series instead of the funnel.
    place : str, optional
        One community's funnel (a community ID); all of the result's residents by
        default. ``community=`` is its deprecated old name.

    Returns
    -------
    Axes
        The axes drawn on.

    See Also
    --------
    vchuang.incubator.Funnel.plot : the same figure, from the result.
    plot_pipeline : the projects' side of the incubator.
    """
    community = renamed("plot_funnel", "community", community, "place", place)
    lang = label_lang(lang)
    ax = new_axes(ax)
    names = [
        text(f"incubator.funnel.{s}", lang) if s in FUNNEL_STAGES else s for s in result.stages
    ]
    where = "" if community is None else f" — {community}"
    if over_time:
        points = [p for p in result.series if p.community == community]
        months: list[Any] = [p.month for p in points]
        for stage, name in zip(result.stages, names, strict=True):
            ax.plot(
                months,
                [p.counts[stage] for p in points],
                marker="o",
                markersize=3,
                color=_FUNNEL_COLORS.get(stage),
                label=name,
            )
        ax.set_xlabel(_t("month", lang))
        ax.set_ylabel(_t("residents", lang))
        ax.legend(loc="upper left", frameon=False)
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    else:
        counts = result.counts if community is None else dict(result.by_community[community])
        values = [counts[s] for s in result.stages]
        widest = max(values) if values and max(values) > 0 else 1
        ys = list(range(len(values)))[::-1]
        for y, stage, value in zip(ys, result.stages, values, strict=True):
            ax.barh(
                y, value, left=(widest - value) / 2, height=0.7, color=_FUNNEL_COLORS.get(stage)
            )
        prev = None
        for y, value in zip(ys, values, strict=True):
            share = f" ({value / prev:.0%})" if prev else ""
            ax.text(
                (widest + value) / 2 + widest * 0.015,
                y,
                f"{value}{share}",
                ha="left",
                va="center",
                fontweight="bold",
            )
            prev = value
        ax.set_yticks(ys, names)
        ax.set_xticks([])
        ax.set_xlim(0, widest * 1.2)
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
    ax.set_title(_t("funnel", lang) + where)
    _style_text(ax, lang)
    return ax


def plot_pipeline(result: Pipeline, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Draw projects by stage per community as stacked horizontal bars, stages in
    process order.

    Parameters
    ----------
    result : Pipeline
        From :func:`vchuang.incubator.pipeline`.
    ax : Axes, optional
        Where to draw; a new figure's axes by default.
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    Axes
        The axes drawn on.

    See Also
    --------
    vchuang.incubator.Pipeline.plot : the same figure, from the result.
    plot_funnel : the people's side of the incubator.
    """
    from matplotlib import colormaps
    from matplotlib.ticker import MaxNLocator

    lang = label_lang(lang)
    ax = new_axes(ax)
    cmap = colormaps["viridis"]
    communities = list(result.communities)
    ys = list(range(len(communities)))[::-1]
    left = [0] * len(communities)
    shown = [s for s in result.stages if any(result.counts[c][s] for c in communities)]
    n = max(len(result.stages) - 1, 1)
    for stage in shown:
        i = result.stages.index(stage)
        color = COLORS["unmet"] if stage.value == "dropped" else cmap(i / n)
        widths = [result.counts[c][stage] for c in communities]
        ax.barh(ys, widths, left=left, color=color, label=stage.label(lang), edgecolor="white")
        left = [a + b for a, b in zip(left, widths, strict=True)]
    names = [result.names.get(c, (c, c))[1 if lang == "zh" else 0] or c for c in communities]
    ax.set_yticks(ys, names)
    ax.set_xlabel(_t("projects", lang))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(_t("pipeline", lang))
    if shown:
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _style_text(ax, lang)
    return ax


def plot_training(result: Training, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Draw, per skill a training taught, how many attendees gained it (new) and how
    many raised it.

    Parameters
    ----------
    result : Training
        From :func:`vchuang.incubator.record_training`.
    ax : Axes, optional
        Where to draw; a new figure's axes by default.
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    Axes
        The axes drawn on.

    See Also
    --------
    vchuang.incubator.Training.plot : the same figure, from the result.
    """
    lang = label_lang(lang)
    ax = new_axes(ax)
    skills: list[str] = []
    for c in result.skills:
        if c.skill not in skills:
            skills.append(c.skill)
    new = [sum(1 for c in result.skills if c.skill == s and c.before is None) for s in skills]
    raised = [
        sum(1 for c in result.skills if c.skill == s and c.before is not None) for s in skills
    ]
    ys = list(range(len(skills)))[::-1]
    ax.barh(ys, new, color=COLORS["talent"], label=_t("new", lang))
    ax.barh(ys, raised, left=new, color=COLORS["volunteer"], label=_t("raised", lang))
    ax.set_yticks(ys, skills)
    ax.set_xlabel(_t("changes", lang))
    ax.set_title(f"{_t('training', lang)}: {result.activity}")
    ax.legend(loc="lower right", frameon=False)
    _style_text(ax, lang)
    return ax


def plot_linkage(result: LinkProposals, ax: Axes | None = None, *, lang: str = "en") -> Axes:
    """Draw, per open need, how many candidates were proposed at each level
    (community, street, district); needs without any show an empty row.

    Parameters
    ----------
    result : LinkProposals
        From :func:`vchuang.incubator.propose_links`.
    ax : Axes, optional
        Where to draw; a new figure's axes by default.
    lang : {"en", "zh"}
        Label language.

    Returns
    -------
    Axes
        The axes drawn on.

    See Also
    --------
    vchuang.incubator.LinkProposals.plot : the same figure, from the result.
    """
    lang = label_lang(lang)
    ax = new_axes(ax)
    needs = [n.need for n in result.open_needs]
    ys = list(range(len(needs)))[::-1]
    left = [0] * len(needs)
    colors = (COLORS["community"], COLORS["subdistrict"], COLORS["district"])
    for level, color in zip(LEVELS, colors, strict=True):
        widths = [sum(1 for p in result.for_need(n) if p.level == level) for n in needs]
        name = text(f"incubator.level.{level}", lang)
        ax.barh(ys, widths, left=left, color=color, label=name)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(ys, needs)
    ax.set_xlabel(_t("candidates", lang))
    ax.set_title(_t("linkage", lang))
    ax.legend(loc="lower right", frameon=False)
    _style_text(ax, lang)
    return ax


@draw.register(Funnel)
def _draw_funnel(result: Funnel, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_funnel(result, ax, **kwargs)


@draw.register(Pipeline)
def _draw_pipeline(result: Pipeline, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_pipeline(result, ax, **kwargs)


@draw.register(Training)
def _draw_training(result: Training, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_training(result, ax, **kwargs)


@draw.register(LinkProposals)
def _draw_linkage(result: LinkProposals, /, *, ax: Axes | None = None, **kwargs: Any) -> Axes:
    return plot_linkage(result, ax, **kwargs)
