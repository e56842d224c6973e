"""What an import read, imported and left out: :class:`ImportReport` and :class:`SourceFile`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ...errors import Problem
from ...graph import CommunityGraph
from ...kernel.text import has, text
from ...model import KIND_PLURALS

__all__ = ["ImportReport", "SourceFile"]


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
    lang: str = "en"
    """The language of the messages (:func:`read_tables`'s ``lang``), and of :meth:`lines`."""

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

    def lines(self, lang: str | None = None) -> list[str]:
        """The report as lines of text (what ``vchuang import`` prints), in ``lang``
        (``"en"`` or ``"zh"``; by default the language the tables were read in)."""
        lang = self.lang if lang is None else lang

        def table(name: str) -> str:
            key = f"tables.table.{name}"
            return text(key, lang) if lang != "en" and has(key) else name

        out = [
            text(
                "tables.report.read_one" if f.rows == 1 else "tables.report.read_many",
                lang,
                path=f.path,
                table=table(f.table),
                rows=f.rows,
                encoding=f.encoding,
            )
            for f in self.files
            if f.table is not None
        ]
        out += [text("tables.report.note", lang, note=n.render(lang)) for n in self.notes]
        if self.problems:
            n = len(self.problems)
            which = "tables.report.problems_one" if n == 1 else "tables.report.problems_many"
            out.append(text(which, lang, n=n))
            out += [p.render(lang) for p in self.problems]
        singular = {plural: kind for kind, plural in KIND_PLURALS.items()}
        parts = [
            text(
                f"model.count.{singular[k]}.{'one' if v == 1 else 'many'}"
                if k in singular
                else f"tables.report.links.{'one' if v == 1 else 'many'}",
                lang,
                n=v,
            )
            for k, v in self.imported.items()
            if v
        ]
        sep = text("model.count.sep", lang)
        counts = sep.join(parts) or text("tables.report.nothing", lang)
        out.append(text("tables.report.imported", lang, counts=counts))
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())
