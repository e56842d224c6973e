"""The cascade kernels: arcs grouped for sampling, and many runs (or RR sets) advanced
together by array operations — independent cascade and linear threshold.

A *cell* is one node in one column (a run, or an RR set); its key is
``column * n + node``. A *stage* is a set of cells that become active together (the
seeds; in CELF and prefix scoring, later seeds are later stages of the same runs).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from . import _visited
from ._network import FloatArray, IntArray, _Net


class _Arcs:
    """Arcs ready for simulation (rows are sources; only arcs of value > 0).

    For IC the arcs of each row are grouped in probability buckets
    :math:`(2^{-(b+1)}, 2^{-b}]`; a bucket is sampled at its largest probability ``q``
    by geometric skips and each hit kept with probability ``p / q`` (at least 1/2), so
    the work is proportional to the arcs that fire, not to the arcs looked at.
    For LT each row also has cumulative weights, for the reverse random walk.
    """

    def __init__(
        self,
        n: int,
        indptr: IntArray,
        indices: IntArray,
        value: FloatArray,
        *,
        buckets: bool = True,
    ) -> None:
        if value.size and value.ndim == 1 and value.strides[0] == 0:
            low = high = float(value[0])  # one number for every arc: no pass over them
        else:
            low = float(value.min()) if value.size else 1.0
            high = float(value.max()) if value.size else 1.0
        if low <= 0.0:
            keep = value > 0.0
            count = _row_counts(keep, indptr)
            indices, value = indices[keep], value[keep]
            indptr = np.zeros(n + 1, dtype=np.int64)
            np.cumsum(count, out=indptr[1:])
            low = float(value.min()) if value.size else 1.0
        self.n = n
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self._rows: IntArray | None = None
        self._cumkey: FloatArray | None = None
        self.buckets: list[tuple[IntArray, IntArray, float, bool]] = []
        self.has = np.zeros(n, dtype=np.int64)  # bit j set: the row has arcs in bucket j
        self.row_major = True  # indices/value in CSR order (indptr valid for them)
        if value.size == 0 or low == high:
            levels = np.zeros(1, dtype=np.int64)
            bucket = None
        else:
            bucket = _bucket_of(value)
            per_level = np.bincount(bucket)
            levels = np.flatnonzero(per_level)
        if not buckets and bucket is not None and levels.size > 1:
            # LT: CSR order, each row's arcs grouped by bucket (the order the RR walks
            # have always used, so a seed gives the walks it gave before)
            rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(self.indptr))
            dense = np.searchsorted(levels, bucket)
            order = np.argsort(rows * levels.size + dense, kind="stable")
            indices, value, self._rows = indices[order], value[order], rows
            bucket = None
        if bucket is None or levels.size == 1:
            self.indices, self.value = indices, value
            if value.size:
                count = np.diff(self.indptr)
                self.has |= (count > 0).astype(np.int64)
                rate = high  # dropping arcs of value <= 0 leaves the maximum as it was
                self.buckets.append((self.indptr[:-1], self.indptr[1:], rate, low == rate))
        else:
            # bucket-major: the arcs of bucket j, row by row (each row's arcs in CSR
            # order), then those of the next bucket: a stable sort by bucket (a radix
            # sort of one byte each), and each row's share of a bucket found by
            # searching the row starts among the bucket's arcs
            self.row_major = False
            order = np.argsort(bucket, kind="stable")
            del bucket
            self.indices = indices[order]
            self.value = value[order]
            offset = 0
            for size in per_level[levels].tolist():
                mine = order[offset : offset + size]  # increasing: CSR positions
                before = np.searchsorted(mine, self.indptr)  # its arcs in earlier rows
                count = np.diff(before)
                first = before[:-1] + offset
                vals = self.value[offset : offset + size]
                rate = float(vals.max())
                self.has |= (count > 0).astype(np.int64) << len(self.buckets)
                self.buckets.append((first, first + count, rate, bool(vals.min() == rate)))
                offset += size
            del order
        nb = len(self.buckets)
        # the one bucket of each row (-1: none or several); the step groups its frontier
        # by it instead of testing every bucket for every cell
        self.mixed = False
        self.row_bucket = np.zeros(0, dtype=np.int8)
        if nb > 1:
            single = (self.has & (self.has - 1)) == 0
            self.mixed = not bool(single.all())
            self.row_bucket = np.where(
                single & (self.has > 0), np.log2(np.maximum(self.has, 1)).astype(np.int64), -1
            ).astype(np.int8)

    def __getstate__(self) -> dict[str, object]:
        """What a worker needs: the lazily built ``rows`` and ``cumkey`` are left out
        (they are rebuilt there if used), so less goes over the wire."""
        state = dict(self.__dict__)
        state["_rows"] = None
        state["_cumkey"] = None
        return state

    @property
    def rows(self) -> IntArray:
        """The source of each arc (row-major arcs only)."""
        assert self.row_major, "rows of bucket-major arcs"
        if self._rows is None:
            self._rows = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.indptr))
        return self._rows

    @classmethod
    def build(
        cls, net: _Net, value: FloatArray, *, reverse: bool = False, model: str = "ic"
    ) -> _Arcs:
        """The arcs of ``net`` with ``value``; ``reverse``: every arc turned round.
        Probability buckets are made for IC only (LT needs its arcs in CSR order)."""
        if not reverse:
            return cls(net.n, net.indptr, net.indices, value, buckets=model == "ic")
        import scipy.sparse as sp

        m = sp.csr_array((value, net.indices, net.indptr), shape=(net.n, net.n))
        t = sp.csr_array(m.T)
        t.sort_indices()
        return cls(
            net.n,
            np.asarray(t.indptr, dtype=np.int64),
            np.asarray(t.indices, dtype=np.int64),
            np.asarray(t.data, dtype=np.float64),
            buckets=model == "ic",
        )

    @property
    def cumkey(self) -> FloatArray:
        """``2 · row + (cumulative weight within the row)``: increasing over all arcs."""
        if self._cumkey is None:
            cum = np.cumsum(self.value)
            before = np.r_[0.0, cum][self.indptr[:-1]]  # weight of all earlier rows
            start = np.repeat(before, np.diff(self.indptr))
            self._cumkey = 2.0 * self.rows + (cum - start)
        return self._cumkey


def _bucket_of(value: FloatArray) -> npt.NDArray[np.int8]:
    """Each value's probability bucket: :math:`\\lfloor -\\log_2 v \\rfloor`, at most
    40, and 0 for :math:`v \\ge 1` (the values are > 0).

    Read from the binary exponent (``v = m · 2**e`` with ``1/2 <= m < 1``, so the
    bucket is ``-e``, or ``1 - e`` when ``m`` is exactly 1/2); the few values whose
    mantissa lies within 1e-9 of either end, where a rounded logarithm could fall on
    the other side of an integer, are given the logarithm's answer, so every bucket
    is the one ``floor(-log2(v))`` gives.
    """
    mant, exp = np.frexp(value)
    bucket = np.negative(exp, dtype=np.int64)
    bucket += mant == 0.5
    near = np.flatnonzero((mant < 0.5 + 1e-9) | (mant > 1.0 - 1e-9))
    if near.size:
        bucket[near] = np.floor(-np.log2(value[near]))
    np.clip(bucket, 0, 40, out=bucket)  # v >= 1: -log2 v <= 0
    return bucket.astype(np.int8)


def _row_counts(mask: npt.NDArray[np.bool_], indptr: IntArray) -> IntArray:
    """How many of each row's arcs ``mask`` holds."""
    cum = np.zeros(mask.size + 1, dtype=np.int64)
    np.cumsum(mask, out=cum[1:])
    return np.asarray(cum[indptr[1:]] - cum[indptr[:-1]])


def _hits(rng: np.random.Generator, total: int, q: float) -> IntArray:
    """Positions of the successes among ``total`` Bernoulli(q) trials, increasing."""
    if q >= 1.0:
        return np.arange(total, dtype=np.int64)
    if q >= 0.25:
        return np.flatnonzero(rng.random(total) < q)
    m = total * q
    size = int(m + 6.0 * math.sqrt(m) + 16)
    pos = np.cumsum(rng.geometric(q, size))
    pos -= 1
    while pos[-1] < total:
        more = np.cumsum(rng.geometric(q, size)) + pos[-1]
        pos = np.concatenate([pos, more])
    return pos[: np.searchsorted(pos, total)]


def _ic_step(arcs: _Arcs, front: IntArray, rng: np.random.Generator) -> IntArray:
    """The cells the frontier's live arcs point to (independent cascade).

    Every array here is the size of the frontier or of the hits: nothing of the size
    of the network. A cell whose row has no arcs (in a bucket) is not filtered out:
    its segment of the trials is empty, so no hit falls in it and the draws are the
    same as without it (a bucket with no trials at all draws nothing).
    """
    n = arcs.n
    if front.size == 0:
        return np.zeros(0, dtype=np.int64)
    u = front % n
    colbase = front - u  # column · n
    nb = len(arcs.buckets)
    grouped = nb > 1 and not arcs.mixed
    if grouped:  # group the frontier by the bucket of its row
        rb = arcs.row_bucket[u]
        order = np.argsort(rb, kind="stable")
        u, colbase = u[order], colbase[order]
        bounds = np.searchsorted(rb[order], np.arange(-1, nb + 1)).tolist()
    parts: list[IntArray] = []
    for j, (start, stop, rate, uniform) in enumerate(arcs.buckets):
        if grouped:
            a, b = bounds[j + 1], bounds[j + 2]
            if a == b:
                continue
            uj, cj = u[a:b], colbase[a:b]
        else:
            uj, cj = u, colbase
        hi = stop[uj]
        ends = np.cumsum(hi - start[uj])
        total = int(ends[-1])
        if total == 0:
            continue
        pos = _hits(rng, total, rate)
        if pos.size == 0:
            continue
        seg = np.searchsorted(ends, pos, side="right")
        hi -= ends  # the arc before each segment's first trial
        arc = hi[seg]
        arc += pos
        if not uniform:
            keep = rng.random(arc.size) * rate < arcs.value[arc]
            arc, seg = arc[keep], seg[keep]
        got = cj[seg]
        got += arcs.indices[arc]
        parts.append(got)
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(parts) if len(parts) > 1 else parts[0]


def _ic_stages(
    arcs: _Arcs,
    stages: Sequence[IntArray],
    rng: np.random.Generator,
    visited: _visited._Visited,
) -> list[IntArray]:
    """Run each stage's new seeds to the end of their cascade; the cells each reached."""
    out = []
    for init in stages:
        front = visited.add_new(init, maybe_sorted=True)
        got = [front]
        while front.size:
            front = visited.add_new(_ic_step(arcs, front, rng))
            got.append(front)
        out.append(np.concatenate(got))
    return out


class _Acc:
    """Weight collected by each cell (LT): dense, or sorted keys."""

    def __init__(self, size: int, dense: bool) -> None:
        self.dense = np.zeros(size) if dense else None
        self.keys = np.zeros(0, dtype=np.int64)
        self.vals = np.zeros(0)

    def add(self, cells: IntArray, dw: FloatArray) -> FloatArray:
        """Add ``dw`` to the (distinct) ``cells``; return what they held before."""
        if self.dense is not None:
            before = self.dense[cells]
            self.dense[cells] = before + dw
            return np.asarray(before)
        before = np.zeros(cells.size)
        known = np.zeros(cells.size, dtype=bool)
        if self.keys.size:
            at = np.minimum(np.searchsorted(self.keys, cells), self.keys.size - 1)
            known = self.keys[at] == cells
            before[known] = self.vals[at[known]]
            self.vals[at[known]] += dw[known]
        keys = np.concatenate([self.keys, cells[~known]])
        vals = np.concatenate([self.vals, dw[~known]])
        order = np.argsort(keys, kind="stable")
        self.keys, self.vals = keys[order], vals[order]
        return before


def _lt_stages(
    arcs: _Arcs,
    stages: Sequence[IntArray],
    cols: int,
    rng: np.random.Generator,
    visited: _visited._Visited,
) -> list[IntArray]:
    """Linear threshold with thresholds drawn lazily (see Notes of :func:`simulate`)."""
    n = arcs.n
    acc = _Acc(n * cols, n * cols <= _visited._DENSE_CELLS // 2)  # 8 bytes a cell: at most 128 MB
    out = []
    for init in stages:
        front = visited.add_new(init, maybe_sorted=True)
        got = [front]
        while front.size:
            col = front // n
            u = front - col * n
            lo = arcs.indptr[u]
            length = arcs.indptr[u + 1] - lo
            total = int(length.sum())
            if total == 0:
                break
            seg = np.repeat(np.arange(u.size), length)
            arc = lo[seg] + np.arange(total) - np.repeat(np.cumsum(length) - length, length)
            keys = col[seg] * n + arcs.indices[arc]
            fresh = ~visited.seen(keys)
            keys, w = keys[fresh], arcs.value[arc][fresh]
            if keys.size == 0:
                break
            order = np.argsort(keys, kind="stable")
            keys, w = keys[order], w[order]
            first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
            cells, dw = keys[first], np.add.reduceat(w, first)
            before = acc.add(cells, dw)
            # P(threshold <= before + dw | threshold > before) = dw / (1 - before)
            hit = rng.random(cells.size) * (1.0 - before) < dw
            front = visited.add_new(cells[hit])
            got.append(front)
        out.append(np.concatenate(got))
    return out


def _cascade(
    arcs: _Arcs,
    model: str,
    stages: Sequence[IntArray],
    cols: int,
    rng: np.random.Generator,
    visited: _visited._Visited,
) -> list[IntArray]:
    if model == "ic":
        return _ic_stages(arcs, stages, rng, visited)
    return _lt_stages(arcs, stages, cols, rng, visited)


def _stage_keys(nodes: IntArray, cols: int, n: int) -> IntArray:
    """The cells of ``nodes`` in every one of ``cols`` columns, increasing when the
    nodes are distinct (so a stage's seeds need no sort to become a frontier)."""
    nodes = np.sort(np.asarray(nodes, dtype=np.int64))
    return np.asarray((np.arange(cols)[:, None] * n + nodes[None, :]).ravel(), dtype=np.int64)
