"""Cells that a spreadsheet would run as formulas (CSV injection), made safe.

Every CSV the library writes goes through :func:`cell_out`; every CSV it reads through
:func:`cell_in`.

Text starting with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or an apostrophe is
written after an apostrophe, which Excel and LibreOffice show as plain text and which
vchuang's readers remove again, so a round trip is exact.
"""

from __future__ import annotations

__all__ = ["FORMULA_START", "cell_in", "cell_out"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def cell_out(text: str) -> str:
    """``text`` as written to a CSV cell.

    >>> cell_out("=1+1"), cell_out("平南")
    ("'=1+1", '平南')
    """
    return "'" + text if text.startswith(FORMULA_START) else text


def cell_in(text: str) -> str:
    """A CSV cell's text as read back (the guarding apostrophe removed)."""
    return text.removeprefix("'")
