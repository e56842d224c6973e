"""Whom to train: :func:`choose_seeds` (RIS with OPIM-C or IMM, CELF, degree and PageRank) and
:func:`compare_seeds` (every method's seed list scored by the same simulation)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from .._rng import RNGLike, spawn
from ..errors import Problem, ValidationError
from ..kernel.checks import check_choice, check_jobs, check_number, check_whole
from ..kernel.pagerank import pagerank
from ..kernel.progress import progress_bar
from ..kernel.renames import UNSET, renamed
from ..kernel.said import Said, Words
from ..kernel.text import text
from . import _visited
from ._cascade import _Arcs, _cascade, _row_counts, _stage_keys
from ._network import FloatArray, IntArray, _arc_values, _check_options, _Net, _network
from ._results import SeedChoice, SeedComparison
from ._rrsets import _imm, _opim_c
from ._runs import _check_runs, _parallel, _prefix_spreads, _z

#: Ways to choose seeds.
METHODS = ("ris", "celf", "degree", "pagerank")
#: Rules for how many RR sets ``ris`` draws (the first is the default).
STOPPING = ("opim-c", "imm")


def _method(method: str) -> Words:
    """A method's name: as given in English (``"degree"``), its label in Chinese."""
    return Words(method, text(f"diffusion.method.{method}", "zh"))


#: Cells (nodes × columns) per pass when CELF estimates many candidates at once.
_MC_CELLS = 1 << 22


def _gain_block(
    arcs: _Arcs,
    model: str,
    base: IntArray,
    cands: IntArray,
    runs: int,
    lo: int,
    hi: int,
    seed: np.random.SeedSequence,
) -> FloatArray:
    """Columns ``lo … hi - 1`` of :func:`_mc_gains` (column ``c`` is run ``c % runs`` of
    candidate ``c // runs``): the residents each candidate adds, summed over its runs."""
    cols = hi - lo
    col_cand = np.arange(lo, hi) // runs
    rng = np.random.default_rng(seed)
    first = _stage_keys(base, cols, arcs.n)
    second = np.arange(cols) * arcs.n + cands[col_cand]
    keys = _cascade(arcs, model, [first, second], cols, rng, _visited._new(arcs.n, cols))
    per_col = np.bincount(keys[1] // arcs.n, minlength=cols)
    return np.asarray(np.bincount(col_cand, weights=per_col, minlength=cands.size), np.float64)


def _mc_gains(
    arcs: _Arcs,
    model: str,
    base: IntArray,
    cands: IntArray,
    runs: int,
    seq: np.random.SeedSequence,
    n_jobs: int = 1,
) -> FloatArray:
    """Monte Carlo marginal gain of each candidate over ``base``: the same runs play
    ``base`` to the end and then add the candidate (common random numbers).

    The columns are cut into blocks of about ``_MC_CELLS`` cells, each with the next
    child of ``seq``; blocks run through joblib when ``n_jobs != 1`` and there are
    several, and are added in order, so ``n_jobs`` never changes the answer."""
    total_cols = cands.size * runs
    per_call = max(runs, _MC_CELLS // max(arcs.n, 1))
    bounds = [(lo, min(total_cols, lo + per_call)) for lo in range(0, total_cols, per_call)]
    seeds = seq.spawn(len(bounds))
    tasks = [
        (arcs, model, base, cands, runs, lo, hi, s)
        for (lo, hi), s in zip(bounds, seeds, strict=True)
    ]
    sums = np.zeros(cands.size)
    for got in _parallel(_gain_block, tasks, n_jobs if len(tasks) > 1 else 1, "parallel CELF"):
        sums += got
    return sums / runs


def _celf(
    net: _Net,
    arcs: _Arcs,
    model: str,
    k: int,
    cand: IntArray,
    given: IntArray,
    runs: int,
    seq: np.random.SeedSequence,
    progress: bool,
    n_jobs: int,
) -> tuple[IntArray, FloatArray, int]:
    """The CELF lazy greedy: chosen nodes, their gains, and the re-estimates made."""
    bar = progress_bar(progress, cand.size + k, "CELF")
    try:
        first = _mc_gains(arcs, model, given, cand, runs, seq, n_jobs)
        bar.update(cand.size)
        heap = [(-float(g), int(net.rank[c]), int(c), 0) for g, c in zip(first, cand, strict=True)]
        heapq.heapify(heap)
        chosen: list[int] = []
        gains: list[float] = []
        evals = 0
        while len(chosen) < k and heap:
            neg, r, c, stamp = heap[0]
            if stamp == len(chosen):
                heapq.heappop(heap)
                chosen.append(c)
                gains.append(-neg)
                bar.update(1)
            else:
                base = np.concatenate([given, np.asarray(chosen, dtype=np.int64)])
                g = float(_mc_gains(arcs, model, base, np.asarray([c]), runs, seq, n_jobs)[0])
                evals += 1
                heapq.heapreplace(heap, (-g, r, c, len(chosen)))
    finally:
        bar.close()
    return np.asarray(chosen, dtype=np.int64), np.asarray(gains), evals


def _influence_rank(net: _Net, values: FloatArray) -> FloatArray:
    """PageRank of the reversed propagation graph (influence flows against the arcs):
    a resident ranks high when the residents they can reach rank high. The library's one
    PageRank, run to a tight tolerance so that ties between equal residents stay exact.
    (Only arcs of positive value; the order of a row's arcs does not change the sums.)"""
    import scipy.sparse as sp

    n = net.n
    keep = values > 0
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(_row_counts(keep, net.indptr), out=indptr[1:])
    m = sp.csr_array((values[keep], net.indices[keep], indptr), shape=(n, n))
    return pagerank(m.T, alpha=0.85, tol=1e-13, max_iter=1000)


def choose_seeds(
    graph: Any,
    k: int,
    *,
    model: str = "ic",
    method: str = "ris",
    p: float | None = None,
    probability: str | None = None,
    epsilon: float = 0.1,
    ell: float = 1.0,
    stopping: str = "opim-c",
    candidates: Iterable[Hashable] | None = None,
    given: Iterable[Hashable] = (),
    runs: int = 1000,
    max_rr_sets: int = 50_000_000,
    time_limit: float | None = None,
    evaluate: bool = True,
    rng: RNGLike = None,
    n_jobs: int = 1,
    progress: bool = False,
    weights: Any = UNSET,
) -> SeedChoice:
    """Whom to train so that word of mouth reaches the most residents.

    Parameters
    ----------
    graph : CommunityGraph, networkx.Graph or scipy.sparse.sparray
        The network, as in :func:`simulate`.
    k : int
        How many seeds to choose (fewer when there are fewer candidates).
    model, p, probability
        The diffusion model and arc probabilities, as in :func:`simulate`.
    method : {"ris", "celf", "degree", "pagerank"}
        ``"ris"``: reverse-reachable sets, as many as ``stopping`` says, solved as
        maximum coverage (fast, with a guarantee); ``"celf"``: lazy greedy on Monte
        Carlo estimates (slow; for checking on small networks); ``"degree"``: most ties
        first; ``"pagerank"``: highest PageRank first (baselines).
    epsilon : float
        RIS accuracy: the seeds reach at least :math:`(1 - 1/e - \\varepsilon)` of the
        best possible, with probability at least :math:`1 - n^{-\\ell}`. Smaller is
        slower (IMM's samples grow like :math:`\\varepsilon^{-2}`).
    ell : float
        RIS confidence exponent :math:`\\ell`.
    stopping : {"opim-c", "imm"}
        ``ris``: how many RR sets are enough. ``"opim-c"`` (the default; Tang, Tang,
        Xiao & Yuan [6]_) draws until bounds computed from the RR sets themselves prove
        the guarantee; ``"imm"`` (Tang, Shi & Xiao [4]_; the rule before) draws the
        number its worst-case analysis asks for. Both give the same guarantee, with the
        same :math:`\\varepsilon` and :math:`\\ell`; OPIM-C usually draws far fewer
        (see Notes). New.
    candidates : iterable, optional
        Who may be chosen (default: everyone), e.g. ``[r.id for r in g.engaged()]``.
    given : iterable
        Residents already trained: they stay seeds and the choice adds to them.
    runs : int
        Monte Carlo runs per estimate: the reported spread and gains of every method
        are simulated with ``runs`` runs (and each CELF gain).
    max_rr_sets : int
        ``ris``: draw at most this many RR sets in one collection (one of OPIM-C's
        pools; memory grows with them). When the rule needs more, sampling stops there
        and the seeds are the greedy choice on the sets drawn, with the guarantee those sets give
        (``epsilon_achieved``, ``stopped_early`` and a note; see Notes). Changed: it
        used to refuse with a ``ValidationError``. The same ``rng`` and ``max_rr_sets``
        give the same choice.
    time_limit : float, optional
        ``ris``: seconds to spend sampling RR sets, at most (roughly: a pass of RR sets
        and the greedy choice on them are not cut short). When it passes, the seeds are
        chosen on the sets drawn, as for ``max_rr_sets``. Where the time limit binds,
        the answer depends on the machine's speed, so a seed no longer fixes it.
    evaluate : bool
        ``True`` (the default, as before): the reported ``spread``, ``base`` and
        ``gains`` of ``ris``, ``degree`` and ``pagerank`` are simulated with ``runs``
        runs (for ``degree`` and ``pagerank`` that costs far more than the ranking).
        ``False``: no simulation — ``ris`` reports its RR-set estimates
        (``estimator="rr-sets"``; optimistic, the same samples chose the seeds), and
        ``degree`` and ``pagerank`` report NaN (``estimator="none"``), so they cost what
        their ranking costs. The seeds are the same either way. ``celf`` always
        simulates: its gains are how it chooses.
    rng : None, int or numpy.random.Generator
        Randomness; a seed gives the same choice every time, whatever ``n_jobs`` is.
    n_jobs : int
        ``1``: everything runs in this process. Otherwise the Monte Carlo
        simulations (the reported spread and gains of every method, and CELF's
        estimates) run in chunks through :class:`joblib.Parallel`, as in
        :func:`simulate`. The RR sets of ``ris`` are drawn here, from one stream.
    progress : bool
        Show a progress bar (``pip install 'vchuang[progress]'``).
    weights : {None, "weight", "wc"}
        Deprecated old name of ``probability``; it warns and will be removed in the
        next release.

    Returns
    -------
    SeedChoice
        Seeds in order with their marginal gains, the estimated spread, a reason for
        each seed and notes on how they were chosen. Ties go to the smaller ID. For
        ``ris``, ``epsilon_achieved`` is the :math:`\\varepsilon` the RR sets drawn
        guarantee (``epsilon`` unless a limit stopped sampling; NaN: no guarantee).

    Raises
    ------
    UnknownEntityError
        A candidate or given resident is not in the network.
    ValidationError
        A bad option, or no candidates.

    See Also
    --------
    simulate : the spread of seeds already chosen.
    compare_seeds : the chosen seeds against other seed sets.
    vchuang.talent.key_players : the residents who together reach the most.
    vchuang.diffusion.SeedChoice.plot : the spread as each seed is added.

    Notes
    -----
    **Reverse-reachable sets** (Borgs et al. [3]_). Pick a resident :math:`v`
    uniformly at random and flip every arc's coin; the RR set of :math:`v` is everyone
    who could have reached :math:`v` through live arcs (for LT: a random walk back
    along one in-arc :math:`u \\to w` chosen with probability :math:`b_{uw}`, stopping
    with probability :math:`1 - \\sum_u b_{uw}` or on a resident already on the walk).
    Then :math:`\\sigma(S) = n \\cdot \\Pr[S \\cap RR \\neq \\emptyset]`, so with
    :math:`\\theta` RR sets :math:`\\hat\\sigma(S) = n \\cdot F_R(S)`, where
    :math:`F_R(S)` is the share of RR sets :math:`S` touches. Choosing :math:`S` is
    maximum coverage — nodes are sets, RR sets are elements — solved by the library's
    lazy greedy (:mod:`vchuang.kernel.coverage`).

    **How many RR sets: IMM** (Tang, Shi & Xiao [4]_; ``stopping="imm"``). With
    :math:`\\varepsilon' = \\sqrt 2\\,\\varepsilon` and
    :math:`\\ell \\leftarrow \\ell\\,(1 + \\ln 2 / \\ln n)`, the sampling phase
    tries :math:`x = n/2^i` for :math:`i = 1, 2, \\dots, \\log_2 n - 1`: it grows
    :math:`R` to :math:`\\theta_i = \\lambda' / x` sets,

    .. math::

       \\lambda' = \\frac{(2 + \\tfrac23 \\varepsilon')\\,
       (\\ln \\binom{n}{k} + \\ell \\ln n + \\ln \\log_2 n)\\, n}{\\varepsilon'^2},

    picks :math:`S_i` greedily and stops at the first :math:`i` with
    :math:`n F_R(S_i) \\ge (1 + \\varepsilon')\\, x`, taking
    :math:`LB = n F_R(S_i) / (1 + \\varepsilon')` (else :math:`LB = 1`). The final
    collection has :math:`\\theta = \\lambda^* / LB` sets,

    .. math::

       \\lambda^* = 2n \\bigl((1 - 1/e)\\,\\alpha + \\beta\\bigr)^2 \\varepsilon^{-2},\\quad
       \\alpha = \\sqrt{\\ell \\ln n + \\ln 2},\\quad
       \\beta = \\sqrt{(1 - 1/e)\\,(\\ln \\tbinom{n}{k} + \\ell \\ln n + \\ln 2)},

    and the greedy choice on it is a :math:`(1 - 1/e - \\varepsilon)`-approximation
    with probability at least :math:`1 - n^{-\\ell}`. As Chen [5]_ advises, the final
    :math:`\\theta` sets are sampled afresh rather than reusing the sampling phase's.
    With ``candidates`` the binomial is :math:`\\binom{|C|}{k}`; with ``given``, the
    sets they touch count as covered and the objective is
    :math:`\\sigma(\\text{given} \\cup S)`.

    **How many RR sets: OPIM-C** (Tang, Tang, Xiao & Yuan [6]_, the default). Two
    independent pools :math:`R_1, R_2` of :math:`\\theta_0` RR sets each, with
    :math:`\\delta = n^{-\\ell}` and

    .. math::

       \\theta_{\\max} = \\frac{2n\\bigl((1 - 1/e)\\sqrt{\\ln(6/\\delta)}
       + \\sqrt{(1 - 1/e)(\\ln\\binom{n}{k} + \\ln(6/\\delta))}\\bigr)^2}
       {\\varepsilon^2\\, k},\\qquad
       \\theta_0 = \\theta_{\\max} \\frac{\\varepsilon^2 k}{n}

    (:math:`\\theta_{\\max}` is IMM's count for an optimum of at least :math:`k`;
    here :math:`k` plus the given seeds). At each check, :math:`S` is the greedy
    choice on :math:`R_1`; with :math:`a = \\ln(3 (i_{\\max} + 1)/\\delta)`,
    :math:`\\Lambda_2` the sets of :math:`R_2` that :math:`S` touches and
    :math:`\\Lambda_1^u` the smallest over the greedy steps :math:`i` of
    :math:`\\Lambda_1(S_i) +` the :math:`k` largest marginal coverages at
    :math:`S_i` (``Greedy.tightest`` of :func:`vchuang.kernel.coverage.max_coverage`),

    .. math::

       \\sigma^l(S) = \\Bigl(\\bigl(\\sqrt{\\Lambda_2 + 2a/9} - \\sqrt{a/2}\\bigr)^2
       - a/18\\Bigr) \\frac{n}{|R_2|},\\qquad
       \\sigma^u(S^\\circ) = \\Bigl(\\sqrt{\\Lambda_1^u + a/2} + \\sqrt{a/2}\\Bigr)^2
       \\frac{n}{|R_1|}

    bound the spread of :math:`S` from below and the optimum from above, each failing
    with probability at most :math:`e^{-a}`. Sampling stops when
    :math:`\\sigma^l / \\sigma^u \\ge 1 - 1/e - \\varepsilon` and — an addition to
    the paper, which only makes it draw more — :math:`R_1`'s estimate of
    :math:`\\sigma(S)` (which chose :math:`S` and so overrates it) is within
    :math:`1 + \\varepsilon` of :math:`R_2`'s (which did not); else both pools double,
    up to :math:`\\theta_{\\max}`, where IMM's bound holds for the greedy choice on
    :math:`R_1` whatever the ratio. Once the checks pass, :math:`R_1 \\cup R_2`
    choose again and a third, fresh pool of :math:`|R_2|` sets bounds that choice from
    below; it is returned when its ratio to :math:`\\sigma^u` passes too (else
    :math:`S`). Every bound of every check holds at once with probability at least
    :math:`1 - 2\\delta/3`, so the seeds returned reach at least
    :math:`(1 - 1/e - \\varepsilon)` of the best with probability at least
    :math:`1 - n^{-\\ell}`, as with IMM.

    **Stopping early.** With OPIM-C, when ``max_rr_sets`` or ``time_limit`` stops the
    doubling before the checks pass, the seeds are the greedy choice on :math:`R_1`
    and the guarantee is the ratio the last check proved,
    :math:`\\varepsilon' = 1 - 1/e - \\sigma^l/\\sigma^u` (NaN when the ratio is not
    positive; ``epsilon`` when the ratio passed but the pools still disagreed). With
    IMM, when ``max_rr_sets`` or ``time_limit`` stops the final
    sampling at :math:`\\theta' < \\theta` sets, the seeds are the greedy choice on
    them and the guarantee is the :math:`\\varepsilon'` that solves
    :math:`\\theta' = \\lambda^*(\\varepsilon') / LB`, that is
    :math:`\\varepsilon' = \\sqrt{2n((1 - 1/e)\\alpha + \\beta)^2 / (\\theta' LB)}`:
    the seeds reach at least :math:`(1 - 1/e - \\varepsilon')` of the best, with
    probability at least :math:`1 - n^{-\\ell}`. There is no guarantee when
    :math:`\\varepsilon' \\ge 1 - 1/e` or when the limit stops the lower-bound
    phase (no valid :math:`LB`); the seeds then come from whichever collection
    drawn is larger (the lower-bound phase's or the final one).

    **CELF** (Leskovec et al. [2]_) is the greedy of Kempe et al. [1]_ with lazy
    re-evaluation: marginal gains only shrink (submodularity), so a stale gain is an
    upper bound and only the top of the heap is re-estimated. Each gain is estimated
    with ``runs`` runs that first play out the seeds so far and then add the
    candidate (common random numbers).

    **Baselines.** ``degree``: number of out-arcs with a positive probability;
    ``pagerank``: PageRank (damping 0.85) on the reversed network with arc weights
    :math:`p_{uv}` — influence flows against PageRank's direction. Their spread and
    gains are Monte Carlo estimates of each prefix of the list.

    References
    ----------
    .. [1] Kempe, D., Kleinberg, J., & Tardos, É. (2003). Maximizing the spread of
       influence through a social network. KDD '03, 137–146.
       https://doi.org/10.1145/956750.956769
    .. [2] Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J., &
       Glance, N. (2007). Cost-effective outbreak detection in networks. KDD '07,
       420–429. https://doi.org/10.1145/1281192.1281239
    .. [3] Borgs, C., Brautbar, M., Chayes, J., & Lucier, B. (2014). Maximizing social
       influence in nearly optimal time. SODA '14, 946–957.
       https://doi.org/10.1137/1.9781611973402.70
    .. [4] Tang, Y., Shi, Y., & Xiao, X. (2015). Influence maximization in near-linear
       time: a martingale approach. SIGMOD '15, 1539–1554.
       https://doi.org/10.1145/2723372.2723734
    .. [5] Chen, W. (2018). An issue in the martingale analysis of the influence
       maximization algorithm IMM. CSoNet 2018, LNCS 11280, 286–297.
       https://arxiv.org/abs/1808.09363
    .. [6] Tang, J., Tang, X., Xiao, X., & Yuan, J. (2018). Online processing
       algorithms for influence maximization. SIGMOD '18.
       https://doi.org/10.1145/3183713.3183749

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.karate_club_graph()
    >>> c = choose_seeds(g, 2, p=0.1, rng=3)
    >>> sorted(c.seeds)  # the two leaders of the club
    [0, 33]
    >>> [r["rank"] for r in c.to_rows()]
    [1, 2]
    >>> choose_seeds(g, 2, method="degree", p=0.1, runs=200, rng=3).seeds
    (33, 0)
    """
    probability = renamed("choose_seeds", "weights", weights, "probability", probability)
    model_p = _check_options(model, p, probability)
    check_choice(method, METHODS, "method")
    check_choice(stopping, STOPPING, "stopping")
    k = check_whole(k, "k", minimum=0)
    epsilon = check_number(epsilon, "epsilon", above=0, below=1)
    ell = check_number(ell, "ell", above=0)
    max_rr_sets = check_whole(max_rr_sets, "max_rr_sets", minimum=1)
    if time_limit is not None:
        time_limit = check_number(time_limit, "time_limit", minimum=0)
    runs = _check_runs(runs)
    n_jobs = check_jobs(n_jobs)
    flag: object = evaluate
    if not isinstance(flag, bool | np.bool_):
        msg = f"must be True or False, got {flag!r}"
        raise ValidationError([Problem("evaluate", msg)])
    net = _network(graph)
    given_idx = net.index_of(given, "given")
    if candidates is None:
        cand = np.arange(net.n, dtype=np.int64)
    else:
        cand = np.unique(net.index_of(candidates, "candidates"))
    cand = cand[~np.isin(cand, given_idx)]
    if cand.size == 0:
        msg = "no one to choose from"
        raise ValidationError([Problem("candidates", msg, "pass residents who are not given")])
    cand = cand[np.argsort(net.rank[cand], kind="stable")]  # ties go to the smaller ID
    k = min(int(k), int(cand.size))
    values, rule = _arc_values(net, model, model_p, probability)
    pick_seq, eval_seq = spawn(rng, 2)
    notes: list[str] = []
    epsilon_achieved, stopped_early = math.nan, False
    if method == "ris":
        arcs_t = _Arcs.build(net, values, reverse=True, model=model)
        rule_of = _opim_c if stopping == "opim-c" else _imm
        imm = rule_of(
            net,
            arcs_t,
            model,
            k,
            cand,
            given_idx,
            epsilon,
            ell,
            np.random.default_rng(pick_seq),
            progress,
            max_rr_sets,
            time_limit,
        )
        del arcs_t
        chosen, scores, rr_spread, samples, evals = (
            imm.chosen,
            imm.share,
            imm.spread,
            imm.samples,
            imm.evaluations,
        )
        epsilon_achieved, stopped_early = imm.epsilon, imm.stopped
        notes += imm.notes
        if evaluate:
            arcs = _Arcs.build(net, values, model=model)
            cum = _prefix_spreads(arcs, model, given_idx, chosen, runs, eval_seq, n_jobs)
            cum = cum.mean(axis=1)
            base, spread, gains = float(cum[0]), float(cum[-1]), np.diff(cum)
            estimator = "monte-carlo"
        else:  # the RR-set estimates: n times the share of RR sets touched
            gains = scores * net.n
            spread = rr_spread
            base = spread - float(gains.sum())
            estimator = "rr-sets"
            notes.append(Said("diffusion.note.rr_not_simulated"))
        reasons = tuple(
            Said("diffusion.reason.ris", share=f"{s:.2%}", gain=f"{g:.1f}")
            for s, g in zip(scores, gains, strict=True)
        )
    elif method == "celf":
        arcs = _Arcs.build(net, values, model=model)
        chosen, gains, evals = _celf(
            net, arcs, model, k, cand, given_idx, runs, pick_seq, progress, n_jobs
        )
        scores = gains.copy()
        spread_given = _prefix_spreads(
            arcs, model, given_idx, np.zeros(0, np.int64), runs, eval_seq, n_jobs
        )
        base = float(spread_given[0].mean())
        spread = base + float(gains.sum())
        samples = runs
        estimator = "monte-carlo"
        reasons = tuple(Said("diffusion.reason.celf", gain=f"{g:.1f}", runs=runs) for g in gains)
        notes.append(Said("diffusion.note.celf", candidates=int(cand.size), evals=evals, runs=runs))
    else:
        if method == "degree":  # out-arcs of positive probability
            score = _row_counts(values > 0, net.indptr).astype(np.float64)
        else:
            score = _influence_rank(net, values)
        order = np.lexsort((net.rank[cand], -score[cand]))
        chosen = cand[order[:k]]
        scores = score[chosen]
        evals = 0
        if evaluate:
            arcs = _Arcs.build(net, values, model=model)
            cum = _prefix_spreads(arcs, model, given_idx, chosen, runs, eval_seq, n_jobs)
            cum = cum.mean(axis=1)
            base = float(cum[0])
            spread = float(cum[-1])
            gains = np.diff(cum)
            samples = runs
            estimator = "monte-carlo"
            notes.append(Said("diffusion.note.heuristic", method=_method(method), runs=runs))
        else:
            base = spread = math.nan
            gains = np.full(chosen.size, math.nan)
            samples = 0
            estimator = "none"
            notes.append(Said("diffusion.note.heuristic_not_simulated", method=_method(method)))
        reasons = tuple(
            Said(
                f"diffusion.reason.{method}{'_gain' if evaluate else ''}",
                score=f"{int(s)}" if method == "degree" else f"{s:.4f}",
                rank=i + 1,
                candidates=int(cand.size),
                gain=f"{g:.1f}",
            )
            for i, (s, g) in enumerate(zip(scores, gains, strict=True))
        )
    return SeedChoice(
        seeds=tuple(net.ids[i] for i in chosen.tolist()),
        given=tuple(net.ids[i] for i in given_idx.tolist()),
        method=method,
        model=model,
        rule=rule,
        spread=float(spread),
        base=float(base),
        gains=np.asarray(gains, dtype=np.float64),
        scores=np.asarray(scores, dtype=np.float64),
        estimator=estimator,
        samples=int(samples),
        evaluations=int(evals),
        candidates=int(cand.size),
        reasons=reasons,
        notes=tuple(notes),
        epsilon_achieved=float(epsilon_achieved),
        stopped_early=bool(stopped_early),
    )


def compare_seeds(
    graph: Any,
    k: int,
    *,
    methods: Sequence[str] = ("ris", "degree", "pagerank"),
    model: str = "ic",
    p: float | None = None,
    probability: str | None = None,
    epsilon: float = 0.1,
    stopping: str = "opim-c",
    candidates: Iterable[Hashable] | None = None,
    given: Iterable[Hashable] = (),
    runs: int = 1000,
    confidence: float = 0.95,
    rng: RNGLike = None,
    n_jobs: int = 1,
    progress: bool = False,
    weights: Any = UNSET,
) -> SeedComparison:
    """Choose ``k`` seeds by several methods and score every prefix the same way.

    Each method's seed list is scored by one Monte Carlo simulation of ``runs`` runs
    (given seeds first, then each seed in turn within the same runs), so the curves
    are comparable whatever estimator the method itself uses; every method is scored
    from the same random seed (common random numbers, which make the differences
    between methods less noisy).

    Parameters
    ----------
    graph, k, model, p, probability, epsilon, stopping, candidates, given, runs, rng, n_jobs, progress
        As in :func:`choose_seeds`; ``n_jobs`` also runs the scoring simulation in
        parallel chunks (the same answer whatever ``n_jobs`` is).
    methods : sequence of str
        Methods to compare (see :data:`METHODS`).
    confidence : float
        Level of the intervals.
    weights : {None, "weight", "wc"}
        Deprecated old name of ``probability``; it warns and will be removed in the
        next release.

    Returns
    -------
    SeedComparison
        The choices and a ``methods × (k + 1)`` table of spreads; ``plot()`` draws
        spread against :math:`k`.

    Raises
    ------
    ValidationError, UnknownEntityError
        As in :func:`choose_seeds`.

    See Also
    --------
    simulate : the spread of one seed set.
    choose_seeds : the seeds with the largest expected spread.
    vchuang.diffusion.SeedComparison.plot : the seed sets' spread curves.

    Examples
    --------
    >>> import networkx as nx
    >>> cmp = compare_seeds(nx.karate_club_graph(), 3, p=0.1, runs=300, rng=0)
    >>> cmp.methods, cmp.spread.shape
    (('ris', 'degree', 'pagerank'), (3, 4))
    """
    probability = renamed("compare_seeds", "weights", weights, "probability", probability)
    z = _z(confidence)
    n_jobs = check_jobs(n_jobs)
    methods = tuple(methods)
    for i, m in enumerate(methods):
        check_choice(m, METHODS, f"methods[{i}]")
    runs = _check_runs(runs)
    cand_list = None if candidates is None else list(candidates)
    given_list = list(given)
    seqs = spawn(rng, len(methods) + 1)
    choices = tuple(
        choose_seeds(
            graph,
            k,
            model=model,
            method=m,
            p=p,
            probability=probability,
            epsilon=epsilon,
            stopping=stopping,
            candidates=cand_list,
            given=given_list,
            runs=runs,
            rng=seqs[i],
            n_jobs=n_jobs,
            progress=progress,
        )
        for i, m in enumerate(methods)
    )
    # one seed for scoring every method: the same random streams (common random numbers)
    score_seed = int(seqs[-1].generate_state(1, dtype=np.uint64)[0])
    model_p = _check_options(model, p, probability)
    net = _network(graph)
    values, rule = _arc_values(net, model, model_p, probability)
    arcs = _Arcs.build(net, values, model=model)
    given_idx = net.index_of(given_list, "given")
    width = max((len(c.seeds) for c in choices), default=0) + 1
    spread = np.full((len(methods), width), np.nan)
    half = np.full((len(methods), width), np.nan)
    for i, c in enumerate(choices):
        seeds = net.index_of(c.seeds, "seeds")
        cum = _prefix_spreads(arcs, model, given_idx, seeds, runs, score_seed, n_jobs)
        spread[i, : cum.shape[0]] = cum.mean(axis=1)
        sd = cum.std(axis=1, ddof=1) if runs > 1 else np.zeros(cum.shape[0])
        half[i, : cum.shape[0]] = z * sd / math.sqrt(runs)
    last = spread[:, -1]
    reasons: tuple[str, ...] = ()
    if methods and not np.all(np.isnan(last)):
        best = int(np.nanargmax(last))
        reasons = tuple(
            Said(
                "diffusion.reason.best" if i == best else "diffusion.reason.against",
                method=_method(m),
                reached=f"{last[i]:.1f}",
                k=width - 1,
                diff=f"{last[i] - last[best]:+.1f}",
                best=_method(methods[best]),
            )
            for i, m in enumerate(methods)
        )
    return SeedComparison(
        methods=methods,
        choices=choices,
        spread=spread,
        halfwidth=half,
        runs=runs,
        confidence=confidence,
        model=model,
        rule=rule,
        reasons=reasons,
    )
