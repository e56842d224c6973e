"""Blau's heterogeneity and Krackhardt and Stern's E-I index for given counts (private)."""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["blau", "ei"]


def blau(counts: Iterable[float]) -> float:
    """Blau's heterogeneity index of a composition: :math:`1 - \\sum_k p_k^2`.

    Parameters
    ----------
    counts : iterable of float
        How many alters (or people) fall in each category; zeros may be left out.

    Returns
    -------
    float
        0 when everyone is in one category, approaching 1 with many equal categories
        (at most :math:`1 - 1/K` for :math:`K` categories); NaN for an empty composition.

    See Also
    --------
    ei : the E-I index of external and internal ties.
    ego_networks : Blau's index of every resident's alters.

    Notes
    -----
    With :math:`p_k` the share of category :math:`k`, :math:`H = 1 - \\sum_k p_k^2` is the
    chance that two people drawn with replacement belong to different categories [1]_.

    References
    ----------
    .. [1] Blau, P. M. (1977). *Inequality and Heterogeneity: A Primitive Theory of Social
       Structure*. New York: Free Press.

    Examples
    --------
    Two alters in one community and one in another:

    >>> round(blau([2, 1]), 4)
    0.4444
    >>> blau([5]), blau([1, 1, 1, 1])
    (0.0, 0.75)
    """
    values = [float(c) for c in counts]
    total = sum(values)
    if total <= 0:
        return math.nan
    return 1.0 - sum((c / total) ** 2 for c in values)


def ei(external: float, internal: float) -> float:
    """Krackhardt and Stern's E-I index: :math:`(E - I) / (E + I)`.

    Parameters
    ----------
    external : float
        Ties that cross a group boundary (bridging ties).
    internal : float
        Ties inside a group (bonding ties).

    Returns
    -------
    float
        From -1 (every tie inside) to +1 (every tie across); NaN without ties.

    See Also
    --------
    blau : heterogeneity of a composition.
    ei_index : the index of every group and of the whole network.

    References
    ----------
    .. [1] Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational
       crises: An experimental simulation. *Social Psychology Quarterly*, 51(2), 123-140.

    Examples
    --------
    >>> ei(1, 3)
    -0.5
    >>> ei(0, 0)
    nan
    """
    total = external + internal
    if total <= 0:
        return math.nan
    return (external - internal) / total
