"""The stored explanation of a rep's period target: readable components that add up to it."""

from __future__ import annotations

from typing import Any

from solver.planning.solution import EXPLANATION_PARTS, MetricSolution


def period_explanation(sol: MetricSolution, i: int, method: str) -> dict[str, Any]:
    """Components (rank baseline + coefficients + history + strategy + constraint = target),
    the bound it sits on, the period total and its P(achieve), the ideal, the floor and what
    it comes from (the rank, or the trailing year when the rank sets none), the forecast
    method (with its warning when the history is short)."""
    row = sol.explanation.iloc[i]
    return {
        "components": {p: float(row[p]) for p in EXPLANATION_PARTS},
        "binding": str(row["binding"]),
        "period_total": float(sol.total[i]),
        "period_probability": float(sol.period_p[i]),
        "ideal": float(sol.ideal[i]),
        "floor": {"value": sol.basis[i].floor, "source": sol.basis[i].floor_source}
        if sol.basis and sol.basis[i].floor_source
        else None,
        "forecast_method": method,
    }
