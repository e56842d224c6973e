"""Scoring golden ideas: a judges' rubric and residents' votes (private)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from ..errors import Problem, ValidationError
from ..kernel.checks import check_number
from ..kernel.display import SHOWN, html_table
from ..kernel.plotting import plot
from ._election import Ballot, _check_ballots

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..graph import CommunityGraph

__all__ = [
    "DEFAULT_RUBRIC",
    "NORMALISATIONS",
    "Criterion",
    "JudgeBias",
    "JudgeScore",
    "ProposalScore",
    "Rubric",
    "Scores",
    "Votes",
    "score",
]

#: How judges' raw marks are made comparable (see :func:`score`).
NORMALISATIONS = ("zscore", "minmax", "additive", "raw")


def _number(value: object) -> bool:
    """A finite real number (bools refused)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _weight(_inst: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if not _number(value) or value < 0:
        raise ValidationError([Problem(attribute.name, f"must be a number >= 0, got {value!r}")])


@attrs.frozen(kw_only=True)
class Criterion:
    """One criterion of a rubric: its weight and the range of marks judges give.

    Examples
    --------
    >>> Criterion(id="feasibility", name="Feasibility", name_zh="可行性", weight=0.25)
    Criterion(id='feasibility', name='Feasibility', name_zh='可行性', weight=0.25, low=0, high=10)
    """

    id: str
    name: str
    name_zh: str = ""
    weight: float = attrs.field(default=1.0, validator=_weight)
    low: float = 0
    high: float = 10

    def __attrs_post_init__(self) -> None:
        if not self.high > self.low:
            raise ValidationError(
                [
                    Problem(
                        f"criterion {self.id!r}", f"high ({self.high}) must exceed low ({self.low})"
                    )
                ]
            )


def _criteria(value: Iterable[Criterion]) -> tuple[Criterion, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Rubric:
    """Weighted criteria and the way judges' marks are normalised.

    ``normalisation`` is one of :data:`NORMALISATIONS` (see :func:`score`).
    """

    criteria: tuple[Criterion, ...] = attrs.field(converter=_criteria)
    normalisation: str = "zscore"

    def __attrs_post_init__(self) -> None:
        problems = []
        ids = [c.id for c in self.criteria]
        if not ids:
            problems.append(Problem("criteria", "a rubric needs at least one criterion"))
        if len(set(ids)) != len(ids):
            problems.append(Problem("criteria", "a criterion ID is used twice"))
        if ids and sum(c.weight for c in self.criteria) <= 0:
            problems.append(
                Problem(
                    "criteria",
                    "the weights add up to 0",
                    "give at least one criterion a positive weight",
                )
            )
        if self.normalisation not in NORMALISATIONS:
            problems.append(
                Problem(
                    "normalisation",
                    f"unknown {self.normalisation!r}",
                    f"use one of {', '.join(NORMALISATIONS)}",
                )
            )
        if problems:
            raise ValidationError(problems)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this ID."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise ValidationError(
            [
                Problem(
                    "criterion",
                    f"no criterion {criterion_id!r}",
                    f"use one of {', '.join(c.id for c in self.criteria)}",
                )
            ]
        )


#: Five criteria selection meetings commonly use, marked 0–10: fit to the community's
#: pain points (30 %), feasibility (25 %), residents' participation (20 %),
#: sustainability (15 %) and innovation (10 %).
DEFAULT_RUBRIC = Rubric(
    criteria=(
        Criterion(id="fit", name="Fit to pain points", name_zh="切合痛点", weight=0.30),
        Criterion(id="feasibility", name="Feasibility", name_zh="可行性", weight=0.25),
        Criterion(
            id="participation", name="Residents' participation", name_zh="居民参与", weight=0.20
        ),
        Criterion(id="sustainability", name="Sustainability", name_zh="可持续性", weight=0.15),
        Criterion(id="innovation", name="Innovation", name_zh="创新性", weight=0.10),
    )
)


@attrs.frozen(kw_only=True)
class JudgeScore:
    """One judge's mark for one proposal on one criterion.

    Examples
    --------
    >>> JudgeScore(judge="sw1", proposal="ha-i01", criterion="fit", score=9)
    JudgeScore(judge='sw1', proposal='ha-i01', criterion='fit', score=9)
    """

    judge: str
    proposal: str
    criterion: str
    score: float


def _ballots(value: Iterable[Ballot]) -> tuple[Ballot, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Votes:
    """Residents' ballots on a call's proposals.

    ``kind`` is ``"approval"`` (each voter ticks the ideas they back), ``"cumulative"``
    (each spreads points; ``max_points`` caps a voter's total), ``"scoring"`` (points per
    idea) or ``"ordinal"`` (a ranking, best first).

    Examples
    --------
    >>> v = Votes(kind="cumulative", max_points=5,
    ...           ballots=[Ballot(voter="r1", items=["i1", "i2"], points=[3, 2])])
    >>> v.ballots[0].points
    (3, 2)
    >>> Votes(kind="cumulative", max_points=4,
    ...       ballots=[Ballot(voter="r1", items=["i1"], points=[5])])
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: ballots[0]: gives 5 points, more than the 4 allowed
    """

    kind: str = "approval"
    ballots: tuple[Ballot, ...] = attrs.field(default=(), converter=_ballots)
    max_points: int | None = None

    def __repr__(self) -> str:
        return (
            f"Votes(kind={self.kind!r}, ballots={len(self.ballots)}, "
            f"max_points={self.max_points!r})"
        )

    def __attrs_post_init__(self) -> None:
        known = {
            p: 0
            for b in self.ballots
            if isinstance(b, Ballot)  # type: ignore[redundant-expr]
            for p in b.items
        }
        problems = _check_ballots(self.ballots, self.kind, known)
        if self.max_points is not None and not problems:
            for i, b in enumerate(self.ballots):
                if sum(b.points) > self.max_points:
                    problems.append(
                        Problem(
                            f"ballots[{i}]",
                            f"gives {sum(b.points)} points, "
                            f"more than the {self.max_points} allowed",
                        )
                    )
        if problems:
            raise ValidationError(problems)


@attrs.frozen(kw_only=True)
class ProposalScore:
    """A proposal's scores: per criterion, the panel's, the votes' and the combined."""

    proposal: str
    name: str
    criteria: Mapping[str, float]
    """Normalised mark per criterion, averaged over the judges who marked it."""
    judges: int
    """How many judges marked it."""
    panel: float | None
    """Weighted rubric score (``None`` without a panel)."""
    panel_norm: float
    """The panel score rescaled so the best proposal has 1 and the worst 0."""
    support: int
    """Votes: approvals, points or Borda points."""
    votes_norm: float
    """Votes as a share of the most-supported proposal's (0 to 1)."""
    combined: float
    """``panel_weight × panel_norm + (1 − panel_weight) × votes_norm``."""
    rank: int
    """1 for the highest combined score (ties share the order of their IDs)."""


@attrs.frozen(kw_only=True)
class JudgeBias:
    """How a judge marks compared with the rest of the panel."""

    judge: str
    marks: int
    mean: float
    """Mean mark, on a 0–1 scale (each criterion's range mapped to 0–1)."""
    spread: float
    """Standard deviation of their marks, on the same scale."""
    leniency: float
    """Mean of (their mark − the other judges' mean mark for the same proposal and
    criterion), on the 0–1 scale: positive for a lenient judge, negative for a strict
    one (``nan`` when no one else marked the same items)."""


@attrs.frozen(kw_only=True)
class Scores:
    """The scores of a selection meeting; see :func:`score`.

    Examples
    --------
    >>> s = score(proposals=["a", "b"], panel=[
    ...     JudgeScore(judge="j1", proposal="a", criterion="q", score=8),
    ...     JudgeScore(judge="j1", proposal="b", criterion="q", score=6)],
    ...     rubric=Rubric(criteria=[Criterion(id="q", name="Quality")]))
    >>> s.combined()
    {'a': 1.0, 'b': 0.0}
    """

    proposals: tuple[ProposalScore, ...]
    judges: tuple[JudgeBias, ...]
    rubric: Rubric
    panel_weight: float
    formula: str

    def __repr__(self) -> str:
        top = sorted(self.proposals, key=lambda p: p.rank)[:SHOWN]
        shown = ", ".join(f"({p.proposal!r}, {p.combined:.3f})" for p in top)
        more = ", ..." if len(self.proposals) > SHOWN else ""
        return (
            f"Scores(proposals={len(self.proposals)}, judges={len(self.judges)}, "
            f"normalisation={self.rubric.normalisation!r}, panel_weight={self.panel_weight:g}, "
            f"top=[{shown}{more}])"
        )

    def _repr_html_(self) -> str:
        top = sorted(self.proposals, key=lambda p: p.rank)[:SHOWN]
        rows = [(p.rank, p.proposal, p.name, f"{p.combined:.3f}", p.support) for p in top]
        caption = f"Scores: {len(self.proposals)} proposals, {len(self.judges)} judges"
        return html_table(caption, ("rank", "proposal", "name", "combined", "votes"), rows)

    def combined(self) -> dict[str, float]:
        """Proposal → combined score (the score the selection rules use)."""
        return {p.proposal: p.combined for p in self.proposals}

    def __getitem__(self, proposal: str) -> ProposalScore:
        for p in self.proposals:
            if p.proposal == proposal:
                return p
        raise KeyError(proposal)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per proposal, in rank order."""
        rows = []
        for p in sorted(self.proposals, key=lambda x: x.rank):
            row: dict[str, Any] = {"rank": p.rank, "proposal": p.proposal, "name": p.name}
            row.update({f"crit_{k}": round(v, 4) for k, v in p.criteria.items()})
            row.update(
                {
                    "judges": p.judges,
                    "panel": None if p.panel is None else round(p.panel, 4),
                    "panel_norm": round(p.panel_norm, 4),
                    "support": p.support,
                    "votes_norm": round(p.votes_norm, 4),
                    "combined": round(p.combined, 4),
                }
            )
            rows.append(row)
        return rows

    def plot(
        self, ax: Axes | None = None, *, lang: str = "en", names: Mapping[str, str] | None = None
    ) -> Axes:
        """Stacked bars: each proposal's combined score as its panel and vote parts.

        ``names`` maps proposal IDs to labels (e.g. Chinese titles with ``lang="zh"``);
        see :func:`vchuang.plot.plot_scores`.
        """
        out: Axes = plot(self, ax=ax, lang=lang, names=names)
        return out


def _normalise(
    marks: dict[tuple[str, str, str], float],
    rubric: Rubric,
    method: str,
    proposals: Sequence[str],
) -> dict[tuple[str, str], float]:
    """(proposal, criterion) → corrected mark on a 0–1-ish scale."""
    out: dict[tuple[str, str], float] = {}
    judges = sorted({j for j, _, _ in marks})
    for crit in rubric.criteria:
        lo, hi = crit.low, crit.high
        by_judge: dict[str, dict[str, float]] = {j: {} for j in judges}
        for (j, p, c), x in marks.items():
            if c == crit.id:  # z-scores and min-max need no rescaling (fewer roundings)
                by_judge[j][p] = x if method in ("zscore", "minmax") else (x - lo) / (hi - lo)
        if method == "additive":
            out.update(_additive(by_judge, proposals, crit.id))
            continue
        sums: dict[str, list[float]] = {}
        for j in judges:
            items = by_judge[j]
            if not items:
                continue
            values = np.array(list(items.values()))
            if method == "zscore":
                sd = float(values.std())
                mean = float(values.mean())
                norm = {p: (x - mean) / sd if sd > 0 else 0.0 for p, x in items.items()}
            elif method == "minmax":
                low, high = float(values.min()), float(values.max())
                norm = {
                    p: (x - low) / (high - low) if high > low else 0.5 for p, x in items.items()
                }
            else:
                norm = dict(items)
            for p, x in norm.items():
                sums.setdefault(p, []).append(x)
        for p, xs in sums.items():
            out[p, crit.id] = float(np.mean(xs))
    return out


def _additive(
    by_judge: dict[str, dict[str, float]], proposals: Sequence[str], crit: str
) -> dict[tuple[str, str], float]:
    """Fit mark = quality(proposal) + bias(judge) by least squares, biases summing to 0."""
    judges = [j for j in by_judge if by_judge[j]]
    rated = [p for p in proposals if any(p in by_judge[j] for j in judges)]
    if not rated:
        return {}
    pi = {p: i for i, p in enumerate(rated)}
    ji = {j: i for i, j in enumerate(judges)}
    rows, ys = [], []
    for j in judges:
        for p, x in by_judge[j].items():
            if p in pi:
                row = np.zeros(len(rated) + len(judges))
                row[pi[p]] = 1.0
                row[len(rated) + ji[j]] = 1.0
                rows.append(row)
                ys.append(x)
    constraint = np.zeros(len(rated) + len(judges))
    constraint[len(rated) :] = 1.0
    design = np.vstack([*rows, constraint])
    target = np.array([*ys, 0.0])
    solution, *_ = np.linalg.lstsq(design, target, rcond=None)
    return {(p, crit): float(solution[pi[p]]) for p in rated}


def score(
    graph: CommunityGraph | None = None,
    call: str | None = None,
    *,
    proposals: Iterable[str] | None = None,
    panel: Iterable[JudgeScore] = (),
    votes: Votes | None = None,
    rubric: Rubric = DEFAULT_RUBRIC,
    panel_weight: float = 0.6,
) -> Scores:
    """Score golden ideas by a judges' rubric and residents' votes, combined.

    Parameters
    ----------
    graph, call
        The graph and the call whose proposals are scored (optional: give
        ``proposals`` instead).
    proposals
        The proposal IDs to score (default: every proposal of the call) — pass the
        eligible ones.
    panel
        Judges' marks: one :class:`JudgeScore` per judge, proposal and criterion. A
        judge may leave a proposal out (a conflict of interest), but every proposal
        needs marks from someone when there is a panel.
    votes
        Residents' :class:`Votes`.
    rubric
        The criteria, their weights and the normalisation (default
        :data:`DEFAULT_RUBRIC`, z-scores).
    panel_weight
        The panel's share ``w`` of the combined score (0 to 1); votes get ``1 − w``.

    Returns
    -------
    Scores
        Per proposal: criterion marks, panel, votes and combined scores and the rank;
        per judge: mean, spread and leniency; the formula in words.

    Raises
    ------
    ValidationError
        A mark names an unknown proposal or criterion, or is outside the criterion's
        range; a judge marks the same item twice; a proposal has no marks; the weight
        is outside 0–1.

    See Also
    --------
    check_eligibility : which proposals may be scored at all.
    select : choose proposals to fund, by a rule.
    compare_rules : several rules on the same election.
    vchuang.selection.Scores.plot : each proposal's combined score.

    Notes
    -----
    Each mark :math:`x_{jpc}` (judge :math:`j`, proposal :math:`p`, criterion :math:`c`)
    is corrected for the judge, whose leniency and spread are a known source of noise in
    panels [2]_:

    * ``"zscore"`` (default): :math:`z_{jpc} = (x_{jpc} - \\bar x_{jc}) / s_{jc}`, the
      judge's mean and (population) standard deviation over the proposals they marked
      on that criterion; removes leniency (a judge who marks everything high) and
      spread (a judge who uses only 6–8). A judge who gives everyone the same mark
      contributes 0 (no information). Assumes each judge saw a similar mix of
      proposals.
    * ``"minmax"``: :math:`(x - \\min_{jc}) / (\\max_{jc} - \\min_{jc})`, each judge's
      worst 0 and best 1.
    * ``"additive"``: the two-way model :math:`x_{jpc} = \\theta_{pc} + \\beta_{jc} +
      \\varepsilon` fitted by least squares with :math:`\\sum_j \\beta_{jc} = 0`; the
      quality :math:`\\theta_{pc}` is the mark with each judge's leniency
      :math:`\\beta_{jc}` taken out. Suited to incomplete panels, where judges mark
      different subsets. Graders' additive bias is modelled this way in peer
      assessment [1]_.
    * ``"raw"``: no correction (marks mapped to 0–1 by the criterion's range).

    The criterion score :math:`m_{pc}` is the mean over the judges who marked :math:`p`
    (or :math:`\\theta_{pc}`), and the panel score is
    :math:`P_p = \\sum_c w_c m_{pc} / \\sum_c w_c`. It is rescaled so the best proposal
    has 1 and the worst 0: :math:`\\hat P_p = (P_p - \\min P) / (\\max P - \\min P)` (all
    1 when every proposal has the same panel score). Votes :math:`V_p` (approvals,
    points or truncated Borda points: on a ranking of :math:`L` ideas the first gets
    :math:`L`, the last 1) become :math:`\\hat V_p = V_p / \\max_q V_q`. The combined
    score is

    .. math:: S_p = w \\hat P_p + (1 - w) \\hat V_p,

    with :math:`w` = ``panel_weight`` (just :math:`\\hat P` without votes, just
    :math:`\\hat V` without a panel).

    References
    ----------
    .. [1] Piech, C., Huang, J., Chen, Z., Do, C., Ng, A., Koller, D. (2013). Tuned
       models of peer assessment in MOOCs. Proceedings of the 6th International
       Conference on Educational Data Mining (EDM 2013) (graders' additive bias).
    .. [2] Kahneman, D., Sibony, O., Sunstein, C. R. (2021). *Noise: A Flaw in Human
       Judgment*. Little, Brown (level and pattern noise among judges).

    Examples
    --------
    >>> rubric = Rubric(criteria=[Criterion(id="fit", name="Fit", weight=1)])
    >>> marks = [JudgeScore(judge=j, proposal=p, criterion="fit", score=x)
    ...          for j, p, x in [("lenient", "a", 9), ("lenient", "b", 7),
    ...                          ("strict", "a", 6), ("strict", "b", 2)]]
    >>> s = score(proposals=["a", "b"], panel=marks, rubric=rubric,
    ...           votes=Votes(ballots=[Ballot(voter="r1", items=["b"])]))
    >>> [(p.proposal, p.panel_norm, p.votes_norm, round(p.combined, 2)) for p in s.proposals]
    [('a', 1.0, 0.0, 0.6), ('b', 0.0, 1.0, 0.4)]
    >>> [(j.judge, round(j.leniency, 2)) for j in s.judges]
    [('lenient', 0.4), ('strict', -0.4)]
    """
    from ..model import Call, Proposal

    panel_weight = check_number(panel_weight, "panel_weight", minimum=0, maximum=1)
    if proposals is not None:
        ids = list(proposals)
    elif graph is not None and call is not None:
        graph.get(call, Call)
        ids = [p.id for p in graph.proposals(call)]
    else:
        raise ValidationError(
            [Problem("proposals", "nothing to score", "give graph and call, or proposals")]
        )
    names = {p: p for p in ids}
    if graph is not None:
        for p in ids:
            names[p] = graph.get(p, Proposal).name
    known = set(ids)
    crit_ids = {c.id for c in rubric.criteria}
    marks: dict[tuple[str, str, str], float] = {}
    problems: list[Problem] = []
    for i, m in enumerate(panel):
        where = f"panel[{i}]"
        if m.proposal not in known:
            problems.append(Problem(where, f"marks {m.proposal!r}, which is not being scored"))
            continue
        if m.criterion not in crit_ids:
            problems.append(
                Problem(
                    where,
                    f"unknown criterion {m.criterion!r}",
                    f"use one of {', '.join(sorted(crit_ids))}",
                )
            )
            continue
        crit = rubric.criterion(m.criterion)
        x = m.score
        if not _number(x) or not crit.low <= x <= crit.high:
            problems.append(Problem(where, f"mark {x!r} is outside {crit.low}–{crit.high}"))
            continue
        key = (m.judge, m.proposal, m.criterion)
        if key in marks:
            problems.append(
                Problem(where, f"judge {m.judge!r} marks {m.proposal!r} on {m.criterion!r} twice")
            )
        marks[key] = float(x)
    has_panel = bool(marks)
    marked = {p for _, p, _ in marks}
    if has_panel:
        for p in ids:
            if p not in marked:
                problems.append(
                    Problem(
                        f"proposal {p!r}",
                        "no judge marked it",
                        "mark every proposal, or leave it out of `proposals`",
                    )
                )
    support = dict.fromkeys(ids, 0)
    if votes is not None:
        for i, b in enumerate(votes.ballots):
            for r, item in enumerate(b.items):
                if item not in known:
                    problems.append(
                        Problem(
                            f"votes.ballots[{i}]", f"votes for {item!r}, which is not being scored"
                        )
                    )
                    continue
                if votes.kind in ("cumulative", "scoring"):
                    support[item] += b.points[r]
                elif votes.kind == "ordinal":
                    support[item] += len(b.items) - r
                else:
                    support[item] += 1
    if problems:
        raise ValidationError(problems)
    crit_scores = _normalise(marks, rubric, rubric.normalisation, ids) if has_panel else {}
    total_w = sum(c.weight for c in rubric.criteria)
    panel_raw: dict[str, float | None] = {}
    for p in ids:
        if not has_panel:
            panel_raw[p] = None
            continue
        acc = 0.0
        for c in rubric.criteria:
            acc += c.weight * crit_scores.get((p, c.id), 0.0)
        panel_raw[p] = acc / total_w
    values = [v for v in panel_raw.values() if v is not None]
    lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
    top = max(support.values(), default=0)
    w = panel_weight if has_panel and votes is not None else (1.0 if has_panel else 0.0)
    rows: list[tuple[str, float | None, float, float, float]] = []
    for p in ids:
        raw = panel_raw[p]
        pn = 0.0 if raw is None else ((raw - lo) / (hi - lo) if hi > lo else 1.0)
        vn = support[p] / top if top > 0 else 0.0
        rows.append((p, raw, pn, vn, w * pn + (1 - w) * vn))
    order = sorted(range(len(rows)), key=lambda i: (-rows[i][4], rows[i][0]))
    rank = {rows[i][0]: r + 1 for r, i in enumerate(order)}
    judges_count = {p: len({j for j, q, _ in marks if q == p}) for p in ids}
    out = tuple(
        ProposalScore(
            proposal=p,
            name=names[p],
            criteria={c.id: crit_scores.get((p, c.id), float("nan")) for c in rubric.criteria}
            if has_panel
            else {},
            judges=judges_count[p],
            panel=raw,
            panel_norm=pn,
            support=support[p],
            votes_norm=vn,
            combined=comb,
            rank=rank[p],
        )
        for p, raw, pn, vn, comb in rows
    )
    formula = (
        f"S = {w:g} × panel (best 1, worst 0; {rubric.normalisation} per judge) + "
        f"{1 - w:g} × votes (share of the most supported)"
    )
    return Scores(
        proposals=out, judges=_biases(marks, rubric), rubric=rubric, panel_weight=w, formula=formula
    )


def _biases(marks: dict[tuple[str, str, str], float], rubric: Rubric) -> tuple[JudgeBias, ...]:
    unit: dict[tuple[str, str, str], float] = {}
    for (j, p, c), x in marks.items():
        crit = rubric.criterion(c)
        unit[j, p, c] = (x - crit.low) / (crit.high - crit.low)
    by_item: dict[tuple[str, str], dict[str, float]] = {}
    for (j, p, c), x in unit.items():
        by_item.setdefault((p, c), {})[j] = x
    out = []
    for judge in sorted({j for j, _, _ in unit}):
        mine = [(p, c, x) for (j, p, c), x in unit.items() if j == judge]
        xs = np.array([x for _, _, x in mine])
        diffs = []
        for p, c, x in mine:
            others = [y for k, y in by_item[p, c].items() if k != judge]
            if others:
                diffs.append(x - float(np.mean(others)))
        out.append(
            JudgeBias(
                judge=judge,
                marks=len(mine),
                mean=float(xs.mean()),
                spread=float(xs.std()),
                leniency=float(np.mean(diffs)) if diffs else float("nan"),
            )
        )
    return tuple(out)
