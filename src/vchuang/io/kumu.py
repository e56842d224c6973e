"""Kumu maps: a community graph to Kumu's spreadsheet and JSON layouts, and back.

Kumu (kumu.io) draws relationship maps from two tables, as its import guide describes
them: **Elements** (one row per thing: ``Label``, ``Type``, ``Description``, ``Tags`` and
any other column as a field) and **Connections** (one row per relation: ``From``,
``To``, ``Type``, ``Direction``, and fields). A cell that holds several values separates
them with ``|``. The same map can be a JSON *blueprint*,
``{"elements": [...], "connections": [...]}``, each element an object with ``label``,
``type``, ``description``, ``tags`` and its fields, each connection ``from``, ``to``,
``type``.

vchuang writes every record as an element whose ``ID`` is its entity ID (connections
name elements by ID, so two residents with one name stay two), ``Label`` its name,
``Type`` its kind (``resident``, ``project`` …), ``Tags`` its themes, and one column per
other field: lists joined by ``|``, skills as ``skill:level``, a project's needs as JSON
text. Explicit links are the connections (the relations held in fields, such as a
resident's community, are the fields themselves). Reading checks everything
through the JSON format's converter, so a map edited in Kumu comes back as a valid graph
or a :class:`~vchuang.errors.FormatError` naming the sheet, row and column. The
dataset's metadata and a custom skill taxonomy do not travel in a Kumu map: pass them to
:func:`from_kumu`.

Examples
--------
>>> from vchuang.datasets import longgang_pilot
>>> from vchuang.io import kumu
>>> g = longgang_pilot()
>>> blueprint = kumu.to_kumu(g)
>>> sorted(blueprint), blueprint["elements"][0]["type"], blueprint["connections"][0]["type"]
(['connections', 'elements'], 'district', 'knows')
>>> back = kumu.from_kumu(blueprint, metadata=g.metadata)
>>> kumu.to_kumu(back) == blueprint
True
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .._optional import require
from ..errors import FormatError, Problem
from ..graph import CommunityGraph
from ..kernel.text import Lang, check_lang, text
from ..model import KIND_PLURALS, Metadata, Relation, SkillTaxonomy, entity_kinds
from ._json import atomic_write_bytes, atomic_write_text, from_document, to_document
from .tables._reading import read_csv, read_xlsx
from .tables._sheets import Problems, _problem

__all__ = [
    "CONNECTION_COLUMNS",
    "ELEMENT_COLUMNS",
    "from_kumu",
    "from_kumu_sheets",
    "read_kumu",
    "to_kumu",
    "to_kumu_sheets",
    "write_kumu",
]

#: The first columns of the Elements sheet (fields follow).
ELEMENT_COLUMNS = ("ID", "Label", "Type", "Description", "Tags")
#: The first columns of the Connections sheet (link fields follow).
CONNECTION_COLUMNS = ("From", "To", "Type", "Direction")
_LINK_FIELDS = ("hours", "weight", "since", "until")
_SEP = "|"
_RENAMED = {"id": "ID", "name": "Label", "description": "Description", "themes": "Tags"}


def _t(key: str, lang: str, /, **fields: object) -> str:
    return text(f"kumu.{key}", lang, **fields)


def _type_name(hint: Any) -> str:
    """A field's type as text, ``"int | None"``, whether attrs resolved it or not."""
    name = hint.__name__ if isinstance(hint, type) else str(hint)
    return name.replace("vchuang.model.", "").replace("datetime.", "")


def _field_types() -> dict[str, dict[str, str]]:
    """kind → field → its type as written in the record class."""
    return {
        kind: {f.name: _type_name(f.type) for f in attrs.fields(cls)}
        for kind, cls in entity_kinds().items()
    }


def _cell(field: str, value: Any) -> str:
    """A document value as the text of one cell."""
    if field == "skills" and value and isinstance(value[0], dict):
        return _SEP.join(f"{s['skill']}:{s.get('level', 1)}" for s in value)
    if field == "needs":
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, list):
        return _SEP.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _expected(kind_types: Mapping[str, str], field: str) -> str:
    """The catalogue's name for what a cell of ``field`` must hold (``"int"`` …)."""
    kind = kind_types.get(field, "str")
    if "SkillLevel" in kind:
        return "skills"
    if "Need" in kind:
        return "needs"
    words = set(re.findall(r"\w+", kind))
    return next((w for w in ("bool", "int", "float") if w in words), "text")


def _value(kind_types: Mapping[str, str], field: str, cell: str) -> Any:
    """The document value of one cell (raises ValueError on a bad one)."""
    kind = kind_types.get(field, "str")
    if "SkillLevel" in kind:
        out = []
        for item in cell.split(_SEP):
            skill, _, level = item.strip().partition(":")
            out.append({"skill": skill.strip(), "level": int(level) if level.strip() else 1})
        return out
    if "Need" in kind:
        return json.loads(cell)
    if kind.startswith("tuple["):
        return [v.strip() for v in cell.split(_SEP) if v.strip()]
    words = set(re.findall(r"\w+", kind))
    if "bool" in words:
        low = cell.strip().casefold()
        if low not in ("true", "false", "1", "0", "yes", "no"):
            msg = f"not true or false: {cell!r}"
            raise ValueError(msg)
        return low in ("true", "1", "yes")
    if "int" in words:
        return int(cell)
    if "float" in words:
        return float(cell)
    return cell


def _elements(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for kind, plural in KIND_PLURALS.items():
        for entry in doc.get(plural, []):
            element: dict[str, Any] = {"id": entry["id"], "label": entry["name"], "type": kind}
            if "description" in entry:
                element["description"] = entry["description"]
            if "themes" in entry:
                element["tags"] = list(entry["themes"])
            for field, value in entry.items():
                if field not in ("id", "name", "description", "themes"):
                    element[field] = value
            out.append(element)
    return out


def _connections(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for link in doc.get("links", []):
        rel = Relation(link["relation"])
        connection: dict[str, Any] = {
            "from": link["source"],
            "to": link["target"],
            "type": rel.value,
            "direction": "undirected" if rel.symmetric else "directed",
        }
        connection.update({k: link[k] for k in _LINK_FIELDS if k in link})
        out.append(connection)
    return out


def to_kumu(graph: CommunityGraph) -> dict[str, list[dict[str, Any]]]:
    """The graph as a Kumu JSON blueprint: ``{"elements": [...], "connections": [...]}``."""
    doc = to_document(graph)
    return {"elements": _elements(doc), "connections": _connections(doc)}


def to_kumu_sheets(graph: CommunityGraph) -> dict[str, list[list[str]]]:
    """The graph as Kumu's two sheets, ``{"Elements": rows, "Connections": rows}``, each
    a header row and rows of text."""
    doc = to_document(graph)
    elements = _elements(doc)
    extra: list[str] = []
    for e in elements:
        for field in e:
            if field not in ("id", "label", "type", "description", "tags") and field not in extra:
                extra.append(field)
    rows = [[*ELEMENT_COLUMNS, *extra]]
    for e in elements:
        row = [
            e["id"],
            e["label"],
            e["type"],
            e.get("description", ""),
            _SEP.join(e.get("tags", [])),
        ]
        row += [_cell(f, e[f]) if f in e else "" for f in extra]
        rows.append(row)
    connections = [[*CONNECTION_COLUMNS, *(f.capitalize() for f in _LINK_FIELDS)]]
    for c in _connections(doc):
        connections.append(
            [c["from"], c["to"], c["type"], c["direction"]]
            + [_cell(f, c[f]) if f in c else "" for f in _LINK_FIELDS]
        )
    return {"Elements": rows, "Connections": connections}


class _Collector:
    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.problems: list[Problem] = []

    def add(self, where: str, message: str, hint: str = "") -> None:
        """A problem at ``where``; a place ``Elements:4 (column Type)`` is said in the
        user's language by :meth:`~vchuang.errors.Problem.render`."""
        self.problems.append(_problem(where, message, hint))

    def bad_cell(self, where: str, value: object, expected: str, exc: Exception) -> None:
        # English keeps the converter's own words; Chinese says what the cell must hold
        error = str(exc) if self.lang == "en" else _t(f"expected.{expected}", self.lang)
        self.add(where, _t("bad_cell", self.lang, value=str(value)[:40], error=error))


def _document(
    elements: Sequence[Mapping[str, Any]],
    connections: Sequence[Mapping[str, Any]],
    where: tuple[str, str],
    problems: _Collector,
    *,
    typed: bool,
    headers: tuple[Mapping[str, str], Mapping[str, str]] = ({}, {}),
    lines: tuple[Sequence[int], Sequence[int]] | None = None,
) -> dict[str, Any]:
    """A vchuang JSON document from elements and connections (``typed``: values are
    JSON already, else text cells to read by each field's type). ``headers`` gives each
    key's column header as written in the sheet, ``lines`` each row's line."""
    lang = problems.lang
    kinds = entity_kinds()
    types = _field_types()
    doc: dict[str, Any] = {"format": "vchuang", "format_version": 1}
    for plural in KIND_PLURALS.values():
        doc[plural] = []
    for i, e in enumerate(elements):
        line = lines[0][i] if lines is not None else i + 2
        place = f"{where[0]}[{i}]" if typed else f"{where[0]}:{line}"
        kind = str(e.get("type", "")).strip().casefold()
        if kind not in kinds:
            problems.add(
                f"{place} (column {headers[0].get('type', 'Type')})",
                _t("unknown_type", lang, type=e.get("type", "")),
                _t("hint_types", lang, types=", ".join(kinds)),
            )
            continue
        entry: dict[str, Any] = {}
        for key, value in e.items():
            field = {"label": "name", "tags": "themes"}.get(key, key)
            if field == "type" or value in ("", None) or value == []:
                continue
            column = headers[0].get(key, _RENAMED.get(field, field))
            if field not in types[kind]:
                problems.add(
                    f"{place} (column {column})",
                    _t("unknown_field", lang, field=key, kind=text(f"model.kind.{kind}", lang)),
                )
                continue
            if typed or (field == "themes" and isinstance(value, list)):
                entry[field] = value
                continue
            try:
                entry[field] = _value(types[kind], field, str(value))
            except (ValueError, TypeError, KeyError) as exc:
                expected = _expected(types[kind], field)
                problems.bad_cell(f"{place} (column {column})", value, expected, exc)
        doc[KIND_PLURALS[kind]].append(entry)
    links = []
    for i, c in enumerate(connections):
        line = lines[1][i] if lines is not None else i + 2
        place = f"{where[1]}[{i}]" if typed else f"{where[1]}:{line}"
        link: dict[str, Any] = {
            "source": c.get("from", ""),
            "relation": str(c.get("type", "")).strip().casefold(),
            "target": c.get("to", ""),
        }
        for f in _LINK_FIELDS:
            value = c.get(f)
            if value in ("", None):
                continue
            if typed or f in ("since", "until"):
                link[f] = value
                continue
            try:
                link[f] = float(value)
            except ValueError as exc:
                column = headers[1].get(f, f.capitalize())
                problems.bad_cell(f"{place} (column {column})", value, "float", exc)
        links.append(link)
    doc["links"] = links
    return doc


def _graph(
    doc: dict[str, Any],
    problems: _Collector,
    metadata: Metadata | None,
    taxonomy: SkillTaxonomy | None,
) -> CommunityGraph:
    if problems.problems:
        raise FormatError(problems.problems)
    graph = from_document(doc)
    if metadata is None and taxonomy is None:
        return graph
    out = CommunityGraph(
        metadata=metadata if metadata is not None else graph.metadata,
        taxonomy=taxonomy if taxonomy is not None else graph.taxonomy,
    )
    out.add_all(graph.entities())
    out.add_all(graph.links())
    return out


def from_kumu(
    blueprint: Mapping[str, Any],
    *,
    metadata: Metadata | None = None,
    taxonomy: SkillTaxonomy | None = None,
    lang: str = "en",
) -> CommunityGraph:
    """A community graph from a Kumu JSON blueprint.

    Raises
    ------
    FormatError
        An element of an unknown type or field, a bad value, a connection to a missing
        element, a relation between the wrong kinds … each named by its place.
    """
    check_lang(lang)
    problems = _Collector(lang)
    elements = blueprint.get("elements", [])
    connections = blueprint.get("connections", [])
    doc = _document(elements, connections, ("elements", "connections"), problems, typed=True)
    return _graph(doc, problems, metadata, taxonomy)


def from_kumu_sheets(
    sheets: Mapping[str, Sequence[Sequence[str]]],
    *,
    metadata: Metadata | None = None,
    taxonomy: SkillTaxonomy | None = None,
    lang: str = "en",
    names: tuple[str, str] = ("Elements", "Connections"),
) -> CommunityGraph:
    """A community graph from Kumu's two sheets (header row first, cells as text).

    Columns are matched by header whatever their case; an element's ``ID`` defaults to
    its ``Label`` (as in Kumu, where connections name elements by label).
    """
    check_lang(lang)
    problems = _Collector(lang)

    def records(
        rows: Sequence[Sequence[str]], renames: Mapping[str, str]
    ) -> tuple[list[dict[str, str]], dict[str, str], list[int]]:
        """The rows as records by key, each key's header as written, each row's line."""
        if not rows:
            return [], {}, []
        written = [str(h).strip() for h in rows[0]]
        keys = [renames.get(h.casefold(), h.casefold().replace(" ", "_")) for h in written]
        out, lines = [], []
        for n, row in enumerate(rows[1:], start=2):
            if not any(str(c).strip() for c in row):
                continue
            out.append({k: str(c) for k, c in zip(keys, row, strict=False) if k})
            lines.append(n)
        return out, {k: h for k, h in zip(keys, written, strict=True) if k}, lines

    elements, element_heads, element_lines = records(
        sheets.get(names[0], []), {"label": "label", "tags": "tags"}
    )
    for e in elements:
        e.setdefault("id", e.get("label", ""))
        if not e.get("id"):
            e["id"] = e.get("label", "")
        if "tags" in e:
            e["tags"] = [t.strip() for t in e["tags"].split(_SEP) if t.strip()]  # type: ignore[assignment]
    connections, connection_heads, connection_lines = records(sheets.get(names[1], []), {})
    doc = _document(
        elements,
        connections,
        names,
        problems,
        typed=False,
        headers=(element_heads, connection_heads),
        lines=(element_lines, connection_lines),
    )
    return _graph(doc, problems, metadata, taxonomy)


def write_kumu(graph: CommunityGraph, path: str | os.PathLike[str]) -> None:
    """Write a Kumu map: ``.json`` a blueprint, ``.xlsx`` a workbook with the Elements
    and Connections sheets (needs openpyxl, the ``xlsx`` extra); written atomically."""
    target = Path(path)
    if target.suffix.lower() == ".json":
        atomic_write_text(target, json.dumps(to_kumu(graph), ensure_ascii=False, indent=1))
        return
    openpyxl = require("openpyxl", extra="xlsx", feature="writing Kumu workbooks")
    import io

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in to_kumu_sheets(graph).items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write_bytes(target, buffer.getvalue())


def read_kumu(
    path: str | os.PathLike[str],
    *,
    metadata: Metadata | None = None,
    taxonomy: SkillTaxonomy | None = None,
    lang: str = "en",
) -> CommunityGraph:
    """Read a Kumu map: a ``.json`` blueprint, an ``.xlsx`` workbook with Elements and
    Connections sheets, or a folder with ``Elements.csv`` and ``Connections.csv``."""
    check_lang(lang)
    lng: Lang = "zh" if lang == "zh" else "en"
    source = Path(path)
    if source.suffix.lower() == ".json":
        try:
            blueprint = json.loads(source.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FormatError([Problem(source.name, _t("unreadable", lang, error=exc))]) from None
        return from_kumu(blueprint, metadata=metadata, taxonomy=taxonomy, lang=lang)
    collected = Problems(lng)
    if source.is_dir():
        found = {p.stem.casefold(): p for p in source.iterdir() if p.suffix.lower() == ".csv"}
        sheets = {
            name: [
                cells
                for _, cells in read_csv(
                    found[name.casefold()], f"{name}.csv", 0, None, collected
                ).raw
            ]
            for name in ("Elements", "Connections")
            if name.casefold() in found
        }
    else:
        sheets = {
            s.label.rsplit("[", 1)[-1].rstrip("]"): [cells for _, cells in s.raw]
            for s in read_xlsx(source, 0, None, collected)
        }
        sheets = {
            (
                "Elements"
                if k.casefold() == "elements"
                else "Connections"
                if k.casefold() == "connections"
                else k
            ): v
            for k, v in sheets.items()
        }
    if collected.items:
        raise FormatError(collected.sorted())
    if "Elements" not in sheets:
        raise FormatError([Problem(source.name, _t("no_elements", lang), _t("hint_sheets", lang))])
    return from_kumu_sheets(sheets, metadata=metadata, taxonomy=taxonomy, lang=lang)
