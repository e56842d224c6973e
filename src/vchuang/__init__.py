"""vchuang: community-governance incubators as one typed graph.

Residents, groups, organisations, self-governance projects, activities and resources of
an incubator such as Longgang's V创空间, in one :class:`CommunityGraph`, with the analyses
an incubator team and a researcher need.

>>> import vchuang
>>> g = vchuang.load_example()
>>> len(g.leaders()) > 0
True
"""

from importlib import resources as _resources

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
    "IntegrityError",
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
    "default_taxonomy",
    "dumps",
    "example_path",
    "load",
    "load_example",
    "loads",
    "save",
]


def example_path() -> str:
    """The path of the small example document shipped inside the package."""
    return str(_resources.files("vchuang") / "data" / "example.json")


def load_example() -> CommunityGraph:
    """The small example document shipped inside the package (one community of
    Pingnan's story), as a graph."""
    return load(example_path())
