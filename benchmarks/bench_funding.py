"""Benchmark: balance-at-a-date queries of vchuang.funding.Ledger against full scans.

The ledger keeps, for each account, the days its balance changed and the running
balance after each, so ``ledger.balance(account, as_of=day)`` is a binary search. The
baselines answer the same queries by scanning the whole journal: once in plain Python
(what a spreadsheet-minded script does) and once vectorised with NumPy (arrays of
dates, accounts and amounts prepared beforehand). All three must agree.

Usage::

    python benchmarks/bench_funding.py            # 1,000,000 entries
    python benchmarks/bench_funding.py --quick    # 20,000 entries, a few seconds
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Sequence

import numpy as np

from vchuang.funding import Account, EntryKind, Ledger


def build(n_entries: int, n_projects: int, seed: int) -> tuple[Ledger, float]:
    """A ledger of ``n_entries`` accepted entries over three years, and the seconds
    posting took."""
    rng = np.random.default_rng(seed)
    ledger = Ledger(name="bench")
    ledger.open(Account(id="fund", name="District fund", kind="district_fund"))
    ledger.open(Account(id="donors", name="Donors", kind="outside"))
    ledger.open(Account(id="costs", name="Costs", kind="expense"))
    projects = [f"p{i:04d}" for i in range(n_projects)]
    for p in projects:
        ledger.open(Account(id=p, name=p, kind="project", parent="fund"))
    held = dict.fromkeys(projects, 0)
    start = dt.date(2019, 1, 1).toordinal()
    span = 3 * 365
    picks = rng.integers(0, n_projects, size=n_entries)
    amounts = rng.integers(100, 50_000, size=n_entries)
    began = time.perf_counter()
    for i in range(n_entries):
        p = projects[picks[i]]
        amount = int(amounts[i])
        day = dt.date.fromordinal(start + i * span // n_entries)
        if held[p] >= amount:
            ledger.record(EntryKind.EXPENSE, p, "costs", amount, date=day, receipt="R")
            held[p] -= amount
        else:
            ledger.record(EntryKind.DONATION, "donors", p, amount, date=day)
            held[p] += amount
    return ledger, time.perf_counter() - began


def naive_balance(ledger: Ledger, account: str, day: dt.date) -> int:
    """The balance by a scan of the whole journal (the plain-Python baseline)."""
    total = 0
    for entry in ledger.entries:
        if entry.date <= day:
            if entry.target == account:
                total += entry.amount_fen
            elif entry.source == account:
                total -= entry.amount_fen
    return total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 entries")
    parser.add_argument("--entries", type=int, default=None)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    n = args.entries or (20_000 if args.quick else 1_000_000)
    n_projects = 200
    ledger, post_seconds = build(n, n_projects, args.seed)

    rng = np.random.default_rng(args.seed + 1)
    ids = list(ledger.accounts)
    first, last = ledger.entries[0].date.toordinal(), ledger.entries[-1].date.toordinal()
    queries = [
        (
            ids[int(rng.integers(0, len(ids)))],
            dt.date.fromordinal(int(rng.integers(first, last + 1))),
        )
        for _ in range(args.queries)
    ]
    n_naive = 5 if n > 100_000 else 50

    began = time.perf_counter()
    fast = [ledger.balance(acc, day) for acc, day in queries]
    t_fast = (time.perf_counter() - began) / len(queries)

    began = time.perf_counter()
    slow = [naive_balance(ledger, acc, day) for acc, day in queries[:n_naive]]
    t_slow = (time.perf_counter() - began) / n_naive

    position = {acc: i for i, acc in enumerate(ids)}
    entries = ledger.entries
    days = np.fromiter((e.date.toordinal() for e in entries), np.int64, len(entries))
    src = np.fromiter((position[e.source] for e in entries), np.int64, len(entries))
    tgt = np.fromiter((position[e.target] for e in entries), np.int64, len(entries))
    fen = np.fromiter((e.amount_fen for e in entries), np.int64, len(entries))
    n_vec = min(len(queries), 200)
    began = time.perf_counter()
    vec = []
    for acc, day in queries[:n_vec]:
        upto = days <= day.toordinal()
        k = position[acc]
        vec.append(int(fen[upto & (tgt == k)].sum() - fen[upto & (src == k)].sum()))
    t_vec = (time.perf_counter() - began) / n_vec

    same = fast[:n_naive] == slow and fast[:n_vec] == vec
    conserved = sum(ledger.balances().values()) == 0
    print(
        f"ledger: {len(ledger):,} entries, {len(ids)} accounts; "
        f"posting {len(ledger) / post_seconds:,.0f} entries/s ({post_seconds:.1f} s)"
    )
    print(f"{'method':<34}{'queries':>9}{'µs/query':>14}{'speed-up':>11}")
    for name, count, per in (
        ("naive scan (Python)", n_naive, t_slow),
        ("vectorised scan (NumPy)", n_vec, t_vec),
        ("Ledger.balance (binary search)", len(queries), t_fast),
    ):
        print(f"{name:<34}{count:>9,}{per * 1e6:>14,.1f}{t_slow / per:>10,.0f}×")
    print(
        f"same balances: {'yes' if same else 'NO'}; money conserved: {'yes' if conserved else 'NO'}"
    )
    return 0 if same and conserved else 1


if __name__ == "__main__":
    sys.exit(main())
