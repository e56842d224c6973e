"""The import contract: imports only point down the layers, and no circle closes.

The layers, from the bottom (see ``docs/architecture.md``)::

    kernel  errors, kernel/*, the private helpers (_version, _optional, _rng, _validators)
    model   the records and the relation schema
    graph   graph, csr, privacy
    io      io/*
    analyses  talent, matching, reach, diffusion, selection, incubator, funding,
              indicators; and datasets, whose Longgang pilot includes a micro-fund ledger
    plot    plot/*
    top     report, cli, __main__, the package's __init__

Every ``import`` in ``src/vchuang`` counts, at module level or inside a function, under
``TYPE_CHECKING`` or not: an analysis that imports :mod:`vchuang.plot` even lazily makes
a circle that no tool can check. Modules of one layer may import each other, but the
units (a top-level module or subpackage) must not form a circle at run time (an import
under ``if TYPE_CHECKING:`` runs only in a type checker, so it makes no circle; it must
still point down).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "vchuang"

LAYERS: dict[str, int] = {
    "_catalogue": 0,
    "errors": 0,
    "kernel": 0,
    "_version": 0,
    "_optional": 0,
    "_rng": 0,
    "_validators": 0,
    "model": 1,
    "graph": 2,
    "csr": 2,
    "privacy": 2,
    "io": 3,
    "datasets": 4,
    "talent": 4,
    "matching": 4,
    "reach": 4,
    "diffusion": 4,
    "selection": 4,
    "incubator": 4,
    "funding": 4,
    "indicators": 4,
    "capital": 4,
    "participation": 4,
    "survival": 4,
    "plot": 5,
    "report": 6,
    "cli": 6,
    "__main__": 6,
    "__init__": 6,
}
NAMES = ["kernel", "model", "graph", "io", "analyses", "plot", "top"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


MODULES = _modules()


def _unit(module: str) -> str:
    """The top-level unit of a module: ``vchuang.talent._ranking`` -> ``talent``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _type_only_lines(tree: ast.Module) -> set[int]:
    """The lines inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def type_only(path: Path) -> set[int]:
    return _type_only_lines(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))


def imports(module: str, path: Path) -> Iterator[tuple[str, int, str | None]]:
    """(imported vchuang module, line, imported name or None) for every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "vchuang":
                    yield alias.name, node.lineno, None
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, path, node)
            if target.split(".")[0] != "vchuang":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in MODULES:  # `from . import _rng` imports a module
                    yield sub, node.lineno, None
                else:
                    yield target, node.lineno, alias.name


def _edges() -> list[tuple[str, str, int, str | None]]:
    return [
        (source, target, line, name)
        for source, path in MODULES.items()
        for target, line, name in imports(source, path)
    ]


EDGES = _edges()
TYPE_ONLY = {m: type_only(p) for m, p in MODULES.items()}


def test_every_unit_has_a_layer() -> None:
    missing = sorted({_unit(m) for m in MODULES} - set(LAYERS))
    assert not missing, f"add these to LAYERS (and docs/architecture.md): {missing}"


def test_imports_point_down() -> None:
    upward = [
        f"{MODULES[s].relative_to(SRC.parent)}:{line}: {s} ({NAMES[LAYERS[_unit(s)]]}) imports "
        f"{t} ({NAMES[LAYERS[_unit(t)]]})"
        for s, t, line, _ in EDGES
        if _unit(t) in LAYERS and LAYERS[_unit(t)] > LAYERS[_unit(s)]
    ]
    assert not upward, "imports must point down the layers:\n" + "\n".join(upward)


def test_no_import_circle_between_units() -> None:
    units = nx.DiGraph()
    units.add_edges_from(
        (_unit(s), _unit(t))
        for s, t, line, _ in EDGES
        if _unit(s) != _unit(t) and t != "vchuang" and line not in TYPE_ONLY[s]
    )
    cycles = sorted(sorted(c) for c in nx.simple_cycles(units))
    assert not cycles, f"import circles: {cycles}"


def test_no_private_name_crosses_units() -> None:
    crossing = [
        f"{MODULES[s].relative_to(SRC.parent)}:{line}: {name} from {t}"
        for s, t, line, name in EDGES
        if name is not None
        and name.startswith("_")
        and not name.startswith("__")
        and _unit(s) != _unit(t)
    ]
    crossing += [
        f"{MODULES[s].relative_to(SRC.parent)}:{line}: module {t}"
        for s, t, line, name in EDGES
        if any(part.startswith("_") and not part.startswith("__") for part in t.split(".")[1:])
        and _unit(s) != _unit(t)
        and LAYERS.get(_unit(t)) != 0  # the private bottom helpers are shared on purpose
    ]
    assert not crossing, "private names used across units:\n" + "\n".join(crossing)


def test_the_contract_catches_an_analysis_importing_plot(tmp_path: Path) -> None:
    # The check itself: a lazy import of plot inside an analysis is found.
    fake = tmp_path / "reach.py"
    fake.write_text("def f():\n    from .plot import _reach\n", encoding="utf-8")
    found = list(imports("vchuang.reach", fake))
    assert found in ([("vchuang.plot._reach", 2, None)], [("vchuang.plot", 2, "_reach")])
    assert LAYERS[_unit(found[0][0])] > LAYERS["reach"]


@pytest.mark.parametrize("module", sorted(set(MODULES) - {"vchuang.__main__"}))
def test_module_imports(module: str) -> None:
    # Every module imports on its own (no hidden dependency on import order).
    import importlib

    importlib.import_module(module)
