"""What the graph shows about a project or a resident on a date (private).

Every incubator check reads the graph through these helpers, so that one rule decides
what counts as evidence on a date:

* a dated record (an :class:`~vchuang.model.Activity`) counts when it is dated on or
  before the day;
* a link counts when its ``since`` is on or before the day and its ``until`` (if any)
  on or after it; a link without dates always counts;
* undated facts (a resident's skills, a project's budget) always count;
* ``day=None`` means "whatever the graph holds now": every record counts.
"""

from __future__ import annotations

import datetime as dt

from ..graph import CommunityGraph
from ..kernel.money import format_fen
from ..kernel.said import Said, Words
from ..kernel.text import text
from ..model import Activity, ActivityKind, Level, Link, Relation, Resident

__all__ = [
    "activities_of",
    "attached",
    "by",
    "holds",
    "in_time",
    "lead_ids",
    "level_words",
    "listed",
    "live",
    "skill_evidence",
    "skill_words",
    "trainings_of",
    "yuan",
]


def in_time(when: dt.date | None, day: dt.date | None) -> bool:
    """Whether a fact dated ``when`` (``None``: undated) counts on ``day``."""
    return day is None or when is None or when <= day


def live(link: Link, day: dt.date | None) -> bool:
    """Whether a link holds on ``day``."""
    if day is None:
        return True
    if link.since is not None and link.since > day:
        return False
    return not (link.until is not None and link.until < day)


def lead_ids(
    graph: CommunityGraph, project: str, day: dt.date | None, *, co: bool = False
) -> list[str]:
    """IDs of the residents leading ``project`` on ``day`` (and co-leading if ``co``)."""
    rels = (Relation.LEADS, Relation.CO_LEADS) if co else (Relation.LEADS,)
    out: list[str] = []
    for rel in rels:
        for link in graph.links(relation=rel, target=project):
            if live(link, day) and link.source not in out:
                out.append(link.source)
    return out


def attached(graph: CommunityGraph, project: str, day: dt.date | None) -> list[str]:
    """IDs of everyone attached to a project on ``day``: leads, co-leads, volunteers,
    and the proposers of a golden idea that became it, in that order."""
    out = lead_ids(graph, project, day, co=True)
    for link in graph.links(relation=Relation.VOLUNTEERS_IN, target=project):
        if live(link, day) and link.source not in out:
            out.append(link.source)
    for proposal in graph.proposals():
        if proposal.project == project and in_time(proposal.submitted, day):
            out += [r for r in proposal.proposers if r not in out]
    return out


def activities_of(
    graph: CommunityGraph,
    project: str,
    day: dt.date | None,
    kind: ActivityKind | None = None,
) -> list[Activity]:
    """The project's own activities dated on or before ``day``, by date then ID."""
    found = [
        a
        for a in graph.activities(project=project)
        if (kind is None or a.activity_kind is kind) and in_time(a.date, day)
    ]
    return sorted(found, key=lambda a: (a.date, a.id))


def trainings_of(graph: CommunityGraph, resident: str, day: dt.date | None) -> list[Activity]:
    """The trainings (培训) a resident attended on or before ``day``, by date then ID."""
    found = [
        a
        for a in graph.activities_attended(resident)
        if a.activity_kind is ActivityKind.TRAINING and in_time(a.date, day)
    ]
    return sorted(found, key=lambda a: (a.date, a.id))


def holds(graph: CommunityGraph, resident: Resident, skill: str, level: Level) -> bool:
    """Whether ``resident`` holds ``skill`` (or a more specific one) at ``level`` or above."""
    tax = graph.taxonomy
    return any(
        s.skill in tax and tax.is_a(s.skill, skill) and s.level >= level for s in resident.skills
    )


def skill_evidence(
    graph: CommunityGraph,
    resident: Resident,
    skill: str,
    level: Level,
    day: dt.date | None,
) -> Said | None:
    """Why ``resident`` covers ``skill`` at ``level`` on ``day``, or ``None``.

    A resident covers a skill when they hold it, or a more specific one, at ``level`` or
    above, or attended a training in it (or in a more specific skill) by ``day``.
    """
    tax = graph.taxonomy
    for item in resident.skills:
        if item.skill in tax and tax.is_a(item.skill, skill) and item.level >= level:
            return Said(
                "incubator.evidence.has_skill",
                resident=resident.id,
                skill=skill_words(graph, item.skill),
                level=level_words(item.level),
            )
    for training in trainings_of(graph, resident.id, day):
        for trained in training.skills:
            if trained in tax and tax.is_a(trained, skill):
                return Said(
                    "incubator.evidence.trained",
                    resident=resident.id,
                    training=training.id,
                    date=training.date,
                )
    return None


def yuan(fen: int) -> Words:
    """``123456`` fen as ``'1234.56 yuan'`` (``'1234.56 元'`` in Chinese; exact, no
    float; :func:`~vchuang.kernel.format_fen`)."""
    amount = format_fen(fen)
    return Words(f"{amount} yuan", f"{amount} 元")


def by(day: dt.date | None) -> Words:
    """``" by <day>"`` (``"（截至 <day>）"``), or nothing when ``day`` is ``None``."""
    return Words(f" by {day}", f"（截至 {day}）") if day is not None else Words("", "")


def level_words(level: Level) -> Words:
    """A skill level in both languages (``"basic"``, ``"入门"`` …)."""
    name = level.name.lower()
    return Words(name, text(f"incubator.skill_level.{name}", "zh"))


def skill_words(graph: CommunityGraph, skill: str) -> Words:
    """A skill's label in both languages."""
    tax = graph.taxonomy
    return Words(tax.label(skill), tax.label(skill, "zh"))


def listed(items: list[str] | tuple[str, ...]) -> Words:
    """IDs listed: ``"a, b"`` (``"a、b"``)."""
    return Words(", ".join(items), "、".join(items))
