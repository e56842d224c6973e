"""The ``vchuang`` command line.

Run ``vchuang --help`` for the commands, ``vchuang COMMAND --help`` for one of them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, example_path
from .errors import FormatError, ValidationError
from .graph import CommunityGraph
from .io import atomic_write_text, dumps, load
from .kernel.text import lang_from_env
from .model import KIND_PLURALS

__all__ = ["import_command", "main"]

_DESCRIPTION = """\
vchuang: community-governance incubators as one typed graph.

It reads a community dataset (a vchuang JSON document: residents, groups,
organisations, projects, activities, resources) and answers the questions an
incubator team asks. Start with:

  vchuang report                  the report of the built-in Longgang pilot, written
                                  to ./vchuang-report/index.html (open it in a browser)
  vchuang report data.json        the report of your own dataset
  vchuang validate data.json      check your own dataset; each problem is printed
                                  with where it is (a JSON path) and how to fix it
  vchuang summary data.json       counts per community
  vchuang import sheets/ -o data.json
                                  turn a folder of Excel/CSV sheets into a dataset
"""


def _read(path: str | None, use_example: bool) -> CommunityGraph:
    if use_example or path is None:
        return load(example_path())
    return load(path)


def _cmd_validate(args: argparse.Namespace) -> int:
    name = "the example dataset" if args.example or args.file is None else args.file
    try:
        graph = _read(args.file, args.example)
    except FormatError as exc:
        count = len(exc.problems)
        print(f"{name}: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{name}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
        return 1
    kinds = str(graph.summary()).splitlines()[1].strip()
    print(f"{name}: valid vchuang document ({kinds})")
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    try:
        graph = _read(args.file, args.example)
    except FormatError as exc:
        print(
            f"{args.file}: not a valid vchuang document; run `vchuang validate` on it",
            file=sys.stderr,
        )
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.file}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(graph.summary())
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import build_report

    name = args.data or "the built-in Longgang pilot"
    ledger = None
    try:
        if args.data is None:
            from .datasets import longgang_ledger, longgang_pilot

            graph = longgang_pilot()
            if args.ledger is None:
                ledger = longgang_ledger(graph)
        else:
            graph = load(args.data)
    except FormatError as exc:
        print(f"{name}: not a valid vchuang document; nothing was written", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    if args.ledger is not None:
        from .funding import load_ledger

        try:
            ledger = load_ledger(args.ledger)
        except FormatError as exc:
            print(f"{args.ledger}: not a valid ledger; nothing was written", file=sys.stderr)
            print(str(exc), file=sys.stderr)
            return 1
    key = args.key or os.environ.get("VCHUANG_KEY")
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    report = build_report(
        graph,
        args.out,
        lang=args.lang,
        ledger=ledger,
        key=key,
        threshold=args.threshold,
        progress=progress,
    )
    print(f"report of {name} written to {report.index}")
    if key is None:
        print(
            "(residents appear under pseudonyms drawn for this report only; give --key or "
            "set VCHUANG_KEY for pseudonyms that stay the same between reports)"
        )
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    code, lines = import_command(
        args.directory,
        args.output,
        strict=not args.lenient,
        base=args.base,
        lang=args.lang or lang_from_env(),
    )
    for line in lines:
        print(line, file=sys.stdout if code == 0 else sys.stderr)
    return code


def import_command(
    directory: str | Path,
    output: str | Path,
    *,
    strict: bool = True,
    base: str | Path | None = None,
    lang: str = "en",
) -> tuple[int, list[str]]:
    """Import a directory of tables and save the graph as JSON: ``vchuang import``.

    Reads the tables with :func:`vchuang.io.tables.read_tables` (never strictly, so that
    every problem is listed) and writes the graph unless ``strict`` and a row has a
    problem.

    Parameters
    ----------
    directory
        The directory of CSV and XLSX tables (or one file).
    output
        The JSON document to write (atomically).
    strict
        If true, write nothing when any row has a problem.
    base
        A vchuang JSON document the tables add to.
    lang : {"en", "zh"}, default "en"
        The language of the messages about files, sheets and headers
        (:func:`vchuang.io.tables.read_tables`).

    Returns
    -------
    tuple
        The exit code — 0 all imported, 1 nothing written (problems, or a file that cannot
        be read), 2 written without the rows listed — and the lines to print.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "communities.csv").write_text("name,subdistrict,district\\nPingnan,Longgang St,Longgang\\n")
    >>> code, lines = import_command(d, d / "data.json")
    >>> code, lines[-1]
    (0, 'wrote data.json: 1 district, 1 subdistrict, 1 community')
    """
    from .io.tables import read_tables

    try:
        graph = load(base) if base is not None else None
    except (OSError, FormatError) as exc:
        return 1, [f"{base}: cannot use as the base graph: {exc}"]
    try:
        report = read_tables(directory, strict=False, base=graph, lang=lang)
    except ValidationError as exc:  # pragma: no cover - no mapping is given here
        return 1, [str(exc)]
    lines = report.lines()
    if report.problems and strict:
        lines.append(
            f"nothing written to {output}: fix the problems above, or import the "
            "good rows only with --lenient"
        )
        return 1, lines
    target = Path(output)
    try:
        atomic_write_text(target, dumps(report.graph))
    except OSError as exc:
        return 1, [*lines, f"{output}: cannot write: {exc.strerror or exc}"]
    counts = report.graph.summary().counts
    kinds = ", ".join(f"{n} {k if n == 1 else KIND_PLURALS[k]}" for k, n in counts.items() if n)
    lines = [line for line in lines if not line.startswith("imported:")]
    lines.append(f"wrote {target.name}: {kinds or 'an empty graph'}")
    if report.problems:
        n = len(report.problems)
        lines.append(f"{n} problem{'s' * (n != 1)} above: those rows are not in {target.name}")
        return 2, lines
    return 0, lines


def _cmd_schema(_args: argparse.Namespace) -> int:
    from .io.schema import schema_command

    print(schema_command())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs)."""
    parser = argparse.ArgumentParser(
        prog="vchuang",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"vchuang {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = sub.add_parser(
        "validate",
        help="check a vchuang JSON document and list every problem",
        description="Check a vchuang JSON document. Prints a one-line summary and exits 0 "
        "when it is valid; otherwise prints each problem on its own line, with its JSON "
        "path and a hint, and exits 1.",
    )
    validate.add_argument("file", nargs="?", help="the JSON document to check")
    validate.add_argument(
        "--example", action="store_true", help="check the example document shipped with vchuang"
    )
    validate.set_defaults(func=_cmd_validate)

    report = sub.add_parser(
        "report",
        help="write the HTML report (the main job)",
        description="Run the analyses and write a self-contained HTML report, with its "
        "figures as PNG and its tables as CSV, into a folder. Without DATA it reports on "
        "the built-in Longgang pilot. Residents appear under pseudonyms only; small counts "
        "are suppressed; no minor is named.",
    )
    report.add_argument(
        "data", nargs="?", help="a vchuang JSON document (default: the built-in Longgang pilot)"
    )
    report.add_argument(
        "--out",
        default="vchuang-report",
        metavar="DIR",
        help="folder to write into (default: ./vchuang-report)",
    )
    report.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="language of the report (default: en)"
    )
    report.add_argument(
        "--ledger",
        metavar="FILE",
        help="a micro-fund ledger (JSON, from vchuang.funding.save_ledger); "
        "the built-in pilot comes with its own",
    )
    report.add_argument(
        "--key",
        help="key for the pseudonyms (at least 16 characters; "
        "default: $VCHUANG_KEY, else a fresh random key)",
    )
    report.add_argument(
        "--threshold",
        type=int,
        default=5,
        help="counts of people below this are suppressed (default: 5)",
    )
    report.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when run in a terminal)",
    )
    report.set_defaults(func=_cmd_report)

    imp = sub.add_parser(
        "import",
        help="turn a folder of spreadsheets (CSV/XLSX) into a vchuang JSON document",
        description="Read the residents, projects, activities, attendance, ties and skills "
        "sheets of a folder (CSV in UTF-8 or GB18030, or XLSX; Chinese or English headers) "
        "and write one JSON document. Every bad row is listed with its file, line and "
        "column. Exit 0: all imported; 1: nothing written; 2: written without the listed "
        "rows (--lenient).",
    )
    imp.add_argument("directory", help="the folder of spreadsheets")
    imp.add_argument("-o", "--output", required=True, help="the JSON document to write")
    imp.add_argument(
        "--lenient",
        action="store_true",
        help="import the good rows and list the bad ones (default: import "
        "nothing if any row is bad)",
    )
    imp.add_argument("--base", metavar="JSON", help="add the sheets to this existing document")
    imp.add_argument(
        "--lang",
        choices=("en", "zh"),
        default=None,
        help="language of the messages about files and sheets "
        "(default: from the locale, LANG=zh_CN.UTF-8 gives zh)",
    )
    imp.set_defaults(func=_cmd_import)

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of the format",
        description="Print the JSON Schema (draft 2020-12) of the vchuang "
        "JSON format, generated from the model.",
    )
    schema.set_defaults(func=_cmd_schema)

    summary = sub.add_parser(
        "summary",
        help="print counts per community",
        description="Print counts by kind and a table per community.",
    )
    summary.add_argument("file", nargs="?", help="the JSON document (default: the example)")
    summary.add_argument("--example", action="store_true", help="use the example document")
    summary.set_defaults(func=_cmd_summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "validate" and args.file is None and not args.example:
        parser.error("validate needs a FILE (or --example)")
    for name in ("file", "data", "ledger", "directory", "base"):
        path = getattr(args, name, None)
        if path is not None and not getattr(args, "example", False) and not Path(path).exists():
            print(f"{path}: no such file", file=sys.stderr)
            return 1
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
