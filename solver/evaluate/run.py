"""The rolling-origin backtest: forecasts, calibration and simulated target periods.

>>> # from solver.synth import CompanyConfig, generate_company
>>> # report = run_backtest(History.from_company(generate_company(CompanyConfig(n_reps=500))))
>>> # report.summary["wape"], report.summary["share_at_target"]
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from solver.backtest import binned_ece, pinball, pit_reliability, wape
from solver.evaluate.forecasts import BASELINES, OriginForecast, evaluate_origin
from solver.evaluate.history import History
from solver.evaluate.targets import PeriodTargets, group_gaps, ratchet, set_targets
from solver.forecast import ForecastConfig
from solver.types import FloatArray, QuantileTable

COVERAGE_WIDTHS = (0.5, 0.8, 0.9)


@dataclass(frozen=True)
class BacktestConfig:
    """``origins`` periods of ``horizon`` months, the last ending at the last month, each
    starting ``step`` months after the one before (by default ``horizon``: consecutive periods;
    ``step=1`` replays every rolling window, which on a short history of a few reps cuts the
    sampling noise of share-at-target).

    The goal of each period is the one every rep reaches with probability ``design_point``
    (the product's default, 65%), or with ``design_point=None`` ``uplift`` x the sum of median
    forecasts. ``forecast=None`` uses
    the default forecaster calibrated on windows of ``horizon`` months, so that the period
    totals are calibrated on totals of the same length.
    """

    horizon: int = 3
    origins: int = 3
    step: int | None = None
    uplift: float = 1.05
    design_point: float | None = 0.65
    min_group: int = 30
    noise_draws: int = 200
    seed: int = 0
    forecast: ForecastConfig | None = None

    @property
    def months_between_origins(self) -> int:
        return self.horizon if self.step is None else max(1, self.step)

    def forecast_config(self) -> ForecastConfig:
        return self.forecast or ForecastConfig(calibration_months=self.horizon)


@dataclass(frozen=True, eq=False)
class BacktestReport:
    """Headline figures (``summary``, JSON-ready) and the tables behind them."""

    summary: dict[str, Any]
    accuracy: pd.DataFrame
    reliability: pd.DataFrame
    periods: pd.DataFrame
    groups: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Everything as plain JSON values: the summary plus each table as a list of rows."""
        tables = {
            "accuracy": self.accuracy,
            "reliability": self.reliability,
            "periods": self.periods,
            "groups": self.groups,
        }
        out = dict(self.summary)
        for name, table in tables.items():
            out[name] = [
                {k: _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")
            ]
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m")
    return value


# Months of history an origin needs before it (the simple methods' rolling origins need a
# quarter before them and a quarter to score on).
MIN_ORIGIN_HISTORY = 6


def origins_for(months: int, config: BacktestConfig) -> tuple[list[int], list[str]]:
    """Origins of periods ``step`` months apart whose last ends with the history, each with at least
    ``MIN_ORIGIN_HISTORY`` months before it, and a warning when fewer than asked fit."""
    step = config.months_between_origins
    last = months - config.horizon
    wanted = [last - step * k for k in range(config.origins - 1, -1, -1)]
    origins = [o for o in wanted if o >= MIN_ORIGIN_HISTORY]
    if not origins:
        raise ValueError(
            f"{months} months are too few to replay a {config.horizon}-month period: "
            f"{MIN_ORIGIN_HISTORY + config.horizon} months are needed"
        )
    notes = []
    if len(origins) < len(wanted):
        notes.append(
            f"{months} months hold {len(origins)} of the {len(wanted)} periods asked for "
            f"(each needs {MIN_ORIGIN_HISTORY} months before it): the figures rest on fewer "
            "periods"
        )
    return origins, notes


def _stack(tables: list[QuantileTable]) -> QuantileTable:
    return QuantileTable(
        np.concatenate([t.rep_ids for t in tables]),
        tables[0].levels,
        np.concatenate([t.values for t in tables]),
    )


def _methods(forecasts: list[OriginForecast]) -> dict[str, list[FloatArray]]:
    """Each method's forecast matrices (reps x months), one per origin."""
    methods = {
        "model_median": [f.median for f in forecasts],
        "model_mean": [f.point for f in forecasts],
    }
    for name in BASELINES:
        methods[name] = [f.baselines[name] for f in forecasts]
    truths = [f.truth for f in forecasts if f.truth is not None]
    if len(truths) == len(forecasts):
        methods["truth_expected"] = truths
    return methods


def _accuracy(forecasts: list[OriginForecast]) -> pd.DataFrame:
    """WAPE and median pinball loss (= MAE / 2) of every method over all origins and months,
    and WAPE of the period totals (reps employed over the whole period)."""
    actual = np.concatenate([f.actual.ravel() for f in forecasts])
    total = np.concatenate([f.actual.sum(axis=1) for f in forecasts])
    ok, whole = ~np.isnan(actual), ~np.isnan(total)
    rows = []
    for name, matrices in _methods(forecasts).items():
        values = np.concatenate([m.ravel() for m in matrices])
        sums = np.concatenate([m.sum(axis=1) for m in matrices])
        rows.append(
            {
                "method": name,
                "wape": wape(actual[ok], values[ok]),
                "wape_period": wape(total[whole], sums[whole]),
                "pinball_median": float(np.mean(0.5 * np.abs(actual[ok] - values[ok]))),
            }
        )
    return pd.DataFrame(rows)


def _reliability(actual: FloatArray, table: QuantileTable) -> dict[str, float]:
    """Tie-aware ECE over the table's levels and the coverage of the central intervals."""
    levels = table.levels
    observed = pit_reliability(actual, table, levels)
    out = {"ece": float(np.mean(np.abs(observed - levels)))}
    for width in COVERAGE_WIDTHS:
        ends = pit_reliability(actual, table, np.array([0.5 - width / 2, 0.5 + width / 2]))
        out[f"coverage_{round(width * 100)}"] = float(ends[1] - ends[0])
    return out


def _calibration(forecasts: list[OriginForecast]) -> tuple[dict[str, float], pd.DataFrame]:
    """Reliability of the monthly quantiles and of the period totals, interval coverage."""
    monthly = _stack([t for f in forecasts for t in f.monthly])
    shipped = _stack([t for f in forecasts for t in f.shipped])
    actual = np.concatenate([f.actual[:, h] for f in forecasts for h in range(len(f.monthly))])
    period = _stack([f.period for f in forecasts])
    total = np.concatenate([f.actual.sum(axis=1) for f in forecasts])
    seen = ~np.isnan(actual)
    out = _reliability(actual, monthly)
    out |= {f"{k}_period": v for k, v in _reliability(total, period).items()}
    out["ece_predict_columns"] = _reliability(actual, shipped)["ece"]
    out["pinball"] = pinball(actual[seen], monthly.take(np.flatnonzero(seen)))
    out["pinball_scaled"] = out["pinball"] / float(np.nanmean(actual))
    levels = monthly.levels
    table = pd.DataFrame(
        {
            "level": levels,
            "observed_monthly": pit_reliability(actual, monthly, levels),
            "observed_period": pit_reliability(total, period, levels),
        }
    )
    return out, table


def _targets(
    periods: list[PeriodTargets], config: BacktestConfig
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    frame = pd.concat([p.frame.assign(origin=p.origin) for p in periods], ignore_index=True)
    out: dict[str, Any] = {
        "design_point": float(np.mean([p.design_point for p in periods])),
        "share_at_target": float(frame["reached"].mean()),
        "share_within_20pct": float(frame["within_20pct"].mean()),
        **share_band(frame, config.noise_draws, np.random.default_rng(config.seed)),
        "ece_p_achieve": binned_ece(
            frame["probability"].to_numpy(np.float64), frame["reached"].to_numpy(np.float64)
        ),
        # Zero targets of reps who sold in the trailing year (there must be none), and of reps
        # who did not (new or idle: a zero there is the forecast, not a fault).
        "zero_targets": int(((frame["target"] <= 0) & ~(frame["trailing"] <= 0)).sum()),
        "zero_targets_no_history": int(((frame["target"] <= 0) & (frame["trailing"] <= 0)).sum()),
    }
    groups = []
    rng = np.random.default_rng(config.seed)
    for dim in ("rank", "region", "tenure"):
        gap, stats = group_gaps(frame, dim, min_size=config.min_group)
        out[f"gap_{dim}"] = gap
        noise = gap_noise(frame, dim, config.min_group, config.noise_draws, rng)
        out[f"gap_{dim}_noise"] = float(np.median(noise))
        out[f"gap_{dim}_noise_p90"] = float(np.quantile(noise, 0.9))
        groups += [
            {"dimension": dim, "group": str(g), "share_at_target": float(m), "reps": int(n)}
            for g, m, n in stats.itertuples()
        ]
    # A period and the next one that does not overlap it (with step < horizon, windows do).
    lag = -(-config.horizon // config.months_between_origins)
    pairs = [ratchet(a, b) for a, b in zip(periods, periods[lag:], strict=False)]
    for key in pairs[0] if pairs else ():
        out[f"ratchet_{key}"] = float(np.mean([p[key] for p in pairs]))
    rows = [
        {
            "origin": p.origin,
            "reps": len(p.frame),
            "design_point": p.design_point,
            "share_at_target": float(p.frame["reached"].mean()),
            "share_within_20pct": float(p.frame["within_20pct"].mean()),
        }
        for p in periods
    ]
    return out, pd.DataFrame(rows), pd.DataFrame(groups)


def share_band(
    frame: pd.DataFrame, draws: int, rng: np.random.Generator, width: float = 0.9
) -> dict[str, float]:
    """The ``width`` interval of share-at-target when reps and periods are both resampled
    (a two-way bootstrap): how far from the design point sampling alone can put it. A rep's
    periods are correlated, and so are all reps in one period (a market's good or bad
    quarter), so with few of either the band is wide; a share outside it is a bias."""
    grid = frame.pivot_table(index="rep_id", columns="origin", values="reached", aggfunc="mean")
    hits, seen = np.nan_to_num(grid.to_numpy(np.float64)), grid.notna().to_numpy(np.float64)
    reps, periods = hits.shape
    shares = np.empty(max(1, draws))
    for k in range(len(shares)):
        weight = np.bincount(rng.integers(0, reps, size=reps), minlength=reps)
        cols = rng.integers(0, periods, size=periods)
        shares[k] = (weight @ hits[:, cols].sum(axis=1)) / max(
            float(weight @ seen[:, cols].sum(axis=1)), 1.0
        )
    low, high = np.quantile(shares, [(1.0 - width) / 2.0, (1.0 + width) / 2.0])
    return {"share_at_target_low": float(low), "share_at_target_high": float(high)}


def gap_noise(
    frame: pd.DataFrame, column: str, min_group: int, draws: int, rng: np.random.Generator
) -> FloatArray:
    """Gaps of ``draws`` random relabellings: what the gap is when groups do not matter.

    Each rep keeps one label across periods (as in the data), so the null keeps the
    correlation of a rep's periods. An observed gap inside this range is sampling noise, not
    bias; a company with few reps per group has a large noise floor whatever the model.
    """
    labels = frame.drop_duplicates("rep_id").set_index("rep_id")[column]
    out = np.empty(max(1, draws))
    for k in range(len(out)):
        shuffled = pd.Series(rng.permutation(labels.to_numpy()), index=labels.index)
        out[k] = group_gaps(
            frame.assign(**{column: frame["rep_id"].map(shuffled)}), column, min_size=min_group
        )[0]
    return out


def run_backtest(history: History, config: BacktestConfig | None = None) -> BacktestReport:
    """Fit at each origin, forecast its period, set targets and measure against the actuals."""
    config = config or BacktestConfig()
    start = time.perf_counter()
    panel = history.panel()
    truth = history.truth_matrix(panel)
    origins, notes = origins_for(panel.y.shape[1], config)
    forecasts = [
        evaluate_origin(panel, o, config.horizon, config=config.forecast_config(), truth=truth)
        for o in origins
    ]
    periods = [
        set_targets(
            f,
            history.reps,
            panel.hire_index,
            uplift=config.uplift,
            design_point=config.design_point,
        )
        for f in forecasts
    ]
    accuracy = _accuracy(forecasts)
    calibration, table = _calibration(forecasts)
    target_figures, period_rows, groups = _targets(periods, config)
    period_rows["month"] = [panel.months[o] for o in origins]
    by_method = accuracy.set_index("method")["wape"]
    by_period = accuracy.set_index("method")["wape_period"]
    summary: dict[str, Any] = {
        "reps": int(np.mean([len(f.rep_ids) for f in forecasts])),
        "origins": [panel.months[o].strftime("%Y-%m") for o in origins],
        "horizon": config.horizon,
        "uplift": config.uplift if config.design_point is None else None,
        "method": sorted({f.method for f in forecasts}),
        "warnings": list(dict.fromkeys([*notes, *(w for f in forecasts for w in f.warnings)])),
        "wape": float(by_method["model_median"]),
        **{f"wape_{name}": float(by_method[name]) for name in BASELINES},
        "wape_mean": float(by_method["model_mean"]),
        "wape_period": float(by_period["model_median"]),
        **{f"wape_period_{name}": float(by_period[name]) for name in BASELINES},
        **calibration,
        **target_figures,
    }
    if "truth_expected" in by_method:
        summary["wape_truth_expected"] = float(by_method["truth_expected"])
    summary["seconds"] = time.perf_counter() - start
    return BacktestReport(summary, accuracy, table, period_rows, groups)
