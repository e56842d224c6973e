"""Write the small intersphinx inventories the docs link to (run it after editing).

The docs are built offline, so Sphinx cannot download the ``objects.inv`` of Python,
NumPy, networkx, SciPy, matplotlib and joblib. These files list just the names the
vchuang docs refer to, with the address of each one's page, in Sphinx's inventory
format (version 2). ``python docs/_inventories/make.py`` rewrites them.
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).parent

# project -> (version, [(name, role, path relative to the project's docs root)])
INVENTORIES: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "python": (
        "3",
        [
            *[
                (n, "class", f"library/functions.html#{n}")
                for n in ("int", "float", "bool", "object", "type")
            ],
            *[
                (n, "class", f"library/stdtypes.html#{n}")
                for n in ("str", "bytes", "dict", "list", "tuple", "set", "frozenset")
            ],
            *[
                (n, "exception", f"library/exceptions.html#{n}")
                for n in (
                    "Exception",
                    "ValueError",
                    "KeyError",
                    "TypeError",
                    "ImportError",
                    "OSError",
                )
            ],
            *[
                (
                    f"collections.abc.{n}",
                    "class",
                    f"library/collections.abc.html#collections.abc.{n}",
                )
                for n in (
                    "Callable",
                    "Collection",
                    "Iterable",
                    "Iterator",
                    "Mapping",
                    "Sequence",
                    "Set",
                    "Hashable",
                )
            ],
            ("datetime.date", "class", "library/datetime.html#datetime.date"),
            ("datetime.datetime", "class", "library/datetime.html#datetime.datetime"),
            ("decimal.Decimal", "class", "library/decimal.html#decimal.Decimal"),
            ("os.PathLike", "class", "library/os.html#os.PathLike"),
            ("pathlib.Path", "class", "library/pathlib.html#pathlib.Path"),
            ("typing.Any", "data", "library/typing.html#typing.Any"),
        ],
    ),
    "numpy": (
        "stable",
        [
            ("numpy.ndarray", "class", "reference/generated/numpy.ndarray.html"),
            ("numpy.generic", "class", "reference/arrays.scalars.html#numpy.generic"),
            ("numpy.integer", "class", "reference/arrays.scalars.html#numpy.integer"),
            ("numpy.random.Generator", "class", "reference/random/generator.html"),
            (
                "numpy.random.SeedSequence",
                "class",
                "reference/random/bit_generators/generated/numpy.random.SeedSequence.html",
            ),
            ("numpy.typing.ArrayLike", "data", "reference/typing.html#numpy.typing.ArrayLike"),
        ],
    ),
    "networkx": (
        "stable",
        [
            ("networkx.Graph", "class", "reference/classes/graph.html"),
            ("networkx.DiGraph", "class", "reference/classes/digraph.html"),
            ("networkx.MultiDiGraph", "class", "reference/classes/multidigraph.html"),
            (
                "networkx.pagerank",
                "function",
                (
                    "reference/algorithms/generated/"
                    "networkx.algorithms.link_analysis.pagerank_alg.pagerank.html"
                ),
            ),
            (
                "networkx.constraint",
                "function",
                "reference/algorithms/generated/networkx.algorithms.structuralholes.constraint.html",
            ),
            (
                "networkx.betweenness_centrality",
                "function",
                (
                    "reference/algorithms/generated/"
                    "networkx.algorithms.centrality.betweenness_centrality.html"
                ),
            ),
            (
                "networkx.network_simplex",
                "function",
                ("reference/algorithms/generated/networkx.algorithms.flow.network_simplex.html"),
            ),
            (
                "networkx.davis_southern_women_graph",
                "function",
                ("reference/generated/networkx.generators.social.davis_southern_women_graph.html"),
            ),
            (
                "networkx.stochastic_block_model",
                "function",
                ("reference/generated/networkx.generators.community.stochastic_block_model.html"),
            ),
        ],
    ),
    "scipy": (
        "stable",
        [
            ("scipy.sparse", "module", "reference/sparse.html"),
            ("scipy.sparse.sparray", "class", "reference/generated/scipy.sparse.sparray.html"),
            ("scipy.sparse.csr_array", "class", "reference/generated/scipy.sparse.csr_array.html"),
            ("scipy.optimize.milp", "function", "reference/generated/scipy.optimize.milp.html"),
            (
                "scipy.optimize.linprog",
                "function",
                "reference/generated/scipy.optimize.linprog.html",
            ),
        ],
    ),
    "matplotlib": (
        "stable",
        [
            ("matplotlib.axes.Axes", "class", "api/_as_gen/matplotlib.axes.Axes.html"),
            ("matplotlib.figure.Figure", "class", "api/_as_gen/matplotlib.figure.Figure.html"),
        ],
    ),
    "joblib": (
        "stable",
        [
            ("joblib.Parallel", "class", "generated/joblib.Parallel.html"),
            ("joblib.parallel_config", "class", "generated/joblib.parallel_config.html"),
        ],
    ),
}


def write(project: str, version: str, entries: list[tuple[str, str, str]]) -> bytes:
    """One inventory file's bytes."""
    head = (
        f"# Sphinx inventory version 2\n# Project: {project}\n# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    body = "".join(f"{name} py:{role} 1 {path} -\n" for name, role, path in entries)
    return head + zlib.compress(body.encode())


def main() -> None:
    """Rewrite every inventory file."""
    for project, (version, entries) in INVENTORIES.items():
        (HERE / f"{project}.inv").write_bytes(write(project, version, entries))


if __name__ == "__main__":
    main()
