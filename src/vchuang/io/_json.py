"""The vchuang JSON format: one document holds a whole community graph.

A document is a JSON object::

    {
      "format": "vchuang",
      "format_version": 1,
      "metadata": {"title": "…", "as_of": "2019-12-31"},
      "base_taxonomy": "default",
      "skills": [ … skills added to the default taxonomy … ],
      "districts": [ … ], "subdistricts": [ … ], "communities": [ … ],
      "segments": [ … ], "organizations": [ … ], "groups": [ … ],
      "residents": [ … ], "projects": [ … ], "activities": [ … ],
      "resources": [ … ], "calls": [ … ], "proposals": [ … ],
      "links": [ … ]
    }

Every section but ``format_version`` may be left out. Each record is an object with the
fields of its class in :mod:`vchuang.model`; fields at their default are left out when
writing. Dates are ISO strings (``"2019-09-21"``), enums their lower-case values, skill
levels the numbers 1–4, money whole fen. Chinese is written as is (UTF-8).

One cattrs converter does all the work. Reading checks everything and raises a single
:class:`~vchuang.errors.FormatError` listing every problem with its JSON path; nothing is
half-loaded. Writing to a file is atomic.

The same converter and the same header policy serve the library's other documents (the
funding ledger, the incubator history): each is a :class:`DocumentFormat` (its
``format`` tag, the ``format_version`` this vchuang writes and its own registry of
upgrade steps); :class:`DocumentReader` checks the header (:meth:`DocumentReader.header`)
and reads each record with the converter, naming every problem by its JSON path
(:meth:`DocumentReader.record`). A record that spells a field differently in JSON
declares it once with :func:`register_record` (cattrs overrides, not hand-written specs).
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import enum
import functools
import gc
import json
import operator
import os
import re
import tempfile
import typing
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, cast

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.preconf.json import make_converter

from ..errors import FormatError, Problem, ValidationError
from ..graph import CommunityGraph
from ..model import (
    KIND_PLURALS,
    Entity,
    Link,
    Metadata,
    Skill,
    SkillTaxonomy,
    default_taxonomy,
    entity_kinds,
)
from ._bulk import structure_many

__all__ = [
    "FORMAT_VERSION",
    "DocumentFormat",
    "DocumentReader",
    "atomic_write_bytes",
    "atomic_write_text",
    "dumps",
    "load",
    "loads",
    "parse_json",
    "register_record",
    "save",
    "to_document",
    "unstructure",
]

#: The version of the format this vchuang writes.
FORMAT_VERSION = 1

#: Steps that upgrade a document from version ``n`` to ``n + 1``.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

#: At most this many problems are listed; the rest are counted.
MAX_PROBLEMS = 200

#: Read lists of records column-wise in bulk (:mod:`._bulk`), falling back to one by
#: one wherever a value fails; ``False`` reads every record one by one (the reference
#: the tests compare the bulk path with).
BULK = True

_NOT_NONE = functools.partial(operator.is_not, None)

_SECTIONS: dict[str, str] = {KIND_PLURALS[kind]: kind for kind in entity_kinds()}
_KNOWN = ("format", "format_version", "metadata", "base_taxonomy", "skills", *_SECTIONS, "links")


def _strict(kind: type[Any], accept: tuple[type[Any], ...], what: str) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _type: Any) -> Any:
        if isinstance(value, bool) and bool not in accept:
            msg = f"must be {what}, got true/false"
            raise TypeError(msg)
        if not isinstance(value, accept):
            msg = f"must be {what}, got {_jtype(value)}"
            raise TypeError(msg)
        return kind(value)

    return hook


def _make_converter(*, detailed: bool) -> cattrs.Converter:
    def make() -> cattrs.Converter:
        conv = cast(
            cattrs.Converter,
            make_converter(
                forbid_extra_keys=True, omit_if_default=True, detailed_validation=detailed
            ),
        )
        # JSON types are checked, never coerced: "5" is not a number, 5 is not text,
        # "false" is not false.
        conv.register_structure_hook(str, _strict(str, (str,), "text"))
        conv.register_structure_hook(int, _strict(int, (int,), "a whole number"))
        conv.register_structure_hook(float, _strict(float, (int, float), "a number"))
        conv.register_structure_hook(bool, _strict(bool, (bool,), "true or false"))
        return conv

    conv, twin = make(), make()

    def tuples(type_: Any) -> Callable[[Any, Any], Any]:
        inner = twin.get_structure_hook(type_)

        def hook(value: Any, _type: Any) -> Any:
            # a list, never a string read letter by letter
            if not isinstance(value, list):
                msg = f"must be a list, got {_jtype(value)}"
                raise TypeError(msg)
            return inner(value, type_)

        return hook

    def is_tuple(type_: Any) -> bool:
        return typing.get_origin(type_) is tuple

    conv.register_structure_hook_factory(is_tuple, tuples)
    return conv


_FAST = _make_converter(detailed=False)
_DETAILED = _make_converter(detailed=True)

#: Record class -> {attribute: the key it has in JSON}, for records registered with
#: :func:`register_record` (used to name problems by the key a reader sees).
_RENAMED: dict[type, dict[str, str]] = {}


def register_record(cls: type[Any], *, renames: typing.Mapping[str, str]) -> None:
    """Give ``cls``'s attributes other names in JSON, on the one converter.

    Parameters
    ----------
    cls : attrs class
        A record read and written by the converter.
    renames : mapping
        Attribute name -> the key it has in JSON (``{"from_stage": "from"}``).

    Notes
    -----
    Registers cattrs overrides (``override(rename=...)``) for structuring, with the
    same strictness as every other record (unknown keys refused, detailed errors),
    and for unstructuring, with fields at their default left out.
    """
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    overrides: dict[str, Any] = {name: override(rename=key) for name, key in renames.items()}
    for conv in (_FAST, _DETAILED):
        conv.register_structure_hook(cls, make_dict_structure_fn(cls, conv, **overrides))
        conv.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **overrides)
        )
    _RENAMED[cls] = dict(renames)


def unstructure(record: Any) -> Any:
    """``record`` as JSON-ready data, by the one converter (defaults left out)."""
    return _FAST.unstructure(record)


@attrs.frozen(kw_only=True)
class DocumentFormat:
    """A kind of vchuang document: its header and how older versions are upgraded.

    Every document starts with ``"format"`` (the tag; it may be left out) and
    ``"format_version"`` (required). A document of an older version is upgraded step
    by step with ``upgrades[n]`` (version ``n`` -> ``n + 1``) before it is read; a newer
    one is refused with a hint to upgrade vchuang.
    """

    tag: str
    """The ``format`` value, e.g. ``"vchuang-ledger"``."""
    version: int
    """The version this vchuang writes."""
    upgrades: typing.Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = attrs.field(
        factory=dict
    )
    """Steps that upgrade a document from version ``n`` to ``n + 1``."""
    what: str = "a vchuang document"
    """What a reader calls the document in a message."""
    hint: str = ""
    """Said when ``format`` names another kind of document."""

    def header(self) -> dict[str, Any]:
        """The first two keys of a document of this format."""
        return {"format": self.tag, "format_version": self.version}


def _graph_format() -> DocumentFormat:
    # read at call time: FORMAT_VERSION and UPGRADES are module globals tests may patch
    return DocumentFormat(tag="vchuang", version=FORMAT_VERSION, upgrades=UPGRADES)


# --------------------------------------------------------------------------- writing


def to_document(graph: CommunityGraph) -> dict[str, Any]:
    """The graph as a JSON-ready dict (what :func:`dumps` writes)."""
    conv = _FAST
    doc: dict[str, Any] = _graph_format().header()
    metadata = conv.unstructure(graph.metadata)
    if metadata:
        doc["metadata"] = metadata
    base = default_taxonomy().skills
    skills = graph.taxonomy.skills
    if skills[: len(base)] == base:
        extra = skills[len(base) :]
    else:
        doc["base_taxonomy"] = "none"
        extra = skills
    if extra:
        doc["skills"] = [conv.unstructure(s) for s in extra]
    for section, kind in _SECTIONS.items():
        records = graph.entities(kind)
        if records:
            doc[section] = [conv.unstructure(r) for r in records]
    links = graph.links()
    if links:
        doc["links"] = [conv.unstructure(x) for x in links]
    return doc


def dumps(graph: CommunityGraph, *, indent: int | None = 1) -> str:
    """The graph as a JSON document (a string).

    Parameters
    ----------
    graph
        The graph to write.
    indent
        Indentation (``None`` for the most compact form).

    See Also
    --------
    loads : the inverse.
    save : the same document, written to a file.

    Examples
    --------
    >>> from vchuang import CommunityGraph, loads, dumps
    >>> g = CommunityGraph()
    >>> loads(dumps(g)) == g
    True
    """
    separators = (",", ":") if indent is None else (",", ": ")
    with _collector_paused(keep=False):
        doc = to_document(graph)
        return json.dumps(doc, ensure_ascii=False, indent=indent, separators=separators)


def save(graph: CommunityGraph, path: str | os.PathLike[str], *, indent: int | None = 1) -> None:
    """Write the graph to a JSON file, atomically.

    The document is written to a temporary file beside ``path`` and renamed over it only
    once complete, so a failure leaves any old file intact.

    See Also
    --------
    load : the inverse.
    dumps : the same document, as a string.
    """
    text = dumps(graph, indent=indent)
    atomic_write_text(Path(path), text)


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync and a rename, so that
    a failure leaves any old file intact."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would have
        # (or the old file's, when replacing one), so others can read what we share.
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


# --------------------------------------------------------------------------- reading


def load(source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> CommunityGraph:
    """Read a graph from a JSON file (a path or an open file).

    Raises
    ------
    FormatError
        Listing every problem in the document with its JSON path and a hint.
    OSError
        The file cannot be opened.

    See Also
    --------
    save : the inverse.
    loads : the same, from a string or bytes.
    read_tables : a graph from spreadsheets (CSV or Excel) instead.
    """
    if isinstance(source, str | os.PathLike):
        data: str | bytes = Path(source).read_bytes()
    else:
        data = source.read()
    return loads(data)


def loads(data: str | bytes) -> CommunityGraph:
    """Read a graph from a JSON document (a string or UTF-8 bytes).

    Raises
    ------
    FormatError
        Listing every problem in the document with its JSON path and a hint;
        nothing is half-loaded.

    See Also
    --------
    dumps : the inverse.
    load : the same, from a file.

    Examples
    --------
    >>> from vchuang import loads
    >>> loads('{"format_version": 1, "residents": [{"id": "r1"}]}')
    Traceback (most recent call last):
    ...
    vchuang.errors.FormatError: 2 problems in the document:
      $.residents[0].name: required field missing
      $.residents[0].community: required field missing
    """
    with _collector_paused():
        doc = _parse_fast(data)
        if doc is not _UNPARSED:
            try:
                return from_document(doc)
            except Exception:  # noqa: BLE001 - the standard parser's reading decides
                # orjson reads integers past 64 bits as floats, where json keeps them
                # whole: a document it reads differently is never accepted (a float
                # where a whole number belongs is refused), so any refusal is checked
                # by reading the standard parser's value the same way
                del doc
        return from_document(parse_json(data))


@contextlib.contextmanager
def _collector_paused(*, keep: bool = True) -> typing.Iterator[None]:
    """Pause Python's cyclic garbage collector while a document is read or written.

    Reading builds millions of objects and no reference cycles; the collector would
    walk all of them again and again as they pile up (a third of the time at 100k
    residents). With ``keep`` (reading: the objects built are a graph, long-lived by
    nature) they are then handed to the oldest generation at once (``gc.freeze`` then
    ``gc.unfreeze``) rather than walked once more by the next young collection; this is
    skipped when the program has frozen objects of its own. The collector is switched
    back on if it was on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if was_on:
            gc.enable()


#: The longest whole number a document may hold, in digits (money in fen of a trillion
#: yuan is 15; Python refuses past 4,300 with a raw ValueError).
MAX_DIGITS = 30


class _TooLong(Exception):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def _whole_number(literal: str) -> int:
    """A JSON integer literal as an int, refusing absurd lengths before converting."""
    digits = len(literal.lstrip("-"))
    if digits > MAX_DIGITS:
        raise _TooLong(digits)
    return int(literal)


@functools.cache
def _fast_parser() -> Callable[[bytes | str], Any] | None:
    """``orjson.loads`` when orjson is installed (``pip install 'vchuang[fast]'``)."""
    try:
        import orjson
    except ImportError:
        return None
    return cast(Callable[[bytes | str], Any], orjson.loads)


_UNPARSED: Any = object()


def _parse_fast(data: str | bytes) -> Any:
    """``data`` parsed by orjson when it is installed (the ``fast`` extra) and accepts
    it, else :data:`_UNPARSED`.

    orjson refuses some JSON the standard :mod:`json` module reads (``NaN``,
    ``Infinity``, numbers too large for a float, lone surrogates, deep nesting) and
    reads integers past 64 bits as floats; :func:`loads` therefore falls back to
    :func:`parse_json` for anything orjson refuses and for any document it cannot
    accept, so that values, errors, and the line and column of a syntax error are the
    standard module's.
    """
    fast = _fast_parser()
    if fast is None or not isinstance(data, bytes | bytearray | str):
        return _UNPARSED
    raw = (
        data.removeprefix("\ufeff")
        if isinstance(data, str)
        else bytes(data).removeprefix(codecs.BOM_UTF8)
    )
    try:
        return fast(raw)
    except (ValueError, TypeError, RecursionError):
        return _UNPARSED


def parse_json(data: str | bytes) -> Any:
    """The JSON value of ``data`` (text, or UTF-8 bytes with or without a byte-order
    mark), or a :class:`~vchuang.errors.FormatError` naming the line and column."""
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(
                [
                    Problem(
                        "$",
                        f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                        "save the file as UTF-8",
                    )
                ]
            ) from None
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        raise FormatError([Problem("$", f"expected text or bytes, got {type(data).__name__}")])
    try:
        doc = json.loads(text, parse_int=_whole_number)
    except _TooLong as exc:
        raise FormatError(
            [
                Problem(
                    "$",
                    f"holds a number of {exc.digits} digits; at most {MAX_DIGITS} are read",
                    "no count, amount or year is that long: check the number",
                )
            ]
        ) from None
    except json.JSONDecodeError as exc:
        raise FormatError(
            [
                Problem(
                    f"$ (line {exc.lineno}, column {exc.colno})",
                    f"not valid JSON: {exc.msg}",
                    "check the file is complete and was saved as JSON",
                )
            ]
        ) from None
    except RecursionError:
        raise FormatError(
            [Problem("$", "JSON nested too deeply to be a vchuang document")]
        ) from None
    return doc


def from_document(doc: Any) -> CommunityGraph:
    """Build a graph from a parsed JSON document (see :func:`loads`)."""
    reader = _Reader()
    graph = reader.read(doc)
    if reader.problems:
        raise FormatError(reader.report())
    assert graph is not None
    return graph


class DocumentReader:
    """Collects every problem of one document, read with the one converter.

    Parameters
    ----------
    known : sequence of str
        The top-level keys of the document, in document order (problems are sorted by
        it, and an unknown key gets a "did you mean" hint from it).
    """

    def __init__(self, known: typing.Sequence[str] = ()) -> None:
        self.problems: list[Problem] = []
        self.known = tuple(known)

    def add(self, path: str, message: str, hint: str = "") -> None:
        """Note a problem at the JSON path ``path``."""
        self.problems.append(Problem(path, message, hint))

    def report(self) -> list[Problem]:
        """The problems in document order, at most ``MAX_PROBLEMS`` (200) of them."""
        self.problems.sort(key=lambda p: _document_order(p, self.known))
        if len(self.problems) <= MAX_PROBLEMS:
            return self.problems
        rest = len(self.problems) - MAX_PROBLEMS
        return [*self.problems[:MAX_PROBLEMS], Problem("", f"… and {rest} more problems")]

    def raise_if_any(self) -> None:
        """Raise a :class:`~vchuang.errors.FormatError` with :meth:`report` if any
        problem was noted."""
        if self.problems:
            raise FormatError(self.report())

    def header(self, doc: Any, fmt: DocumentFormat) -> dict[str, Any] | None:
        """``doc`` checked against ``fmt``'s header and upgraded to its version, with
        every unknown top-level key noted; ``None`` when it cannot be read further.

        The policy, the same for every format: a document is a JSON object; a
        ``format`` it gives must be ``fmt.tag``; ``format_version`` is required, a
        whole number no newer than ``fmt.version``, and older versions are upgraded
        step by step with ``fmt.upgrades``.
        """
        if not isinstance(doc, dict):
            self.add(
                "$",
                f"{fmt.what} is a JSON object, got {_jtype(doc)}",
                f"start the file with '{{' and give at least \"format_version\": {fmt.version}",
            )
            return None
        if "format" in doc and doc["format"] != fmt.tag:
            self.add("$.format", f"expected {fmt.tag!r}, got {doc['format']!r}", fmt.hint)
        upgraded = self._upgrade(doc, fmt)
        if upgraded is None:
            return None
        for key in upgraded:
            if key not in self.known:
                near = difflib.get_close_matches(str(key), self.known, n=1)
                hint = (
                    f"did you mean {near[0]!r}?" if near else f"known keys: {', '.join(self.known)}"
                )
                self.add(f"$.{key}", "unknown key", hint)
        return upgraded

    def records(self, doc: typing.Mapping[str, Any], key: str, cls: type[Any]) -> list[Any]:
        """Each item of the list ``doc[key]`` read as a ``cls`` (``None`` for one that
        cannot be read; its problems are noted). A missing key is an empty list."""
        raw = doc.get(key, [])
        if not isinstance(raw, list):
            self.add(f"$.{key}", f"must be a list, got {_jtype(raw)}")
            return []
        return self.many(raw, cls, f"$.{key}")

    def record(self, entry: Any, cls: type[Any], path: str) -> Any:
        """``entry`` read as a ``cls`` by the converter, or ``None`` with every problem
        noted under ``path`` (a field's problem at ``path.<its JSON key>``)."""
        before = len(self.problems)
        found = self._one(entry, cls, path)
        renames = _RENAMED.get(cls)
        if renames:
            for i in range(before, len(self.problems)):
                p = self.problems[i]
                for name, key in renames.items():
                    for old in (f"{path}.{name}", f"{path} ({name})"):
                        if p.path == old or p.path.startswith(old + "."):
                            new = old.replace(name, key)
                            self.problems[i] = Problem(new + p.path[len(old) :], p.message, p.hint)
        return found

    def many(self, entries: list[Any], cls: type[Any], path: str) -> list[Any]:
        """Each of ``entries`` read as a ``cls`` (``None`` for one that cannot be read;
        its problems are noted under ``path[i]``), as :meth:`record` would, but checked
        column-wise in bulk wherever the entries are right (see :mod:`._bulk`)."""

        def one(i: int) -> Any:
            return self.record(entries[i], cls, f"{path}[{i}]")

        if BULK and cls not in _RENAMED:
            return structure_many(entries, cls, one)
        return [one(i) for i in range(len(entries))]

    def _upgrade(self, doc: dict[str, Any], fmt: DocumentFormat) -> dict[str, Any] | None:
        version = doc.get("format_version")
        if version is None:
            self.add(
                "$.format_version",
                "required field missing",
                f'add "format_version": {fmt.version}',
            )
            return None
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.add("$.format_version", f"must be a whole number >= 1, got {version!r}")
            return None
        if version > fmt.version:
            self.add(
                "$.format_version",
                f"version {version} is newer than this vchuang reads ({fmt.version})",
                "upgrade vchuang: pip install --upgrade vchuang",
            )
            return None
        while version < fmt.version:
            step = fmt.upgrades.get(version)
            if step is None:
                self.add("$.format_version", f"no upgrade from version {version}")
                return None
            doc = step(dict(doc))
            version += 1
            doc["format_version"] = version
        return doc

    def _one(self, entry: Any, cls: type[Any], path: str) -> Any:
        if not isinstance(entry, dict):
            self.add(path, f"must be a JSON object, got {_jtype(entry)}")
            return None
        with contextlib.suppress(Exception):  # re-read in detail below to name every problem
            return _FAST.structure(entry, cls)
        try:
            return _DETAILED.structure(entry, cls)
        except (ClassValidationError, IterableValidationError) as exc:
            for line in cattrs.transform_error(exc, path, format_exception=_format):
                text, _, where = line.rpartition(" @ ")
                message, hint, field = (*text.split("\x00"), "", "")[:3]
                self.add(f"{where}.{field}" if field else where, message, hint)
        except ValidationError as exc:
            for p in exc.problems:
                self.add(f"{path}.{p.path}" if p.path else path, p.message, p.hint)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            self.add(path, f"cannot be read: {exc}")
        return None


class _Reader(DocumentReader):
    """Reads one graph document."""

    def __init__(self) -> None:
        super().__init__(_KNOWN)

    def read(self, doc: Any) -> CommunityGraph | None:
        doc = self.header(doc, _graph_format())
        if doc is None:
            return None
        metadata = self._one(doc.get("metadata", {}), Metadata, "$.metadata")
        taxonomy = self._taxonomy(doc)
        items: list[Entity | Link] = []
        sections: list[tuple[str, list[Any]]] = []
        failed_ids: set[str] = set()
        for section in (*_SECTIONS, "links"):
            raw = doc.get(section, [])
            if not isinstance(raw, list):
                self.add(f"$.{section}", f"must be a list, got {_jtype(raw)}")
                continue
            cls = Link if section == "links" else entity_kinds()[_SECTIONS[section]]
            found = self.many(raw, cls, f"$.{section}")
            sections.append((section, found))
            read = list(filter(_NOT_NONE, found))
            if len(read) < len(found):
                for entry, record in zip(raw, found, strict=True):
                    if (
                        record is None
                        and isinstance(entry, dict)
                        and isinstance(entry.get("id"), str)
                    ):
                        failed_ids.add(entry["id"])
            items.extend(read)

        def new_graph() -> CommunityGraph:
            return CommunityGraph(
                taxonomy=taxonomy if taxonomy is not None else default_taxonomy(),
                metadata=metadata if metadata is not None else Metadata(),
            )

        graph = new_graph()
        if not self.problems and taxonomy is not None and graph._load(items):
            return graph  # built, then verified in bulk
        graph = new_graph()  # the careful way: check every item, name every problem
        paths: dict[int, str] = {}

        def where(item: Entity | Link) -> str:
            # the JSON path of a record, worked out only when a problem names one
            if not paths:
                for section, found in sections:
                    for i, record in enumerate(found):
                        if record is not None:
                            paths[id(record)] = f"$.{section}[{i}]"
            return paths[id(item)]

        problems = graph.check(items, where)
        for problem in problems:
            # a reference to a record that failed to read is that record's problem
            if not any(f"no entity {x!r}" == problem.message for x in failed_ids):
                self.problems.append(problem)
        if self.problems or taxonomy is None:
            return None
        graph._apply(items, where=where, checked=True)
        return graph

    def _taxonomy(self, doc: dict[str, Any]) -> SkillTaxonomy | None:
        base_name = doc.get("base_taxonomy", "default")
        if base_name not in ("default", "none"):
            self.add("$.base_taxonomy", f"must be 'default' or 'none', got {base_name!r}")
            return None
        raw = doc.get("skills", [])
        if not isinstance(raw, list):
            self.add("$.skills", f"must be a list, got {_jtype(raw)}")
            return None
        skills = [self._one(entry, Skill, f"$.skills[{i}]") for i, entry in enumerate(raw)]
        if any(s is None for s in skills):
            return None
        base = default_taxonomy().skills if base_name == "default" else ()
        try:
            return SkillTaxonomy(skills=(*base, *cast(list[Skill], skills)))
        except ValidationError as exc:
            for p in exc.problems:
                self.add(f"$.skills ({p.path})", p.message, p.hint)
            return None


_PATH = re.compile(r"^\$\.(\w+)(?:\[(\d+)\])?")


def _document_order(problem: Problem, known: tuple[str, ...] = _KNOWN) -> tuple[int, int]:
    """Sort key: the section's place in a document, then the record's index."""
    found = _PATH.match(problem.path)
    if found is None:
        return (-1, 0)
    section, index = found.groups()
    rank = known.index(section) if section in known else len(known)
    return (rank, int(index) if index is not None else -1)


def _format(exc: BaseException, type_: Any) -> str:
    """Message for one leaf error found by cattrs; after a NUL a hint, after another
    the field the error is in, where cattrs's own path stops at the record."""
    if isinstance(exc, ForbiddenExtraKeysError):
        names = sorted(exc.extra_fields)
        renames = _RENAMED.get(exc.cl, {})
        fields = [renames.get(a.name, a.name) for a in getattr(exc.cl, "__attrs_attrs__", ())]
        near = [m for n in names for m in difflib.get_close_matches(n, fields, n=1)]
        hint = (
            f"did you mean {', '.join(map(repr, near))}?"
            if near
            else (f"fields are: {', '.join(fields)}")
        )
        plural = "s" if len(names) > 1 else ""
        field = names[0] if len(names) == 1 else ""
        return f"unknown field{plural} {', '.join(map(repr, names))}\x00{hint}\x00{field}"
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ValidationError):
        p = exc.problems[0]
        return f"{p.message}\x00{p.hint}\x00{p.path}"
    enum_type = type_ if isinstance(type_, type) else None
    if enum_type is not None and issubclass(enum_type, enum.Enum):
        allowed = ", ".join(repr(m.value) for m in enum_type)
        return f"not a known {enum_type.__name__}: {_short(exc)}\x00use one of {allowed}"
    if isinstance(exc, TypeError) and str(exc).startswith("must be"):
        return str(exc)
    if isinstance(exc, TypeError | ValueError):
        name = getattr(type_, "__name__", str(type_))
        return f"wrong type or value, expected {name}: {_short(exc)}"
    return f"{type(exc).__name__}: {_short(exc)}"


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:117] + "…"


def _jtype(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)
