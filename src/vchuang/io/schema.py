"""A JSON Schema of the vchuang JSON format, generated from the model.

:func:`json_schema` builds a `JSON Schema <https://json-schema.org>`_ (draft 2020-12)
of the document :func:`vchuang.save` writes, from the record classes themselves: every
attrs field of every entity kind, :class:`~vchuang.model.Link`,
:class:`~vchuang.model.Skill`, :class:`~vchuang.model.Metadata`,
:class:`~vchuang.model.Need` and :class:`~vchuang.model.SkillLevel` becomes a property
with its JSON type; enums become ``enum`` lists of their values, dates ISO strings,
money and counts integers; fields without a default are ``required`` and no other key is
allowed. Each field's validator adds what JSON Schema can say (``minimum``, ``minLength``,
``uniqueItems`` …); a validator the generator does not know stops it with an error, so the
schema cannot silently fall behind the model.

Some rules of the format need the whole document or the skill taxonomy and cannot be
written in JSON Schema; :data:`NOT_EXPRESSIBLE` lists them. A document that passes the
schema may still be refused by :func:`vchuang.load`, with the reason; one that fails the
schema is always refused.

``vchuang schema`` prints the schema (:func:`schema_command`).

Examples
--------
>>> import json, jsonschema, vchuang
>>> from vchuang.io.schema import json_schema
>>> schema = json_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> sorted(schema["$defs"]["Resident"]["required"])
['community', 'id', 'name']
>>> jsonschema.validate(json.loads(vchuang.dumps(vchuang.load_example())), schema)
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..model import (
    KIND_PLURALS,
    Link,
    Metadata,
    Need,
    Relation,
    Skill,
    SkillLevel,
    entity_kinds,
)
from ._json import FORMAT_VERSION

__all__ = ["NOT_EXPRESSIBLE", "json_schema", "schema_command"]

#: The rules of the format that JSON Schema cannot express, and why. ``vchuang.load``
#: checks them; the schema does not.
NOT_EXPRESSIBLE: Mapping[str, str] = {
    "unique IDs": "IDs must be unique across all sections of the document (JSON Schema "
    "compares whole items, not one field across several lists)",
    "references resolve": "a reference (a resident's community, a link's ends, an "
    "activity's attendees …) must name an entity of the right kind "
    "in the same document",
    "known skills": "a skill must be in the taxonomy: the default one plus the "
    "document's own `skills`, which the schema cannot see",
    "taxonomy tree": "a skill's parent must be a skill, without cycles",
    "one skill per resident": "a resident lists each skill once (items differ in level)",
    "unique need IDs": "need IDs are unique within a project and across the graph",
    "headcount": "an activity's `attendance` is at least the number of named attendees",
    "no self-link": "a link's target differs from its source",
    "one link per relation": "the same link (same ends and relation) is given once",
    "whole numbers": "JSON Schema's integer type accepts 3.0; vchuang wants 3 for money, "
    "counts and years",
    "ID whitespace": "an ID has no surrounding whitespace; the schema checks this with "
    "a regular expression, whose idea of whitespace may differ from "
    "Python's str.strip() for rare characters",
}

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_ID: dict[str, Any] = {"type": "string", "minLength": 1, "not": {"pattern": "^\\s|\\s$"}}
_NAME: dict[str, Any] = {"type": "string", "pattern": "\\S"}
_DATE: dict[str, Any] = {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}

Rule = Callable[[dict[str, Any]], None]


def _merge(extra: Mapping[str, Any]) -> Rule:
    def rule(schema: dict[str, Any]) -> None:
        target = schema
        if target.get("type") == "array":
            target = target["items"]
        target.update(extra)

    return rule


def _array(extra: Mapping[str, Any]) -> Rule:
    def rule(schema: dict[str, Any]) -> None:
        schema.update(extra)

    return rule


def _relation(schema: dict[str, Any]) -> None:
    schema["enum"] = [r.value for r in Relation if not r.derived]


def _ids(schema: dict[str, Any]) -> None:
    schema["items"].update(_ID)
    schema["uniqueItems"] = True


def _nothing(_schema: dict[str, Any]) -> None:
    return None


#: What each validator of the model adds to a field's schema. Keys are the validators'
#: ``module.qualname``; a validator missing here makes :func:`json_schema` fail.
_VALIDATORS: Mapping[str, Rule] = {
    "vchuang._validators.entity_id": _merge(_ID),
    "vchuang._validators.optional_id": _merge(_ID),
    "vchuang._validators.ids": _ids,
    "vchuang._validators.non_negative": _merge({"minimum": 0}),
    "vchuang._validators.positive": _merge({"exclusiveMinimum": 0}),
    "vchuang._validators.count_at_least_one": _merge({"minimum": 1}),
    "vchuang._validators.fen": _merge({"minimum": 0}),
    "vchuang._validators.text": _nothing,
    "vchuang._validators.name": _merge(_NAME),
    "vchuang.model._birth_year": _merge({"minimum": 1880, "maximum": 2100}),
    "vchuang.model._unique": _array({"uniqueItems": True}),
    "vchuang.model._unique_skills": _nothing,  # NOT_EXPRESSIBLE["one skill per resident"]
    "vchuang.model._unique_needs": _nothing,  # NOT_EXPRESSIBLE["unique need IDs"]
    "vchuang.model._need_target": _nothing,  # the `oneOf` of Need, below
    "vchuang.model._attendance": _merge({"minimum": 0}),  # and NOT_EXPRESSIBLE["headcount"]
    "vchuang.model._explicit": _relation,
    "vchuang.model._not_self": _merge(_ID),  # and NOT_EXPRESSIBLE["no self-link"]
}


def _type_schema(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The schema of a Python type as the JSON converter writes it."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or isinstance(hint, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) != 1:
            msg = f"cannot express the union {hint!r} in the JSON Schema"
            raise TypeError(msg)
        return {"anyOf": [_type_schema(options[0], defs), {"type": "null"}]}
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) != 2 or args[1] is not Ellipsis:
            msg = f"cannot express the tuple {hint!r} in the JSON Schema"
            raise TypeError(msg)
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer"}
    if hint is float:
        return {"type": "number"}
    if hint is str:
        return {"type": "string"}
    if hint is dt.date:
        return dict(_DATE)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        values = [m.value for m in hint]
        kind = "integer" if all(isinstance(v, int) for v in values) else "string"
        return {"type": kind, "enum": values}
    if isinstance(hint, type) and attrs.has(hint):
        _record_schema(hint, defs)
        return {"$ref": f"#/$defs/{hint.__name__}"}
    msg = f"cannot express the type {hint!r} in the JSON Schema"
    raise TypeError(msg)


def _validators(validator: Any) -> list[Any]:
    if validator is None:
        return []
    inner: tuple[Any, ...] | None = getattr(validator, "_validators", None)  # and_
    if inner is not None:
        return [x for v in inner for x in _validators(v)]
    found: list[Any] = [validator]
    return found


def _apply(field: attrs.Attribute[Any], schema: dict[str, Any], owner: str) -> None:
    target = schema
    if "anyOf" in schema:  # X | None: constrain the X
        target = schema["anyOf"][0]
    for validator in _validators(field.validator):
        name = f"{getattr(validator, '__module__', '?')}.{getattr(validator, '__qualname__', '?')}"
        rule = _VALIDATORS.get(name)
        if rule is None:
            msg = (
                f"the JSON Schema generator does not know the validator {name} of "
                f"{owner}.{field.name}; teach vchuang.io.schema what it means"
            )
            raise TypeError(msg)
        rule(target)


def _default(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [_default(v) for v in value]
    return value


def _description(cls: type) -> str:
    doc = (cls.__doc__ or "").strip()
    return " ".join(doc.split("\n\n")[0].split())


def _record_schema(cls: type, defs: dict[str, Any]) -> None:
    name = cls.__name__
    if name in defs:
        return
    defs[name] = {}  # placeholder against recursion
    hints = typing.get_type_hints(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        schema = _type_schema(hints[field.name], defs)
        _apply(field, schema, name)
        if field.default is attrs.NOTHING:
            required.append(field.name)
        elif not isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            schema["default"] = _default(field.default)
        properties[field.name] = schema
    out: dict[str, Any] = {
        "title": name,
        "description": _description(cls),
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        out["required"] = required
    if cls is Need:
        # _need_target: exactly one of `skill` or `resource`; a skill need asks for hours
        out["oneOf"] = [
            {
                "required": ["skill", "hours"],
                "properties": {
                    "skill": {"type": "string"},
                    "resource": {"type": "null"},
                    "hours": {"exclusiveMinimum": 0},
                },
            },
            {
                "required": ["resource"],
                "properties": {"resource": {"type": "string"}, "skill": {"type": "null"}},
            },
        ]
    defs[name] = out


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a vchuang document of the current version.

    Returns
    -------
    dict
        The schema, ready for ``json.dumps`` or a validator such as ``jsonschema``.
        Record schemas are under ``$defs`` by class name (``Resident``, ``Link`` …).

    Raises
    ------
    TypeError
        A record field has a type or validator the generator does not know (a bug to
        fix here when the model changes; the tests catch it).

    Notes
    -----
    What the schema cannot check is listed in :data:`NOT_EXPRESSIBLE`: unique IDs,
    references, known skills, and a few rules that join two fields.

    Examples
    --------
    >>> s = json_schema()
    >>> s["$defs"]["Project"]["properties"]["stage"]["enum"][:3]
    ['idea', 'proposed', 'selected']
    >>> s["$defs"]["Project"]["properties"]["budget_fen"]
    {'type': 'integer', 'minimum': 0, 'default': 0}
    """
    defs: dict[str, Any] = {}
    for cls in (Metadata, Skill, *entity_kinds().values(), Link, Need, SkillLevel):
        _record_schema(cls, defs)
    properties: dict[str, Any] = {
        "format": {"const": "vchuang", "description": "Marks the file as a vchuang document."},
        "format_version": {
            "type": "integer",
            "const": FORMAT_VERSION,
            "description": "The version of the format.",
        },
        "metadata": {"$ref": "#/$defs/Metadata"},
        "base_taxonomy": {
            "enum": ["default", "none"],
            "default": "default",
            "description": "Whether `skills` extends the built-in skill taxonomy or replaces it.",
        },
        "skills": {"type": "array", "items": {"$ref": "#/$defs/Skill"}},
    }
    for kind, cls in entity_kinds().items():
        properties[KIND_PLURALS[kind]] = {
            "type": "array",
            "items": {"$ref": f"#/$defs/{cls.__name__}"},
        }
    properties["links"] = {"type": "array", "items": {"$ref": "#/$defs/Link"}}
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"urn:vchuang:format:{FORMAT_VERSION}",
        "title": f"vchuang document (format version {FORMAT_VERSION})",
        "description": "A community graph of a community-governance incubator: places, "
        "residents, groups, organisations, projects, activities, "
        "resources, calls for ideas, proposals and the links between them. "
        "Generated from vchuang's model; see the 'JSON format' page.",
        "type": "object",
        "required": ["format_version"],
        "additionalProperties": False,
        "properties": properties,
        "$defs": defs,
    }


def schema_command() -> str:
    """The text ``vchuang schema`` prints: the schema as indented JSON (UTF-8).

    >>> schema_command().splitlines()[1]
    ' "$schema": "https://json-schema.org/draft/2020-12/schema",'
    """
    return json.dumps(json_schema(), indent=1, ensure_ascii=False)
