"""Pabulib ``.pb`` files: participatory-budgeting elections, read and written exactly.

Pabulib (Faliszewski et al. 2023 [1]_) is the public library of participatory-budgeting
(PB) elections. A ``.pb`` file is UTF-8 text in three sections, each a ``;``-separated
table with a header line (CSV quoting with ``"``):

``META``
    ``key;value`` rows: ``description``, ``country``, ``unit``, ``instance``,
    ``num_projects``, ``num_votes``, ``budget``, ``vote_type`` (``approval``,
    ``cumulative``, ``scoring`` or ``ordinal``), ``rule`` and any others.
``PROJECTS``
    ``project_id;cost;…`` and any other columns (``name``, ``category``, ``votes`` …).
``VOTES``
    ``voter_id;vote;…``: ``vote`` lists project IDs separated by commas (for an ordinal
    ballot, best first); cumulative and scoring ballots add ``points`` (one integer per
    project in ``vote``).

:func:`loads` reads a file into a :class:`PabulibFile` that keeps every column and the
order of rows and columns, so that :func:`dumps` gives the same text back: for a file in
canonical form (``\\n`` line ends, no byte-order mark, no spaces around commas in vote
lists, values quoted only where needed) ``dumps(loads(text)) == text``, and for any
:class:`PabulibFile` ``loads(dumps(f)) == f``. Costs, budgets and points are whole
numbers (for money, integer units such as fen or zloty).

:meth:`vchuang.selection.Election.from_pabulib` turns a file into an election the
selection rules run on; :meth:`vchuang.selection.Election.to_pabulib` writes one back.

Examples
--------
>>> from vchuang.io import pabulib
>>> text = '''META
... key;value
... num_projects;2
... num_votes;2
... budget;100
... vote_type;approval
... PROJECTS
... project_id;cost;name
... 1;60;Benches
... 2;50;"Trees; and flowers"
... VOTES
... voter_id;vote
... v1;1,2
... v2;2
... '''
>>> pb = pabulib.loads(text)
>>> pb.budget, pb.vote_type, [p.cost for p in pb.projects]
(100, 'approval', [60, 50])
>>> pb.votes[0].vote
('1', '2')
>>> pabulib.dumps(pb) == text
True

References
----------
.. [1] Faliszewski, P., Flis, J., Peters, D., Pierczyński, G., Skowron, P., Stolicki, D.,
   Szufa, S., Talmon, N. (2023). Participatory budgeting: data, tools, and analysis.
   Proceedings of IJCAI 2023, 2667–2674. https://doi.org/10.24963/ijcai.2023/297,
   https://pabulib.org
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..errors import FormatError, Problem, ValidationError
from ..kernel.text import check_lang, text
from ..privacy import ID_PREFIXES, Reveal, data_date, is_minor, keyed_id

if TYPE_CHECKING:
    from ..graph import CommunityGraph
from ._json import atomic_write_text

__all__ = [
    "MAX_BYTES",
    "MAX_DIGITS",
    "MAX_FIELD_CHARS",
    "REQUIRED_META",
    "VOTE_TYPES",
    "PabulibFile",
    "PabulibProject",
    "PabulibVote",
    "conformance",
    "currency_meta",
    "dumps",
    "load",
    "loads",
    "save",
    "voter_ids",
]

#: The ballot kinds Pabulib defines.
VOTE_TYPES = ("approval", "cumulative", "scoring", "ordinal")
_WITH_POINTS = ("cumulative", "scoring")
_SECTIONS = ("META", "PROJECTS", "VOTES")


def _pairs(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), str(v)) for k, v in items)


def _strs(value: Iterable[Any]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(x) for x in value)


def _ints(value: Iterable[int] | None) -> tuple[int, ...] | None:
    return None if value is None else tuple(value)


def _is_whole(value: object) -> bool:
    """A whole number >= 0 (bools refused)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@attrs.frozen(kw_only=True)
class PabulibProject:
    """One row of the ``PROJECTS`` section: its ID, its cost and its other columns."""

    project_id: str
    cost: int
    fields: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    """The other columns as ``(column, text)`` pairs, in the header's order."""

    def get(self, column: str, default: str | None = None) -> str | None:
        """The text of another column (``name``, ``category`` …), or ``default``."""
        for key, value in self.fields:
            if key == column:
                return value
        return default


@attrs.frozen(kw_only=True)
class PabulibVote:
    """One row of the ``VOTES`` section: a voter's ballot and its other columns."""

    voter_id: str
    vote: tuple[str, ...] = attrs.field(default=(), converter=_strs)
    """Project IDs, in the file's order (best first for an ordinal ballot)."""
    points: tuple[int, ...] | None = attrs.field(default=None, converter=_ints)
    """One integer per project of ``vote`` (cumulative and scoring ballots), else
    ``None``."""
    fields: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    """The other columns (``age``, ``sex``, ``voting_method`` …), in the header's order."""

    def get(self, column: str, default: str | None = None) -> str | None:
        """The text of another column, or ``default``."""
        for key, value in self.fields:
            if key == column:
                return value
        return default


def _projects(value: Iterable[PabulibProject]) -> tuple[PabulibProject, ...]:
    return tuple(value)


def _votes(value: Iterable[PabulibVote]) -> tuple[PabulibVote, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PabulibFile:
    """A whole ``.pb`` file: its metadata, projects and votes, in file order.

    ``project_columns`` and ``vote_columns`` are the header lines of the two tables
    (they must name ``project_id`` and ``cost``, and ``voter_id`` and ``vote``; a
    ``points`` column is there exactly when ballots carry points).
    """

    meta: tuple[tuple[str, str], ...] = attrs.field(converter=_pairs)
    project_columns: tuple[str, ...] = attrs.field(converter=_strs)
    projects: tuple[PabulibProject, ...] = attrs.field(converter=_projects)
    vote_columns: tuple[str, ...] = attrs.field(converter=_strs)
    votes: tuple[PabulibVote, ...] = attrs.field(converter=_votes)

    def __attrs_post_init__(self) -> None:
        problems = _check(
            self.meta, self.project_columns, self.projects, self.vote_columns, self.votes
        )
        if problems:
            raise FormatError(problems)

    def get(self, key: str, default: str | None = None) -> str | None:
        """A ``META`` value, or ``default``."""
        for k, value in self.meta:
            if k == key:
                return value
        return default

    @property
    def meta_dict(self) -> dict[str, str]:
        """``META`` as a dict (file order)."""
        return dict(self.meta)

    @property
    def vote_type(self) -> str:
        """``META`` ``vote_type`` (``approval`` when absent)."""
        return self.get("vote_type") or "approval"

    @property
    def budget(self) -> int:
        """``META`` ``budget`` as a whole number.

        Raises
        ------
        FormatError
            The budget is missing or not a whole number.
        """
        text = self.get("budget")
        if text is None:
            raise FormatError(
                [Problem("META.budget", _t("missing", "en"), _t("hint_budget", "en"))]
            )
        return _whole(text, "META.budget")  # checked at load; here for files built in code


def _whole(
    text: str, where: str, lang: str = "en", *, signed: bool = False, what: str = "budget"
) -> int:
    """A whole number written in the digits 0-9 (``"12"``, ``"12.0"``, ``"12,00"``).

    Exponents (``1e3``), other scripts and numbers of more than :data:`MAX_DIGITS`
    digits are refused; a sign only when ``signed`` (points may be negative, money not).
    """
    cleaned = text.strip()
    match = _WHOLE.fullmatch(cleaned)
    if match is None:
        raise FormatError(
            [Problem(where, _t("not_whole", lang, value=_show(text)), _t("hint_whole", lang))]
        )
    if match["sign"] == "-" and not signed and match["digits"].strip("0"):
        raise FormatError(
            [
                Problem(
                    where,
                    _t("negative", lang, what=what, value=_show(text)),
                    _t("hint_negative", lang),
                )
            ]
        )
    digits = match["digits"].lstrip("0")
    if len(digits) > MAX_DIGITS:
        raise FormatError(
            [
                Problem(
                    where,
                    _t("too_many_digits", lang, n=len(digits), limit=MAX_DIGITS),
                    _t("hint_digits", lang, limit=MAX_DIGITS),
                )
            ]
        )
    value = int(digits or "0")
    return -value if match["sign"] == "-" else value


def _show(value: object, limit: int = 40) -> str:
    """``repr`` of a value cut to ``limit`` characters, for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _t(name: str, lang: str, **fields: object) -> str:
    return text("pabulib." + name, lang, **fields)


def _check(
    meta: Iterable[tuple[str, str]],
    project_columns: Sequence[str],
    projects: Sequence[PabulibProject],
    vote_columns: Sequence[str],
    votes: Sequence[PabulibVote],
    lang: str = "en",
) -> list[Problem]:
    """Every problem of a file's parts (paths ``PROJECTS[i]``, ``VOTES[i]``, ``META.key``)."""
    problems: list[Problem] = []
    vote_type = dict(meta).get("vote_type") or "approval"
    add = _t("hint_add_column", lang)
    for need in ("project_id", "cost"):
        if need not in project_columns:
            problems.append(Problem("PROJECTS", _t("no_column", lang, column=need), add))
    for need in ("voter_id", "vote"):
        if need not in vote_columns:
            problems.append(Problem("VOTES", _t("no_column", lang, column=need), add))
    twice = _t("column_twice", lang), _t("hint_column_twice", lang)
    if len(set(project_columns)) != len(project_columns):
        problems.append(Problem("PROJECTS", *twice))
    if len(set(vote_columns)) != len(vote_columns):
        problems.append(Problem("VOTES", *twice))
    if vote_type not in VOTE_TYPES:
        problems.append(
            Problem(
                "META.vote_type",
                _t("unknown_vote_type", lang, value=_show(vote_type)),
                _t("hint_vote_type", lang, types=", ".join(VOTE_TYPES)),
            )
        )
    wants_points = vote_type in _WITH_POINTS
    if wants_points != ("points" in vote_columns) and not problems:
        problems.append(
            Problem(
                "VOTES",
                _t("need_points" if wants_points else "no_points", lang, vote_type=vote_type),
                _t("hint_points", lang),
            )
        )
    other_p = tuple(c for c in project_columns if c not in ("project_id", "cost"))
    seen: set[str] = set()
    for i, project in enumerate(projects):
        where = f"PROJECTS[{i}]"
        if not isinstance(project, PabulibProject):
            kind = "PabulibProject"  # type: ignore[unreachable]
            problems.append(
                Problem(
                    where, _t("not_a_row", lang, kind=kind), _t("hint_not_a_row", lang, kind=kind)
                )
            )
            continue
        if not project.project_id:
            problems.append(
                Problem(where, _t("empty_id", lang, column="project_id"), _t("hint_empty_id", lang))
            )
        elif project.project_id in seen:
            problems.append(
                Problem(
                    where,
                    _t("project_twice", lang, value=_show(project.project_id)),
                    _t("hint_unique", lang),
                )
            )
        seen.add(project.project_id)
        if not _is_whole(project.cost):
            problems.append(Problem(where, _t("bad_cost", lang, value=_show(project.cost))))
        if tuple(k for k, _ in project.fields) != other_p:
            problems.append(
                Problem(
                    where,
                    _t("columns_differ", lang, section="PROJECTS"),
                    _t(
                        "hint_columns",
                        lang,
                        columns=", ".join(other_p) or _t("no_other_columns", lang),
                    ),
                )
            )
    other_v = tuple(c for c in vote_columns if c not in ("voter_id", "vote", "points"))
    voters: set[str] = set()
    for i, vote in enumerate(votes):
        where = f"VOTES[{i}]"
        if not isinstance(vote, PabulibVote):
            kind = "PabulibVote"  # type: ignore[unreachable]
            problems.append(
                Problem(
                    where, _t("not_a_row", lang, kind=kind), _t("hint_not_a_row", lang, kind=kind)
                )
            )
            continue
        if not vote.voter_id:
            problems.append(
                Problem(where, _t("empty_id", lang, column="voter_id"), _t("hint_empty_id", lang))
            )
        elif vote.voter_id in voters:
            problems.append(
                Problem(
                    where,
                    _t("voter_twice", lang, value=_show(vote.voter_id)),
                    _t("hint_unique", lang),
                )
            )
        voters.add(vote.voter_id)
        for item in vote.vote:
            if item not in seen:
                problems.append(
                    Problem(
                        where,
                        _t("unknown_project", lang, value=_show(item)),
                        _t("hint_unknown_project", lang),
                    )
                )
        if len(set(vote.vote)) != len(vote.vote):
            problems.append(
                Problem(
                    where, _t("project_in_vote_twice", lang), _t("hint_project_in_vote_twice", lang)
                )
            )
        if wants_points:
            if vote.points is None or len(vote.points) != len(vote.vote):
                problems.append(
                    Problem(
                        where, _t("points_per_project", lang), _t("hint_points_per_project", lang)
                    )
                )
        elif vote.points is not None:
            problems.append(
                Problem(
                    where,
                    _t("carries_no_points", lang, vote_type=vote_type),
                    _t("hint_points", lang),
                )
            )
        if tuple(k for k, _ in vote.fields) != other_v:
            problems.append(
                Problem(
                    where,
                    _t("columns_differ", lang, section="VOTES"),
                    _t(
                        "hint_columns",
                        lang,
                        columns=", ".join(other_v) or _t("no_other_columns", lang),
                    ),
                )
            )
    return problems


# --------------------------------------------------------------------------- reading

#: The largest ``.pb`` document :func:`load` and :func:`loads` read, in bytes (of UTF-8
#: text). The largest Pabulib election (a whole city) is a few tens of megabytes.
MAX_BYTES = 256 * 1024 * 1024

#: The longest cell, in characters: the default limit of Python's :mod:`csv` module, which
#: no real Pabulib cell comes near (project descriptions are a few thousand characters).
MAX_FIELD_CHARS = 131_072

#: The most digits of a cost, budget, count or point value: 18 digits stay below 2**63,
#: what the selection rules' integer arrays hold (Python's own limit for converting
#: text to an integer, 4,300 digits, is never reached).
MAX_DIGITS = 18

_WHOLE = re.compile(r"(?P<sign>[+-]?)(?P<digits>[0-9]+)(?:[.,]0*)?", re.ASCII)
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")


def _place(name: str, section: str | None, row: int, line: int, column: str = "") -> str:
    """``file.pb: VOTES row 12 (line 40), column points``: where a problem is."""
    if section is None:
        return f"{name}: line {line}"
    where = f"{name}: {section} header" if row == 0 else f"{name}: {section} row {row}"
    where += f" (line {line})"
    return f"{where}, column {column}" if column else where


def _decode(data: bytes, name: str, lang: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 (what Excel's "Unicode text" writes): say so rather than fail on byte 0.
        problem = Problem(f"{name}: line 1", _t("not_utf8", lang, offset=0), _t("hint_utf8", lang))
        raise FormatError([problem])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        line = data.count(b"\n", 0, offset) + 1
        problem = Problem(
            f"{name}: line {line}", _t("not_utf8", lang, offset=offset), _t("hint_utf8", lang)
        )
        raise FormatError([problem]) from None


def _bad_char(cell: str, lang: str) -> str | None:
    """What is wrong with a cell's characters (a NUL, a lone surrogate), or ``None``."""
    found = _BAD_CHAR.search(cell)
    if found is None:
        return None
    if found.group() == "\x00":
        return _t("nul", lang)
    return _t("surrogate", lang, code=f"U+{ord(found.group()):04X}")


def loads(
    text: str | bytes | bytearray, *, name: str = "<string>", lang: str = "en"
) -> PabulibFile:
    """Read a ``.pb`` document from text or bytes.

    Any input gives either a :class:`PabulibFile` or a :class:`~vchuang.errors.FormatError`
    naming the place of each problem (``file.pb: VOTES row 12 (line 40), column points``)
    and its fix; never another exception. The limits (:data:`MAX_BYTES`,
    :data:`MAX_FIELD_CHARS`, :data:`MAX_DIGITS`) are checked before the work they guard.

    Parameters
    ----------
    text
        The whole document: text, or bytes in UTF-8 (a leading byte-order mark is
        ignored).
    name
        What to call the document in error messages (a file name).
    lang : {"en", "zh"}, default "en"
        The language of the error messages.

    Returns
    -------
    PabulibFile

    Raises
    ------
    FormatError
        Listing every problem with its place: bytes that are not UTF-8, a NUL or a lone
        surrogate, a document or cell over its limit, a missing section or column, a row
        with the wrong number of cells, a cost or point value that is not a whole number,
        ``num_projects`` / ``num_votes`` that disagree with the rows, a vote for an
        unknown project, a duplicate or empty ID.

    See Also
    --------
    vchuang.io.pabulib.dumps : the inverse.
    vchuang.io.pabulib.load : the same, from a file.

    Examples
    --------
    >>> loads("META\\nkey;value\\nbudget;10\\nPROJECTS\\nproject_id;cost\\n"
    ...       "a;12\\nVOTES\\nvoter_id;vote\\n1;b\\n")
    Traceback (most recent call last):
    ...
    vchuang.errors.FormatError: <string>: VOTES row 1 (line 9): votes for unknown project 'b' (hint: list the project in PROJECTS)
    >>> loads(b"META\\nkey;value\\nbudget;\\xff\\n", name="x.pb")
    Traceback (most recent call last):
    ...
    vchuang.errors.FormatError: x.pb: line 3: not UTF-8 text (byte 22 cannot be read) (hint: save the file as UTF-8 (in Excel: “CSV UTF-8”; in Notepad: UTF-8))
    """
    check_lang(lang)
    size = (
        len(text)
        if isinstance(text, bytes | bytearray)
        else len(text.encode("utf-8", "surrogatepass"))
    )
    if size > MAX_BYTES:
        problem = Problem(
            name, _t("too_big", lang, size=size, limit=MAX_BYTES), _t("hint_too_big", lang)
        )
        raise FormatError([problem])
    if isinstance(text, bytes | bytearray):
        text = _decode(bytes(text), name, lang)
    return _parse(text.removeprefix("\ufeff"), name, lang)


def _parse(text: str, name: str, lang: str) -> PabulibFile:
    problems: list[Problem] = []
    check_chars = _BAD_CHAR.search(text) is not None
    section: str | None = None
    header: list[str] | None = None
    meta: list[tuple[str, str]] = []
    meta_lines: dict[str, int] = {}
    cols: dict[str, list[str]] = {"PROJECTS": [], "VOTES": []}
    rows: dict[str, list[tuple[int, list[str]]]] = {"PROJECTS": [], "VOTES": []}
    header_lines: dict[str, int] = {}
    seen_sections: list[str] = []
    n_rows = 0
    spans: tuple[int, int] | None = None  # the first row running over several lines
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    while True:
        before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = reader.line_num or before + 1
            where = _place(name, section, n_rows + 1 if header is not None else 0, line)
            if "field larger than field limit" in str(exc):
                message = _t("field_over_limit", lang, limit=MAX_FIELD_CHARS)
                hint = _t("hint_field_too_long", lang)
            else:
                message, hint = _t("csv_broken", lang, error=str(exc)), _t("hint_csv_broken", lang)
            raise FormatError([*problems, Problem(where, message, hint)]) from None
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if spans is None and line - before > 1 and any("\n" in c or "\r" in c for c in row):
            spans = (before + 1, line)
        first = row[0].strip().upper()
        if len(row) == 1 and first in _SECTIONS:
            section, header, n_rows = first, None, 0
            if section in seen_sections:
                problems.append(
                    Problem(
                        f"{name}: line {line}",
                        _t("section_twice", lang, section=section),
                        _t("hint_section_twice", lang, section=section),
                    )
                )
            seen_sections.append(section)
            continue
        row_no = 0 if header is None else n_rows + 1
        if section is not None and header is not None:
            n_rows += 1
        for i, cell in enumerate(row):
            column = header[i] if header is not None and i < len(header) else f"#{i + 1}"
            if len(cell) > MAX_FIELD_CHARS:
                problems.append(
                    Problem(
                        _place(name, section, row_no, line, column),
                        _t("field_too_long", lang, size=len(cell), limit=MAX_FIELD_CHARS),
                        _t("hint_field_too_long", lang),
                    )
                )
            elif check_chars and (bad := _bad_char(cell, lang)) is not None:
                problems.append(
                    Problem(
                        _place(name, section, row_no, line, column), bad, _t("hint_bad_char", lang)
                    )
                )
        if section is None:
            if not problems:
                problems.append(
                    Problem(
                        f"{name}: line {line}",
                        _t("before_meta", lang),
                        _t("hint_before_meta", lang),
                    )
                )
            continue
        if header is None:
            header = [c.strip() for c in row]
            if section == "META" and len(header) != 2:
                problems.append(
                    Problem(
                        _place(name, section, 0, line),
                        _t("meta_header", lang, n=len(header)),
                        _t("hint_meta_header", lang),
                    )
                )
            elif section != "META":
                cols[section] = header
                header_lines[section] = line
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    _place(name, section, row_no, line),
                    _t("cells", lang, n=len(row), section=section, m=len(header)),
                    _t("hint_cells", lang),
                )
            )
            continue
        if section == "META":
            if len(row) == 2:
                meta.append((row[0], row[1]))
                meta_lines.setdefault(row[0].strip(), line)
        else:
            rows[section].append((line, row))
    if spans is not None and set(_SECTIONS) - set(seen_sections):
        # A quote never closed swallows the rest of the file: say where it opens.
        problems.append(
            Problem(
                f"{name}: line {spans[0]}",
                _t("unclosed_quote", lang, start=spans[0], end=spans[1]),
                _t("hint_unclosed_quote", lang),
            )
        )
    for needed in _SECTIONS:
        if needed not in seen_sections:
            problems.append(
                Problem(name, _t("no_section", lang, section=needed), _t("hint_sections", lang))
            )
    if problems:
        raise FormatError(problems)
    values = dict(meta)

    def meta_place(key: str) -> str:
        return f"{name}: META {key} (line {meta_lines.get(key, 0)})"

    projects = [
        _project(cols["PROJECTS"], row, _place(name, "PROJECTS", k, line), problems, lang)
        for k, (line, row) in enumerate(rows["PROJECTS"], 1)
    ]
    votes = [
        _vote(cols["VOTES"], row, _place(name, "VOTES", k, line), problems, lang)
        for k, (line, row) in enumerate(rows["VOTES"], 1)
    ]
    if "budget" not in values:
        problems.append(
            Problem(f"{name}: META", _t("no_key", lang, key="budget"), _t("hint_budget", lang))
        )
    for key, found in (
        ("num_projects", len(projects)),
        ("num_votes", len(votes)),
        ("budget", None),
    ):
        if key not in values:
            continue
        try:
            said = _whole(values[key], meta_place(key), lang, what=key)
        except FormatError as exc:
            problems.extend(exc.problems)
            continue
        if found is not None and said != found:
            problems.append(
                Problem(
                    meta_place(key),
                    _t("count_mismatch", lang, said=said, found=found),
                    _t("hint_count", lang),
                )
            )
    if problems:
        raise FormatError(problems)
    try:
        return PabulibFile(
            meta=meta,
            project_columns=cols["PROJECTS"],
            projects=[p for p in projects if p is not None],
            vote_columns=cols["VOTES"],
            votes=[v for v in votes if v is not None],
        )
    except FormatError as exc:
        problems = list(exc.problems)
        if lang != "en":  # the record checks speak English; say it again in ``lang``
            kept_p = [p for p in projects if p is not None]
            kept_v = [v for v in votes if v is not None]
            problems = _check(meta, cols["PROJECTS"], kept_p, cols["VOTES"], kept_v, lang)
        lines = {
            "PROJECTS": [line for line, _ in rows["PROJECTS"]],
            "VOTES": [line for line, _ in rows["VOTES"]],
        }
        raise FormatError(
            [_in_file(p, name, lines, header_lines, meta_place) for p in problems]
        ) from None


def _in_file(
    problem: Problem,
    name: str,
    lines: Mapping[str, list[int]],
    header_lines: Mapping[str, int],
    meta_place: Callable[[str], str],
) -> Problem:
    """A record check's problem (``VOTES[3]``) with its place in the file."""
    found = re.fullmatch(r"(PROJECTS|VOTES)\[(\d+)\]", problem.path)
    if found is not None:
        section, index = found[1], int(found[2])
        return attrs.evolve(problem, path=_place(name, section, index + 1, lines[section][index]))
    if problem.path.startswith("META."):
        return attrs.evolve(problem, path=meta_place(problem.path.removeprefix("META.")))
    if problem.path in header_lines:
        return attrs.evolve(problem, path=_place(name, problem.path, 0, header_lines[problem.path]))
    return attrs.evolve(problem, path=f"{name}: {problem.path}")


def _project(
    cols: list[str], row: list[str], where: str, problems: list[Problem], lang: str
) -> PabulibProject | None:
    cells = dict(zip(cols, row, strict=True))
    if "project_id" not in cells or "cost" not in cells:
        return None  # the header's problem, reported by the record checks
    try:
        cost = _whole(cells["cost"], f"{where}, column cost", lang, what="cost")
    except FormatError as exc:
        problems.extend(exc.problems)
        return None
    fields = [(c, v) for c, v in zip(cols, row, strict=True) if c not in ("project_id", "cost")]
    return PabulibProject(project_id=cells["project_id"].strip(), cost=cost, fields=fields)


def _split(text: str) -> tuple[str, ...]:
    stripped = text.strip()
    if not stripped or stripped.lower() == "none":
        return ()
    return tuple(x.strip() for x in stripped.split(","))


def _vote(
    cols: list[str],
    row: list[str],
    where: str,
    problems: list[Problem],
    lang: str,
) -> PabulibVote | None:
    cells = dict(zip(cols, row, strict=True))
    if "voter_id" not in cells or "vote" not in cells:
        return None  # the header's problem, reported by the record checks
    points: tuple[int, ...] | None = None
    if "points" in cells:
        try:
            points = tuple(
                _whole(x, f"{where}, column points", lang, signed=True)
                for x in _split(cells["points"])
            )
        except FormatError as exc:
            problems.extend(exc.problems)
            return None
    fields = [
        (c, v) for c, v in zip(cols, row, strict=True) if c not in ("voter_id", "vote", "points")
    ]
    return PabulibVote(
        voter_id=cells["voter_id"].strip(), vote=_split(cells["vote"]), points=points, fields=fields
    )


def load(path: str | os.PathLike[str], *, lang: str = "en") -> PabulibFile:
    """Read a ``.pb`` file (UTF-8, with or without a byte-order mark).

    The file's size is checked against :data:`MAX_BYTES` before it is read; see
    :func:`loads` for the rest.

    Parameters
    ----------
    path
        The file.
    lang : {"en", "zh"}, default "en"
        The language of the error messages.

    Raises
    ------
    FormatError
        The file is not a valid ``.pb`` document (every problem listed, with its place),
        or is larger than :data:`MAX_BYTES`.
    OSError
        The file cannot be read (missing, a folder, no permission).

    See Also
    --------
    vchuang.io.pabulib.save : the inverse.
    vchuang.io.pabulib.loads : the same, from a string.
    """
    path = Path(path)
    check_lang(lang)
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_BYTES:
            problem = Problem(
                path.name, _t("too_big", lang, size=size, limit=MAX_BYTES), _t("hint_too_big", lang)
            )
            raise FormatError([problem])
        data = handle.read(MAX_BYTES + 1)
    return loads(data, name=path.name, lang=lang)


# --------------------------------------------------------------------------- writing


def dumps(pb: PabulibFile) -> str:
    """The ``.pb`` text of a file, in canonical form (``\\n`` line ends, cells quoted
    only where needed).

    See Also
    --------
    vchuang.io.pabulib.loads : the inverse.
    vchuang.io.pabulib.save : the same text, written to a file.

    Examples
    --------
    >>> pb = PabulibFile(meta={"budget": "5", "vote_type": "cumulative"},
    ...                  project_columns=["project_id", "cost"],
    ...                  projects=[PabulibProject(project_id="x", cost=5)],
    ...                  vote_columns=["voter_id", "vote", "points"],
    ...                  votes=[PabulibVote(voter_id="1", vote=["x"], points=[3])])
    >>> print(dumps(pb), end="")
    META
    key;value
    budget;5
    vote_type;cumulative
    PROJECTS
    project_id;cost
    x;5
    VOTES
    voter_id;vote;points
    1;x;3
    """
    out = io.StringIO(newline="")
    writer = csv.writer(
        out, delimiter=";", quotechar='"', lineterminator="\n", quoting=csv.QUOTE_MINIMAL
    )
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(pb.meta)
    writer.writerow(["PROJECTS"])
    writer.writerow(pb.project_columns)
    for project in pb.projects:
        pcells = {
            "project_id": project.project_id,
            "cost": str(project.cost),
            **dict(project.fields),
        }
        writer.writerow([pcells[c] for c in pb.project_columns])
    writer.writerow(["VOTES"])
    writer.writerow(pb.vote_columns)
    for vote in pb.votes:
        vcells = {"voter_id": vote.voter_id, "vote": ",".join(vote.vote), **dict(vote.fields)}
        if vote.points is not None:
            vcells["points"] = ",".join(str(x) for x in vote.points)
        writer.writerow([vcells.get(c, "") for c in pb.vote_columns])
    return out.getvalue()


def save(pb: PabulibFile, path: str | os.PathLike[str]) -> None:
    """Write a ``.pb`` file (UTF-8, no byte-order mark) atomically: through a temporary
    file and a rename, so a failure never leaves half a file.

    See Also
    --------
    vchuang.io.pabulib.load : the inverse.
    vchuang.io.pabulib.dumps : the same text, as a string.
    """
    atomic_write_text(Path(path), dumps(pb))


# --------------------------------------------------------------------------- exporting

#: The ``META`` keys Pabulib requires of every file (its checker refuses a file without
#: one); ``rule`` is written only when a rule was chosen.
REQUIRED_META = (
    "description",
    "country",
    "unit",
    "instance",
    "num_projects",
    "num_votes",
    "budget",
    "vote_type",
)


def voter_ids(
    voters: Sequence[str],
    *,
    key: bytes | str | None = None,
    reveal: Reveal | str = Reveal.NOTHING,
    graph: CommunityGraph | None = None,
    as_of: dt.date | None = None,
) -> list[str]:
    """The ``voter_id`` of each voter in an exported ``.pb`` file: pseudonymous by default.

    With ``reveal="nothing"`` (the default, as in every export) each ID becomes
    ``r-`` and 16 hex digits of a keyed hash (:func:`vchuang.privacy.keyed_id`), the
    resident's pseudonym in every other export made with the same key. Any
    other :class:`~vchuang.privacy.Reveal` level keeps real IDs, which needs ``graph`` to
    tell who is a minor: a minor on ``as_of`` (default ``graph.metadata.as_of``) or
    today, and a voter who is not a resident of ``graph``, stays pseudonymous.

    Parameters
    ----------
    voters
        The voters' IDs (residents' IDs for an election of a call).
    key
        The pseudonymisation key, at least 16 bytes; ``None`` draws a fresh random key,
        so the pseudonyms cannot be linked to any other output.
    reveal
        ``"nothing"`` (default) or a level that shows real IDs (``"ids"`` …).
    graph
        The community graph the voters live in; required to reveal real IDs.
    as_of
        The day ages are counted on.

    Returns
    -------
    list of str

    Raises
    ------
    ValidationError
        The key is too short, ``reveal`` is not a level, or real IDs were asked for
        without ``graph``.

    Examples
    --------
    >>> voter_ids(["pn-r01", "pn-r02"], key="a secret key of 16+ bytes")
    ['r-e05c11aade45b06c', 'r-c1f8633fbb82dacd']
    """
    try:
        level = Reveal(reveal)
    except ValueError:
        levels = ", ".join(r.value for r in Reveal)
        raise ValidationError(
            [Problem("reveal", f"unknown level {reveal!r}", f"use one of {levels}")]
        ) from None
    if key is None:
        key = secrets.token_bytes(32)
    hidden = [keyed_id(v, key, prefix=ID_PREFIXES["resident"]) for v in voters]
    if len(set(hidden)) != len(set(voters)):
        raise ValidationError(
            [Problem("key", "two IDs hash to the same pseudonym", "use another key")]
        )
    if level is Reveal.NOTHING:
        return hidden
    if graph is None:
        raise ValidationError(
            [
                Problem(
                    "graph",
                    f"reveal={level.value!r} needs the community graph",
                    "pass graph= so that minors keep pseudonymous IDs, or leave reveal out",
                )
            ]
        )
    day = as_of if as_of is not None else data_date(graph)
    adults = {r.id for r in graph.residents() if not is_minor(r, day)}
    return [v if v in adults else h for v, h in zip(voters, hidden, strict=True)]


def currency_meta(unit: str) -> dict[str, str]:
    """The ``META`` rows that state the money unit of costs and the budget.

    ``currency`` is an ISO 4217 code, as Pabulib's checker wants; amounts in fen (the
    vchuang default) are ``CNY`` with a ``comment`` saying they are fen.

    >>> currency_meta("fen")
    {'currency': 'CNY', 'comment': '#1: costs and budget in fen (1 yuan = 100 fen)'}
    >>> currency_meta("PLN")
    {'currency': 'PLN'}
    """
    if unit == "fen":
        return {"currency": "CNY", "comment": "#1: costs and budget in fen (1 yuan = 100 fen)"}
    if re.fullmatch("[A-Z]{3}", unit):
        return {"currency": unit}
    return {"comment": f"#1: costs and budget in {unit}"}


def conformance(pb: PabulibFile) -> list[Problem]:
    """The problems Pabulib's checker would find in a file, as far as vchuang checks them.

    Checked: every key of :data:`REQUIRED_META` is there and not empty; ``num_projects``,
    ``num_votes`` and ``budget`` are whole numbers and the counts match the rows;
    ``rule`` is not empty when given; ``currency`` is a three-letter code; costs are
    whole numbers (always true of a :class:`PabulibFile`); and the checker's data rules:
    no project costs nothing or more than the budget, the selected projects fit the
    budget, the budget is not more than all projects cost (unless ``fully_funded``), no
    vote names a project twice or breaks ``min_length``/``max_length``, and the
    ``votes``/``score`` columns (at least one is there) equal the counts of the VOTES
    section. Not checked: country names and dates against their registries, and whether
    the ``selected`` column follows the ``rule``.

    Returns
    -------
    list of Problem
        Empty for a conforming file.
    """
    problems: list[Problem] = []
    meta = pb.meta_dict
    for key in REQUIRED_META:
        if not meta.get(key, "").strip():
            problems.append(Problem(f"META.{key}", _t("no_key", "en", key=key)))
    for key, found in (("num_projects", len(pb.projects)), ("num_votes", len(pb.votes))):
        if meta.get(key, "").strip().isdigit() and int(meta[key]) != found:
            problems.append(
                Problem(f"META.{key}", _t("count_mismatch", "en", said=meta[key], found=found))
            )
    if "rule" in meta and not meta["rule"].strip():
        problems.append(Problem("META.rule", "is empty", "leave the rule out when none was chosen"))
    if "currency" in meta and not re.fullmatch("[A-Z]{3}", meta["currency"]):
        problems.append(Problem("META.currency", f"{meta['currency']!r} is not an ISO 4217 code"))
    try:
        budget: int | None = pb.budget
    except FormatError as exc:
        problems.extend(exc.problems)
        budget = None
    problems += _checker_rules(pb, budget)
    return problems


def _checker_rules(pb: PabulibFile, budget: int | None) -> list[Problem]:
    """The rules of Pabulib's checker about the data itself (pabulib/checker,
    ``check_budgets``, ``check_duplicated_votes``, ``check_vote_length``,
    ``check_votes_and_scores``), each problem naming its project or voter."""
    problems: list[Problem] = []
    meta = pb.meta_dict
    votes: dict[str, int] = dict.fromkeys((p.project_id for p in pb.projects), 0)
    scores: dict[str, int] = dict.fromkeys(votes, 0)
    shortest = next((meta[k] for k in ("min_length", "min_length_unit") if k in meta), "")
    longest = next((meta[k] for k in ("max_length", "max_length_unit") if k in meta), "")
    for v in pb.votes:
        where = f"VOTES, voter {v.voter_id!r}"
        if len(set(v.vote)) < len(v.vote):
            problems.append(Problem(where, "names a project twice", "name each project once"))
        if longest.isdigit() and len(v.vote) > int(longest):
            problems.append(Problem(where, f"votes for {len(v.vote)}, more than max_length"))
        if shortest.isdigit() and len(v.vote) < int(shortest):
            problems.append(Problem(where, f"votes for {len(v.vote)}, fewer than min_length"))
        for i, pid in enumerate(v.vote):
            votes[pid] = votes.get(pid, 0) + 1
            scores[pid] = scores.get(pid, 0) + (v.points[i] if v.points else 0)
    columns = set(pb.project_columns)
    if "votes" not in columns and "score" not in columns:
        problems.append(Problem("PROJECTS", "has neither a votes nor a score column"))
    selected = 0
    for p in pb.projects:
        where = f"PROJECTS, project {p.project_id!r}"
        if p.cost == 0:
            problems.append(Problem(where, "costs nothing", "give its cost"))
        elif budget is not None and p.cost > budget:
            problems.append(Problem(where, f"costs {p.cost}, more than the whole budget"))
        for column, counted in (("votes", votes), ("score", scores)):
            said = p.get(column)
            if column in columns and (said or "0").strip() != str(counted[p.project_id]):
                problems.append(
                    Problem(
                        where,
                        f"{column} is {said!r}, but the VOTES section counts "
                        f"{counted[p.project_id]}",
                    )
                )
        if p.get("selected", "0") == "1":
            selected += p.cost
    if budget is not None and selected > budget:
        problems.append(
            Problem("PROJECTS, column selected", f"costs {selected}, over the budget {budget}")
        )
    total = sum(p.cost for p in pb.projects)
    if budget is not None and budget > total and meta.get("fully_funded") != "1":
        problems.append(
            Problem(
                "META.budget",
                f"{budget} is more than all projects cost ({total})",
                "add fully_funded;1 when every project was funded",
            )
        )
    return problems
