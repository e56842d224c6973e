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
    key: str | None = attrs.field(default=None, kw_only=True, eq=False)
    """The text catalogue's entry (:mod:`vchuang.kernel.text`) that ``message`` is the
    English of, or ``None`` when the message has no entry (it is then shown as it is)."""
    hint_key: str | None = attrs.field(default=None, kw_only=True, eq=False)
    """The catalogue's entry for ``hint``, or ``None``."""
    path_key: str | None = attrs.field(default=None, kw_only=True, eq=False)
    """The catalogue's entry for ``path``, when the place is said in words (``$ (line 2,
    column 5)``), or ``None`` (a JSON path, an ID, a file name: the same in every language)."""
    fields: Mapping[str, object] = attrs.field(factory=dict, kw_only=True, eq=False)
    """The values of the entries' ``{fields}``; a value may be a function of the language
    (``"en"`` or ``"zh"``) giving the text to put in."""

    @classmethod
    def said(
        cls,
        path: str,
        key: str,
        hint_key: str | None = None,
        *,
        path_key: str | None = None,
        **fields: object,
    ) -> Problem:
        """A problem whose message (and hint, and path) are catalogue entries: the English
        text is filled in, and the keys and ``fields`` are kept so that :meth:`render`
        can say it in another language.

        >>> p = Problem.said("$.base_taxonomy", "model.doc.bad_base", got="x")
        >>> print(p)
        $.base_taxonomy: must be 'default' or 'none', got 'x'
        """
        from ._catalogue import lookup as text

        en = _filled(fields, "en")
        return cls(
            text(path_key, "en", **en) if path_key else path,
            text(key, "en", **en),
            text(hint_key, "en", **en) if hint_key else "",
            key=key,
            hint_key=hint_key,
            path_key=path_key,
            fields=fields,
        )

    def message_in(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"zh"``); as written when it has no
        catalogue entry."""
        lang = _checked(lang)
        if lang == "en" or self.key is None:
            return self.message
        from ._catalogue import lookup as text

        return text(self.key, lang, **_filled(self.fields, lang))

    def hint_in(self, lang: str = "en") -> str:
        """The hint in ``lang``; as written when it has no catalogue entry."""
        lang = _checked(lang)
        if lang == "en" or self.hint_key is None:
            return self.hint
        from ._catalogue import lookup as text

        return text(self.hint_key, lang, **_filled(self.fields, lang))

    def path_in(self, lang: str = "en") -> str:
        """The place in ``lang``; as written when it has no catalogue entry."""
        lang = _checked(lang)
        if lang == "en" or self.path_key is None:
            return self.path
        from ._catalogue import lookup as text

        return text(self.path_key, lang, **_filled(self.fields, lang))

    def render(self, lang: str = "en") -> str:
        """The problem as one line in ``lang``: ``str(problem)`` for ``"en"``.

        >>> p = Problem.said("$.base_taxonomy", "model.doc.bad_base", got="x")
        >>> p.render("zh")
        "$.base_taxonomy：应为 'default' 或 'none'，实际是 'x'"
        """
        lang = _checked(lang)
        if lang == "en":
            return str(self)
        from ._catalogue import lookup as text

        path, message, hint = self.path_in(lang), self.message_in(lang), self.hint_in(lang)
        line = text("common.problem.at", lang, path=path, message=message) if path else message
        return text("common.problem.hint", lang, line=line, hint=hint) if hint else line

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{text} (hint: {self.hint})" if self.hint else text


def _filled(fields: Mapping[str, object], lang: str) -> dict[str, object]:
    """``fields`` with each function of the language called for ``lang``."""
    return {k: v(lang) if callable(v) else v for k, v in fields.items()}


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

    def render(self, lang: str = "en") -> str:
        """The error's text in ``lang`` (``"en"`` or ``"zh"``): ``str(error)`` for ``"en"``;
        each problem as :meth:`Problem.render` says it."""
        lang = _checked(lang)
        if lang == "en":
            return self._render()
        from ._catalogue import lookup as text

        if len(self.problems) == 1:
            return self.problems[0].render(lang)
        lines = [text("common.problem.count", lang, n=len(self.problems))]
        lines += [f"  {p.render(lang)}" for p in self.problems]
        return "\n".join(lines)


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


def _checked(lang: str) -> str:
    """``lang`` when it is ``"en"`` or ``"zh"``; otherwise a clear error."""
    if lang in ("en", "zh"):
        return lang
    raise ValidationError(
        [Problem("lang", f"must be 'en' or 'zh', got {lang!r}", "write lang='zh' for Chinese")]
    )
