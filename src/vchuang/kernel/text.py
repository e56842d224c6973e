"""The one text catalogue: every word a user reads, in Chinese and English.

Labels, table headers, messages and hints live in JSON files under
``vchuang/data/text/``, one file an area (``plot.json``, ``report.json`` ...). Each entry
is keyed ``"<area>.<name>"`` and holds both languages::

    {"talent.feature.degree": {"en": "ties", "zh": "联系人数"}}

:func:`text` looks an entry up and fills its ``{fields}``. A test checks that every entry
has both languages and the same fields in each, so neither language can fall behind.

Examples
--------
>>> text("common.yes", "zh"), text("common.yes", "en")
('是', 'yes')
>>> text("common.n_of", "zh", n=3, of=10)
'10 人中 3 人'
"""

from __future__ import annotations

import os
import string
from collections.abc import Mapping
from typing import Literal

from .._catalogue import catalogue, lookup
from ..errors import Problem, ValidationError

__all__ = ["LANGS", "Lang", "catalogue", "check_lang", "has", "lang_from_env", "text"]

Lang = Literal["en", "zh"]
#: The languages every entry is written in.
LANGS: tuple[Lang, ...] = ("en", "zh")


def has(key: str) -> bool:
    """Whether the catalogue has an entry ``key``."""
    return key in catalogue()


def check_lang(lang: str) -> Lang:
    """``lang`` when it is ``"en"`` or ``"zh"``; otherwise a clear error."""
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise ValidationError(
        [Problem("lang", f"must be 'en' or 'zh', got {lang!r}", "write lang='zh' for Chinese")]
    )


def text(key: str, lang: str = "en", /, **fields: object) -> str:
    """The entry ``key`` in ``lang``, with its ``{fields}`` filled in.

    Parameters
    ----------
    key : str
        ``"<area>.<name>"``, e.g. ``"report.title"``.
    lang : {"en", "zh"}, default "en"
    **fields
        Values for the entry's ``{placeholders}``.

    Raises
    ------
    KeyError
        No such entry: a programming error, caught by the catalogue's tests.
    """
    return lookup(key, check_lang(lang), **fields)


def fields_of(template: str) -> frozenset[str]:
    """The placeholder names of a template (for the catalogue's own tests)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def lang_from_env(default: Lang = "en", environ: Mapping[str, str] | None = None) -> Lang:
    """``"zh"`` when the user's locale is Chinese (``LANG=zh_CN.UTF-8`` ...), else ``default``.

    The variables are read in POSIX order: ``LC_ALL``, ``LC_MESSAGES``, ``LANG``; the
    first one set decides.

    >>> lang_from_env(environ={"LANG": "zh_CN.UTF-8"})
    'zh'
    >>> lang_from_env(environ={"LC_ALL": "C", "LANG": "zh_CN.UTF-8"})
    'en'
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return default
