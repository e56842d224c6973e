"""Golden-idea calls (金点子) and project selection meetings (项目征选会).

A community's service centre opens a :class:`~vchuang.model.Call` for golden ideas;
residents (children included) send :class:`~vchuang.model.Proposal` records; a
selection meeting checks them, scores them and chooses which to incubate. This module
follows those steps:

1. :func:`check_eligibility` — configurable :class:`EligibilityRule` records (within
   budget, proposers local, themes match, submitted while the call was open …), each
   verdict with its reason;
2. :func:`score` — a judges' :class:`Rubric` of weighted :class:`Criterion` records,
   with per-judge normalisation (z-scores, min–max or an additive judge-bias model),
   and residents' :class:`Votes` (approval, points or rankings), combined by a stated
   formula into :class:`Scores`;
3. :func:`select` — a rule (:data:`RULES`: ``top_k``, ``greedy``, ``knapsack``,
   ``equal_shares``, ``approval_greedy``) under a budget, with minimum-vote
   thresholds, incompatible proposals and :class:`Quota` records; deterministic
   tie-breaking by ID, and a reason for every proposal in the :class:`SelectionResult`;
   :func:`compare_rules` sets rules side by side;
4. :func:`audit` and :func:`why_not_funded` — is the outcome proportional (EJR, PJR,
   priceability), and what did each unfunded idea lack;
5. :meth:`SelectionResult.override` / :func:`overridden` — the meeting's recorded
   changes (add, remove, swap, with reason, author and date), with the audit of the
   rule's outcome and of the final one;
6. :func:`apply_selection` — the selected ideas (the final ones, after overrides) become
   projects at stage ``selected``, led by their proposers.

Every rule also runs on an :class:`Election` built directly or from a Pabulib file
(:meth:`Election.from_pabulib`; see :mod:`vchuang.io.pabulib`), so that real
participatory-budgeting elections can be analysed and our rules checked against other
implementations.

Examples
--------
>>> from vchuang.selection import Ballot, Election, select
>>> e = Election(projects=["bench", "lamp", "mural"], costs=[300, 500, 400], budget=800,
...              ballots=[Ballot(voter="r1", items=["lamp", "mural"]),
...                       Ballot(voter="r2", items=["lamp"]),
...                       Ballot(voter="r3", items=["bench"])], unit="yuan")
>>> r = select(e, rule="approval_greedy")
>>> r.selected, r.spent
(('lamp', 'bench'), 800)
>>> print(r.explain("mural"))
ran out of budget: costs 400 yuan, but only 0 yuan remained after 'bench'
"""

from __future__ import annotations

from ._apply import Applied, apply_selection
from ._audit import PROPERTIES, Audit, PriceSystem, Violation, audit
from ._election import VOTE_KINDS, Ballot, Election, format_money
from ._eligibility import (
    DEFAULT_RULES,
    RULE_KINDS,
    Eligibility,
    EligibilityCheck,
    EligibilityRule,
    check_eligibility,
)
from ._explain import Shortfall, WhyNot, why_not_funded
from ._override import Overridden, Override, overridden
from ._rules import (
    COMPLETIONS,
    RULES,
    Comparison,
    Decision,
    Quota,
    SelectionResult,
    Tie,
    compare,
    compare_rules,
    select,
)
from ._scoring import (
    DEFAULT_RUBRIC,
    NORMALISATIONS,
    Criterion,
    JudgeBias,
    JudgeScore,
    ProposalScore,
    Rubric,
    Scores,
    Votes,
    score,
)

__all__ = [
    "COMPLETIONS",
    "DEFAULT_RUBRIC",
    "DEFAULT_RULES",
    "NORMALISATIONS",
    "PROPERTIES",
    "RULES",
    "RULE_KINDS",
    "VOTE_KINDS",
    "Applied",
    "Audit",
    "Ballot",
    "Comparison",
    "Criterion",
    "Decision",
    "Election",
    "Eligibility",
    "EligibilityCheck",
    "EligibilityRule",
    "JudgeBias",
    "JudgeScore",
    "Overridden",
    "Override",
    "PriceSystem",
    "ProposalScore",
    "Quota",
    "Rubric",
    "Scores",
    "SelectionResult",
    "Shortfall",
    "Tie",
    "Violation",
    "Votes",
    "WhyNot",
    "apply_selection",
    "audit",
    "check_eligibility",
    "compare",
    "compare_rules",
    "format_money",
    "overridden",
    "score",
    "select",
    "why_not_funded",
]


def __dir__() -> list[str]:
    return list(__all__)
