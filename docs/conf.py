"""Sphinx configuration for the vchuang documentation.

Build from the repository root (CI runs exactly this)::

    sphinx-build -n -W --keep-going -b html docs docs/_build/html

``vchuang`` must be importable, e.g. after ``pip install -e '.[docs]'``.
"""

from __future__ import annotations

import builtins
import importlib
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer

import vchuang

# -- Tutorials -----------------------------------------------------------------------
# The tutorials live in ../tutorials, the Chinese ones in ../tutorials/zh (where students
# open them in Jupyter); Sphinx only reads files under docs/, so they are copied into
# docs/tutorials/ and docs/zh/tutorials/ (both ignored by git) and executed by myst-nb
# during the build.
_HERE = Path(__file__).parent
_TUTORIAL_COPIES = {
    _HERE.parent / "tutorials": _HERE / "tutorials",
    _HERE.parent / "tutorials" / "zh": _HERE / "zh" / "tutorials",
}
for _source, _target in _TUTORIAL_COPIES.items():
    _target.mkdir(parents=True, exist_ok=True)
    for _old in _target.glob("[0-9]*.md"):
        _old.unlink()
    for _src in sorted(_source.glob("[0-9]*.md")):
        shutil.copyfile(_src, _target / _src.name)

# -- Project -------------------------------------------------------------------------

project = "vchuang"
author = "The vchuang developers"
copyright = "2026, The vchuang developers"
release = vchuang.__version__
version = ".".join(release.split(".")[:2])
language = "en"

# -- General -------------------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "sphinx.ext.intersphinx",
    "numpydoc",
    # Formulas render with MathJax served from the built site itself (the files come with
    # the sphinx-mathjax-offline package), so they show offline and where a CDN is
    # blocked; docs/check_offline.py fails the build if any page still asks a CDN.
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",
    "myst_nb",  # parses MyST markdown (.md) and notebooks; do not also list myst_parser
]

exclude_patterns = ["_build", "jupyter_execute", ".jupyter_cache", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

# The tutorials are notebooks: their title (H1) is followed by a "### The maths in plain
# words" box before the first numbered section (H2), which MyST reports as a skipped
# heading level. The tutorials are owned with the test suite that executes them, not by
# these pages, and the jump is only visual, so that one check is switched off; the
# hand-written pages under docs/ build without it too.
suppress_warnings = ["myst.header"]

# -- Autodoc and numpydoc ------------------------------------------------------------

# Types are written in the numpydoc "Parameters" / "Returns" sections. With "signature"
# or "description", autodoc would repeat them (and turn every annotation into a
# cross-reference that -n checks, private aliases included), so signatures show names
# and defaults only.
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autosummary_generate = True

numpydoc_show_class_members = False
# numpydoc checks every docstring autodoc renders; with -W a failed check fails the build.
# The checks chosen are the ones the whole public API passes and that a reader notices
# when broken: every public object has a docstring with a one-line summary (GL08, SS01),
# sections are known and in numpydoc's order (GL06, GL07), directives are well formed
# (GL10), the Parameters section names real parameters (PR02) written "name : type"
# (PR10), and every See Also entry says what the other function is for, in a sentence
# (SA02, SA04). Not chosen: SA01 (a See Also everywhere; it is written between sibling
# functions, not on every method and record), EX01 (records and small methods have no
# example), PR01 (attrs records document their fields as attributes), ES01, RT01,
# SS06, GL02, SA03 (house style: lower-case See Also descriptions).
numpydoc_validation_checks = {
    "GL06",
    "GL07",
    "GL08",
    "GL10",
    "SS01",
    "PR02",
    "PR10",
    "SA02",
    "SA04",
}
numpydoc_validation_exclude = {
    # Private names (a leading underscore) and dunder methods are not public API.
    r"\._\w",
    r"\.__\w+__$",
    # Constants (FEATURES, ORDER, UNSET, ...) are documented by `#:` comments, which the
    # validator does not see: it checks the docstring of the value's type (dict, tuple).
    r"\.[A-Z][A-Z0-9_]*$",
    # The validator takes a function's first parameter named `cls` for a classmethod's
    # and reports the documented `cls` as unknown (PR02).
    r"\.register_record$",
}
# Turn the types in "Parameters", "Returns", "Raises", ... into cross-references, so that
# `-n` checks them: a misspelt or undocumented vchuang name fails the build.
numpydoc_xref_param_type = True
# Words that appear in type descriptions ("tuple of str, optional") but name no type.
numpydoc_xref_ignore = {
    "optional",
    "default",
    "of",
    "or",
    "and",
    "to",
    "from",
    "in",
    "with",
    "each",
    "keyword-only",
    "shape",
    "length",
    # placeholders and plain nouns in descriptions such as "shape (n, n)", "scipy
    # sparse array or matrix", "attrs class"
    "n",
    "sparse",
    "matrix",
    "class",
}
# Short names used in docstrings -> the full name a reader can look up. numpydoc's own
# defaults point some builtins at the Python docs through intersphinx (`python:...`) or
# at :ref:/:term: targets, which warn even without -n when there is no inventory; they
# are mapped to plain names here, and those are ignored by `nitpick_ignore_regex` below.
numpydoc_xref_aliases = {
    # builtins and Python glossary words
    "None": "None",
    "True": "True",
    "False": "False",
    "bool": "bool",
    "boolean": "bool",
    "int": "int",
    "float": "float",
    "str": "str",
    "string": "str",
    "list": "list",
    "tuple": "tuple",
    "dict": "dict",
    "callable": "collections.abc.Callable",
    "iterable": "collections.abc.Iterable",
    "sequence": "collections.abc.Sequence",
    "mapping": "collections.abc.Mapping",
    "generator": "collections.abc.Generator",
    "contextmanager": "contextlib.contextmanager",
    "namedtuple": "collections.namedtuple",
    "Callable": "collections.abc.Callable",
    "Collection": "collections.abc.Collection",
    "Iterable": "collections.abc.Iterable",
    "Iterator": "collections.abc.Iterator",
    "Mapping": "collections.abc.Mapping",
    "Sequence": "collections.abc.Sequence",
    "sequences": "collections.abc.Sequence",
    "Set": "collections.abc.Set",
    "Any": "typing.Any",
    # standard library
    "date": "datetime.date",
    "datetime": "datetime.datetime",
    "Decimal": "decimal.Decimal",
    "Path": "pathlib.Path",
    "PathLike": "os.PathLike",
    # NumPy, SciPy, networkx, matplotlib
    "array": "numpy.ndarray",
    "ndarray": "numpy.ndarray",
    "np.ndarray": "numpy.ndarray",
    "array-like": "numpy.typing.ArrayLike",
    "array_like": "numpy.typing.ArrayLike",
    "scalar": "numpy.generic",
    "RandomState": "numpy.random.RandomState",
    "np.random.RandomState": "numpy.random.RandomState",
    "Generator": "numpy.random.Generator",
    "np.inf": "numpy.inf",
    "np.nan": "numpy.nan",
    "numpy": "numpy",
    "MultiDiGraph": "networkx.MultiDiGraph",
    "Axes": "matplotlib.axes.Axes",
    "Figure": "matplotlib.figure.Figure",
}
# Public vchuang names may be written short in types ("graph : CommunityGraph"); they
# link to where api.md documents them. Keep this list in step with api.md. A name that
# is not in its module's __all__ (so not documented) still fails the build.
_API_MODULES = [  # later modules win where a name is re-exported by an earlier one
    "vchuang.model",
    "vchuang.graph",
    "vchuang.io",
    "vchuang.errors",
    "vchuang.datasets",
    "vchuang.talent",
    "vchuang.matching",
    "vchuang.reach",
    "vchuang.diffusion",
    "vchuang.selection",
    "vchuang.incubator",
    "vchuang.funding",
    "vchuang.indicators",
    "vchuang.report",
    "vchuang.io.tables",
    "vchuang.io.export",
    "vchuang.io.schema",
    "vchuang.io.pabulib",
    "vchuang.privacy",
]
_DOCUMENTED_IN = {
    name: module for module in _API_MODULES for name in importlib.import_module(module).__all__
}
for _name, _module in _DOCUMENTED_IN.items():
    numpydoc_xref_aliases.setdefault(_name, f"{_module}.{_name}")

# -- Cross-links to other projects, offline ---------------------------------------------
#
# The docs are built offline (CI cannot reach other projects' documentation sites), so
# intersphinx reads small inventories kept in docs/_inventories/ (written by make.py
# there) that list the Python, NumPy, networkx, SciPy, matplotlib and joblib names these
# pages refer to; the links in the built pages point at those projects' own sites.
# References to external names missing from the inventories are exempted from `-n`
# below (they show as plain text), while every reference to a vchuang name must resolve.
_INVENTORY_SITES = {
    "python": "https://docs.python.org/3",
    "numpy": "https://numpy.org/doc/stable",
    "networkx": "https://networkx.org/documentation/stable",
    "scipy": "https://docs.scipy.org/doc/scipy",
    "matplotlib": "https://matplotlib.org/stable",
    "joblib": "https://joblib.readthedocs.io/en/stable",
}
intersphinx_mapping = {
    name: (site, str(Path(__file__).parent / "_inventories" / f"{name}.inv"))
    for name, site in _INVENTORY_SITES.items()
}
intersphinx_timeout = 1
_EXTERNAL = [
    r"(networkx|nx)(\..+)?",
    r"(numpy|np)(\..+)?",
    r"(pandas|pd)(\..+)?",
    r"scipy(\..+)?",
    r"(matplotlib|mpl|plt)(\..+)?",
    r"datetime(\..+)?",
    r"collections(\..+)?",  # collections.abc.* and collections.namedtuple
    r"contextlib(\..+)?",
    r"typing(_extensions)?(\..+)?",
    r"attrs?(\..+)?",  # attrs and the older attr namespace
    r"cattrs?(\..+)?",
    r"pathlib(\..+)?",
    r"os\.PathLike",
    r"enum(\..+)?",
    r"decimal(\..+)?",
    r"joblib(\..+)?",
    r"json(\..+)?",
    r"csv(\..+)?",
    r"difflib(\..+)?",
    r"functools(\..+)?",
    r"tracemalloc(\..+)?",
]
# Builtins (int, str, None, ValueError, KeyError, ...), also spelled builtins.X, and the
# plain words numpydoc uses in type descriptions.
_BUILTIN_NAMES = sorted(name for name in dir(builtins) if not name.startswith("_"))
_WORDS = ["optional", "default", "file-like", "path-like", "hashable"]
nitpick_ignore_regex = [
    (r"py:.*", pattern)
    for pattern in [
        *_EXTERNAL,
        # Private vchuang names (a leading underscore) are never documented, so they
        # cannot be linked, e.g. a private base class shown by :show-inheritance:.
        r"(vchuang\.)?(\w+\.)*_\w+(\.\w+)*",
        r"(builtins\.)?(" + "|".join(map(re.escape, _BUILTIN_NAMES)) + ")",
        "|".join(map(re.escape, _WORDS)),
    ]
]

# -- MyST and myst-nb ----------------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3

# Tutorials are stored without outputs; myst-nb runs them in every build (they take seconds).
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300

# -- HTML ----------------------------------------------------------------------------

html_theme = "furo"
html_title = f"vchuang {release}"
html_static_path = ["_static"]
html_css_files = ["language-switch.css"]


# -- Module docstrings -----------------------------------------------------------------

_UNDERLINE = re.compile(r"^\s*([-=~^])\1{2,}\s*$")


def _module_sections_as_rubrics(
    _app: Sphinx, what: str, _name: str, _obj: object, _options: object, lines: list[str]
) -> None:
    """Render numpydoc headings in *module* docstrings ("Examples" / "--------") as rubrics.

    numpydoc formats the sections of functions and classes but leaves module docstrings
    alone, so their headings would become document sections. Inside MyST pages two
    modules with an "Examples" heading then give duplicate section IDs, which fails the
    build. A rubric looks the same and is what numpydoc uses everywhere else.
    """
    if what != "module":
        return
    for i in range(len(lines) - 1):
        title, underline = lines[i].strip(), lines[i + 1]
        if title and _UNDERLINE.match(underline) and len(underline.strip()) >= len(title):
            lines[i : i + 2] = [f".. rubric:: {title}", ""]


# -- Public names ----------------------------------------------------------------------


def _home_name(target: str) -> str | None:
    """``vchuang.kernel.parse_yuan`` -> ``vchuang.kernel.money.parse_yuan`` (or None)."""
    module_name, _, attr = target.rpartition(".")
    home = getattr(getattr(sys.modules.get(module_name), attr, None), "__module__", None)
    if not isinstance(home, str) or home == module_name or not home.startswith("vchuang."):
        return None
    return f"{home}.{attr}"


def _resolve_public_name(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: Element
) -> Element | None:
    """Resolve ``vchuang.load``, ``CommunityGraph``, ``Role.LEADER`` ... to their docs.

    Public names are re-exported by ``vchuang`` but documented in full once, in the
    module that defines them (api.md). A reference to the short or top-level name that
    Sphinx could not find is retried as ``vchuang.<module>.<name>``, and a name a
    subpackage re-exports (``vchuang.kernel.parse_yuan``) as the name in the module that
    defines it; anything else stays unresolved and fails the nitpicky build as usual.
    """
    if node.get("refdomain") != "py":
        return None
    target = str(node["reftarget"]).removeprefix("vchuang.")
    head = target.partition(".")[0]
    if head in _DOCUMENTED_IN:
        full = f"{_DOCUMENTED_IN[head]}.{target}"
    elif node.get("py:module") == "vchuang" and node.get("py:class"):
        # A member named inside a class shown as vchuang.X (model.md), e.g. :meth:`label`.
        cls = str(node["py:class"])
        module = _DOCUMENTED_IN.get(cls.partition(".")[0])
        if module is None:
            return None
        full = f"{module}.{cls}.{target}"
    elif (home := _home_name(str(node["reftarget"]))) is not None:
        # A name a package re-exports, e.g. vchuang.kernel.parse_yuan, documented in the
        # module that defines it (vchuang.kernel.money.parse_yuan).
        full = home
    else:
        return None
    domain = env.get_domain("py")
    return domain.resolve_xref(
        env, node["refdoc"], app.builder, node["reftype"], full, node, contnode
    )


# -- Constants re-exported from private modules ---------------------------------------

_MISSING = object()


def _attr_comment(module_name: str, attr: str) -> list[str] | None:
    """The ``#:`` comment (or docstring after the assignment) of a module-level name."""
    try:
        docs = ModuleAnalyzer.for_module(module_name).find_attr_docs()
    except PycodeError:
        return None
    found = docs.get(("", attr))
    return list(found) if found else None


def _constant_comments(
    _app: Sphinx, what: str, name: str, obj: object, _options: object, lines: list[str]
) -> None:
    """Show a re-exported constant's ``#:`` comment, not its type's docstring.

    ``.. autodata:: vchuang.talent.FEATURES`` looks for the ``#:`` comment in
    ``vchuang/talent/__init__.py``; the constant is defined (and commented) in a private
    module such as ``vchuang/talent/_common.py``, so autodoc falls back to the docstring
    of ``tuple`` ("Built-in immutable sequence."). The comment is taken from the module
    that defines the very same object instead: the package's own submodules first, then
    any other vchuang module.
    """
    if what != "data":
        return
    module_name, _, attr = name.rpartition(".")
    if not module_name.startswith("vchuang") or _attr_comment(module_name, attr):
        return
    nearby = sorted(m for m in sys.modules if m.startswith(f"{module_name}."))
    others = sorted(m for m in sys.modules if m.startswith("vchuang.") and m not in nearby)
    for home in [*nearby, *others]:
        if getattr(sys.modules[home], attr, _MISSING) is not obj:
            continue
        comment = _attr_comment(home, attr)
        if comment:
            lines[:] = comment
            return


# -- Language switch -------------------------------------------------------------------


def _language_switch(
    app: Sphinx, pagename: str, _template: str, context: dict[str, Any], _doctree: object
) -> None:
    """Give every page a link to its twin in the other language (``_templates/page.html``).

    ``install`` and ``zh/install`` are twins, and so are ``tutorials/05_...`` and
    ``zh/tutorials/05_...``; a page without a twin (the API reference, which stays in
    English) links to the other language's landing page.
    """
    found = app.env.found_docs
    if pagename.startswith("zh/"):
        twin = pagename.removeprefix("zh/")
        context["vc_lang"] = "zh"
        context["language"] = "zh-CN"  # the <html lang> attribute
        if twin not in found:
            twin = app.config.root_doc
    else:
        twin = f"zh/{pagename}"
        context["vc_lang"] = "en"
        if twin not in found:
            twin = "zh/index"
    context["vc_twin"] = context["pathto"](twin)


def setup(app: Sphinx) -> None:
    app.connect("autodoc-process-docstring", _module_sections_as_rubrics)
    app.connect("autodoc-process-docstring", _constant_comments)
    app.connect("missing-reference", _resolve_public_name)
    app.connect("html-page-context", _language_switch)
