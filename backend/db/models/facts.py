"""Imported business facts (CRM, ERP, surveys) and the monthly actuals aggregated from them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class ProductLine(SQLModel, table=True):
    """A product line; its difficulty and sales-cycle length shape targets."""

    __tablename__ = "product_line"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    difficulty: float = 1.0
    cycle_months: float = 1.0


class Product(SQLModel, table=True):
    """A sellable product."""

    __tablename__ = "product"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=64, unique=True)
    product_line_id: int = Field(foreign_key="product_line.id", index=True)
    name: str = Field(max_length=200)
    list_price: float = 0.0


class Customer(SQLModel, table=True):
    """An account (customer company) in a segment."""

    __tablename__ = "customer"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=300)
    segment: str = Field(default="", max_length=64)
    region_id: int | None = Field(default=None, foreign_key="region.id")
    owner_rep_id: int | None = Field(default=None, foreign_key="rep.id", index=True)


class Deal(SQLModel, table=True):
    """A CRM opportunity; ``closed_on`` is set once won or lost."""

    __tablename__ = "deal"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=64, unique=True)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    product_id: int | None = Field(default=None, foreign_key="product.id")
    stage: str = Field(max_length=32, index=True)
    created_on: date
    closed_on: date | None = Field(default=None, index=True)
    value: float = 0.0


class DealCredit(SQLModel, table=True):
    """A credit split: a deal credited to several reps by share (absent = 100% to the owner)."""

    __tablename__ = "deal_credit"
    __table_args__ = (UniqueConstraint("deal_id", "rep_id"),)

    id: int | None = Field(default=None, primary_key=True)
    deal_id: int = Field(foreign_key="deal.id", index=True)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    share: float


class Invoice(SQLModel, table=True):
    """An ERP invoice for a deal."""

    __tablename__ = "invoice"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=64, unique=True)
    deal_id: int | None = Field(default=None, foreign_key="deal.id", index=True)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    issued_on: date
    due_on: date
    amount: float


class Payment(SQLModel, table=True):
    """A payment received against an invoice."""

    __tablename__ = "payment"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(max_length=64, unique=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    paid_on: date
    amount: float


class SatisfactionScore(SQLModel, table=True):
    """A customer satisfaction survey answer about a rep (1..5)."""

    __tablename__ = "satisfaction_score"

    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    surveyed_on: date
    score: float


class MonthlyActual(SQLModel, table=True):
    """The aggregated value of one metric for one rep in one month."""

    __tablename__ = "monthly_actual"
    __table_args__ = (UniqueConstraint("rep_id", "metric_id", "month"),)

    id: int | None = Field(default=None, primary_key=True)
    rep_id: int = Field(foreign_key="rep.id", index=True)
    metric_id: int = Field(foreign_key="metric.id")
    month: date  # first day of the month
    value: float
