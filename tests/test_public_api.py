"""The public surface: what ``__all__`` promises exists, is documented, and is all there is.

A package's ``__init__`` is a thin face: its ``__all__`` lists the public names, every
one of them exists and has a docstring, ``dir()`` shows exactly them (so tab completion
in a notebook shows no private helpers), and the docs mention each one.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"

#: Packages whose face is thin: dir() equals __all__.
PACKAGES = [
    "vchuang.talent",
    "vchuang.diffusion",
    "vchuang.io.tables",
    "vchuang.kernel",
    "vchuang.matching",
    "vchuang.selection",
    "vchuang.incubator",
    "vchuang.funding",
    "vchuang.capital",
    "vchuang.participation",
    "vchuang.survival",
]

#: Every module with a public surface.
MODULES = [
    "vchuang",
    "vchuang.model",
    "vchuang.graph",
    "vchuang.csr",
    "vchuang.privacy",
    "vchuang.errors",
    "vchuang.io",
    "vchuang.io.cells",
    "vchuang.io.export",
    "vchuang.io.pabulib",
    "vchuang.io.schema",
    "vchuang.datasets",
    "vchuang.reach",
    "vchuang.indicators",
    "vchuang.plot",
    "vchuang.report",
    "vchuang.kernel.money",
    "vchuang.kernel.checks",
    "vchuang.kernel.text",
    "vchuang.kernel.display",
    "vchuang.kernel.renames",
    "vchuang.kernel.pagerank",
    "vchuang.kernel.coverage",
    "vchuang.kernel.progress",
    "vchuang.kernel.plotting",
    *PACKAGES,
]


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def _docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.glob("*.md")))


DOCS_TEXT = _docs_text()


def _documented_modules() -> set[str]:
    """Modules whose members the docs include wholesale (``automodule`` with ``:members:``)."""
    found = set()
    for match in re.finditer(r"automodule:: (\S+)\n((?:   :[^\n]*\n)*)", DOCS_TEXT):
        if ":members:" in match.group(2):
            found.add(match.group(1))
    return found


AUTOMODULES = _documented_modules()


@pytest.mark.parametrize("name", MODULES)
def test_every_name_in_all_exists(name: str) -> None:
    module = _module(name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{name} has no __all__"
    missing = [n for n in names if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ lists names that do not exist: {missing}"
    assert len(set(names)) == len(names), f"{name}.__all__ lists a name twice"


@pytest.mark.parametrize("name", PACKAGES)
def test_dir_of_a_package_is_its_all(name: str) -> None:
    module = _module(name)
    assert sorted(dir(module)) == sorted(module.__all__)


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_and_class_has_a_docstring(name: str) -> None:
    module = _module(name)
    bare = [
        n
        for n in module.__all__
        if (inspect.isfunction(obj := getattr(module, n)) or inspect.isclass(obj))
        and not inspect.getdoc(obj)
    ]
    assert not bare, f"{name}: public names without a docstring: {bare}"


@pytest.mark.parametrize("name", MODULES)
def test_every_public_name_is_in_the_docs(name: str) -> None:
    module = _module(name)
    if name in AUTOMODULES:
        return
    owner = {n: getattr(getattr(module, n), "__module__", name) or name for n in module.__all__}
    undocumented = [
        n
        for n in module.__all__
        if not n.startswith("__")
        and not re.search(rf"\b{re.escape(n)}\b", DOCS_TEXT)
        and owner[n] not in AUTOMODULES
    ]
    assert not undocumented, f"{name}: public names the docs never mention: {undocumented}"
