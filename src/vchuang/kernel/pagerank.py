"""The one PageRank of the library, by power iteration on a sparse matrix.

It follows :func:`networkx.pagerank` (scipy implementation): uniform teleport and
dangling distribution, stop when the L1 change is below ``n * tol``. Talent ranks with
it on the resident network; diffusion ranks seed candidates with it on the reversed
propagation graph (``pagerank(arcs.T)``).

Examples
--------
>>> import numpy as np, scipy.sparse as sp
>>> w = sp.csr_array(np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=float))
>>> np.round(pagerank(w), 3)
array([0.486, 0.257, 0.257])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["pagerank"]


def pagerank(
    w: Any, *, alpha: float = 0.85, tol: float = 1.0e-6, max_iter: int = 100
) -> npt.NDArray[np.float64]:
    """PageRank of the weighted digraph whose arc ``i -> j`` has weight ``w[i, j]``.

    Parameters
    ----------
    w : scipy.sparse array, shape (n, n)
        Non-negative arc weights, rows are tails.
    alpha : float, default 0.85
        The damping factor.
    tol : float, default 1e-6
        Stop when the L1 change of an iteration is below ``n * tol`` (networkx's rule).
    max_iter : int, default 100
        The most iterations; the last iterate is returned if the tolerance is not met.

    Returns
    -------
    numpy.ndarray
        One score per node, summing to 1 (empty for an empty graph).

    See Also
    --------
    networkx.pagerank : the reference it is tested against.
    """
    import scipy.sparse as sp

    n = w.shape[0]
    if n == 0:
        return np.zeros(0)
    out = np.asarray(w.sum(axis=1)).ravel()
    inv = np.divide(1.0, out, out=np.zeros(n), where=out != 0)
    q = (sp.diags_array(inv) @ w).tocsr()
    teleport = np.full(n, 1.0 / n)
    dangling = out == 0
    x = teleport.copy()
    for _ in range(max_iter):
        last = x
        x = alpha * (x @ q + x[dangling].sum() * teleport) + (1 - alpha) * teleport
        if np.abs(x - last).sum() < n * tol:
            break
    return np.asarray(x, dtype=np.float64)
