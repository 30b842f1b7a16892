"""DataLoaders: one query per kind of object per request, whatever the page size."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.dataloader import DataLoader

from backend.db.models import (
    Metric,
    OrgUnit,
    Rank,
    RankMetricSetting,
    RankSettingsVersion,
    Region,
    Rep,
    RepRankHistory,
)
from backend.db.repositories import org as org_repo
from backend.db.repositories import ranks as rank_repo
from backend.db.repositories import reps as rep_repo
from backend.db.repositories.reps import ActualRow
from backend.services import org as org_service
from backend.services.access import Scope
from backend.services.planning import outcome as outcome_service

T = TypeVar("T")
ActualsKey = tuple[int, tuple[str, ...], date | None, date | None]


class Loaders:
    """Batch loaders bound to one session; created fresh for each request."""

    def __init__(
        self, db: Callable[[], AbstractAsyncContextManager[AsyncSession]], scope: Scope
    ) -> None:
        self.db = db
        self.scope = scope
        self.org_unit = DataLoader[int, OrgUnit | None](self._org_units)
        self.rank = DataLoader[int, Rank | None](self._ranks)
        self.region = DataLoader[int, Region | None](self._regions)
        self.metric = DataLoader[int, Metric | None](self._metrics)
        self.rep = DataLoader[int, Rep | None](self._reps)
        self.rank_versions = DataLoader[int, list[RankSettingsVersion]](self._rank_versions)
        self.metric_settings = DataLoader[int, list[RankMetricSetting]](self._metric_settings)
        self.rank_history = DataLoader[int, list[RepRankHistory]](self._rank_history)
        self.actuals = DataLoader[ActualsKey, list[ActualRow]](self._actuals)
        self.org_children = DataLoader[int, list[OrgUnit]](self._org_children)
        self.bottom_up = DataLoader[int, dict[str, float]](self._bottom_up)
        self._subtree_counts: dict[int, int] | None = None
        self._rank_counts: dict[int, int] | None = None

    async def _run(self, query: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        async with self.db() as session:
            return await query(session, *args, **kwargs)

    async def subtree_rep_counts(self) -> dict[int, int]:
        """Active reps per org subtree, computed once per request."""
        if self._subtree_counts is None:
            self._subtree_counts = await self._run(org_service.subtree_rep_counts, self.scope)
        return self._subtree_counts

    async def rank_rep_counts(self) -> dict[int, int]:
        if self._rank_counts is None:
            self._rank_counts = await self._run(
                rank_repo.active_rep_counts_by_rank,
                scope_path=self.scope.org_path,
                scope_rep_id=self.scope.rep_id,
            )
        return self._rank_counts

    async def _org_children(self, ids: Sequence[int]) -> list[list[OrgUnit]]:
        grouped: dict[int, list[OrgUnit]] = {}
        for unit in await self._run(org_repo.children_of, ids):
            if not self.scope.covers_path(unit.path):
                continue
            grouped.setdefault(unit.parent_id or 0, []).append(unit)
        return [grouped.get(i, []) for i in ids]

    async def _bottom_up(self, plan_ids: Sequence[int]) -> list[dict[str, float]]:
        """Bottom-up forecast per plan (metric code -> value); plans are scoped by the caller."""
        found = await self._run(outcome_service.bottom_up_totals, plan_ids=plan_ids)
        return [found.get(i, {}) for i in plan_ids]

    async def _org_units(self, ids: Sequence[int]) -> list[OrgUnit | None]:
        found = await self._run(org_repo.units_by_ids, ids)
        return [u if u and self.scope.covers_path(u.path) else None for u in map(found.get, ids)]

    async def _ranks(self, ids: Sequence[int]) -> list[Rank | None]:
        found = await self._run(rank_repo.ranks_by_ids, ids)
        return [found.get(i) for i in ids]

    async def _regions(self, ids: Sequence[int]) -> list[Region | None]:
        found = await self._run(org_repo.regions_by_ids, ids)
        return [found.get(i) for i in ids]

    async def _metrics(self, ids: Sequence[int]) -> list[Metric | None]:
        found = await self._run(rank_repo.metrics_by_ids, ids)
        return [found.get(i) for i in ids]

    async def _reps(self, ids: Sequence[int]) -> list[Rep | None]:
        if self.scope.nothing:
            return [None for _ in ids]
        found = await self._run(
            rep_repo.reps_by_ids,
            ids,
            scope_path=self.scope.org_path,
            scope_rep_id=self.scope.rep_id,
        )
        return [found.get(i) for i in ids]

    async def _rank_versions(self, ids: Sequence[int]) -> list[list[RankSettingsVersion]]:
        found = await self._run(rank_repo.versions_for_ranks, ids)
        return [found.get(i, []) for i in ids]

    async def _metric_settings(self, ids: Sequence[int]) -> list[list[RankMetricSetting]]:
        found = await self._run(rank_repo.metric_settings_for_versions, ids)
        return [found.get(i, []) for i in ids]

    async def _rank_history(self, ids: Sequence[int]) -> list[list[RepRankHistory]]:
        found = await self._run(rep_repo.rank_history, ids)
        return [found.get(i, []) for i in ids]

    async def _actuals(self, keys: Sequence[ActualsKey]) -> list[list[ActualRow]]:
        """Keys sharing the same filter are fetched together: one query per distinct filter."""
        results: dict[ActualsKey, list[ActualRow]] = {}
        by_filter: dict[tuple[tuple[str, ...], date | None, date | None], list[int]] = {}
        for rep_id, codes, start, end in keys:
            by_filter.setdefault((codes, start, end), []).append(rep_id)
        for (codes, start, end), rep_ids in by_filter.items():
            rows = await self._run(
                rep_repo.actuals,
                rep_ids,
                metric_codes=codes or None,
                from_month=start,
                to_month=end,
            )
            for rep_id in rep_ids:
                results[(rep_id, codes, start, end)] = rows.get(rep_id, [])
        return [results[k] for k in keys]
