"""The ledger as CSV for a bookkeeper and as JSON for later reports (private).

The public names are re-exported by :mod:`vchuang.funding`.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .._validators import UNICODE_HINT, unicode_problem
from ..errors import CellError, FormatError, Problem, ValidationError
from ..io import atomic_write_text, cells
from ..io.csvsafe import cell_in, cell_out
from ..io.documents import DocumentFormat, DocumentReader, parse_json, unstructure
from ._ledger import EntryRefused, Ledger
from ._records import Account, Entry, EntryKind, format_yuan

__all__ = [
    "ACCOUNT_COLUMNS",
    "JOURNAL_COLUMNS",
    "LEDGER_FORMAT_VERSION",
    "journal_rows",
    "ledger_from_dict",
    "ledger_to_dict",
    "load_ledger",
    "read_accounts_csv",
    "read_csv",
    "read_csv_text",
    "save_ledger",
    "write_accounts_csv",
    "write_csv",
    "write_csv_text",
]

#: The columns of a journal CSV, in the order they are written.
JOURNAL_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "kind",
    "source",
    "target",
    "amount_yuan",
    "line",
    "project",
    "receipt",
    "tags",
    "memo",
    "reverses",
)
_REQUIRED = ("date", "kind", "source", "target", "amount_yuan")

#: The columns of an accounts CSV, in the order they are written.
ACCOUNT_COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "name_zh",
    "kind",
    "owner",
    "parent",
    "may_go_negative",
)

#: The version of the ledger's JSON form this vchuang writes.
LEDGER_FORMAT_VERSION = 1

#: Steps that upgrade a ledger document from version ``n`` to ``n + 1`` (the ledger's
#: own registry; none yet).
LEDGER_UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

_BOM = "\ufeff"
# Entry fields -> the CSV column that holds them (for error places).
_FIELD_COLUMN = {"amount_fen": "amount_yuan"}


# A cell a spreadsheet would run as a formula is written after an apostrophe, which
# reading removes again (CSV injection).
_cell_out = cell_out
_cell_in = cell_in


# --------------------------------------------------------------------------- writing


def journal_rows(ledger: Ledger) -> list[dict[str, str]]:
    """The journal of ``ledger`` as rows of text, keyed by :data:`JOURNAL_COLUMNS`:
    dates ISO, amounts in yuan with two decimals, tags joined by ``;``."""
    return [_entry_row(entry) for entry in ledger.entries]


def _entry_row(entry: Entry) -> dict[str, str]:
    return {
        "id": entry.id,
        "date": entry.date.isoformat(),
        "kind": entry.kind.value,
        "source": entry.source,
        "target": entry.target,
        "amount_yuan": format_yuan(entry.amount_fen),
        "line": entry.line or "",
        "project": entry.project or "",
        "receipt": entry.receipt,
        "tags": ";".join(entry.tags),
        "memo": entry.memo,
        "reverses": entry.reverses or "",
    }


def _csv_text(columns: tuple[str, ...], rows: Iterable[Mapping[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell_out(row[c]) if c != "amount_yuan" else row[c] for c in columns])
    return _BOM + buffer.getvalue()


def write_csv_text(ledger: Ledger) -> str:
    """The journal of ``ledger`` as CSV text (with the byte-order mark that makes
    Excel read UTF-8); see :func:`write_csv`."""
    return _csv_text(JOURNAL_COLUMNS, journal_rows(ledger))


def write_csv(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write the journal of ``ledger`` as a CSV file a bookkeeper can open in Excel.

    The file is UTF-8 with a byte-order mark (so Excel shows Chinese correctly),
    comma-separated with CRLF line ends, one entry per row in posting order, with the
    columns of :data:`JOURNAL_COLUMNS` in that order. Amounts are yuan with two
    decimals (``1234.50``), exactly convertible back to fen; dates are ISO
    (``2020-01-31``); tags are joined by ``;``. Text that a spreadsheet would take for
    a formula (starting with ``=``, ``+``, ``-``, ``@`` or ``'``) is written after an
    apostrophe, which :func:`read_csv` removes. The write is atomic (a temporary file,
    then a rename).

    Parameters
    ----------
    ledger : Ledger
    path : str or PathLike

    Examples
    --------
    >>> import datetime as dt, tempfile, pathlib
    >>> from vchuang.funding import Ledger, Account, read_csv
    >>> ledger = Ledger([Account(id="mf", name="微基金", kind="micro_fund"),
    ...                  Account(id="donors", name="Donors", kind="outside")])
    >>> _ = ledger.donate("donors", "mf", 1234_56, date=dt.date(2020, 3, 1), memo="=SUM(A1)")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "journal.csv"
    >>> write_csv(ledger, path)
    >>> print(path.read_text(encoding="utf-8-sig"), end="")
    id,date,kind,source,target,amount_yuan,line,project,receipt,tags,memo,reverses
    E000001,2020-03-01,donation,donors,mf,1234.56,,,,,'=SUM(A1),
    >>> read_csv(path, accounts=ledger) == ledger
    True
    """
    atomic_write_text(Path(path), write_csv_text(ledger))


def write_accounts_csv(accounts: Iterable[Account], path: str | os.PathLike[str]) -> None:
    """Write accounts as CSV (UTF-8 with a byte-order mark; the columns of
    :data:`ACCOUNT_COLUMNS`), atomically; :func:`read_accounts_csv` reads it back."""
    rows = [
        {
            "id": a.id,
            "name": a.name,
            "name_zh": a.name_zh,
            "kind": a.kind.value,
            "owner": a.owner or "",
            "parent": a.parent or "",
            "may_go_negative": "true" if a.may_go_negative else "false",
        }
        for a in accounts
    ]
    atomic_write_text(Path(path), _csv_text(ACCOUNT_COLUMNS, rows))


# --------------------------------------------------------------------------- reading


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on a Chinese Windows saves "CSV" in GB 18030 (GBK); read that too.
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise FormatError(
            [
                Problem(
                    name,
                    "is neither UTF-8 nor GB 18030 text",
                    "save it from Excel as 'CSV UTF-8 (Comma delimited)'",
                )
            ]
        ) from None


_KIND_NAMES: dict[str, EntryKind] = {
    **{k.value: k for k in EntryKind},
    **{k.label("zh"): k for k in EntryKind},
}


_CSV_HINT = (
    'close every quote a cell opens (a quote inside a cell is written twice: ""), and '
    "keep each cell under 131,072 characters"
)


class _Rows:
    """Rows of a CSV text with their line numbers, and the problems found."""

    def __init__(
        self, text: str, name: str, known: tuple[str, ...], required: tuple[str, ...]
    ) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.rows: list[tuple[int, dict[str, str]]] = []
        # strict: a quote left open runs to the end of the file, refused (not read as one
        # long cell); a cell over the csv module's limit (131,072 characters) is refused
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            self.problems.append(Problem(name, "is empty", "the first row names the columns"))
            return
        except csv.Error as err:
            self.problems.append(Problem(f"{name}:1", f"cannot be read as CSV: {err}", _CSV_HINT))
            return
        columns = [c.strip() for c in header]
        for i, col in enumerate(columns):
            if col not in known:
                near = difflib.get_close_matches(col, known, n=1)
                self.problems.append(
                    Problem(
                        f"{name}:1, column {i + 1}",
                        f"unknown column {col!r}",
                        f"did you mean {near[0]!r}?"
                        if near
                        else f"the columns are {', '.join(known)}",
                    )
                )
        for col in required:
            if col not in columns:
                self.problems.append(
                    Problem(
                        f"{name}:1", f"no column {col!r}", f"the columns are {', '.join(known)}"
                    )
                )
        if len(set(columns)) != len(columns):
            self.problems.append(
                Problem(f"{name}:1", "a column is named twice", "give each column once")
            )
        if self.problems:
            return
        last = reader.line_num
        try:
            for cells in reader:
                line = last + 1
                last = reader.line_num
                if not any(c.strip() for c in cells):
                    continue  # blank rows (spreadsheets add them)
                if len(cells) > len(columns):
                    self.problems.append(
                        Problem(
                            f"{name}:{line}",
                            f"has {len(cells)} cells but there are {len(columns)} columns",
                            "quote text that holds a comma",
                        )
                    )
                    continue
                padded = cells + [""] * (len(columns) - len(cells))
                self.rows.append((line, dict(zip(columns, padded, strict=True))))
        except csv.Error as err:
            self.problems.append(
                Problem(f"{name}:{reader.line_num}", f"cannot be read as CSV: {err}", _CSV_HINT)
            )

    def place(self, line: int, column: str) -> str:
        return f"{self.name}:{line}, column {column}"


def _kind(text: str) -> EntryKind:
    found = _KIND_NAMES.get(text.lower(), _KIND_NAMES.get(text))
    if found is None:
        msg = f"{text!r} is not a kind of entry" if text else "is empty"
        raise ValueError(msg)
    return found


def _parse_entry(rows: _Rows, line: int, row: Mapping[str, str]) -> tuple[Entry | None, bool]:
    problems = rows.problems
    n = len(problems)

    def get(column: str) -> str:
        return _cell_in(row.get(column, ""))

    def convert(column: str, fn: Callable[[str], Any], hint: str) -> Any:
        text = row.get(column, "").strip()
        if not text:
            problems.append(Problem(rows.place(line, column), "is empty", hint))
            return None
        try:
            return fn(text)
        except CellError as err:  # the graph import's cell parsers (vchuang.io.cells)
            problems.append(Problem(rows.place(line, column), err.message, err.hint or hint))
        except (ValueError, ValidationError) as err:
            message = err.problems[0].message if isinstance(err, ValidationError) else str(err)
            problems.append(Problem(rows.place(line, column), message, hint))
        return None

    # dates and amounts are read as the graph import reads cells (vchuang.io.cells):
    # 2019-09-21, 2019/9/21, 2019年9月21日, 20190921; ¥1,234.50, 3,000元 (whole fen)
    date = convert("date", cells.parse_date, "write dates year first, e.g. 2020-01-31")
    kind = convert("kind", _kind, f"use one of: {', '.join(k.value for k in EntryKind)}")
    amount = convert(
        "amount_yuan", cells.parse_money, "write yuan with at most two decimals, e.g. 1234.50"
    )
    if len(problems) > n:
        return None, False
    fields: dict[str, Any] = {
        "date": date,
        "kind": kind,
        "amount_fen": amount,
        "source": get("source").strip(),
        "target": get("target").strip(),
        "line": get("line").strip() or None,
        "project": get("project").strip() or None,
        "reverses": get("reverses").strip() or None,
        "receipt": get("receipt"),
        "memo": get("memo"),
        "tags": tuple(t.strip() for t in get("tags").split(";") if t.strip()),
    }
    entry_id = get("id").strip()
    fields["id"] = entry_id or f"row-{line}"  # numbered by the ledger when posted
    try:
        return Entry(**fields), bool(entry_id)
    except ValidationError as err:
        for p in err.problems:
            column = _FIELD_COLUMN.get(p.path, p.path)
            problems.append(Problem(rows.place(line, column), p.message, p.hint))
        return None, False


def _refusal_places(
    err: EntryRefused, place: Callable[[str], str], rename: Mapping[str, str]
) -> list[Problem]:
    """The problems of a refusal, placed by ``place(field)`` (``rename`` maps entry
    fields to the names the document uses)."""
    out = []
    for p in err.problems:
        field = p.path.rsplit(".", 1)[-1] if ")." in p.path else ""
        out.append(Problem(place(rename.get(field, field)), p.message, p.hint))
    return out


def _accounts_arg(accounts: Ledger | Iterable[Account] | str | os.PathLike[str]) -> list[Account]:
    if isinstance(accounts, Ledger):
        return list(accounts.accounts.values())
    if isinstance(accounts, str | os.PathLike):
        return read_accounts_csv(accounts)
    return list(accounts)


def read_csv_text(
    text: str,
    *,
    accounts: Ledger | Iterable[Account] | str | os.PathLike[str],
    name: str = "<csv>",
    ledger_name: str = "",
) -> Ledger:
    """A ledger from journal CSV text; see :func:`read_csv`."""
    opened = Ledger(_accounts_arg(accounts), name=ledger_name)
    rows = _Rows(text.removeprefix(_BOM), name, JOURNAL_COLUMNS, _REQUIRED)
    parsed = [(line, _parse_entry(rows, line, row)) for line, row in rows.rows]
    if rows.problems:
        raise FormatError(rows.problems)
    problems: list[Problem] = []
    # the journal is posted in date order; rows of one day keep the file's order
    parsed.sort(key=lambda item: item[1][0].date if item[1][0] is not None else dt.date.min)
    for line, (parsed_entry, numbered) in parsed:
        if parsed_entry is None:  # pragma: no cover - parse problems were raised above
            continue
        entry = parsed_entry if numbered else attrs.evolve(parsed_entry, id=opened.next_id())

        def place(column: str, line: int = line) -> str:
            return rows.place(line, column) if column else f"{name}:{line}"

        try:
            opened.post(entry)
        except EntryRefused as err:
            problems.extend(_refusal_places(err, place, _FIELD_COLUMN))
    if problems:
        raise FormatError(problems)
    return opened


def read_csv(
    path: str | os.PathLike[str],
    *,
    accounts: Ledger | Iterable[Account] | str | os.PathLike[str],
    name: str = "",
) -> Ledger:
    """Read a journal CSV (as :func:`write_csv` writes it, or as a bookkeeper keeps it)
    into a new ledger, every entry checked by the ledger's rules.

    Parameters
    ----------
    path : str or PathLike
        The journal. UTF-8 (with or without a byte-order mark) or GB 18030, as Excel
        saves it on a Chinese system. Columns may come in any order; ``date``,
        ``kind``, ``source``, ``target`` and ``amount_yuan`` are required, the others of
        :data:`JOURNAL_COLUMNS` optional. Dates and amounts are read as the graph
        import reads cells (:func:`vchuang.io.cells.parse_date`,
        :func:`vchuang.io.cells.parse_money`): dates year first (``2020-01-31``,
        ``2020/1/31``, ``2020年1月31日``); amounts yuan with at most two decimals
        (``¥1,234.50`` is read as 123450 fen, ``3,000元`` as 300000); kinds their
        English value or Chinese label (``捐赠``). Rows without an ID are
        numbered (in date order). Blank rows are skipped. Rows are posted in date
        order, rows of the same day in the file's order.
    accounts : Ledger, iterable of Account, str or PathLike
        The accounts: a ledger's, a list, or the path of an accounts CSV
        (:func:`read_accounts_csv`).
    name : str, optional
        The new ledger's name.

    Returns
    -------
    Ledger

    Raises
    ------
    FormatError
        Listing every bad row with the file, line and column and a hint: cells that
        cannot be read, then entries the ledger refuses (later rows may be refused
        because an earlier one was). Nothing is returned half-read.
    OSError
        The file cannot be read.
    """
    data = Path(path).read_bytes()
    label = Path(path).name
    return read_csv_text(_decode(data, label), accounts=accounts, name=label, ledger_name=name)


def read_accounts_csv(path: str | os.PathLike[str]) -> list[Account]:
    """Accounts from a CSV written by :func:`write_accounts_csv` (or kept by hand with
    the columns of :data:`ACCOUNT_COLUMNS`; ``id``, ``name`` and ``kind`` required).

    Raises
    ------
    FormatError
        Every bad row with the file, line and column.
    """
    label = Path(path).name
    text = _decode(Path(path).read_bytes(), label)
    rows = _Rows(text.removeprefix(_BOM), label, ACCOUNT_COLUMNS, ("id", "name", "kind"))
    accounts: list[Account] = []
    flags = {
        "true": True,
        "false": False,
        "1": True,
        "0": False,
        "是": True,
        "否": False,
        "yes": True,
        "no": False,
    }
    for line, row in rows.rows:
        fields: dict[str, Any] = {
            col: _cell_in(row.get(col, "")).strip() for col in ACCOUNT_COLUMNS[:6]
        }
        for col in ("owner", "parent"):
            fields[col] = fields[col] or None
        flag = row.get("may_go_negative", "").strip().lower()
        if flag:
            if flag not in flags:
                rows.problems.append(
                    Problem(
                        rows.place(line, "may_go_negative"),
                        f"{flag!r} is not true or false",
                        "write true or false, or leave the cell empty for the default of its kind",
                    )
                )
                continue
            fields["may_go_negative"] = flags[flag]
        try:
            accounts.append(Account(**fields))
        except ValidationError as err:
            rows.problems.extend(
                Problem(rows.place(line, p.path), p.message, p.hint) for p in err.problems
            )
    if rows.problems:
        raise FormatError(rows.problems)
    return accounts


# --------------------------------------------------------------------------- JSON

#: The ledger's JSON document: its ``format`` tag, the version this vchuang writes and
#: the steps that upgrade older versions (none yet).
LEDGER_FORMAT = DocumentFormat(
    tag="vchuang-ledger",
    version=LEDGER_FORMAT_VERSION,
    upgrades=LEDGER_UPGRADES,
    what="a vchuang ledger",
    hint="this does not look like a vchuang ledger",
)
_LEDGER_KEYS = ("format", "format_version", "name", "accounts", "entries")


def ledger_to_dict(ledger: Ledger) -> dict[str, Any]:
    """The ledger as a JSON-ready dict.

    The form is ``{"format": "vchuang-ledger", "format_version": 1, "name": …,
    "accounts": […], "entries": […]}``; each account and entry is an object with its
    fields (those at their default left out), dates ISO, kinds their values, money in
    integer fen, entries in posting order. The records are written by the library's
    one JSON converter (the one the graph's format uses).

    Examples
    --------
    >>> import datetime as dt
    >>> from vchuang.funding import Ledger, Account
    >>> ledger = Ledger([Account(id="mf", name="Micro-fund", kind="micro_fund"),
    ...                  Account(id="donors", name="Donors", kind="outside")])
    >>> _ = ledger.donate("donors", "mf", 5000, date=dt.date(2020, 3, 1), tags=["anti_fraud"])
    >>> ledger_to_dict(ledger)["entries"]
    [{'id': 'E000001', 'date': '2020-03-01', 'kind': 'donation', 'source': 'donors', 'target': 'mf', 'amount_fen': 5000, 'tags': ['anti_fraud']}]
    >>> ledger_from_dict(ledger_to_dict(ledger)) == ledger
    True
    """
    return {
        **LEDGER_FORMAT.header(),
        "name": ledger.name,
        "accounts": [unstructure(a) for a in ledger.accounts.values()],
        "entries": [unstructure(e) for e in ledger.entries],
    }


def ledger_from_dict(data: Mapping[str, Any]) -> Ledger:
    """A ledger from :func:`ledger_to_dict`'s form, every entry posted (and so checked)
    again.

    Raises
    ------
    FormatError
        Every problem with its JSON path (``$.entries[3].amount_fen``) and a hint; the
        accounts are read first, and the entries only when every account could be
        opened. Nothing is half-loaded.

    Examples
    --------
    >>> ledger_from_dict({"format_version": 1, "entries": [{"id": "E1", "amount_fen": "5"}]})
    Traceback (most recent call last):
    ...
    vchuang.errors.FormatError: 5 problems in the document:
      $.entries[0].date: required field missing
      $.entries[0].kind: required field missing
      $.entries[0].source: required field missing
      $.entries[0].target: required field missing
      $.entries[0].amount_fen: must be a whole number, got a string
    """
    reader = DocumentReader(_LEDGER_KEYS)
    doc = reader.header(data, LEDGER_FORMAT)
    if doc is None or reader.problems:  # header() notes a problem when it gives None
        raise FormatError(reader.report())
    name = doc.get("name", "")
    if not isinstance(name, str):
        reader.add("$.name", f"must be text, got {type(name).__name__}")
        name = ""
    elif (bad := unicode_problem(name)) is not None:  # save_ledger could not write it
        reader.add("$.name", bad, UNICODE_HINT)
        name = ""
    ledger = Ledger(name=name)
    failed: set[str] = set()
    raw_accounts = doc.get("accounts", [])
    for i, account in enumerate(reader.records(doc, "accounts", Account)):
        if account is None:
            item = raw_accounts[i]
            if isinstance(item, Mapping):
                failed.add(str(item.get("id")))
        elif account.parent in failed:  # its parent's problem is reported already
            failed.add(account.id)
        else:
            try:
                ledger.open(account)
            except ValidationError as err:
                for p in err.problems:
                    reader.add(f"$.accounts[{i}]", p.message, p.hint)
    reader.raise_if_any()
    for i, entry in enumerate(reader.records(doc, "entries", Entry)):
        if entry is None:
            continue
        path = f"$.entries[{i}]"

        def place(field: str, path: str = path) -> str:
            return f"{path}.{field}" if field else path

        try:
            ledger.post(entry)
        except EntryRefused as err:
            reader.problems.extend(_refusal_places(err, place, {}))
    reader.raise_if_any()
    return ledger


def save_ledger(ledger: Ledger, path: str | os.PathLike[str]) -> None:
    """Write ``ledger`` as JSON (UTF-8, Chinese as is), atomically."""
    text = json.dumps(ledger_to_dict(ledger), ensure_ascii=False, indent=1)
    atomic_write_text(Path(path), text + "\n")


def load_ledger(path: str | os.PathLike[str]) -> Ledger:
    """Read a ledger written by :func:`save_ledger`.

    Raises
    ------
    FormatError
        The file is not JSON (with its line and column), or every problem with its
        JSON path.
    """
    return ledger_from_dict(parse_json(Path(path).read_bytes()))
