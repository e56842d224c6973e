"""Resource linkage (资源联动): proposing links from projects' open needs to resources
and organisations across the three-level network (private; re-exported by
:mod:`vchuang.incubator`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from .. import _validators as v
from ..graph import CommunityGraph
from ..io.documents import unstructure
from ..kernel.checks import check_whole
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..kernel.said import Said, Words, said_in, say_in
from ..kernel.text import text
from ..model import (
    Link,
    Need,
    Organization,
    OrgKind,
    Project,
    Relation,
    Resident,
    Resource,
    ResourceKind,
    Stage,
)
from . import _evidence as ev

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "LEVELS",
    "LinkDecision",
    "LinkProposal",
    "LinkProposals",
    "OpenNeed",
    "accept_link",
    "propose_links",
]

#: The three levels of the network, nearest first: the project's community (社区),
#: its street (街道) and its district (区).
LEVELS: tuple[str, ...] = ("community", "subdistrict", "district")

#: Skills a social innovation centre (社会创新中心, ``OrgKind.HUB``) is taken to coach
#: in: those of the default empowerment checklist.
HUB_COACHING: tuple[str, ...] = (
    "plan_design",
    "funding_application",
    "reimbursement",
    "event_organising",
    "press_release",
    "public_speaking",
)

#: Projects at these stages have no open needs to link.
_CLOSED = (Stage.COMPLETED, Stage.SUSTAINED, Stage.DROPPED)

Key = tuple[str, str, str, str]


def _date(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise v.fail(attribute, f"must be a date, got {type(value).__name__}")


@attrs.frozen(kw_only=True)
class OpenNeed:
    """A need of a project that nothing covers yet, and how many candidates were found."""

    project: str
    need: str
    what: str
    """The need in plain words ("venue", "graphic design (intermediate+), 2 people")."""
    reason: str
    """Why it is open."""
    candidates: int
    """How many resources or organisations could cover it (before ``limit``)."""

    def what_in(self, lang: str = "en") -> str:
        """:attr:`what` in ``lang`` (``"en"`` or ``"zh"``)."""
        return say_in(self.what, lang)

    def reason_in(self, lang: str = "en") -> str:
        """:attr:`reason` in ``lang`` (``"en"`` or ``"zh"``)."""
        return say_in(self.reason, lang)


@attrs.frozen(kw_only=True)
class LinkProposal:
    """A proposed link from a resource or organisation to a project with an open need.

    ``relation`` is the link accepting it adds: ``LINKED_TO`` (resource → project),
    ``SUPPORTS`` (organisation → project) or ``FUNDS`` (a fund → project).
    """

    project: str
    need: str
    candidate: str
    candidate_kind: str
    """``"resource"`` or ``"organization"``."""
    relation: Relation
    level: str
    """Where the candidate is: ``"community"``, ``"subdistrict"`` or ``"district"``."""
    distance: int
    """0, 1 or 2 steps up the place hierarchy from the project's community."""
    rank: int
    """1 for the best candidate of this need, 2 for the next …"""
    reasons: tuple[str, ...]

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """``reasons`` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences.

        >>> from vchuang import load_example, Need, Project
        >>> from vchuang.incubator import propose_links
        >>> g = load_example()
        >>> g.add(Project(id="pn-p4", name="Quiet stairwells", community="pingnan",
        ...               needs=[Need(id="pn-p4-room", resource="venue")]))
        >>> print("；".join(propose_links(g, project="pn-p4").best()[0].reasons_in("zh")))
        位于平南社区（项目所在社区，社区一级）；提供场地：党群服务中心活动室，容量 80 people（由平南社区党群服务中心提供）；已经链接到另外 1 个项目
        """
        return said_in(self.reasons, lang)

    @property
    def key(self) -> Key:
        """``(project, need, candidate, relation)``: what a decision refers to."""
        return (self.project, self.need, self.candidate, self.relation.value)

    def link(self, *, since: dt.date | None = None) -> Link:
        """The :class:`~vchuang.model.Link` accepting this proposal adds."""
        return Link(source=self.candidate, relation=self.relation, target=self.project, since=since)


@attrs.frozen(kw_only=True)
class LinkDecision:
    """A proposed link accepted (added to the graph) or rejected, with when, who, why."""

    project: str = attrs.field(validator=v.entity_id)
    need: str = attrs.field(validator=v.entity_id)
    candidate: str = attrs.field(validator=v.entity_id)
    relation: Relation
    accepted: bool
    date: dt.date = attrs.field(validator=_date)
    who: str = attrs.field(validator=v.name)
    why: str = attrs.field(validator=v.name)

    def why_in(self, lang: str = "en") -> str:
        """``why`` in ``lang`` (``"en"`` or ``"zh"``); a reason given by hand, or read
        back from JSON, stays as written."""
        return say_in(self.why, lang)

    @property
    def key(self) -> Key:
        """``(project, need, candidate, relation)``, as :attr:`LinkProposal.key`."""
        return (self.project, self.need, self.candidate, self.relation.value)

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data, by the library's one JSON converter."""
        data: dict[str, Any] = unstructure(self)
        return data


@attrs.frozen(kw_only=True)
class LinkProposals:
    """Open needs and the links proposed for them, nearest level first."""

    open_needs: tuple[OpenNeed, ...]
    proposals: tuple[LinkProposal, ...]

    def __repr__(self) -> str:
        best = preview((p.need, p.candidate) for p in self.best())
        return (
            f"LinkProposals(open_needs={len(self.open_needs)}, "
            f"proposals={len(self.proposals)}, unmatched={len(self.unmatched)}, best={best})"
        )

    def _repr_html_(self) -> str:
        rows = [(p.project, p.need, p.candidate, p.level, p.rank) for p in self.proposals[:SHOWN]]
        caption = f"{len(self.proposals)} proposals for {len(self.open_needs)} open needs"
        return html_table(caption, ("project", "need", "candidate", "level", "rank"), rows)

    @property
    def unmatched(self) -> tuple[OpenNeed, ...]:
        """Open needs for which no candidate was found at any level."""
        return tuple(n for n in self.open_needs if n.candidates == 0)

    def for_need(self, need: str) -> tuple[LinkProposal, ...]:
        """The proposals for one need, best first."""
        return tuple(p for p in self.proposals if p.need == need)

    def best(self) -> tuple[LinkProposal, ...]:
        """The best proposal of each open need that has one."""
        return tuple(p for p in self.proposals if p.rank == 1)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per proposal (open needs without candidates get a row with an empty
        candidate)."""
        what = {n.need: n.what for n in self.open_needs}
        rows: list[dict[str, Any]] = []
        for need in self.open_needs:
            found = self.for_need(need.need)
            if not found:
                rows.append(
                    {
                        "project": need.project,
                        "need": need.need,
                        "what": need.what,
                        "candidate": "",
                        "kind": "",
                        "relation": "",
                        "level": "",
                        "rank": 0,
                        "reasons": need.reason,
                    }
                )
            for p in found:
                rows.append(
                    {
                        "project": p.project,
                        "need": p.need,
                        "what": what[p.need],
                        "candidate": p.candidate,
                        "kind": p.candidate_kind,
                        "relation": p.relation.value,
                        "level": p.level,
                        "rank": p.rank,
                        "reasons": "; ".join(p.reasons),
                    }
                )
        return rows

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Candidates per open need and level (drawn by ``vchuang.plot.plot_linkage``)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


def _level_of(chain: tuple[str, ...], place: str) -> int | None:
    return chain.index(place) if place in chain else None


def _level_reason(graph: CommunityGraph, chain: tuple[str, ...], distance: int) -> str:
    place = graph.get(chain[distance])
    name = getattr(place, "name_zh", "") or getattr(place, "name", place.id)
    level = Words(LEVELS[distance], text(f"incubator.level.{LEVELS[distance]}", "zh"))
    return Said(
        "incubator.linkage.at",
        name=name,
        where=Said(f"incubator.linkage.where.{distance}"),
        level=level,
    )


def _covers(graph: CommunityGraph, resident: Resident, need: Need) -> bool:
    return need.skill is not None and ev.holds(graph, resident, need.skill, need.min_level)


def _kind_words(kind: ResourceKind) -> Words:
    return Words(kind.label(), kind.label("zh"))


def _describe(graph: CommunityGraph, need: Need) -> str:
    if need.resource is not None:
        return _kind_words(need.resource)
    assert need.skill is not None
    people = (
        Words(f", {need.people} people", f"，{need.people} 人")
        if need.people > 1
        else Words("", "")
    )
    return Said(
        "incubator.linkage.skill_need",
        skill=ev.skill_words(graph, need.skill),
        level=ev.level_words(need.min_level),
        people=people,
    )


def _org_strength(
    graph: CommunityGraph, org: Organization, need: Need, coaching: tuple[str, ...]
) -> tuple[int, str] | None:
    """How well an organisation covers a skill need: (members who can, reason)."""
    assert need.skill is not None
    able = [r for r in graph.members(org.id) if _covers(graph, r, need)]
    if able:
        n = len(able)
        key = "incubator.linkage.members" if n > 1 else "incubator.linkage.members_one"
        skill, level = ev.skill_words(graph, need.skill), ev.level_words(need.min_level)
        return n, Said(key, n=n, skill=skill, level=level)
    tax = graph.taxonomy
    if org.org_kind is OrgKind.HUB and any(
        c in tax and need.skill in tax and tax.is_a(need.skill, c) for c in coaching
    ):
        return 0, Said("incubator.linkage.hub", skill=ev.skill_words(graph, need.skill))
    return None


def _load(graph: CommunityGraph, source: str, relations: Iterable[Relation], project: str) -> int:
    return sum(
        1
        for rel in relations
        for link in graph.links(source=source, relation=rel)
        if link.target != project
    )


def _load_reason(n: int, verb: str) -> str:
    """``verb`` is "linked_to", "supports" or "funds"."""
    how = "none" if n == 0 else "one" if n == 1 else "many"
    return Said(f"incubator.linkage.load.{verb}.{how}", n=n)


def _open_reason(graph: CommunityGraph, project: Project, need: Need) -> str | None:
    """Why a need is open, or ``None`` if something covers it."""
    pid = project.id
    if need.resource is not None:
        linked = [
            graph.get(link.source, Resource)
            for link in graph.links(relation=Relation.LINKED_TO, target=pid)
        ]
        if any(r.resource_kind is need.resource for r in linked):
            return None
        if need.resource is ResourceKind.MONEY and graph.links(relation=Relation.FUNDS, target=pid):
            return None
        return Said("incubator.linkage.no_resource", kind=_kind_words(need.resource))
    team = [graph.get(r, Resident) for r in ev.lead_ids(graph, pid, None, co=True)]
    team += [r for r in graph.volunteers(pid) if r not in team]
    able = sum(1 for r in team if _covers(graph, r, need))
    if able >= need.people:
        return None
    supporters = [
        graph.get(link.source, Organization)
        for link in graph.links(relation=Relation.SUPPORTS, target=pid)
    ]
    if any(_org_strength(graph, o, need, HUB_COACHING) for o in supporters):
        return None
    return Said("incubator.linkage.team", able=able, people=need.people)


def propose_links(
    graph: CommunityGraph,
    *,
    project: str | None = None,
    place: str | None = None,
    limit: int = 5,
    exclude: Iterable[Key] = (),
    coaching: Iterable[str] = HUB_COACHING,
) -> LinkProposals:
    """Propose links from projects' open needs to resources and organisations at
    community, street and district level (the three-level network), nearest first.

    A need is *open* when nothing covers it yet:

    * a resource need (``Need.resource``) is covered by a linked resource of that kind
      (``LINKED_TO``); a money need also by any ``FUNDS`` link;
    * a skill need (``Need.skill``) is covered when enough of the project's leads,
      co-leads and volunteers have the skill (or a more specific one) at ``min_level``
      or above, or an organisation supporting it can supply it.

    Candidates come only from the project's own community, its street (subdistrict)
    and its district:

    * for a resource need: resources of that kind (``LINKED_TO``); for money, also
      funds (``OrgKind.FUND``, ``FUNDS``); for a partner, also social organisations
      and companies (``SUPPORTS``);
    * for a skill need: organisations with members who have the skill at the level
      asked, and social innovation centres (``OrgKind.HUB``) for the skills they coach
      (``SUPPORTS``).

    Parameters
    ----------
    graph : CommunityGraph
        The graph.
    project : str, optional
        Only this project; by default every project of ``place`` not completed,
        sustained or dropped.
    place : str, optional
        A community, subdistrict or district; ``None`` for all.
    limit : int
        At most this many proposals per need (the best ones).
    exclude : iterable of tuple
        Proposal keys ``(project, need, candidate, relation)`` not to propose (e.g.
        rejected before).
    coaching : iterable of str
        The skills a social innovation centre coaches in.

    Returns
    -------
    LinkProposals
        The open needs, and for each the proposals ranked by level (nearest first),
        then by strength (more able members first), then by load (fewer other projects
        served first), then by ID. Every proposal carries its reasons.

    Raises
    ------
    ValidationError
        ``limit`` is below 1.
    UnknownEntityError
        ``project`` or ``place`` is not in the graph.

    See Also
    --------
    accept_link : add a proposal to the graph once it is agreed.
    pipeline : projects by incubation stage.
    vchuang.matching.match : residents (rather than resources) for the same needs.
    vchuang.incubator.LinkProposals.plot : the candidates proposed for each open need, by level.

    Notes
    -----
    Ranking is lexicographic on :math:`(\\ell, -m, u, \\mathrm{id})`: :math:`\\ell \\in
    \\{0, 1, 2\\}` the level distance from the project's community, :math:`m` the
    number of members able to help (skill needs), :math:`u` the number of other
    projects the candidate already serves. Preferring the nearest level follows the
    programme's three-level network (区–街道–社区): what the community holds is
    closest to hand, the street and the district back it up. Looking first at what a
    community already has is asset-based community development [1]_.

    References
    ----------
    .. [1] Kretzmann, J. P., & McKnight, J. L. (1993). Building Communities from the
       Inside Out: A Path Toward Finding and Mobilizing a Community's Assets. ACTA
       Publications.

    Examples
    --------
    >>> from vchuang import load_example, Need, Project
    >>> from vchuang.incubator import propose_links
    >>> g = load_example()
    >>> g.add(Project(id="pn-p4", name="Quiet stairwells", community="pingnan", needs=[
    ...     Need(id="pn-p4-room", resource="venue"),
    ...     Need(id="pn-p4-money", skill="funding_application", hours=2)]))
    >>> found = propose_links(g, project="pn-p4")
    >>> [(n.need, n.candidates) for n in found.open_needs]
    [('pn-p4-room', 1), ('pn-p4-money', 2)]
    >>> [(p.candidate, p.level, p.rank) for p in found.for_need("pn-p4-money")]
    [('lgst-sic', 'subdistrict', 1), ('lg-sic', 'district', 2)]
    >>> print("; ".join(found.best()[0].reasons))
    at 平南社区, the project's own community (community level); offers venue: Service centre hall, capacity 80 people (provided by Pingnan Party-Mass Service Centre); already linked to 1 other project
    """
    limit = check_whole(limit, "limit", minimum=1)
    skip = {tuple(k) for k in exclude}
    coach = tuple(coaching)
    if project is not None:
        projects = [graph.get(project, Project)]
    else:
        projects = [p for p in graph.projects(place) if p.stage not in _CLOSED]
    opens: list[OpenNeed] = []
    out: list[LinkProposal] = []
    for proj in projects:
        chain = graph.hierarchy(proj.community)
        for need in proj.needs:
            reason = _open_reason(graph, proj, need)
            if reason is None:
                continue
            found = [
                c
                for c in _candidates(graph, proj, need, chain, coach)
                if (proj.id, need.id, c[3], c[4].value) not in skip
            ]
            found.sort(key=lambda c: c[:4])
            opens.append(
                OpenNeed(
                    project=proj.id,
                    need=need.id,
                    what=_describe(graph, need),
                    reason=reason,
                    candidates=len(found),
                )
            )
            for rank, (distance, _m, _u, cid, rel, kind, reasons) in enumerate(found[:limit], 1):
                out.append(
                    LinkProposal(
                        project=proj.id,
                        need=need.id,
                        candidate=cid,
                        candidate_kind=kind,
                        relation=rel,
                        level=LEVELS[distance],
                        distance=distance,
                        rank=rank,
                        reasons=reasons,
                    )
                )
    return LinkProposals(open_needs=tuple(opens), proposals=tuple(out))


_Candidate = tuple[int, int, int, str, Relation, str, tuple[str, ...]]


def _candidates(
    graph: CommunityGraph,
    project: Project,
    need: Need,
    chain: tuple[str, ...],
    coaching: tuple[str, ...],
) -> list[_Candidate]:
    pid = project.id
    out: list[_Candidate] = []
    if need.resource is not None:
        linked = {link.source for link in graph.links(relation=Relation.LINKED_TO, target=pid)}
        for res in graph.resources(resource_kind=need.resource):
            distance = _level_of(chain, res.place)
            if distance is None or res.id in linked:
                continue
            load = _load(graph, res.id, (Relation.LINKED_TO,), pid)
            reasons = (
                _level_reason(graph, chain, distance),
                _offer(graph, res),
                _load_reason(load, "linked_to"),
            )
            out.append((distance, 0, load, res.id, Relation.LINKED_TO, "resource", reasons))
        if need.resource is ResourceKind.MONEY:
            out += _orgs(
                graph,
                project,
                chain,
                Relation.FUNDS,
                (OrgKind.FUND,),
                Said("incubator.linkage.fund"),
            )
        elif need.resource is ResourceKind.PARTNER:
            out += _orgs(
                graph,
                project,
                chain,
                Relation.SUPPORTS,
                (OrgKind.SOCIAL_ORGANISATION, OrgKind.COMPANY),
                Said("incubator.linkage.partner"),
            )
        return out
    supporting = {link.source for link in graph.links(relation=Relation.SUPPORTS, target=pid)}
    for org in graph.organizations():
        distance = _level_of(chain, org.place)
        if distance is None or org.id in supporting:
            continue
        strength = _org_strength(graph, org, need, coaching)
        if strength is None:
            continue
        load = _load(graph, org.id, (Relation.SUPPORTS,), pid)
        reasons = (
            _level_reason(graph, chain, distance),
            strength[1],
            _load_reason(load, "supports"),
        )
        out.append(
            (distance, -strength[0], load, org.id, Relation.SUPPORTS, "organization", reasons)
        )
    return out


def _orgs(
    graph: CommunityGraph,
    project: Project,
    chain: tuple[str, ...],
    relation: Relation,
    kinds: tuple[OrgKind, ...],
    what: str,
) -> list[_Candidate]:
    done = {link.source for link in graph.links(relation=relation, target=project.id)}
    out: list[_Candidate] = []
    for org in graph.organizations():
        distance = _level_of(chain, org.place)
        if distance is None or org.id in done or org.org_kind not in kinds:
            continue
        load = _load(graph, org.id, (relation,), project.id)
        verb = "funds" if relation is Relation.FUNDS else "supports"
        reasons = (
            _level_reason(graph, chain, distance),
            Said("incubator.linkage.org", name=Words(org.name, org.name_zh or org.name), what=what),
            _load_reason(load, verb),
        )
        out.append((distance, 0, load, org.id, relation, "organization", reasons))
    return out


def _offer(graph: CommunityGraph, res: Resource) -> str:
    none = Words("", "")
    amount = (
        Said("incubator.linkage.amount", amount=ev.yuan(res.amount_fen))
        if res.amount_fen is not None
        else none
    )
    capacity = (
        Said(
            "incubator.linkage.capacity",
            capacity=f"{res.capacity:g}{' ' + res.unit if res.unit else ''}",
        )
        if res.capacity is not None
        else none
    )
    provider: str = none
    if res.provider is not None:
        found = graph.get(res.provider)
        # a resident provider is named by ID only (privacy)
        if isinstance(found, Resident):
            who = Words(found.id, found.id)
        else:
            name = getattr(found, "name", "")
            who = Words(name, getattr(found, "name_zh", "") or name)
        provider = Said("incubator.linkage.provider", who=who)
    return Said(
        "incubator.linkage.offer",
        kind=_kind_words(res.resource_kind),
        name=Words(res.name, res.name_zh or res.name),
        amount=amount,
        capacity=capacity,
        provider=provider,
    )


def accept_link(
    graph: CommunityGraph, proposal: LinkProposal, *, date: dt.date | None = None
) -> Link:
    """Add a proposed link to the graph (``since=date``) and return it.

    Use :meth:`Incubator.accept` to also record the decision.

    Raises
    ------
    IntegrityError
        The link exists already, or an end is no longer in the graph.

    See Also
    --------
    propose_links : the proposals this accepts.

    Examples
    --------
    >>> from vchuang import load_example, Need, Project
    >>> from vchuang.incubator import accept_link, propose_links
    >>> g = load_example()
    >>> g.add(Project(id="pn-p4", name="Quiet stairwells", community="pingnan",
    ...               needs=[Need(id="pn-p4-room", resource="venue")]))
    >>> best = propose_links(g, project="pn-p4").best()[0]
    >>> accept_link(g, best)
    Link(source='pn-hall', relation=<Relation.LINKED_TO: 'linked_to'>, target='pn-p4', hours=None, weight=1.0, since=None, until=None)
    >>> propose_links(g, project="pn-p4").open_needs
    ()
    """
    link = proposal.link(since=date)
    graph.add(link)
    return link
