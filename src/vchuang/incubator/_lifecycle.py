"""The project lifecycle: the incubator that applies the policy, records each move and
replays the history (private; re-exported by :mod:`vchuang.incubator`).

The rules it applies -- the stages, the checklists and the guards -- are in
``_policy.py``; the history's JSON document is in ``_history.py``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._validators import enum_value
from ..errors import Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.display import SHOWN, html_table
from ..kernel.renames import UNSET, renamed
from ..kernel.said import Said, Words
from ..model import (
    Project,
    Resident,
    Stage,
)
from . import _evidence as ev
from . import _history
from ._linkage import LinkDecision, LinkProposal, LinkProposals, propose_links
from ._policy import GUARDS, TRANSITIONS, default_checklists, joined
from ._records import Brand, Check, ChecklistItem, Transition, TransitionRefused, Verdict

if TYPE_CHECKING:
    from ._funnel import Funnel
    from ._pipeline import Pipeline

__all__ = ["Incubator"]


def _check_checklists(
    checklists: Mapping[Stage, Sequence[ChecklistItem]], graph: CommunityGraph
) -> dict[Stage, tuple[ChecklistItem, ...]]:
    problems: list[Problem] = []
    out: dict[Stage, tuple[ChecklistItem, ...]] = {}
    for key, items in checklists.items():
        try:
            stage = Stage(key)
        except ValueError:
            problems.append(Problem(f"checklists[{key!r}]", "is not a stage"))
            continue
        seen: set[str] = set()
        given: Sequence[object] = items
        for i, item in enumerate(given):
            where = f"checklists[{stage.value}][{i}]"
            if not isinstance(item, ChecklistItem):
                problems.append(Problem(where, "must be a ChecklistItem"))
                continue
            if item.id in seen:
                problems.append(Problem(f"{where}.id", f"item ID {item.id!r} given twice"))
            seen.add(item.id)
            if item.skill is not None and item.skill not in graph.taxonomy:
                near = graph.taxonomy.suggest(item.skill)
                hint = f"did you mean {near!r}?" if near else "add it to the graph's taxonomy"
                problems.append(Problem(f"{where}.skill", f"unknown skill {item.skill!r}", hint))
        out[stage] = tuple(i for i in given if isinstance(i, ChecklistItem))
    if problems:
        raise ValidationError(problems)
    return out


# --------------------------------------------------------------------------- incubator


def _as_stage(value: Stage | str, path: str = "to") -> Stage:
    return enum_value(Stage, value, path)


def _as_day(value: object, path: str = "date") -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(
            [
                Problem(
                    path,
                    f"must be a date, got {type(value).__name__}",
                    "give a datetime.date such as date(2019, 9, 21)",
                )
            ]
        )
    return value


def _opt_day(value: object, path: str = "date") -> dt.date | None:
    return None if value is None else _as_day(value, path)


def _label(stage: Stage) -> str:
    return f"{stage.value!r} ({stage.label('zh')})"


def _stage_words(stage: Stage) -> Words:
    """``'empowerment' (种子培力赋能)``, or ``种子培力赋能`` in Chinese."""
    return Words(_label(stage), f"“{stage.label('zh')}”")


class Incubator:
    """Where each project stands in the incubator's standard process, and how it got
    there.

    The incubator wraps a :class:`~vchuang.graph.CommunityGraph`: it changes a
    project's ``stage`` (through :meth:`CommunityGraph.update
    <vchuang.graph.CommunityGraph.update>`) only when every check of the move is met,
    and records each move as an immutable :class:`Transition` (date, who, why). The
    history replays to the stage of every project on any date (:meth:`state_on`) and
    is stored as JSON (:meth:`to_dict`, :meth:`from_dict`).

    Parameters
    ----------
    graph : CommunityGraph
        The graph whose projects the incubator moves.
    checklists : mapping, optional
        Stage → sequence of :class:`ChecklistItem`: what must be done in each step
        before a project leaves it. Defaults to :func:`default_checklists`; pass ``{}``
        for none.
    enforce_checklists : bool
        Whether an unfinished checklist blocks leaving its step (default). When false,
        checklists are only reported.
    history : iterable of Transition, optional
        Transitions recorded earlier (oldest first); they must chain up and end at each
        project's stage in ``graph``.
    brands : iterable of Brand, optional
        Brands recorded earlier.
    decisions : iterable of LinkDecision, optional
        Resource-linkage decisions taken earlier.

    Raises
    ------
    ValidationError
        A checklist names an unknown skill, or ``history`` does not chain up or does
        not end at the graph's stages.

    Notes
    -----
    The lifecycle is a finite-state machine. Its stages are
    :data:`ORDER` plus ``DROPPED``; a project at stage :math:`s` may move to
    :math:`\\operatorname{next}(s)` or to ``DROPPED`` (:data:`TRANSITIONS`), never back.
    A move of project :math:`p` to :math:`t` on day :math:`d` is allowed when

    * the history of :math:`p` holds no move dated after :math:`d`;
    * the guard of :math:`t` holds for :math:`p` on :math:`d` (see :meth:`guard`);
    * every item of the checklist of the stage :math:`p` leaves is done on :math:`d`
      (forward moves only, when ``enforce_checklists``).

    Evidence counts on :math:`d` when it is dated on or before :math:`d` (activities,
    links with ``since``, recorded brands); undated facts (skills, budgets, undated
    links) always count. Replay is a step function: with :math:`H_p` the moves of
    :math:`p` in the order they were made,
    :math:`\\operatorname{stage}_p(d) = \\operatorname{to}(\\max\\{h \\in H_p :
    h.\\mathrm{date} \\le d\\})`, and before the first move, that move's ``from``
    stage; a project with no moves is at its stage in the graph. This is event
    sourcing [1]_: the history is the record, the stages are derived from it.

    References
    ----------
    .. [1] Fowler, M. (2005). Event Sourcing.
       https://martinfowler.com/eaaDev/EventSourcing.html
    .. [2] Harel, D. (1987). Statecharts: a visual formalism for complex systems.
       Science of Computer Programming, 8(3), 231–274.
       https://doi.org/10.1016/0167-6423(87)90035-9

    Examples
    --------
    >>> import datetime as dt
    >>> from vchuang import load_example, Project, Stage
    >>> from vchuang.incubator import Incubator
    >>> g = load_example()
    >>> g.add(Project(id="pn-p4", name="Quiet stairwells", community="pingnan",
    ...               themes=["environment"]))
    >>> inc = Incubator(g)
    >>> inc.move("pn-p4", Stage.PROPOSED, date=dt.date(2019, 10, 8), who="pn-sw1").to_stage
    <Stage.PROPOSED: 'proposed'>
    >>> inc.move("pn-p4", Stage.SELECTED, date=dt.date(2019, 10, 9), who="pn-sw1")
    Traceback (most recent call last):
    ...
    vchuang.incubator.TransitionRefused: project 'pn-p4' -> selected: no project selection meeting (项目征选会) was held for the project or in its community, street or district by 2019-10-09 (hint: record the meeting as an Activity with activity_kind=SELECTION_MEETING)
    >>> g["pn-p4"].stage, len(inc.history)
    (<Stage.PROPOSED: 'proposed'>, 1)
    >>> inc.stage_on("pn-p4", dt.date(2019, 10, 1))
    <Stage.IDEA: 'idea'>
    """

    def __init__(
        self,
        graph: CommunityGraph,
        *,
        checklists: Mapping[Stage, Sequence[ChecklistItem]] | None = None,
        enforce_checklists: bool = True,
        history: Iterable[Transition] = (),
        brands: Iterable[Brand] = (),
        decisions: Iterable[LinkDecision] = (),
    ) -> None:
        if not isinstance(graph, CommunityGraph):
            raise ValidationError(
                [Problem("graph", f"must be a CommunityGraph, got {type(graph).__name__}")]
            )
        self._graph = graph
        self._checklists = _check_checklists(
            default_checklists() if checklists is None else checklists, graph
        )
        self.enforce_checklists = bool(enforce_checklists)
        self._history: list[Transition] = []
        self._by_project: dict[str, list[Transition]] = {}
        self._brands: list[Brand] = []
        self._decisions: list[LinkDecision] = []
        items = list(history)
        problems = _history_problems(items, graph, "history")
        problems += _typed(brands, Brand, "brands") + _typed(decisions, LinkDecision, "decisions")
        if problems:
            raise ValidationError(problems)
        for t in items:
            self._append(t)
        self._brands = list(brands)
        self._decisions = list(decisions)

    # ------------------------------------------------------------------ state

    @property
    def graph(self) -> CommunityGraph:
        """The graph the incubator works on."""
        return self._graph

    @property
    def checklists(self) -> Mapping[Stage, tuple[ChecklistItem, ...]]:
        """Each step's checklist."""
        return dict(self._checklists)

    @property
    def history(self) -> tuple[Transition, ...]:
        """Every transition, in the order it was made."""
        return tuple(self._history)

    @property
    def brands(self) -> tuple[Brand, ...]:
        """Every brand recorded, in the order it was recorded."""
        return tuple(self._brands)

    @property
    def decisions(self) -> tuple[LinkDecision, ...]:
        """Every resource-linkage decision (accepted or rejected), in order."""
        return tuple(self._decisions)

    def history_of(self, project: str) -> tuple[Transition, ...]:
        """The transitions of one project, oldest first."""
        return tuple(self._by_project.get(project, ()))

    def stage(self, project: str) -> Stage:
        """A project's stage now (as the graph holds it)."""
        return self._project(project).stage

    def next_stages(self, project: str) -> tuple[Stage, ...]:
        """The stages a project may move to from where it is (forward first)."""
        return TRANSITIONS[self.stage(project)]

    def _project(self, project: str) -> Project:
        return self._graph.get(project, Project)

    def _append(self, t: Transition) -> None:
        self._history.append(t)
        self._by_project.setdefault(t.project, []).append(t)

    # ------------------------------------------------------------------ replay

    def stage_on(self, project: str, as_of: dt.date | None = None, *, date: Any = UNSET) -> Stage:
        """The stage a project was at on ``as_of``, replayed from the history
        (``date=`` is the deprecated old name of ``as_of``).

        Before its first recorded move a project is taken to be at that move's
        starting stage; a project with no recorded move is at its stage in the graph.

        Raises
        ------
        UnknownEntityError
            The project is neither in the history nor in the graph.
        """
        day = _as_day(renamed("Incubator.stage_on", "date", date, "as_of", as_of), "as_of")
        moves = self._by_project.get(project)
        if not moves:
            return self.stage(project)
        dates = [t.date for t in moves]
        i = bisect.bisect_right(dates, day)
        return moves[i - 1].to_stage if i else moves[0].from_stage

    def state_on(self, as_of: dt.date | None = None, *, date: Any = UNSET) -> dict[str, Stage]:
        """Every project's stage on ``as_of``: the projects of the graph (in its order),
        then any project only the history knows (``date=`` is the deprecated old name
        of ``as_of``).

        Examples
        --------
        >>> import datetime as dt
        >>> from vchuang import load_example
        >>> from vchuang.incubator import Incubator
        >>> inc = Incubator(load_example())
        >>> inc.state_on(dt.date(2019, 12, 31))["pn-p1"]
        <Stage.RUNNING: 'running'>
        """
        day = _as_day(renamed("Incubator.state_on", "date", date, "as_of", as_of), "as_of")
        out = {p.id: self.stage_on(p.id, day) for p in self._graph.projects()}
        for pid in self._by_project:
            if pid not in out:
                out[pid] = self.stage_on(pid, day)
        return out

    def problems(self) -> list[Problem]:
        """Where the graph and the history disagree (a stage changed outside the
        incubator); empty when they agree."""
        out: list[Problem] = []
        for pid, moves in self._by_project.items():
            if pid in self._graph and self.stage(pid) is not moves[-1].to_stage:
                out.append(
                    Problem(
                        f"project {pid!r}.stage",
                        f"the graph says {self.stage(pid).value!r} but the history ends at "
                        f"{moves[-1].to_stage.value!r}",
                        "change stages only through Incubator.move",
                    )
                )
        return out

    # ------------------------------------------------------------------ checks

    def guard(
        self, project: str, to: Stage | str, *, as_of: dt.date | None = None, date: Any = UNSET
    ) -> Check:
        """The condition for entering stage ``to``, checked for ``project`` on ``as_of``.

        ========================  ====================================================
        entering                  needs
        ========================  ====================================================
        proposed                  the idea written down: a golden idea (``Proposal``)
                                  became the project, or it has a description or theme
        selected                  a project selection meeting (项目征选会) for it, or
                                  in its community, street or district
        seed selection            a seed: a lead, co-lead, volunteer or proposer
        empowerment               a lead (a ``LEADS`` link)
        branding                  a trained lead: a lead who attended a training, or
                                  holds every skill of the empowerment checklist
        resource linkage          a brand: one recorded (:meth:`record_brand`), or a
                                  Chinese name (``name_zh``) and an outreach campaign
        running                   money or a resource: a ``LINKED_TO`` resource, a
                                  ``FUNDS`` link, or ``budget_fen > 0``
        completed                 at least one activity of its own
        sustained                 a fund (``OrgKind.FUND``, e.g. a micro-fund 微基金)
                                  funds it, or it held an activity after completion
        dropped                   nothing (the move itself must say why)
        ========================  ====================================================

        Parameters
        ----------
        project : str
            The project's ID.
        to : Stage or str
            The stage to enter.
        as_of : date, optional
            The day to check on; ``None`` counts every record the graph holds.
            ``date=`` is its deprecated old name.

        Returns
        -------
        Check
            ``ok`` and, in plain words, what is missing or what shows it is met.

        Examples
        --------
        >>> from vchuang import load_example
        >>> from vchuang.incubator import Incubator
        >>> inc = Incubator(load_example())
        >>> print(inc.guard("pn-p3", "running").reason)
        budget 1500.00 yuan; resource pn-hall linked (LINKED_TO)
        """
        as_of = renamed("Incubator.guard", "date", date, "as_of", as_of)
        stage = _as_stage(to)
        record = self._project(project)
        day = _opt_day(as_of, "as_of")
        ok, reason, hint = GUARDS[stage](self, record, day)
        return Check(
            id=f"enter_{stage.value}", ok=ok, reason=reason, hint=hint, stage=stage, source="guard"
        )

    def checklist(
        self,
        project: str,
        stage: Stage | str | None = None,
        *,
        as_of: dt.date | None = None,
        date: Any = UNSET,
    ) -> tuple[Check, ...]:
        """The checklist of a step for a project: each item, done or not.

        Parameters
        ----------
        project : str
            The project's ID.
        stage : Stage or str, optional
            The step; defaults to the project's current stage.
        as_of : date, optional
            The day to check on; ``None`` counts every record the graph holds.
            ``date=`` is its deprecated old name.

        Returns
        -------
        tuple of Check
            One per item, in checklist order (empty for a stage without a checklist).

        Examples
        --------
        >>> from vchuang import load_example
        >>> from vchuang.incubator import Incubator
        >>> inc = Incubator(load_example())
        >>> [c.ok for c in inc.checklist("pn-p1", "empowerment")]
        [False, False, False, True, False, True]
        """
        as_of = renamed("Incubator.checklist", "date", date, "as_of", as_of)
        record = self._project(project)
        step = record.stage if stage is None else _as_stage(stage, "stage")
        day = _opt_day(as_of, "as_of")
        return tuple(self._item(record, step, item, day) for item in self._checklists.get(step, ()))

    def _item(
        self, project: Project, step: Stage, item: ChecklistItem, day: dt.date | None
    ) -> Check:
        where = Said(
            "incubator.item.where",
            item=Words(item.en, item.zh or item.en),
            step=step.label("zh"),
        )
        if item.skill is not None:
            for rid in ev.lead_ids(self._graph, project.id, day, co=True):
                found = ev.skill_evidence(
                    self._graph, self._graph.get(rid, Resident), item.skill, item.level, day
                )
                if found is not None:
                    return Check(
                        id=item.id,
                        ok=True,
                        reason=Said("incubator.item.done", where=where, found=found),
                        stage=step,
                        source="checklist",
                    )
            reason = Said(
                "incubator.item.no_skill",
                where=where,
                skill=ev.skill_words(self._graph, item.skill),
                level=ev.level_words(item.level),
                by=ev.by(day),
            )
            skill = Words(repr(item.skill), f"“{self._graph.taxonomy.label(item.skill, 'zh')}”")
            hint = item.hint or Said("incubator.hint.skill", skill=skill)
            return Check(
                id=item.id, ok=False, reason=reason, hint=hint, stage=step, source="checklist"
            )
        assert item.test is not None  # guaranteed by ChecklistItem's validator
        found_text = item.test(self, project, day)
        if found_text:
            return Check(
                id=item.id,
                ok=True,
                reason=Said("incubator.item.done", where=where, found=found_text),
                stage=step,
                source="checklist",
            )
        return Check(
            id=item.id,
            ok=False,
            reason=Said("incubator.item.not_done", where=where, by=ev.by(day)),
            hint=item.hint,
            stage=step,
            source="checklist",
        )

    def check(
        self,
        project: str,
        to: Stage | str | None = None,
        *,
        as_of: dt.date | None = None,
        date: Any = UNSET,
    ) -> Verdict:
        """Whether ``project`` may move to ``to`` on ``as_of``, with every reason.

        Parameters
        ----------
        project : str
            The project's ID.
        to : Stage or str, optional
            The stage to move to; defaults to the next forward stage.
        as_of : date, optional
            The day of the move; ``None`` counts every record the graph holds and
            skips the date-order check. ``date=`` is its deprecated old name.

        Returns
        -------
        Verdict
            Its ``checks`` hold the order check, the date check, the checklist of the
            step being left and the guard of ``to``.

        Raises
        ------
        ValidationError
            The project has no forward stage (dropped or sustained) and ``to`` is not
            given, or ``to`` is not a stage.
        UnknownEntityError
            No such project.

        Examples
        --------
        >>> from vchuang import load_example
        >>> from vchuang.incubator import Incubator
        >>> inc = Incubator(load_example())
        >>> verdict = inc.check("pn-p1")
        >>> verdict.to_stage, verdict.ok
        (<Stage.COMPLETED: 'completed'>, True)
        """
        as_of = renamed("Incubator.check", "date", date, "as_of", as_of)
        record = self._project(project)
        target = self._forward(record) if to is None else _as_stage(to)
        return self._verdict(record, target, _opt_day(as_of, "as_of"))

    def _forward(self, record: Project) -> Stage:
        forward = [s for s in TRANSITIONS[record.stage] if s is not Stage.DROPPED]
        if not forward:
            raise ValidationError(
                [
                    Problem(
                        f"project {record.id!r}",
                        f"a project at {_label(record.stage)} has no next stage",
                    )
                ]
            )
        return forward[0]

    def _verdict(
        self,
        record: Project,
        to: Stage,
        day: dt.date | None,
        extra: Sequence[Check] = (),
    ) -> Verdict:
        checks: list[Check] = []
        allowed = TRANSITIONS[record.stage]
        if to in allowed:
            checks.append(
                Check(
                    id="order",
                    ok=True,
                    source="order",
                    stage=to,
                    reason=Said(
                        "incubator.order.may",
                        from_stage=_stage_words(record.stage),
                        to_stage=_stage_words(to),
                    ),
                )
            )
        else:
            here = _stage_words(record.stage)
            reason: str
            if allowed:
                names = Words(
                    " or ".join(repr(s.value) for s in allowed),
                    "或".join(f"“{s.label('zh')}”" for s in allowed),
                )
                reason = Said("incubator.order.only", from_stage=here, names=names)
            else:
                reason = Said("incubator.order.never", from_stage=here)
            checks.append(
                Check(
                    id="order",
                    ok=False,
                    source="order",
                    stage=to,
                    reason=reason,
                    hint=Said("incubator.order.hint"),
                )
            )
        moves = self._by_project.get(record.id)
        if day is not None and moves and moves[-1].date > day:
            checks.append(
                Check(
                    id="date",
                    ok=False,
                    source="record",
                    stage=to,
                    reason=Said(
                        "incubator.record.date",
                        project=repr(record.id),
                        last=moves[-1].date,
                        day=day,
                    ),
                    hint=Said("incubator.record.date_hint"),
                )
            )
        checks.extend(extra)
        if to in allowed:
            if to is not Stage.DROPPED and self.enforce_checklists:
                checks.extend(
                    self._item(record, record.stage, item, day)
                    for item in self._checklists.get(record.stage, ())
                )
            checks.append(self.guard(record.id, to, as_of=day))
        return Verdict(
            project=record.id, from_stage=record.stage, to_stage=to, date=day, checks=tuple(checks)
        )

    def blockers(
        self, project: str, *, as_of: dt.date | None = None, date: Any = UNSET
    ) -> tuple[Check, ...]:
        """What stops a project from taking its next step, in plain words.

        The unmet checks of the move to the next forward stage: unfinished items of the
        current step's checklist, then the guard of the next stage. Empty when nothing
        blocks the project, or when it has no next stage (dropped, sustained).

        Parameters
        ----------
        project : str
            The project's ID.
        as_of : date, optional
            The day to check on; ``None`` counts every record the graph holds.
            ``date=`` is its deprecated old name.

        Returns
        -------
        tuple of Check
            The unmet checks; ``str(check)`` reads as a sentence with a hint.

        Examples
        --------
        >>> from vchuang import load_example, Project
        >>> from vchuang.incubator import Incubator
        >>> g = load_example()
        >>> g.add(Project(id="pn-p4", name="Quiet stairwells", community="pingnan",
        ...               stage="seed_selection", themes=["environment"]))
        >>> for b in Incubator(g).blockers("pn-p4"):
        ...     print(b.reason)
        say whom the project serves (服务对象) (种子遴选 checklist): not done
        the project has no lead: no resident has a LEADS link to it, and empowerment (种子培力赋能) trains a project's lead
        """
        as_of = renamed("Incubator.blockers", "date", date, "as_of", as_of)
        record = self._project(project)
        forward = [s for s in TRANSITIONS[record.stage] if s is not Stage.DROPPED]
        if not forward:
            return ()
        failed = self._verdict(record, forward[0], _opt_day(as_of, "as_of")).failed
        if self.enforce_checklists:
            return failed
        return (*(c for c in self.checklist(record.id, as_of=as_of) if not c.ok), *failed)

    # ------------------------------------------------------------------ moves

    def move(
        self, project: str, to: Stage | str, *, date: dt.date, who: str, why: str = ""
    ) -> Transition:
        """Move a project to stage ``to`` on ``date``, if every check is met.

        The project's ``stage`` in the graph changes (and, on entering ``running``, its
        ``started`` date is set if it had none) and a :class:`Transition` is recorded,
        both or neither.

        Parameters
        ----------
        project : str
            The project's ID.
        to : Stage or str
            The stage to move to.
        date : date
            The day of the move; not before the project's last recorded move.
        who : str
            Who decided it (a staff or social-worker ID).
        why : str
            The reason. Needed to drop a project; otherwise defaults to what met the
            guard of ``to`` (the evidence of every check is kept in
            :attr:`Transition.evidence`).

        Returns
        -------
        Transition
            The recorded move.

        Raises
        ------
        TransitionRefused
            A check is not met; it lists every reason. Nothing is changed.
        UnknownEntityError
            No such project.
        ValidationError
            ``to`` is not a stage, or ``date`` is not a date.
        """
        record = self._project(project)
        target = _as_stage(to)
        day = _as_day(date)
        extra: list[Check] = []
        who_text = str(who or "").strip()
        if not who_text:
            extra.append(
                Check(
                    id="who",
                    ok=False,
                    source="record",
                    stage=target,
                    reason=Said("incubator.record.who"),
                    hint=Said("incubator.record.who_hint"),
                )
            )
        if not isinstance(why, str):
            raise ValidationError([Problem("why", f"must be text, got {type(why).__name__}")])
        if target is Stage.DROPPED and not why.strip():
            extra.append(
                Check(
                    id="why",
                    ok=False,
                    source="record",
                    stage=target,
                    reason=Said("incubator.record.why"),
                    hint=Said("incubator.record.why_hint"),
                )
            )
        verdict = self._verdict(record, target, day, extra)
        if not verdict.ok:
            raise TransitionRefused(verdict)
        evidence = tuple(c.reason for c in verdict.checks if c.source in ("guard", "checklist"))
        entering = [c.reason for c in verdict.checks if c.source == "guard"]
        transition = Transition(
            project=record.id,
            from_stage=record.stage,
            to_stage=target,
            date=day,
            who=who_text,
            why=why.strip() or (joined(entering) if entering else Said("incubator.record.allowed")),
            evidence=evidence,
        )
        changes: dict[str, Any] = {"stage": target}
        if target is Stage.RUNNING and record.started is None:
            changes["started"] = day
        self._graph.update(record.id, **changes)
        self._append(transition)
        return transition

    def advance(self, project: str, *, date: dt.date, who: str, why: str = "") -> Transition:
        """Move a project to its next forward stage (see :meth:`move`).

        Raises
        ------
        TransitionRefused
            A check is not met (every reason listed); nothing is changed.
        ValidationError
            The project has no next stage.
        """
        return self.move(
            project, self._forward(self._project(project)), date=date, who=who, why=why
        )

    def drop(self, project: str, *, date: dt.date, who: str, why: str) -> Transition:
        """Drop a project (see :meth:`move`); ``why`` is required."""
        return self.move(project, Stage.DROPPED, date=date, who=who, why=why)

    # ------------------------------------------------------------------ brands

    def record_brand(
        self,
        project: str,
        *,
        name: str,
        date: dt.date,
        who: str,
        name_zh: str = "",
        logo: str = "",
    ) -> Brand:
        """Record a project's brand (品牌创建): the name residents know it by, and
        optionally a Chinese name and a logo. It counts from ``date`` on.

        Returns
        -------
        Brand
            The recorded brand.

        Raises
        ------
        UnknownEntityError
            No such project.
        ValidationError
            An empty name or who, or ``date`` not a date.
        """
        self._project(project)
        brand = Brand(
            project=project, name=name, name_zh=name_zh, logo=logo, date=_as_day(date), who=who
        )
        self._brands.append(brand)
        return brand

    def brand_of(
        self, project: str, *, as_of: dt.date | None = None, date: Any = UNSET
    ) -> Brand | None:
        """The project's latest brand recorded on or before ``as_of`` (any date if
        ``None``), or ``None``. ``date=`` is the deprecated old name of ``as_of``."""
        as_of = renamed("Incubator.brand_of", "date", date, "as_of", as_of)
        day = _opt_day(as_of, "as_of")
        found = [b for b in self._brands if b.project == project and ev.in_time(b.date, day)]
        return max(found, key=lambda b: b.date) if found else None

    # ------------------------------------------------------------------ analyses

    def pipeline(
        self, *, as_of: dt.date | None = None, place: str | None = None, date: Any = UNSET
    ) -> Pipeline:
        """Projects by stage per community (see :func:`pipeline`); ``date=`` is the
        deprecated old name of ``as_of``."""
        from ._pipeline import pipeline

        as_of = renamed("Incubator.pipeline", "date", date, "as_of", as_of)
        return pipeline(self._graph, incubator=self, as_of=as_of, place=place)

    def funnel(
        self,
        *,
        place: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Funnel:
        """The people's funnel, dated with this history too (see :func:`funnel`)."""
        from ._funnel import funnel

        return funnel(self._graph, incubator=self, place=place, start=start, end=end)

    def propose_links(
        self, *, project: str | None = None, place: str | None = None, limit: int = 5
    ) -> LinkProposals:
        """Proposed resource links for open needs, leaving out rejected ones (see
        :func:`propose_links`)."""
        rejected = {d.key for d in self._decisions if not d.accepted}
        return propose_links(
            self._graph, project=project, place=place, limit=limit, exclude=rejected
        )

    def accept(
        self, proposal: LinkProposal, *, date: dt.date, who: str, why: str = ""
    ) -> LinkDecision:
        """Accept a proposed link: add it to the graph (``since=date``) and record the
        decision, both or neither.

        Raises
        ------
        IntegrityError
            The link exists already, or an end is no longer in the graph.
        """
        day = _as_day(date)
        decision = LinkDecision(
            project=proposal.project,
            need=proposal.need,
            candidate=proposal.candidate,
            relation=proposal.relation,
            accepted=True,
            date=day,
            who=who,
            why=why or joined(list(proposal.reasons)),
        )
        self._graph.add(proposal.link(since=day))
        self._decisions.append(decision)
        return decision

    def reject(self, proposal: LinkProposal, *, date: dt.date, who: str, why: str) -> LinkDecision:
        """Reject a proposed link; it is not proposed again. ``why`` is required."""
        decision = LinkDecision(
            project=proposal.project,
            need=proposal.need,
            candidate=proposal.candidate,
            relation=proposal.relation,
            accepted=False,
            date=_as_day(date),
            who=who,
            why=why,
        )
        self._decisions.append(decision)
        return decision

    # ------------------------------------------------------------------ JSON

    def to_dict(self) -> dict[str, Any]:
        """The history as JSON-ready data: transitions, brands and link decisions,
        dates as ISO strings.

        Examples
        --------
        >>> import json
        >>> from vchuang import load_example
        >>> from vchuang.incubator import Incubator
        >>> inc = Incubator(load_example())
        >>> json.dumps(inc.to_dict())
        '{"format": "vchuang-incubator", "format_version": 1, "transitions": [], "brands": [], "decisions": []}'
        """
        return _history.write(self.history, self.brands, self.decisions)

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        graph: CommunityGraph,
        *,
        checklists: Mapping[Stage, Sequence[ChecklistItem]] | None = None,
        enforce_checklists: bool = True,
    ) -> Incubator:
        """An incubator over ``graph`` with the history in ``data`` (from
        :meth:`to_dict`, possibly through JSON).

        Raises
        ------
        FormatError
            Listing every problem with its JSON path: a missing or mistyped field, a
            bad date or stage, a history that does not chain up or does not end at the
            graph's stages.

        Examples
        --------
        >>> import datetime as dt
        >>> from vchuang import load_example
        >>> from vchuang.incubator import Incubator
        >>> g = load_example()
        >>> Incubator.from_dict({"format": "vchuang-incubator", "format_version": 1,
        ...                      "transitions": [{"project": "pn-p1", "from": "resource_linkage",
        ...                                       "to": "running", "date": "2019-08-01",
        ...                                       "who": "pn-sw1", "why": "seed money"}]},
        ...                     g).stage_on("pn-p1", dt.date(2019, 7, 1))
        <Stage.RESOURCE_LINKAGE: 'resource_linkage'>
        """
        reader, transitions, brands, decisions = _history.read(data)
        if not reader.problems:
            reader.problems += _history_problems(transitions, graph, "$.transitions")
        reader.raise_if_any()
        return cls(
            graph,
            checklists=checklists,
            enforce_checklists=enforce_checklists,
            history=transitions,
            brands=brands,
            decisions=decisions,
        )

    def __repr__(self) -> str:
        return (
            f"<Incubator: {len(self._graph.projects())} projects, {len(self._history)} transitions>"
        )

    def _repr_html_(self) -> str:
        rows = [
            (t.project, t.from_stage.value, t.to_stage.value, t.date, t.who)
            for t in self._history[-SHOWN:]
        ]
        caption = (
            f"Incubator: {len(self._graph.projects())} projects, "
            f"{len(self._history)} transitions (the last shown)"
        )
        return html_table(caption, ("project", "from", "to", "date", "who"), rows)


# --------------------------------------------------------------------------- history I/O


def _typed(items: Iterable[object], cls: type, path: str) -> list[Problem]:
    return [
        Problem(f"{path}[{i}]", f"must be a {cls.__name__}")
        for i, item in enumerate(items)
        if not isinstance(item, cls)
    ]


def _history_problems(
    transitions: Sequence[Transition], graph: CommunityGraph, path: str
) -> list[Problem]:
    """Every way a history fails to chain up, or to end at the graph's stages."""
    problems = _typed(transitions, Transition, path)
    if problems:
        return problems
    last: dict[str, tuple[int, Transition]] = {}
    for i, t in enumerate(transitions):
        where = f"{path}[{i}]"
        if t.to_stage not in TRANSITIONS[t.from_stage]:
            problems.append(
                Problem(where, f"{t.from_stage.value!r} cannot move to {t.to_stage.value!r}")
            )
        if t.project in last:
            j, prev = last[t.project]
            if prev.to_stage is not t.from_stage:
                problems.append(
                    Problem(
                        f"{where}.from",
                        f"{t.project!r} was at {prev.to_stage.value!r} after move {j}, not at "
                        f"{t.from_stage.value!r}",
                    )
                )
            if t.date < prev.date:
                problems.append(
                    Problem(
                        f"{where}.date",
                        f"{t.date} is before the previous move's {prev.date}",
                        "list each project's moves in date order",
                    )
                )
        last[t.project] = (i, t)
    for pid, (i, t) in last.items():
        if pid not in graph:
            problems.append(
                Problem(
                    f"{path}[{i}].project",
                    f"no project {pid!r} in the graph",
                    "load the history with the graph it was recorded on",
                )
            )
        elif not isinstance(graph.get(pid), Project):
            problems.append(Problem(f"{path}[{i}].project", f"{pid!r} is not a project"))
        elif graph.get(pid, Project).stage is not t.to_stage:
            problems.append(
                Problem(
                    f"{path}[{i}].to",
                    f"the history leaves {pid!r} at {t.to_stage.value!r} but the graph has it at "
                    f"{graph.get(pid, Project).stage.value!r}",
                    "load the history with the graph it was recorded on",
                )
            )
    return problems
