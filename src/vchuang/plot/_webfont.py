"""A Chinese font for web pages, cut down to the characters a page uses (private).

A page written in Chinese shows empty boxes in a browser that has no CJK font (a server,
a fresh Linux install). When the ``vchuang[zh]`` extra is installed, its Noto Sans SC
(SIL Open Font License) is found the way the figures find it
(:func:`vchuang.plot._style._package_font_files`), cut with :mod:`fontTools.subset` to the
CJK characters of the page, and embedded in the page's style sheet as a WOFF
(zlib-compressed; WOFF2 would need brotli) ``@font-face`` named :data:`FACE`. Style
sheets list the reader's own CJK fonts first and :data:`FACE` after them, so an
installed font wins and the embedded one only fills the gaps.
"""

from __future__ import annotations

import base64
import functools
import html.parser
import io
import json
import logging
from collections.abc import Iterable
from pathlib import Path

from ._style import _package_font_files

__all__ = ["FACE", "cjk_characters", "font_face_css", "page_characters", "web_font_file"]

#: The family name of the embedded face (distinct from any installed font's name).
FACE = "vchuang CJK"

#: Unicode blocks whose characters need a CJK font: radicals, CJK symbols and
#: punctuation, kana, bopomofo, Han (extension A, unified, compatibility, the
#: supplementary planes), vertical and compatibility forms, half- and full-width forms.
_CJK_BLOCKS = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)

_log = logging.getLogger(__name__)


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_BLOCKS)


def cjk_characters(chars: Iterable[str]) -> set[str]:
    """The characters of ``chars`` that need a CJK font.

    >>> sorted(cjk_characters("Pingnan 平南社区，2019"))
    ['区', '南', '平', '社', '，']
    """
    return {c for c in chars if _is_cjk(c)}


class _Text(html.parser.HTMLParser):
    """The characters a reader can see: text outside scripts and style sheets, the
    attributes shown as text, and the strings of JSON data islands (the network view's
    labels, drawn by its script)."""

    _SHOWN_ATTRIBUTES = frozenset({"alt", "title", "placeholder", "aria-label", "value"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._inside: str | None = None
        self._json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._inside = tag
            self._json = tag == "script" and dict(attrs).get("type") == "application/json"
        self.parts += [v for k, v in attrs if k in self._SHOWN_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inside:
            self._inside, self._json = None, False

    def handle_data(self, data: str) -> None:
        if self._inside is None:
            self.parts.append(data)
        elif self._json:
            self.parts += _strings(json.loads(data))


def _strings(value: object) -> list[str]:
    """Every string in a JSON value (keys are names, not shown)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def page_characters(page: str) -> set[str]:
    """The characters a reader of the HTML ``page`` sees (see :class:`_Text`).

    >>> sorted(page_characters('<p title="标">正文</p><script>var x="脚本";</script>'))
    ['文', '标', '正']
    """
    parser = _Text()
    parser.feed(page)
    parser.close()
    return set("".join(parser.parts))


def web_font_file() -> str | None:
    """The font file of the installed ``vchuang[zh]`` extra (a sans-serif one first), or
    ``None`` without it."""
    files = _package_font_files()
    sans = [f for f in files if "sans" in Path(f).name.lower()]
    chosen = sans or files
    return chosen[0] if chosen else None


@functools.lru_cache(maxsize=8)
def _subset(path: str, chars: frozenset[str]) -> bytes:
    """The glyphs of ``chars`` from the font at ``path``, as WOFF (zlib) bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False  # small sizes on screens are hinted by the browser
    options.layout_features = []  # no vertical forms or localised variants needed
    options.name_IDs = [1, 2]  # family and style only
    # the layout and vertical tables are big and unused: dropping them before the subset
    # also saves reading them (about a second for a full CJK font)
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    buffer = io.BytesIO()
    with TTFont(path, lazy=True) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(ord(c) for c in chars))
        subsetter.subset(font)
        font.flavor = "woff"
        font.save(buffer)
    return buffer.getvalue()


def font_face_css(page: str) -> str:
    """An ``@font-face`` rule of the face ``"vchuang CJK"`` holding the CJK characters of ``page``,
    the font data inline (base64), or ``""`` when the page has no CJK character or the
    ``vchuang[zh]`` extra (its font) is not installed.

    Parameters
    ----------
    page : str
        The HTML page, as it will be written.

    Returns
    -------
    str
        CSS for the page's ``<style>``.
    """
    chars = cjk_characters(page_characters(page))
    path = web_font_file() if chars else None
    if path is None:
        return ""
    try:
        data = _subset(path, frozenset(chars))
    except (OSError, ValueError, KeyError) as error:  # an unreadable font: the reader's fonts
        _log.warning("could not embed the font %s: %s", path, error)
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'@font-face{{font-family:"{FACE}";font-style:normal;'
        f'font-display:swap;src:url(data:font/woff;base64,{encoded}) format("woff")}}'
    )
