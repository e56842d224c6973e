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
from ..kernel.memory import collector_paused
from ..kernel.text import text as _say
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
from . import _tempfiles
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


class _WrongType(TypeError):
    """A JSON value of the wrong type: ``must be <want>, got <what it is>``, kept as a
    :class:`~vchuang.errors.Problem` of the catalogue so it can be said in any language."""

    def __init__(self, want: str, value: Any) -> None:
        self.problem = Problem.said(
            "", "model.doc.must_be", what=_phrase(f"model.doc.want.{want}"), got=_jphrase(value)
        )
        super().__init__(self.problem.message)


def _phrase(key: str, **fields: object) -> Callable[[str], str]:
    """The catalogue's entry ``key`` as a field of a problem: a function of the language."""
    return functools.partial(_say, key, **fields)


def _strict(kind: type[Any], accept: tuple[type[Any], ...], want: str) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _type: Any) -> Any:
        if not isinstance(value, accept) or (isinstance(value, bool) and bool not in accept):
            raise _WrongType(want, value)
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
        conv.register_structure_hook(int, _strict(int, (int,), "whole"))
        conv.register_structure_hook(float, _strict(float, (int, float), "number"))
        conv.register_structure_hook(bool, _strict(bool, (bool,), "bool"))
        return conv

    conv, twin = make(), make()

    def tuples(type_: Any) -> Callable[[Any, Any], Any]:
        inner = twin.get_structure_hook(type_)

        def hook(value: Any, _type: Any) -> Any:
            # a list, never a string read letter by letter
            if not isinstance(value, list):
                want = "list"
                raise _WrongType(want, value)
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
    with collector_paused(keep=False):
        doc = to_document(graph)
        return json.dumps(doc, ensure_ascii=False, indent=indent, separators=separators)


def save(graph: CommunityGraph, path: str | os.PathLike[str], *, indent: int | None = 1) -> None:
    """Write the graph to a JSON file (a Parquet file for a path ending in ``.parquet``:
    :func:`~vchuang.io.save_parquet`), atomically.

    The document is written to a temporary file beside ``path`` and renamed over it only
    once complete, so a failure leaves any old file intact.

    See Also
    --------
    load : the inverse.
    dumps : the same document, as a string.
    """
    from .parquet import is_parquet_path, save_parquet

    if is_parquet_path(path):  # the columnar twin (vchuang.io.parquet)
        save_parquet(graph, path)
        return
    text = dumps(graph, indent=indent)
    atomic_write_text(Path(path), text)


def atomic_write_text(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    atomic_write_bytes(path, text.encode(encoding))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync and a rename, so that
    a failure leaves any old file intact. Temporary files that killed saves of ``path``
    left beside it are removed first (:mod:`._tempfiles`)."""
    path = Path(path)
    _tempfiles.clean_stale(path)
    fd, tmp = tempfile.mkstemp(prefix=_tempfiles.prefix(path), suffix=".tmp", dir=path.parent)
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
    """Read a graph from a JSON file (a path or an open file); a path ending in
    ``.parquet`` is read by :func:`~vchuang.io.load_parquet`.

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
    from .parquet import is_parquet_path, load_parquet

    if is_parquet_path(source):  # the columnar twin (vchuang.io.parquet)
        return load_parquet(cast(str, source))
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
    with collector_paused():
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
                    Problem.said(
                        "$",
                        "model.doc.not_utf8",
                        "model.doc.hint_utf8",
                        reason=_in_words(exc.reason, _UTF8_REASONS, "model.doc.utf8.other"),
                        start=exc.start,
                    )
                ]
            ) from None
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        raise FormatError([Problem.said("$", "model.doc.not_text", type=type(data).__name__)])
    try:
        doc = json.loads(text, parse_int=_whole_number)
    except _TooLong as exc:
        raise FormatError(
            [
                Problem.said(
                    "$",
                    "model.doc.too_long",
                    "model.doc.hint_too_long",
                    digits=exc.digits,
                    max=MAX_DIGITS,
                )
            ]
        ) from None
    except json.JSONDecodeError as exc:
        raise FormatError(
            [
                Problem.said(
                    "",
                    "model.doc.not_json",
                    "model.doc.hint_json",
                    path_key="model.doc.at_line",
                    line=exc.lineno,
                    column=exc.colno,
                    detail=_in_words(exc.msg, _JSON_ERRORS, "model.doc.json.other"),
                )
            ]
        ) from None
    except RecursionError:
        raise FormatError([Problem.said("$", "model.doc.too_deep")]) from None
    return doc


#: The standard library's words for why bytes are not UTF-8 / text is not JSON, and the
#: catalogue's entries that say them in the user's language.
_UTF8_REASONS = {
    "invalid start byte": "model.doc.utf8.start",
    "invalid continuation byte": "model.doc.utf8.continuation",
    "unexpected end of data": "model.doc.utf8.end",
}
_JSON_ERRORS = {
    "Expecting value": "model.doc.json.expecting_value",
    "Expecting property name enclosed in double quotes": "model.doc.json.expecting_name",
    "Expecting ':' delimiter": "model.doc.json.expecting_colon",
    "Expecting ',' delimiter": "model.doc.json.expecting_comma",
    "Unterminated string starting at": "model.doc.json.unterminated",
    "Invalid control character at": "model.doc.json.control",
    "Invalid \\escape": "model.doc.json.escape",
    "Extra data": "model.doc.json.extra",
}


def _in_words(english: str, known: typing.Mapping[str, str], other: str) -> Callable[[str], str]:
    """A field giving ``english`` (a message of the standard library) as it is in English,
    and its catalogue entry (or ``other``) in another language."""
    key = known.get(english, other)

    def said(lang: str) -> str:
        return english if lang == "en" else _say(key, lang)

    return said


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

    def said(self, path: str, key: str, hint_key: str | None = None, **fields: object) -> None:
        """Note a problem at ``path`` whose message (and hint) are the text catalogue's
        entries ``key`` (and ``hint_key``), so that it can be said in the user's language
        (:meth:`vchuang.errors.Problem.render`)."""
        self.problems.append(Problem.said(path, key, hint_key, path_key=None, **fields))

    def report(self) -> list[Problem]:
        """The problems in document order, at most ``MAX_PROBLEMS`` (200) of them."""
        self.problems.sort(key=lambda p: _document_order(p, self.known))
        if len(self.problems) <= MAX_PROBLEMS:
            return self.problems
        rest = len(self.problems) - MAX_PROBLEMS
        return [*self.problems[:MAX_PROBLEMS], Problem.said("", "model.doc.more", n=rest)]

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
            what = fmt.what

            def what_in(lang: str) -> str:
                return what if lang == "en" else _say("model.doc.a_document", lang)

            self.said(
                "$",
                "model.doc.not_object",
                "model.doc.hint_not_object",
                what=what_in,
                got=_jphrase(doc),
                version=fmt.version,
            )
            return None
        if "format" in doc and doc["format"] != fmt.tag:
            wrong = Problem.said(
                "$.format", "model.doc.wrong_format", tag=fmt.tag, got=doc["format"]
            )
            self.problems.append(attrs.evolve(wrong, hint=fmt.hint))
        upgraded = self._upgrade(doc, fmt)
        if upgraded is None:
            return None
        for key in upgraded:
            if key not in self.known:
                near = difflib.get_close_matches(str(key), self.known, n=1)
                if near:
                    self.said(
                        f"$.{key}",
                        "model.doc.unknown_key",
                        "model.doc.hint_did_you_mean",
                        near=repr(near[0]),
                    )
                else:
                    self.said(
                        f"$.{key}",
                        "model.doc.unknown_key",
                        "model.doc.hint_known_keys",
                        keys=", ".join(self.known),
                    )
        return upgraded

    def records(self, doc: typing.Mapping[str, Any], key: str, cls: type[Any]) -> list[Any]:
        """Each item of the list ``doc[key]`` read as a ``cls`` (``None`` for one that
        cannot be read; its problems are noted). A missing key is an empty list."""
        raw = doc.get(key, [])
        if not isinstance(raw, list):
            self.problems.append(attrs.evolve(_WrongType("list", raw).problem, path=f"$.{key}"))
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
                            self.problems[i] = attrs.evolve(p, path=new + p.path[len(old) :])
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
            self.said(
                "$.format_version",
                "model.doc.missing",
                "model.doc.hint_add_version",
                version=fmt.version,
            )
            return None
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            self.said("$.format_version", "model.doc.bad_version", got=version)
            return None
        if version > fmt.version:
            self.said(
                "$.format_version",
                "model.doc.newer",
                "model.doc.hint_upgrade",
                version=version,
                max=fmt.version,
            )
            return None
        while version < fmt.version:
            step = fmt.upgrades.get(version)
            if step is None:
                self.said("$.format_version", "model.doc.no_upgrade", version=version)
                return None
            doc = step(dict(doc))
            version += 1
            doc["format_version"] = version
        return doc

    def _one(self, entry: Any, cls: type[Any], path: str) -> Any:
        if not isinstance(entry, dict):
            self.said(path, "model.doc.not_record", got=_jphrase(entry))
            return None
        with contextlib.suppress(Exception):  # re-read in detail below to name every problem
            return _FAST.structure(entry, cls)
        try:
            return _DETAILED.structure(entry, cls)
        except (ClassValidationError, IterableValidationError) as exc:
            found: list[Problem] = []

            def each(leaf: BaseException, type_: Any) -> str:
                # each leaf error becomes a Problem; cattrs gets its index back
                found.append(_problem_of(leaf, type_))
                return str(len(found) - 1)

            for line in cattrs.transform_error(exc, path, format_exception=each):
                index, _, where = line.rpartition(" @ ")
                p = found[int(index)]
                self.problems.append(attrs.evolve(p, path=f"{where}.{p.path}" if p.path else where))
        except ValidationError as exc:
            for p in exc.problems:
                self.problems.append(attrs.evolve(p, path=f"{path}.{p.path}" if p.path else path))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            self.said(path, "model.doc.cannot_read", reason=exc)
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
                wrong = _WrongType("list", raw).problem
                self.problems.append(attrs.evolve(wrong, path=f"$.{section}"))
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
            self.said("$.base_taxonomy", "model.doc.bad_base", got=base_name)
            return None
        raw = doc.get("skills", [])
        if not isinstance(raw, list):
            self.problems.append(attrs.evolve(_WrongType("list", raw).problem, path="$.skills"))
            return None
        skills = [self._one(entry, Skill, f"$.skills[{i}]") for i, entry in enumerate(raw)]
        if any(s is None for s in skills):
            return None
        base = default_taxonomy().skills if base_name == "default" else ()
        try:
            return SkillTaxonomy(skills=(*base, *cast(list[Skill], skills)))
        except ValidationError as exc:
            for p in exc.problems:
                self.problems.append(attrs.evolve(p, path=f"$.skills ({p.path})"))
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


def _problem_of(exc: BaseException, type_: Any) -> Problem:
    """The problem of one leaf error found by cattrs; its path is the field the error is
    in where cattrs's own path stops at the record (else empty)."""
    if isinstance(exc, ForbiddenExtraKeysError):
        names = sorted(exc.extra_fields)
        renames = _RENAMED.get(exc.cl, {})
        fields = [renames.get(a.name, a.name) for a in getattr(exc.cl, "__attrs_attrs__", ())]
        near = [m for n in names for m in difflib.get_close_matches(n, fields, n=1)]
        key = "model.doc.unknown_fields" if len(names) > 1 else "model.doc.unknown_field"
        field = names[0] if len(names) == 1 else ""
        listed = ", ".join(map(repr, names))
        if near:
            return Problem.said(
                field,
                key,
                "model.doc.hint_did_you_mean",
                names=listed,
                near=", ".join(map(repr, near)),
            )
        return Problem.said(
            field, key, "model.doc.hint_fields_are", names=listed, fields=", ".join(fields)
        )
    if isinstance(exc, KeyError):
        return Problem.said("", "model.doc.missing")
    if isinstance(exc, ValidationError):
        return exc.problems[0]
    if isinstance(exc, _WrongType):
        return exc.problem
    enum_type = type_ if isinstance(type_, type) else None
    if enum_type is not None and issubclass(enum_type, enum.Enum):
        allowed = ", ".join(repr(m.value) for m in enum_type)
        return Problem.said(
            "",
            "model.doc.not_enum",
            "model.doc.hint_use_one_of",
            name=_english_or(enum_type.__name__, _phrase("model.doc.a_value")),
            detail=_english_or(_short(exc), _phrase("model.doc.cannot_convert")),
            allowed=allowed,
        )
    if isinstance(exc, TypeError) and str(exc).startswith("must be"):
        return Problem("", str(exc))
    if isinstance(exc, TypeError | ValueError):
        name = getattr(type_, "__name__", str(type_))
        enums = [
            t for t in typing.get_args(type_) if isinstance(t, type) and issubclass(t, enum.Enum)
        ]
        other = (
            _phrase("model.doc.allowed_are", allowed=", ".join(repr(m.value) for m in enums[0]))
            if enums
            else _phrase("model.doc.cannot_convert")
        )
        return Problem.said(
            "",
            "model.doc.wrong_type",
            name=_english_or(name, _type_word(type_)),
            detail=_english_or(_short(exc), other),
        )
    return Problem("", f"{type(exc).__name__}: {_short(exc)}")


def _english_or(english: str, other: Callable[[str], str]) -> Callable[[str], str]:
    """A field that is ``english`` in English and ``other(lang)`` in another language."""

    def said(lang: str) -> str:
        return english if lang == "en" else other(lang)

    return said


def _type_word(type_: Any) -> Callable[[str], str]:
    """What a field of type ``type_`` holds, as a catalogue entry (an enumeration, maybe
    optional, is "one of the listed values")."""
    import datetime as dt

    members = [t for t in (*typing.get_args(type_), type_) if isinstance(t, type)]
    if any(issubclass(t, enum.Enum) for t in members):
        return _phrase("model.doc.want.choice")
    for kind, want in ((bool, "bool"), (int, "whole"), (float, "number"), (str, "text")):
        if kind in members:
            return _phrase(f"model.doc.want.{want}")
    if any(issubclass(t, dt.date) for t in members):
        return _phrase("model.doc.want.date")
    return _phrase("model.doc.want.other")


def _short(exc: BaseException) -> str:
    text = str(exc)
    return text if len(text) <= 120 else text[:117] + "…"


def _jphrase(value: Any) -> object:
    """What JSON value ``value`` is, as a field of a problem (a function of the language)."""
    word = _JWORDS.get(type(value)) if value is not None else "null"
    return _phrase(f"model.doc.jtype.{word}") if word else type(value).__name__


_JWORDS = {
    dict: "object",
    list: "list",
    str: "string",
    bool: "bool",
    int: "number",
    float: "number",
}


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
