"""The one serialisation path: how every vchuang JSON document is read and written.

The community graph, the micro-fund ledger and the incubator history are three document
formats on one cattrs converter. Each document starts with the same header —
``"format"`` (its tag) and ``"format_version"`` — and each format has its own registry
of upgrades from older versions (:class:`DocumentFormat`). A :class:`DocumentReader`
collects every problem of a document with its JSON path and a hint, so the three readers
report errors the same way. Records whose JSON keys differ from their attribute names
say so once, with :func:`register_record` (cattrs overrides), never with hand-written
``to_dict``/``from_dict`` code.

This module is the public face of that machinery for the analyses that own a format
(:mod:`vchuang.funding`, :mod:`vchuang.incubator`); users read and write documents with
:func:`vchuang.load`, :func:`vchuang.funding.load_ledger` and
:meth:`vchuang.incubator.Incubator.from_dict`.
"""

from __future__ import annotations

from ._json import DocumentFormat, DocumentReader, parse_json, register_record, unstructure

__all__ = ["DocumentFormat", "DocumentReader", "parse_json", "register_record", "unstructure"]
