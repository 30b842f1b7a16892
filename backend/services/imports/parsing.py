"""From a raw table and a column mapping to typed records, with a problem for every bad cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.services.imports import dates
from backend.services.imports.coercion import (
    CoercionError,
    is_blank,
    parse_number,
    parse_text,
)
from backend.services.imports.fields import KINDS, FieldSpec
from backend.services.imports.mapping import MappingSpec, column_parts
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
    excluded: str | None = None  # why the row is left out on purpose (e.g. "cancelled")
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
        return not self.errors and not self.duplicate and self.excluded is None


@dataclass
class ParsedFile:
    name: str
    kind: str
    records: list[Record]
    ignored_columns: list[str]
    spec: MappingSpec = field(default_factory=MappingSpec)
    #: The format each date field was read in (detected over the whole column, or given).
    date_formats: dict[str, str] = field(default_factory=dict)
    #: What the mapping must answer before the rows can be used (ambiguous dates).
    questions: list[str] = field(default_factory=list)
    #: File-level facts for the report: encoding, delimiter, formats, constants applied.
    notes: list[Issue] = field(default_factory=list)
    #: Rows left out on purpose (e.g. cancelled sales lines), by reason.
    excluded: dict[str, int] = field(default_factory=dict)

    def note(
        self, problem: str, field_name: str | None = None, severity: Severity = "info"
    ) -> None:
        self.notes.append(Issue(self.name, None, field_name, severity, problem))

    def provides(self, field_name: str) -> bool:
        return self.spec.provides(field_name)


@dataclass(frozen=True)
class DateColumn:
    """How one date field of a file is read: its format, or the question to ask first."""

    field: str
    column: str
    format: str | None
    given: bool
    question: str | None
    fits: int
    values: int


def date_columns(table: Table, kind: str, spec: MappingSpec) -> list[DateColumn]:
    """Each mapped date field's format: the one given in the mapping, else detected over every
    value of its column (None with a question when ambiguous)."""
    index = {column: i for i, column in enumerate(table.header)}
    out = []
    for f in KINDS[kind].fields:
        column = spec.columns.get(f.name)
        if f.type != "date" or column not in index:
            continue
        if f.name in spec.date_formats:
            fmt = dates.normalise_format(spec.date_formats[f.name])
            out.append(DateColumn(f.name, column, fmt, True, None, 0, 0))
            continue
        found = dates.detect(row[index[column]] for row in table.rows)
        question = found.question
        if question:
            question = f"{f.name} ({column!r}): {question}"
        out.append(
            DateColumn(f.name, column, found.format, False, question, found.fits, found.values)
        )
    return out


def parse_file(name: str, table: Table, kind: str, mapping: dict[str, Any]) -> ParsedFile:
    """Coerce every mapped cell; a bad value is an error on its row, never a silent blank.

    Date columns are read in one format decided over all their values; a field without a
    column takes the mapping's constant; a blank cell of a mapped one takes its default."""
    spec = KINDS[kind]
    mapped = MappingSpec.of(mapping)
    index = {column: i for i, column in enumerate(table.header)}
    parsed = ParsedFile(name, kind, [], [], mapped)
    formats: dict[str, str | None] = {}
    for dc in date_columns(table, kind, mapped):
        formats[dc.field] = dc.format
        if dc.format is not None:
            parsed.date_formats[dc.field] = dc.format
            how = "as given in the mapping" if dc.given else f"{dc.fits} of {dc.values} values fit"
            parsed.note(
                f"dates of {dc.column!r} read as {dates.describe(dc.format)} ({how})", dc.field
            )
        elif dc.question:
            parsed.questions.append(dc.question)
            parsed.note(dc.question, dc.field, "error")
    if table.encoding:
        delimiter = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(
            table.delimiter, table.delimiter
        )
        how = f", {delimiter}-separated" if delimiter else ""
        parsed.note(f"read as {table.encoding}{how}: {len(table.rows)} rows")
    constants = {
        f.name: _constant(f, mapped.constants[f.name])
        for f in spec.fields
        if f.name in mapped.constants
    }
    defaulted: dict[str, int] = {}
    for n, row in enumerate(table.rows):
        record = Record(name, table.line(n), {})
        if n in table.overflow:
            record.report(
                None,
                "error",
                f"the row has more cells than the header's {len(table.header)} "
                "(an unquoted delimiter inside a value?)",
            )
        for spec_field in spec.fields:
            column = mapped.columns.get(spec_field.name)
            cell = _cell(row, index, column, table.header)
            if spec_field.name in constants and is_blank(cell):
                record.values[spec_field.name] = constants[spec_field.name]
                if column is not None:
                    defaulted[spec_field.name] = defaulted.get(spec_field.name, 0) + 1
                continue
            record.values[spec_field.name] = _coerce(
                record, spec_field, cell, formats.get(spec_field.name, dates.ISO)
            )
        parsed.records.append(record)
    for name_, value in mapped.constants.items():
        if name_ in mapped.columns:
            n_blank = defaulted.get(name_, 0)
            parsed.note(f"{name_}: {n_blank} blank cells take the default {value!r}", name_)
        else:
            parsed.note(f"{name_} = {value!r} on every row (a constant of the mapping)", name_)
    used = {p for c in mapped.columns.values() for p in (column_parts(c, table.header) or ())}
    parsed.ignored_columns = [c for c in table.header if c and c not in used]
    return parsed


def _cell(
    row: tuple[Cell, ...], index: dict[str, int], column: str | None, header: tuple[str, ...]
) -> Cell:
    if column is None:
        return None
    if column in index:
        return row[index[column]]
    parts = column_parts(column, header) or ()
    joined = " ".join(str(row[index[p]]).strip() for p in parts if not is_blank(row[index[p]]))
    return joined or None


def _constant(spec: FieldSpec, value: str) -> Any:
    if spec.type == "date":
        return dates.parse(value, dates.ISO)
    if spec.type in ("number", "integer"):
        return parse_number(value)
    return parse_text(value)


def _coerce(record: Record, spec: FieldSpec, cell: Cell, date_format: str | None) -> Any:
    if is_blank(cell):
        return None
    try:
        value: Any
        if spec.type == "date":
            if date_format is None:
                raise CoercionError(
                    f"{cell!r}: the column's date format is not known",
                    "choose the date format of this column (dmy or mdy) in the mapping",
                )
            value = dates.parse(cell, date_format)
        elif spec.type in ("number", "integer"):
            value = parse_number(cell)
            _check_range(spec, value)
        else:
            value = parse_text(cell)
    except CoercionError as exc:
        record.report(spec.name, "error", exc.problem, value=cell, suggestion=exc.suggestion)
        return None
    except dates.DateError as exc:
        record.report(spec.name, "error", str(exc), value=cell, suggestion="check the date format")
        return None
    return value


def _check_range(spec: FieldSpec, value: float) -> None:
    if spec.minimum is not None and value < spec.minimum:
        raise CoercionError(f"{value:g} is below the minimum {spec.minimum:g}")
    if spec.maximum is not None and value > spec.maximum:
        raise CoercionError(f"{value:g} is above the maximum {spec.maximum:g}")
    if spec.type == "integer" and value != int(value):
        raise CoercionError(f"{value:g} is not a whole number")
