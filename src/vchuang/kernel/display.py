"""How results show themselves: a short ``repr`` and a small HTML table for notebooks.

A result of a district can hold a million rows; printing it must not flood a notebook.
Every result's ``__repr__`` gives counts and the first few rows (:func:`preview`), and
its ``_repr_html_`` a small table (:func:`html_table`), both a few hundred characters.

Examples
--------
>>> preview(["a", "b", "c", "d"], 3)
"['a', 'b', 'c', ...]"
>>> html_table("Top", ("name",), [("<x>",)])
'<table><caption>Top</caption><thead><tr><th>name</th></tr></thead><tbody><tr><td>&lt;x&gt;</td></tr></tbody></table>'
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

__all__ = ["SHOWN", "html_table", "preview"]

#: How many rows a ``repr`` or a notebook table shows.
SHOWN = 3


def preview(items: Iterable[object], n: int = SHOWN) -> str:
    """The first ``n`` items as a list literal, with ``...`` when there are more."""
    shown: list[str] = []
    more = False
    for i, item in enumerate(items):
        if i == n:
            more = True
            break
        shown.append(repr(item))
    return "[" + ", ".join([*shown, "..."] if more else shown) + "]"


def html_table(caption: str, head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A small HTML table for notebooks; every cell is escaped."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return (
        f"<table><caption>{html.escape(caption)}</caption>"
        f"<thead><tr>{header}</tr></thead><tbody>{cells}</tbody></table>"
    )
