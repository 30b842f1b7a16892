"""Who works which month of the plan, and at what share of a full target (the ramp).

A rep works a month from the month of hire up to and including the month of leaving. A new
hire's share follows the rank's ramp profile by tenure month (0 = the hire month); the
share is 0 in months not worked, so a leaver's months after leaving and a joiner's months
before hire get no target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np

from solver.planning.inputs import RankSettings, RepInput
from solver.planning.months import add_months, months_between
from solver.types import FloatArray


def works(rep: RepInput, month: date) -> bool:
    """Whether the rep is employed during (part of) the month."""
    started = months_between(rep.hire_date, month) >= 0
    left = rep.leave_date is not None and months_between(rep.leave_date, month) > 0
    return started and not left


def activity_matrix(reps: Sequence[RepInput], months: Sequence[date]) -> FloatArray:
    """1.0 where the rep works the month, else 0.0; shape (reps, months)."""
    return np.asarray([[float(works(r, m)) for m in months] for r in reps], dtype=np.float64)


def ramp_matrix(
    reps: Sequence[RepInput], ranks: Mapping[str, RankSettings], months: Sequence[date]
) -> FloatArray:
    """Share of the full target per rep and month: the ramp by tenure where worked, else 0.

    >>> from datetime import date
    >>> rep = RepInput(1, 1, "S1", 1, hire_date=date(2026, 2, 10))
    >>> ranks = {"S1": RankSettings(1, ramp=(0.5,))}
    >>> ramp_matrix([rep], ranks, [date(2026, m, 1) for m in (1, 2, 3)]).tolist()
    [[0.0, 0.5, 1.0]]
    """
    out = activity_matrix(reps, months)
    for i, rep in enumerate(reps):
        profile = ranks[rep.rank_code].ramp if rep.rank_code in ranks else ()
        for m, month in enumerate(months):
            tenure = months_between(rep.hire_date, month)
            if out[i, m] > 0 and tenure < len(profile):
                out[i, m] = profile[tenure]
    return out


def leaves_in_period(rep: RepInput, months: Sequence[date]) -> bool:
    """The rep leaves before the period's last month ends (months after it get no target)."""
    return rep.leave_date is not None and months_between(rep.leave_date, months[-1]) > 0


def joins_in_period(rep: RepInput, months: Sequence[date]) -> bool:
    """The rep is hired after the period's first month began."""
    return months_between(months[0], rep.hire_date) > 0


def worked_year_before(rep: RepInput, months: Sequence[date]) -> bool:
    """Whether the rep worked the whole comparison period a year earlier."""
    return rep.hire_date <= add_months(months[0], -12)
