"""Column mappings: suggestions from column names (fuzzy; EN and ZH synonyms), kind detection
from the columns as a whole, and what a mapping may carry besides columns.

A mapping is stored as JSON: ``{field: column, ...}`` plus two reserved keys,
``"@constants": {field: value}`` (a constant for a field without a column, or a default for the
blank cells of a mapped one: ``stage = won``) and ``"@date_formats": {field: format}`` (the
answer to an ambiguous date column, or a format given by the user; see ``dates``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from backend.services.imports import dates
from backend.services.imports.coercion import CoercionError, parse_number
from backend.services.imports.fields import KINDS, KindSpec

SUGGEST_THRESHOLD = 80.0
CONSTANTS = "@constants"
DATE_FORMATS = "@date_formats"


@dataclass(frozen=True)
class Suggestion:
    """The column proposed for a field, with a similarity score in 0..100."""

    field: str
    column: str
    score: float


@dataclass(frozen=True)
class MappingSpec:
    """A mapping read from its JSON: columns, constants (or defaults) and date formats."""

    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    date_formats: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def of(raw: dict[str, Any] | None) -> MappingSpec:
        raw = raw or {}
        columns = {k: str(v) for k, v in raw.items() if not k.startswith("@")}
        constants = {k: str(v) for k, v in dict(raw.get(CONSTANTS) or {}).items()}
        formats = {k: str(v) for k, v in dict(raw.get(DATE_FORMATS) or {}).items()}
        return MappingSpec(columns, constants, formats)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.columns)
        if self.constants:
            out[CONSTANTS] = dict(self.constants)
        if self.date_formats:
            out[DATE_FORMATS] = dict(self.date_formats)
        return out

    def provides(self, name: str) -> bool:
        return name in self.columns or name in self.constants


def column_parts(column: str, header: tuple[str, ...]) -> tuple[str, ...] | None:
    """The header columns a mapped column names: itself, or ``A + B`` (cells joined by a space,
    e.g. first and last name); None if one is not in the header."""
    if column in header:
        return (column,)
    parts = tuple(p.strip() for p in column.split("+"))
    return parts if len(parts) > 1 and all(p in header for p in parts) else None


def normalise(name: str) -> str:
    """``"Sales_Agent "`` -> ``"sales agent"``; CJK characters are kept as they are."""
    return re.sub(r"[\s_\-./()]+", " ", name.strip().lower()).strip()


def _score(column: str, names: tuple[str, ...]) -> float:
    col = normalise(column)
    squeezed = col.replace(" ", "")
    return max(
        max(fuzz.ratio(col, normalise(n)), fuzz.ratio(squeezed, normalise(n).replace(" ", "")))
        for n in names
    )


def suggest_mapping(header: tuple[str, ...], kind: str) -> list[Suggestion]:
    """Each field's best column, assigned greedily by score so no column serves two fields.

    >>> [(s.field, s.column) for s in suggest_mapping(("销售员", "成交日期"), "crm")]
    [('rep', '销售员'), ('closed_on', '成交日期')]
    """
    spec = KINDS[kind]
    scored = [
        (_score(column, (f.name, *f.synonyms)), f.name, column)
        for f in spec.fields
        for column in header
        if column
    ]
    taken_fields: set[str] = set()
    taken_columns: set[str] = set()
    chosen: list[Suggestion] = []
    for score, field_name, column in sorted(scored, key=lambda t: -t[0]):
        if score < SUGGEST_THRESHOLD or field_name in taken_fields or column in taken_columns:
            continue
        taken_fields.add(field_name)
        taken_columns.add(column)
        chosen.append(Suggestion(field_name, column, round(score, 1)))
    order = [f.name for f in spec.fields]
    return sorted(chosen, key=lambda s: order.index(s.field))


def _complete(found: set[str], spec: KindSpec) -> bool:
    required = all(f.name in found for f in spec.fields if f.required)
    return required and all(any(n in found for n in group) for group in spec.one_of)


def coverage(header: tuple[str, ...], spec: KindSpec) -> float:
    """How well a header fits a kind: required fields found count double; -1 if one is missing."""
    found = {s.field for s in suggest_mapping(header, spec.name)}
    weights = {f.name: 2.0 if f.required else 1.0 for f in spec.fields}
    total = sum(weights.values())
    return sum(weights[f] for f in found) / total - (0.0 if _complete(found, spec) else 1.0)


def detect_kind(header: tuple[str, ...]) -> str | None:
    """The kind that explains the most of the file's columns among those whose required fields
    are all found (then the best coverage); None if no kind has its required fields.

    A file with dated amounts (a kind of facts) is never taken for reference data: an order
    export names products and customers, but it is not a product catalogue.
    """
    candidates: list[tuple[int, int, float, str]] = []
    for spec in KINDS.values():
        found = suggest_mapping(header, spec.name)
        names = {s.field for s in found}
        # Dated amounts make a file of facts even when its seller column is not recognised:
        # the mapping then asks for it (e.g. ``map one of rep / territory``).
        dated = spec.facts and all(f.name in names for f in spec.fields if f.required)
        if not (_complete(names, spec) or dated):
            continue
        candidates.append((int(spec.facts), len(found), coverage(header, spec), spec.name))
    if not candidates:
        return None
    facts = [c for c in candidates if c[0]]
    pool = facts or candidates
    return max(pool, key=lambda c: (c[1], c[2]))[3]


def mapping_problems(mapping: dict[str, Any], header: tuple[str, ...], kind: str) -> list[str]:
    """Readable reasons a mapping cannot be used: unknown fields or columns, required fields
    without a column or a constant, unusable date formats or constants."""
    spec = KINDS[kind]
    parsed = MappingSpec.of(mapping)
    problems = [
        f"{name!r} is not a field of {kind}"
        for name in {*parsed.columns, *parsed.constants, *parsed.date_formats}
        if not spec.has(name)
    ]
    problems += [
        f"column {column!r} is not in the file"
        for column in parsed.columns.values()
        if column_parts(column, header) is None
    ]
    problems += [
        f"required field {f.name!r} has no column"
        for f in spec.fields
        if f.required and not parsed.provides(f.name)
    ]
    problems += [
        f"map one of {' / '.join(group)}"
        for group in spec.one_of
        if not any(parsed.provides(n) for n in group)
    ]
    for name, fmt in parsed.date_formats.items():
        if spec.has(name) and spec.field(name).type != "date":
            problems.append(f"{name!r} is not a date: it takes no date format")
            continue
        try:
            dates.normalise_format(fmt)
        except ValueError as exc:
            problems.append(str(exc))
    problems += _constant_problems(parsed, spec)
    return problems


def _constant_problems(parsed: MappingSpec, spec: KindSpec) -> list[str]:
    out = []
    for name, value in parsed.constants.items():
        if not spec.has(name):
            continue
        f = spec.field(name)
        try:
            if f.type == "date":
                dates.parse(value, dates.ISO)
            elif f.type in ("number", "integer"):
                parse_number(value)
        except (CoercionError, dates.DateError):
            kind = "a date (YYYY-MM-DD)" if f.type == "date" else "a number"
            out.append(f"the constant of {name!r} must be {kind}, not {value!r}")
    return out


def parse_assignments(items: list[str], what: str) -> dict[str, str]:
    """``["COLUMN=field", ...]`` (``what="map"``: returns field -> column) or
    ``["field=value", ...]`` (``what="set"``: field -> value); ValueError on a malformed item."""
    out: dict[str, str] = {}
    for item in items:
        left, sep, right = item.rpartition("=") if what == "map" else item.partition("=")
        if not sep or not left.strip() or not right.strip():
            example = "COLUMN=field" if what == "map" else "field=value"
            raise ValueError(f"--{what} {item!r}: write {example}")
        if what == "map":
            out[right.strip()] = left.strip()
        else:
            out[left.strip()] = right.strip()
    return out
