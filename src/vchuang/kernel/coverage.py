"""The coverage engine: greedy maximum coverage over a sparse incidence.

One engine for the whole library. Point–line–surface reach (:mod:`vchuang.reach`) uses
it to choose the leaders or projects that reach the most new residents; influence
maximisation by reverse-reachable sets uses it to choose seeds that cover the most RR
sets. Both are the same problem: given an incidence of *sets* × *elements* (a
:class:`scipy.sparse.csr_array` with a non-zero where a set holds an element), optional
non-negative element weights and optional set costs, pick sets whose union has the
largest total weight.

The API is arrays in, arrays out:

* :func:`as_incidence` checks and normalises an incidence (CSR, sorted, no duplicates);
* :func:`gains` is the marginal gain of every set given a covered mask;
* :func:`coverage` is the weight covered by a choice of sets;
* :func:`max_coverage` picks ``k`` sets by lazy greedy (CELF);
* :func:`budgeted_max_coverage` picks sets under a budget (cost-benefit greedy, or the
  best single set when that is better);
* both return a :class:`Greedy`: the sets in the order picked, the marginal-gain trace,
  the value, an upper bound on the optimum, and how many gains were evaluated.

Ties are broken by the lower set index, so the result is the same as a plain greedy
that scans sets in index order; callers who want ties broken by ID order their sets by
ID.

Examples
--------
>>> import numpy as np
>>> inc = as_incidence([[0, 1, 2], [2, 3], [3, 4, 5, 6], [0, 6]], n_elements=7)
>>> res = max_coverage(inc, 2)
>>> res.chosen.tolist(), res.gains.tolist(), res.value
([2, 0], [4.0, 3.0], 7.0)
>>> budgeted_max_coverage(inc, 3, costs=[2, 1, 3, 1]).chosen.tolist()
[1, 3]
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import Problem, ValidationError
from .checks import check_number, check_whole

if TYPE_CHECKING:
    import scipy.sparse

__all__ = [
    "Greedy",
    "as_incidence",
    "budgeted_max_coverage",
    "coverage",
    "gains",
    "max_coverage",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@attrs.frozen(kw_only=True, eq=False)
class Greedy:
    """The sets a greedy coverage run picked, and why.

    Attributes
    ----------
    chosen : ndarray
        Set indices (int64) in the order picked.
    gains : ndarray
        Marginal gain of each pick (float64): the weight it newly covered. Gains never
        grow from one pick to the next in the cardinality form (submodularity).
    costs : ndarray
        Cost of each pick (float64; all ones in the cardinality form).
    value : float
        Total weight covered by the picks (beyond what was covered at the start).
    bound : float
        An upper bound on the best possible value under the same constraint, from the
        final marginal gains (see Notes of :func:`max_coverage`).
    evaluations : int
        Marginal gains evaluated one set at a time (the initial vectorised pass over
        all sets is not counted); a plain greedy evaluates every set at every pick.
    rule : str
        ``"greedy"`` (cardinality), ``"cost-benefit"`` or ``"best-single"`` (budgeted).
    alternative : float
        Budgeted form: the value of the candidate not returned (best single set, or the
        cost-benefit solution); ``nan`` in the cardinality form.
    tightest : float
        Cardinality form: the smallest of the online bounds taken at every greedy step
        :math:`i = 0, \\dots,` ``len(chosen)`` — the value of the first :math:`i` picks
        plus the ``k`` largest marginal gains at that point (Tang et al. 2018) — so at
        most ``bound``. Every step counts with ``members`` (where every gain is known
        at every step); the lazy greedy only knows the first and the last, so it takes
        the smaller of those two. ``nan`` in the budgeted form.
    """

    chosen: IntArray
    gains: FloatArray
    costs: FloatArray
    value: float
    bound: float
    evaluations: int
    rule: str
    alternative: float = float("nan")
    tightest: float = float("nan")

    @property
    def cumulative(self) -> FloatArray:
        """Running total of the gains."""
        return np.cumsum(self.gains)


# --------------------------------------------------------------------------- inputs


def as_incidence(matrix: Any, *, n_elements: int | None = None) -> scipy.sparse.csr_array:
    """A sets × elements incidence as a canonical :class:`scipy.sparse.csr_array`.

    Parameters
    ----------
    matrix : scipy sparse array or matrix, array_like, or sequence of sequences of int
        A sparse or dense 2-D array (non-zero where a set holds an element), or one
        sequence of element indices per set.
    n_elements : int, optional
        Number of elements (columns) when ``matrix`` is a sequence of sequences;
        defaults to the largest index + 1.

    Returns
    -------
    scipy.sparse.csr_array
        Sorted indices, no duplicates, explicit zeros removed, data all ones (float64).

    Raises
    ------
    ValidationError
        Not two-dimensional, negative or too-large element indices.

    Examples
    --------
    >>> as_incidence([[1, 1, 0], [2]]).toarray().tolist()
    [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    import scipy.sparse as sp

    if sp.issparse(matrix):
        if matrix.ndim != 2:
            raise ValidationError([Problem("incidence", f"must be 2-D, got {matrix.ndim}-D")])
        out = sp.csr_array(matrix, dtype=np.float64, copy=True)
    elif isinstance(matrix, np.ndarray):
        if matrix.ndim != 2:
            raise ValidationError([Problem("incidence", f"must be 2-D, got {matrix.ndim}-D")])
        out = sp.csr_array(matrix != 0, dtype=np.float64)
    else:
        rows = [np.asarray(r, dtype=np.int64).ravel() for r in matrix]
        flat = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        if flat.size and flat.min() < 0:
            raise ValidationError([Problem("incidence", "element indices must be >= 0")])
        n = int(flat.max()) + 1 if flat.size else 0
        if n_elements is not None:
            if n_elements < n:
                msg = f"is {n_elements}, but an element index is {n - 1}"
                raise ValidationError([Problem("n_elements", msg)])
            n = n_elements
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([r.size for r in rows], out=indptr[1:])
        out = sp.csr_array(
            (np.ones(flat.size), flat, indptr), shape=(len(rows), n), dtype=np.float64
        )
    out.eliminate_zeros()
    out.sum_duplicates()
    out.data[:] = 1.0
    return out


def _weights(weights: Any, n: int) -> FloatArray:
    if weights is None:
        return np.ones(n, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (n,):
        msg = f"must have one weight per element ({n}), got shape {w.shape}"
        raise ValidationError([Problem("weights", msg)])
    if not np.all(np.isfinite(w)) or (w < 0).any():
        msg = "must be finite and >= 0"
        raise ValidationError([Problem("weights", msg, "give 0 to ignore an element")])
    return w


def _covered(covered: Any, n: int) -> BoolArray:
    if covered is None:
        return np.zeros(n, dtype=bool)
    c = np.asarray(covered)
    if c.shape != (n,):
        msg = f"must be a mask of one bool per element ({n}), got shape {c.shape}"
        raise ValidationError([Problem("covered", msg)])
    return c.astype(bool, copy=True)


def _costs(costs: Any, m: int) -> FloatArray:
    c = np.asarray(costs, dtype=np.float64)
    if c.shape != (m,):
        msg = f"must have one cost per set ({m}), got shape {c.shape}"
        raise ValidationError([Problem("costs", msg)])
    if not np.all(np.isfinite(c)) or (c < 0).any():
        raise ValidationError([Problem("costs", "must be finite and >= 0")])
    return c


# --------------------------------------------------------------------------- basics


def gains(
    incidence: scipy.sparse.csr_array,
    covered: npt.ArrayLike | None = None,
    *,
    weights: npt.ArrayLike | None = None,
) -> FloatArray:
    """The marginal gain of every set: the weight of its elements not yet covered.

    One sparse matrix–vector product, :math:`A (w \\odot \\lnot c)`.

    Parameters
    ----------
    incidence : scipy.sparse.csr_array
        Sets × elements, from :func:`as_incidence`.
    covered : array_like of bool, optional
        Elements already covered.
    weights : array_like of float, optional
        Element weights (default 1).

    Returns
    -------
    ndarray
        One gain per set (float64).

    Examples
    --------
    >>> inc = as_incidence([[0, 1], [1, 2]])
    >>> gains(inc, [True, False, False]).tolist()
    [1.0, 2.0]
    """
    n = incidence.shape[1]
    residual = _weights(weights, n) * ~_covered(covered, n)
    return np.asarray(incidence @ residual, dtype=np.float64)


def coverage(
    incidence: scipy.sparse.csr_array,
    chosen: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
) -> float:
    """The weight of the union of the chosen sets.

    Examples
    --------
    >>> coverage(as_incidence([[0, 1], [1, 2]]), [0, 1])
    3.0
    """
    rows = np.asarray(chosen, dtype=np.int64)
    n = incidence.shape[1]
    hit = np.zeros(n, dtype=bool)
    if rows.size:
        hit[incidence[rows].indices] = True
    return float(_weights(weights, n)[hit].sum())


# --------------------------------------------------------------------------- greedy


class _Lazy:
    """Lazy (CELF) evaluation of marginal gains over a CSR incidence."""

    def __init__(self, incidence: scipy.sparse.csr_array, residual: FloatArray) -> None:
        self.indptr: IntArray = np.asarray(incidence.indptr, dtype=np.int64)
        self.indices = incidence.indices
        self.residual = residual  # weight still to cover, 0 once covered
        self.evaluations = 0

    def gain(self, i: int) -> float:
        self.evaluations += 1
        return float(self.residual[self.indices[self.indptr[i] : self.indptr[i + 1]]].sum())

    def take(self, i: int) -> None:
        self.residual[self.indices[self.indptr[i] : self.indptr[i + 1]]] = 0.0


def max_coverage(
    incidence: scipy.sparse.csr_array,
    k: int,
    *,
    weights: npt.ArrayLike | None = None,
    covered: npt.ArrayLike | None = None,
    members: scipy.sparse.csr_array | None = None,
) -> Greedy:
    """Pick up to ``k`` sets covering the most weight, by lazy greedy (CELF).

    Parameters
    ----------
    incidence : scipy.sparse.csr_array
        Sets × elements, from :func:`as_incidence`.
    k : int
        How many sets to pick at most. Fewer are picked when no set adds anything.
    weights : array_like of float, optional
        Non-negative weight of each element (default 1: count elements).
    covered : array_like of bool, optional
        Elements covered already (they add nothing): the current surface when asking
        which sets reach the most *new* elements.
    members : scipy.sparse.csr_array, optional
        The same incidence turned round — elements × sets, each element's sets
        (``scipy.sparse.csr_array(incidence.T)``) — for unit weights only. With it every
        set's gain is kept exact by counting instead of lazily: when a pick covers an
        element, the element takes one off the gain of each set that holds it, so each
        element is visited once however many picks there are. The picks, gains and bound
        are the same; it pays when each pick covers many elements (reverse-reachable
        sets), and ``evaluations`` is then 0.

    Returns
    -------
    Greedy
        Picks in order, with the marginal-gain trace and an upper bound.

    Raises
    ------
    ValidationError
        ``k`` not a non-negative integer, weights / covered / members of the wrong
        shape, or both ``weights`` and ``members``.

    Notes
    -----
    Coverage :math:`f(A) = w(\\bigcup_{s \\in A} s)` is monotone and submodular, so the
    greedy rule — add the set with the largest marginal gain
    :math:`\\Delta(s \\mid A) = f(A \\cup \\{s\\}) - f(A)` — reaches at least
    :math:`(1 - 1/e) \\approx 0.632` of the optimum [1]_. Submodularity also means a
    gain computed earlier is an upper bound on the gain now, so the lazy greedy (CELF)
    [2]_ keeps the sets in a heap keyed by their last computed gain and recomputes
    only the top until the top is fresh; it returns exactly what the plain greedy
    returns, with far fewer evaluations. Ties go to the lower set index.

    The bound is Leskovec et al.'s online bound: for the final choice :math:`A`,
    :math:`\\mathrm{OPT} \\le f(A) + \\sum` of the ``k`` largest
    :math:`\\Delta(s \\mid A)`; ``value / bound`` is a certificate of how close the
    result is to optimal on this instance, often much tighter than :math:`1 - 1/e`.
    The same holds for every prefix :math:`A_i` of the picks, so ``tightest`` is the
    smallest of :math:`f(A_i) + \\sum` of the ``k`` largest :math:`\\Delta(s \\mid A_i)`
    over the steps :math:`i` whose gains are known (Tang, Tang, Xiao & Yuan [3]_ use it
    to bound the optimum of influence maximisation from RR sets).

    References
    ----------
    .. [1] Nemhauser, G. L., Wolsey, L. A., & Fisher, M. L. (1978). An analysis of
       approximations for maximizing submodular set functions—I. Mathematical
       Programming, 14(1), 265–294. https://doi.org/10.1007/BF01588971
    .. [2] Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J., &
       Glance, N. (2007). Cost-effective outbreak detection in networks. KDD '07,
       420–429. https://doi.org/10.1145/1281192.1281239
    .. [3] Tang, J., Tang, X., Xiao, X., & Yuan, J. (2018). Online processing
       algorithms for influence maximization. SIGMOD '18.
       https://doi.org/10.1145/3183713.3183749

    Examples
    --------
    >>> inc = as_incidence([[0, 1], [2, 3], [0, 1, 2]])
    >>> r = max_coverage(inc, 2)
    >>> r.chosen.tolist(), r.value, r.bound
    ([2, 1], 4.0, 4.0)
    >>> max_coverage(inc, 2, covered=[True, True, True, False]).chosen.tolist()
    [1]
    """
    k = check_whole(k, "k", minimum=0)
    n = incidence.shape[1]
    if members is not None:
        if weights is not None:
            msg = "members (counting gains) needs unit weights"
            raise ValidationError([Problem("members", msg, "leave out weights or members")])
        if members.shape != (n, incidence.shape[0]):
            msg = f"must be elements x sets {(n, incidence.shape[0])}, got {members.shape}"
            raise ValidationError([Problem("members", msg)])
        return _counting_greedy(incidence, members, k, _covered(covered, n))
    residual = _weights(weights, n) * ~_covered(covered, n)
    first = np.asarray(incidence @ residual, dtype=np.float64)
    lazy = _Lazy(incidence, residual)
    heap: list[tuple[float, int, int]] = [(-float(g), i, 0) for i, g in enumerate(first)]
    heapq.heapify(heap)
    chosen: list[int] = []
    trace: list[float] = []
    while len(chosen) < k and heap:
        neg, i, stamp = heap[0]
        if stamp == len(chosen):
            if -neg <= 0.0:
                break
            heapq.heappop(heap)
            chosen.append(i)
            trace.append(-neg)
            lazy.take(i)
        else:
            heapq.heapreplace(heap, (-lazy.gain(i), i, len(chosen)))
    value = float(np.sum(trace))
    rest = np.asarray(incidence @ lazy.residual, dtype=np.float64)
    top = np.sort(rest)[::-1][:k]
    bound = value + float(top.sum())
    return Greedy(
        chosen=np.asarray(chosen, dtype=np.int64),
        gains=np.asarray(trace, dtype=np.float64),
        costs=np.ones(len(chosen), dtype=np.float64),
        value=value,
        bound=bound,
        evaluations=lazy.evaluations,
        rule="greedy",
        tightest=min(bound, _top_sum(first, k)),
    )


def _top_sum(gain: FloatArray, k: int) -> float:
    """The sum of the ``k`` largest of ``gain`` (a partition, not a sort)."""
    if k <= 0 or gain.size == 0:
        return 0.0
    if k >= gain.size:
        return float(gain.sum())
    return float(np.partition(gain, gain.size - k)[gain.size - k :].sum())


def _rows_of(indptr: IntArray, indices: Any, rows: IntArray) -> Any:
    """The entries of ``rows`` of a CSR structure, concatenated in order."""
    lo = indptr[rows]
    length = indptr[rows + 1] - lo
    total = int(length.sum())
    if total == 0:
        return indices[:0]
    shift = np.repeat(lo - (np.cumsum(length) - length), length)
    return indices[shift + np.arange(total, dtype=np.int64)]


def _counting_greedy(
    incidence: scipy.sparse.csr_array,
    members: scipy.sparse.csr_array,
    k: int,
    covered: BoolArray,
) -> Greedy:
    """:func:`max_coverage` with unit weights, every gain kept exact by counting."""
    m = incidence.shape[0]
    indptr = np.asarray(incidence.indptr, dtype=np.int64)
    m_indptr = np.asarray(members.indptr, dtype=np.int64)
    # each set's elements less those covered already (no matrix product: scipy would
    # copy a small-typed incidence's data to float64 first)
    gain = np.diff(indptr).astype(np.float64)
    if covered.any():
        held = _rows_of(m_indptr, members.indices, np.flatnonzero(covered))
        gain -= np.bincount(held, minlength=m)
    chosen: list[int] = []
    trace: list[float] = []
    done = 0.0  # the value of the picks so far
    tightest = _top_sum(gain, k)  # the online bound before the first pick
    while len(chosen) < k and m:
        i = int(np.argmax(gain))  # the first of equal gains: the lower index
        if gain[i] <= 0.0:
            break
        chosen.append(i)
        trace.append(float(gain[i]))
        done += float(gain[i])
        new = incidence.indices[indptr[i] : indptr[i + 1]]
        new = new[~covered[new]]
        covered[new] = True
        hit = _rows_of(m_indptr, members.indices, np.asarray(new, dtype=np.int64))
        gain -= np.bincount(hit, minlength=m)
        tightest = min(tightest, done + _top_sum(gain, k))
    top = np.sort(gain)[::-1][:k]
    value = float(np.sum(trace))
    bound = value + float(top.sum())
    return Greedy(
        chosen=np.asarray(chosen, dtype=np.int64),
        gains=np.asarray(trace, dtype=np.float64),
        costs=np.ones(len(chosen), dtype=np.float64),
        value=value,
        bound=bound,
        evaluations=0,
        rule="greedy",
        tightest=min(tightest, bound),
    )


def budgeted_max_coverage(
    incidence: scipy.sparse.csr_array,
    budget: float,
    *,
    costs: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    covered: npt.ArrayLike | None = None,
) -> Greedy:
    """Pick sets whose costs fit a budget and that cover the most weight.

    The better of two answers: the cost-benefit greedy (add the affordable set with
    the largest gain per unit cost, lazily, until nothing affordable adds anything)
    and the best single affordable set.

    Parameters
    ----------
    incidence : scipy.sparse.csr_array
        Sets × elements, from :func:`as_incidence`.
    budget : float
        Total cost allowed (e.g. fen).
    costs : array_like of float
        Cost of each set, >= 0. A set of cost 0 is free: free sets that add anything
        are taken first, by gain.
    weights, covered : array_like, optional
        As in :func:`max_coverage`.

    Returns
    -------
    Greedy
        ``rule`` says which answer won; ``alternative`` is the other one's value.

    Raises
    ------
    ValidationError
        A negative budget or cost, or arrays of the wrong shape.

    Notes
    -----
    The cost-benefit greedy alone can be arbitrarily bad (one cheap set with a tiny
    gain may use the budget a large set needed); taking the better of it and the best
    single set restores a constant-factor guarantee, at least
    :math:`\\tfrac12 (1 - 1/e)` of the optimum [2]_ [3]_, and Khuller, Moss and Naor
    analyse this rule for budgeted maximum coverage [1]_ (they reach :math:`1 - 1/e`
    by also enumerating all triples of sets, which is not done here). The bound is
    :math:`f(A)` plus the fractional-knapsack optimum of the remaining marginal gains
    under the budget, valid by submodularity.

    References
    ----------
    .. [1] Khuller, S., Moss, A., & Naor, J. (1999). The budgeted maximum coverage
       problem. Information Processing Letters, 70(1), 39–45.
       https://doi.org/10.1016/S0020-0190(99)00031-9
    .. [2] Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J., &
       Glance, N. (2007). Cost-effective outbreak detection in networks. KDD '07.
       https://doi.org/10.1145/1281192.1281239
    .. [3] Krause, A., & Guestrin, C. (2005). A note on the budgeted maximization of
       submodular functions. Technical report CMU-CALD-05-103, Carnegie Mellon
       University.

    Examples
    --------
    >>> inc = as_incidence([[0], [1, 2, 3, 4, 5]])
    >>> r = budgeted_max_coverage(inc, 10, costs=[1, 10])
    >>> r.chosen.tolist(), r.rule, r.alternative
    ([1], 'best-single', 1.0)
    """
    budget = check_number(budget, "budget", minimum=0)
    m, n = incidence.shape
    cost = _costs(costs, m)
    start = _covered(covered, n)
    w = _weights(weights, n)
    residual = w * ~start
    first = np.asarray(incidence @ residual, dtype=np.float64)
    lazy = _Lazy(incidence, residual.copy())

    def key(gain: float, i: int) -> tuple[int, float]:
        if cost[i] == 0.0:
            return (-1, -gain)
        return (0, -gain / cost[i])

    heap: list[tuple[int, float, int, int]] = [
        (*key(float(g), i), i, 0) for i, g in enumerate(first)
    ]
    heapq.heapify(heap)
    left = float(budget)
    chosen: list[int] = []
    trace: list[float] = []
    while heap:
        tier, score, i, stamp = heap[0]
        if cost[i] > left:
            heapq.heappop(heap)  # the budget only shrinks: never affordable again
        elif stamp == len(chosen):
            heapq.heappop(heap)
            if score >= 0.0:  # adds nothing (a free set) or nothing is left (the rest)
                if tier == -1:
                    continue
                break
            chosen.append(i)
            trace.append(-score if tier == -1 else -score * cost[i])
            left -= cost[i]
            lazy.take(i)
        else:
            g = lazy.gain(i)
            heapq.heapreplace(heap, (*key(g, i), i, len(chosen)))
    # gains recomputed exactly (a ratio times a cost may round)
    exact = _trace(incidence, chosen, w * ~start)
    value = float(exact.sum())

    affordable = np.flatnonzero(cost <= budget)
    single = -1
    single_value = 0.0
    if affordable.size:
        best = affordable[np.argmax(first[affordable])]  # argmax: first of ties
        single, single_value = int(best), float(first[best])
    if single >= 0 and single_value > value:
        picks, trace_arr, rule, alt = [single], np.asarray([single_value]), "best-single", value
    else:
        picks, trace_arr, rule, alt = chosen, exact, "cost-benefit", single_value
    total = float(trace_arr.sum())
    bound = total + _knapsack_bound(incidence, picks, w * ~start, cost, float(budget))
    return Greedy(
        chosen=np.asarray(picks, dtype=np.int64),
        gains=np.asarray(trace_arr, dtype=np.float64),
        costs=cost[np.asarray(picks, dtype=np.int64)],
        value=total,
        bound=bound,
        evaluations=lazy.evaluations,
        rule=rule,
        alternative=alt,
    )


def _trace(
    incidence: scipy.sparse.csr_array, chosen: Sequence[int], residual: FloatArray
) -> FloatArray:
    """The marginal gain of each set of ``chosen``, taken in order."""
    residual = residual.copy()
    lazy = _Lazy(incidence, residual)
    out = np.empty(len(chosen), dtype=np.float64)
    for j, i in enumerate(chosen):
        out[j] = lazy.gain(i)
        lazy.take(i)
    return out


def _knapsack_bound(
    incidence: scipy.sparse.csr_array,
    chosen: Sequence[int],
    residual: FloatArray,
    cost: FloatArray,
    budget: float,
) -> float:
    """Fractional-knapsack optimum of the marginal gains left after ``chosen``."""
    residual = residual.copy()
    rows = np.asarray(chosen, dtype=np.int64)
    if rows.size:
        residual[incidence[rows].indices] = 0.0
    rest = np.asarray(incidence @ residual, dtype=np.float64)
    free = cost == 0.0
    total = float(rest[free].sum())
    paid = np.flatnonzero(~free & (rest > 0))
    if paid.size == 0:
        return total
    order = paid[np.argsort(-rest[paid] / cost[paid], kind="stable")]
    spent = np.cumsum(cost[order])
    full = spent <= budget
    total += float(rest[order[full]].sum())
    nxt = int(full.sum())
    if nxt < order.size:
        room = budget - (float(spent[nxt - 1]) if nxt else 0.0)
        total += float(rest[order[nxt]]) * room / float(cost[order[nxt]])
    return total
