"""Money: yuan (元) as people write it, integer fen (分) inside, one printed style.

Money is never a float. :func:`parse_yuan` reads what a bookkeeper writes -- ``12.50``,
``¥1,234.50``, ``１２３元``, ``1 234,00`` is *not* accepted (a comma is only a thousands
separator) -- and refuses exponents (``1E3``), digits of other scripts (``١٢``), more than
two decimal places and absurdly long numbers. :func:`format_fen` is its inverse.

Examples
--------
>>> parse_yuan("¥1,234.5"), parse_yuan("１２元"), parse_yuan(3)
(123450, 1200, 300)
>>> format_fen(123450), format_fen(123450, symbol=True), format_fen(-5)
('1234.50', '¥1,234.50', '-0.05')
>>> format_fen(123450, lang="zh", symbol=True)
'1,234.50 元'
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import Problem, ValidationError

__all__ = ["MAX_MONEY_DIGITS", "format_fen", "parse_yuan"]

#: The longest whole part accepted, in digits (a trillion yuan is 13 digits).
MAX_MONEY_DIGITS = 15

#: Full-width digits and signs (U+FF10-FF19 and the full stop, comma, minus and plus) as a Chinese keyboard types them.
_FULL_WIDTH = str.maketrans(
    {chr(0xFF10 + d): str(d) for d in range(10)}
    | {"\uff0e": ".", "\uff0c": ",", "\uff0d": "-", "\uff0b": "+"}
)
_AMOUNT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|[+-]?\.[0-9]+")
_SYMBOLS = ("¥", "￥", "RMB", "CNY", "元", "圆")


def _fail(where: str, message: str, hint: str) -> ValidationError:
    return ValidationError([Problem(where, message, hint)])


def parse_yuan(amount: str | Decimal | int, *, where: str = "amount") -> int:
    """Fen from an amount in yuan, exactly.

    Parameters
    ----------
    amount : str, Decimal or int
        Yuan as text (``"12.50"``, ``"¥1,234.5"``, ``"80元"``, full-width digits), a
        finite :class:`~decimal.Decimal` or a whole number of yuan. At most two decimal
        places. A float or a bool is refused.
    where : str, default "amount"
        The place named in an error (a JSON path, ``file.csv:7 (金额)``).

    Returns
    -------
    int
        The amount in fen (1 yuan = 100 fen), negative when ``amount`` is.

    Raises
    ------
    ValidationError
        The amount is not money as a person writes it; the problem names ``where``.

    See Also
    --------
    format_fen : the inverse.

    Examples
    --------
    >>> parse_yuan("0.125")
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: amount: '0.125' is not a whole number of fen (hint: give at most two decimal places)
    >>> parse_yuan("1E3")
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: amount: '1E3' is not an amount of yuan (hint: write digits with an optional ¥ or 元, e.g. 1234.50)
    """
    if isinstance(amount, bool) or not isinstance(amount, str | Decimal | int):
        raise _fail(
            where,
            f"must be yuan as text, a Decimal or an int, got {type(amount).__name__}",
            "money is never a float: write '12.50' or give fen as an int",
        )
    if isinstance(amount, str):
        text = amount.strip().translate(_FULL_WIDTH)
        for symbol in _SYMBOLS:
            text = text.replace(symbol, "")
        text = text.strip()
        if (
            len(text) > MAX_MONEY_DIGITS + 8
            or not text.isascii()
            or _AMOUNT.fullmatch(text) is None
        ):
            raise ValidationError(
                [
                    Problem.said(
                        where,
                        "common.money.not_amount",
                        "common.money.hint_digits",
                        amount=amount[:40],
                    )
                ]
            )
        value = Decimal(text.replace(",", ""))
    elif isinstance(amount, int):
        value = Decimal(amount)
    else:
        if not amount.is_finite():
            raise ValidationError(
                [
                    Problem.said(
                        where, "common.money.not_finite", "common.money.hint_yuan", amount=amount
                    )
                ]
            )
        value = amount
    if value.adjusted() >= MAX_MONEY_DIGITS:
        raise ValidationError(
            [
                Problem.said(
                    where,
                    "common.money.too_large",
                    "common.money.hint_digits_max",
                    amount=str(amount)[:40],
                    max=MAX_MONEY_DIGITS,
                )
            ]
        )
    fen = value.scaleb(2)
    if fen != fen.to_integral_value():
        raise ValidationError(
            [
                Problem.said(
                    where, "common.money.not_fen", "common.money.hint_decimals", amount=amount
                )
            ]
        )
    return int(fen)


def format_fen(fen: int, *, symbol: bool = False, lang: str = "en") -> str:
    """An amount in fen as yuan with two decimals, exactly (the inverse of :func:`parse_yuan`).

    Parameters
    ----------
    fen : int
        An amount in fen.
    symbol : bool, default False
        For people: group thousands and mark the currency (``¥1,234.50`` in English,
        ``1,234.50 元`` in Chinese). Without it the text is plain (``1234.50``), so that a
        spreadsheet reads it as a number.
    lang : {"en", "zh"}, default "en"
        The language of the currency mark when ``symbol`` is true.

    Returns
    -------
    str

    See Also
    --------
    parse_yuan : the inverse.
    """
    if isinstance(fen, bool) or not isinstance(fen, int):
        error = _fail("fen", f"must be an int, got {type(fen).__name__}", "money is kept in fen")
        raise error
    value = Decimal(fen).scaleb(-2)
    if not symbol:
        return f"{value:.2f}"
    if lang == "zh":
        return f"{value:,.2f} 元"
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"
