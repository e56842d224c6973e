"""The results: :class:`Ego`, :class:`EgoNetworks`, :class:`GroupMixing`, :class:`EIIndex`,
:class:`Broker`, :class:`Brokerage`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from ..errors import UnknownEntityError
from ..kernel.display import SHOWN, html_table
from ..kernel.plotting import plot
from ._network import FloatArray, IntArray

if TYPE_CHECKING:
    import scipy.sparse
    from matplotlib.axes import Axes

__all__ = [
    "ROLES",
    "SNA_NAMES",
    "Broker",
    "Brokerage",
    "EIIndex",
    "Ego",
    "EgoNetworks",
    "GroupMixing",
]

#: The five Gould–Fernandez roles, in the column order of every brokerage array.
ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
#: The same roles as R's ``sna::brokerage`` names its columns.
SNA_NAMES: dict[str, str] = {
    "coordinator": "w_I",
    "itinerant": "w_O",
    "representative": "b_IO",
    "gatekeeper": "b_OI",
    "liaison": "b_O",
}


def _array_eq(a: object, b: object) -> bool:
    return bool(np.array_equal(cast(Any, a), cast(Any, b), equal_nan=True))


def _sparse_eq(a: object, b: object) -> bool:
    x, y = cast(Any, a), cast(Any, b)
    return bool(x.shape == y.shape and (x != y).nnz == 0)


def _ratio(num: FloatArray, den: FloatArray) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _f(x: float) -> str:
    return "nan" if np.isnan(x) else f"{x:.3f}"


@attrs.frozen(kw_only=True)
class Ego:
    """One resident's ego network: its size, density and mix of groups."""

    resident: str
    group: str | None
    """The resident's own group (``None``: none)."""
    size: int
    """Alters (distinct contacts)."""
    alter_ties: int
    """Ties among the alters."""
    density: float
    """``alter_ties`` over the pairs of alters, ego left out; NaN under 2 alters."""
    bonding: int
    """Alters in the ego's own group (internal ties, I)."""
    bridging: int
    """Alters in another group (external ties, E)."""
    ei: float
    """(E − I)/(E + I); NaN without a group or without grouped alters."""
    blau: float
    """Blau's heterogeneity of the alters' groups; NaN without grouped alters."""
    composition: Mapping[str, int]
    """Alters in each group (groups with none left out)."""


@attrs.frozen(kw_only=True)
class EgoNetworks:
    """Every resident's ego network on one partition (``by``).

    Index by position or resident ID for an :class:`Ego`; :meth:`to_rows` gives a table.
    Counts are arrays in the order of ``residents``.
    """

    by: str
    """What the groups are (``"community"``, ``"segment"``, ``"role"`` or ``"group"``)."""
    ties: str
    """Which resident network (see :func:`vchuang.csr.resident_adjacency`)."""
    residents: tuple[str, ...] = attrs.field(repr=False)
    groups: tuple[str, ...]
    """The groups, the columns of ``composition``."""
    codes: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    """Each resident's group as an index into ``groups`` (-1: none)."""
    size: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    alter_ties: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    bonding: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    bridging: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    composition: scipy.sparse.csr_array = attrs.field(eq=attrs.cmp_using(eq=_sparse_eq), repr=False)
    """``residents × groups`` alter counts."""
    _row: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_row", {r: i for i, r in enumerate(self.residents)})

    def __len__(self) -> int:
        return len(self.residents)

    @property
    def density(self) -> FloatArray:
        """Ties among the alters over the pairs of alters (the ego left out); NaN under 2."""
        k = self.size.astype(np.float64)
        return _ratio(self.alter_ties.astype(np.float64), k * (k - 1) / 2)

    @property
    def density_with_ego(self) -> FloatArray:
        """Density of the ego network with the ego in it: (ties + size) / C(size + 1, 2).

        Equals ``networkx.density(networkx.ego_graph(G, ego))``; NaN for an isolate.
        """
        k = self.size.astype(np.float64)
        return _ratio(self.alter_ties + k, (k + 1) * k / 2)

    @property
    def ei(self) -> FloatArray:
        """Each resident's E-I index, (bridging − bonding)/(bridging + bonding)."""
        e = self.bridging.astype(np.float64)
        i = self.bonding.astype(np.float64)
        out = _ratio(e - i, e + i)
        out[self.codes < 0] = np.nan
        return out

    @property
    def blau(self) -> FloatArray:
        """Blau's heterogeneity of each resident's alters, 1 − Σ p_k²."""
        c = self.composition
        total = np.asarray(c.sum(axis=1)).ravel()
        squares = np.asarray(c.multiply(c).sum(axis=1)).ravel()
        return 1.0 - _ratio(squares, total**2)

    def _group(self, i: int) -> str | None:
        code = int(self.codes[i])
        return None if code < 0 else self.groups[code]

    def __getitem__(self, key: int | str) -> Ego:
        if isinstance(key, str):
            if key not in self._row:
                raise UnknownEntityError(key)
            i = self._row[key]
        else:
            if not -len(self) <= key < len(self):
                msg = f"position {key} is out of range for {len(self)} residents"
                raise IndexError(msg)
            i = key % len(self)
        row = self.composition[[i]]
        return Ego(
            resident=self.residents[i],
            group=self._group(i),
            size=int(self.size[i]),
            alter_ties=int(self.alter_ties[i]),
            density=float(self.density[i]),
            bonding=int(self.bonding[i]),
            bridging=int(self.bridging[i]),
            ei=float(self.ei[i]),
            blau=float(self.blau[i]),
            composition={
                self.groups[int(j)]: int(v) for j, v in zip(row.indices, row.data, strict=True)
            },
        )

    def __iter__(self) -> Iterator[Ego]:
        return (self[i] for i in range(len(self)))

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per resident: group, size, alter ties, density, bonding, bridging,
        E-I and Blau."""
        density, ei, blau = self.density, self.ei, self.blau
        return [
            {
                "resident": r,
                "group": self._group(i),
                "size": int(self.size[i]),
                "alter_ties": int(self.alter_ties[i]),
                "density": float(density[i]),
                "bonding": int(self.bonding[i]),
                "bridging": int(self.bridging[i]),
                "ei": float(ei[i]),
                "blau": float(blau[i]),
            }
            for i, r in enumerate(self.residents)
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en", **kwargs: Any) -> Axes:
        """Bonding and bridging ties of each group's residents, as bars (see
        :mod:`vchuang.plot`)."""
        return cast("Axes", plot(self, ax=ax, lang=lang, **kwargs))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"({self.residents[i]!r}, size={int(self.size[i])}, ei={_f(self.ei[i])})"
            for i in range(min(SHOWN, len(self)))
        )
        more = ", ..." if len(self) > SHOWN else ""
        return (
            f"EgoNetworks(by={self.by!r}, ties={self.ties!r}, residents={len(self)}, "
            f"groups={len(self.groups)}, first=[{shown}{more}])"
        )

    def _repr_html_(self) -> str:
        ei, blau = self.ei, self.blau
        rows = [
            (self.residents[i], self._group(i) or "", int(self.size[i]), _f(ei[i]), _f(blau[i]))
            for i in range(min(SHOWN, len(self)))
        ]
        caption = f"EgoNetworks by {self.by}: {len(self)} residents"
        return html_table(caption, ("resident", "group", "size", "E-I", "Blau"), rows)


@attrs.frozen(kw_only=True)
class GroupMixing:
    """One group's ties inside and across its boundary."""

    group: str
    members: int
    internal: int
    """Ties with both ends in the group (bonding), each tie once."""
    external: int
    """Ties with one end in the group and the other in another group (bridging)."""
    ei: float
    """(external − internal)/(external + internal); NaN without ties."""
    expected: float
    """The E-I index if ties fell at random among the grouped residents."""


@attrs.frozen(kw_only=True)
class EIIndex:
    """Krackhardt and Stern's E-I index of every group and of the whole network."""

    by: str
    ties: str
    groups: tuple[GroupMixing, ...] = attrs.field(repr=False)
    residents: int
    """Residents in the network."""
    ungrouped: int
    """Residents without a group; their ties are left out of E and I."""
    internal: int
    external: int
    ei: float
    """The whole network's E-I index."""
    expected: float
    """The whole network's E-I index if ties fell at random (see Notes of
    :func:`~vchuang.capital.ei_index`)."""

    def __len__(self) -> int:
        return len(self.groups)

    def __getitem__(self, group: str) -> GroupMixing:
        for g in self.groups:
            if g.group == group:
                return g
        raise UnknownEntityError(group)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per group: members, internal and external ties, E-I, expected E-I."""
        return [attrs.asdict(g) for g in self.groups]

    def plot(self, ax: Axes | None = None, *, lang: str = "en", **kwargs: Any) -> Axes:
        """E-I index of each group as bars, the random expectation marked (see
        :mod:`vchuang.plot`)."""
        return cast("Axes", plot(self, ax=ax, lang=lang, **kwargs))

    def __repr__(self) -> str:
        shown = ", ".join(f"({g.group!r}, {_f(g.ei)})" for g in self.groups[:SHOWN])
        more = ", ..." if len(self.groups) > SHOWN else ""
        return (
            f"EIIndex(by={self.by!r}, ties={self.ties!r}, ei={_f(self.ei)}, "
            f"expected={_f(self.expected)}, internal={self.internal}, "
            f"external={self.external}, groups={len(self.groups)} [{shown}{more}])"
        )

    def _repr_html_(self) -> str:
        rows = [
            (g.group, g.members, g.internal, g.external, _f(g.ei), _f(g.expected))
            for g in self.groups[:SHOWN]
        ]
        caption = f"E-I index by {self.by}: {_f(self.ei)} (expected {_f(self.expected)})"
        head = ("group", "members", "internal", "external", "E-I", "expected")
        return html_table(caption, head, rows)


@attrs.frozen(kw_only=True)
class Broker:
    """One resident's Gould–Fernandez brokerage: counts, expectations and z-scores."""

    resident: str
    group: str
    counts: Mapping[str, int]
    """Open two-paths the resident brokers, by role (:data:`ROLES`)."""
    expected: Mapping[str, float]
    z: Mapping[str, float]
    total: int


@attrs.frozen(kw_only=True)
class Brokerage:
    """Gould–Fernandez brokerage roles of every resident over one partition.

    Arrays have one row per resident (in ``residents``) and one column per role
    (:data:`ROLES`). ``counts`` is the raw form; ``expected`` and ``sd`` the moments under
    a random graph of the same density and group sizes; :attr:`z` and :attr:`ratio` the
    normalised forms.
    """

    by: str
    ties: str
    directed: bool
    residents: tuple[str, ...] = attrs.field(repr=False)
    groups: tuple[str, ...]
    codes: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    """Each resident's group, an index into ``groups``."""
    counts: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    expected: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    sd: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    density: float
    """Arcs over ordered pairs, the d of the expectation."""
    ungrouped: int
    """Residents without a group, left out of the network."""
    _row: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_row", {r: i for i, r in enumerate(self.residents)})

    def __len__(self) -> int:
        return len(self.residents)

    @property
    def roles(self) -> tuple[str, ...]:
        """The columns: :data:`ROLES`."""
        return ROLES

    @property
    def z(self) -> FloatArray:
        """(counts − expected)/sd; NaN where the sd is 0."""
        return _ratio(self.counts - self.expected, self.sd)

    @property
    def ratio(self) -> FloatArray:
        """counts / expected; NaN where nothing is expected."""
        return _ratio(self.counts.astype(np.float64), self.expected)

    @property
    def totals(self) -> dict[str, int]:
        """The whole network's count of each role."""
        return dict(zip(ROLES, map(int, self.counts.sum(axis=0)), strict=True))

    @property
    def expected_totals(self) -> dict[str, float]:
        """The whole network's expected count of each role."""
        return dict(zip(ROLES, map(float, self.expected.sum(axis=0)), strict=True))

    def __getitem__(self, key: int | str) -> Broker:
        if isinstance(key, str):
            if key not in self._row:
                raise UnknownEntityError(key)
            i = self._row[key]
        else:
            if not -len(self) <= key < len(self):
                msg = f"position {key} is out of range for {len(self)} residents"
                raise IndexError(msg)
            i = key % len(self)
        z = self.z[i]
        return Broker(
            resident=self.residents[i],
            group=self.groups[int(self.codes[i])],
            counts=dict(zip(ROLES, map(int, self.counts[i]), strict=True)),
            expected=dict(zip(ROLES, map(float, self.expected[i]), strict=True)),
            z=dict(zip(ROLES, map(float, z), strict=True)),
            total=int(self.counts[i].sum()),
        )

    def top(self, n: int = 10, *, role: str | None = None) -> tuple[Broker, ...]:
        """The ``n`` residents who broker the most (in ``role``, or in all), ties by ID."""
        from ..kernel.checks import check_choice

        if role is None:
            key = self.counts.sum(axis=1)
        else:
            key = self.counts[:, ROLES.index(check_choice(role, ROLES, "role"))]
        ids = np.asarray(self.residents, dtype=object)
        order = np.lexsort((ids, -key))
        return tuple(self[int(i)] for i in order[:n])

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per resident: group, and each role's count, expectation and z-score."""
        z = self.z
        rows = []
        for i, r in enumerate(self.residents):
            row: dict[str, Any] = {"resident": r, "group": self.groups[int(self.codes[i])]}
            for j, role in enumerate(ROLES):
                row[role] = int(self.counts[i, j])
            for j, role in enumerate(ROLES):
                row[f"{role}_expected"] = float(self.expected[i, j])
                row[f"{role}_z"] = float(z[i, j])
            row["total"] = int(self.counts[i].sum())
            rows.append(row)
        return rows

    def plot(self, ax: Axes | None = None, *, lang: str = "en", **kwargs: Any) -> Axes:
        """The top brokers' role counts as stacked bars (see :mod:`vchuang.plot`)."""
        return cast("Axes", plot(self, ax=ax, lang=lang, **kwargs))

    def __repr__(self) -> str:
        top = ", ".join(f"({b.resident!r}, {b.total})" for b in self.top(SHOWN))
        more = ", ..." if len(self) > SHOWN else ""
        return (
            f"Brokerage(by={self.by!r}, ties={self.ties!r}, residents={len(self)}, "
            f"groups={len(self.groups)}, totals={self.totals}, top=[{top}{more}])"
        )

    def _repr_html_(self) -> str:
        rows = [(b.resident, b.group, *b.counts.values()) for b in self.top(SHOWN)]
        caption = f"Brokerage by {self.by}: {len(self)} residents"
        return html_table(caption, ("resident", "group", *ROLES), rows)
