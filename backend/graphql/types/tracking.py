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
