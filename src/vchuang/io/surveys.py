"""Questionnaires: 问卷星 (wjx) and KoboToolbox/ODK exports into residents, skills and ties.

A social worker's survey of a community (社区居民参与问卷) says who people are, what
they can do, how many hours they can give, and whom they know. :func:`read_survey` reads
one export of such a questionnaire, with a *mapping* (a small TOML file) that says which
question fills which field, into a :class:`~vchuang.graph.CommunityGraph`:

* **问卷星 exports**, in both of its forms: *by option text* (按选项文本, ``平面设计┋摄影``)
  and *by option number* (按选项序号, ``1┋3``, turned into text with the ``[options]``
  of the mapping). The six metadata columns (序号, 提交答卷时间, 所用时间, 来源, 来源详情,
  来自IP) are recognised and kept out of the graph (序号 names the response in every
  message; the IP address is never read). Multiple choices are joined by ``┋``, rankings
  by ``→``; the skip codes ``-2`` (skipped) and ``-3`` (not shown) are missing answers.
* **Generic exports** with one column per question (KoboToolbox, ODK): group names are
  joined by ``/`` (``personal/name``; a question may be named by its last part), and a
  multiple choice lists its options separated by spaces or the usual separators.
* **Name-generator questions** ("你常和谁一起参加社区活动？") become
  :attr:`~vchuang.model.Relation.KNOWS` ties. Each name is looked up on the roster (the
  residents of ``base`` and the respondents): exactly first; then by pinyin (homophones
  typed with a Chinese input method, ``张皓`` for ``张浩``; needs ``pypinyin`` from the
  ``surveys`` extra, and without it the step is skipped and the report says so) and by
  spelling (:mod:`difflib`), each with a *confidence*. A name matched only by pinyin or
  spelling is listed in :attr:`SurveyImport.matches`; a name that matches no one, or
  several residents equally well, is a problem naming its response and column. No name is
  guessed silently.
* **Position and resource generators** (Lin's position generator, Van der Gaag and
  Snijders' resource generator) are kept as plain tables, kind → resident → items
  (:attr:`SurveyImport.generators`), for the social-capital measures.

The mapping
-----------
A question is named by its full text, its number (``"3"`` finds ``3、您擅长哪些技能？``
and ``Q3``) or a part of its text found in one question only::

    [survey]
    file = "社区活动问卷.csv"    # the export, relative to this file (optional)
    community = "平南社区"       # when no question gives the community
    id_prefix = "wjx"            # new residents are wjx-<序号>

    [fields]
    name = "1"
    community = "2"
    hours = "每周"
    consent = "4"
    segments = "5"
    birth_year = "6"

    [skills]
    question = "3"               # a multiple choice whose options are skills
    levels = { "平面设计" = "7" } # optional: a question giving the level of a skill
    options = { "会做海报" = "graphic_design" }  # optional: option text -> skill

    [options]                    # for exports by option number: the options in order
    "3" = ["平面设计", "摄影", "演讲"]

    [[ties]]
    question = "你常和谁一起参加社区活动"
    weight = 1.0

    [[generators]]
    kind = "position"            # or "resource"
    question = "9"

Every problem names where it is, ``问卷.csv:7 (column 3、您擅长哪些技能？)``, in the user's
language (``lang="zh"``). With ``strict=True`` any problem raises
:class:`~vchuang.errors.FormatError` and nothing is imported; with ``strict=False`` a
response without a usable name or community is left out, a bad answer is dropped from
its response, and an unresolved name makes no tie; each is listed in
:attr:`SurveyImport.problems`.

Examples
--------
>>> import pathlib, tempfile
>>> from vchuang.datasets import longgang_pilot
>>> from vchuang.io.surveys import read_survey
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "wjx.csv").write_text(
...     "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、您的姓名,2、您会什么？,"
...     "3、你常和谁一起参加社区活动？\\n"
...     "1,2019/9/1 10:00:00,95秒,手机提交,直接访问,1.2.3.4(广东-深圳),王小明,摄影┋演讲,"
...     "王小红\\n"
...     "2,2019/9/1 10:05:00,80秒,手机提交,直接访问,1.2.3.5(广东-深圳),王小红,-3,-2\\n",
...     encoding="utf-8")
>>> mapping = {"survey": {"community": "pingnan"}, "fields": {"name": "1"},
...            "skills": {"question": "2"}, "ties": [{"question": "3"}]}
>>> result = read_survey(d / "wjx.csv", mapping, base=longgang_pilot())
>>> result.form, result.respondents
('wjx_text', {'1': 'wjx-1', '2': 'wjx-2'})
>>> [(t.source, t.target) for t in result.ties]
[('wjx-1', 'wjx-2')]
>>> [s.skill for s in result.graph.get("wjx-1").skills]
['photography', 'public_speaking']
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from .._optional import require
from ..errors import CellError, FormatError, Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.text import Lang, check_lang, text
from ..model import Link, Relation, Resident, SkillLevel
from .cells import (
    cell_text,
    clean,
    clean_text,
    header_key,
    parse_bool,
    parse_level,
    parse_number,
    parse_year,
)
from .tables._cells import skill_item
from .tables._reading import read_csv, read_xlsx
from .tables._sheets import Problems, Sheet

__all__ = [
    "METADATA_COLUMNS",
    "SKIP_CODES",
    "NameMatch",
    "SurveyImport",
    "load_mapping",
    "read_survey",
    "resolve_name",
]

#: Below this confidence the closest roster name is not offered as a hint.
_HINT_NEAR = 0.5

#: The metadata columns of a 问卷星 export (kept out of the graph).
METADATA_COLUMNS = ("序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP")
#: Metadata columns of KoboToolbox and ODK exports (kept out of the graph).
_GENERIC_METADATA = frozenset(
    header_key(h)
    for h in (
        "start",
        "end",
        "today",
        "deviceid",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "__version__",
        "_tags",
        "_index",
        "meta/instanceID",
        "instanceID",
        "KEY",
        "SubmissionDate",
    )
)
#: Answers that mean "no answer": 问卷星's skip codes (-2 skipped, -3 not shown) and
#: the words it writes for them.
SKIP_CODES = frozenset(("-2", "-3", "(跳过)", "（跳过）", "(空)", "（空）"))
_CHOICE = re.compile(r"[┋→]")
_WJX_NUMBER = re.compile(r"^\s*(?:Q|第)?(\d+)(?:题)?\s*[、.\uff0e:：)）]")
_FIELDS = ("name", "community", "hours", "consent", "segments", "birth_year")
_KEYS = {
    "": ("survey", "fields", "skills", "options", "ties", "generators"),
    "survey": ("file", "form", "community", "id_prefix", "accept"),
    "skills": ("question", "levels", "options"),
    "ties": ("question", "relation", "weight"),
    "generators": ("kind", "question"),
}


def _t(key: str, lang: str, /, **fields: object) -> str:
    return text(f"surveys.{key}", lang, **fields)


# ---------------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class NameMatch:
    """A name from a name-generator answer and the resident it was read as."""

    response: str
    """The response (问卷星's 序号, or the line)."""
    column: str
    """The question's header."""
    name: str
    """The name as written."""
    resident: str
    """The resident's ID."""
    method: str
    """``"exact"``, ``"pinyin"`` or ``"fuzzy"``."""
    confidence: float
    """1.0 for an exact match; the pinyin step gives 0.9; spelling the
    :class:`difflib.SequenceMatcher` ratio."""


@attrs.frozen(kw_only=True, eq=False)
class SurveyImport:
    """What :func:`read_survey` read, imported and left out, and why."""

    graph: CommunityGraph = attrs.field(repr=False)
    """The roster with the respondents, their answers and their ties."""
    form: str
    """``"wjx_text"``, ``"wjx_number"`` or ``"generic"``."""
    rows: int
    """Responses read."""
    respondents: Mapping[str, str] = attrs.field(repr=False)
    """Response (序号 or line) → resident ID, for every response imported."""
    new: tuple[str, ...] = attrs.field(repr=False)
    """Residents added (the others were on the roster and gained the answers)."""
    ties: tuple[Link, ...] = attrs.field(repr=False)
    """The KNOWS links made from the name-generator questions."""
    matches: tuple[NameMatch, ...] = attrs.field(repr=False)
    """Every name resolved, exactly or not (those not exact are worth a look)."""
    generators: Mapping[str, Mapping[str, tuple[str, ...]]] = attrs.field(repr=False)
    """Position and resource generators: kind → resident → items named."""
    problems: tuple[Problem, ...] = attrs.field(repr=False)
    """Every answer left out and why, by response and column."""
    notes: tuple[Problem, ...] = attrs.field(repr=False)
    """Things worth knowing that lose nothing."""
    lang: str = attrs.field(default="en", repr=False)

    @property
    def ok(self) -> bool:
        """Whether every answer was imported."""
        return not self.problems

    def generator_rows(self) -> list[dict[str, str]]:
        """The generators as one row per item: ``kind``, ``resident``, ``item``."""
        return [
            {"kind": kind, "resident": rid, "item": item}
            for kind, table in self.generators.items()
            for rid, items in table.items()
            for item in items
        ]

    def to_rows(self) -> list[dict[str, Any]]:
        """Problems, then the names not matched exactly, then notes, as rows."""
        out: list[dict[str, Any]] = [
            {"severity": "problem", "path": p.path, "message": p.message, "hint": p.hint}
            for p in self.problems
        ]
        out += [
            {
                "severity": "match",
                "path": f"{m.response} ({m.column})",
                "message": self._match_text(m),
                "hint": "",
            }
            for m in self.matches
            if m.method != "exact"
        ]
        out += [
            {"severity": "note", "path": p.path, "message": p.message, "hint": p.hint}
            for p in self.notes
        ]
        return out

    def _match_text(self, m: NameMatch) -> str:
        method = _t(f"method_{m.method}", self.lang)
        return _t(
            "matched",
            self.lang,
            name=m.name,
            resident=m.resident,
            method=method,
            confidence=m.confidence,
        )

    def lines(self) -> list[str]:
        """The report as lines of text (what ``vchuang import --survey`` prints)."""
        lang = self.lang
        out = [_t("form", lang, form=_t(f"form_{self.form}", lang), rows=self.rows)]
        out.append(
            _t(
                "respondents",
                lang,
                new=len(self.new),
                updated=len(set(self.respondents.values())) - len(self.new),
            )
        )
        fuzzy = sum(1 for m in self.matches if m.method != "exact")
        out.append(_t("ties", lang, n=len(self.ties), fuzzy=fuzzy))
        for kind, table in self.generators.items():
            n = sum(len(v) for v in table.values())
            out.append(_t("generators", lang, kind=kind, n=n, people=len(table)))
        out += [f"  {m.response} ({m.column}): {self._match_text(m)}" for m in self.matches
                if m.method != "exact"]  # fmt: skip
        out += [f"note: {n}" for n in self.notes]
        if self.problems:
            out.append(_t("problems", lang, n=len(self.problems)))
            out += [str(p) for p in self.problems]
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return (
            f"SurveyImport(form={self.form!r}, rows={self.rows}, "
            f"respondents={len(self.respondents)}, new={len(self.new)}, "
            f"ties={len(self.ties)}, problems={len(self.problems)}, "
            f"first_problems={preview(p.path for p in self.problems)})"
        )

    def _repr_html_(self) -> str:
        rows: list[tuple[object, object]] = [
            ("responses", self.rows),
            ("new residents", len(self.new)),
            ("ties", len(self.ties)),
            ("problems", len(self.problems)),
        ]
        rows += [(p.path, p.message) for p in self.problems[:SHOWN]]
        return html_table(_t("repr_title", self.lang), ("", ""), rows)


# ---------------------------------------------------------------------- mapping


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    return require("tomli", extra="core", feature="reading TOML survey mappings")


def load_mapping(path: str | os.PathLike[str], *, lang: str = "en") -> dict[str, Any]:
    """Read a TOML mapping file (checked by :func:`read_survey`); its ``[survey] file``
    is made relative to the mapping's folder.

    Raises
    ------
    FormatError
        The file cannot be read or is not TOML.
    """
    toml = _toml()
    where = Path(path)
    try:
        mapping: dict[str, Any] = toml.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, toml.TOMLDecodeError) as exc:
        raise FormatError(
            [Problem(where.name, _t("mapping_unreadable", lang, error=exc), _t("hint_toml", lang))]
        ) from None
    survey = mapping.get("survey")
    if isinstance(survey, dict) and isinstance(survey.get("file"), str):
        survey["file"] = str(where.parent / survey["file"])
    mapping.setdefault("_name", where.name)
    return mapping


def _check_mapping(mapping: Mapping[str, Any], lang: str) -> list[Problem]:
    name = str(mapping.get("_name", "mapping"))
    problems: list[Problem] = []

    def keys(table: Any, section: str, where: str) -> None:
        if not isinstance(table, Mapping):
            problems.append(
                Problem(f"{name} {where}", _t("mapping_bad_value", lang, key=where, what="a table"))
            )
            return
        allowed = _KEYS.get(section)
        if allowed is None:
            return
        for key in table:
            if key not in allowed and key != "_name":
                problems.append(
                    Problem(
                        f"{name} {where}",
                        _t("mapping_unknown_key", lang, key=key),
                        _t("hint_mapping_keys", lang, keys=", ".join(allowed)),
                    )
                )

    keys(mapping, "", "[top]")
    for section in ("survey", "skills", "options"):
        if section in mapping:
            keys(mapping[section], section, f"[{section}]")
    if "fields" in mapping:
        keys(mapping["fields"], "fields", "[fields]")
        for key in mapping["fields"] if isinstance(mapping["fields"], Mapping) else ():
            if key not in _FIELDS:
                problems.append(
                    Problem(
                        f"{name} [fields]",
                        _t("mapping_unknown_key", lang, key=key),
                        _t("hint_mapping_keys", lang, keys=", ".join(_FIELDS)),
                    )
                )
    for section in ("ties", "generators"):
        entries = mapping.get(section, [])
        if not isinstance(entries, list):
            problems.append(
                Problem(
                    f"{name} [[{section}]]",
                    _t("mapping_bad_value", lang, key=section, what="a list of tables"),
                )
            )
            continue
        for i, entry in enumerate(entries):
            keys(entry, section, f"[[{section}]] {i + 1}")
            if not isinstance(entry, Mapping):
                continue
            if section == "ties" and entry.get("relation", "knows") != "knows":
                problems.append(
                    Problem(f"{name} [[ties]] {i + 1}", _t("relation_knows_only", lang))
                )
            if section == "generators" and entry.get("kind") not in ("position", "resource"):
                problems.append(
                    Problem(f"{name} [[generators]] {i + 1}", _t("generator_kind", lang))
                )
    return problems


# ---------------------------------------------------------------------- names


def _pinyin_of() -> Any:
    try:
        import pypinyin
    except ImportError:
        return None
    return pypinyin


class _Roster:
    """Residents by folded name, by pinyin and by first character."""

    def __init__(self, graph: CommunityGraph, pinyin: Any) -> None:
        self.pinyin = pinyin
        self.exact: dict[str, list[str]] = {}
        self.sound: dict[str, list[str]] = {}
        self.first: dict[str, list[str]] = {}
        self.names: dict[str, str] = {}
        self.community: dict[str, str] = {}
        for r in graph.residents():
            self.add(r.id, r.name, r.community)

    def _sound(self, name: str) -> str:
        return " ".join(self.pinyin.lazy_pinyin(name)).casefold()

    def add(self, rid: str, name: str, community: str) -> None:
        key = header_key(name)
        self.exact.setdefault(key, []).append(rid)
        if key:
            self.first.setdefault(key[0], []).append(rid)
        if self.pinyin is not None:
            self.sound.setdefault(self._sound(name), []).append(rid)
        self.names[rid] = key
        self.community[rid] = community

    def exact_hits(self, name: str, community: str | None) -> list[str]:
        """The residents of exactly this name (those of ``community`` when several)."""
        return self._prefer(self.exact.get(header_key(name), []), community)

    def resolve(
        self, name: str, community: str | None, accept: float
    ) -> tuple[str, list[str], float]:
        """(method, residents, confidence): one resident when resolved, several when
        ambiguous, none when not found (then the closest with its confidence, if any,
        is in ``residents`` under the method ``"near"``)."""
        key = header_key(name)
        hits = self.exact.get(key, [])
        if hits:
            return "exact", self._prefer(hits, community), 1.0
        if self.pinyin is not None:
            hits = self.sound.get(self._sound(name), [])
            if hits:
                return "pinyin", self._prefer(hits, community), 0.9
        # candidates: the same first character (a surname), and on a small roster any
        # name of about the same length (a wrong first character)
        pool = set(self.first.get(key[:1], []))
        if len(self.exact) <= 5000:
            pool.update(
                rid for k, ids in self.exact.items() if abs(len(k) - len(key)) <= 1 for rid in ids
            )
        best: list[str] = []
        score = 0.0
        matcher = difflib.SequenceMatcher(None, b=key)  # b is cached: set it once
        for rid in sorted(pool):
            matcher.set_seq1(self.names[rid])
            # the cheap upper bounds first: most candidates stop here
            if matcher.real_quick_ratio() < score - 1e-9 or matcher.quick_ratio() < score - 1e-9:
                continue
            ratio = matcher.ratio()
            if ratio > score + 1e-9:
                best, score = [rid], ratio
            elif abs(ratio - score) <= 1e-9:
                best.append(rid)
        if best and score >= accept:
            return "fuzzy", self._prefer(best, community), round(score, 2)
        return "near", best[:1], round(score, 2)

    def _prefer(self, hits: list[str], community: str | None) -> list[str]:
        if len(hits) > 1 and community is not None:
            local = [h for h in hits if self.community.get(h) == community]
            if local:
                return local
        return hits


def resolve_name(
    graph: CommunityGraph, name: str, *, community: str | None = None, accept: float = 0.8
) -> tuple[str, tuple[str, ...], float]:
    """Look a name up among the residents of ``graph``: exactly, then by pinyin, then by
    spelling.

    Returns
    -------
    tuple
        ``(method, residents, confidence)``: ``method`` is ``"exact"``, ``"pinyin"``,
        ``"fuzzy"`` (one resident: resolved; several: ambiguous) or ``"near"`` (not
        resolved; the closest resident, if any, and its confidence).

    Examples
    --------
    >>> from vchuang.datasets import longgang_pilot
    >>> g = longgang_pilot()
    >>> someone = g.residents()[5]
    >>> resolve_name(g, someone.name)[:2] == ("exact", (someone.id,))
    True
    """
    method, hits, confidence = _Roster(graph, _pinyin_of()).resolve(name, community, accept)
    return method, tuple(hits), confidence


# ---------------------------------------------------------------------- reading


def _read_rows(path: Path, problems: Problems) -> list[Sheet]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(path, 0, None, problems)
    return [read_csv(path, path.name, 0, "residents", problems)]  # delimiter guessed on one spec


class _Columns:
    """The header row of a survey and the questions the mapping names."""

    def __init__(self, sheet: Sheet, at: int, lang: str) -> None:
        self.sheet = sheet
        self.lang = lang
        self.line, cells = sheet.raw[at]
        self.headers = [c.strip() for c in cells]
        self.keys = [header_key(h) for h in self.headers]
        self.numbers = [m.group(1) if (m := _WJX_NUMBER.match(h)) else None for h in self.headers]

    def find(self, ref: object, *, many: bool = False) -> list[int]:
        """The columns of a question named by text, number or a unique part."""
        q = str(ref).strip()
        key = header_key(q)
        if q.isdigit():
            found = [i for i, n in enumerate(self.numbers) if n == q]
            if found:
                return found if many else found[:1]
        exact = [i for i, k in enumerate(self.keys) if k == key]
        if exact:
            if many:
                return exact + [
                    i
                    for i, k in enumerate(self.keys)
                    if i not in exact and k.startswith(key) and k != key
                ]
            return exact
        last = [i for i, k in enumerate(self.keys) if k.rsplit("/", 1)[-1] == key]
        if last:
            return last
        part = [i for i, k in enumerate(self.keys) if key and key in k]
        if many:
            return part
        if len(part) > 1:
            names = ", ".join(self.headers[i] for i in part[:4])
            raise ValidationError(
                [
                    Problem(
                        self.sheet.label,
                        _t("two_questions", self.lang, question=q, found=names),
                        _t("hint_two_questions", self.lang),
                    )
                ]
            )
        return part


def _questions(mapping: Mapping[str, Any]) -> list[object]:
    refs: list[object] = list((mapping.get("fields") or {}).values())
    skills = mapping.get("skills") or {}
    if "question" in skills:
        refs.append(skills["question"])
    refs += list((skills.get("levels") or {}).values())
    refs += [e.get("question") for e in mapping.get("ties", []) if isinstance(e, Mapping)]
    refs += [e.get("question") for e in mapping.get("generators", []) if isinstance(e, Mapping)]
    return [r for r in refs if r is not None]


def _header_row(sheet: Sheet, refs: list[object], lang: str) -> _Columns | None:
    best: tuple[int, int] | None = None
    for at in range(min(10, len(sheet.raw))):
        cols = _Columns(sheet, at, lang)
        try:
            hits = sum(1 for r in refs if cols.find(r))
        except ValidationError:
            hits = 0
        if "序号" in cols.headers:
            hits += len(refs) + 1
        if hits and (best is None or hits > best[1]):
            best = (at, hits)
        if hits >= len(refs) and hits:
            break
    return None if best is None else _Columns(sheet, best[0], lang)


@attrs.define
class _Answer:
    values: list[str]
    column: str


def read_survey(
    source: str | os.PathLike[str] | None,
    mapping: str | os.PathLike[str] | Mapping[str, Any],
    *,
    base: CommunityGraph | None = None,
    strict: bool = True,
    lang: str = "en",
) -> SurveyImport:
    """Read a questionnaire export into residents, skills and ties.

    Parameters
    ----------
    source
        The export (CSV in UTF-8, GB18030 or UTF-16, or XLSX); ``None`` takes the
        mapping's ``[survey] file``.
    mapping
        A TOML mapping file, or the same as a dict (see the module's docs).
    base
        The roster: a graph whose communities, segments and residents the answers refer
        to. Respondents found on it (same name, one resident, in the same community when
        several share the name) gain their answers; the others are added. It is not
        changed.
    strict
        If true (default), any problem raises :class:`~vchuang.errors.FormatError` and
        nothing is imported.
    lang : {"en", "zh"}
        The language of the messages.

    Returns
    -------
    SurveyImport
        The graph, what was imported, and every problem by response and column.

    Raises
    ------
    FormatError
        The mapping or the export cannot be read, or (strict) an answer is bad.
    ValidationError
        The mapping names an unknown key or a question the export lacks.
    """
    check_lang(lang)
    lng: Lang = "zh" if lang == "zh" else "en"
    if not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping, lang=lang)
    bad = _check_mapping(mapping, lang)
    if bad:
        raise ValidationError(bad)
    survey = mapping.get("survey") or {}
    if source is None:
        if "file" not in survey:
            raise ValidationError([Problem("source", _t("no_survey_file", lang))])
        source = survey["file"]
    path = Path(source)
    collected = Problems(lng)
    sheets = _read_rows(path, collected)
    if collected.items or not sheets:
        raise FormatError(collected.sorted())
    sheet = sheets[0]
    refs = _questions(mapping)
    cols = _header_row(sheet, refs, lang)
    if cols is None:
        raise FormatError([Problem(sheet.label, _t("no_header", lang), _t("hint_no_header", lang))])
    # every question the mapping names must be there
    missing = [
        Problem(
            f"{mapping.get('_name', 'mapping')}",
            _t("no_question", lang, question=str(r)),
            _t("hint_questions", lang, questions=preview(h for h in cols.headers if h)),
        )
        for r in refs
        if not cols.find(r)
    ]
    if missing:
        raise ValidationError(missing)
    return _Reader(mapping, cols, base, lang).run(strict)


class _Reader:
    def __init__(
        self,
        mapping: Mapping[str, Any],
        cols: _Columns,
        base: CommunityGraph | None,
        lang: str,
    ) -> None:
        self.mapping = mapping
        self.cols = cols
        self.lang = lang
        self.graph = base.copy() if base is not None else CommunityGraph()
        self.sheet = cols.sheet
        self.problems: list[tuple[tuple[int, int], Problem]] = []
        self.notes: list[Problem] = []
        survey = mapping.get("survey") or {}
        self.accept = float(survey.get("accept", 0.8))
        self.prefix = str(survey.get("id_prefix", "wjx"))
        headers = set(cols.headers)
        self.wjx = "序号" in headers or survey.get("form") == "wjx"
        self.meta = {
            i
            for i, h in enumerate(cols.headers)
            if h in METADATA_COLUMNS or header_key(h) in _GENERIC_METADATA or h == "总分"
        }
        self.serial = cols.headers.index("序号") if "序号" in headers else None
        self.options: dict[int, list[str]] = {}
        for ref, options in (mapping.get("options") or {}).items():
            for i in cols.find(ref, many=True):
                self.options[i] = [str(o) for o in options]
        self.numbered = False
        self.default_community = survey.get("community")

    # -- problems
    def problem(self, line: int, col: int | None, message: str, hint: str = "") -> None:
        where = f"{self.sheet.label}:{line}"
        if col is not None:
            where += f" (column {self.cols.headers[col]})"
        self.problems.append(((line, -1 if col is None else col), Problem(where, message, hint)))

    def cell_problem(self, line: int, col: int, err: CellError) -> None:
        self.problem(line, col, *cell_text(err, self.lang))

    # -- cells
    def values(self, cells: list[str], col: int, line: int, *, choice: bool) -> list[str] | None:
        """The answer of one column as items (None when missing or bad)."""
        raw = cells[col].strip() if col < len(cells) else ""
        if not raw or raw in SKIP_CODES:
            return None
        if self.wjx or _CHOICE.search(raw):
            items = [v.strip() for v in _CHOICE.split(raw)]
        elif choice and not self.wjx:
            items = [v for v in re.split(r"[\s;；,，、|]+", raw) if v]
        else:
            items = [raw]
        items = [v for v in items if v and v not in SKIP_CODES]
        out: list[str] = []
        for item in items:
            v = re.sub(r"〖(.*)〗$", "", item).strip() or item  # 其他〖…〗: the option
            if col in self.options and v.isdigit():
                self.numbered = True
                options = self.options[col]
                n = int(v)
                if not 1 <= n <= len(options):
                    self.problem(
                        line, col, _t("no_such_option", self.lang, value=v, n=len(options))
                    )
                    return None
                v = options[n - 1]
            elif choice and v.isdigit() and self.wjx:
                number = self.cols.numbers[col] or self.cols.headers[col]
                self.problem(
                    line,
                    col,
                    _t("option_number", self.lang, value=v),
                    _t("hint_option_number", self.lang, question=number),
                )
                return None
            out.append(v)
        return out or None

    def one(
        self, cells: list[str], ref: object, line: int, *, choice: bool = True
    ) -> tuple[str, int] | None:
        col = self.cols.find(ref)[0]
        vals = self.values(cells, col, line, choice=choice)
        return None if vals is None else ("┋".join(vals), col)

    def lookup(self, kind: str, name: str) -> str | None:
        key = header_key(name)
        for record in self.graph.entities(kind):
            if key in (
                header_key(record.id),
                header_key(record.name),
                header_key(getattr(record, "name_zh", "") or ""),
            ):
                return str(record.id)
        return None

    # -- the work
    def run(self, strict: bool) -> SurveyImport:
        lang = self.lang
        fields = self.mapping.get("fields") or {}
        skills_map = self.mapping.get("skills") or {}
        if "name" not in fields:
            raise ValidationError(
                [
                    Problem(
                        str(self.mapping.get("_name", "mapping")),
                        _t("no_question", lang, question="[fields] name"),
                    )
                ]
            )
        default_com = None
        if self.default_community is not None:
            default_com = self.lookup("community", str(self.default_community))
            if default_com is None:
                known = preview(c.name_zh or c.name for c in self.graph.communities())
                raise ValidationError(
                    [
                        Problem(
                            f"{self.mapping.get('_name', 'mapping')} [survey] community",
                            _t("unknown_community", lang, name=self.default_community),
                            _t("hint_community", lang, known=known),
                        )
                    ]
                )
        pinyin = _pinyin_of()
        roster = _Roster(self.graph, pinyin)
        taxonomy = self.graph.taxonomy
        skill_options = {
            header_key(k): str(v) for k, v in (skills_map.get("options") or {}).items()
        }
        data = [
            (ln, cs)
            for ln, cs in self.sheet.raw
            if ln > self.cols.line and any(c.strip() for c in cs)
        ]
        respondents: dict[str, str] = {}
        new: list[str] = []
        pending: list[tuple[str, str, int, list[str]]] = []  # response, rid, line, cells
        additions: list[Resident] = []
        replaced: dict[str, Resident] = {}
        used_ids = {r.id for r in self.graph.residents()}
        for line, cells in data:
            response = (
                cells[self.serial].strip()
                if self.serial is not None
                and self.serial < len(cells)
                and cells[self.serial].strip()
                else str(line)
            )
            got = self.one(cells, fields["name"], line, choice=False)
            if got is None:
                self.problem(line, self.cols.find(fields["name"])[0], _t("no_name", lang))
                continue
            name = clean_text(got[0])
            community = default_com
            if "community" in fields:
                got = self.one(cells, fields["community"], line)
                if got is not None:
                    found = self.lookup("community", got[0])
                    if found is None:
                        known = preview(c.name_zh or c.name for c in self.graph.communities())
                        self.problem(
                            line,
                            got[1],
                            _t("unknown_community", lang, name=got[0]),
                            _t("hint_community", lang, known=known),
                        )
                        continue
                    community = found
            if community is None:
                self.problem(
                    line, None, _t("no_community", lang), _t("hint_default_community", lang)
                )
                continue
            changes: dict[str, Any] = {}
            levels: dict[str, Any] = {}
            skills: list[SkillLevel] = []
            if "question" in skills_map:
                col = self.cols.find(skills_map["question"])[0]
                for item in self.values(cells, col, line, choice=True) or []:
                    target = skill_options.get(header_key(item), item)
                    try:
                        skill, level = skill_item(target, taxonomy)
                    except CellError as err:
                        self.cell_problem(line, col, err)
                        continue
                    if all(s.skill != skill for s in skills):
                        skills.append(SkillLevel(skill=skill, level=level))
            for label, ref in (skills_map.get("levels") or {}).items():
                col = self.cols.find(ref)[0]
                vals = self.values(cells, col, line, choice=True)
                if vals is None:
                    continue
                try:
                    skill = skill_item(skill_options.get(header_key(label), label), taxonomy)[0]
                    levels[skill] = parse_level(vals[0])
                except CellError as err:
                    self.cell_problem(line, col, err)
            for skill, level in levels.items():
                skills = [s for s in skills if s.skill != skill]
                skills.append(SkillLevel(skill=skill, level=level))
            if skills:
                changes["skills"] = tuple(skills)
            for field, parse in (("hours", parse_number), ("birth_year", parse_year)):
                if (
                    field in fields
                    and (got := self.one(cells, fields[field], line, choice=False)) is not None
                ):
                    try:
                        changes["hours_per_week" if field == "hours" else field] = parse(
                            got[0], self.cols.headers[got[1]]
                        )
                    except CellError as err:
                        self.cell_problem(line, got[1], err)
            if (
                "consent" in fields
                and (got := self.one(cells, fields["consent"], line)) is not None
            ):
                try:
                    changes["consent_to_name"] = parse_bool(got[0])
                except CellError as err:
                    self.cell_problem(line, got[1], err)
            if "segments" in fields:
                col = self.cols.find(fields["segments"])[0]
                segs: list[str] = []
                for item in self.values(cells, col, line, choice=True) or []:
                    seg = self.lookup("segment", item)
                    if seg is None:
                        self.problem(line, col, _t("unknown_segment", lang, name=item))
                    elif seg not in segs:
                        segs.append(seg)
                if segs:
                    changes["segments"] = tuple(segs)
            hits = roster.exact_hits(name, community)
            existing = hits[0] if len(hits) == 1 else None
            if (
                existing is not None
                and roster.community.get(existing) != community
                and "community" in fields
            ):
                existing = None
            if existing is not None and existing not in respondents.values():
                record = replaced.get(existing) or self.graph.get(existing, Resident)
                merged = dict(changes)
                if "skills" in merged:
                    have = {s.skill: s for s in record.skills}
                    for s in merged["skills"]:
                        have[s.skill] = s
                    merged["skills"] = tuple(have.values())
                if "segments" in merged:
                    merged["segments"] = tuple(
                        dict.fromkeys((*record.segments, *merged["segments"]))
                    )
                replaced[existing] = attrs.evolve(record, **merged)
                rid = existing
            else:
                rid = f"{self.prefix}-{response}"
                while rid in used_ids:
                    rid += "x"
                used_ids.add(rid)
                additions.append(Resident(id=rid, name=name, community=community, **changes))
                roster.add(rid, name, community)
                new.append(rid)
            respondents[response] = rid
            pending.append((response, rid, line, cells))
        if replaced:
            self.graph.change(replace=replaced.values())
        self.graph.add_all(additions)
        ties, matches = self._ties(pending, roster)
        generators = self._generators(pending)
        if pinyin is None and self.mapping.get("ties"):
            self.notes.append(
                Problem(self.sheet.label, _t("no_pinyin", lang), _t("hint_pinyin", lang))
            )
        meta = [self.cols.headers[i] for i in sorted(self.meta)]
        if meta:
            self.notes.append(
                Problem(self.sheet.label, _t("skipped_metadata", lang, columns=", ".join(meta)))
            )
        self.graph.add_all(ties)
        problems = tuple(p for _, p in sorted(self.problems, key=lambda x: x[0]))
        if problems and strict:
            raise FormatError(problems)
        form = "generic" if not self.wjx else ("wjx_number" if self.numbered else "wjx_text")
        return SurveyImport(
            graph=self.graph,
            form=form,
            rows=len(data),
            respondents=respondents,
            new=tuple(new),
            ties=tuple(ties),
            matches=tuple(matches),
            generators=generators,
            problems=problems,
            notes=tuple(self.notes),
            lang=self.lang,
        )

    def _names(self, cells: list[str], col: int, line: int) -> list[str]:
        vals = self.values(cells, col, line, choice=False) or []
        names: list[str] = []
        for v in vals:
            names += [n for n in re.split(r"[\s;；,，、|/]+", clean_text(v)) if n]
        return names

    def _ties(
        self, pending: list[tuple[str, str, int, list[str]]], roster: _Roster
    ) -> tuple[list[Link], list[NameMatch]]:
        lang = self.lang
        ties: dict[tuple[str, Relation, str], Link] = {}
        matches: list[NameMatch] = []
        for entry in self.mapping.get("ties", []):
            columns = self.cols.find(entry["question"], many=True)
            weight = float(entry.get("weight", 1.0))
            for response, rid, line, cells in pending:
                community = roster.community.get(rid)
                for col in columns:
                    for name in self._names(cells, col, line):
                        method, hits, confidence = roster.resolve(name, community, self.accept)
                        if method == "near" or not hits:
                            # a near name is a hint only when it is near enough to help
                            if hits and confidence >= _HINT_NEAR:
                                hint = _t(
                                    "hint_near",
                                    lang,
                                    near=f"{hits[0]} ({self.graph.get(hits[0]).name})",
                                    confidence=confidence,
                                )
                            else:
                                hint = _t("hint_add_roster", lang)
                            self.problem(line, col, _t("unresolved", lang, name=name), hint)
                            continue
                        if len(hits) > 1:
                            found = ", ".join(f"{h} ({self.graph.get(h).name})" for h in hits[:4])
                            self.problem(
                                line,
                                col,
                                _t("ambiguous", lang, name=name, found=found),
                                _t("hint_ambiguous", lang, example=f"{name}（{hits[0]}）"),
                            )
                            continue
                        target = hits[0]
                        column = self.cols.headers[col]
                        matches.append(
                            NameMatch(
                                response=response,
                                column=column,
                                name=name,
                                resident=target,
                                method=method,
                                confidence=confidence,
                            )
                        )
                        if target == rid:
                            self.notes.append(
                                Problem(
                                    f"{self.sheet.label}:{line} (column {column})",
                                    _t("self_tie", lang),
                                )
                            )
                            continue
                        tie = Link(
                            source=rid, relation=Relation.KNOWS, target=target, weight=weight
                        )
                        ties.setdefault(tie.key, tie)  # 甲 names 乙 and 乙 names 甲: one tie
        # a tie the roster already holds is not added twice
        known = {k.key for k in self.graph.links(relation=Relation.KNOWS)}
        return [t for t in ties.values() if t.key not in known], matches

    def _generators(
        self, pending: list[tuple[str, str, int, list[str]]]
    ) -> dict[str, dict[str, tuple[str, ...]]]:
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for entry in self.mapping.get("generators", []):
            kind = str(entry["kind"])
            table = out.setdefault(kind, {})
            columns = self.cols.find(entry["question"], many=True)
            for _response, rid, line, cells in pending:
                items: list[str] = list(table.get(rid, ()))
                for col in columns:
                    for answer in self.values(cells, col, line, choice=True) or []:
                        sub = self.cols.headers[col]
                        v = answer
                        # a matrix row (问卷星 writes 题目—子题) answered yes names its row
                        if len(columns) > 1 and answer.strip() in ("1", "是", "有", "√"):
                            v = re.split(r"[—:：]", sub)[-1].strip(" ()（）")
                        elif len(columns) > 1 and answer.strip() in ("0", "否", "无", "×"):
                            continue
                        if v not in items:
                            items.append(clean(v) if v.isascii() else v)
                if items:
                    table[rid] = tuple(items)
        return out
