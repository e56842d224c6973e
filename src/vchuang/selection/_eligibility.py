"""Eligibility of golden ideas: configurable rules with reasons (private)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import Problem, ValidationError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ._election import _format_amount

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..graph import CommunityGraph
    from ..model import Call, Proposal

__all__ = [
    "DEFAULT_RULES",
    "RULE_KINDS",
    "Eligibility",
    "EligibilityCheck",
    "EligibilityRule",
    "check_eligibility",
]

#: The kinds of eligibility rule (see :class:`EligibilityRule`).
RULE_KINDS = (
    "within_budget",
    "max_cost",
    "has_cost",
    "proposers_local",
    "targets_local",
    "themes_match",
    "submitted_in_window",
    "min_proposers",
    "custom",
)

Check = Callable[["CommunityGraph", "Call", "Proposal"], "str | None"]


@attrs.frozen(kw_only=True)
class EligibilityRule:
    """One eligibility rule of a call.

    ``kind`` is one of :data:`RULE_KINDS`:

    ``within_budget``
        The cost is at most the call's budget.
    ``max_cost``
        The cost is at most ``value`` fen.
    ``has_cost``
        The proposal states a cost above 0.
    ``proposers_local``
        Every proposer lives in the call's place (with ``value=n``: at least ``n`` do).
    ``targets_local``
        Every target segment is counted in the call's place, above it or everywhere.
    ``themes_match``
        When the call names themes, the proposal addresses at least one of them.
    ``submitted_in_window``
        Submitted between the call's opening and closing dates, inclusive (an
        undated proposal passes only with ``value=1``).
    ``min_proposers``
        At least ``value`` proposers (default 1).
    ``custom``
        ``check(graph, call, proposal)`` returns ``None`` to pass or the reason it fails;
        ``name`` labels the rule.

    Examples
    --------
    >>> EligibilityRule(kind="min_proposers", value=2).label
    'min_proposers'
    >>> EligibilityRule(kind="custom", name="has_plan",
    ...                 check=lambda g, c, p: None if p.description else "no plan").label
    'has_plan'
    """

    kind: str
    value: int | None = None
    name: str = ""
    check: Check | None = attrs.field(default=None, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValidationError(
                [
                    Problem(
                        "kind",
                        f"unknown rule kind {self.kind!r}",
                        f"use one of {', '.join(RULE_KINDS)}",
                    )
                ]
            )
        if self.kind == "custom" and (self.check is None or not self.name):
            raise ValidationError([Problem("check", "a custom rule needs `check` and `name`")])
        if self.kind == "max_cost" and self.value is None:
            raise ValidationError([Problem("value", "max_cost needs `value` (fen)")])

    @property
    def label(self) -> str:
        """The rule's name in reports."""
        return self.name or self.kind


#: The rules used when none are given: within budget, proposers local, target
#: segments local, themes match, submitted in the window, at least one proposer.
DEFAULT_RULES = (
    EligibilityRule(kind="within_budget"),
    EligibilityRule(kind="proposers_local"),
    EligibilityRule(kind="targets_local"),
    EligibilityRule(kind="themes_match"),
    EligibilityRule(kind="submitted_in_window"),
    EligibilityRule(kind="min_proposers", value=1),
)


@attrs.frozen(kw_only=True)
class EligibilityCheck:
    """The verdict on one proposal: each rule it passed or failed, with the reason."""

    proposal: str
    name: str
    eligible: bool
    failed: tuple[tuple[str, str], ...] = attrs.field(repr=False)
    """(rule, reason) for every rule it fails."""
    passed: tuple[tuple[str, str], ...] = attrs.field(repr=False)
    """(rule, reason) for every rule it passes."""

    def __repr__(self) -> str:
        return (
            f"EligibilityCheck(proposal={self.proposal!r}, eligible={self.eligible}, "
            f"failed={[rule for rule, _ in self.failed]!r})"
        )

    @property
    def reason(self) -> str:
        """One line: why it is (not) eligible."""
        if self.eligible:
            return "eligible: " + "; ".join(r for _, r in self.passed)
        return "not eligible: " + "; ".join(r for _, r in self.failed)


@attrs.frozen(kw_only=True)
class Eligibility:
    """Which proposals of a call are eligible, and why; see :func:`check_eligibility`."""

    call: str
    rules: tuple[str, ...]
    checks: tuple[EligibilityCheck, ...] = attrs.field(repr=False)

    def __repr__(self) -> str:
        bad = [c.proposal for c in self.checks if not c.eligible]
        return (
            f"Eligibility(call={self.call!r}, eligible={len(self.checks) - len(bad)} of "
            f"{len(self.checks)}, rules={len(self.rules)}, ineligible={preview(bad)})"
        )

    def _repr_html_(self) -> str:
        bad = [c for c in self.checks if not c.eligible]
        rows = [(c.proposal, c.name, c.failed[0][1] if c.failed else "") for c in bad[:SHOWN]]
        caption = (
            f"Eligibility for {self.call}: {len(self.checks) - len(bad)} of "
            f"{len(self.checks)} eligible"
        )
        return html_table(caption, ("ineligible", "name", "first reason"), rows)

    def eligible(self) -> tuple[str, ...]:
        """IDs of the eligible proposals, in graph order."""
        return tuple(c.proposal for c in self.checks if c.eligible)

    def ineligible(self) -> dict[str, str]:
        """Ineligible proposal → its reason."""
        return {c.proposal: c.reason for c in self.checks if not c.eligible}

    def __getitem__(self, proposal: str) -> EligibilityCheck:
        for c in self.checks:
            if c.proposal == proposal:
                return c
        raise KeyError(proposal)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per proposal: eligible, and each rule's verdict (True/False)."""
        rows = []
        for c in self.checks:
            failed = {rule for rule, _ in c.failed}
            row: dict[str, Any] = {"proposal": c.proposal, "name": c.name, "eligible": c.eligible}
            row.update({rule: rule not in failed for rule in self.rules})
            row["reason"] = c.reason
            rows.append(row)
        return rows

    def __str__(self) -> str:
        lines = [
            (
                f"Eligibility for call {self.call!r}: "
                f"{len(self.eligible())} of {len(self.checks)} eligible"
            )
        ]
        lines += [f"  {c.proposal}: {c.reason}" for c in self.checks]
        return "\n".join(lines)

    def plot(
        self, ax: Axes | None = None, *, lang: str = "en", names: Mapping[str, str] | None = None
    ) -> Axes:
        """A proposals × rules grid: green where a rule passes, red where it fails
        (see :func:`vchuang.plot.plot_eligibility`)."""
        out: Axes = plot(self, ax=ax, lang=lang, names=names)
        return out


def _inside(graph: CommunityGraph, place: str) -> set[str]:
    """The place and every place under it."""
    out = {place}
    kind = graph.kind_of(place)
    if kind in ("district", "subdistrict"):
        out |= {c.id for c in graph.communities_in(place)}
        if kind == "district":
            out |= {s.id for s in graph.subdistricts(place)}
    return out


def _run(rule: EligibilityRule, graph: CommunityGraph, call: Call, p: Proposal) -> tuple[bool, str]:
    from ..model import Resident, Segment

    money = _format_amount
    if rule.kind == "within_budget":
        if call.budget_fen <= 0:
            return True, "the call sets no budget"
        if p.cost_fen <= call.budget_fen:
            return True, (
                f"costs {money(p.cost_fen)}, within the call's budget {money(call.budget_fen)}"
            )
        return False, (
            f"costs {money(p.cost_fen)}, more than the call's whole budget {money(call.budget_fen)}"
        )
    if rule.kind == "max_cost":
        cap = int(rule.value or 0)
        if p.cost_fen <= cap:
            return True, f"costs {money(p.cost_fen)}, at most {money(cap)}"
        return False, f"costs {money(p.cost_fen)}, more than the {money(cap)} a proposal may ask"
    if rule.kind == "has_cost":
        if p.cost_fen > 0:
            return True, "states its cost"
        return False, "states no cost"
    if rule.kind == "proposers_local":
        inside = _inside(graph, call.place)
        outside = [r for r in p.proposers if graph.get(r, Resident).community not in inside]
        local = len(p.proposers) - len(outside)
        need = len(p.proposers) if rule.value is None else rule.value
        if local >= need and (rule.value is not None or not outside):
            return True, f"{local} of {len(p.proposers)} proposers live in {call.place}"
        if rule.value is None:
            return False, f"proposer {outside[0]} does not live in {call.place}"
        return False, f"only {local} proposers live in {call.place}, {need} needed"
    if rule.kind == "targets_local":
        inside = _inside(graph, call.place)
        above = set(graph.hierarchy(call.place))
        away = [
            s
            for s in p.target_segments
            if (place := graph.get(s, Segment).place) is not None
            and place not in inside
            and place not in above
        ]
        if away:
            return False, f"targets segment {away[0]}, counted outside {call.place}"
        return True, "its target segments are counted here"
    if rule.kind == "themes_match":
        if not call.themes:
            return True, "the call accepts any theme"
        common = [t for t in p.themes if t in call.themes]
        if common:
            return True, f"addresses the call's theme {common[0]}"
        return False, f"addresses none of the call's themes ({', '.join(call.themes)})"
    if rule.kind == "submitted_in_window":
        if p.submitted is None:
            if rule.value:
                return True, "undated, accepted"
            return False, "has no submission date"
        if call.opens is not None and p.submitted < call.opens:
            return False, f"submitted {p.submitted}, before the call opened on {call.opens}"
        if call.closes is not None and p.submitted > call.closes:
            return False, f"submitted {p.submitted}, after the call closed on {call.closes}"
        return True, f"submitted {p.submitted}, while the call was open"
    if rule.kind == "min_proposers":
        need = 1 if rule.value is None else rule.value
        if len(p.proposers) >= need:
            return True, f"{len(p.proposers)} proposer(s), at least {need}"
        return False, f"{len(p.proposers)} proposer(s), fewer than the {need} required"
    check = rule.check
    if check is None:  # pragma: no cover - refused when the rule is made
        raise ValidationError([Problem("check", "a custom rule needs `check`")])
    reason = check(graph, call, p)
    if reason is None:
        return True, f"passes {rule.label}"
    return False, str(reason)


def check_eligibility(
    graph: CommunityGraph,
    call: str,
    *,
    rules: Iterable[EligibilityRule] = DEFAULT_RULES,
) -> Eligibility:
    """Check every proposal of a call against eligibility rules, with reasons.

    Parameters
    ----------
    graph
        The community graph.
    call
        The call's ID.
    rules
        The rules (default :data:`DEFAULT_RULES`); a proposal is eligible when it passes
        all of them.

    Returns
    -------
    Eligibility
        Per proposal: eligible or not, and each rule's reason. Reasons name residents
        by ID only.

    Raises
    ------
    UnknownEntityError
        No such call.
    ValidationError
        ``call`` is not a call.

    See Also
    --------
    score : score the eligible proposals.
    select : choose proposals to fund, by a rule.
    compare_rules : several rules on the same election.
    vchuang.selection.Eligibility.plot : a proposals × rules grid of passes and failures.

    Examples
    --------
    >>> from vchuang.datasets import longgang_pilot
    >>> g = longgang_pilot()
    >>> call = g.calls("heao")[0].id
    >>> e = check_eligibility(g, call)
    >>> len(e.eligible()) <= len(g.proposals(call))
    True
    >>> e.checks[0].failed or e.checks[0].passed[0][0]
    'within_budget'
    """
    from ..model import Call, Proposal

    record = graph.get(call, Call)
    rules = tuple(rules)
    checks = []
    for p in graph.proposals(call):
        proposal = graph.get(p.id, Proposal)
        failed: list[tuple[str, str]] = []
        passed: list[tuple[str, str]] = []
        for rule in rules:
            ok, why = _run(rule, graph, record, proposal)
            (passed if ok else failed).append((rule.label, why))
        checks.append(
            EligibilityCheck(
                proposal=p.id,
                name=p.name,
                eligible=not failed,
                failed=tuple(failed),
                passed=tuple(passed),
            )
        )
    return Eligibility(call=call, rules=tuple(r.label for r in rules), checks=tuple(checks))
