"""Importing HR, org, CRM, ERP and survey exports (CSV, XLSX): map, cleanse, dry-run, commit."""

from backend.services.imports.report import Issue, Proposal, Report
from backend.services.imports.runs import (
    MAX_IMPORT_BYTES,
    UploadedFile,
    create_run,
    execute,
    files_of,
    get_run,
    import_files,
    list_mappings,
    list_runs,
    progress_channel,
    set_mapping,
)

__all__ = [
    "MAX_IMPORT_BYTES",
    "Issue",
    "Proposal",
    "Report",
    "UploadedFile",
    "create_run",
    "execute",
    "files_of",
    "get_run",
    "import_files",
    "list_mappings",
    "list_runs",
    "progress_channel",
    "set_mapping",
]
