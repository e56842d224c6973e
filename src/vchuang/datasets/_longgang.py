"""The builder of the Longgang pilot dataset (private).

:func:`build_longgang_pilot` makes, from code, the graph that ships as
``vchuang/data/longgang_pilot.json``; :func:`vchuang.datasets.longgang_pilot` reads that
document. Run ``python -m vchuang.datasets._longgang`` to rewrite the document after
changing this file (a test checks that the two agree).

The facts of the case (``CASE.md``: the three pilot communities and their streets, the
"1+N" hubs, 100+ engaged residents, exactly 16 leaders, 10+ projects, Pingnan's designer
leader with 20 neighbours in 3 groups and the Saturday 21 September 2019 campaign he hosted
with his wife, He'ao's July call with 12 golden ideas, the children's "Little Social
Citizens" idea, the project themes, the micro-fund structure) are written out here by
hand. Everything else — every person and name, the ties, most dates, populations and
amounts — is invented, with a fixed seed where it is drawn at random. Minors are named
only "Child (He'ao) 1" and the like.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .. import model as m
from ..graph import CommunityGraph
from ..model import (
    Activity,
    ActivityKind,
    AgeBand,
    Call,
    Community,
    District,
    Entity,
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
    Stage,
    Subdistrict,
)

__all__ = ["AS_OF", "SEED", "build_longgang_pilot", "data_path", "main"]

#: The date the dataset describes (ages, roles and stages are as of then).
AS_OF = dt.date(2019, 12, 31)

#: The seed of every invented detail drawn at random (ties, skills, attendance lists).
SEED = 20190921

_D = dt.date

METADATA = Metadata(
    title="Longgang V-Innovation Space pilot, 2019 (龙岗V创空间试点)",
    description=(
        "The three 2019 pilot communities of Longgang District's grassroots "
        "social-governance incubator V创空间 (Pingnan, He'ao, Hehua): residents, leaders, "
        "groups, self-governance projects, golden ideas, activities, resources and "
        "micro-funds. Programme facts are real; every person is invented."
    ),
    source=(
        "Programme facts (the district-street-community network and its '1+N' hubs; the "
        "pilot communities and their streets; 100+ engaged residents; 16 leaders; 10+ "
        "projects and their themes; Pingnan's design-skilled leader with 20 neighbours in "
        "3 groups and the Saturday 21 September campaign hosted with his wife; He'ao's "
        "July call with 12 golden ideas and the children's 'Little Social Citizens'; the "
        "micro-funds under the Longgang Social Innovation Charity Fund) from public "
        "reporting on Longgang's V创空间. People, names, ties, populations, amounts and "
        "most dates are invented (vchuang.datasets, seed 20190921)."
    ),
    license="CC0-1.0",
    as_of=AS_OF,
)

# --------------------------------------------------------------------------- names

# Invented pseudonyms: a surname and a two-syllable given name, combined so that no
# two people share a name. Minors never get one of these.
_SURNAMES = (
    "Chen", "Li", "Wang", "Zhang", "Liu", "Huang", "Zhao", "Wu", "Zhou", "Xu",
    "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Zheng", "Liang",
    "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao",
    "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang", "Yu", "Du", "Ye", "Cheng",
    "Wei", "Su", "Ding", "Ren", "Lu", "Yao", "Shen", "Zhong", "Fu", "Qiu",
)  # fmt: skip
_GIVEN = (
    "Haoran", "Jiahui", "Xiaoqing", "Zhiwei", "Yuting", "Junjie", "Meiling", "Wenbo",
    "Shufen", "Guoqiang", "Lihua", "Jianguo", "Xiuying", "Zihan", "Yuxuan", "Huimin",
    "Chunmei", "Dehua", "Yanping", "Weidong", "Xinyi", "Qiuyue", "Jinsong", "Baozhu",
    "Ruolan", "Kaiwen", "Songlin", "Yaqin", "Mingyuan", "Fengying", "Hongxia", "Zhenyu",
    "Lanfang", "Shaohua", "Yifan", "Guirong", "Wenjing", "Tianyou", "Suqin", "Jiaming",
    "Peiyu", "Rongsheng", "Xuelian", "Haitao", "Yuzhen", "Chengwu", "Lijuan", "Kangning",
)  # fmt: skip


class _Names:
    """Deterministic, unique pinyin pseudonyms."""

    def __init__(self) -> None:
        self._i = 0
        self._used: set[str] = set()

    def next(self) -> str:
        while True:
            i = self._i
            self._i += 1
            name = (
                f"{_SURNAMES[(i * 7) % len(_SURNAMES)]} {_GIVEN[(i * 11 + i // 48) % len(_GIVEN)]}"
            )
            if name not in self._used:
                self._used.add(name)
                return name


# --------------------------------------------------------------------------- places

_COMMUNITIES = (
    # id, prefix, English, Chinese, subdistrict, population
    ("pingnan", "pn", "Pingnan", "平南社区", "longgang-st", 12_000),
    ("heao", "ha", "He'ao", "荷坳社区", "yuanshan-st", 9_500),
    ("hehua", "hh", "Hehua", "禾花社区", "pinghu-st", 15_000),
)
_STREETS = (
    # id, prefix, English, Chinese
    ("longgang-st", "lgst", "Longgang Subdistrict", "龙岗街道"),
    ("yuanshan-st", "ysst", "Yuanshan Subdistrict", "园山街道"),
    ("pinghu-st", "phst", "Pinghu Subdistrict", "平湖街道"),
)
_STREET_SHORT = {"longgang-st": "Longgang", "yuanshan-st": "Yuanshan", "pinghu-st": "Pinghu"}
_STREET_ZH = {"longgang-st": "龙岗", "yuanshan-st": "园山", "pinghu-st": "平湖"}

# Segment populations per community (invented, plausible for an urban Shenzhen
# community of the given size): id suffix, English, Chinese, population.
_SEGMENTS: dict[str, tuple[tuple[str, str, str, int], ...]] = {
    "pingnan": (
        ("elders", "Elders (60+)", "长者", 1_500),
        ("children", "Children (0–12)", "儿童", 1_800),
        ("youth", "Young people (13–24)", "青少年", 1_700),
        ("migrant-families", "Migrant families", "来深务工家庭", 5_200),
        ("dog-owners", "Dog owners", "养犬居民", 600),
        ("high-rise", "High-rise households", "高层住户", 7_400),
    ),
    "heao": (
        ("elders", "Elders (60+)", "长者", 1_050),
        ("children", "Children (0–12)", "儿童", 1_600),
        ("youth", "Young people (13–24)", "青少年", 1_300),
        ("migrant-families", "Migrant families", "来深务工家庭", 5_100),
        ("dog-owners", "Dog owners", "养犬居民", 420),
    ),
    "hehua": (
        ("elders", "Elders (60+)", "长者", 1_650),
        ("children", "Children (0–12)", "儿童", 2_400),
        ("youth", "Young people (13–24)", "青少年", 2_300),
        ("migrant-families", "Migrant families", "来深务工家庭", 8_600),
        ("dog-owners", "Dog owners", "养犬居民", 700),
        ("builders-children", "Children of migrant builders", "来深建设者子女", 380),
    ),
}


class _Builder:
    """Collects records and links, then adds them to a graph in one call."""

    def __init__(self) -> None:
        self.items: list[Entity | Link] = []
        self.rng = np.random.default_rng(SEED)
        self.names = _Names()
        self.residents: dict[str, m.Resident] = {}
        self._knows: dict[tuple[str, str], int] = {}  # sorted pair -> position in items
        self.engaged: dict[str, list[str]] = {"pingnan": [], "heao": [], "hehua": []}
        self._audience: dict[str, list[str]] = {"pingnan": [], "heao": [], "hehua": []}
        self._minors: dict[str, list[str]] = {"pingnan": [], "heao": [], "hehua": []}
        self._child_no: dict[str, int] = {"pingnan": 0, "heao": 0, "hehua": 0}
        self._teen_no: dict[str, int] = {"pingnan": 0, "heao": 0, "hehua": 0}
        self.workers: dict[str, list[str]] = {}

    # -- primitives

    def add(self, *items: Entity | Link) -> None:
        self.items.extend(items)

    def link(self, source: str, relation: Relation, target: str, **kw: object) -> None:
        self.items.append(Link(source=source, relation=relation, target=target, **kw))  # type: ignore[arg-type]

    def knows(self, a: str, b: str, weight: float = 1.0) -> None:
        """A social tie; given twice, the stronger weight is kept."""
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        found = self._knows.get(key)
        if found is None:
            self._knows[key] = len(self.items)
            self.link(a, Relation.KNOWS, b, weight=weight)
            return
        old = self.items[found]
        assert isinstance(old, Link)
        if weight > old.weight:
            self.items[found] = Link(
                source=old.source, relation=Relation.KNOWS, target=old.target, weight=weight
            )

    def person(
        self,
        rid: str,
        community: str,
        *,
        born: int,
        skills: dict[str, int] | None = None,
        roles: Sequence[Role] = (),
        hours: float = 0.0,
        interests: Sequence[str] = (),
        extra_segments: Sequence[str] = (),
        household: str | None = None,
        building: str | None = None,
        name: str | None = None,
    ) -> str:
        """An adult with an invented name; age segments follow the birth year."""
        age = AS_OF.year - born
        band = AgeBand.from_age(age)
        segments = []
        if age >= 60:
            segments.append(f"{community}-elders")
        if age <= 24:
            segments.append(f"{community}-youth")
        segments += [s for s in extra_segments if s not in segments]
        record = Resident(
            id=rid,
            name=name or self.names.next(),
            community=community,
            birth_year=born,
            age_band=band,
            segments=segments,
            skills=skills or {},
            interests=interests,
            hours_per_week=hours,
            roles=roles,
            household=household or f"{rid}-h",
            building=building,
        )
        self.residents[rid] = record
        self.add(record)
        if set(roles) & {Role.VOLUNTEER, Role.TALENT, Role.LEADER}:
            self.engaged[community].append(rid)
        elif Role.SOCIAL_WORKER not in roles and Role.STAFF not in roles:
            self._audience[community].append(rid)
        return rid

    def minor(
        self,
        rid: str,
        community: str,
        *,
        band: AgeBand,
        household: str | None = None,
        building: str | None = None,
        extra_segments: Sequence[str] = (),
    ) -> str:
        """A child or teenager: flagged by age band, named only by a label."""
        label = _LABEL[community]
        if band is AgeBand.CHILD:
            self._child_no[community] += 1
            name = f"Child ({label}) {self._child_no[community]}"
            segments = [f"{community}-children"]
        else:
            self._teen_no[community] += 1
            name = f"Teen ({label}) {self._teen_no[community]}"
            segments = [f"{community}-youth"]
        segments += list(extra_segments)
        record = Resident(
            id=rid,
            name=name,
            community=community,
            age_band=band,
            segments=segments,
            household=household,
            building=building,
        )
        self.residents[rid] = record
        self.add(record)
        self._minors[community].append(rid)
        return rid

    def pick(self, pool: Sequence[str], k: int, *, exclude: Iterable[str] = ()) -> list[str]:
        """``k`` members of ``pool`` drawn without replacement, in pool order."""
        skip = set(exclude)
        candidates = [x for x in pool if x not in skip]
        k = min(k, len(candidates))
        chosen = self.rng.choice(len(candidates), size=k, replace=False)
        return [candidates[i] for i in sorted(int(c) for c in chosen)]

    def draw_skills(self, pool: Sequence[str], k: int) -> dict[str, int]:
        chosen = self.pick(pool, k)
        levels = self.rng.choice([1, 2, 3, 4], size=len(chosen), p=[0.4, 0.35, 0.2, 0.05])
        return {s: int(lv) for s, lv in zip(chosen, levels, strict=True)}

    def draw_born(self, elder_share: float, youth_share: float) -> int:
        u = float(self.rng.random())
        if u < elder_share:
            return int(self.rng.integers(1940, 1960))
        if u < elder_share + youth_share:
            return int(self.rng.integers(1995, 2002))
        return int(self.rng.integers(1960, 1995))

    def volunteers(
        self,
        community: str,
        prefix: str,
        start: int,
        count: int,
        *,
        skill_pool: Sequence[str],
        themes: Sequence[str],
        buildings: Sequence[str],
        migrant_share: float,
        dog_share: float,
        talents: Sequence[int] = (),
        high_rise_share: float = 0.0,
    ) -> list[str]:
        """``count`` engaged residents with drawn ages, skills, interests, segments."""
        out = []
        for i in range(start, start + count):
            born = self.draw_born(0.3, 0.15)
            extra = []
            if self.rng.random() < migrant_share:
                extra.append(f"{community}-migrant-families")
            if self.rng.random() < dog_share:
                extra.append(f"{community}-dog-owners")
            if self.rng.random() < high_rise_share:
                extra.append(f"{community}-high-rise")
            roles = [Role.VOLUNTEER, Role.TALENT] if i in talents else [Role.VOLUNTEER]
            n_interests = int(self.rng.integers(1, 3))
            out.append(
                self.person(
                    f"{prefix}-r{i:03d}",
                    community,
                    born=born,
                    skills=self.draw_skills(skill_pool, int(self.rng.integers(1, 4))),
                    roles=roles,
                    hours=float(self.rng.integers(2, 11)) / 2,
                    interests=self.pick(themes, n_interests),
                    extra_segments=extra,
                    building=buildings[int(self.rng.integers(len(buildings)))],
                )
            )
        return out

    def audience(
        self,
        community: str,
        prefix: str,
        start: int,
        count: int,
        *,
        buildings: Sequence[str],
        migrant_share: float,
        dog_share: float,
        high_rise_share: float = 0.0,
    ) -> list[str]:
        """``count`` residents who are not engaged: the audience of the projects."""
        out = []
        for i in range(start, start + count):
            born = self.draw_born(0.4, 0.2)
            extra = []
            if self.rng.random() < migrant_share:
                extra.append(f"{community}-migrant-families")
            if self.rng.random() < dog_share:
                extra.append(f"{community}-dog-owners")
            if self.rng.random() < high_rise_share:
                extra.append(f"{community}-high-rise")
            out.append(
                self.person(
                    f"{prefix}-r{i:03d}",
                    community,
                    born=born,
                    extra_segments=extra,
                    building=buildings[int(self.rng.integers(len(buildings)))],
                )
            )
        return out

    def social_workers(self, community: str, prefix: str, skills: list[dict[str, int]]) -> None:
        ids = []
        for i, sk in enumerate(skills, start=1):
            rid = self.person(
                f"{prefix}-sw{i}",
                community,
                born=1988 + 3 * i,
                skills=sk,
                roles=[Role.SOCIAL_WORKER],
                hours=6.0,
            )
            ids.append(rid)
        self.workers[community] = ids

    def tie_within(self, community: str, per_person: int, weight: float = 1.0) -> None:
        """Each engaged resident knows ``per_person`` other engaged residents drawn at
        random, and each audience resident knows one or two engaged residents."""
        engaged = self.engaged[community]
        for rid in engaged:
            for other in self.pick(engaged, per_person, exclude=[rid]):
                self.knows(rid, other, weight)
        for rid in self._audience[community]:
            for other in self.pick(engaged, int(self.rng.integers(1, 3))):
                self.knows(rid, other, 1.0)
        for rid in self.workers.get(community, []):
            for other in self.leaders_of(community):
                self.knows(rid, other, 2.0)

    def leaders_of(self, community: str) -> list[str]:
        return [r for r in self.engaged[community] if Role.LEADER in self.residents[r].roles]

    def meeting_attendees(self, community: str, k: int, *, must: Sequence[str] = ()) -> list[str]:
        drawn = self.pick(self.engaged[community], k, exclude=must)
        return [*must, *drawn]

    def graph(self) -> CommunityGraph:
        graph = CommunityGraph(metadata=METADATA)
        graph.add_all(self.items)
        return graph


_LABEL = {"pingnan": "Pingnan", "heao": "He'ao", "hehua": "Hehua"}


def _need(
    nid: str, skill: str, hours: float, *, people: int = 1, level: int = 1, note: str = ""
) -> Need:
    return Need(
        id=nid, skill=skill, hours=float(hours), people=people, min_level=Level(level), note=note
    )


def _resource_need(nid: str, kind: ResourceKind, note: str = "") -> Need:
    return Need(id=nid, resource=kind, note=note)


# --------------------------------------------------------------------------- structure


def _places_and_bodies(b: _Builder) -> None:
    b.add(District(id="longgang", name="Longgang District", name_zh="龙岗区"))
    for sid, _, en, zh in _STREETS:
        b.add(Subdistrict(id=sid, name=en, name_zh=zh, district="longgang"))
    for cid, _, en, zh, street, population in _COMMUNITIES:
        b.add(Community(id=cid, name=en, name_zh=zh, subdistrict=street, population=population))
    for cid, segments in _SEGMENTS.items():
        for suffix, en, zh, population in segments:
            b.add(
                Segment(id=f"{cid}-{suffix}", name=en, name_zh=zh, place=cid, population=population)
            )
    # "1+N": one district platform, N street centres
    b.add(
        Organization(
            id="lg-sic",
            name="Longgang Social Innovation Centre",
            name_zh="龙岗社会创新中心",
            org_kind=OrgKind.HUB,
            place="longgang",
        )
    )
    for sid, short, _, _ in _STREETS:
        b.add(
            Organization(
                id=f"{short}-sic",
                name=f"{_STREET_SHORT[sid]} Street Social Innovation Centre",
                name_zh=f"{_STREET_ZH[sid]}街道社会创新中心",
                org_kind=OrgKind.HUB,
                place=sid,
                parent="lg-sic",
            )
        )
    for cid, _, en, zh, _, _ in _COMMUNITIES:
        b.add(
            Organization(
                id=f"{cid}-psc",
                name=f"{en} Party–Mass Service Centre",
                name_zh=f"{zh}党群服务中心",
                org_kind=OrgKind.SERVICE_CENTRE,
                place=cid,
            )
        )
    # micro-funds: the district charity fund, its street branches, a fund per community
    b.add(
        Organization(
            id="lg-fund",
            name="Longgang Social Innovation Charity Fund",
            name_zh="龙岗社会创新公益基金",
            org_kind=OrgKind.FUND,
            place="longgang",
        )
    )
    for sid, short, _, _ in _STREETS:
        b.add(
            Organization(
                id=f"{short}-fund",
                name=f"Charity Fund, {_STREET_SHORT[sid]} Street branch",
                name_zh=f"龙岗社会创新公益基金{_STREET_ZH[sid]}街道分部",
                org_kind=OrgKind.FUND,
                place=sid,
                parent="lg-fund",
            )
        )
    street_prefix = {sid: short for sid, short, _, _ in _STREETS}
    for cid, _, en, zh, street, _ in _COMMUNITIES:
        b.add(
            Organization(
                id=f"{cid}-mf",
                name=f"{en} Community Micro-fund",
                name_zh=f"{zh}微基金",
                org_kind=OrgKind.FUND,
                place=cid,
                parent=f"{street_prefix[street]}-fund",
            )
        )
    # partners (invented, generic)
    b.add(
        Organization(
            id="lg-print",
            name="Partner print shop",
            name_zh="合作印刷店",
            org_kind=OrgKind.COMPANY,
            place="longgang",
        ),
        Organization(
            id="ys-traffic",
            name="Traffic police squadron (partner)",
            name_zh="交警中队（合作单位）",
            org_kind=OrgKind.GOVERNMENT,
            place="yuanshan-st",
        ),
    )


# --------------------------------------------------------------------------- Pingnan

_PN_BUILDINGS = tuple(f"pn-b{i:02d}" for i in range(1, 9))


def _pingnan(b: _Builder) -> None:
    c = "pingnan"
    b.social_workers(
        c,
        "pn",
        [
            {"plan_design": 4, "funding_application": 4, "reimbursement": 3, "public_speaking": 3},
            {"volunteer_coordination": 4, "press_release": 3, "counselling": 2},
        ],
    )
    # the design-skilled leader: flexible hours, advertising design, and his wife
    leader = b.person(
        "pn-r001",
        c,
        born=1984,
        skills={"graphic_design": 4, "plan_design": 3, "public_speaking": 2, "photography": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=10.0,
        interests=["high_altitude_throwing", "anti_fraud", "dog_ownership"],
        extra_segments=["pingnan-dog-owners", "pingnan-high-rise"],
        household="pn-h001",
        building="pn-b01",
    )
    spouse = b.person(
        "pn-r002",
        c,
        born=1986,
        skills={"event_organising": 3, "writing": 2},
        roles=[Role.VOLUNTEER],
        hours=4.0,
        interests=["high_altitude_throwing"],
        extra_segments=["pingnan-dog-owners", "pingnan-high-rise"],
        household="pn-h001",
        building="pn-b01",
    )
    b.knows(leader, spouse, 5.0)
    # his 20 neighbours, in three groups of 7, 7 and 6
    group_specs = (
        (
            "pn-g1",
            "Safe from above",
            "高空安全小组",
            "high_altitude_throwing",
            range(3, 10),
            ["press_release", "writing", "photography", "publicity", "event_organising"],
        ),
        (
            "pn-g2",
            "Fraud watchers",
            "反诈小组",
            "anti_fraud",
            range(10, 17),
            ["anti_fraud", "public_speaking", "writing", "mediation", "elder_care"],
        ),
        (
            "pn-g3",
            "Civilised dog walkers",
            "文明养犬小组",
            "dog_ownership",
            range(17, 23),
            ["pet_care", "photography", "social_media", "event_organising"],
        ),
    )
    # the three group co-leads are leaders too
    special: dict[int, tuple[int, dict[str, int], list[str]]] = {
        3: (1979, {"press_release": 3, "writing": 3, "publicity": 2}, ["pingnan-high-rise"]),
        10: (1956, {"anti_fraud": 4, "public_speaking": 3, "bookkeeping": 3}, []),
        17: (1990, {"pet_care": 3, "photography": 2, "social_media": 2}, ["pingnan-dog-owners"]),
    }
    groups: dict[str, list[str]] = {}
    for gid, en, zh, theme, numbers, pool in group_specs:
        b.add(Group(id=gid, name=en, name_zh=zh, community=c, themes=[theme]))
        members = []
        for i in numbers:
            building = _PN_BUILDINGS[(i - 3) % 4]  # the leader's building and its three neighbours
            if i in special:
                born, skills, extra = special[i]
                rid = b.person(
                    f"pn-r{i:03d}",
                    c,
                    born=born,
                    skills=skills,
                    roles=[Role.VOLUNTEER, Role.LEADER],
                    hours=6.0,
                    interests=[theme],
                    extra_segments=extra,
                    building=building,
                )
            else:
                extra = ["pingnan-high-rise"] if b.rng.random() < 0.7 else []
                if theme == "dog_ownership":
                    extra.append("pingnan-dog-owners")
                if b.rng.random() < 0.3:
                    extra.append("pingnan-migrant-families")
                roles = [Role.VOLUNTEER, Role.TALENT] if i in (5, 12, 20) else [Role.VOLUNTEER]
                rid = b.person(
                    f"pn-r{i:03d}",
                    c,
                    born=b.draw_born(0.25, 0.1),
                    skills=b.draw_skills(pool, int(b.rng.integers(1, 3))),
                    roles=roles,
                    hours=float(b.rng.integers(2, 9)) / 2,
                    interests=[theme],
                    extra_segments=extra,
                    building=building,
                )
            members.append(rid)
        groups[gid] = members
        b.link(leader, Relation.LEADS, gid)
        b.link(leader, Relation.MEMBER_OF, gid)
        for rid in members:
            b.link(rid, Relation.MEMBER_OF, gid)
            b.knows(leader, rid, 3.0)  # he formed the groups with his neighbours
        for i, rid in enumerate(members):  # group members know one another
            for other in members[i + 1 :]:
                b.knows(rid, other, 2.0)
    # the elders' cultural integration pair
    elder_lead = b.person(
        "pn-r023",
        c,
        born=1952,
        skills={"performance": 4, "calligraphy": 3, "elder_care": 2, "public_speaking": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=8.0,
        interests=["elder_culture", "intergenerational"],
        extra_segments=["pingnan-migrant-families"],
        building="pn-b06",
    )
    elder_co = b.person(
        "pn-r024",
        c,
        born=1963,
        skills={"event_organising": 3, "elder_care": 3},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=5.0,
        interests=["elder_culture"],
        building="pn-b06",
    )
    b.knows(elder_lead, elder_co, 4.0)
    others = b.volunteers(
        c,
        "pn",
        25,
        16,
        skill_pool=[
            "performance",
            "calligraphy",
            "elder_care",
            "crafts",
            "photography",
            "writing",
            "event_organising",
            "first_aid",
            "it_support",
            "bookkeeping",
        ],
        themes=[
            "elder_culture",
            "intergenerational",
            "high_altitude_throwing",
            "anti_fraud",
            "environment",
        ],
        buildings=_PN_BUILDINGS,
        migrant_share=0.4,
        dog_share=0.15,
        talents=(25,),
        high_rise_share=0.5,
    )
    audience = b.audience(
        c,
        "pn",
        41,
        15,
        buildings=_PN_BUILDINGS,
        migrant_share=0.45,
        dog_share=0.15,
        high_rise_share=0.6,
    )
    children = [
        b.minor(
            f"pn-c{i:02d}",
            c,
            band=AgeBand.CHILD,
            household=b.residents[audience[i]].household,
            building=b.residents[audience[i]].building,
        )
        for i in range(1, 7)
    ]
    teens = [b.minor(f"pn-t{i:02d}", c, band=AgeBand.TEEN) for i in range(1, 3)]
    # projects: the three campaigns and the elders' club
    projects = (
        Project(
            id="pn-p1",
            name="Nothing falls from above",
            name_zh="拒绝高空抛物",
            community=c,
            themes=["high_altitude_throwing", "home_safety"],
            stage=Stage.RESOURCE_LINKAGE,
            needs=[
                _need("pn-p1-design", "graphic_design", 3, level=2),
                _need("pn-p1-press", "press_release", 2, level=2),
                _need("pn-p1-video", "video", 2, level=2, note="a short campaign film"),
                _resource_need("pn-p1-print", ResourceKind.MATERIALS, "posters and banners"),
            ],
            target_segments=["pingnan-high-rise", "pingnan-children"],
            budget_fen=480_000,
            started=_D(2019, 8, 3),
            description="Posters, lobby talks and a Saturday campaign against throwing "
            "objects from height.",
        ),
        Project(
            id="pn-p2",
            name="Don't get cheated",
            name_zh="反诈骗宣传",
            community=c,
            themes=["anti_fraud"],
            stage=Stage.RUNNING,
            needs=[
                _need("pn-p2-talk", "anti_fraud", 3, people=2),
                _need("pn-p2-speak", "public_speaking", 2, level=2),
                _resource_need("pn-p2-venue", ResourceKind.VENUE),
            ],
            target_segments=["pingnan-elders"],
            budget_fen=200_000,
            started=_D(2019, 8, 10),
            description="Talks and quizzes that teach elders the common phone and "
            "investment frauds.",
        ),
        Project(
            id="pn-p3",
            name="Civilised dog ownership",
            name_zh="文明养犬",
            community=c,
            themes=["dog_ownership"],
            stage=Stage.RUNNING,
            needs=[
                _need("pn-p3-pets", "pet_care", 3),
                _need("pn-p3-photo", "photography", 2),
                _need(
                    "pn-p3-media", "social_media", 2, level=3, note="run the group's WeChat account"
                ),
                _resource_need("pn-p3-bags", ResourceKind.MATERIALS, "dog-waste bags"),
            ],
            target_segments=["pingnan-dog-owners"],
            budget_fen=150_000,
            started=_D(2019, 8, 17),
            description="A dog walkers' pledge, leash and clean-up demonstrations.",
        ),
        Project(
            id="pn-p4",
            name="Elders' culture club",
            name_zh="长者文化共融",
            community=c,
            themes=["elder_culture", "intergenerational"],
            stage=Stage.BRANDING,
            needs=[
                _need("pn-p4-perform", "performance", 4, people=2, level=2),
                _need("pn-p4-care", "elder_care", 3),
                _need("pn-p4-calli", "calligraphy", 2, level=2),
                _resource_need("pn-p4-venue", ResourceKind.VENUE),
            ],
            target_segments=["pingnan-elders", "pingnan-migrant-families"],
            budget_fen=260_000,
            started=_D(2019, 9, 1),
            description="Songs, calligraphy and festival gatherings that bring elders who "
            "moved to Shenzhen with their children together with local elders "
            "and grandchildren.",
        ),
    )
    b.add(*projects)
    g1, g2, g3 = (groups[g] for g in ("pn-g1", "pn-g2", "pn-g3"))
    for pid, colead, group in (
        ("pn-p1", "pn-r003", g1),
        ("pn-p2", "pn-r010", g2),
        ("pn-p3", "pn-r017", g3),
    ):
        b.link(leader, Relation.LEADS, pid)
        b.link(colead, Relation.CO_LEADS, pid)
        for rid in group:
            if rid != colead:
                b.link(rid, Relation.VOLUNTEERS_IN, pid, hours=b.residents[rid].hours_per_week / 2)
    b.link(spouse, Relation.VOLUNTEERS_IN, "pn-p1", hours=2.0)
    b.link(elder_lead, Relation.LEADS, "pn-p4")
    b.link(elder_co, Relation.CO_LEADS, "pn-p4")
    club = b.pick(others, 6)
    for rid in club:
        b.link(rid, Relation.VOLUNTEERS_IN, "pn-p4", hours=2.0)
        b.knows(rid, elder_lead, 2.0)
    # a community social organisation seeded by the groups
    b.add(
        Organization(
            id="pn-neighbours",
            name="Pingnan Good Neighbours Volunteer Team",
            name_zh="平南好邻居志愿队",
            org_kind=OrgKind.SOCIAL_ORGANISATION,
            place=c,
        )
    )
    b.link(leader, Relation.LEADS, "pn-neighbours")
    for rid in [spouse, *g1, *g2, *g3, elder_lead, elder_co]:
        b.link(rid, Relation.MEMBER_OF, "pn-neighbours")
    sw1, sw2 = b.workers[c]
    # the process: mobilisation, selection, regular volunteer meetings, training
    neighbours = [*g1, *g2, *g3]
    b.add(
        Activity(
            id="pn-a01",
            name="Pingnan community mobilisation meeting",
            name_zh="平南社区动员会",
            activity_kind=ActivityKind.MOBILISATION,
            date=_D(2019, 5, 18),
            place=c,
            organisers=[sw1, sw2],
            attendees=b.meeting_attendees(c, 18, must=[leader, elder_lead]),
            attendance=68,
            hours=2.0,
            description="Social workers present V创空间 and ask who has the will, the "
            "time and the ideas.",
        ),
        Activity(
            id="pn-a02",
            name="Building-by-building mobilisation, blocks 1–4",
            name_zh="楼栋动员会",
            activity_kind=ActivityKind.MOBILISATION,
            date=_D(2019, 6, 15),
            place=c,
            organisers=[sw1, leader],
            attendees=[spouse, *neighbours],
            attendance=46,
            hours=2.0,
        ),
        Activity(
            id="pn-a03",
            name="Pingnan project selection meeting",
            name_zh="平南社区项目征选会",
            activity_kind=ActivityKind.SELECTION_MEETING,
            date=_D(2019, 7, 20),
            place=c,
            organisers=[sw1, sw2],
            attendees=b.meeting_attendees(
                c, 12, must=[leader, "pn-r003", "pn-r010", "pn-r017", elder_lead, elder_co]
            ),
            attendance=52,
            hours=3.0,
        ),
        Activity(
            id="pn-a04",
            name="Workshop: activity-plan design and press releases",
            name_zh="活动方案设计与新闻稿写作培训",
            activity_kind=ActivityKind.TRAINING,
            date=_D(2019, 7, 27),
            place=c,
            organisers=[sw1],
            attendees=b.meeting_attendees(c, 8, must=[leader, "pn-r003", elder_lead]),
            hours=3.0,
            skills=["plan_design", "press_release"],
        ),
    )
    for k, day in enumerate(
        (
            _D(2019, 7, 6),
            _D(2019, 8, 3),
            _D(2019, 9, 7),
            _D(2019, 10, 12),
            _D(2019, 11, 9),
            _D(2019, 12, 7),
        ),
        start=5,
    ):
        b.add(
            Activity(
                id=f"pn-a{k:02d}",
                name=f"Pingnan volunteer meeting, {day:%B}",
                name_zh=f"平南志愿者例会（{day.month}月）",
                activity_kind=ActivityKind.VOLUNTEER_MEETING,
                date=day,
                place=c,
                organisers=[sw2],
                hours=1.5,
                attendees=b.meeting_attendees(c, int(b.rng.integers(10, 19)), must=[leader]),
            )
        )
    # the campaigns
    passers_by = b.pick([*audience, *children], 8)
    b.add(
        Activity(
            id="pn-a11",
            name="Lobby poster day: nothing falls from above",
            name_zh="楼栋海报日：拒绝高空抛物",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 8, 24),
            place=c,
            project="pn-p1",
            organisers=[leader, "pn-r003"],
            attendees=g1[1:4],
            attendance=40,
            hours=2.0,
            skills=["graphic_design"],
        ),
        Activity(
            id="pn-a12",
            name="Saturday campaign against throwing objects from height",
            name_zh="拒绝高空抛物周六宣传活动",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 9, 21),
            place=c,
            project="pn-p1",
            organisers=[leader, spouse],
            attendees=[*g1, *passers_by],
            attendance=150,
            hours=3.0,
            skills=["graphic_design", "public_speaking"],
            description="Hosted by the group's leader and his wife on the square: "
            "posters he designed, a pledge wall, a quiz for children.",
        ),
        Activity(
            id="pn-a13",
            name="Anti-fraud talk for elders",
            name_zh="长者反诈讲座",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 9, 7),
            place=c,
            project="pn-p2",
            organisers=["pn-r010"],
            attendees=[*g2[1:4], *b.pick(audience, 5)],
            attendance=60,
            hours=2.0,
            skills=["anti_fraud"],
        ),
        Activity(
            id="pn-a14",
            name="Anti-fraud quiz at the morning market",
            name_zh="菜市场反诈知识问答",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 11, 16),
            place=c,
            project="pn-p2",
            organisers=[leader, "pn-r010"],
            attendees=g2[3:],
            attendance=85,
            hours=2.5,
        ),
        Activity(
            id="pn-a15",
            name="Dog walkers' pledge day",
            name_zh="文明养犬承诺日",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 10, 12),
            place=c,
            project="pn-p3",
            organisers=["pn-r017", leader],
            attendees=[*g3[1:], *b.pick(audience, 3)],
            attendance=45,
            hours=2.0,
        ),
        Activity(
            id="pn-a16",
            name="Leash and clean-up demonstration",
            name_zh="牵绳与清理示范",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 12, 14),
            place=c,
            project="pn-p3",
            organisers=["pn-r017"],
            attendees=g3[2:5],
            attendance=30,
            hours=1.5,
        ),
        Activity(
            id="pn-a17",
            name="Double Ninth elders' gathering",
            name_zh="重阳长者联欢",
            activity_kind=ActivityKind.SERVICE,
            date=_D(2019, 10, 7),
            place=c,
            project="pn-p4",
            organisers=[elder_lead, elder_co],
            attendees=[*club, *b.pick(audience, 6), *children[:2]],
            attendance=120,
            hours=3.0,
            skills=["performance"],
        ),
        Activity(
            id="pn-a18",
            name="Calligraphy and songs across generations",
            name_zh="书法与歌声：三代同乐",
            activity_kind=ActivityKind.SERVICE,
            date=_D(2019, 11, 23),
            place=c,
            project="pn-p4",
            organisers=[elder_lead],
            attendees=[elder_co, *club[:3], *children[2:5], *teens],
            attendance=55,
            hours=2.5,
            skills=["calligraphy"],
        ),
    )
    # resources at the service centre, the micro-fund's money, a resident's dog bags
    b.add(
        Resource(
            id="pn-hall",
            name="Service centre hall",
            name_zh="党群服务中心活动室",
            resource_kind=ResourceKind.VENUE,
            place=c,
            provider="pingnan-psc",
            capacity=80.0,
            unit="people",
        ),
        Resource(
            id="pn-square",
            name="Community square",
            name_zh="社区广场",
            resource_kind=ResourceKind.VENUE,
            place=c,
            provider="pingnan-psc",
            capacity=300.0,
            unit="people",
        ),
        Resource(
            id="pn-bags",
            name="Dog-waste bags from a resident's pet shop",
            name_zh="宠物店捐赠的拾便袋",
            resource_kind=ResourceKind.MATERIALS,
            place=c,
            provider="pn-r019",
            capacity=2000.0,
            unit="bags",
        ),
        Resource(
            id="pn-mf-money",
            name="Pingnan micro-fund: donations raised in 2019",
            name_zh="平南微基金2019年募集款",
            resource_kind=ResourceKind.MONEY,
            place=c,
            provider="pingnan-mf",
            amount_fen=1_860_000,
        ),
    )
    b.link("pn-square", Relation.LINKED_TO, "pn-p1")
    b.link("pn-hall", Relation.LINKED_TO, "pn-p2")
    b.link("pn-bags", Relation.LINKED_TO, "pn-p3")
    b.link("pn-mf-money", Relation.LINKED_TO, "pn-p1")
    b.link("pingnan-mf", Relation.FUNDS, "pn-p1")
    b.link("pingnan-mf", Relation.FUNDS, "pn-p3")
    for pid in ("pn-p1", "pn-p2", "pn-p3", "pn-p4"):
        b.link("lgst-sic", Relation.SUPPORTS, pid)
        b.link("pingnan-psc", Relation.SUPPORTS, pid)
    for gid in ("pn-g1", "pn-g2", "pn-g3"):
        b.link("pingnan-psc", Relation.SUPPORTS, gid)
    for rid in (sw1, sw2):
        b.link(rid, Relation.MEMBER_OF, "lgst-sic")
    b.tie_within(c, 3)


# --------------------------------------------------------------------------- He'ao

_HA_BUILDINGS = tuple(f"ha-b{i:02d}" for i in range(1, 7))

#: The 12 golden ideas of He'ao's July call: id, English, Chinese, themes, cost (fen),
#: target segment suffixes, submitted, project it became.
_Idea = tuple[str, str, str, list[str], int, list[str], dt.date, str | None]
_IDEAS: tuple[_Idea, ...] = (
    (
        "ha-i01",
        "Little Social Citizens",
        "小小社会人",
        ["traffic_safety"],
        300_000,
        ["children"],
        _D(2019, 7, 12),
        "ha-p1",
    ),
    (
        "ha-i02",
        "Volunteer safety patrol",
        "平安义工巡逻",
        ["safety_patrol", "home_safety", "traffic_safety"],
        450_000,
        ["elders", "migrant-families"],
        _D(2019, 7, 5),
        "ha-p2",
    ),
    (
        "ha-i03",
        "Mind station",
        "心灵驿站",
        ["mental_health"],
        380_000,
        ["youth", "elders"],
        _D(2019, 7, 18),
        "ha-p3",
    ),
    (
        "ha-i04",
        "Green corners",
        "绿色角落",
        ["environment"],
        220_000,
        ["children"],
        _D(2019, 7, 26),
        "ha-p4",
    ),
    (
        "ha-i05",
        "Elders' lunch table",
        "长者饭堂",
        ["elder_culture"],
        900_000,
        ["elders"],
        _D(2019, 7, 3),
        None,
    ),
    (
        "ha-i06",
        "After-school homework corner",
        "四点半课堂",
        ["migrant_children"],
        520_000,
        ["children", "migrant-families"],
        _D(2019, 7, 9),
        None,
    ),
    (
        "ha-i07",
        "Dog-waste bag stations",
        "宠物便袋站",
        ["dog_ownership"],
        120_000,
        ["dog-owners"],
        _D(2019, 7, 15),
        None,
    ),
    (
        "ha-i08",
        "Safe e-bike charging",
        "电动车安全充电",
        ["home_safety"],
        800_000,
        ["migrant-families"],
        _D(2019, 7, 17),
        None,
    ),
    (
        "ha-i09",
        "Neighbourhood book corner",
        "邻里图书角",
        ["intergenerational"],
        160_000,
        ["children", "elders"],
        _D(2019, 7, 22),
        None,
    ),
    (
        "ha-i10",
        "Anti-fraud class for elders",
        "长者防骗课堂",
        ["anti_fraud"],
        100_000,
        ["elders"],
        _D(2019, 7, 24),
        None,
    ),
    (
        "ha-i11",
        "Square-dance good-neighbour pact",
        "广场舞文明公约",
        ["environment"],
        60_000,
        [],
        _D(2019, 7, 29),
        None,
    ),
    (
        "ha-i12",
        "Rooftop vegetable garden",
        "楼顶菜园",
        ["environment", "intergenerational"],
        350_000,
        ["elders", "children"],
        _D(2019, 7, 30),
        None,
    ),
)


def _heao(b: _Builder) -> None:
    c = "heao"
    b.social_workers(
        c,
        "ha",
        [
            {"plan_design": 4, "funding_application": 3, "child_safety_education": 3},
            {"volunteer_coordination": 3, "counselling": 3, "reimbursement": 3},
        ],
    )
    # the three children aged 9–12 and their parents
    parents = [
        b.person(
            "ha-r001",
            c,
            born=1985,
            skills={
                "traffic_safety_education": 3,
                "child_safety_education": 3,
                "crafts": 2,
                "plan_design": 2,
            },
            roles=[Role.VOLUNTEER, Role.LEADER],
            hours=5.0,
            interests=["traffic_safety"],
            extra_segments=["heao-migrant-families"],
            household="ha-h01",
            building="ha-b01",
        ),
        b.person(
            "ha-r002",
            c,
            born=1982,
            skills={"graphic_design": 2, "photography": 2},
            roles=[Role.VOLUNTEER],
            hours=2.0,
            interests=["traffic_safety"],
            household="ha-h02",
            building="ha-b01",
        ),
        b.person(
            "ha-r003",
            c,
            born=1987,
            skills={"event_organising": 2, "writing": 2},
            roles=[Role.VOLUNTEER, Role.TALENT],
            hours=3.0,
            interests=["traffic_safety", "environment"],
            extra_segments=["heao-migrant-families"],
            household="ha-h03",
            building="ha-b02",
        ),
    ]
    kids = [
        b.minor(
            f"ha-c{i:02d}",
            c,
            band=AgeBand.CHILD,
            household=f"ha-h{i:02d}",
            building=b.residents[parents[i - 1]].building,
        )
        for i in (1, 2, 3)
    ]
    for parent in parents:
        for other in parents:
            if parent < other:
                b.knows(parent, other, 2.0)
    patrol_lead = b.person(
        "ha-r004",
        c,
        born=1957,
        skills={"patrol": 4, "first_aid": 3, "fire_safety": 3, "mediation": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=9.0,
        interests=["safety_patrol", "home_safety"],
        building="ha-b03",
    )
    patrol_co = b.person(
        "ha-r005",
        c,
        born=1968,
        skills={"patrol": 3, "traffic_safety_education": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=6.0,
        interests=["safety_patrol", "traffic_safety"],
        extra_segments=["heao-migrant-families"],
        building="ha-b04",
    )
    mind_lead = b.person(
        "ha-r006",
        c,
        born=1976,
        skills={"counselling": 3, "public_speaking": 2, "writing": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=4.0,
        interests=["mental_health"],
        building="ha-b05",
    )
    green_lead = b.person(
        "ha-r007",
        c,
        born=1991,
        skills={"crafts": 3, "event_organising": 3, "plan_design": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=5.0,
        interests=["environment", "intergenerational"],
        extra_segments=["heao-migrant-families", "heao-dog-owners"],
        building="ha-b06",
    )
    b.knows(patrol_lead, patrol_co, 4.0)
    others = b.volunteers(
        c,
        "ha",
        8,
        29,
        skill_pool=[
            "patrol",
            "first_aid",
            "fire_safety",
            "traffic_safety_education",
            "crafts",
            "counselling",
            "elder_care",
            "photography",
            "writing",
            "tutoring",
            "event_organising",
            "child_care",
        ],
        themes=[
            "safety_patrol",
            "traffic_safety",
            "home_safety",
            "mental_health",
            "environment",
            "elder_culture",
        ],
        buildings=_HA_BUILDINGS,
        migrant_share=0.5,
        dog_share=0.1,
        talents=(9, 21, 30),
    )
    audience = b.audience(
        c, "ha", 37, 14, buildings=_HA_BUILDINGS, migrant_share=0.55, dog_share=0.1
    )
    children = [
        b.minor(
            f"ha-c{i:02d}",
            c,
            band=AgeBand.CHILD,
            household=b.residents[audience[i - 4]].household,
            building=b.residents[audience[i - 4]].building,
        )
        for i in range(4, 10)
    ]
    teens = [b.minor(f"ha-t{i:02d}", c, band=AgeBand.TEEN) for i in (1, 2)]
    sw1, sw2 = b.workers[c]
    # the July call for golden ideas and its 12 ideas
    b.add(
        Call(
            id="ha-call-2019",
            name="He'ao golden ideas, July 2019",
            name_zh="荷坳社区金点子征集（2019年7月）",
            place=c,
            organiser="heao-psc",
            opens=_D(2019, 7, 1),
            closes=_D(2019, 7, 31),
            budget_fen=1_500_000,
        )
    )
    proposers = {
        "ha-i01": kids,
        "ha-i02": [patrol_lead, patrol_co],
        "ha-i03": [mind_lead],
        "ha-i04": [green_lead],
    }
    idea_pool = [*others, *audience[:6]]
    for k, spec in enumerate(_IDEAS[4:], start=5):
        proposers[spec[0]] = [idea_pool[(k * 5) % len(idea_pool)]]
    project_specs = {
        "ha-p1": Project(
            id="ha-p1",
            name="Little Social Citizens",
            name_zh="小小社会人",
            community=c,
            themes=["traffic_safety"],
            stage=Stage.RUNNING,
            needs=[
                _need("ha-p1-teach", "traffic_safety_education", 2, level=2),
                _need("ha-p1-comic", "graphic_design", 2, note="print the children's comic"),
                _resource_need("ha-p1-prizes", ResourceKind.MATERIALS, "quiz prizes"),
                _resource_need(
                    "ha-p1-police", ResourceKind.PARTNER, "traffic police to check the quiz"
                ),
            ],
            target_segments=["heao-children"],
            budget_fen=300_000,
            started=_D(2019, 9, 1),
            description="Three children aged 9 to 12 teach traffic safety and civilised "
            "travel: a safety comic they drew and a prize quiz.",
        ),
        "ha-p2": Project(
            id="ha-p2",
            name="Safe He'ao volunteer patrol",
            name_zh="平安义工巡逻",
            community=c,
            themes=["safety_patrol", "home_safety", "traffic_safety"],
            stage=Stage.RUNNING,
            needs=[
                _need("ha-p2-patrol", "patrol", 8, people=4),
                _need("ha-p2-fire", "fire_safety", 2, level=2),
                _need("ha-p2-aid", "first_aid", 2, level=2),
            ],
            target_segments=["heao-elders", "heao-migrant-families"],
            budget_fen=450_000,
            started=_D(2019, 9, 1),
            description="Evening patrols with home-safety and traffic-safety outreach.",
        ),
        "ha-p3": Project(
            id="ha-p3",
            name="Mind station",
            name_zh="心灵驿站",
            community=c,
            themes=["mental_health"],
            stage=Stage.EMPOWERMENT,
            needs=[
                _need(
                    "ha-p3-counsel",
                    "counselling",
                    4,
                    level=4,
                    note="a qualified counsellor to supervise",
                ),
                _need("ha-p3-listen", "counselling", 3, people=3),
                _resource_need("ha-p3-room", ResourceKind.VENUE, "a quiet room"),
            ],
            target_segments=["heao-youth", "heao-elders"],
            budget_fen=380_000,
            started=_D(2019, 10, 1),
            description="A community mental-health corner: listening hours and talks.",
        ),
        "ha-p4": Project(
            id="ha-p4",
            name="Green corners",
            name_zh="绿色角落",
            community=c,
            themes=["environment"],
            stage=Stage.SELECTED,
            needs=[
                _need("ha-p4-crafts", "crafts", 2, people=2),
                _need("ha-p4-organise", "event_organising", 2, level=2),
            ],
            target_segments=["heao-children"],
            budget_fen=220_000,
            description="Children and neighbours turn neglected corners into small gardens.",
        ),
    }
    b.add(*project_specs.values())
    for iid, en, zh, themes, cost, targets, submitted, project in _IDEAS:
        b.add(
            Proposal(
                id=iid,
                name=en,
                name_zh=zh,
                call="ha-call-2019",
                proposers=proposers[iid],
                themes=themes,
                cost_fen=cost,
                target_segments=[f"{c}-{t}" for t in targets],
                submitted=submitted,
                project=project,
            )
        )
    b.link(parents[0], Relation.LEADS, "ha-p1")
    b.link(parents[1], Relation.VOLUNTEERS_IN, "ha-p1", hours=2.0)
    b.link(parents[2], Relation.VOLUNTEERS_IN, "ha-p1", hours=2.0)
    b.link(patrol_lead, Relation.LEADS, "ha-p2")
    b.link(patrol_co, Relation.CO_LEADS, "ha-p2")
    b.link(mind_lead, Relation.LEADS, "ha-p3")
    b.link(green_lead, Relation.LEADS, "ha-p4")
    patrol = [r for r in others if b.residents[r].skill_level("patrol") is not None]
    patrol += b.pick(others, 6, exclude=patrol)
    b.add(
        Group(
            id="ha-g1",
            name="He'ao safety patrol team",
            name_zh="荷坳平安义工队",
            community=c,
            themes=["safety_patrol"],
        )
    )
    b.link(patrol_lead, Relation.LEADS, "ha-g1")
    for rid in [patrol_lead, patrol_co, *patrol]:
        b.link(rid, Relation.MEMBER_OF, "ha-g1")
    for rid in patrol:
        b.link(rid, Relation.VOLUNTEERS_IN, "ha-p2", hours=2.0)
        b.knows(rid, patrol_lead, 2.0)
    listeners = b.pick(others, 3, exclude=patrol)
    for rid in listeners:
        b.link(rid, Relation.VOLUNTEERS_IN, "ha-p3", hours=1.5)
        b.knows(rid, mind_lead, 2.0)
    b.add(
        Activity(
            id="ha-a01",
            name="He'ao community mobilisation meeting",
            name_zh="荷坳社区动员会",
            activity_kind=ActivityKind.MOBILISATION,
            date=_D(2019, 6, 22),
            place=c,
            organisers=[sw1, sw2],
            attendees=b.meeting_attendees(c, 16, must=[patrol_lead, mind_lead]),
            attendance=75,
            hours=2.0,
        ),
        Activity(
            id="ha-a02",
            name="Golden ideas call launch",
            name_zh="金点子征集启动会",
            activity_kind=ActivityKind.MOBILISATION,
            date=_D(2019, 7, 1),
            place=c,
            organisers=[sw1],
            attendees=b.meeting_attendees(c, 10, must=parents),
            attendance=40,
            hours=1.5,
            description="The Party–mass service centre opens the July call for golden "
            "ideas (金点子).",
        ),
        Activity(
            id="ha-a03",
            name="He'ao project selection meeting",
            name_zh="荷坳社区项目征选会",
            activity_kind=ActivityKind.SELECTION_MEETING,
            date=_D(2019, 8, 10),
            place=c,
            organisers=[sw1, sw2],
            attendees=[
                *b.meeting_attendees(
                    c, 14, must=[*parents, patrol_lead, patrol_co, mind_lead, green_lead]
                ),
                *kids,
            ],
            attendance=64,
            hours=3.0,
            description="The 12 golden ideas are presented and scored; four are "
            "selected, among them the children's Little Social Citizens.",
        ),
    )
    for k, day in enumerate(
        (_D(2019, 8, 24), _D(2019, 9, 28), _D(2019, 10, 26), _D(2019, 11, 30), _D(2019, 12, 28)),
        start=4,
    ):
        b.add(
            Activity(
                id=f"ha-a{k:02d}",
                name=f"He'ao volunteer meeting, {day:%B}",
                name_zh=f"荷坳志愿者例会（{day.month}月）",
                activity_kind=ActivityKind.VOLUNTEER_MEETING,
                date=day,
                place=c,
                organisers=[sw2],
                hours=1.5,
                attendees=b.meeting_attendees(c, int(b.rng.integers(9, 17)), must=[patrol_lead]),
            )
        )
    b.add(
        Activity(
            id="ha-a09",
            name="Drawing the safety comic",
            name_zh="安全漫画创作",
            activity_kind=ActivityKind.TRAINING,
            date=_D(2019, 9, 14),
            place=c,
            project="ha-p1",
            organisers=[parents[0], sw1],
            attendees=[*kids, parents[1], parents[2]],
            hours=2.0,
            skills=["traffic_safety_education"],
        ),
        Activity(
            id="ha-a10",
            name="Little Social Citizens: traffic-safety outdoor event",
            name_zh="小小社会人交通安全户外宣传",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 10, 19),
            place=c,
            project="ha-p1",
            organisers=[parents[0], *kids],
            attendees=[parents[1], parents[2], *children, *b.pick(audience, 6)],
            attendance=90,
            hours=2.5,
            skills=["traffic_safety_education"],
            description="The children explain the safety comic they drew and run a "
            "prize safety quiz.",
        ),
        Activity(
            id="ha-a11",
            name="Evening safety patrol",
            name_zh="夜间平安巡逻",
            activity_kind=ActivityKind.SERVICE,
            date=_D(2019, 9, 5),
            place=c,
            project="ha-p2",
            organisers=[patrol_lead],
            attendees=[patrol_co, *patrol[:5]],
            hours=2.0,
            skills=["patrol"],
        ),
        Activity(
            id="ha-a12",
            name="Home-safety check-ins at the rental blocks",
            name_zh="出租屋居家安全入户宣传",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 10, 26),
            place=c,
            project="ha-p2",
            organisers=[patrol_lead, patrol_co],
            attendees=[*patrol[:4], *b.pick(audience, 5)],
            attendance=70,
            hours=3.0,
            skills=["fire_safety"],
        ),
        Activity(
            id="ha-a13",
            name="Traffic safety at the school gate",
            name_zh="校门口交通安全宣传",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 11, 11),
            place=c,
            project="ha-p2",
            organisers=[patrol_co],
            attendees=[*patrol[2:6], *children[:3]],
            attendance=110,
            hours=1.5,
        ),
        Activity(
            id="ha-a14",
            name="Listening skills workshop",
            name_zh="倾听技巧工作坊",
            activity_kind=ActivityKind.TRAINING,
            date=_D(2019, 11, 2),
            place=c,
            project="ha-p3",
            organisers=[sw2],
            attendees=[mind_lead, *listeners],
            hours=3.0,
            skills=["counselling"],
        ),
        Activity(
            id="ha-a15",
            name="Mind station open afternoon",
            name_zh="心灵驿站开放日",
            activity_kind=ActivityKind.SERVICE,
            date=_D(2019, 12, 7),
            place=c,
            project="ha-p3",
            organisers=[mind_lead],
            attendees=[*listeners, *teens, *b.pick(audience, 4)],
            attendance=26,
            hours=3.0,
        ),
        Activity(
            id="ha-a16",
            name="Green corners planning walk",
            name_zh="绿色角落踩点",
            activity_kind=ActivityKind.OTHER,
            date=_D(2019, 12, 21),
            place=c,
            project="ha-p4",
            organisers=[green_lead],
            attendees=b.pick(others, 5, exclude=patrol),
            hours=1.5,
        ),
    )
    b.add(
        Resource(
            id="ha-hall",
            name="Service centre hall",
            name_zh="党群服务中心活动室",
            resource_kind=ResourceKind.VENUE,
            place=c,
            provider="heao-psc",
            capacity=60.0,
            unit="people",
        ),
        Resource(
            id="ha-quiet-room",
            name="Quiet room at the service centre",
            name_zh="党群服务中心谈心室",
            resource_kind=ResourceKind.VENUE,
            place=c,
            provider="heao-psc",
            capacity=6.0,
            unit="people",
        ),
        Resource(
            id="ha-police",
            name="Traffic police outreach officers",
            name_zh="交警宣传民警",
            resource_kind=ResourceKind.PARTNER,
            place="yuanshan-st",
            provider="ys-traffic",
            capacity=2.0,
            unit="officers",
        ),
        Resource(
            id="ha-mf-money",
            name="He'ao micro-fund: donations raised in 2019",
            name_zh="荷坳微基金2019年募集款",
            resource_kind=ResourceKind.MONEY,
            place=c,
            provider="heao-mf",
            amount_fen=920_000,
        ),
    )
    b.link("ha-police", Relation.LINKED_TO, "ha-p1")
    b.link("ha-quiet-room", Relation.LINKED_TO, "ha-p3")
    b.link("ha-mf-money", Relation.LINKED_TO, "ha-p1")
    b.link("heao-mf", Relation.FUNDS, "ha-p1")
    b.add(
        Organization(
            id="ha-volunteers",
            name="He'ao Safety Volunteers",
            name_zh="荷坳平安志愿者协会",
            org_kind=OrgKind.SOCIAL_ORGANISATION,
            place=c,
        )
    )
    b.link(patrol_lead, Relation.LEADS, "ha-volunteers")
    for rid in [patrol_co, *patrol]:
        b.link(rid, Relation.MEMBER_OF, "ha-volunteers")
    for pid in project_specs:
        b.link("ysst-sic", Relation.SUPPORTS, pid)
        b.link("heao-psc", Relation.SUPPORTS, pid)
    for rid in (sw1, sw2):
        b.link(rid, Relation.MEMBER_OF, "ysst-sic")
    b.tie_within(c, 3)


# --------------------------------------------------------------------------- Hehua

_HH_BUILDINGS = tuple(f"hh-b{i:02d}" for i in range(1, 9))


def _hehua(b: _Builder) -> None:
    c = "hehua"
    b.social_workers(
        c,
        "hh",
        [
            {"plan_design": 4, "funding_application": 4, "fundraising": 3},
            {"volunteer_coordination": 3, "life_safety_education": 2, "reimbursement": 3},
        ],
    )
    safety_lead = b.person(
        "hh-r001",
        c,
        born=1981,
        skills={"life_safety_education": 4, "first_aid": 3, "public_speaking": 3},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=6.0,
        interests=["youth_safety"],
        building="hh-b01",
    )
    safety_co = b.person(
        "hh-r002",
        c,
        born=1993,
        skills={"child_safety_education": 3, "video": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=4.0,
        interests=["youth_safety"],
        extra_segments=["hehua-migrant-families"],
        building="hh-b02",
    )
    kids_lead = b.person(
        "hh-r003",
        c,
        born=1978,
        skills={"tutoring": 3, "child_care": 3, "fundraising": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=8.0,
        interests=["migrant_children"],
        extra_segments=["hehua-migrant-families"],
        building="hh-b05",
    )
    kids_co = b.person(
        "hh-r004",
        c,
        born=1969,
        skills={"tutoring": 2, "crafts": 3},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=5.0,
        interests=["migrant_children"],
        extra_segments=["hehua-migrant-families"],
        building="hh-b05",
    )
    gen_lead = b.person(
        "hh-r005",
        c,
        born=1955,
        skills={"performance": 3, "plan_design": 2, "elder_care": 2},
        roles=[Role.VOLUNTEER, Role.LEADER],
        hours=6.0,
        interests=["intergenerational", "elder_culture"],
        building="hh-b03",
    )
    b.knows(safety_lead, safety_co, 4.0)
    b.knows(kids_lead, kids_co, 4.0)
    others = b.volunteers(
        c,
        "hh",
        6,
        29,
        skill_pool=[
            "tutoring",
            "child_care",
            "first_aid",
            "life_safety_education",
            "crafts",
            "video",
            "performance",
            "elder_care",
            "writing",
            "photography",
            "fire_safety",
            "it_support",
        ],
        themes=[
            "youth_safety",
            "migrant_children",
            "intergenerational",
            "elder_culture",
            "environment",
        ],
        buildings=_HH_BUILDINGS,
        migrant_share=0.6,
        dog_share=0.12,
        talents=(7, 16, 26),
    )
    audience = b.audience(
        c, "hh", 35, 16, buildings=_HH_BUILDINGS, migrant_share=0.65, dog_share=0.1
    )
    # the builders' children live with migrant parents from the audience
    migrant_parents = [r for r in audience if "hehua-migrant-families" in b.residents[r].segments][
        :5
    ]
    builders_kids = [
        b.minor(
            f"hh-c{i:02d}",
            c,
            band=AgeBand.CHILD,
            household=b.residents[parent].household,
            building=b.residents[parent].building,
            extra_segments=["hehua-builders-children", "hehua-migrant-families"],
        )
        for i, parent in enumerate(migrant_parents, start=1)
    ]
    children = [
        b.minor(f"hh-c{i:02d}", c, band=AgeBand.CHILD)
        for i in range(len(builders_kids) + 1, len(builders_kids) + 4)
    ]
    teens = [b.minor(f"hh-t{i:02d}", c, band=AgeBand.TEEN) for i in range(1, 5)]
    sw1, sw2 = b.workers[c]
    b.add(
        Project(
            id="hh-p1",
            name="Safe growing-up",
            name_zh="青少年生命安全教育",
            community=c,
            themes=["youth_safety"],
            stage=Stage.RUNNING,
            needs=[
                _need("hh-p1-teach", "life_safety_education", 3, level=3),
                _need("hh-p1-aid", "first_aid", 2, level=2),
                _need("hh-p1-video", "video", 2, level=3, note="short safety films"),
            ],
            target_segments=["hehua-youth", "hehua-children"],
            budget_fen=350_000,
            started=_D(2019, 8, 1),
            description="Life-safety classes for young people: fire, water, traffic, first aid.",
        ),
        Project(
            id="hh-p2",
            name="Builders' kids companions",
            name_zh="关爱来深建设者子女",
            community=c,
            themes=["migrant_children"],
            stage=Stage.RESOURCE_LINKAGE,
            needs=[
                _need("hh-p2-tutor", "tutoring", 6, people=3),
                _need("hh-p2-care", "child_care", 3, level=2),
                _resource_need("hh-p2-money", ResourceKind.MONEY, "running costs after incubation"),
                _resource_need("hh-p2-room", ResourceKind.VENUE),
            ],
            target_segments=["hehua-builders-children"],
            budget_fen=560_000,
            started=_D(2019, 8, 1),
            description="Homework help, weekend activities and a New Year party for the "
            "children of construction workers who came to build Shenzhen.",
        ),
        Project(
            id="hh-p3",
            name="Three generations together",
            name_zh="三代同乐",
            community=c,
            themes=["intergenerational", "elder_culture"],
            stage=Stage.SEED_SELECTION,
            needs=[
                _need("hh-p3-plan", "plan_design", 2, level=3),
                _need("hh-p3-perform", "performance", 2, people=2),
            ],
            target_segments=["hehua-elders", "hehua-children"],
            budget_fen=180_000,
            description="Grandparents, parents and children make a festival programme together.",
        ),
    )
    b.link(safety_lead, Relation.LEADS, "hh-p1")
    b.link(safety_co, Relation.CO_LEADS, "hh-p1")
    b.link(kids_lead, Relation.LEADS, "hh-p2")
    b.link(kids_co, Relation.CO_LEADS, "hh-p2")
    b.link(gen_lead, Relation.LEADS, "hh-p3")
    safety_team = b.pick(others, 6)
    tutors = [r for r in others if b.residents[r].skill_level("tutoring") is not None]
    tutors += b.pick(others, 4, exclude=[*tutors, *safety_team])
    for rid in safety_team:
        b.link(rid, Relation.VOLUNTEERS_IN, "hh-p1", hours=2.0)
        b.knows(rid, safety_lead, 2.0)
    for rid in tutors:
        if rid not in safety_team:
            b.link(rid, Relation.VOLUNTEERS_IN, "hh-p2", hours=2.5)
            b.knows(rid, kids_lead, 2.0)
    b.add(
        Group(
            id="hh-g1",
            name="Youth safety volunteers",
            name_zh="青少年安全志愿小组",
            community=c,
            themes=["youth_safety"],
        )
    )
    b.link(safety_lead, Relation.LEADS, "hh-g1")
    for rid in [safety_lead, safety_co, *safety_team]:
        b.link(rid, Relation.MEMBER_OF, "hh-g1")
    b.add(
        Activity(
            id="hh-a01",
            name="Hehua community mobilisation meeting",
            name_zh="禾花社区动员会",
            activity_kind=ActivityKind.MOBILISATION,
            date=_D(2019, 5, 25),
            place=c,
            organisers=[sw1, sw2],
            attendees=b.meeting_attendees(c, 17, must=[safety_lead, kids_lead]),
            attendance=80,
            hours=2.0,
        ),
        Activity(
            id="hh-a02",
            name="Hehua project selection meeting",
            name_zh="禾花社区项目征选会",
            activity_kind=ActivityKind.SELECTION_MEETING,
            date=_D(2019, 7, 27),
            place=c,
            organisers=[sw1, sw2],
            attendees=b.meeting_attendees(
                c, 12, must=[safety_lead, safety_co, kids_lead, kids_co, gen_lead]
            ),
            attendance=48,
            hours=3.0,
        ),
    )
    for k, day in enumerate(
        (_D(2019, 8, 17), _D(2019, 9, 21), _D(2019, 10, 19), _D(2019, 11, 16), _D(2019, 12, 21)),
        start=3,
    ):
        b.add(
            Activity(
                id=f"hh-a{k:02d}",
                name=f"Hehua volunteer meeting, {day:%B}",
                name_zh=f"禾花志愿者例会（{day.month}月）",
                activity_kind=ActivityKind.VOLUNTEER_MEETING,
                date=day,
                place=c,
                organisers=[sw2],
                hours=1.5,
                attendees=b.meeting_attendees(c, int(b.rng.integers(9, 17)), must=[kids_lead]),
            )
        )
    b.add(
        Activity(
            id="hh-a08",
            name="Summer life-safety class: water and fire",
            name_zh="暑期生命安全课：防溺水与消防",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 8, 10),
            place=c,
            project="hh-p1",
            organisers=[safety_lead, safety_co],
            attendees=[*safety_team[:3], *teens, *children],
            attendance=65,
            hours=2.0,
            skills=["life_safety_education"],
        ),
        Activity(
            id="hh-a09",
            name="Fire safety day for young people",
            name_zh="119消防安全日青少年活动",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 11, 9),
            place=c,
            project="hh-p1",
            organisers=[safety_lead],
            attendees=[*safety_team[3:], *teens[:2]],
            attendance=95,
            hours=2.5,
            skills=["fire_safety", "first_aid"],
        ),
        Activity(
            id="hh-a10",
            name="Summer homework club",
            name_zh="暑期作业辅导班",
            activity_kind=ActivityKind.SERVICE,
            date=_D(2019, 8, 3),
            place=c,
            project="hh-p2",
            organisers=[kids_lead],
            attendees=[*tutors[:3], *builders_kids],
            attendance=28,
            hours=3.0,
            skills=["tutoring"],
        ),
        Activity(
            id="hh-a11",
            name="Weekend tutoring and crafts",
            name_zh="周末辅导与手工",
            activity_kind=ActivityKind.SERVICE,
            date=_D(2019, 10, 19),
            place=c,
            project="hh-p2",
            organisers=[kids_co],
            attendees=[*tutors[3:6], *builders_kids[:4]],
            attendance=22,
            hours=2.5,
        ),
        Activity(
            id="hh-a12",
            name="New Year party for builders' kids",
            name_zh="来深建设者子女新年联欢",
            activity_kind=ActivityKind.OUTREACH,
            date=_D(2019, 12, 28),
            place=c,
            project="hh-p2",
            organisers=[kids_lead, kids_co],
            attendees=[*tutors[:4], *builders_kids, *b.pick(audience, 5)],
            attendance=75,
            hours=3.0,
        ),
    )
    b.add(
        Resource(
            id="hh-hall",
            name="Service centre hall",
            name_zh="党群服务中心活动室",
            resource_kind=ResourceKind.VENUE,
            place=c,
            provider="hehua-psc",
            capacity=100.0,
            unit="people",
        ),
        Resource(
            id="hh-classroom",
            name="Study room at the service centre",
            name_zh="党群服务中心四点半课堂",
            resource_kind=ResourceKind.VENUE,
            place=c,
            provider="hehua-psc",
            capacity=25.0,
            unit="people",
        ),
        Resource(
            id="hh-mf-money",
            name="Hehua micro-fund: donations raised in 2019",
            name_zh="禾花微基金2019年募集款",
            resource_kind=ResourceKind.MONEY,
            place=c,
            provider="hehua-mf",
            amount_fen=640_000,
        ),
    )
    b.link("hh-hall", Relation.LINKED_TO, "hh-p1")
    b.link("hh-classroom", Relation.LINKED_TO, "hh-p2")
    b.link("hh-mf-money", Relation.LINKED_TO, "hh-p1")
    b.link("hehua-mf", Relation.FUNDS, "hh-p1")
    b.add(
        Organization(
            id="hh-companions",
            name="Hehua Companions",
            name_zh="禾花同行者",
            org_kind=OrgKind.SOCIAL_ORGANISATION,
            place=c,
        )
    )
    b.link(kids_lead, Relation.LEADS, "hh-companions")
    for rid in [kids_co, *tutors]:
        b.link(rid, Relation.MEMBER_OF, "hh-companions")
    for pid in ("hh-p1", "hh-p2", "hh-p3"):
        b.link("phst-sic", Relation.SUPPORTS, pid)
        b.link("hehua-psc", Relation.SUPPORTS, pid)
    for rid in (sw1, sw2):
        b.link(rid, Relation.MEMBER_OF, "phst-sic")
    b.tie_within(c, 3)


# --------------------------------------------------------------------------- district


def _district(b: _Builder) -> None:
    leaders = [r for c in ("pingnan", "heao", "hehua") for r in b.leaders_of(c)]
    talents = [
        r
        for c in ("pingnan", "heao", "hehua")
        for r in b.engaged[c]
        if Role.TALENT in b.residents[r].roles
    ]
    coaches = [b.workers["pingnan"][0], b.workers["hehua"][0]]
    b.add(
        Resource(
            id="lg-seed-grants",
            name="V-Innovation Space seed grants",
            name_zh="V创空间种子资金",
            resource_kind=ResourceKind.MONEY,
            place="longgang",
            provider="lg-sic",
            amount_fen=3_000_000,
        ),
        Resource(
            id="lg-printing",
            name="Poster and banner printing",
            name_zh="海报横幅印制",
            resource_kind=ResourceKind.MATERIALS,
            place="longgang",
            provider="lg-print",
            capacity=40.0,
            unit="posters a month",
        ),
        Resource(
            id="lg-counsellors",
            name="Volunteer counsellors' pool",
            name_zh="志愿心理咨询师库",
            resource_kind=ResourceKind.EXPERTISE,
            place="longgang",
            provider="lg-sic",
            capacity=2.0,
            unit="hours a week",
        ),
        Activity(
            id="lg-a01",
            name="Community talents workshop: funding application and reimbursement",
            name_zh="社区能人培训：经费申请与报销",
            activity_kind=ActivityKind.TRAINING,
            date=_D(2019, 8, 31),
            place="longgang",
            organisers=coaches,
            attendees=leaders,
            hours=4.0,
            skills=["funding_application", "reimbursement"],
        ),
        Activity(
            id="lg-a02",
            name="Community talents workshop: press releases and public speaking",
            name_zh="社区能人培训：新闻稿写作与公众演讲",
            activity_kind=ActivityKind.TRAINING,
            date=_D(2019, 10, 26),
            place="longgang",
            organisers=coaches,
            attendees=[*leaders, *talents],
            hours=4.0,
            skills=["press_release", "public_speaking"],
        ),
    )
    b.link("lg-printing", Relation.LINKED_TO, "pn-p1")
    for pid in ("pn-p1", "ha-p1", "ha-p2", "hh-p1", "hh-p2"):
        b.link("lg-seed-grants", Relation.LINKED_TO, pid)
        b.link("lg-sic", Relation.SUPPORTS, pid)
    # leaders who met at the district workshops know a few leaders of other communities
    for i, rid in enumerate(leaders):
        for other in (leaders[(i + 5) % len(leaders)], leaders[(i + 11) % len(leaders)]):
            if rid.split("-")[0] != other.split("-")[0]:
                b.knows(rid, other, 1.0)


def build_longgang_pilot() -> CommunityGraph:
    """Build the Longgang pilot graph from code (what the packaged JSON holds).

    Returns
    -------
    CommunityGraph
        A new graph; the same every call.

    Examples
    --------
    >>> g = build_longgang_pilot()
    >>> len(g.leaders()), len(g.proposals("ha-call-2019"))
    (16, 12)
    """
    b = _Builder()
    _places_and_bodies(b)
    _pingnan(b)
    _heao(b)
    _hehua(b)
    _district(b)
    return b.graph()


def data_path() -> Path:
    """Where the packaged document lives in the source tree."""
    return Path(__file__).resolve().parent.parent / "data" / "longgang_pilot.json"


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the packaged document (atomically): ``python -m vchuang.datasets._longgang``.

    An optional argument names another path to write to.
    """
    from ..io import save

    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else data_path()
    save(build_longgang_pilot(), path)
    sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
