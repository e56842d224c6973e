"""Micro-funds (微基金) and the money of projects.

After incubation, a self-governance project lives on what its community raises: through
the street branch (街道分部) of the district charity fund, each community opens a
micro-fund, and community leaders raise money there for their projects. This module
keeps the books and asks whether the money will last.

- :class:`Ledger`: accounts (:class:`Account`) for the district fund, street branches,
  micro-funds, projects, outside parties and expenses, and an append-only,
  double-entry journal of :class:`Entry` records — donations, approvals, grants,
  transfers, expenses, reimbursements (经费申请报销) and reversals — in integer fen.
  Balances at any date, statements, reports by tag or grant line; every refused entry
  says why (:class:`EntryRefused`).
- :func:`sustainability`: burn rate, runway after incubation money ends and the chance
  of running dry within a horizon (:func:`ruin_curve`, a seeded Monte Carlo), and
  which projects need a micro-fund campaign first.
- CSV for a bookkeeper (:func:`write_csv`, :func:`read_csv`) and JSON for later
  reports (:func:`save_ledger`, :func:`load_ledger`).

Examples
--------
>>> import datetime as dt
>>> from vchuang.funding import Ledger, Account, yuan, format_yuan
>>> ledger = Ledger([
...     Account(id="mf", name="He'ao micro-fund", name_zh="荷坳社区微基金", kind="micro_fund"),
...     Account(id="patrol", name="Safety patrol", kind="project", parent="mf"),
...     Account(id="residents", name="Residents", kind="outside"),
... ])
>>> _ = ledger.donate("residents", "mf", yuan("2000"), date=dt.date(2020, 5, 1))
>>> _ = ledger.approve("mf", "patrol", yuan("1500"), date=dt.date(2020, 5, 8), line="mf-2020")
>>> _ = ledger.grant("mf", "patrol", yuan("1500"), date=dt.date(2020, 5, 8), line="mf-2020")
>>> format_yuan(ledger.balance("patrol"), symbol=True)
'¥1,500.00'
>>> ledger.balance("mf", include_children=True)
200000
"""

from __future__ import annotations

from ._io import (
    ACCOUNT_COLUMNS,
    JOURNAL_COLUMNS,
    LEDGER_FORMAT_VERSION,
    journal_rows,
    ledger_from_dict,
    ledger_to_dict,
    load_ledger,
    read_accounts_csv,
    read_csv,
    read_csv_text,
    save_ledger,
    write_accounts_csv,
    write_csv,
    write_csv_text,
)
from ._ledger import (
    BalanceHistory,
    EntryRefused,
    FundReport,
    GrantLine,
    Ledger,
    ReportRow,
    Statement,
    StatementLine,
)
from ._records import Account, AccountKind, Entry, EntryKind, format_yuan, yuan
from ._sustainability import ProjectOutlook, Sustainability, ruin_curve, sustainability

__all__ = [
    "ACCOUNT_COLUMNS",
    "JOURNAL_COLUMNS",
    "LEDGER_FORMAT_VERSION",
    "Account",
    "AccountKind",
    "BalanceHistory",
    "Entry",
    "EntryKind",
    "EntryRefused",
    "FundReport",
    "GrantLine",
    "Ledger",
    "ProjectOutlook",
    "ReportRow",
    "Statement",
    "StatementLine",
    "Sustainability",
    "format_yuan",
    "journal_rows",
    "ledger_from_dict",
    "ledger_to_dict",
    "load_ledger",
    "read_accounts_csv",
    "read_csv",
    "read_csv_text",
    "ruin_curve",
    "save_ledger",
    "sustainability",
    "write_accounts_csv",
    "write_csv",
    "write_csv_text",
    "yuan",
]


def __dir__() -> list[str]:
    return list(__all__)
