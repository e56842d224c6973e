"""What the importer keeps while it works: the rows, the IDs and names, the problems (private).

The import goes in steps over all rows (:mod:`._importer`): read the sheets, parse the
cells into :class:`Row` values, give IDs and index names (:mod:`._linking`), resolve
references, build the records and links (:mod:`._building`). :class:`State` holds what
the steps share; each step is a mixin over it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs

from ...errors import Problem, ValidationError
from ...graph import CommunityGraph
from ...kernel.text import Lang
from ...model import Entity, Metadata, SkillTaxonomy, default_taxonomy, entity_kinds
from ..cells import header_key
from ._sheets import Problems, Sheet
from ._specs import SPECS, TABLES, TableSpec

__all__ = ["Hit", "Row", "State", "field_of"]


@attrs.define(eq=False)
class Row:
    """One data row of a table, as it goes through the steps."""

    sheet: Sheet
    line: int
    spec: TableSpec
    values: dict[str, Any] = attrs.Factory(dict)
    refs: dict[str, list[str]] = attrs.Factory(dict)  # field -> raw texts
    resolved: dict[str, list[Hit]] = attrs.Factory(dict)
    id: str | None = None
    generated: bool = False
    failed: bool = False
    implicit: bool = False
    record: Any = None
    bad: set[str] = attrs.Factory(set)
    dropped: list[str] = attrs.Factory(list)  # fields whose bad cell was left out (lenient)


#: A resolved reference: the entity ID and the row that gives it (None: the base graph's).
Hit: TypeAlias = tuple[str, Row | None]


class State:
    """The importer's shared state: options, sheets, rows by table, IDs, names, problems."""

    updates: dict[str, tuple[Entity, list[Row]]]
    """Records of the base graph that rows of the tables add to (set while building)."""
    given: set[str]
    """The tables read from at least one sheet (set while parsing)."""

    def __init__(
        self,
        *,
        mapping: Mapping[str, Mapping[str, str | None]] | None,
        taxonomy: SkillTaxonomy | None,
        base: CommunityGraph | None,
        lang: Lang = "en",
    ) -> None:
        self.p = Problems(lang)
        self.base = base
        if taxonomy is not None:
            self.taxonomy = taxonomy
        elif base is not None:
            self.taxonomy = base.taxonomy
        else:
            self.taxonomy = default_taxonomy()
        self.metadata = base.metadata if base is not None else Metadata()
        self.mapping = _check_mapping(mapping or {})
        self.sheets: list[Sheet] = []
        self.rows: dict[str, list[Row]] = {t.name: [] for t in TABLES}
        self.ids: dict[str, Hit] = {}
        self.names: dict[str, dict[str, list[Hit]]] = {k: {} for k in entity_kinds()}
        self.reported: set[tuple[int, str, str]] = set()
        self.counters: dict[str, int] = {}
        self.pools: dict[tuple[str, ...], dict[str, str]] = {}
        self.updates = {}
        self.given = set()

    def _fail(self, row: Row, field: str | None, message: str, hint: str = "") -> None:
        """Report a problem of ``row`` (in ``field``'s column) and leave the row out."""
        self.p.add(row.sheet, row.line, field, message, hint)
        row.failed = True


def _check_mapping(
    mapping: Mapping[str, Mapping[str, str | None]],
) -> dict[str, dict[str, str | None]]:
    out: dict[str, dict[str, str | None]] = {}
    problems: list[Problem] = []
    for table, columns in mapping.items():
        spec = SPECS.get(table)
        if spec is None:
            problems.append(
                Problem(
                    f"mapping[{table!r}]",
                    "not a known table",
                    f"tables are {', '.join(SPECS)}",
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
            out[table][header_key(header)] = field
    if problems:
        raise ValidationError(problems)
    return out


def field_of(path: str, row: Row) -> str | None:
    """The column of ``row`` a model problem's path (``budget_fen``, ``skills[2]``) is about."""
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
