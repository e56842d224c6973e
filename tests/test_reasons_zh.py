"""The sentences analyses write about their results follow the language: matching's
reasons and notes, funding's outlooks and ledger checks, diffusion's reasons and notes,
and the notes of a table import. In Chinese every sentence holds Chinese and no English
word beyond IDs, numbers and units; in English each is, word for word, the attribute
the result always had (``.reasons``, ``.notes``)."""

from __future__ import annotations

import datetime as dt
import pickle
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

import vchuang
from lang_scan import english_words, has_chinese
from vchuang.diffusion import choose_seeds, compare_seeds, simulate
from vchuang.funding import Account, sustainability
from vchuang.io import read_tables
from vchuang.kernel.said import Said, Words, said_in
from vchuang.kernel.text import catalogue, fields_of
from vchuang.matching import compatibility, match

#: Names of methods and of the paper's authors: the same in every language.
NAMES = {"IMM", "Tang", "Shi", "Xiao", "CELF", "PageRank"}


@pytest.fixture(scope="module")
def pilot() -> vchuang.CommunityGraph:
    return vchuang.datasets.longgang_pilot()


@pytest.fixture(scope="module")
def ids(pilot: vchuang.CommunityGraph) -> set[str]:
    """The words of every ID of the pilot (need IDs included): not English prose."""
    names = {record.id for record in pilot}
    for project in pilot.entities("project"):
        names |= {n.id for n in project.needs}
    return {w for name in names for w in re.findall(r"[A-Za-z]+", name)} | NAMES


def _check(english: Iterable[str], rendered_en: Iterable[str], zh: Iterable[str], ids: set[str]):
    english, rendered_en, zh = tuple(english), tuple(rendered_en), tuple(zh)
    assert rendered_en == english
    assert all(type(s) is str for s in rendered_en)
    assert len(zh) == len(english)
    for line in zh:
        assert has_chinese(line), line
        assert not english_words(line, ids), line


def test_said_is_its_english_and_renders_in_chinese() -> None:
    s = Said("common.n_of", n=3, of=10)
    assert s == "3 of 10" and isinstance(s, str)
    assert s.render("zh") == "10 人中 3 人" and s("zh") == s.render("zh")
    w = Words("basic", "入门")
    assert w == "basic" and w.render("zh") == "入门"
    nested = Said("diffusion.rule.lt", rule=Said("diffusion.rule.constant", p="0.1"))
    assert nested.render("zh").startswith("每条联系")
    back = pickle.loads(pickle.dumps((s, w)))
    assert back == (s, w) and back[0].render("zh") == s.render("zh")
    assert back[1].render("zh") == "入门"
    assert said_in([s, "as written"], "zh") == ("10 人中 3 人", "as written")


def test_new_catalogue_entries_have_the_same_fields_in_both_languages() -> None:
    for key, entry in catalogue().items():
        if key.split(".")[0] in ("matching", "funding", "diffusion", "tables"):
            assert fields_of(entry["en"]) == fields_of(entry["zh"]), key


def test_matching_reasons_and_notes_follow_the_language(pilot, ids) -> None:
    result = match(pilot, method="greedy")
    assert result.assignments and result.unmet
    for a in result.assignments:
        _check(a.reasons, a.reasons_in("en"), a.reasons_in("zh"), ids)
    for u in result.unmet:
        _check(u.reasons, u.reasons_in("en"), u.reasons_in("zh"), ids)
        for t in u.training:
            _check([t.reason], [t.reason_in("en")], [t.reason_in("zh")], ids)
    capped = match(pilot, method="greedy", unit=2, max_projects_per_person=1)
    assert capped.notes
    _check(capped.notes, capped.notes_in("en"), capped.notes_in("zh"), ids)
    for u in capped.unmet:
        _check(u.reasons, u.reasons_in("en"), u.reasons_in("zh"), ids)


def test_matching_fixed_notes_and_pair_reasons_follow_the_language(ids) -> None:
    g = vchuang.load_example()
    names = {record.id for record in g} | {n.id for p in g.entities("project") for n in p.needs}
    words = ids | {w for name in names for w in re.findall(r"[A-Za-z]+", name)}
    result = match(g, fixed=[("pn-r01", "pn-p1-design", 40)])
    assert len(result.notes) == 2
    _check(result.notes, result.notes_in("en"), result.notes_in("zh"), words)
    for a in result.assignments:
        _check(a.reasons, a.reasons_in("en"), a.reasons_in("zh"), words)
    needs = [n.id for p in g.entities("project") for n in p.needs if n.skill]
    for rid in [r.id for r in g.entities("resident")][:6]:
        for nid in needs:
            c = compatibility(g, rid, nid)
            _check(c.reasons, c.reasons_in("en"), c.reasons_in("zh"), words)


def test_funding_reasons_and_ledger_checks_follow_the_language(pilot, ids) -> None:
    ledger = vchuang.datasets.longgang_ledger(pilot)
    result = sustainability(ledger, runs=50, rng=0)
    assert result.outlooks
    for o in result.outlooks:
        _check(o.reasons, o.reasons_in("en"), o.reasons_in("zh"), ids)
    early = sustainability(ledger, as_of=dt.date(2019, 7, 1), runs=20, rng=0)
    for o in early.outlooks:
        _check(o.reasons, o.reasons_in("en"), o.reasons_in("zh"), ids)
    project = next(iter(pilot.entities("project"))).id
    ledger.open(Account(id="x", name="X", kind="micro_fund", owner=project))
    ledger.open(Account(id="y", name="Y", kind="project", owner="nobody"))
    ledger.open(Account(id="z", name="Z", kind="project"))
    problems = ledger.check(pilot)
    assert len(problems) >= 3
    _check(
        [str(p) for p in problems],
        [p.render("en") for p in problems],
        [p.render("zh") for p in problems],
        ids | {"nobody"},
    )


@pytest.mark.parametrize("method", ["ris", "celf", "degree", "pagerank"])
def test_seed_reasons_and_notes_follow_the_language(pilot, ids, method) -> None:
    choice = choose_seeds(pilot, 2, method=method, model="lt", runs=20, rng=1)
    _check(choice.reasons, choice.reasons_in("en"), choice.reasons_in("zh"), ids)
    _check(choice.notes, choice.notes_in("en"), choice.notes_in("zh"), ids)
    assert choice.reason(0, "zh") == choice.reasons_in("zh")[0]
    assert choice.reason(0) == choice.reasons[0]


def test_spread_and_comparison_reasons_follow_the_language(pilot, ids) -> None:
    spread = simulate(pilot, ["pn-r01"] if "pn-r01" in pilot else [], runs=20, rng=1)
    _check(spread.reasons, spread.reasons_in("en"), spread.reasons_in("zh"), ids)
    plain = choose_seeds(pilot, 1, method="degree", probability="weight", evaluate=False)
    _check(plain.notes, plain.notes_in("en"), plain.notes_in("zh"), ids)
    _check(plain.reasons, plain.reasons_in("en"), plain.reasons_in("zh"), ids)
    both = compare_seeds(pilot, 2, methods=("degree", "pagerank"), runs=10, rng=1)
    _check(both.reasons, both.reasons_in("en"), both.reasons_in("zh"), ids)


def _write(folder: Path) -> None:
    (folder / "communities.csv").write_text(
        "名称,街道,区\n平南社区,龙岗街道,龙岗区\n", encoding="utf-8"
    )
    (folder / "residents.csv").write_text(
        "姓名,社区\n张浩,平南社区\n李梅,平南社区\n", encoding="utf-8"
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_import_notes_follow_the_language(tmp_path: Path, lang: str) -> None:
    """Regression: "2 rows without an ID given one" and "subdistrict … created" were
    English in a Chinese import."""
    _write(tmp_path)
    report = read_tables(tmp_path, lang=lang)
    notes = [n.render(lang) for n in report.notes]
    assert len(notes) >= 3
    if lang == "en":
        assert any("rows without an ID given one" in n for n in notes)
        assert any("created (ID" in n for n in notes)
        return
    allowed = {"csv", "communities", "residents"}
    for line in notes:
        assert has_chinese(line), line
        assert not english_words(line, allowed), line
