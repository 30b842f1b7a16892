"""Ratio metrics (collection rate, satisfaction): each rep's target from the rank baseline
times the rep's coefficients (``solver.ratio``), P(achieve) from the rep's own months."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from solver.planning.distribution import ForecastDistribution
from solver.planning.inputs import RankSettings, RepInput
from solver.ratio import ratio_targets


@dataclass(frozen=True)
class RatioTarget:
    rep_id: int
    value: float
    probability: float
    distribution: ForecastDistribution


def ratio_metric_targets(
    reps: Sequence[RepInput],
    ranks: Mapping[str, RankSettings],
    code: str,
    history: Mapping[int, Sequence[float]],
) -> list[RatioTarget]:
    """Targets of reps whose rank sets a baseline for ``code``; ``history`` the rep's past
    monthly values of the metric."""
    chosen = [r for r in reps if r.rank_code in ranks and code in ranks[r.rank_code].baseline]
    if not chosen:
        return []
    targets = ratio_targets(
        np.asarray([r.rep_id for r in chosen], dtype=np.int64),
        np.asarray([ranks[r.rank_code].baseline[code] for r in chosen], dtype=np.float64),
        np.asarray([r.coefficient for r in chosen], dtype=np.float64),
        np.ones(len(chosen)),
        metric=code,
    )
    out = []
    for rep, value in zip(chosen, targets.values, strict=True):
        dist = ForecastDistribution.empirical(history.get(rep.rep_id, ()))
        out.append(RatioTarget(rep.rep_id, float(value), dist.p_period(float(value)), dist))
    return out
