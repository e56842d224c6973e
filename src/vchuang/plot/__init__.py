"""Figures from analysis results (matplotlib).

Every plotting function takes a result and an optional ``ax`` and returns the
:class:`matplotlib.axes.Axes` it drew on. Global ``rcParams`` are never changed: labels
in Chinese use the font family from :func:`cjk_fonts`, passed explicitly; without a
CJK font installed, a single warning is given and English labels are used.
"""

from __future__ import annotations

from ._style import COLORS, cjk_fonts, label_lang, new_axes

__all__ = ["COLORS", "cjk_fonts", "label_lang", "new_axes"]
