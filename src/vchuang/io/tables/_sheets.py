"""Sheets as read from a file, and the collector of problems and notes (private).

A :class:`Sheet` is one CSV file or one sheet of a workbook: its raw rows of text, its
encoding, and once its header row is found, which column fills which field.
:class:`Problems` gathers every problem (sorted by file, line and column at the end) and
every note; :func:`location` writes the place a problem names, ``居民.csv:7 (column 社区)``.
"""

from __future__ import annotations

import re

import attrs

from ...errors import Problem
from ...kernel.text import Lang

__all__ = ["Problems", "Sheet", "location"]


@attrs.define
class Sheet:
    """One CSV file or workbook sheet: raw rows ``(line, cells)`` and, once the header
    row is found, the columns it maps."""

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
    literal: set[tuple[int, int]] = attrs.Factory(set)
    """Cells ``(line, column index)`` written after an apostrophe: kept as written."""


class Problems:
    """Every problem found (kept in file, line and column order) and every note."""

    def __init__(self, lang: Lang = "en") -> None:
        self.lang: Lang = lang
        """The language of the messages (:mod:`vchuang.kernel.text`)."""
        self.items: list[tuple[tuple[int, int, int, int], Problem]] = []
        self.notes: list[Problem] = []
        self.seen: set[tuple[str, str]] = set()

    def add(
        self, sheet: Sheet | None, line: int, field: str | None, message: str, hint: str = ""
    ) -> None:
        path = location(sheet, line, field)
        if (path, message) in self.seen:
            return
        self.seen.add((path, message))
        col = -1
        if sheet is not None and field is not None:
            col = sheet.positions.get(field, -1)
        key = (sheet.order if sheet is not None else -1, line, col, len(self.items))
        self.items.append((key, _problem(path, message, hint)))

    def note(self, path: str, message: str, hint: str = "") -> None:
        self.notes.append(_problem(path, message, hint))

    def sorted(self) -> list[Problem]:
        return [p for _, p in sorted(self.items, key=lambda item: item[0])]


def location(sheet: Sheet | None, line: int, field: str | None) -> str:
    """``file:line (column header)``; the line is left out when it is 0, the column
    when the field has no header in the sheet (and all is empty without a sheet)."""
    if sheet is None:
        return ""
    text = f"{sheet.label}:{line}" if line > 0 else sheet.label
    if field is not None and field in sheet.headers:
        text += f" (column {sheet.headers[field]})"
    return text


_AT_COLUMN = re.compile(r"(?s)(.+) \(column (.+)\)")


def _problem(path: str, message: str, hint: str) -> Problem:
    """A problem (the message already in the reader's language) whose place, when it
    names a column (:func:`location`), is said in the user's language by
    :meth:`~vchuang.errors.Problem.render`; ``path`` itself stays as written."""
    found = _AT_COLUMN.fullmatch(path)
    if found is None:
        return Problem(path, message, hint)
    where, column = found.groups()
    return Problem(
        path, message, hint, path_key="tables.at_column", fields={"where": where, "column": column}
    )
