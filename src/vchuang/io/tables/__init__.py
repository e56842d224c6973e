"""Reading spreadsheets: CSV and XLSX tables into a community graph.

A social worker's records are tables: a roster of residents (居民花名册), a list of
projects, activity sign-in sheets (签到表), often saved by Chinese Excel in GB18030 and
with Chinese column headers. :func:`read_tables` reads a directory (or a list) of such
files into a :class:`~vchuang.graph.CommunityGraph`:

* each file (or each sheet of a workbook) is one *table*, recognised by its name
  (``residents.csv``, ``居民.csv``, ``2019平南居民花名册.xlsx`` …; see :data:`TABLES`);
* each column is recognised by its header, in English or Chinese (``name`` / ``姓名``,
  ``community`` / ``社区`` …; the full list is :data:`TABLES`, and :func:`mapping_table`
  prints it); other columns are ignored and listed in the report;
* CSV files may be UTF-8 (with or without a byte-order mark), GB18030 (GBK) or UTF-16;
  the encoding is detected for each file and reported; a title row above the header is
  skipped;
* references name another record by ID *or* by name (``社区`` may say ``平南社区``,
  ``参加人`` may list residents by name); rows without an ID get one;
* skills may be given by ID, English or Chinese label or synonym (``广告设计`` is
  ``graphic_design``), with a level (``平面设计:3`` or ``平面设计（高级）``).

Every bad row is reported as a :class:`~vchuang.errors.Problem` whose path names the
file, the line and the column (``居民.csv:7 (column 社区)``) with a hint. With
``strict=True`` (the default) any problem raises :class:`~vchuang.errors.FormatError`
listing them all, and nothing is imported. With ``strict=False`` the good rows are
imported and the :class:`ImportReport` lists every row left out, including rows left
out because they referred to a row that was left out: nothing is dropped silently.

:func:`vchuang.cli.import_command` is ``vchuang import DIR -o data.json``. The package
is in files along its seams: the table specifications (``_specs``), opening files
(``_reading``, ``_headers``), one cell for its column (``_cells``, on the public parsers
of :mod:`vchuang.io.cells`), IDs and references (``_linking``), records and links
(``_building``) and the steps that join them (``_importer``).

Examples
--------
>>> import pathlib, tempfile
>>> from vchuang.io.tables import read_tables
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "communities.csv").write_text("社区,街道,区\\n平南社区,龙岗街道,龙岗区\\n",
...                                        encoding="utf-8-sig")
>>> _ = (d / "居民.csv").write_bytes("姓名,社区,技能,每周可用时间\\n"
...     "张浩,平南社区,广告设计:4;演讲,8\\n刘芳,平南,活动组织,4\\n".encode("gb18030"))
>>> report = read_tables(d)
>>> [(f.path, f.encoding, f.rows) for f in report.files]
[('communities.csv', 'UTF-8 with BOM', 1), ('居民.csv', 'GB18030', 2)]
>>> [(r.id, r.community, [s.skill for s in r.skills]) for r in report.graph.residents()]
[('r0001', 'c0001', ['graphic_design', 'public_speaking']), ('r0002', 'c0001', ['event_organising'])]
"""

from __future__ import annotations

from typing import NoReturn

from ._importer import read_tables
from ._report import ImportReport, SourceFile
from ._specs import TABLES, Column, TableSpec, mapping_table

__all__ = [
    "TABLES",
    "Column",
    "ImportReport",
    "SourceFile",
    "TableSpec",
    "mapping_table",
    "read_tables",
]

#: Names that moved out of this module, and where to.
_MOVED = {"import_command": "vchuang.cli.import_command"}


def __getattr__(name: str) -> NoReturn:
    if name in _MOVED:
        msg = f"{name} moved to {_MOVED[name]} (the command line is above the io layer)"
        raise AttributeError(msg)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return list(__all__)
