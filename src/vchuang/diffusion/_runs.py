"""Monte Carlo runs in fixed chunks, in this process or through joblib, and
:func:`simulate`.

The runs are cut into chunks of ``_CHUNK`` and each chunk gets its own random stream (a
:class:`numpy.random.SeedSequence` child of ``rng``), so a given ``rng`` gives the same
answer whatever ``n_jobs`` is, and the first 100 runs of 1,000 are a run of 100.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np

from .._optional import require
from .._rng import RNGLike, spawn
from ..kernel.checks import check_jobs, check_number, check_whole
from ..kernel.progress import progress_bar
from ..kernel.renames import UNSET, renamed
from ..kernel.said import Said, Words
from ..kernel.text import text
from . import _visited
from ._cascade import _Arcs, _cascade, _stage_keys
from ._network import IntArray, _arc_values, _check_options, _network
from ._results import Spread

#: Runs per random stream. Fixed, so the streams (and the answer) never depend on n_jobs.
_CHUNK = 100
#: Seconds all the runs would take here (guessed from the pilot) below which
#: ``n_jobs != 1`` runs them here anyway: starting the work elsewhere costs more than
#: it saves (about 0.1–0.3 s with warm loky workers on 100k nodes / 1M ties).
_PARALLEL_MIN_SECONDS = 1.0
#: Runs of the pilot that times the work before ``n_jobs != 1`` decides where to run.
_PILOT_RUNS = 10

_T = TypeVar("_T")


def _run_chunk(
    arcs: _Arcs,
    model: str,
    stages: Sequence[IntArray],
    cols: int,
    seed: np.random.SeedSequence,
    want_nodes: bool,
    scratch: _visited._Visited | None = None,
    memo: dict[int, list[IntArray]] | None = None,
) -> tuple[IntArray, IntArray | None]:
    """One stream: ``cols`` runs; counts per stage and run, and (optional) the node of
    every cell reached, in any order — a :class:`_Tally` counts them.

    ``scratch``: an empty visited mask for ``n × cols`` cells to use (and leave empty),
    instead of a new one. ``memo``: the stages' cells by ``cols``, kept between chunks
    (every chunk of 100 runs starts from the same cells).
    """
    n = arcs.n
    rng = np.random.default_rng(seed)
    visited = _visited._new(n, cols) if scratch is None else scratch
    if memo is None:
        memo = {}
    if cols not in memo:
        memo[cols] = [_stage_keys(s, cols, n) for s in stages]
    keys = _cascade(arcs, model, memo[cols], cols, rng, visited)
    if scratch is not None:
        for k in keys:
            scratch.clear(k)
    counts = np.empty((len(keys), cols), dtype=np.int64)
    for i, k in enumerate(keys):
        counts[i] = np.bincount(k // n, minlength=cols)
    nodes = None
    if want_nodes:
        nodes = np.concatenate(keys) if len(keys) > 1 else keys[0]
        nodes = nodes % n
    return counts, nodes


class _Tally:
    """How often each of ``n`` nodes was reached, summed over chunks.

    The nodes of a chunk are kept until they add up to ``n`` and then counted by one
    :func:`numpy.bincount`, so a chunk whose runs reach a few dozen nodes costs work
    in proportion to them, not one pass over all ``n`` nodes.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.counts = np.zeros(n, dtype=np.int64)
        self._pending: list[IntArray] = []
        self._size = 0

    def add(self, nodes: IntArray) -> None:
        self._pending.append(nodes)
        self._size += nodes.size
        if self._size >= self.n:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self.counts += np.bincount(np.concatenate(self._pending), minlength=self.n)
            self._pending.clear()
            self._size = 0

    def result(self) -> IntArray:
        self._flush()
        return self.counts


def _chunks(runs: int) -> list[int]:
    full, rest = divmod(runs, _CHUNK)
    return [_CHUNK] * full + ([rest] if rest else [])


def _parallel(
    fn: Callable[..., _T], tasks: Sequence[tuple[Any, ...]], n_jobs: int, what: str
) -> Iterator[_T]:
    """``fn(*task)`` for each task, in order: here (``n_jobs == 1``) or through joblib."""
    if n_jobs == 1:
        return (fn(*task) for task in tasks)
    joblib = require("joblib", extra="parallel", feature=f"{what} (n_jobs != 1)")
    par = joblib.Parallel(n_jobs=n_jobs, return_as="generator")
    out: Iterator[_T] = par(joblib.delayed(fn)(*task) for task in tasks)
    return out


def _run_group(
    arcs: _Arcs,
    model: str,
    stages: Sequence[IntArray],
    sizes: Sequence[int],
    seeds: Sequence[np.random.SeedSequence],
    want_nodes: bool,
) -> tuple[IntArray, IntArray | None]:
    """Several chunks in a row (one task of a worker), each with its own stream, on
    one visited mask: their counts side by side and their per-node counts summed."""
    scratch = _visited._borrow(arcs.n, max(sizes))
    counts: list[IntArray] = []
    tally = _Tally(arcs.n) if want_nodes else None
    memo: dict[int, list[IntArray]] = {}
    for size, seed in zip(sizes, seeds, strict=True):
        c, got = _run_chunk(arcs, model, stages, size, seed, want_nodes, scratch, memo)
        counts.append(c)
        if tally is not None and got is not None:
            tally.add(got)
    _visited._give_back(scratch)
    return np.concatenate(counts, axis=1), None if tally is None else tally.result()


def _workers(n_jobs: int) -> int:
    """How many workers ``n_jobs`` means under the active joblib backend."""
    joblib = require("joblib", extra="parallel", feature="parallel runs (n_jobs != 1)")
    return max(1, int(joblib.effective_n_jobs(n_jobs)))


def _groups(count: int, parts: int) -> list[range]:
    """``range(count)`` cut into ``parts`` contiguous pieces of nearly equal length."""
    parts = max(1, min(parts, count))
    edges = [round(i * count / parts) for i in range(parts + 1)]
    return [range(edges[i], edges[i + 1]) for i in range(parts)]


def _map_runs(
    arcs: _Arcs,
    model: str,
    stages: Sequence[IntArray],
    runs: int,
    rng: RNGLike,
    *,
    n_jobs: int,
    want_nodes: bool,
    progress: bool,
    desc: str,
) -> tuple[IntArray, IntArray | None]:
    """All runs in fixed chunks, each chunk with its own SeedSequence child.

    With ``n_jobs != 1`` a pilot of :data:`_PILOT_RUNS` runs (from a stream of its own,
    thrown away) times the work first. When it comes to at least
    :data:`_PARALLEL_MIN_SECONDS` for all the runs and ``n_jobs`` means more than one
    worker, the chunks go to the workers in one task per worker (the arcs are pickled
    — or, with joblib's default ``loky`` backend, memory-mapped — once per task, not
    once per chunk); otherwise they run here. Either way every chunk draws from its own
    stream, so the answer is the same.
    """
    if n_jobs != 1:
        require("joblib", extra="parallel", feature="parallel runs (n_jobs != 1)")
    sizes = _chunks(runs)
    seeds = spawn(rng, len(sizes))
    workers = 1
    if n_jobs != 1 and len(sizes) > 1:
        start = time.perf_counter()
        pilot = np.random.SeedSequence(_PILOT_RUNS)  # any stream: its runs are not used
        _run_chunk(arcs, model, stages, _PILOT_RUNS, pilot, False)
        guess = (time.perf_counter() - start) / _PILOT_RUNS * runs
        if guess >= _PARALLEL_MIN_SECONDS:
            workers = _workers(n_jobs)
    bar = progress_bar(progress, runs, desc)
    counts: list[IntArray] = []
    tally = _Tally(arcs.n) if want_nodes else None
    scratch: _visited._Visited | None = None
    try:
        if workers > 1:
            parts = _groups(len(sizes), workers)
            tasks = [
                (
                    arcs,
                    model,
                    stages,
                    [sizes[i] for i in part],
                    [seeds[i] for i in part],
                    want_nodes,
                )
                for part in parts
            ]
            results = _parallel(_run_group, tasks, n_jobs, "parallel runs")
            done = [sum(sizes[i] for i in part) for part in parts]
            counted = True  # each task's nodes come back counted
        else:
            # one mask, emptied after each chunk (and kept for the next call)
            scratch = _visited._borrow(arcs.n, _CHUNK)
            memo: dict[int, list[IntArray]] = {}
            results = (
                _run_chunk(arcs, model, stages, size, seed, want_nodes, scratch, memo)
                for size, seed in zip(sizes, seeds, strict=True)
            )
            done = sizes
            counted = False  # each chunk's nodes come back one per cell reached
        for (c, got), size in zip(results, done, strict=True):
            counts.append(c)
            if tally is not None and got is not None:
                if counted:
                    tally.counts += got
                else:
                    tally.add(got)
            bar.update(size)
        if scratch is not None:
            _visited._give_back(scratch)  # every chunk has emptied it
    finally:
        bar.close()
    return np.concatenate(counts, axis=1), None if tally is None else tally.result()


def _prefix_spreads(
    arcs: _Arcs,
    model: str,
    given: IntArray,
    seeds: IntArray,
    runs: int,
    rng: RNGLike,
    n_jobs: int = 1,
) -> IntArray:
    """Per run, the cumulative spread after ``given`` and after each seed in turn."""
    stages = [given] + [seeds[i : i + 1] for i in range(seeds.size)]
    counts, _ = _map_runs(
        arcs, model, stages, runs, rng, n_jobs=n_jobs, want_nodes=False, progress=False, desc=""
    )
    return np.cumsum(counts, axis=0)


def _check_runs(runs: Any, name: str = "runs") -> int:
    return check_whole(runs, name, minimum=1)


def _z(confidence: float) -> float:
    confidence = check_number(confidence, "confidence", above=0, below=1)
    from statistics import NormalDist

    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


# --------------------------------------------------------------------------- simulate


def simulate(
    graph: Any,
    seeds: Iterable[Hashable],
    *,
    model: str = "ic",
    p: float | None = None,
    probability: str | None = None,
    runs: int = 1000,
    confidence: float = 0.95,
    rng: RNGLike = None,
    n_jobs: int = 1,
    progress: bool = False,
    weights: Any = UNSET,
) -> Spread:
    """How many residents hear of it when ``seeds`` start spreading the word.

    Parameters
    ----------
    graph : CommunityGraph, networkx.Graph or scipy.sparse.sparray
        The network (see the module docs): for a
        :class:`~vchuang.graph.CommunityGraph`, residents and their ``knows`` ties,
        each tie an arc each way.
    seeds : iterable
        Resident IDs (node labels, or integers for a sparse array) who start.
    model : {"ic", "lt"}
        Independent cascade or linear threshold.
    p : float, optional
        Probability that one tie passes the word on (default 0.1); not used with
        ``probability="wc"``.
    probability : {None, "weight", "wc"}
        The rule that gives each arc its probability (IC) or weight (LT), see
        :data:`PROBABILITIES`. ``None``: every arc has probability ``p``;
        ``"weight"``: an arc of tie weight :math:`w` has :math:`1 - (1 - p)^{w}` (a tie
        of weight 3 is three independent chances); ``"wc"``: weighted cascade, an arc
        into :math:`v` has :math:`1 / d_{in}(v)`.
    runs : int
        Monte Carlo runs.
    confidence : float
        Level of the confidence interval.
    rng : None, int or numpy.random.Generator
        Randomness. The runs are cut into chunks of 100 and each chunk gets its own
        stream from :func:`vchuang._rng.spawn`, so a seed gives the same result
        whatever ``n_jobs`` is.
    n_jobs : int
        ``1``: the chunks run in this process. Otherwise they run through
        :class:`joblib.Parallel` (``pip install 'vchuang[parallel]'``), one large task
        per worker; choose where with ``joblib.parallel_config(backend=...)`` —
        ``"loky"`` processes, or a Dask or Ray cluster. A pilot of 10 runs times the
        work first: under about a second of work (``_PARALLEL_MIN_SECONDS``) the runs
        stay in this process, where they are faster. The answer is the same either way.
    progress : bool
        Show a progress bar (``pip install 'vchuang[progress]'``).
    weights : {None, "weight", "wc"}
        Deprecated old name of ``probability`` (``weights=`` is kept for numeric
        weights across the library); it warns and will be removed in the next release.

    Returns
    -------
    Spread
        The mean spread with its confidence interval, the spread of every run and
        each resident's probability of being reached.

    Raises
    ------
    UnknownEntityError
        A seed is not in the network.
    ValidationError
        A bad option (model, p, probability, runs, n_jobs, confidence) or network.
    MissingDependencyError
        ``n_jobs != 1`` without joblib, or ``progress=True`` without tqdm.

    See Also
    --------
    choose_seeds : the ``k`` seeds with the largest expected spread.
    compare_seeds : several seed sets on the same simulated worlds.
    vchuang.diffusion.Spread.plot : the spread over runs, as a histogram.

    Notes
    -----
    **Independent cascade** (Kempe, Kleinberg & Tardos [1]_): the seeds are active at
    step 0; a resident :math:`u` who becomes active at step :math:`t` gets one chance
    to activate each inactive out-neighbour :math:`v`, succeeding with probability
    :math:`p_{uv}`; the process stops when a step activates nobody. The spread
    :math:`\\sigma(S)` is the expected number of active residents at the end, seeds
    included. The weighted cascade :math:`p_{uv} = 1/d_{in}(v)` is from Chen, Wang &
    Wang [2]_.

    **Linear threshold** [1]_: each arc has a weight :math:`b_{uv} \\ge 0` with
    :math:`\\sum_u b_{uv} \\le 1` (the arc values from ``p``/``probability`` are divided by
    their sum into :math:`v` when it exceeds 1); each resident draws a threshold
    :math:`\\theta_v \\sim U(0, 1)` per run and becomes active once the weights from
    its active in-neighbours add up to :math:`\\theta_v`. Thresholds are drawn lazily:
    a resident who has collected :math:`a` and now gets :math:`\\Delta` more becomes
    active with probability :math:`\\Delta / (1 - a)` — the chance that a uniform
    threshold known to exceed :math:`a` is at most :math:`a + \\Delta`, which gives the
    same distribution of outcomes as drawing every threshold first.

    **Vectorised.** A chunk of :math:`R` runs advances together: the frontier is the
    set of (resident, run) cells activated in the last step, and one pass of array
    operations draws the coin flips of all their out-arcs (IC: in probability
    buckets, by geometric skips, so the work grows with the arcs that fire; LT: all
    out-arcs, with the weights summed per cell).

    **Confidence interval.** Runs are independent and identically distributed, so by
    the central limit theorem the mean :math:`\\bar X` of :math:`R` runs is about
    normal: the interval is :math:`\\bar X \\pm z_{(1+c)/2}\\, s / \\sqrt{R}` with
    :math:`s` the sample standard deviation.

    References
    ----------
    .. [1] Kempe, D., Kleinberg, J., & Tardos, É. (2003). Maximizing the spread of
       influence through a social network. KDD '03, 137–146.
       https://doi.org/10.1145/956750.956769
    .. [2] Chen, W., Wang, C., & Wang, Y. (2010). Scalable influence maximization for
       prevalent viral marketing in large-scale social networks. KDD '10, 1029–1038.
       https://doi.org/10.1145/1835804.1835934

    Examples
    --------
    A star: the centre reaches each of its 4 leaves with probability 0.5, so the
    expected spread is 1 + 4 · 0.5 = 3.

    >>> import networkx as nx
    >>> s = simulate(nx.star_graph(4), [0], p=0.5, runs=2000, rng=1)
    >>> round(s.mean, 1), s.ci[0] < 3 < s.ci[1]
    (3.0, True)
    >>> round(s.probability(1), 1)
    0.5
    """
    probability = renamed("simulate", "weights", weights, "probability", probability)
    model_p = _check_options(model, p, probability)
    runs = _check_runs(runs)
    z = _z(confidence)
    n_jobs = check_jobs(n_jobs)
    net = _network(graph)
    seed_idx = net.index_of(seeds, "seeds")
    values, rule = _arc_values(net, model, model_p, probability, view=True)
    arcs = _Arcs.build(net, values, model=model)
    counts, nodes = _map_runs(
        arcs,
        model,
        [seed_idx],
        runs,
        rng,
        n_jobs=n_jobs,
        want_nodes=True,
        progress=progress,
        desc="simulating",
    )
    dist = counts[0]
    mean = float(dist.mean())
    std = float(dist.std(ddof=1)) if runs > 1 else 0.0
    se = std / math.sqrt(runs)
    reached = (nodes if nodes is not None else np.zeros(net.n)) / runs
    ci = (mean - z * se, mean + z * se)
    reasons = (
        Said(
            "diffusion.reason.spread",
            seeds=len(seed_idx),
            mean=f"{mean:.1f}",
            n=net.n,
            level=f"{confidence:.0%}",
            low=f"{ci[0]:.1f}",
            high=f"{ci[1]:.1f}",
            runs=runs,
            model=Words(model.upper(), text(f"diffusion.model.{model}", "zh")),
            rule=rule,
        ),
        Said(
            "diffusion.reason.median",
            median=f"{float(np.median(dist)):g}",
            most=int(dist.max()) if dist.size else 0,
        ),
        Said("diffusion.reason.half", n=int((reached >= 0.5).sum())),
    )
    return Spread(
        seeds=tuple(net.ids[i] for i in seed_idx.tolist()),
        model=model,
        rule=rule,
        runs=runs,
        mean=mean,
        std=std,
        stderr=se,
        ci=ci,
        confidence=confidence,
        distribution=dist,
        ids=net.ids,
        reached=reached,
        reasons=reasons,
    )
