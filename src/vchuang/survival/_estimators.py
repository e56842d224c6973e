"""Kaplan–Meier, the log-rank test and Cox's model on durations at hand (private)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from .._optional import require
from ..errors import Problem, ValidationError
from ..kernel.checks import check_number
from ._results import BoolArray, CoxModel, Curve, FloatArray, LogRank

__all__ = ["cox", "kaplan_meier", "logrank"]


def _arrays(durations: Iterable[float], events: Iterable[bool]) -> tuple[FloatArray, BoolArray]:
    t = np.asarray(list(durations), dtype=np.float64)
    e = np.asarray(list(events), dtype=bool)
    problems = []
    if t.shape != e.shape:
        problems.append(Problem("events", f"has {e.size} values for {t.size} durations"))
    elif t.size and (not np.all(np.isfinite(t)) or t.min() < 0):
        problems.append(Problem("durations", "must be finite numbers >= 0"))
    if problems:
        raise ValidationError(problems)
    return t, e


def kaplan_meier(
    durations: Iterable[float],
    events: Iterable[bool],
    *,
    alpha: float = 0.05,
    group: str | None = None,
) -> Curve:
    """The Kaplan–Meier estimate of the survival function, with its confidence band.

    Parameters
    ----------
    durations : iterable of float
        Each subject's time under observation (days, months ...), >= 0.
    events : iterable of bool
        Whether the subject's event was seen (``False``: censored at its duration).
    alpha : float, default 0.05
        The band is the ``1 - alpha`` pointwise interval.
    group : str, optional
        A name for the curve.

    Returns
    -------
    Curve
        One row per distinct time (and time 0): subjects at risk, events, censored,
        :math:`\\hat S(t)` and its band.

    Raises
    ------
    MissingDependencyError
        lifelines is not installed (``pip install 'vchuang[survival]'``).

    Notes
    -----
    With :math:`n_j` subjects at risk and :math:`d_j` events at time :math:`t_j` [1]_,

    .. math:: \\hat S(t) = \\prod_{t_j \\le t} \\left(1 - \\frac{d_j}{n_j}\\right).

    The band is the "exponential Greenwood" interval (on :math:`\\log(-\\log S)`, so it
    stays within [0, 1]) [2]_. Both are computed by lifelines' ``KaplanMeierFitter``
    [3]_; the band is taken as 1 where :math:`\\hat S = 1` and 0 where it is 0:

    .. math:: \\exp\\!\\left(-\\exp\\!\\left(\\log(-\\log \\hat S) \\pm
              \\frac{z_{1-\\alpha/2} \\sqrt{\\sum_{t_j \\le t} d_j / (n_j (n_j - d_j))}}
              {\\log \\hat S}\\right)\\right).

    The median is the first time :math:`\\hat S \\le 0.5` (infinite when it never falls
    that low).

    References
    ----------
    .. [1] Kaplan, E. L., & Meier, P. (1958). Nonparametric estimation from incomplete
       observations. *Journal of the American Statistical Association*, 53(282), 457-481.
       https://doi.org/10.1080/01621459.1958.10501452
    .. [2] Kalbfleisch, J. D., & Prentice, R. L. (2002). *The Statistical Analysis of
       Failure Time Data* (2nd ed.). Wiley. https://doi.org/10.1002/9781118032985
    .. [3] Davidson-Pilon, C. (2019). lifelines: survival analysis in Python. *Journal of
       Open Source Software*, 4(40), 1317. https://doi.org/10.21105/joss.01317

    Examples
    --------
    Five volunteers; three leave after 2, 3 and 3 months, two are still active at 1 and 4:

    >>> curve = kaplan_meier([2, 3, 3, 1, 4], [True, True, True, False, False])
    >>> curve.survival.round(3).tolist()
    [1.0, 1.0, 0.75, 0.25, 0.25]
    >>> curve.median
    3.0
    """
    alpha = check_number(alpha, "alpha", above=0, below=1)
    t, e = _arrays(durations, events)
    if not t.size:  # lifelines refuses an empty sample; nobody at risk, nothing fell
        zero, one = np.zeros(1, np.int64), np.ones(1)
        return Curve(group=group, times=np.zeros(1), at_risk=zero, events=zero, censored=zero,
                     survival=one, lower=one, upper=one, alpha=alpha, subjects=0,
                     median=float("inf"))  # fmt: skip
    lifelines = require("lifelines", extra="survival", feature="Kaplan–Meier curves")
    fitter = lifelines.KaplanMeierFitter(alpha=alpha).fit(t, event_observed=e)
    table = fitter.event_table  # one row per distinct time, time 0 first
    s = fitter.survival_function_.iloc[:, 0].to_numpy(dtype=np.float64)
    band = fitter.confidence_interval_.to_numpy(dtype=np.float64)
    # lifelines leaves the band undefined where S is 1 or 0; it is that value there
    lower = np.where(s >= 1.0, 1.0, np.where(s <= 0.0, 0.0, band[:, 0]))
    upper = np.where(s >= 1.0, 1.0, np.where(s <= 0.0, 0.0, band[:, 1]))
    times = table.index.to_numpy(dtype=np.float64)
    # the first time S <= 0.5, also at time 0 (lifelines' median says inf there); lifelines
    # multiplies through logarithms, so a half can come out a rounding error above 0.5
    below = np.flatnonzero(s <= 0.5 + 1e-12)
    median = float(times[below[0]]) if below.size else float("inf")
    return Curve(
        group=group,
        times=times,
        at_risk=table["at_risk"].to_numpy(dtype=np.int64),
        events=table["observed"].to_numpy(dtype=np.int64),
        censored=table["censored"].to_numpy(dtype=np.int64),
        survival=s,
        lower=lower,
        upper=upper,
        alpha=alpha,
        subjects=int(t.size),
        median=median,
    )


def logrank(durations: Iterable[float], events: Iterable[bool], groups: Iterable[str]) -> LogRank:
    """The log-rank test that two or more groups share one survival function.

    Parameters
    ----------
    durations, events
        As for :func:`kaplan_meier`.
    groups : iterable of str
        Each subject's group.

    Returns
    -------
    LogRank
        Observed and expected events of each group, the :math:`\\chi^2` statistic with
        ``k - 1`` degrees of freedom and its p-value (NaN with fewer than two groups).

    Raises
    ------
    MissingDependencyError
        lifelines is not installed (``pip install 'vchuang[survival]'``).

    Notes
    -----
    At each distinct event time :math:`t_j`, with :math:`n_{gj}` of group :math:`g` at
    risk among :math:`n_j` and :math:`d_j` events, group :math:`g` is expected
    :math:`E_g = \\sum_j d_j n_{gj}/n_j` events [1]_ [2]_. With :math:`Z = O - E` and
    the hypergeometric covariance

    .. math:: V_{gh} = \\sum_j \\frac{d_j (n_j - d_j)}{n_j^2 (n_j - 1)}
              n_{gj} (\\delta_{gh} n_j - n_{hj}),

    the statistic is :math:`Z_{-k}^\\top V_{-k}^{-1} Z_{-k}` (one group left out),
    computed by lifelines' ``multivariate_logrank_test`` [3]_; the expected events are
    summed from lifelines' table of removals and events by group.

    References
    ----------
    .. [1] Mantel, N. (1966). Evaluation of survival data and two new rank order
       statistics arising in its consideration. *Cancer Chemotherapy Reports*, 50(3),
       163-170.
    .. [2] Peto, R., & Peto, J. (1972). Asymptotically efficient rank invariant test
       procedures. *Journal of the Royal Statistical Society A*, 135(2), 185-207.
       https://doi.org/10.2307/2344317
    .. [3] Davidson-Pilon, C. (2019). lifelines: survival analysis in Python. *Journal of
       Open Source Software*, 4(40), 1317. https://doi.org/10.21105/joss.01317

    Examples
    --------
    Six projects all reach the stage; group a's three first:

    >>> test = logrank([1, 2, 3, 4, 5, 6], [True] * 6, ["a", "a", "a", "b", "b", "b"])
    >>> test.groups, test.expected.round(3).tolist()
    (('a', 'b'), [1.15, 4.85])
    >>> round(test.statistic, 3), round(test.p_value, 4)
    (5.052, 0.0246)
    """
    t, e = _arrays(durations, events)
    g = np.asarray([str(x) for x in groups], dtype=object)
    if g.shape != t.shape:
        raise ValidationError([Problem("groups", f"has {g.size} values for {t.size} durations")])
    names = tuple(sorted(set(g.tolist())))
    k = len(names)
    if not t.size:
        zeros = np.zeros(k)
        return LogRank(groups=names, observed=zeros, expected=zeros, statistic=float("nan"),
                       df=k - 1, p_value=float("nan"))  # fmt: skip
    feature = "the log-rank test"
    statistics = require("lifelines.statistics", extra="survival", feature=feature)
    utils = require("lifelines.utils", extra="survival", feature=feature)
    # lifelines' tables: removed and observed by distinct time (rows) and group (columns,
    # in sorted order, as ``names``)
    _, removed, seen, _ = utils.group_survival_table_from_events(g, t, e)
    rm = removed.to_numpy(dtype=np.float64)
    ob = seen.to_numpy(dtype=np.float64)
    at_risk = rm.sum(axis=0) - np.vstack([np.zeros((1, k)), np.cumsum(rm, axis=0)[:-1]])
    total = at_risk.sum(axis=1)
    events_at = ob.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, events_at / total, 0.0)
    observed = ob.sum(axis=0)
    expected = (at_risk * share[:, None]).sum(axis=0)
    if k < 2:
        statistic, p = float("nan"), float("nan")
    else:
        test = statistics.multivariate_logrank_test(t, g, e)
        statistic, p = float(test.test_statistic), float(test.p_value)
    return LogRank(
        groups=names,
        observed=observed,
        expected=expected,
        statistic=statistic,
        df=k - 1,
        p_value=p,
    )


def cox(
    durations: Iterable[float],
    events: Iterable[bool],
    covariates: Mapping[str, Sequence[float]],
    *,
    penalizer: float = 0.0,
    alpha: float = 0.05,
) -> CoxModel:
    """Cox's proportional-hazards model, fitted by lifelines.

    Parameters
    ----------
    durations, events
        As for :func:`kaplan_meier`.
    covariates : mapping of str to sequence of float
        Each covariate's value for every subject (e.g. 0/1 for a community).
    penalizer : float, default 0.0
        lifelines' ridge penalty (a little, e.g. 0.1, helps small or separated data).
    alpha : float, default 0.05
        For the confidence intervals of the hazard ratios.

    Returns
    -------
    CoxModel

    Raises
    ------
    MissingDependencyError
        lifelines is not installed (``pip install 'vchuang[survival]'``).

    Notes
    -----
    The hazard of subject :math:`i` is :math:`h_0(t) \\exp(\\beta^\\top x_i)` [1]_; a
    hazard ratio :math:`e^{\\beta_k}` above 1 means the event (leaving, reaching a
    stage) comes sooner. lifelines [2]_ maximises Cox's partial likelihood (Efron's
    method for ties).

    References
    ----------
    .. [1] Cox, D. R. (1972). Regression models and life-tables. *Journal of the Royal
       Statistical Society B*, 34(2), 187-220.
       https://doi.org/10.1111/j.2517-6161.1972.tb00899.x
    .. [2] Davidson-Pilon, C. (2019). lifelines: survival analysis in Python. *Journal of
       Open Source Software*, 4(40), 1317. https://doi.org/10.21105/joss.01317
    """
    lifelines = require("lifelines", extra="survival", feature="Cox's model")
    pd = require("pandas", extra="survival", feature="Cox's model")
    t, e = _arrays(durations, events)
    if not covariates:
        raise ValidationError([Problem("covariates", "none given", "give at least one covariate")])
    frame: dict[str, Any] = {"duration": t, "event": e.astype(int)}
    for name, values in covariates.items():
        column = np.asarray(values, dtype=np.float64)
        if column.shape != t.shape:
            raise ValidationError(
                [Problem(f"covariates[{name}]", f"has {column.size} values for {t.size} subjects")]
            )
        frame[name] = column
    fitter = lifelines.CoxPHFitter(penalizer=penalizer, alpha=alpha)
    fitter.fit(pd.DataFrame(frame), duration_col="duration", event_col="event")
    summary = fitter.summary
    names = tuple(str(n) for n in summary.index)
    return CoxModel(
        covariates=names,
        coef=summary["coef"].to_numpy(dtype=np.float64),
        hazard_ratio=summary["exp(coef)"].to_numpy(dtype=np.float64),
        lower=summary.iloc[:, 5].to_numpy(dtype=np.float64),
        upper=summary.iloc[:, 6].to_numpy(dtype=np.float64),
        p_value=summary["p"].to_numpy(dtype=np.float64),
        concordance=float(fitter.concordance_index_),
        subjects=int(t.size),
        events=int(e.sum()),
        alpha=alpha,
    )
