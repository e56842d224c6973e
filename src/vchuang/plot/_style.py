"""Colours, fonts and axes shared by every figure (private)."""

from __future__ import annotations

import functools
import logging
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CJKFontWarning
from ..kernel.text import lang_from_env, text

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
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
)
"""Family names known to show Chinese, most preferred first."""

#: Beginnings of the file names of CJK fonts (lower case, letters and digits only), as
#: Debian, Fedora, Homebrew, Windows and macOS install them: ``NotoSansCJK-Regular.ttc``,
#: ``NotoSansSC-Regular.otf``, ``SourceHanSansSC-Regular.otf``, ``wqy-zenhei.ttc``,
#: ``DroidSansFallbackFull.ttf``, ``simhei.ttf``, ``msyh.ttc``, ``PingFang.ttc`` …
_CJK_FILES = (
    "notosanscjk",
    "notoserifcjk",
    "notosanssc",
    "notoserifsc",
    "notosanstc",
    "sourcehansans",
    "sourcehanserif",
    "wqy",
    "wenquanyi",
    "droidsansfallback",
    "simhei",
    "simsun",
    "simkai",
    "msyh",
    "pingfang",
    "uming",
    "ukai",
    "sarasagothic",
)

#: A character every font able to show the labels has (中, "middle").
_PROBE = 0x4E2D

_log = logging.getLogger(__name__)


def _looks_cjk(path: str) -> bool:
    stem = "".join(c for c in Path(path).name.lower() if c.isalnum())
    return stem.startswith(_CJK_FILES)


def _has_hanzi(path: str) -> bool:
    """Whether the font file (its first face) has a glyph for 中."""
    from matplotlib import ft2font

    return bool(ft2font.FT2Font(path).get_char_index(_PROBE))


def _system_font_files() -> list[str]:
    """Every TrueType/OpenType font file in the system font folders (and fontconfig's)."""
    from matplotlib import font_manager

    return list(font_manager.findSystemFonts())


def _add_system_cjk() -> tuple[str, ...]:
    """Add the CJK fonts of the system font folders to matplotlib's font list.

    For fonts installed after matplotlib built its font cache (matplotlib does not look
    again): only files whose names say CJK are opened, and only those with a glyph for
    中 are added, with ``fontManager.addfont`` (in memory; the cache file is left alone).
    Returns their family names.
    """
    from matplotlib import font_manager

    manager = font_manager.fontManager
    cached: dict[str, list[str]] = {}
    for entry in manager.ttflist:
        cached.setdefault(str(entry.fname), []).append(entry.name)
    names: list[str] = []
    for path in sorted(p for p in _system_font_files() if _looks_cjk(p)):
        try:
            if not _has_hanzi(path):
                continue
            if path in cached:
                names += cached[path]
                continue
            before = len(manager.ttflist)
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError) as error:  # unreadable, not a font
            _log.debug("skipping font %s: %s", path, error)
            continue
        added = [entry.name for entry in manager.ttflist[before:]]
        _log.info("found CJK font %s (%s), not in matplotlib's cache", path, ", ".join(added))
        names += added
    return tuple(dict.fromkeys(names))


#: Python packages that carry a CJK font file, in the order they are tried. The extra
#: ``vchuang[zh]`` installs the first (Noto Sans SC, SIL Open Font License), so that
#: Chinese figures work on a machine with no font installed by hand.
FONT_PACKAGES: tuple[str, ...] = ("pylopdf_fonts_zh_cn", "mplfonts", "noto_cjk_sans_otc")


def _package_font_files() -> list[str]:
    """The CJK font files shipped inside the installed :data:`FONT_PACKAGES`."""
    import importlib.util

    files: list[str] = []
    for name in FONT_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            continue
        for folder in spec.submodule_search_locations:
            files += sorted(
                str(path)
                for path in Path(folder).rglob("*")
                if path.suffix.lower() in {".otf", ".ttf"} and _looks_cjk(str(path))
            )
    return files


def _add_package_cjk() -> tuple[str, ...]:
    """Add the CJK fonts of :data:`FONT_PACKAGES` to matplotlib's font list (in memory)."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {str(entry.fname) for entry in manager.ttflist}
    names: list[str] = []
    for path in _package_font_files():
        try:
            if path not in known:
                manager.addfont(path)
            names += [e.name for e in manager.ttflist if str(e.fname) == path]
        except (OSError, RuntimeError, ValueError) as error:  # unreadable, not a font
            _log.debug("skipping font %s: %s", path, error)
    return tuple(dict.fromkeys(names))


@functools.cache
def _installed_cjk() -> tuple[str, ...]:
    """The CJK font families matplotlib can use, most preferred first (once a process).

    First matplotlib's cached font list; when it has none, the fonts carried by an
    installed font package (:data:`FONT_PACKAGES`, ``pip install 'vchuang[zh]'``); when
    there is none either, the system font folders.
    """
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = tuple(n for n in _CJK_NAMES if n in names)
    if found:
        return found
    discovered = _add_package_cjk() or _add_system_cjk()
    known = tuple(n for n in _CJK_NAMES if n in discovered)
    return known + tuple(n for n in discovered if n not in known)


@functools.cache
def _warn_once() -> None:
    warnings.warn(
        text("plot.no_cjk_font", lang_from_env()),
        CJKFontWarning,
        stacklevel=3,
    )


def cjk_fonts() -> list[str]:
    """A font family list that shows Chinese (installed CJK fonts first, then
    DejaVu Sans), or an empty list when no CJK font is installed.

    matplotlib's cached font list is searched first; when it has no CJK font, the system
    font folders are (once a process), so a font installed after matplotlib built its
    cache is found without deleting the cache.
    """
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
