"""Loading what a plan needs from the database into frames: reps, tree, ranks, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import Metric, OrgUnit, Plan, Rep
from backend.db.repositories import org as org_repo
from backend.db.repositories import planning as repo
from backend.db.repositories import ranks as rank_repo
from backend.db.repositories import reps as rep_repo
from backend.services.planning.common import period_months
from solver.planning import RankSettings, RepInput
from solver.planning.months import add_months, year_earlier

HISTORY_MONTHS = 36


@dataclass(frozen=True, eq=False)
class Loaded:
    """reps: rep_id, name, team_id, team_path, rank_code, rank_level, region_code,
    coefficient, hire_date, leave_date. history: rep_id, month, metric_code, value."""

    reps: pd.DataFrame
    units: list[OrgUnit]
    metrics: dict[str, Metric]
    ranks: dict[str, RankSettings]
    history: pd.DataFrame
    months: list[date]

    def rep_inputs(self) -> tuple[RepInput, ...]:
        return rep_inputs(self.reps)

    @property
    def names(self) -> dict[int, str]:
        return {u.id or 0: u.name for u in self.units}


def rep_inputs(reps: pd.DataFrame) -> tuple[RepInput, ...]:
    """The planning core's reps from a loaded frame (same order)."""
    return tuple(_rep_input(r) for r in reps.to_dict("records"))


def _rep_input(r: dict[Any, Any]) -> RepInput:
    leave = r["leave_date"]
    return RepInput(
        rep_id=int(r["rep_id"]),
        team_id=int(r["team_id"]),
        rank_code=str(r["rank_code"]),
        rank_level=int(r["rank_level"]),
        hire_date=r["hire_date"],
        leave_date=None if leave is None or pd.isna(leave) else leave,
        coefficient=float(r["coefficient"]),
        name=str(r["name"]),
    )


async def rank_settings(session: AsyncSession, on: date) -> dict[str, RankSettings]:
    """The rank settings in effect on a day, per rank code."""
    ranks = await rank_repo.all_ranks(session)
    versions = await rank_repo.versions_for_ranks(session, [r.id for r in ranks if r.id])
    chosen = {r.code: rank_repo.in_effect(versions.get(r.id or 0, []), on) for r in ranks}
    ids = [v.id for v in chosen.values() if v is not None and v.id is not None]
    settings = await rank_repo.metric_settings_for_versions(session, ids)
    codes = {m.id: m.code for m in await rank_repo.all_metrics(session)}
    out = {}
    for rank in ranks:
        version = chosen[rank.code]
        rows = settings.get(version.id or 0, []) if version else []
        out[rank.code] = RankSettings(
            level=rank.level,
            baseline={codes[s.metric_id]: s.baseline for s in rows},
            floor={codes[s.metric_id]: s.floor_multiplier for s in rows},
            ceiling={codes[s.metric_id]: s.ceiling_multiplier for s in rows},
            weight={codes[s.metric_id]: s.weight for s in rows},
            ramp=tuple(version.ramp_profile) if version else (),
            promotion_threshold=version.promotion_threshold if version else 1.1,
            demotion_threshold=version.demotion_threshold if version else 0.7,
            min_tenure_months=version.min_tenure_months if version else 12,
        )
    return out


def _rep_frame(
    rows: list[tuple[Rep, str]],
    rank_codes: dict[int, str],
    ranks: dict[str, RankSettings],
    regions: dict[int, tuple[str, float]],
) -> pd.DataFrame:
    records = []
    for rep, path in rows:
        code = rank_codes.get(rep.rank_id, "")
        region = regions.get(rep.region_id or 0, ("", 1.0))
        records.append(
            {
                "rep_id": rep.id,
                "name": rep.name,
                "team_id": rep.team_id,
                "team_path": path,
                "rank_code": code,
                "rank_level": ranks[code].level if code in ranks else 1,
                "region_code": region[0],
                "region_id": rep.region_id or 0,
                "coefficient": region[1],
                "hire_date": rep.hire_date,
                "leave_date": rep.leave_date,
            }
        )
    columns = [
        "rep_id",
        "name",
        "team_id",
        "team_path",
        "rank_code",
        "rank_level",
        "region_code",
        "region_id",
        "coefficient",
        "hire_date",
        "leave_date",
    ]
    return pd.DataFrame(records, columns=columns)


async def load_reps(
    session: AsyncSession, plan: Plan, unit: OrgUnit, ranks: dict[str, RankSettings]
) -> pd.DataFrame:
    """Reps of the scope who work part of the period: not left before it starts (leavers
    inside it included, targets end with their leaving), hired before it ends."""
    rank_codes = {r.id: r.code for r in await rank_repo.all_ranks(session) if r.id}
    regions = {
        r.id: (r.code, r.market_potential) for r in await org_repo.all_regions(session) if r.id
    }
    rows = [
        (rep, path)
        for rep, path in await repo.reps_under(session, unit.path, active_on=plan.period_start)
        if rep.hire_date <= plan.period_end
    ]
    return _rep_frame(rows, rank_codes, ranks, regions)


async def load_scope(session: AsyncSession, plan: Plan, unit: OrgUnit) -> Loaded:
    """Reps working in the scope during the period, the subtree, ranks in effect, history."""
    months = period_months(plan)
    ranks = await rank_settings(session, plan.period_start)
    reps = await load_reps(session, plan, unit, ranks)
    history = await history_frame(
        session,
        reps["rep_id"].tolist(),
        start=add_months(months[0], -HISTORY_MONTHS),
        end=add_months(months[0], -1),
    )
    return Loaded(
        reps=reps,
        units=list(await org_repo.subtree(session, unit.path)),
        metrics=await repo.metrics_by_code(session),
        ranks=ranks,
        history=history,
        months=months,
    )


async def history_frame(
    session: AsyncSession, rep_ids: list[int], *, start: date, end: date
) -> pd.DataFrame:
    """Monthly actuals of the reps between two months, as a long frame."""
    grouped = await rep_repo.actuals(session, rep_ids, from_month=start, to_month=end)
    records = [
        (row.rep_id, pd.Timestamp(row.month), row.metric_code, row.value)
        for rows in grouped.values()
        for row in rows
    ]
    return pd.DataFrame(records, columns=["rep_id", "month", "metric_code", "value"])


def last_year_totals(
    history: pd.DataFrame, rep_ids: np.ndarray, months: list[date], metric: str
) -> np.ndarray:
    """Each rep's actual over the same months a year earlier (NaN without any such month)."""
    earlier = [pd.Timestamp(year_earlier(m)) for m in months]
    part = history[(history["metric_code"] == metric) & history["month"].isin(earlier)]
    sums = part.groupby("rep_id")["value"].sum()
    return sums.reindex(rep_ids).to_numpy(np.float64)
