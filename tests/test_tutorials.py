"""Every tutorial runs top to bottom, as a student would run it in Jupyter.

The tutorials are MyST-markdown notebooks (jupytext) with no stored outputs; each one is
converted and executed in a fresh kernel, with warnings raised as errors (except the
``CJKFontWarning`` of a machine without a CJK font, whose English labels are the
documented fallback).
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbclient
import nbformat
import pytest

TUTORIALS = sorted((Path(__file__).parent.parent / "tutorials").glob("[0-9]*.md"))

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
    assert TUTORIALS, "no tutorials found"


@pytest.mark.slow
@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
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
