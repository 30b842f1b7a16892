"""Reps of one block: hires, leavers and their replacements, latent traits and ranks.

Each seat (territory) is held by a chain of reps: a first occupant, and whenever one leaves, a
new hire in the same team after a short vacancy. Every seat is occupied at ``as_of`` (a seat
vacated late in the history is refilled before ``as_of``), so the reps employed at ``as_of`` are
exactly one per seat and the leavers come on top. The leave hazard falls with ability, so the
survivors are better than the leavers, as in real sales forces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solver.synth.model import AnyArr, BoolArr, Calendar, FloatArr, IntArr

_DAYS_PER_MONTH = 30.44
_ABILITY_SD = 0.3
_MONTHLY_LEAVE_HAZARD = 0.011  # ~15% of the headcount leaves per year
_RANK_SHARES = np.array([0.25, 0.5, 0.7, 0.85, 0.95])  # cumulative S1..S5
_MAX_PROMOTIONS = 5
NEVER = np.iinfo(np.int64).max // 4  # leave day of an active rep


@dataclass(frozen=True)
class Workforce:
    """One row per rep of a block; days are day numbers since 1970-01-01."""

    seat: IntArr  # index into the company's seats (territories)
    hire_day: IntArr
    leave_day: IntArr  # NEVER while active
    ability_z: FloatArr  # standardised latent ability at mid-history
    growth: FloatArr  # yearly drift of log ability
    collection_skill: FloatArr
    care_skill: FloatArr  # drives satisfaction scores
    rank_at_hire: IntArr  # 0-based
    promotion_day: IntArr  # rep x _MAX_PROMOTIONS, NEVER where unused

    @property
    def rank_now(self) -> IntArr:
        promoted = (self.promotion_day < NEVER).sum(axis=1)
        rank: IntArr = (self.rank_at_hire + promoted).astype(np.int64)
        return rank

    def rank_on(self, day: IntArr) -> IntArr:
        """0-based rank of each rep (rows) on each day (columns)."""
        done = self.promotion_day[:, None, :] <= day[None, :, None]
        rank: IntArr = (self.rank_at_hire[:, None] + done.sum(axis=2)).astype(np.int64)
        return rank


def _first_hires(rng: np.random.Generator, n: int, calendar: Calendar) -> IntArr:
    """Most seats are filled before the history starts; a tenth open during it (growth)."""
    tenure_months = np.clip(rng.lognormal(np.log(26.0), 0.85, n), 1.0, 240.0)
    before = calendar.start_day - np.round(tenure_months * _DAYS_PER_MONTH)
    during = calendar.start_day + rng.integers(0, calendar.as_of_day - calendar.start_day - 30, n)
    return np.where(rng.random(n) < 0.9, before, during).astype(np.int64)


def _leave_days(
    rng: np.random.Generator, hire: IntArr, ability_z: FloatArr, calendar: Calendar
) -> IntArr:
    """Geometric time to leaving, counted from the later of hire and history start.

    Only leaves at least two days before ``as_of`` happen, so a refill fits in between.
    """
    hazard = _MONTHLY_LEAVE_HAZARD * np.exp(-0.6 * ability_z)
    months = rng.geometric(np.clip(hazard, 1e-4, 0.5)) - rng.random(len(hire))
    start = np.maximum(hire, calendar.start_day)
    leave = start + np.maximum(1, np.round(months * _DAYS_PER_MONTH)).astype(np.int64)
    return np.where(leave < calendar.as_of_day - 1, leave, NEVER).astype(np.int64)


def _refill_days(rng: np.random.Generator, leave: IntArr, calendar: Calendar) -> IntArr:
    """Hire day of each leaver's successor: after a vacancy, but always before ``as_of``.

    A vacancy that would still be open at ``as_of`` is cut short: the successor is hired on a
    uniform day between the leave and the day before ``as_of``.
    """
    gap = np.round(10 + rng.gamma(2.0, 18.0, len(leave))).astype(np.int64)
    last = calendar.as_of_day - 1
    rushed = leave + 1 + np.floor(rng.random(len(leave)) * (last - leave)).astype(np.int64)
    return np.where(leave + gap <= last, leave + gap, rushed).astype(np.int64)


def _chains(rng: np.random.Generator, n_seats: int, calendar: Calendar) -> dict[str, AnyArr]:
    """Occupants generation by generation until every seat's occupant is still there at as_of."""
    seat = np.arange(n_seats, dtype=np.int64)
    hire = _first_hires(rng, n_seats, calendar)
    out: dict[str, list[AnyArr]] = {"seat": [], "hire": [], "leave": [], "z": []}
    while len(seat):
        z = rng.standard_normal(len(seat))
        leave = _leave_days(rng, hire, z, calendar)
        for key, val in (("seat", seat), ("hire", hire), ("leave", leave)):
            out[key].append(val.astype(np.int64))
        out["z"].append(z)
        left = leave < NEVER
        seat, hire = seat[left], _refill_days(rng, leave[left], calendar)
    return {k: np.concatenate(v) for k, v in out.items()}


def _ranks(
    rng: np.random.Generator, hire: IntArr, leave: IntArr, z: FloatArr, calendar: Calendar
) -> tuple[IntArr, IntArr]:
    """Rank today from ability and tenure; earlier promotions spread between hire and today."""
    n = len(hire)
    end = np.minimum(leave, calendar.as_of_day)
    years = (end - hire) / 365.25
    score = 0.8 * z + 1.6 * np.log1p(years) + 0.5 * rng.standard_normal(n)
    cuts = np.quantile(score, _RANK_SHARES) if n else np.zeros(len(_RANK_SHARES))
    rank_now = np.searchsorted(cuts, score).astype(np.int64)
    promos = np.minimum(rank_now, rng.poisson(years / 2.2))
    frac = np.sort(rng.uniform(0.1, 1.0, (n, _MAX_PROMOTIONS)), axis=1)
    days = hire[:, None] + np.floor(frac * (end - hire)[:, None]).astype(np.int64)
    used = np.arange(_MAX_PROMOTIONS)[None, :] >= _MAX_PROMOTIONS - promos[:, None]
    return rank_now - promos, np.where(used, days, NEVER).astype(np.int64)


def build_workforce(rng: np.random.Generator, n_seats: int, calendar: Calendar) -> Workforce:
    """Every occupant of ``n_seats`` seats over the history, ordered by seat then hire date.

    Exactly ``n_seats`` of them are employed at ``as_of``; the others left during the history.
    """
    chains = _chains(rng, n_seats, calendar)
    order = np.lexsort((chains["hire"], chains["seat"]))
    seat, hire, z = chains["seat"][order], chains["hire"][order], chains["z"][order]
    leave = chains["leave"][order]
    rank_hire, promotion_day = _ranks(rng, hire, leave, z, calendar)
    n = len(seat)
    return Workforce(
        seat=seat,
        hire_day=hire,
        leave_day=leave,
        ability_z=z,
        growth=rng.normal(0.03, 0.05, n),
        collection_skill=rng.standard_normal(n),
        care_skill=rng.standard_normal(n),
        rank_at_hire=rank_hire,
        promotion_day=promotion_day,
    )


def employed_fraction(work: Workforce, calendar: Calendar) -> FloatArr:
    """Share of each month (columns) during which each rep (rows) was employed."""
    lo = np.maximum(work.hire_day[:, None], calendar.month_start[None, :-1])
    hi = np.minimum(work.leave_day[:, None], calendar.month_start[None, 1:])
    share: FloatArr = np.clip(hi - lo, 0, None) / calendar.month_length[None, :]
    return share


def is_active(work: Workforce) -> BoolArr:
    return work.leave_day >= NEVER
