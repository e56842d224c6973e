"""Point–line–surface reach (vchuang.reach): the surface against a plain-set reference,
Shapley shares and fragility against brute force, the headcount interval, coverage
denominators, best_next, input-order independence, plots and the benchmark's quick mode.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vchuang
from vchuang import (
    Activity,
    ActivityKind,
    Community,
    CommunityGraph,
    District,
    Link,
    Project,
    Proposal,
    Relation,
    Resident,
    Role,
    Segment,
    Subdistrict,
    UnknownEntityError,
    ValidationError,
)
from vchuang.kernel import format_fen
from vchuang.model import Call
from vchuang.plot import cjk_fonts
from vchuang.reach import CountEstimate, best_next, reach_report, surface

ROOT = Path(__file__).resolve().parents[1]
REL = {"leads": Relation.LEADS, "co_leads": Relation.CO_LEADS, "volunteers": Relation.VOLUNTEERS_IN}

# ---------------------------------------------------------------- strategies


@st.composite
def pls_items(draw: st.DrawFn, max_residents: int = 12, max_projects: int = 5):
    """Records and links of a small graph with points, lines and surfaces."""
    n_comm = draw(st.integers(1, 2))
    comms = [f"c{i}" for i in range(n_comm)]
    items: list = [District(id="d", name="D"), Subdistrict(id="s", name="S", district="d")]
    items += [
        Community(
            id=c, name=c.upper(), subdistrict="s", population=draw(st.none() | st.integers(0, 60))
        )
        for c in comms
    ]
    segs = [f"g{i}" for i in range(draw(st.integers(0, 3)))]
    items += [
        Segment(
            id=g,
            name=g.upper(),
            place=draw(st.none() | st.sampled_from(comms)),
            population=draw(st.none() | st.integers(0, 40)),
        )
        for g in segs
    ]
    n_res = draw(st.integers(2, max_residents))
    res = [f"r{i:02d}" for i in range(n_res)]
    for r in res:
        items.append(
            Resident(
                id=r,
                name=f"Name {r}",
                community=draw(st.sampled_from(comms)),
                segments=draw(st.lists(st.sampled_from(segs), unique=True)) if segs else (),
                roles=[Role.LEADER] if draw(st.booleans()) else [],
            )
        )
    projs = [f"p{i}" for i in range(draw(st.integers(1, max_projects)))]
    for p in projs:
        items.append(
            Project(
                id=p,
                name=p.upper(),
                community=draw(st.sampled_from(comms)),
                target_segments=draw(st.lists(st.sampled_from(segs), unique=True)) if segs else (),
                budget_fen=draw(st.integers(0, 5)) * 100,
            )
        )
        for a in range(draw(st.integers(0, 2))):
            named = draw(st.lists(st.sampled_from(res), unique=True, max_size=5))
            items.append(
                Activity(
                    id=f"{p}-a{a}",
                    name="A",
                    activity_kind=ActivityKind.OUTREACH,
                    date=dt.date(2019, 9, 21),
                    place=draw(st.sampled_from(comms)),
                    project=p,
                    attendees=named,
                    attendance=draw(st.none() | st.integers(len(named), len(named) + 20)),
                )
            )
    links = draw(
        st.lists(
            st.tuples(
                st.sampled_from(res), st.sampled_from(list(REL.values())), st.sampled_from(projs)
            ),
            unique_by=lambda t: (t[0], t[2]),
            max_size=2 * len(projs) + 2,
        )
    )
    items += [Link(source=r, relation=rel, target=p) for r, rel, p in links]
    knows = draw(
        st.lists(
            st.tuples(st.sampled_from(res), st.sampled_from(res)).filter(lambda t: t[0] < t[1]),
            unique=True,
            max_size=10,
        )
    )
    items += [Link(source=a, relation=Relation.KNOWS, target=b) for a, b in knows]
    return items


def build(items) -> CommunityGraph:
    g = CommunityGraph()
    g.add_all(items)
    return g


# ---------------------------------------------------------------- references


def ref_lines(g, p, lines=("leads", "co_leads")):
    out = set()
    for name in lines:
        out |= {link.target for link in g.links(source=p, relation=REL[name])}
    return out


def ref_line_surface(g, line, include=("attendees", "segments"), steps=0):
    s = set()
    if "attendees" in include:
        for a in g.activities(project=line):
            s |= set(a.attendees)
    if "segments" in include:
        for seg in g.get(line).target_segments:
            s |= {r.id for r in g.members(seg)}
    frontier = set(s)
    for _ in range(steps):
        nxt = {n.id for r in frontier for n in g.neighbours(r)} - s
        s |= nxt
        frontier = nxt
    return s


def ref_surface(g, points, **kw):
    lines = kw.pop("lines", ("leads", "co_leads"))
    out = set()
    for p in points:
        for line in ref_lines(g, p, lines):
            out |= ref_line_surface(g, line, **kw)
    return out


def brute_shapley(g, points, **kw):
    """Shapley values of v(Q) = |S(Q)| by averaging marginal contributions over all
    orders of the points."""
    reach = {p: ref_surface(g, [p], **kw) for p in points}
    phi = dict.fromkeys(points, 0.0)
    orders = list(itertools.permutations(points))
    for order in orders:
        covered: set[str] = set()
        for p in order:
            phi[p] += len(reach[p] - covered)
            covered |= reach[p]
    return {p: v / len(orders) for p, v in phi.items()}


# ---------------------------------------------------------------- surface


@given(
    pls_items(),
    st.sampled_from([("attendees",), ("segments",), ("attendees", "segments")]),
    st.integers(0, 2),
    st.sampled_from([("leads",), ("leads", "co_leads"), ("volunteers", "co_leads")]),
)
def test_surface_equals_plain_set_reference(items, include, steps, lines):
    g = build(items)
    s = surface(g, include=include, steps=steps, lines=lines)
    leaders = sorted(r.id for r in g.leaders())
    assert s.points == tuple(leaders)
    want = ref_surface(g, leaders, include=include, steps=steps, lines=lines)
    assert set(s.residents) == want
    assert s.residents == tuple(sorted(want))
    for p in leaders:
        assert set(s.lines_of(p)) == ref_lines(g, p, lines)
        assert set(s.of_point(p)) == ref_surface(g, [p], include=include, steps=steps, lines=lines)
    for line in s.lines:
        assert set(s.of_line(line)) == ref_line_surface(g, line, include, steps)
    # who reached whom: every row is a real (point, line) pair and a real member
    rows = s.to_rows()
    assert {r["resident"] for r in rows} == want
    for r in rows:
        assert r["line"] in ref_lines(g, r["point"], lines)
        assert r["resident"] in ref_line_surface(g, r["line"], include, steps)
        assert r["resident"] in s
    for resident in want:
        got = s.reached_by(resident)
        assert got
        assert [x for x in rows if x["resident"] == resident] == [
            {"resident": x.resident, "point": x.point, "line": x.line, "via": x.via} for x in got
        ]


def test_reached_by_says_how():
    g = vchuang.load_example()
    s = surface(g, steps=1)
    vias = {r["via"] for r in s.to_rows()}
    assert "attended" in vias
    assert "segment" in vias
    # a named attendee is "attended" even when also a segment member
    for r in s.to_rows():
        attended = any(r["resident"] in a.attendees for a in g.activities(project=r["line"]))
        assert (r["via"] == "attended") == attended


@given(pls_items(), st.integers(0, 1))
def test_surface_is_monotone_in_points(items, steps):
    g = build(items)
    res = [r.id for r in g.residents()]
    small = res[: len(res) // 2]
    assert set(surface(g, small, steps=steps).residents) <= set(
        surface(g, res, steps=steps).residents
    )


# ---------------------------------------------------------------- report measures


@settings(max_examples=40)
@given(pls_items(max_residents=10, max_projects=4), st.data())
def test_shapley_and_fragility_agree_with_brute_force(items, data):
    g = build(items)
    res = [r.id for r in g.residents()]
    points = data.draw(st.lists(st.sampled_from(res), unique=True, min_size=1, max_size=5))
    rep = reach_report(g, points)
    truth = ref_surface(g, points)
    assert rep.unique_reach == len(truth)
    assert math.isclose(sum(p.shapley for p in rep.points), rep.unique_reach, abs_tol=1e-9)
    shap = brute_shapley(g, points)
    for p in rep.points:
        assert math.isclose(p.shapley, shap[p.id], abs_tol=1e-9)
        others = [q for q in points if q != p.id]
        again = len(surface(g, others).residents) if others else 0
        assert p.fragility == rep.unique_reach - again  # recomputation without p
        assert p.reach == len(ref_surface(g, [p.id]))
    assert rep.leverage == pytest.approx(len(truth) / len(points))


@given(pls_items())
def test_overlaps_are_jaccard_of_line_surfaces(items):
    g = build(items)
    rep = reach_report(g)
    surf = {line: ref_line_surface(g, line) for line in rep.surface.lines}
    want = {}
    for a, b in itertools.combinations(sorted(surf), 2):
        shared = len(surf[a] & surf[b])
        if shared:
            want[a, b] = shared / len(surf[a] | surf[b])
    got = {(o.a, o.b): o.jaccard for o in rep.overlaps()}
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value)
    jac = [o.jaccard for o in rep.overlaps()]
    assert jac == sorted(jac, reverse=True)


@given(pls_items())
def test_coverage_denominators_and_gaps(items):
    g = build(items)
    rep = reach_report(g, threshold=0.5)
    reached = set(rep.surface.residents)
    for row in rep.segments:
        seg = g.get(row.id)
        members = {r.id for r in g.members(row.id)}
        assert row.reached == len(members & reached)
        if seg.population is not None:
            assert (row.denominator, row.source) == (seg.population, "population")
        else:
            assert (row.denominator, row.source) == (len(members), "listed")
        assert row.gap == (row.share is not None and row.share < 0.5)
    for row in rep.communities:
        listed = {r.id for r in g.residents(row.id)}
        assert row.reached == len(listed & reached)
    for row in rep.cells:
        listed = {r.id for r in g.members(row.segment) if r.community == row.community}
        assert row.reached == len(listed & reached)
    assert all(x.gap for x in rep.gaps)
    assert {x.id for x in rep.gaps} == {x.id for x in (*rep.segments, *rep.communities) if x.gap}
    listed = reach_report(g, denominators="listed")
    for row in listed.segments:
        assert row.source == "listed"
        assert row.denominator == len(g.members(row.id))


# ---------------------------------------------------------------- headcounts


@given(st.integers(1, 60), st.data())
def test_headcount_interval_contains_the_truth(n, data):
    people = list(range(n))
    acts = data.draw(st.lists(st.lists(st.sampled_from(people), unique=True), max_size=6))
    truth = len(set().union(*map(set, acts))) if acts else 0
    # counts only
    est = CountEstimate.from_headcounts([len(a) for a in acts], population=n)
    assert est.lower <= truth <= est.upper
    assert est.lower <= est.independence <= est.upper
    # some names known: each activity names a prefix of its attendees
    named = [a[: data.draw(st.integers(0, len(a)))] for a in acts]
    union = len(set().union(*map(set, named))) if named else 0
    est = CountEstimate.from_headcounts(
        [len(a) for a in acts], population=n, named=[len(x) for x in named], named_union=union
    )
    assert est.lower <= truth <= est.upper
    # all names known: the interval is the truth
    est = CountEstimate.from_headcounts(
        [len(a) for a in acts], population=n, named=[len(a) for a in acts], named_union=truth
    )
    assert est.exact
    assert est.lower == est.upper == truth


def test_headcount_interval_from_the_graph():
    rep = reach_report(vchuang.load_example())
    c = rep.counts
    assert c.headcounts == (120, 45)  # pn-p1's and pn-p3's campaigns
    assert (c.lower, c.upper) == (120, 4 + (120 - 3) + (45 - 1))
    assert c.source == "population"
    assert c.population == 12000
    assert c.independence == pytest.approx(12000 * (1 - (1 - 120 / 12000) * (1 - 45 / 12000)))
    assert "between 120 and 165" in c.label


def test_headcount_checks():
    with pytest.raises(ValidationError):
        CountEstimate.from_headcounts([3], population=10, named=[4])
    with pytest.raises(ValidationError):
        CountEstimate.from_headcounts([-1], population=10)


# ---------------------------------------------------------------- order independence


@settings(max_examples=30)
@given(pls_items(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_input_order(items, rnd):
    g1 = build(items)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    g2 = build(shuffled)
    pts = [r.id for r in g1.residents()]
    pts2 = list(pts)
    rnd.shuffle(pts2)
    a, b = reach_report(g1, pts), reach_report(g2, pts2)
    for table in ("points", "lines", "segments", "communities", "cells", "gaps", "overlaps"):
        assert a.to_rows(table) == b.to_rows(table)
    assert a.reasons == b.reasons
    assert a.counts == b.counts
    assert a.surface.to_rows() == b.surface.to_rows()
    na, nb = best_next(g1, k=2, points=pts[:1]), best_next(g2, k=2, points=pts[:1])
    assert na.to_rows() == nb.to_rows()


# ---------------------------------------------------------------- best next


@given(pls_items(), st.integers(1, 3))
def test_best_next_is_the_greedy_on_new_reach(items, k):
    g = build(items)
    base = set(surface(g).residents)
    cands = sorted(p.id for p in g.projects())
    nb = best_next(g, k, candidates=cands)
    assert nb.base == len(base)
    # plain greedy over project surfaces, ties to the lower ID
    covered, want = set(base), []
    for _ in range(k):
        gains = [(len(ref_line_surface(g, c) - covered), c) for c in cands]
        top = max(x[0] for x in gains)
        best = min(c for gain, c in gains if gain == top)
        if top == 0:
            break
        want.append((best, top))
        covered |= ref_line_surface(g, best)
    assert [(p.id, p.new_residents) for p in nb.picks] == want
    assert nb.value == sum(x for _, x in want)
    assert nb.value <= nb.bound


def test_best_next_with_a_budget_and_priorities():
    g = vchuang.load_example()
    nb = best_next(g, candidates=["pn-p2"], budget=10**6, include="attendees")
    assert nb.rule in ("cost-benefit", "best-single")
    assert nb.picks[0].cost_fen == g.get("pn-p2").budget_fen
    assert "costs ¥" in nb.picks[0].reason
    assert format_fen(nb.picks[0].cost_fen, symbol=True) in nb.picks[0].reason
    heavy = best_next(
        g, 1, candidates=["pn-p2"], include="attendees", priorities={"pingnan-elders": 5}
    )
    assert heavy.picks[0].gain == 5.0
    assert heavy.picks[0].new_residents == 1
    with pytest.raises(ValidationError, match="not both"):
        best_next(g, k=1, budget=5)
    with pytest.raises(ValidationError, match="no cost"):
        best_next(g, candidates=["pn-r02"], budget=5)
    with pytest.raises(ValidationError):
        best_next(g, 1, candidates=["pingnan"])
    with pytest.raises(ValidationError, match="priorities"):
        best_next(g, 1, candidates=["pn-p2"], priorities={"pingnan-elders": -1})
    with pytest.raises(ValidationError, match="whole number"):
        best_next(g, 1.5)  # type: ignore[arg-type]


def test_best_next_weights_is_the_old_name_of_priorities():
    g = vchuang.load_example()
    new = best_next(
        g, 1, candidates=["pn-p2"], include="attendees", priorities={"pingnan-elders": 5}
    )
    with pytest.warns(DeprecationWarning, match="priorities="):
        old = best_next(
            g, 1, candidates=["pn-p2"], include="attendees", weights={"pingnan-elders": 5}
        )
    assert old.to_rows() == new.to_rows()
    with (
        pytest.raises(TypeError, match="priorities= only"),
        pytest.warns(DeprecationWarning, match="weights"),
    ):
        best_next(g, 1, weights={"pingnan-elders": 5}, priorities={"pingnan-elders": 2})


def test_best_next_takes_k_second_and_candidates_by_name():
    g = vchuang.load_example()
    by_name = best_next(g, k=2, include="attendees")
    assert best_next(g, 2, include="attendees").to_rows() == by_name.to_rows()
    # the old spelling, candidates second, still works for one release (with a warning)
    with pytest.warns(DeprecationWarning, match="candidates="):
        old = best_next(g, ["pn-p2"], budget=10**6, include="attendees")  # type: ignore[arg-type]
    new = best_next(g, candidates=["pn-p2"], budget=10**6, include="attendees")
    assert old.to_rows() == new.to_rows()


def test_golden_ideas_reach_through_their_segments():
    g = vchuang.load_example()
    g.add(
        Call(id="call", name="Golden ideas", place="pingnan"),
        Proposal(
            id="idea",
            name="Dog park",
            call="call",
            target_segments=["pingnan-dog-owners", "pingnan-children"],
            cost_fen=500,
        ),
    )
    nb = best_next(
        g, 1, candidates=["idea"], include="attendees", candidate_include=("attendees", "segments")
    )
    members = {r.id for r in g.members("pingnan-dog-owners")} | {
        r.id for r in g.members("pingnan-children")
    }
    assert nb.picks[0].new_residents == len(members - set(surface(g, include="attendees")))
    assert "golden idea" in nb.picks[0].reason


# ---------------------------------------------------------------- checks and privacy


def test_bad_arguments():
    g = vchuang.load_example()
    with pytest.raises(UnknownEntityError):
        surface(g, ["nobody"])
    with pytest.raises(ValidationError, match="not a resident"):
        surface(g, ["pn-p1"])
    with pytest.raises(ValidationError):
        surface(g, lines="runs")
    with pytest.raises(ValidationError):
        surface(g, include="gossip")
    with pytest.raises(ValidationError):
        surface(g, steps=-1)
    with pytest.raises(ValidationError):
        reach_report(g, threshold=2)
    with pytest.raises(ValidationError):
        reach_report(g).to_rows("nope")


def test_no_names_in_output():
    g = vchuang.load_example()
    minor = Resident(
        id="kid",
        name="Xiaoming Zhang",
        community="pingnan",
        birth_year=dt.date.today().year - 10,
        roles=[Role.LEADER],
    )
    g.add(minor)
    g.link("kid", Relation.CO_LEADS, "pn-p1")
    rep = reach_report(g)
    nb = best_next(g, k=2, include="attendees")
    text = repr([rep.to_rows(t) for t in ("points", "lines", "segments", "gaps")])
    text += repr(rep.reasons) + repr(rep.surface.to_rows()) + repr(nb.to_rows())
    for r in g.residents():
        assert r.name not in text
    assert "kid" in text  # IDs, not names


# ---------------------------------------------------------------- plots


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plots_draw(lang):
    if lang == "zh" and not cjk_fonts():
        pytest.skip("no CJK font installed")
    g = vchuang.load_example()
    rep = reach_report(g)
    ax = rep.plot(lang=lang)
    assert ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    project = g.get("pn-p1")
    want = project.name_zh if lang == "zh" else project.name
    assert any(t.startswith(want) for t in texts)
    ax = rep.plot(kind="heatmap", lang=lang)
    assert len(ax.get_xticklabels()) == len(rep.segments)
    ax = best_next(g, k=2, include="attendees").plot(lang=lang)
    assert len(ax.patches) == 1
    ax = surface(g, []).plot(lang=lang)
    with pytest.raises(ValidationError):
        rep.plot(kind="pie")


# ---------------------------------------------------------------- dataset and benchmark


def test_longgang_pilot_points_lines_surface():
    from vchuang import datasets

    g = datasets.longgang_pilot()
    rep = reach_report(g)
    assert len(rep.points) == 16
    assert all(p.lines for p in rep.points)  # every leader leads or co-leads a project
    assert sum(p.shapley for p in rep.points) == pytest.approx(rep.unique_reach)
    assert rep.unique_reach == len(surface(g))


def test_benchmark_quick_mode(capsys):
    spec = importlib.util.spec_from_file_location(
        "bench_reach", ROOT / "benchmarks" / "bench_reach.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--quick"])
    out = capsys.readouterr().out
    assert "speed-up" in out
    assert "same picks: True" in out


# ---------------------------------------------------------------- short reprs


def _short(obj, limit=500):
    text = repr(obj)
    assert len(text) < limit, (type(obj).__name__, len(text), text[:200])
    html = getattr(obj, "_repr_html_", None)
    if html is not None:
        table = html()
        assert table.startswith("<table>") and len(table) < 2 * limit, type(obj).__name__


def test_results_flooded_the_notebook_with_their_repr():
    # ReachReport's repr was ~175,000 characters on this district (the surface's sparse
    # arrays, every coverage cell and point); each result now shows counts and the top 3.
    g = vchuang.datasets.synthetic(20_000, rng=1)
    rep = reach_report(g)
    assert rep.unique_reach > 10_000
    for obj in (
        rep,
        rep.surface,
        rep.surface.tiers,
        rep.counts,
        rep.points[0],
        rep.lines[0],
        rep.segments[0],
        rep.cells[0],
        rep.overlaps(top=1)[0],
        rep.surface.reached_by(rep.surface.residents[0])[0],
    ):
        _short(obj)
    assert "unique_reach=" in repr(rep) and "top points=" in repr(rep)
    points, lines = rep.surface.points[:5], rep.surface.lines
    for nb in (
        best_next(g, 5, points=points, candidates=lines),
        best_next(g, budget=10**7, points=points, candidates=lines),
    ):
        assert nb.picks
        _short(nb)
        _short(nb.picks[0])


# ---------------------------------------------------------------- suppressed figures


def _small_reach_graph(small: int) -> CommunityGraph:
    """A leader with two projects: one reaches nine residents (five of a service group),
    the other ``small`` of those five, so that only its counts depend on ``small``."""
    items: list = [
        District(id="d", name="D"),
        Subdistrict(id="s", name="S", district="d"),
        Community(id="c", name="C", subdistrict="s"),
        Segment(id="g", name="G", place="c"),
        Resident(id="lead", name="L", community="c", roles=[Role.LEADER]),
    ]
    group = [f"g{i}" for i in range(5)]
    others = [f"m{i}" for i in range(4)]
    items += [Resident(id=r, name=r, community="c", segments=["g"]) for r in group]
    items += [Resident(id=r, name=r, community="c") for r in others]
    for p, who in (("p1", group[:small]), ("p2", group + others)):
        items.append(Project(id=p, name=p.upper(), community="c"))
        items.append(
            Activity(
                id=f"{p}-a",
                name="A",
                activity_kind=ActivityKind.OUTREACH,
                date=dt.date(2019, 9, 21),
                place="c",
                project=p,
                attendees=who,
            )
        )
        items.append(Link(source="lead", relation=Relation.LEADS, target=p))
    return build(items)


def _drawn(ax) -> list:
    """Everything the diagram shows: dots (where, how big), lines (where, how wide), words."""
    import numpy as np

    dots = [(np.round(c.get_offsets(), 9).tolist(), c.get_sizes().tolist()) for c in ax.collections]
    lines = [(ln.get_ydata().tolist(), ln.get_linewidth()) for ln in ax.lines]
    return [dots, lines, [t.get_text() for t in ax.texts], ax.get_title()]


def test_the_reach_diagram_drew_suppressed_counts_at_their_true_size() -> None:
    # issue 17: labels said "<5" but dot areas and line widths gave the 2 or 3 away
    import matplotlib.pyplot as plt

    two, three = (reach_report(_small_reach_graph(n)) for n in (2, 3))
    assert two.surface.tiers.line_reach != three.surface.tiers.line_reach
    shown = [_drawn(r.plot(suppress=5)) for r in (two, three)]
    assert shown[0] == shown[1]  # nothing tells a hidden 2 from a hidden 3
    assert any("<5" in t for t in shown[0][2])
    # drawn at the threshold's size: a shown 5 has the same dot as a hidden count
    five = _drawn(reach_report(_small_reach_graph(5)).plot(suppress=5))
    assert five[0] == shown[0][0] and five[1] == shown[0][1]
    # without suppression the figure draws (and labels) the true counts
    assert _drawn(two.plot())[0] != _drawn(three.plot())[0]
    plt.close("all")
