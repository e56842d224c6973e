"""vchuang: community-governance incubators as one typed graph.

Residents, groups, organisations, self-governance projects, activities and resources of
an incubator such as Longgang's V创空间, in one :class:`CommunityGraph`, with the analyses
an incubator team and a researcher need.

>>> import vchuang
>>> g = vchuang.load_example()
>>> len(g.leaders()) > 0
True
"""

import importlib as _importlib
from importlib import resources as _resources
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    FormatError,
    IntegrityError,
    MissingDependencyError,
    Problem,
    UnknownEntityError,
    ValidationError,
    VchuangError,
)
from .graph import CommunityGraph, GraphIndex, Summary
from .io import dumps, load, loads, save
from .model import (
    Activity,
    ActivityKind,
    AgeBand,
    Call,
    Community,
    District,
    Group,
    Level,
    Link,
    Metadata,
    Need,
    Organization,
    OrgKind,
    Project,
    Proposal,
    Relation,
    Resident,
    Resource,
    ResourceKind,
    Role,
    Segment,
    Skill,
    SkillLevel,
    SkillTaxonomy,
    Stage,
    Subdistrict,
    default_taxonomy,
)

__all__ = [
    "Activity",
    "ActivityKind",
    "AgeBand",
    "Call",
    "Community",
    "CommunityGraph",
    "District",
    "FormatError",
    "GraphIndex",
    "Group",
    "Incubator",
    "IntegrityError",
    "Ledger",
    "Level",
    "Link",
    "Metadata",
    "MissingDependencyError",
    "Need",
    "OrgKind",
    "Organization",
    "Problem",
    "Project",
    "Proposal",
    "Relation",
    "Resident",
    "Resource",
    "ResourceKind",
    "Role",
    "Segment",
    "Skill",
    "SkillLevel",
    "SkillTaxonomy",
    "Stage",
    "Subdistrict",
    "Summary",
    "UnknownEntityError",
    "ValidationError",
    "VchuangError",
    "__version__",
    "best_next",
    "choose_seeds",
    "datasets",
    "default_taxonomy",
    "diffusion",
    "dumps",
    "example_path",
    "funding",
    "incubator",
    "indicators",
    "key_players",
    "load",
    "load_example",
    "loads",
    "match",
    "matching",
    "plot",
    "privacy",
    "pseudonymize",
    "rank_talents",
    "reach",
    "reach_report",
    "redact",
    "report",
    "save",
    "select",
    "selection",
    "simulate",
    "surface",
    "sustainability",
    "talent",
]


# Analysis modules are imported on first use, so that `import vchuang` stays fast; their
# main functions are also reachable from here (`vchuang.reach_report` ...).
_SUBMODULES = (
    "datasets",
    "diffusion",
    "funding",
    "incubator",
    "indicators",
    "matching",
    "plot",
    "privacy",
    "reach",
    "report",
    "selection",
    "talent",
)
_LAZY: dict[str, str] = {
    "choose_seeds": "diffusion",
    "simulate": "diffusion",
    "redact": "privacy",
    "pseudonymize": "privacy",
    "select": "selection",
    "match": "matching",
    "best_next": "reach",
    "reach_report": "reach",
    "surface": "reach",
    "Incubator": "incubator",
    "key_players": "talent",
    "rank_talents": "talent",
    "Ledger": "funding",
    "sustainability": "funding",
}

if TYPE_CHECKING:
    from . import funding, indicators, plot
    from .diffusion import choose_seeds, simulate
    from .funding import Ledger, sustainability
    from .incubator import Incubator
    from .matching import match
    from .privacy import pseudonymize, redact
    from .reach import best_next, reach_report, surface
    from .selection import select
    from .talent import key_players, rank_talents


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return _importlib.import_module(f".{name}", __name__)
    if name in _LAZY:
        module = _importlib.import_module(f".{_LAZY[name]}", __name__)
        return getattr(module, name)
    msg = f"module 'vchuang' has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted({*globals(), *_SUBMODULES, *_LAZY})


def example_path() -> str:
    """The path of the small example document shipped inside the package."""
    return str(_resources.files("vchuang") / "data" / "example.json")


def load_example() -> CommunityGraph:
    """The small example document shipped inside the package (one community of
    Pingnan's story), as a graph."""
    return load(example_path())
