"""
What the manifest says about one task, and its JSON-lines encoding.

One line per task outcome::

    {"v": 1, "task_id": "…", "status": "written", "at": "2026-11-28T14:38:00Z",
     "recipe": "3f2a…", "files": [{"path": "….srt", "format": "srt",
     "bytes": 1234, "sha256": "…"}], "cues": 42, "language": "eng",
     "languages": ["eng"], "warnings": ["cue 3: … [out-of-order]"],
     "error": null, "error_type": null, "retries": 0}

Sans-I/O: encoding and decoding only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .._plural import plural

__all__ = [
    "FAILED",
    "MAX_WARNINGS",
    "NOT_FINISHED",
    "SKIPPED",
    "STATUSES",
    "WRITTEN",
    "FileRecord",
    "Status",
    "TaskRecord",
    "utc_now",
    "warning_lines",
]

Status = Literal["written", "skipped", "failed", "not_finished"]
WRITTEN: Status = "written"
SKIPPED: Status = "skipped"
FAILED: Status = "failed"
NOT_FINISHED: Status = "not_finished"
STATUSES: tuple[Status, ...] = (WRITTEN, SKIPPED, FAILED, NOT_FINISHED)
_VERSION = 1
MAX_WARNINGS = 100


def warning_lines(warnings: Iterable[object]) -> tuple[str, ...]:
    """
    A transcript's warnings as text for the manifest: the first
    :data:`MAX_WARNINGS`, then one line saying how many more there were.
    """
    lines = [str(w) for w in warnings]
    if len(lines) > MAX_WARNINGS:
        extra = len(lines) - MAX_WARNINGS
        lines = [*lines[:MAX_WARNINGS], f"... and {plural(extra, 'more warning')}"]
    return tuple(lines)


def utc_now() -> str:
    """
    The current UTC time as ``YYYY-MM-DDTHH:MM:SSZ``.
    """
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass(frozen=True, slots=True)
class FileRecord:
    """
    One file an export wrote.

    Args:
        path: the path relative to the output folder, ``/``-separated.
        format: the format name (``srt``, ``vtt``...).
        bytes: the file's size in bytes.
        sha256: the hex SHA-256 of the file's bytes.
    """

    path: str
    format: str
    bytes: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        """
        The record as a JSON-ready dict.
        """
        return {
            "path": self.path,
            "format": self.format,
            "bytes": self.bytes,
            "sha256": self.sha256,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileRecord:
        """
        Read a record written by :meth:`to_json`.

        Raises:
            ValueError: a field is missing or has the wrong type.
        """
        path, fmt, size, digest = data["path"], data["format"], data["bytes"], data["sha256"]
        if not (
            isinstance(path, str)
            and isinstance(fmt, str)
            and type(size) is int
            and isinstance(digest, str)
        ):
            raise ValueError("bad file record")
        return cls(path=path, format=fmt, bytes=size, sha256=digest)


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """
    One task's outcome in one run.

    Args:
        task_id: the task's id.
        status: ``written``, ``skipped`` (its files were already complete),
            ``failed`` or ``not_finished``.
        files: the files written (or found complete), in format order.
        recipe: the ``OutputSpec.fingerprint`` (outputs, options, passes,
            encoding, name template) the
            files were made with; a rerun with other options redoes the task.
        cues: the number of cues.
        language: the caption language (ISO 639-2/B), when known.
        languages: the languages the task reported.
        warnings: the transcript's reading warnings, as text.
        error: what went wrong, for ``failed`` and ``not_finished``.
        error_type: the exception class name behind ``error``.
        at: when this outcome was recorded (UTC, ISO 8601).
        retries: how many times the run that recorded this outcome queued
            the task again after a transient failure.
    """

    task_id: str
    status: Status
    files: tuple[FileRecord, ...] = ()
    recipe: str | None = None
    cues: int | None = None
    language: str | None = None
    languages: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    error: str | None = None
    error_type: str | None = None
    at: str = field(default_factory=utc_now)
    retries: int = 0

    def replace(self, **changes: Any) -> TaskRecord:
        """
        A copy of this record with some fields changed.
        """
        return replace(self, **changes)

    @property
    def complete(self) -> bool:
        """
        Whether this outcome produced (or confirmed) all of the task's files.
        """
        return self.status in (WRITTEN, SKIPPED)

    def to_line(self) -> bytes:
        """
        The record as one manifest line (UTF-8 JSON plus ``\\n``).
        """
        data = {
            "v": _VERSION,
            "task_id": self.task_id,
            "status": self.status,
            "at": self.at,
            "recipe": self.recipe,
            "files": [f.to_json() for f in self.files],
            "cues": self.cues,
            "language": self.language,
            "languages": list(self.languages),
            "warnings": list(self.warnings),
            "error": self.error,
            "error_type": self.error_type,
            "retries": self.retries,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

    @classmethod
    def from_line(cls, line: bytes) -> TaskRecord:
        """
        Read one manifest line.

        Raises:
            ValueError: the line is not a complete, valid record (a torn
                line from an interrupted run is one).
        """
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ValueError("a manifest line must be a JSON object")
        task_id, status = data.get("task_id"), data.get("status")
        if not isinstance(task_id, str) or not task_id or status not in STATUSES:
            raise ValueError("a manifest line needs task_id and a known status")
        files = tuple(FileRecord.from_json(f) for f in data.get("files") or ())
        cues, retries = data.get("cues"), data.get("retries")
        return cls(
            task_id=task_id,
            status=status,
            files=files,
            recipe=_optional_str(data.get("recipe")),
            cues=cues if type(cues) is int else None,
            language=_optional_str(data.get("language")),
            languages=tuple(str(x) for x in data.get("languages") or ()),
            warnings=tuple(str(x) for x in data.get("warnings") or ()),
            error=_optional_str(data.get("error")),
            error_type=_optional_str(data.get("error_type")),
            at=str(data.get("at") or ""),
            retries=retries if type(retries) is int and retries > 0 else 0,
        )


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None
