"""Hypothesis strategies for every record of vchuang and for whole community graphs.

``graphs()`` builds a valid graph from the top of the hierarchy down, so that every
reference resolves; ``documents()`` gives the same as a JSON-ready dict. Other test
modules import from here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from vchuang import (
    Activity,
    ActivityKind,
    AgeBand,
    Call,
    Community,
    CommunityGraph,
    District,
    Group,
    Level,
    Link,
    Metadata,
    Need,
    Organization,
    OrgKind,
    Project,
    Proposal,
    Relation,
    Resident,
    Resource,
    ResourceKind,
    Role,
    Segment,
    SkillLevel,
    Stage,
    Subdistrict,
    default_taxonomy,
)

SKILLS = [s.id for s in default_taxonomy()]
THEMES = ["anti_fraud", "dog_ownership", "elder_culture", "traffic_safety", "mental_health"]

# IDs: short, printable, may contain Chinese; never empty or space-padded.
ids = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-_平南荷坳禾花"),
    min_size=1,
    max_size=8,
)
# any valid Unicode text: records refuse NUL and lone surrogates (category Cs)
_chars = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
names = st.text(_chars, min_size=1, max_size=12).filter(lambda s: s.strip() != "")
texts = st.text(_chars, max_size=20)
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2025, 12, 31))
hours = st.one_of(st.integers(0, 40), st.floats(0, 40, allow_nan=False, allow_infinity=False))
fen = st.integers(0, 10_000_000)
skill_levels = st.builds(SkillLevel, skill=st.sampled_from(SKILLS), level=st.sampled_from(Level))


def _unique_by(items: list[Any], key: Any) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


skill_sets = st.lists(skill_levels, max_size=4).map(lambda xs: _unique_by(xs, lambda s: s.skill))


@st.composite
def needs(draw: st.DrawFn, prefix: str = "n") -> Need:
    """A skill need (mostly) or a resource need."""
    need_id = f"{prefix}-{draw(ids)}"
    if draw(st.booleans()) or draw(st.booleans()):
        return Need(
            id=need_id,
            skill=draw(st.sampled_from(SKILLS)),
            hours=draw(st.integers(1, 20)),
            people=draw(st.integers(1, 4)),
            min_level=draw(st.sampled_from(Level)),
            note=draw(texts),
        )
    return Need(id=need_id, resource=draw(st.sampled_from(ResourceKind)))


@st.composite
def graphs(draw: st.DrawFn, *, max_residents: int = 12) -> CommunityGraph:
    """A valid community graph with every kind of record and link."""
    g = CommunityGraph(
        metadata=draw(st.builds(Metadata, title=texts, description=texts, as_of=st.none() | dates))
    )
    taken: set[str] = set()

    def fresh(prefix: str) -> str:
        base = f"{prefix}{draw(ids)}"
        while base in taken:
            base += "x"
        taken.add(base)
        return base

    district = District(id=fresh("d"), name=draw(names), name_zh=draw(texts))
    subs = [
        Subdistrict(id=fresh("s"), name=draw(names), district=district.id)
        for _ in range(draw(st.integers(1, 2)))
    ]
    comms = [
        Community(
            id=fresh("c"),
            name=draw(names),
            subdistrict=draw(st.sampled_from(subs)).id,
            population=draw(st.none() | st.integers(0, 50_000)),
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    places = [district.id, *(s.id for s in subs), *(c.id for c in comms)]
    segments = [
        Segment(
            id=fresh("seg"),
            name=draw(names),
            place=draw(st.none() | st.sampled_from(places)),
            population=draw(st.none() | st.integers(0, 5000)),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    seg_ids = [s.id for s in segments]
    orgs: list[Organization] = []
    for _ in range(draw(st.integers(0, 3))):
        orgs.append(
            Organization(
                id=fresh("o"),
                name=draw(names),
                org_kind=draw(st.sampled_from(OrgKind)),
                place=draw(st.sampled_from(places)),
                parent=draw(st.none() | st.sampled_from([o.id for o in orgs] or [None])),
            )
        )
    comm_ids = [c.id for c in comms]
    residents = [
        Resident(
            id=fresh("r"),
            name=draw(names),
            community=draw(st.sampled_from(comm_ids)),
            birth_year=draw(st.none() | st.integers(1930, 2020)),
            age_band=draw(st.none() | st.sampled_from(AgeBand)),
            segments=draw(
                st.lists(st.sampled_from(seg_ids), unique=True) if seg_ids else st.just([])
            ),
            skills=draw(skill_sets),
            interests=draw(st.lists(st.sampled_from(THEMES), unique=True, max_size=2)),
            hours_per_week=draw(hours),
            roles=draw(st.lists(st.sampled_from(Role), unique=True, max_size=2)),
            consent_to_name=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(1, max_residents)))
    ]
    res_ids = [r.id for r in residents]
    groups = [
        Group(
            id=fresh("g"),
            name=draw(names),
            community=draw(st.sampled_from(comm_ids)),
            themes=draw(st.lists(st.sampled_from(THEMES), unique=True, max_size=2)),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    projects = []
    for _ in range(draw(st.integers(0, 3))):
        pid = fresh("p")
        projects.append(
            Project(
                id=pid,
                name=draw(names),
                community=draw(st.sampled_from(comm_ids)),
                themes=draw(st.lists(st.sampled_from(THEMES), unique=True, max_size=2)),
                stage=draw(st.sampled_from(Stage)),
                needs=_unique_by(draw(st.lists(needs(prefix=pid), max_size=3)), lambda n: n.id),
                target_segments=draw(
                    st.lists(st.sampled_from(seg_ids), unique=True) if seg_ids else st.just([])
                ),
                budget_fen=draw(fen),
                started=draw(st.none() | dates),
            )
        )
    proj_ids = [p.id for p in projects]
    activities = []
    for _ in range(draw(st.integers(0, 4))):
        attendees = draw(st.lists(st.sampled_from(res_ids), unique=True, max_size=6))
        extra = draw(st.none() | st.integers(0, 200))
        activities.append(
            Activity(
                id=fresh("a"),
                name=draw(names),
                activity_kind=draw(st.sampled_from(ActivityKind)),
                date=draw(dates),
                place=draw(st.sampled_from(places)),
                project=draw(st.none() | st.sampled_from(proj_ids)) if proj_ids else None,
                organisers=draw(st.lists(st.sampled_from(res_ids), unique=True, max_size=2)),
                attendees=attendees,
                attendance=None if extra is None else len(attendees) + extra,
                hours=draw(hours),
                skills=draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=2)),
            )
        )
    providers = [o.id for o in orgs] + res_ids
    resources = [
        Resource(
            id=fresh("x"),
            name=draw(names),
            resource_kind=draw(st.sampled_from(ResourceKind)),
            place=draw(st.sampled_from(places)),
            provider=draw(st.none() | st.sampled_from(providers)),
            capacity=draw(st.none() | hours),
            amount_fen=draw(st.none() | fen),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    calls = [
        Call(
            id=fresh("call"),
            name=draw(names),
            place=draw(st.sampled_from(places)),
            opens=draw(st.none() | dates),
            budget_fen=draw(fen),
        )
        for _ in range(draw(st.integers(0, 1)))
    ]
    proposals = []
    for call in calls:
        for _ in range(draw(st.integers(0, 3))):
            pid = fresh("idea")
            proposals.append(
                Proposal(
                    id=pid,
                    name=draw(names),
                    call=call.id,
                    proposers=draw(st.lists(st.sampled_from(res_ids), unique=True, max_size=3)),
                    cost_fen=draw(fen),
                    needs=_unique_by(draw(st.lists(needs(prefix=pid), max_size=2)), lambda n: n.id),
                    project=draw(st.none() | st.sampled_from(proj_ids)) if proj_ids else None,
                )
            )
    g.add(
        district,
        *subs,
        *comms,
        *segments,
        *orgs,
        *residents,
        *groups,
        *projects,
        *activities,
        *resources,
        *calls,
        *proposals,
    )
    # explicit links, one of each allowed shape where the kinds exist
    candidates: list[Link] = []
    pairs = draw(
        st.lists(st.tuples(st.sampled_from(res_ids), st.sampled_from(res_ids)), max_size=10)
    )
    candidates += [
        Link(source=a, relation=Relation.KNOWS, target=b, weight=draw(st.integers(1, 5)))
        for a, b in pairs
        if a != b
    ]
    if proj_ids:
        for rel in (Relation.LEADS, Relation.CO_LEADS, Relation.VOLUNTEERS_IN):
            for r in draw(st.lists(st.sampled_from(res_ids), unique=True, max_size=2)):
                candidates.append(
                    Link(
                        source=r,
                        relation=rel,
                        target=draw(st.sampled_from(proj_ids)),
                        hours=draw(st.none() | st.integers(1, 10)),
                        since=draw(st.none() | dates),
                    )
                )
        for o in orgs[:2]:
            candidates.append(
                Link(
                    source=o.id, relation=Relation.SUPPORTS, target=draw(st.sampled_from(proj_ids))
                )
            )
        for x in resources:
            candidates.append(
                Link(
                    source=x.id, relation=Relation.LINKED_TO, target=draw(st.sampled_from(proj_ids))
                )
            )
    for grp in groups:
        for r in draw(st.lists(st.sampled_from(res_ids), unique=True, max_size=3)):
            candidates.append(Link(source=r, relation=Relation.MEMBER_OF, target=grp.id))
    g.add(*_unique_by(candidates, lambda x: x.key))
    return g


# ------------------------------------------------------------------ single records
# One strategy per record class, with references that need not resolve (for tests of the
# records and the converter alone; use `graphs()` for valid whole graphs).

refs = ids.map(lambda s: f"ref-{s}")
ref_lists = st.lists(refs, unique=True, max_size=3)
themes = st.lists(st.sampled_from(THEMES), unique=True, max_size=2)

RECORDS: dict[type[Any], st.SearchStrategy[Any]] = {
    District: st.builds(District, id=ids, name=names, name_zh=texts),
    Subdistrict: st.builds(Subdistrict, id=ids, name=names, district=refs),
    Community: st.builds(
        Community,
        id=ids,
        name=names,
        subdistrict=refs,
        population=st.none() | st.integers(0, 10**6),
    ),
    Segment: st.builds(
        Segment,
        id=ids,
        name=names,
        place=st.none() | refs,
        population=st.none() | st.integers(0, 10**6),
    ),
    Organization: st.builds(
        Organization,
        id=ids,
        name=names,
        org_kind=st.sampled_from(OrgKind),
        place=refs,
        parent=st.none() | refs,
    ),
    Group: st.builds(Group, id=ids, name=names, community=refs, themes=themes),
    Resident: st.builds(
        Resident,
        id=ids,
        name=names,
        community=refs,
        birth_year=st.none() | st.integers(1900, 2025),
        age_band=st.none() | st.sampled_from(AgeBand),
        segments=ref_lists,
        skills=skill_sets,
        interests=themes,
        hours_per_week=hours,
        roles=st.lists(st.sampled_from(Role), unique=True, max_size=3),
        consent_to_name=st.booleans(),
        household=st.none() | refs,
    ),
    Need: needs(),
    Project: st.builds(
        Project,
        id=ids,
        name=names,
        community=refs,
        themes=themes,
        stage=st.sampled_from(Stage),
        needs=st.lists(needs(), max_size=3).map(lambda xs: _unique_by(xs, lambda n: n.id)),
        target_segments=ref_lists,
        budget_fen=fen,
        started=st.none() | dates,
        description=texts,
    ),
    Activity: st.builds(
        Activity,
        id=ids,
        name=names,
        activity_kind=st.sampled_from(ActivityKind),
        date=dates,
        place=refs,
        project=st.none() | refs,
        organisers=ref_lists,
        attendees=ref_lists,
        hours=hours,
        skills=st.lists(st.sampled_from(SKILLS), unique=True, max_size=2),
    ),
    Resource: st.builds(
        Resource,
        id=ids,
        name=names,
        resource_kind=st.sampled_from(ResourceKind),
        place=refs,
        provider=st.none() | refs,
        capacity=st.none() | hours,
        amount_fen=st.none() | fen,
    ),
    Call: st.builds(
        Call,
        id=ids,
        name=names,
        place=refs,
        organiser=st.none() | refs,
        opens=st.none() | dates,
        budget_fen=fen,
        themes=themes,
    ),
    Proposal: st.builds(
        Proposal,
        id=ids,
        name=names,
        call=refs,
        proposers=ref_lists,
        themes=themes,
        cost_fen=fen,
        target_segments=ref_lists,
        submitted=st.none() | dates,
        project=st.none() | refs,
    ),
    Link: st.builds(
        Link,
        source=ids.map(lambda s: f"a{s}"),
        relation=st.sampled_from([r for r in Relation if not r.derived]),
        target=ids.map(lambda s: f"b{s}"),
        hours=st.none() | hours,
        weight=st.floats(0, 10, allow_nan=False),
        since=st.none() | dates,
    ),
    SkillLevel: skill_levels,
    Metadata: st.builds(Metadata, title=texts, description=texts, as_of=st.none() | dates),
}
