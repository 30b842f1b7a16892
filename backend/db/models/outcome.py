"""What a generation or rebalance leaves beside the targets: what had to give, and the forecast.

Both are replaced wholesale each time a plan is generated or rebalanced.
"""

from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class PlanRelaxation(SQLModel, table=True):
    """One soft constraint that gave so that the hard ones hold (``solver.types.Relaxation``).

    ``limit_value`` is the bound as set, ``required`` the value the stronger constraint forced,
    ``amount`` their distance. Names, rank code and forecast are as they were at generation, so
    the sentence still reads the same after a rep is renamed or promoted.
    """

    __tablename__ = "plan_relaxation"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    metric_code: str = Field(max_length=64)
    family: str = Field(max_length=16)  # rank | band | cap | phasing | monotonicity
    side: str | None = Field(default=None, max_length=8)  # lower | upper
    scope: str = Field(max_length=8)  # rep | node | metric
    rep_id: int | None = Field(default=None, foreign_key="rep.id")
    org_unit_id: int | None = Field(default=None, foreign_key="org_unit.id")
    limit_value: float
    required: float
    amount: float
    because: str = Field(max_length=32)
    reps: int = 1
    rep_name: str | None = Field(default=None, max_length=200)
    rank_code: str | None = Field(default=None, max_length=32)
    forecast: float | None = None
    node_name: str | None = Field(default=None, max_length=200)


class PlanBottomUp(SQLModel, table=True):
    """The bottom-up forecast of a plan's scope for one metric: the sum of its reps' forecasts."""

    __tablename__ = "plan_bottom_up"
    __table_args__ = (UniqueConstraint("plan_id", "metric_code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    metric_code: str = Field(max_length=64)
    value: float
