"""The docs check that no page loads anything from another host (docs/check_offline.py).

CI builds the docs and runs the check on them; here the check itself is tested on small
pages, so that a CDN script cannot slip past it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "check_offline.py"
spec = importlib.util.spec_from_file_location("check_offline", SCRIPT)
assert spec is not None and spec.loader is not None
check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check)


def test_a_page_loading_mathjax_from_a_cdn_fails(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>',
        encoding="utf-8",
    )
    assert check.main([str(tmp_path)]) == 1


def test_protocol_relative_and_css_imports_fail_too(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<link href="//fonts.example/x.css" rel="stylesheet">')
    (tmp_path / "b.css").write_text("@import url(https://fonts.example/y.css);")
    assert check.remote_loads((tmp_path / "a.html").read_text()) == ["//fonts.example/x.css"]
    assert check.remote_loads((tmp_path / "b.css").read_text()) == ["https://fonts.example/y.css"]
    assert check.main([str(tmp_path)]) == 1


def test_local_assets_and_outgoing_links_pass(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<script src="_static/mathjax/tex-chtml.js"></script>'
        '<a href="https://doi.org/10.1145/956750.956769">Kempe et al.</a>',
        encoding="utf-8",
    )
    assert check.main([str(tmp_path)]) == 0


def test_an_empty_build_folder_fails(tmp_path: Path) -> None:
    assert check.main([str(tmp_path)]) == 1
