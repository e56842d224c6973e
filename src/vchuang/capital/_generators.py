"""Position and resource generators, and the Chinese New-Year-visit network (private).

Survey instruments of access to social capital: a list of occupations ("do you know
anyone who is a ...?", the position generator), a list of resources ("do you know anyone
who can ...?", the resource generator), and the Spring Festival greeting network
(春节拜年网: whom the respondent visited or greeted at New Year, and their
occupations). The answers come as a plain mapping (resident → what they answered) or a
long table (a pandas DataFrame with one row per answer).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np

from ..errors import Problem, ValidationError
from ..kernel.display import SHOWN, html_table

if TYPE_CHECKING:
    from ._network import FloatArray

__all__ = [
    "ILLUSTRATIVE_PRESTIGE",
    "GeneratorScores",
    "new_year_network",
    "position_generator",
    "resource_generator",
]

#: An ILLUSTRATIVE prestige table for the examples and tutorials: a few occupations with
#: made-up scores on a 0-100 scale, ordered as occupational prestige scales usually
#: order them. These numbers are NOT from a published scale: pass your own table (e.g.
#: Treiman's Standard International Occupational Prestige Scale, or a Chinese
#: occupational prestige survey, matched to your survey's occupation list) as
#: ``prestige=``.
ILLUSTRATIVE_PRESTIGE: Mapping[str, float] = {
    "university_teacher": 90.0,
    "doctor": 88.0,
    "lawyer": 82.0,
    "engineer": 78.0,
    "government_official": 76.0,
    "manager": 72.0,
    "school_teacher": 70.0,
    "nurse": 62.0,
    "accountant": 60.0,
    "police_officer": 58.0,
    "office_clerk": 45.0,
    "electrician": 40.0,
    "driver": 32.0,
    "shop_assistant": 28.0,
    "security_guard": 25.0,
    "construction_worker": 22.0,
    "domestic_helper": 18.0,
    "cleaner": 15.0,
}


def _array_eq(a: object, b: object) -> bool:
    return bool(np.array_equal(cast(Any, a), cast(Any, b), equal_nan=True))


@attrs.frozen(kw_only=True)
class GeneratorScores:
    """Each respondent's scores on a generator; columns named in ``measures``."""

    kind: str
    """``"position"``, ``"resource"`` or ``"new_year"``."""
    residents: tuple[str, ...] = attrs.field(repr=False)
    measures: tuple[str, ...]
    values: FloatArray = attrs.field(eq=attrs.cmp_using(eq=_array_eq), repr=False)
    """``residents × measures``; NaN where a measure is undefined (no contact)."""
    composition: tuple[Mapping[str, int], ...] = attrs.field(default=(), repr=False)
    """New-Year network only: each respondent's contacts by class and by relation."""

    def __len__(self) -> int:
        return len(self.residents)

    def __getitem__(self, resident: str) -> dict[str, float]:
        if resident not in self.residents:
            from ..errors import UnknownEntityError

            raise UnknownEntityError(resident)
        i = self.residents.index(resident)
        return {m: float(self.values[i, j]) for j, m in enumerate(self.measures)}

    def column(self, measure: str) -> FloatArray:
        """One measure for every respondent."""
        return self.values[:, self.measures.index(measure)]

    def mean(self) -> dict[str, float]:
        """Each measure's mean over the respondents (NaNs left out)."""
        with np.errstate(invalid="ignore"):
            return {
                m: float(np.nanmean(self.values[:, j])) if np.any(~np.isnan(self.values[:, j]))
                else math.nan
                for j, m in enumerate(self.measures)
            }  # fmt: skip

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per respondent: each measure (and the composition counts)."""
        rows = []
        for i, r in enumerate(self.residents):
            row: dict[str, Any] = {"resident": r}
            row.update({m: float(self.values[i, j]) for j, m in enumerate(self.measures)})
            if self.composition:
                row.update(self.composition[i])
            rows.append(row)
        return rows

    def __repr__(self) -> str:
        first = ", ".join(
            f"({r!r}, {self.measures[0]}={float(self.values[i, 0]):.3g})"
            for i, r in enumerate(self.residents[:SHOWN])
        )
        more = ", ..." if len(self) > SHOWN else ""
        return (
            f"GeneratorScores(kind={self.kind!r}, respondents={len(self)}, "
            f"measures={self.measures}, first=[{first}{more}])"
        )

    def _repr_html_(self) -> str:
        rows = [(r, *(f"{float(v):.3g}" for v in self.values[i]))
                for i, r in enumerate(self.residents[:SHOWN])]  # fmt: skip
        return html_table(f"{self.kind} generator: {len(self)} respondents",
                          ("resident", *self.measures), rows)  # fmt: skip


def _long(answers: Any, item: str, extra: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Answers as resident → list of (item, *extra) tuples; a DataFrame is long format
    with columns ``resident``, ``item`` and the ``extra`` ones (missing extras: None)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    if hasattr(answers, "itertuples") and hasattr(answers, "columns"):
        cols = list(answers.columns)
        missing = [c for c in ("resident", item) if c not in cols]
        if missing:
            raise ValidationError(
                [
                    Problem("answers", f"has no column {c!r}", f"columns: resident, {item}")
                    for c in missing
                ]
            )
        names = ["resident", item, *(c for c in extra if c in cols)]
        for row in answers[names].itertuples(index=False):
            values = dict(zip(names, row, strict=True))
            out.setdefault(str(values["resident"]), []).append(
                (values[item], *(values.get(c) for c in extra))
            )
        return out
    if not isinstance(answers, Mapping):
        raise ValidationError(
            [Problem("answers", "must be a mapping resident -> answers or a DataFrame")]
        )
    for resident, given in answers.items():
        rows: list[tuple[Any, ...]] = []
        for x in given:
            if isinstance(x, Mapping):
                rows.append((x[item], *(x.get(c) for c in extra)))
            elif isinstance(x, tuple):
                rows.append((*x, *([None] * (1 + len(extra) - len(x)))))
            else:
                rows.append((x, *([None] * len(extra))))
        out[str(resident)] = rows
    return out


def _prestige_of(
    occupation: object, prestige: Mapping[str, float], where: str, problems: list[Problem]
) -> float | None:
    if occupation not in prestige:
        problems.append(
            Problem(
                where,
                f"occupation {occupation!r} has no prestige score",
                "add it to the prestige table, or fix the answer",
            )
        )
        return None
    return float(prestige[cast(str, occupation)])


def position_generator(answers: Any, *, prestige: Mapping[str, float]) -> GeneratorScores:
    """Access to social capital from a position generator's answers.

    Parameters
    ----------
    answers : mapping or pandas.DataFrame
        Resident → the occupations among whom they know someone; or a long DataFrame
        with columns ``resident`` and ``occupation``. An occupation named twice counts
        once.
    prestige : mapping of str to float
        Each listed occupation's prestige score. Supply a published scale matched to
        your occupation list; :data:`ILLUSTRATIVE_PRESTIGE` is a made-up example.

    Returns
    -------
    GeneratorScores
        Measures ``extensity`` (distinct occupations accessed), ``upper_reachability``
        (the highest prestige accessed), ``range`` (highest minus lowest) and
        ``mean_prestige``; prestige measures are NaN for a respondent who knows no one
        in the list.

    Raises
    ------
    ValidationError
        An answer names an occupation missing from ``prestige`` (every one is listed).

    Notes
    -----
    For respondent :math:`i` accessing occupations :math:`A_i` with prestige
    :math:`p_o` [1]_ [2]_: extensity :math:`|A_i|`, upper reachability
    :math:`\\max_{o \\in A_i} p_o`, range :math:`\\max p_o - \\min p_o`, mean prestige
    :math:`|A_i|^{-1} \\sum_{o \\in A_i} p_o`.

    References
    ----------
    .. [1] Lin, N., & Dumin, M. (1986). Access to occupations through social ties.
       *Social Networks*, 8(4), 365-385. https://doi.org/10.1016/0378-8733(86)90003-1
    .. [2] Van der Gaag, M., & Snijders, T. A. B. (2005). The Resource Generator: social
       capital quantification with concrete items. *Social Networks*, 27(1), 1-29.
       https://doi.org/10.1016/j.socnet.2004.10.001

    Examples
    --------
    >>> scores = position_generator({"r1": ["doctor", "driver", "cleaner"], "r2": []},
    ...                             prestige=ILLUSTRATIVE_PRESTIGE)
    >>> scores["r1"]
    {'extensity': 3.0, 'upper_reachability': 88.0, 'range': 73.0, 'mean_prestige': 45.0}
    >>> scores["r2"]["extensity"], math.isnan(scores["r2"]["range"])
    (0.0, True)
    """
    data = _long(answers, "occupation")
    problems: list[Problem] = []
    residents = tuple(data)
    values = np.full((len(residents), 4), np.nan)
    for i, r in enumerate(residents):
        occupations = list(dict.fromkeys(row[0] for row in data[r] if row[0] is not None))
        scores = [_prestige_of(o, prestige, f"answers[{r}]", problems) for o in occupations]
        known = [s for s in scores if s is not None]
        values[i, 0] = len(occupations)
        if known:
            top = max(known)
            values[i, 1:] = (top, top - min(known), sum(known) / len(known))
    if problems:
        raise ValidationError(problems)
    return GeneratorScores(
        kind="position",
        residents=residents,
        measures=("extensity", "upper_reachability", "range", "mean_prestige"),
        values=values,
    )


def resource_generator(
    answers: Any,
    *,
    items: Iterable[str] | None = None,
    domains: Mapping[str, str] | None = None,
) -> GeneratorScores:
    """Access to social capital from a resource generator's answers.

    Parameters
    ----------
    answers : mapping or pandas.DataFrame
        Resident → the items (resources) they can reach through someone they know; or a
        long DataFrame with columns ``resident`` and ``item``.
    items : iterable of str, optional
        The questionnaire's items; an answer outside it is an error. Default: every item
        answered by anyone.
    domains : mapping of str to str, optional
        Item → its domain (subscale), e.g. ``"legal_advice" -> "expert"``; a measure
        ``domain:<name>`` counts the items of each domain.

    Returns
    -------
    GeneratorScores
        ``total`` (items accessed), ``share`` (over the items of the list) and one
        ``domain:<name>`` count per domain.

    Notes
    -----
    Van der Gaag and Snijders [1]_ sum the items accessed, overall and per domain
    (subscales found by item response theory in their data).

    References
    ----------
    .. [1] Van der Gaag, M., & Snijders, T. A. B. (2005). The Resource Generator: social
       capital quantification with concrete items. *Social Networks*, 27(1), 1-29.
       https://doi.org/10.1016/j.socnet.2004.10.001

    Examples
    --------
    >>> scores = resource_generator(
    ...     {"r1": ["legal_advice", "borrow_money"], "r2": ["borrow_money"]},
    ...     items=["legal_advice", "borrow_money", "repair_bike", "find_job"],
    ...     domains={"legal_advice": "expert", "find_job": "expert",
    ...              "borrow_money": "support", "repair_bike": "support"})
    >>> scores["r1"]
    {'total': 2.0, 'share': 0.5, 'domain:expert': 1.0, 'domain:support': 1.0}
    """
    data = _long(answers, "item")
    answered = [row[0] for rows in data.values() for row in rows if row[0] is not None]
    listed = list(dict.fromkeys(items if items is not None else answered))
    known = set(listed)
    problems = [
        Problem(f"answers[{r}]", f"item {row[0]!r} is not in the list of items")
        for r, rows in data.items()
        for row in rows
        if row[0] is not None and row[0] not in known
    ]
    if problems:
        raise ValidationError(problems)
    names = sorted(set((domains or {}).values()))
    residents = tuple(data)
    values = np.zeros((len(residents), 2 + len(names)))
    for i, r in enumerate(residents):
        got = {row[0] for row in data[r] if row[0] is not None}
        values[i, 0] = len(got)
        values[i, 1] = len(got) / len(listed) if listed else math.nan
        for j, d in enumerate(names):
            values[i, 2 + j] = sum(1 for x in got if (domains or {}).get(x) == d)
    return GeneratorScores(
        kind="resource",
        residents=residents,
        measures=("total", "share", *(f"domain:{d}" for d in names)),
        values=values,
    )


def new_year_network(
    answers: Any,
    *,
    prestige: Mapping[str, float],
    classes: Mapping[str, str] | None = None,
) -> GeneratorScores:
    """The Spring Festival greeting network (春节拜年网): size, top, range, composition.

    Parameters
    ----------
    answers : mapping or pandas.DataFrame
        Resident → their New-Year contacts, each an occupation or an
        ``(occupation, relation)`` pair (relation e.g. ``"kin"``, ``"friend"``,
        ``"other"``), or a mapping with keys ``occupation`` and ``relation``; or a long
        DataFrame with columns ``resident``, ``occupation`` and optionally ``relation``.
        Each entry is one contact (a person), so an occupation may repeat.
    prestige : mapping of str to float
        Each occupation's prestige score (see :func:`position_generator`).
    classes : mapping of str to str, optional
        Occupation → its class (e.g. ``"leading_cadre"``, ``"manager"``,
        ``"professional"``); the composition counts contacts by class.

    Returns
    -------
    GeneratorScores
        Measures ``size`` (网规模, contacts), ``top`` (网顶, the highest prestige),
        ``range`` (网差, highest minus lowest), ``occupations`` (distinct occupations)
        and ``non_kin_share``; the composition (网络构成) counts contacts by class
        (``class:<name>``) and by relation (``relation:<name>``).

    Notes
    -----
    Bian's [1]_ four measures of the New-Year network: its size, its top and range of
    occupational prestige, and its composition (ties to the leading classes, and the
    share of non-kin). The prestige scale is supplied by the user, as for the
    position generator, of which this is a variant [2]_.

    References
    ----------
    .. [1] 边燕杰 (Bian, Y.) (2004). 城市居民社会资本的来源及作用：网络观点与调查发现.
       《中国社会科学》2004(3), 136-146.
    .. [2] Lin, N., & Dumin, M. (1986). Access to occupations through social ties.
       *Social Networks*, 8(4), 365-385. https://doi.org/10.1016/0378-8733(86)90003-1

    Examples
    --------
    >>> s = new_year_network({"r1": [("doctor", "kin"), ("driver", "friend"),
    ...                              ("driver", "kin")]},
    ...                      prestige=ILLUSTRATIVE_PRESTIGE,
    ...                      classes={"doctor": "professional", "driver": "worker"})
    >>> s["r1"]
    {'size': 3.0, 'top': 88.0, 'range': 56.0, 'occupations': 2.0, 'non_kin_share': 0.3333333333333333}
    >>> s.composition[0]
    {'class:professional': 1, 'class:worker': 2, 'relation:friend': 1, 'relation:kin': 2}
    """
    data = _long(answers, "occupation", ("relation",))
    problems: list[Problem] = []
    residents = tuple(data)
    values = np.full((len(residents), 5), np.nan)
    composition: list[dict[str, int]] = []
    for i, r in enumerate(residents):
        contacts = [row for row in data[r] if row[0] is not None]
        scores = [_prestige_of(row[0], prestige, f"answers[{r}]", problems) for row in contacts]
        known = np.asarray([s for s in scores if s is not None], dtype=np.float64)
        values[i, 0] = len(contacts)
        if known.size:
            values[i, 1:3] = (known.max(), known.max() - known.min())
        values[i, 3] = len({row[0] for row in contacts})
        relations = [row[1] for row in contacts if row[1] is not None]
        if relations:
            values[i, 4] = sum(1 for x in relations if x != "kin") / len(relations)
        counts: dict[str, int] = {}
        for row in contacts:
            if classes is not None and row[0] in classes:
                key = f"class:{classes[row[0]]}"
                counts[key] = counts.get(key, 0) + 1
        for rel in relations:
            counts[f"relation:{rel}"] = counts.get(f"relation:{rel}", 0) + 1
        composition.append(dict(sorted(counts.items())))
    if problems:
        raise ValidationError(problems)
    return GeneratorScores(
        kind="new_year",
        residents=residents,
        measures=("size", "top", "range", "occupations", "non_kin_share"),
        values=values,
        composition=tuple(composition),
    )
