"""Tests of the synthetic company generator: determinism, integrity, derivations, realism."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from solver.synth import (
    CompanyConfig,
    SyntheticCompany,
    generate_company,
    read_company,
    write_company,
)

AS_OF = datetime.date(2025, 7, 1)
TABLES = list(SyntheticCompany.__dataclass_fields__)


def make_config(*, n_reps: int = 400, months: int = 24, seed: int = 11) -> CompanyConfig:
    return CompanyConfig(n_reps=n_reps, months=months, as_of=AS_OF, seed=seed)


@pytest.fixture(scope="module")
def company() -> SyntheticCompany:
    return generate_company(make_config())


@pytest.fixture(scope="module")
def actuals(company: SyntheticCompany) -> pd.DataFrame:
    """Wide actuals with the rank held in each month and the tenure in months."""
    wide = company.monthly_actuals.pivot(
        index=["rep_id", "month"], columns="metric_code", values="value"
    ).reset_index()
    history = company.rank_history.sort_values("effective_from")
    wide = pd.merge_asof(
        wide.sort_values("month"),
        history,
        left_on="month",
        right_on="effective_from",
        by="rep_id",
    )
    wide = wide.merge(company.reps[["rep_id", "hire_date"]], on="rep_id")

    def months(s: pd.Series) -> pd.Series:
        return s.dt.year * 12 + s.dt.month

    wide["tenure_months"] = months(wide["month"]) - months(wide["hire_date"])
    return wide


def _month(s: pd.Series) -> pd.Series:
    return s.dt.to_period("M").dt.to_timestamp()


# Determinism ---------------------------------------------------------------------------------


def test_same_seed_gives_equal_frames(company: SyntheticCompany) -> None:
    again = generate_company(make_config())
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(company, name), getattr(again, name), obj=name)


def test_different_seed_gives_different_deals(company: SyntheticCompany) -> None:
    other = generate_company(make_config(seed=12))
    assert not company.deals["value"].head(100).equals(other.deals["value"].head(100))


def test_chunked_write_equals_in_memory_generation(tmp_path: Path) -> None:
    config = make_config(n_reps=150, months=12)
    stats = write_company(config, tmp_path, chunk_reps=40)
    written, in_memory = read_company(tmp_path), generate_company(config)
    assert stats.chunks >= 2
    assert len(list((tmp_path / "deals").glob("part-*.parquet"))) == stats.chunks
    for name in TABLES:
        pd.testing.assert_frame_equal(
            getattr(written, name), getattr(in_memory, name), obj=name, check_dtype=False
        )


def test_write_company_reports_rows_time_and_memory(tmp_path: Path) -> None:
    stats = write_company(make_config(n_reps=60, months=12), tmp_path)
    reps = pd.read_parquet(tmp_path / "reps")
    assert stats.n_reps == 60
    assert stats.rows["reps"] == len(reps) > 60, "leavers come on top of the 60 active reps"
    assert reps["leave_date"].isna().sum() == 60
    assert stats.rows["deals"] == len(pd.read_parquet(tmp_path / "deals"))
    assert set(TABLES) <= set(stats.rows)
    assert stats.seconds > 0
    assert stats.peak_memory_mb > 0


def test_too_small_company_is_refused() -> None:
    with pytest.raises(ValueError, match="n_reps"):
        generate_company(CompanyConfig(n_reps=3))


# Shape and referential integrity -------------------------------------------------------------


def test_history_is_the_whole_months_before_as_of(company: SyntheticCompany) -> None:
    months = company.monthly_actuals["month"].drop_duplicates().sort_values()
    assert len(months) == 24
    assert months.iloc[-1] == pd.Timestamp("2025-06-01")
    assert (company.deals["closed_on"].dropna() < pd.Timestamp(AS_OF)).all()


def test_reps_have_consecutive_unique_ids(company: SyntheticCompany) -> None:
    reps = company.reps
    assert reps["rep_id"].tolist() == list(range(1, len(reps) + 1))
    assert reps["external_id"].is_unique and reps["external_id"].str.match(r"^E\d{6}$").all()
    assert reps["name"].str.len().gt(3).all()


@pytest.mark.parametrize("n_reps", [10, 11, 57, 300, 2_000])
def test_n_reps_are_employed_at_as_of_and_leavers_come_on_top(n_reps: int) -> None:
    c = generate_company(make_config(n_reps=n_reps, months=36, seed=n_reps))
    active = c.reps[c.reps["leave_date"].isna()]
    assert len(active) == n_reps
    assert len(c.reps) > n_reps and c.reps["leave_date"].notna().any()
    assert len(c.territories) == n_reps and active["territory"].is_unique
    assert (active["hire_date"] < pd.Timestamp(AS_OF)).all()
    last_month = c.truth[c.truth["month"] == c.truth["month"].max()]
    assert active["rep_id"].isin(last_month["rep_id"]).all()
    assert set(c.customers["owner_rep_id"]) <= set(c.reps["rep_id"])


def test_teams_sum_exactly_to_n_reps_seats() -> None:
    c = generate_company(make_config(n_reps=2_000, months=12))
    seats = c.territories.groupby("team_id").size()
    assert seats.sum() == 2_000 and seats.between(6, 10).all()
    assert set(seats) == set(range(6, 11))


def test_leavers_are_ten_to_twenty_percent_of_the_headcount_a_year(
    company: SyntheticCompany,
) -> None:
    in_history = company.reps["leave_date"].notna()
    headcount = company.truth.groupby("month")["employed_share"].sum().mean()
    assert 0.10 < in_history.sum() / headcount / 2 < 0.20  # 24 months


def test_org_tree_lists_parents_before_children(company: SyntheticCompany) -> None:
    org = company.org_units
    position = dict(zip(org["org_id"], range(len(org)), strict=True))
    assert org["parent_id"].isna().sum() == 1
    children = org.dropna(subset=["parent_id"])
    assert all(
        position[int(p)] < position[c]
        for p, c in zip(children["parent_id"], children["org_id"], strict=True)
    )
    kinds = org.set_index("org_id")["kind"]
    parent_kind = kinds.loc[children["parent_id"].astype(int)].to_numpy()
    expected = {"region": "company", "branch": "region", "team": "branch"}
    assert (children["kind"].map(expected).to_numpy() == parent_kind).all()


def test_every_rep_belongs_to_a_team_of_their_region(company: SyntheticCompany) -> None:
    org = company.org_units.set_index("org_id")
    teams = org.loc[company.reps["team_id"]]
    assert (teams["kind"] == "team").all()
    assert (teams["region_code"].to_numpy() == company.reps["region_code"].to_numpy()).all()
    assert company.reps["territory"].isin(company.territories["territory"]).all()


def test_teams_hold_six_to_ten_reps_at_a_time(company: SyntheticCompany) -> None:
    active = company.reps[company.reps["leave_date"].isna()]
    sizes = active.groupby("team_id").size()
    assert sizes.between(6, 10).all()
    seats = company.territories.groupby("team_id").size()
    assert sizes.reindex(seats.index).tolist() == seats.tolist(), "every seat is occupied"


def test_every_fact_points_to_existing_rows(company: SyntheticCompany) -> None:
    c = company
    assert c.deals["rep_id"].isin(c.reps["rep_id"]).all()
    assert c.deals["customer_id"].isin(c.customers["customer_id"]).all()
    assert c.deals["product_code"].isin(c.products["product_code"]).all()
    assert c.products["product_line_code"].isin(c.product_lines["product_line_code"]).all()
    assert c.invoices["deal_id"].isin(c.deals["deal_id"]).all()
    assert c.payments["invoice_id"].isin(c.invoices["invoice_id"]).all()
    assert c.satisfaction["customer_id"].isin(c.customers["customer_id"]).all()
    assert c.customers["owner_rep_id"].isin(c.reps["rep_id"]).all()
    assert c.rank_history["rank_code"].isin(c.ranks["rank_code"]).all()
    for frame, key in (
        (c.deals, "deal_id"),
        (c.customers, "customer_id"),
        (c.invoices, "invoice_id"),
    ):
        assert frame[key].tolist() == list(range(1, len(frame) + 1))


def test_every_customer_is_dealt_with_by_its_owner_only(company: SyntheticCompany) -> None:
    owner = company.customers.set_index("customer_id")["owner_rep_id"]
    deals = company.deals
    assert (owner.loc[deals["customer_id"]].to_numpy() == deals["rep_id"].to_numpy()).all()
    assert set(company.customers["segment"]) == {"SMB", "Mid-Market", "Enterprise"}


def test_rank_weights_sum_to_one(company: SyntheticCompany) -> None:
    weights = company.ranks.filter(like="weight_").sum(axis=1)
    assert np.allclose(weights, 1.0)


# Invariants ----------------------------------------------------------------------------------


def test_closed_deals_have_close_dates_and_open_deals_do_not(company: SyntheticCompany) -> None:
    deals = company.deals
    terminal = deals["stage"].isin(["won", "lost"])
    assert deals.loc[terminal, "closed_on"].notna().all()
    assert deals.loc[~terminal, "closed_on"].isna().all()
    assert (~terminal).sum() > 0
    assert (deals["created_on"] < pd.Timestamp(AS_OF)).all()
    assert (deals["closed_on"].dropna() >= deals.loc[terminal, "created_on"]).all()
    assert (deals["value"] > 0).all()


def test_open_pipeline_belongs_to_active_reps(company: SyntheticCompany) -> None:
    open_deals = company.deals[company.deals["closed_on"].isna()]
    active = company.reps.loc[company.reps["leave_date"].isna(), "rep_id"]
    assert open_deals["rep_id"].isin(active).all()
    assert set(open_deals["stage"]) == {"prospecting", "qualified", "proposal", "negotiation"}


def test_payments_never_exceed_the_invoice(company: SyntheticCompany) -> None:
    paid = company.payments.groupby("invoice_id")["amount"].sum()
    amount = company.invoices.set_index("invoice_id")["amount"]
    ratio = paid.reindex(amount.index, fill_value=0.0) / amount
    assert (ratio <= 1.0 + 1e-9).all()
    assert (ratio == 0).mean() > 0.02, "some invoices are never paid"
    assert ((ratio > 0) & (ratio < 0.999)).mean() > 0.01, "some invoices are partly paid"
    assert (company.payments["paid_on"] < pd.Timestamp(AS_OF)).all()


def test_invoices_follow_won_deals(company: SyntheticCompany) -> None:
    deals = company.deals.set_index("deal_id")
    invoiced = deals.loc[company.invoices["deal_id"]]
    assert (invoiced["stage"] == "won").all()
    assert (company.invoices["issued_on"].to_numpy() >= invoiced["closed_on"].to_numpy()).all()
    assert (company.invoices["due_on"] > company.invoices["issued_on"]).all()


def test_leave_date_follows_hire_date(company: SyntheticCompany) -> None:
    reps = company.reps
    left = reps.dropna(subset=["leave_date"])
    assert (left["leave_date"] > left["hire_date"]).all()
    assert 0.1 < len(left) / len(reps) < 0.6
    assert (reps["hire_date"] >= pd.Timestamp("2023-07-01")).sum() > 20, "new hires in history"


def test_actuals_only_cover_months_while_employed(company: SyntheticCompany) -> None:
    a = company.monthly_actuals.merge(company.reps, on="rep_id")
    month_end = a["month"] + pd.offsets.MonthBegin(1)
    assert (a["hire_date"] < month_end).all()
    assert (a["leave_date"].isna() | (a["leave_date"] > a["month"])).all()
    assert (company.monthly_actuals.groupby(["rep_id", "month"]).size() == 5).all()


def test_new_customers_are_whole_numbers(company: SyntheticCompany) -> None:
    a = company.monthly_actuals
    counts = a.loc[a["metric_code"] == "new_customers", "value"]
    assert (counts == np.round(counts)).all() and (counts >= 0).all()


def test_ratio_metrics_stay_in_range(actuals: pd.DataFrame) -> None:
    assert actuals["conversion_rate"].dropna().between(0, 1).all()
    assert actuals["collection_rate"].dropna().between(0, 1.2).all()
    assert actuals["satisfaction"].dropna().between(1, 5).all()
    assert actuals["conversion_rate"].isna().any()


def test_rank_history_starts_at_hire_and_ends_at_the_current_rank(
    company: SyntheticCompany,
) -> None:
    history = company.rank_history.sort_values(["rep_id", "effective_from"])
    first = history.groupby("rep_id").first()
    last = history.groupby("rep_id").last()
    reps = company.reps.set_index("rep_id")
    assert (first["effective_from"] == reps["hire_date"]).all()
    assert (last["rank_code"] == reps["rank_code"]).all()
    assert (history.groupby("rep_id")["rank_code"].apply(lambda s: s.is_monotonic_increasing)).all()


# Actuals are derived from the facts ----------------------------------------------------------


def _recomputed(c: SyntheticCompany) -> pd.DataFrame:
    """The five metrics per rep-month recomputed with plain pandas from the fact tables."""
    d = c.deals.assign(month=_month(c.deals["closed_on"]))
    won, closed = d[d["stage"] == "won"], d[d["stage"].isin(["won", "lost"])]
    key = ["rep_id", "month"]
    revenue = won.groupby(key)["value"].sum()
    first = won.sort_values("closed_on").drop_duplicates("customer_id")
    new_customers = first.groupby(key).size().astype(float)
    conversion = closed.assign(w=closed["stage"] == "won").groupby(key)["w"].mean()
    inv = c.invoices.assign(month=_month(c.invoices["due_on"]))
    due = inv.groupby(key)["amount"].sum()
    pay = c.payments.merge(c.invoices[["invoice_id", "rep_id"]], on="invoice_id")
    paid = pay.assign(month=_month(pay["paid_on"])).groupby(key)["amount"].sum()
    collection = (paid.reindex(due.index, fill_value=0.0) / due).clip(0, 1.2)
    s = c.satisfaction.assign(month=_month(c.satisfaction["surveyed_on"]))
    satisfaction = s.groupby(key)["score"].mean()
    return pd.DataFrame(
        {
            "revenue": revenue,
            "new_customers": new_customers,
            "conversion_rate": conversion.astype(float),
            "collection_rate": collection,
            "satisfaction": satisfaction,
        }
    )


def test_actuals_equal_a_recomputation_from_the_facts(
    company: SyntheticCompany, actuals: pd.DataFrame
) -> None:
    expected = _recomputed(company)
    got = actuals.set_index(["rep_id", "month"])[list(expected.columns)]
    expected = expected.reindex(got.index)
    for metric in ("revenue", "new_customers"):
        expected[metric] = expected[metric].fillna(0.0)
    pd.testing.assert_frame_equal(got, expected, check_names=False, rtol=1e-9)


def test_truth_expected_revenue_matches_realised_revenue_in_aggregate(
    company: SyntheticCompany,
) -> None:
    realised = company.monthly_actuals.query("metric_code == 'revenue'")["value"].sum()
    expected = company.truth["expected_revenue"].sum()
    assert 0.85 < realised / expected < 1.15
    keys = company.truth[["rep_id", "month"]]
    assert len(keys) == len(company.monthly_actuals) // 5


# Realism that a forecaster can learn -----------------------------------------------------------


def test_mean_revenue_increases_with_rank(actuals: pd.DataFrame) -> None:
    by_rank = actuals[actuals["tenure_months"] >= 6].groupby("rank_code")["revenue"].mean()
    assert list(by_rank.index) == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert by_rank.is_monotonic_increasing


def test_higher_ranks_have_more_ability_and_tenure(company: SyntheticCompany) -> None:
    truth = company.truth.groupby("rank_code")[["ability", "tenure_months"]].mean()
    assert truth.loc["S6", "ability"] > truth.loc["S3", "ability"] > truth.loc["S1", "ability"]
    assert truth.loc["S6", "tenure_months"] > truth.loc["S1", "tenure_months"]


def test_seasonality_shows_a_year_end_peak_and_a_new_year_dip(actuals: pd.DataFrame) -> None:
    by_month = actuals.groupby(actuals["month"].dt.month)["revenue"].mean()
    quarter_end = by_month.index.isin([3, 6, 9, 12])
    assert by_month[12] > 1.2 * by_month.mean()
    assert by_month[2] < 0.8 * by_month.mean()
    assert by_month[quarter_end].mean() > 1.15 * by_month[~quarter_end].mean()


def test_new_hires_sell_less_than_tenured_peers_of_the_same_rank(actuals: pd.DataFrame) -> None:
    scaled = actuals["revenue"] / actuals.groupby("rank_code")["revenue"].transform("mean")
    new = scaled[actuals["tenure_months"] < 3].mean()
    tenured = scaled[actuals["tenure_months"] >= 12].mean()
    assert new < 0.6 * tenured


def test_the_regional_shock_lowers_expected_revenue(company: SyntheticCompany) -> None:
    shocks = company.shocks
    worst = shocks.loc[shocks["factor"].idxmin()]
    truth = company.truth.merge(company.reps[["rep_id", "region_code"]], on="rep_id")
    hit = truth[(truth["region_code"] == worst["region_code"]) & (truth["month"] == worst["month"])]
    assert worst["factor"] < 0.8
    assert np.allclose(hit["shock"], worst["factor"])


def test_leavers_are_mostly_replaced_in_their_team(company: SyntheticCompany) -> None:
    reps = company.reps
    cutoff = pd.Timestamp(AS_OF) - pd.Timedelta(days=120)
    leavers = reps[reps["leave_date"] < cutoff]
    hires = reps[["team_id", "hire_date"]]
    joined = leavers[["rep_id", "team_id", "leave_date"]].merge(hires, on="team_id")
    replaced = joined[joined["hire_date"] > joined["leave_date"]]["rep_id"].nunique()
    assert replaced / len(leavers) > 0.8
    latest = reps.sort_values("hire_date").drop_duplicates("territory", keep="last")
    assert latest["leave_date"].isna().all(), "each territory's latest rep is still employed"
