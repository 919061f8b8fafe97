"""Importing CRM exports (CSV, Parquet, JSON lines) through a mapping file."""

from standup.importing.mapping import Mapping, MappingError, load_mapping
from standup.importing.run import ImportResult, RowError, import_files
from standup.importing.sources import ImportFileError

__all__ = [
    "ImportFileError",
    "ImportResult",
    "Mapping",
    "MappingError",
    "RowError",
    "import_files",
    "load_mapping",
]
