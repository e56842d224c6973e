"""Decidim open-data ZIPs and CONSUL investment CSVs into calls, ideas, votes and meetings.

Fixtures are built here from the formats' published descriptions:

* Decidim: the open-data export is a ZIP of one CSV per resource kind named
  ``<host>-open-data-<kind>.csv``, written by ``Decidim::Exporters::CSV`` with
  ``Decidim.default_csv_col_sep`` (``;`` by default) and nested keys flattened with
  ``/``; the columns are those of ``Decidim::Proposals::ProposalSerializer`` (id,
  category/…, scope/…, participatory_space/…, component/id, title/<locale>,
  body/<locale>, state, reference, answer/<locale>, supports, endorsements/total_count,
  comments, attachments, followers, published_at, url …),
  ``Decidim::Budgets::ProjectSerializer`` (id, taxonomies/…, participatory_space/…,
  component/id, title/<locale>, description/<locale>, budget/id, budget_amount,
  confirmed_votes, comments, created_at, url, address, related_proposals …) and the
  meetings serializer (id, component/id, title/<locale>, description/<locale>,
  start_time, end_time, attendees_count, address …).
* CONSUL: ``Budget::Investment::Exporter`` writes ID, Title, Supports, Administrator,
  Valuator, Valuation Group, Scope of operation, Feasibility, Val. Fin., Selected, Show
  to valuators, Author username.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from vchuang.errors import FormatError
from vchuang.io.platforms import (
    CONSUL_COLUMNS,
    read_consul,
    read_decidim,
    write_consul,
    write_decidim,
)
from vchuang.model import Activity, Proposal
from vchuang.selection import Election, select

PROPOSALS = (
    "id;category/id;category/name/en;category/name/zh;scope/id;participatory_space/id;"
    "participatory_space/url;component/id;title/en;title/zh;body/en;body/zh;state;reference;"
    "answer/en;supports;endorsements/total_count;comments;attachments;followers;"
    "published_at;url\n"
    "11;2;Safety;安全;;5;https://example.org/processes/p;7;Crossing guards;护学岗;"
    "<p>Volunteers at the school gate</p>;<p>校门口的志愿者</p>;accepted;EX-PROP-11;;"
    "23;4;2;0;5;2019-07-12 10:00:00 +0800;https://example.org/p/11\n"
    "12;;;;;5;https://example.org/processes/p;7;Book swap;;<p>A shelf</p>;;evaluating;"
    "EX-PROP-12;;9;0;0;0;1;2019-07-13 09:00:00 +0800;https://example.org/p/12\n"
)
BUDGETS = (
    "id;participatory_space/id;component/id;title/en;title/zh;description/zh;budget/id;"
    "budget_amount;confirmed_votes;comments;created_at;url;related_proposals\n"
    "31;5;8;Garden;社区花园;<p>种花</p>;1;3000;41;0;2019-08-01;https://example.org/b/31;11\n"
    "32;5;8;Reading corner;儿童阅读角;;1;2000;17;2;2019-08-02;https://example.org/b/32;\n"
    "33;5;8;Benches;长椅;;1;1500;30;0;2019-08-02;https://example.org/b/33;\n"
)
MEETINGS = (
    "id;component/id;title/en;title/zh;description/en;start_time;end_time;attendees_count;"
    "address\n"
    "51;9;Selection meeting;项目征选会;<b>vote</b>;2019-08-10 14:00:00 +0800;"
    "2019-08-10 16:00:00 +0800;60;Heao hall\n"
)


def decidim_zip(tmp_path: Path) -> Path:
    path = tmp_path / "example.org-open-data.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("example.org-open-data-proposals.csv", PROPOSALS)
        z.writestr("example.org-open-data-budgets.csv", BUDGETS)
        z.writestr("example.org-open-data-meetings.csv", MEETINGS)
        z.writestr("example.org-open-data-debates.csv", "id;title/en\n1;Talk\n")
    return path


def test_decidim_zip_becomes_calls_ideas_votes_and_meetings(tmp_path: Path) -> None:
    result = read_decidim(decidim_zip(tmp_path), place="heao")
    g = result.graph
    assert result.calls == ("decidim-proposals-7", "decidim-budgets-8")
    first = g.get("decidim-proposal-11", Proposal)
    assert (first.name, first.name_zh, first.description) == ("护学岗", "护学岗", "校门口的志愿者")
    assert first.submitted is not None and first.submitted.isoformat() == "2019-07-12"
    assert g.get("decidim-proposal-12", Proposal).name == "Book swap"  # no zh title
    assert g.get("decidim-project-31", Proposal).cost_fen == 300_000
    assert result.support["decidim-project-31"] == 41
    assert result.support["decidim-proposal-11"] == 23
    meeting = g.get("decidim-meeting-51", Activity)
    assert (meeting.date.isoformat(), meeting.attendance) == ("2019-08-10", 60)
    # what the graph cannot hold is said, never dropped silently
    lost = " ".join(f"{p.path} {p.message}" for p in result.not_represented)
    assert "debates" in lost and "state" in lost and "budget" in lost
    assert len(repr(result)) < 500


def test_a_decidim_call_runs_through_selection(tmp_path: Path) -> None:
    result = read_decidim(decidim_zip(tmp_path), place="heao", budget_fen=500_000)
    call = "decidim-budgets-8"
    election = Election.from_call(result.graph, call, scores=result.support)
    chosen = select(election, rule="greedy")
    assert chosen.selected == ("decidim-project-31", "decidim-project-33")


def test_comma_separated_instance_and_zh_messages(tmp_path: Path) -> None:
    path = tmp_path / "x-open-data-budgets.csv"
    path.write_text(BUDGETS.replace(";", ","), encoding="utf-8")
    assert read_decidim(path, place="heao").support["decidim-project-32"] == 17
    with pytest.raises(FormatError, match="无法读取"):
        read_decidim(tmp_path / "missing.zip", place="heao", lang="zh")


def test_consul_investments(tmp_path: Path) -> None:
    path = tmp_path / "investments.csv"
    path.write_text(
        "ID,Title,Supports,Administrator,Valuator,Valuation Group,Scope of operation,"
        "Feasibility,Val. Fin.,Selected,Show to valuators,Author username\n"
        "1,Bike racks,120,Ana,-,-,North,Feasible (3000),Yes,Yes,Yes,ana\n"
        "2,Mural,80,Ana,-,-,South,Undecided,No,No,Yes,luis\n",
        encoding="utf-8",
    )
    result = read_consul(path, place="heao", budget_fen=300_000)
    assert result.support == {"consul-1": 120, "consul-2": 80}
    assert result.graph.get("consul-1", Proposal).cost_fen == 300_000
    lost = " ".join(p.message for p in result.not_represented)
    assert "Author username" in lost and "consul-2" in lost


# --------------------------------------------------------------------------- writers


def _ideas(result: object) -> list[tuple[object, ...]]:
    g = result.graph  # type: ignore[attr-defined]
    out = []
    for pid in result.proposals:  # type: ignore[attr-defined]
        p = g.get(pid, Proposal)
        out.append((p.id, p.name, p.name_zh, p.call, p.cost_fen, p.submitted, p.description))
    return out


def _meetings(result: object) -> list[tuple[object, ...]]:
    g = result.graph  # type: ignore[attr-defined]
    return [
        (a.id, a.name, a.name_zh, a.date, a.attendance, a.description)
        for a in (g.get(i, Activity) for i in result.activities)  # type: ignore[attr-defined]
    ]


def test_decidim_read_write_read_keeps_calls_ideas_counts_and_meetings(tmp_path: Path) -> None:
    first = read_decidim(decidim_zip(tmp_path), place="heao")
    out = write_decidim(first.graph, tmp_path / "again.zip", support=first.support)
    with zipfile.ZipFile(out.path) as z:
        names = sorted(z.namelist())
        budgets = z.read("vchuang-open-data-budgets.csv").decode("utf-8")
    assert names == [f"vchuang-open-data-{k}.csv" for k in ("budgets", "meetings", "proposals")]
    assert budgets.splitlines()[0].startswith("id;component/id;title/en;title/zh")
    assert out.ids["decidim-project-31"] == "31" and out.calls == first.calls
    second = read_decidim(out.path, place="heao")
    assert second.calls == first.calls
    assert _ideas(second) == _ideas(first)
    assert second.support == first.support
    assert _meetings(second) == _meetings(first)
    # what cannot be written is listed: the calls' budgets, the meetings' kind and place
    lost = " ".join(f"{p.path} {p.message}" for p in out.not_written)
    assert "budget_fen" in lost and "activity_kind" in lost
    assert len(repr(out)) < 500 and out.lines()[0].startswith("again.zip")


def test_decidim_writer_numbers_native_ideas_and_lists_what_it_drops(tmp_path: Path) -> None:
    from vchuang.datasets import longgang_pilot

    g = longgang_pilot()
    calls = g.ids("call")
    ideas = [p for p in g.entities("proposal") if isinstance(p, Proposal)]
    support = {p.id: i + 3 for i, p in enumerate(ideas)}
    out = write_decidim(g, tmp_path / "open-data.zip", support=support, lang="zh")
    back = read_decidim(out.path, place="heao", locales=("en", "zh"))
    assert len(back.calls) == len(calls) and len(back.proposals) == len(ideas)
    for idea in ideas:
        copy = back.graph.get(f"decidim-project-{out.ids[idea.id]}", Proposal)
        assert (copy.name, copy.name_zh, copy.cost_fen) == (idea.name, idea.name_zh, idea.cost_fen)
        assert back.support[copy.id] == support[idea.id]
    assert len(back.activities) == len(g.activities())
    messages = " ".join(p.message for p in out.not_written)
    assert "以下字段没有写出" in messages and "proposers" in messages


def test_consul_read_write_read_keeps_ideas_prices_and_supports(tmp_path: Path) -> None:
    path = tmp_path / "investments.csv"
    path.write_text(
        "ID,Title,Supports,Feasibility\n"
        "1,Bike racks,120,Feasible (3000)\n2,Mural,80,Feasible (1250.50)\n3,Bench,0,Undecided\n",
        encoding="utf-8",
    )
    first = read_consul(path, place="heao")
    out = write_consul(
        first.graph, tmp_path / "again.csv", call="consul-budget", support=first.support
    )
    header = out.path.read_text("utf-8").splitlines()[0]
    assert header == ",".join(CONSUL_COLUMNS)
    second = read_consul(out.path, place="heao")
    assert second.calls == first.calls
    assert _ideas(second) == _ideas(first)
    assert second.support == first.support == {"consul-1": 120, "consul-2": 80, "consul-3": 0}
    assert second.graph.get("consul-2", Proposal).cost_fen == 125_050


def test_consul_writer_lists_an_empty_call_and_unwritable_fields(tmp_path: Path) -> None:
    from vchuang.datasets import longgang_pilot
    from vchuang.model import Call

    g = longgang_pilot()
    call = g.ids("call")[0]
    out = write_consul(g, tmp_path / "x.csv", call=call)
    lost = " ".join(f"{p.path} {p.message}" for p in out.not_written)
    assert "budget_fen" in lost and "name_zh" in lost and "proposers" in lost
    g.add(Call(id="empty", name="Nothing yet", place="heao"))
    empty = write_consul(g, tmp_path / "y.csv", call="empty")
    assert [p.path for p in empty.not_written][-1] == "empty"
    back = read_consul(out.path, place="heao")
    assert len(back.proposals) == sum(
        1 for p in g.entities("proposal") if isinstance(p, Proposal) and p.call == call
    )


# ------------------------------------------------------------ the report in each language

OLD_DECIDIM_LINES = [
    "2 calls, 5 ideas, 1 meetings, 120 votes",
    (
        "not represented: example.org-open-data-proposals.csv: columns not represented in the "
        "graph: answer/…, attachments, category/…, comments, endorsements/…, followers, "
        "participatory_space/…, reference, scope/…, state, url (hint: vchuang keeps the titles, "
        "texts, costs, dates and vote counts; states, answers, categories, scopes, comments and "
        "endorsements stay in Decidim)"
    ),
    (
        "not represented: example.org-open-data-budgets.csv: columns not represented in the "
        "graph: budget/…, comments, participatory_space/…, related_proposals, url (hint: vchuang "
        "keeps the titles, texts, costs, dates and vote counts; states, answers, categories, "
        "scopes, comments and endorsements stay in Decidim)"
    ),
    (
        "not represented: example.org-open-data-meetings.csv: columns not represented in the "
        "graph: address (hint: vchuang keeps the titles, texts, costs, dates and vote counts; "
        "states, answers, categories, scopes, comments and endorsements stay in Decidim)"
    ),
    (
        "not represented: example.org-open-data-debates.csv: not read: vchuang reads the "
        "proposals, budgets and meetings files"
    ),
    (
        "not represented: budget: open data does not publish a call's budget: each call's budget "
        "is the cost of all its ideas (pass budget_fen=)"
    ),
]
BAD_ROWS = "id;component/id;title/en;budget_amount;confirmed_votes\n5;1;G;3x;2\n6;1;H;100;many\n"
OLD_BAD_LINES = [
    "1 calls, 1 ideas, 0 meetings, 0 votes",
    (
        "not represented: budget: open data does not publish a call's budget: each call's budget "
        "is the cost of all its ideas (pass budget_fen=)"
    ),
    (
        "problem: x-open-data-budgets.csv:2 (column budget_amount): '3x' is not an amount of "
        "yuan (hint: write digits with an optional ¥ or 元, e.g. 1234.50)"
    ),
    (
        "problem: x-open-data-budgets.csv:3 (column confirmed_votes): the cell must be a whole "
        "number, got 'many'"
    ),
]
#: Words a Chinese report may show: file, column and field names, IDs, platform names and
#: the cells quoted.
NAMES = (  # noqa: SIM905
    "example org open data proposals budgets meetings debates csv zip answer attachments "
    "category comments endorsements followers participatory space reference scope state url "
    "budget related address fen Decidim CONSUL consul inv investments closes name opens "
    "organiser place project proposers target segments themes activity kind attendees hours "
    "organisers skills amount confirmed votes heao many price description submitted"
).split()


def _all_chinese(lines: list[str]) -> None:
    from lang_scan import english_words, has_chinese

    for line in lines:
        assert has_chinese(line), line
        assert not english_words(line, NAMES), line


def test_the_english_report_is_unchanged_by_the_catalogue(tmp_path: Path) -> None:
    result = read_decidim(decidim_zip(tmp_path), place="heao")
    assert result.lines() == result.lines("en") == OLD_DECIDIM_LINES
    html = result._repr_html_()
    assert "<caption>platform import</caption>" in html and "<td>ideas</td><td>5</td>" in html
    path = tmp_path / "x-open-data-budgets.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    assert read_decidim(path, place="heao").lines() == OLD_BAD_LINES
    out = write_decidim(result.graph, tmp_path / "open-data.zip")
    assert out.lines()[0] == "open-data.zip: 2 calls, 6 records"
    assert out.lines()[1].startswith("not written: call: fields not written: ")
    assert "<caption>platform export</caption>" in out._repr_html_()


def test_platform_reports_in_chinese_have_no_english_words(tmp_path: Path) -> None:
    result = read_decidim(decidim_zip(tmp_path), place="heao", lang="zh")
    _all_chinese(result.lines())
    path = tmp_path / "x-open-data-budgets.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    bad = read_decidim(path, place="heao", lang="zh").lines()
    _all_chinese(bad)
    assert "x-open-data-budgets.csv:2（“budget_amount”列）" in bad[2]
    html = result._repr_html_()
    assert "参与平台数据导入" in html and "<td>点子</td><td>5</td>" in html
    consul = tmp_path / "inv.csv"
    consul.write_text("ID,Title,Supports,Price\n1,Bike,120,12x\n2,Mural,3,\n", encoding="utf-8")
    _all_chinese(read_consul(consul, place="heao", lang="zh").lines())
    out = write_decidim(result.graph, tmp_path / "open-data.zip", lang="zh")
    _all_chinese(out.lines())
    assert out.lines()[1].startswith("没有写出：金点子征集：")
    assert "参与平台数据导出" in out._repr_html_()
    _all_chinese(
        write_consul(result.graph, tmp_path / "c.csv", call=result.calls[1], lang="zh").lines()
    )


def test_lines_take_a_language_at_render_time(tmp_path: Path) -> None:
    # the report's own words and the places follow lang=; the messages stay as read
    result = read_decidim(decidim_zip(tmp_path), place="heao")
    zh = result.lines("zh")
    assert zh[0] == "2 个征集，5 个点子，1 次会议，120 票"
    assert zh[-1].startswith("图中没有对应：预算：")
    with pytest.raises(ValueError, match="must be 'en' or 'zh'"):
        result.lines("fr")
