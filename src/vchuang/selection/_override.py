"""A selection meeting's recorded changes to an algorithm's outcome (private).

A rule proposes; the selection meeting (项目征选会) decides. When the meeting adds,
removes or swaps golden ideas, each change is an :class:`Override` record — what changed,
why, who decided and when — and :func:`overridden` keeps the algorithm's outcome, the
final one and the proportionality audit of both, so that a researcher can see what the
meeting's judgement cost or bought.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Problem, ValidationError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..kernel.text import check_lang, text
from ._audit import _DEFAULT_MAX_NODES, Audit, audit
from ._election import _format_amount, _strs
from ._rules import Decision, SelectionResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Overridden", "Override", "overridden"]


def _text_field(name: str, value: object) -> list[Problem]:
    if not isinstance(value, str) or not value.strip():
        return [Problem(name, f"must be a non-empty text, got {value!r}", f"say the {name}")]
    return []


@attrs.frozen(kw_only=True)
class Override:
    """One change a selection meeting made to a rule's outcome, with who, when and why.

    ``add`` only is an addition, ``remove`` only a removal, both a swap. ``over_budget``
    is the meeting's reason for spending more than the budget; without it an override
    that overspends is refused.

    Examples
    --------
    >>> import datetime as dt
    >>> o = Override(add=["i7"], remove=["i3"], reason="i7 serves the elders' flats",
    ...              author="Li Mei", as_of=dt.date(2024, 5, 8))
    >>> o.kind
    'swap'
    >>> print(o.sentence("zh"))
    Li Mei 于 2024-05-08 用 i7 替换了 i3：i7 serves the elders' flats
    """

    add: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    remove: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    reason: str
    author: str
    as_of: dt.date
    """The date of the meeting that decided it."""
    over_budget: str | None = None
    """Why the meeting may spend more than the budget (``None``: it may not)."""

    def __attrs_post_init__(self) -> None:
        problems = _text_field("reason", self.reason) + _text_field("author", self.author)
        if not isinstance(self.as_of, dt.date):  # type: ignore[redundant-expr,unused-ignore]
            problems.append(  # type: ignore[unreachable,unused-ignore]
                Problem("as_of", f"must be a date, got {self.as_of!r}", "datetime.date(2024, 5, 8)")
            )
        if self.over_budget is not None:
            problems += _text_field("over_budget", self.over_budget)
        if not self.add and not self.remove:
            problems.append(Problem("override", "changes nothing", "name ideas to add or remove"))
        for where, ids in (("add", self.add), ("remove", self.remove)):
            twice = sorted({p for p in ids if ids.count(p) > 1})
            if twice:
                problems.append(Problem(where, f"names {twice[0]!r} twice", "name it once"))
        both = [p for p in self.add if p in self.remove]
        if both:
            problems.append(
                Problem(f"idea {both[0]!r}", "is both added and removed", "name it once")
            )
        if problems:
            raise ValidationError(problems)

    @property
    def kind(self) -> str:
        """``"add"``, ``"remove"`` or ``"swap"``."""
        if self.add and self.remove:
            return "swap"
        return "add" if self.add else "remove"

    def sentence(self, lang: str = "en") -> str:
        """The change in plain words, in English or Chinese."""
        lang = check_lang(lang)
        sep = "、" if lang == "zh" else ", "
        out = text(
            f"selection.override.{self.kind}",
            lang,
            author=self.author,
            date=self.as_of.isoformat(),
            added=sep.join(self.add),
            removed=sep.join(self.remove),
            reason=self.reason,
        )
        if self.over_budget is not None:
            out += text("selection.override.over_budget", lang, why=self.over_budget)
        return out


@attrs.frozen(kw_only=True)
class Overridden:
    """A rule's outcome, the meeting's overrides, the final outcome and both audits.

    :func:`~vchuang.selection.apply_selection` given this record applies
    :attr:`final`.
    """

    algorithm: SelectionResult = attrs.field(repr=False)
    """What the rule chose."""
    final: SelectionResult = attrs.field(repr=False)
    """What the meeting decided: the rule's outcome with every override applied."""
    overrides: tuple[Override, ...]
    algorithm_audit: Audit | None = attrs.field(repr=False)
    """:func:`~vchuang.selection.audit` of :attr:`algorithm` (``None`` without
    approval ballots)."""
    final_audit: Audit | None = attrs.field(repr=False)
    """The same audit of :attr:`final`."""

    @property
    def added(self) -> tuple[str, ...]:
        """Ideas in the final outcome the rule did not choose."""
        return tuple(p for p in self.final.selected if p not in self.algorithm.selected)

    @property
    def removed(self) -> tuple[str, ...]:
        """Ideas the rule chose that the meeting removed."""
        return tuple(p for p in self.algorithm.selected if p not in self.final.selected)

    def changed(self) -> dict[str, tuple[bool | None, bool | None]]:
        """Audit answers the overrides changed: property → (algorithm's, final's)."""
        a, b = self.algorithm_audit, self.final_audit
        if a is None or b is None:
            return {}
        props = [*a.answers, "priceable", "exhaustive"]
        return {p: (a.holds(p), b.holds(p)) for p in props if a.holds(p) != b.holds(p)}

    def __repr__(self) -> str:
        money = _format_amount
        return (
            f"Overridden(rule={self.algorithm.rule!r}, overrides={len(self.overrides)}, "
            f"added={len(self.added)} {preview(self.added)}, removed={len(self.removed)} "
            f"{preview(self.removed)}, spent={money(self.final.spent, self.final.unit)!r}, "
            f"budget={money(self.final.budget, self.final.unit)!r}, "
            f"audit_changed={sorted(self.changed())[:SHOWN]})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (o.as_of.isoformat(), o.author, o.kind, ", ".join((*o.add, *o.remove)), o.reason)
            for o in self.overrides[:SHOWN]
        ]
        caption = (
            f"{self.algorithm.rule} overridden: +{len(self.added)} / -{len(self.removed)}, "
            f"{len(self.final.selected)} selected"
        )
        return html_table(caption, ("date", "author", "change", "ideas", "reason"), rows)

    def to_rows(self, lang: str = "en") -> list[dict[str, Any]]:
        """One row per override: date, author, kind, ideas added and removed, reason,
        and the sentence in ``lang``."""
        return [
            {
                "as_of": o.as_of,
                "author": o.author,
                "kind": o.kind,
                "add": o.add,
                "remove": o.remove,
                "reason": o.reason,
                "over_budget": o.over_budget,
                "sentence": o.sentence(lang),
            }
            for o in self.overrides
        ]

    def override(
        self,
        add: Iterable[str] = (),
        remove: Iterable[str] = (),
        *,
        reason: str,
        author: str,
        as_of: dt.date,
        over_budget: str | None = None,
    ) -> Overridden:
        """One more override on top of these (the algorithm's outcome is kept)."""
        change = _change(add, remove, reason, author, as_of, over_budget)
        return overridden(
            self.algorithm,
            *self.overrides,
            change,
            utility=self.final_audit.utility if self.final_audit else "cost",
        )

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """The audit of both outcomes side by side (see
        :func:`vchuang.plot.plot_audit`)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


def _apply(
    result: SelectionResult, changes: tuple[Override, ...]
) -> tuple[list[str], list[Problem]]:
    """The selection after ``changes`` in order, and every problem found on the way."""
    decisions = {d.proposal: d for d in result.decisions}
    cost = {d.proposal: d.cost for d in decisions.values()}
    known = list(decisions)
    chosen = list(result.selected)
    problems: list[Problem] = []
    for i, change in enumerate(changes, start=1):
        where = f"override {i}" if len(changes) > 1 else "override"
        bad = False
        for p in (*change.add, *change.remove):
            if p not in decisions:
                hint = f"name a proposal of this selection, e.g. {', '.join(known[:3])}"
                problems.append(Problem(f"{where}: idea {p!r}", "is not a proposal here", hint))
                bad = True
        if bad:
            continue
        for p in change.add:
            d = decisions[p]
            if p in chosen:
                problems.append(
                    Problem(f"{where}: idea {p!r}", "is already selected", "do not add it")
                )
            elif d.phase == "ineligible":
                problems.append(
                    Problem(
                        f"{where}: idea {p!r}",
                        f"was ineligible ({d.reason})",
                        "check eligibility again and select anew",
                    )
                )
        problems += [
            Problem(f"{where}: idea {p!r}", "was not selected", "remove only selected ideas")
            for p in change.remove
            if p not in chosen
        ]
        if problems:
            continue
        chosen = [p for p in chosen if p not in change.remove] + list(change.add)
        spent = sum(cost[p] for p in chosen)
        if spent > result.budget and change.over_budget is None:
            money = _format_amount
            problems.append(
                Problem(
                    f"{where}: adding {', '.join(repr(p) for p in change.add)}",
                    f"spends {money(spent, result.unit)}, over the budget of "
                    f"{money(result.budget, result.unit)}",
                    "remove another idea too, or pass over_budget='why the meeting may spend more'",
                )
            )
    return chosen, problems


def _final(
    result: SelectionResult, chosen: list[str], changes: tuple[Override, ...]
) -> SelectionResult:
    """``result`` with ``chosen`` selected, each changed decision giving its override."""
    why: dict[str, Override] = {}
    for change in changes:
        for p in (*change.add, *change.remove):
            why[p] = change
    order = {p: i + 1 for i, p in enumerate(chosen)}
    decisions: list[Decision] = []
    for d in result.decisions:
        if d.proposal in why and (d.proposal in order) != d.selected:
            decisions.append(
                attrs.evolve(
                    d,
                    selected=d.proposal in order,
                    order=order.get(d.proposal),
                    phase="override",
                    reason=why[d.proposal].sentence("en"),
                )
            )
        else:
            decisions.append(attrs.evolve(d, order=order.get(d.proposal)))
    cost = {d.proposal: d.cost for d in result.decisions}
    note = "; ".join(c.sentence("en") for c in changes)
    return attrs.evolve(
        result,
        selected=tuple(chosen),
        spent=sum(cost[p] for p in chosen),
        decisions=tuple(decisions),
        dropped_after={p: r for p, r in result.dropped_after.items() if p not in order},
        note=f"{result.note}; {note}" if result.note else note,
        overrides=(*result.overrides, *changes),
    )


def _audit_or_none(result: SelectionResult, utility: str, max_nodes: int) -> Audit | None:
    election = result.election
    if election is None or election.vote_type != "approval" or election.n_voters == 0:
        return None
    return audit(result, utility=utility, max_nodes=max_nodes)


def overridden(
    result: SelectionResult,
    *changes: Override,
    utility: str = "cost",
    max_nodes: int = _DEFAULT_MAX_NODES,
) -> Overridden:
    """Apply a selection meeting's overrides to a rule's outcome, and audit both.

    Parameters
    ----------
    result
        The outcome of :func:`~vchuang.selection.select` (the algorithm's outcome).
    *changes
        :class:`Override` records, applied in order (each one to the outcome the
        previous ones left).
    utility, max_nodes
        Passed to :func:`~vchuang.selection.audit` for both outcomes.

    Returns
    -------
    Overridden
        The algorithm's outcome, the final one (a :class:`SelectionResult` whose
        changed decisions have phase ``"override"`` and the override's sentence as
        their reason), the overrides and the audit of both outcomes (``None`` when the
        ballots are not approval ballots, or there are none).

    Raises
    ------
    ValidationError
        No change is given; an override names an idea that is not a proposal of the
        selection, adds a selected or ineligible one, removes one that was not
        selected, or spends more than the budget without ``over_budget``. Every
        problem is listed, each naming the idea.

    See Also
    --------
    SelectionResult.override : the same, for one override, from the outcome.
    apply_selection : make the final outcome's ideas projects of the graph.
    audit : the proportionality checks run on both outcomes.

    Notes
    -----
    The final outcome keeps the rule's order for the ideas it keeps and puts the added
    ones last. It is not the outcome of any rule, so
    :func:`~vchuang.selection.why_not_funded` explains :attr:`Overridden.algorithm`
    instead. Selections are not saved with the graph; an :class:`Override` is a plain
    record (text, IDs, a date) that the library's JSON converter writes and reads like
    any other.

    Examples
    --------
    >>> import datetime as dt
    >>> from vchuang.selection import Ballot, Election, select
    >>> e = Election(projects=["a", "b", "c"], costs=[60, 40, 40], budget=100,
    ...              ballots=[Ballot(voter=str(i), items=["a"]) for i in range(3)]
    ...                     + [Ballot(voter=f"y{i}", items=["b", "c"]) for i in range(2)],
    ...              unit="yuan")
    >>> r = select(e, rule="equal_shares", completion=None)
    >>> r.selected
    ('a', 'b')
    >>> o = overridden(r, Override(add=["c"], remove=["a"], reason="c is safer",
    ...                            author="panel", as_of=dt.date(2024, 5, 8)))
    >>> o.final.selected, o.algorithm_audit.holds("EJR"), o.final_audit.holds("EJR")
    (('b', 'c'), True, False)
    >>> print(o.final.explain("a"))
    panel swapped a for c on 2024-05-08: c is safer
    """
    if not changes:
        raise ValidationError(
            [Problem("changes", "no override given", "pass Override(add=..., remove=..., ...)")]
        )
    wrong = [c for c in changes if not isinstance(c, Override)]  # type: ignore[redundant-expr,unused-ignore]
    if wrong:
        raise ValidationError([Problem("changes", f"expected Override records, got {wrong[0]!r}")])
    chosen, problems = _apply(result, changes)
    if problems:
        raise ValidationError(problems)
    final = _final(result, chosen, changes)
    return Overridden(
        algorithm=result,
        final=final,
        overrides=tuple(changes),
        algorithm_audit=_audit_or_none(result, utility, max_nodes),
        final_audit=_audit_or_none(final, utility, max_nodes),
    )


def _override_method(
    result: SelectionResult,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    *,
    reason: str,
    author: str,
    as_of: dt.date,
    over_budget: str | None = None,
    utility: str = "cost",
) -> Overridden:
    change = _change(add, remove, reason, author, as_of, over_budget)
    return overridden(result, change, utility=utility)


def _change(
    add: Iterable[str],
    remove: Iterable[str],
    reason: str,
    author: str,
    as_of: dt.date,
    over_budget: str | None,
) -> Override:
    """The one :class:`Override` built from a method's arguments."""
    return Override(
        add=tuple(add),
        remove=tuple(remove),
        reason=reason,
        author=author,
        as_of=as_of,
        over_budget=over_budget,
    )
