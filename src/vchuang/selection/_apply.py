"""Selected golden ideas become projects in the graph (private)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import IntegrityError, Problem, ValidationError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.renames import UNSET, renamed

if TYPE_CHECKING:
    from ..graph import CommunityGraph
    from ..model import Link, Project
    from ._override import Overridden, Override
    from ._rules import SelectionResult

__all__ = ["Applied", "apply_selection"]


@attrs.frozen(kw_only=True)
class Applied:
    """What :func:`apply_selection` changed in the graph."""

    call: str
    projects: Mapping[str, str]
    """Proposal → the project it became (new ones only)."""
    links: tuple[tuple[str, str, str], ...]
    """(resident, relation, project) for each link added."""
    skipped: Mapping[str, str]
    """Selected proposals left alone → why (already a project)."""
    overrides: tuple[Override, ...] = attrs.field(default=(), repr=False)
    """The selection meeting's overrides of the outcome applied (empty for a rule's
    own outcome)."""

    def __repr__(self) -> str:
        return (
            f"Applied(call={self.call!r}, projects={len(self.projects)} "
            f"{preview(self.projects.values())}, links={len(self.links)}, "
            f"skipped={len(self.skipped)})"
        )

    def _repr_html_(self) -> str:
        rows = [(p, pr) for p, pr in list(self.projects.items())[:SHOWN]]
        caption = (
            f"Applied to {self.call}: {len(self.projects)} new projects, "
            f"{len(self.links)} links, {len(self.skipped)} skipped"
        )
        return html_table(caption, ("proposal", "project"), rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per selected proposal: the project it became, or why it was skipped."""
        rows: list[dict[str, Any]] = [
            {
                "proposal": p,
                "project": pr,
                "leads": [r for r, rel, t in self.links if t == pr and rel == "leads"],
                "co_leads": [r for r, rel, t in self.links if t == pr and rel == "co_leads"],
                "note": "new project",
            }
            for p, pr in self.projects.items()
        ]
        rows += [
            {"proposal": p, "project": None, "leads": [], "co_leads": [], "note": why}
            for p, why in self.skipped.items()
        ]
        return rows


def apply_selection(
    graph: CommunityGraph,
    result: SelectionResult | Overridden,
    *,
    project_ids: Mapping[str, str] | None = None,
    as_of: dt.date | None = None,
    existing: str = "skip",
    on: Any = UNSET,
) -> Applied:
    """Make each selected proposal a project of the graph, all or nothing.

    For each selected proposal of ``result`` (in selection order) a
    :class:`~vchuang.model.Project` is added at stage ``selected`` (``Stage.SELECTED``,
    see :class:`~vchuang.model.Stage`) with the proposal's names, themes, cost (as
    ``budget_fen``), target segments, description and needs (need IDs get the project's
    ID as prefix, since need IDs are unique in the graph); the proposal's
    ``project`` field is set to it (the derived ``became`` relation); its first proposer
    ``leads`` the project and any others ``co_leads`` it — children included: the
    people who had the idea run it, with their social worker's coaching.

    Parameters
    ----------
    graph
        The graph holding the call (changed in place).
    result
        A :class:`SelectionResult` of :func:`select` on that graph's call, or an
        :class:`Overridden` record of a selection meeting's changes to one: then its
        final outcome (:attr:`Overridden.final`) is applied, and ``Applied.overrides``
        keeps the overrides.
    project_ids
        Proposal → ID of its new project (default ``"<proposal>-project"``).
    as_of
        The date of the selection meeting: the links' ``since``.
    existing
        What to do with a selected proposal that already became a project:
        ``"skip"`` (default; reported in ``Applied.skipped``) or ``"error"``.
    on
        Deprecated name of ``as_of`` (kept for one release, with a
        :class:`DeprecationWarning`).

    Returns
    -------
    Applied
        The new projects, links and skipped proposals.

    Raises
    ------
    ValidationError
        The result has no call, or ``existing="error"`` and a proposal already is a
        project.
    IntegrityError
        A project ID or need ID is taken, or a proposal has no proposer and the call's
        place is not a community. Nothing is changed.

    See Also
    --------
    select : the selection this applies.
    overridden : a selection meeting's recorded changes to it.

    Examples
    --------
    >>> from vchuang.datasets import longgang_pilot
    >>> from vchuang.selection import select
    >>> g = longgang_pilot()
    >>> call = g.calls("heao")[0].id
    >>> fresh = [p.id for p in g.proposals(call) if p.project is None]
    >>> r = select(g, call, rule="greedy", scores={p: 1.0 for p in
    ...            [q.id for q in g.proposals(call)]}, budget=10**9)
    >>> done = apply_selection(g, r)
    >>> sorted(done.projects) == sorted(fresh)
    True
    >>> g[done.projects[fresh[0]]].stage
    <Stage.SELECTED: 'selected'>
    """
    from ..model import Call, Community, Link, Proposal, Relation, Resident, Stage
    from ..model import Project as _Project
    from ._rules import SelectionResult as _SelectionResult

    # mypy's attrs plugin cannot solve the records' generic tuple converters; the record
    # still validates its arguments at run time
    make_project: Callable[..., Project] = _Project
    as_of = renamed("apply_selection", "on", on, "as_of", as_of)
    final = getattr(result, "final", None)
    if isinstance(final, _SelectionResult):
        result = final
    if not isinstance(result, _SelectionResult):
        raise ValidationError(
            [Problem("result", f"expected a SelectionResult or Overridden, got {result!r}")]
        )

    if existing not in ("skip", "error"):
        raise ValidationError(
            [Problem("existing", f"unknown {existing!r}", "use 'skip' or 'error'")]
        )
    if result.call is None:
        raise ValidationError(
            [
                Problem(
                    "result",
                    "the selection was not run on a call of the graph",
                    "run select(graph, call, ...)",
                )
            ]
        )
    call = graph.get(result.call, Call)
    ids = dict(project_ids or {})
    new_projects: list[Project] = []
    links: list[Link] = []
    updated: list[Proposal] = []
    skipped: dict[str, str] = {}
    problems: list[Problem] = []
    for pid in result.selected:
        proposal = graph.get(pid, Proposal)
        if proposal.project is not None:
            why = f"already became project {proposal.project!r}"
            if existing == "error":
                raise ValidationError(
                    [Problem(f"proposal {pid!r}", why, "pass existing='skip' to leave it alone")]
                )
            skipped[pid] = why
            continue
        project_id = ids.get(pid, f"{pid}-project")
        if proposal.proposers:
            community = graph.get(proposal.proposers[0], Resident).community
        elif isinstance(graph.get(call.place), Community):
            community = call.place
        else:
            problems.append(
                Problem(
                    f"proposal {pid!r}",
                    "has no proposer, and the call's place is not a community",
                    "name its proposers",
                )
            )
            continue
        needs = tuple(attrs.evolve(n, id=f"{project_id}-{n.id}") for n in proposal.needs)
        new_projects.append(
            make_project(
                id=project_id,
                name=proposal.name,
                name_zh=proposal.name_zh,
                community=community,
                themes=proposal.themes,
                stage=Stage.SELECTED,
                needs=needs,
                target_segments=proposal.target_segments,
                budget_fen=proposal.cost_fen,
                description=proposal.description,
            )
        )
        for i, rid in enumerate(proposal.proposers):
            relation = Relation.LEADS if i == 0 else Relation.CO_LEADS
            links.append(Link(source=rid, relation=relation, target=project_id, since=as_of))
        updated.append(attrs.evolve(proposal, project=project_id))
    if problems:
        raise IntegrityError(problems)
    taken = [p.id for p in new_projects if p.id in graph]
    if taken:
        raise IntegrityError(
            [
                Problem(
                    f"project {t!r}",
                    "this ID is already in the graph",
                    "pass project_ids={proposal: new_id}",
                )
                for t in taken
            ]
        )
    problems = graph.check([*new_projects, *links])
    problems += graph.check([*new_projects, *updated], replacing=True)
    if problems:
        raise IntegrityError(problems)
    _commit(graph, new_projects, links, updated)
    return Applied(
        call=call.id,
        projects={p.id: p.project for p in updated if p.project is not None},
        links=tuple((x.source, x.relation.value, x.target) for x in links),
        skipped=skipped,
        overrides=result.overrides,
    )


def _commit(
    graph: CommunityGraph, projects: list[Any], links: list[Link], updated: list[Any]
) -> None:
    """Add the projects and links and update the proposals in one all-or-nothing step."""
    graph.change(add=[*projects, *links], replace=updated)
