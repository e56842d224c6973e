"""`vchuang report`: the main job. Files, privacy, language, determinism, a real browser."""

from __future__ import annotations

import csv
import html
import html.parser
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

import vchuang
from vchuang.cli import main
from vchuang.report import Report, Scale, build_report

KEY = "a test key of more than 16 bytes"


@pytest.fixture(scope="module")
def pilot() -> vchuang.CommunityGraph:
    return vchuang.datasets.longgang_pilot()


@pytest.fixture(scope="module")
def pilot_report(pilot: vchuang.CommunityGraph, tmp_path_factory: pytest.TempPathFactory) -> Report:
    out = tmp_path_factory.mktemp("report-en")
    return build_report(pilot, out, key=KEY, ledger=vchuang.datasets.longgang_ledger(pilot))


@pytest.fixture(scope="module")
def report_en(pilot_report: Report) -> Path:
    return pilot_report.out


@pytest.fixture(scope="module")
def report_zh(
    pilot: vchuang.CommunityGraph,
    tmp_path_factory: pytest.TempPathFactory,
    zh_figures: Callable[[], AbstractContextManager[object]],
) -> Path:
    out = tmp_path_factory.mktemp("report-zh")
    with zh_figures():  # without a CJK font: one warning, figures in English
        build_report(pilot, out, key=KEY, lang="zh", ledger=vchuang.datasets.longgang_ledger(pilot))
    return out


def test_writes_page_figures_and_tables(report_en: Path) -> None:
    assert (report_en / "index.html").stat().st_size > 10_000
    figures = sorted(p.name for p in (report_en / "figures").glob("*.png"))
    tables = sorted(p.name for p in (report_en / "tables").glob("*.csv"))
    assert {
        "funnel.png",
        "talents.png",
        "pipeline.png",
        "comparison.png",
        "matching.png",
        "runway.png",
        "balances.png",
        "ideas_ha-call-2019.png",
        "reach.png",
    } <= set(figures)
    assert {
        "funnel.csv",
        "talents.csv",
        "indicators.csv",
        "hierarchy.csv",
        "matching.csv",
        "micro_funds.csv",
        "segment_coverage.csv",
        "blockers.csv",
    } <= set(tables)
    for table in (report_en / "tables").glob("*.csv"):
        assert table.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for Excel


class _Checker(html.parser.HTMLParser):
    VOID = frozenset({"meta", "img", "br", "hr", "link", "input"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.sources += [v or "" for k, v in attrs if k in ("src", "href")]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


def test_html_is_well_formed_and_self_contained(report_en: Path) -> None:
    text = (report_en / "index.html").read_text(encoding="utf-8")
    checker = _Checker()
    checker.feed(text)
    assert checker.errors == []
    assert checker.stack == []
    assert all(s.startswith(("data:image/png;base64,", "#")) for s in checker.sources)
    # outside scripts: the interactive view's built JavaScript names XML namespaces
    # (``http://www.w3.org/2000/svg``), which it never fetches; requests are what matter,
    # and no element has a ``src`` or ``href`` to another site (checked above)
    outside = re.sub(r"<script\b.*?</script>", "", text, flags=re.DOTALL)
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", outside, re.IGNORECASE)


def _outputs(folder: Path) -> str:
    return "\n".join(
        p.read_text(encoding="utf-8-sig")
        for p in folder.rglob("*")
        if p.suffix in (".html", ".csv")
    )


def test_no_name_of_a_resident_appears(
    pilot: vchuang.CommunityGraph, report_en: Path, report_zh: Path
) -> None:
    # one pass over each folder's text for all IDs (the page holds the network view's
    # JavaScript now: a search per resident took 45 s)
    ids = re.compile(r"\b(?:" + "|".join(re.escape(r.id) for r in pilot.residents()) + r")\b")
    for folder in (report_en, report_zh):
        text = _outputs(folder)
        for resident in pilot.residents():
            assert resident.name not in text, resident.id
        assert ids.findall(text) == []


def test_no_small_count_of_people_is_published(report_en: Path) -> None:
    people = {
        "engaged",
        "talent",
        "leader",
        "project_lead",
        "residents",
        "talents",
        "leaders",
        "project_leads",
        "participants",
        "unique_reach",
        "reached",
    }
    checked = 0
    for table in (report_en / "tables").glob("*.csv"):
        with table.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                for column, value in row.items():
                    if column in people and value not in ("", "<5"):
                        assert int(value) == 0 or int(value) >= 5, (table.name, column, value)
                        checked += 1
    assert checked > 20


def test_chinese_report_speaks_chinese(report_zh: Path) -> None:
    text = (report_zh / "index.html").read_text(encoding="utf-8")
    for term in ("点线面", "能人", "社区领袖", "孵化", "平南社区", '<html lang="zh-CN">'):
        assert term in text


def test_chinese_report_without_a_cjk_font_draws_english_figures(
    pilot: vchuang.CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A newcomer's machine, whatever this one has. Drawing Chinese with a font that lacks
    # the glyphs (empty boxes) warns "Glyph ... missing" during savefig, an error here; so
    # every figure of the report, its own funnel, golden ideas and comparison included,
    # must be labelled in English. The page itself stays Chinese.
    from vchuang.plot import _style

    monkeypatch.setattr(_style, "_installed_cjk", lambda: ())
    with pytest.warns(_style.CJKFontWarning, match="English") as record:
        report = build_report(pilot, tmp_path, key=KEY, lang="zh")
    assert len([w for w in record if w.category is _style.CJKFontWarning]) == 1
    assert {"funnel", "selection", "comparison"} <= {s.id for s in report.sections}
    assert '<html lang="zh-CN">' in report.index.read_text(encoding="utf-8")


def test_same_key_same_report(
    pilot: vchuang.CommunityGraph, report_en: Path, tmp_path: Path
) -> None:
    build_report(pilot, tmp_path, key=KEY, ledger=vchuang.datasets.longgang_ledger(pilot))
    assert (tmp_path / "index.html").read_bytes() == (report_en / "index.html").read_bytes()


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["report", "--out", str(out), "--key", KEY, "--no-progress"]) == 0
    assert (out / "index.html").exists()
    assert "index.html" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": 1, "residents": [{"id": "r"}]}', encoding="utf-8")
    assert main(["report", str(bad), "--out", str(tmp_path / "nothing")]) == 1
    assert not (tmp_path / "nothing").exists()
    assert "required field missing" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.json")]) == 1


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def test_report_renders_in_a_real_browser(report_zh: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        if os.environ.get("VCHUANG_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (VCHUANG_REQUIRE_BROWSER is set)")
        pytest.skip("Chromium is not installed")
    page = (report_zh / "index.html").as_uri()
    flags = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",
    ]
    shot = tmp_path / "report.png"
    subprocess.run(
        [*flags, "--window-size=1280,4000", f"--screenshot={shot}", page],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.stat().st_size > 50_000
    dom = subprocess.run(
        [*flags, "--dump-dom", page], check=True, capture_output=True, text=True, timeout=120
    ).stdout
    found = re.search(r'data-figures="(\d+)/(\d+)"', dom)
    assert found is not None, "the page's load check did not run"
    loaded, total = map(int, found.groups())
    assert total >= 4
    assert loaded == total
    assert 'data-errors="0"' in dom


def test_progress_bar_needs_no_optional_package(
    pilot: vchuang.CommunityGraph,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib.util
    import sys

    real = importlib.util.find_spec
    monkeypatch.setitem(sys.modules, "tqdm", None)  # as if tqdm were not installed
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "tqdm" else real(name, *a)
    )
    build_report(pilot, tmp_path, key=KEY, progress=True)
    err = capsys.readouterr().err
    assert "13/13 writing the page" in err  # the plain line, labelled from the catalogue
    assert "Community talents" in err


def test_published_reach_diagram_hides_small_counts(pilot: vchuang.CommunityGraph) -> None:
    from vchuang.reach import reach_report

    rep = reach_report(pilot)
    shown = [t.get_text() for t in rep.plot().texts]
    hidden = [t.get_text() for t in rep.plot(suppress=5).texts]
    assert any(re.search(r"\([1-4]\)", t) for t in shown)  # the case the test is about
    assert not any(re.search(r"\([1-4]\)", t) for t in hidden)
    assert any("(<5)" in t for t in hidden)


# --------------------------------------------------------------------------- at district scale

#: Limits low enough that a small synthetic district crosses every one of them.
LOW = Scale(exact_pairs=1, spread_residents=100, pivot_residents=100, pivots=8)


@pytest.fixture(scope="module")
def small_district() -> vchuang.CommunityGraph:
    return vchuang.datasets.synthetic(600, rng=1)


def test_pilot_report_stays_on_the_exact_methods(pilot_report: Report) -> None:
    assert pilot_report.methods == {"talents": "exact", "mouth": "full", "matching": "optimal"}
    assert "method" not in {s.id for s in pilot_report.sections}  # the page as it was
    (matching,) = [s for s in pilot_report.sections if s.id == "matching"]
    # the solver's name belongs to "how this was computed", not to the page's sentences
    assert "HiGHS" not in matching.text[0]
    assert "75 of 75 hours a week are staffed" in matching.text[0]


def test_scale_switches_at_its_documented_sizes() -> None:
    scale = Scale()
    assert scale.matching(20_000) == "optimal"
    assert scale.matching(20_001) == "greedy"
    assert not scale.spread_fast(20_000)
    assert scale.spread_fast(20_001)
    assert scale.talent_pivots(200_000) is None
    assert scale.talent_pivots(200_001) == scale.pivots
    exact = Scale.exact()
    assert exact.matching(10**9) == "optimal"
    assert not exact.spread_fast(10**9)
    assert exact.talent_pivots(10**9) is None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_at_district_scale_does_not_run_the_exact_matching(
    small_district: vchuang.CommunityGraph,
    tmp_path: Path,
    lang: str,
    zh_figures: Callable[[], AbstractContextManager[object]],
) -> None:
    """At 100,000 residents the exact matching ran out of 14 GB: above the limit of
    eligible pairs the report matches greedily, and says so, with the count, in both
    languages."""
    from contextlib import nullcontext

    from vchuang.kernel.text import text

    with zh_figures() if lang == "zh" else nullcontext():
        report = build_report(small_district, tmp_path, key=KEY, lang=lang, scale=LOW)
    assert report.methods["matching"] == "greedy"
    assert report.methods["mouth"] == "fast"
    (matching,) = [s for s in report.sections if s.id == "matching"]
    assert matching.text[-1] == report.sections[-1].text[-1]  # the section says it too
    note = report.sections[-1]
    assert note.id == "method"
    assert note.title == text("report.method.title", lang)
    assert len(note.text) == 4  # the district, then talents, word of mouth, matching
    greedy = text("report.method.matching_greedy", lang, pairs="@", limit="1").split("@")[0]
    assert note.text[-1].startswith(greedy)
    page = report.index.read_text(encoding="utf-8")
    assert text("report.method.title", lang) in page
    if lang == "zh":
        assert "贪心法" in page


def test_word_of_mouth_above_the_limit_keeps_the_best_connected_candidates(
    small_district: vchuang.CommunityGraph, tmp_path: Path
) -> None:
    scale = Scale(spread_residents=100, spread_candidates=6, spread_runs=50)
    report = build_report(small_district, tmp_path, key=KEY, scale=scale)
    assert report.methods["mouth"] == "fast"
    assert report.methods["matching"] == "optimal"
    note = report.sections[-1].text
    assert any("the 6 best-connected" in line and "50 simulations" in line for line in note)


def test_talent_table_is_the_best_five_of_each_community(
    small_district: vchuang.CommunityGraph, tmp_path: Path
) -> None:
    """The table was built by scanning the whole ranking once per community (100 s at
    100,000 residents); one pass must give the same rows."""
    from vchuang.privacy import for_publication
    from vchuang.talent import rank_talents

    build_report(small_district, tmp_path, key=KEY)
    published = for_publication(small_district, key=KEY)
    ranking = rank_talents(published, rng=0)
    expected = [
        (t.resident, t.community_rank)
        for c in published.communities()
        for t in [t for t in ranking if t.community == c.id][:5]
    ]
    with (tmp_path / "tables" / "talents.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [(r["resident"], int(r["rank"])) for r in rows] == expected


@pytest.mark.parametrize("make", ["pilot", "synthetic"])
def test_for_publication_in_one_pass_gives_the_same_graph(
    pilot: vchuang.CommunityGraph, small_district: vchuang.CommunityGraph, make: str
) -> None:
    """``for_publication`` redacts and pseudonymises in one pass (it built the graph
    twice): the graph and its JSON must be exactly what the two steps give."""
    from vchuang.privacy import for_publication, pseudonymize, redact

    graph = pilot if make == "pilot" else small_district
    key = b"a fixed key of 32 bytes........."
    two_steps = pseudonymize(redact(graph, "standard"), key)
    one_pass = for_publication(graph, key=key)
    assert one_pass == two_steps
    assert vchuang.dumps(one_pass) == vchuang.dumps(two_steps)
    assert [r.id for r in one_pass] == [r.id for r in two_steps]


# --------------------------------------------------------------------------- language scan


class _Visible(html.parser.HTMLParser):
    """The text a reader sees (no scripts, styles or tags; alt texts included), and
    apart, the text the dataset gave as it was written (``span.data-given``)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.given_depth = 0
        self.visible: list[str] = []
        self.given: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "span" and values.get("class") == "data-given":
            self.given_depth += 1
            self.given.append("")
        if values.get("alt"):
            self.visible.append(values["alt"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "span" and self.given_depth:
            self.given_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.given_depth:
            self.given[-1] += data
        else:
            self.visible.append(data)


def _visible(page: Path) -> _Visible:
    parser = _Visible()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


#: English words a Chinese page may show: a measure named after its author (Burt's
#: constraint, in the talents' reasons), the PageRank method, the program's name, file
#: kinds, and JavaScript (the interactive view asks to turn it on where it is off).
ASCII_ALLOWED = frozenset({"Burt", "PageRank", "vchuang", "CSV", "PNG", "JavaScript"})
#: Chinese a page in English may show outside the dataset's own words: none on the pilot
#: (every place, project and service group of the pilot has an English name).
HAN_ALLOWED: frozenset[str] = frozenset()
#: Pseudonyms (``r-`` and 16 hex digits), version numbers, dates and amounts are not words.
_NOT_WORDS = re.compile(r"\br-[0-9a-f]{16}\b|\d+(?:\.\d+)*(?:\.dev\d+)?")


def _given_is_the_dataset(parser: _Visible, pilot: vchuang.CommunityGraph) -> None:
    meta = pilot.metadata
    assert parser.given == [meta.title, meta.description]


def test_chinese_page_has_no_english_word(pilot: vchuang.CommunityGraph, report_zh: Path) -> None:
    parser = _visible(report_zh / "index.html")
    words = re.findall(r"[A-Za-z]{3,}", _NOT_WORDS.sub(" ", " ".join(parser.visible)))
    assert set(words) - ASCII_ALLOWED == set()
    # the dataset's title and description were given in English only: they are shown as
    # given, marked as such, and they are the only such text on the page
    _given_is_the_dataset(parser, pilot)


def test_english_page_has_no_chinese(pilot: vchuang.CommunityGraph, report_en: Path) -> None:
    parser = _visible(report_en / "index.html")
    han = re.findall(r"[\u3400-\u9fff]+", " ".join(parser.visible))
    assert set(han) - HAN_ALLOWED == set()
    _given_is_the_dataset(parser, pilot)


def test_every_column_has_a_label_in_both_languages() -> None:
    from vchuang.report import _column_label

    for column in ("hours_needed", "burn_fen_per_month", "stage_branding", "next_step"):
        zh, en = _column_label(column, "zh"), _column_label(column, "en")
        assert column not in (zh, en)
        assert not re.search(r"[A-Za-z]", zh)


def test_csv_keeps_machine_names_and_the_page_shows_labels(report_zh: Path) -> None:
    with (report_zh / "tables" / "matching.csv").open(encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    assert header == [
        "project",
        "needs",
        "hours_needed",
        "hours_staffed",
        "hours_unmet",
        "needs_unmet",
    ]
    page = (report_zh / "index.html").read_text(encoding="utf-8")
    assert ">每周所需小时</th>" in page
    assert ">hours_needed</th>" not in page


def test_next_steps_speak_to_people_not_to_the_api(report_en: Path, report_zh: Path) -> None:
    with (report_en / "tables" / "blockers.csv").open(encoding="utf-8-sig") as fh:
        steps = [row["next_step"] for row in csv.DictReader(fh)]
    assert "hold a first outreach campaign under the project's name" in steps
    for step in steps:
        assert not re.search(r"hint|record_|Incubator|activity_kind|[A-Z]{4,}|\w_\w", step), step
    page = (report_zh / "index.html").read_text(encoding="utf-8")
    assert "以项目名义开展首次宣传活动" in page


# --------------------------------------------------------------------------- csv and money


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x.invalid","y")', "@SUM(1)", "+1", "-1"])
def test_report_csv_guards_formula_cells(name: str, tmp_path: Path) -> None:
    from vchuang.io.csvsafe import FORMULA_START

    graph = vchuang.load_example()
    graph.add(
        vchuang.Project(
            id="evil", name=name, community="pingnan", stage="seed_selection", themes=["x"]
        )
    )
    build_report(graph, tmp_path, key=KEY)
    cells = []
    for table in (tmp_path / "tables").glob("*.csv"):
        with table.open(encoding="utf-8-sig", newline="") as fh:
            cells += [c for row in csv.reader(fh) for c in row]
    assert "'" + name in cells
    assert name not in cells
    assert not [c for c in cells if c.startswith(FORMULA_START) and not c.startswith("'")]


def test_money_is_yuan_on_the_page_and_fen_in_the_csv(report_en: Path, report_zh: Path) -> None:
    page = (report_en / "index.html").read_text(encoding="utf-8")
    assert re.search(r"¥\d{1,3}(,\d{3})+\.\d\d", page)  # thousands grouped
    assert re.search(r"\d[\d,]*\.\d\d 元", (report_zh / "index.html").read_text(encoding="utf-8"))
    with (report_en / "tables" / "micro_funds.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert all(re.fullmatch(r"-?\d+", r["balance_fen"]) for r in rows if r["balance_fen"])
    with (report_en / "tables" / "indicators.csv").open(encoding="utf-8-sig") as fh:
        raised = [r["funds_raised_fen"] for r in csv.DictReader(fh)]
    assert all(re.fullmatch(r"\d+", v) for v in raised if v)


def test_project_without_ledger_entries_shows_no_data(report_en: Path, report_zh: Path) -> None:
    """A project with no ledger entries showed ¥0, runway ∞ and 0 % risk: "no data" now."""
    from vchuang.kernel.text import text

    for folder, lang in ((report_en, "en"), (report_zh, "zh")):
        page = (folder / "index.html").read_text(encoding="utf-8")
        section = page[page.index('<section id="funds">') :]
        section = section[: section.index("</section>")]
        rows = [r for r in section.split("<tr>") if text("report.funds.no_entries", lang) in r]
        assert rows, lang
        for row in rows:
            assert row.count(text("report.no_data", lang)) == 4
            assert (
                "∞" not in row and "0%" not in row and "¥0.00" not in row and " 0.00 元" not in row
            )
    with (report_en / "tables" / "micro_funds.csv").open(encoding="utf-8-sig") as fh:
        empty = [r for r in csv.DictReader(fh) if r["why"] == text("report.funds.no_entries", "en")]
    assert empty and all(r["balance_fen"] == r["chance_dry"] == "" for r in empty)


# --------------------------------------------------------------------------- summary, trends


def test_summary_opens_the_page_with_one_definition_of_talent(
    pilot: vchuang.CommunityGraph, pilot_report: Report
) -> None:
    from vchuang.kernel.text import text

    glance = pilot_report.sections[0]
    assert glance.id == "glance"
    assert text("report.text.talent_definition", "en") in glance.text
    values = {row[0]: row[1] for row in glance.tables[0].rows}
    talents = sum(c["talents"] for c in pilot.summary().communities)
    assert values[text("report.measure.talents", "en")] == talents  # the same as summary()
    assert values[text("report.measure.hours_staffed", "en")] == "75"
    assert any(isinstance(v, vchuang.report.Fen) for v in values.values())  # money at risk
    (funnel,) = [s for s in pilot_report.sections if s.id == "funnel"]
    assert text("report.text.funnel_counts", "en") in funnel.text  # why the funnel differs


def test_trends_by_month_come_from_indicators_monthly(
    pilot: vchuang.CommunityGraph, pilot_report: Report
) -> None:
    from vchuang.indicators import monthly

    trends = pilot_report.sections[1]
    assert trends.id == "trends"
    months = monthly(pilot)
    assert [row[0] for row in trends.tables[0].rows] == [m.month for m in months]
    assert trends.figures[0].name == "trends"
    assert (pilot_report.out / "figures" / "trends.png").exists()


# --------------------------------------------------------------------------- print


def test_page_prints_on_a4_with_repeated_headers(report_en: Path) -> None:
    page = (report_en / "index.html").read_text(encoding="utf-8")
    assert "@page{size:A4" in page
    assert "@media print" in page
    assert "thead{display:table-header-group}" in page
    assert "section{break-before:page}" in page
    assert page.count('<div class="scroll"><table>') == page.count("<table>")


def test_report_prints_to_pdf_in_a_real_browser(report_en: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        if os.environ.get("VCHUANG_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (VCHUANG_REQUIRE_BROWSER is set)")
        pytest.skip("Chromium is not installed")
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (report_en / "index.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    sections = (report_en / "index.html").read_text(encoding="utf-8").count("<section ")
    assert pages >= sections  # a page break before every section
    assert b"/MediaBox [0 0 595" in data or b"/MediaBox [0 0 594" in data  # A4 width in points


# ------------------------------------------------- whole or absent (issue 17 item 4)


def _old_report(out: Path) -> dict[str, bytes]:
    (out / "figures").mkdir(parents=True)
    (out / "tables").mkdir()
    (out / "index.html").write_text("<p>the old report</p>", encoding="utf-8")
    (out / "figures" / "funnel.png").write_bytes(b"old png")
    (out / "tables" / "overview.csv").write_text("old,csv\n", encoding="utf-8")
    return _snapshot(out)


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _leftovers(out: Path) -> list[str]:
    return [p.name for p in out.parent.iterdir() if p.name.endswith(".report-tmp")]


def test_a_failing_section_leaves_the_old_report_as_it_was(
    pilot: vchuang.CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vchuang import report

    out = tmp_path / "report"
    before = _old_report(out)

    def boom(_ctx: object) -> None:
        msg = "a section failed"
        raise RuntimeError(msg)

    monkeypatch.setattr(report, "_SECTIONS", [report._overview, boom])
    with pytest.raises(RuntimeError, match="a section failed"):
        build_report(pilot, out, key=KEY)
    assert _snapshot(out) == before
    assert _leftovers(out) == []


def test_a_failure_while_writing_leaves_the_old_report_and_no_temporary_folder(
    pilot: vchuang.CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the defect: files were written one by one into --out, so a failure half-way left
    # a report of mixed old and new files
    from vchuang import report

    out = tmp_path / "report"
    before = _old_report(out)
    monkeypatch.setattr(report, "_SECTIONS", [report._overview, report._funnel])
    calls = {"n": 0}
    real = report._csv_text

    def fails_on_the_second(table: report.Table) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(table)

    monkeypatch.setattr(report, "_csv_text", fails_on_the_second)
    with pytest.raises(OSError, match="No space left"):
        build_report(pilot, out, key=KEY)
    assert calls["n"] == 2
    assert _snapshot(out) == before
    assert _leftovers(out) == []
    monkeypatch.setattr(report, "_csv_text", real)
    done = build_report(pilot, out, key=KEY)
    assert done.out == out
    after = _snapshot(out)
    assert {f.relative_to(out).as_posix() for f in done.files} == set(after)
    assert all(after.get(name) != data for name, data in before.items())  # all replaced
    assert _leftovers(out) == []


@pytest.mark.parametrize("odd", ["notes.txt", "figures/photo.jpg", "tables/budget.xlsx", "data"])
def test_an_out_folder_holding_other_files_is_refused_before_any_work(
    pilot: vchuang.CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, odd: str
) -> None:
    from vchuang import privacy

    out = tmp_path / "report"
    _old_report(out)
    if odd == "data":
        (out / odd).mkdir()
    else:
        (out / odd).write_bytes(b"mine")
    before = _snapshot(out)

    def no_work(*_args: object, **_kw: object) -> None:
        msg = "the analyses ran before the check"
        raise AssertionError(msg)

    monkeypatch.setattr(privacy, "for_publication", no_work)
    with pytest.raises(vchuang.ValidationError) as info:
        build_report(pilot, out, key=KEY)
    (problem,) = info.value.problems
    assert problem.path == "out"
    assert odd in problem.message
    assert "not part of a report" in problem.message
    assert "--out" in problem.hint
    assert _snapshot(out) == before
    with pytest.raises(vchuang.ValidationError, match="是一个文件"):
        build_report(pilot, out / "index.html", key=KEY, lang="zh")


@pytest.mark.parametrize(
    "call_id",
    ["../../escape", "a/b", "..", "CON", "nul", "c" * 300, "sub\\dir", "Ha-Call-2019"],
)
def test_ids_never_become_file_paths(
    pilot: vchuang.CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call_id: str
) -> None:
    # the defect: figures/ideas_{call id}.png; an ID with "/" crashed the report after
    # part of it was written, and ".." moved the temporary file outside --out
    import json

    from vchuang import report
    from vchuang.io import dumps, loads

    old = "ha-call-2019"
    doc = dumps(pilot).replace(json.dumps(old), json.dumps(call_id))
    graph = loads(doc)
    assert graph.get(call_id) is not None
    monkeypatch.setattr(report, "_SECTIONS", [report._selection])
    out = tmp_path / "deep" / "report"
    done = build_report(graph, out, key=KEY)
    inside = set(_snapshot(out))
    assert {p.as_posix() for p in (f.relative_to(out) for f in done.files)} == inside
    everything = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")}
    assert everything == {"deep", "deep/report", "deep/report/figures", "deep/report/tables"} | {
        f"deep/report/{p}" for p in inside
    }
    names = [Path(p).stem for p in inside if "/" in p]
    assert len(names) == 2  # the call's table and figure
    for name in names:
        assert re.fullmatch(r"[a-z0-9_][a-z0-9_-]{0,63}", name), name
        assert name.split("-")[0].lower() not in {"con", "nul", "prn", "aux"}


def test_file_names_of_different_ids_stay_different() -> None:
    from vchuang.report import file_name

    ids = ["a/b", "a_b", "a\\b", "A_B", "a.b", "a..b", "CON", "con", "x" * 300, "x" * 301]
    names = [file_name(f"ideas_{i}") for i in ids]
    assert len(set(names)) == len(names)
    assert len({n.lower() for n in names}) == len(names)  # case-insensitive disks too


# --------------------------------------------------------------------------- templates (issue 18 item 8)


def test_page_comes_from_autoescaped_templates(tmp_path: Path) -> None:
    """The page is rendered by Jinja2 with autoescaping: a name holding markup is text."""
    from vchuang import report

    graph = vchuang.load_example()
    evil = "<script>alert(1)</script>"
    graph.add(
        vchuang.Project(
            id="evil", name=evil, community="pingnan", stage="seed_selection", themes=["x"]
        )
    )
    done = build_report(graph, tmp_path, key=KEY)
    page = done.index.read_text(encoding="utf-8")
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    env = report._environment()
    assert env.autoescape is True
    assert {"page.html.j2", "table.html.j2", "style.css", "check.js"} <= set(env.list_templates())


def test_progress_bar_is_tqdm_with_human_labels(
    pilot: vchuang.CommunityGraph,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    zh_figures: Callable[[], AbstractContextManager[object]],
) -> None:
    pytest.importorskip("tqdm")
    from vchuang import report

    monkeypatch.setattr(report, "_SECTIONS", [report._overview, report._funnel])
    with zh_figures():  # the funnel's figure is Chinese: without a CJK font, the fallback
        build_report(pilot, tmp_path, key=KEY, progress=True, lang="zh")
    err = capsys.readouterr().err
    assert "报告" in err and "3/3" in err  # tqdm's counter, labelled in the report's language
    assert "从热心居民到社区领袖" in err or "总览" in err or "写入报告页面" in err
    assert "<" in err and "?" not in err.rsplit("3/3", 1)[1]  # an ETA, not tqdm's "?"


# --------------------------------------------------------------------------- people (item 4)


def test_whom_to_train_lists_the_seeds(pilot_report: Report) -> None:
    (mouth,) = [s for s in pilot_report.sections if s.id == "mouth"]
    seeds = mouth.tables[0]
    assert seeds.name == "seeds"
    assert seeds.columns == ("order", "resident", "community")
    assert [r[0] for r in seeds.rows] == [1, 2, 3, 4, 5]
    assert all(re.fullmatch(r"r-[0-9a-f]{16}", r[1]) for r in seeds.rows)  # pseudonyms
    assert all(r[2] for r in seeds.rows)
    assert seeds.caption


def test_who_helps_which_project_lists_the_volunteers(
    pilot: vchuang.CommunityGraph, pilot_report: Report
) -> None:
    from vchuang.matching import match
    from vchuang.privacy import for_publication

    (section,) = [s for s in pilot_report.sections if s.id == "matching"]
    (volunteers,) = [t for t in section.tables if t.name == "volunteers"]
    assert volunteers.columns == ("project", "skill", "resident", "hours")
    result = match(for_publication(pilot, key=KEY))
    assert sorted(r[2] for r in volunteers.rows) == sorted(a.resident for a in result.assignments)
    assert sum(r[3] for r in volunteers.rows) == pytest.approx(result.totals["hours_assigned"])
    page = pilot_report.index.read_text(encoding="utf-8")
    assert page.count('data-column="resident"') >= 3  # talents, seeds, volunteers


# --------------------------------------------------------------------------- staff mode (item 4)

PEOPLE_SECTIONS = ("_talents", "_word_of_mouth", "_matching", "_overview")


@pytest.fixture(scope="module")
def consenting() -> tuple[vchuang.CommunityGraph, str, str]:
    """The pilot where every resident consented to be named, except one adult, and the
    first resident the matching assigns is made a minor (who consented too)."""
    import json

    from vchuang.matching import match

    pilot = vchuang.datasets.longgang_pilot()
    volunteer = match(pilot).assignments[0].resident
    doc = json.loads(vchuang.dumps(pilot))
    refuses = ""
    for r in doc["residents"]:
        r["consent_to_name"] = True
        if r["id"] == volunteer:
            r["birth_year"] = 2006  # 13 on the data's date
            r.pop("age_band", None)
        elif not refuses and "leader" in r.get("roles", []):
            refuses = r["id"]
            r["consent_to_name"] = False
    return vchuang.loads(json.dumps(doc)), volunteer, refuses


def _people_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    from vchuang import report

    monkeypatch.setattr(report, "_SECTIONS", [getattr(report, n) for n in PEOPLE_SECTIONS])


def test_internal_report_names_consenting_adults_only(
    consenting: tuple[vchuang.CommunityGraph, str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from vchuang.kernel.text import text
    from vchuang.privacy import is_minor, keyed_id

    graph, minor, refuses = consenting
    _people_sections(monkeypatch)
    internal = build_report(graph, tmp_path / "internal", key=KEY, reveal=True)
    public = build_report(graph, tmp_path / "public", key=KEY)
    page = internal.index.read_text(encoding="utf-8")
    day = graph.metadata.as_of
    adults = [r for r in graph.residents() if r.consent_to_name and not is_minor(r, day)]
    named = [r for r in adults if r.name in page]
    assert len(named) >= 5  # talents, seeds and volunteers under their names
    for folder in (internal.out,):
        everything = _outputs(folder)
        for r in graph.residents():
            if is_minor(r, day) or not r.consent_to_name:
                assert r.name not in everything, r.id
    assert is_minor(graph.get(minor), day)
    assert keyed_id(minor, KEY, prefix="r") in page  # the minor volunteer: a pseudonym
    assert graph.get(refuses).name not in page
    assert text("report.internal.watermark", "en") in page
    assert '<div class="watermark"' in page
    assert '<meta name="vchuang-report" content="internal">' in page
    assert html.escape(text("report.privacy_internal", "en", n=5), quote=False) in page
    # the public report of the same data names nobody and has no watermark
    public_page = _outputs(public.out)
    assert not [r for r in graph.residents() if r.name in public_page]
    assert text("report.internal.watermark", "en") not in public_page
    assert '<meta name="vchuang-report" content="public">' in public_page


def test_internal_watermark_on_screen_and_in_print_in_both_languages() -> None:
    from vchuang import report
    from vchuang.kernel.text import text

    for lang in ("en", "zh"):
        page = report._render([], "t", lang, 5, internal=True)
        assert text("report.internal.watermark", lang) in page
        assert text("report.internal.notice", lang) in page
        assert ".watermark{position:fixed" in page  # fixed: repeated on every printed page
        assert "display:none" not in page.split(".watermark", 1)[1].split("}")[0]
    assert text("report.internal.watermark", "zh") == "内部资料 — 不得公开"
    assert "watermark" not in report._render([], "t", "en", 5).split("</style>")[1]


def test_internal_report_is_refused_over_a_public_one_and_the_reverse(
    pilot: vchuang.CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vchuang import privacy, report

    monkeypatch.setattr(report, "_SECTIONS", [report._overview])
    public, internal = tmp_path / "public", tmp_path / "internal"
    build_report(pilot, public, key=KEY)
    build_report(pilot, internal, key=KEY, reveal=True)
    old = _old_report(tmp_path / "older")  # a report from before the staff mode: public
    before = {p: _snapshot(p) for p in (public, internal, tmp_path / "older")}

    def no_work(*_args: object, **_kw: object) -> None:
        msg = "the analyses ran before the check"
        raise AssertionError(msg)

    monkeypatch.setattr(privacy, "for_publication", no_work)
    for folder, reveal, says in (
        (public, True, "holds a public report"),
        (tmp_path / "older", True, "holds a public report"),
        (internal, False, "holds an internal report"),
    ):
        with pytest.raises(vchuang.ValidationError, match=says) as info:
            build_report(pilot, folder, key=KEY, reveal=reveal)
        assert "another folder" in info.value.problems[0].hint
    assert {p: _snapshot(p) for p in before} == before
    assert old  # untouched


def test_cli_internal_over_a_public_report_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    _old_report(out)
    before = _snapshot(out)
    assert main(["report", "--out", str(out), "--key", KEY, "--internal", "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "holds a public report" in err
    assert _snapshot(out) == before


# --------------------------------------------------------------------------- honest tables, colours


def test_segment_coverage_has_communities_and_both_denominators(pilot_report: Report) -> None:
    (reach,) = [s for s in pilot_report.sections if s.id == "reach"]
    (table,) = reach.tables
    assert table.columns[:2] == ("community", "segment")
    assert {"listed", "share_listed", "population", "share_population"} <= set(table.columns)
    pairs = [(r[0], r[1]) for r in table.rows]
    assert len(set(pairs)) == len(pairs)  # "Children (0–12)" three times, told apart
    assert [f.name for f in reach.figures] == ["reach", "coverage_heatmap"]
    assert any("denominator" in t for t in reach.text)


def test_series_styles_never_repeat() -> None:
    from vchuang.report import _series_styles

    for n in (1, 10, 11, 60, 61, 240):
        styles = _series_styles(n)
        assert len({(s["color"], s["linestyle"], s["hatch"]) for s in styles}) == n


def test_balance_chart_gives_every_project_its_own_colour() -> None:
    """The balance chart drew the 11th project in the colour of the first."""
    import matplotlib.pyplot as plt

    from vchuang.report import _distinct_series

    pilot = vchuang.datasets.longgang_pilot()
    ledger = vchuang.datasets.longgang_ledger(pilot)
    projects = [p.id for p in pilot.projects()]
    assert len(projects) > 10
    ax = _distinct_series(ledger.history(projects).plot())
    looks = [
        (line.get_color(), line.get_linestyle())
        for line in ax.get_lines()
        if not line.get_label().startswith("_")
    ]
    assert len(looks) == len(projects) == len(set(looks))
    assert len(ax.get_legend().get_texts()) == len(projects)
    plt.close("all")


# --------------------------------------------------------------------------- network view slot (item 6)


def test_network_view_fragment_has_the_figure_as_noscript_fallback(
    pilot: vchuang.CommunityGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vchuang.plot
    from vchuang import report
    from vchuang.errors import MissingDependencyError

    monkeypatch.setattr(report, "_SECTIONS", [report._reach])
    fragment = '<div id="net-marker">a view</div>'
    monkeypatch.setattr(vchuang.plot, "network_view", lambda *a, **k: fragment, raising=False)
    page = build_report(pilot, tmp_path / "with", key=KEY).index.read_text(encoding="utf-8")
    assert f'<div class="interactive">{fragment}</div>\n<noscript><img src="data:image/png' in page

    def missing(*_a: object, **_k: object) -> str:
        package = "pyvis"
        raise MissingDependencyError(package, "interactive", "the network view")

    monkeypatch.setattr(vchuang.plot, "network_view", missing, raising=False)
    page = build_report(pilot, tmp_path / "without", key=KEY).index.read_text(encoding="utf-8")
    assert "<noscript>" not in page and 'class="interactive"' not in page
    assert page.count("<img ") == 2  # the reach figure and the heatmap, shown as they are


# --------------------------------------------------------------------------- optional sections (issue 21)

#: Authors' names the optional sections cite on a Chinese page (the measures are theirs).
CITED = frozenset({"Krackhardt", "Stern", "Gould", "Fernandez", "Arnstein", "Kaplan", "Meier"})


@pytest.fixture(scope="module")
def optional_zh(
    pilot: vchuang.CommunityGraph,
    tmp_path_factory: pytest.TempPathFactory,
    zh_figures: Callable[[], AbstractContextManager[object]],
) -> Report:
    pytest.importorskip("lifelines")
    out = tmp_path_factory.mktemp("report-optional-zh")
    with zh_figures():
        return build_report(
            pilot, out, key=KEY, lang="zh", sections="overview,capital,participation"
        )


def test_optional_sections_are_off_by_default(pilot_report: Report) -> None:
    from vchuang.report import DEFAULT_SECTIONS, OPTIONAL_SECTIONS

    ids = {s.id for s in pilot_report.sections}
    assert not ids & set(OPTIONAL_SECTIONS)
    assert ids - {"method"} <= set(DEFAULT_SECTIONS)


def test_optional_sections_speak_chinese_and_hide_small_counts(
    pilot: vchuang.CommunityGraph, optional_zh: Report
) -> None:
    assert [s.id for s in optional_zh.sections] == ["overview", "capital", "participation"]
    parser = _visible(optional_zh.index)
    words = re.findall(r"[A-Za-z]{3,}", _NOT_WORDS.sub(" ", " ".join(parser.visible)))
    assert set(words) - ASCII_ALLOWED - CITED == set()
    _given_is_the_dataset(parser, pilot)
    tables = {t.name: t for s in optional_zh.sections for t in s.tables}
    assert {"ei_index", "brokers", "participation", "retention", "dormant_projects"} <= set(tables)
    assert all(re.search(r"[\u3400-\u9fff]", label) for label in tables["brokers"].labels)
    people = {"members", "residents", "volunteers", "left", "active", *vchuang.capital.ROLES}
    people |= {"none", "informed", "consulted", "involved", "organising", "leading"}
    checked = 0
    for table in tables.values():
        for row in table.rows:
            for column, value in zip(table.columns, row, strict=True):
                if column in people and isinstance(value, int):
                    assert value == 0 or value >= 5, (table.name, column, value)
                    checked += 1
    assert checked > 10 and tables["retention"].suppressed > 0
    # pseudonyms only: no resident ID or name of the pilot appears anywhere
    page = optional_zh.index.read_text(encoding="utf-8")
    assert not any(r.id in page or r.name in page for r in pilot.residents())
    assert optional_zh.methods["capital"] == "full"


def test_unknown_section_is_refused_before_any_work(
    pilot: vchuang.CommunityGraph, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vchuang.errors import ValidationError
    from vchuang.report import _chosen_sections

    with pytest.raises(ValidationError, match="did you mean 'capital'"):
        build_report(pilot, tmp_path / "out", key=KEY, sections=["default", "capitl"])
    assert not (tmp_path / "out").exists()
    assert _chosen_sections(None) == _chosen_sections("default")
    assert "capital" in _chosen_sections(["default", " capital"])
    assert main(["report", "--sections", "capitl", "--out", str(tmp_path / "cli")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "did you mean 'capital'?" in err
    assert not (tmp_path / "cli").exists()
    assert main(["report", "--lang", "zh", "--sections", "x", "--out", str(tmp_path)]) == 1
    assert "没有名为" in capsys.readouterr().err


def test_large_district_skips_brokerage_and_says_so(
    pilot: vchuang.CommunityGraph, tmp_path: Path
) -> None:
    report = build_report(
        pilot, tmp_path, key=KEY, sections="capital", scale=Scale(brokerage_residents=100)
    )
    assert report.methods["capital"] == "no brokerage"
    (capital,) = [s for s in report.sections if s.id == "capital"]
    assert [t.name for t in capital.tables] == ["ei_index"]
    (method,) = [s for s in report.sections if s.id == "method"]
    assert any("brokerage roles are not counted" in line for line in method.text)
    assert Scale.exact().brokerage_fits(10**9)
