"""The results: :class:`Talent`, :class:`TalentRanking`, :class:`KeyPlayers`."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Hashable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from ..errors import UnknownEntityError
from ..kernel.display import html_table
from ..kernel.plotting import plot
from ._common import _FEATURE_NAMES, FEATURES, FloatArray, IntArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@attrs.frozen(kw_only=True)
class Talent:
    """One resident's talent score, its parts and the reasons behind it."""

    resident: str
    """The resident's ID (never their name)."""
    community: str
    rank: int
    """Rank in the whole ranking (1 is best)."""
    community_rank: int
    """Rank among the residents of the same community."""
    score: float
    """Weighted sum of the normalised features, in [0, 1]."""
    parts: Mapping[str, float]
    """Each feature's weighted contribution to ``score`` (they sum to it)."""
    values: Mapping[str, float]
    """Each feature's raw value (contacts, normalised betweenness, activities …)."""
    normalised: Mapping[str, float]
    """Each feature divided by its largest value in the resident's community."""
    reasons: tuple[str, ...]
    """Plain-language reasons, most important first."""

    def __repr__(self) -> str:
        return (
            f"Talent(resident={self.resident!r}, community={self.community!r}, "
            f"rank={self.rank}, score={self.score:.3f}, reasons={len(self.reasons)})"
        )

    def _repr_html_(self) -> str:
        return html_table(
            f"Talent {self.resident} (rank {self.rank})",
            ("feature", "value", "part"),
            [(f, f"{self.values[f]:.3g}", f"{self.parts[f]:.3f}") for f in _FEATURE_NAMES],
        )

    @property
    def groups(self) -> dict[str, float]:
        """The score split into its four groups (network, engagement, skills,
        availability)."""
        return {g: sum(self.parts[f] for f in names) for g, names in FEATURES.items()}


def _place_alias(place: str | None, community: str | None, where: str) -> str | None:
    """``place=``, or the deprecated ``community=`` with a warning."""
    if community is None:
        return place
    warnings.warn(
        f"{where}(community=...) is deprecated; use place=...", DeprecationWarning, stacklevel=3
    )
    if place is not None and place != community:
        msg = f"{where}: pass place= only (community= is its old name)"
        raise TypeError(msg)
    return community


def _array_eq(a: object, b: object) -> bool:
    return bool(np.array_equal(cast(Any, a), cast(Any, b)))


@attrs.frozen(kw_only=True)
class TalentRanking:
    """Residents ranked as community talents (能人), best first.

    Index it by position (``ranking[0]``) or by resident ID (``ranking["r1"]``) to get a
    :class:`Talent`; :meth:`top` gives the best few, :meth:`to_rows` a table. The
    numbers are held as arrays in ranked order so that a district of a million
    residents stays small.
    """

    residents: tuple[str, ...]
    """Resident IDs, best first."""
    communities: tuple[str, ...]
    """Each ranked resident's community."""
    scores: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq))
    values: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq))
    """Raw feature values, one row per resident, columns as in :data:`FEATURES`."""
    normalised: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq))
    """Features normalised within each community (same layout as ``values``)."""
    community_ranks: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq))
    reasons: tuple[tuple[str, ...], ...]
    weights: Mapping[str, float]
    """The weights used (normalised to sum to 1)."""
    ties: str
    """Which ties make the resident network (``"knows"``, ``"work"`` or ``"all"``)."""
    betweenness: str
    """``"exact"`` or ``"sampled"`` (from ``pivots`` sources)."""
    pivots: int | None
    as_of: dt.date | None
    """The date recency is measured from."""
    backend: str | None
    """The networkx backend asked for (``None``: default dispatch)."""
    network_size: tuple[int, int]
    """(residents, ties) of the network the position measures ran on."""
    _rank_of: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_rank_of", {r: i for i, r in enumerate(self.residents)})

    def __repr__(self) -> str:
        top = ", ".join(
            f"({r!r}, {float(x):.3f})"
            for r, x in zip(self.residents[:3], self.scores[:3], strict=False)
        )
        more = ", ..." if len(self) > 3 else ""
        return (
            f"TalentRanking(residents={len(self)}, ties={self.ties!r}, "
            f"betweenness={self.betweenness!r}, network_size={self.network_size}, "
            f"top=[{top}{more}])"
        )

    def _repr_html_(self) -> str:
        rows = [
            (i + 1, self.residents[i], self.communities[i], f"{float(self.scores[i]):.3f}")
            for i in range(min(3, len(self)))
        ]
        caption = f"TalentRanking: {len(self)} residents, ties={self.ties}"
        return html_table(caption, ("rank", "resident", "community", "score"), rows)

    @property
    def features(self) -> tuple[str, ...]:
        """Feature names, the columns of ``values`` and ``normalised``."""
        return _FEATURE_NAMES

    def __len__(self) -> int:
        return len(self.residents)

    def __iter__(self) -> Iterator[Talent]:
        return (self._talent(i) for i in range(len(self.residents)))

    def __getitem__(self, key: int | str) -> Talent:
        if isinstance(key, str):
            if key not in self._rank_of:
                raise UnknownEntityError(key)
            return self._talent(self._rank_of[key])
        if not -len(self) <= key < len(self):
            msg = f"rank position {key} is out of range for {len(self)} residents"
            raise IndexError(msg)
        return self._talent(key % len(self))

    def _talent(self, i: int) -> Talent:
        w = np.array([self.weights[f] for f in _FEATURE_NAMES])
        parts = w * self.normalised[i]
        return Talent(
            resident=self.residents[i],
            community=self.communities[i],
            rank=i + 1,
            community_rank=int(self.community_ranks[i]),
            score=float(self.scores[i]),
            parts=dict(zip(_FEATURE_NAMES, map(float, parts), strict=True)),
            values=dict(zip(_FEATURE_NAMES, map(float, self.values[i]), strict=True)),
            normalised=dict(zip(_FEATURE_NAMES, map(float, self.normalised[i]), strict=True)),
            reasons=self.reasons[i],
        )

    def top(
        self, n: int = 10, *, place: str | None = None, community: str | None = None
    ) -> tuple[Talent, ...]:
        """The best ``n`` residents, optionally of one community (``place``, a
        community ID; ``community=`` is its deprecated old name)."""
        community = _place_alias(place, community, "TalentRanking.top")
        out: list[Talent] = []
        for i, c in enumerate(self.communities):
            if len(out) >= n:
                break
            if community is None or c == community:
                out.append(self._talent(i))
        return tuple(out)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per resident: IDs, ranks, score, each feature's raw value and part,
        and the reasons joined by "; "."""
        w = np.array([self.weights[f] for f in _FEATURE_NAMES])
        rows = []
        for i, rid in enumerate(self.residents):
            row: dict[str, Any] = {
                "resident": rid,
                "community": self.communities[i],
                "rank": i + 1,
                "community_rank": int(self.community_ranks[i]),
                "score": float(self.scores[i]),
            }
            for j, f in enumerate(_FEATURE_NAMES):
                row[f] = float(self.values[i, j])
            for j, f in enumerate(_FEATURE_NAMES):
                row[f"part_{f}"] = float(w[j] * self.normalised[i, j])
            row["reasons"] = "; ".join(self.reasons[i])
            rows.append(row)
        return rows

    def plot(
        self,
        ax: Axes | None = None,
        *,
        n: int = 10,
        place: str | None = None,
        by: str = "group",
        lang: str = "en",
        community: str | None = None,
    ) -> Axes:
        """Stacked bars of the score parts of the best ``n`` residents (see
        :func:`vchuang.plot.plot_talents`); ``community=`` is the deprecated name of
        ``place=``."""
        place = _place_alias(place, community, "TalentRanking.plot")
        out: Axes = plot(self, ax=ax, n=n, place=place, by=by, lang=lang)
        return out


@attrs.frozen(kw_only=True)
class KeyPlayers:
    """A set of key players (Borgatti 2006), its score and a baseline to compare."""

    players: tuple[Hashable, ...]
    """The set, in the order it was built (greedy) or by ID (exhaustive)."""
    score: float
    objective: str
    m: int
    method: str
    baseline: tuple[Hashable, ...]
    """The ``k`` nodes of highest degree (ties by ID): the off-the-shelf answer."""
    baseline_score: float
    contributions: tuple[float, ...]
    """For each player, ``score(S) - score(S without them)``."""
    reasons: tuple[str, ...]
    """One plain-language line per player."""
    exact: bool
    """False when a distance-weighted fragmentation was estimated from sampled sources."""
    n: int
    """Nodes in the network."""
    evaluations: int
    """How many candidate sets were scored (greedy steps count every candidate)."""

    def __repr__(self) -> str:
        shown = ", ".join(repr(p) for p in self.players[:3])
        more = ", ..." if len(self.players) > 3 else ""
        return (
            f"KeyPlayers(objective={self.objective!r}, k={len(self.players)}, n={self.n}, "
            f"score={self.score:.3f}, baseline_score={self.baseline_score:.3f}, "
            f"players=({shown}{more}))"
        )

    def _repr_html_(self) -> str:
        rows = [
            (i + 1, p, f"{c:.3f}")
            for i, (p, c) in enumerate(zip(self.players[:3], self.contributions, strict=False))
        ]
        caption = (
            f"KeyPlayers ({self.objective}): score {self.score:.3f}, "
            f"baseline {self.baseline_score:.3f}"
        )
        return html_table(caption, ("order", "player", "contribution"), rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per player: order, ID, contribution and reason."""
        return [
            {
                "order": i + 1,
                "player": p,
                "contribution": c,
                "reason": r,
                "score": self.score,
                "baseline_score": self.baseline_score,
            }
            for i, (p, c, r) in enumerate(
                zip(self.players, self.contributions, self.reasons, strict=True)
            )
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Each player's contribution, with the set's score against the baseline (see
        :func:`vchuang.plot.plot_key_players`)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out
