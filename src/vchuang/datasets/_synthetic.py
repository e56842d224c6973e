"""Synthetic districts of any size (private; see :func:`synthetic`).

Everything random is drawn in bulk with numpy from one generator, so a seed gives the
same district whatever the hash seed; Python loops run only where records are made.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, TypeVar, cast

import numpy as np
import scipy.sparse as sp

from .._rng import RNGLike, as_generator
from ..errors import Problem, ValidationError
from ..graph import CommunityGraph
from ..io import records_from_columns
from ..kernel.checks import check_number, check_whole, collect
from ..kernel.memory import collector_paused
from ..model import (
    THEMES,
    Activity,
    ActivityKind,
    AgeBand,
    Community,
    District,
    Entity,
    Level,
    Link,
    Metadata,
    Need,
    Organization,
    OrgKind,
    Project,
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

__all__ = ["synthetic"]

T = TypeVar("T")

# Household types: (probability, adults, children or teens (min, max), elders (min, max)).
# Shenzhen households are small (about 2.5 people) and many are migrant families.
_HOUSEHOLDS = (
    (0.24, 1, (0, 0), (0, 0)),  # a single young adult or adult
    (0.22, 2, (0, 0), (0, 0)),  # a couple
    (0.34, 2, (1, 2), (0, 0)),  # parents and children
    (0.10, 2, (1, 2), (1, 2)),  # three generations
    (0.10, 0, (0, 0), (1, 2)),  # elders on their own
)

_SEGMENTS = (
    ("elders", "Elders (60+)", "长者"),
    ("children", "Children (0–12)", "儿童"),
    ("youth", "Young people (13–24)", "青少年"),
    ("migrant-families", "Migrant families", "来深务工家庭"),
    ("dog-owners", "Dog owners", "养犬居民"),
)
_ELDERS, _CHILDREN, _YOUTH, _MIGRANT, _DOGS = range(5)

#: What each theme needs (skills) and whom it serves (segments).
_THEME_SKILLS: dict[str, tuple[str, ...]] = {
    "high_altitude_throwing": ("graphic_design", "publicity", "press_release"),
    "anti_fraud": ("anti_fraud", "public_speaking"),
    "dog_ownership": ("pet_care", "social_media"),
    "traffic_safety": ("traffic_safety_education", "child_safety_education"),
    "elder_culture": ("performance", "elder_care", "calligraphy"),
    "safety_patrol": ("patrol", "first_aid"),
    "home_safety": ("fire_safety", "first_aid"),
    "youth_safety": ("life_safety_education", "first_aid"),
    "mental_health": ("counselling", "public_speaking"),
    "migrant_children": ("tutoring", "child_care"),
    "environment": ("crafts", "event_organising"),
    "intergenerational": ("performance", "event_organising", "plan_design"),
}
_THEME_SEGMENTS: dict[str, tuple[int, ...]] = {
    "high_altitude_throwing": (_CHILDREN,),
    "anti_fraud": (_ELDERS,),
    "dog_ownership": (_DOGS,),
    "traffic_safety": (_CHILDREN,),
    "elder_culture": (_ELDERS,),
    "safety_patrol": (_MIGRANT,),
    "home_safety": (_MIGRANT, _ELDERS),
    "youth_safety": (_YOUTH,),
    "mental_health": (_YOUTH, _ELDERS),
    "migrant_children": (_CHILDREN, _MIGRANT),
    "environment": (_CHILDREN,),
    "intergenerational": (_ELDERS, _CHILDREN),
}
_STAGES = (
    (Stage.SEED_SELECTION, 0.10), (Stage.EMPOWERMENT, 0.20), (Stage.BRANDING, 0.15),
    (Stage.RESOURCE_LINKAGE, 0.15), (Stage.RUNNING, 0.30), (Stage.SUSTAINED, 0.07),
    (Stage.DROPPED, 0.03),
)  # fmt: skip

_SURNAMES = (
    "Chen", "Li", "Wang", "Zhang", "Liu", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Zhu", "Hu", "Guo", "He", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han",
    "Feng", "Deng", "Cao", "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai",
    "Jiang", "Yu", "Du", "Ye", "Cheng",
)  # fmt: skip
_GIVEN = (
    "Anqi", "Bowen", "Chunhua", "Dawei", "Enlai", "Fangfang", "Guilan", "Haoyu", "Jiayi",
    "Jinhua", "Kexin", "Lanying", "Meihua", "Mingjie", "Ningning", "Peilin", "Qiming",
    "Ruixue", "Shuying", "Tingting", "Weiming", "Xiaofeng", "Xinran", "Yanhong", "Yiming",
    "Yulan", "Zhihao", "Zhiqiang", "Zixuan", "Zhenhua",
)  # fmt: skip


def _pick(table: list[T], index: np.ndarray) -> list[T]:
    """``[table[i] for i in index]``, in C loops (``fromiter`` keeps tuples whole)."""
    values = np.fromiter(table, dtype=object, count=len(table))
    return cast("list[T]", values[index].tolist())


#: The fields of the activities the generator makes, in the order of its rows.
_ACTIVITY_FIELDS = (
    "id", "name", "name_zh", "activity_kind", "date", "place", "project", "organisers",
    "attendees", "attendance", "hours", "skills",
)  # fmt: skip


def _columns(rows: list[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """The columns of ``rows`` (tuples of ``width`` values)."""
    if not rows:
        return [[] for _ in range(width)]
    return [list(column) for column in zip(*rows, strict=True)]


def _activities(rows: list[tuple[Any, ...]]) -> list[Activity]:
    """Activities from rows of :data:`_ACTIVITY_FIELDS`."""
    columns = _columns(rows, len(_ACTIVITY_FIELDS))
    return records_from_columns(
        Activity, len(rows), dict(zip(_ACTIVITY_FIELDS, columns, strict=True))
    )


def synthetic(
    n_residents: int,
    *,
    n_communities: int | None = None,
    n_subdistricts: int | None = None,
    building_size: int = 150,
    degree_building: float = 2.0,
    degree_community: float = 1.0,
    degree_across: float = 0.2,
    engaged_share: float = 0.02,
    leader_share: float = 0.1,
    activities_per_project: int = 3,
    named_per_activity: int = 20,
    year: int = 2019,
    rng: RNGLike = None,
) -> CommunityGraph:
    """A synthetic district: residents in households and buildings, their social ties,
    engaged residents and leaders, projects, activities and who came.

    Residents live in households (singles, couples, families with children, three
    generations, elders alone) that fill buildings of about ``building_size`` people;
    buildings make up communities, communities subdistricts, subdistricts one district.
    Social ties (``knows``) follow a stochastic block model: everyone knows their
    household, and ties are much likelier within a building than elsewhere in the
    community, and rare across communities. Ages give the elder, child and youth
    segments; households are migrant families or keep dogs at fixed rates. Adults have
    skills from :func:`~vchuang.model.default_taxonomy` at levels 1–4.

    A few adults are engaged (drawn with odds growing with their number of ties), and
    the best-connected engaged residents of each community become its leaders; each
    leader leads a project on a theme of :data:`~vchuang.model.THEMES` with needs for
    the theme's skills and the theme's target segments; other engaged residents
    volunteer, preferring a project whose leader they know. Projects hold dated
    activities whose named attendees are drawn from the volunteers, the organisers'
    acquaintances and the target segments; each community also has a mobilisation
    meeting, a selection meeting and volunteer meetings. The "1+N" hubs, service
    centres, the charity fund with its branches and micro-funds, and a venue per
    community complete the picture.

    Parameters
    ----------
    n_residents : int
        How many residents (at least 1).
    n_communities : int, optional
        How many communities; default one per 10,000 residents, at least 3 (never more
        than residents).
    n_subdistricts : int, optional
        How many subdistricts; default one per 8 communities, at least 1.
    building_size : int
        Residents per building, roughly (whole households fill a building).
    degree_building, degree_community, degree_across : float
        Expected number of ties each resident has, beyond their household, with people
        of the same building, of the same community and of the whole district.
    engaged_share : float
        Share of residents who are engaged (volunteers, talents and leaders), drawn
        among adults of each community.
    leader_share : float
        Share of a community's engaged residents who are leaders (at least one per
        community with anyone engaged); as many again are marked talents.
    activities_per_project : int
        Dated activities per project (fewer for projects still being selected).
    named_per_activity : int
        Roughly how many residents an activity names as attendees beyond its
        volunteers; the headcount (``attendance``) adds an unnamed crowd.
    year : int
        The year the district describes: activities fall in it, ages are as of its
        31 December (the metadata's ``as_of``).
    rng : None, int or numpy.random.Generator
        Seed or :class:`numpy.random.Generator`; the same seed gives the same graph.

    Returns
    -------
    CommunityGraph
        A new graph with metadata describing the parameters.

    Raises
    ------
    ValidationError
        A parameter is out of range (every such problem is listed).

    See Also
    --------
    longgang_pilot : the real pilot of 2019, three communities small enough to read.

    Notes
    -----
    *Ties.* Residents are numbered so that each household, building and community is a
    contiguous block. Block ``b`` of size :math:`s_b` receives
    :math:`m_b \\sim \\mathrm{Binomial}(\\binom{s_b}{2}, p_b)` ties with
    :math:`p_b = d/(s_b-1)` for the level's expected degree :math:`d`, both ends drawn
    uniformly in the block; pairs drawn twice or twice across levels are kept once
    (with the stronger weight: household 3, building 2, community 1, district 0.5).
    This is the stochastic block model of Holland, Laskey & Leinhardt (1983) with
    nested blocks, sampled by edge counts as in fast :math:`G(n, p)` samplers
    (Batagelj & Brandes 2005) rather than by testing every pair; a pair drawn twice
    (probability :math:`O(p^2)`) is the only difference. The expected degree is about
    ``degree_building + degree_community + degree_across`` plus household size − 1.

    *Engagement.* Among the adults of community :math:`c`, :math:`k_c =`
    ``round(engaged_share * n_c)`` are drawn without replacement with weights
    :math:`(1 + \\deg_i)^2` (Gumbel top-:math:`k`); leaders are the
    ``round(leader_share * k_c)`` engaged with the highest degree plus Gumbel noise,
    so leadership "emerges where the network is central".

    References
    ----------
    .. [1] Holland, P. W., Laskey, K. B., & Leinhardt, S. (1983). Stochastic blockmodels:
       First steps. *Social Networks*, 5(2), 109–137.
       https://doi.org/10.1016/0378-8733(83)90021-7
    .. [2] Batagelj, V., & Brandes, U. (2005). Efficient generation of large random
       networks. *Physical Review E*, 71(3), 036113. https://doi.org/10.1103/PhysRevE.71.036113

    Examples
    --------
    >>> from vchuang.datasets import synthetic
    >>> g = synthetic(2_000, n_communities=3, rng=7)
    >>> len(g.residents()), len(g.communities())
    (2000, 3)
    >>> 0 < len(g.leaders()) < len(g.engaged()) < 100
    True
    >>> synthetic(2_000, n_communities=3, rng=7) == g
    True
    """
    return _prepare(
        n_residents,
        n_communities=n_communities,
        n_subdistricts=n_subdistricts,
        building_size=building_size,
        degree_building=degree_building,
        degree_community=degree_community,
        degree_across=degree_across,
        engaged_share=engaged_share,
        leader_share=leader_share,
        activities_per_project=activities_per_project,
        named_per_activity=named_per_activity,
        year=year,
        rng=rng,
    ).build()


def _prepare(
    n_residents: int,
    *,
    n_communities: int | None,
    n_subdistricts: int | None,
    building_size: int,
    degree_building: float,
    degree_community: float,
    degree_across: float,
    engaged_share: float,
    leader_share: float,
    activities_per_project: int,
    named_per_activity: int,
    year: int,
    rng: RNGLike,
) -> _Generator:
    """Check the parameters of :func:`synthetic` and set up a run."""
    problems: list[Problem] = []
    n = collect(problems, check_whole, n_residents, "n_residents", minimum=1)
    if n is None:
        raise ValidationError(problems)
    if n_communities is None:
        n_communities = min(n, max(3, round(n / 10_000)))
    hint = "at most one community per resident"
    communities = collect(
        problems, check_whole, n_communities, "n_communities", minimum=1, maximum=n, hint=hint
    )
    if n_subdistricts is None and communities is not None:
        n_subdistricts = max(1, math.ceil(communities / 8))
    if communities is not None:
        hint = "at most one subdistrict per community"
        collect(
            problems,
            check_whole,
            n_subdistricts,
            "n_subdistricts",
            minimum=1,
            maximum=communities,
            hint=hint,
        )
    collect(problems, check_whole, building_size, "building_size", minimum=1)
    for name, value in (
        ("degree_building", degree_building),
        ("degree_community", degree_community),
        ("degree_across", degree_across),
    ):
        collect(problems, check_number, value, name, minimum=0, hint="an expected number of ties")
    for name, value in (("engaged_share", engaged_share), ("leader_share", leader_share)):
        collect(problems, check_number, value, name, minimum=0, maximum=1, what="a share")
    collect(problems, check_whole, activities_per_project, "activities_per_project", minimum=0)
    collect(problems, check_whole, named_per_activity, "named_per_activity", minimum=0)
    collect(problems, check_whole, year, "year", minimum=1950, maximum=2100, hint="a calendar year")
    if problems:
        raise ValidationError(problems)
    seed_text = (
        str(rng)
        if isinstance(rng, int | np.integer)
        else "unseeded"
        if rng is None
        else "given generator"
    )
    gen = as_generator(rng)
    return _Generator(
        gen,
        n=n,
        n_communities=int(n_communities),
        n_subdistricts=int(n_subdistricts or 1),
        building_size=int(building_size),
        degrees=(float(degree_building), float(degree_community), float(degree_across)),
        engaged_share=float(engaged_share),
        leader_share=float(leader_share),
        activities_per_project=int(activities_per_project),
        named_per_activity=int(named_per_activity),
        year=int(year),
        seed_text=seed_text,
    )


class _Generator:
    """One run of :func:`synthetic`: arrays first, records at the end."""

    def __init__(
        self,
        gen: np.random.Generator,
        *,
        n: int,
        n_communities: int,
        n_subdistricts: int,
        building_size: int,
        degrees: tuple[float, float, float],
        engaged_share: float,
        leader_share: float,
        activities_per_project: int,
        named_per_activity: int,
        year: int,
        seed_text: str,
    ) -> None:
        self.gen = gen
        self.n = n
        self.n_comm = n_communities
        self.n_sub = n_subdistricts
        self.building_size = building_size
        self.degrees = degrees
        self.engaged_share = engaged_share
        self.leader_share = leader_share
        self.activities_per_project = activities_per_project
        self.named_per_activity = named_per_activity
        self.year = year
        self.as_of = dt.date(year, 12, 31)
        self.seed_text = seed_text
        self.items: list[Entity | Link] = []

    # ------------------------------------------------------------------ people

    def households(self) -> None:
        """Household sizes and each member's age, community and building."""
        gen, n = self.gen, self.n
        probs = np.array([h[0] for h in _HOUSEHOLDS])
        mean_size = sum(
            p * (a + (c[0] + c[1]) / 2 + (e[0] + e[1]) / 2) for p, a, c, e in _HOUSEHOLDS
        )
        n_h = int(n / mean_size * 1.1) + 10
        kind = gen.choice(len(_HOUSEHOLDS), size=n_h, p=probs)
        adults = np.array([h[1] for h in _HOUSEHOLDS])[kind]
        lo_c, hi_c = (np.array([h[2][i] for h in _HOUSEHOLDS])[kind] for i in (0, 1))
        lo_e, hi_e = (np.array([h[3][i] for h in _HOUSEHOLDS])[kind] for i in (0, 1))
        kids = gen.integers(lo_c, hi_c + 1)
        elders = gen.integers(lo_e, hi_e + 1)
        size = adults + kids + elders
        while int(size.sum()) < n:  # pragma: no cover - the margin above suffices
            size = np.concatenate([size, size])
            adults, kids, elders = (np.concatenate([x, x]) for x in (adults, kids, elders))
        end = np.cumsum(size)
        n_h = int(np.searchsorted(end, n)) + 1  # households needed to reach n
        size, adults, kids, elders = size[:n_h].copy(), adults[:n_h], kids[:n_h], elders[:n_h]
        size[-1] -= int(end[n_h - 1]) - n  # the last household is cut to fit
        hh = np.repeat(np.arange(n_h), size)
        start = np.concatenate([[0], np.cumsum(size)[:-1]])
        pos = np.arange(n) - start[hh]
        # members in order: adults, then children or teens, then elders
        role = np.where(pos < adults[hh], 0, np.where(pos < (adults + kids)[hh], 1, 2))
        age = np.empty(n, dtype=np.int64)
        single = adults[hh] == 1
        a_mask = role == 0
        age[a_mask] = np.where(
            single[a_mask], gen.integers(18, 40, a_mask.sum()), gen.integers(24, 60, a_mask.sum())
        )
        c_mask = role == 1
        age[c_mask] = gen.integers(0, 18, c_mask.sum())
        e_mask = role == 2
        age[e_mask] = np.minimum(60 + gen.exponential(9.0, e_mask.sum()).astype(np.int64), 99)
        # communities: contiguous runs of households with Dirichlet-spread sizes
        share = gen.dirichlet(np.full(self.n_comm, 8.0))
        targets = np.cumsum(share)[:-1] * n
        hh_comm = np.searchsorted(targets, start, side="right")
        comm = hh_comm[hh]
        # every community gets at least one resident: spread leftovers if any is empty
        counts = np.bincount(comm, minlength=self.n_comm)
        if (counts == 0).any():
            comm = np.minimum((np.arange(n) * self.n_comm) // n, self.n_comm - 1)
        # buildings: whole households fill buildings of about building_size people
        comm_start = np.searchsorted(comm, np.arange(self.n_comm))
        within = np.arange(n) - comm_start[comm]
        first_of_hh = within[start[hh]]
        local_building = first_of_hh // self.building_size
        key = comm * (n + 1) + local_building
        _, building = np.unique(key, return_inverse=True)
        self.hh, self.hh_size, self.pos = hh, size, pos
        self.age, self.comm, self.building = age, comm, building.astype(np.int64)
        self.n_hh = n_h
        self.n_build = int(self.building.max()) + 1 if n else 0
        # household-level flags
        self.migrant = (gen.random(n_h) < 0.5)[hh]
        self.dogs = (gen.random(n_h) < 0.08)[hh] & (age >= 18)

    # ------------------------------------------------------------------ ties

    def _block_pairs(self, block: np.ndarray, degree: float) -> tuple[np.ndarray, np.ndarray]:
        """Endpoints of SBM ties within contiguous blocks (``block`` is sorted)."""
        gen = self.gen
        sizes = np.bincount(block)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        ok = sizes >= 2
        pairs = sizes[ok].astype(np.float64) * (sizes[ok] - 1) / 2
        p = np.minimum(1.0, degree / np.maximum(sizes[ok] - 1, 1))
        m = gen.binomial(pairs.astype(np.int64), p)
        rep_start = np.repeat(starts[ok], m)
        rep_size = np.repeat(sizes[ok], m)
        u = rep_start + (gen.random(rep_start.size) * rep_size).astype(np.int64)
        v = rep_start + (gen.random(rep_start.size) * rep_size).astype(np.int64)
        return u, v

    def ties(self) -> None:
        """The ``knows`` edges as arrays ``u < v`` with weights, sorted, unique."""
        gen, n = self.gen, self.n
        us, vs, ws = [], [], []
        # household: everyone knows everyone
        max_size = int(self.hh_size.max()) if n else 0
        size_of = self.hh_size[self.hh]
        for d in range(1, max_size):
            mask = self.pos + d < size_of
            u = np.flatnonzero(mask)
            us.append(u)
            vs.append(u + d)
            ws.append(np.full(u.size, 3.0))
        d_build, d_comm, d_across = self.degrees
        for block, degree, weight in ((self.building, d_build, 2.0), (self.comm, d_comm, 1.0)):
            if degree > 0:
                u, v = self._block_pairs(block, degree)
                us.append(u)
                vs.append(v)
                ws.append(np.full(u.size, weight))
        if d_across > 0 and n >= 2:
            m = int(gen.binomial(n * (n - 1) // 2, min(1.0, d_across / (n - 1))))
            us.append(gen.integers(0, n, m))
            vs.append(gen.integers(0, n, m))
            ws.append(np.full(m, 0.5))
        u = np.concatenate(us) if us else np.empty(0, np.int64)
        v = np.concatenate(vs) if vs else np.empty(0, np.int64)
        w = np.concatenate(ws) if ws else np.empty(0)
        keep = u != v
        u, v, w = u[keep], v[keep], w[keep]
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        code = lo * n + hi
        order = np.lexsort((-w, code))  # by pair, strongest first
        code, w = code[order], w[order]
        first = np.ones(code.size, dtype=bool)
        first[1:] = code[1:] != code[:-1]
        code, w = code[first], w[first]
        self.eu, self.ev, self.ew = code // n, code % n, w
        self.degree = np.bincount(self.eu, minlength=n) + np.bincount(self.ev, minlength=n)
        ones = np.ones(code.size, dtype=np.int8)
        adj = sp.csr_array(
            (
                np.concatenate([ones, ones]),
                (np.concatenate([self.eu, self.ev]), np.concatenate([self.ev, self.eu])),
            ),
            shape=(n, n),
        )
        self.adj = adj

    # ------------------------------------------------------------------ roles

    def roles(self) -> None:
        """Engaged residents, leaders, talents and social workers per community."""
        gen, n = self.gen, self.n
        adult = self.age >= 18
        noise = gen.gumbel(size=n)
        score = 2.0 * np.log1p(self.degree) + noise  # Gumbel top-k: weights (1+deg)^2
        lead_score = self.degree + 0.5 * gen.gumbel(size=n)
        engaged = np.zeros(n, dtype=bool)
        leader = np.zeros(n, dtype=bool)
        talent = np.zeros(n, dtype=bool)
        worker = np.zeros(n, dtype=bool)
        comm_start = np.searchsorted(self.comm, np.arange(self.n_comm))
        comm_end = np.append(comm_start[1:], n)
        for c in range(self.n_comm):
            lo, hi = int(comm_start[c]), int(comm_end[c])
            idx = np.arange(lo, hi)[adult[lo:hi]]
            k = min(round(self.engaged_share * (hi - lo)), idx.size)
            if k > 0:
                chosen = idx[np.argsort(-score[idx], kind="stable")[:k]]
                engaged[chosen] = True
                n_lead = min(k, max(1, round(self.leader_share * k)))
                ranked = chosen[np.argsort(-lead_score[chosen], kind="stable")]
                leader[ranked[:n_lead]] = True
                talent[ranked[n_lead : 2 * n_lead]] = True
            rest = idx[~engaged[idx]]
            if rest.size:
                workers = rest[gen.choice(rest.size, size=min(2, rest.size), replace=False)]
                worker[np.sort(workers)] = True
        self.engaged, self.leader, self.talent, self.worker = engaged, leader, talent, worker

    def skills(self) -> None:
        """Up to three skills per adult (more for engaged residents), levels 1–4."""
        gen, n = self.gen, self.n
        tax = default_taxonomy()
        leaves = [s.id for s in tax if s.parent is not None]
        self.skill_ids = leaves
        count = np.where(self.age >= 18, gen.poisson(0.5, n), 0)
        count = np.where(self.engaged, 1 + gen.poisson(1.2, n), count)
        count = np.where(self.worker, 3, count)
        self.n_skills = np.minimum(count, 3)
        self.skill_draw = gen.integers(0, len(leaves), size=(n, 3))
        level = gen.choice([1, 2, 3, 4], size=(n, 3), p=[0.4, 0.35, 0.2, 0.05])
        level = np.where(
            self.engaged[:, None], np.minimum(level + (gen.random((n, 3)) < 0.4), 4), level
        )
        self.skill_level = level
        self.hours = np.where(self.engaged, np.round((1.0 + gen.gamma(2.0, 1.5, n)) * 2) / 2, 0.0)
        self.hours = np.where(self.leader, self.hours + 2.0, self.hours)
        self.hours = np.where(self.worker, 6.0, self.hours)
        self.interest = gen.integers(0, len(_THEME_SKILLS), n)

    # ------------------------------------------------------------------ records

    def places(self) -> None:
        items = self.items
        items.append(District(id="d", name="Synthetic District", name_zh="合成区"))
        comm_sub = (np.arange(self.n_comm) * self.n_sub) // self.n_comm
        self.sub_ids = [f"s{i + 1:02d}" for i in range(self.n_sub)]
        self.comm_ids = [f"c{i + 1:03d}" for i in range(self.n_comm)]
        for i, sid in enumerate(self.sub_ids):
            items.append(
                Subdistrict(
                    id=sid, name=f"Subdistrict {i + 1}", name_zh=f"第{i + 1}街道", district="d"
                )
            )
        population = np.bincount(self.comm, minlength=self.n_comm)
        for i, cid in enumerate(self.comm_ids):
            items.append(
                Community(
                    id=cid,
                    name=f"Community {i + 1}",
                    name_zh=f"第{i + 1}社区",
                    subdistrict=self.sub_ids[int(comm_sub[i])],
                    population=int(population[i]),
                )
            )
        # segments: who is in each, per community
        age = self.age
        member = np.stack(
            [age >= 60, age <= 12, (age >= 13) & (age <= 24), self.migrant, self.dogs], axis=1
        )
        self.segment_mask = member
        counts = np.zeros((self.n_comm, len(_SEGMENTS)), dtype=np.int64)
        for j in range(len(_SEGMENTS)):
            counts[:, j] = np.bincount(self.comm[member[:, j]], minlength=self.n_comm)
        for i, cid in enumerate(self.comm_ids):
            for j, (suffix, en, zh) in enumerate(_SEGMENTS):
                items.append(
                    Segment(
                        id=f"{cid}-{suffix}",
                        name=en,
                        name_zh=zh,
                        place=cid,
                        population=int(counts[i, j]),
                    )
                )
        # "1+N" hubs, service centres, the charity fund, its branches and micro-funds
        items.append(
            Organization(
                id="hub",
                name="District Social Innovation Centre",
                name_zh="区社会创新中心",
                org_kind=OrgKind.HUB,
                place="d",
            )
        )
        items.append(
            Organization(
                id="fund",
                name="District Social Innovation Charity Fund",
                name_zh="区社会创新公益基金",
                org_kind=OrgKind.FUND,
                place="d",
            )
        )
        for i, sid in enumerate(self.sub_ids):
            items.append(
                Organization(
                    id=f"{sid}-hub",
                    name=f"Street Centre {i + 1}",
                    name_zh=f"第{i + 1}街道社会创新中心",
                    org_kind=OrgKind.HUB,
                    place=sid,
                    parent="hub",
                )
            )
            items.append(
                Organization(
                    id=f"{sid}-fund",
                    name=f"Charity Fund branch {i + 1}",
                    name_zh=f"公益基金第{i + 1}街道分部",
                    org_kind=OrgKind.FUND,
                    place=sid,
                    parent="fund",
                )
            )
        for i, cid in enumerate(self.comm_ids):
            sid = self.sub_ids[int(comm_sub[i])]
            items.append(
                Organization(
                    id=f"{cid}-psc",
                    name=f"Service Centre {i + 1}",
                    name_zh=f"第{i + 1}社区党群服务中心",
                    org_kind=OrgKind.SERVICE_CENTRE,
                    place=cid,
                )
            )
            items.append(
                Organization(
                    id=f"{cid}-mf",
                    name=f"Micro-fund {i + 1}",
                    name_zh=f"第{i + 1}社区微基金",
                    org_kind=OrgKind.FUND,
                    place=cid,
                    parent=f"{sid}-fund",
                )
            )
            items.append(
                Resource(
                    id=f"{cid}-hall",
                    name="Service centre hall",
                    name_zh="党群服务中心活动室",
                    resource_kind=ResourceKind.VENUE,
                    place=cid,
                    provider=f"{cid}-psc",
                    capacity=80.0,
                    unit="people",
                )
            )
        self.comm_sub = comm_sub

    def residents(self) -> None:
        """One :class:`~vchuang.model.Resident` per person, and the ``knows`` links,
        built column by column (:func:`records_from_columns`); records share their
        sub-objects (segment tuples, skill levels, roles), so a million residents stay
        small."""
        n, n_comm = self.n, self.n_comm
        width = max(7, len(str(n)))
        self.rid = rids = [f"r{i:0{width}d}" for i in range(n)]
        hh_width = max(7, len(str(self.n_hh)))
        hh_ids = [f"h{i:0{hh_width}d}" for i in range(self.n_hh)]
        b_ids = [f"b{i:05d}" for i in range(self.n_build)]
        names = [f"{s} {g}" for s in _SURNAMES for g in _GIVEN]
        name_draw = self.gen.integers(0, len(names), n)
        comm_ids = self.comm_ids
        age, comm = self.age, self.comm
        minor = age < 18
        # adults have a drawn name, minors a label: "Child (c001)" to 12, "Teen (c001)" after
        labels = [
            *names,
            *(f"Child ({cid})" for cid in comm_ids),
            *(f"Teen ({cid})" for cid in comm_ids),
        ]
        label = len(names) + np.where(age <= 12, 0, n_comm) + comm
        name = _pick(labels, np.where(minor, label, name_draw))
        # segments: one shared tuple per community and set of segments
        sets = 1 << len(_SEGMENTS)
        seg_key = comm * sets + (self.segment_mask * (1 << np.arange(len(_SEGMENTS)))).sum(axis=1)
        seg_keys, seg_of = np.unique(seg_key, return_inverse=True)
        seg_tuples = [
            tuple(
                f"{comm_ids[key // sets]}-{_SEGMENTS[j][0]}"
                for j in range(len(_SEGMENTS))
                if key % sets >> j & 1
            )
            for key in seg_keys.tolist()
        ]
        # skills: the first level drawn for each distinct skill (adults only)
        levels = [
            SkillLevel(skill=s, level=Level(lv)) for s in self.skill_ids for lv in (1, 2, 3, 4)
        ]
        count = np.where(minor, 0, self.n_skills)
        code = self.skill_draw * 4 + self.skill_level - 1  # index into ``levels``
        skills = _pick(
            [*((lv,) for lv in levels), ()], np.where(count == 1, code[:, 0], len(levels))
        )
        several = np.flatnonzero(count >= 2)
        for i, k, row in zip(
            several.tolist(), count[several].tolist(), code[several].tolist(), strict=True
        ):
            seen: dict[int, SkillLevel] = {}
            for c in row[:k]:
                seen.setdefault(c // 4, levels[c])
            skills[i] = tuple(seen.values())
        # roles: none, volunteer, talent, leader, social worker (adults only)
        role = np.zeros(n, dtype=np.int64)
        role[self.engaged] = 1
        role[self.talent] = 2
        role[self.leader] = 3
        role[self.worker] = 4
        role[minor] = 0
        roles_of = [
            (),
            (Role.VOLUNTEER,),
            (Role.VOLUNTEER, Role.TALENT),
            (Role.VOLUNTEER, Role.LEADER),
            (Role.SOCIAL_WORKER,),
        ]
        themes = [(t,) for t in _THEME_SKILLS]
        interests = _pick(
            [*themes, ()], np.where((role >= 1) & (role <= 3), self.interest, len(themes))
        )
        hours = np.where(minor, 0.0, self.hours).tolist()
        shared: dict[float, float] = {}
        oldest = int(age.max()) if n else 0
        birth_year = [None if a < 18 else self.year - a for a in range(oldest + 1)]
        band = [AgeBand.from_age(a) for a in range(oldest + 1)]
        self.items.extend(
            records_from_columns(
                Resident,
                n,
                {
                    "id": rids,
                    "name": name,
                    "community": _pick(comm_ids, comm),
                    "birth_year": _pick(birth_year, age),
                    "age_band": _pick(band, age),
                    "segments": _pick(seg_tuples, seg_of),
                    "skills": skills,
                    "interests": interests,
                    "hours_per_week": list(map(shared.setdefault, hours, hours)),
                    "roles": _pick(roles_of, role),
                    "household": _pick(hh_ids, self.hh),
                    "building": _pick(b_ids, self.building),
                },
            )
        )
        m = int(self.eu.size)
        weights = {3.0: 3.0, 2.0: 2.0, 1.0: 1.0, 0.5: 0.5}
        self.links = records_from_columns(
            Link,
            m,
            {
                "source": _pick(rids, self.eu),
                "relation": [Relation.KNOWS] * m,
                "target": _pick(rids, self.ev),
                "weight": list(map(weights.__getitem__, self.ew.tolist())),
            },
        )

    # ------------------------------------------------------------------ projects

    def projects(self) -> None:
        """Each community's meetings, its leaders' projects, who co-leads and volunteers
        in them, and their activities with who came (activities and links are built in
        bulk, per community and at the end)."""
        gen = self.gen
        items, rid = self.items, self.rid
        link_rows: list[tuple[str, Relation, str, float | None]] = []
        stages = [s for s, _ in _STAGES]
        stage_p = np.array([p for _, p in _STAGES])
        theme_names = list(_THEME_SKILLS)
        comm_start = np.searchsorted(self.comm, np.arange(self.n_comm))
        comm_end = np.append(comm_start[1:], self.n)
        year = self.year
        day0 = dt.date(year, 3, 1).toordinal()
        n_days = dt.date(year, 12, 31).toordinal() - day0 + 1
        adj = self.adj
        need_no = 0
        for c, cid in enumerate(self.comm_ids):
            lo, hi = int(comm_start[c]), int(comm_end[c])
            local = np.arange(lo, hi)
            leaders = local[self.leader[lo:hi]]
            talents = local[self.talent[lo:hi]]
            engaged = local[self.engaged[lo:hi] & ~self.leader[lo:hi]]
            workers = local[self.worker[lo:hi]].tolist()
            seg_members = [local[self.segment_mask[lo:hi, j]] for j in range(len(_SEGMENTS))]
            sub = self.sub_ids[int(self.comm_sub[c])]
            # the community's meetings, run by its social workers
            org = [rid[w] for w in workers]
            meetings = (
                (ActivityKind.MOBILISATION, "Mobilisation meeting", "社区动员会", 0.5, 3),
                (ActivityKind.SELECTION_MEETING, "Project selection meeting", "项目征选会", 0.3, 2),
                (ActivityKind.VOLUNTEER_MEETING, "Volunteer meeting", "志愿者例会", 0.4, 0),
                (ActivityKind.VOLUNTEER_MEETING, "Volunteer meeting", "志愿者例会", 0.4, 0),
            )
            pool = np.concatenate([leaders, engaged])
            rows: list[tuple[Any, ...]] = []
            for k, (kind, en, zh, p, crowd) in enumerate(meetings, start=1):
                came = np.sort(pool[gen.random(pool.size) < p]) if pool.size else pool
                if kind is ActivityKind.SELECTION_MEETING:
                    came = np.union1d(came, np.concatenate([leaders, talents]))
                day = dt.date.fromordinal(day0 - 60 + 45 * k + int(gen.integers(0, 20)))
                rows.append(
                    (
                        f"{cid}-m{k}",
                        f"{en} {k}",
                        zh,
                        kind,
                        day,
                        cid,
                        None,
                        tuple(org),
                        tuple(rid[x] for x in came.tolist() if rid[x] not in org),
                        int(came.size + crowd * came.size) if crowd else None,
                        2.0,
                        (),
                    )
                )
            items.extend(_activities(rows))
            if leaders.size == 0:
                continue
            # one project per leader
            themes = [theme_names[int(t)] for t in self.interest[leaders]]
            project_ids = [f"{cid}-p{j + 1}" for j in range(leaders.size)]
            stage_draw = gen.choice(len(stages), size=leaders.size, p=stage_p)
            leader_of = dict(zip(leaders.tolist(), project_ids, strict=True))
            for j, (lead, pid, theme) in enumerate(
                zip(leaders.tolist(), project_ids, themes, strict=True)
            ):
                skills = _THEME_SKILLS[theme]
                needs = []
                for s in skills[:2]:
                    need_no += 1
                    needs.append(
                        Need(
                            id=f"n{need_no}",
                            skill=s,
                            hours=float(gen.integers(2, 9)),
                            people=int(gen.integers(1, 4)),
                            min_level=Level(int(gen.integers(1, 4))),
                        )
                    )
                if gen.random() < 0.5:
                    need_no += 1
                    needs.append(
                        Need(
                            id=f"n{need_no}",
                            resource=(
                                ResourceKind.VENUE,
                                ResourceKind.MATERIALS,
                                ResourceKind.MONEY,
                            )[int(gen.integers(0, 3))],
                        )
                    )
                stage = stages[int(stage_draw[j])]
                items.append(
                    Project(
                        id=pid,
                        name=f"{THEMES[theme][0].capitalize()} {j + 1}",
                        name_zh=f"{THEMES[theme][1]}项目{j + 1}",
                        community=cid,
                        themes=[theme],
                        stage=stage,
                        needs=needs,
                        target_segments=[
                            f"{cid}-{_SEGMENTS[s][0]}" for s in _THEME_SEGMENTS[theme]
                        ],
                        budget_fen=int(gen.integers(5, 60)) * 10_000,
                        started=dt.date.fromordinal(day0 + int(gen.integers(0, 90))),
                    )
                )
                link_rows.append((rid[lead], Relation.LEADS, pid, None))
                link_rows.append((f"{sub}-hub", Relation.SUPPORTS, pid, None))
                if stage in (Stage.SUSTAINED, Stage.RESOURCE_LINKAGE):
                    link_rows.append((f"{cid}-mf", Relation.FUNDS, pid, None))
                    link_rows.append((f"{cid}-hall", Relation.LINKED_TO, pid, None))
            for j, tal in enumerate(talents.tolist()):  # talents co-lead
                link_rows.append(
                    (rid[tal], Relation.CO_LEADS, project_ids[j % len(project_ids)], None)
                )
            # volunteers: a project whose leader they know, else one at random
            volunteers: dict[str, list[int]] = {p: [] for p in project_ids}
            co = set(talents.tolist())
            for x in engaged.tolist():
                if x in co:
                    continue
                known = [
                    leader_of[y]
                    for y in adj.indices[adj.indptr[x] : adj.indptr[x + 1]].tolist()
                    if y in leader_of
                ]
                pid = min(known) if known else project_ids[int(gen.integers(0, len(project_ids)))]
                volunteers[pid].append(x)
                link_rows.append(
                    (rid[x], Relation.VOLUNTEERS_IN, pid, float(max(1.0, self.hours[x] / 2)))
                )
            # activities: attendance from volunteers, acquaintances, target segments
            rows = []
            targets_of: dict[tuple[int, ...], np.ndarray] = {}  # by target segments
            for lead, pid, theme, sd in zip(
                leaders.tolist(), project_ids, themes, stage_draw.tolist(), strict=True
            ):
                stage = stages[int(sd)]
                n_act = 1 if stage is Stage.SEED_SELECTION else self.activities_per_project
                vols = np.array(volunteers[pid], dtype=np.int64)
                organisers = [lead, *vols[:1].tolist()]
                organiser_ids = tuple(rid[o] for o in organisers)
                acquainted = np.unique(
                    np.concatenate(
                        [adj.indices[adj.indptr[o] : adj.indptr[o + 1]] for o in organisers]
                    )
                )
                acquainted = acquainted[(acquainted >= lo) & (acquainted < hi)]
                segments = _THEME_SEGMENTS[theme]
                targets = targets_of.get(segments)
                if targets is None:
                    targets = np.unique(np.concatenate([seg_members[s] for s in segments]))
                    targets_of[segments] = targets
                p_seg = min(1.0, self.named_per_activity / max(targets.size, 1))
                days = np.sort(gen.integers(0, n_days, n_act))
                name = f"{THEMES[theme][0].capitalize()} event"
                name_zh = f"{THEMES[theme][1]}活动"
                skill = tuple(_THEME_SKILLS[theme][:1])
                for a in range(n_act):
                    # who came, in order, without the organisers: marked in the community
                    came_mask = np.zeros(hi - lo, dtype=bool)
                    came_mask[vols[gen.random(vols.size) < 0.6] - lo] = True
                    came_mask[acquainted[gen.random(acquainted.size) < 0.3] - lo] = True
                    came_mask[targets[gen.random(targets.size) < p_seg] - lo] = True
                    came_mask[np.array(organisers) - lo] = False
                    came = np.flatnonzero(came_mask) + lo
                    named = came.size
                    crowd = int(gen.poisson(2.0 * max(named, 5)))
                    rows.append(
                        (
                            f"{pid}-a{a + 1}",
                            name,
                            name_zh,
                            ActivityKind.OUTREACH if a % 2 == 0 else ActivityKind.SERVICE,
                            dt.date.fromordinal(day0 + int(days[a])),
                            cid,
                            pid,
                            organiser_ids,
                            tuple(map(rid.__getitem__, came.tolist())),
                            named + crowd,
                            2.0,
                            skill,
                        )
                    )
            items.extend(_activities(rows))
        self.links.extend(
            records_from_columns(
                Link,
                len(link_rows),
                dict(
                    zip(
                        ("source", "relation", "target", "hours"),
                        _columns(link_rows, 4),
                        strict=True,
                    )
                ),
            )
        )

    def records(self) -> list[Entity | Link]:
        """Every record and link of the district, in the order they are added (the run
        is then spent: its per-resident arrays are let go before the graph is built)."""
        self.households()
        self.ties()
        self.roles()
        self.skills()
        self.places()
        self.residents()
        self.projects()
        items, self.items = self.items, []
        items.extend(self.links)
        self.links = []
        for name, value in list(vars(self).items()):  # about 300 MB at a million residents
            if isinstance(value, np.ndarray | sp.sparray) or name == "rid":
                delattr(self, name)
        return items

    def build(self) -> CommunityGraph:
        """The district as a graph, its records added the JSON reader's way (all at
        once, then checked in bulk), with the garbage collector paused (millions of new
        objects, no reference cycles)."""
        with collector_paused():
            items = self.records()
            metadata = self.metadata()
            graph = CommunityGraph(metadata=metadata)
            if graph._load(items):
                return graph
        # never expected: a new graph names the problem (IntegrityError)
        graph = CommunityGraph(metadata=metadata)
        graph.add_all(items)
        return graph

    def metadata(self) -> Metadata:
        """What the district is: the title, the parameters and the seed."""
        return Metadata(
            title=f"Synthetic district: {self.n:,} residents in {self.n_comm} communities",
            description=(
                "Invented by vchuang.datasets.synthetic: households in buildings, a "
                "stochastic-block-model social network, engaged residents and leaders, "
                f"projects and activities (seed: {self.seed_text}; building_size="
                f"{self.building_size}, degrees={self.degrees}, engaged_share="
                f"{self.engaged_share}, leader_share={self.leader_share})."
            ),
            source="vchuang.datasets.synthetic (no real people)",
            license="CC0-1.0",
            as_of=self.as_of,
        )
