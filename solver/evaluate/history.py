"""The history a backtest replays: the same frames the planning service reads.

``History`` holds ``monthly_actuals`` (rep_id, month, metric_code, value), ``reps`` (rep_id,
rank_code, region_code, hire_date, leave_date), ``ranks`` and optionally ``deals`` and the
synthetic ``truth`` (rep_id, month, expected_revenue), which is for evaluation only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from solver.forecast import Panel, build_panel
from solver.types import FloatArray

if TYPE_CHECKING:
    from solver.synth import SyntheticCompany


@dataclass(frozen=True, eq=False)
class History:
    """Frames of a company's past; ``truth`` only for synthetic companies."""

    monthly_actuals: pd.DataFrame
    reps: pd.DataFrame
    ranks: pd.DataFrame
    deals: pd.DataFrame | None = None
    truth: pd.DataFrame | None = None

    @staticmethod
    def from_company(company: SyntheticCompany) -> History:
        """The history of a synthetic company, ground truth kept apart in ``truth``."""
        return History(
            company.monthly_actuals, company.reps, company.ranks, company.deals, company.truth
        )

    def panel(self, metric: str = "revenue") -> Panel:
        return build_panel(
            self.monthly_actuals, self.reps, ranks=self.ranks, deals=self.deals, metric=metric
        )

    def truth_matrix(self, panel: Panel) -> FloatArray | None:
        """Expected revenue per rep (panel rows) x month (panel columns), if known."""
        if self.truth is None or "expected_revenue" not in self.truth:
            return None
        wide = self.truth.pivot_table(
            index="rep_id", columns="month", values="expected_revenue", aggfunc="sum"
        )
        out: FloatArray = wide.reindex(index=panel.rep_ids, columns=panel.months).to_numpy(
            np.float64
        )
        return out


def read_history(path: Path) -> History:
    """A history from a directory of Parquet datasets (``quotient generate`` or an export):
    ``monthly_actuals``, ``reps`` and ``ranks``; ``deals`` and ``truth`` if present."""
    frames = {
        name: pd.read_parquet(path / name) if (path / name).exists() else None
        for name in ("monthly_actuals", "reps", "ranks", "deals", "truth")
    }
    missing = [name for name in ("monthly_actuals", "reps", "ranks") if frames[name] is None]
    if missing:
        raise FileNotFoundError(f"{path}: no {', '.join(missing)}")
    actuals, reps, ranks = frames["monthly_actuals"], frames["reps"], frames["ranks"]
    assert actuals is not None and reps is not None and ranks is not None
    return History(actuals, reps, ranks, frames["deals"], frames["truth"])


def panel_until(panel: Panel, origin: int) -> Panel:
    """The panel as it was known before column ``origin`` (the months after are cut off).

    Leave dates after the origin were not known then: they become "still employed".
    """
    leave = np.where(panel.leave_index >= origin, 1e9, panel.leave_index)
    return replace(
        panel,
        months=panel.months[:origin],
        y=panel.y[:, :origin],
        conversion=panel.conversion[:, :origin],
        pipeline=panel.pipeline[:, :origin],
        leave_index=leave,
    )
