"""Participatory platforms: Decidim open-data exports and CONSUL investments, read as calls.

**Decidim** publishes each organisation's open data as a ZIP of CSV files, one per kind
of resource (``<host>-open-data-proposals.csv``, ``…-budgets.csv``,
``…-meetings.csv`` …). Each file is written by Decidim's CSV exporter: ``;`` between
cells by default (``Decidim.default_csv_col_sep``, which an instance may set to ``,``),
nested keys of the serialised record flattened with ``/`` (``category/name/en``,
``participatory_space/id``) and one column per locale for translated text
(``title/zh``, ``title/en``). :func:`read_decidim` reads:

* proposals (``…-proposals.csv``): one :class:`~vchuang.model.Call` per proposals
  component (``component/id``), a golden idea (:class:`~vchuang.model.Proposal`) per row
  with its title, body and publication date; ``supports`` (the proposal's votes) becomes
  its support count;
* budget projects (``…-budgets.csv``): one call per budgets component, an idea per
  project costing ``budget_amount`` (in yuan), supported by ``confirmed_votes``;
* meetings (``…-meetings.csv``): an :class:`~vchuang.model.Activity` each, with its
  date and attendance.

Open data holds counts, not ballots: who voted for what is never published. The support
counts are kept as :attr:`PlatformImport.support`, which
:meth:`vchuang.selection.Election.from_call` takes as ``scores=`` so that the selection
rules that rank by score (``top_k``, ``greedy``, ``knapsack``) run on them. What the
graph cannot hold (answers, states, categories, comments, endorsements, other files of
the ZIP) is listed in :attr:`PlatformImport.not_represented`, never dropped silently.

**CONSUL** (CONSUL Democracy) exports a budget's investment projects from its admin
pages as one CSV (``ID``, ``Title``, ``Supports``, ``Administrator``, ``Valuator``,
``Valuation Group``, ``Scope of operation``, ``Feasibility``, ``Val. Fin.``,
``Selected``, ``Show to valuators``, ``Author username``; headers in English or
Spanish). :func:`read_consul` makes each investment an idea of one call, supported by
its ``Supports``, costing its price when a ``Price`` column or a feasibility with a price
gives one.

:func:`write_decidim` and :func:`write_consul` write calls, ideas, vote counts (and
Decidim meetings from activities) back in the layouts the readers take, and list what
the layout cannot hold in :attr:`PlatformExport.not_written`.

Examples
--------
>>> import io, pathlib, tempfile, zipfile
>>> from vchuang.io.platforms import read_decidim
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> with zipfile.ZipFile(d / "open-data.zip", "w") as z:
...     z.writestr("example.org-open-data-budgets.csv",
...         "id;component/id;title/zh;title/en;budget_amount;confirmed_votes\\n"
...         "7;3;社区花园;Garden;3000;41\\n8;3;儿童阅读角;Reading corner;2000;17\\n")
>>> result = read_decidim(d / "open-data.zip", place="pingnan-zone")
>>> result.calls, result.support
(('decidim-budgets-3',), {'decidim-project-7': 41, 'decidim-project-8': 17})
>>> result.graph.get("decidim-project-7").cost_fen
300000
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import attrs

from ..errors import CellError, FormatError, Problem
from ..graph import CommunityGraph
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.money import format_fen
from ..kernel.text import check_lang, text
from ..model import Activity, ActivityKind, Call, District, Proposal
from ._json import atomic_write_bytes
from .cells import cell_text, parse_date, parse_int, parse_money
from .tables._reading import decode
from .tables._sheets import _problem

__all__ = [
    "CONSUL_COLUMNS",
    "MAX_ZIP_INFLATED",
    "PlatformExport",
    "PlatformImport",
    "read_consul",
    "read_decidim",
    "write_consul",
    "write_decidim",
]

#: The most the CSV files of a Decidim ZIP may unpack to, together (200 MiB).
MAX_ZIP_INFLATED = 200 * 2**20
_TAGS = re.compile(r"<[^>]+>")


def _t(key: str, lang: str, /, **fields: object) -> str:
    return text(f"platforms.{key}", lang, **fields)


def _at(where: str, column: str, message: str, hint: str = "") -> Problem:
    """A problem in one column of a row: ``where (column X)``, said in the reader's
    language by :meth:`~vchuang.errors.Problem.render` (``where（“X”列）`` in Chinese)."""
    return _problem(f"{where} (column {column})", message, hint)


def _cell_problem(where: str, column: str, err: CellError, lang: str) -> Problem:
    return _at(where, column, *cell_text(err, lang))


def _kind_place(kind: str) -> Problem:
    """The place of a record kind (``proposal``), said in each language."""
    return Problem(kind, "", path_key=f"model.kind.{kind}")


@attrs.frozen(kw_only=True, eq=False)
class PlatformImport:
    """What :func:`read_decidim` or :func:`read_consul` read, and what they could not
    represent."""

    graph: CommunityGraph = attrs.field(repr=False)
    """The graph with the calls, ideas and meetings added."""
    calls: tuple[str, ...]
    """The calls made (one per platform component)."""
    proposals: tuple[str, ...] = attrs.field(repr=False)
    """The ideas made, in file order."""
    activities: tuple[str, ...] = attrs.field(repr=False)
    """The meetings made."""
    support: Mapping[str, int] = attrs.field(repr=False)
    """Votes (supports) per idea, as published: counts, not ballots."""
    not_represented: tuple[Problem, ...] = attrs.field(repr=False)
    """What the graph cannot hold, by file and column."""
    problems: tuple[Problem, ...] = attrs.field(repr=False)
    """Rows left out, and why."""
    lang: str = attrs.field(default="en", repr=False)
    """The language of the messages (the reader's ``lang``), and by default of
    :meth:`lines` and the HTML table."""

    def __repr__(self) -> str:
        return (
            f"PlatformImport(calls={preview(self.calls)}, proposals={len(self.proposals)}, "
            f"activities={len(self.activities)}, votes={sum(self.support.values())}, "
            f"not_represented={len(self.not_represented)}, problems={len(self.problems)})"
        )

    def _repr_html_(self) -> str:
        lang = self.lang
        rows: list[tuple[object, object]] = [
            (_t("html.calls", lang), len(self.calls)),
            (_t("html.ideas", lang), len(self.proposals)),
            (_t("html.meetings", lang), len(self.activities)),
            (_t("html.votes", lang), sum(self.support.values())),
        ]
        rows += [(p.path_in(lang), p.message_in(lang)) for p in self.not_represented[:SHOWN]]
        return html_table(_t("html.import", lang), ("", ""), rows)

    def lines(self, lang: str | None = None) -> list[str]:
        """The report as lines of text, in ``lang`` (``"en"`` or ``"zh"``; by default
        the language the files were read in). The messages are in the reader's
        language; ``lang`` changes the report's own words and the places."""
        lang = self.lang if lang is None else check_lang(lang)
        out = [
            _t(
                "report.summary",
                lang,
                calls=len(self.calls),
                ideas=len(self.proposals),
                meetings=len(self.activities),
                votes=sum(self.support.values()),
            )
        ]
        out += [
            _t("report.not_represented", lang, problem=p.render(lang)) for p in self.not_represented
        ]
        out += [_t("report.problem", lang, problem=p.render(lang)) for p in self.problems]
        return out


def _rows(data: bytes, name: str, lang: str) -> list[dict[str, str]]:
    content, _encoding, bad = decode(data, "zh" if lang == "zh" else "en")
    if bad:
        line, (message, hint) = next(iter(bad.items()))
        raise FormatError([Problem(f"{name}:{line}", message, hint)])
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    except csv.Error as exc:
        raise FormatError([Problem(f"{name}:{reader.line_num}", str(exc))]) from None


class _Builder:
    def __init__(self, base: CommunityGraph | None, place: str, lang: str) -> None:
        self.graph = base.copy() if base is not None else CommunityGraph()
        self.lang = lang
        if place not in self.graph:
            self.graph.add(District(id=place, name=place))
        self.place = place
        self.calls: dict[str, Call] = {}
        self.proposals: list[Proposal] = []
        self.activities: list[Activity] = []
        self.support: dict[str, int] = {}
        self.not_represented: list[Problem] = []
        self.problems: list[Problem] = []

    def lost(self, where: str, columns: Iterable[str], why: str) -> None:
        cols = sorted(set(columns))
        if cols:
            self.not_represented.append(
                Problem(where, _t("not_represented", self.lang, columns=", ".join(cols)), why)
            )

    def result(self, budget_fen: int | None) -> PlatformImport:
        calls = []
        for call in self.calls.values():
            costs = sum(p.cost_fen for p in self.proposals if p.call == call.id)
            calls.append(attrs.evolve(call, budget_fen=costs if budget_fen is None else budget_fen))
        if budget_fen is None and calls:
            self.not_represented.append(
                Problem("budget", _t("no_budget", self.lang), path_key="platforms.place.budget")
            )
        self.graph.add(*calls, *self.proposals, *self.activities)
        return PlatformImport(
            graph=self.graph,
            calls=tuple(c.id for c in calls),
            proposals=tuple(p.id for p in self.proposals),
            activities=tuple(a.id for a in self.activities),
            support=dict(self.support),
            not_represented=tuple(self.not_represented),
            problems=tuple(self.problems),
            lang=self.lang,
        )


def _localised(row: Mapping[str, str], key: str, locales: Sequence[str]) -> str:
    """The text of ``key`` in the first of ``locales`` that has it, else any."""
    for loc in locales:
        value = row.get(f"{key}/{loc}", "")
        if value:
            return value
    if row.get(key):
        return row[key]
    for k, value in row.items():
        if k.startswith(f"{key}/") and value and not k.startswith(f"{key}/machine_translations"):
            return value
    return ""


def _date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return parse_date(value[:10])
    except CellError:
        return None


def _plain(html: str) -> str:
    return " ".join(_TAGS.sub(" ", html).split())


_DECIDIM_KEPT = {
    "proposals": ("id", "component/id", "title", "body", "supports", "published_at"),
    "budgets": (
        "id",
        "component/id",
        "title",
        "description",
        "budget_amount",
        "confirmed_votes",
        "created_at",
    ),
    "meetings": (
        "id",
        "component/id",
        "title",
        "description",
        "start_time",
        "end_time",
        "attendees",
        "attendees_count",
    ),
}


def _kind(name: str) -> str | None:
    stem = Path(name).stem.casefold()
    for kind in ("proposals", "budgets", "meetings"):
        if stem.endswith((kind, f"{kind}_projects")):
            return kind
    if stem.endswith("projects"):
        return "budgets"
    return None


def read_decidim(
    path: str | os.PathLike[str],
    *,
    place: str,
    base: CommunityGraph | None = None,
    locales: Sequence[str] = ("zh", "en"),
    budget_fen: int | None = None,
    lang: str = "en",
) -> PlatformImport:
    """Read a Decidim open-data ZIP (or one of its CSV files) into calls, ideas and meetings.

    Parameters
    ----------
    path
        The ZIP (``<host>-open-data.zip``) or one CSV file of it.
    place
        The place the calls and meetings belong to (added as a district when ``base``
        lacks it).
    base
        A graph to add to (not changed).
    locales
        The languages to take titles from, in order (``title/zh``, then ``title/en`` …);
        a title in ``zh`` is also the record's ``name_zh``.
    budget_fen
        Each call's budget; open data does not publish it, so by default it is the cost
        of all the call's ideas (and :attr:`PlatformImport.not_represented` says so).
    lang : {"en", "zh"}
        The language of the messages.

    Returns
    -------
    PlatformImport

    Raises
    ------
    FormatError
        The ZIP or a CSV cannot be read.
    """
    check_lang(lang)
    source = Path(path)
    files: list[tuple[str, bytes]] = []
    try:
        if source.suffix.lower() == ".zip":
            with zipfile.ZipFile(source) as z:
                infos = [i for i in z.infolist() if not i.is_dir()]
                if sum(i.file_size for i in infos) > MAX_ZIP_INFLATED:
                    raise FormatError([Problem(source.name, _t("zip_too_big", lang))])
                files = [(i.filename, z.read(i)) for i in infos]
        else:
            files = [(source.name, source.read_bytes())]
    except (OSError, zipfile.BadZipFile) as exc:
        raise FormatError([Problem(source.name, _t("unreadable", lang, error=exc))]) from None
    b = _Builder(base, place, lang)
    for name, data in files:
        kind = _kind(name)
        if kind is None:
            b.not_represented.append(Problem(name, _t("file_not_read", lang)))
            continue
        rows = _rows(data, name, lang)
        kept = _DECIDIM_KEPT[kind]
        lost = {
            k.split("/")[0] + ("/…" if "/" in k else "")
            for row in rows[:1]
            for k in row
            if k not in kept and k.split("/")[0] not in kept
        }
        b.lost(name, lost, _t("why_decidim", lang))
        for line, row in enumerate(rows, start=2):
            _decidim_row(b, kind, row, f"{name}:{line}", locales)
    return b.result(budget_fen)


def _decidim_row(
    b: _Builder, kind: str, row: Mapping[str, str], where: str, locales: Sequence[str]
) -> None:
    rid = row.get("id", "")
    if not rid:
        b.problems.append(Problem(where, _t("no_id", b.lang)))
        return
    title = _localised(row, "title", locales)
    name = _plain(title) or f"{kind} {rid}"
    name_zh = _plain(row.get("title/zh", ""))
    component = row.get("component/id", "") or "0"
    if kind == "meetings":
        start = _date(row.get("start_time", ""))
        if start is None:
            b.problems.append(_at(where, "start_time", _t("no_date", b.lang)))
            return
        count = row.get("attendees_count") or row.get("attendees") or ""
        attendance = int(count) if count.isdigit() else None
        b.activities.append(
            Activity(
                id=f"decidim-meeting-{rid}",
                name=name,
                name_zh=name_zh,
                activity_kind=ActivityKind.OTHER,
                date=start,
                place=b.place,
                attendance=attendance,
                description=_plain(_localised(row, "description", locales))[:2000],
            )
        )
        return
    call_id = f"decidim-{kind}-{component}"
    if call_id not in b.calls:
        b.calls[call_id] = Call(id=call_id, name=f"Decidim {kind} {component}", place=b.place)
    prefix = "project" if kind == "budgets" else "proposal"
    pid = f"decidim-{prefix}-{rid}"
    cost = 0
    if kind == "budgets" and row.get("budget_amount"):
        try:
            cost = parse_money(row["budget_amount"])
        except CellError as err:
            b.problems.append(_cell_problem(where, "budget_amount", err, b.lang))
            return
    votes_col = "confirmed_votes" if kind == "budgets" else "supports"
    votes = 0
    if row.get(votes_col):
        try:
            votes = parse_int(row[votes_col])
        except CellError as err:
            b.problems.append(_cell_problem(where, votes_col, err, b.lang))
    body = "description" if kind == "budgets" else "body"
    date_col = "created_at" if kind == "budgets" else "published_at"
    b.proposals.append(
        Proposal(
            id=pid,
            name=name,
            name_zh=name_zh,
            call=call_id,
            cost_fen=cost,
            submitted=_date(row.get(date_col, "")),
            description=_plain(_localised(row, body, locales))[:2000],
        )
    )
    b.support[pid] = votes


#: CONSUL's investment headers (English and Spanish) → what they hold.
_CONSUL = {
    "id": "id",
    "title": "title",
    "título": "title",
    "titulo": "title",
    "supports": "supports",
    "apoyos": "supports",
    "price": "price",
    "precio": "price",
    "coste": "price",
    "feasibility": "feasibility",
    "viabilidad": "feasibility",
    "description": "description",
    "descripción": "description",
}


def read_consul(
    path: str | os.PathLike[str],
    *,
    place: str,
    base: CommunityGraph | None = None,
    call: str = "consul-budget",
    budget_fen: int | None = None,
    lang: str = "en",
) -> PlatformImport:
    """Read CONSUL's budget investments CSV into one call of ideas.

    Parameters are as for :func:`read_decidim`; ``call`` is the ID of the call made.
    Prices are read in yuan; an investment with no price costs 0 (and is listed in
    :attr:`PlatformImport.not_represented`).
    """
    check_lang(lang)
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise FormatError([Problem(source.name, _t("unreadable", lang, error=exc))]) from None
    rows = _rows(data, source.name, lang)
    b = _Builder(base, place, lang)
    b.calls[call] = Call(id=call, name="CONSUL budget", place=place)
    if rows:
        b.lost(
            source.name,
            [k for k in rows[0] if k.casefold() not in _CONSUL],
            _t("why_consul", lang),
        )
    no_price: list[str] = []
    for line, raw in enumerate(rows, start=2):
        row = {_CONSUL.get(k.casefold(), k): v for k, v in raw.items()}
        where = f"{source.name}:{line}"
        if not row.get("id"):
            b.problems.append(Problem(where, _t("no_id", lang)))
            continue
        price = row.get("price", "")
        if not price:
            found = re.search(r"[\d][\d,.]*", row.get("feasibility", ""))
            price = found.group(0) if found else ""
        cost = 0
        if price:
            try:
                cost = parse_money(price)
            except CellError as err:
                b.problems.append(_cell_problem(where, "price", err, lang))
        else:
            no_price.append(f"consul-{row['id']}")
        pid = f"consul-{row['id']}"
        b.proposals.append(
            Proposal(
                id=pid,
                name=row.get("title") or f"investment {row['id']}",
                call=call,
                cost_fen=cost,
                description=_plain(row.get("description", ""))[:2000],
            )
        )
        votes = row.get("supports", "")
        b.support[pid] = int(votes) if votes.isdigit() else 0
    if no_price:
        b.not_represented.append(Problem(source.name, _t("no_price", lang, ids=preview(no_price))))
    return b.result(budget_fen)


# --------------------------------------------------------------------------- writers


@attrs.frozen(kw_only=True, eq=False)
class PlatformExport:
    """What :func:`write_decidim` or :func:`write_consul` wrote, and what they could not."""

    path: Path
    """The file written (a ZIP for Decidim, a CSV for CONSUL)."""
    calls: tuple[str, ...]
    """The calls written."""
    ids: Mapping[str, str] = attrs.field(repr=False)
    """Each record written (idea or meeting) to its ID on the platform."""
    not_written: tuple[Problem, ...] = attrs.field(repr=False)
    """What the platform's layout cannot hold, by record kind and field."""
    lang: str = attrs.field(default="en", repr=False)
    """The language of the messages (the writer's ``lang``), and by default of
    :meth:`lines` and the HTML table."""

    def __repr__(self) -> str:
        return (
            f"PlatformExport(path={self.path.name!r}, calls={preview(self.calls)}, "
            f"records={len(self.ids)}, not_written={len(self.not_written)})"
        )

    def _repr_html_(self) -> str:
        lang = self.lang
        rows: list[tuple[object, object]] = [
            (_t("html.file", lang), self.path.name),
            (_t("html.calls", lang), len(self.calls)),
            (_t("html.records", lang), len(self.ids)),
        ]
        rows += [(p.path_in(lang), p.message_in(lang)) for p in self.not_written[:SHOWN]]
        return html_table(_t("html.export", lang), ("", ""), rows)

    def lines(self, lang: str | None = None) -> list[str]:
        """The report as lines of text, in ``lang`` (``"en"`` or ``"zh"``; by default
        the language it was written in)."""
        lang = self.lang if lang is None else check_lang(lang)
        out = [
            _t(
                "report.export",
                lang,
                file=self.path.name,
                calls=len(self.calls),
                records=len(self.ids),
            )
        ]
        return out + [
            _t("report.not_written", lang, problem=p.render(lang)) for p in self.not_written
        ]


class _Lost:
    """The fields, by record kind, that hold something a layout cannot write."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.fields: dict[str, set[str]] = {}
        self.extra: list[Problem] = []

    def check(self, record: Call | Proposal | Activity, written: Iterable[str]) -> None:
        keep = {"id", *written}
        for a in attrs.fields(type(record)):
            value = getattr(record, a.name)
            if a.name not in keep and value not in (a.default, (), "", None):
                self.fields.setdefault(type(record).__name__.lower(), set()).add(a.name)

    def problems(self, why: str) -> tuple[Problem, ...]:
        out = [
            attrs.evolve(
                _kind_place(kind),
                message=_t("not_written", self.lang, fields=", ".join(sorted(names))),
                hint=why,
            )
            for kind, names in self.fields.items()
        ]
        return tuple(out + self.extra)


def _platform_ids(records: Sequence[object], pattern: str) -> dict[str, str]:
    """Each record's ID on the platform: the number it came with (``decidim-project-31``
    → ``31``), else the next free number."""
    found = {
        r.id: m.group(1)  # type: ignore[attr-defined]
        for r in records
        if (m := re.fullmatch(pattern, r.id))  # type: ignore[attr-defined]
    }
    used = {int(v) for v in found.values() if v.isdigit()}
    n = max(used, default=0)
    out: dict[str, str] = {}
    for r in records:
        rid: str = r.id  # type: ignore[attr-defined]
        if rid in found:
            out[rid] = found[rid]
        else:
            n += 1
            out[rid] = str(n)
    return out


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]], delimiter: str) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def _yuan(fen: int) -> str:
    return str(fen // 100) if fen % 100 == 0 else format_fen(fen)


def _calls_of(graph: CommunityGraph, calls: Iterable[str] | None) -> list[Call]:
    if calls is None:
        return [c for c in graph.entities("call") if isinstance(c, Call)]
    return [graph.get(c, Call) for c in calls]


def write_decidim(
    graph: CommunityGraph,
    path: str | os.PathLike[str],
    *,
    calls: Iterable[str] | None = None,
    support: Mapping[str, int] | None = None,
    activities: Iterable[str] | None = None,
    host: str = "vchuang",
    lang: str = "en",
) -> PlatformExport:
    """Write calls, their ideas and meetings as a Decidim open-data ZIP, as
    :func:`read_decidim` reads it.

    A call whose ID :func:`read_decidim` made (``decidim-proposals-7``) goes back to the
    proposals file of its component; any other call is a budgets component (its ideas
    budget projects, with ``budget_amount`` their cost in yuan). Ideas keep the number
    they came with (``decidim-project-31`` → ``31``), other ideas are numbered;
    :attr:`PlatformExport.ids` gives each. Activities become meetings
    (``attendees_count`` their attendance, or the number of named attendees). Titles go
    to ``title/en`` (the name) and ``title/zh`` (the Chinese name); read back with
    ``locales=("en", "zh")`` to get the same names (the default ``("zh", "en")`` takes
    the Chinese one first). Cells are ``;``-separated, UTF-8. Written atomically.

    Parameters
    ----------
    graph
        The graph.
    path
        The ZIP to write.
    calls
        The calls to write (default all).
    support
        Votes per idea (as :attr:`PlatformImport.support`); counts, never ballots.
        Ideas not in it get 0.
    activities
        The activities to write as meetings (default all).
    host
        The file names' prefix (``<host>-open-data-budgets.csv``).
    lang : {"en", "zh"}
        The language of the report.

    Returns
    -------
    PlatformExport
        With :attr:`~PlatformExport.not_written`: each field the layout cannot hold
        (proposers, needs, a call's budget and dates, attendees' names …).

    Examples
    --------
    >>> import pathlib, tempfile, vchuang
    >>> g = vchuang.load_example()
    >>> out = write_decidim(g, pathlib.Path(tempfile.mkdtemp()) / "open-data.zip")
    >>> back = read_decidim(out.path, place="pingnan", locales=("en", "zh"))
    >>> len(back.proposals) == len(g.entities("proposal"))
    True
    """
    check_lang(lang)
    votes = dict(support or {})
    lost = _Lost(lang)
    files: dict[str, str] = {}
    chosen = _calls_of(graph, calls)
    components: dict[str, tuple[str, str]] = {}
    numbers = [int(m.group(2)) for c in chosen if (m := re.fullmatch(r"decidim-(\w+)-(\d+)", c.id))]
    n = max(numbers, default=0)
    for call in chosen:
        found = re.fullmatch(r"decidim-(proposals|budgets)-(\S+)", call.id)
        if found:
            components[call.id] = (found.group(1), found.group(2))
        else:
            n += 1
            components[call.id] = ("budgets", str(n))
        kind, component = components[call.id]
        lost.check(call, ("name",) if call.name == f"Decidim {kind} {component}" else ())
    ideas = [p for p in graph.entities("proposal") if isinstance(p, Proposal)]
    ideas = [p for p in ideas if p.call in components]
    for call in chosen:
        if not any(p.call == call.id for p in ideas):
            lost.extra.append(Problem(call.id, _t("empty_call", lang)))
    ids: dict[str, str] = {}
    for kind, prefix, body, date_col in (
        ("proposals", "proposal", "body", "published_at"),
        ("budgets", "project", "description", "created_at"),
    ):
        mine = [p for p in ideas if components[p.call][0] == kind]
        if not mine:
            continue
        numbered = _platform_ids(mine, rf"decidim-{prefix}-(\S+)")
        ids.update(numbered)
        header = ["id", "component/id", "title/en", "title/zh", f"{body}/en"]
        header += ["budget_amount", "confirmed_votes"] if kind == "budgets" else ["supports"]
        rows = []
        for p in mine:
            row: list[object] = [
                numbered[p.id],
                components[p.call][1],
                p.name,
                p.name_zh,
                p.description,
            ]
            count = votes.get(p.id, 0)
            row += [_yuan(p.cost_fen), count] if kind == "budgets" else [count]
            rows.append([*row, p.submitted.isoformat() if p.submitted else ""])
            written = ["name", "name_zh", "call", "description", "submitted"]
            lost.check(p, [*written, "cost_fen"] if kind == "budgets" else written)
        files[kind] = _csv([*header, date_col], rows, ";")
    picked = (
        list(graph.activities())
        if activities is None
        else [graph.get(a, Activity) for a in activities]
    )
    if picked:
        numbered = _platform_ids(picked, r"decidim-meeting-(\S+)")
        ids.update(numbered)
        rows = []
        for a in picked:
            people = a.attendance if a.attendance is not None else len(a.attendees) or None
            rows.append(
                [numbered[a.id], "", a.name, a.name_zh, a.description, a.date.isoformat(), people]
            )
            lost.check(a, ("name", "name_zh", "date", "description", "attendance"))
        header = ["id", "component/id", "title/en", "title/zh", "description/en", "start_time"]
        files["meetings"] = _csv([*header, "attendees_count"], rows, ";")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for kind, content in files.items():
            info = zipfile.ZipInfo(f"{host}-open-data-{kind}.csv", date_time=(2020, 1, 1, 0, 0, 0))
            z.writestr(info, content.encode("utf-8"), zipfile.ZIP_DEFLATED)
    target = Path(path)
    atomic_write_bytes(target, buffer.getvalue())
    return PlatformExport(
        path=target,
        calls=tuple(c.id for c in chosen),
        ids=ids,
        not_written=lost.problems(_t("why_write_decidim", lang)),
        lang=lang,
    )


#: The columns of CONSUL's ``Budget::Investment::Exporter``, as :func:`write_consul` writes them.
CONSUL_COLUMNS = (
    "ID",
    "Title",
    "Supports",
    "Administrator",
    "Valuator",
    "Valuation Group",
    "Scope of operation",
    "Feasibility",
    "Val. Fin.",
    "Selected",
    "Show to valuators",
    "Author username",
)


def write_consul(
    graph: CommunityGraph,
    path: str | os.PathLike[str],
    *,
    call: str,
    support: Mapping[str, int] | None = None,
    lang: str = "en",
) -> PlatformExport:
    """Write one call's ideas as CONSUL's budget investments CSV, as :func:`read_consul`
    reads it.

    The columns are those of CONSUL's exporter (:data:`CONSUL_COLUMNS`); an idea's cost
    goes into ``Feasibility`` as ``Feasible (3000)`` (yuan), which is where the export
    shows a price; an idea with no cost is ``Undecided``. IDs keep the number they came
    with (``consul-12`` → ``12``), other ideas are numbered. Written atomically, UTF-8.

    Parameters
    ----------
    graph
        The graph.
    path
        The CSV file to write.
    call
        The call whose ideas to write.
    support
        Supports per idea (default 0 each).
    lang : {"en", "zh"}
        The language of the report.

    Returns
    -------
    PlatformExport
        With :attr:`~PlatformExport.not_written` (Chinese names, texts, proposers,
        needs, the call's budget …).
    """
    check_lang(lang)
    votes = dict(support or {})
    lost = _Lost(lang)
    the_call = graph.get(call, Call)
    lost.check(the_call, ("name",) if the_call.name == "CONSUL budget" else ())
    ideas = [p for p in graph.entities("proposal") if isinstance(p, Proposal) and p.call == call]
    if not ideas:
        lost.extra.append(Problem(call, _t("empty_call", lang)))
    numbered = _platform_ids(ideas, r"consul-(\S+)")
    rows = []
    for p in ideas:
        feasibility = f"Feasible ({_yuan(p.cost_fen)})" if p.cost_fen else "Undecided"
        row = [numbered[p.id], p.name, votes.get(p.id, 0), "", "", "", "", feasibility]
        rows.append([*row, "", "", "", ""])
        lost.check(p, ("name", "call", "cost_fen"))
    target = Path(path)
    atomic_write_bytes(target, _csv(CONSUL_COLUMNS, rows, ",").encode("utf-8"))
    return PlatformExport(
        path=target,
        calls=(call,),
        ids=numbered,
        not_written=lost.problems(_t("why_write_consul", lang)),
        lang=lang,
    )
