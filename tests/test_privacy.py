"""Privacy: keyed pseudonyms (deterministic per key, every reference rewritten, no name
left), redaction levels, minors never named, consent, small-cell suppression."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vchuang
from strategies import graphs
from vchuang import (
    Activity,
    CommunityGraph,
    Link,
    Metadata,
    Project,
    Relation,
    Resident,
    ValidationError,
)
from vchuang.privacy import (
    MIN_KEY_BYTES,
    Reveal,
    data_date,
    display_name,
    for_publication,
    is_minor,
    keyed_id,
    pseudonym_label,
    pseudonymize,
    redact,
    suppress_small,
)

KEY = "test key: sixteen bytes or more"


def _with_a_child(example: CommunityGraph) -> CommunityGraph:
    g = example.copy()
    g.add(
        Resident(
            id="kid",
            name="Xiaoming Secret",
            community="pingnan",
            birth_year=2010,
            consent_to_name=True,
        ),
        Resident(
            id="teen2019",
            name="Teen Then",
            community="pingnan",
            birth_year=2003,
            consent_to_name=True,
        ),
        Resident(
            id="ok",
            name="Consenting Adult",
            community="pingnan",
            birth_year=1980,
            consent_to_name=True,
        ),
    )
    g.update("pn-a1", attendees=(*g.get("pn-a1").attendees, "kid"))
    g.link("kid", Relation.KNOWS, "pn-r01")
    return g


# --------------------------------------------------------------------------- keyed IDs


def test_keyed_id_is_hmac_sha256_truncated() -> None:
    import hashlib
    import hmac

    digest = hmac.new(KEY.encode(), b"pn-r01", hashlib.sha256).hexdigest()
    assert keyed_id("pn-r01", KEY, prefix="r") == f"r-{digest[:16]}"
    assert keyed_id("pn-r01", KEY.encode()) == digest[:16]
    assert keyed_id("pn-r01", KEY + "x") != keyed_id("pn-r01", KEY)


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValidationError, match=f"at least {MIN_KEY_BYTES} bytes"):
        keyed_id("r1", "short")
    with pytest.raises(ValidationError, match=r"secrets\.token_hex"):
        pseudonymize(vchuang.load_example(), b"")


def test_pseudonyms_do_not_depend_on_the_hash_seed() -> None:
    code = (
        "import vchuang; from vchuang.privacy import pseudonymize; "
        f"print(vchuang.dumps(pseudonymize(vchuang.load_example(), {KEY!r})))"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1


# --------------------------------------------------------------------------- pseudonymize


def test_pseudonymize_rewrites_every_reference(example: CommunityGraph) -> None:
    g = _with_a_child(example)
    p = pseudonymize(g, KEY)
    ids = {r.id: keyed_id(r.id, KEY, prefix="r") for r in g.residents()}
    assert [r.id for r in p.residents()] == list(ids.values())
    assert not set(ids) & set(p.ids("resident"))
    for a, b in zip(g.activities(), p.activities(), strict=True):
        assert b.attendees == tuple(ids[x] for x in a.attendees)
        assert b.organisers == tuple(ids[x] for x in a.organisers)
    for x, y in zip(g.links(), p.links(), strict=True):
        assert y.source == ids.get(x.source, x.source)
        assert y.target == ids.get(x.target, x.target)
        assert (x.relation, x.weight, x.hours) == (y.relation, y.weight, y.hours)
    for r in p.residents():
        assert r.name == pseudonym_label(r.id)
        assert r.household is None or r.household.startswith("h-")
    # the structure is the same: same relations between the same (renamed) entities
    assert sorted(p.summary().relations.items()) == sorted(g.summary().relations.items())
    assert [x.id for x in p.projects()] == [x.id for x in g.projects()]


def test_pseudonymize_is_deterministic_per_key(example: CommunityGraph) -> None:
    a, b = pseudonymize(example, KEY), pseudonymize(example, KEY)
    assert a == b and vchuang.dumps(a) == vchuang.dumps(b)
    c = pseudonymize(example, KEY + " other")
    assert set(c.ids("resident")).isdisjoint(a.ids("resident"))


def test_pseudonymize_other_kinds(example: CommunityGraph) -> None:
    p = pseudonymize(example, KEY, kinds=["resident", "project", "group"])
    assert all(
        x.id.startswith("p-") and x.name.startswith("Project p-") and not x.name_zh
        for x in p.projects()
    )
    assert all(n.id.startswith("n-") for x in p.projects() for n in x.needs)
    assert all(a.project is None or a.project.startswith("p-") for a in p.activities())
    assert all(
        x.target.startswith(("p-", "g-", "r-"))
        for x in p.links()
        if x.relation in (Relation.LEADS, Relation.MEMBER_OF)
    )
    with pytest.raises(ValidationError, match="unknown kind 'people'"):
        pseudonymize(example, KEY, kinds=["people"])


@settings(max_examples=40, deadline=None)
@given(graphs())
def test_pseudonymize_any_graph(g: CommunityGraph) -> None:
    p = pseudonymize(g, KEY)
    assert len(p) == len(g) and len(p.links()) == len(g.links())
    assert sorted(p.summary().relations.items()) == sorted(g.summary().relations.items())
    names = {r.name for r in g.residents()}
    assert not names & {r.name for r in p.residents()}
    assert pseudonymize(g, KEY) == p


# --------------------------------------------------------------------------- minors, consent


def test_is_minor_counts_both_today_and_the_data_date() -> None:
    r = Resident(id="r", name="A", community="c", birth_year=2003)
    assert not is_minor(r) and is_minor(r, dt.date(2019, 12, 31))
    assert is_minor(Resident(id="r", name="A", community="c", age_band="teen"))
    assert not is_minor(Resident(id="r", name="A", community="c"), dt.date(2019, 1, 1))


def test_display_name_respects_consent_and_never_names_a_minor(example: CommunityGraph) -> None:
    g = _with_a_child(example)
    as_of = g.metadata.as_of
    assert display_name(g.get("ok", Resident), reveal=True, graph=g) == "Consenting Adult"
    assert display_name(g.get("ok", Resident), reveal=True, as_of=as_of) == "Consenting Adult"
    assert display_name(g.get("ok", Resident)) == "Resident ok"
    assert display_name(g.get("kid", Resident), reveal=True, graph=g) == "Resident kid"
    assert (
        display_name(g.get("teen2019", Resident), reveal=True, as_of=as_of) == "Resident teen2019"
    )
    assert display_name(g.get("pn-r01", Resident), reveal=True, graph=g) == "Resident pn-r01"


def test_display_name_without_as_of_judges_minority_on_the_data_date(
    example: CommunityGraph,
) -> None:
    # issue 17: born 2003, a minor on the data's date (2019), an adult today. With no
    # as_of, display_name took today's clock and named them.
    g = _with_a_child(example)
    teen = g.get("teen2019", Resident)
    assert teen.minor_on(data_date(g)) and not teen.minor_on(dt.date.today())
    assert display_name(teen, reveal=True, graph=g) == "Resident teen2019"
    # no date at all: a birth year may describe a child, so no name
    assert display_name(teen, reveal=True) == "Resident teen2019"
    assert display_name(g.get("ok", Resident), reveal=True) == "Resident ok"
    # a resident without a birth year or a minor band is named as before
    adult = Resident(id="a", name="Li Na", community="pingnan", consent_to_name=True)
    assert display_name(adult, reveal=True) == "Li Na"


def test_naming_paths_use_the_data_date_when_the_metadata_has_none(
    example: CommunityGraph,
) -> None:
    # no metadata.as_of: the latest dated record stands for the data's date, not today
    g = _with_a_child(example)
    undated = CommunityGraph(taxonomy=g.taxonomy, metadata=Metadata(title="no date"))
    undated.add_all(list(g) + g.links())
    day = data_date(undated)
    assert day is not None and day.year < 2003 + 18
    for level in ("minimal", "consented"):
        assert redact(undated, level).get("teen2019").name == "Resident teen2019"
    assert for_publication(undated, "all").get("teen2019").name == "Resident teen2019"
    assert for_publication(undated, "all").get("ok").name == "Consenting Adult"
    # a graph without any date (a bare roster) describes the present: judged on today,
    # so the adult keeps a name and the one born in 2003 (an adult today) too
    bare = CommunityGraph(taxonomy=g.taxonomy)
    bare.add_all([r for r in g if r.kind in ("district", "subdistrict", "community")])
    bare.add(g.get("ok"), g.get("teen2019"))
    assert data_date(bare) is None
    assert {r.name for r in redact(bare, "minimal").residents()} == {
        "Consenting Adult",
        "Teen Then",
    }
    # ... while display_name of a resident on its own, with no date, withholds the name
    # of anyone with a birth year, who might be a child in the data
    assert display_name(g.get("ok"), reveal=True) == "Resident ok"


@pytest.mark.parametrize("level", ["minimal", "consented", "standard", "strict"])
def test_no_level_names_a_minor(example: CommunityGraph, level: str) -> None:
    g = redact(_with_a_child(example), level)
    text = vchuang.dumps(g)
    assert "Xiaoming Secret" not in text and "Teen Then" not in text
    assert "Child A" not in text  # the example's own minor


def test_redaction_levels(example: CommunityGraph) -> None:
    g = _with_a_child(example)
    g.update("pn-p1", description="Zhang Hao's idea")
    minimal = redact(g, "minimal")
    assert minimal.get("pn-r01").name == "Zhang Hao" and minimal.get("pn-r01").birth_year
    assert minimal.get("pn-p1").description == "Zhang Hao's idea"
    consented = redact(g, "consented")
    assert consented.get("ok").name == "Consenting Adult"
    assert consented.get("pn-r01").name == "Resident pn-r01"
    assert consented.get("pn-p1").description == ""
    standard = redact(g)
    assert standard.get("ok").name == "Resident ok"
    r = standard.get("pn-r01", Resident)
    assert (r.birth_year, r.age_band.value, r.household) == (None, "adult", "pn-h01")
    # age bands as of the data's date: born 2003 was a teen at the end of 2019
    assert standard.get("teen2019", Resident).age_band.value == "teen"
    assert redact(g, as_of=dt.date(2025, 1, 1)).get("teen2019", Resident).age_band.value == "youth"
    strict = redact(g, "strict")
    assert strict.get("pn-r01", Resident).household is None
    assert all(not n.note for p in strict.projects() for n in p.needs)
    with pytest.raises(ValidationError, match="'public' is not a redaction level"):
        redact(g, "public")


def test_for_publication_levels(example: CommunityGraph) -> None:
    g = _with_a_child(example)
    nothing = for_publication(g, key=KEY)
    assert nothing == pseudonymize(redact(g), KEY)
    assert for_publication(g, "ids") == redact(g)
    assert for_publication(g, Reveal.CONSENTED) == redact(g, "consented")
    everything = for_publication(g, "all")
    assert everything.get("pn-r01").name == "Zhang Hao"
    assert everything.get("kid").name == "Resident kid"
    # no key: a fresh random one each time, so two exports cannot be linked
    assert set(for_publication(g).ids("resident")).isdisjoint(for_publication(g).ids("resident"))
    with pytest.raises(ValidationError, match="not a reveal level"):
        for_publication(g, "names")


# --------------------------------------------------------------------------- small cells


def test_suppress_small_primary_secondary_zeros() -> None:
    rows = [
        {"place": "A", "elders": 3, "children": 12, "adults": 40},
        {"place": "B", "elders": 9, "children": 0, "adults": 31},
        {"place": "C", "elders": 1, "children": 2, "adults": None},
    ]
    s = suppress_small(rows, ["elders", "children", "adults"])
    assert s.to_rows() == [
        {"place": "A", "elders": "<5", "children": "<5", "adults": 40},
        {"place": "B", "elders": 9, "children": 0, "adults": 31},
        {"place": "C", "elders": "<5", "children": "<5", "adults": None},
    ]
    assert [(c.row, c.column, c.reason) for c in s.cells] == [
        (0, "elders", "primary"),
        (0, "children", "secondary"),
        (2, "elders", "primary"),
        (2, "children", "primary"),
    ]
    assert rows[0]["elders"] == 3  # the input is not changed
    z = suppress_small(rows, ["children"], threshold=3, marker="*", zeros=True, secondary=False)
    assert [r["children"] for r in z.to_rows()] == [12, "*", "*"]
    assert z.suppressed == 2 and z.marker == "*"


@pytest.mark.parametrize(
    ("rows", "threshold", "message"),
    [
        ([{"n": 1}], 0, "threshold"),
        ([{"n": 1.5}], 5, "whole number"),
        ([{"n": True}], 5, "whole number"),
        ([{"n": -1}], 5, "whole number"),
        ([{"m": 1}], 5, "no column 'n'"),
    ],
)
def test_suppress_small_refuses_bad_input(
    rows: list[dict[str, Any]], threshold: int, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        suppress_small(rows, ["n"], threshold)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.fixed_dictionaries({c: st.integers(0, 12) for c in "abc"}), max_size=8),
    st.integers(1, 10),
)
def test_no_small_count_is_ever_shown(rows: list[dict[str, int]], threshold: int) -> None:
    s = suppress_small(rows, "abc", threshold)
    for before, after in zip(rows, s.to_rows(), strict=True):
        for c in "abc":
            shown = after[c]
            if isinstance(shown, int):
                assert shown == before[c] and not 0 < shown < threshold
        hidden = [c for c in "abc" if not isinstance(after[c], int)]
        assert len(hidden) != 1 or all(before[c] == 0 for c in "abc" if c not in hidden)


def test_records_untouched_by_redaction_are_the_same_objects(example: CommunityGraph) -> None:
    red = redact(example)
    assert red.get("pingnan") is example.get("pingnan")
    assert red.metadata == example.metadata


def test_pseudonymize_keeps_other_fields(example: CommunityGraph) -> None:
    g = CommunityGraph(metadata=Metadata(title="t"))
    g.add_all(list(example) + example.links())
    g.add(
        Project(id="px", name="P", community="pingnan"),
        Activity(
            id="ax",
            name="A",
            activity_kind="other",
            date=dt.date(2019, 1, 1),
            place="pingnan",
            project="px",
            attendees=["pn-r03"],
            attendance=9,
        ),
        Link(source="pn-r03", relation="volunteers_in", target="px", hours=2),
    )
    p = pseudonymize(g, KEY)
    ax = p.get("ax", Activity)
    assert ax.attendance == 9 and ax.attendees == (keyed_id("pn-r03", KEY, prefix="r"),)
    assert attrs.evolve(ax, attendees=()) == attrs.evolve(g.get("ax"), attendees=())
