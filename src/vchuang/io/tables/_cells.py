"""One cell of a table, read for its column (private).

:attr:`Column.parse <vchuang.io.tables.Column.parse>` names how a column's cells are
read; :func:`read_cell` does it with the public parsers of :mod:`vchuang.io.cells`
(dates, numbers, money, yes/no, levels, enumerations, lists) and the skill taxonomy.
References (``ref``, ``refs``) are only split here: they are resolved once every table
is read, since a cell may name a record of a later table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...errors import CellError
from ...kernel.text import text
from ...model import AgeBand, Level, Relation, Role, SkillLevel, SkillTaxonomy
from ..cells import (
    cell_error,
    clean,
    clean_text,
    is_full_date,
    parse_bool,
    parse_date,
    parse_enum,
    parse_int,
    parse_level,
    parse_money,
    parse_number,
    parse_themes,
    parse_year,
    split_items,
)
from ._specs import Column

__all__ = ["read_cell", "skill_item"]


def skill_item(text: str, taxonomy: SkillTaxonomy) -> tuple[str, Level]:
    """A skill and its level from ``平面设计:3``, ``平面设计（高级）`` or ``平面设计``
    (basic); the skill by ID, label or synonym."""
    value = clean(text)
    found = re.fullmatch(r"(.+?)\s*[:=]\s*(.+)", value) or re.fullmatch(
        r"(.+?)\s*\(\s*(.+?)\s*\)", value
    )
    name, level_text = (found.group(1), found.group(2)) if found else (value, "")
    skill = taxonomy.resolve(name)
    if skill is None:
        near = taxonomy.suggest(name)
        if near:
            raise cell_error(
                key="tables.cell.unknown_skill",
                hint_key="tables.cell.hint_skill_near",
                name=name,
                near=near,
                label=taxonomy.label(near, "zh"),
            )
        raise cell_error(
            key="tables.cell.unknown_skill", hint_key="tables.cell.hint_skill_add", name=name
        )
    return skill, parse_level(level_text) if level_text else Level.BASIC


def _at_least_zero(n: int, what: str, raw: str) -> int:
    if n < 0:
        raise cell_error(key="tables.cell.negative", what=what, text=raw.strip())
    return n


def _year(raw: str, what: str) -> int:
    text = clean(raw)
    return parse_date(text).year if is_full_date(text) else parse_year(raw, what)


def _age_word(lang: str) -> str:
    return text("tables.cell.age", lang)


def _age(raw: str, _what: str) -> AgeBand:
    try:
        n = parse_int(raw, "age")
    except CellError as bad:
        if bad.key is None:  # pragma: no cover - parse_int's errors all have a key
            raise
        raise cell_error(
            key=bad.key, hint_key=bad.hint_key, **{**bad.fields, "what": _age_word}
        ) from None
    if not 0 <= n <= 130:
        raise cell_error(key="tables.cell.age_range", text=raw.strip())
    return AgeBand.from_age(n)


def _relation(raw: str) -> Relation:
    rel = parse_enum(Relation, raw)
    if rel.derived:
        raise cell_error(
            key="tables.cell.derived_relation",
            hint_key="tables.cell.hint_relation",
            text=raw.strip(),
        )
    return rel


def _roles(raw: str) -> tuple[Role, ...]:
    roles: list[Role] = []
    for item in split_items(raw):
        role = parse_enum(Role, item)
        if role not in roles:
            roles.append(role)
    return tuple(roles)


def _skills(
    raw: str, taxonomy: SkillTaxonomy, also: Callable[[CellError], None]
) -> tuple[SkillLevel, ...]:
    items: list[SkillLevel] = []
    problems: list[CellError] = []
    for item in split_items(raw):
        try:
            skill, level = skill_item(item, taxonomy)
        except CellError as bad:
            problems.append(bad)
            continue
        if any(s.skill == skill for s in items):
            problems.append(
                cell_error(
                    key="tables.cell.skill_twice",
                    hint_key="tables.cell.hint_skill_once",
                    skill=skill,
                )
            )
            continue
        items.append(SkillLevel(skill=skill, level=level))
    for other in problems[1:]:
        also(other)
    if problems:
        raise problems[0]
    return tuple(items)


def _skill_ids(raw: str, taxonomy: SkillTaxonomy) -> tuple[str, ...]:
    skills: list[str] = []
    for item in split_items(raw):
        skill = skill_item(item, taxonomy)[0]
        if skill not in skills:
            skills.append(skill)
    return tuple(skills)


#: How each kind of cell is read: (raw text, what the cell is called) -> value.
_SIMPLE: dict[str, Callable[[str, str], Any]] = {
    "text": lambda raw, _: clean_text(raw),
    "name": lambda raw, _: clean_text(raw),
    "id": lambda raw, _: clean(raw),
    "count": lambda raw, what: _at_least_zero(parse_int(raw, what), what, raw),
    "fen": lambda raw, what: _at_least_zero(parse_int(raw, what), what, raw),
    "year": _year,
    "age": _age,
    "hours": parse_number,
    "number": parse_number,
    "yuan": lambda raw, _: parse_money(raw),
    "date": lambda raw, _: parse_date(raw),
    "bool": lambda raw, _: parse_bool(raw),
    "relation": lambda raw, _: _relation(raw),
    "roles": lambda raw, _: _roles(raw),
    "level": lambda raw, _: parse_level(raw),
    "themes": lambda raw, _: parse_themes(raw),
    "list": lambda raw, _: tuple(split_items(raw)),
    "ref": lambda raw, _: [clean(raw)],
    "refs": lambda raw, _: [clean(x) for x in split_items(raw)],
}


def read_cell(
    col: Column,
    raw: str,
    *,
    what: str,
    taxonomy: SkillTaxonomy,
    also: Callable[[CellError], None],
) -> Any:
    """The value of a non-empty cell of ``col``: for ``ref`` and ``refs`` the list of
    texts it names, to be resolved later.

    Parameters
    ----------
    col
        The column, whose ``parse`` says how to read the cell.
    raw
        The cell's text as read from the file.
    what
        What the cell is called in messages (its header as written).
    taxonomy
        The skills a ``skills``, ``skill`` or ``skill_ids`` cell may name.
    also
        Called with each problem of a list cell beyond the first (which is raised).

    Raises
    ------
    CellError
        The cell cannot be read.
    """
    kind = col.parse
    simple = _SIMPLE.get(kind)
    if simple is not None:
        return simple(raw, what)
    if kind == "enum" and col.enum is not None:
        return parse_enum(col.enum, raw)
    if kind == "skills":
        return _skills(raw, taxonomy, also)
    if kind == "skill":
        return skill_item(raw, taxonomy)[0]
    if kind == "skill_ids":
        return _skill_ids(raw, taxonomy)
    msg = f"unknown cell kind {kind!r}"  # pragma: no cover - the specs use only the kinds above
    raise AssertionError(msg)  # pragma: no cover
