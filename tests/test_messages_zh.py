"""Messages a user reads follow ``--lang zh`` (and ``LANG=zh_CN*``): the problems of
``vchuang validate`` and ``vchuang import``, the ``vchuang summary`` table, money errors.
The English text of every message stays word for word what it was."""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import pytest

import vchuang
from lang_scan import english_words, has_chinese
from vchuang.cli import main
from vchuang.errors import FormatError, Problem, ValidationError
from vchuang.kernel.text import catalogue, fields_of
from vchuang.model import entity_kinds

#: A document with one problem of each common kind.
BROKEN = {
    "format_version": 1,
    "bogus": 1,
    "districts": [{"id": "d1", "name": "D"}],
    "communities": [{"id": "c1", "name": "", "subdistrict": "s9"}],
    "residents": [
        {"id": "r1", "name": "A", "community": "c1", "age_band": "old", "colour": 1},
        {"id": "r2", "community": "c1", "skills": [{"skill": "nope", "level": 9}]},
        {"id": "r3", "name": 5, "community": "c2", "hours_per_week": -2},
        {"id": "r4", "name": "B", "community": "c1", "skills": [{"skill": "zzz_unknown"}]},
    ],
    "links": [
        {"relation": "knows", "source": "r1", "target": "r9"},
        {"relation": "knows", "source": "r1", "target": "r1"},
    ],
}


def _identifiers() -> set[str]:
    """JSON keys and record field names: the same in every language."""
    names = {"format", "format_version", "metadata", "base_taxonomy", "skills", "links"}
    for cls in (*entity_kinds().values(), vchuang.model.Link, vchuang.model.SkillLevel):
        names |= {a.name for a in attrs.fields(cls)}
    names |= {vchuang.model.KIND_PLURALS[k] for k in entity_kinds()}
    for enum in (vchuang.model.AgeBand, vchuang.model.Relation):  # values a user types
        names |= {str(m.value) for m in enum}
    return _words(names)


def _words(texts: set[str]) -> set[str]:
    return {w for t in texts for w in re.findall(r"[A-Za-z]+", t)}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(BROKEN), encoding="utf-8")
    return path


def test_validate_in_chinese_names_every_problem_in_chinese(
    broken: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "validate", "--lang", "zh", str(broken))
    assert code == 1
    err = err.replace(str(broken), "broken")
    lines = err.splitlines()
    assert len(lines) > 8
    for line in lines[1:]:
        assert has_chinese(line), line
    # IDs, JSON keys and field names may stay as written; nothing else is English
    given = _words({json.dumps(BROKEN), "broken"})
    assert english_words(err, _identifiers() | given) == set()


def test_validate_in_english_is_unchanged(broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "validate", str(broken))
    assert code == 1
    assert "$.residents[0].colour: unknown field 'colour' (hint: fields are: id, name" in err
    assert (
        "$.residents[1].skills[0].level: 9 is not a skill level (hint: use one of 1 (basic)" in err
    )
    assert "$.links[0].target: no entity 'r9' (hint: add it first)" in err
    assert "$.bogus: unknown key (hint: known keys: format, format_version," in err
    assert not has_chinese(err.split("\n", 1)[1])


def test_render_in_english_is_str_and_problems_keep_their_keys(broken: Path) -> None:
    with pytest.raises(FormatError) as info:
        vchuang.load(broken)
    problems = info.value.problems
    assert all(p.render("en") == str(p) for p in problems)
    assert all(p.key is not None for p in problems)
    assert info.value.render("en") == str(info.value)
    assert has_chinese(info.value.render("zh"))


def test_problem_keys_do_not_change_equality() -> None:
    said = Problem.said("$.base_taxonomy", "model.doc.bad_base", got="x")
    assert said == Problem("$.base_taxonomy", "must be 'default' or 'none', got 'x'")
    assert said.render("zh") == "$.base_taxonomy：应为 'default' 或 'none'，实际是 'x'"
    plain = Problem("x", "as written", "a hint")
    assert plain.render("zh") == "x：as written（提示：a hint）"


def test_json_syntax_error_in_chinese_says_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"format_version": 1,\n', encoding="utf-8")
    _, _, err = _run(capsys, "validate", "--lang", "zh", str(path))
    assert "$（第 2 行第 1 列）：不是有效的 JSON：这里应有用双引号括起的键名" in err
    _, _, err = _run(capsys, "validate", str(path))
    assert "$ (line 2, column 1): not valid JSON: Expecting property name" in err


def test_chinese_locale_without_lang_speaks_chinese(
    broken: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    _, _, err = _run(capsys, "validate", str(broken))
    assert "不认识的键" in err
    assert "unknown key" not in err


def test_summary_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "summary", "--example", "--lang", "zh")
    assert code == 0
    assert "参与居民" in out and "居民 9" in out
    example = vchuang.load_example()
    given = {example.metadata.title, *(c.name for c in example.communities())}
    assert english_words(out, {w for g in given for w in re.findall(r"[A-Za-z]+", g)}) == set()
    english = vchuang.load_example().summary()
    assert english.render("en") == str(english)
    assert "community  residents  engaged" in str(english)


def _bad_sheets(folder: Path) -> Path:
    folder.mkdir()
    (folder / "districts.csv").write_text("id,name\nd1,Longgang\n", encoding="utf-8")
    (folder / "subdistricts.csv").write_text("id,name,district\ns1,Bantian,d1\n", encoding="utf-8")
    (folder / "communities.csv").write_text(
        "id,name,subdistrict\nc1,Pingnan,s1\n", encoding="utf-8"
    )
    (folder / "residents.csv").write_text(
        "id,name,community,hours_per_week,birth_year\n"
        "r1,张三,c1,abc,1980\nr2,李四,Nowhere,3,19x6\nr3,王五,c1,2,1990\n",
        encoding="utf-8",
    )
    (folder / "projects.csv").write_text(
        "id,name,community,budget\np1,花园,c1,¥3x00\n", encoding="utf-8"
    )
    return folder


def test_import_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = _bad_sheets(tmp_path / "sheets")
    code, _, err = _run(
        capsys, "import", "--lang", "zh", str(sheets), "-o", str(tmp_path / "o.json")
    )
    assert code == 1
    assert "'3x00' 不是以元为单位的金额" in err  # the money error of an import
    assert "已导入：" in err and "个问题：" in err
    err = err.replace(str(tmp_path), "")
    files = {p.stem for p in sheets.iterdir()} | {"csv", "json", "lenient"}
    headers = {"hours_per_week", "birth_year", "budget", "community"}
    given = {"abc", "Nowhere", "Longgang", "Bantian", "Pingnan"}
    assert english_words(err, _words(files | headers | given)) == set()


def test_import_in_english_is_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheets = _bad_sheets(tmp_path / "sheets")
    code, _, err = _run(capsys, "import", str(sheets), "-o", str(tmp_path / "o.json"))
    assert code == 1
    assert "read residents.csv as residents: 3 rows (UTF-8)" in err
    assert (
        "projects.csv:2 (column budget): '3x00' is not an amount of yuan "
        "(hint: write digits with an optional ¥ or 元, e.g. 1234.50)" in err
    )
    assert "imported: 1 district, 1 subdistrict, 1 community, 2 residents, 1 project" in err


def test_money_error_in_either_language() -> None:
    from vchuang.kernel.money import parse_yuan

    with pytest.raises(ValidationError) as info:
        parse_yuan("1E3")
    assert str(info.value) == (
        "amount: '1E3' is not an amount of yuan (hint: write digits with an optional ¥ or 元, "
        "e.g. 1234.50)"
    )
    assert info.value.render("zh").startswith("amount：'1E3' 不是以元为单位的金额")


def test_record_validators_speak_chinese() -> None:
    with pytest.raises(ValidationError) as info:
        vchuang.model.Resident(id=" r1", name="A", community="c1")
    assert str(info.value).startswith("id: must be a non-empty ID without surrounding spaces")
    assert info.value.render("zh").startswith("id：ID 不能为空，前后也不能有空格")


@pytest.mark.parametrize("area", ["common", "model", "tables", "cli"])
def test_new_entries_have_both_languages_and_the_same_fields(area: str) -> None:
    keys = [k for k in catalogue() if k.startswith(area + ".")]
    assert keys
    for key in keys:
        entry = catalogue()[key]
        assert set(entry) == {"en", "zh"}, key
        assert fields_of(entry["en"]) == fields_of(entry["zh"]), key
        zh = re.sub(r"\{[^}]*\}", "", entry["zh"])
        assert has_chinese(zh) or not re.search(r"[A-Za-z]{4,}", zh), key
