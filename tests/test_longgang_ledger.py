"""The pilot's micro-fund ledger agrees with the pilot graph."""

from __future__ import annotations

import datetime as dt

from vchuang import datasets
from vchuang.funding import EntryKind, ledger_from_dict, ledger_to_dict


def test_ledger_belongs_to_the_pilot_and_keeps_its_figures() -> None:
    graph = datasets.longgang_pilot()
    ledger = datasets.longgang_ledger(graph)
    assert ledger.check(graph) == []
    # money is conserved: what came in from outside is what the funds hold plus spending
    assert sum(ledger.balance(a) for a in ledger.accounts) == 0
    raised = {r.provider: r.amount_fen for r in graph.resources(resource_kind="money")}
    for fund, amount in raised.items():
        if fund in ledger.accounts and ledger.accounts[fund].kind.value == "micro_fund":
            donated = sum(
                e.amount_fen
                for e in ledger.entries
                if e.kind is EntryKind.DONATION and e.target == fund
            )
            assert donated == amount
    assert max(e.date for e in ledger.entries) <= dt.date(2019, 12, 31)
    assert ledger_to_dict(ledger_from_dict(ledger_to_dict(ledger))) == ledger_to_dict(ledger)


def test_ledger_is_the_same_every_time() -> None:
    assert ledger_to_dict(datasets.longgang_ledger()) == ledger_to_dict(datasets.longgang_ledger())
