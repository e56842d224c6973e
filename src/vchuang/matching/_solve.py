"""Array-level solvers for skill–need matching (private; see :func:`match_arrays`).

The problem, on arrays: residents ``i`` with whole units of time ``cap_r[i]``, needs ``j``
with ``cap_n[j]`` units and at most ``people[j]`` residents, eligible pairs ``e = (i, j)``
with an integer weight ``w[e]`` (the score in thousandths) and at most ``ub[e]`` units,
and a cap ``kcap[i]`` on the number of distinct projects a resident serves. Choose whole
units ``x[e]`` to maximise ``sum(w * x)``.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ..errors import Problem, ValidationError, VchuangError
from ..kernel.checks import check_choice
from ..kernel.display import html_table

__all__ = ["ArrayMatch", "match_arrays"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_METHODS = ("optimal", "stable", "greedy")

#: Columns kept per resident and per need in the first restricted LP of column generation.
#: Two is enough for pricing to converge in a round or two, and it keeps HiGHS' working
#: memory (which grows with the columns) within 1.2x OR-Tools' min-cost flow at
#: 100k x 10k (five gave 500k columns and 1.8x; see benchmarks/bench_matching.py).
_TOP_K = 2


@attrs.frozen(kw_only=True, eq=False)
class ArrayMatch:
    """What :func:`match_arrays` found: units per pair and how sure it is.

    Attributes
    ----------
    units : numpy.ndarray
        Whole units of time given to each eligible pair (``int64``, same order as the
        input pairs); 0 where the pair is not used.
    objective : int
        ``sum(weight * units)``, exactly (integer arithmetic).
    bound : int or None
        A proven upper bound on the best objective (equal to ``objective`` when
        ``optimal``); ``None`` for the heuristic methods.
    optimal : bool
        Whether ``objective`` is proven to be the maximum.
    status : str
        ``"optimal"``, ``"time_limit"`` (MILP stopped early: best found, with ``bound``),
        ``"stable"`` or ``"heuristic"``.
    solver : str
        Which algorithm produced the answer, in words.
    stable : bool or None
        For ``method="stable"``: whether the pairing was checked to have no blocking pair.
    rounds : int
        Restricted LPs solved by column generation (0 when no LP was needed).
    """

    units: IntArray
    objective: int
    bound: int | None
    optimal: bool
    status: str
    solver: str
    stable: bool | None = None
    rounds: int = 0

    def __repr__(self) -> str:
        used = int(np.count_nonzero(self.units))
        return (
            f"ArrayMatch(pairs={self.units.size}, used={used}, units={int(self.units.sum())}, "
            f"objective={self.objective}, bound={self.bound}, status={self.status!r}, "
            f"rounds={self.rounds})"
        )

    def _repr_html_(self) -> str:
        rows = [
            ("pairs used", int(np.count_nonzero(self.units))),
            ("units", int(self.units.sum())),
            ("objective", self.objective),
            ("bound", self.bound),
            ("solver", self.solver),
        ]
        return html_table(f"ArrayMatch ({self.status})", ("", "value"), rows)


@attrs.frozen(kw_only=True, eq=False)
class _Instance:
    """Validated arrays of one matching problem."""

    ri: IntArray
    nj: IntArray
    w: IntArray
    cap_r: IntArray
    cap_n: IntArray
    ub: IntArray
    people: IntArray | None
    pproj: IntArray | None
    kcap: IntArray | None
    rpref: FloatArray
    npref: FloatArray
    seated: npt.NDArray[np.bool_]

    @property
    def n_r(self) -> int:
        return int(self.cap_r.size)

    @property
    def n_n(self) -> int:
        return int(self.cap_n.size)


def _int_array(
    name: str, value: Any, problems: list[Problem], *, size: int | None = None, low: int = 0
) -> IntArray:
    arr = np.asarray(value)
    if arr.ndim != 1:
        problems.append(Problem(name, f"must be one-dimensional, got shape {arr.shape}"))
        return np.zeros(0, dtype=np.int64)
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        if (
            np.issubdtype(arr.dtype, np.floating)
            and np.all(np.isfinite(arr))
            and np.all(arr == np.round(arr))
        ):
            arr = arr.astype(np.int64)
        else:
            problems.append(
                Problem(
                    name,
                    "must hold whole numbers",
                    "give time in whole units and weights as integers",
                )
            )
            return np.zeros(0, dtype=np.int64)
    out = arr.astype(np.int64, copy=False)
    if size is not None and out.size != size:
        problems.append(Problem(name, f"has {out.size} entries, expected {size}"))
    elif out.size and int(out.min()) < low:
        problems.append(Problem(name, f"must be >= {low}, got {int(out.min())}"))
    return out


def _instance(
    resident: Any,
    need: Any,
    weight: Any,
    resident_capacity: Any,
    need_capacity: Any,
    *,
    pair_capacity: Any,
    need_people: Any,
    pair_project: Any,
    max_projects: Any,
    resident_preference: Any,
    need_preference: Any,
    seated: Any = None,
) -> _Instance:
    problems: list[Problem] = []
    cap_r = _int_array("resident_capacity", resident_capacity, problems)
    cap_n = _int_array("need_capacity", need_capacity, problems)
    ri = _int_array("resident", resident, problems)
    nj = _int_array("need", need, problems, size=ri.size)
    w = _int_array("weight", weight, problems, size=ri.size)
    if problems:
        raise ValidationError(problems)
    n_pairs = ri.size
    if n_pairs and (int(ri.max()) >= cap_r.size):
        problems.append(
            Problem("resident", f"index {int(ri.max())} out of range for {cap_r.size} residents")
        )
    if n_pairs and (int(nj.max()) >= cap_n.size):
        problems.append(
            Problem("need", f"index {int(nj.max())} out of range for {cap_n.size} needs")
        )
    if problems:
        raise ValidationError(problems)
    if n_pairs:
        key = np.sort(ri * max(cap_n.size, 1) + nj)
        if np.any(key[1:] == key[:-1]):
            problems.append(
                Problem(
                    "resident, need",
                    "a (resident, need) pair is given twice",
                    "give each eligible pair once",
                )
            )
    ub = np.minimum(cap_r[ri], cap_n[nj])
    if pair_capacity is not None:
        ub = np.minimum(ub, _int_array("pair_capacity", pair_capacity, problems, size=n_pairs))
    people = None
    if need_people is not None:
        people = _int_array("need_people", need_people, problems, size=cap_n.size)
    pproj = kcap = None
    if max_projects is not None:
        km = np.asarray(max_projects)
        kcap = _int_array(
            "max_projects",
            np.full(cap_r.size, km) if km.ndim == 0 else km,
            problems,
            size=cap_r.size,
        )
        pproj = (
            np.arange(n_pairs, dtype=np.int64)
            if pair_project is None
            else _int_array("pair_project", pair_project, problems, size=n_pairs, low=-1)
        )
    rpref = np.asarray(w if resident_preference is None else resident_preference, dtype=float)
    npref = np.asarray(w if need_preference is None else need_preference, dtype=float)
    for name, arr in (("resident_preference", rpref), ("need_preference", npref)):
        if arr.shape != (n_pairs,):
            problems.append(Problem(name, f"must have one value per pair ({n_pairs})"))
    seat = np.zeros(n_pairs, dtype=bool) if seated is None else np.asarray(seated, dtype=bool)
    if seat.shape != (n_pairs,):
        problems.append(Problem("seated", f"must have one value per pair ({n_pairs})"))
    if problems:
        raise ValidationError(problems)
    return _Instance(
        ri=ri,
        nj=nj,
        w=w,
        cap_r=cap_r,
        cap_n=cap_n,
        ub=ub,
        people=people,
        pproj=pproj,
        kcap=kcap,
        rpref=rpref,
        npref=npref,
        seated=seat,
    )


def match_arrays(
    resident: npt.ArrayLike,
    need: npt.ArrayLike,
    weight: npt.ArrayLike,
    resident_capacity: npt.ArrayLike,
    need_capacity: npt.ArrayLike,
    *,
    pair_capacity: npt.ArrayLike | None = None,
    need_people: npt.ArrayLike | None = None,
    pair_project: npt.ArrayLike | None = None,
    max_projects: int | npt.ArrayLike | None = None,
    method: str = "optimal",
    resident_preference: npt.ArrayLike | None = None,
    need_preference: npt.ArrayLike | None = None,
    seated: npt.ArrayLike | None = None,
    time_limit: float | None = 60.0,
) -> ArrayMatch:
    """Match residents' hours to needs on plain arrays (the engine under :func:`match`).

    Parameters
    ----------
    resident, need : array_like of int
        For each eligible pair, the resident's and the need's row.
    weight : array_like of int
        Each pair's weight (:func:`match` uses the score in thousandths), ``>= 0``.
    resident_capacity, need_capacity : array_like of int
        Whole units of time each resident offers and each need asks for.
    pair_capacity : array_like of int, optional
        At most this many units on a pair (default: no limit beyond both capacities).
    need_people : array_like of int, optional
        Headcount: at most this many residents on each need (default: no limit).
    pair_project : array_like of int, optional
        Each pair's project number, for ``max_projects``; ``-1`` marks a pair that does
        not count towards the cap (the resident already serves that project). Default:
        every pair is its own project.
    max_projects : int or array_like of int, optional
        At most this many distinct projects per resident (default: no limit). In
        ``method="stable"`` it caps the number of needs.
    method : {"optimal", "stable", "greedy"}
        See :func:`match`.
    resident_preference, need_preference : array_like of float, optional
        For ``method="stable"``: how much the resident likes the pair and how much the
        need likes it (higher is better; default ``weight``). Ties go to the lower index.
    seated : array_like of bool, optional
        Pairs whose resident already holds a place on the need (an assignment fixed
        earlier, that may grow): they do not count towards ``need_people``. The stable
        method leaves them out.
    time_limit : float or None
        Seconds allowed to the MILP of ``method="optimal"`` when headcounts or project
        caps bind; ``None`` for no limit.

    Returns
    -------
    ArrayMatch
        Units per pair, the objective, a proven bound and the status.

    Raises
    ------
    ValidationError
        Arrays of the wrong shape, negative capacities, fractional units, a pair given
        twice, an unknown method.

    See Also
    --------
    match : the same solver on a community graph, with reasons and gaps.

    Notes
    -----
    ``optimal`` maximises :math:`\\sum_e w_e x_e` over whole units :math:`x_e \\ge 0` with
    :math:`\\sum_{e \\ni i} x_e \\le h_i`, :math:`\\sum_{e \\ni j} x_e \\le d_j`,
    :math:`x_e \\le u_e`. Without headcounts and caps this is a transportation problem:
    its constraint matrix is the incidence matrix of a bipartite graph, totally
    unimodular, so the simplex method's vertex solution is integral. It is solved by
    column generation with HiGHS' dual simplex: first an LP over each resident's and each
    need's best few pairs, then every left-out pair whose reduced profit
    :math:`w_e - u_i - v_j` is positive under the LP's duals is added, until none is —
    which proves the restricted optimum optimal for all pairs.

    If that optimum also respects the headcounts :math:`|\\{i : x_{ij} > 0\\}| \\le p_j`
    and project caps, it is optimal for the full problem (a relaxation's optimum that is
    feasible is optimal). Otherwise the problem is NP-hard in general (it contains bin
    covering) and is solved exactly as a mixed-integer program with HiGHS' branch and
    cut (``scipy.optimize.milp``, relative gap 0): binary :math:`y_e` with
    :math:`x_e \\le u_e y_e`, :math:`\\sum_{e \\ni j} y_e \\le p_j`, and binary
    :math:`z_{ip}` with :math:`x_e \\le u_e z_{ip}`, :math:`\\sum_p z_{ip} \\le k_i` —
    added only for the needs and residents whose limit can bind. If ``time_limit``
    stops it, the best solution found is returned with ``optimal=False`` and the
    solver's bound.

    Examples
    --------
    Two residents (3 and 2 hours), two needs (2 and 4 hours), three eligible pairs:

    >>> m = match_arrays([0, 0, 1], [0, 1, 1], [900, 500, 700], [3, 2], [2, 4])
    >>> m.units.tolist(), m.objective, m.optimal
    ([2, 1, 2], 3700, True)
    """
    check_choice(method, _METHODS, "method")
    inst = _instance(
        resident,
        need,
        weight,
        resident_capacity,
        need_capacity,
        pair_capacity=pair_capacity,
        need_people=need_people,
        pair_project=pair_project,
        max_projects=max_projects,
        resident_preference=resident_preference,
        need_preference=need_preference,
        seated=seated,
    )
    if method == "greedy":
        return _greedy(inst)
    if method == "stable":
        return _stable(inst)
    return _optimal(inst, time_limit)


# --------------------------------------------------------------------------- LP


def _top_k(group: IntArray, key: IntArray, k: int, n_groups: int) -> npt.NDArray[np.bool_]:
    """Mask of the ``k`` largest ``key`` values within each group (ties: lower index)."""
    if group.size == 0:
        return np.zeros(0, dtype=bool)
    low, high = int(key.min()), int(key.max())
    order = np.argsort(group * (high - low + 1) + (high - key), kind="stable")
    g = group[order]
    start = np.searchsorted(g, np.arange(n_groups))
    rank = np.arange(g.size) - start[g]
    mask = np.zeros(group.size, dtype=bool)
    mask[order[rank < k]] = True
    return mask


def _restricted_lp(
    inst: _Instance, cols: IntArray, lb: IntArray | None
) -> tuple[FloatArray, FloatArray]:
    """Solve the transportation LP over the pairs ``cols``; primal values and duals."""
    m = cols.size
    n_r = inst.n_r
    indices = np.empty(2 * m, dtype=np.int64)
    indices[0::2] = inst.ri[cols]
    indices[1::2] = n_r + inst.nj[cols]
    a = sp.csc_array(
        (np.ones(2 * m), indices, np.arange(0, 2 * m + 1, 2)), shape=(n_r + inst.n_n, m)
    )
    b = np.concatenate([inst.cap_r, inst.cap_n]).astype(float)
    low = np.zeros(m) if lb is None else lb[cols].astype(float)
    bounds = np.column_stack([low, inst.ub[cols].astype(float)])
    res = linprog(
        -inst.w[cols].astype(float),
        A_ub=a,
        b_ub=b,
        bounds=bounds,
        method="highs-ds",
        options={"presolve": False},
    )
    if res.status != 0:  # pragma: no cover - the LP is feasible and bounded by construction
        msg = f"the transportation LP could not be solved: {res.message}"
        raise VchuangError(msg)
    return np.asarray(res.x, dtype=float), -np.asarray(res.ineqlin.marginals, dtype=float)


def _lp(inst: _Instance, lb: IntArray | None = None) -> tuple[IntArray, int]:
    """Integral optimum of the transportation LP (no headcounts or caps) and the number of
    restricted LPs solved. ``lb`` forces at least that many units on a pair."""
    n_pairs = inst.w.size
    x = np.zeros(n_pairs, dtype=np.int64)
    usable = inst.ub > 0
    if not usable.any():
        return x, 0
    active = usable & (
        _top_k(inst.ri, inst.w, _TOP_K, inst.n_r) | _top_k(inst.nj, inst.w, _TOP_K, inst.n_n)
    )
    if lb is not None:
        active |= lb > 0
    rounds = 0
    while True:
        rounds += 1
        cols = np.flatnonzero(active)
        values, duals = _restricted_lp(inst, cols, lb)
        u, v = duals[: inst.n_r], duals[inst.n_r :]
        reduced = inst.w - u[inst.ri] - v[inst.nj]
        entering = usable & ~active & (reduced > 1e-6)
        if not entering.any():
            break
        active |= entering
    rounded = np.rint(values)
    if np.abs(values - rounded).max(initial=0.0) > 1e-6:  # pragma: no cover - TU guarantees
        return _integral_lp(inst, lb), rounds
    x[cols] = rounded.astype(np.int64)
    return x, rounds


def _integral_lp(inst: _Instance, lb: IntArray | None) -> IntArray:  # pragma: no cover
    """The transportation problem with integer variables (a safety net only)."""
    m = inst.w.size
    rows = np.concatenate([inst.ri, inst.n_r + inst.nj])
    a = sp.csr_array(
        (np.ones(2 * m), (rows, np.tile(np.arange(m), 2))), shape=(inst.n_r + inst.n_n, m)
    )
    b = np.concatenate([inst.cap_r, inst.cap_n]).astype(float)
    low = np.zeros(m) if lb is None else lb.astype(float)
    res = milp(
        -inst.w.astype(float),
        constraints=LinearConstraint(a, -np.inf, b),
        integrality=np.ones(m),
        bounds=Bounds(low, inst.ub.astype(float)),
        options={"mip_rel_gap": 0.0},
    )
    out: IntArray = np.rint(res.x).astype(np.int64)
    return out


# --------------------------------------------------------------------------- checks


def _headcount_ok(inst: _Instance, x: IntArray) -> bool:
    if inst.people is None:
        return True
    count = np.bincount(inst.nj[(x > 0) & ~inst.seated], minlength=inst.n_n)
    return bool(np.all(count <= inst.people))


def _projects_used(inst: _Instance, x: IntArray) -> IntArray:
    """Distinct counted projects each resident serves under ``x``."""
    assert inst.pproj is not None
    used = (x > 0) & (inst.pproj >= 0)
    if not used.any():
        return np.zeros(inst.n_r, dtype=np.int64)
    pairs = np.unique(np.column_stack([inst.ri[used], inst.pproj[used]]), axis=0)
    return np.bincount(pairs[:, 0], minlength=inst.n_r).astype(np.int64)


def _caps_ok(inst: _Instance, x: IntArray) -> bool:
    if inst.kcap is None:
        return True
    return bool(np.all(_projects_used(inst, x) <= inst.kcap))


def _feasible(inst: _Instance, x: IntArray) -> bool:
    """Whether ``x`` respects every constraint (used to check solver output)."""
    if np.any(x < 0) or np.any(x > inst.ub):
        return False
    if np.any(np.bincount(inst.ri, weights=x, minlength=inst.n_r) > inst.cap_r):
        return False
    if np.any(np.bincount(inst.nj, weights=x, minlength=inst.n_n) > inst.cap_n):
        return False
    return _headcount_ok(inst, x) and _caps_ok(inst, x)


# --------------------------------------------------------------------------- optimal


def _optimal(inst: _Instance, time_limit: float | None) -> ArrayMatch:
    x, rounds = _lp(inst)
    value = int(inst.w @ x)
    if _headcount_ok(inst, x) and _caps_ok(inst, x):
        return ArrayMatch(
            units=x,
            objective=value,
            bound=value,
            optimal=True,
            status="optimal",
            solver="HiGHS dual simplex on the transportation LP (column generation); "
            "headcounts and project caps do not bind",
            rounds=rounds,
        )
    return _milp(inst, time_limit, lp_bound=value, rounds=rounds)


def _milp(inst: _Instance, time_limit: float | None, *, lp_bound: int, rounds: int) -> ArrayMatch:
    m = inst.w.size
    usable = inst.ub > 0
    counted_n = usable & ~inst.seated
    deg_n = np.bincount(inst.nj[counted_n], minlength=inst.n_n)
    # y: one binary per pair of a need whose headcount can bind
    if inst.people is not None:
        tight_n = deg_n > inst.people
        y_pairs = np.flatnonzero(counted_n & tight_n[inst.nj])
    else:
        tight_n = np.zeros(inst.n_n, dtype=bool)
        y_pairs = np.zeros(0, dtype=np.int64)
    # z: one binary per (resident, project) of a resident whose project cap can bind
    z_res = np.zeros(0, dtype=np.int64)
    z_of_pair = np.zeros(0, dtype=np.int64)
    z_pairs = np.zeros(0, dtype=np.int64)
    tight_r = np.zeros(inst.n_r, dtype=bool)
    if inst.kcap is not None and inst.pproj is not None:
        counted = usable & (inst.pproj >= 0)
        keys = np.unique(np.column_stack([inst.ri[counted], inst.pproj[counted]]), axis=0)
        n_proj = (
            np.bincount(keys[:, 0], minlength=inst.n_r)
            if keys.size
            else np.zeros(inst.n_r, dtype=np.int64)
        )
        tight_r = n_proj > inst.kcap
        z_pairs = np.flatnonzero(counted & tight_r[inst.ri])
        if z_pairs.size:
            zk, z_of_pair = np.unique(
                np.column_stack([inst.ri[z_pairs], inst.pproj[z_pairs]]),
                axis=0,
                return_inverse=True,
            )
            z_of_pair = z_of_pair.ravel()
            z_res = zk[:, 0]
    n_y, n_z = y_pairs.size, z_res.size
    n_var = m + n_y + n_z
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    vals: list[FloatArray] = []
    upper: list[FloatArray] = []
    n_row = 0

    def block(r: IntArray, c: IntArray, v: FloatArray) -> None:
        rows.append(r)
        cols.append(c)
        vals.append(v)

    pairs = np.arange(m, dtype=np.int64)
    block(inst.ri, pairs, np.ones(m))
    upper.append(inst.cap_r.astype(float))
    n_row += inst.n_r
    block(n_row + inst.nj, pairs, np.ones(m))
    upper.append(inst.cap_n.astype(float))
    n_row += inst.n_n
    if n_y:
        link = n_row + np.arange(n_y)
        block(link, y_pairs, np.ones(n_y))
        block(link, m + np.arange(n_y), -inst.ub[y_pairs].astype(float))
        upper.append(np.zeros(n_y))
        n_row += n_y
        tight_ids = np.flatnonzero(tight_n)
        row_of = np.full(inst.n_n, -1, dtype=np.int64)
        row_of[tight_ids] = n_row + np.arange(tight_ids.size)
        block(row_of[inst.nj[y_pairs]], m + np.arange(n_y), np.ones(n_y))
        assert inst.people is not None
        upper.append(inst.people[tight_ids].astype(float))
        n_row += tight_ids.size
    if n_z:
        link = n_row + np.arange(z_pairs.size)
        block(link, z_pairs, np.ones(z_pairs.size))
        block(link, m + n_y + z_of_pair, -inst.ub[z_pairs].astype(float))
        upper.append(np.zeros(z_pairs.size))
        n_row += z_pairs.size
        tight_ids = np.flatnonzero(tight_r)
        row_of = np.full(inst.n_r, -1, dtype=np.int64)
        row_of[tight_ids] = n_row + np.arange(tight_ids.size)
        block(row_of[z_res], m + n_y + np.arange(n_z), np.ones(n_z))
        assert inst.kcap is not None
        upper.append(inst.kcap[tight_ids].astype(float))
        n_row += tight_ids.size
    a = sp.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_row, n_var),
    )
    cost = np.concatenate([-inst.w.astype(float), np.zeros(n_y + n_z)])
    ub = np.concatenate([inst.ub.astype(float), np.ones(n_y + n_z)])
    options: dict[str, Any] = {"mip_rel_gap": 0.0, "disp": False, "presolve": True}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    res = milp(
        cost,
        constraints=LinearConstraint(a, -np.inf, np.concatenate(upper)),
        integrality=np.ones(n_var),
        bounds=Bounds(np.zeros(n_var), ub),
        options=options,
    )
    x = None
    if res.x is not None:
        x = np.rint(res.x[:m]).astype(np.int64)
        if not _feasible(inst, x):  # pragma: no cover - defensive: tolerance trouble
            x = None
    solver = (
        f"HiGHS branch and cut (scipy.optimize.milp, gap 0) with {n_y} headcount and "
        f"{n_z} project-cap binaries"
    )
    dual = getattr(res, "mip_dual_bound", None)
    bound = lp_bound
    if dual is not None and np.isfinite(dual):
        bound = min(bound, int(np.floor(-float(dual) + 1e-6)))
    if res.status == 0 and x is not None:
        value = int(inst.w @ x)
        return ArrayMatch(
            units=x,
            objective=value,
            bound=value,
            optimal=True,
            status="optimal",
            solver=solver,
            rounds=rounds,
        )
    greedy = _greedy(inst)
    if x is None or int(inst.w @ x) < greedy.objective:
        x = greedy.units
        solver += "; stopped early, the greedy solution was better"
    value = int(inst.w @ x)
    bound = max(bound, value)
    return ArrayMatch(
        units=x,
        objective=value,
        bound=bound,
        optimal=value == bound,
        status="optimal" if value == bound else "time_limit",
        solver=solver + "; stopped by the time limit",
        rounds=rounds,
    )


# --------------------------------------------------------------------------- greedy


def _greedy(inst: _Instance) -> ArrayMatch:
    """Highest weight first; each pair gets all the units both sides still have."""
    order = np.lexsort((inst.nj, inst.ri, -inst.w))
    rem_r = inst.cap_r.tolist()
    rem_n = inst.cap_n.tolist()
    ub = inst.ub.tolist()
    ri = inst.ri.tolist()
    nj = inst.nj.tolist()
    people = inst.people.tolist() if inst.people is not None else None
    seated = inst.seated.tolist()
    count = [0] * inst.n_n
    kcap = inst.kcap.tolist() if inst.kcap is not None else None
    pproj = inst.pproj.tolist() if inst.pproj is not None else None
    served: list[set[int]] = [set() for _ in range(inst.n_r)] if kcap is not None else []
    x = np.zeros(inst.w.size, dtype=np.int64)
    for e in order.tolist():
        i, j = ri[e], nj[e]
        units = min(rem_r[i], rem_n[j], ub[e])
        if units <= 0:
            continue
        if people is not None and not seated[e] and count[j] >= people[j]:
            continue
        if kcap is not None and pproj is not None:
            p = pproj[e]
            if p >= 0 and p not in served[i]:
                if len(served[i]) >= kcap[i]:
                    continue
                served[i].add(p)
        x[e] = units
        rem_r[i] -= units
        rem_n[j] -= units
        if not seated[e]:
            count[j] += 1
    return ArrayMatch(
        units=x,
        objective=int(inst.w @ x),
        bound=None,
        optimal=False,
        status="heuristic",
        solver="greedy: highest score first",
    )


# --------------------------------------------------------------------------- stable


def _quotas(inst: _Instance) -> tuple[IntArray, IntArray]:
    quota_r = inst.cap_r.copy()
    if inst.kcap is not None:
        quota_r = np.minimum(quota_r, inst.kcap)
    quota_n = inst.cap_n.copy()
    if inst.people is not None:
        quota_n = np.minimum(quota_n, inst.people)
    return quota_r, quota_n


def _need_ranks(inst: _Instance) -> IntArray:
    """Each pair's rank in its need's list (0 = the need's favourite)."""
    order = np.lexsort((inst.ri, -inst.npref, inst.nj))
    start = np.searchsorted(inst.nj[order], np.arange(inst.n_n))
    rank = np.empty(inst.w.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - start[inst.nj[order]]
    return rank


def _resident_ranks(inst: _Instance) -> tuple[IntArray, IntArray]:
    """Pairs in each resident's order of preference, and each pair's rank."""
    order = np.lexsort((inst.nj, -inst.rpref, inst.ri))
    start = np.searchsorted(inst.ri[order], np.arange(inst.n_r))
    rank = np.empty(inst.w.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - start[inst.ri[order]]
    return order, rank


def _deferred_acceptance(inst: _Instance) -> npt.NDArray[np.bool_]:
    """Resident-proposing deferred acceptance, many-to-many with quotas."""
    quota_r, quota_n = _quotas(inst)
    usable = inst.ub > 0
    order, _ = _resident_ranks(inst)
    order = order[usable[order]]
    bounds = np.searchsorted(inst.ri[order], np.arange(inst.n_r + 1))
    nrank = _need_ranks(inst).tolist()
    nj = inst.nj.tolist()
    ri = inst.ri.tolist()
    qn = quota_n.tolist()
    qr = quota_r.tolist()
    ptr = bounds[:-1].tolist()
    end = bounds[1:].tolist()
    seq = order.tolist()
    held = [0] * inst.n_r
    heaps: list[list[tuple[int, int]]] = [[] for _ in range(inst.n_n)]
    queue = deque(i for i in range(inst.n_r) if qr[i] > 0 and ptr[i] < end[i])
    while queue:
        i = queue.popleft()
        while held[i] < qr[i] and ptr[i] < end[i]:
            e = seq[ptr[i]]
            ptr[i] += 1
            j = nj[e]
            if qn[j] <= 0:
                continue
            heap = heaps[j]
            if len(heap) < qn[j]:
                heapq.heappush(heap, (-nrank[e], e))
                held[i] += 1
            elif -heap[0][0] > nrank[e]:
                _, out = heapq.heapreplace(heap, (-nrank[e], e))
                held[i] += 1
                k = ri[out]
                held[k] -= 1
                queue.append(k)
    matched = np.zeros(inst.w.size, dtype=bool)
    for heap in heaps:
        for _, e in heap:
            matched[e] = True
    return matched


def _blocking_pairs(inst: _Instance, matched: npt.NDArray[np.bool_]) -> IntArray:
    """Pairs that block ``matched``: both sides would rather have each other."""
    quota_r, quota_n = _quotas(inst)
    _, rrank = _resident_ranks(inst)
    nrank = _need_ranks(inst)
    held_r = np.bincount(inst.ri[matched], minlength=inst.n_r)
    held_n = np.bincount(inst.nj[matched], minlength=inst.n_n)
    worst_r = np.full(inst.n_r, -1, dtype=np.int64)
    np.maximum.at(worst_r, inst.ri[matched], rrank[matched])
    worst_n = np.full(inst.n_n, -1, dtype=np.int64)
    np.maximum.at(worst_n, inst.nj[matched], nrank[matched])
    wants_r = (held_r[inst.ri] < quota_r[inst.ri]) | (rrank < worst_r[inst.ri])
    wants_n = (held_n[inst.nj] < quota_n[inst.nj]) | (nrank < worst_n[inst.nj])
    return np.flatnonzero((inst.ub > 0) & ~matched & wants_r & wants_n)


def _stable(inst: _Instance) -> ArrayMatch:
    if inst.seated.any():
        inst = attrs.evolve(inst, ub=np.where(inst.seated, 0, inst.ub))
    matched = _deferred_acceptance(inst)
    lb = matched.astype(np.int64)
    restricted = attrs.evolve(inst, ub=np.where(matched, inst.ub, 0))
    x, rounds = _lp(restricted, lb=lb)
    blocking = _blocking_pairs(inst, matched)
    return ArrayMatch(
        units=x,
        objective=int(inst.w @ x),
        bound=None,
        optimal=False,
        status="stable",
        solver="resident-proposing deferred acceptance (many-to-many), then hours split "
        "by a transportation LP over the stable pairs",
        stable=blocking.size == 0,
        rounds=rounds,
    )
