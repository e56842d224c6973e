"""Every tutorial runs top to bottom, as a student would run it in Jupyter.

The tutorials are MyST-markdown notebooks (jupytext) with no stored outputs; each one is
converted and executed in a fresh kernel, with warnings raised as errors (except the
``CJKFontWarning`` of a machine without a CJK font, whose English labels are the
documented fallback).

Each English tutorial in ``tutorials/`` has a Chinese twin in ``tutorials/zh/`` (same
code and data, prose written in Chinese), and the solutions of its exercises in
``tutorials/solutions/``; the solutions assert that every self-check accepts them.
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbclient
import nbformat
import pytest

HERE = Path(__file__).parent.parent / "tutorials"
ENGLISH = sorted(HERE.glob("[0-9]*.md"))
CHINESE = sorted((HERE / "zh").glob("[0-9]*.md"))
SOLUTIONS = sorted((HERE / "solutions").glob("[0-9]*.md"))
TUTORIALS = [*ENGLISH, *CHINESE, *SOLUTIONS]


def _id(path: Path) -> str:
    return path.stem if path.parent == HERE else f"{path.parent.name}/{path.stem}"


_STRICT = """\
import warnings
warnings.simplefilter("error")
# Jupyter's own machinery may warn about itself; that is not the tutorial's fault.
warnings.filterwarnings("ignore", module="(ipykernel|jupyter_client|zmq|traitlets)")
# Without a CJK font, figures asked for in Chinese are labelled in English, with one
# CJKFontWarning: the documented fallback, shown as a student would see it, not an
# error. A Chinese glyph drawn with a font that lacks it ("Glyph ... missing") still is.
from vchuang.plot import CJKFontWarning
warnings.filterwarnings("default", category=CJKFontWarning)
"""


def test_there_are_tutorials() -> None:
    assert ENGLISH, "no tutorials found"


def _prose(path: Path) -> str:
    notebook = jupytext.read(path)
    return "".join(c.source for c in notebook.cells if c.cell_type == "markdown")


def _han_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    han = [c for c in letters if "\u4e00" <= c <= "\u9fff"]
    return len(han) / max(len(letters), 1)


@pytest.mark.parametrize("path", CHINESE, ids=[p.stem for p in CHINESE])
def test_a_chinese_twin_is_written_in_chinese(path: Path) -> None:
    # A twin whose prose is English with Chinese glosses is not a Chinese tutorial:
    # most letters of its prose (code and identifiers aside) are Han characters.
    assert (HERE / path.name).exists(), f"{path.name} has no English original"
    assert _han_share(_prose(path)) > 0.5, path.name


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.stem for p in SOLUTIONS])
def test_solutions_belong_to_a_tutorial(path: Path) -> None:
    assert (HERE / path.name).exists(), f"{path.name} solves no tutorial"
    code = "".join(c.source for c in jupytext.read(path).cells if c.cell_type == "code")
    assert "assert" in code, f"{path.name} checks nothing"


@pytest.mark.slow
@pytest.mark.parametrize("path", TUTORIALS, ids=[_id(p) for p in TUTORIALS])
def test_tutorial_runs(path: Path, tmp_path: Path) -> None:
    notebook = jupytext.read(path)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    notebook.cells.insert(0, nbformat.v4.new_code_cell(_STRICT))
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    env = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        client.execute()
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
