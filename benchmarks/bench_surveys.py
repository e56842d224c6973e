"""Survey import: 10,000 问卷星 responses against plain csv reading of the same file.

Generates a 问卷星 export by option text (six metadata columns; a name, a community, a
multiple choice of skills joined by ┋, hours, consent, a name-generator question naming
up to three others, one in twenty with a typo) and times
:func:`vchuang.io.surveys.read_survey` against the baseline of reading the same file with
:mod:`csv` alone, in one run. Goal: the 10,000-response import in under 10 s.

Usage::

    python benchmarks/bench_surveys.py             # 10,000 responses, best of 3
    python benchmarks/bench_surveys.py --quick     # 500 responses, once (the test suite)
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vchuang.graph import CommunityGraph
from vchuang.io.surveys import read_survey
from vchuang.model import Community, District, Subdistrict

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红"
SKILLS = ["平面设计", "摄影", "演讲", "活动组织", "报销", "心理咨询"]
HEADER = [
    "序号",
    "提交答卷时间",
    "所用时间",
    "来源",
    "来源详情",
    "来自IP",
    "1、您的姓名：",
    "2、您所在的社区：",
    "3、您擅长哪些技能？",
    "4、您每周能参加社区活动几个小时？",
    "5、是否同意公示姓名？",
    "6、你常和谁一起参加社区活动？",
]
MAPPING: dict[str, Any] = {
    "fields": {"name": "1", "community": "2", "hours": "4", "consent": "5"},
    "skills": {"question": "3"},
    "ties": [{"question": "6"}],
}


def _names(n: int, rng: random.Random) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def generate(path: Path, n: int, seed: int = 1) -> None:
    """Write a 问卷星 export of ``n`` responses to ``path``."""
    rng = random.Random(seed)
    names = _names(n, rng)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for i, name in enumerate(names, start=1):
            others = rng.sample(names, 3)
            named = [o for o in others if o != name][: rng.randint(0, 3)]
            if named and rng.random() < 0.05:  # a typo: one character dropped or doubled
                named[0] = named[0] + named[0][-1]
            w.writerow(
                [
                    i,
                    "2019/9/1 10:00:00",
                    f"{rng.randint(30, 600)}秒",
                    "手机提交",
                    "直接访问",
                    "1.2.3.4(广东-深圳)",
                    name,
                    rng.choice(("平南社区", "荷坳社区")),
                    "┋".join(rng.sample(SKILLS, rng.randint(1, 3))),
                    rng.randint(0, 12),
                    rng.choice(("是", "否")),
                    "、".join(named) or "-2",
                ]
            )


def roster() -> CommunityGraph:
    g = CommunityGraph()
    g.add(
        District(id="longgang", name="Longgang"),
        Subdistrict(id="lg-st", name="Longgang St", district="longgang"),
        Community(id="pingnan", name="Pingnan", name_zh="平南社区", subdistrict="lg-st"),
        Community(id="heao", name="Heao", name_zh="荷坳社区", subdistrict="lg-st"),
    )
    return g


def _best(fn: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Run the benchmark and print its table; return its rows."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 responses, once")
    args = parser.parse_args(argv)
    n = 500 if args.quick else 10_000
    repeat = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "wjx.csv"
        generate(path, n)
        base = roster()

        def baseline() -> None:
            with path.open(encoding="utf-8-sig", newline="") as f:
                rows = list(csv.reader(f))
            assert len(rows) == n + 1

        results: list[Any] = []

        def vchuang() -> None:
            results.append(read_survey(path, MAPPING, base=base, strict=False))

        plain = _best(baseline, repeat)
        ours = _best(vchuang, repeat)
    result = results[-1]
    row = {
        "responses": n,
        "csv_s": round(plain, 4),
        "vchuang_s": round(ours, 3),
        "ratio": round(ours / plain, 1) if plain else float("inf"),
        "ties": len(result.ties),
        "not_exact": sum(1 for m in result.matches if m.method != "exact"),
        "problems": len(result.problems),
        "goal_met": ours < 10.0,
    }
    print(" | ".join(f"{k}={v}" for k, v in row.items()))
    return [row]


if __name__ == "__main__":
    main()
