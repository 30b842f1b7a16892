"""A run's kinds and mappings from a caller's choices (CLI options, API inputs): the kind of
each file, columns mapped to fields, constants or defaults, date formats.

Starting point per file: the mapping saved for the run's source and the file's kind when it
fits the header (the same export next month maps itself), else the suggestion; the choices
then override it. An explicitly mapped column is taken away from any other field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db.models import ImportFile, ImportRun
from backend.db.repositories import imports as repo
from backend.services.access import Principal
from backend.services.errors import DomainError, ErrorCode
from backend.services.imports.fields import KINDS
from backend.services.imports.mapping import (
    MappingSpec,
    column_parts,
    detect_kind,
    mapping_problems,
    suggest_mapping,
)
from backend.services.imports.reading import read_table
from backend.services.imports.runs import files_of, set_mapping


@dataclass(frozen=True)
class Choices:
    """What the caller chose. ``kinds``: file name (or ``""`` for every file) -> kind;
    ``columns``: field -> column; ``constants``: field -> value; ``date_formats``: field (or
    ``""`` for every date field) -> format."""

    kinds: dict[str, str] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    date_formats: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.kinds or self.columns or self.constants or self.date_formats)


async def initial_mapping(
    session: AsyncSession, source: str, kind: str, header: tuple[str, ...]
) -> dict[str, Any]:
    """The mapping saved for this source and kind if it fits the header, else the suggestion."""
    saved = await repo.saved_mapping(session, source, kind)
    if saved is not None and not mapping_problems(saved.mapping, header, kind):
        return dict(saved.mapping)
    return {s.field: s.column for s in suggest_mapping(header, kind)}


async def saved_kind(session: AsyncSession, source: str, header: tuple[str, ...]) -> str:
    """The kind of a mapping saved for ``source`` that fits ``header`` ("" if none): a file
    whose kind is not recognised from its columns was mapped by hand before."""
    for saved in await repo.mappings_of(session, source):
        if saved.kind in KINDS and not mapping_problems(saved.mapping, header, saved.kind):
            return saved.kind
    return ""


def merge(
    base: dict[str, Any], kind: str, header: tuple[str, ...], choices: Choices
) -> dict[str, Any]:
    """``base`` with the choices that concern this file (its kind's fields, its columns)."""
    spec = KINDS[kind]
    current = MappingSpec.of(base)
    chosen = {
        f: c
        for f, c in choices.columns.items()
        if spec.has(f) and column_parts(c, header) is not None
    }
    taken = {p for c in chosen.values() for p in (column_parts(c, header) or ())}
    columns = {
        f: c
        for f, c in current.columns.items()
        if f not in chosen and not taken & set(column_parts(c, header) or ())
    }
    columns |= chosen
    constants = dict(current.constants) | {
        f: v for f, v in choices.constants.items() if spec.has(f)
    }
    formats = dict(current.date_formats)
    for name, fmt in choices.date_formats.items():
        targets = [name] if name else [f.name for f in spec.fields if f.type == "date"]
        for target in targets:
            if spec.has(target) and spec.field(target).type == "date" and target in columns:
                formats[target] = fmt
    return MappingSpec(columns, constants, formats).to_json()


def kind_for(file_name: str, detected: str, choices: Choices) -> str:
    return choices.kinds.get(file_name) or choices.kinds.get("") or detected


async def apply(
    session: AsyncSession, *, run: ImportRun, principal: Principal, choices: Choices
) -> list[ImportFile]:
    """Set every file's kind and mapping from ``choices``; refused (nothing changed) with
    every problem named if a file's resulting mapping cannot be used."""
    assert run.id is not None
    files = list(await files_of(session, run.id))
    unknown = [n for n in choices.kinds if n and n not in {f.file_name for f in files}]
    if unknown:
        raise DomainError.single(
            ErrorCode.INVALID, f"--kind names no uploaded file: {', '.join(unknown)}", "kind"
        )
    for file in files:
        header = read_table(file.file_name, file.data).header
        kind = kind_for(file.file_name, file.kind, choices)
        if not kind:
            kind = detect_kind(header) or await saved_kind(session, run.source, header)
        if not kind:
            continue
        base = file.mapping if kind == file.kind else {}
        if kind != file.kind:
            base = await initial_mapping(session, run.source, kind, header)
        mapping = merge(base, kind, header, choices)
        await set_mapping(
            session,
            principal=principal,
            run_id=run.id,
            file_id=file.id or 0,
            kind=kind,
            mapping=mapping,
        )
    return files
