"""Compatibility of a resident with a need: the score, its parts and its reasons (private).

The same arithmetic runs twice: one pair at a time with words (:func:`compatibility`)
and for all pairs at once on arrays (:func:`_pair_table`); the tests check that both
give the same score for every pair.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from ..errors import Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.checks import check_number
from ..kernel.display import html_table
from ..kernel.said import Said, Words, said_in
from ..kernel.text import text
from ..model import THEMES, Level, Need, Project, Proposal, Resident, SkillTaxonomy

__all__ = ["Compatibility", "ScoreModel", "compatibility"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_PLACE_WORDS = (
    "matching.reason.place.community",
    "matching.reason.place.subdistrict",
    "matching.reason.place.district",
    "matching.reason.place.outside",
)


def _unit_interval(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    values = value if isinstance(value, tuple) else (value,)
    for item in values:
        check_number(item, f"ScoreModel.{attribute.name}", minimum=0, maximum=1)


def _place_values(inst: Any, attribute: attrs.Attribute[Any], value: tuple[float, ...]) -> None:
    _unit_interval(inst, attribute, value)
    if len(value) != 4:
        raise ValidationError(
            [
                Problem(
                    "ScoreModel.place",
                    f"needs 4 values, got {len(value)}",
                    "give credit for the same community, subdistrict, district and elsewhere",
                )
            ]
        )


def _floats(value: Sequence[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in value)


@attrs.frozen(kw_only=True)
class ScoreModel:
    """How a (resident, need) pair is scored; every number is documented in
    :doc:`/matching` and can be changed.

    Attributes
    ----------
    related : tuple of float
        Credit for a *related* skill that is not the one asked for nor more specific,
        by its distance in the taxonomy: 1 step (the resident has the broader parent
        field), 2 steps (a sibling skill, or the grandparent), 3 steps. Further away
        or under another root: no credit.
    level_step : float
        Credit lost per level below the need's ``min_level`` (1 makes the minimum strict).
    place : tuple of float
        Credit for living in the project's community, its subdistrict, its district,
        elsewhere.
    place_weight, interest_weight, availability_weight : float
        Weights of the three context parts; they must add up to 1.
    base : float
        Share of the score a perfect skill fit earns whatever the context.
    threshold : float
        Pairs scoring below it are not eligible.
    """

    related: tuple[float, ...] = attrs.field(
        default=(0.6, 0.5, 0.4), converter=_floats, validator=_unit_interval
    )
    level_step: float = attrs.field(default=0.3, validator=_unit_interval)
    place: tuple[float, ...] = attrs.field(
        default=(1.0, 0.6, 0.3, 0.1), converter=_floats, validator=_place_values
    )
    place_weight: float = attrs.field(default=0.4, validator=_unit_interval)
    interest_weight: float = attrs.field(default=0.35, validator=_unit_interval)
    availability_weight: float = attrs.field(default=0.25, validator=_unit_interval)
    base: float = attrs.field(default=0.5, validator=_unit_interval)
    threshold: float = attrs.field(default=0.3, validator=_unit_interval)

    def __attrs_post_init__(self) -> None:
        total = self.place_weight + self.interest_weight + self.availability_weight
        if not math.isclose(total, 1.0, abs_tol=1e-9):
            raise ValidationError(
                [
                    Problem(
                        "ScoreModel",
                        f"place, interest and availability weights add up to {total:g}",
                        "make them add up to 1",
                    )
                ]
            )

    @property
    def threshold_points(self) -> int:
        """The threshold in thousandths (scores are compared as whole thousandths)."""
        return int(np.rint(self.threshold * 1000.0))


@attrs.frozen(kw_only=True)
class Compatibility:
    """How well one resident fits one need, with the parts and plain reasons.

    Attributes
    ----------
    resident, need, project : str
        IDs.
    skill : str
        The skill the need asks for.
    matched_skill : str or None
        The resident's skill that gave the fit (``None`` if none is related).
    score : float
        In [0, 1], in whole thousandths.
    eligible : bool
        Whether the pair may be matched (a related skill, score at least the threshold,
        some hours offered).
    parts : Mapping
        ``skill`` (taxonomy credit), ``level`` (level factor), ``fit`` (their product),
        ``place``, ``interest``, ``availability``, ``context`` (weighted sum of the three).
    reasons : tuple of str
        One sentence per part, naming the skill that matched.
    """

    resident: str
    need: str
    project: str
    skill: str
    matched_skill: str | None
    score: float
    eligible: bool
    parts: Mapping[str, float]
    reasons: tuple[str, ...]

    def __repr__(self) -> str:
        return (
            f"Compatibility(resident={self.resident!r}, need={self.need!r}, "
            f"skill={self.skill!r}, matched_skill={self.matched_skill!r}, "
            f"score={self.score:.3f}, eligible={self.eligible}, reasons={len(self.reasons)})"
        )

    def _repr_html_(self) -> str:
        rows = [(name, f"{value:.3f}") for name, value in self.parts.items()]
        verdict = "eligible" if self.eligible else "not eligible"
        caption = f"{self.resident} -> {self.need}: {self.score:.3f} ({verdict})"
        return html_table(caption, ("part", "value"), rows)

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`reasons` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences."""
        return said_in(self.reasons, lang)

    def __str__(self) -> str:
        verdict = "eligible" if self.eligible else "not eligible"
        lines = [f"{self.resident} -> {self.need}: score {self.score:.3f} ({verdict})"]
        lines += [f"  - {r}" for r in self.reasons]
        return "\n".join(lines)


# --------------------------------------------------------------------------- skills


def _root(tax: SkillTaxonomy, skill: str) -> str:
    ancestors = tax.ancestors(skill)
    return ancestors[-1] if ancestors else skill


def _skill_credit(
    tax: SkillTaxonomy, have: str, want: str, related: tuple[float, ...]
) -> tuple[float, str]:
    """Credit of having ``have`` for a need of ``want``, and the kind of relation."""
    if have == want:
        return 1.0, "exact"
    if tax.is_a(have, want):
        return 1.0, "narrower"
    if _root(tax, have) != _root(tax, want):
        return 0.0, "unrelated"
    d = tax.distance(have, want)
    credit = related[d - 1] if d <= len(related) else 0.0
    if tax.is_a(want, have):
        kind = "broader"
    elif tax.parent(have) == tax.parent(want):
        kind = "sibling"
    else:
        kind = "related"
    return (credit, kind) if credit > 0 else (0.0, "unrelated")


@functools.lru_cache(maxsize=16)
def _credit_matrix(tax: SkillTaxonomy, related: tuple[float, ...]) -> FloatArray:
    ids = [s.id for s in tax.skills]
    out = np.zeros((len(ids), len(ids)))
    for a, have in enumerate(ids):
        for b, want in enumerate(ids):
            out[a, b] = _skill_credit(tax, have, want, related)[0]
    return out


def _level_factor(have: int, want: int, step: float) -> float:
    return max(0.0, 1.0 - step * max(0, want - have))


def _best_skill(
    tax: SkillTaxonomy, resident: Resident, need: Need, model: ScoreModel
) -> tuple[str | None, float, float, Level | None]:
    """(matched skill, credit, level factor, level) of the resident's best skill."""
    assert need.skill is not None
    best: tuple[float, float, int, str] | None = None
    for item in resident.skills:
        credit = _skill_credit(tax, item.skill, need.skill, model.related)[0]
        if credit <= 0:
            continue
        factor = _level_factor(int(item.level), int(need.min_level), model.level_step)
        key = (-(credit * factor), -credit, -int(item.level), item.skill)
        if best is None or key < best:
            best = key
    if best is None:
        return None, 0.0, 0.0, None
    skill = best[3]
    level = resident.skill_level(skill)
    return (
        skill,
        -best[1],
        _level_factor(int(level or 0), int(need.min_level), model.level_step),
        level,
    )


def _place_level(hier_a: tuple[str, ...], hier_b: tuple[str, ...]) -> int:
    for level in range(3):
        if level < len(hier_a) and level < len(hier_b) and hier_a[level] == hier_b[level]:
            return level
    return 3


def _theme_label(theme: str) -> str:
    return THEMES[theme][0] if theme in THEMES else theme.replace("_", " ")


def _themes(themes: Sequence[str]) -> Words:
    """Themes in words: ``"anti-fraud, traffic safety"``, ``"反诈骗、交通安全"``."""
    zh = (THEMES[t][1] if t in THEMES else t.replace("_", " ") for t in themes)
    return Words(", ".join(_theme_label(t) for t in themes), "、".join(zh))


def skill_words(tax: SkillTaxonomy, skill: str) -> Words:
    """A skill's label in both languages."""
    return Words(tax.label(skill), tax.label(skill, "zh"))


def level_words(level: Level) -> Words:
    """A level's name in both languages: ``basic``, ``入门``."""
    name = level.name.lower()
    return Words(name, text(f"matching.level.{name}", "zh"))


def _score(
    fit: float, place: float, interest: float, avail: float, model: ScoreModel
) -> tuple[float, int]:
    """(context, points): the one formula both code paths use, in the same order."""
    context = (
        model.place_weight * place
        + model.interest_weight * interest
        + model.availability_weight * avail
    )
    score = fit * (model.base + (1.0 - model.base) * context)
    return context, int(np.rint(score * 1000.0))


def _project_of(graph: CommunityGraph, need_id: str) -> tuple[Project, Need]:
    owner, position = graph.need(need_id)
    if isinstance(owner, Proposal):
        raise ValidationError(
            [
                Problem(
                    f"need {need_id!r}",
                    f"belongs to proposal {owner.id!r}, not to a project",
                    "match the needs of projects; a golden idea's needs move to its project once "
                    "it is selected",
                )
            ]
        )
    return owner, owner.needs[position]


def compatibility(
    graph: CommunityGraph,
    resident: str,
    need: str,
    *,
    model: ScoreModel | None = None,
) -> Compatibility:
    """Score one resident for one skill need of a project, and say why.

    Parameters
    ----------
    graph : CommunityGraph
        The graph holding both.
    resident : str
        A resident's ID.
    need : str
        The ID of a skill need of a project.
    model : ScoreModel, optional
        The scoring rules (default :class:`ScoreModel`).

    Returns
    -------
    Compatibility
        The score, whether the pair is eligible, its parts and one reason per part.

    Raises
    ------
    UnknownEntityError
        No resident or need with that ID.
    ValidationError
        The need is a resource need, or belongs to a proposal rather than a project.

    See Also
    --------
    match : the best assignment of residents to every need.
    vchuang.matching.ScoreModel : the weights and thresholds of the score.

    Notes
    -----
    With the resident's best skill :math:`s` for the need's skill :math:`t`:

    .. math::

        \\text{fit} &= c(s, t) \\cdot \\max(0, 1 - \\lambda \\max(0, L_{min} - L_s)) \\\\
        \\text{context} &= w_p \\, \\text{place} + w_i \\, \\text{interest}
                          + w_a \\min(1, h / (d / p)) \\\\
        \\text{score} &= \\text{fit} \\cdot (b + (1 - b) \\, \\text{context})

    where :math:`c(s, t)` is 1 if :math:`s` is :math:`t` or more specific, and the
    ``related`` credit by taxonomy distance otherwise; :math:`h` the resident's weekly
    hours, :math:`d / p` the need's hours per person; place credit by the level of the
    place hierarchy the resident shares with the project; interest 1 when the resident
    cares about one of the project's themes. Defaults in :class:`ScoreModel`.

    Examples
    --------
    >>> import vchuang
    >>> from vchuang.matching import compatibility
    >>> g = vchuang.load_example()
    >>> c = compatibility(g, "pn-r01", "pn-p1-design")
    >>> c.score, c.eligible, c.matched_skill
    (1.0, True, 'graphic_design')
    >>> print(c.reasons[0])
    has graphic design (expert), the skill asked for
    """
    model = model if model is not None else ScoreModel()
    person = graph.get(resident, Resident)
    project, item = _project_of(graph, need)
    if item.skill is None:
        raise ValidationError(
            [
                Problem(
                    f"need {need!r}",
                    "is a resource need; only skill needs are matched to residents",
                    "link resources to it instead (resource linkage, 资源联动)",
                )
            ]
        )
    tax = graph.taxonomy
    matched, credit, factor, level = _best_skill(tax, person, item, model)
    fit = credit * factor
    hier_r = graph.hierarchy(person.community)
    hier_p = graph.hierarchy(project.community)
    place_level = _place_level(hier_r, hier_p)
    place = model.place[place_level]
    shared = [t for t in project.themes if t in person.interests]
    interest = 1.0 if shared else 0.0
    share = item.hours / item.people
    avail = min(1.0, person.hours_per_week / share)
    context, points = _score(fit, place, interest, avail, model)
    eligible = fit > 0 and points >= model.threshold_points and person.hours_per_week > 0
    want = skill_words(tax, item.skill)
    reasons: list[str] = []
    if matched is None or level is None:
        reasons.append(Said("matching.reason.no_skill", want=want))
    else:
        kind = _skill_credit(tax, matched, item.skill, model.related)[1]
        reasons.append(
            Said(
                f"matching.reason.skill.{kind}",
                have=skill_words(tax, matched),
                level=level_words(level),
                want=want,
                credit=f"{credit:g}",
            )
        )
        minimum = level_words(item.min_level)
        if factor >= 1.0:
            reasons.append(
                Said("matching.reason.level_met", level=level_words(level), minimum=minimum)
            )
        else:
            reasons.append(
                Said(
                    "matching.reason.level_below",
                    level=level_words(level),
                    gap=int(item.min_level) - int(level),
                    minimum=minimum,
                    factor=f"{factor:.1f}",
                )
            )
    community = graph.get(person.community)
    name = getattr(community, "name", "")
    reasons.append(
        Said(
            _PLACE_WORDS[place_level],
            community=Words(name, getattr(community, "name_zh", "") or name),
        )
    )
    if shared:
        reasons.append(Said("matching.reason.cares", themes=_themes(shared)))
    elif project.themes:
        reasons.append(Said("matching.reason.not_cares", themes=_themes(project.themes)))
    else:
        reasons.append(Said("matching.reason.no_theme"))
    reasons.append(
        Said(
            "matching.reason.hours" if avail >= 1.0 else "matching.reason.hours_short",
            hours=f"{person.hours_per_week:g}",
            share=f"{share:g}",
            factor=f"{avail:.2f}",
        )
    )
    score = points / 1000.0
    if fit <= 0:
        reasons.append(Said("matching.reason.ineligible.skill"))
    elif person.hours_per_week <= 0:
        reasons.append(Said("matching.reason.ineligible.hours"))
    elif not eligible:
        reasons.append(
            Said(
                "matching.reason.ineligible.score",
                score=f"{score:.3f}",
                threshold=f"{model.threshold:g}",
            )
        )
    return Compatibility(
        resident=person.id,
        need=item.id,
        project=project.id,
        skill=item.skill,
        matched_skill=matched,
        score=score,
        eligible=eligible,
        parts={
            "skill": credit,
            "level": factor,
            "fit": fit,
            "place": place,
            "interest": interest,
            "availability": avail,
            "context": context,
        },
        reasons=tuple(reasons),
    )


# --------------------------------------------------------------------------- arrays


@attrs.frozen(kw_only=True, eq=False)
class _Pairs:
    """Every (resident, need) pair with a related skill, scored on arrays."""

    r: IntArray
    n: IntArray
    points: IntArray
    fit: FloatArray
    credit: FloatArray
    level_factor: FloatArray
    place: FloatArray
    interest: FloatArray
    avail: FloatArray
    skill: IntArray
    """The taxonomy position of the resident's matched skill."""
    level: IntArray
    """The resident's level in the matched skill."""
    eligible: BoolArray


def _concat(parts: list[Any], dtype: Any) -> Any:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


def _pair_table(
    graph: CommunityGraph,
    residents: Sequence[Resident],
    needs: Sequence[tuple[Project, Need]],
    model: ScoreModel,
) -> _Pairs:
    """Score all pairs with a related skill, vectorised per (skill, minimum level)."""
    tax = graph.taxonomy
    skill_ids = [s.id for s in tax.skills]
    pos = {s: i for i, s in enumerate(skill_ids)}
    id_rank = np.empty(len(skill_ids), dtype=np.int64)
    id_rank[np.argsort(np.array(skill_ids, dtype=object), kind="stable")] = np.arange(
        len(skill_ids)
    )
    credit_m = _credit_matrix(tax, model.related)
    # residents
    n_r = len(residents)
    hours = np.array([r.hours_per_week for r in residents], dtype=float)
    hier: dict[str, tuple[str, ...]] = {}

    def chain(place: str) -> tuple[str, ...]:
        if place not in hier:
            h = graph.hierarchy(place)
            hier[place] = tuple(h) + ("",) * (3 - len(h))
        return hier[place]

    codes: dict[str, int] = {}

    def code(name: str) -> int:
        return codes.setdefault(name, len(codes))

    places_r = np.array(
        [[code(x) for x in chain(r.community)] for r in residents], dtype=np.int64
    ).reshape(n_r, 3)
    rs_row = np.array([i for i, r in enumerate(residents) for _ in r.skills], dtype=np.int64)
    rs_skill = np.array([pos[s.skill] for r in residents for s in r.skills], dtype=np.int64)
    rs_level = np.array([int(s.level) for r in residents for s in r.skills], dtype=np.int64)
    interests: dict[str, list[int]] = {}
    for i, r in enumerate(residents):
        for t in r.interests:
            interests.setdefault(t, []).append(i)
    interest_cache: dict[str, FloatArray] = {}

    def interest_of(project: Project) -> FloatArray:
        if project.id not in interest_cache:
            vec = np.zeros(n_r)
            for t in project.themes:
                vec[interests.get(t, [])] = 1.0
            interest_cache[project.id] = vec
        return interest_cache[project.id]

    groups: dict[tuple[int, int], list[int]] = {}
    for k, (_, need) in enumerate(needs):
        assert need.skill is not None
        groups.setdefault((pos[need.skill], int(need.min_level)), []).append(k)
    out: dict[str, list[Any]] = {f.name: [] for f in attrs.fields(_Pairs)}
    place_credit = np.asarray(model.place, dtype=float)
    for (want, minimum), members in groups.items():
        credit = credit_m[rs_skill, want]
        factor = np.maximum(0.0, 1.0 - model.level_step * np.maximum(0, minimum - rs_level))
        val = credit * factor
        keep = np.flatnonzero(val > 0)
        if keep.size == 0:
            continue
        order = keep[
            np.lexsort(
                (id_rank[rs_skill[keep]], -rs_level[keep], -credit[keep], -val[keep], rs_row[keep])
            )
        ]
        first = np.concatenate(([True], rs_row[order][1:] != rs_row[order][:-1]))
        best = order[first]
        cand = rs_row[best]
        for k in members:
            project, need = needs[k]
            pp = np.array([code(x) for x in chain(project.community)], dtype=np.int64)
            same = places_r[cand] == pp
            level = np.where(same[:, 0], 0, np.where(same[:, 1], 1, np.where(same[:, 2], 2, 3)))
            place = place_credit[level]
            interest = interest_of(project)[cand]
            share = need.hours / need.people
            avail = np.minimum(1.0, hours[cand] / share)
            fit = credit[best] * factor[best]
            context = (
                model.place_weight * place
                + model.interest_weight * interest
                + model.availability_weight * avail
            )
            score = fit * (model.base + (1.0 - model.base) * context)
            points = np.rint(score * 1000.0).astype(np.int64)
            out["r"].append(cand)
            out["n"].append(np.full(cand.size, k, dtype=np.int64))
            out["points"].append(points)
            out["fit"].append(fit)
            out["credit"].append(credit[best])
            out["level_factor"].append(factor[best])
            out["place"].append(place)
            out["interest"].append(interest)
            out["avail"].append(avail)
            out["skill"].append(rs_skill[best])
            out["level"].append(rs_level[best])
            out["eligible"].append((points >= model.threshold_points) & (hours[cand] > 0))
    ints = {"r", "n", "points", "skill", "level"}
    arrays = {
        name: _concat(parts, bool if name == "eligible" else np.int64 if name in ints else float)
        for name, parts in out.items()
    }
    order = np.lexsort((arrays["r"], arrays["n"]))
    return _Pairs(**{name: arr[order] for name, arr in arrays.items()})
