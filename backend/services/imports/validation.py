"""Row rules beyond types: required values, duplicates within a file, dates in order, stages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from backend.services.imports.cleansing import Vocabulary, _proposal, key
from backend.services.imports.fields import CANCELLED, KINDS, STAGES
from backend.services.imports.parsing import ParsedFile, Record
from backend.services.imports.report import Issue, Proposal

KeyOf = Callable[[dict[str, Any]], object]


def _text_key(field: str, fallback: str | None = None) -> KeyOf:
    def of(values: dict[str, Any]) -> object:
        value = values.get(field) or (values.get(fallback) if fallback else None)
        return key(value) if isinstance(value, str) else value

    return of


ROW_KEYS: dict[str, KeyOf] = {
    "org": _text_key("code"),
    "hr": _text_key("external_id", "name"),
    "accounts": _text_key("external_id", "name"),
    "products": _text_key("name"),
    "crm": _text_key("external_id"),
    "invoices": _text_key("external_id"),
    "payments": _text_key("external_id"),
    "satisfaction": lambda v: (v.get("rep"), v.get("customer"), v.get("surveyed_on")),
    # A line is identified by its order and line ids; without a line id two equal lines of
    # one order are two lines (no duplicate check).
    "sales_lines": lambda v: (
        ("line", v.get("order_id"), v.get("line_id")) if v.get("line_id") else object()
    ),
}

STAGE_VOCABULARY = Vocabulary.of(STAGES)


def default_proposals(parsed: ParsedFile, *, as_of: date) -> list[Proposal]:
    """Missing values that have a sensible, stated default (never applied unless accepted)."""
    if parsed.kind != "crm":
        return []
    missing = [r for r in parsed.records if r.values.get("created_on") is None and _blank(r)]
    if not missing:
        return []
    reason = (
        "the deal has no created/engage date (open prospects often have none); "
        f"use the import date {as_of.isoformat()}, kept on later imports"
    )
    return [
        _proposal(
            "default_value",
            parsed.name,
            "crm.created_on",
            None,
            as_of.isoformat(),
            100.0,
            len(missing),
            reason,
        )
    ]


def _blank(record: Record) -> bool:
    return not any(i.field == "created_on" for i in record.issues)


def check_required(parsed: ParsedFile) -> None:
    spec = KINDS[parsed.kind]
    for record in parsed.records:
        for f in spec.fields:
            has_issue = any(i.field == f.name and i.severity == "error" for i in record.issues)
            if f.required and record.values.get(f.name) is None and not has_issue:
                record.report(f.name, "error", f"{f.description} is missing")
        for group in spec.one_of:
            blank = all(record.values.get(n) is None for n in group)
            has_issue = any(i.field in group and i.severity == "error" for i in record.issues)
            if blank and not has_issue:
                record.report(group[0], "error", f"no {' or '.join(group)} on this row")


def mark_duplicates(parsed: ParsedFile) -> None:
    """Exact repeats are skipped as duplicates; a repeated key with other values is an error."""
    key_of = ROW_KEYS[parsed.kind]
    first: dict[object, Record] = {}
    for record in parsed.records:
        if not record.ok:
            continue
        row_key = key_of(record.values)
        seen = first.get(row_key)
        if seen is None:
            first[row_key] = record
        elif seen.values == record.values:
            record.duplicate = True
            record.report(None, "warning", f"exact duplicate of row {seen.row}; skipped")
        else:
            record.report(
                None,
                "error",
                f"same key as row {seen.row} with different values",
                value=row_key,
                suggestion=f"keep one of rows {seen.row} and {record.row}",
            )


def check_sales_lines(parsed: ParsedFile) -> None:
    """Cancelled lines (by their status) are left out and counted, never imported."""
    for record in parsed.records:
        status = record.values.get("status")
        if record.ok and isinstance(status, str) and key(status) in CANCELLED:
            record.excluded = "cancelled"
            parsed.excluded["cancelled"] = parsed.excluded.get("cancelled", 0) + 1
    if parsed.excluded.get("cancelled"):
        n = parsed.excluded["cancelled"]
        parsed.note(f"{n} cancelled lines (status) are excluded from the actuals", "status")


def _stage_without_column(parsed: ParsedFile) -> None:
    """A CRM file mapped without a stage holds won deals: a deal with a close date and a value
    is taken as won (said in the report); one without cannot be told apart and is rejected."""
    if parsed.provides("stage"):
        return
    won = 0
    for record in parsed.records:
        v = record.values
        if not record.ok:
            continue
        if v.get("closed_on") is not None and v.get("value") is not None:
            v["stage"], won = "won", won + 1
        else:
            record.report(
                "stage",
                "error",
                "no stage column: only deals with a close date and a value are taken as won",
                suggestion="map the stage column, or set a constant stage",
            )
    parsed.note(f"no stage column: {won} deals with a close date and a value taken as won", "stage")


def check_deals(parsed: ParsedFile) -> list[Issue]:
    """Stage known, closed deals dated and valued, dates in order; summary of open deals."""
    _stage_without_column(parsed)
    open_without = 0
    for record in parsed.records:
        if not record.ok:
            continue
        v = record.values
        stage = STAGE_VOCABULARY.resolve(v["stage"]) if v.get("stage") else None
        if stage is None:
            record.report("stage", "error", f"unknown stage {v.get('stage')!r}", value=v["stage"])
            continue
        v["stage"] = STAGES[key(stage)]
        closed = v["stage"] in ("won", "lost")
        if closed and v.get("closed_on") is None:
            record.report("closed_on", "error", f"a {v['stage']} deal needs a close date")
        if v["stage"] == "won" and v.get("value") is None:
            record.report("value", "error", "a won deal needs a value")
        if v.get("closed_on") and v.get("created_on") and v["closed_on"] < v["created_on"]:
            record.report(
                "closed_on",
                "error",
                f"closed on {v['closed_on']} before it was created on {v['created_on']}",
                value=v["closed_on"],
            )
        if not closed and (v.get("closed_on") is None or v.get("value") is None):
            open_without += 1
        if v.get("customer") is None:
            record.report("customer", "warning", "no account: imported without a customer")
    if not open_without:
        return []
    problem = (
        f"{open_without} open deals have no close date and/or value "
        "(expected while open): imported open, with value 0 where missing"
    )
    return [Issue(parsed.name, None, "closed_on", "info", problem)]


def check_dates(parsed: ParsedFile, first: str, second: str) -> None:
    for record in parsed.records:
        a, b = record.values.get(first), record.values.get(second)
        if record.ok and a and b and b < a:
            record.report(second, "error", f"{second} {b} precedes {first} {a}", value=b)
