"""The bottom layer: small kernels every other layer shares.

Nothing here imports from the rest of vchuang except :mod:`vchuang.errors`; every
other layer may import from here. Each module holds one idea:

- :mod:`vchuang.kernel.money` -- yuan text to integer fen and back, one style;
- :mod:`vchuang.kernel.checks` -- argument checks that name the argument and suggest
  the nearest allowed value;
- :mod:`vchuang.kernel.text` -- the one Chinese/English text catalogue;
- :mod:`vchuang.kernel.pagerank` -- the one PageRank, on a sparse matrix;
- :mod:`vchuang.kernel.coverage` -- greedy maximum coverage (reach and seed choice);
- :mod:`vchuang.kernel.display` -- short reprs and notebook tables of results;
- :mod:`vchuang.kernel.renames` -- old argument names kept for one release;
- :mod:`vchuang.kernel.plotting` -- the seam through which results' ``.plot()`` reach
  :mod:`vchuang.plot` without importing it.
"""

from __future__ import annotations

from .checks import check_choice, check_jobs, check_number, check_whole, collect, suggest
from .money import format_fen, parse_yuan
from .text import Lang, lang_from_env, text

__all__ = [
    "Lang",
    "check_choice",
    "check_jobs",
    "check_number",
    "check_whole",
    "collect",
    "format_fen",
    "lang_from_env",
    "parse_yuan",
    "suggest",
    "text",
]


def __dir__() -> list[str]:
    return list(__all__)
