"""Old argument names kept for one release behind a :class:`DeprecationWarning`.

When a public argument is renamed (``community=`` → ``place=``, ``date=`` → ``as_of=``,
``n_sims=`` → ``runs=`` …), the function keeps the old name as a keyword-only parameter
defaulting to :data:`UNSET` and calls :func:`renamed`:

>>> import warnings
>>> def top(place=None, *, community=UNSET):
...     return renamed("top", "community", community, "place", place)
>>> top(place="pingnan")
'pingnan'
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     top(community="pingnan")
'pingnan'
>>> str(caught[0].message)
'top(community=...) is deprecated and will be removed in the next release; use place=...'
"""

from __future__ import annotations

import enum
import warnings
from typing import Any, Final

__all__ = ["UNSET", "renamed"]


class _Unset(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "<unset>"


#: The default of a deprecated parameter: "not given" (``None`` may be a real value).
UNSET: Final = _Unset.UNSET


def renamed(where: str, old: str, old_value: Any, new: str, new_value: Any) -> Any:
    """The value of ``new``, or of its old name ``old`` (with a ``DeprecationWarning``).

    Raises
    ------
    TypeError
        Both names were given, with different values.
    """
    if old_value is UNSET:
        return new_value
    warnings.warn(
        f"{where}({old}=...) is deprecated and will be removed in the next release; use {new}=...",
        DeprecationWarning,
        stacklevel=3,
    )
    if new_value is not None and new_value is not UNSET and new_value != old_value:
        msg = f"{where}: pass {new}= only ({old}= is its old name)"
        raise TypeError(msg)
    return old_value
