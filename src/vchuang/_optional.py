"""Optional dependencies, imported lazily with a clear message (private)."""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingDependencyError

__all__ = ["require"]


def require(module: str, *, extra: str, feature: str, package: str | None = None) -> ModuleType:
    """Import ``module`` or raise :class:`~vchuang.errors.MissingDependencyError`
    naming the extra that brings it (``pip install 'vchuang[extra]'``).

    >>> require("json", extra="core", feature="reading JSON").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            package or module.split(".", maxsplit=1)[0], extra, feature
        ) from None
