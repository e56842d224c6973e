"""The community graph: every entity and relation of an incubator in one store.

:class:`CommunityGraph` is a typed multigraph: a node is an entity ID carrying its
record (see :mod:`vchuang.model`); an edge is a typed :class:`~vchuang.model.Relation`.
Its :attr:`~CommunityGraph.nx` view is a :class:`networkx.MultiDiGraph` (edges keyed by
the relation's value) for any networkx algorithm. Relations come from two places, kept
in step by the graph:

* *derived* relations follow a record's own fields — a resident's ``community`` gives
  ``resident -located_in-> community``, an activity's ``attendees`` give
  ``resident -attended-> activity``;
* *explicit* relations are :class:`~vchuang.model.Link` records — ``knows``, ``leads``,
  ``volunteers_in`` …

Every change is checked as a whole before any of it is applied: a reference to a missing
ID, a relation between the wrong kinds, a duplicate ID or an unknown skill raises
:class:`~vchuang.errors.IntegrityError` listing every problem, and the graph is left as it
was. Iteration follows insertion order, so it never depends on the hash seed.

The store itself is a dict of records, a dict of links and an adjacency list per
(entity, relation); the networkx view and the sparse :attr:`~CommunityGraph.index` are
built from it on first use and rebuilt after a change. This keeps a district of a
million residents within memory: a ``MultiDiGraph`` holding every relation as an edge
needs several times more.

Examples
--------
>>> from vchuang import CommunityGraph
>>> from vchuang.model import District, Subdistrict, Community, Resident, Project, Relation
>>> g = CommunityGraph()
>>> g.add(District(id="longgang", name="Longgang", name_zh="龙岗区"),
...       Subdistrict(id="longgang-st", name="Longgang", district="longgang"),
...       Community(id="pingnan", name="Pingnan", name_zh="平南社区", subdistrict="longgang-st"),
...       Resident(id="r1", name="Chen Wei", community="pingnan"),
...       Project(id="p1", name="Dog walkers' pact", community="pingnan"))
>>> _ = g.link("r1", Relation.LEADS, "p1")
>>> [p.id for p in g.projects_led_by("r1")]
['p1']
>>> [r.id for r in g.residents("longgang")]
['r1']
>>> g.add(Resident(id="r2", name="Li Na", community="hehua"))
Traceback (most recent call last):
...
vchuang.errors.IntegrityError: resident 'r2'.community: no entity 'hehua' (hint: add the community first, or check the spelling)
"""

from __future__ import annotations

import difflib
import functools
import operator
import unicodedata
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from itertools import chain, compress, filterfalse, groupby, repeat
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

import attrs
import networkx as nx
import numpy as np
from networkx import Graph as NxGraph
from networkx import MultiDiGraph as NxMultiDiGraph

from .errors import IntegrityError, Problem, UnknownEntityError, ValidationError
from .kernel.text import text
from .model import (
    LINK_KINDS,
    REFERENCES,
    Activity,
    ActivityKind,
    Call,
    Community,
    District,
    Entity,
    Group,
    Link,
    Metadata,
    Organization,
    OrgKind,
    Project,
    Proposal,
    Reference,
    Relation,
    Resident,
    Resource,
    ResourceKind,
    Role,
    Segment,
    SkillTaxonomy,
    Stage,
    Subdistrict,
    default_taxonomy,
    entity_kinds,
    link_key,
)

if TYPE_CHECKING:
    import scipy.sparse

__all__ = ["CommunityGraph", "GraphIndex", "Summary"]

E = TypeVar("E", bound=Entity)


def _skill_refs(record: Entity) -> Iterator[tuple[str, str]]:
    """(field path, skill ID) for every skill a record names."""
    if isinstance(record, Resident):
        for i, item in enumerate(record.skills):
            yield f"skills[{i}].skill", item.skill
    elif isinstance(record, Project | Proposal):
        for i, need in enumerate(record.needs):
            if need.skill is not None:
                yield f"needs[{i}].skill", need.skill
    elif isinstance(record, Activity):
        for i, skill in enumerate(record.skills):
            yield f"skills[{i}]", skill


def _skill_ids(cls: type, records: list[Any]) -> Iterable[str]:
    """Every skill the ``records`` (all of class ``cls``) name, as :func:`_skill_refs`."""
    if cls is Resident:
        return map(_SKILL, chain.from_iterable(map(_SKILLS, records)))
    if cls is Activity:
        return chain.from_iterable(map(_SKILLS, records))
    if cls is Project or cls is Proposal:
        return [skill for record in records for _, skill in _skill_refs(record)]
    return ()


def _append_all(
    adj: dict[_AdjKey, list[str]],
    nodes: Iterable[str],
    relation: Relation,
    inward: bool,
    others: Iterable[str],
) -> None:
    """``adj[(node, relation, inward)].append(other)`` for each pair in turn (a new list
    for a new key).

    The pairs are first grouped by node in C loops (a :class:`~collections.defaultdict`
    keyed by the ID, whose hash is cached: no key tuple and no empty list per pair), then
    each node's list is stored under its key (``setdefault``: one hash per key), or
    added to the end of the list already there, so every list holds its ends in the
    order of the pairs.
    """
    grouped: defaultdict[str, list[str]] = defaultdict(list)
    deque(map(list.append, map(grouped.__getitem__, nodes), others), maxlen=0)
    found = list(grouped.values())
    stored = list(map(adj.setdefault, zip(grouped, repeat(relation), repeat(inward)), found))
    for old, new in compress(zip(stored, found, strict=True), map(operator.is_not, stored, found)):
        old.extend(new)  # the key had a list already


def _by_relation(relations: list[Relation]) -> dict[Relation, list[int]]:
    """The positions of each relation in ``relations`` (in order), in C loops."""
    found: defaultdict[Relation, list[int]] = defaultdict(list)
    deque(map(list.append, map(found.__getitem__, relations), range(len(relations))), maxlen=0)
    return found


def _link_columns(
    links: list[Link],
) -> Iterator[tuple[Relation, list[str], list[str]]]:
    """Each relation of ``links`` with the sources and the targets of its links, in
    order."""
    relations = list(map(_RELATION, links))
    sources = list(map(_SOURCE, links))
    targets = list(map(_TARGET, links))
    for relation, where in _by_relation(relations).items():
        if len(where) == len(links):
            yield relation, sources, targets
        else:
            yield (
                relation,
                list(map(sources.__getitem__, where)),
                list(map(targets.__getitem__, where)),
            )


def _grouped(
    items: Sequence[Entity | Link],
) -> tuple[dict[type, list[Any]] | None, list[Link]]:
    """The records of ``items`` by class (``None`` if any is not a record or a link)
    and the links."""
    groups: dict[type, list[Any]] = {}
    for cls, run in groupby(items, type):
        groups.setdefault(cls, []).extend(run)
    links = groups.pop(Link, [])
    if not all(cls in _RECORD_CLASSES for cls in groups):
        return None, links
    return groups, links


def _ref_values(record: Entity, ref: Reference) -> tuple[str, ...]:
    value = getattr(record, ref.field)
    if value is None:
        return ()
    return cast("tuple[str, ...]", value) if ref.many else (cast(str, value),)


_RECORD_CLASSES = tuple(entity_kinds().values())

#: For each relation, the record kinds whose fields give it and the fields.
REFERENCES_BY_REL_TMP: Mapping[Relation, tuple[tuple[str, Reference], ...]] = {
    rel: tuple(
        (kind, ref) for kind, refs in REFERENCES.items() for ref in refs if ref.relation is rel
    )
    for rel in Relation
}

#: Each kind's reference fields as (field, relation, the ``inward`` flag of the named
#: entity's adjacency key, many): what :meth:`CommunityGraph._apply` walks.
_REF_FIELDS: Mapping[str, tuple[tuple[str, Relation, bool, bool], ...]] = {
    kind: tuple((ref.field, ref.relation, not ref.inward, ref.many) for ref in refs)
    for kind, refs in REFERENCES.items()
}

_ID = operator.attrgetter("id")
_SKILL = operator.attrgetter("skill")
_SKILLS = operator.attrgetter("skills")
_SOURCE = operator.attrgetter("source")
_TARGET = operator.attrgetter("target")
_RELATION = operator.attrgetter("relation")
_KEY = operator.attrgetter("_key")  # Link.key without the property call
_NOT_NONE = functools.partial(operator.is_not, None)

#: (entity, relation, inward) -> the other ends, for explicit links and for the side of a
#: derived relation that the owning record's fields do not give.
_AdjKey = tuple[str, Relation, bool]


def _where(item: Entity | Link) -> str:
    if isinstance(item, Link):
        return f"link {item.source!r} -{item.relation.value}-> {item.target!r}"
    return f"{item.kind} {item.id!r}"


def _need_ids(record: Entity) -> Iterator[tuple[int, str]]:
    if isinstance(record, Project | Proposal):
        for i, need in enumerate(record.needs):
            yield i, need.id


def _kind_word(kind: str) -> Callable[[str], str]:
    """A kind of entity (``"resident"``) as a field of a problem: the kind's name in
    English, its word in another language."""

    def said(lang: str) -> str:
        return kind if lang == "en" else text(f"model.kind.{kind}", lang)

    return said


def _kinds_word(kinds: Iterable[str]) -> Callable[[str], str]:
    """Kinds joined by "or" (``"resident or group"``) as a field of a problem."""
    kinds = tuple(kinds)

    def said(lang: str) -> str:
        if lang == "en":
            return " or ".join(kinds)
        return text("model.kind.or", lang).join(text(f"model.kind.{k}", lang) for k in kinds)

    return said


@attrs.frozen(kw_only=True)
class Summary:
    """Counts that describe a graph at a glance; ``str()`` gives a readable table."""

    counts: Mapping[str, int]
    """Entities of each kind."""
    relations: Mapping[str, int]
    """Edges of each relation."""
    communities: tuple[Mapping[str, Any], ...]
    """Per community: residents, engaged residents, talents, leaders, projects,
    activities and total attendance."""
    title: str = ""

    def to_rows(self) -> list[dict[str, Any]]:
        """The per-community table as a list of dicts."""
        return [dict(row) for row in self.communities]

    def __str__(self) -> str:
        return self.render("en")

    def render(self, lang: str = "en") -> str:
        """The readable table in ``lang`` (``"en"`` or ``"zh"``): ``str(summary)`` for
        ``"en"``. Columns are aligned by display width, a Chinese character counting two.

        >>> from vchuang import load_example
        >>> print(load_example().summary().render("zh"))  # doctest: +ELLIPSIS
        Example: ...
          区 1、街道 1、社区 1、人群 3、...
             社区  居民  参与居民  骨干  带头人  项目  活动  参与人次
          Pingnan     9         6     0       1     3     4       260
        """
        head = self.title or text("model.summary.untitled", lang)
        kinds = text("model.count.sep", lang).join(
            text(f"model.count.{k}.{'one' if n == 1 else 'many'}", lang, n=n)
            for k, n in self.counts.items()
            if n
        )
        lines = [head, f"  {kinds or text('model.summary.empty', lang)}"]
        if self.communities:
            cols = (
                "community",
                "residents",
                "engaged",
                "talents",
                "leaders",
                "projects",
                "activities",
                "attendance",
            )
            names = [text(f"model.summary.{c}", lang) for c in cols]
            widths = [
                max(_width(name), *(_width(str(r[c])) for r in self.communities))
                for c, name in zip(cols, names, strict=True)
            ]
            lines.append("  " + "  ".join(_pad(n, w) for n, w in zip(names, widths, strict=True)))
            for row in self.communities:
                cells = (_pad(str(row[c]), w) for c, w in zip(cols, widths, strict=True))
                lines.append("  " + "  ".join(cells))
        return "\n".join(lines)


def _width(cell: str) -> int:
    """The width of ``cell`` on a terminal: a wide (Chinese) character counts two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in cell)


def _first_type_is_float(annotation: object) -> bool:
    """Whether a field's annotation is ``float`` (or ``float | None``), written as a
    string or resolved to types (cattrs resolves them in place once it has seen the
    class, so both forms occur in one process)."""
    if annotation is float:
        return True
    words = annotation if isinstance(annotation, str) else str(annotation)
    return words.split("|", maxsplit=1)[0].strip() in ("float", "<class 'float'>")


def _pad(cell: str, width: int) -> str:
    """``cell`` right-aligned in ``width`` columns of a terminal."""
    return " " * (width - _width(cell)) + cell


class CommunityGraph:
    """Residents, groups, organisations, projects, activities and resources of an
    incubator, and the relations between them, in one typed graph.

    Parameters
    ----------
    taxonomy
        The skills residents and needs may name; defaults to
        :func:`vchuang.model.default_taxonomy`.
    metadata
        What the dataset is (title, source, the date it describes).

    Notes
    -----
    :attr:`nx` is a :class:`networkx.MultiDiGraph` view built on first use; treat it as
    read-only (change the graph through its methods so that integrity checks hold).
    :meth:`to_networkx` gives a copy to change freely.
    """

    def __init__(
        self, *, taxonomy: SkillTaxonomy | None = None, metadata: Metadata | None = None
    ) -> None:
        self.taxonomy: SkillTaxonomy = taxonomy if taxonomy is not None else default_taxonomy()
        self.metadata: Metadata = metadata if metadata is not None else Metadata()
        self._records: dict[str, Entity] = {}
        self._adj: dict[_AdjKey, list[str]] = {}
        self._nx: nx.MultiDiGraph | None = None
        self._by_kind: dict[str, dict[str, None]] = {k: {} for k in entity_kinds()}
        self._links: dict[tuple[str, Relation, str], Link] = {}
        self._needs: dict[str, str] = {}  # need ID -> project or proposal ID
        self._version = 0
        self._index: GraphIndex | None = None

    # ------------------------------------------------------------------ basics

    @property
    def nx(self) -> nx.MultiDiGraph:
        """The graph as a :class:`networkx.MultiDiGraph`: nodes carry ``kind`` and
        ``record``; edges are keyed by the relation's value and carry ``relation`` and,
        for explicit links, ``link``. Built on first use, rebuilt after a change;
        read-only by convention (use :meth:`to_networkx` for a copy to change)."""
        if self._nx is None:
            g = nx.MultiDiGraph()
            g.add_nodes_from((i, {"kind": r.kind, "record": r}) for i, r in self._records.items())
            g.add_edges_from(
                (
                    u,
                    w,
                    rel.value,
                    {"relation": rel} if link is None else {"relation": rel, "link": link},
                )
                for u, w, rel, link in self.edges()
            )
            self._nx = g
        return self._nx

    def edges(
        self, relation: Relation | str | None = None
    ) -> Iterator[tuple[str, str, Relation, Link | None]]:
        """Every relation as ``(source, target, relation, link)``: derived relations
        first (``link`` is ``None``), then explicit links; optionally of one relation.
        A symmetric link is given once, in the direction it was added."""
        rels = list(Relation) if relation is None else [Relation(relation)]
        for rel in rels:
            for kind, ref in REFERENCES_BY_REL_TMP[rel]:
                for owner in self._by_kind[kind]:
                    record = self._records[owner]
                    for other in _ref_values(record, ref):
                        yield (other, owner, rel, None) if ref.inward else (owner, other, rel, None)
        for link in self._links.values():
            if relation is None or link.relation in rels:
                yield link.source, link.target, link.relation, link

    @property
    def version(self) -> int:
        """A counter that grows with every change (caches key on it)."""
        return self._version

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._records

    def __iter__(self) -> Iterator[Entity]:
        return iter(list(self._records.values()))

    def __getitem__(self, entity_id: str) -> Entity:
        return self.get(entity_id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CommunityGraph):
            return NotImplemented
        if self.taxonomy != other.taxonomy or self.metadata != other.metadata:
            return False
        if self._links != other._links or len(self) != len(other):
            return False
        return self._records == other._records

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(ids)} {k}" for k, ids in self._by_kind.items() if ids)
        return f"<CommunityGraph: {counts or 'empty'}>"

    @overload
    def get(self, entity_id: str) -> Entity: ...

    @overload
    def get(self, entity_id: str, kind: type[E]) -> E: ...

    def get(self, entity_id: str, kind: type[E] | None = None) -> Entity | E:
        """The record with this ID.

        Parameters
        ----------
        entity_id
            The ID.
        kind
            If given, the record class expected (``Resident`` …); another kind raises
            :class:`~vchuang.errors.ValidationError`.

        Raises
        ------
        UnknownEntityError
            No entity has this ID (the nearest ID is suggested).
        """
        try:
            record = self._records[entity_id]
        except (KeyError, TypeError):
            raise UnknownEntityError(entity_id, self._nearest(entity_id)) from None
        if kind is not None and not isinstance(record, kind):
            msg = f"{entity_id!r} is a {record.kind}, not a {getattr(kind, 'kind', kind)}"
            raise ValidationError([Problem("", msg)])
        return record

    def kind_of(self, entity_id: str) -> str:
        """The kind (``"resident"``, ``"project"`` …) of an entity."""
        return self.get(entity_id).kind

    def entities(self, kind: str | type[E] | None = None) -> list[Any]:
        """All records, or those of one kind (a kind name or record class), in
        insertion order."""
        if kind is None:
            return list(self)
        name = kind if isinstance(kind, str) else str(getattr(kind, "kind", kind))
        if name not in self._by_kind:
            msg = f"unknown kind {name!r}; kinds are {', '.join(self._by_kind)}"
            raise ValidationError([Problem("", msg)])
        records = self._records
        return [records[i] for i in self._by_kind[name]]

    def ids(self, kind: str) -> list[str]:
        """The IDs of one kind of entity, in insertion order."""
        return list(self._by_kind[kind])

    def _nearest(self, entity_id: str) -> str | None:
        if len(self._records) > 50_000 or not isinstance(entity_id, str):
            return None
        close = difflib.get_close_matches(entity_id, list(self._records), n=1, cutoff=0.7)
        return close[0] if close else None

    # ------------------------------------------------------------------ changes

    def add(self, *items: Entity | Link) -> None:
        """Add records and links, all or nothing.

        Records and links in one call may refer to each other in any order.

        Raises
        ------
        IntegrityError
            Listing every problem: duplicate IDs, references to missing entities or
            to the wrong kind, unknown skills, duplicate links. Nothing is added.
        """
        self._apply(list(items), _where)

    def add_all(self, items: Iterable[Entity | Link]) -> None:
        """Add many records and links at once (see :meth:`add`)."""
        self._apply(list(items), _where)

    def change(self, *, add: Iterable[Entity | Link] = (), replace: Iterable[Entity] = ()) -> None:
        """Add records and links and replace stored records in one step, all or nothing.

        Added and replacing records may refer to each other (a proposal replaced to
        name the project added with it).

        Raises
        ------
        UnknownEntityError
            A record to replace is not in the graph.
        IntegrityError
            Listing every problem (as :meth:`add` and :meth:`update`); nothing changes.
        """
        added = list(add)
        replaced = list(replace)
        problems = []
        for record in replaced:
            old = self.get(record.id)
            if type(old) is not type(record):
                msg = f"{record.id!r} is a {old.kind}; it cannot become a {record.kind}"
                problems.append(Problem(_where(record), msg, "remove it and add the new record"))
        if problems:
            raise IntegrityError(problems)
        self._apply([*added, *replaced], _where, replacing={r.id for r in replaced})

    def link(self, source: str, relation: Relation | str, target: str, **attrs_: Any) -> Link:
        """Add an explicit relation and return its :class:`~vchuang.model.Link`.

        ``attrs_`` are the link's optional fields: ``hours``, ``weight``, ``since``,
        ``until``.
        """
        item = Link(source=source, relation=Relation(relation), target=target, **attrs_)
        self.add(item)
        return item

    def unlink(self, source: str, relation: Relation | str, target: str) -> Link:
        """Remove an explicit relation and return it.

        Raises
        ------
        UnknownEntityError
            There is no such link.
        """
        rel = Relation(relation)
        found = self._links.pop(link_key(source, rel, target), None)
        if found is None:
            what = f"{source} -{rel.value}-> {target}"
            raise UnknownEntityError(what)
        self._unlink(found)
        self._touch()
        return found

    def update(self, entity: Entity | str, /, **changes: Any) -> Entity:
        """Replace a record (same ID, same kind), or change some of its fields.

        ``graph.update(new_record)`` replaces; ``graph.update("r1", hours_per_week=6)``
        changes fields of the stored record. Derived relations follow the new fields.
        Returns the stored record.

        Raises
        ------
        UnknownEntityError
            No record has this ID.
        IntegrityError
            The new record's references do not resolve, or the kind changed; nothing
            is changed.
        """
        old: Entity
        if isinstance(entity, str):
            old = self.get(entity)
            new = attrs.evolve(old, **changes)
        else:
            new = attrs.evolve(entity, **changes) if changes else entity
            old = self.get(new.id)
        if type(old) is not type(new):
            msg = f"{new.id!r} is a {old.kind}; it cannot become a {new.kind}"
            raise IntegrityError([Problem(_where(new), msg, "remove it and add the new record")])
        self._apply([new], _where, replacing=True)
        return new

    def remove(self, entity_id: str) -> tuple[Link, ...]:
        """Remove an entity and the explicit links touching it; return those links.

        Raises
        ------
        UnknownEntityError
            No entity has this ID.
        IntegrityError
            Other records refer to it in their fields (listed); remove or change them
            first. Nothing is changed.
        """
        record = self.get(entity_id)
        problems = []
        for rel in Relation:
            if not rel.derived:
                continue
            for inward in (True, False):
                for owner in self._adj.get((entity_id, rel, inward), ()):
                    if owner == entity_id:
                        continue
                    fields = [
                        ref.field
                        for kind, ref in REFERENCES_BY_REL_TMP[rel]
                        if kind == self._records[owner].kind
                    ]
                    problems.append(
                        Problem(
                            f"{self._records[owner].kind} {owner!r}.{fields[0]}",
                            f"refers to {entity_id!r}",
                            f"change {owner!r} before removing {entity_id!r}",
                        )
                    )
        if problems:
            raise IntegrityError(problems)
        dropped = tuple(link for key, link in self._links.items() if entity_id in (key[0], key[2]))
        for link in dropped:
            del self._links[link.key]
            self._unlink(link)
        self._drop_owned(record)
        for rel in Relation:
            for inward in (True, False):
                self._adj.pop((entity_id, rel, inward), None)
        del self._records[entity_id]
        del self._by_kind[record.kind][entity_id]
        self._touch()
        return dropped

    def copy(self) -> CommunityGraph:
        """An independent copy (records are immutable and shared)."""
        new = CommunityGraph(taxonomy=self.taxonomy, metadata=self.metadata)
        new._records = dict(self._records)
        new._adj = {k: list(v) for k, v in self._adj.items()}
        new._by_kind = {k: dict(v) for k, v in self._by_kind.items()}
        new._links = dict(self._links)
        new._needs = dict(self._needs)
        return new

    def _touch(self) -> None:
        self._version += 1
        self._index = None
        self._nx = None

    def _adj_add(self, key: _AdjKey, other: str) -> None:
        found = self._adj.get(key)
        if found is None:
            self._adj[key] = [other]
        else:
            found.append(other)

    def _adj_remove(self, key: _AdjKey, other: str) -> None:
        found = self._adj.get(key)
        if found is not None:
            found.remove(other)
            if not found:
                del self._adj[key]

    def _link_sides(self, link: Link) -> tuple[tuple[_AdjKey, str], ...]:
        rel = link.relation
        if rel is Relation.KNOWS:  # the symmetric relation: both ends look outward
            return ((link.source, rel, False), link.target), (
                (link.target, rel, False),
                link.source,
            )
        return ((link.source, rel, False), link.target), ((link.target, rel, True), link.source)

    def _unlink(self, link: Link) -> None:
        for key, other in self._link_sides(link):
            self._adj_remove(key, other)

    # -- the one place where changes are checked and applied

    def check(
        self,
        items: Sequence[Entity | Link],
        where: Callable[[Entity | Link], str] = _where,
        *,
        replacing: bool | Collection[str] = False,
    ) -> list[Problem]:
        """Every problem adding ``items`` would cause (empty if none); changes nothing.

        ``where`` names each item in the problems (the JSON loader passes JSON paths).
        ``replacing`` says which records may stand in for stored ones with the same ID:
        all of them (``True``), none (``False``) or those with the given IDs.

        A batch without any problem (the usual case, e.g. a whole document being
        loaded) is recognised in bulk, column by column (:meth:`_no_problem`); the
        record-by-record pass below runs only when there is something to report.
        """
        if replacing is False and self._no_problem(items):
            return []
        problems: list[Problem] = []
        batch: dict[str, Entity] = {}
        records: list[Entity] = []
        links: list[Link] = []
        for item in items:
            if isinstance(item, Link):
                links.append(item)
                continue
            if not isinstance(item, _RECORD_CLASSES):
                problems.append(
                    Problem.said(
                        str(where(item)), "model.check.not_record", type=type(item).__name__
                    )
                )
                continue
            records.append(item)
            if item.id in batch:
                problems.append(
                    Problem.said(
                        f"{where(item)}.id",
                        "model.check.id_twice",
                        "model.check.hint_own_id",
                        id=item.id,
                        other=where(batch[item.id]),
                    )
                )
                continue
            if item.id in self._records and not (
                replacing is True or (not isinstance(replacing, bool) and item.id in replacing)
            ):
                problems.append(
                    Problem.said(
                        f"{where(item)}.id",
                        "model.check.id_taken",
                        "model.check.hint_id_taken",
                        id=item.id,
                        kind=_kind_word(self._records[item.id].kind),
                    )
                )
                continue
            batch[item.id] = item

        def kind(entity_id: str) -> str | None:
            found = batch.get(entity_id)
            if found is not None:
                return found.kind
            existing = self._records.get(entity_id)
            return None if existing is None else existing.kind

        needs_seen: dict[str, str] = {}
        for record in records:
            for ref in REFERENCES[record.kind]:
                for j, target in enumerate(_ref_values(record, ref)):
                    field = f"{ref.field}[{j}]" if ref.many else ref.field
                    found = kind(target)
                    if found is None:
                        problems.append(
                            Problem.said(
                                f"{where(record)}.{field}",
                                "model.check.no_entity",
                                "model.check.hint_add_kind",
                                id=target,
                                kinds=_kinds_word(ref.kinds),
                            )
                        )
                    elif found not in ref.kinds:
                        problems.append(
                            Problem.said(
                                f"{where(record)}.{field}",
                                "model.check.wrong_kind",
                                id=target,
                                kind=_kind_word(found),
                                field=ref.field,
                                kinds=_kinds_word(ref.kinds),
                            )
                        )
            for field, skill in _skill_refs(record):
                if skill not in self.taxonomy:
                    near = self.taxonomy.suggest(skill)
                    problems.append(
                        Problem.said(
                            f"{where(record)}.{field}",
                            "model.check.unknown_skill",
                            "model.doc.hint_did_you_mean" if near else "model.check.hint_taxonomy",
                            skill=skill,
                            near=repr(near),
                        )
                    )
            for i, need_id in _need_ids(record):
                owner = needs_seen.get(need_id) or self._needs.get(need_id)
                if owner is not None and owner != record.id:
                    problems.append(
                        Problem.said(
                            f"{where(record)}.needs[{i}].id",
                            "model.check.need_taken",
                            "model.check.hint_need_taken",
                            id=need_id,
                            owner=owner,
                        )
                    )
                needs_seen[need_id] = record.id
        seen_links: dict[tuple[str, Relation, str], Link] = {}
        for link in links:
            src_kinds, tgt_kinds = LINK_KINDS[link.relation]
            for end, allowed in (("source", src_kinds), ("target", tgt_kinds)):
                entity_id = getattr(link, end)
                found = kind(entity_id)
                if found is None:
                    problems.append(
                        Problem.said(
                            f"{where(link)}.{end}",
                            "model.check.no_entity",
                            "model.check.hint_add_first",
                            id=entity_id,
                        )
                    )
                elif found not in allowed:
                    problems.append(
                        Problem.said(
                            f"{where(link)}.{end}",
                            f"model.check.link_{end}_kind",
                            relation=link.relation.value,
                            kinds=_kinds_word(allowed),
                            id=entity_id,
                            kind=_kind_word(found),
                        )
                    )
            if link.key in seen_links or link.key in self._links:
                problems.append(
                    Problem.said(
                        where(link),
                        "model.check.link_symmetric_twice"
                        if link.relation.symmetric
                        else "model.check.link_twice",
                        "model.check.hint_link_once",
                    )
                )
            seen_links[link.key] = link
        return problems

    def _apply(
        self,
        items: Sequence[Entity | Link],
        where: Callable[[Entity | Link], str],
        *,
        replacing: bool | Collection[str] = False,
        checked: bool = False,
    ) -> None:
        """Apply ``items``; ``checked=True`` when :meth:`check` just found no problem in
        exactly these items (the JSON reader), so as not to check them twice."""
        problems = [] if checked else self.check(items, where, replacing=replacing)
        if problems:
            raise IntegrityError(problems)
        # runs of items of one class, in order: records, and the links apart
        every: list[tuple[type, list[Any]]] = [(c, list(run)) for c, run in groupby(items, type)]
        links: list[Link] = [x for c, run in every if c is Link for x in run]
        runs = [(c, run) for c, run in every if c is not Link]
        stored, by_kind = self._records, self._by_kind
        for _cls, records in runs:
            if replacing is False:  # check() made sure none of these IDs is stored
                ids = list(map(_ID, records))
                stored.update(zip(ids, records, strict=True))
                by_kind[records[0].kind].update(dict.fromkeys(ids))
                continue
            for record in records:
                old = stored.get(record.id)  # check() allowed only the asked-for ones
                if old is not None:
                    self._drop_owned(old)
                else:
                    by_kind[record.kind][record.id] = None
                stored[record.id] = record
        # the adjacency lists, in the order one _adj_add per record and reference (in
        # the order of the items) would give: field by field within a run of records of
        # one kind, since a kind's references give different relations
        adj = self._adj
        for _cls, records in runs:
            ids = list(map(_ID, records))
            for field, relation, inward, many in _REF_FIELDS[records[0].kind]:
                values = list(map(operator.attrgetter(field), records))
                if many:
                    owners: Iterable[str] = chain.from_iterable(map(repeat, ids, map(len, values)))
                    targets: Iterable[str] = chain.from_iterable(values)
                elif None in values:
                    present = list(map(_NOT_NONE, values))
                    owners, targets = compress(ids, present), compress(values, present)
                else:
                    owners, targets = ids, values
                _append_all(adj, targets, relation, inward, owners)
            if records[0].kind in ("project", "proposal"):
                for record in records:
                    for _, need_id in _need_ids(record):
                        self._needs[need_id] = record.id
        self._links.update(zip(map(_KEY, links), links, strict=True))
        # each link's two ends in turn (the source's side, then the target's), relation
        # by relation (no two relations share a key): a symmetric relation's ends both
        # look outward, into one list per entity
        for relation, sources, targets in _link_columns(links):
            if relation is Relation.KNOWS:
                ends = chain.from_iterable(zip(sources, targets, strict=True))
                others = chain.from_iterable(zip(targets, sources, strict=True))
                _append_all(adj, ends, relation, False, others)
            else:
                _append_all(adj, sources, relation, False, targets)
                _append_all(adj, targets, relation, True, sources)
        self._touch()

    def _no_problem(self, items: Sequence[Entity | Link]) -> bool:
        """Whether :meth:`check` (adding, not replacing) would find no problem, decided
        column by column with set operations; ``False`` also when unsure (the careful
        pass then decides and names every problem)."""
        groups, links = _grouped(items)
        if groups is None:
            return False
        ids: dict[str, set[str]] = {}  # kind -> the IDs of the batch
        for cls, records in groups.items():
            ids[cast(Any, cls).kind] = new = set(map(_ID, records))
            if len(new) != len(records) or not self._records.keys().isdisjoint(new):
                return False  # an ID used twice, or already in the graph
        if sum(map(len, ids.values())) != len(set().union(*ids.values())):
            return False  # one ID for records of two kinds
        keys = set(map(_KEY, links))
        if len(keys) != len(links) or not self._links.keys().isdisjoint(keys):
            return False  # a link given twice
        return self._references_ok(
            groups, links, lambda kind: (ids.get(kind, ()), self._by_kind[kind])
        )

    def _load(self, items: Sequence[Entity | Link]) -> bool:
        """Add ``items`` to this new, empty graph without :meth:`check`, then make sure
        in bulk that ``check`` would have found no problem (the JSON reader's way: it
        hashes every ID and link once, not twice).

        ``False`` when there may be a problem: the graph is then half-built and must be
        thrown away (the reader checks the items again, carefully, on a new graph).
        """
        groups, links = _grouped(items)
        if groups is None or self._records or self._links:
            return False
        self._apply(items, _where, checked=True)
        if len(self._records) != sum(map(len, groups.values())) or len(self._links) != len(links):
            return False  # an ID used twice (in one kind or two), or a link given twice
        return self._references_ok(groups, links, lambda kind: (self._by_kind[kind],))

    def _references_ok(
        self,
        groups: Mapping[type, list[Any]],
        links: list[Link],
        named: Callable[[str], tuple[Collection[str], ...]],
    ) -> bool:
        """Whether every reference, skill, need ID and link end of ``groups`` (records
        by class) and ``links`` is right; ``named(kind)`` gives the collections of the
        IDs of that kind to look in."""

        def all_known(values: Iterable[str], kinds: tuple[str, ...]) -> bool:
            # every value names an entity of one of ``kinds``
            left = set(values)
            places = [known for kind in kinds for known in named(kind) if known]
            if len(places) == 1:
                return all(map(places[0].__contains__, left))
            for known in places:
                if not left:
                    return True
                left = set(filterfalse(known.__contains__, left))
            return not left

        needs_seen: dict[str, str] = {}
        for cls, records in groups.items():
            for ref in REFERENCES[cast(Any, cls).kind]:
                values: Iterable[Any] = map(operator.attrgetter(ref.field), records)
                values = chain.from_iterable(values) if ref.many else filter(_NOT_NONE, values)
                if not all_known(values, ref.kinds):
                    return False
            if not all(map(self.taxonomy.__contains__, _skill_ids(cls, records))):
                return False
            if cls is Project or cls is Proposal:
                for record in records:
                    for _, need_id in _need_ids(record):
                        owner = needs_seen.get(need_id) or self._needs.get(need_id)
                        if owner is not None and owner != record.id:
                            return False
                        needs_seen[need_id] = record.id
        if links:
            for relation, these_sources, these_targets in _link_columns(links):
                source_kinds, target_kinds = LINK_KINDS[relation]
                if source_kinds == target_kinds:  # e.g. knows: look both ends up at once
                    ends = set(these_sources)
                    ends.update(these_targets)
                    if not all_known(ends, source_kinds):
                        return False
                elif not all_known(these_sources, source_kinds) or not all_known(
                    these_targets, target_kinds
                ):
                    return False
        return True

    def _drop_owned(self, record: Entity) -> None:
        """Forget the derived relations that ``record``'s fields give."""
        for ref in REFERENCES[record.kind]:
            for target in _ref_values(record, ref):
                self._adj_remove((target, ref.relation, not ref.inward), record.id)
        for need_id in [n for n, owner in self._needs.items() if owner == record.id]:
            del self._needs[need_id]

    # ------------------------------------------------------------------ links

    def links(
        self,
        source: str | None = None,
        relation: Relation | str | None = None,
        target: str | None = None,
    ) -> list[Link]:
        """Explicit links, optionally filtered by source, relation and target (a
        symmetric relation matches either direction)."""
        rel = Relation(relation) if relation is not None else None
        if source is None and target is None:
            return [x for x in self._links.values() if rel is None or x.relation is rel]
        rels = [rel] if rel is not None else [r for r in Relation if not r.derived]
        out: list[Link] = []
        for r in rels:
            if r.derived:
                continue
            if source is not None:
                ends = self._ends(source, r, inward=False)
                out += [
                    self._links[link_key(source, r, t)]
                    for t in ends
                    if target is None or t == target
                ]
            else:
                assert target is not None
                ends = self._ends(target, r, inward=True)
                out += [self._links[link_key(t, r, target)] for t in ends]
        return out

    def _ends(self, node: str, relation: Relation, *, inward: bool) -> list[str]:
        """The other ends of ``relation`` at ``node``, in the order they were added."""
        if relation.symmetric:
            inward = False
        out = list(self._adj.get((node, relation, inward), ()))
        if relation.derived:
            record = self._records[node]
            for ref in REFERENCES[record.kind]:
                if ref.relation is relation and ref.inward == inward:
                    out.extend(_ref_values(record, ref))
        return out

    def _neighbours(
        self, node: str, relations: Iterable[Relation], *, inward: bool, kind: str | None = None
    ) -> list[Any]:
        if node not in self._records:
            raise UnknownEntityError(node, self._nearest(node))
        records = self._records
        out: list[Any] = []
        seen: set[str] = set()
        for rel in relations:
            for other in self._ends(node, rel, inward=inward):
                record = records[other]
                if other not in seen and (kind is None or record.kind == kind):
                    seen.add(other)
                    out.append(record)
        return out

    # ------------------------------------------------------------------ places

    def communities_in(self, place: str | None = None) -> list[Community]:
        """The communities in a place (a district, subdistrict or community; ``None``
        for all), in insertion order."""
        if place is None:
            return cast(list[Community], self.entities("community"))
        kind = self.kind_of(place)
        if kind == "community":
            return [self.get(place, Community)]
        if kind == "subdistrict":
            return self._neighbours(place, [Relation.PART_OF], inward=True, kind="community")
        if kind == "district":
            return [
                c
                for s in self._neighbours(
                    place, [Relation.PART_OF], inward=True, kind="subdistrict"
                )
                for c in self._neighbours(s.id, [Relation.PART_OF], inward=True, kind="community")
            ]
        msg = f"{place!r} is a {kind}, not a district, subdistrict or community"
        raise ValidationError([Problem("place", msg)])

    def hierarchy(self, place: str) -> tuple[str, ...]:
        """The chain of places from ``place`` up to its district, e.g.
        ``('pingnan', 'longgang-st', 'longgang')``."""
        chain = [place]
        record: Entity = self.get(place)
        while True:
            if isinstance(record, Community):
                up: str = record.subdistrict
            elif isinstance(record, Subdistrict):
                up = record.district
            elif isinstance(record, District):
                return tuple(chain)
            else:
                msg = f"{place!r} is a {record.kind}, not a place"
                raise ValidationError([Problem("place", msg)])
            chain.append(up)
            record = self.get(up)

    def place_of(self, entity_id: str) -> str | None:
        """The place an entity belongs to: a resident's, group's or project's
        community, an activity's or organisation's place, a place's parent."""
        record = self.get(entity_id)
        for name in ("community", "place", "subdistrict", "district"):
            value = getattr(record, name, None)
            if isinstance(value, str):
                return value
        if isinstance(record, Proposal):
            return self.get(record.call, Call).place
        return None

    def places_within(self, place: str) -> frozenset[str]:
        """``place`` and every place inside it: a district's subdistricts and
        communities, a subdistrict's communities, a community alone.

        Records "in" a place at any level are those located in one of these; every query
        that takes ``place=`` uses this one rule.

        Raises
        ------
        UnknownEntityError
            No record has the ID ``place``.
        ValidationError
            ``place`` is not a district, subdistrict or community.

        Examples
        --------
        >>> import vchuang
        >>> g = vchuang.load_example()
        >>> sorted(g.places_within("pingnan"))
        ['pingnan']
        """
        places = {place}
        kind = self.kind_of(place)
        if kind in ("district", "subdistrict"):
            places |= {c.id for c in self.communities_in(place)}
            if kind == "district":
                places |= {s.id for s in self.subdistricts(place)}
        elif kind != "community":
            msg = f"{place!r} is a {kind}, not a district, subdistrict or community"
            raise ValidationError([Problem("place", msg, "pass the ID of a place")])
        return frozenset(places)

    def _in_place(self, place: str | None) -> frozenset[str] | None:
        return None if place is None else self.places_within(place)

    def districts(self) -> list[District]:
        """All districts."""
        return cast(list[District], self.entities("district"))

    def subdistricts(self, district: str | None = None) -> list[Subdistrict]:
        """Subdistricts, optionally of one district."""
        out = cast(list[Subdistrict], self.entities("subdistrict"))
        return [s for s in out if district is None or s.district == district]

    def communities(self, place: str | None = None) -> list[Community]:
        """Communities, optionally within a place (same as :meth:`communities_in`)."""
        return self.communities_in(place)

    def _filtered(self, kind: str, place: str | None) -> list[Any]:
        """Records of ``kind`` located in ``place`` (any level), by place then by when
        they were placed there; all of them in insertion order when ``place`` is None."""
        places = self._in_place(place)
        if places is None:
            return self.entities(kind)
        assert place is not None
        records = self._records
        ordered = [place, *(c.id for c in self.communities_in(place) if c.id != place)]
        ordered += sorted(places.difference(ordered))  # subdistricts of a district
        out = []
        for p in ordered:
            for other in self._adj.get((p, Relation.LOCATED_IN, True), ()):
                record = records[other]
                if record.kind == kind:
                    out.append(record)
        return out

    # ------------------------------------------------------------------ typed queries

    def residents(
        self,
        place: str | None = None,
        *,
        segment: str | None = None,
        role: Role | str | None = None,
    ) -> list[Resident]:
        """Residents, optionally of a place (any level), a segment, a role."""
        if segment is not None:
            out: list[Resident] = self.members(segment)
            places = self._in_place(place)
            if places is not None:
                out = [r for r in out if r.community in places]
        else:
            out = self._filtered("resident", place)
        if role is not None:
            wanted = Role(role)
            out = [r for r in out if wanted in r.roles]
        return out

    def leaders(self, place: str | None = None) -> list[Resident]:
        """Residents with :attr:`Role.LEADER` (the "points"), optionally of a place."""
        return self.residents(place, role=Role.LEADER)

    def engaged(self, place: str | None = None) -> list[Resident]:
        """Residents with any role in community affairs (volunteer, talent, leader)."""
        civic = {Role.VOLUNTEER, Role.TALENT, Role.LEADER}
        return [r for r in self.residents(place) if civic.intersection(r.roles)]

    def groups(self, place: str | None = None) -> list[Group]:
        """Groups, optionally of a place."""
        return self._filtered("group", place)

    def organizations(
        self, place: str | None = None, *, org_kind: OrgKind | str | None = None
    ) -> list[Organization]:
        """Organisations, optionally at a place (any level) and of a kind."""
        out: list[Organization] = self._filtered("organization", place)
        if org_kind is not None:
            wanted = OrgKind(org_kind)
            out = [o for o in out if o.org_kind is wanted]
        return out

    def projects(
        self,
        place: str | None = None,
        *,
        stage: Stage | str | None = None,
        theme: str | None = None,
    ) -> list[Project]:
        """Projects, optionally of a place, at a stage, with a theme."""
        out: list[Project] = self._filtered("project", place)
        if stage is not None:
            wanted = Stage(stage)
            out = [p for p in out if p.stage is wanted]
        if theme is not None:
            out = [p for p in out if theme in p.themes]
        return out

    def activities(
        self,
        place: str | None = None,
        *,
        project: str | None = None,
        activity_kind: ActivityKind | str | None = None,
    ) -> list[Activity]:
        """Activities, optionally at a place, of a project, of a kind; by insertion."""
        if project is not None:
            out: list[Activity] = self._neighbours(
                project, [Relation.PART_OF], inward=True, kind="activity"
            )
            places = self._in_place(place)
            if places is not None:
                out = [a for a in out if a.place in places]
        else:
            out = self._filtered("activity", place)
        if activity_kind is not None:
            wanted = ActivityKind(activity_kind)
            out = [a for a in out if a.activity_kind is wanted]
        return out

    def resources(
        self, place: str | None = None, *, resource_kind: ResourceKind | str | None = None
    ) -> list[Resource]:
        """Resources, optionally at a place and of a kind."""
        out: list[Resource] = self._filtered("resource", place)
        if resource_kind is not None:
            wanted = ResourceKind(resource_kind)
            out = [r for r in out if r.resource_kind is wanted]
        return out

    def segments(self, place: str | None = None) -> list[Segment]:
        """Segments, optionally those counted in a place (segments counted everywhere,
        with ``place=None``, are always included)."""
        places = self._in_place(place)
        out = cast(list[Segment], self.entities("segment"))
        return [s for s in out if places is None or s.place is None or s.place in places]

    def calls(self, place: str | None = None) -> list[Call]:
        """Calls for golden ideas, optionally at a place."""
        return self._filtered("call", place)

    def proposals(self, call: str | None = None) -> list[Proposal]:
        """Golden ideas, optionally those submitted to one call."""
        out = cast(list[Proposal], self.entities("proposal"))
        return [p for p in out if call is None or p.call == call]

    def projects_led_by(self, resident: str, *, co: bool = True) -> list[Project]:
        """Projects a resident leads (and co-leads, unless ``co=False``)."""
        rels = [Relation.LEADS, Relation.CO_LEADS] if co else [Relation.LEADS]
        return self._neighbours(resident, rels, inward=False, kind="project")

    def leads_of(self, project: str, *, co: bool = True) -> list[Resident]:
        """The residents leading a project (and co-leading, unless ``co=False``)."""
        rels = [Relation.LEADS, Relation.CO_LEADS] if co else [Relation.LEADS]
        return self._neighbours(project, rels, inward=True, kind="resident")

    def volunteers(self, project: str) -> list[Resident]:
        """Residents volunteering in a project."""
        return self._neighbours(project, [Relation.VOLUNTEERS_IN], inward=True, kind="resident")

    def attendees(self, activity: str) -> list[Resident]:
        """The named attendees of an activity."""
        return self._neighbours(activity, [Relation.ATTENDED], inward=True, kind="resident")

    def audience(self, project: str) -> list[Resident]:
        """Every resident named as attending any activity of a project, once each, in
        order of first appearance."""
        seen: dict[str, Resident] = {}
        for activity in self.activities(project=project):
            for rid in activity.attendees:
                if rid not in seen:
                    seen[rid] = self.get(rid, Resident)
        return list(seen.values())

    def members(self, entity: str) -> list[Resident]:
        """The residents of a group, an organisation or a segment."""
        kind = self.kind_of(entity)
        if kind == "segment":
            return self._neighbours(entity, [Relation.IN_SEGMENT], inward=True, kind="resident")
        if kind in ("group", "organization"):
            return self._neighbours(entity, [Relation.MEMBER_OF], inward=True, kind="resident")
        msg = f"{entity!r} is a {kind}; only groups, organisations and segments have members"
        raise ValidationError([Problem("entity", msg)])

    def memberships(self, resident: str) -> list[Group | Organization]:
        """The groups and organisations a resident belongs to."""
        return self._neighbours(resident, [Relation.MEMBER_OF], inward=False)

    def neighbours(self, resident: str) -> list[Resident]:
        """The residents a resident knows (``knows`` links in either direction)."""
        return self._neighbours(resident, [Relation.KNOWS], inward=False)

    def activities_attended(self, resident: str) -> list[Activity]:
        """The activities a resident is named as attending."""
        return self._neighbours(resident, [Relation.ATTENDED], inward=False)

    def need(self, need_id: str) -> tuple[Project | Proposal, int]:
        """The project (or proposal) holding a need, and the need's position in it."""
        owner = self._needs.get(need_id)
        if owner is None:
            raise UnknownEntityError(need_id)
        record = cast("Project | Proposal", self.get(owner))
        position = next(i for i, n in enumerate(record.needs) if n.id == need_id)
        return record, position

    # ------------------------------------------------------------------ views

    def to_networkx(
        self, relations: Iterable[Relation | str] | None = None, *, flat: bool = False
    ) -> NxMultiDiGraph:
        """A copy of the graph as a :class:`networkx.MultiDiGraph`, optionally with only
        some relations.

        Parameters
        ----------
        relations
            Keep only these relations as edges (default: all, derived and explicit).
        flat
            If false (default), nodes carry ``kind`` and ``record`` (the record itself)
            and edges carry ``relation`` and, for explicit links, ``link``. If true, every
            attribute is a scalar (text, integer, float or boolean) so that
            :func:`networkx.write_graphml`, :func:`networkx.write_gexf` and igraph take
            the graph as it is: nodes carry ``kind``, ``label`` (the name) and each
            non-empty field of the record; edges carry ``relation`` and the link's
            non-empty fields. Enums become their values, dates ISO text, lists text
            joined with ``;`` (a skill as ``skill:level``, a need as its skill or
            resource), control characters (which XML cannot hold) U+FFFD, and empty
            values are left out. Names are kept: for files to
            publish use :func:`vchuang.io.export.to_graphml`, which pseudonymises.

        Examples
        --------
        >>> import io, networkx as nx, vchuang
        >>> flat = vchuang.load_example().to_networkx(flat=True)
        >>> flat.nodes["pn-r01"]["skills"], flat.nodes["pn-r01"]["roles"]
        ('graphic_design:4;public_speaking:2', 'volunteer;leader')
        >>> nx.write_graphml(flat, io.BytesIO())
        """
        import datetime as dt
        import enum
        import re

        # characters XML 1.0 cannot hold (control characters) become U+FFFD, as in
        # vchuang.io.export, so that write_graphml and write_gexf give readable files
        not_xml = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

        def scalar(value: Any) -> str | int | float | bool | None:
            if isinstance(value, str):
                return not_xml.sub("\ufffd", value)
            if value is None or isinstance(value, bool | float):
                return value
            if isinstance(value, enum.Enum):
                return scalar(value.value)
            if isinstance(value, int):
                return int(value)
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, tuple | list | frozenset | set):
                items = sorted(value) if isinstance(value, frozenset | set) else value
                return not_xml.sub("\ufffd", ";".join(item(v) for v in items))
            return not_xml.sub("\ufffd", str(value))

        def item(value: Any) -> str:
            if isinstance(value, enum.Enum):
                return str(value.value)
            if hasattr(value, "skill") and hasattr(value, "level"):  # a SkillLevel
                return f"{value.skill}:{int(value.level)}"
            if hasattr(value, "resource") and hasattr(value, "hours"):  # a Need
                kind = value.resource
                return str(value.skill if value.skill is not None else kind.value)
            return str(value)

        def fields(record: Any, skip: Collection[str]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for a in attrs.fields(type(record)):
                if a.name in skip:
                    continue
                value = scalar(getattr(record, a.name))
                # a float field holding a whole number (hours=2) stays a float, so that
                # every node writes one type per attribute (GEXF declares one)
                as_float = _first_type_is_float(a.type)
                if as_float and type(value) is int:  # not a bool: a flag is no float
                    value = float(value)
                if value is not None and value != "":
                    out[a.name] = value
            return out

        keep = None if relations is None else {Relation(r).value for r in relations}
        if not flat:
            if keep is None:
                return self.nx.copy()
            out = nx.MultiDiGraph()
            out.add_nodes_from(self.nx.nodes(data=True))
            out.add_edges_from(
                (u, w, k, d) for u, w, k, d in self.nx.edges(keys=True, data=True) if k in keep
            )
            return out
        out = nx.MultiDiGraph()
        for node, data in self.nx.nodes(data=True):
            record = data["record"]
            attributes = {"kind": data["kind"], **fields(record, ("id",))}
            attributes["label"] = scalar(str(getattr(record, "name", node)))
            out.add_node(node, **attributes)
        for u, w, k, d in self.nx.edges(keys=True, data=True):
            if keep is not None and k not in keep:
                continue
            link = d.get("link")
            extra = {} if link is None else fields(link, ("source", "target", "relation"))
            out.add_edge(u, w, key=k, relation=scalar(d["relation"]), **extra)
        return out

    def social_graph(self, place: str | None = None) -> NxGraph:
        """Residents (all of them, or of a place) as an undirected :class:`networkx.Graph`
        of ``knows`` ties, with ``weight`` on each edge.

        Each node carries ``community`` (its ID), ``roles`` and ``segments`` (text joined
        with ``;``, empty when none), all scalars, so the graph can be written with
        :func:`networkx.write_graphml` as it is.

        Examples
        --------
        >>> import vchuang
        >>> g = vchuang.load_example().social_graph()
        >>> g.nodes["pn-r01"]["community"], g.nodes["pn-r01"]["roles"]
        ('pingnan', 'volunteer;leader')
        """
        residents = self.residents(place)
        keep = {r.id for r in residents}
        out = nx.Graph()
        for r in residents:
            out.add_node(
                r.id,
                community=r.community,
                roles=";".join(role.value for role in r.roles),
                segments=";".join(r.segments),
            )
        for link in self._links.values():
            if link.relation is Relation.KNOWS and link.source in keep and link.target in keep:
                out.add_edge(link.source, link.target, weight=link.weight)
        return out

    def coparticipation(self, place: str | None = None) -> NxGraph:
        """The resident–resident co-participation projection.

        Two residents are joined when they share a **context**: the members of a group
        or organisation; the leaders of a group or organisation (a separate context
        from its members); a project (leading, co-leading or volunteering); an activity
        (organising or attending). ``weight`` is how many contexts they share. Every
        resident of ``place`` is a node, joined or not.

        This is the one definition of co-participation in the library;
        :func:`vchuang.csr.coparticipation` gives it as a sparse matrix, and
        :func:`vchuang.talent.rank_talents` builds its network with it (and, unlike
        this method, lets contexts of more than
        :data:`~vchuang.talent.MAX_CONTEXT_SIZE` people make no ties).

        See Also
        --------
        vchuang.csr.coparticipation : the same projection as a scipy CSR matrix.
        social_graph : ``knows`` ties only.
        """
        from .csr import coparticipation

        shared, residents = coparticipation(self, place=place)
        coo = shared.tocoo()
        out = nx.Graph()
        out.add_nodes_from(residents)
        for i, j, w in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
            if i < j:
                out.add_edge(residents[i], residents[j], weight=int(w))
        return out

    def subgraph(self, place: str) -> CommunityGraph:
        """The part of the graph in a place (a community, subdistrict or district).

        It holds the place, the places above it (so references resolve), everything
        located in it, organisations those belong to, and the links among them.
        References to residents outside (an outside attendee, proposer …) are dropped
        from the copied records; an activity keeps its headcount.
        """
        inside = self._in_place(place)
        assert inside is not None
        keep: dict[str, Entity] = {p: self.get(p) for p in self.hierarchy(place)}
        for p in inside:
            keep.setdefault(p, self.get(p))
        for record in self:
            here = self.place_of(record.id)
            if record.id in keep:
                continue
            if (isinstance(record, Segment) and record.place is None) or here in inside:
                keep[record.id] = record
        for record in list(keep.values()):  # organisations above
            org = getattr(record, "parent", None) or getattr(record, "organiser", None)
            while isinstance(org, str) and org not in keep:
                keep[org] = self.get(org)
                org = cast(Organization, keep[org]).parent
        ordered = [r for r in self if r.id in keep]
        pruned: list[Entity | Link] = [_prune(r, keep) for r in ordered]
        pruned += [
            link for link in self._links.values() if link.source in keep and link.target in keep
        ]
        out = CommunityGraph(taxonomy=self.taxonomy, metadata=self.metadata)
        out.add_all(pruned)
        return out

    def summary(self) -> Summary:
        """Counts by kind and relation, and a per-community table.

        Examples
        --------
        >>> from vchuang import load_example
        >>> print(load_example().summary())  # doctest: +ELLIPSIS
        Example: ...
        """
        relations = Counter(rel.value for _, _, rel, _ in self.edges())
        attendance: Counter[str] = Counter()
        activities: Counter[str] = Counter()
        for activity in self.activities():
            activities[activity.place] += 1
            attendance[activity.place] += activity.headcount
        rows = []
        for community in self.communities():
            residents = self.residents(community.id)
            roles = Counter(role for r in residents for role in r.roles)
            rows.append(
                {
                    "community": community.name,
                    "residents": len(residents),
                    "engaged": len(self.engaged(community.id)),
                    "talents": roles[Role.TALENT],
                    "leaders": roles[Role.LEADER],
                    "projects": len(self.projects(community.id)),
                    "activities": activities[community.id],
                    "attendance": attendance[community.id],
                }
            )
        return Summary(
            counts={k: len(v) for k, v in self._by_kind.items()},
            relations=dict(sorted(relations.items())),
            communities=tuple(rows),
            title=self.metadata.title,
        )

    @property
    def index(self) -> GraphIndex:
        """Integer positions and sparse arrays for fast analyses, built on first use
        and rebuilt after any change."""
        if self._index is None or self._index.version != self._version:
            self._index = GraphIndex(self)
        return self._index


def _prune(record: Entity, keep: Mapping[str, Entity]) -> Entity:
    changes: dict[str, Any] = {}
    for ref in REFERENCES[record.kind]:
        value = getattr(record, ref.field)
        if ref.many:
            kept = tuple(x for x in value if x in keep)
            if kept != value:
                changes[ref.field] = kept
        elif value is not None and value not in keep:
            changes[ref.field] = None
    if isinstance(record, Activity) and "attendees" in changes and record.attendance is None:
        changes["attendance"] = len(record.attendees)
    return attrs.evolve(record, **changes) if changes else record


class GraphIndex:
    """Contiguous integer positions for each kind of entity and the sparse arrays that
    fast analyses run on. Get it from :attr:`CommunityGraph.index`; it belongs to one
    version of the graph (``version``) and is rebuilt after any change.

    Arrays are built on first use and cached. Rows and columns follow the graph's
    insertion order.
    """

    def __init__(self, graph: CommunityGraph) -> None:
        self._graph = graph
        self.version = graph.version
        self._ids: dict[str, tuple[str, ...]] = {}
        self._positions: dict[str, dict[str, int]] = {}
        self._incidence: dict[tuple[Relation, str, str, str | None], Any] = {}

    def ids(self, kind: str) -> tuple[str, ...]:
        """The IDs of one kind, in row order."""
        if kind not in self._ids:
            self._ids[kind] = tuple(self._graph.ids(kind))
        return self._ids[kind]

    def position(self, kind: str) -> dict[str, int]:
        """ID → row number, for one kind."""
        if kind not in self._positions:
            self._positions[kind] = {x: i for i, x in enumerate(self.ids(kind))}
        return self._positions[kind]

    def incidence(
        self,
        relation: Relation,
        target_kind: str,
        *,
        source_kind: str = "resident",
        weight: str | None = None,
    ) -> scipy.sparse.csr_array:
        """A ``source_kind × target_kind`` sparse array with a 1 (or the link's
        ``weight`` / ``hours`` attribute) where ``source -relation-> target``.

        For a symmetric relation both directions are filled. The array is cached on
        this index (so on this version of the graph), never in a module-level cache: a
        graph that is dropped is freed with its index.
        """
        rel = Relation(relation)
        key = (rel, target_kind, source_kind, weight)
        cached = self._incidence.get(key)
        if cached is None:
            cached = self._incidence[key] = self._build_incidence(
                rel, target_kind, source_kind, weight
            )
        return cached

    def _build_incidence(
        self, rel: Relation, target_kind: str, source_kind: str, weight: str | None
    ) -> scipy.sparse.csr_array:
        import scipy.sparse as sp

        rows_of = self.position(source_kind)
        cols_of = self.position(target_kind)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for u, w, _, link in self._graph.edges(rel):
            pairs = [(u, w), (w, u)] if rel.symmetric else [(u, w)]
            for a, b in pairs:
                i, j = rows_of.get(a), cols_of.get(b)
                if i is None or j is None:
                    continue
                value = 1.0
                if weight is not None:
                    got = getattr(link, weight, None) if link is not None else None
                    value = float(got) if got is not None else 0.0
                rows.append(i)
                cols.append(j)
                vals.append(value)
        shape = (len(rows_of), len(cols_of))
        return sp.csr_array((np.asarray(vals, dtype=np.float64), (rows, cols)), shape=shape)

    @functools.cached_property
    def knows(self) -> scipy.sparse.csr_array:
        """Resident × resident adjacency of ``knows`` ties (symmetric), weighted."""
        return self.incidence(Relation.KNOWS, "resident", weight="weight")

    @functools.cached_property
    def resident_community(self) -> np.ndarray:
        """For each resident row, the row of their community."""
        pos = self.position("community")
        graph = self._graph
        return np.fromiter(
            (pos[graph.get(r, Resident).community] for r in self.ids("resident")),
            dtype=np.int64,
            count=len(self.ids("resident")),
        )
