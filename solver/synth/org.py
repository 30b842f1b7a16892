"""The company-wide structure: org tree, territories (seats), market shocks and work blocks.

Built once per company from a dedicated random stream so that it does not depend on how the
reps are later split into chunks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from solver.synth.model import Calendar, CompanyConfig, FloatArr, IntArr
from solver.synth.reference import REGION_CITIES, regions_table

#: Seats per team: drawn uniformly in this range, then nudged so that they sum to ``n_reps``.
TEAM_SEATS = (6, 10)
_TEAMS_PER_BLOCK_MAX = 128


@dataclass(frozen=True)
class OrgPlan:
    """Global structure plus the split of teams into fixed generation blocks.

    There is one seat (territory) per rep employed at ``as_of``: ``n_reps`` seats in all.
    """

    regions: pd.DataFrame
    org_units: pd.DataFrame
    territories: pd.DataFrame
    shocks: pd.DataFrame
    region_potential: FloatArr  # per region
    shock: FloatArr  # region x total months multiplier
    team_ids: IntArr  # org_id per team
    team_region: IntArr  # region index per team
    seat_team: IntArr  # team index per seat (territory)
    seat_potential: FloatArr  # market potential per seat (territory)
    territory_codes: pa.StringArray  # per seat
    block_teams: IntArr  # block b covers teams [block_teams[b], block_teams[b + 1])
    block_seats: IntArr  # seats of each block (sums to n_reps)


def _spread(rng: np.random.Generator, n_items: int, n_groups: int, weights: FloatArr) -> IntArr:
    """Assign items to groups, every group getting at least one, sorted by group."""
    extra = rng.choice(n_groups, size=n_items - n_groups, p=weights / weights.sum())
    return np.sort(np.concatenate([np.arange(n_groups), extra])).astype(np.int64)


def _rank_within(groups: IntArr) -> IntArr:
    """1-based position of each item inside its (sorted) group."""
    first = np.searchsorted(groups, groups, side="left")
    return np.arange(len(groups), dtype=np.int64) - first + 1


def _branch_names(region_codes: list[str], branch_region: IntArr) -> pa.StringArray:
    """ "Hangzhou Branch", then "Hangzhou Branch 2" once a region runs out of cities."""
    k = _rank_within(branch_region) - 1
    names: list[str] = []
    for r, code in enumerate(region_codes):
        cities = REGION_CITIES[code]
        ks = k[branch_region == r]
        names += [
            f"{cities[i % len(cities)]} Branch"
            + (f" {i // len(cities) + 1}" if i >= len(cities) else "")
            for i in ks.tolist()
        ]
    return pa.array(names, pa.string())


def _org_units(regions: pd.DataFrame, branch_region: IntArr, team_branch: IntArr) -> pd.DataFrame:
    """Company, regions, branches, teams; parents always precede children."""
    n_reg, n_br, n_tm = len(regions), len(branch_region), len(team_branch)
    codes = regions["region_code"].tolist()
    branch_names = _branch_names(codes, branch_region)
    team_names = pc.binary_join_element_wise(
        branch_names.take(pa.array(team_branch)),
        pc.cast(pa.array(_rank_within(team_branch)), pa.string()),
        " Team ",
    )
    region_ids = 2 + np.arange(n_reg)
    branch_ids = 2 + n_reg + np.arange(n_br)
    parent = np.concatenate(
        [[0], np.ones(n_reg), region_ids[branch_region], branch_ids[team_branch]]
    )
    region_of = np.concatenate([np.arange(n_reg), branch_region, branch_region[team_branch]])
    return pd.DataFrame(
        {
            "org_id": np.arange(1, 2 + n_reg + n_br + n_tm, dtype=np.int64),
            "parent_id": pd.Series(parent.astype(np.int64), dtype="Int64").mask(parent == 0),
            "name": [
                "Quotient Demo Co.",
                *regions["name"].tolist(),
                *branch_names.to_pylist(),
                *team_names.to_pylist(),
            ],
            "kind": ["company"] + ["region"] * n_reg + ["branch"] * n_br + ["team"] * n_tm,
            "region_code": [None, *np.asarray(codes, dtype=object)[region_of].tolist()],
        }
    )


def _shocks(rng: np.random.Generator, n_regions: int, calendar: Calendar) -> FloatArr:
    """One regional downturn (plus sometimes a boom elsewhere), recovering geometrically."""
    shock = np.ones((n_regions, calendar.total_months))
    t = np.arange(calendar.total_months)
    lo, hi = min(6, calendar.months - 1), max(7, calendar.months - 2)
    events = [(0.55 + 0.2 * rng.random(), int(rng.integers(0, n_regions)))]
    if n_regions > 1 and rng.random() < 0.6:
        events.append((1.25 + 0.15 * rng.random(), int((events[0][1] + 1) % n_regions)))
    for size, region in events:
        start = int(rng.integers(lo, hi))
        decay = np.where(t >= start, 0.65 ** np.maximum(t - start, 0), 0.0)
        shock[region] *= 1.0 + (size - 1.0) * decay
    return shock


def _shock_table(shock: FloatArr, regions: pd.DataFrame, calendar: Calendar) -> pd.DataFrame:
    reg, month = np.nonzero(np.abs(shock[:, : calendar.months] - 1.0) > 0.01)
    starts = calendar.month_start[month].astype("datetime64[D]").astype("datetime64[ns]")
    return pd.DataFrame(
        {
            "region_code": regions["region_code"].to_numpy()[reg],
            "month": starts,
            "factor": shock[reg, month],
        }
    )


def _team_seats(rng: np.random.Generator, n_seats: int, n_teams: int) -> IntArr:
    """Seats per team, uniform in ``TEAM_SEATS`` and summing exactly to ``n_seats``.

    The uniform draws are corrected one seat at a time on randomly chosen teams that still have
    room; a company too small for two teams of six gets two teams of five or six.
    """
    lo = min(TEAM_SEATS[0], n_seats // n_teams)
    hi = max(TEAM_SEATS[1], -(-n_seats // n_teams))
    seats = rng.integers(lo, hi + 1, n_teams).astype(np.int64)
    short = n_seats - int(seats.sum())
    room = hi - seats if short > 0 else seats - lo
    slots = np.repeat(np.arange(n_teams, dtype=np.int64), room)
    picked = rng.choice(len(slots), size=abs(short), replace=False)
    seats += np.sign(short) * np.bincount(slots[picked], minlength=n_teams)
    return seats


def _blocks(team_seats: IntArr) -> tuple[IntArr, IntArr]:
    """Fixed blocks of consecutive teams and the number of seats in each."""
    n_teams = len(team_seats)
    per_block = int(np.clip(n_teams // 8, 1, _TEAMS_PER_BLOCK_MAX))
    bounds = np.append(np.arange(0, n_teams, per_block), n_teams).astype(np.int64)
    return bounds, np.add.reduceat(team_seats, bounds[:-1]).astype(np.int64)


def build_org(config: CompanyConfig, calendar: Calendar, rng: np.random.Generator) -> OrgPlan:
    """One seat per rep employed at ``as_of`` (~8 per team), and the company-wide coefficients."""
    lo, hi = TEAM_SEATS
    n_teams = int(np.clip(round(config.n_reps / 8), -(-config.n_reps // hi), config.n_reps // lo))
    n_teams = max(2, n_teams)
    regions = regions_table(int(np.clip(-(-n_teams // 3), 2, 7)))
    n_reg = len(regions)
    potential = regions["market_potential"].to_numpy(np.float64)
    n_branches = max(n_reg, round(n_teams / 5))
    branch_region = _spread(rng, n_branches, n_reg, potential)
    team_branch = _spread(rng, n_teams, n_branches, np.ones(n_branches))
    team_region = branch_region[team_branch]
    org_units = _org_units(regions, branch_region, team_branch)
    team_ids = org_units["org_id"].to_numpy()[-n_teams:]
    team_seats = _team_seats(rng, config.n_reps, n_teams)
    seat_team = np.repeat(np.arange(n_teams, dtype=np.int64), team_seats)
    seat_potential = potential[team_region[seat_team]] * rng.lognormal(-0.01, 0.15, len(seat_team))
    shock = _shocks(rng, n_reg, calendar)
    bounds, block_seats = _blocks(team_seats)
    territory_codes: pa.StringArray = pc.binary_join_element_wise(
        pa.array(regions["region_code"].to_numpy()[team_region[seat_team]]),
        pc.cast(pa.array(np.arange(1, len(seat_team) + 1)), pa.string()),
        "-T",
    )
    territories = pd.DataFrame(
        {
            "territory": territory_codes.to_pandas(),
            "team_id": team_ids[seat_team],
            "region_code": regions["region_code"].to_numpy()[team_region[seat_team]],
            "market_potential": seat_potential,
        }
    )
    return OrgPlan(
        regions=regions,
        org_units=org_units,
        territories=territories,
        shocks=_shock_table(shock, regions, calendar),
        region_potential=potential,
        shock=shock,
        team_ids=team_ids,
        team_region=team_region,
        seat_team=seat_team,
        seat_potential=seat_potential,
        territory_codes=territory_codes,
        block_teams=bounds,
        block_seats=block_seats,
    )
