"""The plot seam: results draw themselves without any analysis importing :mod:`vchuang.plot`.

An analysis's result calls :func:`plot` from its ``.plot()`` method. :func:`plot` loads
:mod:`vchuang.plot` on first use (so matplotlib is imported only when a figure is
drawn); :mod:`vchuang.plot` registers one drawing function per result type with
:func:`draw`. Layers stay one-way: analyses import this kernel, :mod:`vchuang.plot`
imports the analyses.

Examples
--------
>>> from vchuang.kernel.plotting import draw
>>> class Thing: ...
>>> @draw.register
... def _draw_thing(result: Thing, /, **kwargs: object) -> str:
...     return "drawn"
>>> plot(Thing())
'drawn'
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from ..errors import Problem, ValidationError

__all__ = ["draw", "plot"]


@functools.singledispatch
def draw(result: object, /, **kwargs: Any) -> Any:  # noqa: ARG001  (the registered functions take them)
    """Draw ``result``; :mod:`vchuang.plot` registers one function per result type."""
    raise ValidationError(
        [
            Problem(
                type(result).__name__,
                "has no figure",
                "see vchuang.plot for the results that can be drawn",
            )
        ]
    )


def plot(result: object, /, **kwargs: Any) -> Any:
    """Draw ``result`` with the function :mod:`vchuang.plot` registered for its type.

    Keyword arguments (``ax``, ``lang``, ``kind`` ...) are passed on. Returns what the
    drawing function returns, usually a :class:`matplotlib.axes.Axes`.
    """
    importlib.import_module("vchuang.plot")
    return draw(result, **kwargs)
