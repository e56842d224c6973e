"""Which cells a batch of runs (or of RR sets) has visited: a byte mask, a bit mask, or
sorted keys when even a bit mask would be too big.

A cell is one node in one column (a run, or an RR set); its key is
``column * n + node``, so sorted keys list each column's nodes together.
"""

from __future__ import annotations

import numpy as np

from ._network import BoolArray, IntArray

#: Cells (nodes × columns) of a dense visited mask (one byte each) before a bit mask.
_DENSE_CELLS = 1 << 25
#: Cells of a visited bit mask before a sorted key array is used.
_BIT_CELLS = 1 << 31


def _unique(keys: IntArray) -> IntArray:
    """Sorted distinct keys (a sort and a mask: cheaper than np.unique on small arrays)."""
    if keys.size <= 1:
        return np.array(keys, dtype=np.int64)
    keys = np.sort(keys)
    return np.asarray(keys[np.r_[True, keys[1:] != keys[:-1]]])


class _Dense:
    """Visited cells as a dense byte mask."""

    def __init__(self, size: int) -> None:
        self.mark = np.zeros(size, dtype=bool)

    def seen(self, keys: IntArray) -> BoolArray:
        return self.mark[keys]

    def add_new(self, keys: IntArray) -> IntArray:
        keys = _unique(keys[~self.mark[keys]])
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

    def add_new(self, keys: IntArray) -> IntArray:
        keys = _unique(keys[~self.seen(keys)])
        if keys.size:
            byte = keys >> 3
            val = np.left_shift(np.uint8(1), (keys & 7).astype(np.uint8))
            starts = np.flatnonzero(np.r_[True, byte[1:] != byte[:-1]])
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

    def add_new(self, keys: IntArray) -> IntArray:
        keys = _unique(keys[~self.seen(keys)])
        if keys.size:
            merged = np.concatenate([self.keys, keys])
            merged.sort(kind="stable")
            self.keys = merged
        return keys

    def clear(self, keys: IntArray) -> None:  # noqa: ARG002  (same interface as _Dense)
        self.keys = np.zeros(0, dtype=np.int64)


_Visited = _Dense | _Bits | _Sorted


def _new(n: int, columns: int) -> _Visited:
    """An empty visited set for ``n × columns`` cells, in the smallest layout that fits."""
    cells = n * columns
    if cells <= _DENSE_CELLS:
        return _Dense(cells)
    if cells <= _BIT_CELLS:
        return _Bits(cells)
    return _Sorted()
