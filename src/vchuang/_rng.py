"""Random number generators, the SPEC 7 way (private).

Every random function of vchuang takes ``rng=None | int | numpy.random.Generator`` and
turns it into a :class:`numpy.random.Generator` here. The same seed gives the same
output whatever the hash seed or set order.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np

from .kernel.checks import check_whole

__all__ = ["RNGLike", "as_generator", "spawn"]

RNGLike: TypeAlias = "np.random.Generator | np.random.SeedSequence | int | None"


def as_generator(rng: RNGLike = None) -> np.random.Generator:
    """A :class:`numpy.random.Generator` from ``None`` (fresh entropy), an int seed, a
    :class:`numpy.random.SeedSequence` or a generator (returned as is).

    >>> int(as_generator(42).integers(10)) == int(as_generator(42).integers(10))
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, np.random.SeedSequence):
        return np.random.default_rng(rng)
    return np.random.default_rng(as_seed(rng))


def as_seed(rng: object) -> int:
    """``rng`` as an int seed (a whole number >= 0), or a :class:`ValidationError`."""
    hint = "pass None, an int seed such as rng=42 (reproducible) or a numpy Generator"
    return check_whole(rng, "rng", minimum=0, hint=hint)


def spawn(rng: RNGLike, n: int) -> list[np.random.SeedSequence]:
    """``n`` independent seed sequences derived from ``rng`` (for parallel streams
    whose results do not depend on how work is split)."""
    if isinstance(rng, np.random.SeedSequence):
        seq = rng
    elif isinstance(rng, np.random.Generator):
        seq = np.random.SeedSequence(int(rng.integers(2**63)))
    else:
        seq = np.random.SeedSequence(None if rng is None else as_seed(rng))
    return list(seq.spawn(n))
