"""Will the money last? Burn rate, runway and the chance of running dry (private).

The public names are re-exported by :mod:`vchuang.funding`.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
import zlib
from collections.abc import Collection, Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np

from .._optional import require
from .._rng import RNGLike, as_generator
from ..errors import Problem, ValidationError
from ..kernel.checks import check_choice, check_jobs, check_number, check_whole
from ..kernel.display import SHOWN, html_table, preview
from ..kernel.plotting import plot
from ..kernel.progress import progress_bar
from ..kernel.renames import UNSET, renamed
from ..kernel.said import Said, said_in
from ._ledger import Ledger
from ._records import AccountKind, Entry, EntryKind, format_yuan

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["ProjectOutlook", "Sustainability", "ruin_curve", "sustainability"]

Model = Literal["bootstrap", "compound_poisson"]
_MODELS = ("bootstrap", "compound_poisson")
_SPENT = frozenset({AccountKind.EXPENSE, AccountKind.OUTSIDE})


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _fmt(fen: float) -> str:
    return format_yuan(round(fen), symbol=True)


# --------------------------------------------------------------------------- model


#: Runs per block of work sent to a worker (fixed, so blocks never depend on n_jobs).
_BLOCK = 4096


def _map(
    fn: Any, tasks: Sequence[tuple[Any, ...]], *, n_jobs: int, progress: bool, desc: str
) -> list[Any]:
    """``[fn(*t) for t in tasks]``, in this process or through joblib; same order."""
    bar = progress_bar(progress, len(tasks), desc)
    if n_jobs == 1:
        results: Iterable[Any] = (fn(*t) for t in tasks)
    else:
        joblib = require("joblib", extra="parallel", feature="parallel runs (n_jobs != 1)")
        par = joblib.Parallel(n_jobs=n_jobs, return_as="generator")
        results = par(joblib.delayed(fn)(*t) for t in tasks)
    out: list[Any] = []
    try:
        for item in results:
            out.append(item)
            bar.update(1)
    finally:
        bar.close()
    return out


def _dry_counts(cash0: int, flows: np.ndarray) -> np.ndarray:
    """For a block of runs (columns): how many had run dry by each month."""
    cash = cash0 + np.cumsum(flows, axis=0)
    dry = np.minimum.accumulate(cash, axis=0) < 0
    return np.asarray(dry.sum(axis=1), dtype=np.int64)


def ruin_curve(
    available_fen: int,
    burn_fen: int | Fraction,
    donations_by_month: Sequence[int],
    *,
    horizon: int = 12,
    runs: int | None = None,
    model: Model = "bootstrap",
    gifts: Sequence[int] | None = None,
    rng: RNGLike = None,
    n_jobs: int = 1,
    progress: bool = False,
    n_sims: Any = UNSET,
) -> np.ndarray:
    """The chance that a project has run dry by each month of the horizon.

    The project starts with ``available_fen``, spends ``burn_fen`` each month and
    receives a random amount of donations each month; it has run dry by month ``t``
    when its money fell below zero in some month up to ``t``.

    Parameters
    ----------
    available_fen : int
        Money at hand at the start.
    burn_fen : int
        Spending per month; a ``fractions.Fraction`` is accepted too and keeps an
        average exact.
    donations_by_month : sequence of int
        The project's donation history: total fen received in each past month,
        months without a donation included as 0.
    horizon : int, default 12
        Months to look ahead.
    runs : int, default 10000
        Simulated futures (``n_sims=`` is its deprecated old name).
    model : {"bootstrap", "compound_poisson"}
        How future monthly donations are drawn; see Notes.
    gifts : sequence of int, optional
        For ``"compound_poisson"``: the individual donations of the history.
    rng : None, int or numpy.random.Generator
        Seed or generator.
    n_jobs : int, default 1
        Workers for the runs (``-1``: all cores; needs joblib). Every future is drawn
        from one stream first and the runs are then split in fixed blocks, so a seed
        gives the same curve whatever ``n_jobs`` is.
    progress : bool, default False
        Show a progress bar over the blocks of runs (needs tqdm).

    Returns
    -------
    numpy.ndarray
        Shape ``(horizon,)``: the estimated probability of having run dry by the end
        of month 1, 2, …; non-decreasing.

    Raises
    ------
    ValidationError
        A bad option, or an empty history.

    See Also
    --------
    sustainability : burn rate, runway and the chance of running dry, per project.

    Notes
    -----
    With :math:`A` available, burn :math:`b` and donations :math:`D_s` in month
    :math:`s`, the money after month :math:`t` is
    :math:`C_t = A + \\sum_{s \\le t} D_s - t\\,b`, and the project has run dry by month
    :math:`t` when :math:`\\min_{u \\le t} C_u < 0`. The estimate is the share of
    simulated futures where that happens; its standard error is
    :math:`\\sqrt{p(1-p)/n}`. Because the running minimum only falls, the curve is
    non-decreasing, and the same seed gives the same first months for any horizon
    (draws are taken month by month), so a longer horizon never gives a smaller
    chance.

    - ``"bootstrap"`` (default): each future month's donations are one past month's
      total, drawn with replacement from the history [1]_. It keeps the history's
      quiet months and rare big gifts, and assumes nothing else.
    - ``"compound_poisson"``: the number of gifts a month is Poisson with the
      history's mean rate, and each gift is lognormal with the mean and standard
      deviation of the logarithms of past gifts [2]_; smoother for short histories.

    Money stays in integer fen throughout (amounts are scaled by the burn's
    denominator), so a project that can just pay its last month is not ruined by
    rounding.

    References
    ----------
    .. [1] Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*.
       Chapman & Hall. https://doi.org/10.1201/9780429246593
    .. [2] Klugman, S. A., Panjer, H. H., & Willmot, G. E. (2012). *Loss Models: From
       Data to Decisions* (4th ed.), ch. 9 (aggregate loss models). Wiley.

    Examples
    --------
    >>> curve = ruin_curve(1000, 250, [0, 0, 0], horizon=6, rng=1)
    >>> curve.tolist()
    [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    """
    runs = renamed("ruin_curve", "n_sims", n_sims, "runs", runs)
    horizon = check_whole(horizon, "horizon", minimum=1)
    n_sims = check_whole(10_000 if runs is None else runs, "runs", minimum=1)
    n_jobs = check_jobs(n_jobs)
    check_choice(model, _MODELS, "model")
    history = np.asarray(donations_by_month, dtype=np.int64)
    if history.ndim != 1 or history.size == 0:
        raise ValidationError(
            [
                Problem(
                    "donations_by_month",
                    "needs at least one month",
                    "give 0 for a month without donations",
                )
            ]
        )
    burn = Fraction(burn_fen)
    if burn < 0:
        raise ValidationError([Problem("burn_fen", f"must be >= 0, got {burn_fen}")])
    scale, spend = burn.denominator, burn.numerator
    seq = np.random.SeedSequence(int(as_generator(rng).integers(2**63)))
    draw_rng, gift_rng = (np.random.default_rng(s) for s in seq.spawn(2))
    if model == "bootstrap":
        months = history[draw_rng.integers(0, history.size, size=(horizon, n_sims))]
    else:
        months = _compound_poisson(history.size, gifts, horizon, n_sims, draw_rng, gift_rng)
    flows = months * scale - spend
    cash0 = int(available_fen) * scale
    blocks = [(cash0, flows[:, i : i + _BLOCK]) for i in range(0, n_sims, _BLOCK)]
    counts = _map(_dry_counts, blocks, n_jobs=n_jobs, progress=progress, desc="ruin curve")
    return np.asarray(np.sum(counts, axis=0) / n_sims, dtype=np.float64)


def _compound_poisson(
    n_months: int,
    gifts: Sequence[int] | None,
    horizon: int,
    n_sims: int,
    count_rng: np.random.Generator,
    gift_rng: np.random.Generator,
) -> np.ndarray:
    amounts = np.asarray(gifts if gifts is not None else [], dtype=np.int64)
    if gifts is None:
        raise ValidationError(
            [
                Problem(
                    "gifts",
                    "the compound Poisson model needs the individual gifts",
                    "pass gifts=[…] in fen",
                )
            ]
        )
    if amounts.size == 0:
        return np.zeros((horizon, n_sims), dtype=np.int64)
    if (amounts <= 0).any():
        raise ValidationError([Problem("gifts", "gifts must be > 0 fen")])
    rate = amounts.size / n_months
    logs = np.log(amounts.astype(float))
    mu = float(logs.mean())
    sigma = float(logs.std(ddof=1)) if amounts.size > 1 else 0.0
    counts = count_rng.poisson(rate, size=(horizon, n_sims)).astype(np.int64)
    drawn = np.rint(np.exp(mu + sigma * gift_rng.standard_normal(int(counts.sum()))))
    cum = np.concatenate(([0], np.cumsum(drawn.astype(np.int64))))
    ends = np.cumsum(counts.ravel())
    totals = cum[ends] - cum[ends - counts.ravel()]
    return np.asarray(totals, dtype=np.int64).reshape(horizon, n_sims)


# --------------------------------------------------------------------------- results


@attrs.frozen(kw_only=True)
class ProjectOutlook:
    """How long one project's money lasts, and why it ranks where it does."""

    project: str
    """The project's account ID."""
    name: str
    name_zh: str
    owner: str | None
    """The project's ID in the graph, if known."""
    balance_fen: int
    """The project account's balance on ``as_of``."""
    undrawn_fen: int
    """Approved but unpaid on the project's grant lines that are not incubation lines."""
    incubation_undrawn_fen: int
    """Approved but unpaid on incubation lines: ending, so not counted."""
    available_fen: int
    """``balance_fen + undrawn_fen``."""
    burn_fen: int
    """Average spending per month over the window (rounded to the fen)."""
    donations_fen: int
    """Average donations per month over the history (rounded to the fen)."""
    runway_months: float
    """Months the available money lasts at the burn rate with no new money
    (``inf`` without spending)."""
    net_runway_months: float
    """Months it lasts when average donations keep coming (``inf`` when they cover
    the burn)."""
    ruin_probability: float
    """Chance of running dry within the horizon."""
    ruin_by_month: tuple[float, ...]
    """Chance of having run dry by the end of each month of the horizon."""
    stderr: float
    """Standard error of ``ruin_probability``."""
    months_of_history: int
    months_with_donations: int
    needs_campaign: bool
    """Ruin probability at or above the threshold."""
    rank: int
    """1 for the project that most needs a micro-fund campaign."""
    reasons: tuple[str, ...]

    def __repr__(self) -> str:
        return (
            f"ProjectOutlook(project={self.project!r}, rank={self.rank}, "
            f"available_fen={self.available_fen}, burn_fen={self.burn_fen}, "
            f"runway_months={self.runway_months:.1f}, "
            f"ruin_probability={self.ruin_probability:.3f}, "
            f"needs_campaign={self.needs_campaign}, reasons={len(self.reasons)})"
        )

    def reasons_in(self, lang: str = "en") -> tuple[str, ...]:
        """``reasons`` in ``lang`` (``"en"`` or ``"zh"``); for ``"en"``, the same
        sentences."""
        return said_in(self.reasons, lang)

    def to_row(self) -> dict[str, Any]:
        """The outlook as a table row."""
        return {
            "rank": self.rank,
            "project": self.project,
            "name": self.name,
            "balance_fen": self.balance_fen,
            "undrawn_fen": self.undrawn_fen,
            "available_fen": self.available_fen,
            "burn_fen": self.burn_fen,
            "donations_fen": self.donations_fen,
            "runway_months": self.runway_months,
            "net_runway_months": self.net_runway_months,
            "ruin_probability": self.ruin_probability,
            "stderr": self.stderr,
            "needs_campaign": self.needs_campaign,
            "reasons": "; ".join(self.reasons),
        }


@attrs.frozen(kw_only=True)
class Sustainability:
    """The outlook of every project, ranked: the first need a micro-fund campaign
    most. Use :func:`sustainability` to make one."""

    as_of: dt.date
    horizon: int
    window: int
    runs: int
    """Simulated futures per project."""
    model: str
    threshold: float
    incubation_lines: tuple[str, ...]
    outlooks: tuple[ProjectOutlook, ...]

    @property
    def n_sims(self) -> int:
        """Deprecated old name of :attr:`runs`."""
        warnings.warn(
            "Sustainability.n_sims is deprecated and will be removed in the next release; "
            "use Sustainability.runs",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.runs

    @property
    def campaign_first(self) -> tuple[ProjectOutlook, ...]:
        """The projects that need a micro-fund campaign, most urgent first."""
        return tuple(o for o in self.outlooks if o.needs_campaign)

    def __repr__(self) -> str:
        top = preview((o.project, round(o.ruin_probability, 3)) for o in self.outlooks)
        return (
            f"Sustainability(as_of={self.as_of}, horizon={self.horizon}, runs={self.runs}, "
            f"model={self.model!r}, projects={len(self.outlooks)}, "
            f"campaign_first={len(self.campaign_first)}, top={top})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (
                o.rank,
                o.project,
                f"{o.runway_months:.1f}",
                f"{o.ruin_probability:.0%}",
                "yes" if o.needs_campaign else "",
            )
            for o in self.outlooks[:SHOWN]
        ]
        caption = f"Sustainability on {self.as_of}: {len(self.outlooks)} projects"
        return html_table(caption, ("rank", "project", "runway", "ruin", "campaign"), rows)

    def __getitem__(self, project: str) -> ProjectOutlook:
        for outlook in self.outlooks:
            if outlook.project == project:
                return outlook
        raise KeyError(project)

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per project, in rank order."""
        return [o.to_row() for o in self.outlooks]

    def plot(self, ax: Axes | None = None, *, lang: str = "en") -> Axes:
        """Runway by project, coloured by the chance of running dry (see
        ``vchuang.plot.plot_runway``)."""
        out: Axes = plot(self, ax=ax, lang=lang)
        return out


# --------------------------------------------------------------------------- analysis


@attrs.define
class _Flows:
    first: int | None = None
    spend: dict[int, int] = attrs.Factory(dict)
    donations: dict[int, int] = attrs.Factory(dict)
    gifts: dict[str, tuple[int, int]] = attrs.Factory(dict)  # entry ID -> (month, fen)


def _flows(ledger: Ledger, projects: Collection[str], as_of: dt.date) -> dict[str, _Flows]:
    flows = {p: _Flows() for p in projects}
    accounts = ledger.accounts
    for entry in ledger.entries:
        if entry.date > as_of:
            break
        month = _month(entry.date)
        for p in flows.keys() & {entry.source, entry.target, entry.project or ""}:
            f = flows[p]
            if f.first is None:
                f.first = month
        original: Entry = entry
        sign = 1
        if entry.kind is EntryKind.REVERSAL:
            original, sign = ledger.entry(str(entry.reverses)), -1
        if not original.kind.moves_money:
            continue
        amount = sign * entry.amount_fen
        if accounts[original.target].kind in _SPENT:
            for p in flows.keys() & {original.source, original.project or ""}:
                flows[p].spend[month] = flows[p].spend.get(month, 0) + amount
        if original.kind is EntryKind.DONATION:
            for p in flows.keys() & {original.target, original.project or ""}:
                f = flows[p]
                f.donations[month] = f.donations.get(month, 0) + amount
                if sign > 0:
                    f.gifts[original.id] = (month, amount)
                else:
                    f.gifts.pop(original.id, None)
    return flows


def sustainability(
    ledger: Ledger,
    *,
    projects: Iterable[str] | None = None,
    as_of: dt.date | None = None,
    horizon: int = 12,
    window: int = 6,
    history: int | None = None,
    runs: int | None = None,
    model: Model = "bootstrap",
    incubation_lines: Iterable[str] = (),
    threshold: float = 0.25,
    rng: RNGLike = None,
    n_jobs: int = 1,
    progress: bool = False,
    n_sims: Any = UNSET,
) -> Sustainability:
    """Burn rate, runway after incubation money ends, and the chance of running dry of
    each project; which need a micro-fund (微基金) campaign first.

    Parameters
    ----------
    ledger : Ledger
    projects : iterable of str, optional
        Project account IDs (default: every project account).
    as_of : datetime.date, optional
        The day to look from (default: the last entry's date). Later entries are
        ignored.
    horizon : int, default 12
        Months to look ahead.
    window : int, default 6
        Months over which the burn rate is averaged (fewer when the project is
        younger).
    history : int, optional
        Months of donation history to learn from (default: all since the project's
        first entry).
    runs : int, default 10000
        Simulated futures per project (``n_sims=`` is its deprecated old name).
    model : {"bootstrap", "compound_poisson"}
        The donation model of :func:`ruin_curve`.
    incubation_lines : iterable of str, optional
        Grant lines that are incubation money; approvals tagged ``"incubation"`` count
        too. What is still undrawn on them is not counted as available: incubation
        money is ending.
    threshold : float, default 0.25
        A project needs a campaign when its chance of running dry within the horizon
        is at least this.
    rng : None, int or numpy.random.Generator
        Seed or generator. Each project draws from its own stream, derived from the
        seed and the project's ID, so its result does not depend on the other
        projects analysed.
    n_jobs : int, default 1
        Workers (``-1``: all cores; needs joblib): projects are simulated in parallel.
        Each project keeps its own stream, so a seed gives the same result whatever
        ``n_jobs`` is.
    progress : bool, default False
        Show a progress bar over the projects (needs tqdm).

    Returns
    -------
    Sustainability
        Outlooks ranked: projects needing a campaign first, by falling chance of
        running dry, then by shorter runway, then by ID.

    Raises
    ------
    ValidationError
        An unknown or non-project account, or a bad option.

    See Also
    --------
    ruin_curve : the chance of running dry by each month of the horizon.
    vchuang.funding.Sustainability.plot : each project's runway.

    Notes
    -----
    For a project :math:`p` on day ``as_of``:

    - *spending* is money leaving the funds for :math:`p`: its expenses, and
      reimbursements or expenses paid by a fund to an outside party or expense account
      for :math:`p`; *donations* are donations to :math:`p` or earmarked for it at a
      fund. Reversals count against the month they are posted in.
    - *burn rate* :math:`b` = spending in the last :math:`w` calendar months (up to and
      including ``as_of``'s month) divided by :math:`w`, where :math:`w` is
      ``window`` or the project's age in months if smaller.
    - *available* :math:`A` = the project's balance plus what is approved but not yet
      paid on its grant lines, incubation lines excluded.
    - *runway* = :math:`A / b` months; *net runway* = :math:`A / (b - \\bar d)` with
      :math:`\\bar d` the mean monthly donations (infinite when they cover the burn).
    - *chance of running dry* within the horizon: :func:`ruin_curve` with the
      project's monthly donation history (every month since its first entry, zeros
      included).

    Money earmarked for a project but still held at a fund without an approval is not
    counted as available (it is not yet the project's to spend).

    Examples
    --------
    >>> import datetime as dt
    >>> from vchuang.funding import Ledger, Account
    >>> ledger = Ledger([Account(id="mf", name="Micro-fund", kind="micro_fund"),
    ...                  Account(id="p1", name="Patrol", kind="project", parent="mf"),
    ...                  Account(id="donors", name="Donors", kind="outside"),
    ...                  Account(id="costs", name="Costs", kind="expense")])
    >>> _ = ledger.donate("donors", "mf", 100_000, date=dt.date(2020, 1, 5))
    >>> _ = ledger.transfer("mf", "p1", 100_000, date=dt.date(2020, 1, 5))
    >>> for month in range(1, 5):
    ...     _ = ledger.spend("p1", "costs", 20_000, date=dt.date(2020, month, 20),
    ...                      receipt=f"R{month}")
    >>> result = sustainability(ledger, horizon=3, rng=0)
    >>> o = result["p1"]
    >>> o.burn_fen, o.available_fen, o.runway_months
    (20000, 20000, 1.0)
    >>> o.ruin_by_month
    (0.0, 1.0, 1.0)
    """
    runs = renamed("sustainability", "n_sims", n_sims, "runs", runs)
    horizon = check_whole(horizon, "horizon", minimum=1)
    window = check_whole(window, "window", minimum=1)
    n_sims = check_whole(10_000 if runs is None else runs, "runs", minimum=1)
    n_jobs = check_jobs(n_jobs)
    if history is not None:
        history = check_whole(history, "history", minimum=1)
    check_choice(model, _MODELS, "model")
    threshold = check_number(threshold, "threshold", minimum=0, maximum=1)
    if projects is None:
        ids = [a.id for a in ledger.accounts.values() if a.kind is AccountKind.PROJECT]
    else:
        ids = list(dict.fromkeys(projects))
        for p in ids:
            if ledger.account(p).kind is not AccountKind.PROJECT:
                raise ValidationError(
                    [
                        Problem(
                            "projects",
                            f"{p!r} is not a project account",
                            "give project account IDs",
                        )
                    ]
                )
    if as_of is None:
        as_of = ledger.last_date or dt.date.today()
    flows = _flows(ledger, ids, as_of)
    incubation = set(incubation_lines)
    for entry in ledger.entries:
        if entry.date > as_of:
            break
        if entry.kind is EntryKind.APPROVAL and "incubation" in entry.tags and entry.line:
            incubation.add(entry.line)
    lines = ledger.grant_lines(as_of=as_of)
    base = int(as_generator(rng).integers(2**63))
    now = _month(as_of)
    unranked: list[dict[str, Any]] = []
    tasks: list[tuple[Any, ...]] = []
    simulated: list[int] = []
    for p in ids:
        account = ledger.account(p)
        f = flows[p]
        undrawn = sum(
            max(g.undrawn_fen, 0) for g in lines if g.project == p and g.line not in incubation
        )
        undrawn_inc = sum(
            max(g.undrawn_fen, 0) for g in lines if g.project == p and g.line in incubation
        )
        balance = ledger.balance(p, as_of)
        available = balance + undrawn
        age = 0 if f.first is None else now - f.first + 1
        w = min(window, age)
        spent = sum(f.spend.get(m, 0) for m in range(now - w + 1, now + 1))
        burn = Fraction(spent, w) if w else Fraction(0)
        burn = max(burn, Fraction(0))
        m_hist = age if history is None else min(history, age)
        donations = [f.donations.get(m, 0) for m in range(now - m_hist + 1, now + 1)]
        gifts = [fen for (m, fen) in f.gifts.values() if now - m_hist < m <= now]
        mean_don = Fraction(sum(donations), len(donations)) if donations else Fraction(0)
        runway = math.inf if burn <= 0 else float(Fraction(available) / burn)
        net = burn - mean_don
        net_runway = math.inf if net <= 0 else float(Fraction(available) / net)
        if burn > 0 and donations:
            seed = np.random.SeedSequence([base, zlib.crc32(p.encode("utf-8"))])
            tasks.append((available, burn, donations, horizon, n_sims, model, gifts, seed))
            simulated.append(len(unranked))
        unranked.append(
            {
                "project": p,
                "name": account.name,
                "name_zh": account.name_zh,
                "owner": account.owner,
                "balance_fen": balance,
                "undrawn_fen": undrawn,
                "incubation_undrawn_fen": undrawn_inc,
                "available_fen": available,
                "burn_fen": round(burn),
                "donations_fen": round(mean_don),
                "runway_months": runway,
                "net_runway_months": net_runway,
                "months_of_history": m_hist,
                "months_with_donations": sum(1 for d in donations if d > 0),
                "_why": (burn, available, balance, undrawn, undrawn_inc, mean_don, donations),
                "_window": w,
            }
        )
    curves = dict(
        zip(
            simulated,
            _map(_curve, tasks, n_jobs=n_jobs, progress=progress, desc="projects"),
            strict=True,
        )
    )
    for i, o in enumerate(unranked):
        curve = curves.get(i, np.zeros(horizon))
        prob = float(curve[-1])
        burn, available, balance, undrawn, undrawn_inc, mean_don, donations = o.pop("_why")
        o["ruin_probability"] = prob
        o["ruin_by_month"] = tuple(float(x) for x in curve)
        o["stderr"] = math.sqrt(prob * (1 - prob) / n_sims)
        o["needs_campaign"] = burn > 0 and prob >= threshold
        o["reasons"] = _reasons(
            burn,
            available,
            balance,
            undrawn,
            undrawn_inc,
            mean_don,
            donations,
            prob,
            horizon,
            n_sims,
            o["runway_months"],
            o["months_of_history"],
            o.pop("_window"),
        )
    unranked.sort(
        key=lambda o: (
            not o["needs_campaign"],
            -o["ruin_probability"],
            o["runway_months"],
            o["project"],
        )
    )
    outlooks = tuple(ProjectOutlook(rank=i + 1, **o) for i, o in enumerate(unranked))
    return Sustainability(
        as_of=as_of,
        horizon=horizon,
        window=window,
        runs=n_sims,
        model=model,
        threshold=float(threshold),
        incubation_lines=tuple(sorted(incubation)),
        outlooks=outlooks,
    )


def _curve(
    available: int,
    burn: Fraction,
    donations: list[int],
    horizon: int,
    runs: int,
    model: Model,
    gifts: list[int],
    seed: np.random.SeedSequence,
) -> np.ndarray:
    """One project's ruin curve from its own stream (a task for :func:`_map`)."""
    return ruin_curve(
        available,
        burn,
        donations,
        horizon=horizon,
        runs=runs,
        model=model,
        gifts=gifts,
        rng=np.random.default_rng(seed),
    )


def _reasons(
    burn: Fraction,
    available: int,
    balance: int,
    undrawn: int,
    undrawn_inc: int,
    mean_don: Fraction,
    donations: list[int],
    prob: float,
    horizon: int,
    n_sims: int,
    runway: float,
    months: int,
    window: int,
) -> tuple[str, ...]:
    if months == 0:
        return (Said("funding.why.no_entries"),)
    if burn <= 0:
        return (Said("funding.why.no_spending", window=window, available=_fmt(available)),)
    out: list[str] = [
        Said("funding.why.ruin", horizon=horizon, prob=f"{prob:.0%}", runs=n_sims),
        Said(
            "funding.why.runway_undrawn" if undrawn else "funding.why.runway",
            runway=f"{runway:.1f}",
            burn=_fmt(float(burn)),
            available=_fmt(available),
            balance=_fmt(balance),
            undrawn=_fmt(undrawn),
        ),
    ]
    out.append(
        Said(
            "funding.why.donations",
            mean=_fmt(float(mean_don)),
            share=f"{float(mean_don / burn):.0%}",
        )
    )
    quiet = 0
    for d in reversed(donations):
        if d > 0:
            break
        quiet += 1
    if quiet == len(donations):
        out.append(Said("funding.why.no_donation", months=months))
    elif quiet >= 3:
        out.append(Said("funding.why.quiet", months=quiet))
    if undrawn_inc:
        out.append(Said("funding.why.incubation", undrawn=_fmt(undrawn_inc)))
    if months < 6:
        out.append(Said("funding.why.short_history", months=months))
    return tuple(out)
