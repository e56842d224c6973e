"""IDs, names and references: which record a cell names (private).

Rows with an ID keep it (an ID used twice is a problem); rows without one get the next
free ``r0001``, ``p0001`` …. Every record is indexed by its folded name, and a place also
without its ending (``平南社区`` is found as ``平南``). A reference is resolved by ID first,
then by name; several records of one name are a problem unless a date picks one (an
attendance row naming an activity). An unknown name gets a "did you mean" from the names
and IDs of its kinds, and a resident's name is never repeated in a message.
Subdistricts and districts that communities name, with no table of their own, are created.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from typing import cast

from ...errors import CellError
from ...kernel.text import text as say
from ...model import KIND_PLURALS, LINK_KINDS, PLACE_KINDS, Relation
from ..cells import cell_error, cell_text, header_key
from ._sheets import location
from ._specs import ID_PREFIX, MAX_SUGGEST, SPECS, TABLES
from ._state import Hit, Row, State

__all__ = ["Linking"]


def _kinds(kinds: Sequence[str]) -> Callable[[str], str]:
    """The kinds a column names (``community``, ``resident or group``) in a language."""
    return lambda lang: say("tables.or", lang).join(say(f"tables.kind.{k}", lang) for k in kinds)


def _quoted(name: str) -> Callable[[str], str]:
    """A name as quoted in a language: ``'平南'`` in English, ``“平南”`` in Chinese."""
    return lambda lang: repr(name) if lang == "en" else f"“{name}”"


def _table(kind: str) -> Callable[[str], str]:
    """The table of a kind: ``communities`` in English, ``社区`` in Chinese."""
    return lambda lang: KIND_PLURALS[kind] if lang == "en" else say(f"tables.kind.{kind}", lang)


class Linking(State):
    """The steps that give IDs, index names and resolve references."""

    def register(self) -> None:
        if self.base is not None:
            for record in self.base:
                self._add_id(record.id, record.kind, None)
        for spec in TABLES:
            if spec.kind is None:
                continue
            for row in self.rows[spec.name]:
                given = row.values.get("id")
                if given is None:
                    continue
                found = self.ids.get(given)
                if found is not None:
                    kind, other = found
                    lang = self.p.lang
                    where = (
                        say("tables.id.also", lang, where=location(other.sheet, other.line, None))
                        if other
                        else say("tables.id.in_graph", lang, kind=say(f"tables.kind.{kind}", lang))
                    )
                    self._fail(
                        row,
                        "id",
                        say("tables.id.twice", lang, id=_quoted(given)(lang), where=where),
                        say("tables.id.hint_own", lang),
                    )
                    continue
                row.id = given
                self._add_id(given, spec.kind, row)
        for spec in TABLES:
            if spec.kind is None:
                continue
            generated: list[str] = []
            for row in self.rows[spec.name]:
                if row.id is not None or "id" in row.values:
                    continue
                candidate = self._next_id(spec.kind)
                row.id, row.generated = candidate, True
                self._add_id(candidate, spec.kind, row)
                generated.append(candidate)
            if generated:
                sheet = next(r.sheet for r in self.rows[spec.name] if r.generated)
                span = generated[0] if len(generated) == 1 else f"{generated[0]} … {generated[-1]}"
                n = len(generated)
                self.p.note(
                    sheet.label,
                    say(
                        f"tables.id.given_{'one' if n == 1 else 'many'}",
                        self.p.lang,
                        n=n,
                        span=span,
                    ),
                    say("tables.id.hint_column", self.p.lang),
                )
        self._index_names()
        self._implicit_places()

    def _index_names(self) -> None:
        for entity_id, (kind, row) in self.ids.items():
            names: list[str] = []
            if row is None:
                assert self.base is not None
                record = self.base.get(entity_id)
                names = [record.name, getattr(record, "name_zh", "")]
            else:
                names = [row.values.get("name", ""), row.values.get("name_zh", "")]
            keys: list[str] = []
            for name in names:
                if not name or not name.strip():
                    continue
                key = header_key(name)
                keys.append(key)
                if kind in PLACE_KINDS:
                    bare = re.sub(r"(社区|街道|区|community|subdistrict|street|district)$", "", key)
                    if bare and bare != key:
                        keys.append(bare)
            for key in dict.fromkeys(keys):
                self.names[kind].setdefault(key, []).append((entity_id, row))

    def _next_id(self, kind: str) -> str:
        n = self.counters.get(kind, 0)
        while True:
            n += 1
            candidate = f"{ID_PREFIX[kind]}{n:04d}"
            if candidate not in self.ids:
                self.counters[kind] = n
                return candidate

    def _add_id(self, entity_id: str, kind: str, row: Row | None) -> None:
        self.ids[entity_id] = (kind, row)

    def _implicit_places(self) -> None:
        """Create the subdistricts (and districts) that communities (and subdistricts)
        name, when no table of their own was given."""
        for level, parent, spec_name, source in (
            ("subdistrict", "district", "subdistricts", "communities"),
            ("district", None, "districts", "subdistricts"),
        ):
            if spec_name in self.given:
                continue
            created: dict[str, Row] = {}
            for row in self.rows[source]:
                texts = row.refs.get(level)
                if not texts or row.failed:
                    continue
                text = texts[0]
                key = header_key(text)
                if key in created or self._lookup(text, (level,)) is not None:
                    continue
                place = Row(sheet=row.sheet, line=row.line, spec=SPECS[spec_name], implicit=True)
                place.values["name"] = text
                place.id = self._next_id(level)
                if parent is not None:
                    ptexts = row.refs.get(parent)
                    if not ptexts:
                        self._fail(
                            row,
                            level,
                            say(
                                "tables.place.no_district",
                                self.p.lang,
                                name=_quoted(text)(self.p.lang),
                            ),
                            say("tables.place.hint_no_district", self.p.lang),
                        )
                        continue
                    place.refs[parent] = list(ptexts)
                created[key] = place
                self._add_id(place.id, level, place)
                self.rows[spec_name].append(place)
                self.names[level].setdefault(key, []).append((place.id, place))
                lang = self.p.lang
                self.p.note(
                    location(row.sheet, row.line, level),
                    say(
                        "tables.place.created",
                        lang,
                        level=say(f"tables.kind.{level}", lang),
                        name=_quoted(text)(lang),
                        id=repr(place.id) if lang == "en" else place.id,
                        table=say(f"tables.table.{spec_name}", lang),
                    ),
                )

    # -- references

    def _lookup(
        self, text: str, kinds: Sequence[str], *, date: dt.date | None = None
    ) -> Hit | None:
        found = self.ids.get(text)
        if found is not None and found[0] in kinds:
            return text, found[1]
        hits = self._by_name(text, kinds, date)
        return hits[0] if len(hits) == 1 else None

    def _by_name(self, text: str, kinds: Sequence[str], date: dt.date | None) -> list[Hit]:
        key = header_key(text)
        hits: dict[str, Hit] = {}
        for kind in kinds:
            keys = [key]
            if kind in PLACE_KINDS:
                bare = re.sub(r"(社区|街道|区)$", "", key)
                if bare:
                    keys.append(bare)
            for k in keys:
                for entity_id, row in self.names[kind].get(k, []):
                    hits.setdefault(entity_id, (entity_id, row))
        out = list(hits.values())
        if date is not None and len(out) > 1:
            out = [h for h in out if self._date_of(h) == date]
        return out

    def _date_of(self, hit: Hit) -> dt.date | None:
        entity_id, row = hit
        if row is not None:
            value = row.values.get("date")
            return value if isinstance(value, dt.date) else None
        assert self.base is not None
        return cast(dt.date | None, getattr(self.base.get(entity_id), "date", None))

    def _resolve(self, text: str, kinds: Sequence[str], *, date: dt.date | None = None) -> Hit:
        found = self.ids.get(text)
        if found is not None and found[0] in kinds:
            return text, found[1]
        hits = self._by_name(text, kinds, date)
        what = _kinds(kinds)
        people = kinds == ("resident",)
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            where = ", ".join(
                f"{h[0]}" + (f" at {location(h[1].sheet, h[1].line, None)}" if h[1] else "")
                for h in hits[:4]
            )
            raise cell_error(
                key="tables.ref.ambiguous",
                hint_key="tables.ref.hint_use_id_or_date"
                if "activity" in kinds
                else "tables.ref.hint_use_id",
                shown=(lambda lang: say("tables.ref.this_name", lang)) if people else _quoted(text),
                n=len(hits),
                what=what,
                where=where,
            )
        if found is not None:
            raise cell_error(
                key="tables.ref.wrong_kind", text=_quoted(text), kind=_kinds((found[0],)), what=what
            )
        pool = self._pool(tuple(kinds))
        close = (
            difflib.get_close_matches(
                header_key(text), list(pool), n=1, cutoff=0.5 if people else 0.6
            )
            if pool
            else []
        )
        table = _table(kinds[0])
        if people:
            if close:
                raise cell_error(
                    key="tables.ref.no_resident",
                    hint_key="tables.ref.hint_closest",
                    id=pool[close[0]],
                )
            raise cell_error(
                key="tables.ref.no_resident", hint_key="tables.ref.hint_add_resident", table=table
            )
        if close:
            raise cell_error(
                key="tables.ref.unknown",
                hint_key="tables.ref.hint_did_you_mean",
                what=what,
                text=_quoted(text),
                shown=lambda lang: self._display(pool[close[0]], lang),
            )
        raise cell_error(
            key="tables.ref.unknown",
            hint_key="tables.ref.hint_add",
            what=what,
            text=_quoted(text),
            table=table,
        )

    def _pool(self, kinds: tuple[str, ...]) -> dict[str, str]:
        """Names and IDs of ``kinds`` to suggest from (none past :data:`MAX_SUGGEST`,
        where looking for the nearest would take too long)."""
        found = self.pools.get(kinds)
        if found is not None:
            return found
        pool: dict[str, str] = {}
        for kind in kinds:
            for key, hits in self.names[kind].items():
                for entity_id, _ in hits:
                    pool.setdefault(key, entity_id)
            for entity_id, (k, _) in self.ids.items():
                if k == kind:
                    pool.setdefault(header_key(entity_id), entity_id)
        if len(pool) > MAX_SUGGEST:
            pool = {}
        self.pools[kinds] = pool
        return pool

    def _display(self, entity_id: str, lang: str = "en") -> str:
        _, row = self.ids[entity_id]
        if row is not None:
            names = [row.values.get("name", ""), row.values.get("name_zh", "")]
        else:
            assert self.base is not None
            record = self.base.get(entity_id)
            names = [record.name, getattr(record, "name_zh", "")]
        kept = [n for n in dict.fromkeys(names) if n and n != entity_id]
        if lang != "en":
            shown = " / ".join(f"“{n}”" for n in kept)
            return f"{shown}（编号 {entity_id}）" if shown else f"“{entity_id}”"
        shown = " / ".join(repr(n) for n in kept)
        return f"{shown} (ID {entity_id!r})" if shown else repr(entity_id)

    def resolve(self) -> None:
        for spec in TABLES:
            for row in self.rows[spec.name]:
                self._resolve_row(row)

    def _resolve_row(self, row: Row) -> None:
        spec = row.spec
        date = row.values.get("date") if spec.name == "attendance" else None
        subdistrict: str | None = None
        for field, texts in row.refs.items():
            if field == "district" and spec.name == "communities":
                continue  # used only to create the subdistrict
            col = spec.column(field)
            kinds: tuple[str, ...] = col.targets
            if spec.name == "ties":
                if "relation" in row.bad:
                    return
                relation = row.values.get("relation", Relation.KNOWS)
                kinds = LINK_KINDS[relation][0 if field == "source" else 1]
            out: list[Hit] = []
            for text in texts:
                try:
                    hit = self._resolve(text, kinds, date=date)
                except CellError as bad:
                    self._fail(row, field, *cell_text(bad, self.p.lang))
                    continue
                if hit[0] in (h[0] for h in out):
                    self._fail(
                        row,
                        field,
                        say("tables.ref.listed_twice", self.p.lang, id=hit[0]),
                        say("tables.ref.hint_give_once", self.p.lang),
                    )
                    continue
                out.append(hit)
            row.resolved[field] = out
            if field == "subdistrict" and spec.name in ("residents", "projects") and out:
                subdistrict = out[0][0]
        if subdistrict is not None and row.resolved.get("community"):
            community = row.resolved["community"][0][0]
            actual = self._parent(community)
            if actual is not None and actual != subdistrict:
                self._fail(
                    row,
                    "subdistrict",
                    say(
                        "tables.ref.other_subdistrict",
                        self.p.lang,
                        community=community,
                        actual=actual,
                        subdistrict=subdistrict,
                    ),
                    say("tables.ref.hint_other_subdistrict", self.p.lang),
                )

    def _parent(self, community: str) -> str | None:
        _, row = self.ids[community]
        if row is None:
            assert self.base is not None
            return cast(str | None, getattr(self.base.get(community), "subdistrict", None))
        hits = row.resolved.get("subdistrict")
        return hits[0][0] if hits else None
