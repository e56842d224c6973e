"""The results: :class:`Step` and :class:`Participation` (private)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import UnknownEntityError
from ..kernel.display import SHOWN, html_table
from ..kernel.plotting import plot
from ..kernel.text import text
from ..model import ActivityKind
from ._ladder import Ladder

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["NONE", "Participation", "Step"]

IntArray = npt.NDArray[np.int64]

#: The name of the rung below the ladder: no recorded involvement.
NONE = "none"


def _array_eq(a: object, b: object) -> bool:
    return bool(np.array_equal(cast(Any, a), cast(Any, b)))


@attrs.frozen(kw_only=True)
class Step:
    """One piece of evidence that puts a resident on a rung.

    ``source`` is ``"attended"`` (with the activity's ``kind``) or one of
    :data:`~vchuang.participation.SOURCES`; ``about`` the activity, project, group or
    proposal; ``date`` ``None`` when the record has no date.
    """

    resident: str
    rung: str
    source: str
    about: str
    date: dt.date | None
    kind: ActivityKind | None = None

    def reason(self, lang: str = "en") -> str:
        """Why the resident is on this rung, in words.

        >>> import datetime as dt
        >>> Step(resident="r1", rung="organising", source="organised", about="a1",
        ...      date=dt.date(2019, 9, 21)).reason("zh")
        '2019-09-21 组织了活动 a1'
        """
        when = (
            self.date.isoformat() if self.date is not None else text("participation.undated", lang)
        )
        kind = self.kind.label(lang) if self.kind is not None else ""
        return text(
            f"participation.reason.{self.source}", lang, about=self.about, date=when, kind=kind
        )


@attrs.frozen(kw_only=True)
class Participation:
    """Every resident's place on a participation ladder, over time and by community.

    Arrays have one row per resident (in ``residents``); a rung is held as its position
    on the ladder, ``-1`` for none. :meth:`to_rows` gives each resident's highest rung
    and why; :meth:`community_rows` the count and share of each community at each rung
    (small counts hidden); :attr:`transitions` and :meth:`transition_rows` the movement
    between rungs from one period to the next.
    """

    ladder: Ladder = attrs.field(repr=False)
    place: str | None
    as_of: dt.date
    period: str
    """``"month"`` or ``"quarter"``."""
    threshold: int
    """Counts of people below this are hidden in published tables."""
    residents: tuple[str, ...] = attrs.field(repr=False)
    communities: tuple[str, ...] = attrs.field(repr=False)
    """Each resident's community."""
    highest: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    """Each resident's highest rung up to ``as_of`` (-1: none)."""
    basis: tuple[Step | None, ...] = attrs.field(repr=False)
    """The evidence for each resident's highest rung (the earliest dated one)."""
    periods: tuple[str, ...] = attrs.field(repr=False)
    """The periods, oldest first (``"2019-07"`` or ``"2019Q3"``)."""
    timeline: IntArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    """``residents × periods``: the highest rung evidenced within each period (-1: none)."""
    undated: int
    """Pieces of evidence without a date: they count for the highest rung, not the timeline."""
    _row: dict[str, int] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_row", {r: i for i, r in enumerate(self.residents)})

    def __len__(self) -> int:
        return len(self.residents)

    def __iter__(self) -> Iterator[str]:
        return iter(self.residents)

    @property
    def rungs(self) -> tuple[str, ...]:
        """``"none"`` and the ladder's rungs, lowest first: the columns of every table."""
        return (NONE, *self.ladder.rungs)

    def _name(self, code: int) -> str:
        return NONE if code < 0 else self.ladder.rungs[code]

    def _index(self, resident: str) -> int:
        if resident not in self._row:
            raise UnknownEntityError(resident)
        return self._row[resident]

    def rung(self, resident: str) -> str:
        """The resident's highest rung (``"none"`` without recorded involvement)."""
        return self._name(int(self.highest[self._index(resident)]))

    def reason(self, resident: str, lang: str = "en") -> str:
        """Why the resident is on their highest rung, in words."""
        step = self.basis[self._index(resident)]
        return text("participation.reason.none", lang) if step is None else step.reason(lang)

    @property
    def counts(self) -> dict[str, int]:
        """Residents whose highest rung is each rung (``"none"`` first)."""
        n = np.bincount(self.highest + 1, minlength=len(self.rungs))
        return dict(zip(self.rungs, map(int, n), strict=True))

    @property
    def transitions(self) -> IntArray:
        """``(k + 1) × (k + 1)`` counts of moves from one period's rung (rows) to the
        next period's (columns), over every pair of consecutive periods; row and column 0
        are "none"."""
        k = len(self.rungs)
        out = np.zeros((k, k), dtype=np.int64)
        if self.timeline.shape[1] < 2:
            return out
        a = (self.timeline[:, :-1] + 1).ravel()
        b = (self.timeline[:, 1:] + 1).ravel()
        np.add.at(out, (a, b), 1)
        return out

    def by_period(self) -> IntArray:
        """``periods × (k + 1)``: residents at each rung in each period ("none" first)."""
        k = len(self.rungs)
        out = np.zeros((len(self.periods), k), dtype=np.int64)
        for j in range(len(self.periods)):
            out[j] = np.bincount(self.timeline[:, j] + 1, minlength=k)
        return out

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per resident: community, highest rung (name and rank), the evidence's
        source, what it is about, and its date."""
        rows = []
        for i, r in enumerate(self.residents):
            step = self.basis[i]
            rows.append(
                {
                    "resident": r,
                    "community": self.communities[i],
                    "rung": self._name(int(self.highest[i])),
                    "rank": int(self.highest[i]),
                    "source": None if step is None else step.source,
                    "about": None if step is None else step.about,
                    "date": None if step is None else step.date,
                }
            )
        return rows

    def community_rows(self, *, threshold: int | None = None) -> list[dict[str, Any]]:
        """One dict per community: residents, the count at each rung and its share.

        Counts of people below ``threshold`` (default: the result's) are hidden with
        :func:`vchuang.privacy.suppress_small`, and the share of a hidden count is
        ``None``.
        """
        from ..privacy import suppress_small

        order = list(dict.fromkeys(self.communities))
        code = {c: j for j, c in enumerate(order)}
        comm = np.fromiter((code[c] for c in self.communities), np.int64, len(self))
        k = len(self.rungs)
        table = np.zeros((len(order), k), dtype=np.int64)
        np.add.at(table, (comm, self.highest + 1), 1)
        raw = [
            {"community": c, "residents": int(table[j].sum())}
            | dict(zip(self.rungs, map(int, table[j]), strict=True))
            for j, c in enumerate(order)
        ]
        shown = suppress_small(raw, self.rungs, self.threshold if threshold is None else threshold)
        rows = []
        for row in shown.to_rows():
            total = row["residents"]
            for rung in self.rungs:
                value = row[rung]
                row[f"share_{rung}"] = value / total if isinstance(value, int) and total else None
            rows.append(row)
        return rows

    def transition_rows(self, *, threshold: int | None = None) -> list[dict[str, Any]]:
        """The transition matrix as a table: one dict per "from" rung, a column per "to"
        rung; counts below ``threshold`` hidden (see :meth:`community_rows`)."""
        from ..privacy import suppress_small

        m = self.transitions
        raw = [
            {"from": a} | dict(zip(self.rungs, map(int, m[i]), strict=True))
            for i, a in enumerate(self.rungs)
        ]
        cut = self.threshold if threshold is None else threshold
        return suppress_small(raw, self.rungs, cut).to_rows()

    def plot(
        self, ax: Axes | None = None, *, kind: str = "communities", lang: str = "en", **kwargs: Any
    ) -> Axes:
        """The share of each community at each rung (``kind="communities"``), the
        residents at each rung period by period (``"periods"``) or the transition
        matrix (``"transitions"``); see :mod:`vchuang.plot`."""
        return cast("Axes", plot(self, ax=ax, kind=kind, lang=lang, **kwargs))

    def __repr__(self) -> str:
        counts = self.counts
        top = sorted(counts.items(), key=lambda kv: (-kv[1], self.rungs.index(kv[0])))[:SHOWN]
        shown = ", ".join(f"{r}={n}" for r, n in top)
        return (
            f"Participation(place={self.place!r}, as_of={self.as_of.isoformat()}, "
            f"residents={len(self)}, periods={len(self.periods)}, period={self.period!r}, "
            f"most=[{shown}])"
        )

    def _repr_html_(self) -> str:
        rows = [(r, n) for r, n in self.counts.items()]
        caption = f"Participation: {len(self)} residents as of {self.as_of.isoformat()}"
        return html_table(caption, ("rung", "residents"), rows)
