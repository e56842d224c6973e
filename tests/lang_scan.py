"""Scan text for words of the wrong language (shared by the tests of Chinese output)."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Pseudonyms (``r-`` and 16 hex digits), version numbers, dates and amounts are not words.
NOT_WORDS = re.compile(r"\br-[0-9a-f]{16}\b|\d+(?:\.\d+)*(?:\.dev\d+)?")
#: Words a Chinese text may show: the program's name and the names of formats.
ALWAYS_ALLOWED = frozenset({"vchuang", "JSON", "UTF", "CSV", "XLSX", "PNG"})


def english_words(text: str, allowed: Iterable[str] = ()) -> set[str]:
    """The English words (three letters or more) of ``text`` not in ``allowed`` (IDs,
    field names, the dataset's own words) nor :data:`ALWAYS_ALLOWED`."""
    words = set(re.findall(r"[A-Za-z]{3,}", NOT_WORDS.sub(" ", text)))
    return words - ALWAYS_ALLOWED - set(allowed)


def has_chinese(text: str) -> bool:
    """Whether ``text`` holds Chinese characters."""
    return re.search(r"[\u3400-\u9fff]", text) is not None
