"""Rank assessment: expected promotions, retentions and demotions if a plan's targets hold.

Monte Carlo (fixed seed) over each rep's forecast distributions, metrics independent:
weighted attainment = sum_k w_k actual_k / target_k with the rank's weights; a rep is
promoted at or above the rank's promotion threshold (with enough tenure at the period's end,
and a rank above), demoted below the demotion threshold (with a rank below). The ladder's
"n quarters in a row" is read on the plan's period as a whole.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from solver.planning.distribution import ForecastDistribution
from solver.planning.inputs import RankSettings
from solver.types import FloatArray

SIMULATIONS = 2000


@dataclass(frozen=True)
class RepTargets:
    """A rep's period targets per metric with their distributions (a ratio's target is its
    rate), the rep's rank and tenure at the period's end."""

    rep_id: int
    rank_code: str
    tenure_months: int
    targets: tuple[tuple[str, float, ForecastDistribution], ...]


@dataclass(frozen=True)
class RankOutlook:
    rank_code: str
    level: int
    reps: int
    promotions: float
    retentions: float
    demotions: float
    mean_attainment: float


def _attainment(
    rep: RepTargets, rank: RankSettings, rng: np.random.Generator, size: int
) -> FloatArray | None:
    parts = []
    for code, target, dist in rep.targets:
        weight = rank.weight.get(code, 0.0)
        if weight > 0 and target > 0:
            parts.append((weight, dist.sample(rng, size) / target))
    if not parts:
        return None
    score: FloatArray = np.sum([w * a for w, a in parts], axis=0) / sum(w for w, _ in parts)
    return score


def rank_outlook(
    reps: Sequence[RepTargets],
    ranks: Mapping[str, RankSettings],
    *,
    seed: int = 0,
    simulations: int = SIMULATIONS,
) -> list[RankOutlook]:
    """Expected moves per rank, lowest level first; ranks without assessed reps are left out."""
    rng = np.random.default_rng(seed)
    scores = {}
    for rep in reps:
        if rep.rank_code in ranks:
            score = _attainment(rep, ranks[rep.rank_code], rng, simulations)
            if score is not None:
                scores[rep.rep_id] = (rep, score)
    levels = sorted(r.level for r in ranks.values())
    out = []
    for code, rank in sorted(ranks.items(), key=lambda kv: kv[1].level):
        members = [(rep, s) for rep, s in scores.values() if rep.rank_code == code]
        if not members:
            continue
        promo = demo = 0.0
        for rep, score in members:
            if rank.level < levels[-1] and rep.tenure_months >= rank.min_tenure_months:
                promo += float((score >= rank.promotion_threshold).mean())
            if rank.level > levels[0]:
                demo += float((score < rank.demotion_threshold).mean())
        n = len(members)
        attainment = float(np.mean([s.mean() for _, s in members]))
        out.append(RankOutlook(code, rank.level, n, promo, n - promo - demo, demo, attainment))
    return out
