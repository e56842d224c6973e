"""Records and links from rows: the model's own checks, and rows left out in a cascade (private).

Each entity row becomes a record of its kind (:func:`vchuang.model.entity_kinds`) with
its references resolved; the skills, attendance and needs tables add to the records they
name (those of the base graph included); the project columns, the memberships and the
ties tables give links. A row that names a row left out is left out too (or, in a list,
loses that item), again and again until nothing changes, each time with a problem that
says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import attrs

from ...errors import CellError, Problem, ValidationError
from ...kernel.text import text as say
from ...model import (
    KIND_PLURALS,
    ActivityKind,
    Entity,
    Level,
    Link,
    Need,
    Relation,
    SkillLevel,
    entity_kinds,
)
from ..cells import cell_error, cell_text
from ._sheets import location
from ._specs import LINK_COLUMNS, TABLES
from ._state import Row, State, field_of

__all__ = ["Building"]


def _quoted(name: str, lang: str) -> str:
    """A name or ID as quoted in a language: ``'pn-r01'`` in English, ``“pn-r01”`` in
    Chinese."""
    return repr(name) if lang == "en" else f"“{name}”"


def _said(problem: Problem, lang: str) -> tuple[str, str]:
    """A model problem's message and hint in the reader's language."""
    return problem.message_in(lang), problem.hint_in(lang)


class Building(State):
    """The steps that build records and links, and leave out rows in a cascade."""

    def _one(self, row: Row, field: str) -> str | None:
        hits = row.resolved.get(field)
        return hits[0][0] if hits else None

    def _many(self, row: Row, field: str) -> tuple[str, ...]:
        return tuple(h[0] for h in row.resolved.get(field, ()))

    def cascade(self) -> bool:
        """Fail rows whose single references point at failed rows; drop failed items
        from lists. Returns whether anything new failed."""
        changed = False
        for spec in TABLES:
            for row in self.rows[spec.name]:
                if row.failed:
                    continue
                dropped = False
                for field, hits in row.resolved.items():
                    col = spec.column(field)
                    keep = []
                    for entity_id, target in hits:
                        if target is None or not target.failed:
                            keep.append((entity_id, target))
                            continue
                        where = location(target.sheet, target.line, None)
                        if col.parse == "ref":
                            self._fail(
                                row,
                                field,
                                say(
                                    "tables.cascade.row",
                                    self.p.lang,
                                    id=_quoted(entity_id, self.p.lang),
                                    where=where,
                                ),
                                say("tables.cascade.hint", self.p.lang),
                            )
                            changed = dropped = True
                            break
                        key = (id(row), field, entity_id)
                        if key not in self.reported:
                            self.reported.add(key)
                            shown = row.sheet.headers.get(field, col.headers[0])
                            self.p.add(
                                row.sheet,
                                row.line,
                                field,
                                say(
                                    "tables.cascade.item",
                                    self.p.lang,
                                    id=_quoted(entity_id, self.p.lang),
                                    where=where,
                                    column=shown,
                                ),
                                say("tables.cascade.hint", self.p.lang),
                            )
                    if dropped:
                        break
                    row.resolved[field] = keep
        return changed

    def build(self) -> bool:
        """(Re)build every record from the rows that have not failed; returns whether a
        row failed while building."""
        changed = False
        skills: dict[str, list[tuple[Row, SkillLevel]]] = {}
        for row in self.rows["skills"]:
            if row.failed or not row.resolved.get("resident"):
                continue
            level = row.values.get("level", Level.BASIC)
            skills.setdefault(self._one(row, "resident") or "", []).append(
                (row, SkillLevel(skill=row.values["skill"], level=level))
            )
        attendance: dict[str, list[tuple[Row, str]]] = {}
        for row in self.rows["attendance"]:
            if row.failed or not row.resolved.get("activity") or not row.resolved.get("resident"):
                continue
            attendance.setdefault(self._one(row, "activity") or "", []).append(
                (row, self._one(row, "resident") or "")
            )
        needs: dict[str, list[tuple[Row, Need]]] = {}
        for row in self.rows["needs"]:
            if row.failed or not row.resolved.get("owner"):
                continue
            owner = self._one(row, "owner") or ""
            k = len(needs.get(owner, ())) + 1
            fields = {
                f: row.values[f]
                for f in ("skill", "resource", "hours", "people", "min_level", "note")
                if f in row.values
            }
            try:
                need = Need(id=row.values.get("id") or f"{owner}-n{k}", **fields)
            except ValidationError as exc:
                for p in exc.problems:
                    self._fail(row, field_of(p.path, row), *_said(p, self.p.lang))
                changed = True
                continue
            if any(n.id == need.id for _, n in needs.get(owner, [])):
                self._fail(
                    row,
                    "id",
                    say("tables.need_twice", self.p.lang, id=_quoted(need.id, self.p.lang)),
                    say("tables.need_twice_hint", self.p.lang),
                )
                changed = True
                continue
            needs.setdefault(owner, []).append((row, need))
        changed = self._base_updates(skills, attendance, needs) or changed
        for spec in TABLES:
            if spec.kind is None:
                continue
            for row in self.rows[spec.name]:
                if row.failed:
                    row.record = None
                    continue
                try:
                    row.record = self._record(row, skills, attendance, needs)
                except CellError as bad:
                    self._fail(row, None, *cell_text(bad, self.p.lang))
                    changed = True
                except ValidationError as exc:
                    for p in exc.problems:
                        self._fail(row, field_of(p.path, row), *_said(p, self.p.lang))
                    changed = True
        return changed

    def _base_updates(
        self,
        skills: Mapping[str, list[tuple[Row, SkillLevel]]],
        attendance: Mapping[str, list[tuple[Row, str]]],
        needs: Mapping[str, list[tuple[Row, Need]]],
    ) -> bool:
        """Skills, attendees and needs the tables add to records of the base graph."""
        self.updates: dict[str, tuple[Entity, list[Row]]] = {}
        if self.base is None:
            return False
        changed = False
        for field, table, extra in (
            ("skills", "resident", skills),
            ("attendees", "activity", attendance),
            ("needs", "owner", needs),
        ):
            for entity_id, entries in extra.items():
                if self.ids[entity_id][1] is not None:
                    continue  # a record of the tables: built with its row
                record = self.base.get(entity_id)
                listed = list(getattr(record, field))
                rows: list[Row] = []
                for erow, item in entries:
                    key = (
                        getattr(item, "skill", None)
                        if field == "skills"
                        else (getattr(item, "id", item))
                    )
                    if any(
                        (getattr(x, "skill", None) if field == "skills" else getattr(x, "id", x))
                        == key
                        for x in listed
                    ):
                        self._fail(
                            erow,
                            table if table != "owner" else "owner",
                            say(
                                f"tables.base.listed.{field}",
                                self.p.lang,
                                item=_quoted(str(key), self.p.lang),
                                id=_quoted(entity_id, self.p.lang),
                            ),
                            say("tables.ref.hint_give_once", self.p.lang),
                        )
                        changed = True
                        continue
                    listed.append(item)
                    rows.append(erow)
                if not rows:
                    continue
                try:
                    changes: dict[str, Any] = {field: tuple(listed)}
                    new = attrs.evolve(record, **changes)
                except ValidationError as exc:
                    for erow in rows:
                        for p in exc.problems:
                            message, hint = _said(p, self.p.lang)
                            self._fail(
                                erow,
                                None,
                                say(
                                    "tables.base.problem",
                                    self.p.lang,
                                    id=_quoted(entity_id, self.p.lang),
                                    message=message,
                                ),
                                hint,
                            )
                    changed = True
                    continue
                self.updates[entity_id] = (new, rows)
        return changed

    def _record(
        self,
        row: Row,
        skills: Mapping[str, list[tuple[Row, SkillLevel]]],
        attendance: Mapping[str, list[tuple[Row, str]]],
        needs: Mapping[str, list[tuple[Row, Need]]],
    ) -> Entity:
        spec = row.spec
        kind = cast(str, spec.kind)
        cls = entity_kinds()[kind]
        assert row.id is not None
        fields: dict[str, Any] = {"id": row.id}
        names = {a.name for a in attrs.fields(cls)}
        for field, value in row.values.items():
            if field in names and field != "id":
                fields[field] = value
        for field in row.resolved:
            col = spec.column(field)
            if field in names:
                fields[field] = (
                    self._many(row, field) if col.parse == "refs" else self._one(row, field)
                )
        for field in ("budget", "cost", "amount"):
            if f"{field}_yuan" in row.values:
                fields[f"{field}_fen"] = row.values[f"{field}_yuan"]
        if kind == "resident":
            if "age" in row.values:
                band = row.values["age"]
                if "age_band" in row.values and row.values["age_band"] is not band:
                    raise cell_error(
                        key="tables.cell.age_band_disagree", hint_key="tables.cell.hint_one_column"
                    )
                fields["age_band"] = band
            extra = skills.get(row.id, [])
            have = list(fields.get("skills", ()))
            for srow, item in extra:
                if any(s.skill == item.skill for s in have):
                    self._fail(
                        srow,
                        "skill",
                        say(
                            "tables.skill_twice",
                            self.p.lang,
                            skill=_quoted(item.skill, self.p.lang),
                            id=_quoted(row.id, self.p.lang),
                        ),
                        say("tables.skill_twice_hint", self.p.lang),
                    )
                    continue
                have.append(item)
            fields["skills"] = tuple(have)
        elif kind == "activity":
            fields.setdefault("activity_kind", ActivityKind.OTHER)
            if fields.get("place") is None:
                project = fields.get("project")
                place = self._community_of(project) if project else None
                if place is None:
                    raise cell_error(
                        key="tables.cell.no_place", hint_key="tables.cell.hint_no_place"
                    )
                fields["place"] = place
            listed = list(fields.get("attendees", ()))
            for arow, resident in attendance.get(row.id, []):
                if resident in listed:
                    self._fail(
                        arow,
                        "resident",
                        say(
                            "tables.attendee_twice",
                            self.p.lang,
                            id=_quoted(resident, self.p.lang),
                            activity=_quoted(row.id, self.p.lang),
                        ),
                        say("tables.attendee_twice_hint", self.p.lang),
                    )
                    continue
                listed.append(resident)
            fields["attendees"] = tuple(listed)
        elif kind in ("project", "proposal"):
            fields["needs"] = tuple(n for _, n in needs.get(row.id, []))
        return cls(**fields)

    def _community_of(self, project: str) -> str | None:
        _, row = self.ids[project]
        if row is None:
            assert self.base is not None
            return cast(str, getattr(self.base.get(project), "community", None))
        return self._one(row, "community")

    def links(self) -> list[tuple[Link, Row, str, str]]:
        """(link, row, field of source, field of target) from ties, memberships and
        the project columns that add links."""
        out: list[tuple[Link, Row, str, str]] = []
        for row in self.rows["projects"]:
            if row.failed:
                continue
            for field, relation in LINK_COLUMNS.items():
                for resident in self._many(row, field):
                    assert row.id is not None
                    out.append(
                        (Link(source=resident, relation=relation, target=row.id), row, field, field)
                    )
        for row in self.rows["memberships"]:
            if row.failed:
                continue
            fields: dict[str, Any] = {}
            if "since" in row.values:
                fields["since"] = row.values["since"]
            link = self._link(row, "resident", Relation.MEMBER_OF, "group", fields)
            if link is not None:
                out.append((link, row, "resident", "group"))
        for row in self.rows["ties"]:
            if row.failed:
                continue
            fields = {
                f: row.values[f] for f in ("hours", "weight", "since", "until") if f in row.values
            }
            link = self._link(
                row, "source", row.values.get("relation", Relation.KNOWS), "target", fields
            )
            if link is not None:
                out.append((link, row, "source", "target"))
        return out

    def _link(
        self, row: Row, source: str, relation: Relation, target: str, fields: Mapping[str, Any]
    ) -> Link | None:
        a, b = self._one(row, source), self._one(row, target)
        if a is None or b is None:
            return None
        try:
            return Link(source=a, relation=relation, target=b, **fields)
        except ValidationError as exc:
            for p in exc.problems:
                self._fail(row, field_of(p.path, row), *_said(p, self.p.lang))
            return None

    def items(self) -> tuple[list[Entity | Link], dict[str, tuple[Row, str, str]]]:
        """The records and links to add, and where each came from (by token)."""
        items: list[Entity | Link] = []
        where: dict[str, tuple[Row, str, str]] = {}
        for kind in entity_kinds():
            for row in self.rows[KIND_PLURALS[kind]]:
                if not row.failed and row.record is not None:
                    where[f"\x00{len(items)}"] = (row, "", "")
                    items.append(row.record)
        for link, row, src, tgt in self.links():
            if row.failed:
                continue
            where[f"\x00{len(items)}"] = (row, src, tgt)
            items.append(link)
        return items, where
