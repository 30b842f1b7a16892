"""From a raw table and a column mapping to typed records, with a problem for every bad cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.services.imports.coercion import (
    CoercionError,
    day_first_evidence,
    is_blank,
    parse_date,
    parse_number,
    parse_text,
)
from backend.services.imports.fields import KINDS, FieldSpec
from backend.services.imports.reading import Cell, Table
from backend.services.imports.report import Issue, Severity


@dataclass
class Record:
    """One data row: its file line number, typed values, and what happened to it."""

    file: str
    row: int
    values: dict[str, Any]
    errors: int = 0
    fixes: int = 0
    duplicate: bool = False
    issues: list[Issue] = field(default_factory=list)

    def report(
        self,
        field: str | None,
        severity: Severity,
        problem: str,
        *,
        value: object = None,
        suggestion: str = "",
        fix_id: str | None = None,
        code: str | None = None,
    ) -> None:
        if severity == "error":
            self.errors += 1
        elif severity == "fixed":
            self.fixes += 1
        shown = None if value is None else str(value)
        self.issues.append(
            Issue(self.file, self.row, field, severity, problem, shown, suggestion, fix_id, code)
        )

    @property
    def ok(self) -> bool:
        return not self.errors and not self.duplicate


@dataclass
class ParsedFile:
    name: str
    kind: str
    records: list[Record]
    ignored_columns: list[str]


def parse_file(name: str, table: Table, kind: str, mapping: dict[str, str]) -> ParsedFile:
    """Coerce every mapped cell; a bad value is an error on its row, never a silent blank."""
    spec = KINDS[kind]
    index = {column: i for i, column in enumerate(table.header)}
    day_first = {
        f.name: day_first_evidence([row[index[mapping[f.name]]] for row in table.rows])
        for f in spec.fields
        if f.type == "date" and f.name in mapping
    }
    records = []
    for n, row in enumerate(table.rows):
        record = Record(name, n + 2, {})
        for spec_field in spec.fields:
            column = mapping.get(spec_field.name)
            cell = row[index[column]] if column is not None else None
            record.values[spec_field.name] = _coerce(
                record, spec_field, cell, day_first.get(spec_field.name)
            )
        records.append(record)
    ignored = [c for c in table.header if c and c not in set(mapping.values())]
    return ParsedFile(name, kind, records, ignored)


def _coerce(record: Record, spec: FieldSpec, cell: Cell, day_first: bool | None) -> Any:
    if is_blank(cell):
        return None
    try:
        value: Any
        if spec.type == "date":
            value = parse_date(cell, day_first=day_first)
        elif spec.type in ("number", "integer"):
            value = parse_number(cell)
            _check_range(spec, value)
        else:
            value = parse_text(cell)
    except CoercionError as exc:
        record.report(spec.name, "error", exc.problem, value=cell, suggestion=exc.suggestion)
        return None
    return value


def _check_range(spec: FieldSpec, value: float) -> None:
    if spec.minimum is not None and value < spec.minimum:
        raise CoercionError(f"{value:g} is below the minimum {spec.minimum:g}")
    if spec.maximum is not None and value > spec.maximum:
        raise CoercionError(f"{value:g} is above the maximum {spec.maximum:g}")
    if spec.type == "integer" and value != int(value):
        raise CoercionError(f"{value:g} is not a whole number")
