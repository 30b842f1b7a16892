"""Types of the tracking API: recorded actuals, progress against targets, the dashboard."""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.services.tracking.actuals import RowReason

ActualRowReason = strawberry.enum(
    RowReason, name="ActualRowReason", description="Why one row of a batch of actuals was refused."
)


@strawberry.input(description="One actual: a rep's value of an additive metric on a day.")
class ActualEntryInput:
    external_id: str = strawberry.field(
        description="Your id of this value (e.g. the CRM line id): a resend with the same id"
        " and value changes nothing, with another value updates it (audited)."
    )
    rep_id: strawberry.ID | None = strawberry.field(
        default=None, description="The rep, by our id (or give repCode)."
    )
    rep_code: str | None = strawberry.field(
        default=None, description="The rep, by their external (HR) id (or give repId)."
    )
    metric: str = strawberry.field(description="An additive metric's code, e.g. `revenue`.")
    day: dt.date = strawberry.field(description="The day it was achieved (not in the future).")
    value: float = strawberry.field(description="The value, 0 or more (whole for counts).")


@strawberry.input(description="A batch of actuals from an integration.")
class RecordActualsInput:
    entries: list[ActualEntryInput] = strawberry.field(
        description="Up to 500 rows; split larger batches into several calls."
    )
    all_or_nothing: bool = strawberry.field(
        default=True,
        description="True (default): one refused row means nothing is written. False: the"
        " valid rows are written and the refused ones reported.",
    )


@strawberry.type(description="One refused row of a batch: its index, the field and why.")
class ActualRowError:
    index: int = strawberry.field(description="Position of the row in `entries` (from 0).")
    field: str = strawberry.field(description="Dotted path, e.g. `entries[3].repCode`.")
    code: RowReason = strawberry.field(description="Machine-readable reason.")
    message: str = strawberry.field(description="Human-readable reason.")


@strawberry.type(description="What a batch of actuals changed.")
class RecordActualsResult:
    created: int = strawberry.field(description="New entries written.")
    updated: int = strawberry.field(description="Entries resent with another value (audited).")
    unchanged: int = strawberry.field(description="Entries resent as they were (idempotent).")
    refused: int = strawberry.field(description="Rows refused (see `rowErrors`).")
    written: bool = strawberry.field(
        description="Whether anything was written (false when all-or-nothing refused it)."
    )


@strawberry.type(description="Progress of a group of reps (a node, a rank) on one metric.")
class ProgressFigures:
    reps: int = strawberry.field(description="Reps counted (those you see).")
    actual: float = strawberry.field(description="Actual to date.")
    expected: float = strawberry.field(
        description="Expected to date by the targets' own phasing (a quiet month expects little)."
    )
    target: float = strawberry.field(description="The period's target (sum of the reps').")
    projected: float | None = strawberry.field(
        description="Projected period total: actual + the forecast of what remains."
    )
    pace: float | None = strawberry.field(description="Actual / expected to date (1 = on pace).")
    attainment: float | None = strawberry.field(description="Actual / target so far.")
    projected_attainment: float | None = strawberry.field(description="Projected / target.")
    share_projected: float | None = strawberry.field(
        description="Expected share of reps reaching target: the mean P(achieve | actuals so"
        " far). Compare with `designPoint`."
    )
    share_on_pace: float | None = strawberry.field(
        description="Share of reps at or above their expected to date."
    )
    design_point: float | None = strawberry.field(
        description="The plan's design point: the mean P(achieve) when the period began."
    )


@strawberry.type(description="One rep's progress on one metric.")
class RepProgressRow:
    rep_id: strawberry.ID = strawberry.field(description="The rep.")
    name: str = strawberry.field(description="The rep's name.")
    team_id: strawberry.ID = strawberry.field(description="Their team.")
    team_name: str = strawberry.field(description="Their team's name.")
    rank_code: str = strawberry.field(description="Their rank.")
    actual: float = strawberry.field(description="Actual to date.")
    expected: float = strawberry.field(description="Expected to date by the target's phasing.")
    target: float = strawberry.field(description="The period's target.")
    pace: float | None = strawberry.field(description="Actual / expected to date.")
    attainment: float | None = strawberry.field(description="Actual / target so far.")
    projected: float | None = strawberry.field(description="Projected period total.")
    projected_attainment: float | None = strawberry.field(description="Projected / target.")
    probability: float | None = strawberry.field(
        description="P(achieve the target | actuals so far)."
    )
    plan_probability: float | None = strawberry.field(
        description="P(achieve) when the period began (the plan's)."
    )


@strawberry.type(description="A page of reps' progress.")
class RepProgressPage:
    total_count: int = strawberry.field(description="Reps in the whole list (capped lists: cap).")
    items: list[RepProgressRow] = strawberry.field(description="This page.")


@strawberry.type(description="One ISO week: actual against expected.")
class WeekProgress:
    start: dt.date = strawberry.field(description="Monday.")
    end: dt.date = strawberry.field(description="Sunday, or the as-of day for the current week.")
    actual: float = strawberry.field(description="Actual in the week.")
    expected: float = strawberry.field(description="Expected in the week (target phasing).")
    cumulative_actual: float = strawberry.field(description="Actual from the period start.")
    cumulative_expected: float = strawberry.field(description="Expected from the period start.")


@strawberry.type(description="A month of a rep's period: target and actual (to date).")
class MonthProgress:
    month: dt.date = strawberry.field(description="First day of the month.")
    target: float = strawberry.field(description="The month's target.")
    actual: float = strawberry.field(description="The month's actual (to the as-of day).")
