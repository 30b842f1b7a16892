"""P(achieve | actuals so far): ``P(x + R >= T)`` for a rep with ``x`` sold to date, ``R`` what
the rest of the period brings and ``T`` the period target, for every rep at once.

How ``R`` is modelled, and why:

1. **Months.** Each month's mean and variance are read exactly off its quantiles
   (``quantile_moments``); the means are rescaled to add up to the period quantiles' own mean.
2. **Dependence.** Months of one rep are not independent (a good rep is good every month): the
   period quantiles are wider than independent months would give. A one-factor model,
   ``X_m = sqrt(rho) s_m F + e_m``, makes any two months correlate at ``rho``; ``rho`` is solved
   per rep so that the period variance is the period quantiles' own (clipped to [0, 0.9], the
   months then rescaled so the period variance still matches: a month always keeps some noise
   of its own, else the first day would fix the rest of the period). Within a month the factor's
   part scales with the share of the month and the rest adds up like independent days, so the
   elapsed part of the current month and what is left of it need no special case.
3. **Conditioning.** ``A`` (sold to date) and ``R`` are then jointly given by their means,
   variances and covariance, and ``R | A = x`` by linear (Gaussian) conditioning: its mean moves
   by ``cov / var(A) * (x - E[A])`` and its variance loses ``cov^2 / var(A)``. A rep who is
   behind is expected to stay somewhat behind, as much as the months' dependence says.
4. **Shape.** ``R`` takes the shape of the period total, moved and scaled to its moments:
   ``R = max(0, m + s (S - E[S]) / sd(S))`` with ``S`` the period total of the plan. So at
   elapsed 0 the probability *is* the plan's (``ForecastDistribution.p_period``), the one the
   period quantiles were calibrated for, and ``P`` is one read of the period quantiles per rep.
5. **Zero mass.** Near the end, what remains can be nothing with a real probability (monthly
   quantiles of sparse territories have a mass at zero) that the period's shape does not
   carry: with sales arriving as a Poisson stream, nothing is sold in a share ``g`` of month
   ``m`` with probability ``pi_m^g``, so ``P(R = 0) = prod pi_m^(g_m)`` over what remains. Its
   growth beyond the same product over the whole period (which the period's shape already
   holds) is a separate atom at zero, independent of the actuals and 0 at elapsed 0; the rest
   of ``R`` is matched to the remaining moments.

Its cost is a few passes over reps x months x levels: no sampling and no per-rep loop (a Monte
Carlo over a copula needs thousands of draws per rep; a log-normal fitted to the moments
disagrees with the plan's P at day 0 by a few points, as period quantiles are not log-normal).
``P`` is non-decreasing in the actual to date: only the conditional mean depends on it.

Ratio metrics (collection rate, satisfaction) give NaN: their period value is an average
weighted by amounts (invoiced, surveys) the forecast does not hold, and their actual to date is
a rate, not a part of a sum; they are tracked by their rate against the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from solver.planning.distribution import ForecastDistribution
from solver.probability import prob_at_least
from solver.tracking.moments import ForecastArrays, quantile_moments, zero_mass
from solver.tracking.progress import elapsed_shares
from solver.types import FloatArray

CHUNK = 16_384  # reps per pass: bounds the memory of reps x months x levels temporaries
_MAX_ATOM = 0.999
# Months keep at least a tenth of their variance their own: at 1, the first day's sales would
# fix the rest of the period exactly, and P(achieve) would jump between 0 and 1.
RHO_MAX = 0.9


@dataclass(frozen=True, eq=False)
class MonthModel:
    """Per rep: each month's ``mean`` and ``sd`` (reps x months) in the one-factor model, the
    months' correlation ``rho``, the period total's ``period_mean`` and ``period_sd``, and
    each month's ``month_zero`` (P(X_m = 0))."""

    mean: FloatArray
    sd: FloatArray
    rho: FloatArray
    period_mean: FloatArray
    period_sd: FloatArray
    month_zero: FloatArray


def month_model(forecast: ForecastArrays) -> MonthModel:
    """The months' moments and correlation, consistent with the period quantiles.

    ``rho = (var(S) - sum s_m^2) / ((sum s_m)^2 - sum s_m^2)``, clipped to [0, 0.9]; the months'
    ``s_m`` are then scaled by ``sd(S) / sd_model(S)`` (1 unless ``rho`` was clipped), and where
    the months have no spread at all the period's is split in proportion to their means.

    >>> from solver.planning.distribution import ForecastDistribution
    >>> d = ForecastDistribution.quantiles(  # the period 1.5 times as wide as independent months
    ...     [0.1, 0.5, 0.9], [70.0, 100.0, 130.0], [[15.0, 25.0, 35.0]] * 4)
    >>> model = month_model(ForecastArrays.stack([d]))
    >>> round(float(model.rho[0]), 2), [round(float(m), 2) for m in model.mean[0]]
    (0.42, [25.0, 25.0, 25.0, 25.0])
    """
    levels, monthly = forecast.levels, forecast.monthly
    month_mean, month_var = quantile_moments(levels, monthly)
    period_mean, period_var = quantile_moments(levels, forecast.period)
    sd = np.sqrt(month_var)
    rho = _correlation(sd, period_var)
    modelled = rho * sd.sum(axis=1) ** 2 + (1.0 - rho) * month_var.sum(axis=1)
    flat = modelled <= 0
    shares = _shares(month_mean)
    scale = np.sqrt(period_var / np.where(flat, 1.0, modelled))
    return MonthModel(
        mean=shares * period_mean[:, None],
        sd=np.where(flat[:, None], shares * np.sqrt(period_var)[:, None], sd * scale[:, None]),
        rho=np.where(flat, 1.0, rho),
        period_mean=period_mean,
        period_sd=np.sqrt(period_var),
        month_zero=zero_mass(levels, monthly),
    )


def _correlation(sd: FloatArray, period_var: FloatArray) -> FloatArray:
    """The common correlation of the months that gives the period its variance."""
    squares = (sd * sd).sum(axis=1)
    cross = sd.sum(axis=1) ** 2 - squares  # sum over pairs m != n of s_m s_n
    rho = (period_var - squares) / np.where(cross > 0, cross, 1.0)
    out: FloatArray = np.clip(np.where(cross > 0, rho, 0.0), 0.0, RHO_MAX)
    return out


def _shares(parts: FloatArray) -> FloatArray:
    whole = parts.sum(axis=1, keepdims=True)
    even = np.full_like(parts, 1.0 / max(parts.shape[1], 1))
    out: FloatArray = np.where(whole > 0, parts / np.where(whole > 0, whole, 1.0), even)
    return out


@dataclass(frozen=True, eq=False)
class Split:
    """The period split at ``elapsed``: means and variances of the part done (``A``) and of
    the rest (``R``), their covariance, and ``P(R = 0)`` under Poisson arrivals (and
    ``whole_zero``, the same over the whole period)."""

    mean_done: FloatArray
    mean_rest: FloatArray
    var_done: FloatArray
    var_rest: FloatArray
    cov: FloatArray
    rest_zero: FloatArray
    whole_zero: FloatArray


def split_at(model: MonthModel, done: FloatArray) -> Split:
    """``A`` and ``R`` for ``done[.., m]`` the share of month ``m`` elapsed.

    In the one-factor model a share ``g`` of month ``m`` has the factor loading
    ``g sqrt(rho) s_m`` and an own variance ``g (1 - rho) s_m^2``; so with ``L = sum g s`` and
    ``V = sum g s^2`` over a part, ``var = rho L^2 + (1 - rho) V`` and
    ``cov(A, R) = rho L_A L_R``.
    """
    rest = 1.0 - done
    rho, sd = model.rho, model.sd
    load_done, load_rest = (done * sd).sum(axis=1), (rest * sd).sum(axis=1)
    own_done, own_rest = (done * sd * sd).sum(axis=1), (rest * sd * sd).sum(axis=1)
    log_month_zero = np.log(np.maximum(model.month_zero, 1e-300))
    log_zero = np.where(rest > 0, rest * log_month_zero, 0.0)
    return Split(
        mean_done=(done * model.mean).sum(axis=1),
        mean_rest=(rest * model.mean).sum(axis=1),
        var_done=rho * load_done**2 + (1.0 - rho) * own_done,
        var_rest=rho * load_rest**2 + (1.0 - rho) * own_rest,
        cov=rho * load_done * load_rest,
        rest_zero=np.exp(log_zero.sum(axis=1)),
        whole_zero=np.exp(log_month_zero.sum(axis=1)),
    )


def _atom(split: Split) -> FloatArray:
    """The extra mass at zero of ``R``: the growth of ``P(R = 0)`` beyond its value over the
    whole period, at most what the conditional variance leaves room for (``s^2 / E[R^2]``)."""
    extra = (split.rest_zero - split.whole_zero) / np.maximum(1.0 - split.whole_zero, 1e-12)
    second = split.var_rest + split.mean_rest**2
    kept = split.var_rest - split.cov**2 / np.where(split.var_done > 0, split.var_done, np.inf)
    room = np.where(second > 0, np.maximum(kept, 0.0) / np.where(second > 0, second, 1.0), 0.0)
    out: FloatArray = np.clip(extra, 0.0, np.minimum(room, _MAX_ATOM))
    return out


def _probability_chunk(
    forecast: ForecastArrays, target: FloatArray, actual: FloatArray, elapsed: FloatArray
) -> FloatArray:
    """``conditional_probability`` of one chunk of reps."""
    model = month_model(forecast)
    split = split_at(model, elapsed_shares(elapsed, forecast.months))
    atom = _atom(split)
    keep = 1.0 - atom
    # R = 0 with probability ``atom``, else Y: Y's moments are what is left of R's.
    mean_y = split.mean_rest / keep
    var_y = (split.var_rest * keep - atom * split.mean_rest**2) / keep**2
    cov_y = split.cov / keep
    slope = np.where(
        split.var_done > 0, cov_y / np.where(split.var_done > 0, split.var_done, 1.0), 0
    )
    centre = np.maximum(mean_y + slope * (actual - split.mean_done), 0.0)
    spread = np.sqrt(np.maximum(var_y - slope * cov_y, 0.0))
    need = target - actual
    shaped = (spread > 0) & (model.period_sd > 0)
    z = (need - centre) / np.where(shaped, spread, 1.0)
    read = prob_at_least(forecast.period_table(), model.period_mean + model.period_sd * z)
    p_y = np.where(shaped, read, (centre >= need).astype(np.float64))
    p = np.where(need <= 0, 1.0, keep * p_y)
    out: FloatArray = np.where(forecast.valid & np.isfinite(need), p, np.nan)
    return out


def conditional_probability(
    forecast: Sequence[ForecastDistribution | None] | ForecastArrays,
    *,
    target: FloatArray,
    actual_to_date: FloatArray,
    elapsed: float | FloatArray,
) -> FloatArray:
    """``P(actual_to_date + R >= target)`` per rep (see the module docstring), with ``elapsed``
    months of the period gone (one for all reps, or one each).

    1 once the target is reached; at the period's end 1 or 0 by the actuals; NaN for a rep
    without a distribution or with a ratio metric's.

    >>> from solver.planning.distribution import ForecastDistribution
    >>> d = ForecastDistribution.quantiles(  # months correlated at 0.42 (``month_model``)
    ...     [0.1, 0.5, 0.9], [70.0, 100.0, 130.0], [[15.0, 25.0, 35.0]] * 4)
    >>> p = conditional_probability([d, d, d, None], target=np.full(4, 100.0),
    ...                             actual_to_date=np.array([40.0, 60.0, 100.0, 0.0]), elapsed=2)
    >>> round(d.p_period(100.0), 3), [round(float(v), 3) for v in p]
    (0.5, [0.051, 0.949, 1.0, nan])
    """
    arrays = forecast if isinstance(forecast, ForecastArrays) else ForecastArrays.stack(forecast)
    n = arrays.n
    target = np.asarray(target, dtype=np.float64)
    actual = np.asarray(actual_to_date, dtype=np.float64)
    at = np.clip(np.broadcast_to(np.asarray(elapsed, dtype=np.float64), (n,)), 0, arrays.months)
    out = np.full(n, np.nan)
    for start in range(0, n, CHUNK):
        rows = slice(start, start + CHUNK)
        out[rows] = _probability_chunk(arrays.take(rows), target[rows], actual[rows], at[rows])
    return out


def target_at_probability(
    forecast: ForecastArrays,
    *,
    probability: FloatArray,
    actual_to_date: FloatArray,
    elapsed: float | FloatArray,
    iterations: int = 48,
) -> FloatArray:
    """The period target each rep reaches with ``probability`` given the actuals so far: the
    target a re-forecast with what is known today calls as hard as the plan's was
    (``conditional_probability`` is non-increasing in the target, so bisection finds it).
    Above the actual to date; NaN where P is not known or no target above the actual is as
    likely.

    >>> from solver.planning.distribution import ForecastDistribution
    >>> d = ForecastDistribution.quantiles(
    ...     [0.1, 0.5, 0.9], [70.0, 100.0, 130.0], [[15.0, 25.0, 35.0]] * 4)
    >>> t = target_at_probability(ForecastArrays.stack([d]), probability=np.array([0.5]),
    ...                           actual_to_date=np.array([40.0]), elapsed=2)
    >>> float(round(t[0]))  # behind at half time: the same difficulty is a lower target
    84.0
    """
    actual = np.asarray(actual_to_date, dtype=np.float64)
    wanted = np.asarray(probability, dtype=np.float64)
    low = actual.copy()
    high = np.maximum(actual, 0.0) + np.maximum(forecast.period[:, -1], 1.0) * 2.0 + 1.0
    for _ in range(iterations):
        middle = (low + high) / 2.0
        p = conditional_probability(forecast, target=middle, actual_to_date=actual, elapsed=elapsed)
        above = p >= wanted  # still as likely: the target can go higher
        low = np.where(above, middle, low)
        high = np.where(above, high, middle)
    # Still at the actual: no target above it is that likely (what remains of the period may
    # well be nothing, e.g. near its end for a rep who sells rarely): none is as hard.
    found = forecast.valid & np.isfinite(wanted) & (low > actual)
    out: FloatArray = np.where(found, low, np.nan)
    return out
