"""Write the spreadsheet corpus used by tests/test_tables.py.

Run from the repository root: ``python tests/data/tables/make_corpus.py``. The files are
committed; this script says exactly what is in them (encodings included), so that a
change to the corpus is a change to this script.

``clean/``
    A social worker's tables, each in a different encoding, with Chinese headers, a title
    row above one header, an ignored phone column: everything imports.
``messy/``
    The same kind of tables with mistakes; tests/test_tables.py lists the exact rows the
    report must name.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def write(path: Path, text: str, encoding: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))


def clean() -> None:
    d = HERE / "clean"
    write(
        d / "communities.csv",
        "社区,街道,区,人口\n平南社区,龙岗街道,龙岗区,12000\n荷坳社区,园山街道,龙岗区,9000\n",
        "utf-8-sig",
    )
    write(
        d / "居民.csv",
        "平南、荷坳社区居民花名册（2019年）,,,,,,,\n"
        "姓名,社区,出生年份,技能,每周可用时间（小时）,角色,电话,同意公开姓名\n"
        "张浩,平南社区,1984,广告设计:4；演讲（中级）,8小时,热心居民、社区领袖,13800000001,是\n"
        "刘芳,平南,1986,活动组织:3,4,志愿者,13800000002,否\n"
        "王军,平南社区,1958年,反诈骗:高级,6,志愿者,,\n"
        "李娜,荷坳社区,1979,摄影,3.5,能人,,\n",
        "gb18030",
    )
    write(
        d / "项目.csv",
        "项目名称,社区,主题,阶段,预算（元）,负责人,志愿者\n"
        "拒绝高空抛物,平南社区,高空抛物,运行中,3000,张浩,刘芳\n"
        "反诈骗宣传,平南社区,反诈骗,品牌创建,1200.50,王军,\n",
        "utf-8",
    )
    write(
        d / "活动.csv",
        "活动名称,活动日期,类型,社区,项目,参加人,参加人数\n"
        "平南社区动员会,2019/6/15,社区动员会,平南社区,,张浩、刘芳,35\n"
        "周六宣传活动,2019年9月21日,宣传活动,,拒绝高空抛物,,120\n"
        "志愿者例会,2019-10-08,志愿者例会,,拒绝高空抛物,,\n"
        "志愿者例会,2019-11-05,志愿者例会,,拒绝高空抛物,,\n",
        "utf-8-sig",
    )
    write(
        d / "签到.csv",
        "活动名称,活动日期,参加人\n"
        "周六宣传活动,2019-09-21,张浩\n"
        "周六宣传活动,2019-09-21,王军\n"
        "志愿者例会,2019-10-08,刘芳\n"
        "志愿者例会,2019-11-05,刘芳\n"
        "志愿者例会,2019-11-05,李娜\n",
        "gb18030",
    )
    write(d / "关系.csv", "居民1,居民2,亲密度\n张浩,刘芳,3\n王军,张浩,1\n", "utf-16")


def messy() -> None:
    d = HERE / "messy"
    write(
        d / "communities.csv",
        "社区,街道,区\n平南社区,龙岗街道,龙岗区\n荷坳社区,园山街道,龙岗区\n",
        "utf-8",
    )
    write(
        d / "residents.csv",
        "编号,姓名,社区,出生年份,技能,每周可用时间\n"
        "r1,张浩,平南社区,1984,广告设计:4,8\n"  # line 2: fine
        "r2,刘芳,平南,1986,活动组织,4\n"  # line 3: fine (community by short name)
        "r3,王军,平男社区,1958,反诈骗,6\n"  # line 4: unknown community
        "r4,李娜,荷坳社区,19x0,摄影,3\n"  # line 5: bad birth year
        "r1,赵磊,荷坳社区,1990,,2\n"  # line 6: duplicate ID
        "r5,陈静,荷坳社区,1979,开飞机,2\n"  # line 7: unknown skill
        "r6,,荷坳社区,1980,,1\n",  # line 8: no name
        "gb18030",
    )
    write(
        d / "projects.csv",
        "项目名称,主题,负责人\n拒绝高空抛物,高空抛物,r1\n反诈骗宣传,反诈骗,r3\n",
        "utf-8-sig",
    )  # no 社区 column
    write(
        d / "activities.csv",
        "编号,活动名称,活动日期,社区,类型,参加人,参加人数\n"
        "a1,动员会,2019-06-15,平南社区,社区动员会,r1;r2,35\n"  # line 2: fine
        "a2,反诈宣传,21/09/2019,平南社区,宣传活动,r2,50\n"  # line 3: bad date
        "a3,例会,2019/10/8,荷坳社区,志愿者例会,r4;r2,10\n"  # line 4: r4 left out
        "a4,巡逻,2019-11-02,平南社区,服务活动,r1;r2,1\n",  # line 5: headcount < named
        "utf-8",
    )
    write(
        d / "attendance.csv",
        "活动,参加人\n"
        "a1,王军\n"  # line 2: refers to r3, left out
        "反诈宣传,刘芳\n"  # line 3: refers to a2, left out
        "a1,张浩\n"  # line 4: already listed in activities.csv
        "a3,张浩\n",  # line 5: fine
        "gb18030",
    )
    write(
        d / "ties.csv",
        "source,target,weight\n"
        "r1,r2,2\n"  # line 2: fine
        "r2,r1,1\n"  # line 3: the same tie again
        "r1,r9,1\n",  # line 4: unknown resident
        "utf-8",
    )
    # a file whose lines are in two encodings (line 3 is GB18030, the rest UTF-8)
    path = d / "skills.csv"
    path.write_bytes(
        b"resident,skill,level\r\n"
        + "r1,摄影,2\r\n".encode()
        + "r2,写作,3\r\n".encode("gb18030")
        + "r2,演讲,1\r\n".encode()
    )
    write(d / "notes.csv", "备注\n记得补签到表\n", "utf-8")  # not a table


if __name__ == "__main__":
    clean()
    messy()
