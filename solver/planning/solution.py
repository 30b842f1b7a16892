"""Results of the planning core: per metric targets, probabilities, flags and explanations;
relaxations and the context that names them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from solver.explain import explain_targets, flag_extremes
from solver.planning.activity import joins_in_period, leaves_in_period
from solver.planning.arrays import MetricArrays
from solver.planning.basis import RepBasis
from solver.planning.context import RelaxationContext
from solver.planning.distribution import (
    ForecastDistribution,
    month_table,
    period_probabilities,
)
from solver.planning.inputs import PlanInputs
from solver.probability import prob_at_least
from solver.types import DecompositionResult, FloatArray, Relaxation

EXPLANATION_PARTS = ("rank_baseline", "coefficients", "history", "strategy", "constraint")


@dataclass(frozen=True, eq=False)
class MetricSolution:
    """One metric's targets, rows in ``PlanInputs.reps`` order."""

    code: str
    total: FloatArray
    ideal: FloatArray
    monthly: FloatArray  # (n, months)
    period_p: FloatArray
    monthly_p: FloatArray  # (n, months)
    binding: list[str]
    flags: list[list[str]]
    explanation: pd.DataFrame  # one row per rep: EXPLANATION_PARTS, binding, value
    distributions: tuple[ForecastDistribution, ...]  # after ramp and leave: store these
    basis: tuple[RepBasis, ...]
    locked: frozenset[int]

    @property
    def bottom_up(self) -> float:
        """What the reps would sell with no target: the sum of their forecast means."""
        return float(np.nansum([d.mean for d in self.distributions]))


@dataclass(frozen=True, eq=False)
class PlanSolution:
    """Targets of every additive metric, the common equal-difficulty level per metric, the
    soft constraints that gave and the names to explain them."""

    rep_ids: tuple[int, ...]
    metrics: Mapping[str, MetricSolution]
    probability: Mapping[str, float | None]
    relaxations: tuple[Relaxation, ...]
    context: RelaxationContext
    seconds: float

    @property
    def bottom_up(self) -> dict[str, float]:
        return {code: m.bottom_up for code, m in self.metrics.items()}


def relaxation_context(inputs: PlanInputs, arrays: list[MetricArrays]) -> RelaxationContext:
    """Rep names, rank codes and forecast means, node names: what relaxations are told with."""
    return RelaxationContext(
        rep_names={r.rep_id: r.name for r in inputs.reps},
        rep_ranks={r.rep_id: r.rank_code for r in inputs.reps},
        rep_forecasts={
            (r.rep_id, a.code): float(a.mean[i]) for a in arrays for i, r in enumerate(inputs.reps)
        },
        node_names=dict(inputs.names),
    )


def _without_idle_months(monthly: FloatArray, active: FloatArray, share: FloatArray) -> FloatArray:
    """Whatever landed in a month the rep does not work moves to the rep's largest worked
    month: totals (hence goals) and whole counts are unchanged."""
    idle = (active <= 0) & (np.abs(monthly) > 0)
    if not idle.any():
        return monthly
    out = monthly.copy()
    for i in np.flatnonzero(idle.any(axis=1)):
        worked = np.flatnonzero(active[i] > 0)
        if not len(worked):
            continue
        target = worked[np.argmax(share[i, worked])]
        out[i, target] += out[i, active[i] <= 0].sum()
        out[i, active[i] <= 0] = 0.0
    return out


def metric_solution(
    inputs: PlanInputs, arrays: MetricArrays, result: DecompositionResult
) -> MetricSolution:
    rep_ids, months = inputs.rep_ids, [pd.Timestamp(m) for m in inputs.months]
    totals = result.totals[result.totals["metric_code"] == arrays.code].set_index("rep_id")
    totals = totals.reindex(rep_ids)
    total = totals["value"].to_numpy(np.float64)
    frame = result.monthly[result.monthly["metric_code"] == arrays.code]
    wide = frame.pivot_table(index="rep_id", columns="month", values="value")
    monthly = wide.reindex(index=rep_ids, columns=months).to_numpy(np.float64)
    monthly = _without_idle_months(monthly, arrays.active, arrays.share)
    dists = arrays.distributions
    monthly_p = (
        np.column_stack(
            [
                prob_at_least(month_table(dists, rep_ids, m), monthly[:, m])
                for m in range(len(months))
            ]
        )
        if months
        else np.zeros((len(rep_ids), 0))
    )
    binding = totals["binding"].fillna("").astype(str).tolist()
    ideal = totals["ideal"].to_numpy(np.float64)
    coefficients = [r.coefficient for r in inputs.reps]
    return MetricSolution(
        code=arrays.code,
        total=total,
        ideal=ideal,
        monthly=monthly,
        period_p=period_probabilities(dists, total),
        monthly_p=monthly_p,
        binding=binding,
        flags=_flags(inputs, arrays, total, binding),
        explanation=_explain(inputs, arrays, total, ideal, binding),
        distributions=dists,
        basis=tuple(arrays.basis(i, c) for i, c in enumerate(coefficients)),
        locked=frozenset(int(r) for r in arrays.metric.locks),
    )


def _flags(
    inputs: PlanInputs, arrays: MetricArrays, total: FloatArray, binding: list[str]
) -> list[list[str]]:
    frame = pd.DataFrame(
        {
            "rep_id": inputs.rep_ids,
            "value": total,
            "history": arrays.last_actual,
            "rank_code": [r.rank_code for r in inputs.reps],
            "baseline": arrays.baseline,
        }
    )
    names = ["vs_history", "vs_peers", "vs_baseline"]
    flagged = flag_extremes(frame)[names]
    out = []
    for i, row in enumerate(flagged.itertuples(index=False)):
        flags = [name for name, on in zip(names, row, strict=True) if bool(on)]
        if binding[i]:
            flags.append(f"at_{binding[i]}")
        if leaves_in_period(inputs.reps[i], inputs.months):
            flags.append("leaves_in_period")
        if joins_in_period(inputs.reps[i], inputs.months):
            flags.append("joins_in_period")
        out.append(flags)
    return out


def _explain(
    inputs: PlanInputs,
    arrays: MetricArrays,
    total: FloatArray,
    ideal: FloatArray,
    binding: list[str],
) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "rep_id": inputs.rep_ids,
            "value": total,
            "baseline": np.nan_to_num(arrays.baseline),
            "coefficient": [r.coefficient for r in inputs.reps],
            "forecast": arrays.mean,
            "ideal": ideal,
            "binding": binding,
        }
    )
    return explain_targets(frame)
