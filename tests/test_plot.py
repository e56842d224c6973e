"""Figures: no global state, Chinese labels with a CJK font, one warning without one."""

from __future__ import annotations

import warnings

import matplotlib as mpl
import pytest

import vchuang
from vchuang.plot import _style, cjk_fonts, label_lang, new_axes


def test_importing_and_plotting_never_changes_rcparams() -> None:
    before = dict(mpl.rcParams)
    ranking = vchuang.talent.rank_talents(vchuang.load_example())
    ax = ranking.plot(lang="zh")
    assert ax.figure is not None
    assert dict(mpl.rcParams) == before


def test_new_axes_reuses_the_given_axes() -> None:
    ax = new_axes()
    assert new_axes(ax) is ax


def test_without_a_cjk_font_one_warning_and_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_style, "_installed_cjk", lambda: ())
    _style._warn_once.cache_clear()
    try:
        assert cjk_fonts() == []
        with pytest.warns(_style.CJKFontWarning, match="fonts-noto-cjk"):
            assert label_lang("zh") == "en"
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert label_lang("zh") == "en"  # only once
    finally:
        _style._warn_once.cache_clear()


def test_with_a_cjk_font_chinese_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_style, "_installed_cjk", lambda: ("Noto Sans CJK SC",))
    assert cjk_fonts() == ["Noto Sans CJK SC", "DejaVu Sans"]
    assert label_lang("zh") == "zh"
    assert label_lang("en") == "en"
    with pytest.raises(ValueError, match="lang"):
        label_lang("fr")


def test_colours_are_one_per_kind() -> None:
    colours = vchuang.plot.COLORS
    assert {"resident", "leader", "project", "segment", "activity"} <= set(colours)
