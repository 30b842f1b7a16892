"""Progress during the period, for every rep at once: actual against the target's own phasing.

The time elapsed is ``elapsed`` months (4.5: four months done and half of the fifth). What a
rep should have by now is the sum of the months' targets weighted by the share of each month
elapsed, so a seasonal business is not "behind" in its quiet months: its targets are low there
too. Within a month, time is counted in days (``elapsed_months``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np

from solver.planning.months import month_start, months_between
from solver.types import FloatArray


def elapsed_months(period_start: date, months: int, as_of: date) -> float:
    """Months of a period of ``months`` months elapsed at the end of ``as_of``, the last day
    whose actuals are in: whole months, plus the days of the current month over its length.

    >>> elapsed_months(date(2026, 1, 1), 12, date(2026, 5, 15))  # 4 months and 15 of 31 days
    4.483870967741936
    >>> elapsed_months(date(2026, 1, 1), 3, date(2025, 12, 31)), elapsed_months(
    ...     date(2026, 1, 1), 3, date(2026, 3, 31))
    (0.0, 3.0)
    """
    if as_of < month_start(period_start):
        return 0.0
    whole = months_between(period_start, as_of)
    if whole >= months:
        return float(months)
    return whole + as_of.day / calendar.monthrange(as_of.year, as_of.month)[1]


def elapsed_shares(elapsed: float | FloatArray, months: int) -> FloatArray:
    """The share of each month elapsed: 1 for months done, the fraction of the current one,
    0 after (shape ``(months,)``, or ``(reps, months)`` for one ``elapsed`` per rep).

    >>> elapsed_shares(1.25, 3).tolist()
    [1.0, 0.25, 0.0]
    """
    at = np.asarray(elapsed, dtype=np.float64)
    shares: FloatArray = np.clip(at[..., None] - np.arange(months), 0.0, 1.0)
    return shares


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """``numerator / denominator``, NaN where the denominator is not positive."""
    safe = np.where(denominator > 0, denominator, 1.0)
    with np.errstate(over="ignore"):  # a vanishing denominator gives inf, as it should
        out: FloatArray = np.where(denominator > 0, numerator / safe, np.nan)
    return out


@dataclass(frozen=True, eq=False)
class ProgressInputs:
    """Per rep (rows) and month of the period (columns): ``targets``, ``actuals`` so far (months
    not started are ignored, NaN counts as 0), ``elapsed`` months (``elapsed_months``) and
    ``forecast_mean`` of each month (``ForecastArrays.monthly_means``; None or a NaN row:
    no projection)."""

    targets: FloatArray
    actuals: FloatArray
    elapsed: float
    forecast_mean: FloatArray | None = None

    def __post_init__(self) -> None:
        if self.targets.ndim != 2 or self.actuals.shape != self.targets.shape:
            raise ValueError("targets and actuals must both be reps x months")
        if self.forecast_mean is not None and self.forecast_mean.shape != self.targets.shape:
            raise ValueError("forecast_mean must be reps x months, as the targets")
        if not 0.0 <= self.elapsed <= self.targets.shape[1]:
            raise ValueError("elapsed must lie between 0 and the period's months")


@dataclass(frozen=True, eq=False)
class Progress:
    """Per rep: ``actual`` to date, the period's ``target``, ``expected`` to date by the target's
    phasing, ``pace = actual / expected``, ``attainment = actual / target``, ``projected``
    total (actual + the forecast mean of what remains) and ``projected_attainment``. Ratios
    are NaN where their denominator is zero (no expectation yet, no target)."""

    actual: FloatArray
    target: FloatArray
    expected: FloatArray
    pace: FloatArray
    attainment: FloatArray
    projected: FloatArray
    projected_attainment: FloatArray


def compute_progress(inputs: ProgressInputs) -> Progress:
    """Progress of every rep at ``inputs.elapsed`` (see ``Progress``).

    >>> p = compute_progress(ProgressInputs(
    ...     targets=np.array([[10.0, 30.0, 60.0]]), actuals=np.array([[12.0, 9.0, 0.0]]),
    ...     elapsed=1.5, forecast_mean=np.array([[10.0, 30.0, 50.0]])))
    >>> float(p.expected[0]), float(p.pace[0]), float(p.attainment[0]), float(p.projected[0])
    (25.0, 0.84, 0.21, 86.0)
    """
    done = elapsed_shares(inputs.elapsed, inputs.targets.shape[1])
    started = done > 0
    targets = np.nan_to_num(inputs.targets)
    actual: FloatArray = np.where(started, np.nan_to_num(inputs.actuals), 0.0).sum(axis=1)
    target: FloatArray = targets.sum(axis=1)
    expected: FloatArray = targets @ done
    if inputs.forecast_mean is None:
        projected = np.full_like(actual, np.nan)
    else:
        projected = actual + inputs.forecast_mean @ (1.0 - done)  # a NaN row stays NaN
    return Progress(
        actual=actual,
        target=target,
        expected=expected,
        pace=_ratio(actual, expected),
        attainment=_ratio(actual, target),
        projected=projected,
        projected_attainment=_ratio(projected, target),
    )


def pace_history(
    *, targets: FloatArray, actual_at: FloatArray, checkpoints: FloatArray
) -> FloatArray:
    """Cumulative pace at each checkpoint (reps x checkpoints, oldest first): the actual to
    date at checkpoint ``k`` (``actual_at[:, k]``) over the target's phasing at
    ``checkpoints[k]`` months elapsed (week ends for a weekly history, month ends for a monthly
    one); NaN where nothing was expected yet.

    >>> pace_history(targets=np.array([[10.0, 20.0]]), actual_at=np.array([[5.0, 24.0]]),
    ...              checkpoints=np.array([1.0, 2.0])).tolist()
    [[0.5, 0.8]]
    """
    shares = elapsed_shares(checkpoints, targets.shape[1])  # checkpoints x months
    expected = np.nan_to_num(targets) @ shares.T
    return _ratio(actual_at, expected)


def monthly_pace_history(*, targets: FloatArray, actuals: FloatArray, elapsed: float) -> FloatArray:
    """``pace_history`` at the end of every month completed by ``elapsed`` (reps x months done).

    >>> monthly_pace_history(targets=np.array([[10.0, 20.0, 30.0]]),
    ...                      actuals=np.array([[5.0, 19.0, 3.0]]), elapsed=2.1).tolist()
    [[0.5, 0.8]]
    """
    done = int(np.floor(elapsed + 1e-9))
    cumulative = np.cumsum(np.nan_to_num(actuals[:, :done]), axis=1)
    ends = np.arange(1.0, done + 1.0)
    return pace_history(targets=targets, actual_at=cumulative, checkpoints=ends)
