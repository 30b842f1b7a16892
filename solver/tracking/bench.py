"""Benchmarks of tracking: ``python -m solver.tracking.bench`` (or ``quotient bench tracking``).

One JSON object per line: ``case``, ``seconds`` (the median of ``runs``), ``n_reps``, the
``goal_s``, and a ``reference``: a computation of known cost timed in the same process, so that
a slow figure on a busy machine can be told from a slow program.

- ``rules_100k``: the alert evaluator's work for 100,000 reps x 12 months of actuals at 11.5
  months elapsed: the distributions stacked from ``ForecastDistribution`` objects, progress,
  the monthly pace history, P(achieve | actuals) and the five default rules (goal 5 s).
  Reference: ``np.sort`` along the last axis of a 100,000 x 12 x 19 array (the size of the
  monthly quantiles).
- ``conditional_p_1k``: P(achieve | actuals) of 1,000 reps from their distributions (goal
  0.1 s). Reference: a plain Python loop over the same reps reading the plan's unconditional P
  one by one (``ForecastDistribution.p_period``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import norm

from solver.planning.distribution import ForecastDistribution
from solver.tracking.conditional import conditional_probability
from solver.tracking.moments import ForecastArrays
from solver.tracking.progress import ProgressInputs, compute_progress, monthly_pace_history
from solver.tracking.rules import DEFAULT_RULES, RuleState, evaluate_rule
from solver.types import FloatArray, IntArray

LEVELS = np.round(np.arange(0.05, 0.951, 0.05), 2)
Z = norm.ppf(LEVELS)


def synthetic_forecast(
    n: int, *, months: int = 12, seed: int = 0, zero_share: float = 0.2
) -> ForecastArrays:
    """Log-normal monthly quantiles with seasonality (a share of reps zero-heavy: their low
    quantiles are 0) and a period total whose spread reflects months correlated at 0.1-0.6."""
    rng = np.random.default_rng(seed)
    level = rng.lognormal(np.log(100.0), 0.6, n)
    phase = rng.uniform(0, 12, n)
    season = 1.0 + 0.3 * np.sin(2 * np.pi * (np.arange(months) + phase[:, None]) / 12)
    sigma, rho = rng.uniform(0.2, 0.7, n), rng.uniform(0.1, 0.6, n)
    median = level[:, None] * season
    monthly = median[:, :, None] * np.exp(sigma[:, None, None] * Z)
    zero = np.where(rng.random(n) < zero_share, rng.uniform(0.1, 0.5, n), 0.0)
    monthly = np.where((LEVELS[None, :] <= zero[:, None])[:, None, :], 0.0, monthly)
    spread = sigma * np.sqrt(rho + (1 - rho) / months)
    total = median.sum(axis=1) * (1.0 - zero)
    period = total[:, None] * np.exp(spread[:, None] * Z)
    mean = total * np.exp(spread**2 / 2)
    return ForecastArrays(LEVELS.copy(), period, monthly, mean, np.ones(n, dtype=np.bool_))


def distributions(forecast: ForecastArrays) -> list[ForecastDistribution]:
    """One ``ForecastDistribution`` per rep, as the services hold them."""
    return [
        ForecastDistribution(
            forecast.levels, forecast.period[i], forecast.monthly[i], float(forecast.mean[i])
        )
        for i in range(forecast.n)
    ]


@dataclass(frozen=True, eq=False)
class Company:
    """Synthetic reps in tracking: distributions, monthly targets and actuals, days since the
    last activity and peer groups (8 ranks x 12 regions)."""

    dists: list[ForecastDistribution]
    targets: FloatArray
    actuals: FloatArray
    days_inactive: FloatArray
    peer_group: IntArray


def synthetic_company(n: int, *, months: int = 12, seed: int = 0) -> Company:
    """Targets near each month's forecast median; actuals drawn around it with a rep effect."""
    rng = np.random.default_rng(seed)
    forecast = synthetic_forecast(n, months=months, seed=seed)
    centre = forecast.monthly[:, :, len(LEVELS) // 2]
    targets = centre * rng.uniform(0.9, 1.2, (n, 1))
    effect = rng.normal(0, 0.3, (n, 1)) + rng.normal(0, 0.3, (n, months))
    actuals = centre * np.exp(effect)
    return Company(
        dists=distributions(forecast),
        targets=targets,
        actuals=actuals,
        days_inactive=rng.exponential(7.0, n).round(),
        peer_group=rng.integers(0, 96, n),
    )


def evaluate_company(company: Company, elapsed: float) -> dict[str, float]:
    """The evaluator's work: progress, pace history, P(achieve | actuals), the default rules;
    returns the seconds of each step and the number of reps each rule fires for."""
    clock = time.perf_counter()
    seconds: dict[str, float] = {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name], clock = now - clock, now

    months = company.targets.shape[1]
    forecast = ForecastArrays.stack(company.dists, months)
    lap("stack_s")
    inputs = ProgressInputs(company.targets, company.actuals, elapsed, forecast.monthly_means())
    progress = compute_progress(inputs)
    pace = monthly_pace_history(targets=company.targets, actuals=company.actuals, elapsed=elapsed)
    lap("progress_s")
    probability = conditional_probability(
        forecast, target=progress.target, actual_to_date=progress.actual, elapsed=elapsed
    )
    lap("probability_s")
    state = RuleState(
        pace,
        progress.attainment,
        probability,
        progress.projected_attainment,
        company.days_inactive,
        company.peer_group,
    )
    fired = {
        f"fired_{rule.kind}": float(evaluate_rule(rule, state).fired.sum())
        for rule in DEFAULT_RULES
    }
    lap("rules_s")
    return seconds | fired


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def rules_case(reps: int, *, runs: int, seed: int) -> dict[str, Any]:
    company = synthetic_company(reps, seed=seed)
    parts = [evaluate_company(company, elapsed=11.5) for _ in range(runs)]
    totals = [sum(v for k, v in p.items() if k.endswith("_s")) for p in parts]
    best = parts[int(np.argsort(totals)[len(totals) // 2])]
    block = np.random.default_rng(seed).random((reps, 12, len(LEVELS)))
    reference = statistics.median(_timed(lambda: np.sort(block, axis=-1)) for _ in range(runs))
    return {
        "case": f"rules_{reps // 1000}k",
        "seconds": round(statistics.median(totals), 4),
        "n_reps": reps,
        "months": 12,
        "goal_s": 5.0,
        "reference": f"np.sort along the last axis of {reps} x 12 x {len(LEVELS)} float64",
        "reference_seconds": round(reference, 4),
        **{k: (round(v, 4) if k.endswith("_s") else int(v)) for k, v in best.items()},
    }


def conditional_case(reps: int, *, runs: int, seed: int) -> dict[str, Any]:
    company = synthetic_company(reps, seed=seed)
    elapsed = 6.5
    progress = compute_progress(ProgressInputs(company.targets, company.actuals, elapsed))
    target, actual = progress.target, progress.actual

    def work() -> None:
        conditional_probability(
            company.dists, target=target, actual_to_date=actual, elapsed=elapsed
        )

    def loop() -> None:
        for d, t in zip(company.dists, target, strict=True):
            d.p_period(float(t))

    work()  # the first call pays for imports and caches
    return {
        "case": f"conditional_p_{reps // 1000}k",
        "seconds": round(statistics.median(_timed(work) for _ in range(runs)), 5),
        "n_reps": reps,
        "months": 12,
        "goal_s": 0.1,
        "reference": f"plain Python loop of ForecastDistribution.p_period over {reps} reps",
        "reference_seconds": round(statistics.median(_timed(loop) for _ in range(runs)), 5),
    }


def run(
    *, reps: int = 100_000, small: int = 1_000, runs: int = 5, seed: int = 7
) -> Iterator[dict[str, Any]]:
    """The cases' result lines, one by one."""
    yield rules_case(reps, runs=runs, seed=seed)
    yield conditional_case(small, runs=runs, seed=seed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for line in run(reps=args.reps, runs=args.runs, seed=args.seed):
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
