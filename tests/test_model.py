"""Records validate their fields at construction and name the bad field."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vchuang import (
    Activity,
    ActivityKind,
    AgeBand,
    Level,
    Link,
    Need,
    Project,
    Relation,
    Resident,
    ResourceKind,
    Role,
    Skill,
    SkillTaxonomy,
    Stage,
    ValidationError,
    default_taxonomy,
)


def _problem_path(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return exc.value.problems[0].path


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", ""),
        ("id", " r1"),
        ("name", "   "),
        ("hours_per_week", -1),
        ("hours_per_week", float("nan")),
        ("birth_year", 1200),
        ("segments", ["a", "a"]),
    ],
)
def test_resident_rejects_bad_values_naming_the_field(field: str, value: object) -> None:
    fields = {"id": "r1", "name": "Chen", "community": "c1", field: value}
    with pytest.raises(ValidationError) as exc:
        Resident(**fields)  # type: ignore[arg-type]
    assert _problem_path(exc) == field


def test_records_are_frozen_and_keyword_only() -> None:
    r = Resident(id="r1", name="Chen", community="c1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        r.name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Resident("r1", "Chen", "c1")  # type: ignore[misc]


def test_collections_become_tuples_and_sets_are_sorted() -> None:
    r = Resident(
        id="r1",
        name="Chen",
        community="c1",
        segments={"b", "a", "c"},
        roles=["leader"],
        skills={"design": 2},
    )
    assert r.segments == ("a", "b", "c")
    assert r.roles == (Role.LEADER,)
    assert r.skill_level("design") is Level.INTERMEDIATE
    assert r.skill_level("writing") is None
    assert hash(r) == hash(attrs.evolve(r))


def test_minor_from_age_band_or_birth_year() -> None:
    day = dt.date(2019, 9, 21)
    assert Resident(id="c", name="Child", community="x", age_band=AgeBand.CHILD).minor_on(day)
    assert Resident(id="c", name="Child", community="x", birth_year=2009).minor_on(day)
    assert not Resident(id="a", name="Adult", community="x", birth_year=1989).minor_on(day)
    assert not Resident(id="a", name="Adult", community="x").minor_on(day)
    # the year one turns 18 is the first year as an adult
    assert Resident(id="t", name="T", community="x", birth_year=2002).minor_on(day)
    assert not Resident(id="t", name="T", community="x", birth_year=2001).minor_on(day)


def test_a_record_never_reads_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # Resident.minor read date.today(), so a frozen, value-compared record changed on
    # 1 January. minor_on depends on the record and the day only; the old property warns.
    real = dt.date

    class NoClock(real):
        @classmethod
        def today(cls) -> dt.date:
            msg = "a record read the clock"
            raise AssertionError(msg)

    r = Resident(id="t", name="T", community="x", birth_year=2002)
    monkeypatch.setattr(dt, "date", NoClock)
    assert r.minor_on(real(2019, 9, 21)) and not r.minor_on(real(2020, 9, 21))
    monkeypatch.undo()
    with pytest.warns(DeprecationWarning, match="minor_on"):
        assert isinstance(r.minor, bool)
    r = Resident(id="c", name="C", community="x", birth_year=2008)
    assert r.age_band_on(dt.date(2019, 9, 21)) is AgeBand.CHILD
    assert r.age_band_on(dt.date(2030, 1, 1)) is AgeBand.YOUTH


@given(st.integers(0, 120))
def test_age_bands_cover_every_age(age: int) -> None:
    band = AgeBand.from_age(age)
    assert band.minor == (age < 18)


def test_need_names_exactly_one_target() -> None:
    with pytest.raises(ValidationError):
        Need(id="n", skill="design", resource=ResourceKind.VENUE, hours=2)
    with pytest.raises(ValidationError):
        Need(id="n")
    with pytest.raises(ValidationError) as exc:
        Need(id="n", skill="design", hours=0)
    assert _problem_path(exc) == "hours"
    with pytest.raises(ValidationError) as exc:
        Need(id="n", skill="design", hours=1, min_level=7)
    assert _problem_path(exc) == "min_level"
    assert Need(id="n", resource="venue").resource is ResourceKind.VENUE  # type: ignore[arg-type]


def test_money_is_whole_fen() -> None:
    with pytest.raises(ValidationError) as exc:
        Project(id="p", name="P", community="c", budget_fen=12.5)  # type: ignore[arg-type]
    assert "fen" in str(exc.value)
    assert Project(id="p", name="P", community="c", budget_fen=1250).budget_fen == 1250


def test_activity_headcount_cannot_be_below_named_attendees() -> None:
    with pytest.raises(ValidationError) as exc:
        Activity(
            id="a",
            name="A",
            activity_kind=ActivityKind.OUTREACH,
            date=dt.date(2019, 9, 21),
            place="c",
            attendees=["r1", "r2"],
            attendance=1,
        )
    assert _problem_path(exc) == "attendance"
    a = Activity(
        id="a",
        name="A",
        activity_kind="outreach",  # type: ignore[arg-type]
        date=dt.date(2019, 9, 21),
        place="c",
        attendees=["r1"],
    )
    assert a.headcount == 1


def test_links_refuse_derived_relations_and_self_loops() -> None:
    with pytest.raises(ValidationError) as exc:
        Link(source="r1", relation=Relation.ATTENDED, target="a1")
    assert "attendees" in str(exc.value)
    with pytest.raises(ValidationError):
        Link(source="r1", relation=Relation.KNOWS, target="r1")
    a = Link(source="r2", relation="knows", target="r1")  # type: ignore[arg-type]
    b = Link(source="r1", relation="knows", target="r2")  # type: ignore[arg-type]
    assert a.key == b.key
    assert not Relation.LEADS.derived and Relation.ATTENDED.derived


def test_enum_labels_in_both_languages() -> None:
    assert Stage.BRANDING.label("zh") == "品牌创建"
    assert Role.TALENT.label("zh") == "能人"
    assert ActivityKind.MOBILISATION.label() == "mobilisation"


def test_default_taxonomy_covers_the_case() -> None:
    tax = default_taxonomy()
    for skill in (
        "graphic_design",
        "press_release",
        "public_speaking",
        "event_organising",
        "funding_application",
        "reimbursement",
        "child_safety_education",
        "elder_care",
        "counselling",
        "anti_fraud",
        "photography",
        "it_support",
        "plan_design",
        "bookkeeping",
    ):
        assert skill in tax
    assert tax.resolve("广告设计") == "graphic_design"
    assert tax.resolve("Public  Speaking") == "public_speaking"
    assert tax.suggest("reimbursment") == "reimbursement"
    assert tax.is_a("press_release", "communication")
    assert not tax.is_a("communication", "press_release")
    assert tax.distance("press_release", "press_release") == 0
    assert tax.distance("graphic_design", "photography") == 2
    assert "press_release" in tax.descendants("communication")
    assert tax.label("elder_care", "zh") == "长者照护"


def test_taxonomy_refuses_cycles_unknown_parents_and_duplicates() -> None:
    with pytest.raises(ValidationError, match="cycle"):
        SkillTaxonomy(skills=[Skill(id="a", en="A", parent="b"), Skill(id="b", en="B", parent="a")])
    with pytest.raises(ValidationError, match="parent"):
        SkillTaxonomy(skills=[Skill(id="a", en="A", parent="nowhere")])
    with pytest.raises(ValidationError, match="twice"):
        SkillTaxonomy(skills=[Skill(id="a", en="A"), Skill(id="a", en="A2")])
    bigger = default_taxonomy().extend([Skill(id="drone", en="drone flying", parent="technology")])
    assert bigger.parent("drone") == "technology" and len(bigger) == len(default_taxonomy()) + 1


def test_enum_values_typed_by_users_accept_either_spelling_and_any_case() -> None:
    # One spelling rule: British in code, both accepted where users type a value.
    from vchuang.model import OrgKind, Relation, Stage

    assert Relation("organized") is Relation("Organised") is Relation.ORGANISED
    assert OrgKind("Social Organization") is OrgKind.SOCIAL_ORGANISATION
    assert Stage("seed-selection") is Stage.SEED_SELECTION
    with pytest.raises(ValueError, match="not a valid"):
        Stage("sprouting")


def test_enum_labels_come_from_the_text_catalogue() -> None:
    from vchuang.kernel.text import text
    from vchuang.model import AgeBand, Stage

    for member in Stage:
        assert member.label("zh") == text(f"model.Stage.{member.value}", "zh")
        assert member.label("en") == member.value.replace("_", " ")
    assert AgeBand.ELDER.label("zh") == "长者"


# ------------------------------------------------- text is valid Unicode (issue 17 item 2)

_BAD_TEXT = [("\x00", "NUL character (U+0000)"), ("\ud800", "lone surrogate U+D800")]


@pytest.mark.parametrize(("bad", "words"), _BAD_TEXT)
@pytest.mark.parametrize(
    ("cls", "field", "base"),
    [
        (Resident, "name", {"id": "r1", "name": "Zhang", "community": "c1"}),
        (Resident, "id", {"id": "r1", "name": "Zhang", "community": "c1"}),
        (Resident, "community", {"id": "r1", "name": "Zhang", "community": "c1"}),
        (Project, "name_zh", {"id": "p1", "name": "Garden", "community": "c1"}),
        (Project, "description", {"id": "p1", "name": "Garden", "community": "c1"}),
        (Need, "note", {"id": "n1", "skill": "design", "hours": 2}),
        (Skill, "en", {"id": "drone", "en": "Drone"}),
    ],
)
def test_nul_and_lone_surrogate_were_accepted_then_crashed_save(
    cls: type, field: str, base: dict[str, object], bad: str, words: str
) -> None:
    # the defect: "\ud800" or a NUL in a name constructed and validated, and only save,
    # to_csv and the report crashed later; now the record refuses it, naming the field
    value = f"Zh{bad}ang" if field != "id" else f"r{bad}1"
    with pytest.raises(ValidationError) as info:
        cls(**{**base, field: value})
    (problem,) = info.value.problems
    assert problem.path == field
    assert words in problem.message
    assert "UTF-8" in problem.hint


@pytest.mark.parametrize(("bad", "words"), _BAD_TEXT)
def test_nul_and_lone_surrogate_are_refused_by_evolve_and_in_id_lists(bad: str, words: str) -> None:
    r = Resident(id="r1", name="Zhang", community="c1")
    with pytest.raises(ValidationError) as info:
        attrs.evolve(r, name=f"x{bad}")
    assert words in info.value.problems[0].message
    with pytest.raises(ValidationError) as info:
        Resident(id="r1", name="Zhang", community="c1", segments=["elders", f"kids{bad}"])
    assert info.value.problems[0].path == "segments"


def test_valid_unicode_text_is_kept() -> None:
    # astral characters (emoji, rare CJK), other scripts and control characters but NUL
    name = "张\U00020000浩 😀 Ñandú\tπ"
    assert Resident(id="r1", name=name, community="c1").name == name


@pytest.mark.parametrize(("bad", "words"), _BAD_TEXT)
@pytest.mark.parametrize("encode", [False, True])
def test_nul_and_lone_surrogate_in_json_are_refused_with_the_json_path(
    bad: str, words: str, encode: bool
) -> None:
    import json

    import vchuang
    from vchuang.errors import FormatError
    from vchuang.io import dumps, loads

    doc = json.loads(dumps(vchuang.datasets.synthetic(50, rng=1)))
    doc["residents"][3]["name"] = f"Zh{bad}ang"
    doc["metadata"]["title"] = f"Pilot{bad}"
    data = json.dumps(doc)  # escaped: \u0000, \ud800
    with pytest.raises(FormatError) as info:
        loads(data.encode() if encode else data)
    paths = {p.path: p for p in info.value.problems}
    assert set(paths) == {"$.residents[3].name", "$.metadata.title"}
    assert words in paths["$.residents[3].name"].message
