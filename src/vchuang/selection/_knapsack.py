"""Exact 0/1 knapsack with side constraints, by dynamic programming (private).

Items are taken in tie-breaking order. The states after each item are the Pareto front
of (cost, value) pairs — per *signature*, the part of the past that still constrains
the future: which "at most one of" sets are used up and how many items each quota
group holds. Values are whole numbers, so optimality is exact. Among sets of equal
value the cheaper wins, then the one holding the first item (in tie-breaking order) on
which the two differ: a total order that adding the same items to both sets keeps, so
pruning by it never loses the preferred optimum.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["KnapsackItem", "Quotas", "best_set"]


@attrs.frozen
class KnapsackItem:
    """An item: whole-number value and cost."""

    value: int
    cost: int


@attrs.frozen
class Quotas:
    """Side constraints over item positions.

    ``conflicts``: sets of which at most one may be chosen. ``groups``: for each quota,
    its members, minimum and maximum (``None``: no maximum) count.
    """

    conflicts: tuple[frozenset[int], ...] = ()
    groups: tuple[tuple[frozenset[int], int, int | None], ...] = ()


_State = tuple[int, int]  # (value, mask)


def best_set(
    items: Sequence[KnapsackItem],
    budget: int,
    *,
    quotas: Quotas | None = None,
    forced: int | None = None,
    allowed: Sequence[bool] | None = None,
) -> tuple[int, int, tuple[int, ...]] | None:
    """The best set of items within ``budget``: (value, cost, positions in order).

    Items are considered in the order given (that order breaks ties). ``forced`` must be
    in the set; items with ``allowed[i]`` false are left out. ``None`` when no set meets
    the constraints.
    """
    quotas = quotas or Quotas()
    m = len(items)
    conflicts = quotas.conflicts
    groups = quotas.groups
    last_conflict = [max(s) if s else -1 for s in conflicts]
    caps = [max(lo, hi + 1 if hi is not None else 0) for _, lo, hi in groups]
    item_conflicts = [tuple(c for c, s in enumerate(conflicts) if i in s) for i in range(m)]
    item_groups = [tuple(g for g, (s, _, _) in enumerate(groups) if i in s) for i in range(m)]

    def bit(i: int) -> int:
        return 1 << (m - 1 - i)

    # signature: (frozenset of used conflict sets, tuple of capped group counts)
    start_used: frozenset[int] = frozenset()
    start_counts = [0] * len(groups)
    start_cost, start_value, start_mask = 0, 0, 0
    if forced is not None:
        item = items[forced]
        if item.cost > budget:
            return None
        start_cost, start_value, start_mask = item.cost, item.value, bit(forced)
        start_used = frozenset(item_conflicts[forced])
        for g in item_groups[forced]:
            start_counts[g] += 1
        for g, (_, _, hi) in enumerate(groups):
            if hi is not None and start_counts[g] > hi:
                return None
    fronts: dict[tuple[frozenset[int], tuple[int, ...]], dict[int, _State]] = {
        (start_used, tuple(start_counts)): {start_cost: (start_value, start_mask)}
    }
    for i, item in enumerate(items):
        if i == forced or (allowed is not None and not allowed[i]):
            continue
        new: dict[tuple[frozenset[int], tuple[int, ...]], dict[int, _State]] = {}
        for (used, counts), front in fronts.items():
            keep_used = frozenset(c for c in used if last_conflict[c] > i)
            _merge(new, (keep_used, counts), front)
            if any(c in used for c in item_conflicts[i]):
                continue
            new_counts = list(counts)
            ok = True
            for g in item_groups[i]:
                hi = groups[g][2]
                new_counts[g] = min(new_counts[g] + 1, caps[g])
                if hi is not None and new_counts[g] > hi:
                    ok = False
            if not ok:
                continue
            taken_used = frozenset(c for c in (*used, *item_conflicts[i]) if last_conflict[c] > i)
            taken: dict[int, _State] = {}
            room = budget - item.cost
            for cost, (value, mask) in front.items():
                if cost <= room:
                    taken[cost + item.cost] = (value + item.value, mask | bit(i))
            _merge(new, (taken_used, tuple(new_counts)), taken)
        fronts = {sig: _prune(front) for sig, front in new.items()}
    best: tuple[int, int, int] | None = None  # (value, -cost, mask)
    for (_, counts), front in fronts.items():
        if any(counts[g] < lo for g, (_, lo, _) in enumerate(groups)):
            continue
        for cost, (value, mask) in front.items():
            key = (value, -cost, mask)
            if best is None or key > best:
                best = key
    if best is None:
        return None
    value, neg_cost, mask = best
    return value, -neg_cost, tuple(i for i in range(m) if mask & bit(i))


def _merge(
    into: dict[tuple[frozenset[int], tuple[int, ...]], dict[int, _State]],
    sig: tuple[frozenset[int], tuple[int, ...]],
    front: dict[int, _State],
) -> None:
    target = into.setdefault(sig, {})
    for cost, state in front.items():
        old = target.get(cost)
        if old is None or state > old:  # higher value, then the preferred mask
            target[cost] = state


def _prune(front: dict[int, _State]) -> dict[int, _State]:
    """Drop states another beats: cheaper-or-equal and at least as valuable."""
    out: dict[int, _State] = {}
    best = None
    for cost in sorted(front):
        value, mask = front[cost]
        if best is None or value > best:
            out[cost] = (value, mask)
            best = value
    return out
