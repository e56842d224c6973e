"""Reading spreadsheets: CSV and XLSX tables into a community graph.

A social worker's records are tables: a roster of residents (居民花名册), a list of
projects, activity sign-in sheets (签到表), often saved by Chinese Excel in GB18030 and
with Chinese column headers. :func:`read_tables` reads a directory (or a list) of such
files into a :class:`~vchuang.graph.CommunityGraph`:

* each file (or each sheet of a workbook) is one *table*, recognised by its name
  (``residents.csv``, ``居民.csv``, ``2019平南居民花名册.xlsx`` …; see :data:`TABLES`);
* each column is recognised by its header, in English or Chinese (``name`` / ``姓名``,
  ``community`` / ``社区`` …; the full list is :data:`TABLES`, and :func:`mapping_table`
  prints it); other columns are ignored and listed in the report;
* CSV files may be UTF-8 (with or without a byte-order mark), GB18030 (GBK) or UTF-16;
  the encoding is detected for each file and reported; a title row above the header is
  skipped;
* references name another record by ID *or* by name (``社区`` may say ``平南社区``,
  ``参加人`` may list residents by name); rows without an ID get one;
* skills may be given by ID, English or Chinese label or synonym (``广告设计`` is
  ``graphic_design``), with a level (``平面设计:3`` or ``平面设计（高级）``).

Every bad row is reported as a :class:`~vchuang.errors.Problem` whose path names the
file, the line and the column (``居民.csv:7 (column 社区)``) with a hint. With
``strict=True`` (the default) any problem raises :class:`~vchuang.errors.FormatError`
listing them all, and nothing is imported. With ``strict=False`` the good rows are
imported and the :class:`ImportReport` lists every row left out, including rows left
out because they referred to a row that was left out: nothing is dropped silently.

:func:`import_command` is ``vchuang import DIR -o data.json``.

Examples
--------
>>> import pathlib, tempfile
>>> from vchuang.io.tables import read_tables
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "communities.csv").write_text("社区,街道,区\\n平南社区,龙岗街道,龙岗区\\n",
...                                        encoding="utf-8-sig")
>>> _ = (d / "居民.csv").write_bytes("姓名,社区,技能,每周可用时间\\n"
...     "张浩,平南社区,广告设计:4;演讲,8\\n刘芳,平南,活动组织,4\\n".encode("gb18030"))
>>> report = read_tables(d)
>>> [(f.path, f.encoding, f.rows) for f in report.files]
[('communities.csv', 'UTF-8 with BOM', 1), ('居民.csv', 'GB18030', 2)]
>>> [(r.id, r.community, [s.skill for s in r.skills]) for r in report.graph.residents()]
[('r0001', 'c0001', ['graphic_design', 'public_speaking']), ('r0002', 'c0001', ['event_organising'])]
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import enum
import functools
import io
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

import attrs

from .._optional import require
from ..errors import FormatError, Problem, ValidationError
from ..graph import _LINK_KINDS, CommunityGraph
from ..model import (
    KIND_PLURALS,
    THEMES,
    ActivityKind,
    AgeBand,
    Entity,
    Level,
    Link,
    Metadata,
    Need,
    OrgKind,
    Relation,
    ResourceKind,
    Role,
    Skill,
    SkillLevel,
    SkillTaxonomy,
    Stage,
    default_taxonomy,
    entity_kinds,
)
from ._csvsafe import cell_in
from ._json import atomic_write_text

__all__ = [
    "TABLES",
    "Column",
    "ImportReport",
    "SourceFile",
    "TableSpec",
    "import_command",
    "mapping_table",
    "read_tables",
]

# --------------------------------------------------------------------------- the mapping


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


_PLACES = ("district", "subdistrict", "community")


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

_SPECS: dict[str, TableSpec] = {t.name: t for t in TABLES}
_ORDER: dict[str, int] = {t.name: i for i, t in enumerate(TABLES)}
_ID_PREFIX: dict[str, str] = {
    "district": "d",
    "subdistrict": "s",
    "community": "c",
    "segment": "seg",
    "organization": "o",
    "group": "g",
    "resident": "r",
    "project": "p",
    "activity": "a",
    "resource": "res",
    "call": "call",
    "proposal": "idea",
}
_EXTENSIONS = (".csv", ".tsv", ".xlsx", ".xlsm")
#: Past this many names and IDs of a kind, an unknown reference gets no "did you mean".
_MAX_SUGGEST = 20_000
_LINK_COLUMNS = {
    "leaders": Relation.LEADS,
    "co_leaders": Relation.CO_LEADS,
    "volunteers": Relation.VOLUNTEERS_IN,
}
_META_KEYS = {
    "title": ("title", "标题", "名称"),
    "description": ("description", "说明", "描述"),
    "source": ("source", "来源"),
    "license": ("license", "licence", "许可", "许可证"),
    "as_of": ("as_of", "数据日期", "截至日期", "日期"),
    "base_taxonomy": ("base_taxonomy", "基础技能分类"),
}


def _hkey(text: str) -> str:
    """Normalised header or name: full-width folded, case and spacing ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-*:]+", "", text)


def _hkey_bare(text: str) -> str:
    """As :func:`_hkey`, without a trailing unit in brackets."""
    return re.sub(r"\([^()]*\)$", "", _hkey(text))


def _table_of(stem: str) -> list[str]:
    """The tables a file or sheet name may mean (best first)."""
    key = _hkey(re.sub(r"^[\d\s._-]+", "", stem))
    exact = [t.name for t in TABLES if any(_hkey(f) == key for f in t.files)]
    if exact:
        return exact[:1]
    best: dict[str, int] = {}
    for t in TABLES:
        for f in t.files:
            fk = _hkey(f)
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


# --------------------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class SourceFile:
    """One file (or sheet) that was read."""

    path: str
    """The file's name as given (a workbook's sheet as ``book.xlsx[sheet]``)."""
    table: str | None
    """The table it was read as, ``None`` when it matched none."""
    encoding: str
    """``UTF-8``, ``UTF-8 with BOM``, ``GB18030``, ``UTF-16``, ``mixed`` or ``XLSX``."""
    rows: int
    """Data rows (below the header, not empty)."""


@attrs.frozen(kw_only=True, eq=False)
class ImportReport:
    """What :func:`read_tables` read, imported and left out, and why."""

    graph: CommunityGraph
    """The imported graph (the good rows only when there were problems)."""
    problems: tuple[Problem, ...]
    """Every row or file left out and why, in file, line and column order."""
    notes: tuple[Problem, ...]
    """Things done that lose nothing but are worth knowing: ignored columns and files,
    IDs given, places created, title rows skipped."""
    files: tuple[SourceFile, ...]
    rows: int
    """Data rows read in all files."""
    imported: Mapping[str, int]
    """Entities imported by kind (plural), and ``links``."""

    @property
    def ok(self) -> bool:
        """Whether every row was imported."""
        return not self.problems

    def to_rows(self) -> list[dict[str, Any]]:
        """Problems then notes as rows: ``severity``, ``path``, ``message``, ``hint``."""
        out = [
            {"severity": "problem", "path": p.path, "message": p.message, "hint": p.hint}
            for p in self.problems
        ]
        out += [
            {"severity": "note", "path": p.path, "message": p.message, "hint": p.hint}
            for p in self.notes
        ]
        return out

    def lines(self) -> list[str]:
        """The report as lines of text (what ``vchuang import`` prints)."""
        out = [
            f"read {f.path} as {f.table}: {f.rows} row{'s' * (f.rows != 1)} ({f.encoding})"
            for f in self.files
            if f.table is not None
        ]
        out += [f"note: {n}" for n in self.notes]
        if self.problems:
            n = len(self.problems)
            out.append(f"{n} problem{'s' * (n != 1)}:")
            out += [str(p) for p in self.problems]
        singular = {plural: kind for kind, plural in KIND_PLURALS.items()}
        singular["links"] = "link"
        counts = ", ".join(
            f"{v} {k if v != 1 else singular.get(k, k)}" for k, v in self.imported.items() if v
        )
        out.append(f"imported: {counts or 'nothing'}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())


# --------------------------------------------------------------------------- raw sheets


class _Bad(Exception):
    """A cell that cannot be read (message, hint)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@attrs.define
class _Sheet:
    label: str
    order: int
    table: str | None
    encoding: str
    raw: list[tuple[int, list[str]]]
    bad_lines: dict[int, Problem] = attrs.Factory(dict)
    header_line: int = 1
    fields: dict[int, str] = attrs.Factory(dict)  # column index -> field
    headers: dict[str, str] = attrs.Factory(dict)  # field -> header text
    positions: dict[str, int] = attrs.Factory(dict)  # field -> column index
    rows: int = 0


@attrs.define(eq=False)
class _Row:
    sheet: _Sheet
    line: int
    spec: TableSpec
    values: dict[str, Any] = attrs.Factory(dict)
    refs: dict[str, list[str]] = attrs.Factory(dict)  # field -> raw texts
    resolved: dict[str, list[tuple[str, _Row | None]]] = attrs.Factory(dict)
    id: str | None = None
    generated: bool = False
    failed: bool = False
    implicit: bool = False
    record: Any = None
    bad: set[str] = attrs.Factory(set)


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[tuple[int, int, int, int], Problem]] = []
        self.notes: list[Problem] = []
        self.seen: set[tuple[str, str]] = set()

    def add(
        self, sheet: _Sheet | None, line: int, field: str | None, message: str, hint: str = ""
    ) -> None:
        path = _path(sheet, line, field)
        if (path, message) in self.seen:
            return
        self.seen.add((path, message))
        col = -1
        if sheet is not None and field is not None:
            col = sheet.positions.get(field, -1)
        key = (sheet.order if sheet is not None else -1, line, col, len(self.items))
        self.items.append((key, Problem(path, message, hint)))

    def note(self, path: str, message: str, hint: str = "") -> None:
        self.notes.append(Problem(path, message, hint))

    def sorted(self) -> list[Problem]:
        return [p for _, p in sorted(self.items, key=lambda item: item[0])]


def _path(sheet: _Sheet | None, line: int, field: str | None) -> str:
    if sheet is None:
        return ""
    where = f"{sheet.label}:{line}" if line > 0 else sheet.label
    if field is not None and field in sheet.headers:
        where += f" (column {sheet.headers[field]})"
    return where


def _decode(data: bytes) -> tuple[str, str, dict[int, tuple[str, str]]]:
    """(text, encoding, {line: (message, hint)}) for a CSV file's bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", {}
        except UnicodeDecodeError as exc:
            lineno = data[: exc.start].count(b"\n") + 1
            text = data.decode("utf-16", errors="replace")
            return text, "UTF-16", {lineno: ("not valid UTF-16 text", "save the file again")}
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 with BOM", {}
        except UnicodeDecodeError:
            data = data[3:]
    else:
        try:
            return data.decode("utf-8"), "UTF-8", {}
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    else:
        if not any(_utf8_nonascii(line) for line in data.split(b"\n")):
            return text, "GB18030", {}
    # lines in different encodings: read each line in its own, report the odd ones
    lines = data.split(b"\n")
    kinds: list[str] = []
    for line in lines:
        if not any(b > 127 for b in line):
            kinds.append("ascii")
        elif _utf8_nonascii(line):
            kinds.append("utf-8")
        else:
            try:
                line.decode("gb18030")
                kinds.append("gb18030")
            except UnicodeDecodeError:
                kinds.append("neither")
    n_utf8, n_gb = kinds.count("utf-8"), kinds.count("gb18030")
    main = "gb18030" if n_gb > n_utf8 else "utf-8"
    other = {"utf-8": "GB18030", "gb18030": "UTF-8"}[main]
    bad: dict[int, tuple[str, str]] = {}
    parts: list[str] = []
    for i, (line, kind) in enumerate(zip(lines, kinds, strict=True), start=1):
        if kind in ("ascii", "utf-8"):
            parts.append(line.decode("utf-8"))
        elif kind == "gb18030":
            parts.append(line.decode("gb18030"))
        else:
            parts.append(line.decode("utf-8", errors="replace"))
        if kind == "neither":
            bad[i] = (
                "this line is neither UTF-8 nor GB18030 text",
                "open the file in Excel and save it as 'CSV UTF-8'",
            )
        elif kind not in ("ascii", main):
            message = (
                f"this line is {other} but the file is mostly {main.upper()}: the "
                "file mixes encodings, so the line's text may be wrong"
            )
            bad[i] = (message, "open the file in Excel and save it as 'CSV UTF-8'")
    encoding = "mixed" if n_utf8 and n_gb else ("GB18030" if main == "gb18030" else "UTF-8")
    return "\n".join(parts), encoding, bad


def _utf8_nonascii(line: bytes) -> bool:
    if not any(b > 127 for b in line):
        return False
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_csv(path: Path, label: str, order: int, table: str | None, problems: _Problems) -> _Sheet:
    try:
        data = path.read_bytes()
    except OSError as exc:
        sheet = _Sheet(label=label, order=order, table=table, encoding="?", raw=[])
        problems.add(sheet, 0, None, f"cannot read the file: {exc.strerror or exc}")
        return sheet
    text, encoding, bad = _decode(data)
    sheet = _Sheet(label=label, order=order, table=table, encoding=encoding, raw=[])
    for line, (message, hint) in bad.items():
        sheet.bad_lines[line] = Problem(_path(sheet, line, None), message, hint)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if path.suffix.lower() == ".tsv":
        delimiter = "\t"
    else:
        counts = {d: first.count(d) for d in (",", "\t", ";")}
        delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            # a cell a spreadsheet would run as a formula was written after an apostrophe
            # (vchuang.io._csvsafe); the apostrophe goes
            sheet.raw.append((start, [cell_in(c) for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(
            sheet,
            start,
            None,
            f"cannot read the rest of the file: {exc}",
            "check the quotes on this line; lines after it are not read",
        )
    return sheet


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, order: int, table: str | None, problems: _Problems) -> list[_Sheet]:
    openpyxl = require("openpyxl", extra="xlsx", feature="reading XLSX workbooks")
    sheets: list[_Sheet] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001  (openpyxl raises many kinds on bad files)
            sheet = _Sheet(label=path.name, order=order, table=table, encoding="XLSX", raw=[])
            problems.add(
                sheet,
                0,
                None,
                f"cannot read the workbook: {exc}",
                "open it in Excel and save it again as .xlsx",
            )
            return [sheet]
        try:
            worksheets = list(book.worksheets)
            for ws in worksheets:
                name = ws.title
                if table is not None:
                    sheet_table: str | None = table
                else:
                    found = _table_of(name)
                    if not found and len(worksheets) == 1:
                        found = _table_of(path.stem)
                    sheet_table = found[0] if len(found) == 1 else None
                raw = [
                    (i, [_cell_text(v) for v in values])
                    for i, values in enumerate(ws.iter_rows(values_only=True), start=1)
                ]
                sheets.append(
                    _Sheet(
                        label=f"{path.name}[{name}]",
                        order=order,
                        table=sheet_table,
                        encoding="XLSX",
                        raw=raw,
                    )
                )
        finally:
            book.close()
    for w in caught:
        problems.note(path.name, f"openpyxl: {w.message}")
    return sheets


# --------------------------------------------------------------------------- cell parsing


_SPLIT = re.compile(r"[;；,，、|/\n]+")
_UNITS = re.compile(r"(小时|个小时|hours?|hrs?|h|人|名|元|块|¥|rmb|年|岁)$")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _number_text(text: str) -> str:
    value = _clean(text).casefold().lstrip("¥")
    value = _UNITS.sub("", value).strip()
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", value):
        value = value.replace(",", "")
    return value


def _int(text: str, what: str) -> int:
    value = _number_text(text)
    if not re.fullmatch(r"[+-]?\d{1,15}", value):
        msg = f"{what} must be a whole number, got {text.strip()!r}"
        raise _Bad(msg)
    return int(value)


def _parse_date(text: str) -> dt.date:
    value = _clean(text)
    found = re.fullmatch(
        r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
        r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
        value,
    ) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value)
    if found is None:
        msg = f"not a date: {text.strip()!r}"
        raise _Bad(msg, "write dates year first: 2019-09-21")
    year, month, day = (int(x) for x in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        msg = f"not a date: {text.strip()!r} ({exc})"
        raise _Bad(msg, "write dates year first: 2019-09-21") from None


_ENUM_EXTRA: dict[type[enum.Enum], dict[str, str]] = {
    Role: {
        "志愿者": "volunteer",
        "热心居民": "volunteer",
        "居民骨干": "talent",
        "骨干": "talent",
        "能人": "talent",
        "领袖": "leader",
        "社区领袖": "leader",
        "社工": "social_worker",
        "社会工作者": "social_worker",
        "工作人员": "staff",
        "职员": "staff",
    },
    Stage: {
        "进行中": "running",
        "已结束": "completed",
        "结束": "completed",
        "遴选": "seed_selection",
        "赋能": "empowerment",
        "培力": "empowerment",
        "终止": "dropped",
        "入选": "selected",
        "提交": "proposed",
    },
    ActivityKind: {
        "动员会": "mobilisation",
        "征选会": "selection_meeting",
        "例会": "volunteer_meeting",
        "宣传": "outreach",
        "讲座": "training",
        "服务": "service",
        "其他": "other",
        "other activity": "other",
    },
    OrgKind: {
        "社创中心": "hub",
        "社会组织": "social_organisation",
        "政府": "government",
        "基金": "fund",
        "公司": "company",
        "其他": "other",
        "organisation": "other",
    },
    ResourceKind: {"钱": "money", "经费": "money", "专家": "expertise", "伙伴": "partner"},
    AgeBand: {
        "老人": "elder",
        "老年人": "elder",
        "小孩": "child",
        "少儿": "child",
        "少年": "teen",
        "成年": "adult",
        "成年人": "adult",
    },
    Relation: {"朋友": "knows", "邻居": "knows", "熟人": "knows", "好友": "knows"},
}


def _enum_lookup(cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    out: dict[str, enum.Enum] = {}
    for m in cls:
        names = [str(m.value), m.name]
        label = getattr(m, "label", None)
        if callable(label):
            names += [label("en"), label("zh")]
        for n in names:
            out.setdefault(_hkey(n), m)
    for text, value in _ENUM_EXTRA.get(cls, {}).items():
        out.setdefault(_hkey(text), cls(value))
    return out


_LOOKUPS: dict[type[enum.Enum], dict[str, enum.Enum]] = {}


def _parse_enum(cls: type[enum.Enum], text: str) -> enum.Enum:
    lookup = _LOOKUPS.get(cls)
    if lookup is None:
        lookup = _LOOKUPS[cls] = _enum_lookup(cls)
    found = lookup.get(_hkey(text))
    if found is None:
        allowed = ", ".join(str(m.value) for m in cls)
        msg = f"{text.strip()!r} is not a known {cls.__name__}"
        raise _Bad(msg, f"use one of {allowed}")
    return found


_LEVEL_WORDS = {
    **{_hkey(w): Level.BASIC for w in ("basic", "初级", "入门", "一般", "会")},
    **{_hkey(w): Level.INTERMEDIATE for w in ("intermediate", "中级", "熟练", "较好")},
    **{_hkey(w): Level.ADVANCED for w in ("advanced", "高级", "精通", "很好")},
    **{_hkey(w): Level.EXPERT for w in ("expert", "专家", "专业")},
}


def _parse_level(text: str) -> Level:
    value = _clean(text)
    if re.fullmatch(r"[1-4]", value):
        return Level(int(value))
    found = _LEVEL_WORDS.get(_hkey(value))
    if found is None:
        msg = f"{text.strip()!r} is not a skill level"
        raise _Bad(msg, "use 1-4 or basic/intermediate/advanced/expert (初级/中级/高级/专家)")
    return found


_THEMES: dict[str, str] = {}
for _key, (_en, _zh) in THEMES.items():
    for _t in (_key, _en, _zh):
        _THEMES.setdefault(_hkey(_t), _key)


def _split(text: str) -> list[str]:
    return [x.strip() for x in _SPLIT.split(text) if x.strip()]


def _parse_bool(text: str) -> bool:
    value = _hkey(text)
    if value in ("true", "yes", "y", "1", "是", "同意", "√", "✓", "有"):
        return True
    if value in ("false", "no", "n", "0", "否", "不同意", "×", "x", "无"):
        return False
    msg = f"{text.strip()!r} is not yes or no"
    raise _Bad(msg, "write 是 or 否 (yes or no)")


def _parse_yuan(text: str) -> int:
    value = _number_text(text)
    try:
        amount = Decimal(value)
    except InvalidOperation:
        msg = f"not an amount of money: {text.strip()!r}"
        raise _Bad(msg, "write yuan, e.g. 3000 or 45.50") from None
    if not amount.is_finite() or amount < 0:
        msg = f"an amount must be >= 0, got {text.strip()!r}"
        raise _Bad(msg)
    fen = amount * 100
    if fen != fen.to_integral_value() or abs(fen) > 10**15:
        msg = f"{text.strip()!r} has more than 2 decimals of a yuan"
        raise _Bad(msg, "money is kept in whole fen (1 yuan = 100 fen)")
    return int(fen)


def _parse_number(text: str, what: str) -> int | float:
    value = _number_text(text)
    if re.fullmatch(r"\d{1,15}", value):
        return int(value)
    if len(value) > 40 or not re.fullmatch(r"(\d+\.?\d*|\.\d+)(e[+-]?\d{1,3})?", value):
        msg = f"{what} must be a number >= 0, got {text.strip()!r}"
        raise _Bad(msg)
    number = float(value)
    if not math.isfinite(number):
        msg = f"{what} must be a finite number, got {text.strip()!r}"
        raise _Bad(msg)
    return number


def _skill_item(text: str, taxonomy: SkillTaxonomy) -> tuple[str, Level]:
    value = _clean(text)
    found = re.fullmatch(r"(.+?)\s*[:=]\s*(.+)", value) or re.fullmatch(
        r"(.+?)\s*\(\s*(.+?)\s*\)", value
    )
    name, level_text = (found.group(1), found.group(2)) if found else (value, "")
    skill = taxonomy.resolve(name)
    if skill is None:
        near = taxonomy.suggest(name)
        hint = (
            f"did you mean {near!r} ({taxonomy.label(near, 'zh')})?"
            if near
            else "add it to a taxonomy table, or use a known skill"
        )
        msg = f"unknown skill {name!r}"
        raise _Bad(msg, hint)
    return skill, _parse_level(level_text) if level_text else Level.BASIC


# --------------------------------------------------------------------------- the importer


class _Importer:
    def __init__(
        self,
        *,
        mapping: Mapping[str, Mapping[str, str | None]] | None,
        taxonomy: SkillTaxonomy | None,
        base: CommunityGraph | None,
    ) -> None:
        self.p = _Problems()
        self.base = base
        if taxonomy is not None:
            self.taxonomy = taxonomy
        elif base is not None:
            self.taxonomy = base.taxonomy
        else:
            self.taxonomy = default_taxonomy()
        self.metadata = base.metadata if base is not None else Metadata()
        self.mapping = self._check_mapping(mapping or {})
        self.sheets: list[_Sheet] = []
        self.rows: dict[str, list[_Row]] = {t.name: [] for t in TABLES}
        self.ids: dict[str, tuple[str, _Row | None]] = {}
        self.names: dict[str, dict[str, list[tuple[str, _Row | None]]]] = {
            k: {} for k in entity_kinds()
        }
        self.reported: set[tuple[int, str, str]] = set()
        self.counters: dict[str, int] = {}
        self.pools: dict[tuple[str, ...], dict[str, str]] = {}

    @staticmethod
    def _check_mapping(
        mapping: Mapping[str, Mapping[str, str | None]],
    ) -> dict[str, dict[str, str | None]]:
        out: dict[str, dict[str, str | None]] = {}
        problems: list[Problem] = []
        for table, columns in mapping.items():
            spec = _SPECS.get(table)
            if spec is None:
                problems.append(
                    Problem(
                        f"mapping[{table!r}]",
                        "not a known table",
                        f"tables are {', '.join(_SPECS)}",
                    )
                )
                continue
            fields = {c.field for c in spec.columns}
            out[table] = {}
            for header, field in columns.items():
                if field is not None and field not in fields:
                    problems.append(
                        Problem(
                            f"mapping[{table!r}][{header!r}]",
                            f"{field!r} is not a column of {table}",
                            f"columns are {', '.join(sorted(fields))}",
                        )
                    )
                out[table][_hkey(header)] = field
        if problems:
            raise ValidationError(problems)
        return out

    # -- reading files

    def collect(self, source: Any) -> None:
        items: list[tuple[Path, str | None]] = []
        if isinstance(source, Mapping):
            for table, path in source.items():
                if table not in _SPECS:
                    raise ValidationError(
                        [
                            Problem(
                                f"source[{table!r}]",
                                "not a known table",
                                f"tables are {', '.join(_SPECS)}",
                            )
                        ]
                    )
                items.append((Path(path), table))
        elif isinstance(source, str | Path) or hasattr(source, "__fspath__"):
            root = Path(source)
            if root.is_dir():
                files = sorted(p for p in root.iterdir() if p.is_file())
                for p in files:
                    if p.name.startswith(("~$", ".")):
                        self.p.note(p.name, "ignored (a temporary or hidden file)")
                    elif p.suffix.lower() not in _EXTENSIONS:
                        hint = "save it as .xlsx or CSV" if p.suffix.lower() == ".xls" else ""
                        self.p.note(p.name, "ignored: not a CSV or XLSX file", hint)
                    else:
                        items.append((p, None))
                if not items:
                    self.p.add(
                        None,
                        0,
                        None,
                        f"no CSV or XLSX tables in {root}",
                        "put residents.csv, projects.csv … in the directory",
                    )
            else:
                items.append((root, None))
        else:
            items = [(Path(p), None) for p in source]
        for order, (path, table) in enumerate(items):
            self._read_file(path, table, order)

    def _read_file(self, path: Path, table: str | None, order: int) -> None:
        if not path.exists():
            sheet = _Sheet(label=path.name, order=order, table=table, encoding="?", raw=[])
            self.sheets.append(sheet)
            self.p.add(sheet, 0, None, "no such file")
            return
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            sheets = _read_xlsx(path, order, table, self.p)
        else:
            if table is None:
                found = _table_of(path.stem)
                table = found[0] if len(found) == 1 else None
            sheets = [_read_csv(path, path.name, order, table, self.p)]
        for sheet in sheets:
            self.sheets.append(sheet)
            if sheet.table is None:
                found = _table_of(
                    sheet.label.rsplit("[", 1)[-1].rstrip("]")
                    if "[" in sheet.label
                    else Path(sheet.label).stem
                )
                what = (
                    f"its name could mean {' or '.join(found)}"
                    if found
                    else "its name matches no table"
                )
                self.p.add(
                    sheet,
                    0,
                    None,
                    f"not read: {what}",
                    "rename it after its table (residents, projects, activities, "
                    "attendance, ties, skills …; or 居民, 项目, 活动, 签到 …), or "
                    "pass {table: path}",
                )
            else:
                self._header(sheet)

    def _header_field(self, spec: TableSpec, text: str) -> str | bool | None:
        """The field a header names; None when told to ignore it; False if unknown."""
        key = _hkey(text)
        given = self.mapping.get(spec.name, {})
        if key in given:
            return given[key]
        for k in (key, _hkey_bare(text)):
            for col in spec.columns:
                if any(_hkey(h) == k for h in col.headers):
                    return col.field
        return False

    def _header(self, sheet: _Sheet) -> None:
        spec = _SPECS[cast(str, sheet.table)]
        header_at = None
        for n, (_, cells) in enumerate(sheet.raw[:10]):
            filled = [c for c in cells if c.strip()]
            known = [c for c in filled if self._header_field(spec, c) not in (False, None)]
            if known and (len(known) >= 2 or len(filled) == len(known)):
                header_at = n
                break
        if header_at is None:
            expected = ", ".join(
                f"{c.headers[0]} ({c.headers[-1]})" for c in spec.columns if c.required
            )
            self.p.add(
                sheet,
                0,
                None,
                f"no header row naming the columns of {spec.name}",
                f"the first row should name the columns, e.g. {expected}",
            )
            return
        line, cells = sheet.raw[header_at]
        sheet.header_line = line
        if header_at:
            above = " / ".join(
                " ".join(c for c in cs if c.strip()) for _, cs in sheet.raw[:header_at]
            )
            self.p.note(
                _path(sheet, line, None),
                f"header row found on line {line}; above it skipped: {above[:80]}",
            )
        ignored: list[str] = []
        for i, text in enumerate(cells):
            if not text.strip():
                if any(i < len(cs) and cs[i].strip() for _, cs in sheet.raw[header_at + 1 :]):
                    ignored.append(f"column {i + 1} (no header)")
                continue
            field = self._header_field(spec, text)
            if field is False:
                ignored.append(text.strip())
                continue
            if field is None:
                continue
            assert isinstance(field, str)
            slot = field.removesuffix("_fen").removesuffix("_yuan")
            taken = next(
                (f for f in sheet.headers if f.removesuffix("_fen").removesuffix("_yuan") == slot),
                None,
            )
            if taken is not None:
                self.p.add(
                    sheet,
                    line,
                    None,
                    f"columns {sheet.headers[taken]} and {text.strip()} both give {slot}",
                    "keep one of them; the second is not read",
                )
                continue
            sheet.fields[i] = field
            sheet.headers[field] = text.strip()
            sheet.positions[field] = i
        if ignored:
            self.p.note(
                sheet.label,
                f"column{'s' * (len(ignored) > 1)} ignored: {', '.join(ignored)}",
                f"not a column of {spec.name}; rename it, or map it with "
                f"mapping={{'{spec.name}': {{'<header>': '<field>'}}}}",
            )
        missing = [c for c in spec.columns if c.required and c.field not in sheet.headers]
        data = [(ln, cs) for ln, cs in sheet.raw[header_at + 1 :] if any(c.strip() for c in cs)]
        if missing:
            near = [c.strip() for c in cells if c.strip() and self._header_field(spec, c) is False]
            for col in missing:
                close = difflib.get_close_matches(col.headers[-1], near, n=1, cutoff=0.3)
                hint = (f"did you mean column {close[0]!r}? " if close else "") + (
                    f"add a column {col.headers[0]} (or {' / '.join(col.headers[1:3])})"
                )
                self.p.add(
                    sheet,
                    line,
                    None,
                    f"missing column {col.field!r}: none of its {len(data)} rows is imported",
                    hint,
                )
            sheet.rows = len(data)
            sheet.fields = {}
            return
        sheet.rows = len(data)

    # -- parsing rows

    def parse(self) -> None:
        by_table: dict[str, list[_Sheet]] = {t.name: [] for t in TABLES}
        for sheet in self.sheets:
            if sheet.table is not None and sheet.fields:
                by_table[sheet.table].append(sheet)
            else:  # a file not read: still say which of its lines are not text
                for bad_line, problem in sheet.bad_lines.items():
                    self.p.add(sheet, bad_line, None, problem.message, problem.hint)
        self.given = {name for name, sheets in by_table.items() if sheets}
        for spec in TABLES:
            for sheet in by_table[spec.name]:
                start = next(i for i, (ln, _) in enumerate(sheet.raw) if ln == sheet.header_line)
                for bad_line, problem in sheet.bad_lines.items():
                    if bad_line <= sheet.header_line:
                        self.p.add(sheet, bad_line, None, problem.message, problem.hint)
                raw = sheet.raw
                for k in range(start + 1, len(raw)):
                    line, cells = raw[k]
                    if not any(c.strip() for c in cells):
                        continue
                    row = _Row(sheet=sheet, line=line, spec=spec)
                    self._parse_row(row, cells)
                    end = raw[k + 1][0] if k + 1 < len(raw) else None
                    for bad_line, problem in sheet.bad_lines.items():
                        if line <= bad_line and (end is None or bad_line < end):
                            self.p.add(sheet, bad_line, None, problem.message, problem.hint)
                            row.failed = True
                    self.rows[spec.name].append(row)
            if spec.name == "metadata":
                self._metadata()
            elif spec.name == "taxonomy":
                self._taxonomy()

    def _fail(self, row: _Row, field: str | None, message: str, hint: str = "") -> None:
        self.p.add(row.sheet, row.line, field, message, hint)
        row.failed = True

    def _parse_row(self, row: _Row, cells: list[str]) -> None:
        sheet, spec = row.sheet, row.spec
        for i, field in sheet.fields.items():
            raw = cells[i] if i < len(cells) else ""
            col = spec.column(field)
            if col.parse == "text" and raw and not col.required:
                row.values[field] = raw  # free text is kept as typed, spaces and all
                continue
            if not raw.strip():
                if col.required:
                    shown = sheet.headers.get(field, col.headers[0])
                    self._fail(
                        row,
                        field,
                        f"{shown} is empty",
                        f"every row of {spec.name} needs a {col.headers[0]}",
                    )
                continue
            try:
                self._parse_cell(row, col, raw)
            except _Bad as bad:
                row.bad.add(field)
                self._fail(row, field, bad.message, bad.hint)

    def _parse_cell(self, row: _Row, col: Column, raw: str) -> None:
        kind, values, field = col.parse, row.values, col.field
        what: str = row.sheet.headers.get(field, col.headers[0])
        if kind in ("text", "name"):
            values[field] = raw
        elif kind == "id":
            text = _clean(raw)
            values[field] = text
        elif kind == "count":
            n = _int(raw, what)
            if n < 0:
                msg = f"{what} must be >= 0, got {raw.strip()!r}"
                raise _Bad(msg)
            values[field] = n
        elif kind == "year":
            text = _clean(raw)
            if re.fullmatch(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", text):
                values[field] = _parse_date(text).year
            else:
                values[field] = _int(raw, what)
        elif kind == "age":
            n = _int(raw, "age")
            if not 0 <= n <= 130:
                msg = f"age must be between 0 and 130, got {raw.strip()!r}"
                raise _Bad(msg)
            values[field] = AgeBand.from_age(n)
        elif kind in ("hours", "number"):
            values[field] = _parse_number(raw, what)
        elif kind == "fen":
            n = _int(raw, what)
            if n < 0:
                msg = f"{what} must be >= 0, got {raw.strip()!r}"
                raise _Bad(msg)
            values[field] = n
        elif kind == "yuan":
            values[field] = _parse_yuan(raw)
        elif kind == "date":
            values[field] = _parse_date(raw)
        elif kind == "bool":
            values[field] = _parse_bool(raw)
        elif kind == "enum":
            assert col.enum is not None
            values[field] = _parse_enum(col.enum, raw)
        elif kind == "relation":
            rel = cast(Relation, _parse_enum(Relation, raw))
            if rel.derived:
                msg = f"{raw.strip()!r} comes from other columns, not a link"
                raise _Bad(
                    msg,
                    "use knows, member_of, leads, co_leads, volunteers_in, supports, "
                    "funds or linked_to",
                )
            values[field] = rel
        elif kind == "roles":
            roles: list[Role] = []
            for item in _split(raw):
                role = cast(Role, _parse_enum(Role, item))
                if role not in roles:
                    roles.append(role)
            values[field] = tuple(roles)
        elif kind == "level":
            values[field] = _parse_level(raw)
        elif kind == "themes":
            themes: list[str] = []
            for item in _split(raw):
                theme = _THEMES.get(_hkey(item), _clean(item))
                if theme not in themes:
                    themes.append(theme)
            values[field] = tuple(themes)
        elif kind == "list":
            values[field] = tuple(_split(raw))
        elif kind == "ref":
            row.refs[field] = [_clean(raw)]
        elif kind == "refs":
            row.refs[field] = [_clean(x) for x in _split(raw)]
        elif kind == "skills":
            items: list[SkillLevel] = []
            problems: list[_Bad] = []
            for item in _split(raw):
                try:
                    skill, level = _skill_item(item, self.taxonomy)
                except _Bad as bad:
                    problems.append(bad)
                    continue
                if any(s.skill == skill for s in items):
                    problems.append(
                        _Bad(f"skill {skill!r} is listed twice", "give each skill once")
                    )
                    continue
                items.append(SkillLevel(skill=skill, level=level))
            for other in problems[1:]:
                self._fail(row, field, other.message, other.hint)
            if problems:
                raise problems[0]
            values[field] = tuple(items)
        elif kind == "skill":
            values[field] = _skill_item(raw, self.taxonomy)[0]
        elif kind == "skill_ids":
            skills: list[str] = []
            for item in _split(raw):
                skill = _skill_item(item, self.taxonomy)[0]
                if skill not in skills:
                    skills.append(skill)
            values[field] = tuple(skills)
        else:  # pragma: no cover - the specs use only the kinds above
            msg = f"unknown cell kind {kind!r}"
            raise AssertionError(msg)

    def _metadata(self) -> None:
        fields: dict[str, Any] = {}
        base_taxonomy = None
        names = {_hkey(alias): key for key, aliases in _META_KEYS.items() for alias in aliases}
        for row in self.rows["metadata"]:
            if row.failed:
                continue
            key = names.get(_hkey(row.values["key"]))
            value = row.values.get("value", "")
            if key is None:
                self._fail(
                    row,
                    "key",
                    f"unknown key {row.values['key'].strip()!r}",
                    f"keys are {', '.join(_META_KEYS)}",
                )
            elif key == "as_of":
                try:
                    fields["as_of"] = _parse_date(value)
                except _Bad as bad:
                    self._fail(row, "value", bad.message, bad.hint)
            elif key == "base_taxonomy":
                base_taxonomy = _clean(value)
                if base_taxonomy not in ("default", "none"):
                    self._fail(row, "value", f"must be 'default' or 'none', got {value!r}")
                    base_taxonomy = None
            else:
                fields[key] = value
        if fields:
            self.metadata = attrs.evolve(self.metadata, **fields)
        if base_taxonomy == "none":
            self.taxonomy = SkillTaxonomy(skills=())

    def _taxonomy(self) -> None:
        rows = [r for r in self.rows["taxonomy"] if not r.failed]
        if not rows:
            return
        known = {s.id for s in self.taxonomy} | {r.values["id"] for r in rows}
        skills: list[Skill] = []
        for row in rows:
            parent = row.values.get("parent")
            if parent is not None:
                text = _clean(parent)
                parent = text if text in known else (self.taxonomy.resolve(text) or text)
            try:
                skills.append(
                    Skill(
                        id=row.values["id"],
                        en=row.values["en"],
                        zh=row.values.get("zh", ""),
                        parent=parent,
                        synonyms=row.values.get("synonyms", ()),
                    )
                )
            except ValidationError as exc:
                for p in exc.problems:
                    self._fail(
                        row, p.path if p.path in row.sheet.headers else None, p.message, p.hint
                    )
        by_id = {r.values["id"]: r for r in rows}
        kept = list(skills)
        while kept:
            try:
                self.taxonomy = self.taxonomy.extend(kept)
            except ValidationError as exc:
                culprits: set[str] = set()
                for p in exc.problems:
                    found = re.search(r"'(.+?)'", p.path) or re.search(r"'(.+?)'", p.message)
                    culprit = by_id.get(found.group(1)) if found else None
                    if culprit is None:
                        culprit = by_id[kept[0].id]
                    field = "parent" if "parent" in p.path else "id"
                    self._fail(
                        culprit,
                        field if field in culprit.sheet.headers else None,
                        p.message,
                        p.hint,
                    )
                    culprits.add(culprit.values["id"])
                kept = [s for s in kept if s.id not in culprits]
            else:
                break

    # -- IDs and names

    def register(self) -> None:
        if self.base is not None:
            for record in self.base:
                self._add_id(record.id, record.kind, None)
        for spec in TABLES:
            if spec.kind is None:
                continue
            for row in self.rows[spec.name]:
                given = row.values.get("id")
                if given is None:
                    continue
                found = self.ids.get(given)
                if found is not None:
                    kind, other = found
                    where = (
                        f"also {_path(other.sheet, other.line, None)}"
                        if other
                        else f"a {kind} already in the graph"
                    )
                    self._fail(
                        row,
                        "id",
                        f"ID {given!r} is used twice ({where})",
                        "give every record its own ID",
                    )
                    continue
                row.id = given
                self._add_id(given, spec.kind, row)
        for spec in TABLES:
            if spec.kind is None:
                continue
            generated: list[str] = []
            for row in self.rows[spec.name]:
                if row.id is not None or "id" in row.values:
                    continue
                candidate = self._next_id(spec.kind)
                row.id, row.generated = candidate, True
                self._add_id(candidate, spec.kind, row)
                generated.append(candidate)
            if generated:
                sheet = next(r.sheet for r in self.rows[spec.name] if r.generated)
                span = generated[0] if len(generated) == 1 else f"{generated[0]} … {generated[-1]}"
                self.p.note(
                    sheet.label,
                    f"{len(generated)} row{'s' * (len(generated) > 1)} "
                    f"without an ID given one: {span}",
                    "add an ID column for IDs that stay the same between imports",
                )
        self._index_names()
        self._implicit_places()

    def _index_names(self) -> None:
        for entity_id, (kind, row) in self.ids.items():
            names: list[str] = []
            if row is None:
                assert self.base is not None
                record = self.base.get(entity_id)
                names = [record.name, getattr(record, "name_zh", "")]
            else:
                names = [row.values.get("name", ""), row.values.get("name_zh", "")]
            keys: list[str] = []
            for name in names:
                if not name or not name.strip():
                    continue
                key = _hkey(name)
                keys.append(key)
                if kind in _PLACES:
                    bare = re.sub(r"(社区|街道|区|community|subdistrict|street|district)$", "", key)
                    if bare and bare != key:
                        keys.append(bare)
            for key in dict.fromkeys(keys):
                self.names[kind].setdefault(key, []).append((entity_id, row))

    def _next_id(self, kind: str) -> str:
        n = self.counters.get(kind, 0)
        while True:
            n += 1
            candidate = f"{_ID_PREFIX[kind]}{n:04d}"
            if candidate not in self.ids:
                self.counters[kind] = n
                return candidate

    def _add_id(self, entity_id: str, kind: str, row: _Row | None) -> None:
        self.ids[entity_id] = (kind, row)

    def _implicit_places(self) -> None:
        """Create the subdistricts (and districts) that communities (and subdistricts)
        name, when no table of their own was given."""
        for level, parent, spec_name, source in (
            ("subdistrict", "district", "subdistricts", "communities"),
            ("district", None, "districts", "subdistricts"),
        ):
            if spec_name in self.given:
                continue
            created: dict[str, _Row] = {}
            for row in self.rows[source]:
                texts = row.refs.get(level)
                if not texts or row.failed:
                    continue
                text = texts[0]
                key = _hkey(text)
                if key in created or self._lookup(text, (level,)) is not None:
                    continue
                place = _Row(sheet=row.sheet, line=row.line, spec=_SPECS[spec_name], implicit=True)
                place.values["name"] = text
                place.id = self._next_id(level)
                if parent is not None:
                    ptexts = row.refs.get(parent)
                    if not ptexts:
                        self._fail(
                            row,
                            level,
                            f"subdistrict {text!r} is in no table, and "
                            "the row does not say which district it is in",
                            "add a column 区 (district), or a subdistricts table",
                        )
                        continue
                    place.refs[parent] = list(ptexts)
                created[key] = place
                self._add_id(place.id, level, place)
                self.rows[spec_name].append(place)
                self.names[level].setdefault(key, []).append((place.id, place))
                self.p.note(
                    _path(row.sheet, row.line, level),
                    f"{level} {text!r} created (ID {place.id!r}): no {spec_name} table was given",
                )

    # -- references

    def _lookup(
        self, text: str, kinds: Sequence[str], *, date: dt.date | None = None
    ) -> tuple[str, _Row | None] | None:
        found = self.ids.get(text)
        if found is not None and found[0] in kinds:
            return text, found[1]
        hits = self._by_name(text, kinds, date)
        return hits[0] if len(hits) == 1 else None

    def _by_name(
        self, text: str, kinds: Sequence[str], date: dt.date | None
    ) -> list[tuple[str, _Row | None]]:
        key = _hkey(text)
        hits: dict[str, tuple[str, _Row | None]] = {}
        for kind in kinds:
            keys = [key]
            if kind in _PLACES:
                bare = re.sub(r"(社区|街道|区)$", "", key)
                if bare:
                    keys.append(bare)
            for k in keys:
                for entity_id, row in self.names[kind].get(k, []):
                    hits.setdefault(entity_id, (entity_id, row))
        out = list(hits.values())
        if date is not None and len(out) > 1:
            out = [h for h in out if self._date_of(h) == date]
        return out

    def _date_of(self, hit: tuple[str, _Row | None]) -> dt.date | None:
        entity_id, row = hit
        if row is not None:
            value = row.values.get("date")
            return value if isinstance(value, dt.date) else None
        assert self.base is not None
        return cast(dt.date | None, getattr(self.base.get(entity_id), "date", None))

    def _resolve(
        self, text: str, kinds: Sequence[str], *, date: dt.date | None = None
    ) -> tuple[str, _Row | None]:
        found = self.ids.get(text)
        if found is not None and found[0] in kinds:
            return text, found[1]
        hits = self._by_name(text, kinds, date)
        what = " or ".join(kinds)
        people = kinds == ("resident",)
        shown = "this name" if people else repr(text)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            where = ", ".join(
                f"{h[0]}" + (f" at {_path(h[1].sheet, h[1].line, None)}" if h[1] else "")
                for h in hits[:4]
            )
            msg = f"{shown} matches {len(hits)} {what} records ({where})"
            raise _Bad(
                msg,
                "use the ID instead of the name"
                + (", or give the date" if "activity" in kinds else ""),
            )
        if found is not None:
            msg = f"{text!r} is a {found[0]}, but this column names a {what}"
            raise _Bad(msg)
        pool = self._pool(tuple(kinds))
        close = (
            difflib.get_close_matches(_hkey(text), list(pool), n=1, cutoff=0.5 if people else 0.6)
            if pool
            else []
        )
        table = KIND_PLURALS[kinds[0]]
        if people:
            hint = (
                f"the closest is resident {pool[close[0]]}"
                if close
                else f"check the spelling, or add the resident to {table} first"
            )
            msg = "no resident with this ID or name"
            raise _Bad(msg, hint)
        if close:
            entity_id = pool[close[0]]
            hint = f"did you mean {self._display(entity_id)}?"
        else:
            hint = f"add it to the {table} table first, or check the spelling"
        msg = f"unknown {what} {text!r}"
        raise _Bad(msg, hint)

    def _pool(self, kinds: tuple[str, ...]) -> dict[str, str]:
        """Names and IDs of ``kinds`` to suggest from (none past :data:`_MAX_SUGGEST`,
        where looking for the nearest would take too long)."""
        found = self.pools.get(kinds)
        if found is not None:
            return found
        pool: dict[str, str] = {}
        for kind in kinds:
            for key, hits in self.names[kind].items():
                for entity_id, _ in hits:
                    pool.setdefault(key, entity_id)
            for entity_id, (k, _) in self.ids.items():
                if k == kind:
                    pool.setdefault(_hkey(entity_id), entity_id)
        if len(pool) > _MAX_SUGGEST:
            pool = {}
        self.pools[kinds] = pool
        return pool

    def _display(self, entity_id: str) -> str:
        _, row = self.ids[entity_id]
        if row is not None:
            names = [row.values.get("name", ""), row.values.get("name_zh", "")]
        else:
            assert self.base is not None
            record = self.base.get(entity_id)
            names = [record.name, getattr(record, "name_zh", "")]
        shown = " / ".join(repr(n) for n in dict.fromkeys(names) if n and n != entity_id)
        return f"{shown} (ID {entity_id!r})" if shown else repr(entity_id)

    def resolve(self) -> None:
        for spec in TABLES:
            for row in self.rows[spec.name]:
                self._resolve_row(row)

    def _resolve_row(self, row: _Row) -> None:
        spec = row.spec
        date = row.values.get("date") if spec.name == "attendance" else None
        subdistrict: str | None = None
        for field, texts in row.refs.items():
            if field == "district" and spec.name == "communities":
                continue  # used only to create the subdistrict
            col = spec.column(field)
            kinds: tuple[str, ...] = col.targets
            if spec.name == "ties":
                if "relation" in row.bad:
                    return
                relation = row.values.get("relation", Relation.KNOWS)
                kinds = _LINK_KINDS[relation][0 if field == "source" else 1]
            out: list[tuple[str, _Row | None]] = []
            for text in texts:
                try:
                    hit = self._resolve(text, kinds, date=date)
                except _Bad as bad:
                    self._fail(row, field, bad.message, bad.hint)
                    continue
                if hit[0] in (h[0] for h in out):
                    self._fail(row, field, f"{hit[0]!r} is listed twice", "give each once")
                    continue
                out.append(hit)
            row.resolved[field] = out
            if field == "subdistrict" and spec.name in ("residents", "projects") and out:
                subdistrict = out[0][0]
        if subdistrict is not None and row.resolved.get("community"):
            community = row.resolved["community"][0][0]
            actual = self._parent(community)
            if actual is not None and actual != subdistrict:
                self._fail(
                    row,
                    "subdistrict",
                    f"community {community!r} is in subdistrict {actual!r}, not {subdistrict!r}",
                    "check the 社区 and 街道 columns",
                )

    def _parent(self, community: str) -> str | None:
        _, row = self.ids[community]
        if row is None:
            assert self.base is not None
            return cast(str | None, getattr(self.base.get(community), "subdistrict", None))
        hits = row.resolved.get("subdistrict")
        return hits[0][0] if hits else None

    # -- building records

    def _one(self, row: _Row, field: str) -> str | None:
        hits = row.resolved.get(field)
        return hits[0][0] if hits else None

    def _many(self, row: _Row, field: str) -> tuple[str, ...]:
        return tuple(h[0] for h in row.resolved.get(field, ()))

    def cascade(self) -> bool:
        """Fail rows whose single references point at failed rows; drop failed items
        from lists. Returns whether anything new failed."""
        changed = False
        for spec in TABLES:
            for row in self.rows[spec.name]:
                if row.failed:
                    continue
                dropped = False
                for field, hits in row.resolved.items():
                    col = spec.column(field)
                    keep = []
                    for entity_id, target in hits:
                        if target is None or not target.failed:
                            keep.append((entity_id, target))
                            continue
                        where = _path(target.sheet, target.line, None)
                        if col.parse == "ref":
                            self._fail(
                                row,
                                field,
                                f"refers to {entity_id!r} ({where}), which is not "
                                "imported: this row is left out too",
                                "fix that row first",
                            )
                            changed = dropped = True
                            break
                        key = (id(row), field, entity_id)
                        if key not in self.reported:
                            self.reported.add(key)
                            shown = row.sheet.headers.get(field, col.headers[0])
                            self.p.add(
                                row.sheet,
                                row.line,
                                field,
                                f"{entity_id!r} ({where}) is not imported, so it is "
                                f"left out of {shown}",
                                "fix that row first",
                            )
                    if dropped:
                        break
                    row.resolved[field] = keep
        return changed

    def build(self) -> bool:
        """(Re)build every record from the rows that have not failed; returns whether a
        row failed while building."""
        changed = False
        skills: dict[str, list[tuple[_Row, SkillLevel]]] = {}
        for row in self.rows["skills"]:
            if row.failed or not row.resolved.get("resident"):
                continue
            level = row.values.get("level", Level.BASIC)
            skills.setdefault(self._one(row, "resident") or "", []).append(
                (row, SkillLevel(skill=row.values["skill"], level=level))
            )
        attendance: dict[str, list[tuple[_Row, str]]] = {}
        for row in self.rows["attendance"]:
            if row.failed or not row.resolved.get("activity") or not row.resolved.get("resident"):
                continue
            attendance.setdefault(self._one(row, "activity") or "", []).append(
                (row, self._one(row, "resident") or "")
            )
        needs: dict[str, list[tuple[_Row, Need]]] = {}
        for row in self.rows["needs"]:
            if row.failed or not row.resolved.get("owner"):
                continue
            owner = self._one(row, "owner") or ""
            k = len(needs.get(owner, ())) + 1
            fields = {
                f: row.values[f]
                for f in ("skill", "resource", "hours", "people", "min_level", "note")
                if f in row.values
            }
            try:
                need = Need(id=row.values.get("id") or f"{owner}-n{k}", **fields)
            except ValidationError as exc:
                for p in exc.problems:
                    self._fail(row, _field_of(p.path, row), p.message, p.hint)
                changed = True
                continue
            if any(n.id == need.id for _, n in needs.get(owner, [])):
                self._fail(
                    row, "id", f"need ID {need.id!r} is used twice", "give each need its own ID"
                )
                changed = True
                continue
            needs.setdefault(owner, []).append((row, need))
        changed = self._base_updates(skills, attendance, needs) or changed
        for spec in TABLES:
            if spec.kind is None:
                continue
            for row in self.rows[spec.name]:
                if row.failed:
                    row.record = None
                    continue
                try:
                    row.record = self._record(row, skills, attendance, needs)
                except _Bad as bad:
                    self._fail(row, None, bad.message, bad.hint)
                    changed = True
                except ValidationError as exc:
                    for p in exc.problems:
                        self._fail(row, _field_of(p.path, row), p.message, p.hint)
                    changed = True
        return changed

    def _base_updates(
        self,
        skills: Mapping[str, list[tuple[_Row, SkillLevel]]],
        attendance: Mapping[str, list[tuple[_Row, str]]],
        needs: Mapping[str, list[tuple[_Row, Need]]],
    ) -> bool:
        """Skills, attendees and needs the tables add to records of the base graph."""
        self.updates: dict[str, tuple[Entity, list[_Row]]] = {}
        if self.base is None:
            return False
        changed = False
        for field, table, extra in (
            ("skills", "resident", skills),
            ("attendees", "activity", attendance),
            ("needs", "owner", needs),
        ):
            for entity_id, entries in extra.items():
                if self.ids[entity_id][1] is not None:
                    continue  # a record of the tables: built with its row
                record = self.base.get(entity_id)
                listed = list(getattr(record, field))
                rows: list[_Row] = []
                for erow, item in entries:
                    key = (
                        getattr(item, "skill", None)
                        if field == "skills"
                        else (getattr(item, "id", item))
                    )
                    if any(
                        (getattr(x, "skill", None) if field == "skills" else getattr(x, "id", x))
                        == key
                        for x in listed
                    ):
                        self._fail(
                            erow,
                            table if table != "owner" else "owner",
                            f"{key!r} is already listed in {field} of {entity_id!r}",
                            "give each once",
                        )
                        changed = True
                        continue
                    listed.append(item)
                    rows.append(erow)
                if not rows:
                    continue
                try:
                    changes: dict[str, Any] = {field: tuple(listed)}
                    new = attrs.evolve(record, **changes)
                except ValidationError as exc:
                    for erow in rows:
                        for p in exc.problems:
                            self._fail(erow, None, f"{entity_id!r}: {p.message}", p.hint)
                    changed = True
                    continue
                self.updates[entity_id] = (new, rows)
        return changed

    def _record(
        self,
        row: _Row,
        skills: Mapping[str, list[tuple[_Row, SkillLevel]]],
        attendance: Mapping[str, list[tuple[_Row, str]]],
        needs: Mapping[str, list[tuple[_Row, Need]]],
    ) -> Entity:
        spec = row.spec
        kind = cast(str, spec.kind)
        cls = entity_kinds()[kind]
        assert row.id is not None
        fields: dict[str, Any] = {"id": row.id}
        names = {a.name for a in attrs.fields(cls)}
        for field, value in row.values.items():
            if field in names and field != "id":
                fields[field] = value
        for field in row.resolved:
            col = spec.column(field)
            if field in names:
                fields[field] = (
                    self._many(row, field) if col.parse == "refs" else self._one(row, field)
                )
        for field in ("budget", "cost", "amount"):
            if f"{field}_yuan" in row.values:
                fields[f"{field}_fen"] = row.values[f"{field}_yuan"]
        if kind == "resident":
            if "age" in row.values:
                band = row.values["age"]
                if "age_band" in row.values and row.values["age_band"] is not band:
                    msg = "the age and the age band disagree"
                    raise _Bad(msg, "give one of the two columns")
                fields["age_band"] = band
            extra = skills.get(row.id, [])
            have = list(fields.get("skills", ()))
            for srow, item in extra:
                if any(s.skill == item.skill for s in have):
                    self._fail(
                        srow,
                        "skill",
                        f"skill {item.skill!r} is already listed for resident {row.id!r}",
                        "give each skill once",
                    )
                    continue
                have.append(item)
            fields["skills"] = tuple(have)
        elif kind == "activity":
            fields.setdefault("activity_kind", ActivityKind.OTHER)
            if fields.get("place") is None:
                project = fields.get("project")
                place = self._community_of(project) if project else None
                if place is None:
                    msg = "the activity has no place (社区 / 地点) and no project to take it from"
                    raise _Bad(msg, "add a column 社区 or 项目")
                fields["place"] = place
            listed = list(fields.get("attendees", ()))
            for arow, resident in attendance.get(row.id, []):
                if resident in listed:
                    self._fail(
                        arow,
                        "resident",
                        f"{resident!r} is already listed as attending {row.id!r}",
                        "give each attendee once",
                    )
                    continue
                listed.append(resident)
            fields["attendees"] = tuple(listed)
        elif kind in ("project", "proposal"):
            fields["needs"] = tuple(n for _, n in needs.get(row.id, []))
        return cls(**fields)

    def _community_of(self, project: str) -> str | None:
        _, row = self.ids[project]
        if row is None:
            assert self.base is not None
            return cast(str, getattr(self.base.get(project), "community", None))
        return self._one(row, "community")

    def links(self) -> list[tuple[Link, _Row, str, str]]:
        """(link, row, field of source, field of target) from ties, memberships and
        the project columns that add links."""
        out: list[tuple[Link, _Row, str, str]] = []
        for row in self.rows["projects"]:
            if row.failed:
                continue
            for field, relation in _LINK_COLUMNS.items():
                for resident in self._many(row, field):
                    assert row.id is not None
                    out.append(
                        (Link(source=resident, relation=relation, target=row.id), row, field, field)
                    )
        for row in self.rows["memberships"]:
            if row.failed:
                continue
            fields: dict[str, Any] = {}
            if "since" in row.values:
                fields["since"] = row.values["since"]
            link = self._link(row, "resident", Relation.MEMBER_OF, "group", fields)
            if link is not None:
                out.append((link, row, "resident", "group"))
        for row in self.rows["ties"]:
            if row.failed:
                continue
            fields = {
                f: row.values[f] for f in ("hours", "weight", "since", "until") if f in row.values
            }
            link = self._link(
                row, "source", row.values.get("relation", Relation.KNOWS), "target", fields
            )
            if link is not None:
                out.append((link, row, "source", "target"))
        return out

    def _link(
        self, row: _Row, source: str, relation: Relation, target: str, fields: Mapping[str, Any]
    ) -> Link | None:
        a, b = self._one(row, source), self._one(row, target)
        if a is None or b is None:
            return None
        try:
            return Link(source=a, relation=relation, target=b, **fields)
        except ValidationError as exc:
            for p in exc.problems:
                self._fail(row, _field_of(p.path, row), p.message, p.hint)
            return None

    def items(self) -> tuple[list[Entity | Link], dict[str, tuple[_Row, str, str]]]:
        """The records and links to add, and where each came from (by token)."""
        items: list[Entity | Link] = []
        where: dict[str, tuple[_Row, str, str]] = {}
        for kind in entity_kinds():
            for row in self.rows[KIND_PLURALS[kind]]:
                if not row.failed and row.record is not None:
                    where[f"\x00{len(items)}"] = (row, "", "")
                    items.append(row.record)
        for link, row, src, tgt in self.links():
            if row.failed:
                continue
            where[f"\x00{len(items)}"] = (row, src, tgt)
            items.append(link)
        return items, where

    def run(self, source: Any, *, strict: bool) -> ImportReport:
        self.collect(source)
        self.parse()
        self.register()
        self.resolve()
        while True:
            while True:
                failed_now = self.cascade()
                failed_now = self.build() or failed_now
                failed_now = self.cascade() or failed_now
                if not failed_now:
                    break
            items, where = self.items()
            graph = self._graph()
            tokens = {id(item): token for token, item in zip(where, items, strict=True)}
            checked = graph.check(items, functools.partial(_token, tokens))
            for problem in checked:
                token, _, rest = problem.path.partition(".")
                row, src, tgt = where.get(token, (None, "", ""))
                if row is None:  # pragma: no cover - every item has a token
                    continue
                field = rest.split("[")[0] if rest else None
                if field == "source":
                    field = src or None
                elif field == "target":
                    field = tgt or None
                self._fail(
                    row,
                    field if field in row.sheet.headers else None,
                    problem.message,
                    problem.hint,
                )
            if not checked:
                graph.add_all(items)
                for entity_id, (record, rows) in self.updates.items():
                    for problem in graph.check([record], replacing=True):
                        checked.append(problem)
                        for erow in rows:
                            self._fail(
                                erow, None, f"{entity_id!r}: {problem.message}", problem.hint
                            )
                if not checked:
                    for record, _ in self.updates.values():
                        graph.update(record)
                    break
            if strict:
                break
        problems = self.p.sorted()
        if strict and problems:
            raise FormatError(problems)
        for entity_id, (record, rows) in self.updates.items():
            self.p.note(
                _path(rows[0].sheet, 0, None),
                f"{len(rows)} row{'s' * (len(rows) > 1)} added to {record.kind} "
                f"{entity_id!r} of the base graph",
            )
        imported = {
            KIND_PLURALS[k]: len(graph.ids(k))
            - (len(self.base.ids(k)) if self.base is not None else 0)
            for k in entity_kinds()
        }
        imported["links"] = len(graph.links()) - (
            len(self.base.links()) if self.base is not None else 0
        )
        files = tuple(
            SourceFile(path=s.label, table=s.table, encoding=s.encoding, rows=s.rows)
            for s in self.sheets
        )
        return ImportReport(
            graph=graph,
            problems=tuple(problems),
            notes=tuple(self.p.notes),
            files=files,
            rows=sum(s.rows for s in self.sheets),
            imported=imported,
        )

    def _graph(self) -> CommunityGraph:
        if self.base is not None:
            graph = self.base.copy()
            graph.taxonomy = self.taxonomy
            graph.metadata = self.metadata
            return graph
        return CommunityGraph(taxonomy=self.taxonomy, metadata=self.metadata)


def _token(tokens: Mapping[int, str], item: object) -> str:
    return tokens[id(item)]


def _field_of(path: str, row: _Row) -> str | None:
    field = path.split(".", maxsplit=1)[0].split("[", maxsplit=1)[0]
    aliases = {
        "budget_fen": "budget_yuan",
        "cost_fen": "cost_yuan",
        "amount_fen": "amount_yuan",
        "age_band": "age",
    }
    if field not in row.sheet.headers and aliases.get(field) in row.sheet.headers:
        return aliases[field]
    return field if field in row.sheet.headers else None


def read_tables(
    source: str | Path | Iterable[str | Path] | Mapping[str, str | Path],
    *,
    strict: bool = True,
    mapping: Mapping[str, Mapping[str, str | None]] | None = None,
    taxonomy: SkillTaxonomy | None = None,
    base: CommunityGraph | None = None,
) -> ImportReport:
    """Read CSV and XLSX tables into a community graph.

    Parameters
    ----------
    source
        A directory (every ``.csv``, ``.tsv``, ``.xlsx`` file in it), a list of
        files, or a mapping from table name to file (for files named otherwise). Each
        file is a table recognised by its name (see :data:`TABLES`); a workbook's sheets
        are tables recognised by their names.
    strict
        If true (default), any problem raises :class:`~vchuang.errors.FormatError` and
        nothing is imported. If false, the good rows are imported and the report lists
        every row left out.
    mapping
        Extra headers per table, ``{"residents": {"手机号": None, "住址楼栋": "building"}}``:
        a header mapped to ``None`` is ignored without a note.
    taxonomy
        The skills residents may name (default: the base graph's, else
        :func:`vchuang.model.default_taxonomy`); a ``taxonomy`` table extends it.
    base
        A graph the tables add to: their rows may refer to its records by ID or name,
        and the result holds its records too (it is not changed).

    Returns
    -------
    ImportReport
        The graph, the problems (every row left out and why), notes, and the files read
        with their encodings.

    Raises
    ------
    FormatError
        With ``strict=True``, listing every problem: ``file:line (column header):
        message (hint: …)``.
    ValidationError
        ``mapping`` or a ``source`` mapping names an unknown table or column.
    MissingDependencyError
        An XLSX file is given and openpyxl is not installed (``pip install
        'vchuang[xlsx]'``).

    Notes
    -----
    The import goes in steps, each over all rows: read and decode every file (UTF-8,
    then GB18030; a file whose lines are in both is reported line by line); find the
    header row and map the columns; read each cell (dates year first, ``2019/9/21`` or
    ``2019年9月21日``; money in yuan unless the header says 分; numbers may carry a unit,
    ``3小时``); give IDs to rows without one (``r0001`` …); resolve each reference by ID,
    then by name (a place's name may drop 社区 / 街道 / 区); build the records; then
    leave out, again and again until nothing changes, rows that refer to a row left out;
    finally check the whole graph (:meth:`~vchuang.graph.CommunityGraph.check`).

    Problem messages never repeat a resident's name (a name in a cell that matches no
    resident is described, not echoed), so a report can be shown to others.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "communities.csv").write_text("name,subdistrict,district\\n"
    ...                                        "Pingnan,Longgang St,Longgang\\n")
    >>> _ = (d / "residents.csv").write_text("name,community,birth_year\\n"
    ...                                      "Chen Wei,Pingnan,1984\\nLi Na,Pingnam,19x6\\n")
    >>> read_tables(d)
    Traceback (most recent call last):
    ...
    vchuang.errors.FormatError: 2 problems in the document:
      residents.csv:3 (column community): unknown community 'Pingnam' (hint: did you mean 'Pingnan' (ID 'c0001')?)
      residents.csv:3 (column birth_year): birth_year must be a whole number, got '19x6'
    >>> report = read_tables(d, strict=False)
    >>> [r.id for r in report.graph.residents()], len(report.problems)
    (['r0001'], 2)
    """
    importer = _Importer(mapping=mapping, taxonomy=taxonomy, base=base)
    return importer.run(source, strict=strict)


def import_command(
    directory: str | Path,
    output: str | Path,
    *,
    strict: bool = True,
    base: str | Path | None = None,
) -> tuple[int, list[str]]:
    """Import a directory of tables and save the graph as JSON: ``vchuang import``.

    Parameters
    ----------
    directory
        The directory of CSV and XLSX tables (or one file).
    output
        The JSON document to write (atomically).
    strict
        If true, write nothing when any row has a problem.
    base
        A vchuang JSON document the tables add to.

    Returns
    -------
    tuple
        The exit code — 0 all imported, 1 nothing written (problems, or a file that cannot
        be read), 2 written without the rows listed — and the lines to print.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "communities.csv").write_text("name,subdistrict,district\\nPingnan,Longgang St,Longgang\\n")
    >>> code, lines = import_command(d, d / "data.json")
    >>> code, lines[-1]
    (0, 'wrote data.json: 1 district, 1 subdistrict, 1 community')
    """
    from ._json import dumps, load

    try:
        graph = load(base) if base is not None else None
    except (OSError, FormatError) as exc:
        return 1, [f"{base}: cannot use as the base graph: {exc}"]
    try:
        report = read_tables(directory, strict=False, base=graph)
    except ValidationError as exc:  # pragma: no cover - no mapping is given here
        return 1, [str(exc)]
    lines = report.lines()
    if report.problems and strict:
        lines.append(
            f"nothing written to {output}: fix the problems above, or import the "
            "good rows only with --lenient"
        )
        return 1, lines
    target = Path(output)
    try:
        atomic_write_text(target, dumps(report.graph))
    except OSError as exc:
        return 1, [*lines, f"{output}: cannot write: {exc.strerror or exc}"]
    counts = report.graph.summary().counts
    kinds = ", ".join(f"{n} {k if n == 1 else KIND_PLURALS[k]}" for k, n in counts.items() if n)
    lines = [line for line in lines if not line.startswith("imported:")]
    lines.append(f"wrote {target.name}: {kinds or 'an empty graph'}")
    if report.problems:
        n = len(report.problems)
        lines.append(f"{n} problem{'s' * (n != 1)} above: those rows are not in {target.name}")
        return 2, lines
    return 0, lines
