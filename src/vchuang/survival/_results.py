"""The results: :class:`Curve`, :class:`LogRank`, :class:`CoxModel`, :class:`Survival`,
:class:`StageTimes`, :class:`Dormancy` (private)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import UnknownEntityError
from ..kernel.display import SHOWN, html_table
from ..kernel.plotting import plot

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["BoolArray", "CoxModel", "Curve", "Dormancy", "FloatArray", "IntArray", "LogRank",
           "StageTimes", "Survival"]  # fmt: skip

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Days in an average month, to show durations in months.
DAYS_PER_MONTH = 365.25 / 12


def _array_eq(a: object, b: object) -> bool:
    return bool(np.array_equal(cast(Any, a), cast(Any, b), equal_nan=True))


_EQ = attrs.cmp_using(eq=_array_eq)


def _f(x: float) -> str:
    return "nan" if np.isnan(x) else ("inf" if np.isinf(x) else f"{x:.3g}")


@attrs.frozen(kw_only=True)
class Curve:
    """A Kaplan–Meier curve: one row per distinct time (time 0 first)."""

    group: str | None
    """The group it describes (``None``: everyone)."""
    times: FloatArray = attrs.field(eq=_EQ, repr=False)
    at_risk: IntArray = attrs.field(eq=_EQ, repr=False)
    events: IntArray = attrs.field(eq=_EQ, repr=False)
    censored: IntArray = attrs.field(eq=_EQ, repr=False)
    survival: FloatArray = attrs.field(eq=_EQ, repr=False)
    """:math:`\\hat S(t)` just after each time."""
    lower: FloatArray = attrs.field(eq=_EQ, repr=False)
    upper: FloatArray = attrs.field(eq=_EQ, repr=False)
    alpha: float
    subjects: int
    median: float
    """The first time :math:`\\hat S \\le 0.5` (inf: never)."""

    def at(self, time: float) -> float:
        """:math:`\\hat S(t)` at ``time`` (a step function, right-continuous)."""
        i = int(np.searchsorted(self.times, time, side="right")) - 1
        return 1.0 if i < 0 else float(self.survival[i])

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per time: at risk, events, censored, survival and its band."""
        return [
            {
                "group": self.group,
                "time": float(self.times[i]),
                "at_risk": int(self.at_risk[i]),
                "events": int(self.events[i]),
                "censored": int(self.censored[i]),
                "survival": float(self.survival[i]),
                "lower": float(self.lower[i]),
                "upper": float(self.upper[i]),
            }
            for i in range(self.times.size)
        ]

    def __repr__(self) -> str:
        return (
            f"Curve(group={self.group!r}, subjects={self.subjects}, "
            f"events={int(self.events.sum())}, times={self.times.size}, "
            f"median={_f(self.median)})"
        )


@attrs.frozen(kw_only=True)
class LogRank:
    """The log-rank test across groups."""

    groups: tuple[str, ...]
    observed: FloatArray = attrs.field(eq=_EQ, repr=False)
    expected: FloatArray = attrs.field(eq=_EQ, repr=False)
    statistic: float
    df: int
    p_value: float

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per group: observed and expected events."""
        return [
            {"group": g, "observed": float(o), "expected": float(e)}
            for g, o, e in zip(self.groups, self.observed, self.expected, strict=True)
        ]

    def __repr__(self) -> str:
        return (
            f"LogRank(groups={len(self.groups)}, statistic={_f(self.statistic)}, "
            f"df={self.df}, p_value={_f(self.p_value)})"
        )


@attrs.frozen(kw_only=True)
class CoxModel:
    """A fitted Cox model: one coefficient per covariate."""

    covariates: tuple[str, ...]
    coef: FloatArray = attrs.field(eq=_EQ, repr=False)
    hazard_ratio: FloatArray = attrs.field(eq=_EQ, repr=False)
    lower: FloatArray = attrs.field(eq=_EQ, repr=False)
    """Lower end of each hazard ratio's ``1 - alpha`` interval."""
    upper: FloatArray = attrs.field(eq=_EQ, repr=False)
    p_value: FloatArray = attrs.field(eq=_EQ, repr=False)
    concordance: float
    subjects: int
    events: int
    alpha: float

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per covariate: coefficient, hazard ratio and interval, p-value."""
        return [
            {
                "covariate": c,
                "coef": float(self.coef[i]),
                "hazard_ratio": float(self.hazard_ratio[i]),
                "lower": float(self.lower[i]),
                "upper": float(self.upper[i]),
                "p_value": float(self.p_value[i]),
            }
            for i, c in enumerate(self.covariates)
        ]

    def __repr__(self) -> str:
        shown = ", ".join(
            f"({c!r}, hr={_f(float(self.hazard_ratio[i]))})"
            for i, c in enumerate(self.covariates[:SHOWN])
        )
        more = ", ..." if len(self.covariates) > SHOWN else ""
        return (
            f"CoxModel(subjects={self.subjects}, events={self.events}, "
            f"concordance={_f(self.concordance)}, covariates=[{shown}{more}])"
        )

    def _repr_html_(self) -> str:
        rows = [
            (c, _f(float(self.hazard_ratio[i])), _f(float(self.p_value[i])))
            for i, c in enumerate(self.covariates[:SHOWN])
        ]
        return html_table(f"Cox model: {self.subjects} subjects", ("covariate", "HR", "p"), rows)


@attrs.frozen(kw_only=True)
class Survival:
    """Durations of a set of subjects (volunteers, projects) until an event, with their
    Kaplan–Meier curves overall and by group and the log-rank test across groups.

    Durations are in days; ``events[i]`` says whether subject ``i``'s event was seen
    (``False``: censored, still going at ``as_of``).
    """

    what: str
    """``"retention"`` (the event: a volunteer leaves) or ``"stage:<stage>"``."""
    by: str
    as_of: dt.date
    subjects: tuple[str, ...] = attrs.field(repr=False)
    groups: tuple[str, ...] = attrs.field(repr=False)
    """Each subject's group."""
    starts: tuple[dt.date, ...] = attrs.field(repr=False)
    """When each subject entered (its time 0)."""
    durations: FloatArray = attrs.field(eq=_EQ, repr=False)
    events: BoolArray = attrs.field(eq=_EQ, repr=False)
    overall: Curve = attrs.field(repr=False)
    curves: tuple[Curve, ...] = attrs.field(repr=False)
    """One curve per group, in ``logrank.groups`` order."""
    logrank: LogRank = attrs.field(repr=False)
    left_out: int = 0
    """Subjects without the dates needed (e.g. a project at a stage with no dated move)."""

    def __len__(self) -> int:
        return len(self.subjects)

    def __iter__(self) -> Iterator[str]:
        return iter(self.subjects)

    def curve(self, group: str | None = None) -> Curve:
        """The curve of ``group`` (everyone when ``None``)."""
        if group is None:
            return self.overall
        for c in self.curves:
            if c.group == group:
                return c
        raise UnknownEntityError(group)

    @property
    def median_months(self) -> float:
        """The overall median duration in months (inf when fewer than half had the event)."""
        return self.overall.median / DAYS_PER_MONTH

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per subject: group, start, duration (days and months), event."""
        return [
            {
                "subject": s,
                "group": self.groups[i],
                "start": self.starts[i],
                "days": float(self.durations[i]),
                "months": float(self.durations[i]) / DAYS_PER_MONTH,
                "event": bool(self.events[i]),
            }
            for i, s in enumerate(self.subjects)
        ]

    def curve_rows(self) -> list[dict[str, Any]]:
        """Every curve (overall first, then each group) as rows, see :meth:`Curve.to_rows`."""
        return [row for c in (self.overall, *self.curves) for row in c.to_rows()]

    def cox(
        self,
        covariates: Mapping[str, Mapping[str, float]] | None = None,
        *,
        penalizer: float = 0.0,
        alpha: float = 0.05,
    ) -> CoxModel:
        """Cox's model of these durations (lifelines, ``pip install 'vchuang[survival]'``).

        Parameters
        ----------
        covariates : mapping, optional
            Covariate name → subject → value; by default one 0/1 column per group but the
            largest (the reference group).
        penalizer, alpha
            As for :func:`vchuang.survival.cox`.
        """
        from ._estimators import cox

        columns: dict[str, list[float]] = {}
        if covariates is None:
            names = self.logrank.groups
            sizes = [self.groups.count(g) for g in names]
            reference = names[int(np.argmax(sizes))] if names else None
            for g in names:
                if g != reference:
                    columns[f"{self.by}={g}"] = [float(x == g) for x in self.groups]
        else:
            for name, values in covariates.items():
                columns[name] = [float(values[s]) for s in self.subjects]
        return cox(self.durations, self.events, columns, penalizer=penalizer, alpha=alpha)

    def plot(
        self, ax: Axes | None = None, *, groups: bool = True, lang: str = "en", **kwargs: Any
    ) -> Axes:
        """Kaplan–Meier curves in months, one per group (or the overall one) with its band
        (see :mod:`vchuang.plot`)."""
        return cast("Axes", plot(self, ax=ax, groups=groups, lang=lang, **kwargs))

    def __repr__(self) -> str:
        shown = ", ".join(f"({c.group!r}, median={_f(c.median)})" for c in self.curves[:SHOWN])
        more = ", ..." if len(self.curves) > SHOWN else ""
        return (
            f"Survival(what={self.what!r}, by={self.by!r}, as_of={self.as_of.isoformat()}, "
            f"subjects={len(self)}, events={int(self.events.sum())}, "
            f"median_days={_f(self.overall.median)}, logrank_p={_f(self.logrank.p_value)}, "
            f"groups=[{shown}{more}])"
        )

    def _repr_html_(self) -> str:
        rows = [
            (c.group, c.subjects, int(c.events.sum()), _f(c.median)) for c in self.curves[:SHOWN]
        ]
        caption = f"{self.what}: {len(self)} subjects, log-rank p = {_f(self.logrank.p_value)}"
        return html_table(caption, (self.by, "subjects", "events", "median (days)"), rows)


@attrs.frozen(kw_only=True)
class StageTimes:
    """Projects' time to each stage of incubation: one :class:`Survival` a stage."""

    stages: tuple[str, ...]
    """The stages (values of :class:`~vchuang.model.Stage`), in process order."""
    graduation: str
    """The stage that counts as graduating."""
    times: tuple[Survival, ...] = attrs.field(repr=False)

    def __getitem__(self, stage: str) -> Survival:
        key = getattr(stage, "value", stage)
        if key not in self.stages:
            raise UnknownEntityError(str(key))
        return self.times[self.stages.index(key)]

    def __len__(self) -> int:
        return len(self.stages)

    @property
    def graduated(self) -> Survival:
        """The time to graduation."""
        return self[self.graduation]

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per stage: projects, how many reached it, the median days, the
        log-rank p-value across groups."""
        return [
            {
                "stage": stage,
                "projects": len(s),
                "reached": int(s.events.sum()),
                "left_out": s.left_out,
                "median_days": s.overall.median,
                "logrank_p": s.logrank.p_value,
            }
            for stage, s in zip(self.stages, self.times, strict=True)
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en", **kwargs: Any) -> Axes:
        """The share of projects not yet at each stage, over months (see :mod:`vchuang.plot`)."""
        return cast("Axes", plot(self, ax=ax, lang=lang, **kwargs))

    def __repr__(self) -> str:
        shown = ", ".join(
            f"({st!r}, reached={int(s.events.sum())}/{len(s)})"
            for st, s in list(zip(self.stages, self.times, strict=True))[:SHOWN]
        )
        more = ", ..." if len(self.stages) > SHOWN else ""
        return f"StageTimes(graduation={self.graduation!r}, stages=[{shown}{more}])"

    def _repr_html_(self) -> str:
        rows = [(r["stage"], r["projects"], r["reached"], _f(r["median_days"]))
                for r in self.to_rows()[:SHOWN]]  # fmt: skip
        return html_table("Time to each stage", ("stage", "projects", "reached", "median"), rows)


@attrs.frozen(kw_only=True)
class Dormancy:
    """Who or what has had no activity for ``months`` months by ``as_of``."""

    kind: str
    """``"resident"`` or ``"project"``."""
    months: int
    as_of: dt.date
    ids: tuple[str, ...] = attrs.field(repr=False)
    groups: tuple[str, ...] = attrs.field(repr=False)
    last: tuple[dt.date | None, ...] = attrs.field(repr=False)
    """Each one's last activity (``None``: never active)."""
    idle_days: FloatArray = attrs.field(eq=_EQ, repr=False)
    """Days from the last activity to ``as_of`` (inf: never active)."""
    dormant: BoolArray = attrs.field(eq=_EQ, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def dormant_ids(self) -> tuple[str, ...]:
        """The dormant ones, longest idle first (ties by ID)."""
        order = sorted(
            (i for i in range(len(self)) if self.dormant[i]),
            key=lambda i: (-self.idle_days[i], self.ids[i]),
        )
        return tuple(self.ids[i] for i in order)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict each: group, last activity, idle days, dormant."""
        return [
            {
                self.kind: x,
                "group": self.groups[i],
                "last": self.last[i],
                "idle_days": float(self.idle_days[i]),
                "dormant": bool(self.dormant[i]),
            }
            for i, x in enumerate(self.ids)
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en", **kwargs: Any) -> Axes:
        """Active and dormant ones in each group, as bars (see :mod:`vchuang.plot`)."""
        return cast("Axes", plot(self, ax=ax, lang=lang, **kwargs))

    def __repr__(self) -> str:
        return (
            f"Dormancy(kind={self.kind!r}, months={self.months}, "
            f"as_of={self.as_of.isoformat()}, total={len(self)}, "
            f"dormant={int(self.dormant.sum())}, first={list(self.dormant_ids[:SHOWN])})"
        )

    def _repr_html_(self) -> str:
        rows = [(x, self.groups[self.ids.index(x)]) for x in self.dormant_ids[:SHOWN]]
        caption = f"Dormant {self.kind}s: {int(self.dormant.sum())} of {len(self)}"
        return html_table(caption, (self.kind, "group"), rows)
