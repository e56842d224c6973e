"""Community graphs in one Parquet file: the columnar twin of the JSON format.

Each field is one typed column, so the text is not parsed: loading skips the JSON
parsing and checks the values a column at a time with the JSON reader's bulk rules. The
records and the graph are built as from JSON, and that building is most of what is left
(see "Running at scale" in the documentation for figures).

The file: one Parquet file (``district.parquet``) holds a whole graph:

* one **struct column per section** of the JSON document (``districts``, …,
  ``residents``, …, ``proposals``, ``links``), each with one field per field of the
  record, under the same name and holding the same value as in JSON: text as text,
  whole numbers as ``int64``, numbers as ``float64``, yes/no as ``bool``, dates as ISO
  text (``"2019-09-21"``), enums as their JSON values, lists as lists and nested records
  (a resident's skills, a project's needs) as lists of structs; ``null`` only where the
  record allows ``None``;
* each **row** is one record: exactly one of the section columns is set (the others are
  null); the rows of a section come together, in the graph's order, sections in document
  order;
* the file's key-value metadata holds, under the key ``vchuang``, a small JSON
  **header**: ``{"format": "vchuang-parquet", "format_version": 1, "metadata": …,
  "base_taxonomy": …, "skills": […]}`` — everything of the JSON document but its record
  sections.

``format_version`` moves in step with the JSON format's (:data:`vchuang.io.FORMAT_VERSION`):
a file of an older version is upgraded by the JSON format's own steps, and a newer one
is refused with a hint to upgrade vchuang. Pages are written with CRC checksums, which
are verified when reading.

Reading checks everything the JSON reader checks, with the same rules; a file with any
problem is read again the careful way (as a JSON document of the same records) and
gives one :class:`~vchuang.errors.FormatError` naming each problem's file, section, row
(counted from 0 over the whole file, as pandas shows it) and column. A file pyarrow
cannot read at all (corrupt, truncated, a checksum that does not match) is a
``FormatError`` too, never a pyarrow exception. Writing is atomic (a temporary file
beside the target, then a rename).

:func:`vchuang.load` and :func:`vchuang.save` read and write this format for a path
ending in ``.parquet``; JSON stays the default.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import operator
import os
import re
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from .._optional import require
from ..errors import FormatError, Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.memory import collector_paused
from ..kernel.text import text as _say
from ..model import KIND_PLURALS, Link, Metadata, entity_kinds
from . import _bulk
from . import _json as j

__all__ = ["HEADER_KEY", "TAG", "is_parquet_path", "load_parquet", "save_parquet"]

#: The ``format`` tag of the header.
TAG = "vchuang-parquet"
#: The key of the file's key-value metadata that holds the header.
HEADER_KEY = "vchuang"
#: The keys a header may have.
_HEADER_KEYS = ("format", "format_version", "metadata", "base_taxonomy", "skills")

#: Section (JSON name, which is also the column's) -> record class, in document order.
_CLASSES: dict[str, type[Any]] = {
    **{KIND_PLURALS[kind]: cls for kind, cls in entity_kinds().items()},
    "links": Link,
}


def _modules() -> tuple[Any, Any, Any]:
    pa = require("pyarrow", extra="columnar", feature="Parquet files")
    pq = require("pyarrow.parquet", extra="columnar", feature="Parquet files")
    pc = require("pyarrow.compute", extra="columnar", feature="Parquet files")
    return pa, pq, pc


def is_parquet_path(source: object) -> bool:
    """Whether ``source`` is a path that names a Parquet file (it ends in ``.parquet``).

    >>> is_parquet_path("district.parquet"), is_parquet_path("district.json")
    (True, False)
    """
    return isinstance(source, str | os.PathLike) and os.fspath(source).lower().endswith(".parquet")


# --------------------------------------------------------------------------- types


def _fields(cls: type[Any]) -> list[attrs.Attribute[Any]]:
    return [a for a in attrs.fields(cls) if a.init]


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def _optional(hint: Any) -> Any:
    """``X`` for ``X | None``, else ``None``."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return next(a for a in args if a is not type(None))
    return None


def _arrow_type(pa: Any, hint: Any) -> Any:
    """The Arrow type of the JSON values of a field of type ``hint``."""
    inner = _optional(hint)
    if inner is not None:
        return _arrow_type(pa, inner)
    if typing.get_origin(hint) is tuple:
        return pa.list_(_arrow_type(pa, typing.get_args(hint)[0]))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        kinds = {type(m.value) for m in hint}
        return pa.int64() if kinds == {int} else pa.string()
    if isinstance(hint, type) and attrs.has(hint):
        return _struct_type(pa, hint)
    simple = {
        bool: pa.bool_(),
        int: pa.int64(),
        float: pa.float64(),
        str: pa.string(),
        dt.date: pa.string(),
    }
    return simple[hint]


def _struct_type(pa: Any, cls: type[Any]) -> Any:
    hints = _hints(cls)
    return pa.struct([pa.field(a.name, _arrow_type(pa, hints[a.name])) for a in _fields(cls)])


def _schema(pa: Any) -> Any:
    return _cached_schema(pa)


@functools.cache
def _cached_schema(pa: Any) -> Any:
    return pa.schema([pa.field(s, _struct_type(pa, cls)) for s, cls in _CLASSES.items()])


# --------------------------------------------------------------------------- writing


def _to_json(hint: Any) -> Callable[[Any], Any] | None:
    """A value of type ``hint`` -> its JSON value (``None``: the value as it is)."""
    inner = _optional(hint)
    if inner is not None:
        conv = _to_json(inner)
        return None if conv is None else (lambda x: None if x is None else conv(x))
    if typing.get_origin(hint) is tuple:
        item = _to_json(typing.get_args(hint)[0])
        return list if item is None else (lambda t: list(map(item, t)))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return operator.attrgetter("value")
    if hint is dt.date:
        return dt.date.isoformat
    if isinstance(hint, type) and attrs.has(hint):
        hints = _hints(hint)
        parts = [(a.name, _to_json(hints[a.name])) for a in _fields(hint)]

        def record(x: Any) -> dict[str, Any]:
            return {
                name: getattr(x, name) if conv is None else conv(getattr(x, name))
                for name, conv in parts
            }

        return record
    return None


def _column(pa: Any, records: list[Any], name: str, hint: Any, where: str) -> Any:
    values = list(map(operator.attrgetter(name), records))
    conv = _to_json(hint)
    if conv is not None:
        values = list(map(conv, values))
    try:
        return pa.array(values, type=_arrow_type(pa, hint))
    except (pa.ArrowException, OverflowError, TypeError, ValueError) as exc:
        raise ValidationError(
            [Problem.said(f"{where}.{name}", "parquet.cannot_store", reason=j._short(exc))]
        ) from None


def _header(graph: CommunityGraph) -> dict[str, Any]:
    """What the JSON document holds besides its record sections."""
    doc = j.to_document(CommunityGraph(taxonomy=graph.taxonomy, metadata=graph.metadata))
    doc["format"] = TAG
    return doc


def to_parquet_bytes(graph: CommunityGraph) -> bytes:
    """The graph as the bytes of a Parquet file (what :func:`save_parquet` writes)."""
    pa, pq, _ = _modules()
    schema = _schema(pa)
    header = json.dumps(_header(graph), ensure_ascii=False)
    schema = schema.with_metadata({HEADER_KEY: header})
    tables = []
    for section, cls in _CLASSES.items():
        records = graph.links() if cls is Link else graph.entities(cls.kind)
        if not records:
            continue
        n = len(records)
        hints = _hints(cls)
        struct = pa.StructArray.from_arrays(
            [_column(pa, records, a.name, hints[a.name], f"{section}[…]") for a in _fields(cls)],
            fields=list(schema.field(section).type),
        )
        arrays = [
            struct if s == section else pa.nulls(n, type=schema.field(s).type) for s in _CLASSES
        ]
        tables.append(pa.Table.from_arrays(arrays, schema=schema))
    # one table, so that a small graph is one row group (not one per section)
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, write_page_checksum=True)
    return bytes(sink.getvalue().to_pybytes())


def save_parquet(graph: CommunityGraph, path: str | os.PathLike[str]) -> None:
    """Write the graph to one Parquet file, atomically.

    The file is written to a temporary file beside ``path`` and renamed over it only
    once complete, so a failure leaves any old file intact.

    Parameters
    ----------
    graph
        The graph to write.
    path
        The file (conventionally ending in ``.parquet``).

    Raises
    ------
    MissingDependencyError
        pyarrow is not installed (``pip install 'vchuang[columnar]'``).
    ValidationError
        A value Parquet cannot hold (a whole number past 64 bits).

    See Also
    --------
    load_parquet : the inverse.
    vchuang.save : the JSON document (or this file, for a path ending in ``.parquet``).

    Examples
    --------
    >>> import tempfile, pathlib, vchuang
    >>> from vchuang.io.parquet import load_parquet, save_parquet
    >>> g = vchuang.load_example()
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "pilot.parquet"
    >>> save_parquet(g, path)
    >>> load_parquet(path) == g
    True
    """
    j.atomic_write_bytes(Path(path), to_parquet_bytes(graph))


# --------------------------------------------------------------------------- reading


class _Place:
    """Turns the JSON paths of the careful reading into places in the file."""

    _PATH = re.compile(r"^\$\.(\w+)\[(\d+)\](.*)$")

    def __init__(self, file: str, rows: dict[str, Any]) -> None:
        self.file = file
        self.rows = rows

    def __call__(self, p: Problem) -> Problem:
        found = self._PATH.match(p.path)
        if found is not None and found.group(1) in self.rows:
            section, index, rest = found.groups()
            row = int(self.rows[section][int(index)])
            column = rest.lstrip(". ").removeprefix("(").removesuffix(")")
            key = "parquet.at_cell" if column else "parquet.at_row"
            fields = {"pq_file": self.file, "pq_section": section, "pq_row": row}
            return self._moved(p, key, {**fields, "pq_column": column})
        return self._moved(p, "parquet.in_header", {"pq_file": self.file, "pq_where": p.path})

    @staticmethod
    def _moved(p: Problem, key: str, fields: dict[str, object]) -> Problem:
        english = _say(key, "en", **fields)
        return attrs.evolve(p, path=english, path_key=key, fields={**p.fields, **fields})

    def file_problem(self, key: str, hint_key: str | None = None, **fields: object) -> Problem:
        return Problem.said(
            "", key, hint_key, path_key="parquet.in_file", pq_file=self.file, **fields
        )


def _family(pa: Any, t: Any) -> str:
    types_ = pa.types
    if types_.is_null(t):
        return "null"
    if types_.is_dictionary(t):
        return _family(pa, t.value_type)
    for name, test in (
        ("bool", types_.is_boolean),
        ("int", types_.is_integer),
        ("float", types_.is_floating),
        ("text", lambda x: types_.is_string(x) or types_.is_large_string(x)),
        ("list", lambda x: types_.is_list(x) or types_.is_large_list(x)),
        ("struct", types_.is_struct),
    ):
        if test(t):
            return name
    return str(t)


def _same_kind(pa: Any, have: Any, want: Any) -> bool:
    """Whether a column of type ``have`` can be cast to ``want`` without reading values
    differently (text stays text, numbers numbers: ``"5"`` is never 5)."""
    fam, target = _family(pa, have), _family(pa, want)
    if fam == "null":
        return True
    if fam == "int" and target == "float":
        return True
    if fam != target:
        return False
    if fam == "list":
        return _same_kind(pa, have.value_type, want.value_type)
    if fam == "struct":
        names = {f.name for f in want}
        return all(
            f.name in names and _same_kind(pa, f.type, want.field(f.name).type) for f in have
        )
    return True


def _read_sections(pa: Any, pf: Any, schema: Any) -> Any:
    """The whole table of ``pf``, reading in each row group only the section columns
    that hold a record there (the others are null in every row: built as nulls).

    Each row is one record, so in a row group of a large file all but one or two of the
    section columns are null, yet reading them decodes every leaf of every column.
    Whether a section holds a record in a row group is read from the data itself: its
    first leaf alone, which carries the section's null flags (so a record whose fields
    are all null still counts). The column statistics are not used: pyarrow may abort
    the process on the statistics of a corrupt footer.
    """
    n_groups = pf.metadata.num_row_groups
    if not n_groups:
        return pf.read()
    names = schema.names
    parts = []
    for i in range(n_groups):
        rows = pf.metadata.row_group(i).num_rows
        probed = [
            f"{f.name}.{f.type[0].name}"
            for f in schema
            if pa.types.is_struct(f.type) and f.type.num_fields
        ]
        keep = set(names) - {p.split(".", 1)[0] for p in probed}
        if probed:
            probe = pf.read_row_group(i, columns=probed)
            keep.update(s for s in probe.column_names if probe.column(s).null_count < rows)
        part = pf.read_row_group(i, columns=[s for s in names if s in keep])
        parts.append(
            pa.Table.from_arrays(
                [
                    part.column(s) if s in keep else pa.nulls(rows, type=f.type)
                    for s, f in zip(names, schema, strict=True)
                ],
                schema=schema,
            )
        )
    return pa.concat_tables(parts)


class _File:
    """One Parquet file being read: its header and each section's JSON values by column."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.name = os.fspath(path)
        self.data = Path(path).read_bytes()  # OSError: the file cannot be opened
        self.place = _Place(self.name, {})
        self.problems: list[Problem] = []
        self.header: Any = None
        #: section -> (number of records, {column: JSON values}), for sections present;
        #: a list column without nulls is :data:`_LISTS` there, its values in ``lists``
        self.sections: dict[str, tuple[int, dict[str, Any]]] = {}
        #: section -> {column: its Arrow list array}, for the columns read as :data:`_LISTS`
        self.lists: dict[str, dict[str, Any]] = {}

    def fail(self, key: str, hint_key: str | None = None, **fields: object) -> None:
        self.problems.append(self.place.file_problem(key, hint_key, **fields))

    def read(self) -> None:
        pa, pq, pc = _modules()
        try:
            pf = pq.ParquetFile(pa.BufferReader(self.data), page_checksum_verification=True)
            schema = pf.schema_arrow
        except (pa.ArrowException, OSError, ValueError, TypeError, IndexError) as exc:
            self.fail("parquet.unreadable", "parquet.hint_unreadable", reason=j._short(exc))
            return
        raw = (schema.metadata or {}).get(HEADER_KEY.encode())
        if raw is None:
            self.fail("parquet.no_header", "parquet.hint_no_header", name=HEADER_KEY)
            return
        try:
            self.header = j.parse_json(raw)
        except FormatError as exc:
            self.problems.extend(map(self.place, exc.problems))
            return
        want = _schema(pa)
        for field in schema:
            if field.name not in _CLASSES:
                self.fail("parquet.unknown_column", column=field.name)
            elif not _same_kind(pa, field.type, want.field(field.name).type):
                self.fail(
                    "parquet.wrong_type",
                    column=field.name,
                    got=str(field.type),
                    want=str(want.field(field.name).type),
                )
        if self.problems:
            return
        try:
            table = _read_sections(pa, pf, schema)
            self._columns(pa, pc, table, want)
        except (pa.ArrowException, OSError, ValueError, TypeError, IndexError) as exc:
            self.fail("parquet.unreadable", "parquet.hint_unreadable", reason=j._short(exc))

    def _columns(self, pa: Any, pc: Any, table: Any, want: Any) -> None:
        n = table.num_rows
        setters = pa.array([0] * n, type=pa.int8()) if n else None
        rows: dict[str, Any] = {}
        for section in table.column_names:
            column = table.column(section)
            valid = column.is_valid()
            setters = pc.add(setters, pc.cast(valid, pa.int8()))
            count = n - column.null_count
            if not count:
                continue
            rows[section] = pc.indices_nonzero(valid).to_numpy()
            struct = column.filter(valid).combine_chunks()
            wanted = want.field(section).type
            values: dict[str, Any] = {}
            lists: dict[str, Any] = {}
            # flatten() minds the struct's offset (field(i) does not)
            for f, child in zip(struct.type, struct.flatten(), strict=True):
                target = wanted.field(f.name).type
                if child.type == target and pa.types.is_list(target) and not child.null_count:
                    values[f.name] = _LISTS  # its items are read flat (_tuples)
                    lists[f.name] = child
                    continue
                values[f.name] = (child if child.type == target else child.cast(target)).to_pylist()
            self.sections[section] = (count, values)
            self.lists[section] = lists
        self.place.rows = rows
        if n and pc.any(pc.not_equal(setters, 1)).as_py():
            bad = pc.indices_nonzero(pc.not_equal(setters, 1))[0].as_py()
            self.fail("parquet.not_one_record", row=bad)

    def document(self) -> dict[str, Any]:
        """The records as a JSON document (the careful reading's input)."""
        doc = dict(self.header) if isinstance(self.header, dict) else {}
        doc.pop("format", None)
        for section, (n, read) in self.sections.items():
            lists = self.lists.get(section, {})
            columns = {
                name: lists[name].to_pylist() if values is _LISTS else values
                for name, values in read.items()
            }
            names = list(columns)
            doc[section] = [
                dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)
            ]
            if not names:
                doc[section] = [{} for _ in range(n)]
        return doc


#: Stands for a list column in :attr:`_File.sections` (its Arrow array is in
#: :attr:`_File.lists`).
_LISTS: Any = object()


def _tuples(hint: Any, read: _bulk._Read, array: Any) -> list[Any] | None:
    """The tuples a list column without nulls holds, as ``read`` (the field's column
    reader, for a field of type ``hint``) gives them from its JSON lists, but with the
    items read all at once: the same rules on the same items, without a Python list per
    record. ``None`` when any item would not pass."""
    args = typing.get_args(hint)
    inner = (
        _bulk._reader(args[0])
        if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis
        else None
    )
    if inner is None:
        return read(array.to_pylist())
    found = inner(array.flatten().to_pylist())  # flatten() minds the array's offset
    if found is None:
        return None
    offsets = array.offsets.to_numpy()  # from the array's offset: rebased below
    offsets = offsets - offsets[0]
    spans = map(slice, offsets[:-1].tolist(), offsets[1:].tolist())
    return list(map(tuple, map(found.__getitem__, spans)))


def _records(
    cls: type[Any], n: int, columns: dict[str, Any], lists: dict[str, Any] | None = None
) -> list[Any] | None:
    """The ``n`` records of ``cls`` from their columns of JSON values (a column that is
    :data:`_LISTS`: its Arrow list array in ``lists``), checked column-wise by the JSON
    reader's bulk rules; ``None`` when any value would not pass."""
    plan = _bulk._plan(typing.cast(typing.Hashable, cls))
    if plan is None or not set(columns) <= plan.allowed:
        return None
    cols: dict[str, list[Any]] = {}
    for f in plan.fields:
        raw = columns.get(f.name)
        if raw is _LISTS:
            found = _tuples(_hints(cls)[f.name], f.read, (lists or {})[f.name])
            if found is None:
                return None
            cols[f.name] = found
            continue
        if raw is None:
            if f.default is _bulk._MISSING:
                return None
            cols[f.name] = [f.default] * n
            continue
        found = f.read(raw)
        if found is None:
            return None
        cols[f.name] = found
    for f in plan.fields:
        if f.check is not None and not f.check(cols[f.name], cols):
            return None
    return plan.fill(n, cols)


def _fast(file: _File) -> CommunityGraph | None:
    """The graph when every check passes in bulk, else ``None`` (read carefully)."""
    header = file.header
    if not isinstance(header, dict) or header.get("format") != TAG:
        return None
    if not set(header) <= set(_HEADER_KEYS) or header.get("format_version") != j.FORMAT_VERSION:
        return None
    reader = j._Reader()
    metadata = reader._one(header.get("metadata", {}), Metadata, "$.metadata")
    taxonomy = reader._taxonomy(header)
    if reader.problems or metadata is None or taxonomy is None:
        return None
    items: list[Any] = []
    for section, (n, columns) in file.sections.items():
        try:
            records = _records(_CLASSES[section], n, columns, file.lists.get(section))
        except Exception:  # noqa: BLE001 - anything unexpected: the careful way decides
            return None
        if records is None:
            return None
        items.extend(records)
    graph = CommunityGraph(taxonomy=taxonomy, metadata=metadata)
    return graph if graph._load(items) else None


def load_parquet(path: str | os.PathLike[str]) -> CommunityGraph:
    """Read a graph from a Parquet file written by :func:`save_parquet`.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    CommunityGraph
        Equal to the graph that was saved.

    Raises
    ------
    FormatError
        Listing every problem with its file, section, row and column (a file pyarrow
        cannot read, a header of another format or a newer version, a value the JSON
        format would refuse, a reference to a missing record …); nothing is half-loaded.
    OSError
        The file cannot be opened.
    MissingDependencyError
        pyarrow is not installed (``pip install 'vchuang[columnar]'``).

    See Also
    --------
    save_parquet : the inverse.
    vchuang.load : the JSON document (or this file, for a path ending in ``.parquet``).
    """
    file = _File(path)
    with collector_paused():
        file.read()
    if file.problems:
        raise FormatError(file.problems)
    with collector_paused():  # the records as well as the graph: see loads()
        graph = _fast(file)
    if graph is not None:
        return graph
    return _careful(file)


def _careful(file: _File) -> CommunityGraph:
    """Read the file's records as a JSON document, naming every problem in the file."""
    checker = j.DocumentReader(_HEADER_KEYS)
    fmt = j.DocumentFormat(
        tag=TAG,
        version=j.FORMAT_VERSION,
        # the records are upgraded by the JSON format's own steps, below
        upgrades=dict.fromkeys(range(1, j.FORMAT_VERSION), dict),
        what="a vchuang Parquet header",
    )
    checker.header(file.header, fmt)
    if checker.problems:
        raise FormatError(list(map(file.place, checker.report())))
    doc = file.document()
    reader = j._Reader()
    graph = reader.read(doc)
    if reader.problems:
        raise FormatError(list(map(file.place, reader.report())))
    assert graph is not None
    return graph
