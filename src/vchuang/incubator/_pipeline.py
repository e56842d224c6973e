"""The pipeline: projects by stage per community, now or on a past date (private;
re-exported by :mod:`vchuang.incubator`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.display import html_table
from ..kernel.plotting import plot
from ..kernel.renames import UNSET, renamed
from ..model import Stage
from ._policy import ORDER

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ._lifecycle import Incubator

__all__ = ["Pipeline", "pipeline"]

#: The stages in pipeline order: the policy's forward order, then dropped.
PIPELINE_STAGES: tuple[Stage, ...] = (*ORDER, Stage.DROPPED)


@attrs.frozen(kw_only=True)
class Pipeline:
    """How many projects stand at each stage, per community."""

    date: dt.date | None
    """The day replayed to; ``None`` for now."""
    place: str | None
    stages: tuple[Stage, ...]
    communities: tuple[str, ...]
    counts: Mapping[str, Mapping[Stage, int]]
    """Community ID → stage → number of projects."""
    projects: tuple[tuple[str, str, Stage], ...]
    """``(project, community, stage)`` for every project, in graph order."""
    names: Mapping[str, tuple[str, str]]
    """Community ID → its English and Chinese names (for figures)."""

    def __repr__(self) -> str:
        totals = {s.value: n for s, n in self.totals.items() if n}
        return (
            f"Pipeline(date={self.date}, place={self.place!r}, "
            f"communities={len(self.communities)}, projects={len(self.projects)}, "
            f"totals={totals})"
        )

    def _repr_html_(self) -> str:
        rows = [(s.value, n) for s, n in self.totals.items() if n]
        caption = f"Pipeline: {len(self.projects)} projects in {len(self.communities)} communities"
        return html_table(caption, ("stage", "projects"), rows)

    @property
    def totals(self) -> dict[Stage, int]:
        """Stage → projects in all communities."""
        return {s: sum(self.counts[c][s] for c in self.communities) for s in self.stages}

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per community: a column per stage and the total."""
        rows = []
        for c in self.communities:
            row: dict[str, Any] = {"community": c}
            row.update({s.value: self.counts[c][s] for s in self.stages})
            row["total"] = sum(self.counts[c].values())
            rows.append(row)
        return rows

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Stacked bars of projects by stage per community (see
        ``vchuang.plot.plot_pipeline``)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


def pipeline(
    graph: CommunityGraph,
    *,
    incubator: Incubator | None = None,
    as_of: dt.date | None = None,
    place: str | None = None,
    date: Any = UNSET,
) -> Pipeline:
    """Projects by stage per community: where the incubator's work stands.

    Parameters
    ----------
    graph : CommunityGraph
        The graph.
    incubator : Incubator, optional
        Needed to replay to a past ``as_of``.
    as_of : date, optional
        Replay the stages to this day (see :meth:`Incubator.state_on`); ``None`` for
        the stages in the graph now. ``date=`` is its deprecated old name.
    place : str, optional
        A community, subdistrict or district; ``None`` for all.

    Returns
    -------
    Pipeline
        The counts per community and stage, and every project's stage.

    Raises
    ------
    ValidationError
        ``as_of`` is given without an ``incubator``.

    See Also
    --------
    funnel : the people's side: how residents move towards leading projects.
    propose_links : resources and organisations for the projects' open needs.
    vchuang.incubator.Pipeline.plot : projects by stage, as bars.

    Examples
    --------
    >>> from vchuang import load_example, Stage
    >>> from vchuang.incubator import pipeline
    >>> p = pipeline(load_example())
    >>> p.to_rows()[0]["running"], p.totals[Stage.RUNNING]
    (3, 3)
    """
    as_of = renamed("pipeline", "date", date, "as_of", as_of)
    if as_of is not None and incubator is None:
        raise ValidationError(
            [
                Problem(
                    "as_of",
                    "replaying to a date needs the incubator's history",
                    "pass incubator=...",
                )
            ]
        )
    found = graph.communities(place)
    communities = tuple(c.id for c in found)
    counts: dict[str, dict[Stage, int]] = {
        c: dict.fromkeys(PIPELINE_STAGES, 0) for c in communities
    }
    rows: list[tuple[str, str, Stage]] = []
    for project in graph.projects(place):
        stage = project.stage
        if as_of is not None and incubator is not None:
            stage = incubator.stage_on(project.id, as_of)
        rows.append((project.id, project.community, stage))
        counts[project.community][stage] += 1
    return Pipeline(
        date=as_of,
        place=place,
        stages=PIPELINE_STAGES,
        communities=communities,
        counts=counts,
        projects=tuple(rows),
        names={c.id: (c.name, c.name_zh) for c in found},
    )
