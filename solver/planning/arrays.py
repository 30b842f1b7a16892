"""One additive metric of a plan as arrays over its reps: distributions after ramp and leave,
rank bounds of the period total, last year's actual, phasing shares."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.planning.activity import activity_matrix, ramp_matrix, worked_year_before
from solver.planning.basis import RepBasis
from solver.planning.distribution import ForecastDistribution, period_table
from solver.planning.inputs import MetricInputs, PlanInputs
from solver.strategies import history_floor, rise_anchor
from solver.types import FloatArray, IntArray, QuantileTable


@dataclass(frozen=True, eq=False)
class MetricArrays:
    """Per rep (rows in ``PlanInputs.reps`` order): ``monthly[i, m, j]`` quantiles."""

    metric: MetricInputs
    distributions: tuple[ForecastDistribution, ...]
    levels: FloatArray
    monthly: FloatArray  # (n, months, levels)
    mean: FloatArray
    floor: FloatArray  # rank floor (else the history floor) of the period total (NaN = none)
    ceiling: FloatArray
    baseline: FloatArray
    last_actual: FloatArray  # NaN = not employed over the whole comparison period
    share: FloatArray  # (n, months) phasing shares, 0 in months not worked
    active: FloatArray  # (n, months) 1 where the rep works the month
    anchor: FloatArray  # what the cap on the rise is over (NaN = no cap)
    floor_source: tuple[str, ...] = ()  # per rep: "rank", "trailing_year" or ""

    @property
    def code(self) -> str:
        return self.metric.code

    def table(self, rep_ids: IntArray) -> QuantileTable:
        return period_table(self.distributions, rep_ids)

    def basis(self, i: int, coefficient: float) -> RepBasis:
        return RepBasis(
            floor=float(self.floor[i]),
            floor_source=self.floor_source[i] if self.floor_source else "",
            ceiling=float(self.ceiling[i]),
            baseline=float(self.baseline[i]),
            last_actual=float(self.last_actual[i]),
            mean=float(self.mean[i]),
            potential=float(self.metric.potential[i]),
            share=tuple(float(s) for s in self.share[i]),
            coefficient=coefficient,
        )


def _shares(monthly: FloatArray, active: FloatArray) -> FloatArray:
    """Each rep's months in proportion to the median forecast; uniform over worked months
    when the forecast is zero."""
    centre = monthly[:, :, monthly.shape[2] // 2] * active
    sums = centre.sum(axis=1, keepdims=True)
    worked = np.maximum(active.sum(axis=1, keepdims=True), 1.0)
    out: FloatArray = np.where(sums > 0, centre / np.where(sums > 0, sums, 1.0), active / worked)
    return out


def metric_arrays(inputs: PlanInputs, metric: MetricInputs) -> MetricArrays:
    """The metric's arrays; distributions are restricted to the months each rep works."""
    reps, months = inputs.reps, inputs.months
    active = activity_matrix(reps, months)
    ramp = ramp_matrix(reps, inputs.ranks, months)
    dists = tuple(d.restricted(active[i]) for i, d in enumerate(metric.distributions))

    def rank_value(kind: str) -> FloatArray:
        values = []
        for rep in reps:
            rank = inputs.ranks.get(rep.rank_code)
            table = getattr(rank, kind) if rank else {}
            values.append(table.get(metric.code, np.nan))
        return np.asarray(values, dtype=np.float64)

    baseline = rank_value("baseline") * ramp.sum(axis=1)
    trailing = np.asarray([d.trailing_total for d in dists], dtype=np.float64)
    employed = np.asarray([d.trailing_months for d in dists], dtype=np.float64)
    worked = active.sum(axis=1)
    rank_floor = baseline * rank_value("floor")
    from_rank = np.isfinite(rank_floor) & (rank_floor > 0)
    from_history = history_floor(trailing, employed, worked)
    floor = np.where(from_rank, rank_floor, from_history)
    source = np.where(from_rank, "rank", np.where(np.isfinite(from_history), "trailing_year", ""))
    monthly = np.asarray([d.monthly for d in dists], dtype=np.float64)
    before = np.asarray([worked_year_before(r, months) for r in reps], dtype=bool)
    return MetricArrays(
        metric=metric,
        distributions=dists,
        levels=dists[0].levels,
        monthly=monthly,
        mean=np.asarray([d.mean for d in dists], dtype=np.float64),
        floor=floor,
        ceiling=baseline * rank_value("ceiling"),
        baseline=baseline,
        last_actual=np.where(before, metric.last_actual, np.nan),
        share=_shares(monthly, active),
        active=active,
        anchor=rise_anchor(
            np.where(before, metric.last_actual, np.nan), trailing, employed, worked
        ),
        floor_source=tuple(str(x) for x in source),
    )
