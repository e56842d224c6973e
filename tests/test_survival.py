"""Survival: Kaplan–Meier, the log-rank test, Cox, retention, time to stage, dormancy.

Kaplan–Meier is pinned to a hand computation, and Kaplan–Meier (with its exponential
Greenwood band) and the log-rank test agree with lifelines (an independent
implementation) on random data; the durations are pinned on a small graph written out
here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import vchuang
from vchuang.errors import MissingDependencyError, ValidationError
from vchuang.graph import CommunityGraph
from vchuang.incubator import Transition
from vchuang.kernel.text import catalogue, fields_of
from vchuang.model import (
    Activity,
    Community,
    District,
    Link,
    Metadata,
    Project,
    Resident,
    Subdistrict,
)
from vchuang.survival import (
    cox,
    dormancy,
    kaplan_meier,
    logrank,
    months_before,
    retention,
    stage_times,
)

lifelines = pytest.importorskip("lifelines")
statistics = pytest.importorskip("lifelines.statistics")

# --------------------------------------------------------------------------- estimators


def test_kaplan_meier_by_hand() -> None:
    """Durations 3, 5+, 6, 6, 8+, 10 (+: censored). At risk 6 at t=3 (1 event): S=5/6;
    5 censored; at t=6 four at risk, 2 events: S=5/6*2/4=5/12; 8 censored; at t=10 one
    at risk, one event: S=0."""
    curve = kaplan_meier([3, 5, 6, 6, 8, 10], [1, 0, 1, 1, 0, 1])
    assert curve.times.tolist() == [0, 3, 5, 6, 8, 10]
    assert curve.at_risk.tolist() == [6, 6, 5, 4, 2, 1]
    assert curve.events.tolist() == [0, 1, 0, 2, 0, 1]
    assert curve.censored.tolist() == [0, 0, 1, 0, 1, 0]
    assert np.allclose(curve.survival, [1, 5 / 6, 5 / 6, 5 / 12, 5 / 12, 0])
    assert curve.median == 6.0
    assert curve.at(7.5) == pytest.approx(5 / 12) and curve.at(-1) == 1.0
    # Greenwood's sum at t=3: 1/(6*5); the band contains the estimate
    assert np.all(curve.lower <= curve.survival + 1e-12)
    assert np.all(curve.survival <= curve.upper + 1e-12)


def _random_cases(n: int = 12) -> list[tuple[list[int], list[bool], list[str]]]:
    """Small random data sets with ties and censoring (fixed seed; lifelines is slow,
    so a dozen cases rather than a Hypothesis run)."""
    rng = np.random.default_rng(20190921)
    cases = []
    for _ in range(n):
        size = int(rng.integers(2, 40))
        times = rng.integers(0, 30, size).tolist()
        events = (rng.random(size) < 0.6).tolist()
        groups = rng.choice(["a", "b", "c"], size).tolist()
        cases.append((times, events, groups))
    return cases


@pytest.mark.parametrize("case", _random_cases())
def test_kaplan_meier_agrees_with_lifelines(
    case: tuple[list[int], list[bool], list[str]],
) -> None:
    times, events, _ = case
    curve = kaplan_meier(times, events)
    kmf = lifelines.KaplanMeierFitter().fit(times, events)
    theirs = kmf.survival_function_.iloc[:, 0]
    assert np.allclose(curve.times, theirs.index.to_numpy(dtype=float))
    assert np.allclose(curve.survival, theirs.to_numpy())
    band = kmf.confidence_interval_.to_numpy()
    inside = (curve.survival > 0) & (curve.survival < 1)
    assert np.allclose(curve.lower[inside], band[inside, 0])
    assert np.allclose(curve.upper[inside], band[inside, 1])
    if 0 < curve.median < np.inf:  # lifelines says inf when S falls to 0.5 at time 0
        assert curve.median == pytest.approx(kmf.median_survival_time_)


@pytest.mark.parametrize("case", _random_cases())
def test_logrank_agrees_with_lifelines(case: tuple[list[int], list[bool], list[str]]) -> None:
    times, events, groups = case
    if len(set(groups)) < 2 or not any(events):
        return
    ours = logrank(times, events, groups)
    theirs = statistics.multivariate_logrank_test(times, groups, events)
    assert ours.statistic == pytest.approx(theirs.test_statistic, rel=1e-6, abs=1e-9)
    assert ours.p_value == pytest.approx(theirs.p_value, rel=1e-6, abs=1e-9)
    assert ours.observed.sum() == pytest.approx(ours.expected.sum())


def test_kaplan_meier_of_ties_at_time_zero() -> None:
    """Regression: events at time 0 (a volunteer seen once, then gone) lower S(0)."""
    curve = kaplan_meier([0, 0, 0, 0, 0, 0], [False, False, False, True, True, True])
    assert curve.times.tolist() == [0.0] and curve.survival.tolist() == pytest.approx([0.5])
    assert curve.median == 0.0  # lifelines' log-sum gives 0.5000000000000001: still a half


def test_logrank_of_one_group_is_nan() -> None:
    test = logrank([1, 2], [True, True], ["a", "a"])
    assert np.isnan(test.statistic) and test.df == 0


def test_cox_agrees_with_lifelines_directly() -> None:
    t = [5, 6, 6, 2, 4, 4, 8, 9, 3, 7]
    e = [1, 0, 1, 1, 1, 0, 1, 1, 1, 0]
    x = [0, 0, 1, 1, 1, 0, 0, 0, 1, 1]
    model = cox(t, e, {"x": x})
    import pandas as pd

    ref = lifelines.CoxPHFitter().fit(pd.DataFrame({"t": t, "e": e, "x": x}), "t", "e")
    assert model.coef[0] == pytest.approx(ref.params_["x"])
    assert model.hazard_ratio[0] == pytest.approx(np.exp(ref.params_["x"]))
    assert model.lower[0] < model.hazard_ratio[0] < model.upper[0]
    assert model.to_rows()[0]["covariate"] == "x"
    assert len(repr(model)) < 300


def test_cox_without_lifelines_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "lifelines", None)
    with pytest.raises(MissingDependencyError, match=r"vchuang\[survival\]"):
        cox([1, 2], [True, False], {"x": [0, 1]})


def test_kaplan_meier_and_logrank_without_lifelines_name_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both go through lifelines now: without it, the one error that says what to install."""
    import sys

    for name in ("lifelines", "lifelines.statistics", "lifelines.utils"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(MissingDependencyError, match=r"vchuang\[survival\]"):
        kaplan_meier([1, 2], [True, False])
    with pytest.raises(MissingDependencyError, match=r"vchuang\[survival\]"):
        logrank([1, 2], [True, False], ["a", "b"])


def test_estimators_of_no_subjects() -> None:
    """lifelines refuses an empty sample; an empty curve and a NaN test are answered here."""
    curve = kaplan_meier([], [])
    assert curve.survival.tolist() == [1.0] and curve.subjects == 0
    assert np.isnan(logrank([], [], []).p_value)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValidationError, match="durations"):
        kaplan_meier([-1, 2], [True, True])
    with pytest.raises(ValidationError, match="events"):
        kaplan_meier([1, 2], [True])
    with pytest.raises(ValidationError, match="alpha"):
        kaplan_meier([1, 2], [True, True], alpha=1.5)


# --------------------------------------------------------------------------- records


def _small() -> CommunityGraph:
    """Community a: v1 active May..Nov (censored), v2 May..Jun (left), v3 once in Aug;
    community b: v4 Jun..Dec. Data end 2019-12-31; three months without activity = left."""
    g = CommunityGraph(metadata=Metadata(as_of=dt.date(2019, 12, 31)))
    g.add(District(id="d", name="D"), Subdistrict(id="s", name="S", district="d"))
    g.add(
        Community(id="a", name="A", subdistrict="s"), Community(id="b", name="B", subdistrict="s")
    )
    for i, c in ((1, "a"), (2, "a"), (3, "a"), (4, "b")):
        g.add(Resident(id=f"v{i}", name=f"V{i}", community=c, roles=["volunteer"]))
    g.add(Resident(id="x", name="X", community="a"))
    g.add(
        Project(id="p1", name="P1", community="a", started=dt.date(2019, 5, 1), stage="running"),
        Project(id="p2", name="P2", community="b", started=dt.date(2019, 6, 1),
                stage="empowerment"),
    )  # fmt: skip

    def act(i: int, day: dt.date, people: list[str], project: str | None = None) -> Activity:
        return Activity(id=f"a{i}", name=f"A{i}", activity_kind="service", date=day,
                        place="a", project=project, attendees=people)  # fmt: skip

    g.add(
        act(1, dt.date(2019, 5, 1), ["v1", "v2"], "p1"),
        act(2, dt.date(2019, 6, 1), ["v2", "v4"], "p2"),
        act(3, dt.date(2019, 8, 1), ["v3", "x"], "p1"),
        act(4, dt.date(2019, 11, 1), ["v1"], "p2"),
        act(5, dt.date(2019, 12, 1), ["v4"]),
    )
    g.add(Link(source="v1", relation="volunteers_in", target="p1"))
    return g


def test_retention_by_hand() -> None:
    r = retention(_small())
    rows = {row["subject"]: row for row in r.to_rows()}
    assert set(rows) == {"v1", "v2", "v3", "v4"}  # x has no volunteer role
    assert rows["v1"]["event"] is False and rows["v1"]["days"] == 244  # May 1 -> Dec 31
    assert rows["v2"]["event"] is True and rows["v2"]["days"] == 31  # May 1 -> Jun 1
    assert rows["v3"]["event"] is True and rows["v3"]["days"] == 0  # once, Aug 1
    assert rows["v4"]["event"] is False and rows["v4"]["days"] == 213
    assert r.logrank.groups == ("a", "b")
    assert r.curve("a").subjects == 3
    everyone = retention(_small(), everyone=True)
    assert "x" in everyone.subjects
    longer = retention(_small(), dormant_after=6)
    assert not dict(zip(longer.subjects, longer.events, strict=True))["v3"]


def test_stage_times_by_hand() -> None:
    """p1 starts May 1, reaches seed selection Jun 1, empowerment Jul 1, running (via
    branding and linkage) Sep 1; p2 starts Jun 1, seed selection Jul 1, empowerment
    Oct 1, still there at the end."""

    def move(p: str, a: str, b: str, day: dt.date) -> Transition:
        return Transition(project=p, from_stage=a, to_stage=b, date=day, who="sw", why="ok")

    history = [
        move("p1", "selected", "seed_selection", dt.date(2019, 6, 1)),
        move("p1", "seed_selection", "empowerment", dt.date(2019, 7, 1)),
        move("p1", "empowerment", "branding", dt.date(2019, 8, 1)),
        move("p1", "branding", "resource_linkage", dt.date(2019, 8, 15)),
        move("p1", "resource_linkage", "running", dt.date(2019, 9, 1)),
        move("p2", "selected", "seed_selection", dt.date(2019, 7, 1)),
        move("p2", "seed_selection", "empowerment", dt.date(2019, 10, 1)),
    ]
    times = stage_times(_small(), history)
    assert times.stages == ("seed_selection", "empowerment", "branding", "resource_linkage",
                            "running")  # fmt: skip
    seed = times["seed_selection"]
    assert seed.durations.tolist() == [31, 30] and seed.events.tolist() == [True, True]
    grad = times.graduated
    assert grad.durations.tolist() == [123, 213] and grad.events.tolist() == [True, False]
    rows = {row["stage"]: row for row in times.to_rows()}
    assert rows["running"]["reached"] == 1 and rows["running"]["left_out"] == 0
    # without a history, p1 is running with no dated move: left out, not guessed
    bare = stage_times(_small(), [])
    assert bare.graduated.left_out == 1 and len(bare.graduated) == 1


def test_stage_times_refuse_a_stage_off_the_path() -> None:
    with pytest.raises(ValidationError, match="dropped"):
        stage_times(_small(), [], stages=["dropped"])


def test_dormancy_by_hand() -> None:
    d = dormancy(_small(), months=3)
    assert d.dormant_ids == ("v2", "v3")  # last Jun 1 and Aug 1, before Sep 30
    assert dormancy(_small(), everyone=True).dormant_ids == ("v2", "v3", "x")
    p = dormancy(_small(), kind="project", months=2)
    assert p.dormant_ids == ("p1",)  # last Aug 1, before Oct 31; p2's Nov 1 is after
    assert dict(zip(p.ids, p.last, strict=True))["p2"] == dt.date(2019, 11, 1)


def test_months_before_clips_to_the_month() -> None:
    assert months_before(dt.date(2019, 3, 31), 1) == dt.date(2019, 2, 28)
    assert months_before(dt.date(2019, 1, 15), 13) == dt.date(2017, 12, 15)


def test_retention_cox_by_community() -> None:
    r = retention(vchuang.datasets.longgang_pilot())
    model = r.cox(penalizer=0.1)
    assert len(model.covariates) == 2  # three communities, one the reference


def test_catalogue_entries_have_both_languages() -> None:
    entries = {k: v for k, v in catalogue().items() if k.startswith("survival.")}
    assert entries
    for value in entries.values():
        assert fields_of(value["en"]) == fields_of(value["zh"])


def test_plots_draw() -> None:
    g = _small()
    assert retention(g).plot().get_title()
    assert retention(g).plot(groups=False).get_title()
    assert dormancy(g).plot().get_title()
    assert stage_times(g, []).plot().get_title()


def test_reprs_stay_short_on_a_district() -> None:
    district = vchuang.datasets.synthetic(5_000, rng=1)
    r = retention(district)
    d = dormancy(district)
    for result in (r, d, r.overall, r.logrank):
        assert len(repr(result)) < 500
    assert len(r._repr_html_()) < 1000 and len(d._repr_html_()) < 1000
