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
   Proceedings of IJCAI 2023, 2667–2674. https://pabulib.org
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import FormatError, Problem
from ._json import atomic_write_text

__all__ = [
    "VOTE_TYPES",
    "PabulibFile",
    "PabulibProject",
    "PabulibVote",
    "dumps",
    "load",
    "loads",
    "save",
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
        problems = _check(self)
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
            raise FormatError([Problem("META.budget", "missing", "add a `budget;<amount>` row")])
        return _whole(text, "META.budget")


def _whole(text: str, where: str) -> int:
    cleaned = text.strip()
    try:
        return int(cleaned)
    except ValueError:
        pass
    try:
        as_float = float(cleaned.replace(",", "."))
    except ValueError:
        as_float = float("nan")
    if as_float.is_integer():
        return int(as_float)
    raise FormatError(
        [
            Problem(
                where,
                f"{text!r} is not a whole number",
                "give money in whole units (e.g. fen or cents), points as integers",
            )
        ]
    )


def _check(pb: PabulibFile) -> list[Problem]:
    problems: list[Problem] = []
    for need in ("project_id", "cost"):
        if need not in pb.project_columns:
            problems.append(Problem("PROJECTS", f"no {need!r} column", "add it to the header"))
    for need in ("voter_id", "vote"):
        if need not in pb.vote_columns:
            problems.append(Problem("VOTES", f"no {need!r} column", "add it to the header"))
    if len(set(pb.project_columns)) != len(pb.project_columns):
        problems.append(Problem("PROJECTS", "a column name is used twice"))
    if len(set(pb.vote_columns)) != len(pb.vote_columns):
        problems.append(Problem("VOTES", "a column name is used twice"))
    if pb.vote_type not in VOTE_TYPES:
        problems.append(
            Problem(
                "META.vote_type",
                f"unknown vote type {pb.vote_type!r}",
                f"use one of {', '.join(VOTE_TYPES)}",
            )
        )
    wants_points = pb.vote_type in _WITH_POINTS
    if wants_points != ("points" in pb.vote_columns) and not problems:
        problems.append(
            Problem(
                "VOTES",
                f"{pb.vote_type} ballots {'need' if wants_points else 'have no'} a 'points' column",
            )
        )
    other_p = tuple(c for c in pb.project_columns if c not in ("project_id", "cost"))
    seen: set[str] = set()
    for i, project in enumerate(pb.projects):
        where = f"PROJECTS[{i}]"
        if not isinstance(project, PabulibProject):
            problems.append(Problem(where, "must be a PabulibProject"))  # type: ignore[unreachable]
            continue
        if project.project_id in seen:
            problems.append(Problem(where, f"project ID {project.project_id!r} given twice"))
        seen.add(project.project_id)
        if not _is_whole(project.cost):
            problems.append(
                Problem(where, f"cost must be a whole number >= 0, got {project.cost!r}")
            )
        if tuple(k for k, _ in project.fields) != other_p:
            problems.append(
                Problem(
                    where,
                    "its columns differ from the PROJECTS header",
                    f"give exactly {', '.join(other_p) or 'no other columns'}",
                )
            )
    other_v = tuple(c for c in pb.vote_columns if c not in ("voter_id", "vote", "points"))
    voters: set[str] = set()
    for i, vote in enumerate(pb.votes):
        where = f"VOTES[{i}]"
        if not isinstance(vote, PabulibVote):
            problems.append(Problem(where, "must be a PabulibVote"))  # type: ignore[unreachable]
            continue
        if vote.voter_id in voters:
            problems.append(Problem(where, f"voter ID {vote.voter_id!r} given twice"))
        voters.add(vote.voter_id)
        for item in vote.vote:
            if item not in seen:
                problems.append(
                    Problem(
                        where, f"votes for unknown project {item!r}", "list the project in PROJECTS"
                    )
                )
        if len(set(vote.vote)) != len(vote.vote):
            problems.append(Problem(where, "names a project twice"))
        if wants_points:
            if vote.points is None or len(vote.points) != len(vote.vote):
                problems.append(Problem(where, "needs one point value per project voted for"))
        elif vote.points is not None:
            problems.append(Problem(where, f"{pb.vote_type} ballots carry no points"))
        if tuple(k for k, _ in vote.fields) != other_v:
            problems.append(
                Problem(
                    where,
                    "its columns differ from the VOTES header",
                    f"give exactly {', '.join(other_v) or 'no other columns'}",
                )
            )
    return problems


# --------------------------------------------------------------------------- reading


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    for row in reader:
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        yield reader.line_num, row


def loads(text: str, *, name: str = "<string>") -> PabulibFile:
    """Read a ``.pb`` document from text.

    Parameters
    ----------
    text
        The whole document (a leading byte-order mark is ignored).
    name
        What to call the document in error messages (a file name).

    Returns
    -------
    PabulibFile

    Raises
    ------
    FormatError
        Listing every problem with its line: a missing section or column, a row with
        the wrong number of cells, a cost or point value that is not a whole number, a
        vote for an unknown project, a duplicate ID.

    Examples
    --------
    >>> loads("META\\nkey;value\\nbudget;10\\nPROJECTS\\nproject_id;cost\\n"
    ...       "a;12\\nVOTES\\nvoter_id;vote\\n1;b\\n")
    Traceback (most recent call last):
    ...
    vchuang.errors.FormatError: VOTES[0]: votes for unknown project 'b' (hint: list the project in PROJECTS)
    """
    text = text.removeprefix("\ufeff")
    problems: list[Problem] = []
    section: str | None = None
    header: list[str] | None = None
    meta: list[tuple[str, str]] = []
    pcols: list[str] = []
    vcols: list[str] = []
    prows: list[tuple[int, list[str]]] = []
    vrows: list[tuple[int, list[str]]] = []
    seen_sections: list[str] = []
    for line, row in _rows(text):
        first = row[0].strip().upper()
        if len(row) == 1 and first in _SECTIONS:
            section, header = first, None
            if section in seen_sections:
                problems.append(Problem(f"{name}:{line}", f"section {section} given twice"))
            seen_sections.append(section)
            continue
        if section is None:
            problems.append(
                Problem(
                    f"{name}:{line}",
                    "text before the META section",
                    "a .pb file starts with a line 'META'",
                )
            )
            continue
        if header is None:
            header = [c.strip() for c in row]
            if section == "PROJECTS":
                pcols = header
            elif section == "VOTES":
                vcols = header
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    f"{name}:{line}",
                    f"{len(row)} cells where the {section} header has {len(header)}",
                    "quote cells holding ';' with \"…\"",
                )
            )
            continue
        if section == "META":
            meta.append((row[0], row[1]))
        elif section == "PROJECTS":
            prows.append((line, row))
        else:
            vrows.append((line, row))
    for needed in _SECTIONS:
        if needed not in seen_sections:
            problems.append(
                Problem(
                    name, f"no {needed} section", "a .pb file has META, PROJECTS and VOTES sections"
                )
            )
    if problems:
        raise FormatError(problems)
    vote_type = dict(meta).get("vote_type", "approval")
    projects = [_project(pcols, row, f"{name}:{line}", problems) for line, row in prows]
    votes = [_vote(vcols, row, f"{name}:{line}", vote_type, problems) for line, row in vrows]
    if problems:
        raise FormatError(problems)
    return PabulibFile(
        meta=meta,
        project_columns=pcols,
        projects=[p for p in projects if p is not None],
        vote_columns=vcols,
        votes=[v for v in votes if v is not None],
    )


def _project(
    cols: list[str], row: list[str], where: str, problems: list[Problem]
) -> PabulibProject | None:
    cells = dict(zip(cols, row, strict=True))
    if "project_id" not in cells or "cost" not in cells:
        problems.append(Problem(where, "PROJECTS needs 'project_id' and 'cost' columns"))
        return None
    try:
        cost = _whole(cells["cost"], f"{where} (cost)")
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
    cols: list[str], row: list[str], where: str, vote_type: str, problems: list[Problem]
) -> PabulibVote | None:
    cells = dict(zip(cols, row, strict=True))
    if "voter_id" not in cells or "vote" not in cells:
        problems.append(Problem(where, "VOTES needs 'voter_id' and 'vote' columns"))
        return None
    points: tuple[int, ...] | None = None
    if "points" in cells:
        try:
            points = tuple(_whole(x, f"{where} (points)") for x in _split(cells["points"]))
        except FormatError as exc:
            problems.extend(exc.problems)
            return None
    elif vote_type in _WITH_POINTS:
        problems.append(Problem(where, f"{vote_type} ballots need a 'points' column"))
        return None
    fields = [
        (c, v) for c, v in zip(cols, row, strict=True) if c not in ("voter_id", "vote", "points")
    ]
    return PabulibVote(
        voter_id=cells["voter_id"].strip(), vote=_split(cells["vote"]), points=points, fields=fields
    )


def load(path: str | os.PathLike[str]) -> PabulibFile:
    """Read a ``.pb`` file (UTF-8, with or without a byte-order mark).

    Raises
    ------
    FormatError
        The file is not a valid ``.pb`` document (every problem listed, with its line).
    OSError
        The file cannot be read.
    """
    path = Path(path)
    return loads(path.read_text(encoding="utf-8-sig"), name=path.name)


# --------------------------------------------------------------------------- writing


def dumps(pb: PabulibFile) -> str:
    """The ``.pb`` text of a file, in canonical form (``\\n`` line ends, cells quoted
    only where needed).

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
    file and a rename, so a failure never leaves half a file."""
    atomic_write_text(Path(path), dumps(pb))
