"""The import report: per-row issues, proposed fixes, per-file and per-entity counts.

Everything here is plain data that round-trips through JSON (the run keeps it in a column).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "fixed", "info"]
ProposalKind = Literal["near_duplicate", "unknown_reference", "vocabulary", "default_value"]


@dataclass
class Issue:
    """One problem of one row (or of a whole column when ``row`` is None)."""

    file: str
    row: int | None
    field: str | None
    severity: Severity
    problem: str
    value: str | None = None
    suggestion: str = ""
    fix_id: str | None = None
    code: str | None = None  # machine-readable reason, e.g. OUT_OF_SCOPE; None for data problems


#: The row touches something outside the caller's scope: refused, whatever else it holds.
OUT_OF_SCOPE = "OUT_OF_SCOPE"


@dataclass
class Proposal:
    """A fix found by cleansing and proposed for confirmation; applied only when accepted."""

    id: str
    file: str
    field: str
    kind: ProposalKind
    value: str | None
    replacement: str
    score: float
    rows: int
    reason: str
    accepted: bool = False


@dataclass
class FileReport:
    """What happened to one file's rows: every row is imported, fixed, duplicate, rejected or
    excluded on purpose (a cancelled sales line)."""

    name: str
    kind: str
    rows: int = 0
    imported: int = 0
    fixed: int = 0
    duplicates: int = 0
    rejected: int = 0
    excluded: int = 0
    mapping: dict[str, Any] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    #: The format each date field was read in; the questions the mapping must answer.
    date_formats: dict[str, str] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)


@dataclass
class EntityCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Report:
    """The whole report of a dry run or a commit."""

    dry_run: bool
    files: list[FileReport] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)
    entities: dict[str, EntityCounts] = field(default_factory=dict)
    actuals_written: int = 0
    touched_reps: int = 0
    touched_months: list[str] = field(default_factory=list)

    def count(self, entity: str) -> EntityCounts:
        return self.entities.setdefault(entity, EntityCounts())

    @property
    def changes(self) -> int:
        """Rows created or updated across every entity (0 when re-importing the same file)."""
        return sum(c.created + c.updated for c in self.entities.values())

    def totals(self) -> dict[str, Any]:
        keys = ("rows", "imported", "fixed", "duplicates", "rejected", "excluded")
        out: dict[str, Any] = {k: sum(getattr(f, k) for f in self.files) for k in keys}
        out["changes"] = self.changes
        out["errors"] = sum(1 for i in self.issues if i.severity == "error")
        out["warnings"] = sum(1 for i in self.issues if i.severity == "warning")
        out["proposals"] = len(self.proposals)
        out["entities"] = {k: asdict(v) for k, v in sorted(self.entities.items())}
        out["actuals_written"] = self.actuals_written
        return out

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["totals"] = self.totals()
        return data

    @staticmethod
    def from_json(data: dict[str, Any]) -> Report:
        return Report(
            dry_run=bool(data.get("dry_run", True)),
            files=[FileReport(**f) for f in data.get("files", [])],
            issues=[Issue(**i) for i in data.get("issues", [])],
            proposals=[Proposal(**p) for p in data.get("proposals", [])],
            entities={k: EntityCounts(**v) for k, v in data.get("entities", {}).items()},
            actuals_written=int(data.get("actuals_written", 0)),
            touched_reps=int(data.get("touched_reps", 0)),
            touched_months=list(data.get("touched_months", [])),
        )
