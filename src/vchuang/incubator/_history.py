"""The incubator history as a JSON document (private; used by
:meth:`vchuang.incubator.Incubator.to_dict` and :meth:`~vchuang.incubator.Incubator.from_dict`).

The history -- transitions, brands and resource-linkage decisions -- is written and read
by the library's one JSON converter (:mod:`vchuang.io`), under the same header policy as
the graph and the ledger: ``{"format": "vchuang-incubator", "format_version": 1,
"transitions": [...], "brands": [...], "decisions": [...]}``. A transition's stages are
``"from"`` and ``"to"`` in JSON (a cattrs rename, declared once below).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..io.documents import DocumentFormat, DocumentReader, register_record, unstructure
from ._linkage import LinkDecision
from ._records import Brand, Transition

__all__ = ["FORMAT", "FORMAT_VERSION", "HISTORY_FORMAT", "UPGRADES", "read", "write"]

#: The ``format`` tag of incubator history documents.
FORMAT = "vchuang-incubator"
#: The version of the history document this vchuang writes.
FORMAT_VERSION = 1
#: Steps that upgrade a history document from version ``n`` to ``n + 1`` (none yet).
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}

HISTORY_FORMAT = DocumentFormat(
    tag=FORMAT,
    version=FORMAT_VERSION,
    upgrades=UPGRADES,
    what="an incubator history",
    hint="this does not look like an incubator history (Incubator.to_dict)",
)
_KEYS = ("format", "format_version", "transitions", "brands", "decisions")

register_record(Transition, renames={"from_stage": "from", "to_stage": "to"})


def write(
    transitions: tuple[Transition, ...],
    brands: tuple[Brand, ...],
    decisions: tuple[LinkDecision, ...],
) -> dict[str, Any]:
    """The history as a JSON-ready document."""
    return {
        **HISTORY_FORMAT.header(),
        "transitions": [unstructure(t) for t in transitions],
        "brands": [unstructure(b) for b in brands],
        "decisions": [unstructure(d) for d in decisions],
    }


def read(
    data: Mapping[str, Any],
) -> tuple[DocumentReader, list[Transition], list[Brand], list[LinkDecision]]:
    """The records of a history document, and the reader holding every problem found
    (with its JSON path); a record that could not be read is left out."""
    reader = DocumentReader(_KEYS)
    doc = reader.header(data, HISTORY_FORMAT)
    if doc is None:
        return reader, [], [], []
    transitions = [t for t in reader.records(doc, "transitions", Transition) if t is not None]
    brands = [b for b in reader.records(doc, "brands", Brand) if b is not None]
    decisions = [d for d in reader.records(doc, "decisions", LinkDecision) if d is not None]
    return reader, transitions, brands, decisions
