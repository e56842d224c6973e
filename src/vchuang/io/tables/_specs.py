"""The table specifications: which tables, which columns, their English and Chinese headers.

:data:`TABLES` is the whole mapping; :func:`mapping_table` prints it as the docs show it.
A header or a file name is matched after :func:`~vchuang.io.cells.header_key` folds it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

import attrs

from ...model import (
    KIND_PLURALS,
    PLACE_KINDS,
    ActivityKind,
    AgeBand,
    OrgKind,
    Relation,
    ResourceKind,
    Stage,
)
from ...privacy import ID_PREFIXES
from ..cells import header_key

__all__ = ["TABLES", "Column", "TableSpec", "mapping_table"]


@attrs.frozen(kw_only=True)
class Column:
    """One column a table may have: the field it fills and the headers that name it."""

    field: str
    """The record field (or, for auxiliary tables, the role) the column fills."""
    headers: tuple[str, ...]
    """Accepted headers, English first; matching ignores case, spaces, ``_`` and ``-``,
    full-width forms and a trailing unit in brackets (``每周可用时间（小时）``)."""
    parse: str
    """How a cell is read: ``id``, ``name``, ``text``, ``count``, ``year``, ``age``,
    ``hours``, ``number``, ``fen``, ``yuan``, ``date``, ``bool``, ``enum``, ``roles``,
    ``level``, ``themes``, ``list``, ``ref``, ``refs``, ``skills``, ``skill``,
    ``skill_ids``, ``relation``."""
    required: bool = False
    targets: tuple[str, ...] = ()
    """For references: the kinds of entity the cell may name."""
    enum: type[enum.Enum] | None = None
    doc: str = ""


@attrs.frozen(kw_only=True)
class TableSpec:
    """One kind of table: its name, the file names that mean it, its columns."""

    name: str
    kind: str | None
    """The entity kind each row becomes, ``None`` for auxiliary tables (attendance …)."""
    files: tuple[str, ...]
    """File (or sheet) names that mean this table, without extension."""
    columns: tuple[Column, ...]
    doc: str = ""

    def column(self, field: str) -> Column:
        """The column that fills ``field``."""
        for col in self.columns:
            if col.field == field:
                return col
        raise KeyError(field)


def _c(
    field: str,
    *headers: str,
    parse: str = "text",
    required: bool = False,
    targets: tuple[str, ...] = (),
    enum: type[enum.Enum] | None = None,
    doc: str = "",
) -> Column:
    return Column(
        field=field,
        headers=headers,
        parse=parse,
        required=required,
        targets=targets,
        enum=enum,
        doc=doc,
    )


_PLACES = PLACE_KINDS


def _idc(*zh: str) -> Column:
    return _c(
        "id", "id", "ID", "编号", "代码", *zh, parse="id", doc="the record's ID; given when missing"
    )


def _names(*zh: str, required: bool = True) -> tuple[Column, Column]:
    return (
        _c("name", "name", *zh, "名称", parse="name", required=required),
        _c("name_zh", "name_zh", "中文名称", "中文名"),
    )


#: Every table :func:`read_tables` knows, in the order they are read.
TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        name="metadata",
        kind=None,
        files=("metadata", "元数据", "数据说明"),
        doc="what the dataset is: one row per key (title, description, source, "
        "license, as_of, base_taxonomy)",
        columns=(
            _c("key", "key", "字段", "键", parse="text", required=True),
            _c("value", "value", "值", "内容", parse="text"),
        ),
    ),
    TableSpec(
        name="taxonomy",
        kind=None,
        files=("taxonomy", "skill_taxonomy", "技能分类", "技能目录"),
        doc="skills added to the taxonomy",
        columns=(
            _c("id", "id", "技能编号", parse="id", required=True),
            _c("en", "en", "英文名", "english", parse="name", required=True),
            _c("zh", "zh", "中文名", "chinese"),
            _c("parent", "parent", "上级技能", "上级", parse="text"),
            _c("synonyms", "synonyms", "同义词", "别名", parse="list"),
        ),
    ),
    TableSpec(
        name="districts",
        kind="district",
        files=("districts", "district", "区"),
        columns=(_idc("区编号"), *_names("区", "区名")),
    ),
    TableSpec(
        name="subdistricts",
        kind="subdistrict",
        files=("subdistricts", "subdistrict", "streets", "街道"),
        columns=(
            _idc("街道编号"),
            *_names("街道", "街道名称"),
            _c(
                "district",
                "district",
                "区",
                "所属区",
                parse="ref",
                required=True,
                targets=("district",),
            ),
        ),
    ),
    TableSpec(
        name="communities",
        kind="community",
        files=("communities", "community", "社区", "社区列表"),
        doc="a subdistrict (and district) named here and given in no table of its own is created",
        columns=(
            _idc("社区编号"),
            *_names("社区", "社区名称"),
            _c(
                "subdistrict",
                "subdistrict",
                "street",
                "街道",
                "所属街道",
                parse="ref",
                required=True,
                targets=("subdistrict",),
            ),
            _c(
                "district",
                "district",
                "区",
                "所属区",
                parse="ref",
                targets=("district",),
                doc="only used to create the subdistrict",
            ),
            _c("population", "population", "人口", "常住人口", "户籍人口", parse="count"),
        ),
    ),
    TableSpec(
        name="segments",
        kind="segment",
        files=("segments", "群体", "服务对象", "受众"),
        columns=(
            _idc("群体编号"),
            *_names("群体", "人群"),
            _c("place", "place", "community", "社区", "地点", parse="ref", targets=_PLACES),
            _c("population", "population", "人数", "人口", parse="count"),
        ),
    ),
    TableSpec(
        name="organizations",
        kind="organization",
        files=("organizations", "organisations", "orgs", "组织", "机构"),
        columns=(
            _idc("组织编号"),
            *_names("组织", "组织名称", "机构"),
            _c(
                "org_kind",
                "org_kind",
                "kind",
                "类型",
                "组织类型",
                parse="enum",
                required=True,
                enum=OrgKind,
            ),
            _c(
                "place",
                "place",
                "community",
                "地点",
                "所在地",
                "社区",
                parse="ref",
                required=True,
                targets=_PLACES,
            ),
            _c("parent", "parent", "上级组织", "上级", parse="ref", targets=("organization",)),
        ),
    ),
    TableSpec(
        name="groups",
        kind="group",
        files=("groups", "小组", "团队"),
        columns=(
            _idc("小组编号"),
            *_names("小组", "小组名称", "团队"),
            _c(
                "community", "community", "社区", parse="ref", required=True, targets=("community",)
            ),
            _c("themes", "themes", "主题", "议题", parse="themes"),
        ),
    ),
    TableSpec(
        name="residents",
        kind="resident",
        files=(
            "residents",
            "resident",
            "people",
            "居民",
            "居民信息",
            "居民名单",
            "花名册",
            "居民花名册",
            "人员",
            "志愿者",
        ),
        columns=(
            _idc("居民编号"),
            _c("name", "name", "姓名", "名字", parse="name", required=True),
            _c(
                "community",
                "community",
                "社区",
                "所属社区",
                parse="ref",
                required=True,
                targets=("community",),
            ),
            _c(
                "subdistrict",
                "subdistrict",
                "street",
                "街道",
                "所属街道",
                parse="ref",
                targets=("subdistrict",),
                doc="checks (and picks between same-named) communities",
            ),
            _c(
                "birth_year",
                "birth_year",
                "出生年份",
                "出生年",
                "出生日期",
                parse="year",
                doc="a full date keeps the year only",
            ),
            _c("age_band", "age_band", "年龄段", parse="enum", enum=AgeBand),
            _c("age", "age", "年龄", parse="age", doc="kept as an age band only"),
            _c("segments", "segments", "群体", "所属群体", parse="refs", targets=("segment",)),
            _c(
                "skills",
                "skills",
                "技能",
                "特长",
                parse="skills",
                doc="e.g. 平面设计:3; 演讲 (level 1–4 or 初级/中级/高级/专家)",
            ),
            _c("interests", "interests", "兴趣", "关注议题", "关注", parse="themes"),
            _c(
                "hours_per_week",
                "hours_per_week",
                "每周可用时间",
                "每周时间",
                "可用时间",
                "每周可服务时长",
                parse="hours",
            ),
            _c("roles", "roles", "role", "角色", "身份", parse="roles"),
            _c(
                "consent_to_name",
                "consent_to_name",
                "consent",
                "同意公开姓名",
                "同意署名",
                parse="bool",
            ),
            _c("household", "household", "户", "户号", "家庭", parse="id"),
            _c("building", "building", "楼栋", "楼号", parse="id"),
        ),
    ),
    TableSpec(
        name="skills",
        kind=None,
        files=("skills", "技能", "居民技能"),
        doc="one row per resident and skill (adds to the residents' skills)",
        columns=(
            _c(
                "resident",
                "resident",
                "居民",
                "姓名",
                "居民编号",
                parse="ref",
                required=True,
                targets=("resident",),
            ),
            _c("skill", "skill", "技能", parse="skill", required=True),
            _c("level", "level", "水平", "熟练程度", "等级", parse="level"),
        ),
    ),
    TableSpec(
        name="projects",
        kind="project",
        files=("projects", "project", "项目", "项目表"),
        columns=(
            _idc("项目编号"),
            *_names("项目名称", "项目"),
            _c(
                "community",
                "community",
                "社区",
                "所属社区",
                parse="ref",
                required=True,
                targets=("community",),
            ),
            _c(
                "subdistrict",
                "subdistrict",
                "street",
                "街道",
                parse="ref",
                targets=("subdistrict",),
                doc="checks the community",
            ),
            _c("themes", "themes", "主题", "议题", "痛点", parse="themes"),
            _c("stage", "stage", "阶段", "状态", parse="enum", enum=Stage),
            _c(
                "target_segments",
                "target_segments",
                "服务对象",
                "受众",
                "目标群体",
                parse="refs",
                targets=("segment",),
            ),
            _c("budget_fen", "budget_fen", "预算(分)", parse="fen"),
            _c(
                "budget_yuan",
                "budget_yuan",
                "budget",
                "预算",
                "预算(元)",
                "经费",
                parse="yuan",
                doc="in yuan, kept as fen",
            ),
            _c("started", "started", "开始日期", "启动日期", "开始时间", parse="date"),
            _c("description", "description", "简介", "项目简介", "描述"),
            _c(
                "leaders",
                "leaders",
                "负责人",
                "带领人",
                "项目负责人",
                parse="refs",
                targets=("resident",),
                doc="adds `leads` links",
            ),
            _c(
                "co_leaders",
                "co_leaders",
                "协助负责人",
                "共同负责人",
                parse="refs",
                targets=("resident",),
                doc="adds `co_leads` links",
            ),
            _c(
                "volunteers",
                "volunteers",
                "志愿者",
                "参与志愿者",
                parse="refs",
                targets=("resident",),
                doc="adds `volunteers_in` links",
            ),
        ),
    ),
    TableSpec(
        name="calls",
        kind="call",
        files=("calls", "征集", "金点子征集"),
        columns=(
            _idc("征集编号"),
            *_names("征集", "征集名称"),
            _c(
                "place",
                "place",
                "community",
                "社区",
                "地点",
                parse="ref",
                required=True,
                targets=_PLACES,
            ),
            _c(
                "organiser",
                "organiser",
                "organizer",
                "发起方",
                "主办方",
                parse="ref",
                targets=("organization",),
            ),
            _c("opens", "opens", "开始日期", "征集开始", parse="date"),
            _c("closes", "closes", "截止日期", "征集截止", parse="date"),
            _c("budget_fen", "budget_fen", "预算(分)", parse="fen"),
            _c("budget_yuan", "budget_yuan", "budget", "预算", "预算(元)", parse="yuan"),
            _c("themes", "themes", "主题", "议题", parse="themes"),
        ),
    ),
    TableSpec(
        name="proposals",
        kind="proposal",
        files=("proposals", "ideas", "金点子", "提案"),
        columns=(
            _idc("金点子编号"),
            *_names("金点子", "提案", "标题"),
            _c("call", "call", "征集", "所属征集", parse="ref", required=True, targets=("call",)),
            _c("proposers", "proposers", "提出人", "提交人", parse="refs", targets=("resident",)),
            _c("themes", "themes", "主题", "议题", parse="themes"),
            _c("cost_fen", "cost_fen", "费用(分)", parse="fen"),
            _c("cost_yuan", "cost_yuan", "cost", "费用", "预算", "费用(元)", parse="yuan"),
            _c(
                "target_segments",
                "target_segments",
                "服务对象",
                "受众",
                parse="refs",
                targets=("segment",),
            ),
            _c("submitted", "submitted", "提交日期", parse="date"),
            _c("project", "project", "项目", "成为项目", parse="ref", targets=("project",)),
            _c("description", "description", "简介", "描述", "内容"),
        ),
    ),
    TableSpec(
        name="needs",
        kind=None,
        files=("needs", "需求", "项目需求"),
        doc="what projects (or proposals) lack: a skill for some hours, or a resource",
        columns=(
            _c(
                "owner",
                "project",
                "proposal",
                "owner",
                "项目",
                "项目名称",
                "金点子",
                parse="ref",
                required=True,
                targets=("project", "proposal"),
            ),
            _c("id", "id", "need", "需求编号", parse="id"),
            _c("skill", "skill", "技能", "所需技能", parse="skill"),
            _c("resource", "resource", "资源", "所需资源", parse="enum", enum=ResourceKind),
            _c("hours", "hours", "每周时长", "时长", "小时", parse="hours"),
            _c("people", "people", "人数", "所需人数", parse="count"),
            _c("min_level", "min_level", "最低水平", "技能水平", parse="level"),
            _c("note", "note", "备注", "说明"),
        ),
    ),
    TableSpec(
        name="activities",
        kind="activity",
        files=("activities", "activity", "events", "活动", "活动表", "活动记录"),
        doc="an activity without a place is placed in its project's community",
        columns=(
            _idc("活动编号"),
            *_names("活动名称", "活动"),
            _c(
                "activity_kind",
                "activity_kind",
                "kind",
                "类型",
                "活动类型",
                parse="enum",
                enum=ActivityKind,
                doc="'other' when not given",
            ),
            _c("date", "date", "活动日期", "日期", "时间", parse="date", required=True),
            _c("place", "place", "community", "社区", "地点", parse="ref", targets=_PLACES),
            _c(
                "project",
                "project",
                "项目",
                "所属项目",
                "项目名称",
                parse="ref",
                targets=("project",),
            ),
            _c(
                "organisers",
                "organisers",
                "organizers",
                "组织者",
                "负责人",
                parse="refs",
                targets=("resident",),
            ),
            _c(
                "attendees",
                "attendees",
                "参加人",
                "参与者",
                "参加者",
                parse="refs",
                targets=("resident",),
            ),
            _c(
                "attendance",
                "attendance",
                "headcount",
                "参加人数",
                "人数",
                "出席人数",
                parse="count",
            ),
            _c("hours", "hours", "时长", parse="hours"),
            _c("skills", "skills", "技能", parse="skill_ids"),
            _c("description", "description", "简介", "描述", "内容"),
        ),
    ),
    TableSpec(
        name="attendance",
        kind=None,
        files=("attendance", "签到", "签到表", "参加记录", "出勤"),
        doc="one row per activity and attendee (adds to the activity's attendees)",
        columns=(
            _c(
                "activity",
                "activity",
                "活动",
                "活动名称",
                "活动编号",
                parse="ref",
                required=True,
                targets=("activity",),
            ),
            _c(
                "date",
                "date",
                "活动日期",
                "日期",
                parse="date",
                doc="picks between activities of the same name",
            ),
            _c(
                "resident",
                "resident",
                "attendee",
                "参加人",
                "居民",
                "姓名",
                parse="ref",
                required=True,
                targets=("resident",),
            ),
        ),
    ),
    TableSpec(
        name="resources",
        kind="resource",
        files=("resources", "资源"),
        columns=(
            _idc("资源编号"),
            *_names("资源", "资源名称"),
            _c(
                "resource_kind",
                "resource_kind",
                "kind",
                "类型",
                "资源类型",
                parse="enum",
                required=True,
                enum=ResourceKind,
            ),
            _c(
                "place",
                "place",
                "community",
                "社区",
                "地点",
                parse="ref",
                required=True,
                targets=_PLACES,
            ),
            _c(
                "provider",
                "provider",
                "提供方",
                "提供者",
                parse="ref",
                targets=("organization", "resident"),
            ),
            _c("capacity", "capacity", "容量", "数量", parse="number"),
            _c("unit", "unit", "单位"),
            _c("amount_fen", "amount_fen", "金额(分)", parse="fen"),
            _c("amount_yuan", "amount_yuan", "amount", "金额", "金额(元)", parse="yuan"),
        ),
    ),
    TableSpec(
        name="memberships",
        kind=None,
        files=("memberships", "members", "成员", "小组成员"),
        doc="one row per resident and group or organisation (`member_of` links)",
        columns=(
            _c(
                "resident",
                "resident",
                "member",
                "居民",
                "成员",
                "姓名",
                parse="ref",
                required=True,
                targets=("resident",),
            ),
            _c(
                "group",
                "group",
                "organization",
                "小组",
                "组织",
                "团队",
                parse="ref",
                required=True,
                targets=("group", "organization"),
            ),
            _c("since", "since", "加入日期", parse="date"),
        ),
    ),
    TableSpec(
        name="ties",
        kind=None,
        files=("ties", "links", "relations", "关系", "社交关系"),
        doc="links between entities; the relation is `knows` unless given",
        columns=(
            _c("source", "source", "from", "居民1", "甲", parse="ref", required=True),
            _c("relation", "relation", "关系", "关系类型", parse="relation"),
            _c("target", "target", "to", "居民2", "乙", parse="ref", required=True),
            _c("hours", "hours", "时长", parse="hours"),
            _c("weight", "weight", "强度", "亲密度", parse="number"),
            _c("since", "since", "开始日期", parse="date"),
            _c("until", "until", "结束日期", parse="date"),
        ),
    ),
)

SPECS: dict[str, TableSpec] = {t.name: t for t in TABLES}
#: The prefix of a new ID, by kind: the same prefixes as pseudonyms (``r0001``, ``c0001`` ...).
ID_PREFIX: dict[str, str] = {kind: ID_PREFIXES[kind] for kind in KIND_PLURALS}
EXTENSIONS = (".csv", ".tsv", ".xlsx", ".xlsm")
#: Past this many names and IDs of a kind, an unknown reference gets no "did you mean".
MAX_SUGGEST = 20_000
LINK_COLUMNS = {
    "leaders": Relation.LEADS,
    "co_leaders": Relation.CO_LEADS,
    "volunteers": Relation.VOLUNTEERS_IN,
}
META_KEYS = {
    "title": ("title", "标题", "名称"),
    "description": ("description", "说明", "描述"),
    "source": ("source", "来源"),
    "license": ("license", "licence", "许可", "许可证"),
    "as_of": ("as_of", "数据日期", "截至日期", "日期"),
    "base_taxonomy": ("base_taxonomy", "基础技能分类"),
}


def bare_key(text: str) -> str:
    """As :func:`~vchuang.io.cells.header_key`, without a trailing unit in brackets."""
    return re.sub(r"\([^()]*\)$", "", header_key(text))


def table_of(stem: str) -> list[str]:
    """The tables a file or sheet name may mean (best first)."""
    key = header_key(re.sub(r"^[\d\s._-]+", "", stem))
    exact = [t.name for t in TABLES if any(header_key(f) == key for f in t.files)]
    if exact:
        return exact[:1]
    best: dict[str, int] = {}
    for t in TABLES:
        for f in t.files:
            fk = header_key(f)
            if len(fk) >= 2 and fk in key:
                best[t.name] = max(best.get(t.name, 0), len(fk))
    if not best:
        return []
    top = max(best.values())
    return [name for name, n in best.items() if n == top]


def mapping_table(*, tables: Iterable[str] | None = None) -> str:
    """The column mapping as a Markdown table (the one in the docs).

    Parameters
    ----------
    tables
        Names of the tables to include (default: all of :data:`TABLES`).

    Returns
    -------
    str
        One section per table: the file names it is read from, then a row per column
        with its field, the accepted headers and what the cell holds.

    Examples
    --------
    >>> print(mapping_table(tables=["attendance"]))  # doctest: +NORMALIZE_WHITESPACE
    ### attendance
    <BLANKLINE>
    one row per activity and attendee (adds to the activity's attendees)
    <BLANKLINE>
    Files: `attendance`, `签到`, `签到表`, `参加记录`, `出勤`
    <BLANKLINE>
    | field | headers | cell | notes |
    | --- | --- | --- | --- |
    | `activity` | activity, 活动, 活动名称, 活动编号 | reference to activity | **required** |
    | `date` | date, 活动日期, 日期 | date | picks between activities of the same name |
    | `resident` | resident, attendee, 参加人, 居民, 姓名 | reference to resident | **required** |
    """
    wanted = set(tables) if tables is not None else None
    out: list[str] = []
    for spec in TABLES:
        if wanted is not None and spec.name not in wanted:
            continue
        out += [f"### {spec.name}", ""]
        if spec.doc:
            out += [spec.doc, ""]
        out += ["Files: " + ", ".join(f"`{f}`" for f in spec.files), ""]
        out += ["| field | headers | cell | notes |", "| --- | --- | --- | --- |"]
        for col in spec.columns:
            cell = col.parse
            if col.parse in ("ref", "refs"):
                kinds = " or ".join(col.targets) if col.targets else "entity (by relation)"
                cell = ("reference to " if col.parse == "ref" else "list of ") + kinds
            elif col.enum is not None:
                cell = "one of " + ", ".join(f"`{m.value}`" for m in col.enum)
            notes = "; ".join(x for x in ("**required**" if col.required else "", col.doc) if x)
            out.append(f"| `{col.field}` | {', '.join(col.headers)} | {cell} | {notes} |")
        out.append("")
    return "\n".join(out).rstrip("\n")
