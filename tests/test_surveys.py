"""Questionnaire import: 问卷星 exports (by option text and by option number), KoboToolbox
exports, name-generator ties with name resolution, and ``vchuang import --survey``.

The fixtures in ``tests/data/surveys`` follow the layouts as their makers describe them:
问卷星's help pages on downloading answers ("下载答卷数据": six metadata columns 序号,
提交答卷时间, 所用时间, 来源, 来源详情, 来自IP; one column per question headed "N、题目";
multiple choices joined by ┋, rankings by →, -2 for a skipped and -3 for a hidden
question; "按选项文本" or "按选项序号"), and KoboToolbox's export documentation (group
names joined by "/", a select_multiple answer as space-separated option names, metadata
columns start, end, _id, _uuid, _submission_time, _index).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vchuang.errors import FormatError, ValidationError
from vchuang.graph import CommunityGraph
from vchuang.io import surveys
from vchuang.io.surveys import read_survey, resolve_name
from vchuang.model import Community, District, Relation, Resident, Segment, Subdistrict

DATA = Path(__file__).parent / "data" / "surveys"
MAPPING = DATA / "mapping.toml"


def roster() -> CommunityGraph:
    g = CommunityGraph()
    g.add(
        District(id="longgang", name="Longgang", name_zh="龙岗区"),
        Subdistrict(id="lg-st", name="Longgang St", district="longgang"),
        Community(id="pingnan", name="Pingnan", name_zh="平南社区", subdistrict="lg-st"),
        Community(id="heao", name="Heao", name_zh="荷坳社区", subdistrict="lg-st"),
        Segment(id="pn-elders", name="Elders", name_zh="长者", place="pingnan"),
        Resident(id="r1", name="张浩", community="pingnan"),
        Resident(id="r2", name="李娜", community="pingnan"),
        Resident(id="r3", name="王芳", community="pingnan"),
        Resident(id="r4", name="王芳", community="pingnan"),
    )
    return g


def test_wjx_by_option_text() -> None:
    result = read_survey(None, MAPPING, base=roster())
    assert result.form == "wjx_text"
    assert result.rows == 3
    # 张浩 was on the roster: the answers join his record; the others are new
    assert result.respondents == {"1": "wjx-1", "2": "wjx-2", "3": "r1"}
    g = result.graph
    liu = g.get("wjx-1", Resident)
    assert [s.skill for s in liu.skills] == ["photography", "public_speaking"]
    assert liu.hours_per_week == 4
    assert liu.consent_to_name is True
    assert liu.segments == ("pn-elders",)
    chen = g.get("wjx-2", Resident)
    assert chen.hours_per_week == 2  # 两 is two
    assert chen.segments == ()  # -3: not shown, missing
    assert {s.skill for s in g.get("r1", Resident).skills} == {"event_organising", "photography"}
    # 刘洋 names 张浩 and 张浩 names 刘洋: one symmetric tie
    knows = {t.key[::2] for t in result.ties}
    assert knows == {("r1", "wjx-1"), ("r2", "wjx-1"), ("r1", "wjx-2")}
    assert all(t.relation is Relation.KNOWS for t in result.ties)
    # position generator kept as a plain table; a ranking keeps its order; -2 is missing
    assert result.generators["position"] == {"wjx-1": ("医生", "律师"), "r1": ("教师",)}
    assert result.generators["resource"]["wjx-1"] == ("邻里互助", "文体活动", "环境整治")
    assert {"kind": "position", "resident": "r1", "item": "教师"} in result.generator_rows()
    # the metadata columns stay out, and are said to
    assert any("来自IP" in n.message for n in result.notes)


def test_wjx_by_option_number_gives_the_same_graph() -> None:
    by_text = read_survey(None, MAPPING, base=roster())
    by_number = read_survey(DATA / "wjx_number.csv", MAPPING, base=roster())
    assert by_number.form == "wjx_number"
    for rid in ("wjx-1", "wjx-2", "r1"):
        assert by_number.graph.get(rid) == by_text.graph.get(rid)
    assert {t.key for t in by_number.ties} == {t.key for t in by_text.ties}
    assert by_number.generators == by_text.generators


def test_option_number_without_options_is_a_problem_naming_row_and_column() -> None:
    mapping = surveys.load_mapping(MAPPING)
    del mapping["options"]["3"]
    with pytest.raises(FormatError) as info:
        read_survey(DATA / "wjx_number.csv", mapping, base=roster())
    paths = [p.path for p in info.value.problems]
    assert "wjx_number.csv:2 (column 3、您擅长哪些技能？)" in paths


def test_pinyin_and_spelling_matches_carry_a_confidence() -> None:
    pytest.importorskip("pypinyin")
    result = read_survey(None, MAPPING, base=roster())
    pinyin = [m for m in result.matches if m.method == "pinyin"]
    assert [(m.response, m.name, m.resident, m.confidence) for m in pinyin] == [
        ("2", "张皓", "r1", 0.9)
    ]
    assert any("张皓" in line for line in result.lines())


def test_without_pypinyin_the_step_is_skipped_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(surveys, "_pinyin_of", lambda: None)
    result = read_survey(None, MAPPING, base=roster(), strict=False)
    assert any("pypinyin" in n.message for n in result.notes)
    # 张皓 is then not found: reported by response and column, with the closest name
    (problem,) = [p for p in result.problems if "张皓" in p.message]
    assert problem.path == "wjx_text.csv:3 (column 7、你常和谁一起参加社区活动？)"
    assert "r1" in problem.hint


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    shutil.copy(MAPPING, tmp_path / "mapping.toml")
    content = (DATA / "wjx_text.csv").read_text(encoding="utf-8-sig").replace(old, new)
    (tmp_path / "wjx_text.csv").write_text(content, encoding="utf-8-sig")
    return tmp_path / "mapping.toml"


def test_unresolved_and_ambiguous_names_are_never_guessed(tmp_path: Path) -> None:
    mapping = _edited(tmp_path, "张浩、李娜", "赵六、王芳、李娜娜")
    with pytest.raises(FormatError):
        read_survey(None, mapping, base=roster())
    result = read_survey(None, mapping, base=roster(), strict=False)
    where = "wjx_text.csv:2 (column 7、你常和谁一起参加社区活动？)"
    messages = {p.message for p in result.problems if p.path == where}
    assert any("赵六" in m and "roster" in m for m in messages)
    assert any("王芳" in m and "r3" in m and "r4" in m for m in messages)
    # a close spelling is accepted, and listed with its confidence
    (fuzzy,) = [m for m in result.matches if m.method == "fuzzy"]
    assert (fuzzy.name, fuzzy.resident, fuzzy.confidence) == ("李娜娜", "r2", 0.8)
    assert not any("r3" in t.key for t in result.ties)


def test_messages_in_chinese(tmp_path: Path) -> None:
    mapping = _edited(tmp_path, "张浩、李娜", "赵六")
    result = read_survey(None, mapping, base=roster(), strict=False, lang="zh")
    assert any("花名册上没有“赵六”" in p.message for p in result.problems)
    assert "问卷星" in result.lines()[0]


def test_kobo_generic_export() -> None:
    result = read_survey(DATA / "kobo.csv", DATA / "kobo.toml", base=roster())
    assert result.form == "generic"
    g = result.graph
    liu = g.get(result.respondents["2"], Resident)
    assert [s.skill for s in liu.skills] == ["photography", "public_speaking"]
    assert {(t.source, t.target) for t in result.ties} == {
        (result.respondents["2"], "r1"),
        (result.respondents["3"], "r2"),
    }
    assert any("_uuid" in n.message for n in result.notes)


def test_xlsx_export(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for line in (DATA / "wjx_text.csv").read_text(encoding="utf-8-sig").splitlines():
        book.active.append(line.split(","))
    book.save(tmp_path / "wjx.xlsx")
    result = read_survey(tmp_path / "wjx.xlsx", MAPPING, base=roster())
    assert result.respondents == {"1": "wjx-1", "2": "wjx-2", "3": "r1"}


def test_mapping_mistakes_are_named() -> None:
    with pytest.raises(ValidationError, match="unknown key 'nmae'"):
        read_survey(DATA / "wjx_text.csv", {"fields": {"nmae": "1"}}, base=roster())
    with pytest.raises(ValidationError, match="no question matches '42'"):
        read_survey(DATA / "wjx_text.csv", {"fields": {"name": "42"}}, base=roster())
    with pytest.raises(ValidationError, match="knows"):
        read_survey(
            DATA / "wjx_text.csv",
            {"fields": {"name": "1"}, "ties": [{"question": "7", "relation": "leads"}]},
            base=roster(),
        )


def test_bad_toml_is_a_format_error(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text("[fields\nname = 1", encoding="utf-8")
    with pytest.raises(FormatError, match=r"m\.toml"):
        read_survey(DATA / "wjx_text.csv", tmp_path / "m.toml")


def test_resolve_name() -> None:
    assert resolve_name(roster(), "李娜") == ("exact", ("r2",), 1.0)
    assert resolve_name(roster(), "王芳")[1] == ("r3", "r4")


def test_repr_stays_short() -> None:
    result = read_survey(None, MAPPING, base=roster())
    assert len(repr(result)) < 500
    assert "<table" in result._repr_html_()


def test_cli_import_with_survey(tmp_path: Path) -> None:
    from vchuang.cli import import_command
    from vchuang.io import load

    tables = tmp_path / "tables"
    tables.mkdir()
    (tables / "communities.csv").write_text(
        "社区,街道,区\n平南社区,龙岗街道,龙岗区\n", encoding="utf-8"
    )
    (tables / "居民.csv").write_text("姓名,社区\n张浩,平南社区\n李娜,平南社区\n", encoding="utf-8")
    code, lines = import_command(tables, tmp_path / "out.json", survey=MAPPING)
    # this roster has no segment 长者: nothing is written, and the line says why
    assert code == 1
    assert "wjx_text.csv:2 (column 6、您属于以下哪些人群？): no segment is called '长者'" in lines
    code, lines = import_command(tables, tmp_path / "out.json", survey=MAPPING, strict=False)
    assert code == 3, lines  # EXIT_PARTIAL: written without the rows listed
    g = load(tmp_path / "out.json")
    assert len(g.residents()) == 4
    assert len(g.links(relation=Relation.KNOWS)) == 3


def test_benchmark_quick_mode_runs() -> None:
    import importlib.util

    path = Path(__file__).parent.parent / "benchmarks" / "bench_surveys.py"
    spec = importlib.util.spec_from_file_location("bench_surveys", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (row,) = module.main(["--quick"])
    assert row["responses"] == 500
    assert row["ratio"] > 0
    assert row["ties"] > 0
