"""Reading and writing community graphs.

- The JSON format (:func:`load`, :func:`save`, :func:`loads`, :func:`dumps`) is the
  library's own, versioned and documented on the "JSON format" page.
- Spreadsheets in: :func:`~vchuang.io.tables.read_tables` reads CSV (UTF-8, UTF-8 with BOM, GB18030) and
  XLSX files with Chinese or English headers (:mod:`vchuang.io.tables`); one cell at a
  time with the parsers of :mod:`vchuang.io.cells` (dates, numbers, money, yes/no …).
- Out: GraphML and GEXF for Gephi, pandas DataFrames, CSV for Excel
  (:mod:`vchuang.io.export`), pseudonymous by default; the JSON Schema of the format
  (:func:`~vchuang.io.schema.json_schema`); Pabulib ``.pb`` files (:mod:`vchuang.io.pabulib`).
- Questionnaires (问卷星, KoboToolbox) into residents, skills and ties
  (:func:`~vchuang.io.surveys.read_survey`); Kumu maps both ways (:mod:`vchuang.io.kumu`);
  Decidim and CONSUL exports into calls and ideas (:mod:`vchuang.io.platforms`).
- The same records in one Parquet file, read without parsing JSON
  (:func:`~vchuang.io.load_parquet`, :func:`~vchuang.io.save_parquet`;
  the ``columnar`` extra; ``vchuang.io.parquet``).

The modules beyond JSON are imported on first use.
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING, Any

from ._columns import records_from_columns
from ._json import (
    FORMAT_VERSION,
    atomic_write_bytes,
    atomic_write_text,
    dumps,
    from_document,
    load,
    loads,
    save,
    to_document,
)

if TYPE_CHECKING:
    from . import cells, export, kumu, pabulib, parquet, platforms, schema, surveys, tables
    from .export import (
        export_tables,
        flat_graph,
        to_csv,
        to_dataframe,
        to_dataframes,
        to_files,
        to_gexf,
        to_graphml,
    )
    from .kumu import read_kumu, write_kumu
    from .parquet import load_parquet, save_parquet
    from .platforms import read_consul, read_decidim, write_consul, write_decidim
    from .schema import json_schema
    from .surveys import SurveyImport, read_survey
    from .tables import ImportReport, read_tables

__all__ = [
    "FORMAT_VERSION",
    "ImportReport",
    "SurveyImport",
    "atomic_write_bytes",
    "atomic_write_text",
    "cells",
    "dumps",
    "export",
    "export_tables",
    "flat_graph",
    "from_document",
    "json_schema",
    "kumu",
    "load",
    "load_parquet",
    "loads",
    "pabulib",
    "parquet",
    "platforms",
    "read_consul",
    "read_decidim",
    "read_kumu",
    "read_survey",
    "read_tables",
    "records_from_columns",
    "save",
    "save_parquet",
    "schema",
    "surveys",
    "tables",
    "to_csv",
    "to_dataframe",
    "to_dataframes",
    "to_document",
    "to_files",
    "to_gexf",
    "to_graphml",
    "write_consul",
    "write_decidim",
    "write_kumu",
]

_SUBMODULES = (
    "cells",
    "export",
    "kumu",
    "pabulib",
    "parquet",
    "platforms",
    "schema",
    "surveys",
    "tables",
)
_LAZY = {
    "ImportReport": "tables",
    "read_tables": "tables",
    "export_tables": "export",
    "flat_graph": "export",
    "to_csv": "export",
    "to_dataframe": "export",
    "to_dataframes": "export",
    "to_files": "export",
    "to_gexf": "export",
    "to_graphml": "export",
    "json_schema": "schema",
    "read_kumu": "kumu",
    "load_parquet": "parquet",
    "save_parquet": "parquet",
    "write_kumu": "kumu",
    "read_consul": "platforms",
    "read_decidim": "platforms",
    "write_consul": "platforms",
    "write_decidim": "platforms",
    "read_survey": "surveys",
    "SurveyImport": "surveys",
}


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return _importlib.import_module(f".{name}", __name__)
    if name in _LAZY:
        return getattr(_importlib.import_module(f".{_LAZY[name]}", __name__), name)
    if name == "import_command":
        msg = "import_command moved to vchuang.cli.import_command (the command line is above io)"
        raise AttributeError(msg)
    msg = f"module 'vchuang.io' has no attribute {name!r}"
    raise AttributeError(msg)
