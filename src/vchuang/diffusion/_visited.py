"""Which cells a batch of runs (or of RR sets) has visited: a byte mask, a bit mask, or
sorted keys when even a bit mask would be too big.

A cell is one node in one column (a run, or an RR set); its key is
``column * n + node``, so sorted keys list each column's nodes together.
"""

from __future__ import annotations

import threading

import numpy as np

from ._network import BoolArray, IntArray

#: Cells (nodes × columns) of a dense visited mask (one byte each) before a bit mask.
_DENSE_CELLS = 1 << 25
#: Cells of a visited bit mask before a sorted key array is used.
_BIT_CELLS = 1 << 31


def _unique(keys: IntArray, *, maybe_sorted: bool = False) -> IntArray:
    """Sorted distinct keys (a sort and a mask: cheaper than np.unique on small arrays;
    the mask is written in place, as ``np.r_`` costs more than the sort on a few
    hundred keys). ``maybe_sorted``: look first whether they are increasing already
    (a stage's seeds), which costs a tenth of a sort."""
    if keys.size <= 1:
        return np.array(keys, dtype=np.int64)
    if maybe_sorted and bool((keys[1:] > keys[:-1]).all()):
        return np.asarray(keys, dtype=np.int64)
    keys = np.sort(keys)
    return np.asarray(keys[_firsts(keys)])


def _firsts(keys: IntArray) -> BoolArray:
    """Where each run of equal (sorted) keys starts."""
    first = np.empty(keys.size, dtype=bool)
    first[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    return first


class _Dense:
    """Visited cells as a dense byte mask."""

    def __init__(self, size: int) -> None:
        self.mark = np.zeros(size, dtype=bool)

    def seen(self, keys: IntArray) -> BoolArray:
        return self.mark[keys]

    def add_new(self, keys: IntArray, *, maybe_sorted: bool = False) -> IntArray:
        """The keys not seen before, sorted and distinct; they are seen from now on."""
        keys = _unique(keys[~self.mark[keys]], maybe_sorted=maybe_sorted)
        self.mark[keys] = True
        return keys

    def clear(self, keys: IntArray) -> None:
        self.mark[keys] = False


class _Bits:
    """Visited cells as a bit mask (8 cells a byte)."""

    def __init__(self, size: int) -> None:
        self.bits = np.zeros((size + 7) // 8, dtype=np.uint8)

    def seen(self, keys: IntArray) -> BoolArray:
        return np.asarray((self.bits[keys >> 3] >> (keys & 7).astype(np.uint8)) & 1, dtype=bool)

    def add_new(self, keys: IntArray, *, maybe_sorted: bool = False) -> IntArray:
        keys = _unique(keys[~self.seen(keys)], maybe_sorted=maybe_sorted)
        if keys.size:
            byte = keys >> 3
            val = np.left_shift(np.uint8(1), (keys & 7).astype(np.uint8))
            starts = np.flatnonzero(_firsts(byte))
            self.bits[byte[starts]] |= np.bitwise_or.reduceat(val, starts)
        return keys

    def clear(self, keys: IntArray) -> None:
        self.bits[keys >> 3] = 0


class _Sorted:
    """Visited cells as a sorted key array (when even a bit mask would be too big)."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)

    def seen(self, keys: IntArray) -> BoolArray:
        if self.keys.size == 0:
            return np.zeros(keys.shape, dtype=bool)
        at = np.minimum(np.searchsorted(self.keys, keys), self.keys.size - 1)
        return np.asarray(self.keys[at] == keys)

    def add_new(self, keys: IntArray, *, maybe_sorted: bool = False) -> IntArray:
        keys = _unique(keys[~self.seen(keys)], maybe_sorted=maybe_sorted)
        if keys.size:
            merged = np.concatenate([self.keys, keys])
            merged.sort(kind="stable")
            self.keys = merged
        return keys

    def clear(self, keys: IntArray) -> None:  # noqa: ARG002  (same interface as _Dense)
        self.keys = np.zeros(0, dtype=np.int64)


_Visited = _Dense | _Bits | _Sorted

#: The emptied byte mask of the last Monte Carlo call, kept for the next one of the
#: same size (at most one, of at most :data:`_DENSE_CELLS` bytes): a fresh mask of
#: 10 MB is zeroed page by page, which costs as much as a small cascade.
_spare: list[_Dense] = []
_spare_lock = threading.Lock()


def _new(n: int, columns: int) -> _Visited:
    """An empty visited set for ``n × columns`` cells, in the smallest layout that fits."""
    cells = n * columns
    if cells <= _DENSE_CELLS:
        return _Dense(cells)
    if cells <= _BIT_CELLS:
        return _Bits(cells)
    return _Sorted()


def _borrow(n: int, columns: int) -> _Visited:
    """Like :func:`_new`, but the spare byte mask when it has the right size; give it
    back with :func:`_give_back` once it is empty again."""
    cells = n * columns
    if cells <= _DENSE_CELLS:
        with _spare_lock:
            if _spare and _spare[0].mark.size == cells:
                return _spare.pop()
    return _new(n, columns)


def _give_back(visited: _Visited) -> None:
    """Keep ``visited`` — which must be empty — as the spare byte mask."""
    if isinstance(visited, _Dense) and visited.mark.size <= _DENSE_CELLS:
        with _spare_lock:
            _spare[:] = [visited]
