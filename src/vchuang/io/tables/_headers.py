"""The header row: where it is, and which column fills which field (private).

A header is matched after folding (:func:`~vchuang.io.cells.header_key`): case, spaces,
``_``, ``-`` and full-width forms do not matter, nor a trailing unit in brackets
(``每周可用时间（小时）``). Rows above the header (a title) are skipped with a note; a
column the table does not know is ignored with a note; a missing required column leaves
the whole sheet out, with a "did you mean" for a close header.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TypeAlias, cast

from ...kernel.text import text
from ..cells import header_key
from ._sheets import Problems, Sheet, location
from ._specs import SPECS, TableSpec, bare_key

__all__ = ["HeaderMap", "find_header", "header_field"]

#: Extra headers per table, folded: ``{table: {header key: field or None}}``.
HeaderMap: TypeAlias = Mapping[str, Mapping[str, "str | None"]]


def header_field(spec: TableSpec, mapping: HeaderMap, header: str) -> str | bool | None:
    """The field a header names; None when told to ignore it; False if unknown."""
    key = header_key(header)
    given = mapping.get(spec.name, {})
    if key in given:
        return given[key]
    for k in (key, bare_key(header)):
        for col in spec.columns:
            if any(header_key(h) == k for h in col.headers):
                return col.field
    return False


def find_header(sheet: Sheet, mapping: HeaderMap, problems: Problems) -> None:
    """Find the header row among the first ten, map its columns onto the fields of the
    sheet's table, and count the data rows; a sheet without every required column keeps
    no fields (none of its rows is read)."""
    spec = SPECS[cast(str, sheet.table)]
    lang = problems.lang
    header_at = None
    for n, (_, cells) in enumerate(sheet.raw[:10]):
        filled = [c for c in cells if c.strip()]
        known = [c for c in filled if header_field(spec, mapping, c) not in (False, None)]
        if known and (len(known) >= 2 or len(filled) == len(known)):
            header_at = n
            break
    if header_at is None:
        expected = ", ".join(
            f"{c.headers[0]} ({c.headers[-1]})" for c in spec.columns if c.required
        )
        problems.add(
            sheet,
            0,
            None,
            text("tables.no_header", lang, table=spec.name),
            text("tables.hint_header", lang, expected=expected),
        )
        return
    line, cells = sheet.raw[header_at]
    sheet.header_line = line
    if header_at:
        above = " / ".join(" ".join(c for c in cs if c.strip()) for _, cs in sheet.raw[:header_at])
        problems.note(
            location(sheet, line, None),
            text("tables.header_found", lang, line=line, above=above[:80]),
        )
    ignored: list[str] = []
    for i, cell in enumerate(cells):
        if not cell.strip():
            if any(i < len(cs) and cs[i].strip() for _, cs in sheet.raw[header_at + 1 :]):
                ignored.append(f"column {i + 1} (no header)")
            continue
        field = header_field(spec, mapping, cell)
        if field is False:
            ignored.append(cell.strip())
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
            problems.add(
                sheet,
                line,
                None,
                text(
                    "tables.two_columns",
                    lang,
                    first=sheet.headers[taken],
                    second=cell.strip(),
                    field=slot,
                ),
                text("tables.hint_two_columns", lang),
            )
            continue
        sheet.fields[i] = field
        sheet.headers[field] = cell.strip()
        sheet.positions[field] = i
    if ignored:
        problems.note(
            sheet.label,
            text(
                "tables.columns_ignored" if len(ignored) > 1 else "tables.column_ignored",
                lang,
                columns=", ".join(ignored),
            ),
            text(
                "tables.hint_ignored",
                lang,
                table=spec.name,
                mapping=f"mapping={{'{spec.name}': {{'<header>': '<field>'}}}}",
            ),
        )
    missing = [c for c in spec.columns if c.required and c.field not in sheet.headers]
    data = [(ln, cs) for ln, cs in sheet.raw[header_at + 1 :] if any(c.strip() for c in cs)]
    if missing:
        near = [c.strip() for c in cells if c.strip() and header_field(spec, mapping, c) is False]
        for col in missing:
            close = difflib.get_close_matches(col.headers[-1], near, n=1, cutoff=0.3)
            hint = (
                text("tables.hint_did_you_mean_column", lang, column=repr(close[0]))
                if close
                else ""
            ) + text(
                "tables.hint_add_column",
                lang,
                header=col.headers[0],
                others=" / ".join(col.headers[1:3]),
            )
            problems.add(
                sheet,
                line,
                None,
                text("tables.missing_column", lang, field=repr(col.field), n=len(data)),
                hint,
            )
        sheet.rows = len(data)
        sheet.fields = {}
        return
    sheet.rows = len(data)
