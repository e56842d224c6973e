"""The records of a community-governance incubator.

Places form the 区–街道–社区 hierarchy (:class:`District` → :class:`Subdistrict` →
:class:`Community`). People are :class:`Resident` records; they form :class:`Group`
records and :class:`Organization` records, lead and volunteer in self-governance
:class:`Project` records (the "lines" of point–line–surface), which hold
:class:`Activity` records and have :class:`Need` records. :class:`Resource` records
(venues, materials, money, expertise) are provided by organisations or residents.
Audience :class:`Segment` records (elders, children, migrant families …) say whom a
project serves. Golden-idea calls are :class:`Call` records collecting
:class:`Proposal` records. Relations that are not a field of a record (who knows whom,
who leads which project …) are :class:`Link` records.

Every record is frozen, keyword-only and validated when it is made; references to other
records are IDs, never objects; collections are tuples. Records know nothing of the
graph: :class:`vchuang.graph.CommunityGraph` checks that references resolve.

Examples
--------
>>> from vchuang.model import Resident, Role, Level
>>> r = Resident(id="r1", name="Chen Wei", community="pingnan",
...              skills={"graphic_design": Level.ADVANCED}, roles=[Role.LEADER],
...              hours_per_week=6)
>>> r.skill_level("graphic_design")
<Level.ADVANCED: 3>
>>> import datetime as dt
>>> r.minor_on(dt.date(2019, 9, 21))
False
>>> Resident(id="r2", name="", community="pingnan")
Traceback (most recent call last):
...
vchuang.errors.ValidationError: name: must be non-empty text, got ''
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar, TypeAlias

import attrs

from . import _validators as v
from .errors import Problem, ValidationError
from .kernel.text import text

__all__ = [
    "KIND_PLURALS",
    "LINK_KINDS",
    "PLACE_KINDS",
    "REFERENCES",
    "THEMES",
    "Activity",
    "ActivityKind",
    "AgeBand",
    "Call",
    "Community",
    "District",
    "Entity",
    "Group",
    "Level",
    "Link",
    "Metadata",
    "Need",
    "OrgKind",
    "Organization",
    "Project",
    "Proposal",
    "Reference",
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
    "default_taxonomy",
    "entity_kinds",
    "link_key",
]


# --------------------------------------------------------------------------- enums


class _Labelled(enum.Enum):
    """An enum whose members have English and Chinese labels (in the text catalogue,
    ``model.<Enum>.<value>``), and that accepts what users type for a value: any case,
    spaces or hyphens for underscores, and American or British spelling
    (``"Organized"``, ``"organised"``)."""

    def label(self, lang: str = "en") -> str:
        """The member's label in ``lang`` (``"en"`` or ``"zh"``).

        >>> Stage.EMPOWERMENT.label("zh"), Stage.EMPOWERMENT.label()
        ('种子培力赋能', 'empowerment')
        """
        return text(f"model.{type(self).__name__}.{self.value}", lang)

    @classmethod
    def _missing_(cls, value: object) -> enum.Enum | None:
        if not isinstance(value, str):
            return None
        wanted = _spelling_key(value)
        for member in cls:
            if _spelling_key(str(member.value)) == wanted:
                return member
        return None


#: American spellings users may type, and the British spelling the library's values use.
_SPELLINGS = (("organiz", "organis"), ("color", "colour"), ("center", "centre"))


def _spelling_key(value: str) -> str:
    """``value`` in lower case with ``_`` for spaces and hyphens, in British spelling."""
    key = "_".join(value.strip().lower().replace("-", " ").split())
    for american, british in _SPELLINGS:
        key = key.replace(american, british)
    return key


class Role(_Labelled):
    """What a resident does in community affairs (a resident may hold several)."""

    VOLUNTEER = "volunteer"
    """Engaged resident (热心居民 / 志愿者): takes part in community affairs."""
    TALENT = "talent"
    """Community talent (能人) spotted by social workers, not yet leading."""
    LEADER = "leader"
    """Community leader (社区领袖): leads projects; a "point" of point–line–surface."""
    SOCIAL_WORKER = "social_worker"
    """Professional staff (社工) who coach residents."""
    STAFF = "staff"
    """Staff of a service centre, street office or hub."""


class Stage(_Labelled):
    """Where a project stands, from idea to sustained (see the incubator's process)."""

    IDEA = "idea"
    PROPOSED = "proposed"
    SELECTED = "selected"
    SEED_SELECTION = "seed_selection"
    EMPOWERMENT = "empowerment"
    BRANDING = "branding"
    RESOURCE_LINKAGE = "resource_linkage"
    RUNNING = "running"
    COMPLETED = "completed"
    SUSTAINED = "sustained"
    DROPPED = "dropped"


class ActivityKind(_Labelled):
    """What kind of dated event an :class:`Activity` is."""

    MOBILISATION = "mobilisation"
    SELECTION_MEETING = "selection_meeting"
    VOLUNTEER_MEETING = "volunteer_meeting"
    OUTREACH = "outreach"
    TRAINING = "training"
    SERVICE = "service"
    OTHER = "other"


class OrgKind(_Labelled):
    """What kind of body an :class:`Organization` is."""

    HUB = "hub"
    """A social innovation centre (社会创新中心): the district hub or a street centre."""
    SERVICE_CENTRE = "service_centre"
    """A community's Party–mass service centre (党群服务中心)."""
    SOCIAL_ORGANISATION = "social_organisation"
    """A community social organisation (社区社会组织)."""
    GOVERNMENT = "government"
    FUND = "fund"
    """A charity fund or one of its branches."""
    COMPANY = "company"
    OTHER = "other"


class ResourceKind(_Labelled):
    """What a :class:`Resource` offers."""

    VENUE = "venue"
    MATERIALS = "materials"
    MONEY = "money"
    EXPERTISE = "expertise"
    PARTNER = "partner"


class AgeBand(_Labelled):
    """Age bands used instead of birth dates in published output."""

    CHILD = "child"
    """0–12"""
    TEEN = "teen"
    """13–17"""
    YOUTH = "youth"
    """18–34"""
    ADULT = "adult"
    """35–59"""
    ELDER = "elder"
    """60 and over"""

    @property
    def minor(self) -> bool:
        """Whether people in this band are under 18."""
        return self in (AgeBand.CHILD, AgeBand.TEEN)

    @classmethod
    def from_age(cls, age: int) -> AgeBand:
        """The band of a person aged ``age`` (whole years).

        >>> AgeBand.from_age(11), AgeBand.from_age(60)
        (<AgeBand.CHILD: 'child'>, <AgeBand.ELDER: 'elder'>)
        """
        if age < 0:
            msg = f"age must be >= 0, got {age}"
            raise ValueError(msg)
        for upper, band in ((12, cls.CHILD), (17, cls.TEEN), (34, cls.YOUTH), (59, cls.ADULT)):
            if age <= upper:
                return band
        return cls.ELDER


class Level(enum.IntEnum):
    """How well a resident masters a skill; a need asks for a minimum level."""

    BASIC = 1
    INTERMEDIATE = 2
    ADVANCED = 3
    EXPERT = 4


class Relation(_Labelled):
    """The typed relations of the community graph.

    Relations marked *derived* come from a record's own fields (a resident's
    ``community``, an activity's ``attendees`` …) and are kept in step by the graph;
    the others are added as :class:`Link` records.
    """

    # explicit relations (Link records)
    KNOWS = "knows"
    """Resident – resident social tie (symmetric); ``weight`` is its strength."""
    MEMBER_OF = "member_of"
    """Resident → group or organisation."""
    LEADS = "leads"
    """Resident → project, group or organisation."""
    CO_LEADS = "co_leads"
    """Resident → project."""
    VOLUNTEERS_IN = "volunteers_in"
    """Resident → project; ``hours`` a week."""
    SUPPORTS = "supports"
    """Organisation → project or group (incubates, coaches, hosts)."""
    FUNDS = "funds"
    """Organisation → project or organisation."""
    LINKED_TO = "linked_to"
    """Resource → project (resource linkage, 资源联动)."""
    # derived relations (record fields)
    PART_OF = "part_of"
    """Derived: subdistrict → district, community → subdistrict, activity → project."""
    LOCATED_IN = "located_in"
    """Derived: an entity → the place it belongs to."""
    IN_SEGMENT = "in_segment"
    """Derived: resident → segment."""
    TARGETS = "targets"
    """Derived: project or proposal → segment."""
    ORGANISED = "organised"
    """Derived: resident → activity."""
    ATTENDED = "attended"
    """Derived: resident → activity."""
    PROVIDES = "provides"
    """Derived: organisation or resident → resource."""
    PROPOSED = "proposed"
    """Derived: resident → proposal."""
    SUBMITTED_TO = "submitted_to"
    """Derived: proposal → call."""
    BECAME = "became"
    """Derived: proposal → the project it became."""
    RUNS = "runs"
    """Derived: organisation → call."""

    @property
    def derived(self) -> bool:
        """Whether this relation comes from record fields rather than :class:`Link`."""
        return self not in _EXPLICIT

    @property
    def symmetric(self) -> bool:
        """Whether ``a → b`` and ``b → a`` are the same relation."""
        return self is Relation.KNOWS

    # Members are singletons compared by identity, so the identity hash agrees with
    # equality; it is computed in C, which matters for the graph's millions of keys.
    __hash__ = object.__hash__


_EXPLICIT = frozenset(
    {
        Relation.KNOWS,
        Relation.MEMBER_OF,
        Relation.LEADS,
        Relation.CO_LEADS,
        Relation.VOLUNTEERS_IN,
        Relation.SUPPORTS,
        Relation.FUNDS,
        Relation.LINKED_TO,
    }
)

#: Known themes (pain points, 痛点) with English and Chinese labels. Projects may use
#: other theme strings too; these are the ones reports can label.
THEMES: Mapping[str, tuple[str, str]] = {
    "high_altitude_throwing": ("throwing objects from height", "高空抛物"),
    "anti_fraud": ("anti-fraud", "反诈骗"),
    "dog_ownership": ("civilised dog ownership", "文明养犬"),
    "traffic_safety": ("traffic safety", "交通安全"),
    "elder_culture": ("elders' cultural integration", "长者文化共融"),
    "safety_patrol": ("safety patrol", "平安巡逻"),
    "home_safety": ("home safety", "居家安全"),
    "youth_safety": ("youth life safety", "青少年生命安全"),
    "mental_health": ("mental health", "心理健康"),
    "migrant_children": ("children of migrant builders", "来深建设者子女"),
    "environment": ("clean environment", "环境卫生"),
    "intergenerational": ("three generations together", "三代共融"),
}


_as_enum = v.enum_value


def _stage(value: Stage | str) -> Stage:
    return _as_enum(Stage, value, "stage")


def _activity_kind(value: ActivityKind | str) -> ActivityKind:
    return _as_enum(ActivityKind, value, "activity_kind")


def _org_kind(value: OrgKind | str) -> OrgKind:
    return _as_enum(OrgKind, value, "org_kind")


def _resource_kind(value: ResourceKind | str) -> ResourceKind:
    return _as_enum(ResourceKind, value, "resource_kind")


def _need_resource(value: ResourceKind | str | None) -> ResourceKind | None:
    return None if value is None else _as_enum(ResourceKind, value, "resource")


def _age_band(value: AgeBand | str | None) -> AgeBand | None:
    return None if value is None else _as_enum(AgeBand, value, "age_band")


# --------------------------------------------------------------------------- skills


def _synonyms(value: Iterable[str]) -> tuple[str, ...]:
    return v.to_ids(value)


@attrs.frozen(kw_only=True)
class Skill:
    """One skill of a :class:`SkillTaxonomy`: an ID, labels, a parent, synonyms."""

    id: str = attrs.field(validator=v.entity_id)
    en: str = attrs.field(validator=v.name)
    zh: str = attrs.field(default="", validator=v.text)
    parent: str | None = attrs.field(default=None, validator=v.optional_id)
    synonyms: tuple[str, ...] = attrs.field(default=(), converter=_synonyms)


def _skill_tuple(value: Iterable[Skill]) -> tuple[Skill, ...]:
    return tuple(value)


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").replace("-", " ").split())


@attrs.frozen(kw_only=True)
class SkillTaxonomy:
    """A tree of skills with English and Chinese labels and synonyms.

    A need for a skill is fully met by that skill or a more specific one (a descendant),
    partly by a parent or sibling; :meth:`distance` gives the steps between two skills.

    Examples
    --------
    >>> tax = default_taxonomy()
    >>> tax.resolve("广告设计"), tax.parent("graphic_design")
    ('graphic_design', 'design')
    >>> tax.is_a("press_release", "writing")
    True
    >>> tax.suggest("grafic design")
    'graphic_design'
    """

    skills: tuple[Skill, ...] = attrs.field(converter=_skill_tuple)
    _by_id: dict[str, Skill] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _children: dict[str, tuple[str, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )
    _names: dict[str, str] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems: list[Problem] = []
        by_id: dict[str, Skill] = {}
        items: tuple[object, ...] = self.skills
        for i, skill in enumerate(items):
            if not isinstance(skill, Skill):
                problems.append(Problem.said(f"skills[{i}]", "model.check.not_skill"))
            elif skill.id in by_id:
                problems.append(
                    Problem.said(f"skills[{i}]", "model.check.skill_twice", id=skill.id)
                )
            else:
                by_id[skill.id] = skill
        children: dict[str, list[str]] = {s: [] for s in by_id}
        for skill in by_id.values():
            if skill.parent is None:
                continue
            if skill.parent not in by_id:
                problems.append(
                    Problem.said(
                        f"skill {skill.id!r}.parent",
                        "model.check.no_parent",
                        "model.check.hint_parent",
                        parent=skill.parent,
                    )
                )
            else:
                children[skill.parent].append(skill.id)
        for skill in by_id.values():  # cycles
            seen = {skill.id}
            parent = skill.parent
            while parent is not None and parent in by_id:
                if parent in seen:
                    problems.append(Problem.said(f"skill {skill.id!r}.parent", "model.check.cycle"))
                    break
                seen.add(parent)
                parent = by_id[parent].parent
        if problems:
            raise ValidationError(problems)
        names: dict[str, str] = {}
        for skill in by_id.values():
            for name in (skill.id, skill.en, skill.zh, *skill.synonyms):
                if name:
                    names.setdefault(_norm(name), skill.id)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_children", {k: tuple(c) for k, c in children.items()})
        object.__setattr__(self, "_names", names)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._by_id

    def __getitem__(self, skill_id: str) -> Skill:
        return self._by_id[skill_id]

    def __iter__(self) -> Iterator[Skill]:
        return iter(self.skills)

    def __len__(self) -> int:
        return len(self.skills)

    def parent(self, skill_id: str) -> str | None:
        """The parent of a skill, ``None`` for a root."""
        return self._by_id[skill_id].parent

    def children(self, skill_id: str) -> tuple[str, ...]:
        """The direct children of a skill."""
        return self._children[skill_id]

    def ancestors(self, skill_id: str) -> tuple[str, ...]:
        """The parents of a skill up to its root, nearest first."""
        out: list[str] = []
        parent = self._by_id[skill_id].parent
        while parent is not None:
            out.append(parent)
            parent = self._by_id[parent].parent
        return tuple(out)

    def descendants(self, skill_id: str) -> tuple[str, ...]:
        """Every skill below ``skill_id``, depth first in taxonomy order."""
        out: list[str] = []
        stack = list(reversed(self._children[skill_id]))
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self._children[node]))
        return tuple(out)

    def is_a(self, specific: str, general: str) -> bool:
        """Whether ``specific`` is ``general`` or lies below it."""
        return specific == general or general in self.ancestors(specific)

    def distance(self, a: str, b: str) -> int:
        """Number of tree edges between two skills (siblings are 2 apart).

        Skills under different roots are joined through a virtual root above all roots:
        two roots are 2 apart (like siblings), a root's child and another root 3.
        """
        path_a = (a, *self.ancestors(a))
        path_b = (b, *self.ancestors(b))
        depth_b = {s: i for i, s in enumerate(path_b)}
        for i, s in enumerate(path_a):
            if s in depth_b:
                return i + depth_b[s]
        return len(path_a) + len(path_b)

    def label(self, skill_id: str, lang: str = "en") -> str:
        """A skill's label in ``lang`` (``"en"`` or ``"zh"``), its ID if unknown."""
        skill = self._by_id.get(skill_id)
        if skill is None:
            return skill_id
        return (skill.zh or skill.en) if lang == "zh" else skill.en

    def resolve(self, text: str) -> str | None:
        """The ID of the skill named ``text`` (ID, English or Chinese label, synonym;
        case and spacing ignored), or ``None``."""
        return self._names.get(_norm(text))

    def suggest(self, text: str) -> str | None:
        """The ID of the known skill whose name is nearest to ``text``, or ``None``."""
        found = self.resolve(text)
        if found is not None:
            return found
        close = difflib.get_close_matches(_norm(text), list(self._names), n=1, cutoff=0.6)
        return self._names[close[0]] if close else None

    def extend(self, skills: Iterable[Skill]) -> SkillTaxonomy:
        """A new taxonomy with ``skills`` added (after the existing ones)."""
        return SkillTaxonomy(skills=(*self.skills, *skills))


def _s(id: str, en: str, zh: str, parent: str | None = None, *syn: str) -> Skill:
    return Skill(id=id, en=en, zh=zh, parent=parent, synonyms=syn)


_DEFAULT_SKILLS = (
    _s("communication", "communication", "沟通表达"),
    _s("public_speaking", "public speaking", "公众演讲", "communication", "演讲", "主持"),
    _s("writing", "writing", "写作", "communication", "文案"),
    _s("press_release", "press release writing", "新闻稿写作", "writing", "新闻稿", "宣传稿"),
    _s("publicity", "publicity", "宣传推广", "communication", "宣传"),
    _s("design", "design", "设计"),
    _s("graphic_design", "graphic design", "平面设计", "design", "advertising design", "广告设计"),
    _s("photography", "photography", "摄影", "design", "拍照"),
    _s("video", "video making", "视频制作", "design", "剪辑"),
    _s("organising", "organising", "组织策划"),
    _s("event_organising", "event organising", "活动组织", "organising", "活动执行"),
    _s("plan_design", "activity-plan design", "活动方案设计", "organising", "方案设计", "策划"),
    _s("volunteer_coordination", "volunteer coordination", "志愿者协调", "organising"),
    _s("finance", "finance", "财务"),
    _s("bookkeeping", "bookkeeping", "记账", "finance", "会计"),
    _s("funding_application", "funding application", "经费申请", "finance", "申请经费"),
    _s("reimbursement", "reimbursement", "经费报销", "finance", "报销"),
    _s("fundraising", "fundraising", "筹款", "finance", "募捐"),
    _s("education", "education", "教育"),
    _s("child_safety_education", "child safety education", "儿童安全教育", "education"),
    _s("traffic_safety_education", "traffic safety education", "交通安全教育", "education"),
    _s("life_safety_education", "life safety education", "生命安全教育", "education"),
    _s("tutoring", "tutoring", "课业辅导", "education", "辅导"),
    _s("care", "care", "照护"),
    _s("elder_care", "elder care", "长者照护", "care", "养老"),
    _s("child_care", "child care", "儿童照护", "care", "托管"),
    _s("counselling", "counselling", "心理咨询", "care", "心理辅导", "mental health"),
    _s("safety", "safety", "安全"),
    _s("patrol", "safety patrol", "安全巡逻", "safety", "巡逻"),
    _s("first_aid", "first aid", "急救", "safety"),
    _s("fire_safety", "fire safety", "消防安全", "safety", "消防"),
    _s("law", "law", "法律"),
    _s("anti_fraud", "anti-fraud education", "反诈宣传", "law", "反诈骗", "防诈骗"),
    _s("mediation", "mediation", "纠纷调解", "law", "调解"),
    _s("technology", "information technology", "信息技术", None, "IT"),
    _s("it_support", "computer and network help", "电脑网络", "technology", "电脑"),
    _s("social_media", "social media", "新媒体运营", "technology", "公众号", "新媒体"),
    _s("arts", "arts", "文艺"),
    _s("performance", "performance", "文艺表演", "arts", "唱歌", "跳舞"),
    _s("calligraphy", "calligraphy", "书法", "arts"),
    _s("crafts", "crafts", "手工", "arts"),
    _s("pet_care", "pet care and dog training", "宠物照护", None, "养犬", "dog training"),
)

_DEFAULT_TAXONOMY = SkillTaxonomy(skills=_DEFAULT_SKILLS)


def default_taxonomy() -> SkillTaxonomy:
    """The skills the Longgang case needs: design, writing, public speaking, event
    organising, funding application and reimbursement, child safety education, elder
    care, counselling, anti-fraud, photography, IT and more (see the docs)."""
    return _DEFAULT_TAXONOMY


# --------------------------------------------------------------------------- places


@attrs.frozen(kw_only=True)
class District:
    """A district (区), the top of the place hierarchy, e.g. Longgang."""

    kind: ClassVar[str] = "district"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)


@attrs.frozen(kw_only=True)
class Subdistrict:
    """A subdistrict or street (街道) inside a district."""

    kind: ClassVar[str] = "subdistrict"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    district: str = attrs.field(validator=v.entity_id)


@attrs.frozen(kw_only=True)
class Community:
    """A community (社区), the basic unit of governance work."""

    kind: ClassVar[str] = "community"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    subdistrict: str = attrs.field(validator=v.entity_id)
    population: int | None = attrs.field(default=None, validator=v.non_negative)
    """Registered residents, where known; the denominator of community coverage."""


@attrs.frozen(kw_only=True)
class Segment:
    """An audience segment (受众): elders, children, migrant families, dog owners …

    Its members are the residents whose ``segments`` list it. Where not every member is
    listed, ``population`` gives the real size so coverage has a denominator.
    """

    kind: ClassVar[str] = "segment"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    place: str | None = attrs.field(default=None, validator=v.optional_id)
    """The place the segment is counted in; ``None`` for everywhere."""
    population: int | None = attrs.field(default=None, validator=v.non_negative)


# --------------------------------------------------------------------------- people


def _skills(value: Mapping[str, Level | int] | Iterable[SkillLevel]) -> tuple[SkillLevel, ...]:
    if isinstance(value, Mapping):
        items = [SkillLevel(skill=k, level=Level(lv)) for k, lv in value.items()]
    else:
        items = list(value)
    return tuple(items)


def _unique_skills(_inst: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, SkillLevel):
            raise v.said(
                attribute, "model.check.must_hold", records="SkillLevel", type=type(item).__name__
            )
        if item.skill in seen:
            raise v.said(
                attribute,
                "model.check.skill_listed_twice",
                "model.check.hint_skill_once",
                skill=item.skill,
            )
        seen.add(item.skill)


def _level(value: Level | int) -> Level:
    try:
        return Level(value)
    except ValueError:
        allowed = ", ".join(f"{m.value} ({m.name.lower()})" for m in Level)
        raise ValidationError(
            [
                Problem.said(
                    "level",
                    "model.check.not_level",
                    "model.doc.hint_use_one_of",
                    value=value,
                    allowed=v.english_or(allowed, "model.check.levels"),
                )
            ]
        ) from None


@attrs.frozen(kw_only=True)
class SkillLevel:
    """A skill a resident has, at a level."""

    skill: str = attrs.field(validator=v.entity_id)
    level: Level = attrs.field(default=Level.BASIC, converter=_level)


def _min_level(value: Level | int) -> Level:
    try:
        return _level(value)
    except ValidationError as exc:
        raise ValidationError([attrs.evolve(exc.problems[0], path="min_level")]) from None


def _roles(value: Iterable[Role | str]) -> tuple[Role, ...]:
    return tuple(_as_enum(Role, r, "roles") for r in v.to_tuple(value))


def _unique(_inst: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if len(set(value)) != len(value):
        raise v.said(attribute, "model.check.item_twice", "model.check.hint_item_once")


def _birth_year(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1880 <= value <= 2100:
        raise v.said(attribute, "model.check.year", value=value)


@attrs.frozen(kw_only=True)
class Resident:
    """A person living in a community (居民).

    ``name`` is a display name; published output replaces it by a pseudonym, and a
    minor's name never appears. A resident is a minor on a day when their ``age_band`` is a
    minor band or their ``birth_year`` makes them under 18 that year
    (:meth:`minor_on`).
    """

    kind: ClassVar[str] = "resident"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    community: str = attrs.field(validator=v.entity_id)
    birth_year: int | None = attrs.field(default=None, validator=_birth_year)
    age_band: AgeBand | None = attrs.field(default=None, converter=_age_band)
    segments: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    skills: tuple[SkillLevel, ...] = attrs.field(
        default=(), converter=_skills, validator=_unique_skills
    )
    interests: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    """Themes the resident cares about (see :data:`THEMES`)."""
    hours_per_week: float = attrs.field(default=0.0, validator=v.non_negative)
    roles: tuple[Role, ...] = attrs.field(default=(), converter=_roles, validator=_unique)
    consent_to_name: bool = False
    """Whether the resident agreed to be named in published output (never for minors)."""
    household: str | None = attrs.field(default=None, validator=v.optional_id)
    building: str | None = attrs.field(default=None, validator=v.optional_id)

    @property
    def minor(self) -> bool:
        """Deprecated: whether this resident is under 18 *today* (it reads the clock).

        A frozen record must not change on 1 January; use :meth:`minor_on` with the date
        the data describe, or :func:`vchuang.privacy.is_minor`.
        """
        warnings.warn(
            "Resident.minor reads today's date and is deprecated; use "
            "resident.minor_on(day) or vchuang.privacy.is_minor(resident, as_of=day)",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.minor_on(dt.date.today())

    def minor_on(self, day: dt.date) -> bool:
        """Whether this resident was under 18 on ``day`` (or is recorded as a minor).

        A recorded minor band (``child``, ``teen``) always counts; otherwise the birth
        year decides (the resident is a minor in every year before the one they turn 18).
        The answer depends only on the record and ``day``, never on the clock.

        >>> import datetime as dt
        >>> r = Resident(id="r1", name="A", community="c", birth_year=2003)
        >>> r.minor_on(dt.date(2020, 6, 1)), r.minor_on(dt.date(2021, 6, 1))
        (True, False)
        """
        if self.age_band is not None and self.age_band.minor:
            return True
        return self.birth_year is not None and day.year - self.birth_year < 18

    def age_band_on(self, day: dt.date) -> AgeBand | None:
        """The resident's age band on ``day`` (from the birth year when known)."""
        if self.birth_year is not None:
            return AgeBand.from_age(max(day.year - self.birth_year, 0))
        return self.age_band

    def skill_level(self, skill: str) -> Level | None:
        """The level of ``skill``, ``None`` if the resident does not list it."""
        for item in self.skills:
            if item.skill == skill:
                return item.level
        return None

    def has_role(self, role: Role) -> bool:
        """Whether the resident holds ``role``."""
        return role in self.roles


@attrs.frozen(kw_only=True)
class Group:
    """Residents working together (小组 / 团队), e.g. a dog owners' group."""

    kind: ClassVar[str] = "group"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    community: str = attrs.field(validator=v.entity_id)
    themes: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)


@attrs.frozen(kw_only=True)
class Organization:
    """A body: a social innovation centre, a service centre, a social organisation,
    a fund … ``place`` is the district, subdistrict or community it works at."""

    kind: ClassVar[str] = "organization"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    org_kind: OrgKind = attrs.field(converter=_org_kind)
    place: str = attrs.field(validator=v.entity_id)
    parent: str | None = attrs.field(default=None, validator=v.optional_id)
    """The organisation this one belongs to (a street centre's hub, a fund's branch)."""


# --------------------------------------------------------------------------- projects


def _need_target(inst: Need, _attribute: attrs.Attribute[Any], _value: object) -> None:
    if (inst.skill is None) == (inst.resource is None):
        raise ValidationError([Problem.said("skill", "model.check.need_target")])
    if inst.skill is not None and inst.hours <= 0:
        raise ValidationError([Problem.said("hours", "model.check.need_hours", value=inst.hours)])


@attrs.frozen(kw_only=True)
class Need:
    """What a project lacks (需求): a skill for some hours a week, or a resource.

    Examples
    --------
    >>> Need(id="n1", skill="graphic_design", hours=4, people=2, min_level=Level.INTERMEDIATE)
    Need(id='n1', skill='graphic_design', resource=None, hours=4, people=2, min_level=<Level.INTERMEDIATE: 2>, note='')
    """

    id: str = attrs.field(validator=v.entity_id)
    skill: str | None = attrs.field(default=None, validator=v.optional_id)
    resource: ResourceKind | None = attrs.field(
        default=None, converter=_need_resource, validator=_need_target
    )
    hours: float = attrs.field(default=0.0, validator=v.non_negative)
    """Hours a week (for a skill need, across all its people)."""
    people: int = attrs.field(default=1, validator=v.count_at_least_one)
    min_level: Level = attrs.field(default=Level.BASIC, converter=_min_level)
    note: str = attrs.field(default="", validator=v.text)


def _needs(value: Iterable[Need]) -> tuple[Need, ...]:
    return tuple(value)


def _unique_needs(_inst: object, attribute: attrs.Attribute[Any], value: tuple[Need, ...]) -> None:
    seen: set[str] = set()
    for need in value:
        if not isinstance(need, Need):
            raise v.said(
                attribute, "model.check.must_hold", records="Need", type=type(need).__name__
            )
        if need.id in seen:
            raise v.said(attribute, "model.check.need_twice", id=need.id)
        seen.add(need.id)


@attrs.frozen(kw_only=True)
class Project:
    """A self-governance project (自治项目) residents run for their community:
    a "line" of point–line–surface. Who leads it is a :class:`Link`
    (:attr:`Relation.LEADS`)."""

    kind: ClassVar[str] = "project"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    community: str = attrs.field(validator=v.entity_id)
    themes: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    stage: Stage = attrs.field(default=Stage.IDEA, converter=_stage)
    needs: tuple[Need, ...] = attrs.field(default=(), converter=_needs, validator=_unique_needs)
    target_segments: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    budget_fen: int = attrs.field(default=0, validator=v.fen)
    """Budget in fen (1 yuan = 100 fen)."""
    started: dt.date | None = None
    description: str = attrs.field(default="", validator=v.text)


def _attendance(inst: Activity, attribute: attrs.Attribute[Any], value: int | None) -> None:
    v.non_negative(inst, attribute, value)
    if value is not None and value < len(inst.attendees):
        raise v.said(
            attribute,
            "model.check.headcount",
            "model.check.hint_headcount",
            value=value,
            named=len(inst.attendees),
        )


@attrs.frozen(kw_only=True)
class Activity:
    """A dated event (活动): a mobilisation meeting, a selection meeting, an outreach
    campaign, a training … Attendees are named where known; ``attendance`` is the
    headcount, named or not (``None`` when only the named ones are known)."""

    kind: ClassVar[str] = "activity"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    activity_kind: ActivityKind = attrs.field(converter=_activity_kind)
    date: dt.date
    place: str = attrs.field(validator=v.entity_id)
    """The community (or subdistrict, district) where it happened."""
    project: str | None = attrs.field(default=None, validator=v.optional_id)
    organisers: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    attendees: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    attendance: int | None = attrs.field(default=None, validator=_attendance)
    hours: float = attrs.field(default=2.0, validator=v.non_negative)
    """How long it lasted."""
    skills: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    """Skills it trains (for a training) or uses."""
    description: str = attrs.field(default="", validator=v.text)

    @property
    def headcount(self) -> int:
        """Everyone who came: ``attendance`` if recorded, else the named attendees."""
        return self.attendance if self.attendance is not None else len(self.attendees)


@attrs.frozen(kw_only=True)
class Resource:
    """Something a project can use (资源): a venue, materials, money, expertise, a
    partner; ``provider`` is the organisation or resident offering it."""

    kind: ClassVar[str] = "resource"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    resource_kind: ResourceKind = attrs.field(converter=_resource_kind)
    place: str = attrs.field(validator=v.entity_id)
    provider: str | None = attrs.field(default=None, validator=v.optional_id)
    capacity: float | None = attrs.field(default=None, validator=v.non_negative)
    """How much is on offer, in ``unit`` (hours a week, people, items …)."""
    unit: str = attrs.field(default="", validator=v.text)
    amount_fen: int | None = attrs.field(default=None, validator=v.fen)
    """For money: the amount in fen."""


# --------------------------------------------------------------------------- calls


@attrs.frozen(kw_only=True)
class Call:
    """An open call for golden ideas (金点子征集)."""

    kind: ClassVar[str] = "call"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    place: str = attrs.field(validator=v.entity_id)
    organiser: str | None = attrs.field(default=None, validator=v.optional_id)
    opens: dt.date | None = None
    closes: dt.date | None = None
    budget_fen: int = attrs.field(default=0, validator=v.fen)
    themes: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    """Pain points the call asks ideas for (empty: any)."""


@attrs.frozen(kw_only=True)
class Proposal:
    """A golden idea (金点子) submitted to a :class:`Call`."""

    kind: ClassVar[str] = "proposal"
    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    name_zh: str = attrs.field(default="", validator=v.text)
    call: str = attrs.field(validator=v.entity_id)
    proposers: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    themes: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    cost_fen: int = attrs.field(default=0, validator=v.fen)
    needs: tuple[Need, ...] = attrs.field(default=(), converter=_needs, validator=_unique_needs)
    target_segments: tuple[str, ...] = attrs.field(default=(), converter=v.to_ids, validator=v.ids)
    submitted: dt.date | None = None
    project: str | None = attrs.field(default=None, validator=v.optional_id)
    """The project this idea became, once selected."""
    description: str = attrs.field(default="", validator=v.text)


# --------------------------------------------------------------------------- links


def link_key(source: str, relation: Relation, target: str) -> tuple[str, Relation, str]:
    """The key of a link: ``(source, relation, target)``, a symmetric relation's ends
    sorted (see :attr:`Link.key`)."""
    if relation is Relation.KNOWS and target < source:
        return (target, relation, source)
    return (source, relation, target)


def _relation(value: Relation | str) -> Relation:
    return _as_enum(Relation, value, "relation")


def _explicit(_inst: object, attribute: attrs.Attribute[Any], value: Relation) -> None:
    if value.derived:
        raise v.said(
            attribute, "model.check.derived", "model.check.hint_derived", relation=value.value
        )


def _not_self(inst: Link, attribute: attrs.Attribute[Any], value: str) -> None:
    v.entity_id(inst, attribute, value)
    if value == inst.source:
        raise v.said(attribute, "model.check.self_link", "model.check.hint_self_link", id=value)


@attrs.frozen(kw_only=True)
class Link:
    """An explicit relation between two entities: who knows whom, who leads or
    volunteers in which project, which organisation supports it …

    Examples
    --------
    >>> Link(source="r1", relation=Relation.VOLUNTEERS_IN, target="p1", hours=3)
    Link(source='r1', relation=<Relation.VOLUNTEERS_IN: 'volunteers_in'>, target='p1', hours=3, weight=1.0, since=None, until=None)
    """

    source: str = attrs.field(validator=v.entity_id)
    relation: Relation = attrs.field(converter=_relation, validator=_explicit)
    target: str = attrs.field(validator=_not_self)
    hours: float | None = attrs.field(default=None, validator=v.non_negative)
    weight: float = attrs.field(default=1.0, validator=v.non_negative)
    since: dt.date | None = None
    until: dt.date | None = None

    _key: tuple[str, Relation, str] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_key", link_key(self.source, self.relation, self.target))

    @property
    def key(self) -> tuple[str, Relation, str]:
        """``(source, relation, target)``, with a symmetric relation's ends sorted."""
        return self._key


# --------------------------------------------------------------------------- metadata


@attrs.frozen(kw_only=True)
class Metadata:
    """What a dataset is: its title, where it comes from, the date it describes."""

    title: str = attrs.field(default="", validator=v.text)
    description: str = attrs.field(default="", validator=v.text)
    source: str = attrs.field(default="", validator=v.text)
    license: str = attrs.field(default="", validator=v.text)
    as_of: dt.date | None = None
    """The date the records describe (ages and stages are as of then)."""


# --------------------------------------------------------------------------- registry

Entity: TypeAlias = (
    District
    | Subdistrict
    | Community
    | Segment
    | Organization
    | Group
    | Resident
    | Project
    | Activity
    | Resource
    | Call
    | Proposal
)
"""Any record that is a node of the community graph."""

_KINDS: dict[str, type[Entity]] = {
    cls.kind: cls
    for cls in (
        District,
        Subdistrict,
        Community,
        Segment,
        Organization,
        Group,
        Resident,
        Project,
        Activity,
        Resource,
        Call,
        Proposal,
    )
}


#: The plural of each kind: the JSON section and table name (``"community"`` →
#: ``"communities"``).
KIND_PLURALS: Mapping[str, str] = {
    kind: {"community": "communities", "activity": "activities"}.get(kind, f"{kind}s")
    for kind in _KINDS
}


def entity_kinds() -> Mapping[str, type[Entity]]:
    """Each entity kind's name (``"resident"`` …) and record class, in document order.

    >>> list(entity_kinds())[:3]
    ['district', 'subdistrict', 'community']
    """
    return dict(_KINDS)


# --------------------------------------------------------------------------- relation schema


#: The kinds of record that are places, from the largest.
PLACE_KINDS: tuple[str, ...] = ("district", "subdistrict", "community")
_PARTIES = ("organization", "resident")

#: Which kinds an explicit relation may join: relation -> (source kinds, target kinds).
LINK_KINDS: Mapping[Relation, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Relation.KNOWS: (("resident",), ("resident",)),
    Relation.MEMBER_OF: (("resident",), ("group", "organization")),
    Relation.LEADS: (("resident",), ("project", "group", "organization")),
    Relation.CO_LEADS: (("resident",), ("project",)),
    Relation.VOLUNTEERS_IN: (("resident",), ("project",)),
    Relation.SUPPORTS: (("organization",), ("project", "group")),
    Relation.FUNDS: (("organization",), ("project", "organization")),
    Relation.LINKED_TO: (("resource",), ("project",)),
}


@attrs.frozen
class Reference:
    """A reference field of a record kind and the relation it gives (the relation schema).

    ``Resident.community`` is ``Reference("community", Relation.LOCATED_IN,
    ("community",))``: a resident is located in the community its ``community`` field
    names. :data:`REFERENCES` lists them for every kind; explicit
    :class:`Link` records may join only the kinds :data:`LINK_KINDS` allows.

    ``inward`` references point at the record (``resident -attended-> activity`` comes
    from the activity's ``attendees``); the others point away from it.
    """

    field: str
    relation: Relation
    kinds: tuple[str, ...]
    many: bool = False
    inward: bool = False


#: The reference fields of each record kind.
REFERENCES: Mapping[str, tuple[Reference, ...]] = {
    "district": (),
    "subdistrict": (Reference("district", Relation.PART_OF, ("district",)),),
    "community": (Reference("subdistrict", Relation.PART_OF, ("subdistrict",)),),
    "segment": (Reference("place", Relation.LOCATED_IN, PLACE_KINDS),),
    "organization": (
        Reference("place", Relation.LOCATED_IN, PLACE_KINDS),
        Reference("parent", Relation.PART_OF, ("organization",)),
    ),
    "group": (Reference("community", Relation.LOCATED_IN, ("community",)),),
    "resident": (
        Reference("community", Relation.LOCATED_IN, ("community",)),
        Reference("segments", Relation.IN_SEGMENT, ("segment",), many=True),
    ),
    "project": (
        Reference("community", Relation.LOCATED_IN, ("community",)),
        Reference("target_segments", Relation.TARGETS, ("segment",), many=True),
    ),
    "activity": (
        Reference("place", Relation.LOCATED_IN, PLACE_KINDS),
        Reference("project", Relation.PART_OF, ("project",)),
        Reference("organisers", Relation.ORGANISED, ("resident",), many=True, inward=True),
        Reference("attendees", Relation.ATTENDED, ("resident",), many=True, inward=True),
    ),
    "resource": (
        Reference("place", Relation.LOCATED_IN, PLACE_KINDS),
        Reference("provider", Relation.PROVIDES, _PARTIES, inward=True),
    ),
    "call": (
        Reference("place", Relation.LOCATED_IN, PLACE_KINDS),
        Reference("organiser", Relation.RUNS, ("organization",), inward=True),
    ),
    "proposal": (
        Reference("call", Relation.SUBMITTED_TO, ("call",)),
        Reference("proposers", Relation.PROPOSED, ("resident",), many=True, inward=True),
        Reference("target_segments", Relation.TARGETS, ("segment",), many=True),
        Reference("project", Relation.BECAME, ("project",)),
    ),
}
