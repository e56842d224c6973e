"""Reverse-reachable (RR) sets and the IMM rule for how many are enough.

An RR set of a resident :math:`v` is everyone who could have told :math:`v` through
the arcs that fire in one random draw (IC), or the residents on a random walk back from
:math:`v` (LT). Choosing seeds that touch the most RR sets is maximum coverage, solved
by the library's coverage engine (see the Notes of :func:`choose_seeds`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import Problem, ValidationError
from ..kernel import coverage as _coverage
from ..kernel.progress import progress_bar
from ..kernel.said import Said
from . import _visited
from ._cascade import _Arcs, _ic_stages
from ._network import BoolArray, FloatArray, IntArray, _Net

if TYPE_CHECKING:
    import scipy.sparse

#: RR sets sampled per pass, at most (fewer on large networks: see _rr_batch).
_RR_BATCH = 1 << 16


def _rr_batch(n: int) -> int:
    """RR sets sampled per pass (fixed by ``n``, so the samples never depend on anything
    else): as many as keep the visited mask within ``_BIT_CELLS``."""
    return int(min(_RR_BATCH, max(256, _visited._BIT_CELLS // max(n, 1))))


class _Pool:
    """A growing collection of reverse-reachable sets, stored by set."""

    def __init__(self, arcs_t: _Arcs, model: str, rng: np.random.Generator, bar: Any) -> None:
        self.arcs = arcs_t
        self.model = model
        self.rng = rng
        self.bar = bar
        self.nodes: list[npt.NDArray[np.int32]] = []
        self.sizes: list[npt.NDArray[np.int32]] = []
        self.size = 0
        self.pairs = 0
        self.batch = _rr_batch(arcs_t.n)
        self.visited = _visited._new(arcs_t.n, self.batch)

    def extend_to(self, total: int) -> None:
        n = self.arcs.n
        while self.size < total:
            b = min(self.batch, total - self.size)
            roots = self.rng.integers(n, size=b)
            if self.model == "ic":
                start = np.arange(b, dtype=np.int64) * n + roots
                keys = _ic_stages(self.arcs, [start], self.rng, self.visited)[0]
            else:
                keys = _lt_walks(self.arcs, roots, self.rng, self.visited)
            self.visited.clear(keys)
            keys = np.sort(keys, kind="stable")  # by set, then node (merges sorted runs)
            col = keys // n
            self.nodes.append((keys - col * n).astype(np.int32))
            self.sizes.append(np.bincount(col, minlength=b).astype(np.int32))
            self.size += b
            self.pairs += keys.size
            self.bar.update(b)

    def select(self, rows: IntArray, given: IntArray) -> tuple[scipy.sparse.csr_array, BoolArray]:
        """Candidates (``rows``: the node of each row) × RR sets as a canonical CSR
        incidence, and the RR sets the ``given`` nodes already touch."""
        import scipy.sparse as sp

        n = self.arcs.n
        indices = np.concatenate(self.nodes) if self.nodes else np.zeros(0, np.int32)
        indptr = np.zeros(self.size + 1, dtype=np.int64)
        if self.sizes:
            np.cumsum(np.concatenate(self.sizes), out=indptr[1:])
        by_set = sp.csr_array(
            (np.ones(indices.size, dtype=np.int8), indices, indptr), shape=(self.size, n)
        )
        by_node = by_set.tocsc()  # transposed in C; sets stay sorted within each node
        del by_set
        covered = np.zeros(self.size, dtype=bool)
        for g in given.tolist():
            covered[by_node.indices[by_node.indptr[g] : by_node.indptr[g + 1]]] = True
        inc = sp.csr_array(
            (np.ones(by_node.indices.size), by_node.indices, by_node.indptr),
            shape=(n, self.size),
        )
        del by_node
        if rows.size != n or not np.array_equal(rows, np.arange(n)):
            inc = sp.csr_array(inc[rows])
        inc.has_sorted_indices = True
        return inc, covered


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


def _capped(count: int, limit: int) -> int:
    if count > limit:
        msg = (
            f"IMM needs {count:,} RR sets here, more than max_rr_sets = {limit:,} "
            "(memory grows with them)"
        )
        hint = "raise epsilon (samples grow like 1/epsilon^2) or max_rr_sets"
        raise ValidationError([Problem("epsilon", msg, hint)])
    return count


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


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
) -> tuple[IntArray, FloatArray, float, int, int, tuple[str, ...]]:
    n = net.n
    log_n = math.log(max(n, 2))  # a network of one node: as if two (no log 0)
    bar = progress_bar(progress, None, "RR sets")
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
        pool = _Pool(arcs_t, model, rng, bar)
        evals = 0
        for i in range(1, max(2, math.ceil(math.log2(max(n, 2))))):
            x = n / 2.0**i
            pool.extend_to(_capped(math.ceil(lam1 / x), max_rr_sets))
            inc, covered = pool.select(cand, given)
            res = _coverage.max_coverage(inc, k, covered=covered)
            del inc
            evals += res.evaluations
            est = n * (covered.sum() + res.value) / pool.size
            if est >= (1.0 + eps1) * x:
                lower = est / (1.0 + eps1)
                break
        alpha = math.sqrt(ell * log_n + math.log(2))
        beta = math.sqrt(e1 * (log_cnk + ell * log_n + math.log(2)))
        lam_star = 2.0 * n * (e1 * alpha + beta) ** 2 / epsilon**2
        theta = math.ceil(lam_star / lower)
        first_phase = pool.size
        # Chen (2018): fresh RR sets for the final choice keep IMM's guarantee.
        pool = _Pool(arcs_t, model, rng, bar)
        pool.extend_to(_capped(theta, max_rr_sets))
        inc, covered = pool.select(cand, given)
        res = _coverage.max_coverage(inc, k, covered=covered)
        del inc
        evals += res.evaluations
    finally:
        bar.close()
    scale = n / pool.size
    rr_spread = (float(covered.sum()) + res.value) * scale
    notes = (
        Said(
            "diffusion.note.imm",
            epsilon=f"{epsilon:g}",
            ell=f"{ell:.3f}",
            lower=f"{lower:.1f}",
            first=f"{first_phase:,}",
            theta=f"{pool.size:,}",
            pairs=f"{pool.pairs:,}",
        ),
        Said(
            "diffusion.note.certificate",
            value=f"{res.value:.0f}",
            k=k,
            bound=f"{res.bound:.0f}",
            ratio=f"{res.value / res.bound if res.bound else 1.0:.3f}",
        ),
        Said("diffusion.note.rr_estimate", spread=f"{rr_spread:.1f}"),
    )
    share = res.gains / pool.size
    return cand[res.chosen], share, rr_spread, pool.size, evals, notes
