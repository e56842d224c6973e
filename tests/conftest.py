"""Shared test set-up: Hypothesis profiles, the CJK-font fallback and small fixtures."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import pytest
from hypothesis import HealthCheck, settings

import vchuang

# "ci": deterministic examples so a failure on CI can be replayed anywhere;
# "dev" (default): random examples, a few more of them.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def example() -> vchuang.CommunityGraph:
    """The small example graph shipped inside the package."""
    return vchuang.load_example()


# ------------------------------------------------------------------ Chinese labels


def pytest_configure(config: pytest.Config) -> None:
    """With ``VCHUANG_TEST_NO_CJK=1``, the library sees no CJK font at all (none cached,
    none in a font package, none in the system folders), as on a newcomer's machine.
    CI runs the figure and report tests once this way, so the documented fallback
    (English figure labels and one warning) cannot regress."""
    if os.environ.get("VCHUANG_TEST_NO_CJK") != "1":
        return
    from matplotlib import font_manager

    from vchuang.plot import _style

    manager = font_manager.fontManager
    manager.ttflist = [f for f in manager.ttflist if not _style._looks_cjk(str(f.fname))]
    # kept for the tests of the finder itself (test_plot.py)
    _style.unpatched_package_font_files = _style._package_font_files  # type: ignore[attr-defined]
    _style._package_font_files = list  # type: ignore[assignment]
    _style._system_font_files = list  # type: ignore[assignment]
    _style._installed_cjk.cache_clear()


def chinese_figures() -> AbstractContextManager[object]:
    """Context for code that draws figures with ``lang="zh"``.

    With a CJK font, nothing is expected. Without one (as on a newcomer's machine, or in
    the first CI pass), the documented fallback: exactly the one ``CJKFontWarning`` of
    the process, and English labels. The warning is re-armed first, so the test does
    not depend on which test happened to draw Chinese first.
    """
    from vchuang.plot import _style

    if _style.cjk_fonts():
        return nullcontext()
    _style._warn_once.cache_clear()
    return pytest.warns(_style.CJKFontWarning, match="no CJK font")


@pytest.fixture(scope="session")
def zh_figures() -> Callable[[], AbstractContextManager[object]]:
    """:func:`chinese_figures`, as a fixture: ``with zh_figures(): ax = r.plot(lang="zh")``."""
    return chinese_figures


@pytest.fixture(autouse=True)
def _fresh_cjk_warning() -> None:
    """Every test sees the library as a fresh process does: the ``CJKFontWarning`` not
    given yet (so a test drawing Chinese without a CJK font, and not expecting the
    fallback, fails whatever ran before it)."""
    from vchuang.plot import _style

    _style._warn_once.cache_clear()
