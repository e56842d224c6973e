"""The errors vchuang raises.

Every error is a :class:`VchuangError`; each subclass also inherits the built-in
exception it refines, so ``except ValueError`` keeps working for code that does not
know vchuang. Errors that come from bad input carry every :class:`Problem` found, each
naming the place (an entity ID, a JSON path, a CSV line) and, where one exists, the fix.

Examples
--------
>>> from vchuang.errors import FormatError, Problem
>>> err = FormatError([Problem("$.residents[0].hours_per_week", "must be >= 0, got -2",
...                            "give the weekly hours the resident can offer, or 0")])
>>> print(err)
$.residents[0].hours_per_week: must be >= 0, got -2 (hint: give the weekly hours the resident can offer, or 0)
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

__all__ = [
    "CJKFontWarning",
    "CellError",
    "FormatError",
    "IntegrityError",
    "MissingDependencyError",
    "Problem",
    "UnknownEntityError",
    "ValidationError",
    "VchuangError",
]


@attrs.frozen(kw_only=False)
class Problem:
    """One thing wrong with some input, and where.

    Parameters
    ----------
    path
        Where the problem is: a JSON path (``$.residents[3].community``), an entity and
        field (``resident 'r1' .community``), or a file and line (``people.csv:7``).
    message
        What is wrong.
    hint
        How to fix it; empty when there is nothing useful to say.
    """

    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{text} (hint: {self.hint})" if self.hint else text


class VchuangError(Exception):
    """Base class of every error vchuang raises on purpose."""


class _ProblemsError(VchuangError):
    """An error carrying a list of :class:`Problem` (internal base)."""

    what = "the input"

    def __init__(self, problems: Iterable[Problem] | str, hint: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems, hint)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        n = len(self.problems)
        if n == 1:
            return str(self.problems[0])
        lines = [f"{n} problem{'s' if n != 1 else ''} in {self.what}:"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self._render()


class ValidationError(_ProblemsError, ValueError):
    """A record or argument has a value it cannot take (negative hours, empty ID …)."""

    what = "the record"


class IntegrityError(_ProblemsError, ValueError):
    """A change would break the graph: a dangling reference, a duplicate ID, a
    relation between the wrong kinds of entity. Nothing of the change is applied."""

    what = "the graph change"


class FormatError(_ProblemsError, ValueError):
    """A document (JSON, CSV, XLSX, ``.pb``) cannot be read. Carries every problem
    found, each with its JSON path or file line; nothing is half-loaded."""

    what = "the document"


class CellError(FormatError):
    """One cell of a table cannot be read (``"21/09/2019"`` as a date, ``"19x6"`` as a
    year). ``message`` says what is wrong and ``hint`` how to write it, in English; ``key``,
    ``hint_key`` and ``fields`` name the same texts in the text catalogue
    (:mod:`vchuang.kernel.text`), so that a reader can say them in the user's language.
    Whoever reads the table adds the file, line and column (:mod:`vchuang.io.cells`).

    Examples
    --------
    >>> err = CellError("not a date: '21/09/2019'", "write dates year first: 2019-09-21")
    >>> err.message, err.hint
    ("not a date: '21/09/2019'", 'write dates year first: 2019-09-21')
    >>> isinstance(err, FormatError) and isinstance(err, ValueError)
    True
    """

    what = "the cell"

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        key: str | None = None,
        hint_key: str | None = None,
        fields: Mapping[str, object] | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        # The text catalogue's entry for the message (``"tables.cell.not_date"``), and for
        # the hint, or None when the text is English only; ``message`` and ``hint`` are
        # always the English text.
        self.key = key
        self.hint_key = hint_key
        # The values of the entries' ``{fields}``; a value may be a function of the
        # language (``"en"`` or ``"zh"``) giving the text to put in.
        self.fields: Mapping[str, object] = dict(fields or {})
        super().__init__([Problem("", message, hint)])


class UnknownEntityError(VchuangError, KeyError):
    """No entity with this ID is in the graph."""

    def __init__(self, entity_id: str, suggestion: str | None = None) -> None:
        self.entity_id = entity_id
        self.suggestion = suggestion
        super().__init__(entity_id)

    def __str__(self) -> str:
        text = f"no entity with ID {self.entity_id!r} in the graph"
        if self.suggestion:
            text += f"; did you mean {self.suggestion!r}?"
        return text


class MissingDependencyError(VchuangError, ImportError):
    """An optional dependency is needed for this feature; the message says which
    extra to install."""

    def __init__(self, package: str, extra: str, feature: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package {package!r}; "
            f"install it with: pip install 'vchuang[{extra}]'"
        )


class CJKFontWarning(UserWarning):
    """No font able to show Chinese was found; figure labels fall back to English.

    ``pip install 'vchuang[zh]'`` brings one (Noto Sans SC); so does a system font
    such as Debian's ``fonts-noto-cjk``.
    """
