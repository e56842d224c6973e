"""The ``vchuang`` command line.

Run ``vchuang --help`` for the commands, ``vchuang COMMAND --help`` for one of them.
Every message and every help text comes from the text catalogue
(``vchuang/data/text/cli.json``), in Chinese with ``--lang zh`` or a Chinese locale
(``LANG=zh_CN.UTF-8``), else in English.

A user's mistake never ends in a traceback: every argument and path is checked before
any analysis runs, and a mistake is one line saying what is wrong and how to fix it.

Exit codes
----------
0
    Done.
1
    Bad input: a file that is missing, a folder, unreadable or not a valid document, a
    value the command cannot use (a short ``--key``, ``--threshold 0``, a file as
    ``--out``). Nothing was written.
2
    Wrong usage: an unknown command or option, a missing argument.
3
    Done with problems: ``vchuang import --lenient`` wrote the good rows and left the
    listed ones out.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__, example_path
from .errors import FormatError, ValidationError, VchuangError
from .graph import CommunityGraph
from .io import atomic_write_text, dumps, load
from .kernel.text import Lang, lang_from_env, text

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_OK",
    "EXIT_PARTIAL",
    "EXIT_USAGE",
    "build_parser",
    "import_command",
    "main",
]

#: Exit code: done.
EXIT_OK = 0
#: Exit code: bad input (nothing was written).
EXIT_BAD_INPUT = 1
#: Exit code: wrong usage (unknown option, missing argument).
EXIT_USAGE = 2
#: Exit code: done with problems (``import --lenient`` wrote the good rows and left the
#: listed ones out).
EXIT_PARTIAL = 3

#: The smallest pseudonymisation key, in bytes (as :data:`vchuang.privacy.MIN_KEY_BYTES`).
_MIN_KEY_BYTES = 16

#: What a reader may raise on input it was not hardened against yet: reported as bad
#: input, never as a traceback.
_READ_ERRORS = (VchuangError, OSError, UnicodeError, ValueError, TypeError, RecursionError)


class _Refused(Exception):
    """A user's mistake, found before any work: one line for stderr and exit code 1."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


def _t(key: str, lang: str, **fields: object) -> str:
    return text("cli." + key, lang, **fields)


def _counts(counts: Mapping[str, int], lang: str) -> str:
    """Record counts in words, e.g. ``1 district, 9 residents`` / ``区 1、居民 9``."""
    parts = [
        text(f"model.count.{kind}.{'one' if n == 1 else 'many'}", lang, n=n)
        for kind, n in counts.items()
        if n
    ]
    return text("model.count.sep", lang).join(parts) if parts else text("model.count.empty", lang)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help in the catalogue's language: the ``usage:`` prefix too."""

    lang: str = "en"

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(
            usage, actions, groups, _t("usage", self.lang) if prefix is None else prefix
        )


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line with the fix, exit code 2."""

    lang: str = "en"

    def error(self, message: str) -> NoReturn:
        head, sep, rest = message.partition(": ")
        if sep and head.startswith("argument ") and rest.startswith("--"):
            message = rest  # our own message already names the option
        line = _t(
            "with_fix", self.lang, message=message, fix=_t("usage_fix", self.lang, prog=self.prog)
        )
        print(_t("error", self.lang, prog=self.prog, message=line), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _lang_of(argv: Sequence[str]) -> Lang:
    """``--lang`` from the command line if given (``--lang zh`` / ``--lang=zh``), else the
    locale."""
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in ("en", "zh"):
            return "zh" if value == "zh" else "en"
    return lang_from_env()


# ------------------------------------------------------------------ checks before the work


def _existing_file(path: str, lang: str) -> Path:
    """``path`` as a readable file, or :class:`_Refused` with the fix."""
    target = Path(path)
    if not target.exists():
        raise _Refused(_t("no_such_file", lang, path=path), _t("fix_path", lang))
    if target.is_dir():
        raise _Refused(_t("is_a_folder", lang, path=path), _t("fix_folder", lang))
    try:
        with target.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise _Refused(
            _t("not_readable", lang, path=path, reason=exc.strerror or exc),
            _t("fix_readable", lang),
        ) from None
    return target


def _existing(path: str, lang: str) -> Path:
    """``path`` as an existing file or folder (``import`` takes both)."""
    target = Path(path)
    if not target.exists():
        raise _Refused(_t("no_such_file", lang, path=path), _t("fix_path", lang))
    if target.is_file():
        return _existing_file(path, lang)
    if not os.access(target, os.R_OK | os.X_OK):
        raise _Refused(
            _t("not_readable", lang, path=path, reason="permission denied"),
            _t("fix_readable", lang),
        )
    return target


def _writable_place(path: Path, lang: str) -> None:
    """The nearest existing folder above ``path`` can be written to."""
    above = path.absolute().parent
    while not above.exists():
        above = above.parent
    if not above.is_dir():
        raise _Refused(
            _t("not_writable", lang, path=path, reason=f"{above} is a file"),
            _t("fix_writable", lang),
        )
    if not os.access(above, os.W_OK | os.X_OK):
        raise _Refused(
            _t("not_writable", lang, path=path, reason="permission denied"),
            _t("fix_writable", lang),
        )


def _out_folder(path: str, lang: str) -> Path:
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise _Refused(_t("out_is_file", lang, path=path), _t("fix_out_file", lang))
    if target.is_dir():
        if not os.access(target, os.W_OK | os.X_OK):
            raise _Refused(
                _t("not_writable", lang, path=path, reason="permission denied"),
                _t("fix_writable", lang),
            )
    else:
        _writable_place(target, lang)
    return target


def _out_file(path: str, lang: str) -> Path:
    target = Path(path)
    if target.is_dir():
        raise _Refused(_t("output_is_folder", lang, path=path), _t("fix_output_folder", lang))
    _writable_place(target, lang)
    return target


def _key(args: argparse.Namespace, lang: str) -> str | None:
    given = args.key if args.key is not None else os.environ.get("VCHUANG_KEY")
    if given is None:
        return None
    size = len(given.encode("utf-8", "surrogateescape"))
    if size < _MIN_KEY_BYTES:
        which = "key_short" if args.key is not None else "key_env_short"
        raise _Refused(_t(which, lang, n=size, min=_MIN_KEY_BYTES), _t("fix_key", lang))
    return given


def _threshold(lang: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            number = 0
        if number < 1 or not value.strip().isdigit():
            raise argparse.ArgumentTypeError(
                _t(
                    "with_fix",
                    lang,
                    message=_t("threshold_bad", lang, value=value),
                    fix=_t("fix_threshold", lang),
                )
            )
        return number

    parse.__name__ = "threshold"
    return parse


def _read_graph(path: Path | None, name: str, lang: str) -> CommunityGraph:
    """Load a graph; a bad document is :class:`_Refused` with the fix."""
    try:
        return load(path if path is not None else example_path())
    except FormatError as exc:
        first = exc.problems[0].render(lang) if exc.problems else str(exc)
        raise _Refused(
            _t("not_valid_doc", lang, name=name),
            f"{_t('fix_validate', lang, name=name)} ({first})",
        ) from None
    except _READ_ERRORS as exc:
        raise _Refused(_t("cannot_read", lang, name=name, reason=_reason(exc))) from None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


# ------------------------------------------------------------------ commands


def _cmd_validate(args: argparse.Namespace, lang: str) -> int:
    if args.file is None and not args.example:
        raise _UsageError(_t("needs_file", lang))
    name = _t("the_example", lang) if args.example or args.file is None else args.file
    path = None if args.example else _existing_file(args.file, lang)
    try:
        graph = load(path if path is not None else example_path())
    except FormatError as exc:
        count = len(exc.problems)
        which = "problem" if count == 1 else "problems"
        print(_t(which, lang, name=name, n=count), file=sys.stderr)
        for problem in exc.problems:
            print(problem.render(lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except _READ_ERRORS as exc:
        raise _Refused(_t("cannot_read", lang, name=name, reason=_reason(exc))) from None
    print(_t("valid", lang, name=name, kinds=_counts(graph.summary().counts, lang)))
    return EXIT_OK


def _cmd_summary(args: argparse.Namespace, lang: str) -> int:
    use_example = args.example or args.file is None
    name = _t("the_example", lang) if use_example else args.file
    path = None if use_example else _existing_file(args.file, lang)
    graph = _read_graph(path, name, lang)
    print(graph.summary().render(lang))
    return EXIT_OK


def _sections(given: str | None, lang: str) -> list[str] | None:
    """The names of ``--sections`` (separated by commas), each checked, or ``None``."""
    if given is None:
        return None
    from .kernel.checks import suggest
    from .report import DEFAULT_SECTIONS, OPTIONAL_SECTIONS

    allowed = ("default", *DEFAULT_SECTIONS, *OPTIONAL_SECTIONS)
    names = [name.strip() for name in given.split(",")]
    for name in names:
        if name not in allowed:
            near = suggest(name, allowed)
            fix = _t("report.section_near", lang, name=near) if near else ""
            listed = ", ".join(allowed)
            raise _Refused(_t("report.unknown_section", lang, name=name, allowed=listed), fix)
    return names


def _votes(given: list[str], lang: str) -> dict[str, Path]:
    """``--votes CALL=FILE`` (repeatable): each call's Pabulib file, each checked."""
    out: dict[str, Path] = {}
    for item in given:
        call, sep, file = item.partition("=")
        if not sep or not call.strip() or not file.strip():
            raise _Refused(_t("report.votes_form", lang, given=item), _t("report.votes_hint", lang))
        out[call.strip()] = _existing_file(file.strip(), lang)
    return out


def _cmd_report(args: argparse.Namespace, lang: str) -> int:
    # Every check first: nothing is analysed until every argument is usable.
    data = _existing_file(args.data, lang) if args.data is not None else None
    ledger_path = _existing_file(args.ledger, lang) if args.ledger is not None else None
    out = _out_folder(args.out, lang)
    key = _key(args, lang)
    sections = _sections(args.sections, lang)
    votes = _votes(args.votes or [], lang)
    if args.pdf:
        from .report import find_chromium

        if find_chromium() is None:
            raise _Refused(text("report.pdf.no_chromium", lang), text("report.pdf.hint", lang))
    name = args.data or _t("the_pilot", lang)
    ledger = None
    if data is None:
        from .datasets import longgang_ledger, longgang_pilot

        graph = longgang_pilot()
        if ledger_path is None:
            ledger = longgang_ledger(graph)
    else:
        graph = _read_graph(data, name, lang)
    if ledger_path is not None:
        from .funding import load_ledger

        try:
            ledger = load_ledger(ledger_path)
        except FormatError as exc:
            first = exc.problems[0].render(lang) if exc.problems else str(exc)
            raise _Refused(_t("not_valid_ledger", lang, name=args.ledger), first) from None
        except _READ_ERRORS as exc:
            raise _Refused(_t("cannot_read", lang, name=args.ledger, reason=_reason(exc))) from None
    from .report import build_report

    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    report = build_report(
        graph,
        out,
        lang=lang,
        ledger=ledger,
        key=key,
        threshold=args.threshold,
        progress=progress,
        reveal=args.internal,
        pdf=args.pdf,
        sections=sections,
        votes=votes,
    )
    print(_t("report_written", lang, name=name, index=report.index))
    if args.pdf:
        print(text("report.pdf.written", lang, path=report.out / "report.pdf"))
    if key is None:
        print(_t("report_fresh_key", lang))
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, lang: str) -> int:
    _existing(args.directory, lang)
    _out_file(args.output, lang)
    if args.base is not None:
        _existing_file(args.base, lang)
    if args.survey is not None:
        _existing_file(args.survey, lang)
    code, lines = import_command(
        args.directory,
        args.output,
        strict=not args.lenient,
        base=args.base,
        lang=lang,
        survey=args.survey,
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
    survey: str | Path | None = None,
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
    survey
        A survey mapping (TOML, :mod:`vchuang.io.surveys`) whose questionnaire export
        adds respondents, skills and ties to the tables' roster (``--survey``).

    Returns
    -------
    tuple
        The exit code — 0 all imported, 1 nothing written (problems, or a file that cannot
        be read), 3 (:data:`~vchuang.cli.EXIT_PARTIAL`) written without the rows listed — and the
        lines to print.

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
        return 1, [_t("import.base_unusable", lang, base=base, reason=exc)]
    try:
        report = read_tables(directory, strict=False, base=graph, lang=lang)
    except ValidationError as exc:  # pragma: no cover - no mapping is given here
        return 1, [str(exc)]
    lines = report.lines()
    graph_out, problems = report.graph, len(report.problems)
    if survey is not None:
        from .io.surveys import read_survey

        try:
            answers = read_survey(None, survey, base=report.graph, strict=False, lang=lang)
        except (FormatError, ValidationError) as exc:
            return 1, [*lines, str(exc)]
        lines += answers.lines()
        graph_out, problems = answers.graph, problems + len(answers.problems)
    if problems and strict:
        lines.append(_t("import.nothing_written", lang, output=output))
        return 1, lines
    target = Path(output)
    try:
        atomic_write_text(target, dumps(graph_out))
    except OSError as exc:
        return 1, [
            *lines,
            _t("import.cannot_write", lang, output=output, reason=exc.strerror or exc),
        ]
    kinds = _counts(graph_out.summary().counts, lang)
    lines = [line for line in lines if not line.startswith("imported:")]
    lines.append(_t("import.wrote", lang, name=target.name, kinds=kinds))
    if problems:
        n = problems
        which = "import.problems_one" if n == 1 else "import.problems_many"
        lines.append(_t(which, lang, n=n, name=target.name))
        return EXIT_PARTIAL, lines
    return 0, lines


def _cmd_schema(_args: argparse.Namespace, _lang: str) -> int:
    from .io.schema import schema_command

    print(schema_command())
    return EXIT_OK


class _UsageError(Exception):
    """A usage mistake found after parsing (exit code 2)."""


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The argument parser, its help in ``lang`` (exposed for the docs).

    >>> "用法" in build_parser("zh").format_help()
    True
    """

    def fmt(prog: str) -> argparse.HelpFormatter:
        formatter = _Formatter(prog)
        formatter.lang = lang
        return formatter

    def new(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        if isinstance(parser, _Parser):
            parser.lang = lang
        parser._positionals.title = _t("positionals", lang)
        parser._optionals.title = _t("options", lang)
        parser.add_argument("-h", "--help", action="help", help=_t("help", lang))
        return parser

    def lang_option(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--lang", choices=("en", "zh"), default=None, help=_t("lang", lang))

    parser = new(
        _Parser(
            prog="vchuang",
            description=_t("description", lang),
            formatter_class=fmt,
            add_help=False,
        )
    )
    parser.add_argument(
        "--version", action="version", version=f"vchuang {__version__}", help=_t("version", lang)
    )
    lang_option(parser)
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", title=_t("commands", lang), parser_class=_Parser
    )

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        made = sub.add_parser(
            name,
            help=_t(f"{name}.help", lang),
            description=_t(f"{name}.description", lang),
            formatter_class=fmt,
            add_help=False,
            **kwargs,
        )
        return new(made)

    validate = command("validate")
    validate.add_argument("file", nargs="?", help=_t("validate.file", lang))
    validate.add_argument("--example", action="store_true", help=_t("validate.example", lang))
    lang_option(validate)
    validate.set_defaults(func=_cmd_validate)

    report = command("report")
    report.add_argument("data", nargs="?", help=_t("report.data", lang))
    report.add_argument(
        "--out", default="vchuang-report", metavar="DIR", help=_t("report.out", lang)
    )
    lang_option(report)
    report.add_argument("--ledger", metavar="FILE", help=_t("report.ledger", lang))
    report.add_argument("--key", help=_t("report.key", lang))
    report.add_argument(
        "--threshold", type=_threshold(lang), default=5, help=_t("report.threshold", lang)
    )
    report.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_t("report.progress", lang),
    )
    report.add_argument("--internal", action="store_true", help=_t("report.internal", lang))
    report.add_argument("--pdf", action="store_true", help=_t("report.pdf", lang))
    report.add_argument("--sections", metavar="NAMES", help=_t("report.sections", lang))
    report.add_argument(
        "--votes", metavar="CALL=FILE", action="append", help=_t("report.votes", lang)
    )
    report.set_defaults(func=_cmd_report)

    imp = command("import")
    imp.add_argument("directory", help=_t("import.directory", lang))
    imp.add_argument("-o", "--output", required=True, help=_t("import.output", lang))
    imp.add_argument("--lenient", action="store_true", help=_t("import.lenient", lang))
    imp.add_argument("--base", metavar="JSON", help=_t("import.base", lang))
    imp.add_argument("--survey", metavar="MAPPING.toml", help=text("surveys.cli_help", lang))
    lang_option(imp)
    imp.set_defaults(func=_cmd_import)

    schema = command("schema")
    lang_option(schema)
    schema.set_defaults(func=_cmd_schema)

    summary = command("summary")
    summary.add_argument("file", nargs="?", help=_t("summary.file", lang))
    summary.add_argument("--example", action="store_true", help=_t("summary.example", lang))
    lang_option(summary)
    summary.set_defaults(func=_cmd_summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see the module's docs).

    >>> main(["report", "--threshold", "0"])
    2
    """
    args_in = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_of(args_in)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(args_in)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    lang = args.lang or lang
    prog = f"vchuang {args.command}"
    try:
        return int(args.func(args, lang))
    except _UsageError as exc:
        print(
            _t(
                "error",
                lang,
                prog=prog,
                message=_t(
                    "with_fix", lang, message=str(exc), fix=_t("usage_fix", lang, prog=prog)
                ),
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    except _Refused as exc:
        message = _t("with_fix", lang, message=exc.message, fix=exc.fix) if exc.fix else exc.message
        print(_t("error", lang, prog=prog, message=message), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ValidationError, FormatError) as exc:
        first = exc.problems[0].render(lang) if exc.problems else str(exc)
        print(_t("error", lang, prog=prog, message=first), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(_t("error", lang, prog=prog, message=_t("interrupted", lang)), file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
