"""Metric definitions and planning coefficients: data, not code."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class Metric(SQLModel, table=True):
    """A measured quantity: additive metrics decompose by sums, ratio metrics by averages."""

    __tablename__ = "metric"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)  # additive | ratio
    is_integer: bool = False
    unit: str = Field(default="", max_length=32)
    description: str = ""


class Coefficient(SQLModel, table=True):
    """A multiplier on baselines: region potential, product-line difficulty, market environment."""

    __tablename__ = "coefficient"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32, index=True)  # region | product_line | market
    key: str = Field(default="", max_length=64)  # region code, product line code, '' for market
    period_start: date
    period_end: date
    value: float
    note: str = ""
