"""The participation ladder: coding records on rungs, the timeline, transitions, shares.

Every count is pinned on a small graph written out here, where the rung of each resident
and each period can be read off by hand; the community shares go through
``vchuang.privacy.suppress_small``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import vchuang
from vchuang.errors import UnknownEntityError, ValidationError
from vchuang.graph import CommunityGraph
from vchuang.kernel.text import catalogue, fields_of
from vchuang.model import (
    Activity,
    Community,
    District,
    Link,
    Metadata,
    Project,
    Resident,
    Role,
    Subdistrict,
)
from vchuang.participation import DEFAULT_LADDER, RUNGS, Ladder, Participation, participation


def _small() -> CommunityGraph:
    """Two communities; a: r1 leads p1, r2 organises, r3 comes to outreach once, r4 to a
    training; b: r5 to a selection meeting, r6 nothing, sw a social worker."""
    g = CommunityGraph(metadata=Metadata(as_of=dt.date(2019, 12, 31)))
    g.add(District(id="d", name="D"), Subdistrict(id="s", name="S", district="d"))
    g.add(
        Community(id="a", name="A", subdistrict="s"), Community(id="b", name="B", subdistrict="s")
    )
    for i, c in ((1, "a"), (2, "a"), (3, "a"), (4, "a"), (5, "b"), (6, "b")):
        g.add(Resident(id=f"r{i}", name=f"R{i}", community=c))
    g.add(Resident(id="sw", name="SW", community="a", roles=[Role.SOCIAL_WORKER]))
    g.add(Project(id="p1", name="P1", community="a", started=dt.date(2019, 8, 1)))
    g.add(
        Activity(id="x1", name="X1", activity_kind="outreach", date=dt.date(2019, 5, 1),
                 place="a", organisers=["sw"], attendees=["r1", "r2", "r3"]),
        Activity(id="x2", name="X2", activity_kind="training", date=dt.date(2019, 8, 10),
                 place="a", project="p1", organisers=["r2"], attendees=["r1", "r4"]),
        Activity(id="x3", name="X3", activity_kind="selection_meeting", date=dt.date(2019, 11, 2),
                 place="b", attendees=["r5", "r2"]),
    )  # fmt: skip
    g.add(Link(source="r1", relation="leads", target="p1"))
    return g


def test_highest_rung_of_each_resident_by_hand() -> None:
    """r1 leads (since the project's start), r2 organised x2, r3 was informed, r4 took a
    training (involved), r5 was consulted, r6 has no record; the social worker is out."""
    result = participation(_small())
    assert result.residents == ("r1", "r2", "r3", "r4", "r5", "r6")
    got = {r: result.rung(r) for r in result}
    assert got == {"r1": "leading", "r2": "organising", "r3": "informed", "r4": "involved",
                   "r5": "consulted", "r6": "none"}  # fmt: skip
    assert result.counts == {"none": 1, "informed": 1, "consulted": 1, "involved": 1,
                             "organising": 1, "leading": 1}  # fmt: skip
    rows = {row["resident"]: row for row in result.to_rows()}
    assert rows["r1"]["date"] == dt.date(2019, 8, 1) and rows["r1"]["source"] == "leads"
    assert result.reason("r2") == "organised activity x2 on 2019-08-10"
    assert result.reason("r2", "zh") == "2019-08-10 组织了活动 x2"
    assert result.reason("r6") == "no involvement on record"
    with pytest.raises(UnknownEntityError):
        result.rung("sw")


def test_timeline_and_transitions_by_quarter_by_hand() -> None:
    """Quarters 2019Q2..Q4. r1: informed, leading, none; r2: informed, organising,
    consulted; r3: informed, none, none; r4: none, involved, none; r5: none, none,
    consulted; r6: none throughout."""
    result = participation(_small())
    assert result.periods == ("2019Q2", "2019Q3", "2019Q4")
    expected = [[0, 4, -1], [0, 3, 1], [0, -1, -1], [-1, 2, -1], [-1, -1, 1], [-1, -1, -1]]
    assert result.timeline.tolist() == expected
    m = result.transitions
    assert m.sum() == 6 * 2
    # none -> none: r3 (Q3 -> Q4), r5 (Q2 -> Q3), r6 twice
    assert m[0, 0] == 4
    assert m[1, 5] == 1 and m[1, 4] == 1 and m[1, 0] == 1  # informed -> leading/organising/none
    assert m[5, 0] == 1 and m[4, 2] == 1  # leading -> none, organising -> consulted
    assert result.by_period()[:, 0].tolist() == [3, 3, 4]


def test_months_give_one_period_a_month() -> None:
    result = participation(_small(), period="month")
    assert result.periods[0] == "2019-05" and result.periods[-1] == "2019-12"
    assert len(result.periods) == 8


def test_community_shares_hide_small_counts() -> None:
    result = participation(_small())
    rows = result.community_rows()
    assert [r["community"] for r in rows] == ["a", "b"]
    assert rows[0]["residents"] == 4
    assert rows[0]["leading"] == "<5" and rows[0]["share_leading"] is None
    assert rows[0]["none"] == 0 and rows[0]["share_none"] == 0.0
    open_rows = result.community_rows(threshold=1)
    assert open_rows[1]["consulted"] == 1 and open_rows[1]["share_consulted"] == 0.5
    transitions = result.transition_rows(threshold=1)
    assert transitions[0]["from"] == "none" and transitions[0]["none"] == 4


def test_as_of_leaves_later_records_out() -> None:
    result = participation(_small(), as_of=dt.date(2019, 6, 30))
    assert result.rung("r1") == "informed" and result.rung("r2") == "informed"
    assert result.periods == ("2019Q2",)


def test_place_keeps_its_residents_and_their_records_elsewhere() -> None:
    result = participation(_small(), "a")
    assert result.residents == ("r1", "r2", "r3", "r4")
    assert result.rung("r2") == "organising"


def test_a_custom_ladder_recodes_the_records() -> None:
    """Three rungs; training counts as "took part", leading as "ran"."""
    ladder = Ladder(
        rungs=("heard", "took_part", "ran"),
        attended={"outreach": "heard", "training": "took_part"},
        roles={"organised": "ran", "leads": "ran"},
    )
    result = participation(_small(), ladder=ladder)
    assert result.rungs == ("none", "heard", "took_part", "ran")
    assert result.rung("r5") == "none"  # selection meetings count for nothing here
    assert result.rung("r4") == "took_part" and result.rung("r1") == "ran"
    assert ladder.label("heard") == "heard"


def test_bad_ladder_and_arguments_say_what_to_do() -> None:
    with pytest.raises(ValidationError, match="not a rung"):
        Ladder(roles={"leads": "boss"})
    with pytest.raises(ValidationError, match="not a source"):
        Ladder(roles={"cooks": "leading"})
    with pytest.raises(ValidationError, match="period"):
        participation(_small(), period="week")
    with pytest.raises(ValidationError, match="place"):
        participation(_small(), "nowhere")


def test_default_ladder_is_the_five_rungs() -> None:
    assert DEFAULT_LADDER.rungs == RUNGS == (
        "informed", "consulted", "involved", "organising", "leading",
    )  # fmt: skip
    assert [row["rung"] for row in DEFAULT_LADDER.to_rows()] == list(RUNGS)


def test_catalogue_entries_have_both_languages() -> None:
    entries = {k: v for k, v in catalogue().items() if k.startswith("participation.")}
    assert entries
    for value in entries.values():
        assert fields_of(value["en"]) == fields_of(value["zh"])
    for rung in ("none", *RUNGS):
        assert f"participation.rung.{rung}" in entries


def test_pilot_has_every_rung_and_sums() -> None:
    result = participation(vchuang.datasets.longgang_pilot())
    assert sum(result.counts.values()) == len(result)
    assert result.counts["leading"] == 16  # the pilot's sixteen leaders
    assert result.transitions.sum() == len(result) * (len(result.periods) - 1)
    assert isinstance(result, Participation)


def test_plots_draw_each_kind() -> None:
    result = participation(_small())
    for kind in ("communities", "periods", "transitions"):
        ax = result.plot(kind=kind)
        assert ax.get_title()
    with pytest.raises(ValueError, match="kind"):
        result.plot(kind="pie")


def test_reprs_stay_short_on_a_district() -> None:
    district = vchuang.datasets.synthetic(5_000, rng=1)
    result = participation(district)
    assert len(repr(result)) < 500
    assert len(result._repr_html_()) < 1000
    assert np.all(result.highest >= -1)
