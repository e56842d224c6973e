"""Privacy: pseudonyms, redaction, small-cell suppression and safe display names.

The records are about real people, children among them. This module holds the tools
every output of vchuang goes through:

* :func:`pseudonymize` replaces IDs by keyed hashes (HMAC-SHA256 [1]_ with a secret key,
  truncated and prefixed by kind) and names by pseudonyms, rewriting every reference,
  so that a dataset can be shared and still joined with later exports made with the same
  key;
* :func:`redact` applies a :class:`Redaction` level: names dropped (or kept for adults
  who consented), birth years turned into age bands (as of the dataset's date), free
  text (descriptions, notes) removed, and at the strictest level households and
  buildings removed;
* :func:`for_publication` is what the exports call: a :class:`Reveal` level chooses how
  much to show, and the default shows the least (pseudonymous IDs, no names, age bands,
  no free text);
* :func:`suppress_small` hides small counts in published tables (small-cell
  suppression [2]_), and records which cells it hid and why; :func:`coarsen` rounds
  running totals of people so that their differences give no small count away;
* :func:`display_name` is the one way reports should name a resident.

Pseudonymised data is still personal data [3]_. Whatever the arguments, a minor's name
never leaves these functions: a resident who is
under 18 today *or* was under 18 on the date the data describe (``as_of``) is shown by
a pseudonym label only.

Examples
--------
>>> import vchuang
>>> from vchuang.privacy import display_name, pseudonymize, redact
>>> g = vchuang.load_example()
>>> r = g.get("pn-r01")
>>> display_name(r), display_name(r, reveal=True)   # no consent on record
('Resident pn-r01', 'Resident pn-r01')
>>> p = pseudonymize(g, key="a secret key of 16+ bytes")
>>> [x.id for x in p.residents()][:2]
['r-e05c11aade45b06c', 'r-c1f8633fbb82dacd']
>>> any(x.name == r.name for x in p.residents())
False
>>> red = redact(g)                            # the "standard" level
>>> red.get("pn-r01").birth_year, red.get("pn-r01").age_band
(None, <AgeBand.ADULT: 'adult'>)

References
----------
.. [1] Krawczyk, H., Bellare, M., Canetti, R. (1997). HMAC: Keyed-hashing for message
   authentication. RFC 2104. https://doi.org/10.17487/RFC2104
.. [2] Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Nordholt, E. S.,
   Spicer, K., de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley,
   chapter 5 (frequency tables: threshold rule, primary and secondary suppression).
   https://doi.org/10.1002/9781118348239
.. [3] European Data Protection Board (2025). Guidelines 01/2025 on pseudonymisation.
"""

from __future__ import annotations

import datetime as dt
import enum
import gc
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from .errors import Problem, ValidationError
from .graph import CommunityGraph
from .kernel.checks import check_whole
from .model import (
    REFERENCES,
    Activity,
    Entity,
    Link,
    Need,
    Project,
    Proposal,
    Resident,
)

__all__ = [
    "ID_PREFIXES",
    "MIN_KEY_BYTES",
    "Derived",
    "Redaction",
    "Reveal",
    "SuppressedCell",
    "Suppression",
    "Total",
    "coarsen",
    "data_date",
    "display_name",
    "for_publication",
    "is_minor",
    "keyed_id",
    "pseudonym_label",
    "pseudonymize",
    "redact",
    "suppress_small",
]

#: A key shorter than this (in bytes, UTF-8 for text) is refused: a short key can be
#: guessed, and with it every pseudonym undone.
MIN_KEY_BYTES = 16

#: Hex digits of the HMAC kept in a pseudonymous ID (64 bits: two of a million IDs
#: collide with probability about 3e-8; a collision is detected and refused).
HASH_DIGITS = 16

#: The prefix of a pseudonymous ID, by entity kind (and for households and buildings).
ID_PREFIXES: Mapping[str, str] = {
    "district": "d",
    "subdistrict": "s",
    "community": "c",
    "segment": "seg",
    "organization": "o",
    "group": "g",
    "resident": "r",
    "project": "p",
    "activity": "a",
    "resource": "res",
    "call": "call",
    "proposal": "idea",
    "household": "h",
    "building": "b",
    "need": "n",
}


class Reveal(enum.Enum):
    """How much an export shows (see :func:`for_publication`).

    The default of every export is :attr:`NOTHING`; anything more must be asked for.
    """

    NOTHING = "nothing"
    """Pseudonymous: keyed-hash resident IDs, no names, age bands instead of birth
    years, no free text. For publication and for sharing with researchers."""
    IDS = "ids"
    """Real IDs, otherwise as :attr:`NOTHING`. For sharing inside the team that holds
    the IDs anyway."""
    CONSENTED = "consented"
    """Real IDs; names of adults who consented (``consent_to_name``), no other names;
    age bands; no free text. For reports that credit volunteers."""
    ALL = "all"
    """Everything as stored (names, birth years, free text) except minors' names.
    Only for the data holder's own copies, e.g. a CSV to edit in Excel and import again."""


class Redaction(enum.Enum):
    """Levels of :func:`redact`, from the least to the most removed."""

    MINIMAL = "minimal"
    """Only minors' names are replaced (this is always done)."""
    CONSENTED = "consented"
    """As :attr:`STANDARD`, but adults who consented keep their names."""
    STANDARD = "standard"
    """Resident names replaced by pseudonym labels, birth years turned into age bands,
    free text (descriptions, notes) removed."""
    STRICT = "strict"
    """As :attr:`STANDARD`, and households and buildings removed (they tie people
    together and to an address)."""


def _as_key(key: bytes | str) -> bytes:
    data = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(data) < MIN_KEY_BYTES:
        raise ValidationError(
            [
                Problem(
                    "key",
                    f"a pseudonymisation key must have at least {MIN_KEY_BYTES} bytes, got {len(data)}",
                    "make one with secrets.token_hex(16) and keep it secret, apart from the data",
                )
            ]
        )
    return data


def keyed_id(value: str, key: bytes | str, *, prefix: str = "") -> str:
    """The pseudonymous ID of ``value``: ``prefix-`` and the first 16 hex digits of
    HMAC-SHA256(key, value).

    The same key always gives the same pseudonym, so exports made months apart can be
    joined; without the key the original ID cannot be recovered or checked.

    Parameters
    ----------
    value
        The ID to hide.
    key
        The secret key (at least :data:`MIN_KEY_BYTES` bytes).
    prefix
        Put before the hash with a dash (e.g. ``"r"`` for residents).

    Returns
    -------
    str
        E.g. ``"r-e05c11aade45b06c"``.

    Raises
    ------
    ValidationError
        The key is too short.

    Examples
    --------
    >>> keyed_id("pn-r01", "a secret key of 16+ bytes", prefix="r")
    'r-e05c11aade45b06c'
    """
    digest = hmac.new(_as_key(key), value.encode("utf-8"), hashlib.sha256).hexdigest()
    short = digest[:HASH_DIGITS]
    return f"{prefix}-{short}" if prefix else short


def pseudonym_label(entity_id: str) -> str:
    """The label shown instead of a resident's name: ``"Resident <ID>"``.

    >>> pseudonym_label("r-e05c11aade45b06c")
    'Resident r-e05c11aade45b06c'
    """
    return f"Resident {entity_id}"


def _today() -> dt.date:
    return dt.date.today()


def is_minor(resident: Resident, as_of: dt.date | None = None) -> bool:
    """Whether a resident is a minor today *or* was one on ``as_of``.

    A resident recorded as a child in 2019 data is protected as a child even after they
    have come of age.

    Parameters
    ----------
    resident
        The resident.
    as_of
        The date the data describe (e.g. ``graph.metadata.as_of``); ``None`` checks
        today only.

    Returns
    -------
    bool

    Examples
    --------
    >>> import datetime as dt
    >>> from vchuang import Resident
    >>> r = Resident(id="r1", name="A", community="c", birth_year=2003)
    >>> is_minor(r, dt.date(2019, 12, 31))
    True
    """
    if resident.minor_on(_today()):
        return True
    return as_of is not None and resident.minor_on(as_of)


def data_date(graph: CommunityGraph) -> dt.date | None:
    """The date the data describe: ``graph.metadata.as_of``, else the latest date any
    record carries (an activity, a project's start, a call, a proposal, a link), else
    ``None``.

    Ages and minority are judged on this date, never on today's clock: a child of the
    2019 pilot stays a child in every output made from it.

    Examples
    --------
    >>> import vchuang
    >>> data_date(vchuang.datasets.longgang_pilot())
    datetime.date(2019, 12, 31)
    >>> data_date(vchuang.CommunityGraph()) is None
    True
    """
    if graph.metadata.as_of is not None:
        return graph.metadata.as_of
    dated: list[Any] = [*graph.activities(), *graph.projects(), *graph.calls()]
    dated += graph.proposals()
    days = [_day(getattr(r, f, None)) for r in dated for f in _DATE_FIELDS]
    if not any(days):  # the links' dates only when no record has one (there are many)
        days = [_day(getattr(k, f)) for k in graph.links() for f in ("since", "until")]
    return max((d for d in days if d is not None), default=None)


#: Fields of records that hold a date of the data.
_DATE_FIELDS = ("date", "started", "opens", "closes", "submitted")


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _may_name(resident: Resident, day: dt.date | None) -> bool:
    """Whether a resident may be named at all: not a minor today nor on ``day``; and
    with no known date, no birth year that could make them a child in the data."""
    if is_minor(resident, day):
        return False
    return day is not None or resident.birth_year is None


def display_name(
    resident: Resident,
    *,
    reveal: bool = False,
    as_of: dt.date | None = None,
    graph: CommunityGraph | None = None,
) -> str:
    """The name to show for a resident in a report.

    The real name only when ``reveal`` is true, the resident consented to be named
    (``consent_to_name``) and is not a minor today nor on the date the data describe
    (see :func:`is_minor`); otherwise the pseudonym label ``"Resident <ID>"``.

    Parameters
    ----------
    resident
        The resident.
    reveal
        Ask for the real name (granted only with consent, never for a minor).
    as_of
        The date the data describe, for the minor check; default
        :func:`data_date` of ``graph``.
    graph
        The graph the resident comes from, for its date when ``as_of`` is not given.

    Returns
    -------
    str

    Notes
    -----
    Minority is judged on the data's date, never on today's clock alone: a resident
    born in 2003 was a minor in the 2019 pilot and is never named from it. With no date
    at all (neither ``as_of`` nor a dated ``graph``), a resident with a birth year is not
    named, since the data might describe them as a child.

    Examples
    --------
    >>> from vchuang import Resident
    >>> r = Resident(id="r1", name="Li Na", community="c", consent_to_name=True)
    >>> display_name(r), display_name(r, reveal=True)
    ('Resident r1', 'Li Na')
    >>> child = Resident(id="r2", name="Xiao Ming", community="c", age_band="child",
    ...                  consent_to_name=True)
    >>> display_name(child, reveal=True)
    'Resident r2'
    >>> import vchuang
    >>> pilot = vchuang.datasets.longgang_pilot()     # the data of 2019-12-31
    >>> then = Resident(id="r3", name="Wang Fang", community="c", birth_year=2003,
    ...                 consent_to_name=True)         # 16 in 2019, an adult today
    >>> display_name(then, reveal=True, graph=pilot)
    'Resident r3'
    """
    day = as_of if as_of is not None else (data_date(graph) if graph is not None else None)
    if reveal and resident.consent_to_name and _may_name(resident, day):
        return resident.name
    return pseudonym_label(resident.id)


# --------------------------------------------------------------------------- pseudonyms


def pseudonymize(
    graph: CommunityGraph, key: bytes | str, *, kinds: Iterable[str] = ("resident",)
) -> CommunityGraph:
    """A copy of the graph with keyed-hash IDs and pseudonymous names.

    Each entity of the chosen ``kinds`` gets the ID ``keyed_id(id, key, prefix)`` (see
    :data:`ID_PREFIXES`: ``r-…`` for residents) and, for residents, the name
    ``"Resident <new ID>"`` (other kinds lose their ``name_zh`` and get
    ``"<Kind> <new ID>"``). Households and buildings of residents are hashed too, and
    need IDs of hashed projects and proposals. Every reference (attendees, organisers,
    proposers, providers, links …) is rewritten. Nothing else changes: apply
    :func:`redact` as well before publishing (free text may name people), or use
    :func:`for_publication`.

    Parameters
    ----------
    graph
        The graph (not changed).
    key
        The secret key, bytes or text, at least :data:`MIN_KEY_BYTES` bytes. The same key
        gives the same pseudonyms in every run; keep it apart from the exported data.
    kinds
        The kinds of entity whose IDs are hashed (default: residents only; places,
        projects and activities are not personal data).

    Returns
    -------
    CommunityGraph
        A new graph, in the same insertion order.

    Raises
    ------
    ValidationError
        The key is too short, a kind is unknown, or two IDs hash to the same pseudonym
        (about 3e-8 for a million IDs; choose another key).

    See Also
    --------
    redact : remove personal detail instead of renaming.
    for_publication : redaction and pseudonyms together, at a :class:`Reveal` level.
    keyed_id : the keyed hash behind each pseudonymous ID.

    Notes
    -----
    The pseudonym of an ID :math:`x` is :math:`\\mathrm{HMAC\\text{-}SHA256}(k, x)`
    truncated to 64 bits. HMAC is a pseudo-random function: without :math:`k` the
    pseudonyms look random and cannot be reversed by trying likely IDs, as a plain hash
    could ("r001", "r002" … are easy to guess). This is *pseudonymisation*, not
    anonymisation: whoever holds the key, or enough other facts about a person, may
    re-identify them.

    Examples
    --------
    >>> import vchuang
    >>> g = vchuang.load_example()
    >>> a = pseudonymize(g, "a secret key of 16+ bytes")
    >>> b = pseudonymize(g, "a secret key of 16+ bytes")
    >>> a == b, a.get(a.residents()[0].id).name.startswith("Resident r-")
    (True, True)
    """
    raw_key = _as_key(key)
    chosen = tuple(kinds)
    unknown = [k for k in chosen if k not in REFERENCES]
    if unknown:
        raise ValidationError(
            [Problem("kinds", f"unknown kind {unknown[0]!r}", f"kinds are {', '.join(REFERENCES)}")]
        )
    mapping = _pseudonyms(graph, raw_key, chosen)
    hashed = set(chosen)
    records: list[Entity | Link] = [_pseudonymous(r, mapping, raw_key, hashed) for r in graph]
    records += _relinked(graph, mapping)
    out = CommunityGraph(taxonomy=graph.taxonomy, metadata=graph.metadata)
    out.add_all(records)
    return out


def _pseudonyms(graph: CommunityGraph, key: bytes, kinds: Iterable[str]) -> dict[str, str]:
    """Original ID -> pseudonym for every entity of ``kinds``; refuses a collision."""
    mapping: dict[str, str] = {}
    for kind in kinds:
        for entity_id in graph.ids(kind):
            mapping[entity_id] = keyed_id(entity_id, key, prefix=ID_PREFIXES[kind])
    if len(set(mapping.values())) != len(mapping):
        raise ValidationError(
            [Problem("key", "two IDs hash to the same pseudonym", "use another key")]
        )
    return mapping


def _relinked(graph: CommunityGraph, mapping: Mapping[str, str]) -> list[Link]:
    """The graph's links with their hashed ends renamed, in order."""
    out: list[Link] = []
    for link in graph.links():
        changes: dict[str, Any] = {
            end: mapping[getattr(link, end)]
            for end in ("source", "target")
            if getattr(link, end) in mapping
        }
        out.append(attrs.evolve(link, **changes) if changes else link)
    return out


def _pseudonymous(
    record: Entity, mapping: Mapping[str, str], key: bytes, hashed: set[str]
) -> Entity:
    changes: dict[str, Any] = {}
    for ref in REFERENCES[record.kind]:
        value = getattr(record, ref.field)
        if ref.many:
            new = tuple(mapping.get(x, x) for x in value)
            if new != value:
                changes[ref.field] = new
        elif value is not None and value in mapping:
            changes[ref.field] = mapping[value]
    if record.kind in hashed:
        new_id = mapping[record.id]
        changes["id"] = new_id
        if isinstance(record, Resident):
            changes["name"] = pseudonym_label(new_id)
            for field in ("household", "building"):
                value = getattr(record, field)
                if value is not None:
                    changes[field] = keyed_id(value, key, prefix=ID_PREFIXES[field])
        else:
            changes["name"] = f"{record.kind.capitalize()} {new_id}"
            if hasattr(record, "name_zh"):
                changes["name_zh"] = ""
        if isinstance(record, Project | Proposal) and record.needs:
            changes["needs"] = tuple(
                attrs.evolve(n, id=keyed_id(n.id, key, prefix=ID_PREFIXES["need"]))
                for n in record.needs
            )
    return attrs.evolve(record, **changes) if changes else record


# --------------------------------------------------------------------------- redaction


def redact(
    graph: CommunityGraph,
    level: Redaction | str = Redaction.STANDARD,
    *,
    as_of: dt.date | None = None,
) -> CommunityGraph:
    """A copy of the graph with personal detail removed to a :class:`Redaction` level.

    Parameters
    ----------
    graph
        The graph (not changed).
    level
        ``"minimal"``, ``"consented"``, ``"standard"`` (default) or ``"strict"``.
    as_of
        The date ages are counted on: default :func:`data_date` (the metadata's
        ``as_of``, else the latest date in the records). A birth year becomes the age
        band on that date (age = year of ``as_of`` minus birth year); minors are judged
        on it and on today (see :func:`is_minor`). A graph with no date at all (a bare
        roster) describes the present: ages are counted on today.

    Returns
    -------
    CommunityGraph
        A new graph with the same IDs.

    Raises
    ------
    ValidationError
        ``level`` is not a known level.

    See Also
    --------
    pseudonymize : keyed-hash IDs and pseudonymous names instead.
    for_publication : redaction and pseudonyms together, at a :class:`Reveal` level.
    suppress_small : hide small counts in a published table.

    Notes
    -----
    What each level changes (a minor's name is replaced at every level):

    ============  =========================  ==================  ==========  ===================
    level         resident names             birth years         free text   household, building
    ============  =========================  ==================  ==========  ===================
    minimal       minors' only               kept                kept        kept
    consented     kept if consented, adult   age band            removed     kept
    standard      all replaced               age band            removed     kept
    strict        all replaced               age band            removed     removed
    ============  =========================  ==================  ==========  ===================

    Free text is a project's, activity's or proposal's ``description`` and a need's
    ``note``: they are written by people and often name people.

    Examples
    --------
    >>> import vchuang
    >>> g = redact(vchuang.load_example(), "strict")
    >>> r = g.get("pn-r01")
    >>> r.name, r.birth_year, r.household
    ('Resident pn-r01', None, None)
    """
    try:
        chosen = Redaction(level)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in Redaction)
        raise ValidationError(
            [Problem("level", f"{level!r} is not a redaction level", f"use one of {allowed}")]
        ) from None
    # a graph with no date at all (a bare roster) describes the present
    day = as_of if as_of is not None else (data_date(graph) or _today())
    records: list[Entity | Link] = [_redacted(r, chosen, day) for r in graph]
    records += graph.links()
    out = CommunityGraph(taxonomy=graph.taxonomy, metadata=graph.metadata)
    out.add_all(records)
    return out


def _redacted(record: Entity, level: Redaction, day: dt.date) -> Entity:
    changes: dict[str, Any] = {}
    full = level in (Redaction.CONSENTED, Redaction.STANDARD, Redaction.STRICT)
    if isinstance(record, Resident):
        keep_name = (
            level is Redaction.MINIMAL or (level is Redaction.CONSENTED and record.consent_to_name)
        ) and _may_name(record, day)
        if not keep_name:
            changes["name"] = pseudonym_label(record.id)
        if full and record.birth_year is not None:
            changes["birth_year"] = None
            changes["age_band"] = record.age_band_on(day)
        if level is Redaction.STRICT:
            changes["household"] = None
            changes["building"] = None
    elif full and isinstance(record, Project | Proposal | Activity):
        if record.description:
            changes["description"] = ""
        if not isinstance(record, Activity) and any(n.note for n in record.needs):
            changes["needs"] = tuple(_no_note(n) for n in record.needs)
    return attrs.evolve(record, **changes) if changes else record


def _no_note(need: Need) -> Need:
    return attrs.evolve(need, note="") if need.note else need


def for_publication(
    graph: CommunityGraph,
    reveal: Reveal | str = Reveal.NOTHING,
    *,
    key: bytes | str | None = None,
    as_of: dt.date | None = None,
) -> CommunityGraph:
    """The graph as an export may show it at a :class:`Reveal` level.

    ========== =============================  ==========================
    reveal     IDs                            redaction
    ========== =============================  ==========================
    nothing    residents' IDs keyed-hashed    ``standard``
    ids        kept                           ``standard``
    consented  kept                           ``consented``
    all        kept                           ``minimal`` (minors only)
    ========== =============================  ==========================

    Parameters
    ----------
    graph
        The graph (not changed).
    reveal
        How much to show; default the least.
    key
        The pseudonymisation key for ``"nothing"``. ``None`` draws a fresh random key,
        so the pseudonyms cannot be linked to any other export (give a key of your own
        for pseudonyms that stay the same between exports).
    as_of
        The date ages and minority are judged on (default :func:`data_date`, as in
        :func:`redact`).

    Returns
    -------
    CommunityGraph

    Raises
    ------
    ValidationError
        ``reveal`` is not a known level, or the key is too short.

    See Also
    --------
    redact : personal detail removed to a :class:`Redaction` level.
    pseudonymize : keyed-hash IDs and pseudonymous names.
    suppress_small : hide small counts in a published table.

    Examples
    --------
    >>> import vchuang
    >>> g = for_publication(vchuang.load_example(), key="a secret key of 16+ bytes")
    >>> sorted({r.name.split()[0] for r in g.residents()})
    ['Resident']
    """
    try:
        chosen = Reveal(reveal)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in Reveal)
        raise ValidationError(
            [Problem("reveal", f"{reveal!r} is not a reveal level", f"use one of {allowed}")]
        ) from None
    level = {
        Reveal.NOTHING: Redaction.STANDARD,
        Reveal.IDS: Redaction.STANDARD,
        Reveal.CONSENTED: Redaction.CONSENTED,
        Reveal.ALL: Redaction.MINIMAL,
    }[chosen]
    if chosen is not Reveal.NOTHING:
        return redact(graph, level, as_of=as_of)
    if key is None:
        import secrets

        key = secrets.token_bytes(32)
    # ``pseudonymize(redact(graph))`` in one pass: each record is redacted and then
    # given its pseudonym, and the graph is built (and checked) once instead of twice
    # (3x faster at 100,000 residents, the same graph; redaction keeps IDs and links).
    raw_key = _as_key(key)
    # a graph with no date at all (a bare roster) describes the present
    day = as_of if as_of is not None else (data_date(graph) or _today())
    # The cyclic garbage collector is paused while the copy is built: it would scan the
    # ever larger heap again and again (a third of the time at 100,000 residents), and
    # frozen records make no cycles for it to find.
    collecting = gc.isenabled()
    gc.disable()
    try:
        mapping = _pseudonyms(graph, raw_key, ("resident",))
        hashed = {"resident"}
        records: list[Entity | Link] = [
            _pseudonymous(_redacted(r, level, day), mapping, raw_key, hashed) for r in graph
        ]
        records += _relinked(graph, mapping)
        out = CommunityGraph(taxonomy=graph.taxonomy, metadata=graph.metadata)
        out.add_all(records)
    finally:
        if collecting:
            gc.enable()
    return out


# --------------------------------------------------------------------------- small cells

#: A cell of a table: its row (from 0) and its column.
_Cell = tuple[int, str]


def _names(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _rows_of(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(int(i) for i in value)


@attrs.frozen(kw_only=True)
class Derived:
    """A published column computed from counts of people: a share, a rate, a per-capita
    figure, a flag ("below target") or a total (see :func:`suppress_small`).

    Where any of its ``sources`` is hidden in a row, the derived cell of that row is
    hidden too, unless ``value`` shows that it is the same whatever the hidden counts
    are (then it tells nothing about them and stays).

    Examples
    --------
    >>> Derived(sources="reached").sources
    ('reached',)
    """

    sources: tuple[str, ...] = attrs.field(converter=_names)
    """The count columns (of the same row) the column is computed from."""
    value: Callable[[Mapping[str, Any]], Any] | None = attrs.field(
        default=None, eq=False, repr=False
    )
    """How the published cell is computed from the row (optional). Given, a cell whose
    hidden sources are all *primary* stays when it comes out the same for every count
    the marker allows (``1 .. threshold - 1``, or from 0 with ``zeros=True``)."""


@attrs.frozen(kw_only=True)
class Total:
    """Rows of a table that add up: in every count column, the ``total`` row holds the
    sum of the ``parts`` rows (e.g. a district and its communities).

    ``total=None`` stands for a total that is not in the table but may be known
    elsewhere (published in another table, or in the news).

    Examples
    --------
    >>> Total(total=3, parts=[0, 1, 2])
    Total(total=3, parts=(0, 1, 2))
    """

    total: int | None
    parts: tuple[int, ...] = attrs.field(converter=_rows_of)


@attrs.frozen(kw_only=True)
class SuppressedCell:
    """One cell :func:`suppress_small` hid: where, and why."""

    row: int
    """Position of the row in the table (from 0)."""
    column: str
    reason: str
    """``"primary"`` (the count is below the threshold), ``"secondary"`` (a count hidden
    so that a primary cell cannot be worked out from a total it adds up to) or
    ``"derived"`` (a share, rate or other column computed from a hidden count)."""

    def why(self, lang: str = "en", *, threshold: int = 5) -> str:
        """The reason in words, in ``"en"`` or ``"zh"``.

        >>> SuppressedCell(row=0, column="share", reason="derived").why("zh")
        '由被隐藏的人数算出'
        """
        from .kernel.text import text

        return text(f"privacy.reason.{self.reason}", lang, threshold=threshold)


@attrs.frozen(kw_only=True)
class Suppression:
    """A table with its small counts hidden (see :func:`suppress_small`)."""

    rows: tuple[Mapping[str, Any], ...]
    """The rows to publish: hidden cells replaced by ``marker``."""
    cells: tuple[SuppressedCell, ...]
    """Every hidden cell, in row then column order."""
    threshold: int
    marker: str
    columns: tuple[str, ...]
    """The count columns."""
    derived: tuple[str, ...] = ()
    """The columns derived from counts."""

    def to_rows(self) -> list[dict[str, Any]]:
        """The rows to publish, as a list of dicts."""
        return [dict(row) for row in self.rows]

    @property
    def suppressed(self) -> int:
        """How many cells were hidden."""
        return len(self.cells)

    def note(self, lang: str = "en") -> str:
        """What the marker means, for a table's caption, in ``"en"`` or ``"zh"``.

        >>> suppress_small([{"n": 3}], ["n"]).note()
        '“<5” marks a hidden cell: fewer than 5 people, or a number hidden so that such a count cannot be worked out.'
        """
        from .kernel.text import text

        return text("privacy.marker_note", lang, marker=self.marker, threshold=self.threshold)

    def hidden(self, reason: str | None = None) -> frozenset[tuple[int, str]]:
        """The hidden cells as ``(row, column)`` pairs (of one ``reason``, or all)."""
        return frozenset((c.row, c.column) for c in self.cells if reason in (None, c.reason))


def suppress_small(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    threshold: int = 5,
    *,
    marker: str | None = None,
    zeros: bool = False,
    secondary: bool = True,
    across: bool = True,
    totals: Iterable[Total] = (),
    column_totals: Mapping[str, Sequence[str]] | None = None,
    derived: Mapping[str, Derived | Sequence[str] | str] | None = None,
    only: Callable[[Mapping[str, Any]], bool] | None = None,
) -> Suppression:
    """Hide counts below ``threshold`` in a table to be published, every cell that would
    let a reader work one of them out, and every cell computed from a hidden count.

    Parameters
    ----------
    rows
        The table, one mapping per row (e.g. a result's ``to_rows()``).
    columns
        The columns that hold counts of people; other columns are left alone (unless
        named in ``derived``).
    threshold
        Counts ``1 <= n < threshold`` are hidden (default 5).
    marker
        What replaces a hidden cell; default ``"<threshold"`` (e.g. ``"<5"``).
    zeros
        Hide zero counts too (by default a zero is shown: it reveals no one).
    secondary
        Hide more cells, where needed, so that no hidden count can be worked out from
        the totals the table's counts add up to (see Notes). ``False``: primary and
        derived cells only.
    across
        The counts of a row are parts of one whole (elders, children, adults of a
        place), whose total a reader may know: a row with one hidden count needs a
        second one. ``False`` for columns that are not parts of a whole (engaged,
        talents, leaders — each a subset of the one before).
    totals
        Rows that add up: each :class:`Total` says that its ``total`` row is the sum of
        its ``parts`` rows in every count column (a district and its communities).
    column_totals
        Columns that add up, within each row: ``{"total": ["men", "women"]}``. The total
        column must be a count column too.
    derived
        Columns computed from counts of the same row: ``{"share": ["reached"]}``, or a
        :class:`Derived` with the function that computes the cell.
    only
        Which rows hold counts (default all): in the others the ``columns`` are left
        alone, e.g. the rows of a "measure, value" table that are not counts of people.

    Returns
    -------
    Suppression
        The rows to publish and the list of hidden cells with the reason.

    Raises
    ------
    ValidationError
        ``threshold`` is below 1, a count is not a whole number >= 0, a column is
        missing from a row, or a total names a row or column that is not in the table.

    Notes
    -----
    This is the *threshold rule* of statistical disclosure control (Hundepool et al.
    2012, in References): a cell counting fewer than :math:`t` people may let a reader
    single them out ("the one elder in building 6 who came").

    *Primary* cells are the counts :math:`1 \\le n < t`. Every total the table declares
    (``totals``, ``column_totals``, and with ``across`` the unpublished total of each
    row) is an equation :math:`T = \\sum_i n_i`; a reader who sees all but one of its
    cells solves it. *Secondary* suppression therefore makes every equation with a
    hidden cell hold at least two, hiding the smallest positive count shown in it (ties:
    the earliest row, then the earliest column; a zero only when nothing else is left),
    and repeats until no equation has a lone hidden cell. It then checks the equations
    together: a primary cell is solvable when its unit vector lies in the row space of
    the equations restricted to the hidden cells (tested on the null space, by a
    singular value decomposition); each such cell gets one more complementary cell, the
    smallest positive count shown in an equation it is in, until none is solvable.

    *Derived* cells (``derived``) are hidden wherever one of their sources is; with a
    ``value`` function a cell whose hidden sources are primary stays when it is the same
    for every count the marker allows (a "gap: yes" flag that holds for any of 1–4
    people reached out of 420).

    ``None`` cells (unknown) are never hidden, and count as unknown to a reader.

    What this does not do: protect against equations the table does not declare (a
    subset column that differs from its superset by a small number, cumulative
    columns differenced month by month — publish those through :func:`coarsen` —, the
    same count published in another table),
    or narrow *intervals*: a hidden count may still be bounded, e.g. to ``0 .. 9`` when
    a total of 9 splits into two hidden cells. See the privacy page of the docs.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, chapter 5.
    https://doi.org/10.1002/9781118348239

    Examples
    --------
    >>> s = suppress_small([{"community": "Pingnan", "elders": 3, "children": 12, "adults": 40},
    ...                     {"community": "Hehua", "elders": 9, "children": 0, "adults": 31}],
    ...                    ["elders", "children", "adults"])
    >>> s.to_rows()[0]
    {'community': 'Pingnan', 'elders': '<5', 'children': '<5', 'adults': 40}
    >>> [(c.row, c.column, c.reason) for c in s.cells]
    [(0, 'elders', 'primary'), (0, 'children', 'secondary')]

    A district row that adds up its communities, and a share computed from the count:

    >>> rows = [{"place": "A", "reached": 3, "of": 420, "share": "0.7%"},
    ...         {"place": "B", "reached": 40, "of": 500, "share": "8.0%"},
    ...         {"place": "C", "reached": 60, "of": 900, "share": "6.7%"},
    ...         {"place": "all", "reached": 103, "of": 1820, "share": "5.7%"}]
    >>> s = suppress_small(rows, ["reached"], across=False,
    ...                    totals=[Total(total=3, parts=[0, 1, 2])], derived={"share": "reached"})
    >>> [(r["reached"], r["share"]) for r in s.to_rows()]
    [('<5', '<5'), ('<5', '<5'), (60, '6.7%'), (103, '5.7%')]
    """
    threshold = check_whole(threshold, "threshold", minimum=1)
    shown = marker if marker is not None else f"<{threshold}"
    table = [dict(row) for row in rows]
    cols = tuple(columns)
    counted = [only is None or bool(only(row)) for row in table]
    values = _counts(table, cols, counted)
    links = _derived_columns(derived or {}, cols, table)
    equations = _equations(cols, counted, across, totals, column_totals or {})
    hidden: dict[_Cell, str] = {
        cell: "primary"
        for cell, n in values.items()
        if n is not None and n < threshold and (n > 0 or zeros)
    }
    if secondary and hidden:
        _complete(hidden, values, equations, cols)
    low = 0 if zeros else 1
    order = {c: k for k, c in enumerate((*cols, *links))}
    for i, row in enumerate(table):
        if not counted[i]:
            continue
        for column, link in links.items():
            sources = [(i, s) for s in link.sources if (i, s) in hidden]
            if sources and not _uninformative(row, link, sources, hidden, low, threshold):
                hidden[(i, column)] = "derived"
    cells = sorted(hidden.items(), key=lambda item: (item[0][0], order[item[0][1]]))
    for (i, column), _ in cells:
        table[i][column] = shown
    return Suppression(
        rows=tuple(table),
        cells=tuple(SuppressedCell(row=i, column=c, reason=r) for (i, c), r in cells),
        threshold=threshold,
        marker=shown,
        columns=cols,
        derived=tuple(links),
    )


def _counts(
    table: Sequence[Mapping[str, Any]], cols: Sequence[str], counted: Sequence[bool]
) -> dict[_Cell, int | None]:
    """Every count cell of the counted rows (``None`` when unknown), checked."""
    values: dict[_Cell, int | None] = {}
    for i, row in enumerate(table):
        if not counted[i]:
            continue
        for col in cols:
            if col not in row:
                raise ValidationError([Problem(f"rows[{i}]", f"no column {col!r}")])
            value = row[col]
            if value is not None:
                value = check_whole(value, f"rows[{i}].{col}", minimum=0)
            values[(i, col)] = value
    return values


def _derived_columns(
    derived: Mapping[str, Derived | Sequence[str] | str],
    cols: Sequence[str],
    table: Sequence[Mapping[str, Any]],
) -> dict[str, Derived]:
    links: dict[str, Derived] = {}
    for column, spec in derived.items():
        link = spec if isinstance(spec, Derived) else Derived(sources=spec)
        unknown = [s for s in link.sources if s not in cols]
        if column in cols or unknown or not link.sources:
            what = (
                f"{column!r} is a count column"
                if column in cols
                else f"{column!r} must be derived from count columns, not {unknown or '[]'}"
            )
            raise ValidationError([Problem(f"derived[{column!r}]", what)])
        if any(column not in row for row in table):
            raise ValidationError([Problem(f"derived[{column!r}]", f"no column {column!r}")])
        links[column] = link
    return links


#: An equation of a table: a total cell (``None``: a total known outside the table)
#: and the cells that add up to it.
_Equation = tuple[_Cell | None, tuple[_Cell, ...]]


def _equations(
    cols: Sequence[str],
    counted: Sequence[bool],
    across: bool,
    totals: Iterable[Total],
    column_totals: Mapping[str, Sequence[str]],
) -> list[_Equation]:
    """The totals of the table as equations over its count cells."""
    rows = [i for i, ok in enumerate(counted) if ok]
    inside = set(rows)
    out: list[_Equation] = []
    for total_col, parts in column_totals.items():
        bad = [c for c in (total_col, *parts) if c not in cols]
        if bad:
            msg = f"{bad[0]!r} is not a count column"
            raise ValidationError([Problem(f"column_totals[{total_col!r}]", msg)])
        out += [((i, total_col), tuple((i, c) for c in parts)) for i in rows]
    if across:
        summed = set(column_totals)
        parts = [c for c in cols if c not in summed]
        out += [(None, tuple((i, c) for c in parts)) for i in rows]
    for k, group in enumerate(totals):
        named = [group.total] if group.total is not None else []
        outside = [i for i in (*named, *group.parts) if i not in inside]
        if outside:
            msg = f"row {outside[0]} is not a row of counts in the table"
            raise ValidationError([Problem(f"totals[{k}]", msg)])
        for col in cols:
            top = None if group.total is None else (group.total, col)
            out.append((top, tuple((i, col) for i in group.parts)))
    return [(top, parts) for top, parts in out if parts]


def _complete(
    hidden: dict[_Cell, str],
    values: Mapping[_Cell, int | None],
    equations: Sequence[_Equation],
    cols: Sequence[str],
) -> None:
    """Secondary suppression, in place: no equation with a lone hidden cell, and no
    primary cell solvable from the equations together."""
    position = {c: k for k, c in enumerate(cols)}

    def rank(cell: _Cell) -> tuple[int, int, int]:
        value = values[cell]
        return (0 if value else 1, value or 0, cell[0] * len(cols) + position[cell[1]])

    def complement(equation: _Equation) -> _Cell | None:
        top, parts = equation
        cells = [*parts, *([top] if top is not None else [])]
        free = [c for c in cells if c not in hidden and values[c] is not None]
        return min(free, key=rank) if free else None

    for _ in range(len(values) + 1):  # every round hides a cell, or ends
        changed = False
        for equation in equations:
            top, parts = equation
            cells = [*parts, *([top] if top is not None else [])]
            unknown = [c for c in cells if c in hidden or values[c] is None]
            if len(unknown) == 1 and unknown[0] in hidden:
                pick = complement(equation)
                if pick is not None:
                    hidden[pick] = "secondary"
                    changed = True
        if changed:
            continue
        solvable = _solvable(hidden, values, equations)
        if not solvable:
            return
        for cell in solvable:
            around = [e for e in equations if cell in e[1] or e[0] == cell]
            picks = [p for p in map(complement, around) if p is not None]
            if picks:
                hidden[min(picks, key=rank)] = "secondary"
                changed = True
                break
        if not changed:
            return  # nothing left to hide around the solvable cells


def _solvable(
    hidden: Mapping[_Cell, str],
    values: Mapping[_Cell, int | None],
    equations: Sequence[_Equation],
) -> list[_Cell]:
    """The primary cells the equations determine, given every cell shown."""
    import numpy as np

    unknown = sorted({c for c in values if c in hidden or values[c] is None})
    where = {c: k for k, c in enumerate(unknown)}
    rows = []
    for top, parts in equations:
        line = np.zeros(len(unknown))
        for cell in parts:
            if cell in where:
                line[where[cell]] += 1.0
        if top is not None and top in where:
            line[where[top]] -= 1.0
        if line.any():
            rows.append(line)
    if not rows:
        return []
    matrix = np.array(rows)
    _, sv, vt = np.linalg.svd(matrix)
    full = int((sv > 1e-9 * max(1.0, float(sv[0]))).sum())
    null = vt[full:]
    free = np.abs(null).max(axis=0) if len(null) else np.zeros(len(unknown))
    return [c for c in unknown if hidden.get(c) == "primary" and free[where[c]] < 1e-9]


def _uninformative(
    row: Mapping[str, Any],
    link: Derived,
    sources: Sequence[_Cell],
    hidden: Mapping[_Cell, str],
    low: int,
    threshold: int,
) -> bool:
    """Whether a derived cell is the same whatever its hidden (primary) sources hold."""
    if link.value is None or any(hidden[c] != "primary" for c in sources):
        return False
    import itertools

    names = [c[1] for c in sources]
    published = link.value(row)
    for combo in itertools.product(range(low, threshold), repeat=len(names)):
        if link.value({**row, **dict(zip(names, combo, strict=True))}) != published:
            return False
    return True


def coarsen(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    threshold: int = 5,
    *,
    marker: str | None = None,
) -> Suppression:
    """Publish running totals of people rounded down to a multiple of ``threshold``, so
    that no difference of two of them is a small count that can be read.

    A running total ("participants to date") goes up month by month by a count of
    people (the month's new participants); two exact totals side by side give that
    count away, however small. Coarsened, a total ``n`` is shown as ``0`` when it is 0,
    as ``marker`` when ``1 <= n < threshold``, and otherwise as ``threshold * (n //
    threshold)`` (with 5: 45 stands for 45 to 49).

    Parameters
    ----------
    rows
        The table, one mapping per row, in the order of the running total.
    columns
        The running-total columns (whole numbers >= 0, or ``None`` for unknown).
    threshold
        The threshold of :func:`suppress_small`, and the width of the rounding (>= 1).
    marker
        What replaces a total below the threshold; default ``"<threshold"``.

    Returns
    -------
    Suppression
        The rows to publish; ``cells`` lists the totals replaced by the marker (reason
        ``"primary"``). The other totals are rounded, not hidden.

    Raises
    ------
    ValidationError
        ``threshold`` is below 1, a column is missing, or a count is not a whole number
        >= 0.

    See Also
    --------
    suppress_small : hide small counts and whatever would give them away.

    Notes
    -----
    Each shown value stands for a block of ``threshold`` consecutive whole numbers
    (``"<5"`` for 1 to 4, ``0`` for 0 alone). The difference of two totals in the same
    block can be anything from 0 to ``threshold - 1``; across blocks its range is wider
    still. So no month's increase below the threshold is narrowed below the range the
    marker itself allows, however many months are read together (a running total only
    rises, which adds nothing to the blocks). Rounding to the *nearest* multiple would
    not do: the block of 5 (5 to 7, after ``"<5"``) holds three values, and two months
    in it would give an increase of 0 to 2.

    Examples
    --------
    >>> s = coarsen([{"to_date": n} for n in (0, 3, 11, 14, 47)], ["to_date"])
    >>> [r["to_date"] for r in s.to_rows()]
    [0, '<5', 10, 10, 45]
    >>> [(c.row, c.reason) for c in s.cells]
    [(1, 'primary')]
    """
    threshold = check_whole(threshold, "threshold", minimum=1)
    shown = marker if marker is not None else f"<{threshold}"
    table = [dict(row) for row in rows]
    cols = tuple(columns)
    values = _counts(table, cols, [True] * len(table))
    cells = []
    for (i, column), n in values.items():
        if n is None:
            continue
        if 0 < n < threshold:
            table[i][column] = shown
            cells.append(SuppressedCell(row=i, column=column, reason="primary"))
        else:
            table[i][column] = threshold * (n // threshold)
    return Suppression(
        rows=tuple(table),
        cells=tuple(cells),
        threshold=threshold,
        marker=shown,
        columns=cols,
    )
