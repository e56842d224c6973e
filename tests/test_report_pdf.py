"""`vchuang report --pdf`: the page printed on A4 through headless Chromium, every table
whole (its last column printed), and a clear message where there is no Chromium."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import vchuang
from vchuang.cli import main
from vchuang.report import build_report, find_chromium

KEY = "a test key of more than 16 bytes"


def _need_chromium() -> None:
    if find_chromium() is None:
        if os.environ.get("VCHUANG_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here (VCHUANG_REQUIRE_BROWSER is set)")
        pytest.skip("Chromium is not installed")


def test_pdf_holds_the_last_column_of_every_table(tmp_path: Path) -> None:
    """Chromium's PDF cut the comparison table after ``unmet_hours``: every table's last
    header must be in the PDF's text."""
    _need_chromium()
    pypdf = pytest.importorskip("pypdf")
    pilot = vchuang.datasets.longgang_pilot()
    done = build_report(
        pilot, tmp_path, key=KEY, ledger=vchuang.datasets.longgang_ledger(pilot), pdf=True
    )
    pdf = tmp_path / "report.pdf"
    assert pdf in done.files
    reader = pypdf.PdfReader(pdf)
    printed = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    page = done.index.read_text(encoding="utf-8")
    heads = re.findall(r"<thead><tr>(.*?)</tr></thead>", page)
    assert len(heads) == sum(len(s.tables) for s in done.sections)
    for head in heads:
        last = re.findall(r">([^<]*)</th>", head)[-1]
        assert re.sub(r"\s+", "", last) in printed, last
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) in ((595, 842), (842, 595))
    assert len(reader.pages) >= len(done.sections)  # a page break before every section


def test_cli_pdf_without_chromium_says_so_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "out"
    assert main(["report", "--out", str(out), "--key", KEY, "--pdf", "--lang", "zh"]) == 1
    err = capsys.readouterr().err
    assert "Chromium" in err and "--pdf" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
    with pytest.raises(vchuang.ValidationError, match="Chromium"):
        build_report(vchuang.load_example(), out, key=KEY, pdf=True)
    assert not out.exists()
