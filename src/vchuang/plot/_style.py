"""Colours, fonts and axes shared by every figure (private)."""

from __future__ import annotations

import functools
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["COLORS", "CJKFontWarning", "cjk_fonts", "font_kw", "label_lang", "new_axes"]

#: One colour per entity kind, the same in every figure.
COLORS: dict[str, str] = {
    "district": "#4d4d4d",
    "subdistrict": "#7f7f7f",
    "community": "#8c6d31",
    "resident": "#1f77b4",
    "leader": "#d62728",
    "talent": "#ff7f0e",
    "volunteer": "#2ca02c",
    "group": "#9467bd",
    "organization": "#8c564b",
    "project": "#e377c2",
    "activity": "#17becf",
    "segment": "#bcbd22",
    "resource": "#7f7f7f",
    "unmet": "#c7c7c7",
}

_CJK_NAMES = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)


class CJKFontWarning(UserWarning):
    """No font able to show Chinese is installed; labels fall back to English."""


@functools.cache
def _installed_cjk() -> tuple[str, ...]:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return tuple(n for n in _CJK_NAMES if n in names)


@functools.cache
def _warn_once() -> None:
    warnings.warn(
        "no CJK font found (on Debian/Ubuntu: apt-get install fonts-noto-cjk); "
        "figures use English labels",
        CJKFontWarning,
        stacklevel=3,
    )


def cjk_fonts() -> list[str]:
    """A font family list that shows Chinese (installed CJK fonts first, then
    DejaVu Sans), or an empty list when no CJK font is installed."""
    found = _installed_cjk()
    return [*found, "DejaVu Sans"] if found else []


def label_lang(lang: str) -> str:
    """The label language to use: ``"zh"`` only when asked for and a CJK font is
    installed (otherwise a single warning and ``"en"``)."""
    if lang not in ("en", "zh"):
        msg = f"lang must be 'en' or 'zh', got {lang!r}"
        raise ValueError(msg)
    if lang == "zh" and not cjk_fonts():
        _warn_once()
        return "en"
    return lang


def font_kw(lang: str) -> dict[str, object]:
    """Keyword arguments for matplotlib text in ``lang`` (the one font helper).

    ``{"fontfamily": [...CJK fonts..., "DejaVu Sans"]}`` for Chinese when a CJK font
    is installed, else ``{}``. Pass the result to ``ax.set_title(..., **font_kw(lang))``
    and friends; global ``rcParams`` are never changed. Call :func:`label_lang` first to
    learn which language the labels can actually be written in.
    """
    fonts = cjk_fonts() if lang == "zh" else []
    return {"fontfamily": fonts} if fonts else {}


def new_axes(ax: Axes | None = None, *, figsize: tuple[float, float] = (7.0, 4.5)) -> Axes:
    """``ax`` itself, or the axes of a new figure.

    New figures are made without pyplot (no global state, nothing to close); in Jupyter,
    run ``%matplotlib inline`` once and end a cell with ``ax.figure`` to show one; save
    it with ``ax.figure.savefig``.
    """
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, layout="constrained").add_subplot()
