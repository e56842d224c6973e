"""Exports: Gephi (GraphML, GEXF), pandas DataFrames and CSV files for Excel.

Every export goes through :func:`vchuang.privacy.for_publication` first, and is
*pseudonymous by default*: residents' IDs are keyed hashes, names are pseudonym labels,
birth years are age bands, free text is removed. ``reveal=`` asks for more, explicitly
(``"ids"``, ``"consented"``, ``"all"``; see :class:`vchuang.privacy.Reveal`); a minor's
name is never exported.

* :func:`to_graphml` and :func:`to_gexf` write the graph for Gephi (or any tool that reads
  those formats): every entity is a node with ``kind``, ``label`` and its record's fields;
  every relation (derived and explicit) is an edge with ``relation`` and the link's
  fields. Values are flattened: lists become text joined with ``;``, a resident's skills
  ``skill:level``, enums their values, dates ISO text, a project's needs their skills.
  :func:`flat_graph` gives the same graph as a :class:`networkx.MultiDiGraph`.
* :func:`to_dataframes` gives a ``pandas.DataFrame`` per table (one per entity kind, plus
  ``links``, ``needs``, ``attendance`` and ``skills``); :func:`to_dataframe` turns any
  analysis result (anything with ``to_rows()``) into one. pandas is an optional
  dependency (``pip install 'vchuang[pandas]'``), imported only when used.
* :func:`to_csv` writes one CSV file per table, UTF-8 with a byte-order mark so that
  Excel opens Chinese text correctly; the files read back with
  :func:`vchuang.io.tables.read_tables`, so a dataset can go out to Excel and come back.
* :func:`to_files` writes several of these formats in one call, all with one key.

**Keys.** Each call pseudonymises with one key: ``key=`` if given, else a fresh random
key drawn for that call and forgotten, which every file of the call shares (the CSV
tables of :func:`to_csv`, the three formats of :func:`to_files`). Two calls without a key
give the same person different pseudonyms; to keep a key across calls, make one (for
example ``secrets.token_hex(16)``), keep it apart from the data, and pass it as ``key=``.

Files are written atomically (a temporary file, then a rename).

Examples
--------
>>> import pathlib, tempfile, networkx as nx, vchuang
>>> from vchuang.io.export import to_gexf
>>> g = vchuang.load_example()
>>> path = pathlib.Path(tempfile.mkdtemp()) / "pingnan.gexf"
>>> to_gexf(g, path, key="a secret key of 16+ bytes")
>>> back = nx.read_gexf(path)
>>> sorted({d["kind"] for _, d in back.nodes(data=True)})[:3]
['activity', 'community', 'district']
>>> any("Zhang Hao" in str(d) for _, d in back.nodes(data=True))
False
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import enum
import inspect
import io
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs
import networkx as nx

from .._optional import require
from ..errors import Problem, ValidationError
from ..graph import CommunityGraph
from ..kernel.text import text
from ..model import (
    KIND_PLURALS,
    Activity,
    Entity,
    Link,
    Project,
    Proposal,
    Relation,
    default_taxonomy,
    entity_kinds,
)
from ..privacy import Reveal, for_publication
from ._json import atomic_write_text
from .cells import clean_text
from .csvsafe import cell_out

__all__ = [
    "FORMATS",
    "export_tables",
    "flat_graph",
    "to_csv",
    "to_dataframe",
    "to_dataframes",
    "to_files",
    "to_gexf",
    "to_graphml",
]

Scalar = str | int | float | bool


def _flat(value: Any) -> Scalar | None:
    """One field's value as a scalar for Gephi: lists joined with ';'."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return _flat(value.value)
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(_item(v) for v in value)
    return str(value)


def _item(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    if attrs.has(type(value)) and hasattr(value, "skill") and hasattr(value, "level"):
        return f"{value.skill}:{int(value.level)}"
    if attrs.has(type(value)) and hasattr(value, "resource"):  # a Need
        return str(value.skill if value.skill is not None else value.resource.value)
    return str(value)


_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(value: Scalar) -> Scalar:
    """Text without the characters XML 1.0 cannot hold (control characters), which are
    replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _numeric(cls: type, name: str) -> type | None:
    """The Python type a field's values take in Gephi (float for hours, int for
    counts), so that every node writes the same type for the same attribute."""
    hint = {a.name: a.type for a in attrs.fields(cls)}.get(name)
    text = str(hint)
    if "float" in text.split("|", maxsplit=1)[0]:
        return float
    if text.startswith("int"):
        return int
    return None


def _node_attrs(record: Entity) -> dict[str, Scalar]:
    out: dict[str, Scalar] = {"kind": record.kind}
    cls = type(record)
    for a in attrs.fields(cls):
        if a.name == "id":
            continue
        value = getattr(record, a.name)
        if a.name == "needs":
            out["need_hours"] = float(sum(n.hours for n in value))
        flat = _flat(value)
        if flat is None or flat == "":
            continue
        kind = _numeric(cls, a.name)
        if kind is float and not isinstance(flat, bool):
            flat = float(flat)
        out[a.name] = flat
    out["label"] = str(getattr(record, "name", record.id))
    return out


def flat_graph(
    graph: CommunityGraph,
    *,
    reveal: Reveal | str = Reveal.NOTHING,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
    relations: Iterable[Relation | str] | None = None,
) -> nx.MultiDiGraph:
    """The graph as a :class:`networkx.MultiDiGraph` with flat attributes.

    Parameters
    ----------
    graph
        The community graph.
    reveal
        How much to show (default: nothing personal; see
        :func:`vchuang.privacy.for_publication`).
    key
        Pseudonymisation key (default: a fresh random key each call, so the pseudonyms
        of two calls differ; pass your own key, or write several formats in one
        :func:`to_files` call, for pseudonyms that match).
    as_of
        Date for age bands (default ``graph.metadata.as_of``).
    relations
        Keep only these relations as edges (default: all, derived and explicit).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``kind``, ``label`` and every non-empty field of the record as text,
        integer, float or boolean (control characters, which XML cannot hold, replaced by
        U+FFFD); edges carry ``relation`` and, for explicit links,
        their ``hours``, ``weight``, ``since``, ``until``. Edge keys are ``e0``, ``e1`` …

    Examples
    --------
    >>> import vchuang
    >>> g = flat_graph(vchuang.load_example(), reveal="ids")
    >>> g.nodes["pn-r01"]["label"], g.nodes["pn-r01"]["age_band"], g.nodes["pn-r01"]["skills"]
    ('Resident pn-r01', 'adult', 'graphic_design:4;public_speaking:2')
    """
    return _flat_of(for_publication(graph, reveal, key=key, as_of=as_of), relations)


def _flat_of(shown: CommunityGraph, relations: Iterable[Relation | str] | None) -> nx.MultiDiGraph:
    """:func:`flat_graph` of a graph already made fit for publication."""
    keep = None if relations is None else {Relation(r) for r in relations}
    out = nx.MultiDiGraph()
    for record in shown:
        attributes = {k: _xml_safe(v) for k, v in _node_attrs(record).items()}
        out.add_node(_xml_safe(record.id), **attributes)
    n = 0
    for source, target, relation, link in shown.edges():
        if keep is not None and relation not in keep:
            continue
        data: dict[str, Scalar] = {"relation": relation.value}
        if link is not None:
            for name in ("hours", "weight", "since", "until"):
                value = _flat(getattr(link, name))
                if value is not None:
                    data[name] = float(value) if name in ("hours", "weight") else value
        out.add_edge(_xml_safe(source), _xml_safe(target), key=f"e{n}", **data)
        n += 1
    return out


def _write(path: str | os.PathLike[str], lines: Iterable[str]) -> None:
    atomic_write_text(Path(path), "\n".join(lines) + "\n")


def to_graphml(
    graph: CommunityGraph,
    path: str | os.PathLike[str],
    *,
    reveal: Reveal | str = Reveal.NOTHING,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
    relations: Iterable[Relation | str] | None = None,
) -> None:
    """Write the graph as GraphML (for Gephi, yEd, Cytoscape, igraph …), atomically.

    Parameters are those of :func:`flat_graph`, and ``path``, the file to write.

    Examples
    --------
    >>> import pathlib, tempfile, networkx as nx, vchuang
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "g.graphml"
    >>> to_graphml(vchuang.load_example(), path, reveal="ids")
    >>> nx.read_graphml(path).nodes["pingnan"]["population"]
    12000
    """
    shown = for_publication(graph, reveal, key=key, as_of=as_of)
    _write_graphml(shown, path, relations)


def _write_graphml(
    shown: CommunityGraph,
    path: str | os.PathLike[str],
    relations: Iterable[Relation | str] | None,
) -> Path:
    _write(path, nx.generate_graphml(_flat_of(shown, relations)))
    return Path(path)


def to_gexf(
    graph: CommunityGraph,
    path: str | os.PathLike[str],
    *,
    reveal: Reveal | str = Reveal.NOTHING,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
    relations: Iterable[Relation | str] | None = None,
) -> None:
    """Write the graph as GEXF 1.2 (Gephi's own format), atomically.

    Parameters are those of :func:`flat_graph`, and ``path``, the file to write. The
    file's ``lastmodifieddate`` is the dataset's ``as_of`` date when it has one, so the
    same graph gives the same file.
    """
    shown = for_publication(graph, reveal, key=key, as_of=as_of)
    _write_gexf(shown, path, relations, as_of or graph.metadata.as_of)


def _write_gexf(
    shown: CommunityGraph,
    path: str | os.PathLike[str],
    relations: Iterable[Relation | str] | None,
    day: dt.date | None,
) -> Path:
    lines = nx.generate_gexf(_flat_of(shown, relations))
    if day is not None:
        stamp = f'lastmodifieddate="{day.isoformat()}"'
        lines = (re.sub(r'lastmodifieddate="[^"]*"', stamp, line) for line in lines)
    _write(path, lines)
    return Path(path)


# --------------------------------------------------------------------------- tables


def _columns(cls: type) -> list[str]:
    skip = {"needs"}
    if cls is Activity:
        skip.add("attendees")
    return [a.name for a in attrs.fields(cls) if a.name not in skip]


def _cell(value: Any) -> Any:
    """A table cell: scalars kept (dates as dates), lists joined with ';'."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return ";".join(_item(v) for v in value)
    return value


def export_tables(
    graph: CommunityGraph,
    *,
    reveal: Reveal | str = Reveal.NOTHING,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """The graph as tables: ``{name: (columns, rows)}``, what :func:`to_csv` and
    :func:`to_dataframes` write.

    Tables: ``metadata`` (key, value), ``taxonomy`` (skills beyond the default
    taxonomy), one per entity kind (``residents`` …; a column per record field, lists
    joined with ``;``, a resident's skills as ``skill:level``), ``needs`` (one row per
    need, ``owner`` naming the project or proposal), ``attendance`` (one row per activity
    and named attendee) and ``links``.

    Parameters
    ----------
    graph
        The community graph.
    reveal, key, as_of
        As for :func:`flat_graph`.

    Returns
    -------
    dict
        Table name to (column names, rows); every table is there, empty or not.

    Examples
    --------
    >>> import vchuang
    >>> tables = export_tables(vchuang.load_example(), reveal="ids")
    >>> tables["attendance"][0], tables["attendance"][1][0]
    (['activity', 'resident'], {'activity': 'pn-a1', 'resident': 'pn-r01'})
    """
    return _tables_of(for_publication(graph, reveal, key=key, as_of=as_of))


def _tables_of(shown: CommunityGraph) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """:func:`export_tables` of a graph already made fit for publication."""
    out: dict[str, tuple[list[str], list[dict[str, Any]]]] = {}
    meta = shown.metadata
    meta_rows = [
        {"key": name, "value": getattr(meta, name)}
        for name in ("title", "description", "source", "license", "as_of")
        if getattr(meta, name) not in (None, "")
    ]
    base = default_taxonomy().skills
    skills = shown.taxonomy.skills
    if skills[: len(base)] == base:
        extra = skills[len(base) :]
    else:
        extra = skills
        meta_rows.append({"key": "base_taxonomy", "value": "none"})
    out["metadata"] = (["key", "value"], meta_rows)
    out["taxonomy"] = (
        ["id", "en", "zh", "parent", "synonyms"],
        [
            {"id": s.id, "en": s.en, "zh": s.zh, "parent": s.parent, "synonyms": _cell(s.synonyms)}
            for s in extra
        ],
    )
    for kind, cls in entity_kinds().items():
        columns = _columns(cls)
        rows = [{c: _cell(getattr(r, c)) for c in columns} for r in shown.entities(kind)]
        out[KIND_PLURALS[kind]] = (columns, rows)
    need_rows: list[dict[str, Any]] = []
    for record in [*shown.entities("project"), *shown.entities("proposal")]:
        assert isinstance(record, Project | Proposal)
        for need in record.needs:
            need_rows.append(
                {
                    "owner": record.id,
                    "id": need.id,
                    "skill": need.skill,
                    "resource": _cell(need.resource),
                    "hours": need.hours,
                    "people": need.people,
                    "min_level": int(need.min_level),
                    "note": need.note,
                }
            )
    out["needs"] = (
        ["owner", "id", "skill", "resource", "hours", "people", "min_level", "note"],
        need_rows,
    )
    out["attendance"] = (
        ["activity", "resident"],
        [{"activity": a.id, "resident": r} for a in shown.activities() for r in a.attendees],
    )
    link_columns = [a.name for a in attrs.fields(Link)]
    out["links"] = (
        link_columns,
        [{c: _cell(getattr(x, c)) for c in link_columns} for x in shown.links()],
    )
    return out


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        guarded = cell_out(value)  # a spreadsheet must not run it as a formula
        if guarded == value and clean_text(value) != value:
            # the reader strips and folds text (spaces, full-width letters); after an
            # apostrophe it keeps the text as written, so the round trip is exact
            return "'" + value
        return guarded
    return str(value)


def to_csv(
    graph: CommunityGraph,
    directory: str | os.PathLike[str],
    *,
    reveal: Reveal | str = Reveal.NOTHING,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
    encoding: str = "utf-8-sig",
) -> list[Path]:
    """Write every table of :func:`export_tables` as a CSV file for Excel.

    Files are UTF-8 with a byte-order mark (Excel then shows Chinese correctly), with
    English headers (the record fields), written atomically into ``directory`` (created
    if missing): ``metadata.csv``, ``taxonomy.csv``, ``districts.csv`` …
    ``proposals.csv``, ``needs.csv``, ``attendance.csv``, ``links.csv``.
    :func:`vchuang.io.tables.read_tables` reads them back: with ``reveal="all"`` the
    graph comes back whole (minors' names excepted: they are never written).

    Parameters
    ----------
    graph
        The community graph.
    directory
        Where to write.
    reveal, key, as_of
        As for :func:`flat_graph` (default: pseudonymous).
    encoding
        ``"utf-8-sig"`` (default: UTF-8 with a byte-order mark), or ``"gb18030"`` for
        older WPS and Excel versions that open CSV files as GBK; any encoding Python
        knows (all the files are written in it, or none if a cell cannot be).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    ValidationError
        ``encoding`` is not an encoding Python knows, or cannot write some cell.

    Examples
    --------
    >>> import pathlib, tempfile, vchuang
    >>> from vchuang.io.tables import read_tables
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> g = vchuang.load_example()
    >>> [p.name for p in to_csv(g, d, reveal="all")][:3]
    ['metadata.csv', 'taxonomy.csv', 'districts.csv']
    >>> back = read_tables(d).graph
    >>> [r.id for r in g if back.get(r.id) != r]   # the minor, whose name is never written
    ['pn-r08']
    """
    _check_encoding(encoding)
    shown = for_publication(graph, reveal, key=key, as_of=as_of)
    return _write_csv(_csv_texts(shown, encoding), directory, encoding)


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        problem = Problem(
            "encoding",
            text("export.unknown_encoding", "en", encoding=repr(encoding)),
            text("export.hint_encoding", "en"),
        )
        raise ValidationError([problem]) from None


def _csv_texts(shown: CommunityGraph, encoding: str) -> dict[str, str]:
    """Each table of ``shown`` as CSV text, checked to be writable in ``encoding``."""
    texts: dict[str, str] = {}
    for name, (columns, rows) in _tables_of(shown).items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_text(row[c]) for c in columns])
        content = buffer.getvalue()
        try:
            content.encode(encoding)
        except UnicodeEncodeError as exc:
            line = content[: exc.start].count("\n") + 1
            problem = Problem(
                f"{name}.csv:{line}",
                text(
                    "export.cannot_encode",
                    "en",
                    encoding=encoding,
                    char=repr(exc.object[exc.start]),
                ),
                text("export.hint_encoding", "en"),
            )
            raise ValidationError([problem]) from None
        texts[name] = content
    return texts


def _write_csv(
    texts: Mapping[str, str], directory: str | os.PathLike[str], encoding: str
) -> list[Path]:
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, content in texts.items():
        path = root / f"{name}.csv"
        atomic_write_text(path, content, encoding=encoding)
        written.append(path)
    return written


#: The formats :func:`to_files` writes, and the file (or folder) each one becomes.
FORMATS = {"gexf": "{name}.gexf", "graphml": "{name}.graphml", "csv": "{name}-tables"}


def to_files(
    graph: CommunityGraph,
    directory: str | os.PathLike[str],
    formats: Iterable[str] = ("gexf", "graphml", "csv"),
    *,
    name: str = "graph",
    reveal: Reveal | str = Reveal.NOTHING,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
    relations: Iterable[Relation | str] | None = None,
    encoding: str = "utf-8-sig",
) -> dict[str, Path]:
    """Write the graph in several formats at once, with **one key** for all the files.

    The graph passes through :func:`vchuang.privacy.for_publication` once, so a resident
    has the same pseudonym in the GEXF file, the GraphML file and the CSV tables of one
    call and they can be joined. Without ``key=`` the call draws one fresh random key
    for all its files (and forgets it): the pseudonyms of two calls without a key cannot
    be linked. To keep pseudonyms across calls (this month's files and next month's),
    pass the same ``key=`` each time, for example one made once with
    ``secrets.token_hex(16)`` and kept in a file apart from the data.

    Parameters
    ----------
    graph
        The community graph.
    directory
        Where to write (created if missing).
    formats
        Any of ``"gexf"`` (``<name>.gexf``, as :func:`to_gexf`), ``"graphml"``
        (``<name>.graphml``, as :func:`to_graphml`) and ``"csv"`` (the tables of
        :func:`to_csv` in the folder ``<name>-tables``); default all three.
    name
        The stem of the file names.
    reveal, key, as_of
        As for :func:`flat_graph` (default: pseudonymous, one random key for the call).
    relations
        The relations the GEXF and GraphML files keep as edges (default all).
    encoding
        The encoding of the CSV files, as for :func:`to_csv`.

    Returns
    -------
    dict
        Format to the path written (the folder for ``"csv"``), in the order of
        ``formats``.

    Raises
    ------
    ValidationError
        A format is unknown, ``formats`` is empty, or ``encoding`` cannot be used;
        nothing is written then.

    Examples
    --------
    >>> import pathlib, tempfile, vchuang
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> written = to_files(vchuang.load_example(), d)   # one random key for the three
    >>> {fmt: path.name for fmt, path in written.items()}
    {'gexf': 'graph.gexf', 'graphml': 'graph.graphml', 'csv': 'graph-tables'}
    """
    chosen = list(dict.fromkeys(str(f).casefold() for f in formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        message = (
            text("export.unknown_format", "en", formats=", ".join(map(repr, unknown)))
            if unknown
            else text("export.no_format", "en")
        )
        hint = text("export.hint_formats", "en", known=", ".join(map(repr, FORMATS)))
        raise ValidationError([Problem("formats", message, hint)])
    if "csv" in chosen:
        _check_encoding(encoding)
    if key is None and reveal in (Reveal.NOTHING, Reveal.NOTHING.value):
        import secrets

        key = secrets.token_bytes(32)  # one key for every file of this call
    shown = for_publication(graph, reveal, key=key, as_of=as_of)
    texts = _csv_texts(shown, encoding) if "csv" in chosen else {}
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for fmt in chosen:
        path = root / FORMATS[fmt].format(name=name)
        if fmt == "gexf":
            _write_gexf(shown, path, relations, as_of or graph.metadata.as_of)
        elif fmt == "graphml":
            _write_graphml(shown, path, relations)
        else:
            _write_csv(texts, path, encoding)
        written[fmt] = path
    return written


def to_dataframes(
    graph: CommunityGraph,
    *,
    reveal: Reveal | str = Reveal.NOTHING,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """A ``pandas.DataFrame`` for every table of :func:`export_tables`, and ``skills``.

    Dates become ``datetime64`` columns; lists stay text joined with ``;``; the
    ``skills`` table has one row per resident and skill (``resident``, ``skill``,
    ``level``) for analysis.

    Parameters
    ----------
    graph
        The community graph.
    reveal, key, as_of
        As for :func:`flat_graph` (default: pseudonymous).

    Returns
    -------
    dict
        Table name to ``pandas.DataFrame``.

    Raises
    ------
    MissingDependencyError
        pandas is not installed (``pip install 'vchuang[pandas]'``).

    Examples
    --------
    >>> import vchuang
    >>> frames = to_dataframes(vchuang.load_example(), reveal="ids")
    >>> frames["residents"].loc[0, ["id", "community", "age_band"]].tolist()
    ['pn-r01', 'pingnan', 'adult']
    >>> frames["activities"]["date"].dt.month.tolist()
    [6, 9, 10, 11]
    """
    pd = require("pandas", extra="pandas", feature="DataFrame exports")
    shown = for_publication(graph, reveal, key=key, as_of=as_of)
    tables = export_tables(shown, reveal=Reveal.ALL)
    skill_rows = [
        {"resident": r.id, "skill": s.skill, "level": int(s.level)}
        for r in shown.residents()
        for s in r.skills
    ]
    tables["skills"] = (["resident", "skill", "level"], skill_rows)
    out: dict[str, Any] = {}
    for name, (columns, rows) in tables.items():
        frame = pd.DataFrame(rows, columns=columns)
        for column in columns:
            values = [row[column] for row in rows if row[column] is not None]
            if values and all(isinstance(v, dt.date) for v in values):
                frame[column] = pd.to_datetime(
                    [None if row[column] is None else row[column].isoformat() for row in rows],
                    format="%Y-%m-%d",
                )
        out[name] = frame
    return out


def to_dataframe(result: Any, table: str | None = None) -> Any:
    """A ``pandas.DataFrame`` of an analysis result or of a sequence of records.

    Parameters
    ----------
    result
        A result with ``to_rows()`` (when its ``to_rows`` takes a ``table``, the result
        has several tables and ``table`` must name one), or a sequence of mappings,
        of records (attrs classes, such as :func:`vchuang.indicators.monthly`'s rows or
        ``ReachReport.segments``) or of objects with ``to_dict()``.
    table
        Which table of a result that has several (``ReachReport``: ``"points"``,
        ``"lines"``, ``"segments"`` …).

    Returns
    -------
    object
        A ``pandas.DataFrame``, one row per row of the result; enums as their values,
        lists of records as text joined with ``;``.

    Raises
    ------
    MissingDependencyError
        pandas is not installed.
    ValidationError
        The result has several tables and ``table`` names none of them (the message
        lists them), or ``table`` is given for a result with one table.
    TypeError
        ``result`` has no ``to_rows()`` and is not a sequence of rows or records.

    Examples
    --------
    >>> import vchuang
    >>> from vchuang import indicators
    >>> g = vchuang.load_example()
    >>> to_dataframe(g.summary()).loc[0, "community"]
    'Pingnan'
    >>> to_dataframe(indicators.monthly(g)).columns.tolist()[:3]
    ['place', 'month', 'activities']
    """
    pd = require("pandas", extra="pandas", feature="DataFrame exports")
    return pd.DataFrame(_rows_of(result, table))


def _table_names(result: Any, to_rows: Any) -> list[str]:
    names = getattr(result, "TABLES", None) or getattr(result, "tables", None)
    if isinstance(names, Iterable) and not isinstance(names, str):
        found = [str(n) for n in names]
        if found:
            return found
    return re.findall(r'``"(\w+)"``', to_rows.__doc__ or "")


def _record_row(item: Any) -> dict[str, Any]:
    if isinstance(item, Mapping):
        return dict(item)
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        return dict(to_dict())
    if attrs.has(type(item)):
        return {a.name: _cell(getattr(item, a.name)) for a in attrs.fields(type(item))}
    msg = f"every row must be a mapping or a record, got {type(item).__name__}"
    raise TypeError(msg)


def _rows_of(result: Any, table: str | None) -> list[dict[str, Any]]:
    """The rows of ``result`` (see :func:`to_dataframe`)."""
    to_rows = getattr(result, "to_rows", None)
    what = type(result).__name__
    if callable(to_rows):
        if "table" in inspect.signature(to_rows).parameters:
            names = _table_names(result, to_rows)
            if table is None or (names and table not in names):
                message = (
                    text("export.several_tables", "en", what=what)
                    if table is None
                    else text("export.no_such_table", "en", what=what, table=repr(table))
                )
                hint = text("export.hint_tables", "en", names=", ".join(map(repr, names)))
                raise ValidationError([Problem("table", message, hint)])
            return [_record_row(r) for r in to_rows(table=table)]
        rows: Any = to_rows()
    else:
        rows = result
    if table is not None:
        problem = Problem("table", text("export.one_table", "en", what=what))
        raise ValidationError([problem])
    if isinstance(rows, Mapping | str | bytes) or not isinstance(rows, Iterable):
        msg = f"expected a result with to_rows() or a sequence of rows or records, got {what}"
        raise TypeError(msg)
    return [_record_row(r) for r in rows]
