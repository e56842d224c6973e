"""The results: :class:`Spread`, :class:`SeedChoice` and :class:`SeedComparison`.

Each has a short ``repr`` and a small notebook table (counts and the first rows; the
per-resident arrays are left out), ``to_rows()`` for the whole table, and ``plot()``,
which goes through the plot seam (:func:`vchuang.kernel.plotting.plot`) to the
figures of :mod:`vchuang.plot`.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..errors import UnknownEntityError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..kernel.said import said_in, say_in
from ._network import FloatArray, IntArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@attrs.frozen(kw_only=True, eq=False)
class Spread:
    """How far word of mouth carries from a set of seeds, by Monte Carlo.

    Attributes
    ----------
    seeds : tuple
        The seeds (resident IDs, or node labels), duplicates dropped, in the order given.
    model : str
        ``"ic"`` or ``"lt"``.
    rule : str
        How each arc's probability (IC) or weight (LT) was set, in words.
    runs : int
        Simulated runs.
    mean : float
        Estimated expected spread :math:`\\hat\\sigma(S)`: residents reached, seeds
        included, averaged over runs.
    std : float
        Standard deviation of the spread over runs (``ddof=1``; 0 with one run).
    stderr : float
        Standard error of the mean, ``std / sqrt(runs)``.
    ci : tuple of float
        Confidence interval for the expected spread, ``mean ± z · stderr``: the normal
        approximation to the mean of independent runs (central limit theorem).
    confidence : float
        Level of ``ci`` (default 0.95, :math:`z \\approx 1.96`).
    distribution : ndarray
        Spread of each run (int64), in run order.
    ids : sequence
        Every node (resident ID), in the order of ``reached`` (a ``range`` for a
        sparse array).
    reached : ndarray
        Each node's probability of being reached (share of runs; seeds 1).
    reasons : tuple of str
        What the numbers say, in sentences.
    """

    seeds: tuple[Hashable, ...]
    model: str
    rule: str
    runs: int
    mean: float
    std: float
    stderr: float
    ci: tuple[float, float]
    confidence: float
    distribution: IntArray = attrs.field(repr=False)
    ids: Sequence[Hashable] = attrs.field(repr=False)
    reached: FloatArray = attrs.field(repr=False)
    reasons: tuple[str, ...] = attrs.field(repr=False)

    def __repr__(self) -> str:
        return (
            f"Spread(model={self.model!r}, runs={self.runs}, "
            f"seeds={len(self.seeds)} {preview(self.seeds)}, mean={self.mean:.1f}, "
            f"ci=({self.ci[0]:.1f}, {self.ci[1]:.1f}), nodes={len(self.ids)})"
        )

    def _repr_html_(self) -> str:
        seeds = set(self.seeds)
        top = np.argsort(-self.reached, kind="stable")[:SHOWN].tolist()
        rows = [
            (self.ids[i], f"{float(self.reached[i]):.3f}", "yes" if self.ids[i] in seeds else "")
            for i in top
        ]
        caption = (
            f"Spread ({self.model}, {self.runs} runs): mean {self.mean:.1f} of "
            f"{len(self.ids)} (CI {self.ci[0]:.1f} to {self.ci[1]:.1f})"
        )
        return html_table(caption, ("id", "probability", "seed"), rows)

    def probability(self, node: Hashable) -> float:
        """The probability that ``node`` is reached.

        Raises
        ------
        UnknownEntityError
            ``node`` is not in the network.
        """
        try:
            i = self.ids.index(node)
        except ValueError:
            raise UnknownEntityError(str(node)) from None
        return float(self.reached[i])

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`reasons` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences."""
        return said_in(self.reasons, lang)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per node: ``id``, ``probability`` of being reached, ``seed``;
        most likely reached first (ties in network order)."""
        seeds = set(self.seeds)
        order = np.argsort(-self.reached, kind="stable")
        return [
            {"id": self.ids[i], "probability": float(self.reached[i]), "seed": self.ids[i] in seeds}
            for i in order.tolist()
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Histogram of the spread over runs, with the mean and its interval (see
        :func:`vchuang.plot.plot_spread`)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


@attrs.frozen(kw_only=True, eq=False)
class SeedChoice:
    """Seeds chosen to reach the most residents, in the order chosen, and why.

    Attributes
    ----------
    seeds : tuple
        The chosen seeds (resident IDs), best first.
    given : tuple
        Seeds already in place (trained before); the choice adds to them.
    method : str
        ``"ris"``, ``"celf"``, ``"degree"`` or ``"pagerank"``.
    model : str
        ``"ic"`` or ``"lt"``.
    rule : str
        How arc probabilities (IC) or weights (LT) were set.
    spread : float
        Estimated expected spread of ``given`` and ``seeds`` together.
    base : float
        Estimated expected spread of ``given`` alone (0 without ``given``).
    gains : ndarray
        Estimated marginal gain of each seed: residents it adds in expectation given
        the seeds before it.
    scores : ndarray
        What each seed was ranked by: the share of RR sets it newly covers (``ris``),
        its Monte Carlo marginal gain (``celf``), its number of ties (``degree``), its
        PageRank (``pagerank``).
    estimator : str
        Where ``spread`` and ``gains`` come from: ``"rr-sets"`` (``n`` × share of
        reverse-reachable sets covered), ``"monte-carlo"`` (simulation) or ``"none"``
        (``degree`` and ``pagerank`` with ``evaluate=False``: ``spread``, ``base`` and
        ``gains`` are NaN).
    samples : int
        RR sets in the final collection (``ris``) or simulated runs per estimate (0
        when nothing was simulated).
    evaluations : int
        Spread or coverage evaluations of single candidates after the first pass.
    candidates : int
        How many residents could be chosen.
    reasons : tuple of str
        One sentence per seed: why it was chosen.
    notes : tuple of str
        How the choice was made (the stopping rule's bounds, the number of samples …).
    epsilon_achieved : float
        ``ris``: the :math:`\\varepsilon` of the guarantee the RR sets drawn give — the
        seeds reach at least :math:`(1 - 1/e - \\varepsilon)` of the best, with
        probability at least :math:`1 - n^{-\\ell}`: the ``epsilon`` asked for, larger
        when ``max_rr_sets`` or ``time_limit`` stopped sampling, NaN when no guarantee
        holds. NaN for the other methods.
    stopped_early : bool
        ``ris``: ``max_rr_sets`` or ``time_limit`` stopped sampling before the stopping rule
        (OPIM-C or IMM) had the RR sets it needed (the notes say which).
    """

    seeds: tuple[Hashable, ...]
    given: tuple[Hashable, ...]
    method: str
    model: str
    rule: str
    spread: float
    base: float
    gains: FloatArray = attrs.field(repr=False)
    scores: FloatArray = attrs.field(repr=False)
    estimator: str
    samples: int
    evaluations: int
    candidates: int
    reasons: tuple[str, ...] = attrs.field(repr=False)
    notes: tuple[str, ...] = attrs.field(repr=False)
    epsilon_achieved: float = float("nan")
    stopped_early: bool = False

    def __repr__(self) -> str:
        return (
            f"SeedChoice(method={self.method!r}, model={self.model!r}, "
            f"seeds={len(self.seeds)} {preview(self.seeds)}, given={len(self.given)}, "
            f"spread={self.spread:.1f}, base={self.base:.1f}, candidates={self.candidates}"
            + (
                f", stopped_early=True, epsilon_achieved={self.epsilon_achieved:.3g})"
                if self.stopped_early
                else ")"
            )
        )

    def _repr_html_(self) -> str:
        cum = self.cumulative
        rows = [
            (i + 1, s, f"{float(self.gains[i]):.1f}", f"{float(cum[i]):.1f}")
            for i, s in enumerate(self.seeds[:SHOWN])
        ]
        caption = (
            f"SeedChoice ({self.method}): {len(self.seeds)} seeds, "
            f"spread {self.spread:.1f} (given alone {self.base:.1f})"
        )
        return html_table(caption, ("rank", "id", "gain", "cumulative"), rows)

    @property
    def cumulative(self) -> FloatArray:
        """Estimated spread after each seed: ``base`` plus the running total of gains."""
        return self.base + np.cumsum(self.gains)

    def reason(self, i: int, lang: str = "en") -> str:
        """Why the ``i``-th seed (from 0) was chosen, in ``lang`` (``"en"`` or ``"zh"``)."""
        return say_in(self.reasons[i], lang)

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`reasons` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences."""
        return said_in(self.reasons, lang)

    def notes_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`notes` in ``lang`` (``"en"`` or ``"zh"``)."""
        return said_in(self.notes, lang)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per seed: rank, ID, score, gain, cumulative spread, reason."""
        cum = self.cumulative
        return [
            {
                "rank": i + 1,
                "id": s,
                "score": float(self.scores[i]),
                "gain": float(self.gains[i]),
                "cumulative": float(cum[i]),
                "reason": self.reasons[i],
            }
            for i, s in enumerate(self.seeds)
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Each seed's marginal gain (bars) and the estimated spread after it (line); see
        :func:`vchuang.plot.plot_choice`."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


@attrs.frozen(kw_only=True, eq=False)
class SeedComparison:
    """Several ways of choosing seeds, every prefix scored by the same simulation.

    Attributes
    ----------
    methods : tuple of str
        The methods compared, in the order asked.
    choices : tuple of SeedChoice
        Each method's choice (same order).
    spread : ndarray
        ``methods × (k + 1)``: Monte Carlo estimate of the expected spread of
        ``given`` plus the first ``j`` seeds of each method (column 0: ``given`` alone).
    halfwidth : ndarray
        Half-width of each estimate's confidence interval (normal approximation).
    runs : int
        Simulated runs per estimate.
    confidence : float
        Level of the intervals.
    model, rule : str
        The diffusion model and how arc probabilities were set.
    reasons : tuple of str
        Which method reaches most at the largest ``k``, and by how much.
    """

    methods: tuple[str, ...]
    choices: tuple[SeedChoice, ...] = attrs.field(repr=False)
    spread: FloatArray = attrs.field(repr=False)
    halfwidth: FloatArray = attrs.field(repr=False)
    runs: int
    confidence: float
    model: str
    rule: str
    reasons: tuple[str, ...] = attrs.field(repr=False)

    def __repr__(self) -> str:
        last = self.spread[:, -1].tolist() if self.spread.size else []
        shown = preview((m, round(x, 1)) for m, x in zip(self.methods, last, strict=False))
        return (
            f"SeedComparison(methods={len(self.methods)}, k={self.spread.shape[1] - 1}, "
            f"model={self.model!r}, runs={self.runs}, spread_at_k={shown})"
        )

    def _repr_html_(self) -> str:
        k = self.spread.shape[1] - 1
        rows = [
            (m, k, f"{float(self.spread[i, -1]):.1f}", f"{float(self.halfwidth[i, -1]):.1f}")
            for i, m in enumerate(self.methods[:SHOWN])
        ]
        caption = f"SeedComparison: {len(self.methods)} methods, k = {k}, {self.runs} runs"
        return html_table(caption, ("method", "k", "spread", "±"), rows)

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`reasons` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences."""
        return said_in(self.reasons, lang)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per method and ``k``: the spread and its interval."""
        rows = []
        for m, method in enumerate(self.methods):
            for j in range(self.spread.shape[1]):
                mean, h = float(self.spread[m, j]), float(self.halfwidth[m, j])
                rows.append(
                    {"method": method, "k": j, "spread": mean, "low": mean - h, "high": mean + h}
                )
        return rows

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Spread against the number of seeds, one line (with its band) per method; see
        :func:`vchuang.plot.plot_curves`."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out
