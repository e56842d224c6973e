"""The command line: exit codes and messages a newcomer can act on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import vchuang
from vchuang.cli import EXIT_PARTIAL, main


def test_validate_good_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "good.json"
    vchuang.save(vchuang.load_example(), target)
    assert main(["validate", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "valid vchuang document" in out and "9 residents" in out


def test_validate_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--example"]) == 0
    assert "valid" in capsys.readouterr().out


def test_validate_broken_file_lists_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(vchuang.dumps(vchuang.load_example()))
    doc["residents"][0]["community"] = "pingnam"
    doc["residents"][1]["hours_per_week"] = -4
    target = tmp_path / "broken.json"
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(target)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("2 problems")
    assert err[1].startswith("$.residents[0].community: no entity 'pingnam'")
    assert err[2].startswith("$.residents[1].hours_per_week:")


def test_missing_and_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope.json")]) == 1
    assert "no such file" in capsys.readouterr().err
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["validate", str(junk)]) == 1
    assert "UTF-8" in capsys.readouterr().err


def test_summary_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--example"]) == 0
    assert "Pingnan" in capsys.readouterr().out


def test_help_and_version_from_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "vchuang", "--version"], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == f"vchuang {vchuang.__version__}"
    done = subprocess.run(
        [sys.executable, "-m", "vchuang", "--help"], capture_output=True, text=True, check=True
    )
    assert "validate" in done.stdout
    assert "vchuang report" in done.stdout
    done = subprocess.run(
        [sys.executable, "-m", "vchuang", "validate"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2 and "needs a FILE" in done.stderr


def test_import_and_schema_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    here = Path(__file__).parent / "data" / "tables"
    out = tmp_path / "clean.json"
    assert main(["import", str(here / "clean"), "-o", str(out)]) == 0
    assert vchuang.load(out).residents()
    assert main(["import", str(here / "messy"), "-o", str(tmp_path / "messy.json")]) == 1
    assert not (tmp_path / "messy.json").exists()
    assert "residents.csv:4 (column 社区)" in capsys.readouterr().err
    assert (
        main(["import", str(here / "messy"), "-o", str(tmp_path / "messy.json"), "--lenient"])
        == EXIT_PARTIAL
    )
    assert (tmp_path / "messy.json").exists()
    capsys.readouterr()
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["$schema"].endswith("2020-12/schema")


# ------------------------------------------------------------------ mistakes, no tracebacks

BAD = json.loads(
    (Path(__file__).parent / "data" / "malformed" / "cli" / "cases.json").read_text("utf-8")
)["cases"]


@pytest.fixture
def places(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "folder").mkdir()
    (tmp_path / "plain.txt").write_text("not json\n", encoding="utf-8")
    (tmp_path / "junk.json").write_bytes(bytes(range(256)))
    return {
        "file": str(tmp_path / "plain.txt"),
        "dir": str(tmp_path / "folder"),
        "missing": str(tmp_path / "nope.json"),
        "junk": str(tmp_path / "junk.json"),
    }


@pytest.mark.parametrize("case", BAD, ids=[" ".join(c["argv"]) for c in BAD])
def test_bad_arguments_give_one_line_and_the_exit_code(
    case: dict[str, object],
    places: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import vchuang.report

    def no_analysis(*_args: object, **_kwargs: object) -> None:
        msg = "an analysis ran before the arguments were checked"
        raise AssertionError(msg)

    monkeypatch.setattr(vchuang.report, "build_report", no_analysis)
    monkeypatch.setattr(vchuang.datasets, "longgang_pilot", no_analysis)
    monkeypatch.delenv("VCHUANG_KEY", raising=False)
    argv = [str(a).format(**places) for a in case["argv"]]  # type: ignore[attr-defined]
    assert main(argv) == case["code"]
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert str(case["says"]) in err, err
    if case["argv"] != ["validate", "{junk}"]:  # validate lists every problem, one a line
        assert err.count("\n") == 1, err


def test_short_key_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VCHUANG_KEY", "tiny")
    assert main(["report"]) == 1


def test_help_of_every_command_in_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for command in ("report", "import", "schema", "validate", "summary"):
        assert main([command, "--help", "--lang", "zh"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("用法：vchuang " + command) and "选项" in out, out
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert main(["--help"]) == 0
    assert "退出码" in capsys.readouterr().out
    assert main(["report", "--threshold", "0"]) == 2
    assert "不是不小于 1 的整数" in capsys.readouterr().err


def test_mistakes_through_a_real_process(tmp_path: Path) -> None:
    for argv, code in (
        (["report", "--key", "short"], 1),
        (["report", "--threshold", "0"], 2),
        (["report", str(tmp_path)], 1),
        (["validate", str(tmp_path / "nope.json")], 1),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "vchuang", *argv], capture_output=True, text=True, check=False
        )
        assert done.returncode == code, done.stderr
        assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
