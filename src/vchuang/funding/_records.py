"""Records of the funding ledger: accounts, entries and money in fen (private).

The public names are re-exported by :mod:`vchuang.funding`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs

from .. import _validators as v
from ..kernel.money import format_fen, parse_yuan

__all__ = [
    "Account",
    "AccountKind",
    "Entry",
    "EntryKind",
    "format_yuan",
    "yuan",
]


# --------------------------------------------------------------------------- money


def yuan(amount: str | Decimal | int) -> int:
    """Fen (分) from an amount in yuan (元), exactly: :func:`vchuang.kernel.parse_yuan`.

    Parameters
    ----------
    amount : str, Decimal or int
        Yuan as text (``"12.50"``, ``"1,234.5"``, ``"¥80"``, ``"80元"``), a
        :class:`~decimal.Decimal` or a whole number. At most two decimal places (one
        fen). A float is refused: money is never kept as a float.

    Returns
    -------
    int
        The amount in fen (1 yuan = 100 fen); negative when ``amount`` is.

    Raises
    ------
    ValidationError
        The amount is a float, is not money as a person writes it (an exponent such as
        ``1E3`` or a misplaced comma is refused), or has a fraction of a fen.

    See Also
    --------
    vchuang.kernel.parse_yuan : the one money parser this names for funding.
    format_yuan : the inverse.

    Examples
    --------
    >>> yuan("12.5"), yuan("¥1,234.56"), yuan(3)
    (1250, 123456, 300)
    >>> yuan("0.125")
    Traceback (most recent call last):
    ...
    vchuang.errors.ValidationError: amount: '0.125' is not a whole number of fen (hint: give at most two decimal places)
    """
    return parse_yuan(amount)


def format_yuan(fen: int, *, symbol: bool = False) -> str:
    """Yuan with two decimals from fen, exactly: :func:`vchuang.kernel.format_fen`.

    Parameters
    ----------
    fen : int
        An amount in fen.
    symbol : bool, default False
        Prefix ``¥`` and group thousands with commas (for people); without it the text
        is plain (``1234.50``) so that spreadsheets read it as a number.

    Returns
    -------
    str

    See Also
    --------
    vchuang.kernel.format_fen : the one money formatter (it also writes ``元`` for
        Chinese readers).
    yuan : the inverse.

    Examples
    --------
    >>> format_yuan(123450), format_yuan(-5), format_yuan(123450, symbol=True)
    ('1234.50', '-0.05', '¥1,234.50')
    """
    return format_fen(fen, symbol=symbol)


# --------------------------------------------------------------------------- kinds


class AccountKind(enum.Enum):
    """What an :class:`Account` stands for."""

    DISTRICT_FUND = "district_fund"
    """The district charity fund (区级公益基金), e.g. Longgang's social-innovation fund."""
    STREET_BRANCH = "street_branch"
    """A street branch (街道分部) of the district fund."""
    MICRO_FUND = "micro_fund"
    """A community's micro-fund (社区微基金)."""
    PROJECT = "project"
    """A self-governance project's money (项目经费)."""
    OUTSIDE = "outside"
    """A party outside the funds: a donor, a company, a resident who advanced money, a
    supplier. Outside accounts may go below zero (they give more than they receive)."""
    EXPENSE = "expense"
    """Money spent on goods and services (支出科目), e.g. printing or venue hire."""

    def label(self, lang: str = "en") -> str:
        """The kind's label in ``lang`` (``"en"`` or ``"zh"``).

        >>> AccountKind.MICRO_FUND.label("zh")
        '社区微基金'
        """
        if lang == "zh":
            return _ACCOUNT_ZH[self]
        return self.value.replace("_", " ")

    @property
    def is_fund(self) -> bool:
        """Whether this is a fund (district fund, street branch or micro-fund)."""
        return self in FUND_KINDS

    @property
    def internal(self) -> bool:
        """Whether money here is still held inside the funds and projects."""
        return self in INTERNAL_KINDS


_ACCOUNT_ZH = {
    AccountKind.DISTRICT_FUND: "区级公益基金",
    AccountKind.STREET_BRANCH: "街道分部",
    AccountKind.MICRO_FUND: "社区微基金",
    AccountKind.PROJECT: "项目",
    AccountKind.OUTSIDE: "外部单位或个人",
    AccountKind.EXPENSE: "支出科目",
}

FUND_KINDS = frozenset(
    {AccountKind.DISTRICT_FUND, AccountKind.STREET_BRANCH, AccountKind.MICRO_FUND}
)
INTERNAL_KINDS = FUND_KINDS | {AccountKind.PROJECT}


class EntryKind(enum.Enum):
    """What an :class:`Entry` records. Every entry but an approval moves money from its
    ``source`` account to its ``target`` account."""

    DONATION = "donation"
    """捐赠: an outside party gives money to a fund or a project."""
    GRANT = "grant"
    """资助拨款: a fund pays a project in advance, against an approved grant line."""
    TRANSFER = "transfer"
    """划拨: money moves between funds and projects (e.g. district fund to a street
    branch, or a project returning what it did not spend)."""
    EXPENSE = "expense"
    """支出: a fund or project pays for goods or services; needs a receipt."""
    REIMBURSEMENT = "reimbursement"
    """报销: a fund pays back what was spent for a project, against receipts and an
    approved grant line."""
    APPROVAL = "approval"
    """经费批复: a fund approves a grant line for a project. Moves no money; grants and
    reimbursements on the line may not exceed it."""
    REVERSAL = "reversal"
    """冲销: undoes an earlier entry by the opposite movement (entries are never edited)."""

    def label(self, lang: str = "en") -> str:
        """The kind's label in ``lang`` (``"en"`` or ``"zh"``).

        >>> EntryKind.REIMBURSEMENT.label("zh")
        '报销'
        """
        return _ENTRY_ZH[self] if lang == "zh" else self.value

    @property
    def moves_money(self) -> bool:
        """Whether the entry changes balances (all kinds but approvals)."""
        return self is not EntryKind.APPROVAL


_ENTRY_ZH = {
    EntryKind.DONATION: "捐赠",
    EntryKind.GRANT: "资助拨款",
    EntryKind.TRANSFER: "划拨",
    EntryKind.EXPENSE: "支出",
    EntryKind.REIMBURSEMENT: "报销",
    EntryKind.APPROVAL: "经费批复",
    EntryKind.REVERSAL: "冲销",
}

#: For each kind of entry (but reversals): the kinds of account it may take money from
#: and give money to.
KIND_RULES: Mapping[EntryKind, tuple[frozenset[AccountKind], frozenset[AccountKind]]] = {
    EntryKind.DONATION: (frozenset({AccountKind.OUTSIDE}), INTERNAL_KINDS),
    EntryKind.GRANT: (FUND_KINDS, frozenset({AccountKind.PROJECT})),
    EntryKind.TRANSFER: (INTERNAL_KINDS, INTERNAL_KINDS),
    EntryKind.EXPENSE: (INTERNAL_KINDS, frozenset({AccountKind.EXPENSE, AccountKind.OUTSIDE})),
    EntryKind.REIMBURSEMENT: (
        FUND_KINDS,
        frozenset({AccountKind.PROJECT, AccountKind.OUTSIDE, AccountKind.EXPENSE}),
    ),
    EntryKind.APPROVAL: (FUND_KINDS, frozenset({AccountKind.PROJECT})),
}


# --------------------------------------------------------------------------- records


def _default_negative(self: Account) -> bool:
    return self.kind is AccountKind.OUTSIDE


def _bool(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise v.fail(attribute, f"must be True or False, got {value!r}")


def _account_kind(value: AccountKind | str) -> AccountKind:
    return v.enum_value(AccountKind, value, "kind")


def _entry_kind(value: EntryKind | str) -> EntryKind:
    return v.enum_value(EntryKind, value, "kind")


@attrs.frozen(kw_only=True)
class Account:
    """An account of the ledger: a fund, a project, an outside party or an expense.

    Parameters
    ----------
    id : str
        The account's ID; :meth:`Ledger.from_graph` uses the owner's graph ID.
    name : str
        Display name (English or Chinese).
    kind : AccountKind
        What the account stands for (a string value such as ``"micro_fund"`` is
        accepted).
    name_zh : str, optional
        Chinese name.
    owner : str, optional
        The graph entity the account belongs to: a fund
        :class:`~vchuang.model.Organization` (``org_kind=OrgKind.FUND``) for a fund, a
        :class:`~vchuang.model.Project` for a project, any entity (or none) for an
        outside party. Checked by :meth:`Ledger.check`.
    parent : str, optional
        The account this one sits under: a street branch under the district fund, a
        micro-fund under its branch, a project under its micro-fund. Reports can roll
        children up into their parent.
    may_go_negative : bool, optional
        Whether the balance may fall below zero; by default only outside accounts may.

    Examples
    --------
    >>> Account(id="mf-pingnan", name="Pingnan micro-fund", kind="micro_fund").may_go_negative
    False
    >>> Account(id="donors", name="Residents", kind=AccountKind.OUTSIDE).may_go_negative
    True
    """

    id: str = attrs.field(validator=v.entity_id)
    name: str = attrs.field(validator=v.name)
    kind: AccountKind = attrs.field(converter=_account_kind)
    name_zh: str = attrs.field(default="", validator=v.text)
    owner: str | None = attrs.field(default=None, validator=v.optional_id)
    parent: str | None = attrs.field(default=None, validator=v.optional_id)
    may_go_negative: bool = attrs.field(
        default=attrs.Factory(_default_negative, takes_self=True), validator=_bool
    )

    def display(self, lang: str = "en") -> str:
        """The account's name in ``lang`` (the Chinese name when asked and known)."""
        return self.name_zh if lang == "zh" and self.name_zh else self.name


def _amount(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise v.fail(
            attribute,
            f"must be a whole number of fen (1 yuan = 100 fen), got {value!r}",
            "money is kept in integer fen, never as a float; yuan('12.50') converts",
        )
    if value <= 0:
        raise v.fail(
            attribute,
            f"must be > 0 fen, got {value}",
            "give the amount as positive; money moves from `source` to `target`",
        )


def _date(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise v.fail(attribute, f"must be a datetime.date, got {value!r}")


def _tags(value: Iterable[str]) -> tuple[str, ...]:
    return v.to_tuple(value)


def _valid_tags(inst: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    v.ids(inst, attribute, value)
    for tag in value:
        if ";" in tag:
            raise v.fail(attribute, f"tag {tag!r} contains ';'", "';' separates tags in CSV")


@attrs.frozen(kw_only=True)
class Entry:
    """One entry of the ledger: ``amount_fen`` moves from ``source`` to ``target`` on
    ``date`` (an approval moves nothing; it records a commitment).

    Entries are immutable; the ledger never edits or deletes one. A mistake is undone
    by a :attr:`EntryKind.REVERSAL` entry (:meth:`Ledger.reverse`).

    Parameters
    ----------
    id : str
        Unique within the ledger.
    date : datetime.date
        The day the money moved (or the approval was given).
    kind : EntryKind
        What the entry records (a string value such as ``"donation"`` is accepted).
    source, target : str
        Account IDs: money flows from ``source`` to ``target``.
    amount_fen : int
        The amount in fen (> 0).
    line : str, optional
        The grant line (e.g. ``"incubation-2019"``); required for approvals, grants
        and reimbursements.
    project : str, optional
        The project account the entry is for, when neither side is that project (a
        reimbursement paid to a resident for a project, a donation earmarked for a
        project). Filled in by the ledger when one side is a project.
    receipt : str, optional
        The receipt (发票 / 收据) reference; required for expenses and reimbursements.
    memo : str, optional
        Free text.
    tags : tuple of str, optional
        Labels for reports, e.g. a theme (``"anti_fraud"``); no ``;`` in a tag.
    reverses : str, optional
        For a reversal: the ID of the entry it undoes.
    """

    id: str = attrs.field(validator=v.entity_id)
    date: dt.date = attrs.field(validator=_date)
    kind: EntryKind = attrs.field(converter=_entry_kind)
    source: str = attrs.field(validator=v.entity_id)
    target: str = attrs.field(validator=v.entity_id)
    amount_fen: int = attrs.field(validator=_amount)
    line: str | None = attrs.field(default=None, validator=v.optional_id)
    project: str | None = attrs.field(default=None, validator=v.optional_id)
    receipt: str = attrs.field(default="", validator=v.text)
    memo: str = attrs.field(default="", validator=v.text)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tags, validator=_valid_tags)
    reverses: str | None = attrs.field(default=None, validator=v.optional_id)
