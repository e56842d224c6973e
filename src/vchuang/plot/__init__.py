"""Figures from analysis results (matplotlib).

Every plotting function takes a result and an optional ``ax`` and returns the
:class:`matplotlib.axes.Axes` it drew on. Global ``rcParams`` are never changed: labels
in Chinese use the font family from :func:`cjk_fonts`, passed explicitly; without a
CJK font installed, a single warning is given and English labels are used.
"""

from __future__ import annotations

from . import (
    _capital,  # noqa: F401  (registers the figures of vchuang.capital's results)
    _participation,  # noqa: F401  (registers vchuang.participation's figures)
    _survival,  # noqa: F401  (registers vchuang.survival's figures)
)
from ._diffusion import plot_choice, plot_curves, plot_spread
from ._funding import plot_balance_history, plot_runway
from ._incubator import plot_funnel, plot_linkage, plot_pipeline, plot_training
from ._matching import plot_matching
from ._network_view import network_view
from ._reach import plot_gains, plot_heatmap, plot_tiers
from ._selection import (
    plot_audit,
    plot_comparison,
    plot_eligibility,
    plot_scores,
    plot_selection,
    plot_why_not_funded,
)
from ._style import COLORS, CJKFontWarning, cjk_fonts, font_kw, label_lang, new_axes
from ._talent import plot_key_players, plot_talents
from ._webfont import font_face_css, web_font_file

__all__ = [
    "COLORS",
    "CJKFontWarning",
    "cjk_fonts",
    "font_face_css",
    "font_kw",
    "label_lang",
    "network_view",
    "new_axes",
    "plot_audit",
    "plot_balance_history",
    "plot_choice",
    "plot_comparison",
    "plot_curves",
    "plot_eligibility",
    "plot_funnel",
    "plot_gains",
    "plot_heatmap",
    "plot_key_players",
    "plot_linkage",
    "plot_matching",
    "plot_pipeline",
    "plot_runway",
    "plot_scores",
    "plot_selection",
    "plot_spread",
    "plot_talents",
    "plot_tiers",
    "plot_training",
    "plot_why_not_funded",
    "web_font_file",
]
