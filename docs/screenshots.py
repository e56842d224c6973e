"""Regenerate the report screenshots of docs/report.md (docs/_static/report_*.png).

Builds the built-in Longgang pilot's report in Chinese and in English, opens each page
in headless Chromium at a few places (the top: at a glance and trends; the reach
section's heatmap; the seeds and volunteers; the interactive network view), and keeps
each picture small: cropped, scaled to 900 pixels wide and reduced to 128 colours.

Run from the repository root (needs Chromium on the PATH, and Pillow, which matplotlib
already installs)::

    python docs/screenshots.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

import vchuang
from vchuang.report import build_report

STATIC = Path(__file__).parent / "_static"
KEY = "the documentation's screenshot key"
WIDTH, HEIGHT = 1200, 2000
#: name -> (the section shown, extra CSS, the height kept in page pixels); "" shows the
#: top of the page (at a glance and trends)
SHOTS = {
    "top": ("", "", 1500),
    "heatmap": ("reach", "#reach .interactive,#reach>p{display:none}", 1300),
    "seeds": ("mouth", "", 1100),
    "volunteers": ("matching", "", 1300),
    "network": ("reach", "#reach>p,#reach img{display:none}", 800),
}


def _variant(index: Path, section: str, css: str, target: Path) -> None:
    """A copy of the page showing only ``section`` (the whole page for ``""``)."""
    page = index.read_text(encoding="utf-8")
    if section:
        css = f"h1,nav,.internal,footer,section:not(#{section}){{display:none}}{css}"
        page = page.replace("</head>", f"<style>{css}</style></head>", 1)
    target.write_text(page, encoding="utf-8")


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("needs Chromium (chromium, chromium-browser or google-chrome) on the PATH")


def _shoot(browser: str, url: str, target: Path) -> None:
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--virtual-time-budget=8000",  # the network view's layout settles
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={target}",
            url,
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def _small(raw: Path, height: int, target: Path) -> None:
    with Image.open(raw) as image:
        part = image.convert("RGB").crop((0, 0, WIDTH, height))
        scale = 900 / part.width
        part = part.resize((900, round(part.height * scale)), Image.Resampling.LANCZOS)
        part.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def main() -> None:
    browser = _browser()
    pilot = vchuang.datasets.longgang_pilot()
    STATIC.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("zh", "en"):
            out = Path(tmp) / lang
            build_report(
                pilot, out, key=KEY, lang=lang, ledger=vchuang.datasets.longgang_ledger(pilot)
            )
            index = out / "index.html"
            for name, (section, css, height) in SHOTS.items():
                page, raw = out / f"shot-{name}.html", Path(tmp) / f"{lang}-{name}.png"
                _variant(index, section, css, page)
                _shoot(browser, page.as_uri(), raw)
                target = STATIC / f"report_{name}_{lang}.png"
                _small(raw, height, target)
                sys.stdout.write(f"{target}: {target.stat().st_size // 1024} KB\n")


if __name__ == "__main__":
    main()
