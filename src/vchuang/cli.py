"""The ``vchuang`` command line.

Run ``vchuang --help`` for the commands, ``vchuang COMMAND --help`` for one of them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, example_path
from .errors import FormatError
from .graph import CommunityGraph
from .io import load

__all__ = ["main"]

_DESCRIPTION = """\
vchuang: community-governance incubators as one typed graph.

It reads a community dataset (a vchuang JSON document: residents, groups,
organisations, projects, activities, resources) and answers the questions an
incubator team asks. Start with:

  vchuang validate --example      check the example dataset shipped with vchuang
  vchuang validate data.json      check your own dataset; each problem is printed
                                  with where it is (a JSON path) and how to fix it
  vchuang summary data.json       counts per community
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
        print(f"{args.file}: not a valid vchuang document; run `vchuang validate` on it",
              file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.file}: cannot read the file: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(graph.summary())
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
    validate.add_argument("--example", action="store_true",
                          help="check the example document shipped with vchuang")
    validate.set_defaults(func=_cmd_validate)

    summary = sub.add_parser("summary", help="print counts per community",
                             description="Print counts by kind and a table per community.")
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
    if args.file is not None and not args.example and not Path(args.file).exists():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 1
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
