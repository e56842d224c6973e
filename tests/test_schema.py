"""The JSON Schema: generated from the model, every valid document validates, every
schema-level malformed document fails, and the limits are the documented ones."""

from __future__ import annotations

import json
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

import vchuang
from strategies import graphs
from test_json import MALFORMED
from vchuang import CommunityGraph
from vchuang.io import schema as schema_module
from vchuang.io.schema import NOT_EXPRESSIBLE, json_schema, schema_command
from vchuang.model import Link, Metadata, Need, Skill, SkillLevel, entity_kinds

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)

#: Malformed documents the schema cannot catch, and the NOT_EXPRESSIBLE rule that says why.
BEYOND_THE_SCHEMA = {
    "dangling reference": "references resolve",
    "dangling link": "references resolve",
    "wrong kind": "references resolve",
    "duplicate ID": "unique IDs",
    "duplicate ID across kinds": "unique IDs",
    "unknown skill": "known skills",
    "bad taxonomy": "taxonomy tree",
}
#: Not JSON at all: no schema applies.
NOT_JSON = {"truncated", "empty"}


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_command_prints_the_schema() -> None:
    assert json.loads(schema_command()) == SCHEMA
    assert "\\u9700" not in schema_command()  # 需求 in Need's description is written as is


def test_the_example_and_the_pilot_validate(example: CommunityGraph) -> None:
    from vchuang.datasets import longgang_pilot

    for graph in (example, longgang_pilot()):
        VALIDATOR.validate(json.loads(vchuang.dumps(graph)))


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_every_valid_document_validates(g: CommunityGraph) -> None:
    VALIDATOR.validate(json.loads(vchuang.dumps(g)))


@pytest.mark.parametrize(("name", "text", "path"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_documents_against_the_schema(name: str, text: str, path: str) -> None:
    if name in NOT_JSON:
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)
        return
    doc = json.loads(text)
    errors = list(VALIDATOR.iter_errors(doc))
    if name in BEYOND_THE_SCHEMA:
        # documented limit: the schema passes it, vchuang.load refuses it
        assert BEYOND_THE_SCHEMA[name] in NOT_EXPRESSIBLE
        assert errors == [], [e.message for e in errors]
        with pytest.raises(vchuang.FormatError):
            vchuang.loads(text)
    else:
        assert errors, f"{name}: the schema should refuse it"
        # the schema points at the same place as vchuang's own reader
        places = [
            "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path)
            for e in errors
        ]
        section = path.split(" ", maxsplit=1)[0]
        assert any(section.startswith(p) or p.startswith(section) for p in places), (places, path)


def _all_records() -> list[type]:
    return [Metadata, Skill, *entity_kinds().values(), Link, Need, SkillLevel]


def test_the_schema_follows_the_model_field_by_field() -> None:
    for cls in _all_records():
        definition = SCHEMA["$defs"][cls.__name__]
        fields = [a for a in attrs.fields(cls) if a.init]
        assert list(definition["properties"]) == [a.name for a in fields]
        assert definition.get("required", []) == [
            a.name for a in fields if a.default is attrs.NOTHING
        ]
        assert definition["additionalProperties"] is False
    sections = {
        k
        for k in SCHEMA["properties"]
        if k not in ("format", "format_version", "metadata", "base_taxonomy", "skills", "links")
    }
    from vchuang.model import KIND_PLURALS

    assert sections == set(KIND_PLURALS.values())


def test_types_enums_dates_and_money() -> None:
    d = SCHEMA["$defs"]
    assert d["Project"]["properties"]["budget_fen"]["type"] == "integer"
    assert d["Project"]["properties"]["stage"]["enum"][0] == "idea"
    assert d["Activity"]["properties"]["date"]["format"] == "date"
    assert d["Resident"]["properties"]["birth_year"]["anyOf"][0] == {
        "type": "integer",
        "minimum": 1880,
        "maximum": 2100,
    }
    assert d["Link"]["properties"]["relation"]["enum"] == [
        "knows",
        "member_of",
        "leads",
        "co_leads",
        "volunteers_in",
        "supports",
        "funds",
        "linked_to",
    ]
    assert d["SkillLevel"]["properties"]["level"]["enum"] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("need", "ok"),
    [
        ({"id": "n", "skill": "design", "hours": 2}, True),
        ({"id": "n", "resource": "venue"}, True),
        ({"id": "n", "skill": "design"}, False),  # a skill need needs hours
        ({"id": "n", "skill": "design", "hours": 0}, False),
        ({"id": "n", "skill": "design", "resource": "venue", "hours": 2}, False),
        ({"id": "n"}, False),
    ],
)
def test_a_need_names_a_skill_or_a_resource(need: dict[str, Any], ok: bool) -> None:
    only_need = {"$schema": SCHEMA["$schema"], "$defs": SCHEMA["$defs"], "$ref": "#/$defs/Need"}
    errors = list(jsonschema.Draft202012Validator(only_need).iter_errors(need))
    assert (not errors) == ok
    try:
        Need(**need)
    except vchuang.ValidationError:
        model_ok = False
    else:
        model_ok = True
    assert model_ok == ok  # the schema says what the model says


def test_an_unknown_validator_stops_the_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(schema_module._VALIDATORS, "vchuang._validators.fen")
    with pytest.raises(TypeError, match=r"does not know the validator vchuang\._validators\.fen"):
        json_schema()
