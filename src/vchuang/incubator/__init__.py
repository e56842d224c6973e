"""The incubator: the standard process, each project's lifecycle, training and the
people's funnel.

Longgang's V创空间 made incubation a standard process in four steps: **seed selection**
(种子遴选) → **empowerment** (种子培力赋能) → **brand creation** (品牌创建) →
**resource linkage** (资源联动). This module keeps track of it:

* **Lifecycle.** An :class:`Incubator` wraps a :class:`~vchuang.graph.CommunityGraph`
  and moves projects through the stages of :class:`~vchuang.model.Stage` — idea,
  proposed, selected, the four steps, running, completed, sustained, or dropped —
  only when the checks of the move are met (:meth:`Incubator.move`). A refused move
  raises :class:`TransitionRefused` saying every reason, and changes nothing. Each
  move is an immutable :class:`Transition` (date, who, why); the history replays to
  any date (:meth:`Incubator.state_on`) and is stored as JSON
  (:meth:`Incubator.to_dict`), through the library's one JSON converter.
* **Policy.** The rules of the process -- the stages, each step's checklist and
  what entering each stage needs -- live together in one module (``_policy.py``).
* **Checklists.** Each step has a checklist (:func:`default_checklists`, after the
  case: coaching in plan design, funding application and reimbursement, running an
  activity, writing a press release, public speaking);
  :meth:`Incubator.blockers` says, in plain words, what stops a project.
* **People's path.** :func:`record_training` adds a training session and raises its
  attendees' skills and roles; :func:`funnel` counts engaged residents → talents →
  leaders → project leads, per community and month by month.
* **Resource linkage.** :func:`propose_links` proposes resources and organisations
  for open needs, at community, street and district level, nearest first, with
  reasons; :meth:`Incubator.accept` and :meth:`Incubator.reject` decide.
* **Pipeline.** :func:`pipeline` counts projects by stage per community.

Examples
--------
>>> import datetime as dt
>>> from vchuang import load_example, Project
>>> from vchuang.incubator import Incubator
>>> g = load_example()
>>> g.add(Project(id="pn-p4", name="Quiet stairwells", community="pingnan",
...               stage="empowerment", themes=["environment"]))
>>> _ = g.link("pn-r03", "leads", "pn-p4")
>>> inc = Incubator(g)
>>> for b in inc.blockers("pn-p4"):
...     print(b.reason)  # doctest: +ELLIPSIS
coaching in activity-plan design (种子培力赋能 checklist): no lead or co-lead has activity-plan design (basic or above) or attended a training in it
...
no lead is trained: no lead (pn-r03) attended a training (培训) or has every skill of the empowerment checklist
"""

from __future__ import annotations

from ._funnel import FUNNEL_LABELS, FUNNEL_STAGES, Funnel, FunnelPoint, funnel
from ._history import FORMAT, FORMAT_VERSION
from ._lifecycle import Incubator
from ._linkage import (
    HUB_COACHING,
    LEVELS,
    LinkDecision,
    LinkProposal,
    LinkProposals,
    OpenNeed,
    accept_link,
    propose_links,
)
from ._pipeline import PIPELINE_STAGES, Pipeline, pipeline
from ._policy import ORDER, STEPS, TRANSITIONS, default_checklists
from ._records import Brand, Check, ChecklistItem, Transition, TransitionRefused, Verdict
from ._training import RoleChange, SkillChange, Training, record_training

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "FUNNEL_LABELS",
    "FUNNEL_STAGES",
    "HUB_COACHING",
    "LEVELS",
    "ORDER",
    "PIPELINE_STAGES",
    "STEPS",
    "TRANSITIONS",
    "Brand",
    "Check",
    "ChecklistItem",
    "Funnel",
    "FunnelPoint",
    "Incubator",
    "LinkDecision",
    "LinkProposal",
    "LinkProposals",
    "OpenNeed",
    "Pipeline",
    "RoleChange",
    "SkillChange",
    "Training",
    "Transition",
    "TransitionRefused",
    "Verdict",
    "accept_link",
    "default_checklists",
    "funnel",
    "pipeline",
    "propose_links",
    "record_training",
]

# A refused move's traceback names the public path, not the private module.
TransitionRefused.__module__ = __name__


def __dir__() -> list[str]:
    return list(__all__)
