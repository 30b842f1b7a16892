"""The planning core's inputs rebuilt from a generated plan's stored distributions and
bases (no forecast, no history): what-if and overrides start from these."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan
from backend.db.models.planning import TargetDistribution
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.services.planning.common import period_months
from backend.services.planning.loading import load_reps, rank_settings, rep_inputs
from solver.planning import (
    ForecastDistribution,
    MetricInputs,
    PlanInputs,
    PlanSettings,
    RepBasis,
)

Values = Mapping[str, Mapping[int, float]]  # metric code -> node or rep id -> value


def _metric(
    metric: Metric,
    rows: list[TargetDistribution],
    goals: Mapping[int, float],
    locks: Mapping[int, float],
) -> MetricInputs:
    bases = [RepBasis.from_json(r.bounds or {}) for r in rows]
    return MetricInputs(
        code=metric.code,
        integer=metric.is_integer,
        distributions=tuple(
            ForecastDistribution.from_stored(r.levels, r.period, r.monthly, b.mean)
            for r, b in zip(rows, bases, strict=True)
        ),
        last_actual=np.asarray([b.last_actual for b in bases], dtype=np.float64),
        potential=np.asarray([b.potential for b in bases], dtype=np.float64),
        goals=goals,
        locks=locks,
    )


async def stored_inputs(
    session: AsyncSession,
    plan: Plan,
    unit: OrgUnit,
    settings: PlanSettings,
    *,
    goals: Values,
    locks: Values,
    rep_ids: Sequence[int] | None = None,
    metric_codes: Collection[str] | None = None,
) -> PlanInputs:
    """Inputs over the scope's reps (or ``rep_ids``) that have a stored distribution of
    every additive metric (or of ``metric_codes``)."""
    ranks = await rank_settings(session, plan.period_start)
    frame = await load_reps(session, plan, unit, ranks)
    metrics = await repo.metrics_by_code(session)
    by_metric: dict[int, dict[int, TargetDistribution]] = {}
    for d in await repo.distributions(session, plan.id or 0, rep_ids=rep_ids):
        by_metric.setdefault(d.metric_id, {})[d.rep_id] = d
    chosen = sorted(
        (
            m
            for m in metrics.values()
            if m.kind == "additive"
            and m.id in by_metric
            and (metric_codes is None or m.code in metric_codes)
        ),
        key=lambda m: (m.code != "revenue", m.code),
    )
    have = set.intersection(*(set(by_metric[m.id or 0]) for m in chosen)) if chosen else set()
    frame = frame[frame["rep_id"].isin(have)].reset_index(drop=True)
    ids = frame["rep_id"].tolist()
    units = list(await org_repo.subtree(session, unit.path))
    known = {u.id for u in units}
    org = tuple(
        (u.id or 0, None if u.id == unit.id or u.parent_id not in known else u.parent_id)
        for u in units
    )
    return PlanInputs(
        reps=rep_inputs(frame),
        org=org,
        months=tuple(period_months(plan)),
        ranks=ranks,
        metrics=tuple(
            _metric(
                m,
                [by_metric[m.id or 0][i] for i in ids],
                goals.get(m.code, {}),
                locks.get(m.code, {}),
            )
            for m in chosen
        ),
        settings=settings,
        names={u.id or 0: u.name for u in units},
    )
