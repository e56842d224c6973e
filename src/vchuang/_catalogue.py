"""The text catalogue's files, read once (private; the public face is
:mod:`vchuang.kernel.text`).

It sits at the very bottom, below :mod:`vchuang.errors`, so that a
:class:`~vchuang.errors.Problem` can say itself in either language without the error
types and the catalogue importing each other.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources

__all__ = ["catalogue", "lookup"]


@functools.cache
def catalogue() -> Mapping[str, Mapping[str, str]]:
    """Every entry of the catalogue, read once from the package's data files.

    Raises
    ------
    ValueError
        Two files define the same key, or a key does not start with its file's area
        (a defect of the package, caught by its tests).
    """
    entries: dict[str, Mapping[str, str]] = {}
    folder = resources.files("vchuang") / "data" / "text"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".json"):
            continue
        area = item.name.removesuffix(".json")
        for key, value in json.loads(item.read_text(encoding="utf-8")).items():
            if not key.startswith(area + ".") or key in entries:
                msg = f"{item.name}: {key} is a duplicate or outside its area"
                raise ValueError(msg)
            entries[key] = value
    return entries


def lookup(key: str, lang: str, /, **fields: object) -> str:
    """The entry ``key`` in ``lang`` (already checked to be ``"en"`` or ``"zh"``), with
    its ``{fields}`` filled in."""
    template = catalogue()[key][lang]
    return template.format(**fields) if fields else template
