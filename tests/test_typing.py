"""What a type checker infers for a caller of the public API.

A researcher's editor completes and checks their script from vchuang's annotations; this
test runs mypy on a small user script and pins what it infers for the calls every
tutorial makes, so an annotation that decays to ``Any`` (or an error in a plain call)
is caught.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (pip install -e '.[lint]')",
)

SCRIPT = textwrap.dedent(
    """
    import vchuang
    from vchuang import datasets, reach, talent, matching, selection, diffusion

    g = datasets.longgang_pilot()
    reveal_type(g)
    ranking = talent.rank_talents(g, place="pingnan")
    reveal_type(ranking)
    reveal_type(ranking[0])
    reveal_type(ranking[0].reasons)
    rep = reach.reach_report(g)
    reveal_type(rep)
    reveal_type(matching.match(g))
    reveal_type(diffusion.simulate)
    reveal_type(g.residents("pingnan"))
    reveal_type(g.places_within("pingnan"))
    reveal_type(vchuang.load)
    """
)

EXPECTED = [
    "vchuang.graph.CommunityGraph",
    "vchuang.talent._results.TalentRanking",
    "vchuang.talent._results.Talent",
    "tuple[str, ...]",
    "vchuang.reach.ReachReport",
    "vchuang.matching._result.MatchResult",
    "def (",
    "list[vchuang.model.Resident]",
    "frozenset[str]",
    "def (",
]


def test_a_callers_script_type_checks_and_infers_the_result_types(tmp_path: Path) -> None:
    from mypy import api

    script = tmp_path / "user_script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    stdout, stderr, _status = api.run(
        [
            str(script),
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--follow-imports=silent",
        ]
    )
    # mypy versions differ in whether they print the builtins. prefix
    revealed = [t.replace("builtins.", "") for t in re.findall(r'Revealed type is "(.*)"', stdout)]
    errors = [line for line in stdout.splitlines() if ": error:" in line]
    assert not errors, "\n".join(errors)
    assert len(revealed) == len(EXPECTED), stdout + stderr
    for got, want in zip(revealed, EXPECTED, strict=True):
        assert got.startswith(want), (got, want)
        assert "Any" not in got.split("->")[-1], got
