"""The micro-fund ledger of the Longgang pilot, 2019 (private; see
:func:`vchuang.datasets.longgang_ledger`).

Which figures come from the dataset and which are invented is stated in the public
function's docstring. Every amount is whole fen; the same seed gives the same ledger.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import Project, ResourceKind, Stage

if TYPE_CHECKING:
    from ..funding import Ledger
    from ..graph import CommunityGraph

__all__ = ["build_longgang_ledger"]

SEED = 2019
_END = dt.date(2019, 12, 31)
_INCUBATING = frozenset(
    {
        Stage.EMPOWERMENT,
        Stage.BRANDING,
        Stage.RESOURCE_LINKAGE,
        Stage.RUNNING,
        Stage.COMPLETED,
        Stage.SUSTAINED,
    }
)


def _month_days(start: dt.date, day: int) -> list[dt.date]:
    """The ``day`` of every month after ``start`` up to the end of 2019."""
    out = []
    month = start.month + 1
    while month <= 12:
        out.append(dt.date(start.year, month, day))
        month += 1
    return out


def _split(total: int, parts: int, rng: np.random.Generator) -> list[int]:
    """``total`` fen in ``parts`` random whole-fen shares that add up exactly."""
    weights = rng.uniform(0.6, 1.4, parts)
    shares = np.floor(total * weights / weights.sum()).astype(int)
    shares[-1] += total - int(shares.sum())
    return [int(x) for x in shares]


def build_longgang_ledger(graph: CommunityGraph) -> Ledger:
    """Build the ledger of the pilot's funds and projects (see ``longgang_ledger``)."""
    from ..funding import Ledger

    rng = np.random.default_rng(SEED)
    ledger = Ledger.from_graph(graph, name="Longgang pilot micro-funds, 2019")
    district = graph.districts()[0].id
    hub = graph.organizations(district, org_kind="hub")[0]
    money = {r.provider: r for r in graph.resources(resource_kind=ResourceKind.MONEY)}
    seed = money[hub.id]
    accounts = ledger.accounts
    district_fund = next(a.id for a in accounts.values() if a.kind.value == "district_fund")
    ledger.add_account(hub.id, hub.name, "outside", name_zh=hub.name_zh, owner=hub.id)
    for code, en, zh in (
        ("printing", "Printing", "印刷费"),
        ("materials", "Materials", "物资费"),
        ("events", "Event costs", "活动费"),
    ):
        ledger.add_account(code, en, "expense", name_zh=zh)
    micro_funds: dict[str, str] = {}
    for community in graph.communities():
        donors = f"{community.id}-donors"
        ledger.add_account(
            donors,
            f"{community.name} residents (donors)",
            "outside",
            name_zh=f"{community.name_zh}居民（捐赠人）",
            owner=community.id,
        )
        fund = next(
            a.id
            for a in accounts.values()
            if a.kind.value == "micro_fund" and a.owner and graph.place_of(a.owner) == community.id
        )
        micro_funds[community.id] = fund

    events: list[tuple[dt.date, int, str, dict[str, Any]]] = []

    def add(day: dt.date, method: str, **fields: Any) -> None:
        events.append((day, len(events), method, fields))

    # The incubator's seed money enters the district fund and goes down to the branches.
    add(
        dt.date(2019, 7, 15),
        "donate",
        source=hub.id,
        target=district_fund,
        amount_fen=seed.amount_fen or 0,
        memo=seed.name_zh or seed.name,
    )
    incubated: list[Project] = [
        p for p in graph.projects() if p.stage in _INCUBATING and p.started is not None
    ]
    # incubation money goes as far as the seed money does: budgets are scaled to fit it
    asked = sum(p.budget_fen for p in incubated)
    seed_fen = seed.amount_fen or 0
    scale = min(1.0, seed_fen / asked) if asked else 1.0
    for project in incubated:
        if project.started is None:  # pragma: no cover - filtered just above
            continue
        grant = int(project.budget_fen * scale) // 100 * 100
        branch = accounts[micro_funds[project.community]].parent
        if branch is None:  # pragma: no cover - every pilot micro-fund has a branch
            continue
        theme = project.themes[0] if project.themes else "general"
        line = f"seed-{project.id}"
        start = max(project.started, dt.date(2019, 7, 20))
        add(start, "transfer", source=district_fund, target=branch, amount_fen=grant)
        add(
            start,
            "approve",
            fund=branch,
            project=project.id,
            amount_fen=grant,
            line=line,
            tags=["incubation", theme],
        )
        first = grant // 2
        add(
            start,
            "grant",
            fund=branch,
            project=project.id,
            amount_fen=first,
            line=line,
            tags=[theme],
        )
        later = start + dt.timedelta(days=61)
        if later <= _END:
            add(
                later,
                "grant",
                fund=branch,
                project=project.id,
                amount_fen=grant - first,
                line=line,
                tags=[theme],
            )
        # spending: about a sixth of the budget a month, invented
        for i, day in enumerate(_month_days(start, 20)):
            amount = int(grant / 6 * rng.uniform(0.6, 1.3)) // 100 * 100
            kind = ("printing", "materials", "events")[i % 3]
            add(
                day,
                "spend",
                source=project.id,
                target=kind,
                amount_fen=amount,
                receipt=f"FP-{project.id}-{day:%m%d}",
                tags=[theme],
            )
    # Residents give to their micro-fund (the 2019 totals are the dataset's) ...
    for community in graph.communities():
        fund = micro_funds[community.id]
        raised = money.get(fund)
        if raised is None or not raised.amount_fen:
            continue
        days = [dt.date(2019, m, d) for m, d in ((9, 21), (10, 19), (11, 16), (12, 14))]
        for day, amount in zip(days, _split(raised.amount_fen, len(days), rng), strict=True):
            add(day, "donate", source=f"{community.id}-donors", target=fund, amount_fen=amount)
        # ... and the micro-fund tops up its running projects in December (invented).
        running = [p for p in incubated if p.community == community.id and p.stage is Stage.RUNNING]
        if running:
            share = raised.amount_fen * 2 // 5 // len(running) // 100 * 100
            for project in running:
                add(
                    dt.date(2019, 12, 20),
                    "transfer",
                    source=fund,
                    target=project.id,
                    amount_fen=share,
                    tags=["micro_fund"],
                )
    events.sort(key=lambda e: (e[0], e[1]))
    for day, _, method, fields in events:
        if method == "spend":
            # a project never spends more than it holds
            fields["amount_fen"] = min(
                fields["amount_fen"], ledger.balance(fields["source"], as_of=day)
            )
            if fields["amount_fen"] <= 0:
                continue
        getattr(ledger, method)(date=day, **fields)
    return ledger
