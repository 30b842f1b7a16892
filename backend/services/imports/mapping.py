"""Column-mapping suggestions from column names (fuzzy; EN and ZH synonyms); kind detection."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from backend.services.imports.fields import KINDS, KindSpec

SUGGEST_THRESHOLD = 80.0


@dataclass(frozen=True)
class Suggestion:
    """The column proposed for a field, with a similarity score in 0..100."""

    field: str
    column: str
    score: float


def normalise(name: str) -> str:
    """``"Sales_Agent "`` -> ``"sales agent"``; CJK characters are kept as they are."""
    return re.sub(r"[\s_\-./()]+", " ", name.strip().lower()).strip()


def _score(column: str, names: tuple[str, ...]) -> float:
    col = normalise(column)
    return max(fuzz.ratio(col, normalise(n)) for n in names)


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
    for score, field, column in sorted(scored, key=lambda t: -t[0]):
        if score < SUGGEST_THRESHOLD or field in taken_fields or column in taken_columns:
            continue
        taken_fields.add(field)
        taken_columns.add(column)
        chosen.append(Suggestion(field, column, round(score, 1)))
    order = [f.name for f in spec.fields]
    return sorted(chosen, key=lambda s: order.index(s.field))


def coverage(header: tuple[str, ...], spec: KindSpec) -> float:
    """How well a header fits a kind: required fields found count double."""
    found = {s.field for s in suggest_mapping(header, spec.name)}
    weights = {f.name: 2.0 if f.required else 1.0 for f in spec.fields}
    total = sum(weights.values())
    missing_required = any(f.required and f.name not in found for f in spec.fields)
    return (sum(weights[f] for f in found) / total) - (1.0 if missing_required else 0.0)


def detect_kind(header: tuple[str, ...]) -> str | None:
    """The kind whose fields the header covers best, or None if no kind has its required fields."""
    best = max(KINDS.values(), key=lambda spec: coverage(header, spec))
    return best.name if coverage(header, best) > 0 else None


def mapping_problems(mapping: dict[str, str], header: tuple[str, ...], kind: str) -> list[str]:
    """Readable reasons a mapping cannot be used (unknown fields/columns, required missing)."""
    spec = KINDS[kind]
    names = {f.name for f in spec.fields}
    problems = [f"{field!r} is not a field of {kind}" for field in mapping if field not in names]
    problems += [
        f"column {column!r} is not in the file"
        for column in mapping.values()
        if column not in header
    ]
    problems += [
        f"required field {f.name!r} has no column"
        for f in spec.fields
        if f.required and f.name not in mapping
    ]
    return problems
