"""Cells: how one cell of a spreadsheet becomes a date, a number, a yes/no, a list …

Every reader of tables (the graph import :func:`vchuang.io.tables.read_tables`, and the
ledger CSV :func:`vchuang.funding.read_csv`) reads cells the way people type them into Chinese Excel:

* text is folded first: full-width forms become ASCII (digits typed on a Chinese keyboard), and
  surrounding spaces go (:func:`clean`); a name or free text keeps its Chinese punctuation
  (:func:`clean_text`);
* dates are year first, ``2019-09-21``, ``2019/9/21``, ``2019.9.21``, ``2019年9月21日``
  or ``20190921``, with an optional time (:func:`parse_date`);
* numbers may carry a unit or a thousands separator: ``3小时``, ``8 hours``, ``1,200人``,
  or be written in Chinese numerals, ``三``, ``十二``, ``两``, ``半`` (0.5)
  (:func:`parse_int`, :func:`parse_number`); a year may be given as a date, ``05/03/1988``
  or ``1988年3月`` (:func:`parse_year`); money is in yuan, ``¥3,000`` or ``45.50元``,
  kept as whole fen (:func:`parse_money`);
* yes and no in either language, ``是`` / ``否``, ``√`` / ``×`` (:func:`parse_bool`);
* a skill level as ``1``–``4`` or a word, ``初级`` … ``专家`` (:func:`parse_level`);
* a value of an enumeration by its value, name, English or Chinese label, or a common
  Chinese word for it (``骨干`` is a :attr:`~vchuang.model.Role.TALENT`; :func:`parse_enum`);
* lists split on ``;`` ``,`` ``、`` ``|`` ``/`` or a line break, full-width or not
  (:func:`split_items`); themes by key or label (:func:`parse_themes`).

A cell that cannot be read raises :class:`~vchuang.errors.CellError` with a message and
a hint in English, and the keys of both in the text catalogue (``tables.cell.*``), so the
caller can say them in the user's language; the caller adds where the cell is (file, line,
column).

Examples
--------
>>> from vchuang.io.cells import parse_date, parse_money, parse_bool, split_items
>>> parse_date("2019年9月21日"), parse_money("¥3,000"), parse_bool("是")
(datetime.date(2019, 9, 21), 300000, True)
>>> split_items("摄影；演讲、 绘画")
['摄影', '演讲', '绘画']
>>> parse_date("21/09/2019")
Traceback (most recent call last):
...
vchuang.errors.CellError: not a date: '21/09/2019' (hint: write dates year first: 2019-09-21)
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import TypeVar

from ..errors import CellError, ValidationError
from ..kernel.money import parse_yuan
from ..kernel.text import has as _has
from ..kernel.text import text as _say
from ..model import (
    THEMES,
    ActivityKind,
    AgeBand,
    Level,
    OrgKind,
    Relation,
    ResourceKind,
    Role,
    Stage,
)

__all__ = [
    "CellError",
    "clean",
    "clean_text",
    "header_key",
    "is_full_date",
    "is_year_of_date",
    "parse_bool",
    "parse_date",
    "parse_enum",
    "parse_int",
    "parse_level",
    "parse_money",
    "parse_number",
    "parse_themes",
    "parse_year",
    "split_items",
]

E = TypeVar("E", bound=enum.Enum)

_SPLIT = re.compile(r"[;；,，、|/\n]+")
_UNITS = re.compile(r"(个小时|小时|hours?|hrs?|h|个人|人|名|个|元|块|¥|rmb|年|岁)$")
_DATE = re.compile(
    r"([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)


#: The most characters of a cell a message repeats (a cell may hold 100,000).
SHOWN_CHARS = 40


def _shown(text: str) -> str:
    """The cell's text as a message repeats it: stripped, and cut to
    :data:`SHOWN_CHARS` characters with ``…`` when longer."""
    value = text.strip()
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def _fill(fields: Mapping[str, object], lang: str) -> dict[str, object]:
    return {k: v(lang) if callable(v) else v for k, v in fields.items()}


def cell_error(*, key: str, hint_key: str | None = None, **fields: object) -> CellError:
    """A :class:`~vchuang.errors.CellError` whose message is the catalogue's entry ``key``
    and hint ``hint_key`` (none when None), in English, with the keys and ``fields`` kept
    so that :func:`cell_text` can say it in another language. A field may be a function of
    the language giving the text to put in.

    >>> err = cell_error(key="tables.cell.not_date", hint_key="tables.cell.hint_date", text="21/09/2019")
    >>> err.message, cell_text(err, "zh")[0]
    ("not a date: '21/09/2019'", '不是日期：“21/09/2019”')
    """
    en = _fill(fields, "en")
    return CellError(
        _say(key, "en", **en),
        _say(hint_key, "en", **en) if hint_key else "",
        key=key,
        hint_key=hint_key,
        fields=fields,
    )


def cell_text(error: CellError, lang: str = "en") -> tuple[str, str]:
    """The message and hint of ``error`` in ``lang``: the English ones as raised for
    ``"en"``, or when the error has no catalogue entry (then in English in every language).
    """
    if lang == "en" or error.key is None:
        return error.message, error.hint
    fields = _fill(error.fields, lang)
    message = _say(error.key, lang, **fields)
    hint = _say(error.hint_key, lang, **fields) if error.hint_key else error.hint
    return message, hint


def _the_cell(what: str) -> str | Callable[[str], str]:
    """``what`` as a field: the default "the cell" said in each language."""
    return (lambda lang: _say("tables.cell.the_cell", lang)) if what == "the cell" else what


def header_key(text: str) -> str:
    """A header or name as compared: full-width folded, case, spaces, ``_``, ``-``,
    ``*`` and ``:`` ignored.

    >>> header_key("Hours_per week") == header_key("\\uff28OURS-PER-WEEK")
    True
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s_\-*:]+", "", text)


def clean(text: str) -> str:
    """The cell's text with full-width forms folded (NFKC) and outer spaces removed."""
    return unicodedata.normalize("NFKC", text).strip()


def clean_text(text: str) -> str:
    """A name or free text as kept: outer spaces removed and NFKC-folded (full-width
    letters and digits, ideographic spaces), except punctuation, so that Chinese text keeps
    its ``，`` ``：`` ``（）`` ``……``.

    >>> clean_text(" 张浩\u3000"), clean_text("\\uff21\\uff22\\uff13"), clean_text("平南（东区）， 好")
    ('张浩', 'AB3', '平南（东区）， 好')
    """
    parts = _PUNCT_RUNS.split(text)
    folded = "".join(
        part if i % 2 else unicodedata.normalize("NFKC", part) for i, part in enumerate(parts)
    )
    return folded.strip()


_PUNCT_RUNS = re.compile(
    r"([\u2010-\u2027\u3001-\u303f\uff01-\uff0f\uff1a-\uff20"
    r"\uff3b-\uff40\uff5b-\uff65\ufe10-\ufe6f]+)"
)


def split_items(text: str) -> list[str]:
    """The items of a list cell, split on ``;`` ``,`` ``、`` ``|`` ``/`` or a line break
    (full-width or not); empty items are dropped."""
    return [x.strip() for x in _SPLIT.split(text) if x.strip()]


_DIGITS = {"零": 0, "\u3007": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip


def _chinese_number(text: str) -> str | None:
    """A number written in Chinese numerals (0 to 99, and ``半`` for a half) as digits,
    or None: ``三`` is ``3``, ``十二`` ``12``, ``二十`` ``20``, ``两`` ``2``, ``三十五``
    ``35``, ``半`` ``0.5``, ``三个半`` ``3.5``."""
    value = text.strip()
    half = value.endswith("半")
    value = value.removesuffix("半").removesuffix("个")
    if not value:
        return "0.5" if half else None
    if value in _DIGITS:
        n = _DIGITS[value]
    else:
        found = re.fullmatch(r"([一二两三四五六七八九]?)十([一二三四五六七八九]?)", value)
        if found is None or found.group(1) == "两":
            return None
        tens, units = found.groups()
        n = (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)
    return f"{n}.5" if half else str(n)


def _number_text(text: str) -> str:
    value = clean(text).casefold().lstrip("¥")
    value = _UNITS.sub("", value).strip()
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", value):
        value = value.replace(",", "")
    return _chinese_number(value) or value


def parse_int(text: str, what: str = "the cell") -> int:
    """A whole number, perhaps with a unit (``12人``) or thousands separators.

    ``what`` names the cell in the message (usually its header).

    >>> parse_int("1,200人"), parse_int("\\uff13"), parse_int("十二"), parse_int("两个")
    (1200, 3, 12, 2)
    """
    value = _number_text(text)
    if not re.fullmatch(r"[+-]?[0-9]{1,15}", value):
        raise cell_error(key="tables.cell.not_whole", what=_the_cell(what), text=_shown(text))
    return int(value)


def parse_number(text: str, what: str = "the cell") -> int | float:
    """A number >= 0, perhaps with a unit (``3.5小时``): an int when it is whole.

    >>> parse_number("3.5小时"), parse_number("8 hours"), parse_number("三个半小时")
    (3.5, 8, 3.5)
    """
    value = _number_text(text)
    if re.fullmatch(r"[0-9]{1,15}", value):
        return int(value)
    if len(value) > 40 or not re.fullmatch(r"([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]{1,3})?", value):
        raise cell_error(key="tables.cell.not_number", what=_the_cell(what), text=_shown(text))
    number = float(value)
    if not math.isfinite(number):
        raise cell_error(key="tables.cell.not_finite", what=_the_cell(what), text=_shown(text))
    return number


def parse_date(text: str) -> dt.date:
    """A date written year first (a time after it is ignored).

    >>> parse_date("2019/9/21"), parse_date("20190921 ")
    (datetime.date(2019, 9, 21), datetime.date(2019, 9, 21))
    """
    value = clean(text)
    found = _DATE.fullmatch(value) or re.fullmatch(r"([0-9]{4})([0-9]{2})([0-9]{2})", value)
    if found is None:
        raise cell_error(
            key="tables.cell.not_date", hint_key="tables.cell.hint_date", text=_shown(text)
        )
    year, month, day = (int(x) for x in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise cell_error(
            key="tables.cell.no_such_date",
            hint_key="tables.cell.hint_date",
            text=_shown(text),
            error=exc,
        ) from None


def is_full_date(text: str) -> bool:
    """Whether ``text`` is a date written out (``1984-05-03``, ``1984年5月3日``), as in a
    year column that was given a birth date."""
    return re.fullmatch(r"[0-9]{4}[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?", clean(text)) is not None


_YEAR_OF_DATE = (
    # year first: 1988-03-05, 1988/3/5, 1988.3.5, 1988年3月5日 (a time after it ignored)
    re.compile(
        r"([0-9]{4})[-/.年][0-9]{1,2}[-/.月][0-9]{1,2}日?(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
    ),
    # year last: 05/03/1988, 5-3-1988, 05.03.1988 (day and month order does not matter)
    re.compile(r"[0-9]{1,2}[-/.][0-9]{1,2}[-/.]([0-9]{4})"),
    # year and month: 1988-03, 1988/3, 1988年3月 (not 1988.3, which reads as a decimal)
    re.compile(r"([0-9]{4})(?:[-/][0-9]{1,2}|年[0-9]{1,2}月(?:份)?)"),
    re.compile(r"([0-9]{4})年(?:出生|生)?"),
)


def parse_year(text: str, what: str = "the cell") -> int:
    """A year: ``1988``, or the year of a date written in a year column (``05/03/1988``,
    ``1988-03-05``, ``1988年3月``); :func:`is_year_of_date` tells the two apart.

    >>> parse_year("1988"), parse_year("05/03/1988"), parse_year("1988年3月")
    (1988, 1988, 1988)
    """
    value = clean(text)
    for pattern in _YEAR_OF_DATE:
        found = pattern.fullmatch(value)
        if found is not None:
            return int(found.group(1))
    return parse_int(text, what)


def is_year_of_date(text: str) -> bool:
    """Whether ``text`` is a date (or year and month) rather than a bare year."""
    value = clean(text)
    return any(p.fullmatch(value) for p in _YEAR_OF_DATE[:3])


_MONEY = re.compile(r"(?:¥|rmb|cny)?\s*(.*?)\s*(?:块钱|块|元|圆|rmb|cny)?")


def parse_money(text: str) -> int:
    """An amount in yuan (``3000``, ``¥45.50``, ``3,000元``) as whole fen.

    The number is read by :func:`vchuang.kernel.money.parse_yuan`, the one money
    parser (so ``1e3`` and more than two decimals are refused here as in the ledger);
    this adds what a spreadsheet cell carries: full-width forms, ``RMB`` or ``CNY`` in
    any case, ``块`` / ``块钱``, small Chinese numerals (``两块``), and it refuses
    negative amounts.

    >>> parse_money("¥45.5"), parse_money("3,000元"), parse_money("rmb 80"), parse_money("两块")
    (4550, 300000, 8000, 200)
    >>> parse_money("1e3")
    Traceback (most recent call last):
    ...
    vchuang.errors.CellError: '1e3' is not an amount of yuan (hint: write digits with an optional ¥ or 元, e.g. 1234.50)
    """
    found = _MONEY.fullmatch(clean(text).casefold())
    value = found.group(1) if found else clean(text)
    try:
        fen = parse_yuan(_chinese_number(value) or value)
    except ValidationError as err:
        problem = err.problems[0]
        raise CellError(
            problem.message,
            problem.hint,
            key=problem.key,
            hint_key=problem.hint_key,
            fields=problem.fields,
        ) from None
    if fen < 0:
        raise cell_error(key="tables.cell.negative_amount", text=_shown(text))
    return fen


_TRUE = frozenset(("true", "yes", "y", "1", "是", "同意", "√", "✓", "有"))
_FALSE = frozenset(("false", "no", "n", "0", "否", "不同意", "×", "x", "无"))


def parse_bool(text: str) -> bool:
    """Yes or no: ``是`` / ``否``, ``yes`` / ``no``, ``1`` / ``0``, ``√`` / ``×`` …

    >>> parse_bool("同意"), parse_bool("No")
    (True, False)
    """
    value = header_key(text)
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise cell_error(
        key="tables.cell.not_bool", hint_key="tables.cell.hint_bool", text=_shown(text)
    )


_LEVEL_WORDS: Mapping[str, Level] = {
    **{header_key(w): Level.BASIC for w in ("basic", "初级", "入门", "一般", "会")},
    **{header_key(w): Level.INTERMEDIATE for w in ("intermediate", "中级", "熟练", "较好")},
    **{header_key(w): Level.ADVANCED for w in ("advanced", "高级", "精通", "很好")},
    **{header_key(w): Level.EXPERT for w in ("expert", "专家", "专业")},
}


def parse_level(text: str) -> Level:
    """A skill level: ``1``–``4`` or basic / intermediate / advanced / expert
    (初级 / 中级 / 高级 / 专家, and a few everyday words).

    >>> parse_level("3"), parse_level("精通")
    (<Level.ADVANCED: 3>, <Level.ADVANCED: 3>)
    """
    value = clean(text)
    if re.fullmatch(r"[1-4]", value):
        return Level(int(value))
    found = _LEVEL_WORDS.get(header_key(value))
    if found is None:
        raise cell_error(
            key="tables.cell.not_level", hint_key="tables.cell.hint_level", text=_shown(text)
        )
    return found


#: Everyday words for enumeration values, beyond their values and labels.
_ENUM_WORDS: Mapping[type[enum.Enum], Mapping[str, str]] = {
    Role: {
        "志愿者": "volunteer",
        "热心居民": "volunteer",
        "居民骨干": "talent",
        "骨干": "talent",
        "能人": "talent",
        "领袖": "leader",
        "社区领袖": "leader",
        "社工": "social_worker",
        "社会工作者": "social_worker",
        "工作人员": "staff",
        "职员": "staff",
    },
    Stage: {
        "进行中": "running",
        "已结束": "completed",
        "结束": "completed",
        "遴选": "seed_selection",
        "赋能": "empowerment",
        "培力": "empowerment",
        "终止": "dropped",
        "入选": "selected",
        "提交": "proposed",
    },
    ActivityKind: {
        "动员会": "mobilisation",
        "征选会": "selection_meeting",
        "例会": "volunteer_meeting",
        "宣传": "outreach",
        "讲座": "training",
        "服务": "service",
        "其他": "other",
        "other activity": "other",
    },
    OrgKind: {
        "社创中心": "hub",
        "社会组织": "social_organisation",
        "政府": "government",
        "基金": "fund",
        "公司": "company",
        "其他": "other",
        "organisation": "other",
    },
    ResourceKind: {"钱": "money", "经费": "money", "专家": "expertise", "伙伴": "partner"},
    AgeBand: {
        "老人": "elder",
        "老年人": "elder",
        "小孩": "child",
        "少儿": "child",
        "少年": "teen",
        "成年": "adult",
        "成年人": "adult",
    },
    Relation: {"朋友": "knows", "邻居": "knows", "熟人": "knows", "好友": "knows"},
}


@functools.cache
def _enum_lookup(cls: type[enum.Enum]) -> Mapping[str, enum.Enum]:
    out: dict[str, enum.Enum] = {}
    for m in cls:
        names = [str(m.value), m.name]
        label = getattr(m, "label", None)
        if callable(label):
            names += [label("en"), label("zh")]
        for n in names:
            out.setdefault(header_key(n), m)
    for word, value in _ENUM_WORDS.get(cls, {}).items():
        out.setdefault(header_key(word), cls(value))
    return out


def parse_enum(cls: type[E], text: str) -> E:
    """The member of ``cls`` a cell names: by value, name, English or Chinese label, or
    an everyday word (``骨干`` is :attr:`~vchuang.model.Role.TALENT`).

    >>> from vchuang.model import Role
    >>> parse_enum(Role, "骨干"), parse_enum(Role, "Volunteer")
    (<Role.TALENT: 'talent'>, <Role.VOLUNTEER: 'volunteer'>)
    """
    found = _enum_lookup(cls).get(header_key(text))
    if found is None:
        name = cls.__name__

        def kind(lang: str) -> str:
            key = f"tables.enum.{name}"
            return _say(key, lang) if _has(key) else name

        raise cell_error(
            key="tables.cell.not_enum",
            hint_key="tables.cell.hint_enum",
            text=_shown(text),
            kind=kind,
            allowed=", ".join(str(m.value) for m in cls),
        )
    return found  # type: ignore[return-value]  # the lookup of cls holds members of cls


@functools.cache
def _theme_lookup() -> Mapping[str, str]:
    out: dict[str, str] = {}
    for key, (en, zh) in THEMES.items():
        for name in (key, en, zh):
            out.setdefault(header_key(name), key)
    return out


def parse_themes(text: str) -> tuple[str, ...]:
    """The themes a cell lists, each by key, English or Chinese label (a theme not in
    :data:`~vchuang.model.THEMES` is kept as written); each once, in order.

    >>> parse_themes("高空抛物；high-altitude throwing")
    ('high_altitude_throwing',)
    """
    lookup = _theme_lookup()
    themes: list[str] = []
    for item in split_items(text):
        theme = lookup.get(header_key(item), clean(item))
        if theme not in themes:
            themes.append(theme)
    return tuple(themes)
