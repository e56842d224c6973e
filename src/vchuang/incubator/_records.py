"""The incubator's immutable records: checks, verdicts, transitions, brands, checklist
items (private; re-exported by :mod:`vchuang.incubator`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from .. import _validators as v
from ..errors import Problem, ValidationError
from ..io.documents import unstructure
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.said import said_in, say_in
from ..kernel.text import check_lang, text
from ..model import Level, Project, Stage

if TYPE_CHECKING:
    from ._lifecycle import Incubator

__all__ = [
    "Brand",
    "Check",
    "ChecklistItem",
    "ChecklistTest",
    "Transition",
    "TransitionRefused",
    "Verdict",
]


def _date(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise v.fail(
            attribute,
            f"must be a date, got {type(value).__name__}",
            "give a datetime.date such as date(2019, 9, 21)",
        )


def _optional_date(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _date(inst, attribute, value)


def _stage(value: Stage | str) -> Stage:
    return v.enum_value(Stage, value, "stage")


def _texts(value: Any) -> tuple[str, ...]:
    return v.to_tuple(value)


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@attrs.frozen(kw_only=True)
class Check:
    """One condition of a transition, met or not, in plain words.

    ``reason`` says what is missing when ``ok`` is false, and what shows the condition
    is met when it is true. ``source`` tells where the condition comes from:
    ``"order"`` (the stage may not follow), ``"record"`` (who, why, date of the
    transition), ``"guard"`` (what entering ``stage`` needs) or ``"checklist"`` (an
    item of the step ``stage`` that must be done before leaving it).
    """

    id: str = attrs.field(validator=v.entity_id)
    ok: bool
    reason: str = attrs.field(validator=v.name)
    hint: str = attrs.field(default="", validator=v.text)
    stage: Stage | None = None
    source: str = attrs.field(default="guard", validator=v.entity_id)

    def __str__(self) -> str:
        return f"{self.reason} (hint: {self.hint})" if self.hint and not self.ok else self.reason

    def reason_in(self, lang: str = "en") -> str:
        """``reason`` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same text.

        >>> from vchuang import load_example
        >>> from vchuang.incubator import Incubator
        >>> print(Incubator(load_example()).guard("pn-p3", "running").reason_in("zh"))
        预算 1500.00 元；已链接资源 pn-hall
        """
        return say_in(self.reason, lang)

    def hint_in(self, lang: str = "en") -> str:
        """``hint`` in ``lang``."""
        return say_in(self.hint, lang)

    def text_in(self, lang: str = "en") -> str:
        """``str(check)`` in ``lang``: the reason, and the hint when the check is not met."""
        if check_lang(lang) == "en":
            return str(self)
        if self.hint and not self.ok:
            return text(
                "incubator.check.with_hint",
                lang,
                reason=self.reason_in(lang),
                hint=self.hint_in(lang),
            )
        return self.reason_in(lang)


@attrs.frozen(kw_only=True)
class Verdict:
    """Whether a project may move to a stage on a date, and every reason why (not)."""

    project: str
    from_stage: Stage
    to_stage: Stage
    date: dt.date | None
    checks: tuple[Check, ...]

    def __repr__(self) -> str:
        failed = preview(c.id for c in self.failed)
        return (
            f"Verdict(project={self.project!r}, {self.from_stage.value!r} -> "
            f"{self.to_stage.value!r}, date={self.date}, ok={self.ok}, "
            f"checks={len(self.checks)}, failed={failed})"
        )

    def _repr_html_(self) -> str:
        shown = (self.failed or self.checks)[:SHOWN]
        rows = [(c.id, c.source, "yes" if c.ok else "no", _clip(c.reason)) for c in shown]
        caption = f"{self.project}: {self.from_stage.value} -> {self.to_stage.value}"
        return html_table(caption, ("check", "source", "ok", "reason"), rows)

    @property
    def ok(self) -> bool:
        """Whether every check is met."""
        return all(c.ok for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        """The checks that are not met."""
        return tuple(c for c in self.checks if not c.ok)

    @property
    def reasons(self) -> tuple[str, ...]:
        """What is missing, one plain sentence per unmet check."""
        return tuple(c.reason for c in self.checks if not c.ok)

    @property
    def evidence(self) -> tuple[str, ...]:
        """What shows the met checks are met."""
        return tuple(c.reason for c in self.checks if c.ok)

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`reasons` in ``lang`` (``"en"`` or ``"zh"``)."""
        return said_in(self.reasons, lang)

    def evidence_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`evidence` in ``lang`` (``"en"`` or ``"zh"``)."""
        return said_in(self.evidence, lang)

    def text_in(self, lang: str = "en") -> str:
        """``str(verdict)`` in ``lang``: allowed or refused, and every unmet check."""
        if check_lang(lang) == "en":
            return str(self)
        stages = {
            "project": self.project,
            "from_stage": self.from_stage.label(lang),
            "to_stage": self.to_stage.label(lang),
        }
        if self.ok:
            return text("incubator.verdict.allowed", lang, **stages)
        head = text("incubator.verdict.refused", lang, **stages)
        return "\n".join([head, *(f"  - {c.text_in(lang)}" for c in self.failed)])

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per check."""
        return [
            {
                "project": self.project,
                "to": self.to_stage.value,
                "check": c.id,
                "source": c.source,
                "stage": c.stage.value if c.stage is not None else "",
                "ok": c.ok,
                "reason": c.reason,
                "hint": c.hint,
            }
            for c in self.checks
        ]

    def __str__(self) -> str:
        head = f"{self.project}: {self.from_stage.value} -> {self.to_stage.value}"
        if self.ok:
            return f"{head}: allowed"
        return "\n".join([f"{head}: refused", *(f"  - {c}" for c in self.failed)])


class TransitionRefused(ValidationError):
    """A project may not move to the stage asked for; ``verdict`` says every reason.

    Nothing was changed: neither the graph nor the history.
    """

    what = "the transition"

    def __init__(self, verdict: Verdict) -> None:
        self.verdict = verdict
        where = f"project {verdict.project!r} -> {verdict.to_stage.value}"
        super().__init__(
            [
                Problem(
                    where,
                    c.reason,
                    c.hint,
                    key="incubator.check.said",
                    hint_key="incubator.check.said_hint" if c.hint else None,
                    path_key="incubator.check.where",
                    fields={
                        "text": c.reason,
                        "hint": c.hint,
                        "project": repr(verdict.project),
                        "stage": verdict.to_stage.label,
                    },
                )
                for c in verdict.failed
            ]
        )


@attrs.frozen(kw_only=True)
class Transition:
    """One recorded move of a project from a stage to another: when, who, why.

    ``why`` is the reason given (or, when none was given, the evidence that let the
    move through); ``evidence`` lists what the checks found.
    """

    project: str = attrs.field(validator=v.entity_id)
    """The project's ID."""
    from_stage: Stage = attrs.field(converter=_stage)
    """The stage it left."""
    to_stage: Stage = attrs.field(converter=_stage)
    """The stage it entered."""
    date: dt.date = attrs.field(validator=_date)
    """The day of the move."""
    who: str = attrs.field(validator=v.name)
    """Who decided it (a staff or social-worker ID)."""
    why: str = attrs.field(validator=v.name)
    """The reason given, or what met the guard of the stage entered."""
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    """What every check found: the checklist items of the step left and the guard."""

    def why_in(self, lang: str = "en") -> str:
        """:attr:`why` in ``lang`` (``"en"`` or ``"zh"``); a reason given by hand, or read
        back from JSON, stays as written."""
        return say_in(self.why, lang)

    def evidence_in(self, lang: str = "en") -> tuple[str, ...]:
        """:attr:`evidence` in ``lang`` (as :meth:`why_in`)."""
        return said_in(self.evidence, lang)

    def __repr__(self) -> str:
        return (
            f"Transition(project={self.project!r}, from_stage={self.from_stage.value!r}, "
            f"to_stage={self.to_stage.value!r}, date={self.date}, who={self.who!r}, "
            f"why={_clip(self.why)!r}, evidence={len(self.evidence)})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The transition as JSON-ready data (dates as ISO strings; the stages as
        ``"from"`` and ``"to"``), by the library's one JSON converter."""
        data: dict[str, Any] = unstructure(self)
        return data


@attrs.frozen(kw_only=True)
class Brand:
    """A project's brand (品牌), recorded during brand creation: the name residents
    know it by, and optionally a Chinese name and a logo (a file name or URL)."""

    project: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    logo: str = attrs.field(default="", validator=v.text)
    date: dt.date = attrs.field(validator=_date)
    who: str = attrs.field(validator=v.name)

    def to_dict(self) -> dict[str, Any]:
        """The brand as JSON-ready data, by the library's one JSON converter."""
        data: dict[str, Any] = unstructure(self)
        return data


ChecklistTest = Callable[["Incubator", Project, "dt.date | None"], "str | None"]
"""A custom checklist test: ``test(incubator, project, day)`` returns a short text saying
what shows the item is done on ``day`` (``None``: any date), or ``None`` if not done."""


def _item_target(inst: ChecklistItem, _attribute: attrs.Attribute[Any], _value: object) -> None:
    if (inst.skill is None) == (inst.test is None):
        raise ValidationError(
            [Problem("skill", "a checklist item names exactly one of `skill` or `test`")]
        )
    if inst.test is not None and not callable(inst.test):
        raise ValidationError([Problem("test", "must be callable: test(incubator, project, day)")])


def _level(value: Level | int) -> Level:
    return Level(value)


@attrs.frozen(kw_only=True)
class ChecklistItem:
    """One task of an incubation step's checklist.

    A *skill* item is done when someone leading the project (a lead or co-lead) holds
    ``skill`` (or a more specific one) at ``level`` or above, or attended a training
    (培训) in it. A *test* item is done when ``test(incubator, project, day)`` returns
    a text (the evidence) rather than ``None``.

    Examples
    --------
    >>> ChecklistItem(id="pitch", en="coaching in public speaking", skill="public_speaking")
    ChecklistItem(id='pitch', en='coaching in public speaking', zh='', skill='public_speaking', level=<Level.BASIC: 1>, test=None, hint='')
    """

    id: str = attrs.field(validator=v.entity_id)
    en: str = attrs.field(validator=v.name)
    """The task in plain English ("coaching in activity-plan design")."""
    zh: str = attrs.field(default="", validator=v.text)
    skill: str | None = attrs.field(default=None, validator=v.optional_id)
    level: Level = attrs.field(default=Level.BASIC, converter=_level)
    test: ChecklistTest | None = attrs.field(default=None, validator=_item_target)
    hint: str = attrs.field(default="", validator=v.text)
    """What to do to tick it off (a default hint is given for skill items)."""

    def label(self, lang: str = "en") -> str:
        """The task in ``lang`` (``"en"`` or ``"zh"``)."""
        return (self.zh or self.en) if lang == "zh" else self.en
