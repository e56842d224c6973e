"""Matching on the community graph: :func:`match` (private; re-exported)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.checks import check_choice, check_number, check_whole, collect
from ..kernel.said import Said, Words
from ..kernel.text import text
from ..model import Level, Need, Project, Resident, Role, SkillTaxonomy, Stage
from ._result import Assignment, MatchResult, ProjectFill, TrainingOption, UnmetNeed
from ._score import (
    ScoreModel,
    _pair_table,
    _Pairs,
    _project_of,
    compatibility,
    level_words,
    skill_words,
)
from ._solve import _METHODS, match_arrays

__all__ = ["match"]

_CLOSED = (Stage.DROPPED, Stage.COMPLETED)
_STAFF = (Role.SOCIAL_WORKER, Role.STAFF)
_EPS = 1e-9

NeedLike = str | Need | Project
ResidentLike = str | Resident
FixedLike = Assignment | tuple[str, str, float] | Mapping[str, Any]


def _select_needs(
    graph: CommunityGraph, needs: NeedLike | Iterable[NeedLike] | None
) -> tuple[list[tuple[Project, Need]], list[str]]:
    chosen: dict[str, tuple[Project, Need]] = {}
    resource: dict[str, None] = {}

    def take(project: Project, need: Need) -> None:
        if need.skill is None:
            resource[need.id] = None
        else:
            chosen[need.id] = (project, need)

    if needs is None:
        for project in graph.projects():
            if project.stage not in _CLOSED:
                for need in project.needs:
                    take(project, need)
    else:
        items = [needs] if isinstance(needs, str | Need | Project) else list(needs)
        for item in items:
            key = item.id if isinstance(item, Need | Project) else item
            if key in graph and graph.kind_of(key) == "project":
                project = graph.get(key, Project)
                for need in project.needs:
                    take(project, need)
            else:
                take(*_project_of(graph, key))
    ordered = [chosen[k] for k in sorted(chosen)]
    return ordered, sorted(resource)


def _select_residents(
    graph: CommunityGraph, residents: ResidentLike | Iterable[ResidentLike] | None
) -> list[Resident]:
    if residents is None:
        pool = [
            r
            for r in graph.residents()
            if r.hours_per_week > 0 and not any(role in r.roles for role in _STAFF)
        ]
    else:
        items = [residents] if isinstance(residents, str | Resident) else list(residents)
        pool = [graph.get(r.id if isinstance(r, Resident) else r, Resident) for r in items]
    unique = {r.id: r for r in pool}
    return [unique[k] for k in sorted(unique)]


def _parse_fixed(graph: CommunityGraph, fixed: Iterable[FixedLike]) -> list[tuple[str, str, float]]:
    out: dict[tuple[str, str], float] = {}
    problems: list[Problem] = []
    items: Iterable[object] = fixed
    for k, item in enumerate(items):
        where = f"fixed[{k}]"
        if isinstance(item, Assignment):
            triple: tuple[Any, Any, Any] = (item.resident, item.need, item.hours)
        elif isinstance(item, Mapping):
            triple = (item.get("resident"), item.get("need"), item.get("hours"))
        elif isinstance(item, tuple | list) and len(item) == 3:
            triple = (item[0], item[1], item[2])
        else:
            problems.append(
                Problem(
                    where,
                    f"cannot read {item!r} as an assignment",
                    "give (resident, need, hours) or an Assignment",
                )
            )
            continue
        resident, need, hours = triple
        if collect(problems, check_number, hours, f"{where}.hours", above=0) is None:
            continue
        graph.get(str(resident), Resident)
        _, record = _project_of(graph, str(need))
        if record.skill is None:
            problems.append(
                Problem(
                    where,
                    f"need {need!r} is a resource need",
                    "only skill needs take residents' hours",
                )
            )
            continue
        key = (str(resident), str(need))
        if key in out:
            problems.append(
                Problem(
                    where,
                    f"resident {resident!r} and need {need!r} are fixed twice",
                    "give each pair once, with its total hours",
                )
            )
            continue
        out[key] = float(hours)
    if problems:
        raise ValidationError(problems)
    return [(r, n, h) for (r, n), h in out.items()]


def _check_options(method: object, max_projects: object, unit: object, time_limit: object) -> None:
    problems: list[Problem] = []
    collect(problems, check_choice, method, _METHODS, "method")
    if max_projects is not None:
        hint = "use a whole number >= 1, or None for no cap"
        collect(
            problems, check_whole, max_projects, "max_projects_per_person", minimum=1, hint=hint
        )
    hint = "use 1 for whole hours, 0.5 for half hours"
    collect(problems, check_number, unit, "unit", above=0, what="a number of hours", hint=hint)
    if time_limit is not None:
        hint = "or None for no limit"
        collect(
            problems,
            check_number,
            time_limit,
            "time_limit",
            above=0,
            finite=False,
            what="seconds",
            hint=hint,
        )
    if problems:
        raise ValidationError(problems)


def _units(hours: npt.NDArray[np.float64], unit: float) -> npt.NDArray[np.int64]:
    out: npt.NDArray[np.int64] = np.floor(np.maximum(hours, 0.0) / unit + _EPS).astype(np.int64)
    return out


def match(
    graph: CommunityGraph,
    *,
    needs: NeedLike | Iterable[NeedLike] | None = None,
    residents: ResidentLike | Iterable[ResidentLike] | None = None,
    method: str = "optimal",
    max_projects_per_person: int | None = 2,
    fixed: Iterable[FixedLike] = (),
    model: ScoreModel | None = None,
    unit: float = 1.0,
    time_limit: float | None = 60.0,
) -> MatchResult:
    """Match residents to projects' skill needs (需求): who helps where, for how many hours.

    Parameters
    ----------
    graph : CommunityGraph
        Residents, projects and their needs.
    needs : str or Need or Project or iterable, optional
        Needs to staff, by need or project (a project brings all its needs). Default:
        every need of every project not dropped or completed. Resource needs are listed
        in ``out_of_scope``, not matched.
    residents : str or Resident or iterable, optional
        The pool. Default: every resident offering hours (``hours_per_week > 0``) who is
        not a social worker or staff.
    method : {"optimal", "stable", "greedy"}
        ``"optimal"``: the most score-weighted hours (exact). ``"stable"``: deferred
        acceptance, so that no resident and need would both rather be together.
        ``"greedy"``: highest score first (fast, not guaranteed best).
    max_projects_per_person : int or None
        Each resident helps at most this many projects (so leaders are not burnt out);
        ``None`` for no cap. The stable method counts needs instead of projects.
    fixed : iterable, optional
        Assignments that stand: :class:`Assignment` records (e.g. from an earlier
        result) or ``(resident, need, hours)`` triples. They use up hours, headcount and
        project slots; the rest is matched around them.
    model : ScoreModel, optional
        The scoring rules (default :class:`ScoreModel`).
    unit : float
        Hours are assigned in whole multiples of ``unit`` (default 1 hour; 0.5 for half
        hours). Capacities are rounded down to whole units.
    time_limit : float or None
        Seconds allowed to the exact solver when headcounts or project caps bind
        (``None``: no limit). If it stops early the result says so and gives a bound.

    Returns
    -------
    MatchResult
        Assignments with hours, scores and reasons; unmet needs with their shortfall in
        hours and people and whom to train; idle residents; totals; a summary and a plot.

    Raises
    ------
    UnknownEntityError
        A resident, need or project ID that is not in the graph.
    ValidationError
        An unknown method, a cap or unit out of range, a need of a proposal, a fixed
        assignment that cannot be read.

    See Also
    --------
    compatibility : the score of one pair, with its reasons.
    match_arrays : the solver on plain arrays.

    Notes
    -----
    Each resident :math:`i` offers :math:`h_i` hours a week; each skill need :math:`j`
    asks for :math:`d_j` hours across at most :math:`p_j` people. Eligible pairs are
    those scoring at least ``model.threshold`` (:func:`compatibility`). The optimal
    method maximises the score-weighted hours

    .. math:: \\max \\sum_{(i,j)} s_{ij} x_{ij} \\quad \\text{s.t.} \\quad
              \\sum_j x_{ij} \\le h_i, \\; \\sum_i x_{ij} \\le d_j, \\;
              |\\{i : x_{ij} > 0\\}| \\le p_j, \\;
              |\\{\\text{projects of } i\\}| \\le k

    over whole units :math:`x_{ij}`; how it is solved exactly is in
    :func:`match_arrays`. The stable method runs resident-proposing deferred
    acceptance [1]_ with quotas (many-to-many, [2]_): residents rank needs by whether
    they care about the project's themes, then by closeness to home, then by score;
    needs rank residents by skill fit, then availability, then score. Its pairing is
    pairwise stable; hours are then split over the stable pairs to maximise
    score-weighted hours, at least one unit each. Shortfall in people is the number of
    further residents needed at the need's share :math:`d_j / p_j` hours each, within
    the free headcount.

    References
    ----------
    .. [1] Gale, D., & Shapley, L. S. (1962). College admissions and the stability of
       marriage. The American Mathematical Monthly, 69(1), 9-15.
       https://doi.org/10.1080/00029890.1962.11989827
    .. [2] Roth, A. E. (1984). Stability and polarization of interests in job matching.
       Econometrica, 52(1), 47-57.
    .. [3] Ahuja, R. K., Magnanti, T. L., & Orlin, J. B. (1993). Network Flows: Theory,
       Algorithms, and Applications. Prentice Hall (transportation problems, total
       unimodularity).

    Examples
    --------
    >>> import vchuang
    >>> from vchuang.matching import match
    >>> g = vchuang.load_example()
    >>> result = match(g)
    >>> [(a.resident, a.need, a.hours) for a in result.assignments][:3]
    [('pn-r01', 'pn-p1-design', 4.0), ('pn-r05', 'pn-p1-press', 2.0), ('pn-r03', 'pn-p2-talk', 3.0)]
    >>> result.optimal, result.out_of_scope
    (True, ('pn-p3-venue',))
    """
    _check_options(method, max_projects_per_person, unit, time_limit)
    model = model if model is not None else ScoreModel()
    need_list, out_of_scope = _select_needs(graph, needs)
    pool = _select_residents(graph, residents)
    fixed_list = _parse_fixed(graph, fixed)
    notes: list[str] = []
    # fixed assignments bring their residents and needs into the matching
    in_pool = {r.id for r in pool}
    in_needs = {n.id for _, n in need_list}
    extra_r = sorted({r for r, _, _ in fixed_list if r not in in_pool})
    extra_n = sorted({n for _, n, _ in fixed_list if n not in in_needs})
    if extra_r:
        pool = sorted([*pool, *(graph.get(r, Resident) for r in extra_r)], key=lambda r: r.id)
    if extra_n:
        need_list = sorted(
            [*need_list, *(_project_of(graph, n) for n in extra_n)], key=lambda pn: pn[1].id
        )
    r_pos = {r.id: i for i, r in enumerate(pool)}
    n_pos = {n.id: j for j, (_, n) in enumerate(need_list)}
    n_r, n_n = len(pool), len(need_list)
    pairs = _pair_table(graph, pool, need_list, model)

    hours_r = np.array([r.hours_per_week for r in pool], dtype=float)
    demand = np.array([n.hours for _, n in need_list], dtype=float)
    people = np.array([n.people for _, n in need_list], dtype=np.int64)
    project_ids = sorted({p.id for p, _ in need_list})
    p_pos = {p: k for k, p in enumerate(project_ids)}
    proj_of_need = np.array([p_pos[p.id] for p, _ in need_list], dtype=np.int64)

    fixed_r = np.zeros(n_r)
    fixed_n = np.zeros(n_n)
    fixed_heads = np.zeros(n_n, dtype=np.int64)
    fixed_projects: list[set[int]] = [set() for _ in range(n_r)]
    fixed_pairs: set[tuple[int, int]] = set()
    for rid, nid, h in fixed_list:
        i, j = r_pos[rid], n_pos[nid]
        fixed_r[i] += h
        fixed_n[j] += h
        fixed_heads[j] += 1
        fixed_projects[i].add(int(proj_of_need[j]))
        fixed_pairs.add((i, j))
    for i in np.flatnonzero(fixed_r > hours_r + _EPS).tolist():
        notes.append(
            Said(
                "matching.note.fixed_resident",
                resident=pool[i].id,
                fixed=f"{fixed_r[i]:g}",
                offered=f"{hours_r[i]:g}",
            )
        )
    for j in np.flatnonzero(fixed_n > demand + _EPS).tolist():
        notes.append(
            Said(
                "matching.note.fixed_need",
                need=need_list[j][1].id,
                fixed=f"{fixed_n[j]:g}",
                demand=f"{demand[j]:g}",
            )
        )
    for j in np.flatnonzero(fixed_heads > people).tolist():
        notes.append(
            Said(
                "matching.note.fixed_people",
                heads=fixed_heads[j],
                need=need_list[j][1].id,
                people=people[j],
            )
        )

    cap_r = _units(hours_r - fixed_r, unit)
    cap_n = _units(demand - fixed_n, unit)
    people_left = np.maximum(people - fixed_heads, 0)
    lost = float(np.sum(np.maximum(hours_r - fixed_r, 0.0) - cap_r * unit))
    if lost > _EPS:
        notes.append(Said("matching.note.units", unit=f"{unit:g}", lost=f"{lost:g}"))

    pair_key = pairs.r * max(n_n, 1) + pairs.n
    is_fixed = np.zeros(pairs.r.size, dtype=bool)
    if fixed_pairs:
        fixed_keys = np.array([i * max(n_n, 1) + j for i, j in fixed_pairs], dtype=np.int64)
        is_fixed = np.isin(pair_key, fixed_keys)
    # a fixed pair may grow (it holds its place already), except in the stable method
    use = np.flatnonzero(pairs.eligible & (~is_fixed if method == "stable" else True))
    ri, nj = pairs.r[use], pairs.n[use]
    seated = is_fixed[use]
    kcap = None
    pair_project = None
    if max_projects_per_person is not None:
        kcap = np.array(
            [max(0, max_projects_per_person - len(s)) for s in fixed_projects], dtype=np.int64
        )
        pair_project = proj_of_need[nj].copy()
        n_p = max(len(project_ids), 1)
        served = np.array(
            [i * n_p + q for i, qs in enumerate(fixed_projects) for q in qs], dtype=np.int64
        )
        if served.size:  # the resident already serves that project: no new slot used
            pair_project[np.isin(ri * n_p + pair_project, served)] = -1
    points = pairs.points[use]
    rpref = pairs.interest[use] * 1e8 + np.rint(pairs.place[use] * 1000) * 1e4 + points
    npref = np.rint(pairs.fit[use] * 1000) * 1e8 + np.rint(pairs.avail[use] * 1000) * 1e4 + points
    sol = match_arrays(
        ri,
        nj,
        points,
        cap_r,
        cap_n,
        need_people=people_left,
        pair_project=pair_project,
        max_projects=kcap,
        method=method,
        resident_preference=rpref,
        need_preference=npref,
        seated=seated,
        time_limit=time_limit,
    )
    hours_new = sol.units.astype(float) * unit

    # ---------------------------------------------------------------- assignments
    assignments: list[Assignment] = []
    for rid, nid, h in fixed_list:
        c = compatibility(graph, rid, nid, model=model)
        assignments.append(
            Assignment(
                resident=rid,
                need=nid,
                project=c.project,
                skill=c.skill,
                matched_skill=c.matched_skill,
                hours=h,
                score=c.score,
                fit=c.parts["fit"],
                reasons=(*c.reasons, Said("matching.reason.fixed")),
                fixed=True,
            )
        )
    for k in np.flatnonzero(sol.units > 0).tolist():
        rid, (project, need) = pool[int(ri[k])].id, need_list[int(nj[k])]
        c = compatibility(graph, rid, need.id, model=model)
        extra = (Said("matching.reason.adds_to_fixed"),) if seated[k] else ()
        assignments.append(
            Assignment(
                resident=rid,
                need=need.id,
                project=project.id,
                skill=c.skill,
                matched_skill=c.matched_skill,
                hours=float(hours_new[k]),
                score=c.score,
                fit=c.parts["fit"],
                reasons=(*c.reasons, *extra),
            )
        )
    assignments.sort(key=lambda a: (a.project, a.need, a.resident))

    new_r = np.bincount(ri, weights=hours_new, minlength=n_r) if n_r else np.zeros(0)
    new_n = np.bincount(nj, weights=hours_new, minlength=n_n) if n_n else np.zeros(0)
    heads_new = (
        np.bincount(nj[(sol.units > 0) & ~seated], minlength=n_n) if n_n else np.zeros(0, int)
    )
    spare = np.maximum(hours_r - fixed_r - new_r, 0.0)
    spare_units = _units(hours_r - fixed_r - new_r, unit)
    busy = {a.resident for a in assignments}
    on_need = {(a.resident, a.need) for a in assignments}
    projects_of: dict[str, set[str]] = {}
    for a in assignments:
        projects_of.setdefault(a.resident, set()).add(a.project)

    # ---------------------------------------------------------------- unmet needs
    assigned_n = fixed_n + new_n
    unmet: list[UnmetNeed] = []
    elig_count = (
        np.bincount(pairs.n[pairs.eligible & ~is_fixed], minlength=n_n) if n_n else np.zeros(0, int)
    )
    tax = graph.taxonomy
    # whom training would qualify: residents near each open need, under a loose model
    heads_all = fixed_heads + heads_new
    gaps = [
        j
        for j in range(n_n)
        if demand[j] - assigned_n[j] >= unit - _EPS and heads_all[j] < people[j]
    ]
    near_model = attrs.evolve(
        model, related=ScoreModel().related, level_step=min(model.level_step, 0.25), threshold=0.0
    )
    near = _pair_table(graph, pool, [need_list[j] for j in gaps], near_model)
    near_rows = {j: np.flatnonzero(near.n == g) for g, j in enumerate(gaps)}
    for j, (project, need) in enumerate(need_list):
        short = round(float(demand[j] - assigned_n[j]), 9)
        if short <= _EPS:
            continue
        assert need.skill is not None
        heads = int(fixed_heads[j] + heads_new[j])
        share = need.hours / need.people
        free_heads = max(0, need.people - heads)
        short_people = min(free_heads, math.ceil(short / share - _EPS))
        rows = np.flatnonzero(pairs.n == j)
        elig_rows = rows[pairs.eligible[rows] & ~is_fixed[rows]]
        want = skill_words(tax, need.skill)
        reasons: list[str] = []
        if short < unit - _EPS:
            reasons.append(Said("matching.unmet.below_unit", short=f"{short:g}", unit=f"{unit:g}"))
        elif elig_rows.size == 0:
            close = near_rows[j].size if j in near_rows else rows.size
            if close:
                reasons.append(Said("matching.unmet.close", close=close))
            else:
                reasons.append(Said("matching.unmet.nobody", want=want))
        elif free_heads == 0:
            reasons.append(
                Said("matching.unmet.place_taken")
                if need.people == 1
                else Said("matching.unmet.places_taken", people=need.people)
            )
        else:
            others = [
                int(pairs.r[e])
                for e in elig_rows
                if (pool[int(pairs.r[e])].id, need.id) not in on_need
            ]
            free = [i for i in others if spare_units[i] > 0]
            if not free:
                reasons.append(
                    Said("matching.unmet.others_busy", others=len(others))
                    if others
                    else Said("matching.unmet.all_busy")
                )
            elif max_projects_per_person is not None and all(
                len(projects_of.get(pool[i].id, set())) >= max_projects_per_person
                and project.id not in projects_of.get(pool[i].id, set())
                for i in free
            ):
                reasons.append(
                    Said("matching.unmet.cap", free=len(free), cap=max_projects_per_person)
                )
            else:
                reasons.append(
                    Said(
                        "matching.unmet.left_open",
                        method=Words(method, text(f"matching.method.{method}", "zh")),
                        free=len(free),
                    )
                )
        training = (
            ()
            if j not in near_rows
            else _training(
                near,
                near_rows[j],
                pool,
                project,
                need,
                spare,
                spare_units,
                on_need,
                projects_of,
                max_projects_per_person,
                model,
                tax,
            )
        )
        if not training and elig_rows.size == 0:
            reasons.append(Said("matching.unmet.recruit", want=want))
        unmet.append(
            UnmetNeed(
                need=need.id,
                project=project.id,
                skill=need.skill,
                min_level=need.min_level,
                demand_hours=float(demand[j]),
                assigned_hours=float(assigned_n[j]),
                shortfall_hours=short,
                people=need.people,
                assigned_people=heads,
                shortfall_people=short_people,
                candidates=int(elig_count[j]),
                reasons=tuple(reasons),
                training=training,
            )
        )
    unmet.sort(key=lambda u: (-u.shortfall_hours, u.need))

    # ---------------------------------------------------------------- per project
    fills: list[ProjectFill] = []
    for pid in project_ids:
        js = [j for j in range(n_n) if need_list[j][0].id == pid]
        project = need_list[js[0]][0]
        d = float(demand[js].sum())
        f = float(fixed_n[js].sum())
        nw = float(new_n[js].sum())
        fills.append(
            ProjectFill(
                project=pid,
                name=project.name,
                name_zh=project.name_zh,
                demand_hours=d,
                fixed_hours=f,
                new_hours=nw,
                unmet_hours=float(np.maximum(demand[js] - fixed_n[js] - new_n[js], 0).sum()),
                needs=len(js),
                needs_unmet=sum(1 for u in unmet if u.project == pid),
            )
        )

    idle = tuple(r.id for r in pool if r.id not in busy)
    if n_r == 0:
        notes.append(Said("matching.note.no_residents"))
    elif not np.any(hours_r > 0):
        notes.append(Said("matching.note.no_hours"))
    if n_n == 0:
        notes.append(Said("matching.note.no_needs"))
    filled = sum(1 for j in range(n_n) if demand[j] - assigned_n[j] <= _EPS)
    partly = sum(1 for u in unmet if u.assigned_hours > 0)
    scale = unit / 1000.0
    totals: dict[str, float] = {
        "residents": n_r,
        "residents_matched": n_r - len(idle),
        "residents_idle": len(idle),
        "needs": n_n,
        "needs_filled": filled,
        "needs_partly": partly,
        "needs_unmet": len(unmet) - partly,
        "hours_demanded": float(demand.sum()),
        "hours_assigned": float(assigned_n.sum()),
        "hours_fixed": float(fixed_n.sum()),
        "hours_new": float(new_n.sum()),
        "hours_unmet": float(sum(u.shortfall_hours for u in unmet)),
        "assignments": len(assignments),
        "eligible_pairs": int(use.size),
        "score_hours": sol.objective * scale,
    }
    return MatchResult(
        method=method,
        assignments=tuple(assignments),
        unmet=tuple(unmet),
        idle=idle,
        spare_hours={r.id: float(spare[i]) for i, r in enumerate(pool)},
        projects=tuple(fills),
        out_of_scope=tuple(out_of_scope),
        totals=totals,
        objective=sol.objective * scale,
        bound=None if sol.bound is None else sol.bound * scale,
        optimal=sol.optimal,
        stable=sol.stable,
        status=sol.status,
        solver=sol.solver,
        notes=tuple(notes),
        max_projects_per_person=max_projects_per_person,
        unit=unit,
    )


def _training(
    near: _Pairs,
    rows: npt.NDArray[np.int64],
    pool: list[Resident],
    project: Project,
    need: Need,
    spare: npt.NDArray[np.float64],
    spare_units: npt.NDArray[np.int64],
    on_need: set[tuple[str, str]],
    projects_of: dict[str, set[str]],
    cap: int | None,
    model: ScoreModel,
    tax: SkillTaxonomy,
    *,
    limit: int = 3,
) -> tuple[TrainingOption, ...]:
    """Residents with spare hours, room under the project cap, and a related skill or a
    level below the minimum for this need: whom training would qualify. Closest first
    (the skill part of the loose score), then by the score once trained, then by ID."""
    skill_ids = [s.id for s in tax.skills]
    assert need.skill is not None
    options: list[tuple[float, int, str, TrainingOption]] = []
    for e in rows.tolist():
        i = int(near.r[e])
        rid = pool[i].id
        if spare_units[i] <= 0 or (rid, need.id) in on_need:
            continue
        serves = projects_of.get(rid, set())
        if cap is not None and project.id not in serves and len(serves) >= cap:
            continue
        credit, factor = float(near.credit[e]), float(near.level_factor[e])
        if credit >= 1.0 and factor >= 1.0:
            continue
        context = (
            model.place_weight * float(near.place[e])
            + model.interest_weight * float(near.interest[e])
            + model.availability_weight * float(near.avail[e])
        )
        after = int(np.rint((model.base + (1.0 - model.base) * context) * 1000.0))
        has = skill_ids[int(near.skill[e])]
        has_level = Level(int(near.level[e]))
        reason = Said(
            "matching.training.learn" if credit < 1.0 else "matching.training.raise",
            resident=rid,
            want=skill_words(tax, need.skill),
            level=level_words(need.min_level),
            has=skill_words(tax, has),
            has_level=level_words(has_level),
            spare=f"{spare[i]:g}",
        )
        options.append(
            (
                -float(near.fit[e]),
                -after,
                rid,
                TrainingOption(
                    resident=rid,
                    need=need.id,
                    skill=need.skill,
                    level=need.min_level,
                    has_skill=has,
                    has_level=has_level,
                    spare_hours=float(spare[i]),
                    score_after=after / 1000.0,
                    reason=reason,
                ),
            )
        )
    options.sort(key=lambda o: (o[0], o[1], o[2]))
    return tuple(o[3] for o in options[:limit])
