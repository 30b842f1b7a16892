"""Cleansing: find near-duplicate spellings, unknown references and missing values, and PROPOSE
fixes. A proposal changes nothing until it is accepted; an accepted one is recorded on each row.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from backend.services.imports.parsing import ParsedFile, Record
from backend.services.imports.report import Proposal, ProposalKind

REFERENCE_CUTOFF = 85.0
DUPLICATE_CUTOFF = 90.0
MAX_DISTINCT_FOR_PAIRS = 5_000


def key(value: str) -> str:
    """Case- and spacing-insensitive identity of a name: ``" GTX  pro"`` -> ``"gtx pro"``."""
    return " ".join(value.split()).casefold()


def compact(value: str) -> str:
    """Letters and digits only, for fuzzy comparison: ``"GTX Pro"`` -> ``"gtxpro"``."""
    return re.sub(r"[\W_]+", "", value.casefold())


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
#: Units and size codes: two names differing in one of them are different things.
UNITS = frozenset(
    (
        "b",
        "kb",
        "mb",
        "gb",
        "tb",
        "pb",
        "mhz",
        "ghz",
        "w",
        "kw",
        "v",
        "mah",
        "mm",
        "cm",
        "m",
        "km",
        "in",
        "ft",
        "g",
        "kg",
        "mg",
        "lb",
        "oz",
        "ml",
        "l",
        "xs",
        "s",
        "xl",
        "xxl",
        "xxxl",
        "pc",
        "pcs",
        "pack",
        "box",
        "ct",
        "pt",
        "qt",
        "gal",
        "hz",
        "k",
    )
)


def typo_only(value: str, other: str) -> bool:
    """Whether a typo explains how ``value`` differs from ``other``: the same once case,
    spacing and punctuation are ignored, or a small edit of letters with every number, unit and
    code the same (``'Xerox 1915'`` is not ``'Xerox 191'``, ``16 GB`` is not ``32 GB``).

    >>> typo_only("GTXPro", "GTX Pro"), typo_only("technolgy", "technology")
    (True, True)
    >>> typo_only("Xerox 1915", "Xerox 191"), typo_only("16 GB", "32 GB")
    (False, False)
    """
    a, b = compact(value), compact(other)
    if a == b:
        return True
    if _NUMBER.findall(value) != _NUMBER.findall(other):
        return False
    units_a = [t for t in _TOKEN.findall(value.casefold()) if t in UNITS]
    units_b = [t for t in _TOKEN.findall(other.casefold()) if t in UNITS]
    if units_a != units_b or _codes(value) != _codes(other):
        return False
    distance = Levenshtein.distance(a, b)
    return distance <= 2 and distance <= 0.2 * max(len(a), len(b))


def _codes(value: str) -> list[str]:
    """Tokens that look like codes (letters and digits mixed, e.g. ``X200``, ``A4``)."""
    return sorted(t.casefold() for t in re.findall(r"\b\w*\d\w*\b", value) if not t.isdigit())


def proposal_id(kind: str, field: str, value: str | None, replacement: str) -> str:
    digest = hashlib.sha1(f"{kind}|{field}|{value}|{replacement}".encode()).hexdigest()
    return digest[:12]


@dataclass
class Vocabulary:
    """The canonical spellings a field may take, by ``key``."""

    canonical: dict[str, str]

    @staticmethod
    def of(values: Iterable[str]) -> Vocabulary:
        return Vocabulary({key(v): v for v in values if v})

    def __contains__(self, value: str) -> bool:
        return key(value) in self.canonical

    def resolve(self, value: str) -> str | None:
        return self.canonical.get(key(value))

    def nearest(self, value: str, cutoff: float = REFERENCE_CUTOFF) -> tuple[str, float] | None:
        choices = list(self.canonical.values())
        found = process.extract(value, choices, scorer=fuzz.ratio, processor=compact, limit=5)
        for choice, score, _ in found:
            if score >= cutoff and typo_only(value, choice):
                return choice, float(score)
        return None


def _proposal(
    kind: ProposalKind,
    file: str,
    field: str,
    value: str | None,
    replacement: str,
    score: float,
    rows: int,
    reason: str,
) -> Proposal:
    return Proposal(
        proposal_id(kind, field, value, replacement),
        file,
        field,
        kind,
        value,
        replacement,
        round(score, 1),
        rows,
        reason,
    )


def _counts(parsed: ParsedFile, field: str) -> Counter[str]:
    return Counter(r.values[field] for r in parsed.records if r.values.get(field))


def unknown_references(
    parsed: ParsedFile, field: str, known: Vocabulary, entity: str
) -> list[Proposal]:
    """Values that name no known ``entity``, each with the nearest known spelling if close."""
    out = []
    for value, rows in sorted(_counts(parsed, field).items()):
        if value in known:
            continue
        nearest = known.nearest(value)
        if nearest:
            reason = f"no {entity} is called {value!r}; {nearest[0]!r} is spelled alike"
            out.append(
                _proposal(
                    "unknown_reference",
                    parsed.name,
                    f"{parsed.kind}.{field}",
                    value,
                    nearest[0],
                    nearest[1],
                    rows,
                    reason,
                )
            )
    return out


def against_vocabulary(parsed: ParsedFile, field: str, vocabulary: Vocabulary) -> list[Proposal]:
    """Values outside a reference vocabulary (e.g. sectors) close to one of its entries."""
    out = []
    for value, rows in sorted(_counts(parsed, field).items()):
        nearest = None if value in vocabulary else vocabulary.nearest(value)
        if nearest and key(nearest[0]) != key(value):
            reason = f"{value!r} looks like a misspelling of {nearest[0]!r}"
            out.append(
                _proposal(
                    "vocabulary",
                    parsed.name,
                    f"{parsed.kind}.{field}",
                    value,
                    nearest[0],
                    nearest[1],
                    rows,
                    reason,
                )
            )
    return out


def near_duplicates(
    parsed: ParsedFile, field: str, existing: Vocabulary | None = None
) -> list[Proposal]:
    """Distinct spellings in one column (or against existing names) that are the same thing:
    the rarer spelling is proposed to become the more frequent (or the existing) one."""
    counts = _counts(parsed, field)
    if len(counts) > MAX_DISTINCT_FOR_PAIRS:
        return []
    ranked = sorted(counts, key=lambda v: (-counts[v], v))
    out: list[Proposal] = []
    replaced: set[str] = set()
    for i, rare in enumerate(ranked):
        if existing is not None and rare in existing:
            continue
        target = _duplicate_of(rare, ranked[:i], replaced, existing)
        if target is None:
            continue
        replaced.add(rare)
        reason = f"{rare!r} and {target[0]!r} are probably the same; keep {target[0]!r}"
        field_name = f"{parsed.kind}.{field}"
        out.append(
            _proposal(
                "near_duplicate",
                parsed.name,
                field_name,
                rare,
                target[0],
                target[1],
                counts[rare],
                reason,
            )
        )
    return out


def _duplicate_of(
    value: str, earlier: list[str], replaced: set[str], existing: Vocabulary | None
) -> tuple[str, float] | None:
    candidates = [v for v in earlier if v not in replaced]
    if existing is not None:
        candidates = list(existing.canonical.values()) + candidates
    found = process.extract(value, candidates, scorer=fuzz.ratio, processor=compact, limit=5)
    for choice, score, _ in found:
        if score >= DUPLICATE_CUTOFF and choice != value and typo_only(value, choice):
            return choice, float(score)
    return None


def apply_accepted(files: list[ParsedFile], proposals: list[Proposal]) -> None:
    """Rewrite the rows of every accepted proposal, recording the fix on each row."""
    for proposal in proposals:
        if not proposal.accepted:
            continue
        kind, _, field = proposal.field.partition(".")
        for parsed in files:
            if parsed.kind == kind and parsed.name == proposal.file:
                for record in parsed.records:
                    _fix(record, field, proposal)


def _fix(record: Record, field: str, proposal: Proposal) -> None:
    current = record.values.get(field)
    if proposal.kind == "default_value":
        if current is not None or any(i.field == field for i in record.issues):
            return
    elif current != proposal.value:
        return
    default = proposal.kind == "default_value"
    record.values[field] = _typed(proposal.replacement) if default else proposal.replacement
    record.report(
        field,
        "fixed",
        proposal.reason,
        value=proposal.value,
        suggestion=proposal.replacement,
        fix_id=proposal.id,
    )


def _typed(replacement: str) -> object:
    """Default values are dates written ISO (the only defaults proposed today) or text."""
    try:
        return date.fromisoformat(replacement)
    except ValueError:
        return replacement


def flag_unaccepted(files: list[ParsedFile], proposals: list[Proposal]) -> None:
    """Near-duplicates left unaccepted are imported as spelled, with a warning on each row."""
    for proposal in proposals:
        if proposal.accepted or proposal.kind not in ("near_duplicate", "vocabulary"):
            continue
        kind, _, field = proposal.field.partition(".")
        for parsed in files:
            if parsed.kind != kind or parsed.name != proposal.file:
                continue
            for record in parsed.records:
                if record.values.get(field) == proposal.value:
                    record.report(
                        field,
                        "warning",
                        proposal.reason + " (proposal not accepted: imported as spelled)",
                        value=proposal.value,
                        suggestion=proposal.replacement,
                        fix_id=proposal.id,
                    )
