"""Indicators per place: roll-ups are recomputed on the union, never summed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

import vchuang
from strategies import graphs
from vchuang import CommunityGraph, indicators
from vchuang.reach import surface


@pytest.fixture(scope="module")
def pilot() -> CommunityGraph:
    return vchuang.datasets.longgang_pilot()


def test_pilot_indicators_tell_the_case(pilot: CommunityGraph) -> None:
    table = indicators.table(pilot)
    district = table.level("district")[0]
    assert district.leaders == 16
    assert district.engaged >= 100
    assert district.projects >= 10
    assert [r.place for r in table.level("community")] == ["pingnan", "heao", "hehua"]


@settings(max_examples=40)
@given(graphs())
def test_roll_up_equals_recomputation_on_the_union(g: CommunityGraph) -> None:
    table = indicators.table(g)
    for row in table.rows:
        if row.level == "community":
            continue
        below = [table[c.id] for c in g.communities_in(row.place)]
        # additive measures add up ...
        for name in ("residents", "engaged", "leaders", "projects"):
            assert getattr(row, name) == sum(getattr(b, name) for b in below)
        # ... distinct people are a union, recomputed
        places = {
            row.place,
            *(c.id for c in g.communities_in(row.place)),
            *(s.id for s in g.subdistricts(row.place) if row.level == "district"),
        }
        attendees = {rid for a in g.activities() if a.place in places for rid in a.attendees}
        assert row.participants == len(attendees)
        leaders = [r.id for r in g.leaders(row.place)]
        assert row.unique_reach == (len(surface(g, leaders)) if leaders else 0)
        assert row.unique_reach <= sum(b.unique_reach for b in below) or not below


def test_a_resident_reached_in_two_communities_counts_once(pilot: CommunityGraph) -> None:
    g = pilot.copy()
    heao_activity = next(a for a in g.activities("heao") if a.project is not None)
    pingnan_attendees = {rid for a in g.activities("pingnan") for rid in a.attendees}
    pingnan_resident = next(
        r
        for r in g.residents("pingnan")
        if r.id in pingnan_attendees and r.id not in heao_activity.attendees
    )
    g.update(
        heao_activity.id, attendees=(*heao_activity.attendees, pingnan_resident.id), attendance=None
    )
    table = indicators.table(g)
    district = table.level("district")[0]
    communities = table.level("community")
    assert district.participants == sum(c.participants for c in communities) - 1


def test_monthly_series_adds_up(pilot: CommunityGraph) -> None:
    months = indicators.monthly(pilot)
    assert sum(m.activities for m in months) == len(pilot.activities())
    assert sum(m.attendance for m in months) == sum(a.headcount for a in pilot.activities())
    assert (
        months[-1].participants_to_date == indicators.table(pilot).level("district")[0].participants
    )
    assert [m.month for m in months] == sorted(m.month for m in months)
    assert indicators.monthly(vchuang.CommunityGraph()) == ()


def test_matched_and_unmet_hours_add_up_to_the_matching(pilot: CommunityGraph) -> None:
    from vchuang.matching import match

    result = match(pilot)
    table = indicators.table(pilot, matching=result)
    district = table.level("district")[0]
    assert district.matched_hours == pytest.approx(result.totals["hours_assigned"])
    assert district.unmet_hours == pytest.approx(result.totals["hours_unmet"])
    communities = table.level("community")
    assert sum(c.matched_hours or 0 for c in communities) == pytest.approx(district.matched_hours)
    assert indicators.table(pilot).rows[0].matched_hours is None
