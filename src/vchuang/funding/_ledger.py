"""The append-only, double-entry ledger of funds and projects (private).

The public names are re-exported by :mod:`vchuang.funding`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, cast

import attrs

from ..errors import Problem, ValidationError
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..kernel.renames import UNSET, renamed
from ..kernel.said import Words
from ..kernel.text import text as say
from ..model import Organization, OrgKind, Project, Resident
from ..privacy import data_date, is_minor
from ._records import (
    FUND_KINDS,
    KIND_RULES,
    Account,
    AccountKind,
    Entry,
    EntryKind,
    format_yuan,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..graph import CommunityGraph

__all__ = [
    "BalanceHistory",
    "EntryRefused",
    "FundReport",
    "GrantLine",
    "Ledger",
    "ReportRow",
    "Statement",
    "StatementLine",
]

_PAYOUTS = (EntryKind.GRANT, EntryKind.REIMBURSEMENT)
_NEEDS_LINE = (EntryKind.APPROVAL, EntryKind.GRANT, EntryKind.REIMBURSEMENT)
_NEEDS_RECEIPT = (EntryKind.EXPENSE, EntryKind.REIMBURSEMENT)
_NONE = "(none)"


def _fmt(fen: int) -> str:
    return format_yuan(fen, symbol=True)


class EntryRefused(ValidationError):
    """The ledger refused an entry; ``problems`` say why, each naming the entry and
    the field at fault, with a hint. Nothing was changed.

    Attributes
    ----------
    entry : Entry or None
        The refused entry, when it could be built.
    """

    what = "the entry"

    def __init__(self, problems: Iterable[Problem] | str, entry: Entry | None = None) -> None:
        super().__init__(problems)
        self.entry = entry


EntryRefused.__module__ = "vchuang.funding"  # where users import it from


# --------------------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class GrantLine:
    """A grant line of a project: how much its funds approved and how much they paid
    (grants in advance plus reimbursements, net of reversals)."""

    project: str
    line: str
    funds: tuple[str, ...]
    """The fund accounts that approved the line."""
    approved_fen: int
    paid_fen: int

    @property
    def undrawn_fen(self) -> int:
        """Approved but not yet paid."""
        return self.approved_fen - self.paid_fen

    def to_row(self) -> dict[str, Any]:
        """The line as a table row."""
        return {
            "project": self.project,
            "line": self.line,
            "funds": ";".join(self.funds),
            "approved_fen": self.approved_fen,
            "paid_fen": self.paid_fen,
            "undrawn_fen": self.undrawn_fen,
        }


@attrs.frozen(kw_only=True)
class StatementLine:
    """One line of a :class:`Statement`."""

    entry: Entry
    counterparty: str
    """The account on the other side of the entry."""
    in_fen: int
    out_fen: int
    balance_fen: int
    """The account's balance after the entry."""
    on_behalf: bool
    """The entry is for the project but moves money between other accounts (e.g. a
    reimbursement paid to the resident who advanced the money); no balance effect."""


@attrs.frozen(kw_only=True)
class Statement:
    """The statement of one account (usually a project) between two dates.

    Use :meth:`Ledger.statement` to make one.
    """

    account: Account
    start: dt.date | None
    end: dt.date | None
    opening_fen: int
    """Balance at the end of the day before ``start`` (0 without a start)."""
    closing_fen: int
    """Balance at the end of ``end`` (or now)."""
    lines: tuple[StatementLine, ...]
    grant_lines: tuple[GrantLine, ...]
    """The account's grant lines as of ``end`` (for a project)."""
    history: BalanceHistory

    @property
    def in_fen(self) -> int:
        """Money in during the period."""
        return sum(line.in_fen for line in self.lines)

    @property
    def out_fen(self) -> int:
        """Money out during the period."""
        return sum(line.out_fen for line in self.lines)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per line: date, entry, kind, counterparty, in, out, balance …"""
        return [
            {
                "date": line.entry.date.isoformat(),
                "entry": line.entry.id,
                "kind": line.entry.kind.value,
                "counterparty": line.counterparty,
                "in_fen": line.in_fen,
                "out_fen": line.out_fen,
                "balance_fen": line.balance_fen,
                "on_behalf": line.on_behalf,
                "line": line.entry.line or "",
                "receipt": line.entry.receipt,
                "memo": line.entry.memo,
            }
            for line in self.lines
        ]

    def __str__(self) -> str:
        head = f"Statement of {self.account.name} ({self.account.id})"
        period = f"{self.start or '…'} to {self.end or '…'}"
        texts = [
            f"{line.entry.date} {line.entry.kind.value:<13} {line.counterparty}"
            for line in self.lines
        ]
        width = max([40, *(len(t) + 2 for t in texts)])
        out = [head, period, f"{'opening balance':<{width}}{_fmt(self.opening_fen):>14}"]
        for text, line in zip(texts, self.lines, strict=True):
            if line.on_behalf:  # shown in brackets: no effect on this balance
                amount = f"({_fmt(line.entry.amount_fen)})"
            else:
                amount = _fmt(line.in_fen - line.out_fen)
            out.append(f"{text:<{width}}{amount:>14}{_fmt(line.balance_fen):>14}")
        out.append(f"{'closing balance':<{width}}{_fmt(self.closing_fen):>14}")
        for g in self.grant_lines:
            out.append(
                f"line {g.line}: approved {_fmt(g.approved_fen)}, paid {_fmt(g.paid_fen)}, "
                f"undrawn {_fmt(g.undrawn_fen)}"
            )
        return "\n".join(out)

    def __repr__(self) -> str:
        return (
            f"Statement(account={self.account.id!r}, start={self.start}, end={self.end}, "
            f"opening_fen={self.opening_fen}, closing_fen={self.closing_fen}, "
            f"lines={len(self.lines)}, grant_lines={len(self.grant_lines)})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (
                line.entry.date,
                line.entry.kind.value,
                line.counterparty,
                _fmt(line.in_fen - line.out_fen),
                _fmt(line.balance_fen),
            )
            for line in self.lines[:SHOWN]
        ]
        caption = (
            f"Statement of {self.account.id}: {len(self.lines)} lines, "
            f"{_fmt(self.opening_fen)} to {_fmt(self.closing_fen)}"
        )
        return html_table(caption, ("date", "kind", "counterparty", "amount", "balance"), rows)

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """The account's balance over the period (see
        ``vchuang.plot.plot_balance_history``)."""
        return self.history.plot(ax, lang=lang)


@attrs.frozen(kw_only=True)
class ReportRow:
    """Money in and out of a fund for one key (a tag, a line, a kind …)."""

    key: str
    in_fen: int
    out_fen: int
    entries: int

    @property
    def net_fen(self) -> int:
        """In minus out."""
        return self.in_fen - self.out_fen


@attrs.frozen(kw_only=True)
class FundReport:
    """Money in and out of a fund (and, by default, the accounts under it) grouped by
    a key. Use :meth:`Ledger.report` to make one.

    Money moving between accounts of the group is internal and not counted. A reversal
    is netted against the column of the entry it undoes. An entry with several tags
    counts under each, so the rows of a report by tag may add up to more than the
    totals.
    """

    fund: Account
    accounts: tuple[str, ...]
    """The accounts reported on: the fund and, with children, those under it."""
    by: str
    start: dt.date | None
    end: dt.date | None
    opening_fen: int
    closing_fen: int
    in_fen: int
    out_fen: int
    rows: tuple[ReportRow, ...]

    def __repr__(self) -> str:
        top = preview((r.key, r.net_fen) for r in self.rows)
        return (
            f"FundReport(fund={self.fund.id!r}, by={self.by!r}, accounts={len(self.accounts)}, "
            f"in_fen={self.in_fen}, out_fen={self.out_fen}, rows={len(self.rows)}, top={top})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (r.key, _fmt(r.in_fen), _fmt(r.out_fen), _fmt(r.net_fen), r.entries)
            for r in self.rows[:SHOWN]
        ]
        caption = f"{self.fund.id} by {self.by}: {len(self.rows)} rows"
        return html_table(caption, (self.by, "in", "out", "net", "entries"), rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per key: key, in, out, net, number of entries."""
        return [
            {
                self.by: row.key,
                "in_fen": row.in_fen,
                "out_fen": row.out_fen,
                "net_fen": row.net_fen,
                "entries": row.entries,
            }
            for row in self.rows
        ]

    def __str__(self) -> str:
        out = [
            (
                f"{self.fund.name} ({len(self.accounts)} account(s)) by {self.by}, "
                f"{self.start or '…'} to {self.end or '…'}"
            ),
            f"{'':<30}{'in':>14}{'out':>14}{'net':>14}",
        ]
        for row in self.rows:
            out.append(
                f"{row.key:<30}{_fmt(row.in_fen):>14}{_fmt(row.out_fen):>14}{_fmt(row.net_fen):>14}"
            )
        out.append(
            f"{'total':<30}{_fmt(self.in_fen):>14}{_fmt(self.out_fen):>14}"
            f"{_fmt(self.in_fen - self.out_fen):>14}"
        )
        out.append(f"opening {_fmt(self.opening_fen)}, closing {_fmt(self.closing_fen)}")
        return "\n".join(out)


@attrs.frozen(kw_only=True)
class BalanceHistory:
    """Balances of some accounts at every date one of them changed.

    ``balances[k][i]`` is the balance of ``accounts[k]`` at the end of ``dates[i]``.
    Use :meth:`Ledger.history` to make one.
    """

    accounts: tuple[str, ...]
    labels: tuple[str, ...]
    labels_zh: tuple[str, ...]
    dates: tuple[dt.date, ...]
    balances: tuple[tuple[int, ...], ...]
    include_children: bool

    def __repr__(self) -> str:
        span = f", {self.dates[0]} to {self.dates[-1]}" if self.dates else ""
        return (
            f"BalanceHistory(accounts={len(self.accounts)} {preview(self.accounts)}, "
            f"dates={len(self.dates)}{span}, include_children={self.include_children})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (acc, _fmt(series[-1]) if series else "")
            for acc, series in zip(self.accounts[:SHOWN], self.balances, strict=False)
        ]
        caption = f"BalanceHistory: {len(self.accounts)} accounts, {len(self.dates)} dates"
        return html_table(caption, ("account", "last balance"), rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per date and account."""
        return [
            {"date": day.isoformat(), "account": acc, "balance_fen": series[i]}
            for acc, series in zip(self.accounts, self.balances, strict=True)
            for i, day in enumerate(self.dates)
        ]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Step lines of each balance over time (see
        ``vchuang.plot.plot_balance_history``)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


# --------------------------------------------------------------------------- ledger


class Ledger:
    """Accounts and an append-only, double-entry journal of the money of funds and
    projects, in integer fen.

    Every entry moves an amount from one account to another (an approval moves nothing
    and records a commitment), so money is conserved: the balances of all accounts add
    up to zero at any date, the outside accounts holding minus what came in. Entries are
    posted in date order and never edited; a mistake is undone by a reversal. An entry
    that breaks a rule is refused with the reason and nothing changes:

    - accounts must exist and suit the kind of entry (a donation comes from outside, a
      grant goes from a fund to a project …);
    - no account goes below zero unless it may (outside accounts may);
    - grants and reimbursements on a grant line never exceed what was approved on it,
      and are paid by the fund that approved it;
    - expenses and reimbursements carry a receipt reference;
    - an entry is reversed at most once, by its exact mirror.

    Parameters
    ----------
    accounts : iterable of Account, optional
        Accounts to open, parents before children.
    name : str, optional
        What the ledger is (shown in reports).

    Examples
    --------
    >>> from vchuang.funding import Ledger, Account, yuan, format_yuan
    >>> ledger = Ledger([
    ...     Account(id="mf", name="Pingnan micro-fund", kind="micro_fund"),
    ...     Account(id="p1", name="Nothing falls from above", kind="project", parent="mf"),
    ...     Account(id="residents", name="Residents", kind="outside"),
    ...     Account(id="printing", name="Printing", kind="expense"),
    ... ])
    >>> import datetime as dt
    >>> d = dt.date(2020, 1, 10)
    >>> _ = ledger.donate("residents", "mf", yuan("800"), date=d, tags=["high_altitude_throwing"])
    >>> _ = ledger.approve("mf", "p1", yuan("500"), date=d, line="mf-2020")
    >>> _ = ledger.grant("mf", "p1", yuan("300"), date=d, line="mf-2020")
    >>> _ = ledger.spend("p1", "printing", yuan("120.50"), date=d, receipt="FP-0042")
    >>> format_yuan(ledger.balance("p1")), format_yuan(ledger.balance("mf"))
    ('179.50', '500.00')
    >>> ledger.reimburse("mf", "residents", yuan("300"), date=d, line="mf-2020",
    ...                  receipt="FP-0043", project="p1")
    Traceback (most recent call last):
    ...
    vchuang.funding.EntryRefused: entry 'E000005' (2020-01-10, reimbursement).amount_fen: reimbursement of ¥300.00 would bring the paid on line 'mf-2020' of project 'p1' to ¥600.00, above the approved ¥500.00 (left: ¥200.00) (hint: claim at most what is left, or have the fund approve more first)
    >>> sum(ledger.balances().values())
    0
    """

    def __init__(self, accounts: Iterable[Account] = (), *, name: str = "") -> None:
        self.name = name
        self._accounts: dict[str, Account] = {}
        self._children: dict[str, list[str]] = {}
        self._entries: list[Entry] = []
        self._index: dict[str, int] = {}
        self._reversed_by: dict[str, str] = {}
        self._dates: dict[str, list[int]] = {}
        self._cum: dict[str, list[int]] = {}
        self._balance: dict[str, int] = {}
        self._approved: dict[tuple[str, str], int] = {}
        self._paid: dict[tuple[str, str], int] = {}
        self._approvers: dict[tuple[str, str], list[str]] = {}
        self._last: dt.date | None = None
        for account in accounts:
            self.open(account)

    # ------------------------------------------------------------------ accounts

    def open(self, account: Account) -> Account:
        """Open an account (its parent must be open already) and return it.

        Raises
        ------
        ValidationError
            The ID is taken or the parent is not an account of the ledger.
        """
        if not isinstance(cast(object, account), Account):
            msg = f"must be an Account, got {type(account).__name__}"
            raise ValidationError([Problem("account", msg)])
        where = f"account {account.id!r}"
        if account.id in self._accounts:
            raise ValidationError(
                [Problem(f"{where}.id", "is already open", "give every account its own ID")]
            )
        if account.parent is not None and account.parent not in self._accounts:
            raise ValidationError(
                [
                    Problem(
                        f"{where}.parent",
                        f"no account {account.parent!r}",
                        self._hint_for(account.parent, "open the parent account first"),
                    )
                ]
            )
        self._accounts[account.id] = account
        self._children[account.id] = []
        if account.parent is not None:
            self._children[account.parent].append(account.id)
        self._dates[account.id] = []
        self._cum[account.id] = []
        self._balance[account.id] = 0
        return account

    def add_account(
        self,
        id: str,
        name: str,
        kind: AccountKind | str,
        *,
        name_zh: str = "",
        owner: str | None = None,
        parent: str | None = None,
        may_go_negative: bool | None = None,
    ) -> Account:
        """Make an :class:`Account` from its fields and :meth:`open` it."""
        fields: dict[str, Any] = {
            "id": id,
            "name": name,
            "kind": kind,
            "name_zh": name_zh,
            "owner": owner,
            "parent": parent,
        }
        if may_go_negative is not None:
            fields["may_go_negative"] = may_go_negative
        return self.open(Account(**fields))

    @classmethod
    def from_graph(cls, graph: CommunityGraph, *, name: str = "") -> Ledger:
        """A ledger with an account for every fund organisation and every project of
        ``graph``, each with the entity's own ID.

        Fund organisations (``org_kind=OrgKind.FUND``) become a district fund, a street
        branch or a micro-fund by the level of their ``place``; an organisation's
        ``parent`` becomes the account's parent when it is a fund too. A project sits
        under a micro-fund of its community when there is one (the first by ID).
        Outside and expense accounts are for the caller to open.

        Parameters
        ----------
        graph : CommunityGraph
        name : str, optional

        Returns
        -------
        Ledger

        Examples
        --------
        >>> import vchuang
        >>> ledger = Ledger.from_graph(vchuang.load_example())
        >>> [a.id for a in ledger.accounts.values()]
        ['pn-p1', 'pn-p2', 'pn-p3']
        """
        levels = {"district": AccountKind.DISTRICT_FUND, "subdistrict": AccountKind.STREET_BRANCH}
        funds: list[Organization] = graph.organizations(org_kind=OrgKind.FUND)
        fund_ids = {f.id for f in funds}
        kinds: dict[str, AccountKind] = {}
        for org in funds:
            place_kind = graph.kind_of(org.place) if org.place in graph else "community"
            kinds[org.id] = levels.get(place_kind, AccountKind.MICRO_FUND)

        def depth(org: Organization) -> int:
            seen: set[str] = set()
            d, parent = 0, org.parent
            while parent in fund_ids and parent not in seen:
                seen.add(parent)
                d += 1
                parent = graph.get(parent, Organization).parent
            return d

        ledger = cls(name=name)
        for org in sorted(funds, key=lambda o: (depth(o), o.id)):
            parent = org.parent if org.parent in fund_ids else None
            ledger.open(
                Account(
                    id=org.id,
                    name=org.name,
                    name_zh=org.name_zh,
                    kind=kinds[org.id],
                    owner=org.id,
                    parent=parent,
                )
            )
        micro: dict[str, str] = {}
        for org in sorted(funds, key=lambda o: o.id):
            if kinds[org.id] is AccountKind.MICRO_FUND:
                micro.setdefault(org.place, org.id)
        for project in graph.projects():
            ledger.open(
                Account(
                    id=project.id,
                    name=project.name,
                    name_zh=project.name_zh,
                    kind=AccountKind.PROJECT,
                    owner=project.id,
                    parent=micro.get(project.community),
                )
            )
        return ledger

    @property
    def accounts(self) -> Mapping[str, Account]:
        """The accounts by ID, in the order they were opened (read-only)."""
        return MappingProxyType(self._accounts)

    def account(self, account_id: str) -> Account:
        """The account with this ID.

        Raises
        ------
        ValidationError
            No such account (the nearest ID is suggested).
        """
        try:
            return self._accounts[account_id]
        except (KeyError, TypeError):
            raise ValidationError(
                [
                    Problem(
                        "account",
                        f"no account {account_id!r}",
                        self._hint_for(account_id, "open it first"),
                    )
                ]
            ) from None

    def account_of(self, owner: str) -> Account | None:
        """The first account (in opening order) owned by a graph entity, if any."""
        for account in self._accounts.values():
            if account.owner == owner:
                return account
        return None

    def children(self, account_id: str) -> list[str]:
        """The accounts directly under an account."""
        self.account(account_id)
        return list(self._children[account_id])

    def family(self, account_id: str) -> list[str]:
        """An account and every account under it, depth first."""
        self.account(account_id)
        out: list[str] = []
        stack = [account_id]
        while stack:
            acc = stack.pop()
            out.append(acc)
            stack.extend(reversed(self._children[acc]))
        return out

    def _hint_for(self, account_id: object, default: str) -> str:
        if isinstance(account_id, str) and len(self._accounts) <= 50_000:
            near = difflib.get_close_matches(account_id, list(self._accounts), n=1, cutoff=0.6)
            if near:
                return f"did you mean {near[0]!r}?"
        return default

    # ------------------------------------------------------------------ journal

    @property
    def entries(self) -> Sequence[Entry]:
        """Every entry, in posting order (a read-only view)."""
        return _EntriesView(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries))

    def entry(self, entry_id: str) -> Entry:
        """The entry with this ID.

        Raises
        ------
        ValidationError
            No such entry.
        """
        try:
            return self._entries[self._index[entry_id]]
        except (KeyError, TypeError):
            raise ValidationError([Problem("entry", f"no entry {entry_id!r}")]) from None

    def reversed_by(self, entry_id: str) -> str | None:
        """The ID of the reversal that undid an entry, if any."""
        return self._reversed_by.get(entry_id)

    @property
    def last_date(self) -> dt.date | None:
        """The date of the last entry (entries are in date order)."""
        return self._last

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ledger):
            return NotImplemented
        return (
            self.name == other.name
            and list(self._accounts.values()) == list(other._accounts.values())
            and self._entries == other._entries
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        name = f" {self.name!r}" if self.name else ""
        return f"<Ledger{name}: {len(self._accounts)} accounts, {len(self._entries)} entries>"

    def _repr_html_(self) -> str:
        rows = [
            (e.id, e.date, e.kind.value, e.source, e.target, _fmt(e.amount_fen))
            for e in self._entries[-SHOWN:]
        ]
        caption = (
            f"Ledger {self.name}: {len(self._accounts)} accounts, {len(self._entries)} entries"
            " (the last shown)"
        )
        return html_table(caption, ("entry", "date", "kind", "source", "target", "amount"), rows)

    # ------------------------------------------------------------------ posting

    def check_entry(self, entry: Entry) -> list[Problem]:
        """Every reason the ledger would refuse ``entry`` (empty if none); changes
        nothing."""
        return self._examine(entry)[1]

    def post(self, entry: Entry) -> Entry:
        """Append an entry, all or nothing, and return it as stored (with ``project``
        and, for a reversal, ``line`` and ``tags`` filled in).

        Raises
        ------
        EntryRefused
            Listing every rule the entry breaks, each with a hint. The ledger is
            unchanged.
        """
        if not isinstance(cast(object, entry), Entry):
            msg = f"must be an Entry, got {type(entry).__name__}"
            raise EntryRefused([Problem("entry", msg)])
        stored, problems = self._examine(entry)
        if problems:
            raise EntryRefused(problems, entry)
        self._apply(stored)
        return stored

    def next_id(self) -> str:
        """The next free automatic entry ID (``E000001`` …)."""
        n = len(self._entries) + 1
        while f"E{n:06d}" in self._index:
            n += 1
        return f"E{n:06d}"

    def record(
        self,
        kind: EntryKind | str,
        source: str,
        target: str,
        amount_fen: int,
        *,
        date: dt.date,
        id: str | None = None,
        line: str | None = None,
        project: str | None = None,
        receipt: str = "",
        memo: str = "",
        tags: Iterable[str] = (),
        reverses: str | None = None,
    ) -> Entry:
        """Make an :class:`Entry` from its fields (the ID defaults to the next free
        ``E000001`` …) and :meth:`post` it.

        Raises
        ------
        EntryRefused
            The fields do not make a valid entry, or the ledger refuses it.
        """
        entry_id = self.next_id() if id is None else id
        try:
            entry = Entry(
                id=entry_id,
                date=date,
                kind=kind,
                source=source,
                target=target,
                amount_fen=amount_fen,
                line=line,
                project=project,
                receipt=receipt,
                memo=memo,
                tags=tuple(tags),
                reverses=reverses,
            )
        except ValidationError as err:
            where = f"entry {entry_id!r}"
            raise EntryRefused(
                [
                    attrs.evolve(p, path=f"{where}.{p.path}" if p.path else where)
                    for p in err.problems
                ]
            ) from None
        return self.post(entry)

    def donate(
        self, source: str, target: str, amount_fen: int, *, date: dt.date, **fields: Any
    ) -> Entry:
        """Post a donation (捐赠) from an outside account to a fund or project.
        ``fields``: ``id``, ``project`` (earmarked for a project), ``receipt``,
        ``memo``, ``tags``."""
        return self.record(EntryKind.DONATION, source, target, amount_fen, date=date, **fields)

    def approve(
        self,
        fund: str,
        project: str,
        amount_fen: int,
        *,
        date: dt.date,
        line: str,
        **fields: Any,
    ) -> Entry:
        """Post an approval (经费批复): ``fund`` approves ``amount_fen`` on grant line
        ``line`` for ``project``. Moves no money."""
        return self.record(
            EntryKind.APPROVAL, fund, project, amount_fen, date=date, line=line, **fields
        )

    def grant(
        self,
        fund: str,
        project: str,
        amount_fen: int,
        *,
        date: dt.date,
        line: str,
        **fields: Any,
    ) -> Entry:
        """Post a grant paid in advance (资助拨款) from ``fund`` to ``project`` on an
        approved line."""
        return self.record(
            EntryKind.GRANT, fund, project, amount_fen, date=date, line=line, **fields
        )

    def transfer(
        self, source: str, target: str, amount_fen: int, *, date: dt.date, **fields: Any
    ) -> Entry:
        """Post a transfer (划拨) between funds and projects."""
        return self.record(EntryKind.TRANSFER, source, target, amount_fen, date=date, **fields)

    def spend(
        self,
        source: str,
        target: str,
        amount_fen: int,
        *,
        date: dt.date,
        receipt: str,
        **fields: Any,
    ) -> Entry:
        """Post an expense (支出) from a fund or project to an expense or outside
        account, with its receipt reference."""
        return self.record(
            EntryKind.EXPENSE,
            source,
            target,
            amount_fen,
            date=date,
            receipt=receipt,
            **fields,
        )

    def reimburse(
        self,
        fund: str,
        payee: str,
        amount_fen: int,
        *,
        date: dt.date,
        line: str,
        receipt: str,
        **fields: Any,
    ) -> Entry:
        """Post a reimbursement (报销) from ``fund`` to ``payee`` (the project, or the
        outside party who advanced the money: then give ``project=``) against an
        approved line and a receipt."""
        return self.record(
            EntryKind.REIMBURSEMENT,
            fund,
            payee,
            amount_fen,
            date=date,
            line=line,
            receipt=receipt,
            **fields,
        )

    def reverse(
        self,
        entry_id: str,
        *,
        date: dt.date,
        id: str | None = None,
        memo: str = "",
        receipt: str = "",
    ) -> Entry:
        """Post the reversal (冲销) of an entry: the same amount moved back (or, for an
        approval, withdrawn), with the original's line, project and tags.

        Raises
        ------
        EntryRefused
            No such entry, it is a reversal or already reversed, or undoing it would
            take an account below zero (or an approval below what was paid on it).
        """
        original = self._entries[self._index[entry_id]] if entry_id in self._index else None
        if original is None:
            where = f"entry {id or self.next_id()!r} ({date.isoformat()}, reversal)"
            raise EntryRefused(
                [
                    Problem(
                        f"{where}.reverses",
                        f"no entry {entry_id!r} in the ledger",
                        "check the ID in the journal",
                    )
                ]
            )
        return self.record(
            EntryKind.REVERSAL,
            original.target,
            original.source,
            original.amount_fen,
            date=date,
            id=id,
            line=original.line,
            project=original.project,
            receipt=receipt,
            memo=memo or f"reverses {entry_id}",
            tags=original.tags,
            reverses=entry_id,
        )

    # -- checks

    def _examine(self, entry: Entry) -> tuple[Entry, list[Problem]]:
        where = f"entry {entry.id!r} ({entry.date.isoformat()}, {entry.kind.value})"
        problems: list[Problem] = []

        def add(field: str, message: str, hint: str = "") -> None:
            problems.append(Problem(f"{where}.{field}" if field else where, message, hint))

        if entry.id in self._index:
            add(
                "id",
                f"ID {entry.id!r} is already in the ledger",
                "give every entry its own ID; to correct an entry, reverse it and post "
                "the right one",
            )
        if self._last is not None and entry.date < self._last:
            add(
                "date",
                f"{entry.date} is before the last entry's date {self._last}",
                "the ledger is written in date order: book a late receipt on the day it "
                "is entered and give the receipt's date in the memo",
            )
        src = self._accounts.get(entry.source)
        tgt = self._accounts.get(entry.target)
        for field, acc_id, acc in (("source", entry.source, src), ("target", entry.target, tgt)):
            if acc is None:
                add(field, f"no account {acc_id!r}", self._hint_for(acc_id, "open it first"))
        if entry.source == entry.target:
            add(
                "target",
                "the source and the target are the same account",
                "money moves between two different accounts",
            )
        if src is None or tgt is None or problems:
            return entry, problems
        if entry.kind is EntryKind.REVERSAL:
            return self._examine_reversal(entry, src, add, problems)
        if entry.reverses is not None:
            add(
                "reverses",
                "only a reversal names an entry it reverses",
                "post kind='reversal', or leave `reverses` empty",
            )
        kind = entry.kind
        sources, targets = KIND_RULES[kind]
        for field, acc, allowed in (("source", src, sources), ("target", tgt, targets)):
            if acc.kind not in allowed:
                wanted = " or ".join(sorted(k.label() for k in allowed))
                side = "come from" if field == "source" else "go to"
                add(
                    field,
                    f"a {kind.value} cannot {side} {acc.kind.label()} account {acc.id!r}",
                    f"a {kind.value} must {side} a {wanted} account",
                )
        project = self._project_of(entry, src, tgt, add)
        if kind in _NEEDS_RECEIPT and not entry.receipt.strip():
            add(
                "receipt",
                f"a {kind.value} needs a receipt reference",
                "give the receipt (发票 / 收据) number so the bookkeeper can find it",
            )
        if kind in _NEEDS_LINE:
            if entry.line is None:
                add("line", f"a {kind.value} names its grant line", "e.g. line='incubation-2019'")
            if project is None:
                add(
                    "project",
                    f"a {kind.value} names the project it is for",
                    "set `project` to the project's account ID",
                )
        if kind in _PAYOUTS and entry.line is not None and project is not None and not problems:
            key = (project, entry.line)
            approvers = self._approvers.get(key)
            approved, paid = self._approved.get(key, 0), self._paid.get(key, 0)
            if approvers is None:
                add(
                    "line",
                    f"no grant line {entry.line!r} is approved for project {project!r}",
                    "have the fund approve the line first (Ledger.approve), then pay on it",
                )
            elif src.id not in approvers:
                add(
                    "source",
                    f"line {entry.line!r} of project {project!r} was approved by "
                    f"{', '.join(map(repr, approvers))}, not by {src.id!r}",
                    "pay from the fund that approved the line",
                )
            elif paid + entry.amount_fen > approved:
                add(
                    "amount_fen",
                    f"{kind.value} of {_fmt(entry.amount_fen)} would bring the paid on line "
                    f"{entry.line!r} of project {project!r} to {_fmt(paid + entry.amount_fen)}, "
                    f"above the approved {_fmt(approved)} (left: {_fmt(approved - paid)})",
                    "claim at most what is left, or have the fund approve more first",
                )
        if kind.moves_money:
            self._check_funds(src, entry.amount_fen, add)
        stored = entry if project == entry.project else attrs.evolve(entry, project=project)
        return stored, problems

    def _project_of(
        self, entry: Entry, src: Account, tgt: Account, add: Callable[[str, str, str], None]
    ) -> str | None:
        sides = [a.id for a in (src, tgt) if a.kind is AccountKind.PROJECT]
        if entry.project is None:
            return sides[0] if len(sides) == 1 else None
        acc = self._accounts.get(entry.project)
        if acc is None:
            add(
                "project",
                f"no account {entry.project!r}",
                self._hint_for(entry.project, "name a project account"),
            )
        elif acc.kind is not AccountKind.PROJECT:
            add(
                "project",
                f"{entry.project!r} is a {acc.kind.label()} account, not a project",
                "name a project account",
            )
        elif sides and entry.project not in sides:
            add(
                "project",
                f"the entry moves the money of project {sides[0]!r} but names "
                f"project {entry.project!r}",
                "leave `project` empty",
            )
        return entry.project

    def _check_funds(
        self, payer: Account, amount: int, add: Callable[[str, str, str], None]
    ) -> None:
        held = self._balance[payer.id]
        if not payer.may_go_negative and held - amount < 0:
            add(
                "amount_fen",
                f"{payer.id!r} holds {_fmt(held)}; paying {_fmt(amount)} would leave it at "
                f"{_fmt(held - amount)}",
                "an account may not go below zero: bring money in first, or pay less",
            )

    def _examine_reversal(
        self,
        entry: Entry,
        src: Account,
        add: Callable[[str, str, str], None],
        problems: list[Problem],
    ) -> tuple[Entry, list[Problem]]:
        if entry.reverses is None:
            add(
                "reverses",
                "a reversal names the entry it undoes",
                "use Ledger.reverse(entry_id, date=…)",
            )
            return entry, problems
        if entry.reverses not in self._index:
            add(
                "reverses",
                f"no entry {entry.reverses!r} in the ledger",
                "check the ID in the journal",
            )
            return entry, problems
        original = self._entries[self._index[entry.reverses]]
        if original.kind is EntryKind.REVERSAL:
            add(
                "reverses",
                f"{original.id!r} is itself a reversal",
                "post the original entry again instead of reversing its reversal",
            )
            return entry, problems
        if original.id in self._reversed_by:
            add(
                "reverses",
                f"{original.id!r} was already reversed by {self._reversed_by[original.id]!r}",
                "an entry is reversed once",
            )
            return entry, problems
        if (entry.source, entry.target) != (original.target, original.source):
            add(
                "source",
                f"a reversal of {original.id!r} moves money from "
                f"{original.target!r} back to {original.source!r}",
                "use Ledger.reverse(), which fills these in",
            )
        if entry.amount_fen != original.amount_fen:
            add(
                "amount_fen",
                f"must equal the reversed entry's {_fmt(original.amount_fen)}",
                "to correct an amount, reverse the entry and post the right one",
            )
        filled: dict[str, Any] = {}
        for field, empty in (("line", None), ("project", None), ("tags", ())):
            mine, theirs = getattr(entry, field), getattr(original, field)
            if mine == empty:
                filled[field] = theirs
            elif mine != theirs:
                add(
                    field,
                    f"is {mine!r} but the reversed entry's is {theirs!r}",
                    "leave it empty to copy the reversed entry's",
                )
        if problems:
            return entry, problems
        if original.kind is EntryKind.APPROVAL:
            key = (str(original.project), str(original.line))
            approved, paid = self._approved[key], self._paid.get(key, 0)
            if approved - entry.amount_fen < paid:
                add(
                    "reverses",
                    f"withdrawing approval {original.id!r} would leave line "
                    f"{original.line!r} of project {original.project!r} approved at "
                    f"{_fmt(approved - entry.amount_fen)}, below the {_fmt(paid)} already paid",
                    "reverse the payments on the line first",
                )
        else:
            self._check_funds(src, entry.amount_fen, add)
        return attrs.evolve(entry, **filled) if filled else entry, problems

    # -- applying (cannot fail)

    def _apply(self, entry: Entry) -> None:
        self._index[entry.id] = len(self._entries)
        self._entries.append(entry)
        self._last = entry.date
        amount = entry.amount_fen
        kind = entry.kind
        sign = 1
        if kind is EntryKind.REVERSAL:
            original = self._entries[self._index[str(entry.reverses)]]
            self._reversed_by[original.id] = entry.id
            kind, sign = original.kind, -1
        if kind is EntryKind.APPROVAL:
            key = (str(entry.project), str(entry.line))
            self._approved[key] = self._approved.get(key, 0) + sign * amount
            approvers = self._approvers.setdefault(key, [])
            if sign == 1 and entry.source not in approvers:
                approvers.append(entry.source)
            return
        if kind in _PAYOUTS:
            key = (str(entry.project), str(entry.line))
            self._paid[key] = self._paid.get(key, 0) + sign * amount
        day = entry.date.toordinal()
        self._move(entry.source, -amount, day)
        self._move(entry.target, amount, day)

    def _move(self, account: str, delta: int, day: int) -> None:
        balance = self._balance[account] + delta
        self._balance[account] = balance
        dates, cum = self._dates[account], self._cum[account]
        if dates and dates[-1] == day:
            cum[-1] = balance
        else:
            dates.append(day)
            cum.append(balance)

    # ------------------------------------------------------------------ queries

    def balance(
        self,
        account: str,
        as_of: dt.date | None = None,
        *,
        include_children: bool = False,
        at: Any = UNSET,
    ) -> int:
        """The balance of an account in fen at the end of ``as_of`` (default: now).

        Parameters
        ----------
        account : str
            An account ID.
        as_of : datetime.date, optional
            The day; entries dated that day count. ``at=`` is its deprecated old name.
        include_children : bool, default False
            Add the balances of every account under this one.

        Returns
        -------
        int

        Notes
        -----
        Each account keeps the days its balance changed and the running balance after
        each, so a balance at a date is a binary search: :math:`O(\\log n)` for an
        account with :math:`n` changes, instead of a scan of the whole journal.
        """
        as_of = renamed("Ledger.balance", "at", at, "as_of", as_of)
        self.account(account)
        ids = self.family(account) if include_children else [account]
        return sum(self._balance_at(acc, as_of) for acc in ids)

    def _balance_at(self, account: str, at: dt.date | None) -> int:
        if at is None:
            return self._balance[account]
        i = bisect.bisect_right(self._dates[account], at.toordinal())
        return self._cum[account][i - 1] if i else 0

    def balances(self, as_of: dt.date | None = None, *, at: Any = UNSET) -> dict[str, int]:
        """Every account's balance at the end of ``as_of`` (default: now), in opening
        order. They add up to zero. (``at=`` is the deprecated old name of ``as_of``.)"""
        as_of = renamed("Ledger.balances", "at", at, "as_of", as_of)
        return {acc: self._balance_at(acc, as_of) for acc in self._accounts}

    def grant_lines(
        self, project: str | None = None, *, as_of: dt.date | None = None, at: Any = UNSET
    ) -> list[GrantLine]:
        """The grant lines (approved, paid, undrawn), of one project or all, as of the
        end of ``as_of`` (default: now), sorted by project and line. (``at=`` is the
        deprecated old name of ``as_of``.)"""
        at = renamed("Ledger.grant_lines", "at", at, "as_of", as_of)
        if project is not None:
            self.account(project)
        if at is None:
            approved, paid, approvers = self._approved, self._paid, self._approvers
        else:
            approved, paid, approvers = _lines_until(self._entries, self._index, at)
        return [
            GrantLine(
                project=key[0],
                line=key[1],
                funds=tuple(approvers[key]),
                approved_fen=approved[key],
                paid_fen=paid.get(key, 0),
            )
            for key in sorted(approvers)
            if project is None or key[0] == project
        ]

    def history(
        self,
        accounts: Iterable[str] | None = None,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        include_children: bool = False,
    ) -> BalanceHistory:
        """Balances of some accounts (default: the funds and projects) at every date
        one of them changed between ``start`` and ``end``, plus those two dates.

        Returns
        -------
        BalanceHistory
        """
        ids = (
            [a.id for a in self._accounts.values() if a.kind.internal]
            if accounts is None
            else list(accounts)
        )
        groups = {
            acc: (self.family(acc) if include_children else [self.account(acc).id]) for acc in ids
        }
        days: set[int] = set()
        for members in groups.values():
            for acc in members:
                days.update(self._dates[acc])
        lo = start.toordinal() if start is not None else None
        hi = end.toordinal() if end is not None else None
        chosen = sorted(d for d in days if (lo is None or d >= lo) and (hi is None or d <= hi))
        if lo is not None and (not chosen or chosen[0] != lo):
            chosen.insert(0, lo)
        if hi is not None and (not chosen or chosen[-1] != hi):
            chosen.append(hi)
        dates = tuple(dt.date.fromordinal(d) for d in chosen)
        balances = tuple(
            tuple(sum(self._balance_at(acc, day) for acc in groups[a]) for day in dates)
            for a in ids
        )
        return BalanceHistory(
            accounts=tuple(ids),
            labels=tuple(self._accounts[a].name for a in ids),
            labels_zh=tuple(self._accounts[a].display("zh") for a in ids),
            dates=dates,
            balances=balances,
            include_children=include_children,
        )

    def statement(
        self, account: str, *, start: dt.date | None = None, end: dt.date | None = None
    ) -> Statement:
        """The statement of an account (a project's, usually) from ``start`` to
        ``end``: opening balance, every entry with the running balance, closing
        balance, and its grant lines.

        Entries for a project that move money between other accounts (a reimbursement
        paid to the resident who advanced the money, a donation earmarked for the
        project at its micro-fund) are listed with ``on_behalf=True`` and no effect on
        the balance.

        Returns
        -------
        Statement
        """
        acc = self.account(account)
        before = start - dt.timedelta(days=1) if start is not None else None
        opening = self._balance_at(account, before) if before is not None else 0
        balance = opening
        lines: list[StatementLine] = []
        for entry in self._entries:
            if (start is not None and entry.date < start) or (end is not None and entry.date > end):
                continue
            if entry.kind is EntryKind.APPROVAL or (
                entry.kind is EntryKind.REVERSAL and self._is_approval(entry)
            ):
                continue
            if account in (entry.source, entry.target):
                out_fen = entry.amount_fen if entry.source == account else 0
                in_fen = entry.amount_fen if entry.target == account else 0
                balance += in_fen - out_fen
                other = entry.target if entry.source == account else entry.source
                lines.append(
                    StatementLine(
                        entry=entry,
                        counterparty=other,
                        in_fen=in_fen,
                        out_fen=out_fen,
                        balance_fen=balance,
                        on_behalf=False,
                    )
                )
            elif entry.project == account:
                lines.append(
                    StatementLine(
                        entry=entry,
                        counterparty=f"{entry.source} → {entry.target}",
                        in_fen=0,
                        out_fen=0,
                        balance_fen=balance,
                        on_behalf=True,
                    )
                )
        closing = self._balance_at(account, end)
        return Statement(
            account=acc,
            start=start,
            end=end,
            opening_fen=opening,
            closing_fen=closing,
            lines=tuple(lines),
            grant_lines=tuple(self.grant_lines(account, as_of=end))
            if acc.kind is AccountKind.PROJECT
            else (),
            history=self.history([account], start=start, end=end),
        )

    def _is_approval(self, entry: Entry) -> bool:
        original = self._entries[self._index[str(entry.reverses)]]
        return original.kind is EntryKind.APPROVAL

    def report(
        self,
        fund: str,
        *,
        by: Literal["tag", "line", "kind", "project", "counterparty"] = "tag",
        start: dt.date | None = None,
        end: dt.date | None = None,
        include_children: bool = True,
    ) -> FundReport:
        """Money in and out of a fund, grouped by tag (theme …), grant line, kind of
        entry, project or counterparty.

        Parameters
        ----------
        fund : str
            An account ID (usually a fund's).
        by : {"tag", "line", "kind", "project", "counterparty"}
            The key to group by. Entries without one count under ``"(none)"``.
        start, end : datetime.date, optional
            The period (inclusive).
        include_children : bool, default True
            Report on the fund together with the accounts under it (money moving
            between them is internal and not counted).

        Returns
        -------
        FundReport

        Raises
        ------
        ValidationError
            Unknown account or key.
        """
        keys: dict[str, Callable[[Entry, Entry, str], list[str]]] = {
            "tag": lambda e, _o, _c: list(e.tags) or [_NONE],
            "line": lambda e, _o, _c: [e.line or _NONE],
            "kind": lambda _e, o, _c: [o.kind.value],
            "project": lambda e, _o, _c: [e.project or _NONE],
            "counterparty": lambda _e, _o, c: [c],
        }
        if by not in keys:
            raise ValidationError(
                [Problem("by", f"unknown key {by!r}", f"use one of: {', '.join(keys)}")]
            )
        acc = self.account(fund)
        members = self.family(fund) if include_children else [fund]
        group = set(members)
        key_of = keys[by]
        sums: dict[str, list[int]] = {}
        total_in = total_out = 0
        for entry in self._entries:
            if (start is not None and entry.date < start) or (end is not None and entry.date > end):
                continue
            original, sign = entry, 1
            if entry.kind is EntryKind.REVERSAL:
                original, sign = self._entries[self._index[str(entry.reverses)]], -1
            if not original.kind.moves_money:
                continue
            inside_src, inside_tgt = original.source in group, original.target in group
            if inside_src == inside_tgt:
                continue
            column = 1 if inside_src else 0  # 0: in, 1: out
            counterparty = original.target if inside_src else original.source
            amount = sign * entry.amount_fen
            if column:
                total_out += amount
            else:
                total_in += amount
            for key in key_of(entry, original, counterparty):
                row = sums.setdefault(key, [0, 0, 0])
                row[column] += amount
                row[2] += 1
        before = start - dt.timedelta(days=1) if start is not None else None
        opening = sum(self._balance_at(a, before) for a in members) if before else 0
        closing = sum(self._balance_at(a, end) for a in members)
        rows = tuple(
            ReportRow(key=k, in_fen=v[0], out_fen=v[1], entries=v[2])
            for k, v in sorted(sums.items(), key=lambda kv: (kv[0] == _NONE, kv[0]))
        )
        return FundReport(
            fund=acc,
            accounts=tuple(members),
            by=by,
            start=start,
            end=end,
            opening_fen=opening,
            closing_fen=closing,
            in_fen=total_in,
            out_fen=total_out,
            rows=rows,
        )

    # ------------------------------------------------------------------ graph

    def check(self, graph: CommunityGraph) -> list[Problem]:
        """Every problem linking the accounts to the entities of ``graph`` (empty if
        none); changes nothing.

        Checks that each owner is in the graph and of the right kind (a fund account
        belongs to an organisation with ``org_kind=OrgKind.FUND``, a project account to
        a :class:`~vchuang.model.Project`); that a fund's parent account belongs to the
        organisation's parent; that a project sits under a micro-fund of its own
        community; and that no account owned by a minor carries the child's name.

        Parameters
        ----------
        graph : CommunityGraph

        Returns
        -------
        list of Problem
        """
        problems: list[Problem] = []
        for acc in self._accounts.values():
            account, owner = repr(acc.id), repr(acc.owner)
            if acc.owner is None:
                if acc.kind in FUND_KINDS or acc.kind is AccountKind.PROJECT:
                    problems.append(
                        Problem.said(
                            "",
                            "funding.check.no_owner",
                            "funding.check.hint_no_owner",
                            path_key="funding.check.at.owner",
                            account=account,
                            kind=Words(acc.kind.label(), acc.kind.label("zh")),
                        )
                    )
                continue
            if acc.owner not in graph:
                problems.append(
                    Problem.said(
                        "",
                        "funding.check.unknown_owner",
                        "funding.check.hint_unknown_owner",
                        path_key="funding.check.at.owner",
                        account=account,
                        owner=owner,
                    )
                )
                continue
            record = graph[acc.owner]
            if acc.kind in FUND_KINDS:
                if not isinstance(record, Organization) or record.org_kind is not OrgKind.FUND:
                    problems.append(
                        Problem.said(
                            "",
                            "funding.check.not_fund",
                            "funding.check.hint_not_fund",
                            path_key="funding.check.at.owner",
                            account=account,
                            owner=owner,
                        )
                    )
                    continue
                self._check_fund_parent(acc, record, problems)
            elif acc.kind is AccountKind.PROJECT:
                if not isinstance(record, Project):
                    problems.append(
                        Problem.said(
                            "",
                            "funding.check.not_project",
                            "funding.check.hint_not_project",
                            path_key="funding.check.at.owner",
                            account=account,
                            owner=owner,
                            kind=Words(record.kind, say(f"model.kind.{record.kind}", "zh")),
                        )
                    )
                    continue
                self._check_project_parent(acc, record, graph, problems)
            elif isinstance(record, Resident) and is_minor(record, data_date(graph)):
                names = {record.name.casefold()}
                if any(n.casefold() in names for n in (acc.name, acc.name_zh) if n):
                    problems.append(
                        Problem.said(
                            "",
                            "funding.check.minor_name",
                            "funding.check.hint_minor_name",
                            path_key="funding.check.at.name",
                            account=account,
                        )
                    )
        return problems

    def _check_fund_parent(self, acc: Account, org: Organization, problems: list[Problem]) -> None:
        if org.parent is None:
            return
        parent_account = self.account_of(org.parent)
        if parent_account is not None and acc.parent != parent_account.id:
            problems.append(
                Problem.said(
                    "",
                    "funding.check.fund_parent",
                    "funding.check.hint_fund_parent",
                    path_key="funding.check.at.parent",
                    account=repr(acc.id),
                    parent=repr(acc.parent),
                    org=repr(org.id),
                    org_parent=repr(org.parent),
                    parent_account=repr(parent_account.id),
                )
            )

    def _check_project_parent(
        self, acc: Account, project: Project, graph: CommunityGraph, problems: list[Problem]
    ) -> None:
        if acc.parent is None:
            return
        parent = self._accounts[acc.parent]
        if (
            parent.kind is not AccountKind.MICRO_FUND
            or parent.owner is None
            or parent.owner not in graph
        ):
            return
        org = graph[parent.owner]
        if isinstance(org, Organization) and org.place != project.community:
            problems.append(
                Problem.said(
                    "",
                    "funding.check.project_parent",
                    "funding.check.hint_project_parent",
                    path_key="funding.check.at.parent",
                    account=repr(acc.id),
                    project=repr(project.id),
                    community=repr(project.community),
                    place=repr(org.place),
                )
            )

    # ------------------------------------------------------------------ storage

    def to_dict(self) -> dict[str, Any]:
        """The ledger as a JSON-ready dict (see :func:`vchuang.funding.ledger_to_dict`)."""
        from ._io import ledger_to_dict

        return ledger_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ledger:
        """A ledger from :meth:`to_dict`'s form, every entry checked again (see
        :func:`vchuang.funding.ledger_from_dict`)."""
        from ._io import ledger_from_dict

        return ledger_from_dict(data)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the ledger as JSON, atomically (see :func:`vchuang.funding.save_ledger`)."""
        from ._io import save_ledger

        save_ledger(self, path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Ledger:
        """Read a ledger written by :meth:`save` (see :func:`vchuang.funding.load_ledger`)."""
        from ._io import load_ledger

        return load_ledger(path)

    def to_csv(
        self, path: str | os.PathLike[str], *, accounts_path: str | os.PathLike[str] | None = None
    ) -> None:
        """Write the journal (and, optionally, the accounts) as CSV for a bookkeeper
        (see :func:`vchuang.funding.write_csv`)."""
        from ._io import write_accounts_csv, write_csv

        write_csv(self, path)
        if accounts_path is not None:
            write_accounts_csv(self.accounts.values(), accounts_path)

    def journal_rows(self) -> list[dict[str, str]]:
        """The journal as rows of text, as in the CSV (amounts in yuan)."""
        from ._io import journal_rows

        return journal_rows(self)


class _EntriesView(Sequence[Entry]):
    """A read-only view of the journal's list."""

    __slots__ = ("_items",)

    def __init__(self, items: list[Entry]) -> None:
        self._items = items

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return tuple(self._items[i])
        return self._items[i]

    def __repr__(self) -> str:
        return f"<{len(self._items)} entries>"


def _lines_until(
    entries: list[Entry], index: Mapping[str, int], at: dt.date
) -> tuple[
    dict[tuple[str, str], int], dict[tuple[str, str], int], dict[tuple[str, str], list[str]]
]:
    approved: dict[tuple[str, str], int] = {}
    paid: dict[tuple[str, str], int] = {}
    approvers: dict[tuple[str, str], list[str]] = {}
    for entry in entries:
        if entry.date > at:
            break
        kind, sign = entry.kind, 1
        if kind is EntryKind.REVERSAL:
            kind, sign = entries[index[str(entry.reverses)]].kind, -1
        if kind is EntryKind.APPROVAL:
            key = (str(entry.project), str(entry.line))
            approved[key] = approved.get(key, 0) + sign * entry.amount_fen
            names = approvers.setdefault(key, [])
            if sign == 1 and entry.source not in names:
                names.append(entry.source)
        elif kind in _PAYOUTS:
            key = (str(entry.project), str(entry.line))
            paid[key] = paid.get(key, 0) + sign * entry.amount_fen
    return approved, paid, approvers
