"""Data imports: saved column mappings per source, and the record of every import run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from backend.db.models._base import utcnow


class ImportMapping(SQLModel, table=True):
    """How the columns of one source's files of one kind map onto our fields (saved on commit)."""

    __tablename__ = "import_mapping"
    __table_args__ = (UniqueConstraint("source", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=100)
    kind: str = Field(max_length=32)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str = Field(default="system", max_length=200)


RUN_STATUSES = (
    "uploaded",  # files stored, not run yet
    "dry_run",  # the last dry run's report is in `report`
    "failed",  # the last dry run or commit failed and changed nothing
    "committing",  # a commit is writing its batches (see `checkpoint`)
    "interrupted",  # a commit stopped between batches: resume it or discard it
    "committed",  # every batch written
    "discarded",  # an interrupted commit given up: the batches written are kept
)


class ImportRun(SQLModel, table=True):
    """One import: who, when, which files, the counts, the status and the full report.

    A commit writes in batches, each its own short transaction; ``checkpoint`` holds what the
    batches committed so far (rows written, the rep-months whose actuals they touch, the
    options to resume with) and is written in the same transaction as each batch.
    """

    __tablename__ = "import_run"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=100, index=True)
    actor: str = Field(max_length=200)
    status: str = Field(default="uploaded", max_length=16, index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)
    finished_at: datetime | None = None
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    report: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    accepted_fixes: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    message: str = ""
    checkpoint: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))


class ImportFile(SQLModel, table=True):
    """One uploaded file of a run, kept so the run can be dry-run, adjusted and committed."""

    __tablename__ = "import_file"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="import_run.id", index=True)
    position: int = 0
    file_name: str = Field(max_length=300)
    sha256: str = Field(max_length=64, index=True)
    size_bytes: int = 0
    kind: str = Field(default="", max_length=32)
    mapping: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
