"""Training sessions (培训) and what they change in residents (private; re-exported by
:mod:`vchuang.incubator`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import IntegrityError, Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..model import Activity, ActivityKind, Level, Resident, Role, SkillLevel

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["RoleChange", "SkillChange", "Training", "record_training"]

#: Residents holding these roles train others; a training never changes their roles.
STAFF_ROLES = (Role.SOCIAL_WORKER, Role.STAFF)


@attrs.frozen(kw_only=True)
class SkillChange:
    """A skill a training gave or raised: ``before`` is ``None`` for a new skill."""

    resident: str
    skill: str
    before: Level | None
    after: Level


@attrs.frozen(kw_only=True)
class RoleChange:
    """A role a training gave a resident."""

    resident: str
    role: Role


@attrs.frozen(kw_only=True)
class Training:
    """What a recorded training changed: skills given or raised, roles given.

    Attendees already at or above the level for a skill have no change for it; staff
    and social workers, and residents already holding the role (or ``LEADER``), have
    no role change.
    """

    activity: str
    date: dt.date
    skills: tuple[SkillChange, ...]
    roles: tuple[RoleChange, ...]

    def __repr__(self) -> str:
        return (
            f"Training(activity={self.activity!r}, date={self.date}, "
            f"skills={len(self.skills)} {preview((c.resident, c.skill) for c in self.skills)}, "
            f"roles={len(self.roles)})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (c.resident, c.skill, c.before.name.lower() if c.before else "", c.after.name.lower())
            for c in self.skills[:SHOWN]
        ]
        caption = f"Training {self.activity}: {len(self.skills)} skill changes"
        return html_table(caption, ("resident", "skill", "before", "after"), rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per change (``kind`` is ``"skill"`` or ``"role"``)."""
        rows: list[dict[str, Any]] = [
            {
                "activity": self.activity,
                "resident": c.resident,
                "kind": "skill",
                "what": c.skill,
                "before": c.before.name.lower() if c.before else "",
                "after": c.after.name.lower(),
            }
            for c in self.skills
        ]
        rows += [
            {
                "activity": self.activity,
                "resident": c.resident,
                "kind": "role",
                "what": c.role.value,
                "before": "",
                "after": c.role.value,
            }
            for c in self.roles
        ]
        return rows

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Skills given or raised, per skill (drawn by ``vchuang.plot.plot_training``)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


def _raise(before: Level | None, level: Level | None) -> Level:
    if level is None:  # one step up, a new skill at BASIC
        return Level.BASIC if before is None else Level(min(before + 1, Level.EXPERT))
    return level if before is None else max(before, level)


def record_training(
    graph: CommunityGraph,
    activity: Activity,
    *,
    level: Level | int | None = None,
    role: Role | str | None = Role.TALENT,
) -> Training:
    """Add a training session to the graph and update what its attendees can do.

    For each named attendee and each skill the training teaches, the attendee's level
    of the skill goes up: a new skill is added, a known one raised. Each attendee who
    is neither staff nor a social worker, and holds neither ``role`` nor ``LEADER``,
    gets ``role`` (by default ``TALENT``: the volunteer becomes a community talent,
    能人). Only named attendees change; organisers (the trainers) do not. The activity
    and every resident change are applied together, or not at all.

    Parameters
    ----------
    graph : CommunityGraph
        The graph to add the training to.
    activity : Activity
        The session: ``activity_kind=TRAINING``, its ``skills`` (what it teaches),
        ``attendees`` (the trainees, by ID) and ``date``. Not yet in the graph.
    level : Level or int, optional
        ``None`` (default): one level up, a new skill at ``BASIC``. A level: every
        attendee reaches at least that level (a new skill at it; a higher one is kept).
    role : Role or str, optional
        The role trainees gain; ``None`` for no role change.

    Returns
    -------
    Training
        Every skill and role change, attendee by attendee in attendee order.

    Raises
    ------
    ValidationError
        The activity is not a training, teaches no skill or names no attendee.
    IntegrityError
        The activity's ID is taken, an attendee is not in the graph, or a skill is not
        in the taxonomy. Nothing is changed.

    See Also
    --------
    funnel : where residents stand on the way to leading projects.

    Notes
    -----
    With :math:`\\ell_{r,s}` the level of skill :math:`s` for resident :math:`r`
    (:math:`0` if absent) and :math:`L` the ``level`` argument, a training teaching
    :math:`S` to attendees :math:`A` sets, for :math:`r \\in A, s \\in S`,
    :math:`\\ell_{r,s} \\leftarrow \\min(\\ell_{r,s} + 1, 4)` when :math:`L` is
    ``None`` and :math:`\\ell_{r,s} \\leftarrow \\max(\\ell_{r,s}, L)` otherwise. This
    is the case's path from engaged resident to talent: candidates are coached in plan
    design, funding application and reimbursement, running an activity, writing a press
    release and public speaking.

    Examples
    --------
    >>> import datetime as dt
    >>> from vchuang import load_example, Activity
    >>> from vchuang.incubator import record_training
    >>> g = load_example()
    >>> done = record_training(g, Activity(
    ...     id="pn-t1", name="Press release workshop", activity_kind="training",
    ...     date=dt.date(2019, 7, 6), place="pingnan", organisers=["pn-sw1"],
    ...     attendees=["pn-r02", "pn-r05"], skills=["press_release"]))
    >>> [(c.resident, c.before, c.after) for c in done.skills]
    [('pn-r02', None, <Level.BASIC: 1>), ('pn-r05', <Level.INTERMEDIATE: 2>, <Level.ADVANCED: 3>)]
    >>> [(c.resident, c.role.value) for c in done.roles]
    [('pn-r02', 'talent'), ('pn-r05', 'talent')]
    >>> g["pn-r05"].skill_level("press_release")
    <Level.ADVANCED: 3>
    """
    if not isinstance(activity, Activity):
        raise ValidationError(
            [Problem("activity", f"must be an Activity, got {type(activity).__name__}")]
        )
    where = f"activity {activity.id!r}"
    problems: list[Problem] = []
    if activity.activity_kind is not ActivityKind.TRAINING:
        problems.append(
            Problem(
                f"{where}.activity_kind",
                f"is {activity.activity_kind.value!r}, not 'training'",
                "record other activities with graph.add",
            )
        )
    if not activity.skills:
        problems.append(
            Problem(
                f"{where}.skills",
                "a training must teach at least one skill",
                "list the skills it teaches, e.g. ['press_release']",
            )
        )
    if not activity.attendees:
        problems.append(
            Problem(f"{where}.attendees", "names no attendee", "list the trainees by resident ID")
        )
    try:
        target = None if level is None else Level(level)
    except ValueError:
        problems.append(Problem("level", f"{level!r} is not a skill level", "use 1 to 4"))
        target = None
    try:
        new_role = None if role is None else Role(role)
    except ValueError:
        problems.append(Problem("role", f"{role!r} is not a role"))
        new_role = None
    if problems:
        raise ValidationError(problems)
    found = graph.check([activity])
    if found:
        raise IntegrityError(found)
    olds: list[Resident] = [graph.get(r, Resident) for r in activity.attendees]
    news: list[Resident] = []
    skill_changes: list[SkillChange] = []
    role_changes: list[RoleChange] = []
    for old in olds:
        levels = {s.skill: s.level for s in old.skills}
        for skill in activity.skills:
            before = levels.get(skill)
            after = _raise(before, target)
            if after != before:
                levels[skill] = after
                skill_changes.append(
                    SkillChange(resident=old.id, skill=skill, before=before, after=after)
                )
        roles = old.roles
        if (
            new_role is not None
            and new_role not in roles
            and Role.LEADER not in roles
            and not any(r in roles for r in STAFF_ROLES)
        ):
            roles = (*roles, new_role)
            role_changes.append(RoleChange(resident=old.id, role=new_role))
        skills = tuple(SkillLevel(skill=k, level=lv) for k, lv in levels.items())
        if skills != old.skills or roles != old.roles:
            news.append(attrs.evolve(old, skills=skills, roles=roles))
    found = graph.check(news, replacing=True)
    if found:
        raise IntegrityError(found)
    graph.add(activity)
    done: list[Resident] = []
    try:
        for new in news:
            graph.update(new)
            done.append(new)
    except Exception:  # undo, then let the error through: all or nothing
        by_id = {r.id: r for r in olds}
        for new in reversed(done):
            graph.update(by_id[new.id])
        graph.remove(activity.id)
        raise
    return Training(
        activity=activity.id,
        date=activity.date,
        skills=tuple(skill_changes),
        roles=tuple(role_changes),
    )
