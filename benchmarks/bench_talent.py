"""Benchmark of vchuang.talent: talent ranking and key players.

Builds a synthetic district (residents in communities, ``knows`` ties, groups,
projects with needs, activities) and measures, in the same run:

1. ``rank_talents`` against the same features computed with plain networkx exact
   calls (``degree``, ``betweenness_centrality``, ``pagerank``, ``constraint``) plus
   per-resident graph queries for engagement, on the sizes where those finish; the
   ratio is baseline time / vchuang time;
2. ``rank_talents`` alone on the full district (100,000 residents; pivot-sampled
   betweenness);
3. ``key_players`` on a 10,000-node network for each objective, against the time to
   score the top-k-by-degree baseline set with networkx.

Run::

    nice -n 10 python benchmarks/bench_talent.py            # full (several minutes)
    python benchmarks/bench_talent.py --quick               # a few seconds
    python benchmarks/bench_talent.py --backends 3000       # networkx backends only

``--backends N`` times ``rank_talents`` on a district of N residents on the sparse path,
through plain networkx (``backend="networkx"``) and through nx-parallel
(``backend="parallel"``, ``n_jobs=2``) when it can be imported, and checks that the
three give the same numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import networkx as nx
import numpy as np

import vchuang
from vchuang.model import (
    Activity,
    ActivityKind,
    Community,
    District,
    Group,
    Level,
    Link,
    Need,
    Project,
    Relation,
    Resident,
    Role,
    Stage,
    Subdistrict,
)
from vchuang.talent import key_players, rank_talents

_SKILLS = (
    "graphic_design",
    "photography",
    "press_release",
    "public_speaking",
    "event_organising",
    "plan_design",
    "bookkeeping",
    "reimbursement",
    "anti_fraud",
    "patrol",
    "first_aid",
    "elder_care",
    "child_care",
    "tutoring",
    "social_media",
    "pet_care",
    "performance",
)


def synthetic_district(
    n: int, *, communities: int = 30, ties_per_resident: int = 4, seed: int = 0
) -> vchuang.CommunityGraph:
    """A random district of ``n`` residents (about 10% engaged, 1% leaders)."""
    rng = np.random.default_rng(seed)
    communities = max(1, min(communities, n // 50 or 1))
    items: list[Any] = [District(id="d", name="District")]
    subs = max(1, communities // 3)
    items += [Subdistrict(id=f"s{i}", name=f"Street {i}", district="d") for i in range(subs)]
    items += [
        Community(id=f"c{i}", name=f"Community {i}", subdistrict=f"s{i % subs}")
        for i in range(communities)
    ]
    comm = rng.integers(0, communities, n)
    engaged = rng.random(n) < 0.10
    leader = engaged & (rng.random(n) < 0.10)
    n_skills = rng.integers(0, 4, n)
    for i in range(n):
        skills = {}
        for s in rng.choice(len(_SKILLS), size=int(n_skills[i]), replace=False):
            skills[_SKILLS[int(s)]] = Level(int(rng.integers(1, 5)))
        roles = [Role.VOLUNTEER] if engaged[i] else []
        if leader[i]:
            roles.append(Role.LEADER)
        items.append(
            Resident(
                id=f"r{i:07d}",
                name=f"Resident {i}",
                community=f"c{comm[i]}",
                skills=skills,
                roles=roles,
                hours_per_week=float(rng.integers(0, 10)) if engaged[i] else 0.0,
            )
        )
    members = [np.flatnonzero(comm == c) for c in range(communities)]
    active = [m[engaged[m]] for m in members]
    # knows ties: mostly inside the community
    seen: set[tuple[int, int]] = set()
    m = n * ties_per_resident // 2
    us = rng.integers(0, n, m)
    cross = rng.random(m) < 0.05
    for u, x in zip(us.tolist(), cross.tolist(), strict=True):
        pool = members[int(rng.integers(0, communities))] if x else members[comm[u]]
        v = int(pool[int(rng.integers(0, len(pool)))])
        a, b = (u, v) if u < v else (v, u)
        if a != b and (a, b) not in seen:
            seen.add((a, b))
            items.append(
                Link(
                    source=f"r{a:07d}",
                    relation=Relation.KNOWS,
                    target=f"r{b:07d}",
                    weight=float(rng.integers(1, 4)),
                )
            )
    start = dt.date(2019, 1, 1)
    for c in range(communities):
        pool = active[c] if len(active[c]) >= 5 else members[c]
        for g in range(max(1, len(members[c]) // 200)):
            gid = f"g{c}-{g}"
            items.append(Group(id=gid, name=f"Group {c}-{g}", community=f"c{c}"))
            for r in rng.choice(pool, size=min(len(pool), int(rng.integers(3, 25))), replace=False):
                items.append(Link(source=f"r{r:07d}", relation=Relation.MEMBER_OF, target=gid))
        for p in range(max(1, len(members[c]) // 400)):
            pid = f"p{c}-{p}"
            needs = [
                Need(
                    id=f"{pid}-n{j}",
                    skill=_SKILLS[int(rng.integers(len(_SKILLS)))],
                    hours=2.0,
                    min_level=Level(int(rng.integers(1, 4))),
                )
                for j in range(2)
            ]
            items.append(
                Project(
                    id=pid,
                    name=f"Project {c}-{p}",
                    community=f"c{c}",
                    stage=Stage.RUNNING,
                    needs=needs,
                )
            )
            team = rng.choice(pool, size=min(len(pool), int(rng.integers(2, 12))), replace=False)
            items.append(Link(source=f"r{team[0]:07d}", relation=Relation.LEADS, target=pid))
            for r in team[1:]:
                items.append(
                    Link(
                        source=f"r{r:07d}",
                        relation=Relation.VOLUNTEERS_IN,
                        target=pid,
                        hours=float(rng.integers(1, 6)),
                    )
                )
            for a in range(4):
                crowd = rng.choice(
                    members[c], size=min(len(members[c]), int(rng.integers(5, 40))), replace=False
                )
                items.append(
                    Activity(
                        id=f"{pid}-a{a}",
                        name=f"Activity {c}-{p}-{a}",
                        activity_kind=ActivityKind.OUTREACH,
                        date=start + dt.timedelta(days=int(rng.integers(0, 365))),
                        place=f"c{c}",
                        project=pid,
                        organisers=(f"r{team[0]:07d}",),
                        attendees=tuple(f"r{r:07d}" for r in crowd if r != team[0]),
                    )
                )
    graph = vchuang.CommunityGraph()
    graph.add_all(items)
    return graph


def networkx_features(graph: vchuang.CommunityGraph) -> dict[str, dict[str, float]]:
    """The talent features with plain networkx exact calls and per-resident queries:
    the baseline."""
    ranking_net = graph.social_graph()
    co = graph.coparticipation()
    for u, v, data in co.edges(data=True):  # "work"-like: knows + co-participation
        if ranking_net.has_edge(u, v):
            ranking_net[u][v]["weight"] += data["weight"]
        else:
            ranking_net.add_edge(u, v, weight=data["weight"])
    out: dict[str, dict[str, float]] = {
        "degree": dict(ranking_net.degree()),
        "betweenness": nx.betweenness_centrality(ranking_net),
        "pagerank": nx.pagerank(ranking_net, weight="weight"),
        "constraint": nx.constraint(ranking_net, weight="weight"),
    }
    acts: dict[str, float] = {}
    leads: dict[str, float] = {}
    for r in graph.residents():
        acts[r.id] = len(graph.activities_attended(r.id))
        leads[r.id] = len(graph.projects_led_by(r.id))
    out["activities"] = acts
    out["leads"] = leads
    return out


def _time(func: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t0)
    return best, result


def _backends(size: int) -> int:
    """``rank_talents`` on the sparse path, plain networkx and nx-parallel; 1 if the
    numbers differ."""
    graph = synthetic_district(size, seed=1)
    runs: list[tuple[str, Callable[[], Any]]] = [
        ("sparse (default)", lambda: rank_talents(graph, rng=0)),
        ('backend="networkx"', lambda: rank_talents(graph, rng=0, backend="networkx")),
    ]
    try:
        import nx_parallel  # noqa: F401
    except Exception as exc:  # noqa: BLE001  (0.3 fails at import with networkx >= 3.5)
        print(f"nx-parallel cannot be imported here ({exc}): timing the others only")
    else:

        def parallel() -> Any:
            with nx.config.backends.parallel(n_jobs=2):
                return rank_talents(graph, rng=0, backend="parallel")

        runs.append(('backend="parallel", n_jobs=2', parallel))
    print(f"rank_talents on {size:,} residents, networkx {nx.__version__}")
    first: Any = None
    same = True
    for label, func in runs:
        t, ranking = _time(func)
        values = [(r["betweenness"], r["pagerank"], r["brokerage"]) for r in ranking.to_rows()]
        if first is None:
            first = values
        agree = all(
            abs(a - b) <= 1e-9
            for x, y in zip(first, values, strict=True)
            for a, b in zip(x, y, strict=True)
        )
        same &= agree
        print(f"  {label:<30} {t:>7.2f} s wall  pivots={ranking.pivots}  same numbers: {agree}")
    return 0 if same else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--district", type=int, default=100_000, help="residents in the district")
    parser.add_argument("--key-nodes", type=int, default=10_000, help="nodes for key players")
    parser.add_argument(
        "--compare",
        type=int,
        nargs="*",
        default=[1_000, 2_000, 4_000],
        help="district sizes for the comparison with plain networkx",
    )
    parser.add_argument(
        "--backends", type=int, metavar="N", help="only time networkx backends on N residents"
    )
    args = parser.parse_args(argv)
    if args.backends:
        return _backends(args.backends)
    compare_sizes = [300] if args.quick else args.compare
    district = 1_500 if args.quick else args.district
    key_nodes = 500 if args.quick else args.key_nodes

    print("rank_talents vs plain networkx exact calls (same run)")
    print(
        f"{'residents':>10} {'ties':>8} {'build s':>8} {'vchuang s':>10} {'networkx s':>11} "
        f"{'ratio':>7}"
    )
    for size in compare_sizes:
        t_build, graph = _time(lambda size=size: synthetic_district(size, seed=1))
        t_ours, ranking = _time(lambda graph=graph: rank_talents(graph, rng=0))
        t_nx, _ = _time(lambda graph=graph: networkx_features(graph))
        print(
            f"{size:>10,} {ranking.network_size[1]:>8,} {t_build:>8.1f} {t_ours:>10.2f} "
            f"{t_nx:>11.2f} {t_nx / t_ours:>6.1f}x"
        )

    print(f"\nrank_talents on a synthetic district of {district:,} residents")
    t_build, graph = _time(lambda: synthetic_district(district, seed=2))
    t_ours, ranking = _time(lambda: rank_talents(graph, rng=0))
    t_top, _ = _time(lambda: rank_talents(graph, rng=0, explain=100))
    per_source = _nx_bfs_seconds(graph, 3)
    print(
        f"  build {t_build:.1f} s; network {ranking.network_size[0]:,} residents, "
        f"{ranking.network_size[1]:,} ties; betweenness {ranking.betweenness} "
        f"(pivots={ranking.pivots})"
    )
    print(
        f"  rank_talents: {t_ours:.1f} s with reasons for everyone, {t_top:.1f} s with "
        f"reasons for the top 100"
    )
    if ranking.pivots:
        est = per_source * ranking.pivots
        print(
            f"  networkx betweenness from the same {ranking.pivots} pivots would take about "
            f"{est:.0f} s ({per_source:.2f} s per source, measured on 3 sources)"
        )

    print(f"\nkey_players on {key_nodes:,} nodes (k=10), against scoring the degree baseline")
    net = nx.connected_watts_strogatz_graph(key_nodes, 6, 0.1, seed=3)
    print(f"{'objective':>24} {'method':>8} {'seconds':>8} {'score':>7} {'baseline':>9}")
    pool, sources = (30, 16) if args.quick else (100, 32)
    top = sorted(net, key=lambda v: (-net.degree(v), v))[:pool]
    for objective, kwargs in (
        ("reach", {"m": 1}),
        ("reach", {"m": 2}),
        ("distance_reach", {}),
        ("fragmentation", {}),
        ("distance_fragmentation", {"candidates": top, "sources": sources}),
    ):
        t, res = _time(
            lambda o=objective, kw=kwargs: key_players(net, 10, objective=o, rng=0, **kw)
        )
        label = objective + (f" m={kwargs['m']}" if "m" in kwargs else "")
        if "candidates" in kwargs:
            label += f" (top-{pool})"
        print(f"{label:>24} {'greedy':>8} {t:>8.2f} {res.score:>7.3f} {res.baseline_score:>9.3f}")
    return 0


def _nx_bfs_seconds(graph: vchuang.CommunityGraph, count: int) -> float:
    """Seconds per source of networkx's betweenness accumulation on the ranking
    network (to extrapolate what plain networkx would need)."""
    from vchuang.talent._network import _network  # benchmark only: reuse the same network

    ids = [r.id for r in graph.residents()]
    adj = _network(graph, ids, "work").binary
    g = nx.from_scipy_sparse_array(adj)
    t0 = time.perf_counter()
    nx.betweenness_centrality(g, k=count, seed=0)
    return (time.perf_counter() - t0) / count


if __name__ == "__main__":
    sys.exit(main())
