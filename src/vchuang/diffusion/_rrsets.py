"""Reverse-reachable (RR) sets and the IMM rule for how many are enough.

An RR set of a resident :math:`v` is everyone who could have told :math:`v` through
the arcs that fire in one random draw (IC, drawn by subset sampling: see ``_subsim``),
or the residents on a random walk back from :math:`v` (LT). Choosing seeds that touch
the most RR sets is maximum coverage, solved by the library's coverage engine (see the
Notes of :func:`choose_seeds`).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from ..kernel import coverage as _coverage
from ..kernel.progress import progress_bar
from ..kernel.said import Said
from . import _visited
from ._cascade import _Arcs
from ._network import BoolArray, FloatArray, IntArray, _Net
from ._subsim import _Reverse

if TYPE_CHECKING:
    import scipy.sparse

#: RR sets sampled per pass, at most (fewer on large networks: see _rr_batch).
_RR_BATCH = 1 << 16


def _rr_batch(n: int) -> int:
    """RR sets sampled per pass (fixed by ``n``, so the samples never depend on anything
    else): as many as keep the visited mask within ``_BIT_CELLS``."""
    return int(min(_RR_BATCH, max(256, _visited._BIT_CELLS // max(n, 1))))


class _Clock:
    """When sampling must stop: a deadline ``time_limit`` seconds from now (or none)."""

    def __init__(self, time_limit: float | None) -> None:
        self.limit = time_limit
        self.deadline = math.inf if time_limit is None else time.perf_counter() + time_limit

    def passed(self) -> bool:
        return self.limit is not None and time.perf_counter() >= self.deadline


class _Pool:
    """A growing collection of reverse-reachable sets: each set's nodes, one flat array."""

    def __init__(
        self,
        arcs_t: _Arcs,
        model: str,
        rng: np.random.Generator,
        bar: Any,
        clock: _Clock,
        reverse: _Reverse | None = None,
    ) -> None:
        self.arcs = arcs_t
        self.model = model
        self.reverse = reverse if reverse is not None or model != "ic" else _Reverse.of(arcs_t)
        self.rng = rng
        self.bar = bar
        self.clock = clock
        self.nodes: list[npt.NDArray[np.int32]] = []
        self.sizes: list[npt.NDArray[np.int32]] = []
        self.size = 0
        self.pairs = 0
        self.batch = _rr_batch(arcs_t.n)
        self.visited = _visited._new(arcs_t.n, self.batch)

    def extend_to(self, total: int) -> bool:
        """Draw RR sets until there are ``total``; ``False`` when the time limit stopped
        it first (a collection always gets at least one pass)."""
        n = self.arcs.n
        while self.size < total:
            if self.size and self.clock.passed():
                return False
            b = min(self.batch, total - self.size)
            roots = self.rng.integers(n, size=b)
            if self.reverse is not None:  # IC: subset sampling (see _subsim)
                keys = self.reverse.sets(roots, self.rng, self.visited)
            else:
                keys = _lt_walks(self.arcs, roots, self.rng, self.visited)
            self.visited.clear(keys)
            col = keys // n
            nodes = (keys - col * n).astype(np.int32)
            del keys
            # group by set: a stable radix sort of the (16-bit) set number; the order of
            # the nodes within a set does not matter
            order = np.argsort(col.astype(np.uint16 if b <= 1 << 16 else np.int64), kind="stable")
            self.nodes.append(nodes[order])
            self.sizes.append(np.bincount(col, minlength=b).astype(np.int32))
            self.size += b
            self.pairs += nodes.size
            self.bar.update(b)
        return True

    def select(
        self, rows: IntArray, given: IntArray
    ) -> tuple[scipy.sparse.csr_array, scipy.sparse.csr_array, BoolArray]:
        """Candidates (``rows``: the node of each row) × RR sets as a CSR incidence, the
        same turned round (RR sets × candidates), and the RR sets ``given`` touch."""
        import scipy.sparse as sp

        n = self.arcs.n
        if len(self.nodes) > 1:  # one flat array from now on
            self.nodes = [np.concatenate(self.nodes)]
            self.sizes = [np.concatenate(self.sizes)]
        nodes = self.nodes[0] if self.nodes else np.zeros(0, np.int32)
        # 32-bit offsets while they fit: scipy keeps one index type, so an int64 indptr
        # would copy every node number to int64 (twice the memory)
        index = np.int32 if nodes.size < np.iinfo(np.int32).max else np.int64
        indptr = np.zeros(self.size + 1, dtype=index)
        if self.sizes:
            np.cumsum(self.sizes[0], out=indptr[1:])
        covered = np.zeros(self.size, dtype=bool)
        if given.size:
            hit = np.isin(nodes, given)
            covered[np.searchsorted(indptr, np.flatnonzero(hit), side="right") - 1] = True
            del hit
        ones = np.ones(nodes.size, dtype=np.int8)  # the data of both: all ones
        if rows.size == n and np.array_equal(rows, np.arange(n)):
            members = sp.csr_array((ones, nodes, indptr), shape=(self.size, n))
        else:
            at = np.full(n, -1, dtype=np.int32)
            at[rows] = np.arange(rows.size, dtype=np.int32)
            mapped = at[nodes]
            keep = mapped >= 0
            sub = np.zeros(nodes.size + 1, dtype=index)
            np.cumsum(keep, out=sub[1:])
            sub = sub[indptr]  # the kept entries before each set
            members = sp.csr_array(
                (ones[: int(sub[-1])], mapped[keep], sub), shape=(self.size, rows.size)
            )
            del mapped, keep
        by_row = members.tocsc()  # a counting sort in C; sets stay sorted within each row
        inc = sp.csr_array(
            (ones[: by_row.indices.size], by_row.indices, by_row.indptr),
            shape=(members.shape[1], self.size),
        )
        del by_row
        inc.has_sorted_indices = True
        return inc, members, covered

    def greedy(self, rows: IntArray, given: IntArray, k: int) -> tuple[_coverage.Greedy, float]:
        """The greedy choice of ``k`` rows on these RR sets, and the sets ``given`` touch."""
        inc, members, covered = self.select(rows, given)
        res = _coverage.max_coverage(inc, k, covered=covered, members=members)
        return res, float(covered.sum())


def _lt_walks(
    arcs_t: _Arcs,
    roots: IntArray,
    rng: np.random.Generator,
    visited: _visited._Visited,
) -> IntArray:
    """LT RR sets: from each root, walk back along one in-arc chosen with probability
    :math:`b_{uv}` (none with :math:`1 - \\sum_u b_{uv}`) until it stops or loops."""
    n = arcs_t.n
    col = np.arange(roots.size, dtype=np.int64)
    cur = roots.astype(np.int64)
    got = [visited.add_new(col * n + cur)]
    key = arcs_t.cumkey
    while cur.size:
        u = rng.random(cur.size)
        j = np.searchsorted(key, 2.0 * cur + u, side="right")
        ok = j < arcs_t.indptr[cur + 1]
        nxt = arcs_t.indices[j[ok]]
        col = col[ok]
        cells = col * n + nxt
        fresh = ~visited.seen(cells)
        cur, col = nxt[fresh], col[fresh]
        got.append(visited.add_new(cells[fresh]))
    return np.concatenate(got)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


class _Imm(NamedTuple):
    chosen: IntArray
    share: FloatArray
    spread: float
    samples: int
    evaluations: int
    notes: tuple[str, ...]
    epsilon: float  # the epsilon achieved (nan: no guarantee)
    stopped: bool


def _imm(
    net: _Net,
    arcs_t: _Arcs,
    model: str,
    k: int,
    cand: IntArray,
    given: IntArray,
    epsilon: float,
    ell: float,
    rng: np.random.Generator,
    progress: bool,
    max_rr_sets: int,
    time_limit: float | None = None,
) -> _Imm:
    n = net.n
    log_n = math.log(max(n, 2))  # a network of one node: as if two (no log 0)
    bar = progress_bar(progress, None, "RR sets")
    clock = _Clock(time_limit)
    stop: Said | None = None
    guarantee: Said | None = None
    achieved = epsilon
    try:
        e1 = 1.0 - 1.0 / math.e
        ell = ell * (1.0 + math.log(2) / log_n)
        log_cnk = _log_comb(cand.size, min(k, cand.size))
        eps1 = math.sqrt(2.0) * epsilon
        lam1 = (
            (2.0 + 2.0 / 3.0 * eps1)
            * (log_cnk + ell * log_n + math.log(max(math.log2(max(n, 2)), 1.0)))
            * n
            / eps1**2
        )
        lower = 1.0
        reverse = _Reverse.of(arcs_t) if model == "ic" else None
        pool = _Pool(arcs_t, model, rng, bar, clock, reverse)
        evals = 0
        for i in range(1, max(2, math.ceil(math.log2(max(n, 2))))):
            x = n / 2.0**i
            need = math.ceil(lam1 / x)
            done = pool.extend_to(min(need, max_rr_sets))
            res, touched = pool.greedy(cand, given, k)
            evals += res.evaluations
            if not done or need > max_rr_sets:  # the lower-bound phase did not finish
                stop = _stop_note(done, time_limit, max_rr_sets, pool.size, need)
                guarantee = Said("diffusion.note.no_guarantee_lb", drawn=f"{pool.size:,}")
                achieved = math.nan
                break
            est = n * (touched + res.value) / pool.size
            if est >= (1.0 + eps1) * x:
                lower = est / (1.0 + eps1)
                break
        first_phase = pool.size
        alpha = math.sqrt(ell * log_n + math.log(2))
        beta = math.sqrt(e1 * (log_cnk + ell * log_n + math.log(2)))
        lam_one = 2.0 * n * (e1 * alpha + beta) ** 2  # lambda* times epsilon squared
        theta = math.ceil(lam_one / epsilon**2 / lower)
        if stop is None:
            # Chen (2018): fresh RR sets for the final choice keep IMM's guarantee.
            first = (res, touched)
            del pool  # its sets and visited mask go before the next are made
            pool = _Pool(arcs_t, model, rng, bar, clock, reverse)
            done = pool.extend_to(min(theta, max_rr_sets))
            pool.visited = _visited._new(0, 0)  # no more sampling: free the mask
            if not done or theta > max_rr_sets:
                stop = _stop_note(done, time_limit, max_rr_sets, pool.size, theta)
                # theta' = lambda*(eps') / LB  =>  eps' = sqrt(lambda* eps^2 / (theta' LB))
                achieved = math.sqrt(lam_one / (pool.size * lower))
                if achieved < e1:
                    guarantee = Said(
                        "diffusion.note.guarantee",
                        epsilon=f"{achieved:.3f}",
                        share=f"{e1 - achieved:.3f}",
                        asked=f"{epsilon:g}",
                        drawn=f"{pool.size:,}",
                    )
                else:
                    achieved = math.nan
                    guarantee = Said(
                        "diffusion.note.no_guarantee_eps",
                        drawn=f"{pool.size:,}",
                        epsilon=f"{math.sqrt(lam_one / (pool.size * lower)):.3f}",
                    )
            if math.isnan(achieved) and pool.size < first_phase:
                # no guarantee either way: the larger collection chooses better
                (res, touched), size, pairs = first, first_phase, -1
            else:
                res, touched = pool.greedy(cand, given, k)
                evals += res.evaluations
                size, pairs = pool.size, pool.pairs
        else:
            size, pairs = pool.size, pool.pairs
    finally:
        bar.close()
    scale = n / size
    rr_spread = (touched + res.value) * scale
    notes: list[str] = []
    if stop is None:
        notes.append(
            Said(
                "diffusion.note.imm",
                epsilon=f"{epsilon:g}",
                ell=f"{ell:.3f}",
                lower=f"{lower:.1f}",
                first=f"{first_phase:,}",
                theta=f"{size:,}",
                pairs=f"{pairs:,}",
            )
        )
    else:
        notes += [stop, guarantee] if guarantee is not None else [stop]
    notes += [
        Said(
            "diffusion.note.certificate",
            value=f"{res.value:.0f}",
            k=k,
            bound=f"{res.bound:.0f}",
            ratio=f"{res.value / res.bound if res.bound else 1.0:.3f}",
        ),
        Said("diffusion.note.rr_estimate", spread=f"{rr_spread:.1f}"),
    ]
    share = res.gains / size
    return _Imm(
        chosen=cand[res.chosen],
        share=share,
        spread=rr_spread,
        samples=size,
        evaluations=evals,
        notes=tuple(notes),
        epsilon=achieved,
        stopped=stop is not None,
    )


def _stop_note(done: bool, time_limit: float | None, cap: int, drawn: int, need: int) -> Said:
    """Why sampling stopped: the time limit, or ``max_rr_sets``."""
    if not done:
        return Said(
            "diffusion.note.stopped_time",
            limit=f"{time_limit:g}",
            drawn=f"{drawn:,}",
            need=f"{need:,}",
        )
    return Said("diffusion.note.stopped_cap", limit=f"{cap:,}", need=f"{need:,}")
