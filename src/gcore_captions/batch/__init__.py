"""
Batch export: many Gcore tasks to caption files, concurrently and
resumably, with a manifest.

>>> from gcore_captions import OutputSpec
>>> from gcore_captions.batch import ExportOptions, TaskQuery, export_many
>>> spec = OutputSpec.parse("srt,vtt", preset="netflix")
>>> run = ExportOptions(concurrency=16)
>>> report = export_many(TaskQuery(), "captions/", spec, options=run)  # doctest: +SKIP
>>> report.ok, report.written, report.failed                               # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..output.naming import DEFAULT_TEMPLATE, FIELDS
from .inputs import TaskQuery, parse_id_lines
from .manifest import MANIFEST_NAME
from .options import ExportOptions
from .records import FileRecord, TaskRecord
from .report import ExportInterrupted, ExportProgress, ExportReport, Failure, RetriedTask

if TYPE_CHECKING:
    from .runner import aexport_many, export_many

__all__ = [
    "DEFAULT_TEMPLATE",
    "FIELDS",
    "MANIFEST_NAME",
    "ExportInterrupted",
    "ExportOptions",
    "ExportProgress",
    "ExportReport",
    "Failure",
    "FileRecord",
    "RetriedTask",
    "TaskQuery",
    "TaskRecord",
    "aexport_many",
    "export_many",
    "parse_id_lines",
]


def __getattr__(name: str) -> Any:
    # The runner pulls in httpx (~0.1 s); load it only when it is used, so
    # the command line starts fast for commands that never export.
    if name in ("aexport_many", "export_many"):
        from . import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
