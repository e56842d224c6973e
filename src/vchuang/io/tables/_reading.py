"""Opening tables: CSV and XLSX files, their encodings and delimiters (private).

A CSV file may be UTF-8 (with or without a byte-order mark), GB18030 (what Chinese
Excel saves) or UTF-16; :func:`decode` tells them apart, and a file whose lines are in
different encodings is read line by line, each odd line reported. The delimiter
(``,`` ``\t`` or ``;``) and the header row are found together: the delimiter is the one
that splits one of the first lines into known headers (a title line above the header
says nothing about it), else the one found on most of the first lines. A cell written
after an apostrophe (so that a spreadsheet would not run it as a formula, or keeps its
spaces) loses the apostrophe and is kept as written (:mod:`vchuang.io.csvsafe`).

XLSX workbooks are read with openpyxl, each sheet a table. A workbook is a zip file, and
a small one can unpack to gigabytes (a "zip bomb"); before openpyxl opens it, the zip's
own directory is checked against :data:`MAX_XLSX_BYTES` (on disk), :data:`MAX_XLSX_PARTS`
(files inside) and :data:`MAX_XLSX_INFLATED` (their declared unpacked sizes together:
Python's :mod:`zipfile` never unpacks more than a part declares), and each sheet's used
range against :data:`MAX_SHEET_CELLS`, from its ``<dimension>`` and again while its rows
are read (a sheet may declare none, or a false one). A workbook over a limit is refused
whole, in seconds, with a problem naming the file, the limit and the fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..._optional import require
from ...errors import Problem, ValidationError
from ...kernel.text import Lang, text
from ..csvsafe import cell_in
from ._headers import HeaderMap, find_header, header_field
from ._sheets import Problems, Sheet, location
from ._specs import EXTENSIONS, SPECS, table_of

__all__ = [
    "MAX_SHEET_CELLS",
    "MAX_XLSX_BYTES",
    "MAX_XLSX_INFLATED",
    "MAX_XLSX_PARTS",
    "decode",
    "read_csv",
    "read_sheets",
    "read_xlsx",
]

#: The most an XLSX workbook may weigh on disk (100 MiB).
MAX_XLSX_BYTES = 100 * 2**20
#: The most the parts of an XLSX workbook may unpack to, together (200 MiB).
MAX_XLSX_INFLATED = 200 * 2**20
#: The most parts (files inside the zip) an XLSX workbook may hold.
MAX_XLSX_PARTS = 10_000
#: The most cells one sheet of a workbook may have (rows × columns of its used range).
MAX_SHEET_CELLS = 1_000_000


def read_sheets(source: Any, mapping: HeaderMap, problems: Problems) -> list[Sheet]:
    """Every sheet of ``source`` (a directory, a file, a list of files, or ``{table:
    path}``), decoded, with its header row found."""
    lang = problems.lang
    sheets: list[Sheet] = []
    items: list[tuple[Path, str | None]] = []
    if isinstance(source, Mapping):
        for table, path in source.items():
            if table not in SPECS:
                raise ValidationError(
                    [
                        Problem(
                            f"source[{table!r}]",
                            text("tables.not_known_table", lang),
                            text("tables.tables_are", lang, tables=", ".join(SPECS)),
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
                    problems.note(p.name, text("tables.ignored_hidden", lang))
                elif p.suffix.lower() not in EXTENSIONS:
                    xls = p.suffix.lower() == ".xls"
                    hint = text("tables.hint_save_as_xlsx", lang) if xls else ""
                    problems.note(p.name, text("tables.ignored_not_a_table", lang), hint)
                else:
                    items.append((p, None))
            if not items:
                problems.add(
                    None,
                    0,
                    None,
                    text("tables.no_tables", lang, folder=root),
                    text("tables.hint_no_tables", lang),
                )
        else:
            items.append((root, None))
    else:
        items = [(Path(p), None) for p in source]
    for order, (path, table) in enumerate(items):
        sheets += _read_file(path, table, order, mapping, problems)
    return sheets


def _read_file(
    path: Path, table: str | None, order: int, mapping: HeaderMap, problems: Problems
) -> list[Sheet]:
    if not path.exists():
        sheet = Sheet(label=path.name, order=order, table=table, encoding="?", raw=[])
        problems.add(sheet, 0, None, text("tables.no_such_file", problems.lang))
        return [sheet]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets, refused = _xlsx(path, order, table, problems)
        if refused:  # its problem is told; nothing of it goes on to the header step
            return sheets
    else:
        if table is None:
            found = table_of(path.stem)
            table = found[0] if len(found) == 1 else None
        sheets = [read_csv(path, path.name, order, table, problems, mapping)]
    for sheet in sheets:
        if sheet.table is None:
            found = table_of(
                sheet.label.rsplit("[", 1)[-1].rstrip("]")
                if "[" in sheet.label
                else Path(sheet.label).stem
            )
            lang = problems.lang
            why = (
                text("tables.name_could_mean", lang, tables=text("tables.or", lang).join(found))
                if found
                else text("tables.name_matches_no_table", lang)
            )
            problems.add(
                sheet,
                0,
                None,
                text("tables.not_read", lang, why=why),
                text("tables.hint_rename", lang, mapping="{table: path}"),
            )
        else:
            find_header(sheet, mapping, problems)
    return sheets


def decode(data: bytes, lang: Lang = "en") -> tuple[str, str, dict[int, tuple[str, str]]]:
    """(text, encoding, {line: (message, hint)}) for a CSV file's bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", {}
        except UnicodeDecodeError as exc:
            lineno = data[: exc.start].count(b"\n") + 1
            content = data.decode("utf-16", errors="replace")
            problem = (text("tables.not_utf16", lang), text("tables.hint_save_again", lang))
            return content, "UTF-16", {lineno: problem}
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
        content = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if not any(_utf8_nonascii(line) for line in data.split(b"\n")):
            return content, "GB18030", {}
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
            bad[i] = (text("tables.line_neither", lang), text("tables.hint_save_utf8", lang))
        elif kind not in ("ascii", main):
            message = text("tables.line_mixed", lang, other=other, main=main.upper())
            bad[i] = (message, text("tables.hint_save_utf8", lang))
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


#: How many lines the delimiter and the header row are looked for in.
HEAD_LINES = 10


def _delimiter(lines: list[str], table: str | None, mapping: HeaderMap) -> str:
    """The delimiter that splits one of the first lines into the most known headers (of
    ``table``, or of any table when it is not known yet); failing that, the one found on
    most of the first lines, ``,`` first on a tie."""
    candidates = (",", "\t", ";")
    specs = [SPECS[table]] if table is not None else list(SPECS.values())
    best: dict[str, tuple[int, int]] = {}
    for d in candidates:
        known = 0
        for line in lines:
            try:
                cells = next(csv.reader([line], delimiter=d), [])
            except csv.Error:  # a cell over the csv module's limit: the reading says so
                continue
            if len(cells) < 2:
                continue
            for spec in specs:
                hits = sum(
                    1
                    for c in cells
                    if c.strip() and header_field(spec, mapping, c) not in (False, None)
                )
                known = max(known, hits)
        found_on = sum(1 for line in lines if d in line)
        best[d] = (known, found_on)
    return max(candidates, key=lambda d: (*best[d], d == ","))


def read_csv(
    path: Path,
    label: str,
    order: int,
    table: str | None,
    problems: Problems,
    mapping: HeaderMap | None = None,
) -> Sheet:
    try:
        data = path.read_bytes()
    except OSError as exc:
        sheet = Sheet(label=label, order=order, table=table, encoding="?", raw=[])
        problems.add(
            sheet,
            0,
            None,
            text("tables.cannot_read_file", problems.lang, error=exc.strerror or exc),
        )
        return sheet
    content, encoding, bad = decode(data, problems.lang)
    sheet = Sheet(label=label, order=order, table=table, encoding=encoding, raw=[])
    for line, (message, hint) in bad.items():
        sheet.bad_lines[line] = Problem(location(sheet, line, None), message, hint)
    head = [ln for ln in content.splitlines() if ln.strip()][:HEAD_LINES]
    tsv = path.suffix.lower() == ".tsv"
    delimiter = "\t" if tsv else _delimiter(head, table, mapping or {})
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            # a cell a spreadsheet would run as a formula was written after an apostrophe
            # (vchuang.io.csvsafe); the apostrophe goes
            for i, c in enumerate(cells):
                if c.startswith("'"):
                    sheet.literal.add((start, i))
            sheet.raw.append((start, [cell_in(c) for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.add(
            sheet,
            start,
            None,
            text("tables.cannot_read_rest", problems.lang, error=exc),
            text("tables.hint_check_quotes", problems.lang),
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


def _size(n: int) -> str:
    """``n`` bytes for a reader: ``"1,536 MiB"``, or ``"900 bytes"`` under a MiB."""
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n:,} bytes"


def _zip_entries(path: Path) -> int | None:
    """How many parts the zip's end record says it holds (read from the file's tail,
    before :mod:`zipfile` reads the whole directory); ``None`` when there is no end
    record (then :mod:`zipfile` says what is wrong)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        tail_at = max(0, size - 65_557)  # the end record (22 bytes) and its comment
        f.seek(tail_at)
        tail = f.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < 22:
            return None
        total = int.from_bytes(tail[at + 10 : at + 12], "little")
        locator = at - 20
        if total != 0xFFFF or locator < 0 or tail[locator : locator + 4] != b"PK\x06\x07":
            return total
        f.seek(int.from_bytes(tail[locator + 8 : locator + 16], "little"))  # ZIP64 record
        record = f.read(56)
        if record[:4] != b"PK\x06\x06" or len(record) < 40:
            return None
        return int.from_bytes(record[32:40], "little")


def _check_zip(path: Path, lang: Lang) -> tuple[str, str] | None:
    """(message, hint) when the workbook is over a limit of its zip, else ``None``
    (also when it is no zip: openpyxl then says why)."""
    size = path.stat().st_size
    if size > MAX_XLSX_BYTES:
        message = text("tables.xlsx_too_big", lang, size=_size(size), limit=_size(MAX_XLSX_BYTES))
        return message, text("tables.hint_split_or_csv", lang)
    try:
        declared = _zip_entries(path)
        if declared is not None and declared > MAX_XLSX_PARTS:
            parts = f"{declared:,}"
            message = text("tables.xlsx_too_many_parts", lang, parts=parts, limit=MAX_XLSX_PARTS)
            return message, text("tables.hint_bomb", lang)
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return None
    if len(infos) > MAX_XLSX_PARTS:
        message = text(
            "tables.xlsx_too_many_parts", lang, parts=f"{len(infos):,}", limit=MAX_XLSX_PARTS
        )
        return message, text("tables.hint_bomb", lang)
    inflated = sum(info.file_size for info in infos)
    if inflated > MAX_XLSX_INFLATED:
        message = text(
            "tables.xlsx_inflates", lang, size=_size(inflated), limit=_size(MAX_XLSX_INFLATED)
        )
        return message, text("tables.hint_bomb", lang)
    return None


class _TooManyCells(Exception):
    """A sheet went over :data:`MAX_SHEET_CELLS` while its rows were read."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _rows(ws: Any) -> list[tuple[int, list[str]]]:
    """The rows of a read-only sheet as text, counting cells (an empty row counts one)
    so that a sheet with a false ``<dimension>`` stops at :data:`MAX_SHEET_CELLS`."""
    raw: list[tuple[int, list[str]]] = []
    cells = 0
    for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells += max(len(values), 1)
        if cells > MAX_SHEET_CELLS:
            raise _TooManyCells(i)
        raw.append((i, [_cell_text(v) for v in values]))
    return raw


def read_xlsx(path: Path, order: int, table: str | None, problems: Problems) -> list[Sheet]:
    """The sheets of the workbook at ``path`` (one holding only the problem when the
    workbook cannot be read or is over a limit)."""
    return _xlsx(path, order, table, problems)[0]


def _xlsx(
    path: Path, order: int, table: str | None, problems: Problems
) -> tuple[list[Sheet], bool]:
    """(sheets, refused): ``refused`` when the workbook's problem is told and none of
    it is read."""
    openpyxl = require("openpyxl", extra="xlsx", feature="reading XLSX workbooks")
    lang = problems.lang
    whole = Sheet(label=path.name, order=order, table=table, encoding="XLSX", raw=[])
    over = _check_zip(path, lang)
    if over is not None:
        problems.add(whole, 0, None, *over)
        return [whole], True
    sheets: list[Sheet] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001  (openpyxl raises many kinds on bad files)
            problems.add(
                whole,
                0,
                None,
                text("tables.cannot_read_workbook", lang, error=exc),
                text("tables.hint_resave_xlsx", lang),
            )
            return [whole], True
        try:
            worksheets = list(book.worksheets)
            for ws in worksheets:
                name = ws.title
                label = f"{path.name}[{name}]"
                rows, columns = ws.max_row or 0, ws.max_column or 0
                if rows * columns > MAX_SHEET_CELLS:
                    sheet = Sheet(label=label, order=order, table=table, encoding="XLSX", raw=[])
                    message = text(
                        "tables.sheet_too_many_cells",
                        lang,
                        sheet=name,
                        rows=f"{rows:,}",
                        columns=f"{columns:,}",
                        cells=f"{rows * columns:,}",
                        limit=f"{MAX_SHEET_CELLS:,}",
                    )
                    problems.add(sheet, 0, None, message, text("tables.hint_split_or_csv", lang))
                    return [sheet], True
                if table is not None:
                    sheet_table: str | None = table
                else:
                    found = table_of(name)
                    if not found and len(worksheets) == 1:
                        found = table_of(path.stem)
                    sheet_table = found[0] if len(found) == 1 else None
                # read every row there is, not only those of a (possibly false) <dimension>
                ws.reset_dimensions()
                try:
                    raw = _rows(ws)
                except _TooManyCells as exc:
                    sheet = Sheet(label=label, order=order, table=table, encoding="XLSX", raw=[])
                    message = text(
                        "tables.sheet_cells_on_reading",
                        lang,
                        sheet=name,
                        limit=f"{MAX_SHEET_CELLS:,}",
                        line=exc.line,
                    )
                    problems.add(sheet, 0, None, message, text("tables.hint_split_or_csv", lang))
                    return [sheet], True
                sheets.append(
                    Sheet(label=label, order=order, table=sheet_table, encoding="XLSX", raw=raw)
                )
        except Exception as exc:  # noqa: BLE001  (a part that breaks only when its rows are read)
            problems.add(
                whole,
                0,
                None,
                text("tables.cannot_read_workbook", lang, error=exc),
                text("tables.hint_resave_xlsx", lang),
            )
            return [whole], True
        finally:
            book.close()
    for w in caught:
        problems.note(path.name, f"openpyxl: {w.message}")
    return sheets, False
