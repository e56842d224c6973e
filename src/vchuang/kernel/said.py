"""Sentences an analysis writes that can be said again in another language.

An analysis explains its results in sentences (a match's reasons, a seed choice's
notes). Each such sentence is a :class:`Said`: the English text itself (a ``str``, so
that code reading ``result.reasons`` sees the same words as before), which also keeps
its entry of the text catalogue (:mod:`vchuang.kernel.text`) and the values of its
``{fields}``, so that :meth:`Said.render` can write it in Chinese. A field that differs by
language (a skill's label, a level) is a :class:`Words`, or another :class:`Said`.

Examples
--------
>>> s = Said("common.n_of", n=3, of=10)
>>> s, s.render("zh")
('3 of 10', '10 人中 3 人')
>>> said_in((s, "as written"), "zh")
('10 人中 3 人', 'as written')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .text import check_lang, text

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["Said", "Words", "said_in", "say_in"]


class Words(str):
    """A word or phrase given in both languages: the English as the ``str``, and ``zh``.

    >>> w = Words("basic", "入门")
    >>> w, w.render("zh")
    ('basic', '入门')
    """

    zh: str

    def __new__(cls, en: str, zh: str) -> Self:
        self = super().__new__(cls, en)
        self.zh = zh
        return self

    def render(self, lang: str = "en") -> str:
        """The phrase in ``lang`` (``"en"`` or ``"zh"``)."""
        return self.zh if check_lang(lang) == "zh" else str.__str__(self)

    def __call__(self, lang: str = "en") -> str:
        """The same as :meth:`render`, so that a :class:`~vchuang.errors.Problem`'s field
        (a function of the language) may be one."""
        return self.render(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Words, (str.__str__(self), self.zh))


class Said(str):
    """A sentence from the text catalogue: its English text, its ``key`` and ``fields``.

    Parameters
    ----------
    key : str
        The catalogue's entry, ``"<area>.<name>"``.
    **fields
        Values of the entry's ``{fields}``; a :class:`Words` or :class:`Said` value is
        put in in the language of the sentence, any other value as it is (numbers are
        formatted by the caller, so that both languages show the same digits).
    """

    key: str
    fields: Mapping[str, object]

    def __new__(cls, key: str, /, **fields: object) -> Self:
        self = super().__new__(cls, text(key, "en", **_in(fields, "en")))
        self.key = key
        self.fields = fields
        return self

    def render(self, lang: str = "en") -> str:
        """The sentence in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, itself."""
        if check_lang(lang) == "en":
            return str.__str__(self)
        return text(self.key, lang, **_in(self.fields, lang))

    def __call__(self, lang: str = "en") -> str:
        """The same as :meth:`render` (see :meth:`Words.__call__`)."""
        return self.render(lang)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, dict(self.fields)))


def _rebuild(key: str, fields: Mapping[str, object]) -> Said:
    return Said(key, **fields)


def _in(fields: Mapping[str, object], lang: str) -> dict[str, object]:
    """``fields`` with every :class:`Words` and :class:`Said` put in ``lang``."""
    return {k: v.render(lang) if isinstance(v, Words | Said) else v for k, v in fields.items()}


def said_in(sentences: Iterable[str], lang: str = "en") -> tuple[str, ...]:
    """``sentences`` in ``lang``: each :class:`Said` or :class:`Words` rendered, any
    other text as it is."""
    check_lang(lang)
    return tuple(say_in(s, lang) for s in sentences)


def say_in(sentence: str, lang: str = "en") -> str:
    """One sentence in ``lang`` (see :func:`said_in`)."""
    if isinstance(sentence, Words | Said):
        return sentence.render(lang)
    return sentence
