"""Figures: no global state, Chinese labels with a CJK font, one warning without one,
and a CJK font installed after matplotlib built its font cache is found."""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import matplotlib as mpl
import pytest
from matplotlib import font_manager

import vchuang
from vchuang.plot import _style, cjk_fonts, label_lang, new_axes

DEJAVU = Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


_PACKAGE_FONT_FILES = getattr(_style, "unpatched_package_font_files", _style._package_font_files)


@pytest.fixture
def fresh_fonts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A private copy of matplotlib's font list and no remembered CJK fonts; both
    restored afterwards, so nothing added here leaks into other tests."""
    monkeypatch.setattr(font_manager.fontManager, "ttflist", list(font_manager.fontManager.ttflist))
    monkeypatch.setattr(_style, "_package_font_files", list)  # no font package installed
    _style._installed_cjk.cache_clear()
    try:
        yield
    finally:
        _style._installed_cjk.cache_clear()
        font_manager.fontManager._findfont_cached.cache_clear()


def test_importing_and_plotting_never_changes_rcparams(
    zh_figures: Callable[[], AbstractContextManager[object]],
) -> None:
    before = dict(mpl.rcParams)
    ranking = vchuang.talent.rank_talents(vchuang.load_example())
    with zh_figures():
        ax = ranking.plot(lang="zh")
    assert ax.figure is not None
    assert dict(mpl.rcParams) == before


def test_new_axes_reuses_the_given_axes() -> None:
    ax = new_axes()
    assert new_axes(ax) is ax


def test_without_a_cjk_font_one_warning_and_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_style, "_installed_cjk", lambda: ())
    assert cjk_fonts() == []
    assert _style.font_kw("zh") == {}
    with pytest.warns(_style.CJKFontWarning, match="fonts-noto-cjk"):
        assert label_lang("zh") == "en"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert label_lang("zh") == "en"  # only once
        assert label_lang("en") == "en"


def test_with_a_cjk_font_chinese_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_style, "_installed_cjk", lambda: ("Noto Sans CJK SC",))
    assert cjk_fonts() == ["Noto Sans CJK SC", "DejaVu Sans"]
    assert _style.font_kw("zh") == {"fontfamily": ["Noto Sans CJK SC", "DejaVu Sans"]}
    assert _style.font_kw("en") == {}
    assert label_lang("zh") == "zh"
    assert label_lang("en") == "en"
    with pytest.raises(ValueError, match="lang"):
        label_lang("fr")


def test_colours_are_one_per_kind() -> None:
    colours = vchuang.plot.COLORS
    assert {"resident", "leader", "project", "segment", "activity"} <= set(colours)


# ------------------------------------------------------------ finding a new CJK font


def test_cjk_file_names() -> None:
    for name in (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "NotoSansCJKsc-Regular.otf",
        "NotoSansSC-Regular.otf",
        "SourceHanSansSC-Regular.otf",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "DroidSansFallbackFull.ttf",
        "C:/Windows/Fonts/msyh.ttc",
        "simhei.ttf",
        "/System/Library/Fonts/PingFang.ttc",
    ):
        assert _style._looks_cjk(name), name
    for name in ("DejaVuSans.ttf", "NotoSans-Regular.ttf", "LiberationSerif.ttf"):
        assert not _style._looks_cjk(name), name


def test_a_cjk_font_missing_from_the_cache_is_found_and_added(
    fresh_fonts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A font installed after matplotlib built its cache: in the system font folders,
    # not in fontManager.ttflist. No CJK font ships with the tests, so DejaVu Sans plays
    # one, under a CJK file name, with "A" as the probe glyph in place of 中.
    font = tmp_path / "NotoSansCJK-Regular.ttf"
    shutil.copy(DEJAVU, font)
    other = tmp_path / "Unrelated-Regular.ttf"
    shutil.copy(DEJAVU, other)
    broken = tmp_path / "wqy-broken.ttc"
    broken.write_bytes(b"not a font")
    monkeypatch.setattr(
        font_manager.fontManager,
        "ttflist",
        [f for f in font_manager.fontManager.ttflist if f.name not in _style._CJK_NAMES],
    )
    monkeypatch.setattr(_style, "_system_font_files", lambda: [str(other), str(broken), str(font)])
    monkeypatch.setattr(_style, "_PROBE", ord("A"))
    before = len(font_manager.fontManager.ttflist)

    assert cjk_fonts() == ["DejaVu Sans", "DejaVu Sans"]
    added = font_manager.fontManager.ttflist[before:]
    assert [Path(f.fname) for f in added] == [font]  # only the CJK-named, readable file
    assert label_lang("zh") == "zh"
    assert cjk_fonts() == ["DejaVu Sans", "DejaVu Sans"]  # looked for once a process
    assert len(font_manager.fontManager.ttflist) == before + len(added)


def test_a_cjk_named_file_without_chinese_glyphs_is_not_taken(
    fresh_fonts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    font = tmp_path / "NotoSansCJK-Regular.ttf"
    shutil.copy(DEJAVU, font)  # no glyph for 中
    monkeypatch.setattr(
        font_manager.fontManager,
        "ttflist",
        [f for f in font_manager.fontManager.ttflist if f.name not in _style._CJK_NAMES],
    )
    monkeypatch.setattr(_style, "_system_font_files", lambda: [str(font)])
    assert cjk_fonts() == []
    assert str(font) not in {str(f.fname) for f in font_manager.fontManager.ttflist}


def test_a_cached_cjk_font_needs_no_search(
    fresh_fonts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        font_manager.fontManager,
        "ttflist",
        [f for f in font_manager.fontManager.ttflist if f.name not in _style._CJK_NAMES],
    )
    entry = font_manager.FontEntry(fname=str(DEJAVU), name="WenQuanYi Zen Hei")
    font_manager.fontManager.ttflist.append(entry)

    def search() -> list[str]:
        msg = "the system font folders were searched"
        raise AssertionError(msg)

    monkeypatch.setattr(_style, "_system_font_files", search)
    assert cjk_fonts()[0] == "WenQuanYi Zen Hei"


def test_a_font_package_is_used_before_the_system_folders(
    fresh_fonts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # pip install 'vchuang[zh]' brings a font inside a Python package; it is found
    # without any font installed on the machine, and the system folders are not searched.
    package = tmp_path / "pylopdf_fonts_zh_cn"
    package.mkdir()
    (package / "__init__.py").write_text("")
    shutil.copy(DEJAVU, package / "NotoSansSC-Regular.otf")
    (package / "README.txt").write_text("not a font")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(_style, "_package_font_files", _PACKAGE_FONT_FILES)
    monkeypatch.setattr(
        font_manager.fontManager,
        "ttflist",
        [f for f in font_manager.fontManager.ttflist if f.name not in _style._CJK_NAMES],
    )

    def search() -> list[str]:
        msg = "the system font folders were searched"
        raise AssertionError(msg)

    monkeypatch.setattr(_style, "_system_font_files", search)
    assert _style._package_font_files() == [str(package / "NotoSansSC-Regular.otf")]
    assert cjk_fonts() == ["DejaVu Sans", "DejaVu Sans"]
    assert label_lang("zh") == "zh"


# ------------------------------------------------------------ the machine's own state


def _draw_chinese() -> None:
    ax = new_axes()
    ax.set_title("人才成长漏斗", **_style.font_kw("zh"))  # type: ignore[arg-type]
    ax.figure.canvas.draw()  # a glyph missing from the font warns here (an error in tests)


@pytest.mark.skipif(not cjk_fonts(), reason="about Chinese glyphs: no CJK font installed")
def test_chinese_text_is_drawn_with_glyphs() -> None:
    assert label_lang("zh") == "zh"
    _draw_chinese()


@pytest.mark.skipif(
    os.environ.get("VCHUANG_EXPECT_NO_CJK") != "1", reason="set VCHUANG_EXPECT_NO_CJK=1 (CI)"
)
def test_ci_without_a_cjk_font_the_fallback_is_in_effect() -> None:
    assert cjk_fonts() == []
    with pytest.warns(_style.CJKFontWarning):
        assert label_lang("zh") == "en"


@pytest.mark.skipif(
    os.environ.get("VCHUANG_EXPECT_CJK") != "1", reason="set VCHUANG_EXPECT_CJK=1 (CI)"
)
def test_ci_with_a_cjk_font_chinese_labels() -> None:
    assert cjk_fonts(), "a CJK font is installed, but vchuang did not find it"
    assert label_lang("zh") == "zh"
    _draw_chinese()
