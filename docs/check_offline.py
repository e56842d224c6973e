"""Fail when a built documentation page asks another host for anything at view time.

Usage: ``python docs/check_offline.py docs/_build/html``. Links a reader clicks
(``<a href>``) may point anywhere; what a page *loads* by itself (scripts, styles,
fonts, images, frames) must come from the site. So the formulas render offline and
where a CDN is blocked.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: Attributes that make the browser fetch something as the page opens.
_LOADS = re.compile(
    r"""<(script|link|img|iframe|source|audio|video)\b[^>]*?\b(src|href)\s*=\s*["']"""
    r"""((?:https?:)?//[^"']+)["']""",
    re.IGNORECASE,
)
#: ``@import url(//...)`` and ``url(https://...)`` in inline styles or CSS files.
_CSS = re.compile(r"""url\(\s*["']?((?:https?:)?//[^)"']+)""", re.IGNORECASE)


def remote_loads(html: str) -> list[str]:
    """The remote addresses a page (or a CSS file) loads by itself.

    >>> remote_loads('<script src="https://cdn.example/x.js"></script><a href="https://a.b">')
    ['https://cdn.example/x.js']
    >>> remote_loads('<link rel="stylesheet" href="_static/a.css">')
    []
    """
    found = [m.group(3) for m in _LOADS.finditer(html)]
    found += _CSS.findall(html)
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path("docs/_build/html")
    problems = []
    for path in sorted([*root.rglob("*.html"), *root.rglob("*.css")]):
        for url in remote_loads(path.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{path.relative_to(root)}: loads {url}")
    for line in problems:
        print(line)  # noqa: T201
    if not list(root.rglob("*.html")):
        print(f"no HTML pages under {root}")  # noqa: T201
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
