"""One progress bar for every long run (Monte Carlo, seed choice, sustainability).

``progress=True`` shows a tqdm bar (the optional ``progress`` extra); ``False`` gives a
bar that does nothing, so callers never branch.

>>> bar = progress_bar(False, 10, "runs")
>>> bar.update(3); bar.close()
"""

from __future__ import annotations

from typing import Any

from .._optional import require

__all__ = ["progress_bar"]


class _Silent:
    """A bar that shows nothing."""

    def update(self, n: int = 1) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to close."""


def progress_bar(enabled: bool, total: int | None, desc: str) -> Any:
    """A tqdm bar of ``total`` steps labelled ``desc`` when ``enabled``, else a silent one.

    Raises
    ------
    vchuang.errors.MissingDependencyError
        ``enabled`` without tqdm installed (``pip install 'vchuang[progress]'``).
    """
    if not enabled:
        return _Silent()
    tqdm = require("tqdm", extra="progress", feature="the progress bar (progress=True)")
    return tqdm.tqdm(total=total, desc=desc)
