"""The import, step by step: sheets to rows, rows to records, records to a graph (private).

:func:`read_tables` runs the steps of :class:`Importer`, each over all rows so that one
run finds every problem: read the sheets and their headers (:mod:`._reading`); parse the
cells (:mod:`._cells`) and the metadata and taxonomy tables; give IDs and resolve
references (:mod:`._linking`); build the records and links, leaving out again and again
the rows that name a row left out (:mod:`._building`); check the whole graph.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

import attrs

from ...errors import CellError, FormatError, ValidationError
from ...graph import CommunityGraph
from ...kernel.text import check_lang, text
from ...model import KIND_PLURALS, Skill, SkillTaxonomy, entity_kinds
from ..cells import cell_text, clean, clean_text, header_key, is_year_of_date, parse_date
from ._building import Building
from ._cells import read_cell
from ._linking import Linking
from ._reading import read_sheets
from ._report import ImportReport, SourceFile
from ._sheets import Sheet, location
from ._specs import META_KEYS, SPECS, TABLES
from ._state import Row

__all__ = ["Importer", "read_tables"]


#: Words that start a totals, notes or signature row rather than a record.
_SUMMARY = re.compile(
    r"(合计|总计|小计|共计|累计|总数|填表人|填报人|制表人|统计人|审核人|审批人|负责人签字|签字|签名|"
    r"盖章|备注|说明|注|total|subtotal|signature)(?=$|[\s:：\d(（,，.。])",
    re.IGNORECASE,
)


class Importer(Linking, Building):
    """One import: the steps of :func:`read_tables` over the state they share."""

    strict: bool = True
    """Whether any problem fails the import (set by :meth:`run`)."""

    def collect(self, source: Any) -> None:
        """Read every sheet of ``source`` and find its header row."""
        self.sheets = read_sheets(source, self.mapping, self.p)

    # -- parsing rows

    def parse(self) -> None:
        by_table: dict[str, list[Sheet]] = {t.name: [] for t in TABLES}
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
                    word = self._summary_row(sheet, cells)
                    if word is not None:
                        self.p.note(
                            location(sheet, line, None),
                            text("tables.summary_row", self.p.lang, line=line, word=word),
                        )
                        continue
                    row = Row(sheet=sheet, line=line, spec=spec)
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

    def _parse_row(self, row: Row, cells: list[str]) -> None:
        sheet, spec = row.sheet, row.spec
        lang = self.p.lang
        for i, field in sheet.fields.items():
            raw = cells[i] if i < len(cells) else ""
            col = spec.column(field)
            if col.parse in ("text", "name") and raw and (row.line, i) in sheet.literal:
                row.values[field] = raw  # written after an apostrophe: kept as written
                continue
            if col.parse == "text" and raw and not col.required:
                kept = clean_text(raw)
                if kept:
                    row.values[field] = kept
                continue
            if not raw.strip():
                if col.required:
                    shown = sheet.headers.get(field, col.headers[0])
                    self._fail(
                        row,
                        field,
                        text("tables.cell_empty", lang, column=shown),
                        text(
                            "tables.hint_cell_empty", lang, table=spec.name, header=col.headers[0]
                        ),
                    )
                continue
            errors: list[CellError] = []
            try:
                value = read_cell(
                    col,
                    raw,
                    what=sheet.headers.get(field, col.headers[0]),
                    taxonomy=self.taxonomy,
                    also=errors.append,
                )
            except CellError as bad:
                errors.append(bad)
            if errors:
                if self.strict or col.required or col.parse in ("id", "ref", "refs"):
                    row.bad.add(field)
                    for error in errors:
                        self._fail_cell(row, field, error)
                else:  # lenient: the row may still be imported without this cell
                    for error in errors:
                        self.p.add(sheet, row.line, field, *cell_text(error, lang))
                    row.dropped.append(field)
                continue
            if col.parse == "year" and is_year_of_date(raw):
                self.p.note(
                    location(sheet, row.line, field),
                    text("tables.year_from_date", lang, year=value),
                )
            if col.parse in ("ref", "refs"):
                row.refs[field] = value
            else:
                row.values[field] = value

    def _summary_row(self, sheet: Sheet, cells: list[str]) -> str | None:
        """The word that makes ``cells`` a totals, notes or signature row (``合计``,
        ``填表人``, ``备注`` …), or None: some cell starts with such a word and every
        required column is empty or holds one."""
        words: list[str] = []
        for c in cells:
            found = _SUMMARY.match(clean(c))
            if found:
                words.append(found.group(1))
        if not words:
            return None
        spec = SPECS[cast(str, sheet.table)]
        for col in spec.columns:
            if col.required and col.field in sheet.positions:
                i = sheet.positions[col.field]
                cell = clean(cells[i]) if i < len(cells) else ""
                if cell and not _SUMMARY.match(cell):
                    return None
        return words[0]

    def _fail_cell(self, row: Row, field: str, bad: CellError) -> None:
        self._fail(row, field, *cell_text(bad, self.p.lang))

    def _metadata(self) -> None:
        fields: dict[str, Any] = {}
        base_taxonomy = None
        names = {header_key(alias): key for key, aliases in META_KEYS.items() for alias in aliases}
        for row in self.rows["metadata"]:
            if row.failed:
                continue
            key = names.get(header_key(row.values["key"]))
            value = row.values.get("value", "")
            if key is None:
                self._fail(
                    row,
                    "key",
                    f"unknown key {row.values['key'].strip()!r}",
                    f"keys are {', '.join(META_KEYS)}",
                )
            elif key == "as_of":
                try:
                    fields["as_of"] = parse_date(value)
                except CellError as bad:
                    self._fail(row, "value", *cell_text(bad, self.p.lang))
            elif key == "base_taxonomy":
                base_taxonomy = clean(value)
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
                named = clean(parent)
                parent = named if named in known else (self.taxonomy.resolve(named) or named)
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

    def run(self, source: Any, *, strict: bool) -> ImportReport:
        self.strict = strict
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
                location(rows[0].sheet, 0, None),
                f"{len(rows)} row{'s' * (len(rows) > 1)} added to {record.kind} "
                f"{entity_id!r} of the base graph",
            )
        for table_rows in self.rows.values():
            for row in table_rows:
                if row.dropped and not row.failed:
                    for field in row.dropped:
                        self.p.note(
                            location(row.sheet, row.line, field),
                            text("tables.cell_left_out", self.p.lang),
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
            lang=self.p.lang,
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


def read_tables(
    source: str | Path | Iterable[str | Path] | Mapping[str, str | Path],
    *,
    strict: bool = True,
    mapping: Mapping[str, Mapping[str, str | None]] | None = None,
    taxonomy: SkillTaxonomy | None = None,
    base: CommunityGraph | None = None,
    lang: str = "en",
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
    lang : {"en", "zh"}, default "en"
        The language of the messages and hints about files, sheets and headers (``"zh"``
        for Chinese; :func:`vchuang.kernel.text.lang_from_env` gives the user's).

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
    importer = Importer(mapping=mapping, taxonomy=taxonomy, base=base, lang=check_lang(lang))
    return importer.run(source, strict=strict)
