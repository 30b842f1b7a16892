from __future__ import annotations

from datetime import date

from planning_factories import make_ranks

from solver.planning import RepInput
from solver.planning.activity import activity_matrix, leaves_in_period, ramp_matrix
from solver.planning.months import add_months

MONTHS = [add_months(date(2026, 1, 1), k) for k in range(12)]


def _rep(**kw: object) -> RepInput:
    return RepInput(
        **{
            "rep_id": 1,
            "team_id": 2,
            "rank_code": "S1",
            "rank_level": 1,
            "hire_date": date(2020, 1, 1),
            **kw,
        }
    )  # type: ignore[arg-type]


def test_a_leaver_works_up_to_the_month_of_leaving() -> None:
    rep = _rep(leave_date=date(2026, 6, 20))
    assert activity_matrix([rep], MONTHS)[0].tolist() == [1.0] * 6 + [0.0] * 6
    assert leaves_in_period(rep, MONTHS) and not leaves_in_period(_rep(), MONTHS)


def test_a_joiner_ramps_up_from_the_month_of_hire() -> None:
    rep = _rep(hire_date=date(2026, 4, 15))
    assert (
        ramp_matrix([rep], make_ranks(), MONTHS)[0].tolist()
        == [0.0] * 3
        + [
            0.25,
            0.5,
            0.75,
        ]
        + [1.0] * 6
    )
