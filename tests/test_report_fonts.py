"""The report's own font (no empty boxes for Chinese) and the labels of its figures."""

from __future__ import annotations

import base64
import html.parser
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import vchuang
from vchuang import report
from vchuang.plot import _webfont
from vchuang.report import Section, build_report

KEY = "a test key of more than 16 bytes"

needs_font = pytest.mark.skipif(
    _webfont.web_font_file() is None, reason="the vchuang[zh] font package is not installed"
)


class _Seen(html.parser.HTMLParser):
    """What a reader sees, gathered independently of vchuang's own parser: text outside
    scripts and styles, and the strings of the network view's JSON."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tag: str | None = None
        self.json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = tag if tag in ("script", "style") else self.tag
        self.json = ("type", "application/json") in attrs
        self.parts += [v or "" for k, v in attrs if k in ("alt", "title", "placeholder")]

    def handle_endtag(self, tag: str) -> None:
        if tag == self.tag:
            self.tag, self.json = None, False

    def handle_data(self, data: str) -> None:
        if self.tag is None:
            self.parts.append(data)
        elif self.json:
            self.parts.append(json.dumps(json.loads(data), ensure_ascii=False))


def _hanzi(page: str) -> set[str]:
    seen = _Seen()
    seen.feed(page)
    return set(re.findall(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", "".join(seen.parts)))


def _embedded(page: str) -> set[str]:
    """The characters of the page's embedded face (its cmap, read with fontTools)."""
    from fontTools.ttLib import TTFont

    found = re.findall(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page)
    assert len(found) == 1, "one embedded face"
    with TTFont(io.BytesIO(base64.b64decode(found[0]))) as font:
        return {chr(code) for code in font.getBestCmap()}


@pytest.fixture(scope="module")
def zh_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The pilot's Chinese page with sections that carry much Chinese text (the overview,
    the talents and their reasons) and the interactive network view (its labels)."""

    def network(ctx: Any) -> Section:
        view = report._network_fragment(ctx)
        still = report.Figure(name="net", alt="网络", png=b"\x89PNG")  # the view's fallback
        return Section(id="net", title="网络", text=(), figures=(still,), interactive=view)

    network.__name__ = "_reach"  # chosen by build_report as the reach section is

    pilot = vchuang.datasets.longgang_pilot()
    out = tmp_path_factory.mktemp("zh")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report, "_SECTIONS", (report._overview, report._talents, network))
        build_report(pilot, out, key=KEY, lang="zh")
    return (out / "index.html").read_text(encoding="utf-8")


@needs_font
def test_zh_page_embeds_every_chinese_character_it_shows(zh_page: str) -> None:
    shown = _hanzi(zh_page)
    assert len(shown) > 200  # headings, tables, place names, the network's labels
    embedded = _embedded(zh_page)
    assert shown <= embedded, sorted(shown - embedded)[:20]
    # a subset: the characters the page needs, not the font's 30,000
    assert len(embedded) < 3 * len(shown)
    face = re.search(r"@font-face\{[^}]*\}", zh_page)
    assert face is not None
    assert len(face.group(0)) < 300_000
    assert f'font-family:"{_webfont.FACE}"' in face.group(0)


@needs_font
def test_embedded_face_comes_after_the_readers_own_fonts(zh_page: str) -> None:
    body = re.search(r"body\{font-family:([^;]*);", zh_page)
    assert body is not None
    families = [f.strip().strip('"') for f in body.group(1).split(",")]
    assert families.index("Noto Sans CJK SC") < families.index(_webfont.FACE)
    assert families.index(_webfont.FACE) < families.index("sans-serif")
    # the network view draws its labels on a canvas with the same face, after the system ones
    data = re.search(r'<script type="application/json" class="vc-net-data">(.*?)</script>', zh_page)
    assert data is not None
    face = json.loads(data.group(1))["options"]["nodes"]["font"]["face"]
    assert face.index("Noto Sans CJK SC") < face.index(_webfont.FACE)
    assert f'"{_webfont.FACE}"' in re.search(r"\.vc-net\{[^}]*\}", zh_page).group(0)  # type: ignore[union-attr]


def _section(*lines: str) -> Section:
    return Section(id="s", title="Section", text=lines)


@needs_font
def test_english_page_embeds_a_face_only_for_chinese_it_shows() -> None:
    plain = report._render([_section("Pingnan, 2019")], "Report", "en", 5)
    assert "@font-face" not in plain
    # Chinese in a script is not shown: no face for it either
    scripted = plain.replace("</body>", "<script>var x = '中文';</script></body>")
    assert _webfont.font_face_css(scripted) == ""
    named = report._render([_section("Longgang pilot (龙岗试点)")], "Report", "en", 5)
    assert _embedded(named) >= set("龙岗试点")
    assert len(named) - len(plain) < 20_000


def test_without_the_font_package_no_face_and_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vchuang.kernel.text import text

    monkeypatch.setattr(_webfont, "web_font_file", lambda: None)
    monkeypatch.setattr(vchuang.plot, "web_font_file", lambda: None)  # the report's way in
    monkeypatch.setattr(report, "_SECTIONS", (report._overview,))
    pilot = vchuang.datasets.longgang_pilot()
    zh = build_report(pilot, tmp_path / "zh", key=KEY, lang="zh")
    page = zh.index.read_text(encoding="utf-8")
    assert "@font-face" not in page
    assert text("report.method.fonts", "zh") in page
    assert [s.id for s in zh.sections][-1] == "method"
    # an English page says nothing about fonts, and a page with the font says nothing
    en = build_report(pilot, tmp_path / "en", key=KEY, lang="en")
    assert "method" not in [s.id for s in en.sections]


def test_face_css_is_empty_without_chinese_or_without_a_font(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _webfont.font_face_css("<p>only English</p>") == ""
    monkeypatch.setattr(_webfont, "web_font_file", lambda: None)
    monkeypatch.setattr(vchuang.plot, "web_font_file", lambda: None)  # the report's way in
    assert _webfont.font_face_css("<p>中文</p>") == ""


# --------------------------------------------------------------------------- figure labels


def _consenting() -> tuple[vchuang.CommunityGraph, str]:
    """The pilot where every resident consented to be named, and the best talent of
    the pilot is made a minor (who consented too)."""
    pilot = vchuang.datasets.longgang_pilot()
    doc = json.loads(vchuang.dumps(pilot))
    best = vchuang.talent.rank_talents(pilot, rng=0)[0].resident
    for r in doc["residents"]:
        r["consent_to_name"] = True
        if r["id"] == best:
            r["birth_year"] = 2006  # 13 on the data's date
            r.pop("age_band", None)
    return vchuang.loads(json.dumps(doc)), best


def _talent_labels(
    graph: vchuang.CommunityGraph, out: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: Any
) -> tuple[list[str], set[str]]:
    """The talent chart's tick labels and the talent table's resident cells."""
    import vchuang.plot

    drawn: list[str] = []
    plot_talents = vchuang.plot.plot_talents

    def spy(*args: Any, **kw: Any) -> Any:
        ax = plot_talents(*args, **kw)
        drawn.extend(t.get_text() for t in ax.get_yticklabels())
        return ax

    monkeypatch.setattr(vchuang.plot, "plot_talents", spy)
    monkeypatch.setattr(report, "_SECTIONS", (report._talents,))
    built = build_report(graph, out, key=KEY, **kwargs)
    (table,) = next(s for s in built.sections if s.id == "talents").tables
    column = table.columns.index("resident")
    return drawn, {str(row[column]) for row in table.rows}


def test_staff_report_talent_chart_names_residents_as_its_table_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vchuang.privacy import is_minor, keyed_id

    graph, minor = _consenting()
    day = graph.metadata.as_of
    drawn, listed = _talent_labels(graph, tmp_path / "internal", monkeypatch, reveal=True)
    assert len(drawn) == 12
    names = {r.name for r in graph.residents() if not is_minor(r, day)}
    minors = {r.name for r in graph.residents() if is_minor(r, day)}
    named = [label for label in drawn if label in names]
    assert len(named) >= 10  # staff read names, not pseudonyms
    assert not minors & set(drawn)  # never a minor's name
    # the minor, the best talent: a pseudonym in the chart as in the table
    assert keyed_id(minor, KEY, prefix="r") in set(drawn) & listed
    # the chart's 12 and the table's 5 a community overlap, labelled the same way
    assert len(set(drawn) & listed) >= 5
    assert not [label for label in drawn if label not in names and label not in listed]


def test_public_report_talent_chart_uses_the_tables_pseudonyms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph, _ = _consenting()
    drawn, listed = _talent_labels(graph, tmp_path / "public", monkeypatch)
    names = {r.name for r in graph.residents()}
    assert not names & set(drawn)
    assert all(re.fullmatch(r"r-[0-9a-f]{16}", label) for label in drawn)
    assert len(set(drawn) & listed) >= 5


# --------------------------------------------------------------------------- a browser

CHROMIUM = next(
    (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)


def _screenshot(page: str, folder: Path) -> bytes:
    index, shot = folder / "index.html", folder / "shot.png"
    index.write_text(page, encoding="utf-8")
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--virtual-time-budget=500",
            "--window-size=600,300",
            f"--screenshot={shot}",
            index.as_uri(),
        ],
        capture_output=True,
        timeout=60,
        check=True,
    )
    return shot.read_bytes()


@pytest.mark.slow
@needs_font
@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_chromium_draws_the_chinese_text_with_the_embedded_face(tmp_path: Path) -> None:
    """The same Chinese page, drawn by Chromium with and without its embedded face,
    looks different: the face is used (on a machine with no CJK font, like CI's, the
    page without it shows empty boxes)."""
    page = report._render([_section("龙岗试点：社区、居民与项目")], "报告", "zh", 5)
    bare = re.sub(r"@font-face\{[^}]*\}", "", page)
    assert bare != page
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _screenshot(page, tmp_path / "a") != _screenshot(bare, tmp_path / "b")
