"""Monthly panels of the two real samples in ``data/``, built from their CSVs for measuring.

The imports of these files are another piece of work; the backtest only needs the frames
``solver.evaluate.History`` holds, so they are built here directly:

- ``data/maven-crm/sales_pipeline.csv`` (Maven Analytics CRM sample): won deals, revenue =
  ``close_value`` in the month of ``close_date``, rep = ``sales_agent``, region = the agent's
  ``regional_office`` (``sales_teams.csv``); no hire dates, so every rep is employed from the
  first engage month.
- ``data/sap-bikes/SalesOrders.csv`` (SAP EPM bikes sample): revenue = ``NETAMOUNT`` in the
  month of ``CREATEDAT`` (YYYYMMDD), rep = ``CREATEDBY``, region = the rep's most frequent
  ``SALESORG``; cancelled orders (``LIFECYCLESTATUS`` X) dropped; hire date =
  ``VALIDITY_STARTDATE`` of ``Employees.csv``.

Run as a script to print the backtest of each (``python tests/solver/real_panels.py``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from solver.evaluate import History

DATA = Path(__file__).resolve().parents[2] / "data"
RANKS = pd.DataFrame({"rank_code": ["R1"], "level": [1]})


def _history(deals: pd.DataFrame, region: pd.Series, hire: pd.Series) -> History:
    """``deals``: rep, month (Timestamp), value."""
    codes = {name: k + 1 for k, name in enumerate(sorted(deals["rep"].unique()))}
    monthly = deals.groupby(["rep", "month"], as_index=False)["value"].sum()
    actuals = pd.DataFrame(
        {
            "rep_id": monthly["rep"].map(codes).astype("int64"),
            "month": monthly["month"],
            "metric_code": "revenue",
            "value": monthly["value"].astype("float64"),
        }
    )
    reps = pd.DataFrame(
        {
            "rep_id": list(codes.values()),
            "rank_code": "R1",
            "region_code": [str(region.get(name, "")) for name in codes],
            "hire_date": [hire.get(name, pd.NaT) for name in codes],
            "leave_date": pd.NaT,
        }
    )
    return History(actuals, reps, RANKS)


def maven_history() -> History:
    """The Maven CRM sample's won revenue per agent and month (30 agents, 10 months)."""
    deals = pd.read_csv(DATA / "maven-crm" / "sales_pipeline.csv")
    teams = pd.read_csv(DATA / "maven-crm" / "sales_teams.csv")
    won = deals[deals["deal_stage"] == "Won"]
    start = pd.Timestamp(deals["engage_date"].min()).to_period("M").to_timestamp()
    frame = pd.DataFrame(
        {
            "rep": won["sales_agent"],
            "month": pd.to_datetime(won["close_date"]).dt.to_period("M").dt.to_timestamp(),
            "value": won["close_value"].astype("float64"),
        }
    )
    region = teams.set_index("sales_agent")["regional_office"]
    hire = pd.Series(start, index=frame["rep"].unique())
    return _history(frame, region, hire)


def sap_history() -> History:
    """The SAP bikes sample's net order value per employee and month (14 reps, 18 months)."""
    orders = pd.read_csv(DATA / "sap-bikes" / "SalesOrders.csv", dtype=str)
    staff = pd.read_csv(DATA / "sap-bikes" / "Employees.csv", dtype=str, encoding="cp1252")
    orders = orders[orders["LIFECYCLESTATUS"] != "X"]
    frame = pd.DataFrame(
        {
            "rep": orders["CREATEDBY"],
            "month": pd.to_datetime(orders["CREATEDAT"], format="%Y%m%d")
            .dt.to_period("M")
            .dt.to_timestamp(),
            "value": orders["NETAMOUNT"].astype("float64"),
        }
    )
    region = orders.groupby("CREATEDBY")["SALESORG"].agg(lambda s: s.mode().iloc[0])
    hire = (
        pd.to_datetime(staff.set_index("EMPLOYEEID")["VALIDITY_STARTDATE"], format="%Y%m%d")
        .dt.to_period("M")
        .dt.to_timestamp()
    )
    return _history(frame, region, hire)


HISTORIES = {"maven-crm": maven_history, "sap-bikes": sap_history}

if __name__ == "__main__":  # pragma: no cover - a measuring script
    from solver.evaluate import BacktestConfig, run_backtest

    keys = (
        "reps",
        "origins",
        "method",
        "wape",
        "wape_seasonal_naive",
        "wape_history_mean",
        "wape_exponential_smoothing",
        "wape_naive",
        "coverage_80",
        "coverage_80_period",
        "share_at_target",
        "zero_targets",
        "warnings",
    )
    horizon = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for name, build in HISTORIES.items():
        try:
            report = run_backtest(build(), BacktestConfig(horizon=horizon))
            summary = {k: report.summary.get(k) for k in keys if k in report.summary}
        except Exception as exc:
            summary = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps({"data": name, **summary}, default=str))
